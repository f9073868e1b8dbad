/*
 * coap_wire.h - CoAP messages (RFC 7252) and CoRE link format (RFC 6690),
 * the bytes only: a GET builder, a bounded message parser and a bounded
 * reader of /.well-known/core. Pure, unit tested and fuzzed.
 */
#ifndef SP_COAP_WIRE_H
#define SP_COAP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

enum coap_type { COAP_CON = 0, COAP_NON = 1, COAP_ACK = 2, COAP_RST = 3 };

#define COAP_CODE(c, d) ((uint8_t)(((c) << 5) | (d)))
#define COAP_GET COAP_CODE(0, 1)
#define COAP_EMPTY 0

struct coap_msg {
    uint8_t type;               /* enum coap_type */
    uint8_t code;               /* class << 5 | detail */
    uint16_t mid;
    uint8_t tkl;
    uint8_t token[8];
    int content_format;         /* -1: none */
    unsigned nopts;
    const uint8_t *payload;     /* points into the parsed buffer */
    size_t payload_len;
};

/*
 * GET for path ("/a/b?x=1&y"): one Uri-Path option per segment, one
 * Uri-Query per '&' part. Returns the length, 0 if a segment is over 255
 * bytes, the token over 8, or buf too small.
 */
size_t coap_build_get(uint8_t *buf, size_t cap, uint8_t type, uint16_t mid,
                      const uint8_t *token, size_t tkl, const char *path);
/* An empty ACK for a confirmable separate response. */
size_t coap_build_ack(uint8_t *buf, size_t cap, uint16_t mid);

/* 0 or SP_ERR_PARSE (version not 1, token over 8, truncated or reserved option encoding). */
int coap_parse(const uint8_t *buf, size_t len, struct coap_msg *out);

/* "2.05" into buf (at least 5 bytes). */
void coap_code_str(uint8_t code, char *buf, size_t cap);

#define COAP_PATH_MAX 128
/*
 * The target paths of a link-format document ("</a>;rt=x,</b>"), in order,
 * at most max of them, each under COAP_PATH_MAX bytes (longer ones and
 * links to other hosts are skipped). Returns the count.
 */
size_t coap_link_paths(const uint8_t *p, size_t len, char (*paths)[COAP_PATH_MAX], size_t max);

/*
 * Identifying a port (probes/ident.c tries these in its order): the request
 * that asks the question, and the matcher that says whether a reply is this
 * protocol, filling out (service, evidence) only when it is.
 */
size_t coap_ident_build(uint8_t *buf, size_t cap, uint16_t txid);

int coap_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len, struct ident_result *out);

#endif
