/*
 * compare.c - units.distinct (★3): two units of the same model must not
 * share SSH host keys or TLS keys, or one unit's extracted key opens every
 * other unit's sessions.
 *
 * The gatherer takes the SSH and TLS services the scan found on the target
 * (unit 1) and reads the same ports of the second unit (--compare TARGET2),
 * both units the same way: the SSH probe's host key fetch (ssh_host_keys),
 * and for TLS one handshake through the TLS probe's client (tls_conn;
 * OpenSSL for a TLS 1.3-only server) for the leaf certificate's fingerprints.
 * Only fingerprints are kept. Each default password creds.defaults found on
 * the target (when it ran first) is tried once on the second unit's same
 * service through the same login slot, positively confirmed as there.
 * TARGET2 is resolved once, like the target, and every socket to it goes
 * through net.h or a library given its numeric address.
 *
 * Facts: the service's struct compare_facts (harness/facts.h; in report.json
 * services[].compare {kind, unit1, unit2}, each unit either {host_keys} /
 * {certificate_sha256, public_key_sha256, subject} or {error});
 * and the run's struct compare_run_facts: the second unit's address, whether
 * creds.defaults ran first, and each of its passwords as tried there (or why
 * the second unit was not examined).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "login.h"
#include "ports.h"
#include "proto.h"
#include "run.h"
#include "ssh.h"
#include "tls.h"
#include "tlscert.h"
#include "tlsconn.h"

#define COMPARE_TLS_MS 10000     /* one handshake, for the certificate */
#define COMPARE_LOGIN_MS 15000   /* prepare and one login attempt on the second unit */

extern const struct gatherer gatherer_creds;

struct compare_ctx {
    struct service **list;
    struct sp_target t2;
};

static int is_ssh(const struct service *s)
{
    return s->transport == T_TCP && proto_has(s, PROTO_SSH_TRANSPORT, NULL);
}

/* The leaf certificate's fingerprints on t:port, into o; {error} when no certificate came. */
static void tls_fingerprints(struct run *r, const struct sp_target *t, long port,
                             struct compare_unit_facts *o)
{
    struct tls_chain chain;
    struct tls_conn *c;
    char why[256] = "", why13[256] = "", err[560] = "", cfp[80], kfp[80];
    int code = 0;

    tls_chain_init(&chain);
    c = tls_conn_open(t, port, run_op_deadline(r, COMPARE_TLS_MS), &code, why, sizeof(why));
    if (c) {
        tls_conn_peer_chain(c, &chain);
        tls_conn_close(c);
    } else if (code != SP_ERR_PARSE) {
        snprintf(err, sizeof(err), "%s", why);
    } else if (tls13_fetch_chain(t, (int)port, run_op_deadline(r, COMPARE_TLS_MS), &chain, why13,
                                 sizeof(why13)) != 0) {
        /* A refused TLS 1.2 handshake may be a TLS 1.3-only server; it was not one either. */
        snprintf(err, sizeof(err), "%s; over TLS 1.3: %s", why, why13);
    }
    if (chain.n == 0) {
        o->error = xstrdup(err[0] ? err : "the server sent no certificate");
    } else if (tls_leaf_fingerprints(&chain, cfp, kfp, sizeof(cfp)) != 0) {
        o->error = xstrdup("the server's certificate does not parse");
    } else {
        struct tls_cert_facts cert;
        tls_cert_facts(&chain, "", 0, &cert);
        o->certificate_sha256 = xstrdup(cfp);
        o->public_key_sha256 = xstrdup(kfp);
        o->subject = xstrdup(cert.subject ? cert.subject : "?");
        tls_cert_facts_free(&cert);
    }
    tls_chain_free(&chain);
}

static void unit_facts(struct run *r, const struct sp_target *t, const struct service *s,
                       struct compare_unit_facts *o)
{
    char why[256];

    if (is_ssh(s)) {
        if (ssh_host_keys(r, t, s->port, &o->keys, why, sizeof(why)) != 0)
            o->error = xstrdup(why);
        else
            o->has_keys = 1;
    } else {
        tls_fingerprints(r, t, s->port, o);
    }
}

static void compare_one(struct run *r, size_t i, void *arg)
{
    struct compare_ctx *ctx = arg;
    struct service *s = ctx->list[i];
    struct compare_facts *o = compare_facts_new();

    run_progress(r, 0, "compare: tcp/%ld on both units", s->port);
    o->ssh = is_ssh(s);
    unit_facts(r, &r->target, s, &o->unit1);
    unit_facts(r, &ctx->t2, s, &o->unit2);
    run_set_compare_facts(r, s, o);
}

