/*
 * dhcp_wire.c - DHCP: a DISCOVER and the OFFER/ACK that identifies a server (see dhcp_wire.h). Every read is bounded by the length received.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dhcp_wire.h"
#include "wire.h"

size_t dhcp_ident_build(uint8_t *buf, size_t cap, uint16_t txid)
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

int dhcp_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
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
    ident_set_service(out, "dhcp");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    dbuf_printf(&d, "BOOTREPLY xid 0x%08x", wire_be32(buf + 4));
    if (msgtype >= 0)
        dbuf_printf(&d, " %s", dhcp_type_name((uint8_t)msgtype));
    else
        dbuf_printf(&d, " (BOOTP, no DHCP message type)");
    dbuf_printf(&d, ", yiaddr %u.%u.%u.%u", buf[16], buf[17], buf[18], buf[19]);
    if (sid)
        dbuf_printf(&d, ", server id %u.%u.%u.%u", sid[0], sid[1], sid[2], sid[3]);
    return 1;
}
