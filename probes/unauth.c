/*
 * unauth.c - auth.unauthenticated (S1.1-01): what each service gives to a
 * client that presents no credentials at all. HTTP(S) admin and API paths,
 * MQTT(S) anonymous CONNECT and SUBSCRIBE '#', CoAP resources, anonymous
 * FTP, a telnet shell without login, SSH "none" authentication, and SNMP
 * with the communities public and private.
 *
 * The gatherer talks to each applicable service (picked by identified name,
 * never by port) on its own run_parallel slot and records what it saw as
 * facts: services[].facts.unauth.items[] — one row per thing tried, with a
 * result (open, protected, absent, ambiguous, undecided) and the device's
 * words as detail — plus the per-protocol summaries docs/design.md §5 describes ("http",
 * "mqtt", "coap", "snmp"). The judge applies the declaration's public items
 * and turns the rows into a verdict, so what was seen and what it means stay
 * apart.
 *
 * MQTT is written by hand (mqtt_wire.c) rather than with Paho: Paho opens its
 * own socket and its timeouts are per call, not an absolute deadline, and it
 * cannot be handed a TLS session whose certificate we deliberately do not
 * verify on our own socket. Four packet types are little code.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coap_client.h"
#include "coap_wire.h"
#include "proto.h"
#include "http_wire.h"
#include "ident.h"
#include "login.h"
#include "mqtt_wire.h"
#include "run.h"
#include "rxbuf.h"
#include "ssh.h"
#include "tlsconn.h"
#include "tlswire.h"
#include "unauth_wire.h"

extern const struct probe probe_auth_unauthenticated;

static const struct probe_param unauth_params[] = {
    {"http_paths", "[/admin, /cgi-bin, /api, /config, /setup, /system]", "paths tried without credentials"},
    {"mqtt_subscribe_wait_ms", "2000", "how long an anonymous SUBSCRIBE # listens"},
    {"op_timeout_ms", "3000", "deadline of one request and its reply"},
    {"coap_max_resources", "32", "at most this many CoAP resources are fetched"},
    {NULL, NULL, NULL}};

#define HTTP_RAW_MAX (64 * 1024)
#define HTTP_MAX_REDIRECTS 3
#define EXCERPT 160

/* ---- facts ---- */

/* One row: what was tried (kind, item), what came of it, and the device's words. */
static void item_add(cJSON *items, const char *kind, const char *item, const char *result,
                     const char *fmt, ...) SP_PRINTF(5, 6);
static void item_add(cJSON *items, const char *kind, const char *item, const char *result,
                     const char *fmt, ...)
{
    cJSON *o = cJSON_CreateObject();
    va_list ap;
    char *d;

    va_start(ap, fmt);
    d = xvasprintf(fmt, ap);
    va_end(ap);
    cJSON_AddStringToObject(o, "kind", kind);
    cJSON_AddStringToObject(o, "item", item);
    cJSON_AddStringToObject(o, "result", result);
    cJSON_AddStringToObject(o, "detail", d);
    cJSON_AddItemToArray(items, o);
    free(d);
}

/* Merge obj's members into s->facts[key] (created when missing); takes obj. */
static void facts_merge(struct run *r, struct service *s, const char *key, cJSON *obj)
{
    cJSON *dst;

    pthread_mutex_lock(&r->lock);
    if (!s->facts)
        s->facts = cJSON_CreateObject();
    dst = cJSON_GetObjectItemCaseSensitive(s->facts, key);
    if (!cJSON_IsObject(dst)) {
        cJSON_DeleteItemFromObjectCaseSensitive(s->facts, key);
        dst = cJSON_AddObjectToObject(s->facts, key);
    }
    while (obj->child) {
        cJSON *c = cJSON_DetachItemViaPointer(obj, obj->child);
        cJSON_DeleteItemFromObjectCaseSensitive(dst, c->string);
        cJSON_AddItemToObject(dst, c->string, c);
    }
    pthread_mutex_unlock(&r->lock);
    cJSON_Delete(obj);
}

/* ---- a byte stream, plain or TLS (tlsconn.h) ---- */

/* Read until done says so, cap, close or the deadline. Bytes read, or a negative sp_err if none. */
static ssize_t us_recv_until(struct tls_stream *us, uint8_t *buf, size_t cap, int64_t dl,
                             net_done_fn done, void *arg)
{
    size_t len = 0;
    ssize_t n = 0;

    while (len < cap) {
        n = tls_stream_recv(us, buf + len, cap - len, dl);
        if (n <= 0)
            break;
        len += (size_t)n;
        if (done && done(buf, len, arg))
            break;
    }
    if (len == 0 && n < 0 && n != SP_ERR_CLOSED && n != SP_ERR_TIMEOUT)
        return n;
    return (ssize_t)len;
}

/* ---- HTTP ---- */

struct http_fetch {
    struct http_response h;
    uint8_t *body;          /* HTTP_RAW_MAX bytes */
    size_t bodylen;
    uint64_t hash;
    char path[256];         /* the path that answered, after redirects */
    char err[200];
};

/* One GET on a fresh connection. 0 with f->h parsed, or a negative sp_err with f->err. */
static int http_get_once(struct run *r, const struct service *s, int tls, const char *path,
                         int64_t op_ms, struct http_fetch *f)
{
    uint8_t req[600], *raw = xmalloc(HTTP_RAW_MAX);
    struct tls_stream us;
    size_t reqlen;
    ssize_t n;
    int rc, complete;
    long bl;
    int64_t dl = run_op_deadline(r, op_ms);

    reqlen = http_build_get(req, sizeof(req), r->target.host[0] ? r->target.host : r->target.addrstr,
                            s->port, tls, path);
    if (reqlen == 0)
        reqlen = http_build_get(req, sizeof(req), r->target.addrstr, s->port, tls, path);
    if (reqlen == 0) {
        snprintf(f->err, sizeof(f->err), "path cannot be put in a request line");
        rc = SP_ERR_USAGE;
        goto cleanup;
    }
    rc = tls_stream_open(&us, &r->target, s->port, tls, dl, f->err, sizeof(f->err));
    if (rc != 0)
        goto cleanup;
    rc = tls_stream_send(&us, req, reqlen, dl);
    n = rc == 0 ? us_recv_until(&us, raw, HTTP_RAW_MAX, dl, http_reply_done, NULL) : rc;
    tls_stream_close(&us);
    if (n <= 0) {
        snprintf(f->err, sizeof(f->err), "no reply to GET %.120s: %s", path,
                 n == 0 ? "nothing before the deadline or close" : net_strerror((int)n));
        rc = n == 0 ? SP_ERR_TIMEOUT : (int)n;
        goto cleanup;
    }
    if (http_parse_head(raw, (size_t)n, &f->h) != 0 || !f->h.complete) {
        char *p = sp_printable(raw, (size_t)n < 80 ? (size_t)n : 80, 100);
        snprintf(f->err, sizeof(f->err), "GET %.80s: not an HTTP reply: '%.80s'", path, p);
        free(p);
        rc = SP_ERR_PARSE;
        goto cleanup;
    }
    bl = http_body(raw, (size_t)n, &f->h, f->body, HTTP_RAW_MAX, &complete);
    f->bodylen = bl > 0 ? (size_t)bl : 0;
    f->hash = http_fnv1a(f->body, f->bodylen);
    sp_strlcpy(f->path, path, sizeof(f->path));
    rc = 0;
cleanup:
    free(raw);
    return rc;
}

