/*
 * creds.c - creds.defaults (S1.1-02): public default credentials tried on
 * every login service the port scan identified (by name, never by port).
 *
 * The gatherer prepares each service once (how does it authenticate?), then
 * runs every planned attempt under the per-target connection cap, services
 * interleaved so no single one is hammered, stopping on a service as soon as
 * a login is proven and never exceeding max_attempts_per_account per user
 * name: this probe must not be the one that locks the device. It records
 * facts (the service's struct login_facts, the run's credentials); the judge decides.
 *
 * Secrets: only dictionary pairs are ever tried here, so only public
 * passwords can reach a report. Declared test-account passwords are not used
 * by this probe at all.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "creds.h"
#include "proto.h"
#include "ident.h"
#include "ports.h"
#include "run.h"

extern const struct probe probe_creds_defaults;
extern const struct probe probe_auth_unauthenticated;

static const struct probe_param creds_params[] = {
    {"dictionaries", "[iot-defaults]", "credential lists from profiles/ (CREDENTIALS.md)"},
    {"max_attempts_per_account", "5", "never more attempts per account (without --intrusive)"},
    {"intrusive_full_sweep", "1",
     "with --intrusive, the whole list in rounds, stopped at the first sign of throttling (0: the budget)"},
    {"pairs", "[]", "extra [user, password] pairs the profile adds"},
    {"attempt_timeout_ms", "10000", "deadline of one login attempt"},
    {"per_service_jobs", "1", "attempts in flight on one service at once (1-8)"},
    {"slow_service_jobs", "4",
     "attempts in flight on a service that makes a failed login wait slow_failure_ms or more "
     "(a PAM or busybox failure delay), while it answers every attempt clearly (1-8; never more "
     "than --jobs)"},
    {"slow_failure_ms", "1000", "a failed login this slow widens its service to slow_service_jobs"},
    {NULL, NULL, NULL}};

/* ---- dictionaries ---- */

void cred_dict_init(struct cred_dict *d)
{
    memset(d, 0, sizeof(*d));
}

void cred_dict_free(struct cred_dict *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->pairs[i].user);
        free(d->pairs[i].pass);
        free(d->pairs[i].source);
    }
    free(d->pairs);
    for (size_t i = 0; i < d->ncomm; i++) {
        free(d->communities[i]);
        free(d->comm_source[i]);
    }
    free(d->communities);
    free(d->comm_source);
    memset(d, 0, sizeof(*d));
}

void cred_dict_add(struct cred_dict *d, const char *user, const char *pass, unsigned protos,
                   const char *source)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->pairs[i].user, user) == 0 && strcmp(d->pairs[i].pass, pass) == 0) {
            /* A restricted duplicate of an unrestricted pair adds nothing; otherwise widen. */
            if (d->pairs[i].protos && protos)
                d->pairs[i].protos |= protos;
            else
                d->pairs[i].protos = 0;
            return;
        }
    d->pairs = xrealloc(d->pairs, (d->n + 1) * sizeof(*d->pairs));
    d->pairs[d->n].user = xstrdup(user);
    d->pairs[d->n].pass = xstrdup(pass);
    d->pairs[d->n].protos = protos;
    d->pairs[d->n].source = xstrdup(source);
    d->n++;
}

void cred_dict_add_community(struct cred_dict *d, const char *community, const char *source)
{
    for (size_t i = 0; i < d->ncomm; i++)
        if (strcmp(d->communities[i], community) == 0)
            return;
    d->communities = xrealloc(d->communities, (d->ncomm + 1) * sizeof(char *));
    d->comm_source = xrealloc(d->comm_source, (d->ncomm + 1) * sizeof(char *));
    d->communities[d->ncomm] = xstrdup(community);
    d->comm_source[d->ncomm] = xstrdup(source);
    d->ncomm++;
}

static unsigned protos_from(const struct ynode *list, struct yerr *e, const char *file, int *bad)
{
    unsigned m = 0;

    *bad = 0;
    if (list->type != Y_SEQ) {
        *bad = yerr_at(e, file, list, "services must be a list such as [ftp, telnet]");
        return 0;
    }
    for (size_t i = 0; i < list->n; i++) {
        const struct proto *p;
        if (list->items[i]->type != Y_SCALAR ||
            !(p = proto_for_name(list->items[i]->value, NULL)) || !p->login_prepare) {
            *bad = yerr_at(e, file, list->items[i], "unknown login service (ssh, telnet, http, "
                                                    "https, ftp, mqtt, mqtts, rtsp)");
            return 0;
        }
        m |= 1u << proto_index(p);    /* "https" names HTTP, as "http" does */
    }
    return m;
}

/* One [user, password] or [user, password, [services]] item. */
static int merge_pair(struct cred_dict *d, const struct ynode *it, const char *source,
                      const char *file, struct yerr *e)
{
    unsigned protos = 0;
    int bad = 0;

    if (it->type != Y_SEQ || it->n < 2 || it->n > 3 || it->items[0]->type != Y_SCALAR ||
        it->items[1]->type != Y_SCALAR)
        return yerr_at(e, file, it, "a pair is [user, password] or [user, password, [services]]");
    if (strlen(it->items[0]->value) > 128 || strlen(it->items[1]->value) > 128)
        return yerr_at(e, file, it, "user and password are at most 128 characters");
    if (it->n == 3) {
        protos = protos_from(it->items[2], e, file, &bad);
        if (bad)
            return bad;
    }
    cred_dict_add(d, it->items[0]->value, it->items[1]->value, protos, source);
    return 0;
}

