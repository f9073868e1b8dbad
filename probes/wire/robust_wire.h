/*
 * robust_wire.h - the malformed inputs robust.malformed sends, per protocol,
 * and a bounded reader of what a service answered to one. Each input breaks
 * one rule of its protocol on purpose (a length past the end, a reserved
 * option, a line over every sane limit, invalid UTF-8) and is otherwise the
 * protocol's ordinary first message, so the service parses it as far as the
 * broken field. Pure: no sockets; unit tested and fuzzed.
 */
#ifndef SP_ROBUST_WIRE_H
#define SP_ROBUST_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

/* The largest input any builder writes (the 64 KiB HTTP header and its variations). */
#define ROBUST_CASE_MAX (96 * 1024)

struct robust_case {
    const char *name;           /* "http-header-64k": stable, in evidence and reports */
    const char *what;           /* the rule it breaks, in prose */
    /*
     * Write the input into buf. variant 0 is the canonical input; a long
     * campaign asks 1, 2, … for the same fault with other sizes, lying
     * values and filler bytes. Returns the length, 0 when cap is too small.
     */
    size_t (*build)(uint8_t *buf, size_t cap, unsigned variant);
};

/*
 * The set for a protocol ("http", "rtsp", "mqtt", "coap", "ssh", "telnet",
 * "ftp", "tls", "snmp"), *n cases; NULL and *n = 0 when there is none.
 */
const struct robust_case *robust_cases(const char *proto, size_t *n);

/*
 * What a service sent back after a malformed input, as evidence: a status
 * line, a TLS alert, a CONNACK code, a CoAP response code, or the first
 * bytes escaped. Never reads past len; out is always terminated.
 */
void robust_reaction(const char *proto, const uint8_t *buf, size_t len, char *out, size_t cap);

#endif
