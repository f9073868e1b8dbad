/*
 * facts_json.c - the typed fact families to JSON and back (facts_json.h; the
 * structs are harness/facts.h). One table lists the families, so a service's
 * facts are written, read and dropped by walking it; a family added to the
 * service gets a row here and nowhere else in the JSON paths.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts_json.h"
#include "starprobe.h"
#include "util.h"

/* ---- reading: one member of one object, with the error naming both ---- */

struct reader {
    const cJSON *o;
    const char *family;
    char *why;
    size_t whylen;
    int bad;
};

static const cJSON *member(struct reader *rd, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(rd->o, key);
}

static void wrong(struct reader *rd, const char *key, const char *want)
{
    if (!rd->bad)
        snprintf(rd->why, rd->whylen, "facts %s.%s: not %s", rd->family, key, want);
    rd->bad = 1;
}

/* A string member into *out (NULL when absent or null). */
static void read_str(struct reader *rd, const char *key, char **out)
{
    const cJSON *v = member(rd, key);

    *out = NULL;
    if (cJSON_IsString(v))
        *out = xstrdup(v->valuestring);
    else if (v && !cJSON_IsNull(v))
        wrong(rd, key, "a string");
}

/* The array of strings v (member key of rd's object) into *out; 1 when it is there. */
static int strv_of(struct reader *rd, const char *key, const cJSON *v, struct strv *out)
{
    const cJSON *it;

    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsArray(v)) {
        wrong(rd, key, "an array");
        return 1;
    }
    cJSON_ArrayForEach(it, v) {
        if (!cJSON_IsString(it)) {
            wrong(rd, key, "an array of strings");
            break;
        }
        strv_add(out, it->valuestring);
    }
    return 1;
}

static int read_strv(struct reader *rd, const char *key, struct strv *out)
{
    return strv_of(rd, key, member(rd, key), out);
}

/*
 * A number member that is a count (0 when absent or null). No bound of its
 * own: a gatherer may record any count a profile asks for, and a state that
 * does not load is a step lost whole. A double holds integers exactly up to
 * 2^53, and that is the most taken.
 */
#define COUNT_MAX 9007199254740992.0

static long count_of(struct reader *rd, const char *key, const cJSON *v)
{
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) || v->valuedouble > COUNT_MAX) {
        wrong(rd, key, "a count");
        return 0;
    }
    return (long)v->valuedouble;
}

static long read_count(struct reader *rd, const char *key)
{
    return count_of(rd, key, member(rd, key));
}

/*
 * A member that is one of names[] as its index; 0 when absent. names[0] is
 * NULL when 0 means "not recorded", or the word for the enum's 0 value.
 */
static int read_enum(struct reader *rd, const char *key, const char *const *names, size_t n)
{
    const cJSON *v = member(rd, key);

    if (!v || cJSON_IsNull(v))
        return 0;
    for (size_t i = 0; cJSON_IsString(v) && i < n; i++)
        if (names[i] && strcmp(v->valuestring, names[i]) == 0)
            return (int)i;
    wrong(rd, key, "one of the names it takes");
    return 0;
}

static int read_bool(struct reader *rd, const char *key)
{
    const cJSON *v = member(rd, key);

    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsBool(v))
        wrong(rd, key, "a boolean");
    return cJSON_IsTrue(v);
}

static void add_str(cJSON *o, const char *key, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, key, v);
}

static cJSON *strv_json(const struct strv *sv)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 0; i < sv->n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(sv->v[i]));
    return a;
}

/* ---- ssh ---- */

/* The KEXINIT lists, in report order. */
static const struct {
    const char *key;
    size_t off;
} ssh_lists[] = {
    {"kex", offsetof(struct ssh_facts, kex)},
    {"hostkey", offsetof(struct ssh_facts, hostkey)},
    {"ciphers", offsetof(struct ssh_facts, ciphers)},
    {"ciphers_s2c", offsetof(struct ssh_facts, ciphers_s2c)},
    {"macs", offsetof(struct ssh_facts, macs)},
    {"macs_s2c", offsetof(struct ssh_facts, macs_s2c)},
    {"compression", offsetof(struct ssh_facts, compression)},
};

#define SSH_LIST(f, i) ((struct strv *)((char *)(f) + ssh_lists[i].off))
#define SSH_LIST_C(f, i) ((const struct strv *)((const char *)(f) + ssh_lists[i].off))

/* Only the host keys of f, as the array services[].ssh.host_keys holds them. */
static cJSON *ssh_host_keys_json(const struct ssh_facts *f)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 0; i < f->nhost_keys; i++) {
        const struct ssh_host_key *k = &f->host_keys[i];
        cJSON *o = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "type", k->type);
        if (k->error) {
            cJSON_AddStringToObject(o, "error", k->error);
        } else {
            if (k->bits > 0)
                cJSON_AddNumberToObject(o, "bits", k->bits);
            else
                cJSON_AddNullToObject(o, "bits");
            if (k->sha256)
                cJSON_AddStringToObject(o, "sha256", k->sha256);
        }
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

cJSON *ssh_facts_json(const struct ssh_facts *f)
{
    cJSON *o = cJSON_CreateObject();

    if (f->error)
        cJSON_AddStringToObject(o, "error", f->error);
    if (f->banner)
        cJSON_AddStringToObject(o, "banner", f->banner);
    if (f->protocol)
        cJSON_AddStringToObject(o, "protocol", f->protocol);
    if (f->lines_before_banner > 0)
        cJSON_AddNumberToObject(o, "lines_before_banner", (double)f->lines_before_banner);
    if (f->has_kexinit)
        for (size_t i = 0; i < SP_ARRAY_LEN(ssh_lists); i++)
            cJSON_AddItemToObject(o, ssh_lists[i].key, strv_json(SSH_LIST_C(f, i)));
    if (f->keys_read)
        cJSON_AddItemToObject(o, "host_keys", ssh_host_keys_json(f));
    if (f->auth == SSH_AUTH_ANSWERED) {
        cJSON_AddItemToObject(o, "auth_methods", strv_json(&f->auth_methods));
        cJSON_AddBoolToObject(o, "auth_none_accepted", f->auth_none_accepted);
    } else if (f->auth == SSH_AUTH_NO_ANSWER) {
        cJSON_AddNullToObject(o, "auth_methods");
        if (f->auth_error)
            cJSON_AddStringToObject(o, "auth_error", f->auth_error);
    }
    return o;
}

static void ssh_keys_parse(struct reader *rd, struct ssh_facts *f)
{
    const cJSON *a = member(rd, "host_keys"), *it;
    char fam[64];

    if (!a || cJSON_IsNull(a))
        return;
    if (!cJSON_IsArray(a)) {
        wrong(rd, "host_keys", "an array");
        return;
    }
    f->keys_read = 1;
    snprintf(fam, sizeof(fam), "%s.host_keys[]", rd->family);
    cJSON_ArrayForEach(it, a) {
        struct reader k = {it, fam, rd->why, rd->whylen, rd->bad};
        char *type, *sha, *err;
        long bits;

        if (!cJSON_IsObject(it)) {
            wrong(rd, "host_keys", "an array of objects");
            return;
        }
        read_str(&k, "type", &type);
        read_str(&k, "sha256", &sha);
        read_str(&k, "error", &err);
        bits = read_count(&k, "bits");
        if (!k.bad && !type)
            wrong(&k, "type", "a string");
        if (!k.bad)
            ssh_facts_add_key(f, type, bits > 1 << 20 ? 1 << 20 : (int)bits, sha, err);
        free(type);
        free(sha);
        free(err);
        if (k.bad) {
            rd->bad = 1;
            return;
        }
    }
}

int ssh_facts_parse(const cJSON *o, struct ssh_facts *f, char *why, size_t whylen)
{
    struct reader rd = {o, "ssh", why, whylen, 0};
    const cJSON *none;

    ssh_facts_init(f);
    if (!cJSON_IsObject(o)) {
        snprintf(why, whylen, "facts ssh: not an object");
        return SP_ERR_PARSE;
    }
    read_str(&rd, "error", &f->error);
    read_str(&rd, "banner", &f->banner);
    read_str(&rd, "protocol", &f->protocol);
    f->lines_before_banner = read_count(&rd, "lines_before_banner");
    if (member(&rd, "kex") && !cJSON_IsNull(member(&rd, "kex"))) {
        f->has_kexinit = 1;
        for (size_t i = 0; i < SP_ARRAY_LEN(ssh_lists); i++)
            read_strv(&rd, ssh_lists[i].key, SSH_LIST(f, i));
    }
    ssh_keys_parse(&rd, f);
    none = member(&rd, "auth_none_accepted");
    if (cJSON_IsBool(none)) {
        f->auth = SSH_AUTH_ANSWERED;
        f->auth_none_accepted = cJSON_IsTrue(none);
        read_strv(&rd, "auth_methods", &f->auth_methods);
    } else if (none) {
        wrong(&rd, "auth_none_accepted", "a boolean");
    } else if (member(&rd, "auth_methods") || member(&rd, "auth_error")) {
        f->auth = SSH_AUTH_NO_ANSWER;
        read_str(&rd, "auth_error", &f->auth_error);
    }
    if (rd.bad) {
        ssh_facts_free(f);
        return SP_ERR_PARSE;
    }
    return 0;
}

