/*
 * robust.c - robust.malformed (★3/★4, intrusive): every service the scan
 * found must survive malformed input of its own protocol.
 *
 * Per service, one at a time so that a failure is the input's and not the
 * neighbour's: the service must first answer the request that identified it
 * (the baseline), then each input of its set (probes/wire/robust_wire.c) goes
 * on a connection (a datagram for UDP) of its own with a deadline, what the
 * service did is read back, and the identifying request is asked again. A
 * service that no longer answers it, or whose port now refuses, has failed
 * on that input, and nothing more is sent to it. A long campaign repeats the
 * set with variations (other sizes, lying values, filler bytes); a flood opens
 * N connections at once, holds them, closes them and times how long the
 * service takes to answer again. After the last service every survivor is
 * asked once more, for a crash that shows late or elsewhere.
 *
 * The gatherer runs the largest plan any live check asks for (★4's long
 * campaign and flood cover ★3's bounded set); each judge checks that what was
 * done covers its own parameters.
 *
 * Facts: services[].facts.robust {set, result (survived, failed, not
 * examined), why, failed_input, rounds, inputs, cases: [{input, variant,
 * sent, reaction, answered}], flood: {asked, opened, refused, held_ms,
 * recovered_ms | not_recovered, why}}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "http_wire.h"
#include "mqtt_wire.h"
#include "ident.h"
#include "ports.h"
#include "proto.h"
#include "robust_wire.h"
#include "run.h"
#include "tls.h"
#include "tls_wire.h"

#define ROBUST_REPLY_CAP 4096
#define ROBUST_RETRY_MS 1000        /* a second ask after a silent one: a forking server may lag */
#define ROBUST_FLOOD_MAX 4096       /* ceiling on flood_connections, whatever the profile says */
#define ROBUST_ROUNDS_MAX 50

extern const struct probe probe_robust_malformed;

static const struct probe_param robust_params[] = {
    {"campaign", "bounded", "bounded: each input of a service's set once; long: `rounds` rounds of "
                            "variations"},
    {"rounds", "5", "rounds of a long campaign (variation 0 is the bounded set), at most 50"},
    {"flood_connections", "0", "TCP connections opened at once per service, then closed (0: no flood)"},
    {"flood_hold_ms", "2000", "how long the flood's connections are held open"},
    {"recover_s", "10", "after the flood, the service must answer again within this time"},
    {"case_ms", "3000", "deadline of one malformed input: connect, send, read what comes back"},
    {"udp_wait_ms", "1000", "how long a UDP service's answer to a malformed datagram is awaited"},
    {"answer_ms", "3000", "deadline of the identifying request asked after each input"},
    {"scope", "[]", "protocols examined (empty: every service); the others are out of scope"},
    {NULL, NULL, NULL}};

struct robust_plan {
    int long_campaign;
    const struct check *const *scoped;  /* checks, each with a `scope`; NULL: every service */
    size_t nscoped;
    int all;                            /* some live check has no scope: every service */
    long rounds, flood, hold_ms, recover_s, case_ms, udp_ms, answer_ms;
};

static int in_scope(const struct check *c, const struct service *s);

