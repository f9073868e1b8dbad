/*
 * ssh_wire.c - the SSH server greeting (identification line and KEXINIT)
 * and host-key blobs, parsed with every length checked. See ssh_wire.h.
 * Nothing here allocates except the name-lists of a greeting, which
 * sshw_greeting_free releases.
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/base64.h>
#include <mbedtls/sha256.h>

#include "ssh_wire.h"
#include "util.h"
#include "wire.h"

#define SSH_MSG_DISCONNECT 1
#define SSH_MSG_IGNORE 2
#define SSH_MSG_DEBUG 4
#define SSH_MSG_KEXINIT 20

void sshw_greeting_init(struct sshw_greeting *g)
{
    memset(g, 0, sizeof(*g));
}

static void namelist_free(struct sshw_namelist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void sshw_greeting_free(struct sshw_greeting *g)
{
    for (size_t i = 0; i < SSHW_NLISTS; i++)
        namelist_free(&g->lists[i]);
    memset(g, 0, sizeof(*g));
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static enum sshw_status bad(char *why, size_t whylen, const char *fmt, ...) SP_PRINTF(3, 4);
static enum sshw_status bad(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;

    if (why && whylen) {
        va_start(ap, fmt);
        vsnprintf(why, whylen, fmt, ap);
        va_end(ap);
    }
    return SSHW_BAD;
}

/*
 * One name-list (RFC 4251 §5): uint32 length, then comma-separated names of
 * printable ASCII without commas, each 1..64 characters. An empty list is
 * legal (the language lists usually are).
 */
static int namelist_parse(const uint8_t *p, size_t avail, size_t *used, struct sshw_namelist *l,
                          char *why, size_t whylen)
{
    uint32_t n;
    size_t start = 0;

    if (avail < 4)
        return bad(why, whylen, "KEXINIT ends inside a name-list length");
    n = rd32(p);
    if (n > avail - 4)
        return bad(why, whylen, "name-list length %u runs past the packet (%zu bytes left)",
                   (unsigned)n, avail - 4);
    p += 4;
    *used = 4 + (size_t)n;
    if (n == 0)
        return 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && p[i] != ',') {
            if (p[i] < 0x21 || p[i] > 0x7e)
                return bad(why, whylen, "name-list holds a non-ASCII byte 0x%02x", p[i]);
            continue;
        }
        if (i == start)
            return bad(why, whylen, "name-list holds an empty name");
        if (i - start > SSHW_MAX_NAME)
            return bad(why, whylen, "name-list holds a name of %zu characters (at most %d)",
                       i - start, SSHW_MAX_NAME);
        l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
        l->v[l->n++] = xstrndup((const char *)p + start, i - start);
        start = i + 1;
    }
    return 0;
}

static enum sshw_status kexinit_parse(const uint8_t *p, size_t len, struct sshw_greeting *g,
                                      char *why, size_t whylen)
{
    size_t off = 1 + 16;        /* message number, cookie */

    if (len < off)
        return bad(why, whylen, "KEXINIT ends inside its cookie");
    for (int i = 0; i < SSHW_NLISTS; i++) {
        size_t used = 0;
        if (namelist_parse(p + off, len - off, &used, &g->lists[i], why, whylen) < 0)
            return SSHW_BAD;
        off += used;
    }
    if (len - off < 5)
        return bad(why, whylen, "KEXINIT ends before first_kex_packet_follows and reserved");
    g->first_kex_follows = p[off] != 0;
    g->has_kexinit = 1;
    return SSHW_OK;
}

/* The identification line: "SSH-protoversion-softwareversion[ SP comments]". */
static enum sshw_status ident_parse(const uint8_t *p, size_t n, struct sshw_greeting *g,
                                    char *why, size_t whylen)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] < 0x20 || p[i] > 0x7e)
            return bad(why, whylen, "identification line holds byte 0x%02x", p[i]);
    memcpy(g->ident, p, n);
    g->ident[n] = '\0';
    for (i = 4; i < n && p[i] != '-'; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || p[i] == '.'))
            return bad(why, whylen, "identification has a malformed protocol version");
    if (i == 4 || i == n || i - 4 >= sizeof(g->proto))
        return bad(why, whylen, "identification has no protocol or software version");
    memcpy(g->proto, p + 4, i - 4);
    g->proto[i - 4] = '\0';
    if (i + 1 >= n || p[i + 1] == ' ')
        return bad(why, whylen, "identification has an empty software version");
    return SSHW_OK;
}

int sshw_proto_has_v1(const char *proto)
{
    return strncmp(proto, "1.", 2) == 0;
}

int sshw_proto_has_v2(const char *proto)
{
    return strcmp(proto, "2.0") == 0 || strcmp(proto, "1.99") == 0;
}

