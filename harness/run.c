/*
 * run.c - one assessment's state and its judging: the services and their
 * facts, the per-target connection slots, the thread pool, progress, and the
 * judging of every check with the aggregation of verdicts (docs/design.md
 * §4). Checks that could not run end INCONCLUSIVE with the reason, and the
 * report is still written. Running the gatherers is schedule.c's.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"
#include "run.h"

/*
 * The per-target slots live in memory shared with every worker child, made
 * before the first fork. Each process counts the slots it holds in its own
 * row, and the free ones are the cap less the sum: taking or giving one is a
 * single store under a robust process-shared mutex, so a child killed at any
 * instant (a crash, the deadline's SIGKILL) leaves the count exact, and the
 * parent zeroes its row when it reaps it. A waiter polls (SLOT_POLL_MS): a
 * process-shared condition variable is not safe against a waiter that dies
 * (glibc's signal and destroy would wait for it to leave, for ever).
 */
#define SLOT_POLL_MS 10

struct run_slots {
    pthread_mutex_t lock;       /* robust: a holder's death is survivable */
    int cap;
    int held[RUN_MAX_WORKERS + 1];
};

static void slots_init(struct run *r)
{
    struct run_slots *sl = mmap(NULL, sizeof(*sl), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_t ma;

    if (sl == MAP_FAILED)
        abort();    /* out of memory, as xmalloc */
    memset(sl, 0, sizeof(*sl));
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
    if (pthread_mutex_init(&sl->lock, &ma) != 0)
        abort();
    pthread_mutexattr_destroy(&ma);
    sl->cap = r->opt.jobs;
    r->slots = sl;
    r->slot_owner = 0;
}

static void slots_lock(struct run_slots *sl)
{
    /* Its holder died inside: every change is one store, so the state is whole; say so and go on. */
    if (pthread_mutex_lock(&sl->lock) == EOWNERDEAD)
        pthread_mutex_consistent(&sl->lock);
}

static int slots_taken(const struct run_slots *sl)
{
    int n = 0;

    for (size_t i = 0; i < SP_ARRAY_LEN(sl->held); i++)
        n += sl->held[i];
    return n;
}

void run_init(struct run *r, const struct run_opts *o, const struct profile *p,
              const struct device *d)
{
    memset(r, 0, sizeof(*r));
    r->opt = *o;
    if (r->opt.jobs < 1)
        r->opt.jobs = 1;
    r->profile = p;
    r->device = d;
    r->started = time(NULL);
    r->t0_ms = sp_now_ms();
    r->deadline_ms = o->deadline_s > 0 ? r->t0_ms + (int64_t)o->deadline_s * 1000 : 0;
    pthread_mutex_init(&r->lock, NULL);
    r->progress_tty = isatty(STDERR_FILENO);
    slots_init(r);
}

void cr_free(struct check_result *res)
{
    free(res->reason);
    for (size_t i = 0; i < res->nev; i++) {
        free(res->ev[i].service);
        free(res->ev[i].detail);
        free(res->ev[i].flag);
    }
    free(res->ev);
    memset(res, 0, sizeof(*res));
}

void run_free(struct run *r)
{
    for (size_t i = 0; i < r->nservices; i++)
        service_free(r->services[i]);
    free(r->services);
    for (size_t i = 0; i < r->nresults; i++) {
        for (size_t j = 0; j < r->results[i].nchecks; j++)
            cr_free(&r->results[i].checks[j]);
        free(r->results[i].checks);
        free(r->results[i].reason);
    }
    free(r->results);
    for (size_t i = 0; i < r->ncreds; i++)
        credential_facts_free(&r->creds[i]);
    free(r->creds);
    run_facts_clear(r);
    if (r->slots) {
        pthread_mutex_destroy(&r->slots->lock);
        munmap(r->slots, sizeof(*r->slots));
    }
    pthread_mutex_destroy(&r->lock);
}

/* Set by the signal handler: an interrupted run ends like an expired one. */
volatile sig_atomic_t sp_interrupted;

int run_expired(const struct run *r)
{
    return sp_interrupted || (r->deadline_ms > 0 && sp_now_ms() >= r->deadline_ms);
}

int64_t run_op_deadline(const struct run *r, int64_t ms)
{
    return sp_deadline(ms, r->deadline_ms);
}

/* ---- services ---- */

/* A typed family's slot on s takes f under the run lock; what it held is freed after. */
#define SET_FAMILY(r, s, field, f, destroy)                                                      \
    do {                                                                                         \
        __typeof__((s)->field) old_;                                                             \
        pthread_mutex_lock(&(r)->lock);                                                          \
        old_ = (s)->field;                                                                       \
        (s)->field = (f);                                                                        \
        pthread_mutex_unlock(&(r)->lock);                                                        \
        destroy(old_);                                                                           \
    } while (0)

void run_set_ssh_facts(struct run *r, struct service *s, struct ssh_facts *f)
{
    SET_FAMILY(r, s, ssh, f, ssh_facts_destroy);
}

void run_set_tls_facts(struct run *r, struct service *s, struct tls_facts *f)
{
    SET_FAMILY(r, s, tls, f, tls_facts_destroy);
}

void run_set_login_facts(struct run *r, struct service *s, struct login_facts *f)
{
    SET_FAMILY(r, s, login, f, login_facts_destroy);
}

void run_set_bruteforce_facts(struct run *r, struct service *s, struct bruteforce_facts *f)
{
    SET_FAMILY(r, s, bruteforce, f, bruteforce_facts_destroy);
}

void run_set_unauth_facts(struct run *r, struct service *s, struct unauth_facts *f)
{
    SET_FAMILY(r, s, unauth, f, unauth_facts_destroy);
}

void run_set_robust_facts(struct run *r, struct service *s, struct robust_facts *f)
{
    SET_FAMILY(r, s, robust, f, robust_facts_destroy);
}

void run_set_compare_facts(struct run *r, struct service *s, struct compare_facts *f)
{
    SET_FAMILY(r, s, compare, f, compare_facts_destroy);
}

void run_set_compare_run_facts(struct run *r, struct compare_run_facts *f)
{
    SET_FAMILY(r, r, compare, f, compare_run_facts_destroy);
}

void run_set_update_channel_facts(struct run *r, struct update_channel_facts *f)
{
    SET_FAMILY(r, r, update_channel, f, update_channel_facts_destroy);
}

void run_set_tamper_facts(struct run *r, struct tamper_facts *f)
{
    SET_FAMILY(r, r, update_tamper, f, tamper_facts_destroy);
}

void run_set_http_facts(struct run *r, struct service *s, struct http_facts *f)
{
    SET_FAMILY(r, s, http, f, http_facts_destroy);
}

void run_set_snmp_facts(struct run *r, struct service *s, struct snmp_facts *f)
{
    SET_FAMILY(r, s, snmp, f, snmp_facts_destroy);
}

void run_set_ftp_facts(struct run *r, struct service *s, struct ftp_facts *f)
{
    SET_FAMILY(r, s, ftp, f, ftp_facts_destroy);
}

void run_set_adb_facts(struct run *r, struct service *s, struct adb_facts *f)
{
    SET_FAMILY(r, s, adb, f, adb_facts_destroy);
}

void run_set_tftp_facts(struct run *r, struct service *s, struct tftp_facts *f)
{
    SET_FAMILY(r, s, tftp, f, tftp_facts_destroy);
}

void run_set_rtsp_facts(struct run *r, struct service *s, struct rtsp_facts *f)
{
    SET_FAMILY(r, s, rtsp, f, rtsp_facts_destroy);
}

void run_set_mqtt_facts(struct run *r, struct service *s, struct mqtt_facts *f)
{
    SET_FAMILY(r, s, mqtt, f, mqtt_facts_destroy);
}

void run_set_coap_facts(struct run *r, struct service *s, struct coap_facts *f)
{
    SET_FAMILY(r, s, coap, f, coap_facts_destroy);
}

void run_set_vnc_facts(struct run *r, struct service *s, struct vnc_facts *f)
{
    SET_FAMILY(r, s, vnc, f, vnc_facts_destroy);
}

void run_set_upnp_facts(struct run *r, struct service *s, struct upnp_facts *f)
{
    SET_FAMILY(r, s, upnp, f, upnp_facts_destroy);
}

/* A family's facts freed, and its slot emptied. */
#define DROP(slot, destroy) ((destroy)(slot), (slot) = NULL)

void run_add_credential(struct run *r, const char *service, const char *protocol,
                        const char *user, const char *password, const char *source,
                        const char *kind)
{
    struct credential_facts c;

    credential_facts_set(&c, service, protocol, user, password, source, kind);
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < r->ncreds; i++)
        if (credential_facts_equal(&r->creds[i], &c)) {
            pthread_mutex_unlock(&r->lock);
            credential_facts_free(&c);
            return;
        }
    r->creds = xrealloc(r->creds, (r->ncreds + 1) * sizeof(*r->creds));
    r->creds[r->ncreds++] = c;
    pthread_mutex_unlock(&r->lock);
}

