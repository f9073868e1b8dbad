/*
 * tlscert.c - certificate facts for tls.certificate, and the one place
 * OpenSSL is used: a TLS 1.3-only server encrypts its Certificate message, so
 * reading it takes a real TLS 1.3 handshake, which mbedTLS 2.28 cannot do.
 * OpenSSL is already in the dependency set (libcoap3's OpenSSL build and
 * paho-mqtt3cs link libssl), so it costs no new library.
 *
 * Analysis is mbedTLS X.509 on DER bytes the device sent: parsing is the
 * library's, our part is reading its fields and walking the SAN extension
 * (mbedTLS 2.28 lists only dNSName and otherName SANs; devices usually carry
 * an iPAddress one).
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/asn1.h>
#include <mbedtls/ecp.h>
#include <mbedtls/error.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "starprobe.h"
#include "tlscert.h"
#include "util.h"

void tls_chain_init(struct tls_chain *c)
{
    memset(c, 0, sizeof(*c));
}

void tls_chain_free(struct tls_chain *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->der[i]);
    tls_chain_init(c);
}

void tls_chain_add(struct tls_chain *c, const uint8_t *der, size_t len)
{
    if (c->n >= TLS_CHAIN_MAX || len == 0)
        return;
    c->der[c->n] = xmalloc(len);
    memcpy(c->der[c->n], der, len);
    c->len[c->n] = len;
    c->n++;
}

static const char *md_name(mbedtls_md_type_t md)
{
    switch (md) {
    case MBEDTLS_MD_MD2: return "md2";
    case MBEDTLS_MD_MD4: return "md4";
    case MBEDTLS_MD_MD5: return "md5";
    case MBEDTLS_MD_SHA1: return "sha1";
    case MBEDTLS_MD_SHA224: return "sha224";
    case MBEDTLS_MD_SHA256: return "sha256";
    case MBEDTLS_MD_SHA384: return "sha384";
    case MBEDTLS_MD_SHA512: return "sha512";
    default: return "unknown";
    }
}

/* The names OpenSSL and testssl.sh print, so a report reads like the tools a lab knows. */
static void sig_name(const mbedtls_x509_crt *crt, char *buf, size_t len)
{
    const char *md = md_name(crt->sig_md);

    switch (crt->sig_pk) {
    case MBEDTLS_PK_RSA:
        snprintf(buf, len, "%sWithRSAEncryption", md);
        break;
    case MBEDTLS_PK_ECDSA: {
        char up[16];
        size_t i;
        for (i = 0; md[i] && i + 1 < sizeof(up); i++)
            up[i] = (char)(md[i] >= 'a' && md[i] <= 'z' ? md[i] - 32 : md[i]);
        up[i] = '\0';
        snprintf(buf, len, "ecdsa-with-%s", up);
        break;
    }
    case MBEDTLS_PK_RSASSA_PSS:
        snprintf(buf, len, "rsassaPss(%s)", md);
        break;
    default:
        if (mbedtls_x509_sig_alg_gets(buf, len, &crt->sig_oid, crt->sig_pk, crt->sig_md,
                                      crt->sig_opts) < 0)
            snprintf(buf, len, "unknown");
    }
}

static long long x509_time_epoch(const mbedtls_x509_time *t)
{
    struct tm tm;

    memset(&tm, 0, sizeof(tm));
    tm.tm_year = t->year - 1900;
    tm.tm_mon = t->mon - 1;
    tm.tm_mday = t->day;
    tm.tm_hour = t->hour;
    tm.tm_min = t->min;
    tm.tm_sec = t->sec;
    return (long long)timegm(&tm);
}

static char *x509_time_str(const mbedtls_x509_time *t)
{
    return xasprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", t->year, t->mon, t->day, t->hour, t->min,
                     t->sec);
}

