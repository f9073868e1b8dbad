/*
 * ident.c - requests and reply matchers that identify a service from what it
 * says (see ident.h). Pure functions over byte buffers: no sockets, no
 * globals, so every matcher can be fed recorded replies in tests and random
 * bytes by the fuzzer.
 *
 * Two rules shape every matcher. A match must rest on structure the protocol
 * defines (a status line, a record header whose lengths agree, an echoed
 * transaction id), never on a word appearing somewhere, because a false
 * identification hides a service from the checks that judge it. And every
 * read is bounded by the length actually received: device bytes are hostile.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "coap_wire.h"
#include "ident.h"
#include "starprobe.h"
#include "tls_wire.h"
#include "util.h"

/* ---- evidence text ------------------------------------------------------ */

/*
 * A bounded writer over one of ident_result's fixed arrays. Device bytes go
 * in escaped, and an escape sequence is never cut in half: a reader must be
 * able to tell "\x0" from a truncated "\x0d".
 */
struct dbuf {
    char *p;
    size_t cap;
    size_t len;
};

static void db_init(struct dbuf *d, char *p, size_t cap)
{
    d->p = p;
    d->cap = cap;
    d->len = 0;
    p[0] = '\0';
}

static void db_printf(struct dbuf *d, const char *fmt, ...) SP_PRINTF(2, 3);
static void db_printf(struct dbuf *d, const char *fmt, ...)
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
static void db_esc(struct dbuf *d, const uint8_t *b, size_t n, size_t max)
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

static void set_service(struct ident_result *out, const char *name)
{
    sp_strlcpy(out->service, name, sizeof(out->service));
}

static void set_banner(struct ident_result *out, const uint8_t *b, size_t n)
{
    struct dbuf d;

    db_init(&d, out->banner, sizeof(out->banner));
    db_esc(&d, b, n, sizeof(out->banner) - 1);
}

/* ---- small text helpers ------------------------------------------------- */

static int has_prefix(const uint8_t *b, size_t n, const char *s)
{
    size_t k = strlen(s);
    return n >= k && memcmp(b, s, k) == 0;
}

static int has_prefix_ci(const uint8_t *b, size_t n, const char *s)
{
    size_t k = strlen(s);
    return n >= k && sp_memcasemem(b, k, s) == b;
}

/* Length of the line at b, without its "\r\n" or "\n". */
static size_t line_len(const uint8_t *b, size_t n)
{
    const uint8_t *nl = memchr(b, '\n', n);
    size_t k = nl ? (size_t)(nl - b) : n;

    if (k > 0 && b[k - 1] == '\r')
        k--;
    return k;
}

/* Offset of the next line after the one at b, or n if there is none. */
static size_t next_line(const uint8_t *b, size_t n)
{
    const uint8_t *nl = memchr(b, '\n', n);
    return nl ? (size_t)(nl - b) + 1 : n;
}

static int is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* Text as a person would type or read it: printable ASCII, tab, CR, LF. */
static int is_textbyte(uint8_t c)
{
    return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\r' || c == '\n';
}

static int all_text(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_textbyte(b[i]))
            return 0;
    return 1;
}

/* Case-insensitive search for a word in the first `n` bytes. */
static int contains_ci(const uint8_t *b, size_t n, const char *w)
{
    return sp_memcasemem(b, n, w) != NULL;
}

/*
 * ASCII case-insensitive search for n bytes (not a C string) in h. Written
 * out rather than memmem(3), which is a GNU extension the fuzz build does
 * not declare.
 */
static const uint8_t *find_bytes_ci(const uint8_t *h, size_t hl, const uint8_t *n, size_t nl)
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

