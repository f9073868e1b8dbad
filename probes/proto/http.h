/*
 * http.h - what the RTSP handler (rtsp.c) shares with the HTTP one (http.c):
 * the Basic/Digest login client, which reads the differences between the two
 * from the handler's priv, a struct http_dialect.
 */
#ifndef SP_PROTO_HTTP_H
#define SP_PROTO_HTTP_H

#include <stdint.h>

struct login_service;
struct login_result;

/* What differs between HTTP and RTSP logins; the handler's priv. */
struct http_dialect {
    const char *scheme, *tls_scheme;    /* for same-origin redirects */
    const char *method;                 /* the request that meets the challenge */
    long port, tls_port;                /* default ports, for same-origin redirects */
    int absolute_uri;                   /* RTSP requests name the whole URL (RFC 2326 §6.1) */
};

/* The login slots (proto.h) of both handlers: a 401 challenge found, then one pair tried. */
int http_login_prepare(struct login_service *ls, const char *const *paths, int64_t deadline);
void http_login_attempt(const struct login_service *ls, const char *user, const char *pass,
                        int64_t deadline, struct login_result *out);

#endif
