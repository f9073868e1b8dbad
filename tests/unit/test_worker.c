/*
 * test_worker.c - a gatherer in a child process: its state comes back exactly,
 * malformed state is refused without touching the run, and a child that dies
 * costs SP_ERR_CRASHED with the signal, leaving the run as it was.
 */
#include <CUnit/CUnit.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"
#include "run.h"
#include "unit.h"
#include "worker.h"

static void run_setup(struct run *r)
{
    struct run_opts o;

    memset(&o, 0, sizeof(o));
    o.jobs = 1;
    o.deadline_s = 30;
    o.quiet = 1;
    run_init(r, &o, NULL, NULL);
}

/* What a gatherer writes: two services with facts and reply bytes, scan statistics, a credential. */
static void fill(struct run *r)
{
    struct service *s = run_add_service(r, 23, T_TCP);
    static const uint8_t reply[] = {0xff, 0xfd, 0x18, 0x00, 'l', 'o', 'g', 'i', 'n'};

    sp_strlcpy(s->name, "telnet", sizeof(s->name));
    s->banner = xstrdup("login: ");
    s->ident = xstrdup("telnet negotiation IAC DO");
    memcpy(s->reply, reply, sizeof(reply));
    s->replylen = sizeof(reply);
    s->facts = cJSON_CreateObject();
    cJSON_AddStringToObject(cJSON_AddObjectToObject(s->facts, "login"), "mode", "password");
    s = run_add_service(r, 5683, T_UDP);
    sp_strlcpy(s->name, "coap", sizeof(s->name));
    r->scan.tcp_done = r->scan.tcp_complete = 1;
    r->scan.tcp_ports = 65535;
    r->scan.tcp_open = 1;
    r->scan.tcp_ms = 1234;
    r->scan.udp_silent = 9;
    sp_strlcpy(r->scan.why_incomplete, "none", sizeof(r->scan.why_incomplete));
    r->unreachable = 0;
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "service", "tcp/23");
    cJSON_AddItemToArray(r->credentials, c);
    /* A fact of no one service (the update server's). */
    cJSON_AddStringToObject(cJSON_AddObjectToObject(r->facts, "update_channel"), "version", "TLSv1.2");
}

static void test_roundtrip(void)
{
    struct run a, b;
    char *text, *again;
    int rc = 0;

    run_setup(&a);
    run_setup(&b);
    fill(&a);
    text = worker_state_dump(&a, SP_ERR_TIMEOUT);
    CU_ASSERT_EQUAL_FATAL(worker_state_load(&b, text, &rc), 0);
    CU_ASSERT_EQUAL(rc, SP_ERR_TIMEOUT);
    CU_ASSERT_EQUAL_FATAL(b.nservices, 2);
    CU_ASSERT_STRING_EQUAL(b.services[0]->name, "telnet");
    CU_ASSERT_STRING_EQUAL(b.services[0]->banner, "login: ");
    CU_ASSERT_EQUAL(b.services[0]->replylen, a.services[0]->replylen);
    CU_ASSERT_EQUAL(memcmp(b.services[0]->reply, a.services[0]->reply, a.services[0]->replylen), 0);
    CU_ASSERT_PTR_NULL(b.services[1]->banner);
    CU_ASSERT_EQUAL(b.services[1]->transport, T_UDP);
    CU_ASSERT_EQUAL(b.scan.tcp_ms, 1234);
    CU_ASSERT_EQUAL(b.scan.udp_silent, 9);
    CU_ASSERT_STRING_EQUAL(b.scan.why_incomplete, "none");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(b.credentials), 1);
    CU_ASSERT_STRING_EQUAL(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(b.facts, "update_channel"), "version")), "TLSv1.2");
    /* Exact: what b holds dumps to the same text. */
    again = worker_state_dump(&b, SP_ERR_TIMEOUT);
    CU_ASSERT_STRING_EQUAL(again, text);
    free(again);
    free(text);
    run_free(&a);
    run_free(&b);
}