/* GET, following redirects that stay on the target, at most HTTP_MAX_REDIRECTS. */
static int http_get(struct run *r, const struct service *s, int tls, const char *path, int64_t op_ms,
                    struct http_fetch *f, int *hops)
{
    char cur[256], next[256];
    int rc;

    sp_strlcpy(cur, path, sizeof(cur));
    for (*hops = 0;; (*hops)++) {
        rc = http_get_once(r, s, tls, cur, op_ms, f);
        if (rc != 0 || f->h.status / 100 != 3 || !f->h.location[0] || *hops >= HTTP_MAX_REDIRECTS ||
            http_location_is_login(f->h.location))
            return rc;
        if (!http_same_origin_path(f->h.location, r->target.host, r->target.addrstr, s->port, tls,
                                   next, sizeof(next)) || strcmp(next, cur) == 0)
            return rc;
        sp_strlcpy(cur, next, sizeof(cur));
    }
}

static char *body_excerpt(const struct http_fetch *f)
{
    return sp_printable(f->body, f->bodylen < EXCERPT ? f->bodylen : EXCERPT, EXCERPT + 40);
}

/* Bodies within 10 % (or 64 bytes) of each other's length, or equal, count as the same page. */
static int http_similar(size_t a, uint64_t ha, size_t b, uint64_t hb)
{
    size_t d = a > b ? a - b : b - a, m = a > b ? a : b;

    return ha == hb || d <= 64 || d * 10 <= m;
}

static void http_service(struct run *r, struct service *s, int tls, const struct check *c,
                         cJSON *items, cJSON *pf)
{
    const struct ynode *paths = c ? check_param(c, "http_paths") : NULL;
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    struct http_fetch f;
    struct { int valid, is2xx; size_t len; uint64_t hash; int status; } soft = {0};
    cJSON *open = cJSON_AddArrayToObject(pf, "unauthenticated");
    char probe_path[64], *ex;
    uint8_t rnd[6];
    int hops;
    static const char *const dflt[] = {"/admin", "/cgi-bin", "/api", "/config", "/setup", "/system"};
    size_t npaths = paths && paths->type == Y_SEQ ? paths->n : SP_ARRAY_LEN(dflt);

    memset(&f, 0, sizeof(f));
    f.body = xmalloc(HTTP_RAW_MAX);
    /* A path no device has: how the server answers for nothing (a soft 404 answers 2xx). */
    if (tls_random(rnd, sizeof(rnd)) != 0)
        memset(rnd, 0x5a, sizeof(rnd));
    snprintf(probe_path, sizeof(probe_path), "/starprobe-%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1],
             rnd[2], rnd[3], rnd[4], rnd[5]);
    if (http_get(r, s, tls, probe_path, op_ms, &f, &hops) == 0) {
        soft.valid = 1;
        soft.status = f.h.status;
        soft.is2xx = f.h.status / 100 == 2;
        soft.len = f.bodylen;
        soft.hash = f.hash;
        cJSON_AddNumberToObject(pf, "soft_404_status", f.h.status);
    }

    for (size_t i = 0; i < npaths && !run_expired(r); i++) {
        const char *path = paths && paths->type == Y_SEQ
                               ? (paths->items[i]->type == Y_SCALAR ? paths->items[i]->value : NULL)
                               : dflt[i];
        int rc;
        if (!path || path[0] != '/')
            continue;
        memset(&f.h, 0, sizeof(f.h));
        f.bodylen = 0;
        f.err[0] = '\0';
        rc = http_get(r, s, tls, path, op_ms, &f, &hops);
        if (rc != 0) {
            item_add(items, "path", path, "undecided", "%s", f.err);
            continue;
        }
        const char *via = hops ? " after redirect to " : "";
        const char *viap = hops ? f.path : "";
        int st = f.h.status;
        if (st == 401 || st == 403 || st == 407) {
            item_add(items, "path", path, "protected", "%s%s%s", f.h.status_line, via, viap);
        } else if (st / 100 == 3) {
            char next[256];
            int login = http_location_is_login(f.h.location);
            /*
             * Still a redirect on the device itself: the chain was cut (too many hops, or a
             * loop) before any answer. What lies at its end was not seen, so it is no refusal
             * (docs/design.md §4.3); a redirect to another origin is one we may not follow.
             */
            int cut = !login && http_same_origin_path(f.h.location, r->target.host, r->target.addrstr,
                                                      s->port, tls, next, sizeof(next));
            if (cut)
                item_add(items, "path", path, "undecided",
                         "%s, Location: %s (a redirect chain on the device that did not end "
                         "within %d hops)", f.h.status_line, f.h.location, HTTP_MAX_REDIRECTS);
            else
                item_add(items, "path", path, login ? "protected" : "absent", "%s, Location: %s%s",
                         f.h.status_line, f.h.location,
                         login ? " (a login page)" : " (not followed: another origin)");
        } else if (st / 100 == 2) {
            ex = body_excerpt(&f);
            if (http_body_is_login_form(f.body, f.bodylen)) {
                item_add(items, "path", path, "protected", "%s%s%s serves a login form: '%s'",
                         f.h.status_line, via, viap, ex);
            } else if (f.bodylen == 0) {
                item_add(items, "path", path, "ambiguous", "%s%s%s with an empty body",
                         f.h.status_line, via, viap);
            } else if (soft.valid && soft.is2xx &&
                       http_similar(f.bodylen, f.hash, soft.len, soft.hash)) {
                item_add(items, "path", path, "ambiguous",
                         "%s%s%s, %zu bytes, like the %zu-byte answer to the non-existent %s "
                         "(the server answers 2xx to anything)",
                         f.h.status_line, via, viap, f.bodylen, soft.len, probe_path);
            } else {
                cJSON *o = cJSON_CreateObject();
                cJSON_AddStringToObject(o, "path", path);
                if (hops)
                    cJSON_AddStringToObject(o, "final_path", f.path);
                cJSON_AddNumberToObject(o, "status", st);
                cJSON_AddItemToArray(open, o);
                item_add(items, "path", path, "open", "%s%s%s without credentials, %zu bytes: '%s'",
                         f.h.status_line, via, viap, f.bodylen, ex);
                /* The final path may be the one the declaration names. */
                if (hops)
                    cJSON_AddStringToObject(cJSON_GetArrayItem(items, cJSON_GetArraySize(items) - 1),
                                            "final_path", f.path);
            }
            free(ex);
        } else {
            item_add(items, "path", path, "absent", "%s%s%s", f.h.status_line, via, viap);
        }
    }
    free(f.body);
}