/* ---- tls ---- */

static const char *const tls_outcome_names[] = {NULL, "accepted", "refused", "unknown"};
static const char *const tls_protocol_names[] = {NULL, "TLS", "DTLS"};
static const char *const tls_auth_names[] = {NULL, "none", "certificate", "psk", "certificate+psk"};
static const char *const tls_client_cert_names[] = {NULL, "requested", "not requested", "unknown"};
static const char *const tls_ca_names[] = {NULL, "chains", "does not chain", "error"};

static const char *tls_outcome_name(enum tls_outcome o)
{
    return (size_t)o < SP_ARRAY_LEN(tls_outcome_names) ? tls_outcome_names[o] : NULL;
}

/* A certificate: services[].tls.certificate, and the update server's. */
static cJSON *tls_cert_json(const struct tls_cert_facts *c)
{
    cJSON *o = cJSON_CreateObject();

    if (c->error) {
        cJSON_AddStringToObject(o, "error", c->error);
        add_str(o, "obtained_with", c->obtained_with);
        return o;
    }
    add_str(o, "subject", c->subject);
    add_str(o, "issuer", c->issuer);
    cJSON_AddItemToObject(o, "san", strv_json(&c->san));
    add_str(o, "key_type", c->key_type);
    add_str(o, "curve", c->curve);
    cJSON_AddNumberToObject(o, "key_bits", (double)c->key_bits);
    add_str(o, "signature_algorithm", c->signature_algorithm);
    add_str(o, "signature_hash", c->signature_hash);
    add_str(o, "not_before", c->not_before);
    add_str(o, "not_after", c->not_after);
    cJSON_AddBoolToObject(o, "expired", c->expired);
    cJSON_AddBoolToObject(o, "not_yet_valid", c->not_yet_valid);
    cJSON_AddBoolToObject(o, "self_signed", c->self_signed);
    cJSON_AddNumberToObject(o, "chain_length", (double)c->chain_length);
    add_str(o, "obtained_with", c->obtained_with);
    return o;
}

static void tls_cert_read(struct reader *rd, struct tls_cert_facts *c)
{
    tls_cert_facts_init(c);
    read_str(rd, "error", &c->error);
    read_str(rd, "subject", &c->subject);
    read_str(rd, "issuer", &c->issuer);
    read_strv(rd, "san", &c->san);
    read_str(rd, "key_type", &c->key_type);
    read_str(rd, "curve", &c->curve);
    c->key_bits = read_count(rd, "key_bits");
    read_str(rd, "signature_algorithm", &c->signature_algorithm);
    read_str(rd, "signature_hash", &c->signature_hash);
    read_str(rd, "not_before", &c->not_before);
    read_str(rd, "not_after", &c->not_after);
    c->expired = read_bool(rd, "expired");
    c->not_yet_valid = read_bool(rd, "not_yet_valid");
    c->self_signed = read_bool(rd, "self_signed");
    c->chain_length = read_count(rd, "chain_length");
    read_str(rd, "obtained_with", &c->obtained_with);
}

cJSON *tls_facts_json(const struct tls_facts *f)
{
    cJSON *o = cJSON_CreateObject(), *m;

    cJSON_AddItemToObject(o, "versions", strv_json(&f->versions));
    m = cJSON_AddObjectToObject(o, "ciphers");
    for (size_t i = 0; i < f->nciphers; i++)
        cJSON_AddItemToObject(m, f->ciphers[i].version, strv_json(&f->ciphers[i].suites));
    m = cJSON_AddObjectToObject(o, "results");
    for (size_t i = 0; i < f->nresults; i++) {
        const struct tls_version_result *v = &f->results[i];
        cJSON *rv = cJSON_AddObjectToObject(m, v->version);
        add_str(rv, "result", tls_outcome_name(v->result));
        add_str(rv, "detail", v->detail);
        add_str(rv, "ciphers_incomplete", v->ciphers_incomplete);
    }
    cJSON_AddItemToObject(o, "incomplete", strv_json(&f->incomplete));
    add_str(o, "protocol", tls_protocol_names[f->protocol]);
    add_str(o, "authentication", tls_auth_names[f->authentication]);
    if (f->certificate)
        cJSON_AddItemToObject(o, "certificate", tls_cert_json(f->certificate));
    add_str(o, "certificate_error", f->certificate_error);
    add_str(o, "client_certificate", tls_client_cert_names[f->client_certificate]);
    add_str(o, "client_certificate_detail", f->client_certificate_detail);
    if (f->declared_ca != TLS_CA_NONE) {
        m = cJSON_AddObjectToObject(o, "declared_ca");
        add_str(m, "ca_file", f->declared_ca_file);
        add_str(m, "result", tls_ca_names[f->declared_ca]);
        add_str(m, "detail", f->declared_ca_detail);
    }
    cJSON_AddNumberToObject(o, "handshakes", (double)f->handshakes);
    return o;
}

/* "ciphers": {version: [suite, …]} and "results": {version: {result, detail, …}}. */
static void tls_versions_read(struct reader *rd, struct tls_facts *f)
{
    const cJSON *m = member(rd, "ciphers"), *it;

    if (m && !cJSON_IsNull(m) && !cJSON_IsObject(m))
        wrong(rd, "ciphers", "an object");
    else
        cJSON_ArrayForEach(it, m) {
            struct reader v = {m, "tls.ciphers", rd->why, rd->whylen, rd->bad};
            struct strv *list = tls_facts_suites(f, it->string);
            strv_free(list);        /* a version given twice: the last list holds */
            strv_of(&v, it->string, it, list);
            rd->bad |= v.bad;
        }
    m = member(rd, "results");
    if (m && !cJSON_IsNull(m) && !cJSON_IsObject(m))
        wrong(rd, "results", "an object");
    else
        cJSON_ArrayForEach(it, m) {
            struct reader v = {it, "tls.results[]", rd->why, rd->whylen, rd->bad};
            struct tls_version_result *res;

            if (!cJSON_IsObject(it)) {
                wrong(rd, "results", "an object of objects");
                break;
            }
            res = tls_facts_add_result(f, it->string, TLS_OUTCOME_NONE, NULL);
            res->result = (enum tls_outcome)read_enum(&v, "result", tls_outcome_names,
                                                      SP_ARRAY_LEN(tls_outcome_names));
            read_str(&v, "detail", &res->detail);
            read_str(&v, "ciphers_incomplete", &res->ciphers_incomplete);
            rd->bad |= v.bad;
        }
}

int tls_facts_parse(const cJSON *o, struct tls_facts *f, char *why, size_t whylen)
{
    struct reader rd = {o, "tls", why, whylen, 0};
    const cJSON *m;

    tls_facts_init(f);
    if (!cJSON_IsObject(o)) {
        snprintf(why, whylen, "facts tls: not an object");
        return SP_ERR_PARSE;
    }
    read_strv(&rd, "versions", &f->versions);
    tls_versions_read(&rd, f);
    read_strv(&rd, "incomplete", &f->incomplete);
    f->protocol = (enum tls_protocol)read_enum(&rd, "protocol", tls_protocol_names,
                                               SP_ARRAY_LEN(tls_protocol_names));
    f->authentication = (enum tls_auth)read_enum(&rd, "authentication", tls_auth_names,
                                                 SP_ARRAY_LEN(tls_auth_names));
    m = member(&rd, "certificate");
    if (cJSON_IsObject(m)) {
        struct reader c = {m, "tls.certificate", why, whylen, rd.bad};
        f->certificate = xmalloc(sizeof(*f->certificate));
        tls_cert_read(&c, f->certificate);
        rd.bad |= c.bad;
    } else if (m && !cJSON_IsNull(m)) {
        wrong(&rd, "certificate", "an object");
    }
    read_str(&rd, "certificate_error", &f->certificate_error);
    f->client_certificate = (enum tls_client_cert)read_enum(
        &rd, "client_certificate", tls_client_cert_names, SP_ARRAY_LEN(tls_client_cert_names));
    read_str(&rd, "client_certificate_detail", &f->client_certificate_detail);
    m = member(&rd, "declared_ca");
    if (cJSON_IsObject(m)) {
        struct reader c = {m, "tls.declared_ca", why, whylen, rd.bad};
        read_str(&c, "ca_file", &f->declared_ca_file);
        f->declared_ca = (enum tls_ca_result)read_enum(&c, "result", tls_ca_names,
                                                       SP_ARRAY_LEN(tls_ca_names));
        read_str(&c, "detail", &f->declared_ca_detail);
        rd.bad |= c.bad;
    } else if (m && !cJSON_IsNull(m)) {
        wrong(&rd, "declared_ca", "an object");
    }
    f->handshakes = read_count(&rd, "handshakes");
    if (rd.bad) {
        tls_facts_free(f);
        return SP_ERR_PARSE;
    }
    return 0;
}

