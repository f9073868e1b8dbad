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

#include "facts_json.h"
#include "report.h"
#include "unit.h"

/* U+FFFD REPLACEMENT CHARACTER in UTF-8. */
#define FFFD "\xef\xbf\xbd"

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
     * A byte that begins no valid UTF-8 character becomes U+FFFD, one for each
     * such byte: a document declared UTF-8 must be UTF-8 (xmllint rejects
     * junit.xml otherwise), and no byte sequence can hide a markup character,
     * since a lead byte never takes a following '<' or quote with it.
     */
    {"stray continuation and 0xff bytes become U+FFFD", "\x80\xbf\xfe\xff", FFFD FFFD FFFD FFFD},
    {"a truncated sequence cannot swallow the '<' after it", "\xc3<b>", FFFD "&lt;b&gt;"},
    {"a 3-byte lead cannot swallow a quote", "\xe2\x98\"", FFFD FFFD "&quot;"},
    {"an overlong '<' is two U+FFFD, never '<'", "\xc0\xbc" "b\xc0\xbe", FFFD FFFD "b" FFFD FFFD},
    {"a surrogate is not a character", "a\xed\xa0\x80" "b", "a" FFFD FFFD FFFD "b"},
    {"a 4-byte character is kept", "\xf0\x9f\x94\x92", "\xf0\x9f\x94\x92"},
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


/*
 * How report.html groups evidence, as rows: each row is runs of lines (a
 * service, a format with one %d, how many), and the groups it must give as
 * "service:count:prefix" joined by " | " ("-" for no service), with
 * "~tail" when the lines share words after the one that differs.
 */
static const struct {
    const char *what;
    struct {
        const char *service;
        const char *fmt;
        int n;
    } runs[4];
    const char *want;
} group_rows[] = {
    {"no evidence, no group", {{NULL, NULL, 0}}, ""},
    {"one line is its own group", {{"tcp/22", "offers forbidden cipher: 3des-cbc%.0d", 1}},
     "tcp/22:1:offers forbidden cipher: 3des-cbc"},
    {"58 MQTT topics and the CONNACK line",
     {{"tcp/1883", "topic $SYS/broker/load/%d open without credentials", 58},
      {"tcp/1883", "anonymous MQTT access: CONNACK 0%.0d", 1}},
     "tcp/1883:58:topic~open without credentials | tcp/1883:1:anonymous MQTT access: CONNACK 0"},
    {"the shared words, not the shared bytes, make the prefix",
     {{"tcp/22", "finding (reported, not failed): CBC cipher %d", 9}},
     "tcp/22:9:finding (reported, not failed): CBC cipher"},
    {"same first word after other lines joins its group, order kept",
     {{"tcp/443", "finding: TLSv1.0 suite %d", 3}, {"tcp/443", "TLSv1.0 anon %d accepted", 2},
      {"tcp/443", "finding: TLSv1.2 suite %d", 3}},
     "tcp/443:6:finding:~suite | tcp/443:2:TLSv1.0 anon~accepted"},
    {"services in order of first appearance, each together",
     {{"tcp/443", "path /a%d undecided", 2}, {"tcp/80", "path /b%d protected", 3},
      {"tcp/443", "path /c%d undecided", 2}, {NULL, "scan: %d ports", 1}},
     "tcp/443:4:path~undecided | tcp/80:3:path~protected | -:1:scan: 0 ports"},
    {"a first word that only begins another is another",
     {{"udp/5683", "resource%d /x", 2}, {"udp/5683", "resource /y%d", 2}},
     "udp/5683:1:resource0 /x | udp/5683:1:resource1 /x | udp/5683:2:resource"},
    {"a topic with a space in it does not hide what the lines share",
     {{"tcp/1883", "topic a/%d open: delivered to a subscriber", 3},
      {"tcp/1883", "topic retained messages/count%.0d open: delivered to a subscriber", 1}},
     "tcp/1883:4:topic~open: delivered to a subscriber"},
    {"nor when the first line is the one with the space",
     {{"tcp/1883", "topic retained messages/count%.0d open: delivered to a subscriber", 1},
      {"tcp/1883", "topic a/%d open: delivered to a subscriber", 3}},
     "tcp/1883:4:topic~open: delivered to a subscriber"},
    {"a line that is just the word shares it",
     {{"tcp/23", "login%.0d", 1}, {"tcp/23", "login attempt %d", 7}},
     "tcp/23:8:login"},
};

