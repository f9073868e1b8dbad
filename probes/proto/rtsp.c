/*
 * rtsp.c - the RTSP handler. Logins go through HTTP's Basic/Digest client
 * (http.h) with DESCRIBE and absolute rtsp:// URIs.
 *
 * Without credentials (auth.unauthenticated): OPTIONS once, for the methods
 * the server lists, then DESCRIBE of "/" and of the stream paths IP cameras
 * commonly serve (the kind of list nmap's rtsp-url-brute walks), one fresh
 * connection each. A 2xx carrying a session description with a stream is a
 * stream anyone can play; 401/403 is protected; 404 is absent, which alone
 * proves nothing (the stream may live under a name not on the list), so the
 * judge does not count it as a refusal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "proto.h"
#include "rtsp_wire.h"
#include "run.h"
#include "util.h"

#define RTSP_REPLY_MAX 8192

/* The stream paths tried when the check names none: "/" and what camera firmware commonly serves. */
static const char *const rtsp_default_paths[] = {
    "/", "/live", "/live.sdp", "/stream1", "/h264", "/ch0_0.h264", "/cam/realmonitor", "/onvif1",
    "/Streaming/Channels/101", "/h264/ch1/main/av_stream", "/axis-media/media.amp", "/11",
    "/videoMain", "/media/video1", "/live/ch00_0", "/unicast"};

struct rtsp_reply {
    uint8_t buf[RTSP_REPLY_MAX + 1];     /* http_roundtrip NUL-terminates */
    size_t len;
    struct http_response h;
    char err[200];
};

/* One request on a fresh connection. 0 with rep->h parsed, or a negative sp_err with rep->err. */
static int rtsp_ask(struct run *r, const struct service *s, int tls, const char *method,
                    const char *uri, int64_t op_ms, struct rtsp_reply *rep)
{
    uint8_t req[700];
    size_t reqlen = rtsp_build_request(req, sizeof(req), method, uri, 2);
    int64_t dl = run_op_deadline(r, op_ms);
    ssize_t n;

    rep->len = 0;
    rep->err[0] = '\0';
    memset(&rep->h, 0, sizeof(rep->h));
    if (reqlen == 0) {
        snprintf(rep->err, sizeof(rep->err), "the URI cannot be put in a request line");
        return SP_ERR_USAGE;
    }
    n = http_roundtrip(&r->target, s->port, tls, (const char *)req, reqlen, NULL, 0, rtsp_reply_done, dl,
                       rep->buf, sizeof(rep->buf), rep->err, sizeof(rep->err));
    if (n <= 0 && rep->err[0])
        return (int)n;      /* the connect or handshake failed: rep->err says how */
    if (n <= 0) {
        int quiet = n == SP_ERR_CLOSED || n == SP_ERR_TIMEOUT;
        snprintf(rep->err, sizeof(rep->err), "no reply to %s: %s", method,
                 quiet ? "nothing before the deadline or close" : net_strerror((int)n));
        return quiet ? SP_ERR_TIMEOUT : (int)n;
    }
    rep->len = (size_t)n;
    if (http_parse_head_proto(rep->buf, rep->len, "RTSP/", &rep->h) != 0 || !rep->h.complete) {
        char *p = sp_printable(rep->buf, rep->len < 80 ? rep->len : 80, 100);
        snprintf(rep->err, sizeof(rep->err), "%s: not an RTSP reply: '%.80s'", method, p);
        free(p);
        return SP_ERR_PARSE;
    }
    return 0;
}

/* The header's value as printable text, bounded; "" when absent. */
static void header_text(const struct rtsp_reply *rep, const char *name, char *out, size_t cap)
{
    const uint8_t *v;
    size_t pos = 0, vl;

    out[0] = '\0';
    if (http_header_next(rep->buf, rep->len, name, &pos, &v, &vl)) {
        char *p = sp_printable(v, vl < cap - 1 ? vl : cap - 1, cap + 40);
        sp_strlcpy(out, p, cap);
        free(p);
    }
}

static void rtsp_seen(struct run *r, struct service *s, int tls, const struct check *c,
                      struct unauth_facts *items, struct rtsp_facts *facts)
{
    const struct ynode *paths = c ? check_param(c, "rtsp_paths") : NULL;
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    size_t npaths = paths && paths->type == Y_SEQ ? paths->n : SP_ARRAY_LEN(rtsp_default_paths);
    struct rtsp_reply *rep = xmalloc(sizeof(*rep));
    char base[120], uri[400], public_[160];
    int v6 = r->target.family == AF_INET6;

