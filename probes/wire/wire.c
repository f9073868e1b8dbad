/*
 * wire.c - the evidence writer and byte helpers the recognisers share (see
 * wire.h). Every read is bounded by the length actually received.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "starprobe.h"
#include "wire.h"

int wire_random(uint8_t *buf, size_t n)
{
    while (n > 0) {
        ssize_t r = getrandom(buf, n, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return SP_ERR_IO;
        buf += r;
        n -= (size_t)r;
    }
    return 0;
}

void dbuf_init(struct dbuf *d, char *p, size_t cap)
{
    d->p = p;
    d->cap = cap;
    d->len = 0;
    p[0] = '\0';
}

void dbuf_printf(struct dbuf *d, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (d->len + 1 >= d->cap)
        return;
    va_start(ap, fmt);
    n = vsnprintf(d->p + d->len, d->cap - d->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        d->p[d->len] = '\0';
    else if ((size_t)n >= d->cap - d->len)
        d->len = d->cap - 1;
    else
        d->len += (size_t)n;
}

static size_t esc_byte(uint8_t c, char tmp[5])
{
    static const char hex[] = "0123456789abcdef";

    if (c == '\r') {
        memcpy(tmp, "\\r", 2);
        return 2;
    }
    if (c == '\n') {
        memcpy(tmp, "\\n", 2);
        return 2;
    }
    if (c == '\\') {
        memcpy(tmp, "\\\\", 2);
        return 2;
    }
    if (c >= 0x20 && c < 0x7f) {
        tmp[0] = (char)c;
        return 1;
    }
    tmp[0] = '\\';
    tmp[1] = 'x';
    tmp[2] = hex[c >> 4];
    tmp[3] = hex[c & 15];
    return 4;
}

/* Append n device bytes escaped, at most max characters, "..." when cut. */
void dbuf_esc(struct dbuf *d, const uint8_t *b, size_t n, size_t max)
{
    size_t limit;

    if (d->cap == 0 || d->len + 1 >= d->cap)
        return;
    limit = d->cap - 1;
    if (max < limit - d->len)
        limit = d->len + max;
    for (size_t i = 0; i < n; i++) {
        char tmp[5];
        size_t r = esc_byte(b[i], tmp);
        size_t reserve = i + 1 < n ? 3 : 0;

        if (d->len + r + reserve > limit) {
            if (d->len + 3 <= d->cap - 1) {
                memcpy(d->p + d->len, "...", 3);
                d->len += 3;
            }
            break;
        }
        memcpy(d->p + d->len, tmp, r);
        d->len += r;
    }
    d->p[d->len] = '\0';
}

void ident_result_init(struct ident_result *r)
{
    memset(r, 0, sizeof(*r));
    sp_strlcpy(r->service, "unknown", sizeof(r->service));
}

void ident_set_service(struct ident_result *out, const char *name)
{
    sp_strlcpy(out->service, name, sizeof(out->service));
}

void ident_set_banner(struct ident_result *out, const uint8_t *b, size_t n)
{
    struct dbuf d;

    dbuf_init(&d, out->banner, sizeof(out->banner));
    dbuf_esc(&d, b, n, sizeof(out->banner) - 1);
}

int wire_has_prefix(const uint8_t *b, size_t n, const char *s)
{
    size_t k = strlen(s);
    return n >= k && memcmp(b, s, k) == 0;
}

int wire_has_prefix_ci(const uint8_t *b, size_t n, const char *s)
{
    size_t k = strlen(s);
    return n >= k && sp_memcasemem(b, k, s) == b;
}

/* Length of the line at b, without its "\r\n" or "\n". */
size_t wire_line_len(const uint8_t *b, size_t n)
{
    const uint8_t *nl = memchr(b, '\n', n);
    size_t k = nl ? (size_t)(nl - b) : n;

    if (k > 0 && b[k - 1] == '\r')
        k--;
    return k;
}

/* Offset of the next line after the one at b, or n if there is none. */
size_t wire_next_line(const uint8_t *b, size_t n)
{
    const uint8_t *nl = memchr(b, '\n', n);
    return nl ? (size_t)(nl - b) + 1 : n;
}

int wire_is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* Text as a person would type or read it: printable ASCII, tab, CR, LF. */
int wire_is_textbyte(uint8_t c)
{
    return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\r' || c == '\n';
}

