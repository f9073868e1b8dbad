/*
 * ident.h - service identification from what a port says or answers, never
 * from its number (docs/design.md §6.4). The port probe
 * (ports.c) owns the sockets; this module owns the order in which requests
 * are sent and replies matched, over the requests and matchers of each
 * protocol's wire file (probes/wire/). Everything here except
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
#include "wire.h"

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
/* The TCP probe of that name ("tls", "http", …), or NULL if none. */
const struct ident_probe *ident_tcp_probe_named(const char *name);

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
