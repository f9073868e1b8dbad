/*
 * unit_util.c - helpers the suites share.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "facts_json.h"
#include "profile.h"
#include "probe.h"
#include "run.h"
#include "unit.h"

int unit_temp_file(const char *text, char *path, size_t pathlen)
{
    static const char tmpl[] = "/tmp/sp-unit-XXXXXX";
    int fd;
    size_t n = strlen(text);

    if (pathlen < sizeof(tmpl))
        return -1;
    memcpy(path, tmpl, sizeof(tmpl));
    fd = mkstemp(path);
    if (fd < 0)
        return -1;
    if (write(fd, text, n) != (ssize_t)n) {
        close(fd);
        unlink(path);
        return -1;
    }
    close(fd);
    return 0;
}

int unit_profile_text(const char *yaml, struct profile *p)
{
    char path[64];
    struct yerr e;
    int rc;

    if (unit_temp_file(yaml, path, sizeof(path)) != 0)
        return -1;
    rc = profile_load_path(p, path, &e);
    unlink(path);
    return rc == 0 ? 0 : -1;
}

void unit_scanned_run(struct run *r, const struct profile *p)
{
    struct run_opts o = {.jobs = 1, .deadline_s = 10, .lang = "en", .quiet = 1};

    run_init(r, &o, p, NULL);
    r->scan.tcp_done = r->scan.udp_done = r->scan.tcp_complete = r->scan.udp_complete = 1;
    for (size_t i = 0; i < p->nreqs; i++)
        for (size_t j = 0; j < p->reqs[i].nchecks; j++) {
            const struct gatherer *g = p->reqs[i].checks[j].probe->gatherer;
            int seen = 0;
            for (size_t k = 0; k < r->ngathered; k++)
                seen |= r->gathered[k].g == g;
            if (g && !seen && r->ngathered < RUN_MAX_GATHERERS)
                r->gathered[r->ngathered++].g = g;
        }
}

void unit_set_facts(struct service *s, const char *family, const char *json)
{
    cJSON *all = service_facts_json(s), *f = cJSON_Parse(json);
    char why[160];

    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    if (!all)
        all = cJSON_CreateObject();
    cJSON_DeleteItemFromObjectCaseSensitive(all, family);
    cJSON_AddItemToObject(all, family, f);
    int rc = service_facts_load(s, all, why, sizeof(why));
    if (rc != 0)
        fprintf(stderr, "\nunit_set_facts %s: %s\n", family, why);
    cJSON_Delete(all);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
}

/* {family: the row}, loaded onto a fresh service: 0 or the loader's error, with why. */
static int facts_load_row(const char *family, const char *row, struct service *s, cJSON **wrap,
                          char *why, size_t whylen)
{
    cJSON *f = cJSON_Parse(row);

    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    *wrap = cJSON_CreateObject();
    cJSON_AddItemToObject(*wrap, family, f);
    why[0] = '\0';
    return service_facts_load(s, *wrap, why, whylen);
}

void unit_facts_round_trip(const char *family, const char *const *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct service *s = xcalloc(1, sizeof(*s));
        cJSON *in, *out;
        char why[160];

        CU_ASSERT_EQUAL(facts_load_row(family, rows[i], s, &in, why, sizeof(why)), 0);
        out = service_facts_json(s);
        if (!cJSON_Compare(in, out, 1)) {
            char *t = out ? cJSON_PrintUnformatted(out) : NULL;
            fprintf(stderr, "\n%s facts row %zu came back as %s (%s)\n", family, i, t ? t : "nothing",
                    why);
            free(t);
        }
        CU_ASSERT(cJSON_Compare(in, out, 1));
        cJSON_Delete(in);
        cJSON_Delete(out);
        service_free(s);
    }
}

void unit_facts_refused(const char *family, const struct unit_bad_facts *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct service *s = xcalloc(1, sizeof(*s));
        cJSON *in;
        char why[160];

        CU_ASSERT_EQUAL(facts_load_row(family, rows[i].json, s, &in, why, sizeof(why)), SP_ERR_PARSE);
        if (!strstr(why, rows[i].why))
            fprintf(stderr, "\n%s facts '%s': \"%s\" does not name %s\n", family, rows[i].json, why,
                    rows[i].why);
        CU_ASSERT_PTR_NOT_NULL(strstr(why, rows[i].why));
        /* Nothing half-loaded stays behind. */
        CU_ASSERT_PTR_NULL(service_facts_json(s));
        cJSON_Delete(in);
        service_free(s);
    }
}
