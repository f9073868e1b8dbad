/*
 * html.c - report.html: one self-contained, printable page a lab attaches to
 * its evaluation report. Bilingual: every title in Japanese and English.
 * No scripts, no external resources; every string from the device, the
 * declaration or the profile is escaped.
 *
 * The page reads top-down the way a reviewer works: a summary (device,
 * profile, the overall verdict, counts, a grid with one cell per requirement),
 * then one row per requirement with its checks and their evidence folded,
 * then the services inventory and the credentials found.
 */
#include <stdlib.h>
#include <string.h>

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
    ".UNDECLARED,.provisional{background:#fdd;color:#900}"
    "ul{margin:.2em 0;padding-left:1.2em}code{font-size:.85em;word-break:break-all}"
    ".meta td{border:none;padding:.1em .6em .1em 0}"
    ".summary{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}"
    ".overall .v{display:inline-block;font-size:1.5em;padding:.4em .8em;border-radius:6px}"
    ".counts{list-style:none;padding:0;margin:.6em 0;display:flex;flex-wrap:wrap;gap:.4em}"
    ".counts li{white-space:nowrap}.counts .zero{opacity:.45}"
    ".grid{display:flex;flex-wrap:wrap;gap:3px;margin:.6em 0 0}"
    ".grid a{display:inline-block;min-width:4.6em;padding:.3em .2em;font-size:.75em;text-align:center;"
    "text-decoration:none;border-radius:3px;border:1px solid rgba(0,0,0,.2)}"
    ".chk{margin:.2em 0 .5em}details{margin:.2em 0 0 1em}summary{cursor:pointer;color:#345}"
    ".svc{margin:.3em 0}.more{margin-left:0}"
    "@media print{body{margin:0}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "tr,li,.chk,.grid a{break-inside:avoid;page-break-inside:avoid}"
    "thead{display:table-header-group}"
    "details>*{display:block}summary{list-style:none}summary::-webkit-details-marker{display:none}}";

/*
 * A closed <details> hides its content from print in engines that render it
 * through ::details-content; that selector is its own rule, because a
 * browser that does not know it would drop every selector listed with it.
 */
static const char css_print_details[] =
    "@media print{details::details-content{content-visibility:visible;display:block}}";

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

/* The length of the first word of s: up to its first space. */
static size_t first_word(const char *s)
{
    const char *sp = s ? strchr(s, ' ') : NULL;

    return s ? (sp ? (size_t)(sp - s) : strlen(s)) : 0;
}