/* The target's service a credential was found on ("tcp/80"), or NULL. */
static const struct service *service_by_label(const struct run *r, const char *label)
{
    char l[32];

    for (size_t i = 0; label && i < r->nservices; i++) {
        service_label(r->services[i], l, sizeof(l));
        if (strcmp(l, label) == 0)
            return r->services[i];
    }
    return NULL;
}

/*
 * One default password found on the target, tried once on the second
 * unit's same port: prepared as the sweep prepared it (the resource or form
 * page it logged in on first), then one attempt.
 */
static void password_try(struct run *r, const struct sp_target *t2,
                         const struct credential_facts *cred, struct compare_password_facts *o)
{
    const char *label = cred->service, *user = cred->user, *pass = cred->password;
    const struct service *s = service_by_label(r, label);
    const struct login_facts *lf = s ? s->login : NULL;
    const char *paths[2] = {lf ? lf->path : NULL, NULL};
    struct login_service ls;
    struct login_result res;
    int64_t dl = run_op_deadline(r, COMPARE_LOGIN_MS);

    o->service = xstrdup(label ? label : "?");
    o->user = xstrdup(user ? user : "");
    o->password = xstrdup(pass ? pass : "");
    if (!s || !pass || run_expired(r)) {
        o->result = xstrdup("not examined");
        o->detail = xstrdup(run_expired(r) ? "the run deadline came first"
                                           : "the service it was found on is not in the scan");
        return;
    }
    run_progress(r, 0, "compare: a default password on %s of the second unit", label);
    login_service_init(&ls, r, s);
    ls.target = t2;
    if (login_prepare(r, &ls, paths[0] ? paths : NULL, dl) != 0 || ls.mode != LOGIN_MODE_PASSWORD) {
        o->result = xstrdup("not examined");
        o->detail = xstrdup(ls.how[0] ? ls.how : "no password login found");
    } else {
        login_attempt(r, &ls, user ? user : "", pass, dl, &res);
        o->result = xstrdup(login_status_name(res.status));
        o->detail = xstrdup(res.transcript);
    }
    login_service_free(&ls);
}

static int compare_gather(struct run *r)
{
    struct compare_ctx ctx;
    char err[256];
    size_t n = 0;
    struct compare_run_facts *o;

    if (!r->opt.compare)
        return 0;
    o = compare_run_facts_new();
    o->target2 = xstrdup(r->opt.compare);
    if (net_resolve_target(r->opt.compare, &ctx.t2, err, sizeof(err)) != 0) {
        o->error = xstrdup(err);
        goto out;
    }
    o->address = xstrdup(ctx.t2.addrstr);
    if (strcmp(ctx.t2.addrstr, r->target.addrstr) == 0) {
        o->error = xstrdup("the second unit has the target's own address");
        goto out;
    }
    ctx.list = xmalloc((r->nservices + 1) * sizeof(*ctx.list));
    for (size_t i = 0; i < r->nservices; i++) {
        int dtls;
        if (is_ssh(r->services[i]) || (tls_service_is(r->services[i], &dtls) && !dtls))
            ctx.list[n++] = r->services[i];
    }
    run_parallel(r, n, compare_one, &ctx);
    free(ctx.list);
    {
        /* A sweep the deadline cut may still have found some: those are tried too. */
        int rc, ran = run_gathered(r, &gatherer_creds, &rc) && rc != SP_ERR_NOT_STARTED &&
                      rc != SP_ERR_CRASHED;
        o->compared = 1;
        o->creds_ran = ran;
        for (size_t i = 0; ran && i < r->ncreds; i++)
            password_try(r, &ctx.t2, &r->creds[i], compare_run_facts_add(o));
    }
out:
    run_set_compare_run_facts(r, o);
    return 0;
}

const struct gatherer gatherer_compare = {
    .name = "compare",
    .needs = &gatherer_scan,
    .gather = compare_gather,
};

/* ---- the judge ---- */

/*
 * SSH: every key unit 1 offers was fetched, and unit 2 gave its keys
 * without a failed class. 1 with a verdict on sameness in *same (and the
 * evidence), 0 with the reason in why when the pair cannot be compared.
 */
