/*
 * net.c - bounded sockets: connect, send and receive with deadlines, on the
 * run's one target address. All waiting is poll() with the time left.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "starprobe.h"
#include "util.h"

int64_t sp_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t sp_deadline(int64_t ms, int64_t limit)
{
    int64_t d = sp_now_ms() + ms;

    if (limit > 0 && d > limit)
        d = limit;
    return d;
}

int sp_ms_left(int64_t deadline)
{
    int64_t left = deadline - sp_now_ms();

    if (left < 0)
        return 0;
    if (left > 1000000)
        return 1000000;
    return (int)left;
}

int net_resolve_target(const char *host, struct sp_target *t, char *err, size_t errlen)
{
    struct addrinfo hints, *res = NULL;
    char h[256];
    int rc;

    memset(t, 0, sizeof(*t));
    if (sp_strlcpy(t->host, host, sizeof(t->host)) >= sizeof(t->host)) {
        snprintf(err, errlen, "target name too long");
        return SP_ERR_USAGE;
    }
    /* Accept [v6] as users write it in URLs. */
    sp_strlcpy(h, host, sizeof(h));
    if (h[0] == '[') {
        size_t n = strlen(h);
        if (n > 2 && h[n - 1] == ']') {
            memmove(h, h + 1, n - 2);
            h[n - 2] = '\0';
        }
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST;
    rc = getaddrinfo(h, NULL, &hints, &res);
    if (rc != 0) {
        /* A host name: looked up once, the first address is the target. */
        hints.ai_flags = AI_ADDRCONFIG;
        rc = getaddrinfo(h, NULL, &hints, &res);
    }
    if (rc != 0 || !res) {
        snprintf(err, errlen, "cannot resolve target '%s': %s", host, gai_strerror(rc));
        return SP_ERR_UNREACH;
    }
    memcpy(&t->addr, res->ai_addr, res->ai_addrlen);
    t->addrlen = res->ai_addrlen;
    t->family = res->ai_family;
    getnameinfo(res->ai_addr, res->ai_addrlen, t->addrstr, sizeof(t->addrstr),
                NULL, 0, NI_NUMERICHOST);
    freeaddrinfo(res);
    return 0;
}

