/*
 * upnp.c - the SSDP handler, and the UPnP device behind it. SSDP itself
 * answers anyone by design; what needs checking is the UPnP control its
 * answer points to.
 *
 * Without credentials (auth.unauthenticated): an M-SEARCH to the service's
 * port, the LOCATION of each answer (the target's own address only: a URL
 * naming another host is never fetched, docs/design.md §2.3), the device
 * description there over the HTTP client (http.h), read by upnp_wire.c,
 * and for each service one read action (Get*, Is*: never Set, Add or
 * Delete) posted to its controlURL with no credentials. An answered action
 * is open, a 401/403 or UPnP error 606 protected; a service whose type has
 * no action starprobe knows to be harmless is named undecided, since what
 * it serves without credentials was not asked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "http.h"
#include "net.h"
#include "proto.h"
#include "run.h"
#include "ssdp_wire.h"
#include "upnp_wire.h"
#include "util.h"

#define UPNP_MAX_LOCATIONS 4
#define SSDP_REPLY_MAX 2048

struct upnp_locations {
    char url[UPNP_MAX_LOCATIONS][UPNP_URL_MAX];
    size_t n;
};

static void locations_add(struct upnp_locations *l, const char *url)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->url[i], url) == 0)
            return;
    if (l->n < UPNP_MAX_LOCATIONS)
        sp_strlcpy(l->url[l->n++], url, sizeof(l->url[0]));
}

/*
 * M-SEARCH the service again and gather the LOCATIONs of its answers (a
 * device answers once per type it has): read until op_ms passes, or half a
 * second after the first LOCATION. The identifying reply is kept to at most
 * 256 bytes, too short for a LOCATION after long headers, hence the new ask;
 * it is still read when the device stays silent now.
 */
static void ssdp_locations(struct run *r, const struct service *s, int64_t op_ms,
                           struct upnp_locations *l, char *why, size_t whycap)
{
    uint8_t req[400], *buf = xmalloc(SSDP_REPLY_MAX);
    size_t reqlen = ssdp_ident_build(req, sizeof(req), 0);
    int64_t dl = run_op_deadline(r, op_ms);
    char loc[UPNP_URL_MAX];
    int fd = net_udp_open_any(&r->target), answers = 0;

    why[0] = '\0';
    if (fd < 0)
        snprintf(why, whycap, "no UDP socket: %s", net_strerror(fd));
    else if (net_sendto_target(fd, &r->target, (int)s->port, req, reqlen) != 0)
        snprintf(why, whycap, "the M-SEARCH could not be sent");
    else {
        for (int k = 0; k < 32; k++) {
            ssize_t n = net_recvfrom_target(fd, &r->target, buf, SSDP_REPLY_MAX, dl);
            if (n <= 0)
                break;
            answers++;
            if (ssdp_location(buf, (size_t)n, loc, sizeof(loc)) == 0) {
                if (l->n == 0) {
                    int64_t soon = run_op_deadline(r, 500);
                    dl = soon < dl ? soon : dl;
                }
                locations_add(l, loc);
            }
        }
        if (!answers)
            snprintf(why, whycap, "no answer to a new M-SEARCH within %lld ms",
                     (long long)op_ms);
        else if (!l->n)
            snprintf(why, whycap, "%d answers to the M-SEARCH, none with a usable LOCATION "
                     "(at most %d visible ASCII bytes)", answers, UPNP_URL_MAX - 1);
    }
    if (fd >= 0)
        close(fd);
    if (!l->n && ssdp_location(s->reply, s->replylen, loc, sizeof(loc)) == 0)
        locations_add(l, loc);
    free(buf);
}

/* Does url name the target itself (its address, or the name the user gave)? Its parts out. */
static int url_on_target(const struct run *r, const char *url, int *tls, long *port, char *path,
                         size_t pathcap)
{
    char host[256];

    if (upnp_url_split(url, tls, host, sizeof(host), port, path, pathcap) != 0)
        return 0;
    return strcasecmp(host, r->target.addrstr) == 0 ||
           (r->target.host[0] && strcasecmp(host, r->target.host) == 0);
}

/* What the description says of the device, into f's devices. */
static void device_facts(struct upnp_facts *f, const char *location, const struct upnp_device *d)
{
    struct upnp_device_facts *o = upnp_facts_add_device(f);

    o->location = xstrdup(location);
    o->device_type = xstrdup(d->device_type);
    o->friendly_name = xstrdup(d->friendly_name);
    o->manufacturer = xstrdup(d->manufacturer);
    o->model_name = xstrdup(d->model_name);
    o->model_number = xstrdup(d->model_number);
    o->serial_number = xstrdup(d->serial_number);
    for (size_t i = 0; i < d->nsvc; i++)
        upnp_device_add_service(o, d->svc[i].type, d->svc[i].control, d->svc[i].scpd);
    o->services_truncated = d->truncated;
}

/* One read action of one service, without credentials: one item. */
static void upnp_control(struct run *r, const char *base, const struct upnp_service *sv,
                         int64_t op_ms, struct http_fetch *f, struct unauth_facts *items,
                         struct strv *asked)
{
    const char *args = "", *action = upnp_read_action(sv->type, &args);
    char url[UPNP_URL_MAX], path[UPNP_URL_MAX], item[UPNP_URL_MAX + 64], soapaction[300];
    char body[1024], why[240];
    const char *result;
    long port;
    int tls;

