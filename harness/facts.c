/*
 * facts.c - lifetimes of the typed fact families (facts.h). No JSON here:
 * reports/facts_json.c is their codec.
 */
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "util.h"

/* family_facts_new and family_facts_destroy: the struct on the heap, over its _init and _free. */
#define FACTS_ON_HEAP(family)                                                                    \
    struct family##_facts *family##_facts_new(void)                                              \
    {                                                                                            \
        struct family##_facts *f = xmalloc(sizeof(*f));                                          \
        family##_facts_init(f);                                                                  \
        return f;                                                                                \
    }                                                                                            \
    void family##_facts_destroy(struct family##_facts *f)                                        \
    {                                                                                            \
        if (!f)                                                                                  \
            return;                                                                              \
        family##_facts_free(f);                                                                  \
        free(f);                                                                                 \
    }

void strv_add(struct strv *sv, const char *s)
{
    sv->v = xrealloc(sv->v, (sv->n + 1) * sizeof(*sv->v));
    sv->v[sv->n++] = xstrdup(s);
}

int strv_has(const struct strv *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return 1;
    return 0;
}

void longv_add(struct longv *lv, long x)
{
    lv->v = xrealloc(lv->v, (lv->n + 1) * sizeof(*lv->v));
    lv->v[lv->n++] = x;
}

void longv_free(struct longv *lv)
{
    free(lv->v);
    lv->v = NULL;
    lv->n = 0;
}

void strv_free(struct strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = 0;
}

/* ---- ssh ---- */

void ssh_facts_init(struct ssh_facts *f)
{
    memset(f, 0, sizeof(*f));
}

void ssh_facts_free(struct ssh_facts *f)
{
    struct strv *lists[] = {&f->kex, &f->hostkey, &f->ciphers, &f->ciphers_s2c,
                            &f->macs, &f->macs_s2c, &f->compression, &f->auth_methods};

    free(f->error);
    free(f->banner);
    free(f->protocol);
    for (size_t i = 0; i < SP_ARRAY_LEN(lists); i++)
        strv_free(lists[i]);
    for (size_t i = 0; i < f->nhost_keys; i++) {
        free(f->host_keys[i].type);
        free(f->host_keys[i].sha256);
        free(f->host_keys[i].error);
    }
    free(f->host_keys);
    free(f->auth_error);
    ssh_facts_init(f);
}

FACTS_ON_HEAP(ssh)

void ssh_facts_add_key(struct ssh_facts *f, const char *type, int bits, const char *sha256,
                       const char *error)
{
    struct ssh_host_key *k;

    f->host_keys = xrealloc(f->host_keys, (f->nhost_keys + 1) * sizeof(*f->host_keys));
    k = &f->host_keys[f->nhost_keys++];
    k->type = xstrdup(type);
    k->bits = error ? 0 : bits;
    k->sha256 = !error && sha256 ? xstrdup(sha256) : NULL;
    k->error = error ? xstrdup(error) : NULL;
    f->keys_read = 1;
}

/* ---- tls ---- */

void tls_cert_facts_init(struct tls_cert_facts *c)
{
    memset(c, 0, sizeof(*c));
}

void tls_cert_facts_free(struct tls_cert_facts *c)
{
    char **strs[] = {&c->error, &c->subject, &c->issuer, &c->key_type, &c->curve,
                     &c->signature_algorithm, &c->signature_hash, &c->not_before, &c->not_after,
                     &c->obtained_with};

    for (size_t i = 0; i < SP_ARRAY_LEN(strs); i++)
        free(*strs[i]);
    strv_free(&c->san);
    tls_cert_facts_init(c);
}

void tls_facts_init(struct tls_facts *f)
{
    memset(f, 0, sizeof(*f));
}

void tls_facts_free(struct tls_facts *f)
{
    strv_free(&f->versions);
    for (size_t i = 0; i < f->nciphers; i++) {
        free(f->ciphers[i].version);
        strv_free(&f->ciphers[i].suites);
    }
    free(f->ciphers);
    for (size_t i = 0; i < f->nresults; i++) {
        free(f->results[i].version);
        free(f->results[i].detail);
        free(f->results[i].ciphers_incomplete);
    }
    free(f->results);
    strv_free(&f->incomplete);
    if (f->certificate) {
        tls_cert_facts_free(f->certificate);
        free(f->certificate);
    }
    free(f->certificate_error);
    free(f->client_certificate_detail);
    free(f->declared_ca_file);
    free(f->declared_ca_detail);
    tls_facts_init(f);
}