/* ---- login ---- */

static const char *const login_mode_names[] = {"unknown", "password", "none", "open"};
static const char *const login_sweep_names[] = {NULL, "budget", "rounds"};

const char *login_mode_name(enum login_mode m)
{
    return (size_t)m < SP_ARRAY_LEN(login_mode_names) ? login_mode_names[m] : "unknown";
}

/* A form login: in services[].login and services[].bruteforce. */
static cJSON *login_form_json(const struct login_form_facts *f)
{
    cJSON *o = cJSON_CreateObject();

    add_str(o, "start", f->start);
    add_str(o, "page", f->page);
    add_str(o, "action", f->action);
    cJSON_AddStringToObject(o, "method", f->post ? "POST" : "GET");
    add_str(o, "user_field", f->user_field);
    add_str(o, "password_field", f->password_field);
    add_str(o, "hidden", f->hidden);
    cJSON_AddBoolToObject(o, "tls", f->tls);
    return o;
}

/* The member "form" of rd's object, when there is one. */
static struct login_form_facts *login_form_read(struct reader *rd)
{
    const cJSON *m = member(rd, "form");
    struct reader fr = {m, "form", rd->why, rd->whylen, rd->bad};
    struct login_form_facts *f;
    char *method;

    if (!m || cJSON_IsNull(m))
        return NULL;
    if (!cJSON_IsObject(m)) {
        wrong(rd, "form", "an object");
        return NULL;
    }
    f = xcalloc(1, sizeof(*f));
    read_str(&fr, "start", &f->start);
    read_str(&fr, "page", &f->page);
    read_str(&fr, "action", &f->action);
    read_str(&fr, "method", &method);
    f->post = method && strcmp(method, "POST") == 0;
    free(method);
    read_str(&fr, "user_field", &f->user_field);
    read_str(&fr, "password_field", &f->password_field);
    read_str(&fr, "hidden", &f->hidden);
    f->tls = read_bool(&fr, "tls");
    rd->bad |= fr.bad;
    return f;
}

cJSON *login_facts_json(const struct login_facts *f)
{
    cJSON *o = cJSON_CreateObject();

    add_str(o, "protocol", f->protocol);
    cJSON_AddStringToObject(o, "auth", login_mode_name(f->auth));
    add_str(o, "how", f->how);
    add_str(o, "path", f->path);
    add_str(o, "scheme", f->scheme);
    if (f->form)
        cJSON_AddItemToObject(o, "form", login_form_json(f->form));
    cJSON_AddNumberToObject(o, "planned", (double)f->planned);
    cJSON_AddNumberToObject(o, "attempts", (double)f->attempts);
    cJSON_AddNumberToObject(o, "rejected", (double)f->rejected);
    cJSON_AddNumberToObject(o, "errors", (double)f->errors);
    cJSON_AddBoolToObject(o, "locked", f->locked);
    cJSON_AddNumberToObject(o, "max_attempts_per_account", (double)f->max_attempts_per_account);
    cJSON_AddNumberToObject(o, "most_attempts_one_account", (double)f->most_attempts_one_account);
    add_str(o, "cut_by_budget", f->cut_by_budget);
    add_str(o, "sweep", login_sweep_names[f->sweep]);
    cJSON_AddNumberToObject(o, "in_flight", (double)f->in_flight);
    if (f->in_rounds) {
        cJSON *pa = cJSON_AddObjectToObject(o, "per_account");
        for (size_t i = 0; i < f->naccounts; i++)
            cJSON_AddNumberToObject(pa, f->per_account[i].user, (double)f->per_account[i].attempts);
        cJSON_AddNumberToObject(o, "rounds", (double)f->rounds);
        cJSON_AddNumberToObject(o, "rounds_done", (double)f->rounds_done);
        add_str(o, "test_account", f->test_account);
        add_str(o, "stopped", f->stopped);
    }
    add_str(o, "first_error", f->first_error);
    if (f->found) {
        cJSON *fd = cJSON_AddObjectToObject(o, "found");
        add_str(fd, "user", f->found_user);
        add_str(fd, "password", f->found_password);
        add_str(fd, "transcript", f->found_transcript);
    }
    return o;
}

int login_facts_parse(const cJSON *o, struct login_facts *f, char *why, size_t whylen)
{
    struct reader rd = {o, "login", why, whylen, 0};
    const cJSON *m;

    login_facts_init(f);
    if (!cJSON_IsObject(o)) {
        snprintf(why, whylen, "facts login: not an object");
        return SP_ERR_PARSE;
    }
    read_str(&rd, "protocol", &f->protocol);
    f->auth = (enum login_mode)read_enum(&rd, "auth", login_mode_names, SP_ARRAY_LEN(login_mode_names));
    read_str(&rd, "how", &f->how);
    read_str(&rd, "path", &f->path);
    read_str(&rd, "scheme", &f->scheme);
    f->form = login_form_read(&rd);
    f->planned = read_count(&rd, "planned");
    f->attempts = read_count(&rd, "attempts");
    f->rejected = read_count(&rd, "rejected");
    f->errors = read_count(&rd, "errors");
    f->locked = read_bool(&rd, "locked");
    f->max_attempts_per_account = read_count(&rd, "max_attempts_per_account");
    f->most_attempts_one_account = read_count(&rd, "most_attempts_one_account");
    read_str(&rd, "cut_by_budget", &f->cut_by_budget);
    f->sweep = (enum login_sweep)read_enum(&rd, "sweep", login_sweep_names, SP_ARRAY_LEN(login_sweep_names));
    f->in_flight = read_count(&rd, "in_flight");
    m = member(&rd, "per_account");
    if (cJSON_IsObject(m)) {
        const cJSON *it;
        f->in_rounds = 1;
        cJSON_ArrayForEach(it, m) {
            struct reader pr = {m, "login.per_account", why, whylen, rd.bad};
            long n = count_of(&pr, it->string, it);
            rd.bad |= pr.bad;
            login_facts_count(f, it->string);
            for (size_t k = 0; k < f->naccounts; k++)    /* a name given twice: the last holds */
                if (strcmp(f->per_account[k].user, it->string) == 0)
                    f->per_account[k].attempts = n;
        }
        f->rounds = read_count(&rd, "rounds");
        f->rounds_done = read_count(&rd, "rounds_done");
        read_str(&rd, "test_account", &f->test_account);
        read_str(&rd, "stopped", &f->stopped);
    } else if (m && !cJSON_IsNull(m)) {
        wrong(&rd, "per_account", "an object");
    }
    read_str(&rd, "first_error", &f->first_error);
    m = member(&rd, "found");
    if (cJSON_IsObject(m)) {
        struct reader fr = {m, "login.found", why, whylen, rd.bad};
        f->found = 1;
        read_str(&fr, "user", &f->found_user);
        read_str(&fr, "password", &f->found_password);
        read_str(&fr, "transcript", &f->found_transcript);
        rd.bad |= fr.bad;
    } else if (m && !cJSON_IsNull(m)) {
        wrong(&rd, "found", "an object");
    }
    if (rd.bad) {
        login_facts_free(f);
        return SP_ERR_PARSE;
    }
    return 0;
}

/* ---- bruteforce ---- */

cJSON *bruteforce_facts_json(const struct bruteforce_facts *f)
{
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "attempts");

    add_str(o, "user", f->user);
    cJSON_AddStringToObject(o, "auth", login_mode_name(f->auth));
    add_str(o, "how", f->how);
    add_str(o, "scheme", f->scheme);
    if (f->form)
        cJSON_AddItemToObject(o, "form", login_form_json(f->form));
    for (size_t i = 0; i < f->nattempts; i++) {
        cJSON *a = cJSON_CreateObject();
        cJSON_AddNumberToObject(a, "n", (double)f->attempts[i].n);
        cJSON_AddNumberToObject(a, "ms", (double)f->attempts[i].ms);
        add_str(a, "status", f->attempts[i].status);
        cJSON_AddItemToArray(arr, a);
    }
    add_str(o, "before", f->before);
    if (f->final) {
        cJSON_AddStringToObject(o, "final", f->final);
        cJSON_AddNumberToObject(o, "final_ms", (double)f->final_ms);
    }
    add_str(o, "note", f->note);
    add_str(o, "first_reply", f->first_reply);
    return o;
}

