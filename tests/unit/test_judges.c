/*
 * test_judges.c - the judges of auth.unauthenticated, creds.defaults,
 * auth.bruteforce, tls.versions and units.distinct, run whole (run_judge) on facts as their
 * gatherers record them, one row per way a check could call an insecure
 * device secure (issue 10's false-PASS classes). Each row names its class.
 * Also the page rule that tells a login form from a settings form.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "device.h"
#include "facts_json.h"
#include "html_form.h"
#include "http_wire.h"
#include "login.h"
#include "probe.h"
#include "proto.h"
#include "run.h"
#include "unit.h"
#include "util.h"

/* One service of a judge row: where it is, its name, and its facts as JSON (NULL: none). */
struct jsvc {
    long port;
    enum transport t;
    const char *name;
    const char *facts;          /* a "_banner" string in it becomes the greeting the scan read */
};

struct jrow {
    const char *what;           /* the class and the case */
    struct jsvc svc[3];
    int gather_rc;              /* what the gatherer returned (SP_ERR_TIMEOUT: cut by the deadline) */
    enum sp_verdict want;
    const char *reason;         /* a word the reason must hold, or NULL */
};

/* The declaration the rows are judged with (NULL: none), set by a test around judge_rows. */
static const struct device *row_device;
/* The second unit (--compare) and the --allow-host the rows are judged with (NULL: none). */
static const char *row_compare, *row_allow;
/* A fact of the run's own (run->update_tamper, …) the rows carry: its key and its JSON (NULL: none). */
static const char *row_facts_key, *row_facts;

/* Judge each row with a one-check profile on probe; the harness rules apply as in a run. */
static void judge_rows(const char *probe, const char *with, const struct jrow *rows, size_t n)
{
    char yaml[512];
    struct profile p;

    snprintf(yaml, sizeof(yaml),
             "profile: t\nlevel: 1\nrequirements:\n"
             "  - {id: J, title: j, assess: probe, checks: [{probe: %s%s%s}]}\n",
             probe, with ? ", with: " : "", with ? with : "");
    CU_ASSERT_EQUAL_FATAL(unit_profile_text(yaml, &p), 0);
    for (size_t i = 0; i < n; i++) {
        struct run r;

        unit_scanned_run(&r, &p);
        r.opt.intrusive = 1;
        r.device = row_device;
        r.opt.compare = row_compare;
        r.opt.allow_hosts = &row_allow;
        r.opt.nallow = row_allow ? 1 : 0;
        if (row_facts) {
            /* As a worker hands them back: into the run's typed families. */
            cJSON *all = cJSON_CreateObject();
            char why[160];
            cJSON_AddItemToObject(all, row_facts_key, cJSON_Parse(row_facts));
            CU_ASSERT_PTR_NOT_NULL_FATAL(cJSON_GetObjectItemCaseSensitive(all, row_facts_key));
            CU_ASSERT_EQUAL_FATAL(run_facts_load(&r, all, why, sizeof(why)), 0);
            cJSON_Delete(all);
        }
        for (size_t k = 0; k < r.ngathered; k++)
            r.gathered[k].rc = rows[i].gather_rc;
        for (size_t k = 0; k < SP_ARRAY_LEN(rows[i].svc) && rows[i].svc[k].name; k++) {
            struct service *s = run_add_service(&r, rows[i].svc[k].port, rows[i].svc[k].t);
            sp_strlcpy(s->name, rows[i].svc[k].name, sizeof(s->name));
            if (rows[i].svc[k].facts) {
                cJSON *f = cJSON_Parse(rows[i].svc[k].facts);
                char why[160];
                CU_ASSERT_PTR_NOT_NULL_FATAL(f);
                const char *b = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f, "_banner"));
                if (b) {
                    s->banner = xstrdup(b);
                    cJSON_DeleteItemFromObjectCaseSensitive(f, "_banner");
                }
                /* As a worker hands them back: typed families to their structs. */
                CU_ASSERT_EQUAL_FATAL(service_facts_load(s, f, why, sizeof(why)), 0);
                cJSON_Delete(f);
            }
        }
        run_judge(&r);
        const struct check_result *c = &r.results[0].checks[0];
        int reason_ok = !rows[i].reason || (c->reason && strstr(c->reason, rows[i].reason));
        if (c->verdict != rows[i].want || !reason_ok)
            fprintf(stderr, "\n%s '%s': %s (%s)\n", probe, rows[i].what, verdict_name(c->verdict),
                    c->reason ? c->reason : "");
        CU_ASSERT_EQUAL(c->verdict, rows[i].want);
        CU_ASSERT(reason_ok);
        run_free(&r);
    }
    profile_free(&p);
}

/* robust.malformed: facts as robust.c records them. */
#define ROB(result, extra) "{\"robust\":{\"set\":\"http\",\"result\":\"" result "\",\"rounds\":1," \
                           "\"inputs\":6,\"cases\":[]" extra "}}"
#define ROBL(extra) "{\"robust\":{\"set\":\"http\",\"result\":\"survived\",\"rounds\":5,\"inputs\":30," \
                    "\"cases\":[]" extra "}}"
