/*
 * test_proto.c - the protocol registry and the coverage rule it carries: a
 * credential or access check cannot PASS while a service in its scope was not
 * examined (no slot or client, not identified), and a protocol without
 * passwords, or one that gates nothing, is no gap.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "facts_json.h"
#include "probe.h"
#include "proto.h"
#include "run.h"
#include "unit.h"

static void test_registry(void)
{
    size_t n = 0;

    for (size_t i = 0; proto_registry[i]; i++, n++) {
        const struct proto *p = proto_registry[i];
        /* A handler that can prepare a login can attempt one, and the other way round. */
        CU_ASSERT((p->login_prepare == NULL) == (p->login_attempt == NULL));
        /* A handler without a login slot says why, or says its protocol has no passwords. */
        if (!p->login_prepare)
            CU_ASSERT(p->no_login != NULL || (p->flags & PROTO_NO_PASSWORD));
        /* The family an unauth slot records is one the facts' codec knows, so it reaches the report. */
        if (p->facts_key) {
            CU_ASSERT_PTR_NOT_NULL(p->unauth);
            CU_ASSERT(facts_family_known(p->facts_key));
        }
        CU_ASSERT_PTR_EQUAL(proto_for_name(p->name, NULL), p);
        CU_ASSERT_EQUAL(proto_index(p), i);
        /* Every identified name belongs to one handler only. */
        for (size_t k = 0; p->names && p->names[k]; k++)
            CU_ASSERT_PTR_EQUAL(proto_for_name(p->names[k], NULL), p);
        for (size_t k = 0; p->tls_names && p->tls_names[k]; k++) {
            int tls = 0;
            CU_ASSERT_PTR_EQUAL(proto_for_name(p->tls_names[k], &tls), p);
            CU_ASSERT_EQUAL(tls, 1);
        }
    }
    CU_ASSERT(n < 32);      /* dictionaries keep protocol sets as bits */
    {
        int tls = 1;
        CU_ASSERT_PTR_EQUAL(proto_for_name("https", &tls), proto_for_name("http", NULL));
        CU_ASSERT_EQUAL(tls, 1);
        CU_ASSERT_PTR_NULL(proto_for_name("unknown", &tls));
        CU_ASSERT_EQUAL(tls, 0);
    }
}

/* Login facts of a service whose every planned default was refused: on its own, a PASS. */
static const char swept_facts[] =
    "{\"protocol\":\"ssh\",\"auth\":\"password\",\"how\":\"password offered\",\"planned\":6,"
    "\"attempts\":6,\"rejected\":6,\"errors\":0,\"locked\":false,\"max_attempts_per_account\":5}";

static const char open_facts[] = "{\"protocol\":\"%s\",\"auth\":\"open\",\"how\":\"no challenge\"}";
static const char form_facts[] =
    "{\"protocol\":\"http\",\"auth\":\"password\",\"scheme\":\"form\",\"how\":\"a login form\","
    "\"form\":{\"page\":\"/login.cgi\",\"action\":\"/login.cgi\",\"method\":\"POST\"},"
    "\"planned\":4,\"attempts\":4,\"rejected\":4,\"errors\":0,\"locked\":false,"
    "\"max_attempts_per_account\":5}";

static const struct {
    const char *what;
    const char *other;          /* a second service's identified name, or NULL */
    enum sp_verdict want;
    const char *evidence;       /* expected in the evidence of tcp/8080, or NULL */
    int open;                   /* the second service's login facts: 1 asks for none, 2 a form swept */
} rows[] = {
    {"one ssh service, every default refused", NULL, V_PASS, NULL, 0},
    {"and a VNC service no module can log in to", "vnc", V_INCONCLUSIVE, "not examined by creds.defaults", 0},
    {"and a service nobody identified", "unknown", V_INCONCLUSIVE, "not identified", 0},
    {"and TLS around an unknown protocol", "tls", V_INCONCLUSIVE, "inside TLS", 0},
    {"and CoAP, which has no passwords", "coap", V_PASS, NULL, 0},
    {"and an https service the sweep never reached", "https", V_INCONCLUSIVE, "not examined", 0},
    /* No 401 anywhere is no proof on the web: a form may take the default password. */
    {"and a web page without a 401 challenge or a login form", "http", V_INCONCLUSIVE,
     "nor a login form was found", 1},
    /* A login form whose every default was refused is examined like any password login. */
    {"and a web login form, every default refused", "http", V_PASS, NULL, 2},
    /* An MQTT broker that accepted an anonymous CONNECT really takes no password. */
    {"and an anonymous MQTT broker", "mqtt", V_PASS, NULL, 1},
};