    snprintf(base, sizeof(base), "rtsp%s://%s%s%s:%ld", tls ? "s" : "", v6 ? "[" : "",
             r->target.addrstr, v6 ? "]" : "", s->port);
    /* OPTIONS: which methods the server says it has, and whether it asks for credentials before any. */
    snprintf(uri, sizeof(uri), "%s/", base);
    if (rtsp_ask(r, s, tls, "OPTIONS", uri, op_ms, rep) == 0) {
        header_text(rep, "Public", public_, sizeof(public_));
        facts->asked_options = 1;
        facts->options_status = rep->h.status;
        if (public_[0])
            facts->public_methods = xstrdup(public_);
    }
    for (size_t i = 0; i < npaths && !run_expired(r); i++) {
        const char *path = paths && paths->type == Y_SEQ
                               ? (paths->items[i]->type == Y_SCALAR ? paths->items[i]->value : NULL)
                               : rtsp_default_paths[i];
        struct rtsp_sdp sdp;
        const uint8_t *body;
        size_t blen;
        const char *result;
        int rc;

        if (!path || path[0] != '/')
            continue;
        snprintf(uri, sizeof(uri), "%s%s", base, path);
        rc = rtsp_ask(r, s, tls, "DESCRIBE", uri, op_ms, rep);
        if (rc != 0) {
            unauth_item(items, "stream", path, "undecided", "DESCRIBE %s: %s", uri, rep->err);
            if (rc == SP_ERR_USAGE)
                continue;
            /* A server that gave no readable answer will not give one to the rest: say so once. */
            if (i + 1 < npaths)
                unauth_item(items, "stream", "(the other paths)", "undecided",
                            "not asked: no readable answer to DESCRIBE %s", path);
            break;
        }
        rtsp_body(rep->buf, rep->len, &rep->h, &body, &blen);
        if (rtsp_sdp_parse(body, blen, &sdp) != 0)
            memset(&sdp, 0, sizeof(sdp));
        result = rtsp_describe_result(rep->h.status, &sdp);
        if (strcmp(result, "open") == 0) {
            strv_add(&facts->open_paths, path);
            unauth_item(items, "stream", path, "open",
                        "DESCRIBE %s → %s with a session description of %u stream%s (%s%s%s%s): "
                        "anyone can play it", uri, rep->h.status_line, sdp.media,
                        sdp.media == 1 ? "" : "s", sdp.kinds, sdp.name[0] ? ", session '" : "",
                        sdp.name, sdp.name[0] ? "'" : "");
        } else if (strcmp(result, "ambiguous") == 0) {
            char *ex = sp_printable(body, blen < 80 ? blen : 80, 120);
            unauth_item(items, "stream", path, "ambiguous",
                        "DESCRIBE %s → %s without a session description: '%s'", uri,
                        rep->h.status_line, ex);
            free(ex);
        } else if (rep->h.location[0]) {
            unauth_item(items, "stream", path, result, "DESCRIBE %s → %s, Location: %s (not followed)",
                        uri, rep->h.status_line, rep->h.location);
        } else {
            unauth_item(items, "stream", path, result, "DESCRIBE %s → %s%s", uri, rep->h.status_line,
                        strcmp(result, "absent") == 0 ? " (no stream by that name)" : "");
        }
    }
    free(rep);
}

static const struct http_dialect rtsp_dialect = {"rtsp", "rtsps", "DESCRIBE", 554, 322, 1};
/* The unauth slot: rtsp_seen, its facts set on the service whatever path it ended by. */
static void rtsp_unauth(struct run *r, struct service *s, int tls, const struct check *c,
                        struct unauth_facts *items)
{
    struct rtsp_facts *f = rtsp_facts_new();

    rtsp_seen(r, s, tls, c, items, f);
    run_set_rtsp_facts(r, s, f);
}

static const char *const rtsp_names[] = {"rtsp", NULL};
static const char *const rtsp_tls_names[] = {"rtsps", NULL};

const struct proto proto_rtsp = {
    .name = "rtsp",
    .names = rtsp_names,
    .tls_names = rtsp_tls_names,
    .priv = &rtsp_dialect,
    .login_prepare = http_login_prepare,
    .login_attempt = http_login_attempt,
    .unauth = rtsp_unauth,
    .facts_key = "rtsp",
};
