/*
 * test_banners.c - banner_version: which greetings and headers name a
 * software version, one row per kind of text a device sends before a login.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "banner_wire.h"
#include "unit.h"
#include "util.h"

static const struct {
    const char *text;
    int found;
    const char *tok;
} rows[] = {
    {"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", 1, "OpenSSH_9.2p1"},
    {"SSH-2.0-dropbear_2022.83", 1, "dropbear_2022.83"},
    {"SSH-2.0-dropbear", 0, ""},
    {"SSH-1.99-Cisco-1.25", 1, "Cisco-1.25"},
    {"SSH-2.0-", 0, ""},
    {"lighttpd/1.4.69", 1, "lighttpd/1.4.69"},
    {"lighttpd", 0, ""},
    {"Apache/2.4.57 (Debian)", 1, "Apache/2.4.57"},
    {"220 (vsFTPd 3.0.3)", 1, "3.0.3"},
    {"220 ProFTPD Server (Debian) [::ffff:127.0.17.5]", 0, ""},
    {"220 ready at 192.0.2.1:21.", 0, ""},
    {"HTTP/1.1 200 OK", 0, ""},
    {"RTSP/1.0 200 OK", 0, ""},
    {"Linux gw 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1", 1, "6.1.0-18-amd64"},
    {"busybox httpd", 0, ""},
    {"v1.2", 1, "v1.2"},
    {"1.", 0, ""},
    {".5", 0, ""},
    {"", 0, ""},
};

static void test_banner_version(void)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(rows); i++) {
        char tok[64];
        int got = banner_version(rows[i].text, strlen(rows[i].text), tok, sizeof(tok));
        if (got != rows[i].found || strcmp(tok, rows[i].tok) != 0)
            fprintf(stderr, "\n'%s': %d '%s'\n", rows[i].text, got, tok);
        CU_ASSERT_EQUAL(got, rows[i].found);
        CU_ASSERT_STRING_EQUAL(tok, rows[i].tok);
    }
}

/* Bounds: a length shorter than the text, a token buffer smaller than the word, bytes that are not text. */
static void test_banner_bounds(void)
{
    char tok[6];
    const char bin[] = {'x', '1', '.', '2', '\x01', '\xff', 0};

    CU_ASSERT_EQUAL(banner_version("lighttpd/1.4.69", 10, tok, sizeof(tok)), 0);
    CU_ASSERT_EQUAL(banner_version("lighttpd/1.4.69", 15, tok, sizeof(tok)), 1);
    CU_ASSERT_STRING_EQUAL(tok, "light");
    CU_ASSERT_EQUAL(banner_version(bin, sizeof(bin), tok, sizeof(tok)), 1);
    CU_ASSERT_STRING_EQUAL(tok, "x1.2");
    CU_ASSERT_EQUAL(banner_version(NULL, 5, tok, sizeof(tok)), 0);
}

int register_banner_tests(void)
{
    CU_pSuite s = CU_add_suite("banners", NULL, NULL);

    if (!s || !CU_add_test(s, "banner_version table", test_banner_version) ||
        !CU_add_test(s, "banner_version bounds", test_banner_bounds))
        return -1;
    return 0;
}