/* ---- MQTT ---- */

struct mqtt_read {
    struct tls_stream *us;
    uint8_t buf[16384];
    size_t len;
};

/* The next whole packet, or a negative sp_err (timeout, close, malformed). Copies into pkt storage. */
static int mqtt_next(struct mqtt_read *mr, int64_t dl, struct mqtt_packet *p, uint8_t *store,
                     size_t storecap)
{
    for (;;) {
        long n = mqtt_packet_next(mr->buf, mr->len, p);
        if (n < 0)
            return SP_ERR_PARSE;
        if (n > 0) {
            size_t bl = p->body_len < storecap ? p->body_len : storecap;
            memcpy(store, p->body, bl);
            p->body = store;
            p->body_len = bl;
            memmove(mr->buf, mr->buf + n, mr->len - (size_t)n);
            mr->len -= (size_t)n;
            return 0;
        }
        if (mr->len == sizeof(mr->buf)) {
            /* A packet bigger than we keep: drop what we have and resync is impossible; stop. */
            return SP_ERR_PARSE;
        }
        ssize_t got = tls_stream_recv(mr->us, mr->buf + mr->len, sizeof(mr->buf) - mr->len, dl);
        if (got <= 0)
            return got == 0 ? SP_ERR_CLOSED : (int)got;
        mr->len += (size_t)got;
    }
}

static const char *connack_meaning(int v, int rc)
{
    if (rc == 0)
        return "accepted";
    if (v == MQTT_V311)
        return rc == 1 ? "unacceptable protocol version" : rc == 2 ? "identifier rejected"
             : rc == 3 ? "server unavailable" : rc == 4 ? "bad user name or password"
             : rc == 5 ? "not authorized" : "unknown";
    return rc == 0x84 ? "unsupported protocol version" : rc == 0x86 ? "bad user name or password"
         : rc == 0x87 ? "not authorized" : rc == 0x8c ? "bad authentication method" : "refused";
}

static int connack_protected(int v, int rc)
{
    return v == MQTT_V311 ? (rc == 4 || rc == 5) : (rc == 0x86 || rc == 0x87 || rc == 0x8c);
}

static void mqtt_service(struct run *r, struct service *s, int tls, const struct check *c,
                         cJSON *items, cJSON *mf)
{
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    long wait_ms = c ? check_param_int(c, "mqtt_subscribe_wait_ms", 2000) : 2000;
    static const char *const filters[] = {"#", "$SYS/#"};
    struct mqtt_read *mr = xcalloc(1, sizeof(*mr));
    struct tls_stream us = TLS_STREAM_INIT;
    struct mqtt_packet p;
    uint8_t pkt[1024], store[4096];
    char err[200], topic[128];
    cJSON *topics = cJSON_CreateArray();
    size_t len, ntopics = 0;
    int version = MQTT_V311, rc = 0, code = -1;
    int64_t dl;

    for (int attempt = 0; attempt < 2; attempt++) {
        dl = run_op_deadline(r, op_ms);
        if (version == MQTT_V311) {
            len = ident_build_mqtt(pkt, sizeof(pkt), NULL, s->port);
        } else {
            char id[32];
            uint8_t rnd[6];
            if (tls_random(rnd, sizeof(rnd)) != 0)
                memset(rnd, 0x5a, sizeof(rnd));
            snprintf(id, sizeof(id), "starprobe-%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
                     rnd[3], rnd[4], rnd[5]);
            len = mqtt_build_connect_v5(pkt, sizeof(pkt), id);
        }
        rc = tls_stream_open(&us, &r->target, s->port, tls, dl, err, sizeof(err));
        if (rc != 0) {
            item_add(items, "anonymous", "CONNECT", "undecided", "%s", err);
            goto cleanup;
        }
        mr->us = &us;
        mr->len = 0;
        rc = tls_stream_send(&us, pkt, len, dl);
        if (rc == 0)
            rc = mqtt_next(mr, dl, &p, store, sizeof(store));
        code = rc == 0 ? mqtt_connack_code(&p) : rc;
        if (code < 0) {
            item_add(items, "anonymous", "CONNECT", "undecided",
                     "no CONNACK to an anonymous MQTT %s CONNECT: %s",
                     version == MQTT_V5 ? "5" : "3.1.1", net_strerror(code));
            goto cleanup;
        }
        if (version == MQTT_V311 && code == 1) {
            /* A 5-only broker: ask again in its version. */
            tls_stream_close(&us);
            version = MQTT_V5;
            continue;
        }
        break;
    }
    cJSON_AddBoolToObject(mf, "anonymous", code == 0);
    cJSON_AddNumberToObject(mf, "connack_code", code);
    if (code != 0) {
        item_add(items, "anonymous", "CONNECT", connack_protected(version, code) ? "protected" : "undecided",
                 "CONNACK code 0x%02x (%s) to an anonymous MQTT %s CONNECT", (unsigned)code,
                 connack_meaning(version, code), version == MQTT_V5 ? "5" : "3.1.1");
        goto cleanup;
    }

    /* Accepted: what does an anonymous subscriber get? */
    dl = run_op_deadline(r, op_ms);
    len = mqtt_build_subscribe(pkt, sizeof(pkt), version, 1, filters, SP_ARRAY_LEN(filters));
    rc = tls_stream_send(&us, pkt, len, dl);
    dl = run_op_deadline(r, wait_ms);
    while (rc == 0 && ntopics < 32) {
        const uint8_t *pl;
        size_t plen;
        rc = mqtt_next(mr, dl, &p, store, sizeof(store));
        if (rc != 0)
            break;
        if (p.type == 9) {
            char codes[32] = "";
            for (size_t i = 2 + (version == MQTT_V5 ? 1 : 0); i < p.body_len && i < 8; i++)
                snprintf(codes + strlen(codes), sizeof(codes) - strlen(codes), " %02x", p.body[i]);
            cJSON_AddStringToObject(mf, "suback", codes);
            continue;
        }
        if (p.type != 3 || mqtt_publish_parse(&p, version, topic, sizeof(topic), &pl, &plen) != 0)
            continue;
        int dup = 0;
        for (cJSON *t = topics->child; t; t = t->next)
            dup |= strcmp(t->valuestring, topic) == 0;
        if (dup)
            continue;
        char *ex = sp_printable(pl, plen < 32 ? plen : 32, 60);
        cJSON_AddItemToArray(topics, cJSON_CreateString(topic));
        item_add(items, "topic", topic, "open", "PUBLISH delivered to an anonymous subscriber: "
                 "'%s' (%zu bytes, first 32 shown)", ex, plen);
        free(ex);
        ntopics++;
    }
    item_add(items, "anonymous", "CONNECT", "open",
             "CONNACK 0 (accepted) to an anonymous MQTT %s CONNECT without user name; "
             "SUBSCRIBE # and $SYS/# delivered %zu topic(s) in %ld ms",
             version == MQTT_V5 ? "5" : "3.1.1", ntopics, wait_ms);
    len = mqtt_build_disconnect(pkt, sizeof(pkt));
    tls_stream_send(&us, pkt, len, run_op_deadline(r, 500));
cleanup:
    cJSON_AddItemToObject(mf, "topics", topics);
    tls_stream_close(&us);
    free(mr);
}

