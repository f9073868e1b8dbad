/*
 * test_tls.c - suite classes and the first-flight parser (tls_wire.c), as
 * tables: real shapes, then truncated, malformed and oversized ones.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "facts_json.h"
#include "probe.h"
#include "run.h"
#include "starprobe.h"
#include "tls_wire.h"
#include "unit.h"

static void test_suite_classes(void)
{
    static const struct {
        const char *name;
        unsigned want;
    } cases[] = {
        {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", TLS_CLASS_AEAD},
        {"TLS_AES_128_GCM_SHA256", TLS_CLASS_AEAD},
        {"TLS_CHACHA20_POLY1305_SHA256", TLS_CLASS_AEAD},
        {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", TLS_CLASS_AEAD},
        {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", TLS_CLASS_CBC},
        {"TLS_RSA_WITH_AES_128_CBC_SHA", TLS_CLASS_CBC | TLS_CLASS_NOPFS},
        {"TLS_RSA_WITH_NULL_MD5", TLS_CLASS_NULL | TLS_CLASS_MD5 | TLS_CLASS_NOPFS},
        {"TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", TLS_CLASS_EXPORT | TLS_CLASS_DES | TLS_CLASS_CBC | TLS_CLASS_NOPFS},
        {"TLS_RSA_WITH_RC4_128_MD5", TLS_CLASS_RC4 | TLS_CLASS_MD5 | TLS_CLASS_NOPFS},
        {"TLS_DH_anon_WITH_AES_128_GCM_SHA256", TLS_CLASS_ANON | TLS_CLASS_AEAD | TLS_CLASS_NOPFS},
        {"TLS_RSA_WITH_3DES_EDE_CBC_SHA", TLS_CLASS_3DES | TLS_CLASS_CBC | TLS_CLASS_NOPFS},
        {"TLS_DHE_RSA_WITH_DES_CBC_SHA", TLS_CLASS_DES | TLS_CLASS_CBC | TLS_CLASS_DHE},
        {"TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", TLS_CLASS_AEAD | TLS_CLASS_DHE},
        {"TLS_DHE_PSK_WITH_AES_128_GCM_SHA256", TLS_CLASS_PSK | TLS_CLASS_AEAD | TLS_CLASS_DHE},
        {"TLS_PSK_WITH_AES_128_CCM_8", TLS_CLASS_PSK | TLS_CLASS_AEAD | TLS_CLASS_NOPFS},
        {"TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA", TLS_CLASS_PSK | TLS_CLASS_CBC},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unsigned got = tls_suite_classes(cases[i].name);
        if (got != cases[i].want)
            fprintf(stderr, "\n%s: classes 0x%x, want 0x%x\n", cases[i].name, got, cases[i].want);
        CU_ASSERT_EQUAL(got, cases[i].want);
    }
    CU_ASSERT_STRING_EQUAL(tls_class_name(TLS_CLASS_ANON), "anon");
    CU_ASSERT_STRING_EQUAL(tls_class_name(TLS_CLASS_NOPFS), "non-PFS");
    CU_ASSERT(tls_class_name(1u << 20) == NULL);
}

static void test_suite_tables(void)
{
    size_t nd, ne;
    const struct tls_suite_info *d = tls_default_suites(&nd), *e = tls_extra_suites(&ne);

    /* No suite in both tables, every extra row well-formed and found by id. */
    for (size_t i = 0; i < ne; i++) {
        CU_ASSERT(strncmp(e[i].name, "TLS_", 4) == 0 && e[i].min_version <= e[i].max_version);
        CU_ASSERT(tls_suite_find(e[i].id) == &e[i]);
        for (size_t j = 0; j < nd; j++)
            CU_ASSERT(e[i].id != d[j].id);
        for (size_t j = i + 1; j < ne; j++)
            CU_ASSERT(e[i].id != e[j].id);
    }
    /* The default hello never offers a forbidden class but the legacy rows it documents. */
    for (size_t j = 0; j < nd; j++) {
        unsigned c = tls_suite_classes(d[j].name);
        CU_ASSERT(!(c & (TLS_CLASS_NULL | TLS_CLASS_EXPORT | TLS_CLASS_ANON)));
    }
}

