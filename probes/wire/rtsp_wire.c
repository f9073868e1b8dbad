/*
 * rtsp_wire.c - RTSP requests, reply ends and SDP bodies for
 * auth.unauthenticated (rtsp_wire.h). The head itself is http_wire.c's.
 */
#include <stdio.h>
#include <string.h>

#include "rtsp_wire.h"
#include "starprobe.h"
#include "util.h"

static int request_token_ok(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
            return 0;
    return 1;
}

size_t rtsp_build_request(uint8_t *buf, size_t cap, const char *method, const char *uri,
                          unsigned cseq)
{
    int n;

    if (!request_token_ok(method) || !request_token_ok(uri))
        return 0;
    n = snprintf((char *)buf, cap, "%s %s RTSP/1.0\r\nCSeq: %u\r\nUser-Agent: starprobe\r\n%s\r\n",
                 method, uri, cseq, strcmp(method, "DESCRIBE") == 0 ? "Accept: application/sdp\r\n" : "");
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

void rtsp_body(const uint8_t *buf, size_t len, const struct http_response *h, const uint8_t **body,
               size_t *blen)
{
    size_t have = h->head_len <= len ? len - h->head_len : 0;

    *body = buf + (h->head_len <= len ? h->head_len : len);
    if (h->content_length >= 0 && (unsigned long long)h->content_length < have)
        have = (size_t)h->content_length;
    *blen = h->content_length < 0 ? 0 : have;
}

int rtsp_reply_done(const uint8_t *buf, size_t len, void *arg)
{
    struct http_response h;
    size_t have;

    (void)arg;
    if (http_parse_head_proto(buf, len, "RTSP/", &h) != 0)
        return 1;   /* not an RTSP reply: more bytes will not make it one */
    if (!h.complete)
        return 0;
    if (h.content_length <= 0)
        return 1;
    have = len - h.head_len;
    return (unsigned long long)have >= (unsigned long long)h.content_length;
}

/* Copy a line's value (after "x=") as printable text, bounded. */
static void line_value(const uint8_t *p, size_t n, char *out, size_t cap)
{
    size_t k = 0;

    for (size_t i = 0; i < n && k + 1 < cap; i++)
        out[k++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
    out[k] = '\0';
}

int rtsp_sdp_parse(const uint8_t *body, size_t len, struct rtsp_sdp *out)
{
    size_t off = 0, line = 0;
    int named = 0;

    memset(out, 0, sizeof(*out));
    while (off < len) {
        const uint8_t *p = body + off, *nl = memchr(p, '\n', len - off);
        size_t n = nl ? (size_t)(nl - p) : len - off;
        off += nl ? n + 1 : n;
        if (n > 0 && p[n - 1] == '\r')
            n--;
        if (n == 0)
            continue;
        if (line++ == 0) {
            if (n != 3 || memcmp(p, "v=0", 3) != 0)
                return SP_ERR_PARSE;
            continue;
        }
        if (n < 2 || p[1] != '=')
            return SP_ERR_PARSE;     /* every SDP line is "x=..." */
        if (p[0] == 'o')
            named = 1;
        else if (p[0] == 's') {
            named = 1;
            line_value(p + 2, n - 2, out->name, sizeof(out->name));
        } else if (p[0] == 'm') {
            size_t tl = 0;
            char kind[16];
            while (2 + tl < n && p[2 + tl] != ' ')
                tl++;
            line_value(p + 2, tl, kind, sizeof(kind));
            out->media++;
            if (strlen(out->kinds) + strlen(kind) + 2 < sizeof(out->kinds))
                snprintf(out->kinds + strlen(out->kinds), sizeof(out->kinds) - strlen(out->kinds),
                         "%s%s", out->kinds[0] ? "," : "", kind);
        }
    }
    if (line == 0 || !named)
        return SP_ERR_PARSE;
    out->valid = 1;
    return 0;
}

const char *rtsp_describe_result(int status, const struct rtsp_sdp *sdp)
{
    if (status >= 200 && status < 300)
        return sdp && sdp->valid && sdp->media > 0 ? "open" : "ambiguous";
    if (status == 401 || status == 403 || status == 407)
        return "protected";
    if (status == 404)
        return "absent";
    return "undecided";
}
