/*
 * wsd_wire.h - WS-Discovery: a SOAP Probe and the ProbeMatches that answers it. Pure: no sockets; unit tested and fuzzed.
 */
#ifndef SP_WSD_WIRE_H
#define SP_WSD_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

/*
 * Identifying a port (probes/ident.c tries these in its order): the request
 * that asks the question, and the matcher that says whether a reply is this
 * protocol, filling out (service, evidence) only when it is.
 */
size_t wsd_ident_build(uint8_t *buf, size_t cap, uint16_t txid);

int wsd_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len, struct ident_result *out);

#endif
