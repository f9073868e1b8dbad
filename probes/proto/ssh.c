/*
 * ssh.c - the SSH handler: password and keyboard-interactive logins with libssh.
 * The session comes from sshsess_open (sshsess.c): the target's numeric address
 * and a timeout derived from the deadline (SSH_OPTIONS_TIMEOUT bounds each
 * blocking call). A login is confirmed by running `echo MARKER` on a session
 * channel and reading MARKER back: authentication success alone is not
 * enough (a device can accept any password and then drop the session).
 * The channel's output goes into a sliding buffer (rxbuf.h), so a device
 * whose command session prints a long banner first still shows the marker.
 *
 * Legacy algorithms are allowed on purpose: a weak device speaking only
 * diffie-hellman-group1-sha1 and ssh-rsa must still be logged into, or its
 * default password would go unnoticed. ssh.algorithms judges the algorithms.
 *
 * Without credentials (auth.unauthenticated): the SSH gatherer's answer to
 * the "none" method is read, no second session opened.
 */
#include <stdio.h>
#include <string.h>

#include <libssh/libssh.h>

#include "login.h"
#include "proto.h"
#include "run.h"
#include "ssh.h"
#include "rxbuf.h"
#include "sshsess.h"
#include "util.h"

/* A connected session or NULL; the failure is noted in out. */
static ssh_session ssh_open(const struct login_service *ls, int64_t deadline,
                            struct login_result *out, int *refused)
{
    char why[200];
    ssh_session s = sshsess_open(ls->target, ls->port, NULL, NULL, deadline, refused, why,
                                 sizeof(why));

    if (!s)
        login_note(out, "SSH connect: %s", why);
    return s;
}

static int ssh_login_prepare(struct login_service *ls, const char *const *paths, int64_t deadline)
{
    (void)paths;
    struct login_result tmp;
    int refused, methods, rc;
    ssh_session s;

    memset(&tmp, 0, sizeof(tmp));
    s = ssh_open(ls, deadline, &tmp, &refused);
    if (!s) {
        sp_strlcpy(ls->how, tmp.transcript, sizeof(ls->how));
        return refused ? SP_ERR_REFUSED : SP_ERR_IO;
    }
    /* "none" authentication: the server answers with the methods it accepts. */
    rc = ssh_userauth_none(s, "starprobe");
    if (rc == SSH_AUTH_SUCCESS) {
        ls->mode = LOGIN_MODE_OPEN;
        snprintf(ls->how, sizeof(ls->how), "the server accepts authentication method none");
        goto done;
    }
    if (rc == SSH_AUTH_ERROR || rc == SSH_AUTH_AGAIN) {
        snprintf(ls->how, sizeof(ls->how), "SSH none authentication: %.150s", ssh_get_error(s));
        ssh_disconnect(s);
        ssh_free(s);
        return SP_ERR_IO;
    }
    methods = ssh_userauth_list(s, NULL);
    ls->ssh_password = (methods & SSH_AUTH_METHOD_PASSWORD) != 0;
    ls->ssh_kbdint = (methods & SSH_AUTH_METHOD_INTERACTIVE) != 0;
    ls->mode = ls->ssh_password || ls->ssh_kbdint ? LOGIN_MODE_PASSWORD : LOGIN_MODE_NONE;
    snprintf(ls->how, sizeof(ls->how), "server offers%s%s%s%s%s",
             methods & SSH_AUTH_METHOD_PUBLICKEY ? " publickey" : "",
             ls->ssh_password ? " password" : "", ls->ssh_kbdint ? " keyboard-interactive" : "",
             methods & SSH_AUTH_METHOD_HOSTBASED ? " hostbased" : "",
             methods & SSH_AUTH_METHOD_GSSAPI_MIC ? " gssapi-with-mic" : "");
done:
    ssh_disconnect(s);
    ssh_free(s);
    return 0;
}

/* Keyboard-interactive: answer every prompt that does not echo with the password. */
static int ssh_kbdint(ssh_session s, const char *user, const char *pass)
{
    int rc = ssh_userauth_kbdint(s, user, NULL);
    int rounds = 0;

    while (rc == SSH_AUTH_INFO && rounds++ < 5) {
        int n = ssh_userauth_kbdint_getnprompts(s);
        for (int i = 0; i < n; i++) {
            char echo = 0;
            ssh_userauth_kbdint_getprompt(s, (unsigned)i, &echo);
            if (ssh_userauth_kbdint_setanswer(s, (unsigned)i, echo ? user : pass) < 0)
                return SSH_AUTH_ERROR;
        }
        rc = ssh_userauth_kbdint(s, user, NULL);
    }
    return rc;
}

/* The newest channel output kept while looking for the marker. */
#define SSH_OUT_KEEP 4096
/* How much of the channel output goes into the transcript. */
#define SSH_OUT_EXCERPT 200

