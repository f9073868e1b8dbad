/*
 * worker.c - each gatherer runs in a child process of its own.
 *
 * Gatherers are the code that reads device bytes, and device bytes are
 * hostile. Like relayd and OpenSSH keep what parses network input apart from
 * what holds the state that matters, starprobe forks before a gatherer runs:
 * the child inherits the run, talks to the device, and writes back the part
 * of the run that gatherers change (services and their facts, the scan
 * statistics, the credentials found) as JSON through a pipe. The parent only
 * parses JSON it can trust the shape of. When the child dies on a signal,
 * the parent keeps its state as it was before that gatherer, records
 * SP_ERR_CRASHED with the signal, and the scheduler judges the checks that
 * gatherer served as ERROR; every other check is judged and the report is
 * written whole.
 *
 * Gatherers run one after another, so the parent is single-threaded when it
 * forks; the threads a gatherer starts (run_parallel) live in the child.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "worker.h"

/* How long past the run deadline a child may take to wind down and write its facts. */
#define WORKER_GRACE_MS 10000
/* The facts of one gatherer are a few MiB at most; more is a runaway child. */
#define WORKER_MAX_STATE (256u << 20)

/* ---- the state a gatherer writes, as JSON ---- */

static char *hex_encode(const uint8_t *b, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *s = xmalloc(2 * n + 1);

    for (size_t i = 0; i < n; i++) {
        s[2 * i] = digits[b[i] >> 4];
        s[2 * i + 1] = digits[b[i] & 15];
    }
    s[2 * n] = '\0';
    return s;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decode hex into out (cap bytes); the decoded length, or -1 when malformed or too long. */
static long hex_decode(const char *s, uint8_t *out, size_t cap)
{
    size_t n = strlen(s);

    if (n % 2 || n / 2 > cap)
        return -1;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hex_value(s[2 * i]), lo = hex_value(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return (long)(n / 2);
}

#define SCAN_FIELDS(X) \
    X(tcp_done) X(tcp_complete) X(tcp_ports) X(tcp_open) X(tcp_closed) X(tcp_filtered) \
    X(udp_done) X(udp_complete) X(udp_ports) X(udp_open) X(udp_closed) X(udp_silent) \
    X(tcp_ms) X(udp_ms)

char *worker_state_dump(const struct run *r, int rc)
{
    cJSON *root = cJSON_CreateObject(), *scan, *svcs;
    char *text;

    cJSON_AddNumberToObject(root, "rc", rc);
    cJSON_AddNumberToObject(root, "unreachable", r->unreachable);
    scan = cJSON_AddObjectToObject(root, "scan");
#define DUMP(f) cJSON_AddNumberToObject(scan, #f, (double)r->scan.f);
    SCAN_FIELDS(DUMP)
#undef DUMP
    cJSON_AddStringToObject(scan, "why_incomplete", r->scan.why_incomplete);
    cJSON_AddItemToObject(root, "credentials", cJSON_Duplicate(r->credentials, 1));
    if (r->facts)
        cJSON_AddItemToObject(root, "facts", cJSON_Duplicate(r->facts, 1));
    svcs = cJSON_AddArrayToObject(root, "services");
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        cJSON *o = cJSON_CreateObject();
        char *hex = hex_encode(s->reply, s->replylen);

        cJSON_AddNumberToObject(o, "port", (double)s->port);
        cJSON_AddNumberToObject(o, "transport", s->transport);
        cJSON_AddStringToObject(o, "name", s->name);
        if (s->banner)
            cJSON_AddStringToObject(o, "banner", s->banner);
        if (s->ident)
            cJSON_AddStringToObject(o, "ident", s->ident);
        cJSON_AddStringToObject(o, "reply", hex);
        free(hex);
        if (s->facts)
            cJSON_AddItemToObject(o, "facts", cJSON_Duplicate(s->facts, 1));
        cJSON_AddItemToArray(svcs, o);
    }
    text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!text)
        abort();    /* out of memory, as xmalloc */
    return text;
}

static int num(const cJSON *o, const char *key, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    if (!cJSON_IsNumber(v))
        return SP_ERR_PARSE;
    *out = v->valuedouble;
    return 0;
}

static char *opt_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

static void services_free(struct service **v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i]->banner);
        free(v[i]->ident);
        cJSON_Delete(v[i]->facts);
        free(v[i]);
    }
    free(v);
}

