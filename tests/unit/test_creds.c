/*
 * test_creds.c - the pure parts of the login modules and the credential
 * rules, as tables: telnet option negotiation and prompts, FTP replies, HTTP
 * status and challenges, Basic/Digest (RFC 7616 §3.9.1 vectors), the
 * dictionary and its per-account budget, the brute-force rule.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "creds.h"
#include "proto.h"
#include "login.h"
#include "telnet_wire.h"
#include "unit.h"
#include "util.h"

#define B(s) (const uint8_t *)(s), sizeof(s) - 1

static void test_telnet_prompt(void)
{
    static const struct {
        const char *text;
        enum telnet_prompt want;
    } cases[] = {
        {"\r\nIPCam login: ", TP_LOGIN},
        {"BusyBox v1.36\r\n(none) login:", TP_LOGIN},
        {"Username:", TP_LOGIN},
        {"User Name :", TP_NONE},       /* space before the colon: not a known form */
        {"\r\nUser Name: ", TP_LOGIN},
        {"Password: ", TP_PASSWORD},
        {"root\r\nPassword:", TP_PASSWORD},
        {"login: root\r\nwelcome\r\n# ", TP_NONE},
        {"### root@gw # ready # $ ###", TP_NONE},
        {"Last login: yesterday\r\n$ ", TP_NONE},
        /* auth.unauthenticated relies on this: a banner that says "login" is not a login prompt. */
        {"Last login: Mon from 10.0.0.1\r\nWelcome, enter your password to continue\r\n/ # ", TP_NONE},
        {"/ # ", TP_NONE},
        {"", TP_NONE},
        {"password: \t ", TP_PASSWORD},
    };
    for (size_t i = 0; i < SP_ARRAY_LEN(cases); i++)
        CU_ASSERT_EQUAL(telnet_prompt((const uint8_t *)cases[i].text, strlen(cases[i].text)),
                        cases[i].want);
    CU_ASSERT_TRUE(telnet_says_failed(B("\r\nLogin incorrect\r\n")));
    CU_ASSERT_TRUE(telnet_says_failed(B("% Authentication failed.")));
    CU_ASSERT_FALSE(telnet_says_failed(B("\r\n# ")));
}

static void test_http_status_challenge(void)
{
    struct http_challenge ch;

    CU_ASSERT_EQUAL(http_status(B("HTTP/1.1 401 Unauthorized\r\n")), 401);
    CU_ASSERT_EQUAL(http_status(B("RTSP/1.0 200 OK\r\n")), 200);
    CU_ASSERT_EQUAL(http_status(B("HTTP/1.0 2x0 OK\r\n")), -1);
    CU_ASSERT_EQUAL(http_status(B("SSH-2.0-OpenSSH\r\n")), -1);
    CU_ASSERT_EQUAL(http_status(B("HTTP/1.1 20")), -1);

    CU_ASSERT_EQUAL(http_parse_challenge(B("HTTP/1.1 401 X\r\nWWW-Authenticate: Basic realm=\"cam\"\r\n\r\n"), &ch), 0);
    CU_ASSERT_STRING_EQUAL(ch.scheme, "Basic");
    CU_ASSERT_STRING_EQUAL(ch.realm, "cam");
    /* SHA-256 preferred over MD5 over Basic, whatever the order */
    CU_ASSERT_EQUAL(http_parse_challenge(B(
        "HTTP/1.1 401 X\r\nWWW-Authenticate: Basic realm=\"a\"\r\n"
        "www-authenticate: Digest realm=\"r\", nonce=\"n1\", algorithm=MD5, qop=\"auth\"\r\n"
        "WWW-Authenticate: Digest realm=\"r\", nonce=\"n2\", algorithm=SHA-256, qop=\"auth,auth-int\", opaque=\"o\"\r\n\r\n"), &ch), 0);
    CU_ASSERT_STRING_EQUAL(ch.scheme, "Digest");
    CU_ASSERT_STRING_EQUAL(ch.algorithm, "SHA-256");
    CU_ASSERT_STRING_EQUAL(ch.nonce, "n2");
    CU_ASSERT_STRING_EQUAL(ch.opaque, "o");
    CU_ASSERT_TRUE(ch.qop_auth);
    /* unsupported or malformed: nothing usable */
    CU_ASSERT_NOT_EQUAL(http_parse_challenge(B("HTTP/1.1 401 X\r\nWWW-Authenticate: Bearer realm=\"x\"\r\n\r\n"), &ch), 0);
    CU_ASSERT_NOT_EQUAL(http_parse_challenge(B("HTTP/1.1 401 X\r\nWWW-Authenticate: Digest realm=\"r\"\r\n\r\n"), &ch), 0);
    CU_ASSERT_NOT_EQUAL(http_parse_challenge(B("HTTP/1.1 401 X\r\nWWW-Authenticate: Digest nonce=\"unterminated\r\n"), &ch), 0);
    /* a header after the end of the head is body, not a challenge */
    CU_ASSERT_NOT_EQUAL(http_parse_challenge(B("HTTP/1.1 200 OK\r\n\r\nWWW-Authenticate: Basic realm=\"x\"\r\n"), &ch), 0);
    /* oversized values are cut, not overflowed */
    {
        char big[1200];
        int n = snprintf(big, sizeof(big), "HTTP/1.1 401 X\r\nWWW-Authenticate: Digest realm=\"%0600d\", nonce=\"%0300d\"\r\n\r\n", 0, 0);
        CU_ASSERT_EQUAL(http_parse_challenge((const uint8_t *)big, (size_t)n, &ch), 0);
        CU_ASSERT_EQUAL(strlen(ch.realm), sizeof(ch.realm) - 1);
    }
}

