/*
 * tlsconn.h - one client TLS session over a net.h socket, for probes that
 * must speak a protocol inside TLS (HTTPS, MQTTS). Certificates are not
 * verified: these probes ask what the service gives away, and
 * tls.certificate judges the certificate. Implemented in tlsinner.c beside
 * the identification handshake, with the same deadline-bound BIO.
 */
#ifndef SP_TLSCONN_H
#define SP_TLSCONN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "net.h"

struct tls_conn;

/*
 * Connect to target:port and finish a handshake before deadline. Returns
 * the session (the caller frees it with tls_conn_close) or NULL with a
 * reason in err and, when code is not NULL, a negative sp_err in *code: the
 * connect error, the socket error that broke the handshake, SP_ERR_PARSE
 * for a handshake the peer refused, SP_ERR_INTERNAL for a local failure.
 */
struct tls_conn *tls_conn_open(const struct sp_target *t, long port, int64_t deadline, int *code,
                               char *err, size_t errlen);
/* 0 or a negative sp_err. */
int tls_conn_send(struct tls_conn *c, const void *buf, size_t len, int64_t deadline);
/* Like net_recv: bytes read, SP_ERR_CLOSED, SP_ERR_TIMEOUT or SP_ERR_IO. */
ssize_t tls_conn_recv(struct tls_conn *c, void *buf, size_t cap, int64_t deadline);
/* Sends close_notify, closes the socket, frees. NULL is fine. */
void tls_conn_close(struct tls_conn *c);

/*
 * What an open session negotiated: the version as the report writes it
 * ("TLSv1.2"), the suite by IANA name (mbedTLS's own name when the table in
 * tls_wire.c lacks it). Static strings, valid while c is open.
 */
const char *tls_conn_version(const struct tls_conn *c);
const char *tls_conn_suite(const struct tls_conn *c);
/* The certificates the server sent, leaf first, appended to chain (tlscert.h). */
struct tls_chain;
void tls_conn_peer_chain(const struct tls_conn *c, struct tls_chain *chain);

/*
 * A byte stream to the target, plain (our net.h socket) or TLS (a tls_conn,
 * which owns its own socket), for probes that speak the same protocol with
 * or without TLS. Every call is bounded by the deadline it is given.
 * Initialise with TLS_STREAM_INIT when it may be closed before it is opened.
 */
struct tls_stream {
    int fd;
    struct tls_conn *tls;
};
#define TLS_STREAM_INIT {.fd = -1, .tls = NULL}

/* 0, or a negative sp_err (the connect or handshake failure) with a reason in err. */
int tls_stream_open(struct tls_stream *st, const struct sp_target *t, long port, int tls,
                    int64_t deadline, char *err, size_t errlen);
/* 0 or a negative sp_err. */
int tls_stream_send(struct tls_stream *st, const void *buf, size_t len, int64_t deadline);
/* Like net_recv: bytes read, SP_ERR_CLOSED, SP_ERR_TIMEOUT or SP_ERR_IO. */
ssize_t tls_stream_recv(struct tls_stream *st, void *buf, size_t cap, int64_t deadline);
/*
 * Read until done(buf, len, arg) says the reply is whole, cap bytes, close or
 * the deadline. Bytes read, or a negative sp_err when none came.
 */
ssize_t tls_stream_recv_until(struct tls_stream *st, uint8_t *buf, size_t cap, int64_t deadline,
                              net_done_fn done, void *arg);
/* Closes whatever is open; may be called again. */
void tls_stream_close(struct tls_stream *st);

#endif
