/*
 * ssh.c - ssh.algorithms (S1.1-12) and the SSH facts of every service the
 * port scan identified as "ssh", whatever its port.
 *
 * Two sources, on purpose. The algorithm lists come from the server's own
 * KEXINIT, read by hand (ssh_wire.c): libssh would show only what it
 * negotiated, never the weak algorithm it declined. The host keys and the
 * offered authentication methods come from libssh, one session per host key
 * class the server offers. libssh connects itself, to the target's numeric
 * address only, under a timeout taken from the run's deadline, with no
 * configuration file read (so no ProxyCommand, no other host). It is not
 * given our socket (SSH_OPTIONS_FD): libssh closes a socket it was given on
 * some error paths and not on others, and a double close in a threaded run
 * could close another worker's connection.
 *
 * Facts go to the service's struct ssh_facts (harness/facts.h; in report.json
 * services[].ssh, docs/report.md). The answer to a "none" request is
 * recorded only when the server gave one; auth.unauthenticated reads it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <mbedtls/base64.h>

#include "ports.h"
#include "proto.h"
#include "run.h"
#include "ssh.h"
#include "ssh_wire.h"
#include "sshsess.h"

#define SSH_OP_MS 10000         /* one connection: greeting, or a libssh session */
#define SSH_PROBE_USER "starprobe-probe"

static const struct probe_param ssh_params[] = {
    {"forbid_kex", "[diffie-hellman-group1-sha1]", "forbidden key exchanges (glob patterns)"},
    {"forbid_hostkey", "[ssh-dss]", "forbidden host key algorithms (glob patterns)"},
    {"forbid_ciphers", "[arcfour*, des-cbc*, 3des-cbc]", "forbidden ciphers (glob patterns)"},
    {"forbid_macs", "[hmac-md5*]", "forbidden MACs (glob patterns)"},
    {"findings", "[cbc, sha1-mac]",
     "reported, not failed: cbc, sha1-mac, sha1-kex, small-rsa (host key under 2048 bits)"},
    {NULL, NULL, NULL}};

/* Host key classes: one key each, fetched with the offered algorithms of the class. */
static const struct hk_class {
    const char *name;
    const char *algs[4];        /* in libssh preference order */
} hk_classes[] = {
    {"ssh-ed25519", {"ssh-ed25519"}},
    {"ecdsa-sha2-nistp256", {"ecdsa-sha2-nistp256"}},
    {"ecdsa-sha2-nistp384", {"ecdsa-sha2-nistp384"}},
    {"ecdsa-sha2-nistp521", {"ecdsa-sha2-nistp521"}},
    {"ssh-rsa", {"rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"}},
    {"ssh-dss", {"ssh-dss"}},
};

static const struct {
    unsigned bit;
    const char *name;
} auth_names[] = {
    {SSH_AUTH_METHOD_PUBLICKEY, "publickey"},
    {SSH_AUTH_METHOD_PASSWORD, "password"},
    {SSH_AUTH_METHOD_INTERACTIVE, "keyboard-interactive"},
    {SSH_AUTH_METHOD_HOSTBASED, "hostbased"},
    {SSH_AUTH_METHOD_GSSAPI_MIC, "gssapi-with-mic"},
};

/* ---- reading the greeting ---- */

static int greeting_done(const uint8_t *buf, size_t len, void *arg)
{
    struct sshw_greeting *g = arg;
    return sshw_parse_greeting(buf, len, g, NULL, 0) != SSHW_MORE;
}

/*
 * Connect, send our identification, read the server's identification and
 * KEXINIT. We never send a KEXINIT of our own: the server's lists are all
 * we need. 0, or a negative sp_err with why filled. Not static: the session
 * fuzz target drives it through its socket shim (ssh.h).
 */
static int read_greeting_at(struct run *r, const struct sp_target *t, long port,
                            struct sshw_greeting *g, char *why, size_t whylen)
{
    static const char ours[] = SSHW_OUR_IDENT "\r\n";
    size_t cap = 4 + SSHW_MAX_PACKET + (SSHW_MAX_PRELINES + 1) * (SSHW_MAX_LINE + 1) + 1024;
    uint8_t *buf = xmalloc(cap);
    int64_t deadline = run_op_deadline(r, SSH_OP_MS);
    int fd, rc;
    ssize_t n;

