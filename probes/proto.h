/*
 * proto.h - what a protocol is to the checks.
 *
 * Each protocol the scan can identify is a `const struct proto` in its own
 * file under probes/proto/, listed once in proto_registry
 * (probes/proto/registry.c). A check family walks the services in its scope,
 * looks up each one's handler with proto_of(), and calls the slot it needs;
 * no check switches on a protocol. A slot left NULL means "this protocol
 * cannot be examined that way": the check records the service as not
 * examined, with the handler's reason, and cannot PASS while it does — the
 * coverage rule of docs/design.md §4.3, kept by construction.
 *
 * Adding a protocol is one file under probes/proto/ and one registry row
 * (docs/design.md §7.5).
 */
#ifndef SP_PROTO_H
#define SP_PROTO_H

#include <stdint.h>

#include "util.h"

struct check;
struct login_service;
struct login_result;
struct run;
struct service;
struct unauth_facts;
struct unauth_item_facts;

enum proto_flags {
    /* Its logins are one secret without a user name (an SNMP community). */
    PROTO_SECRET_ONLY = 1 << 0,
    /* It has no password logins at all (CoAP, DNS, NTP…): nothing for a credential check to try. */
    PROTO_NO_PASSWORD = 1 << 1,
    /*
     * It serves nothing that is meant to need authentication (name
     * resolution, time, address assignment, key exchange that authenticates
     * itself): auth.unauthenticated has nothing to ask of it.
     */
    PROTO_NO_GATED_FUNCTION = 1 << 2,
    /*
     * Its login slot seeing no request for credentials does not prove there
     * is none: a web page with neither a 401 challenge nor a login form the
     * slot can find may still log users in by script. Such a service is not
     * examined, not "open", for the credential checks.
     */
    PROTO_OPEN_UNPROVEN = 1 << 3,
    /*
     * It says nothing of its own before a login beyond the greeting the scan
     * records, and a service that sent no greeting said nothing at all (MQTT,
     * CoAP, telnet before its prompt): banners.versions has no other text to
     * read. Without this flag (and without a pre_login_texts slot), a service
     * that sent no greeting is not examined by that check.
     */
    PROTO_QUIET_BEFORE_LOGIN = 1 << 4,
    /*
     * It speaks the SSH transport protocol: its algorithm offer (KEXINIT)
     * and host keys can be read before any login (ssh.algorithms,
     * units.distinct). A NETCONF-over-SSH handler would say so too.
     */
    PROTO_SSH_TRANSPORT = 1 << 5,
    /* It carries HTTP requests (in the clear, or inside TLS by its tls_names): update.tamper can upload to it. */
    PROTO_HTTP_REQUESTS = 1 << 6,
    /*
     * TLS (on TCP) or DTLS (on UDP) around a protocol the scan did not
     * recognise: the TLS checks examine its handshake, the scan may still
     * look inside it, and it fits a declared service of any protocol that
     * runs inside TLS.
     */
    PROTO_TLS_OPAQUE = 1 << 7
};

/* pre_login_texts hands each text to this: what it is ("Server header") and the text, "" when empty. */
typedef void (*proto_text_fn)(void *arg, const char *what, const char *text);

struct proto {
    /* As profiles, dictionaries and declarations name it: "telnet", "http". */
    const char *name;
    /* Identified service names that are this protocol in the clear, NULL terminated ("http"). */
    const char *const *names;
    /* Identified service names that are this protocol inside TLS ("https"), NULL terminated. */
    const char *const *tls_names;
    unsigned flags;
    /* Protocol-specific constants the slots share between sibling protocols (HTTP and RTSP). */
    const void *priv;

    /*
     * Logins (creds.defaults, auth.bruteforce). prepare finds out without
     * credentials how the service authenticates (sets ls->mode and ls->how;
     * paths are HTTP resources worth asking, NULL terminated, may be NULL);
     * 0 or a negative sp_err. attempt tries one pair and fills out, with
     * LOGIN_OK only on a positively confirmed session (login.h); it only
     * reads ls, so attempts run in parallel. For PROTO_SECRET_ONLY, user is "".
     */
    int (*login_prepare)(struct login_service *ls, const char *const *paths, int64_t deadline);
    void (*login_attempt)(const struct login_service *ls, const char *user, const char *pass,
                          int64_t deadline, struct login_result *out);
    /* Why a service of this protocol is not examined for logins, when login_prepare is NULL. */
    const char *no_login;

