/*
 * snmp_wire.c - SNMP: a bounded BER writer and reader, v1/v2c GetRequest and its reply, SNMPv3 engine discovery (RFC 3414 §4) (see snmp_wire.h). Every read is bounded by the length received.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "snmp_wire.h"
#include "starprobe.h"
#include "wire.h"

/* Writes backwards from the end of buf, so each TLV's length is known when its header goes on. */
struct bw {
    uint8_t *buf;
    size_t pos;
    int err;
};

static void bw_put(struct bw *w, const void *src, size_t n)
{
    if (w->err || n > w->pos) {
        w->err = 1;
        return;
    }
    w->pos -= n;
    if (n)
        memcpy(w->buf + w->pos, src, n);
}

static void bw_hdr(struct bw *w, uint8_t tag, size_t len)
{
    uint8_t h[6];
    size_t n = 0;

    h[n++] = tag;
    if (len < 0x80) {
        h[n++] = (uint8_t)len;
    } else if (len < 0x100) {
        h[n++] = 0x81;
        h[n++] = (uint8_t)len;
    } else if (len < 0x10000) {
        h[n++] = 0x82;
        h[n++] = (uint8_t)(len >> 8);
        h[n++] = (uint8_t)len;
    } else {
        w->err = 1;
        return;
    }
    bw_put(w, h, n);
}

/* A non-negative INTEGER in its minimal two's complement form. */
static void bw_uint(struct bw *w, uint32_t v)
{
    uint8_t b[5];
    size_t n = 0;

    do {
        b[4 - n++] = (uint8_t)v;
        v >>= 8;
    } while (v);
    if (b[5 - n] & 0x80)
        b[4 - n++] = 0;
    bw_put(w, b + 5 - n, n);
    bw_hdr(w, 0x02, n);
}

size_t snmp_build_get(uint8_t *buf, size_t cap, int version, const char *community, uint32_t reqid)
{
    /* sysDescr.0, 1.3.6.1.2.1.1.1.0 */
    static const uint8_t oid[] = {0x2b, 6, 1, 2, 1, 1, 1, 0};
    uint8_t tmp[512];
    struct bw w = {tmp, sizeof(tmp), 0};
    size_t clen = community ? strlen(community) : 0, end = sizeof(tmp), mark;

    if ((version != SNMP_V1 && version != SNMP_V2C) || clen > 255)
        return 0;
    bw_put(&w, "\x05\x00", 2);                  /* value: NULL */
    bw_put(&w, oid, sizeof(oid));
    bw_hdr(&w, 0x06, sizeof(oid));
    bw_hdr(&w, 0x30, end - w.pos);              /* VarBind */
    bw_hdr(&w, 0x30, end - w.pos);              /* VarBindList */
    bw_uint(&w, 0);                             /* error-index */
    bw_uint(&w, 0);                             /* error-status */
    bw_uint(&w, reqid);
    bw_hdr(&w, 0xa0, end - w.pos);              /* GetRequest-PDU */
    mark = w.pos;
    bw_put(&w, community, clen);
    bw_hdr(&w, 0x04, mark - w.pos);
    bw_uint(&w, (uint32_t)version);
    bw_hdr(&w, 0x30, end - w.pos);
    if (w.err || end - w.pos > cap)
        return 0;
    memcpy(buf, tmp + w.pos, end - w.pos);
    return end - w.pos;
}

/* A BER read cursor: one TLV at a time, definite lengths only, never past end. */
struct ber {
    const uint8_t *p;
    size_t len;
    size_t off;
};

static int ber_next(struct ber *b, uint8_t *tag, struct ber *content)
{
    size_t l, n;

    if (b->len - b->off < 2)
        return -1;
    *tag = b->p[b->off];
    if ((*tag & 0x1f) == 0x1f)
        return -1;                  /* multi-byte tags: nothing in SNMP uses them */
    l = b->p[b->off + 1];
    b->off += 2;
    if (l & 0x80) {
        n = l & 0x7f;
        if (n == 0 || n > 3 || b->len - b->off < n)
            return -1;              /* indefinite or absurd lengths */
        l = 0;
        for (size_t i = 0; i < n; i++)
            l = l << 8 | b->p[b->off + i];
        b->off += n;
    }
    if (l > b->len - b->off)
        return -1;
    content->p = b->p + b->off;
    content->len = l;
    content->off = 0;
    b->off += l;
    return 0;
}

