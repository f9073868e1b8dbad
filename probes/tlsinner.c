/*
 * tlsinner.c - what runs inside a TLS port: finish a handshake with mbedTLS
 * and ask an HTTP question, then (on a fresh connection) an MQTT one. Kept
 * apart from ident.c so the pure matchers build and fuzz without mbedTLS.
 *
 * mbedTLS never touches a socket itself here: its BIO callbacks go through
 * net.h, so the run's deadline bounds every read and write, and a silent
 * device costs at most the time the caller allowed. Certificates are not
 * verified: this only identifies; tls.certificate judges the certificate.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>

#include "http_wire.h"
#include "ident.h"
#include "mqtt_wire.h"
#include "net.h"
#include "starprobe.h"
#include "tlscert.h"
#include "tlsconn.h"
#include "tls_wire.h"
#include "util.h"

/* The BIO's view of one connection: where to read, until when, and why it stopped. */
struct tls_bio {
    int fd;
    int64_t deadline;
    int err;            /* the sp_err that ended the last failed read or write */
};

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    struct tls_bio *b = ctx;
    int rc;

    if (len > INT_MAX)
        len = INT_MAX;
    rc = net_send_all(b->fd, buf, len, b->deadline);
    if (rc == 0)
        return (int)len;
    b->err = rc;
    return rc == SP_ERR_TIMEOUT ? MBEDTLS_ERR_SSL_TIMEOUT : MBEDTLS_ERR_NET_SEND_FAILED;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    struct tls_bio *b = ctx;
    ssize_t n;

    if (len > INT_MAX)
        len = INT_MAX;
    n = net_recv(b->fd, buf, len, b->deadline);
    if (n > 0)
        return (int)n;
    b->err = (int)n;
    if (n == SP_ERR_CLOSED)
        return 0;       /* mbedTLS reads 0 as EOF */
    return n == SP_ERR_TIMEOUT ? MBEDTLS_ERR_SSL_TIMEOUT : MBEDTLS_ERR_NET_RECV_FAILED;
}

static int is_ip_literal(const char *h)
{
    unsigned char tmp[16];
    return inet_pton(AF_INET, h, tmp) == 1 || inet_pton(AF_INET6, h, tmp) == 1 || strchr(h, ':');
}

/* An mbedTLS error as "text (-0xNNNN)" appended to the detail. */
static void append_mbedtls_error(struct strbuf *sb, int ret)
{
    char msg[128];

    mbedtls_strerror(ret, msg, sizeof(msg));
    sb_printf(sb, "%s (-0x%04x)", msg, (unsigned)-ret);
}

/*
 * One attempt: connect, handshake, send req, read what comes back into buf
 * until `done` says enough, the peer closes or the deadline passes. Returns
 * the bytes read (possibly 0) or a negative sp_err; the handshake outcome is
 * described in sb either way. The caller resets ssl between attempts.
 */
static ssize_t tls_attempt(mbedtls_ssl_context *ssl, const struct sp_target *t, long port,
                           int64_t deadline, const uint8_t *req, size_t reqlen,
                           uint8_t *buf, size_t cap, net_done_fn done, struct strbuf *sb)
{
    struct tls_bio bio = {.fd = -1, .deadline = deadline, .err = 0};
    size_t len = 0, off = 0;
    ssize_t result;
    int ret;

    bio.fd = net_tcp_connect(t, (int)port, deadline);
    if (bio.fd < 0)
        return bio.fd;
    mbedtls_ssl_set_bio(ssl, &bio, bio_send, bio_recv, NULL);
    do {
        ret = mbedtls_ssl_handshake(ssl);
    } while (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE);
    if (ret != 0) {
        sb_add(sb, "TLS handshake failed: ");
        append_mbedtls_error(sb, ret);
        result = bio.err ? bio.err : SP_ERR_PARSE;
        goto cleanup;
    }
    sb_printf(sb, "%s %s", mbedtls_ssl_get_version(ssl), mbedtls_ssl_get_ciphersuite(ssl));

    while (off < reqlen) {
        ret = mbedtls_ssl_write(ssl, req + off, reqlen - off);
        if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
            continue;
        if (ret < 0) {
            result = bio.err ? bio.err : SP_ERR_IO;
            goto cleanup;
        }
        off += (size_t)ret;
    }
    while (len < cap) {
        ret = mbedtls_ssl_read(ssl, buf + len, cap - len);
        if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
            continue;
        if (ret <= 0)
            break;      /* close_notify, EOF, timeout: what arrived is the answer */
        len += (size_t)ret;
        if (done && done(buf, len, NULL))
            break;
    }
    result = (ssize_t)len;
    mbedtls_ssl_close_notify(ssl);
cleanup:
    close(bio.fd);
    return result;
}

