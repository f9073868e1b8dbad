/*
 * device.c - load and check a device declaration. Like profiles, it is
 * written by hand, so errors name file:line:column, and unknown keys are
 * rejected: a misspelt `servces:` must not silently declare nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "starprobe.h"
#include "util.h"

static const char *const top_keys[] = {"device", "services", "accounts", "update", "tls", "evidence",
                                       NULL};
static const char *const dev_keys[] = {"vendor", "model", "firmware", "category", NULL};
static const char *const svc_keys[] = {"port", "transport", "service", "purpose", "auth", "public", NULL};
static const char *const acc_keys[] = {"service", "port", "user", "password", "key", NULL};
static const char *const upd_keys[] = {"url", "image", "signature", "public_key", "ca_file",
                                       "downgrade_image", "downgrade_signature", "endpoint", NULL};
static const char *const ep_keys[] = {"port", "method", "path", "field", "signature_field", "account",
                                      "rejected_text", "accepted_text", "control", NULL};
static const char *const tls_keys[] = {"ca_file", NULL};
static const char *const auths[] = {"password", "publickey", "psk", "certificate", "none", NULL};

void device_init(struct device *d)
{
    memset(d, 0, sizeof(*d));
}

void device_free(struct device *d)
{
    free(d->path);
    free(d->vendor);
    free(d->model);
    free(d->firmware);
    free(d->category);
    for (size_t i = 0; i < d->nservices; i++) {
        struct decl_service *s = &d->services[i];
        free(s->service);
        free(s->purpose);
        free(s->auth);
        for (size_t j = 0; j < s->npublic; j++)
            free(s->public_items[j]);
        free(s->public_items);
    }
    free(d->services);
    for (size_t i = 0; i < d->naccounts; i++) {
        struct decl_account *a = &d->accounts[i];
        free(a->service);
        free(a->user);
        if (a->password)
            memset(a->password, 0, strlen(a->password));
        free(a->password);
        free(a->key);
    }
    free(d->accounts);
    free(d->update_url);
    free(d->update_image);
    free(d->update_signature);
    free(d->update_public_key);
    free(d->update_ca_file);
    free(d->update_downgrade_image);
    free(d->update_downgrade_signature);
    if (d->update_endpoint) {
        struct decl_update_endpoint *ep = d->update_endpoint;
        free(ep->method);
        free(ep->path);
        free(ep->field);
        free(ep->signature_field);
        free(ep->account);
        free(ep->rejected_text);
        free(ep->accepted_text);
        free(ep);
    }
    free(d->tls_ca_file);
    for (size_t i = 0; i < d->nevidence; i++) {
        free(d->evidence[i].id);
        free(d->evidence[i].value);
    }
    free(d->evidence);
    device_init(d);
}

const char *transport_name(enum transport t)
{
    return t == T_UDP ? "udp" : "tcp";
}

/* Relative file names in a declaration are relative to the declaration. */
static void resolve_path(char **p, const char *declpath)
{
    const char *slash;

    if (!*p || (*p)[0] == '/' || !(slash = strrchr(declpath, '/')))
        return;
    char *full = xasprintf("%.*s/%s", (int)(slash - declpath), declpath, *p);
    free(*p);
    *p = full;
}

static int load_services(struct device *d, const struct ynode *l, struct yerr *e)
{
    if (l->type != Y_SEQ)
        return yerr_at(e, NULL, l, "'services' must be a list of {port, transport, service}");
    d->services = xcalloc(l->n, sizeof(*d->services));
    for (size_t i = 0; i < l->n; i++) {
        const struct ynode *n = l->items[i];
        struct decl_service *s = &d->services[d->nservices++];
        char *tr = NULL;

        s->line = n->line;
        if (ymap_check_keys(n, svc_keys, e, "a declared service") ||
            yget_int(n, "port", 1, 1, 65535, &s->port, e) ||
            yget_str(n, "transport", 0, &tr, e) || yget_str(n, "service", 1, &s->service, e) ||
            yget_str(n, "purpose", 0, &s->purpose, e) || yget_str(n, "auth", 0, &s->auth, e) ||
            yget_strlist(n, "public", &s->public_items, &s->npublic, e)) {
            free(tr);
            return SP_ERR_PARSE;
        }
        if (!tr || strcmp(tr, "tcp") == 0) {
            s->transport = T_TCP;
        } else if (strcmp(tr, "udp") == 0) {
            s->transport = T_UDP;
        } else {
            free(tr);
            return yerr_at(e, NULL, ynode_get(n, "transport"), "'transport' must be tcp or udp");
        }
        free(tr);
        if (s->auth) {
            const char *const *a;
            for (a = auths; *a && strcmp(*a, s->auth) != 0; a++)
                ;
            if (!*a)
                return yerr_at(e, NULL, ynode_get(n, "auth"),
                               "'auth' must be password | publickey | psk | certificate | none");
        }
        for (size_t j = 0; j + 1 < d->nservices; j++)
            if (d->services[j].port == s->port && d->services[j].transport == s->transport)
                return yerr_at(e, NULL, n, "%s/%ld is declared twice (first at line %d)",
                               transport_name(s->transport), s->port, d->services[j].line);
    }
    return 0;
}

