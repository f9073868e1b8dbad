/*
 * creds.h - credential dictionaries (a YAML file in profiles/, format in
 * profiles/CREDENTIALS.md) and the sweep plan creds.defaults builds from
 * them: which pairs to try on a service without ever exceeding the
 * per-account attempt budget. Pure and unit-tested; creds.c does the network.
 */
#ifndef SP_CREDS_H
#define SP_CREDS_H

#include <stddef.h>

#include "login.h"
#include "starprobe.h"
#include "ydoc.h"

struct cred_pair {
    char *user;
    char *pass;
    unsigned protos;        /* bit (1 << proto_index()); 0 = every password service */
    char *source;           /* dictionary name, "profile", ... */
};

struct cred_dict {
    struct cred_pair *pairs;
    size_t n;
    char **communities;     /* SNMP */
    char **comm_source;
    size_t ncomm;
};

void cred_dict_init(struct cred_dict *d);
void cred_dict_free(struct cred_dict *d);
/* Append one pair unless the same (user, password) is already there. */
void cred_dict_add(struct cred_dict *d, const char *user, const char *pass, unsigned protos,
                   const char *source);
void cred_dict_add_community(struct cred_dict *d, const char *community, const char *source);
/* Merge a parsed dictionary document; source is its name. 0 or SP_ERR_PARSE with e filled. */
int cred_dict_merge_doc(struct cred_dict *d, const struct ydoc *doc, const char *source,
                        struct yerr *e);
/* Load by name (searched like profiles: <dir>/<name>.yaml) or by path. */
int cred_dict_load(struct cred_dict *d, const char *name, struct yerr *e);

/* What to try on one service. */
struct cred_plan {
    size_t *idx;            /* into dict->pairs (or communities for SNMP), in try order */
    size_t n;
    /* Accounts whose dictionary pairs did not all fit the budget: "root (41 pairs, 5 tried)". */
    char *cut;              /* NULL when nothing was cut */
    size_t ncut;
    size_t *round;          /* cred_plan_rounds only: each entry's round, non-decreasing */
    size_t nrounds;
};

void cred_plan_free(struct cred_plan *p);
/*
 * The pairs for protocol proto, in dictionary order, at most budget per user
 * name (compared exactly: "Admin" and "admin" are different accounts on most
 * devices). SNMP communities are each their own credential: no budget.
 */
void cred_plan_build(const struct cred_dict *d, const struct proto *proto, long budget,
                     struct cred_plan *p);
/*
 * The same pairs in rounds: every user name's first pair, then every user
 * name's second, and so on (round[i] is pair idx[i]'s round, from 0), so a
 * sweep of the whole list spreads its failures over the accounts and can
 * stop between rounds. budget 0: no cap (the whole list, --intrusive).
 */
void cred_plan_rounds(const struct cred_dict *d, const struct proto *proto, long budget,
                      struct cred_plan *p);

/* auth.bruteforce's rule over one interface's timing series (bruteforce.c). */
struct bf_series {
    long ms[100];
    const char *st[100];        /* "rejected", "locked", "accepted", "error" */
    int n;
    const char *before;         /* the right password's outcome before the wrong ones, NULL if not tried */
    const char *final;          /* the right password's outcome after them, NULL if not tried */
};
enum sp_verdict bruteforce_rule(const struct bf_series *s, long min_delay_ms, long growth_ms,
                                char *msg, size_t cap);

#endif
