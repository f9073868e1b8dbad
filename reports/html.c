/*
 * html.c - report.html: one self-contained, printable page a lab attaches to
 * its evaluation report. Bilingual: every title in Japanese and English.
 * No scripts, no external resources; every string from the device, the
 * declaration or the profile is escaped.
 *
 * The page reads top-down the way a reviewer works: a summary (device,
 * profile, the overall verdict as a star badge, counts, a grid with one cell
 * per requirement), the services inventory (TLS versions and flagged SSH
 * algorithms beside each) and a TLS version matrix, then one row per
 * requirement with its checks, their evidence folded and grouped, the
 * brute-force timing series as charts, and last the credentials found.
 * The labels come in the run's language (--lang) first and the other after.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char css[] =
    "body{font-family:'Noto Sans CJK JP','Noto Sans JP',system-ui,sans-serif;margin:2em;color:#222}"
    "h1{font-size:1.4em;margin-bottom:.2em}h2{font-size:1.1em;margin-top:1.6em}"
    "table{border-collapse:collapse;width:100%;font-size:.9em}"
    "th,td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}"
    "th{background:#f3f3f3}td:first-child{white-space:nowrap}.alt{color:#555;font-size:.9em}"
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
    ".overall .v .alt{display:block;font-size:.6em;color:inherit}"
    ".counts{list-style:none;padding:0;margin:.6em 0;display:flex;flex-wrap:wrap;gap:.4em}"
    ".counts li{white-space:nowrap}.counts .zero{opacity:.45}"
    ".grid{display:flex;flex-wrap:wrap;gap:3px;margin:.6em 0 0}"
    ".grid a{display:inline-block;min-width:4.6em;padding:.3em .2em;font-size:.75em;text-align:center;"
    "text-decoration:none;border-radius:3px;border:1px solid rgba(0,0,0,.2)}"
    ".chk{margin:.2em 0 .5em}details{margin:.2em 0 0 1em}summary{cursor:pointer;color:#345}"
    ".svc{margin:.3em 0}.more{margin-left:0}.grp>code{color:#345}"
    ".req td:nth-child(1),.req td:nth-child(3){width:1%;white-space:nowrap}.req td:nth-child(2){width:20%}"
    ".inv td:nth-child(5){min-width:12em}.inv td:last-child{width:30%}"
    ".chip{display:inline-block;font-size:.85em;padding:0 .3em;margin:0 .2em .1em 0;border-radius:3px}"
    ".chip.FAIL{font-weight:bold}.cmd{margin:.4em 0;font-size:.9em}"
    ".matrix td,.matrix th{text-align:center;white-space:nowrap}"
    ".matrix td:first-child,.matrix th:first-child{text-align:left}"
    ".matrix .no{color:#999}.inv,.matrix{width:auto;min-width:60%}"
    ".charts{display:flex;flex-wrap:wrap;gap:.8em;margin:.4em 0}"
    "figure{margin:0}figcaption{font-size:.8em;color:#333;max-width:360px}"
    "svg text{font-family:inherit;font-size:10px;fill:#333}"
    "@page{size:A4;margin:12mm 10mm}"
    "@media print{body{margin:0;font-size:9pt}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "li,.grid a,figure,.inv tr,.matrix tr,.meta tr,.chk>code:first-child{break-inside:avoid;page-break-inside:avoid}"
    "li.grp{break-inside:auto;page-break-inside:auto}tr.keep{break-inside:avoid;page-break-inside:avoid}"
    "h2{break-after:avoid;page-break-after:avoid}thead{display:table-header-group}"
    "code{font-size:.8em}"
    "details>*{display:block}summary{list-style:none}summary::-webkit-details-marker{display:none}}";

/*
 * A closed <details> hides its content from print in engines that render it
 * through ::details-content; that selector is its own rule, because a
 * browser that does not know it would drop every selector listed with it.
 */
static const char css_print_details[] =
    "@media print{details::details-content{content-visibility:visible;display:block}}";

/*
 * The page's own policy: no script runs and nothing is fetched, whatever a
 * device string might smuggle past the escaping. A browser reports anything
 * the policy blocks on its console, which is what tests/integration/report.sh
 * watches.
 */
static const char csp[] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/*
 * A label in both languages: the run's language first, the other after it,
 * quieter. Both are literals of this file, so they are not escaped.
 */
static void bi(struct strbuf *sb, int ja, const char *en, const char *jp)
{
    sb_printf(sb, "%s <span class=\"alt\">%s</span>", ja ? jp : en, ja ? en : jp);
}

/* A profile text in both languages (escaped), the other one only when the profile gives it. */
static void bi_lstr(struct strbuf *sb, int ja, const struct lstr *s)
{
    const char *first = lstr_get(s, ja ? "ja" : "en"), *second = lstr_get(s, ja ? "en" : "ja");

    report_xml_escape(sb, first);
    if (strcmp(first, second) != 0) {
        sb_add(sb, " <span class=\"alt\">");
        report_xml_escape(sb, second);
        sb_add(sb, "</span>");
    }
}

