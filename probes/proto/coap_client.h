/*
 * coap_client.h - the CoAP client every probe uses to talk CoAP (RFC 7252)
 * beyond identification: a session to target:port over plain UDP, or over
 * DTLS with a pre-shared key or with no credentials at all, and GET with
 * block-wise (RFC 7959 Block2) reassembly under byte and block caps. The
 * protocol work (CON/ACK, retransmission, separate responses, Block2
 * sequencing, the DTLS handshake) is libcoap 4.3.1's; this module owns the
 * libcoap context of each session, the deadlines, and the bounds on what a
 * device may make us keep.
 *
 * Why two CoAP codes exist: port identification (ident.c, coap_wire.c) sends
 * one fixed hand-built datagram per port during the scan and reads one reply;
 * it has to fit the scan's own socket loop, thousands of ports in flight and
 * no session. Everything that talks CoAP beyond that one datagram goes
 * through this module and so through libcoap.
 *
 * Deadlines: every call that waits takes an absolute deadline (sp_now_ms
 * clock) and returns by then, whatever the device does or does not send.
 *
 * Threads: libcoap 4.3.1 is not thread-safe (it keeps process-wide state,
 * e.g. a packet counter written on every send), so every libcoap call made
 * here holds one process-wide mutex. The waiting itself happens outside that
 * mutex (poll on the session's own epoll descriptor), so sessions in
 * different threads wait for their devices at the same time. Each session
 * owns its own libcoap context; one session must not be used by two threads.
 */
#ifndef SP_COAP_CLIENT_H
#define SP_COAP_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"

/* How the session is secured. */
enum spcoap_security {
    SPCOAP_UDP,             /* coap:// */
    SPCOAP_DTLS_PSK,        /* coaps:// with the identity and key given */
    SPCOAP_DTLS_NOCRED      /* coaps:// with no credentials; the server certificate is not verified */
};

struct spcoap_psk {
    const char *identity;
    const uint8_t *key;
    size_t keylen;
};

/* What one GET may cost at most. */
struct spcoap_limits {
    size_t max_bytes;       /* payload kept; a longer body is truncated (0: 256 KiB) */
    unsigned max_blocks;    /* Block2 blocks asked for (0: 1024) */
    int reply_ms;           /* wait for each reply, restarted when a block arrives (0: up to the deadline) */
};

#define SPCOAP_DEFAULT_MAX_BYTES (256u * 1024u)
#define SPCOAP_DEFAULT_MAX_BLOCKS 1024u

/* A response: the code and the whole (reassembled, possibly truncated) payload. */
struct spcoap_reply {
    uint8_t code;           /* class << 5 | detail, as on the wire: 0x45 is 2.05 */
    uint8_t *payload;       /* heap, len bytes and a NUL after them; NULL when empty */
    size_t len;
    unsigned blocks;        /* Block2 blocks received; 0 when the answer was not block-wise */
    int truncated;          /* a cap, a gap in the blocks or the deadline ended it before the last block */
};

struct spcoap;

/*
 * Open a session. For DTLS the handshake is completed here: 0 once it is;
 * SP_ERR_REFUSED when the server ended it (an alert, a closed session) —
 * for SPCOAP_DTLS_NOCRED that means the server wants credentials;
 * SP_ERR_TIMEOUT when it did not finish by the deadline. psk is used only
 * with SPCOAP_DTLS_PSK. *out is set on success only; on failure a sentence
 * on the cause goes into why (may be NULL).
 */
int spcoap_open(struct spcoap **out, const struct sp_target *t, int port, enum spcoap_security sec,
                const struct spcoap_psk *psk, int64_t deadline, char *why, size_t whylen);

/*
 * GET path ("/a/b?x=1&y"). When the previous GET was stopped by a cap or
 * the deadline while blocks were still coming, a fresh libcoap session (for
 * DTLS a new handshake) is started first: libcoap 4.3.1 has already asked for
 * the next block and offers no way to call the rest off, and the device must
 * not be kept sending blocks nobody reads. 0 with *out filled (free it with
 * spcoap_reply_free), including a partial body when the deadline passed
 * after the first block; SP_ERR_TIMEOUT when nothing answered;
 * SP_ERR_REFUSED on a reset (RST) or port unreachable; SP_ERR_CLOSED when
 * the DTLS session ended; SP_ERR_USAGE for a path CoAP cannot carry
 * (a segment over 255 bytes); SP_ERR_NOMEM. lim may be NULL (defaults).
 */
int spcoap_get(struct spcoap *c, const char *path, const struct spcoap_limits *lim, int64_t deadline,
               struct spcoap_reply *out);

void spcoap_reply_free(struct spcoap_reply *r);

/* A sentence on the last failure of a GET on c ("reset (RST)"), never NULL. */
const char *spcoap_why(const struct spcoap *c);

void spcoap_close(struct spcoap *c);

/* ---- pure parts, exposed for the unit tests ---- */

/* One Uri-Path (11) or Uri-Query (15) option of a path. */
struct spcoap_opt {
    uint16_t number;
    const char *s;          /* points into the path */
    size_t len;
};

/*
 * Split path into its options as coap_build_get does: leading '/' skipped,
 * one Uri-Path per '/'-separated segment, one Uri-Query per non-empty
 * '&'-separated part after '?'. The count, or SP_ERR_USAGE when a part is
 * over 255 bytes or there are more than max.
 */
int spcoap_path_split(const char *path, struct spcoap_opt *opts, size_t max);

/* A body being reassembled from blocks. */
struct spcoap_body {
    uint8_t *buf;
    size_t len, alloc;
    unsigned blocks;
    int complete, truncated;
};

/*
 * Add one block (offset and data as libcoap hands them over, more: the Block2
 * M bit, 0 for an answer that is not block-wise). 1 when the transfer is over
 * (complete, or truncated by a cap or by a block that is not the next one),
 * 0 when the next block is wanted, SP_ERR_NOMEM. A block already kept with
 * the same bytes is a retransmission and is ignored; a different block at
 * offset 0 starts the body again (libcoap restarts when the ETag changes).
 * Both still count against max_blocks.
 */
int spcoap_body_add(struct spcoap_body *b, const struct spcoap_limits *lim, size_t offset,
                    const uint8_t *data, size_t len, int more, int blockwise);
void spcoap_body_free(struct spcoap_body *b);

#endif
