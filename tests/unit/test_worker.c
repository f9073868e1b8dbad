/*
 * test_worker.c - a gatherer in a child process: its state comes back exactly,
 * malformed state is refused without touching the run, and a child that dies
 * costs SP_ERR_CRASHED with the signal, leaving the run as it was.
 */
#include <CUnit/CUnit.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "facts_json.h"
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
    s->rtsp = rtsp_facts_new();
    s->rtsp->public_methods = xstrdup("OPTIONS");
    s = run_add_service(r, 5683, T_UDP);
    sp_strlcpy(s->name, "coap", sizeof(s->name));
    r->scan.tcp_done = r->scan.tcp_complete = 1;
    r->scan.tcp_ports = 65535;
    r->scan.tcp_open = 1;
    r->scan.tcp_ms = 1234;
    r->scan.udp_silent = 9;
    sp_strlcpy(r->scan.why_incomplete, "none", sizeof(r->scan.why_incomplete));
    r->unreachable = 0;
    run_add_credential(r, "tcp/23", NULL, NULL, NULL, NULL, NULL);
    /* A fact of no one service (the update server's). */
    r->update_channel = update_channel_facts_new();
    r->update_channel->version = xstrdup("TLSv1.2");
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
    CU_ASSERT_EQUAL(b.ncreds, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.update_channel);
    CU_ASSERT_STRING_EQUAL(b.update_channel->version, "TLSv1.2");
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

/* ---- two workers at once: each one's changes arrive ---- */

/* A state changed from r's as a worker would change it, dumped; r is left as it was. */
static char *changed(struct run *r, void (*change)(struct run *))
{
    struct run c;
    char *base = worker_state_dump(r, 0), *text;
    int rc;

    run_setup(&c);
    CU_ASSERT_EQUAL(worker_state_load(&c, base, &rc), 0);
    change(&c);
    text = worker_state_dump(&c, 0);
    run_free(&c);
    free(base);
    return text;
}

/* One worker: SSH facts on tcp/23, a member changed in its "rtsp", a new service, a credential. */
static void change_a(struct run *c)
{
    struct service *s = run_find_service(c, 23, T_TCP);
    struct ssh_facts *ssh = ssh_facts_new();
    struct rtsp_facts *rtsp = rtsp_facts_new();

    ssh->has_kexinit = 1;
    strv_add(&ssh->kex, "curve25519-sha256");
    run_set_ssh_facts(c, s, ssh);
    rtsp->public_methods = xstrdup("OPTIONS, DESCRIBE");
    run_set_rtsp_facts(c, s, rtsp);
    sp_strlcpy(run_add_service(c, 8080, T_TCP)->name, "http", sizeof(s->name));
    run_add_credential(c, "tcp/8080", NULL, NULL, NULL, NULL, NULL);
}

/* The other: "adb" on tcp/23, a different member added to the same "rtsp", a run fact, coap dropped. */
static void change_b(struct run *c)
{
    struct service *s = run_find_service(c, 23, T_TCP);
    struct adb_facts *adb = adb_facts_new();
    struct rtsp_facts *rtsp = rtsp_facts_new();

    adb->answered = adb->open = 1;
    run_set_adb_facts(c, s, adb);
    rtsp->public_methods = xstrdup("OPTIONS");
    rtsp->asked_options = 1;
    rtsp->options_status = 401;
    run_set_rtsp_facts(c, s, rtsp);
    c->compare = compare_run_facts_new();
    c->compare->target2 = xstrdup("127.0.0.2");
    for (size_t i = 0; i < c->nservices; i++)
        if (c->services[i]->port == 5683) {
            service_free(c->services[i]);
            c->services[i] = c->services[--c->nservices];
        }
}