int cred_dict_merge_doc(struct cred_dict *d, const struct ydoc *doc, const char *source,
                        struct yerr *e)
{
    static const char *const keys[] = {"credentials", "pairs", "communities", NULL};
    const struct ynode *root = doc->root, *pairs, *comm;
    int rc;

    if (!root || root->type != Y_MAP)
        return yerr_at(e, doc->file, root, "a credential dictionary is a map with 'credentials:'");
    if (!ynode_get(root, "credentials"))
        return yerr_at(e, doc->file, root, "not a credential dictionary (no 'credentials:' key)");
    rc = ymap_check_keys(root, keys, e, "credential dictionary");
    if (rc)
        return rc;
    pairs = ynode_get(root, "pairs");
    if (pairs && !ynode_is_null(pairs)) {
        if (pairs->type != Y_SEQ)
            return yerr_at(e, doc->file, pairs, "pairs must be a list");
        for (size_t i = 0; i < pairs->n; i++)
            if ((rc = merge_pair(d, pairs->items[i], source, doc->file, e)) != 0)
                return rc;
    }
    comm = ynode_get(root, "communities");
    if (comm && !ynode_is_null(comm)) {
        if (comm->type != Y_SEQ)
            return yerr_at(e, doc->file, comm, "communities must be a list");
        for (size_t i = 0; i < comm->n; i++) {
            if (comm->items[i]->type != Y_SCALAR || strlen(comm->items[i]->value) > 64)
                return yerr_at(e, doc->file, comm->items[i], "a community is a string (<= 64)");
            cred_dict_add_community(d, comm->items[i]->value, source);
        }
    }
    return 0;
}

int cred_dict_load(struct cred_dict *d, const char *name, struct yerr *e)
{
    struct ydoc doc;
    char *path = NULL;
    int rc;

    if (strchr(name, '/')) {
        path = xstrdup(name);
    } else {
        for (const char *const *dir = profile_dirs(); *dir && !path; dir++) {
            char *p = xasprintf("%s/%s.yaml", *dir, name);
            if (access(p, R_OK) == 0)
                path = p;
            else
                free(p);
        }
    }
    if (!path) {
        snprintf(e->msg, sizeof(e->msg), "no credential dictionary '%s' in the profile directories",
                 name);
        return SP_ERR_IO;
    }
    ydoc_init(&doc);
    rc = ydoc_load(&doc, path, e);
    if (rc == 0) {
        const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
        char src[64];
        sp_strlcpy(src, base, sizeof(src));
        char *dot = strrchr(src, '.');
        if (dot && strchr(name, '/'))
            *dot = '\0';
        rc = cred_dict_merge_doc(d, &doc, src, e);
    }
    ydoc_free(&doc);
    free(path);
    return rc;
}

/* ---- plan ---- */

void cred_plan_free(struct cred_plan *p)
{
    free(p->idx);
    free(p->cut);
    free(p->round);
    memset(p, 0, sizeof(*p));
}

void cred_plan_build(const struct cred_dict *d, const struct proto *proto, long budget,
                     struct cred_plan *p)
{
    unsigned bit = 1u << proto_index(proto);
    struct strbuf cut;

    memset(p, 0, sizeof(*p));
    if (proto->flags & PROTO_SECRET_ONLY) {
        p->idx = xcalloc(d->ncomm ? d->ncomm : 1, sizeof(*p->idx));
        for (size_t i = 0; i < d->ncomm; i++)
            p->idx[p->n++] = i;
        return;
    }
    if (budget < 1)
        budget = 1;
    sb_init(&cut);
    p->idx = xcalloc(d->n ? d->n : 1, sizeof(*p->idx));
    for (size_t i = 0; i < d->n; i++) {
        const struct cred_pair *c = &d->pairs[i];
        long before = 0, total = 0;
        int first = 1;
        if (c->protos && !(c->protos & bit))
            continue;
        /* How many of this user's pairs came before (and fit), and is this its first? */
        for (size_t j = 0; j < d->n; j++) {
            if (strcmp(d->pairs[j].user, c->user) != 0 ||
                (d->pairs[j].protos && !(d->pairs[j].protos & bit)))
                continue;
            if (j < i) {
                before++;
                first = 0;
            }
            total++;
        }
        if (before < budget)
            p->idx[p->n++] = i;
        if (first && total > budget) {
            sb_printf(&cut, "%s%s (%ld pairs, %ld tried)", cut.len ? ", " : "",
                      c->user[0] ? c->user : "(empty user)", total, budget);
            p->ncut++;
        }
    }
    p->cut = cut.len ? sb_steal(&cut) : NULL;
    sb_free(&cut);
}

void cred_plan_rounds(const struct cred_dict *d, const struct proto *proto, long budget,
                      struct cred_plan *p)
{
    size_t *idx, *round, k = 0;

    cred_plan_build(d, proto, budget > 0 ? budget : LONG_MAX, p);
    round = xcalloc(p->n ? p->n : 1, sizeof(*round));
    if (!(proto->flags & PROTO_SECRET_ONLY))
        for (size_t i = 0; i < p->n; i++)
            for (size_t j = 0; j < i; j++)
                round[i] += strcmp(d->pairs[p->idx[j]].user, d->pairs[p->idx[i]].user) == 0;
    /* Stable: by round, and within a round in dictionary order. */
    idx = xcalloc(p->n ? p->n : 1, sizeof(*idx));
    p->round = xcalloc(p->n ? p->n : 1, sizeof(*p->round));
    for (size_t rd = 0; k < p->n; rd++) {
        for (size_t i = 0; i < p->n; i++)
            if (round[i] == rd) {
                idx[k] = p->idx[i];
                p->round[k++] = rd;
            }
        p->nrounds = rd + 1;
    }
    free(p->idx);
    free(round);
    p->idx = idx;
}

