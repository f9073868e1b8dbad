/*
 * upnp_wire.c - UPnP description and control, read bounded (see
 * upnp_wire.h). Every index is checked against len; every copy is cut to
 * its buffer; nothing is nested deeper than one element in another, so no
 * recursion a device could drive.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_wire.h"
#include "upnp_wire.h"
#include "util.h"
#include "wire.h"

/* ---- a little XML ---- */

#define TAG_MAX 1024

static int name_char(uint8_t c)
{
    return c > 0x20 && c != '>' && c != '/' && c != '<' && c != '=';
}

/*
 * The tag at i (buf[i] == '<'): its local name [*ls, *le), whether it
 * closes (</x>) or is empty (<x/>), and the index after its '>' in *after.
 * 0 when it is no element tag (<?, <!, or it never ends).
 */
static int tag_at(const uint8_t *b, size_t n, size_t i, size_t *ls, size_t *le, int *closing,
                  int *empty, size_t *after)
{
    size_t j = i + 1, s;
    uint8_t quote = 0;

    *closing = *empty = 0;
    if (j < n && b[j] == '/') {
        *closing = 1;
        j++;
    }
    if (j >= n || b[j] == '?' || b[j] == '!')
        return 0;
    s = j;
    while (j < n && j - i < TAG_MAX && name_char(b[j]))
        j++;
    if (j == s)
        return 0;
    *ls = s;
    *le = j;
    for (size_t k = s; k < j; k++)
        if (b[k] == ':')
            *ls = k + 1;
    /* A tag longer than TAG_MAX is none we read: no '<' can cost more than that to reject. */
    for (; j < n && j - i < TAG_MAX; j++) {
        if (quote) {
            if (b[j] == quote)
                quote = 0;
        } else if (b[j] == '"' || b[j] == '\'') {
            quote = b[j];
        } else if (b[j] == '>') {
            *empty = j > 0 && b[j - 1] == '/';
            *after = j + 1;
            return 1;
        }
    }
    return 0;
}

static int local_is(const uint8_t *b, size_t ls, size_t le, const char *local)
{
    size_t k = strlen(local);

    return le - ls == k && strncasecmp((const char *)b + ls, local, k) == 0;
}

int xml_block(const uint8_t *buf, size_t len, size_t from, const char *local, size_t *start,
              size_t *end)
{
    size_t ls, le, after;
    int closing, empty;

    for (size_t i = from; i < len; i++) {
        if (buf[i] != '<' || !tag_at(buf, len, i, &ls, &le, &closing, &empty, &after) ||
            closing || !local_is(buf, ls, le, local))
            continue;
        *start = after;
        if (empty) {
            *end = after;
            return 1;
        }
        /* Its closing tag; the same name opened again inside is not counted (none nest here). */
        for (size_t j = after; j < len; j++) {
            size_t cs, ce, ca;
            int c2, e2;
            if (buf[j] == '<' && tag_at(buf, len, j, &cs, &ce, &c2, &e2, &ca) && c2 &&
                local_is(buf, cs, ce, local)) {
                *end = j;
                return 1;
            }
        }
        *end = len;
        return 1;
    }
    return 0;
}