/* The largest plan the live checks of this probe ask for. */
static void robust_plan_of(const struct run *r, struct robust_plan *p, const struct check **scoped,
                           size_t cap)
{
    memset(p, 0, sizeof(*p));
    p->scoped = scoped;
    p->rounds = 1;
    for (size_t i = 0; r->profile && i < r->profile->nreqs; i++) {
        const struct requirement *q = &r->profile->reqs[i];
        for (size_t j = 0; !q->disabled && j < q->nchecks; j++) {
            const struct check *c = &q->checks[j];
            int lng;
            if (c->probe != &probe_robust_malformed)
                continue;
            lng = check_param_in_list(c, "campaign", "long", 0);
            {
                const struct ynode *l = check_param(c, "scope");
                if (!l || l->type != Y_SEQ || l->n == 0)
                    p->all = 1;
                else if (p->nscoped < cap)
                    scoped[p->nscoped++] = c;
                else
                    p->all = 1;
            }
            p->long_campaign |= lng;
            if (lng && check_param_int(c, "rounds", 5) > p->rounds)
                p->rounds = check_param_int(c, "rounds", 5);
#define MAXP(f, key, d) if (check_param_int(c, key, d) > p->f) p->f = check_param_int(c, key, d)
            MAXP(flood, "flood_connections", 0);
            MAXP(hold_ms, "flood_hold_ms", 2000);
            MAXP(recover_s, "recover_s", 10);
            MAXP(case_ms, "case_ms", 3000);
            MAXP(udp_ms, "udp_wait_ms", 1000);
            MAXP(answer_ms, "answer_ms", 3000);
#undef MAXP
        }
    }
    p->rounds = p->rounds > ROBUST_ROUNDS_MAX ? ROBUST_ROUNDS_MAX : p->rounds;
    p->flood = p->flood > ROBUST_FLOOD_MAX ? ROBUST_FLOOD_MAX : p->flood;
    p->case_ms = p->case_ms > 0 ? p->case_ms : 3000;
    p->udp_ms = p->udp_ms > 0 ? p->udp_ms : 1000;
    p->answer_ms = p->answer_ms > 0 ? p->answer_ms : 3000;
}

/*
 * The malformed set for s ("tls" for a TLS service whatever runs inside,
 * since the records are what the service parses first), or NULL with the
 * reason in why.
 */
static const char *robust_set_of(const struct service *s, const char **why)
{
    int dtls = 0;
    const struct proto *p = proto_of(s, NULL);
    size_t n;

    if (tls_service_is(s, &dtls)) {
        *why = dtls ? "starprobe has no malformed DTLS set yet" : NULL;
        return dtls ? NULL : "tls";
    }
    if (!p) {
        *why = "the service was not identified, so no protocol's malformed set fits it";
        return NULL;
    }
    if (!robust_cases(p->name, &n)) {
        *why = "starprobe has no malformed set for this protocol yet";
        return NULL;
    }
    *why = NULL;
    return p->name;
}

/* ---- does it still answer? ---------------------------------------------------------- */

enum answer { ANS_YES = 1, ANS_NO = 0, ANS_CLOSED = -1 };

/*
 * Ask s the request that identified it, on a fresh connection: the
 * greeting for a server that speaks first, the protocol's own request
 * otherwise, a TLS ClientHello for a TLS service. what says what came back.
 */
static enum answer tcp_answers(struct run *r, const struct service *s, const char *set, int64_t dl,
                               char *what, size_t cap)
{
    uint8_t req[1024], buf[ROBUST_REPLY_CAP];
    size_t reqlen = 0;
    ssize_t n;
    struct ident_result id;
    int fd, ok;
    /* The scan's own probe of that name, for a protocol that does not speak first; none for one that does. */
    const struct ident_probe *probe = ident_tcp_probe_named(set);

    if (probe)
        reqlen = probe->build(req, sizeof(req), r->target.addrstr, s->port);
    fd = net_tcp_connect(&r->target, (int)s->port, dl);
    if (fd < 0) {
        snprintf(what, cap, "the connection failed: %s", net_strerror(fd));
        return fd == SP_ERR_REFUSED ? ANS_CLOSED : ANS_NO;
    }
    if (reqlen && net_send_all(fd, req, reqlen, dl) < 0) {
        close(fd);
        snprintf(what, cap, "the connection closed before the request was sent");
        return ANS_NO;
    }
    n = net_recv_until(fd, buf, sizeof(buf), dl, ident_reply_done, NULL);
    close(fd);
    if (n <= 0) {
        snprintf(what, cap, "the connection was accepted but nothing came back");
        return ANS_NO;
    }
    /* The probe's own matcher (a TLS answer to a ClientHello), or any matcher naming the service as the scan did. */
    ok = (probe && probe->match(buf, (size_t)n, &id)) ||
         (ident_any(buf, (size_t)n, &id) && strcmp(id.service, s->name) == 0);
    if (!ok) {
        char re[200];
        robust_reaction(set, buf, (size_t)n, re, sizeof(re));
        snprintf(what, cap, "it answered with something else: %s", re);
        return ANS_NO;
    }
    snprintf(what, cap, "answered as %s: %s", id.service, id.detail);
    return ANS_YES;
}

