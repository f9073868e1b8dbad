/*
 * login_telnet.c - telnet logins. Option negotiation is ours (telnet_feed
 * in unauth_wire.c, TELNET_ACCEPT_LOGIN): we agree to the server echoing and suppressing go-ahead and
 * refuse every other option, so no terminal type or window size is ever sent.
 *
 * Success is confirmed by a shell, not by the absence of an error: after the
 * password we send `echo SP$((6*7))MARKER` and wait for "SP42MARKER", which
 * only a shell evaluating the line can print — our own input echoed back reads
 * "SP$((6*7))MARKER", and a banner full of `#` or `$` proves nothing.
 * Rejection is positive too: "Login incorrect" and the like, a new login
 * prompt, or the connection closed after the password.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "login.h"
#include "unauth_wire.h"
#include "util.h"

#define TBUF 8192

struct tsess {
    int fd;
    struct telnet_state ts;
    uint8_t text[TBUF];
    size_t len;
    int closed;
};

/* Read what arrives until wait_ms passes (or deadline), filtering telnet commands. */
static int tsess_read(struct tsess *t, int64_t until)
{
    uint8_t raw[2048], reply[192];
    size_t rlen = 0;
    ssize_t n = net_recv(t->fd, raw, sizeof(raw), until);

    if (n == SP_ERR_CLOSED) {
        t->closed = 1;
        return 0;
    }
    if (n <= 0)
        return (int)n;
    if (t->len + (size_t)n > TBUF) {
        /* Keep the newest half: prompts and markers are at the end. */
        size_t keep = TBUF / 2;
        memmove(t->text, t->text + t->len - keep, keep);
        t->len = keep;
    }
    telnet_feed(&t->ts, raw, (size_t)n, t->text, TBUF, &t->len, reply, sizeof(reply), &rlen);
    if (rlen && net_send_all(t->fd, reply, rlen, until) != 0)
        return SP_ERR_IO;
    return (int)n;
}

/* Wait for a login or password prompt, until the deadline. */
static enum telnet_prompt tsess_wait_prompt(struct tsess *t, size_t from, int64_t deadline)
{
    while (!t->closed && sp_ms_left(deadline) > 0) {
        enum telnet_prompt p = t->len > from ? telnet_prompt(t->text + from, t->len - from) : TP_NONE;
        if (p != TP_NONE)
            return p;
        int rc = tsess_read(t, deadline);
        if (rc < 0 && rc != SP_ERR_TIMEOUT)
            break;
    }
    return t->len > from ? telnet_prompt(t->text + from, t->len - from) : TP_NONE;
}

static int tsess_line(struct tsess *t, const char *s, int64_t deadline)
{
    char line[300];
    int n = snprintf(line, sizeof(line), "%s\r\n", s);

    if (n < 0 || (size_t)n >= sizeof(line))
        return SP_ERR_PARSE;
    return net_send_all(t->fd, line, (size_t)n, deadline);
}

int login_telnet_prepare(struct login_service *ls, int64_t deadline)
{
    struct tsess *t = xcalloc(1, sizeof(*t));
    enum telnet_prompt p;
    char *shown;

    telnet_init(&t->ts, TELNET_ACCEPT_LOGIN);
    t->fd = net_tcp_connect(ls->target, (int)ls->port, deadline);
    if (t->fd < 0) {
        int rc = t->fd;
        snprintf(ls->how, sizeof(ls->how), "connect: %s", net_strerror(rc));
        free(t);
        return rc;
    }
    /* A login service prompts at once; one that does not within 5 s is not one we can drive. */
    p = tsess_wait_prompt(t, 0, sp_deadline(5000, deadline));
    shown = sp_printable(t->text, t->len, 120);
    if (p != TP_NONE) {
        ls->mode = LOGIN_MODE_PASSWORD;
        snprintf(ls->how, sizeof(ls->how), "%s prompt: '%s'",
                 p == TP_LOGIN ? "login" : "password", shown);
    } else {
        snprintf(ls->how, sizeof(ls->how), "no login prompt recognised: '%s'", shown);
    }
    free(shown);
    close(t->fd);
    free(t);
    return p != TP_NONE ? 0 : SP_ERR_PARSE;
}