void net_target_sockaddr(const struct sp_target *t, int port,
                         struct sockaddr_storage *ss, socklen_t *len)
{
    memcpy(ss, &t->addr, sizeof(*ss));
    *len = t->addrlen;
    if (t->family == AF_INET6)
        ((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
    else
        ((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
}

static int errno_to_sp(int e)
{
    switch (e) {
    case ECONNREFUSED: return SP_ERR_REFUSED;
    case ETIMEDOUT: return SP_ERR_TIMEOUT;
    case EHOSTUNREACH:
    case ENETUNREACH:
    case EHOSTDOWN: return SP_ERR_UNREACH;
    case ECONNRESET:
    case EPIPE: return SP_ERR_CLOSED;
    default: return SP_ERR_IO;
    }
}

static int wait_fd(int fd, short events, int64_t deadline)
{
    struct pollfd p = {.fd = fd, .events = events};

    for (;;) {
        int n = poll(&p, 1, sp_ms_left(deadline));
        if (n > 0)
            return 0;
        if (n == 0)
            return SP_ERR_TIMEOUT;
        if (errno != EINTR)
            return SP_ERR_IO;
    }
}

#ifdef SP_FUZZ_NET
/*
 * A fuzz build (tests/fuzz/net_fuzz.c): every connection a probe opens is one
 * end of a socketpair whose other end plays the device with the fuzzer's
 * bytes, so session loops are driven through a real socket. The address is
 * never used: nothing leaves the process. Without SP_FUZZ_NET none of this is
 * compiled.
 */
int net_tcp_connect(const struct sp_target *t, int port, int64_t deadline)
{
    (void)t;
    return net_fuzz_tcp_connect(port, deadline);
}

int net_udp_open(const struct sp_target *t, int port)
{
    (void)t;
    return net_fuzz_udp_open(port);
}

/* Replies from any port are matched by source address, which a socketpair has not: no such socket here. */
int net_udp_open_any(const struct sp_target *t)
{
    (void)t;
    return SP_ERR_IO;
}
#else
int net_tcp_connect(const struct sp_target *t, int port, int64_t deadline)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int fd, rc, soerr = 0;
    socklen_t sl = sizeof(soerr);

    net_target_sockaddr(t, port, &ss, &len);
    fd = socket(t->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return SP_ERR_IO;
    if (connect(fd, (struct sockaddr *)&ss, len) == 0)
        return fd;
    if (errno != EINPROGRESS) {
        rc = errno_to_sp(errno);
        close(fd);
        return rc;
    }
    rc = wait_fd(fd, POLLOUT, deadline);
    if (rc != 0) {
        close(fd);
        return rc;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr != 0) {
        close(fd);
        return errno_to_sp(soerr ? soerr : errno);
    }
    return fd;
}

int net_udp_open(const struct sp_target *t, int port)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int fd;

    net_target_sockaddr(t, port, &ss, &len);
    fd = socket(t->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return SP_ERR_IO;
    if (connect(fd, (struct sockaddr *)&ss, len) != 0) {
        int rc = errno_to_sp(errno);
        close(fd);
        return rc;
    }
    return fd;
}

int net_udp_open_any(const struct sp_target *t)
{
    int fd = socket(t->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

    return fd < 0 ? SP_ERR_IO : fd;
}
#endif

static int same_host(const struct sp_target *t, const struct sockaddr_storage *from)
{
    if (from->ss_family != t->family)
        return 0;
    if (t->family == AF_INET6)
        return memcmp(&((const struct sockaddr_in6 *)from)->sin6_addr,
                      &((const struct sockaddr_in6 *)&t->addr)->sin6_addr,
                      sizeof(struct in6_addr)) == 0;
    return ((const struct sockaddr_in *)from)->sin_addr.s_addr ==
           ((const struct sockaddr_in *)&t->addr)->sin_addr.s_addr;
}

/*
 * Wait for one read. With only_from, the socket is unconnected: datagrams
 * from any other host are dropped, and an empty datagram is a datagram,
 * not a close.
 */
static ssize_t recv_wait(int fd, void *buf, size_t cap, int64_t deadline,
                         const struct sp_target *only_from, int *from_port)
{
    for (;;) {
        struct sockaddr_storage from;
        socklen_t fl = sizeof(from);
        ssize_t n = recvfrom(fd, buf, cap, 0, only_from ? (struct sockaddr *)&from : NULL,
                             only_from ? &fl : NULL);
        if (n > 0 || (n == 0 && only_from)) {
            if (only_from && !same_host(only_from, &from))
                continue;
            if (from_port)
                *from_port = from.ss_family == AF_INET6
                                 ? ntohs(((const struct sockaddr_in6 *)&from)->sin6_port)
                                 : ntohs(((const struct sockaddr_in *)&from)->sin_port);
            return n;
        }
        if (n == 0)
            return SP_ERR_CLOSED;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return errno_to_sp(errno);
        int rc = wait_fd(fd, POLLIN, deadline);
        if (rc != 0)
            return rc;
    }
}

ssize_t net_recvfrom_target(int fd, const struct sp_target *t, void *buf, size_t cap,
                            int64_t deadline)
{
    return recv_wait(fd, buf, cap, deadline, t, NULL);
}

ssize_t net_recvfrom_target_port(int fd, const struct sp_target *t, void *buf, size_t cap,
                                 int64_t deadline, int *port)
{
    return recv_wait(fd, buf, cap, deadline, t, port);
}

int net_sendto_target(int fd, const struct sp_target *t, int port, const void *buf, size_t len)
{
    struct sockaddr_storage ss;
    socklen_t sl;

    net_target_sockaddr(t, port, &ss, &sl);
    for (;;) {
        ssize_t n = sendto(fd, buf, len, MSG_NOSIGNAL, (struct sockaddr *)&ss, sl);
        if (n >= 0)
            return (size_t)n == len ? 0 : SP_ERR_IO;
        if (errno != EINTR)
            return errno_to_sp(errno);
    }
}

int net_send_all(int fd, const void *buf, size_t len, int64_t deadline)
{
    const uint8_t *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int rc = wait_fd(fd, POLLOUT, deadline);
            if (rc != 0)
                return rc;
            continue;
        }
        return errno_to_sp(errno);
    }
    return 0;
}

ssize_t net_recv(int fd, void *buf, size_t cap, int64_t deadline)
{
    return recv_wait(fd, buf, cap, deadline, NULL, NULL);
}

ssize_t net_recv_until(int fd, uint8_t *buf, size_t cap, int64_t deadline,
                       net_done_fn done, void *arg)
{
    size_t len = 0;

    while (len < cap) {
        ssize_t n = net_recv(fd, buf + len, cap - len, deadline);
        if (n == SP_ERR_TIMEOUT || n == SP_ERR_CLOSED)
            break;
        if (n < 0)
            return len ? (ssize_t)len : n;
        len += (size_t)n;
        if (done && done(buf, len, arg))
            break;
    }
    return (ssize_t)len;
}

ssize_t net_tcp_exchange(const struct sp_target *t, int port,
                         const void *req, size_t reqlen,
                         uint8_t *buf, size_t cap, int64_t deadline,
                         net_done_fn done, void *arg)
{
    ssize_t n;
    int fd = net_tcp_connect(t, port, deadline);

    if (fd < 0)
        return fd;
    if (reqlen > 0) {
        int rc = net_send_all(fd, req, reqlen, deadline);
        if (rc != 0) {
            close(fd);
            return rc;
        }
    }
    n = net_recv_until(fd, buf, cap, deadline, done, arg);
    close(fd);
    return n;
}

const char *net_strerror(int err)
{
    switch (err) {
    case SP_OK: return "ok";
    case SP_ERR_NOMEM: return "out of memory";
    case SP_ERR_IO: return "I/O error";
    case SP_ERR_PARSE: return "malformed data";
    case SP_ERR_TIMEOUT: return "timed out";
    case SP_ERR_REFUSED: return "connection refused";
    case SP_ERR_UNREACH: return "host unreachable";
    case SP_ERR_CLOSED: return "connection closed by peer";
    case SP_ERR_USAGE: return "usage error";
    case SP_ERR_CRASHED: return "the probe's worker process died";
    default: return "internal error";
    }
}