static enum answer udp_answers(struct run *r, const struct service *s, int64_t dl, char *what,
                               size_t cap)
{
    const struct udp_probe *up = ident_udp_probe_named(s->name);
    uint8_t req[1500], buf[ROBUST_REPLY_CAP];
    struct ident_result id;
    size_t reqlen;
    ssize_t n = 0;
    int fd, tries;

    if (!up) {
        snprintf(what, cap, "no identifying request is known for %s", s->name);
        return ANS_NO;
    }
    reqlen = up->build(req, sizeof(req), (uint16_t)(sp_now_ms() ^ (s->port * 7919)));
    fd = net_udp_open(&r->target, (int)s->port);
    if (fd < 0 || reqlen == 0) {
        if (fd >= 0)
            close(fd);
        snprintf(what, cap, "no UDP socket: %s", net_strerror(fd));
        return ANS_NO;
    }
    /* Two sends, the second half-way: a datagram may be lost without the service being dead. */
    for (tries = 0; tries < 2; tries++) {
        int64_t half = tries ? dl : sp_now_ms() + sp_ms_left(dl) / 2;
        if (net_send_all(fd, req, reqlen, dl) < 0)
            break;
        n = net_recv(fd, buf, sizeof(buf), half);
        if (n > 0 || n == SP_ERR_REFUSED)
            break;
    }
    close(fd);
    if (n == SP_ERR_REFUSED) {
        snprintf(what, cap, "the port is closed (ICMP port unreachable)");
        return ANS_CLOSED;
    }
    if (n <= 0) {
        snprintf(what, cap, "no answer to its identifying request");
        return ANS_NO;
    }
    if (!up->match(req, reqlen, buf, (size_t)n, &id)) {
        snprintf(what, cap, "a reply that does not answer the request");
        return ANS_NO;
    }
    snprintf(what, cap, "answered as %s: %s", id.service, id.detail);
    return ANS_YES;
}

/* Asked once, and once more after a pause when it did not answer. */
static enum answer answers(struct run *r, const struct service *s, const char *set, long ms,
                           char *what, size_t cap)
{
    enum answer a = ANS_NO;

    for (int i = 0; i < 2 && !run_expired(r); i++) {
        if (i)
            usleep(ROBUST_RETRY_MS * 1000);
        a = s->transport == T_UDP ? udp_answers(r, s, run_op_deadline(r, ms), what, cap)
                                  : tcp_answers(r, s, set, run_op_deadline(r, ms), what, cap);
        if (a == ANS_YES)
            return a;
    }
    return a;
}

/* ---- one malformed input ------------------------------------------------------------ */

/* Send it on its own connection and say what the service did, into what. */
static void send_case(struct run *r, const struct service *s, const char *set, const uint8_t *in,
                      size_t len, const struct robust_plan *pl, char *what, size_t cap)
{
    uint8_t buf[ROBUST_REPLY_CAP];
    char re[200];
    int64_t dl = run_op_deadline(r, s->transport == T_UDP ? pl->udp_ms : pl->case_ms);
    int fd, sent;
    ssize_t n;

    if (s->transport == T_UDP) {
        fd = net_udp_open(&r->target, (int)s->port);
        if (fd < 0) {
            snprintf(what, cap, "no UDP socket: %s", net_strerror(fd));
            return;
        }
        sent = net_send_all(fd, in, len, dl);
        n = sent < 0 ? sent : net_recv(fd, buf, sizeof(buf), dl);
        close(fd);
        if (n > 0)
            robust_reaction(set, buf, (size_t)n, re, sizeof(re));
        if (n > 0)
            snprintf(what, cap, "sent back %s", re);
        else
            snprintf(what, cap, "%s", n == SP_ERR_REFUSED ? "answered ICMP port unreachable"
                                                         : "sent nothing back (dropped it)");
        return;
    }
    fd = net_tcp_connect(&r->target, (int)s->port, dl);
    if (fd < 0) {
        snprintf(what, cap, "the connection failed before the input: %s", net_strerror(fd));
        return;
    }
    sent = net_send_all(fd, in, len, dl);
    n = net_recv_until(fd, buf, sizeof(buf), dl, NULL, NULL);
    close(fd);
    robust_reaction(set, buf, n > 0 ? (size_t)n : 0, re, sizeof(re));
    snprintf(what, cap, "%s%s, then %s", sent < 0 ? "stopped reading before the whole input "
                                                     "was sent; sent back " : "sent back ",
             re, sp_now_ms() + 20 < dl ? "closed the connection"
                                       : "kept it open until starprobe's deadline");
}

