/*
 * mqtt.c - the MQTT handler. Logins go through the Paho C client (synchronous API).
 * Paho opens its own socket, so it is given only tcp:// or ssl:// and the
 * target's numeric address, and a connect timeout from the deadline.
 * A login counts when CONNACK is 0 with the credentials on a broker that
 * refused an anonymous CONNECT (return code 4 or 5): a broker that lets
 * everyone in accepts any password, which proves nothing about passwords.
 *
 * Without credentials (auth.unauthenticated), MQTT is written by hand
 * (mqtt_wire.c) rather than with Paho: Paho opens its own socket and its
 * timeouts are per call, not an absolute deadline, and it cannot be handed a
 * TLS session whose certificate we deliberately do not verify on our own
 * socket. An anonymous CONNECT, then SUBSCRIBE '#': four packet types.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <MQTTClient.h>

#include "login.h"
#include "proto.h"
#include "ident.h"
#include "mqtt_wire.h"
#include "run.h"
#include "tlsconn.h"
#include "tls_wire.h"
#include "util.h"

/* CONNACK return code (0-5), or a negative Paho error. */
static int mqtt_try(const struct login_service *ls, const char *user, const char *pass,
                    int64_t deadline)
{
    MQTTClient_connectOptions opts = MQTTClient_connectOptions_initializer;
    MQTTClient_SSLOptions ssl = MQTTClient_SSLOptions_initializer;
    MQTTClient client = NULL;
    char uri[128], id[24], marker[9];
    int secs = (sp_ms_left(deadline) + 999) / 1000, rc;
    int v6 = ls->target->family == AF_INET6;

    if (secs < 1)
        return MQTTCLIENT_FAILURE;
    snprintf(uri, sizeof(uri), "%s://%s%s%s:%ld", ls->tls ? "ssl" : "tcp", v6 ? "[" : "",
             ls->target->addrstr, v6 ? "]" : "", ls->port);
    login_marker(marker, sizeof(marker));
    snprintf(id, sizeof(id), "starprobe-%s", marker);
    rc = MQTTClient_create(&client, uri, id, MQTTCLIENT_PERSISTENCE_NONE, NULL);
    if (rc != MQTTCLIENT_SUCCESS)
        return rc;
    opts.keepAliveInterval = 10;
    opts.cleansession = 1;
    opts.connectTimeout = secs;
    opts.MQTTVersion = MQTTVERSION_3_1_1;
    opts.retryInterval = 0;
    if (user && user[0]) {
        opts.username = user;
        opts.password = pass;
    }
    if (ls->tls) {
        /* Not a certificate check: tls.certificate judges the certificate. */
        ssl.enableServerCertAuth = 0;
        ssl.verify = 0;
        opts.ssl = &ssl;
    }
    rc = MQTTClient_connect(client, &opts);
    if (rc == MQTTCLIENT_SUCCESS)
        MQTTClient_disconnect(client, 100);
    MQTTClient_destroy(&client);
    return rc;
}

static int mqtt_login_prepare(struct login_service *ls, const char *const *paths, int64_t deadline)
{
    (void)paths;
    int rc = mqtt_try(ls, NULL, NULL, deadline);

    if (rc == 0) {
        ls->mode = LOGIN_MODE_OPEN;
        snprintf(ls->how, sizeof(ls->how), "anonymous CONNECT accepted (CONNACK 0)");
        return 0;
    }
    if (rc == 4 || rc == 5) {
        ls->mode = LOGIN_MODE_PASSWORD;
        snprintf(ls->how, sizeof(ls->how), "anonymous CONNECT refused (CONNACK %d)", rc);
        return 0;
    }
    snprintf(ls->how, sizeof(ls->how), "anonymous CONNECT: no CONNACK (Paho %d)", rc);
    return SP_ERR_IO;
}

static void mqtt_login_attempt(const struct login_service *ls, const char *user, const char *pass,
                        int64_t deadline, struct login_result *out)
{
    int rc = mqtt_try(ls, user, pass, deadline);

    if (rc >= 0 && rc <= 5)
        login_note(out, "CONNECT with user and password -> CONNACK %d (%s)", rc,
                   rc == 0 ? "accepted" : rc == 4 ? "bad user name or password"
                           : rc == 5 ? "not authorized" : "refused");
    else
        login_note(out, "CONNECT with user and password: no CONNACK (Paho %d)", rc);
    if (rc == 0)
        out->status = ls->mode == LOGIN_MODE_PASSWORD ? LOGIN_OK : LOGIN_ERROR;
    else if (rc == 4 || rc == 5)
        out->status = LOGIN_REJECTED;
    else if (rc == 3)
        out->status = LOGIN_LOCKED;     /* server unavailable */
    else
        out->status = LOGIN_ERROR;
}

/* ---- auth.unauthenticated: what the service gives a client with no credentials ---- */

#define EXCERPT 160



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

