/*
 * mqtt_wire.h - the MQTT packets an anonymous client needs (3.1.1 and 5):
 * CONNECT (v5; 3.1.1 is mqtt_ident_build), SUBSCRIBE, and a bounded reader
 * of the broker's packets (fixed header with a remaining length of at most
 * four bytes, CONNACK, PUBLISH topic and payload). Pure; unit tested and fuzzed.
 */
#ifndef SP_MQTT_WIRE_H
#define SP_MQTT_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

#define MQTT_V311 4
#define MQTT_V5 5

struct mqtt_packet {
    uint8_t type;               /* high nibble of the first byte: 2 CONNACK, 3 PUBLISH, 9 SUBACK */
    uint8_t flags;              /* low nibble */
    const uint8_t *body;        /* the variable header and payload, inside the caller's buffer */
    size_t body_len;
};

/*
 * The next packet at the start of buf. Returns the bytes it takes (> 0),
 * 0 when more bytes are needed, SP_ERR_PARSE when the remaining length is
 * malformed (a fifth continuation byte).
 */
long mqtt_packet_next(const uint8_t *buf, size_t len, struct mqtt_packet *out);

/* Anonymous CONNECT at protocol level 5, clean start. 0 when it does not fit. */
size_t mqtt_build_connect_v5(uint8_t *buf, size_t cap, const char *client_id);
/* SUBSCRIBE with QoS 0 for each filter. 0 when it does not fit. */
size_t mqtt_build_subscribe(uint8_t *buf, size_t cap, int version, uint16_t packet_id,
                            const char *const *filters, size_t n);
/* DISCONNECT. */
size_t mqtt_build_disconnect(uint8_t *buf, size_t cap);

/* CONNACK return code (3.1.1) or reason code (5); SP_ERR_PARSE if not a CONNACK. */
int mqtt_connack_code(const struct mqtt_packet *p);

/*
 * PUBLISH: the topic (printable, truncated to topiccap) and the payload.
 * 0 or SP_ERR_PARSE.
 */
int mqtt_publish_parse(const struct mqtt_packet *p, int version, char *topic, size_t topiccap,
                       const uint8_t **payload, size_t *plen);

/*
 * Identifying a port (probes/ident.c tries these in its order): the request
 * that asks the question, and the matcher that says whether a reply is this
 * protocol, filling out (service, evidence) only when it is.
 */
/*
 * MQTT 3.1.1 CONNECT, clean session, no credentials. The client id is random
 * so that two runs, or a run and a real client, never kick each other off
 * the broker (a broker drops the older session with the same id), and 22
 * characters long: 3.1.1 lets a broker refuse ids over 23.
 */
size_t mqtt_ident_build(uint8_t *buf, size_t cap, const char *host, long port);

int mqtt_ident_match(const uint8_t *buf, size_t len, struct ident_result *out);

#endif