/* Append one GeneralName (context tag, raw value) to the SAN list, when it is one we print. */
static void san_add(struct strv *arr, int tag, const unsigned char *p, size_t n)
{
    char b[300];

    if (tag == 2 || tag == 1 || tag == 6) {         /* dNSName, rfc822Name, URI: IA5String */
        size_t i, k = 0;
        const char *pfx = tag == 2 ? "DNS:" : tag == 1 ? "email:" : "URI:";
        k = (size_t)snprintf(b, sizeof(b), "%s", pfx);
        for (i = 0; i < n && k + 1 < sizeof(b); i++)
            b[k++] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
        b[k] = '\0';
    } else if (tag == 7 && n == 4) {                 /* iPAddress */
        snprintf(b, sizeof(b), "IP:%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
    } else if (tag == 7 && n == 16) {
        size_t k = (size_t)snprintf(b, sizeof(b), "IP:");
        for (int i = 0; i < 16; i += 2)
            k += (size_t)snprintf(b + k, sizeof(b) - k, "%s%x", i ? ":" : "", p[i] << 8 | p[i + 1]);
    } else {
        return;
    }
    strv_add(arr, b);
}

/*
 * Walk Extensions ::= SEQUENCE OF Extension looking for subjectAltName
 * (2.5.29.17). v3_ext holds either the [3] wrapper or the SEQUENCE; accept
 * both. Every length comes from mbedtls_asn1_get_tag, which bounds it.
 */
static void sans_from_ext(const mbedtls_x509_buf *v3, struct strv *arr)
{
    unsigned char *p = v3->p, *end = v3->p + v3->len;
    size_t len;

    if (!p || v3->len == 0)
        return;
    if (*p == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 3)) {
        if (mbedtls_asn1_get_tag(&p, end, &len, *p) != 0)
            return;
        end = p + len;
    }
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
        return;
    end = p + len;
    while (p < end) {
        unsigned char *ext_end, *q;
        size_t oid_len, olen, glen;
        int critical;

        if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
            return;
        ext_end = p + len;
        q = p;
        p = ext_end;
        if (mbedtls_asn1_get_tag(&q, ext_end, &oid_len, MBEDTLS_ASN1_OID) != 0)
            return;
        if (oid_len != 3 || memcmp(q, "\x55\x1d\x11", 3) != 0)
            continue;
        q += oid_len;
        (void)mbedtls_asn1_get_bool(&q, ext_end, &critical);
        if (mbedtls_asn1_get_tag(&q, ext_end, &olen, MBEDTLS_ASN1_OCTET_STRING) != 0)
            return;
        if (mbedtls_asn1_get_tag(&q, q + olen, &glen, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
            return;
        unsigned char *gend = q + glen;
        while (q < gend) {
            int tag = *q & 0x1f;
            size_t vlen;
            if (!(*q & MBEDTLS_ASN1_CONTEXT_SPECIFIC))
                return;
            if (mbedtls_asn1_get_tag(&q, gend, &vlen, *q) != 0)
                return;
            san_add(arr, tag, q, vlen);
            q += vlen;
        }
    }
}

void tls_cert_facts(const struct tls_chain *c, const char *obtained_with, long long now,
                    struct tls_cert_facts *o)
{
    mbedtls_x509_crt crt;
    char b[512];
    int rc;

    tls_cert_facts_init(o);
    mbedtls_x509_crt_init(&crt);
    if (c->n == 0) {
        o->error = xstrdup("the server sent no certificate");
        goto out;
    }
    rc = mbedtls_x509_crt_parse_der(&crt, c->der[0], c->len[0]);
    if (rc != 0) {
        char e[128];
        mbedtls_strerror(rc, e, sizeof(e));
        o->error = xasprintf("the leaf certificate (%zu bytes) does not parse: %s", c->len[0], e);
        goto out;
    }
    if (mbedtls_x509_dn_gets(b, sizeof(b), &crt.subject) < 0)
        b[0] = '\0';
    o->subject = xstrdup(b);
    if (mbedtls_x509_dn_gets(b, sizeof(b), &crt.issuer) < 0)
        b[0] = '\0';
    o->issuer = xstrdup(b);
    sans_from_ext(&crt.v3_ext, &o->san);

    switch (mbedtls_pk_get_type(&crt.pk)) {
    case MBEDTLS_PK_RSA:
    case MBEDTLS_PK_RSA_ALT:
    case MBEDTLS_PK_RSASSA_PSS:
        o->key_type = xstrdup("RSA");
        break;
    case MBEDTLS_PK_ECKEY:
    case MBEDTLS_PK_ECKEY_DH:
    case MBEDTLS_PK_ECDSA: {
        const mbedtls_ecp_curve_info *ci =
            mbedtls_ecp_curve_info_from_grp_id(mbedtls_pk_ec(crt.pk)->grp.id);
        o->key_type = xstrdup("EC");
        if (ci)
            o->curve = xstrdup(ci->name);
        break;
    }
    default:
        o->key_type = xstrdup(mbedtls_pk_get_name(&crt.pk));
    }
    o->key_bits = (long)mbedtls_pk_get_bitlen(&crt.pk);
    sig_name(&crt, b, sizeof(b));
    o->signature_algorithm = xstrdup(b);
    o->signature_hash = xstrdup(md_name(crt.sig_md));
    o->not_before = x509_time_str(&crt.valid_from);
    o->not_after = x509_time_str(&crt.valid_to);
    o->expired = x509_time_epoch(&crt.valid_to) < now;
    o->not_yet_valid = x509_time_epoch(&crt.valid_from) > now;
    /* Issuer and subject the same name: self-issued, which for a leaf means self-signed. */
    o->self_signed = crt.issuer_raw.len == crt.subject_raw.len &&
                     memcmp(crt.issuer_raw.p, crt.subject_raw.p, crt.issuer_raw.len) == 0;
    o->chain_length = (long)c->n;
out:
    o->obtained_with = xstrdup(obtained_with);
    mbedtls_x509_crt_free(&crt);
}

/* ---- verification as a client would -------------------------------------- */

/* Does an "IP:..." entry of the SAN list (sans_from_ext's form) name the address host? */
static int san_has_ip(const struct strv *san, const char *host)
{
    unsigned char want[16], got[16];
    int fam = inet_pton(AF_INET, host, want) == 1 ? AF_INET : AF_INET6;

    if (fam == AF_INET6 && inet_pton(AF_INET6, host, want) != 1)
        return 0;
    for (size_t i = 0; i < san->n; i++) {
        const char *v = san->v[i];
        if (strncmp(v, "IP:", 3) == 0 && inet_pton(fam, v + 3, got) == 1 &&
            memcmp(want, got, fam == AF_INET ? 4 : 16) == 0)
            return 1;
    }
    return 0;
}

/* mbedTLS's verify flags as one line: "text; text". */
static void verify_text(uint32_t flags, struct strbuf *sb)
{
    char b[512], *save = NULL;

    if (mbedtls_x509_crt_verify_info(b, sizeof(b), "", flags) < 0)
        snprintf(b, sizeof(b), "verification flags 0x%08x", (unsigned)flags);
    for (char *line = strtok_r(b, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        sb_printf(sb, "%s%s", sb->len ? "; " : "", line);
}

/*
 * The chain as mbedTLS certificates, the server's own first: 0, or -1 with
 * the reason in sb when there is nothing to verify (no certificate, or a leaf
 * that does not parse; a later one that does not parse is left out, and the
 * verification then says what is missing).
 */
static int chain_parse(const struct tls_chain *c, mbedtls_x509_crt *crt, struct strbuf *sb)
{
    if (c->n == 0) {
        sb_add(sb, "the server sent no certificate");
        return -1;
    }
    for (size_t i = 0; i < c->n; i++)
        if (mbedtls_x509_crt_parse_der(crt, c->der[i], c->len[i]) != 0 && i == 0) {
            sb_add(sb, "the server's certificate does not parse");
            return -1;
        }
    return 0;
}

int tls_chain_verify(const struct tls_chain *c, const char *host, const char *ca_file,
                     int *chain_ok, int *name_ok, char *why, size_t whylen)
{
    mbedtls_x509_crt crt, ca;
    unsigned char tmp[16];
    int is_ip = inet_pton(AF_INET, host, tmp) == 1 || inet_pton(AF_INET6, host, tmp) == 1;
    int rc = 0, anchors = 0;
    uint32_t flags = 0;
    struct strbuf sb;

    *chain_ok = *name_ok = 0;
    sb_init(&sb);
    mbedtls_x509_crt_init(&crt);
    mbedtls_x509_crt_init(&ca);
    if (mbedtls_x509_crt_parse_file(&ca, SP_SYSTEM_CA_BUNDLE) >= 0 && ca.raw.p)
        anchors = 1;
    if (ca_file && (mbedtls_x509_crt_parse_file(&ca, ca_file) != 0 || !ca.raw.p)) {
        snprintf(why, whylen, "the declared CA file %s does not hold PEM certificates mbedTLS can "
                 "read", ca_file);
        rc = SP_ERR_IO;
        goto cleanup;
    }
    if (!anchors && !ca_file) {
        snprintf(why, whylen, "no trust anchor: %s cannot be read and no CA file is declared",
                 SP_SYSTEM_CA_BUNDLE);
        rc = SP_ERR_IO;
        goto cleanup;
    }
    if (chain_parse(c, &crt, &sb) != 0)
        goto done;
    /* An IP address is never matched against a CN or a dNSName, so mbedTLS checks no name then. */
    mbedtls_x509_crt_verify(&crt, &ca, NULL, is_ip ? NULL : host, &flags, NULL, NULL);
    *chain_ok = (flags & ~(uint32_t)MBEDTLS_X509_BADCERT_CN_MISMATCH) == 0;
    if (!*chain_ok)
        verify_text(flags & ~(uint32_t)MBEDTLS_X509_BADCERT_CN_MISMATCH, &sb);
    if (is_ip) {
        struct strv san = {NULL, 0};
        sans_from_ext(&crt.v3_ext, &san);
        *name_ok = san_has_ip(&san, host);
        strv_free(&san);
    } else {
        *name_ok = !(flags & MBEDTLS_X509_BADCERT_CN_MISMATCH);
    }
    if (!*name_ok)
        sb_printf(&sb, "%sthe certificate is not for %s (%s)", sb.len ? "; " : "", host,
                  is_ip ? "no iPAddress SAN with that address" : "no matching dNSName SAN or CN");
done:
    sp_strlcpy(why, sb.len ? sb.buf : "", whylen);
cleanup:
    sb_free(&sb);
    mbedtls_x509_crt_free(&crt);
    mbedtls_x509_crt_free(&ca);
    return rc;
}

int tls_chain_verify_ca(const struct tls_chain *c, const char *ca_file, int *ok, char *why,
                        size_t whylen)
{
    mbedtls_x509_crt crt, ca;
    uint32_t flags = 0;
    struct strbuf sb;
    int rc = 0;

    *ok = 0;
    sb_init(&sb);
    mbedtls_x509_crt_init(&crt);
    mbedtls_x509_crt_init(&ca);
    if (mbedtls_x509_crt_parse_file(&ca, ca_file) != 0 || !ca.raw.p) {
        snprintf(why, whylen, "the declared CA file %s does not hold PEM certificates mbedTLS can "
                 "read", ca_file);
        rc = SP_ERR_IO;
        goto cleanup;
    }
    if (chain_parse(c, &crt, &sb) != 0)
        goto done;
    mbedtls_x509_crt_verify(&crt, &ca, NULL, NULL, &flags, NULL, NULL);
    *ok = flags == 0;
    if (!*ok)
        verify_text(flags, &sb);
done:
    sp_strlcpy(why, sb.len ? sb.buf : "", whylen);
cleanup:
    sb_free(&sb);
    mbedtls_x509_crt_free(&crt);
    mbedtls_x509_crt_free(&ca);
    return rc;
}

static void sha256_hex(const unsigned char *p, size_t n, char *out, size_t len)
{
    unsigned char h[32];
    size_t k;

    mbedtls_sha256_ret(p, n, h, 0);
    k = (size_t)snprintf(out, len, "SHA256:");
    for (size_t i = 0; i < sizeof(h) && k + 2 < len; i++)
        k += (size_t)snprintf(out + k, len - k, "%02x", h[i]);
}

int tls_leaf_fingerprints(const struct tls_chain *c, char *cert_fp, char *key_fp, size_t len)
{
    mbedtls_x509_crt crt;
    int rc = SP_ERR_PARSE;

    mbedtls_x509_crt_init(&crt);
    if (c->n > 0 && mbedtls_x509_crt_parse_der(&crt, c->der[0], c->len[0]) == 0) {
        sha256_hex(crt.raw.p, crt.raw.len, cert_fp, len);
        sha256_hex(crt.pk_raw.p, crt.pk_raw.len, key_fp, len);
        rc = 0;
    }
    mbedtls_x509_crt_free(&crt);
    return rc;
}

/* ---- TLS 1.3 with OpenSSL ----------------------------------------------- */

const char *tls13_library_version(void)
{
    static char v[48];
    const char *s = OpenSSL_version(OPENSSL_VERSION);
    /* "OpenSSL 3.0.22 15 Jan 2025" -> "OpenSSL 3.0.22" */
    const char *sp = strchr(s, ' ');
    sp = sp ? strchr(sp + 1, ' ') : NULL;
    snprintf(v, sizeof(v), "%.*s", sp ? (int)(sp - s) : (int)strlen(s), s);
    return v;
}

/* Wait until fd is readable or writable as OpenSSL asked, within the deadline. */
static int wait_io(int fd, int want_write, int64_t deadline)
{
    struct pollfd pfd = {.fd = fd, .events = want_write ? POLLOUT : POLLIN};
    int left = sp_ms_left(deadline);

    if (left <= 0)
        return SP_ERR_TIMEOUT;
    int n = poll(&pfd, 1, left);
    if (n == 0)
        return SP_ERR_TIMEOUT;
    return n < 0 ? SP_ERR_IO : 0;
}

/*
 * Both entry points below. suite NULL: the chain is enough, even when the
 * handshake then fails (a server whose CertificateVerify does not check out
 * has still shown its certificate). suite given: only a completed handshake
 * counts, and its suite's IANA name goes there.
 */
/* Called by OpenSSL when the server sends a CertificateRequest: note it, send no certificate. */
static int creq_cb(SSL *ssl, X509 **x509, EVP_PKEY **pkey)
{
    int *seen = SSL_get_app_data(ssl);

    (void)x509;
    (void)pkey;
    if (seen)
        *seen = 1;
    return 0;
}

static int tls13_connect(const struct sp_target *t, int port, int64_t deadline,
                         struct tls_chain *chain, char *suite, size_t suitelen, int *creq,
                         char *why, size_t whylen)
{
    SSL_CTX *ctx = NULL;
    SSL *ssl = NULL;
    STACK_OF(X509) *sk;
    int fd = -1, rc = SP_ERR_IO, asked = 0, completed = 0;

    if (creq)
        *creq = -1;

    ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        snprintf(why, whylen, "OpenSSL could not create a context");
        goto cleanup;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    /* Weak keys must reach us to be judged, not be refused by the client. */
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_client_cert_cb(ctx, creq_cb);
    fd = net_tcp_connect(t, port, deadline);
    if (fd < 0) {
        rc = fd;
        snprintf(why, whylen, "connect: %s", net_strerror(fd));
        fd = -1;
        goto cleanup;
    }
    ssl = SSL_new(ctx);
    if (!ssl || SSL_set_fd(ssl, fd) != 1) {
        snprintf(why, whylen, "OpenSSL could not attach to the socket");
        goto cleanup;
    }
    SSL_set_app_data(ssl, &asked);
    /* The name, as the other hellos send it: a server may choose its certificate by it. */
    {
        unsigned char a[16];
        if (t->host[0] && inet_pton(AF_INET, t->host, a) != 1 && inet_pton(AF_INET6, t->host, a) != 1)
            SSL_set_tlsext_host_name(ssl, t->host);
    }
    for (;;) {
        int r = SSL_connect(ssl), err, w;
        if (r == 1) {
            completed = 1;
            break;
        }
        err = SSL_get_error(ssl, r);
        if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
            unsigned long e = ERR_get_error();
            /* The certificate may have arrived before a failure later on. */
            if (!suite && SSL_get_peer_cert_chain(ssl))
                break;
            snprintf(why, whylen, "TLS 1.3 handshake failed: %s",
                     e ? ERR_reason_error_string(e) : "connection closed");
            goto cleanup;
        }
        w = wait_io(fd, err == SSL_ERROR_WANT_WRITE, deadline);
        if (w != 0) {
            rc = w;
            snprintf(why, whylen, "TLS 1.3 handshake: %s", net_strerror(w));
            goto cleanup;
        }
    }
    sk = SSL_get_peer_cert_chain(ssl);
    for (int i = 0; sk && i < sk_X509_num(sk); i++) {
        unsigned char *der = NULL;
        int n = i2d_X509(sk_X509_value(sk, i), &der);
        if (n > 0)
            tls_chain_add(chain, der, (size_t)n);
        OPENSSL_free(der);
    }
    if (chain->n == 0) {
        snprintf(why, whylen, "TLS 1.3 handshake completed without a server certificate");
        rc = SP_ERR_PARSE;
        goto cleanup;
    }
    if (suite) {
        const SSL_CIPHER *ci = SSL_get_current_cipher(ssl);
        snprintf(suite, suitelen, "%s", ci ? SSL_CIPHER_standard_name(ci) : "unknown");
    }
    rc = 0;
cleanup:
    /* The CertificateRequest comes before the server's Finished: a completed handshake saw it or not. */
    if (creq)
        *creq = asked ? 1 : completed ? 0 : -1;
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    if (fd >= 0)
        close(fd);
    ERR_clear_error();
    return rc;
}

int tls13_fetch_chain(const struct sp_target *t, int port, int64_t deadline,
                      struct tls_chain *chain, char *why, size_t whylen)
{
    return tls13_connect(t, port, deadline, chain, NULL, 0, NULL, why, whylen);
}

int tls13_fetch_chain_creq(const struct sp_target *t, int port, int64_t deadline,
                           struct tls_chain *chain, int *creq, char *why, size_t whylen)
{
    return tls13_connect(t, port, deadline, chain, NULL, 0, creq, why, whylen);
}

int tls13_handshake(const struct sp_target *t, int port, int64_t deadline,
                    struct tls_chain *chain, char *suite, size_t suitelen, char *why,
                    size_t whylen)
{
    return tls13_connect(t, port, deadline, chain, suite, suitelen, NULL, why, whylen);
}