static void mqtt_seen(struct run *r, struct service *s, int tls, const struct check *c,
                      struct unauth_facts *items, struct mqtt_facts *mf)
{
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    long wait_ms = c ? check_param_int(c, "mqtt_subscribe_wait_ms", 2000) : 2000;
    static const char *const filters[] = {"#", "$SYS/#"};
    struct mqtt_read *mr = xcalloc(1, sizeof(*mr));
    struct tls_stream us = TLS_STREAM_INIT;
    struct mqtt_packet p;
    uint8_t pkt[1024], store[4096];
    char err[200], topic[128];
    size_t len, ntopics = 0;
    int version = MQTT_V311, rc = 0, code = -1;
    int64_t dl;

    for (int attempt = 0; attempt < 2; attempt++) {
        dl = run_op_deadline(r, op_ms);
        if (version == MQTT_V311) {
            len = mqtt_ident_build(pkt, sizeof(pkt), NULL, s->port);
        } else {
            char id[32];
            uint8_t rnd[6];
            if (wire_random(rnd, sizeof(rnd)) != 0)
                memset(rnd, 0x5a, sizeof(rnd));
            snprintf(id, sizeof(id), "starprobe-%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
                     rnd[3], rnd[4], rnd[5]);
            len = mqtt_build_connect_v5(pkt, sizeof(pkt), id);
        }
        rc = tls_stream_open(&us, &r->target, s->port, tls, dl, err, sizeof(err));
        if (rc != 0) {
            unauth_item(items, "anonymous", "CONNECT", "undecided", "%s", err);
            goto cleanup;
        }
        mr->us = &us;
        mr->len = 0;
        rc = tls_stream_send(&us, pkt, len, dl);
        if (rc == 0)
            rc = mqtt_next(mr, dl, &p, store, sizeof(store));
        code = rc == 0 ? mqtt_connack_code(&p) : rc;
        if (code < 0) {
            unauth_item(items, "anonymous", "CONNECT", "undecided",
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
    mf->answered = 1;
    mf->anonymous = code == 0;
    mf->connack_code = code;
    if (code != 0) {
        unauth_item(items, "anonymous", "CONNECT", connack_protected(version, code) ? "protected" : "undecided",
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
            free(mf->suback);
            mf->suback = xstrdup(codes);
            continue;
        }
        if (p.type != 3 || mqtt_publish_parse(&p, version, topic, sizeof(topic), &pl, &plen) != 0)
            continue;
        if (strv_has(&mf->topics, topic))
            continue;
        char *ex = sp_printable(pl, plen < 32 ? plen : 32, 60);
        strv_add(&mf->topics, topic);
        unauth_item(items, "topic", topic, "open", "PUBLISH delivered to an anonymous subscriber: "
                 "'%s' (%zu bytes, first 32 shown)", ex, plen);
        free(ex);
        ntopics++;
    }
    unauth_item(items, "anonymous", "CONNECT", "open",
             "CONNACK 0 (accepted) to an anonymous MQTT %s CONNECT without user name; "
             "SUBSCRIBE # and $SYS/# delivered %zu topic(s) in %ld ms",
             version == MQTT_V5 ? "5" : "3.1.1", ntopics, wait_ms);
    len = mqtt_build_disconnect(pkt, sizeof(pkt));
    tls_stream_send(&us, pkt, len, run_op_deadline(r, 500));
cleanup:
    tls_stream_close(&us);
    free(mr);
}

/*
 * transport.plaintext: the CONNACK that identified the service refused an
 * anonymous CONNECT for want of a user name and password (3.1.1 codes 4 and
 * 5, v5 reason codes 0x86 and 0x87).
 */
static int mqtt_asks_credentials(const struct service *s, char *why, size_t whylen, char *what,
                                 size_t whatlen)
{
    struct mqtt_packet p;
    int rc;

    if (mqtt_packet_next(s->reply, s->replylen, &p) <= 0 || (rc = mqtt_connack_code(&p)) < 0)
        return 0;
    if (rc != 4 && rc != 5 && rc != 0x86 && rc != 0x87)
        return 0;
    snprintf(why, whylen, "plaintext MQTT expects a user name and password (CONNACK code 0x%02x "
                          "to an anonymous CONNECT)", (unsigned)rc);
    snprintf(what, whatlen, "mqtt with password");
    return 1;
}

/* The unauth slot: mqtt_seen, its facts set on the service whatever path it ended by. */
static void mqtt_service(struct run *r, struct service *s, int tls, const struct check *c,
                         struct unauth_facts *items)
{
    struct mqtt_facts *f = mqtt_facts_new();

    mqtt_seen(r, s, tls, c, items, f);
    run_set_mqtt_facts(r, s, f);
}

static const char *const mqtt_names[] = {"mqtt", NULL};
static const char *const mqtt_tls_names[] = {"mqtts", NULL};

const struct proto proto_mqtt = {
    .name = "mqtt",
    .names = mqtt_names,
    .tls_names = mqtt_tls_names,
    /* A broker speaks only after CONNECT, and CONNACK names no software. */
    .flags = PROTO_QUIET_BEFORE_LOGIN,
    .login_prepare = mqtt_login_prepare,
    .login_attempt = mqtt_login_attempt,
    .unauth = mqtt_service,
    .facts_key = "mqtt",
    .asks_credentials = mqtt_asks_credentials,
};