static int ber_int(const struct ber *c, long *v)
{
    long x;

    if (c->len == 0 || c->len > 5 || (c->len == 5 && c->p[0] != 0))
        return -1;
    x = (c->p[0] & 0x80) ? -1 : 0;
    for (size_t i = 0; i < c->len; i++)
        x = (long)((unsigned long)x << 8 | c->p[i]);
    *v = x;
    return 0;
}

static int ber_uint(const struct ber *c, unsigned long *v)
{
    unsigned long x = 0;

    if (c->len == 0 || c->len > 5 || (c->len == 5 && c->p[0] != 0))
        return -1;
    for (size_t i = 0; i < c->len; i++)
        x = x << 8 | c->p[i];
    *v = x & 0xffffffffUL;
    return 0;
}

static int ber_oid_str(const struct ber *c, char *out, size_t cap)
{
    struct dbuf d;
    unsigned long arc = 0;
    int first = 1, nbytes = 0;

    dbuf_init(&d, out, cap);
    if (c->len == 0 || c->len > 128)
        return -1;
    for (size_t i = 0; i < c->len; i++) {
        if (++nbytes > 5)
            return -1;              /* an arc beyond 32 bits */
        arc = arc << 7 | (c->p[i] & 0x7f);
        if (c->p[i] & 0x80)
            continue;
        if (first) {
            unsigned long a = arc < 80 ? arc / 40 : 2;
            dbuf_printf(&d, "%lu.%lu", a, arc - 40 * a);
            first = 0;
        } else {
            dbuf_printf(&d, ".%lu", arc);
        }
        arc = 0;
        nbytes = 0;
    }
    return nbytes == 0 ? 0 : -1;    /* the last arc must be complete */
}

static void snmp_value_str(uint8_t tag, const struct ber *v, char *out, size_t cap)
{
    struct dbuf d;
    long sv;
    unsigned long uv;

    dbuf_init(&d, out, cap);
    switch (tag) {
    case 0x04:
        dbuf_esc(&d, v->p, v->len, cap - 1);
        break;
    case 0x02:
        if (ber_int(v, &sv) == 0)
            dbuf_printf(&d, "%ld", sv);
        break;
    case 0x41: case 0x42: case 0x43: case 0x46:
        if (ber_uint(v, &uv) == 0)
            dbuf_printf(&d, "%lu", uv);
        break;
    case 0x40:
        if (v->len == 4)
            dbuf_printf(&d, "%u.%u.%u.%u", v->p[0], v->p[1], v->p[2], v->p[3]);
        break;
    case 0x06:
        if (ber_oid_str(v, out, cap) != 0)
            dbuf_init(&d, out, cap);
        break;
    case 0x05: dbuf_printf(&d, "NULL"); break;
    case 0x80: dbuf_printf(&d, "noSuchObject"); break;
    case 0x81: dbuf_printf(&d, "noSuchInstance"); break;
    case 0x82: dbuf_printf(&d, "endOfMibView"); break;
    default:
        dbuf_printf(&d, "tag 0x%02x, %zu bytes", tag, v->len);
        break;
    }
}