int wire_all_text(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!wire_is_textbyte(b[i]))
            return 0;
    return 1;
}

/* Case-insensitive search for a word in the first `n` bytes. */
int wire_contains_ci(const uint8_t *b, size_t n, const char *w)
{
    return sp_memcasemem(b, n, w) != NULL;
}

/*
 * ASCII case-insensitive search for n bytes (not a C string) in h. Written
 * out rather than memmem(3), which is a GNU extension the fuzz build does
 * not declare.
 */
const uint8_t *wire_find_ci(const uint8_t *h, size_t hl, const uint8_t *n, size_t nl)
{
    for (size_t i = 0; nl <= hl && i <= hl - nl; i++) {
        size_t j = 0;
        while (j < nl && tolower(h[i + j]) == tolower(n[j]))
            j++;
        if (j == nl)
            return h + i;
    }
    return NULL;
}

int wire_name_eq_ci(const char *a, const char *b)
{
    while (*a && tolower((unsigned char)*a) == tolower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == *b;
}

uint16_t wire_be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t wire_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint32_t wire_le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/*
 * Find a header in an HTTP-style reply (status line first, then header
 * lines until a blank line). A line cut off by the buffer end still counts:
 * a partial reply is still evidence.
 */
int wire_hdr_find(const uint8_t *b, size_t n, const char *name,
                    const uint8_t **val, size_t *vlen)
{
    size_t off = wire_next_line(b, n), k = strlen(name);

    while (off < n) {
        const uint8_t *l = b + off;
        size_t ll = wire_line_len(l, n - off);

        if (ll == 0)
            return 0;
        if (ll > k && l[k] == ':' && wire_has_prefix_ci(l, ll, name)) {
            size_t v = k + 1;
            while (v < ll && (l[v] == ' ' || l[v] == '\t'))
                v++;
            *val = l + v;
            *vlen = ll - v;
            return 1;
        }
        off += wire_next_line(l, n - off);
    }
    return 0;
}

void dbuf_hdr(struct dbuf *d, const uint8_t *b, size_t n, const char *name, size_t max)
{
    const uint8_t *v;
    size_t vl;

    if (wire_hdr_find(b, n, name, &v, &vl)) {
        dbuf_printf(d, ", %s '", name);
        dbuf_esc(d, v, vl, max);
        dbuf_printf(d, "'");
    }
}

/*
 * The host as it goes into a Host header or an rtsp:// URL. Only characters
 * a host name or address literal can contain are let through: the target
 * comes from the command line, and a CR/LF in it must not become a header.
 * IPv6 literals get brackets; a zone id is dropped (it means nothing to the
 * device).
 */
int wire_host_for_url(char *dst, size_t cap, const char *host)
{
    size_t n = host ? strlen(host) : 0, o = 0;
    int v6 = 0;

    if (n == 0 || n > 253 || cap < n + 3)
        return -1;
    if (host[0] == '[' && host[n - 1] == ']') {
        host++;
        n -= 2;
    }
    for (size_t i = 0; i < n; i++) {
        char c = host[i];
        if (c == '%')
            break;
        if (c == ':')
            v6 = 1;
        else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '-' || c == '_'))
            return -1;
    }
    if (v6)
        dst[o++] = '[';
    for (size_t i = 0; i < n && host[i] != '%'; i++)
        dst[o++] = host[i];
    if (v6)
        dst[o++] = ']';
    dst[o] = '\0';
    return o > (size_t)(2 * v6) ? 0 : -1;
}

size_t wire_snprintf_len(int n, size_t cap)
{
    return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

void wire_hex_random(char *dst, size_t nhex)
{
    static const char hex[] = "0123456789abcdef";
    uint8_t r[16];

    if (nhex > 2 * sizeof(r))
        nhex = 2 * sizeof(r);
    if (wire_random(r, sizeof(r)) != 0)
        memset(r, 0x5a, sizeof(r));     /* still a valid id; only uniqueness is lost */
    for (size_t i = 0; i < nhex; i++)
        dst[i] = hex[(r[i / 2] >> (i % 2 ? 0 : 4)) & 15];
    dst[nhex] = '\0';
}

void wire_put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}
