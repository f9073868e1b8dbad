/*
 * robust_wire.c - malformed inputs per protocol and the reader of the answers
 * (see robust_wire.h). Every builder writes through struct wb, which drops
 * the whole input (length 0) rather than cut it when the buffer is short: a
 * cut input would be a different test than the one its name says.
 */
#include <stdio.h>
#include <string.h>

#include "coap_wire.h"
#include "http_wire.h"
#include "mqtt_wire.h"
#include "robust_wire.h"
#include "snmp_wire.h"
#include "ssh_wire.h"
#include "starprobe.h"
#include "tls_wire.h"
#include "util.h"
#include "wire.h"

struct wb {
    uint8_t *p;
    size_t cap, len;
    int over;
};

static void wb_init(struct wb *w, uint8_t *p, size_t cap)
{
    w->p = p;
    w->cap = cap;
    w->len = 0;
    w->over = 0;
}

static void wb_put(struct wb *w, const void *b, size_t n)
{
    if (w->over || n > w->cap - w->len) {
        w->over = 1;
        return;
    }
    memcpy(w->p + w->len, b, n);
    w->len += n;
}

static void wb_str(struct wb *w, const char *s)
{
    wb_put(w, s, strlen(s));
}

static void wb_byte(struct wb *w, uint8_t b)
{
    wb_put(w, &b, 1);
}

static void wb_fill(struct wb *w, uint8_t c, size_t n)
{
    if (w->over || n > w->cap - w->len) {
        w->over = 1;
        return;
    }
    memset(w->p + w->len, c, n);
    w->len += n;
}

static void wb_be16(struct wb *w, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    wb_put(w, b, 2);
}

static void wb_be32(struct wb *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    wb_put(w, b, 4);
}

static size_t wb_done(const struct wb *w)
{
    return w->over ? 0 : w->len;
}

/* A variant's filler letter and size step: the same fault with other bytes and other lengths. */
static uint8_t fill_of(unsigned v)
{
    return (uint8_t)('A' + v % 26);
}

static size_t grow(size_t base, unsigned v, size_t step)
{
    return base + (size_t)(v % 8) * step;
}

/* Byte sequences no UTF-8 decoder may accept: an overlong NUL, a lone surrogate, 0xFE/0xFF. */
static const char bad_utf8[] = "\xc0\x80\xed\xa0\x80\xfe\xff\xc3";

/* ---- HTTP and RTSP --------------------------------------------------------- */

static size_t http_header_64k(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_str(&w, "GET / HTTP/1.1\r\nHost: starprobe\r\nX-Starprobe-Pad: ");
    wb_fill(&w, fill_of(v), grow(65536, v, 2048));
    wb_str(&w, "\r\nConnection: close\r\n\r\n");
    return wb_done(&w);
}

static size_t http_request_line_16k(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_str(&w, "GET /");
    wb_fill(&w, (uint8_t)('a' + v % 26), grow(16384, v, 4096));
    wb_str(&w, " HTTP/1.1\r\nHost: starprobe\r\nConnection: close\r\n\r\n");
    return wb_done(&w);
}

static size_t http_headers_many(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;
    char line[32];

    wb_init(&w, buf, cap);
    wb_str(&w, "GET / HTTP/1.1\r\nHost: starprobe\r\n");
    for (size_t i = 0; i < grow(4000, v, 500); i++) {
        snprintf(line, sizeof(line), "X-%zu: %c\r\n", i, fill_of(v));
        wb_str(&w, line);
    }
    wb_str(&w, "Connection: close\r\n\r\n");
    return wb_done(&w);
}

static size_t http_content_length_overstated(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;
    char hdr[160];

    wb_init(&w, buf, cap);
    snprintf(hdr, sizeof(hdr), "POST / HTTP/1.1\r\nHost: starprobe\r\nContent-Type: "
             "application/octet-stream\r\nContent-Length: %s\r\n\r\n",
             v % 2 ? "18446744073709551617" : "1048576");
    wb_str(&w, hdr);
    wb_fill(&w, fill_of(v), 16);
    return wb_done(&w);
}