static const struct jrow robust_rows[] = {
    {"every service survived its set", {{80, T_TCP, "http", ROB("survived", "")},
                                        {22, T_TCP, "ssh", ROB("survived", "")}}, 0, V_PASS, "(2)"},
    {"one failed", {{80, T_TCP, "http", ROB("failed", ",\"failed_input\":\"http-header-64k\"")},
                    {22, T_TCP, "ssh", ROB("survived", "")}}, 0, V_FAIL, "http-header-64k"},
    {"false PASS: a service with no set", {{80, T_TCP, "http", ROB("survived", "")},
                                           {5900, T_TCP, "vnc", "{\"robust\":{\"result\":\"not examined\","
                                            "\"why\":\"no set\"}}"}}, 0, V_INCONCLUSIVE, "tcp/5900"},
    {"false PASS: a service the step never reached", {{80, T_TCP, "http", ROB("survived", "")},
                                                       {22, T_TCP, "ssh", NULL}}, 0, V_INCONCLUSIVE, "tcp/22"},
    {"false PASS: no baseline answer", {{80, T_TCP, "http", "{\"robust\":{\"result\":\"not examined\","
                                         "\"why\":\"no baseline\"}}"}}, 0, V_INCONCLUSIVE, NULL},
    {"nothing open after a complete scan", {{0}}, 0, V_NOT_APPLICABLE, NULL},
    {"gatherer cut by the deadline", {{80, T_TCP, "http", NULL}}, SP_ERR_NOT_STARTED, V_INCONCLUSIVE, NULL},
};
static const struct jrow robust_long_rows[] = {
    {"false PASS: ★4 asked for rounds the gatherer did not send", {{80, T_TCP, "http", ROB("survived", ",\"flood\":"
      "{\"asked\":200,\"opened\":200,\"refused\":0,\"failed\":0,\"recovered_ms\":100}")}}, 0,
     V_INCONCLUSIVE, "tcp/80"},
    {"false PASS: no flood made", {{80, T_TCP, "http", ROBL("")}}, 0, V_INCONCLUSIVE, NULL},
    {"long campaign and flood recovered", {{80, T_TCP, "http", ROBL(",\"flood\":{\"asked\":200,\"opened\":150,"
      "\"refused\":0,\"failed\":50,\"recovered_ms\":1200}")}}, 0, V_PASS, "flood"},
    {"not recovered after the flood", {{80, T_TCP, "http", ROBL(",\"flood\":{\"asked\":200,\"opened\":200,"
      "\"refused\":0,\"failed\":0,\"not_recovered\":true,\"why\":\"refused\"}")}}, 0, V_FAIL, "flood"},
    {"recovered, but later than recover_s", {{80, T_TCP, "http", ROBL(",\"flood\":{\"asked\":200,\"opened\":200,"
      "\"refused\":0,\"failed\":0,\"recovered_ms\":12000}")}}, 0, V_FAIL, "flood"},
    {"flood stopped at a saturated listener", {{80, T_TCP, "http", ROBL(",\"flood\":{\"asked\":200,\"opened\":128,"
      "\"refused\":0,\"failed\":3,\"saturated\":true,\"recovered_ms\":900}")}}, 0, V_PASS, NULL},
    {"flood window ended on a slow listener", {{80, T_TCP, "http", ROBL(",\"flood\":{\"asked\":200,\"opened\":90,"
      "\"refused\":0,\"failed\":30,\"window_ended\":true,\"recovered_ms\":900}")}}, 0, V_PASS, NULL},
    {"false PASS: a flood cut short by the run deadline", {{80, T_TCP, "http", ROBL(",\"flood\":{\"asked\":200,"
      "\"opened\":20,\"refused\":0,\"failed\":0,\"recovered_ms\":900}")}}, 0, V_INCONCLUSIVE, "tcp/80"},
    {"UDP service: no flood asked of it", {{5683, T_UDP, "coap", ROBL("")}}, 0, V_PASS, NULL},
};
static const struct jrow robust_scope_rows[] = {
    {"out of scope, unexamined: not held against it", {{80, T_TCP, "http", ROB("survived", "")},
                                                        {22, T_TCP, "ssh", NULL}}, 0, V_PASS, "(1)"},
    {"in scope, unexamined", {{80, T_TCP, "http", NULL}, {22, T_TCP, "ssh", NULL}}, 0, V_INCONCLUSIVE, "tcp/80"},
};

static void test_robust_judge(void)
{
    judge_rows("robust.malformed", NULL, robust_rows, SP_ARRAY_LEN(robust_rows));
    judge_rows("robust.malformed", "{campaign: long, rounds: 5, flood_connections: 200, recover_s: 10}",
               robust_long_rows, SP_ARRAY_LEN(robust_long_rows));
    judge_rows("robust.malformed", "{scope: [http]}", robust_scope_rows, SP_ARRAY_LEN(robust_scope_rows));
}

/* ---- auth.unauthenticated ---- */

#define ITEM(kind, item, result) "{\"kind\":\"" kind "\",\"item\":\"" item "\",\"result\":\"" result \
                                 "\",\"detail\":\"d\"}"
#define UNAUTH(items) "{\"unauth\":{\"items\":[" items "]}}"

static const struct jrow unauth_rows[] = {
    {"control: every path refused", {{80, T_TCP, "http", UNAUTH(ITEM("path", "/admin", "protected") ","
                                                               ITEM("path", "/api", "protected"))}},
     0, V_PASS, NULL},
    {"control: refused, and the rest absent", {{80, T_TCP, "http", UNAUTH(ITEM("path", "/admin", "protected") ","
                                                                          ITEM("path", "/api", "absent"))}},
     0, V_PASS, NULL},
    /* class 8: the gatherer's deadline is read by the judge */
    {"8: a deadline-cut gatherer is INCONCLUSIVE, whatever it saw", {{80, T_TCP, "http",
       UNAUTH(ITEM("path", "/admin", "protected"))}, {22, T_TCP, "ssh", UNAUTH(ITEM("login", "none", "protected"))}},
     SP_ERR_TIMEOUT, V_INCONCLUSIVE, "deadline"},
    {"8: a finding stands even when the deadline cut the rest", {{80, T_TCP, "http",
       UNAUTH(ITEM("path", "/admin", "open"))}}, SP_ERR_TIMEOUT, V_FAIL, NULL},
    {"8: a service the gatherer never reached", {{80, T_TCP, "http", NULL},
       {22, T_TCP, "ssh", UNAUTH(ITEM("login", "none", "protected"))}}, 0, V_INCONCLUSIVE, NULL},
    /* class 4: absent is not protected */
    {"4: every path absent (404s, redirects off the device) is no PASS", {{80, T_TCP, "http",
       UNAUTH(ITEM("path", "/", "absent") "," ITEM("path", "/admin", "absent") "," ITEM("path", "/api", "absent"))}},
     0, V_INCONCLUSIVE, "nothing tried"},
    {"4: CoAP discovery 4.04, no resource tried, is no PASS", {{5683, T_UDP, "coap",
       UNAUTH(ITEM("resource", "/.well-known/core", "absent"))}}, 0, V_INCONCLUSIVE, NULL},
    {"4: a settings page at / is a finding", {{80, T_TCP, "http", UNAUTH(ITEM("path", "/", "open") ","
                                                                        ITEM("path", "/admin", "absent"))}},
     0, V_FAIL, NULL},
    /* class 2: a kind without an unauthenticated client is not passed over */
    {"2: a MySQL server (no client without credentials) beside a refusing SSH",
     {{22, T_TCP, "ssh", UNAUTH(ITEM("login", "none", "protected"))}, {3306, T_TCP, "mysql", NULL}}, 0,
     V_INCONCLUSIVE, "not examined"},
    /* class 3: DTLS that lets anyone finish the handshake */
    {"3: CoAP over DTLS whose resources answer after an anonymous handshake", {{5684, T_UDP, "dtls",
       UNAUTH(ITEM("resource", "/.well-known/core", "open") "," ITEM("resource", "/time", "open"))}},
     0, V_FAIL, NULL},
    /* class 5 / 8: SNMP silence cut by the deadline is recorded undecided by the handler */
    {"8: SNMP silence after the deadline", {{161, T_UDP, "snmpv3", UNAUTH(ITEM("community", "public (v1)", "undecided"))}},
     0, V_INCONCLUSIVE, NULL},
};

static void test_unauth_judge(void)
{
    judge_rows("auth.unauthenticated", NULL, unauth_rows, SP_ARRAY_LEN(unauth_rows));
}

/* ---- creds.defaults ---- */

#define LOGIN(extra) "{\"login\":{\"auth\":\"password\",\"how\":\"h\"," extra "}}"

