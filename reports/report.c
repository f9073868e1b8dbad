/*
 * report.c - the table of writers (one row per format: its -f flag, its file
 * name, its render function) and report_write_all, which walks it and writes
 * each selected format atomically. Also what the writers share: the time and
 * duration formats every report prints the same way, and the escaping that
 * keeps device and declaration strings from becoming markup in junit.xml and
 * report.html. Each writer file keeps only its own rendering.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

void report_iso_time(time_t t, char *buf, size_t len)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void report_duration(int64_t ms, char *buf, size_t len)
{
    /* One decimal: a person compares runs in tenths of a second, not milliseconds. */
    snprintf(buf, len, "%.1f s", (double)ms / 1000.0);
}

const char *report_verdict_ja(const char *name)
{
    static const char *const names[][2] = {
        {"PASS", "適合"},
        {"FAIL", "不適合"},
        {"ERROR", "エラー"},
        {"INCONCLUSIVE", "判定不能"},
        {"EVIDENCE_REQUIRED", "証跡が必要"},
        {"EVIDENCE_DECLARED", "証跡申告あり"},
        {"NOT_APPLICABLE", "対象外"},
        {"CONFORMANT", "適合"},
        {"NOT_CONFORMANT", "不適合"},
        {"INCOMPLETE", "未完了"},
    };

    for (size_t i = 0; name && i < SP_ARRAY_LEN(names); i++)
        if (strcmp(names[i][0], name) == 0)
            return names[i][1];
    return "";
}

size_t report_utf8_char(const char *s, unsigned long *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned long c;
    size_t n;

    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        n = 2, c = p[0] & 0x1f;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        n = 3, c = p[0] & 0x0f;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        n = 4, c = p[0] & 0x07;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (p[i] & 0x3f);
    }
    /* Overlong forms, surrogates and code points past U+10FFFF are not characters. */
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

char *report_utf8_valid(char *text)
{
    struct strbuf sb;
    unsigned long cp;
    size_t n;

    if (!text)
        return NULL;
    for (const char *p = text; *p; p += n)
        if ((n = report_utf8_char(p, &cp)) == 0) {
            /* Rare: only text that reached the run unchecked; copy it with replacements. */
            sb_init(&sb);
            sb_add(&sb, "");
            for (p = text; *p; p += n) {
                n = report_utf8_char(p, &cp);
                if (n)
                    sb_addn(&sb, p, n);
                else
                    sb_add(&sb, "\xef\xbf\xbd"), n = 1;
            }
            free(text);
            return sb_steal(&sb);
        }
    return text;
}

void report_xml_escape(struct strbuf *sb, const char *s)
{
    unsigned long cp;

    for (; s && *s; s++) {
        if ((unsigned char)*s >= 0x80) {
            /* A valid character is copied whole; a byte that begins none becomes U+FFFD. */
            size_t n = report_utf8_char(s, &cp);
            if (n == 0) {
                sb_add(sb, "\xef\xbf\xbd");
            } else {
                sb_addn(sb, s, n);
                s += n - 1;
            }
            continue;
        }
        switch (*s) {
        case '<': sb_add(sb, "&lt;"); break;
        case '>': sb_add(sb, "&gt;"); break;
        case '&': sb_add(sb, "&amp;"); break;
        case '"': sb_add(sb, "&quot;"); break;
        case '\'': sb_add(sb, "&#39;"); break;
        default:
            /* XML 1.0 forbids most control characters even escaped. */
            if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
                sb_addn(sb, s, 1);
        }
    }
}

/*
 * The writers, in the order they are written. Adding a format is a render
 * function in its own file and a row here; report_write_all never names one.
 */
const struct report_writer report_writers[] = {
    {FMT_JSON, "report.json", report_json_string},
    {FMT_JUNIT, "junit.xml", report_junit_string},
    {FMT_HTML, "report.html", report_html_string},
    {FMT_TEXT, "summary.txt", report_text_string},
    {0, NULL, NULL},
};

int report_write_all(const struct run *r, const char *outdir, char *err, size_t errlen)
{
    if (sp_mkdirs(outdir) != 0) {
        snprintf(err, errlen, "cannot create the report directory %s", outdir);
        return SP_ERR_IO;
    }
    for (const struct report_writer *w = report_writers; w->render; w++) {
        if (!(r->opt.formats & w->format))
            continue;
        char *path = xasprintf("%s/%s", outdir, w->file);
        char *text = w->render(r);
        int rc = text ? sp_write_atomic(path, text, strlen(text)) : SP_ERR_NOMEM;

        free(text);
        if (rc != 0) {
            /* Stop at the first failure: a full disk fails the rest too, and the message names one file. */
            snprintf(err, errlen, "cannot write %s", path);
            free(path);
            return rc;
        }
        free(path);
    }
    return 0;
}
