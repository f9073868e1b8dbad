/*
 * fuzz_unauth.c - libFuzzer entry for the parsers auth.unauthenticated runs
 * on device bytes: the HTTP (and RTSP) response head and body (chunked
 * included), the login-or-settings form rule, repeated headers, same-origin redirects, CoAP
 * messages and link format, MQTT packets and PUBLISH, FTP replies and the
 * telnet option handler.
 *
 *   make fuzz   (or build as in the Makefile's fuzz target and run
 *   build/fuzz_unauth -max_total_time=60)
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "coap_wire.h"
#include "ftp_wire.h"
#include "html_form.h"
#include "http_wire.h"
#include "mqtt_wire.h"
#include "rxbuf.h"
#include "telnet_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct http_response h;
    struct coap_msg m;
    struct mqtt_packet p;
    struct telnet_state ts;
    struct rxbuf text;
    static uint8_t body[4096], reply[256];
    static char paths[32][COAP_PATH_MAX], topic[128];
    const uint8_t *pl;
    size_t plen, rl = 0, off = 0;
    int complete, code;

    if (http_parse_head(data, size, &h) == 0 && h.complete) {
        (void)http_body(data, size, &h, body, sizeof(body), &complete);
        (void)http_location_is_login(h.location);
    }
    (void)http_reply_done(data, size, NULL);
    /* the page rule reads <input> attributes of a whole body */
    if (http_body_form(data, size) > HTTP_FORM_SETTINGS)
        __builtin_trap();
    (void)http_parse_head_proto(data, size, "RTSP/", &h);
    {
        const uint8_t *v;
        size_t pos = 0, vl, seen = 0;
        char path[160], loc[256];
        while (http_header_next(data, size, "WWW-Authenticate", &pos, &v, &vl) && seen++ < size)
            if (v < data || v + vl > data + size)
                __builtin_trap();
        if (size < sizeof(loc)) {
            memcpy(loc, data, size);
            loc[size] = '\0';
            (void)http_same_origin_path_as(loc, "rtsp", 554, "cam.local", "10.0.0.5", 554, path,
                                           sizeof(path));
        }
    }
    if (coap_parse(data, size, &m) == 0 && m.payload)
        (void)coap_link_paths(m.payload, m.payload_len, paths, 32);
    (void)coap_link_paths(data, size, paths, 32);
    while (off < size) {
        long n = mqtt_packet_next(data + off, size - off, &p);
        if (n <= 0)
            break;
        (void)mqtt_connack_code(&p);
        (void)mqtt_publish_parse(&p, MQTT_V311, topic, sizeof(topic), &pl, &plen);
        (void)mqtt_publish_parse(&p, MQTT_V5, topic, sizeof(topic), &pl, &plen);
        off += (size_t)n;
    }
    (void)ftp_reply_parse(data, size, &code);
    /* A small text buffer, so inputs longer than it make it slide. */
    rxbuf_init(&text, 1024);
    telnet_init(&ts, TELNET_ACCEPT_ALL);
    telnet_feed(&ts, data, size, &text, reply, sizeof(reply), &rl);
    if (rxbuf_end(&text) > size)
        __builtin_trap();       /* commands are removed, never added */
    rxbuf_free(&text);
    /* the login probe's policy, fed in two pieces so state carried across reads is exercised */
    rl = 0;
    rxbuf_init(&text, 1024);
    telnet_init(&ts, TELNET_ACCEPT_LOGIN);
    telnet_feed(&ts, data, size / 2, &text, reply, sizeof(reply), &rl);
    telnet_feed(&ts, data + size / 2, size - size / 2, &text, reply, sizeof(reply), &rl);
    rxbuf_free(&text);
    return 0;
}
