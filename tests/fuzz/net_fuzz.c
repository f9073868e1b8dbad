/*
 * net_fuzz.c - the socket shim of the stateful fuzz targets (net_fuzz.h):
 * net_fuzz_tcp_connect and net_fuzz_udp_open, which harness/net.c calls
 * instead of connecting when built with SP_FUZZ_NET, and the feeder threads
 * that play the device. Linked only into fuzz binaries.
 */
#include <errno.h>
#include <linux/sockios.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "net_fuzz.h"
#include "starprobe.h"

/* More connections than any probe opens for one service; beyond it a connect is refused. */
#define NF_MAX_CONNS 160
/* Chunks delivered as reads of their own; prompts and replies are early in a session. */
#define NF_PACED 64
/* How long a lockstep chunk waits for the probe to speak first. */
#define NF_LOCKSTEP_MS 20

struct nf_conn {
    int dev;                    /* the device's end; -1 once a datagram device closed it */
    int dgram;
    int hold, lockstep;
    unsigned repeats;
    const uint8_t *sizes;
    size_t nsizes;
    const uint8_t *payload;
    size_t plen;
    pthread_t th;
    atomic_int peer_closed;     /* end of file seen: the probe closed its stream */
    atomic_ulong heard;         /* bytes the probe sent */
};

static struct {
    pthread_mutex_t lock;
    const uint8_t *p;           /* the records not used yet */
    size_t left;
    int more;                   /* a record (possibly empty) is still to come */
    atomic_int active, done;
    struct nf_conn conns[NF_MAX_CONNS];
    size_t n;
} nf = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The kernel's randomness outside a script, a constant inside one (net_fuzz.h says why). */
ssize_t getrandom(void *buf, size_t n, unsigned int flags)
{
    if (atomic_load(&nf.active)) {
        memset(buf, NET_FUZZ_RANDOM_BYTE, n);
        return (ssize_t)n;
    }
    return syscall(SYS_getrandom, buf, n, flags);
}

static size_t chunk_size(uint8_t b)
{
    return b < 128 ? (size_t)b + 1 : (size_t)(b - 128) * 32 + 1;
}

static void sleep_us(long us)
{
    struct timespec ts = {0, us * 1000};
    nanosleep(&ts, NULL);
}

/* Read and count what the probe sent; notes end of file on a stream. */
static void nf_drain(struct nf_conn *c)
{
    uint8_t buf[4096];

    if (c->dev < 0)
        return;
    for (;;) {
        ssize_t n = recv(c->dev, buf, sizeof(buf), MSG_DONTWAIT);
        if (n > 0) {
            atomic_fetch_add(&c->heard, (unsigned long)n);
            continue;
        }
        /*
         * A stream closed with our bytes still unread reports ECONNRESET once
         * before end of file: either way the probe has closed its end.
         */
        if (!c->dgram && (n == 0 || errno == ECONNRESET))
            atomic_store(&c->peer_closed, 1);
        return;
    }
}

static int nf_stop(struct nf_conn *c)
{
    return atomic_load(&nf.done) || atomic_load(&c->peer_closed);
}

/* Wait until the probe has read everything written, at most 5 ms. */
static void nf_wait_consumed(struct nf_conn *c)
{
    for (int i = 0; i < 50 && !nf_stop(c); i++) {
        int queued = 0;
        if (ioctl(c->dev, SIOCOUTQ, &queued) != 0 || queued == 0)
            return;
        nf_drain(c);
        sleep_us(100);
    }
}

/* Wait until the probe has sent more than since bytes in all; 0 when it did not within NF_LOCKSTEP_MS. */
static int nf_wait_heard(struct nf_conn *c, unsigned long since)
{
    struct pollfd p = {.fd = c->dev, .events = POLLIN};

    for (int i = 0; i < NF_LOCKSTEP_MS && !nf_stop(c); i++) {
        nf_drain(c);
        if (atomic_load(&c->heard) > since)
            return 1;
        (void)poll(&p, 1, 1);
    }
    nf_drain(c);
    return atomic_load(&c->heard) > since;
}

static void *nf_feed(void *arg)
{
    struct nf_conn *c = arg;
    size_t ci = 0, written = 0;
    int lockstep = c->lockstep;
    unsigned long seen = 0;

    for (unsigned r = 0; r < c->repeats && !nf_stop(c); r++) {
        size_t off = 0;
        while (off < c->plen && !nf_stop(c)) {
            size_t n = c->nsizes ? chunk_size(c->sizes[ci++ % c->nsizes]) : c->plen - off;
            if (n > c->plen - off)
                n = c->plen - off;
            if (lockstep) {
                lockstep = nf_wait_heard(c, seen);
                seen = atomic_load(&c->heard);
            }
            ssize_t w = send(c->dev, c->payload + off, n, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
                nf_drain(c);
                sleep_us(200);
                continue;
            }
            if (w <= 0)
                goto quiet;     /* the probe closed its end */
            off += (size_t)w;
            if (written++ < NF_PACED)
                nf_wait_consumed(c);
        }
    }
    if (!c->hold) {
        if (c->dgram) {
            close(c->dev);
            c->dev = -1;
            return NULL;
        }
        shutdown(c->dev, SHUT_WR);
    }
quiet:
    /* Keep reading what the probe sends, so its sends never block, until it closes or the input ends. */
    while (!nf_stop(c)) {
        struct pollfd p = {.fd = c->dev, .events = POLLIN};
        (void)poll(&p, 1, 1);
        nf_drain(c);
    }
    return NULL;
}