static int load_accounts(struct device *d, const struct ynode *l, struct yerr *e)
{
    if (l->type != Y_SEQ)
        return yerr_at(e, NULL, l, "'accounts' must be a list of {service, user, password}");
    d->accounts = xcalloc(l->n, sizeof(*d->accounts));
    for (size_t i = 0; i < l->n; i++) {
        const struct ynode *n = l->items[i];
        struct decl_account *a = &d->accounts[d->naccounts++];

        if (ymap_check_keys(n, acc_keys, e, "an account") ||
            yget_str(n, "service", 1, &a->service, e) ||
            yget_int(n, "port", 0, 1, 65535, &a->port, e) || yget_str(n, "user", 1, &a->user, e) ||
            yget_str(n, "password", 0, &a->password, e) || yget_str(n, "key", 0, &a->key, e))
            return SP_ERR_PARSE;
        resolve_path(&a->key, d->path);
    }
    return 0;
}

static int load_endpoint(struct device *d, const struct ynode *n, struct yerr *e)
{
    struct decl_update_endpoint *ep = xcalloc(1, sizeof(*ep));

    d->update_endpoint = ep;
    ep->line = n->line;
    if (n->type != Y_MAP)
        return yerr_at(e, NULL, n, "'endpoint' must be a map {port, method, path, field, account}");
    if (ymap_check_keys(n, ep_keys, e, "'update.endpoint'") ||
        yget_int(n, "port", 1, 1, 65535, &ep->port, e) || yget_str(n, "method", 0, &ep->method, e) ||
        yget_str(n, "path", 1, &ep->path, e) || yget_str(n, "field", 0, &ep->field, e) ||
        yget_str(n, "signature_field", 0, &ep->signature_field, e) ||
        yget_str(n, "account", 0, &ep->account, e) ||
        yget_str(n, "rejected_text", 0, &ep->rejected_text, e) ||
        yget_str(n, "accepted_text", 0, &ep->accepted_text, e) ||
        yget_bool(n, "control", &ep->control, e))
        return SP_ERR_PARSE;
    if (!ep->method)
        ep->method = xstrdup("POST");
    if (strcmp(ep->method, "POST") != 0 && strcmp(ep->method, "PUT") != 0)
        return yerr_at(e, NULL, ynode_get(n, "method"), "'method' must be POST or PUT");
    if (ep->path[0] != '/')
        return yerr_at(e, NULL, ynode_get(n, "path"), "'path' must start with /");
    if (ep->signature_field && !ep->field)
        return yerr_at(e, NULL, ynode_get(n, "signature_field"),
                       "'signature_field' needs 'field': a separate signature goes in a form");
    if (!device_service(d, ep->port, T_TCP))
        return yerr_at(e, NULL, ynode_get(n, "port"), "tcp/%ld is not a declared service", ep->port);
    if (ep->account) {
        size_t i;
        for (i = 0; i < d->naccounts && strcmp(d->accounts[i].user, ep->account) != 0; i++)
            ;
        if (i == d->naccounts || !d->accounts[i].password)
            return yerr_at(e, NULL, ynode_get(n, "account"),
                           "'account' must name the user of an accounts[] entry with a password");
    }
    return 0;
}

static int load_evidence(struct device *d, const struct ynode *m, struct yerr *e)
{
    if (m->type != Y_MAP)
        return yerr_at(e, NULL, m, "'evidence' must map requirement ids to a URL or document");
    d->evidence = xcalloc(m->n, sizeof(*d->evidence));
    for (size_t i = 0; i < m->n; i++) {
        const struct ynode *v = m->items[i];
        if (v->type != Y_SCALAR || ynode_is_null(v))
            return yerr_at(e, NULL, v, "evidence for %s must be a URL or a document reference",
                           m->keys[i]->value);
        d->evidence[i].id = xstrdup(m->keys[i]->value);
        d->evidence[i].value = xstrdup(v->value);
        d->evidence[i].line = m->keys[i]->line;
        d->nevidence++;
    }
    return 0;
}

