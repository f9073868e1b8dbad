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
 * Several gatherers may run at once, each in its own child (those flagged
 * GATHER_CONCURRENT). Each child hands back the whole state; the parent keeps
 * the state each was forked from and merges only what that child changed,
 * so two children's facts of different families both arrive. The parent
 * never starts threads, so it is single-threaded when it forks; the threads
 * a gatherer starts (run_parallel) live in its child.
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

#include "facts_json.h"
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
    cJSON_AddItemToObject(root, "credentials", credentials_json(r));
    cJSON_AddItemToObject(root, "facts", run_facts_json(r));
    svcs = cJSON_AddArrayToObject(root, "services");
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        cJSON *o = cJSON_CreateObject(), *facts;
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
        if ((facts = service_facts_json(s)) != NULL)
            cJSON_AddItemToObject(o, "facts", facts);
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

/* A state as a worker wrote it, parsed in full before any of it touches the run. */
struct state {
    cJSON *root;
    int rc, unreachable;
    struct scan_stats scan;
    struct service **v;
    size_t n;
    const cJSON *creds, *facts;     /* inside root; facts may be NULL */
};

static void state_free(struct state *st)
{
    for (size_t i = 0; i < st->n; i++)
        service_free(st->v[i]);
    free(st->v);
    cJSON_Delete(st->root);
    memset(st, 0, sizeof(*st));
}

/* 0, or SP_ERR_PARSE with why saying what did not read. */
static int state_parse(const struct run *r, const char *text, struct state *st, char *why,
                       size_t whylen)
{
    const cJSON *scan, *svcs, *it;
    double d, unreachable;

    memset(st, 0, sizeof(*st));
    snprintf(why, whylen, "the state is not what a worker writes");
    st->root = cJSON_Parse(text);
    if (!st->root) {
        snprintf(why, whylen, "the state is not JSON");
        return SP_ERR_PARSE;
    }
    scan = cJSON_GetObjectItemCaseSensitive(st->root, "scan");
    svcs = cJSON_GetObjectItemCaseSensitive(st->root, "services");
    st->creds = cJSON_GetObjectItemCaseSensitive(st->root, "credentials");
    st->facts = cJSON_GetObjectItemCaseSensitive(st->root, "facts");
    if ((st->facts && !cJSON_IsObject(st->facts)) || num(st->root, "rc", &d) != 0 ||
        num(st->root, "unreachable", &unreachable) != 0 || !cJSON_IsObject(scan) || !cJSON_IsArray(svcs) ||
        !cJSON_IsArray(st->creds))
        goto bad;
    st->rc = (int)d;
    st->unreachable = unreachable != 0;
#define LOAD(f) if (num(scan, #f, &d) != 0) goto bad; st->scan.f = (__typeof__(st->scan.f))d;
    SCAN_FIELDS(LOAD)
#undef LOAD
    it = cJSON_GetObjectItemCaseSensitive(scan, "why_incomplete");
    if (!cJSON_IsString(it))
        goto bad;
    sp_strlcpy(st->scan.why_incomplete, it->valuestring, sizeof(st->scan.why_incomplete));
    {
        /* The run's own facts must load too, before any of the state is applied. */
        struct run scratch;
        memset(&scratch, 0, sizeof(scratch));
        if (run_facts_load(&scratch, st->facts, why, whylen) != 0 ||
            credentials_load(&scratch, st->creds, why, whylen) != 0) {
            run_facts_clear(&scratch);
            goto bad;
        }
        run_facts_clear(&scratch);
        for (size_t i = 0; i < scratch.ncreds; i++)
            credential_facts_free(&scratch.creds[i]);
        free(scratch.creds);
    }

    cJSON_ArrayForEach(it, svcs) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(it, "name");
        const cJSON *reply = cJSON_GetObjectItemCaseSensitive(it, "reply");
        const cJSON *facts = cJSON_GetObjectItemCaseSensitive(it, "facts");
        double port, t;
        struct service *s;
        long rl;

        if (num(it, "port", &port) != 0 || num(it, "transport", &t) != 0 || !cJSON_IsString(name) ||
            !cJSON_IsString(reply) || (t != T_TCP && t != T_UDP))
            goto bad;
        s = xcalloc(1, sizeof(*s));
        st->v = xrealloc(st->v, (st->n + 1) * sizeof(*st->v));
        st->v[st->n++] = s;
        s->port = (long)port;
        s->transport = (enum transport)t;
        sp_strlcpy(s->name, name->valuestring, sizeof(s->name));
        s->banner = opt_str(it, "banner");
        s->ident = opt_str(it, "ident");
        rl = hex_decode(reply->valuestring, s->reply, sizeof(s->reply));
        if (rl < 0)
            goto bad;
        s->replylen = (size_t)rl;
        if (service_facts_load(s, facts, why, whylen) != 0)
            goto bad;
        s->decl = device_service(r->device, s->port, s->transport);
        s->declared = s->decl != NULL;
    }
    return 0;
