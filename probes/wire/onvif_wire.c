/*
 * onvif_wire.c - ONVIF device-service requests and answers (see
 * onvif_wire.h), read through the bounded XML helpers of upnp_wire.c.
 */
#include <stdio.h>
#include <string.h>

#include "onvif_wire.h"
#include "upnp_wire.h"
#include "wire.h"

size_t onvif_build(char *buf, size_t cap, const char *action)
{
    for (const char *p = action; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
            return 0;
    return wire_snprintf_len(snprintf(buf, cap,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\">"
        "<s:Body><tds:%s/></s:Body></s:Envelope>", action), cap);
}

int onvif_parse_info(const uint8_t *buf, size_t len, struct onvif_info *out)
{
    size_t s, e, p;

    memset(out, 0, sizeof(*out));
    if (!xml_block(buf, len, 0, "GetDeviceInformationResponse", &s, &e))
        return -1;
    p = s;
    (void)xml_text(buf, e, &p, "Manufacturer", out->manufacturer, sizeof(out->manufacturer));
    p = s;
    (void)xml_text(buf, e, &p, "Model", out->model, sizeof(out->model));
    p = s;
    (void)xml_text(buf, e, &p, "FirmwareVersion", out->firmware, sizeof(out->firmware));
    p = s;
    (void)xml_text(buf, e, &p, "SerialNumber", out->serial, sizeof(out->serial));
    return 0;
}

int onvif_parse_users(const uint8_t *buf, size_t len, struct onvif_users *out)
{
    size_t s, e, us, ue, pos;

    memset(out, 0, sizeof(*out));
    if (!xml_block(buf, len, 0, "GetUsersResponse", &s, &e))
        return -1;
    for (pos = s; pos < e && xml_block(buf, e, pos, "User", &us, &ue);) {
        size_t p = us;
        if (out->n < ONVIF_MAX_USERS) {
            (void)xml_text(buf, ue, &p, "Username", out->name[out->n], sizeof(out->name[0]));
            p = us;
            (void)xml_text(buf, ue, &p, "UserLevel", out->level[out->n], sizeof(out->level[0]));
        }
        out->n++;
        pos = ue > us ? ue : us + 1;
    }
    return 0;
}
