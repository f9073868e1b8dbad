/*
 * html.c - report.html: one self-contained, printable page a lab attaches to
 * its evaluation report. Bilingual: every title in Japanese and English.
 * No scripts, no external resources; every string from the device or the
 * declaration is escaped.
 */
#include <stdlib.h>

#include "report.h"

static const char css[] =
    "body{font-family:system-ui,'Noto Sans CJK JP',sans-serif;margin:2em;color:#222}"
    "h1{font-size:1.4em;margin-bottom:.2em}h2{font-size:1.1em;margin-top:1.6em}"
    "table{border-collapse:collapse;width:100%;font-size:.9em}"
    "th,td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}"
    "th{background:#f3f3f3}td:first-child{white-space:nowrap}.ja{color:#555;font-size:.9em}"
    ".v{font-weight:bold;white-space:nowrap;padding:.1em .4em;border-radius:3px}"
    ".FAIL,.NOT_CONFORMANT{background:#fdd;color:#900}.ERROR{background:#fdb;color:#840}"
    ".INCONCLUSIVE,.INCOMPLETE,.EVIDENCE_REQUIRED{background:#ffe9b3;color:#6a4a00}"
    ".PASS,.CONFORMANT{background:#dfd;color:#060}"
    ".EVIDENCE_DECLARED,.NOT_APPLICABLE{background:#e6eefc;color:#234}"
    "ul{margin:.2em 0;padding-left:1.2em}code{font-size:.85em;word-break:break-all}"
    ".meta td{border:none;padding:.1em .6em .1em 0}"
    "@media print{body{margin:0}tr{page-break-inside:avoid}}";

static void badge(struct strbuf *sb, const char *v)
{
    sb_printf(sb, "<span class=\"v %s\">%s</span>", v, v);
}

static void meta_row(struct strbuf *sb, const char *en, const char *ja, const char *val)
{
    sb_printf(sb, "<tr><td>%s <span class=\"ja\">%s</span></td><td>", en, ja);
    report_xml_escape(sb, val);
    sb_add(sb, "</td></tr>\n");
}

