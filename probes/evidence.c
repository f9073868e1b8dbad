/*
 * evidence.c - evidence.document: requirements assessed by documents. The
 * verdict comes from the declaration alone; starprobe lists the evidence for
 * a reviewer and does not fetch it (it talks to the target only).
 */
#include <string.h>

#include "run.h"

static void evidence_judge(struct run *r, const struct check *c, struct check_result *res)
{
    const char *id = res->req->id;
    const char *v = device_evidence(r->device, id);

    (void)c;
    if (!r->device) {
        cr_set(res, V_EVIDENCE_REQUIRED,
               "No device declaration was given, so no evidence for %s is declared.", id);
    } else if (!v) {
        cr_set(res, V_EVIDENCE_REQUIRED, "The declaration names no evidence for %s.", id);
    } else {
        cr_set(res, V_EVIDENCE_DECLARED,
               "Evidence for %s is declared; a reviewer must examine it.", id);
        cr_evidence(res, NULL, "declared: %s", v);
    }
    if (res->verdict == V_EVIDENCE_REQUIRED && res->req->evidence.en)
        cr_evidence(res, NULL, "a reviewer must see: %s", lstr_get(&res->req->evidence, r->opt.lang));
}

const struct probe probe_evidence_document = {
    .name = "evidence.document",
    .summary = "Document evidence named in the device declaration, for a reviewer",
    .rule = "EVIDENCE_DECLARED when the declaration's evidence map names the requirement id, "
            "else EVIDENCE_REQUIRED. The evidence is listed, not fetched.",
    .flags = 0,
    .params = NULL,
    .gatherer = NULL,
    .judge = evidence_judge,
};