/* Build a TLS record of type t around payload p. */
static size_t rec(uint8_t *out, uint8_t t, const uint8_t *p, size_t n)
{
    out[0] = t;
    out[1] = 3;
    out[2] = 3;
    out[3] = (uint8_t)(n >> 8);
    out[4] = (uint8_t)n;
    memcpy(out + 5, p, n);
    return 5 + n;
}

/* A handshake message of type t with body b. */
static size_t hsmsg(uint8_t *out, uint8_t t, const uint8_t *b, size_t n)
{
    out[0] = t;
    out[1] = (uint8_t)(n >> 16);
    out[2] = (uint8_t)(n >> 8);
    out[3] = (uint8_t)n;
    memcpy(out + 4, b, n);
    return 4 + n;
}

static size_t server_hello_body(uint8_t *b, uint16_t suite)
{
    size_t k = 0;
    b[k++] = 3;
    b[k++] = 3;
    memset(b + k, 0x11, 32);
    k += 32;
    b[k++] = 0;                 /* session id */
    b[k++] = (uint8_t)(suite >> 8);
    b[k++] = (uint8_t)suite;
    b[k++] = 0;
    return k;
}

/* ServerHello + Certificate(two certs) + ServerHelloDone, the Certificate split over two records. */
static size_t flight(uint8_t *out)
{
    uint8_t hs[2048], body[512];
    size_t h = 0, k, o = 0;

    h += hsmsg(hs + h, TLS_HS_SERVER_HELLO, body, server_hello_body(body, 0xc02f));
    k = 0;
    body[k++] = 0;
    body[k++] = 0;
    body[k++] = 3 + 10 + 3 + 5;
    body[k++] = 0; body[k++] = 0; body[k++] = 10;
    memset(body + k, 0xaa, 10);
    k += 10;
    body[k++] = 0; body[k++] = 0; body[k++] = 5;
    memset(body + k, 0xbb, 5);
    k += 5;
    h += hsmsg(hs + h, TLS_HS_CERTIFICATE, body, k);
    h += hsmsg(hs + h, TLS_HS_SERVER_HELLO_DONE, body, 0);
    o += rec(out + o, TLS_CT_HANDSHAKE, hs, 60);
    o += rec(out + o, TLS_CT_HANDSHAKE, hs + 60, h - 60);
    return o;
}

/* ServerHello + CertificateRequest + ServerHelloDone; and a CertificateRequest before any ServerHello. */
static void test_flight_cert_request(void)
{
    uint8_t hs[512], body[256], buf[1024], *work = malloc(65536);
    /* certificate_types [rsa_sign, ecdsa_sign], signature_algorithms [0x0403], no CA names */
    static const uint8_t creq[] = {2, 1, 64, 0, 2, 4, 3, 0, 0};
    struct tls_flight f;
    size_t h = 0, n;

    h += hsmsg(hs + h, TLS_HS_SERVER_HELLO, body, server_hello_body(body, 0xc02b));
    h += hsmsg(hs + h, TLS_HS_CERTIFICATE_REQUEST, creq, sizeof(creq));
    h += hsmsg(hs + h, TLS_HS_SERVER_HELLO_DONE, body, 0);
    n = rec(buf, TLS_CT_HANDSHAKE, hs, h);
    CU_ASSERT_EQUAL(tls_parse_flight(buf, n, work, 65536, &f), 0);
    CU_ASSERT(f.have_hello && f.cert_request && f.hello_done && f.complete);
    /* cut before ServerHelloDone: the request is seen, the flight is not complete */
    n = rec(buf, TLS_CT_HANDSHAKE, hs, h - 4);
    CU_ASSERT_EQUAL(tls_parse_flight(buf, n, work, 65536, &f), 0);
    CU_ASSERT(f.cert_request && !f.hello_done && !f.complete);
    h = hsmsg(hs, TLS_HS_CERTIFICATE_REQUEST, creq, sizeof(creq));
    n = rec(buf, TLS_CT_HANDSHAKE, hs, h);
    CU_ASSERT_EQUAL(tls_parse_flight(buf, n, work, 65536, &f), SP_ERR_PARSE);
    free(work);
}