/* ---- CoAP ---- */

/*
 * CoAP over UDP, or over DTLS (every DTLS service the scan found: a DTLS port
 * on a device is CoAP far more often than not, and the scan cannot see inside
 * the handshake). Over DTLS the client offers no credentials and does not
 * verify the server: a server that insists on a PSK or a client certificate
 * ends the handshake, which is the protection; one that lets any client
 * finish it is examined exactly like plain CoAP. All of it through libcoap
 * (coap_client.h), which reassembles a /.well-known/core longer than one block.
 */
static void coap_service(struct run *r, struct service *s, int dtls, const struct check *c,
                         cJSON *items, cJSON *cf)
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
    cJSON *res, *open;
    struct spcoap *cs = NULL;
    struct spcoap_reply m = {0};
    size_t n = 0;
    char code[8], why[128];
    int rc;

    if (maxres < 1 || maxres > 256)
        maxres = 32;
    cJSON_AddStringToObject(cf, "transport", dtls ? "dtls" : "udp");
    rc = spcoap_open(&cs, &r->target, (int)s->port, dtls ? SPCOAP_DTLS_NOCRED : SPCOAP_UDP, NULL,
                     run_op_deadline(r, op_ms), why, sizeof(why));
    if (rc != 0 && dtls && rc == SP_ERR_REFUSED) {
        cJSON_AddBoolToObject(cf, "anonymous_handshake", 0);
        item_add(items, "handshake", "DTLS", "protected",
                 "DTLS handshake without credentials refused (%s): CoAP requests need the DTLS "
                 "credentials", why);
        return;
    }
    if (rc != 0) {
        if (dtls)
            item_add(items, "handshake", "DTLS", "undecided",
                     "DTLS handshake without credentials: %s", rc == SP_ERR_TIMEOUT ? why : net_strerror(rc));
        else
            item_add(items, "resource", "/.well-known/core", "undecided", "cannot open a UDP socket: %s",
                     net_strerror(rc));
        return;
    }
    if (dtls)
        cJSON_AddBoolToObject(cf, "anonymous_handshake", 1);
    res = cJSON_AddArrayToObject(cf, "resources");
    open = cJSON_AddArrayToObject(cf, "open");
    rc = spcoap_get(cs, "/.well-known/core", &disc_lim, run_op_deadline(r, 4 * op_ms), &m);
    if (rc != 0) {
        item_add(items, "resource", "/.well-known/core", "undecided", "GET /.well-known/core%s: %s%s", how,
                 rc == SP_ERR_REFUSED ? "reset (RST) or port unreachable" : net_strerror(rc),
                 dtls ? " after a DTLS handshake without credentials" : "");
        goto cleanup;
    }
    coap_code_str(m.code, code, sizeof(code));
    if (m.code == COAP_CODE(4, 1) || m.code == COAP_CODE(4, 3)) {
        item_add(items, "resource", "/.well-known/core", "protected", "GET /.well-known/core → %s%s", code,
                 how);
        goto cleanup;
    }
    if (m.code >> 5 != 2) {
        item_add(items, "resource", "/.well-known/core", "absent",
                 "GET /.well-known/core → %s%s; no resource list to try", code, how);
        goto cleanup;
    }
    cJSON_AddNumberToObject(cf, "discovery_bytes", (double)m.len);
    cJSON_AddNumberToObject(cf, "discovery_blocks", m.blocks);
    if (m.truncated)
        cJSON_AddBoolToObject(cf, "discovery_truncated", 1);
    paths = xcalloc((size_t)maxres, sizeof(*paths));
    n = coap_link_paths(m.payload, m.len, paths, (size_t)maxres);
    {
        char *ex = sp_printable(m.payload, m.len < EXCERPT ? m.len : EXCERPT, EXCERPT + 40);
        char blocks[96] = "";
        if (m.blocks)
            snprintf(blocks, sizeof(blocks), " (%zu bytes in %u blocks%s)", m.len, m.blocks,
                     m.truncated ? ", cut short" : "");
        /* Discovery itself answers without credentials: docs/profiles.md expects 4.01/4.03 here too. */
        item_add(items, "resource", "/.well-known/core", "open",
                 "GET /.well-known/core → %s without credentials%s, %zu resources listed%s: '%s'", code,
                 how, n, blocks, ex);
        free(ex);
    }
    spcoap_reply_free(&m);
    for (size_t i = 0; i < n && !run_expired(r); i++) {
        cJSON_AddItemToArray(res, cJSON_CreateString(paths[i]));
        if (strcmp(paths[i], "/.well-known/core") == 0)
            continue;
        rc = spcoap_get(cs, paths[i], &res_lim, run_op_deadline(r, reply_ms), &m);
        if (rc != 0) {
            item_add(items, "resource", paths[i], "undecided", "GET %s%s: %s", paths[i], how,
                     rc == SP_ERR_REFUSED ? "reset (RST) or port unreachable" : net_strerror(rc));
            continue;
        }
        coap_code_str(m.code, code, sizeof(code));
        if (m.code == COAP_CODE(4, 1) || m.code == COAP_CODE(4, 3)) {
            item_add(items, "resource", paths[i], "protected", "GET %s → %s%s", paths[i], code, how);
        } else if (m.code >> 5 == 2) {
            char *ex = sp_printable(m.payload, m.len < 60 ? m.len : 60, 100);
            cJSON_AddItemToArray(open, cJSON_CreateString(paths[i]));
            item_add(items, "resource", paths[i], "open", "GET %s → %s without credentials%s: '%s'",
                     paths[i], code, how, ex);
            free(ex);
        } else {
            item_add(items, "resource", paths[i], "absent", "GET %s → %s%s", paths[i], code, how);
        }
        spcoap_reply_free(&m);
    }
