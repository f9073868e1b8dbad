/*
 * dns_wire.c - DNS and mDNS: a bounded name reader and answer walker, the queries that identify a resolver or responder (see dns_wire.h). Every read is bounded by the length received.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dns_wire.h"
#include "wire.h"

/*
 * Read a possibly compressed name at *off into dotted text. Pointers may
 * only point backwards and are limited in number, so a loop or a forward
 * chain ends in an error, not a hang. 0 or -1.
 */
static int dns_read_name(const uint8_t *m, size_t len, size_t *off, char *out, size_t cap)
{
    size_t p = *off, o = 0, total = 0;
    int jumps = 0, jumped = 0;

    if (cap == 0)
        return -1;
    out[0] = '\0';
    for (;;) {
        uint8_t l;

        if (p >= len)
            return -1;
        l = m[p];
        if (l == 0) {
            if (!jumped)
                *off = p + 1;
            break;
        }
        if ((l & 0xc0) == 0xc0) {
            size_t q;
            if (p + 1 >= len || ++jumps > 16)
                return -1;
            q = (size_t)(l & 0x3f) << 8 | m[p + 1];
            if (q >= p)
                return -1;
            if (!jumped)
                *off = p + 2;
            jumped = 1;
            p = q;
            continue;
        }
        if (l & 0xc0)
            return -1;      /* 0x40/0x80 label types are obsolete */
        if (p + 1 + l > len || (total += l + 1u) > 255)
            return -1;
        for (size_t i = 0; i < l; i++) {
            uint8_t c = m[p + 1 + i];
            if (o + 2 < cap)
                out[o++] = (c > 0x20 && c < 0x7f) ? (char)c : '?';
        }
        if (o + 2 < cap)
            out[o++] = '.';
        p += 1 + l;
    }
    if (o > 0 && out[o - 1] == '.')
        o--;
    out[o] = '\0';
    return 0;
}

struct dns_hdr {
    uint16_t id, flags, qd, an, ns, ar;
};

static int dns_header(const uint8_t *m, size_t len, struct dns_hdr *h)
{
    if (len < 12)
        return -1;
    h->id = wire_be16(m);
    h->flags = wire_be16(m + 2);
    h->qd = wire_be16(m + 4);
    h->an = wire_be16(m + 6);
    h->ns = wire_be16(m + 8);
    h->ar = wire_be16(m + 10);
    return 0;
}

static const char *dns_rcode_name(unsigned rc)
{
    static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};
    return rc < SP_ARRAY_LEN(names) ? names[rc] : "rcode";
}

/*
 * Shared checks for a DNS reply to our one-question query: same opcode, QR
 * set, and when the question is echoed it must be ours. On success *off is
 * the offset of the answer section.
 */
static int dns_reply_ok(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                        struct dns_hdr *rh, size_t *off)
{
    struct dns_hdr qh;
    char qn[256], rn[256];
    size_t qo = 12;

    if (dns_header(req, reqlen, &qh) != 0 || dns_header(buf, len, rh) != 0)
        return 0;
    if (!(rh->flags & 0x8000) || ((rh->flags >> 11) & 15) != ((qh.flags >> 11) & 15))
        return 0;
    if (qh.qd != 1 || dns_read_name(req, reqlen, &qo, qn, sizeof(qn)) != 0 || qo + 4 > reqlen)
        return 0;
    *off = 12;
    if (rh->qd > 1)
        return 0;
    if (rh->qd == 1) {
        if (dns_read_name(buf, len, off, rn, sizeof(rn)) != 0 || *off + 4 > len)
            return 0;
        /* mDNS clears the unicast-response bit in the echoed class; compare without it. */
        if (!wire_name_eq_ci(qn, rn) || wire_be16(buf + *off) != wire_be16(req + qo) ||
            (wire_be16(buf + *off + 2) & 0x7fff) != (wire_be16(req + qo + 2) & 0x7fff))
            return 0;
        *off += 4;
    }
    return 1;
}

/* Walk up to max answer records; call back with each one's type and rdata bounds. */
typedef void (*dns_rr_fn)(const uint8_t *m, size_t len, const char *name, uint16_t type,
                          size_t rdoff, size_t rdlen, void *arg);

