/*
 * fuzz_facts.c - libFuzzer entry for the facts' JSON form (reports/facts_json.c:
 * a service's families, the run's own and the credentials found) and the
 * worker's state hand-back
 * (harness/worker.c). A worker child reads
 * device bytes; what it writes back is parsed by the parent, so these
 * parsers must refuse anything malformed without crashing. And whatever
 * loads must come back the same: written, loaded again and written again,
 * the two writes must be equal.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "facts_json.h"
#include "run.h"
#include "worker.h"

/*
 * once and twice are what the writer made of a load, and of loading that
 * again: the same text, or the codec lost or changed a fact. As text, because
 * cJSON_Compare calls an object with a name given twice unequal to itself.
 * Frees both.
 */
static void same_text(cJSON *once, cJSON *twice)
{
    char *t1 = once ? cJSON_PrintUnformatted(once) : NULL;
    char *t2 = twice ? cJSON_PrintUnformatted(twice) : NULL;

    if ((t1 == NULL) != (t2 == NULL) || (t1 && strcmp(t1, t2) != 0))
        abort();
    free(t1);
    free(t2);
    cJSON_Delete(once);
    cJSON_Delete(twice);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *in = cJSON_ParseWithLength((const char *)data, size), *once;
    struct service *a = xcalloc(1, sizeof(*a)), *b = xcalloc(1, sizeof(*b));
    struct run ra, rb;
    char why[256], *text;

    /* As a service's facts. */
    if (in && service_facts_load(a, in, why, sizeof(why)) == 0) {
        once = service_facts_json(a);
        if (service_facts_load(b, once, why, sizeof(why)) != 0)
            abort();    /* what the writer made does not load */
        same_text(once, service_facts_json(b));
    }
    /* As the run's own facts, and as the credentials found. */
    memset(&ra, 0, sizeof(ra));
    memset(&rb, 0, sizeof(rb));
    if (in && run_facts_load(&ra, in, why, sizeof(why)) == 0) {
        once = run_facts_json(&ra);
        if (run_facts_load(&rb, once, why, sizeof(why)) != 0)
            abort();
        same_text(once, run_facts_json(&rb));
    }
    if (in && credentials_load(&ra, in, why, sizeof(why)) == 0) {
        once = credentials_json(&ra);
        if (credentials_load(&rb, once, why, sizeof(why)) != 0)
            abort();
        same_text(once, credentials_json(&rb));
    }
    run_facts_clear(&ra);
    run_facts_clear(&rb);
    credentials_load(&ra, NULL, why, sizeof(why));
    credentials_load(&rb, NULL, why, sizeof(why));
    cJSON_Delete(in);
    service_free(a);
    service_free(b);

    /* The same bytes as a whole worker state. */
    text = malloc(size + 1);
    if (text) {
        struct run r;
        struct run_opts o = {.jobs = 1, .deadline_s = 10, .lang = "en", .quiet = 1};
        int rc;
        memcpy(text, data, size);
        text[size] = '\0';
        run_init(&r, &o, NULL, NULL);
        (void)worker_state_load(&r, text, &rc);
        run_free(&r);
        free(text);
    }
    return 0;
}
