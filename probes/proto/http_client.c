/*
 * http_client.c - the no-credentials HTTP client (http.h): one request on a
 * fresh connection to the target's port, in the clear or inside TLS, the
 * reply's head parsed and its body de-chunked and cut at HTTP_FETCH_MAX.
 * Every web question starprobe asks without credentials goes this way: the
 * HTTP handler's unauth slot (http.c) and the SOAP askers of UPnP and ONVIF
 * (upnp.c, onvif.c), which sit on top of it rather than on http.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "http_wire.h"
#include "net.h"
#include "run.h"
#include "tlsconn.h"
#include "util.h"

#define HTTP_RAW_MAX (64 * 1024)

/* The first value of header name in a response head, printable and cut to len - 1 bytes. */
static void head_value(const uint8_t *raw, size_t n, const char *name, char *out, size_t len)
{
    const uint8_t *v;
    size_t vl, pos = 0;

    out[0] = '\0';
    if (http_header_next(raw, n, name, &pos, &v, &vl) == 1) {
        char *p = sp_printable(v, vl < len - 1 ? vl : len - 1, len + 32);
        sp_strlcpy(out, p, len);
        free(p);
    }
}

void http_fetch_init(struct http_fetch *f)
{
    memset(f, 0, sizeof(*f));
    f->body = xmalloc(HTTP_FETCH_MAX);
}

void http_fetch_free(struct http_fetch *f)
{
    free(f->body);
    f->body = NULL;
}

ssize_t http_roundtrip(const struct sp_target *t, long port, int tls, const char *head, size_t headlen,
                       const char *body, size_t bodylen, int (*done)(const uint8_t *, size_t, void *),
                       int64_t deadline, uint8_t *raw, size_t cap, char *why, size_t whylen)
{
    struct tls_stream c = TLS_STREAM_INIT;
    size_t len = 0;
    ssize_t n = 0;
    int rc;

    raw[0] = '\0';
    why[0] = '\0';
    rc = tls_stream_open(&c, t, port, tls, deadline, why, whylen);
    if (rc != 0) {
        if (!why[0])
            snprintf(why, whylen, "connect failed: %s", net_strerror(rc));
        return rc;      /* only this failure writes why */
    }
    rc = tls_stream_send(&c, head, headlen, deadline);
    if (rc == 0 && bodylen)
        rc = tls_stream_send(&c, body, bodylen, deadline);
    /*
     * Read even when the send failed part way: a device may answer (413, 401)
     * before it takes the whole body. Not tls_stream_recv_until: it returns 0
     * for both a close and a timeout, and the login client tells them apart.
     */
    while (len + 1 < cap) {
        n = tls_stream_recv(&c, raw + len, cap - 1 - len, deadline);
        if (n <= 0)
            break;
        len += (size_t)n;
        if (done && done(raw, len, NULL))
            break;
    }
    tls_stream_close(&c);
    raw[len] = '\0';
    if (len == 0)
        return rc != 0 ? rc : n < 0 ? n : SP_ERR_CLOSED;
    return (ssize_t)len;
}

/*
 * One request (head req, then body) on a fresh connection to the target's
 * port: the one exchange every no-credentials question of this file and of
 * the SOAP askers (upnp.c, onvif.c) goes through. 0 with f->h parsed and the
 * body in f->body, or a negative sp_err with f->err.
 */
static int http_send_once(struct run *r, long port, int tls, const char *method, const char *path,
                          const uint8_t *req, size_t reqlen, const char *body, int64_t op_ms,
                          struct http_fetch *f)
{
    uint8_t *raw = xmalloc(HTTP_RAW_MAX + 1);
    ssize_t n;
    int rc, complete;
    long bl;
    int64_t dl = run_op_deadline(r, op_ms);

    memset(&f->h, 0, sizeof(f->h));
    f->bodylen = 0;
    f->err[0] = '\0';
    if (reqlen == 0) {
        snprintf(f->err, sizeof(f->err), "path cannot be put in a request line");
        rc = SP_ERR_USAGE;
        goto cleanup;
    }
    n = http_roundtrip(&r->target, port, tls, (const char *)req, reqlen, body, body ? strlen(body) : 0,
                       http_reply_done, dl, raw, HTTP_RAW_MAX + 1, f->err, sizeof(f->err));
    if (n <= 0 && f->err[0]) {
        rc = (int)n;    /* the connect or handshake failed: f->err says how */
        goto cleanup;
    }
    if (n <= 0) {
        int quiet = n == SP_ERR_CLOSED || n == SP_ERR_TIMEOUT;
        snprintf(f->err, sizeof(f->err), "no reply to %s %.120s: %s", method, path,
                 quiet ? "nothing before the deadline or close" : net_strerror((int)n));
        rc = quiet ? SP_ERR_TIMEOUT : (int)n;
        goto cleanup;
    }
    if (http_parse_head(raw, (size_t)n, &f->h) != 0 || !f->h.complete) {
        char *p = sp_printable(raw, (size_t)n < 80 ? (size_t)n : 80, 100);
        snprintf(f->err, sizeof(f->err), "%s %.80s: not an HTTP reply: '%.80s'", method, path, p);
        free(p);
        rc = SP_ERR_PARSE;
        goto cleanup;
    }
    head_value(raw, (size_t)n, "Server", f->server, sizeof(f->server));
    head_value(raw, (size_t)n, "X-Powered-By", f->powered, sizeof(f->powered));
    bl = http_body(raw, (size_t)n, &f->h, f->body, HTTP_FETCH_MAX, &complete);
    f->bodylen = bl > 0 ? (size_t)bl : 0;
    f->hash = http_fnv1a(f->body, f->bodylen);
    sp_strlcpy(f->path, path, sizeof(f->path));
    rc = 0;
cleanup:
    free(raw);
    return rc;
}

/* The Host the requests name: the name the user gave, else the address. */
static const char *http_host(const struct run *r)
{
    return r->target.host[0] ? r->target.host : r->target.addrstr;
}

int http_fetch_get(struct run *r, long port, int tls, const char *path, int64_t op_ms,
                   struct http_fetch *f)
{
    uint8_t req[600];
    size_t reqlen = http_build_get(req, sizeof(req), http_host(r), port, tls, path);

    if (reqlen == 0)
        reqlen = http_build_get(req, sizeof(req), r->target.addrstr, port, tls, path);
    return http_send_once(r, port, tls, "GET", path, req, reqlen, NULL, op_ms, f);
}

int http_fetch_post(struct run *r, long port, int tls, const char *path, const char *content_type,
                    const char *soapaction, const char *body, int64_t op_ms, struct http_fetch *f)
{
    uint8_t req[1200];
    size_t bl = body ? strlen(body) : 0;
    size_t reqlen = http_build_post(req, sizeof(req), http_host(r), port, tls, path, content_type,
                                    soapaction, bl);

    if (reqlen == 0)
        reqlen = http_build_post(req, sizeof(req), r->target.addrstr, port, tls, path,
                                 content_type, soapaction, bl);
    return http_send_once(r, port, tls, "POST", path, req, reqlen, body, op_ms, f);
}
