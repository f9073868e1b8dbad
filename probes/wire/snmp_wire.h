/*
 * snmp_wire.h - SNMP: a bounded BER writer and reader, v1/v2c GetRequest and its reply, SNMPv3 engine discovery (RFC 3414 §4). Pure: no sockets; unit tested and fuzzed.
 */
#ifndef SP_SNMP_WIRE_H
#define SP_SNMP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

#define SNMP_V1  0
#define SNMP_V2C 1

struct snmp_reply {
    long version;               /* 0 = v1, 1 = v2c, 3 = v3 */
    char community[64];         /* printable */
    uint8_t pdu_type;           /* 0xa0 GetRequest, 0xa2 GetResponse, ... */
    uint32_t request_id;
    long error_status;
    long error_index;
    char oid[64];               /* first varbind, dotted; "" if none */
    uint8_t value_type;         /* BER tag of its value: 0x04 OCTET STRING, 0x80 noSuchObject, ... */
    char value[128];            /* printable rendering of the value */
};

/* A GetRequest for sysDescr.0 at SNMP_V1 or SNMP_V2C with community; 0 when it does not fit. */
size_t snmp_build_get(uint8_t *buf, size_t cap, int version, const char *community, uint32_t reqid);
/* Bounded BER decode of one SNMP v1/v2c message. 0 or SP_ERR_PARSE. */
int snmp_parse(const uint8_t *buf, size_t len, struct snmp_reply *out);

/*
 * Identifying a port (probes/ident.c tries these in its order): the request
 * that asks the question, and the matcher that says whether a reply is this
 * protocol, filling out (service, evidence) only when it is.
 */

size_t snmp_ident_build(uint8_t *buf, size_t cap, uint16_t txid);

int snmp_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len, struct ident_result *out);

/*
 * SNMPv3 engine discovery (RFC 3414 §4): a GetRequest with an empty engine
 * ID, no user and the reportable flag. Any agent that speaks v3 answers it
 * with a Report, whatever communities it has for v1/v2c, so an agent that
 * ignores community "public" (or speaks only v1 with another community) is
 * still found, and the checks can go on to try its communities.
 */
size_t snmpv3_ident_build(uint8_t *buf, size_t cap, uint16_t txid);

int snmpv3_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len, struct ident_result *out);

#endif
