/*
 * tamper.c - update.tamper (★3 S3.x-03, intrusive): the device itself must
 * refuse a tampered and a downgraded firmware image.
 *
 * update.signature proves the vendor's signature is sound offline; this
 * asks whether the device checks it. Through the update endpoint the
 * declaration names (method, path on a declared HTTP or HTTPS service, form
 * field, account), the gatherer uploads the declared image with the byte in
 * its middle changed (the middle, so that a header or magic check alone
 * does not catch it), then the declared older release with its own genuine
 * signature; and, only when the declaration asks for it (`control: true`,
 * which installs it), the genuine image as a control. Between the
 * uploads and the control every open TCP service of the scan must still
 * answer. Bytes sent and answers read go through upload_wire.c.
 *
 * A refusal must be positive (docs/design.md §4.3): the device's page
 * saying the declared rejection text, or a 4xx once the control shows the
 * endpoint takes a genuine image. An endpoint that refuses everything (a
 * wrong path or field) must not pass for one that verifies.
 *
 * Facts: the run's struct tamper_facts (harness/facts.h): the endpoint, each
 * upload (tampered, downgraded, control) with the device's answer and what it
 * means, and whether every TCP service answered afterwards; or why nothing
 * was posted.
 */
#include <mbedtls/base64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "ports.h"
#include "proto.h"
#include "run.h"
#include "upload_wire.h"

#define TAMPER_IMAGE_MAX (64L * 1024 * 1024)   /* an image larger than this is not uploaded */
#define TAMPER_SIG_MAX 4096
#define TAMPER_UPLOAD_MS 60000                  /* connect, send the image, read the answer */
#define TAMPER_REPLY_CAP 65536
#define TAMPER_AFTER_S 10                       /* the device has this long to answer again */

/* A whole file into a fresh buffer, at most max bytes; NULL with why. */
static uint8_t *slurp(const char *path, long max, size_t *len, char *why, size_t whycap)
{
    FILE *f = fopen(path, "rb");
    uint8_t *b = NULL;
    long n;

    if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        snprintf(why, whycap, "cannot read %s", path);
    } else if (n == 0 || n > max) {
        snprintf(why, whycap, "%s is %s", path, n == 0 ? "empty" : "too large to upload");
    } else {
        b = xmalloc((size_t)n);
        if (fread(b, 1, (size_t)n, f) != (size_t)n) {
            snprintf(why, whycap, "error reading %s", path);
            free(b);
            b = NULL;
        } else {
            *len = (size_t)n;
        }
    }
    if (f)
        fclose(f);
    return b;
}

/* "Basic base64(user:password)" for the declared account; 0 or -1. */
static int basic_auth(const struct device *d, const char *user, char *out, size_t cap)
{
    unsigned char b64[400];
    size_t olen;
    char plain[300];

    for (size_t i = 0; i < d->naccounts; i++) {
        const struct decl_account *a = &d->accounts[i];
        if (strcmp(a->user, user) != 0 || !a->password)
            continue;
        if ((size_t)snprintf(plain, sizeof(plain), "%s:%s", a->user, a->password) >= sizeof(plain) ||
            mbedtls_base64_encode(b64, sizeof(b64), &olen, (const unsigned char *)plain,
                                  strlen(plain)) != 0 ||
            (size_t)snprintf(out, cap, "Basic %.*s", (int)olen, b64) >= cap)
            break;
        memset(plain, 0, sizeof(plain));
        return 0;
    }
    memset(plain, 0, sizeof(plain));
    return -1;
}

struct upload {
    const char *kind;           /* tampered, downgraded, control */
    const char *file;
    uint8_t *image;
    size_t len;
    long flipped;               /* offset of the changed byte, or -1 */
    uint8_t *sig;
    size_t siglen;
};