void run_facts_clear(struct run *r)
{
    DROP(r->compare, compare_run_facts_destroy);
    DROP(r->update_channel, update_channel_facts_destroy);
    DROP(r->update_tamper, tamper_facts_destroy);
}

void service_facts_clear(struct service *s)
{
    DROP(s->ssh, ssh_facts_destroy);
    DROP(s->tls, tls_facts_destroy);
    DROP(s->login, login_facts_destroy);
    DROP(s->bruteforce, bruteforce_facts_destroy);
    DROP(s->unauth, unauth_facts_destroy);
    DROP(s->robust, robust_facts_destroy);
    DROP(s->compare, compare_facts_destroy);
    DROP(s->http, http_facts_destroy);
    DROP(s->snmp, snmp_facts_destroy);
    DROP(s->ftp, ftp_facts_destroy);
    DROP(s->adb, adb_facts_destroy);
    DROP(s->tftp, tftp_facts_destroy);
    DROP(s->rtsp, rtsp_facts_destroy);
    DROP(s->mqtt, mqtt_facts_destroy);
    DROP(s->coap, coap_facts_destroy);
    DROP(s->vnc, vnc_facts_destroy);
    DROP(s->upnp, upnp_facts_destroy);
}

void service_free(struct service *s)
{
    free(s->banner);
    free(s->ident);
    service_facts_clear(s);
    free(s);
}