static int compare_ssh(const struct compare_unit_facts *u1, const struct compare_unit_facts *u2,
                       const char *label, struct check_result *res, int *same, char *why,
                       size_t whylen)
{
    const struct ssh_facts *a = &u1->keys, *b = &u2->keys;
    int n1 = 0, n2 = 0;

    *same = 0;
    for (size_t j = 0; j < b->nhost_keys; j++) {
        const struct ssh_host_key *k2 = &b->host_keys[j];
        if (k2->error) {
            snprintf(why, whylen, "the second unit's %s host key: %s", k2->type, k2->error);
            return 0;
        }
        n2++;
    }
    for (size_t i = 0; i < a->nhost_keys; i++) {
        const struct ssh_host_key *k1 = &a->host_keys[i];
        if (k1->error) {
            snprintf(why, whylen, "the target's %s host key: %s", k1->type, k1->error);
            return 0;
        }
        n1++;
        for (size_t j = 0; j < b->nhost_keys; j++) {
            const struct ssh_host_key *k2 = &b->host_keys[j];
            if (strcmp(sp_str_or(k1->sha256, "?"), sp_str_or(k2->sha256, "?")) == 0) {
                *same = 1;
                cr_evidence(res, label, "the same %s host key on both units: unit 1 %s, unit 2 %s",
                            k1->type, sp_str_or(k1->sha256, "?"), sp_str_or(k2->sha256, "?"));
            }
        }
    }
    if (n1 == 0 || n2 == 0) {
        snprintf(why, whylen, "no host key was read from the %s", n1 == 0 ? "target" : "second unit");
        return 0;
    }
    if (!*same)
        cr_evidence(res, label, "host keys differ: unit 1 %d key%s, unit 2 %d, none in common", n1,
                    n1 == 1 ? "" : "s", n2);
    return 1;
}

/* TLS: the leaf's public key (and so any certificate for it) must differ. */
static int compare_tls(const struct compare_unit_facts *u1, const struct compare_unit_facts *u2,
                       const char *label, struct check_result *res, int *same)
{
    *same =
        strcmp(sp_str_or(u1->public_key_sha256, "?"), sp_str_or(u2->public_key_sha256, "?")) == 0;
    if (*same)
        cr_evidence(res, label,
                    "the same TLS key on both units: unit 1 key %s (certificate %s, %s), "
                    "unit 2 key %s (certificate %s, %s)",
                    sp_str_or(u1->public_key_sha256, "?"), sp_str_or(u1->certificate_sha256, "?"),
                    sp_str_or(u1->subject, "?"), sp_str_or(u2->public_key_sha256, "?"),
                    sp_str_or(u2->certificate_sha256, "?"), sp_str_or(u2->subject, "?"));
    else
        cr_evidence(res, label, "TLS keys differ: unit 1 %s, unit 2 %s",
                    sp_str_or(u1->public_key_sha256, "?"), sp_str_or(u2->public_key_sha256, "?"));
    return 1;
}

/*
 * The default passwords found on the target, as tried on the second unit:
 * accepted there too is a shared password; refused counts as examined (*npw);
 * anything else leaves it not examined.
 */
static void compare_passwords(const struct compare_run_facts *top, const char *target2,
                              struct check_result *res, struct strbuf *same, struct strbuf *miss,
                              size_t *npw)
{
    if (!top->creds_ran) {
        cr_evidence(res, NULL, "creds.defaults did not run before this check, so no default password "
                               "was compared");
        return;
    }
    if (top->npasswords == 0)
        cr_evidence(res, NULL, "creds.defaults found no default password on the target, so none was "
                               "tried on the second unit");
    for (size_t i = 0; i < top->npasswords; i++) {
        const struct compare_password_facts *pw = &top->passwords[i];
        const char *label = sp_str_or(pw->service, "?"), *result = sp_str_or(pw->result, "?");
        if (strcmp(result, "accepted") == 0) {
            cr_evidence(res, label,
                        "the default password %s/%s found on the target also logs in on "
                        "the second unit %s: %s",
                        sp_str_or(pw->user, "?"), sp_str_or(pw->password, "?"), target2,
                        sp_str_or(pw->detail, "?"));
            sb_printf(same, "%s%s (default password)", same->len ? ", " : "", label);
        } else if (strcmp(result, "rejected") == 0) {
            cr_evidence(res, label,
                        "the default password %s/%s found on the target is refused by the "
                        "second unit",
                        sp_str_or(pw->user, "?"), sp_str_or(pw->password, "?"));
            (*npw)++;
        } else {
            cr_evidence(res, label,
                        "not examined by this check: the default password %s/%s on the "
                        "second unit: %s (%s)",
                        sp_str_or(pw->user, "?"), sp_str_or(pw->password, "?"), result,
                        sp_str_or(pw->detail, "?"));
            sb_printf(miss, "%s%s (default password)", miss->len ? ", " : "", label);
        }
    }
}

