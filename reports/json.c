/*
 * json.c - report.json, the contract other programs read (docs/report.md).
 * Built with cJSON rather than by hand, so escaping is never our bug.
 * Key names are stable; `schema` changes its number when one changes meaning.
 */
#include <stdlib.h>
#include <string.h>

#include "facts_json.h"
#include "report.h"

static cJSON *lstr_json(const struct lstr *s)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "en", s->en ? s->en : (s->ja ? s->ja : ""));
    cJSON_AddStringToObject(o, "ja", s->ja ? s->ja : (s->en ? s->en : ""));
    return o;
}

static cJSON *ynode_json(const struct ynode *n)
{
    cJSON *o;

    if (!n)
        return cJSON_CreateNull();
    switch (n->type) {
    case Y_SCALAR:
        return cJSON_CreateString(n->value);
    case Y_SEQ:
        o = cJSON_CreateArray();
        for (size_t i = 0; i < n->n; i++)
            cJSON_AddItemToArray(o, ynode_json(n->items[i]));
        return o;
    case Y_MAP:
        o = cJSON_CreateObject();
        for (size_t i = 0; i < n->n; i++)
            cJSON_AddItemToObject(o, n->keys[i]->value, ynode_json(n->items[i]));
        return o;
    }
    return cJSON_CreateNull();
}

static cJSON *check_json(const struct check_result *c)
{
    cJSON *o = cJSON_CreateObject(), *ev = cJSON_CreateArray();

    cJSON_AddStringToObject(o, "probe", c->check ? c->check->probe->name : "?");
    cJSON_AddStringToObject(o, "verdict", verdict_name(c->verdict));
    cJSON_AddStringToObject(o, "reason", c->reason ? c->reason : "");
    for (size_t i = 0; i < c->nev; i++) {
        cJSON *e = cJSON_CreateObject();
        if (c->ev[i].service)
            cJSON_AddStringToObject(e, "service", c->ev[i].service);
        else
            cJSON_AddNullToObject(e, "service");
        cJSON_AddStringToObject(e, "detail", c->ev[i].detail);
        cJSON_AddItemToArray(ev, e);
    }
    cJSON_AddItemToObject(o, "evidence", ev);
    if (c->check && c->check->with)
        cJSON_AddItemToObject(o, "with", ynode_json(c->check->with));
    return o;
}

static cJSON *service_json(const struct service *s)
{
    cJSON *o = cJSON_CreateObject(), *facts;

    cJSON_AddNumberToObject(o, "port", (double)s->port);
    cJSON_AddStringToObject(o, "transport", transport_name(s->transport));
    cJSON_AddStringToObject(o, "service", s->name);
    cJSON_AddBoolToObject(o, "declared", s->declared);
    if (s->decl)
        cJSON_AddStringToObject(o, "declared_as", s->decl->service);
    if (s->banner)
        cJSON_AddStringToObject(o, "banner", s->banner);
    else
        cJSON_AddNullToObject(o, "banner");
    if (s->ident)
        cJSON_AddStringToObject(o, "identified_by", s->ident);
    /* Per-protocol facts ("tls", "ssh", "mqtt", …) sit beside the core keys. */
    if ((facts = service_facts_json(s)) != NULL) {
        cJSON *f;
        while ((f = facts->child) != NULL) {
            cJSON_DetachItemViaPointer(facts, f);
            cJSON_AddItemToArray(o, f);     /* keeps its name */
        }
        cJSON_Delete(facts);
    }
    return o;
}

