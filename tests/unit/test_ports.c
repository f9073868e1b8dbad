/*
 * test_ports.c - the port probe's pure parts and the S1.1-13 and S1.1-12
 * plaintext rules, judged over tables of scan results.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "ports.h"
#include "run.h"
#include "unit.h"

static void test_ranges(void)
{
    static const struct {
        const char *spec;
        int ok;
        size_t n;
        uint16_t first, last;
    } cases[] = {
        {"1-65535", 1, 65535, 1, 65535},
        {"22", 1, 1, 22, 22},
        {"8080,22,80-81", 1, 4, 22, 8080},
        {"80,80,79-81", 1, 3, 79, 81},
        {"0-10", 0, 0, 0, 0},
        {"10-5", 0, 0, 0, 0},
        {"65536", 0, 0, 0, 0},
        {"22,abc", 0, 0, 0, 0},
        {"", 0, 0, 0, 0},
    };
    for (size_t i = 0; i < SP_ARRAY_LEN(cases); i++) {
        uint16_t *p = NULL;
        size_t n = 0;
        int rc = ports_parse_ranges(cases[i].spec, &p, &n);
        CU_ASSERT_EQUAL(rc == 0, cases[i].ok);
        if (rc == 0 && cases[i].ok) {
            CU_ASSERT_EQUAL(n, cases[i].n);
            CU_ASSERT_EQUAL(p[0], cases[i].first);
            CU_ASSERT_EQUAL(p[n - 1], cases[i].last);
        }
        free(p);
    }
}

static void test_compatible(void)
{
    static const struct {
        const char *declared, *found;
        int ok;
    } cases[] = {
        {"ssh", "ssh", 1},     {"https", "tls", 1},    {"https", "https", 1},
        {"mqtts", "tls", 1},   {"coaps", "dtls", 1},   {"http", "unknown", 1},
        {"web admin", "http", 1}, /* free text: nothing to contradict */
        {"https", "telnet", 0}, {"ssh", "telnet", 0},  {"mqtt", "http", 0},
        {"coaps", "coap", 0},  {"http", "https", 0},
        /* from the handler table: one protocol, whatever the name; TLS declared, clear found */
        {"snmp", "snmpv3", 1}, {"tls", "mqtts", 1},    {"HTTPS", "tls", 1},
        {"https", "http", 0},  {"mqtts", "mqtt", 0},   {"pop3", "imap", 0},
        /* bare DTLS declared (PROTO_TLS_OPAQUE), CoAP found inside it; CoAP in the clear is not */
        {"dtls", "coaps", 1},  {"dtls", "coap", 0},    {"tls", "http", 0},
    };
    for (size_t i = 0; i < SP_ARRAY_LEN(cases); i++)
        CU_ASSERT_EQUAL(ports_service_compatible(cases[i].declared, cases[i].found), cases[i].ok);
}

/* A scan result: open services, which are declared, and how the scan went. */
struct svc {
    long port;
    enum transport t;
    const char *name;
    const char *ident;
    const char *reply;          /* the identifying reply, when the rule reads it */
};

static const struct {
    const char *what;
    struct svc found[4];
    int complete;
    enum sp_verdict exposure, plaintext;
} rule_cases[] = {
    {"all declared, nothing plaintext", {{22, T_TCP, "ssh", "SSH-2.0-x", NULL}, {443, T_TCP, "https", "ServerHello", NULL}, {5684, T_UDP, "dtls", "HelloVerifyRequest", NULL}}, 1, V_PASS, V_PASS},
    {"an undeclared port", {{22, T_TCP, "ssh", "SSH-2.0-x", NULL}, {9527, T_TCP, "http", "HTTP/1.0 200", NULL}}, 1, V_FAIL, V_INCONCLUSIVE},
    {"telnet declared", {{23, T_TCP, "telnet", "IAC DO ECHO", NULL}}, 1, V_FAIL, V_FAIL},
    {"declared https answers telnet", {{443, T_TCP, "telnet", "IAC", NULL}}, 1, V_FAIL, V_FAIL},
    {"declared port, other protocol", {{443, T_TCP, "ssh", "SSH-2.0-x", NULL}}, 1, V_FAIL, V_PASS},
    {"plaintext http asks for Basic", {{80, T_TCP, "http", "HTTP/1.0 401; WWW-Authenticate: Basic realm=x",
                                        "HTTP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm=x\r\n\r\n"}}, 1, V_PASS, V_FAIL},
    {"nothing open at all", {{0, T_TCP, NULL, NULL, NULL}}, 1, V_PASS, V_PASS},
    {"scan cut short, nothing bad seen", {{22, T_TCP, "ssh", "SSH-2.0-x", NULL}}, 0, V_INCONCLUSIVE, V_INCONCLUSIVE},
    {"scan cut short, telnet seen", {{23, T_TCP, "telnet", "IAC", NULL}}, 0, V_FAIL, V_FAIL},
};