struct service *run_find_service(const struct run *r, long port, enum transport t)
{
    for (size_t i = 0; i < r->nservices; i++)
        if (r->services[i]->port == port && r->services[i]->transport == t)
            return r->services[i];
    return NULL;
}

struct service *run_add_service(struct run *r, long port, enum transport t)
{
    struct service *s;
    size_t at;

    pthread_mutex_lock(&r->lock);
    s = run_find_service(r, port, t);
    if (s)
        goto out;
    s = xcalloc(1, sizeof(*s));
    s->port = port;
    s->transport = t;
    sp_strlcpy(s->name, "unknown", sizeof(s->name));
    s->decl = device_service(r->device, port, t);
    s->declared = s->decl != NULL;
    r->services = xrealloc(r->services, (r->nservices + 1) * sizeof(*r->services));
    for (at = r->nservices; at > 0; at--) {
        const struct service *p = r->services[at - 1];
        if (p->transport < t || (p->transport == t && p->port < port))
            break;
        r->services[at] = r->services[at - 1];
    }
    r->services[at] = s;
    r->nservices++;
out:
    pthread_mutex_unlock(&r->lock);
    return s;
}

void service_label(const struct service *s, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%ld", transport_name(s->transport), s->port);
}

const struct check *run_check_for(const struct run *r, const struct probe *p)
{
    for (size_t i = 0; i < r->profile->nreqs; i++)
        for (size_t j = 0; j < r->profile->reqs[i].nchecks; j++)
            if (r->profile->reqs[i].checks[j].probe == p)
                return &r->profile->reqs[i].checks[j];
    return NULL;
}

/* ---- results ---- */

void cr_set(struct check_result *res, enum sp_verdict v, const char *fmt, ...)
{
    va_list ap;
    char tmp[512];

    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    free(res->reason);
    res->reason = xstrdup(tmp);
    res->verdict = v;
}

static void cr_add(struct check_result *res, const char *service, const char *flag, char *detail)
{
    res->ev = xrealloc(res->ev, (res->nev + 1) * sizeof(*res->ev));
    res->ev[res->nev].service = service ? xstrdup(service) : NULL;
    res->ev[res->nev].detail = detail;
    res->ev[res->nev].flag = flag ? xstrdup(flag) : NULL;
    res->nev++;
}

void cr_evidence(struct check_result *res, const char *service, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    char *detail = xvasprintf(fmt, ap);
    va_end(ap);
    cr_add(res, service, NULL, detail);
}

void cr_flag(struct check_result *res, const char *service, const char *flag, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    char *detail = xvasprintf(fmt, ap);
    va_end(ap);
    cr_add(res, service, flag, detail);
}

/* ---- progress ---- */