static const struct jrow creds_rows[] = {
    {"control: every pair refused", {{22, T_TCP, "ssh", LOGIN("\"planned\":8,\"attempts\":8,\"rejected\":8")}},
     0, V_PASS, NULL},
    {"budget: a sweep cut by the per-account budget never PASSes", {{22, T_TCP, "ssh",
       LOGIN("\"planned\":8,\"attempts\":8,\"rejected\":8,\"cut_by_budget\":\"root (40 pairs, 4 tried)\","
             "\"max_attempts_per_account\":4")}}, 0, V_INCONCLUSIVE, "incomplete"},
    {"7: a sweep the device throttled is no PASS", {{443, T_TCP, "https",
       LOGIN("\"planned\":8,\"attempts\":3,\"rejected\":2,\"locked\":true")}}, 0, V_INCONCLUSIVE, "throttled"},
    {"8: a sweep the deadline cut", {{22, T_TCP, "ssh", LOGIN("\"planned\":8,\"attempts\":5,\"rejected\":5")}},
     SP_ERR_TIMEOUT, V_INCONCLUSIVE, NULL},
    {"8: unconfirmed answers are no refusals", {{23, T_TCP, "telnet",
       LOGIN("\"planned\":8,\"attempts\":8,\"rejected\":6,\"errors\":2,\"first_error\":\"e\"")}}, 0, V_INCONCLUSIVE, NULL},
    {"8: a service the sweep never reached", {{22, T_TCP, "ssh", LOGIN("\"planned\":8,\"attempts\":8,\"rejected\":8")},
       {23, T_TCP, "telnet", NULL}}, 0, V_INCONCLUSIVE, NULL},
    {"1: a web page without a 401 is not 'asks for no credentials'", {{80, T_TCP, "http",
       "{\"login\":{\"auth\":\"open\",\"how\":\"no HTTP authentication challenge found\"}}"}}, 0, V_INCONCLUSIVE, NULL},
    {"5: a dictionary community logs in", {{161, T_UDP, "snmpv3",
       "{\"login\":{\"auth\":\"password\",\"how\":\"h\",\"planned\":10,\"attempts\":2,\"rejected\":1,"
       "\"found\":{\"user\":\"\",\"password\":\"private\",\"transcript\":\"t\"}}}"}}, 0, V_FAIL, NULL},
};

/*
 * With evidence declared for the requirement: a sweep only the budget or the device's throttling
 * cut leaves the rest to the documents (EVIDENCE_DECLARED, for a reviewer), but anything else the
 * network left undecided stays INCONCLUSIVE, and a found login stays FAIL.
 */
static const struct jrow creds_declared_rows[] = {
    {"declared: a budget-cut sweep, every pair refused, goes to the reviewer", {{22, T_TCP, "ssh",
       LOGIN("\"planned\":8,\"attempts\":8,\"rejected\":8,\"cut_by_budget\":\"root (40 pairs, 4 tried)\","
             "\"max_attempts_per_account\":4")}}, 0, V_EVIDENCE_DECLARED, "declared"},
    {"declared: a sweep the device's lockout stopped goes to the reviewer", {{443, T_TCP, "https",
       LOGIN("\"planned\":8,\"attempts\":3,\"rejected\":2,\"locked\":true")}}, 0, V_EVIDENCE_DECLARED, "throttled"},
    {"declared: an unconfirmed answer before the lock is not left to documents", {{443, T_TCP, "https",
       LOGIN("\"planned\":8,\"attempts\":3,\"rejected\":1,\"errors\":1,\"first_error\":\"e\",\"locked\":true")}},
     0, V_INCONCLUSIVE, NULL},
    {"declared: a service not examined is not left to documents", {{22, T_TCP, "ssh",
       LOGIN("\"planned\":8,\"attempts\":8,\"rejected\":8,\"cut_by_budget\":\"root (40 pairs, 4 tried)\"")},
       {3306, T_TCP, "mysql", NULL}}, 0, V_INCONCLUSIVE, "not examined"},
    {"declared: a web page without a login found is not left to documents", {{80, T_TCP, "http",
       "{\"login\":{\"auth\":\"open\",\"how\":\"no HTTP authentication challenge found\"}}"}}, 0, V_INCONCLUSIVE, NULL},
    {"declared: a found login is FAIL whatever is declared", {{23, T_TCP, "telnet",
       LOGIN("\"planned\":8,\"attempts\":2,\"rejected\":1,\"found\":{\"user\":\"root\",\"password\":\"xc3511\",\"transcript\":\"t\"}")}},
     0, V_FAIL, NULL},
};

static void test_creds_judge(void)
{
    static char id[] = "J", url[] = "https://example.com/unique-passwords";
    struct decl_evidence ev = {.id = id, .value = url};
    struct device dev = {.evidence = &ev, .nevidence = 1};

    judge_rows("creds.defaults", NULL, creds_rows, SP_ARRAY_LEN(creds_rows));
    row_device = &dev;
    judge_rows("creds.defaults", NULL, creds_declared_rows, SP_ARRAY_LEN(creds_declared_rows));
    row_device = NULL;
}

/* ---- auth.bruteforce ---- */

#define AT(n, ms, st) "{\"n\":" #n ",\"ms\":" #ms ",\"status\":\"" st "\"}"
#define BF(attempts, fin) "{\"bruteforce\":{\"user\":\"admin\",\"auth\":\"password\",\"how\":\"h\"," \
                          "\"attempts\":[" attempts "]" fin "}}"
#define REJ5 AT(1, 10, "rejected") "," AT(2, 10, "rejected") "," AT(3, 10, "rejected") "," AT(4, 10, "rejected")

static const struct jrow bf_rows[] = {
    {"control: refused at once, then the right one accepted", {{22, T_TCP, "ssh",
       BF(REJ5 "," AT(5, 10, "rejected"), ",\"final\":\"accepted\"")}}, 0, V_FAIL, NULL},
    {"control: lockout confirmed by the right password", {{443, T_TCP, "https",
       BF(REJ5 "," AT(5, 10, "rejected") "," AT(6, 5, "locked"), ",\"final\":\"locked\"")}}, 0, V_PASS, NULL},
    /* class 6 */
    {"6: one slow reply at attempt 5 (index 4) is no growing delay", {{22, T_TCP, "ssh",
       BF(REJ5 "," AT(5, 2500, "rejected"), ",\"final\":\"accepted\"")}}, 0, V_FAIL, NULL},
    {"6: a slow timeout at attempt 5 is no growing delay", {{22, T_TCP, "ssh",
       BF(REJ5 "," AT(5, 15000, "error") "," AT(6, 10, "rejected"), ",\"final\":\"accepted\"")}},
     0, V_INCONCLUSIVE, NULL},
    {"6: 'locked' without trying the right password is no PASS", {{443, T_TCP, "https",
       BF(REJ5 "," AT(5, 10, "locked"), "")}}, 0, V_INCONCLUSIVE, NULL},
    {"6: 'locked' the right password walks through is no PASS", {{443, T_TCP, "https",
       BF(REJ5 "," AT(5, 10, "locked"), ",\"final\":\"accepted\"")}}, 0, V_INCONCLUSIVE, NULL},
    {"6: refused connects (a fault or a lock: recorded as error) are no PASS", {{23, T_TCP, "telnet",
       BF(REJ5 "," AT(5, 1, "error") "," AT(6, 1, "error"), ",\"final\":\"error\"")}}, 0, V_INCONCLUSIVE, NULL},
    /* class 7: the credential sweep's effect does not decide brute force */
    {"7: no series of its own, only the sweep's throttling", {{443, T_TCP, "https",
       "{\"login\":{\"auth\":\"password\",\"how\":\"h\",\"planned\":8,\"attempts\":3,\"rejected\":2,\"locked\":true}}"}},
     0, V_INCONCLUSIVE, NULL},
    {"7: the right password refused as locked after the wrong ones", {{443, T_TCP, "https",
       BF(REJ5, ",\"final\":\"locked\"")}}, 0, V_PASS, NULL},
    /* class 1: a web page without a 401 */
    {"1: web page without a challenge is no NOT_APPLICABLE", {{80, T_TCP, "http",
       "{\"bruteforce\":{\"user\":\"admin\",\"auth\":\"open\",\"how\":\"no HTTP authentication challenge found\",\"attempts\":[]}}"}},
     0, V_INCONCLUSIVE, NULL},
};

