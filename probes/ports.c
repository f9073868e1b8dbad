/*
 * ports.c - the port probe. A TCP connect scan of the target (non-blocking,
 * many sockets in flight, with in-flight and rate limits), identification of
 * each open port from what it says or answers (probes/ident.c), and
 * protocol-correct UDP requests to the ports where IoT devices listen.
 *
 * It records facts only: services[] and the scan statistics. The rules of
 * ports.exposure (S1.1-13) turn them into a verdict, with the profile's
 * parameters.
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ident.h"
#include "ports.h"
#include "proto.h"
#include "run.h"

extern const struct probe probe_ports_exposure;

static const struct probe_param ports_params[] = {
    {"tcp_ports", "1-65535", "TCP ports to scan: ranges and single ports, comma-separated"},
    {"udp_ports", "[53, 67, 69, 123, 161, 500, 1900, 3702, 5353, 5683, 5684]",
     "UDP ports sent a protocol-correct request (then a DTLS ClientHello if silent; "
     "any port may be listed)"},
    {"plaintext_admin", "[telnet, ftp, tftp, rlogin, rsh, rexec, vnc, adb, snmp]",
     "services that FAIL whether declared or not"},
    {"inflight", "256", "TCP connects in flight at once (1-4096)"},
    {"rate", "0", "TCP connects started per second; 0 = no limit"},
    {"connect_timeout_ms", "1000", "a connect unanswered this long is filtered (retried once)"},
    {"silent_host_s", "6",
     "no TCP port answers or refuses this long (declared and common ports asked first) and no UDP "
     "port replies: the target is unreachable (exit 69); 0 scans every port of a silent host"},
    {"banner_wait_ms", "2000", "how long to wait for a service to speak first"},
    {"reply_wait_ms", "2000", "how long to wait for a reply to an identification probe"},
    {"udp_wait_ms", "1000", "how long to wait for a UDP reply (two tries)"},
    {NULL, NULL, NULL}};

/* ---- port lists ---- */

static int cmp_u16(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

int ports_parse_ranges(const char *spec, uint16_t **out, size_t *n)
{
    char *copy = xstrdup(spec), *save = NULL, *tok;
    uint8_t *seen = xcalloc(65536, 1);
    size_t cnt = 0;
    int rc = 0;

    for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        char *dash = strchr(tok, '-');
        long lo, hi;
        if (dash) {
            *dash = '\0';
            if (sp_parse_int(tok, 1, 65535, &lo) || sp_parse_int(dash + 1, 1, 65535, &hi) ||
                lo > hi) {
                rc = SP_ERR_PARSE;
                break;
            }
        } else if (sp_parse_int(tok, 1, 65535, &lo) == 0) {
            hi = lo;
        } else {
            rc = SP_ERR_PARSE;
            break;
        }
        for (long p = lo; p <= hi; p++)
            if (!seen[p]) {
                seen[p] = 1;
                cnt++;
            }
    }
    *out = NULL;
    *n = 0;
    if (rc == 0 && cnt == 0)
        rc = SP_ERR_PARSE;
    if (rc == 0) {
        *out = xcalloc(cnt, sizeof(**out));
        for (long p = 1; p < 65536; p++)
            if (seen[p])
                (*out)[(*n)++] = (uint16_t)p;
        qsort(*out, *n, sizeof(**out), cmp_u16);
    }
    free(seen);
    free(copy);
    return rc;
}

/* ---- TCP connect scan ---- */

struct slot {
    int fd;
    uint16_t port;
    int64_t started;
};

enum port_state { PS_UNKNOWN, PS_OPEN, PS_CLOSED, PS_FILTERED };

struct scan {
    struct run *r;
    const uint16_t *ports;
    size_t nports;
    uint8_t *state;           /* enum port_state per index */
    int inflight;
    long rate;
    int timeout_ms;
    /* What the kernel said: an answer (open or closed) proves the host is up. */
    size_t answered, unreachable;
    int last_unreach_errno;
    /*
     * A host that drops everything: after silent_ms with not one answer, and
     * once the first npriority ports (the declared and common ones, asked
     * first) are settled, the pass stops and sets `silent`.
     */
    int64_t silent_ms;
    size_t npriority;
    int silent;
};

/*
 * Enough "host unreachable" errors from the kernel, and no port answering,
 * to call the host down: a wrong address on the lab's own network (ARP gets
 * no reply) then costs seconds, not a full scan of silence. A host that
 * drops everything silently is not caught here; that takes the full scan.
 */
#define SCAN_UNREACH_VERDICT 8

/* UDP ports asked at once (each a datagram and its wait, no connection). */
#define UDP_WIDTH 16

static int unreach_errno(int e)
{
    return e == EHOSTUNREACH || e == ENETUNREACH || e == EHOSTDOWN || e == ENETDOWN;
}

static void slot_finish(struct scan *sc, struct slot *s, size_t idx_of_port, enum port_state st)
{
    if (st == PS_OPEN) {
        /* Reset rather than FIN: no TIME_WAIT here, no half-open session there. */
        struct linger lg = {1, 0};
        setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    }
    close(s->fd);
    s->fd = -1;
    sc->state[idx_of_port] = (uint8_t)st;
    if (st == PS_OPEN || st == PS_CLOSED)
        sc->answered++;
}

static enum port_state errno_state(int e)
{
    if (e == 0)
        return PS_OPEN;
    if (e == ECONNREFUSED)
        return PS_CLOSED;
    return PS_FILTERED;
}