static size_t http_chunk_size_overflow(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_str(&w, "POST / HTTP/1.1\r\nHost: starprobe\r\nTransfer-Encoding: chunked\r\n\r\n");
    wb_fill(&w, 'f', grow(20, v, 3));
    wb_str(&w, "\r\nAAAA\r\n0\r\n\r\n");
    return wb_done(&w);
}

static size_t http_invalid_utf8(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_str(&w, "GET /");
    wb_str(&w, bad_utf8 + v % 4);
    wb_str(&w, "%c0%80 HTTP/1.1\r\nHost: ");
    wb_str(&w, bad_utf8);
    wb_str(&w, "\r\nUser-Agent: ");
    wb_str(&w, bad_utf8);
    wb_str(&w, "\r\nConnection: close\r\n\r\n");
    return wb_done(&w);
}

static size_t rtsp_header_64k(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_str(&w, "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nX-Starprobe-Pad: ");
    wb_fill(&w, fill_of(v), grow(65536, v, 2048));
    wb_str(&w, "\r\n\r\n");
    return wb_done(&w);
}

static size_t rtsp_cseq_overflow(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_str(&w, "OPTIONS * RTSP/1.0\r\nCSeq: ");
    wb_fill(&w, '9', grow(40, v, 10));
    wb_str(&w, "\r\n\r\n");
    return wb_done(&w);
}

static size_t rtsp_invalid_utf8(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_str(&w, "DESCRIBE rtsp://starprobe/");
    wb_str(&w, bad_utf8 + v % 4);
    wb_str(&w, " RTSP/1.0\r\nCSeq: 2\r\nUser-Agent: ");
    wb_str(&w, bad_utf8);
    wb_str(&w, "\r\n\r\n");
    return wb_done(&w);
}

/* ---- MQTT ------------------------------------------------------------------ */

/* A 3.1.1 CONNECT body (variable header and payload) with client id id of idlen bytes. */
static void mqtt_connect_body(struct wb *w, const char *id, size_t idlen)
{
    wb_put(w, "\x00\x04MQTT\x04\x02\x00\x1e", 10);
    wb_be16(w, (uint16_t)idlen);
    wb_put(w, id, idlen);
}

static size_t mqtt_remaining_overstated(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;
    /* 268435455 (the largest the encoding holds), then smaller lies */
    static const uint8_t lies[][4] = {{0xff, 0xff, 0xff, 0x7f}, {0x80, 0x80, 0x80, 0x01},
                                      {0xff, 0xff, 0x7f, 0x00}, {0xe8, 0x07, 0x00, 0x00}};
    const uint8_t *l = lies[v % 4];

    wb_init(&w, buf, cap);
    wb_byte(&w, 0x10);
    for (int i = 0; i < 4; i++) {
        wb_byte(&w, l[i]);
        if (!(l[i] & 0x80))
            break;
    }
    mqtt_connect_body(&w, "starprobe-robust", 16);
    return wb_done(&w);
}

static size_t mqtt_remaining_5_bytes(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_byte(&w, 0x10);
    wb_fill(&w, (uint8_t)(0x80 | (v % 0x7f)), 4 + v % 3);
    wb_byte(&w, 0x01);
    mqtt_connect_body(&w, "starprobe-robust", 16);
    return wb_done(&w);
}

static size_t mqtt_protocol_name_past_end(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_byte(&w, 0x10);
    wb_byte(&w, 12);
    wb_be16(&w, (uint16_t)(0xffff - v % 256));     /* the name says 65535 bytes; 10 follow */
    wb_put(&w, "MQTT\x04\x02\x00\x1e\x00\x00", 10);
    return wb_done(&w);
}

static size_t mqtt_client_id_invalid_utf8(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;
    size_t n = sizeof(bad_utf8) - 1 - v % 4;

    wb_init(&w, buf, cap);
    wb_byte(&w, 0x10);
    wb_byte(&w, (uint8_t)(12 + n));
    mqtt_connect_body(&w, bad_utf8 + v % 4, n);
    return wb_done(&w);
}