/* Copy text [s, e) into out, entities decoded, blanks trimmed, non-ASCII and controls as '?'. */
static void text_copy(const uint8_t *b, size_t s, size_t e, char *out, size_t cap)
{
    static const struct { const char *ent; char c; } ents[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    size_t o = 0;

    if (cap == 0)
        return;
    while (s < e && isspace(b[s]))
        s++;
    while (e > s && isspace(b[e - 1]))
        e--;
    for (size_t i = s; i < e && o + 1 < cap; i++) {
        char c = (char)b[i];
        if (b[i] == '&') {
            for (size_t k = 0; k < SP_ARRAY_LEN(ents); k++) {
                size_t kl = strlen(ents[k].ent);
                if (e - i >= kl && memcmp(b + i, ents[k].ent, kl) == 0) {
                    c = ents[k].c;
                    i += kl - 1;
                    break;
                }
            }
        } else if (b[i] < 0x20 || b[i] >= 0x7f) {
            c = b[i] == '\t' || b[i] == '\n' || b[i] == '\r' ? ' ' : '?';
        }
        out[o++] = c;
    }
    out[o] = '\0';
}

int xml_text(const uint8_t *buf, size_t len, size_t *from, const char *local, char *out,
             size_t cap)
{
    size_t s, e, t;

    if (cap)
        out[0] = '\0';
    if (!xml_block(buf, len, *from, local, &s, &e))
        return 0;
    /* A leaf: its text ends at the first tag inside, if any. */
    for (t = s; t < e && buf[t] != '<'; t++)
        ;
    text_copy(buf, s, t, out, cap);
    *from = e;
    return 1;
}

/* ---- SSDP LOCATION and URLs ---- */

int ssdp_location(const uint8_t *buf, size_t len, char *out, size_t cap)
{
    const uint8_t *v;
    size_t vl;

    if (cap == 0 || !wire_hdr_find(buf, len, "LOCATION", &v, &vl))
        return -1;
    while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t' || v[vl - 1] == '\r'))
        vl--;
    if (vl == 0 || vl >= cap)
        return -1;
    for (size_t i = 0; i < vl; i++)
        if (v[i] <= 0x20 || v[i] >= 0x7f)
            return -1;
    memcpy(out, v, vl);
    out[vl] = '\0';
    return 0;
}

/* Length of "http://" or "https://" at the start of url (*tls set), else 0. */
static size_t scheme_len(const char *url, int *tls)
{
    if (strncasecmp(url, "http://", 7) == 0) {
        *tls = 0;
        return 7;
    }
    if (strncasecmp(url, "https://", 8) == 0) {
        *tls = 1;
        return 8;
    }
    return 0;
}

int upnp_url_split(const char *url, int *tls, char *host, size_t hostcap, long *port, char *path,
                   size_t pathcap)
{
    size_t k = scheme_len(url, tls), hl;
    const char *a = url + k, *auth_end, *h = a, *he, *p;

    if (k == 0)
        return -1;
    auth_end = a + strcspn(a, "/?#");
    /* user@host could name one host and reach another: never taken. */
    if (memchr(a, '@', (size_t)(auth_end - a)))
        return -1;
    if (*h == '[') {
        h++;
        he = memchr(h, ']', (size_t)(auth_end - h));
        if (!he)
            return -1;
        p = he + 1;
    } else {
        he = memchr(h, ':', (size_t)(auth_end - h));
        if (!he)
            he = auth_end;
        p = he;
    }
    hl = (size_t)(he - h);
    if (hl == 0 || hl >= hostcap)
        return -1;
    memcpy(host, h, hl);
    host[hl] = '\0';
    *port = *tls ? 443 : 80;
    if (p < auth_end) {
        long v = 0;
        if (*p != ':' || p + 1 == auth_end)
            return -1;
        for (p++; p < auth_end; p++) {
            if (!isdigit((unsigned char)*p))
                return -1;
            v = v * 10 + (*p - '0');
            if (v > 65535)
                return -1;
        }
        if (v == 0)
            return -1;
        *port = v;
    }
    if (*auth_end == '#' || *auth_end == '\0')
        return snprintf(path, pathcap, "/") < (int)pathcap ? 0 : -1;
    if (*auth_end == '?')
        return (size_t)snprintf(path, pathcap, "/%s", auth_end) < pathcap ? 0 : -1;
    {
        size_t pl = strcspn(auth_end, "#");
        if (pl >= pathcap)
            return -1;
        memcpy(path, auth_end, pl);
        path[pl] = '\0';
    }
    return 0;
}

int upnp_url_resolve(const char *base, const char *ref, char *out, size_t cap)
{
    int tls;
    size_t k, al, dl;
    const char *auth_end, *path, *last;

    if (scheme_len(ref, &tls))
        return strlen(ref) < cap ? (snprintf(out, cap, "%s", ref), 0) : -1;
    k = scheme_len(base, &tls);
    if (k == 0)
        return -1;
    auth_end = base + k + strcspn(base + k, "/?#");
    al = (size_t)(auth_end - base);
    if (ref[0] == '/') {
        if (al + strlen(ref) >= cap)
            return -1;
        memcpy(out, base, al);
        memcpy(out + al, ref, strlen(ref) + 1);
        return 0;
    }
    /* Relative to the directory of base's path. */
    path = auth_end;
    dl = strcspn(path, "?#");
    last = NULL;
    for (size_t i = 0; i < dl; i++)
        if (path[i] == '/')
            last = path + i;
    dl = last ? (size_t)(last - path) + 1 : 0;
    if (al + (dl ? dl : 1) + strlen(ref) >= cap)
        return -1;
    memcpy(out, base, al);
    if (dl)
        memcpy(out + al, path, dl);
    else
        out[al] = '/';
    memcpy(out + al + (dl ? dl : 1), ref, strlen(ref) + 1);
    return 0;
}

/* ---- the description ---- */

int upnp_parse_description(const uint8_t *buf, size_t len, struct upnp_device *d)
{
    static const struct { const char *name; size_t off, cap; } ident[] = {
        {"deviceType", offsetof(struct upnp_device, device_type), 128},
        {"friendlyName", offsetof(struct upnp_device, friendly_name), 128},
        {"manufacturer", offsetof(struct upnp_device, manufacturer), 128},
        {"modelName", offsetof(struct upnp_device, model_name), 128},
        {"modelNumber", offsetof(struct upnp_device, model_number), 64},
        {"serialNumber", offsetof(struct upnp_device, serial_number), 64},
        {"URLBase", offsetof(struct upnp_device, url_base), UPNP_URL_MAX}};
    size_t rs, re, ds, de, pos;

    memset(d, 0, sizeof(*d));
    if (!xml_block(buf, len, 0, "root", &rs, &re) || !xml_block(buf, re, rs, "device", &ds, &de))
        return -1;
    for (size_t i = 0; i < SP_ARRAY_LEN(ident); i++) {
        pos = rs;
        (void)xml_text(buf, re, &pos, ident[i].name, (char *)d + ident[i].off, ident[i].cap);
    }
    for (pos = rs;;) {
        size_t ss, se, p;
        struct upnp_service *sv;
        if (!xml_block(buf, re, pos, "service", &ss, &se))
            break;
        pos = se > ss ? se : ss + 1;
        if (d->nsvc >= UPNP_MAX_SERVICES) {
            d->truncated = 1;
            break;
        }
        sv = &d->svc[d->nsvc];
        p = ss;
        (void)xml_text(buf, se, &p, "serviceType", sv->type, sizeof(sv->type));
        p = ss;
        (void)xml_text(buf, se, &p, "controlURL", sv->control, sizeof(sv->control));
        p = ss;
        (void)xml_text(buf, se, &p, "SCPDURL", sv->scpd, sizeof(sv->scpd));
        if (sv->type[0] || sv->control[0])
            d->nsvc++;
    }
    return 0;
}

/* ---- control ---- */

static const struct {
    const char *type_prefix, *action, *args;
} read_actions[] = {
    {"urn:schemas-upnp-org:service:WANIPConnection:", "GetExternalIPAddress", ""},
    {"urn:schemas-upnp-org:service:WANPPPConnection:", "GetExternalIPAddress", ""},
    {"urn:schemas-upnp-org:service:WANCommonInterfaceConfig:", "GetCommonLinkProperties", ""},
    {"urn:schemas-upnp-org:service:Layer3Forwarding:", "GetDefaultConnectionService", ""},
    {"urn:schemas-upnp-org:service:WANIPv6FirewallControl:", "GetFirewallStatus", ""},
    {"urn:schemas-upnp-org:service:ConnectionManager:", "GetProtocolInfo", ""},
    {"urn:schemas-upnp-org:service:ContentDirectory:", "GetSystemUpdateID", ""},
    {"urn:schemas-upnp-org:service:AVTransport:", "GetTransportInfo", "<InstanceID>0</InstanceID>"},
    {"urn:schemas-upnp-org:service:RenderingControl:", "GetVolume",
     "<InstanceID>0</InstanceID><Channel>Master</Channel>"},
    {"urn:schemas-upnp-org:service:DeviceProtection:", "GetSupportedProtocols", ""},
    {"urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:", "IsAuthorized",
     "<DeviceID></DeviceID>"},
};

const char *upnp_read_action(const char *service_type, const char **args)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(read_actions); i++) {
        size_t k = strlen(read_actions[i].type_prefix);
        if (strncasecmp(service_type, read_actions[i].type_prefix, k) == 0 &&
            service_type[k] != '\0') {
            if (args)
                *args = read_actions[i].args;
            return read_actions[i].action;
        }
    }
    return NULL;
}

