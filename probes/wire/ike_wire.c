/*
 * ike_wire.c - IKE: an IKEv2 IKE_SA_INIT request and the reply or notify that identifies a responder (see ike_wire.h). Every read is bounded by the length received.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ike_wire.h"
#include "wire.h"

/*
 * An IKEv2 IKE_SA_INIT (RFC 7296 §1.2) a responder will take seriously: one
 * proposal of common transforms, a MODP-2048 key share and a nonce. Random
 * key bytes are fine: the responder answers (with its own SA_INIT, or a
 * notify such as INVALID_KE_PAYLOAD or NO_PROPOSAL_CHOSEN) before it could
 * notice, and either answer carries our initiator SPI.
 */
size_t ike_ident_build(uint8_t *buf, size_t cap, uint16_t txid)
{
    static const uint8_t transforms[] = {
        /* last/more, reserved, length(2), type, reserved, id(2), attributes */
        3, 0, 0, 12, 1, 0, 0, 12, 0x80, 0x0e, 0x00, 0x80,   /* ENCR AES-CBC-128 */
        3, 0, 0, 12, 1, 0, 0, 12, 0x80, 0x0e, 0x01, 0x00,   /* ENCR AES-CBC-256 */
        3, 0, 0, 8, 2, 0, 0, 5,                             /* PRF HMAC-SHA2-256 */
        3, 0, 0, 8, 2, 0, 0, 2,                             /* PRF HMAC-SHA1 */
        3, 0, 0, 8, 3, 0, 0, 12,                            /* INTEG HMAC-SHA2-256-128 */
        3, 0, 0, 8, 3, 0, 0, 2,                             /* INTEG HMAC-SHA1-96 */
        3, 0, 0, 8, 4, 0, 0, 14,                            /* DH MODP-2048 */
        3, 0, 0, 8, 4, 0, 0, 19,                            /* DH ECP-256 */
        3, 0, 0, 8, 4, 0, 0, 31,                            /* DH Curve25519 */
        0, 0, 0, 8, 4, 0, 0, 2,                             /* DH MODP-1024 */
    };
    const size_t ntrans = 10, ke_len = 256, nonce_len = 32;
    const size_t prop_len = 8 + sizeof(transforms), sa_len = 4 + prop_len;
    const size_t ke_plen = 8 + ke_len, nonce_plen = 4 + nonce_len;
    const size_t total = 28 + sa_len + ke_plen + nonce_plen;
    uint8_t *p = buf;

    if (cap < total)
        return 0;
    memset(buf, 0, total);
    if (wire_random(p, 8) != 0)
        memcpy(p, "starprob", 8);
    p[6] = (uint8_t)(txid >> 8);    /* the SPI also carries the txid, so it is never zero */
    p[7] = (uint8_t)txid | 1;
    p += 16;                        /* SPIi, SPIr = 0 */
    *p++ = 33;                      /* next payload: SA */
    *p++ = 0x20;                    /* version 2.0 */
    *p++ = 34;                      /* IKE_SA_INIT */
    *p++ = 0x08;                    /* Initiator */
    p += 4;                         /* message id 0 */
    *p++ = (uint8_t)(total >> 24);
    *p++ = (uint8_t)(total >> 16);
    *p++ = (uint8_t)(total >> 8);
    *p++ = (uint8_t)total;

    *p++ = 34;                      /* SA, next: KE */
    *p++ = 0;
    *p++ = (uint8_t)(sa_len >> 8);
    *p++ = (uint8_t)sa_len;
    *p++ = 0;                       /* last proposal */
    *p++ = 0;
    *p++ = (uint8_t)(prop_len >> 8);
    *p++ = (uint8_t)prop_len;
    *p++ = 1;                       /* proposal 1 */
    *p++ = 1;                       /* protocol IKE */
    *p++ = 0;                       /* SPI size */
    *p++ = (uint8_t)ntrans;
    memcpy(p, transforms, sizeof(transforms));
    p += sizeof(transforms);

    *p++ = 40;                      /* KE, next: Nonce */
    *p++ = 0;
    *p++ = (uint8_t)(ke_plen >> 8);
    *p++ = (uint8_t)ke_plen;
    *p++ = 0;
    *p++ = 14;                      /* DH group 14 */
    p += 2;
    if (wire_random(p, ke_len) != 0)
        memset(p, 0x5a, ke_len);
    p[0] &= 0x7f;                   /* below the MODP-2048 prime, whose top byte is 0xff */
    p += ke_len;

    *p++ = 0;                       /* Nonce, last */
    *p++ = 0;
    *p++ = (uint8_t)(nonce_plen >> 8);
    *p++ = (uint8_t)nonce_plen;
    if (wire_random(p, nonce_len) != 0)
        memset(p, 0xa5, nonce_len);
    p += nonce_len;
    return (size_t)(p - buf);
}

static const char *ike_notify_name(uint16_t t)
{
    switch (t) {
    case 1: return "UNSUPPORTED_CRITICAL_PAYLOAD";
    case 4: return "INVALID_IKE_SPI";
    case 5: return "INVALID_MAJOR_VERSION";
    case 7: return "INVALID_SYNTAX";
    case 14: return "NO_PROPOSAL_CHOSEN";
    case 17: return "INVALID_KE_PAYLOAD";
    case 24: return "AUTHENTICATION_FAILED";
    case 16390: return "COOKIE";
    case 16388: return "NAT_DETECTION_SOURCE_IP";
    case 16389: return "NAT_DETECTION_DESTINATION_IP";
    default: return NULL;
    }
}

int ike_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                     struct ident_result *out)
{
    struct dbuf d;
    uint32_t mlen;
    unsigned major, next, npl = 0;
    size_t off = 28;
    int notify = -1, have_sa = 0;

    if (len < 28 || reqlen < 28 || memcmp(buf, req, 8) != 0)
        return 0;
    major = buf[17] >> 4;
    mlen = wire_be32(buf + 24);
    if ((major != 1 && major != 2) || mlen < 28 || mlen > 65535)
        return 0;
    if (major == 2 && !(buf[19] & 0x20))
        return 0;                   /* an IKEv2 reply has the Response flag */
    ident_result_init(out);
    ident_set_service(out, "ike");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    if (major == 1) {
        dbuf_printf(&d, "IKEv1 reply (exchange %u) to our initiator cookie", buf[18]);
        return 1;
    }
    /* Walk the payload chain, bounded by both the header length and what arrived. */
    next = buf[16];
    if (mlen < len)
        len = mlen;
    while (next != 0 && off + 4 <= len && npl++ < 16) {
        size_t plen = wire_be16(buf + off + 2);
        if (plen < 4 || plen > len - off)
            break;
        if (next == 33)
            have_sa = 1;
        if (next == 41 && notify < 0 && plen >= 8)
            notify = wire_be16(buf + off + 6);
        next = buf[off];
        off += plen;
    }
    dbuf_printf(&d, "IKEv2 %s response, SPIr %02x%02x%02x%02x%02x%02x%02x%02x",
              buf[18] == 34 ? "IKE_SA_INIT" : "exchange", buf[8], buf[9], buf[10], buf[11],
              buf[12], buf[13], buf[14], buf[15]);
    if (have_sa)
        dbuf_printf(&d, ", SA accepted");
    if (notify >= 0) {
        const char *nn = ike_notify_name((uint16_t)notify);
        dbuf_printf(&d, ", notify %d", notify);
        if (nn)
            dbuf_printf(&d, " (%s)", nn);
    }
    return 1;
}
