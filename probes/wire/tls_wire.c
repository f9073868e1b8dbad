/*
 * tls_wire.c - a hand-written TLS/DTLS ClientHello and a bounded reader of the
 * server's first reply (see tls_wire.h for why this is not mbedTLS).
 *
 * The builder writes through a small cursor that records overflow instead of
 * checking every call, and back-fills length fields once their content is
 * written. The parser reads through a cursor that cannot move past its end;
 * every failure names its reason, so a report can say what the device sent.
 */
#include <stdio.h>
#include <string.h>

#include "starprobe.h"
#include "tls_wire.h"
#include "util.h"
#include "wire.h"

/*
 * The default offer, strongest first so a server that honours the client's
 * order still picks something sensible. Legacy suites (3DES, RC4, DES) sit at
 * the end: they are there so that a server that knows nothing newer still
 * answers with a ServerHello rather than an alert, which identifies it and
 * tells the enumerator where to look. PSK and CCM_8 suites are in because
 * CoAPS (RFC 7252 §9) and small IoT stacks use them. No ffdhe groups are
 * offered alongside (RFC 7919 would then forbid the server other DHE groups),
 * and no anonymous, NULL or EXPORT suites: a server must not be led into
 * choosing one just because we asked; the enumerator offers those on purpose.
 */