FACTS_ON_HEAP(tls)

struct tls_version_result *tls_facts_add_result(struct tls_facts *f, const char *version,
                                                enum tls_outcome result, const char *detail)
{
    struct tls_version_result *v;

    f->results = xrealloc(f->results, (f->nresults + 1) * sizeof(*f->results));
    v = &f->results[f->nresults++];
    v->version = xstrdup(version);
    v->result = result;
    v->detail = detail ? xstrdup(detail) : NULL;
    v->ciphers_incomplete = NULL;
    return v;
}

const struct tls_version_result *tls_facts_result(const struct tls_facts *f, const char *version)
{
    for (size_t i = 0; i < f->nresults; i++)
        if (strcmp(f->results[i].version, version) == 0)
            return &f->results[i];
    return NULL;
}

struct strv *tls_facts_suites(struct tls_facts *f, const char *version)
{
    struct tls_suites *c;

    for (size_t i = 0; i < f->nciphers; i++)
        if (strcmp(f->ciphers[i].version, version) == 0)
            return &f->ciphers[i].suites;
    f->ciphers = xrealloc(f->ciphers, (f->nciphers + 1) * sizeof(*f->ciphers));
    c = &f->ciphers[f->nciphers++];
    c->version = xstrdup(version);
    c->suites.v = NULL;
    c->suites.n = 0;
    return &c->suites;
}

/* ---- login ---- */

void login_form_facts_destroy(struct login_form_facts *f)
{
    if (!f)
        return;
    free(f->start);
    free(f->page);
    free(f->action);
    free(f->user_field);
    free(f->password_field);
    free(f->hidden);
    free(f);
}

void login_facts_init(struct login_facts *f)
{
    memset(f, 0, sizeof(*f));
}

void login_facts_free(struct login_facts *f)
{
    char **strs[] = {&f->protocol, &f->how, &f->path, &f->scheme, &f->cut_by_budget,
                     &f->test_account, &f->stopped, &f->first_error, &f->found_user,
                     &f->found_password, &f->found_transcript};

    for (size_t i = 0; i < SP_ARRAY_LEN(strs); i++)
        free(*strs[i]);
    login_form_facts_destroy(f->form);
    for (size_t i = 0; i < f->naccounts; i++)
        free(f->per_account[i].user);
    free(f->per_account);
    login_facts_init(f);
}

FACTS_ON_HEAP(login)

void login_facts_count(struct login_facts *f, const char *user)
{
    for (size_t i = 0; i < f->naccounts; i++)
        if (strcmp(f->per_account[i].user, user) == 0) {
            f->per_account[i].attempts++;
            return;
        }
    f->per_account = xrealloc(f->per_account, (f->naccounts + 1) * sizeof(*f->per_account));
    f->per_account[f->naccounts].user = xstrdup(user);
    f->per_account[f->naccounts++].attempts = 1;
}

/* ---- bruteforce ---- */

void bruteforce_facts_init(struct bruteforce_facts *f)
{
    memset(f, 0, sizeof(*f));
}

void bruteforce_facts_free(struct bruteforce_facts *f)
{
    char **strs[] = {&f->user, &f->how, &f->scheme, &f->before, &f->final, &f->note,
                     &f->first_reply};

    for (size_t i = 0; i < SP_ARRAY_LEN(strs); i++)
        free(*strs[i]);
    login_form_facts_destroy(f->form);
    for (size_t i = 0; i < f->nattempts; i++)
        free(f->attempts[i].status);
    free(f->attempts);
    bruteforce_facts_init(f);
}

FACTS_ON_HEAP(bruteforce)

void bruteforce_facts_add(struct bruteforce_facts *f, long n, long ms, const char *status)
{
    f->attempts = xrealloc(f->attempts, (f->nattempts + 1) * sizeof(*f->attempts));
    f->attempts[f->nattempts].n = n;
    f->attempts[f->nattempts].ms = ms;
    f->attempts[f->nattempts++].status = status ? xstrdup(status) : NULL;
}

