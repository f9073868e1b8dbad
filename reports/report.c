/*
 * report.c - what the writers share: the time and duration formats every
 * human-facing report prints the same way, and the escaping that keeps
 * device and declaration strings from becoming markup in junit.xml and
 * report.html. Owns no state; each writer file keeps only its own rendering.
 */
#include <stdio.h>
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