cleanup:
    spcoap_reply_free(&m);
    free(paths);
    spcoap_close(cs);
}

/* ---- FTP ---- */

static int ftp_reply_done(const uint8_t *buf, size_t len, void *arg)
{
    int code;
    (void)arg;
    return ftp_reply_parse(buf, len, &code) != 0;
}

/* Send cmd (may be NULL: just read the greeting); the reply code, or a negative sp_err. */
static int ftp_cmd(struct tls_stream *us, const char *cmd, int64_t dl, char *line, size_t linecap)
{
    uint8_t buf[2048];
    ssize_t n;
    int code, rc;

    if (cmd && (rc = tls_stream_send(us, cmd, strlen(cmd), dl)) != 0)
        return rc;
    n = us_recv_until(us, buf, sizeof(buf), dl, ftp_reply_done, NULL);
    if (n <= 0)
        return n == 0 ? SP_ERR_TIMEOUT : (int)n;
    rc = ftp_reply_parse(buf, (size_t)n, &code);
    {
        char *p = sp_printable(buf, (size_t)n < 100 ? (size_t)n : 100, 140);
        sp_strlcpy(line, p, linecap);
        free(p);
    }
    return rc == 1 ? code : SP_ERR_PARSE;
}

static void ftp_service(struct run *r, struct service *s, const struct check *c, cJSON *items,
                        cJSON *ff)
{
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    struct tls_stream us;
    char err[200], greet[160], l1[160] = "", l2[160] = "";
    int code;

    if (tls_stream_open(&us, &r->target, s->port, 0, run_op_deadline(r, op_ms), err, sizeof(err)) != 0) {
        item_add(items, "login", "anonymous", "undecided", "%s", err);
        return;
    }
    code = ftp_cmd(&us, NULL, run_op_deadline(r, op_ms), greet, sizeof(greet));
    if (code != 220) {
        item_add(items, "login", "anonymous", "undecided", "no 220 greeting: %s",
                 code < 0 ? net_strerror(code) : greet);
        goto cleanup;
    }
    code = ftp_cmd(&us, "USER anonymous\r\n", run_op_deadline(r, op_ms), l1, sizeof(l1));
    /* Servers delay a refused login on purpose (PAM's 2 s, vsftpd's delay_failed_login): wait longer. */
    if (code == 331 || code == 332)
        code = ftp_cmd(&us, "PASS starprobe@\r\n", run_op_deadline(r, 2 * op_ms), l2, sizeof(l2));
    cJSON_AddBoolToObject(ff, "anonymous", code == 230);
    if (code == 230)
        item_add(items, "login", "anonymous", "open", "USER anonymous → '%s'%s%s", l1,
                 l2[0] ? ", PASS starprobe@ → " : "", l2);
    else if (code == 530 || code == 430 || (code >= 500 && code < 600))
        item_add(items, "login", "anonymous", "protected", "USER anonymous → '%s'%s%s", l1,
                 l2[0] ? ", PASS starprobe@ → " : "", l2);
    else
        item_add(items, "login", "anonymous", "undecided", "USER anonymous → %s%s%s",
                 code < 0 ? net_strerror(code) : l1, l2[0] ? ", PASS → " : "", l2);
    (void)tls_stream_send(&us, "QUIT\r\n", 6, run_op_deadline(r, 300));
cleanup:
    tls_stream_close(&us);
}

/* ---- telnet ---- */

/* The newest text a telnet session keeps: prompts and our marker come at the end. */
#define TELNET_KEEP 8192

/* Read once until dl, filtering telnet commands into rx; bytes read, or a negative sp_err. */
static ssize_t telnet_read(int fd, struct telnet_state *ts, struct rxbuf *rx, int64_t dl)
{
    uint8_t in[1024], reply[512];
    size_t rlen = 0;
    ssize_t n = net_recv(fd, in, sizeof(in), dl);

    if (n <= 0)
        return n;
    telnet_feed(ts, in, (size_t)n, rx, reply, sizeof(reply), &rlen);
    if (rlen && net_send_all(fd, reply, rlen, dl) != 0)
        return SP_ERR_IO;
    return n;
}

/*
 * The session's text is a sliding buffer addressed by stream positions
 * (rxbuf.h): a service that floods us before or after our command keeps
 * only its newest text, and the marker is still seen when it comes last.
 */
