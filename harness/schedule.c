/*
 * schedule.c - running the gatherers. Each gatherer a check needs runs once,
 * after its prerequisite, under the whole-run deadline, in a worker process
 * of its own (worker.c); those flagged GATHER_CONCURRENT run beside each
 * other, any other alone (docs/design.md §6.4). Then run.c judges.
 */
#include <stddef.h>

#include "probe.h"
#include "run.h"
#include "schedule.h"
#include "worker.h"

static void record(struct run *r, const struct gatherer *g, int rc, int64_t t0,
                   const struct gatherer *cause, int signo)
{
    if (r->ngathered < RUN_MAX_GATHERERS) {
        r->gathered[r->ngathered].g = g;
        r->gathered[r->ngathered].rc = rc;
        r->gathered[r->ngathered].ms = t0 ? sp_now_ms() - t0 : 0;
        r->gathered[r->ngathered].cause = cause;
        r->gathered[r->ngathered].signo = signo;
        r->ngathered++;
    }
}

/* Add g to a pass's plan after its prerequisites, unless it is there or ran already. */
static size_t plan_add(const struct run *r, const struct gatherer *g, const struct gatherer **plan,
                       size_t n, int depth)
{
    int rc;

    if (depth > 8 || run_gathered(r, g, &rc))
        return n;
    for (size_t i = 0; i < n; i++)
        if (plan[i] == g)
            return n;
    if (g->needs)
        n = plan_add(r, g->needs, plan, n, depth + 1);
    if (n < RUN_MAX_GATHERERS)
        plan[n++] = g;
    return n;
}

/*
 * Start g in a worker, or record why it cannot run: its prerequisite never
 * started or lost its facts in a crash (running on without them would read
 * "nothing found"), or the run is over. 1 when a worker was started.
 */
static int start_one(struct run *r, const struct gatherer *g, struct worker *w, int owner)
{
    int rc;

    if (g->needs && run_gathered(r, g->needs, &rc)) {
        if (rc == SP_ERR_NOT_STARTED) {
            record(r, g, rc, 0, NULL, 0);
            return 0;
        }
        if (rc == SP_ERR_CRASHED) {
            size_t i = run_gathered_index(r, g->needs);
            record(r, g, rc, 0, r->gathered[i].cause, r->gathered[i].signo);
            return 0;
        }
    }
    if (run_expired(r)) {
        record(r, g, SP_ERR_NOT_STARTED, sp_now_ms(), NULL, 0);
        return 0;
    }
    rc = worker_start(r, g, owner, w);
    if (rc != 0) {
        record(r, g, rc, sp_now_ms(), NULL, 0);
        return 0;
    }
    return 1;
}

/* Wait for one of the running workers to end, record it, and drop it from w; the number still running. */
static size_t reap_one(struct run *r, struct worker *w, size_t nrun)
{
    int rc, signo;
    size_t i = worker_reap(r, w, nrun, &rc, &signo);

    record(r, w[i].g, rc, w[i].t0, rc == SP_ERR_CRASHED ? w[i].g : NULL, signo);
    w[i] = w[nrun - 1];
    return nrun - 1;
}

/* Must g wait before it starts, with these workers running? */
static int must_wait(const struct gatherer *g, const struct worker *w, size_t nrun)
{
    if (nrun == 0)
        return 0;
    if (nrun == RUN_MAX_WORKERS || !(g->flags & GATHER_CONCURRENT))
        return 1;
    for (size_t i = 0; i < nrun; i++)
        if (!(w[i].g->flags & GATHER_CONCURRENT) || w[i].g == g->needs)
            return 1;
    return 0;
}

/*
 * Run a pass's plan in its order. A gatherer starts when its prerequisite
 * has ended; one flagged GATHER_CONCURRENT starts beside the others running
 * so flagged, any other waits until it can run alone.
 */
static void run_plan(struct run *r, const struct gatherer *const *plan, size_t n)
{
    struct worker w[RUN_MAX_WORKERS];
    size_t nrun = 0;

    for (size_t i = 0; i < n; i++) {
        int used = 0, owner = 1;

        while (must_wait(plan[i], w, nrun))
            nrun = reap_one(r, w, nrun);
        /* Its row in the slot accounting: one no running worker has. */
        for (size_t j = 0; j < nrun; j++)
            used |= 1 << w[j].owner;
        while (used & (1 << owner))
            owner++;
        if (start_one(r, plan[i], &w[nrun], owner))
            nrun++;
    }
    while (nrun > 0)
        nrun = reap_one(r, w, nrun);
}

int run_execute(struct run *r)
{
    const struct profile *p = r->profile;

    /*
     * Gather in profile order; each gatherer once, its prerequisites first.
     * Those that measure the device's reaction to failed logins go in a first
     * pass, before any other check has made a failed login.
     */
    for (int pass = 0; pass < 2; pass++) {
        const struct gatherer *plan[RUN_MAX_GATHERERS];
        size_t n = 0;

        for (size_t i = 0; i < p->nreqs; i++) {
            const struct requirement *req = &p->reqs[i];
            if (req->disabled)
                continue;
            for (size_t j = 0; j < req->nchecks; j++) {
                const struct probe *pr = req->checks[j].probe;
                if (!pr->gatherer)
                    continue;
                if ((pr->flags & PROBE_INTRUSIVE) && !r->opt.intrusive)
                    continue;
                if (!!(pr->gatherer->flags & GATHER_BEFORE_LOGINS) != (pass == 0))
                    continue;
                n = plan_add(r, pr->gatherer, plan, n, 0);
            }
        }
        run_plan(r, plan, n);
    }
    run_progress_done(r);
    run_judge(r);
    r->elapsed_ms = sp_now_ms() - r->t0_ms;
    return 0;
}
