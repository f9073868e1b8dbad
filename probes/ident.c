/*
 * ident.c - the order in which a port is asked what it is (see ident.h). The
 * requests and matchers of each protocol are in its wire file
 * (probes/wire/<proto>_wire.c); what stays here is what belongs to no single
 * protocol: the order of the TCP probes and of the banner matchers, the UDP
 * rows per port, the generic greeting and prompt signatures, and the kinds
 * that have no wire file yet (adb, rlogin, VNC, MySQL, TFTP).
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

#include "adb_wire.h"
#include "coap_wire.h"
#include "dhcp_wire.h"
#include "dns_wire.h"
#include "http_wire.h"
#include "ident.h"
#include "ike_wire.h"
#include "mqtt_wire.h"
#include "ntp_wire.h"
#include "snmp_wire.h"
#include "ssdp_wire.h"
#include "ssh_wire.h"
#include "starprobe.h"
#include "telnet_wire.h"
#include "tls_wire.h"
#include "util.h"
#include "wire.h"
#include "wsd_wire.h"

/* adb's CONNECT message (protocol.txt): what `adb connect` sends first (adb_wire.c). */
static size_t build_adb(uint8_t *buf, size_t cap, const char *host, long port)
{
    (void)host;
    (void)port;
    return adb_build_cnxn(buf, cap);
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

static int match_adb(const uint8_t *buf, size_t len, struct ident_result *out)
{
    struct adb_msg m;
    struct dbuf d;

    /* Any header whose check word and length agree; the payload may still be arriving. */
    if (adb_parse_msg(buf, len, 0, &m) < 0 || len < ADB_HEADER ||
        (m.cmd != ADB_CNXN && m.cmd != ADB_AUTH && m.cmd != ADB_STLS))
        return 0;
    ident_result_init(out);
    ident_set_service(out, "adb");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    if (m.cmd == ADB_CNXN) {
        /* A CNXN answer means no key was asked for: an open debug shell. */
        dbuf_printf(&d, "CNXN version 0x%08x without authentication, '", m.arg0);
        dbuf_esc(&d, m.data, m.have, 140);
        dbuf_printf(&d, "'");
    } else if (m.cmd == ADB_AUTH) {
        dbuf_printf(&d, "AUTH type %u: the device asks for RSA key authorisation", m.arg0);
    } else {
        dbuf_printf(&d, "STLS version 0x%08x: adb over TLS", m.arg0);
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
    if (!wire_all_text(buf + 1, look))
        return 0;
    if (buf[0] == 1 && rest < 4)
        return 0;
    ident_result_init(out);
    ident_set_service(out, "rlogin");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    if (buf[0] == 0)
        dbuf_printf(&d, "rlogin NUL acknowledgement (weak evidence)");
    else
        dbuf_printf(&d, "rlogin error byte 01");
    if (rest) {
        dbuf_printf(&d, " then '");
        dbuf_esc(&d, buf + 1, rest, 120);
        dbuf_printf(&d, "'");
        ident_set_banner(out, buf + 1, wire_line_len(buf + 1, rest));
    }
    return 1;
}

/* ---- server-first signatures --------------------------------------------- */

/* RFB 6.1.1: exactly "RFB xxx.yyy\n". */
static int match_vnc(const uint8_t *buf, size_t len, struct ident_result *out)
{
    struct dbuf d;

    if (len < 12 || memcmp(buf, "RFB ", 4) != 0 || buf[7] != '.' || buf[11] != '\n')
        return 0;
    for (int i = 4; i < 11; i++)
        if (i != 7 && !wire_is_digit(buf[i]))
            return 0;
    ident_result_init(out);
    ident_set_service(out, "vnc");
    ident_set_banner(out, buf, 11);
    dbuf_init(&d, out->detail, sizeof(out->detail));
    dbuf_printf(&d, "'%.11s'", (const char *)buf);
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
        if (vlen == 0 || vlen > 64 || !wire_is_digit(p[1]) || !wire_all_text(p + 1, vlen) ||
            have < 1 + vlen + 1 + 4 + 8 + 1 || p[1 + vlen + 1 + 12] != 0)
            return 0;
        ident_result_init(out);
        ident_set_service(out, "mysql");
        ident_set_banner(out, p + 1, vlen);
        dbuf_init(&d, out->detail, sizeof(out->detail));
        dbuf_printf(&d, "greeting protocol 10, server version '");
        dbuf_esc(&d, p + 1, vlen, 64);
        dbuf_printf(&d, "'");
        return 1;
    }
    if (p[0] == 0xff && have == plen && plen >= 3 + 8) {
        unsigned code = (unsigned)p[1] | (unsigned)p[2] << 8;
        if (code < 1000 || code > 1999 || !wire_all_text(p + 3, plen - 3))
            return 0;
        ident_result_init(out);
        ident_set_service(out, "mysql");
        dbuf_init(&d, out->detail, sizeof(out->detail));
        dbuf_printf(&d, "error packet %u '", code);
        dbuf_esc(&d, p + 3, plen - 3, 120);
        dbuf_printf(&d, "'");
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
    size_t ll = wire_line_len(buf, len), scan = len < 1024 ? len : 1024;
    const char *svc = NULL, *why = NULL;
    struct dbuf d;

    if (ll < 3 || !wire_all_text(buf, ll))
        return 0;
    if (wire_is_digit(buf[0]) && wire_is_digit(buf[1]) && wire_is_digit(buf[2]) &&
        (ll == 3 || buf[3] == ' ' || buf[3] == '-') &&
        (wire_has_prefix(buf, ll, "220") || wire_has_prefix(buf, ll, "421"))) {
        static const char *const ftp_words[] = {"FTP", "FileZilla", "Serv-U"};
        static const char *const smtp_words[] = {"Postfix", "Exim", "Sendmail", "mail"};

        if (wire_contains_ci(buf, scan, "SMTP")) {
            svc = "smtp";
        } else {
            for (size_t i = 0; !svc && i < SP_ARRAY_LEN(ftp_words); i++)
                if (wire_contains_ci(buf, scan, ftp_words[i]))
                    svc = "ftp";
            for (size_t i = 0; !svc && i < SP_ARRAY_LEN(smtp_words); i++)
                if (wire_contains_ci(buf, scan, smtp_words[i]))
                    svc = "smtp";
        }
        if (!svc && wire_has_prefix(buf, ll, "220")) {
            svc = "ftp";
            why = "220 greeting without FTP or SMTP words, FTP assumed";
        }
        if (!svc)
            return 0;
    } else if (wire_has_prefix(buf, ll, "+OK")) {
        svc = "pop3";
    } else if (wire_has_prefix(buf, ll, "* OK") || wire_has_prefix(buf, ll, "* BYE")) {
        svc = "imap";
    } else if (wire_has_prefix(buf, ll, "* PREAUTH")) {
        svc = "imap";
        why = "PREAUTH: the session is authenticated without a login";
    } else {
        return 0;
    }
    ident_result_init(out);
    ident_set_service(out, svc);
    ident_set_banner(out, buf, ll);
    dbuf_init(&d, out->detail, sizeof(out->detail));
    dbuf_printf(&d, "banner '");
    dbuf_esc(&d, buf, ll, 150);
    dbuf_printf(&d, "'");
    if (why)
        dbuf_printf(&d, " (%s)", why);
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
    if (n == 0 || !wire_all_text(buf, n))
        return 0;
    for (size_t i = 0; i < SP_ARRAY_LEN(prompts); i++) {
        size_t k = strlen(prompts[i]);
        if (n >= k && wire_has_prefix_ci(buf + n - k, k, prompts[i])) {
            size_t s = 0, start;
            ident_result_init(out);
            ident_set_service(out, "telnet");
            while (s < n && (buf[s] == '\r' || buf[s] == '\n'))
                s++;
            /* The prompt line is the last line of what was sent. */
            start = n;
            while (start > s && buf[start - 1] != '\n')
                start--;
            ident_set_banner(out, buf + s, wire_line_len(buf + s, len - s));
            dbuf_init(&d, out->detail, sizeof(out->detail));
            dbuf_printf(&d, "bare '%s' prompt without telnet negotiation: '", prompts[i]);
            dbuf_esc(&d, buf + start, len - start, 100);
            dbuf_printf(&d, "'");
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
    telnet_ident_match, ssh_ident_match, match_vnc, match_mysql, match_greeting,
    http_ident_match, rtsp_ident_match,
};

static const match_fn any_matchers[] = {
    tls_ident_match, telnet_ident_match, ssh_ident_match, match_vnc, match_mysql, mqtt_ident_match,
    match_adb, http_ident_match, rtsp_ident_match, match_greeting,
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
    dbuf_init(&d, out->detail, sizeof(out->detail));
    ll = wire_line_len(buf, len);
    if (ll >= 2 && wire_all_text(buf, ll)) {
        size_t n = len;
        ident_set_banner(out, buf, ll);
        while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\r' || buf[n - 1] == '\n'))
            n--;
        dbuf_printf(&d, "unrecognised banner '");
        dbuf_esc(&d, buf, ll, 150);
        dbuf_printf(&d, "'");
        /* Worth a reviewer's eye: an unauthenticated shell looks like this. */
        if (n > 0 && (buf[n - 1] == '#' || buf[n - 1] == '$'))
            dbuf_printf(&d, " (ends like a shell prompt)");
    } else {
        dbuf_printf(&d, "%zu bytes, not text: '", len);
        dbuf_esc(&d, buf, len, 80);
        dbuf_printf(&d, "'");
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
    if (wire_has_prefix(buf, len, "HTTP/") || wire_has_prefix(buf, len, "RTSP/"))
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
    {"tls", tls_ident_build, tls_ident_match, hints_tls},
    {"http", http_ident_build, http_ident_match, hints_http},
    {"rtsp", rtsp_ident_build, rtsp_ident_match, hints_rtsp},
    {"mqtt", mqtt_ident_build, mqtt_ident_match, hints_mqtt},
    {"adb", build_adb, match_adb, hints_adb},
    {"rlogin", build_rlogin, match_rlogin, hints_rlogin},
};
const size_t ident_tcp_nprobes = SP_ARRAY_LEN(ident_tcp_probes);

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
        if (wire_be16(buf + 2) != 1 || len > 4 + 512)
            return 0;
        ident_result_init(out);
        ident_set_service(out, "tftp");
        dbuf_init(&d, out->detail, sizeof(out->detail));
        dbuf_printf(&d, "DATA block 1, %zu bytes: the server sent a file nobody named", len - 4);
        return 1;
    }
    if (buf[1] == 5) {
        const uint8_t *nul = memchr(buf + 4, 0, len - 4);
        size_t ml = nul ? (size_t)(nul - (buf + 4)) : len - 4;
        uint16_t code = wire_be16(buf + 2);

        if (code > 8 || len > 4 + 512 || !wire_all_text(buf + 4, ml) || (nul && nul + 1 != buf + len))
            return 0;
        ident_result_init(out);
        ident_set_service(out, "tftp");
        dbuf_init(&d, out->detail, sizeof(out->detail));
        dbuf_printf(&d, "ERROR %u '", code);
        dbuf_esc(&d, buf + 4, ml, 100);
        dbuf_printf(&d, "'");
        return 1;
    }
    return 0;
}

const struct udp_probe ident_udp_probes[] = {
    {53, "dns", dns_ident_build, dns_ident_match, 0},
    {67, "dhcp", dhcp_ident_build, dhcp_ident_match, 0},
    {69, "tftp", build_tftp, match_tftp, 1},
    {123, "ntp", ntp_ident_build, ntp_ident_match, 0},
    {161, "snmp", snmp_ident_build, snmp_ident_match, 0},
    /* tried when community "public" gets no answer (udp_one tries every row of a port) */
    {161, "snmpv3", snmpv3_ident_build, snmpv3_ident_match, 0},
    {500, "ike", ike_ident_build, ike_ident_match, 0},
    /* UPnP stacks (MiniDLNA) answer an M-SEARCH from a socket other than the one on 1900. */
    {1900, "ssdp", ssdp_ident_build, ssdp_ident_match, 1},
    {3702, "ws-discovery", wsd_ident_build, wsd_ident_match, 0},
    {5353, "mdns", mdns_ident_build, mdns_ident_match, 0},
    {5683, "coap", coap_ident_build, coap_ident_match, 0},
    {5684, "dtls", dtls_ident_build, dtls_ident_match, 0},
};
const size_t ident_udp_nprobes = SP_ARRAY_LEN(ident_udp_probes);

const struct ident_probe *ident_tcp_probe_named(const char *name)
{
    for (size_t i = 0; i < ident_tcp_nprobes; i++)
        if (strcmp(ident_tcp_probes[i].name, name) == 0)
            return &ident_tcp_probes[i];
    return NULL;
}

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