static int name_eq_ci(const char *a, const char *b)
{
    while (*a && tolower((unsigned char)*a) == tolower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == *b;
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/*
 * Find a header in an HTTP-style reply (status line first, then header
 * lines until a blank line). A line cut off by the buffer end still counts:
 * a partial reply is still evidence.
 */
static int hdr_find(const uint8_t *b, size_t n, const char *name,
                    const uint8_t **val, size_t *vlen)
{
    size_t off = next_line(b, n), k = strlen(name);

    while (off < n) {
        const uint8_t *l = b + off;
        size_t ll = line_len(l, n - off);

        if (ll == 0)
            return 0;
        if (ll > k && l[k] == ':' && has_prefix_ci(l, ll, name)) {
            size_t v = k + 1;
            while (v < ll && (l[v] == ' ' || l[v] == '\t'))
                v++;
            *val = l + v;
            *vlen = ll - v;
            return 1;
        }
        off += next_line(l, n - off);
    }
    return 0;
}

static void db_hdr(struct dbuf *d, const uint8_t *b, size_t n, const char *name, size_t max)
{
    const uint8_t *v;
    size_t vl;

    if (hdr_find(b, n, name, &v, &vl)) {
        db_printf(d, ", %s '", name);
        db_esc(d, v, vl, max);
        db_printf(d, "'");
    }
}

/* ---- request builders --------------------------------------------------- */

/*
 * The host as it goes into a Host header or an rtsp:// URL. Only characters
 * a host name or address literal can contain are let through: the target
 * comes from the command line, and a CR/LF in it must not become a header.
 * IPv6 literals get brackets; a zone id is dropped (it means nothing to the
 * device).
 */
static int host_for_url(char *dst, size_t cap, const char *host)
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

static size_t finish_snprintf(int n, size_t cap)
{
    return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

size_t ident_build_http(uint8_t *buf, size_t cap, const char *host, long port)
{
    char h[260], p[16] = "";

    if (host_for_url(h, sizeof(h), host) != 0)
        return 0;
    if (port > 0 && port != 80 && port <= 65535)
        snprintf(p, sizeof(p), ":%ld", port);
    /* HTTP/1.0 and Connection: close so the server ends the reply by closing. */
    return finish_snprintf(snprintf((char *)buf, cap,
                                    "GET / HTTP/1.0\r\nHost: %s%s\r\n"
                                    "User-Agent: starprobe/" STARPROBE_VERSION "\r\n"
                                    "Accept: */*\r\nConnection: close\r\n\r\n", h, p), cap);
}

static size_t build_rtsp(uint8_t *buf, size_t cap, const char *host, long port)
{
    char h[260];

    if (host_for_url(h, sizeof(h), host) != 0 || port <= 0 || port > 65535)
        return 0;
    return finish_snprintf(snprintf((char *)buf, cap,
                                    "OPTIONS rtsp://%s:%ld/ RTSP/1.0\r\nCSeq: 1\r\n"
                                    "User-Agent: starprobe/" STARPROBE_VERSION "\r\n\r\n", h, port), cap);
}

static void hex_random(char *dst, size_t nhex)
{
    static const char hex[] = "0123456789abcdef";
    uint8_t r[16];

    if (nhex > 2 * sizeof(r))
        nhex = 2 * sizeof(r);
    if (tls_random(r, sizeof(r)) != 0)
        memset(r, 0x5a, sizeof(r));     /* still a valid id; only uniqueness is lost */
    for (size_t i = 0; i < nhex; i++)
        dst[i] = hex[(r[i / 2] >> (i % 2 ? 0 : 4)) & 15];
    dst[nhex] = '\0';
}

/*
 * MQTT 3.1.1 CONNECT, clean session, no credentials. The client id is random
 * so that two runs, or a run and a real client, never kick each other off
 * the broker (a broker drops the older session with the same id), and 22
 * characters long: 3.1.1 lets a broker refuse ids over 23.
 */
size_t ident_build_mqtt(uint8_t *buf, size_t cap, const char *host, long port)
{
    char id[32] = "starprobe-";
    size_t idlen, rem, n = 0;

    (void)host;
    (void)port;
    hex_random(id + 10, 12);
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

static size_t build_tls(uint8_t *buf, size_t cap, const char *host, long port)
{
    struct tls_hello_opts o;

    (void)port;
    tls_hello_opts_init(&o);
    o.sni = host;       /* dropped by the builder for IP literals */
    return tls_build_client_hello(buf, cap, &o);
}

#define ADB_CNXN 0x4e584e43u
#define ADB_AUTH 0x48545541u
#define ADB_STLS 0x534c5453u

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* adb's CONNECT message (protocol.txt): what `adb connect` sends first. */
static size_t build_adb(uint8_t *buf, size_t cap, const char *host, long port)
{
    static const char payload[] = "host::\0";   /* includes its NUL, as adb sends it */
    size_t plen = sizeof(payload) - 1;
    uint32_t sum = 0;

    (void)host;
    (void)port;
    if (cap < 24 + plen)
        return 0;
    for (size_t i = 0; i < plen; i++)
        sum += (uint8_t)payload[i];
    put_le32(buf, ADB_CNXN);
    put_le32(buf + 4, 0x01000000);              /* A_VERSION */
    put_le32(buf + 8, 256 * 1024);              /* MAX_PAYLOAD */
    put_le32(buf + 12, (uint32_t)plen);
    put_le32(buf + 16, sum);                    /* older adbd checks this sum */
    put_le32(buf + 20, ADB_CNXN ^ 0xffffffffu);
    memcpy(buf + 24, payload, plen);
    return 24 + plen;
}

/* RFC 1282: NUL, client user, server user, terminal/speed, each NUL-ended. */
static size_t build_rlogin(uint8_t *buf, size_t cap, const char *host, long port)
{
    static const char msg[] = "\0root\0root\0xterm/38400";   /* + the array's own NUL */

    (void)host;
    (void)port;
    if (cap < sizeof(msg))
        return 0;
    memcpy(buf, msg, sizeof(msg));
    return sizeof(msg);
}

/* ---- TCP reply matchers -------------------------------------------------- */

static void describe_tls(struct dbuf *d, const struct tls_server_hello *sh)
{
    char tmp[8];

    if (sh->record_type == TLS_CT_ALERT) {
        db_printf(d, "alert level %u desc %u (%s)", sh->alert_level, sh->alert_desc,
                  tls_alert_name(sh->alert_desc));
        db_printf(d, ", record version %s", tls_version_name(sh->record_version, tmp));
    } else if (sh->handshake_type == TLS_HS_HELLO_VERIFY_REQUEST) {
        db_printf(d, "HelloVerifyRequest %s, cookie %u bytes",
                  tls_version_name(sh->legacy_version, tmp), sh->cookie_len);
    } else {
        const struct tls_suite_info *si = tls_suite_find(sh->cipher_suite);

        db_printf(d, "%s 0x%04x suite 0x%04x", sh->hello_retry ? "HelloRetryRequest" : "ServerHello",
                  sh->legacy_version, sh->cipher_suite);
        if (si)
            db_printf(d, " (%s)", si->name);
        if (sh->version != sh->legacy_version)
            db_printf(d, ", selected %s", tls_version_name(sh->version, tmp));
        if (sh->key_share_group)
            db_printf(d, ", group 0x%04x", sh->key_share_group);
    }
}

static int match_tls(const uint8_t *buf, size_t len, struct ident_result *out)
{
    struct tls_server_hello sh;
    struct dbuf d;

    if (tls_parse_server_hello(buf, len, &sh) != 0 || sh.dtls)
        return 0;
    ident_result_init(out);
    set_service(out, "tls");
    db_init(&d, out->detail, sizeof(out->detail));
    describe_tls(&d, &sh);
    return 1;
}

/* "PROTO/d.d NNN" followed by space or end of line. */
static int status_line_ok(const uint8_t *b, size_t n, const char *proto)
{
    size_t k = strlen(proto);

    if (n < k + 7 || memcmp(b, proto, k) != 0)
        return 0;
    b += k;
    if (!is_digit(b[0]) || b[1] != '.' || !is_digit(b[2]) || b[3] != ' ' ||
        !is_digit(b[4]) || !is_digit(b[5]) || !is_digit(b[6]))
        return 0;
    return n == k + 7 || b[7] == ' ' || b[7] == '\r' || b[7] == '\n';
}

int ident_match_http(const uint8_t *buf, size_t len, struct ident_result *out)
{
    const uint8_t *v;
    size_t vl;
    struct dbuf d;

    /* HTTP/1.x only: "HTTP/2" has no text status line to be found here. */
    if (!status_line_ok(buf, len, "HTTP/") || buf[5] != '1')
        return 0;
    ident_result_init(out);
    set_service(out, "http");
    db_init(&d, out->detail, sizeof(out->detail));
    db_printf(&d, "'");
    db_esc(&d, buf, line_len(buf, len), 60);
    db_printf(&d, "'");
    db_hdr(&d, buf, len, "Server", 60);
    if (hdr_find(buf, len, "WWW-Authenticate", &v, &vl)) {
        /* Basic sends the password in the clear: the checks need to see it named. */
        if (has_prefix_ci(v, vl, "Basic"))
            db_printf(&d, ", WWW-Authenticate Basic '");
        else if (has_prefix_ci(v, vl, "Digest"))
            db_printf(&d, ", WWW-Authenticate Digest '");
        else
            db_printf(&d, ", WWW-Authenticate '");
        db_esc(&d, v, vl, 60);
        db_printf(&d, "'");
    }
    return 1;
}

static int match_rtsp(const uint8_t *buf, size_t len, struct ident_result *out)
{
    struct dbuf d;

    if (!status_line_ok(buf, len, "RTSP/"))
        return 0;
    ident_result_init(out);
    set_service(out, "rtsp");
    db_init(&d, out->detail, sizeof(out->detail));
    db_printf(&d, "'");
    db_esc(&d, buf, line_len(buf, len), 60);
    db_printf(&d, "'");
    db_hdr(&d, buf, len, "CSeq", 12);
    db_hdr(&d, buf, len, "Server", 60);
    db_hdr(&d, buf, len, "WWW-Authenticate", 50);
    db_hdr(&d, buf, len, "Public", 70);
    return 1;
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
static size_t mqtt_varint(const uint8_t *b, size_t n, uint32_t *v)
{
    uint32_t val = 0;

    for (size_t i = 0; i < 4 && i < n; i++) {
        val |= (uint32_t)(b[i] & 0x7f) << (7 * i);
        if (!(b[i] & 0x80)) {
            *v = val;
            return i + 1;
        }
    }
    return 0;
}

int ident_match_mqtt(const uint8_t *buf, size_t len, struct ident_result *out)
{
    struct dbuf d;
    uint32_t rem, plen;
    size_t vb;

    if (len < 4 || buf[0] != 0x20)
        return 0;
    vb = mqtt_varint(buf + 1, len - 1, &rem);
    if (vb == 0 || rem < 2 || rem > 1024 || len < 1 + vb + rem)
        return 0;
    if (buf[1 + vb] > 1)
        return 0;           /* acknowledge flags: only session-present may be set */
    if (rem == 2 && vb == 1) {
        uint8_t rc = buf[3];
        if (rc > 5 || (rc != 0 && buf[2] != 0))
            return 0;
        ident_result_init(out);
        set_service(out, "mqtt");
        db_init(&d, out->detail, sizeof(out->detail));
        db_printf(&d, "CONNACK 20 02 %02x %02x (return code %u, %s)", buf[2], rc, rc, mqtt3_rc_name(rc));
        return 1;
    }
    /* MQTT 5: flags, reason code, then properties whose length must fill the packet. */
    {
        const uint8_t *p = buf + 1 + vb;
        uint8_t rc = p[1];
        const char *name = mqtt5_rc_name(rc);
        size_t pvb = mqtt_varint(p + 2, rem - 2, &plen);

        if (!name || pvb == 0 || 2 + pvb + plen != rem)
            return 0;
        ident_result_init(out);
        set_service(out, "mqtt");
        db_init(&d, out->detail, sizeof(out->detail));
        db_printf(&d, "MQTT 5 CONNACK reason 0x%02x (%s), %u bytes of properties", rc, name, plen);
        return 1;
    }
}

static int match_adb(const uint8_t *buf, size_t len, struct ident_result *out)
{
    uint32_t cmd, dlen;
    struct dbuf d;

    if (len < 24)
        return 0;
    cmd = le32(buf);
    if ((cmd != ADB_CNXN && cmd != ADB_AUTH && cmd != ADB_STLS) || le32(buf + 20) != (cmd ^ 0xffffffffu))
        return 0;
    dlen = le32(buf + 12);
    if (dlen > 1024 * 1024)
        return 0;
    ident_result_init(out);
    set_service(out, "adb");
    db_init(&d, out->detail, sizeof(out->detail));
    if (cmd == ADB_CNXN) {
        size_t have = len - 24 < dlen ? len - 24 : dlen;
        /* A CNXN answer means no key was asked for: an open debug shell. */
        db_printf(&d, "CNXN version 0x%08x without authentication, '", le32(buf + 4));
        db_esc(&d, buf + 24, have, 140);
        db_printf(&d, "'");
    } else if (cmd == ADB_AUTH) {
        db_printf(&d, "AUTH type %u: the device asks for RSA key authorisation", le32(buf + 4));
    } else {
        db_printf(&d, "STLS version 0x%08x: adb over TLS", le32(buf + 4));
    }
    return 1;
}

/*
 * rlogind answers the connection string with one NUL byte, then terminal
 * output; or \001 and an error text ("Permission denied" when our source
 * port is unprivileged). A single NUL is weak evidence, hence ports.c only
 * asks after everything else failed; noise after the NUL disqualifies it.
 */
static int match_rlogin(const uint8_t *buf, size_t len, struct ident_result *out)
{
    struct dbuf d;
    size_t rest = len > 1 ? len - 1 : 0, look = rest < 64 ? rest : 64;

    if (len == 0 || (buf[0] != 0 && buf[0] != 1))
        return 0;
    if (!all_text(buf + 1, look))
        return 0;
    if (buf[0] == 1 && rest < 4)
        return 0;
    ident_result_init(out);
    set_service(out, "rlogin");
    db_init(&d, out->detail, sizeof(out->detail));
    if (buf[0] == 0)
        db_printf(&d, "rlogin NUL acknowledgement (weak evidence)");
    else
        db_printf(&d, "rlogin error byte 01");
    if (rest) {
        db_printf(&d, " then '");
        db_esc(&d, buf + 1, rest, 120);
        db_printf(&d, "'");
        set_banner(out, buf + 1, line_len(buf + 1, rest));
    }
    return 1;
}

/* ---- server-first signatures --------------------------------------------- */

static const char *telnet_opt_name(uint8_t o)
{
    switch (o) {
    case 0: return "BINARY";
    case 1: return "ECHO";
    case 3: return "SGA";
    case 5: return "STATUS";
    case 6: return "TIMING-MARK";
    case 24: return "TTYPE";
    case 31: return "NAWS";
    case 32: return "TSPEED";
    case 33: return "LFLOW";
    case 34: return "LINEMODE";
    case 35: return "XDISPLOC";
    case 36: return "OLD-ENVIRON";
    case 37: return "AUTHENTICATION";
    case 38: return "ENCRYPT";
    case 39: return "NEW-ENVIRON";
    default: return NULL;
    }
}

static const char *telnet_cmd_name(uint8_t c)
{
    static const char *const names[] = {"WILL", "WONT", "DO", "DONT"};
    return names[c - 0xfb];
}

/*
 * Telnet (RFC 854): the server opens with IAC WILL/WONT/DO/DONT option.
 * The negotiation is listed, then any text that follows with later IAC
 * sequences taken out, which is usually the login prompt.
 */
static int match_telnet_iac(const uint8_t *buf, size_t len, struct ident_result *out)
{
    struct dbuf d;
    uint8_t text[256];
    size_t i = 0, ntext = 0, shown = 0, more = 0;

    if (len < 3 || buf[0] != 0xff || buf[1] < 0xfb || buf[1] > 0xfe)
        return 0;
    ident_result_init(out);
    set_service(out, "telnet");
    db_init(&d, out->detail, sizeof(out->detail));
    db_printf(&d, "telnet");
    while (i < len) {
        if (buf[i] == 0xff && i + 1 < len && buf[i + 1] != 0xff) {
            uint8_t cmd = buf[i + 1];
            if (cmd >= 0xfb && cmd <= 0xfe) {
                if (i + 2 >= len)
                    break;
                if (shown < 3) {
                    const char *on = telnet_opt_name(buf[i + 2]);
                    db_printf(&d, "%s IAC %s ", shown ? "," : "", telnet_cmd_name(cmd));
                    if (on)
                        db_printf(&d, "%s ", on);
                    else
                        db_printf(&d, "opt %u ", buf[i + 2]);
                    db_printf(&d, "(ff %02x %02x)", cmd, buf[i + 2]);
                    shown++;
                } else {
                    more++;
                }
                i += 3;
            } else if (cmd == 0xfa) {
                /* Subnegotiation: skip to IAC SE, bounded by the buffer. */
                size_t j = i + 2;
                while (j + 1 < len && !(buf[j] == 0xff && buf[j + 1] == 0xf0))
                    j++;
                i = j + 2;
            } else {
                i += 2;     /* NOP, GA and the other two-byte commands */
            }
            continue;
        }
        if (buf[i] == 0xff)
            i++;            /* IAC IAC is a literal 0xff data byte */
        if (i < len && ntext < sizeof(text))
            text[ntext++] = buf[i];
        i++;
    }
    if (more)
        db_printf(&d, " +%zu more", more);
    if (ntext) {
        size_t s = 0;
        while (s < ntext && (text[s] == '\r' || text[s] == '\n' || text[s] == 0))
            s++;
        if (s < ntext) {
            db_printf(&d, " then '");
            db_esc(&d, text + s, ntext - s, 100);
            db_printf(&d, "'");
            set_banner(out, text + s, line_len(text + s, ntext - s));
        }
    }
    return 1;
}

/* RFC 4253 §4.2: "SSH-protoversion-softwareversion", possibly after other lines. */
static int match_ssh(const uint8_t *buf, size_t len, struct ident_result *out)
{
    size_t off = 0, scan = len < 2048 ? len : 2048;

    while (off < scan) {
        const uint8_t *l = buf + off;
        size_t ll = line_len(l, len - off), i = 4;

        if (has_prefix(l, ll, "SSH-")) {
            while (i < ll && is_digit(l[i]))
                i++;
            if (i > 4 && i < ll && l[i] == '.') {
                size_t j = ++i;
                while (i < ll && is_digit(l[i]))
                    i++;
                if (i > j && i + 1 < ll && l[i] == '-' && all_text(l, ll)) {
                    struct dbuf d;
                    ident_result_init(out);
                    set_service(out, "ssh");
                    set_banner(out, l, ll);
                    db_init(&d, out->detail, sizeof(out->detail));
                    db_printf(&d, "banner '");
                    db_esc(&d, l, ll, 200);
                    db_printf(&d, "'");
                    return 1;
                }
            }
            return 0;
        }
        /* Lines before the version string must themselves be text. */
        if (!all_text(l, ll))
            return 0;
        off += next_line(l, len - off);
    }
    return 0;
}

/* RFB 6.1.1: exactly "RFB xxx.yyy\n". */
static int match_vnc(const uint8_t *buf, size_t len, struct ident_result *out)
{
    struct dbuf d;

    if (len < 12 || memcmp(buf, "RFB ", 4) != 0 || buf[7] != '.' || buf[11] != '\n')
        return 0;
    for (int i = 4; i < 11; i++)
        if (i != 7 && !is_digit(buf[i]))
            return 0;
    ident_result_init(out);
    set_service(out, "vnc");
    set_banner(out, buf, 11);
    db_init(&d, out->detail, sizeof(out->detail));
    db_printf(&d, "'%.11s'", (const char *)buf);
    return 1;
}

/* MySQL/MariaDB: a length-prefixed packet, sequence 0, protocol 10 greeting or an error. */
static int match_mysql(const uint8_t *buf, size_t len, struct ident_result *out)
{
    struct dbuf d;
    size_t plen, have;
    const uint8_t *p;

    if (len < 5 || buf[3] != 0)
        return 0;
    plen = (size_t)buf[0] | (size_t)buf[1] << 8 | (size_t)buf[2] << 16;
    if (plen < 2 || plen > 4096)
        return 0;
    p = buf + 4;
    have = len - 4 < plen ? len - 4 : plen;
    if (p[0] == 0x0a) {
        const uint8_t *nul = memchr(p + 1, 0, have - 1);
        size_t vlen;

        if (!nul)
            return 0;
        vlen = (size_t)(nul - (p + 1));
        /* version, NUL, thread id (4), scramble (8), filler 0 */
        if (vlen == 0 || vlen > 64 || !is_digit(p[1]) || !all_text(p + 1, vlen) ||
            have < 1 + vlen + 1 + 4 + 8 + 1 || p[1 + vlen + 1 + 12] != 0)
            return 0;
        ident_result_init(out);
        set_service(out, "mysql");
        set_banner(out, p + 1, vlen);
        db_init(&d, out->detail, sizeof(out->detail));
        db_printf(&d, "greeting protocol 10, server version '");
        db_esc(&d, p + 1, vlen, 64);
        db_printf(&d, "'");
        return 1;
    }
    if (p[0] == 0xff && have == plen && plen >= 3 + 8) {
        unsigned code = (unsigned)p[1] | (unsigned)p[2] << 8;
        if (code < 1000 || code > 1999 || !all_text(p + 3, plen - 3))
            return 0;
        ident_result_init(out);
        set_service(out, "mysql");
        db_init(&d, out->detail, sizeof(out->detail));
        db_printf(&d, "error packet %u '", code);
        db_esc(&d, p + 3, plen - 3, 120);
        db_printf(&d, "'");
        return 1;
    }
    return 0;
}

/*
 * Line-oriented greetings: FTP and SMTP both open with 220, so the words in
 * the greeting decide; POP3 opens with +OK, IMAP with an untagged OK,
 * PREAUTH or BYE.
 */
static int match_greeting(const uint8_t *buf, size_t len, struct ident_result *out)
{
    size_t ll = line_len(buf, len), scan = len < 1024 ? len : 1024;
    const char *svc = NULL, *why = NULL;
    struct dbuf d;

    if (ll < 3 || !all_text(buf, ll))
        return 0;
    if (is_digit(buf[0]) && is_digit(buf[1]) && is_digit(buf[2]) &&
        (ll == 3 || buf[3] == ' ' || buf[3] == '-') &&
        (has_prefix(buf, ll, "220") || has_prefix(buf, ll, "421"))) {
        static const char *const ftp_words[] = {"FTP", "FileZilla", "Serv-U"};
        static const char *const smtp_words[] = {"Postfix", "Exim", "Sendmail", "mail"};

        if (contains_ci(buf, scan, "SMTP")) {
            svc = "smtp";
        } else {
            for (size_t i = 0; !svc && i < SP_ARRAY_LEN(ftp_words); i++)
                if (contains_ci(buf, scan, ftp_words[i]))
                    svc = "ftp";
            for (size_t i = 0; !svc && i < SP_ARRAY_LEN(smtp_words); i++)
                if (contains_ci(buf, scan, smtp_words[i]))
                    svc = "smtp";
        }
        if (!svc && has_prefix(buf, ll, "220")) {
            svc = "ftp";
            why = "220 greeting without FTP or SMTP words, FTP assumed";
        }
        if (!svc)
            return 0;
    } else if (has_prefix(buf, ll, "+OK")) {
        svc = "pop3";
    } else if (has_prefix(buf, ll, "* OK") || has_prefix(buf, ll, "* BYE")) {
        svc = "imap";
    } else if (has_prefix(buf, ll, "* PREAUTH")) {
        svc = "imap";
        why = "PREAUTH: the session is authenticated without a login";
    } else {
        return 0;
    }
    ident_result_init(out);
    set_service(out, svc);
    set_banner(out, buf, ll);
    db_init(&d, out->detail, sizeof(out->detail));
    db_printf(&d, "banner '");
    db_esc(&d, buf, ll, 150);
    db_printf(&d, "'");
    if (why)
        db_printf(&d, " (%s)", why);
    return 1;
}

/* Ends in a login or password prompt, as a telnet service without negotiation would. */
static int match_prompt(const uint8_t *buf, size_t len, struct ident_result *out)
{
    static const char *const prompts[] = {"login:", "password:", "username:", "user name:"};
    size_t n = len;
    struct dbuf d;

    while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\r' || buf[n - 1] == '\n' || buf[n - 1] == '\t'))
        n--;
    if (n == 0 || !all_text(buf, n))
        return 0;
    for (size_t i = 0; i < SP_ARRAY_LEN(prompts); i++) {
        size_t k = strlen(prompts[i]);
        if (n >= k && has_prefix_ci(buf + n - k, k, prompts[i])) {
            size_t s = 0, start;
            ident_result_init(out);
            set_service(out, "telnet");
            while (s < n && (buf[s] == '\r' || buf[s] == '\n'))
                s++;
            /* The prompt line is the last line of what was sent. */
            start = n;
            while (start > s && buf[start - 1] != '\n')
                start--;
            set_banner(out, buf + s, line_len(buf + s, len - s));
            db_init(&d, out->detail, sizeof(out->detail));
            db_printf(&d, "bare '%s' prompt without telnet negotiation: '", prompts[i]);
            db_esc(&d, buf + start, len - start, 100);
            db_printf(&d, "'");
            return 1;
        }
    }
    return 0;
}

/*
 * The signatures tried on anything a server sends, in order of how much
 * structure they demand: binary records whose lengths must agree first, free
 * text last.
 */
typedef int (*match_fn)(const uint8_t *, size_t, struct ident_result *);

static const match_fn banner_matchers[] = {
    match_telnet_iac, match_ssh, match_vnc, match_mysql, match_greeting,
    ident_match_http, match_rtsp,
};

static const match_fn any_matchers[] = {
    match_tls, match_telnet_iac, match_ssh, match_vnc, match_mysql, ident_match_mqtt,
    match_adb, ident_match_http, match_rtsp, match_greeting,
};

int ident_banner(const uint8_t *buf, size_t len, struct ident_result *out)
{
    size_t ll;
    struct dbuf d;

    ident_result_init(out);
    if (len == 0)
        return 0;
    for (size_t i = 0; i < SP_ARRAY_LEN(banner_matchers); i++)
        if (banner_matchers[i](buf, len, out))
            return 1;
    if (match_prompt(buf, len, out))
        return 1;

    /* Said something nobody here recognises: keep it as evidence. */
    ident_result_init(out);
    db_init(&d, out->detail, sizeof(out->detail));
    ll = line_len(buf, len);
    if (ll >= 2 && all_text(buf, ll)) {
        size_t n = len;
        set_banner(out, buf, ll);
        while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\r' || buf[n - 1] == '\n'))
            n--;
        db_printf(&d, "unrecognised banner '");
        db_esc(&d, buf, ll, 150);
        db_printf(&d, "'");
        /* Worth a reviewer's eye: an unauthenticated shell looks like this. */
        if (n > 0 && (buf[n - 1] == '#' || buf[n - 1] == '$'))
            db_printf(&d, " (ends like a shell prompt)");
    } else {
        db_printf(&d, "%zu bytes, not text: '", len);
        db_esc(&d, buf, len, 80);
        db_printf(&d, "'");
    }
    return 0;
}

int ident_any(const uint8_t *buf, size_t len, struct ident_result *out)
{
    ident_result_init(out);
    if (len == 0)
        return 0;
    for (size_t i = 0; i < SP_ARRAY_LEN(any_matchers); i++)
        if (any_matchers[i](buf, len, out))
            return 1;
    if (match_prompt(buf, len, out))
        return 1;
    ident_result_init(out);
    return 0;
}

int ident_reply_done(const uint8_t *buf, size_t len, void *arg)
{
    struct ident_result r;

    (void)arg;
    if (len >= 4096)
        return 1;
    /* Text replies: wait for the whole header block, the evidence is in it. */
    if (has_prefix(buf, len, "HTTP/") || has_prefix(buf, len, "RTSP/"))
        return sp_memcasemem(buf, len, "\r\n\r\n") != NULL || sp_memcasemem(buf, len, "\n\n") != NULL;
    if (len > 0 && (buf[0] == TLS_CT_HANDSHAKE || buf[0] == TLS_CT_ALERT))
        return tls_reply_done(buf, len, NULL);
    return ident_any(buf, len, &r);
}

static const long hints_tls[] = {443, 8443, 0};
static const long hints_http[] = {80, 8080, 8000, 8081, 0};
static const long hints_rtsp[] = {554, 8554, 0};
static const long hints_mqtt[] = {1883, 8883, 0};
static const long hints_adb[] = {5555, 0};
static const long hints_rlogin[] = {512, 513, 514, 0};

/*
 * TLS first: a TLS server ignores or alerts on plaintext, but a plaintext
 * server answers a ClientHello with an error in its own protocol, which
 * ident_any still recognises. rlogin last, its evidence is the weakest.
 */
const struct ident_probe ident_tcp_probes[] = {
    {"tls", build_tls, match_tls, hints_tls},
    {"http", ident_build_http, ident_match_http, hints_http},
    {"rtsp", build_rtsp, match_rtsp, hints_rtsp},
    {"mqtt", ident_build_mqtt, ident_match_mqtt, hints_mqtt},
    {"adb", build_adb, match_adb, hints_adb},
    {"rlogin", build_rlogin, match_rlogin, hints_rlogin},
};
const size_t ident_tcp_nprobes = SP_ARRAY_LEN(ident_tcp_probes);

/* ---- DNS (unicast DNS and mDNS) ------------------------------------------ */

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
    h->id = be16(m);
    h->flags = be16(m + 2);
    h->qd = be16(m + 4);
    h->an = be16(m + 6);
    h->ns = be16(m + 8);
    h->ar = be16(m + 10);
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
        if (!name_eq_ci(qn, rn) || be16(buf + *off) != be16(req + qo) ||
            (be16(buf + *off + 2) & 0x7fff) != (be16(req + qo + 2) & 0x7fff))
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
        type = be16(m + off);
        rdlen = be16(m + off + 8);
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
        db_printf(d, ", TXT '");
        db_esc(d, m + rdoff + 1, sl, 80);
        db_printf(d, "'");
    }
}

static size_t build_dns(uint8_t *buf, size_t cap, uint16_t txid)
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

static int match_dns(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                     struct ident_result *out)
{
    struct dns_hdr h;
    size_t off;
    struct dbuf d;

    if (len < 12 || reqlen < 12 || be16(buf) != be16(req) ||
        !dns_reply_ok(req, reqlen, buf, len, &h, &off))
        return 0;
    ident_result_init(out);
    set_service(out, "dns");
    db_init(&d, out->detail, sizeof(out->detail));
    db_printf(&d, "DNS response id 0x%04x rcode %u (%s), %u answers", h.id, h.flags & 15u,
              dns_rcode_name(h.flags & 15u), h.an);
    dns_walk_answers(buf, len, off, h.an, 4, dns_txt_cb, &d);
    return 1;
}

static size_t build_mdns(uint8_t *buf, size_t cap, uint16_t txid)
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
    db_printf(pl->d, "%s%s", pl->n++ ? ", " : ": ", target);
}

static int match_mdns(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
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
    if (be16(buf) != be16(req) && !(be16(buf) == 0 && h.an > 0))
        return 0;
    ident_result_init(out);
    set_service(out, "mdns");
    db_init(&d, out->detail, sizeof(out->detail));
    db_printf(&d, "mDNS response rcode %u, %u answers", h.flags & 15u, h.an);
    pl.d = &d;
    pl.n = 0;
    dns_walk_answers(buf, len, off, h.an, 8, dns_ptr_cb, &pl);
    return 1;
}

/* ---- DHCP ---------------------------------------------------------------- */

static size_t build_dhcp(uint8_t *buf, size_t cap, uint16_t txid)
{
    static const uint8_t opts[] = {
        53, 1, 1,                   /* DHCPDISCOVER */
        55, 4, 1, 3, 6, 15,         /* subnet, router, DNS, domain */
        255
    };
    const size_t n = 300;           /* BOOTP minimum message size (RFC 1542) */

    if (cap < n)
        return 0;
    memset(buf, 0, n);
    buf[0] = 1;                     /* BOOTREQUEST */
    buf[1] = 1;                     /* Ethernet */
    buf[2] = 6;
    buf[4] = 0x53;                  /* xid: "SP" + txid */
    buf[5] = 0x50;
    buf[6] = (uint8_t)(txid >> 8);
    buf[7] = (uint8_t)txid;
    /* chaddr: a locally administered MAC that cannot collide with a real card's. */
    memcpy(buf + 28, "\x02\x73\x70\x00", 4);
    buf[32] = (uint8_t)(txid >> 8);
    buf[33] = (uint8_t)txid;
    memcpy(buf + 236, "\x63\x82\x53\x63", 4);
    memcpy(buf + 240, opts, sizeof(opts));
    return n;
}

static const char *dhcp_type_name(uint8_t t)
{
    static const char *const names[] = {"?", "DHCPDISCOVER", "DHCPOFFER", "DHCPREQUEST", "DHCPDECLINE",
                                        "DHCPACK", "DHCPNAK", "DHCPRELEASE", "DHCPINFORM"};
    return t < SP_ARRAY_LEN(names) ? names[t] : "?";
}

static int match_dhcp(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                      struct ident_result *out)
{
    struct dbuf d;
    int msgtype = -1;
    const uint8_t *sid = NULL;

    if (len < 236 || reqlen < 236 || buf[0] != 2 || buf[1] != req[1] || buf[2] != req[2] ||
        memcmp(buf + 4, req + 4, 4) != 0 || memcmp(buf + 28, req + 28, 6) != 0)
        return 0;
    if (len >= 240 && memcmp(buf + 236, "\x63\x82\x53\x63", 4) == 0) {
        size_t i = 240;
        while (i < len && buf[i] != 255) {
            if (buf[i] == 0) {
                i++;
                continue;
            }
            if (i + 1 >= len || i + 2 + buf[i + 1] > len)
                break;
            if (buf[i] == 53 && buf[i + 1] == 1)
                msgtype = buf[i + 2];
            if (buf[i] == 54 && buf[i + 1] == 4)
                sid = buf + i + 2;
            i += 2 + (size_t)buf[i + 1];
        }
    }
    ident_result_init(out);
    set_service(out, "dhcp");
    db_init(&d, out->detail, sizeof(out->detail));
    db_printf(&d, "BOOTREPLY xid 0x%08x", be32(buf + 4));
    if (msgtype >= 0)
        db_printf(&d, " %s", dhcp_type_name((uint8_t)msgtype));
    else
        db_printf(&d, " (BOOTP, no DHCP message type)");
    db_printf(&d, ", yiaddr %u.%u.%u.%u", buf[16], buf[17], buf[18], buf[19]);
    if (sid)
        db_printf(&d, ", server id %u.%u.%u.%u", sid[0], sid[1], sid[2], sid[3]);
    return 1;
}

/* ---- TFTP ---------------------------------------------------------------- */

static size_t build_tftp(uint8_t *buf, size_t cap, uint16_t txid)
{
    /* A name no device serves: the expected answer is ERROR 1, and nothing is read. */
    static const uint8_t rrq[] = "\x00\x01starprobe-ident-nonexistent.txt\x00octet";

    (void)txid;
    if (cap < sizeof(rrq))
        return 0;
    memcpy(buf, rrq, sizeof(rrq));     /* the array's NUL ends "octet" */
    return sizeof(rrq);
}

/* RFC 1350 replies carry no id of ours; structure has to do. */
static int match_tftp(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                      struct ident_result *out)
{
    struct dbuf d;

    (void)req;
    (void)reqlen;
    if (len < 4 || buf[0] != 0)
        return 0;
    if (buf[1] == 3) {
        if (be16(buf + 2) != 1 || len > 4 + 512)
            return 0;
        ident_result_init(out);
        set_service(out, "tftp");
        db_init(&d, out->detail, sizeof(out->detail));
        db_printf(&d, "DATA block 1, %zu bytes: the server sent a file nobody named", len - 4);
        return 1;
    }
    if (buf[1] == 5) {
        const uint8_t *nul = memchr(buf + 4, 0, len - 4);
        size_t ml = nul ? (size_t)(nul - (buf + 4)) : len - 4;
        uint16_t code = be16(buf + 2);

        if (code > 8 || len > 4 + 512 || !all_text(buf + 4, ml) || (nul && nul + 1 != buf + len))
            return 0;
        ident_result_init(out);
        set_service(out, "tftp");
        db_init(&d, out->detail, sizeof(out->detail));
        db_printf(&d, "ERROR %u '", code);
        db_esc(&d, buf + 4, ml, 100);
        db_printf(&d, "'");
        return 1;
    }
    return 0;
}

/* ---- NTP ----------------------------------------------------------------- */

static size_t build_ntp(uint8_t *buf, size_t cap, uint16_t txid)
{
    if (cap < 48)
        return 0;
    memset(buf, 0, 48);
    buf[0] = 0x23;                  /* LI 0, version 4, mode 3 (client) */
    /*
     * The transmit timestamp is a random nonce (RFC 9109 §4): the server
     * must echo it as the origin timestamp, which is how the reply is tied
     * to this request.
     */
    if (tls_random(buf + 40, 8) != 0) {
        buf[40] = 0x53;
        buf[41] = 0x50;
    }
    buf[46] = (uint8_t)(txid >> 8);
    buf[47] = (uint8_t)txid;
    return 48;
}

static int match_ntp(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                     struct ident_result *out)
{
    struct dbuf d;
    unsigned vn, stratum;

    if (len < 48 || reqlen < 48 || (buf[0] & 7) != 4 || memcmp(buf + 24, req + 40, 8) != 0)
        return 0;
    vn = (buf[0] >> 3) & 7;
    if (vn < 1 || vn > 4)
        return 0;
    stratum = buf[1];
    ident_result_init(out);
    set_service(out, "ntp");
    db_init(&d, out->detail, sizeof(out->detail));
    db_printf(&d, "NTP v%u mode 4 (server), stratum %u, refid ", vn, stratum);
    if (stratum <= 1) {
        /* A kiss code (stratum 0) or a reference clock name: four ASCII characters. */
        db_printf(&d, "'");
        size_t rl = 0;
        while (rl < 4 && buf[12 + rl] != 0)
            rl++;
        db_esc(&d, buf + 12, rl, 16);
        db_printf(&d, "'");
    } else {
        db_printf(&d, "%u.%u.%u.%u", buf[12], buf[13], buf[14], buf[15]);
    }
    return 1;
}

/* ---- SNMP (BER) ---------------------------------------------------------- */

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

size_t ident_snmp_build(uint8_t *buf, size_t cap, int version, const char *community, uint32_t reqid)
{
    /* sysDescr.0, 1.3.6.1.2.1.1.1.0 */
    static const uint8_t oid[] = {0x2b, 6, 1, 2, 1, 1, 1, 0};
    uint8_t tmp[512];
    struct bw w = {tmp, sizeof(tmp), 0};
    size_t clen = community ? strlen(community) : 0, end = sizeof(tmp), mark;

    if ((version != IDENT_SNMP_V1 && version != IDENT_SNMP_V2C) || clen > 255)
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

    db_init(&d, out, cap);
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
            db_printf(&d, "%lu.%lu", a, arc - 40 * a);
            first = 0;
        } else {
            db_printf(&d, ".%lu", arc);
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

    db_init(&d, out, cap);
    switch (tag) {
    case 0x04:
        db_esc(&d, v->p, v->len, cap - 1);
        break;
    case 0x02:
        if (ber_int(v, &sv) == 0)
            db_printf(&d, "%ld", sv);
        break;
    case 0x41: case 0x42: case 0x43: case 0x46:
        if (ber_uint(v, &uv) == 0)
            db_printf(&d, "%lu", uv);
        break;
    case 0x40:
        if (v->len == 4)
            db_printf(&d, "%u.%u.%u.%u", v->p[0], v->p[1], v->p[2], v->p[3]);
        break;
    case 0x06:
        if (ber_oid_str(v, out, cap) != 0)
            db_init(&d, out, cap);
        break;
    case 0x05: db_printf(&d, "NULL"); break;
    case 0x80: db_printf(&d, "noSuchObject"); break;
    case 0x81: db_printf(&d, "noSuchInstance"); break;
    case 0x82: db_printf(&d, "endOfMibView"); break;
    default:
        db_printf(&d, "tag 0x%02x, %zu bytes", tag, v->len);
        break;
    }
}

int ident_snmp_parse(const uint8_t *buf, size_t len, struct snmp_reply *out)
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
    db_init(&d, out->community, sizeof(out->community));
    db_esc(&d, c.p, c.len, sizeof(out->community) - 1);
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

static size_t build_snmp(uint8_t *buf, size_t cap, uint16_t txid)
{
    return ident_snmp_build(buf, cap, IDENT_SNMP_V2C, "public", txid);
}

static int match_snmp(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                      struct ident_result *out)
{
    static const char *const errs[] = {"noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr"};
    struct snmp_reply q, r;
    struct dbuf d;

    if (ident_snmp_parse(req, reqlen, &q) != 0 || ident_snmp_parse(buf, len, &r) != 0)
        return 0;
    /* Agents echo version and community; the request-id ties the reply to us. */
    if (r.pdu_type != 0xa2 || r.request_id != q.request_id || r.version != q.version ||
        strcmp(r.community, q.community) != 0)
        return 0;
    ident_result_init(out);
    set_service(out, "snmp");
    db_init(&d, out->detail, sizeof(out->detail));
    db_printf(&d, "SNMP%s community '%s' GetResponse", r.version == 0 ? "v1" : "v2c", r.community);
    if (r.error_status != 0) {
        db_printf(&d, " error-status %ld (%s)", r.error_status,
                  r.error_status > 0 && (size_t)r.error_status < SP_ARRAY_LEN(errs) ? errs[r.error_status] : "?");
    }
    if (r.oid[0]) {
        const char *name = strcmp(r.oid, "1.3.6.1.2.1.1.1.0") == 0 ? "sysDescr.0" : r.oid;
        db_printf(&d, ", %s = '%s'", name, r.value);
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
static size_t build_snmpv3(uint8_t *buf, size_t cap, uint16_t txid)
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

static int match_snmpv3(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                        struct ident_result *out)
{
    struct ber qr, rr, sp, usm, c;
    long qid, rid;
    uint8_t tag;
    struct dbuf d;

    if (snmpv3_head(req, reqlen, &qid, &qr) != 0 || snmpv3_head(buf, len, &rid, &rr) != 0 || qid != rid)
        return 0;
    ident_result_init(out);
    set_service(out, "snmpv3");
    db_init(&d, out->detail, sizeof(out->detail));
    db_printf(&d, "SNMPv3 engine discovery answered (msgID echoed)");
    /* The agent's engine ID, when its security parameters hold the USM layout: evidence. */
    if (ber_next(&rr, &tag, &sp) == 0 && tag == 0x04 && ber_next(&sp, &tag, &usm) == 0 &&
        tag == 0x30 && ber_next(&usm, &tag, &c) == 0 && tag == 0x04 && c.len > 0) {
        db_printf(&d, ", engine ID ");
        for (size_t i = 0; i < c.len && i < 32; i++)
            db_printf(&d, "%02x", c.p[i]);
    }
    return 1;
}

/* ---- IKE ----------------------------------------------------------------- */

/*
 * An IKEv2 IKE_SA_INIT (RFC 7296 §1.2) a responder will take seriously: one
 * proposal of common transforms, a MODP-2048 key share and a nonce. Random
 * key bytes are fine: the responder answers (with its own SA_INIT, or a
 * notify such as INVALID_KE_PAYLOAD or NO_PROPOSAL_CHOSEN) before it could
 * notice, and either answer carries our initiator SPI.
 */
static size_t build_ike(uint8_t *buf, size_t cap, uint16_t txid)
{
    static const uint8_t transforms[] = {
        /* last/more, reserved, length(2), type, reserved, id(2), attributes */
        3, 0, 0, 12, 1, 0, 0, 12, 0x80, 0x0e, 0x00, 0x80,   /* ENCR AES-CBC-128 */
        3, 0, 0, 12, 1, 0, 0, 12, 0x80, 0x0e, 0x01, 0x00,   /* ENCR AES-CBC-256 */
        3, 0, 0, 8, 2, 0, 0, 5,                             /* PRF HMAC-SHA2-256 */
        3, 0, 0, 8, 2, 0, 0, 2,                             /* PRF HMAC-SHA1 */
        3, 0, 0, 8, 3, 0, 0, 12,                            /* INTEG HMAC-SHA2-256-128 */
        3, 0, 0, 8, 3, 0, 0, 2,                             /* INTEG HMAC-SHA1-96 */
        3, 0, 0, 8, 4, 0, 0, 14,                            /* DH MODP-2048 */
        3, 0, 0, 8, 4, 0, 0, 19,                            /* DH ECP-256 */
        3, 0, 0, 8, 4, 0, 0, 31,                            /* DH Curve25519 */
        0, 0, 0, 8, 4, 0, 0, 2,                             /* DH MODP-1024 */
    };
    const size_t ntrans = 10, ke_len = 256, nonce_len = 32;
    const size_t prop_len = 8 + sizeof(transforms), sa_len = 4 + prop_len;
    const size_t ke_plen = 8 + ke_len, nonce_plen = 4 + nonce_len;
    const size_t total = 28 + sa_len + ke_plen + nonce_plen;
    uint8_t *p = buf;

    if (cap < total)
        return 0;
    memset(buf, 0, total);
    if (tls_random(p, 8) != 0)
        memcpy(p, "starprob", 8);
    p[6] = (uint8_t)(txid >> 8);    /* the SPI also carries the txid, so it is never zero */
    p[7] = (uint8_t)txid | 1;
    p += 16;                        /* SPIi, SPIr = 0 */
    *p++ = 33;                      /* next payload: SA */
    *p++ = 0x20;                    /* version 2.0 */
    *p++ = 34;                      /* IKE_SA_INIT */
    *p++ = 0x08;                    /* Initiator */
    p += 4;                         /* message id 0 */
    *p++ = (uint8_t)(total >> 24);
    *p++ = (uint8_t)(total >> 16);
    *p++ = (uint8_t)(total >> 8);
    *p++ = (uint8_t)total;

    *p++ = 34;                      /* SA, next: KE */
    *p++ = 0;
    *p++ = (uint8_t)(sa_len >> 8);
    *p++ = (uint8_t)sa_len;
    *p++ = 0;                       /* last proposal */
    *p++ = 0;
    *p++ = (uint8_t)(prop_len >> 8);
    *p++ = (uint8_t)prop_len;
    *p++ = 1;                       /* proposal 1 */
    *p++ = 1;                       /* protocol IKE */
    *p++ = 0;                       /* SPI size */
    *p++ = (uint8_t)ntrans;
    memcpy(p, transforms, sizeof(transforms));
    p += sizeof(transforms);

    *p++ = 40;                      /* KE, next: Nonce */
    *p++ = 0;
    *p++ = (uint8_t)(ke_plen >> 8);
    *p++ = (uint8_t)ke_plen;
    *p++ = 0;
    *p++ = 14;                      /* DH group 14 */
    p += 2;
    if (tls_random(p, ke_len) != 0)
        memset(p, 0x5a, ke_len);
    p[0] &= 0x7f;                   /* below the MODP-2048 prime, whose top byte is 0xff */
    p += ke_len;

    *p++ = 0;                       /* Nonce, last */
    *p++ = 0;
    *p++ = (uint8_t)(nonce_plen >> 8);
    *p++ = (uint8_t)nonce_plen;
    if (tls_random(p, nonce_len) != 0)
        memset(p, 0xa5, nonce_len);
    p += nonce_len;
    return (size_t)(p - buf);
}

static const char *ike_notify_name(uint16_t t)
{
    switch (t) {
    case 1: return "UNSUPPORTED_CRITICAL_PAYLOAD";
    case 4: return "INVALID_IKE_SPI";
    case 5: return "INVALID_MAJOR_VERSION";
    case 7: return "INVALID_SYNTAX";
    case 14: return "NO_PROPOSAL_CHOSEN";
    case 17: return "INVALID_KE_PAYLOAD";
    case 24: return "AUTHENTICATION_FAILED";
    case 16390: return "COOKIE";
    case 16388: return "NAT_DETECTION_SOURCE_IP";
    case 16389: return "NAT_DETECTION_DESTINATION_IP";
    default: return NULL;
    }
}

static int match_ike(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                     struct ident_result *out)
{
    struct dbuf d;
    uint32_t mlen;
    unsigned major, next, npl = 0;
    size_t off = 28;
    int notify = -1, have_sa = 0;

    if (len < 28 || reqlen < 28 || memcmp(buf, req, 8) != 0)
        return 0;
    major = buf[17] >> 4;
    mlen = be32(buf + 24);
    if ((major != 1 && major != 2) || mlen < 28 || mlen > 65535)
        return 0;
    if (major == 2 && !(buf[19] & 0x20))
        return 0;                   /* an IKEv2 reply has the Response flag */
    ident_result_init(out);
    set_service(out, "ike");
    db_init(&d, out->detail, sizeof(out->detail));
    if (major == 1) {
        db_printf(&d, "IKEv1 reply (exchange %u) to our initiator cookie", buf[18]);
        return 1;
    }
    /* Walk the payload chain, bounded by both the header length and what arrived. */
    next = buf[16];
    if (mlen < len)
        len = mlen;
    while (next != 0 && off + 4 <= len && npl++ < 16) {
        size_t plen = be16(buf + off + 2);
        if (plen < 4 || plen > len - off)
            break;
        if (next == 33)
            have_sa = 1;
        if (next == 41 && notify < 0 && plen >= 8)
            notify = be16(buf + off + 6);
        next = buf[off];
        off += plen;
    }
    db_printf(&d, "IKEv2 %s response, SPIr %02x%02x%02x%02x%02x%02x%02x%02x",
              buf[18] == 34 ? "IKE_SA_INIT" : "exchange", buf[8], buf[9], buf[10], buf[11],
              buf[12], buf[13], buf[14], buf[15]);
    if (have_sa)
        db_printf(&d, ", SA accepted");
    if (notify >= 0) {
        const char *nn = ike_notify_name((uint16_t)notify);
        db_printf(&d, ", notify %d", notify);
        if (nn)
            db_printf(&d, " (%s)", nn);
    }
    return 1;
}

/* ---- SSDP ---------------------------------------------------------------- */

static size_t build_ssdp(uint8_t *buf, size_t cap, uint16_t txid)
{
    static const char msg[] =
        "M-SEARCH * HTTP/1.1\r\n"
        "HOST: 239.255.255.250:1900\r\n"
        "MAN: \"ssdp:discover\"\r\n"
        "MX: 1\r\n"
        "ST: ssdp:all\r\n"
        "USER-AGENT: starprobe/" STARPROBE_VERSION " UPnP/1.1 starprobe/" STARPROBE_VERSION "\r\n"
        "\r\n";

    (void)txid;
    if (cap < sizeof(msg) - 1)
        return 0;
    memcpy(buf, msg, sizeof(msg) - 1);
    return sizeof(msg) - 1;
}

/* SSDP carries no id; a 200 with ST or USN is an answer to a search, ours on this socket. */
static int match_ssdp(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                      struct ident_result *out)
{
    const uint8_t *v;
    size_t vl;
    struct dbuf d;

    (void)req;
    (void)reqlen;
    if (!status_line_ok(buf, len, "HTTP/") || memcmp(buf + 5, "1.1 200", 7) != 0)
        return 0;
    if (!hdr_find(buf, len, "ST", &v, &vl) && !hdr_find(buf, len, "USN", &v, &vl))
        return 0;
    ident_result_init(out);
    set_service(out, "ssdp");
    db_init(&d, out->detail, sizeof(out->detail));
    db_printf(&d, "SSDP 200");
    db_hdr(&d, buf, len, "SERVER", 70);
    db_hdr(&d, buf, len, "ST", 50);
    db_hdr(&d, buf, len, "LOCATION", 70);
    return 1;
}

/* ---- WS-Discovery -------------------------------------------------------- */

static size_t build_wsd(uint8_t *buf, size_t cap, uint16_t txid)
{
    char uuid[37];
    uint8_t r[16];
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;

    if (tls_random(r, sizeof(r)) != 0)
        memset(r, 0x5a, sizeof(r));
    r[0] = (uint8_t)(txid >> 8);
    r[1] = (uint8_t)txid;
    r[6] = (uint8_t)((r[6] & 0x0f) | 0x40);    /* version 4 */
    r[8] = (uint8_t)((r[8] & 0x3f) | 0x80);
    for (size_t i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            uuid[o++] = '-';
        uuid[o++] = hex[r[i] >> 4];
        uuid[o++] = hex[r[i] & 15];
    }
    uuid[o] = '\0';
    /* An empty Probe matches every target service; ONVIF cameras answer it. */
    return finish_snprintf(snprintf((char *)buf, cap,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:w=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
        "xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\">"
        "<e:Header><w:MessageID>urn:uuid:%s</w:MessageID>"
        "<w:To e:mustUnderstand=\"true\">urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To>"
        "<w:Action e:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action>"
        "</e:Header><e:Body><d:Probe/></e:Body></e:Envelope>", uuid), cap);
}

/* The text of the first element whose name ends in `local` (any namespace prefix). */
static int xml_elem(const uint8_t *b, size_t n, const char *local, const uint8_t **v, size_t *vl)
{
    size_t k = strlen(local);

    for (size_t i = 0; i + k + 1 < n; i++) {
        if ((b[i] == ':' || b[i] == '<') && memcmp(b + i + 1, local, k) == 0 &&
            i + 1 + k < n && b[i + 1 + k] == '>') {
            size_t s = i + 2 + k, e = s;
            if (b[i] == ':') {
                /* must be an opening tag: walk back to '<' over the prefix, no '/' */
                size_t j = i;
                while (j > 0 && b[j - 1] != '<' && b[j - 1] != '>' && b[j - 1] != '/')
                    j--;
                if (j == 0 || b[j - 1] != '<')
                    continue;
            }
            while (e < n && b[e] != '<')
                e++;
            *v = b + s;
            *vl = e - s;
            return 1;
        }
    }
    return 0;
}

static int match_wsd(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                     struct ident_result *out)
{
    const uint8_t *id, *v;
    size_t vl;
    struct dbuf d;
    int related;

    if (!sp_memcasemem(buf, len, "ProbeMatches") || !sp_memcasemem(buf, len, "Envelope"))
        return 0;
    id = sp_memcasemem(req, reqlen, "urn:uuid:");
    if (!id || (size_t)(req + reqlen - id) < 9 + 36)
        return 0;
    /*
     * WS-Addressing has the reply name our MessageID in RelatesTo. A reply
     * that relates to something else answers someone else; one without
     * RelatesTo (seen on cheap stacks) is accepted and the detail says so.
     */
    related = xml_elem(buf, len, "RelatesTo", &v, &vl);
    if (related && !find_bytes_ci(v, vl, id, 45))
        return 0;
    ident_result_init(out);
    set_service(out, "ws-discovery");
    db_init(&d, out->detail, sizeof(out->detail));
    db_printf(&d, "ProbeMatches%s", related ? " to our MessageID" : " without RelatesTo");
    if (xml_elem(buf, len, "Types", &v, &vl)) {
        db_printf(&d, ", Types '");
        db_esc(&d, v, vl, 80);
        db_printf(&d, "'");
    }
    if (xml_elem(buf, len, "XAddrs", &v, &vl)) {
        db_printf(&d, ", XAddrs '");
        db_esc(&d, v, vl, 80);
        db_printf(&d, "'");
    }
    return 1;
}

/* ---- CoAP ---------------------------------------------------------------- */

static size_t build_coap(uint8_t *buf, size_t cap, uint16_t txid)
{
    uint8_t token[4];

    if (tls_random(token, sizeof(token)) != 0)
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

static int match_coap(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
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
    set_service(out, "coap");
    db_init(&d, out->detail, sizeof(out->detail));
    if (code == 0) {
        db_printf(&d, type == 3 ? "CoAP RST to our message id" : "CoAP empty ACK (separate response pending)");
        return 1;
    }
    db_printf(&d, "CoAP %u.%02u %s", code >> 5, code & 31u, coap_code_name(code));
    if (coap_parse(buf, len, &m) != 0) {
        db_printf(&d, ", malformed options");
    } else if (m.payload_len > 0) {
        db_printf(&d, ", ");
        db_esc(&d, m.payload, m.payload_len, 100);
    }
    return 1;
}

/* ---- DTLS ---------------------------------------------------------------- */

static size_t build_dtls(uint8_t *buf, size_t cap, uint16_t txid)
{
    struct tls_hello_opts o;

    tls_hello_opts_init(&o);
    o.dtls = 1;
    o.max_version = DTLS_V_1_2;
    o.min_version = DTLS_V_1_0;
    o.record_seq = txid;    /* RFC 6347 §4.2.1: a HelloVerifyRequest copies it back */
    return tls_build_client_hello(buf, cap, &o);
}

static int match_dtls(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                      struct ident_result *out)
{
    struct tls_server_hello sh;
    struct dbuf d;

    if (tls_parse_server_hello(buf, len, &sh) != 0 || !sh.dtls ||
        (sh.record_version != DTLS_V_1_0 && sh.record_version != DTLS_V_1_2))
        return 0;
    ident_result_init(out);
    set_service(out, "dtls");
    db_init(&d, out->detail, sizeof(out->detail));
    describe_tls(&d, &sh);
    /* Not required (some stacks get it wrong), but when echoed it ties the reply to us. */
    if (sh.handshake_type == TLS_HS_HELLO_VERIFY_REQUEST && reqlen >= 11 && len >= 11 &&
        memcmp(buf + 5, req + 5, 6) == 0)
        db_printf(&d, ", record sequence echoed");
    return 1;
}

const struct udp_probe ident_udp_probes[] = {
    {53, "dns", build_dns, match_dns, 0},
    {67, "dhcp", build_dhcp, match_dhcp, 0},
    {69, "tftp", build_tftp, match_tftp, 1},
    {123, "ntp", build_ntp, match_ntp, 0},
    {161, "snmp", build_snmp, match_snmp, 0},
    /* tried when community "public" gets no answer (udp_one tries every row of a port) */
    {161, "snmpv3", build_snmpv3, match_snmpv3, 0},
    {500, "ike", build_ike, match_ike, 0},
    {1900, "ssdp", build_ssdp, match_ssdp, 0},
    {3702, "ws-discovery", build_wsd, match_wsd, 0},
    {5353, "mdns", build_mdns, match_mdns, 0},
    {5683, "coap", build_coap, match_coap, 0},
    {5684, "dtls", build_dtls, match_dtls, 0},
};
const size_t ident_udp_nprobes = SP_ARRAY_LEN(ident_udp_probes);

const struct udp_probe *ident_udp_probe_named(const char *name)
{
    for (size_t i = 0; i < ident_udp_nprobes; i++)
        if (strcmp(ident_udp_probes[i].name, name) == 0)
            return &ident_udp_probes[i];
    return NULL;
}

const struct udp_probe *ident_udp_probe_after(long port, const struct udp_probe *prev)
{
    size_t i = prev ? (size_t)(prev - ident_udp_probes) + 1 : 0;

    for (; i < ident_udp_nprobes; i++)
        if (ident_udp_probes[i].port == port)
            return &ident_udp_probes[i];
    return NULL;
}

const struct udp_probe *ident_udp_probe(long port)
{
    for (size_t i = 0; i < ident_udp_nprobes; i++)
        if (ident_udp_probes[i].port == port)
            return &ident_udp_probes[i];
    return NULL;
}