/* Build the evidence a row describes; returns the count. */
static size_t group_row_evidence(size_t row, struct evidence *ev, size_t room)
{
    size_t n = 0;

    for (size_t k = 0; k < 4 && group_rows[row].runs[k].fmt; k++)
        for (int i = 0; i < group_rows[row].runs[k].n && n < room; i++, n++) {
            ev[n].service = (char *)group_rows[row].runs[k].service;
            ev[n].detail = xasprintf(group_rows[row].runs[k].fmt, i);
            ev[n].flag = NULL;
        }
    return n;
}

static void test_ev_group(void)
{
    for (size_t row = 0; row < SP_ARRAY_LEN(group_rows); row++) {
        struct evidence ev[80];
        size_t order[80], nev = group_row_evidence(row, ev, 80), total = 0;
        struct report_ev_group g[80];
        size_t ng = report_ev_group(ev, nev, order, g);
        struct strbuf sb;
        unsigned char seen[80] = {0};

        sb_init(&sb);
        sb_add(&sb, "");
        for (size_t i = 0; i < ng; i++) {
            const char *first = ev[order[g[i].start]].detail;
            sb_printf(&sb, "%s%s:%zu:%.*s", i ? " | " : "", g[i].service ? g[i].service : "-", g[i].n,
                      (int)g[i].prefix, first);
            if (g[i].ntail)
                sb_printf(&sb, "~%.*s", (int)g[i].ntail, first + g[i].tail);
            /* The shared tail is words every line of the group has. */
            char *tail = xasprintf("%.*s", (int)g[i].ntail, first + g[i].tail);
            for (size_t k = 1; g[i].ntail && k < g[i].n; k++)
                CU_ASSERT_PTR_NOT_NULL(strstr(ev[order[g[i].start + k]].detail, tail));
            free(tail);
            total += g[i].n;
            /* Inside a group the lines keep the order the probe wrote them in. */
            for (size_t k = 1; k < g[i].n; k++)
                CU_ASSERT(order[g[i].start + k] > order[g[i].start + k - 1]);
            CU_ASSERT_EQUAL(g[i].start, i ? g[i - 1].start + g[i - 1].n : 0);
        }
        if (strcmp(sb.buf, group_rows[row].want) != 0)
            fprintf(stderr, "\ngroup row '%s': got '%s'\n", group_rows[row].what, sb.buf);
        CU_ASSERT_STRING_EQUAL(sb.buf, group_rows[row].want);
        /* Nothing is lost: every line is in exactly one group. */
        CU_ASSERT_EQUAL(total, nev);
        for (size_t i = 0; i < nev; i++)
            seen[order[i]]++;
        for (size_t i = 0; i < nev; i++)
            CU_ASSERT_EQUAL(seen[i], 1);
        sb_free(&sb);
        for (size_t i = 0; i < nev; i++)
            free(ev[i].detail);
    }
}

/* How often needle occurs in hay. */
static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;

    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/*
 * A profile whose every string a reviewer sees on the summary is hostile, on
 * a run whose evidence is folded under a hostile first word: the summary, the
 * grid, the row anchors and the fold's heading must all stay escaped.
 */
static const char hostile_profile[] =
    "profile: \"p<script>x\"\n"
    "level: 1\n"
    "edition: \"<script>e&'\\\"\"\n"
    "title: {en: \"<script>t</script>\", ja: \"<script>j\"}\n"
    "requirements:\n"
    "  - id: \"R1\\\"><script>\"\n"
    "    title: \"<script>alert('r')</script>\"\n"
    "    assess: probe\n"
    "    checks: [{probe: ports.exposure}]\n"
    "  - id: R2\n"
    "    title: plaintext\n"
    "    assess: probe\n"
    "    checks: [{probe: transport.plaintext}]\n";

