/*
 * http_wire.c - a bounded HTTP/1.x response reader and GET builder (see
 * http_wire.h). Device bytes are hostile: every index is checked against
 * len, header lines and the head have fixed ceilings, chunk sizes are
 * parsed digit by digit with an overflow guard.
 */
#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http_wire.h"
#include "starprobe.h"
#include "util.h"
#include "wire.h"

#define HEAD_MAX 16384
#define LINE_MAX_LEN 4096

/* Request-line and Host bytes must be visible ASCII: nothing to smuggle a header with. */
static int token_ok(const char *s, int allow_colon_brackets)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c >= 0x7f)
            return 0;
        if (!allow_colon_brackets && (c == '[' || c == ']'))
            return 0;
    }
    return 1;
}

/*
 * The Host header's value for host (an IPv6 literal in brackets, RFC 3986)
 * into h, and ":port" into p unless it is the scheme's default. 0, or -1
 * when the host does not fit.
 */
static int host_header(char *h, size_t hlen, char *p, size_t plen, const char *host, long port,
                       int tls)
{
    int n;

    if (strchr(host, ':') && host[0] != '[')
        n = snprintf(h, hlen, "[%s]", host);
    else
        n = snprintf(h, hlen, "%s", host);
    if (n < 0 || (size_t)n >= hlen)
        return -1;
    if (port > 0 && port <= 65535 && port != (tls ? 443 : 80))
        snprintf(p, plen, ":%ld", port);
    return 0;
}
size_t http_build_get(uint8_t *buf, size_t cap, const char *host, long port, int tls,
                      const char *path)
{
    char h[280], p[16] = "";
    int n;

    if (!token_ok(path, 1) || path[0] != '/' || !token_ok(host, 1) || strlen(host) > 255)
        return 0;
    if (host_header(h, sizeof(h), p, sizeof(p), host, port, tls) != 0)
        return 0;
    n = snprintf((char *)buf, cap,
                 "GET %s HTTP/1.0\r\nHost: %s%s\r\nUser-Agent: starprobe/" STARPROBE_VERSION
                 "\r\nAccept: */*\r\nConnection: close\r\n\r\n", path, h, p);
    return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

size_t http_build_post(uint8_t *buf, size_t cap, const char *host, long port, int tls,
                       const char *path, const char *content_type, const char *soapaction,
                       size_t bodylen)
{
    char h[280], p[16] = "", sa[300] = "";
    int n;

    if (!token_ok(path, 1) || path[0] != '/' || !token_ok(host, 1) || strlen(host) > 255 ||
        !content_type || strpbrk(content_type, "\r\n") ||
        (soapaction && (strpbrk(soapaction, "\r\n\"") || strlen(soapaction) > 256)))
        return 0;
    if (host_header(h, sizeof(h), p, sizeof(p), host, port, tls) != 0)
        return 0;
    if (soapaction)
        snprintf(sa, sizeof(sa), "SOAPACTION: \"%s\"\r\n", soapaction);
    n = snprintf((char *)buf, cap,
                 "POST %s HTTP/1.0\r\nHost: %s%s\r\nUser-Agent: starprobe/" STARPROBE_VERSION
                 "\r\nAccept: */*\r\nConnection: close\r\nContent-Type: %s\r\n%s"
                 "Content-Length: %zu\r\n\r\n", path, h, p, content_type, sa, bodylen);
    return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

/* The end of the line starting at off (index of '\n'), or len if none. */
static size_t line_end(const uint8_t *buf, size_t len, size_t off)
{
    const uint8_t *nl = off < len ? memchr(buf + off, '\n', len - off) : NULL;
    return nl ? (size_t)(nl - buf) : len;
}

static void copy_printable(char *dst, size_t dcap, const uint8_t *src, size_t n)
{
    char *p = sp_printable(src, n, dcap - 1);
    sp_strlcpy(dst, p, dcap);
    free(p);
}

/* Header name match, case-insensitive, followed by ':'; returns the value offset or 0. */
static size_t header_value(const uint8_t *line, size_t n, const char *name)
{
    size_t k = strlen(name), v;

    if (n <= k || line[k] != ':' || strncasecmp((const char *)line, name, k) != 0)
        return 0;
    v = k + 1;
    while (v < n && (line[v] == ' ' || line[v] == '\t'))
        v++;
    return v;
}

int http_parse_head(const uint8_t *buf, size_t len, struct http_response *out)
{
    return http_parse_head_proto(buf, len, "HTTP/", out);
}

int http_parse_head_proto(const uint8_t *buf, size_t len, const char *proto,
                          struct http_response *out)
{
    size_t off, e, n, pl = strlen(proto);
    int lineno = 0;

    memset(out, 0, sizeof(*out));
    out->content_length = -1;
    if (pl == 0 || (len >= 1 && buf[0] != (uint8_t)proto[0]))
        return SP_ERR_PARSE;
    if (len < pl)
        return memcmp(buf, proto, len) == 0 ? 0 : SP_ERR_PARSE;
    if (memcmp(buf, proto, pl) != 0)
        return SP_ERR_PARSE;
    for (off = 0; off < len; off = e + 1, lineno++) {
        e = line_end(buf, len, off);
        if (e == len)     /* no newline yet */
            return len - off > LINE_MAX_LEN || len > HEAD_MAX ? SP_ERR_PARSE : 0;
        n = e - off;
        if (n > LINE_MAX_LEN || e > HEAD_MAX)
            return SP_ERR_PARSE;
        if (n > 0 && buf[off + n - 1] == '\r')
            n--;
        if (lineno == 0) {
            /* "HTTP/1.1 200 OK": three digits after the first space. */
            const uint8_t *sp = memchr(buf + off, ' ', n);
            size_t s = sp ? (size_t)(sp - (buf + off)) + 1 : n;
            if (s + 3 > n || !isdigit(buf[off + s]) || !isdigit(buf[off + s + 1]) ||
                !isdigit(buf[off + s + 2]) || (s + 3 < n && buf[off + s + 3] != ' '))
                return SP_ERR_PARSE;
            out->status = (buf[off + s] - '0') * 100 + (buf[off + s + 1] - '0') * 10 +
                          (buf[off + s + 2] - '0');
            if (out->status < 100)
                return SP_ERR_PARSE;
            copy_printable(out->status_line, sizeof(out->status_line), buf + off, n);
            continue;
        }
        if (n == 0) {
            out->complete = 1;
            out->head_len = e + 1;
            return 0;
        }
        const uint8_t *l = buf + off;
        size_t v;
        if ((v = header_value(l, n, "Location")) != 0) {
            copy_printable(out->location, sizeof(out->location), l + v, n - v);
        } else if ((v = header_value(l, n, "Content-Length")) != 0) {
            long long cl = 0;
            size_t i = v;
            if (i >= n || !isdigit(l[i]))
                return SP_ERR_PARSE;
            for (; i < n && isdigit(l[i]); i++) {
                if (cl > (1LL << 40))
                    return SP_ERR_PARSE;
                cl = cl * 10 + (l[i] - '0');
            }
            out->content_length = cl;
        } else if ((v = header_value(l, n, "Transfer-Encoding")) != 0) {
            out->chunked = sp_memcasemem(l + v, n - v, "chunked") != NULL;
        } else if (header_value(l, n, "WWW-Authenticate") != 0) {
            out->www_authenticate = 1;
        }
    }
    return 0;
}

int http_header_next(const uint8_t *buf, size_t len, const char *name, size_t *pos,
                     const uint8_t **val, size_t *vlen)
{
    size_t off = *pos, e, n, v;

    if (off == 0) {
        /* Skip the status line. */
        off = line_end(buf, len, 0);
        if (off >= len)
            return 0;
        off++;
    }
    for (; off < len; off = e + 1) {
        e = line_end(buf, len, off);
        n = e - off;
        if (n > 0 && buf[off + n - 1] == '\r')
            n--;
        if (n == 0)
            break;              /* end of the head: what follows is body */
        v = header_value(buf + off, n, name);
        if (v != 0) {
            *val = buf + off + v;
            *vlen = n - v;
            *pos = e < len ? e + 1 : len;
            return 1;
        }
    }
    *pos = len;
    return 0;
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (uint8_t)tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static size_t put(uint8_t *out, size_t cap, size_t have, const uint8_t *src, size_t n)
{
    if (!out || have >= cap)
        return have;
    if (n > cap - have)
        n = cap - have;
    memcpy(out + have, src, n);
    return have + n;
}

long http_body(const uint8_t *buf, size_t len, const struct http_response *h,
               uint8_t *out, size_t cap, int *complete)
{
    size_t off = h->head_len, have = 0;

    *complete = 0;
    if (!h->complete || off > len)
        return 0;
    /* No body by definition (RFC 9110 §6.4.1). */
    if (h->status / 100 == 1 || h->status == 204 || h->status == 304) {
        *complete = 1;
        return 0;
    }
    if (!h->chunked) {
        size_t n = len - off;
        if (h->content_length >= 0 && (unsigned long long)h->content_length <= n) {
            n = (size_t)h->content_length;
            *complete = 1;
        }
        have = put(out, cap, 0, buf + off, n);
        return (long)have;
    }
    for (;;) {
        unsigned long long sz = 0;
        size_t e = line_end(buf, len, off), i = off;
        int digits = 0;
        if (e == len)
            return (long)have;          /* size line not complete yet */
        for (; i < e && hexval(buf[i]) >= 0; i++, digits++) {
            if (sz > (1ULL << 40))
                return SP_ERR_PARSE;
            sz = sz * 16 + (unsigned)hexval(buf[i]);
        }
        if (digits == 0)
            return SP_ERR_PARSE;
        off = e + 1;
        if (sz == 0) {
            *complete = 1;              /* trailers are not needed */
            return (long)have;
        }
        if (sz > len - off) {
            have = put(out, cap, have, buf + off, len - off);
            return (long)have;
        }
        have = put(out, cap, have, buf + off, (size_t)sz);
        off += (size_t)sz;
        /* CRLF after the chunk data. */
        if (off < len && buf[off] == '\r')
            off++;
        if (off < len && buf[off] == '\n')
            off++;
        else if (off < len)
            return SP_ERR_PARSE;
        if (off >= len)
            return (long)have;
    }
}

int http_reply_done(const uint8_t *buf, size_t len, void *arg)
{
    struct http_response h;
    int complete = 0;

    (void)arg;
    if (http_parse_head(buf, len, &h) != 0)
        return 1;       /* not HTTP: nothing more will make sense of it */
    if (!h.complete)
        return 0;
    if (h.content_length < 0 && !h.chunked && h.status / 100 != 1 && h.status != 204 &&
        h.status != 304)
        return 0;       /* ends at close */
    if (http_body(buf, len, &h, NULL, 0, &complete) < 0)
        return 1;
    return complete;
}

int http_location_is_login(const char *location)
{
    static const char *const words[] = {"login", "signin", "sign-in", "logon", "auth"};
    size_t n = strlen(location);

    for (size_t i = 0; i < SP_ARRAY_LEN(words); i++)
        if (sp_memcasemem((const uint8_t *)location, n, words[i]))
            return 1;
    return 0;
}

uint64_t http_fnv1a(const uint8_t *buf, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (size_t i = 0; i < len; i++) {
        h ^= buf[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

int http_same_origin_path(const char *location, const char *host, const char *addr, long port,
                          int tls, char *path, size_t pathcap)
{
    return http_same_origin_path_as(location, tls ? "https" : "http", tls ? 443 : 80, host, addr,
                                    port, path, pathcap);
}

int http_same_origin_path_as(const char *location, const char *scheme, long default_port,
                             const char *host, const char *addr, long port, char *path,
                             size_t pathcap)
{
    const char *p = location, *auth, *slash, *hp_end;
    size_t hl, sl = strlen(scheme);
    long lport = default_port;

    if (p[0] == '/' && p[1] != '/') {
        return sp_strlcpy(path, p, pathcap) < pathcap;
    }
    if (strncasecmp(p, scheme, sl) != 0 || strncmp(p + sl, "://", 3) != 0)
        return 0;
    auth = p + sl + 3;
    slash = strchr(auth, '/');
    hp_end = slash ? slash : auth + strlen(auth);
    /* host[:port], with IPv6 in brackets */
    const char *colon = NULL;
    if (*auth == '[') {
        const char *rb = memchr(auth, ']', (size_t)(hp_end - auth));
        if (!rb)
            return 0;
        hl = (size_t)(rb - auth - 1);
        if (rb + 1 < hp_end && rb[1] == ':')
            colon = rb + 1;
        auth++;
    } else {
        colon = memchr(auth, ':', (size_t)(hp_end - auth));
        hl = (size_t)((colon ? colon : hp_end) - auth);
    }
    if (colon) {
        char pb[8];
        size_t pl = (size_t)(hp_end - colon - 1);
        if (pl == 0 || pl >= sizeof(pb))
            return 0;
        memcpy(pb, colon + 1, pl);
        pb[pl] = '\0';
        if (sp_parse_int(pb, 1, 65535, &lport) != 0)
            return 0;
    }
    if (lport != port)
        return 0;
    if (!((host && strlen(host) == hl && strncasecmp(auth, host, hl) == 0) ||
          (addr && strlen(addr) == hl && strncasecmp(auth, addr, hl) == 0)))
        return 0;
    return sp_strlcpy(path, slash ? slash : "/", pathcap) < pathcap;
}

/* ---- identifying a port (the tables in probes/ident.c) --------------------- */

size_t http_ident_build(uint8_t *buf, size_t cap, const char *host, long port)
{
    char h[260], p[16] = "";

    if (wire_host_for_url(h, sizeof(h), host) != 0)
        return 0;
    if (port > 0 && port != 80 && port <= 65535)
        snprintf(p, sizeof(p), ":%ld", port);
    /* HTTP/1.0 and Connection: close so the server ends the reply by closing. */
    return wire_snprintf_len(snprintf((char *)buf, cap,
                                    "GET / HTTP/1.0\r\nHost: %s%s\r\n"
                                    "User-Agent: starprobe/" STARPROBE_VERSION "\r\n"
                                    "Accept: */*\r\nConnection: close\r\n\r\n", h, p), cap);
}

size_t rtsp_ident_build(uint8_t *buf, size_t cap, const char *host, long port)
{
    char h[260];

    if (wire_host_for_url(h, sizeof(h), host) != 0 || port <= 0 || port > 65535)
        return 0;
    return wire_snprintf_len(snprintf((char *)buf, cap,
                                    "OPTIONS rtsp://%s:%ld/ RTSP/1.0\r\nCSeq: 1\r\n"
                                    "User-Agent: starprobe/" STARPROBE_VERSION "\r\n\r\n", h, port), cap);
}

/* "PROTO/d.d NNN" followed by space or end of line. */
int http_status_line_ok(const uint8_t *b, size_t n, const char *proto)
{
    size_t k = strlen(proto);

    if (n < k + 7 || memcmp(b, proto, k) != 0)
        return 0;
    b += k;
    if (!wire_is_digit(b[0]) || b[1] != '.' || !wire_is_digit(b[2]) || b[3] != ' ' ||
        !wire_is_digit(b[4]) || !wire_is_digit(b[5]) || !wire_is_digit(b[6]))
        return 0;
    return n == k + 7 || b[7] == ' ' || b[7] == '\r' || b[7] == '\n';
}

int http_ident_match(const uint8_t *buf, size_t len, struct ident_result *out)
{
    const uint8_t *v;
    size_t vl;
    struct dbuf d;

    /* HTTP/1.x only: "HTTP/2" has no text status line to be found here. */
    if (!http_status_line_ok(buf, len, "HTTP/") || buf[5] != '1')
        return 0;
    ident_result_init(out);
    ident_set_service(out, "http");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    dbuf_printf(&d, "'");
    dbuf_esc(&d, buf, wire_line_len(buf, len), 60);
    dbuf_printf(&d, "'");
    dbuf_hdr(&d, buf, len, "Server", 60);
    if (wire_hdr_find(buf, len, "WWW-Authenticate", &v, &vl)) {
        /* Basic sends the password in the clear: the checks need to see it named. */
        if (wire_has_prefix_ci(v, vl, "Basic"))
            dbuf_printf(&d, ", WWW-Authenticate Basic '");
        else if (wire_has_prefix_ci(v, vl, "Digest"))
            dbuf_printf(&d, ", WWW-Authenticate Digest '");
        else
            dbuf_printf(&d, ", WWW-Authenticate '");
        dbuf_esc(&d, v, vl, 60);
        dbuf_printf(&d, "'");
    }
    return 1;
}

int rtsp_ident_match(const uint8_t *buf, size_t len, struct ident_result *out)
{
    struct dbuf d;

    if (!http_status_line_ok(buf, len, "RTSP/"))
        return 0;
    ident_result_init(out);
    ident_set_service(out, "rtsp");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    dbuf_printf(&d, "'");
    dbuf_esc(&d, buf, wire_line_len(buf, len), 60);
    dbuf_printf(&d, "'");
    dbuf_hdr(&d, buf, len, "CSeq", 12);
    dbuf_hdr(&d, buf, len, "Server", 60);
    dbuf_hdr(&d, buf, len, "WWW-Authenticate", 50);
    dbuf_hdr(&d, buf, len, "Public", 70);
    return 1;
}