size_t upnp_soap_build(char *buf, size_t cap, const char *service_type, const char *action,
                       const char *args)
{
    /* Device text goes into an attribute: only what a URN may hold. */
    for (const char *p = service_type; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr(":.-_", *p))
            return 0;
    if (!service_type[0])
        return 0;
    return wire_snprintf_len(snprintf(buf, cap,
        "<?xml version=\"1.0\"?>\r\n"
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
        "<s:Body><u:%s xmlns:u=\"%s\">%s</u:%s></s:Body></s:Envelope>\r\n",
        action, service_type, args ? args : "", action), cap);
}

enum soap_verdict soap_classify(int status, const uint8_t *body, size_t len, const char *action,
                                char *why, size_t whycap)
{
    char resp[96], code[32] = "", text[120] = "";
    size_t s, e, pos;
    int envelope = xml_block(body, len, 0, "Envelope", &s, &e);

    snprintf(resp, sizeof(resp), "%sResponse", action);
    if (status / 100 == 2 && envelope && xml_block(body, len, 0, resp, &s, &e)) {
        snprintf(why, whycap, "HTTP %d with %s", status, resp);
        return SOAP_ANSWERED;
    }
    if (status == 401 || status == 403 || status == 407) {
        snprintf(why, whycap, "HTTP %d", status);
        return SOAP_REFUSED;
    }
    if (envelope && xml_block(body, len, 0, "Fault", &s, &e)) {
        /* UPnP: <UPnPError><errorCode>; SOAP 1.2 (ONVIF): Code/Subcode values and a Reason. */
        pos = s;
        if (xml_text(body, e, &pos, "errorCode", code, sizeof(code))) {
            pos = s;
            (void)xml_text(body, e, &pos, "errorDescription", text, sizeof(text));
            snprintf(why, whycap, "HTTP %d, UPnP error %s '%s'", status, code, text);
            if (strcmp(code, "606") == 0)
                return SOAP_REFUSED;
            if (strcmp(code, "401") == 0 || strcmp(code, "602") == 0)
                return SOAP_NOT_SUPPORTED;
            return SOAP_FAULT;
        }
        pos = s;
        if (!xml_text(body, e, &pos, "Text", text, sizeof(text))) {
            pos = s;
            (void)xml_text(body, e, &pos, "faultstring", text, sizeof(text));
        }
        /* The subcode ONVIF names (ter:NotAuthorized), or WS-Security's, inside the Fault only. */
        for (pos = s; xml_text(body, e, &pos, "Value", code, sizeof(code));) {
            const char *c = strrchr(code, ':') ? strrchr(code, ':') + 1 : code;
            if (strcasecmp(c, "NotAuthorized") == 0 || strcasecmp(c, "FailedAuthentication") == 0 ||
                strcasecmp(c, "InvalidSecurity") == 0) {
                snprintf(why, whycap, "HTTP %d, SOAP fault %s '%s'", status, code, text);
                return SOAP_REFUSED;
            }
            if (strcasecmp(c, "ActionNotSupported") == 0) {
                snprintf(why, whycap, "HTTP %d, SOAP fault %s '%s'", status, code, text);
                return SOAP_NOT_SUPPORTED;
            }
        }
        pos = s;
        if (!code[0])
            (void)xml_text(body, e, &pos, "faultcode", code, sizeof(code));
        snprintf(why, whycap, "HTTP %d, SOAP fault %s '%s'", status, code, text);
        return SOAP_FAULT;
    }
    if (status == 404 || status == 405 || status == 501) {
        snprintf(why, whycap, "HTTP %d", status);
        return SOAP_NOT_SUPPORTED;
    }
    snprintf(why, whycap, "HTTP %d%s", status, envelope ? ", an envelope without the answer "
                                                          "or a fault" : ", no SOAP envelope");
    return envelope && status / 100 == 2 ? SOAP_FAULT : SOAP_NOT_SOAP;
}
