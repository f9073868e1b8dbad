/*
 * verdict.c - the verdict vocabulary and the aggregation rules of docs/design.md §4.
 * Kept apart from the run so the rules can be tested as a table.
 */
#include <string.h>

#include "starprobe.h"

static const char *const verdict_names[V_COUNT] = {
    [V_NOT_APPLICABLE] = "NOT_APPLICABLE",
    [V_PASS] = "PASS",
    [V_EVIDENCE_DECLARED] = "EVIDENCE_DECLARED",
    [V_EVIDENCE_REQUIRED] = "EVIDENCE_REQUIRED",
    [V_INCONCLUSIVE] = "INCONCLUSIVE",
    [V_ERROR] = "ERROR",
    [V_FAIL] = "FAIL",
};

const char *verdict_name(enum sp_verdict v)
{
    if ((unsigned)v >= V_COUNT)
        return "ERROR";
    return verdict_names[v];
}

int verdict_parse(const char *s, enum sp_verdict *out)
{
    for (int i = 0; i < V_COUNT; i++)
        if (strcmp(s, verdict_names[i]) == 0) {
            *out = (enum sp_verdict)i;
            return 0;
        }
    return SP_ERR_PARSE;
}

/* The enum is declared in severity order, so the worst is the larger. */
enum sp_verdict verdict_worst(enum sp_verdict a, enum sp_verdict b)
{
    return a > b ? a : b;
}

const char *overall_name(enum sp_overall o)
{
    switch (o) {
    case OV_CONFORMANT: return "CONFORMANT";
    case OV_NOT_CONFORMANT: return "NOT_CONFORMANT";
    case OV_INCOMPLETE: break;
    }
    return "INCOMPLETE";
}

/*
 * NOT_CONFORMANT if any requirement fails; CONFORMANT only if every one is
 * PASS, NOT_APPLICABLE or EVIDENCE_DECLARED; anything else leaves the
 * assessment INCOMPLETE. An empty profile proves nothing: INCOMPLETE.
 */
enum sp_overall overall_from(const enum sp_verdict *reqs, int n)
{
    int complete = n > 0;

    for (int i = 0; i < n; i++) {
        if (reqs[i] == V_FAIL)
            return OV_NOT_CONFORMANT;
        if (reqs[i] != V_PASS && reqs[i] != V_NOT_APPLICABLE &&
            reqs[i] != V_EVIDENCE_DECLARED)
            complete = 0;
    }
    return complete ? OV_CONFORMANT : OV_INCOMPLETE;
}

int overall_exit_code(enum sp_overall o)
{
    switch (o) {
    case OV_CONFORMANT: return EXIT_CONFORMANT;
    case OV_NOT_CONFORMANT: return EXIT_NOT_CONFORMANT;
    case OV_INCOMPLETE: break;
    }
    return EXIT_INCOMPLETE;
}
