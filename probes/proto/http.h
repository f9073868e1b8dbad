/*
 * http.h - what the RTSP handler (rtsp.c) shares with the HTTP one (http.c):
 * the Basic/Digest login client, which reads the differences between the two
 * from the handler's priv, a struct http_dialect; and the no-credentials
 * client (http_client.c) that http.c, upnp.c and onvif.c ask through.
 */
#ifndef SP_PROTO_HTTP_H
#define SP_PROTO_HTTP_H

#include <stdint.h>
#include <sys/types.h>

#include "http_wire.h"

struct check;
struct login_service;
struct login_result;
struct run;
struct service;
struct unauth_facts;
struct http_facts;
struct sp_target;

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

/*
 * One exchange on a fresh connection to t's port, in the clear or inside
 * TLS: head (its request line and headers, up to the blank line) and body
 * sent, then the reply read until done says it is whole (http_reply_done for
 * a whole reply, http_head_done for its head alone), cap - 1 bytes, close or
 * the deadline; raw is NUL-terminated. The reply is read even when the send
 * failed part way (a device may refuse a body before taking all of it). The
 * bytes read, or a negative sp_err when none came (SP_ERR_CLOSED,
 * SP_ERR_TIMEOUT, the send's error, or the connect or handshake failure with
 * its reason in why, the only failure that writes why). Every HTTP and RTSP request starprobe
 * makes goes through it: the login client's, the form client's and the
 * no-credentials client's below differ only in what they ask and keep.
 */
ssize_t http_roundtrip(const struct sp_target *t, long port, int tls, const char *head, size_t headlen,
                       const char *body, size_t bodylen, int (*done)(const uint8_t *, size_t, void *),
                       int64_t deadline, uint8_t *raw, size_t cap, char *why, size_t whylen);

/*
 * The no-credentials client: one request on a fresh connection to the
 * target's port, redirects not followed, the body de-chunked and cut at
 * HTTP_FETCH_MAX (http_client.c). The UPnP and ONVIF askers (upnp.c,
 * onvif.c) put their SOAP through it, so every web question starprobe asks
 * goes one way.
 */
#define HTTP_FETCH_MAX (64 * 1024)

struct http_fetch {
    struct http_response h;
    uint8_t *body;          /* HTTP_FETCH_MAX bytes */
    size_t bodylen;
    uint64_t hash;
    char path[256];         /* the path that answered, after redirects */
    char err[200];
    char server[128];       /* Server header, printable; "" if none */
    char powered[128];      /* X-Powered-By header, printable; "" if none */
};

/* http_fetch_free is safe on an initialised, unused fetch. */
void http_fetch_init(struct http_fetch *f);
void http_fetch_free(struct http_fetch *f);

/* GET path on the target's port; 0 with f->h and the body, or a negative sp_err with f->err. */
int http_fetch_get(struct run *r, long port, int tls, const char *path, int64_t op_ms,
                   struct http_fetch *f);
/* POST body (a SOAP envelope) the same way; soapaction may be NULL (SOAP 1.2). */
int http_fetch_post(struct run *r, long port, int tls, const char *path, const char *content_type,
                    const char *soapaction, const char *body, int64_t op_ms, struct http_fetch *f);

/*
 * ONVIF on an HTTP service (onvif.c): GetDeviceInformation and GetUsers
 * posted to /onvif/device_service without WS-Security. Items only when the
 * service speaks SOAP there (or refuses with 401/403); facts into hf->onvif.
 */
void onvif_unauth(struct run *r, struct service *s, int tls, int64_t op_ms,
                  struct unauth_facts *items, struct http_facts *hf);

#endif