    fd = net_tcp_connect(t, (int)port, deadline);
    if (fd < 0) {
        snprintf(why, whylen, "cannot connect: %s", net_strerror(fd));
        rc = fd;
        goto cleanup;
    }
    /* Both sides may send their identification at once (RFC 4253 §4.2). */
    rc = net_send_all(fd, ours, sizeof(ours) - 1, deadline);
    if (rc < 0) {
        snprintf(why, whylen, "cannot send our identification: %s", net_strerror(rc));
        goto cleanup;
    }
    n = net_recv_until(fd, buf, cap, deadline, greeting_done, g);
    if (n < 0) {
        snprintf(why, whylen, "cannot read the greeting: %s", net_strerror((int)n));
        rc = (int)n;
        goto cleanup;
    }
    switch (sshw_parse_greeting(buf, (size_t)n, g, why, whylen)) {
    case SSHW_OK:
        rc = 0;
        break;
    case SSHW_MORE:
        snprintf(why, whylen, "the server sent %zd bytes and then %s before a complete "
                 "identification and KEXINIT", n, run_expired(r) || sp_now_ms() >= deadline
                 ? "nothing more before the deadline" : "closed the connection or stopped");
        rc = SP_ERR_TIMEOUT;
        break;
    default:
        rc = SP_ERR_PARSE;
        break;
    }
cleanup:
    if (fd >= 0)
        close(fd);
    free(buf);
    return rc;
}

int ssh_read_greeting(struct run *r, long port, struct sshw_greeting *g, char *why,
                      size_t whylen)
{
    return read_greeting_at(r, &r->target, port, g, why, whylen);
}

/* ---- libssh sessions: host keys and authentication methods ---- */

struct ssh_auth_info {
    int asked;                  /* the server answered a "none" request */
    int none_ok;
    unsigned methods;
    char error[160];
};

/* The key's type, size and fingerprint into f's host keys. 0, or -1 with why filled. */
static int key_add(struct ssh_facts *f, const char *cls, ssh_key key, char *why, size_t whylen)
{
    char *b64 = NULL, type[80], fp[80];
    uint8_t blob[4096];
    size_t blen = 0;
    int bits = 0, rc = -1;

    if (ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK || !b64) {
        snprintf(why, whylen, "libssh cannot export the %s key", cls);
        goto cleanup;
    }
    if (mbedtls_base64_decode(blob, sizeof(blob), &blen, (const unsigned char *)b64,
                              strlen(b64)) != 0 ||
        sshw_key_blob_info(blob, blen, type, sizeof(type), &bits) != 0 ||
        sshw_key_fingerprint(blob, blen, fp, sizeof(fp)) != 0) {
        snprintf(why, whylen, "the %s host key blob is malformed", cls);
        goto cleanup;
    }
    ssh_facts_add_key(f, type, bits, fp, NULL);
    rc = 0;
cleanup:
    ssh_string_free_char(b64);
    return rc;
}

static void auth_ask(ssh_session ss, struct ssh_auth_info *a)
{
    int rc = ssh_userauth_none(ss, NULL);

    switch (rc) {
    case SSH_AUTH_SUCCESS:
        a->asked = 1;
        a->none_ok = 1;
        break;
    case SSH_AUTH_DENIED:
    case SSH_AUTH_PARTIAL:
        a->asked = 1;
        a->methods = (unsigned)ssh_userauth_list(ss, NULL);
        break;
    default:
        snprintf(a->error, sizeof(a->error), "the \"none\" authentication request got no "
                 "answer: %s", ssh_get_error(ss));
        break;
    }
}

/*
 * One libssh session restricted to the host key algorithms algs: the key
 * added to f (0), or -1 with why filled. When a is not NULL and not yet
 * asked, the session also asks for the authentication methods.
 */