static void test_flight(void)
{
    uint8_t buf[4096], *hs = malloc(65536);
    struct tls_flight f;
    size_t n = flight(buf), off = 0, dl;
    const uint8_t *der;

    CU_ASSERT_EQUAL(tls_parse_flight(buf, n, hs, 65536, &f), 0);
    CU_ASSERT(f.have_hello && f.sh.cipher_suite == 0xc02f && f.sh.version == 0x0303);
    CU_ASSERT(f.have_cert && f.hello_done && f.complete && !f.truncated);
    CU_ASSERT(!f.cert_request);
    CU_ASSERT_EQUAL(tls_cert_next(f.certs, f.certs_len, &off, &der, &dl), 1);
    CU_ASSERT(dl == 10 && der[0] == 0xaa);
    CU_ASSERT_EQUAL(tls_cert_next(f.certs, f.certs_len, &off, &der, &dl), 1);
    CU_ASSERT(dl == 5 && der[0] == 0xbb);
    CU_ASSERT_EQUAL(tls_cert_next(f.certs, f.certs_len, &off, &der, &dl), 0);

    /* Every truncation parses without error or complete: more bytes are wanted. */
    for (size_t cut = 0; cut < n; cut++) {
        int rc = tls_parse_flight(buf, cut, hs, 65536, &f);
        CU_ASSERT(rc == 0 ? !f.complete : f.truncated);
        CU_ASSERT(rc != 0 || !f.hello_done);
    }
    /* A reassembly buffer too small for the flight is an error, not an overflow. */
    CU_ASSERT_EQUAL(tls_parse_flight(buf, n, hs, 40, &f), SP_ERR_PARSE);

    /* Record length beyond the TLS limit. */
    memcpy(hs, buf, n);
    hs[3] = 0xff;
    hs[4] = 0xff;
    CU_ASSERT_EQUAL(tls_parse_flight(hs, n, hs + 8192, 4096, &f), SP_ERR_PARSE);

    /* A lying certificate_list length. */
    {
        uint8_t body[64], m[128], r[256];
        size_t k;
        memset(body, 0, sizeof(body));
        body[2] = 50;           /* claims 50, carries 10 */
        k = hsmsg(m, TLS_HS_SERVER_HELLO, body + 20, server_hello_body(body + 20, 0x002f));
        k += hsmsg(m + k, TLS_HS_CERTIFICATE, body, 13);
        k = rec(r, TLS_CT_HANDSHAKE, m, k);
        CU_ASSERT_EQUAL(tls_parse_flight(r, k, hs, 65536, &f), SP_ERR_PARSE);
    }
    /* An alert alone. */
    {
        const uint8_t a[] = {21, 3, 3, 0, 2, 2, 70};
        CU_ASSERT_EQUAL(tls_parse_flight(a, sizeof(a), hs, 65536, &f), 0);
        CU_ASSERT(f.alert && f.alert_desc == 70 && f.complete && !f.have_hello);
        const uint8_t b[] = {21, 3, 3, 0, 3, 2, 70, 0};
        CU_ASSERT_EQUAL(tls_parse_flight(b, sizeof(b), hs, 65536, &f), SP_ERR_PARSE);
    }
    /* Not TLS at all; unknown content type. */
    {
        const uint8_t h[] = "HTTP/1.1 400 Bad Request\r\n";
        const uint8_t u[] = {99, 3, 3, 0, 1, 0};
        CU_ASSERT_EQUAL(tls_parse_flight(h, sizeof(h) - 1, hs, 65536, &f), SP_ERR_PARSE);
        CU_ASSERT_EQUAL(tls_parse_flight(u, sizeof(u), hs, 65536, &f), SP_ERR_PARSE);
    }
    /* Certificate list entries: zero length and overrun are malformed. */
    {
        const uint8_t z[] = {0, 0, 0};
        const uint8_t over[] = {0, 0, 9, 1, 2};
        off = 0;
        CU_ASSERT_EQUAL(tls_cert_next(z, sizeof(z), &off, &der, &dl), -1);
        off = 0;
        CU_ASSERT_EQUAL(tls_cert_next(over, sizeof(over), &off, &der, &dl), -1);
        off = 0;
        CU_ASSERT_EQUAL(tls_cert_next(over, 2, &off, &der, &dl), -1);
    }
    free(hs);
}

/* DTLS: a HelloVerifyRequest; a ServerHello in two in-order fragments; a retransmission. */
static size_t drec(uint8_t *out, uint16_t epoch, const uint8_t *p, size_t n)
{
    memset(out, 0, 13);
    out[0] = TLS_CT_HANDSHAKE;
    out[1] = 0xfe;
    out[2] = 0xfd;
    out[3] = (uint8_t)(epoch >> 8);
    out[4] = (uint8_t)epoch;
    out[11] = (uint8_t)(n >> 8);
    out[12] = (uint8_t)n;
    memcpy(out + 13, p, n);
    return 13 + n;
}