/* One upload on its own connection; its record into o. */
static void upload_one(struct run *r, const struct decl_update_endpoint *ep, int tls,
                       const char *auth, const struct upload *u, struct tamper_upload_facts *o)
{
    struct upload_req q = {0};
    struct http_response h;
    char boundary[40] = "starprobe", err[256], why[256];
    uint8_t *req = NULL, *reply = xmalloc(TAMPER_REPLY_CAP + 1), body[512];
    size_t reqlen = 0;
    ssize_t n;
    int64_t dl = run_op_deadline(r, TAMPER_UPLOAD_MS);
    int by_status = 0, complete = 0;
    long blen;
    enum upload_outcome out;

    o->file = xstrdup(u->file);
    o->bytes = (long)u->len;
    o->flipped_offset = u->flipped >= 0 ? u->flipped : -1;
    q.method = ep->method;
    q.host = r->target.addrstr;
    q.port = ep->port;
    q.tls = tls;
    q.path = ep->path;
    q.authorization = auth;
    q.parts[0] = (struct upload_part){ep->field, "firmware.bin", u->image, u->len};
    q.nparts = 1;
    if (ep->signature_field && u->sig) {
        q.parts[1] = (struct upload_part){ep->signature_field, "firmware.sig", u->sig, u->siglen};
        q.nparts = 2;
    }
    o->signature = xstrdup(q.nparts == 2 ? "sent in its own field"
                           : ep->signature_field ? "none declared for this image"
                                                 : "not sent separately");
    /* a boundary that happens to occur in the image: draw another */
    for (int i = 0; i < 4 && reqlen == 0; i++) {
        wire_hex_random(boundary + 9, 24);
        q.boundary = boundary;
        reqlen = upload_request_len(&q);
    }
    if (reqlen == 0) {
        o->error = xstrdup("the upload request cannot be built from the declared method, path and "
                           "fields");
        goto cleanup;
    }
    req = xmalloc(reqlen);
    upload_build(req, reqlen, &q);
    run_progress(r, 0, "update: uploading the %s image to tcp/%ld%s", u->kind, ep->port, ep->path);
    /* a device that answers before the whole image is in still answered: http_roundtrip reads on */
    n = http_roundtrip(&r->target, ep->port, tls, (const char *)req, reqlen, NULL, 0, http_reply_done, dl,
                       reply, TAMPER_REPLY_CAP + 1, err, sizeof(err));
    if (n <= 0) {
        o->error = xstrdup(err[0] ? err : n == SP_ERR_TIMEOUT ? "no answer before the deadline"
                                                    : "the connection closed without an answer");
        goto cleanup;
    }
    memset(&h, 0, sizeof(h));
    (void)http_parse_head(reply, (size_t)n, &h);
    blen = h.complete ? http_body(reply, (size_t)n, &h, body, sizeof(body), &complete) : 0;
    if (blen < 0)
        blen = 0;
    out = upload_classify(&h, body, (size_t)blen, ep->rejected_text, ep->accepted_text, &by_status,
                          why, sizeof(why));
    if (h.complete) {
        o->status_line = xstrdup(h.status_line);
        o->body = sp_printable(body, (size_t)blen, 200);
    }
    o->outcome = xstrdup(upload_outcome_name(out));
    o->why = xstrdup(why);
    o->by_status = by_status;
cleanup:
    free(req);
    free(reply);
}

