/*
 * ssdp_wire.c - SSDP: an M-SEARCH and the HTTP-over-UDP reply that answers it (see ssdp_wire.h). Every read is bounded by the length received.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "http_wire.h"
#include "ssdp_wire.h"
#include "starprobe.h"
#include "wire.h"

size_t ssdp_ident_build(uint8_t *buf, size_t cap, uint16_t txid)
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
int ssdp_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                      struct ident_result *out)
{
    const uint8_t *v;
    size_t vl;
    struct dbuf d;

    (void)req;
    (void)reqlen;
    if (!http_status_line_ok(buf, len, "HTTP/") || memcmp(buf + 5, "1.1 200", 7) != 0)
        return 0;
    if (!wire_hdr_find(buf, len, "ST", &v, &vl) && !wire_hdr_find(buf, len, "USN", &v, &vl))
        return 0;
    ident_result_init(out);
    ident_set_service(out, "ssdp");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    dbuf_printf(&d, "SSDP 200");
    dbuf_hdr(&d, buf, len, "SERVER", 70);
    dbuf_hdr(&d, buf, len, "ST", 50);
    dbuf_hdr(&d, buf, len, "LOCATION", 70);
    return 1;
}
