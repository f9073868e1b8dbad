/*
 * test_coap.c - the CoAP client (probes/proto/coap_client.c): its pure parts
 * as tables (a path into Uri-Path/Uri-Query options, a body reassembled from
 * blocks under caps), and the client itself through libcoap against small
 * servers this file runs on 127.0.0.1 in a thread: one that never answers,
 * a closed port, one that sends a body in Block2 blocks, and a hostile one
 * whose Block2 answers never end. Every answer is built here by hand, so the
 * caps and deadlines are proven without any CoAP server installed.
 */
#include <poll.h>
#include <stdatomic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "coap_client.h"
#include "coap_wire.h"
#include "net.h"
#include "starprobe.h"
#include "unit.h"

static void check_row(int ok, int line, const char *row, const char *cond)
{
    char msg[256];

    snprintf(msg, sizeof(msg), "[%s] %s", row, cond);
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, (unsigned)line, msg, __FILE__, "", CU_FALSE);
}
#define CHECK(row, cond) check_row((cond) ? 1 : 0, __LINE__, (row), #cond)

/* ---- pure parts ---- */

static void test_path_split(void)
{
    static const struct {
        const char *path;
        int n;
        const char *joined;     /* number:value|... */
    } rows[] = {
        {"/.well-known/core", 2, "11:.well-known|11:core|"},
        {"/", 0, ""},
        {"", 0, ""},
        {"time", 1, "11:time|"},
        {"/a/b?x=1&y", 4, "11:a|11:b|15:x=1|15:y|"},
        {"/a?&&z", 2, "11:a|15:z|"},
        {"/a//b", 3, "11:a|11:|11:b|"},
    };
    char longp[300];

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct spcoap_opt o[8];
        char got[128] = "";
        size_t used = 0;
        int n = spcoap_path_split(rows[i].path, o, 8);
        CHECK(rows[i].path, n == rows[i].n);
        for (int k = 0; k < n && k < 8; k++) {
            int w = snprintf(got + used, sizeof(got) - used, "%u:%.*s|", o[k].number, (int)o[k].len, o[k].s);
            if (w > 0 && (size_t)w < sizeof(got) - used)
                used += (size_t)w;
        }
        CHECK(rows[i].path, strcmp(got, rows[i].joined) == 0);
    }
    memset(longp, 'a', sizeof(longp) - 1);
    longp[0] = '/';
    longp[sizeof(longp) - 1] = 0;
    {
        struct spcoap_opt o[4];
        CHECK("segment over 255", spcoap_path_split(longp, o, 4) == SP_ERR_USAGE);
        CHECK("more options than room", spcoap_path_split("/a/b/c/d/e", o, 4) == SP_ERR_USAGE);
        CHECK("exactly the room", spcoap_path_split("/a/b/c/d", o, 4) == 4);
    }
}

/* One block of a transfer fed to spcoap_body_add. */
struct blk {
    size_t offset, len;
    int more;
    size_t shift;               /* the block's bytes start this far into the pattern */
};

