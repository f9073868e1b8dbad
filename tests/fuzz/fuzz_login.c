/*
 * fuzz_login.c - libFuzzer target for the login modules' parsers of device
 * bytes: telnet option filtering (telnet_wire.c, login policy) and prompt
 * detection, FTP reply codes (ftp_wire.c), HTTP
 * status lines and WWW-Authenticate challenges (then an Authorization built
 * from whatever challenge was parsed).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ftp_wire.h"
#include "login.h"
#include "rxbuf.h"
#include "telnet_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t reply[256];
    const uint8_t *out;
    struct rxbuf text;
    size_t rlen = 0, n = 0, half = size / 2;
    int code;
    struct telnet_state ts;
    struct http_challenge ch;
    char auth[768];

    /* Split in two so state carried across reads is exercised too. */
    rxbuf_init(&text, 4096);
    telnet_init(&ts, TELNET_ACCEPT_LOGIN);
    telnet_feed(&ts, data, half, &text, reply, sizeof(reply), &rlen);
    telnet_feed(&ts, data + half, size - half, &text, reply, sizeof(reply), &rlen);
    out = rxbuf_since(&text, 0, &n);
    (void)telnet_prompt(out, n);
    (void)telnet_says_failed(out, n);
    rxbuf_free(&text);
    (void)ftp_reply_parse(data, size, &code);
    (void)http_status(data, size);
    (void)http_head_done(data, size, NULL);
    if (http_parse_challenge(data, size, &ch) == 0)
        (void)http_authorization(&ch, "GET", "/admin", "admin", "admin", "0123456789abcdef", auth,
                                 sizeof(auth));
    return 0;
}