static size_t mqtt_reserved_type_first(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    /* packet type 15 (reserved in 3.1.1, AUTH in 5) or 0 (reserved in both) before any CONNECT */
    wb_byte(&w, v % 2 ? 0x00 : 0xf0);
    wb_byte(&w, 4);
    wb_fill(&w, fill_of(v), 4);
    return wb_done(&w);
}

/* ---- CoAP ------------------------------------------------------------------ */

static void coap_head(struct wb *w, uint8_t tkl, uint8_t code, unsigned v)
{
    wb_byte(w, (uint8_t)(0x40 | tkl));     /* version 1, confirmable */
    wb_byte(w, code);
    wb_be16(w, (uint16_t)(0x5250 + v));
}

static size_t coap_option_delta_15(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    coap_head(&w, 0, COAP_GET, v);
    wb_byte(&w, (uint8_t)(0xf0 | (v % 15)));  /* delta 15 is reserved unless it is the payload marker */
    wb_fill(&w, fill_of(v), v % 15);
    return wb_done(&w);
}

static size_t coap_option_length_past_end(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    coap_head(&w, 0, COAP_GET, v);
    wb_byte(&w, 0xbe);                      /* Uri-Path, length 269 + the next two bytes */
    wb_be16(&w, (uint16_t)(0xfff0 - v));
    wb_put(&w, "well", 4);
    return wb_done(&w);
}

static size_t coap_token_length_9(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    coap_head(&w, (uint8_t)(9 + v % 7), COAP_GET, v);     /* 9..15 are reserved */
    wb_fill(&w, fill_of(v), 9 + v % 7);
    return wb_done(&w);
}

static size_t coap_truncated_header(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_byte(&w, 0x40);
    if (v % 2)
        wb_byte(&w, COAP_GET);
    return wb_done(&w);
}

static size_t coap_payload_marker_empty(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    coap_head(&w, 0, COAP_CODE(0, 2), v);   /* POST */
    wb_byte(&w, 0xff);                      /* a marker with no payload is a format error */
    return wb_done(&w);
}

static size_t coap_uri_path_invalid_utf8(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;
    size_t n = sizeof(bad_utf8) - 1 - v % 4;

    wb_init(&w, buf, cap);
    coap_head(&w, 0, COAP_GET, v);
    wb_byte(&w, (uint8_t)(0xb0 | n));       /* Uri-Path */
    wb_put(&w, bad_utf8 + v % 4, n);
    return wb_done(&w);
}

/* ---- SSH ------------------------------------------------------------------- */

static size_t ssh_banner_300(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_str(&w, "SSH-2.0-");
    wb_fill(&w, fill_of(v), grow(292, v, 256));     /* RFC 4253 §4.2: 255 with CR LF at most */
    return wb_done(&w);
}

static size_t ssh_banner_invalid_utf8(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_str(&w, "SSH-2.0-");
    wb_str(&w, bad_utf8 + v % 4);
    wb_str(&w, "\r\n");
    return wb_done(&w);
}

static size_t ssh_packet_length_overlong(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_str(&w, SSHW_OUR_IDENT "\r\n");
    wb_be32(&w, 0xfffffff0u - v);
    wb_byte(&w, 4);
    wb_byte(&w, 20);                        /* SSH_MSG_KEXINIT */
    wb_fill(&w, fill_of(v), 16);
    return wb_done(&w);
}

static size_t ssh_name_list_past_end(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_str(&w, SSHW_OUR_IDENT "\r\n");
    /* a whole 64-byte packet whose KEXINIT's first name-list claims 2 GiB */
    wb_be32(&w, 60);
    wb_byte(&w, 8);
    wb_byte(&w, 20);
    wb_fill(&w, fill_of(v), 16);
    wb_be32(&w, 0x7fffffffu - v);
    wb_fill(&w, 'k', 60 - 1 - 1 - 16 - 4);
    return wb_done(&w);
}

/* ---- telnet ---------------------------------------------------------------- */