/* Record the connect error behind a PS_FILTERED port, for the host-down call. */
static enum port_state note_errno(struct scan *sc, int e)
{
    if (unreach_errno(e)) {
        sc->unreachable++;
        sc->last_unreach_errno = e;
    }
    return errno_state(e);
}

/*
 * Connect to every port in idx[] (indices into sc->ports). Ports that time
 * out are left PS_FILTERED; a second pass may retry them. Returns 0,
 * SP_ERR_TIMEOUT when the run deadline stopped the scan, or SP_ERR_UNREACH
 * when the kernel called the host unreachable and no port ever answered.
 */
static int scan_pass(struct scan *sc, const size_t *idx, size_t n, const char *what)
{
    struct slot *slots = xcalloc((size_t)sc->inflight, sizeof(*slots));
    struct pollfd *pfd = xcalloc((size_t)sc->inflight, sizeof(*pfd));
    size_t *slot_idx = xcalloc((size_t)sc->inflight, sizeof(*slot_idx));
    size_t next = 0, done = 0;
    int active = 0, rc = 0;
    int64_t t_start = sp_now_ms();
    struct sockaddr_storage ss;
    socklen_t sl;

    for (int i = 0; i < sc->inflight; i++)
        slots[i].fd = -1;
    while (next < n || active > 0) {
        int64_t now = sp_now_ms();

        if (run_expired(sc->r)) {
            rc = SP_ERR_TIMEOUT;
            break;
        }
        /* Start connects while there is room and the rate allows. */
        for (int i = 0; i < sc->inflight && next < n; i++) {
            if (slots[i].fd >= 0)
                continue;
            if (sc->rate > 0 && (int64_t)next * 1000 / sc->rate > now - t_start)
                break;
            size_t k = idx[next++];
            int fd = socket(sc->r->target.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                /* Out of descriptors: try this port again once a slot frees. */
                next--;
                break;
            }
            net_target_sockaddr(&sc->r->target, sc->ports[k], &ss, &sl);
            slots[i] = (struct slot){fd, sc->ports[k], now};
            slot_idx[i] = k;
            if (connect(fd, (struct sockaddr *)&ss, sl) == 0) {
                slot_finish(sc, &slots[i], k, PS_OPEN);
                done++;
            } else if (errno != EINPROGRESS) {
                slot_finish(sc, &slots[i], k, note_errno(sc, errno));
                done++;
            } else {
                active++;
            }
        }
        /* Wait for the sockets in flight. */
        int np = 0;
        int map[4096];
        for (int i = 0; i < sc->inflight; i++)
            if (slots[i].fd >= 0) {
                pfd[np].fd = slots[i].fd;
                pfd[np].events = POLLOUT;
                pfd[np].revents = 0;
                map[np++] = i;
            }
        int wait = 20;
        if (np > 0 && poll(pfd, (nfds_t)np, wait) < 0 && errno != EINTR) {
            rc = SP_ERR_IO;
            break;
        }
        if (np == 0 && next < n) {
            usleep(1000); /* rate-limited: wait for the next start time */
            continue;
        }
        now = sp_now_ms();
        for (int j = 0; j < np; j++) {
            struct slot *s = &slots[map[j]];
            if (pfd[j].revents) {
                int err = 0;
                socklen_t el = sizeof(err);
                if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0)
                    err = errno;
                slot_finish(sc, s, slot_idx[map[j]], note_errno(sc, err));
                active--;
                done++;
            } else if (now - s->started >= sc->timeout_ms) {
                slot_finish(sc, s, slot_idx[map[j]], PS_FILTERED);
                active--;
                done++;
            }
        }
        run_progress(sc->r, 0, "ports: %s %zu/%zu", what, done, n);
        if (sc->answered == 0 && sc->unreachable >= SCAN_UNREACH_VERDICT) {
            rc = SP_ERR_UNREACH;
            break;
        }
        if (sc->silent_ms > 0 && sc->answered == 0 && done >= sc->npriority &&
            now - t_start >= sc->silent_ms) {
            sc->silent = 1;
            rc = SP_ERR_UNREACH;
            break;
        }
    }
    for (int i = 0; i < sc->inflight; i++)
        if (slots[i].fd >= 0)
            close(slots[i].fd);
    free(slots);
    free(pfd);
    free(slot_idx);
    return rc;
}

/*
 * Ports asked first, so that a host which drops everything else is known to
 * be silent on them before the silent-host rule applies: the declared TCP
 * ports and the ones IoT devices and their management most often listen on.
 */
static const uint16_t common_tcp[] = {
    21, 22, 23, 25, 53, 80, 81, 88, 110, 139, 143, 443, 445, 502, 554, 1080, 1723, 1883, 2323,
    3306, 3389, 5000, 5001, 5060, 5555, 5900, 7547, 8000, 8008, 8080, 8081, 8088, 8443, 8554,
    8883, 8888, 9000, 9100, 10000, 37777, 49152, 49153, 62078};

static int port_is_priority(const struct run *r, uint16_t port)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(common_tcp); i++)
        if (common_tcp[i] == port)
            return 1;
    for (size_t i = 0; r->device && i < r->device->nservices; i++)
        if (r->device->services[i].transport == T_TCP && r->device->services[i].port == port)
            return 1;
    return 0;
}

/*
 * The TCP connect scan. With silent_ok, a host that neither answers nor
 * refuses any port for the check's silent_host_s stops the scan early:
 * SP_ERR_UNREACH with *silent set, for the caller to confirm over UDP.
 */
