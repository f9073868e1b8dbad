/*
 * unauth.c - auth.unauthenticated (S1.1-01): what each service gives to a
 * client that presents no credentials at all. HTTP(S) admin and API paths,
 * MQTT(S) anonymous CONNECT and SUBSCRIBE '#', CoAP resources, anonymous
 * FTP, a telnet shell without login, SSH "none" authentication, SNMP
 * with the communities public and private, RTSP streams, VNC security
 * types, adb CONNECT, TFTP read requests, UPnP control actions behind SSDP
 * and ONVIF's device service on every HTTP(S) service.
 *
 * The gatherer hands each service to its protocol handler's unauth slot
 * (proto.h; the clients live in probes/proto/, picked by identified name,
 * never by port), one run_parallel slot each, and records what it saw as
 * facts: services[].facts.unauth.items[] — one row per thing tried, with a
 * result (open, protected, absent, ambiguous, undecided) and the device's
 * words as detail — plus the per-protocol summaries docs/design.md §5 describes ("http",
 * "mqtt", "coap", "snmp"). The judge applies the declaration's public items
 * and turns the rows into a verdict, so what was seen and what it means stay
 * apart.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "device.h"
#include "proto.h"
#include "run.h"
#include "ssh.h"

extern const struct probe probe_auth_unauthenticated;

static const struct probe_param unauth_params[] = {
    {"http_paths", "[/admin, /cgi-bin, /api, /config, /setup, /system]", "paths tried without credentials"},
    {"mqtt_subscribe_wait_ms", "2000", "how long an anonymous SUBSCRIBE # listens"},
    {"op_timeout_ms", "3000", "deadline of one request and its reply"},
    {"coap_max_resources", "32", "at most this many CoAP resources are fetched"},
    {"rtsp_paths", "[/, /live, /live.sdp, /stream1, /h264, /ch0_0.h264, /cam/realmonitor, /onvif1, "
                   "/Streaming/Channels/101, /h264/ch1/main/av_stream, /axis-media/media.amp, /11, "
                   "/videoMain, /media/video1, /live/ch00_0, /unicast]",
     "RTSP stream paths asked with DESCRIBE"},
    {"tftp_files", "[config, startup-config, running-config, config.cfg, config.bin, passwd, "
                   "/etc/passwd, shadow]", "files a TFTP read request asks for"},
    {NULL, NULL, NULL}};


/* ---- the gatherer ---- */

struct ujob {
    struct service **svc;
    const struct check *chk;
};

static void unauth_one(struct run *r, size_t i, void *arg)
{
    struct ujob *job = arg;
    struct service *s = job->svc[i];
    struct unauth_facts *items = unauth_facts_new();
    int tls = 0;
    const struct proto *p = proto_of(s, &tls);
    char label[32];

    service_label(s, label, sizeof(label));
    run_progress(r, 0, "auth.unauthenticated: %s %s", label, s->name);
    p->unauth(r, s, tls, job->chk, items);
    /* The unauth facts replace any earlier ones whole: they are this gatherer's own. */
    run_set_unauth_facts(r, s, items);
}

static int unauth_gather(struct run *r)
{
    struct ujob job = {.svc = xcalloc(r->nservices + 1, sizeof(*job.svc)),
                       .chk = run_check_for(r, &probe_auth_unauthenticated)};
    size_t n = 0;

    for (size_t i = 0; i < r->nservices; i++) {
        const struct proto *p = proto_of(r->services[i], NULL);
        if (p && p->unauth)
            job.svc[n++] = r->services[i];
    }
    run_progress(r, 1, "auth.unauthenticated: %zu services to try without credentials", n);
    run_parallel(r, n, unauth_one, &job);
    free(job.svc);
    return run_expired(r) ? SP_ERR_TIMEOUT : 0;
}

const struct gatherer gatherer_unauth = {
    .name = "unauth",
    /* the SSH gatherer asks "none" itself (and needs the scan) */
    .needs = &gatherer_ssh,
    /* it writes "unauth" and adds to protocol families no other concurrent gatherer writes */
    .flags = GATHER_CONCURRENT,
    .gather = unauth_gather,
};

/* ---- the judge ---- */

static const char *item_public(const struct service *s, const struct unauth_item_facts *it)
{
    const char *m = NULL;

    if (!s->decl || !s->decl->npublic)
        return NULL;
    m = device_public_match(s->decl->public_items, s->decl->npublic, it->item);
    if (!m && it->final_path)
        m = device_public_match(s->decl->public_items, s->decl->npublic, it->final_path);
    return m;
}