static void test_http_authorization(void)
{
    struct http_challenge ch;
    char out[768];

    memset(&ch, 0, sizeof(ch));
    strcpy(ch.scheme, "Basic");
    CU_ASSERT_EQUAL(http_authorization(&ch, "GET", "/", "admin", "admin", "", out, sizeof(out)), 0);
    CU_ASSERT_STRING_EQUAL(out, "Basic YWRtaW46YWRtaW4=");

    /* RFC 7616 §3.9.1 */
    memset(&ch, 0, sizeof(ch));
    strcpy(ch.scheme, "Digest");
    strcpy(ch.realm, "http-auth@example.org");
    strcpy(ch.nonce, "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v");
    strcpy(ch.opaque, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
    ch.qop_auth = 1;
    strcpy(ch.algorithm, "MD5");
    CU_ASSERT_EQUAL(http_authorization(&ch, "GET", "/dir/index.html", "Mufasa", "Circle of Life",
                                       "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", out, sizeof(out)), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "response=\"8ca523f5e9506fed4657c9700eebdbec\""));
    strcpy(ch.algorithm, "SHA-256");
    CU_ASSERT_EQUAL(http_authorization(&ch, "GET", "/dir/index.html", "Mufasa", "Circle of Life",
                                       "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", out, sizeof(out)), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""));
    /* a user name that would break the header is refused */
    CU_ASSERT_NOT_EQUAL(http_authorization(&ch, "GET", "/", "a\"b", "x", "c", out, sizeof(out)), 0);
    /* too small an output buffer */
    CU_ASSERT_NOT_EQUAL(http_authorization(&ch, "GET", "/", "a", "x", "c", out, 20), 0);
}

static const char dict_text[] =
    "credentials: test\n"
    "pairs:\n"
    "  - [root, xc3511]\n"
    "  - [root, vizxv]\n"
    "  - [admin, admin]\n"
    "  - [root, \"888888\"]\n"
    "  - [root, \"\"]\n"
    "  - [root, xc3511]\n"            /* duplicate: ignored */
    "  - [anonymous, \"anonymous@\", [ftp]]\n"
    "  - [admin, \"1234\"]\n"
    "communities: [public, private]\n";

