/*
 * dhcp_wire.h - DHCP: a DISCOVER and the OFFER/ACK that identifies a server. Pure: no sockets; unit tested and fuzzed.
 */
#ifndef SP_DHCP_WIRE_H
#define SP_DHCP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

/*
 * Identifying a port (probes/ident.c tries these in its order): the request
 * that asks the question, and the matcher that says whether a reply is this
 * protocol, filling out (service, evidence) only when it is.
 */
size_t dhcp_ident_build(uint8_t *buf, size_t cap, uint16_t txid);

int dhcp_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len, struct ident_result *out);

#endif
