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

void report_xml_escape(struct strbuf *sb, const char *s)
{
    for (; s && *s; s++) {
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
