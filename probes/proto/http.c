/*
 * http.c - the HTTP handler, and the login client RTSP shares (rtsp.c, through
 * http.h). Logins: HTTP Basic and Digest (RFC 7617, RFC 7616 with MD5 and
 * SHA-256) logins on HTTP, HTTPS and RTSP. A login counts only on a resource
 * that refused us without credentials: prepare finds one answering 401 with a
 * WWW-Authenticate challenge (`/` first, then the given paths), and an attempt
 * is LOGIN_OK only when that same resource answers 2xx with the credentials.
 * A server that answers 200 to anything has no protected resource and so can
 * never yield a "default login". Without a 401 anywhere, HTTP(S) logins go
 * through the page's login form and a session cookie (docs/design.md §7.1),
 * under the same rule: a page that led to the form without the session must
 * answer otherwise with it.
 *
 * Without credentials (auth.unauthenticated): each admin path must refuse,
 * redirect to a login or not exist; a 2xx page counts only when it differs
 * from the answer to a path that cannot exist (soft 404). That client is
 * still separate from the login client's exchange; both read through
 * http_wire.c and are to become one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mbedtls/base64.h>
#include <mbedtls/md.h>

#include "html_form.h"
#include "http.h"
#include "http_wire.h"
#include "login.h"
#include "proto.h"
#include "run.h"
#include "tlsconn.h"
#include "tls_wire.h"
#include "util.h"

/* RTSP replies share the HTTP head syntax; the first byte says which one this is. */
static int parse_head_any(const uint8_t *buf, size_t len, struct http_response *h)
{
    return http_parse_head_proto(buf, len, len > 0 && buf[0] == 'R' ? "RTSP/" : "HTTP/", h);
}

int http_head_done(const uint8_t *buf, size_t len, void *arg)
{
    struct http_response h;

    (void)arg;
    if (parse_head_any(buf, len, &h) == 0)
        return h.complete;
    /*
     * Not a response at all: nothing more will help. A response with a
     * malformed header still has its status and challenges up to the blank line.
     */
    return h.status == 0 || sp_memcasemem(buf, len, "\n\r\n") || sp_memcasemem(buf, len, "\n\n");
}

int http_status(const uint8_t *buf, size_t len)
{
    struct http_response h;

    (void)parse_head_any(buf, len, &h);
    return h.status > 0 ? h.status : -1;
}

/* Copy a parameter value (quoted or token) starting at p, bounded by end. Returns past it, NULL if malformed. */
static const char *param_value(const char *p, const char *end, char *out, size_t cap)
{
    size_t n = 0;

    if (p < end && *p == '"') {
        p++;
        while (p < end && *p != '"') {
            if (*p == '\\' && p + 1 < end)
                p++;
            if (n + 1 < cap)
                out[n++] = *p;
            p++;
        }
        if (p >= end) {
            if (cap)
                out[n] = '\0';
            return NULL;        /* unterminated quoted string: the header is malformed */
        }
        p++;
    } else {
        while (p < end && *p != ',' && *p != ' ' && *p != '\t') {
            if (n + 1 < cap)
                out[n++] = *p;
            p++;
        }
    }
    if (cap)
        out[n] = '\0';
    return p;
}

/* Parse one challenge "Scheme k=v, k=v" in [p, end). */
static void parse_one(const char *p, const char *end, struct http_challenge *ch)
{
    size_t sl = 0;

    memset(ch, 0, sizeof(*ch));
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (p + sl < end && p[sl] != ' ' && p[sl] != '\t' && p[sl] != ',')
        sl++;
    if (sl == 5 && strncasecmp(p, "basic", 5) == 0)
        sp_strlcpy(ch->scheme, "Basic", sizeof(ch->scheme));
    else if (sl == 6 && strncasecmp(p, "digest", 6) == 0)
        sp_strlcpy(ch->scheme, "Digest", sizeof(ch->scheme));
    else
        return;
    p += sl;
    while (p < end) {
        char key[32], val[200];
        size_t kl = 0;
        while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
            p++;
        while (p < end && *p != '=' && *p != ',' && kl + 1 < sizeof(key))
            key[kl++] = *p++;
        key[kl] = '\0';
        while (kl > 0 && (key[kl - 1] == ' ' || key[kl - 1] == '\t'))
            key[--kl] = '\0';
        if (p >= end || *p != '=') {
            while (p < end && *p != ',')
                p++;
            continue;
        }
        p++;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        p = param_value(p, end, val, sizeof(val));
        if (!p) {
            ch->scheme[0] = '\0';
            return;
        }
        if (strcasecmp(key, "realm") == 0)
            sp_strlcpy(ch->realm, val, sizeof(ch->realm));
        else if (strcasecmp(key, "nonce") == 0)
            sp_strlcpy(ch->nonce, val, sizeof(ch->nonce));
        else if (strcasecmp(key, "opaque") == 0)
            sp_strlcpy(ch->opaque, val, sizeof(ch->opaque));
        else if (strcasecmp(key, "algorithm") == 0)
            sp_strlcpy(ch->algorithm, val, sizeof(ch->algorithm));
        else if (strcasecmp(key, "qop") == 0) {
            /* "auth,auth-int": we need the token "auth" itself. */
            for (char *t = val; *t;) {
                size_t tl = strcspn(t, ", \t");
                if (tl == 4 && strncasecmp(t, "auth", 4) == 0)
                    ch->qop_auth = 1;
                t += tl;
                t += strspn(t, ", \t");
            }
        }
    }
}

static int challenge_rank(const struct http_challenge *ch)
{
    if (strcmp(ch->scheme, "Digest") == 0) {
        if (!ch->nonce[0])
            return 0;
        if (strcasecmp(ch->algorithm, "SHA-256") == 0)
            return 3;
        if (!ch->algorithm[0] || strcasecmp(ch->algorithm, "MD5") == 0)
            return 2;
        return 0;   /* -sess variants, SHA-512-256: not supported */
    }
    return strcmp(ch->scheme, "Basic") == 0 ? 1 : 0;
}

int http_parse_challenge(const uint8_t *buf, size_t len, struct http_challenge *best)
{
    const uint8_t *v;
    size_t pos = 0, vlen;
    int best_rank = 0;

    memset(best, 0, sizeof(*best));
    while (http_header_next(buf, len, "WWW-Authenticate", &pos, &v, &vlen)) {
        struct http_challenge ch;
        parse_one((const char *)v, (const char *)v + vlen, &ch);
        int rank = challenge_rank(&ch);
        if (rank > best_rank) {
            *best = ch;
            best_rank = rank;
        }
    }
    return best_rank > 0 ? 0 : SP_ERR_PARSE;
}

