/*
 * ntp_wire.c - NTP: a client-mode request and the server-mode reply that answers it (see ntp_wire.h). Every read is bounded by the length received.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ntp_wire.h"
#include "wire.h"

size_t ntp_ident_build(uint8_t *buf, size_t cap, uint16_t txid)
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
    if (wire_random(buf + 40, 8) != 0) {
        buf[40] = 0x53;
        buf[41] = 0x50;
    }
    buf[46] = (uint8_t)(txid >> 8);
    buf[47] = (uint8_t)txid;
    return 48;
}

int ntp_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
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
    ident_set_service(out, "ntp");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    dbuf_printf(&d, "NTP v%u mode 4 (server), stratum %u, refid ", vn, stratum);
    if (stratum <= 1) {
        /* A kiss code (stratum 0) or a reference clock name: four ASCII characters. */
        dbuf_printf(&d, "'");
        size_t rl = 0;
        while (rl < 4 && buf[12 + rl] != 0)
            rl++;
        dbuf_esc(&d, buf + 12, rl, 16);
        dbuf_printf(&d, "'");
    } else {
        dbuf_printf(&d, "%u.%u.%u.%u", buf[12], buf[13], buf[14], buf[15]);
    }
    return 1;
}
