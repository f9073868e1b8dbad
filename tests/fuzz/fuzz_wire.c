/*
 * fuzz_wire.c - one libFuzzer target per wire file that has no target of its
 * own: built once per file with -DWIRE_<name> (the Makefile's fuzz-build
 * makes build/fuzz_wire_<name>). For the UDP recognisers the first two bytes
 * are the transaction id the request is built with, and the rest is the
 * device's reply to it, so the matchers' "does this answer my request" paths
 * run as well as their parsers.
 *
 * Which target covers which wire file: docs/design.md §9.4.
 */
#include <stddef.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "banner_wire.h"
#include "dhcp_wire.h"
#include "dns_wire.h"
#include "ike_wire.h"
#include "ntp_wire.h"
#include "onvif_wire.h"
#include "robust_wire.h"
#include "upload_wire.h"
#include "snmp_wire.h"
#include "ssdp_wire.h"
#include "upnp_wire.h"
#include "wire.h"
#include "wsd_wire.h"

typedef size_t (*build_fn)(uint8_t *, size_t, uint16_t);
typedef int (*match_fn)(const uint8_t *, size_t, const uint8_t *, size_t, struct ident_result *);

static void udp_pair(build_fn build, match_fn match, const uint8_t *data, size_t size)
{
    uint8_t req[1500];
    struct ident_result r;
    size_t n;

    if (size < 2)
        return;
    n = build(req, sizeof(req), (uint16_t)(data[0] << 8 | data[1]));
    if (n == 0)
        return;
    ident_result_init(&r);
    (void)match(req, n, data + 2, size - 2, &r);
    /* the evidence must stay a string inside its array whatever the reply was */
    if (memchr(r.detail, '\0', sizeof(r.detail)) == NULL || memchr(r.banner, '\0', sizeof(r.banner)) == NULL)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if defined(WIRE_dns)
    udp_pair(dns_ident_build, dns_ident_match, data, size);
    udp_pair(mdns_ident_build, mdns_ident_match, data, size);
#elif defined(WIRE_dhcp)
    udp_pair(dhcp_ident_build, dhcp_ident_match, data, size);
#elif defined(WIRE_ntp)
    udp_pair(ntp_ident_build, ntp_ident_match, data, size);
#elif defined(WIRE_snmp)
    struct snmp_reply sr;

    udp_pair(snmp_ident_build, snmp_ident_match, data, size);
    udp_pair(snmpv3_ident_build, snmpv3_ident_match, data, size);
    (void)snmp_parse(data, size, &sr);
#elif defined(WIRE_ike)
    udp_pair(ike_ident_build, ike_ident_match, data, size);
#elif defined(WIRE_ssdp)
    udp_pair(ssdp_ident_build, ssdp_ident_match, data, size);
#elif defined(WIRE_upnp)
    /*
     * The first byte picks the HTTP status soap_classify is given; the rest is
     * an SSDP answer, a description and a SOAP answer at once, and the URLs
     * found in it are split and resolved as upnp.c does.
     */
    static struct upnp_device d;
    char loc[UPNP_URL_MAX], url[UPNP_URL_MAX], host[256], path[UPNP_URL_MAX], why[240];
    long port;
    int tls;

    if (size < 1)
        return 0;
    if (ssdp_location(data + 1, size - 1, loc, sizeof(loc)) == 0)
        (void)upnp_url_split(loc, &tls, host, sizeof(host), &port, path, sizeof(path));
    else
        memcpy(loc, "http://192.0.2.1:80/d/desc.xml", 31);
    if (upnp_parse_description(data + 1, size - 1, &d) == 0)
        for (size_t i = 0; i < d.nsvc; i++) {
            const char *args;
            if (upnp_url_resolve(d.url_base[0] ? d.url_base : loc, d.svc[i].control, url,
                                 sizeof(url)) == 0)
                (void)upnp_url_split(url, &tls, host, sizeof(host), &port, path, sizeof(path));
            (void)upnp_read_action(d.svc[i].type, &args);
            (void)upnp_soap_build(why, sizeof(why), d.svc[i].type, "GetProtocolInfo", "");
        }
    (void)soap_classify(100 + data[0] * 2, data + 1, size - 1, "GetProtocolInfo", why, sizeof(why));
    if (memchr(why, '\0', sizeof(why)) == NULL)
        __builtin_trap();
#elif defined(WIRE_onvif)
    struct onvif_info in;
    struct onvif_users u;
    char why[240];

    (void)onvif_parse_info(data, size, &in);
    (void)onvif_parse_users(data, size, &u);
    (void)soap_classify(size > 0 && data[0] == '<' ? 200 : 500, data, size, "GetUsers", why,
                        sizeof(why));
#elif defined(WIRE_wsd)
    udp_pair(wsd_ident_build, wsd_ident_match, data, size);
#elif defined(WIRE_wire)
    struct ident_result r;
    struct dbuf d;
    const uint8_t *v;
    size_t vl;

    ident_result_init(&r);
    dbuf_init(&d, r.detail, sizeof(r.detail));
    dbuf_esc(&d, data, size, size % 300);
    dbuf_hdr(&d, data, size, "Server", 80);
    ident_set_banner(&r, data, wire_line_len(data, size));
    (void)wire_hdr_find(data, size, "Location", &v, &vl);
    (void)wire_all_text(data, size);
    if (size > 4)
        (void)wire_find_ci(data, size, data + size - 4, 4);
    if (memchr(r.detail, '\0', sizeof(r.detail)) == NULL)
        __builtin_trap();
#elif defined(WIRE_robust)
    /* robust_wire.c: the reader of a service's answer, under every protocol's name; and the
     * builder of the case the first two bytes pick, in the variation the third picks */
    static const char *const protos[] = {"http", "rtsp", "mqtt", "coap", "ssh", "telnet", "ftp",
                                         "tls", "snmp"};
    static uint8_t in[ROBUST_CASE_MAX];
    char out[200];
    size_t n;

    for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
        robust_reaction(protos[i], data, size, out, sizeof(out));
        if (memchr(out, '\0', sizeof(out)) == NULL)
            __builtin_trap();
    }
    if (size >= 3) {
        const struct robust_case *c = robust_cases(protos[data[0] % 9], &n);
        if (c && n && c[data[1] % n].build(in, sizeof(in), data[2]) > sizeof(in))
            __builtin_trap();
    }
