/*
 * ftp.c - the FTP handler. Logins (USER/PASS, RFC 959): 230 alone is not trusted:
 * the login counts once PWD answers 257 in the same session. 530 is a
 * rejection; 421 (service closing, "too many failures") is throttling.
 *
 * Without credentials (auth.unauthenticated): USER anonymous must not log in.
 * The two clients are still separate (a socket here, a plain-or-TLS stream
 * there) and share the reply parser (unauth_wire.c); they are to become one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "login.h"
#include "proto.h"
#include "run.h"
#include "tlsconn.h"
#include "unauth_wire.h"
#include "util.h"

struct fsess {
    int fd;
    uint8_t buf[2048];
    size_t len;
};

static int ftp_done(const uint8_t *buf, size_t len, void *arg)
{
    int code;

    (void)arg;
    return ftp_reply_parse(buf, len, &code) != 0;
}

/* Read one reply; its code, or a negative sp_err. */
static int ftp_read(struct fsess *f, int64_t deadline)
{
    ssize_t n;

    f->len = 0;
    n = net_recv_until(f->fd, f->buf, sizeof(f->buf) - 1, deadline, ftp_done, NULL);
    if (n < 0)
        return (int)n;
    f->len = (size_t)n;
    int code = 0;
    if (ftp_reply_parse(f->buf, f->len, &code) == 1)
        return code;
    return n == 0 ? SP_ERR_CLOSED : SP_ERR_PARSE;
}

static int ftp_cmd(struct fsess *f, const char *verb, const char *arg, int64_t deadline)
{
    char line[300];
    int n;

    if (arg && strpbrk(arg, "\r\n"))
        return SP_ERR_PARSE;
    n = snprintf(line, sizeof(line), "%s%s%s\r\n", verb, arg ? " " : "", arg ? arg : "");
    if (n < 0 || (size_t)n >= sizeof(line))
        return SP_ERR_PARSE;
    int rc = net_send_all(f->fd, line, (size_t)n, deadline);
    return rc ? rc : ftp_read(f, deadline);
}

static void note_reply(struct login_result *out, const char *what, const struct fsess *f)
{
    size_t l = f->len;
    while (l > 0 && (f->buf[l - 1] == '\n' || f->buf[l - 1] == '\r'))
        l--;
    login_note_bytes(out, what, f->buf, l > 100 ? 100 : l);
}

static int ftp_login_prepare(struct login_service *ls, const char *const *paths, int64_t deadline)
{
    (void)paths;
    struct fsess f = {.fd = -1};
    int code;

    f.fd = net_tcp_connect(ls->target, (int)ls->port, deadline);
    if (f.fd < 0) {
        snprintf(ls->how, sizeof(ls->how), "connect: %s", net_strerror(f.fd));
        return f.fd;
    }
    code = ftp_read(&f, deadline);
    close(f.fd);
    if (code == 220) {
        char *p = sp_printable(f.buf, f.len > 80 ? 80 : f.len, 100);
        ls->mode = LOGIN_MODE_PASSWORD;
        snprintf(ls->how, sizeof(ls->how), "greeting '%s'", p);
        free(p);
        return 0;
    }
    snprintf(ls->how, sizeof(ls->how), "no 220 greeting (%d)", code);
    return code < 0 ? code : SP_ERR_PARSE;
}

static void ftp_login_attempt(const struct login_service *ls, const char *user, const char *pass,
                       int64_t deadline, struct login_result *out)
{
    struct fsess *f = xcalloc(1, sizeof(*f));
    int code;

    f->fd = net_tcp_connect(ls->target, (int)ls->port, deadline);
    if (f->fd < 0) {
        out->status = LOGIN_ERROR;    /* a refused connect is a fault as much as a lock */
        login_note(out, "connect: %s", net_strerror(f->fd));
        free(f);
        return;
    }
    code = ftp_read(f, deadline);
    if (code != 220) {
        out->status = code == 421 ? LOGIN_LOCKED : LOGIN_ERROR;
        note_reply(out, "greeting: ", f);
        goto cleanup;
    }
    code = ftp_cmd(f, "USER", user, deadline);
    note_reply(out, "USER ->", f);
    if (code == 331 || code == 332)
        code = ftp_cmd(f, "PASS", pass, deadline), note_reply(out, "PASS ->", f);
    if (code == 230 || code == 202) {
        code = ftp_cmd(f, "PWD", NULL, deadline);
        note_reply(out, "PWD ->", f);
        out->status = code == 257 ? LOGIN_OK : LOGIN_ERROR;
    } else if (code == 530 || code == 430) {
        out->status = LOGIN_REJECTED;
    } else if (code == 421) {
        out->status = LOGIN_LOCKED;
    } else {
        out->status = LOGIN_ERROR;
    }
    net_send_all(f->fd, "QUIT\r\n", 6, deadline);
cleanup:
    close(f->fd);
    free(f);
}

