/*
 * fuzz_session.c - libFuzzer target for the protocol session loops: the
 * fuzzer plays the device through real sockets (the SP_FUZZ_NET shim,
 * net_fuzz.h), choosing what every connection says and how it is cut into
 * reads, while starprobe runs one protocol's client against it: several
 * reads, buffers that slide, replies split anywhere, connections refused,
 * closed early or held open.
 *
 * Input layout:
 *   byte 0    the session. h = byte % N picks a handler of proto_registry
 *             with login slots (ssh, telnet, http, rtsp, ftp, mqtt, snmp
 *             today, in registry order); (byte / N) % 2 picks its login
 *             slots (0: login_prepare, then one login_attempt when prepare
 *             found a password login) or auth.unauthenticated's client for
 *             that service (1: the unauth gatherer on that one service).
 *             Two handlers cannot go through the shim and are replaced by
 *             the hand-written code that reads the same device:
 *             ssh  libssh opens its own socket (sshsess.c, which says why
 *                  it is not given ours) and a fuzzer cannot get past its
 *                  key exchange anyway: both modes run ssh_read_greeting,
 *                  the identification and KEXINIT read of ssh.c;
 *             mqtt Paho opens its own socket from a URI: both modes run
 *                  the unauth MQTT client (CONNECT, CONNACK, SUBSCRIBE,
 *                  PUBLISH reads through a sliding packet buffer).
 *             When (byte / 2N) % 2 is 1, byte % M picks instead one of the
 *             M handlers that have an unauth slot, no login slots and a
 *             client that connects through net.h (adb, vnc, in registry
 *             order) and runs that client. Not coap and dtls (libcoap opens
 *             its own sockets) nor tftp (it reads replies from any port of
 *             the target, which a socketpair has not).
 *   the rest  the device's script: one record per connection the client
 *             opens, in order (net_fuzz.h).
 *
 * Plain TCP only: the TLS variants (https, rtsps, ftps, mqtts) would spend
 * the input on mbedTLS's handshake, not on starprobe's loops. Every session
 * runs under one deadline of SESSION_MS; afterwards the target checks that
 * the outcome is well formed, that every socket the client opened was
 * closed, and that it did not outlive its deadline by seconds.
 *
 *   make fuzz   (or build as in the Makefile's fuzz target and run
 *   build/fuzz_session -max_total_time=60 build/fuzz_session_corpus)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "login.h"
#include "net_fuzz.h"
#include "proto.h"
#include "run.h"
#include "ssh.h"
#include "ssh_wire.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct probe probe_auth_unauthenticated;

/* The whole session's deadline: tens of reads fit, a held connection costs at most this. */
#define SESSION_MS 250
/* How far past its deadline a session may return before that is a bug, not scheduling. */
/*
 * How far past its deadline a session may return. FUZZ_OVERRUN_MS raises it
 * for long runs beside other work: a process starved of CPU for seconds
 * overruns without a bug (libFuzzer's -timeout still catches a hang).
 */
#define OVERRUN_MS overrun_ms()

static int64_t overrun_ms(void)
{
    const char *e = getenv("FUZZ_OVERRUN_MS");
    long v = e ? strtol(e, NULL, 10) : 0;
    return v > 0 ? v : 3000;
}

static const struct proto *login_protos[32], *unauth_protos[32];
static size_t nlogin, nunauth;

static void pick_handlers(void)
{
    for (size_t i = 0; proto_registry[i] && nlogin < SP_ARRAY_LEN(login_protos); i++)
        if (proto_registry[i]->login_prepare && proto_registry[i]->login_attempt)
            login_protos[nlogin++] = proto_registry[i];
    for (size_t i = 0; proto_registry[i] && nunauth < SP_ARRAY_LEN(unauth_protos); i++)
        if (proto_registry[i]->unauth && !proto_registry[i]->login_prepare &&
            (strcmp(proto_registry[i]->name, "adb") == 0 || strcmp(proto_registry[i]->name, "vnc") == 0))
            unauth_protos[nunauth++] = proto_registry[i];
}

/* Where the service listens: the protocol's usual port, which RTSP URIs and HTTP redirects compare. */
static long port_of(const char *name)
{
    static const struct {
        const char *n;
        long port;
    } tab[] = {{"ssh", 22}, {"telnet", 23}, {"http", 80}, {"rtsp", 554},
               {"ftp", 21}, {"mqtt", 1883}, {"snmp", 161}, {"vnc", 5900}, {"adb", 5555}};
    for (size_t i = 0; i < SP_ARRAY_LEN(tab); i++)
        if (strcmp(tab[i].n, name) == 0)
            return tab[i].port;
    return 10000;
}

