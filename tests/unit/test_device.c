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
    {"update:\n  endpoint: {port: 80, path: /up}\n", ":2:20:", "tcp/80 is not a declared service"},
    {"services:\n  - {port: 80, service: http}\nupdate:\n  endpoint: {port: 80, path: up}\n", ":4:30:",
     "'path' must start with /"},
    {"services:\n  - {port: 80, service: http}\nupdate:\n  endpoint: {port: 80, path: /u, method: GET}\n",
     ":4:42:", "'method' must be POST or PUT"},
    {"services:\n  - {port: 80, service: http}\nupdate:\n  endpoint: {port: 80, path: /u, account: root}\n",
     ":4:43:", "'account' must name the user of an accounts[] entry"},
    {"services:\n  - {port: 80, service: http}\nupdate:\n  endpoint: {port: 80, path: /u, signature_field: s}\n",
     ":4:51:", "'signature_field' needs 'field'"},
    {"services:\n  - {port: 80, service: http}\nupdate:\n  endpoint: {port: 80, path: /u, feild: f}\n",
     ":4:34:", "unknown key 'feild'"},
};

/* The update endpoint and the older release, with paths relative to the declaration. */
static void test_endpoint(void)
{
    static const char yaml[] =
        "services:\n  - {port: 8080, service: http}\n"
        "accounts:\n  - {service: http, user: admin, password: pw}\n"
        "update:\n  image: fw.bin\n  downgrade_image: old.bin\n  downgrade_signature: old.sig\n"
        "  endpoint: {port: 8080, path: /cgi-bin/upgrade, field: fw, signature_field: sig, account: admin,\n"
        "             rejected_text: \"bad image\", control: true}\n";
    char path[64];
    struct device d;
    struct yerr e;
    const struct decl_update_endpoint *ep;

    CU_ASSERT_FATAL(unit_temp_file(yaml, path, sizeof(path)) == 0);
    CU_ASSERT_EQUAL_FATAL(device_load(&d, path, &e), 0);
    ep = d.update_endpoint;
    CU_ASSERT_PTR_NOT_NULL_FATAL(ep);
    CU_ASSERT_EQUAL(ep->port, 8080);
    CU_ASSERT_STRING_EQUAL(ep->method, "POST");     /* the default */
    CU_ASSERT_STRING_EQUAL(ep->path, "/cgi-bin/upgrade");
    CU_ASSERT_STRING_EQUAL(ep->field, "fw");
    CU_ASSERT_STRING_EQUAL(ep->signature_field, "sig");
    CU_ASSERT_STRING_EQUAL(ep->account, "admin");
    CU_ASSERT_STRING_EQUAL(ep->rejected_text, "bad image");
    CU_ASSERT_PTR_NULL(ep->accepted_text);
    CU_ASSERT_EQUAL(ep->control, 1);
    CU_ASSERT_STRING_EQUAL(d.update_downgrade_image, "/tmp/old.bin");
    CU_ASSERT_STRING_EQUAL(d.update_downgrade_signature, "/tmp/old.sig");
    device_free(&d);
    unlink(path);
}

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
        !CU_add_test(s, "malformed declarations", test_malformed) ||
        !CU_add_test(s, "the update endpoint and the older release", test_endpoint))
        return -1;
    return 0;
}