char *report_html_string(const struct run *r)
{
    struct strbuf sb;
    char when[32], dur[32];

    sb_init(&sb);
    report_iso_time(r->started, when, sizeof(when));
    sb_add(&sb, "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">\n<title>starprobe: ");
    report_xml_escape(&sb, r->profile->id);
    sb_add(&sb, " — ");
    report_xml_escape(&sb, r->target.host);
    sb_printf(&sb, "</title>\n<style>%s</style></head><body>\n", css);
    sb_add(&sb, "<h1>");
    report_xml_escape(&sb, lstr_get(&r->profile->title, "en"));
    sb_add(&sb, " <span class=\"ja\">");
    report_xml_escape(&sb, lstr_get(&r->profile->title, "ja"));
    sb_add(&sb, "</span></h1>\n<p>");
    badge(&sb, overall_name(r->overall));
    sb_add(&sb, "</p>\n<table class=\"meta\">\n");
    meta_row(&sb, "Target", "対象", r->target.host);
    meta_row(&sb, "Address", "アドレス", r->target.addrstr);
    if (r->device) {
        char *dev = xasprintf("%s %s, firmware %s", r->device->vendor ? r->device->vendor : "?",
                              r->device->model ? r->device->model : "?",
                              r->device->firmware ? r->device->firmware : "?");
        meta_row(&sb, "Device", "機器", dev);
        free(dev);
    } else {
        meta_row(&sb, "Device", "機器", "no declaration given (every open service is undeclared)");
    }
    char *prof = xasprintf("%s, level %ld, edition %s, %s", r->profile->id, r->profile->level,
                           r->profile->edition ? r->profile->edition : "-",
                           r->profile->status ? r->profile->status : "provisional");
    meta_row(&sb, "Profile", "プロファイル", prof);
    free(prof);
    meta_row(&sb, "Started", "開始", when);
    report_duration(r->elapsed_ms, dur, sizeof(dur));
    char *how = xasprintf("%s, --jobs %d, --deadline %d s%s", dur, r->opt.jobs, r->opt.deadline_s,
                          r->opt.intrusive ? ", --intrusive" : "");
    meta_row(&sb, "Run", "実行", how);
    free(how);
    meta_row(&sb, "Tool", "ツール", "starprobe " STARPROBE_VERSION " (" STARPROBE_REPORT_SCHEMA ")");
    sb_add(&sb, "</table>\n");

    sb_add(&sb, "<h2>Requirements <span class=\"ja\">要求事項</span></h2>\n"
                "<table><tr><th>ID</th><th>Requirement <span class=\"ja\">要求事項</span></th>"
                "<th>Verdict <span class=\"ja\">判定</span></th><th>Reason and evidence "
                "<span class=\"ja\">理由と根拠</span></th></tr>\n");
    for (size_t i = 0; i < r->nresults; i++) {
        const struct req_result *rr = &r->results[i];
        sb_add(&sb, "<tr><td>");
        report_xml_escape(&sb, rr->req->id);
        sb_add(&sb, "</td><td>");
        report_xml_escape(&sb, lstr_get(&rr->req->title, "en"));
        sb_add(&sb, "<br><span class=\"ja\">");
        report_xml_escape(&sb, lstr_get(&rr->req->title, "ja"));
        sb_add(&sb, "</span></td><td>");
        badge(&sb, verdict_name(rr->verdict));
        sb_add(&sb, "</td><td>");
        for (size_t j = 0; j < rr->nchecks; j++) {
            const struct check_result *c = &rr->checks[j];
            sb_add(&sb, "<div><code>");
            report_xml_escape(&sb, c->check ? c->check->probe->name : "?");
            sb_add(&sb, "</code> ");
            badge(&sb, verdict_name(c->verdict));
            sb_add(&sb, " ");
            report_xml_escape(&sb, c->reason);
            if (c->nev) {
                sb_add(&sb, "<ul>");
                for (size_t k = 0; k < c->nev; k++) {
                    sb_add(&sb, "<li>");
                    if (c->ev[k].service) {
                        sb_add(&sb, "<b>");
                        report_xml_escape(&sb, c->ev[k].service);
                        sb_add(&sb, "</b>: ");
                    }
                    sb_add(&sb, "<code>");
                    report_xml_escape(&sb, c->ev[k].detail);
                    sb_add(&sb, "</code></li>");
                }
                sb_add(&sb, "</ul>");
            }
            sb_add(&sb, "</div>");
        }
        sb_add(&sb, "</td></tr>\n");
    }
    sb_add(&sb, "</table>\n");

    sb_printf(&sb, "<h2>Open services <span class=\"ja\">開いているサービス</span> (%zu)</h2>\n"
                   "<table><tr><th>Port</th><th>Service</th><th>Declared <span class=\"ja\">申告"
                   "</span></th><th>Identified by <span class=\"ja\">識別の根拠</span></th></tr>\n",
              r->nservices);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        char label[32];
        service_label(s, label, sizeof(label));
        sb_printf(&sb, "<tr><td>%s</td><td>", label);
        report_xml_escape(&sb, s->name);
        sb_add(&sb, "</td><td>");
        if (s->declared)
            report_xml_escape(&sb, s->decl ? s->decl->service : "yes");
        else
            badge(&sb, "UNDECLARED");
        sb_add(&sb, "</td><td><code>");
        report_xml_escape(&sb, s->ident ? s->ident : (s->banner ? s->banner : ""));
        sb_add(&sb, "</code></td></tr>\n");
    }
    sb_add(&sb, "</table>\n");
    sb_printf(&sb, "<p class=\"ja\">Scan: %ld TCP ports (%ld open, %ld closed, %ld filtered) in %lld ms; "
                   "%ld UDP ports (%ld answered, %ld closed, %ld silent).</p>\n",
              r->scan.tcp_ports, r->scan.tcp_open, r->scan.tcp_closed, r->scan.tcp_filtered,
              (long long)r->scan.tcp_ms, r->scan.udp_ports, r->scan.udp_open, r->scan.udp_closed,
              r->scan.udp_silent);

    int ncred = cJSON_GetArraySize(r->credentials);
    if (ncred > 0) {
        sb_add(&sb, "<h2>Default credentials found <span class=\"ja\">発見されたデフォルト認証情報"
                    "</span></h2>\n<table><tr><th>Service</th><th>User</th><th>Password</th>"
                    "<th>Source</th></tr>\n");
        for (int i = 0; i < ncred; i++) {
            const cJSON *c = cJSON_GetArrayItem(r->credentials, i);
            static const char *const keys[] = {"service", "user", "password", "source"};
            sb_add(&sb, "<tr>");
            for (size_t k = 0; k < SP_ARRAY_LEN(keys); k++) {
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, keys[k]);
                sb_add(&sb, "<td><code>");
                report_xml_escape(&sb, cJSON_IsString(v) ? v->valuestring : "");
                sb_add(&sb, "</code></td>");
            }
            sb_add(&sb, "</tr>\n");
        }
        sb_add(&sb, "</table>\n");
    }
    sb_add(&sb, "</body></html>\n");
    return sb_steal(&sb);
}
