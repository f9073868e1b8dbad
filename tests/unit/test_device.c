/*
 * test_device.c - the device declaration: fields, relative paths, and
 * malformed declarations reported at file:line:col.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "device.h"
#include "unit.h"
#include "util.h"

static void test_load(void)
{
    struct device d;
    struct yerr e;

    CU_ASSERT_EQUAL_FATAL(device_load(&d, "data/device.yaml", &e), 0);
    CU_ASSERT_STRING_EQUAL(d.vendor, "Acme");
    CU_ASSERT_STRING_EQUAL(d.firmware, "1.2.3");
    CU_ASSERT_EQUAL(d.nservices, 3);
    CU_ASSERT_PTR_NOT_NULL(device_service(&d, 443, T_TCP));
    CU_ASSERT_PTR_NULL(device_service(&d, 443, T_UDP));
    CU_ASSERT_STRING_EQUAL(device_service(&d, 5684, T_UDP)->auth, "psk");
    CU_ASSERT_EQUAL(device_service(&d, 22, T_TCP)->transport, T_TCP); /* tcp by default */
    CU_ASSERT_EQUAL(device_service(&d, 22, T_TCP)->npublic, 1);
    CU_ASSERT_STRING_EQUAL(d.accounts[0].key, "data/keys/id_ed25519");
    CU_ASSERT_STRING_EQUAL(d.update_image, "data/fw/firmware.bin");
    CU_ASSERT_STRING_EQUAL(d.update_public_key, "/etc/vendor.pem");
    CU_ASSERT_STRING_EQUAL(d.update_ca_file, "data/fw/vendor-ca.pem");
    CU_ASSERT_STRING_EQUAL(d.tls_ca_file, "data/fw/device-ca.pem");
    CU_ASSERT_STRING_EQUAL(device_evidence(&d, "S1.1-05"), "https://example.com/security/vdp");
    CU_ASSERT_PTR_NULL(device_evidence(&d, "S1.1-07"));
    device_free(&d);
}

static const struct {
    const char *yaml;
    const char *where;
    const char *says;
} bad[] = {
    {"servces: []\n", ":1:1:", "unknown key 'servces'"},
    {"services:\n  - {port: 70000, service: x}\n", ":2:12:", "'port' must be an integer from 1 to 65535"},
    {"services:\n  - {port: 80, transport: sctp, service: http}\n", ":2:27:", "'transport' must be tcp or udp"},
    {"services:\n  - {port: 80}\n", ":2:5:", "missing required key 'service'"},
    {"services:\n  - {port: 80, service: http}\n  - {port: 80, service: web}\n", ":3:5:",
     "tcp/80 is declared twice"},
    {"services:\n  - {port: 80, service: http, auth: magic}\n", ":2:37:", "'auth' must be"},
    {"accounts:\n  - {service: ssh, pasword: x, user: root}\n", ":2:20:", "unknown key 'pasword'"},
    {"tls: {ca_flie: x.pem}\n", ":1:7:", "unknown key 'ca_flie'"},
    {"evidence:\n  S1.1-05: [a, b]\n", ":2:12:", "evidence for S1.1-05 must be"},
    {"device: {vendor: [x]}\n", ":1:18:", "'vendor' must be a single value"},
    {"services: {port: 80}\n", ":1:11:", "'services' must be a list"},
    {"device: {vendor: \"x\"\n", ":2:1:", "did not find expected"},
};

static void test_malformed(void)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(bad); i++) {
        char path[64];
        struct device d;
        struct yerr e;
        char where[64];

        CU_ASSERT_FATAL(unit_temp_file(bad[i].yaml, path, sizeof(path)) == 0);
        e.msg[0] = '\0';
        CU_ASSERT_NOT_EQUAL(device_load(&d, path, &e), 0);
        snprintf(where, sizeof(where), "%s%s", path, bad[i].where);
        if (strncmp(e.msg, where, strlen(where)) != 0 || !strstr(e.msg, bad[i].says)) {
            fprintf(stderr, "\ncase %zu: want '%s…%s', got '%s'\n", i, where, bad[i].says, e.msg);
            CU_FAIL("malformed declaration not reported at file:line:col with the expected message");
        }
        unlink(path);
    }
}

int register_device_tests(void)
{
    CU_pSuite s = CU_add_suite("device", NULL, NULL);
    if (!s || !CU_add_test(s, "load a declaration", test_load) ||
        !CU_add_test(s, "malformed declarations", test_malformed))
        return -1;
    return 0;
}