static void telnet_service(struct run *r, struct service *s, const struct check *c, cJSON *items)
{
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    static const char cmd[] = "echo SP$((6*7))MARK\r\n";
    struct telnet_state ts;
    struct tls_stream us;
    struct rxbuf rx;
    const uint8_t *seg;
    size_t seglen;
    uint64_t sent_at;
    char err[200];
    int64_t dl, quiet;

    telnet_init(&ts, TELNET_ACCEPT_ALL);
    (void)rxbuf_init(&rx, TELNET_KEEP);     /* TELNET_KEEP is a valid capacity */
    if (tls_stream_open(&us, &r->target, s->port, 0, run_op_deadline(r, op_ms), err, sizeof(err)) != 0) {
        item_add(items, "shell", "session", "undecided", "%s", err);
        rxbuf_free(&rx);
        return;
    }
    /* Negotiate and read what the service says until it asks for a login or falls quiet. */
    dl = run_op_deadline(r, op_ms);
    quiet = 0;
    for (;;) {
        int64_t until = quiet && quiet < dl ? quiet : dl;
        if (telnet_read(us.fd, &ts, &rx, until) <= 0)
            break;
        seg = rxbuf_since(&rx, 0, &seglen);
        if (telnet_prompt(seg, seglen) != TP_NONE)
            break;
        if (rxbuf_end(&rx) > 0)
            quiet = sp_now_ms() + 700;  /* text has come: wait a little for a prompt to settle */
    }
    seg = rxbuf_since(&rx, 0, &seglen);
    if (telnet_prompt(seg, seglen) != TP_NONE) {
        /* The start of what the service said (of what is kept): its banner, and the prompt in a short one. */
        char *p = sp_printable(seg, seglen < 100 ? seglen : 100, 140);
        item_add(items, "shell", "session", "protected", "asks for a login first: '%s'", p);
        free(p);
        goto cleanup;
    }
    /* No login asked for: does a shell run our command? Our own echo shows "$((6*7))", not 42. */
    sent_at = rxbuf_end(&rx);
    dl = run_op_deadline(r, op_ms);
    if (net_send_all(us.fd, cmd, sizeof(cmd) - 1, dl) != 0) {
        item_add(items, "shell", "session", "undecided", "the session closed before a command");
        goto cleanup;
    }
    for (;;) {
        seg = rxbuf_since(&rx, sent_at, &seglen);
        if (sp_memcasemem(seg, seglen, "SP42MARK") || telnet_read(us.fd, &ts, &rx, dl) <= 0)
            break;
    }
    {
        const uint8_t *tail = rxbuf_tail(&rx, 120, &seglen);
        char *p = sp_printable(tail, seglen, 200);
        const char *cut = rxbuf_end(&rx) > seglen ? "…" : "";     /* the excerpt starts mid-stream */
        seg = rxbuf_since(&rx, sent_at, &seglen);
        if (sp_memcasemem(seg, seglen, "SP42MARK"))
            item_add(items, "shell", "session", "open",
                     "no login prompt; 'echo SP$((6*7))MARK' was executed (SP42MARK came back): '%s%s'",
                     cut, p);
        else
            item_add(items, "shell", "session", "undecided",
                     "no login prompt, and no shell answered 'echo SP$((6*7))MARK': '%s%s'", cut, p);
        free(p);
    }
cleanup:
    tls_stream_close(&us);
    rxbuf_free(&rx);
}

/* ---- SSH ---- */

/*
 * The SSH gatherer (our prerequisite) already sent the "none" authentication
 * request; its answer is the whole fact, so no second session is opened here.
 */
static void ssh_service(struct run *r, struct service *s, cJSON *items)
{
    char why[256] = "", methods[160] = "";
    int state = -1;             /* -1 never answered, 0 refused, 1 accepted */

    pthread_mutex_lock(&r->lock);
    {
        cJSON *sf = s->facts ? cJSON_GetObjectItemCaseSensitive(s->facts, "ssh") : NULL;
        cJSON *an = sf ? cJSON_GetObjectItemCaseSensitive(sf, "auth_none_accepted") : NULL;
        cJSON *am = sf ? cJSON_GetObjectItemCaseSensitive(sf, "auth_methods") : NULL;
        cJSON *err = sf ? cJSON_GetObjectItemCaseSensitive(sf, "auth_error") : NULL;
        cJSON *m;

        if (!cJSON_IsString(err) && sf)
            err = cJSON_GetObjectItemCaseSensitive(sf, "error");
        if (cJSON_IsBool(an)) {
            state = cJSON_IsTrue(an) ? 1 : 0;
            cJSON_ArrayForEach(m, am) {
                size_t len = strlen(methods);
                if (cJSON_IsString(m) && len < sizeof(methods))
                    snprintf(methods + len, sizeof(methods) - len, " %s", m->valuestring);
            }
        } else if (cJSON_IsString(err)) {
            snprintf(why, sizeof(why), "%s", err->valuestring);
        } else {
            snprintf(why, sizeof(why), "%s", sf ? "the SSH server never answered the 'none' request"
                                                : "the SSH audit gathered nothing for this service");
        }
    }
    pthread_mutex_unlock(&r->lock);
    if (state == 1)
        item_add(items, "login", "none", "open",
                 "SSH authentication method 'none' accepted: a session without credentials");
    else if (state == 0)
        item_add(items, "login", "none", "protected",
                 "SSH 'none' authentication refused; methods offered:%s", methods);
    else
        item_add(items, "login", "none", "undecided", "SSH 'none' authentication not decided: %s", why);
}

/* ---- SNMP ---- */

static void snmp_service(struct run *r, struct service *s, const struct check *c, cJSON *items,
                         cJSON *sf)
{
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    static const char *const comms[] = {"public", "private"};
    cJSON *ok = cJSON_AddArrayToObject(sf, "communities");
    uint8_t req[512], rep[2048];
    char name[48];

    for (int v = IDENT_SNMP_V1; v <= IDENT_SNMP_V2C; v++) {
        for (size_t i = 0; i < SP_ARRAY_LEN(comms); i++) {
            uint32_t id;
            struct snmp_reply sr;
            int got = 0, refused = 0;
            size_t len;
            int fd;

            snprintf(name, sizeof(name), "%s (%s)", comms[i], v == IDENT_SNMP_V1 ? "v1" : "v2c");
            if (tls_random((uint8_t *)&id, sizeof(id)) != 0)
                id = (uint32_t)sp_now_ms();
            id &= 0x7fffffff;
            len = ident_snmp_build(req, sizeof(req), v, comms[i], id);
            fd = net_udp_open(&r->target, (int)s->port);
            if (fd < 0 || len == 0) {
                item_add(items, "community", name, "undecided", "cannot send the request");
                if (fd >= 0)
                    close(fd);
                continue;
            }
            for (int attempt = 0; attempt < 2 && !got && !refused; attempt++) {
                int64_t dl = run_op_deadline(r, op_ms / 3);
                if (send(fd, req, len, MSG_NOSIGNAL) < 0) {
                    refused = 1;
                    break;
                }
                for (;;) {
                    ssize_t n = net_recv(fd, rep, sizeof(rep), dl);
                    if (n == SP_ERR_REFUSED)
                        refused = 1;
                    if (n <= 0)
                        break;
                    if (ident_snmp_parse(rep, (size_t)n, &sr) == 0 && sr.request_id == id &&
                        sr.pdu_type == 0xa2) {
                        got = 1;
                        break;
                    }
                }
            }
            close(fd);
            if (got && sr.error_status == 0) {
                cJSON_AddItemToArray(ok, cJSON_CreateString(comms[i]));
                item_add(items, "community", name, "open",
                         "GetResponse to GetRequest sysDescr.0 with community '%s' (%s): %s = '%s'",
                         comms[i], v == IDENT_SNMP_V1 ? "v1" : "v2c", sr.oid, sr.value);
            } else if (got) {
                item_add(items, "community", name, "undecided",
                         "GetResponse with error-status %ld to community '%s'", sr.error_status, comms[i]);
            } else if (refused) {
                item_add(items, "community", name, "undecided", "port unreachable");
            } else {
                /* Agents drop requests with an unknown community silently (RFC 1157 §4.1). */
                item_add(items, "community", name, "protected",
                         "no GetResponse to community '%s' within %lld ms (two tries)", comms[i],
                         (long long)(op_ms / 3 * 2));
            }
        }
    }
}

