/*
 * test_report.c - the report writers' shared parts, as tables: the escaping
 * that keeps hostile device strings from becoming markup in junit.xml and
 * report.html, the time and duration formats, and the table of writers
 * (each format flag selects exactly one file). Then a judged run with a
 * hostile service rendered by every writer in the table.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "unit.h"

static const struct {
    const char *what;
    const char *in; /* NULL: a missing string */
    const char *want;
} escape_cases[] = {
    {"plain text is kept", "SSH-2.0-dropbear", "SSH-2.0-dropbear"},
    {"NULL is empty", NULL, ""},
    {"empty is empty", "", ""},
    {"a tag becomes text", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
    {"an ampersand, even one that looks like an entity", "a & b &amp; &#60;", "a &amp; b &amp;amp; &amp;#60;"},
    {"double and single quotes cannot end an attribute", "\"x\" 'y'", "&quot;x&quot; &#39;y&#39;"},
    {"an attribute break-out", "\" onmouseover=\"alert(1)", "&quot; onmouseover=&quot;alert(1)"},
    {"CDATA and comment openers", "<![CDATA[x]]><!--", "&lt;![CDATA[x]]&gt;&lt;!--"},
    {"tab and newline are kept", "a\tb\nc", "a\tb\nc"},
    {"other control bytes are dropped", "a\x01" "b\x1b[31mc\rd\x08" "e\x1f", "ab[31mcde"},
    {"DEL is allowed by XML 1.0 and kept", "a\x7f" "b", "a\x7f" "b"},
    {"valid UTF-8 is kept", "M\xc3\xa9t\xc3\xa9o \xe2\x98\x85" "1 \xe9\x80\x9a\xe4\xbf\xa1",
     "M\xc3\xa9t\xc3\xa9o \xe2\x98\x85" "1 \xe9\x80\x9a\xe4\xbf\xa1"},
    /*
     * Invalid UTF-8 passes through byte for byte: the escape works on bytes and
     * never decodes, so no byte sequence can hide a markup character from it.
     * Keeping device text ASCII is sp_printable's job, before text reaches a run.
     */
    {"stray continuation and 0xff bytes pass through", "\x80\xbf\xfe\xff", "\x80\xbf\xfe\xff"},
    {"a truncated sequence cannot swallow the '<' after it", "\xc3<b>", "\xc3&lt;b&gt;"},
    {"a 3-byte lead cannot swallow a quote", "\xe2\x98\"", "\xe2\x98&quot;"},
    {"an overlong '<' stays two bytes, never '<'", "\xc0\xbc" "b\xc0\xbe", "\xc0\xbc" "b\xc0\xbe"},
};

/* Escaped text has no byte that could open or close markup, and no control byte but tab and newline. */
static int markup_free(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '<' || c == '>' || c == '"' || c == '\'' || (c < 0x20 && c != '\t' && c != '\n'))
            return 0;
        if (c == '&' && strncmp(s, "&lt;", 4) != 0 && strncmp(s, "&gt;", 4) != 0 &&
            strncmp(s, "&amp;", 5) != 0 && strncmp(s, "&quot;", 6) != 0 && strncmp(s, "&#39;", 5) != 0)
            return 0;
    }
    return 1;
}

static void test_escape(void)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(escape_cases); i++) {
        struct strbuf sb;
        sb_init(&sb);
        sb_add(&sb, "");
        report_xml_escape(&sb, escape_cases[i].in);
        if (strcmp(sb.buf, escape_cases[i].want) != 0)
            fprintf(stderr, "\nescape case '%s': got '%s'\n", escape_cases[i].what, sb.buf);
        CU_ASSERT_STRING_EQUAL(sb.buf, escape_cases[i].want);
        CU_ASSERT(markup_free(sb.buf));
        sb_free(&sb);
    }
}

/* Every byte value alone, and after a UTF-8 lead byte, escapes to something markup-free. */
static void test_escape_every_byte(void)
{
    for (int c = 1; c < 256; c++) {
        char in[3] = {(char)c, 0, 0}, in2[3] = {(char)0xc3, (char)c, 0};
        struct strbuf sb;
        sb_init(&sb);
        sb_add(&sb, "");
        report_xml_escape(&sb, in);
        report_xml_escape(&sb, in2);
        CU_ASSERT(markup_free(sb.buf));
        sb_free(&sb);
    }
}

static void test_times(void)
{
    static const struct {
        time_t t;
        const char *want;
    } iso[] = {
        {0, "1970-01-01T00:00:00Z"},
        {1735635600, "2024-12-31T09:00:00Z"},
    };
    static const struct {
        int64_t ms;
        const char *want;
    } dur[] = {
        {0, "0.0 s"},
        {999, "1.0 s"},
        {14251, "14.3 s"},
        {600000, "600.0 s"},
    };
    char buf[32];

    for (size_t i = 0; i < SP_ARRAY_LEN(iso); i++) {
        report_iso_time(iso[i].t, buf, sizeof(buf));
        CU_ASSERT_STRING_EQUAL(buf, iso[i].want);
    }
    for (size_t i = 0; i < SP_ARRAY_LEN(dur); i++) {
        report_duration(dur[i].ms, buf, sizeof(buf));
        CU_ASSERT_STRING_EQUAL(buf, dur[i].want);
    }
}