static size_t telnet_sb_unterminated(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_put(&w, "\xff\xfa\x18\x00", 4);     /* IAC SB TERMINAL-TYPE IS, never IAC SE */
    wb_fill(&w, fill_of(v), grow(8192, v, 4096));
    return wb_done(&w);
}

static size_t telnet_option_flood(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    for (unsigned i = 0; i < grow(4096, v, 1024); i++) {
        uint8_t cmd[3] = {0xff, (uint8_t)(251 + (i + v) % 4), (uint8_t)(i % 256)};
        wb_put(&w, cmd, 3);
    }
    return wb_done(&w);
}

static size_t telnet_line_64k(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_fill(&w, fill_of(v), grow(65536, v, 2048));
    wb_str(&w, "\r\n");
    return wb_done(&w);
}

static size_t telnet_invalid_utf8(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    /* bad_utf8 without its 0xff: that byte is IAC, and this input is about the text */
    wb_put(&w, "\xc0\x80\xed\xa0\x80\xfe", 6 - v % 3);
    wb_str(&w, "\r\n\xc3\r\n");
    return wb_done(&w);
}

/* ---- FTP ------------------------------------------------------------------- */

static size_t ftp_command_64k(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_str(&w, "USER ");
    wb_fill(&w, fill_of(v), grow(65536, v, 2048));
    wb_str(&w, "\r\n");
    return wb_done(&w);
}

static size_t ftp_no_line_end(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_str(&w, "USER ");
    wb_fill(&w, fill_of(v), grow(8192, v, 4096));
    return wb_done(&w);
}

static size_t ftp_invalid_utf8(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_str(&w, "USER ");
    wb_str(&w, bad_utf8 + v % 4);
    wb_str(&w, "\r\nOPTS UTF8 ON\r\nCWD ");
    wb_str(&w, bad_utf8);
    wb_str(&w, "\r\n");
    return wb_done(&w);
}

static size_t ftp_port_out_of_range(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;
    char line[96];

    wb_init(&w, buf, cap);
    snprintf(line, sizeof(line), "PORT 999,999,999,999,%u,99999\r\nEPRT |9|::::|%u9999999|\r\n",
             256 + v, v);
    wb_str(&w, line);
    return wb_done(&w);
}

/* ---- TLS ------------------------------------------------------------------- */

/* A default ClientHello record; its length, 0 when it does not fit. */
static size_t tls_hello(uint8_t *buf, size_t cap)
{
    struct tls_hello_opts o;
    static const uint8_t rnd[32] = {0x52, 0x6f, 0x62, 0x75, 0x73, 0x74};

    tls_hello_opts_init(&o);
    o.max_version = TLS_V_1_2;
    o.random = rnd;
    return tls_build_client_hello(buf, cap, &o);
}

static size_t tls_record_length_past_end(uint8_t *buf, size_t cap, unsigned v)
{
    size_t n = tls_hello(buf, cap);
    uint16_t lie = (uint16_t)(16384 - (v % 16) * 512);

    if (n < 9 || lie <= n - 5)
        return 0;
    buf[3] = (uint8_t)(lie >> 8);       /* the record says 16384 bytes; the hello is all that comes */
    buf[4] = (uint8_t)lie;
    return n;
}

static size_t tls_record_length_over_max(uint8_t *buf, size_t cap, unsigned v)
{
    size_t n = tls_hello(buf, cap);

    if (n < 9)
        return 0;
    buf[3] = 0xff;                      /* over 2^14 + 2048, RFC 5246 §6.2.3 */
    buf[4] = (uint8_t)(0xff - v);
    return n;
}

static size_t tls_handshake_length_overlong(uint8_t *buf, size_t cap, unsigned v)
{
    size_t n = tls_hello(buf, cap);

    if (n < 9)
        return 0;
    buf[6] = 0xff;                      /* ClientHello of 16 MiB inside an honest record */
    buf[7] = 0xff;
    buf[8] = (uint8_t)(0xff - v);
    return n;
}