void login_telnet_attempt(const struct login_service *ls, const char *user, const char *pass,
                          int64_t deadline, struct login_result *out)
{
    struct tsess *t = xcalloc(1, sizeof(*t));
    char marker[11], cmd[48], expect[32];
    enum telnet_prompt p;
    size_t after;
    int sent_cmd = 0;

    telnet_init(&t->ts, TELNET_ACCEPT_LOGIN);
    t->fd = net_tcp_connect(ls->target, (int)ls->port, deadline);
    if (t->fd < 0) {
        out->status = t->fd == SP_ERR_REFUSED ? LOGIN_LOCKED : LOGIN_ERROR;
        login_note(out, "connect: %s", net_strerror(t->fd));
        free(t);
        return;
    }
    p = tsess_wait_prompt(t, 0, deadline);
    if (p == TP_LOGIN) {
        size_t from = t->len;
        if (tsess_line(t, user, deadline) != 0)
            goto io_error;
        p = tsess_wait_prompt(t, from, deadline);
        if (p != TP_PASSWORD) {
            /* Asked for the user again, or a shell: a login without password is not ours to judge. */
            out->status = t->closed || telnet_says_failed(t->text + from, t->len - from)
                              ? LOGIN_REJECTED : LOGIN_ERROR;
            login_note_bytes(out, "no password prompt after the user name: ",
                             t->text + from, t->len - from > 120 ? 120 : t->len - from);
            goto cleanup;
        }
    } else if (p != TP_PASSWORD) {
        out->status = t->closed ? LOGIN_LOCKED : LOGIN_ERROR;
        login_note_bytes(out, "no login prompt: ", t->text, t->len > 120 ? 120 : t->len);
        goto cleanup;
    }
    after = t->len;
    if (tsess_line(t, pass, deadline) != 0)
        goto io_error;

    login_marker(marker, sizeof(marker));
    snprintf(cmd, sizeof(cmd), "echo SP$((6*7))%s", marker);
    snprintf(expect, sizeof(expect), "SP42%s", marker);
    /*
     * Type the command ahead: a shell reads it as soon as it starts, and a
     * login program that refuses us reads it as the next user name, which is
     * harmless. It is sent once more if nothing happened for a while (some
     * login programs flush typed-ahead input).
     */
    if (tsess_line(t, cmd, deadline) != 0)
        goto io_error;
    sent_cmd = 1;
    {
        int64_t last_sent = sp_now_ms();
        while (!t->closed && sp_ms_left(deadline) > 0) {
            const uint8_t *seg = t->text + after;
            size_t seglen = t->len - after;
            if (sp_memcasemem(seg, seglen, expect)) {
                out->status = LOGIN_OK;
                break;
            }
            if (telnet_says_failed(seg, seglen) || telnet_prompt(seg, seglen) != TP_NONE) {
                out->status = LOGIN_REJECTED;
                break;
            }
            /* Once the login program has gone quiet, ask the shell; ask again once if ignored. */
            int64_t until = sp_now_ms() + 300;
            size_t before = t->len;
            int rc = tsess_read(t, until < deadline ? until : deadline);
            /*
             * busybox ash's line editor asks the terminal where the cursor is
             * (ESC [ 6 n) and may drop typed-ahead input meanwhile: answer as
             * a terminal would, and retype the command.
             */
            if (rc > 0 && sp_memcasemem(t->text + before, t->len - before, "\x1b[6n")) {
                if (net_send_all(t->fd, "\x1b[1;1R", 6, deadline) != 0)
                    goto io_error;
                last_sent = 0;
            }
            if (rc == SP_ERR_TIMEOUT && sent_cmd < 3 && sp_now_ms() - last_sent >= 600) {
                if (tsess_line(t, cmd, deadline) != 0)
                    goto io_error;
                sent_cmd++;
                last_sent = sp_now_ms();
            } else if (rc == SP_ERR_TIMEOUT && sent_cmd >= 3 && sp_now_ms() - last_sent >= 1000) {
                break;      /* asked three times, no shell answered and no refusal: unconfirmed */
            } else if (rc < 0 && rc != SP_ERR_TIMEOUT) {
                break;
            }
        }
        if (out->status != LOGIN_OK && out->status != LOGIN_REJECTED) {
            if (t->closed && !sp_memcasemem(t->text + after, t->len - after, expect)) {
                out->status = LOGIN_REJECTED;
                login_note(out, "connection closed after the password;");
            } else {
                out->status = LOGIN_ERROR;
                login_note(out, "no shell answered and no refusal seen;");
            }
        }
    }
    if (out->status == LOGIN_OK)
        login_note(out, "'%s' answered", cmd);
    {
        size_t seglen = t->len - after;
        size_t from = seglen > 160 ? t->len - 160 : after;
        login_note_bytes(out, "after password: ", t->text + from, t->len - from);
    }
    goto cleanup;
io_error:
    out->status = LOGIN_ERROR;
    login_note(out, "send failed");
cleanup:
    close(t->fd);
    free(t);
}
