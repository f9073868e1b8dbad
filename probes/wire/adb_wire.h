/*
 * adb_wire.h - the Android Debug Bridge messages (adb's protocol.txt): the
 * CONNECT a host opens with, and a bounded reader of the device's answer —
 * CNXN (a session without an authorised key), AUTH (the device wants a
 * signature from a key it accepted) or STLS (adb over TLS, paired keys).
 * Pure; unit tested and fuzzed.
 */
#ifndef SP_ADB_WIRE_H
#define SP_ADB_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define ADB_CNXN 0x4e584e43u
#define ADB_AUTH 0x48545541u
#define ADB_STLS 0x534c5453u
#define ADB_HEADER 24
/* adbd's largest payload; a header claiming more is not adb. */
#define ADB_MAX_PAYLOAD (1024 * 1024)

/* CNXN version 0x01000000, "host::" as adb sends it. 0 when it does not fit. */
size_t adb_build_cnxn(uint8_t *buf, size_t cap);

struct adb_msg {
    uint32_t cmd, arg0, arg1, len;
    const uint8_t *data;    /* inside the caller's buffer */
    size_t have;            /* payload bytes present, at most len */
};

/*
 * The message at the start of buf. 1 when the header is there and either
 * the whole payload or at least want bytes of it (out->have); 0 when more
 * bytes are needed; SP_ERR_PARSE when the magic is not the command's
 * complement, or the payload claims more than ADB_MAX_PAYLOAD.
 */
int adb_parse_msg(const uint8_t *buf, size_t len, size_t want, struct adb_msg *out);

/* A net_done_fn for adb_parse_msg with want = 256: 1 once it says complete or malformed. */
int adb_msg_done(const uint8_t *buf, size_t len, void *arg);

/* What the answer to a CNXN means: "open" (CNXN), "protected" (AUTH, STLS), "undecided" (else). */
const char *adb_cnxn_result(const struct adb_msg *m);

#endif
