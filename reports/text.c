/*
 * text.c - the summary a person reads on stdout (and summary.txt): the
 * overall verdict first, then one line per requirement with its reason,
 * then what is open on the device. Every line fits REPORT_TEXT_COLUMNS
 * terminal columns (a Japanese character takes two); longer text wraps at
 * spaces under its own column. Colour marks the verdicts only when asked
 * for (report_text_colour decides: a terminal, and no NO_COLOR); the file
 * never has it.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

/* The column where a requirement's title, reason and evidence begin: "  S1.1-01  FAIL ...". */
#define TEXT_COL 29
/* Lines one evidence item may take before it is cut with "…": the summary stays short. */
#define TEXT_EV_LINES 1
/* Evidence items named per FAIL check; the rest are counted. */
#define TEXT_EV_ITEMS 8

int report_text_colour_wanted(int tty, const char *no_color, const char *term)
{
    /* https://no-color.org: any non-empty NO_COLOR turns colour off, whatever else is set. */
    if (no_color && no_color[0])
        return 0;
    return tty && !(term && strcmp(term, "dumb") == 0);
}

int report_text_colour(int fd)
{
    return report_text_colour_wanted(isatty(fd), getenv("NO_COLOR"), getenv("TERM"));
}

/*
 * One character of s: its length in bytes, and in *cols the terminal
 * columns it takes. A byte that begins no valid UTF-8 sequence is one
 * character of length 1 (the caller replaces it). East Asian wide and
 * full-width characters take two columns, as terminals draw them.
 */
static size_t char_at(const unsigned char *s, int *cols, int *valid)
{
    unsigned long cp;
    size_t n = report_utf8_char((const char *)s, &cp);

    *cols = 1;
    *valid = n > 0;
    if (n == 0)
        return 1;
    if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp != 0x303f) ||
        (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
        (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd))
        *cols = 2;
    return n;
}

/*
 * s made safe for a terminal, in a new string the caller frees. A control
 * byte there is a terminal command (ESC [ 2 J clears the screen, OSC
 * sequences set titles or links), so every C0 control, DEL and the C1
 * controls in their UTF-8 form (U+0080 to U+009F, which some terminals obey
 * as ESC) become '?', and so does every byte that is not valid UTF-8.
 * Japanese text, valid UTF-8 above U+009F, is kept.
 */
static char *terminal_safe(const char *s)
{
    struct strbuf sb;
    const unsigned char *p = (const unsigned char *)(s ? s : "");

    sb_init(&sb);
    sb_add(&sb, "");
    while (*p) {
        int cols, valid;
        size_t n = char_at(p, &cols, &valid);
        if (!valid || *p < 0x20 || *p == 0x7f || (n == 2 && p[0] == 0xc2 && p[1] <= 0x9f))
            sb_add(&sb, n == 2 ? "??" : "?");
        else
            sb_addn(&sb, (const char *)p, n);
        p += n;
    }
    return sb_steal(&sb);
}

/* The columns s takes on a terminal (s is terminal_safe). */
static size_t text_cols(const char *s)
{
    size_t w = 0;
    int cols, valid;

    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        p += char_at(p, &cols, &valid);
        w += (size_t)cols;
    }
    return w;
}

/*
 * Append text, already terminal_safe, starting at column col of the current
 * line and wrapped at spaces so that no line passes REPORT_TEXT_COLUMNS;
 * each further line is indented to column indent. A word too long for a
 * line is broken inside. With maxlines, the last line allowed ends in "…"
 * when text goes on. Spaces between words are kept, except where a line
 * breaks; no line ends in a space. Ends with a newline.
 */
