/*
 * text.c - the summary a person reads on stdout (and summary.txt): the
 * overall verdict first, then one line per requirement with its reason,
 * then what is open on the device.
 */
#include <string.h>

#include "report.h"

static const char *star_title(const struct run *r)
{
    return lstr_get(&r->profile->title, r->opt.lang);
}

char *report_text_string(const struct run *r)
{
    struct strbuf sb;
    int counts[V_COUNT] = {0};
    const char *lang = r->opt.lang;
    int ja = lang && strcmp(lang, "ja") == 0;
    char dur[32];

    sb_init(&sb);
    for (size_t i = 0; i < r->nresults; i++)
        counts[r->results[i].verdict]++;
    sb_printf(&sb, "starprobe %s — %s (%s, %s, %s)\n", STARPROBE_VERSION, star_title(r),
              r->profile->id, r->profile->edition ? r->profile->edition : "-",
              r->profile->status ? r->profile->status : "provisional");
    sb_printf(&sb, "%s %s", ja ? "対象" : "target", r->target.host);
    if (strcmp(r->target.host, r->target.addrstr) != 0)
        sb_printf(&sb, " (%s)", r->target.addrstr);
    if (r->device)
        sb_printf(&sb, "  %s %s %s %s", ja ? "機器" : "device",
                  r->device->vendor ? r->device->vendor : "?",
                  r->device->model ? r->device->model : "?",
                  r->device->firmware ? r->device->firmware : "");
    report_duration(r->elapsed_ms, dur, sizeof(dur));
    sb_printf(&sb, "  %s\n\n", dur);
    sb_printf(&sb, "%s: %s  (", ja ? "判定" : "verdict", overall_name(r->overall));
    int first = 1;
    for (int v = V_COUNT - 1; v >= 0; v--)
        if (counts[v]) {
            sb_printf(&sb, "%s%d %s", first ? "" : ", ", counts[v], verdict_name((enum sp_verdict)v));
            first = 0;
        }
    sb_add(&sb, ")\n\n");
    for (size_t i = 0; i < r->nresults; i++) {
        const struct req_result *rr = &r->results[i];
        sb_printf(&sb, "  %-8s %-17s %s\n", rr->req->id, verdict_name(rr->verdict),
                  lstr_get(&rr->req->title, lang));
        sb_printf(&sb, "  %-8s %-17s %s\n", "", "", rr->reason ? rr->reason : "");
        /* A FAIL names its evidence right here: the reader should not need the JSON. */
        for (size_t j = 0; rr->verdict == V_FAIL && j < rr->nchecks; j++) {
            const struct check_result *c = &rr->checks[j];
            if (c->verdict != V_FAIL)
                continue;
            for (size_t k = 0; k < c->nev && k < 8; k++)
                if (c->ev[k].service)
                    sb_printf(&sb, "  %-8s %-17s - %s: %s\n", "", "", c->ev[k].service,
                              c->ev[k].detail);
        }
    }
    sb_printf(&sb, "\n%s (%zu):\n", ja ? "開いているサービス" : "open services", r->nservices);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *s = r->services[i];
        char label[32];
        service_label(s, label, sizeof(label));
        sb_printf(&sb, "  %-10s %-8s %-10s %.70s\n", label, s->name,
                  s->declared ? (ja ? "申告済" : "declared") : (ja ? "未申告" : "UNDECLARED"),
                  s->banner ? s->banner : (s->ident ? s->ident : ""));
    }
    return sb_steal(&sb);
}
