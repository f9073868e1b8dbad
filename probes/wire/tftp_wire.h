/*
 * tftp_wire.h - TFTP (RFC 1350) read requests and the server's first answer:
 * DATA block 1 (the file is served to anyone), or ERROR with its code and
 * text. Pure; unit tested and fuzzed.
 */
#ifndef SP_TFTP_WIRE_H
#define SP_TFTP_WIRE_H

#include <stddef.h>
#include <stdint.h>

enum { TFTP_RRQ = 1, TFTP_DATA = 3, TFTP_ACK = 4, TFTP_ERROR = 5, TFTP_OACK = 6 };
enum { TFTP_ENOTFOUND = 1, TFTP_EACCESS = 2 };

/* RRQ file in octet mode. 0 when the name is empty, over 255 bytes, or buf too small. */
size_t tftp_build_rrq(uint8_t *buf, size_t cap, const char *file);
/* ERROR code with msg (ends a transfer we do not want). 0 when it does not fit. */
size_t tftp_build_error(uint8_t *buf, size_t cap, uint16_t code, const char *msg);

struct tftp_packet {
    uint16_t op;
    uint16_t num;           /* DATA: block number; ERROR: error code */
    const uint8_t *data;    /* DATA: the payload, inside the caller's buffer */
    size_t dlen;            /* at most 512 in RFC 1350; more is kept as sent (blksize options) */
    char msg[128];          /* ERROR: the text, printable and bounded */
};

/* Parse one datagram. 0, or SP_ERR_PARSE when it is not a DATA, ERROR, ACK or OACK packet. */
int tftp_parse(const uint8_t *buf, size_t len, struct tftp_packet *out);

/*
 * What the first answer to an RRQ means: "open" for DATA block 1, "absent"
 * for ERROR 1 (file not found), "protected" for ERROR 2 (access violation)
 * and for ERROR 0 whose text is a refusal ("Permission denied"),
 * "undecided" for anything else.
 */
const char *tftp_rrq_result(const struct tftp_packet *p);

#endif