static int ssh_fetch_key(struct run *r, const struct sp_target *t, long port, const char *cls,
                         const char *algs, struct ssh_auth_info *a, struct ssh_facts *f,
                         char *why, size_t whylen)
{
    int64_t deadline = run_op_deadline(r, SSH_OP_MS);
    ssh_session ss;
    ssh_key key = NULL;
    int rc = -1;
    char err[200];

    ss = sshsess_open(t, port, SSH_PROBE_USER, algs, deadline, NULL, err, sizeof(err));
    if (!ss) {
        snprintf(why, whylen, "the %s key session: %s", cls, err);
        return -1;
    }
    if (ssh_get_server_publickey(ss, &key) != SSH_OK) {
        snprintf(why, whylen, "libssh returned no %s host key: %s", cls, ssh_get_error(ss));
        goto cleanup;
    }
    rc = key_add(f, cls, key, why, whylen);
    if (a && !a->asked) {
        sshsess_set_timeout(ss, deadline);
        auth_ask(ss, a);
    }
cleanup:
    ssh_key_free(key);
    ssh_disconnect(ss);
    ssh_free(ss);
    return rc;
}

static int list_has(const struct sshw_namelist *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], name) == 0)
            return 1;
    return 0;
}

/* One key per class offered into f's host keys; with ask_auth, the "none" answer too. */
static void ssh_collect_keys(struct run *r, const struct sp_target *t, long port,
                             const struct sshw_greeting *g, int ask_auth, struct ssh_facts *f)
{
    const struct sshw_namelist *hk = &g->lists[SSHW_HOSTKEY];
    struct ssh_auth_info auth;
    char why[256];
    int stalled = 0;

    memset(&auth, 0, sizeof(auth));
    f->keys_read = 1;
    for (size_t c = 0; c < SP_ARRAY_LEN(hk_classes) && !run_expired(r); c++) {
        struct strbuf algs;

        sb_init(&algs);
        for (size_t j = 0; j < 4 && hk_classes[c].algs[j]; j++)
            if (list_has(hk, hk_classes[c].algs[j]))
                sb_printf(&algs, "%s%s", algs.len ? "," : "", hk_classes[c].algs[j]);
        if (algs.len && stalled) {
            /* A server that let one session run out its time would do it again. */
            ssh_facts_add_key(f, hk_classes[c].name, 0, NULL,
                              "not tried: an earlier session timed out");
        } else if (algs.len) {
            int64_t t0 = sp_now_ms();
            why[0] = '\0';
            if (ssh_fetch_key(r, t, port, hk_classes[c].name, algs.buf, ask_auth ? &auth : NULL,
                              f, why, sizeof(why)) != 0) {
                stalled = sp_now_ms() - t0 >= SSH_OP_MS - 250;
                ssh_facts_add_key(f, hk_classes[c].name, 0, NULL, why);
            } else {
                stalled = 0;
            }
        }
        sb_free(&algs);
    }
    if (!ask_auth)
        return;
    if (auth.asked) {
        f->auth = SSH_AUTH_ANSWERED;
        for (size_t i = 0; i < SP_ARRAY_LEN(auth_names); i++)
            if (auth.methods & auth_names[i].bit)
                strv_add(&f->auth_methods, auth_names[i].name);
        f->auth_none_accepted = auth.none_ok;
    } else {
        f->auth = SSH_AUTH_NO_ANSWER;
        f->auth_error = xstrdup(auth.error[0] ? auth.error
                                              : "no libssh session completed a key exchange");
    }
}

int ssh_host_keys(struct run *r, const struct sp_target *t, long port, struct ssh_facts *f,
                  char *why, size_t whylen)
{
    struct sshw_greeting g;
    int rc;

    sshw_greeting_init(&g);
    rc = read_greeting_at(r, t, port, &g, why, whylen);
    if (rc == 0 && !g.has_kexinit) {
        snprintf(why, whylen, "the server speaks SSH-1 only (%s)", g.ident);
        rc = SP_ERR_PARSE;
    }
    if (rc == 0)
        ssh_collect_keys(r, t, port, &g, 0, f);
    sshw_greeting_free(&g);
    return rc;
}

/* ---- the gatherer ---- */

static void namelist_copy(struct strv *dst, const struct sshw_namelist *l)
{
    for (size_t i = 0; i < l->n; i++)
        strv_add(dst, l->v[i]);
}