    if (!action) {
        unauth_item(items, "control", sv->type[0] ? sv->type : "(no serviceType)", "undecided",
                    "no read action starprobe knows to be harmless for this service type, so "
                    "what its control URL '%s' does without credentials was not asked", sv->control);
        return;
    }
    if (upnp_url_resolve(base, sv->control, url, sizeof(url)) != 0 ||
        !url_on_target(r, url, &tls, &port, path, sizeof(path))) {
        unauth_item(items, "control", sv->type, "undecided", "controlURL '%s' is not a URL on the "
                    "target (not followed: starprobe talks to the target only)", sv->control);
        return;
    }
    snprintf(item, sizeof(item), "%s#%s", path, action);
    if (upnp_soap_build(body, sizeof(body), sv->type, action, args) == 0) {
        unauth_item(items, "control", item, "undecided", "the serviceType '%s' cannot be put in "
                    "a SOAP request", sv->type);
        return;
    }
    snprintf(soapaction, sizeof(soapaction), "%s#%s", sv->type, action);
    if (http_fetch_post(r, port, tls, path, "text/xml; charset=\"utf-8\"", soapaction, body, op_ms,
                        f) != 0) {
        unauth_item(items, "control", item, "undecided", "%s", f->err);
        return;
    }
    switch (soap_classify(f->h.status, f->body, f->bodylen, action, why, sizeof(why))) {
    case SOAP_ANSWERED:
        result = "open";
        strv_add(asked, item);
        break;
    case SOAP_REFUSED:
        result = "protected";
        break;
    case SOAP_NOT_SUPPORTED:
        result = "absent";
        break;
    default:
        result = "ambiguous";
        break;
    }
    {
        char *ex = sp_printable(f->body, f->bodylen < 120 ? f->bodylen : 120, 160);
        unauth_item(items, "control", item, result, "POST %s (%s, port %ld) without credentials: "
                    "%s: '%s'", path, sv->type, port, why, ex);
        free(ex);
    }
}

static void upnp_seen(struct run *r, struct service *s, int tls_unused, const struct check *c,
                      struct unauth_facts *items, struct upnp_facts *facts)
{
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    struct upnp_locations locs = {0};
    struct upnp_device *d = xmalloc(sizeof(*d));
    struct http_fetch f;
    char why[200], path[UPNP_URL_MAX];

    (void)tls_unused;
    http_fetch_init(&f);
    ssdp_locations(r, s, op_ms, &locs, why, sizeof(why));
    if (!locs.n)
        unauth_item(items, "description", "LOCATION", "undecided", "%s; the UPnP device it "
                    "announces could not be found", why[0] ? why : "no LOCATION");
    for (size_t i = 0; i < locs.n && !run_expired(r); i++) {
        const char *loc = locs.url[i], *base;
        long port;
        int tls;

        if (!url_on_target(r, loc, &tls, &port, path, sizeof(path))) {
            unauth_item(items, "description", loc, "undecided", "LOCATION names another host or "
                        "is not an http(s) URL: not fetched (starprobe talks to the target only), "
                        "so the UPnP device it announces was not examined");
            continue;
        }
        if (http_fetch_get(r, port, tls, path, op_ms, &f) != 0) {
            unauth_item(items, "description", loc, "undecided", "%s", f.err);
            continue;
        }
        if (f.h.status == 401 || f.h.status == 403) {
            unauth_item(items, "description", path, "protected", "GET %s: %s", loc,
                        f.h.status_line);
            continue;
        }
        if (f.h.status / 100 != 2 || upnp_parse_description(f.body, f.bodylen, d) != 0) {
            char *ex = sp_printable(f.body, f.bodylen < 80 ? f.bodylen : 80, 100);
            unauth_item(items, "description", loc, "undecided", "GET %s: %s, not a UPnP device "
                        "description: '%s'", loc, f.h.status_line, ex);
            free(ex);
            continue;
        }
        device_facts(facts, loc, d);
        if (d->nsvc == 0)
            unauth_item(items, "control", loc, "undecided", "the description at %s lists no "
                        "service, so no control URL could be asked", loc);
        if (d->truncated)
            unauth_item(items, "control", loc, "undecided", "the description lists more than %d "
                        "services; the rest were not asked", UPNP_MAX_SERVICES);
        base = d->url_base[0] ? d->url_base : loc;
        for (size_t k = 0; k < d->nsvc; k++) {
            if (run_expired(r)) {
                unauth_item(items, "control", d->svc[k].type, "undecided",
                            "not asked: the run deadline passed");
                continue;
            }
            upnp_control(r, base, &d->svc[k], op_ms, &f, items, &facts->control_open);
        }
    }
    http_fetch_free(&f);
    free(d);
}

/* The unauth slot: upnp_seen, its facts set on the service whatever path it ended by. */
static void upnp_unauth(struct run *r, struct service *s, int tls, const struct check *c,
                        struct unauth_facts *items)
{
    struct upnp_facts *f = upnp_facts_new();

    upnp_seen(r, s, tls, c, items, f);
    run_set_upnp_facts(r, s, f);
}

static const char *const ssdp_names[] = {"ssdp", NULL};

const struct proto proto_ssdp = {
    .name = "ssdp",
    .names = ssdp_names,
    .flags = PROTO_NO_PASSWORD | PROTO_QUIET_BEFORE_LOGIN,
    .unauth = upnp_unauth,
    .facts_key = "upnp",
};