static void test_body(void)
{
    static const struct {
        const char *name;
        struct spcoap_limits lim;
        int blockwise;
        struct blk in[8];
        size_t nin;
        int last_rc;            /* of the last block fed */
        size_t len;
        unsigned blocks;
        int complete, truncated;
    } rows[] = {
        {"one answer, not block-wise", {0, 0, 0}, 0, {{0, 40, 0, 0}}, 1, 1, 40, 0, 1, 0},
        {"empty answer", {0, 0, 0}, 0, {{0, 0, 0, 0}}, 1, 1, 0, 0, 1, 0},
        {"three blocks", {0, 0, 0}, 1, {{0, 1024, 1, 0}, {1024, 1024, 1, 0}, {2048, 700, 0, 0}}, 3, 1, 2748, 3, 1, 0},
        {"wants the next block", {0, 0, 0}, 1, {{0, 1024, 1, 0}, {1024, 1024, 1, 0}}, 2, 0, 2048, 2, 0, 0},
        {"byte cap inside a block", {1500, 0, 0}, 1, {{0, 1024, 1, 0}, {1024, 1024, 1, 0}}, 2, 1, 1500, 2, 0, 1},
        {"byte cap at a block end", {2048, 0, 0}, 1, {{0, 1024, 1, 0}, {1024, 1024, 1, 0}}, 2, 1, 2048, 2, 0, 1},
        {"byte cap met by the last block", {2048, 0, 0}, 1, {{0, 1024, 1, 0}, {1024, 1024, 0, 0}}, 2, 1, 2048, 2, 1, 0},
        {"block cap", {0, 2, 0}, 1, {{0, 1024, 1, 0}, {1024, 1024, 1, 0}}, 2, 1, 2048, 2, 0, 1},
        {"a gap", {0, 0, 0}, 1, {{0, 1024, 1, 0}, {3072, 1024, 1, 0}}, 2, 1, 1024, 2, 0, 1},
        {"not starting at 0", {0, 0, 0}, 1, {{1024, 1024, 0, 0}}, 1, 1, 0, 1, 0, 1},
        {"restart at 0 (new ETag)", {0, 0, 0}, 1, {{0, 1024, 1, 1}, {0, 1024, 1, 0}, {1024, 10, 0, 0}}, 3, 1, 1034, 3, 1, 0},
        {"restarts still count blocks", {0, 3, 0}, 1, {{0, 1024, 1, 1}, {0, 1024, 1, 2}, {0, 1024, 1, 0}}, 3, 1, 1024, 3, 0, 1},
        {"a retransmitted block is ignored", {0, 0, 0}, 1, {{0, 1024, 1, 0}, {1024, 1024, 1, 0}, {1024, 1024, 1, 0}, {2048, 10, 0, 0}}, 4, 1, 2058, 4, 1, 0},
        {"a retransmitted block 0 is ignored", {0, 0, 0}, 1, {{0, 1024, 1, 0}, {0, 1024, 1, 0}, {1024, 10, 0, 0}}, 3, 1, 1034, 3, 1, 0},
        {"retransmissions count blocks", {0, 3, 0}, 1, {{0, 1024, 1, 0}, {0, 1024, 1, 0}, {0, 1024, 1, 0}}, 3, 1, 1024, 3, 0, 1},
        {"a different block at a kept offset is a gap", {0, 0, 0}, 1, {{0, 1024, 1, 0}, {1024, 1024, 1, 0}, {1024, 1024, 1, 1}}, 3, 1, 2048, 3, 0, 1},
    };
    static uint8_t data[1024 + 8];

    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)('a' + i % 26);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct spcoap_body b = {0};
        int rc = -100;
        for (size_t k = 0; k < rows[i].nin; k++)
            rc = spcoap_body_add(&b, &rows[i].lim, rows[i].in[k].offset, data + rows[i].in[k].shift, rows[i].in[k].len,
                                 rows[i].in[k].more, rows[i].blockwise);
        CHECK(rows[i].name, rc == rows[i].last_rc);
        CHECK(rows[i].name, b.len == rows[i].len);
        CHECK(rows[i].name, b.blocks == rows[i].blocks);
        CHECK(rows[i].name, b.complete == rows[i].complete);
        CHECK(rows[i].name, b.truncated == rows[i].truncated);
        CHECK(rows[i].name, b.len == 0 || (b.buf && b.buf[b.len] == 0 && b.alloc > b.len));
        CHECK(rows[i].name, b.len == 0 || memcmp(b.buf, data, b.len < 1024 ? b.len : 1024) == 0);
        spcoap_body_free(&b);
    }
}

/* ---- the client against servers run here ---- */

enum srv_mode { SRV_SILENT, SRV_BLOCKS, SRV_ENDLESS };

struct srv {
    int fd, port;
    enum srv_mode mode;
    size_t body_len;            /* SRV_BLOCKS: the whole body */
    atomic_int stop;
    atomic_uint requests;
    atomic_int last_port;        /* the client's source port of the last request */
    pthread_t th;
};

/* The Block2 option of a request (RFC 7959): 0 with num, or -1 when absent or malformed. */
static int req_block2(const uint8_t *b, size_t len, uint32_t *num)
{
    size_t off;
    unsigned number = 0;

    if (len < 4)
        return -1;
    off = 4 + (b[0] & 0x0f);
    while (off < len && b[off] != 0xff) {
        unsigned d = b[off] >> 4, l = b[off] & 0x0f;
        off++;
        if (d == 13) {
            if (off >= len)
                return -1;
            d = 13u + b[off++];
        } else if (d == 14) {
            if (off + 1 >= len)
                return -1;
            d = 269u + (unsigned)(b[off] << 8 | b[off + 1]);
            off += 2;
        } else if (d == 15) {
            return -1;
        }
        if (l == 13) {
            if (off >= len)
                return -1;
            l = 13u + b[off++];
        } else if (l >= 14) {
            return -1;
        }
        if (off + l > len)
            return -1;
        number += d;
        if (number == 23) {
            uint32_t v = 0;
            for (unsigned k = 0; k < l; k++)
                v = v << 8 | b[off + k];
            *num = v >> 4;
            return 0;
        }
        off += l;
    }
    return -1;
}