int snmp_parse(const uint8_t *buf, size_t len, struct snmp_reply *out)
{
    struct ber top = {buf, len, 0}, msg, c, pdu, vbl, vb;
    uint8_t tag;
    long v;
    struct dbuf d;

    memset(out, 0, sizeof(*out));
    if (ber_next(&top, &tag, &msg) != 0 || tag != 0x30)
        return SP_ERR_PARSE;
    if (ber_next(&msg, &tag, &c) != 0 || tag != 0x02 || ber_int(&c, &v) != 0 || (v != 0 && v != 1))
        return SP_ERR_PARSE;        /* v3 has another layout, not parsed here */
    out->version = v;
    if (ber_next(&msg, &tag, &c) != 0 || tag != 0x04)
        return SP_ERR_PARSE;
    dbuf_init(&d, out->community, sizeof(out->community));
    dbuf_esc(&d, c.p, c.len, sizeof(out->community) - 1);
    if (ber_next(&msg, &tag, &pdu) != 0 || tag < 0xa0 || tag > 0xa8 || tag == 0xa4)
        return SP_ERR_PARSE;        /* 0xa4 is the v1 Trap, laid out differently */
    out->pdu_type = tag;
    if (ber_next(&pdu, &tag, &c) != 0 || tag != 0x02 || ber_int(&c, &v) != 0)
        return SP_ERR_PARSE;
    out->request_id = (uint32_t)v;
    if (ber_next(&pdu, &tag, &c) != 0 || tag != 0x02 || ber_int(&c, &out->error_status) != 0)
        return SP_ERR_PARSE;
    if (ber_next(&pdu, &tag, &c) != 0 || tag != 0x02 || ber_int(&c, &out->error_index) != 0)
        return SP_ERR_PARSE;
    if (ber_next(&pdu, &tag, &vbl) != 0 || tag != 0x30)
        return SP_ERR_PARSE;
    if (vbl.len == 0)
        return 0;                   /* an empty list is legal in an error reply */
    if (ber_next(&vbl, &tag, &vb) != 0 || tag != 0x30)
        return SP_ERR_PARSE;
    if (ber_next(&vb, &tag, &c) != 0 || tag != 0x06 || ber_oid_str(&c, out->oid, sizeof(out->oid)) != 0)
        return SP_ERR_PARSE;
    if (ber_next(&vb, &tag, &c) != 0)
        return SP_ERR_PARSE;
    out->value_type = tag;
    snmp_value_str(tag, &c, out->value, sizeof(out->value));
    return 0;
}

size_t snmp_ident_build(uint8_t *buf, size_t cap, uint16_t txid)
{
    return snmp_build_get(buf, cap, SNMP_V2C, "public", txid);
}

int snmp_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                      struct ident_result *out)
{
    static const char *const errs[] = {"noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr"};
    struct snmp_reply q, r;
    struct dbuf d;

    if (snmp_parse(req, reqlen, &q) != 0 || snmp_parse(buf, len, &r) != 0)
        return 0;
    /* Agents echo version and community; the request-id ties the reply to us. */
    if (r.pdu_type != 0xa2 || r.request_id != q.request_id || r.version != q.version ||
        strcmp(r.community, q.community) != 0)
        return 0;
    ident_result_init(out);
    ident_set_service(out, "snmp");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    dbuf_printf(&d, "SNMP%s community '%s' GetResponse", r.version == 0 ? "v1" : "v2c", r.community);
    if (r.error_status != 0) {
        dbuf_printf(&d, " error-status %ld (%s)", r.error_status,
                  r.error_status > 0 && (size_t)r.error_status < SP_ARRAY_LEN(errs) ? errs[r.error_status] : "?");
    }
    if (r.oid[0]) {
        const char *name = strcmp(r.oid, "1.3.6.1.2.1.1.1.0") == 0 ? "sysDescr.0" : r.oid;
        dbuf_printf(&d, ", %s = '%s'", name, r.value);
    }
    return 1;
}

/*
 * SNMPv3 engine discovery (RFC 3414 §4): a GetRequest with an empty engine
 * ID, no user and the reportable flag. Any agent that speaks v3 answers it
 * with a Report, whatever communities it has for v1/v2c, so an agent that
 * ignores community "public" (or speaks only v1 with another community) is
 * still found, and the checks can go on to try its communities.
 */
