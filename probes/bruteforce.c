/*
 * bruteforce.c - auth.bruteforce (S1.1-04, intrusive): per authentication
 * interface with a declared test account, N wrong passwords at a steady rate,
 * each one's latency and status recorded, then the right password. The
 * timing series is a fact (services[].facts "bruteforce"); the judge decides
 * whether it shows a lockout, a growing delay, or nothing at all.
 *
 * The test account's password is used twice, once before the wrong ones (to
 * prove the account logs in, so that a refusal after them can only be the
 * device's doing: a lockout that gives the same answer as a wrong password,
 * which is all an MQTT 3.1.1 broker can say) and once after them, and is
 * never written anywhere: facts and evidence hold the user name, statuses
 * and timings. Wrong passwords are random, so they cannot be right by luck.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "creds.h"
#include "facts_json.h"
#include "login.h"
#include "proto.h"
#include "ports.h"
#include "run.h"

extern const struct probe probe_auth_bruteforce;

static const struct probe_param brute_params[] = {
    {"attempts", "20", "wrong passwords per interface"},
    {"max_attempts", "100", "hard ceiling"},
    {"rate_per_s", "1", "steady attempt rate"},
    {"min_delay_ms", "2000", "a delay this long per failure counts as throttling"},
    {"growth_ms", "1000", "5th failure slower than the 1st by this counts as throttling"},
    {"attempt_timeout_ms", "15000", "deadline of one attempt (a tarpit shows as a long one)"},
    {NULL, NULL, NULL}};

struct bf_iface {
    struct service *svc;
    const struct decl_account *acct;
    struct login_service ls;
    int prep_rc;
    int n;                          /* attempts made */
    struct { int64_t ms; enum login_status st; } *att;
    int before_done, final_done;
    enum login_status before_st, final_st;
    int64_t final_ms;
    char first_note[LOGIN_TRANSCRIPT];
};

struct bf_run {
    struct bf_iface *ifs;
    size_t n;
    long attempts, rate_milli, attempt_ms;
};

static void sleep_until(struct run *r, int64_t t)
{
    while (!run_expired(r)) {
        int64_t left = t - sp_now_ms();
        if (left <= 0)
            return;
        if (left > 200)
            left = 200;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)left * 1000000L};
        nanosleep(&ts, NULL);
    }
}

static void bf_one(struct run *r, size_t i, void *arg)
{
    struct bf_run *b = arg;
    struct bf_iface *f = &b->ifs[i];
    struct login_result res;
    int64_t t0, step = b->rate_milli > 0 ? 1000000 / b->rate_milli : 1000;

    f->prep_rc = login_prepare(r, &f->ls, NULL, run_op_deadline(r, b->attempt_ms));
    if (f->ls.mode != LOGIN_MODE_PASSWORD || !f->acct->password)
        return;     /* a key-only test account is only used to learn how the service authenticates */
    f->att = xcalloc((size_t)b->attempts, sizeof(*f->att));
    run_progress(r, 0, "auth.bruteforce: %s the test account's password, before", f->ls.label);
    login_attempt(r, &f->ls, f->acct->user, f->acct->password, run_op_deadline(r, b->attempt_ms),
                  &res);
    f->before_done = 1;
    f->before_st = res.status;
    t0 = sp_now_ms() + step;
    for (long k = 0; k < b->attempts && !run_expired(r); k++) {
        char wrong[24] = "spWrong-";
        sleep_until(r, t0 + k * step);
        login_marker(wrong + 8, 13);
        run_progress(r, 0, "auth.bruteforce: %s wrong password %ld/%ld", f->ls.label, k + 1,
                     b->attempts);
        login_attempt(r, &f->ls, f->acct->user, wrong, run_op_deadline(r, b->attempt_ms), &res);
        f->att[f->n].ms = res.ms;
        f->att[f->n].st = res.status;
        if (f->n == 0)
            sp_strlcpy(f->first_note, res.transcript, sizeof(f->first_note));
        f->n++;
        if (res.status == LOGIN_LOCKED || res.status == LOGIN_OK)
            break;      /* a lockout answers the question; accepting a wrong password too */
    }
    if (run_expired(r))
        return;
    sleep_until(r, sp_now_ms() + step);
    run_progress(r, 0, "auth.bruteforce: %s the test account's password", f->ls.label);
    login_attempt(r, &f->ls, f->acct->user, f->acct->password, run_op_deadline(r, b->attempt_ms),
                  &res);
    /* res.transcript may show the session; it is deliberately not kept. */
    f->final_done = 1;
    f->final_st = res.status;
    f->final_ms = res.ms;
}