/* A piggy-backed 2.05 with Content-Format 40 and Block2 num/more/1024, and 1024 (or fewer) bytes. */
static size_t build_block(uint8_t *out, size_t cap, const struct coap_msg *req, uint32_t num, int more,
                          size_t paylen)
{
    uint32_t v = num << 4 | (uint32_t)(more ? 8 : 0) | 6;
    size_t off = 0, vl = v < 256 ? 1 : v < 65536 ? 2 : 3;

    if (cap < 4 + req->tkl + 2 + 1 + vl + 1 + paylen)
        return 0;
    out[off++] = (uint8_t)(0x40 | COAP_ACK << 4 | req->tkl);
    out[off++] = COAP_CODE(2, 5);
    out[off++] = (uint8_t)(req->mid >> 8);
    out[off++] = (uint8_t)req->mid;
    memcpy(out + off, req->token, req->tkl);
    off += req->tkl;
    out[off++] = 0xc1;          /* Content-Format (12), one byte */
    out[off++] = 40;
    out[off++] = (uint8_t)(11 << 4 | vl);  /* Block2 (23 = 12 + 11) */
    for (size_t k = vl; k-- > 0;)
        out[off++] = (uint8_t)(v >> (8 * k));
    out[off++] = 0xff;
    for (size_t k = 0; k < paylen; k++)
        out[off++] = (uint8_t)('A' + (num + k) % 26);
    return off;
}

static void *srv_main(void *arg)
{
    struct srv *s = arg;
    uint8_t in[1500], out[1500];

    while (!s->stop) {
        struct pollfd p = {.fd = s->fd, .events = POLLIN};
        struct sockaddr_storage from;
        socklen_t fl = sizeof(from);
        struct coap_msg m;
        uint32_t num = 0;
        ssize_t n;
        size_t olen, paylen;
        int more;

        if (poll(&p, 1, 50) <= 0)
            continue;
        n = recvfrom(s->fd, in, sizeof(in), 0, (struct sockaddr *)&from, &fl);
        if (n <= 0 || coap_parse(in, (size_t)n, &m) != 0 || m.type != COAP_CON || m.code != COAP_GET)
            continue;
        s->requests++;
        s->last_port = ntohs(((struct sockaddr_in *)&from)->sin_port);
        if (s->mode == SRV_SILENT)
            continue;
        if (req_block2(in, (size_t)n, &num) != 0)
            num = 0;
        if (s->mode == SRV_ENDLESS) {
            more = 1;
            paylen = 1024;
        } else {
            size_t off = (size_t)num * 1024;
            paylen = off >= s->body_len ? 0 : s->body_len - off < 1024 ? s->body_len - off : 1024;
            more = off + paylen < s->body_len;
        }
        olen = build_block(out, sizeof(out), &m, num, more, paylen);
        if (olen)
            (void)!sendto(s->fd, out, olen, 0, (struct sockaddr *)&from, fl);
    }
    return NULL;
}

static int srv_start(struct srv *s, enum srv_mode mode, size_t body_len)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof(a);

    memset(s, 0, sizeof(*s));
    s->mode = mode;
    s->body_len = body_len;
    s->fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        getsockname(s->fd, (struct sockaddr *)&a, &al) != 0) {
        if (s->fd >= 0)
            close(s->fd);
        return -1;
    }
    s->port = ntohs(a.sin_port);
    if (pthread_create(&s->th, NULL, srv_main, s) != 0) {
        close(s->fd);
        return -1;
    }
    return 0;
}

static void srv_stop(struct srv *s)
{
    s->stop = 1;
    pthread_join(s->th, NULL);
    close(s->fd);
}

static int loopback(struct sp_target *t)
{
    char err[128];
    return net_resolve_target("127.0.0.1", t, err, sizeof(err));
}