static void test_bruteforce_judge(void)
{
    judge_rows("auth.bruteforce", NULL, bf_rows, SP_ARRAY_LEN(bf_rows));
}

/* units.distinct: facts as compare.c records them; fingerprints shortened. */
#define SSHK(t, fp) "{\"type\":\"" t "\",\"bits\":256,\"sha256\":\"SHA256:" fp "\"}"
#define SSHCMP(u1, u2) "{\"compare\":{\"kind\":\"ssh\",\"unit1\":" u1 ",\"unit2\":" u2 "}}"
#define TLSU(k) "{\"certificate_sha256\":\"SHA256:c" k "\",\"public_key_sha256\":\"SHA256:" k "\",\"subject\":\"CN=u\"}"
#define TLSCMP(u1, u2) "{\"compare\":{\"kind\":\"tls\",\"unit1\":" u1 ",\"unit2\":" u2 "}}"
static const struct jrow distinct_rows[] = {
    {"control: own keys on both services", {{22, T_TCP, "ssh", SSHCMP("{\"host_keys\":[" SSHK("ssh-ed25519", "a") "]}",
                                                                    "{\"host_keys\":[" SSHK("ssh-ed25519", "b") "]}")},
                                            {443, T_TCP, "https", TLSCMP(TLSU("1"), TLSU("2"))}}, 0, V_PASS, "2 services"},
    {"a shared host key of another class than the first fails", {{22, T_TCP, "ssh",
        SSHCMP("{\"host_keys\":[" SSHK("ssh-ed25519", "a") "," SSHK("ecdsa-sha2-nistp256", "e") "]}",
               "{\"host_keys\":[" SSHK("ssh-ed25519", "b") "," SSHK("ecdsa-sha2-nistp256", "e") "]}")}}, 0, V_FAIL, "tcp/22"},
    {"a shared TLS key fails beside a service not compared", {{443, T_TCP, "https", TLSCMP(TLSU("1"), TLSU("1"))},
                                                             {8443, T_TCP, "https", NULL}}, 0, V_FAIL, "tcp/443"},
    {"a service the compare step never reached is no PASS", {{22, T_TCP, "ssh", SSHCMP("{\"host_keys\":[" SSHK("ssh-ed25519", "a") "]}",
                                                                                     "{\"host_keys\":[" SSHK("ssh-ed25519", "b") "]}")},
                                                            {8443, T_TCP, "https", NULL}}, 0, V_INCONCLUSIVE, "tcp/8443"},
    {"a host key class the target did not give is no PASS", {{22, T_TCP, "ssh",
        SSHCMP("{\"host_keys\":[" SSHK("ssh-ed25519", "a") ",{\"type\":\"ssh-rsa\",\"error\":\"timeout\"}]}",
               "{\"host_keys\":[" SSHK("ssh-ed25519", "b") "]}")}}, 0, V_INCONCLUSIVE, "tcp/22"},
    {"the second unit refused: no PASS", {{443, T_TCP, "https", TLSCMP(TLSU("1"), "{\"error\":\"connect failed: connection refused\"}")}},
     0, V_INCONCLUSIVE, "tcp/443"},
    {"the second unit gave no host key at all: no PASS", {{22, T_TCP, "ssh", SSHCMP("{\"host_keys\":[" SSHK("ssh-ed25519", "a") "]}",
                                                                                  "{\"host_keys\":[]}")}}, 0, V_INCONCLUSIVE, "tcp/22"},
    {"DTLS is not compared: no PASS", {{22, T_TCP, "ssh", SSHCMP("{\"host_keys\":[" SSHK("ssh-ed25519", "a") "]}",
                                                              "{\"host_keys\":[" SSHK("ssh-ed25519", "b") "]}")},
                                       {5684, T_UDP, "coaps", NULL}}, 0, V_INCONCLUSIVE, "udp/5684"},
    {"an unidentified service may hold a key: no PASS", {{22, T_TCP, "ssh", SSHCMP("{\"host_keys\":[" SSHK("ssh-ed25519", "a") "]}",
                                                                                "{\"host_keys\":[" SSHK("ssh-ed25519", "b") "]}")},
                                                         {9999, T_TCP, "unknown", NULL}}, 0, V_INCONCLUSIVE, "tcp/9999"},
    {"no SSH or TLS service after a complete scan", {{80, T_TCP, "http", NULL}}, 0, V_NOT_APPLICABLE, NULL},
    {"8: the deadline stopped the step before it started", {{22, T_TCP, "ssh", NULL}}, SP_ERR_NOT_STARTED, V_INCONCLUSIVE, NULL},
};

/* Default passwords found on the target, as compare.c records their try on the second unit. */
#define PWTRY(result) "{\"target2\":\"192.0.2.2\",\"address\":\"192.0.2.2\",\"creds_ran\":true,\"passwords\":" \
    "[{\"service\":\"tcp/80\",\"user\":\"admin\",\"password\":\"admin\",\"result\":\"" result "\",\"detail\":\"d\"}]}"
#define OWN_SSH {22, T_TCP, "ssh", SSHCMP("{\"host_keys\":[" SSHK("ssh-ed25519", "a") "]}", \
                                          "{\"host_keys\":[" SSHK("ssh-ed25519", "b") "]}")}
static const struct {
    const char *facts;
    struct jrow row;
} password_rows[] = {
    {PWTRY("accepted"), {"the target's default password logs in on the second unit", {OWN_SSH, {80, T_TCP, "http", NULL}},
                         0, V_FAIL, "tcp/80 (default password)"}},
    {PWTRY("rejected"), {"control: refused by the second unit", {OWN_SSH, {80, T_TCP, "http", NULL}}, 0, V_PASS,
                         "refuses the target's default passwords"}},
    {PWTRY("locked"), {"a lock on the second unit proves nothing", {OWN_SSH, {80, T_TCP, "http", NULL}}, 0,
                       V_INCONCLUSIVE, "tcp/80 (default password)"}},
    {PWTRY("error"), {"an unconfirmed try is no refusal", {OWN_SSH, {80, T_TCP, "http", NULL}}, 0, V_INCONCLUSIVE,
                      "tcp/80 (default password)"}},
    {"{\"target2\":\"192.0.2.2\",\"address\":\"192.0.2.2\",\"creds_ran\":true,\"passwords\":[]}",
     {"only a default password would be compared, and none was found", {{80, T_TCP, "http", NULL}}, 0,
      V_NOT_APPLICABLE, NULL}},
};