static void unauth_judge(struct run *r, const struct check *c, struct check_result *res)
{
    size_t applicable = 0, findings = 0, undecided = 0;
    struct strbuf bad, unsure;
    char label[32];
    int rc = 0;

    (void)c;
    if (!r->scan.tcp_done) {
        cr_set(res, V_INCONCLUSIVE, "The port scan did not run, so the services to try are unknown.");
        return;
    }
    /* The step itself says whether the run deadline cut it; what it did not ask is no refusal. */
    run_gathered(r, &gatherer_unauth, &rc);
    sb_init(&bad);
    sb_init(&unsure);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        const struct proto *hp = proto_of(s, NULL);
        const struct unauth_facts *u;
        size_t sv_find = 0, sv_unsure = 0, sv_ok = 0, sv_absent = 0;
        struct strbuf okd;

        service_label(s, label, sizeof(label));
        if (!hp || !hp->unauth) {
            /* Coverage: a service without a client here is named, never passed over in silence. */
            int none;
            const char *gap = proto_unauth_gap(s, &none);
            if (none)
                continue;   /* it gates nothing (DNS, NTP, DHCP…) */
            undecided++;
            cr_evidence(res, label, "%s: not examined by auth.unauthenticated: %s", s->name, gap);
            sb_printf(&unsure, "%s%s %s (not examined)", unsure.len ? ", " : "", label, s->name);
            continue;
        }
        applicable++;
        u = s->unauth;
        if (!u || u->nitems == 0) {
            undecided++;
            cr_evidence(res, label, "%s was not tried without credentials (run deadline)", s->name);
            sb_printf(&unsure, "%s%s %s", unsure.len ? ", " : "", label, s->name);
            continue;
        }
        /*
         * MQTT: an accepted anonymous CONNECT is the finding, unless the
         * declaration names public topics for this broker and every topic
         * delivered is one of them.
         */
        int mqtt_nonpublic_topic = 0, mqtt_anon_open = 0;
        sb_init(&okd);
        for (size_t k = 0; k < u->nitems; k++) {
            const struct unauth_item_facts *it = &u->items[k];
            const char *kind = it->kind, *item = it->item, *result = it->result;
            const char *detail = it->detail;
            const char *pub;

            if (strcmp(result, "open") == 0) {
                if (strcmp(kind, "anonymous") == 0) {
                    mqtt_anon_open = 1;
                    continue;       /* decided below, once the topics are known */
                }
                pub = item_public(s, it);
                if (pub) {
                    sv_ok++;
                    cr_evidence(res, label, "%s %s: declared public (entry '%s'), not a finding: %s",
                                kind, item, pub, detail);
                    continue;
                }
                if (strcmp(kind, "topic") == 0)
                    mqtt_nonpublic_topic = 1;
                sv_find++;
                cr_evidence(res, label, "%s %s open without credentials: %s", kind, item, detail);
            } else if (strcmp(result, "ambiguous") == 0 || strcmp(result, "undecided") == 0) {
                sv_unsure++;
                cr_evidence(res, label, "%s %s undecided: %s", kind, item, detail);
            } else if (strcmp(result, "absent") == 0) {
                /*
                 * Absent (a 404, a file not found) is no refusal: what the service serves
                 * under another name was not seen. It counts only beside a real refusal.
                 */
                sv_absent++;
                sb_printf(&okd, "%s%s: %s", okd.len ? "; " : "", item, detail);
            } else {
                sv_ok++;
                sb_printf(&okd, "%s%s: %s", okd.len ? "; " : "", item, detail);
            }
        }
        if (mqtt_anon_open) {
            int declared_public = s->decl && s->decl->npublic > 0 && !mqtt_nonpublic_topic;
            for (size_t k = 0; k < u->nitems; k++) {
                if (strcmp(u->items[k].kind, "anonymous") != 0)
                    continue;
                const char *detail = u->items[k].detail;
                if (declared_public) {
                    sv_ok++;
                    cr_evidence(res, label, "anonymous access declared public (only declared public "
                                "topics delivered), not a finding: %s", detail);
                } else {
                    sv_find++;
                    cr_evidence(res, label, "anonymous MQTT access: %s", detail);
                }
            }
        }
        if (okd.len && sv_ok)
            cr_evidence(res, label, "%s protected: %s", s->name, okd.buf);
        else if (okd.len && !sv_find)
            cr_evidence(res, label, "%s: every item tried was absent, which proves no protection "
                        "(what it serves under other names was not seen): %s", s->name, okd.buf);
        sb_free(&okd);
        if (sv_find) {
            findings++;
            sb_printf(&bad, "%s%s %s", bad.len ? ", " : "", label, s->name);
        } else if (sv_unsure || !sv_ok) {
            undecided++;
            sb_printf(&unsure, "%s%s %s%s", unsure.len ? ", " : "", label, s->name,
                      !sv_unsure && sv_absent ? " (nothing tried exists or asks for credentials)" : "");
        }
    }

    if (findings)
        cr_set(res, V_FAIL, "Functions are reachable without authentication on %s.", bad.buf);
    else if (rc == SP_ERR_TIMEOUT)
        cr_set(res, V_INCONCLUSIVE, "The run deadline (%d s) cut the tries without credentials "
               "short, so what was not asked is not known to be refused%s%s.", r->opt.deadline_s,
               undecided ? "; undecided: " : "", undecided ? unsure.buf : "");
    else if (undecided)
        cr_set(res, V_INCONCLUSIVE, "Could not decide whether %s require authentication.", unsure.buf);
    else if (!r->scan.tcp_complete || (r->scan.udp_done && !r->scan.udp_complete))
        cr_set(res, V_INCONCLUSIVE, "%zu services refused unauthenticated access, but the scan is "
               "incomplete: %s.", applicable, r->scan.why_incomplete);
    else if (applicable)
        cr_set(res, V_PASS, "All %zu services that could grant access refused it without "
               "credentials.", applicable);
    else
        cr_set(res, V_NOT_APPLICABLE, "No HTTP, RTSP, MQTT, CoAP, FTP, telnet, SSH, SNMP, VNC, adb, "
               "TFTP or SSDP service is open "
               "(%zu open services examined).", r->nservices);
    sb_free(&bad);
    sb_free(&unsure);
}