int tls_inner_identify(const struct sp_target *t, long port, int64_t deadline,
                       struct ident_result *out)
{
    static const char pers[] = "starprobe tls_inner_identify";
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_ssl_config conf;
    mbedtls_ssl_context ssl;
    struct ident_result inner;
    struct strbuf sb, sb2;
    uint8_t req[512], reply[4096];
    size_t reqlen;
    ssize_t n;
    int rc = SP_ERR_PARSE, ret;
    int64_t http_dl;

    ident_result_init(out);
    sp_strlcpy(out->service, "tls", sizeof(out->service));
    sb_init(&sb);
    sb_init(&sb2);
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_ssl_config_init(&conf);
    mbedtls_ssl_init(&ssl);

    ret = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy,
                                (const unsigned char *)pers, sizeof(pers) - 1);
    if (ret == 0)
        ret = mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                          MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) {
        sb_add(&sb, "mbedTLS setup failed: ");
        append_mbedtls_error(&sb, ret);
        rc = SP_ERR_INTERNAL;
        goto cleanup;
    }
    /* Identification only: accept any certificate, and TLS 1.0 too, so old devices talk. */
    mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_NONE);
    mbedtls_ssl_conf_rng(&conf, mbedtls_ctr_drbg_random, &drbg);
    mbedtls_ssl_conf_min_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_1);
    ret = mbedtls_ssl_setup(&ssl, &conf);
    if (ret == 0 && !is_ip_literal(t->host) && t->host[0])
        ret = mbedtls_ssl_set_hostname(&ssl, t->host);
    if (ret != 0) {
        sb_add(&sb, "mbedTLS setup failed: ");
        append_mbedtls_error(&sb, ret);
        rc = SP_ERR_INTERNAL;
        goto cleanup;
    }

    /*
     * HTTP first, with two thirds of the time: a web server behind TLS may run
     * a slow CGI for its first page, while a broker answers CONNECT at once,
     * so the third left is enough for MQTT when the inside stays silent.
     */
    http_dl = sp_now_ms() + (deadline - sp_now_ms()) * 2 / 3;
    reqlen = http_ident_build(req, sizeof(req), t->host[0] ? t->host : t->addrstr, port);
    if (reqlen == 0)
        reqlen = http_ident_build(req, sizeof(req), t->addrstr, port);
    n = tls_attempt(&ssl, t, port, http_dl, req, reqlen, reply, sizeof(reply), ident_reply_done, &sb);
    if (n < 0) {
        /* No handshake (e.g. TLS 1.3 only): the caller keeps its ServerHello evidence. */
        if (sb.len == 0)
            sb_printf(&sb, "connect failed: %s", net_strerror((int)n));
        rc = (int)n;
        goto cleanup;
    }
    if (http_ident_match(reply, (size_t)n, &inner)) {
        sp_strlcpy(out->service, "https", sizeof(out->service));
        sb_printf(&sb, ", inner %s", inner.detail);
        rc = 0;
        goto cleanup;
    }
    if (n > 0) {
        char *p = sp_printable(reply, (size_t)n < 60 ? (size_t)n : 60, 80);
        sb_printf(&sb, ", GET / answered '%s'", p);
        free(p);
    } else {
        sb_add(&sb, ", no answer to GET /");
    }

    ret = mbedtls_ssl_session_reset(&ssl);
    if (ret != 0) {
        rc = SP_ERR_INTERNAL;
        goto cleanup;
    }
    reqlen = mqtt_ident_build(req, sizeof(req), NULL, port);
    /* The second handshake is the same as the first; only a failure is worth the space. */
    n = tls_attempt(&ssl, t, port, deadline, req, reqlen, reply, sizeof(reply), ident_reply_done, &sb2);
    if (n < 0) {
        sb_printf(&sb, "; MQTT attempt: %s", sb2.len ? sb2.buf : net_strerror((int)n));
        rc = (int)n;
        goto cleanup;
    }
    if (n > 0 && mqtt_ident_match(reply, (size_t)n, &inner)) {
        sp_strlcpy(out->service, "mqtts", sizeof(out->service));
        sb_printf(&sb, ", inner %s", inner.detail);
        rc = 0;
        goto cleanup;
    }
    if (n > 0 && ident_any(reply, (size_t)n, &inner))
        sb_printf(&sb, ", CONNECT answered by %s: %s", inner.service, inner.detail);
    else
        sb_add(&sb, ", no CONNACK");
    rc = SP_ERR_PARSE;

