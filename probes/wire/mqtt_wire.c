/*
 * mqtt_wire.c - MQTT packet building and bounded reading (see mqtt_wire.h).
 * The remaining length is a variable byte integer of at most four bytes
 * (MQTT 3.1.1 §2.2.3); a device that sends a fifth is malformed, not a
 * reason to read on.
 */
#include <stdlib.h>
#include <string.h>

#include "mqtt_wire.h"
#include "starprobe.h"
#include "util.h"

/* Variable byte integer: bytes used (1..4), 0 if incomplete, -1 if malformed. */
static int varint(const uint8_t *b, size_t n, uint32_t *v)
{
    uint32_t x = 0;

    for (int i = 0; i < 4; i++) {
        if ((size_t)i >= n)
            return 0;
        x |= (uint32_t)(b[i] & 0x7f) << (7 * i);
        if (!(b[i] & 0x80)) {
            *v = x;
            return i + 1;
        }
    }
    return -1;
}

static size_t put_varint(uint8_t *b, uint32_t v)
{
    size_t n = 0;

    do {
        uint8_t c = v & 0x7f;
        v >>= 7;
        b[n++] = (uint8_t)(c | (v ? 0x80 : 0));
    } while (v && n < 4);
    return n;
}

long mqtt_packet_next(const uint8_t *buf, size_t len, struct mqtt_packet *out)
{
    uint32_t rem;
    int vb;

    if (len < 2)
        return 0;
    vb = varint(buf + 1, len - 1, &rem);
    if (vb < 0)
        return SP_ERR_PARSE;
    if (vb == 0 || len - 1 - (size_t)vb < rem)
        return 0;
    out->type = buf[0] >> 4;
    out->flags = buf[0] & 15;
    out->body = buf + 1 + vb;
    out->body_len = rem;
    return (long)(1 + (size_t)vb + rem);
}

/* Fixed header + body assembled in buf; 0 when it does not fit. */
static size_t finish(uint8_t *buf, size_t cap, uint8_t first, const uint8_t *body, size_t blen)
{
    uint8_t hdr[5];
    size_t h;

    if (blen > 268435455u)
        return 0;
    hdr[0] = first;
    h = 1 + put_varint(hdr + 1, (uint32_t)blen);
    if (h + blen > cap)
        return 0;
    memmove(buf + h, body, blen);
    memcpy(buf, hdr, h);
    return h + blen;
}

size_t mqtt_build_connect_v5(uint8_t *buf, size_t cap, const char *client_id)
{
    uint8_t body[128];
    size_t n = 0, idlen = strlen(client_id);

    if (idlen > 64)
        return 0;
    memcpy(body, "\x00\x04MQTT\x05\x02\x00\x1e\x00", 11);  /* level 5, clean start, keepalive 30, no properties */
    n = 11;
    body[n++] = (uint8_t)(idlen >> 8);
    body[n++] = (uint8_t)idlen;
    memcpy(body + n, client_id, idlen);
    n += idlen;
    return finish(buf, cap, 0x10, body, n);
}

size_t mqtt_build_subscribe(uint8_t *buf, size_t cap, int version, uint16_t packet_id,
                            const char *const *filters, size_t n)
{
    uint8_t body[512];
    size_t b = 0;

    body[b++] = (uint8_t)(packet_id >> 8);
    body[b++] = (uint8_t)packet_id;
    if (version == MQTT_V5)
        body[b++] = 0;          /* no properties */
    for (size_t i = 0; i < n; i++) {
        size_t fl = strlen(filters[i]);
        if (fl == 0 || b + 3 + fl > sizeof(body))
            return 0;
        body[b++] = (uint8_t)(fl >> 8);
        body[b++] = (uint8_t)fl;
        memcpy(body + b, filters[i], fl);
        b += fl;
        body[b++] = 0;          /* QoS 0: nothing to acknowledge */
    }
    return finish(buf, cap, 0x82, body, b);
}

size_t mqtt_build_disconnect(uint8_t *buf, size_t cap)
{
    if (cap < 2)
        return 0;
    buf[0] = 0xe0;
    buf[1] = 0;
    return 2;
}

int mqtt_connack_code(const struct mqtt_packet *p)
{
    if (p->type != 2 || p->body_len < 2)
        return SP_ERR_PARSE;
    return p->body[1];
}

int mqtt_publish_parse(const struct mqtt_packet *p, int version, char *topic, size_t topiccap,
                       const uint8_t **payload, size_t *plen)
{
    size_t off, tl, qos = (p->flags >> 1) & 3;
    char *t;

    if (p->type != 3 || p->body_len < 2 || qos == 3)
        return SP_ERR_PARSE;
    tl = (size_t)p->body[0] << 8 | p->body[1];
    if (tl > p->body_len - 2)
        return SP_ERR_PARSE;
    t = sp_printable(p->body + 2, tl, topiccap ? topiccap - 1 : 0);
    sp_strlcpy(topic, t, topiccap);
    free(t);
    off = 2 + tl;
    if (qos) {
        if (p->body_len - off < 2)
            return SP_ERR_PARSE;
        off += 2;
    }
    if (version == MQTT_V5) {
        uint32_t proplen;
        int vb = varint(p->body + off, p->body_len - off, &proplen);
        if (vb <= 0 || proplen > p->body_len - off - (size_t)vb)
            return SP_ERR_PARSE;
        off += (size_t)vb + proplen;
    }
    *payload = p->body + off;
    *plen = p->body_len - off;
    return 0;
}