static size_t dfrag(uint8_t *out, uint8_t type, uint16_t seq, uint32_t total, uint32_t foff,
                    const uint8_t *b, uint32_t flen)
{
    out[0] = type;
    out[1] = (uint8_t)(total >> 16); out[2] = (uint8_t)(total >> 8); out[3] = (uint8_t)total;
    out[4] = (uint8_t)(seq >> 8); out[5] = (uint8_t)seq;
    out[6] = (uint8_t)(foff >> 16); out[7] = (uint8_t)(foff >> 8); out[8] = (uint8_t)foff;
    out[9] = (uint8_t)(flen >> 16); out[10] = (uint8_t)(flen >> 8); out[11] = (uint8_t)flen;
    memcpy(out + 12, b, flen);
    return 12 + flen;
}

static void test_dtls_flight(void)
{
    uint8_t *hs = malloc(65536), body[128], m[256], buf[1024];
    struct tls_flight f;
    size_t bl, k, o;
    const uint8_t hvr[] = {0xfe, 0xff, 4, 1, 2, 3, 4};

    k = dfrag(m, TLS_HS_HELLO_VERIFY_REQUEST, 0, sizeof(hvr), 0, hvr, sizeof(hvr));
    o = drec(buf, 0, m, k);
    CU_ASSERT_EQUAL(tls_parse_flight(buf, o, hs, 65536, &f), 0);
    CU_ASSERT(f.dtls && f.hello_verify && f.complete && hs[6] == 4);

    bl = server_hello_body(body, 0xc0a8);
    body[0] = 0xfe;
    body[1] = 0xfd;
    o = 0;
    k = dfrag(m, TLS_HS_SERVER_HELLO, 1, (uint32_t)bl, 0, body, 20);
    o += drec(buf + o, 0, m, k);
    k = dfrag(m, TLS_HS_SERVER_HELLO, 1, (uint32_t)bl, 10, body + 10, (uint32_t)bl - 10); /* overlaps */
    o += drec(buf + o, 0, m, k);
    k = dfrag(m, TLS_HS_SERVER_HELLO, 1, (uint32_t)bl, 0, body, (uint32_t)bl);          /* retransmitted */
    o += drec(buf + o, 0, m, k);
    k = dfrag(m, TLS_HS_SERVER_HELLO_DONE, 2, 0, 0, body, 0);
    o += drec(buf + o, 0, m, k);
    CU_ASSERT_EQUAL(tls_parse_flight(buf, o, hs, 65536, &f), 0);
    CU_ASSERT(f.have_hello && f.sh.cipher_suite == 0xc0a8 && f.sh.version == 0xfefd && f.hello_done);

    /* A fragment claiming more than the message: malformed. */
    k = dfrag(m, TLS_HS_SERVER_HELLO, 1, 10, 5, body, 20);
    o = drec(buf, 0, m, k);
    CU_ASSERT_EQUAL(tls_parse_flight(buf, o, hs, 65536, &f), SP_ERR_PARSE);
    /* A gap: the message stays incomplete, nothing is invented. */
    k = dfrag(m, TLS_HS_SERVER_HELLO, 1, (uint32_t)bl, 20, body + 20, (uint32_t)bl - 20);
    o = drec(buf, 0, m, k);
    CU_ASSERT_EQUAL(tls_parse_flight(buf, o, hs, 65536, &f), 0);
    CU_ASSERT(!f.have_hello && !f.complete);
    /* An encrypted (epoch 1) record before any ServerHello is malformed. */
    o = drec(buf, 1, m, k);
    CU_ASSERT_EQUAL(tls_parse_flight(buf, o, hs, 65536, &f), SP_ERR_PARSE);
    CU_ASSERT(f.stopped && !f.have_hello);
    free(hs);
}

/*
 * Coverage: a TLS service the TLS step never reached (no facts: the run
 * deadline came first) leaves all three checks INCONCLUSIVE, never PASS or
 * NOT_APPLICABLE, and names the service as not examined. A device whose only
 * services are not TLS, after a complete scan, is NOT_APPLICABLE: the rows
 * tell the two apart.
 */