bad:
    state_free(st);
    return SP_ERR_PARSE;
}

static struct service *state_find(struct service *const *v, size_t n, const struct service *s)
{
    for (size_t i = 0; i < n; i++)
        if (v[i]->port == s->port && v[i]->transport == s->transport)
            return v[i];
    return NULL;
}

/*
 * Merge into cur (an object, created when NULL) what child changed since
 * base: members added or changed replace cur's, members child dropped are
 * dropped. A member that cur changed too (another worker's) and that both
 * hold as objects is merged a level down the same way. Returns cur.
 */
static cJSON *object_merge(cJSON *cur, const cJSON *base, const cJSON *child)
{
    const cJSON *m;

    cJSON_ArrayForEach(m, child) {
        const cJSON *b = base ? cJSON_GetObjectItemCaseSensitive(base, m->string) : NULL;
        cJSON *c;

        if (b && cJSON_Compare(b, m, 1))
            continue;
        if (!cur)
            cur = cJSON_CreateObject();
        c = cJSON_GetObjectItemCaseSensitive(cur, m->string);
        if (c && b && !cJSON_Compare(c, b, 1) && cJSON_IsObject(c) && cJSON_IsObject(m) && cJSON_IsObject(b))
            object_merge(c, b, m);
        else if (c)
            cJSON_ReplaceItemInObjectCaseSensitive(cur, m->string, cJSON_Duplicate(m, 1));
        else
            cJSON_AddItemToObject(cur, m->string, cJSON_Duplicate(m, 1));
    }
    cJSON_ArrayForEach(m, base) {
        const cJSON *c = cur ? cJSON_GetObjectItemCaseSensitive(cur, m->string) : NULL;
        if (!cJSON_GetObjectItemCaseSensitive(child, m->string) && c && cJSON_Compare(c, m, 1))
            cJSON_DeleteItemFromObjectCaseSensitive(cur, m->string);
    }
    /* In the child's order (after what only cur has), so a merge onto base is the child's state exactly. */
    if (cur) {
        cJSON *it;
        cJSON_ArrayForEach(m, child)
            if ((it = cJSON_DetachItemFromObjectCaseSensitive(cur, m->string)) != NULL)
                cJSON_AddItemToArray(cur, it);  /* to the end, keeping its name */
    }
    return cur;
}

static void str_take(char **dst, char *src)
{
    free(*dst);
    *dst = src;
}

/* What child service cs changed since bs (NULL: it is new), into s. */
static void service_merge(struct service *s, const struct service *bs, struct service *cs)
{
    if (!bs || strcmp(cs->name, bs->name) != 0)
        sp_strlcpy(s->name, cs->name, sizeof(s->name));
    if (!bs || !sp_str_same(cs->banner, bs->banner))
        str_take(&s->banner, cs->banner ? xstrdup(cs->banner) : NULL);
    if (!bs || !sp_str_same(cs->ident, bs->ident))
        str_take(&s->ident, cs->ident ? xstrdup(cs->ident) : NULL);
    if (!bs || cs->replylen != bs->replylen || memcmp(cs->reply, bs->reply, cs->replylen) != 0) {
        memcpy(s->reply, cs->reply, cs->replylen);
        s->replylen = cs->replylen;
    }
    /*
     * Facts merge in their JSON form, typed families included, and s takes
     * the result back. Each member came from a state that parsed, so the
     * load does not fail; if it ever did, s would be left with no facts and
     * every check on it would say it was not examined, never PASS.
     */
    cJSON *cf = service_facts_json(cs), *bf = bs ? service_facts_json(bs) : NULL;
    if (cf || bf) {
        cJSON *cur = object_merge(service_facts_json(s), bf, cf);
        char why[160], label[32];
        if (service_facts_load(s, cur, why, sizeof(why)) != 0) {
            service_label(s, label, sizeof(label));
            fprintf(stderr, "starprobe: the facts of %s were lost in a merge: %s\n", label, why);
        }
        cJSON_Delete(cur);
    }
    cJSON_Delete(cf);
    cJSON_Delete(bf);
}