/* ---- the sweep ---- */

struct svc_sweep {
    struct service *svc;
    struct login_service ls;
    struct cred_plan plan;
    int prep_rc;
    int prepared;               /* login_prepare has returned (guarded by the sweep lock) */
    /* Guarded by the sweep lock. */
    int found;                  /* index into attempts of the proving one, + 1 */
    int inflight;
    long width;                 /* attempts allowed in flight: per_service, or slow_jobs once slow */
    int64_t first_ms;           /* when the service's first attempt started, 0 before */
    size_t next;                /* plan rank allowed to start next: keeps the plan's order */
    int locked;
    size_t done, rejected, errors, skipped;
    char first_error[LOGIN_TRANSCRIPT];
    /* Intrusive sweeps: the declared test account that is logged in between rounds, if any. */
    const struct decl_account *watch;
    const char *watch_state;    /* "watched", "not declared", or why it could not be */
    int watch_failed;           /* declared, but it did not log in before the sweep */
    size_t rounds_done;
    char stopped[200];          /* why the sweep of this service ended early, "" if it did not */
};

struct attempt {
    size_t svc;
    size_t item;                /* pair or community index */
    size_t rank;                /* position in the service's plan */
    int ran;
    struct login_result res;
};

struct sweep {
    struct cred_dict dict;
    struct svc_sweep *svcs;
    size_t nsvcs;
    struct attempt *att;
    size_t natt;
    long budget, per_service;
    long slow_jobs, slow_ms;    /* a service whose failures wait slow_ms gets slow_jobs at once */
    long cap, active;           /* --jobs: attempts in flight on the whole device, and now */
    int rounds;                 /* --intrusive: the whole list, in rounds, watched between them */
    int64_t attempt_ms;
    pthread_cond_t slot;        /* signalled when an attempt on some service ends */
    char **http_paths;
    pthread_mutex_t lock;
};

/*
 * Wait, holding sw->lock, until an attempt or a preparation ends somewhere.
 * Timed: an item the pool dropped at the run deadline never signals.
 */
static void slot_wait(struct sweep *sw)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 200 * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&sw->slot, &sw->lock, &ts);
}

/*
 * Learn how service i logs in. Its attempts wait for this, not for the other
 * services' preparations: a web admin whose pages take seconds to read does
 * not hold back a PAM-delayed SSH sweep. A service that turns out to ask for
 * no password has its plan dropped, and its queued attempts end unstarted.
 */
static void prepare_one(struct run *r, size_t i, void *arg)
{
    struct sweep *sw = arg;
    struct svc_sweep *s = &sw->svcs[i];

    pthread_mutex_lock(&sw->lock);
    while (sw->active >= sw->cap && !run_expired(r))
        slot_wait(sw);
    sw->active++;
    pthread_mutex_unlock(&sw->lock);
    /* The device's slot too: other gatherers may be running beside the sweep. */
    if (run_slot_take(r) == 0) {
        run_progress(r, 0, "creds.defaults: examining %s (%s)", s->ls.label, s->ls.name);
        s->prep_rc = login_prepare(r, &s->ls, (const char *const *)sw->http_paths,
                                   run_op_deadline(r, sw->attempt_ms));
        run_slot_give(r);
    } else {
        s->prep_rc = SP_ERR_NOT_STARTED;
    }
    pthread_mutex_lock(&sw->lock);
    sw->active--;
    if (s->ls.mode != LOGIN_MODE_PASSWORD)
        cred_plan_free(&s->plan);
    s->prepared = 1;
    pthread_cond_broadcast(&sw->slot);
    pthread_mutex_unlock(&sw->lock);
}

