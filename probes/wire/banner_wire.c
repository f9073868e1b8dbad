/*
 * banner_wire.c - find a software version in a service's greeting (banner_wire.h).
 */
#include <string.h>

#include "banner_wire.h"

static int is_sep(unsigned char c)
{
    return c <= ' ' || c >= 0x7f || strchr("()[]{}<>,;\"'`", c) != NULL;
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* a.b.c.d (each 1-3 digits), optionally followed by ":port" or a final '.': an address, no version. */
static int is_ipv4(const char *w, size_t n)
{
    size_t i = 0;

    for (int part = 0; part < 4; part++) {
        size_t d = 0;
        while (i < n && is_digit((unsigned char)w[i]) && d < 4) {
            i++;
            d++;
        }
        if (d == 0 || d > 3)
            return 0;
        if (part < 3) {
            if (i >= n || w[i] != '.')
                return 0;
            i++;
        }
    }
    if (i < n && w[i] == ':') {
        i++;
        while (i < n && is_digit((unsigned char)w[i]))
            i++;
    }
    if (i < n && w[i] == '.')
        i++;
    return i == n;
}

static int has_dotted_number(const char *w, size_t n)
{
    for (size_t i = 1; i + 1 < n; i++)
        if (w[i] == '.' && is_digit((unsigned char)w[i - 1]) && is_digit((unsigned char)w[i + 1]))
            return 1;
    return 0;
}

int banner_version(const char *text, size_t len, char *tok, size_t toklen)
{
    size_t i = 0;

    if (toklen > 0)
        tok[0] = '\0';
    if (!text)
        return 0;
    len = strnlen(text, len);
    while (i < len) {
        size_t start, n;
        const char *w;

        while (i < len && is_sep((unsigned char)text[i]))
            i++;
        start = i;
        while (i < len && !is_sep((unsigned char)text[i]))
            i++;
        w = text + start;
        n = i - start;
        if (n == 0)
            continue;
        /* "SSH-2.0-OpenSSH_9.2p1": the protocol marker is no version; its software part may be. */
        if (n > 4 && strncmp(w, "SSH-", 4) == 0) {
            const char *dash = memchr(w + 4, '-', n - 4);
            if (!dash)
                continue;
            n -= (size_t)(dash + 1 - w);
            w = dash + 1;
        }
        if ((n >= 5 && (strncmp(w, "HTTP/", 5) == 0 || strncmp(w, "RTSP/", 5) == 0)) ||
            is_ipv4(w, n))
            continue;
        {
            /* an IPv4-mapped IPv6 address, "::ffff:192.0.2.1" */
            const char *colon = NULL;
            for (size_t k = 0; k < n; k++)
                if (w[k] == ':')
                    colon = w + k;
            if (colon && colon > w && colon[-1] != '.' &&
                is_ipv4(colon + 1, n - (size_t)(colon + 1 - w)))
                continue;
        }
        if (has_dotted_number(w, n)) {
            size_t k;
            for (k = 0; k < n && k + 1 < toklen; k++)
                tok[k] = (w[k] > ' ' && w[k] < 0x7f) ? w[k] : '?';
            if (toklen > 0)
                tok[k] = '\0';
            return 1;
        }
    }
    return 0;
}