static void test_html_summary(void)
{
    struct profile p;
    struct run r;

    CU_ASSERT_EQUAL_FATAL(unit_profile_text(hostile_profile, &p), 0);
    unit_scanned_run(&r, &p);
    struct service *s = run_add_service(&r, 8080, T_TCP);
    sp_strlcpy(s->name, "http", sizeof(s->name));
    s->ident = xstrdup(hostile);
    run_judge(&r);
    CU_ASSERT_EQUAL_FATAL(r.nresults, 2);
    /* 58 topics under a hostile first word, then one line of their own. */
    struct check_result *c = &r.results[0].checks[0];
    for (int i = 0; i < 58; i++)
        cr_evidence(c, "tcp/1883", "<script> topic/%d delivered", i);
    cr_evidence(c, "tcp/1883", "anonymous CONNECT accepted");

    char *out = report_html_string(&r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_PTR_NULL(strstr(out, "<script"));
    /* The overall verdict as the badge on top, and a count per verdict. */
    char *want = xasprintf("<div class=\"overall\"><span class=\"v %s\">", overall_name(r.overall));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
    free(want);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "<ul class=\"counts\">"));
    /* The command that repeats the run, its hostile words quoted for the shell and escaped. */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "<code>starprobe assess -p &#39;p&lt;script&gt;x&#39; -t "));
    /* The profile is not official, so the page says it is provisional. */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "<span class=\"v provisional\">"));
    /* One grid cell per requirement, coloured by its verdict, linking to its row. */
    for (size_t i = 0; i < r.nresults; i++) {
        struct strbuf id;
        sb_init(&id);
        sb_add(&id, "");
        report_xml_escape(&id, r.results[i].req->id);
        char *cell = xasprintf("<a class=\"cell %s\" href=\"#req-%s\"", verdict_name(r.results[i].verdict), id.buf);
        char *row = xasprintf("<tr id=\"req-%s\"", id.buf);
        CU_ASSERT_EQUAL(count_of(out, cell), 1);
        CU_ASSERT_EQUAL(count_of(out, row), 1);
        free(cell);
        free(row);
        sb_free(&id);
    }
    CU_ASSERT_EQUAL(count_of(out, "<a class=\"cell "), r.nresults);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "href=\"#req-R1&quot;&gt;&lt;script&gt;\""));
    /* The fold: its count, its first lines, the rest folded; every line still there once. */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "<b>58</b> lines like <code>&lt;script&gt; … delivered</code>; the first 5"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "<summary>53 more"));
    CU_ASSERT_EQUAL(count_of(out, "&lt;script&gt; topic/"), 58);
    CU_ASSERT_EQUAL(count_of(out, "anonymous CONNECT accepted"), 1);
    free(out);
    run_free(&r);
    profile_free(&p);
}

/* Whether s is valid UTF-8 from end to end. */
static int utf8_valid(const char *s)
{
    unsigned long cp;

    for (size_t n; *s; s += n)
        if ((n = report_utf8_char(s, &cp)) == 0)
            return 0;
    return 1;
}

/*
 * Device strings that try everything: markup, both quotes, an ampersand,
 * C0 controls with a screen-clearing escape, bytes that are no UTF-8 (a
 * stray 0xff, a truncated 3-byte sequence), a C1 CSI in its UTF-8 form and an
 * OSC title sequence.
 */
static const char evil[] = "<script>alert(\"x\")</script>&'\x01\x1b[2J\xff\xfe\xe3\x81\xc2\x9b" "1m\x1b]0;t\x07 end";

static const char evil_profile[] =
    "profile: evil\n"
    "level: 1\n"
    "title: {en: Evil, ja: 悪意}\n"
    "requirements:\n"
    "  - {id: R1, title: exposure, assess: probe, checks: [{probe: ports.exposure}]}\n"
    "  - {id: R2, title: tls, assess: probe, checks: [{probe: tls.versions}, {probe: ssh.algorithms}]}\n"
    "  - {id: R3, title: brute, assess: probe, checks: [{probe: auth.bruteforce}]}\n";