static size_t tls_extensions_length_past_end(uint8_t *buf, size_t cap, unsigned v)
{
    size_t n = tls_hello(buf, cap), off = 5 + 4 + 2 + 32;

    /* walk our own hello: session id, suites, compression, then the extensions' length */
    if (n < off + 1)
        return 0;
    off += 1 + buf[off];
    if (n < off + 2)
        return 0;
    off += 2 + wire_be16(buf + off);
    if (n < off + 1)
        return 0;
    off += 1 + buf[off];
    if (n < off + 2)
        return 0;
    buf[off] = (uint8_t)(0xf0 | (v % 16));
    buf[off + 1] = 0xff;
    return n;
}

/* ---- SNMP ------------------------------------------------------------------ */

static size_t snmp_ber_length_overlong(uint8_t *buf, size_t cap, unsigned v)
{
    uint8_t get[256];
    size_t n = snmp_build_get(get, sizeof(get), SNMP_V2C, "public", 0x52000000u + v);
    struct wb w;

    if (n < 2 || get[1] >= 0x80)
        return 0;
    wb_init(&w, buf, cap);
    wb_byte(&w, 0x30);
    wb_byte(&w, 0x84);                  /* four length bytes: about 2 GiB */
    wb_be32(&w, 0x7fffff00u + v % 256);
    wb_put(&w, get + 2, n - 2);
    return wb_done(&w);
}

static size_t snmp_truncated(uint8_t *buf, size_t cap, unsigned v)
{
    uint8_t get[256];
    size_t n = snmp_build_get(get, sizeof(get), SNMP_V2C, "public", 0x52000100u + v), keep;

    if (n < 8)
        return 0;
    keep = n / 2 + v % (n / 4);
    if (keep > cap)
        return 0;
    memcpy(buf, get, keep);
    return keep;
}

static size_t snmp_community_past_end(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;

    wb_init(&w, buf, cap);
    wb_put(&w, "\x30\x19\x02\x01\x01", 5);         /* SEQUENCE, version v2c */
    wb_put(&w, "\x04\x82", 2);                      /* community: OCTET STRING of ~65 KB */
    wb_be16(&w, (uint16_t)(0xfff0 - v));
    wb_put(&w, "public\xa0\x0b\x02\x01\x01\x02\x01\x00\x02\x01\x00\x30", 18);
    return wb_done(&w);
}

static size_t snmp_oid_subid_overflow(uint8_t *buf, size_t cap, unsigned v)
{
    struct wb w;
    size_t sub = 10 + v % 6;

    wb_init(&w, buf, cap);
    /* v2c GetRequest whose OID has a sub-identifier of 10+ bytes (over 64 bits) */
    wb_byte(&w, 0x30);
    wb_byte(&w, (uint8_t)(sub + 32));
    wb_put(&w, "\x02\x01\x01\x04\x06public", 11);
    wb_byte(&w, 0xa0);
    wb_byte(&w, (uint8_t)(sub + 19));
    wb_put(&w, "\x02\x01\x01\x02\x01\x00\x02\x01\x00", 9);
    wb_byte(&w, 0x30);
    wb_byte(&w, (uint8_t)(sub + 8));
    wb_byte(&w, 0x30);
    wb_byte(&w, (uint8_t)(sub + 6));
    wb_byte(&w, 0x06);
    wb_byte(&w, (uint8_t)(1 + sub + 1));
    wb_byte(&w, 0x2b);
    wb_fill(&w, 0xff, sub - 1);
    wb_byte(&w, 0x7f);
    wb_byte(&w, 0x01);
    wb_put(&w, "\x05\x00", 2);
    return wb_done(&w);
}

/* ---- the sets -------------------------------------------------------------- */

static const struct robust_case http_set[] = {
    {"http-header-64k", "a header line of 64 KiB", http_header_64k},
    {"http-request-line-16k", "a request target of 16 KiB", http_request_line_16k},
    {"http-headers-4000", "4000 header lines", http_headers_many},
    {"http-content-length-overstated", "a body of 16 bytes under Content-Length: 1048576",
     http_content_length_overstated},
    {"http-chunk-size-overflow", "a chunk size past 64 bits", http_chunk_size_overflow},
    {"http-invalid-utf8", "invalid UTF-8 in the path, Host and User-Agent", http_invalid_utf8},
};

