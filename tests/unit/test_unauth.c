/*
 * test_unauth.c - the wire helpers of auth.unauthenticated as tables: HTTP
 * response heads and bodies (chunked, truncated, oversized), CoAP messages
 * and link format, MQTT packets, FTP replies, telnet negotiation and the
 * public-item rule. The CoAP discovery reply and the MQTT CONNACKs are as
 * libcoap 4.3.1 coap-server and mosquitto 2.0.11 sent them on this machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "coap_wire.h"
#include "device.h"
#include "ftp_wire.h"
#include "html_form.h"
#include "http_wire.h"
#include "mqtt_wire.h"
#include "rxbuf.h"
#include "starprobe.h"
#include "telnet_wire.h"
#include "unit.h"

static void check_row(int ok, int line, const char *row, const char *cond)
{
    char msg[256];

    snprintf(msg, sizeof(msg), "[%s] %s", row, cond);
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, (unsigned)line, msg, __FILE__, "", CU_FALSE);
}
#define CHECK(row, cond) check_row((cond) ? 1 : 0, __LINE__, (row), #cond)
#define B(s) (const uint8_t *)(s), sizeof(s) - 1

/* ---- HTTP ---- */

static void test_http_head(void)
{
    static const struct {
        const char *name, *bytes;
        int rc, complete, status;
        long long cl;
        int chunked;
        const char *location;
    } rows[] = {
        {"200 with length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 0, 1, 200, 5, 0, ""},
        {"401 basic", "HTTP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n", 0, 1, 401, -1, 0, ""},
        {"redirect", "HTTP/1.1 302 Found\r\nlocation: /login.html?next=/admin\r\n\r\n", 0, 1, 302, -1, 0, "/login.html?next=/admin"},
        {"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 0, 1, 200, -1, 1, ""},
        {"bare LF", "HTTP/1.0 404 Not Found\nServer: x\n\n", 0, 1, 404, -1, 0, ""},
        {"no reason phrase", "HTTP/1.1 204\r\n\r\n", 0, 1, 204, -1, 0, ""},
        {"incomplete head", "HTTP/1.1 200 OK\r\nServer: x\r\n", 0, 0, 200, -1, 0, ""},
        {"prefix only", "HTT", 0, 0, 0, -1, 0, ""},
        {"not http", "SSH-2.0-OpenSSH_9.2\r\n", SP_ERR_PARSE, 0, 0, -1, 0, ""},
        {"bad status", "HTTP/1.1 2x0 OK\r\n\r\n", SP_ERR_PARSE, 0, 0, -1, 0, ""},
        {"status 099", "HTTP/1.1 099 X\r\n\r\n", SP_ERR_PARSE, 0, 0, -1, 0, ""},
        {"bad content-length", "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", SP_ERR_PARSE, 0, 0, -1, 0, ""},
        {"huge content-length", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", SP_ERR_PARSE, 0, 0, -1, 0, ""},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct http_response h;
        int rc = http_parse_head((const uint8_t *)rows[i].bytes, strlen(rows[i].bytes), &h);
        CHECK(rows[i].name, rc == rows[i].rc);
        if (rc != 0)
            continue;
        CHECK(rows[i].name, h.complete == rows[i].complete);
        if (!h.complete)
            continue;
        CHECK(rows[i].name, h.status == rows[i].status);
        CHECK(rows[i].name, h.content_length == rows[i].cl);
        CHECK(rows[i].name, h.chunked == rows[i].chunked);
        CHECK(rows[i].name, strcmp(h.location, rows[i].location) == 0);
    }
}

static void test_http_long_lines(void)
{
    size_t n = 20000;
    uint8_t *b = malloc(n);
    struct http_response h;

    memcpy(b, "HTTP/1.1 200 OK\r\nX: ", 20);
    memset(b + 20, 'a', n - 20);
    CHECK("line over 4 KiB, no newline", http_parse_head(b, n, &h) == SP_ERR_PARSE);
    for (size_t i = 100; i < n; i += 100)
        b[i] = '\n';
    CHECK("head over 16 KiB", http_parse_head(b, n, &h) == SP_ERR_PARSE);
    free(b);
}

static void test_http_body(void)
{
    static const struct {
        const char *name, *bytes, *body;
        long len;
        int complete;
    } rows[] = {
        {"length exact", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "hello", 5, 1},
        {"length short", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhello", "hello", 5, 0},
        {"length extra", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhello", "he", 2, 1},
        {"until close", "HTTP/1.0 200 OK\r\n\r\nabc", "abc", 3, 0},
        {"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n", "abcde", 5, 1},
        {"chunked truncated", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", "ab", 2, 0},
        {"chunked bad size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab", "", SP_ERR_PARSE, 0},
        {"chunked huge size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\nab", "", SP_ERR_PARSE, 0},
        {"204 no body", "HTTP/1.1 204 No Content\r\n\r\n", "", 0, 1},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct http_response h;
        uint8_t out[64];
        int complete = -1;
        size_t n = strlen(rows[i].bytes);
        long got;
        CHECK(rows[i].name, http_parse_head((const uint8_t *)rows[i].bytes, n, &h) == 0 && h.complete);
        got = http_body((const uint8_t *)rows[i].bytes, n, &h, out, sizeof(out), &complete);
        CHECK(rows[i].name, got == rows[i].len);
        if (got >= 0)
            CHECK(rows[i].name, memcmp(out, rows[i].body, (size_t)got) == 0 && complete == rows[i].complete);
        CHECK(rows[i].name, http_reply_done((const uint8_t *)rows[i].bytes, n, NULL) ==
                                (rows[i].complete || got < 0));
    }
    /* The output cap holds. */
    {
        struct http_response h;
        uint8_t out[3];
        int c;
        const char *r = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        http_parse_head((const uint8_t *)r, strlen(r), &h);
        CHECK("cap", http_body((const uint8_t *)r, strlen(r), &h, out, sizeof(out), &c) == 3);
    }
}

static void test_http_helpers(void)
{
    static const struct {
        const char *loc;
        int login;
        int same;
        const char *path;
    } rows[] = {
        {"/login.html", 1, 1, "/login.html"},
        {"/cgi-bin/luci/;stok=/signin", 1, 1, "/cgi-bin/luci/;stok=/signin"},
        {"/admin/", 0, 1, "/admin/"},
        {"http://10.0.0.5/admin/", 0, 1, "/admin/"},
        {"http://10.0.0.5:80/x", 0, 1, "/x"},
        {"http://10.0.0.5:8080/x", 0, 0, ""},
        {"http://evil.example/x", 0, 0, ""},
        {"//evil.example/x", 0, 0, ""},
        {"https://10.0.0.5/x", 0, 0, ""},
        {"http://cam.local", 0, 1, "/"},
        {"http://[::1]/x", 0, 0, ""},
        {"/Auth?x", 1, 1, "/Auth?x"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char path[64] = "";
        CHECK(rows[i].loc, http_location_is_login(rows[i].loc) == rows[i].login);
        CHECK(rows[i].loc, http_same_origin_path(rows[i].loc, "cam.local", "10.0.0.5", 80, 0, path,
                                                 sizeof(path)) == rows[i].same);
        if (rows[i].same)
            CHECK(rows[i].loc, strcmp(path, rows[i].path) == 0);
    }
    CHECK("form", http_body_is_login_form(B("<input TYPE=\"password\" name=p>")));
    CHECK("no form", !http_body_is_login_form(B("<h1>Admin</h1><input name=psk>")));
    {
        uint8_t buf[256];
        size_t n = http_build_get(buf, sizeof(buf), "::1", 8080, 0, "/admin");
        CHECK("ipv6 host", n > 0 && strstr((char *)buf, "Host: [::1]:8080\r\n") != NULL);
        CHECK("path with space refused", http_build_get(buf, sizeof(buf), "h", 80, 0, "/a b") == 0);
        CHECK("header injection refused", http_build_get(buf, sizeof(buf), "h", 80, 0, "/a\r\nX: y") == 0);
        CHECK("default https port omitted", http_build_get(buf, sizeof(buf), "h", 443, 1, "/") > 0 &&
                                              strstr((char *)buf, "Host: h\r\n") != NULL);
        CHECK("too small", http_build_get(buf, 20, "h", 80, 0, "/") == 0);
    }
    CHECK("fnv differs", http_fnv1a(B("a")) != http_fnv1a(B("b")));
}

/* RTSP heads, repeated headers, the status kept past a bad header, RTSP redirects (login_http). */
static void test_http_shared(void)
{
    static const uint8_t head[] =
        "HTTP/1.1 401 X\r\nWWW-Authenticate: Basic realm=\"a\"\r\nServer: x\r\n"
        "www-authenticate:   Digest nonce=\"n\"\r\n\r\nWWW-Authenticate: Basic realm=\"body\"\r\n";
    struct http_response h;
    const uint8_t *v;
    size_t pos = 0, vl;
    char path[64];

    CHECK("rtsp head", http_parse_head_proto(B("RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\n\r\n"),
                                             "RTSP/", &h) == 0 && h.complete && h.status == 401);
    CHECK("rtsp is not http", http_parse_head(B("RTSP/1.0 200 OK\r\n\r\n"), &h) == SP_ERR_PARSE);
    CHECK("rtsp prefix only", http_parse_head_proto(B("RTS"), "RTSP/", &h) == 0 && !h.complete);
    CHECK("status kept past a bad header",
          http_parse_head(B("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n"), &h) == SP_ERR_PARSE &&
          h.status == 200);
    CHECK("first value", http_header_next(head, sizeof(head) - 1, "WWW-Authenticate", &pos, &v, &vl) == 1 &&
                         vl == 15 && memcmp(v, "Basic realm=\"a\"", 15) == 0);
    CHECK("second value", http_header_next(head, sizeof(head) - 1, "WWW-Authenticate", &pos, &v, &vl) == 1 &&
                          vl == 16 && memcmp(v, "Digest nonce=\"n\"", 16) == 0);
    CHECK("body is not a header", http_header_next(head, sizeof(head) - 1, "WWW-Authenticate", &pos, &v, &vl) == 0);
    pos = 0;
    CHECK("status line is not a header", http_header_next(B("WWW-Authenticate: x\r\n\r\n"), "WWW-Authenticate",
                                                          &pos, &v, &vl) == 0);
    pos = 0;
    CHECK("last line without newline", http_header_next(B("HTTP/1.1 401 X\r\nWWW-Authenticate: Basic"),
                                                        "WWW-Authenticate", &pos, &v, &vl) == 1 && vl == 5);
    pos = 0;
    CHECK("empty", http_header_next((const uint8_t *)"", 0, "X", &pos, &v, &vl) == 0);
    CHECK("rtsp same origin", http_same_origin_path_as("rtsp://10.0.0.5/live", "rtsp", 554, "cam.local",
                                                       "10.0.0.5", 554, path, sizeof(path)) == 1 &&
                              strcmp(path, "/live") == 0);
    CHECK("rtsp other port", http_same_origin_path_as("rtsp://10.0.0.5:8554/live", "rtsp", 554, NULL,
                                                      "10.0.0.5", 554, path, sizeof(path)) == 0);
    CHECK("http is not rtsp", http_same_origin_path_as("http://10.0.0.5/live", "rtsp", 554, NULL,
                                                       "10.0.0.5", 80, path, sizeof(path)) == 0);
    CHECK("scheme needs ://", http_same_origin_path_as("rtspx://10.0.0.5/live", "rtsp", 554, NULL,
                                                       "10.0.0.5", 554, path, sizeof(path)) == 0);
}

/* ---- CoAP ---- */

static void test_coap_build_parse(void)
{
    static const struct {
        const char *path;
        size_t len;         /* 0: cannot build */
        unsigned nopts;
    } rows[] = {
        {"/.well-known/core", 4 + 2 + 12 + 5, 2},
        {"/", 6, 0},
        {"/time", 6 + 5, 1},
        {"/a/b?x=1&y", 6 + 2 + 2 + 4 + 2, 4},
        /* a 20-byte segment takes the 13 extended length, a 300-byte one is refused */
        {"/aaaaaaaaaaaaaaaaaaaa", 6 + 2 + 20, 1},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        uint8_t buf[600];
        struct coap_msg m;
        size_t n = coap_build_get(buf, sizeof(buf), COAP_CON, 0x1234, (const uint8_t *)"ab", 2,
                                  rows[i].path);
        CHECK(rows[i].path, n == rows[i].len);
        CHECK(rows[i].path, coap_parse(buf, n, &m) == 0);
        CHECK(rows[i].path, m.type == COAP_CON && m.code == COAP_GET && m.mid == 0x1234 && m.tkl == 2 &&
                                m.nopts == rows[i].nopts && m.payload_len == 0);
    }
    {
        char longp[400] = "/";
        uint8_t buf[1024];
        memset(longp + 1, 'x', 300);
        CHECK("segment over 255", coap_build_get(buf, sizeof(buf), COAP_CON, 1, NULL, 0, longp) == 0);
        CHECK("token over 8", coap_build_get(buf, sizeof(buf), COAP_CON, 1, (const uint8_t *)"123456789", 9, "/") == 0);
        CHECK("buffer too small", coap_build_get(buf, 8, COAP_CON, 1, NULL, 0, "/.well-known/core") == 0);
    }
    /* Option with delta 14 (269+): Uri-Query=15 after Content-Format 12 then a 2-byte-extended delta. */
    {
        static const uint8_t ext[] = {0x60, 0x45, 0x00, 0x01, 0xc1, 0x28, 0xe0, 0x01, 0x00, 0xff, 'h', 'i'};
        struct coap_msg m;
        char code[8];
        CHECK("14 extended delta", coap_parse(ext, sizeof(ext), &m) == 0 && m.content_format == 40 &&
                                       m.nopts == 2 && m.payload_len == 2 && m.type == COAP_ACK);
        coap_code_str(m.code, code, sizeof(code));
        CHECK("code 2.05", strcmp(code, "2.05") == 0);
    }
    static const struct {
        const char *name;
        const uint8_t *b;
        size_t n;
    } bad[] = {
        {"short", (const uint8_t *)"\x40\x01", 2},
        {"version 2", (const uint8_t *)"\x80\x01\x00\x01", 4},
        {"tkl 9", (const uint8_t *)"\x49\x01\x00\x01", 4},
        {"token truncated", (const uint8_t *)"\x44\x01\x00\x01\xaa", 5},
        {"marker no payload", (const uint8_t *)"\x40\x45\x00\x01\xff", 5},
        {"reserved delta 15", (const uint8_t *)"\x40\x45\x00\x01\xf1\x00", 6},
        {"ext length truncated", (const uint8_t *)"\x40\x45\x00\x01\x0d", 5},
        {"value past end", (const uint8_t *)"\x40\x45\x00\x01\x05" "ab", 7},
        {"content-format over 2 bytes", (const uint8_t *)"\x40\x45\x00\x01\xc3\x01\x02\x03", 8},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct coap_msg m;
        CHECK(bad[i].name, coap_parse(bad[i].b, bad[i].n, &m) == SP_ERR_PARSE);
    }
}

static void test_coap_links(void)
{
    /* recorded: libcoap 4.3.1 coap-server-notls, GET /.well-known/core */
    static const char core[] = "</>;title=\"General Info\";ct=0,</time>;if=\"clock\";rt=\"ticks\";"
                               "title=\"Internal Clock\";ct=0;obs,</async>;ct=0,</example_data>;"
                               "title=\"Example Data\";ct=0;obs";
    char paths[8][COAP_PATH_MAX];
    size_t n = coap_link_paths(B(core), paths, 8);

    CHECK("libcoap count", n == 4);
    CHECK("libcoap paths", n == 4 && !strcmp(paths[0], "/") && !strcmp(paths[1], "/time") &&
                               !strcmp(paths[2], "/async") && !strcmp(paths[3], "/example_data"));
    CHECK("cap", coap_link_paths(B(core), paths, 2) == 2);
    CHECK("comma in quoted attribute", coap_link_paths(B("</a>;title=\"x,<y>\",</b>"), paths, 8) == 2 &&
                                           !strcmp(paths[1], "/b"));
    CHECK("absolute uri skipped", coap_link_paths(B("<coap://other/x>,</y>"), paths, 8) == 1 &&
                                      !strcmp(paths[0], "/y"));
    CHECK("unterminated", coap_link_paths(B("</a>,</b"), paths, 8) == 1);
    CHECK("not link format", coap_link_paths(B("hello"), paths, 8) == 0);
    CHECK("empty", coap_link_paths((const uint8_t *)"", 0, paths, 8) == 0);
}

/* ---- MQTT ---- */

static void test_mqtt(void)
{
    struct mqtt_packet p;
    uint8_t buf[600];
    const uint8_t *pl;
    size_t plen, n;
    char topic[64];
    static const char *const f[] = {"#", "$SYS/#"};

    /* recorded: mosquitto 2.0.11, anonymous listener and password listener (3.1.1) */
    CHECK("connack 0", mqtt_packet_next(B("\x20\x02\x00\x00"), &p) == 4 && mqtt_connack_code(&p) == 0);
    CHECK("connack 5", mqtt_packet_next(B("\x20\x02\x00\x05"), &p) == 4 && mqtt_connack_code(&p) == 5);
    CHECK("v5 connack 0x87", mqtt_packet_next(B("\x20\x03\x00\x87\x00"), &p) == 5 && mqtt_connack_code(&p) == 0x87);
    CHECK("incomplete", mqtt_packet_next(B("\x20\x02\x00"), &p) == 0);
    CHECK("incomplete varint", mqtt_packet_next(B("\x30\x80"), &p) == 0);
    CHECK("five-byte remaining length", mqtt_packet_next(B("\x30\x80\x80\x80\x80\x01"), &p) == SP_ERR_PARSE);
    CHECK("not connack", mqtt_packet_next(B("\x90\x03\x00\x01\x00"), &p) == 5 && mqtt_connack_code(&p) == SP_ERR_PARSE);
    /* PUBLISH QoS 0 retained, topic a/b */
    CHECK("publish", mqtt_packet_next(B("\x31\x07\x00\x03" "a/bxy"), &p) == 9 &&
                         mqtt_publish_parse(&p, MQTT_V311, topic, sizeof(topic), &pl, &plen) == 0 &&
                         !strcmp(topic, "a/b") && plen == 2 && !memcmp(pl, "xy", 2));
    CHECK("publish qos1", mqtt_packet_next(B("\x32\x07\x00\x01" "t\x00\x05xy"), &p) == 9 &&
                              mqtt_publish_parse(&p, MQTT_V311, topic, sizeof(topic), &pl, &plen) == 0 &&
                              plen == 2);
    CHECK("publish v5 props", mqtt_packet_next(B("\x30\x08\x00\x01t\x02\x01\x01xy"), &p) == 10 &&
                                  mqtt_publish_parse(&p, MQTT_V5, topic, sizeof(topic), &pl, &plen) == 0 &&
                                  plen == 2 && pl[0] == 'x');
    CHECK("publish topic past end", mqtt_packet_next(B("\x30\x03\x00\x09t"), &p) == 5 &&
                                        mqtt_publish_parse(&p, MQTT_V311, topic, sizeof(topic), &pl, &plen) == SP_ERR_PARSE);
    CHECK("publish qos3", mqtt_packet_next(B("\x36\x03\x00\x01t"), &p) == 5 &&
                              mqtt_publish_parse(&p, MQTT_V311, topic, sizeof(topic), &pl, &plen) == SP_ERR_PARSE);
    CHECK("v5 props past end", mqtt_packet_next(B("\x30\x05\x00\x01t\x09x"), &p) == 7 &&
                                   mqtt_publish_parse(&p, MQTT_V5, topic, sizeof(topic), &pl, &plen) == SP_ERR_PARSE);

    n = mqtt_build_subscribe(buf, sizeof(buf), MQTT_V311, 1, f, 2);
    CHECK("subscribe", n == 2 + 2 + 4 + 9 && buf[0] == 0x82 && buf[1] == n - 2);
    n = mqtt_build_subscribe(buf, sizeof(buf), MQTT_V5, 1, f, 2);
    CHECK("subscribe v5", n == 2 + 3 + 4 + 9 && buf[4] == 0);
    n = mqtt_build_connect_v5(buf, sizeof(buf), "starprobe-1");
    CHECK("connect v5", n == 2 + 11 + 2 + 11 && buf[0] == 0x10 && buf[8] == 5 && mqtt_packet_next(buf, n, &p) == (long)n);
    CHECK("too small", mqtt_build_connect_v5(buf, 10, "starprobe-1") == 0);
    CHECK("disconnect", mqtt_build_disconnect(buf, sizeof(buf)) == 2 && buf[0] == 0xe0);
}

/* ---- FTP, telnet, public items ---- */

static void test_ftp_reply(void)
{
    static const struct {
        const char *name, *bytes;
        int rc, code;
    } rows[] = {
        {"greeting", "220 (vsFTPd 3.0.3)\r\n", 1, 220},
        {"multi-line", "230-Welcome\r\n230-to the\r\n230 Login successful.\r\n", 1, 230},
        {"multi-line incomplete", "220-Hello\r\n220-more\r\n", 0, 0},
        {"no newline", "331 Please specify", 0, 0},
        {"bare code", "530\r\n", 1, 530},
        {"garbage", "hello\r\n", SP_ERR_PARSE, 0},
        {"inner lines without code", "220-a\r\nfree text\r\n220 end\r\n", 1, 220},
        /* from login.c's ftp_reply_code table (login_ftp now uses this parser) */
        {"multi-line, inner other code", "230-Welcome\r\n 220 inner\r\n230 done\r\n", 1, 230},
        {"rejection", "530 Login incorrect.\r\n", 1, 530},
        {"no newline yet", "331 Please specify the password.", 0, 0},
        {"LF only", "257 \"/\" is the current directory\n", 1, 257},
        {"empty", "", 0, 0},
        {"garbage line", "garbage\r\n", SP_ERR_PARSE, 0},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        int code = 0;
        CHECK(rows[i].name, ftp_reply_parse((const uint8_t *)rows[i].bytes, strlen(rows[i].bytes), &code) == rows[i].rc);
        if (rows[i].rc == 1)
            CHECK(rows[i].name, code == rows[i].code);
    }
}

static void test_telnet(void)
{
    /* recorded: busybox 1.35 telnetd's first bytes, then a prompt */
    static const uint8_t in[] = {0xff, 0xfd, 0x01, 0xff, 0xfd, 0x1f, 0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03,
                                 'l', 'o', 'g', 0xff, 0xff, 'i', 'n', ':', ' ',
                                 0xff, 0xfa, 0x18, 0x01, 0xff, 0xf0, '#'};
    struct telnet_state ts;
    struct rxbuf text;
    const uint8_t *t;
    uint8_t reply[64];
    size_t tl = 0, rl = 0;

    rxbuf_init(&text, 64);
    telnet_init(&ts, TELNET_ACCEPT_ALL);
    /* Fed in two pieces split inside a command: the state carries over. */
    telnet_feed(&ts, in, 4, &text, reply, sizeof(reply), &rl);
    telnet_feed(&ts, in + 4, sizeof(in) - 4, &text, reply, sizeof(reply), &rl);
    t = rxbuf_since(&text, 0, &tl);
    CHECK("text", tl == 9 && memcmp(t, "log\xffin: #", 9) == 0);
    CHECK("replies", rl == 12 && !memcmp(reply, "\xff\xfc\x01\xff\xfc\x1f\xff\xfd\x01\xff\xfd\x03", 12));
    rxbuf_free(&text);
    /* A small text buffer keeps the newest text and counts all of it; the reply cap holds. */
    rl = 0;
    rxbuf_init(&text, 2);
    telnet_init(&ts, TELNET_ACCEPT_ALL);
    telnet_feed(&ts, in, sizeof(in), &text, reply, 4, &rl);
    t = rxbuf_since(&text, 0, &tl);
    CHECK("caps", tl == 2 && memcmp(t, " #", 2) == 0 && rxbuf_end(&text) == 9 && rl == 3);
    rxbuf_free(&text);
    /* A flood larger than the buffer: the newest text, a marker at the very end included. */
    {
        static uint8_t flood[20000];
        memset(flood, 'x', sizeof(flood));
        memcpy(flood + sizeof(flood) - 8, "SP42MARK", 8);
        flood[100] = 0xff;              /* IAC NOP inside the flood: removed */
        flood[101] = 0xf1;
        rxbuf_init(&text, 4096);
        telnet_init(&ts, TELNET_ACCEPT_ALL);
        rl = 0;
        telnet_feed(&ts, flood, sizeof(flood), &text, reply, sizeof(reply), &rl);
        t = rxbuf_tail(&text, 8, &tl);
        CHECK("flood: marker at the end kept", tl == 8 && memcmp(t, "SP42MARK", 8) == 0);
        CHECK("flood: every data byte counted", rxbuf_end(&text) == sizeof(flood) - 2);
        rxbuf_free(&text);
    }
}

/* Feed bytes through ts into text; the text kept, its length in *n. */
static const uint8_t *feed_login(struct telnet_state *ts, struct rxbuf *text, const uint8_t *in,
                                 size_t inlen, uint8_t *reply, size_t replycap, size_t *rlen,
                                 size_t *n)
{
    telnet_feed(ts, in, inlen, text, reply, replycap, rlen);
    return rxbuf_since(text, 0, n);
}

/* The login probe's policy (was login.c's telnet_filter): only ECHO and SGA accepted. */
static void test_telnet_login_policy(void)
{
    static const struct {
        const char *name, *in;
        size_t inlen;
        const char *data;
        size_t dlen;
        const char *reply;
        size_t rlen;
    } rows[] = {
        {"WILL ECHO, WILL SGA -> DO both; DO TTYPE, DO NAWS -> WONT; then text",
         "\xff\xfb\x01\xff\xfb\x03\xff\xfd\x18\xff\xfd\x1flogin: ", 19, "login: ", 7,
         "\xff\xfd\x01\xff\xfd\x03\xff\xfc\x18\xff\xfc\x1f", 12},
        {"WILL LINEMODE refused with DONT; escaped 255 is data",
         "a\xff\xfb\x22" "b\xff\xff" "c", 8, "ab\xff" "c", 4, "\xff\xfe\x22", 3},
        {"subnegotiation skipped whole; WONT/DONT need no answer",
         "\xff\xfa\x18\x01\xff\xf0ok\xff\xfc\x01\xff\xfe\x01", 12, "ok", 2, "", 0},
        {"NUL bytes dropped (CR NUL), GA ignored", "x\r\0y\xff\xf9", 6, "x\ry", 3, "", 0},
        {"truncated command at the end: no output, no crash", "z\xff", 2, "z", 1, "", 0},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct telnet_state ts;
        struct rxbuf text;
        const uint8_t *data;
        uint8_t reply[64];
        size_t n = 0, rlen = 0;
        rxbuf_init(&text, 64);
        telnet_init(&ts, TELNET_ACCEPT_LOGIN);
        data = feed_login(&ts, &text, (const uint8_t *)rows[i].in, rows[i].inlen, reply,
                          sizeof(reply), &rlen, &n);
        CHECK(rows[i].name, n == rows[i].dlen && memcmp(data, rows[i].data, n) == 0);
        CHECK(rows[i].name, rlen == rows[i].rlen && memcmp(reply, rows[i].reply, rlen) == 0);
        rxbuf_free(&text);
    }
    /* A sequence split across reads is answered once it completes. */
    {
        struct telnet_state ts;
        struct rxbuf text;
        uint8_t reply[8];
        size_t n = 0, rlen = 0;
        rxbuf_init(&text, 8);
        telnet_init(&ts, TELNET_ACCEPT_LOGIN);
        feed_login(&ts, &text, B("\xff"), reply, 8, &rlen, &n);
        CHECK("split: IAC", n == 0 && rlen == 0);
        feed_login(&ts, &text, B("\xfd"), reply, 8, &rlen, &n);
        CHECK("split: DO", n == 0 && rlen == 0);
        feed_login(&ts, &text, B("\x18" "A"), reply, 8, &rlen, &n);
        CHECK("split: option", n == 1 && rlen == 3 && memcmp(reply, "\xff\xfc\x18", 3) == 0);
        rxbuf_free(&text);
    }
    /* Reply buffer too small: answers are dropped, never overflowed. */
    {
        struct telnet_state ts;
        struct rxbuf text;
        uint8_t reply[2];
        size_t n = 0, rlen = 0;
        rxbuf_init(&text, 8);
        telnet_init(&ts, TELNET_ACCEPT_LOGIN);
        feed_login(&ts, &text, B("\xff\xfd\x18"), reply, sizeof(reply), &rlen, &n);
        CHECK("reply cap", rlen == 0);
        rxbuf_free(&text);
    }
}

static void test_public_match(void)
{
    static char *const decl[] = {"/", "/index.html", "/firmware/", "/api/public*", "cam/status"};
    static const struct {
        const char *item, *match;
    } rows[] = {
        {"/", "/"},
        {"/admin", NULL},               /* "/" is the root page, not the whole site */
        {"/index.html", "/index.html"},
        {"/firmware/x.bin", "/firmware/"},
        {"/firmware", "/firmware/"},
        {"/firmwarex", NULL},
        {"/api/public/v1", "/api/public*"},
        {"/api/private", NULL},
        {"cam/status", "cam/status"},
        {"cam/status/x", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const char *m = device_public_match(decl, sizeof(decl) / sizeof(decl[0]), rows[i].item);
        CHECK(rows[i].item, rows[i].match ? m && !strcmp(m, rows[i].match) : m == NULL);
    }
    {
        static char *const all[] = {"/*"};
        CHECK("slash-star is everything", device_public_match(all, 1, "/admin") != NULL);
    }
    CHECK("no entries", device_public_match(NULL, 0, "/x") == NULL);
}

/* ---- the unauth facts' JSON form (reports/facts_json.c) ---- */

static const char *const unauth_rows[] = {
    "{\"items\":[{\"kind\":\"path\",\"item\":\"/\",\"result\":\"protected\",\"detail\":\"HTTP/1.1 401\"},"
    "{\"kind\":\"path\",\"item\":\"/admin\",\"result\":\"open\",\"detail\":\"HTTP/1.1 200 OK\","
    "\"final_path\":\"/admin/index.html\"},"
    "{\"kind\":\"path\",\"item\":\"/api\",\"result\":\"absent\",\"detail\":\"HTTP/1.1 404\"}]}",
    "{\"items\":[{\"kind\":\"anonymous\",\"item\":\"CONNECT\",\"result\":\"open\",\"detail\":\"CONNACK 0\"},"
    "{\"kind\":\"topic\",\"item\":\"$SYS/broker/uptime\",\"result\":\"open\",\"detail\":\"'5 seconds'\"}]}",
    "{\"items\":[]}",
};

static const struct unit_bad_facts unauth_bad[] = {
    {"[]", "not an object"},
    {"{\"items\":{}}", "unauth.items"},
    {"{\"items\":[\"open\"]}", "unauth.items"},
    {"{\"items\":[{\"kind\":\"path\",\"item\":\"/\",\"result\":\"open\"}]}", "items[].detail"},
    {"{\"items\":[{\"kind\":1,\"item\":\"/\",\"result\":\"open\",\"detail\":\"\"}]}", "items[].kind"},
    {"{\"items\":[{\"kind\":\"p\",\"item\":\"/\",\"result\":\"open\",\"detail\":\"\",\"final_path\":7}]}",
     "items[].final_path"},
};

/* The HTTP and SNMP handlers' own facts (http.c, onvif.c, snmp.c). */
static const char *const http_rows[] = {
    "{\"unauthenticated\":[{\"path\":\"/config\",\"status\":200},{\"path\":\"/admin\","
    "\"final_path\":\"/admin/index.html\",\"status\":200}],\"soft_404_status\":404,"
    "\"server\":\"lighttpd/1.4.69\",\"x_powered_by\":\"\",\"onvif\":{\"path\":\"/onvif/device_service\","
    "\"GetDeviceInformation\":\"open\",\"GetUsers\":\"protected\"}}",
    "{\"unauthenticated\":[],\"server\":\"\",\"x_powered_by\":\"PHP/8.2.7\",\"onvif\":{\"path\":"
    "\"/onvif/device_service\",\"not_onvif\":\"HTTP 404, not SOAP\"}}",
    "{\"unauthenticated\":[]}",
};
static const char *const snmp_rows[] = {
    "{\"communities\":[\"public\",\"private\"],\"sysDescr\":\"Linux gw 6.1.0-18-amd64 #1 SMP\"}",
    "{\"communities\":[]}",
};
static const struct unit_bad_facts http_bad[] = {
    {"{\"unauthenticated\":{}}", "http.unauthenticated"},
    {"{\"unauthenticated\":[{\"status\":\"ok\"}]}", "unauthenticated[].status"},
    {"{\"server\":1}", "http.server"},
    {"{\"onvif\":{\"GetUsers\":true}}", "http.onvif.GetUsers"},
};
static const struct unit_bad_facts snmp_bad[] = {
    {"{\"communities\":\"public\"}", "snmp.communities"},
    {"{\"sysDescr\":[]}", "snmp.sysDescr"},
};

/* The other protocols' own facts, in the shapes their unauth slots write. */
static const struct {
    const char *family;
    const char *rows[3];
    struct unit_bad_facts bad;
} proto_rows[] = {
    {"ftp", {"{\"anonymous\":true}", "{}"}, {"{\"anonymous\":\"yes\"}", "ftp.anonymous"}},
    {"adb", {"{\"open\":true,\"banner\":\"device::ro.product.name=x\"}", "{\"open\":false}"},
     {"{\"banner\":1}", "adb.banner"}},
    {"tftp", {"{\"served\":[\"config\",\"/etc/passwd\"]}", "{\"served\":[]}"},
     {"{\"served\":\"config\"}", "tftp.served"}},
    {"rtsp", {"{\"open_paths\":[\"/live\"],\"options_status\":200,\"public\":\"OPTIONS, DESCRIBE\"}",
              "{\"open_paths\":[]}"},
     {"{\"options_status\":\"200\"}", "rtsp.options_status"}},
    {"mqtt", {"{\"anonymous\":true,\"connack_code\":0,\"suback\":\" 00 00\",\"topics\":[\"$SYS/x\"]}",
              "{\"anonymous\":false,\"connack_code\":5,\"topics\":[]}", "{\"topics\":[]}"},
     {"{\"topics\":[1]}", "mqtt.topics"}},
    {"coap", {"{\"transport\":\"dtls\",\"anonymous_handshake\":true,\"resources\":[\"/a\"],\"open\":[],"
              "\"discovery_bytes\":2048,\"discovery_blocks\":3,\"discovery_truncated\":true}",
              "{\"transport\":\"dtls\",\"anonymous_handshake\":false}", "{\"transport\":\"udp\"}"},
     {"{\"discovery_blocks\":-1}", "coap.discovery_blocks"}},
    {"vnc", {"{\"rfb_major\":3,\"rfb_minor\":8,\"security_types\":[19,2],\"vencrypt_subtypes\":[256],"
             "\"tight_auth\":[1],\"no_authentication\":false}", "{\"rfb_major\":3,\"rfb_minor\":3}"},
     {"{\"security_types\":[\"none\"]}", "vnc.security_types"}},
    {"upnp", {"{\"devices\":[{\"location\":\"http://127.0.0.1:8200/rootDesc.xml\",\"device_type\":"
              "\"urn:schemas-upnp-org:device:MediaServer:1\",\"friendly_name\":\"f\",\"manufacturer\":\"m\","
              "\"model_name\":\"n\",\"model_number\":\"1\",\"serial_number\":\"s\",\"services\":[{"
              "\"service_type\":\"urn:schemas-upnp-org:service:ContentDirectory:1\",\"control_url\":"
              "\"/ctl/ContentDir\",\"scpd_url\":\"/ContentDir.xml\"}],\"services_truncated\":true}],"
              "\"control_open\":[\"/ctl/ContentDir#GetSystemUpdateID\"]}",
              "{\"devices\":[],\"control_open\":[]}"},
     {"{\"devices\":[{\"services\":[7]}]}", "upnp.devices[].services"}},
};

static void test_unauth_facts_codec(void)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(proto_rows); i++) {
        size_t n = 0;
        while (n < SP_ARRAY_LEN(proto_rows[i].rows) && proto_rows[i].rows[n])
            n++;
        unit_facts_round_trip(proto_rows[i].family, proto_rows[i].rows, n);
        unit_facts_refused(proto_rows[i].family, &proto_rows[i].bad, 1);
    }
    unit_facts_round_trip("unauth", unauth_rows, SP_ARRAY_LEN(unauth_rows));
    unit_facts_refused("unauth", unauth_bad, SP_ARRAY_LEN(unauth_bad));
    unit_facts_round_trip("http", http_rows, SP_ARRAY_LEN(http_rows));
    unit_facts_refused("http", http_bad, SP_ARRAY_LEN(http_bad));
    unit_facts_round_trip("snmp", snmp_rows, SP_ARRAY_LEN(snmp_rows));
    unit_facts_refused("snmp", snmp_bad, SP_ARRAY_LEN(snmp_bad));
}

int register_unauth_tests(void)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        {"http head", test_http_head},
        {"http bounds", test_http_long_lines},
        {"http body", test_http_body},
        {"http helpers", test_http_helpers},
        {"http shared with login_http", test_http_shared},
        {"coap build and parse", test_coap_build_parse},
        {"coap link format", test_coap_links},
        {"mqtt packets", test_mqtt},
        {"ftp replies", test_ftp_reply},
        {"telnet negotiation", test_telnet},
        {"telnet negotiation, login policy", test_telnet_login_policy},
        {"public items", test_public_match},
        {"unauth and every protocol's own facts to JSON and back", test_unauth_facts_codec},
    };
    CU_pSuite s = CU_add_suite("unauth", NULL, NULL);

    if (!s)
        return -1;
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn))
            return -1;
    return 0;
}