/* ---- the flood ---------------------------------------------------------------------- */

static void flood(struct run *r, const struct service *s, const char *set,
                  const struct robust_plan *pl, struct robust_flood_facts *f)
{
    struct rlimit rl;
    long want = pl->flood, opened = 0, refused = 0, other = 0, limit = want;
    int *fds;
    int64_t t0, dl;
    char what[640];

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (long)rl.rlim_cur - 64 < limit)
        limit = (long)rl.rlim_cur - 64 > 0 ? (long)rl.rlim_cur - 64 : 0;
    fds = xcalloc((size_t)(limit > 0 ? limit : 1), sizeof(*fds));
    /* the flood's window: long enough for every connect on a device that accepts them all */
    dl = run_op_deadline(r, 10000 + want * 50);
    run_progress(r, 0, "robust: tcp/%ld flood of %ld connections", s->port, want);
    /*
     * A listener whose backlog is full lets connects time out: three in a row
     * and the service is saturated, which is what a flood is for; the rest
     * would only cost a second each.
     */
    long i, quiet = 0;
    for (i = 0; i < limit && quiet < 3 && !run_expired(r) && sp_now_ms() < dl; i++) {
        int fd = net_tcp_connect(&r->target, (int)s->port, sp_deadline(500, dl));
        quiet = fd == SP_ERR_TIMEOUT ? quiet + 1 : 0;
        if (fd >= 0)
            fds[opened++] = fd;
        else if (fd == SP_ERR_REFUSED)
            refused++;
        else
            other++;
        if (quiet == 3)
            f->saturated = 1;
    }
    /* a device that accepts slowly fills the window: flooded for as long as the window lasts */
    if (i < limit && quiet < 3 && sp_now_ms() >= dl && !run_expired(r))
        f->window_ended = 1;
    f->asked = want;
    f->opened = opened;
    f->refused = refused;
    f->failed = other;
    if (limit < want) {
        f->capped = 1;
        f->capped_by_fd_limit = limit;
    }
    /* held, but never past the run's deadline */
    usleep((useconds_t)sp_ms_left(run_op_deadline(r, pl->hold_ms > 0 ? pl->hold_ms : 0)) * 1000);
    f->held_ms = pl->hold_ms;
    for (long k = 0; k < opened; k++)
        close(fds[k]);
    free(fds);
    t0 = sp_now_ms();
    for (;;) {
        if (tcp_answers(r, s, set, run_op_deadline(r, pl->answer_ms), what, sizeof(what)) == ANS_YES) {
            f->recovered = 1;
            f->recovered_ms = (long)(sp_now_ms() - t0);
            return;
        }
        if (run_expired(r) || sp_now_ms() - t0 >= pl->recover_s * 1000)
            break;
        usleep(500 * 1000);
    }
    f->waited_ms = (long)(sp_now_ms() - t0);
    f->why = xstrdup(what);
}

/* ---- per service -------------------------------------------------------------------- */

static void attach(struct run *r, struct service *s, struct robust_facts *o)
{
    run_set_robust_facts(r, s, o);
}

/* The service's result: result, and why (or NULL). */
static void result_is(struct robust_facts *o, const char *result, const char *why)
{
    free(o->result);
    o->result = xstrdup(result);
    if (why) {
        free(o->why);
        o->why = xstrdup(why);
    }
}

static int plan_covers(const struct robust_plan *pl, const struct service *s)
{
    for (size_t i = 0; !pl->all && i < pl->nscoped; i++)
        if (in_scope(pl->scoped[i], s))
            return 1;
    return pl->all;
}

