/*
 * vnc_wire.c - the RFB handshake up to the security offer (vnc_wire.h).
 */
#include <stdio.h>
#include <string.h>

#include "starprobe.h"
#include "util.h"
#include "vnc_wire.h"

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int vnc_parse_version(const uint8_t *buf, size_t len, int *major, int *minor)
{
    int v[2] = {0, 0};

    if (len >= 1 && len < 12 && memcmp(buf, "RFB ", len < 4 ? len : 4) == 0)
        return 0;
    if (len < 12 || memcmp(buf, "RFB ", 4) != 0 || buf[7] != '.' || buf[11] != '\n')
        return SP_ERR_PARSE;
    for (int i = 4; i < 11; i++) {
        if (i == 7)
            continue;
        if (buf[i] < '0' || buf[i] > '9')
            return SP_ERR_PARSE;
        v[i > 7] = v[i > 7] * 10 + (buf[i] - '0');
    }
    *major = v[0];
    *minor = v[1];
    return 1;
}

int vnc_build_version(uint8_t out[12], int major, int minor)
{
    int m = major > 3 || minor >= 8 ? 8 : minor == 7 ? 7 : 3;
    char s[13];

    snprintf(s, sizeof(s), "RFB 003.%03d\n", m);
    memcpy(out, s, 12);
    return m;
}

/* A reason string: u32 length then text. 1 complete (into out), 0 more, SP_ERR_PARSE. */
static int reason_parse(const uint8_t *buf, size_t len, struct vnc_security *out)
{
    uint32_t rl;
    size_t k = 0;

    if (len < 4)
        return 0;
    rl = be32(buf);
    if (rl > 65536)
        return SP_ERR_PARSE;
    if (len - 4 < rl)
        return 0;
    for (uint32_t i = 0; i < rl && k + 1 < sizeof(out->reason); i++)
        out->reason[k++] = buf[4 + i] >= 0x20 && buf[4 + i] < 0x7f ? (char)buf[4 + i] : '?';
    out->reason[k] = '\0';
    out->used = 4 + rl;
    return 1;
}

int vnc_parse_security(const uint8_t *buf, size_t len, int minor, struct vnc_security *out)
{
    int rc;

    memset(out, 0, sizeof(*out));
    if (minor < 7) {
        uint32_t t;
        if (len < 4)
            return 0;
        t = be32(buf);
        if (t == 0) {
            out->failed = 1;
            rc = reason_parse(buf + 4, len - 4, out);
            out->used += 4;
            return rc;
        }
        if (t > 255)
            return SP_ERR_PARSE;
        out->types[0] = (uint8_t)t;
        out->ntypes = 1;
        out->used = 4;
        return 1;
    }
    if (len < 1)
        return 0;
    if (buf[0] == 0) {
        out->failed = 1;
        rc = reason_parse(buf + 1, len - 1, out);
        out->used += 1;
        return rc;
    }
    if (len < 1 + (size_t)buf[0])
        return 0;
    for (size_t i = 0; i < buf[0]; i++)
        if (out->ntypes < VNC_MAX_TYPES)
            out->types[out->ntypes++] = buf[1 + i];
    out->used = 1 + (size_t)buf[0];
    return 1;
}

int vnc_parse_vencrypt_subtypes(const uint8_t *buf, size_t len, uint32_t *sub, size_t cap,
                                size_t *n)
{
    size_t count;

    *n = 0;
    if (len < 1)
        return 0;
    if (buf[0] != 0)
        return SP_ERR_PARSE;
    if (len < 2)
        return 0;
    count = buf[1];
    if (len < 2 + 4 * count)
        return 0;
    for (size_t i = 0; i < count && *n < cap; i++)
        sub[(*n)++] = be32(buf + 2 + 4 * i);
    return 1;
}

int vnc_parse_tight_caps(const uint8_t *buf, size_t len, uint32_t *codes, size_t cap, size_t *n,
                         size_t *used)
{
    uint32_t count;

    *n = 0;
    *used = 0;
    if (len < 4)
        return 0;
    count = be32(buf);
    if (count > VNC_MAX_TIGHT_CAPS)
        return SP_ERR_PARSE;
    if (len - 4 < 16 * (size_t)count)
        return 0;
    for (uint32_t i = 0; i < count; i++)
        if (codes && i < cap)
            codes[i] = be32(buf + 4 + 16 * i);
    *n = count;
    *used = 4 + 16 * (size_t)count;
    return 1;
}

/* Tight's own authentication codes (TightVNC's rfbproto.h). */
static const struct {
    uint32_t code;
    const char *name;
    enum vnc_access access;
} tight_known[] = {
    {1, "None", VNC_OPEN}, {2, "VncAuth", VNC_PROTECTED}, {129, "Unix login", VNC_PROTECTED},
    {130, "External", VNC_PROTECTED},
};