static void attempt_one(struct run *r, size_t i, void *arg)
{
    struct sweep *sw = arg;
    struct attempt *a = &sw->att[i];
    struct svc_sweep *s = &sw->svcs[a->svc];
    const char *user = "", *pass;
    int skip;

    /*
     * Small devices accept few connections at once (busybox telnetd's listen
     * backlog drops the rest, which would read as a refusal): wait for a slot
     * on this service. The queue interleaves services, so other threads keep
     * other services busy meanwhile.
     */
    pthread_mutex_lock(&sw->lock);
    while (!s->found && !s->locked && s->errors < 3 &&
           (!s->prepared || s->inflight >= s->width || s->next != a->rank ||
            sw->active >= sw->cap) &&
           !run_expired(r)) {
        /*
         * The first attempt unanswered after slow_ms is as slow as a slow
         * refusal: the device makes failures wait (a login that works
         * answers at once). Widen now, not one whole failure delay later; the
         * first unclear answer still narrows it again.
         */
        if (s->width < sw->slow_jobs && s->done == 0 && s->inflight > 0 && s->errors == 0 &&
            s->first_ms && sp_now_ms() - s->first_ms >= sw->slow_ms)
            s->width = sw->slow_jobs;
        slot_wait(sw);
    }
    /* A service that answered three attempts ambiguously will not become clear with more. */
    skip = s->found || s->locked || s->errors >= 3 || run_expired(r) || !s->plan.n;
    if (skip) {
        s->skipped++;
    } else {
        s->inflight++;
        sw->active++;
        if (!s->first_ms)
            s->first_ms = sp_now_ms();
    }
    if (s->next == a->rank) {
        s->next++;
        pthread_cond_broadcast(&sw->slot);
    }
    pthread_mutex_unlock(&sw->lock);
    if (skip)
        return;
    if (run_slot_take(r) != 0) {
        /* The run ended while other gatherers held the device's slots. */
        pthread_mutex_lock(&sw->lock);
        s->skipped++;
        s->inflight--;
        sw->active--;
        pthread_cond_broadcast(&sw->slot);
        pthread_mutex_unlock(&sw->lock);
        return;
    }
    if (s->ls.proto->flags & PROTO_SECRET_ONLY) {
        pass = sw->dict.communities[a->item];
    } else {
        user = sw->dict.pairs[a->item].user;
        pass = sw->dict.pairs[a->item].pass;
    }
    run_progress(r, 0, "creds.defaults: %s %s/%s", s->ls.label, user, pass);
    login_attempt(r, &s->ls, user, pass, run_op_deadline(r, sw->attempt_ms), &a->res);
    run_slot_give(r);
    pthread_mutex_lock(&sw->lock);
    a->ran = 1;
    s->done++;
    s->inflight--;
    sw->active--;
    pthread_cond_broadcast(&sw->slot);
    switch (a->res.status) {
    case LOGIN_OK:
        if (!s->found)
            s->found = (int)i + 1;
        break;
    case LOGIN_REJECTED:
        s->rejected++;
        /*
         * The device makes each failure wait (PAM's delay, busybox login's):
         * one attempt at a time would spend the sweep waiting. Overlap a few,
         * as a user's retries from several terminals would; the per-account
         * budget still bounds the total, and the first unclear answer ends it.
         */
        if (a->res.ms >= sw->slow_ms && s->errors == 0 && s->width < sw->slow_jobs) {
            s->width = sw->slow_jobs;
            pthread_cond_broadcast(&sw->slot);
        }
        break;
    case LOGIN_LOCKED: s->locked = 1; break;
    case LOGIN_ERROR:
        s->width = sw->per_service;
        if (!s->errors++)
            sp_strlcpy(s->first_error, a->res.transcript, sizeof(s->first_error));
        break;
    }
    pthread_mutex_unlock(&sw->lock);
}

/*
 * Threads for the attempts: more than --jobs, because a thread whose next
 * attempt waits for its service's turn holds no connection; sw->cap keeps the
 * attempts in flight on the device at --jobs. With only --jobs threads, a
 * slow service's queued attempts would hold every thread while a fast
 * service's next attempt could run.
 */
static size_t sweep_threads(const struct run *r)
{
    return (size_t)r->opt.jobs * 4 > 64 ? 64 : (size_t)r->opt.jobs * 4;
}

/* run_parallel item i of a budget sweep: the preparations first, then the attempts. */
static void sweep_item(struct run *r, size_t i, void *arg)
{
    struct sweep *sw = arg;

    if (i < sw->nsvcs)
        prepare_one(r, i, sw);
    else
        attempt_one(r, i - sw->nsvcs, sw);
}

struct round_arg {
    struct sweep *sw;
    struct attempt **att;
};

/* run_parallel item i of one round: the attempt's index in the whole list, then attempt_one. */
static void attempt_round_one(struct run *r, size_t i, void *arg)
{
    struct round_arg *ra = arg;

    attempt_one(r, (size_t)(ra->att[i] - ra->sw->att), ra->sw);
}

/*
 * The declared test account logs in on service s: 1 yes, 0 no (or unclear).
 * Its transcript is not kept: it is the lab's account, not a finding.
 */
static int watch_logs_in(struct run *r, struct sweep *sw, struct svc_sweep *s)
{
    struct login_result res;

    memset(&res, 0, sizeof(res));
    if (run_slot_take(r) != 0)
        return 0;
    login_attempt(r, &s->ls, s->watch->user, s->watch->password, run_op_deadline(r, sw->attempt_ms),
                  &res);
    run_slot_give(r);
    return res.status == LOGIN_OK;
}

/*
 * --intrusive: the plans are in rounds (cred_plan_rounds); run one round at
 * a time over every service, and between rounds log the declared test account
 * in: when it no longer can, the sweep has locked the device's accounts, and
 * that service's sweep stops there (as it does at once on a lock, a refused
 * connection or three unclear answers). Stopping at the first sign is what
 * keeps the test account from staying locked past the device's own window.
 */
static void sweep_rounds(struct run *r, struct sweep *sw)
{
    size_t nrounds = 0;

    for (size_t i = 0; i < sw->nsvcs; i++) {
        struct svc_sweep *s = &sw->svcs[i];
        if (s->plan.nrounds > nrounds)
            nrounds = s->plan.nrounds;
        for (size_t j = 0; r->device && j < r->device->naccounts && !s->watch; j++) {
            const struct decl_account *a = &r->device->accounts[j];
            if (s->plan.n && a->user && a->password && login_account_matches(a, s->svc) &&
                !(s->ls.proto->flags & PROTO_SECRET_ONLY))
                s->watch = a;
        }
        /* A test account that does not log in before the sweep cannot tell us anything after it. */
        s->watch_state = s->watch ? "watched" : "not declared";
        if (s->watch && !watch_logs_in(r, sw, s)) {
            s->watch = NULL;
            s->watch_failed = 1;
            s->watch_state = "declared, but it did not log in before the sweep (locked already?)";
        }
    }
    for (size_t rd = 0; rd < nrounds && !run_expired(r); rd++) {
        /* This round's attempts: the attempt list is in rank order, and ranks follow rounds. */
        struct attempt **mine = xcalloc(sw->natt ? sw->natt : 1, sizeof(*mine));
        size_t n = 0;

        for (size_t a = 0; a < sw->natt; a++) {
            struct svc_sweep *s = &sw->svcs[sw->att[a].svc];
            if (s->plan.n && s->plan.round[sw->att[a].rank] == rd)
                mine[n++] = &sw->att[a];
        }
        run_progress(r, 0, "creds.defaults: round %zu of %zu", rd + 1, nrounds);
        run_parallel_width(r, n, sweep_threads(r), attempt_round_one, &(struct round_arg){sw, mine});
        free(mine);
        for (size_t i = 0; i < sw->nsvcs; i++) {
            struct svc_sweep *s = &sw->svcs[i];
            if (rd >= s->plan.nrounds || s->found || s->locked || s->errors >= 3)
                continue;
            s->rounds_done = rd + 1;
            if (s->watch && rd + 1 < s->plan.nrounds && !watch_logs_in(r, sw, s)) {
                s->locked = 1;
                snprintf(s->stopped, sizeof(s->stopped), "the declared test account %s no longer "
                         "logged in after round %zu: the device locked it", s->watch->user, rd + 1);
            }
        }
    }
}

