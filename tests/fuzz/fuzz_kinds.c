/*
 * fuzz_kinds.c - libFuzzer entry for the parsers the RTSP, VNC, adb and TFTP
 * unauth slots run on device bytes: RTSP reply ends, bodies and session
 * descriptions, the RFB version and security messages (3.3 and 3.7+),
 * VeNCrypt sub-types and Tight capabilities, adb messages, TFTP packets.
 *
 *   make fuzz   (or make fuzz-build, then build/fuzz_kinds -max_total_time=60)
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "adb_wire.h"
#include "rtsp_wire.h"
#include "tftp_wire.h"
#include "vnc_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct http_response h;
    struct rtsp_sdp sdp;
    struct vnc_security sec;
    struct adb_msg m;
    struct tftp_packet p;
    uint32_t sub[8];
    size_t n, blen;
    const uint8_t *body;
    int major, minor;
    char why[200];

    (void)rtsp_reply_done(data, size, NULL);
    if (http_parse_head_proto(data, size, "RTSP/", &h) == 0 && h.complete) {
        rtsp_body(data, size, &h, &body, &blen);
        if (body < data || body + blen > data + size)
            __builtin_trap();
        if (rtsp_sdp_parse(body, blen, &sdp) == 0 && strlen(sdp.kinds) >= sizeof(sdp.kinds))
            __builtin_trap();
        (void)rtsp_describe_result(h.status, &sdp);
    }
    (void)rtsp_sdp_parse(data, size, &sdp);

    if (vnc_parse_version(data, size, &major, &minor) == 1) {
        uint8_t ans[12];
        int used = vnc_build_version(ans, major, minor);
        if (size > 12 && vnc_parse_security(data + 12, size - 12, used, &sec) == 1 && sec.used > size - 12)
            __builtin_trap();
    }
    for (int mi = 3; mi <= 8; mi += 4)
        if (vnc_parse_security(data, size, mi, &sec) == 1) {
            if (sec.used > size || sec.ntypes > VNC_MAX_TYPES)
                __builtin_trap();
            (void)vnc_classify(sec.types, sec.ntypes, NULL, 0, NULL, -1, why, sizeof(why));
        }
    if (vnc_parse_vencrypt_subtypes(data, size, sub, 8, &n) == 1) {
        static const uint8_t vencrypt[] = {VNC_SEC_VENCRYPT};
        if (n > 8)
            __builtin_trap();
        (void)vnc_classify(vencrypt, 1, sub, n, NULL, -1, why, sizeof(why));
    }
    {
        size_t used;
        if (vnc_parse_tight_caps(data, size, sub, 8, &n, &used) == 1) {
            static const uint8_t tight[] = {16};
            if (used > size || n > VNC_MAX_TIGHT_CAPS)
                __builtin_trap();
            (void)vnc_classify(tight, 1, NULL, 0, sub, (long)(n < 8 ? n : 8), why, sizeof(why));
        }
    }

    if (adb_parse_msg(data, size, 256, &m) == 1) {
        if (m.have > m.len || m.data + m.have > data + size)
            __builtin_trap();
        (void)adb_cnxn_result(&m);
    }
    (void)adb_msg_done(data, size, NULL);

    if (tftp_parse(data, size, &p) == 0) {
        if (p.data && p.data + p.dlen > data + size)
            __builtin_trap();
        (void)tftp_rrq_result(&p);
    }
    return 0;
}