static void test_rules(void)
{
    struct profile p;
    struct device d;
    struct yerr e;
    const struct probe *exp = probe_find("ports.exposure"), *pt = probe_find("transport.plaintext");

    CU_ASSERT_FATAL(exp && pt);
    CU_ASSERT_EQUAL_FATAL(device_load(&d, "data/ports-device.yaml", &e), 0);
    /* A one-requirement profile per probe, judged on each synthetic scan. */
    CU_ASSERT_EQUAL_FATAL(profile_load_path(&p, "data/ports-profile.yaml", &e), 0);
    for (size_t i = 0; i < SP_ARRAY_LEN(rule_cases); i++) {
        struct run_opts o = {.jobs = 1, .deadline_s = 10, .lang = "en", .quiet = 1};
        struct run r;
        run_init(&r, &o, &p, &d);
        r.scan.tcp_done = r.scan.udp_done = 1;
        r.scan.tcp_complete = r.scan.udp_complete = rule_cases[i].complete;
        r.scan.tcp_ports = 65535;
        r.scan.tcp_closed = 65000;
        for (size_t k = 0; k < 4 && rule_cases[i].found[k].name; k++) {
            struct service *s = run_add_service(&r, rule_cases[i].found[k].port, rule_cases[i].found[k].t);
            sp_strlcpy(s->name, rule_cases[i].found[k].name, sizeof(s->name));
            s->ident = xstrdup(rule_cases[i].found[k].ident);
            if (rule_cases[i].found[k].reply) {
                /* The identifying reply, which transport.plaintext reads through the handler. */
                s->replylen = strlen(rule_cases[i].found[k].reply);
                memcpy(s->reply, rule_cases[i].found[k].reply, s->replylen);
            }
        }
        /* Pretend the scan gatherer ran. */
        r.gathered[0].g = exp->gatherer;
        r.gathered[0].rc = 0;
        r.ngathered = 1;
        run_judge(&r);
        CU_ASSERT_EQUAL_FATAL(r.nresults, 2);
        if (r.results[0].verdict != rule_cases[i].exposure || r.results[1].verdict != rule_cases[i].plaintext)
            fprintf(stderr, "\nrule case '%s': exposure %s (%s), plaintext %s (%s)\n", rule_cases[i].what,
                    verdict_name(r.results[0].verdict), r.results[0].reason,
                    verdict_name(r.results[1].verdict), r.results[1].reason);
        CU_ASSERT_EQUAL(r.results[0].verdict, rule_cases[i].exposure);
        CU_ASSERT_EQUAL(r.results[1].verdict, rule_cases[i].plaintext);
        /* A FAIL always carries evidence that names the service. */
        if (r.results[0].verdict == V_FAIL) {
            const struct check_result *c = &r.results[0].checks[0];
            CU_ASSERT(c->nev > 0 && c->ev[0].service != NULL);
        }
        run_free(&r);
    }
    profile_free(&p);
    device_free(&d);
}

/* The UDP table says how each protocol answers; the port probe follows it, not port numbers. */
static void test_udp_table(void)
{
    const struct udp_probe *dtls = ident_udp_probe_named("dtls"), *tftp = ident_udp_probe_named("tftp");

    CU_ASSERT_PTR_NOT_NULL_FATAL(dtls);
    CU_ASSERT_PTR_NOT_NULL_FATAL(tftp);
    CU_ASSERT_EQUAL(dtls->port, 5684);
    CU_ASSERT_TRUE(tftp->any_source_port);   /* RFC 1350: the reply comes from a new port */
    CU_ASSERT_FALSE(dtls->any_source_port);
    CU_ASSERT_PTR_NULL(ident_udp_probe_named("gopher"));
}

int register_ports_tests(void)
{
    CU_pSuite s = CU_add_suite("ports", NULL, NULL);
    if (!s || !CU_add_test(s, "port ranges", test_ranges) ||
        !CU_add_test(s, "declared vs identified", test_compatible) ||
        !CU_add_test(s, "UDP protocol table", test_udp_table) ||
        !CU_add_test(s, "S1.1-13 and plaintext rules", test_rules))
        return -1;
    return 0;
}