static void test_distinct_judge(void)
{
    static const struct jrow alone[] = {
        {"without --compare, whatever the services", {{80, T_TCP, "http", NULL}}, 0, V_INCONCLUSIVE, "--compare TARGET2"},
    };
    static const struct jrow unresolved[] = {
        {"a second unit that does not resolve", {{22, T_TCP, "ssh", NULL}}, 0, V_INCONCLUSIVE, "Name or service"},
    };

    judge_rows("units.distinct", NULL, alone, SP_ARRAY_LEN(alone));
    row_compare = "192.0.2.2";
    row_facts_key = "compare";
    row_facts = "{\"target2\":\"192.0.2.2\",\"address\":\"192.0.2.2\"}";
    judge_rows("units.distinct", NULL, distinct_rows, SP_ARRAY_LEN(distinct_rows));
    for (size_t i = 0; i < SP_ARRAY_LEN(password_rows); i++) {
        row_facts = password_rows[i].facts;
        judge_rows("units.distinct", NULL, &password_rows[i].row, 1);
    }
    row_compare = "unit2.invalid";
    row_facts = "{\"target2\":\"unit2.invalid\",\"error\":\"Name or service not known\"}";
    judge_rows("units.distinct", NULL, unresolved, SP_ARRAY_LEN(unresolved));
    row_compare = row_facts_key = row_facts = NULL;
}

/*
 * update.tamper on the facts its gatherer records in run->update_tamper:
 * a refusal must be positive, both images must be tried, the device must
 * still answer.
 */
#define UP(kind, outcome, by) "{\"kind\":\"" kind "\",\"file\":\"f\",\"bytes\":10,\"signature\":\"s\"," \
    "\"status_line\":\"HTTP/1.1 400\",\"body\":\"b\",\"outcome\":\"" outcome "\",\"why\":\"w\"," \
    "\"by_status\":" by "}"
#define TAMPER(ups, after) "{\"endpoint\":\"POST http://192.0.2.1:80/up\",\"uploads\":[" ups "],\"after\":[" after "]}"
#define ALIVE "{\"service\":\"tcp/80\",\"answered\":true,\"what\":\"GET / answered\"}"
#define DEAD "{\"service\":\"tcp/80\",\"answered\":false,\"what\":\"connection refused\"}"
static const struct {
    const char *what, *facts;
    enum sp_verdict want;
    const char *reason;
} tamper_rows[] = {
    {"both refused in the device's words", TAMPER(UP("tampered", "rejected", "false") ","
     UP("downgraded", "rejected", "false"), ALIVE), V_PASS, "refused the tampered and the downgraded"},
    {"tampered accepted", TAMPER(UP("tampered", "accepted", "false") "," UP("downgraded", "rejected", "false"),
     ALIVE), V_FAIL, "accepted the tampered image"},
    {"downgrade accepted", TAMPER(UP("tampered", "rejected", "false") "," UP("downgraded", "accepted", "false"),
     ALIVE), V_FAIL, "the downgraded image"},
    {"refused, then the device went silent", TAMPER(UP("tampered", "rejected", "false") ","
     UP("downgraded", "rejected", "false"), DEAD), V_FAIL, "stopped answering on tcp/80"},
    {"false PASS: a bare 4xx without a control", TAMPER(UP("tampered", "rejected", "true") ","
     UP("downgraded", "rejected", "true"), ALIVE), V_INCONCLUSIVE, "refused by status alone"},
    {"a bare 4xx, the control accepted", TAMPER(UP("tampered", "rejected", "true") ","
     UP("downgraded", "rejected", "true") "," UP("control", "accepted", "false"), ALIVE), V_PASS, "took the genuine"},
    {"false PASS: the control refused too", TAMPER(UP("tampered", "rejected", "true") ","
     UP("downgraded", "rejected", "true") "," UP("control", "rejected", "true"), ALIVE), V_INCONCLUSIVE,
     "genuine image too"},
    {"false PASS: an unclear answer (404)", TAMPER(UP("tampered", "unclear", "false") ","
     UP("downgraded", "rejected", "false"), ALIVE), V_INCONCLUSIVE, "No clear refusal of the tampered"},
    {"false PASS: no downgrade tried", TAMPER(UP("tampered", "rejected", "false"), ALIVE), V_INCONCLUSIVE,
     "downgrade_image"},
    {"false PASS: an upload that got no answer", TAMPER("{\"kind\":\"tampered\",\"error\":\"no answer\"},"
     UP("downgraded", "rejected", "false"), ALIVE), V_INCONCLUSIVE, "no answer"},
    {"the endpoint's port was not open", "{\"error\":\"the endpoint's port tcp/80 was not found open\"}",
     V_INCONCLUSIVE, "not found open"},
    {"the step did not run", NULL, V_INCONCLUSIVE, "not examined"},
};

static void test_tamper_judge(void)
{
    static struct decl_update_endpoint ep = {.port = 80, .method = "POST", .path = "/up"};
    static struct device d = {.update_image = "fw.bin", .update_endpoint = &ep};
    static const struct device bare = {.update_image = "fw.bin"};
    static const struct jrow none[] = {
        {"no endpoint declared", {{80, T_TCP, "http", NULL}}, 0, V_INCONCLUSIVE, "update.endpoint"},
    };

    row_device = &bare;
    judge_rows("update.tamper", NULL, none, SP_ARRAY_LEN(none));
    row_device = &d;
    row_facts_key = "update_tamper";
    for (size_t i = 0; i < SP_ARRAY_LEN(tamper_rows); i++) {
        struct jrow jr = {tamper_rows[i].what, {{80, T_TCP, "http", NULL}}, 0, tamper_rows[i].want,
                          tamper_rows[i].reason};
        row_facts = tamper_rows[i].facts;
        judge_rows("update.tamper", NULL, &jr, 1);
    }
    row_device = NULL;
    row_facts_key = row_facts = NULL;
}

/*
 * update.channel on the facts its gatherer records in run->update_channel,
 * one table per set of facts: PASS needs a handshake, a trusted chain and a
 * matching name, all three recorded as such.
 */
#define UPD_OK "\"host\":\"192.0.2.9\",\"port\":443,\"address\":\"192.0.2.9\",\"suite\":\"TLS_X\"," \
               "\"certificate\":{\"subject\":\"CN=u\",\"issuer\":\"CN=ca\",\"san\":[]}"
static const struct {
    const char *what, *facts, *allow;
    enum sp_verdict want;
    const char *reason;
} update_rows[] = {
    {"control: TLSv1.2, trusted, named", "{" UPD_OK ",\"version\":\"TLSv1.2\",\"chain_trusted\":true,"
     "\"name_matches\":true}", "192.0.2.9", V_PASS, "TLSv1.2"},
    {"the host not allowed: INCONCLUSIVE naming the flag", NULL, NULL, V_INCONCLUSIVE, "--allow-host 192.0.2.9"},
    {"another host allowed is not this one", NULL, "192.0.2.10", V_INCONCLUSIVE, "--allow-host 192.0.2.9"},
    {"allowed, but no facts (step cut short)", NULL, "192.0.2.9", V_INCONCLUSIVE, "not examined"},
    {"no handshake", "{\"host\":\"192.0.2.9\",\"port\":443,\"error\":\"connect failed: timeout\"}",
     "192.0.2.9", V_INCONCLUSIVE, "timeout"},
    {"TLSv1.1 negotiated", "{" UPD_OK ",\"version\":\"TLSv1.1\",\"chain_trusted\":true,\"name_matches\":true}",
     "192.0.2.9", V_FAIL, "TLSv1.1"},
    {"chain untrusted", "{" UPD_OK ",\"version\":\"TLSv1.2\",\"chain_trusted\":false,\"name_matches\":true,"
     "\"verify_detail\":\"not trusted\"}", "192.0.2.9", V_FAIL, "not trusted"},
    {"name mismatch", "{" UPD_OK ",\"version\":\"TLSv1.3\",\"chain_trusted\":true,\"name_matches\":false,"
     "\"verify_detail\":\"not for 192.0.2.9\"}", "192.0.2.9", V_FAIL, "not for"},
    {"verification not recorded is no PASS", "{" UPD_OK ",\"version\":\"TLSv1.2\"}", "192.0.2.9", V_FAIL, NULL},
    {"no trust anchor: undecided", "{" UPD_OK ",\"version\":\"TLSv1.2\",\"verify_error\":\"no CA\"}",
     "192.0.2.9", V_INCONCLUSIVE, "no CA"},
    {"an unknown version is no PASS", "{" UPD_OK ",\"version\":\"TLSv9\",\"chain_trusted\":true,"
     "\"name_matches\":true}", "192.0.2.9", V_FAIL, NULL},
};

