/*
 * vnc_wire.h - the RFB handshake up to the choice of security type
 * (RFC 6143 §7.1), and the VeNCrypt sub-types list: what a VNC server
 * offers a client that has no password, and whether one of the offers is no
 * authentication at all. Pure; unit tested and fuzzed.
 */
#ifndef SP_VNC_WIRE_H
#define SP_VNC_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define VNC_SEC_NONE 1
#define VNC_SEC_VNCAUTH 2
#define VNC_SEC_VENCRYPT 19
#define VNC_MAX_TYPES 32

/* "RFB xxx.yyy\n": 1 with *major, *minor set; 0 when fewer than 12 bytes came; SP_ERR_PARSE. */
int vnc_parse_version(const uint8_t *buf, size_t len, int *major, int *minor);

/*
 * The version a client answers with: the server's own when it is 3.3, 3.7
 * or 3.8; 3.8 for a later 3.x or a higher major (RFC 6143 §7.1.1), 3.3 for
 * any other 3.x below 3.7. Writes 12 bytes to out; returns the minor used.
 */
int vnc_build_version(uint8_t out[12], int major, int minor);

struct vnc_security {
    size_t ntypes;
    uint8_t types[VNC_MAX_TYPES];   /* offered (3.7+) or chosen by the server (3.3) */
    int failed;                     /* the server refused the connection (0 types) */
    char reason[128];               /* its reason, printable, bounded */
    size_t used;                    /* bytes of buf this took */
};

/*
 * The server's security message after the version answer with minor (3, 7
 * or 8): 1 complete, 0 more bytes needed, SP_ERR_PARSE (a 3.3 type above
 * 255, a reason longer than 64 KiB).
 */
int vnc_parse_security(const uint8_t *buf, size_t len, int minor, struct vnc_security *out);

/*
 * VeNCrypt (type 19) after the two version exchanges: the server's ack byte
 * (0 = version accepted), a count and that many 32-bit sub-types. 1 complete
 * (*n sub-types, at most cap kept), 0 more needed, SP_ERR_PARSE when the ack
 * refuses our version.
 */
int vnc_parse_vencrypt_subtypes(const uint8_t *buf, size_t len, uint32_t *sub, size_t cap,
                                size_t *n);

/*
 * Tight (type 16) after the client chose it: a count of tunnel
 * capabilities and that many 16-byte capabilities (then the client answers
 * with the tunnel it takes, when there are any), and later a count of
 * authentication capabilities, each a 32-bit code, a vendor and a name.
 * Both: 1 complete (*n the count; *used the bytes), 0 more needed,
 * SP_ERR_PARSE over VNC_MAX_TIGHT_CAPS. Authentication codes go to codes (at
 * most cap kept); no authentication capability at all means none is asked.
 */
#define VNC_MAX_TIGHT_CAPS 64
int vnc_parse_tight_caps(const uint8_t *buf, size_t len, uint32_t *codes, size_t cap, size_t *n,
                         size_t *used);

enum vnc_access {
    VNC_OPEN,       /* None offered (or a VeNCrypt sub-type without authentication) */
    VNC_PROTECTED,  /* only types that authenticate the user */
    VNC_UNKNOWN     /* a type whose inner negotiation was not read (Tight, anonymous TLS, VeNCrypt unread, ...) */
};

/*
 * What the offers mean. sub/nsub: the VeNCrypt sub-types when type 19 was
 * offered and they were read (sub NULL: not read). tight/ntight: Tight's
 * authentication codes when type 16 was offered and they were read (ntight
 * < 0: not read; 0: Tight asks for no authentication). why gets the type
 * that decided it ("None (1)", "Tight (16): its own negotiation not read").
 */
enum vnc_access vnc_classify(const uint8_t *types, size_t ntypes, const uint32_t *sub, size_t nsub,
                             const uint32_t *tight, long ntight, char *why, size_t whycap);

/* A name for a security type or VeNCrypt sub-type ("VncAuth", "TLSNone"); "unknown" else. */
const char *vnc_type_name(uint32_t t);

#endif