static void test_coverage(void)
{
    static const char yaml[] =
        "profile: t\nlevel: 1\nrequirements:\n"
        "  - {id: V, title: v, assess: probe, checks: [{probe: tls.versions}]}\n"
        "  - {id: C, title: c, assess: probe, checks: [{probe: tls.ciphers}]}\n"
        "  - {id: K, title: k, assess: probe, checks: [{probe: tls.certificate}]}\n";
    static const struct {
        const char *what;
        const char *names[2];   /* services, none with TLS facts */
        enum sp_verdict want;
        const char *not_examined; /* service named as not examined, or NULL */
    } rows[] = {
        {"an https service not reached", {"https", NULL}, V_INCONCLUSIVE, "tcp/443"},
        {"an mqtts service not reached, beside plain http", {"http", "mqtts"}, V_INCONCLUSIVE, "tcp/8443"},
        {"no TLS service at all, complete scan", {"http", "ssh"}, V_NOT_APPLICABLE, NULL},
        /* An unidentified port may be TLS that did not show itself in time. */
        {"an unidentified service beside plain http", {"http", "unknown"}, V_INCONCLUSIVE, "tcp/8443"},
    };
    static const long ports[2] = {443, 8443};
    const struct probe *pr = probe_find("tls.versions");
    struct profile p;

    CU_ASSERT_FATAL(pr != NULL);
    CU_ASSERT_EQUAL_FATAL(unit_profile_text(yaml, &p), 0);
    for (size_t i = 0; i < SP_ARRAY_LEN(rows); i++) {
        struct run r;

        unit_scanned_run(&r, &p);
        for (size_t k = 0; k < 2 && rows[i].names[k]; k++)
            sp_strlcpy(run_add_service(&r, ports[k], T_TCP)->name, rows[i].names[k], 32);
        run_judge(&r);
        CU_ASSERT_EQUAL_FATAL(r.nresults, 3);
        for (size_t q = 0; q < 3; q++) {
            const struct check_result *c = &r.results[q].checks[0];
            int named = 0;
            for (size_t k = 0; k < c->nev; k++)
                named |= rows[i].not_examined && c->ev[k].service &&
                         strcmp(c->ev[k].service, rows[i].not_examined) == 0 &&
                         strstr(c->ev[k].detail, "not examined") != NULL;
            if (c->verdict != rows[i].want)
                fprintf(stderr, "\ntls coverage '%s' %s: %s (%s)\n", rows[i].what, c->check->probe->name,
                        verdict_name(c->verdict), c->reason);
            CU_ASSERT_EQUAL(c->verdict, rows[i].want);
            CU_ASSERT(rows[i].not_examined == NULL || named);
        }
        run_free(&r);
    }
    profile_free(&p);
}

/* ---- the facts' JSON form (reports/facts_json.c) ---- */

#define CERT_FULL                                                                              \
    "{\"subject\":\"CN=device.local\",\"issuer\":\"CN=device.local\","                          \
    "\"san\":[\"DNS:device.local\",\"IP:127.0.0.1\"],\"key_type\":\"EC\",\"curve\":\"secp256r1\"," \
    "\"key_bits\":256,\"signature_algorithm\":\"ecdsa-with-SHA256\",\"signature_hash\":\"sha256\"," \
    "\"not_before\":\"2026-01-01T00:00:00Z\",\"not_after\":\"2027-01-01T00:00:00Z\","             \
    "\"expired\":false,\"not_yet_valid\":false,\"self_signed\":true,\"chain_length\":1,"        \
    "\"obtained_with\":\"starprobe handshake read (TLSv1.2, Certificate message in clear)\"}"