static int hex_digest(mbedtls_md_type_t type, const char *in, char *out, size_t cap)
{
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(type);
    unsigned char d[64];
    size_t n;

    if (!md)
        return SP_ERR_INTERNAL;
    n = mbedtls_md_get_size(md);
    if (cap < n * 2 + 1 || mbedtls_md(md, (const unsigned char *)in, strlen(in), d) != 0)
        return SP_ERR_INTERNAL;
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    return 0;
}

int http_authorization(const struct http_challenge *ch, const char *method, const char *uri,
                       const char *user, const char *pass, const char *cnonce, char *out,
                       size_t cap)
{
    if (strcmp(ch->scheme, "Basic") == 0) {
        char *plain = xasprintf("%s:%s", user, pass);
        unsigned char b64[512];
        size_t olen = 0;
        int ret = mbedtls_base64_encode(b64, sizeof(b64), &olen, (const unsigned char *)plain,
                                        strlen(plain));
        free(plain);
        if (ret != 0 || (size_t)snprintf(out, cap, "Basic %.*s", (int)olen, b64) >= cap)
            return SP_ERR_PARSE;
        return 0;
    }
    if (strcmp(ch->scheme, "Digest") == 0) {
        mbedtls_md_type_t t = strcasecmp(ch->algorithm, "SHA-256") == 0 ? MBEDTLS_MD_SHA256
                                                                         : MBEDTLS_MD_MD5;
        char ha1[129], ha2[129], resp[129], *s;
        int rc = 0;

        if (strpbrk(user, "\"\\\r\n") || strpbrk(uri, "\"\\\r\n"))
            return SP_ERR_PARSE;
        s = xasprintf("%s:%s:%s", user, ch->realm, pass);
        rc |= hex_digest(t, s, ha1, sizeof(ha1));
        free(s);
        s = xasprintf("%s:%s", method, uri);
        rc |= hex_digest(t, s, ha2, sizeof(ha2));
        free(s);
        if (ch->qop_auth)
            s = xasprintf("%s:%s:00000001:%s:auth:%s", ha1, ch->nonce, cnonce, ha2);
        else
            s = xasprintf("%s:%s:%s", ha1, ch->nonce, ha2);
        rc |= hex_digest(t, s, resp, sizeof(resp));
        free(s);
        if (rc)
            return SP_ERR_INTERNAL;
        struct strbuf sb;
        sb_init(&sb);
        sb_printf(&sb, "Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", "
                       "response=\"%s\"", user, ch->realm, ch->nonce, uri, resp);
        if (ch->algorithm[0])
            sb_printf(&sb, ", algorithm=%s", ch->algorithm);
        if (ch->qop_auth)
            sb_printf(&sb, ", qop=auth, nc=00000001, cnonce=\"%s\"", cnonce);
        if (ch->opaque[0])
            sb_printf(&sb, ", opaque=\"%s\"", ch->opaque);
        rc = sb.len < cap ? 0 : SP_ERR_PARSE;
        if (rc == 0)
            memcpy(out, sb.buf, sb.len + 1);
        sb_free(&sb);
        return rc;
    }
    return SP_ERR_PARSE;
}

/* ---- network ---- */

struct http_reply {
    uint8_t buf[4096];
    size_t len;
    int status;                 /* -1: no status line */
    struct http_response head;  /* parsed by http_wire */
};

static const struct http_dialect *dialect(const struct login_service *ls)
{
    return ls->proto->priv;
}

/* The request URI: the path for HTTP, the absolute rtsp:// URL for RTSP (RFC 2326 §6.1). */
static void request_uri(const struct login_service *ls, const char *path, char *out, size_t cap)
{
    int v6 = ls->target->family == AF_INET6;

    if (dialect(ls)->absolute_uri)
        snprintf(out, cap, "rtsp://%s%s%s:%ld%s", v6 ? "[" : "", ls->target->addrstr, v6 ? "]" : "",
                 ls->port, path);
    else
        snprintf(out, cap, "%s", path);
}

/* One request on a fresh connection; reads the response head. 0 or a negative sp_err. */
static int http_exchange(const struct login_service *ls, const char *path, const char *auth,
                         int64_t deadline, struct http_reply *rep)
{
    struct strbuf req;
    char why[200];
    ssize_t n;
    int rc = 0;
    const char *host = ls->target->addrstr;

    rep->len = 0;
    rep->status = -1;
    sb_init(&req);
    if (dialect(ls)->absolute_uri) {
        char uri[300];
        request_uri(ls, path, uri, sizeof(uri));
        sb_printf(&req, "%s %s RTSP/1.0\r\nCSeq: 2\r\n"
                        "Accept: application/sdp\r\nUser-Agent: starprobe\r\n", dialect(ls)->method, uri);
    } else {
        sb_printf(&req, "GET %s HTTP/1.1\r\nHost: %s%s%s:%ld\r\nUser-Agent: starprobe\r\n"
                        "Accept: */*\r\nConnection: close\r\n",
                  path, ls->target->family == AF_INET6 ? "[" : "", host,
                  ls->target->family == AF_INET6 ? "]" : "", ls->port);
    }
    if (auth)
        sb_printf(&req, "Authorization: %s\r\n", auth);
    sb_add(&req, "\r\n");
    n = http_roundtrip(ls->target, ls->port, ls->tls, req.buf, req.len, NULL, 0, http_head_done, deadline,
                       rep->buf, sizeof(rep->buf), why, sizeof(why));
    sb_free(&req);
    if (n < 0)
        return (int)n;
    rep->len = (size_t)n;
    /*
     * A status counts only with the whole head behind it: a device that
     * sends a status line and then headers without end (or stops half way)
     * has not answered, whatever its first line said.
     */
    if (rc == 0 && !http_head_done(rep->buf, rep->len, NULL))
        rc = SP_ERR_PARSE;
    (void)parse_head_any(rep->buf, rep->len, &rep->head);
    rep->status = rc == 0 && rep->head.status > 0 ? rep->head.status : -1;
    return rc;
}