static void ssh_login_attempt(const struct login_service *ls, const char *user, const char *pass,
                       int64_t deadline, struct login_result *out)
{
    char marker[13], cmd[40];
    struct rxbuf rx;
    const uint8_t *seg;
    size_t seglen;
    ssh_channel ch = NULL;
    int refused, rc = SSH_AUTH_DENIED, found = 0;
    const char *how = "password";
    ssh_session s;

    (void)rxbuf_init(&rx, SSH_OUT_KEEP);    /* SSH_OUT_KEEP is a valid capacity */
    s = ssh_open(ls, deadline, out, &refused);
    if (!s) {
        out->status = LOGIN_ERROR;    /* a refused connect is a fault as much as a lock */
        (void)refused;
        rxbuf_free(&rx);
        return;
    }
    if (ls->ssh_password)
        rc = ssh_userauth_password(s, user, pass);
    if (rc == SSH_AUTH_DENIED && ls->ssh_kbdint) {
        how = "keyboard-interactive";
        rc = ssh_kbdint(s, user, pass);
    }
    if (rc == SSH_AUTH_DENIED || rc == SSH_AUTH_PARTIAL) {
        out->status = LOGIN_REJECTED;
        login_note(out, "SSH %s authentication %s", how,
                   rc == SSH_AUTH_PARTIAL ? "partial (another factor required)" : "denied");
        goto cleanup;
    }
    if (rc != SSH_AUTH_SUCCESS) {
        /* Often the server dropping us after too many tries: not a rejection we can count. */
        out->status = LOGIN_ERROR;
        login_note(out, "SSH %s authentication error: %.150s", how, ssh_get_error(s));
        goto cleanup;
    }
    login_note(out, "SSH %s authentication succeeded;", how);
    login_marker(marker, sizeof(marker));
    snprintf(cmd, sizeof(cmd), "echo SP%s", marker);
    ch = ssh_channel_new(s);
    if (!ch || ssh_channel_open_session(ch) != SSH_OK ||
        ssh_channel_request_exec(ch, cmd) != SSH_OK) {
        out->status = LOGIN_ERROR;
        login_note(out, "but no command channel: %.150s", ssh_get_error(s));
        goto cleanup;
    }
    while (!found && sp_ms_left(deadline) > 0) {
        char chunk[512];
        int n = ssh_channel_read_timeout(ch, chunk, (uint32_t)sizeof(chunk), 0, sp_ms_left(deadline));
        if (n <= 0)
            break;
        rxbuf_append(&rx, chunk, (size_t)n);
        /* The marker is newer than anything dropped: the kept bytes always hold it whole. */
        seg = rxbuf_since(&rx, 0, &seglen);
        found = memmem(seg, seglen, marker, strlen(marker)) != NULL;
    }
    login_note(out, "'%s' ->", cmd);
    seg = rxbuf_tail(&rx, SSH_OUT_EXCERPT, &seglen);
    if (rxbuf_end(&rx) > seglen)
        login_note(out, "(last %zu of %llu bytes)", seglen, (unsigned long long)rxbuf_end(&rx));
    login_note_bytes(out, "", seg, seglen);
    if (found) {
        out->status = LOGIN_OK;
    } else {
        out->status = LOGIN_ERROR;
        login_note(out, "(marker not echoed: login not confirmed)");
    }
cleanup:
    if (ch) {
        ssh_channel_close(ch);
        ssh_channel_free(ch);
    }
    ssh_disconnect(s);
    ssh_free(s);
    rxbuf_free(&rx);
}

/* ---- auth.unauthenticated: what the service gives a client with no credentials ---- */

#define EXCERPT 160



/*
 * The SSH gatherer (our prerequisite) already sent the "none" authentication
 * request; its answer is the whole fact, so no second session is opened here.
 */
static void ssh_service(struct run *r, struct service *s, int tls, const struct check *c,
                        struct unauth_facts *items)
{
    (void)tls;
    (void)c;
    char why[256] = "", methods[160] = "";
    int state = -1;             /* -1 never answered, 0 refused, 1 accepted */

    pthread_mutex_lock(&r->lock);
    {
        const struct ssh_facts *sf = s->ssh;

        if (sf && sf->auth == SSH_AUTH_ANSWERED) {
            state = sf->auth_none_accepted;
            for (size_t i = 0; i < sf->auth_methods.n; i++) {
                size_t len = strlen(methods);
                if (len < sizeof(methods))
                    snprintf(methods + len, sizeof(methods) - len, " %s", sf->auth_methods.v[i]);
            }
        } else if (sf && (sf->auth_error || sf->error)) {
            snprintf(why, sizeof(why), "%s", sf->auth_error ? sf->auth_error : sf->error);
        } else {
            snprintf(why, sizeof(why), "%s", sf ? "the SSH server never answered the 'none' request"
                                                : "the SSH audit gathered nothing for this service");
        }
    }
    pthread_mutex_unlock(&r->lock);
    if (state == 1)
        unauth_item(items, "login", "none", "open",
                 "SSH authentication method 'none' accepted: a session without credentials");
    else if (state == 0)
        unauth_item(items, "login", "none", "protected",
                 "SSH 'none' authentication refused; methods offered:%s", methods);
    else
        unauth_item(items, "login", "none", "undecided", "SSH 'none' authentication not decided: %s", why);
}

static const char *const ssh_names[] = {"ssh", NULL};

const struct proto proto_ssh = {
    .name = "ssh",
    .names = ssh_names,
    .flags = PROTO_SSH_TRANSPORT,
    .login_prepare = ssh_login_prepare,
    .login_attempt = ssh_login_attempt,
    .unauth = ssh_service,
    .greeting_name = "identification string",
};
