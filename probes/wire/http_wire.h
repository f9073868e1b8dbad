/*
 * http_wire.h - the bytes of one HTTP/1.x exchange, for probes that ask a
 * device's web server a question (auth.unauthenticated): a GET request
 * builder and a bounded reader of the response head and body. Pure: no
 * sockets, so it is unit tested and fuzzed on its own.
 */
#ifndef SP_HTTP_WIRE_H
#define SP_HTTP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

struct http_response {
    int complete;               /* the header block ended (blank line seen) */
    int status;                 /* 100..999 */
    char status_line[128];      /* printable */
    char location[256];         /* Location header, printable; "" if none */
    long long content_length;   /* -1: none */
    int chunked;                /* Transfer-Encoding: chunked */
    int www_authenticate;       /* a WWW-Authenticate header was sent */
    size_t head_len;            /* offset of the body */
};

/*
 * GET path on host:port, HTTP/1.0 with Connection: close so the reply ends
 * at close. Returns the length, or 0 when the path or host holds bytes that
 * cannot go into a request line, or buf is too small.
 */
size_t http_build_get(uint8_t *buf, size_t cap, const char *host, long port, int tls,
                      const char *path);

/*
 * The head of a POST of bodylen bytes (the caller appends the body), for a
 * SOAP request: Content-Type content_type and, when soapaction is not NULL,
 * SOAPACTION: "soapaction" (UPnP control, SOAP 1.1). 0 under the same
 * conditions as http_build_get, or when a value holds CR, LF or a quote.
 */
size_t http_build_post(uint8_t *buf, size_t cap, const char *host, long port, int tls,
                       const char *path, const char *content_type, const char *soapaction,
                       size_t bodylen);

/*
 * Parse the response head in buf. 0 with out->complete set when the head
 * is all there; 0 with complete == 0 when more bytes are needed;
 * SP_ERR_PARSE when the bytes are not an HTTP response or a header is over
 * the bounds (head over 16 KiB, lines over 4 KiB).
 */
int http_parse_head(const uint8_t *buf, size_t len, struct http_response *out);
/*
 * The same for another HTTP-shaped protocol: proto is the version prefix,
 * "HTTP/" or "RTSP/" (RFC 2326 replies share the HTTP/1.1 head syntax).
 * For both: out->status is kept once the status line was read, even when a
 * later header makes the call return SP_ERR_PARSE.
 */
int http_parse_head_proto(const uint8_t *buf, size_t len, const char *proto,
                          struct http_response *out);

/*
 * The values of header `name` (case-insensitive) in a response head, one per
 * call, for headers that repeat (WWW-Authenticate). Start with *pos = 0;
 * returns 1 with the value (leading blanks skipped, CR dropped, not
 * NUL-terminated) in *val and *vlen, 0 when there are no more: the head ended
 * (blank line) or buf did. The status line is never a header.
 */
int http_header_next(const uint8_t *buf, size_t len, const char *name, size_t *pos,
                     const uint8_t **val, size_t *vlen);

/*
 * The body after the head: de-chunked when chunked, cut at Content-Length,
 * at most cap bytes copied. Returns the body length written to out (the
 * caller may pass out NULL and cap 0 to ask only whether it is complete);
 * *complete is 1 when the whole body has arrived (Content-Length reached,
 * last chunk seen). SP_ERR_PARSE on a malformed chunk size.
 */
long http_body(const uint8_t *buf, size_t len, const struct http_response *h,
               uint8_t *out, size_t cap, int *complete);

/* A net_done_fn: 1 once the response (head and body) is complete. */
int http_reply_done(const uint8_t *buf, size_t len, void *arg);

/* Does a redirect target look like a login page (login, signin, auth)? */
int http_location_is_login(const char *location);

/* 64-bit FNV-1a, to compare bodies without keeping them. */
uint64_t http_fnv1a(const uint8_t *buf, size_t len);

/*
 * If location points at the same origin (a path, or an absolute URL whose
 * host is host or addr and whose port is port), write its path into path and
 * return 1. Anything else (another host, another port, another scheme) is
 * not followed: docs/design.md §2.3, starprobe talks to the target only.
 */
int http_same_origin_path(const char *location, const char *host, const char *addr, long port,
                          int tls, char *path, size_t pathcap);
/* The same for any scheme ("rtsp", default port 554): http_same_origin_path is "http"/80 or "https"/443. */
int http_same_origin_path_as(const char *location, const char *scheme, long default_port,
                             const char *host, const char *addr, long port, char *path,
                             size_t pathcap);

/*
 * Identifying a port (probes/ident.c tries these in its order): the request
 * that asks the question, and the matcher that says whether a reply is this
 * protocol, filling out (service, evidence) only when it is.
 */
size_t http_ident_build(uint8_t *buf, size_t cap, const char *host, long port);

size_t rtsp_ident_build(uint8_t *buf, size_t cap, const char *host, long port);

int http_ident_match(const uint8_t *buf, size_t len, struct ident_result *out);

int rtsp_ident_match(const uint8_t *buf, size_t len, struct ident_result *out);

/* Does b start with a status line "PROTO" + "d.d ddd" (PROTO is "HTTP/" or "RTSP/")? */
int http_status_line_ok(const uint8_t *b, size_t n, const char *proto);

#endif