/* The Location of a same-origin redirect as a path, into out; 0 if usable (docs/design.md §2.3: never another host). */
static int redirect_path(const struct http_reply *rep, const struct login_service *ls, char *out,
                         size_t cap)
{
    const struct http_dialect *d = dialect(ls);
    const char *scheme = ls->tls ? d->tls_scheme : d->scheme;
    long dport = ls->tls ? d->tls_port : d->port;

    if (!rep->head.location[0])
        return -1;
    return http_same_origin_path_as(rep->head.location, scheme, dport, ls->target->host,
                                    ls->target->addrstr, ls->port, out, cap) ? 0 : -1;
}

/* ---- logins through an HTML form and a session cookie ---- */

/*
 * A web UI without a 401 challenge logs users in through a form: the page a
 * user opens ("/") redirects to a login page or serves the form itself;
 * the form posts a user name and password (and hidden anti-CSRF tokens) and
 * the device answers with a session cookie. An attempt counts as a login
 * only on positive proof: a page that, asked without the session in this
 * same attempt, led to the login form now answers with something else under
 * the session (or the page the login sent us to answers only with the
 * session). The login form coming back, or the device saying the login
 * failed, is a refusal; everything else is unconfirmed.
 */

#define FORM_RAW_MAX (64 * 1024)
#define FORM_HOPS 4
#define FORM_COOKIE_MAX (COOKIE_JAR_MAX * (COOKIE_NAME_MAX + COOKIE_VALUE_MAX + 3))

struct form_reply {
    struct http_response h;
    int status;                 /* -1 until a whole head came */
    uint8_t *raw;               /* FORM_RAW_MAX + 1 bytes */
    uint8_t *body;              /* FORM_RAW_MAX bytes, de-chunked */
    size_t bodylen;
    char path[256];             /* the path that answered, after redirects */
};

static struct form_reply *form_reply_new(void)
{
    struct form_reply *r = xcalloc(1, sizeof(*r));

    r->raw = xmalloc(FORM_RAW_MAX + 1);    /* http_roundtrip NUL-terminates */
    r->body = xmalloc(FORM_RAW_MAX);
    r->status = -1;
    return r;
}

static void form_reply_free(struct form_reply *r)
{
    if (!r)
        return;
    free(r->raw);
    free(r->body);
    free(r);
}

/* The origin as a browser names it, for Origin and Referer ("http://192.0.2.1:8080"). */
static void form_origin(const struct login_service *ls, char *out, size_t cap)
{
    int v6 = ls->target->family == AF_INET6;

    snprintf(out, cap, "%s://%s%s%s:%ld", ls->tls ? "https" : "http", v6 ? "[" : "",
             ls->target->addrstr, v6 ? "]" : "", ls->port);
}

