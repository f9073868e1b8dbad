/*
 * upload_wire.c - a firmware upload request and the meaning of its answer
 * (see upload_wire.h). The request is computed twice, once to size it and
 * once to write it, through the same function, so the two cannot disagree.
 */
#include <stdio.h>
#include <string.h>

#include "upload_wire.h"
#include "util.h"
#include "wire.h"

struct ub {
    uint8_t *p;                 /* NULL: only count */
    size_t cap, len;
    int bad;
};

static void ub_put(struct ub *u, const void *b, size_t n)
{
    if (u->bad)
        return;
    if (u->p) {
        if (n > u->cap - u->len) {
            u->bad = 1;
            return;
        }
        memcpy(u->p + u->len, b, n);
    }
    u->len += n;
}

static void ub_str(struct ub *u, const char *s)
{
    ub_put(u, s, strlen(s));
}

/* Bytes that may stand in a request line or header value: printable, no blank, no quote. */
static int token_ok(const char *s, int allow_quote)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || (!allow_quote && *s == '"'))
            return 0;
    return 1;
}

static int boundary_ok(const struct upload_req *q)
{
    size_t bl = q->boundary ? strlen(q->boundary) : 0;

    if (bl == 0 || bl > 70)
        return 0;
    for (size_t i = 0; i < bl; i++)
        if (!((q->boundary[i] >= 'a' && q->boundary[i] <= 'z') ||
              (q->boundary[i] >= 'A' && q->boundary[i] <= 'Z') ||
              (q->boundary[i] >= '0' && q->boundary[i] <= '9')))
            return 0;
    for (size_t k = 0; k < q->nparts; k++)
        if (wire_find_ci(q->parts[k].data, q->parts[k].len, (const uint8_t *)q->boundary, bl))
            return 0;
    return 1;
}

static size_t emit(struct ub *u, const struct upload_req *q)
{
    char host[300], line[512];
    size_t body = 0;
    int multipart = q->nparts > 0 && q->parts[0].field != NULL;

    if (!token_ok(q->method, 0) || strlen(q->method) > 16 || !token_ok(q->path, 1) ||
        q->path[0] != '/' || q->nparts < 1 ||
        q->nparts > 2 || wire_host_for_url(host, sizeof(host), q->host) != 0 ||
        (q->authorization && (strpbrk(q->authorization, "\r\n") || strlen(q->authorization) > 400)))
        return 0;
    /* every snprintf below fits line: fields and file names are at most 100, the boundary 70 */
    for (size_t k = 0; k < q->nparts; k++) {
        const struct upload_part *pt = &q->parts[k];
        if ((pt->field != NULL) != multipart || (multipart && (!token_ok(pt->field, 0) ||
            !token_ok(pt->filename, 0) || strlen(pt->field) > 100 || strlen(pt->filename) > 100)))
            return 0;
    }
    if (!multipart && q->nparts != 1)
        return 0;
    if (multipart && !boundary_ok(q))
        return 0;
    /* the body's length first: the parts' heads, data and the closing delimiter */
    if (multipart) {
        for (size_t k = 0; k < q->nparts; k++)
            body += (size_t)snprintf(line, sizeof(line),
                                     "--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                                     "filename=\"%s\"\r\nContent-Type: application/octet-stream\r\n\r\n",
                                     q->boundary, q->parts[k].field, q->parts[k].filename) +
                    q->parts[k].len + 2;
        body += strlen(q->boundary) + 6;
    } else {
        body = q->parts[0].len;
    }
    ub_str(u, q->method);
    ub_str(u, " ");
    ub_str(u, q->path);
    ub_str(u, " HTTP/1.1\r\nHost: ");
    ub_str(u, host);
    if ((q->tls && q->port != 443) || (!q->tls && q->port != 80)) {
        snprintf(line, sizeof(line), ":%ld", q->port);
        ub_str(u, line);
    }
    ub_str(u, "\r\nUser-Agent: starprobe\r\nConnection: close\r\n");
    if (q->authorization) {
        ub_str(u, "Authorization: ");
        ub_str(u, q->authorization);
        ub_str(u, "\r\n");
    }
    if (multipart)
        snprintf(line, sizeof(line), "Content-Type: multipart/form-data; boundary=%s\r\n", q->boundary);
    else
        snprintf(line, sizeof(line), "Content-Type: application/octet-stream\r\n");
    ub_str(u, line);
    snprintf(line, sizeof(line), "Content-Length: %zu\r\n\r\n", body);
    ub_str(u, line);
    for (size_t k = 0; k < q->nparts; k++) {
        if (multipart) {
            snprintf(line, sizeof(line),
                     "--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                     "Content-Type: application/octet-stream\r\n\r\n",
                     q->boundary, q->parts[k].field, q->parts[k].filename);
            ub_str(u, line);
        }
        ub_put(u, q->parts[k].data, q->parts[k].len);
        if (multipart)
            ub_str(u, "\r\n");
    }
    if (multipart) {
        ub_str(u, "--");
        ub_str(u, q->boundary);
        ub_str(u, "--\r\n");
    }
    return u->bad ? 0 : u->len;
}

size_t upload_request_len(const struct upload_req *q)
{
    struct ub u = {NULL, 0, 0, 0};
    return emit(&u, q);
}

size_t upload_build(uint8_t *buf, size_t cap, const struct upload_req *q)
{
    struct ub u = {buf, cap, 0, 0};
    return emit(&u, q);
}

const char *upload_outcome_name(enum upload_outcome o)
{
    return o == UPLOAD_ACCEPTED ? "accepted" : o == UPLOAD_REJECTED ? "rejected" : "unclear";
}

static int body_has(const uint8_t *body, size_t blen, const char *text)
{
    return text && *text && body && wire_find_ci(body, blen, (const uint8_t *)text, strlen(text));
}

enum upload_outcome upload_classify(const struct http_response *h, const uint8_t *body,
                                    size_t blen, const char *rejected_text,
                                    const char *accepted_text, int *by_status, char *why,
                                    size_t whycap)
{
    static const int not_reached[] = {401, 403, 404, 405, 407, 408, 429};
    int st = h && h->complete ? h->status : 0;

    *by_status = 0;
    if (st == 0) {
        snprintf(why, whycap, "no complete HTTP answer");
        return UPLOAD_UNCLEAR;
    }
    if (body_has(body, blen, rejected_text)) {
        snprintf(why, whycap, "status %d, and the page says the declared rejection text", st);
        return UPLOAD_REJECTED;
    }
    for (size_t i = 0; i < SP_ARRAY_LEN(not_reached); i++)
        if (st == not_reached[i]) {
            snprintf(why, whycap, "status %d says the upload never reached the update's "
                                  "verification (authentication, path, method or rate)", st);
            return UPLOAD_UNCLEAR;
        }
    if (st >= 400 && st < 500) {
        *by_status = 1;
        snprintf(why, whycap, "status %d: refused", st);
        return UPLOAD_REJECTED;
    }
    if (st >= 200 && st < 400) {
        if (accepted_text && *accepted_text && !body_has(body, blen, accepted_text)) {
            snprintf(why, whycap, "status %d, but the page has neither the declared acceptance nor "
                                  "rejection text", st);
            return UPLOAD_UNCLEAR;
        }
        snprintf(why, whycap, "status %d: the device took it%s", st,
                 accepted_text && *accepted_text ? " (the page says the declared acceptance text)" : "");
        return UPLOAD_ACCEPTED;
    }
    snprintf(why, whycap, "status %d: neither a refusal nor a success", st);
    return UPLOAD_UNCLEAR;
}
