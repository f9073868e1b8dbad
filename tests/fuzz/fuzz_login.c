/*
 * fuzz_login.c - libFuzzer target for the login modules' parsers of device
 * bytes: telnet option filtering and prompt detection, FTP reply codes, HTTP
 * status lines and WWW-Authenticate challenges (then an Authorization built
 * from whatever challenge was parsed).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "login.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t out[4096], reply[256];
    size_t rlen = 0, n, half = size / 2;
    int st = 0;
    struct http_challenge ch;
    char auth[768];

    /* Split in two so state carried across reads is exercised too. */
    n = telnet_filter(data, half, out, sizeof(out), reply, sizeof(reply), &rlen, &st);
    n += telnet_filter(data + half, size - half, out + n, sizeof(out) - n, reply, sizeof(reply),
                       &rlen, &st);
    (void)telnet_prompt(out, n);
    (void)telnet_says_failed(out, n);
    (void)ftp_reply_code(data, size);
    (void)http_status(data, size);
    (void)http_head_done(data, size, NULL);
    if (http_parse_challenge(data, size, &ch) == 0)
        (void)http_authorization(&ch, "GET", "/admin", "admin", "admin", "0123456789abcdef", auth,
                                 sizeof(auth));
    return 0;
}