static void test_coverage(void)
{
    static const char yaml[] = "profile: t\nlevel: 1\nrequirements:\n"
                               "  - {id: D, title: d, assess: probe, checks: [{probe: creds.defaults}]}\n";
    const struct probe *pr = probe_find("creds.defaults");
    struct profile p;

    CU_ASSERT_FATAL(pr != NULL);
    CU_ASSERT_EQUAL_FATAL(unit_profile_text(yaml, &p), 0);
    for (size_t i = 0; i < SP_ARRAY_LEN(rows); i++) {
        struct run r;
        struct service *s;

        unit_scanned_run(&r, &p);
        s = run_add_service(&r, 22, T_TCP);
        sp_strlcpy(s->name, "ssh", sizeof(s->name));
        unit_set_facts(s, "login", swept_facts);
        if (rows[i].other) {
            struct service *other = run_add_service(&r, 8080, T_TCP);
            sp_strlcpy(other->name, rows[i].other, sizeof(other->name));
            if (rows[i].open) {
                char txt[128];
                snprintf(txt, sizeof(txt), open_facts, rows[i].other);
                unit_set_facts(other, "login", rows[i].open == 2 ? form_facts : txt);
            }
        }
        run_judge(&r);
        const struct check_result *c = &r.results[0].checks[0];
        int named = 0;
        for (size_t k = 0; k < c->nev; k++)
            named |= rows[i].evidence && c->ev[k].service && strcmp(c->ev[k].service, "tcp/8080") == 0 &&
                     strstr(c->ev[k].detail, rows[i].evidence) != NULL;
        if (c->verdict != rows[i].want)
            fprintf(stderr, "\nproto coverage '%s': %s (%s)\n", rows[i].what, verdict_name(c->verdict),
                    c->reason);
        CU_ASSERT_EQUAL(c->verdict, rows[i].want);
        CU_ASSERT(rows[i].evidence == NULL || named);
        run_free(&r);
    }
    profile_free(&p);
}

/* auth.unauthenticated: an SSH service that refused "none" passes alone; what rides beside it decides. */
static const struct {
    const char *what;
    const char *other;
    enum sp_verdict want;
} unauth_rows[] = {
    {"ssh refused 'none'", NULL, V_PASS},
    {"and rlogin, which no client asks", "rlogin", V_INCONCLUSIVE},
    {"and MySQL, whose anonymous access no client asks", "mysql", V_INCONCLUSIVE},
    {"and an unidentified service", "unknown", V_INCONCLUSIVE},
    {"and DNS, which gates nothing", "dns", V_PASS},
};

static void test_unauth_coverage(void)
{
    static const char yaml[] = "profile: t\nlevel: 1\nrequirements:\n"
                               "  - {id: U, title: u, assess: probe, checks: [{probe: auth.unauthenticated}]}\n";
    static const char facts[] =
        "{\"items\":[{\"kind\":\"auth\",\"item\":\"none\",\"result\":\"refused\",\"detail\":\"refused\"}]}";
    const struct probe *pr = probe_find("auth.unauthenticated");
    struct profile p;

    CU_ASSERT_FATAL(pr != NULL);
    CU_ASSERT_EQUAL_FATAL(unit_profile_text(yaml, &p), 0);
    for (size_t i = 0; i < SP_ARRAY_LEN(unauth_rows); i++) {
        struct run r;
        struct service *s;

        unit_scanned_run(&r, &p);
        s = run_add_service(&r, 22, T_TCP);
        sp_strlcpy(s->name, "ssh", sizeof(s->name));
        unit_set_facts(s, "unauth", facts);
        if (unauth_rows[i].other)
            sp_strlcpy(run_add_service(&r, 8554, T_TCP)->name, unauth_rows[i].other, sizeof(s->name));
        run_judge(&r);
        const struct check_result *c = &r.results[0].checks[0];
        if (c->verdict != unauth_rows[i].want)
            fprintf(stderr, "\nunauth coverage '%s': %s (%s)\n", unauth_rows[i].what,
                    verdict_name(c->verdict), c->reason);
        CU_ASSERT_EQUAL(c->verdict, unauth_rows[i].want);
        if (unauth_rows[i].want == V_INCONCLUSIVE)
            CU_ASSERT_PTR_NOT_NULL(strstr(c->reason, "not examined"));
        run_free(&r);
    }
    profile_free(&p);
}

/*
 * A target that answered on no port: every network check of the ★1 profile
 * is INCONCLUSIVE, none PASS or NOT_APPLICABLE. The same empty device after a
 * scan that did see it answer (every port closed) lets them conclude, which
 * is what makes the first half a test.
 */