/* A list parameter as strings: the profile's value or the probe's default. Caller frees. */
static char **param_list(const struct check *c, const char *key, const char *dflt, size_t *n)
{
    const struct ynode *node = c ? check_param(c, key) : NULL;
    struct ydoc doc;
    struct yerr e;
    char **out = NULL;

    *n = 0;
    ydoc_init(&doc);
    if (!node && dflt && ydoc_load_string(&doc, "default", dflt, strlen(dflt), &e) == 0)
        node = doc.root;
    if (node && node->type == Y_SCALAR) {
        out = xcalloc(2, sizeof(*out));
        out[(*n)++] = xstrdup(node->value);
    } else if (node && node->type == Y_SEQ) {
        out = xcalloc(node->n + 1, sizeof(*out));
        for (size_t i = 0; i < node->n; i++)
            if (node->items[i]->type == Y_SCALAR)
                out[(*n)++] = xstrdup(node->items[i]->value);
    }
    ydoc_free(&doc);
    return out;
}

static void free_list(char **l)
{
    for (size_t i = 0; l && l[i]; i++)
        free(l[i]);
    free(l);
}

/* Record what the sweep of one service found, as facts for the judge and the report. */
static void record_service(struct run *r, struct sweep *sw, struct svc_sweep *s)
{
    int secret_only = (s->ls.proto->flags & PROTO_SECRET_ONLY) != 0;
    struct login_facts *f = login_facts_new();

    f->protocol = xstrdup(s->ls.name);
    f->auth = s->ls.mode;
    f->how = xstrdup(s->ls.how);
    /* Set only by handlers that log in on a resource (HTTP, RTSP). */
    if (s->ls.path[0])
        f->path = xstrdup(s->ls.path);
    if (s->ls.scheme[0])
        f->scheme = xstrdup(s->ls.scheme);
    f->form = login_form_facts(&s->ls);
    f->planned = (long)s->plan.n;
    f->attempts = (long)s->done;
    f->rejected = (long)s->rejected;
    f->errors = (long)s->errors;
    f->locked = s->locked;
    f->max_attempts_per_account = (long)sw->budget;
    {
        /* The most attempts any one user name got: the budget, as the device saw it. */
        size_t most = 0;
        for (size_t a = 0; a < sw->natt; a++) {
            size_t cnt = 0;
            if (&sw->svcs[sw->att[a].svc] != s || !sw->att[a].ran || secret_only)
                continue;
            for (size_t b = 0; b < sw->natt; b++)
                if (sw->att[b].svc == sw->att[a].svc && sw->att[b].ran &&
                    strcmp(sw->dict.pairs[sw->att[b].item].user,
                           sw->dict.pairs[sw->att[a].item].user) == 0)
                    cnt++;
            if (cnt > most)
                most = cnt;
        }
        f->most_attempts_one_account = (long)most;
    }
    if (s->plan.cut)
        f->cut_by_budget = xstrdup(s->plan.cut);
    f->sweep = sw->rounds ? LOGIN_SWEEP_ROUNDS : LOGIN_SWEEP_BUDGET;
    f->in_flight = (long)s->width;
    if (sw->rounds && s->ls.mode == LOGIN_MODE_PASSWORD) {
        f->in_rounds = 1;
        f->rounds = (long)s->plan.nrounds;
        f->rounds_done = (long)s->rounds_done;
        f->test_account = xstrdup(s->watch_state ? s->watch_state : "not declared");
        for (size_t a = 0; a < sw->natt && !secret_only; a++) {
            const char *u = sw->dict.pairs[sw->att[a].item].user;
            if (&sw->svcs[sw->att[a].svc] == s && sw->att[a].ran)
                login_facts_count(f, u[0] ? u : "(empty user)");
        }
        f->stopped = xstrdup(s->found ? "login found"
                             : s->stopped[0] ? s->stopped
                             : s->locked ? "throttled: the device locked or refused further attempts"
                             : s->errors >= 3 ? "three answers unconfirmed either way"
                             : s->done < s->plan.n ? "the run deadline"
                             : s->watch_failed ? "complete, but unwatched: the declared test "
                               "account did not log in before the sweep, so a lockout that "
                               "answers like a wrong password would not have been seen"
                             : "complete");
    }
    if (s->errors)
        f->first_error = xstrdup(s->first_error);
    if (s->found) {
        const struct attempt *a = &sw->att[s->found - 1];
        const char *user = secret_only ? "" : sw->dict.pairs[a->item].user;
        const char *pass = secret_only ? sw->dict.communities[a->item] : sw->dict.pairs[a->item].pass;
        const char *src = secret_only ? sw->dict.comm_source[a->item] : sw->dict.pairs[a->item].source;
        f->found = 1;
        f->found_user = xstrdup(user);
        f->found_password = xstrdup(pass);
        f->found_transcript = xstrdup(a->res.transcript);
        run_add_credential(r, s->ls.label, s->ls.name, user, pass, src,
                           secret_only ? "snmp-community" : NULL);
    }
    run_set_login_facts(r, s->svc, f);
}