static void test_dict_and_budget(void)
{
    struct cred_dict d;
    struct cred_plan p;
    struct ydoc doc;
    struct yerr e;

    cred_dict_init(&d);
    ydoc_init(&doc);
    CU_ASSERT_EQUAL_FATAL(ydoc_load_string(&doc, "t.yaml", dict_text, strlen(dict_text), &e), 0);
    CU_ASSERT_EQUAL(cred_dict_merge_doc(&d, &doc, "test", &e), 0);
    CU_ASSERT_EQUAL(d.n, 7);
    CU_ASSERT_EQUAL(d.ncomm, 2);
    CU_ASSERT_STRING_EQUAL(d.pairs[4].pass, "");

    static const struct {
        const char *proto;
        long budget;
        size_t n;
        size_t first, last;     /* dictionary indexes */
        int cut;
    } cases[] = {
        {"ssh", 5, 6, 0, 6, 0},        /* root 4, admin 2; anonymous is ftp-only */
        {"ssh", 2, 4, 0, 6, 1},        /* root cut at 2 (xc3511, vizxv), admin 2 */
        {"ftp", 1, 3, 0, 5, 1},        /* root 1, admin 1, anonymous 1 */
        {"snmp", 1, 2, 0, 1, 0},       /* communities, no budget */
    };
    for (size_t i = 0; i < SP_ARRAY_LEN(cases); i++) {
        cred_plan_build(&d, proto_for_name(cases[i].proto, NULL), cases[i].budget, &p);
        CU_ASSERT_EQUAL(p.n, cases[i].n);
        if (p.n == cases[i].n && p.n) {
            CU_ASSERT_EQUAL(p.idx[0], cases[i].first);
            CU_ASSERT_EQUAL(p.idx[p.n - 1], cases[i].last);
        }
        CU_ASSERT_EQUAL(p.cut != NULL, cases[i].cut);
        cred_plan_free(&p);
    }
    cred_plan_build(&d, proto_for_name("ssh", NULL), 2, &p);
    CU_ASSERT_PTR_NOT_NULL(p.cut && strstr(p.cut, "root (4 pairs, 2 tried)"));
    cred_plan_free(&p);

    /*
     * --intrusive: the whole list in rounds, each account's first pair, then each one's second:
     * ssh gets root 4 and admin 2, so rounds 0 and 1 hold both users and rounds 2 and 3 root only.
     */
    cred_plan_rounds(&d, proto_for_name("ssh", NULL), 0, &p);
    CU_ASSERT_EQUAL(p.n, 6);
    CU_ASSERT_EQUAL(p.nrounds, 4);
    CU_ASSERT_PTR_NULL(p.cut);
    if (p.n == 6) {
        static const size_t want_round[] = {0, 0, 1, 1, 2, 3};
        for (size_t k = 0; k < p.n; k++) {
            CU_ASSERT_EQUAL(p.round[k], want_round[k]);
            if (k > 0)
                CU_ASSERT(p.round[k] >= p.round[k - 1]);
        }
        CU_ASSERT_STRING_NOT_EQUAL(d.pairs[p.idx[0]].user, d.pairs[p.idx[1]].user);
        CU_ASSERT_STRING_EQUAL(d.pairs[p.idx[4]].user, "root");
        CU_ASSERT_STRING_EQUAL(d.pairs[p.idx[5]].user, "root");
    }
    cred_plan_free(&p);
    /* the same pairs as the uncapped dictionary-order plan, none lost or doubled */
    {
        struct cred_plan q;
        cred_plan_rounds(&d, proto_for_name("ftp", NULL), 0, &p);
        cred_plan_build(&d, proto_for_name("ftp", NULL), 1000, &q);
        CU_ASSERT_EQUAL(p.n, q.n);
        for (size_t k = 0; k < q.n; k++) {
            int seen = 0;
            for (size_t j = 0; j < p.n; j++)
                seen += p.idx[j] == q.idx[k];
            CU_ASSERT_EQUAL(seen, 1);
        }
        cred_plan_free(&q);
        cred_plan_free(&p);
    }

    /* never more than the budget for one user, whatever the order */
    for (long b = 1; b <= 4; b++) {
        cred_plan_build(&d, proto_for_name("telnet", NULL), b, &p);
        long root = 0;
        for (size_t k = 0; k < p.n; k++)
            root += strcmp(d.pairs[p.idx[k]].user, "root") == 0;
        CU_ASSERT(root <= b);
        cred_plan_free(&p);
    }
    ydoc_free(&doc);
    cred_dict_free(&d);

    /* malformed dictionaries are refused with a position */
    static const char *const bad[] = {
        "pairs: [[a, b]]\n",                                    /* no credentials: key */
        "credentials: x\npairs: [[a]]\n",
        "credentials: x\npairs: [[a, b, [gopher]]]\n",
        "credentials: x\npairs: {a: b}\n",
        "credentials: x\ncommunities: [[x]]\n",
        "credentials: x\ncolour: red\n",
    };
    for (size_t i = 0; i < SP_ARRAY_LEN(bad); i++) {
        cred_dict_init(&d);
        ydoc_init(&doc);
        memset(&e, 0, sizeof(e));
        if (ydoc_load_string(&doc, "bad.yaml", bad[i], strlen(bad[i]), &e) == 0)
            CU_ASSERT_NOT_EQUAL(cred_dict_merge_doc(&d, &doc, "bad", &e), 0);
        CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "bad.yaml"));
        ydoc_free(&doc);
        cred_dict_free(&d);
    }
}

