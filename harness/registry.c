/*
 * registry.c - the one table of probes. Adding a probe is a file under
 * probes/ and a row here; the harness never switches on a probe's name.
 */
#include <string.h>

#include "probe.h"

extern const struct probe probe_ports_exposure;
extern const struct probe probe_transport_plaintext;
extern const struct probe probe_tls_versions;
extern const struct probe probe_tls_ciphers;
extern const struct probe probe_tls_certificate;
extern const struct probe probe_tls_chain;
extern const struct probe probe_tls_client_auth;
extern const struct probe probe_banners_versions;
extern const struct probe probe_ssh_algorithms;
extern const struct probe probe_creds_defaults;
extern const struct probe probe_auth_unauthenticated;
extern const struct probe probe_auth_bruteforce;
extern const struct probe probe_update_channel;
extern const struct probe probe_update_signature;
extern const struct probe probe_evidence_document;
extern const struct probe probe_units_distinct;
extern const struct probe probe_robust_malformed;
extern const struct probe probe_update_tamper;

const struct probe *const probe_registry[] = {
    &probe_ports_exposure,        /* S1.1-13 */
    &probe_transport_plaintext,   /* S1.1-12 */
    &probe_tls_versions,          /* S1.1-12 */
    &probe_tls_ciphers,           /* S1.1-12 */
    &probe_tls_certificate,       /* S1.1-12 */
    &probe_tls_chain,             /* S2.x-02 */
    &probe_tls_client_auth,       /* S4.x-03 */
    &probe_ssh_algorithms,        /* S1.1-12 */
    &probe_creds_defaults,        /* S1.1-02 */
    &probe_auth_unauthenticated,  /* S1.1-01 */
    &probe_auth_bruteforce,       /* S1.1-04, intrusive */
    &probe_update_channel,        /* S1.1-06 */
    &probe_update_signature,      /* S1.1-08 */
    &probe_update_tamper,         /* S3.x-03, intrusive */
    &probe_evidence_document,     /* document items */
    &probe_units_distinct,        /* S3.x-02, with --compare */
    &probe_robust_malformed,      /* S3.x-05, S4.x-04, intrusive */
    &probe_banners_versions,      /* S3.x-01 */
    NULL,
};

const struct probe *probe_find(const char *name)
{
    for (const struct probe *const *p = probe_registry; *p; p++)
        if (strcmp((*p)->name, name) == 0)
            return *p;
    return NULL;
}