static void test_update_judge(void)
{
    struct device d;

    device_init(&d);
    d.update_url = xstrdup("https://192.0.2.9/fw.json");
    row_device = &d;
    row_facts_key = "update_channel";
    for (size_t i = 0; i < SP_ARRAY_LEN(update_rows); i++) {
        struct jrow row = {update_rows[i].what, {{0}}, 0, update_rows[i].want, update_rows[i].reason};
        row_facts = update_rows[i].facts;
        row_allow = update_rows[i].allow;
        judge_rows("update.channel", NULL, &row, 1);
    }
    free(d.update_url);
    d.update_url = xstrdup("http://192.0.2.9/fw.json");  /* plain HTTP fails whatever is allowed */
    {
        struct jrow row = {"plain http", {{0}}, 0, V_FAIL, "not HTTPS"};
        row_facts = NULL;
        row_allow = "192.0.2.9";
        judge_rows("update.channel", NULL, &row, 1);
    }
    row_device = NULL;
    row_allow = row_facts_key = row_facts = NULL;
    device_free(&d);
}

/*
 * A device's throttling answer is "locked" only when the device says so
 * (429, 423): 403 and 503 are what a forbidden page and an overloaded or
 * crashed server answer too, so they are no lockout (class 6).
 */
static void test_http_login_status(void)
{
    static const struct {
        int status;
        enum login_status want;
    } cases[] = {
        {200, LOGIN_OK}, {204, LOGIN_OK}, {401, LOGIN_REJECTED}, {429, LOGIN_LOCKED}, {423, LOGIN_LOCKED},
        {403, LOGIN_ERROR}, {503, LOGIN_ERROR}, {500, LOGIN_ERROR}, {302, LOGIN_ERROR}, {-1, LOGIN_ERROR},
    };
    for (size_t i = 0; i < SP_ARRAY_LEN(cases); i++) {
        if (login_http_status(cases[i].status) != cases[i].want)
            fprintf(stderr, "\nHTTP %d after credentials: %s\n", cases[i].status,
                    login_status_name(login_http_status(cases[i].status)));
        CU_ASSERT_EQUAL(login_http_status(cases[i].status), cases[i].want);
    }
}

/*
 * A telnet session the device closes before any prompt (what a crashed or
 * overloaded daemon does, and what inetd does at its connection limit) is
 * unconfirmed, not a lockout (class 6). The session runs on a socketpair
 * whose device end says a line and closes.
 */
static void test_telnet_close(void)
{
    static const char *const says[] = {"", "\r\nconnection limit reached\r\n"};

    for (size_t i = 0; i < SP_ARRAY_LEN(says); i++) {
        struct login_result out;
        int sv[2];

        CU_ASSERT_EQUAL_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
        CU_ASSERT_EQUAL(write(sv[1], says[i], strlen(says[i])), (ssize_t)strlen(says[i]));
        close(sv[1]);
        memset(&out, 0, sizeof(out));
        login_telnet_session(sv[0], "root", "wrong", sp_now_ms() + 2000, &out);
        close(sv[0]);
        if (out.status != LOGIN_ERROR)
            fprintf(stderr, "\ntelnet closed before a prompt: %s\n", login_status_name(out.status));
        CU_ASSERT_EQUAL(out.status, LOGIN_ERROR);
    }
}

/*
 * A refused connect is what a crashed or restarting service answers as much
 * as a device that blocks a guesser, so no login handler may call it
 * "locked" (class 6). The address is in this test's loopback range; the
 * port was bound and released, so nothing listens there.
 */