static void test_merge_two(void)
{
    struct run r;
    char *base, *a, *b;
    int rc;
    const struct service *s;

    run_setup(&r);
    fill(&r);
    base = worker_state_dump(&r, 0);
    a = changed(&r, change_a);
    b = changed(&r, change_b);
    CU_ASSERT_EQUAL_FATAL(worker_state_merge(&r, base, a, &rc), 0);
    CU_ASSERT_EQUAL_FATAL(worker_state_merge(&r, base, b, &rc), 0);

    s = run_find_service(&r, 23, T_TCP);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(s->ssh);
    CU_ASSERT_PTR_NOT_NULL(s->adb);
    /* Both changed "rtsp": each one's member arrives. */
    CU_ASSERT_PTR_NOT_NULL_FATAL(s->rtsp);
    CU_ASSERT_STRING_EQUAL(s->rtsp->public_methods, "OPTIONS, DESCRIBE");
    CU_ASSERT(s->rtsp->asked_options && s->rtsp->options_status == 401);
    CU_ASSERT_PTR_NOT_NULL(run_find_service(&r, 8080, T_TCP));
    CU_ASSERT_PTR_NULL(run_find_service(&r, 5683, T_UDP));
    CU_ASSERT_EQUAL(r.ncreds, 2);
    CU_ASSERT_PTR_NOT_NULL(r.compare);
    CU_ASSERT_PTR_NOT_NULL(r.update_channel);
    /* Sorted as run_add_service keeps them: tcp/23, tcp/8080. */
    CU_ASSERT_EQUAL_FATAL(r.nservices, 2);
    CU_ASSERT_EQUAL(r.services[0]->port, 23);
    CU_ASSERT_EQUAL(r.services[1]->port, 8080);
    free(base);
    free(a);
    free(b);
    run_free(&r);
}

/* With nothing else merged in between, a merge is exactly the child's state. */
static void test_merge_alone_is_load(void)
{
    struct run r;
    char *base, *a, *after;
    int rc;

    run_setup(&r);
    fill(&r);
    base = worker_state_dump(&r, 0);
    a = changed(&r, change_b);
    CU_ASSERT_EQUAL_FATAL(worker_state_merge(&r, base, a, &rc), 0);
    after = worker_state_dump(&r, 0);
    CU_ASSERT_STRING_EQUAL(after, a);
    /* A malformed base is refused like a malformed state, the run untouched. */
    CU_ASSERT_EQUAL(worker_state_merge(&r, "{", base, &rc), SP_ERR_PARSE);
    free(after);
    after = worker_state_dump(&r, 0);
    CU_ASSERT_STRING_EQUAL(after, a);
    free(after);
    free(base);
    free(a);
    run_free(&r);
}

/*
 * Two real children at once: each counts itself in shared memory and waits
 * (bounded) to see the other, so the test proves they overlapped without
 * timing anything; then each one's family is on the run.
 */
static int *together;

static int gather_meet(struct run *r, int which)
{
    struct service *s = run_find_service(r, 23, T_TCP);
    int seen = 0;

    __atomic_add_fetch(together, 1, __ATOMIC_SEQ_CST);
    for (int i = 0; i < 500 && seen < 2; i++) {
        seen = __atomic_load_n(together, __ATOMIC_SEQ_CST);
        if (seen < 2)
            usleep(10000);
    }
    /* Each its own family: a records what it saw in "mqtt", b in "vnc". */
    if (which == 0) {
        struct mqtt_facts *f = mqtt_facts_new();
        f->answered = 1;
        f->connack_code = seen;
        run_set_mqtt_facts(r, s, f);
    } else {
        struct vnc_facts *f = vnc_facts_new();
        f->has_version = 1;
        f->rfb_major = seen;
        run_set_vnc_facts(r, s, f);
    }
    return 0;
}

static int gather_meet_a(struct run *r)
{
    return gather_meet(r, 0);
}

static int gather_meet_b(struct run *r)
{
    return gather_meet(r, 1);
}

static const struct gatherer g_meet_a = {.name = "a", .flags = GATHER_CONCURRENT, .gather = gather_meet_a};
static const struct gatherer g_meet_b = {.name = "b", .flags = GATHER_CONCURRENT, .gather = gather_meet_b};