int bruteforce_facts_parse(const cJSON *o, struct bruteforce_facts *f, char *why, size_t whylen)
{
    struct reader rd = {o, "bruteforce", why, whylen, 0};
    const cJSON *a, *it;

    bruteforce_facts_init(f);
    if (!cJSON_IsObject(o)) {
        snprintf(why, whylen, "facts bruteforce: not an object");
        return SP_ERR_PARSE;
    }
    read_str(&rd, "user", &f->user);
    f->auth = (enum login_mode)read_enum(&rd, "auth", login_mode_names, SP_ARRAY_LEN(login_mode_names));
    read_str(&rd, "how", &f->how);
    read_str(&rd, "scheme", &f->scheme);
    f->form = login_form_read(&rd);
    a = member(&rd, "attempts");
    if (a && !cJSON_IsNull(a) && !cJSON_IsArray(a))
        wrong(&rd, "attempts", "an array");
    else
        cJSON_ArrayForEach(it, a) {
            struct reader ar = {it, "bruteforce.attempts[]", why, whylen, rd.bad};
            char *st;
            long n, ms;
            if (!cJSON_IsObject(it)) {
                wrong(&rd, "attempts", "an array of objects");
                break;
            }
            n = read_count(&ar, "n");
            ms = read_count(&ar, "ms");
            read_str(&ar, "status", &st);
            rd.bad |= ar.bad;
            bruteforce_facts_add(f, n, ms, st);
            free(st);
        }
    read_str(&rd, "before", &f->before);
    read_str(&rd, "final", &f->final);
    f->final_ms = read_count(&rd, "final_ms");
    read_str(&rd, "note", &f->note);
    read_str(&rd, "first_reply", &f->first_reply);
    if (rd.bad) {
        bruteforce_facts_free(f);
        return SP_ERR_PARSE;
    }
    return 0;
}

/* ---- unauth ---- */

cJSON *unauth_facts_json(const struct unauth_facts *f)
{
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "items");

    for (size_t i = 0; i < f->nitems; i++) {
        const struct unauth_item_facts *it = &f->items[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "kind", it->kind);
        cJSON_AddStringToObject(e, "item", it->item);
        cJSON_AddStringToObject(e, "result", it->result);
        cJSON_AddStringToObject(e, "detail", it->detail);
        add_str(e, "final_path", it->final_path);
        cJSON_AddItemToArray(arr, e);
    }
    return o;
}

int unauth_facts_parse(const cJSON *o, struct unauth_facts *f, char *why, size_t whylen)
{
    struct reader rd = {o, "unauth", why, whylen, 0};
    const cJSON *a, *it;

    unauth_facts_init(f);
    if (!cJSON_IsObject(o)) {
        snprintf(why, whylen, "facts unauth: not an object");
        return SP_ERR_PARSE;
    }
    a = member(&rd, "items");
    if (a && !cJSON_IsNull(a) && !cJSON_IsArray(a))
        wrong(&rd, "items", "an array");
    else
        cJSON_ArrayForEach(it, a) {
            struct reader ir = {it, "unauth.items[]", why, whylen, rd.bad};
            static const char *const keys[] = {"kind", "item", "result", "detail"};
            char *v[4], *fin;
            if (!cJSON_IsObject(it)) {
                wrong(&rd, "items", "an array of objects");
                break;
            }
            for (size_t k = 0; k < 4; k++) {
                read_str(&ir, keys[k], &v[k]);
                if (!v[k])
                    wrong(&ir, keys[k], "a string");
            }
            read_str(&ir, "final_path", &fin);
            if (!ir.bad)
                unauth_facts_add(f, v[0], v[1], v[2], v[3])->final_path = fin;
            else
                free(fin);
            for (size_t k = 0; k < 4; k++)
                free(v[k]);
            rd.bad |= ir.bad;
        }
    if (rd.bad) {
        unauth_facts_free(f);
        return SP_ERR_PARSE;
    }
    return 0;
}

/* ---- robust ---- */

static cJSON *robust_flood_json(const struct robust_flood_facts *f)
{
    cJSON *o = cJSON_CreateObject();

    if (f->saturated)
        cJSON_AddBoolToObject(o, "saturated", 1);
    if (f->window_ended)
        cJSON_AddBoolToObject(o, "window_ended", 1);
    cJSON_AddNumberToObject(o, "asked", (double)f->asked);
    cJSON_AddNumberToObject(o, "opened", (double)f->opened);
    cJSON_AddNumberToObject(o, "refused", (double)f->refused);
    cJSON_AddNumberToObject(o, "failed", (double)f->failed);
    if (f->capped)
        cJSON_AddNumberToObject(o, "capped_by_fd_limit", (double)f->capped_by_fd_limit);
    cJSON_AddNumberToObject(o, "held_ms", (double)f->held_ms);
    if (f->recovered) {
        cJSON_AddNumberToObject(o, "recovered_ms", (double)f->recovered_ms);
    } else {
        cJSON_AddBoolToObject(o, "not_recovered", 1);
        cJSON_AddNumberToObject(o, "waited_ms", (double)f->waited_ms);
        add_str(o, "why", f->why);
    }
    return o;
}

cJSON *robust_facts_json(const struct robust_facts *f)
{
    cJSON *o = cJSON_CreateObject();

    add_str(o, "set", f->set);
    add_str(o, "result", f->result);
    add_str(o, "why", f->why);
    add_str(o, "baseline", f->baseline);
    if (f->has_cases) {
        cJSON *arr = cJSON_AddArrayToObject(o, "cases");
        for (size_t i = 0; i < f->ncases; i++) {
            const struct robust_case_facts *c = &f->cases[i];
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "input", c->input);
            cJSON_AddNumberToObject(e, "variant", (double)c->variant);
            cJSON_AddNumberToObject(e, "sent", (double)c->sent);
            cJSON_AddStringToObject(e, "reaction", c->reaction);
            cJSON_AddBoolToObject(e, "answered", c->answered);
            cJSON_AddItemToArray(arr, e);
        }
    }
    if (f->failed_input) {
        cJSON_AddStringToObject(o, "failed_input", f->failed_input);
        if (f->failed_variant >= 0)
            cJSON_AddNumberToObject(o, "failed_variant", (double)f->failed_variant);
        add_str(o, "after", f->after);
        cJSON_AddBoolToObject(o, "port_closed", f->port_closed);
    }
    if (f->counted) {
        cJSON_AddNumberToObject(o, "rounds", (double)f->rounds);
        cJSON_AddNumberToObject(o, "inputs", (double)f->inputs);
        cJSON_AddBoolToObject(o, "long_campaign", f->long_campaign);
    }
    if (f->flood)
        cJSON_AddItemToObject(o, "flood", robust_flood_json(f->flood));
    if (f->checked_at_end)
        cJSON_AddBoolToObject(o, "answered_at_end", f->answered_at_end);
    return o;
}

static void robust_flood_read(struct reader *rd, struct robust_flood_facts *f)
{
    f->saturated = read_bool(rd, "saturated");
    f->window_ended = read_bool(rd, "window_ended");
    f->asked = read_count(rd, "asked");
    f->opened = read_count(rd, "opened");
    f->refused = read_count(rd, "refused");
    f->failed = read_count(rd, "failed");
    f->capped = member(rd, "capped_by_fd_limit") && !cJSON_IsNull(member(rd, "capped_by_fd_limit"));
    f->capped_by_fd_limit = read_count(rd, "capped_by_fd_limit");
    f->held_ms = read_count(rd, "held_ms");
    /* Recovered only on the record of it: neither member is no recovery. */
    f->recovered = member(rd, "recovered_ms") != NULL && !read_bool(rd, "not_recovered");
    f->recovered_ms = read_count(rd, "recovered_ms");
    f->waited_ms = read_count(rd, "waited_ms");
    read_str(rd, "why", &f->why);
}

int robust_facts_parse(const cJSON *o, struct robust_facts *f, char *why, size_t whylen)
{
    struct reader rd = {o, "robust", why, whylen, 0};
    const cJSON *m, *it;

    robust_facts_init(f);
    if (!cJSON_IsObject(o)) {
        snprintf(why, whylen, "facts robust: not an object");
        return SP_ERR_PARSE;
    }
    read_str(&rd, "set", &f->set);
    read_str(&rd, "result", &f->result);
    read_str(&rd, "why", &f->why);
    read_str(&rd, "baseline", &f->baseline);
    m = member(&rd, "cases");
    if (m && !cJSON_IsNull(m) && !cJSON_IsArray(m)) {
        wrong(&rd, "cases", "an array");
    } else if (cJSON_IsArray(m)) {
        f->has_cases = 1;
        cJSON_ArrayForEach(it, m) {
            struct reader cr = {it, "robust.cases[]", why, whylen, rd.bad};
            char *input, *reaction;
            long variant, sent;
            int answered;
            if (!cJSON_IsObject(it)) {
                wrong(&rd, "cases", "an array of objects");
                break;
            }
            read_str(&cr, "input", &input);
            variant = read_count(&cr, "variant");
            sent = read_count(&cr, "sent");
            read_str(&cr, "reaction", &reaction);
            answered = read_bool(&cr, "answered");
            robust_facts_add_case(f, input, variant, sent, reaction, answered);
            free(input);
            free(reaction);
            rd.bad |= cr.bad;
        }
    }
    read_str(&rd, "failed_input", &f->failed_input);
    if (member(&rd, "failed_variant") && !cJSON_IsNull(member(&rd, "failed_variant")))
        f->failed_variant = read_count(&rd, "failed_variant");
    read_str(&rd, "after", &f->after);
    f->port_closed = read_bool(&rd, "port_closed");
    if (member(&rd, "rounds")) {
        f->counted = 1;
        f->rounds = read_count(&rd, "rounds");
        f->inputs = read_count(&rd, "inputs");
        f->long_campaign = read_bool(&rd, "long_campaign");
    }
    m = member(&rd, "flood");
    if (cJSON_IsObject(m)) {
        struct reader fr = {m, "robust.flood", why, whylen, rd.bad};
        f->flood = xcalloc(1, sizeof(*f->flood));
        robust_flood_read(&fr, f->flood);
        rd.bad |= fr.bad;
    } else if (m && !cJSON_IsNull(m)) {
        wrong(&rd, "flood", "an object");
    }
    if (member(&rd, "answered_at_end")) {
        f->checked_at_end = 1;
        f->answered_at_end = read_bool(&rd, "answered_at_end");
    }
    if (rd.bad) {
        robust_facts_free(f);
        return SP_ERR_PARSE;
    }
    return 0;
}