static void badge(struct strbuf *sb, const char *v)
{
    sb_printf(sb, "<span class=\"v %s\">%s</span>", v, v);
}

static void meta_row(struct strbuf *sb, int ja, const char *en, const char *jp, const char *val)
{
    sb_add(sb, "<tr><td>");
    bi(sb, ja, en, jp);
    sb_add(sb, "</td><td>");
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

/* Where a line goes on after its shared prefix and the one word that differs: a space or the end. */
static const char *after_varying(const char *d, size_t prefix)
{
    const char *p = d + prefix;

    while (*p == ' ')
        p++;
    while (*p && *p != ' ')
        p++;
    return p;
}

/* Whether hay has the n bytes of words (which begin with a space) followed by a space or its end. */
static int has_words(const char *hay, const char *words, size_t n)
{
    size_t len = strlen(hay);

    for (const char *p = hay; (p = memmem(p, len - (size_t)(p - hay), words, n)) != NULL; p++)
        if (p[n] == ' ' || p[n] == '\0')
            return 1;
    return 0;
}

/* n cut back to the start of the last word of words[0..n) (which begins with a space). */
static size_t drop_last_word(const char *words, size_t n)
{
    while (n > 0 && words[n - 1] != ' ')
        n--;
    return n > 0 ? n - 1 : 0;
}

/*
 * The words a group's lines share after the one that differs, as an offset
 * and length into its first line (tail, ntail). They are looked for
 * anywhere after the shared prefix, not at one position, because the
 * differing part may itself hold a space (an MQTT topic "retained
 * messages/count"): from the first line's words after its differing word,
 * the longest run every line has; when none, the same after one or two
 * more of its words.
 */
static void shared_tail(const struct evidence *ev, const size_t *order, struct report_ev_group *g,
                        const char *lead)
{
    const char *base = after_varying(lead, g->prefix);

    g->tail = g->ntail = 0;
    for (int skip = 0; skip < 3 && *base; skip++) {
        size_t n = strlen(base);
        for (size_t m = g->start + 1; m < g->start + g->n && n > 0; m++) {
            const char *d = ev[order[m]].detail ? ev[order[m]].detail : "";
            while (n > 0 && !has_words(d + g->prefix, base, n))
                n = drop_last_word(base, n);
        }
        if (n > 1) {
            /* base begins with the space before the words. */
            g->tail = (size_t)(base - lead) + 1;
            g->ntail = n - 1;
            return;
        }
        base = after_varying(base, 0);
    }
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
            shared_tail(ev, order, g, lead);
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

/* n bytes of s, escaped: a group's prefix and tail are device text too. */
static void escape_n(struct strbuf *sb, const char *s, size_t n)
{
    char *copy = xmalloc(n + 1);

    memcpy(copy, s, n);
    copy[n] = '\0';
    report_xml_escape(sb, copy);
    free(copy);
}

/*
 * How much of a group's shared tail its heading quotes: all of it up to
 * HEADING_WORDS words; a longer one is cut after its first word that ends in
 * ':' (where the common text usually turns into detail), or else after
 * HEADING_WORDS words.
 */
#define HEADING_WORDS 12

static size_t heading_tail(const char *t, size_t n)
{
    size_t words = 0, colon = 0, i = 0;

    while (i < n) {
        while (i < n && t[i] != ' ')
            i++;
        if (!colon && t[i - 1] == ':')
            colon = i;
        if (++words == HEADING_WORDS && i < n)
            return colon ? colon : i;
        while (i < n && t[i] == ' ')
            i++;
    }
    return n;
}

/*
 * A check's evidence, folded: one <details> per check, inside it the lines by
 * service, and a long group of similar lines shown as its count and what the
 * lines have in common ("32 lines like topic … open without credentials:"),
 * its first lines, and the rest folded once more. Nothing is dropped.
 */
static void evidence_html(struct strbuf *sb, int ja, const struct check_result *c)
{
    size_t *order = xcalloc(c->nev, sizeof(*order));
    struct report_ev_group *g = xcalloc(c->nev, sizeof(*g));
    size_t ng = report_ev_group(c->ev, c->nev, order, g), nsvc = 0;

    for (size_t i = 0; i < ng; i++)
        if (i == 0 || !same_service(g[i].service, g[i - 1].service))
            nsvc++;
    sb_add(sb, "<details><summary>");
    if (ja)
        sb_printf(sb, "根拠 <span class=\"alt\">Evidence</span>: %zu 行、%zu サービス", c->nev, nsvc);
    else
        sb_printf(sb, "Evidence <span class=\"alt\">根拠</span>: %zu line%s, %zu service%s", c->nev,
                  c->nev == 1 ? "" : "s", nsvc, nsvc == 1 ? "" : "s");
    sb_add(sb, "</summary>\n");
    for (size_t i = 0; i < ng; i++) {
        if (i == 0 || !same_service(g[i].service, g[i - 1].service)) {
            if (i > 0)
                sb_add(sb, "</ul></div>\n");
            sb_add(sb, "<div class=\"svc\"><b>");
            if (g[i].service)
                report_xml_escape(sb, g[i].service);
            else
                bi(sb, ja, "device", "機器全体");
            sb_add(sb, "</b><ul>");
        }
        const struct evidence *ev = c->ev;
        if (g[i].n < REPORT_EV_FOLD_AT) {
            for (size_t k = 0; k < g[i].n; k++)
                ev_line(sb, &ev[order[g[i].start + k]]);
            continue;
        }
        const char *first = ev[order[g[i].start]].detail ? ev[order[g[i].start]].detail : "";
        struct strbuf like;
        sb_init(&like);
        sb_add(&like, "<code>");
        escape_n(&like, first, g[i].prefix);
        sb_add(&like, " …");
        size_t ntail = heading_tail(first + g[i].tail, g[i].ntail);
        if (ntail) {
            sb_add(&like, " ");
            escape_n(&like, first + g[i].tail, ntail);
            if (first[g[i].tail + ntail])
                sb_add(&like, " …");
        }
        sb_add(&like, "</code>");
        if (ja)
            sb_printf(sb, "<li class=\"grp\">%s の形の <b>%zu</b> 行、先頭 %d 行 <span class=\"alt\">"
                          "%zu lines like this; the first %d</span>:<ul>",
                      like.buf, g[i].n, REPORT_EV_SHOW, g[i].n, REPORT_EV_SHOW);
        else
            sb_printf(sb, "<li class=\"grp\"><b>%zu</b> lines like %s; the first %d <span class=\"alt\">"
                          "この形の %zu 行、先頭 %d 行</span>:<ul>",
                      g[i].n, like.buf, REPORT_EV_SHOW, g[i].n, REPORT_EV_SHOW);
        sb_free(&like);
        for (size_t k = 0; k < REPORT_EV_SHOW; k++)
            ev_line(sb, &ev[order[g[i].start + k]]);
        sb_printf(sb, "</ul><details class=\"more\"><summary>");
        if (ja)
            sb_printf(sb, "残り %zu 行 <span class=\"alt\">%zu more</span>", g[i].n - REPORT_EV_SHOW,
                      g[i].n - REPORT_EV_SHOW);
        else
            sb_printf(sb, "%zu more <span class=\"alt\">残り %zu 行</span>", g[i].n - REPORT_EV_SHOW,
                      g[i].n - REPORT_EV_SHOW);
        sb_add(sb, "</summary><ul>");
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

/*
 * Whether a check of probe flagged flag on one service (cr_flag), in any
 * check of that probe: the TLS matrix marks exactly what the checks held
 * against the service, by the judge's own word, never by reading its prose.
 */
static int probe_flagged(const struct run *r, const char *probe, const char *label,
                         const char *flag)
{
    for (size_t i = 0; i < r->nresults; i++)
        for (size_t j = 0; j < r->results[i].nchecks; j++) {
            const struct check_result *c = &r->results[i].checks[j];
            if (!c->check || strcmp(c->check->probe->name, probe) != 0)
                continue;
            for (size_t k = 0; k < c->nev; k++)
                if (c->ev[k].service && strcmp(c->ev[k].service, label) == 0 && c->ev[k].flag &&
                    strcmp(c->ev[k].flag, flag) == 0)
                    return 1;
        }
    return 0;
}

/* A login answer's name (login_status_name) in the page's language; unknown names as they are. */
static const char *status_word(const char *st, int ja)
{
    static const char *const words[][2] = {
        {"accepted", "受理"}, {"rejected", "拒否"}, {"locked", "ロック"}, {"unconfirmed", "不明確"},
    };

    for (size_t i = 0; ja && i < SP_ARRAY_LEN(words); i++)
        if (strcmp(words[i][0], st) == 0)
            return words[i][1];
    return st;
}

/* The smallest 1, 2, 2.5 or 5 times a power of ten that is at least x (x > 0): an axis' top. */
static double nice_ceiling(double x)
{
    static const double steps[] = {1, 2, 2.5, 5, 10};
    double p = 1;

    while (p * 10 <= x)
        p *= 10;
    while (p > x)
        p /= 10;
    for (size_t i = 0; i < SP_ARRAY_LEN(steps); i++)
        if (steps[i] * p >= x)
            return steps[i] * p;
    return 10 * p;
}

/*
 * One brute-force series as a bar chart: a bar per wrong password (its
 * answer time), the right password's bar last, and the profile's throttling
 * threshold as a dashed line, so "no delay at all" is visible at a glance.
 */
#define BF_W 360
#define BF_H 106
#define BF_X0 48
#define BF_Y0 12
#define BF_PH 74

static void bf_chart(struct strbuf *sb, int ja, const char *label, const struct service *s,
                     const struct bruteforce_facts *bf, long threshold)
{
    const char *fin = bf->final, *user = bf->user;
    int n = (int)bf->nattempts;
    double top = threshold > 0 ? (double)threshold : 1.0;

    for (size_t i = 0; i < bf->nattempts; i++)
        if ((double)bf->attempts[i].ms > top)
            top = (double)bf->attempts[i].ms;
    if (n == 0)
        return;
    if (fin && (double)bf->final_ms > top)
        top = (double)bf->final_ms;
    top = nice_ceiling(top * 1.05);
    int slots = n + (fin ? 2 : 0), pw = BF_W - BF_X0 - 8;
    double bw = (double)pw / slots;

    sb_printf(sb, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" "
                  "height=\"%d\" viewBox=\"0 0 %d %d\"><title>%s: %d wrong passwords, answer time in ms"
                  "</title>", BF_W, BF_H, BF_W, BF_H, label, n);
    /* Axes: time up, attempts along. */
    sb_printf(sb, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", BF_X0, BF_Y0, BF_X0,
              BF_Y0 + BF_PH);
    sb_printf(sb, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", BF_X0, BF_Y0 + BF_PH,
              BF_X0 + pw, BF_Y0 + BF_PH);
    sb_printf(sb, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>", BF_X0 - 4, BF_Y0 + BF_PH + 3);
    sb_printf(sb, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0f ms</text>", BF_X0 - 4, BF_Y0 + 4,
              top);
    if (threshold > 0) {
        double y = BF_Y0 + BF_PH - (double)threshold / top * BF_PH;
        sb_printf(sb, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#c00\" "
                      "stroke-dasharray=\"4 3\"/>", BF_X0, y, BF_X0 + pw, y);
        sb_printf(sb, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" style=\"fill:#c00\">%s %ld ms</text>",
                  BF_X0 + pw, y - 3, ja ? "遅延のしきい値" : "throttling threshold", threshold);
    }
    for (int k = 0; k < n; k++) {
        const char *st = bf->attempts[k].status;
        double v = (double)bf->attempts[k].ms, h = v / top * BF_PH;
        /* A refused password is the expected answer; anything else (a lock, a timeout) stands out. */
        const char *fill = st && strcmp(st, "rejected") == 0 ? "#7a8fb3"
                           : st && strcmp(st, "locked") == 0 ? "#2a7a2a" : "#e0a030";
        sb_printf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%d: "
                      "%.0f ms ",
                  BF_X0 + k * bw + bw * .15, BF_Y0 + BF_PH - h, bw * .7, h < .5 ? .5 : h, fill, k + 1, v);
        report_xml_escape(sb, st ? st : "?");
        sb_add(sb, "</title></rect>");
    }
    sb_printf(sb, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">1</text>", BF_X0 + bw / 2,
              BF_Y0 + BF_PH + 12);
    sb_printf(sb, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>", BF_X0 + (n - .5) * bw,
              BF_Y0 + BF_PH + 12, n);
    if (fin) {
        double v = (double)bf->final_ms, h = v / top * BF_PH;
        double x = BF_X0 + (n + 1) * bw;
        sb_printf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                      "stroke=\"#222\" stroke-width=\"1.5\"><title>%.0f ms ",
                  x + bw * .15, BF_Y0 + BF_PH - h, bw * .7, h < .5 ? .5 : h, v);
        report_xml_escape(sb, fin);
        sb_add(sb, "</title></rect>");
    }
    sb_add(sb, "</svg><figcaption><b>");
    report_xml_escape(sb, label);
    sb_add(sb, "</b> ");
    report_xml_escape(sb, s->name);
    if (user) {
        sb_add(sb, ja ? " アカウント " : " as ");
        report_xml_escape(sb, user);
    }
    sb_printf(sb, ja ? ": 誤ったパスワード %d 回 (棒: 応答時間)、続いて正しいパスワード (枠): "
                     : ": %d wrong passwords (bars: answer time), then the right one (outlined): ", n);
    report_xml_escape(sb, fin ? status_word(fin, ja) : (ja ? "未試行" : "not tried"));
    sb_add(sb, "</figcaption></figure>");
}

/* Every brute-force series of the run, one chart per service, under the auth.bruteforce check. */
static void bf_charts(struct strbuf *sb, int ja, const struct run *r, const struct check *c)
{
    long threshold = check_param_int(c, "min_delay_ms", 2000);
    int any = 0;

    for (size_t i = 0; i < r->nservices; i++) {
        const struct bruteforce_facts *bf = r->services[i]->bruteforce;
        char label[32];
        if (!bf || bf->nattempts == 0)
            continue;
        if (!any)
            sb_add(sb, "<div class=\"charts\">");
        any = 1;
        service_label(r->services[i], label, sizeof(label));
        bf_chart(sb, ja, label, r->services[i], bf, threshold);
    }
    if (any)
        sb_add(sb, "</div>");
}

/* The versions the TLS matrix has columns for; DTLS columns only when a DTLS service was found. */
static const struct {
    const char *key;  /* as in services[].tls.results */
    const char *head;
    int dtls;
} tls_cols[] = {
    {"SSLv3", "SSL 3.0", 0},    {"TLSv1.0", "TLS 1.0", 0},   {"TLSv1.1", "TLS 1.1", 0},
    {"TLSv1.2", "TLS 1.2", 0},  {"TLSv1.3", "TLS 1.3", 0},   {"DTLSv1.0", "DTLS 1.0", 1},
    {"DTLSv1.2", "DTLS 1.2", 1},
};

/* Whether tls.versions held version v against the service (it is forbidden and was accepted). */
static int tls_flagged(const struct run *r, const char *label, const char *v)
{
    return probe_flagged(r, "tls.versions", label, v);
}

/* Services rows, protocol versions columns: what each accepted, refused, or left undecided. */
static void tls_matrix(struct strbuf *sb, int ja, const struct run *r)
{
    int ntls = 0, dtls = 0;

    for (size_t i = 0; i < r->nservices; i++) {
        const struct tls_facts *t = r->services[i]->tls;
        if (!t)
            continue;
        ntls++;
        dtls |= t->protocol == TLS_PROTOCOL_DTLS;
    }
    if (!ntls)
        return;
    sb_add(sb, "<h2>");
    bi(sb, ja, "TLS versions", "TLS バージョン");
    sb_add(sb, "</h2>\n<table class=\"matrix\"><thead><tr><th>");
    bi(sb, ja, "Service", "サービス");
    sb_add(sb, "</th>");
    for (size_t k = 0; k < SP_ARRAY_LEN(tls_cols); k++)
        if (!tls_cols[k].dtls || dtls)
            sb_printf(sb, "<th>%s</th>", tls_cols[k].head);
    sb_add(sb, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        const struct tls_facts *t = s->tls;
        char label[32];
        if (!t)
            continue;
        service_label(s, label, sizeof(label));
        sb_printf(sb, "<tr><td>%s ", label);
        report_xml_escape(sb, s->name);
        sb_add(sb, "</td>");
        for (size_t k = 0; k < SP_ARRAY_LEN(tls_cols); k++) {
            if (tls_cols[k].dtls && !dtls)
                continue;
            const struct tls_version_result *rv = tls_facts_result(t, tls_cols[k].key);
            if (!rv || rv->result == TLS_OUTCOME_NONE) {
                sb_add(sb, "<td></td>");
                continue;
            }
            sb_add(sb, "<td title=\"");
            report_xml_escape(sb, rv->detail);
            if (rv->result == TLS_OUTCOME_ACCEPTED && tls_flagged(r, label, tls_cols[k].key))
                sb_printf(sb, "\"><span class=\"chip FAIL\">%s</span></td>", ja ? "受理 ✗" : "accepted ✗");
            else if (rv->result == TLS_OUTCOME_ACCEPTED)
                sb_printf(sb, "\"><span class=\"chip PASS\">%s</span></td>", ja ? "受理" : "accepted");
            else if (rv->result == TLS_OUTCOME_REFUSED)
                sb_printf(sb, "\" class=\"no\">%s</td>", ja ? "拒否" : "refused");
            else
                sb_printf(sb, "\"><span class=\"chip INCONCLUSIVE\">%s</span></td>", ja ? "未確定" : "undecided");
        }
        sb_add(sb, "</tr>\n");
    }
    sb_add(sb, "</tbody></table>\n<p class=\"alt\">");
    if (ja)
        sb_add(sb, "✗: プロファイルが禁止するバージョンを受理 (tls.versions)。<span class=\"alt\">✗: accepted, "
                   "and forbidden by the profile (tls.versions).</span>");
    else
        sb_add(sb, "✗: accepted, and forbidden by the profile (tls.versions). <span class=\"alt\">✗: "
                   "プロファイルが禁止するバージョンを受理。</span>");
    sb_add(sb, "</p>\n");
}

/* The inventory's TLS cell: the versions accepted, the forbidden ones marked. */
static void inv_tls(struct strbuf *sb, const struct run *r, const struct service *s, const char *label)
{
    for (size_t i = 0; s->tls && i < s->tls->versions.n; i++) {
        const char *name = s->tls->versions.v[i];
        sb_printf(sb, "<span class=\"chip %s\">", tls_flagged(r, label, name) ? "FAIL" : "PASS");
        report_xml_escape(sb, name);
        sb_add(sb, "</span>");
    }
}

/* The inventory's SSH cell: what ssh.algorithms flagged on the service, forbidden first-class. */
static void inv_ssh(struct strbuf *sb, int ja, const struct run *r, const struct service *s,
                    const char *label)
{
    static const struct {
        const char *prefix; /* of the ssh.algorithms evidence line */
        const char *cls;
    } kinds[] = {{"offers forbidden ", "FAIL"}, {"finding (reported, not failed): ", "INCONCLUSIVE"}};
    int any = 0;

    if (!s->ssh)
        return;
    for (size_t i = 0; i < r->nresults; i++)
        for (size_t j = 0; j < r->results[i].nchecks; j++) {
            const struct check_result *c = &r->results[i].checks[j];
            if (!c->check || strcmp(c->check->probe->name, "ssh.algorithms") != 0)
                continue;
            for (size_t e = 0; e < c->nev; e++) {
                if (!c->ev[e].service || strcmp(c->ev[e].service, label) != 0 || !c->ev[e].detail)
                    continue;
                for (size_t k = 0; k < SP_ARRAY_LEN(kinds); k++) {
                    size_t n = strlen(kinds[k].prefix);
                    if (strncmp(c->ev[e].detail, kinds[k].prefix, n) != 0)
                        continue;
                    sb_printf(sb, "<span class=\"chip %s\">", kinds[k].cls);
                    report_xml_escape(sb, c->ev[e].detail + n);
                    sb_add(sb, "</span> ");
                    any = 1;
                }
            }
        }
    if (!any)
        sb_printf(sb, "<span class=\"chip PASS\">%s</span>", ja ? "指摘なし" : "none flagged");
}

/* Port, service, declared or not, TLS versions, SSH algorithms flagged, and what identified it. */
static void inventory_html(struct strbuf *sb, int ja, const struct run *r)
{
    sb_add(sb, "<h2>");
    bi(sb, ja, "Open services", "開いているサービス");
    sb_printf(sb, " (%zu)</h2>\n<table class=\"inv\"><thead><tr><th>", r->nservices);
    bi(sb, ja, "Port", "ポート");
    sb_add(sb, "</th><th>");
    bi(sb, ja, "Service", "サービス");
    sb_add(sb, "</th><th>");
    bi(sb, ja, "Declared", "申告");
    sb_add(sb, "</th><th>");
    bi(sb, ja, "TLS versions", "TLS バージョン");
    sb_add(sb, "</th><th>");
    bi(sb, ja, "SSH algorithms flagged", "SSH アルゴリズムの指摘");
    sb_add(sb, "</th><th>");
    bi(sb, ja, "Identified by", "識別の根拠");
    sb_add(sb, "</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        char label[32];
        service_label(s, label, sizeof(label));
        sb_printf(sb, "<tr><td>%s</td><td>", label);
        report_xml_escape(sb, s->name);
        sb_add(sb, "</td><td>");
        if (s->declared)
            report_xml_escape(sb, s->decl ? s->decl->service : "yes");
        else
            badge(sb, "UNDECLARED");
        sb_add(sb, "</td><td>");
        inv_tls(sb, r, s, label);
        sb_add(sb, "</td><td>");
        inv_ssh(sb, ja, r, s, label);
        sb_add(sb, "</td><td><code>");
        report_xml_escape(sb, s->ident ? s->ident : (s->banner ? s->banner : ""));
        sb_add(sb, "</code></td></tr>\n");
    }
    sb_add(sb, "</tbody></table>\n<p class=\"alt\">");
    sb_printf(sb, ja ? "スキャン: TCP %ld ポート (開 %ld、閉 %ld、応答なし %ld)、%lld ms; UDP %ld ポート (応答 %ld、"
                       "閉 %ld、無応答 %ld)。"
                     : "Scan: %ld TCP ports (%ld open, %ld closed, %ld filtered) in %lld ms; %ld UDP ports "
                       "(%ld answered, %ld closed, %ld silent).",
              r->scan.tcp_ports, r->scan.tcp_open, r->scan.tcp_closed, r->scan.tcp_filtered,
              (long long)r->scan.tcp_ms, r->scan.udp_ports, r->scan.udp_open, r->scan.udp_closed,
              r->scan.udp_silent);
    sb_add(sb, "</p>\n");
}

/* The id attribute of a requirement's row, which the grid links to. */
static void req_anchor(struct strbuf *sb, const char *id)
{
    sb_add(sb, "req-");
    report_xml_escape(sb, id);
}

/* One word of a shell command line, quoted when the shell would read it otherwise. */
static void shell_word(struct strbuf *sb, const char *w)
{
    int plain = w[0] != '\0';

    for (const char *c = w; *c && plain; c++)
        plain = strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:=@%+,-", *c) != NULL;
    sb_add(sb, " ");
    if (plain) {
        sb_add(sb, w);
        return;
    }
    sb_add(sb, "'");
    for (const char *c = w; *c; c++) {
        if (*c == '\'')
            sb_add(sb, "'\\''");
        else
            sb_addn(sb, c, 1);
    }
    sb_add(sb, "'");
}

/*
 * The command that repeats this run, rebuilt from its options: every option
 * that changes what is tried or written, in one canonical order, so two
 * reports' commands compare word by word.
 */
static char *command_line(const struct run *r)
{
    const struct run_opts *o = &r->opt;
    static const struct {
        unsigned flag;
        const char *name;
    } fmts[] = {{FMT_JSON, "json"}, {FMT_HTML, "html"}, {FMT_JUNIT, "junit"}, {FMT_TEXT, "text"}};
    struct strbuf sb, f;
    char num[16];

    sb_init(&sb);
    sb_add(&sb, "starprobe assess -p");
    shell_word(&sb, o->profile ? o->profile : r->profile->id);
    sb_add(&sb, " -t");
    shell_word(&sb, o->target ? o->target : r->target.host);
    if (o->device) {
        sb_add(&sb, " -d");
        shell_word(&sb, o->device);
    }
    if (o->outdir) {
        sb_add(&sb, " -o");
        shell_word(&sb, o->outdir);
    }
    sb_init(&f);
    sb_add(&f, "");
    for (size_t i = 0; i < SP_ARRAY_LEN(fmts); i++)
        if (o->formats & fmts[i].flag)
            sb_printf(&f, "%s%s", f.len ? "," : "", fmts[i].name);
    sb_printf(&sb, " -f %s%s --jobs", f.buf, o->intrusive ? " --intrusive" : "");
    sb_free(&f);
    snprintf(num, sizeof(num), "%d", o->jobs);
    shell_word(&sb, num);
    sb_add(&sb, " --deadline");
    snprintf(num, sizeof(num), "%d", o->deadline_s);
    shell_word(&sb, num);
    sb_add(&sb, " --lang");
    shell_word(&sb, o->lang && strcmp(o->lang, "ja") == 0 ? "ja" : "en");
    for (size_t i = 0; i < o->nallow; i++) {
        sb_add(&sb, " --allow-host");
        shell_word(&sb, o->allow_hosts[i]);
    }
    return sb_steal(&sb);
}

/* The top of the page: what was assessed against what, and the verdict at a glance. */
static void summary_html(struct strbuf *sb, int ja, const struct run *r)
{
    const struct profile *p = r->profile;
    int counts[V_COUNT] = {0};
    char when[32], dur[32];
    const char *ov = overall_name(r->overall);

    for (size_t i = 0; i < r->nresults; i++)
        counts[r->results[i].verdict]++;
    report_iso_time(r->started, when, sizeof(when));
    report_duration(r->elapsed_ms, dur, sizeof(dur));

    sb_printf(sb, "<div class=\"summary\">\n<div class=\"overall\"><span class=\"v %s\">★%ld %s "
                  "<span class=\"alt\">%s</span></span></div>\n<table class=\"meta\" style=\"width:auto\">\n",
              ov, p->level, ov, report_verdict_ja(ov));
    if (r->device) {
        char *dev = xasprintf("%s %s, %s %s", r->device->vendor ? r->device->vendor : "?",
                              r->device->model ? r->device->model : "?", ja ? "ファームウェア" : "firmware",
                              r->device->firmware ? r->device->firmware : "?");
        meta_row(sb, ja, "Device", "機器", dev);
        free(dev);
    } else {
        meta_row(sb, ja, "Device", "機器",
                 ja ? "申告なし (開いているサービスはすべて未申告)"
                    : "no declaration given (every open service is undeclared)");
    }
    meta_row(sb, ja, "Target", "対象", r->target.host);
    meta_row(sb, ja, "Address", "アドレス", r->target.addrstr);
    /* Anything but an official profile rests on reconstructed criteria, so it says so loudly. */
    int provisional = !p->status || strcmp(p->status, "official") != 0;
    sb_add(sb, "<tr><td>");
    bi(sb, ja, "Profile", "プロファイル");
    sb_add(sb, "</td><td>");
    report_xml_escape(sb, p->id);
    sb_printf(sb, ", level %ld, edition ", p->level);
    report_xml_escape(sb, p->edition ? p->edition : "-");
    sb_add(sb, " ");
    if (provisional) {
        sb_add(sb, "<span class=\"v provisional\">");
        report_xml_escape(sb, p->status ? p->status : "provisional");
        sb_add(sb, " <span class=\"alt\">暫定</span></span>");
    } else {
        sb_add(sb, "(");
        report_xml_escape(sb, p->status);
        sb_add(sb, ")");
    }
    sb_add(sb, "</td></tr>\n");
    meta_row(sb, ja, "Started", "開始", when);
    char *how = xasprintf("%s, --jobs %d, --deadline %d s%s", dur, r->opt.jobs, r->opt.deadline_s,
                          r->opt.intrusive ? ", --intrusive" : "");
    meta_row(sb, ja, "Duration", "所要時間", how);
    free(how);
    meta_row(sb, ja, "Tool", "ツール", "starprobe " STARPROBE_VERSION " (" STARPROBE_REPORT_SCHEMA ")");
    sb_add(sb, "</table>\n</div>\n");
    /* Long (paths), so below the table rather than in it. */
    char *cmd = command_line(r);
    sb_add(sb, "<p class=\"cmd\">");
    bi(sb, ja, "Command", "コマンド");
    sb_add(sb, ": <code>");
    report_xml_escape(sb, cmd);
    sb_add(sb, "</code></p>\n");
    free(cmd);

    /* Worst first, as the verdicts aggregate; a verdict nobody got is shown faded, not hidden. */
    sb_add(sb, "<ul class=\"counts\">");
    for (int v = V_COUNT - 1; v >= 0; v--) {
        const char *name = verdict_name((enum sp_verdict)v);
        sb_printf(sb, "<li%s><span class=\"v %s\">%s %d <span class=\"alt\">%s</span></span></li>",
                  counts[v] ? "" : " class=\"zero\"", name, name, counts[v], report_verdict_ja(name));
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

/* Lines (a check's heading counts two) up to which a requirement's row is not split across pages. */
#define KEEP_ROW_LINES 24

static void requirements_html(struct strbuf *sb, int ja, const struct run *r)
{
    sb_add(sb, "<h2>");
    bi(sb, ja, "Requirements", "要求事項");
    sb_add(sb, "</h2>\n<table class=\"req\"><thead><tr><th>ID</th><th>");
    bi(sb, ja, "Requirement", "要求事項");
    sb_add(sb, "</th><th>");
    bi(sb, ja, "Verdict", "判定");
    sb_add(sb, "</th><th>");
    bi(sb, ja, "Reason and evidence", "理由と根拠");
    sb_add(sb, "</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < r->nresults; i++) {
        const struct req_result *rr = &r->results[i];
        /*
         * A row short enough to fit a page is kept whole in print; a longer one
         * may break between its lines, or it would leave most of a page blank.
         */
        size_t lines = 0;
        for (size_t j = 0; j < rr->nchecks; j++)
            lines += 2 + rr->checks[j].nev;
        sb_add(sb, "<tr id=\"");
        req_anchor(sb, rr->req->id);
        sb_printf(sb, "\"%s><td>", lines <= KEEP_ROW_LINES ? " class=\"keep\"" : "");
        report_xml_escape(sb, rr->req->id);
        sb_add(sb, "</td><td>");
        bi_lstr(sb, ja, &rr->req->title);
        if (rr->req->disabled) {
            sb_add(sb, "<br><span class=\"alt\">");
            sb_add(sb, ja ? "プロファイルで無効: " : "disabled by the profile: ");
            report_xml_escape(sb, rr->req->disabled);
            sb_add(sb, "</span>");
        }
        sb_add(sb, "</td><td>");
        badge(sb, verdict_name(rr->verdict));
        sb_add(sb, "</td><td>");
        /* The requirement's reason is usually its worst check's, shown below; say it once. */
        int said = 0;
        for (size_t j = 0; j < rr->nchecks && !said; j++)
            said = rr->reason && rr->checks[j].reason && strcmp(rr->reason, rr->checks[j].reason) == 0;
        if (rr->reason && rr->reason[0] && !said) {
            sb_add(sb, "<div class=\"chk\">");
            report_xml_escape(sb, rr->reason);
            sb_add(sb, "</div>");
        }
        for (size_t j = 0; j < rr->nchecks; j++) {
            const struct check_result *c = &rr->checks[j];
            sb_add(sb, "<div class=\"chk\"><code>");
            report_xml_escape(sb, c->check ? c->check->probe->name : "?");
            sb_add(sb, "</code> ");
            badge(sb, verdict_name(c->verdict));
            sb_add(sb, " ");
            report_xml_escape(sb, c->reason);
            if (c->check && strcmp(c->check->probe->name, "auth.bruteforce") == 0)
                bf_charts(sb, ja, r, c->check);
            if (c->nev)
                evidence_html(sb, ja, c);
            sb_add(sb, "</div>");
        }
        sb_add(sb, "</td></tr>\n");
    }
    sb_add(sb, "</tbody></table>\n");
}

static void credentials_html(struct strbuf *sb, int ja, const struct run *r)
{
    if (r->ncreds == 0)
        return;
    sb_add(sb, "<h2>");
    bi(sb, ja, "Default credentials found", "発見されたデフォルト認証情報");
    sb_add(sb, "</h2>\n<table class=\"inv\"><thead><tr><th>");
    bi(sb, ja, "Service", "サービス");
    sb_add(sb, "</th><th>");
    bi(sb, ja, "User", "ユーザー");
    sb_add(sb, "</th><th>");
    bi(sb, ja, "Password", "パスワード");
    sb_add(sb, "</th><th>");
    bi(sb, ja, "Source", "出典");
    sb_add(sb, "</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < r->ncreds; i++) {
        const struct credential_facts *c = &r->creds[i];
        const char *cells[] = {c->service, c->user, c->password, c->source};
        sb_add(sb, "<tr>");
        for (size_t k = 0; k < SP_ARRAY_LEN(cells); k++) {
            sb_add(sb, "<td><code>");
            report_xml_escape(sb, cells[k] ? cells[k] : "");
            sb_add(sb, "</code></td>");
        }
        sb_add(sb, "</tr>\n");
    }
    sb_add(sb, "</tbody></table>\n");
}

char *report_html_string(const struct run *r)
{
    struct strbuf sb;
    /* The page's language follows --lang: its labels in that language first, the other after. */
    int ja = r->opt.lang && strcmp(r->opt.lang, "ja") == 0;

    sb_init(&sb);
    sb_printf(&sb, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width\">\n<title>starprobe: ",
              ja ? "ja" : "en", csp);
    report_xml_escape(&sb, r->profile->id);
    sb_add(&sb, " — ");
    report_xml_escape(&sb, r->target.host);
    sb_printf(&sb, "</title>\n<style>%s</style>\n<style>%s</style></head><body>\n", css, css_print_details);
    sb_add(&sb, "<h1>");
    bi_lstr(&sb, ja, &r->profile->title);
    sb_add(&sb, "</h1>\n");
    summary_html(&sb, ja, r);
    inventory_html(&sb, ja, r);
    tls_matrix(&sb, ja, r);
    requirements_html(&sb, ja, r);
    credentials_html(&sb, ja, r);
    sb_add(&sb, "</body></html>\n");
    return sb_steal(&sb);
}
