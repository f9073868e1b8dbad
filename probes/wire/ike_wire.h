/*
 * ike_wire.h - IKE: an IKEv2 IKE_SA_INIT request and the reply or notify that identifies a responder. Pure: no sockets; unit tested and fuzzed.
 */
#ifndef SP_IKE_WIRE_H
#define SP_IKE_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

/*
 * Identifying a port (probes/ident.c tries these in its order): the request
 * that asks the question, and the matcher that says whether a reply is this
 * protocol, filling out (service, evidence) only when it is.
 */
/*
 * An IKEv2 IKE_SA_INIT (RFC 7296 §1.2) a responder will take seriously: one
 * proposal of common transforms, a MODP-2048 key share and a nonce. Random
 * key bytes are fine: the responder answers (with its own SA_INIT, or a
 * notify such as INVALID_KE_PAYLOAD or NO_PROPOSAL_CHOSEN) before it could
 * notice, and either answer carries our initiator SPI.
 */
size_t ike_ident_build(uint8_t *buf, size_t cap, uint16_t txid);

int ike_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len, struct ident_result *out);

#endif