cleanup:
    if (sb.len)
        sp_strlcpy(out->detail, sb.buf, sizeof(out->detail));
    sb_free(&sb);
    sb_free(&sb2);
    mbedtls_ssl_free(&ssl);
    mbedtls_ssl_config_free(&conf);
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
    return rc;
}

/* ---- one TLS session over our socket (tlsconn.h) ---- */

struct tls_conn {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_ssl_config conf;
    mbedtls_ssl_context ssl;
    struct tls_bio bio;
};

static void tls_conn_free_ctx(struct tls_conn *c)
{
    if (c->bio.fd >= 0)
        close(c->bio.fd);
    mbedtls_ssl_free(&c->ssl);
    mbedtls_ssl_config_free(&c->conf);
    mbedtls_ctr_drbg_free(&c->drbg);
    mbedtls_entropy_free(&c->entropy);
    free(c);
}

struct tls_conn *tls_conn_open(const struct sp_target *t, long port, int64_t deadline, int *code,
                               char *err, size_t errlen)
{
    static const char pers[] = "starprobe tls_conn";
    struct tls_conn *c = xcalloc(1, sizeof(*c));
    struct strbuf sb;
    int ret, rc = SP_ERR_INTERNAL;

    sb_init(&sb);
    c->bio.fd = -1;
    c->bio.deadline = deadline;
    mbedtls_entropy_init(&c->entropy);
    mbedtls_ctr_drbg_init(&c->drbg);
    mbedtls_ssl_config_init(&c->conf);
    mbedtls_ssl_init(&c->ssl);
    ret = mbedtls_ctr_drbg_seed(&c->drbg, mbedtls_entropy_func, &c->entropy,
                                (const unsigned char *)pers, sizeof(pers) - 1);
    if (ret == 0)
        ret = mbedtls_ssl_config_defaults(&c->conf, MBEDTLS_SSL_IS_CLIENT,
                                          MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret == 0) {
        mbedtls_ssl_conf_authmode(&c->conf, MBEDTLS_SSL_VERIFY_NONE);
        mbedtls_ssl_conf_rng(&c->conf, mbedtls_ctr_drbg_random, &c->drbg);
        mbedtls_ssl_conf_min_version(&c->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                                     MBEDTLS_SSL_MINOR_VERSION_1);
        ret = mbedtls_ssl_setup(&c->ssl, &c->conf);
    }
    if (ret == 0 && !is_ip_literal(t->host) && t->host[0])
        ret = mbedtls_ssl_set_hostname(&c->ssl, t->host);
    if (ret != 0) {
        sb_add(&sb, "mbedTLS setup failed: ");
        append_mbedtls_error(&sb, ret);
        goto fail;
    }
    c->bio.fd = net_tcp_connect(t, (int)port, deadline);
    if (c->bio.fd < 0) {
        rc = c->bio.fd;
        sb_printf(&sb, "connect failed: %s", net_strerror(c->bio.fd));
        goto fail;
    }
    mbedtls_ssl_set_bio(&c->ssl, &c->bio, bio_send, bio_recv, NULL);
    do {
        ret = mbedtls_ssl_handshake(&c->ssl);
    } while (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE);
    if (ret != 0) {
        /* A socket error (timeout, reset) says more than the mbedTLS code it became. */
        rc = c->bio.err ? c->bio.err : SP_ERR_PARSE;
        sb_add(&sb, "TLS handshake failed: ");
        append_mbedtls_error(&sb, ret);
        goto fail;
    }
    sb_free(&sb);
    return c;
fail:
    if (code)
        *code = rc;
    sp_strlcpy(err, sb.len ? sb.buf : "TLS setup failed", errlen);
    sb_free(&sb);
    tls_conn_free_ctx(c);
    return NULL;
}