/* ---- unauth ---- */

void unauth_facts_init(struct unauth_facts *f)
{
    memset(f, 0, sizeof(*f));
}

void unauth_facts_free(struct unauth_facts *f)
{
    for (size_t i = 0; i < f->nitems; i++) {
        free(f->items[i].kind);
        free(f->items[i].item);
        free(f->items[i].result);
        free(f->items[i].detail);
        free(f->items[i].final_path);
    }
    free(f->items);
    unauth_facts_init(f);
}

FACTS_ON_HEAP(unauth)

struct unauth_item_facts *unauth_facts_add(struct unauth_facts *f, const char *kind,
                                           const char *item, const char *result,
                                           const char *detail)
{
    struct unauth_item_facts *it;

    f->items = xrealloc(f->items, (f->nitems + 1) * sizeof(*f->items));
    it = &f->items[f->nitems++];
    it->kind = xstrdup(kind ? kind : "");
    it->item = xstrdup(item ? item : "");
    it->result = xstrdup(result ? result : "undecided");
    it->detail = xstrdup(detail ? detail : "");
    it->final_path = NULL;
    return it;
}

/* ---- robust ---- */

void robust_facts_init(struct robust_facts *f)
{
    memset(f, 0, sizeof(*f));
    f->failed_variant = -1;
}

void robust_facts_free(struct robust_facts *f)
{
    char **strs[] = {&f->result, &f->why, &f->set, &f->baseline, &f->failed_input, &f->after};

    for (size_t i = 0; i < SP_ARRAY_LEN(strs); i++)
        free(*strs[i]);
    for (size_t i = 0; i < f->ncases; i++) {
        free(f->cases[i].input);
        free(f->cases[i].reaction);
    }
    free(f->cases);
    if (f->flood) {
        free(f->flood->why);
        free(f->flood);
    }
    robust_facts_init(f);
}

FACTS_ON_HEAP(robust)

struct robust_case_facts *robust_facts_add_case(struct robust_facts *f, const char *input,
                                                long variant, long sent, const char *reaction,
                                                int answered)
{
    struct robust_case_facts *c;

    f->cases = xrealloc(f->cases, (f->ncases + 1) * sizeof(*f->cases));
    c = &f->cases[f->ncases++];
    c->input = xstrdup(input ? input : "");
    c->variant = variant;
    c->sent = sent;
    c->reaction = xstrdup(reaction ? reaction : "");
    c->answered = answered;
    f->has_cases = 1;
    return c;
}

/* ---- compare ---- */

void compare_facts_init(struct compare_facts *f)
{
    memset(f, 0, sizeof(*f));
}

static void compare_unit_free(struct compare_unit_facts *u)
{
    free(u->error);
    ssh_facts_free(&u->keys);
    free(u->certificate_sha256);
    free(u->public_key_sha256);
    free(u->subject);
}

void compare_facts_free(struct compare_facts *f)
{
    compare_unit_free(&f->unit1);
    compare_unit_free(&f->unit2);
    compare_facts_init(f);
}

FACTS_ON_HEAP(compare)

/* ---- the run's own facts ---- */

void compare_run_facts_init(struct compare_run_facts *f)
{
    memset(f, 0, sizeof(*f));
}

void compare_run_facts_free(struct compare_run_facts *f)
{
    free(f->target2);
    free(f->address);
    free(f->error);
    for (size_t i = 0; i < f->npasswords; i++) {
        struct compare_password_facts *p = &f->passwords[i];
        free(p->service);
        free(p->user);
        free(p->password);
        free(p->result);
        free(p->detail);
    }
    free(f->passwords);
    compare_run_facts_init(f);
}

FACTS_ON_HEAP(compare_run)

struct compare_password_facts *compare_run_facts_add(struct compare_run_facts *f)
{
    f->passwords = xrealloc(f->passwords, (f->npasswords + 1) * sizeof(*f->passwords));
    memset(&f->passwords[f->npasswords], 0, sizeof(*f->passwords));
    return &f->passwords[f->npasswords++];
}

void update_channel_facts_init(struct update_channel_facts *f)
{
    memset(f, 0, sizeof(*f));
}