static int tcp_scan(struct run *r, const struct check *c, int silent_ok, int *silent,
                    uint16_t **open_out, size_t *nopen)
{
    struct scan sc = {.r = r};
    const struct ynode *pn = c ? check_param(c, "tcp_ports") : NULL;
    const char *spec = pn && pn->type == Y_SCALAR ? pn->value : "1-65535";
    size_t *idx, nidx = 0, tried = 0;
    uint16_t *ports;
    size_t nports;
    int rc;
    int64_t t0 = sp_now_ms();

    if (ports_parse_ranges(spec, &ports, &nports) != 0) {
        snprintf(r->scan.why_incomplete, sizeof(r->scan.why_incomplete),
                 "bad tcp_ports '%s'", spec);
        return SP_ERR_PARSE;
    }
    sc.ports = ports;
    sc.nports = nports;
    sc.state = xcalloc(nports, 1);
    sc.inflight = (int)(c ? check_param_int(c, "inflight", 256) : 256);
    if (sc.inflight < 1)
        sc.inflight = 1;
    if (sc.inflight > 4096)
        sc.inflight = 4096;
    sc.rate = c ? check_param_int(c, "rate", 0) : 0;
    sc.timeout_ms = (int)(c ? check_param_int(c, "connect_timeout_ms", 1000) : 1000);

    /* Leave room for the descriptors: inflight sockets plus our own files. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)sc.inflight + 64) {
        rl.rlim_cur = rl.rlim_max < (rlim_t)sc.inflight + 64 ? rl.rlim_max : (rlim_t)sc.inflight + 64;
        setrlimit(RLIMIT_NOFILE, &rl);
        if ((rlim_t)sc.inflight + 64 > rl.rlim_cur && rl.rlim_cur > 64)
            sc.inflight = (int)(rl.rlim_cur - 64);
    }

    /* The declared and common ports first, then the rest in order. */
    idx = xcalloc(nports, sizeof(*idx));
    for (size_t i = 0; i < nports; i++)
        if (port_is_priority(r, ports[i]))
            idx[nidx++] = i;
    sc.npriority = nidx;
    for (size_t i = 0; i < nports; i++)
        if (!port_is_priority(r, ports[i]))
            idx[nidx++] = i;
    nidx = 0;
    if (silent_ok && c)
        sc.silent_ms = check_param_int(c, "silent_host_s", 6) * 1000;
    else if (silent_ok)
        sc.silent_ms = 6000;
    run_progress(r, 1, "ports: TCP connect scan of %zu ports on %s (%d in flight)", nports,
                 r->target.addrstr, sc.inflight);
    rc = scan_pass(&sc, idx, nports, "tcp");
    /* One retry for the silent ports: a lost SYN must not hide a service. */
    sc.silent_ms = 0;
    if (rc == 0) {
        for (size_t i = 0; i < nports; i++)
            if (sc.state[i] == PS_FILTERED)
                idx[nidx++] = i;
        if (nidx > 0 && nidx < nports)
            rc = scan_pass(&sc, idx, nidx, "tcp retry");
    }

    r->scan.tcp_ports = (long)nports;
    *nopen = 0;
    *open_out = xcalloc(nports, sizeof(**open_out));
    for (size_t i = 0; i < nports; i++) {
        tried += sc.state[i] != PS_UNKNOWN;
        switch (sc.state[i]) {
        case PS_OPEN: (*open_out)[(*nopen)++] = ports[i]; r->scan.tcp_open++; break;
        case PS_CLOSED: r->scan.tcp_closed++; break;
        default: r->scan.tcp_filtered++; break;
        }
    }
    r->scan.tcp_done = 1;
    r->scan.tcp_complete = rc == 0;
    *silent = sc.silent;
    if (rc == SP_ERR_UNREACH && sc.silent)
        snprintf(r->scan.why_incomplete, sizeof(r->scan.why_incomplete),
                 "the host is unreachable: no TCP port answered or refused in %.1f s "
                 "(%zu ports tried, the declared and %zu common ones among them)",
                 (double)(sp_now_ms() - t0) / 1000.0, tried, SP_ARRAY_LEN(common_tcp));
    else if (rc == SP_ERR_UNREACH)
        snprintf(r->scan.why_incomplete, sizeof(r->scan.why_incomplete),
                 "the host is unreachable (%s on %zu ports, no port answered)",
                 strerror(sc.last_unreach_errno), sc.unreachable);
    else if (rc == SP_ERR_TIMEOUT)
        snprintf(r->scan.why_incomplete, sizeof(r->scan.why_incomplete),
                 "the run deadline (%d s) stopped the TCP scan", r->opt.deadline_s);
    r->scan.tcp_ms = sp_now_ms() - t0;
    free(idx);
    free(sc.state);
    free(ports);
    return rc;
}

/* ---- identification of open TCP ports ---- */

struct ident_job {
    const uint16_t *ports;
    const struct check *chk;
};

/* Stop listening for a banner as soon as it identifies the service. */
static int banner_done(const uint8_t *buf, size_t len, void *arg)
{
    struct ident_result tmp;
    (void)arg;
    return ident_banner(buf, len, &tmp) || ident_any(buf, len, &tmp);
}

static int hinted(const struct ident_probe *p, long port)
{
    for (const long *h = p->hint_ports; h && *h; h++)
        if (*h == port)
            return 1;
    return 0;
}