static int same_service(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/*
 * How many bytes of a and b are whole words both begin with: the common
 * prefix cut back to the last word boundary both share, so "topic $SYS/a"
 * and "topic $SYS/b" give "topic", never "topic $SYS/".
 */
static size_t common_words(const char *a, const char *b, size_t max)
{
    size_t c = 0;

    while (c < max && a[c] && a[c] == b[c])
        c++;
    if ((a[c] == ' ' || a[c] == '\0' || c == max) && (b[c] == ' ' || b[c] == '\0'))
        return c;
    while (c > 0 && a[c] != ' ')
        c--;
    return c;
}

size_t report_ev_group(const struct evidence *ev, size_t nev, size_t *order,
                       struct report_ev_group *groups)
{
    char *done = xcalloc(nev ? nev : 1, 1);
    size_t k = 0, ng = 0;

    /* Each new service is drained completely, so its groups sit together. */
    for (size_t i = 0; i < nev; i++) {
        if (done[i])
            continue;
        for (size_t j = i; j < nev; j++) {
            if (done[j] || !same_service(ev[j].service, ev[i].service))
                continue;
            const char *lead = ev[j].detail ? ev[j].detail : "";
            size_t w = first_word(lead), prefix = strlen(lead);
            struct report_ev_group *g = &groups[ng++];

            g->service = ev[i].service;
            g->start = k;
            for (size_t m = j; m < nev; m++) {
                const char *d = ev[m].detail ? ev[m].detail : "";
                if (done[m] || !same_service(ev[m].service, ev[i].service) || first_word(d) != w ||
                    strncmp(d, lead, w) != 0)
                    continue;
                order[k++] = m;
                done[m] = 1;
                prefix = common_words(lead, d, prefix);
            }
            g->n = k - g->start;
            g->prefix = prefix;
        }
    }
    free(done);
    return ng;
}

static void ev_line(struct strbuf *sb, const struct evidence *e)
{
    sb_add(sb, "<li><code>");
    report_xml_escape(sb, e->detail);
    sb_add(sb, "</code></li>");
}

/*
 * A check's evidence, folded: one <details> per check, inside it the lines by
 * service, and a long group of similar lines shown as its count, its first
 * lines, and the rest folded once more.
 */
static void evidence_html(struct strbuf *sb, const struct check_result *c)
{
    size_t *order = xcalloc(c->nev, sizeof(*order));
    struct report_ev_group *g = xcalloc(c->nev, sizeof(*g));
    size_t ng = report_ev_group(c->ev, c->nev, order, g), nsvc = 0;

    for (size_t i = 0; i < ng; i++)
        if (i == 0 || !same_service(g[i].service, g[i - 1].service))
            nsvc++;
    sb_printf(sb, "<details><summary>Evidence <span class=\"ja\">根拠</span>: %zu line%s, "
                  "%zu service%s</summary>\n",
              c->nev, c->nev == 1 ? "" : "s", nsvc, nsvc == 1 ? "" : "s");
    for (size_t i = 0; i < ng; i++) {
        if (i == 0 || !same_service(g[i].service, g[i - 1].service)) {
            if (i > 0)
                sb_add(sb, "</ul></div>\n");
            sb_add(sb, "<div class=\"svc\"><b>");
            if (g[i].service)
                report_xml_escape(sb, g[i].service);
            else
                sb_add(sb, "device <span class=\"ja\">機器全体</span>");
            sb_add(sb, "</b><ul>");
        }
        const struct evidence *ev = c->ev;
        if (g[i].n < REPORT_EV_FOLD_AT) {
            for (size_t k = 0; k < g[i].n; k++)
                ev_line(sb, &ev[order[g[i].start + k]]);
            continue;
        }
        sb_printf(sb, "<li class=\"grp\"><b>%zu</b> lines beginning <code>", g[i].n);
        {
            /* The prefix is device text too: escape a copy of exactly those bytes. */
            char *pre = xmalloc(g[i].prefix + 1);
            memcpy(pre, ev[order[g[i].start]].detail ? ev[order[g[i].start]].detail : "", g[i].prefix);
            pre[g[i].prefix] = '\0';
            report_xml_escape(sb, pre);
            sb_add(sb, "</code>; the first ");
            sb_printf(sb, "%d: <span class=\"ja\">「", REPORT_EV_SHOW);
            report_xml_escape(sb, pre);
            sb_printf(sb, "」で始まる %zu 行、先頭 %d 行</span><ul>", g[i].n, REPORT_EV_SHOW);
            free(pre);
        }
        for (size_t k = 0; k < REPORT_EV_SHOW; k++)
            ev_line(sb, &ev[order[g[i].start + k]]);
        sb_printf(sb, "</ul><details class=\"more\"><summary>%zu more <span class=\"ja\">残り %zu 行"
                      "</span></summary><ul>",
                  g[i].n - REPORT_EV_SHOW, g[i].n - REPORT_EV_SHOW);
        for (size_t k = REPORT_EV_SHOW; k < g[i].n; k++)
            ev_line(sb, &ev[order[g[i].start + k]]);
        sb_add(sb, "</ul></details></li>");
    }
    if (ng > 0)
        sb_add(sb, "</ul></div>\n");
    sb_add(sb, "</details>");
    free(order);
    free(g);
}

/* The id attribute of a requirement's row, which the grid links to. */
static void req_anchor(struct strbuf *sb, const char *id)
{
    sb_add(sb, "req-");
    report_xml_escape(sb, id);
}

/* The top of the page: what was assessed against what, and the verdict at a glance. */
static void summary_html(struct strbuf *sb, const struct run *r)
{
    const struct profile *p = r->profile;
    int counts[V_COUNT] = {0};
    char when[32], dur[32];

    for (size_t i = 0; i < r->nresults; i++)
        counts[r->results[i].verdict]++;
    report_iso_time(r->started, when, sizeof(when));
    report_duration(r->elapsed_ms, dur, sizeof(dur));

    sb_add(sb, "<div class=\"summary\">\n<div class=\"overall\">");
    badge(sb, overall_name(r->overall));
    sb_add(sb, "</div>\n<table class=\"meta\" style=\"width:auto\">\n");
    if (r->device) {
        char *dev = xasprintf("%s %s, firmware %s", r->device->vendor ? r->device->vendor : "?",
                              r->device->model ? r->device->model : "?",
                              r->device->firmware ? r->device->firmware : "?");
        meta_row(sb, "Device", "機器", dev);
        free(dev);
    } else {
        meta_row(sb, "Device", "機器", "no declaration given (every open service is undeclared)");
    }
    meta_row(sb, "Target", "対象", r->target.host);
    meta_row(sb, "Address", "アドレス", r->target.addrstr);
    /* Anything but an official profile rests on reconstructed criteria, so it says so loudly. */
    int provisional = !p->status || strcmp(p->status, "official") != 0;
    sb_add(sb, "<tr><td>Profile <span class=\"ja\">プロファイル</span></td><td>");
    report_xml_escape(sb, p->id);
    sb_printf(sb, ", level %ld, edition ", p->level);
    report_xml_escape(sb, p->edition ? p->edition : "-");
    sb_add(sb, " ");
    if (provisional) {
        sb_add(sb, "<span class=\"v provisional\">");
        report_xml_escape(sb, p->status ? p->status : "provisional");
        sb_add(sb, " <span class=\"ja\">暫定</span></span>");
    } else {
        sb_add(sb, "(");
        report_xml_escape(sb, p->status);
        sb_add(sb, ")");
    }
    sb_add(sb, "</td></tr>\n");
    meta_row(sb, "Started", "開始", when);
    char *how = xasprintf("%s, --jobs %d, --deadline %d s%s", dur, r->opt.jobs, r->opt.deadline_s,
                          r->opt.intrusive ? ", --intrusive" : "");
    meta_row(sb, "Duration", "所要時間", how);
    free(how);
    meta_row(sb, "Tool", "ツール", "starprobe " STARPROBE_VERSION " (" STARPROBE_REPORT_SCHEMA ")");
    sb_add(sb, "</table>\n</div>\n");

    /* Worst first, as the verdicts aggregate; a verdict nobody got is shown faded, not hidden. */
    sb_add(sb, "<ul class=\"counts\">");
    for (int v = V_COUNT - 1; v >= 0; v--) {
        const char *name = verdict_name((enum sp_verdict)v);
        sb_printf(sb, "<li%s><span class=\"v %s\">%s %d</span></li>", counts[v] ? "" : " class=\"zero\"",
                  name, name, counts[v]);
    }
    sb_add(sb, "</ul>\n");

    sb_printf(sb, "<nav class=\"grid\" aria-label=\"requirements\">");
    for (size_t i = 0; i < r->nresults; i++) {
        const struct req_result *rr = &r->results[i];
        const char *v = verdict_name(rr->verdict);
        sb_printf(sb, "<a class=\"cell %s\" href=\"#", v);
        req_anchor(sb, rr->req->id);
        sb_add(sb, "\" title=\"");
        report_xml_escape(sb, rr->req->id);
        sb_printf(sb, " %s: ", v);
        report_xml_escape(sb, lstr_get(&rr->req->title, r->opt.lang));
        sb_add(sb, "\">");
        report_xml_escape(sb, rr->req->id);
        sb_add(sb, "</a>");
    }
    sb_add(sb, "</nav>\n");
}

char *report_html_string(const struct run *r)
{
    struct strbuf sb;
    /* The page's language follows --lang; both languages are shown either way. */
    const char *lang = r->opt.lang && strcmp(r->opt.lang, "en") == 0 ? "en" : "ja";

    sb_init(&sb);
    sb_printf(&sb, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width\">\n<title>starprobe: ",
              lang);
    report_xml_escape(&sb, r->profile->id);
    sb_add(&sb, " — ");
    report_xml_escape(&sb, r->target.host);
    sb_printf(&sb, "</title>\n<style>%s</style>\n<style>%s</style></head><body>\n", css, css_print_details);
    sb_add(&sb, "<h1>");
    report_xml_escape(&sb, lstr_get(&r->profile->title, "en"));
    sb_add(&sb, " <span class=\"ja\">");
    report_xml_escape(&sb, lstr_get(&r->profile->title, "ja"));
    sb_add(&sb, "</span></h1>\n");
    summary_html(&sb, r);

    sb_add(&sb, "<h2>Requirements <span class=\"ja\">要求事項</span></h2>\n"
                "<table><thead><tr><th>ID</th><th>Requirement <span class=\"ja\">要求事項</span></th>"
                "<th>Verdict <span class=\"ja\">判定</span></th><th>Reason and evidence "
                "<span class=\"ja\">理由と根拠</span></th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < r->nresults; i++) {
        const struct req_result *rr = &r->results[i];
        sb_add(&sb, "<tr id=\"");
        req_anchor(&sb, rr->req->id);
        sb_add(&sb, "\"><td>");
        report_xml_escape(&sb, rr->req->id);
        sb_add(&sb, "</td><td>");
        report_xml_escape(&sb, lstr_get(&rr->req->title, "en"));
        sb_add(&sb, "<br><span class=\"ja\">");
        report_xml_escape(&sb, lstr_get(&rr->req->title, "ja"));
        sb_add(&sb, "</span>");
        if (rr->req->disabled) {
            sb_add(&sb, "<br><span class=\"ja\">disabled by the profile: ");
            report_xml_escape(&sb, rr->req->disabled);
            sb_add(&sb, "</span>");
        }
        sb_add(&sb, "</td><td>");
        badge(&sb, verdict_name(rr->verdict));
        sb_add(&sb, "</td><td>");
        /* The requirement's reason is usually its worst check's, shown below; say it once. */
        int said = 0;
        for (size_t j = 0; j < rr->nchecks && !said; j++)
            said = rr->reason && rr->checks[j].reason && strcmp(rr->reason, rr->checks[j].reason) == 0;
        if (rr->reason && rr->reason[0] && !said) {
            sb_add(&sb, "<div class=\"chk\">");
            report_xml_escape(&sb, rr->reason);
            sb_add(&sb, "</div>");
        }
        for (size_t j = 0; j < rr->nchecks; j++) {
            const struct check_result *c = &rr->checks[j];
            sb_add(&sb, "<div class=\"chk\"><code>");
            report_xml_escape(&sb, c->check ? c->check->probe->name : "?");
            sb_add(&sb, "</code> ");
            badge(&sb, verdict_name(c->verdict));
            sb_add(&sb, " ");
            report_xml_escape(&sb, c->reason);
            if (c->nev)
                evidence_html(&sb, c);
            sb_add(&sb, "</div>");
        }
        sb_add(&sb, "</td></tr>\n");
    }
    sb_add(&sb, "</tbody></table>\n");

    sb_printf(&sb, "<h2>Open services <span class=\"ja\">開いているサービス</span> (%zu)</h2>\n"
                   "<table><thead><tr><th>Port</th><th>Service <span class=\"ja\">サービス</span></th>"
                   "<th>Declared <span class=\"ja\">申告</span></th><th>Identified by <span "
                   "class=\"ja\">識別の根拠</span></th></tr></thead>\n<tbody>\n",
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
    sb_add(&sb, "</tbody></table>\n");
    sb_printf(&sb, "<p class=\"ja\">Scan: %ld TCP ports (%ld open, %ld closed, %ld filtered) in %lld ms; "
                   "%ld UDP ports (%ld answered, %ld closed, %ld silent).</p>\n",
              r->scan.tcp_ports, r->scan.tcp_open, r->scan.tcp_closed, r->scan.tcp_filtered,
              (long long)r->scan.tcp_ms, r->scan.udp_ports, r->scan.udp_open, r->scan.udp_closed,
              r->scan.udp_silent);

    int ncred = cJSON_GetArraySize(r->credentials);
    if (ncred > 0) {
        sb_add(&sb, "<h2>Default credentials found <span class=\"ja\">発見されたデフォルト認証情報"
                    "</span></h2>\n<table><thead><tr><th>Service</th><th>User</th><th>Password</th>"
                    "<th>Source</th></tr></thead>\n<tbody>\n");
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
        sb_add(&sb, "</tbody></table>\n");
    }
    sb_add(&sb, "</body></html>\n");
    return sb_steal(&sb);
}