/* Every open TCP service must still take a connection (the endpoint: answer a GET). */
static void after_uploads(struct run *r, long ep_port, int tls, struct tamper_facts *o)
{
    int64_t until = sp_now_ms() + TAMPER_AFTER_S * 1000;

    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        char label[32], what[300] = "";
        int ok = 0;

        if (s->transport != T_TCP)
            continue;
        service_label(s, label, sizeof(label));
        do {
            if (s->port == ep_port) {
                uint8_t req[512], buf[2048 + 1];
                size_t rl = http_build_get(req, sizeof(req), r->target.addrstr, s->port, tls, "/");
                int64_t dl = run_op_deadline(r, 5000);
                struct http_response h;
                ssize_t n;

                memset(&h, 0, sizeof(h));
                n = http_roundtrip(&r->target, s->port, tls, (const char *)req, rl, NULL, 0, http_reply_done, dl,
                                   buf, sizeof(buf), what, sizeof(what));
                if (n > 0 && http_parse_head(buf, (size_t)n, &h) == 0 && h.status > 0) {
                    ok = 1;
                    snprintf(what, sizeof(what), "GET / answered '%s'", h.status_line);
                } else if (!what[0]) {
                    snprintf(what, sizeof(what), "GET / got no HTTP answer");
                }
            } else {
                int fd = net_tcp_connect(&r->target, (int)s->port, run_op_deadline(r, 3000));
                ok = fd >= 0;
                snprintf(what, sizeof(what), "%s", ok ? "takes connections" : net_strerror(fd));
                if (fd >= 0)
                    close(fd);
            }
            if (!ok && sp_now_ms() < until && !run_expired(r))
                usleep(1000 * 1000);
        } while (!ok && sp_now_ms() < until && !run_expired(r));
        tamper_facts_add_after(o, label, ok, what);
    }
}

static int tamper_gather(struct run *r)
{
    const struct device *d = r->device;
    const struct decl_update_endpoint *ep = d ? d->update_endpoint : NULL;
    const struct service *s;
    struct upload ups[3];
    size_t nup = 0;
    char why[300], auth[420];
    struct tamper_facts *o;
    int tls;

    if (!ep || !d->update_image)
        return 0;       /* the judge says what the declaration lacks */
    o = tamper_facts_new();
    s = run_find_service(r, ep->port, T_TCP);
    if (!s || !proto_has(s, PROTO_HTTP_REQUESTS, &tls)) {
        snprintf(why, sizeof(why), "the endpoint's port tcp/%ld %s", ep->port,
                 s ? "does not speak HTTP or HTTPS" : "was not found open");
        o->error = xstrdup(why);
        goto out;
    }
    o->endpoint = xasprintf("%s %s://%s:%ld%s%s%s%s%s", ep->method, tls ? "https" : "http",
                            r->target.addrstr, ep->port, ep->path, ep->field ? ", form field '" : "",
                            ep->field ? ep->field : " (raw body)", ep->field ? "'" : "",
                            ep->account ? ", HTTP Basic as the declared account" : "");
    if (ep->account && basic_auth(d, ep->account, auth, sizeof(auth)) != 0) {
        o->error = xstrdup("the declared account's credentials do not fit a header");
        goto out;
    }
    memset(ups, 0, sizeof(ups));
    ups[0] = (struct upload){"tampered", d->update_image, NULL, 0, -1, NULL, 0};
    ups[0].image = slurp(d->update_image, TAMPER_IMAGE_MAX, &ups[0].len, why, sizeof(why));
    if (!ups[0].image) {
        o->error = xstrdup(why);
        goto out;
    }
    if (d->update_signature)
        ups[0].sig = slurp(d->update_signature, TAMPER_SIG_MAX, &ups[0].siglen, why, sizeof(why));
    ups[0].flipped = (long)(ups[0].len / 2);
    ups[0].image[ups[0].len / 2] ^= 0x01;
    nup = 1;
    if (d->update_downgrade_image) {
        ups[1] = (struct upload){"downgraded", d->update_downgrade_image, NULL, 0, -1, NULL, 0};
        ups[1].image = slurp(d->update_downgrade_image, TAMPER_IMAGE_MAX, &ups[1].len, why, sizeof(why));
        if (d->update_downgrade_signature)
            ups[1].sig = slurp(d->update_downgrade_signature, TAMPER_SIG_MAX, &ups[1].siglen, why,
                               sizeof(why));
        nup = 2;
    }
    o->has_uploads = 1;
    for (size_t i = 0; i < nup && !run_expired(r); i++) {
        struct tamper_upload_facts *e = tamper_facts_add_upload(o, ups[i].kind);
        if (!ups[i].image)
            e->error = xstrdup(why);
        else
            upload_one(r, ep, tls, ep->account ? auth : NULL, &ups[i], e);
    }
    o->has_after = 1;
    after_uploads(r, ep->port, tls, o);
    if (ep->control && !run_expired(r)) {
        struct upload c = {"control", d->update_image, NULL, 0, -1, NULL, 0};
        c.image = ups[0].image;
        c.len = ups[0].len;
        c.image[c.len / 2] ^= 0x01;         /* back to the genuine image */
        c.sig = ups[0].sig;
        c.siglen = ups[0].siglen;
        upload_one(r, ep, tls, ep->account ? auth : NULL, &c, tamper_facts_add_upload(o, "control"));
    }
    memset(auth, 0, sizeof(auth));
    for (size_t i = 0; i < nup; i++) {
        free(ups[i].image);
        free(ups[i].sig);
    }
out:
    run_set_tamper_facts(r, o);
    return 0;
}