static void record(struct run *r, struct service *s, const struct ident_result *id,
                   const uint8_t *reply, size_t len)
{
    pthread_mutex_lock(&r->lock);
    sp_strlcpy(s->name, id->service[0] ? id->service : "unknown", sizeof(s->name));
    free(s->ident);
    s->ident = id->detail[0] ? xstrdup(id->detail) : NULL;
    if (id->banner[0]) {
        free(s->banner);
        s->banner = xstrdup(id->banner);
    }
    s->replylen = len < sizeof(s->reply) ? len : sizeof(s->reply);
    if (reply && s->replylen)
        memcpy(s->reply, reply, s->replylen);
    pthread_mutex_unlock(&r->lock);
}

/*
 * Identification exchanges in parallel: several connections to one port,
 * each listening for a greeting (probe NULL) or carrying one request, read
 * together under one poll(). Replies are judged in the order of the slots,
 * which is the order of preference (the greeting, then the probe table's
 * order); a slot whose reply is recognised decides as soon as it is complete,
 * so a port that answers its first request costs one round trip, and a port
 * silent to everything costs one wait instead of one per probe.
 */
#define IDENT_SLOTS 8
#define IDENT_BUF 8192
/* How long a port may stay silent before it is asked every request at once. */
#define IDENT_ASK_AFTER_MS 500

struct ident_slot {
    const struct ident_probe *probe;    /* NULL: listen for a greeting */
    int fd;
    int done;
    int64_t deadline;
    size_t len;
    uint8_t *buf;
    int64_t start;              /* connect no sooner (0: at once); -1 once connected */
    int wait_ms;                /* its deadline, counted from the connect */
};

/* Connect slot k and send its request; a slot that cannot is done. */
static void slot_start(struct run *r, long port, struct ident_slot *x)
{
    uint8_t req[2048];

    x->start = -1;
    x->deadline = run_op_deadline(r, x->wait_ms);
    x->fd = net_tcp_connect(&r->target, (int)port, run_op_deadline(r, 5000));
    x->done = x->fd < 0;
    if (x->fd >= 0 && x->probe) {
        size_t reqlen = x->probe->build(req, sizeof(req), r->target.addrstr, port);
        if (reqlen == 0 || net_send_all(x->fd, req, reqlen, run_op_deadline(r, 2000)) != 0) {
            x->done = 1;
            close(x->fd);
            x->fd = -1;
        }
    }
}

/* Does slot x's reply identify the service? Fills *id. */
static int slot_match(const struct ident_slot *x, struct ident_result *id)
{
    memset(id, 0, sizeof(*id));
    if (x->len == 0)
        return 0;
    if (!x->probe)
        return ident_banner(x->buf, x->len, id) || ident_any(x->buf, x->len, id);
    return x->probe->match(x->buf, x->len, id) || ident_any(x->buf, x->len, id);
}

static int slot_complete(const struct ident_slot *x)
{
    return x->probe ? ident_reply_done(x->buf, x->len, NULL) : banner_done(x->buf, x->len, NULL);
}

/*
 * Run the slots to the end or until one identifies the port. Returns the
 * index of the deciding slot, or -1. Every descriptor is closed on return.
 */
static int ident_slots_run(struct run *r, long port, struct ident_slot *x, size_t n)
{
    int decided = -1;
    int64_t t0 = sp_now_ms();

    for (size_t k = 0; k < n; k++) {
        x[k].fd = -1;
        if (x[k].start <= 0)
            slot_start(r, port, &x[k]);
        else
            x[k].start += t0;
    }
    for (;;) {
        struct pollfd pfd[IDENT_SLOTS];
        size_t map[IDENT_SLOTS], np = 0, pending = 0;
        int64_t now = sp_now_ms(), wait = -1;

        /* The first slot, in order of preference, that is complete and recognised decides. */
        for (size_t k = 0; k < n && decided < 0; k++) {
            struct ident_result tmp;
            if (x[k].done && slot_match(&x[k], &tmp))
                decided = (int)k;
        }
        if (decided >= 0 || run_expired(r))
            break;
        for (size_t k = 0; k < n; k++) {
            if (x[k].done)
                continue;
            if (x[k].start > 0) {
                /* Not asked yet: asked once its time comes, if nothing decided first. */
                if (now < x[k].start) {
                    pending++;
                    if (wait < 0 || x[k].start - now < wait)
                        wait = x[k].start - now;
                    continue;
                }
                slot_start(r, port, &x[k]);
                if (x[k].done)
                    continue;
            }
            if (now >= x[k].deadline) {
                /* Closed now: a device serving one connection at a time then takes the next. */
                x[k].done = 1;
                close(x[k].fd);
                x[k].fd = -1;
                continue;
            }
            if (wait < 0 || x[k].deadline - now < wait)
                wait = x[k].deadline - now;
            pfd[np] = (struct pollfd){.fd = x[k].fd, .events = POLLIN};
            map[np++] = k;
        }
        if (np == 0 && pending == 0)
            break;
        if (poll(pfd, np, (int)(wait > 200 ? 200 : wait)) < 0 && errno != EINTR)
            break;
        for (size_t j = 0; j < np; j++) {
            struct ident_slot *s = &x[map[j]];
            ssize_t got;
            if (!pfd[j].revents)
                continue;
            got = recv(s->fd, s->buf + s->len, IDENT_BUF - s->len, MSG_DONTWAIT);
            if (got > 0)
                s->len += (size_t)got;
            else if (got == 0 || (errno != EAGAIN && errno != EINTR))
                s->done = 1;
            if (s->len == IDENT_BUF || (s->len > 0 && slot_complete(s)))
                s->done = 1;
            if (s->done) {
                close(s->fd);
                s->fd = -1;
            }
        }
    }
    for (size_t k = 0; k < n; k++)
        if (x[k].fd >= 0) {
            close(x[k].fd);
            x[k].fd = -1;
        }
    return decided;
}

