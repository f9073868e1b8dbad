/*
 * device.h - the manufacturer's device declaration (docs/design.md §3.2): what is meant
 * to be exposed, the test accounts, the update channel, the evidence items.
 */
#ifndef SP_DEVICE_H
#define SP_DEVICE_H

#include <stddef.h>

#include "ydoc.h"

enum transport { T_TCP, T_UDP };

struct decl_service {
    long port;
    enum transport transport;
    char *service;
    char *purpose;
    char *auth;              /* password | publickey | psk | certificate | none */
    char **public_items;     /* functions declared public (paths, resources, topics) */
    size_t npublic;
    int line;
};

struct decl_account {
    char *service;
    long port;               /* 0: any port of that service */
    char *user;
    char *password;          /* secret: never written into a report */
    char *key;               /* path, resolved against the declaration's directory */
};

struct decl_evidence {
    char *id;
    char *value;
    int line;
};

/* The device's own update upload, for update.tamper (★3, intrusive). */
struct decl_update_endpoint {
    long port;               /* a declared TCP service speaking HTTP or HTTPS */
    char *method;            /* POST (default) or PUT */
    char *path;
    char *field;             /* multipart form field of the image; NULL: the image is the raw body */
    char *signature_field;   /* multipart field of the detached signature, or NULL */
    char *account;           /* user of an accounts[] entry, sent with HTTP Basic, or NULL */
    char *rejected_text;     /* what the device's page says on a refused image, or NULL */
    char *accepted_text;     /* what it says on a taken one, or NULL */
    int control;             /* upload the genuine image too, as a control (it installs it) */
    int line;
};

struct device {
    char *path;
    char *vendor, *model, *firmware, *category;
    struct decl_service *services;
    size_t nservices;
    struct decl_account *accounts;
    size_t naccounts;
    char *update_url, *update_image, *update_signature, *update_public_key;
    char *update_ca_file;    /* PEM CAs the update server's certificate may chain to */
    char *update_downgrade_image, *update_downgrade_signature;  /* a genuine older release */
    struct decl_update_endpoint *update_endpoint;               /* NULL: none declared */
    char *tls_ca_file;       /* PEM CAs the device's own TLS server certificates chain to */
    struct decl_evidence *evidence;
    size_t nevidence;
};

void device_init(struct device *d);
void device_free(struct device *d);
int device_load(struct device *d, const char *path, struct yerr *e);

const struct decl_service *device_service(const struct device *d, long port, enum transport t);
const char *device_evidence(const struct device *d, const char *req_id);
const char *transport_name(enum transport t);

/*
 * Is item declared public? An entry matches exactly; an entry ending in '/'
 * or '*' matches every item it prefixes ("/admin/" also matches "/admin"),
 * except "/" alone, which is the root page only (slash-star is the whole site).
 * Returns the matching entry or NULL.
 */
const char *device_public_match(char *const *entries, size_t n, const char *item);

#endif