const struct gatherer gatherer_tamper = {
    .name = "update_tamper",
    .needs = &gatherer_scan,
    .gather = tamper_gather,
};

/* ---- the judge ---------------------------------------------------------------------- */

static const struct tamper_upload_facts *upload_of(const struct tamper_facts *o, const char *kind)
{
    for (size_t i = 0; i < o->nuploads; i++)
        if (strcmp(sp_str_or(o->uploads[i].kind, "?"), kind) == 0)
            return &o->uploads[i];
    return NULL;
}

static void tamper_judge(struct run *r, const struct check *c, struct check_result *res)
{
    const struct device *d = r->device;
    const struct tamper_facts *o = r->update_tamper;
    const struct tamper_upload_facts *ctl;
    struct strbuf accepted, unclear, dead;
    int status_only = 0, control_ok;

    (void)c;
    if (!d || !d->update_endpoint) {
        cr_set(res, V_INCONCLUSIVE, "The declaration names no update endpoint (update.endpoint: port, "
                                    "method, path, field, account), so the device's own verification "
                                    "cannot be tested.");
        return;
    }
    if (!d->update_image) {
        cr_set(res, V_INCONCLUSIVE, "The declaration names no update image to tamper with "
                                    "(update.image).");
        return;
    }
    if (!o) {
        cr_set(res, V_INCONCLUSIVE, "The update endpoint was not examined (the update step did not run "
                                    "to the end).");
        return;
    }
    if (o->error) {
        cr_set(res, V_INCONCLUSIVE, "The update endpoint could not be tested: %s.", o->error);
        return;
    }
    cr_evidence(res, NULL, "update endpoint: %s", sp_str_or(o->endpoint, "?"));
    sb_init(&accepted);
    sb_init(&unclear);
    sb_init(&dead);
    for (size_t i = 0; i < o->nuploads; i++) {
        const struct tamper_upload_facts *e = &o->uploads[i];
        const char *kind = sp_str_or(e->kind, "?"), *out = sp_str_or(e->outcome, "?");
        if (e->error) {
            cr_evidence(res, NULL, "%s image: not sent or not answered: %s", kind, e->error);
            if (strcmp(kind, "control") != 0)
                sb_printf(&unclear, "%s%s image (%s)", unclear.len ? ", " : "", kind, e->error);
            continue;
        }
        if (e->flipped_offset >= 0)
            cr_evidence(res, NULL,
                        "sent the %s image: %s (%ld bytes) with the byte at offset %ld "
                        "changed, signature %s; the device answered '%s': '%s' → %s (%s)",
                        kind, sp_str_or(e->file, "?"), e->bytes, e->flipped_offset,
                        sp_str_or(e->signature, "?"), sp_str_or(e->status_line, "?"),
                        sp_str_or(e->body, "?"), out, sp_str_or(e->why, "?"));
        else
            cr_evidence(res, NULL,
                        "sent the %s image: %s (%ld bytes), signature %s; the device "
                        "answered '%s': '%s' → %s (%s)",
                        kind, sp_str_or(e->file, "?"), e->bytes, sp_str_or(e->signature, "?"),
                        sp_str_or(e->status_line, "?"), sp_str_or(e->body, "?"), out,
                        sp_str_or(e->why, "?"));
        if (strcmp(kind, "control") == 0)
            continue;
        if (strcmp(out, "accepted") == 0)
            sb_printf(&accepted, "%s%s", accepted.len ? " and the " : "the ", kind);
        else if (strcmp(out, "rejected") != 0)
            sb_printf(&unclear, "%s%s image (%s)", unclear.len ? ", " : "", kind,
                      sp_str_or(e->why, "?"));
        else if (e->by_status)
            status_only = 1;
    }
    for (size_t i = 0; i < o->nafter; i++) {
        const struct tamper_after_facts *e = &o->after[i];
        cr_evidence(res, e->service, "after the uploads: %s", e->what);
        if (!e->answered)
            sb_printf(&dead, "%s%s", dead.len ? ", " : "", e->service);
    }
    ctl = upload_of(o, "control");
    control_ok = ctl && strcmp(sp_str_or(ctl->outcome, "?"), "accepted") == 0;
    if (accepted.len)
        cr_set(res, V_FAIL, "The device accepted %s image through its update endpoint: it does not "
               "verify what it installs.", accepted.buf);
    else if (dead.len)
        cr_set(res, V_FAIL, "The device stopped answering on %s after the tampered and downgraded "
               "uploads.", dead.buf);
    else if (unclear.len)
        cr_set(res, V_INCONCLUSIVE, "No clear refusal of the %s.", unclear.buf);
    else if (!upload_of(o, "downgraded"))
        cr_set(res, V_INCONCLUSIVE, "The tampered image was refused, but the declaration names no older "
                                    "release (update.downgrade_image), so rollback was not tested.");
    else if (status_only && ctl && !control_ok)
        cr_set(res, V_INCONCLUSIVE,
               "The endpoint refused the genuine image too (control: %s), so its "
               "refusals say nothing about verification.",
               sp_str_or(ctl->why, "?"));
    else if (status_only && !ctl)
        cr_set(res, V_INCONCLUSIVE, "Both images were refused by status alone; without the device's "
                                    "rejection text (update.endpoint.rejected_text) or a control upload "
                                    "of the genuine image (update.endpoint.control), an endpoint that "
                                    "refuses everything cannot be told from one that verifies.");
    else
        cr_set(res, V_PASS, "The device refused the tampered and the downgraded image%s and still "
               "answers on its services.", control_ok ? ", and took the genuine one" : "");
    sb_free(&accepted);
    sb_free(&unclear);
    sb_free(&dead);
}

const struct probe probe_update_tamper = {
    .name = "update.tamper",
    .summary = "The device refuses a tampered and a downgraded update image through its own endpoint",
    .rule = "Intrusive. Through the declared update endpoint (update.endpoint: port of a declared "
            "HTTP/HTTPS service, method, path, form field, account): the declared image with its "
            "middle byte changed, then the declared older release (update.downgrade_image) with its "
            "own signature, each on its own connection; then every open TCP service must answer "
            "within 10 s. FAIL when either image is accepted (2xx/3xx without the declared "
            "rejection text) or the device stops answering. A refusal counts when the page says "
            "update.endpoint.rejected_text, or it is a 4xx and the control upload of the genuine "
            "image (update.endpoint.control: true) was accepted; 401/403/404/405/407/408/429, 5xx and "
            "silence are unclear. INCONCLUSIVE without an endpoint, an image or a downgrade image.",
    .flags = PROBE_INTRUSIVE,
    .params = NULL,
    .gatherer = &gatherer_tamper,
    .judge = tamper_judge,
};