static void test_silent_target(void)
{
    static const char *const net_probes[] = {"ports.exposure", "transport.plaintext", "tls.versions",
                                             "tls.ciphers", "tls.certificate", "ssh.algorithms",
                                             "creds.defaults", "auth.unauthenticated"};
    struct profile p;
    struct yerr e;
    char path[256];

    CU_ASSERT_FATAL((size_t)snprintf(path, sizeof(path), "%s", "../../profiles/jcstar-star1.yaml") < sizeof(path));
    CU_ASSERT_EQUAL_FATAL(profile_load_path(&p, path, &e), 0);
    for (int unreachable = 1; unreachable >= 0; unreachable--) {
        struct run r;
        int concluded = 0;

        unit_scanned_run(&r, &p);
        r.scan.tcp_ports = 65535;
        if (unreachable) {
            r.unreachable = 1;
            r.scan.tcp_filtered = 65535;
        } else {
            r.scan.tcp_closed = 65535;
        }
        for (size_t i = 0; probe_registry[i]; i++)
            if (probe_registry[i]->gatherer && r.ngathered < RUN_MAX_GATHERERS) {
                int seen = 0;
                for (size_t k = 0; k < r.ngathered; k++)
                    seen |= r.gathered[k].g == probe_registry[i]->gatherer;
                if (!seen)
                    r.gathered[r.ngathered++].g = probe_registry[i]->gatherer;
            }
        run_judge(&r);
        for (size_t i = 0; i < r.nresults; i++)
            for (size_t j = 0; j < r.results[i].nchecks; j++) {
                const struct check_result *c = &r.results[i].checks[j];
                int net = 0;
                for (size_t k = 0; k < SP_ARRAY_LEN(net_probes); k++)
                    net |= strcmp(c->check->probe->name, net_probes[k]) == 0;
                if (!net)
                    continue;
                if (unreachable) {
                    if (c->verdict == V_PASS || c->verdict == V_NOT_APPLICABLE)
                        fprintf(stderr, "\nsilent target: %s %s (%s)\n", c->check->probe->name,
                                verdict_name(c->verdict), c->reason);
                    CU_ASSERT(c->verdict != V_PASS && c->verdict != V_NOT_APPLICABLE);
                } else {
                    concluded += c->verdict == V_PASS || c->verdict == V_NOT_APPLICABLE;
                }
            }
        if (!unreachable)
            CU_ASSERT(concluded > 0);
        run_free(&r);
    }
    profile_free(&p);
}


/*
 * transport.plaintext through the handlers' asks_credentials slots: the
 * reply that identified a plaintext service says it asks for credentials
 * (HTTP's Basic challenge, MQTT's CONNACK refusing an anonymous CONNECT), or
 * the login checks found a form; without such a sign the check stays
 * INCONCLUSIVE, never PASS, and a sign that says "open" lets it PASS.
 */
static const uint8_t reply_basic[] = "HTTP/1.1 401 Unauthorized\r\nServer: cam\r\n"
                                     "WWW-Authenticate: Basic realm=\"cam\"\r\n\r\n";
static const uint8_t reply_digest[] = "HTTP/1.1 401 Unauthorized\r\n"
                                      "WWW-Authenticate: Digest realm=\"cam\", nonce=\"1\"\r\n\r\n";
static const uint8_t reply_ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
static const uint8_t connack_5[] = {0x20, 0x02, 0x00, 0x05};
static const uint8_t connack_0[] = {0x20, 0x02, 0x00, 0x00};
static const uint8_t connack_v5_87[] = {0x20, 0x03, 0x00, 0x87, 0x00};

static const struct {
    const char *what, *name;
    const uint8_t *reply;
    size_t len;
    const char *login;          /* login facts, or NULL */
    enum sp_verdict want;
    const char *evidence;       /* in the evidence when FAIL */
} plain_rows[] = {
    {"HTTP answering with a Basic challenge", "http", reply_basic, sizeof(reply_basic) - 1, NULL,
     V_FAIL, "asks for Basic credentials"},
    {"HTTP with a Digest challenge only", "http", reply_digest, sizeof(reply_digest) - 1, NULL,
     V_INCONCLUSIVE, NULL},
    {"HTTP answering 200, nothing else known", "http", reply_ok, sizeof(reply_ok) - 1, NULL,
     V_INCONCLUSIVE, NULL},
    {"HTTP whose login form the sweep found", "http", reply_ok, sizeof(reply_ok) - 1, form_facts,
     V_FAIL, "password login form at /login.cgi"},
    {"MQTT refusing an anonymous CONNECT (3.1.1 code 5)", "mqtt", connack_5, sizeof(connack_5),
     NULL, V_FAIL, "CONNACK code 0x05"},
    {"MQTT refusing it (v5 reason 0x87)", "mqtt", connack_v5_87, sizeof(connack_v5_87), NULL,
     V_FAIL, "CONNACK code 0x87"},
    {"MQTT accepting an anonymous CONNECT", "mqtt", connack_0, sizeof(connack_0), NULL,
     V_INCONCLUSIVE, NULL},
    {"MQTT whose bytes are not a CONNACK", "mqtt", reply_ok, sizeof(reply_ok) - 1, NULL,
     V_INCONCLUSIVE, NULL},
};

