/*
 * test_profile.c - profile loading: inheritance with override and switching
 * off, the bundled ★1 profile, and malformed files reported at file:line:col.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"
#include "profile.h"
#include "unit.h"
#include "util.h"

static const char *param(const struct requirement *r, const char *probe, const char *key)
{
    for (size_t i = 0; i < r->nchecks; i++)
        if (strcmp(r->checks[i].probe->name, probe) == 0) {
            const struct ynode *n = check_param(&r->checks[i], key);
            return n && n->type == Y_SCALAR ? n->value : NULL;
        }
    return NULL;
}

static void test_inheritance(void)
{
    struct profile p;
    struct yerr e;
    const struct requirement *r1, *r2, *r3, *r9;

    CU_ASSERT_EQUAL_FATAL(profile_load_path(&p, "data/child.yaml", &e), 0);
    CU_ASSERT_STRING_EQUAL(p.id, "test-child");
    CU_ASSERT_STRING_EQUAL(p.extends, "test-base");
    CU_ASSERT_EQUAL(p.level, 1);              /* inherited */
    CU_ASSERT_STRING_EQUAL(p.status, "provisional");
    CU_ASSERT_STRING_EQUAL(p.title.en, "Lab profile");
    CU_ASSERT_EQUAL(p.nreqs, 4);
    r1 = profile_req(&p, "R-1");
    r2 = profile_req(&p, "R-2");
    r3 = profile_req(&p, "R-3");
    r9 = profile_req(&p, "R-9");
    CU_ASSERT_FATAL(r1 && r2 && r3 && r9);
    /* Override one parameter, keep the other, append a new check. */
    CU_ASSERT_STRING_EQUAL(param(r1, "ports.exposure", "inflight"), "8");
    CU_ASSERT_PTR_NOT_NULL(check_param(&r1->checks[0], "udp_ports"));
    CU_ASSERT_EQUAL(r1->nchecks, 2);
    CU_ASSERT_STRING_EQUAL(r1->checks[1].probe->name, "transport.plaintext");
    CU_ASSERT_STRING_EQUAL(r1->title.ja, "ポート"); /* untouched fields stay */
    /* Switched off with a reason; inherited as is; added. */
    CU_ASSERT_STRING_EQUAL(r2->disabled, "not in scope for this lab");
    CU_ASSERT_PTR_NULL(r3->disabled);
    CU_ASSERT_STRING_EQUAL(r9->assess, "evidence");
    /* Order: the parent's first, then the child's new ones. */
    CU_ASSERT_STRING_EQUAL(p.reqs[3].id, "R-9");
    profile_free(&p);
}

static void test_two_levels(void)
{
    struct profile p;
    struct yerr e;

    CU_ASSERT_EQUAL_FATAL(profile_load_path(&p, "data/grandchild.yaml", &e), 0);
    const struct requirement *r1 = profile_req(&p, "R-1");
    CU_ASSERT_STRING_EQUAL(param(r1, "ports.exposure", "inflight"), "8");
    CU_ASSERT_STRING_EQUAL(param(r1, "ports.exposure", "rate"), "100");
    CU_ASSERT_PTR_NOT_NULL(profile_req(&p, "R-2")->disabled);
    CU_ASSERT_EQUAL(check_param_int(&r1->checks[0], "rate", -1), 100);
    /* A default from the probe's table when the profile is silent. */
    CU_ASSERT_EQUAL(check_param_int(&r1->checks[0], "connect_timeout_ms", -1), 1000);
    CU_ASSERT_TRUE(check_param_in_list(&r1->checks[0], "plaintext_admin", "telnet", 0));
    CU_ASSERT_FALSE(check_param_in_list(&r1->checks[0], "plaintext_admin", "tel", 0));
    profile_free(&p);
}

static void test_cycle(void)
{
    struct profile p;
    struct yerr e;

    CU_ASSERT_NOT_EQUAL(profile_load_path(&p, "data/loop-a.yaml", &e), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "deeper than"));
    profile_free(&p);
}