#elif defined(WIRE_upload)
    /* upload_wire.c: the device's answer to an upload, and the fuzzer's bytes as the image */
    struct http_response h;
    uint8_t body[512], *req;
    int complete = 0, by;
    long bl = 0;
    char why[200];
    struct upload_req q = {.method = "POST", .host = "192.0.2.1", .port = 80, .path = "/up",
                           .boundary = "starprobe", .parts = {{"fw", "fw.bin", data, size}}, .nparts = 1};
    size_t n;

    memset(&h, 0, sizeof(h));
    (void)http_parse_head(data, size, &h);
    if (h.complete)
        bl = http_body(data, size, &h, body, sizeof(body), &complete);
    (void)upload_classify(&h, body, bl > 0 ? (size_t)bl : 0, "failed", size % 2 ? "ok" : NULL, &by, why,
                          sizeof(why));
    if (memchr(why, '\0', sizeof(why)) == NULL)
        __builtin_trap();
    n = upload_request_len(&q);
    if (n) {
        req = malloc(n);
        if (!req || upload_build(req, n, &q) != n)
            __builtin_trap();
        free(req);
    }
#elif defined(WIRE_banner)
    char tok[32];
    size_t cap = 1 + size % sizeof(tok);

    /* the text is not NUL-terminated: banner_version must stop at len and keep tok a string */
    memset(tok, 'x', sizeof(tok));
    (void)banner_version((const char *)data, size, tok, cap);
    if (memchr(tok, '\0', cap) == NULL)
        __builtin_trap();
#else
#error "build with -DWIRE_<name>"
#endif
    return 0;
}