/* ---- auth.unauthenticated: what the service gives a client with no credentials ---- */

#define EXCERPT 160



/* Send cmd (may be NULL: just read the greeting); the reply code, or a negative sp_err. */
static int ftp_stream_cmd(struct tls_stream *us, const char *cmd, int64_t dl, char *line, size_t linecap)
{
    uint8_t buf[2048];
    ssize_t n;
    int code, rc;

    if (cmd && (rc = tls_stream_send(us, cmd, strlen(cmd), dl)) != 0)
        return rc;
    n = tls_stream_recv_until(us, buf, sizeof(buf), dl, ftp_done, NULL);
    if (n <= 0)
        return n == 0 ? SP_ERR_TIMEOUT : (int)n;
    rc = ftp_reply_parse(buf, (size_t)n, &code);
    {
        char *p = sp_printable(buf, (size_t)n < 100 ? (size_t)n : 100, 140);
        sp_strlcpy(line, p, linecap);
        free(p);
    }
    return rc == 1 ? code : SP_ERR_PARSE;
}

static void ftp_service(struct run *r, struct service *s, int tls, const struct check *c, cJSON *items,
                        cJSON *ff)
{
    (void)tls;
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    struct tls_stream us;
    char err[200], greet[160], l1[160] = "", l2[160] = "";
    int code;

    if (tls_stream_open(&us, &r->target, s->port, 0, run_op_deadline(r, op_ms), err, sizeof(err)) != 0) {
        unauth_item(items, "login", "anonymous", "undecided", "%s", err);
        return;
    }
    code = ftp_stream_cmd(&us, NULL, run_op_deadline(r, op_ms), greet, sizeof(greet));
    if (code != 220) {
        unauth_item(items, "login", "anonymous", "undecided", "no 220 greeting: %s",
                 code < 0 ? net_strerror(code) : greet);
        goto cleanup;
    }
    code = ftp_stream_cmd(&us, "USER anonymous\r\n", run_op_deadline(r, op_ms), l1, sizeof(l1));
    /* Servers delay a refused login on purpose (PAM's 2 s, vsftpd's delay_failed_login): wait longer. */
    if (code == 331 || code == 332)
        code = ftp_stream_cmd(&us, "PASS starprobe@\r\n", run_op_deadline(r, 2 * op_ms), l2, sizeof(l2));
    cJSON_AddBoolToObject(ff, "anonymous", code == 230);
    if (code == 230)
        unauth_item(items, "login", "anonymous", "open", "USER anonymous → '%s'%s%s", l1,
                 l2[0] ? ", PASS starprobe@ → " : "", l2);
    else if (code == 530 || code == 430 || (code >= 500 && code < 600))
        unauth_item(items, "login", "anonymous", "protected", "USER anonymous → '%s'%s%s", l1,
                 l2[0] ? ", PASS starprobe@ → " : "", l2);
    else
        unauth_item(items, "login", "anonymous", "undecided", "USER anonymous → %s%s%s",
                 code < 0 ? net_strerror(code) : l1, l2[0] ? ", PASS → " : "", l2);
    (void)tls_stream_send(&us, "QUIT\r\n", 6, run_op_deadline(r, 300));
cleanup:
    tls_stream_close(&us);
}

static const char *const ftp_names[] = {"ftp", NULL};
static const char *const ftp_tls_names[] = {"ftps", NULL};

const struct proto proto_ftp = {
    .name = "ftp",
    .names = ftp_names,
    .tls_names = ftp_tls_names,
    .login_prepare = ftp_login_prepare,
    .login_attempt = ftp_login_attempt,
    .unauth = ftp_service,
    .facts_key = "ftp",
};