/*
 * The hostile strings in every place a writer quotes from: evidence, the TLS
 * facts the matrix reads, the brute-force series the chart draws (user,
 * statuses, the last answer), an SSH finding the inventory flags. Every
 * writer's output stays well-formed: no markup from the device, no control
 * byte, valid UTF-8 throughout, and JSON that reads back.
 */
/*
 * The TLS matrix and the inventory mark a version by the judge's flag
 * (cr_flag), not by its prose: the forbidden TLSv1.0 the judge held against
 * the service is marked, and TLSv1.2, which a stray evidence line also calls
 * "accepted", is not.
 */
static void test_tls_marks_from_flags(void)
{
    static const char prof[] =
        "profile: t\nlevel: 1\nrequirements:\n"
        "  - {id: R1, title: tls, assess: probe, checks: [{probe: tls.versions}]}\n";
    struct profile p;
    struct run r;

    CU_ASSERT_EQUAL_FATAL(unit_profile_text(prof, &p), 0);
    unit_scanned_run(&r, &p);
    struct service *s = run_add_service(&r, 443, T_TCP);
    sp_strlcpy(s->name, "https", sizeof(s->name));
    cJSON *facts = cJSON_Parse("{\"tls\":{\"protocol\":\"TLS\",\"versions\":[\"TLSv1.0\",\"TLSv1.2\"],"
                               "\"results\":{\"TLSv1.0\":{\"result\":\"accepted\",\"detail\":\"d10\"},"
                               "\"TLSv1.2\":{\"result\":\"accepted\",\"detail\":\"d12\"}}}}");
    char why[160];
    CU_ASSERT_PTR_NOT_NULL_FATAL(facts);
    CU_ASSERT_EQUAL_FATAL(service_facts_load(s, facts, why, sizeof(why)), 0);
    cJSON_Delete(facts);
    run_judge(&r);
    CU_ASSERT_EQUAL_FATAL(r.nresults, 1);
    CU_ASSERT_EQUAL(r.results[0].checks[0].verdict, V_FAIL);
    cr_evidence(&r.results[0].checks[0], "tcp/443", "TLSv1.2 accepted: a line that flags nothing");
    r.opt.lang = "en";
    for (const struct report_writer *w = report_writers; w->render; w++) {
        if (w->format != FMT_HTML)
            continue;
        char *out = w->render(&r);
        CU_ASSERT_PTR_NOT_NULL_FATAL(out);
        const char *m = strstr(out, "class=\"matrix\"");
        CU_ASSERT_PTR_NOT_NULL_FATAL(m);
        /* In the matrix: TLS 1.0 marked, TLS 1.2 accepted without a mark. */
        CU_ASSERT_PTR_NOT_NULL(strstr(m, "<td title=\"d10\"><span class=\"chip FAIL\">accepted ✗</span>"));
        CU_ASSERT_PTR_NOT_NULL(strstr(m, "<td title=\"d12\"><span class=\"chip PASS\">accepted</span>"));
        /* In the inventory: the same. */
        CU_ASSERT_PTR_NOT_NULL(strstr(out, "<span class=\"chip FAIL\">TLSv1.0</span>"));
        CU_ASSERT_PTR_NOT_NULL(strstr(out, "<span class=\"chip PASS\">TLSv1.2</span>"));
        free(out);
    }
    run_free(&r);
    profile_free(&p);
}

