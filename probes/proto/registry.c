/*
 * registry.c - every protocol handler, and the look-ups the checks use.
 *
 * The handlers with slots live in their own files (ssh.c, telnet.c, http.c,
 * rtsp.c, ftp.c, mqtt.c, snmp.c, coap.c for CoAP and DTLS, vnc.c, adb.c,
 * tftp.c, upnp.c for SSDP and the UPnP device it announces). The kinds discovery finds but
 * no check can examine yet are described here, one row each with the reason
 * a check gives for leaving them out; each moves to a file of its own when it
 * gains a slot. A name the scan can produce that has no row at all ("unknown")
 * is never examined either, and is named as such.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "run.h"

extern const struct proto proto_ssh, proto_telnet, proto_http, proto_rtsp, proto_ftp, proto_mqtt,
    proto_snmp, proto_coap, proto_dtls, proto_vnc, proto_adb, proto_tftp, proto_ssdp;

/* Infrastructure kinds: no passwords, and nothing behind them that should need one. */
#define INFRASTRUCTURE(id, label, ...)                                                    \
    static const char *const id##_names[] = {__VA_ARGS__, NULL};                          \
    static const struct proto proto_##id = {                                              \
        .name = label, .names = id##_names,                                               \
        .flags = PROTO_NO_PASSWORD | PROTO_NO_GATED_FUNCTION | PROTO_QUIET_BEFORE_LOGIN}

/* Kinds without passwords whose access control no check examines yet. */
#define NO_PASSWORD(id, label, unauth_why, ...)                                           \
    static const char *const id##_names[] = {__VA_ARGS__, NULL};                          \
    static const struct proto proto_##id = {.name = label, .names = id##_names,           \
                                            .flags = PROTO_NO_PASSWORD, .no_unauth = unauth_why}

/* Kinds that do take passwords, which starprobe cannot try yet: never passed over in silence. */
#define NO_LOGIN_MODULE(id, label, why, unauth_why, ...)                                  \
    static const char *const id##_names[] = {__VA_ARGS__, NULL};                          \
    static const struct proto proto_##id = {.name = label, .names = id##_names,           \
                                            .no_login = why, .no_unauth = unauth_why}

INFRASTRUCTURE(dns, "dns", "dns", "mdns");
INFRASTRUCTURE(ntp, "ntp", "ntp");
INFRASTRUCTURE(dhcp, "dhcp", "dhcp");
/* IKE authenticates its peers itself (certificates or a pre-shared key) before anything else. */
INFRASTRUCTURE(ike, "ike", "ike");
INFRASTRUCTURE(wsd, "ws-discovery", "ws-discovery");
NO_LOGIN_MODULE(rlogin, "rlogin", "starprobe has no rlogin module yet",
                "whether rlogin opens a session without a password is not tried yet", "rlogin");
NO_LOGIN_MODULE(mysql, "mysql", "starprobe has no MySQL login module yet",
                "anonymous MySQL access is not tried yet", "mysql");
NO_LOGIN_MODULE(smtp, "smtp", "starprobe has no SMTP AUTH module yet",
                "whether SMTP relays without authentication is not tried yet", "smtp");
NO_LOGIN_MODULE(pop3, "pop3", "starprobe has no POP3 login module yet",
                "POP3 has no access without a login; its login is not tried yet", "pop3");
NO_LOGIN_MODULE(imap, "imap", "starprobe has no IMAP login module yet",
                "IMAP has no access without a login; its login is not tried yet", "imap");
/* TLS around a protocol not recognised: the TLS checks examine it, the others cannot. */
static const char *const tls_names[] = {"tls", NULL};
static const struct proto proto_tls = {
    .name = "tls",
    .names = tls_names,
    .flags = PROTO_TLS_OPAQUE,
    .no_login = "the protocol inside TLS was not recognised",
    .no_unauth = "the protocol inside TLS was not recognised",
};

const struct proto *const proto_registry[] = {
    &proto_ssh, &proto_telnet, &proto_http, &proto_rtsp, &proto_ftp, &proto_mqtt, &proto_snmp,
    &proto_coap, &proto_dtls, &proto_dns, &proto_ntp, &proto_dhcp, &proto_ike, &proto_wsd,
    &proto_ssdp, &proto_tftp, &proto_adb, &proto_vnc, &proto_rlogin, &proto_mysql, &proto_smtp,
    &proto_pop3, &proto_imap, &proto_tls, NULL};

static int in_list(const char *const *list, const char *name)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(list[i], name) == 0)
            return 1;
    return 0;
}

const struct proto *proto_for_name(const char *name, int *tls)
{
    for (size_t i = 0; name && proto_registry[i]; i++) {
        const struct proto *p = proto_registry[i];
        int clear = in_list(p->names, name), wrapped = !clear && in_list(p->tls_names, name);
        if (clear || wrapped || strcmp(p->name, name) == 0) {
            if (tls)
                *tls = wrapped;
            return p;
        }
    }
    if (tls)
        *tls = 0;
    return NULL;
}

const struct proto *proto_of(const struct service *s, int *tls)
{
    return proto_for_name(s->name, tls);
}

int proto_name_has(const char *name, unsigned flag, int *tls)
{
    const struct proto *p = proto_for_name(name, tls);

    return p && (p->flags & flag);
}

int proto_has(const struct service *s, unsigned flag, int *tls)
{
    return proto_name_has(s->name, flag, tls);
}

unsigned proto_index(const struct proto *p)
{
    unsigned i;

    for (i = 0; proto_registry[i]; i++)
        if (proto_registry[i] == p)
            break;
    return i;
}

struct unauth_item_facts *unauth_item(struct unauth_facts *items, const char *kind,
                                      const char *item, const char *result, const char *fmt, ...)
{
    struct unauth_item_facts *it;
    va_list ap;
    char *d;

    va_start(ap, fmt);
    d = xvasprintf(fmt, ap);
    va_end(ap);
    it = unauth_facts_add(items, kind, item, result, d);
    free(d);
    return it;
}

const char *proto_unauth_gap(const struct service *s, int *none)
{
    const struct proto *p = proto_of(s, NULL);

    *none = 0;
    if (!p)
        return "the service was not identified, so it could not be asked anything";
    if (p->unauth)
        return NULL;
    if (p->flags & PROTO_NO_GATED_FUNCTION) {
        *none = 1;
        return NULL;
    }
    return p->no_unauth ? p->no_unauth : "starprobe has no client for it yet";
}

int proto_open_is_proof(const struct service *s)
{
    const struct proto *p = proto_of(s, NULL);

    return p && !(p->flags & PROTO_OPEN_UNPROVEN);
}

const char *proto_login_gap(const struct service *s, int *none)
{
    const struct proto *p = proto_of(s, NULL);

    *none = 0;
    if (!p)
        return "the service was not identified, so no login could be tried";
    if (p->login_prepare)
        return NULL;
    if (p->flags & PROTO_NO_PASSWORD) {
        *none = 1;
        return NULL;
    }
    return p->no_login ? p->no_login : "starprobe has no login module for it";
}
