/*
 * text.c - the summary a person reads on stdout (and summary.txt): the
 * overall verdict first, then one line per requirement with its reason,
 * then what is open on the device.
 */
#include <string.h>

#include "report.h"

/*
 * The summary is printed on a terminal, and it quotes strings a device or a
 * declaration chose. A control byte there is a terminal command (ESC [ 2 J
 * clears the screen, OSC sequences set titles or links), so every C0 control
 * but the newline, DEL, and the C1 controls in their UTF-8 form (C2 80 to
 * C2 9F, which some terminals obey as ESC) become '?'. Japanese text, valid
 * UTF-8 above U+009F, is untouched.
 */
static void terminal_safe(char *s)
{
    for (unsigned char *p = (unsigned char *)s; p && *p; p++) {
        if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
            *p = '?';
        else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            p[0] = '?';
            p[1] = '?';
            p++;
        }
    }
}

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
    terminal_safe(sb.buf);
    return sb_steal(&sb);
}