static void test_render_evil_facts(void)
{
    struct profile p;
    struct run r;
    char *bf_json = xasprintf("{\"user\":\"%s\",\"auth\":\"password\",\"attempts\":[{\"n\":1,\"ms\":5,"
                              "\"status\":\"rejected\"},{\"n\":2,\"ms\":2500,\"status\":\"%s\"}],"
                              "\"final\":\"%s\",\"final_ms\":3}", "EVIL", "EVIL", "EVIL");

    CU_ASSERT_EQUAL_FATAL(unit_profile_text(evil_profile, &p), 0);
    unit_scanned_run(&r, &p);
    struct service *s = run_add_service(&r, 443, T_TCP);
    sp_strlcpy(s->name, "https", sizeof(s->name));
    s->ident = xstrdup(evil);
    s->banner = xstrdup(evil);
    cJSON *facts = cJSON_CreateObject();
    cJSON *tls = cJSON_AddObjectToObject(facts, "tls");
    cJSON_AddStringToObject(tls, "protocol", "TLS");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(tls, "versions"), cJSON_CreateString(evil));
    cJSON *res = cJSON_AddObjectToObject(cJSON_AddObjectToObject(tls, "results"), "TLSv1.0");
    cJSON_AddStringToObject(res, "result", "accepted");
    cJSON_AddStringToObject(res, "detail", evil);
    /* The series, with every string field hostile: built as JSON, then the strings swapped in. */
    cJSON *bf = cJSON_Parse(bf_json);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bf);
    cJSON_ReplaceItemInObjectCaseSensitive(bf, "user", cJSON_CreateString(evil));
    cJSON_ReplaceItemInObjectCaseSensitive(bf, "final", cJSON_CreateString(evil));
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(bf, "attempts"), 1),
                                           "status", cJSON_CreateString(evil));
    cJSON_AddItemToObject(facts, "bruteforce", bf);
    cJSON_AddItemToObject(facts, "ssh", cJSON_CreateObject());
    char why[160];
    CU_ASSERT_EQUAL_FATAL(service_facts_load(s, facts, why, sizeof(why)), 0);
    cJSON_Delete(facts);
    run_judge(&r);
    CU_ASSERT_EQUAL_FATAL(r.nresults, 3);
    for (size_t i = 0; i < r.nresults; i++)
        for (size_t j = 0; j < r.results[i].nchecks; j++) {
            cr_evidence(&r.results[i].checks[j], "tcp/443", "offers forbidden cipher: %s", evil);
            cr_evidence(&r.results[i].checks[j], evil, "TLSv1.0 accepted: %s", evil);
        }
    r.results[0].verdict = V_FAIL;
    r.results[0].checks[0].verdict = V_FAIL;

    for (int ja = 0; ja < 2; ja++) {
        r.opt.lang = ja ? "ja" : "en";
        for (const struct report_writer *w = report_writers; w->render; w++) {
            char *out = w->render(&r);
            CU_ASSERT_PTR_NOT_NULL_FATAL(out);
            if (!utf8_valid(out))
                fprintf(stderr, "\n%s (%s) is not valid UTF-8\n", w->file, r.opt.lang);
            CU_ASSERT(utf8_valid(out));
            for (const char *c = out; *c; c++)
                CU_ASSERT((unsigned char)*c >= 0x20 || *c == '\n' || *c == '\t');
            if (w->format == FMT_HTML || w->format == FMT_JUNIT) {
                CU_ASSERT_PTR_NULL(strstr(out, "<script"));
                CU_ASSERT_PTR_NOT_NULL(strstr(out, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"));
            }
            if (w->format == FMT_HTML) {
                /* The hostile facts went through the chart, the matrix and the inventory. */
                CU_ASSERT_PTR_NOT_NULL(strstr(out, "<svg"));
                CU_ASSERT_PTR_NOT_NULL(strstr(out, "class=\"matrix\""));
                CU_ASSERT_PTR_NOT_NULL(strstr(out, "<span class=\"chip FAIL\">cipher: &lt;script&gt;"));
                CU_ASSERT_PTR_NOT_NULL(strstr(out, ja ? "<html lang=\"ja\">" : "<html lang=\"en\">"));
            }
            if (w->format == FMT_JSON) {
                cJSON *doc = cJSON_Parse(out);
                const cJSON *svc = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "services"), 0);
                const char *user = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
                    cJSON_GetObjectItemCaseSensitive(svc, "bruteforce"), "user"));
                CU_ASSERT_PTR_NOT_NULL_FATAL(user);
                /* The text up to the first invalid byte reads back exactly; that byte is U+FFFD. */
                CU_ASSERT_NSTRING_EQUAL(user, evil, strlen("<script>alert(\"x\")</script>&'\x01\x1b[2J"));
                CU_ASSERT_PTR_NOT_NULL(strstr(user, "[2J" FFFD FFFD FFFD FFFD "\xc2\x9b"));
                cJSON_Delete(doc);
            }
            if (w->format == FMT_TEXT)
                CU_ASSERT_PTR_NULL(strstr(out, "\xc2\x9b"));
            free(out);
        }
    }
    free(bf_json);
    run_free(&r);
    profile_free(&p);
}

