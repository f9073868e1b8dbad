/*
 * report.h - the writers. Each reads a finished run and writes one format;
 * none talks to the network. Every file is written atomically (temp file +
 * rename), so an interrupted run never leaves a half-written report.
 */
#ifndef SP_REPORT_H
#define SP_REPORT_H

#include <stdio.h>

#include "run.h"

/* The report as JSON text (docs/report.md). The caller frees. */
char *report_json_string(const struct run *r);
int report_json_write(const struct run *r, const char *path);

/* The human summary, in the run's language. */
char *report_text_string(const struct run *r);
int report_junit_write(const struct run *r, const char *path);

/* report.html: self-contained, bilingual, printable. */
char *report_html_string(const struct run *r);
int report_html_write(const struct run *r, const char *path);

/* Every format in opt.formats into outdir; on error a message in err. */
int report_write_all(const struct run *r, const char *outdir, char *err, size_t errlen);

/* Helpers the writers share (report.c). */
/* t as UTC ISO 8601, "2025-01-31T09:00:00Z". */
void report_iso_time(time_t t, char *buf, size_t len);
/* A run's length as a person reads it: "14.3 s". */
void report_duration(int64_t ms, char *buf, size_t len);
/*
 * Append s (NULL counts as empty) escaped for XML and HTML text and attribute
 * values: the five markup characters become entities, control characters other
 * than tab and newline are dropped, since XML 1.0 forbids them even escaped.
 */
void report_xml_escape(struct strbuf *sb, const char *s);

#endif