static void ident_one(struct run *r, size_t i, void *arg)
{
    struct ident_job *job = arg;
    long port = job->ports[i];
    struct service *s = run_add_service(r, port, T_TCP);
    int banner_ms = (int)check_param_int(job->chk, "banner_wait_ms", 2000);
    int reply_ms = (int)check_param_int(job->chk, "reply_wait_ms", 2000);
    struct ident_result id;
    struct ident_slot x[IDENT_SLOTS];
    uint8_t *bufs = xmalloc((size_t)IDENT_SLOTS * IDENT_BUF);
    size_t n = 0;
    int k;

    memset(&id, 0, sizeof(id));
    memset(x, 0, sizeof(x));
    run_progress(r, 0, "ports: identifying tcp/%ld", port);
    /*
     * First listen, since many services speak first (SSH, telnet, FTP, VNC),
     * and at the same time ask in the protocol this port usually carries
     * (HTTP on 80, TLS on 443, MQTT on 1883): a reply to it decides at once.
     * That request waits a greeting's time longer, for a device that serves
     * one connection at a time. A port that has said nothing after
     * IDENT_ASK_AFTER_MS is asked every other request too, each on its own
     * connection, while the greeting's wait runs on: services that speak
     * first do so at once, so they are spared the requests.
     */
    x[n++] = (struct ident_slot){.probe = NULL, .wait_ms = banner_ms};
    for (size_t j = 0; j < ident_tcp_nprobes && n < IDENT_SLOTS; j++)
        if (hinted(&ident_tcp_probes[j], port))
            x[n++] = (struct ident_slot){.probe = &ident_tcp_probes[j], .wait_ms = banner_ms + reply_ms};
    for (size_t j = 0; j < ident_tcp_nprobes && n < IDENT_SLOTS; j++)
        if (!hinted(&ident_tcp_probes[j], port))
            x[n++] = (struct ident_slot){.probe = &ident_tcp_probes[j], .wait_ms = reply_ms,
                                         .start = IDENT_ASK_AFTER_MS};
    for (size_t j = 0; j < n; j++)
        x[j].buf = bufs + j * IDENT_BUF;
    k = ident_slots_run(r, port, x, n);
    if (x[0].len > 0)
        slot_match(&x[0], &id);     /* what it said first, recognised or not */
    if (k > 0) {
        struct ident_result got;
        slot_match(&x[k], &got);
        if (!got.banner[0] && id.banner[0])
            sp_strlcpy(got.banner, id.banner, sizeof(got.banner));
        id = got;
    }
    if (k >= 0)
        record(r, s, &id, x[k].buf, x[k].len);
    else if (x[0].len > 0)
        record(r, s, &id, x[0].buf, x[0].len);     /* spoke, but nothing we know: keep it */
    /* TLS: look inside when the library can (TLS 1.0-1.2). */
    if (s->transport == T_TCP && proto_has(s, PROTO_TLS_OPAQUE, NULL) && !run_expired(r)) {
        struct ident_result in;
        memset(&in, 0, sizeof(in));
        int inner = tls_inner_identify(&r->target, port, run_op_deadline(r, 3 * reply_ms), &in);
        /* Either way the evidence says what was inside, or why it stays unknown. */
        pthread_mutex_lock(&r->lock);
        if (inner == 0)
            sp_strlcpy(s->name, in.service, sizeof(s->name));
        char *both = xasprintf("%s; inside TLS: %s%s", s->ident ? s->ident : "TLS",
                               inner == 0 ? "" : "not identified: ",
                               in.detail[0] ? in.detail : net_strerror(inner));
        free(s->ident);
        s->ident = both;
        pthread_mutex_unlock(&r->lock);
    }
    free(bufs);
}

/* ---- UDP ---- */

/*
 * UDP identification: every request the table has for a port, and a DTLS
 * ClientHello (a port silent to its own protocol may still speak DTLS: CoAPS,
 * or a vendor service moved off 5684), each from a socket of its own, all at
 * once. A port then costs one wait however many requests it is asked; the
 * replies are judged afterwards in the table's order, so the result is the
 * one asking them one after another would give.
 */
struct udp_item {
    long port;
    const struct udp_probe *probe;
    int got;                  /* 1 recognised, -1 refused (ICMP), 0 silent */
    struct ident_result id;
    uint8_t reply[256];
    size_t replylen;
};

