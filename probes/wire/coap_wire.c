/*
 * coap_wire.c - CoAP message builder and parser, CoRE link-format reader
 * (see coap_wire.h). Options use delta/length nibbles with the 13 and 14
 * extended forms (RFC 7252 §3.1); 15 is reserved except as the payload
 * marker, and every extended byte is checked against the end.
 */
#include <stdio.h>
#include <string.h>

#include "coap_wire.h"
#include "starprobe.h"
#include "wire.h"

#define OPT_URI_PATH 11
#define OPT_CONTENT_FORMAT 12
#define OPT_URI_QUERY 15

/* One option; returns the new offset or 0 when it does not fit. */
static size_t put_option(uint8_t *buf, size_t cap, size_t off, unsigned delta,
                         const uint8_t *val, size_t vlen)
{
    uint8_t hdr[5];
    size_t h = 1;
    unsigned dn, ln;

    if (vlen > 255 + 269)
        return 0;
    if (delta < 13) {
        dn = delta;
    } else if (delta < 269) {
        dn = 13;
        hdr[h++] = (uint8_t)(delta - 13);
    } else {
        dn = 14;
        hdr[h++] = (uint8_t)((delta - 269) >> 8);
        hdr[h++] = (uint8_t)(delta - 269);
    }
    if (vlen < 13) {
        ln = (unsigned)vlen;
    } else if (vlen < 269) {
        ln = 13;
        hdr[h++] = (uint8_t)(vlen - 13);
    } else {
        ln = 14;
        hdr[h++] = (uint8_t)((vlen - 269) >> 8);
        hdr[h++] = (uint8_t)(vlen - 269);
    }
    hdr[0] = (uint8_t)(dn << 4 | ln);
    if (off + h + vlen > cap)
        return 0;
    memcpy(buf + off, hdr, h);
    if (vlen)
        memcpy(buf + off + h, val, vlen);
    return off + h + vlen;
}

size_t coap_build_get(uint8_t *buf, size_t cap, uint8_t type, uint16_t mid,
                      const uint8_t *token, size_t tkl, const char *path)
{
    size_t off = 4 + tkl;
    unsigned last = 0;
    const char *p = path, *q = strchr(path, '?');
    const char *pend = q ? q : path + strlen(path);

    if (tkl > 8 || cap < off || type > 3)
        return 0;
    buf[0] = (uint8_t)(0x40 | type << 4 | tkl);
    buf[1] = COAP_GET;
    buf[2] = (uint8_t)(mid >> 8);
    buf[3] = (uint8_t)mid;
    if (tkl)
        memcpy(buf + 4, token, tkl);
    while (p < pend && *p == '/')
        p++;
    while (p < pend) {
        const char *e = memchr(p, '/', (size_t)(pend - p));
        size_t n;
        if (!e)
            e = pend;
        n = (size_t)(e - p);
        if (n > 255)
            return 0;
        off = put_option(buf, cap, off, OPT_URI_PATH - last, (const uint8_t *)p, n);
        if (!off)
            return 0;
        last = OPT_URI_PATH;
        p = e < pend ? e + 1 : e;
    }
    if (q) {
        p = q + 1;
        while (*p) {
            const char *e = strchr(p, '&');
            size_t n;
            if (!e)
                e = p + strlen(p);
            n = (size_t)(e - p);
            if (n > 255)
                return 0;
            if (n) {
                off = put_option(buf, cap, off, OPT_URI_QUERY - last, (const uint8_t *)p, n);
                if (!off)
                    return 0;
                last = OPT_URI_QUERY;
            }
            p = *e ? e + 1 : e;
        }
    }
    return off;
}

size_t coap_build_ack(uint8_t *buf, size_t cap, uint16_t mid)
{
    if (cap < 4)
        return 0;
    buf[0] = 0x40 | COAP_ACK << 4;
    buf[1] = COAP_EMPTY;
    buf[2] = (uint8_t)(mid >> 8);
    buf[3] = (uint8_t)mid;
    return 4;
}

/* An extended delta or length nibble; -1 on a reserved value or truncation. */
static long ext_value(unsigned nib, const uint8_t *buf, size_t len, size_t *off)
{
    if (nib < 13)
        return nib;
    if (nib == 13) {
        if (*off + 1 > len)
            return -1;
        return 13 + buf[(*off)++];
    }
    if (nib == 14) {
        long v;
        if (*off + 2 > len)
            return -1;
        v = 269 + ((long)buf[*off] << 8 | buf[*off + 1]);
        *off += 2;
        return v;
    }
    return -1;
}

int coap_parse(const uint8_t *buf, size_t len, struct coap_msg *out)
{
    size_t off;
    unsigned long num = 0;

    memset(out, 0, sizeof(*out));
    out->content_format = -1;
    if (len < 4 || (buf[0] >> 6) != 1)
        return SP_ERR_PARSE;
    out->type = (buf[0] >> 4) & 3;
    out->tkl = buf[0] & 15;
    out->code = buf[1];
    out->mid = (uint16_t)(buf[2] << 8 | buf[3]);
    if (out->tkl > 8 || 4u + out->tkl > len)
        return SP_ERR_PARSE;
    memcpy(out->token, buf + 4, out->tkl);
    off = 4u + out->tkl;
    while (off < len) {
        uint8_t b = buf[off++];
        long d, l;
        if (b == 0xff) {
            if (off == len)
                return SP_ERR_PARSE;    /* a marker with no payload is a format error */
            out->payload = buf + off;
            out->payload_len = len - off;
            return 0;
        }
        d = ext_value(b >> 4, buf, len, &off);
        l = ext_value(b & 15, buf, len, &off);
        if (d < 0 || l < 0 || (size_t)l > len - off)
            return SP_ERR_PARSE;
        num += (unsigned long)d;
        if (num > 65535)
            return SP_ERR_PARSE;
        if (num == OPT_CONTENT_FORMAT) {
            unsigned cf = 0;
            if (l > 2)
                return SP_ERR_PARSE;
            for (long i = 0; i < l; i++)
                cf = cf << 8 | buf[off + (size_t)i];
            out->content_format = (int)cf;
        }
        out->nopts++;
        off += (size_t)l;
    }
    return 0;
}