enum sshw_status sshw_parse_greeting(const uint8_t *buf, size_t len, struct sshw_greeting *g,
                                     char *why, size_t whylen)
{
    size_t off = 0;
    enum sshw_status st;

    sshw_greeting_free(g);
    if (why && whylen)
        why[0] = '\0';
    /* Lines up to and including the identification; each ends in LF (CR optional). */
    for (;;) {
        size_t lim = len - off < SSHW_MAX_LINE ? len - off : SSHW_MAX_LINE;
        size_t eol, n;
        const uint8_t *line = buf + off;

        for (eol = 0; eol < lim && line[eol] != '\n'; eol++)
            ;
        if (eol == lim) {
            if (lim == SSHW_MAX_LINE)
                return bad(why, whylen, "a line of the greeting is longer than %d bytes",
                           SSHW_MAX_LINE);
            return SSHW_MORE;
        }
        n = eol > 0 && line[eol - 1] == '\r' ? eol - 1 : eol;
        off += eol + 1;
        if (n >= 4 && memcmp(line, "SSH-", 4) == 0) {
            if ((st = ident_parse(line, n, g, why, whylen)) != SSHW_OK)
                return st;
            break;
        }
        if (++g->prelines > SSHW_MAX_PRELINES)
            return bad(why, whylen, "more than %d lines before the SSH identification",
                       SSHW_MAX_PRELINES);
    }
    if (!sshw_proto_has_v2(g->proto)) {
        if (sshw_proto_has_v1(g->proto))
            return SSHW_OK;     /* SSH-1 only: the server will send no KEXINIT */
        return bad(why, whylen, "unknown SSH protocol version %s", g->proto);
    }
    /* Binary packets (§6), unencrypted: the first one that matters is KEXINIT. */
    for (int skipped = 0;; skipped++) {
        const uint8_t *pk = buf + off;
        size_t avail = len - off;
        uint32_t plen;
        unsigned pad;
        size_t paylen;

        if (avail < 5)
            return SSHW_MORE;
        plen = rd32(pk);
        pad = pk[4];
        if (plen > SSHW_MAX_PACKET)
            return bad(why, whylen, "packet_length %u is larger than %d", (unsigned)plen,
                       SSHW_MAX_PACKET);
        if (plen < 12 || (plen + 4) % 8 != 0)
            return bad(why, whylen, "packet_length %u is not a legal unencrypted length "
                       "(at least 12, length field included a multiple of 8)", (unsigned)plen);
        if (pad < 4 || pad + 1u >= plen)
            return bad(why, whylen, "padding_length %u is illegal for packet_length %u", pad,
                       (unsigned)plen);
        if (avail - 4 < plen)
            return SSHW_MORE;
        paylen = plen - pad - 1;
        switch (pk[5]) {
        case SSH_MSG_KEXINIT:
            return kexinit_parse(pk + 5, paylen, g, why, whylen);
        case SSH_MSG_IGNORE:
        case SSH_MSG_DEBUG:
            if (skipped >= SSHW_MAX_SKIP)
                return bad(why, whylen, "more than %d IGNORE/DEBUG packets before KEXINIT",
                           SSHW_MAX_SKIP);
            off += 4 + plen;
            continue;
        case SSH_MSG_DISCONNECT:
            return bad(why, whylen, "the server sent DISCONNECT instead of KEXINIT");
        default:
            return bad(why, whylen, "the server sent message %u instead of KEXINIT", pk[5]);
        }
    }
}

/* ---- host-key blobs ---- */

struct rd {
    const uint8_t *p;
    size_t len, off;
};

/* A string (uint32 length + bytes) from the blob, or -1. */
static int rd_string(struct rd *r, const uint8_t **s, size_t *n)
{
    uint32_t l;

    if (r->len - r->off < 4)
        return -1;
    l = rd32(r->p + r->off);
    if (l > r->len - r->off - 4)
        return -1;
    *s = r->p + r->off + 4;
    *n = l;
    r->off += 4 + (size_t)l;
    return 0;
}

/* Significant bits of an mpint (two's complement, big-endian; positive here). */
static int mpint_bits(const uint8_t *s, size_t n)
{
    size_t i = 0;
    int b = 0;

    while (i < n && s[i] == 0)
        i++;
    if (i == n)
        return 0;
    if (n - i > 8192)
        return -1;
    for (uint8_t top = s[i]; top; top >>= 1)
        b++;
    return (int)((n - i - 1) * 8) + b;
}

