/*
 * onvif.c - ONVIF's device service, asked on every HTTP(S) service as part
 * of the HTTP handler's unauth slot (http.c).
 *
 * Why there and not on WS-Discovery: ONVIF is SOAP on the camera's own web
 * server, at a path the standard fixes (/onvif/device_service). A camera
 * whose discovery is switched off, or answers it from another address,
 * still serves it; the web service is what gates the function, so that is
 * the service the item belongs to, like /admin. WS-Discovery's XAddrs would
 * only name the same port and path.
 *
 * Two actions, without a WS-Security header: GetDeviceInformation and
 * GetUsers (an access class ONVIF reserves for authenticated users). The
 * answer is open; a 401/403 or a NotAuthorized fault is protected; an
 * ActionNotSupported fault absent. A server with no SOAP at that path (a
 * 404, an HTML page) is no ONVIF device and gets no item, only a fact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "onvif_wire.h"
#include "proto.h"
#include "run.h"
#include "upnp_wire.h"
#include "util.h"

#define ONVIF_PATH "/onvif/device_service"

static void onvif_answer_detail(const char *action, const struct http_fetch *f, char *out,
                                size_t cap)
{
    if (strcmp(action, "GetUsers") == 0) {
        struct onvif_users u;
        struct strbuf sb;
        sb_init(&sb);
        if (onvif_parse_users(f->body, f->bodylen, &u) == 0) {
            for (size_t i = 0; i < u.n && i < ONVIF_MAX_USERS; i++)
                sb_printf(&sb, "%s%s (%s)", i ? ", " : "", u.name[i], u.level[i]);
            snprintf(out, cap, "%zu users listed%s%s", u.n, u.n ? ": " : "", sb.len ? sb.buf : "");
        }
        sb_free(&sb);
    } else {
        struct onvif_info in;
        if (onvif_parse_info(f->body, f->bodylen, &in) == 0)
            snprintf(out, cap, "manufacturer '%s', model '%s', firmware '%s', serial '%s'",
                     in.manufacturer, in.model, in.firmware, in.serial);
    }
}

void onvif_unauth(struct run *r, struct service *s, int tls, int64_t op_ms,
                  struct unauth_facts *items, struct http_facts *hf)
{
    static const char *const actions[] = {"GetDeviceInformation", "GetUsers"};
    struct onvif_facts *o = xcalloc(1, sizeof(*o));
    struct http_fetch f;
    int speaks = 0;

    hf->onvif = o;
    http_fetch_init(&f);
    o->path = xstrdup(ONVIF_PATH);
    for (size_t i = 0; i < SP_ARRAY_LEN(actions) && !run_expired(r); i++) {
        char body[600], ctype[160], item[80], why[240], detail[400] = "";
        size_t s0, s1;
        const char *result = NULL;
        enum soap_verdict v;

        snprintf(item, sizeof(item), ONVIF_PATH "#%s", actions[i]);
        snprintf(ctype, sizeof(ctype), "application/soap+xml; charset=utf-8; "
                 "action=\"http://www.onvif.org/ver10/device/wsdl/%s\"", actions[i]);
        if (onvif_build(body, sizeof(body), actions[i]) == 0)
            continue;
        if (http_fetch_post(r, s->port, tls, ONVIF_PATH, ctype, NULL, body, op_ms, &f) != 0) {
            /* Once the path spoke SOAP, a later silence is an undecided ONVIF question. */
            if (speaks)
                unauth_item(items, "onvif", item, "undecided", "%s", f.err);
            else
                o->error = xstrdup(f.err);
            break;
        }
        v = soap_classify(f.h.status, f.body, f.bodylen, actions[i], why, sizeof(why));
        if (xml_block(f.body, f.bodylen, 0, "Envelope", &s0, &s1))
            speaks = 1;
        switch (v) {
        case SOAP_ANSWERED:
            result = "open";
            onvif_answer_detail(actions[i], &f, detail, sizeof(detail));
            break;
        case SOAP_REFUSED:
            result = "protected";
            break;
        case SOAP_NOT_SUPPORTED:
            result = speaks ? "absent" : NULL;
            break;
        case SOAP_FAULT:
            result = "ambiguous";
            break;
        case SOAP_NOT_SOAP:
            result = NULL;
            break;
        }
        if (!result) {
            o->not_onvif = xstrdup(why);
            break;
        }
        if (i == 0)
            o->device_information = xstrdup(result);
        else
            o->users = xstrdup(result);
        unauth_item(items, "onvif", item, result, "POST %s %s without WS-Security: %s%s%s",
                    ONVIF_PATH, actions[i], why, detail[0] ? "; " : "", detail);
    }
    http_fetch_free(&f);
}