static void robust_one(struct run *r, struct service *s, const struct robust_plan *pl, uint8_t *in)
{
    const char *why = NULL, *set = robust_set_of(s, &why);
    const struct robust_case *cases;
    struct robust_facts *o;
    char label[32], what[640];
    size_t nc, inputs = 0;
    long round;
    int failed = 0;

    service_label(s, label, sizeof(label));
    if (!plan_covers(pl, s))
        return;     /* in no check's scope: nothing is sent to it */
    o = robust_facts_new();
    if (!set) {
        result_is(o, "not examined", why);
        attach(r, s, o);
        return;
    }
    cases = robust_cases(set, &nc);
    o->set = xstrdup(set);
    if (answers(r, s, set, pl->answer_ms, what, sizeof(what)) != ANS_YES) {
        result_is(o, "not examined", "it did not answer its identifying request before any "
                                     "malformed input");
        o->baseline = xstrdup(what);
        attach(r, s, o);
        return;
    }
    o->baseline = xstrdup(what);
    o->has_cases = 1;
    for (round = 0; round < (pl->long_campaign ? pl->rounds : 1) && !failed; round++) {
        for (size_t k = 0; k < nc && !failed; k++) {
            size_t len = cases[k].build(in, ROBUST_CASE_MAX, (unsigned)round);
            enum answer a;
            char react[480];

            if (run_expired(r))
                goto cut;
            if (len == 0)
                continue;   /* a variation that does not apply */
            run_progress(r, 0, "robust: %s %s #%ld", label, cases[k].name, round);
            send_case(r, s, set, in, len, pl, react, sizeof(react));
            a = answers(r, s, set, pl->answer_ms, what, sizeof(what));
            inputs++;
            /* the bounded set's record is kept whole; a long campaign keeps its failures */
            if (round > 0 && a == ANS_YES)
                continue;
            robust_facts_add_case(o, cases[k].name, round, (long)len, react, a == ANS_YES);
            if (a != ANS_YES) {
                failed = 1;
                result_is(o, "failed", NULL);
                o->failed_input = xstrdup(cases[k].name);
                o->failed_variant = round;
                o->after = xstrdup(what);
                o->port_closed = a == ANS_CLOSED;
            }
        }
    }
    o->counted = 1;
    o->rounds = round;
    o->inputs = (long)inputs;
    o->long_campaign = pl->long_campaign;
    if (!failed && pl->flood > 0 && s->transport == T_TCP) {
        o->flood = xcalloc(1, sizeof(*o->flood));
        flood(r, s, set, pl, o->flood);
    }
    if (!failed)
        result_is(o, "survived", NULL);
    attach(r, s, o);
    return;
cut:
    result_is(o, "not examined", "the run deadline passed before its set was sent");
    attach(r, s, o);
}

static int robust_gather(struct run *r)
{
    struct robust_plan pl;
    const struct check *scoped[16];
    uint8_t *in = xmalloc(ROBUST_CASE_MAX);
    char what[640];

    robust_plan_of(r, &pl, scoped, SP_ARRAY_LEN(scoped));
    for (size_t i = 0; i < r->nservices && !run_expired(r); i++)
        robust_one(r, r->services[i], &pl, in);
    free(in);
    /* Every survivor once more: a crash may show late, or on another service. */
    for (size_t i = 0; i < r->nservices && !run_expired(r); i++) {
        struct service *s = r->services[i];
        struct robust_facts *o = s->robust;
        enum answer a;

        if (!o || !o->result || strcmp(o->result, "survived") != 0 || !o->set)
            continue;
        a = answers(r, s, o->set, pl.answer_ms, what, sizeof(what));
        pthread_mutex_lock(&r->lock);
        o->checked_at_end = 1;
        o->answered_at_end = a == ANS_YES;
        if (a != ANS_YES) {
            result_is(o, "failed", NULL);
            o->failed_input = xstrdup("(after every service's inputs)");
            o->failed_variant = -1;
            o->after = xstrdup(what);
            o->port_closed = a == ANS_CLOSED;
        }
        pthread_mutex_unlock(&r->lock);
    }
    return 0;
}

const struct gatherer gatherer_robust = {
    .name = "robust",
    .needs = &gatherer_scan,
    .gather = robust_gather,
};

