/*
 * test_rxbuf.c - the sliding receive buffer (harness/rxbuf.c): what is kept
 * after appends across the capacity, that positions remembered before the
 * buffer slid still give valid (clamped) slices, the tail excerpt, the
 * dropped count, zero-length and exact-capacity edges, and a long random
 * run checked byte for byte against a flat copy of the whole stream.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "rxbuf.h"
#include "starprobe.h"
#include "unit.h"
#include "util.h"

static void check_row(int ok, int line, const char *row, const char *cond)
{
    char msg[256];

    snprintf(msg, sizeof(msg), "[%s] %s", row, cond);
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, (unsigned)line, msg, __FILE__, "", CU_FALSE);
}
#define CHECK(row, cond) check_row((cond) ? 1 : 0, __LINE__, (row), #cond)

/* The kept bytes equal want (a string)? */
static int kept_is(const struct rxbuf *b, const char *want)
{
    size_t len;
    const uint8_t *p = rxbuf_since(b, 0, &len);

    return p && len == strlen(want) && memcmp(p, want, len) == 0;
}

static void test_append_table(void)
{
    static const struct {
        const char *name;
        size_t cap;
        const char *chunks[8];      /* NULL-terminated */
        const char *kept;
        uint64_t dropped;
    } rows[] = {
        {"nothing appended", 8, {NULL}, "", 0},
        {"under the capacity", 8, {"abc", NULL}, "abc", 0},
        {"exactly the capacity in one", 8, {"abcdefgh", NULL}, "abcdefgh", 0},
        {"exactly the capacity in pieces", 8, {"abc", "de", "fgh", NULL}, "abcdefgh", 0},
        {"one byte over", 8, {"abcdefgh", "i", NULL}, "bcdefghi", 1},
        {"across the capacity in pieces", 8, {"abcde", "fghij", "klm", NULL}, "fghijklm", 5},
        {"one chunk larger than the capacity", 8, {"0123456789ab", NULL}, "456789ab", 4},
        {"large chunk after a small one", 8, {"xy", "0123456789", NULL}, "23456789", 4},
        {"chunk of exactly the capacity after others", 8, {"xyz", "01234567", NULL}, "01234567", 3},
        {"zero-length appends change nothing", 8, {"", "ab", "", NULL}, "ab", 0},
        {"many small chunks (storage compacted)", 8,
         {"abc", "def", "ghi", "jkl", "mno", "pqr", NULL}, "klmnopqr", 10},
        {"capacity 1", 1, {"ab", "c", NULL}, "c", 2},
    };
    for (size_t i = 0; i < SP_ARRAY_LEN(rows); i++) {
        struct rxbuf b;
        uint64_t total = 0;

        CHECK(rows[i].name, rxbuf_init(&b, rows[i].cap) == 0);
        for (size_t k = 0; rows[i].chunks[k]; k++) {
            size_t n = strlen(rows[i].chunks[k]);
            rxbuf_append(&b, rows[i].chunks[k], n);
            total += n;
        }
        CHECK(rows[i].name, kept_is(&b, rows[i].kept));
        CHECK(rows[i].name, rxbuf_start(&b) == rows[i].dropped);
        CHECK(rows[i].name, rxbuf_end(&b) == total);
        rxbuf_free(&b);
    }
}

/* The bug this module exists for: a position taken before a read that slid the buffer. */
static void test_positions_survive_trim(void)
{
    struct rxbuf b;
    const uint8_t *p;
    size_t len;
    uint64_t before;

    rxbuf_init(&b, 8);
    rxbuf_append(&b, "abcd", 4);
    before = rxbuf_end(&b);
    CHECK("end after abcd", before == 4);
    rxbuf_append(&b, "efghijklmn", 10);     /* more than the capacity: abcdef dropped */
    p = rxbuf_since(&b, before, &len);
    CHECK("clamped to the oldest kept byte", len == 8 && memcmp(p, "ghijklmn", 8) == 0);
    CHECK("two bytes from 'before' were lost", rxbuf_lost(&b, before) == 2);
    CHECK("nothing lost from the oldest kept byte", rxbuf_lost(&b, rxbuf_start(&b)) == 0);
    p = rxbuf_since(&b, 10, &len);
    CHECK("a kept position", len == 4 && memcmp(p, "klmn", 4) == 0);
    CHECK("nothing lost from a kept position", rxbuf_lost(&b, 10) == 0);
    p = rxbuf_since(&b, rxbuf_end(&b), &len);
    CHECK("at the end: empty, not NULL", p != NULL && len == 0);
    p = rxbuf_since(&b, rxbuf_end(&b) + 1000, &len);
    CHECK("past the end: empty, not NULL", p != NULL && len == 0);
    p = rxbuf_since(&b, UINT64_MAX, &len);
    CHECK("far past the end: empty", p != NULL && len == 0);

    /* A slide by less than the capacity: the slice from 'before' is exactly what came since. */
    before = rxbuf_end(&b);
    rxbuf_append(&b, "XYZ", 3);
    p = rxbuf_since(&b, before, &len);
    CHECK("what came since, after a partial slide", len == 3 && memcmp(p, "XYZ", 3) == 0);
    CHECK("kept after a partial slide", kept_is(&b, "jklmnXYZ") && rxbuf_start(&b) == 9);
    rxbuf_free(&b);
}