static int streq(const uint8_t *s, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

int sshw_key_blob_info(const uint8_t *blob, size_t len, char *type, size_t typelen, int *bits)
{
    struct rd r = {blob, len, 0};
    const uint8_t *t, *a, *b;
    size_t tn, an, bn;

    *bits = 0;
    if (typelen)
        type[0] = '\0';
    if (rd_string(&r, &t, &tn) < 0 || tn == 0 || tn > SSHW_MAX_NAME)
        return SSHW_BAD;
    for (size_t i = 0; i < tn; i++)
        if (t[i] < 0x21 || t[i] > 0x7e)
            return SSHW_BAD;
    if (typelen) {
        size_t c = tn < typelen - 1 ? tn : typelen - 1;
        memcpy(type, t, c);
        type[c] = '\0';
    }
    if (streq(t, tn, "ssh-rsa")) {
        if (rd_string(&r, &a, &an) < 0 || rd_string(&r, &b, &bn) < 0)
            return SSHW_BAD;
        *bits = mpint_bits(b, bn);  /* e, then n */
    } else if (streq(t, tn, "ssh-dss")) {
        if (rd_string(&r, &a, &an) < 0 || rd_string(&r, &b, &bn) < 0 ||
            rd_string(&r, &b, &bn) < 0 || rd_string(&r, &b, &bn) < 0)
            return SSHW_BAD;
        *bits = mpint_bits(a, an);  /* p, then q, g, y */
    } else if (tn > 11 && memcmp(t, "ecdsa-sha2-", 11) == 0) {
        if (rd_string(&r, &a, &an) < 0 || rd_string(&r, &b, &bn) < 0)
            return SSHW_BAD;
        *bits = streq(a, an, "nistp256") ? 256 : streq(a, an, "nistp384") ? 384
              : streq(a, an, "nistp521") ? 521 : 0;
    } else if (streq(t, tn, "ssh-ed25519")) {
        if (rd_string(&r, &a, &an) < 0 || an != 32)
            return SSHW_BAD;
        *bits = 256;
    } else if (streq(t, tn, "ssh-ed448")) {
        if (rd_string(&r, &a, &an) < 0 || an != 57)
            return SSHW_BAD;
        *bits = 448;
    }
    return *bits < 0 ? SSHW_BAD : 0;
}

/* ---- classification ---- */

int sshw_glob(const char *pattern, const char *name)
{
    return fnmatch(pattern, name, FNM_CASEFOLD) == 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

int sshw_is_cbc(const char *cipher)
{
    return ends_with(cipher, "-cbc") || strstr(cipher, "-cbc@") != NULL;
}

int sshw_is_sha1_mac(const char *mac)
{
    return strncmp(mac, "hmac-sha1", 9) == 0 && (mac[9] == '\0' || mac[9] == '-');
}

int sshw_is_sha1_kex(const char *kex)
{
    return ends_with(kex, "-sha1");
}

/* ---- fingerprints ---- */

int sshw_key_fingerprint(const uint8_t *blob, size_t len, char *out, size_t outlen)
{
    unsigned char hash[32], b64[64];
    size_t olen = 0;

    if (outlen < 8 + 44)
        return SSHW_BAD;
    if (mbedtls_sha256_ret(blob, len, hash, 0) != 0 ||
        mbedtls_base64_encode(b64, sizeof(b64), &olen, hash, sizeof(hash)) != 0)
        return SSHW_BAD;
    /* As ssh-keygen -l prints it: unpadded base64 after "SHA256:". */
    while (olen > 0 && b64[olen - 1] == '=')
        olen--;
    snprintf(out, outlen, "SHA256:%.*s", (int)olen, (const char *)b64);
    return 0;
}

/* ---- identifying a port (the tables in probes/ident.c) --------------------- */

/* RFC 4253 §4.2: "SSH-protoversion-softwareversion", possibly after other lines. */
int ssh_ident_match(const uint8_t *buf, size_t len, struct ident_result *out)
{
    size_t off = 0, scan = len < 2048 ? len : 2048;

    while (off < scan) {
        const uint8_t *l = buf + off;
        size_t ll = wire_line_len(l, len - off), i = 4;

        if (wire_has_prefix(l, ll, "SSH-")) {
            while (i < ll && wire_is_digit(l[i]))
                i++;
            if (i > 4 && i < ll && l[i] == '.') {
                size_t j = ++i;
                while (i < ll && wire_is_digit(l[i]))
                    i++;
                if (i > j && i + 1 < ll && l[i] == '-' && wire_all_text(l, ll)) {
                    struct dbuf d;
                    ident_result_init(out);
                    ident_set_service(out, "ssh");
                    ident_set_banner(out, l, ll);
                    dbuf_init(&d, out->detail, sizeof(out->detail));
                    dbuf_printf(&d, "banner '");
                    dbuf_esc(&d, l, ll, 200);
                    dbuf_printf(&d, "'");
                    return 1;
                }
            }
            return 0;
        }
        /* Lines before the version string must themselves be text. */
        if (!wire_all_text(l, ll))
            return 0;
        off += wire_next_line(l, len - off);
    }
    return 0;
}