/* Malformed state: refused, and the run keeps what it had. */
static const char *const bad_states[] = {
    "",
    "{",
    "[]",
    "{\"rc\":0}",
    "{\"rc\":0,\"unreachable\":0,\"scan\":{},\"credentials\":[],\"services\":[]}",
    /* a service whose reply is not hex, is longer than the 256 bytes kept, or has no transport */
    "{\"rc\":0,\"unreachable\":0,\"scan\":{\"tcp_done\":1,\"tcp_complete\":1,\"tcp_ports\":1,\"tcp_open\":1,"
    "\"tcp_closed\":0,\"tcp_filtered\":0,\"udp_done\":0,\"udp_complete\":0,\"udp_ports\":0,\"udp_open\":0,"
    "\"udp_closed\":0,\"udp_silent\":0,\"tcp_ms\":1,\"udp_ms\":0,\"why_incomplete\":\"\"},\"credentials\":[],"
    "\"services\":[{\"port\":1,\"transport\":0,\"name\":\"x\",\"reply\":\"zz\"}]}",
    "{\"rc\":0,\"unreachable\":0,\"scan\":{\"tcp_done\":1,\"tcp_complete\":1,\"tcp_ports\":1,\"tcp_open\":1,"
    "\"tcp_closed\":0,\"tcp_filtered\":0,\"udp_done\":0,\"udp_complete\":0,\"udp_ports\":0,\"udp_open\":0,"
    "\"udp_closed\":0,\"udp_silent\":0,\"tcp_ms\":1,\"udp_ms\":0,\"why_incomplete\":\"\"},\"credentials\":[],"
    "\"services\":[{\"port\":1,\"transport\":0,\"name\":\"x\",\"reply\":\"0\"}]}",
    "{\"rc\":0,\"unreachable\":0,\"scan\":{\"tcp_done\":1,\"tcp_complete\":1,\"tcp_ports\":1,\"tcp_open\":1,"
    "\"tcp_closed\":0,\"tcp_filtered\":0,\"udp_done\":0,\"udp_complete\":0,\"udp_ports\":0,\"udp_open\":0,"
    "\"udp_closed\":0,\"udp_silent\":0,\"tcp_ms\":1,\"udp_ms\":0,\"why_incomplete\":\"\"},\"credentials\":[],"
    "\"services\":[{\"port\":1,\"transport\":7,\"name\":\"x\",\"reply\":\"\"}]}",
    /* run-level facts that are not an object */
    "{\"rc\":0,\"unreachable\":0,\"scan\":{\"tcp_done\":1,\"tcp_complete\":1,\"tcp_ports\":1,\"tcp_open\":1,"
    "\"tcp_closed\":0,\"tcp_filtered\":0,\"udp_done\":0,\"udp_complete\":0,\"udp_ports\":0,\"udp_open\":0,"
    "\"udp_closed\":0,\"udp_silent\":0,\"tcp_ms\":1,\"udp_ms\":0,\"why_incomplete\":\"\"},\"credentials\":[],"
    "\"services\":[],\"facts\":[]}",
};

static void test_malformed(void)
{
    struct run r;
    int rc = 0;

    run_setup(&r);
    fill(&r);
    for (size_t i = 0; i < SP_ARRAY_LEN(bad_states); i++) {
        CU_ASSERT_EQUAL(worker_state_load(&r, bad_states[i], &rc), SP_ERR_PARSE);
        CU_ASSERT_EQUAL(r.nservices, 2);
        CU_ASSERT_EQUAL(r.scan.tcp_ms, 1234);
    }
    /* A reply of 257 bytes is more than a service keeps. */
    {
        char *text = worker_state_dump(&r, 0), *at = strstr(text, "\"reply\":\"\"");
        CU_ASSERT_PTR_NOT_NULL_FATAL(at);
        struct strbuf sb;
        sb_init(&sb);
        sb_addn(&sb, text, (size_t)(at - text));
        sb_add(&sb, "\"reply\":\"");
        for (int i = 0; i < 257; i++)
            sb_add(&sb, "41");
        sb_add(&sb, at + strlen("\"reply\":\""));
        CU_ASSERT_EQUAL(worker_state_load(&r, sb.buf, &rc), SP_ERR_PARSE);
        sb_free(&sb);
        free(text);
    }
    run_free(&r);
}

/* ---- worker_gather with real children ---- */

static int gather_fill(struct run *r)
{
    fill(r);
    return SP_ERR_TIMEOUT;
}

static int gather_abort(struct run *r)
{
    run_add_service(r, 80, T_TCP);
    raise(SIGABRT);
    return 0;
}

static int gather_exit(struct run *r)
{
    (void)r;
    _exit(3);
}

static const struct gatherer g_fill = {.name = "fill", .gather = gather_fill};
static const struct gatherer g_abort = {.name = "abort", .gather = gather_abort};
static const struct gatherer g_exit = {.name = "exit", .gather = gather_exit};

static void test_gather(void)
{
    struct run r;
    int signo = -1;

    run_setup(&r);
    CU_ASSERT_EQUAL(worker_gather(&r, &g_fill, &signo), SP_ERR_TIMEOUT);
    CU_ASSERT_EQUAL(signo, 0);
    CU_ASSERT_EQUAL(r.nservices, 2);
    CU_ASSERT_EQUAL(r.scan.tcp_ms, 1234);

    /* The child dies: SP_ERR_CRASHED, the signal, and the run as it was. */
    CU_ASSERT_EQUAL(worker_gather(&r, &g_abort, &signo), SP_ERR_CRASHED);
    CU_ASSERT_EQUAL(signo, SIGABRT);
    CU_ASSERT_EQUAL(r.nservices, 2);
    CU_ASSERT_PTR_NULL(run_find_service(&r, 80, T_TCP));

    CU_ASSERT_EQUAL(worker_gather(&r, &g_exit, &signo), SP_ERR_CRASHED);
    CU_ASSERT_EQUAL(signo, 0);
    CU_ASSERT_EQUAL(r.nservices, 2);
    run_free(&r);
}

int register_worker_tests(void)
{
    CU_pSuite s = CU_add_suite("worker", NULL, NULL);

    if (!s || !CU_add_test(s, "state round trip is exact", test_roundtrip) ||
        !CU_add_test(s, "malformed state is refused, run unchanged", test_malformed) ||
        !CU_add_test(s, "a child's crash costs SP_ERR_CRASHED, run unchanged", test_gather))
        return -1;
    return 0;
}
