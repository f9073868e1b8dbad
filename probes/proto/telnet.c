/*
 * telnet.c - the telnet handler: one session client (struct tsess) that both
 * checks speak through. Logins: option negotiation is ours (telnet_feed
 * in telnet_wire.c, TELNET_ACCEPT_LOGIN): we agree to the server echoing and suppressing go-ahead and
 * refuse every other option, so no terminal type or window size is ever sent.
 *
 * Success is confirmed by a shell, not by the absence of an error: after the
 * password we send `echo SP$((6*7))MARKER` and wait for "SP42MARKER", which
 * only a shell evaluating the line can print — our own input echoed back reads
 * "SP$((6*7))MARKER", and a banner full of `#` or `$` proves nothing.
 * Rejection is positive too: "Login incorrect" and the like, a new login
 * prompt, or the connection closed after the password.
 *
 * The session's text is a sliding buffer (rxbuf.h) keeping the newest TBUF
 * bytes; every place the session remembers ("after the password", "before
 * this read") is a stream position, so a device that prints without end
 * slides the buffer under us without ever sending a search out of bounds.
 *
 * Without credentials (auth.unauthenticated): a session that never asks for
 * a login and runs the shell command is open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "login.h"
#include "proto.h"
#include "run.h"
#include "rxbuf.h"
#include "telnet_wire.h"
#include "util.h"

/* Prompts and markers are at the end of what a device says: the newest 8 KiB is plenty. */
#define TBUF 8192
/* The excerpt of the text after the password that goes into the transcript. */
#define AFTER_EXCERPT 160
/*
 * How long a login may stay silent after the password (and our third try of
 * the shell command) before the answer counts as unconfirmed. Login programs
 * make a wrong password wait before they say so: busybox login 3 s
 * (LOGIN_FAIL_DELAY), PAM's pam_faildelay 2-3 s as distributions ship it;
 * giving up sooner turns every refusal on such a device into "unconfirmed"
 * and a default password on it into one never found.
 */
#define TELNET_VERDICT_QUIET_MS 5000

struct tsess {
    int fd;                     /* the caller's: a session never closes it */
    struct telnet_state ts;
    struct rxbuf rx;            /* the device's text, telnet commands removed */
    int closed;
};

/*
 * A session on the connected socket fd; tsess_free releases it (but leaves fd
 * to the caller). accept: which options the server may turn on (a login
 * accepts only what a login needs; a look around without credentials accepts
 * everything, so that whatever the device shows comes through).
 */
static struct tsess *tsess_new(int fd, enum telnet_accept accept)
{
    struct tsess *t = xcalloc(1, sizeof(*t));

    t->fd = fd;
    telnet_init(&t->ts, accept);
    (void)rxbuf_init(&t->rx, TBUF);     /* TBUF is a valid capacity */
    return t;
}

static void tsess_free(struct tsess *t)
{
    rxbuf_free(&t->rx);
    free(t);
}

/* Read once, until the deadline, filtering telnet commands and answering option requests. */
static int tsess_read(struct tsess *t, int64_t until)
{
    uint8_t raw[2048], reply[512];
    size_t rlen = 0;
    ssize_t n = net_recv(t->fd, raw, sizeof(raw), until);

    if (n == SP_ERR_CLOSED) {
        t->closed = 1;
        return 0;
    }
    if (n <= 0)
        return (int)n;
    telnet_feed(&t->ts, raw, (size_t)n, &t->rx, reply, sizeof(reply), &rlen);
    if (rlen && net_send_all(t->fd, reply, rlen, until) != 0)
        return SP_ERR_IO;
    return (int)n;
}

/* The prompt the text since stream position from ends with, if any. */
static enum telnet_prompt tsess_prompt(const struct tsess *t, uint64_t from)
{
    size_t len;
    const uint8_t *p = rxbuf_since(&t->rx, from, &len);

    return telnet_prompt(p, len);
}

/* Wait for a login or password prompt in the text since from, until the deadline. */
static enum telnet_prompt tsess_wait_prompt(struct tsess *t, uint64_t from, int64_t deadline)
{
    while (!t->closed && sp_ms_left(deadline) > 0) {
        enum telnet_prompt p = tsess_prompt(t, from);
        if (p != TP_NONE)
            return p;
        int rc = tsess_read(t, deadline);
        if (rc < 0 && rc != SP_ERR_TIMEOUT)
            break;
    }
    return tsess_prompt(t, from);
}

/*
 * Note the end of the text since from, at most max bytes, saying how much
 * there was when the excerpt is cut: "after password (last 160 of 81234
 * bytes)" tells a reader the device kept talking.
 */
