/*
 * ident.h - service identification from what a port says or answers, never
 * from its number (docs/design.md §6.4). The port probe
 * (ports.c) owns the sockets; this module owns the bytes: the requests it
 * sends and the matchers that read the replies. Everything here except
 * tls_inner_identify (tlsinner.c) is pure and fuzzed.
 *
 * Evidence is the point: every identification fills `detail` with what was
 * seen, device bytes escaped, so a reviewer can re-check the call.
 */
#ifndef SP_IDENT_H
#define SP_IDENT_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"

struct ident_result {
    char service[32];   /* ssh, telnet, ftp, smtp, http, https, rtsp, mqtt, mqtts, tls, vnc, adb, rlogin,
                           pop3, imap, mysql, coap, dtls, snmp, snmpv3, dns, mdns, ntp, tftp, ssdp, dhcp, ike,
                           ws-discovery, unknown */
    char detail[256];   /* evidence: what identified it, printable */
    char banner[128];   /* printable first line the server sent unprompted, or "" */
};

/* Sets service "unknown" and empties detail and banner. */
void ident_result_init(struct ident_result *r);

/*
 * Server speaks first: identify from the bytes received within the banner
 * wait. Returns 1 when identified. Returns 0 otherwise; when the bytes were a
 * printable banner nobody recognises, out still says "unknown" with the
 * banner kept, so the caller may record it and go on to client-first probes.
 */
int ident_banner(const uint8_t *buf, size_t len, struct ident_result *out);

/*
 * Client-first probes over TCP, each sent on a fresh connection, tried in
 * table order with the probes hinting the port first. build returns the
 * request length, 0 when it cannot build (host unusable in a request, buffer
 * too small). match returns 1 when the reply identifies the service, and
 * writes out only then: on 0, out is left as it was.
 */
struct ident_probe {
    const char *name;
    size_t (*build)(uint8_t *buf, size_t cap, const char *host, long port);
    int (*match)(const uint8_t *buf, size_t len, struct ident_result *out);
    const long *hint_ports;     /* 0-terminated; the probe is tried first on these */
};
extern const struct ident_probe ident_tcp_probes[];
extern const size_t ident_tcp_nprobes;

/*
 * Recognises any protocol this module knows in a reply, whatever was sent:
 * an HTTP server answering the RTSP probe is still HTTP. The weak rlogin
 * signature is left out on purpose; ports.c asks the rlogin probe's own
 * matcher only when nothing else matched.
 */
int ident_any(const uint8_t *buf, size_t len, struct ident_result *out);

/*
 * A net_done_fn for client-first replies: 1 once the bytes already identify
 * the service, or a text reply has its header block, or the buffer is big
 * enough to judge. Saves waiting out the deadline on chatty servers.
 */
int ident_reply_done(const uint8_t *buf, size_t len, void *arg);

/*
 * UDP: one protocol-correct request per listed port. match is given the
 * request that was sent, so it can insist the reply answers it (same
 * transaction id, token, SPI, nonce) rather than being any datagram.
 *
 * Two services answer from or to another port, which a connected socket
 * (net_udp_open) does not see: TFTP replies from a fresh port (RFC 1350
 * TIDs), DHCP servers reply to port 68. Their matchers are still right; the
 * caller needs an unconnected socket (or port 68) to receive the reply.
 */
struct udp_probe {
    long port;
    const char *name;
    size_t (*build)(uint8_t *buf, size_t cap, uint16_t txid);
    int (*match)(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                 struct ident_result *out);
    int any_source_port;        /* the reply comes from another port (TFTP): listen unconnected */
};
const struct udp_probe *ident_udp_probe(long port);     /* NULL if none */
/* The next row for the same port after prev (NULL: the first), or NULL: a port may have several. */
const struct udp_probe *ident_udp_probe_after(long port, const struct udp_probe *prev);
const struct udp_probe *ident_udp_probe_named(const char *name); /* NULL if none */
extern const struct udp_probe ident_udp_probes[];
extern const size_t ident_udp_nprobes;

/*
 * SNMP, exposed so the caller can try v1 and other communities
 * (S1.1-01/-02: a readable community is a finding).
 */
#define IDENT_SNMP_V1  0
#define IDENT_SNMP_V2C 1
size_t ident_snmp_build(uint8_t *buf, size_t cap, int version, const char *community, uint32_t reqid);

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
/* Bounded BER decode of one SNMP v1/v2c message. 0 or SP_ERR_PARSE. */
int ident_snmp_parse(const uint8_t *buf, size_t len, struct snmp_reply *out);

/* The default builders, also used by tlsinner.c. */
size_t ident_build_http(uint8_t *buf, size_t cap, const char *host, long port);
size_t ident_build_mqtt(uint8_t *buf, size_t cap, const char *host, long port);
int ident_match_http(const uint8_t *buf, size_t len, struct ident_result *out);
int ident_match_mqtt(const uint8_t *buf, size_t len, struct ident_result *out);

/*
 * Networked (tlsinner.c, mbedTLS): complete a TLS handshake on port and find
 * what runs inside: an HTTP GET, then on a fresh connection an MQTT CONNECT.
 * Returns 0 with out set to "https" or "mqtts"; otherwise a negative sp_err
 * (handshake failed, e.g. a TLS 1.3-only server mbedTLS 2.28 cannot talk to;
 * or nothing recognisable inside), out then holding "tls" and what was
 * learned (negotiated version and suite, the reason). Never waits past
 * deadline.
 */
int tls_inner_identify(const struct sp_target *t, long port, int64_t deadline,
                       struct ident_result *out);

#endif