/* Extra pairs from the profile's `pairs:` parameter. */
static int add_profile_pairs(struct cred_dict *d, const struct check *c, struct yerr *e)
{
    const struct ynode *n = c ? check_param(c, "pairs") : NULL;

    if (!n || ynode_is_null(n))
        return 0;
    if (n->type != Y_SEQ)
        return yerr_at(e, n->file, n, "pairs must be a list of [user, password]");
    for (size_t i = 0; i < n->n; i++) {
        int rc = merge_pair(d, n->items[i], "profile", n->file, e);
        if (rc)
            return rc;
    }
    return 0;
}

/*
 * The declaration's accounts add their user names (never their passwords):
 * a vendor's own account name with a trivial password is a default too.
 */
static void add_declared_users(struct cred_dict *d, const struct device *dev)
{
    static const char *const trivial[] = {"", "admin", "password", "1234", "12345"};

    for (size_t i = 0; dev && i < dev->naccounts; i++) {
        const char *u = dev->accounts[i].user;
        const struct proto *p = dev->accounts[i].service
                                    ? proto_for_name(dev->accounts[i].service, NULL) : NULL;
        int known = 0;
        if (!u || !u[0] || !p || !p->login_prepare || (p->flags & PROTO_SECRET_ONLY))
            continue;
        for (size_t j = 0; j < d->n && !known; j++)
            known = strcmp(d->pairs[j].user, u) == 0;
        if (known)
            continue;
        cred_dict_add(d, u, u, 0, "declared user name");
        for (size_t k = 0; k < SP_ARRAY_LEN(trivial); k++)
            cred_dict_add(d, u, trivial[k], 0, "declared user name");
    }
}

static int creds_gather(struct run *r)
{
    const struct check *c = run_check_for(r, &probe_creds_defaults);
    struct sweep sw;
    char **dicts;
    size_t ndicts, npaths, maxn = 0;
    struct yerr e;
    int rc = 0;

    memset(&sw, 0, sizeof(sw));
    pthread_mutex_init(&sw.lock, NULL);
    pthread_cond_init(&sw.slot, NULL);
    cred_dict_init(&sw.dict);
    sw.budget = c ? check_param_int(c, "max_attempts_per_account", 5) : 5;
    sw.attempt_ms = c ? check_param_int(c, "attempt_timeout_ms", 10000) : 10000;
    if (sw.budget < 1)
        sw.budget = 1;
    /*
     * --intrusive is the user's consent to the lockout risk the budget exists to avoid: the
     * whole list, in rounds, stopping a service at the first sign of throttling.
     */
    sw.rounds = r->opt.intrusive && (!c || check_param_int(c, "intrusive_full_sweep", 1));
    sw.cap = r->opt.jobs > 0 ? r->opt.jobs : 1;
    sw.per_service = c ? check_param_int(c, "per_service_jobs", 1) : 1;
    if (sw.per_service < 1 || sw.per_service > 8)
        sw.per_service = 1;
    sw.slow_jobs = c ? check_param_int(c, "slow_service_jobs", 4) : 4;
    if (sw.slow_jobs < sw.per_service || sw.slow_jobs > 8)
        sw.slow_jobs = sw.per_service;
    sw.slow_ms = c ? check_param_int(c, "slow_failure_ms", 1000) : 1000;
    if (sw.attempt_ms < 500)
        sw.attempt_ms = 500;
    dicts = param_list(c, "dictionaries", "[iot-defaults]", &ndicts);
    for (size_t i = 0; i < ndicts; i++) {
        memset(&e, 0, sizeof(e));
        if (cred_dict_load(&sw.dict, dicts[i], &e) != 0) {
            fprintf(stderr, "starprobe: creds.defaults: %s\n", e.msg);
            rc = SP_ERR_PARSE;
        }
    }
    free_list(dicts);
    memset(&e, 0, sizeof(e));
    if (add_profile_pairs(&sw.dict, c, &e) != 0) {
        fprintf(stderr, "starprobe: creds.defaults: %s\n", e.msg);
        rc = SP_ERR_PARSE;
    }
    if (rc)
        goto cleanup;       /* a dictionary that did not load must not read as "nothing found" */
    add_declared_users(&sw.dict, r->device);
    {
        const struct check *uc = run_check_for(r, &probe_auth_unauthenticated);
        sw.http_paths = param_list(uc, "http_paths",
                                   "[/admin, /cgi-bin, /api, /config, /setup, /system]", &npaths);
    }

    /* Services whose handler can log in; the judge names the others (proto_login_gap). */
    sw.svcs = xcalloc(r->nservices ? r->nservices : 1, sizeof(*sw.svcs));
    for (size_t i = 0; i < r->nservices; i++) {
        struct service *s = r->services[i];
        const struct proto *p = proto_of(s, NULL);
        if (!p || !p->login_prepare)
            continue;
        sw.svcs[sw.nsvcs].svc = s;
        sw.svcs[sw.nsvcs].width = sw.per_service;
        login_service_init(&sw.svcs[sw.nsvcs].ls, r, s);
        sw.nsvcs++;
    }
    /*
     * Every service's plan, before anyone knows whether it asks for a
     * password: prepare_one drops the plan of one that does not. Then
     * interleave the plans: rank 0 of each, then rank 1, ...
     */
    for (size_t i = 0; i < sw.nsvcs; i++) {
        struct svc_sweep *s = &sw.svcs[i];
        if (sw.rounds)
            cred_plan_rounds(&sw.dict, s->ls.proto, 0, &s->plan);
        else
            cred_plan_build(&sw.dict, s->ls.proto, sw.budget, &s->plan);
        sw.natt += s->plan.n;
        if (s->plan.n > maxn)
            maxn = s->plan.n;
    }
    sw.att = xcalloc(sw.natt ? sw.natt : 1, sizeof(*sw.att));
    {
        size_t k = 0;
        for (size_t rank = 0; rank < maxn; rank++)
            for (size_t i = 0; i < sw.nsvcs; i++)
                if (rank < sw.svcs[i].plan.n) {
                    sw.att[k].svc = i;
                    sw.att[k].item = sw.svcs[i].plan.idx[rank];
                    sw.att[k].rank = rank;
                    k++;
                }
    }
    /*
     * --intrusive: every service prepared before the first round (the test
     * account is watched from the start). Otherwise the preparations go first
     * in the same pool as the attempts, and each service's attempts start as
     * soon as its own preparation ends.
     */
    if (sw.rounds) {
        run_parallel_width(r, sw.nsvcs, (size_t)sw.cap, prepare_one, &sw);
        sweep_rounds(r, &sw);
    } else {
        run_parallel_width(r, sw.nsvcs + sw.natt, sweep_threads(r), sweep_item, &sw);
    }
    for (size_t i = 0; i < sw.nsvcs; i++)
        record_service(r, &sw, &sw.svcs[i]);

cleanup:
    for (size_t i = 0; i < sw.nsvcs; i++) {
        cred_plan_free(&sw.svcs[i].plan);
        login_service_free(&sw.svcs[i].ls);
    }
    free(sw.svcs);
    free(sw.att);
    free_list(sw.http_paths);
    cred_dict_free(&sw.dict);
    pthread_cond_destroy(&sw.slot);
    pthread_mutex_destroy(&sw.lock);
    return rc;
}

