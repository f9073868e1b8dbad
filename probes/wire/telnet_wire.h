/*
 * telnet_wire.h - telnet (RFC 854/855) on the wire: option negotiation for
 * the sessions that log in or look around, and recognising a server by the
 * commands it sends first. Pure: no sockets; unit tested and fuzzed.
 */
#ifndef SP_TELNET_WIRE_H
#define SP_TELNET_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "rxbuf.h"
#include "wire.h"

/*
 * Telnet (RFC 854): strips commands (and NVT no-op NULs) from the server's
 * bytes and answers option requests by refusing what the server asks us to
 * do (DO → WONT) and, by policy, accepting what it offers (WILL → DO):
 * auth.unauthenticated accepts every offer so that whatever the device
 * shows comes through; the login probe accepts only ECHO and
 * SUPPRESS-GO-AHEAD (what a login needs) and refuses the rest (WILL → DONT).
 * State carries over between reads.
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

enum telnet_prompt { TP_NONE = 0, TP_LOGIN, TP_PASSWORD };
/* Does the text end with a login or password prompt (last line, trailing blanks ignored)? */
enum telnet_prompt telnet_prompt(const uint8_t *buf, size_t len);
/* Does the text after a password say the login failed? */
int telnet_says_failed(const uint8_t *buf, size_t len);

/*
 * Identifying a port (probes/ident.c tries these in its order): the request
 * that asks the question, and the matcher that says whether a reply is this
 * protocol, filling out (service, evidence) only when it is.
 */
/*
 * Telnet (RFC 854): the server opens with IAC WILL/WONT/DO/DONT option.
 * The negotiation is listed, then any text that follows with later IAC
 * sequences taken out, which is usually the login prompt.
 */
int telnet_ident_match(const uint8_t *buf, size_t len, struct ident_result *out);

#endif