static void bf_record(struct run *r, struct bf_iface *f)
{
    struct bruteforce_facts *o = bruteforce_facts_new();

    o->user = xstrdup(f->acct->user ? f->acct->user : "");
    o->auth = f->ls.mode;
    o->how = xstrdup(f->ls.how);
    if (f->ls.scheme[0])
        o->scheme = xstrdup(f->ls.scheme);
    o->form = login_form_facts(&f->ls);
    for (int k = 0; k < f->n; k++)
        bruteforce_facts_add(o, k + 1, (long)f->att[k].ms, login_status_name(f->att[k].st));
    if (f->before_done)
        o->before = xstrdup(login_status_name(f->before_st));
    if (f->final_done) {
        o->final = xstrdup(login_status_name(f->final_st));
        o->final_ms = (long)f->final_ms;
    }
    if (!f->acct->password)
        o->note = xstrdup("the declared test account has no password");
    if (f->first_note[0])
        o->first_reply = xstrdup(f->first_note);
    run_set_bruteforce_facts(r, f->svc, o);
}

static int bf_gather(struct run *r)
{
    const struct check *c = run_check_for(r, &probe_auth_bruteforce);
    struct bf_run b;
    long maxa;

    memset(&b, 0, sizeof(b));
    b.attempts = c ? check_param_int(c, "attempts", 20) : 20;
    maxa = c ? check_param_int(c, "max_attempts", 100) : 100;
    if (maxa > 100)
        maxa = 100;     /* docs/design.md §3.3: at most 100, whatever a profile says */
    if (b.attempts > maxa)
        b.attempts = maxa;
    if (b.attempts < 1)
        b.attempts = 1;
    {
        /* rate_per_s may be fractional ("0.5"): keep it in thousandths. */
        const struct ynode *n = c ? check_param(c, "rate_per_s") : NULL;
        double rate = n && n->type == Y_SCALAR ? strtod(n->value, NULL) : 1.0;
        if (!(rate > 0.0))
            rate = 1.0;
        if (rate > 50.0)
            rate = 50.0;
        b.rate_milli = (long)(rate * 1000.0);
    }
    b.attempt_ms = c ? check_param_int(c, "attempt_timeout_ms", 15000) : 15000;
    if (b.attempt_ms < 500)
        b.attempt_ms = 500;

    b.ifs = xcalloc(r->nservices ? r->nservices : 1, sizeof(*b.ifs));
    for (size_t i = 0; r->device && i < r->nservices; i++) {
        struct service *s = r->services[i];
        for (size_t j = 0; j < r->device->naccounts; j++) {
            const struct decl_account *a = &r->device->accounts[j];
            if (!login_account_matches(a, s) || !a->user)
                continue;
            if (s->decl && s->decl->auth && strcasecmp(s->decl->auth, "password") != 0)
                continue;   /* key/token-only interface: judged NOT_APPLICABLE from the declaration */
            b.ifs[b.n].svc = s;
            b.ifs[b.n].acct = a;
            login_service_init(&b.ifs[b.n].ls, r, s);
            b.n++;
            break;
        }
    }
    run_parallel(r, b.n, bf_one, &b);
    for (size_t i = 0; i < b.n; i++) {
        bf_record(r, &b.ifs[i]);
        free(b.ifs[i].att);
        login_service_free(&b.ifs[i].ls);
    }
    free(b.ifs);
    return 0;
}

