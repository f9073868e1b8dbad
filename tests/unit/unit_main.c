/*
 * unit_main.c - runs every CUnit suite. CU_basic_run_tests() reports success
 * even when tests fail, so the exit status is the failure count.
 */
#include <CUnit/Basic.h>
#include <stdio.h>

#include "unit.h"

/* Every suite, one a line: a new suite is one row here and one declaration in unit.h. */
static int (*const suites[])(void) = {
    register_verdict_tests,
    register_profile_tests,
    register_device_tests,
    register_ports_tests,
    register_ident_tests,
    register_ssh_tests,
    register_tls_tests,
    register_unauth_tests,
    register_creds_tests,
    register_worker_tests,
    register_rxbuf_tests,
    register_proto_tests,
    register_report_tests,
    register_coap_tests,
    register_kinds_tests,
    register_judges_tests,
    register_html_form_tests,
    register_upnp_tests,
    register_robust_tests,
    register_upload_tests,
    register_banner_tests,
};

int main(void)
{
    unsigned failures;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 70;
    for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
        if (suites[i]() != 0) {
            fprintf(stderr, "cannot register the test suites: %s\n", CU_get_error_msg());
            CU_cleanup_registry();
            return 70;
        }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    failures = CU_get_number_of_failures();
    CU_cleanup_registry();
    return failures > 125 ? 125 : (int)failures;
}