int tls_conn_send(struct tls_conn *c, const void *buf, size_t len, int64_t deadline)
{
    const unsigned char *p = buf;
    size_t off = 0;

    c->bio.deadline = deadline;
    c->bio.err = 0;
    while (off < len) {
        int ret = mbedtls_ssl_write(&c->ssl, p + off, len - off);
        if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
            continue;
        if (ret < 0)
            return c->bio.err ? c->bio.err : SP_ERR_IO;
        off += (size_t)ret;
    }
    return 0;
}

ssize_t tls_conn_recv(struct tls_conn *c, void *buf, size_t cap, int64_t deadline)
{
    c->bio.deadline = deadline;
    c->bio.err = 0;
    for (;;) {
        int ret = mbedtls_ssl_read(&c->ssl, buf, cap);
        if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
            continue;
        if (ret > 0)
            return ret;
        if (ret == 0 || ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
            return SP_ERR_CLOSED;
        if (c->bio.err)
            return c->bio.err;
        return ret == MBEDTLS_ERR_SSL_TIMEOUT ? SP_ERR_TIMEOUT : SP_ERR_IO;
    }
}

void tls_conn_close(struct tls_conn *c)
{
    if (!c)
        return;
    /* Best effort and short: the peer may already be gone. */
    c->bio.deadline = sp_now_ms() + 200;
    mbedtls_ssl_close_notify(&c->ssl);
    tls_conn_free_ctx(c);
}

const char *tls_conn_version(const struct tls_conn *c)
{
    /* mbedTLS says "TLSv1" for 1.0; the report writes every version with its minor number. */
    const char *v = mbedtls_ssl_get_version(&c->ssl);
    return strcmp(v, "TLSv1") == 0 ? "TLSv1.0" : strcmp(v, "SSLv3.0") == 0 ? "SSLv3" : v;
}

const char *tls_conn_suite(const struct tls_conn *c)
{
    const char *name = mbedtls_ssl_get_ciphersuite(&c->ssl);
    const struct tls_suite_info *si;

    if (!name)
        return "unknown";
    si = tls_suite_find((uint16_t)mbedtls_ssl_get_ciphersuite_id(name));
    return si ? si->name : name;
}

void tls_conn_peer_chain(const struct tls_conn *c, struct tls_chain *chain)
{
    for (const mbedtls_x509_crt *x = mbedtls_ssl_get_peer_cert(&c->ssl); x && x->raw.p; x = x->next)
        tls_chain_add(chain, x->raw.p, x->raw.len);
}

/* ---- plain-or-TLS stream ---- */

int tls_stream_open(struct tls_stream *st, const struct sp_target *t, long port, int tls,
                    int64_t deadline, char *err, size_t errlen)
{
    int code = SP_ERR_IO;

    st->fd = -1;
    st->tls = NULL;
    if (tls) {
        st->tls = tls_conn_open(t, port, deadline, &code, err, errlen);
        return st->tls ? 0 : (code < 0 ? code : SP_ERR_IO);
    }
    st->fd = net_tcp_connect(t, (int)port, deadline);
    if (st->fd < 0) {
        snprintf(err, errlen, "connect failed: %s", net_strerror(st->fd));
        return st->fd;
    }
    return 0;
}

int tls_stream_send(struct tls_stream *st, const void *buf, size_t len, int64_t deadline)
{
    return st->tls ? tls_conn_send(st->tls, buf, len, deadline)
                   : net_send_all(st->fd, buf, len, deadline);
}

ssize_t tls_stream_recv(struct tls_stream *st, void *buf, size_t cap, int64_t deadline)
{
    return st->tls ? tls_conn_recv(st->tls, buf, cap, deadline)
                   : net_recv(st->fd, buf, cap, deadline);
}

void tls_stream_close(struct tls_stream *st)
{
    tls_conn_close(st->tls);
    st->tls = NULL;
    if (st->fd >= 0)
        close(st->fd);
    st->fd = -1;
}

/* Read until done says so, cap, close or the deadline. Bytes read, or a negative sp_err if none. */
ssize_t tls_stream_recv_until(struct tls_stream *us, uint8_t *buf, size_t cap, int64_t dl,
                              net_done_fn done, void *arg)
{
    size_t len = 0;
    ssize_t n = 0;

    while (len < cap) {
        n = tls_stream_recv(us, buf + len, cap - len, dl);
        if (n <= 0)
            break;
        len += (size_t)n;
        if (done && done(buf, len, arg))
            break;
    }
    if (len == 0 && n < 0 && n != SP_ERR_CLOSED && n != SP_ERR_TIMEOUT)
        return n;
    return (ssize_t)len;
}