static void test_bundled_dictionary(void)
{
    struct cred_dict d;
    struct yerr e;
    int has_xc = 0, has_empty = 0;

    cred_dict_init(&d);
    CU_ASSERT_EQUAL_FATAL(cred_dict_load(&d, "../../profiles/iot-defaults.yaml", &e), 0);
    CU_ASSERT(d.n >= 60);
    for (size_t i = 0; i < d.n; i++) {
        has_xc |= strcmp(d.pairs[i].user, "root") == 0 && strcmp(d.pairs[i].pass, "xc3511") == 0;
        has_empty |= strcmp(d.pairs[i].user, "root") == 0 && d.pairs[i].pass[0] == '\0';
    }
    CU_ASSERT_TRUE(has_xc);
    CU_ASSERT_TRUE(has_empty);
    CU_ASSERT_STRING_EQUAL(d.pairs[0].source, "iot-defaults");
    CU_ASSERT_STRING_EQUAL(d.communities[0], "public");
    cred_dict_free(&d);
}

static void test_bruteforce_rule(void)
{
    static const struct {
        const char *name;
        int n;
        long ms[8];
        const char *st[8];
        const char *final;
        enum sp_verdict want;
        const char *before;     /* the right password before the wrong ones; NULL: not tried */
    } cases[] = {
        {"no throttling", 5, {10, 12, 11, 9, 10}, {"rejected", "rejected", "rejected", "rejected", "rejected"},
         "accepted", V_FAIL, NULL},
        /* A lock counts once the right password, tried after it, is refused too. */
        {"lockout, not confirmed (run ended)", 6, {10, 10, 10, 10, 10, 5},
         {"rejected", "rejected", "rejected", "rejected", "rejected", "locked"}, NULL, V_INCONCLUSIVE, NULL},
        {"lockout confirmed", 6, {10, 10, 10, 10, 10, 5},
         {"rejected", "rejected", "rejected", "rejected", "rejected", "locked"}, "locked", V_PASS, NULL},
        {"lockout the right password walks through", 6, {10, 10, 10, 10, 10, 5},
         {"rejected", "rejected", "rejected", "rejected", "rejected", "locked"}, "accepted", V_INCONCLUSIVE, NULL},
        {"delay per failure", 3, {3000, 3100, 2900}, {"rejected", "rejected", "rejected"}, "accepted", V_PASS, NULL},
        {"growing delay", 5, {100, 400, 800, 1000, 1300}, {"rejected", "rejected", "rejected", "rejected", "rejected"},
         "accepted", V_PASS, NULL},
        {"one slow outlier", 5, {10, 2500, 10, 10, 10}, {"rejected", "rejected", "rejected", "rejected", "rejected"},
         "accepted", V_FAIL, NULL},
        /* The growth test compared attempts 1 and 5 whatever they were: the 5th alone slow is no trend. */
        {"one slow outlier at the 5th", 5, {10, 10, 10, 10, 2500},
         {"rejected", "rejected", "rejected", "rejected", "rejected"}, "accepted", V_FAIL, NULL},
        {"a slow timeout at the 5th is no growth", 6, {10, 12, 11, 10, 15000, 11},
         {"rejected", "rejected", "rejected", "rejected", "error", "rejected"}, "accepted", V_INCONCLUSIVE, NULL},
        {"right one refused as locked", 3, {10, 10, 10}, {"rejected", "rejected", "rejected"}, "locked", V_PASS, NULL},
        {"right one refused: silent lockout or wrong account", 3, {10, 10, 10},
         {"rejected", "rejected", "rejected"}, "rejected", V_INCONCLUSIVE, NULL},
        /* A lockout that answers like a wrong password (MQTT 3.1.1 CONNACK 5): only a login with
         * the right password before the wrong ones proves the account, and so the lock. */
        {"silent lockout, the account logged in before", 6, {10, 10, 10, 10, 10, 10},
         {"rejected", "rejected", "rejected", "rejected", "rejected", "rejected"}, "rejected", V_PASS,
         "accepted"},
        {"right one refused before and after: a wrong account", 6, {10, 10, 10, 10, 10, 10},
         {"rejected", "rejected", "rejected", "rejected", "rejected", "rejected"}, "rejected",
         V_INCONCLUSIVE, "rejected"},
        {"right one unclear before, refused after", 3, {10, 10, 10}, {"rejected", "rejected", "rejected"},
         "rejected", V_INCONCLUSIVE, "error"},
        {"silent lockout with an unclear answer among the wrong ones", 3, {10, 15000, 10},
         {"rejected", "error", "rejected"}, "rejected", V_INCONCLUSIVE, "accepted"},
        {"the account logged in before, no lock after", 5, {10, 12, 11, 9, 10},
         {"rejected", "rejected", "rejected", "rejected", "rejected"}, "accepted", V_FAIL, "accepted"},
        {"timeouts", 3, {10, 15000, 10}, {"rejected", "error", "rejected"}, "accepted", V_INCONCLUSIVE, NULL},
        {"wrong password accepted", 2, {10, 10}, {"rejected", "accepted"}, NULL, V_FAIL, NULL},
        {"run ended", 2, {10, 10}, {"rejected", "rejected"}, NULL, V_INCONCLUSIVE, NULL},
    };
    for (size_t i = 0; i < SP_ARRAY_LEN(cases); i++) {
        struct bf_series s;
        char msg[256];
        enum sp_verdict want = cases[i].want;
        memset(&s, 0, sizeof(s));
        s.n = cases[i].n;
        for (int k = 0; k < s.n; k++) {
            s.ms[k] = cases[i].ms[k];
            s.st[k] = cases[i].st[k];
        }
        s.final = cases[i].final;
        s.before = cases[i].before;
        if (i == 0)
            want = V_FAIL;
        enum sp_verdict got = bruteforce_rule(&s, 2000, 1000, msg, sizeof(msg));
        if (got != want)
            fprintf(stderr, "bruteforce case '%s': got %s (%s)\n", cases[i].name, verdict_name(got), msg);
        CU_ASSERT_EQUAL(got, want);
        CU_ASSERT(msg[0] != '\0');
    }
}