static int service_order(const void *a, const void *b)
{
    const struct service *x = *(struct service *const *)a, *y = *(struct service *const *)b;

    if (x->transport != y->transport)
        return x->transport < y->transport ? -1 : 1;
    return x->port < y->port ? -1 : x->port > y->port;
}

/* Apply child onto r: whole when base is NULL, else what child changed since base. Cannot fail. */
static void state_apply(struct run *r, const struct state *base, struct state *child)
{
    const cJSON *c;
    size_t keep = 0;
    char why[160];

    if (!base) {
        for (size_t i = 0; i < r->nservices; i++)
            service_free(r->services[i]);
        free(r->services);
        r->services = child->v;
        r->nservices = child->n;
        child->v = NULL;
        child->n = 0;
        r->scan = child->scan;
        r->unreachable = child->unreachable;
        credentials_load(r, child->creds, why, sizeof(why));  /* it loaded in state_parse */
        if (child->facts)
            run_facts_load(r, child->facts, why, sizeof(why));     /* it loaded in state_parse */
        return;
    }

    /* Services the child dropped go; those another worker added stay. */
    for (size_t i = 0; i < r->nservices; i++) {
        struct service *s = r->services[i];
        if (state_find(base->v, base->n, s) && !state_find(child->v, child->n, s))
            service_free(s);
        else
            r->services[keep++] = s;
    }
    r->nservices = keep;
    for (size_t i = 0; i < child->n; i++) {
        struct service *cs = child->v[i], *s = state_find(r->services, r->nservices, cs);
        const struct service *bs = state_find(base->v, base->n, cs);

        if (!s && bs)
            continue;   /* another worker dropped it */
        if (!s) {
            s = xcalloc(1, sizeof(*s));
            s->port = cs->port;
            s->transport = cs->transport;
            s->decl = cs->decl;
            s->declared = cs->declared;
            r->services = xrealloc(r->services, (r->nservices + 1) * sizeof(*r->services));
            r->services[r->nservices++] = s;
        }
        service_merge(s, bs, cs);
    }
    if (r->nservices > 1)
        qsort(r->services, r->nservices, sizeof(*r->services), service_order);

    if (memcmp(&child->scan, &base->scan, sizeof(child->scan)) != 0)
        r->scan = child->scan;
    if (child->unreachable != base->unreachable)
        r->unreachable = child->unreachable;
    {
        /* Credentials the child found are appended, once. */
        cJSON *cur = credentials_json(r);
        cJSON_ArrayForEach(c, child->creds) {
            const cJSON *b, *have;
            int known = 0;
            cJSON_ArrayForEach(b, base->creds)
                known |= cJSON_Compare(b, c, 1);
            cJSON_ArrayForEach(have, cur)
                known |= cJSON_Compare(have, c, 1);
            if (!known)
                cJSON_AddItemToArray(cur, cJSON_Duplicate(c, 1));
        }
        credentials_load(r, cur, why, sizeof(why));     /* each one loaded in state_parse */
        cJSON_Delete(cur);
    }
    if (child->facts || base->facts) {
        cJSON *cur = object_merge(run_facts_json(r), base->facts, child->facts);
        run_facts_load(r, cur, why, sizeof(why));
        cJSON_Delete(cur);
    }
}

/* worker_state_merge, with why saying what did not read. */
static int state_merge(struct run *r, const char *base, const char *text, int *rc, char *why,
                       size_t whylen)
{
    struct state b, c;

    if (state_parse(r, text, &c, why, whylen) != 0)
        return SP_ERR_PARSE;
    if (base && state_parse(r, base, &b, why, whylen) != 0) {
        state_free(&c);
        return SP_ERR_PARSE;
    }
    /* Everything parsed: only now does the run's own state change. */
    state_apply(r, base ? &b : NULL, &c);
    *rc = c.rc;
    if (base)
        state_free(&b);
    state_free(&c);
    return 0;
}

int worker_state_merge(struct run *r, const char *base, const char *text, int *rc)
{
    char why[160];

    return state_merge(r, base, text, rc, why, sizeof(why));
}