/* ---- the judge ---------------------------------------------------------------------- */

/*
 * Is s in the check's scope: the `scope` list (empty: every service) names
 * its malformed set ("tls" for any TLS service) or its identified name.
 */
static int in_scope(const struct check *c, const struct service *s)
{
    const struct ynode *l = check_param(c, "scope");
    const char *why, *set = robust_set_of(s, &why);

    if (!l || l->type != Y_SEQ || l->n == 0)
        return 1;
    return (set && check_param_in_list(c, "scope", set, 0)) ||
           check_param_in_list(c, "scope", s->name, 0);
}

/* Did what was gathered cover this check's plan? why says what it lacks. */
static int covers(const struct check *c, const struct service *s, const struct robust_facts *o,
                  char *why, size_t cap)
{
    long rounds = check_param_in_list(c, "campaign", "long", 0) ? check_param_int(c, "rounds", 5) : 1;
    long flood_n = check_param_int(c, "flood_connections", 0);
    const struct robust_flood_facts *f = o->flood;

    if (rounds > ROBUST_ROUNDS_MAX)
        rounds = ROBUST_ROUNDS_MAX;
    if (o->rounds < rounds) {
        snprintf(why, cap, "%ld of %ld rounds were sent", o->rounds, rounds);
        return 0;
    }
    if (flood_n > 0 && s->transport == T_TCP) {
        if (!f) {
            snprintf(why, cap, "no connection flood was made");
            return 0;
        }
        if (f->opened + f->refused + f->failed < flood_n && !f->capped &&
            !f->saturated && !f->window_ended) {
            snprintf(why, cap, "the flood tried %ld of %ld connections before its deadline",
                     f->opened + f->refused + f->failed, flood_n);
            return 0;
        }
    }
    return 1;
}