void coap_code_str(uint8_t code, char *buf, size_t cap)
{
    snprintf(buf, cap, "%u.%02u", (unsigned)(code >> 5), (unsigned)(code & 31));
}

size_t coap_link_paths(const uint8_t *p, size_t len, char (*paths)[COAP_PATH_MAX], size_t max)
{
    size_t n = 0, i = 0;

    while (i < len && n < max) {
        size_t s, e;
        int quoted = 0;
        while (i < len && (p[i] == ' ' || p[i] == ',' || p[i] == '\r' || p[i] == '\n' || p[i] == '\t'))
            i++;
        if (i >= len || p[i] != '<')
            break;                      /* not link format */
        s = ++i;
        while (i < len && p[i] != '>')
            i++;
        if (i >= len)
            break;
        e = i++;
        /* Only paths on this server: "/x". Absolute URIs name other endpoints. */
        if (e > s && p[s] == '/' && e - s < COAP_PATH_MAX) {
            int ok = 1;
            for (size_t k = s; k < e; k++)
                if (p[k] < 0x21 || p[k] > 0x7e)
                    ok = 0;
            if (ok) {
                memcpy(paths[n], p + s, e - s);
                paths[n][e - s] = '\0';
                n++;
            }
        }
        /* Skip the attributes up to the next comma outside quotes. */
        while (i < len && (quoted || p[i] != ',')) {
            if (p[i] == '"')
                quoted = !quoted;
            i++;
        }
    }
    return n;
}

/* ---- identifying a port (the tables in probes/ident.c) --------------------- */

size_t coap_ident_build(uint8_t *buf, size_t cap, uint16_t txid)
{
    uint8_t token[4];

    if (wire_random(token, sizeof(token)) != 0)
        memcpy(token, "SPRB", 4);
    return coap_build_get(buf, cap, COAP_CON, txid, token, sizeof(token), "/.well-known/core");
}

static const char *coap_code_name(uint8_t code)
{
    switch (code) {
    case 0x41: return "Created";
    case 0x42: return "Deleted";
    case 0x43: return "Valid";
    case 0x44: return "Changed";
    case 0x45: return "Content";
    case 0x5f: return "Continue";
    case 0x80: return "Bad Request";
    case 0x81: return "Unauthorized";
    case 0x82: return "Bad Option";
    case 0x83: return "Forbidden";
    case 0x84: return "Not Found";
    case 0x85: return "Method Not Allowed";
    case 0x86: return "Not Acceptable";
    case 0x88: return "Request Entity Incomplete";
    case 0x8c: return "Precondition Failed";
    case 0x8d: return "Request Entity Too Large";
    case 0x8f: return "Unsupported Content-Format";
    case 0xa0: return "Internal Server Error";
    case 0xa1: return "Not Implemented";
    case 0xa2: return "Bad Gateway";
    case 0xa3: return "Service Unavailable";
    case 0xa4: return "Gateway Timeout";
    case 0xa5: return "Proxying Not Supported";
    default: return "";
    }
}

int coap_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                      struct ident_result *out)
{
    struct dbuf d;
    unsigned type, tkl, qtkl;
    uint8_t code;
    int same_mid, same_token;
    struct coap_msg m;

    if (len < 4 || reqlen < 4 || (buf[0] >> 6) != 1)
        return 0;
    type = (buf[0] >> 4) & 3;
    tkl = buf[0] & 15;
    qtkl = req[0] & 15;
    code = buf[1];
    if (tkl > 8 || len < 4 + tkl || qtkl > 8 || reqlen < 4 + qtkl)
        return 0;
    same_mid = buf[2] == req[2] && buf[3] == req[3];
    same_token = tkl == qtkl && memcmp(buf + 4, req + 4, tkl) == 0;
    if (code == 0) {
        /* Empty message: an ACK promising a separate response, or a RST refusing ours. */
        if (!same_mid || (type != 2 && type != 3) || tkl != 0 || len != 4)
            return 0;
    } else {
        unsigned cls = code >> 5;
        if (cls != 2 && cls != 4 && cls != 5)
            return 0;
        if (!same_token || (type == 2 && !same_mid) || type == 3)
            return 0;
    }
    ident_result_init(out);
    ident_set_service(out, "coap");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    if (code == 0) {
        dbuf_printf(&d, type == 3 ? "CoAP RST to our message id" : "CoAP empty ACK (separate response pending)");
        return 1;
    }
    dbuf_printf(&d, "CoAP %u.%02u %s", code >> 5, code & 31u, coap_code_name(code));
    if (coap_parse(buf, len, &m) != 0) {
        dbuf_printf(&d, ", malformed options");
    } else if (m.payload_len > 0) {
        dbuf_printf(&d, ", ");
        dbuf_esc(&d, m.payload, m.payload_len, 100);
    }
    return 1;
}