static void test_tail(void)
{
    struct rxbuf b;
    const uint8_t *p;
    size_t len;

    rxbuf_init(&b, 8);
    p = rxbuf_tail(&b, 4, &len);
    CHECK("tail of an empty buffer", p != NULL && len == 0);
    rxbuf_append(&b, "abcdefghijkl", 12);
    p = rxbuf_tail(&b, 3, &len);
    CHECK("last 3", len == 3 && memcmp(p, "jkl", 3) == 0);
    p = rxbuf_tail(&b, 100, &len);
    CHECK("more than kept: all kept", len == 8 && memcmp(p, "efghijkl", 8) == 0);
    p = rxbuf_tail(&b, 8, &len);
    CHECK("exactly the capacity", len == 8 && memcmp(p, "efghijkl", 8) == 0);
    p = rxbuf_tail(&b, 0, &len);
    CHECK("zero", p != NULL && len == 0);
    rxbuf_free(&b);
}

static void test_init_free_edges(void)
{
    struct rxbuf b, z;
    const uint8_t *p;
    size_t len;

    CHECK("capacity 0 refused", rxbuf_init(&b, 0) == SP_ERR_USAGE);
    rxbuf_append(&b, "abc", 3);
    CHECK("a refused buffer keeps nothing but counts", rxbuf_start(&b) == 3 && rxbuf_end(&b) == 3);
    p = rxbuf_since(&b, 0, &len);
    CHECK("a refused buffer gives empty slices", p != NULL && len == 0 && rxbuf_lost(&b, 0) == 3);
    p = rxbuf_tail(&b, 2, &len);
    CHECK("a refused buffer gives an empty tail", p != NULL && len == 0);
    rxbuf_free(&b);
    CHECK("capacity above the limit refused", rxbuf_init(&b, RXBUF_MAX_CAP + 1) == SP_ERR_USAGE);
    rxbuf_free(&b);

    CHECK("init", rxbuf_init(&b, 16) == 0);
    rxbuf_free(&b);                 /* unused */
    rxbuf_free(&b);                 /* twice */
    memset(&z, 0, sizeof(z));
    rxbuf_free(&z);                 /* zeroed, never initialised */
    rxbuf_append(&b, NULL, 0);      /* zero bytes with no pointer, on a freed buffer */
    CHECK("freed buffer is empty", rxbuf_end(&b) == 0);
}

/* A long random run: every slice the buffer gives equals the same bytes of the whole stream. */
static void test_random_against_flat_copy(void)
{
    static const size_t caps[] = {1, 2, 7, 64, 4096};
    uint32_t seed = 12345;
    enum { TOTAL = 200000 };
    uint8_t *flat = xmalloc(TOTAL);

#define NEXT() (seed = seed * 1103515245u + 12345u, (seed >> 8))
    for (size_t ci = 0; ci < SP_ARRAY_LEN(caps); ci++) {
        struct rxbuf b;
        size_t cap = caps[ci], total = 0;
        int bad = 0;

        rxbuf_init(&b, cap);
        while (total < TOTAL && !bad) {
            size_t n = NEXT() % (2 * cap + 3), len;
            uint64_t pos;
            const uint8_t *p;
            if (n > TOTAL - total)
                n = TOTAL - total;
            for (size_t k = 0; k < n; k++)
                flat[total + k] = (uint8_t)NEXT();
            rxbuf_append(&b, flat + total, n);
            total += n;
            pos = total ? NEXT() % (total + 2) : 0;
            p = rxbuf_since(&b, pos, &len);
            {
                uint64_t from = pos < rxbuf_start(&b) ? rxbuf_start(&b) : pos > total ? total : pos;
                if (rxbuf_end(&b) != total || len != total - from ||
                    (len && memcmp(p, flat + from, len) != 0) ||
                    rxbuf_start(&b) != (total > cap ? total - cap : 0))
                    bad = 1;
            }
        }
        CHECK("random appends match the flat stream", !bad);
        rxbuf_free(&b);
    }
#undef NEXT
    free(flat);
}

int register_rxbuf_tests(void)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        {"append across the capacity", test_append_table},
        {"positions survive a slide", test_positions_survive_trim},
        {"tail", test_tail},
        {"init and free edges", test_init_free_edges},
        {"random run against a flat copy", test_random_against_flat_copy},
    };
    CU_pSuite s = CU_add_suite("rxbuf", NULL, NULL);

    if (!s)
        return -1;
    for (size_t i = 0; i < SP_ARRAY_LEN(tests); i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn))
            return -1;
    return 0;
}