/* One request, two tries, from its own socket. */
static void udp_item_run(struct run *r, size_t i, void *arg)
{
    struct udp_item *it = &((struct udp_item *)arg)[i];
    const struct udp_probe *p = it->probe;
    int wait = (int)check_param_int(run_check_for(r, &probe_ports_exposure), "udp_wait_ms", 1000);
    uint8_t req[1024], buf[4096];
    struct sockaddr_storage to;
    socklen_t tolen;
    size_t reqlen = p->build(req, sizeof(req), (uint16_t)(sp_now_ms() ^ (it->port * 7919) ^ i));
    /*
     * Some protocols answer from a fresh port (TFTP's RFC 1350 transfer IDs),
     * which a connected socket would discard: listen unconnected and accept
     * any datagram from the target's address. TFTP is plaintext
     * administration, so missing it would be a false PASS.
     */
    int any_port = p->any_source_port;
    int fd = any_port ? net_udp_open_any(&r->target) : net_udp_open(&r->target, (int)it->port);

    if (fd < 0)
        return;
    net_target_sockaddr(&r->target, (int)it->port, &to, &tolen);
    for (int attempt = 0; attempt < 2 && reqlen > 0 && it->got == 0 && !run_expired(r); attempt++) {
        int64_t dl = run_op_deadline(r, wait);
        if ((any_port ? sendto(fd, req, reqlen, MSG_NOSIGNAL, (struct sockaddr *)&to, tolen)
                      : send(fd, req, reqlen, MSG_NOSIGNAL)) < 0) {
            if (errno == ECONNREFUSED)
                it->got = -1;
            break;
        }
        for (;;) {
            ssize_t n = any_port ? net_recvfrom_target(fd, &r->target, buf, sizeof(buf), dl)
                                 : net_recv(fd, buf, sizeof(buf), dl);
            if (n == SP_ERR_REFUSED) {
                it->got = -1;
                break;
            }
            if (n <= 0)
                break;
            memset(&it->id, 0, sizeof(it->id));
            if (p->match(req, reqlen, buf, (size_t)n, &it->id)) {
                it->got = 1;
                it->replylen = (size_t)n < sizeof(it->reply) ? (size_t)n : sizeof(it->reply);
                memcpy(it->reply, buf, it->replylen);
                break;
            }
            /* A datagram that is not an answer to our request: keep listening. */
        }
    }
    close(fd);
}

/* The items for these ports: each table request of a port, then DTLS unless that is its own. */
static struct udp_item *udp_items(const long *ports, size_t nports, size_t *n)
{
    const struct udp_probe *dtls = ident_udp_probe_named("dtls");
    struct udp_item *items = xcalloc(nports * (ident_udp_nprobes + 1) + 1, sizeof(*items));
    size_t k = 0;

    for (size_t i = 0; i < nports; i++) {
        const struct udp_probe *first = ident_udp_probe(ports[i]);
        for (const struct udp_probe *q = first; q; q = ident_udp_probe_after(ports[i], q))
            items[k++] = (struct udp_item){.port = ports[i], .probe = q};
        if (dtls && first != dtls)
            items[k++] = (struct udp_item){.port = ports[i], .probe = dtls};
    }
    *n = k;
    return items;
}

/* The UDP ports the check names, or each port of the request table once. */
static long *udp_port_list(const struct check *c, size_t *np)
{
    const struct ynode *l = c ? check_param(c, "udp_ports") : NULL;
    long *ports;
    size_t n = 0;

    if (l && l->type == Y_SEQ) {
        ports = xcalloc(l->n, sizeof(*ports));
        for (size_t i = 0; i < l->n; i++) {
            long p;
            if (l->items[i]->type == Y_SCALAR && sp_parse_int(l->items[i]->value, 1, 65535, &p) == 0)
                ports[n++] = p;
        }
    } else {
        ports = xcalloc(ident_udp_nprobes, sizeof(*ports));
        for (size_t i = 0; i < ident_udp_nprobes; i++)
            if (ident_udp_probe(ident_udp_probes[i].port) == &ident_udp_probes[i])
                ports[n++] = ident_udp_probes[i].port;      /* each port once */
    }
    *np = n;
    return ports;
}

struct udp_alive {
    const long *ports;
    int answered;             /* a reply or an ICMP refusal came back */
};

/*
 * Is anything there? The first request of each port's protocol (a DTLS
 * ClientHello where the table has none), sent twice: any datagram back, or
 * the kernel's port-unreachable, proves the host up. Nothing is recorded.
 */
static void udp_alive_one(struct run *r, size_t i, void *arg)
{
    struct udp_alive *ua = arg;
    long port = ua->ports[i];
    const struct udp_probe *p = ident_udp_probe(port);
    int wait = (int)check_param_int(run_check_for(r, &probe_ports_exposure), "udp_wait_ms", 1000);
    uint8_t req[1024], buf[1024];
    size_t reqlen;
    int fd;

    if (!p || p->any_source_port)
        p = ident_udp_probe_named("dtls");
    if (!p || (fd = net_udp_open(&r->target, (int)port)) < 0)
        return;
    reqlen = p->build(req, sizeof(req), (uint16_t)(sp_now_ms() ^ (port * 7919)));
    for (int attempt = 0; attempt < 2 && reqlen > 0 && !run_expired(r); attempt++) {
        ssize_t n;
        if (send(fd, req, reqlen, MSG_NOSIGNAL) < 0 && errno != ECONNREFUSED)
            break;
        n = net_recv(fd, buf, sizeof(buf), run_op_deadline(r, wait));
        if (n > 0 || n == SP_ERR_REFUSED) {
            pthread_mutex_lock(&r->lock);
            ua->answered = 1;
            pthread_mutex_unlock(&r->lock);
            break;
        }
    }
    close(fd);
}

static int udp_host_answers(struct run *r, const struct check *c)
{
    size_t n;
    long *ports = udp_port_list(c, &n);
    struct udp_alive ua = {ports, 0};

    run_parallel_width(r, n, UDP_WIDTH, udp_alive_one, &ua);
    free(ports);
    return ua.answered;
}

