/*
 * rtsp_wire.h - what auth.unauthenticated asks an RTSP server (RFC 2326):
 * OPTIONS and DESCRIBE without credentials, the reply's end (RTSP replies
 * share HTTP's head syntax, read by http_wire.c, and carry a body only with
 * Content-Length), whether a body is a session description (SDP, RFC 4566)
 * a player could use, and what a DESCRIBE reply means for access. Pure; unit
 * tested and fuzzed.
 */
#ifndef SP_RTSP_WIRE_H
#define SP_RTSP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "http_wire.h"

/*
 * "METHOD uri RTSP/1.0" with CSeq, a User-Agent and, for DESCRIBE, Accept:
 * application/sdp. Returns the length, or 0 when method or uri hold bytes
 * that cannot go into a request line (blanks, controls) or buf is too small.
 */
size_t rtsp_build_request(uint8_t *buf, size_t cap, const char *method, const char *uri,
                          unsigned cseq);

/* A net_done_fn: 1 once the reply head is complete and its Content-Length body has arrived. */
int rtsp_reply_done(const uint8_t *buf, size_t len, void *arg);

/*
 * The body of a complete reply head h in buf: *body points into buf, *blen
 * is what arrived of it, cut at Content-Length (RTSP has no chunked bodies).
 */
void rtsp_body(const uint8_t *buf, size_t len, const struct http_response *h, const uint8_t **body,
               size_t *blen);

struct rtsp_sdp {
    int valid;          /* "v=0" first, then an o= or s= line: a session description */
    unsigned media;     /* m= lines: the streams a player can set up */
    char kinds[64];     /* their media types, "video,audio" (printable, bounded) */
    char name[64];      /* s= (printable, bounded) */
};

/* Read an SDP body. 0 with out->valid set when it is one, SP_ERR_PARSE when not. */
int rtsp_sdp_parse(const uint8_t *body, size_t len, struct rtsp_sdp *out);

/*
 * What a DESCRIBE without credentials answered with status (and, for a 2xx,
 * the session description sdp, may be NULL): "open" for a 2xx carrying an
 * SDP with at least one stream, "ambiguous" for a 2xx without one,
 * "protected" for 401/403/407, "absent" for 404, "undecided" for anything
 * else (a redirect, a server error, a method the server does not know).
 */
const char *rtsp_describe_result(int status, const struct rtsp_sdp *sdp);

#endif