static void test_bundled_star1(void)
{
    struct profile p;
    struct yerr e;
    char *path;

    setenv("STARPROBE_PROFILES", "../../profiles", 1);
    path = profile_find("star1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(path);
    free(path);
    if (profile_load(&p, "star1", &e) != 0) {
        fprintf(stderr, "\n%s\n", e.msg);
        CU_FAIL_FATAL("the bundled star1 profile does not load");
    }
    CU_ASSERT_STRING_EQUAL(p.id, "jcstar-star1");
    CU_ASSERT_EQUAL(p.level, 1);
    CU_ASSERT_EQUAL(p.nreqs, 16);
    for (size_t i = 0; i < p.nreqs; i++) {
        char want[32];
        snprintf(want, sizeof(want), "S1.1-%02zu", i + 1);
        CU_ASSERT_STRING_EQUAL(p.reqs[i].id, want);
        CU_ASSERT_PTR_NOT_NULL(p.reqs[i].title.en);
        CU_ASSERT_PTR_NOT_NULL(p.reqs[i].title.ja);
        CU_ASSERT_PTR_NOT_NULL(p.reqs[i].evidence.en);
        CU_ASSERT_PTR_NOT_NULL(p.reqs[i].evidence.ja);
        CU_ASSERT_PTR_NOT_NULL(p.reqs[i].status);
        CU_ASSERT_TRUE(p.reqs[i].nchecks > 0);
    }
    CU_ASSERT_STRING_EQUAL(profile_req(&p, "S1.1-13")->checks[0].probe->name, "ports.exposure");
    CU_ASSERT_STRING_EQUAL(profile_req(&p, "S1.1-09")->status, "unknown");
    profile_free(&p);
    unsetenv("STARPROBE_PROFILES");
}

/*
 * The provisional ★2–★4 profiles: each row loads one by short name from ../../profiles and
 * checks that it is the level it says, provisional, extends the level below (an inherited
 * requirement is there), carries one stricter parameter in the merged check, and adds a
 * requirement of its own; then that every requirement has both titles.
 */
static const struct {
    const char *name;          /* short name, as -p takes it */
    const char *id;
    long level;
    size_t nreqs;              /* 16 of ★1 plus those each level adds */
    const char *extends;
    const char *inherited;     /* a requirement of the level below */
    const char *req, *probe, *key;
    const char *list_item;     /* the merged list must hold it, or NULL */
    const char *scalar;        /* or the merged scalar must equal it */
    const char *added;         /* a requirement this level adds */
} provisional[] = {
    {"star2", "jcstar-star2", 2, 20, "jcstar-star1", "S1.1-13",
     "S1.1-12", "tls.ciphers", "forbid", "non-PFS", NULL, "S2.x-01"},
    {"star2", "jcstar-star2", 2, 20, "jcstar-star1", "S1.1-13",
     "S1.1-12", "tls.certificate", "self_signed", NULL, "fail", "S2.x-04"},
    {"star2", "jcstar-star2", 2, 20, "jcstar-star1", "S1.1-13",
     "S1.1-12", "ssh.algorithms", "forbid_macs", "hmac-sha1*", NULL, "S2.x-03"},
    {"star3", "jcstar-star3", 3, 25, "jcstar-star2", "S2.x-01",
     "S1.1-04", "auth.bruteforce", "attempts", NULL, "10", "S3.x-03"},
    {"star3", "jcstar-star3", 3, 25, "jcstar-star2", "S2.x-01",
     "S1.1-12", "tls.certificate", "self_signed", NULL, "fail", "S3.x-01"},
    {"star4", "jcstar-star4", 4, 29, "jcstar-star3", "S3.x-04",
     "S1.1-04", "auth.bruteforce", "attempts", NULL, "10", "S4.x-03"},
    {"star3", "jcstar-star3", 3, 25, "jcstar-star2", "S2.x-01",
     "S3.x-05", "robust.malformed", "campaign", NULL, "bounded", "S3.x-05"},
    {"star4", "jcstar-star4", 4, 29, "jcstar-star3", "S3.x-05",
     "S4.x-04", "robust.malformed", "flood_connections", NULL, "200", "S4.x-04"},
    {"star4", "jcstar-star4", 4, 29, "jcstar-star3", "S1.1-01",
     "S1.1-12", "ssh.algorithms", "forbid_hostkey", "ssh-rsa", NULL, "S4.x-01"},
};

static void test_bundled_provisional(void)
{
    setenv("STARPROBE_PROFILES", "../../profiles", 1);
    for (size_t i = 0; i < SP_ARRAY_LEN(provisional); i++) {
        struct profile p;
        struct yerr e;
        const struct requirement *r;
        const struct check *c = NULL;

        if (profile_load(&p, provisional[i].name, &e) != 0) {
            fprintf(stderr, "\nrow %zu: %s\n", i, e.msg);
            CU_FAIL("a bundled provisional profile does not load");
            profile_free(&p);
            continue;
        }
        CU_ASSERT_STRING_EQUAL(p.id, provisional[i].id);
        CU_ASSERT_EQUAL(p.level, provisional[i].level);
        CU_ASSERT_EQUAL(p.nreqs, provisional[i].nreqs);
        CU_ASSERT_STRING_EQUAL(p.status, "provisional");
        CU_ASSERT_TRUE(p.edition && strstr(p.edition, "reconstructed"));
        CU_ASSERT_STRING_EQUAL(p.extends, provisional[i].extends);
        CU_ASSERT_PTR_NOT_NULL(profile_req(&p, provisional[i].inherited));
        CU_ASSERT_PTR_NOT_NULL(profile_req(&p, "S1.1-16"));
        r = profile_req(&p, provisional[i].added);
        CU_ASSERT_PTR_NOT_NULL(r);
        if (r)
            CU_ASSERT_STRING_EQUAL(r->status, "inferred");
        r = profile_req(&p, provisional[i].req);
        for (size_t k = 0; r && k < r->nchecks; k++)
            if (strcmp(r->checks[k].probe->name, provisional[i].probe) == 0)
                c = &r->checks[k];
        CU_ASSERT_PTR_NOT_NULL(c);
        /* Read from the merged check's own `with`, not the probe's defaults. */
        CU_ASSERT_TRUE(c && c->with && ynode_get(c->with, provisional[i].key));
        if (c && provisional[i].list_item)
            CU_ASSERT_TRUE(check_param_in_list(c, provisional[i].key, provisional[i].list_item, 0));
        if (c && provisional[i].scalar) {
            const struct ynode *n = check_param(c, provisional[i].key);
            CU_ASSERT_TRUE(n && n->type == Y_SCALAR &&
                           strcmp(n->value, provisional[i].scalar) == 0);
        }
        for (size_t k = 0; k < p.nreqs; k++) {
            const struct requirement *q = &p.reqs[k];
            if (!q->title.en || !q->title.ja || !q->evidence.en || !q->evidence.ja) {
                fprintf(stderr, "\n%s %s lacks a title or evidence text in one language\n", p.id,
                        q->id);
                CU_FAIL("every requirement has ja and en titles and evidence");
            }
            CU_ASSERT_TRUE(q->nchecks > 0);
        }
        profile_free(&p);
    }
    unsetenv("STARPROBE_PROFILES");
}

/*
 * The sibling schemes: status derived, every requirement bilingual with EN 303 645 and TS 103 701
 * refs, and the conventions (probe/both lists a probe, evidence lists only evidence.document) hold.
 */
static const struct {
    const char *name;
    size_t nreqs;
    const char *a_req, *a_probe;    /* one requirement and a probe that decides it */
} siblings[] = {
    {"etsi-en303645", 13, "5.6-2", "banners.versions"},
    {"uk-psti", 3, "PSTI-1", "creds.defaults"},
};

static void test_bundled_siblings(void)
{
    setenv("STARPROBE_PROFILES", "../../profiles", 1);
    for (size_t i = 0; i < SP_ARRAY_LEN(siblings); i++) {
        struct profile p;
        struct yerr e;
        const struct requirement *r;
        int found = 0;

        if (profile_load(&p, siblings[i].name, &e) != 0) {
            fprintf(stderr, "\n%s: %s\n", siblings[i].name, e.msg);
            CU_FAIL("a bundled sibling profile does not load");
            profile_free(&p);
            continue;
        }
        CU_ASSERT_STRING_EQUAL(p.id, siblings[i].name);
        CU_ASSERT_STRING_EQUAL(p.status, "derived");
        CU_ASSERT_EQUAL(p.level, 1);
        CU_ASSERT_PTR_NULL(p.extends);
        CU_ASSERT_TRUE(p.source.en && p.source.ja && p.edition);
        CU_ASSERT_EQUAL(p.nreqs, siblings[i].nreqs);
        r = profile_req(&p, siblings[i].a_req);
        for (size_t k = 0; r && k < r->nchecks; k++)
            found |= strcmp(r->checks[k].probe->name, siblings[i].a_probe) == 0;
        CU_ASSERT_TRUE(found);
        for (size_t k = 0; k < p.nreqs; k++) {
            const struct requirement *q = &p.reqs[k];
            int probes = 0, docs = 0;
            CU_ASSERT_TRUE(q->title.en && q->title.ja && q->evidence.en && q->evidence.ja);
            CU_ASSERT_TRUE(ynode_get(q->refs, "etsi_en_303_645") && ynode_get(q->refs, "ts_103_701"));
            for (size_t c = 0; c < q->nchecks; c++) {
                if (strcmp(q->checks[c].probe->name, "evidence.document") == 0)
                    docs++;
                else
                    probes++;
            }
            if (strcmp(q->assess, "evidence") == 0)
                CU_ASSERT_TRUE(probes == 0 && docs == 1);
            if (strcmp(q->assess, "probe") == 0)
                CU_ASSERT_TRUE(probes > 0 && docs == 0);
            if (strcmp(q->assess, "both") == 0)
                CU_ASSERT_TRUE(probes > 0 && docs == 1);
        }
        profile_free(&p);
    }
    unsetenv("STARPROBE_PROFILES");
}

/* A check the profile does not have (NULL) reads as the caller's defaults, never a crash. */
static void test_absent_check(void)
{
    CU_ASSERT_PTR_NULL(check_param(NULL, "tcp_ports"));
    CU_ASSERT_EQUAL(check_param_int(NULL, "udp_wait_ms", 1234), 1234);
    CU_ASSERT_EQUAL(check_param_in_list(NULL, "forbid", "telnet", 7), 7);
}

/* Each malformed profile must be refused at the right place, saying what was expected. */
static const struct {
    const char *yaml;
    const char *where;   /* ":line:col:" */
    const char *says;
} bad_profiles[] = {
    {"profile: x\nlevel: 1\nrequirements: [\n", ":4:1:", "did not find expected node content"},
    {"profile: x\nlevel: 1\nrequirments: []\n", ":3:1:", "unknown key 'requirments'"},
    {"profile: x\nlevel: one\nrequirements: []\n", ":2:8:", "'level' must be an integer"},
    {"level: 1\nrequirements: []\n", ":1:1:", "missing required key 'profile'"},
    {"profile: x\nlevel: 1\nrequirements:\n  - id: A\n    title: t\n    assess: probe\n"
     "    checks:\n      - probe: no.such\n", ":8:16:", "unknown probe 'no.such'"},
    {"profile: x\nlevel: 1\nrequirements:\n  - id: A\n    title: t\n    assess: probe\n"
     "    checks:\n      - probe: ports.exposure\n        with: {infligt: 3}\n", ":9:16:",
     "has no parameter 'infligt'"},
    {"profile: x\nlevel: 1\nrequirements:\n  - id: A\n    title: t\n    assess: maybe\n"
     "    checks:\n      - probe: ports.exposure\n", ":6:13:", "'assess' must be probe | evidence | both"},
    {"profile: x\nlevel: 1\nrequirements:\n  - id: A\n    title: t\n    assess: probe\n", ":4:5:",
     "has no 'checks'"},
    {"profile: x\nlevel: 1\nrequirements:\n  - id: A\n    title: t\n    assess: probe\n"
     "    checks: [{probe: ports.exposure}]\n  - id: A\n    title: t\n    assess: probe\n"
     "    checks: [{probe: ports.exposure}]\n", ":8:5:", "defined twice"},
    {"profile: x\nprofile: y\nlevel: 1\nrequirements: []\n", ":2:1:", "duplicate key 'profile'"},
    {"profile: x\nlevel: 1\nstatus: guessed\nrequirements: []\n", ":3:9:",
     "'status' must be official | provisional | derived"},
    {"profile: x\nlevel: 1\nextends: nowhere-to-be-found\nrequirements: []\n", ":3:10:",
     "cannot find the profile"},
    {"- just\n- a list\n", ":1:1:", "a profile must be a mapping"},
    {"", "", "empty"},
};

static void test_malformed(void)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(bad_profiles); i++) {
        char path[64];
        struct profile p;
        struct yerr e;
        char where[64];

        CU_ASSERT_FATAL(unit_temp_file(bad_profiles[i].yaml, path, sizeof(path)) == 0);
        e.msg[0] = '\0';
        CU_ASSERT_NOT_EQUAL(profile_load_path(&p, path, &e), 0);
        snprintf(where, sizeof(where), "%s%s", path, bad_profiles[i].where);
        if (strncmp(e.msg, where, strlen(where)) != 0 || !strstr(e.msg, bad_profiles[i].says)) {
            fprintf(stderr, "\ncase %zu: want '%s…%s', got '%s'\n", i, where, bad_profiles[i].says,
                    e.msg);
            CU_FAIL("malformed profile not reported at file:line:col with the expected message");
        }
        profile_free(&p);
        unlink(path);
    }
}

int register_profile_tests(void)
{
    CU_pSuite s = CU_add_suite("profile", NULL, NULL);
    if (!s || !CU_add_test(s, "extends: override, add, switch off", test_inheritance) ||
        !CU_add_test(s, "extends two levels, defaults", test_two_levels) ||
        !CU_add_test(s, "extends cycle", test_cycle) ||
        !CU_add_test(s, "bundled jcstar-star1", test_bundled_star1) ||
        !CU_add_test(s, "bundled provisional jcstar-star2..4", test_bundled_provisional) ||
        !CU_add_test(s, "bundled sibling schemes etsi-en303645, uk-psti", test_bundled_siblings) ||
        !CU_add_test(s, "a check the profile does not have reads as defaults", test_absent_check) ||
        !CU_add_test(s, "malformed profiles", test_malformed))
        return -1;
    return 0;
}
