/*
 * schedule.h - one assessment from start to verdicts: gather every fact the
 * profile's checks need, then judge them (schedule.c).
 */
#ifndef SP_SCHEDULE_H
#define SP_SCHEDULE_H

struct run;

/*
 * Gather the facts every check needs (each gatherer once, its prerequisite
 * first, those that measure failed logins in a pass before any other), then
 * judge every check. 0.
 */
int run_execute(struct run *r);

#endif
