/*
 * banners.c - banners.versions (★3, S3.x-01): what every service says of
 * itself before any login must name no software version. The texts are the
 * ones other steps already read: the greeting the port scan recorded (SSH
 * identification string, FTP/SMTP/telnet greetings), the Server and
 * X-Powered-By headers of the unauthenticated GET (HTTP, HTTPS), and sysDescr
 * as the unauthenticated SNMP request read it. The check names no protocol:
 * a handler's pre_login_texts slot hands over the texts beyond the greeting,
 * and PROTO_QUIET_BEFORE_LOGIN says a service without a greeting said
 * nothing; any other service without one is not examined. banner_wire.c
 * says whether a text names a version.
 */
#include <stdio.h>
#include <string.h>

#include "banner_wire.h"
#include "probe.h"
#include "proto.h"
#include "run.h"

/* auth.unauthenticated's step (unauth.c): it runs the scan and the SSH step first. */
extern const struct gatherer gatherer_unauth;

static const struct probe_param banners_params[] = {
    {"allow", "[]",
     "version words accepted anyway (a word containing one of these is reported, not failed)"},
    {NULL, NULL, NULL}};

static int allowed(const struct check *c, const char *tok)
{
    const struct ynode *a = check_param(c, "allow");

    if (!a || a->type != Y_SEQ)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->items[i]->type == Y_SCALAR && a->items[i]->value[0] &&
            strstr(tok, a->items[i]->value))
            return 1;
    return 0;
}

struct bstate {
    const struct check *c;
    struct check_result *res;
    struct strbuf fails, unk;
    int bad, unsure, examined;
    const char *label;          /* the service being judged */
    int found;                  /* one of its texts reveals a version */
};

/* Judge one text of a service: 1 it reveals a version (not allowed), 0 not. */
static int judge_text(struct bstate *b, const char *label, const char *what, const char *text)
{
    char tok[96];

    if (!text || !text[0])
        return 0;
    if (!banner_version(text, strlen(text), tok, sizeof(tok))) {
        cr_evidence(b->res, label, "%s '%.160s': no version", what, text);
        return 0;
    }
    if (allowed(b->c, tok)) {
        cr_evidence(b->res, label, "%s '%.160s' names '%s', accepted by the profile's `allow`",
                    what, text, tok);
        return 0;
    }
    cr_evidence(b->res, label, "%s '%.160s' reveals the version '%s'", what, text, tok);
    return 1;
}

/* proto_text_fn: one pre-login text of the service b->label; an empty one is a header left out. */
static void judge_one(void *arg, const char *what, const char *text)
{
    struct bstate *b = arg;

    if (!text[0])
        cr_evidence(b->res, b->label, "no %s", what);
    b->found |= judge_text(b, b->label, what, text);
}

/* The evidence for a service that says nothing before a login. */
static const char *quiet_sentence(const struct service *s, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s: no text before a login (nothing that could name a version)", s->name);
    return buf;
}

static void unsure(struct bstate *b, const char *label, const char *why)
{
    b->unsure = 1;
    cr_evidence(b->res, label, "not examined by banners.versions: %s", why);
    sb_printf(&b->unk, "%s%s", b->unk.len ? ", " : "", label);
}

static void banners_judge(struct run *r, const struct check *c, struct check_result *res)
{
    struct bstate b = {.c = c, .res = res};
    char label[32];

    if (!r->scan.tcp_done) {
        cr_set(res, V_INCONCLUSIVE, "The port scan did not run, so the services are unknown.");
        return;
    }
    sb_init(&b.fails);
    sb_init(&b.unk);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        const struct proto *p = proto_of(s, NULL);
        char why[200];
        int rc;

        service_label(s, label, sizeof(label));
        b.label = label;
        b.found = 0;
        why[0] = '\0';
        if (p && p->pre_login_texts) {
            /* The protocol's own pre-login texts, as its facts hold them. */
            rc = p->pre_login_texts(s, judge_one, &b, why, sizeof(why));
            if (rc < 0) {
                unsure(&b, label, why);
                continue;
            }
            if (rc > 0)
                cr_evidence(res, label, "%s", why[0] ? why : quiet_sentence(s, why, sizeof(why)));
        } else if (s->banner && s->banner[0]) {
            judge_one(&b, p && p->greeting_name ? p->greeting_name : "greeting", s->banner);
        } else if (p && (p->flags & PROTO_QUIET_BEFORE_LOGIN)) {
            cr_evidence(res, label, "%s", quiet_sentence(s, why, sizeof(why)));
        } else {
            snprintf(why, sizeof(why),
                     "%s sent no greeting, and starprobe reads no other pre-login "
                     "text of it",
                     s->name);
            unsure(&b, label, why);
            continue;
        }
        b.examined++;
        if (b.found) {
            b.bad = 1;
            sb_printf(&b.fails, "%s%s", b.fails.len ? ", " : "", label);
        }
    }
    if (b.bad)
        cr_set(res, V_FAIL, "Services that name their software version before a login: %s.",
               b.fails.buf);
    else if (b.unsure)
        cr_set(res, V_INCONCLUSIVE, "Services whose pre-login text was not read: %s.", b.unk.buf);
    else if (r->nservices == 0)
        cr_set(res, !r->scan.tcp_complete ? V_INCONCLUSIVE : V_NOT_APPLICABLE,
               "No open service was found%s.",
               !r->scan.tcp_complete ? " (the scan is incomplete)" : "");
    else if (!r->scan.tcp_complete || (r->scan.udp_done && !r->scan.udp_complete))
        cr_set(res, V_INCONCLUSIVE,
               "No version in what %d services said, but the scan is incomplete: %s.", b.examined,
               r->scan.why_incomplete);
    else
        cr_set(res, V_PASS, "None of the %d services names a software version before a login.",
               b.examined);
    sb_free(&b.fails);
    sb_free(&b.unk);
}

const struct probe probe_banners_versions = {
    .name = "banners.versions",
    .summary = "Banners and pre-login headers name no software version",
    .rule =
        "For every open service, the text it sends before a login: the greeting the port scan "
        "read (SSH identification string after its SSH-2.0- marker, FTP/SMTP/telnet greetings), "
        "the Server and X-Powered-By headers of the unauthenticated GET (HTTP, HTTPS), sysDescr.0 "
        "when a community reads it without credentials (SNMP). FAIL when one holds a version "
        "(digits '.' digits in a word that is not an IPv4 address or HTTP/1.x), with the text as "
        "evidence, unless the word contains an entry of `allow`. Protocols that send no text "
        "before a login (MQTT, CoAP, DTLS, …) have nothing to reveal. INCONCLUSIVE when a "
        "service's text was not read (an HTTP GET unanswered, an unidentified service).",
    .flags = 0,
    .params = banners_params,
    .gatherer = &gatherer_unauth,
    .judge = banners_judge,
};
