/*
 * report.h - the report writers (docs/design.md §5). A writer renders a
 * finished run into the bytes of one file and does nothing else: none talks
 * to the network or reads anything but the run. report.c owns the table of
 * writers, the writing itself (each file atomically: temp file + rename, so
 * an interrupted run never leaves a half-written report) and the helpers the
 * writers share; each writer file owns only its own rendering.
 */
#ifndef SP_REPORT_H
#define SP_REPORT_H

#include <stdio.h>

#include "run.h"

/*
 * One output format. The table lists every format once, so writing the
 * reports, and a test, walk it instead of naming formats one by one.
 */
struct report_writer {
    /* The flag in run_opts.formats (-f) that selects this format. */
    enum report_format format;
    /* The file's name inside the output directory: "report.json". */
    const char *file;
    /* The whole file's bytes, NUL-terminated; NULL when out of memory. The caller frees. */
    char *(*render)(const struct run *r);
};

/* Every format, in the order report_write_all writes them; ends with a NULL render. */
extern const struct report_writer report_writers[];

/* Every format in opt.formats into outdir; on error a message naming the file in err. */
int report_write_all(const struct run *r, const char *outdir, char *err, size_t errlen);

/* report.json (json.c; keys in docs/report.md), ending in a newline. */
char *report_json_string(const struct run *r);
/* junit.xml (junit.c): one testcase per requirement. */
char *report_junit_string(const struct run *r);
/* report.html (html.c): self-contained, bilingual, printable. */
char *report_html_string(const struct run *r);
/* summary.txt (text.c), in the run's language, without colour. */
char *report_text_string(const struct run *r);
/* The same summary, with the verdicts in colour when colour is set: what assess prints. */
char *report_text_render(const struct run *r, int colour);
/* The widest line of the text summary, in terminal columns (a CJK character takes two). */
#define REPORT_TEXT_COLUMNS 100
/*
 * Whether to colour the summary on fd: a terminal (not TERM=dumb) and no
 * non-empty NO_COLOR (https://no-color.org). report_text_colour_wanted is
 * the rule itself, for tests: tty is isatty(fd), the others the variables.
 */
int report_text_colour(int fd);
int report_text_colour_wanted(int tty, const char *no_color, const char *term);

/*
 * How report.html folds a check's evidence (html.c), apart so a test can count
 * it. The lines are grouped by service, services in the order they first
 * appear; inside a service, the lines that begin with the same word (up to the
 * first space) form one group, in the order they came. A probe writes one line
 * per topic, path or cipher suite, so a group is a run of lines that differ
 * only after their first word, such as 58 MQTT "topic $SYS/..." lines. A group
 * of REPORT_EV_FOLD_AT lines or more shows its first REPORT_EV_SHOW and folds
 * the rest; no line is dropped.
 */
#define REPORT_EV_SHOW 5
#define REPORT_EV_FOLD_AT 7

struct report_ev_group {
    const char *service; /* NULL: evidence about the device as a whole */
    size_t start;        /* the group's first line is ev[order[start]] */
    size_t n;            /* lines in the group */
    size_t prefix;       /* bytes of the whole words every line of the group begins with */
    /*
     * What the lines say after the word that differs between them (a topic,
     * a path): the whole words every line has there, as an offset and a
     * length into the group's first line; ntail is 0 when they share none.
     * "topic a/b open without credentials: ..." gives "open without
     * credentials:" when every topic line goes on that way.
     */
    size_t tail, ntail;
};

/*
 * Group nev evidence lines: order (nev entries) receives every line index
 * once, group by group; groups (room for nev) the groups. Returns their number.
 */
size_t report_ev_group(const struct evidence *ev, size_t nev, size_t *order,
                       struct report_ev_group *groups);

/* Helpers the writers share (report.c). */
/*
 * The length of the UTF-8 character s begins with (1 to 4, an ASCII byte is
 * 1), its code point in *cp; 0 when the bytes there are no valid character
 * (a stray or missing continuation byte, an overlong form, a surrogate).
 */
size_t report_utf8_char(const char *s, unsigned long *cp);
/*
 * text (which the function owns) as valid UTF-8: itself when it is, else a
 * copy with every byte that begins no character replaced by U+FFFD, text
 * freed. For report.json, whose strings cJSON copies byte for byte.
 */
char *report_utf8_valid(char *text);
/* A verdict's or an overall verdict's name in Japanese ("FAIL" -> "不適合"); "" for an unknown name. */
const char *report_verdict_ja(const char *name);
/* t as UTC ISO 8601, "2025-01-31T09:00:00Z". */
void report_iso_time(time_t t, char *buf, size_t len);
/* A run's length as a person reads it: "14.3 s". */
void report_duration(int64_t ms, char *buf, size_t len);
/*
 * Append s (NULL counts as empty) escaped for XML and HTML text and attribute
 * values: the five markup characters become entities, control characters other
 * than tab and newline are dropped, since XML 1.0 forbids them even escaped,
 * and a byte that begins no valid UTF-8 character becomes U+FFFD, since a
 * document declared UTF-8 must be UTF-8.
 */
void report_xml_escape(struct strbuf *sb, const char *s);

#endif