static void dns_walk_answers(const uint8_t *m, size_t len, size_t off, unsigned count,
                             unsigned max, dns_rr_fn fn, void *arg)
{
    for (unsigned i = 0; i < count && i < max; i++) {
        char name[256];
        uint16_t type, rdlen;

        if (dns_read_name(m, len, &off, name, sizeof(name)) != 0 || off + 10 > len)
            return;
        type = wire_be16(m + off);
        rdlen = wire_be16(m + off + 8);
        off += 10;
        if (rdlen > len - off)
            return;
        fn(m, len, name, type, off, rdlen, arg);
        off += rdlen;
    }
}

static void dns_txt_cb(const uint8_t *m, size_t len, const char *name, uint16_t type,
                       size_t rdoff, size_t rdlen, void *arg)
{
    struct dbuf *d = arg;

    (void)len;
    (void)name;
    if (type != 16 || rdlen < 1)
        return;
    /* First character-string of the TXT record. */
    {
        size_t sl = m[rdoff];
        if (sl > rdlen - 1)
            sl = rdlen - 1;
        dbuf_printf(d, ", TXT '");
        dbuf_esc(d, m + rdoff + 1, sl, 80);
        dbuf_printf(d, "'");
    }
}

size_t dns_ident_build(uint8_t *buf, size_t cap, uint16_t txid)
{
    /* version.bind CH TXT: answered by BIND, dnsmasq, unbound; others still reply. */
    static const uint8_t q[] = "\x07version\x04" "bind\x00\x00\x10\x00\x03";
    size_t n = 12 + sizeof(q) - 1;

    if (cap < n)
        return 0;
    memset(buf, 0, 12);
    buf[0] = (uint8_t)(txid >> 8);
    buf[1] = (uint8_t)txid;
    buf[5] = 1;                                 /* one question, RD clear */
    memcpy(buf + 12, q, sizeof(q) - 1);
    return n;
}

int dns_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                     struct ident_result *out)
{
    struct dns_hdr h;
    size_t off;
    struct dbuf d;

    if (len < 12 || reqlen < 12 || wire_be16(buf) != wire_be16(req) ||
        !dns_reply_ok(req, reqlen, buf, len, &h, &off))
        return 0;
    ident_result_init(out);
    ident_set_service(out, "dns");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    dbuf_printf(&d, "DNS response id 0x%04x rcode %u (%s), %u answers", h.id, h.flags & 15u,
              dns_rcode_name(h.flags & 15u), h.an);
    dns_walk_answers(buf, len, off, h.an, 4, dns_txt_cb, &d);
    return 1;
}

size_t mdns_ident_build(uint8_t *buf, size_t cap, uint16_t txid)
{
    /* _services._dns-sd._udp.local PTR, QU: every DNS-SD responder lists its service types. */
    static const uint8_t q[] = "\x09_services\x07_dns-sd\x04_udp\x05local\x00\x00\x0c\x80\x01";
    size_t n = 12 + sizeof(q) - 1;

    if (cap < n)
        return 0;
    memset(buf, 0, 12);
    buf[0] = (uint8_t)(txid >> 8);
    buf[1] = (uint8_t)txid;
    buf[5] = 1;
    memcpy(buf + 12, q, sizeof(q) - 1);
    return n;
}

struct ptr_list {
    struct dbuf *d;
    unsigned n;
};

static void dns_ptr_cb(const uint8_t *m, size_t len, const char *name, uint16_t type,
                       size_t rdoff, size_t rdlen, void *arg)
{
    struct ptr_list *pl = arg;
    char target[256];
    size_t off = rdoff;

    (void)name;
    (void)rdlen;
    if (type != 12 || dns_read_name(m, len, &off, target, sizeof(target)) != 0)
        return;
    dbuf_printf(pl->d, "%s%s", pl->n++ ? ", " : ": ", target);
}

int mdns_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                      struct ident_result *out)
{
    struct dns_hdr h;
    size_t off;
    struct dbuf d;
    struct ptr_list pl;

    if (len < 12 || reqlen < 12 || !dns_reply_ok(req, reqlen, buf, len, &h, &off))
        return 0;
    /*
     * RFC 6762 §6.7: a reply to a unicast query echoes our id; a responder
     * that answers by multicast rules sends id 0 — accepted only when it
     * actually answers something.
     */
    if (wire_be16(buf) != wire_be16(req) && !(wire_be16(buf) == 0 && h.an > 0))
        return 0;
    ident_result_init(out);
    ident_set_service(out, "mdns");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    dbuf_printf(&d, "mDNS response rcode %u, %u answers", h.flags & 15u, h.an);
    pl.d = &d;
    pl.n = 0;
    dns_walk_answers(buf, len, off, h.an, 8, dns_ptr_cb, &pl);
    return 1;
}