int device_load(struct device *d, const char *path, struct yerr *e)
{
    struct ydoc doc;
    const struct ynode *root, *n;
    int rc = SP_ERR_PARSE;

    device_init(d);
    if (ydoc_load(&doc, path, e) != 0)
        return SP_ERR_PARSE;
    d->path = xstrdup(path);
    root = doc.root;
    if (ymap_check_keys(root, top_keys, e, "a device declaration") != 0)
        goto cleanup;
    if ((n = ynode_get(root, "device")) && !ynode_is_null(n)) {
        if (ymap_check_keys(n, dev_keys, e, "'device'") || yget_str(n, "vendor", 0, &d->vendor, e) ||
            yget_str(n, "model", 0, &d->model, e) || yget_str(n, "firmware", 0, &d->firmware, e) ||
            yget_str(n, "category", 0, &d->category, e))
            goto cleanup;
    }
    if ((n = ynode_get(root, "services")) && !ynode_is_null(n) && load_services(d, n, e) != 0)
        goto cleanup;
    if ((n = ynode_get(root, "accounts")) && !ynode_is_null(n) && load_accounts(d, n, e) != 0)
        goto cleanup;
    if ((n = ynode_get(root, "update")) && !ynode_is_null(n)) {
        if (ymap_check_keys(n, upd_keys, e, "'update'") || yget_str(n, "url", 0, &d->update_url, e) ||
            yget_str(n, "image", 0, &d->update_image, e) ||
            yget_str(n, "signature", 0, &d->update_signature, e) ||
            yget_str(n, "public_key", 0, &d->update_public_key, e) ||
            yget_str(n, "ca_file", 0, &d->update_ca_file, e) ||
            yget_str(n, "downgrade_image", 0, &d->update_downgrade_image, e) ||
            yget_str(n, "downgrade_signature", 0, &d->update_downgrade_signature, e))
            goto cleanup;
        if (ynode_get(n, "endpoint") && !ynode_is_null(ynode_get(n, "endpoint")) &&
            load_endpoint(d, ynode_get(n, "endpoint"), e) != 0)
            goto cleanup;
        resolve_path(&d->update_image, path);
        resolve_path(&d->update_signature, path);
        resolve_path(&d->update_public_key, path);
        resolve_path(&d->update_ca_file, path);
        resolve_path(&d->update_downgrade_image, path);
        resolve_path(&d->update_downgrade_signature, path);
    }
    if ((n = ynode_get(root, "tls")) && !ynode_is_null(n)) {
        if (ymap_check_keys(n, tls_keys, e, "'tls'") || yget_str(n, "ca_file", 0, &d->tls_ca_file, e))
            goto cleanup;
        resolve_path(&d->tls_ca_file, path);
    }
    if ((n = ynode_get(root, "evidence")) && !ynode_is_null(n) && load_evidence(d, n, e) != 0)
        goto cleanup;
    rc = 0;
cleanup:
    ydoc_free(&doc);
    if (rc != 0)
        device_free(d); /* the caller gets a clean, empty declaration */
    return rc;
}

const struct decl_service *device_service(const struct device *d, long port, enum transport t)
{
    for (size_t i = 0; d && i < d->nservices; i++)
        if (d->services[i].port == port && d->services[i].transport == t)
            return &d->services[i];
    return NULL;
}

const char *device_evidence(const struct device *d, const char *req_id)
{
    for (size_t i = 0; d && i < d->nevidence; i++)
        if (strcmp(d->evidence[i].id, req_id) == 0)
            return d->evidence[i].value;
    return NULL;
}

const char *device_public_match(char *const *entries, size_t n, const char *item)
{
    size_t il = strlen(item);

    for (size_t i = 0; i < n; i++) {
        const char *e = entries[i];
        size_t el = strlen(e);
        if (strcmp(e, item) == 0)
            return e;
        /*
         * "/" alone is the root page (where the public login page lives),
         * not the whole site: a declaration that means everything writes slash-star.
         */
        if (el == 0 || (e[el - 1] != '/' && e[el - 1] != '*') || strcmp(e, "/") == 0)
            continue;
        size_t pl = e[el - 1] == '*' ? el - 1 : el;
        if (il >= pl && strncmp(e, item, pl) == 0)
            return e;
        /* "/admin/" also covers the directory named without its slash. */
        if (e[el - 1] == '/' && il == el - 1 && strncmp(e, item, il) == 0)
            return e;
    }
    return NULL;
}