/* Cut the next record off the script; 0 when there is none. */
static int nf_next_record(const uint8_t **rec, size_t *len)
{
    const uint8_t *sep;

    if (!nf.more)
        return 0;
    *rec = nf.p;
    sep = memmem(nf.p, nf.left, NET_FUZZ_SEP, NET_FUZZ_SEP_LEN);
    if (sep) {
        *len = (size_t)(sep - nf.p);
        nf.p = sep + NET_FUZZ_SEP_LEN;
        nf.left -= *len + NET_FUZZ_SEP_LEN;
    } else {
        *len = nf.left;
        nf.p += nf.left;
        nf.left = 0;
        nf.more = 0;
    }
    return 1;
}

static int nf_open(int dgram)
{
    const uint8_t *rec;
    size_t len;
    struct nf_conn *c;
    pthread_attr_t attr;
    int sv[2], rc = SP_ERR_REFUSED;

    pthread_mutex_lock(&nf.lock);
    if (!atomic_load(&nf.active) || nf.n == NF_MAX_CONNS || !nf_next_record(&rec, &len))
        goto out;
    uint8_t flags = len > 0 ? rec[0] : 0;
    size_t k = len > 1 ? rec[1] % 16 : 0;
    if (k > (len > 2 ? len - 2 : 0))
        k = len > 2 ? len - 2 : 0;
    if (((flags >> 5) & 3) == 1)
        goto out;
    if (((flags >> 5) & 3) == 2) {
        rc = SP_ERR_TIMEOUT;
        goto out;
    }
    if (socketpair(AF_UNIX, (dgram ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
                   sv) != 0) {
        rc = SP_ERR_IO;
        goto out;
    }
    c = &nf.conns[nf.n];
    memset(c, 0, sizeof(*c));
    c->dev = sv[1];
    c->dgram = dgram;
    c->hold = flags & NET_FUZZ_HOLD;
    c->lockstep = (flags & NET_FUZZ_LOCKSTEP) != 0;
    c->repeats = ((flags >> 2) & 7) + 1;
    c->sizes = len > 2 ? rec + 2 : rec;
    c->nsizes = k;
    c->payload = len > 2 + k ? rec + 2 + k : rec;
    c->plen = len > 2 + k ? len - 2 - k : 0;
    atomic_init(&c->peer_closed, 0);
    atomic_init(&c->heard, 0);
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    if (pthread_create(&c->th, &attr, nf_feed, c) != 0) {
        pthread_attr_destroy(&attr);
        close(sv[0]);
        close(sv[1]);
        rc = SP_ERR_IO;
        goto out;
    }
    pthread_attr_destroy(&attr);
    nf.n++;
    rc = sv[0];
out:
    pthread_mutex_unlock(&nf.lock);
    return rc;
}

int net_fuzz_tcp_connect(int port, int64_t deadline)
{
    (void)port;
    /* A real connect with no time left fails the same way, whatever the device would say. */
    if (sp_ms_left(deadline) == 0)
        return SP_ERR_TIMEOUT;
    return nf_open(0);
}

int net_fuzz_udp_open(int port)
{
    (void)port;
    return nf_open(1);
}

void net_fuzz_begin(const uint8_t *script, size_t len)
{
    pthread_mutex_lock(&nf.lock);
    nf.p = script;
    nf.left = len;
    nf.more = 1;
    nf.n = 0;
    atomic_store(&nf.done, 0);
    atomic_store(&nf.active, 1);
    pthread_mutex_unlock(&nf.lock);
}

int net_fuzz_end(size_t *conns)
{
    int leaked = 0;

    pthread_mutex_lock(&nf.lock);
    atomic_store(&nf.done, 1);
    atomic_store(&nf.active, 0);
    for (size_t i = 0; i < nf.n; i++) {
        struct nf_conn *c = &nf.conns[i];
        pthread_join(c->th, NULL);
        if (c->dev < 0)
            continue;
        /*
         * Was the probe's end closed? A stream reads end of file once drained;
         * a datagram send to a closed peer is refused (an empty one is harmless
         * here: the input is over).
         */
        if (c->dgram) {
            if (send(c->dev, "", 0, MSG_DONTWAIT | MSG_NOSIGNAL) == 0)
                leaked++;
        } else {
            nf_drain(c);
            if (!atomic_load(&c->peer_closed))
                leaked++;
        }
        close(c->dev);
    }
    if (conns)
        *conns = nf.n;
    nf.n = 0;
    pthread_mutex_unlock(&nf.lock);
    return leaked;
}
