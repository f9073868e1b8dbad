/*
 * ftp.c - the FTP handler. Logins (USER/PASS, RFC 959): 230 alone is not trusted:
 * the login counts once PWD answers 257 in the same session. 530 is a
 * rejection; 421 (service closing, "too many failures") is throttling.
 *
 * Without credentials (auth.unauthenticated): USER anonymous must not log in.
 * Both checks speak through one client (struct ftp_sess), plain or implicit
 * FTPS; the reply grammar is ftp_wire.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftp_wire.h"
#include "login.h"
#include "proto.h"
#include "run.h"
#include "tlsconn.h"
#include "util.h"

/*
 * One FTP control connection, plain or implicit FTPS (the service's name
 * says which), and the last reply read on it. Both checks speak through it.
 */
struct ftp_sess {
    struct tls_stream st;
    uint8_t buf[2048];
    size_t len;
};

static int ftp_done(const uint8_t *buf, size_t len, void *arg)
{
    int code;

    (void)arg;
    return ftp_reply_parse(buf, len, &code) != 0;
}

/* Read one reply: its code, or a negative sp_err (nothing came before the deadline, garbage). */
static int ftp_read(struct ftp_sess *f, int64_t deadline)
{
    ssize_t n;
    int code = 0;

    f->len = 0;
    n = tls_stream_recv_until(&f->st, f->buf, sizeof(f->buf) - 1, deadline, ftp_done, NULL);
    if (n < 0)
        return (int)n;
    f->len = (size_t)n;
    if (ftp_reply_parse(f->buf, f->len, &code) == 1)
        return code;
    return n == 0 ? SP_ERR_TIMEOUT : SP_ERR_PARSE;
}

/* Connect and read the greeting: its code (220 when all is well) or a negative sp_err. */
static int ftp_open(struct ftp_sess *f, const struct sp_target *t, long port, int tls, int64_t deadline,
                    char *err, size_t errcap)
{
    int rc;

    f->len = 0;
    rc = tls_stream_open(&f->st, t, port, tls, deadline, err, errcap);
    return rc != 0 ? rc : ftp_read(f, deadline);
}

/* Send "VERB arg" (arg may be NULL) and read the reply: its code or a negative sp_err. */
static int ftp_cmd(struct ftp_sess *f, const char *verb, const char *arg, int64_t deadline)
{
    char line[300];
    int n, rc;

    f->len = 0;
    if (arg && strpbrk(arg, "\r\n"))
        return SP_ERR_PARSE;        /* a CR/LF in a dictionary word must not become a command */
    n = snprintf(line, sizeof(line), "%s%s%s\r\n", verb, arg ? " " : "", arg ? arg : "");
    if (n < 0 || (size_t)n >= sizeof(line))
        return SP_ERR_PARSE;
    rc = tls_stream_send(&f->st, line, (size_t)n, deadline);
    return rc ? rc : ftp_read(f, deadline);
}

static void ftp_close(struct ftp_sess *f, int64_t deadline)
{
    (void)tls_stream_send(&f->st, "QUIT\r\n", 6, deadline);
    tls_stream_close(&f->st);
}

/* The last reply as evidence: printable, at most 100 device bytes. */
static void ftp_reply_text(const struct ftp_sess *f, char *out, size_t cap)
{
    size_t l = f->len;
    char *p;

    while (l > 0 && (f->buf[l - 1] == '\n' || f->buf[l - 1] == '\r'))
        l--;
    p = sp_printable(f->buf, l > 100 ? 100 : l, 140);
    sp_strlcpy(out, p, cap);
    free(p);
}

/* ---- logins (creds.defaults, auth.bruteforce) ---- */

static void note_reply(struct login_result *out, const char *what, const struct ftp_sess *f)
{
    size_t l = f->len;
    while (l > 0 && (f->buf[l - 1] == '\n' || f->buf[l - 1] == '\r'))
        l--;
    login_note_bytes(out, what, f->buf, l > 100 ? 100 : l);
}

