/*
 * util.h - small helpers every module uses: allocation that cannot return
 * NULL, a growable string, and rendering device bytes as printable text.
 */
#ifndef SP_UTIL_H
#define SP_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define SP_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SP_PRINTF(a, b)
#endif

#define SP_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Out of memory is not a condition starprobe can report usefully: abort. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) SP_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) SP_PRINTF(1, 0);

/* s, or dflt when s is NULL: a fact's text for the evidence. */
const char *sp_str_or(const char *s, const char *dflt);
/* Equal strings, NULL equal to NULL only. */
int sp_str_same(const char *a, const char *b);

/* strlcpy semantics: always terminates, returns strlen(src). */
size_t sp_strlcpy(char *dst, const char *src, size_t size);

/* A growable NUL-terminated string. sb_init/sb_free pair; the caller frees. */
struct strbuf {
    char *buf;
    size_t len;
    size_t cap;
};
void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_printf(struct strbuf *sb, const char *fmt, ...) SP_PRINTF(2, 3);
char *sb_steal(struct strbuf *sb); /* returns the buffer, leaves sb empty */

/*
 * Render bytes received from a device as printable ASCII: control and
 * non-ASCII bytes become \xNN, \r and \n become "\r" "\n". At most max
 * output characters; the result is always terminated. The caller frees.
 */
char *sp_printable(const uint8_t *buf, size_t len, size_t max);

/* Case-insensitive search of a bounded, possibly non-terminated buffer. */
const uint8_t *sp_memcasemem(const uint8_t *hay, size_t hlen, const char *needle);

/* Parse a decimal integer in [min, max]; 0 or SP_ERR_PARSE (strtonum-like). */
int sp_parse_int(const char *s, long min, long max, long *out);

/* Write a whole file atomically: temp file in the same directory, fsync, rename. */
int sp_write_atomic(const char *path, const char *data, size_t len);

/* mkdir -p */
int sp_mkdirs(const char *path);

#endif