/* ---- compare ---- */

static cJSON *compare_unit_json(const struct compare_unit_facts *u)
{
    cJSON *o = cJSON_CreateObject();

    add_str(o, "error", u->error);
    if (u->has_keys)
        cJSON_AddItemToObject(o, "host_keys", ssh_host_keys_json(&u->keys));
    add_str(o, "certificate_sha256", u->certificate_sha256);
    add_str(o, "public_key_sha256", u->public_key_sha256);
    add_str(o, "subject", u->subject);
    return o;
}

cJSON *compare_facts_json(const struct compare_facts *f)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "kind", f->ssh ? "ssh" : "tls");
    cJSON_AddItemToObject(o, "unit1", compare_unit_json(&f->unit1));
    cJSON_AddItemToObject(o, "unit2", compare_unit_json(&f->unit2));
    return o;
}

static void compare_unit_read(struct reader *rd, const char *key, const char *family,
                              struct compare_unit_facts *u)
{
    const cJSON *m = member(rd, key);
    struct reader ur = {m, family, rd->why, rd->whylen, rd->bad};

    if (!m || cJSON_IsNull(m))
        return;
    if (!cJSON_IsObject(m)) {
        wrong(rd, key, "an object");
        return;
    }
    read_str(&ur, "error", &u->error);
    ssh_keys_parse(&ur, &u->keys);
    u->has_keys = u->keys.keys_read;
    read_str(&ur, "certificate_sha256", &u->certificate_sha256);
    read_str(&ur, "public_key_sha256", &u->public_key_sha256);
    read_str(&ur, "subject", &u->subject);
    rd->bad |= ur.bad;
}

static const char *const compare_kind_names[] = {"tls", "ssh"};

int compare_facts_parse(const cJSON *o, struct compare_facts *f, char *why, size_t whylen)
{
    struct reader rd = {o, "compare", why, whylen, 0};

    compare_facts_init(f);
    if (!cJSON_IsObject(o)) {
        snprintf(why, whylen, "facts compare: not an object");
        return SP_ERR_PARSE;
    }
    f->ssh = read_enum(&rd, "kind", compare_kind_names, SP_ARRAY_LEN(compare_kind_names));
    compare_unit_read(&rd, "unit1", "compare.unit1", &f->unit1);
    compare_unit_read(&rd, "unit2", "compare.unit2", &f->unit2);
    if (rd.bad) {
        compare_facts_free(f);
        return SP_ERR_PARSE;
    }
    return 0;
}

/* ---- http, snmp ---- */

cJSON *http_facts_json(const struct http_facts *f)
{
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "unauthenticated");

    for (size_t i = 0; i < f->nopen; i++) {
        cJSON *e = cJSON_CreateObject();
        add_str(e, "path", f->unauthenticated[i].path);
        add_str(e, "final_path", f->unauthenticated[i].final_path);
        cJSON_AddNumberToObject(e, "status", (double)f->unauthenticated[i].status);
        cJSON_AddItemToArray(arr, e);
    }
    if (f->probed)
        cJSON_AddNumberToObject(o, "soft_404_status", (double)f->soft_404_status);
    add_str(o, "server", f->server);
    add_str(o, "x_powered_by", f->x_powered_by);
    if (f->onvif) {
        cJSON *v = cJSON_AddObjectToObject(o, "onvif");
        add_str(v, "path", f->onvif->path);
        add_str(v, "GetDeviceInformation", f->onvif->device_information);
        add_str(v, "GetUsers", f->onvif->users);
        add_str(v, "error", f->onvif->error);
        add_str(v, "not_onvif", f->onvif->not_onvif);
    }
    return o;
}

int http_facts_parse(const cJSON *o, struct http_facts *f, char *why, size_t whylen)
{
    struct reader rd = {o, "http", why, whylen, 0};
    const cJSON *a, *it;

    http_facts_init(f);
    if (!cJSON_IsObject(o)) {
        snprintf(why, whylen, "facts http: not an object");
        return SP_ERR_PARSE;
    }
    a = member(&rd, "unauthenticated");
    if (a && !cJSON_IsNull(a) && !cJSON_IsArray(a))
        wrong(&rd, "unauthenticated", "an array");
    else
        cJSON_ArrayForEach(it, a) {
            struct reader pr = {it, "http.unauthenticated[]", why, whylen, rd.bad};
            char *path, *fin;
            if (!cJSON_IsObject(it)) {
                wrong(&rd, "unauthenticated", "an array of objects");
                break;
            }
            read_str(&pr, "path", &path);
            read_str(&pr, "final_path", &fin);
            http_facts_add_open(f, path, fin, read_count(&pr, "status"));
            free(path);
            free(fin);
            rd.bad |= pr.bad;
        }
    if (member(&rd, "soft_404_status") && !cJSON_IsNull(member(&rd, "soft_404_status"))) {
        f->probed = 1;
        f->soft_404_status = read_count(&rd, "soft_404_status");
    }
    read_str(&rd, "server", &f->server);
    read_str(&rd, "x_powered_by", &f->x_powered_by);
    a = member(&rd, "onvif");
    if (cJSON_IsObject(a)) {
        struct reader vr = {a, "http.onvif", why, whylen, rd.bad};
        f->onvif = xcalloc(1, sizeof(*f->onvif));
        read_str(&vr, "path", &f->onvif->path);
        read_str(&vr, "GetDeviceInformation", &f->onvif->device_information);
        read_str(&vr, "GetUsers", &f->onvif->users);
        read_str(&vr, "error", &f->onvif->error);
        read_str(&vr, "not_onvif", &f->onvif->not_onvif);
        rd.bad |= vr.bad;
    } else if (a && !cJSON_IsNull(a)) {
        wrong(&rd, "onvif", "an object");
    }
    if (rd.bad) {
        http_facts_free(f);
        return SP_ERR_PARSE;
    }
    return 0;
}

cJSON *snmp_facts_json(const struct snmp_facts *f)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddItemToObject(o, "communities", strv_json(&f->communities));
    add_str(o, "sysDescr", f->sys_descr);
    return o;
}

int snmp_facts_parse(const cJSON *o, struct snmp_facts *f, char *why, size_t whylen)
{
    struct reader rd = {o, "snmp", why, whylen, 0};

    snmp_facts_init(f);
    if (!cJSON_IsObject(o)) {
        snprintf(why, whylen, "facts snmp: not an object");
        return SP_ERR_PARSE;
    }
    read_strv(&rd, "communities", &f->communities);
    read_str(&rd, "sysDescr", &f->sys_descr);
    if (rd.bad) {
        snmp_facts_free(f);
        return SP_ERR_PARSE;
    }
    return 0;
}

/* ---- the other protocols' own facts ---- */

/*
 * The flat families are written and read through a table of their members:
 * each a string (absent when NULL), a boolean, a count, a list of strings or
 * of numbers. has: the offset of the int that says the member was recorded
 * (HAS_ALWAYS: it always is). A boolean whose has is its own offset is
 * written only when true.
 */
enum field_type { F_STR, F_BOOL, F_LONG, F_STRV, F_LONGV };
#define HAS_ALWAYS ((size_t)-1)

struct field {
    const char *key;
    enum field_type type;
    size_t off;
    size_t has;
};

#define AT(p, off, type) ((type *)((char *)(p) + (off)))
#define AT_C(p, off, type) ((const type *)((const char *)(p) + (off)))

static cJSON *fields_json(const void *f, const struct field *fl, size_t n)
{
    cJSON *o = cJSON_CreateObject();

    for (size_t i = 0; i < n; i++) {
        const struct field *d = &fl[i];
        if (d->type != F_STR && d->has != HAS_ALWAYS && !*AT_C(f, d->has, int))
            continue;
        switch (d->type) {
        case F_STR:
            add_str(o, d->key, *AT_C(f, d->off, char *));
            break;
        case F_BOOL:
            cJSON_AddBoolToObject(o, d->key, *AT_C(f, d->off, int));
            break;
        case F_LONG:
            cJSON_AddNumberToObject(o, d->key, (double)*AT_C(f, d->off, long));
            break;
        case F_STRV:
            cJSON_AddItemToObject(o, d->key, strv_json(AT_C(f, d->off, struct strv)));
            break;
        case F_LONGV: {
            const struct longv *lv = AT_C(f, d->off, struct longv);
            cJSON *a = cJSON_AddArrayToObject(o, d->key);
            for (size_t k = 0; k < lv->n; k++)
                cJSON_AddItemToArray(a, cJSON_CreateNumber((double)lv->v[k]));
            break;
        }
        }
    }
    return o;
}

