/*
 * probe.h - what a probe is to the harness (docs/design.md §6.2). A probe is a
 * `const struct probe` in its own file under probes/, listed once in the
 * registry (harness/registry.c). The harness only calls through this table.
 *
 * A probe has two halves. gather() talks to the device and records facts on
 * the run (services[], per-service facts); it runs at most once per run, even
 * when several checks name probes that share it. judge() turns those facts,
 * with the profile's parameters for this check, into a verdict: thresholds
 * stay in the profile, where a lab can read and tailor them.
 */
#ifndef SP_PROBE_H
#define SP_PROBE_H

#include "profile.h"
#include "starprobe.h"

struct run;
struct check_result;

enum probe_flags {
    PROBE_INTRUSIVE = 1 << 0    /* may lock accounts or disturb the device */
};

/* A parameter a probe accepts in a profile's `with:` map. */
struct probe_param {
    const char *name;
    const char *dflt;           /* default, as YAML would write it */
    const char *doc;
};

enum gatherer_flags {
    /*
     * It measures how the device reacts to failed logins (lockout, delays):
     * it runs before every other gatherer but its prerequisites, so that no
     * other check's failed attempts have already tripped what it measures.
     */
    GATHER_BEFORE_LOGINS = 1 << 0,
    /*
     * It may run while other GATHER_CONCURRENT gatherers run, each in its
     * own child, all drawing on the same per-target slots. Only for a
     * gatherer that reads no fact another of them writes (it may read its
     * `needs`, which ends before it starts) and whose traffic does not change
     * what the others measure. Without the flag a gatherer runs alone.
     */
    GATHER_CONCURRENT = 1 << 1
};

/* A fact-gathering step shared by probes (the port scan, say). */
struct gatherer {
    const char *name;
    const struct gatherer *needs;   /* runs first, or NULL */
    unsigned flags;                 /* enum gatherer_flags */
    /* 0 or a negative sp_err; facts go on the run. */
    int (*gather)(struct run *run);
};

struct probe {
    const char *name;           /* as profiles name it: "ports.exposure" */
    const char *summary;        /* one line */
    const char *rule;           /* the rule, in prose, for `starprobe explain` */
    unsigned flags;
    const struct probe_param *params;   /* NULL-name terminated */
    const struct gatherer *gatherer;    /* NULL: needs no network facts */
    void (*judge)(struct run *run, const struct check *chk, struct check_result *res);
};

/* The registry (harness/registry.c). */
extern const struct probe *const probe_registry[];
const struct probe *probe_find(const char *name);

#endif