int worker_state_load(struct run *r, const char *text, int *rc)
{
    cJSON *root = cJSON_Parse(text);
    const cJSON *scan, *svcs, *creds, *rfacts, *it;
    struct scan_stats st;
    struct service **v = NULL;
    size_t n = 0;
    double d, unreachable;
    int err = SP_ERR_PARSE;

    memset(&st, 0, sizeof(st));
    if (!root)
        return SP_ERR_PARSE;
    scan = cJSON_GetObjectItemCaseSensitive(root, "scan");
    svcs = cJSON_GetObjectItemCaseSensitive(root, "services");
    creds = cJSON_GetObjectItemCaseSensitive(root, "credentials");
    rfacts = cJSON_GetObjectItemCaseSensitive(root, "facts");
    if ((rfacts && !cJSON_IsObject(rfacts)) || num(root, "rc", &d) != 0 || num(root, "unreachable", &unreachable) != 0 ||
        !cJSON_IsObject(scan) || !cJSON_IsArray(svcs) || !cJSON_IsArray(creds))
        goto cleanup;
    *rc = (int)d;
#define LOAD(f) if (num(scan, #f, &d) != 0) goto cleanup; st.f = (__typeof__(st.f))d;
    SCAN_FIELDS(LOAD)
#undef LOAD
    it = cJSON_GetObjectItemCaseSensitive(scan, "why_incomplete");
    if (!cJSON_IsString(it))
        goto cleanup;
    sp_strlcpy(st.why_incomplete, it->valuestring, sizeof(st.why_incomplete));

    cJSON_ArrayForEach(it, svcs) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(it, "name");
        const cJSON *reply = cJSON_GetObjectItemCaseSensitive(it, "reply");
        const cJSON *facts = cJSON_GetObjectItemCaseSensitive(it, "facts");
        double port, t;
        struct service *s;
        long rl;

        if (num(it, "port", &port) != 0 || num(it, "transport", &t) != 0 || !cJSON_IsString(name) ||
            !cJSON_IsString(reply) || (t != T_TCP && t != T_UDP))
            goto cleanup;
        s = xcalloc(1, sizeof(*s));
        v = xrealloc(v, (n + 1) * sizeof(*v));
        v[n++] = s;
        s->port = (long)port;
        s->transport = (enum transport)t;
        sp_strlcpy(s->name, name->valuestring, sizeof(s->name));
        s->banner = opt_str(it, "banner");
        s->ident = opt_str(it, "ident");
        rl = hex_decode(reply->valuestring, s->reply, sizeof(s->reply));
        if (rl < 0)
            goto cleanup;
        s->replylen = (size_t)rl;
        s->facts = facts ? cJSON_Duplicate(facts, 1) : NULL;
        s->decl = device_service(r->device, s->port, s->transport);
        s->declared = s->decl != NULL;
    }

    /* Everything parsed: only now does the run's own state change. */
    services_free(r->services, r->nservices);
    r->services = v;
    r->nservices = n;
    v = NULL;
    n = 0;
    r->scan = st;
    r->unreachable = unreachable != 0;
    cJSON_Delete(r->credentials);
    r->credentials = cJSON_Duplicate(creds, 1);
    if (rfacts) {
        cJSON_Delete(r->facts);
        r->facts = cJSON_Duplicate(rfacts, 1);
    }
    err = 0;
cleanup:
    services_free(v, n);
    cJSON_Delete(root);
    return err;
}

/* ---- the child and the parent ---- */

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(71);
        p += w;
        n -= (size_t)w;
    }
}

static void child(struct run *r, const struct gatherer *g, int fd, pid_t parent)
{
    char *text;
    int rc;

    /* A parent killed outright (SIGKILL, OOM) takes its worker with it: no orphan keeps probing. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(72);      /* the parent died before the line above took effect */
#ifdef SP_TEST_HOOKS
    /* Only a test build honours this: the proof that a crash costs one step, not the run. */
    const char *crash = getenv("STARPROBE_TEST_CRASH");
    if (crash && strcmp(crash, g->name) == 0)
        raise(SIGSEGV);
#endif
    rc = g->gather(r);
    text = worker_state_dump(r, rc);
    write_all(fd, text, strlen(text));
    free(text);
    fflush(stderr);
    /* _exit: the parent's stdio buffers and atexit handlers are the parent's business. */
    _exit(0);
}

/* Read the child's state until it closes the pipe, or until the limit; NULL past the limit. */
static char *read_state(int fd, int64_t limit_ms)
{
    struct strbuf sb;
    char chunk[65536];

    sb_init(&sb);
    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int wait_ms = -1;
        if (limit_ms > 0) {
            int64_t left = limit_ms - sp_now_ms();
            if (left <= 0)
                break;
            wait_ms = left > 60000 ? 60000 : (int)left;
        }
        int pr = poll(&pfd, 1, wait_ms);
        if (pr < 0 && errno == EINTR)
            continue;       /* ^C: the child winds down on it too; keep reading */
        if (pr < 0)
            break;
        if (pr == 0)
            continue;
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        if (n == 0)
            return sb_steal(&sb);
        if (sb.len + (size_t)n > WORKER_MAX_STATE)
            break;
        sb_addn(&sb, chunk, (size_t)n);
    }
    sb_free(&sb);
    return NULL;
}

int worker_gather(struct run *r, const struct gatherer *g, int *signo)
{
    int p[2], status = 0, rc = SP_ERR_CRASHED;
    int64_t limit = r->deadline_ms > 0 ? r->deadline_ms + WORKER_GRACE_MS : 0;
    char *text;
    pid_t pid, self = getpid();

    *signo = 0;
    if (pipe(p) != 0)
        return SP_ERR_INTERNAL;
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return SP_ERR_INTERNAL;
    }
    if (pid == 0) {
        close(p[0]);
        child(r, g, p[1], self);
    }
    close(p[1]);
    text = read_state(p[0], limit);
    close(p[0]);
    if (!text)
        kill(pid, SIGKILL);     /* past the deadline and its grace, or flooding us */
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(status))
        *signo = WTERMSIG(status);
    if (text && !*signo && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
        worker_state_load(r, text, &rc) == 0) {
        free(text);
        return rc;
    }
    free(text);
    return SP_ERR_CRASHED;
}
