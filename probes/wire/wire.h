/*
 * wire.h - what every recogniser in probes/wire/ shares: the result a reply
 * matcher fills (struct ident_result), the bounded evidence writer that puts
 * device bytes into it escaped (struct dbuf), and small byte helpers that
 * never read past the length they are given. Pure: no sockets, no globals.
 *
 * The protocol files hold the requests that identify a port and the
 * matchers that read the replies (<proto>_ident_build, <proto>_ident_match);
 * probes/ident.c only says in which order they are tried (docs/design.md §6.4).
 */
#ifndef SP_WIRE_H
#define SP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct ident_result {
    char service[32];   /* ssh, telnet, ftp, smtp, http, https, rtsp, mqtt, mqtts, tls, vnc, adb, rlogin,
                           pop3, imap, mysql, coap, dtls, snmp, snmpv3, dns, mdns, ntp, tftp, ssdp, dhcp, ike,
                           ws-discovery, unknown */
    char detail[256];   /* evidence: what identified it, printable */
    char banner[128];   /* printable first line the server sent unprompted, or "" */
};

/*
 * A bounded writer over one of ident_result's fixed arrays. Device bytes go
 * in escaped, and an escape sequence is never cut in half: a reader must be
 * able to tell "\x0" from a truncated "\x0d".
 */
struct dbuf {
    char *p;
    size_t cap;
    size_t len;
};

/* Fill n bytes with randomness (getrandom(2)): nonces, tokens, transaction ids; 0 or SP_ERR_IO. */
int wire_random(uint8_t *buf, size_t n);

void dbuf_init(struct dbuf *d, char *p, size_t cap);

void dbuf_printf(struct dbuf *d, const char *fmt, ...) SP_PRINTF(2, 3);

/* Append n device bytes escaped, at most max characters, "..." when cut. */
void dbuf_esc(struct dbuf *d, const uint8_t *b, size_t n, size_t max);

/* Sets service "unknown" and empties detail and banner. */
void ident_result_init(struct ident_result *r);

void ident_set_service(struct ident_result *out, const char *name);

void ident_set_banner(struct ident_result *out, const uint8_t *b, size_t n);

int wire_has_prefix(const uint8_t *b, size_t n, const char *s);

int wire_has_prefix_ci(const uint8_t *b, size_t n, const char *s);

/* Length of the line at b, without its "\r\n" or "\n". */
size_t wire_line_len(const uint8_t *b, size_t n);

/* Offset of the next line after the one at b, or n if there is none. */
size_t wire_next_line(const uint8_t *b, size_t n);

int wire_is_digit(uint8_t c);

/* Text as a person would type or read it: printable ASCII, tab, CR, LF. */
int wire_is_textbyte(uint8_t c);

int wire_all_text(const uint8_t *b, size_t n);

/* Case-insensitive search for a word in the first `n` bytes. */
int wire_contains_ci(const uint8_t *b, size_t n, const char *w);

/*
 * ASCII case-insensitive search for n bytes (not a C string) in h. Written
 * out rather than memmem(3), which is a GNU extension the fuzz build does
 * not declare.
 */
const uint8_t *wire_find_ci(const uint8_t *h, size_t hl, const uint8_t *n, size_t nl);

int wire_name_eq_ci(const char *a, const char *b);

uint16_t wire_be16(const uint8_t *p);

uint32_t wire_be32(const uint8_t *p);

uint32_t wire_le32(const uint8_t *p);

/*
 * Find a header in an HTTP-style reply (status line first, then header
 * lines until a blank line). A line cut off by the buffer end still counts:
 * a partial reply is still evidence.
 */
int wire_hdr_find(const uint8_t *b, size_t n, const char *name, const uint8_t **val, size_t *vlen);

/* Append ", NAME 'value'" when the HTTP-style reply has header NAME. */
void dbuf_hdr(struct dbuf *d, const uint8_t *b, size_t n, const char *name, size_t max);

/*
 * The host as it goes into a Host header or an rtsp:// URL. Only characters
 * a host name or address literal can contain are let through: the target
 * comes from the command line, and a CR/LF in it must not become a header.
 * IPv6 literals get brackets; a zone id is dropped (it means nothing to the
 * device).
 */
int wire_host_for_url(char *dst, size_t cap, const char *host);

/* What snprintf wrote into a buffer of cap bytes, or 0 when it failed or was cut. */
size_t wire_snprintf_len(int n, size_t cap);

/* nhex random lowercase hex digits (at most 32) and a NUL into dst. */
void wire_hex_random(char *dst, size_t nhex);

void wire_put_le32(uint8_t *p, uint32_t v);

#endif
