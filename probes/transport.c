/*
 * transport.c - transport.plaintext (S1.1-12): services that carry
 * credentials or administration in clear text. Judged from what the port
 * probe identified and, when the credential sweep ran, from what it learned
 * of each service's authentication; what neither can tell (does this
 * plaintext HTTP service take a password?) stays INCONCLUSIVE.
 */
#include <string.h>

#include "facts_json.h"
#include "ports.h"
#include "proto.h"
#include "run.h"

static const struct probe_param plaintext_params[] = {
    {"forbid", "[telnet, ftp, tftp, rlogin, rsh, rexec]", "plaintext services that always FAIL"},
    {"credential_carriers", "[http, mqtt, rtsp]",
     "plaintext services that FAIL when they are seen asking for credentials"},
    {NULL, NULL, NULL}};

/*
 * What the credential sweep learned of a service, when it ran: "password"
 * (the service asked for a password and the sweep tried some), "open" (it
 * asked for none that the sweep could see), "none" (no password method), or
 * NULL when it did not look. Only "password" is positive evidence.
 */
static const char *login_auth(const struct service *s, const char **how)
{
    const struct login_facts *l = s->login;

    *how = l && l->how ? l->how : "";
    return l && l->auth != LOGIN_MODE_UNKNOWN ? login_mode_name(l->auth) : NULL;
}

static void plaintext_judge(struct run *r, const struct check *c, struct check_result *res)
{
    int bad = 0, unsure = 0;
    char label[32];
    struct strbuf list, open_q;

    if (!r->scan.tcp_done) {
        cr_set(res, V_INCONCLUSIVE, "The port scan did not run, so plaintext services are unknown.");
        return;
    }
    sb_init(&list);
    sb_init(&open_q);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        const char *auth, *how;
        service_label(s, label, sizeof(label));
        if (check_param_in_list(c, "forbid", s->name, 0)) {
            bad++;
            cr_evidence(res, label, "%s carries logins in clear text; identified by %s", s->name,
                        s->ident ? s->ident : "its reply");
            sb_printf(&list, "%s%s %s", list.len ? ", " : "", label, s->name);
        } else if (check_param_in_list(c, "credential_carriers", s->name, 0)) {
            const struct proto *p = proto_of(s, NULL);
            char why[512], what[64];
            if (p && p->asks_credentials && p->asks_credentials(s, why, sizeof(why), what,
                                                                sizeof(what))) {
                bad++;
                cr_evidence(res, label, "%s", why);
                sb_printf(&list, "%s%s %s", list.len ? ", " : "", label, what);
            } else if ((auth = login_auth(s, &how)) && strcmp(auth, "password") == 0) {
                bad++;
                cr_evidence(res, label, "plaintext %s asks for a password (credential sweep: %s)",
                            s->name, how);
                sb_printf(&list, "%s%s %s with password", list.len ? ", " : "", label, s->name);
            } else {
                /*
                 * A sweep that saw no password prompt and no login form proves nothing
                 * here: a login by script carries credentials too.
                 */
                unsure++;
                cr_evidence(res, label,
                            "plaintext %s: whether it carries credentials is not established "
                            "by the port probe (%s)", s->name, s->ident ? s->ident : "no detail");
                sb_printf(&open_q, "%s%s %s", open_q.len ? ", " : "", label, s->name);
            }
        }
    }
    if (bad)
        cr_set(res, V_FAIL, "Credentials or administration travel in clear text on %s.", list.buf);
    else if (unsure)
        cr_set(res, V_INCONCLUSIVE,
               "Plaintext services are open whose use of credentials is not established: %s.",
               open_q.buf);
    else if (!r->scan.tcp_complete)
        cr_set(res, V_INCONCLUSIVE, "No plaintext credential service found, but the scan is "
                                    "incomplete: %s.", r->scan.why_incomplete);
    else
        cr_set(res, V_PASS, "No plaintext service that carries credentials is open "
                            "(%zu open services examined).", r->nservices);
    sb_free(&list);
    sb_free(&open_q);
}

const struct probe probe_transport_plaintext = {
    .name = "transport.plaintext",
    .summary = "Plaintext services that carry credentials or administration",
    .rule = "FAIL for any open service in `forbid`, for plaintext HTTP that asks for Basic "
            "credentials or that the login checks found serving a password login form, for "
            "plaintext MQTT that refuses an anonymous CONNECT (so expects a password), and for "
            "any plaintext credential carrier the credential sweep found asking for a password. "
            "INCONCLUSIVE while another credential carrier is open and undecided. PASS when none "
            "is open.",
    .flags = 0,
    .params = plaintext_params,
    .gatherer = &gatherer_scan,
    .judge = plaintext_judge,
};