static cJSON *report_json(const struct run *r)
{
    const struct profile *p = r->profile;
    cJSON *root = cJSON_CreateObject(), *o, *arr;
    char when[32];
    int counts[V_COUNT] = {0};

    cJSON_AddStringToObject(root, "schema", STARPROBE_REPORT_SCHEMA);
    o = cJSON_AddObjectToObject(root, "tool");
    cJSON_AddStringToObject(o, "name", "starprobe");
    cJSON_AddStringToObject(o, "version", STARPROBE_VERSION);

    o = cJSON_AddObjectToObject(root, "profile");
    cJSON_AddStringToObject(o, "id", p->id);
    cJSON_AddNumberToObject(o, "level", (double)p->level);
    cJSON_AddStringToObject(o, "edition", p->edition ? p->edition : "");
    cJSON_AddStringToObject(o, "status", p->status ? p->status : "provisional");
    cJSON_AddItemToObject(o, "title", lstr_json(&p->title));
    if (p->extends)
        cJSON_AddStringToObject(o, "extends", p->extends);

    o = cJSON_AddObjectToObject(root, "target");
    cJSON_AddStringToObject(o, "host", r->target.host);
    cJSON_AddStringToObject(o, "address", r->target.addrstr);

    if (r->device) {
        o = cJSON_AddObjectToObject(root, "device");
        cJSON_AddStringToObject(o, "vendor", r->device->vendor ? r->device->vendor : "");
        cJSON_AddStringToObject(o, "model", r->device->model ? r->device->model : "");
        cJSON_AddStringToObject(o, "firmware", r->device->firmware ? r->device->firmware : "");
        if (r->device->category)
            cJSON_AddStringToObject(o, "category", r->device->category);
    } else {
        cJSON_AddNullToObject(root, "device");
    }
    report_iso_time(r->started, when, sizeof(when));
    cJSON_AddStringToObject(root, "started", when);
    cJSON_AddNumberToObject(root, "elapsed_ms", (double)r->elapsed_ms);
    cJSON_AddStringToObject(root, "verdict", overall_name(r->overall));
    /* Where the time went, per fact-gathering step (benchmarks read this). */
    o = cJSON_AddObjectToObject(root, "timings_ms");
    for (size_t i = 0; i < r->ngathered; i++)
        cJSON_AddNumberToObject(o, r->gathered[i].g->name, (double)r->gathered[i].ms);
    o = cJSON_AddObjectToObject(root, "options");
    cJSON_AddBoolToObject(o, "intrusive", r->opt.intrusive);
    cJSON_AddNumberToObject(o, "jobs", r->opt.jobs);
    cJSON_AddNumberToObject(o, "deadline_s", r->opt.deadline_s);
    /* Every host besides the target that a check was allowed to contact. */
    arr = cJSON_AddArrayToObject(o, "allow_hosts");
    for (size_t i = 0; i < r->opt.nallow; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(r->opt.allow_hosts[i]));
    if (r->opt.compare)
        cJSON_AddStringToObject(o, "compare", r->opt.compare);
    else
        cJSON_AddNullToObject(o, "compare");

    arr = cJSON_AddArrayToObject(root, "requirements");
    for (size_t i = 0; i < r->nresults; i++) {
        const struct req_result *rr = &r->results[i];
        cJSON *q = cJSON_CreateObject(), *checks = cJSON_CreateArray();
        cJSON_AddStringToObject(q, "id", rr->req->id);
        cJSON_AddItemToObject(q, "title", lstr_json(&rr->req->title));
        cJSON_AddStringToObject(q, "status", rr->req->status ? rr->req->status : "unknown");
        cJSON_AddStringToObject(q, "assess", rr->req->assess ? rr->req->assess : "");
        if (rr->req->refs)
            cJSON_AddItemToObject(q, "refs", ynode_json(rr->req->refs));
        cJSON_AddStringToObject(q, "verdict", verdict_name(rr->verdict));
        cJSON_AddStringToObject(q, "reason", rr->reason ? rr->reason : "");
        if (rr->req->disabled)
            cJSON_AddStringToObject(q, "disabled", rr->req->disabled);
        for (size_t j = 0; j < rr->nchecks; j++)
            cJSON_AddItemToArray(checks, check_json(&rr->checks[j]));
        cJSON_AddItemToObject(q, "checks", checks);
        cJSON_AddItemToArray(arr, q);
        counts[rr->verdict]++;
    }
    o = cJSON_AddObjectToObject(root, "summary");
    for (int v = V_COUNT - 1; v >= 0; v--)
        cJSON_AddNumberToObject(o, verdict_name((enum sp_verdict)v), counts[v]);

    arr = cJSON_AddArrayToObject(root, "services");
    for (size_t i = 0; i < r->nservices; i++)
        cJSON_AddItemToArray(arr, service_json(r->services[i]));
    cJSON_AddItemToObject(root, "credentials", credentials_json(r));

    o = cJSON_AddObjectToObject(root, "scan");
    cJSON_AddBoolToObject(o, "tcp_complete", r->scan.tcp_done && r->scan.tcp_complete);
    cJSON_AddNumberToObject(o, "tcp_ports", (double)r->scan.tcp_ports);
    cJSON_AddNumberToObject(o, "tcp_open", (double)r->scan.tcp_open);
    cJSON_AddNumberToObject(o, "tcp_closed", (double)r->scan.tcp_closed);
    cJSON_AddNumberToObject(o, "tcp_filtered", (double)r->scan.tcp_filtered);
    cJSON_AddNumberToObject(o, "tcp_ms", (double)r->scan.tcp_ms);
    cJSON_AddNumberToObject(o, "udp_ports", (double)r->scan.udp_ports);
    cJSON_AddNumberToObject(o, "udp_answered", (double)r->scan.udp_open);
    cJSON_AddNumberToObject(o, "udp_closed", (double)r->scan.udp_closed);
    cJSON_AddNumberToObject(o, "udp_silent", (double)r->scan.udp_silent);
    if (r->scan.why_incomplete[0])
        cJSON_AddStringToObject(o, "incomplete", r->scan.why_incomplete);
    return root;
}

char *report_json_string(const struct run *r)
{
    cJSON *root = report_json(r);
    char *s = cJSON_Print(root);
    char *file = NULL;

    cJSON_Delete(root);
    if (s) {
        /* The file ends in a newline, which cJSON_Print does not give. */
        size_t n = strlen(s);
        file = xmalloc(n + 2);
        memcpy(file, s, n);
        file[n] = '\n';
        file[n + 1] = '\0';
        free(s);
    }
    /* JSON text is UTF-8 (RFC 8259); cJSON copies bytes as they came. */
    return report_utf8_valid(file);
}