static void test_two_children(void)
{
    struct run r;
    struct worker w[2];
    int rc, signo, done = 0;

    together = mmap(NULL, sizeof(*together), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CU_ASSERT_FATAL(together != MAP_FAILED);
    *together = 0;
    run_setup(&r);
    fill(&r);
    CU_ASSERT_EQUAL_FATAL(worker_start(&r, &g_meet_a, 1, &w[0]), 0);
    CU_ASSERT_EQUAL_FATAL(worker_start(&r, &g_meet_b, 2, &w[1]), 0);
    for (size_t n = 2; n > 0; n--) {
        size_t i = worker_reap(&r, w, n, &rc, &signo);
        CU_ASSERT_EQUAL(rc, 0);
        done |= w[i].g == &g_meet_a ? 1 : 2;
        w[i] = w[n - 1];
    }
    CU_ASSERT_EQUAL(done, 3);
    {
        const struct service *s = run_find_service(&r, 23, T_TCP);
        CU_ASSERT_PTR_NOT_NULL_FATAL(s->mqtt);
        CU_ASSERT_PTR_NOT_NULL_FATAL(s->vnc);
        CU_ASSERT_EQUAL(s->mqtt->connack_code, 2);
        CU_ASSERT_EQUAL(s->vnc->rfb_major, 2);
        CU_ASSERT_PTR_NOT_NULL(s->rtsp);
    }
    run_free(&r);
    munmap(together, sizeof(*together));
}

/* A child that dies holding slots does not shrink the cap: the parent frees them. */
static int gather_hold_and_die(struct run *r)
{
    for (int i = 0; i < r->opt.jobs; i++)
        if (run_slot_take(r) != 0)
            _exit(4);
    raise(SIGKILL);
    return 0;
}

static const struct gatherer g_hold = {.name = "hold", .gather = gather_hold_and_die};

static void test_slots_reclaimed(void)
{
    struct run r;
    int signo;

    run_setup(&r);
    r.opt.jobs = 2;     /* run_setup's cap is 1; remake it at 2 */
    run_free(&r);
    {
        struct run_opts o;
        memset(&o, 0, sizeof(o));
        o.jobs = 2;
        o.deadline_s = 30;
        o.quiet = 1;
        run_init(&r, &o, NULL, NULL);
    }
    CU_ASSERT_EQUAL(worker_gather(&r, &g_hold, &signo), SP_ERR_CRASHED);
    CU_ASSERT_EQUAL(signo, SIGKILL);
    /* Both slots are free again: taken at once, not after the deadline. */
    r.deadline_ms = sp_now_ms() + 2000;
    CU_ASSERT_EQUAL(run_slot_take(&r), 0);
    CU_ASSERT_EQUAL(run_slot_take(&r), 0);
    /* And the cap holds: a third waits out the deadline and is refused. */
    r.deadline_ms = sp_now_ms() + 300;
    CU_ASSERT_EQUAL(run_slot_take(&r), SP_ERR_NOT_STARTED);
    run_slot_give(&r);
    run_slot_give(&r);
    run_free(&r);
}

/*
 * A child killed while it waits for a slot leaves nothing the others wait
 * on: the holder gives its slots back, the parent takes them again. (With a
 * process-shared condition variable, the dead waiter would hang the next
 * signal or destroy for ever.)
 */
static int gather_hold_a_while(struct run *r)
{
    for (int i = 0; i < r->opt.jobs; i++)
        if (run_slot_take(r) != 0)
            return SP_ERR_INTERNAL;
    __atomic_store_n(together, 1, __ATOMIC_SEQ_CST);
    usleep(600 * 1000);
    for (int i = 0; i < r->opt.jobs; i++)
        run_slot_give(r);
    return 0;
}

static int gather_wait_for_slot(struct run *r)
{
    return run_slot_take(r) == 0 ? 0 : SP_ERR_NOT_STARTED;
}

static const struct gatherer g_hold_a_while = {.name = "holder", .gather = gather_hold_a_while};
static const struct gatherer g_waiter = {.name = "waiter", .gather = gather_wait_for_slot};

static void test_waiter_killed(void)
{
    struct run r;
    struct run_opts o;
    struct worker w[2];
    int rc, signo, killed = 0;

    together = mmap(NULL, sizeof(*together), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CU_ASSERT_FATAL(together != MAP_FAILED);
    *together = 0;
    memset(&o, 0, sizeof(o));
    o.jobs = 2;
    o.deadline_s = 30;
    o.quiet = 1;
    run_init(&r, &o, NULL, NULL);
    CU_ASSERT_EQUAL_FATAL(worker_start(&r, &g_hold_a_while, 1, &w[0]), 0);
    for (int i = 0; i < 500 && !__atomic_load_n(together, __ATOMIC_SEQ_CST); i++)
        usleep(10000);
    CU_ASSERT_FATAL(*together == 1);     /* the holder has every slot */
    CU_ASSERT_EQUAL_FATAL(worker_start(&r, &g_waiter, 2, &w[1]), 0);
    usleep(100 * 1000);                  /* it is waiting now (or about to: either way it is killed) */
    kill(w[1].pid, SIGKILL);
    for (size_t n = 2; n > 0; n--) {
        size_t i = worker_reap(&r, w, n, &rc, &signo);
        if (w[i].g == &g_waiter) {
            killed = signo == SIGKILL;
            CU_ASSERT_EQUAL(rc, SP_ERR_CRASHED);
        } else {
            CU_ASSERT_EQUAL(rc, 0);
        }
        w[i] = w[n - 1];
    }
    CU_ASSERT(killed);
    r.deadline_ms = sp_now_ms() + 2000;
    CU_ASSERT_EQUAL(run_slot_take(&r), 0);
    CU_ASSERT_EQUAL(run_slot_take(&r), 0);
    run_slot_give(&r);
    run_slot_give(&r);
    run_free(&r);
    munmap(together, sizeof(*together));
}

/*
 * The run's own facts (reports/facts_json.c: run_facts_json, run_facts_load), in the shapes
 * compare.c, update.c and tamper.c write: each must load and write back exactly; a wrong type
 * is refused naming the member, and leaves the run with none.
 */
static void test_run_facts_codec(void)
{
    static const char *const rows[] = {
        "{\"compare\":{\"target2\":\"127.0.0.3\",\"address\":\"127.0.0.3\",\"passwords\":[{\"service\":"
        "\"tcp/22\",\"user\":\"admin\",\"password\":\"admin\",\"result\":\"rejected\",\"detail\":\"denied\"}],"
        "\"creds_ran\":true}}",
        "{\"compare\":{\"target2\":\"unit2.invalid\",\"error\":\"does not resolve\"}}",
        "{\"update_channel\":{\"host\":\"updates.example\",\"port\":443,\"address\":\"127.0.0.9\","
        "\"version\":\"TLSv1.2\",\"suite\":\"TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256\",\"obtained_with\":"
        "\"mbedTLS handshake\",\"certificate\":{\"subject\":\"CN=u\",\"issuer\":\"CN=ca\",\"san\":[\"DNS:u\"],"
        "\"key_type\":\"RSA\",\"key_bits\":2048,\"signature_algorithm\":\"sha256WithRSAEncryption\","
        "\"signature_hash\":\"sha256\",\"not_before\":\"2026-01-01T00:00:00Z\",\"not_after\":"
        "\"2027-01-01T00:00:00Z\",\"expired\":false,\"not_yet_valid\":false,\"self_signed\":false,"
        "\"chain_length\":2,\"obtained_with\":\"update server handshake\"},\"chain_trusted\":false,"
        "\"name_matches\":true,\"verify_detail\":\"not trusted\",\"trusted\":\"/etc/ssl/certs/x.crt\"}}",
        "{\"update_channel\":{\"host\":\"u\",\"port\":8443,\"address\":\"127.0.0.9\",\"error\":\"refused\"}}",
        "{\"update_tamper\":{\"endpoint\":\"POST http://127.0.0.1:80/upgrade\",\"uploads\":[{\"kind\":"
        "\"tampered\",\"file\":\"fw.bin\",\"bytes\":4096,\"flipped_offset\":2048,\"signature\":\"not sent "
        "separately\",\"status_line\":\"HTTP/1.1 400 Bad\",\"body\":\"bad image\",\"outcome\":\"rejected\","
        "\"why\":\"the rejection text\",\"by_status\":false},{\"kind\":\"downgraded\",\"error\":\"cannot "
        "read old.bin\"},{\"kind\":\"control\",\"file\":\"fw.bin\",\"bytes\":4096,\"signature\":\"not sent "
        "separately\",\"error\":\"no answer before the deadline\"}],\"after\":[{\"service\":\"tcp/80\","
        "\"answered\":true,\"what\":\"GET / answered 'HTTP/1.1 200 OK'\"}]}}",
        "{\"update_tamper\":{\"error\":\"the endpoint's port tcp/80 was not found open\"}}",
    };
    static const struct {
        const char *json, *why;
    } bad[] = {
        {"{\"compare\":{\"passwords\":{}}}", "compare.passwords"},
        {"{\"update_channel\":{\"certificate\":{\"key_bits\":-1}}}", "update_channel.certificate.key_bits"},
        {"{\"update_tamper\":{\"uploads\":[{\"bytes\":\"x\"}]}}", "uploads[].bytes"},
        {"{\"update_tamper\":{\"after\":[{\"answered\":\"yes\"}]}}", "after[].answered"},
        {"[1]", "not an object"},
    };
    char why[160];

    for (size_t i = 0; i < SP_ARRAY_LEN(rows); i++) {
        struct run r;
        cJSON *in = cJSON_Parse(rows[i]), *out;

        memset(&r, 0, sizeof(r));
        CU_ASSERT_PTR_NOT_NULL_FATAL(in);
        CU_ASSERT_EQUAL(run_facts_load(&r, in, why, sizeof(why)), 0);
        out = run_facts_json(&r);
        if (!cJSON_Compare(in, out, 1)) {
            char *t = cJSON_PrintUnformatted(out);
            fprintf(stderr, "\nrun facts row %zu came back as %s\n", i, t);
            free(t);
        }
        CU_ASSERT(cJSON_Compare(in, out, 1));
        cJSON_Delete(in);
        cJSON_Delete(out);
        run_facts_clear(&r);
    }
    for (size_t i = 0; i < SP_ARRAY_LEN(bad); i++) {
        struct run r;
        cJSON *in = cJSON_Parse(bad[i].json);

        memset(&r, 0, sizeof(r));
        CU_ASSERT_PTR_NOT_NULL_FATAL(in);
        why[0] = '\0';
        CU_ASSERT_EQUAL(run_facts_load(&r, in, why, sizeof(why)), SP_ERR_PARSE);
        if (!strstr(why, bad[i].why))
            fprintf(stderr, "\nrun facts '%s': \"%s\" does not name %s\n", bad[i].json, why, bad[i].why);
        CU_ASSERT_PTR_NOT_NULL(strstr(why, bad[i].why));
        CU_ASSERT(!r.compare && !r.update_channel && !r.update_tamper);
        cJSON_Delete(in);
    }
    /* The credentials found, as report.json lists them. */
    {
        struct run r;
        cJSON *in = cJSON_Parse("[{\"service\":\"tcp/22\",\"protocol\":\"ssh\",\"user\":\"admin\","
                                "\"password\":\"admin1234\",\"source\":\"mirai\"},{\"service\":\"udp/161\","
                                "\"protocol\":\"snmp\",\"user\":\"\",\"password\":\"public\",\"source\":"
                                "\"rfc1157\",\"kind\":\"snmp-community\"}]"), *out;
        cJSON *refused = cJSON_Parse("[{\"service\":22}]");

        memset(&r, 0, sizeof(r));
        CU_ASSERT_EQUAL_FATAL(credentials_load(&r, in, why, sizeof(why)), 0);
        CU_ASSERT_EQUAL(r.ncreds, 2);
        out = credentials_json(&r);
        CU_ASSERT(cJSON_Compare(in, out, 1));
        /* A bad list is refused and leaves the run's as they were. */
        CU_ASSERT_EQUAL(credentials_load(&r, refused, why, sizeof(why)), SP_ERR_PARSE);
        CU_ASSERT_PTR_NOT_NULL(strstr(why, "credentials[].service"));
        CU_ASSERT_EQUAL(r.ncreds, 2);
        CU_ASSERT_EQUAL(credentials_load(&r, NULL, why, sizeof(why)), 0);
        CU_ASSERT_EQUAL(r.ncreds, 0);
        cJSON_Delete(in);
        cJSON_Delete(out);
        cJSON_Delete(refused);
        free(r.creds);
    }
}

int register_worker_tests(void)
{
    CU_pSuite s = CU_add_suite("worker", NULL, NULL);

    if (!s || !CU_add_test(s, "state round trip is exact", test_roundtrip) ||
        !CU_add_test(s, "malformed state is refused, run unchanged", test_malformed) ||
        !CU_add_test(s, "a child's crash costs SP_ERR_CRASHED, run unchanged", test_gather) ||
        !CU_add_test(s, "two workers' changes both arrive", test_merge_two) ||
        !CU_add_test(s, "a merge with nothing between is the child's state", test_merge_alone_is_load) ||
        !CU_add_test(s, "two children run at once and both hand back", test_two_children) ||
        !CU_add_test(s, "a child dead holding slots gives them back", test_slots_reclaimed) ||
        !CU_add_test(s, "a child killed waiting for a slot blocks no one", test_waiter_killed) ||
        !CU_add_test(s, "the run's own facts and credentials to JSON and back", test_run_facts_codec))
        return -1;
    return 0;
}