int worker_state_load(struct run *r, const char *text, int *rc)
{
    return worker_state_merge(r, NULL, text, rc);
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

static void child(struct run *r, const struct gatherer *g, int fd, pid_t parent, int owner)
{
    char *text;
    int rc;

    /* A parent killed outright (SIGKILL, OOM) takes its worker with it: no orphan keeps probing. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(72);      /* the parent died before the line above took effect */
    r->slot_owner = owner;
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

int worker_start(struct run *r, const struct gatherer *g, int owner, struct worker *w)
{
    int p[2];
    pid_t pid, self = getpid();

    memset(w, 0, sizeof(*w));
    if (pipe(p) != 0)
        return SP_ERR_INTERNAL;
    w->base = worker_state_dump(r, 0);
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        free(w->base);
        w->base = NULL;
        return SP_ERR_INTERNAL;
    }
    if (pid == 0) {
        close(p[0]);
        child(r, g, p[1], self, owner);
    }
    close(p[1]);
    w->g = g;
    w->pid = pid;
    w->fd = p[0];
    w->owner = owner;
    w->t0 = sp_now_ms();
    sb_init(&w->out);
    return 0;
}

/*
 * Read what the workers write until one closes its pipe (its index), one
 * writes more than a state can be (its index, *over set), or the limit
 * passes (n).
 */
static size_t read_until_one(struct worker *w, size_t n, int64_t limit_ms, int *over)
{
    struct pollfd pfd[RUN_MAX_WORKERS];
    char chunk[65536];

    *over = 0;
    if (n > RUN_MAX_WORKERS)
        n = RUN_MAX_WORKERS;
    for (;;) {
        int wait_ms = -1, pr;

        if (limit_ms > 0) {
            int64_t left = limit_ms - sp_now_ms();
            if (left <= 0)
                return n;
            wait_ms = left > 60000 ? 60000 : (int)left;
        }
        for (size_t i = 0; i < n; i++)
            pfd[i] = (struct pollfd){.fd = w[i].fd, .events = POLLIN};
        pr = poll(pfd, n, wait_ms);
        if (pr < 0 && errno == EINTR)
            continue;       /* ^C: the children wind down on it too; keep reading */
        if (pr < 0)
            return n;
        for (size_t i = 0; i < n; i++) {
            ssize_t got;

            if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            got = read(w[i].fd, chunk, sizeof(chunk));
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0)
                return i;
            if (w[i].out.len + (size_t)got > WORKER_MAX_STATE) {
                *over = 1;
                return i;
            }
            sb_addn(&w[i].out, chunk, (size_t)got);
        }
    }
}

size_t worker_reap(struct run *r, struct worker *w, size_t n, int *rc, int *signo)
{
    int64_t limit = r->deadline_ms > 0 ? r->deadline_ms + WORKER_GRACE_MS : 0;
    int status = 0, over, ok;
    size_t i = read_until_one(w, n, limit, &over);
    struct worker *x;

    /* Past the deadline and its grace, or flooding us: the first still running is killed. */
    ok = i < n && !over;
    if (i >= n)
        i = 0;
    x = &w[i];
    if (!ok)
        kill(x->pid, SIGKILL);
    close(x->fd);
    while (waitpid(x->pid, &status, 0) < 0 && errno == EINTR)
        ;
    run_slots_reclaim(r, x->owner);
    *signo = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    *rc = SP_ERR_CRASHED;
    if (ok && !*signo && WIFEXITED(status) && WEXITSTATUS(status) == 0 && x->out.buf) {
        char why[160];
        if (state_merge(r, x->base, x->out.buf, rc, why, sizeof(why)) != 0) {
            /* Its checks say the step handed back nothing; this says why, for a bug report. */
            fprintf(stderr, "starprobe: the %s step's facts could not be read back: %s\n",
                    x->g->name, why);
            *rc = SP_ERR_CRASHED;
        }
    }
    sb_free(&x->out);
    free(x->base);
    x->base = NULL;
    return i;
}

int worker_gather(struct run *r, const struct gatherer *g, int *signo)
{
    struct worker w;
    int rc;

    *signo = 0;
    rc = worker_start(r, g, 1, &w);
    if (rc != 0)
        return rc;
    worker_reap(r, &w, 1, &rc, signo);
    return rc;
}