static int udp_probe_all(struct run *r, const struct check *c)
{
    size_t nports, n;
    long *ports = udp_port_list(c, &nports);
    struct udp_item *items = udp_items(ports, nports, &n);
    int64_t t0 = sp_now_ms();

    run_progress(r, 1, "ports: UDP requests to %zu ports (%zu requests)", nports, n);
    run_parallel_width(r, n, UDP_WIDTH, udp_item_run, items);
    /* Per port, in the table's order: the first recognised answer, else a refusal, else silence. */
    for (size_t i = 0; i < nports; i++) {
        const struct udp_item *hit = NULL;
        int refused = 0;
        for (size_t k = 0; k < n && !hit; k++)
            if (items[k].port == ports[i]) {
                if (items[k].got > 0)
                    hit = &items[k];
                refused |= items[k].got < 0;
            }
        if (hit)
            record(r, run_add_service(r, ports[i], T_UDP), &hit->id, hit->reply, hit->replylen);
        pthread_mutex_lock(&r->lock);
        if (hit)
            r->scan.udp_open++;
        else if (refused)
            r->scan.udp_closed++;
        else
            r->scan.udp_silent++;
        pthread_mutex_unlock(&r->lock);
    }
    r->scan.udp_ports = (long)nports;
    r->scan.udp_done = 1;
    r->scan.udp_complete = !run_expired(r);
    r->scan.udp_ms = sp_now_ms() - t0;
    free(items);
    free(ports);
    return r->scan.udp_complete ? 0 : SP_ERR_TIMEOUT;
}

struct udp_thread {
    struct run *r;
    const struct check *c;
    int rc;
};

static void *udp_thread_main(void *arg)
{
    struct udp_thread *ut = arg;

    ut->rc = udp_probe_all(ut->r, ut->c);
    return NULL;
}

static int scan_gather(struct run *r)
{
    /* A profile without ports.exposure (uk-psti) still needs the scan: the probe's defaults. */
    static const struct check dflt = {.probe = &probe_ports_exposure, .with = NULL};
    const struct check *found = run_check_for(r, &probe_ports_exposure);
    const struct check *c = found ? found : &dflt;
    uint16_t *open = NULL;
    size_t nopen = 0;
    int rc, urc, silent = 0;
    struct ident_job job;

    rc = tcp_scan(r, c, 1, &silent, &open, &nopen);
    if (rc == SP_ERR_UNREACH && silent) {
        /*
         * Not one TCP answer: before calling the host down, ask its UDP ports.
         * A device that drops TCP but answers there (or whose kernel says a UDP
         * port is closed) is up, and its TCP ports are scanned to the end.
         */
        run_progress(r, 1, "ports: no TCP answer in %lld s; asking UDP before calling %s down",
                     (long long)(r->scan.tcp_ms / 1000), r->target.addrstr);
        if (udp_host_answers(r, c)) {
            free(open);
            r->scan.tcp_open = r->scan.tcp_closed = r->scan.tcp_filtered = 0;
            r->scan.why_incomplete[0] = '\0';
            run_progress(r, 1, "ports: UDP answered; scanning every TCP port");
            rc = tcp_scan(r, c, 0, &silent, &open, &nopen);
        } else {
            size_t n = strlen(r->scan.why_incomplete);
            snprintf(r->scan.why_incomplete + n, sizeof(r->scan.why_incomplete) - n,
                     "; no UDP port replied either");
        }
    }
    if (rc == SP_ERR_UNREACH) {
        /* Nothing to identify, and UDP to a host the kernel cannot reach proves nothing more. */
        r->unreachable = 1;
        run_progress(r, 1, "ports: %s", r->scan.why_incomplete);
        free(open);
        return rc;
    }
    run_progress(r, 1, "ports: %ld open, %ld closed, %ld filtered TCP ports in %.1f s; identifying",
                 r->scan.tcp_open, r->scan.tcp_closed, r->scan.tcp_filtered,
                 (double)r->scan.tcp_ms / 1000.0);
    job.ports = open;
    job.chk = c;
    /*
     * The UDP requests wait on other ports than identification does: run
     * them beside it, so a silent UDP port costs no time of its own.
     */
    {
        struct udp_thread ut = {r, c, 0};
        pthread_t th;
        int threaded = pthread_create(&th, NULL, udp_thread_main, &ut) == 0;

        run_parallel(r, nopen, ident_one, &job);
        /*
         * A port whose identification the deadline cut (or never started)
         * is an open port of unknown kind: the scan is not complete, so no
         * rule that reads it may conclude from it.
         */
        if (run_expired(r))
            r->scan.tcp_complete = 0;
        if (threaded)
            pthread_join(th, NULL);
        else
            udp_thread_main(&ut);
        urc = ut.rc;
    }
    free(open);
    if (r->scan.tcp_open == 0 && r->scan.tcp_closed == 0 && r->scan.udp_open == 0 &&
        r->scan.udp_closed == 0)
        r->unreachable = 1;
    if (run_expired(r) && r->scan.why_incomplete[0] == '\0')
        snprintf(r->scan.why_incomplete, sizeof(r->scan.why_incomplete),
                 "the run deadline (%d s) passed during identification", r->opt.deadline_s);
    return rc ? rc : urc;
}

const struct gatherer gatherer_scan = {
    .name = "scan",
    .needs = NULL,
    .gather = scan_gather,
};

/* ---- the S1.1-13 rule ---- */

/*
 * Does a declared service name fit what was found? The handlers say which
 * names are one protocol (proto.h): a device that declared "https" and answers
 * TLS whose inside we could not see is not a mismatch, nor one that declared
 * "snmp" and answers SNMPv3 discovery; one that declared "https" or "coaps"
 * and answers in the clear is. A declared
 * name no handler knows is free text and fits anything.
 */