static void test_plaintext_slots(void)
{
    static const char yaml[] = "profile: t\nlevel: 1\nrequirements:\n"
                               "  - {id: P, title: p, assess: probe, checks: [{probe: transport.plaintext}]}\n";
    struct profile p;

    CU_ASSERT_EQUAL_FATAL(unit_profile_text(yaml, &p), 0);
    for (size_t i = 0; i < SP_ARRAY_LEN(plain_rows); i++) {
        struct run r;
        struct service *s;
        const struct check_result *c;
        int seen = 0;

        unit_scanned_run(&r, &p);
        s = run_add_service(&r, 1883, T_TCP);
        sp_strlcpy(s->name, plain_rows[i].name, sizeof(s->name));
        memcpy(s->reply, plain_rows[i].reply, plain_rows[i].len);
        s->replylen = plain_rows[i].len;
        if (plain_rows[i].login) {
            unit_set_facts(s, "login", plain_rows[i].login);
        }
        run_judge(&r);
        c = &r.results[0].checks[0];
        if (c->verdict != plain_rows[i].want)
            fprintf(stderr, "\nplaintext '%s': %s (%s)\n", plain_rows[i].what,
                    verdict_name(c->verdict), c->reason);
        CU_ASSERT_EQUAL(c->verdict, plain_rows[i].want);
        for (size_t k = 0; plain_rows[i].evidence && k < c->nev; k++)
            seen |= strstr(c->ev[k].detail, plain_rows[i].evidence) != NULL;
        if (plain_rows[i].evidence)
            CU_ASSERT(seen);
        run_free(&r);
    }
    profile_free(&p);
}

/*
 * The capability flags the checks ask instead of names: which identified
 * names are SSH, carry HTTP (and whether inside TLS), or are TLS/DTLS around
 * something not recognised. A name outside a capability answers 0, so a
 * check asking it leaves that service to its own not-examined rule.
 */
static void test_capabilities(void)
{
    static const struct {
        const char *name;
        unsigned flag;
        int has, tls;
    } cases[] = {
        {"ssh", PROTO_SSH_TRANSPORT, 1, 0},   {"telnet", PROTO_SSH_TRANSPORT, 0, 0},
        {"http", PROTO_HTTP_REQUESTS, 1, 0},  {"https", PROTO_HTTP_REQUESTS, 1, 1},
        {"rtsp", PROTO_HTTP_REQUESTS, 0, 0},  {"mqtts", PROTO_HTTP_REQUESTS, 0, 1},
        {"tls", PROTO_TLS_OPAQUE, 1, 0},      {"dtls", PROTO_TLS_OPAQUE, 1, 0},
        {"https", PROTO_TLS_OPAQUE, 0, 1},    {"coaps", PROTO_TLS_OPAQUE, 0, 1},
        {"unknown", PROTO_TLS_OPAQUE, 0, 0},  {"unknown", PROTO_SSH_TRANSPORT, 0, 0},
    };

    for (size_t i = 0; i < SP_ARRAY_LEN(cases); i++) {
        int tls = -1;
        CU_ASSERT_EQUAL(proto_name_has(cases[i].name, cases[i].flag, &tls), cases[i].has);
        CU_ASSERT_EQUAL(tls, cases[i].tls);
    }
}

int register_proto_tests(void)
{
    CU_pSuite s = CU_add_suite("proto", NULL, NULL);

    if (!s || !CU_add_test(s, "registry rows are whole and names unique", test_registry) ||
        !CU_add_test(s, "creds.defaults cannot PASS past a service it did not examine", test_coverage) ||
        !CU_add_test(s, "auth.unauthenticated cannot PASS past a service it did not examine",
                     test_unauth_coverage) ||
        !CU_add_test(s, "a target that answered nothing passes no network check", test_silent_target) ||
        !CU_add_test(s, "transport.plaintext reads each protocol's own sign of a login",
                     test_plaintext_slots) ||
        !CU_add_test(s, "capability flags answer for every name of a handler", test_capabilities))
        return -1;
    return 0;
}
