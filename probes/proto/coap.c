/*
 * coap.c - the CoAP handler, and DTLS taken as CoAP over DTLS: a device's
 * DTLS service is, as a rule, CoAPS. What auth.unauthenticated asks of them
 * goes through libcoap (coap_client.h): /.well-known/core, reassembled from
 * its blocks, and each resource it lists, over UDP or over DTLS with no
 * client credentials. CoAP has no password logins (it authenticates with
 * DTLS keys or OSCORE), so the credential checks have nothing to try.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coap_client.h"
#include "coap_wire.h"
#include "proto.h"
#include "run.h"

#define EXCERPT 160


/*
 * CoAP over UDP, or over DTLS (every DTLS service the scan found: a DTLS port
 * on a device is CoAP far more often than not, and the scan cannot see inside
 * the handshake). Over DTLS the client offers no credentials and does not
 * verify the server: a server that insists on a PSK or a client certificate
 * ends the handshake, which is the protection; one that lets any client
 * finish it is examined exactly like plain CoAP. All of it through libcoap
 * (coap_client.h), which reassembles a /.well-known/core longer than one block.
 */
static void coap_seen(struct run *r, struct service *s, int dtls, const struct check *c,
                      struct unauth_facts *items, struct coap_facts *cf)
{
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    long maxres = c ? check_param_int(c, "coap_max_resources", 32) : 32;
    /*
     * A reply may wait one and a half op_ms, as long as the two tries of the
     * hand-written client did: a separate response can come seconds after
     * the empty ACK (libcoap's example /async answers after 4 s). Discovery
     * may come in many blocks; a resource is judged on its first one.
     */
    int64_t reply_ms = op_ms < 1 ? 1 : op_ms > 400000 ? 600000 : op_ms + op_ms / 2;
    const struct spcoap_limits disc_lim = {SPCOAP_DEFAULT_MAX_BYTES, 256, (int)reply_ms};
    const struct spcoap_limits res_lim = {4096, 1, (int)reply_ms};
    const char *how = dtls ? " (DTLS, no client credentials)" : "";
    char (*paths)[COAP_PATH_MAX] = NULL;
    struct spcoap *cs = NULL;
    struct spcoap_reply m = {0};
    size_t n = 0;
    char code[8], why[128];
    int rc;