/* A path that can go in a request line as it is: '/', then visible ASCII only. */
static int form_path_ok(const char *p)
{
    if (!p || p[0] != '/')
        return 0;
    for (; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return 0;
    return 1;
}

/*
 * One request on a fresh connection, with the jar's cookies; the reply's
 * Set-Cookie headers go into the jar. body (urlencoded) makes it a form
 * submission; referer is the path of the page the form came from. 0 with
 * rep filled, or a negative sp_err.
 */
static int form_request(const struct login_service *ls, const char *method, const char *path,
                        const char *body, const char *referer, struct cookie_jar *jar,
                        int64_t deadline, struct form_reply *rep)
{
    struct strbuf req;
    char why[200], origin[80], *cookie = NULL;
    int complete;
    ssize_t n;
    long bl;
    int v6 = ls->target->family == AF_INET6;

    rep->status = -1;
    rep->bodylen = 0;
    memset(&rep->h, 0, sizeof(rep->h));
    sp_strlcpy(rep->path, path, sizeof(rep->path));
    if (!form_path_ok(path))
        return SP_ERR_USAGE;
    form_origin(ls, origin, sizeof(origin));
    sb_init(&req);
    sb_printf(&req, "%s %s HTTP/1.1\r\nHost: %s%s%s:%ld\r\nUser-Agent: starprobe\r\n"
                    "Accept: text/html,*/*\r\nConnection: close\r\n",
              method, path, v6 ? "[" : "", ls->target->addrstr, v6 ? "]" : "", ls->port);
    if (jar->n) {
        cookie = xmalloc(FORM_COOKIE_MAX);
        if (cookie_jar_header(jar, cookie, FORM_COOKIE_MAX) == 0)
            sb_printf(&req, "Cookie: %s\r\n", cookie);
        free(cookie);
    }
    if (referer && form_path_ok(referer))
        sb_printf(&req, "Referer: %s%s\r\n", origin, referer);
    if (body)
        sb_printf(&req, "Origin: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        "Content-Length: %zu\r\n", origin, strlen(body));
    sb_add(&req, "\r\n");
    n = http_roundtrip(ls->target, ls->port, ls->tls, req.buf, req.len, body, body ? strlen(body) : 0,
                       http_reply_done, deadline, rep->raw, FORM_RAW_MAX + 1, why, sizeof(why));
    sb_free(&req);
    if (n <= 0)
        return n == SP_ERR_TIMEOUT ? SP_ERR_CLOSED : (int)n;
    if (http_parse_head(rep->raw, (size_t)n, &rep->h) != 0 || !rep->h.complete)
        return SP_ERR_PARSE;
    rep->status = rep->h.status;
    (void)cookie_jar_update(jar, rep->raw, rep->h.head_len);
    bl = http_body(rep->raw, (size_t)n, &rep->h, rep->body, FORM_RAW_MAX, &complete);
    rep->bodylen = bl > 0 ? (size_t)bl : 0;
    return 0;
}

/* A Location on this origin as a path into out: 1, or 0 (docs/design.md §2.3: never another host). */
static int form_location(const struct login_service *ls, const char *loc, char *out, size_t cap)
{
    return loc[0] && http_same_origin_path(loc, ls->target->host, ls->target->addrstr, ls->port,
                                           ls->tls, out, cap);
}

/*
 * GET start with the jar, then its same-origin redirects (FORM_HOPS at
 * most), as a browser would; the way goes into trail ("GET / -> 302 ->
 * /login.cgi -> 200"). 0 with the last answer in rep, or a negative sp_err.
 */
static int form_get(const struct login_service *ls, const char *start, struct cookie_jar *jar,
                    int64_t deadline, struct form_reply *rep, struct strbuf *trail)
{
    char cur[256], next[256];

    sp_strlcpy(cur, start, sizeof(cur));
    sb_printf(trail, "GET %s", cur);
    for (int hop = 0;; hop++) {
        int e = form_request(ls, "GET", cur, NULL, NULL, jar, deadline, rep);
        if (e < 0) {
            sb_printf(trail, " -> %s", net_strerror(e));
            return e;
        }
        sb_printf(trail, " -> %d", rep->status);
        if (rep->status / 100 != 3 || hop >= FORM_HOPS ||
            !form_location(ls, rep->h.location, next, sizeof(next)) || strcmp(next, cur) == 0)
            return 0;
        sb_printf(trail, " -> %s", next);
        sp_strlcpy(cur, next, sizeof(cur));
    }
}

/*
 * Does a page say a login failed? Used only to withhold a success, never to
 * make a refusal: words alone prove nothing either way.
 */
static int form_says_failed(const uint8_t *body, size_t len)
{
    static const char *const words[] = {"login failed", "login failure", "incorrect",
                                        "wrong password", "invalid password", "invalid user",
                                        "authentication failed", "access denied", "bad password"};
    for (size_t i = 0; i < SP_ARRAY_LEN(words); i++)
        if (sp_memcasemem(body, len, words[i]))
            return 1;
    return 0;
}

/* What the page in rep is to a login: its form (into f) and kind; only 2xx pages have one. */
static enum html_form_kind form_kind(const struct form_reply *rep, struct html_form *f)
{
    if (rep->status / 100 != 2) {
        memset(f, 0, sizeof(*f));
        return HTML_FORM_NONE;
    }
    return html_find_form(rep->body, rep->bodylen, f);
}

/* A short printable excerpt of a page for the transcript: its <title>, else its first bytes. */
static char *form_excerpt(const struct form_reply *rep)
{
    const uint8_t *t = sp_memcasemem(rep->body, rep->bodylen, "<title");
    const uint8_t *b = rep->body, *end = rep->body + rep->bodylen;

    if (t) {
        const uint8_t *gt = memchr(t, '>', (size_t)(end - t));
        const uint8_t *close = gt ? sp_memcasemem(gt, (size_t)(end - gt), "</title") : NULL;
        size_t n = close && close - gt > 1 ? (size_t)(close - gt - 1) : 0;
        if (n)
            return sp_printable(gt + 1, n < 60 ? n : 60, 80);
    }
    return sp_printable(b, rep->bodylen < 60 ? rep->bodylen : 60, 80);
}

/*
 * No 401 anywhere: look for a login form, at "/" first, then at each path,
 * following same-origin redirects. The first page with a login form that
 * posts to this origin is the one. 0 with ls set (mode PASSWORD, scheme
 * "form"); SP_ERR_PARSE with ls untouched when there is none, what was seen
 * appended to seen.
 */
static int form_discover(struct login_service *ls, const char *const *list, int64_t deadline,
                         struct strbuf *seen)
{
    struct form_reply *rep = form_reply_new();
    struct html_form *f = xmalloc(sizeof(*f));
    struct cookie_jar jar;
    char action[256];
    int rc = SP_ERR_PARSE;

    for (int i = -1; i < 0 || (list && list[i]); i++) {
        const char *start = i < 0 ? "/" : list[i];
        struct strbuf trail;
        enum html_form_kind k;
        int e;

        sb_init(&trail);
        cookie_jar_init(&jar);
        e = form_get(ls, start, &jar, deadline, rep, &trail);
        k = e == 0 ? form_kind(rep, f) : HTML_FORM_NONE;
        /*
         * Guessing into a form that sets something would change the device:
         * a page auth.unauthenticated's rule calls a settings form (one
         * password beside a field that is no user name, "device_name") is
         * never tried, whatever the form reader made of its fields.
         */
        if (k == HTML_FORM_LOGIN && http_body_form(rep->body, rep->bodylen) == HTTP_FORM_SETTINGS)
            k = HTML_FORM_SETS_PASSWORD;
        if (k == HTML_FORM_LOGIN && !f->formless &&
            html_form_target(f, rep->path, ls->target->host, ls->target->addrstr, ls->port, ls->tls,
                             action, sizeof(action)) == 0 &&
            sp_strlcpy(ls->form.action, action, sizeof(ls->form.action)) < sizeof(ls->form.action)) {
            struct strbuf hid;
            sb_init(&hid);
            for (size_t j = 0; j < f->nfields; j++)
                if (f->fields[j].type == HTML_FIELD_HIDDEN && f->fields[j].name[0])
                    sb_printf(&hid, "%s%s", hid.len ? ", " : "", f->fields[j].name);
            sp_strlcpy(ls->form.start, start, sizeof(ls->form.start));
            sp_strlcpy(ls->path, rep->path, sizeof(ls->path));
            sp_strlcpy(ls->form.user_field, f->fields[f->user].name, sizeof(ls->form.user_field));
            sp_strlcpy(ls->form.pass_field, f->fields[f->pass].name, sizeof(ls->form.pass_field));
            sp_strlcpy(ls->form.hidden, hid.len ? hid.buf : "", sizeof(ls->form.hidden));
            ls->form.post = f->post;
            sp_strlcpy(ls->scheme, "form", sizeof(ls->scheme));
            ls->mode = LOGIN_MODE_PASSWORD;
            snprintf(ls->how, sizeof(ls->how),
                     "%.90s: a login form (%s %.50s, fields '%.20s' and '%.20s'%s%.40s%s)",
                     trail.buf, f->post ? "POST" : "GET", action, ls->form.user_field,
                     ls->form.pass_field, hid.len ? ", hidden: " : "", hid.len ? hid.buf : "",
                     jar.n ? ", with a cookie" : "");
            sb_free(&hid);
            sb_free(&trail);
            rc = 0;
            break;
        }
        sb_printf(seen, "; %s%s", trail.len ? trail.buf : start,
                  k == HTML_FORM_LOGIN ? (f->formless ? ": login fields without a form (sent by script)"
                                                      : ": a login form that posts to another origin")
                  : k == HTML_FORM_SETS_PASSWORD ? ": a form that sets a password, not a login"
                  : e == 0 ? ": no login form" : "");
        sb_free(&trail);
        if (e == SP_ERR_TIMEOUT || e == SP_ERR_REFUSED || sp_ms_left(deadline) <= 0)
            break;
    }
    free(f);
    form_reply_free(rep);
    return rc;
}

static void form_login_attempt(const struct login_service *ls, const char *user, const char *pass,
                               int64_t deadline, struct login_result *out)
{
    struct form_reply *rep = form_reply_new(), *chk = form_reply_new();
    struct html_form *f = xmalloc(sizeof(*f));
    struct cookie_jar jar, before;
    struct strbuf t;
    char action[256], *body = NULL, *ex = NULL, page[256], next[256];
    enum html_form_kind post_kind, k = HTML_FORM_NONE;
    int e = 0, post_status, post_failed, at_start;
    size_t cap;

    sb_init(&t);
    cookie_jar_init(&jar);
    /*
     * The page that needs the session, asked without one, leads to a fresh
     * form (a new cookie, a new token). Asked once more with the cookies that
     * set, it must still: the only difference left is the login.
     */
    for (int round = 0; round < 2; round++) {
        sb_free(&t);
        sb_init(&t);
        e = form_get(ls, ls->form.start, &jar, deadline, rep, &t);
        if (e < 0 || (k = form_kind(rep, f)) != HTML_FORM_LOGIN || jar.n == 0)
            break;
    }
    login_note(out, "%s", t.len ? t.buf : "");
    if (e < 0) {
        out->status = e == SP_ERR_REFUSED ? LOGIN_LOCKED : LOGIN_ERROR;
        goto cleanup;
    }
    if (k != HTML_FORM_LOGIN || f->formless) {
        out->status = rep->status == 429 || rep->status == 423 || rep->status == 503 ? LOGIN_LOCKED
                                                                                       : LOGIN_ERROR;
        ex = form_excerpt(rep);
        login_note(out, "'%s': no login form there any more", ex);
        goto cleanup;
    }
    if (html_form_target(f, rep->path, ls->target->host, ls->target->addrstr, ls->port, ls->tls,
                         action, sizeof(action)) != 0) {
        out->status = LOGIN_ERROR;
        login_note(out, "the form now submits to another origin");
        goto cleanup;
    }
    cap = FORM_RAW_MAX;
    body = xmalloc(cap);
    if (html_form_encode(f, user, pass, body, cap) == 0) {
        out->status = LOGIN_ERROR;
        login_note(out, "the form cannot carry these credentials");
        goto cleanup;
    }
    sp_strlcpy(page, rep->path, sizeof(page));
    before = jar;
    login_note(out, "(login form%s); %s %s as '%s' ->", jar.n ? ", cookie" : "",
               f->post ? "POST" : "GET", action, user);
    if (f->post) {
        e = form_request(ls, "POST", action, body, page, &jar, deadline, rep);
    } else {
        /* A GET form carries its fields in the query (and the password in the URL). */
        char *url = xasprintf("%s%s%s", action, strchr(action, '?') ? "&" : "?", body);
        e = form_request(ls, "GET", url, NULL, page, &jar, deadline, rep);
        free(url);
    }
    if (e < 0) {
        out->status = e == SP_ERR_REFUSED ? LOGIN_LOCKED : LOGIN_ERROR;
        login_note(out, "%s", net_strerror(e));
        goto cleanup;
    }
    login_note(out, "%d", rep->status);
    if (rep->status == 429 || rep->status == 423 || rep->status == 503) {
        out->status = LOGIN_LOCKED;
        goto cleanup;
    }
    /* Where the login sends the browser. */
    if (rep->status / 100 == 3 && form_location(ls, rep->h.location, next, sizeof(next))) {
        sb_free(&t);
        sb_init(&t);
        e = form_get(ls, next, &jar, deadline, rep, &t);
        login_note(out, "-> %s", t.len ? t.buf : "");
        if (e < 0) {
            out->status = LOGIN_ERROR;
            goto cleanup;
        }
    }
    post_status = rep->status;
    post_kind = form_kind(rep, f);
    post_failed = post_status / 100 == 2 && form_says_failed(rep->body, rep->bodylen);
    free(ex);
    ex = form_excerpt(rep);
    login_note(out, "'%s'%s;", ex, post_kind == HTML_FORM_LOGIN ? " (the login form again)" : "");
    at_start = strcmp(rep->path, ls->form.start) == 0;

    /* The proof: the page that led to the form without the session, asked with it. */
    sb_free(&t);
    sb_init(&t);
    e = form_get(ls, ls->form.start, &jar, deadline, chk, &t);
    if (e == 0 && chk->status / 100 == 2 && form_kind(chk, f) != HTML_FORM_LOGIN &&
        !form_says_failed(chk->body, chk->bodylen)) {
        free(ex);
        ex = form_excerpt(chk);
        login_note(out, "with the session: %s '%s' (without it: the login form)", t.buf, ex);
        out->status = LOGIN_OK;
        goto cleanup;
    }
    /* Or the page the login sent us to answers only with the session. */
    if (post_status / 100 == 2 && post_kind != HTML_FORM_LOGIN && !post_failed && !at_start) {
        char there[256];
        sp_strlcpy(there, rep->path, sizeof(there));
        sb_free(&t);
        sb_init(&t);
        e = form_get(ls, there, &before, deadline, chk, &t);
        if (e == 0 && (chk->status == 401 || chk->status == 403 ||
                       form_kind(chk, f) == HTML_FORM_LOGIN)) {
            login_note(out, "without the session: %s (the login form or a refusal)", t.buf);
            out->status = LOGIN_OK;
        } else {
            login_note(out, "but without the session: %s as well: unconfirmed",
                       t.len ? t.buf : there);
            out->status = LOGIN_ERROR;
        }
        goto cleanup;
    }
    if (post_kind == HTML_FORM_LOGIN) {
        login_note(out, "refused");
        out->status = LOGIN_REJECTED;
    } else {
        login_note(out, "then %s: neither a session nor the login form", t.len ? t.buf : "");
        out->status = LOGIN_ERROR;
    }
cleanup:
    free(ex);
    free(body);
    free(f);
    sb_free(&t);
    form_reply_free(chk);
    form_reply_free(rep);
}

int http_login_prepare(struct login_service *ls, const char *const *paths, int64_t deadline)
{
    static const char *const fallback[] = {"/admin", "/cgi-bin", "/api", "/config", "/setup",
                                           "/system", NULL};
    struct http_reply *rep = xmalloc(sizeof(*rep));
    struct strbuf seen, forms;
    int rc = SP_ERR_PARSE, answered = 0;
    const char *const *list = paths ? paths : fallback;

    sb_init(&seen);
    sb_init(&forms);
    ls->mode = LOGIN_MODE_UNKNOWN;
    for (int i = -1; list && (i < 0 || list[i]); i++) {
        char path[160];
        sp_strlcpy(path, i < 0 ? "/" : list[i], sizeof(path));
        if (dialect(ls)->absolute_uri && i >= 0)
            break;      /* RTSP: the root presentation is what a player asks for */
        for (int hop = 0; hop < 3; hop++) {
            int e = http_exchange(ls, path, NULL, deadline, rep);
            if (e < 0) {
                sb_printf(&seen, "%s%s: %s", seen.len ? "; " : "", path, net_strerror(e));
                if (e == SP_ERR_TIMEOUT || e == SP_ERR_REFUSED)
                    goto out;
                break;
            }
            answered++;
            sb_printf(&seen, "%s%s: %d", seen.len ? "; " : "", path, rep->status);
            if (rep->status == 401) {
                struct http_challenge ch;
                if (http_parse_challenge(rep->buf, rep->len, &ch) == 0) {
                    sp_strlcpy(ls->path, path, sizeof(ls->path));
                    sp_strlcpy(ls->scheme, ch.scheme, sizeof(ls->scheme));
                    sp_strlcpy(ls->algorithm, ch.algorithm[0] ? ch.algorithm : "MD5",
                               sizeof(ls->algorithm));
                    ls->mode = LOGIN_MODE_PASSWORD;
                    char *how = xasprintf("%s %s answers 401 with %s%s%s realm \"%.60s\"",
                                          dialect(ls)->method, path,
                                          ch.scheme, strcmp(ch.scheme, "Digest") == 0 ? " " : "",
                                          strcmp(ch.scheme, "Digest") == 0 ? ls->algorithm : "",
                                          ch.realm);
                    sp_strlcpy(ls->how, how, sizeof(ls->how));
                    free(how);
                    rc = 0;
                    goto out;
                }
            }
            if ((rep->status == 301 || rep->status == 302 || rep->status == 303 ||
                 rep->status == 307 || rep->status == 308) &&
                redirect_path(rep, ls, path, sizeof(path)) == 0)
                continue;
            break;
        }
        if (sp_ms_left(deadline) <= 0)
            break;
    }
    if (answered && !dialect(ls)->absolute_uri && sp_ms_left(deadline) > 0 &&
        form_discover(ls, list, deadline, &forms) == 0) {
        rc = 0;
        goto out;
    }
    if (answered) {
        /*
         * Answers, but asks for credentials neither by a challenge nor through a
         * login form: nothing the slot can try (a login by script may still exist,
         * hence PROTO_OPEN_UNPROVEN).
         */
        ls->mode = LOGIN_MODE_OPEN;
        rc = 0;
    }
out:
    if (ls->mode != LOGIN_MODE_PASSWORD)
        snprintf(ls->how, sizeof(ls->how), "no HTTP authentication challenge found (%.110s)%s%.110s%s",
                 seen.len ? seen.buf : "no answer", forms.len ? " and no login form (" : "",
                 forms.len ? forms.buf + 2 : "", forms.len ? ")" : "");
    sb_free(&seen);
    sb_free(&forms);
    free(rep);
    return rc;
}

void http_login_attempt(const struct login_service *ls, const char *user, const char *pass,
                        int64_t deadline, struct login_result *out)
{
    struct http_reply *rep = xmalloc(sizeof(*rep));
    struct http_challenge ch;
    char auth[768], cnonce[17], uri[300];
    const char *method = dialect(ls)->method;
    int e;

    if (strcmp(ls->scheme, "form") == 0) {
        free(rep);
        form_login_attempt(ls, user, pass, deadline, out);
        return;
    }
    memset(&ch, 0, sizeof(ch));
    if (strcmp(ls->scheme, "Digest") == 0) {
        /* A fresh nonce for each attempt: a server may bind nonces to one use. */
        e = http_exchange(ls, ls->path, NULL, deadline, rep);
        if (e < 0 || rep->status != 401 || http_parse_challenge(rep->buf, rep->len, &ch) != 0 ||
            strcmp(ch.scheme, "Digest") != 0) {
            out->status = LOGIN_ERROR;    /* a refused connect is a fault as much as a lock */
            login_note(out, "no Digest challenge on %s (%s)", ls->path,
                       e < 0 ? net_strerror(e) : "unexpected reply");
            if (e >= 0)
                login_note_bytes(out, "", rep->buf, rep->len < 80 ? rep->len : 80);
            goto cleanup;
        }
    } else {
        sp_strlcpy(ch.scheme, "Basic", sizeof(ch.scheme));
    }
    login_marker(cnonce, sizeof(cnonce));
    request_uri(ls, ls->path, uri, sizeof(uri));
    if (http_authorization(&ch, method, uri, user, pass, cnonce, auth, sizeof(auth)) != 0) {
        out->status = LOGIN_ERROR;
        login_note(out, "cannot encode these credentials");
        goto cleanup;
    }
    login_note(out, "%s %s (%s%s%s)", method, ls->path, ch.scheme,
               strcmp(ch.scheme, "Digest") == 0 ? " " : "",
               strcmp(ch.scheme, "Digest") == 0 ? (ch.algorithm[0] ? ch.algorithm : "MD5") : "");
    e = http_exchange(ls, ls->path, auth, deadline, rep);
    /*
     * A directory answered with credentials often redirects to itself with a
     * slash (busybox httpd: /admin -> /admin/). Follow same-host redirects,
     * but only into places that also refuse us without credentials, so the
     * 2xx still proves the login.
     */
    for (int hop = 0; e >= 0 && hop < 3 && rep->status >= 301 && rep->status <= 308; hop++) {
        char next[160];
        struct http_reply *plain;
        int pe, ps;
        if (redirect_path(rep, ls, next, sizeof(next)) != 0)
            break;
        plain = xmalloc(sizeof(*plain));
        pe = http_exchange(ls, next, NULL, deadline, plain);
        ps = plain->status;
        if (pe == 0 && ps == 401 && strcmp(ch.scheme, "Digest") == 0)
            pe = http_parse_challenge(plain->buf, plain->len, &ch);
        free(plain);
        if (pe < 0 || ps != 401) {
            login_note(out, "redirected to %s, which does not ask for credentials (%d):", next, ps);
            break;
        }
        request_uri(ls, next, uri, sizeof(uri));
        if (http_authorization(&ch, method, uri, user, pass, cnonce, auth, sizeof(auth)) != 0)
            break;
        login_note(out, "-> %d, redirected to %s (401 there too) ->", rep->status, next);
        e = http_exchange(ls, next, auth, deadline, rep);
    }
    if (e < 0) {
        out->status = LOGIN_ERROR;
        login_note(out, "-> %s", net_strerror(e));
        goto cleanup;
    }
    {
        const uint8_t *eol = memchr(rep->buf, '\n', rep->len);
        size_t l1 = eol ? (size_t)(eol - rep->buf) : rep->len;
        while (l1 > 0 && rep->buf[l1 - 1] == '\r')
            l1--;
        login_note_bytes(out, "-> ", rep->buf, l1 > 100 ? 100 : l1);
    }
    out->status = login_http_status(rep->status);
    if (out->status == LOGIN_OK)
        login_note(out, "(401 without credentials)");
cleanup:
    free(rep);
}

/* ---- auth.unauthenticated: what the service gives a client with no credentials ---- */

#define EXCERPT 160
#define HTTP_RAW_MAX (64 * 1024)
#define HTTP_MAX_REDIRECTS 3



/* One GET of the service on a fresh connection. */
static int http_get_once(struct run *r, const struct service *s, int tls, const char *path,
                         int64_t op_ms, struct http_fetch *f)
{
    return http_fetch_get(r, s->port, tls, path, op_ms, f);
}

/* GET, following redirects that stay on the target, at most HTTP_MAX_REDIRECTS. */
static int http_get(struct run *r, const struct service *s, int tls, const char *path, int64_t op_ms,
                    struct http_fetch *f, int *hops)
{
    char cur[256], next[256];
    int rc;

    sp_strlcpy(cur, path, sizeof(cur));
    for (*hops = 0;; (*hops)++) {
        rc = http_get_once(r, s, tls, cur, op_ms, f);
        if (rc != 0 || f->h.status / 100 != 3 || !f->h.location[0] || *hops >= HTTP_MAX_REDIRECTS ||
            http_location_is_login(f->h.location))
            return rc;
        if (!http_same_origin_path(f->h.location, r->target.host, r->target.addrstr, s->port, tls,
                                   next, sizeof(next)) || strcmp(next, cur) == 0)
            return rc;
        sp_strlcpy(cur, next, sizeof(cur));
    }
}

static char *body_excerpt(const struct http_fetch *f)
{
    return sp_printable(f->body, f->bodylen < EXCERPT ? f->bodylen : EXCERPT, EXCERPT + 40);
}

/* Bodies within 10 % (or 64 bytes) of each other's length, or equal, count as the same page. */
static int http_similar(size_t a, uint64_t ha, size_t b, uint64_t hb)
{
    size_t d = a > b ? a - b : b - a, m = a > b ? a : b;

    return ha == hb || d <= 64 || d * 10 <= m;
}

static void http_service(struct run *r, struct service *s, int tls, const struct check *c,
                         struct unauth_facts *items)
{
    const struct ynode *paths = c ? check_param(c, "http_paths") : NULL;
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    struct http_fetch f;
    struct { int valid, is2xx; size_t len; uint64_t hash; int status; } soft = {0};
    struct http_facts *hf = http_facts_new();
    char probe_path[64], *ex;
    uint8_t rnd[6];
    int hops;
    static const char *const dflt[] = {"/admin", "/cgi-bin", "/api", "/config", "/setup", "/system"};
    size_t npaths = paths && paths->type == Y_SEQ ? paths->n : SP_ARRAY_LEN(dflt);

    memset(&f, 0, sizeof(f));
    f.body = xmalloc(HTTP_RAW_MAX);
    /* A path no device has: how the server answers for nothing (a soft 404 answers 2xx). */
    if (wire_random(rnd, sizeof(rnd)) != 0)
        memset(rnd, 0x5a, sizeof(rnd));
    snprintf(probe_path, sizeof(probe_path), "/starprobe-%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1],
             rnd[2], rnd[3], rnd[4], rnd[5]);
    if (http_get(r, s, tls, probe_path, op_ms, &f, &hops) == 0) {
        soft.valid = 1;
        soft.status = f.h.status;
        soft.is2xx = f.h.status / 100 == 2;
        soft.len = f.bodylen;
        soft.hash = f.hash;
        hf->probed = 1;
        hf->soft_404_status = f.h.status;
        /* What the server says of itself before any login (banners.versions). */
        hf->server = xstrdup(f.server);
        hf->x_powered_by = xstrdup(f.powered);
    }

    /*
     * "/" first, then the configured paths: the page a browser opens is where an unauthenticated
     * setup or settings page sits, and it is asked whatever the profile lists.
     */
    for (size_t k = 0; k <= npaths; k++) {
        size_t i = k - 1;
        const char *path = k == 0 ? "/"
                           : paths && paths->type == Y_SEQ
                               ? (paths->items[i]->type == Y_SCALAR ? paths->items[i]->value : NULL)
                               : dflt[i];
        int rc;
        if (!path || path[0] != '/' || (k > 0 && strcmp(path, "/") == 0))
            continue;
        if (run_expired(r)) {
            /* A path the deadline kept us from asking is no refusal (docs/design.md §4.3). */
            unauth_item(items, "path", path, "undecided", "not asked: the run deadline passed");
            continue;
        }
        memset(&f.h, 0, sizeof(f.h));
        f.bodylen = 0;
        f.err[0] = '\0';
        rc = http_get(r, s, tls, path, op_ms, &f, &hops);
        if (rc != 0) {
            unauth_item(items, "path", path, "undecided", "%s", f.err);
            continue;
        }
        if (!hf->server) {
            /* the first answer, when the probe of a path no device has got none */
            hf->server = xstrdup(f.server);
            hf->x_powered_by = xstrdup(f.powered);
        }
        const char *via = hops ? " after redirect to " : "";
        const char *viap = hops ? f.path : "";
        int st = f.h.status;
        if (st == 401 || st == 403 || st == 407) {
            unauth_item(items, "path", path, "protected", "%s%s%s", f.h.status_line, via, viap);
        } else if (st / 100 == 3) {
            char next[256];
            int login = http_location_is_login(f.h.location);
            /*
             * Still a redirect on the device itself: the chain was cut (too many hops, or a
             * loop) before any answer. What lies at its end was not seen, so it is no refusal
             * (docs/design.md §4.3); a redirect to another origin is one we may not follow.
             */
            int cut = !login && http_same_origin_path(f.h.location, r->target.host, r->target.addrstr,
                                                      s->port, tls, next, sizeof(next));
            if (cut)
                unauth_item(items, "path", path, "undecided",
                         "%s, Location: %s (a redirect chain on the device that did not end "
                         "within %d hops)", f.h.status_line, f.h.location, HTTP_MAX_REDIRECTS);
            else
                unauth_item(items, "path", path, login ? "protected" : "absent", "%s, Location: %s%s",
                         f.h.status_line, f.h.location,
                         login ? " (a login page)" : " (not followed: another origin)");
        } else if (st / 100 == 2) {
            enum http_form form = http_body_form(f.body, f.bodylen);
            ex = body_excerpt(&f);
            if (form == HTTP_FORM_LOGIN) {
                unauth_item(items, "path", path, "protected", "%s%s%s serves a login form: '%s'",
                         f.h.status_line, via, viap, ex);
            } else if (form == HTTP_FORM_SETTINGS) {
                /* It sets a password or key: a function, not a question of who is asking. */
                http_facts_add_open(hf, path, NULL, st);
                unauth_item(items, "path", path, "open", "%s%s%s without credentials serves a form "
                         "that sets a password or key (not a login form), %zu bytes: '%s'",
                         f.h.status_line, via, viap, f.bodylen, ex);
            } else if (k == 0) {
                /*
                 * The front page of a device that answers at all; with no login and no
                 * settings form on it, it shows no gated function either way.
                 */
                unauth_item(items, "path", path, "absent", "%s%s%s, %zu bytes, a page without a "
                         "login or settings form", f.h.status_line, via, viap, f.bodylen);
            } else if (f.bodylen == 0) {
                unauth_item(items, "path", path, "ambiguous", "%s%s%s with an empty body",
                         f.h.status_line, via, viap);
            } else if (soft.valid && soft.is2xx &&
                       http_similar(f.bodylen, f.hash, soft.len, soft.hash)) {
                unauth_item(items, "path", path, "ambiguous",
                         "%s%s%s, %zu bytes, like the %zu-byte answer to the non-existent %s "
                         "(the server answers 2xx to anything)",
                         f.h.status_line, via, viap, f.bodylen, soft.len, probe_path);
            } else {
                http_facts_add_open(hf, path, hops ? f.path : NULL, st);
                struct unauth_item_facts *it =
                    unauth_item(items, "path", path, "open", "%s%s%s without credentials, %zu bytes: '%s'",
                                f.h.status_line, via, viap, f.bodylen, ex);
                /* The final path may be the one the declaration names. */
                if (hops)
                    it->final_path = xstrdup(f.path);
            }
            free(ex);
        } else {
            unauth_item(items, "path", path, "absent", "%s%s%s", f.h.status_line, via, viap);
        }
    }
    free(f.body);
    /* An ONVIF camera's device service is SOAP on this same web server (onvif.c). */
    if (!run_expired(r))
        onvif_unauth(r, s, tls, op_ms, items, hf);
    run_set_http_facts(r, s, hf);
}

/*
 * transport.plaintext: a login form the credential checks found (in the
 * login or the bruteforce facts), or a Basic challenge in the reply that
 * identified the service.
 */
static int http_asks_credentials(const struct service *s, char *why, size_t whylen, char *what,
                                 size_t whatlen)
{
    const struct login_form_facts *f = s->login && s->login->form             ? s->login->form
                                       : s->bruteforce && s->bruteforce->form ? s->bruteforce->form
                                                                              : NULL;
    const uint8_t *v;
    size_t vl;

    if (f) {
        snprintf(why, whylen,
                 "plaintext HTTP serves a password login form at %s (%s to %s, "
                 "password field '%s'): the password travels in clear text",
                 sp_str_or(f->page, ""), f->post ? "POST" : "GET", sp_str_or(f->action, ""),
                 sp_str_or(f->password_field, ""));
        snprintf(what, whatlen, "http login form");
        return 1;
    }
    if (http_status_line_ok(s->reply, s->replylen, "HTTP/") &&
        wire_hdr_find(s->reply, s->replylen, "WWW-Authenticate", &v, &vl) &&
        wire_has_prefix_ci(v, vl, "Basic")) {
        snprintf(why, whylen, "plaintext HTTP asks for Basic credentials: %s",
                 s->ident ? s->ident : "WWW-Authenticate: Basic");
        snprintf(what, whatlen, "http Basic");
        return 1;
    }
    return 0;
}

/* banners.versions: the Server and X-Powered-By headers of the unauthenticated GET. */
static int http_pre_login_texts(const struct service *s, proto_text_fn add, void *arg, char *why,
                                size_t whylen)
{
    const struct http_facts *http = s->http;

    if (!http || !http->server) {
        snprintf(why, whylen, "no HTTP response was read without credentials, so its Server "
                              "header is unknown");
        return -1;
    }
    add(arg, "Server header", http->server);
    if (http->x_powered_by && http->x_powered_by[0])
        add(arg, "X-Powered-By header", http->x_powered_by);
    return 0;
}

/* RTSP (rtsp.c) logs in through this file's client: HTTP's grammar with another method and URI form. */
static const struct http_dialect http_dialect = {"http", "https", "GET", 80, 443, 0};
static const char *const http_names[] = {"http", NULL};
static const char *const http_tls_names[] = {"https", NULL};

const struct proto proto_http = {
    .name = "http",
    .names = http_names,
    .tls_names = http_tls_names,
    /* A web page with neither a 401 nor a login form the slot finds may still log in by script. */
    .flags = PROTO_OPEN_UNPROVEN | PROTO_HTTP_REQUESTS,
    .priv = &http_dialect,
    .login_prepare = http_login_prepare,
    .login_attempt = http_login_attempt,
    .unauth = http_service,
    .facts_key = "http",
    .asks_credentials = http_asks_credentials,
    .pre_login_texts = http_pre_login_texts,
};
