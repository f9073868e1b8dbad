/*
 * rxbuf.h - a sliding receive buffer for session loops that accumulate a
 * device's bytes across reads (telnet text, chatty greetings). It keeps at
 * most cap of the newest bytes: a device that talks without end costs a fixed
 * amount of memory, and what matters (a prompt, a marker) is at the end.
 *
 * Every position is an absolute stream offset: how many bytes had been
 * appended before that byte since rxbuf_init. A caller remembers positions,
 * never pointers or indexes into the storage, so the buffer sliding forward
 * cannot turn a remembered place into an out-of-bounds one: a position whose
 * bytes were dropped reads from the oldest byte still kept. Pointers the
 * buffer hands out are valid until the next rxbuf_append or rxbuf_free.
 *
 * The buffer owns its storage (rxbuf_init allocates, rxbuf_free releases).
 * Not thread-safe: one session loop owns one buffer.
 */
#ifndef SP_RXBUF_H
#define SP_RXBUF_H

#include <stddef.h>
#include <stdint.h>

struct rxbuf {
    uint8_t *mem;       /* 2 * cap bytes, so sliding forward is an index move */
    size_t cap;         /* at most this many bytes are kept */
    size_t off;         /* where the oldest kept byte sits in mem */
    size_t len;         /* bytes kept, at most cap */
    uint64_t start;     /* stream position of the oldest kept byte = bytes dropped */
};

/* The largest capacity rxbuf_init accepts; a bound that keeps 2 * cap far from overflow. */
#define RXBUF_MAX_CAP ((size_t)64 * 1024 * 1024)

/*
 * Make b an empty buffer that keeps the newest cap bytes. 0, or SP_ERR_USAGE
 * when cap is 0 or above RXBUF_MAX_CAP (b is then an empty buffer that keeps
 * nothing but still counts, and rxbuf_free is still safe).
 */
int rxbuf_init(struct rxbuf *b, size_t cap);

/* Release the storage; safe on an unused, a failed or an already freed buffer, and on a zeroed one. */
void rxbuf_free(struct rxbuf *b);

/*
 * Append n bytes (bytes may be NULL when n is 0). When they do not fit, the
 * oldest kept bytes are dropped first, so the newest cap bytes are always
 * kept; positions already handed out stay meaningful.
 */
void rxbuf_append(struct rxbuf *b, const void *bytes, size_t n);

/* The stream position just after the last byte appended: what a caller remembers as "from here". */
uint64_t rxbuf_end(const struct rxbuf *b);

/* The stream position of the oldest byte still kept; equal to how many bytes were dropped. */
uint64_t rxbuf_start(const struct rxbuf *b);

/*
 * The kept bytes from stream position pos to the end, their count in *len.
 * A pos whose bytes were dropped is clamped up to the oldest kept byte (see
 * rxbuf_lost), a pos past the end gives 0 bytes. Never NULL, so it can be
 * handed to functions that read len bytes even when len is 0.
 */
const uint8_t *rxbuf_since(const struct rxbuf *b, uint64_t pos, size_t *len);

/* How many bytes from pos on were dropped before they could be read; 0 when none. */
uint64_t rxbuf_lost(const struct rxbuf *b, uint64_t pos);

/* The newest min(n, kept) bytes, their count in *len: the excerpt evidence shows. Never NULL. */
const uint8_t *rxbuf_tail(const struct rxbuf *b, size_t n, size_t *len);

#endif