/* FUZZ_SESSION_VERBOSE=1 prints what each session concluded, to check seeds by hand. */
static int verbose(void)
{
    static int v = -1;

    if (v < 0)
        v = getenv("FUZZ_SESSION_VERBOSE") != NULL;
    return v;
}

static void must_be_terminated(const char *s, size_t cap)
{
    if (!memchr(s, '\0', cap))
        __builtin_trap();
}

static void run_login(struct run *r, struct service *s, int64_t deadline)
{
    struct login_service ls;
    struct login_result res;
    int secret_only;

    login_service_init(&ls, r, s);
    secret_only = ls.proto && (ls.proto->flags & PROTO_SECRET_ONLY);
    if (login_prepare(r, &ls, NULL, deadline) == 0 && ls.mode == LOGIN_MODE_PASSWORD) {
        login_attempt(r, &ls, secret_only ? "" : "admin", secret_only ? "public" : "admin",
                      deadline, &res);
        /* Whatever the device sent, the outcome is one of the four and the transcript is terminated. */
        if ((unsigned)res.status > LOGIN_ERROR)
            __builtin_trap();
        must_be_terminated(res.transcript, sizeof(res.transcript));
        if (verbose())
            fprintf(stderr, "attempt: %s: %s\n", login_status_name(res.status), res.transcript);
    }
    if (verbose())
        fprintf(stderr, "prepare: mode %d: %s\n", (int)ls.mode, ls.how);
    must_be_terminated(ls.how, sizeof(ls.how));
    must_be_terminated(ls.path, sizeof(ls.path));
    login_service_free(&ls);
}

static void run_greeting(struct run *r, long port)
{
    struct sshw_greeting g;
    char why[256];

    sshw_greeting_init(&g);
    why[0] = '\0';
    if (ssh_read_greeting(r, port, &g, why, sizeof(why)) == 0 && g.has_kexinit)
        for (int i = 0; i < SSHW_NLISTS; i++)
            for (size_t j = 0; j < g.lists[i].n; j++)
                if (strlen(g.lists[i].v[j]) > SSHW_MAX_NAME)
                    __builtin_trap();
    must_be_terminated(why, sizeof(why));
    if (verbose())
        fprintf(stderr, "greeting: '%s' kexinit %d, %zu kex; %s\n", g.ident, g.has_kexinit,
                g.lists[SSHW_KEX].n, why);
    must_be_terminated(g.ident, sizeof(g.ident));
    sshw_greeting_free(&g);
}

static void run_unauth(struct run *r, struct service *s)
{
    char *json;

    probe_auth_unauthenticated.gatherer->gather(r);
    /* The facts go into the report as they are: they must print. */
    json = s->facts ? cJSON_PrintUnformatted(s->facts) : NULL;
    if (verbose())
        fprintf(stderr, "facts: %s\n", json ? json : "none");
    free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct profile empty;
    struct run_opts opts = {.quiet = 1, .jobs = 1};
    const struct proto *p;
    struct service *s;
    struct run r;
    char err[128];
    int64_t t0, deadline;
    size_t conns;
    int unauth;

    if (!nlogin)
        pick_handlers();
    if (size < 1 || !nlogin)
        return 0;
    p = login_protos[data[0] % nlogin];
    unauth = (data[0] / nlogin) % 2;
    if (nunauth && (data[0] / (2 * nlogin)) % 2) {
        p = unauth_protos[data[0] % nunauth];
        unauth = 1;
    }

    run_init(&r, &opts, &empty, NULL);
    if (net_resolve_target("127.0.8.1", &r.target, err, sizeof(err)) != 0)
        abort();
    s = run_add_service(&r, port_of(p->name), p->flags & PROTO_SECRET_ONLY ? T_UDP : T_TCP);
    sp_strlcpy(s->name, p->name, sizeof(s->name));
    t0 = sp_now_ms();
    deadline = t0 + SESSION_MS;
    r.deadline_ms = deadline;

    net_fuzz_begin(data + 1, size - 1);
    if (strcmp(p->name, "ssh") == 0)
        run_greeting(&r, s->port);
    else if (strcmp(p->name, "mqtt") == 0 || unauth)
        run_unauth(&r, s);
    else
        run_login(&r, s, deadline);
    if (net_fuzz_end(&conns) != 0) {
        fprintf(stderr, "fuzz_session: %s left a socket open\n", p->name);
        __builtin_trap();
    }
    if (sp_now_ms() > deadline + OVERRUN_MS) {
        fprintf(stderr, "fuzz_session: %s returned %lld ms after its deadline\n", p->name,
                (long long)(sp_now_ms() - deadline));
        __builtin_trap();
    }
    if (verbose())
        fprintf(stderr, "%s: %zu connections, %lld ms\n", p->name, conns,
                (long long)(sp_now_ms() - t0));
    run_free(&r);
    return 0;
}