/* ---- the gatherer ---- */

enum ukind { U_NONE, U_HTTP, U_HTTPS, U_MQTT, U_MQTTS, U_COAP, U_COAPS, U_FTP, U_TELNET, U_SSH, U_SNMP };

static enum ukind unauth_kind(const char *name)
{
    static const struct { const char *n; enum ukind k; } tab[] = {
        {"http", U_HTTP}, {"https", U_HTTPS}, {"mqtt", U_MQTT}, {"mqtts", U_MQTTS},
        {"coap", U_COAP}, {"dtls", U_COAPS}, {"coaps", U_COAPS}, {"ftp", U_FTP},
        {"telnet", U_TELNET}, {"ssh", U_SSH}, {"snmp", U_SNMP}, {"snmpv3", U_SNMP}};
    for (size_t i = 0; i < SP_ARRAY_LEN(tab); i++)
        if (strcmp(tab[i].n, name) == 0)
            return tab[i].k;
    return U_NONE;
}

struct ujob {
    struct service **svc;
    const struct check *chk;
};

static void unauth_one(struct run *r, size_t i, void *arg)
{
    struct ujob *job = arg;
    struct service *s = job->svc[i];
    cJSON *u = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(u, "items");
    cJSON *pf = cJSON_CreateObject();
    const char *pkey = NULL;
    char label[32];

    service_label(s, label, sizeof(label));
    run_progress(r, 0, "auth.unauthenticated: %s %s", label, s->name);
    switch (unauth_kind(s->name)) {
    case U_HTTP:
    case U_HTTPS:
        http_service(r, s, unauth_kind(s->name) == U_HTTPS, job->chk, items, pf);
        pkey = "http";
        break;
    case U_MQTT:
    case U_MQTTS:
        mqtt_service(r, s, unauth_kind(s->name) == U_MQTTS, job->chk, items, pf);
        pkey = "mqtt";
        break;
    case U_COAP:
    case U_COAPS:
        coap_service(r, s, unauth_kind(s->name) == U_COAPS, job->chk, items, pf);
        pkey = "coap";
        break;
    case U_FTP:
        ftp_service(r, s, job->chk, items, pf);
        pkey = "ftp";
        break;
    case U_TELNET:
        telnet_service(r, s, job->chk, items);
        break;
    case U_SSH:
        ssh_service(r, s, items);
        break;
    case U_SNMP:
        snmp_service(r, s, job->chk, items, pf);
        pkey = "snmp";
        break;
    case U_NONE:
        break;
    }
    if (pkey)
        facts_merge(r, s, pkey, pf);
    else
        cJSON_Delete(pf);
    {
        /* facts.unauth replaces any earlier one whole: it is this gatherer's own. */
        cJSON *wrap = cJSON_CreateObject();
        cJSON_AddItemToObject(wrap, "items", cJSON_DetachItemFromObject(u, "items"));
        cJSON_Delete(u);
        pthread_mutex_lock(&r->lock);
        if (!s->facts)
            s->facts = cJSON_CreateObject();
        cJSON_DeleteItemFromObjectCaseSensitive(s->facts, "unauth");
        cJSON_AddItemToObject(s->facts, "unauth", wrap);
        pthread_mutex_unlock(&r->lock);
    }
}

static int unauth_gather(struct run *r)
{
    struct ujob job = {.svc = xcalloc(r->nservices + 1, sizeof(*job.svc)),
                       .chk = run_check_for(r, &probe_auth_unauthenticated)};
    size_t n = 0;

    for (size_t i = 0; i < r->nservices; i++)
        if (unauth_kind(r->services[i]->name) != U_NONE)
            job.svc[n++] = r->services[i];
    run_progress(r, 1, "auth.unauthenticated: %zu services to try without credentials", n);
    run_parallel(r, n, unauth_one, &job);
    free(job.svc);
    return run_expired(r) ? SP_ERR_TIMEOUT : 0;
}

static const struct gatherer gatherer_unauth = {
    .name = "unauth",
    /* the SSH gatherer asks "none" itself (and needs the scan) */
    .needs = &gatherer_ssh,
    .gather = unauth_gather,
};

/* ---- the judge ---- */

static const char *item_public(const struct service *s, const cJSON *it)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(it, "item");
    const cJSON *fin = cJSON_GetObjectItemCaseSensitive(it, "final_path");
    const char *m = NULL;

    if (!s->decl || !s->decl->npublic || !cJSON_IsString(item))
        return NULL;
    m = unauth_public_match(s->decl->public_items, s->decl->npublic, item->valuestring);
    if (!m && cJSON_IsString(fin))
        m = unauth_public_match(s->decl->public_items, s->decl->npublic, fin->valuestring);
    return m;
}

