/*
 * net.h - the bounded socket helpers every probe uses. Every call that waits
 * on the device takes an absolute deadline (monotonic milliseconds, see
 * sp_now_ms) and gives up when it passes: nothing blocks forever on a silent,
 * slow or hostile device. Probes never call connect/recv directly.
 */
#ifndef SP_NET_H
#define SP_NET_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

/* The one address a run talks to (docs/design.md §2.3: nothing else is contacted). */
struct sp_target {
    char host[256];                 /* as the user gave it */
    char addrstr[64];               /* numeric form */
    struct sockaddr_storage addr;   /* port left 0 */
    socklen_t addrlen;
    int family;                     /* AF_INET or AF_INET6 */
};

int64_t sp_now_ms(void);
/* now + ms, but never later than limit (0: no limit). */
int64_t sp_deadline(int64_t ms, int64_t limit);
/* Milliseconds left before deadline, at least 0. */
int sp_ms_left(int64_t deadline);

/*
 * Resolve the target: a numeric IPv4/IPv6 address, or a host name looked up
 * once. On failure writes a message into err.
 */
int net_resolve_target(const char *host, struct sp_target *t, char *err, size_t errlen);
void net_target_sockaddr(const struct sp_target *t, int port,
                         struct sockaddr_storage *ss, socklen_t *len);

/* A connected TCP socket (blocking mode off) or a negative sp_err. */
int net_tcp_connect(const struct sp_target *t, int port, int64_t deadline);
/* A UDP socket connected to target:port, so ICMP unreachable is seen. */
int net_udp_open(const struct sp_target *t, int port);

/* An unconnected UDP socket of the target's family, for replies from any port. */
int net_udp_open_any(const struct sp_target *t);
/* Receive one datagram whose source address is the target (any port). */
ssize_t net_recvfrom_target(int fd, const struct sp_target *t, void *buf, size_t cap,
                            int64_t deadline);
/* The same, and the port it came from into *port (TFTP answers from a fresh port, RFC 1350 §4). */
ssize_t net_recvfrom_target_port(int fd, const struct sp_target *t, void *buf, size_t cap,
                                 int64_t deadline, int *port);
/* One datagram on an unconnected socket to the target's port; 0 or a negative sp_err. */
int net_sendto_target(int fd, const struct sp_target *t, int port, const void *buf, size_t len);

int net_send_all(int fd, const void *buf, size_t len, int64_t deadline);

/*
 * Read once: waits for data until the deadline. Returns bytes read (> 0),
 * SP_ERR_CLOSED on orderly close, SP_ERR_TIMEOUT, SP_ERR_REFUSED (UDP port
 * unreachable) or SP_ERR_IO.
 */
ssize_t net_recv(int fd, void *buf, size_t cap, int64_t deadline);

/*
 * Accumulate into buf until done(buf, len, arg) says the reply is complete,
 * cap is reached, the peer closes, or the deadline passes. Returns the bytes
 * gathered (possibly 0) — a partial reply is still evidence — or a negative
 * sp_err when nothing could be read because of an error other than timeout
 * or close. done may be NULL: read until close, cap or deadline.
 */
typedef int (*net_done_fn)(const uint8_t *buf, size_t len, void *arg);
ssize_t net_recv_until(int fd, uint8_t *buf, size_t cap, int64_t deadline,
                       net_done_fn done, void *arg);

/* One request, one reply on a fresh connection: connect, send, read. */
ssize_t net_tcp_exchange(const struct sp_target *t, int port,
                         const void *req, size_t reqlen,
                         uint8_t *buf, size_t cap, int64_t deadline,
                         net_done_fn done, void *arg);

const char *net_strerror(int err);

#ifdef SP_FUZZ_NET
/*
 * Fuzz builds only (tests/fuzz/net_fuzz.c): net_tcp_connect and net_udp_open
 * hand out one end of a socketpair that a feeder thread fills with the
 * fuzzer's device bytes. The installed binary has no such code.
 */
int net_fuzz_tcp_connect(int port, int64_t deadline);
int net_fuzz_udp_open(int port);
#endif

#endif