static const struct tls_suite_info suite_table[] = {
    {0x1301, "TLS_AES_128_GCM_SHA256", TLS_V_1_3, TLS_V_1_3, 0},
    {0x1302, "TLS_AES_256_GCM_SHA384", TLS_V_1_3, TLS_V_1_3, 0},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256", TLS_V_1_3, TLS_V_1_3, 0},
    {0x1304, "TLS_AES_128_CCM_SHA256", TLS_V_1_3, TLS_V_1_3, 0},
    {0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc0af, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", TLS_V_1_2, TLS_V_1_2, 0},
    {0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc09e, "TLS_DHE_RSA_WITH_AES_128_CCM", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc09f, "TLS_DHE_RSA_WITH_AES_256_CCM", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc09c, "TLS_RSA_WITH_AES_128_CCM", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc09d, "TLS_RSA_WITH_AES_256_CCM", TLS_V_1_2, TLS_V_1_2, 0},
    {0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0xc0a8, "TLS_PSK_WITH_AES_128_CCM_8", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc0a4, "TLS_PSK_WITH_AES_128_CCM", TLS_V_1_2, TLS_V_1_2, 0},
    {0x00a8, "TLS_PSK_WITH_AES_128_GCM_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x00ae, "TLS_PSK_WITH_AES_128_CBC_SHA256", TLS_V_1_0, TLS_V_1_2, 0},
    {0x008c, "TLS_PSK_WITH_AES_128_CBC_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0xc035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", TLS_V_1_0, TLS_V_1_2, TLS_SUITE_LEGACY},
    {0xc008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", TLS_V_1_0, TLS_V_1_2, TLS_SUITE_LEGACY},
    {0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, TLS_SUITE_LEGACY},
    {0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, TLS_SUITE_LEGACY},
    {0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, TLS_SUITE_LEGACY},
    {0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA", TLS_V_1_0, TLS_V_1_2, TLS_SUITE_LEGACY | TLS_SUITE_STREAM},
    {0xc007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", TLS_V_1_0, TLS_V_1_2, TLS_SUITE_LEGACY | TLS_SUITE_STREAM},
    {0x0005, "TLS_RSA_WITH_RC4_128_SHA", TLS_V_SSL3, TLS_V_1_2, TLS_SUITE_LEGACY | TLS_SUITE_STREAM},
    {0x0004, "TLS_RSA_WITH_RC4_128_MD5", TLS_V_SSL3, TLS_V_1_2, TLS_SUITE_LEGACY | TLS_SUITE_STREAM},
    {0x0009, "TLS_RSA_WITH_DES_CBC_SHA", TLS_V_SSL3, TLS_V_1_1, TLS_SUITE_LEGACY},
};

/*
 * Offered only by the suite enumerator, never by the default hello: the
 * classes S1.1-12 forbids (NULL, EXPORT, anonymous, DES, RC4 and MD5 beyond
 * the legacy rows above) and the rarer suites a permissive OpenSSL or an IoT
 * stack accepts (ARIA, Camellia-SHA256, CCM_8, more PSK). A server that
 * accepts one of these is found by asking for it.
 */
static const struct tls_suite_info extra_table[] = {
    {0x0001, "TLS_RSA_WITH_NULL_MD5", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x0002, "TLS_RSA_WITH_NULL_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x003b, "TLS_RSA_WITH_NULL_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0xc010, "TLS_ECDHE_RSA_WITH_NULL_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0xc015, "TLS_ECDH_anon_WITH_NULL_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0x002c, "TLS_PSK_WITH_NULL_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0x00b0, "TLS_PSK_WITH_NULL_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", TLS_V_SSL3, TLS_V_1_0, TLS_SUITE_STREAM},
    {0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5", TLS_V_SSL3, TLS_V_1_0, 0},
    {0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", TLS_V_SSL3, TLS_V_1_0, 0},
    {0x000b, "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA", TLS_V_SSL3, TLS_V_1_0, 0},
    {0x000e, "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA", TLS_V_SSL3, TLS_V_1_0, 0},
    {0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA", TLS_V_SSL3, TLS_V_1_0, 0},
    {0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", TLS_V_SSL3, TLS_V_1_0, 0},
    {0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5", TLS_V_SSL3, TLS_V_1_0, TLS_SUITE_STREAM},
    {0x0019, "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA", TLS_V_SSL3, TLS_V_1_0, 0},
    {0x0018, "TLS_DH_anon_WITH_RC4_128_MD5", TLS_V_SSL3, TLS_V_1_2, TLS_SUITE_STREAM},
    {0x001a, "TLS_DH_anon_WITH_DES_CBC_SHA", TLS_V_SSL3, TLS_V_1_1, 0},
    {0x001b, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x003a, "TLS_DH_anon_WITH_AES_256_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x006c, "TLS_DH_anon_WITH_AES_128_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x006d, "TLS_DH_anon_WITH_AES_256_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x00a6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x00a7, "TLS_DH_anon_WITH_AES_256_GCM_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0x0046, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x0089, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x00bf, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x00c5, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc016, "TLS_ECDH_anon_WITH_RC4_128_SHA", TLS_V_1_0, TLS_V_1_2, TLS_SUITE_STREAM},
    {0xc017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0xc018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0xc019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA", TLS_V_SSL3, TLS_V_1_1, 0},
    {0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA", TLS_V_SSL3, TLS_V_1_1, 0},
    {0x0066, "TLS_DHE_DSS_WITH_RC4_128_SHA", TLS_V_SSL3, TLS_V_1_2, TLS_SUITE_STREAM},
    {0x008a, "TLS_PSK_WITH_RC4_128_SHA", TLS_V_1_0, TLS_V_1_2, TLS_SUITE_STREAM},
    {0x008b, "TLS_PSK_WITH_3DES_EDE_CBC_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x006a, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x00a2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x00a3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0x00ba, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x00c0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x00be, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x00c4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc077, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc050, "TLS_RSA_WITH_ARIA_128_GCM_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc051, "TLS_RSA_WITH_ARIA_256_GCM_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc052, "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc053, "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc05c, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc05d, "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc060, "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc061, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc0a0, "TLS_RSA_WITH_AES_128_CCM_8", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc0a1, "TLS_RSA_WITH_AES_256_CCM_8", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc0a2, "TLS_DHE_RSA_WITH_AES_128_CCM_8", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc0a3, "TLS_DHE_RSA_WITH_AES_256_CCM_8", TLS_V_1_2, TLS_V_1_2, 0},
    {0x0096, "TLS_RSA_WITH_SEED_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x009a, "TLS_DHE_RSA_WITH_SEED_CBC_SHA", TLS_V_SSL3, TLS_V_1_2, 0},
    {0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA", TLS_V_SSL3, TLS_V_1_1, 0},
    {0x00a9, "TLS_PSK_WITH_AES_256_GCM_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0x00af, "TLS_PSK_WITH_AES_256_CBC_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0x008d, "TLS_PSK_WITH_AES_256_CBC_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0xc0a5, "TLS_PSK_WITH_AES_256_CCM", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc0a9, "TLS_PSK_WITH_AES_256_CCM_8", TLS_V_1_2, TLS_V_1_2, 0},
    {0xccab, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xccac, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0xc037, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0xc038, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0x00aa, "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x00ab, "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0xccad, "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x0090, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0x0091, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0x0094, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0x0095, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA", TLS_V_1_0, TLS_V_1_2, 0},
    {0x00ac, "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256", TLS_V_1_2, TLS_V_1_2, 0},
    {0x00ad, "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384", TLS_V_1_2, TLS_V_1_2, 0},
    {0x1305, "TLS_AES_128_CCM_8_SHA256", TLS_V_1_3, TLS_V_1_3, 0},
};

static const uint16_t default_groups[] = {
    TLS_GROUP_X25519, TLS_GROUP_SECP256R1, TLS_GROUP_SECP384R1,
    TLS_GROUP_SECP521R1, TLS_GROUP_X448
};

/* SHA-1 and PKCS#1 v1.5 stay in: the certificate probe judges the key, not this offer. */
static const uint16_t default_sigalgs[] = {
    0x0403, 0x0503, 0x0603,         /* ecdsa_secp256r1_sha256 .. secp521r1_sha512 */
    0x0807, 0x0808,                 /* ed25519, ed448 */
    0x0804, 0x0805, 0x0806,         /* rsa_pss_rsae_sha256 .. sha512 */
    0x0809, 0x080a, 0x080b,         /* rsa_pss_pss_sha256 .. sha512 */
    0x0401, 0x0501, 0x0601,         /* rsa_pkcs1_sha256 .. sha512 */
    0x0402,                         /* dsa_sha256 */
    0x0203, 0x0201, 0x0202          /* ecdsa_sha1, rsa_pkcs1_sha1, dsa_sha1 */
};

/* RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest. */
static const uint8_t hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c
};

const struct tls_suite_info *tls_default_suites(size_t *n)
{
    *n = SP_ARRAY_LEN(suite_table);
    return suite_table;
}

const struct tls_suite_info *tls_extra_suites(size_t *n)
{
    *n = SP_ARRAY_LEN(extra_table);
    return extra_table;
}

const struct tls_suite_info *tls_suite_find(uint16_t id)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(suite_table); i++)
        if (suite_table[i].id == id)
            return &suite_table[i];
    for (size_t i = 0; i < SP_ARRAY_LEN(extra_table); i++)
        if (extra_table[i].id == id)
            return &extra_table[i];
    return NULL;
}

const char *tls_version_name(uint16_t v, char tmp[8])
{
    switch (v) {
    case TLS_V_SSL3: return "SSLv3";
    case TLS_V_1_0: return "TLSv1.0";
    case TLS_V_1_1: return "TLSv1.1";
    case TLS_V_1_2: return "TLSv1.2";
    case TLS_V_1_3: return "TLSv1.3";
    case DTLS_V_1_0: return "DTLSv1.0";
    case DTLS_V_1_2: return "DTLSv1.2";
    case 0xfefc: return "DTLSv1.3";
    case 0x0002: return "SSLv2";
    default:
        snprintf(tmp, 8, "0x%04x", v);
        return tmp;
    }
}

const char *tls_alert_name(uint8_t desc)
{
    switch (desc) {
    case 0: return "close_notify";
    case 10: return "unexpected_message";
    case 20: return "bad_record_mac";
    case 21: return "decryption_failed";
    case 22: return "record_overflow";
    case 30: return "decompression_failure";
    case 40: return "handshake_failure";
    case 41: return "no_certificate";
    case 42: return "bad_certificate";
    case 43: return "unsupported_certificate";
    case 44: return "certificate_revoked";
    case 45: return "certificate_expired";
    case 46: return "certificate_unknown";
    case 47: return "illegal_parameter";
    case 48: return "unknown_ca";
    case 49: return "access_denied";
    case 50: return "decode_error";
    case 51: return "decrypt_error";
    case 60: return "export_restriction";
    case 70: return "protocol_version";
    case 71: return "insufficient_security";
    case 80: return "internal_error";
    case 86: return "inappropriate_fallback";
    case 90: return "user_canceled";
    case 100: return "no_renegotiation";
    case 109: return "missing_extension";
    case 110: return "unsupported_extension";
    case 112: return "unrecognized_name";
    case 113: return "bad_certificate_status_response";
    case 115: return "unknown_psk_identity";
    case 116: return "certificate_required";
    case 120: return "no_application_protocol";
    default: return "unknown";
    }
}

/* ---- builder ---------------------------------------------------------- */

/* A write cursor: once a write does not fit, err sticks and later writes are no-ops. */
struct wcur {
    uint8_t *p;
    size_t cap;
    size_t len;
    int err;
};

static void w_bytes(struct wcur *w, const void *src, size_t n)
{
    if (w->err || n > w->cap - w->len) {
        w->err = 1;
        return;
    }
    if (n)
        memcpy(w->p + w->len, src, n);
    w->len += n;
}

static void w_u8(struct wcur *w, size_t v)
{
    uint8_t b = (uint8_t)v;
    w_bytes(w, &b, 1);
}

static void w_u16(struct wcur *w, size_t v)
{
    uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    w_bytes(w, b, 2);
}

static void w_u24(struct wcur *w, size_t v)
{
    uint8_t b[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    w_bytes(w, b, 3);
}

/* Reserve an n-byte length field; w_close fills it with the bytes written since. */
static size_t w_open(struct wcur *w, size_t n)
{
    size_t at = w->len;
    static const uint8_t zero[3];
    w_bytes(w, zero, n);
    return at;
}

static void w_close(struct wcur *w, size_t at, size_t n)
{
    size_t v;

    if (w->err)
        return;
    v = w->len - at - n;
    if (v >= ((size_t)1 << (8 * n))) {
        w->err = 1;
        return;
    }
    for (size_t i = 0; i < n; i++)
        w->p[at + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

/* DTLS versions count down; map them onto the TLS scale to compare. */
static uint16_t tls_scale(uint16_t v)
{
    if (v == DTLS_V_1_0)
        return TLS_V_1_1;
    if (v == DTLS_V_1_2)
        return TLS_V_1_2;
    return v;
}

/*
 * Only names that could be DNS host names go into server_name: IP literals
 * are forbidden there (RFC 6066 §3), and anything else a user typed is not
 * worth an alert from a strict server.
 */
static int sni_usable(const char *h)
{
    size_t n, digits_dots = 0;

    if (!h)
        return 0;
    n = strlen(h);
    if (n == 0 || n > 253)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (c == '.' || (c >= '0' && c <= '9'))
            digits_dots++;
        else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_'))
            return 0;   /* ':' (IPv6), '[', '%', spaces ... */
    }
    return digits_dots != n;    /* all digits and dots: an IPv4 literal */
}

void tls_hello_opts_init(struct tls_hello_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->max_version = TLS_V_1_3;
    o->min_version = TLS_V_1_0;
}

static int has_u16(const uint16_t *v, size_t n, uint16_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return 1;
    return 0;
}

static void build_extensions(struct wcur *w, const struct tls_hello_opts *o,
                             uint16_t max, uint16_t min, size_t hs_start)
{
    const uint16_t *groups = o->groups ? o->groups : default_groups;
    size_t ngroups = o->groups ? o->ngroups : SP_ARRAY_LEN(default_groups);
    const uint16_t *sigalgs = o->sigalgs ? o->sigalgs : default_sigalgs;
    size_t nsigalgs = o->sigalgs ? o->nsigalgs : SP_ARRAY_LEN(default_sigalgs);
    int tls13 = !o->dtls && max >= TLS_V_1_3;
    size_t exts = w_open(w, 2), at, at2;

    if (sni_usable(o->sni)) {
        size_t n = strlen(o->sni);
        w_u16(w, 0);                        /* server_name */
        w_u16(w, n + 5);
        w_u16(w, n + 3);                    /* server_name_list */
        w_u8(w, 0);                         /* host_name */
        w_u16(w, n);
        w_bytes(w, o->sni, n);
    }
    if (!(o->flags & TLS_HELLO_NO_GROUPS) && ngroups > 0) {
        w_u16(w, 11);                       /* ec_point_formats: uncompressed */
        w_u16(w, 2);
        w_u8(w, 1);
        w_u8(w, 0);
        w_u16(w, 10);                       /* supported_groups */
        at = w_open(w, 2);
        at2 = w_open(w, 2);
        for (size_t i = 0; i < ngroups; i++)
            w_u16(w, groups[i]);
        w_close(w, at2, 2);
        w_close(w, at, 2);
    }
    /* RFC 5246 §7.4.1.4.1: only a client offering TLS 1.2 may send signature_algorithms. */
    if (!(o->flags & TLS_HELLO_NO_SIGALGS) && tls_scale(max) >= TLS_V_1_2 && nsigalgs > 0) {
        w_u16(w, 13);
        at = w_open(w, 2);
        at2 = w_open(w, 2);
        for (size_t i = 0; i < nsigalgs; i++)
            w_u16(w, sigalgs[i]);
        w_close(w, at2, 2);
        w_close(w, at, 2);
    }
    if (!(o->flags & TLS_HELLO_NO_EMS)) {
        w_u16(w, 23);                       /* extended_master_secret */
        w_u16(w, 0);
    }
    if (tls13) {
        uint8_t share[32];

        w_u16(w, 43);                       /* supported_versions, highest first */
        at = w_open(w, 2);
        at2 = w_open(w, 1);
        for (unsigned v = max; v >= min && v >= TLS_V_SSL3; v--)
            w_u16(w, v);
        w_close(w, at2, 1);
        w_close(w, at, 2);

        w_u16(w, 45);                       /* psk_key_exchange_modes: psk_dhe_ke */
        w_u16(w, 2);
        w_u8(w, 1);
        w_u8(w, 1);

        /*
         * key_share: x25519 accepts any 32 bytes as a public key, so random
         * bytes draw a real ServerHello; we never finish the handshake. If
         * x25519 is not offered, an empty share list asks for a
         * HelloRetryRequest, which names the server's group.
         */
        w_u16(w, 51);
        at = w_open(w, 2);
        at2 = w_open(w, 2);
        if (has_u16(groups, ngroups, TLS_GROUP_X25519) && !(o->flags & TLS_HELLO_NO_GROUPS)) {
            if (wire_random(share, sizeof(share)) != 0)
                w->err = 1;
            w_u16(w, TLS_GROUP_X25519);
            w_u16(w, sizeof(share));
            w_bytes(w, share, sizeof(share));
        }
        w_close(w, at2, 2);
        w_close(w, at, 2);
    }
    /*
     * RFC 7685: some TLS terminators hang on a ClientHello of 256..511 bytes;
     * pad it to 512. DTLS hellos are left alone: they must fit a datagram
     * and the bug is a TCP load balancer's.
     */
    if (!o->dtls && !(o->flags & TLS_HELLO_NO_PADDING) && !w->err) {
        size_t hs_len = w->len - hs_start;
        if (hs_len >= 256 - 4 && hs_len < 512) {
            size_t pad = 512 - hs_len;
            pad = pad >= 4 ? pad - 4 : 0;
            w_u16(w, 21);
            w_u16(w, pad);
            for (size_t i = 0; i < pad; i++)
                w_u8(w, 0);
        }
    }
    w_close(w, exts, 2);
}

size_t tls_build_client_hello(uint8_t *buf, size_t cap, const struct tls_hello_opts *o)
{
    struct wcur w = {.p = buf, .cap = cap};
    uint16_t max = o->max_version, min = o->min_version;
    uint16_t rec_ver, hello_ver;
    uint8_t rnd[32], sid[32];
    const uint8_t *session_id = o->session_id;
    size_t sid_len = o->session_id_len, nsuites = 0;
    size_t rec_len_at, hs_start, hs_len_at, suites_at;
    int tls13, no_ext;

    if (o->dtls) {
        if ((max != DTLS_V_1_0 && max != DTLS_V_1_2) || (min != DTLS_V_1_0 && min != DTLS_V_1_2))
            return 0;
    } else if (max < TLS_V_SSL3 || max > TLS_V_1_3 || min < TLS_V_SSL3 || min > TLS_V_1_3) {
        return 0;
    }
    if (tls_scale(min) > tls_scale(max) || o->cookie_len > 255 || sid_len > 32 ||
        (o->suites && (o->nsuites == 0 || o->nsuites > TLS_HELLO_MAX_SUITES)))
        return 0;
    tls13 = !o->dtls && max >= TLS_V_1_3;
    no_ext = (o->flags & TLS_HELLO_NO_EXTENSIONS) || max == TLS_V_SSL3;
    if (o->dtls)
        rec_ver = o->record_version ? o->record_version : DTLS_V_1_0;
    else
        rec_ver = o->record_version ? o->record_version : (max == TLS_V_SSL3 ? TLS_V_SSL3 : TLS_V_1_0);
    /* TLS 1.3 is negotiated in supported_versions; the legacy field stays 1.2 (RFC 8446 §4.1.2). */
    hello_ver = tls13 ? TLS_V_1_2 : max;

    if (o->random) {
        memcpy(rnd, o->random, sizeof(rnd));
    } else if (wire_random(rnd, sizeof(rnd)) != 0) {
        return 0;
    }
    if (!session_id && tls13) {
        /* RFC 8446 D.4: a non-empty session id keeps middleboxes quiet. */
        if (wire_random(sid, sizeof(sid)) != 0)
            return 0;
        session_id = sid;
        sid_len = sizeof(sid);
    }

    w_u8(&w, TLS_CT_HANDSHAKE);
    w_u16(&w, rec_ver);
    if (o->dtls) {
        w_u16(&w, 0);                               /* epoch */
        w_u16(&w, (unsigned)(o->record_seq >> 32) & 0xffff);
        w_u16(&w, (unsigned)(o->record_seq >> 16) & 0xffff);
        w_u16(&w, (unsigned)o->record_seq & 0xffff);
    }
    rec_len_at = w_open(&w, 2);
    hs_start = w.len;
    w_u8(&w, TLS_HS_CLIENT_HELLO);
    hs_len_at = w_open(&w, 3);
    if (o->dtls) {
        w_u16(&w, o->message_seq);
        w_u24(&w, 0);                               /* fragment_offset */
        w_open(&w, 3);                              /* fragment_length: filled below */
    }
    w_u16(&w, hello_ver);
    w_bytes(&w, rnd, sizeof(rnd));
    w_u8(&w, sid_len);
    w_bytes(&w, session_id, sid_len);
    if (o->dtls) {
        w_u8(&w, o->cookie_len);
        w_bytes(&w, o->cookie, o->cookie_len);
    }
    suites_at = w_open(&w, 2);
    if (o->suites) {
        for (size_t i = 0; i < o->nsuites; i++)
            w_u16(&w, o->suites[i]);
        nsuites = o->nsuites;
    } else {
        for (size_t i = 0; i < SP_ARRAY_LEN(suite_table); i++) {
            const struct tls_suite_info *s = &suite_table[i];
            if (s->min_version > tls_scale(max) || s->max_version < tls_scale(min))
                continue;
            if (o->dtls && (s->flags & TLS_SUITE_STREAM))
                continue;
            w_u16(&w, s->id);
            nsuites++;
        }
    }
    if (nsuites == 0)
        return 0;
    if (!(o->flags & TLS_HELLO_NO_RENEG_SCSV))
        w_u16(&w, TLS_SCSV_EMPTY_RENEGOTIATION);
    if (o->flags & TLS_HELLO_FALLBACK_SCSV)
        w_u16(&w, TLS_SCSV_FALLBACK);
    w_close(&w, suites_at, 2);
    w_u8(&w, 1);                                    /* compression: null only */
    w_u8(&w, 0);
    if (!no_ext)
        build_extensions(&w, o, max, min, hs_start);
    w_close(&w, hs_len_at, 3);
    if (o->dtls && !w.err) {
        /* Unfragmented: fragment_length equals the body length. */
        size_t body = w.len - hs_start - 12;
        w.p[hs_start + 9] = (uint8_t)(body >> 16);
        w.p[hs_start + 10] = (uint8_t)(body >> 8);
        w.p[hs_start + 11] = (uint8_t)body;
        /* The handshake length counts the body only, not the DTLS extra header. */
        w.p[hs_len_at] = (uint8_t)(body >> 16);
        w.p[hs_len_at + 1] = (uint8_t)(body >> 8);
        w.p[hs_len_at + 2] = (uint8_t)body;
    }
    w_close(&w, rec_len_at, 2);
    if (w.err || w.len - hs_start > TLS_RECORD_MAX)
        return 0;
    return w.len;
}

/* ---- parser ----------------------------------------------------------- */

/* A read cursor that cannot run past its end. */
struct rcur {
    const uint8_t *p;
    size_t len;
    size_t off;
};

static int r_need(const struct rcur *r, size_t n)
{
    return n <= r->len - r->off;
}

static int r_u8(struct rcur *r, uint8_t *v)
{
    if (!r_need(r, 1))
        return -1;
    *v = r->p[r->off++];
    return 0;
}

static int r_u16(struct rcur *r, uint16_t *v)
{
    if (!r_need(r, 2))
        return -1;
    *v = (uint16_t)(r->p[r->off] << 8 | r->p[r->off + 1]);
    r->off += 2;
    return 0;
}

static int r_u24(struct rcur *r, uint32_t *v)
{
    if (!r_need(r, 3))
        return -1;
    *v = (uint32_t)r->p[r->off] << 16 | (uint32_t)r->p[r->off + 1] << 8 | r->p[r->off + 2];
    r->off += 3;
    return 0;
}

static int r_skip(struct rcur *r, size_t n)
{
    if (!r_need(r, n))
        return -1;
    r->off += n;
    return 0;
}

static int fail(struct tls_server_hello *out, const char *why, int truncated)
{
    out->why = why;
    out->truncated = truncated;
    return SP_ERR_PARSE;
}

static int version_ok(uint16_t v, int dtls)
{
    if (dtls)
        return v >= 0xfefc;     /* DTLS 1.3 .. 1.0 */
    return v >= TLS_V_SSL3 && v <= TLS_V_1_3;
}

/* Extensions of a ServerHello: only what enumeration needs is kept. */
static int parse_sh_extensions(struct rcur *r, struct tls_server_hello *out)
{
    uint16_t total;
    size_t end;

    if (r->off == r->len)
        return 0;       /* no extensions at all: allowed before TLS 1.3 */
    if (r_u16(r, &total) != 0)
        return fail(out, "ServerHello extensions length cut short", 0);
    if (total != r->len - r->off)
        return fail(out, "ServerHello extensions length does not match the message", 0);
    end = r->off + total;
    while (r->off < end) {
        uint16_t type, elen;
        struct rcur e;

        if (r_u16(r, &type) != 0 || r_u16(r, &elen) != 0 || !r_need(r, elen))
            return fail(out, "ServerHello extension overruns the message", 0);
        e.p = r->p + r->off;
        e.len = elen;
        e.off = 0;
        r->off += elen;
        switch (type) {
        case 43:    /* supported_versions: the selected version */
            if (elen != 2 || r_u16(&e, &out->version) != 0)
                return fail(out, "malformed supported_versions", 0);
            break;
        case 51:    /* key_share: HRR names a group, a ServerHello a group and a key */
            if (r_u16(&e, &out->key_share_group) != 0)
                return fail(out, "malformed key_share", 0);
            break;
        case 0xff01:
            out->reneg_info = 1;
            break;
        case 23:
            out->ems = 1;
            break;
        default:
            break;
        }
    }
    return 0;
}

static int parse_server_hello_body(struct rcur *r, struct tls_server_hello *out)
{
    uint8_t rnd[32];

    if (r_u16(r, &out->legacy_version) != 0 || !r_need(r, 32))
        return fail(out, "ServerHello cut short", 0);
    if (!version_ok(out->legacy_version, out->dtls))
        return fail(out, "ServerHello version is not a TLS version", 0);
    memcpy(rnd, r->p + r->off, 32);
    r->off += 32;
    out->hello_retry = memcmp(rnd, hrr_random, 32) == 0;
    if (r_u8(r, &out->session_id_len) != 0)
        return fail(out, "ServerHello cut short", 0);
    if (out->session_id_len > 32)
        return fail(out, "ServerHello session id longer than 32 bytes", 0);
    if (r_skip(r, out->session_id_len) != 0 || r_u16(r, &out->cipher_suite) != 0 ||
        r_u8(r, &out->compression) != 0)
        return fail(out, "ServerHello cut short", 0);
    out->version = out->legacy_version;
    return parse_sh_extensions(r, out);
}

/*
 * TLS may split one handshake message over several records; a ServerHello
 * never needs more than a few hundred bytes, so it is reassembled into a
 * fixed buffer and anything claiming to be larger is refused.
 */
#define HS_REASSEMBLY_MAX 4096

int tls_parse_server_hello(const uint8_t *buf, size_t len, struct tls_server_hello *out)
{
    uint8_t hs[HS_REASSEMBLY_MAX];
    size_t hslen = 0, off = 0, hdr;
    uint32_t body_len = 0;
    struct rcur r;

    memset(out, 0, sizeof(*out));
    if (len < 3)
        return fail(out, "shorter than a record header", 1);
    out->record_type = buf[0];
    out->dtls = buf[1] == 0xfe;
    if (buf[1] != 3 && buf[1] != 0xfe)
        return fail(out, "not a TLS record (version major byte)", 0);
    if (buf[0] != TLS_CT_HANDSHAKE && buf[0] != TLS_CT_ALERT)
        return fail(out, "first record is neither handshake nor alert", 0);
    out->record_version = (uint16_t)(buf[1] << 8 | buf[2]);
    if (!version_ok(out->record_version, out->dtls))
        return fail(out, "record version is not a TLS version", 0);
    hdr = out->dtls ? 13 : 5;

    for (;;) {
        size_t rlen;
        const uint8_t *payload;

        if (len - off < hdr)
            return fail(out, "record header cut short", 1);
        if (off > 0 && (buf[off] != TLS_CT_HANDSHAKE || buf[off + 1] != buf[1]))
            return fail(out, "ServerHello interrupted by another record", 0);
        rlen = (size_t)buf[off + hdr - 2] << 8 | buf[off + hdr - 1];
        if (rlen == 0)
            return fail(out, "empty record", 0);
        if (rlen > TLS_RECORD_MAX)
            return fail(out, "record length beyond the TLS limit", 0);
        if (out->dtls && (buf[off + 3] | buf[off + 4]) != 0)
            return fail(out, "first DTLS record not in epoch 0", 0);
        payload = buf + off + hdr;

        if (out->record_type == TLS_CT_ALERT) {
            /* A plaintext alert is exactly two bytes; longer is encrypted or noise. */
            if (rlen != 2)
                return fail(out, "alert record is not 2 bytes", 0);
            if (len - off - hdr < 2)
                return fail(out, "alert cut short", 1);
            out->alert_level = payload[0];
            out->alert_desc = payload[1];
            if (out->alert_level != 1 && out->alert_level != 2)
                return fail(out, "alert level is neither warning nor fatal", 0);
            return 0;
        }

        if (out->dtls) {
            /* DTLS: one record, one unfragmented handshake message. */
            uint8_t type;
            uint16_t mseq;
            uint32_t hlen, foff, flen;

            r.p = payload;
            r.len = len - off - hdr < rlen ? len - off - hdr : rlen;
            r.off = 0;
            if (r_u8(&r, &type) != 0 || r_u24(&r, &hlen) != 0 || r_u16(&r, &mseq) != 0 ||
                r_u24(&r, &foff) != 0 || r_u24(&r, &flen) != 0)
                return fail(out, "DTLS handshake header cut short", r.len < rlen);
            if (foff != 0 || flen != hlen)
                return fail(out, "fragmented DTLS handshake message", 0);
            if (hlen > rlen - 12)
                return fail(out, "DTLS handshake length overruns its record", 0);
            if (r.len < 12 + (size_t)hlen)
                return fail(out, "DTLS handshake message cut short", 1);
            out->handshake_type = type;
            r.len = 12 + hlen;
            break;
        }

        /* TLS: gather this record's share of the first handshake message. */
        {
            size_t avail = len - off - hdr < rlen ? len - off - hdr : rlen;
            size_t want;

            if (hslen < 4) {
                size_t take = 4 - hslen < avail ? 4 - hslen : avail;
                memcpy(hs + hslen, payload, take);
                hslen += take;
                payload += take;
                avail -= take;
                if (hslen == 4) {
                    body_len = (uint32_t)hs[1] << 16 | (uint32_t)hs[2] << 8 | hs[3];
                    if (body_len > sizeof(hs) - 4)
                        return fail(out, "handshake message larger than a ServerHello can be", 0);
                }
            }
            if (hslen >= 4) {
                want = 4 + body_len - hslen;
                if (want > avail)
                    want = avail;
                memcpy(hs + hslen, payload, want);
                hslen += want;
                if (hslen == 4 + (size_t)body_len)
                    break;
            }
            if (len - off - hdr < rlen)
                return fail(out, "record cut short", 1);
            off += hdr + rlen;
        }
    }

    if (!out->dtls) {
        out->handshake_type = hs[0];
        r.p = hs;
        r.len = hslen;
        r.off = 4;
    } else {
        r.off = 12;
    }
    switch (out->handshake_type) {
    case TLS_HS_SERVER_HELLO:
        return parse_server_hello_body(&r, out);
    case TLS_HS_HELLO_VERIFY_REQUEST:
        if (!out->dtls)
            return fail(out, "HelloVerifyRequest outside DTLS", 0);
        if (r_u16(&r, &out->legacy_version) != 0 || r_u8(&r, &out->cookie_len) != 0 ||
            r_skip(&r, out->cookie_len) != 0)
            return fail(out, "HelloVerifyRequest cut short", 0);
        if (!version_ok(out->legacy_version, 1))
            return fail(out, "HelloVerifyRequest version is not a DTLS version", 0);
        if (r.off != r.len)
            return fail(out, "trailing bytes after HelloVerifyRequest", 0);
        out->version = out->legacy_version;
        return 0;
    default:
        return fail(out, "first handshake message is not a ServerHello", 0);
    }
}

int tls_reply_done(const uint8_t *buf, size_t len, void *arg)
{
    struct tls_server_hello sh;

    (void)arg;
    return tls_parse_server_hello(buf, len, &sh) == 0 || !sh.truncated;
}

/* ---- suite classes ------------------------------------------------------ */

/*
 * Classes come from the IANA name, which spells out key exchange, cipher and
 * MAC: one rule per class, and a suite the table does not know yet still
 * classifies once its name is added.
 */
static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

unsigned tls_suite_classes(const char *name)
{
    unsigned c = 0;
    int tls13;

    if (!name)
        return 0;
    tls13 = strncmp(name, "TLS_", 4) == 0 && !strstr(name, "_WITH_");
    if (strstr(name, "_WITH_NULL_") || strcmp(name, "TLS_NULL_WITH_NULL_NULL") == 0)
        c |= TLS_CLASS_NULL;
    if (strstr(name, "EXPORT"))
        c |= TLS_CLASS_EXPORT;
    if (strstr(name, "_anon_"))
        c |= TLS_CLASS_ANON;
    if (strstr(name, "_RC4_"))
        c |= TLS_CLASS_RC4;
    if (strstr(name, "_DES_CBC_") || strstr(name, "_DES40_"))
        c |= TLS_CLASS_DES;
    if (strstr(name, "_3DES_"))
        c |= TLS_CLASS_3DES;
    if (ends_with(name, "_MD5"))
        c |= TLS_CLASS_MD5;
    if (strstr(name, "_CBC_"))
        c |= TLS_CLASS_CBC;
    if (strstr(name, "_GCM_") || strstr(name, "_CCM") || strstr(name, "_CHACHA20_POLY1305_"))
        c |= TLS_CLASS_AEAD;
    if (!tls13 && strncmp(name, "TLS_ECDHE_", 10) != 0 && strncmp(name, "TLS_DHE_", 8) != 0)
        c |= TLS_CLASS_NOPFS;
    if (strstr(name, "PSK"))
        c |= TLS_CLASS_PSK;
    if (strncmp(name, "TLS_DHE_", 8) == 0)
        c |= TLS_CLASS_DHE;
    return c;
}

const char *tls_class_name(unsigned bit)
{
    switch (bit) {
    case TLS_CLASS_NULL: return "NULL";
    case TLS_CLASS_EXPORT: return "EXPORT";
    case TLS_CLASS_ANON: return "anon";
    case TLS_CLASS_RC4: return "RC4";
    case TLS_CLASS_DES: return "DES";
    case TLS_CLASS_3DES: return "3DES";
    case TLS_CLASS_MD5: return "MD5";
    case TLS_CLASS_CBC: return "CBC";
    case TLS_CLASS_AEAD: return "AEAD";
    case TLS_CLASS_NOPFS: return "non-PFS";
    case TLS_CLASS_PSK: return "PSK";
    case TLS_CLASS_DHE: return "DHE";
    default: return NULL;
    }
}

/* ---- the server's first flight ------------------------------------------ */

static int flight_fail(struct tls_flight *f, const char *why, int truncated)
{
    f->why = why;
    f->truncated = truncated;
    return SP_ERR_PARSE;
}

/*
 * DTLS handshake fragments of one record, appended to the TLS-shaped stream
 * (4-byte header + body) in hs. Fragments are taken in order; a
 * retransmitted message or fragment already held is skipped, a gap ends the
 * reassembly (the message is then incomplete, which the caller sees).
 */
struct dtls_reasm {
    long seq;               /* message_seq of the message being filled, -1 none */
    size_t body_at;         /* where its body starts in hs */
    uint32_t total, got;
    int gap;
};

static int dtls_take_record(const uint8_t *p, size_t n, uint8_t *hs, size_t hscap, size_t *hslen,
                            struct dtls_reasm *d, struct tls_flight *f)
{
    struct rcur r = {.p = p, .len = n, .off = 0};

    while (r.off < r.len) {
        uint8_t type;
        uint16_t seq;
        uint32_t hlen, foff, flen;

        if (r_u8(&r, &type) != 0 || r_u24(&r, &hlen) != 0 || r_u16(&r, &seq) != 0 ||
            r_u24(&r, &foff) != 0 || r_u24(&r, &flen) != 0)
            return flight_fail(f, "DTLS handshake header cut short", 0);
        if (!r_need(&r, flen) || (uint64_t)foff + flen > hlen)
            return flight_fail(f, "DTLS handshake fragment overruns its record or message", 0);
        if ((long)seq < d->seq || d->gap) {
            r.off += flen;              /* retransmission, or past a gap */
            continue;
        }
        if ((long)seq > d->seq) {
            if (d->seq >= 0 && d->got < d->total) {
                d->gap = 1;             /* a new message before the last was complete */
                r.off += flen;
                continue;
            }
            if (4 + (size_t)hlen > hscap - *hslen)
                return flight_fail(f, "handshake flight larger than the reassembly buffer", 0);
            hs[*hslen] = type;
            hs[*hslen + 1] = (uint8_t)(hlen >> 16);
            hs[*hslen + 2] = (uint8_t)(hlen >> 8);
            hs[*hslen + 3] = (uint8_t)hlen;
            d->body_at = *hslen + 4;
            *hslen += 4 + hlen;
            d->seq = seq;
            d->total = hlen;
            d->got = 0;
        }
        if (hlen != d->total)
            return flight_fail(f, "DTLS fragments disagree on the message length", 0);
        if (foff <= d->got && foff + flen > d->got) {
            uint32_t skip = d->got - foff;
            memcpy(hs + d->body_at + d->got, r.p + r.off + skip, flen - skip);
            d->got = foff + flen;
        } else if (foff > d->got) {
            d->gap = 1;
        }
        r.off += flen;
    }
    return 0;
}

int tls_parse_flight(const uint8_t *buf, size_t len, uint8_t *hs, size_t hscap,
                     struct tls_flight *f)
{
    size_t off = 0, hslen = 0, valid, hdr, mo;
    struct dtls_reasm d = {.seq = -1};
    int rc;

    memset(f, 0, sizeof(*f));
    if (len < 3)
        return flight_fail(f, "shorter than a record header", 1);
    if (buf[1] != 3 && buf[1] != 0xfe)
        return flight_fail(f, "not a TLS record (version major byte)", 0);
    f->dtls = buf[1] == 0xfe;
    hdr = f->dtls ? 13 : 5;

    while (!f->stopped) {
        size_t rlen, avail;
        uint8_t type;

        if (len - off == 0)
            break;
        if (len - off < hdr) {
            f->truncated = 1;
            break;
        }
        type = buf[off];
        if (buf[off + 1] != buf[1])
            return flight_fail(f, "record version changes within the flight", 0);
        rlen = (size_t)buf[off + hdr - 2] << 8 | buf[off + hdr - 1];
        if (rlen > TLS_RECORD_MAX)
            return flight_fail(f, "record length beyond the TLS limit", 0);
        avail = len - off - hdr;
        if (avail < rlen) {
            f->truncated = 1;
            break;
        }
        switch (type) {
        case TLS_CT_ALERT:
            if (rlen != 2)
                return flight_fail(f, "alert record is not 2 bytes", 0);
            f->alert = 1;
            f->alert_level = buf[off + hdr];
            f->alert_desc = buf[off + hdr + 1];
            f->stopped = 1;
            break;
        case TLS_CT_HANDSHAKE:
            if (f->dtls && (buf[off + 3] | buf[off + 4]) != 0) {
                f->stopped = 1;         /* epoch 1: encrypted from here */
                break;
            }
            if (f->dtls) {
                rc = dtls_take_record(buf + off + hdr, rlen, hs, hscap, &hslen, &d, f);
                if (rc != 0)
                    return rc;
            } else {
                if (rlen > hscap - hslen)
                    return flight_fail(f, "handshake flight larger than the reassembly buffer", 0);
                memcpy(hs + hslen, buf + off + hdr, rlen);
                hslen += rlen;
            }
            break;
        case TLS_CT_CHANGE_CIPHER_SPEC:
        case TLS_CT_APPLICATION_DATA:
            f->stopped = 1;             /* the rest is encrypted (TLS 1.3, resumption) */
            break;
        default:
            return flight_fail(f, "record of unknown content type", 0);
        }
        off += hdr + rlen;
    }

    /* Only complete messages count; in DTLS the last one may still be filling. */
    valid = hslen;
    if (f->dtls && d.seq >= 0 && d.got < d.total)
        valid = d.body_at - 4;
    mo = 0;
    while (mo < valid) {
        uint32_t mlen;
        struct rcur r;

        if (valid - mo < 4) {
            f->truncated = 1;
            break;
        }
        mlen = (uint32_t)hs[mo + 1] << 16 | (uint32_t)hs[mo + 2] << 8 | hs[mo + 3];
        if (mlen > hscap)
            return flight_fail(f, "handshake message larger than the reassembly buffer", 0);
        if (valid - mo - 4 < mlen) {
            f->truncated = 1;
            break;
        }
        r.p = hs + mo + 4;
        r.len = mlen;
        r.off = 0;
        switch (hs[mo]) {
        case TLS_HS_SERVER_HELLO:
            if (f->have_hello)
                return flight_fail(f, "second ServerHello in one flight", 0);
            f->sh.dtls = f->dtls;
            f->sh.record_type = TLS_CT_HANDSHAKE;
            f->sh.record_version = (uint16_t)(buf[1] << 8 | buf[2]);
            f->sh.handshake_type = TLS_HS_SERVER_HELLO;
            if (parse_server_hello_body(&r, &f->sh) != 0)
                return flight_fail(f, f->sh.why, 0);
            f->have_hello = 1;
            break;
        case TLS_HS_HELLO_VERIFY_REQUEST:
            f->hello_verify = 1;
            f->stopped = 1;
            break;
        case TLS_HS_CERTIFICATE: {
            uint32_t list;
            if (!f->have_hello)
                return flight_fail(f, "Certificate before ServerHello", 0);
            if (f->sh.version == TLS_V_1_3)
                break;                  /* cannot happen in clear; ignore */
            if (r_u24(&r, &list) != 0 || list != mlen - 3)
                return flight_fail(f, "Certificate list length does not match the message", 0);
            f->certs = hs + mo + 4 + 3;
            f->certs_len = list;
            f->have_cert = 1;
            break;
        }
        case TLS_HS_CERTIFICATE_REQUEST:
            if (!f->have_hello)
                return flight_fail(f, "CertificateRequest before ServerHello", 0);
            f->cert_request = 1;
            break;
        case TLS_HS_SERVER_HELLO_DONE:
            f->hello_done = 1;
            break;
        default:
            break;
        }
        mo += 4 + (size_t)mlen;
    }
    if (!f->have_hello && !f->alert && !f->hello_verify && !f->truncated && len > 0 && f->stopped)
        return flight_fail(f, "no ServerHello before the encrypted part", 0);
    f->complete = f->hello_done || f->alert || f->hello_verify ||
                  (f->stopped && f->have_hello);
    return 0;
}

int tls_cert_next(const uint8_t *list, size_t len, size_t *off, const uint8_t **der, size_t *derlen)
{
    size_t n;

    if (*off >= len)
        return 0;
    if (len - *off < 3)
        return -1;
    n = (size_t)list[*off] << 16 | (size_t)list[*off + 1] << 8 | list[*off + 2];
    if (n == 0 || n > len - *off - 3)
        return -1;
    *der = list + *off + 3;
    *derlen = n;
    *off += 3 + n;
    return 1;
}

/* ---- identifying a port (the tables in probes/ident.c) --------------------- */

size_t tls_ident_build(uint8_t *buf, size_t cap, const char *host, long port)
{
    struct tls_hello_opts o;

    (void)port;
    tls_hello_opts_init(&o);
    o.sni = host;       /* dropped by the builder for IP literals */
    return tls_build_client_hello(buf, cap, &o);
}

static void describe_tls(struct dbuf *d, const struct tls_server_hello *sh)
{
    char tmp[8];

    if (sh->record_type == TLS_CT_ALERT) {
        dbuf_printf(d, "alert level %u desc %u (%s)", sh->alert_level, sh->alert_desc,
                  tls_alert_name(sh->alert_desc));
        dbuf_printf(d, ", record version %s", tls_version_name(sh->record_version, tmp));
    } else if (sh->handshake_type == TLS_HS_HELLO_VERIFY_REQUEST) {
        dbuf_printf(d, "HelloVerifyRequest %s, cookie %u bytes",
                  tls_version_name(sh->legacy_version, tmp), sh->cookie_len);
    } else {
        const struct tls_suite_info *si = tls_suite_find(sh->cipher_suite);

        dbuf_printf(d, "%s 0x%04x suite 0x%04x", sh->hello_retry ? "HelloRetryRequest" : "ServerHello",
                  sh->legacy_version, sh->cipher_suite);
        if (si)
            dbuf_printf(d, " (%s)", si->name);
        if (sh->version != sh->legacy_version)
            dbuf_printf(d, ", selected %s", tls_version_name(sh->version, tmp));
        if (sh->key_share_group)
            dbuf_printf(d, ", group 0x%04x", sh->key_share_group);
    }
}

int tls_ident_match(const uint8_t *buf, size_t len, struct ident_result *out)
{
    struct tls_server_hello sh;
    struct dbuf d;

    if (tls_parse_server_hello(buf, len, &sh) != 0 || sh.dtls)
        return 0;
    ident_result_init(out);
    ident_set_service(out, "tls");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    describe_tls(&d, &sh);
    return 1;
}

size_t dtls_ident_build(uint8_t *buf, size_t cap, uint16_t txid)
{
    struct tls_hello_opts o;

    tls_hello_opts_init(&o);
    o.dtls = 1;
    o.max_version = DTLS_V_1_2;
    o.min_version = DTLS_V_1_0;
    o.record_seq = txid;    /* RFC 6347 §4.2.1: a HelloVerifyRequest copies it back */
    return tls_build_client_hello(buf, cap, &o);
}

int dtls_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                      struct ident_result *out)
{
    struct tls_server_hello sh;
    struct dbuf d;

    if (tls_parse_server_hello(buf, len, &sh) != 0 || !sh.dtls ||
        (sh.record_version != DTLS_V_1_0 && sh.record_version != DTLS_V_1_2))
        return 0;
    ident_result_init(out);
    ident_set_service(out, "dtls");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    describe_tls(&d, &sh);
    /* Not required (some stacks get it wrong), but when echoed it ties the reply to us. */
    if (sh.handshake_type == TLS_HS_HELLO_VERIFY_REQUEST && reqlen >= 11 && len >= 11 &&
        memcmp(buf + 5, req + 5, 6) == 0)
        dbuf_printf(&d, ", record sequence echoed");
    return 1;
}