    if (maxres < 1 || maxres > 256)
        maxres = 32;
    cf->transport = xstrdup(dtls ? "dtls" : "udp");
    rc = spcoap_open(&cs, &r->target, (int)s->port, dtls ? SPCOAP_DTLS_NOCRED : SPCOAP_UDP, NULL,
                     run_op_deadline(r, op_ms), why, sizeof(why));
    if (rc != 0 && dtls && rc == SP_ERR_REFUSED) {
        cf->handshake_tried = 1;
        unauth_item(items, "handshake", "DTLS", "protected",
                 "DTLS handshake without credentials refused (%s): CoAP requests need the DTLS "
                 "credentials", why);
        return;
    }
    if (rc != 0) {
        if (dtls)
            unauth_item(items, "handshake", "DTLS", "undecided",
                     "DTLS handshake without credentials: %s", rc == SP_ERR_TIMEOUT ? why : net_strerror(rc));
        else
            unauth_item(items, "resource", "/.well-known/core", "undecided", "cannot open a UDP socket: %s",
                     net_strerror(rc));
        return;
    }
    if (dtls)
        cf->handshake_tried = cf->anonymous_handshake = 1;
    cf->listed = 1;
    rc = spcoap_get(cs, "/.well-known/core", &disc_lim, run_op_deadline(r, 4 * op_ms), &m);
    if (rc != 0) {
        unauth_item(items, "resource", "/.well-known/core", "undecided", "GET /.well-known/core%s: %s%s", how,
                 rc == SP_ERR_REFUSED ? "reset (RST) or port unreachable" : net_strerror(rc),
                 dtls ? " after a DTLS handshake without credentials" : "");
        goto cleanup;
    }
    coap_code_str(m.code, code, sizeof(code));
    if (m.code == COAP_CODE(4, 1) || m.code == COAP_CODE(4, 3)) {
        unauth_item(items, "resource", "/.well-known/core", "protected", "GET /.well-known/core → %s%s", code,
                 how);
        goto cleanup;
    }
    if (m.code >> 5 != 2) {
        unauth_item(items, "resource", "/.well-known/core", "absent",
                 "GET /.well-known/core → %s%s; no resource list to try", code, how);
        goto cleanup;
    }
    cf->discovered = 1;
    cf->discovery_bytes = (long)m.len;
    cf->discovery_blocks = (long)m.blocks;
    if (m.truncated)
        cf->discovery_truncated = 1;
    paths = xcalloc((size_t)maxres, sizeof(*paths));
    n = coap_link_paths(m.payload, m.len, paths, (size_t)maxres);
    {
        char *ex = sp_printable(m.payload, m.len < EXCERPT ? m.len : EXCERPT, EXCERPT + 40);
        char blocks[96] = "";
        if (m.blocks)
            snprintf(blocks, sizeof(blocks), " (%zu bytes in %u blocks%s)", m.len, m.blocks,
                     m.truncated ? ", cut short" : "");
        /* Discovery itself answers without credentials: docs/profiles.md expects 4.01/4.03 here too. */
        unauth_item(items, "resource", "/.well-known/core", "open",
                 "GET /.well-known/core → %s without credentials%s, %zu resources listed%s: '%s'", code,
                 how, n, blocks, ex);
        free(ex);
    }
    spcoap_reply_free(&m);
    for (size_t i = 0; i < n; i++) {
        strv_add(&cf->resources, paths[i]);
        if (strcmp(paths[i], "/.well-known/core") == 0)
            continue;
        if (run_expired(r)) {
            /* Listed but not asked: no refusal (docs/design.md §4.3). */
            unauth_item(items, "resource", paths[i], "undecided", "GET %s%s: not asked, the run "
                        "deadline passed", paths[i], how);
            continue;
        }
        rc = spcoap_get(cs, paths[i], &res_lim, run_op_deadline(r, reply_ms), &m);
        if (rc != 0) {
            unauth_item(items, "resource", paths[i], "undecided", "GET %s%s: %s", paths[i], how,
                     rc == SP_ERR_REFUSED ? "reset (RST) or port unreachable" : net_strerror(rc));
            continue;
        }
        coap_code_str(m.code, code, sizeof(code));
        if (m.code == COAP_CODE(4, 1) || m.code == COAP_CODE(4, 3)) {
            unauth_item(items, "resource", paths[i], "protected", "GET %s → %s%s", paths[i], code, how);
        } else if (m.code >> 5 == 2) {
            char *ex = sp_printable(m.payload, m.len < 60 ? m.len : 60, 100);
            strv_add(&cf->open, paths[i]);
            unauth_item(items, "resource", paths[i], "open", "GET %s → %s without credentials%s: '%s'",
                     paths[i], code, how, ex);
            free(ex);
        } else {
            unauth_item(items, "resource", paths[i], "absent", "GET %s → %s%s", paths[i], code, how);
        }
        spcoap_reply_free(&m);
    }
cleanup:
    spcoap_reply_free(&m);
    free(paths);
    spcoap_close(cs);
}

/* The unauth slot of CoAP (over DTLS for "coaps"): its facts set whatever path it ended by. */
static void coap_service(struct run *r, struct service *s, int tls, const struct check *c,
                         struct unauth_facts *items)
{
    struct coap_facts *f = coap_facts_new();

    coap_seen(r, s, tls, c, items, f);
    run_set_coap_facts(r, s, f);
}

/* A DTLS service: CoAP over DTLS, whatever name its port had. */
static void dtls_service(struct run *r, struct service *s, int tls, const struct check *c,
                         struct unauth_facts *items)
{
    (void)tls;
    coap_service(r, s, 1, c, items);
}

static const char *const coap_names[] = {"coap", NULL};
static const char *const coap_tls_names[] = {"coaps", NULL};
static const char *const dtls_names[] = {"dtls", NULL};

const struct proto proto_coap = {
    .name = "coap",
    .names = coap_names,
    .tls_names = coap_tls_names,
    .flags = PROTO_NO_PASSWORD | PROTO_QUIET_BEFORE_LOGIN,
    .unauth = coap_service,
    .facts_key = "coap",
};

/* DTLS whose inner protocol was not read: its credentials are keys (PSK or certificates). */
const struct proto proto_dtls = {
    .name = "dtls",
    .names = dtls_names,
    .flags = PROTO_NO_PASSWORD | PROTO_QUIET_BEFORE_LOGIN | PROTO_TLS_OPAQUE,
    .unauth = dtls_service,
    .facts_key = "coap",
};
