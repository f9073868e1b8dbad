/*
 * tftp_wire.c - TFTP read requests and replies (tftp_wire.h).
 */
#include <string.h>
#include <strings.h>

#include "starprobe.h"
#include "tftp_wire.h"

size_t tftp_build_rrq(uint8_t *buf, size_t cap, const char *file)
{
    static const char mode[] = "octet";
    size_t fl = file ? strlen(file) : 0, n = 2 + fl + 1 + sizeof(mode);

    if (fl == 0 || fl > 255 || cap < n)
        return 0;
    buf[0] = 0;
    buf[1] = TFTP_RRQ;
    memcpy(buf + 2, file, fl + 1);
    memcpy(buf + 3 + fl, mode, sizeof(mode));
    return n;
}

size_t tftp_build_error(uint8_t *buf, size_t cap, uint16_t code, const char *msg)
{
    size_t ml = strlen(msg), n = 4 + ml + 1;

    if (cap < n)
        return 0;
    buf[0] = 0;
    buf[1] = TFTP_ERROR;
    buf[2] = (uint8_t)(code >> 8);
    buf[3] = (uint8_t)code;
    memcpy(buf + 4, msg, ml + 1);
    return n;
}

int tftp_parse(const uint8_t *buf, size_t len, struct tftp_packet *out)
{
    memset(out, 0, sizeof(*out));
    if (len < 2 || buf[0] != 0)
        return SP_ERR_PARSE;
    out->op = buf[1];
    switch (out->op) {
    case TFTP_DATA:
    case TFTP_ACK:
    case TFTP_ERROR:
        if (len < 4)
            return SP_ERR_PARSE;
        out->num = (uint16_t)(buf[2] << 8 | buf[3]);
        break;
    case TFTP_OACK:
        return 0;
    default:
        return SP_ERR_PARSE;
    }
    if (out->op == TFTP_DATA) {
        out->data = buf + 4;
        out->dlen = len - 4;
    } else if (out->op == TFTP_ERROR) {
        size_t k = 0;
        for (size_t i = 4; i < len && buf[i] != 0 && k + 1 < sizeof(out->msg); i++)
            out->msg[k++] = buf[i] >= 0x20 && buf[i] < 0x7f ? (char)buf[i] : '?';
        out->msg[k] = '\0';
    }
    return 0;
}

const char *tftp_rrq_result(const struct tftp_packet *p)
{
    if (p->op == TFTP_DATA && p->num == 1)
        return "open";
    if (p->op == TFTP_ERROR && p->num == TFTP_ENOTFOUND)
        return "absent";
    if (p->op == TFTP_ERROR && p->num == TFTP_EACCESS)
        return "protected";
    /*
     * Code 0 is "see the message": tftpd-hpa and many device servers send a
     * refusal to read as 0 with strerror(EACCES), "Permission denied".
     */
    if (p->op == TFTP_ERROR && p->num == 0 &&
        (strcasestr(p->msg, "permission denied") || strcasestr(p->msg, "access violation") ||
         strcasestr(p->msg, "access denied")))
        return "protected";
    return "undecided";
}
