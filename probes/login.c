/*
 * login.c - the protocol-independent half of login.h: a login goes through
 * the service's handler slots (proto.h; the protocols live in probes/proto/,
 * which call back only into the helpers here), the shared transcript and
 * marker helpers. What the protocols' bytes mean is parsed in probes/wire/;
 * the plain-or-TLS stream is tlsconn.h's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sys/random.h>

#include "login.h"
#include "proto.h"
#include "run.h"

const char *login_status_name(enum login_status s)
{
    switch (s) {
    case LOGIN_OK: return "accepted";
    case LOGIN_REJECTED: return "rejected";
    case LOGIN_LOCKED: return "locked";
    case LOGIN_ERROR: break;
    }
    return "error";
}

enum login_status login_http_status(int status)
{
    if (status >= 200 && status < 300)
        return LOGIN_OK;
    if (status == 401)
        return LOGIN_REJECTED;
    if (status == 429 || status == 423)
        return LOGIN_LOCKED;
    return LOGIN_ERROR;
}

void login_service_init(struct login_service *ls, const struct run *r, const struct service *s)
{
    memset(ls, 0, sizeof(*ls));
    ls->target = &r->target;
    ls->port = s->port;
    service_label(s, ls->label, sizeof(ls->label));
    sp_strlcpy(ls->name, s->name, sizeof(ls->name));
    ls->proto = proto_of(s, &ls->tls);
    ls->mode = LOGIN_MODE_UNKNOWN;
}

void login_service_free(struct login_service *ls)
{
    /* Nothing is held between attempts today; kept so callers pair init/free. */
    (void)ls;
}

struct login_form_facts *login_form_facts(const struct login_service *ls)
{
    struct login_form_facts *f;

    if (strcmp(ls->scheme, "form") != 0)
        return NULL;
    f = xcalloc(1, sizeof(*f));
    f->start = xstrdup(ls->form.start);
    f->page = xstrdup(ls->path);
    f->action = xstrdup(ls->form.action);
    f->post = ls->form.post;
    f->user_field = xstrdup(ls->form.user_field);
    f->password_field = xstrdup(ls->form.pass_field);
    f->hidden = xstrdup(ls->form.hidden);
    f->tls = ls->tls;
    return f;
}

int login_prepare(struct run *r, struct login_service *ls, const char *const *http_paths,
                  int64_t deadline)
{
    (void)r;
    if (!ls->proto || !ls->proto->login_prepare) {
        snprintf(ls->how, sizeof(ls->how), "no login module for %s", ls->name);
        return SP_ERR_INTERNAL;
    }
    return ls->proto->login_prepare(ls, http_paths, deadline);
}

void login_attempt(struct run *r, const struct login_service *ls, const char *user,
                   const char *pass, int64_t deadline, struct login_result *out)
{
    int64_t t0 = sp_now_ms();

    (void)r;
    memset(out, 0, sizeof(*out));
    out->status = LOGIN_ERROR;
    if (ls->proto && ls->proto->login_attempt)
        ls->proto->login_attempt(ls, user, pass, deadline, out);
    else
        login_note(out, "no login module for %s", ls->name);
    out->ms = sp_now_ms() - t0;
}

void login_marker(char *buf, size_t n)
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    uint8_t rnd[32];
    size_t i;

    if (n == 0)
        return;
    if (n - 1 > sizeof(rnd))
        n = sizeof(rnd) + 1;
    if (getrandom(rnd, n - 1, 0) != (ssize_t)(n - 1)) {
        /* No entropy source: still unique enough per attempt to not be guessable by a device. */
        uint64_t x = (uint64_t)sp_now_ms() * 6364136223846793005ULL + (uint64_t)(uintptr_t)buf;
        for (i = 0; i < n - 1; i++, x = x * 6364136223846793005ULL + 1442695040888963407ULL)
            rnd[i] = (uint8_t)(x >> 56);
    }
    for (i = 0; i < n - 1; i++)
        buf[i] = alphabet[rnd[i] % (sizeof(alphabet) - 1)];
    buf[n - 1] = '\0';
}

void login_note(struct login_result *out, const char *fmt, ...)
{
    size_t used = strlen(out->transcript);
    va_list ap;

    if (used + 1 >= sizeof(out->transcript))
        return;
    if (used) {
        out->transcript[used++] = ' ';
        out->transcript[used] = '\0';
    }
    va_start(ap, fmt);
    vsnprintf(out->transcript + used, sizeof(out->transcript) - used, fmt, ap);
    va_end(ap);
}

void login_note_bytes(struct login_result *out, const char *prefix, const uint8_t *buf, size_t len)
{
    char *p = sp_printable(buf, len, 200);
    login_note(out, "%s'%s'", prefix, p);
    free(p);
}

int login_account_matches(const struct decl_account *a, const struct service *s)
{
    const struct proto *ap, *sp;
    int atls, stls;

    if (!a->service)
        return 0;
    ap = proto_for_name(a->service, &atls);
    sp = proto_of(s, &stls);
    if (!ap || !ap->login_prepare || ap != sp)
        return 0;
    if (a->port)
        return a->port == s->port && s->transport == T_TCP;
    return atls == stls;
}