void update_channel_facts_free(struct update_channel_facts *f)
{
    char **strs[] = {&f->host, &f->address, &f->error, &f->version, &f->suite, &f->obtained_with,
                     &f->verify_error, &f->verify_detail, &f->trusted};

    for (size_t i = 0; i < SP_ARRAY_LEN(strs); i++)
        free(*strs[i]);
    if (f->certificate) {
        tls_cert_facts_free(f->certificate);
        free(f->certificate);
    }
    update_channel_facts_init(f);
}

FACTS_ON_HEAP(update_channel)

void tamper_facts_init(struct tamper_facts *f)
{
    memset(f, 0, sizeof(*f));
}

void tamper_facts_free(struct tamper_facts *f)
{
    free(f->error);
    free(f->endpoint);
    for (size_t i = 0; i < f->nuploads; i++) {
        struct tamper_upload_facts *u = &f->uploads[i];
        char **strs[] = {&u->kind, &u->file, &u->signature, &u->error, &u->status_line, &u->body,
                         &u->outcome, &u->why};
        for (size_t k = 0; k < SP_ARRAY_LEN(strs); k++)
            free(*strs[k]);
    }
    free(f->uploads);
    for (size_t i = 0; i < f->nafter; i++) {
        free(f->after[i].service);
        free(f->after[i].what);
    }
    free(f->after);
    tamper_facts_init(f);
}

FACTS_ON_HEAP(tamper)

struct tamper_upload_facts *tamper_facts_add_upload(struct tamper_facts *f, const char *kind)
{
    struct tamper_upload_facts *u;

    f->uploads = xrealloc(f->uploads, (f->nuploads + 1) * sizeof(*f->uploads));
    u = &f->uploads[f->nuploads++];
    memset(u, 0, sizeof(*u));
    u->kind = xstrdup(kind ? kind : "");
    u->flipped_offset = -1;
    f->has_uploads = 1;
    return u;
}

void tamper_facts_add_after(struct tamper_facts *f, const char *service, int answered,
                            const char *what)
{
    f->after = xrealloc(f->after, (f->nafter + 1) * sizeof(*f->after));
    f->after[f->nafter].service = xstrdup(service ? service : "");
    f->after[f->nafter].answered = answered;
    f->after[f->nafter++].what = xstrdup(what ? what : "");
    f->has_after = 1;
}

/* ---- credentials ---- */

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void credential_facts_set(struct credential_facts *c, const char *service, const char *protocol,
                          const char *user, const char *password, const char *source,
                          const char *kind)
{
    c->service = dup_or_null(service);
    c->protocol = dup_or_null(protocol);
    c->user = dup_or_null(user);
    c->password = dup_or_null(password);
    c->source = dup_or_null(source);
    c->kind = dup_or_null(kind);
}

void credential_facts_free(struct credential_facts *c)
{
    free(c->service);
    free(c->protocol);
    free(c->user);
    free(c->password);
    free(c->source);
    free(c->kind);
    memset(c, 0, sizeof(*c));
}

int credential_facts_equal(const struct credential_facts *a, const struct credential_facts *b)
{
    return sp_str_same(a->service, b->service) && sp_str_same(a->protocol, b->protocol) &&
           sp_str_same(a->user, b->user) && sp_str_same(a->password, b->password) &&
           sp_str_same(a->source, b->source) && sp_str_same(a->kind, b->kind);
}

/* ---- http, snmp ---- */

void http_facts_init(struct http_facts *f)
{
    memset(f, 0, sizeof(*f));
}

void http_facts_free(struct http_facts *f)
{
    for (size_t i = 0; i < f->nopen; i++) {
        free(f->unauthenticated[i].path);
        free(f->unauthenticated[i].final_path);
    }
    free(f->unauthenticated);
    free(f->server);
    free(f->x_powered_by);
    if (f->onvif) {
        free(f->onvif->path);
        free(f->onvif->device_information);
        free(f->onvif->users);
        free(f->onvif->error);
        free(f->onvif->not_onvif);
        free(f->onvif);
    }
    http_facts_init(f);
}

FACTS_ON_HEAP(http)