static void wrap(struct strbuf *sb, const char *text, size_t col, size_t indent, int maxlines)
{
    const unsigned char *p = (const unsigned char *)text;
    int lines = 1, cols, valid;
    size_t gap = 0; /* spaces before the next word, written only when it stays on this line */

    while (*p == ' ')
        p++;
    while (*p) {
        const unsigned char *w = p;
        size_t wcols = 0;
        while (*w && *w != ' ') {
            w += char_at(w, &cols, &valid);
            wcols += (size_t)cols;
        }
        /* The last line allowed keeps a column for its "…". */
        size_t limit = maxlines && lines == maxlines ? REPORT_TEXT_COLUMNS - 1 : REPORT_TEXT_COLUMNS;
        int whole = wcols <= REPORT_TEXT_COLUMNS - indent; /* fits on a line of its own */
        if (col + gap + wcols > limit && col > indent && (whole || col + gap + 1 > limit)) {
            if (maxlines && lines == maxlines) {
                sb_add(sb, "…");
                break;
            }
            sb_printf(sb, "\n%*s", (int)indent, "");
            col = indent;
            gap = 0;
            lines++;
            continue;
        }
        sb_printf(sb, "%*s", (int)gap, "");
        col += gap;
        gap = 0;
        /* The word, broken where it reaches the end of a line. */
        while (p < w) {
            size_t n = char_at(p, &cols, &valid);
            limit = maxlines && lines == maxlines ? REPORT_TEXT_COLUMNS - 1 : REPORT_TEXT_COLUMNS;
            if (col + (size_t)cols > limit) {
                if (maxlines && lines == maxlines) {
                    sb_add(sb, "…");
                    sb_add(sb, "\n");
                    return;
                }
                sb_printf(sb, "\n%*s", (int)indent, "");
                col = indent;
                lines++;
            }
            sb_addn(sb, (const char *)p, n);
            col += (size_t)cols;
            p += n;
        }
        while (*p == ' ') {
            gap++;
            p++;
        }
    }
    sb_add(sb, "\n");
}

/* wrap() for text that is not yet terminal_safe. */
static void wrap_raw(struct strbuf *sb, const char *raw, size_t col, size_t indent, int maxlines)
{
    char *s = terminal_safe(raw);

    wrap(sb, s, col, indent, maxlines);
    free(s);
}

/* The SGR colour of a verdict or overall verdict name, "" for none. */
static const char *colour_of(const char *name)
{
    static const char *const map[][2] = {
        {"FAIL", "\x1b[1;31m"},          {"NOT_CONFORMANT", "\x1b[1;31m"}, {"UNDECLARED", "\x1b[31m"},
        {"ERROR", "\x1b[1;35m"},         {"INCONCLUSIVE", "\x1b[33m"},     {"INCOMPLETE", "\x1b[1;33m"},
        {"EVIDENCE_REQUIRED", "\x1b[33m"}, {"PASS", "\x1b[32m"},           {"CONFORMANT", "\x1b[1;32m"},
        {"EVIDENCE_DECLARED", "\x1b[36m"}, {"NOT_APPLICABLE", "\x1b[2m"},
    };

    for (size_t i = 0; i < SP_ARRAY_LEN(map); i++)
        if (strcmp(map[i][0], name) == 0)
            return map[i][1];
    return "";
}

/* name padded to width columns, coloured when colour is on (the padding outside the colour). */
static void verdict_word(struct strbuf *sb, const char *name, int width, int colour)
{
    const char *on = colour ? colour_of(name) : "";

    sb_printf(sb, "%s%s%s%*s", on, name, on[0] ? "\x1b[0m" : "", width > (int)strlen(name) ?
              width - (int)strlen(name) : 0, "");
}