static enum vnc_access tight_access(uint32_t c, const char **name)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(tight_known); i++)
        if (tight_known[i].code == c) {
            *name = tight_known[i].name;
            return tight_known[i].access;
        }
    *name = "unknown";
    return VNC_UNKNOWN;
}

static const struct {
    uint32_t type;
    const char *name;
    enum vnc_access access;
} known[] = {
    {1, "None", VNC_OPEN},
    {2, "VncAuth", VNC_PROTECTED},
    {5, "RA2", VNC_PROTECTED},
    {6, "RA2ne", VNC_PROTECTED},
    {16, "Tight", VNC_UNKNOWN},         /* carries its own list of methods, which may be none */
    {18, "TLS", VNC_UNKNOWN},           /* anonymous TLS, then another offer inside it */
    {19, "VeNCrypt", VNC_UNKNOWN},      /* decided by its sub-types */
    {22, "XVP", VNC_PROTECTED},         /* VncAuth with user and target names */
    {30, "Apple Remote Desktop", VNC_PROTECTED},
    {113, "MSLogonII", VNC_PROTECTED},
    /* VeNCrypt sub-types (1 and 2 above may appear among them too) */
    {256, "Plain", VNC_PROTECTED},
    {257, "TLSNone", VNC_OPEN},
    {258, "TLSVnc", VNC_PROTECTED},
    {259, "TLSPlain", VNC_PROTECTED},
    {260, "X509None", VNC_OPEN},
    {261, "X509Vnc", VNC_PROTECTED},
    {262, "X509Plain", VNC_PROTECTED},
    {263, "TLSSASL", VNC_PROTECTED},
    {264, "X509SASL", VNC_PROTECTED},
};

static enum vnc_access type_access(uint32_t t)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(known); i++)
        if (known[i].type == t)
            return known[i].access;
    return VNC_UNKNOWN;
}

const char *vnc_type_name(uint32_t t)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(known); i++)
        if (known[i].type == t)
            return known[i].name;
    return "unknown";
}

enum vnc_access vnc_classify(const uint8_t *types, size_t ntypes, const uint32_t *sub, size_t nsub,
                             const uint32_t *tight, long ntight, char *why, size_t whycap)
{
    const char *unknown_why = NULL;
    uint32_t unknown_t = 0;

    why[0] = '\0';
    for (size_t i = 0; i < ntypes; i++)
        if (types[i] == VNC_SEC_NONE) {
            snprintf(why, whycap, "None (1)");
            return VNC_OPEN;
        }
    for (size_t i = 0; i < ntypes; i++) {
        if (types[i] == 16 && ntight >= 0) {
            if (ntight == 0) {
                snprintf(why, whycap, "Tight (16) with no authentication capability");
                return VNC_OPEN;
            }
            for (long k = 0; k < ntight; k++) {
                const char *name;
                enum vnc_access a = tight_access(tight[k], &name);
                if (a == VNC_OPEN) {
                    snprintf(why, whycap, "Tight (16) authentication %s (%u)", name, (unsigned)tight[k]);
                    return VNC_OPEN;
                }
                if (a == VNC_UNKNOWN && !unknown_why) {
                    unknown_why = "a Tight authentication code that is not known";
                    unknown_t = tight[k];
                }
            }
            continue;
        }
        if (types[i] == VNC_SEC_VENCRYPT && sub && nsub) {
            for (size_t k = 0; k < nsub; k++) {
                enum vnc_access a = sub[k] == VNC_SEC_VENCRYPT ? VNC_UNKNOWN : type_access(sub[k]);
                if (a == VNC_OPEN) {
                    snprintf(why, whycap, "VeNCrypt (19) sub-type %s (%u)", vnc_type_name(sub[k]),
                             (unsigned)sub[k]);
                    return VNC_OPEN;
                }
                if (a == VNC_UNKNOWN && !unknown_why) {
                    unknown_why = "a VeNCrypt sub-type whose authentication is not known";
                    unknown_t = sub[k];
                }
            }
            continue;
        }
        if (type_access(types[i]) == VNC_UNKNOWN && !unknown_why) {
            unknown_why = types[i] == VNC_SEC_VENCRYPT ? "VeNCrypt sub-types not read"
                                                       : "its own negotiation, which may offer no "
                                                         "authentication, was not read";
            unknown_t = types[i];
        }
    }
    if (unknown_why) {
        snprintf(why, whycap, "%s (%u): %s", vnc_type_name(unknown_t), (unsigned)unknown_t, unknown_why);
        return VNC_UNKNOWN;
    }
    if (ntypes == 0) {
        snprintf(why, whycap, "no security type offered");
        return VNC_UNKNOWN;
    }
    snprintf(why, whycap, "only types that authenticate");
    return VNC_PROTECTED;
}
