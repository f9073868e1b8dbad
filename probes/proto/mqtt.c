/*
 * login_mqtt.c - MQTT logins with the Paho C client (synchronous API).
 * Paho opens its own socket, so it is given only tcp:// or ssl:// and the
 * target's numeric address, and a connect timeout from the deadline.
 * A login counts when CONNACK is 0 with the credentials on a broker that
 * refused an anonymous CONNECT (return code 4 or 5): a broker that lets
 * everyone in accepts any password, which proves nothing about passwords.
 */
#include <stdio.h>
#include <string.h>

#include <MQTTClient.h>

#include "login.h"
#include "proto.h"
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

static const char *const mqtt_names[] = {"mqtt", NULL};
static const char *const mqtt_tls_names[] = {"mqtts", NULL};

const struct proto proto_mqtt = {
    .name = "mqtt",
    .names = mqtt_names,
    .tls_names = mqtt_tls_names,
    .login_prepare = mqtt_login_prepare,
    .login_attempt = mqtt_login_attempt,
};