char *report_text_render(const struct run *r, int colour)
{
    struct strbuf sb, line;
    int counts[V_COUNT] = {0};
    const char *lang = r->opt.lang;
    int ja = lang && strcmp(lang, "ja") == 0;
    char dur[32];

    sb_init(&sb);
    sb_init(&line);
    sb_add(&line, "");
    for (size_t i = 0; i < r->nresults; i++)
        counts[r->results[i].verdict]++;
    sb_printf(&line, "starprobe %s — %s (%s, %s, %s)", STARPROBE_VERSION,
              lstr_get(&r->profile->title, lang), r->profile->id,
              r->profile->edition ? r->profile->edition : "-",
              r->profile->status ? r->profile->status : "provisional");
    wrap_raw(&sb, line.buf, 0, 4, 0);
    sb_free(&line);
    sb_printf(&line, "%s %s", ja ? "対象" : "target", r->target.host);
    if (strcmp(r->target.host, r->target.addrstr) != 0)
        sb_printf(&line, " (%s)", r->target.addrstr);
    if (r->device)
        sb_printf(&line, "  %s %s %s %s", ja ? "機器" : "device",
                  r->device->vendor ? r->device->vendor : "?",
                  r->device->model ? r->device->model : "?",
                  r->device->firmware ? r->device->firmware : "");
    report_duration(r->elapsed_ms, dur, sizeof(dur));
    sb_printf(&line, "  %s", dur);
    wrap_raw(&sb, line.buf, 0, 4, 0);
    sb_free(&line);

    sb_printf(&sb, "\n%s: ", ja ? "判定" : "verdict");
    verdict_word(&sb, overall_name(r->overall), 0, colour);
    sb_add(&sb, "  (");
    int first = 1;
    for (int v = V_COUNT - 1; v >= 0; v--)
        if (counts[v]) {
            sb_printf(&sb, "%s%d ", first ? "" : ", ", counts[v]);
            verdict_word(&sb, verdict_name((enum sp_verdict)v), 0, colour);
            first = 0;
        }
    sb_add(&sb, ")\n\n");
    for (size_t i = 0; i < r->nresults; i++) {
        const struct req_result *rr = &r->results[i];
        char *id = terminal_safe(rr->req->id);
        const char *vn = verdict_name(rr->verdict);
        size_t idw = text_cols(id), col = 2 + (idw > 8 ? idw : 8) + 1 + (strlen(vn) > 17 ? strlen(vn) : 17) + 1;
        sb_printf(&sb, "  %s%*s ", id, (int)(idw < 8 ? 8 - idw : 0), "");
        free(id);
        verdict_word(&sb, vn, 17, colour);
        sb_add(&sb, " ");
        wrap_raw(&sb, lstr_get(&rr->req->title, lang), col, TEXT_COL, 0);
        if (rr->reason && rr->reason[0]) {
            sb_printf(&sb, "%*s", TEXT_COL, "");
            wrap_raw(&sb, rr->reason, TEXT_COL, TEXT_COL, 0);
        }
        /* A FAIL names its evidence right here: the reader should not need the JSON. */
        for (size_t j = 0; rr->verdict == V_FAIL && j < rr->nchecks; j++) {
            const struct check_result *c = &rr->checks[j];
            size_t shown = 0, more = 0;
            if (c->verdict != V_FAIL)
                continue;
            for (size_t k = 0; k < c->nev; k++) {
                if (!c->ev[k].service)
                    continue;
                if (shown == TEXT_EV_ITEMS) {
                    more++;
                    continue;
                }
                char *item = xasprintf("%s: %s", c->ev[k].service, c->ev[k].detail ? c->ev[k].detail : "");
                sb_printf(&sb, "%*s- ", TEXT_COL, "");
                wrap_raw(&sb, item, TEXT_COL + 2, TEXT_COL + 2, TEXT_EV_LINES);
                free(item);
                shown++;
            }
            if (more)
                sb_printf(&sb, "%*s%s %zu %s (report.html, report.json)\n", TEXT_COL, "",
                          ja ? "ほか" : "and", more, ja ? "件" : "more");
        }
    }
    sb_printf(&sb, "\n%s (%zu):\n", ja ? "開いているサービス" : "open services", r->nservices);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        char label[32], *name = terminal_safe(s->name);
        const char *said = s->declared ? (ja ? "申告済" : "declared") : (ja ? "未申告" : "UNDECLARED");
        service_label(s, label, sizeof(label));
        sb_printf(&sb, "  %-10s %-8s ", label, name);
        free(name);
        if (colour && !s->declared)
            sb_printf(&sb, "%s%s\x1b[0m", colour_of("UNDECLARED"), said);
        else
            sb_add(&sb, said);
        /* Both words take 10 columns (a Japanese one 6, in 3 characters of 3 bytes). */
        size_t w = text_cols(said);
        sb_printf(&sb, "%*s ", (int)(w < 10 ? 10 - w : 0), "");
        wrap_raw(&sb, s->banner ? s->banner : (s->ident ? s->ident : ""), 34, 34, 1);
    }
    return sb_steal(&sb);
}

char *report_text_string(const struct run *r)
{
    return report_text_render(r, 0);
}