static void tsess_note_since(const struct tsess *t, struct login_result *out, const char *what,
                             uint64_t from, size_t max)
{
    size_t len;
    const uint8_t *p = rxbuf_since(&t->rx, from, &len);
    uint64_t total = rxbuf_end(&t->rx) > from ? rxbuf_end(&t->rx) - from : 0;
    char prefix[96];

    if (len > max) {
        p += len - max;
        len = max;
    }
    if (total > len)
        snprintf(prefix, sizeof(prefix), "%s (last %zu of %llu bytes): ", what, len,
                 (unsigned long long)total);
    else
        snprintf(prefix, sizeof(prefix), "%s: ", what);
    login_note_bytes(out, prefix, p, len);
}

static int tsess_line(struct tsess *t, const char *s, int64_t deadline)
{
    char line[300];
    int n = snprintf(line, sizeof(line), "%s\r\n", s);

    if (n < 0 || (size_t)n >= sizeof(line))
        return SP_ERR_PARSE;
    return net_send_all(t->fd, line, (size_t)n, deadline);
}

static int telnet_login_prepare(struct login_service *ls, const char *const *paths, int64_t deadline)
{
    (void)paths;
    int fd = net_tcp_connect(ls->target, (int)ls->port, deadline);
    struct tsess *t;
    enum telnet_prompt p;
    const uint8_t *text;
    size_t len;
    char *shown;

    if (fd < 0) {
        snprintf(ls->how, sizeof(ls->how), "connect: %s", net_strerror(fd));
        return fd;
    }
    t = tsess_new(fd, TELNET_ACCEPT_LOGIN);
    /* A login service prompts at once; one that does not within 5 s is not one we can drive. */
    p = tsess_wait_prompt(t, 0, sp_deadline(5000, deadline));
    text = rxbuf_since(&t->rx, 0, &len);
    shown = sp_printable(text, len, 120);
    if (p != TP_NONE) {
        ls->mode = LOGIN_MODE_PASSWORD;
        snprintf(ls->how, sizeof(ls->how), "%s prompt: '%s'",
                 p == TP_LOGIN ? "login" : "password", shown);
    } else {
        snprintf(ls->how, sizeof(ls->how), "no login prompt recognised: '%s'", shown);
    }
    free(shown);
    tsess_free(t);
    close(fd);
    return p != TP_NONE ? 0 : SP_ERR_PARSE;
}

static void telnet_login_attempt(const struct login_service *ls, const char *user, const char *pass,
                          int64_t deadline, struct login_result *out)
{
    int fd = net_tcp_connect(ls->target, (int)ls->port, deadline);

    if (fd < 0) {
        out->status = LOGIN_ERROR;    /* refused: a lock or a fault, the device does not say */
        login_note(out, "connect: %s", net_strerror(fd));
        return;
    }
    login_telnet_session(fd, user, pass, deadline, out);
    close(fd);
}

void login_telnet_session(int fd, const char *user, const char *pass, int64_t deadline,
                          struct login_result *out)
{
    struct tsess *t = tsess_new(fd, TELNET_ACCEPT_LOGIN);
    char marker[11], cmd[48], expect[32];
    enum telnet_prompt p;
    const uint8_t *seg;
    size_t seglen;
    uint64_t after;
    int sent_cmd = 0;