static void fields_read(struct reader *rd, void *f, const struct field *fl, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct field *d = &fl[i];
        const cJSON *v = member(rd, d->key), *it;
        if (!v || cJSON_IsNull(v))
            continue;
        if (d->type != F_STR && d->has != HAS_ALWAYS)
            *AT(f, d->has, int) = 1;
        switch (d->type) {
        case F_STR:
            read_str(rd, d->key, AT(f, d->off, char *));
            break;
        case F_BOOL:
            *AT(f, d->off, int) = read_bool(rd, d->key);
            break;
        case F_LONG:
            *AT(f, d->off, long) = read_count(rd, d->key);
            break;
        case F_STRV:
            read_strv(rd, d->key, AT(f, d->off, struct strv));
            break;
        case F_LONGV:
            if (!cJSON_IsArray(v)) {
                wrong(rd, d->key, "an array");
                break;
            }
            cJSON_ArrayForEach(it, v) {
                long x = count_of(rd, d->key, it);
                if (rd->bad)
                    break;
                longv_add(AT(f, d->off, struct longv), x);
            }
            break;
        }
    }
}

/* family_facts_json and family_facts_parse for a flat family, from its table. */
#define FLAT_FAMILY(family, table)                                                               \
    cJSON *family##_facts_json(const struct family##_facts *f)                                   \
    {                                                                                            \
        return fields_json(f, table, SP_ARRAY_LEN(table));                                       \
    }                                                                                            \
    int family##_facts_parse(const cJSON *o, struct family##_facts *f, char *why, size_t whylen) \
    {                                                                                            \
        struct reader rd = {o, #family, why, whylen, 0};                                         \
        family##_facts_init(f);                                                                  \
        if (!cJSON_IsObject(o)) {                                                                \
            snprintf(why, whylen, "facts %s: not an object", #family);                           \
            return SP_ERR_PARSE;                                                                 \
        }                                                                                        \
        fields_read(&rd, f, table, SP_ARRAY_LEN(table));                                         \
        if (rd.bad) {                                                                            \
            family##_facts_free(f);                                                              \
            return SP_ERR_PARSE;                                                                 \
        }                                                                                        \
        return 0;                                                                                \
    }

#define OFF(family, m) offsetof(struct family##_facts, m)

static const struct field ftp_fields[] = {
    {"anonymous", F_BOOL, OFF(ftp, anonymous), OFF(ftp, asked)},
};
static const struct field adb_fields[] = {
    {"open", F_BOOL, OFF(adb, open), OFF(adb, answered)},
    {"banner", F_STR, OFF(adb, banner), HAS_ALWAYS},
};
static const struct field tftp_fields[] = {
    {"served", F_STRV, OFF(tftp, served), HAS_ALWAYS},
};
static const struct field rtsp_fields[] = {
    {"open_paths", F_STRV, OFF(rtsp, open_paths), HAS_ALWAYS},
    {"options_status", F_LONG, OFF(rtsp, options_status), OFF(rtsp, asked_options)},
    {"public", F_STR, OFF(rtsp, public_methods), HAS_ALWAYS},
};
static const struct field mqtt_fields[] = {
    {"anonymous", F_BOOL, OFF(mqtt, anonymous), OFF(mqtt, answered)},
    {"connack_code", F_LONG, OFF(mqtt, connack_code), OFF(mqtt, answered)},
    {"suback", F_STR, OFF(mqtt, suback), HAS_ALWAYS},
    {"topics", F_STRV, OFF(mqtt, topics), HAS_ALWAYS},
};
static const struct field coap_fields[] = {
    {"transport", F_STR, OFF(coap, transport), HAS_ALWAYS},
    {"anonymous_handshake", F_BOOL, OFF(coap, anonymous_handshake), OFF(coap, handshake_tried)},
    {"resources", F_STRV, OFF(coap, resources), OFF(coap, listed)},
    {"open", F_STRV, OFF(coap, open), OFF(coap, listed)},
    {"discovery_bytes", F_LONG, OFF(coap, discovery_bytes), OFF(coap, discovered)},
    {"discovery_blocks", F_LONG, OFF(coap, discovery_blocks), OFF(coap, discovered)},
    {"discovery_truncated", F_BOOL, OFF(coap, discovery_truncated), OFF(coap, discovery_truncated)},
};
static const struct field vnc_fields[] = {
    {"rfb_major", F_LONG, OFF(vnc, rfb_major), OFF(vnc, has_version)},
    {"rfb_minor", F_LONG, OFF(vnc, rfb_minor), OFF(vnc, has_version)},
    {"security_types", F_LONGV, OFF(vnc, security_types), OFF(vnc, has_types)},
    {"vencrypt_subtypes", F_LONGV, OFF(vnc, vencrypt_subtypes), OFF(vnc, has_vencrypt)},
    {"tight_auth", F_LONGV, OFF(vnc, tight_auth), OFF(vnc, has_tight)},
    {"no_authentication", F_BOOL, OFF(vnc, no_authentication), OFF(vnc, decided)},
};

FLAT_FAMILY(ftp, ftp_fields)
FLAT_FAMILY(adb, adb_fields)
FLAT_FAMILY(tftp, tftp_fields)
FLAT_FAMILY(rtsp, rtsp_fields)
FLAT_FAMILY(mqtt, mqtt_fields)
FLAT_FAMILY(coap, coap_fields)
FLAT_FAMILY(vnc, vnc_fields)

cJSON *upnp_facts_json(const struct upnp_facts *f)
{
    cJSON *o = cJSON_CreateObject(), *devs = cJSON_AddArrayToObject(o, "devices");

    for (size_t i = 0; i < f->ndevices; i++) {
        const struct upnp_device_facts *d = &f->devices[i];
        cJSON *e = cJSON_CreateObject(), *svcs;
        add_str(e, "location", d->location);
        add_str(e, "device_type", d->device_type);
        add_str(e, "friendly_name", d->friendly_name);
        add_str(e, "manufacturer", d->manufacturer);
        add_str(e, "model_name", d->model_name);
        add_str(e, "model_number", d->model_number);
        add_str(e, "serial_number", d->serial_number);
        svcs = cJSON_AddArrayToObject(e, "services");
        for (size_t k = 0; k < d->nservices; k++) {
            cJSON *sv = cJSON_CreateObject();
            add_str(sv, "service_type", d->services[k].service_type);
            add_str(sv, "control_url", d->services[k].control_url);
            add_str(sv, "scpd_url", d->services[k].scpd_url);
            cJSON_AddItemToArray(svcs, sv);
        }
        if (d->services_truncated)
            cJSON_AddBoolToObject(e, "services_truncated", 1);
        cJSON_AddItemToArray(devs, e);
    }
    cJSON_AddItemToObject(o, "control_open", strv_json(&f->control_open));
    return o;
}

int upnp_facts_parse(const cJSON *o, struct upnp_facts *f, char *why, size_t whylen)
{
    struct reader rd = {o, "upnp", why, whylen, 0};
    const cJSON *a, *it, *sv;

    upnp_facts_init(f);
    if (!cJSON_IsObject(o)) {
        snprintf(why, whylen, "facts upnp: not an object");
        return SP_ERR_PARSE;
    }
    a = member(&rd, "devices");
    if (a && !cJSON_IsNull(a) && !cJSON_IsArray(a))
        wrong(&rd, "devices", "an array");
    else
        cJSON_ArrayForEach(it, a) {
            struct reader dr = {it, "upnp.devices[]", why, whylen, rd.bad};
            struct upnp_device_facts *d;
            const cJSON *svcs;
            if (!cJSON_IsObject(it)) {
                wrong(&rd, "devices", "an array of objects");
                break;
            }
            d = upnp_facts_add_device(f);
            read_str(&dr, "location", &d->location);
            read_str(&dr, "device_type", &d->device_type);
            read_str(&dr, "friendly_name", &d->friendly_name);
            read_str(&dr, "manufacturer", &d->manufacturer);
            read_str(&dr, "model_name", &d->model_name);
            read_str(&dr, "model_number", &d->model_number);
            read_str(&dr, "serial_number", &d->serial_number);
            d->services_truncated = read_bool(&dr, "services_truncated");
            svcs = member(&dr, "services");
            if (svcs && !cJSON_IsNull(svcs) && !cJSON_IsArray(svcs))
                wrong(&dr, "services", "an array");
            else
                cJSON_ArrayForEach(sv, svcs) {
                    struct reader sr = {sv, "upnp.devices[].services[]", why, whylen, dr.bad};
                    char *t, *c, *p;
                    if (!cJSON_IsObject(sv)) {
                        wrong(&dr, "services", "an array of objects");
                        break;
                    }
                    read_str(&sr, "service_type", &t);
                    read_str(&sr, "control_url", &c);
                    read_str(&sr, "scpd_url", &p);
                    upnp_device_add_service(d, t, c, p);
                    free(t);
                    free(c);
                    free(p);
                    dr.bad |= sr.bad;
                }
            rd.bad |= dr.bad;
        }
    read_strv(&rd, "control_open", &f->control_open);
    if (rd.bad) {
        upnp_facts_free(f);
        return SP_ERR_PARSE;
    }
    return 0;
}

/* ---- a service's families ---- */

/*
 * family_of and family_load for the table below: the family's facts of a
 * service as JSON (NULL when it has none), and JSON parsed onto the service's
 * slot (a family given twice: the last one holds).
 */
#define FAMILY_SLOT(family)                                                                      \
    static cJSON *family##_of(const struct service *s)                                           \
    {                                                                                            \
        return s->family ? family##_facts_json(s->family) : NULL;                                \
    }                                                                                            \
    static int family##_load(struct service *s, const cJSON *o, char *why, size_t whylen)       \
    {                                                                                            \
        struct family##_facts *f = family##_facts_new();                                         \
        if (family##_facts_parse(o, f, why, whylen) != 0) {                                      \
            free(f);                                                                             \
            return SP_ERR_PARSE;                                                                 \
        }                                                                                        \
        family##_facts_destroy(s->family);                                                       \
        s->family = f;                                                                           \
        return 0;                                                                                \
    }

FAMILY_SLOT(ssh)
FAMILY_SLOT(tls)
FAMILY_SLOT(login)
FAMILY_SLOT(bruteforce)
FAMILY_SLOT(unauth)
FAMILY_SLOT(robust)
FAMILY_SLOT(compare)
FAMILY_SLOT(http)
FAMILY_SLOT(snmp)
FAMILY_SLOT(ftp)
FAMILY_SLOT(adb)
FAMILY_SLOT(tftp)
FAMILY_SLOT(rtsp)
FAMILY_SLOT(mqtt)
FAMILY_SLOT(coap)
FAMILY_SLOT(vnc)
FAMILY_SLOT(upnp)

/* Every typed family, in the order report.json lists them. */
static const struct family {
    const char *name;                                   /* its key in report.json */
    cJSON *(*json)(const struct service *s);            /* NULL when s has none */
    int (*load)(struct service *s, const cJSON *o, char *why, size_t whylen);
} families[] = {
    {"ssh", ssh_of, ssh_load},
    {"tls", tls_of, tls_load},
    {"login", login_of, login_load},
    {"bruteforce", bruteforce_of, bruteforce_load},
    {"unauth", unauth_of, unauth_load},
    {"robust", robust_of, robust_load},
    {"compare", compare_of, compare_load},
    {"http", http_of, http_load},
    {"snmp", snmp_of, snmp_load},
    {"ftp", ftp_of, ftp_load},
    {"adb", adb_of, adb_load},
    {"tftp", tftp_of, tftp_load},
    {"rtsp", rtsp_of, rtsp_load},
    {"mqtt", mqtt_of, mqtt_load},
    {"coap", coap_of, coap_load},
    {"vnc", vnc_of, vnc_load},
    {"upnp", upnp_of, upnp_load},
};

static const struct family *family_named(const char *name)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(families); i++)
        if (strcmp(families[i].name, name) == 0)
            return &families[i];
    return NULL;
}