/*
 * Terminal columns as a reader counts them, apart from text.c's own count:
 * CJK ideographs, kana and full-width forms take two.
 */
static size_t columns(const char *s, size_t n)
{
    size_t w = 0;
    unsigned long cp;

    for (size_t i = 0, k; i < n; i += k) {
        k = report_utf8_char(s + i, &cp);
        if (k == 0)
            k = 1, cp = '?';
        w += (cp >= 0x3000 && cp <= 0x9fff) || (cp >= 0xff00 && cp <= 0xff60) ? 2 : 1;
    }
    return w;
}

static const char wide_profile[] =
    "profile: wide\n"
    "level: 1\n"
    "title: {en: A profile whose title is long enough to need more than one line of the summary header "
    "when it is printed, ja: 要約の見出しに一行では収まらないほど長い名前を持つプロファイルで折り返しを確かめる}\n"
    "requirements:\n"
    "  - id: R1\n"
    "    title: {en: A requirement whose title alone is longer than the seventy columns the summary leaves "
    "beside the id and the verdict, ja: 識別子と判定の横に残る七十桁より長い題名を持つ要求事項で日本語の折り返しを確かめるための行}\n"
    "    assess: probe\n"
    "    checks: [{probe: ports.exposure}]\n";

/* Every line of the text summary fits REPORT_TEXT_COLUMNS; no line ends in a space. */
static void assert_fits(const char *out, const char *what)
{
    for (const char *l = out; *l;) {
        const char *e = strchr(l, '\n');
        size_t n = e ? (size_t)(e - l) : strlen(l);
        if (columns(l, n) > REPORT_TEXT_COLUMNS)
            fprintf(stderr, "\n%s: a line of %zu columns: %.*s\n", what, columns(l, n), (int)n, l);
        CU_ASSERT(columns(l, n) <= REPORT_TEXT_COLUMNS);
        CU_ASSERT(n == 0 || l[n - 1] != ' ');
        l += n + (e != NULL);
    }
}

/* Remove the SGR sequences (ESC [ digits and ; then m); 0 when an ESC begins anything else. */
static int strip_sgr(const char *in, struct strbuf *out)
{
    sb_add(out, "");
    for (const char *p = in; *p; p++) {
        if (*p != '\x1b') {
            sb_addn(out, p, 1);
            continue;
        }
        if (p[1] != '[')
            return 0;
        p += 2;
        while ((*p >= '0' && *p <= '9') || *p == ';')
            p++;
        if (*p != 'm')
            return 0;
    }
    return 1;
}

/*
 * The text summary in both languages: long titles, reasons and evidence
 * (a 600-character line, one 150-character word, Japanese) wrap within 100
 * columns; colour adds SGR sequences around the verdicts and nothing else.
 */