    /*
     * auth.unauthenticated: reach the service presenting no credentials and
     * record each thing tried as an item (unauth_item) — open, protected,
     * absent, ambiguous or undecided, with the device's words — and what the
     * protocol gave away, in its own family of facts, which the slot sets on
     * the service (run_set_http_facts, …). tls: the service's name says it
     * runs inside TLS or DTLS ("https", "coaps"). c holds the check's
     * parameters and may be NULL.
     */
    void (*unauth)(struct run *r, struct service *s, int tls, const struct check *c,
                   struct unauth_facts *items);
    /* The name of that family in report.json ("http"); NULL: the slot records none. */
    const char *facts_key;
    /* Why auth.unauthenticated cannot examine it, when unauth is NULL. */
    const char *no_unauth;

    /*
     * transport.plaintext: does this service, in the clear, ask for
     * credentials, as the identifying reply (s->reply) and the login checks'
     * facts show it? 1 with a sentence for the evidence in why and a few
     * words for the verdict's list in what ("http Basic"); 0 when its own
     * signs do not settle it. NULL: only the credential sweep can tell, from
     * the login facts every protocol shares.
     */
    int (*asks_credentials)(const struct service *s, char *why, size_t whylen, char *what,
                            size_t whatlen);

    /*
     * banners.versions: the texts this protocol gives anyone before a login
     * that could name its software version, beyond the greeting (an HTTP
     * Server header, SNMP's sysDescr.0), as the service's facts hold them.
     * Calls add for each and returns 0; returns 1 when the facts show there
     * is nothing to read (why: a sentence for the evidence, or "" for the
     * check's own); -1 when the step that reads them did not, with the reason
     * in why. NULL: the greeting the scan recorded (s->banner) is all there
     * is (see PROTO_QUIET_BEFORE_LOGIN for a service that sent none).
     */
    int (*pre_login_texts)(const struct service *s, proto_text_fn add, void *arg, char *why,
                           size_t whylen);
    /* What banners.versions calls its greeting ("identification string"); NULL: "greeting". */
    const char *greeting_name;
};

/*
 * One row of an unauth slot's report: what was tried (kind, item), what came
 * of it ("open", "protected", "absent", "ambiguous", "undecided"), and why.
 * The row, which belongs to items.
 */
struct unauth_item_facts *unauth_item(struct unauth_facts *items, const char *kind,
                                      const char *item, const char *result, const char *fmt, ...)
    SP_PRINTF(5, 6);

/* Every handler, NULL terminated. */
extern const struct proto *const proto_registry[];

/*
 * The handler for an identified service name ("https" is HTTP inside TLS),
 * or NULL when starprobe has none; *tls (may be NULL) says whether the name
 * means the protocol runs inside TLS.
 */
const struct proto *proto_for_name(const char *name, int *tls);
const struct proto *proto_of(const struct service *s, int *tls);

/*
 * Does service s's handler have capability flag (enum proto_flags)? *tls
 * (may be NULL) as proto_of. 0 for a service no handler knows.
 */
int proto_has(const struct service *s, unsigned flag, int *tls);
/* The same for a service name, as the scan or a declaration gives it. */
int proto_name_has(const char *name, unsigned flag, int *tls);

/* The handler's position in proto_registry, for bit sets of protocols (< 32). */
unsigned proto_index(const struct proto *p);

/*
 * Why auth.unauthenticated cannot examine service s: NULL when its handler
 * has an unauth slot, or (with *none set) when the protocol gates nothing.
 */
const char *proto_unauth_gap(const struct service *s, int *none);

/*
 * Does service s asking for no credentials, as its login slot saw it, prove
 * that it takes none? 0 for PROTO_OPEN_UNPROVEN protocols (the web: a login by script).
 */
int proto_open_is_proof(const struct service *s);

/*
 * Why service s cannot be examined for logins: NULL when its handler has a
 * login slot or its protocol has no passwords (then *none is set to 1), else
 * a reason for the evidence ("no login module for vnc").
 */
const char *proto_login_gap(const struct service *s, int *none);

#endif
