/*
 * adb_wire.c - adb CONNECT and the device's answer (adb_wire.h).
 */
#include <string.h>

#include "adb_wire.h"
#include "starprobe.h"
#include "wire.h"

size_t adb_build_cnxn(uint8_t *buf, size_t cap)
{
    static const char payload[] = "host::\0";   /* with its NUL, as adb sends it */
    size_t plen = sizeof(payload) - 1;
    uint32_t sum = 0;

    if (cap < ADB_HEADER + plen)
        return 0;
    for (size_t i = 0; i < plen; i++)
        sum += (uint8_t)payload[i];
    wire_put_le32(buf, ADB_CNXN);
    wire_put_le32(buf + 4, 0x01000000);              /* A_VERSION */
    wire_put_le32(buf + 8, 256 * 1024);              /* MAX_PAYLOAD */
    wire_put_le32(buf + 12, (uint32_t)plen);
    wire_put_le32(buf + 16, sum);                    /* older adbd checks this sum */
    wire_put_le32(buf + 20, ADB_CNXN ^ 0xffffffffu);
    memcpy(buf + ADB_HEADER, payload, plen);
    return ADB_HEADER + plen;
}

int adb_parse_msg(const uint8_t *buf, size_t len, size_t want, struct adb_msg *out)
{
    memset(out, 0, sizeof(*out));
    if (len < ADB_HEADER)
        return 0;
    out->cmd = wire_le32(buf);
    out->arg0 = wire_le32(buf + 4);
    out->arg1 = wire_le32(buf + 8);
    out->len = wire_le32(buf + 12);
    if (wire_le32(buf + 20) != (out->cmd ^ 0xffffffffu) || out->len > ADB_MAX_PAYLOAD)
        return SP_ERR_PARSE;
    out->data = buf + ADB_HEADER;
    out->have = len - ADB_HEADER < out->len ? len - ADB_HEADER : out->len;
    return out->have == out->len || out->have >= want ? 1 : 0;
}

int adb_msg_done(const uint8_t *buf, size_t len, void *arg)
{
    struct adb_msg m;

    (void)arg;
    return adb_parse_msg(buf, len, 256, &m) != 0;
}

const char *adb_cnxn_result(const struct adb_msg *m)
{
    if (m->cmd == ADB_CNXN)
        return "open";
    if (m->cmd == ADB_AUTH || m->cmd == ADB_STLS)
        return "protected";
    return "undecided";
}