const struct gatherer gatherer_bruteforce = {
    .name = "bruteforce",
    .needs = &gatherer_scan,
    /* creds.defaults' wrong guesses would otherwise trip the very lockout this measures */
    .flags = GATHER_BEFORE_LOGINS,
    .gather = bf_gather,
};

/* ---- the rule ---- */

/*
 * Judge one timing series (creds.h). Returns the verdict, with the why in msg.
 *
 * Every test looks at the status of each attempt, not only its time: a slow
 * timeout or reset is no throttle. A "locked" answer counts only once the
 * right password, tried after it, is refused too; a lock the right password
 * walks through does not stop a guesser. A growing delay must hold from the
 * fifth refusal on, so one slow reply is no trend.
 */
enum sp_verdict bruteforce_rule(const struct bf_series *s, long min_delay, long growth, char *msg,
                               size_t cap)
{
    int rejected = 0, errors = 0, locked_at = -1;
    long sorted[100], rej[100];

    for (int k = 0; k < s->n && k < 100; k++) {
        if (strcmp(s->st[k], "accepted") == 0) {
            snprintf(msg, cap, "a wrong password was accepted (attempt %d)", k + 1);
            return V_FAIL;
        }
        if (strcmp(s->st[k], "locked") == 0) {
            locked_at = k;
            break;      /* the attempts end at a lock */
        }
        if (strcmp(s->st[k], "rejected") == 0)
            rej[rejected++] = s->ms[k];
        else
            errors++;
    }
    if (locked_at >= 0) {
        if (s->final && (strcmp(s->final, "locked") == 0 || strcmp(s->final, "rejected") == 0)) {
            snprintf(msg, cap, "locked out after %d wrong password(s); the right password was "
                               "then refused too (%s)", locked_at, s->final);
            return V_PASS;
        }
        if (s->final && strcmp(s->final, "accepted") == 0) {
            snprintf(msg, cap, "the device answered 'locked' after %d wrong password(s), but "
                               "accepted the right one right after: the lock did not hold",
                     locked_at);
            return V_INCONCLUSIVE;
        }
        snprintf(msg, cap, "the device answered 'locked' after %d wrong password(s); whether the "
                           "lock holds was not confirmed (%s)", locked_at,
                 s->final ? s->final : "the right password was not tried");
        return V_INCONCLUSIVE;
    }
    if (rejected > 0) {
        /* The median failure: one slow outlier is not a throttle, a consistent delay is. */
        memcpy(sorted, rej, (size_t)rejected * sizeof(*rej));
        for (int a = 1; a < rejected; a++)
            for (int k = a; k > 0 && sorted[k - 1] > sorted[k]; k--) {
                long t = sorted[k];
                sorted[k] = sorted[k - 1];
                sorted[k - 1] = t;
            }
        if (sorted[rejected / 2] >= min_delay) {
            snprintf(msg, cap, "each failure is delayed (median %ld ms >= %ld ms)",
                     sorted[rejected / 2], min_delay);
            return V_PASS;
        }
    }
    if (rejected >= 5 && rej[3] > rej[0]) {
        int holds = 1;
        for (int k = 4; k < rejected; k++)
            holds &= rej[k] - rej[0] >= growth;
        if (holds) {
            snprintf(msg, cap, "the delay grows (5th refusal %ld ms, 1st %ld ms, and no later one "
                               "faster)", rej[4], rej[0]);
            return V_PASS;
        }
    }
    if (s->final && strcmp(s->final, "locked") == 0) {
        snprintf(msg, cap, "after %d wrong passwords the right one is refused as locked", s->n);
        return V_PASS;
    }
    if (errors) {
        snprintf(msg, cap, "%d of %d attempts got no clear answer (timeouts, resets or refused "
                           "connects), which may be throttling or a fault", errors, s->n);
        return V_INCONCLUSIVE;
    }
    if (!s->final) {
        snprintf(msg, cap, "the run ended before the right password was tried");
        return V_INCONCLUSIVE;
    }
    if (strcmp(s->final, "accepted") == 0) {
        snprintf(msg, cap, "%d wrong passwords were refused without any delay or lockout, then "
                           "the right one was accepted at once", s->n);
        return V_FAIL;
    }
    if (strcmp(s->final, "rejected") == 0) {
        /* Every answer was a clear refusal; the account is proven only by a login before them. */
        if (s->before && strcmp(s->before, "accepted") == 0) {
            snprintf(msg, cap, "locked out without saying so: the right password, accepted before "
                               "the %d wrong ones, was refused after them", s->n);
            return V_PASS;
        }
        snprintf(msg, cap, "after %d wrong passwords the right one was refused too: a silent "
                           "lockout, or a wrong test account (%s)", s->n,
                 s->before ? "it did not log in before them either" : "not tried before them");
        return V_INCONCLUSIVE;
    }
    snprintf(msg, cap, "the right password got no clear answer (%s)", s->final);
    return V_INCONCLUSIVE;
}