static void test_silent(void)
{
    struct sp_target t;
    struct srv s;
    struct spcoap *c = NULL;
    struct spcoap_reply r;
    int64_t t0;
    int rc;

    CU_ASSERT_FATAL(loopback(&t) == 0);
    CU_ASSERT_FATAL(srv_start(&s, SRV_SILENT, 0) == 0);
    CU_ASSERT_FATAL(spcoap_open(&c, &t, s.port, SPCOAP_UDP, NULL, sp_now_ms() + 1000, NULL, 0) == 0);
    t0 = sp_now_ms();
    rc = spcoap_get(c, "/.well-known/core", NULL, t0 + 700, &r);
    CHECK("silent: timeout", rc == SP_ERR_TIMEOUT);
    CHECK("silent: no later than the deadline (+300 ms)", sp_now_ms() - t0 < 1000);
    CHECK("silent: not before it either", sp_now_ms() - t0 >= 690);
    CHECK("silent: nothing returned", r.payload == NULL && r.len == 0);
    /* reply_ms: the wait for a reply ends before the overall deadline. */
    t0 = sp_now_ms();
    {
        struct spcoap_limits lim = {0, 0, 300};
        rc = spcoap_get(c, "/time", &lim, t0 + 5000, &r);
    }
    CHECK("silent, reply_ms 300: timeout", rc == SP_ERR_TIMEOUT);
    CHECK("silent, reply_ms 300: within 300 ms (+300)", sp_now_ms() - t0 < 600);
    spcoap_close(c);
    srv_stop(&s);

    /* The DTLS handshake against the same silence ends at its deadline. */
    CU_ASSERT_FATAL(srv_start(&s, SRV_SILENT, 0) == 0);
    {
        char why[128] = "";
        t0 = sp_now_ms();
        c = NULL;
        rc = spcoap_open(&c, &t, s.port, SPCOAP_DTLS_NOCRED, NULL, t0 + 600, why, sizeof(why));
        CHECK("silent dtls: timeout", rc == SP_ERR_TIMEOUT && c == NULL);
        CHECK("silent dtls: within the deadline (+300 ms)", sp_now_ms() - t0 < 900);
        CHECK("silent dtls: a reason", strstr(why, "deadline") != NULL);
    }
    srv_stop(&s);
}

static void test_closed_port(void)
{
    struct sp_target t;
    struct spcoap *c = NULL;
    struct spcoap_reply r;
    int fd, port;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof(a);
    int64_t t0;

    CU_ASSERT_FATAL(loopback(&t) == 0);
    /* A port just freed: nothing listens there, so the kernel answers port unreachable. */
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    CU_ASSERT_FATAL(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
                    getsockname(fd, (struct sockaddr *)&a, &al) == 0);
    port = ntohs(a.sin_port);
    close(fd);
    CU_ASSERT_FATAL(spcoap_open(&c, &t, port, SPCOAP_UDP, NULL, sp_now_ms() + 1000, NULL, 0) == 0);
    t0 = sp_now_ms();
    CHECK("closed: refused", spcoap_get(c, "/.well-known/core", NULL, t0 + 2000, &r) == SP_ERR_REFUSED);
    CHECK("closed: at once, not at the deadline", sp_now_ms() - t0 < 1000);
    CHECK("closed: a reason", strstr(spcoap_why(c), "unreachable") != NULL);
    spcoap_close(c);
}

static void test_blocks(void)
{
    struct sp_target t;
    struct srv s;
    struct spcoap *c = NULL;
    struct spcoap_reply r;
    int rc;

    CU_ASSERT_FATAL(loopback(&t) == 0);
    CU_ASSERT_FATAL(srv_start(&s, SRV_BLOCKS, 2500) == 0);
    CU_ASSERT_FATAL(spcoap_open(&c, &t, s.port, SPCOAP_UDP, NULL, sp_now_ms() + 1000, NULL, 0) == 0);
    rc = spcoap_get(c, "/.well-known/core", NULL, sp_now_ms() + 3000, &r);
    CHECK("blocks: answered", rc == 0);
    CHECK("blocks: 2.05", r.code == COAP_CODE(2, 5));
    CHECK("blocks: whole body", r.len == 2500 && !r.truncated);
    CHECK("blocks: three blocks", r.blocks == 3);
    CHECK("blocks: the last block's bytes in place", r.payload && r.payload[2048] == 'C' && r.payload[2499] != 0 &&
                                                        r.payload[2500] == 0);
    CHECK("blocks: three requests", s.requests == 3);
    spcoap_reply_free(&r);
    /* The same session serves a second GET. */
    rc = spcoap_get(c, "/other", NULL, sp_now_ms() + 3000, &r);
    CHECK("blocks: a second GET on the session", rc == 0 && r.len == 2500);
    spcoap_reply_free(&r);
    spcoap_close(c);
    srv_stop(&s);
}

