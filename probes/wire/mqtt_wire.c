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
#include "tls_wire.h"
#include "wire.h"

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

/* ---- identifying a port (the tables in probes/ident.c) --------------------- */

/*
 * MQTT 3.1.1 CONNECT, clean session, no credentials. The client id is random
 * so that two runs, or a run and a real client, never kick each other off
 * the broker (a broker drops the older session with the same id), and 22
 * characters long: 3.1.1 lets a broker refuse ids over 23.
 */
size_t mqtt_ident_build(uint8_t *buf, size_t cap, const char *host, long port)
{
    char id[32] = "starprobe-";
    size_t idlen, rem, n = 0;

    (void)host;
    (void)port;
    wire_hex_random(id + 10, 12);
    idlen = strlen(id);
    rem = 10 + 2 + idlen;
    if (cap < 2 + rem || rem > 127)
        return 0;
    buf[n++] = 0x10;                        /* CONNECT */
    buf[n++] = (uint8_t)rem;
    memcpy(buf + n, "\x00\x04MQTT\x04\x02\x00\x1e", 10);  /* level 4, clean session, keepalive 30 */
    n += 10;
    buf[n++] = (uint8_t)(idlen >> 8);
    buf[n++] = (uint8_t)idlen;
    memcpy(buf + n, id, idlen);
    return n + idlen;
}

static const char *mqtt3_rc_name(uint8_t rc)
{
    static const char *const names[] = {
        "accepted", "unacceptable protocol version", "identifier rejected",
        "server unavailable", "bad user name or password", "not authorized"
    };
    return rc < SP_ARRAY_LEN(names) ? names[rc] : "reserved";
}

static const char *mqtt5_rc_name(uint8_t rc)
{
    switch (rc) {
    case 0x00: return "Success";
    case 0x80: return "Unspecified error";
    case 0x81: return "Malformed Packet";
    case 0x82: return "Protocol Error";
    case 0x83: return "Implementation specific error";
    case 0x84: return "Unsupported Protocol Version";
    case 0x85: return "Client Identifier not valid";
    case 0x86: return "Bad User Name or Password";
    case 0x87: return "Not authorized";
    case 0x88: return "Server unavailable";
    case 0x89: return "Server busy";
    case 0x8a: return "Banned";
    case 0x8c: return "Bad authentication method";
    case 0x90: return "Topic Name invalid";
    case 0x95: return "Packet too large";
    case 0x97: return "Quota exceeded";
    case 0x99: return "Payload format invalid";
    case 0x9a: return "Retain not supported";
    case 0x9b: return "QoS not supported";
    case 0x9c: return "Use another server";
    case 0x9d: return "Server moved";
    case 0x9f: return "Connection rate exceeded";
    default: return NULL;
    }
}

/* MQTT variable byte integer (at most 4 bytes). Bytes used, or 0 if malformed/short. */
int mqtt_ident_match(const uint8_t *buf, size_t len, struct ident_result *out)
{
    struct dbuf d;
    uint32_t rem, plen;
    size_t vb;
    int n;

    if (len < 4 || buf[0] != 0x20)
        return 0;
    n = varint(buf + 1, len - 1, &rem);
    vb = n > 0 ? (size_t)n : 0;
    if (vb == 0 || rem < 2 || rem > 1024 || len < 1 + vb + rem)
        return 0;
    if (buf[1 + vb] > 1)
        return 0;           /* acknowledge flags: only session-present may be set */
    if (rem == 2 && vb == 1) {
        uint8_t rc = buf[3];
        if (rc > 5 || (rc != 0 && buf[2] != 0))
            return 0;
        ident_result_init(out);
        ident_set_service(out, "mqtt");
        dbuf_init(&d, out->detail, sizeof(out->detail));
        dbuf_printf(&d, "CONNACK 20 02 %02x %02x (return code %u, %s)", buf[2], rc, rc, mqtt3_rc_name(rc));
        return 1;
    }
    /* MQTT 5: flags, reason code, then properties whose length must fill the packet. */
    {
        const uint8_t *p = buf + 1 + vb;
        uint8_t rc = p[1];
        const char *name = mqtt5_rc_name(rc);
        int pvb = varint(p + 2, rem - 2, &plen);

        if (!name || pvb <= 0 || 2 + (size_t)pvb + plen != rem)
            return 0;
        ident_result_init(out);
        ident_set_service(out, "mqtt");
        dbuf_init(&d, out->detail, sizeof(out->detail));
        dbuf_printf(&d, "MQTT 5 CONNACK reason 0x%02x (%s), %u bytes of properties", rc, name, plen);
        return 1;
    }
}