static const struct robust_case rtsp_set[] = {
    {"rtsp-header-64k", "a header line of 64 KiB", rtsp_header_64k},
    {"rtsp-cseq-overflow", "a CSeq of 40 digits", rtsp_cseq_overflow},
    {"rtsp-invalid-utf8", "invalid UTF-8 in the URI and User-Agent", rtsp_invalid_utf8},
};

static const struct robust_case mqtt_set[] = {
    {"mqtt-remaining-length-overstated", "a CONNECT whose remaining length overstates its bytes",
     mqtt_remaining_overstated},
    {"mqtt-remaining-length-5-bytes", "a remaining length of five bytes (four at most)",
     mqtt_remaining_5_bytes},
    {"mqtt-protocol-name-past-end", "a protocol name whose length runs past the packet",
     mqtt_protocol_name_past_end},
    {"mqtt-client-id-invalid-utf8", "a client identifier that is not UTF-8",
     mqtt_client_id_invalid_utf8},
    {"mqtt-reserved-type-first", "a reserved packet type before CONNECT", mqtt_reserved_type_first},
};

static const struct robust_case coap_set[] = {
    {"coap-option-delta-15", "an option delta of 15 (reserved)", coap_option_delta_15},
    {"coap-option-length-past-end", "an option length past the end of the datagram",
     coap_option_length_past_end},
    {"coap-token-length-9", "a token length of 9 (reserved)", coap_token_length_9},
    {"coap-truncated-header", "a message shorter than its 4-byte header", coap_truncated_header},
    {"coap-payload-marker-empty", "a payload marker with no payload", coap_payload_marker_empty},
    {"coap-uri-path-invalid-utf8", "a Uri-Path that is not UTF-8", coap_uri_path_invalid_utf8},
};

static const struct robust_case ssh_set[] = {
    {"ssh-banner-300-no-crlf", "an identification line of 300 bytes without CR LF", ssh_banner_300},
    {"ssh-banner-invalid-utf8", "an identification line that is not UTF-8", ssh_banner_invalid_utf8},
    {"ssh-packet-length-overlong", "a packet length of 4 GiB", ssh_packet_length_overlong},
    {"ssh-name-list-past-end", "a KEXINIT name-list of 2 GiB in a 64-byte packet",
     ssh_name_list_past_end},
};

static const struct robust_case telnet_set[] = {
    {"telnet-sb-unterminated", "a subnegotiation of 8 KiB never ended by IAC SE",
     telnet_sb_unterminated},
    {"telnet-option-flood", "4096 option commands at once", telnet_option_flood},
    {"telnet-line-64k", "a login line of 64 KiB", telnet_line_64k},
    {"telnet-invalid-utf8", "a login line that is not UTF-8", telnet_invalid_utf8},
};

static const struct robust_case ftp_set[] = {
    {"ftp-command-64k", "a USER command of 64 KiB", ftp_command_64k},
    {"ftp-no-line-end", "8 KiB without a line end", ftp_no_line_end},
    {"ftp-invalid-utf8", "USER and CWD arguments that are not UTF-8", ftp_invalid_utf8},
    {"ftp-port-out-of-range", "PORT and EPRT with numbers out of range", ftp_port_out_of_range},
};

static const struct robust_case tls_set[] = {
    {"tls-record-length-past-end", "a record whose length runs past the bytes sent",
     tls_record_length_past_end},
    {"tls-record-length-over-max", "a record length over 2^14 + 2048", tls_record_length_over_max},
    {"tls-handshake-length-overlong", "a ClientHello length of 16 MiB in an honest record",
     tls_handshake_length_overlong},
    {"tls-extensions-length-past-end", "an extensions length past the end of the ClientHello",
     tls_extensions_length_past_end},
};