/* ---- the login facts' JSON form (reports/facts_json.c) ---- */

/* Shapes record_service writes: each must come back from load then write exactly as it was. */
static const char *const login_rows[] = {
    "{\"protocol\":\"ssh\",\"auth\":\"password\",\"how\":\"password offered\",\"planned\":6,"
    "\"attempts\":3,\"rejected\":2,\"errors\":0,\"locked\":false,\"max_attempts_per_account\":5,"
    "\"most_attempts_one_account\":2,\"sweep\":\"budget\",\"in_flight\":4,"
    "\"found\":{\"user\":\"admin\",\"password\":\"admin\",\"transcript\":\"'echo SP1' -> 'SP1'\"}}",
    "{\"protocol\":\"http\",\"auth\":\"password\",\"how\":\"a login form\",\"path\":\"/login.cgi\","
    "\"scheme\":\"form\",\"form\":{\"start\":\"/\",\"page\":\"/login.cgi\",\"action\":\"/do_login\","
    "\"method\":\"POST\",\"user_field\":\"user\",\"password_field\":\"pass\",\"hidden\":\"csrf\","
    "\"tls\":false},\"planned\":60,\"attempts\":60,\"rejected\":58,\"errors\":2,\"locked\":true,"
    "\"max_attempts_per_account\":0,\"most_attempts_one_account\":30,\"cut_by_budget\":\"root: 3 pairs\","
    "\"sweep\":\"rounds\",\"in_flight\":1,\"per_account\":{\"admin\":30,\"(empty user)\":30},"
    "\"rounds\":30,\"rounds_done\":30,\"test_account\":\"logged in between rounds\","
    "\"stopped\":\"complete\",\"first_error\":\"no answer before the deadline\"}",
    "{\"protocol\":\"ssh\",\"auth\":\"none\",\"how\":\"publickey only\",\"planned\":0,\"attempts\":0,"
    "\"rejected\":0,\"errors\":0,\"locked\":false,\"max_attempts_per_account\":5,"
    "\"most_attempts_one_account\":0,\"sweep\":\"budget\",\"in_flight\":1}",
    "{\"protocol\":\"https\",\"auth\":\"unknown\",\"how\":\"no answer\",\"planned\":0,\"attempts\":0,"
    "\"rejected\":0,\"errors\":0,\"locked\":false,\"max_attempts_per_account\":5,"
    "\"most_attempts_one_account\":0,\"in_flight\":0}",
};