static void unauth_judge(struct run *r, const struct check *c, struct check_result *res)
{
    size_t applicable = 0, findings = 0, undecided = 0;
    struct strbuf bad, unsure;
    char label[32];

    (void)c;
    if (!r->scan.tcp_done) {
        cr_set(res, V_INCONCLUSIVE, "The port scan did not run, so the services to try are unknown.");
        return;
    }
    sb_init(&bad);
    sb_init(&unsure);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        enum ukind k = unauth_kind(s->name);
        const cJSON *u, *items, *it;
        size_t sv_find = 0, sv_unsure = 0, sv_ok = 0;
        struct strbuf okd;

        service_label(s, label, sizeof(label));
        if (k == U_NONE) {
            /* Coverage: a service without a client here is named, never passed over in silence. */
            int none;
            const char *gap = proto_unauth_gap(s, &none);
            if (none)
                continue;   /* it gates nothing (DNS, NTP, DHCP…) */
            undecided++;
            cr_evidence(res, label, "%s: not examined by auth.unauthenticated: %s", s->name, gap);
            sb_printf(&unsure, "%s%s %s (not examined)", unsure.len ? ", " : "", label, s->name);
            continue;
        }
        applicable++;
        u = s->facts ? cJSON_GetObjectItemCaseSensitive(s->facts, "unauth") : NULL;
        items = u ? cJSON_GetObjectItemCaseSensitive(u, "items") : NULL;
        if (!cJSON_IsArray(items) || cJSON_GetArraySize(items) == 0) {
            undecided++;
            cr_evidence(res, label, "%s was not tried without credentials (run deadline)", s->name);
            sb_printf(&unsure, "%s%s %s", unsure.len ? ", " : "", label, s->name);
            continue;
        }
        /*
         * MQTT: an accepted anonymous CONNECT is the finding, unless the
         * declaration names public topics for this broker and every topic
         * delivered is one of them.
         */
        int mqtt_nonpublic_topic = 0, mqtt_anon_open = 0;
        sb_init(&okd);
        cJSON_ArrayForEach(it, items) {
            const char *kind = cJSON_GetObjectItemCaseSensitive(it, "kind")->valuestring;
            const char *item = cJSON_GetObjectItemCaseSensitive(it, "item")->valuestring;
            const char *result = cJSON_GetObjectItemCaseSensitive(it, "result")->valuestring;
            const char *detail = cJSON_GetObjectItemCaseSensitive(it, "detail")->valuestring;
            const char *pub;

            if (strcmp(result, "open") == 0) {
                if (strcmp(kind, "anonymous") == 0) {
                    mqtt_anon_open = 1;
                    continue;       /* decided below, once the topics are known */
                }
                pub = item_public(s, it);
                if (pub) {
                    sv_ok++;
                    cr_evidence(res, label, "%s %s: declared public (entry '%s'), not a finding: %s",
                                kind, item, pub, detail);
                    continue;
                }
                if (strcmp(kind, "topic") == 0)
                    mqtt_nonpublic_topic = 1;
                sv_find++;
                cr_evidence(res, label, "%s %s open without credentials: %s", kind, item, detail);
            } else if (strcmp(result, "ambiguous") == 0 || strcmp(result, "undecided") == 0) {
                sv_unsure++;
                cr_evidence(res, label, "%s %s undecided: %s", kind, item, detail);
            } else {
                sv_ok++;
                sb_printf(&okd, "%s%s: %s", okd.len ? "; " : "", item, detail);
            }
        }
        if (mqtt_anon_open) {
            int declared_public = s->decl && s->decl->npublic > 0 && !mqtt_nonpublic_topic;
            cJSON_ArrayForEach(it, items) {
                if (strcmp(cJSON_GetObjectItemCaseSensitive(it, "kind")->valuestring, "anonymous"))
                    continue;
                const char *detail = cJSON_GetObjectItemCaseSensitive(it, "detail")->valuestring;
                if (declared_public) {
                    sv_ok++;
                    cr_evidence(res, label, "anonymous access declared public (only declared public "
                                "topics delivered), not a finding: %s", detail);
                } else {
                    sv_find++;
                    cr_evidence(res, label, "anonymous MQTT access: %s", detail);
                }
            }
        }
        if (okd.len)
            cr_evidence(res, label, "%s protected: %s", s->name, okd.buf);
        sb_free(&okd);
        if (sv_find) {
            findings++;
            sb_printf(&bad, "%s%s %s", bad.len ? ", " : "", label, s->name);
        } else if (sv_unsure || !sv_ok) {
            undecided++;
            sb_printf(&unsure, "%s%s %s", unsure.len ? ", " : "", label, s->name);
        }
    }

    if (findings)
        cr_set(res, V_FAIL, "Functions are reachable without authentication on %s.", bad.buf);
    else if (undecided)
        cr_set(res, V_INCONCLUSIVE, "Could not decide whether %s require authentication.", unsure.buf);
    else if (!r->scan.tcp_complete || (r->scan.udp_done && !r->scan.udp_complete))
        cr_set(res, V_INCONCLUSIVE, "%zu services refused unauthenticated access, but the scan is "
               "incomplete: %s.", applicable, r->scan.why_incomplete);
    else if (applicable)
        cr_set(res, V_PASS, "All %zu services that could grant access refused it without "
               "credentials.", applicable);
    else
        cr_set(res, V_NOT_APPLICABLE, "No HTTP, MQTT, CoAP, FTP, telnet, SSH or SNMP service is open "
               "(%zu open services examined).", r->nservices);
    sb_free(&bad);
    sb_free(&unsure);
}

const struct probe probe_auth_unauthenticated = {
    .name = "auth.unauthenticated",
    .summary = "Access to functions without authentication",
    .rule = "Without credentials: each http_paths path on every HTTP(S) service must answer "
            "401/403, a redirect to a login page, a login form or not exist; a 2xx page counts "
            "only if it differs from the answer to a non-existent path (soft 404), else "
            "INCONCLUSIVE. MQTT(S): an anonymous CONNECT must get CONNACK 4/5 (0x86/0x87 in v5); "
            "if accepted, SUBSCRIBE # and $SYS/# for mqtt_subscribe_wait_ms and list the topics: "
            "FAIL. CoAP (libcoap, Block2 reassembled): /.well-known/core and each listed resource "
            "must answer 4.01/4.03; on every DTLS service a handshake without credentials must be "
            "refused, and when it completes the resources are tried over DTLS the same way. FTP: USER anonymous must not log in. telnet: a shell without "
            "a login prompt FAILs. SSH: authentication 'none' must be refused. SNMP: communities "
            "public and private (v1, v2c) must get no GetResponse. Paths, resources and topics the "
            "declaration lists under `public` are exempt. FAIL on any finding; PASS only when "
            "every such service answered and refused; else INCONCLUSIVE.",
    .flags = 0,
    .params = unauth_params,
    .gatherer = &gatherer_unauth,
    .judge = unauth_judge,
};