const struct gatherer gatherer_creds = {
    .name = "creds",
    .needs = &gatherer_scan,
    /*
     * It writes "login" and the credentials found. Gatherers beside it only
     * read and cannot lock an account: bruteforce, which measures the reaction
     * to failed logins, runs before (GATHER_BEFORE_LOGINS); compare, which
     * reads the credentials, runs alone after it.
     */
    .flags = GATHER_CONCURRENT,
    .gather = creds_gather,
};

/* ---- the rule ---- */

static void creds_judge(struct run *r, const struct check *c, struct check_result *res)
{
    struct strbuf bad, unsure;
    size_t swept = 0, examined = 0, other = 0;     /* other: undecided for a reason besides a cut */
    const char *declared;
    char label[32];
    int rc = 0;

    (void)c;
    if (!r->scan.tcp_done) {
        cr_set(res, V_INCONCLUSIVE, "The port scan did not run, so no login service is known.");
        return;
    }
    run_gathered(r, &gatherer_creds, &rc);
    if (rc == SP_ERR_PARSE) {
        cr_set(res, V_ERROR, "A credential dictionary could not be loaded (see the message on "
                             "stderr), so no default credential was tried.");
        return;
    }
    sb_init(&bad);
    sb_init(&unsure);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        const struct login_facts *f = s->login;
        const char *gap, *how;
        int none;
        service_label(s, label, sizeof(label));
        /* Coverage: every open service is in scope; one no handler can log in to is not examined. */
        gap = proto_login_gap(s, &none);
        if (none)
            continue;       /* no password logins in its protocol: nothing to guess */
        if (gap) {
            cr_evidence(res, label, "%s: not examined by creds.defaults: %s", s->name, gap);
            other++;
            sb_printf(&unsure, "%s%s (%s) not examined", unsure.len ? "; " : "", label, s->name);
            continue;
        }
        examined++;
        if (!f) {
            cr_evidence(res, label, "%s: not examined (the run ended first)", s->name);
            other++;
            sb_printf(&unsure, "%s%s not examined", unsure.len ? "; " : "", label);
            continue;
        }
        how = sp_str_or(f->how, "");
        if (f->in_rounds) {     /* --intrusive, in rounds */
            struct strbuf pa;
            sb_init(&pa);
            for (size_t k = 0; k < f->naccounts; k++)
                sb_printf(&pa, "%s%s %ld", k ? ", " : "", f->per_account[k].user,
                          f->per_account[k].attempts);
            cr_evidence(res, label,
                        "--intrusive: the whole list in rounds (%ld of %ld rounds), "
                        "attempts per account: %s; test account between rounds: %s; ended: %s",
                        f->rounds_done, f->rounds, pa.len ? pa.buf : "none",
                        sp_str_or(f->test_account, ""), sp_str_or(f->stopped, ""));
            sb_free(&pa);
            if (f->locked)
                cr_evidence(res, label, "the device's own throttling stopped the sweep: evidence of "
                            "brute-force resistance for S1.1-04 (auth.bruteforce judges it)");
        }
        if (f->found) {
            const char *user = sp_str_or(f->found_user, ""),
                       *pass = sp_str_or(f->found_password, "");
            cr_evidence(res, label, "%s default login %s / %s accepted: %s", s->name,
                        user[0] ? user : "(community)", pass[0] ? pass : "(empty)",
                        sp_str_or(f->found_transcript, ""));
            sb_printf(&bad, "%s%s %s %s/%s", bad.len ? ", " : "", label, s->name, user, pass);
            continue;
        }
        if (f->auth == LOGIN_MODE_NONE) {
            cr_evidence(res, label, "%s refuses password logins: %s", s->name, how);
            swept++;
            continue;
        }
        if (f->auth == LOGIN_MODE_OPEN && !proto_open_is_proof(s)) {
            cr_evidence(res, label, "%s: not examined by creds.defaults: neither an HTTP "
                        "authentication challenge nor a login form was found, and a login by "
                        "script is not tried (%s)", s->name, how);
            other++;
            sb_printf(&unsure, "%s%s (%s) no login found to try", unsure.len ? "; " : "", label,
                      s->name);
            continue;
        }
        if (f->auth == LOGIN_MODE_OPEN) {
            /* No password to guess; whether that is acceptable is S1.1-01's question. */
            cr_evidence(res, label, "%s asks for no credentials, nothing to guess: %s", s->name, how);
            continue;
        }
        if (f->auth != LOGIN_MODE_PASSWORD) {
            cr_evidence(res, label, "%s could not be examined: %s", s->name, how);
            other++;
            sb_printf(&unsure, "%s%s could not be examined", unsure.len ? "; " : "", label);
            continue;
        }
        long planned = f->planned, done = f->attempts, rej = f->rejected;
        const char *cut = sp_str_or(f->cut_by_budget, "");
        cr_evidence(res, label, "%s (%s): %ld of %ld planned attempts made, %ld rejected%s%s%s",
                    s->name, how, done, planned, rej, f->locked ? ", then throttled" : "",
                    cut[0] ? "; sweep cut by the per-account budget: " : "", cut);
        if (f->errors)
            cr_evidence(res, label, "%ld attempt(s) unconfirmed either way, first: %s", f->errors,
                        sp_str_or(f->first_error, ""));
        if (f->locked) {
            /* An unconfirmed answer may hide a login: only a clean refusal leaves it to documents. */
            if (f->errors)
                other++;
            sb_printf(&unsure, "%s%s throttled the sweep", unsure.len ? "; " : "", label);
        }
        else if (done < planned || rej < done) {
            other++;
            sb_printf(&unsure, "%s%s: %ld of %ld attempts confirmed rejected", unsure.len ? "; " : "",
                      label, rej, planned);
        }
        else if (cut[0])
            sb_printf(&unsure, "%s%s swept only within the budget of %ld per account",
                      unsure.len ? "; " : "", label, f->max_attempts_per_account);
        else
            swept++;
    }
    declared = r->device ? device_evidence(r->device, res->req->id) : NULL;
    if (bad.len) {
        cr_set(res, V_FAIL, "Default credentials log in: %s.", bad.buf);
    } else if (unsure.len && !other && declared && r->scan.tcp_complete) {
        /*
         * Every service was examined and refused every pair tried; only the budget or the
         * device's own throttling kept the rest of the list untried. The network has said all it
         * can: the rest rests on the declared evidence (per-unit passwords, say), for a reviewer.
         */
        cr_set(res, V_EVIDENCE_DECLARED, "No default login found, and the sweep went as far as "
               "the network allows (%s); the rest rests on the evidence declared for %s, which a "
               "reviewer must accept.", unsure.buf, res->req->id);
        cr_evidence(res, NULL, "declared: %s", declared);
    } else if (unsure.len) {
        cr_set(res, V_INCONCLUSIVE, "No default login found, but the sweep is incomplete: %s.",
               unsure.buf);
    } else if (swept == 0 && !r->scan.tcp_complete)
        cr_set(res, V_INCONCLUSIVE, "No login service found, but the scan is incomplete: %s.",
               r->scan.why_incomplete);
    else if (swept == 0 && examined)
        cr_set(res, V_INCONCLUSIVE, "No service asked for a password that could be tried (a "
                                    "login by script is not examined).");
    else if (swept == 0)
        cr_set(res, V_NOT_APPLICABLE,
               "No login service (ssh, telnet, http, ftp, mqtt, rtsp, snmp) is open.");
    else if (!r->scan.tcp_complete)
        cr_set(res, V_INCONCLUSIVE, "Every default tried was refused on %zu service(s), but the "
                                    "scan is incomplete: %s.", swept, r->scan.why_incomplete);
    else
        cr_set(res, V_PASS, "Every default credential tried was refused on all %zu login "
                            "service(s).", swept);
    sb_free(&bad);
    sb_free(&unsure);
}

const struct probe probe_creds_defaults = {
    .name = "creds.defaults",
    .summary = "Default credentials on every login service",
    .rule = "Tries the dictionaries' public default credentials (and the profile's pairs) on every "
            "identified ssh, telnet, http(s) Basic/Digest or login form, ftp, mqtt(s), rtsp and "
            "snmp service, at most max_attempts_per_account per user name (with --intrusive the "
            "whole list, in rounds across the accounts, stopped at a lock, a refused connection, "
            "three unclear answers or the declared test account no longer logging in). FAIL if a login is "
            "positively confirmed (a shell echoes a marker, 2xx where 401 without credentials, a "
            "form login after which a page that led to the form answers with something else, "
            "230+257, CONNACK 0 where anonymous is refused, an SNMP GetResponse). PASS only "
            "when every login service refused every attempt and no account's pairs were cut by "
            "the budget. EVIDENCE_DECLARED when every service was examined and refused every pair "
            "tried, only the budget or the device's own throttling left pairs untried, and the "
            "declaration names evidence for the requirement (a reviewer must accept it). "
            "INCONCLUSIVE otherwise.",
    .flags = 0,
    .params = creds_params,
    .gatherer = &gatherer_creds,
    .judge = creds_judge,
};
