/*
 * telnet_wire.c - telnet option negotiation and recognition (see
 * telnet_wire.h). Every read is bounded by the length received.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "telnet_wire.h"
#include "wire.h"

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

/* ---- prompts and failure words in a session's text ---- */

/* The last line of text, trailing blanks dropped, lower-cased into out. */
static size_t last_line(const uint8_t *buf, size_t len, char *out, size_t cap)
{
    size_t end = len, start, n = 0;

    while (end > 0 && (buf[end - 1] == ' ' || buf[end - 1] == '\t' || buf[end - 1] == '\0'))
        end--;
    start = end;
    while (start > 0 && buf[start - 1] != '\n' && buf[start - 1] != '\r')
        start--;
    if (end - start >= cap)
        start = end - (cap - 1);
    for (size_t i = start; i < end; i++) {
        uint8_t c = buf[i];
        out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out[n] = '\0';
    return n;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

enum telnet_prompt telnet_prompt(const uint8_t *buf, size_t len)
{
    static const char *const login_sfx[] = {"login:", "username:", "user name:", "user:",
                                            "login as:", "user id:", "userid:", "account:"};
    char line[128];
    size_t n = last_line(buf, len, line, sizeof(line));

    if (ends_with(line, n, "password:") || ends_with(line, n, "passwd:") ||
        ends_with(line, n, "passcode:"))
        return TP_PASSWORD;
    for (size_t i = 0; i < SP_ARRAY_LEN(login_sfx); i++)
        if (ends_with(line, n, login_sfx[i]))
            return TP_LOGIN;
    return TP_NONE;
}

int telnet_says_failed(const uint8_t *buf, size_t len)
{
    static const char *const words[] = {"incorrect", "login failed", "authentication failed",
                                        "access denied", "invalid", "wrong password",
                                        "bad password", "login failure", "permission denied"};
    for (size_t i = 0; i < SP_ARRAY_LEN(words); i++)
        if (sp_memcasemem(buf, len, words[i]))
            return 1;
    return 0;
}

static const char *telnet_opt_name(uint8_t o)
{
    switch (o) {
    case 0: return "BINARY";
    case 1: return "ECHO";
    case 3: return "SGA";
    case 5: return "STATUS";
    case 6: return "TIMING-MARK";
    case 24: return "TTYPE";
    case 31: return "NAWS";
    case 32: return "TSPEED";
    case 33: return "LFLOW";
    case 34: return "LINEMODE";
    case 35: return "XDISPLOC";
    case 36: return "OLD-ENVIRON";
    case 37: return "AUTHENTICATION";
    case 38: return "ENCRYPT";
    case 39: return "NEW-ENVIRON";
    default: return NULL;
    }
}

static const char *telnet_cmd_name(uint8_t c)
{
    static const char *const names[] = {"WILL", "WONT", "DO", "DONT"};
    return names[c - 0xfb];
}

/*
 * Telnet (RFC 854): the server opens with IAC WILL/WONT/DO/DONT option.
 * The negotiation is listed, then any text that follows with later IAC
 * sequences taken out, which is usually the login prompt.
 */
int telnet_ident_match(const uint8_t *buf, size_t len, struct ident_result *out)
{
    struct dbuf d;
    uint8_t text[256];
    size_t i = 0, ntext = 0, shown = 0, more = 0;

    if (len < 3 || buf[0] != 0xff || buf[1] < 0xfb || buf[1] > 0xfe)
        return 0;
    ident_result_init(out);
    ident_set_service(out, "telnet");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    dbuf_printf(&d, "telnet");
    while (i < len) {
        if (buf[i] == 0xff && i + 1 < len && buf[i + 1] != 0xff) {
            uint8_t cmd = buf[i + 1];
            if (cmd >= 0xfb && cmd <= 0xfe) {
                if (i + 2 >= len)
                    break;
                if (shown < 3) {
                    const char *on = telnet_opt_name(buf[i + 2]);
                    dbuf_printf(&d, "%s IAC %s ", shown ? "," : "", telnet_cmd_name(cmd));
                    if (on)
                        dbuf_printf(&d, "%s ", on);
                    else
                        dbuf_printf(&d, "opt %u ", buf[i + 2]);
                    dbuf_printf(&d, "(ff %02x %02x)", cmd, buf[i + 2]);
                    shown++;
                } else {
                    more++;
                }
                i += 3;
            } else if (cmd == 0xfa) {
                /* Subnegotiation: skip to IAC SE, bounded by the buffer. */
                size_t j = i + 2;
                while (j + 1 < len && !(buf[j] == 0xff && buf[j + 1] == 0xf0))
                    j++;
                i = j + 2;
            } else {
                i += 2;     /* NOP, GA and the other two-byte commands */
            }
            continue;
        }
        if (buf[i] == 0xff)
            i++;            /* IAC IAC is a literal 0xff data byte */
        if (i < len && ntext < sizeof(text))
            text[ntext++] = buf[i];
        i++;
    }
    if (more)
        dbuf_printf(&d, " +%zu more", more);
    if (ntext) {
        size_t s = 0;
        while (s < ntext && (text[s] == '\r' || text[s] == '\n' || text[s] == 0))
            s++;
        if (s < ntext) {
            dbuf_printf(&d, " then '");
            dbuf_esc(&d, text + s, ntext - s, 100);
            dbuf_printf(&d, "'");
            ident_set_banner(out, text + s, wire_line_len(text + s, ntext - s));
        }
    }
    return 1;
}