/* Shapes the gatherer writes: each must come back from parse then write exactly as it was. */
static const char *const codec_rows[] = {
    "{\"versions\":[\"TLSv1.2\",\"TLSv1.3\"],"
    "\"ciphers\":{\"TLSv1.2\":[\"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\",\"0x00ff\"],"
    "\"TLSv1.3\":[\"TLS_AES_128_GCM_SHA256\"]},"
    "\"results\":{\"SSLv3\":{\"result\":\"refused\",\"detail\":\"alert 40\"},"
    "\"TLSv1.2\":{\"result\":\"accepted\",\"detail\":\"ServerHello TLSv1.2\"},"
    "\"TLSv1.3\":{\"result\":\"accepted\",\"detail\":\"ServerHello TLSv1.3\","
    "\"ciphers_incomplete\":\"the run deadline passed during suite enumeration\"}},"
    "\"incomplete\":[\"TLSv1.3\"],\"protocol\":\"TLS\",\"certificate\":" CERT_FULL ","
    "\"client_certificate\":\"not requested\",\"client_certificate_detail\":\"TLSv1.2 first flight\","
    "\"declared_ca\":{\"ca_file\":\"ca.pem\",\"result\":\"does not chain\",\"detail\":\"not trusted\"},"
    "\"handshakes\":12}",
    "{\"versions\":[\"DTLSv1.2\"],\"ciphers\":{\"DTLSv1.2\":[\"TLS_PSK_WITH_AES_128_CCM_8\"]},"
    "\"results\":{\"DTLSv1.0\":{\"result\":\"unknown\",\"detail\":\"no answer\"},"
    "\"DTLSv1.2\":{\"result\":\"accepted\",\"detail\":\"ServerHello DTLSv1.2\"}},"
    "\"incomplete\":[\"DTLSv1.0\"],\"protocol\":\"DTLS\",\"authentication\":\"psk\","
    "\"client_certificate\":\"unknown\",\"client_certificate_detail\":\"no first flight\","
    "\"handshakes\":3}",
    "{\"versions\":[],\"ciphers\":{},\"results\":{\"TLSv1.2\":{\"result\":\"refused\",\"detail\":\"closed\"}},"
    "\"incomplete\":[],\"protocol\":\"TLS\",\"certificate\":{\"error\":\"the server sent no certificate\","
    "\"obtained_with\":\"w\"},\"declared_ca\":{\"ca_file\":\"x.pem\",\"result\":\"error\",\"detail\":\"unreadable\"},"
    "\"handshakes\":1}",
    "{\"versions\":[\"TLSv1.3\"],\"ciphers\":{\"TLSv1.3\":[]},\"results\":{},\"incomplete\":[],"
    "\"protocol\":\"TLS\",\"certificate_error\":\"handshake failed\",\"handshakes\":0}",
};

/* Wrong types and unknown names are refused, naming the member. */
static const struct unit_bad_facts codec_bad[] = {
    {"7", "not an object"},
    {"{\"results\":[]}", "tls.results"},
    {"{\"results\":{\"TLSv1.2\":{\"result\":\"maybe\"}}}", "tls.results[].result"},
    {"{\"results\":{\"TLSv1.2\":\"accepted\"}}", "tls.results"},
    {"{\"ciphers\":{\"TLSv1.2\":\"RC4\"}}", "tls.ciphers.TLSv1.2"},
    {"{\"protocol\":\"SSL\"}", "tls.protocol"},
    {"{\"authentication\":\"password\"}", "tls.authentication"},
    {"{\"certificate\":{\"key_bits\":\"many\"}}", "tls.certificate.key_bits"},
    {"{\"certificate\":{\"expired\":\"yes\"}}", "tls.certificate.expired"},
    {"{\"certificate\":[]}", "tls.certificate"},
    {"{\"declared_ca\":{\"result\":\"fine\"}}", "tls.declared_ca.result"},
    {"{\"client_certificate\":true}", "tls.client_certificate"},
    {"{\"handshakes\":-2}", "tls.handshakes"},
};

static void test_facts_codec(void)
{
    unit_facts_round_trip("tls", codec_rows, SP_ARRAY_LEN(codec_rows));
    unit_facts_refused("tls", codec_bad, SP_ARRAY_LEN(codec_bad));
}

int register_tls_tests(void)
{
    CU_pSuite s = CU_add_suite("tls", NULL, NULL);

    if (!s || !CU_add_test(s, "suite classes", test_suite_classes) ||
        !CU_add_test(s, "suite tables", test_suite_tables) ||
        !CU_add_test(s, "first flight (TLS)", test_flight) ||
        !CU_add_test(s, "first flight with a CertificateRequest", test_flight_cert_request) ||
        !CU_add_test(s, "first flight (DTLS)", test_dtls_flight) ||
        !CU_add_test(s, "a TLS service not reached is never passed", test_coverage) ||
        !CU_add_test(s, "facts to JSON and back", test_facts_codec))
        return -1;
    return 0;
}
