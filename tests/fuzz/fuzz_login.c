/*
 * fuzz_login.c - libFuzzer target for the login modules' parsers of device
 * bytes: telnet option filtering (unauth_wire.c, login policy) and prompt
 * detection, FTP reply codes (unauth_wire.c), HTTP
 * status lines and WWW-Authenticate challenges (then an Authorization built
 * from whatever challenge was parsed).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "login.h"
#include "unauth_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t out[4096], reply[256];
    size_t rlen = 0, n = 0, half = size / 2;
    int code;
    struct telnet_state ts;
    struct http_challenge ch;
    char auth[768];

    /* Split in two so state carried across reads is exercised too. */
    telnet_init(&ts, TELNET_ACCEPT_LOGIN);
    telnet_feed(&ts, data, half, out, sizeof(out), &n, reply, sizeof(reply), &rlen);
    telnet_feed(&ts, data + half, size - half, out, sizeof(out), &n, reply, sizeof(reply), &rlen);
    (void)telnet_prompt(out, n);
    (void)telnet_says_failed(out, n);
    (void)ftp_reply_parse(data, size, &code);
    (void)http_status(data, size);
    (void)http_head_done(data, size, NULL);
    if (http_parse_challenge(data, size, &ch) == 0)
        (void)http_authorization(&ch, "GET", "/admin", "admin", "admin", "0123456789abcdef", auth,
                                 sizeof(auth));
    return 0;
}