static void bf_judge(struct run *r, const struct check *c, struct check_result *res)
{
    long min_delay = check_param_int(c, "min_delay_ms", 2000);
    long growth = check_param_int(c, "growth_ms", 1000);
    enum sp_verdict worst = V_NOT_APPLICABLE;
    size_t tested = 0, na = 0, untested = 0;
    char label[32], msg[256];
    struct strbuf why;

    if (!r->scan.tcp_done) {
        cr_set(res, V_INCONCLUSIVE, "The port scan did not run, so no login interface is known.");
        return;
    }
    sb_init(&why);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        const struct bruteforce_facts *bf = s->bruteforce;
        const struct login_facts *login = s->login;
        enum sp_verdict v;
        const char *gap;
        int none;
        service_label(s, label, sizeof(label));
        gap = proto_login_gap(s, &none);
        if (none)
            continue;       /* no password logins in its protocol: nothing to brute-force */
        if (gap) {
            cr_evidence(res, label, "%s: not examined by auth.bruteforce: %s", s->name, gap);
            sb_printf(&why, "%s%s (%s) not examined", why.len ? "; " : "", label, s->name);
            untested++;
            continue;
        }
        if (!bf) {
            const char *as = login ? login_mode_name(login->auth) : "";
            if ((s->decl && s->decl->auth && strcasecmp(s->decl->auth, "password") != 0 &&
                 strcasecmp(s->decl->auth, "none") != 0) || strcmp(as, "none") == 0) {
                cr_evidence(res, label, "%s accepts only keys or tokens (%s)", s->name,
                            strcmp(as, "none") == 0 ? "no password method offered"
                                                    : s->decl->auth);
                na++;
            } else if (strcmp(as, "open") == 0 && !proto_open_is_proof(s)) {
                cr_evidence(res, label, "%s: not examined by auth.bruteforce: neither an HTTP "
                                        "authentication challenge nor a login form was found, and "
                                        "a login by script is not tried", s->name);
                sb_printf(&why, "%s%s (%s) no login found to try", why.len ? "; " : "", label, s->name);
                untested++;
            } else if (strcmp(as, "open") == 0 ||
                       (s->decl && s->decl->auth && strcasecmp(s->decl->auth, "none") == 0)) {
                cr_evidence(res, label, "%s asks for no credentials: nothing to brute-force", s->name);
                na++;
            } else {
                cr_evidence(res, label, "%s: no declared test account for this interface, so its "
                                        "brute-force resistance was not measured", s->name);
                sb_printf(&why, "%s%s has no test account", why.len ? "; " : "", label);
                untested++;
            }
            continue;
        }
        const char *as = login_mode_name(bf->auth);
        if (bf->auth == LOGIN_MODE_OPEN && !proto_open_is_proof(s)) {
            cr_evidence(res, label, "%s: not examined by auth.bruteforce: %s; a login by script "
                        "is not tried", s->name, bf->how ? bf->how : as);
            sb_printf(&why, "%s%s (%s) no login found to try", why.len ? "; " : "", label, s->name);
            untested++;
            continue;
        }
        if (bf->auth == LOGIN_MODE_NONE || bf->auth == LOGIN_MODE_OPEN) {
            cr_evidence(res, label, "%s: %s", s->name, bf->how ? bf->how : as);
            na++;
            continue;
        }
        if (bf->auth != LOGIN_MODE_PASSWORD) {
            cr_evidence(res, label, "%s could not be examined: %s", s->name,
                        bf->how ? bf->how : "");
            sb_printf(&why, "%s%s could not be examined", why.len ? "; " : "", label);
            untested++;
            continue;
        }
        if (bf->note) {
            cr_evidence(res, label, "%s takes passwords, but %s", s->name, bf->note);
            sb_printf(&why, "%s%s: %s", why.len ? "; " : "", label, bf->note);
            untested++;
            continue;
        }
        struct bf_series ser;
        struct strbuf series;
        memset(&ser, 0, sizeof(ser));
        sb_init(&series);
        for (size_t k = 0; k < bf->nattempts; k++) {
            const struct bf_attempt_facts *a = &bf->attempts[k];
            if (ser.n >= 100 || !a->status)
                continue;
            ser.ms[ser.n] = a->ms;
            ser.st[ser.n] = a->status;
            sb_printf(&series, "%s%d:%ldms %s", series.len ? ", " : "", ser.n + 1, ser.ms[ser.n],
                      a->status);
            ser.n++;
        }
        ser.final = bf->final;
        ser.before = bf->before;
        v = bruteforce_rule(&ser, min_delay, growth, msg, sizeof(msg));
        tested++;
        cr_evidence(res, label, "%s as %s: %s; the right password first: %s; wrong passwords: %s; "
                                "then the right one: %s",
                    s->name, bf->user ? bf->user : "", msg,
                    ser.before ? ser.before : "not tried", series.len ? series.buf : "none",
                    ser.final ? ser.final : "not tried");
        sb_free(&series);
        if (v > worst)
            worst = v;
        if (v != V_PASS)
            sb_printf(&why, "%s%s %s", why.len ? "; " : "", label, msg);
    }
    if (worst == V_FAIL)
        cr_set(res, V_FAIL, "No brute-force protection: %s.", why.buf);
    else if (worst == V_INCONCLUSIVE || untested)
        cr_set(res, V_INCONCLUSIVE, "Brute-force resistance not established: %s.", why.buf);
    else if (tested)
        cr_set(res, V_PASS, "Every tested login interface (%zu) throttles or locks out repeated "
                            "failures.", tested);
    else if (na)
        cr_set(res, V_NOT_APPLICABLE, "No interface takes a password: only keys, tokens or no "
                                      "authentication (%zu interface(s)).", na);
    else if (!r->scan.tcp_complete)
        cr_set(res, V_INCONCLUSIVE, "No login interface found, but the scan is incomplete: %s.",
               r->scan.why_incomplete);
    else
        cr_set(res, V_NOT_APPLICABLE, "No login interface is open.");
    sb_free(&why);
}

const struct probe probe_auth_bruteforce = {
    .name = "auth.bruteforce",
    .summary = "Brute-force resistance of each login",
    .rule = "Intrusive. Per login interface with a declared test account: the right password, "
            "`attempts` wrong passwords at rate_per_s, then the right one again. PASS on a lockout the device states (HTTP 429/423, "
            "FTP 421, MQTT server unavailable) that also refuses the right password after it, a lockout it does not state "
            "(every wrong password refused, the right one accepted before them and refused after them), a median failure delay >= min_delay_ms, or the 5th failure "
            "slower than the 1st by growth_ms. FAIL when every wrong password is refused at once "
            "and the right one is then accepted. NOT_APPLICABLE for key- or token-only "
            "interfaces. INCONCLUSIVE without a test account, or with unclear answers.",
    .flags = PROBE_INTRUSIVE,
    .params = brute_params,
    .gatherer = &gatherer_bruteforce,
    .judge = bf_judge,
};
