/*
 * pending.c - probes the profiles already name but this version does not
 * implement yet. They are registered with their parameters so profiles
 * validate, and the harness reports each as INCONCLUSIVE "not implemented":
 * a missing probe must never read as a PASS.
 */
#include "run.h"

static void pending_judge(struct run *r, const struct check *c, struct check_result *res)
{
    (void)r;
    cr_set(res, V_INCONCLUSIVE, "Probe %s is not implemented yet.", c->probe->name);
}

static const struct probe_param creds_params[] = {
    {"dictionaries", "[iot-defaults]", "credential lists from profiles/"},
    {"max_attempts_per_account", "5", "never more attempts per account"},
    {NULL, NULL, NULL}};
static const struct probe_param brute_params[] = {
    {"attempts", "20", "wrong passwords per interface"},
    {"max_attempts", "100", "hard ceiling"},
    {"rate_per_s", "1", "steady attempt rate"},
    {"min_delay_ms", "2000", "a delay this long per failure counts as throttling"},
    {"growth_ms", "1000", "5th failure slower than the 1st by this counts as throttling"},
    {NULL, NULL, NULL}};

#define PENDING(var, nm, sum, fl, prm)                                                     \
    const struct probe var = {.name = nm, .summary = sum,                                  \
                              .rule = "Not implemented in this version: INCONCLUSIVE.",    \
                              .flags = PROBE_PENDING | (fl), .params = prm,                \
                              .gatherer = NULL, .judge = pending_judge}

PENDING(probe_creds_defaults, "creds.defaults", "Default credentials on every login service", 0,
        creds_params);
PENDING(probe_auth_bruteforce, "auth.bruteforce", "Brute-force resistance of each login",
        PROBE_INTRUSIVE, brute_params);
