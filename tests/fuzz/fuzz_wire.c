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
#include <stdint.h>
#include <string.h>

#include "banner_wire.h"
#include "dhcp_wire.h"
#include "dns_wire.h"
#include "ike_wire.h"
#include "ntp_wire.h"
#include "snmp_wire.h"
#include "ssdp_wire.h"
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
