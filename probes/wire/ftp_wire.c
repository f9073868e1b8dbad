/*
 * ftp_wire.c - FTP reply reading (see ftp_wire.h). Bounded: every read is
 * checked against len.
 */
#include <ctype.h>
#include <string.h>

#include "ftp_wire.h"
#include "starprobe.h"

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
