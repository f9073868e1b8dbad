/*
 * onvif_wire.h - the two ONVIF device-service requests starprobe asks
 * without WS-Security (GetDeviceInformation, GetUsers) and what their
 * answers hold. Pure: no sockets; unit tested and fuzzed. The verdict on an
 * answer is soap_classify's (upnp_wire.h), shared with UPnP control.
 */
#ifndef SP_ONVIF_WIRE_H
#define SP_ONVIF_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define ONVIF_MAX_USERS 8

/* The SOAP 1.2 envelope of a device-service action without a Security header ("GetUsers"). */
size_t onvif_build(char *buf, size_t cap, const char *action);

struct onvif_info {
    char manufacturer[64], model[64], firmware[64], serial[64];
};

/* The fields of a GetDeviceInformationResponse: 0, or -1 when there is none. */
int onvif_parse_info(const uint8_t *buf, size_t len, struct onvif_info *out);

struct onvif_users {
    size_t n;                       /* User elements in the answer (may exceed the names kept) */
    char name[ONVIF_MAX_USERS][48]; /* Username, printable */
    char level[ONVIF_MAX_USERS][24];/* UserLevel */
};

/* The users of a GetUsersResponse: 0, or -1 when there is none. */
int onvif_parse_users(const uint8_t *buf, size_t len, struct onvif_users *out);

#endif
