/*
 * worker.h - runs one gatherer in a child process, so that a device which
 * drives a probe into a crash costs the checks that probe serves, not the
 * run and not the report.
 */
#ifndef SP_WORKER_H
#define SP_WORKER_H

struct run;
struct gatherer;

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

#endif