    p = tsess_wait_prompt(t, 0, deadline);
    if (p == TP_LOGIN) {
        uint64_t from = rxbuf_end(&t->rx);
        if (tsess_line(t, user, deadline) != 0)
            goto io_error;
        p = tsess_wait_prompt(t, from, deadline);
        if (p != TP_PASSWORD) {
            /* Asked for the user again, or a shell: a login without password is not ours to judge. */
            seg = rxbuf_since(&t->rx, from, &seglen);
            out->status = t->closed || telnet_says_failed(seg, seglen) ? LOGIN_REJECTED : LOGIN_ERROR;
            login_note_bytes(out, "no password prompt after the user name: ", seg,
                             seglen > 120 ? 120 : seglen);
            goto cleanup;
        }
    } else if (p != TP_PASSWORD) {
        /* A session closed before any prompt says nothing about a lock: unconfirmed. */
        out->status = LOGIN_ERROR;
        seg = rxbuf_since(&t->rx, 0, &seglen);
        login_note_bytes(out, t->closed ? "closed before a login prompt: " : "no login prompt: ", seg,
                         seglen > 120 ? 120 : seglen);
        goto cleanup;
    }
    after = rxbuf_end(&t->rx);
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
            /*
             * Everything since the password that is still kept: when a chatty
             * device has slid the buffer past 'after', the oldest kept bytes.
             */
            seg = rxbuf_since(&t->rx, after, &seglen);
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
            uint64_t before = rxbuf_end(&t->rx);
            int rc = tsess_read(t, until < deadline ? until : deadline);
            /*
             * busybox ash's line editor asks the terminal where the cursor is
             * (ESC [ 6 n) and may drop typed-ahead input meanwhile: answer as
             * a terminal would, and retype the command. Only this read's
             * text is searched, so one query is answered once.
             */
            seg = rxbuf_since(&t->rx, before, &seglen);
            if (rc > 0 && sp_memcasemem(seg, seglen, "\x1b[6n")) {
                if (net_send_all(t->fd, "\x1b[1;1R", 6, deadline) != 0)
                    goto io_error;
                last_sent = 0;
            }
            if (rc == SP_ERR_TIMEOUT && sent_cmd < 3 && sp_now_ms() - last_sent >= 600) {
                if (tsess_line(t, cmd, deadline) != 0)
                    goto io_error;
                sent_cmd++;
                last_sent = sp_now_ms();
            } else if (rc == SP_ERR_TIMEOUT && sent_cmd >= 3 &&
                       sp_now_ms() - last_sent >= TELNET_VERDICT_QUIET_MS) {
                break;      /* asked three times, no shell answered and no refusal: unconfirmed */
            } else if (rc < 0 && rc != SP_ERR_TIMEOUT) {
                break;
            }
        }
        if (out->status != LOGIN_OK && out->status != LOGIN_REJECTED) {
            seg = rxbuf_since(&t->rx, after, &seglen);
            if (t->closed && !sp_memcasemem(seg, seglen, expect)) {
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
    tsess_note_since(t, out, "after password", after, AFTER_EXCERPT);
    goto cleanup;
io_error:
    out->status = LOGIN_ERROR;
    login_note(out, "send failed");
cleanup:
    tsess_free(t);
}

/* ---- auth.unauthenticated: what the service gives a client with no credentials ---- */

/*
 * The same session as the logins (struct tsess), accepting every option: a
 * service that floods us before or after our command keeps only its newest
 * text, and the marker is still seen when it comes last.
 */
static void telnet_service(struct run *r, struct service *s, int tls, const struct check *c,
                           struct unauth_facts *items)
{
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    static const char cmd[] = "echo SP$((6*7))MARK";
    struct tsess *t;
    const uint8_t *seg;
    size_t seglen;
    uint64_t sent_at;
    int64_t dl, quiet;
    int fd;

    (void)tls;
    fd = net_tcp_connect(&r->target, (int)s->port, run_op_deadline(r, op_ms));
    if (fd < 0) {
        unauth_item(items, "shell", "session", "undecided", "connect failed: %s", net_strerror(fd));
        return;
    }
    t = tsess_new(fd, TELNET_ACCEPT_ALL);
    /* Negotiate and read what the service says until it asks for a login or falls quiet. */
    dl = run_op_deadline(r, op_ms);
    quiet = 0;
    for (;;) {
        int64_t until = quiet && quiet < dl ? quiet : dl;
        if (tsess_read(t, until) <= 0 || tsess_prompt(t, 0) != TP_NONE)
            break;
        if (rxbuf_end(&t->rx) > 0)
            quiet = sp_now_ms() + 700;  /* text has come: wait a little for a prompt to settle */
    }
    if (tsess_prompt(t, 0) != TP_NONE) {
        /* The start of what the service said (of what is kept): its banner, and the prompt in a short one. */
        char *p;
        seg = rxbuf_since(&t->rx, 0, &seglen);
        p = sp_printable(seg, seglen < 100 ? seglen : 100, 140);
        unauth_item(items, "shell", "session", "protected", "asks for a login first: '%s'", p);
        free(p);
        goto cleanup;
    }
    /* No login asked for: does a shell run our command? Our own echo shows "$((6*7))", not 42. */
    sent_at = rxbuf_end(&t->rx);
    dl = run_op_deadline(r, op_ms);
    if (tsess_line(t, cmd, dl) != 0) {
        unauth_item(items, "shell", "session", "undecided", "the session closed before a command");
        goto cleanup;
    }
    for (;;) {
        seg = rxbuf_since(&t->rx, sent_at, &seglen);
        if (sp_memcasemem(seg, seglen, "SP42MARK") || tsess_read(t, dl) <= 0)
            break;
    }
    {
        const uint8_t *tail = rxbuf_tail(&t->rx, 120, &seglen);
        char *p = sp_printable(tail, seglen, 200);
        const char *cut = rxbuf_end(&t->rx) > seglen ? "…" : "";     /* the excerpt starts mid-stream */
        seg = rxbuf_since(&t->rx, sent_at, &seglen);
        if (sp_memcasemem(seg, seglen, "SP42MARK"))
            unauth_item(items, "shell", "session", "open",
                     "no login prompt; 'echo SP$((6*7))MARK' was executed (SP42MARK came back): '%s%s'",
                     cut, p);
        else
            unauth_item(items, "shell", "session", "undecided",
                     "no login prompt, and no shell answered 'echo SP$((6*7))MARK': '%s%s'", cut, p);
        free(p);
    }
cleanup:
    tsess_free(t);
    close(fd);
}

static const char *const telnet_names[] = {"telnet", NULL};

const struct proto proto_telnet = {
    .name = "telnet",
    .names = telnet_names,
    /* Its text before a login is the greeting the scan recorded, prompt included. */
    .flags = PROTO_QUIET_BEFORE_LOGIN,
    .login_prepare = telnet_login_prepare,
    .login_attempt = telnet_login_attempt,
    .unauth = telnet_service,
};