static const struct robust_case snmp_set[] = {
    {"snmp-ber-length-overlong", "a message length of 2 GiB", snmp_ber_length_overlong},
    {"snmp-truncated", "a GetRequest cut short", snmp_truncated},
    {"snmp-community-past-end", "a community string whose length runs past the datagram",
     snmp_community_past_end},
    {"snmp-oid-subid-overflow", "an OID sub-identifier over 64 bits", snmp_oid_subid_overflow},
};

static const struct {
    const char *proto;
    const struct robust_case *cases;
    size_t n;
} sets[] = {
    {"http", http_set, SP_ARRAY_LEN(http_set)},       {"rtsp", rtsp_set, SP_ARRAY_LEN(rtsp_set)},
    {"mqtt", mqtt_set, SP_ARRAY_LEN(mqtt_set)},       {"coap", coap_set, SP_ARRAY_LEN(coap_set)},
    {"ssh", ssh_set, SP_ARRAY_LEN(ssh_set)},          {"telnet", telnet_set, SP_ARRAY_LEN(telnet_set)},
    {"ftp", ftp_set, SP_ARRAY_LEN(ftp_set)},          {"tls", tls_set, SP_ARRAY_LEN(tls_set)},
    {"snmp", snmp_set, SP_ARRAY_LEN(snmp_set)},
};

const struct robust_case *robust_cases(const char *proto, size_t *n)
{
    for (size_t i = 0; proto && i < SP_ARRAY_LEN(sets); i++)
        if (strcmp(sets[i].proto, proto) == 0) {
            *n = sets[i].n;
            return sets[i].cases;
        }
    *n = 0;
    return NULL;
}

/* ---- what came back -------------------------------------------------------- */

void robust_reaction(const char *proto, const uint8_t *buf, size_t len, char *out, size_t cap)
{
    struct dbuf d;

    dbuf_init(&d, out, cap);
    if (len == 0) {
        dbuf_printf(&d, "nothing");
        return;
    }
    if (strcmp(proto, "tls") == 0) {
        struct tls_server_hello sh;
        if (tls_parse_server_hello(buf, len, &sh) == 0) {
            if (sh.record_type == TLS_CT_ALERT)
                dbuf_printf(&d, "TLS alert %s", tls_alert_name(sh.alert_desc));
            else
                dbuf_printf(&d, "a ServerHello");
            return;
        }
    } else if (strcmp(proto, "mqtt") == 0) {
        struct mqtt_packet p;
        if (mqtt_packet_next(buf, len, &p) > 0) {
            int rc = mqtt_connack_code(&p);
            if (rc >= 0)
                dbuf_printf(&d, "CONNACK code %d", rc);
            else
                dbuf_printf(&d, "MQTT packet type %u", p.type);
            return;
        }
    } else if (strcmp(proto, "coap") == 0) {
        struct coap_msg m;
        char code[8];
        if (coap_parse(buf, len, &m) == 0) {
            coap_code_str(m.code, code, sizeof(code));
            dbuf_printf(&d, "CoAP %s %s", m.type == COAP_RST ? "RST" : m.type == COAP_ACK ? "ACK" : "message",
                        code);
            return;
        }
    } else if (strcmp(proto, "snmp") == 0) {
        struct snmp_reply sr;
        if (snmp_parse(buf, len, &sr) == 0) {
            dbuf_printf(&d, "SNMP PDU 0x%02x error-status %ld", sr.pdu_type, sr.error_status);
            return;
        }
    }
    /* text protocols: the first line says it (a status line, a greeting, an error) */
    if (wire_all_text(buf, wire_line_len(buf, len)) && wire_line_len(buf, len) > 0) {
        dbuf_printf(&d, "'");
        dbuf_esc(&d, buf, wire_line_len(buf, len), 100);
        dbuf_printf(&d, "' (%zu bytes)", len);
        return;
    }
    dbuf_printf(&d, "%zu bytes '", len);
    dbuf_esc(&d, buf, len, 100);
    dbuf_printf(&d, "'");
}