static void compare_judge(struct run *r, const struct check *c, struct check_result *res)
{
    const struct compare_run_facts *top = r->compare;
    struct strbuf same, miss;
    size_t examined = 0, npw = 0;
    char label[32], why[300];

    (void)c;
    if (!r->opt.compare) {
        cr_set(res, V_INCONCLUSIVE, "Comparing two units needs a second unit of the same model: run "
                                    "with --compare TARGET2.");
        return;
    }
    if (!top || top->error) {
        cr_set(res, V_INCONCLUSIVE, "The second unit %s was not examined: %s.", r->opt.compare,
               top && top->error ? top->error : "the compare step did not run to the end");
        return;
    }
    if (!r->scan.tcp_done) {
        cr_set(res, V_INCONCLUSIVE, "The port scan did not run, so the target's SSH and TLS services "
                                    "are unknown.");
        return;
    }
    sb_init(&same);
    sb_init(&miss);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        const struct compare_facts *f = s->compare;
        int dtls = 0, tls = tls_service_is(s, &dtls), ok, is_same = 0;

        service_label(s, label, sizeof(label));
        why[0] = '\0';
        if (!f && tls && dtls) {
            snprintf(why, sizeof(why), "DTLS certificates are not compared by this version");
        } else if (!f && (is_ssh(s) || tls)) {
            snprintf(why, sizeof(why), "the compare step did not reach it before the run deadline");
        } else if (!f && !proto_of(s, NULL)) {
            snprintf(why, sizeof(why), "the service was not identified, so whether it holds a key "
                                       "is unknown");
        } else if (!f) {
            continue;   /* a service with no SSH or TLS key */
        } else if (f->unit1.error) {
            snprintf(why, sizeof(why), "on the target: %s", f->unit1.error);
        } else if (f->unit2.error) {
            snprintf(why, sizeof(why), "on the second unit %s: %s", r->opt.compare, f->unit2.error);
        }
        if (why[0]) {
            cr_evidence(res, label, "not examined by this check: %s", why);
            sb_printf(&miss, "%s%s", miss.len ? ", " : "", label);
            continue;
        }
        if (f->ssh)
            ok = compare_ssh(&f->unit1, &f->unit2, label, res, &is_same, why, sizeof(why));
        else
            ok = compare_tls(&f->unit1, &f->unit2, label, res, &is_same);
        if (!ok) {
            cr_evidence(res, label, "not examined by this check: %s", why);
            sb_printf(&miss, "%s%s", miss.len ? ", " : "", label);
            continue;
        }
        examined++;
        if (is_same)
            sb_printf(&same, "%s%s", same.len ? ", " : "", label);
    }
    compare_passwords(top, r->opt.compare, res, &same, &miss, &npw);
    if (same.len)
        cr_set(res, V_FAIL, "The target and the second unit %s share keys or passwords on %s: what "
               "is learnt from one unit opens the other.", r->opt.compare, same.buf);
    else if (miss.len)
        cr_set(res, V_INCONCLUSIVE, "Keys could not be compared on %s.", miss.buf);
    else if (examined + npw == 0 &&
             (!r->scan.tcp_complete || (r->scan.udp_done && !r->scan.udp_complete)))
        cr_set(res, V_INCONCLUSIVE, "No SSH or TLS service found, but the scan is incomplete: %s.",
               r->scan.why_incomplete);
    else if (examined + npw == 0)
        cr_set(res, V_NOT_APPLICABLE, "No SSH or TLS service was found on the target (complete "
                                      "scan) and no default password: nothing to compare.");
    else
        cr_set(res, V_PASS, "Every SSH and TLS key of the target (%zu service%s) differs from the "
               "second unit's on the same port%s.", examined, examined == 1 ? "" : "s",
               npw ? ", and the second unit refuses the target's default passwords" : "");
    sb_free(&same);
    sb_free(&miss);
}

const struct probe probe_units_distinct = {
    .name = "units.distinct",
    .summary = "Two units of the same model have their own SSH host keys, TLS keys and passwords",
    .rule = "With --compare TARGET2: the host keys of every SSH service and the leaf certificate of "
            "every TLS service on the target are read, and the same ports on TARGET2, both the same "
            "way. FAIL when a host key or a TLS public key is the same on both units (both "
            "fingerprints as evidence). PASS only when every SSH and TLS service of the target had "
            "its counterpart on TARGET2 read and all differ. INCONCLUSIVE without --compare, when "
            "TARGET2 does not resolve or answer, or for a service not compared (DTLS, an "
            "unidentified one, a key not read). Each default password creds.defaults found on the "
            "target (when it ran first) is tried once on TARGET2's same service: accepted there "
            "FAILs, refused counts as differing, anything else is not examined.",
    .flags = 0,
    .params = NULL,
    .gatherer = &gatherer_compare,
    .judge = compare_judge,
};
