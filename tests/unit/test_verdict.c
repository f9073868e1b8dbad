/*
 * test_verdict.c - the aggregation rules of docs/design.md §4.2, as tables.
 */
#include <CUnit/CUnit.h>

#include "starprobe.h"
#include "unit.h"
#include "util.h"

#define F V_FAIL
#define E V_ERROR
#define I V_INCONCLUSIVE
#define R V_EVIDENCE_REQUIRED
#define D V_EVIDENCE_DECLARED
#define P V_PASS
#define N V_NOT_APPLICABLE

static void test_worst_order(void)
{
    /* docs/design.md §4.2: FAIL > ERROR > INCONCLUSIVE > EVIDENCE_REQUIRED > EVIDENCE_DECLARED > PASS > N/A */
    static const enum sp_verdict order[] = {F, E, I, R, D, P, N};
    for (size_t i = 0; i < SP_ARRAY_LEN(order); i++)
        for (size_t j = 0; j < SP_ARRAY_LEN(order); j++)
            CU_ASSERT_EQUAL(verdict_worst(order[i], order[j]), order[i < j ? i : j]);
}

static const struct {
    enum sp_verdict v[4];
    int n;
    enum sp_overall want;
} overall_cases[] = {
    {{P, P, P}, 3, OV_CONFORMANT},
    {{P, N, D}, 3, OV_CONFORMANT},
    {{N}, 1, OV_CONFORMANT},
    {{P, F, P}, 3, OV_NOT_CONFORMANT},
    {{I, F}, 2, OV_NOT_CONFORMANT},
    {{F, E}, 2, OV_NOT_CONFORMANT},
    {{P, I}, 2, OV_INCOMPLETE},
    {{P, R}, 2, OV_INCOMPLETE},
    {{P, E}, 2, OV_INCOMPLETE},
    {{D, R, N}, 3, OV_INCOMPLETE},
    {{P}, 0, OV_INCOMPLETE}, /* an empty profile proves nothing */
};

static void test_overall(void)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(overall_cases); i++) {
        enum sp_overall got = overall_from(overall_cases[i].v, overall_cases[i].n);
        if (got != overall_cases[i].want)
            CU_FAIL("overall verdict differs from docs/design.md §4.2");
        CU_ASSERT_EQUAL(got, overall_cases[i].want);
    }
}

static void test_exit_codes(void)
{
    CU_ASSERT_EQUAL(overall_exit_code(OV_CONFORMANT), 0);
    CU_ASSERT_EQUAL(overall_exit_code(OV_NOT_CONFORMANT), 1);
    CU_ASSERT_EQUAL(overall_exit_code(OV_INCOMPLETE), 2);
}

static void test_names_round_trip(void)
{
    for (int v = 0; v < V_COUNT; v++) {
        enum sp_verdict back;
        CU_ASSERT_EQUAL(verdict_parse(verdict_name((enum sp_verdict)v), &back), 0);
        CU_ASSERT_EQUAL(back, v);
    }
    CU_ASSERT_STRING_EQUAL(verdict_name(V_EVIDENCE_DECLARED), "EVIDENCE_DECLARED");
    CU_ASSERT_NOT_EQUAL(verdict_parse("pass", &(enum sp_verdict){0}), 0);
}

int register_verdict_tests(void)
{
    CU_pSuite s = CU_add_suite("verdict", NULL, NULL);
    if (!s || !CU_add_test(s, "worst-of order", test_worst_order) ||
        !CU_add_test(s, "profile verdict", test_overall) ||
        !CU_add_test(s, "exit codes", test_exit_codes) ||
        !CU_add_test(s, "names", test_names_round_trip))
        return -1;
    return 0;
}