void http_facts_add_open(struct http_facts *f, const char *path, const char *final_path,
                         long status)
{
    struct http_open_path *p;

    f->unauthenticated = xrealloc(f->unauthenticated, (f->nopen + 1) * sizeof(*f->unauthenticated));
    p = &f->unauthenticated[f->nopen++];
    p->path = xstrdup(path ? path : "");
    p->final_path = final_path ? xstrdup(final_path) : NULL;
    p->status = status;
}

void snmp_facts_init(struct snmp_facts *f)
{
    memset(f, 0, sizeof(*f));
}

void snmp_facts_free(struct snmp_facts *f)
{
    strv_free(&f->communities);
    free(f->sys_descr);
    snmp_facts_init(f);
}

FACTS_ON_HEAP(snmp)

/* ---- the other protocols' own facts ---- */

/* family_facts_init: all zero. */
#define FACTS_ZERO_INIT(family)                                                                  \
    void family##_facts_init(struct family##_facts *f)                                           \
    {                                                                                            \
        memset(f, 0, sizeof(*f));                                                                \
    }

FACTS_ZERO_INIT(ftp)
void ftp_facts_free(struct ftp_facts *f)
{
    ftp_facts_init(f);
}
FACTS_ON_HEAP(ftp)

FACTS_ZERO_INIT(adb)
void adb_facts_free(struct adb_facts *f)
{
    free(f->banner);
    adb_facts_init(f);
}
FACTS_ON_HEAP(adb)

FACTS_ZERO_INIT(tftp)
void tftp_facts_free(struct tftp_facts *f)
{
    strv_free(&f->served);
}
FACTS_ON_HEAP(tftp)

FACTS_ZERO_INIT(rtsp)
void rtsp_facts_free(struct rtsp_facts *f)
{
    strv_free(&f->open_paths);
    free(f->public_methods);
    rtsp_facts_init(f);
}
FACTS_ON_HEAP(rtsp)

FACTS_ZERO_INIT(mqtt)
void mqtt_facts_free(struct mqtt_facts *f)
{
    free(f->suback);
    strv_free(&f->topics);
    mqtt_facts_init(f);
}
FACTS_ON_HEAP(mqtt)

FACTS_ZERO_INIT(coap)
void coap_facts_free(struct coap_facts *f)
{
    free(f->transport);
    strv_free(&f->resources);
    strv_free(&f->open);
    coap_facts_init(f);
}
FACTS_ON_HEAP(coap)

FACTS_ZERO_INIT(vnc)
void vnc_facts_free(struct vnc_facts *f)
{
    longv_free(&f->security_types);
    longv_free(&f->vencrypt_subtypes);
    longv_free(&f->tight_auth);
    vnc_facts_init(f);
}
FACTS_ON_HEAP(vnc)

FACTS_ZERO_INIT(upnp)
void upnp_facts_free(struct upnp_facts *f)
{
    for (size_t i = 0; i < f->ndevices; i++) {
        struct upnp_device_facts *d = &f->devices[i];
        char **strs[] = {&d->location, &d->device_type, &d->friendly_name, &d->manufacturer,
                         &d->model_name, &d->model_number, &d->serial_number};
        for (size_t k = 0; k < SP_ARRAY_LEN(strs); k++)
            free(*strs[k]);
        for (size_t k = 0; k < d->nservices; k++) {
            free(d->services[k].service_type);
            free(d->services[k].control_url);
            free(d->services[k].scpd_url);
        }
        free(d->services);
    }
    free(f->devices);
    strv_free(&f->control_open);
    upnp_facts_init(f);
}
FACTS_ON_HEAP(upnp)

struct upnp_device_facts *upnp_facts_add_device(struct upnp_facts *f)
{
    f->devices = xrealloc(f->devices, (f->ndevices + 1) * sizeof(*f->devices));
    memset(&f->devices[f->ndevices], 0, sizeof(*f->devices));
    return &f->devices[f->ndevices++];
}

void upnp_device_add_service(struct upnp_device_facts *d, const char *type, const char *control,
                             const char *scpd)
{
    struct upnp_service_facts *sv;

    d->services = xrealloc(d->services, (d->nservices + 1) * sizeof(*d->services));
    sv = &d->services[d->nservices++];
    sv->service_type = xstrdup(type ? type : "");
    sv->control_url = xstrdup(control ? control : "");
    sv->scpd_url = xstrdup(scpd ? scpd : "");
}