/* The file names of docs/report.md, by the -f flag that selects them. */
static const struct {
    enum report_format format;
    const char *file;
} contract[] = {
    {FMT_JSON, "report.json"},
    {FMT_JUNIT, "junit.xml"},
    {FMT_HTML, "report.html"},
    {FMT_TEXT, "summary.txt"},
};

static void test_writer_table(void)
{
    unsigned seen = 0;
    size_t n = 0;

    for (const struct report_writer *w = report_writers; w->render; w++, n++) {
        /* One bit per row, never seen before: a flag selects exactly one file. */
        CU_ASSERT(w->format != 0 && (w->format & (w->format - 1)) == 0);
        CU_ASSERT_EQUAL(seen & w->format, 0);
        seen |= w->format;
        CU_ASSERT_PTR_NOT_NULL_FATAL(w->file);
        CU_ASSERT(strchr(w->file, '/') == NULL);
        for (const struct report_writer *v = report_writers; v != w; v++)
            CU_ASSERT_STRING_NOT_EQUAL(v->file, w->file);
        size_t k = 0;
        while (k < SP_ARRAY_LEN(contract) && contract[k].format != w->format)
            k++;
        CU_ASSERT_FATAL(k < SP_ARRAY_LEN(contract));
        CU_ASSERT_STRING_EQUAL(w->file, contract[k].file);
    }
    /* Every format -f can name has a row. */
    CU_ASSERT_EQUAL(n, SP_ARRAY_LEN(contract));
    CU_ASSERT_EQUAL(seen, (unsigned)(FMT_JSON | FMT_TEXT | FMT_JUNIT | FMT_HTML));
}

/* What a hostile device could make a service's identification say, had it reached a run raw. */
static const char hostile[] = "<script>alert(\"x\")</script>&'\x01\x1b[2J";
static const char hostile_escaped[] = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;[2J";

static void test_render_hostile(void)
{
    struct profile p;
    struct device d;
    struct yerr e;
    struct run_opts o = {.jobs = 1, .deadline_s = 10, .lang = "en", .quiet = 1};
    struct run r;
    const struct probe *exp = probe_find("ports.exposure");

    CU_ASSERT_FATAL(exp != NULL);
    CU_ASSERT_EQUAL_FATAL(device_load(&d, "data/ports-device.yaml", &e), 0);
    CU_ASSERT_EQUAL_FATAL(profile_load_path(&p, "data/ports-profile.yaml", &e), 0);
    run_init(&r, &o, &p, &d);
    r.scan.tcp_done = r.scan.udp_done = r.scan.tcp_complete = r.scan.udp_complete = 1;
    struct service *s = run_add_service(&r, 8080, T_TCP);
    sp_strlcpy(s->name, "http", sizeof(s->name));
    s->ident = xstrdup(hostile);
    s->banner = xstrdup(hostile);
    r.gathered[0].g = exp->gatherer;
    r.ngathered = 1;
    run_judge(&r);
    /* The undeclared port is a FAIL whose evidence quotes the identification. */
    CU_ASSERT_EQUAL_FATAL(r.results[0].verdict, V_FAIL);

    for (const struct report_writer *w = report_writers; w->render; w++) {
        char *out = w->render(&r);
        CU_ASSERT_PTR_NOT_NULL_FATAL(out);
        CU_ASSERT(out[0] != '\0' && out[strlen(out) - 1] == '\n');
        if (w->format == FMT_JUNIT || w->format == FMT_HTML) {
            if (strstr(out, "<script") || !strstr(out, hostile_escaped))
                fprintf(stderr, "\n%s lets the hostile identification through\n", w->file);
            CU_ASSERT_PTR_NULL(strstr(out, "<script"));
            CU_ASSERT_PTR_NULL(strchr(out, '\x01'));
            CU_ASSERT_PTR_NULL(strchr(out, '\x1b'));
            CU_ASSERT_PTR_NOT_NULL(strstr(out, hostile_escaped));
        } else if (w->format == FMT_JSON) {
            /* JSON escapes by its own rules (cJSON): the string reads back exactly. */
            cJSON *doc = cJSON_Parse(out);
            const cJSON *svc = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "services"), 0);
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(svc, "identified_by");
            CU_ASSERT_FATAL(cJSON_IsString(id));
            CU_ASSERT_STRING_EQUAL(id->valuestring, hostile);
            cJSON_Delete(doc);
        } else if (w->format == FMT_TEXT) {
            /* The summary goes to a terminal: no control byte may reach it (ESC [ 2 J clears it). */
            for (const char *c = out; *c; c++)
                CU_ASSERT((unsigned char)*c >= 0x20 || *c == '\n');
            CU_ASSERT_PTR_NULL(strstr(out, "\xc2\x9b"));
        }
        free(out);
    }
    run_free(&r);
    profile_free(&p);
    device_free(&d);
}

int register_report_tests(void)
{
    CU_pSuite s = CU_add_suite("report", NULL, NULL);
    if (!s || !CU_add_test(s, "XML/HTML escaping of hostile strings", test_escape) ||
        !CU_add_test(s, "every byte escapes markup-free", test_escape_every_byte) ||
        !CU_add_test(s, "time and duration formats", test_times) ||
        !CU_add_test(s, "one file per format flag", test_writer_table) ||
        !CU_add_test(s, "a hostile service through every writer", test_render_hostile))
        return -1;
    return 0;
}