size_t snmpv3_ident_build(uint8_t *buf, size_t cap, uint16_t txid)
{
    uint8_t tmp[256];
    struct bw w = {tmp, sizeof(tmp), 0};
    size_t end = sizeof(tmp), mark, usm_end;

    w.pos = end;
    /* ScopedPDU: contextEngineID "", contextName "", GetRequest with no varbinds */
    bw_hdr(&w, 0x30, 0);                        /* VarBindList (empty) */
    bw_uint(&w, 0);                             /* error-index */
    bw_uint(&w, 0);                             /* error-status */
    bw_uint(&w, txid);                          /* request-id */
    bw_hdr(&w, 0xa0, end - w.pos);
    bw_hdr(&w, 0x04, 0);                        /* contextName */
    bw_hdr(&w, 0x04, 0);                        /* contextEngineID */
    bw_hdr(&w, 0x30, end - w.pos);
    /* msgSecurityParameters: an OCTET STRING holding the USM SEQUENCE, all empty */
    mark = w.pos;
    usm_end = w.pos;
    bw_hdr(&w, 0x04, 0);                        /* msgPrivacyParameters */
    bw_hdr(&w, 0x04, 0);                        /* msgAuthenticationParameters */
    bw_hdr(&w, 0x04, 0);                        /* msgUserName */
    bw_uint(&w, 0);                             /* msgAuthoritativeEngineTime */
    bw_uint(&w, 0);                             /* msgAuthoritativeEngineBoots */
    bw_hdr(&w, 0x04, 0);                        /* msgAuthoritativeEngineID */
    bw_hdr(&w, 0x30, usm_end - w.pos);
    bw_hdr(&w, 0x04, mark - w.pos);
    /* msgGlobalData: msgID, msgMaxSize, msgFlags (reportable), msgSecurityModel (USM) */
    mark = w.pos;
    bw_uint(&w, 3);
    bw_put(&w, "\x04", 1);
    bw_hdr(&w, 0x04, 1);
    bw_uint(&w, 65507);
    bw_uint(&w, txid);
    bw_hdr(&w, 0x30, mark - w.pos);
    bw_uint(&w, 3);                             /* msgVersion */
    bw_hdr(&w, 0x30, end - w.pos);
    if (w.err || end - w.pos > cap)
        return 0;
    memcpy(buf, tmp + w.pos, end - w.pos);
    return end - w.pos;
}

/* msgVersion 3 and the msgID of msgGlobalData, from a v3 message; 0 or -1. */
static int snmpv3_head(const uint8_t *buf, size_t len, long *msgid, struct ber *rest)
{
    struct ber top = {buf, len, 0}, gd, c;
    uint8_t tag;
    long v;

    if (ber_next(&top, &tag, rest) != 0 || tag != 0x30)
        return -1;
    if (ber_next(rest, &tag, &c) != 0 || tag != 0x02 || ber_int(&c, &v) != 0 || v != 3)
        return -1;
    if (ber_next(rest, &tag, &gd) != 0 || tag != 0x30)
        return -1;
    if (ber_next(&gd, &tag, &c) != 0 || tag != 0x02 || ber_int(&c, msgid) != 0)
        return -1;
    return 0;
}

int snmpv3_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                        struct ident_result *out)
{
    struct ber qr, rr, sp, usm, c;
    long qid, rid;
    uint8_t tag;
    struct dbuf d;

    if (snmpv3_head(req, reqlen, &qid, &qr) != 0 || snmpv3_head(buf, len, &rid, &rr) != 0 || qid != rid)
        return 0;
    ident_result_init(out);
    ident_set_service(out, "snmpv3");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    dbuf_printf(&d, "SNMPv3 engine discovery answered (msgID echoed)");
    /* The agent's engine ID, when its security parameters hold the USM layout: evidence. */
    if (ber_next(&rr, &tag, &sp) == 0 && tag == 0x04 && ber_next(&sp, &tag, &usm) == 0 &&
        tag == 0x30 && ber_next(&usm, &tag, &c) == 0 && tag == 0x04 && c.len > 0) {
        dbuf_printf(&d, ", engine ID ");
        for (size_t i = 0; i < c.len && i < 32; i++)
            dbuf_printf(&d, "%02x", c.p[i]);
    }
    return 1;
}
