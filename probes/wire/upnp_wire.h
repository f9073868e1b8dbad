/*
 * upnp_wire.h - UPnP behind an SSDP answer: the LOCATION it points at, the
 * device description found there, the SOAP control request that asks one
 * harmless read action of a service, and what the answer says. Also the
 * little XML reading the ONVIF asker shares (onvif_wire.c). Pure: no
 * sockets; unit tested and fuzzed. No XML library: a description is read
 * for a handful of leaf elements, each bounded.
 */
#ifndef SP_UPNP_WIRE_H
#define SP_UPNP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define UPNP_MAX_SERVICES 16
#define UPNP_URL_MAX 256

struct upnp_service {
    char type[128];                 /* serviceType, printable; "" if none */
    char control[UPNP_URL_MAX];     /* controlURL as written (relative or absolute) */
    char scpd[UPNP_URL_MAX];        /* SCPDURL as written */
};

struct upnp_device {
    char device_type[128], friendly_name[128], manufacturer[128];
    char model_name[128], model_number[64], serial_number[64];
    char url_base[UPNP_URL_MAX];    /* URLBase, "" when absent (UPnP 1.0 only) */
    struct upnp_service svc[UPNP_MAX_SERVICES];
    size_t nsvc;
    int truncated;                  /* more <service> blocks than UPNP_MAX_SERVICES */
};

/*
 * The LOCATION header of an SSDP answer (an HTTP/1.1 200 over UDP), into
 * out as text: 0, or -1 when there is none, it is longer than cap - 1, or
 * it holds bytes that are not visible ASCII.
 */
int ssdp_location(const uint8_t *buf, size_t len, char *out, size_t cap);

/*
 * Split an absolute http:// or https:// URL: *tls, the host (without
 * brackets for IPv6), the port (the scheme's default when none) and the
 * path with its query ("/" when empty). 0, or -1 when it is not such a URL
 * or a part does not fit.
 */
int upnp_url_split(const char *url, int *tls, char *host, size_t hostcap, long *port, char *path,
                   size_t pathcap);

/*
 * Resolve ref (a controlURL, SCPDURL) against base (URLBase, else the
 * LOCATION the description came from): an absolute URL is kept, "/x"
 * replaces the path, "x" replaces the last segment. 0, or -1 when base is
 * not an absolute URL or the result does not fit.
 */
int upnp_url_resolve(const char *base, const char *ref, char *out, size_t cap);

/*
 * Read a device description: the root device's identity (the first
 * occurrence of each element) and every <service> block anywhere in the
 * document, embedded devices included. 0 when it is a UPnP description
 * (a <root> with a <device>), else -1 (d is still cleared).
 */
int upnp_parse_description(const uint8_t *buf, size_t len, struct upnp_device *d);

/*
 * The read action starprobe asks a service of this type, with its
 * arguments as SOAP elements ("" for none), or NULL when no action it
 * knows to be harmless: only Get*, Is*, never Set/Add/Delete.
 */
const char *upnp_read_action(const char *service_type, const char **args);

/* The SOAP 1.1 envelope of action of service_type (UPnP Device Architecture §3.2.1). */
size_t upnp_soap_build(char *buf, size_t cap, const char *service_type, const char *action,
                       const char *args);

enum soap_verdict {
    SOAP_ANSWERED = 0,      /* the action's Response element came back */
    SOAP_REFUSED,           /* 401/403/407, UPnP error 606, SOAP NotAuthorized / sender not authorized */
    SOAP_NOT_SUPPORTED,     /* 404, UPnP error 401/602, ActionNotSupported */
    SOAP_FAULT,             /* another fault: says nothing about who may ask */
    SOAP_NOT_SOAP           /* no envelope: the server is no SOAP endpoint here */
};

/*
 * What an HTTP answer (status, body) to a SOAP request for action says;
 * a short reason into why (the fault code and text, printable).
 */
enum soap_verdict soap_classify(int status, const uint8_t *body, size_t len, const char *action,
                                char *why, size_t whycap);

/*
 * The text of the first element whose local name is `local` (any prefix,
 * attributes allowed) at or after *from in buf, entities &amp; &lt; &gt;
 * &quot; &apos; decoded, blanks trimmed, cut to cap - 1 printable bytes.
 * 1 with *from moved past it, 0 when there is none.
 */
int xml_text(const uint8_t *buf, size_t len, size_t *from, const char *local, char *out,
             size_t cap);

/*
 * The extent [*start, *end) of the content of the next element named
 * `local` at or after *from, up to its closing tag (or len when it never
 * closes). 1, or 0 when there is none.
 */
int xml_block(const uint8_t *buf, size_t len, size_t from, const char *local, size_t *start,
              size_t *end);

#endif