void run_progress(struct run *r, int force, const char *fmt, ...)
{
    va_list ap;
    int64_t now = sp_now_ms();
    char line[400];
    int n;

    if (r->opt.quiet)
        return;
    /* stderr's lock also guards progress_last: workers report from several threads. */
    flockfile(stderr);
    /* Plain output (a log, CI) gets a line every few seconds, not a flood. */
    if (!force && now - r->progress_last < (r->progress_tty ? 100 : 5000)) {
        funlockfile(stderr);
        return;
    }
    r->progress_last = now;
    /*
     * The whole line in one write: workers that run at once are processes,
     * which stderr's lock does not order, and a line written in pieces would
     * interleave with another's.
     */
    n = snprintf(line, sizeof(line), "%s[%5.1fs] ", r->progress_tty ? "\r\033[K" : "",
                 (double)(now - r->t0_ms) / 1000.0);
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof(line))
        vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    if (!r->progress_tty) {
        size_t l = strlen(line);
        if (l + 1 < sizeof(line)) {
            line[l] = '\n';
            line[l + 1] = '\0';
        } else {
            line[sizeof(line) - 2] = '\n';
        }
    }
    fputs(line, stderr);
    fflush(stderr);
    funlockfile(stderr);
}

void run_progress_done(struct run *r)
{
    if (!r->opt.quiet && r->progress_tty) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
}

/* ---- the per-target slots ---- */

int run_slot_take(struct run *r)
{
    struct run_slots *sl = r->slots;

    if (!sl)
        return 0;
    for (;;) {
        struct timespec ts = {0, SLOT_POLL_MS * 1000000L};

        slots_lock(sl);
        if (slots_taken(sl) < sl->cap) {
            sl->held[r->slot_owner]++;
            pthread_mutex_unlock(&sl->lock);
            return 0;
        }
        pthread_mutex_unlock(&sl->lock);
        /* The deadline and ^C are seen while other workers hold every slot. */
        if (run_expired(r))
            return SP_ERR_NOT_STARTED;
        nanosleep(&ts, NULL);
    }
}

void run_slot_give(struct run *r)
{
    struct run_slots *sl = r->slots;

    if (!sl)
        return;
    slots_lock(sl);
    if (sl->held[r->slot_owner] > 0)
        sl->held[r->slot_owner]--;
    pthread_mutex_unlock(&sl->lock);
}

void run_slots_reclaim(struct run *r, int owner)
{
    struct run_slots *sl = r->slots;

    if (!sl || owner < 0 || owner > RUN_MAX_WORKERS)
        return;
    slots_lock(sl);
    sl->held[owner] = 0;
    pthread_mutex_unlock(&sl->lock);
}

/* ---- parallel work under the per-target cap ---- */

struct pool {
    struct run *r;
    size_t n, next;
    int slotted;                /* each item holds a per-target slot */
    pthread_mutex_t lock;
    void (*fn)(struct run *, size_t, void *);
    void *arg;
};

static void *pool_worker(void *p)
{
    struct pool *pl = p;

    for (;;) {
        size_t i;
        pthread_mutex_lock(&pl->lock);
        i = pl->next++;
        pthread_mutex_unlock(&pl->lock);
        if (i >= pl->n || run_expired(pl->r))
            break;
        if (pl->slotted && run_slot_take(pl->r) != 0)
            break;
        pl->fn(pl->r, i, pl->arg);
        if (pl->slotted)
            run_slot_give(pl->r);
    }
    return NULL;
}

static void pool_run(struct run *r, size_t n, size_t width, int slotted,
                     void (*fn)(struct run *, size_t, void *), void *arg)
{
    struct pool pl = {.r = r, .n = n, .slotted = slotted, .fn = fn, .arg = arg};
    size_t nt = width < n ? width : n;
    pthread_t *th;
    size_t started = 0;

    if (n == 0)
        return;
    pthread_mutex_init(&pl.lock, NULL);
    th = xcalloc(nt, sizeof(*th));
    for (size_t i = 0; i < nt; i++)
        if (pthread_create(&th[i], NULL, pool_worker, &pl) == 0)
            started++;
        else
            break;
    if (started == 0)
        pool_worker(&pl);
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    pthread_mutex_destroy(&pl.lock);
}

void run_parallel(struct run *r, size_t n, void (*fn)(struct run *, size_t, void *), void *arg)
{
    pool_run(r, n, (size_t)r->opt.jobs, 1, fn, arg);
}

void run_parallel_width(struct run *r, size_t n, size_t width,
                        void (*fn)(struct run *, size_t, void *), void *arg)
{
    pool_run(r, n, width, 0, fn, arg);
}

/* ---- scheduling ---- */

int run_gathered(const struct run *r, const struct gatherer *g, int *rc)
{
    for (size_t i = 0; i < r->ngathered; i++)
        if (r->gathered[i].g == g) {
            *rc = r->gathered[i].rc;
            return 1;
        }
    return 0;
}