static void ssh_gather_one(struct run *r, size_t i, void *arg)
{
    struct service **svc = arg;
    struct service *s = svc[i];
    struct sshw_greeting g;
    struct ssh_facts *f = ssh_facts_new();
    char why[256] = "";

    run_progress(r, 0, "ssh: reading tcp/%ld", s->port);
    sshw_greeting_init(&g);
    if (ssh_read_greeting(r, s->port, &g, why, sizeof(why)) < 0) {
        f->error = xstrdup(why);
        if (g.ident[0])
            f->banner = xstrdup(g.ident);
        goto store;
    }
    f->banner = xstrdup(g.ident);
    f->protocol = xstrdup(g.proto);
    f->lines_before_banner = (long)g.prelines;
    if (!g.has_kexinit)
        goto store;             /* SSH-1 only: nothing more to read */
    f->has_kexinit = 1;
    namelist_copy(&f->kex, &g.lists[SSHW_KEX]);
    namelist_copy(&f->hostkey, &g.lists[SSHW_HOSTKEY]);
    namelist_copy(&f->ciphers, &g.lists[SSHW_ENC_C2S]);
    namelist_copy(&f->ciphers_s2c, &g.lists[SSHW_ENC_S2C]);
    namelist_copy(&f->macs, &g.lists[SSHW_MAC_C2S]);
    namelist_copy(&f->macs_s2c, &g.lists[SSHW_MAC_S2C]);
    namelist_copy(&f->compression, &g.lists[SSHW_COMP_C2S]);
    run_progress(r, 0, "ssh: host keys of tcp/%ld", s->port);
    ssh_collect_keys(r, &r->target, s->port, &g, 1, f);
store:
    sshw_greeting_free(&g);
    run_set_ssh_facts(r, s, f);
}

static int ssh_gather(struct run *r)
{
    struct service **svc = NULL;
    size_t n = 0;

    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < r->nservices; i++)
        if (r->services[i]->transport == T_TCP && proto_has(r->services[i], PROTO_SSH_TRANSPORT, NULL)) {
            svc = xrealloc(svc, (n + 1) * sizeof(*svc));
            svc[n++] = r->services[i];
        }
    pthread_mutex_unlock(&r->lock);
    run_parallel(r, n, ssh_gather_one, svc);
    free(svc);
    return 0;
}

const struct gatherer gatherer_ssh = {
    .name = "ssh",
    .needs = &gatherer_scan,
    /* a few key exchanges, read-only; it writes the "ssh" family alone */
    .flags = GATHER_CONCURRENT,
    .gather = ssh_gather,
};

/* ---- the rule ---- */

/*
 * The patterns of a list parameter: the profile's list, or the probe's
 * default "[a, b]". The caller frees with patterns_free.
 */
struct patterns {
    char **v;
    size_t n;
};

static void patterns_free(struct patterns *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i]);
    free(p->v);
    memset(p, 0, sizeof(*p));
}

static void patterns_add(struct patterns *p, const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '"' || *s == '\'')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '"' || s[n - 1] == '\''))
        n--;
    if (n == 0)
        return;
    p->v = xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
    p->v[p->n++] = xstrndup(s, n);
}

static void patterns_get(const struct check *c, const char *key, struct patterns *p)
{
    const struct ynode *n = check_param(c, key);

    memset(p, 0, sizeof(*p));
    if (n && n->type == Y_SEQ) {
        for (size_t i = 0; i < n->n; i++)
            if (n->items[i]->type == Y_SCALAR)
                patterns_add(p, n->items[i]->value, strlen(n->items[i]->value));
        return;
    }
    if (n && n->type == Y_SCALAR) {
        patterns_add(p, n->value, strlen(n->value));
        return;
    }
    for (const struct probe_param *pp = c->probe->params; pp && pp->name; pp++) {
        if (strcmp(pp->name, key) != 0)
            continue;
        const char *d = pp->dflt, *e;
        if (*d == '[')
            d++;
        while (*d && *d != ']') {
            e = d + strcspn(d, ",]");
            patterns_add(p, d, (size_t)(e - d));
            d = *e == ',' ? e + 1 : e;
        }
    }
}