int facts_family_known(const char *name)
{
    return name && family_named(name) != NULL;
}

cJSON *service_facts_json(const struct service *s)
{
    cJSON *o = NULL, *f;

    for (size_t i = 0; i < SP_ARRAY_LEN(families); i++)
        if ((f = families[i].json(s)) != NULL) {
            if (!o)
                o = cJSON_CreateObject();
            cJSON_AddItemToObject(o, families[i].name, f);
        }
    return o;
}

int service_facts_load(struct service *s, const cJSON *obj, char *why, size_t whylen)
{
    const cJSON *m;

    service_facts_clear(s);
    if (!obj || cJSON_IsNull(obj))
        return 0;
    if (!cJSON_IsObject(obj)) {
        snprintf(why, whylen, "facts: not an object");
        return SP_ERR_PARSE;
    }
    cJSON_ArrayForEach(m, obj) {
        const struct family *fam = m->string ? family_named(m->string) : NULL;

        if (!fam)
            snprintf(why, whylen, "facts: no family is named '%.40s'", m->string ? m->string : "");
        if (!fam || fam->load(s, m, why, whylen) != 0) {
            service_facts_clear(s);
            return SP_ERR_PARSE;
        }
    }
    return 0;
}

/* ---- the run's own facts ---- */

static cJSON *compare_run_json(const struct compare_run_facts *f)
{
    cJSON *o = cJSON_CreateObject();

    add_str(o, "target2", f->target2);
    add_str(o, "address", f->address);
    add_str(o, "error", f->error);
    if (f->compared) {
        cJSON *arr = cJSON_AddArrayToObject(o, "passwords");
        for (size_t i = 0; i < f->npasswords; i++) {
            const struct compare_password_facts *p = &f->passwords[i];
            cJSON *e = cJSON_CreateObject();
            add_str(e, "service", p->service);
            add_str(e, "user", p->user);
            add_str(e, "password", p->password);
            add_str(e, "result", p->result);
            add_str(e, "detail", p->detail);
            cJSON_AddItemToArray(arr, e);
        }
        cJSON_AddBoolToObject(o, "creds_ran", f->creds_ran);
    }
    return o;
}

static int compare_run_parse(const cJSON *o, struct compare_run_facts *f, char *why, size_t whylen)
{
    struct reader rd = {o, "compare", why, whylen, 0};
    const cJSON *a, *it;

    compare_run_facts_init(f);
    if (!cJSON_IsObject(o)) {
        snprintf(why, whylen, "facts compare: not an object");
        return SP_ERR_PARSE;
    }
    read_str(&rd, "target2", &f->target2);
    read_str(&rd, "address", &f->address);
    read_str(&rd, "error", &f->error);
    a = member(&rd, "passwords");
    if (a && !cJSON_IsNull(a) && !cJSON_IsArray(a)) {
        wrong(&rd, "passwords", "an array");
    } else if (cJSON_IsArray(a)) {
        f->compared = 1;
        f->creds_ran = read_bool(&rd, "creds_ran");
        cJSON_ArrayForEach(it, a) {
            struct reader pr = {it, "compare.passwords[]", why, whylen, rd.bad};
            struct compare_password_facts *p;
            if (!cJSON_IsObject(it)) {
                wrong(&rd, "passwords", "an array of objects");
                break;
            }
            p = compare_run_facts_add(f);
            read_str(&pr, "service", &p->service);
            read_str(&pr, "user", &p->user);
            read_str(&pr, "password", &p->password);
            read_str(&pr, "result", &p->result);
            read_str(&pr, "detail", &p->detail);
            rd.bad |= pr.bad;
        }
    }
    if (rd.bad) {
        compare_run_facts_free(f);
        return SP_ERR_PARSE;
    }
    return 0;
}

static cJSON *update_channel_json(const struct update_channel_facts *f)
{
    cJSON *o = cJSON_CreateObject();

    add_str(o, "host", f->host);
    cJSON_AddNumberToObject(o, "port", (double)f->port);
    add_str(o, "address", f->address);
    add_str(o, "version", f->version);
    add_str(o, "suite", f->suite);
    add_str(o, "obtained_with", f->obtained_with);
    add_str(o, "error", f->error);
    if (f->certificate)
        cJSON_AddItemToObject(o, "certificate", tls_cert_json(f->certificate));
    add_str(o, "verify_error", f->verify_error);
    if (f->verified) {
        cJSON_AddBoolToObject(o, "chain_trusted", f->chain_trusted);
        cJSON_AddBoolToObject(o, "name_matches", f->name_matches);
    }
    add_str(o, "verify_detail", f->verify_detail);
    add_str(o, "trusted", f->trusted);
    return o;
}

static int update_channel_parse(const cJSON *o, struct update_channel_facts *f, char *why,
                                size_t whylen)
{
    struct reader rd = {o, "update_channel", why, whylen, 0};
    const cJSON *m;

    update_channel_facts_init(f);
    if (!cJSON_IsObject(o)) {
        snprintf(why, whylen, "facts update_channel: not an object");
        return SP_ERR_PARSE;
    }
    read_str(&rd, "host", &f->host);
    f->port = read_count(&rd, "port");
    read_str(&rd, "address", &f->address);
    read_str(&rd, "version", &f->version);
    read_str(&rd, "suite", &f->suite);
    read_str(&rd, "obtained_with", &f->obtained_with);
    read_str(&rd, "error", &f->error);
    m = member(&rd, "certificate");
    if (cJSON_IsObject(m)) {
        struct reader c = {m, "update_channel.certificate", why, whylen, rd.bad};
        f->certificate = xmalloc(sizeof(*f->certificate));
        tls_cert_read(&c, f->certificate);
        rd.bad |= c.bad;
    } else if (m && !cJSON_IsNull(m)) {
        wrong(&rd, "certificate", "an object");
    }
    read_str(&rd, "verify_error", &f->verify_error);
    if (member(&rd, "chain_trusted") || member(&rd, "name_matches")) {
        f->verified = 1;
        f->chain_trusted = read_bool(&rd, "chain_trusted");
        f->name_matches = read_bool(&rd, "name_matches");
    }
    read_str(&rd, "verify_detail", &f->verify_detail);
    read_str(&rd, "trusted", &f->trusted);
    if (rd.bad) {
        update_channel_facts_free(f);
        return SP_ERR_PARSE;
    }
    return 0;
}