const struct probe probe_auth_unauthenticated = {
    .name = "auth.unauthenticated",
    .summary = "Access to functions without authentication",
    .rule = "Without credentials: / and each http_paths path on every HTTP(S) service must "
            "answer 401/403, a redirect to a login page or a login form; a page whose password "
            "fields set a secret (new/confirm/Wi-Fi key, or two of them) is a settings form and "
            "FAILs; a 2xx page counts only if it differs from the answer to a non-existent path "
            "(soft 404), else INCONCLUSIVE. A service where nothing tried exists or refused is "
            "INCONCLUSIVE, and so is every service when the run deadline cut the tries. MQTT(S): an anonymous CONNECT must get CONNACK 4/5 (0x86/0x87 in v5); "
            "if accepted, SUBSCRIBE # and $SYS/# for mqtt_subscribe_wait_ms and list the topics: "
            "FAIL. CoAP (libcoap, Block2 reassembled): /.well-known/core and each listed resource "
            "must answer 4.01/4.03; on every DTLS service a handshake without credentials must be "
            "refused, and when it completes the resources are tried over DTLS the same way. FTP: USER anonymous must not log in. telnet: a shell without "
            "a login prompt FAILs. SSH: authentication 'none' must be refused. SNMP: communities "
            "public and private (v1, v2c) must get no GetResponse. RTSP: DESCRIBE of each "
            "rtsp_paths path must not return a session description (401/403 or 404). VNC: the "
            "security types must not include None (1), nor a VeNCrypt sub-type without "
            "authentication. adb: CONNECT must be answered with AUTH (or STLS), not CNXN. TFTP: "
            "a read request for each tftp_files file must not get DATA. SSDP: the LOCATION of a new "
            "M-SEARCH (the target's own address only) is read as a UPnP description and each "
            "service's control URL must refuse one read action (Get*/Is*) posted without "
            "credentials (401/403, UPnP error 606); a service type with no action known to be "
            "harmless is INCONCLUSIVE. ONVIF (every HTTP(S) service): GetDeviceInformation and "
            "GetUsers posted to /onvif/device_service without WS-Security must be refused (401/403, "
            "fault NotAuthorized). Paths, resources and "
            "topics the declaration lists under `public` are exempt. An item that does not "
            "exist (404, file not found) is no refusal: a service where every item tried was "
            "absent is undecided. FAIL on any finding; PASS only when every such service "
            "answered and refused; else INCONCLUSIVE.",
    .flags = 0,
    .params = unauth_params,
    .gatherer = &gatherer_unauth,
    .judge = unauth_judge,
};