static const struct unit_bad_facts login_bad[] = {
    {"\"x\"", "not an object"},
    {"{\"auth\":\"maybe\"}", "login.auth"},
    {"{\"planned\":-1}", "login.planned"},
    {"{\"per_account\":{\"admin\":\"x\"}}", "login.per_account.admin"},
    {"{\"per_account\":[]}", "login.per_account"},
    {"{\"found\":\"yes\"}", "login.found"},
    {"{\"found\":{\"user\":1}}", "login.found.user"},
    {"{\"form\":{\"tls\":\"no\"}}", "form.tls"},
    {"{\"sweep\":\"all\"}", "login.sweep"},
};


/* Shapes bf_record writes. */
static const char *const bf_rows[] = {
    "{\"attempts\":[{\"n\":1,\"ms\":5,\"status\":\"rejected\"},{\"n\":2,\"ms\":2500,\"status\":\"locked\"}],"
    "\"user\":\"tester\",\"auth\":\"password\",\"how\":\"password offered\",\"before\":\"accepted\","
    "\"final\":\"rejected\",\"final_ms\":3,\"first_reply\":\"Permission denied\"}",
    "{\"attempts\":[],\"user\":\"admin\",\"auth\":\"password\",\"how\":\"a login form\",\"scheme\":\"form\","
    "\"form\":{\"start\":\"/\",\"page\":\"/\",\"action\":\"/login\",\"method\":\"GET\",\"user_field\":\"u\","
    "\"password_field\":\"p\",\"hidden\":\"\",\"tls\":true},"
    "\"note\":\"the declared test account has no password\"}",
    "{\"attempts\":[],\"user\":\"\",\"auth\":\"none\",\"how\":\"publickey only\"}",
};

static const struct unit_bad_facts bf_bad[] = {
    {"[]", "not an object"},
    {"{\"attempts\":{}}", "bruteforce.attempts"},
    {"{\"attempts\":[1]}", "bruteforce.attempts"},
    {"{\"attempts\":[{\"n\":1,\"ms\":-1}]}", "attempts[].ms"},
    {"{\"attempts\":[{\"status\":5}]}", "attempts[].status"},
    {"{\"final\":1}", "bruteforce.final"},
    {"{\"auth\":\"pin\"}", "bruteforce.auth"},
};

static void test_login_facts_codec(void)
{
    unit_facts_round_trip("login", login_rows, SP_ARRAY_LEN(login_rows));
    unit_facts_refused("login", login_bad, SP_ARRAY_LEN(login_bad));
    unit_facts_round_trip("bruteforce", bf_rows, SP_ARRAY_LEN(bf_rows));
    unit_facts_refused("bruteforce", bf_bad, SP_ARRAY_LEN(bf_bad));
}

int register_creds_tests(void)
{
    CU_pSuite s = CU_add_suite("creds", NULL, NULL);
    /* telnet negotiation and FTP replies: test_unauth.c (telnet_wire.c, ftp_wire.c) */
    if (!s || !CU_add_test(s, "telnet prompts and failures", test_telnet_prompt) ||
        !CU_add_test(s, "HTTP status and challenges", test_http_status_challenge) ||
        !CU_add_test(s, "Basic and Digest (RFC 7616)", test_http_authorization) ||
        !CU_add_test(s, "dictionary and per-account budget", test_dict_and_budget) ||
        !CU_add_test(s, "bundled iot-defaults", test_bundled_dictionary) ||
        !CU_add_test(s, "brute-force rule", test_bruteforce_rule) ||
        !CU_add_test(s, "login and bruteforce facts to JSON and back", test_login_facts_codec))
        return -1;
    return 0;
}