static void robust_judge(struct run *r, const struct check *c, struct check_result *res)
{
    struct strbuf failed, miss;
    size_t examined = 0, out = 0;
    long recover_s = check_param_int(c, "recover_s", 10);
    char label[32], why[300];

    if (!check_param_in_list(c, "campaign", "bounded", 0) &&
        !check_param_in_list(c, "campaign", "long", 0)) {
        cr_set(res, V_ERROR, "The profile's campaign must be bounded or long.");
        return;
    }
    if (!r->scan.tcp_done) {
        cr_set(res, V_INCONCLUSIVE, "The port scan did not run, so the services are unknown.");
        return;
    }
    sb_init(&failed);
    sb_init(&miss);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        const struct robust_facts *o = s->robust;
        const struct robust_flood_facts *f = o ? o->flood : NULL;
        const char *result = o ? sp_str_or(o->result, "?") : "?";

        service_label(s, label, sizeof(label));
        if (!in_scope(c, s)) {
            cr_evidence(res, label, "%s: out of this check's scope (profile parameter scope)", s->name);
            out++;
            continue;
        }
        if (!o) {
            cr_evidence(res, label, "%s: not examined by robust.malformed: the robustness step did "
                        "not reach it before the run deadline", s->name);
            sb_printf(&miss, "%s%s", miss.len ? ", " : "", label);
            continue;
        }
        if (strcmp(result, "failed") == 0) {
            for (size_t k = 0; k < o->ncases; k++) {
                const struct robust_case_facts *e = &o->cases[k];
                if (!e->answered)
                    cr_evidence(res, label, "%s: input %s (variant %ld, %ld bytes): the service %s",
                                s->name, e->input, e->variant, e->sent, e->reaction);
            }
            cr_evidence(res, label,
                        "%s: after %s it no longer answers its identifying request%s: %s", s->name,
                        sp_str_or(o->failed_input, "?"),
                        o->port_closed ? " (the port is closed)" : "", sp_str_or(o->after, "?"));
            sb_printf(&failed, "%s%s %s after %s", failed.len ? "; " : "", label, s->name,
                      sp_str_or(o->failed_input, "?"));
            continue;
        }
        if (strcmp(result, "survived") != 0) {
            cr_evidence(res, label, "%s: not examined by robust.malformed: %s", s->name,
                        sp_str_or(o->why, "?"));
            sb_printf(&miss, "%s%s", miss.len ? ", " : "", label);
            continue;
        }
        if (!covers(c, s, o, why, sizeof(why))) {
            cr_evidence(res, label, "%s: not examined to the end by robust.malformed: %s", s->name, why);
            sb_printf(&miss, "%s%s", miss.len ? ", " : "", label);
            continue;
        }
        for (size_t k = 0; k < o->ncases; k++) {
            const struct robust_case_facts *e = &o->cases[k];
            cr_evidence(res, label, "%s: input %s (variant %ld, %ld bytes): the service %s; it "
                        "answered afterwards", s->name, e->input, e->variant, e->sent, e->reaction);
        }
        cr_evidence(res, label,
                    "%s: %ld malformed %s inputs in %ld round%s; it answered its "
                    "identifying request after each",
                    s->name, o->inputs, sp_str_or(o->set, "?"), o->rounds,
                    o->rounds == 1 ? "" : "s");
        if (check_param_int(c, "flood_connections", 0) > 0 && f) {
            if (!f->recovered || f->recovered_ms > recover_s * 1000) {
                cr_evidence(res, label,
                            "%s: after a flood of %ld connections (%ld opened, %ld "
                            "refused) held %ld ms, no answer within %ld s: %s",
                            s->name, f->asked, f->opened, f->refused, f->held_ms, recover_s,
                            sp_str_or(f->why, "?"));
                sb_printf(&failed, "%s%s %s after a connection flood", failed.len ? "; " : "",
                          label, s->name);
                continue;
            }
            cr_evidence(res, label, "%s: after a flood of %ld connections (%ld opened, %ld refused, %ld "
                        "unanswered%s) held %ld ms, answered again in %ld ms", s->name,
                        f->asked, f->opened, f->refused, f->failed,
                        f->saturated      ? "; it stopped accepting, the rest were not tried"
                        : f->window_ended ? "; it accepted slowly, the flood's window ended first"
                                          : "",
                        f->held_ms, f->recovered_ms);
        }
        examined++;
    }
    if (failed.len)
        cr_set(res, V_FAIL, "A service stopped answering after malformed input: %s.", failed.buf);
    else if (miss.len)
        cr_set(res, V_INCONCLUSIVE, "Not every service was exercised with its malformed set: %s.",
               miss.buf);
    else if (examined == 0 &&
             (!r->scan.tcp_complete || (r->scan.udp_done && !r->scan.udp_complete)))
        cr_set(res, V_INCONCLUSIVE, "No service found, but the scan is incomplete: %s.",
               r->scan.why_incomplete);
    else if (examined == 0)
        cr_set(res, V_NOT_APPLICABLE, "No service in scope was found on the target (complete scan%s).",
               out ? "; the others are outside the profile's scope" : "");
    else
        cr_set(res, V_PASS, "Every service in scope (%zu) still answered after each malformed input "
               "of its set%s.", examined,
               check_param_int(c, "flood_connections", 0) > 0 ? " and recovered from the flood" : "");
    sb_free(&failed);
    sb_free(&miss);
}

const struct probe probe_robust_malformed = {
    .name = "robust.malformed",
    .summary = "Every service still answers after malformed input of its protocol (and a flood)",
    .rule = "Intrusive. Per service, one at a time: its identifying request must be answered, then "
            "each malformed input of its protocol's set (HTTP, RTSP, MQTT, CoAP, SSH, telnet, FTP, "
            "TLS records for any TLS service, SNMP) is sent on a connection of its own with a "
            "deadline, and the identifying request is asked again. FAIL when a service stops "
            "answering or its port closes, naming the input and what the service did; with "
            "flood_connections, also when it does not answer within recover_s after the flood. "
            "campaign: long repeats the set `rounds` times with variations. PASS only when every "
            "service in scope was exercised with its full set and answered; a service with no "
            "set, no baseline answer or cut by the deadline is not examined (INCONCLUSIVE).",
    .flags = PROBE_INTRUSIVE,
    .params = robust_params,
    .gatherer = &gatherer_robust,
    .judge = robust_judge,
};