size_t run_gathered_index(const struct run *r, const struct gatherer *g)
{
    for (size_t i = 0; i < r->ngathered; i++)
        if (r->gathered[i].g == g)
            return i;
    return r->ngathered;
}

/*
 * Decide one check. The harness handles what is the same for every probe —
 * switched-off requirements, pending and intrusive probes, a gatherer that
 * never ran — so a probe's judge only sees facts that were really gathered.
 */
static void judge_check(struct run *r, const struct requirement *req, const struct check *c,
                        struct check_result *res)
{
    const struct probe *p = c->probe;
    int rc = 0;

    res->req = req;
    res->check = c;
    if (req->disabled) {
        cr_set(res, V_NOT_APPLICABLE, "Switched off by the profile: %s", req->disabled);
        return;
    }
    if ((p->flags & PROBE_INTRUSIVE) && !r->opt.intrusive) {
        cr_set(res, V_INCONCLUSIVE, "intrusive check not enabled (run with --intrusive to perform it)");
        return;
    }
    if (p->gatherer && !run_gathered(r, p->gatherer, &rc)) {
        cr_set(res, V_INCONCLUSIVE, "The facts this check needs were not gathered.");
        return;
    }
    if (rc == SP_ERR_NOT_STARTED) {
        if (sp_interrupted)
            cr_set(res, V_INCONCLUSIVE, "The run was interrupted before %s could gather its facts.",
                   p->name);
        else
            cr_set(res, V_INCONCLUSIVE,
                   "The run deadline (%d s) passed before %s could gather its facts.",
                   r->opt.deadline_s, p->name);
        return;
    }
    if (rc == SP_ERR_CRASHED) {
        /* Nothing the worker saw came back: judging its facts would judge an empty device. */
        size_t i = run_gathered_index(r, p->gatherer);
        const struct gatherer *cause = r->gathered[i].cause ? r->gathered[i].cause : p->gatherer;
        int signo = r->gathered[i].signo;
        if (signo == SIGKILL)
            cr_set(res, V_ERROR, "The %s step was stopped (SIGKILL): it overran the run deadline, so %s "
                   "has no facts to judge.", cause->name, p->name);
        else if (signo)
            cr_set(res, V_ERROR, "The %s step crashed (signal %d, %s) while talking to the device, so %s "
                   "has no facts to judge; this is a starprobe bug, please report it.",
                   cause->name, signo, strsignal(signo), p->name);
        else
            cr_set(res, V_ERROR, "The %s step ended without handing back its facts, so %s has none to judge.",
                   cause->name, p->name);
        return;
    }
    /* Otherwise the judge sees what was gathered, complete or not, and says which. */
    p->judge(r, c, res);
    if (!res->reason)
        cr_set(res, V_ERROR, "Probe %s returned no verdict (an internal error).", p->name);
    /*
     * A target that answered on no port proves nothing by its silence: no
     * network check may call it conformant, whatever its judge concluded from
     * an empty list of services.
     */
    if (r->unreachable && p->gatherer &&
        (res->verdict == V_PASS || res->verdict == V_NOT_APPLICABLE))
        cr_set(res, V_INCONCLUSIVE, "The target answered on no port, so %s examined nothing (%s).",
               p->name, r->scan.why_incomplete[0] ? r->scan.why_incomplete : "every port silent");
}

void run_judge(struct run *r)
{
    const struct profile *p = r->profile;
    enum sp_verdict *vs = xcalloc(p->nreqs, sizeof(*vs));

    r->results = xcalloc(p->nreqs, sizeof(*r->results));
    r->nresults = p->nreqs;
    for (size_t i = 0; i < p->nreqs; i++) {
        const struct requirement *req = &p->reqs[i];
        struct req_result *rr = &r->results[i];
        size_t worst = 0;

        rr->req = req;
        rr->checks = xcalloc(req->nchecks ? req->nchecks : 1, sizeof(*rr->checks));
        rr->nchecks = req->nchecks;
        rr->verdict = V_NOT_APPLICABLE;
        for (size_t j = 0; j < req->nchecks; j++) {
            judge_check(r, req, &req->checks[j], &rr->checks[j]);
            if (j == 0 || rr->checks[j].verdict > rr->verdict) {
                rr->verdict = rr->checks[j].verdict;
                worst = j;
            }
        }
        if (req->nchecks == 0)
            rr->reason = xasprintf("Switched off by the profile: %s",
                                   req->disabled ? req->disabled : "no checks");
        else
            rr->reason = xstrdup(rr->checks[worst].reason);
        vs[i] = rr->verdict;
    }
    r->overall = overall_from(vs, (int)p->nreqs);
    free(vs);
}
