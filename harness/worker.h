/*
 * worker.h - runs one gatherer in a child process, so that a device which
 * drives a probe into a crash costs the checks that probe serves, not the
 * run and not the report.
 */
#ifndef SP_WORKER_H
#define SP_WORKER_H

#include <stdint.h>
#include <sys/types.h>

#include "util.h"

struct run;
struct gatherer;

/* One gatherer running in its child. */
struct worker {
    const struct gatherer *g;
    pid_t pid;
    int fd;                 /* the pipe its state comes back on */
    int owner;              /* its row in the per-target slot accounting */
    int64_t t0;
    char *base;             /* the run's state when it was forked, as it dumped */
    struct strbuf out;      /* what it has written so far */
};

/*
 * Fork a child that runs g->gather. 0, or SP_ERR_INTERNAL when no child
 * could be made (then w holds nothing).
 */
int worker_start(struct run *r, const struct gatherer *g, int owner, struct worker *w);
/*
 * Wait until one of the n workers in w ends, and take back its facts: what
 * it changed since it was forked is merged into r (worker_state_merge), so
 * workers that ran at once each add their own. Returns its index, with the
 * gatherer's result in *rc (SP_ERR_CRASHED, and *signo, when the child did
 * not hand its facts back; r is then as it was). A worker still running at
 * the run deadline plus a grace period is killed.
 */
size_t worker_reap(struct run *r, struct worker *w, size_t n, int *rc, int *signo);

/*
 * Run g->gather in a forked child and take back what it gathered: the
 * services with their facts, the scan statistics, the credentials found and
 * the unreachable flag replace the parent's copies. Returns the gatherer's
 * own result, or SP_ERR_CRASHED when the child did not hand its facts back:
 * *signo is then the signal that ended it, or 0 when it exited without them.
 * In that case the parent's state is as it was before the gatherer ran.
 *
 * The child obeys the run deadline like any gatherer; the parent waits for
 * it until that deadline plus a grace period, then kills it.
 */
int worker_gather(struct run *r, const struct gatherer *g, int *signo);

/*
 * The part of a run that gatherers write, as JSON and back: what the child
 * sends the parent. Exposed for the unit tests (a round trip must be exact).
 * worker_state_load replaces r's services, scan, credentials and unreachable
 * flag; 0, or SP_ERR_PARSE when text is not a state this version wrote.
 */
char *worker_state_dump(const struct run *r, int rc);
int worker_state_load(struct run *r, const char *text, int *rc);
/*
 * What a worker forked from state `base` changed, merged into r: a service
 * field, a fact family or a member of one that differs from base replaces
 * r's; services it added or removed are added or removed; credentials it
 * added are appended. When r is still base, the result is exactly text's
 * state. Two workers that changed the same family keep both sets of
 * members. 0, or SP_ERR_PARSE (r untouched) when either text is malformed.
 */
int worker_state_merge(struct run *r, const char *base, const char *text, int *rc);

#endif
