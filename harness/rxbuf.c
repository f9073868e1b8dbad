/*
 * rxbuf.c - the sliding receive buffer (see rxbuf.h). The kept bytes are
 * always contiguous in mem, so searches and parsers see one slice. Storage is
 * twice the capacity: dropping old bytes only moves off forward, and the kept
 * bytes are copied back to the front only when an append would run past the
 * storage, which happens at most once per cap bytes appended.
 */
#include <stdlib.h>
#include <string.h>

#include "rxbuf.h"
#include "starprobe.h"
#include "util.h"

int rxbuf_init(struct rxbuf *b, size_t cap)
{
    memset(b, 0, sizeof(*b));
    if (cap == 0 || cap > RXBUF_MAX_CAP)
        return SP_ERR_USAGE;
    b->mem = xmalloc(2 * cap);
    b->cap = cap;
    return 0;
}

void rxbuf_free(struct rxbuf *b)
{
    free(b->mem);
    memset(b, 0, sizeof(*b));
}

void rxbuf_append(struct rxbuf *b, const void *bytes, size_t n)
{
    const uint8_t *p = bytes;

    if (n == 0)
        return;
    if (b->cap == 0) {
        /* Keeps nothing, but positions still advance so callers' arithmetic holds. */
        b->start += n;
        return;
    }
    if (n >= b->cap) {
        /* Everything kept so far and the head of the new bytes go; the last cap bytes stay. */
        b->start += b->len + (n - b->cap);
        memcpy(b->mem, p + (n - b->cap), b->cap);
        b->off = 0;
        b->len = b->cap;
        return;
    }
    if (b->len + n > b->cap) {
        size_t drop = b->len + n - b->cap;
        b->off += drop;
        b->len -= drop;
        b->start += drop;
    }
    if (b->off + b->len + n > 2 * b->cap) {
        memmove(b->mem, b->mem + b->off, b->len);
        b->off = 0;
    }
    memcpy(b->mem + b->off + b->len, p, n);
    b->len += n;
}

uint64_t rxbuf_end(const struct rxbuf *b)
{
    return b->start + b->len;
}

uint64_t rxbuf_start(const struct rxbuf *b)
{
    return b->start;
}

/* A valid pointer for a zero-length slice of a buffer without storage. */
static const uint8_t empty_slice[1];

const uint8_t *rxbuf_since(const struct rxbuf *b, uint64_t pos, size_t *len)
{
    uint64_t end = rxbuf_end(b);

    if (pos < b->start)
        pos = b->start;
    if (pos > end)
        pos = end;
    *len = (size_t)(end - pos);
    if (!b->mem)
        return empty_slice;
    return b->mem + b->off + (size_t)(pos - b->start);
}

uint64_t rxbuf_lost(const struct rxbuf *b, uint64_t pos)
{
    return pos < b->start ? b->start - pos : 0;
}

const uint8_t *rxbuf_tail(const struct rxbuf *b, size_t n, size_t *len)
{
    size_t k = n < b->len ? n : b->len;

    return rxbuf_since(b, rxbuf_end(b) - k, len);
}