static int ftp_login_prepare(struct login_service *ls, const char *const *paths, int64_t deadline)
{
    struct ftp_sess *f = xcalloc(1, sizeof(*f));
    char err[160] = "", greet[160];
    int code;

    (void)paths;
    f->st = (struct tls_stream)TLS_STREAM_INIT;
    code = ftp_open(f, ls->target, ls->port, ls->tls, deadline, err, sizeof(err));
    ftp_reply_text(f, greet, sizeof(greet));
    if (code == 220) {
        ls->mode = LOGIN_MODE_PASSWORD;
        snprintf(ls->how, sizeof(ls->how), "greeting '%s'", greet);
    } else if (code < 0) {
        snprintf(ls->how, sizeof(ls->how), "%s", err[0] ? err : net_strerror(code));
    } else {
        snprintf(ls->how, sizeof(ls->how), "no 220 greeting (%d)", code);
    }
    ftp_close(f, deadline);
    free(f);
    return code == 220 ? 0 : code < 0 ? code : SP_ERR_PARSE;
}

static void ftp_login_attempt(const struct login_service *ls, const char *user, const char *pass,
                              int64_t deadline, struct login_result *out)
{
    struct ftp_sess *f = xcalloc(1, sizeof(*f));
    char err[160] = "";
    int code;

    f->st = (struct tls_stream)TLS_STREAM_INIT;
    code = ftp_open(f, ls->target, ls->port, ls->tls, deadline, err, sizeof(err));
    if (code < 0 && err[0]) {           /* the connection itself failed */
        out->status = LOGIN_ERROR;      /* a refused connect is a fault as much as a lock */
        login_note(out, "%s", err);
        goto done;
    }
    if (code != 220) {
        out->status = code == 421 ? LOGIN_LOCKED : LOGIN_ERROR;
        note_reply(out, "greeting: ", f);
        goto done;
    }
    code = ftp_cmd(f, "USER", user, deadline);
    note_reply(out, "USER ->", f);
    if (code == 331 || code == 332)
        code = ftp_cmd(f, "PASS", pass, deadline), note_reply(out, "PASS ->", f);
    if (code == 230 || code == 202) {
        /* 230 alone is not trusted: the session must also answer PWD with 257. */
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
done:
    ftp_close(f, deadline);
    free(f);
}

/* ---- auth.unauthenticated: USER anonymous must not log in ---- */

static void ftp_seen(struct run *r, struct service *s, int tls, const struct check *c,
                     struct unauth_facts *items, struct ftp_facts *ff)
{
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    struct ftp_sess *f = xcalloc(1, sizeof(*f));
    char err[200] = "", greet[160], l1[160] = "", l2[160] = "";
    int code;

    f->st = (struct tls_stream)TLS_STREAM_INIT;
    code = ftp_open(f, &r->target, s->port, tls, run_op_deadline(r, op_ms), err, sizeof(err));
    ftp_reply_text(f, greet, sizeof(greet));
    if (code != 220) {
        if (code < 0 && err[0])
            unauth_item(items, "login", "anonymous", "undecided", "%s", err);
        else
            unauth_item(items, "login", "anonymous", "undecided", "no 220 greeting: %s",
                        code < 0 ? net_strerror(code) : greet);
        goto done;
    }
    code = ftp_cmd(f, "USER", "anonymous", run_op_deadline(r, op_ms));
    ftp_reply_text(f, l1, sizeof(l1));
    /* Servers delay a refused login on purpose (PAM's 2 s, vsftpd's delay_failed_login): wait longer. */
    if (code == 331 || code == 332) {
        code = ftp_cmd(f, "PASS", "starprobe@", run_op_deadline(r, 2 * op_ms));
        ftp_reply_text(f, l2, sizeof(l2));
    }
    ff->asked = 1;
    ff->anonymous = code == 230;
    if (code == 230)
        unauth_item(items, "login", "anonymous", "open", "USER anonymous → '%s'%s%s", l1,
                    l2[0] ? ", PASS starprobe@ → " : "", l2);
    else if (code == 530 || code == 430 || (code >= 500 && code < 600))
        unauth_item(items, "login", "anonymous", "protected", "USER anonymous → '%s'%s%s", l1,
                    l2[0] ? ", PASS starprobe@ → " : "", l2);
    else
        unauth_item(items, "login", "anonymous", "undecided", "USER anonymous → %s%s%s",
                    code < 0 ? net_strerror(code) : l1, l2[0] ? ", PASS → " : "", l2);
done:
    ftp_close(f, run_op_deadline(r, 300));
    free(f);
}

/* The unauth slot: ftp_seen, its facts set on the service whatever path it ended by. */
static void ftp_service(struct run *r, struct service *s, int tls, const struct check *c,
                        struct unauth_facts *items)
{
    struct ftp_facts *f = ftp_facts_new();

    ftp_seen(r, s, tls, c, items, f);
    run_set_ftp_facts(r, s, f);
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