static void test_endless(void)
{
    struct sp_target t;
    struct srv s;
    struct spcoap *c = NULL;
    struct spcoap_reply r;
    int64_t t0;
    int rc;

    CU_ASSERT_FATAL(loopback(&t) == 0);
    CU_ASSERT_FATAL(srv_start(&s, SRV_ENDLESS, 0) == 0);
    CU_ASSERT_FATAL(spcoap_open(&c, &t, s.port, SPCOAP_UDP, NULL, sp_now_ms() + 1000, NULL, 0) == 0);
    {
        struct spcoap_limits lim = {8 * 1024, 0, 0};
        int port1;
        t0 = sp_now_ms();
        rc = spcoap_get(c, "/.well-known/core", &lim, t0 + 5000, &r);
        CHECK("endless, byte cap: answered", rc == 0);
        CHECK("endless, byte cap: exactly the cap", r.len == 8 * 1024);
        CHECK("endless, byte cap: truncated", r.truncated == 1 && r.blocks == 8);
        CHECK("endless, byte cap: stopped at once, not at the deadline", sp_now_ms() - t0 < 2000);
        spcoap_reply_free(&r);
        /* libcoap had asked for block 8 already: the next GET must come from a fresh session. */
        port1 = s.last_port;
        lim.max_bytes = 1024;
        rc = spcoap_get(c, "/after", &lim, sp_now_ms() + 2000, &r);
        CHECK("endless, after a stopped transfer: answered on a fresh session",
              rc == 0 && r.len == 1024 && s.last_port != port1);
        spcoap_reply_free(&r);
    }
    {
        struct spcoap_limits lim = {0, 5, 0};
        rc = spcoap_get(c, "/x", &lim, sp_now_ms() + 5000, &r);
        CHECK("endless, block cap: five blocks", rc == 0 && r.blocks == 5 && r.len == 5 * 1024 && r.truncated);
        spcoap_reply_free(&r);
    }
    {
        /* The default caps: 256 KiB. */
        rc = spcoap_get(c, "/y", NULL, sp_now_ms() + 20000, &r);
        CHECK("endless, default caps: 256 KiB", rc == 0 && r.len == SPCOAP_DEFAULT_MAX_BYTES && r.truncated);
        spcoap_reply_free(&r);
    }
    {
        /* The deadline ends a transfer the caps would allow: what came is kept, marked cut short. */
        struct spcoap_limits lim = {64u * 1024 * 1024, 1000000, 0};
        t0 = sp_now_ms();
        rc = spcoap_get(c, "/z", &lim, t0 + 400, &r);
        CHECK("endless, deadline: partial body kept", rc == 0 && r.len > 0 && r.truncated);
        CHECK("endless, deadline: within it (+300 ms)", sp_now_ms() - t0 < 700);
        spcoap_reply_free(&r);
    }
    spcoap_close(c);
    srv_stop(&s);
}

/* Sessions in several threads at once: each completes its own transfer. */
struct par {
    int port, rc;
    size_t len;
};

static void *par_main(void *arg)
{
    struct par *p = arg;
    struct sp_target t;
    struct spcoap *c = NULL;
    struct spcoap_reply r;

    p->rc = -100;
    if (loopback(&t) != 0 || spcoap_open(&c, &t, p->port, SPCOAP_UDP, NULL, sp_now_ms() + 2000, NULL, 0) != 0)
        return NULL;
    for (int i = 0; i < 5; i++) {
        p->rc = spcoap_get(c, "/.well-known/core", NULL, sp_now_ms() + 3000, &r);
        p->len = r.len;
        spcoap_reply_free(&r);
        if (p->rc != 0)
            break;
    }
    spcoap_close(c);
    return NULL;
}

static void test_threads(void)
{
    struct srv s;
    struct par p[4];
    pthread_t th[4];

    CU_ASSERT_FATAL(srv_start(&s, SRV_BLOCKS, 3000) == 0);
    for (int i = 0; i < 4; i++) {
        p[i] = (struct par){.port = s.port};
        CU_ASSERT_FATAL(pthread_create(&th[i], NULL, par_main, &p[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK("threads: each transfer whole", p[i].rc == 0 && p[i].len == 3000);
    }
    srv_stop(&s);
}

int register_coap_tests(void)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        {"path into options", test_path_split},
        {"body from blocks, caps", test_body},
        {"silent server: deadlines", test_silent},
        {"closed port", test_closed_port},
        {"Block2 reassembly", test_blocks},
        {"endless Block2: caps and deadline", test_endless},
        {"sessions in parallel threads", test_threads},
    };
    CU_pSuite s = CU_add_suite("coap", NULL, NULL);

    if (!s)
        return -1;
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn))
            return -1;
    return 0;
}