static int patterns_match(const struct patterns *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (sshw_glob(p->v[i], name))
            return 1;
    return 0;
}

/* Names from the lists (one or two directions) that satisfy pred or match pats. */
static void offered_matching(const struct strv *l1, const struct strv *l2,
                             const struct patterns *pats, int (*pred)(const char *),
                             struct strbuf *out)
{
    const struct strv *lists[2] = {l1, l2};
    struct patterns seen = {NULL, 0};

    for (int d = 0; d < 2; d++)
        for (size_t i = 0; lists[d] && i < lists[d]->n; i++) {
            const char *nm = lists[d]->v[i];
            int dup = 0;
            if (!(pats ? patterns_match(pats, nm) : pred(nm)))
                continue;
            /* The same name offered in both directions is listed once. */
            for (size_t j = 0; j < seen.n && !dup; j++)
                dup = strcmp(seen.v[j], nm) == 0;
            if (dup)
                continue;
            patterns_add(&seen, nm, strlen(nm));
            sb_printf(out, "%s%s", out->len ? ", " : "", nm);
        }
    patterns_free(&seen);
}

/*
 * The rule for one service that has its facts: FAIL items into fails
 * (count returned), findings as evidence. label is "tcp/PORT".
 */
static int ssh_judge_service(const struct check *c, const char *label, const struct ssh_facts *f,
                             struct check_result *res)
{
    const struct {
        const char *param, *what;
        const struct strv *l1, *l2;
    } rules[] = {
        {"forbid_kex", "key exchange", &f->kex, NULL},
        {"forbid_hostkey", "host key algorithm", &f->hostkey, NULL},
        {"forbid_ciphers", "cipher", &f->ciphers, &f->ciphers_s2c},
        {"forbid_macs", "MAC", &f->macs, &f->macs_s2c},
    };
    const struct {
        const char *finding, *what;
        const struct strv *l1, *l2;
        int (*pred)(const char *);
    } finds[] = {
        {"cbc", "CBC-mode ciphers", &f->ciphers, &f->ciphers_s2c, sshw_is_cbc},
        {"sha1-mac", "SHA-1 MACs", &f->macs, &f->macs_s2c, sshw_is_sha1_mac},
        {"sha1-kex", "SHA-1 key exchanges", &f->kex, NULL, sshw_is_sha1_kex},
    };
    int fails = 0;

    if (f->protocol && sshw_proto_has_v1(f->protocol)) {
        fails++;
        cr_evidence(res, label, "identification \"%s\" announces SSH protocol 1 (%s); "
                    "protocol 2 only is required", f->banner ? f->banner : "?",
                    strcmp(f->protocol, "1.99") == 0 ? "1.99: both 1 and 2" : "protocol 1 only");
    }
    for (size_t i = 0; i < SP_ARRAY_LEN(rules); i++) {
        struct patterns pats;
        struct strbuf hit;

        patterns_get(c, rules[i].param, &pats);
        sb_init(&hit);
        offered_matching(rules[i].l1, rules[i].l2, &pats, NULL, &hit);
        if (hit.len) {
            fails++;
            cr_evidence(res, label, "offers forbidden %s: %s (%s)", rules[i].what, hit.buf,
                        rules[i].param);
        }
        sb_free(&hit);
        patterns_free(&pats);
    }
    for (size_t i = 0; i < SP_ARRAY_LEN(finds); i++) {
        struct strbuf hit;

        if (!check_param_in_list(c, "findings", finds[i].finding, 0))
            continue;
        sb_init(&hit);
        offered_matching(finds[i].l1, finds[i].l2, NULL, finds[i].pred, &hit);
        if (hit.len)
            cr_evidence(res, label, "finding (reported, not failed): %s offered: %s",
                        finds[i].what, hit.buf);
        sb_free(&hit);
    }
    if (check_param_in_list(c, "findings", "small-rsa", 0))
        for (size_t i = 0; i < f->nhost_keys; i++) {
            const struct ssh_host_key *k = &f->host_keys[i];
            if (!k->error && strcmp(k->type, "ssh-rsa") == 0 && k->bits > 0 && k->bits < 2048)
                cr_evidence(res, label, "finding (reported, not failed): RSA host key of %d bits",
                            k->bits);
        }
    return fails;
}

