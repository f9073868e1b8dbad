/*
 * ftp_wire.h - FTP replies (RFC 959 §4.2): where a reply ends and its code.
 * Pure; unit tested and fuzzed.
 */
#ifndef SP_FTP_WIRE_H
#define SP_FTP_WIRE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The first complete FTP reply in buf: 1 with *code set once a line
 * "ddd " (or a bare "ddd") ends the reply, multi-line replies ("ddd-")
 * included; 0 when more bytes are needed; SP_ERR_PARSE when the first line
 * does not start with three digits.
 */
int ftp_reply_parse(const uint8_t *buf, size_t len, int *code);

#endif