static void test_refused_connect(void)
{
    static const char *const protos[] = {"http", "telnet", "ftp", "ssh"};
    struct sp_target t;
    struct sockaddr_in sa;
    socklen_t sl = sizeof(sa);
    char err[128];
    int fd, port;

    CU_ASSERT_EQUAL_FATAL(net_resolve_target("127.0.12.250", &t, err, sizeof(err)), 0);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    CU_ASSERT_FATAL(fd >= 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(0x7f000cfa);     /* 127.0.12.250 */
    CU_ASSERT_EQUAL_FATAL(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    CU_ASSERT_EQUAL_FATAL(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
    port = ntohs(sa.sin_port);
    close(fd);
    for (size_t i = 0; i < SP_ARRAY_LEN(protos); i++) {
        struct login_service ls;
        struct login_result out;

        memset(&ls, 0, sizeof(ls));
        ls.target = &t;
        ls.port = port;
        ls.proto = proto_for_name(protos[i], NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ls.proto);
        sp_strlcpy(ls.name, protos[i], sizeof(ls.name));
        ls.mode = LOGIN_MODE_PASSWORD;
        sp_strlcpy(ls.path, "/", sizeof(ls.path));
        sp_strlcpy(ls.scheme, "Basic", sizeof(ls.scheme));
        ls.ssh_password = 1;
        login_attempt(NULL, &ls, "root", "wrong", sp_now_ms() + 3000, &out);
        if (out.status != LOGIN_ERROR)
            fprintf(stderr, "\n%s, connect refused: %s (%s)\n", protos[i], login_status_name(out.status),
                    out.transcript);
        CU_ASSERT_EQUAL(out.status, LOGIN_ERROR);
    }
}

/* ---- tls.versions ---- */

#define TLSF(v12, v10) "{\"tls\":{\"handshakes\":5,\"results\":{\"TLSv1.2\":{\"result\":\"" v12 "\"}," \
                       "\"TLSv1.0\":{\"result\":\"" v10 "\"}}}}"

static const struct jrow tls_rows[] = {
    {"control: TLSv1.2 only", {{443, T_TCP, "https", TLSF("accepted", "refused")}}, 0, V_PASS, NULL},
    {"control: TLSv1.0 accepted", {{443, T_TCP, "https", TLSF("accepted", "accepted")}}, 0, V_FAIL, NULL},
    /* class 8 */
    {"8: a TLS service the pool never started", {{443, T_TCP, "https", TLSF("accepted", "refused")},
       {8883, T_TCP, "mqtts", NULL}}, 0, V_INCONCLUSIVE, "not examined"},
    {"8: the only TLS service never started is no NOT_APPLICABLE", {{8883, T_TCP, "mqtts", NULL}},
     SP_ERR_TIMEOUT, V_INCONCLUSIVE, NULL},
    {"8: a version not decided", {{443, T_TCP, "https", TLSF("accepted", "unknown")}}, 0, V_INCONCLUSIVE, NULL},
    /* class 2: an unidentified service may be TLS */
    {"2: an unidentified service beside a good one", {{443, T_TCP, "https", TLSF("accepted", "refused")},
       {9999, T_TCP, "unknown", NULL}}, 0, V_INCONCLUSIVE, NULL},
};

static void test_tls_judge(void)
{
    judge_rows("tls.versions", "{forbid: [TLSv1.0], require_one_of: [TLSv1.2]}", tls_rows, SP_ARRAY_LEN(tls_rows));
}

/* ---- banners.versions, tls.chain, tls.client_auth (★2-★4 rules) ---- */

static const struct jrow banner_rows[] = {
    {"control: SSH identification without a version", {{22, T_TCP, "ssh", "{\"_banner\":\"SSH-2.0-dropbear\"}"}}, 0,
     V_PASS, NULL},
    {"OpenSSH with its version", {{22, T_TCP, "ssh", "{\"_banner\":\"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\"}"}}, 0,
     V_FAIL, "tcp/22"},
    {"HTTP Server header with a version", {{80, T_TCP, "http", "{\"http\":{\"server\":\"lighttpd/1.4.69\","
                                            "\"x_powered_by\":\"\"}}"}}, 0, V_FAIL, NULL},
    {"HTTPS X-Powered-By with a version", {{443, T_TCP, "https", "{\"http\":{\"server\":\"\","
                                            "\"x_powered_by\":\"PHP/8.2.7\"}}"}}, 0, V_FAIL, NULL},
    {"control: HTTP without Server header", {{80, T_TCP, "http", "{\"http\":{\"server\":\"\"}}"}}, 0,
     V_PASS, NULL},
    {"HTTP never answered is no PASS", {{80, T_TCP, "http", "{\"http\":{}}"}}, 0, V_INCONCLUSIVE,
     "not read"},
    {"FTP greeting with a version", {{21, T_TCP, "ftp", "{\"_banner\":\"220 (vsFTPd 3.0.3)\"}"}}, 0, V_FAIL, NULL},
    {"control: FTP greeting with an address only", {{21, T_TCP, "ftp", "{\"_banner\":\"220 ready at 192.0.2.1:21.\"}"}},
     0, V_PASS, NULL},
    {"FTP without a greeting is no PASS", {{21, T_TCP, "ftp", NULL}}, 0, V_INCONCLUSIVE, NULL},
    {"SNMP sysDescr with a kernel version", {{161, T_UDP, "snmp", "{\"snmp\":{\"communities\":[\"public\"],"
                                              "\"sysDescr\":\"Linux gw 6.1.0-18-amd64 #1 SMP\"}}"}}, 0,
     V_FAIL, NULL},
    {"control: SNMP sysDescr unreadable", {{161, T_UDP, "snmp", "{\"snmp\":{\"communities\":[]}}"}}, 0,
     V_PASS, NULL},
    {"control: MQTT says nothing before a login", {{1883, T_TCP, "mqtt", NULL}}, 0, V_PASS, NULL},
    {"an unidentified silent service is no PASS", {{22, T_TCP, "ssh", "{\"_banner\":\"SSH-2.0-x\"}"},
       {9999, T_TCP, "unknown", NULL}}, 0, V_INCONCLUSIVE, "tcp/9999"},
};

#define CERT "\"certificate\":{\"issuer\":\"CN=ca\",\"subject\":\"CN=d\"}"
static const struct jrow chain_rows[] = {
    {"chains to the declared CA", {{443, T_TCP, "https", "{\"tls\":{" CERT ",\"declared_ca\":"
                                    "{\"result\":\"chains\"}}}"}}, 0, V_PASS, NULL},
    {"does not chain", {{443, T_TCP, "https", "{\"tls\":{" CERT ",\"declared_ca\":"
                         "{\"result\":\"does not chain\",\"detail\":\"not trusted\"}}}"}}, 0, V_FAIL, NULL},
    {"no result recorded is no PASS", {{443, T_TCP, "https", "{\"tls\":{" CERT "}}"}}, 0, V_INCONCLUSIVE, NULL},
    {"no certificate read is no PASS", {{443, T_TCP, "https", "{\"tls\":{\"certificate_error\":\"x\"}}"}},
     0, V_INCONCLUSIVE, NULL},
    {"control: PSK-only DTLS", {{5684, T_UDP, "coaps", "{\"tls\":{\"authentication\":\"psk\"}}"}}, 0,
     V_PASS, NULL},
};

#define CC(v) "{\"tls\":{\"client_certificate\":\"" v "\",\"client_certificate_detail\":\"d\"}}"
static const struct jrow client_auth_rows[] = {
    {"management HTTPS asks for a client certificate", {{443, T_TCP, "https", CC("requested")}}, 0, V_PASS, NULL},
    {"management HTTPS does not", {{443, T_TCP, "https", CC("not requested")}}, 0, V_FAIL, "tcp/443"},
    {"not determined is no PASS", {{443, T_TCP, "https", CC("unknown")}}, 0, V_INCONCLUSIVE, NULL},
    {"MQTTS is not a management interface", {{8883, T_TCP, "mqtts", CC("not requested")}}, 0,
     V_NOT_APPLICABLE, NULL},
};

/*
 * banners.versions names no protocol: for every name of every handler, a
 * service that sent no greeting and has no facts is PASS only when its
 * handler says it is quiet before a login, and otherwise INCONCLUSIVE naming
 * it as not examined or not read: never a silent skip.
 */
static void test_banners_by_construction(void)
{
    char yaml[] = "profile: t\nlevel: 1\nrequirements:\n"
                  "  - {id: J, title: j, assess: probe, checks: [{probe: banners.versions}]}\n";
    struct profile pr;
    size_t names = 0;

    CU_ASSERT_EQUAL_FATAL(unit_profile_text(yaml, &pr), 0);
    for (size_t i = 0; proto_registry[i]; i++) {
        const struct proto *p = proto_registry[i];
        const char *const *lists[] = {p->names, p->tls_names};
        for (size_t l = 0; l < 2; l++)
            for (size_t j = 0; lists[l] && lists[l][j]; j++) {
                struct run r;
                char label[32], why[200];
                int quiet = (p->flags & PROTO_QUIET_BEFORE_LOGIN) != 0;
                unit_scanned_run(&r, &pr);
                struct service *s = run_add_service(&r, 4000 + (long)names, T_TCP);
                sp_strlcpy(s->name, lists[l][j], sizeof(s->name));
                service_label(s, label, sizeof(label));
                if (p->pre_login_texts)
                    quiet = p->pre_login_texts(s, NULL, NULL, why, sizeof(why)) > 0;
                run_judge(&r);
                const struct check_result *c = &r.results[0].checks[0];
                int ok = quiet ? c->verdict == V_PASS
                               : c->verdict == V_INCONCLUSIVE && c->reason &&
                                     strstr(c->reason, label) && c->nev > 0 &&
                                     (strstr(c->ev[0].detail, "not examined") ||
                                      strstr(c->ev[0].detail, "not read"));
                if (!ok)
                    fprintf(stderr, "\nbanners.versions on a silent %s: %s: %s\n", lists[l][j],
                            verdict_name(c->verdict), c->reason ? c->reason : "(none)");
                CU_ASSERT(ok);
                names++;
                run_free(&r);
            }
    }
    CU_ASSERT(names > 20);
    profile_free(&pr);
}

static void test_rules_judges(void)
{
    struct device d;

    judge_rows("banners.versions", NULL, banner_rows, SP_ARRAY_LEN(banner_rows));
    test_banners_by_construction();
    {
        static const struct jrow allow_rows[] = {
            {"a version the profile allows", {{22, T_TCP, "ssh", "{\"_banner\":\"SSH-2.0-OpenSSH_9.2p1\"}"}}, 0, V_PASS, NULL},
        };
        judge_rows("banners.versions", "{allow: [OpenSSH_]}", allow_rows, SP_ARRAY_LEN(allow_rows));
    }
    judge_rows("tls.client_auth", NULL, client_auth_rows, SP_ARRAY_LEN(client_auth_rows));
    /* Without a declared CA nothing can chain to one. */
    {
        static const struct jrow nodecl[] = {
            {"no tls.ca_file declared is no PASS", {{443, T_TCP, "https", "{\"tls\":{" CERT "}}"}}, 0,
             V_INCONCLUSIVE, "declared CA"},
        };
        judge_rows("tls.chain", NULL, nodecl, SP_ARRAY_LEN(nodecl));
    }
    device_init(&d);
    d.tls_ca_file = "ca.pem";
    row_device = &d;
    judge_rows("tls.chain", NULL, chain_rows, SP_ARRAY_LEN(chain_rows));
    row_device = NULL;
}

/* ---- the page rule of auth.unauthenticated (class 4) ---- */

static void test_http_form(void)
{
    static const struct {
        const char *page;
        enum http_form want;
    } cases[] = {
        {"<form><input type=text name=username><input type=password name=password></form>", HTTP_FORM_LOGIN},
        {"<form><input name='user'><input TYPE=\"password\" name=\"pwd\"></form>", HTTP_FORM_LOGIN},
        {"<form>PIN <input type=\"password\" name=\"pin\"></form>", HTTP_FORM_LOGIN},
        {"<input type=email name=email><input type=password name=key>", HTTP_FORM_LOGIN},
        /* settings: a new password and its confirmation, a Wi-Fi key, a PSK */
        {"<form><input type=\"password\" name=\"new_password\"><input type=\"password\" name=\"confirm_password\">"
         "<input type=text name=ssid><input type=\"password\" name=\"wifi_psk\"></form>", HTTP_FORM_SETTINGS},
        {"<form>Wi-Fi key <input type='password' name='wlan_key'></form>", HTTP_FORM_SETTINGS},
        {"<form><input type=password name=newpass></form>", HTTP_FORM_SETTINGS},
        {"<input type=password name=old><input type=password name=pw2>", HTTP_FORM_SETTINGS},
        {"<input type=password id=psk>", HTTP_FORM_SETTINGS},
        /* one generic password field beside a setting, no user field: the weak testbed's /admin page */
        {"<form action=\"/admin/\"><p>Wi-Fi SSID: <input name=\"ssid\" value=\"home-network\"></p>"
         "<p>Admin password: <input name=\"password\" type=\"password\"></p></form>", HTTP_FORM_SETTINGS},
        /* a login form may ask a verification code beside the password */
        {"<input name=username><input type=password name=pass><input name=captcha>", HTTP_FORM_LOGIN},
        {"<input type=password name=pin><input type=text name=otp_code>", HTTP_FORM_LOGIN},
        {"<input type=text name=id><input type=password name=pw>", HTTP_FORM_LOGIN},
        {"<input type=text name=device_name><input type=password name=pw>", HTTP_FORM_SETTINGS},
        {"<input type=password name=pin><input type=hidden name=csrf value=x><input type=checkbox name=remember>",
         HTTP_FORM_LOGIN},
        /* no password field at all */
        {"<h1>Admin</h1><input name=psk>", HTTP_FORM_NONE},
        {"<p>type=password is a word here</p>", HTTP_FORM_NONE},
        {"", HTTP_FORM_NONE},
        /* a value that looks like an attribute is not one */
        {"<input value=' type=password' name=user>", HTTP_FORM_NONE},
        /*
         * hostile: unterminated tags and quotes end the read, never past the end; a tag the page
         * ends inside is no field, as a browser drops it (this read LOGIN, a gate, before the
         * page rule used html_form.c's reader)
         */
        {"<input type=\"password", HTTP_FORM_NONE},
        {"<input type=password name=\"new", HTTP_FORM_NONE},
        {"<input", HTTP_FORM_NONE},
        /* a password field in a comment or a script is none: the page is no gate (both read LOGIN before) */
        {"<h1>Admin</h1><!-- <form><input type=password name=pw></form> --><p>Reboot</p>", HTTP_FORM_NONE},
        {"<script>var f = '<input type=password name=pw>';</script><h1>Settings</h1>", HTTP_FORM_NONE},
    };
    for (size_t i = 0; i < SP_ARRAY_LEN(cases); i++) {
        enum http_form got = http_body_form((const uint8_t *)cases[i].page, strlen(cases[i].page));
        if (got != cases[i].want)
            fprintf(stderr, "\nform %zu: got %d, want %d\n", i, (int)got, (int)cases[i].want);
        CU_ASSERT_EQUAL(got, cases[i].want);
        CU_ASSERT_EQUAL(http_body_is_login_form((const uint8_t *)cases[i].page, strlen(cases[i].page)),
                        cases[i].want == HTTP_FORM_LOGIN);
    }
}

int register_judges_tests(void)
{
    CU_pSuite s = CU_add_suite("judges", NULL, NULL);

    if (!s || !CU_add_test(s, "auth.unauthenticated judge: no PASS on what was not examined", test_unauth_judge) ||
        !CU_add_test(s, "creds.defaults judge: a cut or throttled sweep is no PASS", test_creds_judge) ||
        !CU_add_test(s, "auth.bruteforce judge: status-aware, lockout confirmed", test_bruteforce_judge) ||
        !CU_add_test(s, "HTTP status after credentials: 403/503 are not a lockout", test_http_login_status) ||
        !CU_add_test(s, "telnet closed before a prompt is not a lockout", test_telnet_close) ||
        !CU_add_test(s, "a refused connect is not a lockout (http, telnet, ftp, ssh)", test_refused_connect) ||
        !CU_add_test(s, "tls.versions judge: services never reached", test_tls_judge) ||
        !CU_add_test(s, "units.distinct judge: no PASS on a pair not compared", test_distinct_judge) ||
        !CU_add_test(s, "update.channel judge: PASS only on a verified handshake", test_update_judge) ||
        !CU_add_test(s, "login form or settings form", test_http_form) ||
        !CU_add_test(s, "update.tamper judge: a positive refusal of both, the device still up", test_tamper_judge) ||
        !CU_add_test(s, "robust.malformed judge: every service exercised, the plan covered", test_robust_judge) ||
        !CU_add_test(s, "banners.versions, tls.chain, tls.client_auth judges", test_rules_judges))
        return -1;
    return 0;
}