int ports_service_compatible(const char *declared, const char *found)
{
    char dl[32];
    const struct proto *dp, *fp;
    int dtls_d = 0, tls_f = 0;
    size_t i;

    if (!declared || !found || strcasecmp(declared, found) == 0 || strcmp(found, "unknown") == 0)
        return 1;
    for (i = 0; declared[i] && i + 1 < sizeof(dl); i++)
        dl[i] = (char)tolower((unsigned char)declared[i]);
    dl[i] = '\0';
    dp = proto_for_name(dl, &dtls_d);
    fp = proto_for_name(found, &tls_f);
    if (!dp)
        return 1;
    /* The same protocol with the same wrapping (snmp and snmpv3); in the clear where TLS was declared is not. */
    if (dp == fp && dtls_d == tls_f)
        return 1;
    /* Declared inside TLS or DTLS; found TLS or DTLS around something not recognised. */
    if (dtls_d && fp && (fp->flags & PROTO_TLS_OPAQUE))
        return 1;
    /* Declared as bare TLS; found a protocol inside TLS. */
    return (dp->flags & PROTO_TLS_OPAQUE) && fp && tls_f;
}

static void describe(const struct service *s, char *buf, size_t len)
{
    snprintf(buf, len, "%s identified by %s", s->name, s->ident ? s->ident : "no reply");
}

static void exposure_judge(struct run *r, const struct check *c, struct check_result *res)
{
    int undeclared = 0, admin = 0, mismatch = 0;
    struct strbuf list;
    char label[32], what[512];

    if (!r->scan.tcp_done) {
        cr_set(res, V_INCONCLUSIVE, "The port scan did not run: %s.",
               r->scan.why_incomplete[0] ? r->scan.why_incomplete : "unknown reason");
        return;
    }
    sb_init(&list);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        service_label(s, label, sizeof(label));
        describe(s, what, sizeof(what));
        int is_admin = check_param_in_list(c, "plaintext_admin", s->name, 0);
        int is_mismatch = s->declared && !ports_service_compatible(s->decl->service, s->name);

        /* One service can be both undeclared and plaintext administration: count both. */
        admin += is_admin;
        undeclared += !s->declared;
        mismatch += is_mismatch;
        if (is_admin)
            cr_evidence(res, label, "plaintext remote administration, %s: %s",
                        s->declared ? "declared" : "not in the declaration", what);
        else if (!s->declared)
            cr_evidence(res, label, "open but not in the declaration: %s", what);
        else if (is_mismatch)
            cr_evidence(res, label, "declared as %s but answers as %s", s->decl->service, what);
        if (is_admin || !s->declared || is_mismatch)
            sb_printf(&list, "%s%s %s", list.len ? ", " : "", label, s->name);
    }
    if (admin + undeclared + mismatch > 0) {
        struct strbuf why;
        sb_init(&why);
        if (undeclared)
            sb_printf(&why, "%d undeclared", undeclared);
        if (admin)
            sb_printf(&why, "%s%d plaintext remote administration", why.len ? ", " : "", admin);
        if (mismatch)
            sb_printf(&why, "%s%d answering as another protocol than declared", why.len ? ", " : "",
                      mismatch);
        cr_set(res, V_FAIL, "Open services that ★%ld forbids (%s): %s.", r->profile->level,
               why.buf, list.buf);
        sb_free(&why);
    } else if (!r->scan.tcp_complete || (r->scan.udp_done && !r->scan.udp_complete)) {
        cr_set(res, V_INCONCLUSIVE, "No undeclared service was found, but the scan is incomplete: %s.",
               r->scan.why_incomplete[0] ? r->scan.why_incomplete : "run deadline");
    } else if (r->unreachable) {
        cr_set(res, V_INCONCLUSIVE,
               "The target answered on no TCP or UDP port (all %ld TCP ports filtered): "
               "nothing can be concluded.", r->scan.tcp_ports);
    } else {
        cr_set(res, V_PASS,
               "All %zu open services are declared and none is plaintext remote administration "
               "(%ld TCP ports scanned, %ld UDP ports probed).",
               r->nservices, r->scan.tcp_ports, r->scan.udp_ports);
        for (size_t i = 0; i < r->nservices; i++) {
            service_label(r->services[i], label, sizeof(label));
            describe(r->services[i], what, sizeof(what));
            cr_evidence(res, label, "declared, %s", what);
        }
    }
    cr_evidence(res, NULL,
                "scan: %ld TCP ports (%ld open, %ld closed, %ld filtered) in %lld ms; "
                "%ld UDP ports (%ld answered, %ld closed, %ld silent to a protocol-correct request)",
                r->scan.tcp_ports, r->scan.tcp_open, r->scan.tcp_closed, r->scan.tcp_filtered,
                (long long)r->scan.tcp_ms, r->scan.udp_ports, r->scan.udp_open,
                r->scan.udp_closed, r->scan.udp_silent);
    for (size_t i = 0; r->device && i < r->device->nservices; i++) {
        const struct decl_service *d = &r->device->services[i];
        if (!run_find_service(r, d->port, d->transport))
            cr_evidence(res, NULL, "declared %s/%ld (%s) was not found open", transport_name(d->transport),
                        d->port, d->service);
    }
    sb_free(&list);
}

const struct probe probe_ports_exposure = {
    .name = "ports.exposure",
    .summary = "Open TCP/UDP services, identified by what they answer, against the declaration",
    .rule = "FAIL for every open service not in the declaration, for every plaintext remote "
            "administration service (plaintext_admin) whether declared or not, and for a declared "
            "port that answers as a different protocol. INCONCLUSIVE when the scan did not "
            "complete. PASS otherwise, with every open service as evidence.",
    .flags = 0,
    .params = ports_params,
    .gatherer = &gatherer_scan,
    .judge = exposure_judge,
};