static void test_text_layout(void)
{
    struct profile p;
    struct run r;
    struct strbuf longline;

    CU_ASSERT_EQUAL_FATAL(unit_profile_text(wide_profile, &p), 0);
    unit_scanned_run(&r, &p);
    struct service *s = run_add_service(&r, 8080, T_TCP);
    sp_strlcpy(s->name, "http", sizeof(s->name));
    sb_init(&longline);
    for (int i = 0; i < 60; i++)
        sb_printf(&longline, "word%d%s ", i, i % 7 ? "" : ",");
    s->ident = xasprintf("%s%s", evil, longline.buf);
    s->banner = xstrdup(longline.buf);
    run_judge(&r);
    CU_ASSERT_EQUAL_FATAL(r.results[0].verdict, V_FAIL);
    struct check_result *c = &r.results[0].checks[0];
    CU_ASSERT_EQUAL_FATAL(c->verdict, V_FAIL);
    cr_evidence(c, "tcp/8080", "%s", longline.buf);
    cr_evidence(c, "tcp/8080", "%0150d", 7);
    cr_evidence(c, "tcp/8080", "認証なしで読めるトピックが多数あり、その一覧はこの行に収まらないほど長く続くので、要約では一行に切り詰められるはずである。");
    for (int i = 0; i < 12; i++)
        cr_evidence(c, "tcp/8080", "topic t/%d open", i);

    for (int ja = 0; ja < 2; ja++) {
        r.opt.lang = ja ? "ja" : "en";
        char *plain = report_text_render(&r, 0), *col = report_text_render(&r, 1);
        struct strbuf stripped;
        CU_ASSERT_PTR_NOT_NULL_FATAL(plain);
        CU_ASSERT_PTR_NOT_NULL_FATAL(col);
        assert_fits(plain, r.opt.lang);
        CU_ASSERT_PTR_NULL(strchr(plain, '\x1b'));
        CU_ASSERT(utf8_valid(plain));
        /* The long evidence is cut, the count of the rest given. */
        CU_ASSERT_PTR_NOT_NULL(strstr(plain, "…"));
        CU_ASSERT_PTR_NOT_NULL(strstr(plain, ja ? "ほか " : "and "));
        /* report_text_string is the uncoloured rendering. */
        char *file = report_text_string(&r);
        CU_ASSERT_STRING_EQUAL(file, plain);
        free(file);
        /* Colour: the verdicts in SGR colour, and without the SGR sequences the same text. */
        CU_ASSERT_PTR_NOT_NULL(strstr(col, "\x1b[1;31mFAIL\x1b[0m"));
        CU_ASSERT_PTR_NOT_NULL(strstr(col, "\x1b[1;31mNOT_CONFORMANT\x1b[0m"));
        sb_init(&stripped);
        CU_ASSERT(strip_sgr(col, &stripped));
        CU_ASSERT_STRING_EQUAL(stripped.buf, plain);
        sb_free(&stripped);
        free(plain);
        free(col);
    }
    sb_free(&longline);
    run_free(&r);
    profile_free(&p);
}

/* When the summary on stdout is coloured (https://no-color.org). */
static const struct {
    const char *what;
    int tty;
    const char *no_color, *term;
    int want;
} colour_rows[] = {
    {"a terminal", 1, NULL, "xterm-256color", 1},
    {"a pipe or a file", 0, NULL, "xterm-256color", 0},
    {"NO_COLOR=1 on a terminal", 1, "1", "xterm", 0},
    {"NO_COLOR=0 also turns colour off: any non-empty value", 1, "0", "xterm", 0},
    {"an empty NO_COLOR is as if unset", 1, "", "xterm", 1},
    {"TERM=dumb", 1, NULL, "dumb", 0},
    {"no TERM on a terminal", 1, NULL, NULL, 1},
};

static void test_colour_rule(void)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(colour_rows); i++) {
        int got = report_text_colour_wanted(colour_rows[i].tty, colour_rows[i].no_color, colour_rows[i].term);
        if (got != colour_rows[i].want)
            fprintf(stderr, "\ncolour row '%s': got %d\n", colour_rows[i].what, got);
        CU_ASSERT_EQUAL(got, colour_rows[i].want);
    }
}

int register_report_tests(void)
{
    CU_pSuite s = CU_add_suite("report", NULL, NULL);
    if (!s || !CU_add_test(s, "XML/HTML escaping of hostile strings", test_escape) ||
        !CU_add_test(s, "every byte escapes markup-free", test_escape_every_byte) ||
        !CU_add_test(s, "time and duration formats", test_times) ||
        !CU_add_test(s, "one file per format flag", test_writer_table) ||
        !CU_add_test(s, "a hostile service through every writer", test_render_hostile) ||
        !CU_add_test(s, "evidence folding keeps every line and counts it", test_ev_group) ||
        !CU_add_test(s, "report.html summary, grid and fold, escaped", test_html_summary) ||
        !CU_add_test(s, "hostile facts and evidence through every writer", test_render_evil_facts) ||
        !CU_add_test(s, "TLS matrix and inventory marks come from the judge's flags", test_tls_marks_from_flags) ||
        !CU_add_test(s, "text summary: 100 columns, colour only as SGR", test_text_layout) ||
        !CU_add_test(s, "text colour: a terminal, no NO_COLOR", test_colour_rule))
        return -1;
    return 0;
}