static cJSON *tamper_json(const struct tamper_facts *f)
{
    cJSON *o = cJSON_CreateObject();

    add_str(o, "endpoint", f->endpoint);
    add_str(o, "error", f->error);
    if (f->has_uploads) {
        cJSON *arr = cJSON_AddArrayToObject(o, "uploads");
        for (size_t i = 0; i < f->nuploads; i++) {
            const struct tamper_upload_facts *u = &f->uploads[i];
            cJSON *e = cJSON_CreateObject();
            add_str(e, "kind", u->kind);
            if (u->file) {
                cJSON_AddStringToObject(e, "file", u->file);
                cJSON_AddNumberToObject(e, "bytes", (double)u->bytes);
                if (u->flipped_offset >= 0)
                    cJSON_AddNumberToObject(e, "flipped_offset", (double)u->flipped_offset);
            }
            add_str(e, "signature", u->signature);
            add_str(e, "error", u->error);
            add_str(e, "status_line", u->status_line);
            add_str(e, "body", u->body);
            if (u->outcome) {
                cJSON_AddStringToObject(e, "outcome", u->outcome);
                add_str(e, "why", u->why);
                cJSON_AddBoolToObject(e, "by_status", u->by_status);
            }
            cJSON_AddItemToArray(arr, e);
        }
    }
    if (f->has_after) {
        cJSON *arr = cJSON_AddArrayToObject(o, "after");
        for (size_t i = 0; i < f->nafter; i++) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "service", f->after[i].service);
            cJSON_AddBoolToObject(e, "answered", f->after[i].answered);
            cJSON_AddStringToObject(e, "what", f->after[i].what);
            cJSON_AddItemToArray(arr, e);
        }
    }
    return o;
}

static int tamper_parse(const cJSON *o, struct tamper_facts *f, char *why, size_t whylen)
{
    struct reader rd = {o, "update_tamper", why, whylen, 0};
    const cJSON *a, *it;

    tamper_facts_init(f);
    if (!cJSON_IsObject(o)) {
        snprintf(why, whylen, "facts update_tamper: not an object");
        return SP_ERR_PARSE;
    }
    read_str(&rd, "endpoint", &f->endpoint);
    read_str(&rd, "error", &f->error);
    a = member(&rd, "uploads");
    if (a && !cJSON_IsNull(a) && !cJSON_IsArray(a)) {
        wrong(&rd, "uploads", "an array");
    } else if (cJSON_IsArray(a)) {
        f->has_uploads = 1;
        cJSON_ArrayForEach(it, a) {
            struct reader ur = {it, "update_tamper.uploads[]", why, whylen, rd.bad};
            struct tamper_upload_facts *u;
            char *kind;
            if (!cJSON_IsObject(it)) {
                wrong(&rd, "uploads", "an array of objects");
                break;
            }
            read_str(&ur, "kind", &kind);
            u = tamper_facts_add_upload(f, kind);
            free(kind);
            read_str(&ur, "file", &u->file);
            u->bytes = read_count(&ur, "bytes");
            if (member(&ur, "flipped_offset") && !cJSON_IsNull(member(&ur, "flipped_offset")))
                u->flipped_offset = read_count(&ur, "flipped_offset");
            read_str(&ur, "signature", &u->signature);
            read_str(&ur, "error", &u->error);
            read_str(&ur, "status_line", &u->status_line);
            read_str(&ur, "body", &u->body);
            read_str(&ur, "outcome", &u->outcome);
            read_str(&ur, "why", &u->why);
            u->by_status = read_bool(&ur, "by_status");
            rd.bad |= ur.bad;
        }
    }
    a = member(&rd, "after");
    if (a && !cJSON_IsNull(a) && !cJSON_IsArray(a)) {
        wrong(&rd, "after", "an array");
    } else if (cJSON_IsArray(a)) {
        f->has_after = 1;
        cJSON_ArrayForEach(it, a) {
            struct reader ar = {it, "update_tamper.after[]", why, whylen, rd.bad};
            char *svc, *what;
            if (!cJSON_IsObject(it)) {
                wrong(&rd, "after", "an array of objects");
                break;
            }
            read_str(&ar, "service", &svc);
            read_str(&ar, "what", &what);
            tamper_facts_add_after(f, svc, read_bool(&ar, "answered"), what);
            free(svc);
            free(what);
            rd.bad |= ar.bad;
        }
    }
    if (rd.bad) {
        tamper_facts_free(f);
        return SP_ERR_PARSE;
    }
    return 0;
}

cJSON *run_facts_json(const struct run *r)
{
    cJSON *o = cJSON_CreateObject();

    if (r->compare)
        cJSON_AddItemToObject(o, "compare", compare_run_json(r->compare));
    if (r->update_channel)
        cJSON_AddItemToObject(o, "update_channel", update_channel_json(r->update_channel));
    if (r->update_tamper)
        cJSON_AddItemToObject(o, "update_tamper", tamper_json(r->update_tamper));
    return o;
}

/* One family of the run's own: parse o onto *slot (replacing it) with the family's parser. */
#define RUN_FAMILY_LOAD(o, slot, type, parse, destroy)                                           \
    do {                                                                                         \
        struct type *f_ = xmalloc(sizeof(*f_));                                                  \
        if (parse((o), f_, why, whylen) != 0) {                                                  \
            free(f_);                                                                            \
            run_facts_clear(r);                                                                  \
            return SP_ERR_PARSE;                                                                 \
        }                                                                                        \
        destroy(slot);                                                                           \
        (slot) = f_;                                                                             \
    } while (0)

int run_facts_load(struct run *r, const cJSON *obj, char *why, size_t whylen)
{
    const cJSON *m;

    run_facts_clear(r);
    if (!obj || cJSON_IsNull(obj))
        return 0;
    if (!cJSON_IsObject(obj)) {
        snprintf(why, whylen, "run facts: not an object");
        return SP_ERR_PARSE;
    }
    cJSON_ArrayForEach(m, obj) {
        if (strcmp(m->string, "compare") == 0)
            RUN_FAMILY_LOAD(m, r->compare, compare_run_facts, compare_run_parse,
                            compare_run_facts_destroy);
        else if (strcmp(m->string, "update_channel") == 0)
            RUN_FAMILY_LOAD(m, r->update_channel, update_channel_facts, update_channel_parse,
                            update_channel_facts_destroy);
        else if (strcmp(m->string, "update_tamper") == 0)
            RUN_FAMILY_LOAD(m, r->update_tamper, tamper_facts, tamper_parse, tamper_facts_destroy);
        /* a family this version does not know is dropped: no check of it reads it */
    }
    return 0;
}

/* ---- the credentials found ---- */

cJSON *credentials_json(const struct run *r)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 0; i < r->ncreds; i++) {
        const struct credential_facts *c = &r->creds[i];
        cJSON *o = cJSON_CreateObject();
        add_str(o, "service", c->service);
        add_str(o, "protocol", c->protocol);
        add_str(o, "user", c->user);
        add_str(o, "password", c->password);
        add_str(o, "source", c->source);
        add_str(o, "kind", c->kind);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

int credentials_load(struct run *r, const cJSON *arr, char *why, size_t whylen)
{
    struct credential_facts *v = NULL;
    size_t n = 0;
    const cJSON *it;
    int bad = 0;

    if (arr && !cJSON_IsNull(arr) && !cJSON_IsArray(arr)) {
        snprintf(why, whylen, "credentials: not an array");
        return SP_ERR_PARSE;
    }
    cJSON_ArrayForEach(it, arr) {
        struct reader rd = {it, "credentials[]", why, whylen, 0};
        struct credential_facts *c;
        if (!cJSON_IsObject(it)) {
            snprintf(why, whylen, "credentials: not an array of objects");
            bad = 1;
            break;
        }
        v = xrealloc(v, (n + 1) * sizeof(*v));
        c = &v[n++];
        read_str(&rd, "service", &c->service);
        read_str(&rd, "protocol", &c->protocol);
        read_str(&rd, "user", &c->user);
        read_str(&rd, "password", &c->password);
        read_str(&rd, "source", &c->source);
        read_str(&rd, "kind", &c->kind);
        if (rd.bad) {
            bad = 1;
            break;
        }
    }
    if (bad) {
        for (size_t i = 0; i < n; i++)
            credential_facts_free(&v[i]);
        free(v);
        return SP_ERR_PARSE;
    }
    for (size_t i = 0; i < r->ncreds; i++)
        credential_facts_free(&r->creds[i]);
    free(r->creds);
    r->creds = v;
    r->ncreds = n;
    return 0;
}