static void ssh_judge(struct run *r, const struct check *c, struct check_result *res)
{
    int nssh = 0, bad = 0, unsure = 0;
    char label[32];
    struct strbuf badl, unsurel;

    if (!r->scan.tcp_done) {
        cr_set(res, V_INCONCLUSIVE, "The port scan did not run, so SSH services are unknown.");
        return;
    }
    sb_init(&badl);
    sb_init(&unsurel);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        const struct ssh_facts *ssh = s->ssh;

        if (s->transport != T_TCP || !proto_has(s, PROTO_SSH_TRANSPORT, NULL))
            continue;
        nssh++;
        service_label(s, label, sizeof(label));
        if (!ssh) {
            unsure++;
            cr_evidence(res, label, "SSH service not examined before the run deadline");
            sb_printf(&unsurel, "%s%s", unsurel.len ? ", " : "", label);
            continue;
        }
        if (ssh->error) {
            unsure++;
            cr_evidence(res, label, "SSH greeting not read: %s", ssh->error);
            sb_printf(&unsurel, "%s%s", unsurel.len ? ", " : "", label);
            continue;
        }
        int f = ssh_judge_service(c, label, ssh, res);
        if (f) {
            bad++;
            sb_printf(&badl, "%s%s", badl.len ? ", " : "", label);
        } else if (!ssh->has_kexinit || !ssh->protocol) {
            /* Without a parsed KEXINIT there is nothing to pass. */
            unsure++;
            cr_evidence(res, label, "no KEXINIT was read from the server");
            sb_printf(&unsurel, "%s%s", unsurel.len ? ", " : "", label);
        } else {
            cr_evidence(res, label, "KEXINIT offers %zu key exchanges, %zu ciphers, %zu MACs; "
                        "none forbidden", ssh->kex.n, ssh->ciphers.n, ssh->macs.n);
        }
    }
    if (bad)
        cr_set(res, V_FAIL, "SSH offers forbidden algorithms or protocol 1 on %s.", badl.buf);
    else if (unsure)
        cr_set(res, V_INCONCLUSIVE, "The SSH algorithms of %s could not be read.", unsurel.buf);
    else if (nssh == 0 && r->scan.tcp_complete)
        cr_set(res, V_NOT_APPLICABLE, "No SSH service is open (complete TCP scan).");
    else if (nssh == 0)
        cr_set(res, V_INCONCLUSIVE, "No SSH service found, but the scan is incomplete: %s.",
               r->scan.why_incomplete);
    else if (!r->scan.tcp_complete)
        cr_set(res, V_INCONCLUSIVE, "The %d SSH service(s) found offer no forbidden algorithm, "
               "but the scan is incomplete: %s.", nssh, r->scan.why_incomplete);
    else
        cr_set(res, V_PASS, "Every SSH service (%d) speaks protocol 2 only and offers no "
               "forbidden algorithm.", nssh);
    sb_free(&badl);
    sb_free(&unsurel);
}

const struct probe probe_ssh_algorithms = {
    .name = "ssh.algorithms",
    .summary = "SSH KEXINIT algorithm lists, host keys and authentication methods",
    .rule = "For every service identified as SSH (any port), the server's own KEXINIT is read. "
            "FAIL when the identification announces protocol 1 (SSH-1.x, 1.99 included) or any "
            "offered key exchange, host key algorithm, cipher or MAC (either direction) matches "
            "a glob in forbid_kex, forbid_hostkey, forbid_ciphers or forbid_macs; the evidence "
            "names the port and the algorithms. Classes in `findings` (cbc, sha1-mac, sha1-kex, "
            "small-rsa) are reported as evidence, not failed. INCONCLUSIVE when a service's "
            "KEXINIT could not be read or the scan was incomplete; NOT_APPLICABLE when a "
            "complete scan found no SSH service; PASS only on parsed KEXINITs.",
    .flags = 0,
    .params = ssh_params,
    .gatherer = &gatherer_ssh,
    .judge = ssh_judge,
};
