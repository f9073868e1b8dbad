/*
 * junit.c - junit.xml for CI systems: one testcase per requirement. FAIL is
 * a failure, ERROR an error; INCONCLUSIVE and missing evidence are skipped
 * with their reason, so a pipeline can tell "broken" from "not decided".
 */
#include "report.h"

char *report_junit_string(const struct run *r)
{
    struct strbuf sb;
    int fails = 0, errors = 0, skipped = 0;
    char when[32];

    for (size_t i = 0; i < r->nresults; i++) {
        enum sp_verdict v = r->results[i].verdict;
        fails += v == V_FAIL;
        errors += v == V_ERROR;
        skipped += v == V_INCONCLUSIVE || v == V_EVIDENCE_REQUIRED;
    }
    report_iso_time(r->started, when, sizeof(when));
    sb_init(&sb);
    sb_add(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb_printf(&sb, "<testsuites name=\"starprobe\" tests=\"%zu\" failures=\"%d\" errors=\"%d\">\n",
              r->nresults, fails, errors);
    sb_add(&sb, "  <testsuite name=\"");
    report_xml_escape(&sb, r->profile->id);
    sb_printf(&sb, "\" tests=\"%zu\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" "
                   "timestamp=\"%s\" time=\"%.3f\" hostname=\"",
              r->nresults, fails, errors, skipped, when, (double)r->elapsed_ms / 1000.0);
    report_xml_escape(&sb, r->target.host);
    sb_add(&sb, "\">\n");
    for (size_t i = 0; i < r->nresults; i++) {
        const struct req_result *rr = &r->results[i];
        const char *tag = NULL;

        sb_add(&sb, "    <testcase classname=\"");
        report_xml_escape(&sb, r->profile->id);
        sb_add(&sb, "\" name=\"");
        report_xml_escape(&sb, rr->req->id);
        sb_add(&sb, " ");
        report_xml_escape(&sb, lstr_get(&rr->req->title, "en"));
        sb_add(&sb, "\">");
        if (rr->verdict == V_FAIL)
            tag = "failure";
        else if (rr->verdict == V_ERROR)
            tag = "error";
        else if (rr->verdict == V_INCONCLUSIVE || rr->verdict == V_EVIDENCE_REQUIRED)
            tag = "skipped";
        if (tag) {
            sb_printf(&sb, "\n      <%s message=\"%s: ", tag, verdict_name(rr->verdict));
            report_xml_escape(&sb, rr->reason);
            sb_add(&sb, "\">");
            for (size_t j = 0; j < rr->nchecks; j++)
                for (size_t k = 0; k < rr->checks[j].nev; k++) {
                    report_xml_escape(&sb, rr->checks[j].ev[k].service ? rr->checks[j].ev[k].service
                                                                       : "device");
                    sb_add(&sb, ": ");
                    report_xml_escape(&sb, rr->checks[j].ev[k].detail);
                    sb_add(&sb, "\n");
                }
            sb_printf(&sb, "</%s>\n    ", tag);
        }
        sb_add(&sb, "</testcase>\n");
    }
    sb_add(&sb, "  </testsuite>\n</testsuites>\n");
    return sb_steal(&sb);
}
