/*
 * unauth_wire.c - public-item matching, FTP reply reading, telnet option
 * handling (see unauth_wire.h). Bounded: every read is checked against len.
 */
#include <ctype.h>
#include <string.h>

#include "starprobe.h"
#include "unauth_wire.h"
#include "util.h"

const char *unauth_public_match(char *const *entries, size_t n, const char *item)
{
    size_t il = strlen(item);

    for (size_t i = 0; i < n; i++) {
        const char *e = entries[i];
        size_t el = strlen(e);
        if (strcmp(e, item) == 0)
            return e;
        /*
         * "/" alone is the root page (where the public login page lives),
         * not the whole site: a declaration that means everything writes slash-star.
         */
        if (el == 0 || (e[el - 1] != '/' && e[el - 1] != '*') || strcmp(e, "/") == 0)
            continue;
        size_t pl = e[el - 1] == '*' ? el - 1 : el;
        if (il >= pl && strncmp(e, item, pl) == 0)
            return e;
        /* "/admin/" also covers the directory named without its slash. */
        if (e[el - 1] == '/' && il == el - 1 && strncmp(e, item, il) == 0)
            return e;
    }
    return NULL;
}

int ftp_reply_parse(const uint8_t *buf, size_t len, int *code)
{
    size_t off = 0;
    int first = -1;

    while (off < len) {
        const uint8_t *nl = memchr(buf + off, '\n', len - off);
        size_t e = nl ? (size_t)(nl - buf) : len, n = e - off;
        const uint8_t *l = buf + off;
        if (!nl)
            return 0;
        if (n > 0 && l[n - 1] == '\r')
            n--;
        if (n >= 3 && isdigit(l[0]) && isdigit(l[1]) && isdigit(l[2])) {
            int c = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
            if (first < 0)
                first = c;
            /* The reply ends at "ddd " with the code the reply started with (RFC 959 §4.2). */
            if (c == first && (n == 3 || l[3] == ' ')) {
                *code = c;
                return 1;
            }
        } else if (first < 0) {
            return SP_ERR_PARSE;
        }
        off = e + 1;
    }
    return 0;
}

#define IAC 255
#define DONT 254
#define DO 253
#define WONT 252
#define WILL 251
#define SB 250
#define SE 240

#define OPT_ECHO 1
#define OPT_SGA 3

void telnet_init(struct telnet_state *ts, enum telnet_accept accept)
{
    ts->st = 0;
    ts->cmd = 0;
    ts->accept = accept;
}

static void out3(uint8_t *reply, size_t cap, size_t *len, uint8_t a, uint8_t b)
{
    if (*len + 3 > cap)
        return;
    reply[(*len)++] = IAC;
    reply[(*len)++] = a;
    reply[(*len)++] = b;
}

void telnet_feed(struct telnet_state *ts, const uint8_t *in, size_t len, struct rxbuf *text,
                 uint8_t *reply, size_t replycap, size_t *replylen)
{
    size_t run = 0;     /* data bytes in[i - run, i) not yet appended: appended as one piece */

    for (size_t i = 0; i < len; i++) {
        uint8_t c = in[i];
        if (ts->st == 0 && c != IAC && c != 0) {
            run++;
            continue;
        }
        if (run) {
            rxbuf_append(text, in + i - run, run);
            run = 0;
        }
        switch (ts->st) {
        case 0:
            if (c == IAC)
                ts->st = 1;
            /* else NUL: an NVT no-op (CR NUL), dropped */
            break;
        case 1:
            if (c == IAC) {
                rxbuf_append(text, &c, 1);
                ts->st = 0;
            } else if (c >= WILL && c <= DONT) {
                ts->cmd = c;
                ts->st = 2;
            } else if (c == SB) {
                ts->st = 3;
            } else {
                ts->st = 0;
            }
            break;
        case 2:
            /* We offer nothing (no terminal type, no window size); WONT/DONT need no answer. */
            if (ts->cmd == DO)
                out3(reply, replycap, replylen, WONT, c);
            else if (ts->cmd == WILL)
                out3(reply, replycap, replylen,
                     ts->accept == TELNET_ACCEPT_ALL || c == OPT_ECHO || c == OPT_SGA ? DO : DONT, c);
            ts->st = 0;
            break;
        case 3:
            if (c == IAC)
                ts->st = 4;
            break;
        default:
            ts->st = c == SE ? 0 : 3;
            break;
        }
    }
    if (run)
        rxbuf_append(text, in + len - run, run);
}
