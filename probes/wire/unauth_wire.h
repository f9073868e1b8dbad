/*
 * unauth_wire.h - the small text protocols auth.unauthenticated and the
 * login probes speak (FTP replies, telnet option negotiation) and the rule
 * for what a declaration marks public. Pure; unit tested and fuzzed.
 */
#ifndef SP_UNAUTH_WIRE_H
#define SP_UNAUTH_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "rxbuf.h"

/*
 * Is item declared public? An entry matches exactly; an entry ending in '/'
 * or '*' matches every item it prefixes ("/admin/" also matches "/admin"),
 * except "/" alone, which is the root page only (slash-star is the whole site).
 * Returns the matching entry or NULL.
 */
const char *unauth_public_match(char *const *entries, size_t n, const char *item);

/*
 * The first complete FTP reply in buf: 1 with *code set once a line
 * "ddd " (or a bare "ddd") ends the reply, multi-line replies ("ddd-")
 * included; 0 when more bytes are needed; SP_ERR_PARSE when the first line
 * does not start with three digits. Used by unauth.c and login_ftp.c.
 */
int ftp_reply_parse(const uint8_t *buf, size_t len, int *code);

/*
 * Telnet (RFC 854): strips commands (and NVT no-op NULs) from the server's
 * bytes and answers option requests by refusing what the server asks us to
 * do (DO → WONT) and, by policy, accepting what it offers (WILL → DO):
 * auth.unauthenticated accepts every offer so that whatever the device
 * shows comes through; the login probe accepts only ECHO and
 * SUPPRESS-GO-AHEAD (what a login needs) and refuses the rest (WILL → DONT).
 * State carries over between reads. Used by unauth.c and login_telnet.c.
 */
enum telnet_accept { TELNET_ACCEPT_ALL, TELNET_ACCEPT_LOGIN };
struct telnet_state {
    int st;             /* 0 data, 1 after IAC, 2 after IAC DO/DONT/WILL/WONT, 3 in SB, 4 IAC in SB */
    uint8_t cmd;
    enum telnet_accept accept;
};
void telnet_init(struct telnet_state *ts, enum telnet_accept accept);
/*
 * Feed len bytes: the data is appended to text (a sliding buffer, so a
 * device that talks without end never stops a later marker from being seen),
 * the replies go to reply (at most replycap, *replylen updated; answers that
 * do not fit are dropped, never overflowed).
 */
void telnet_feed(struct telnet_state *ts, const uint8_t *in, size_t len, struct rxbuf *text,
                 uint8_t *reply, size_t replycap, size_t *replylen);


#endif
