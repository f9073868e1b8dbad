/*
 * test_upload.c - the firmware upload of update.tamper (probes/wire/
 * upload_wire.c): the request as a device's CGI would parse it (multipart
 * framing, Content-Length equal to the body, the image bytes untouched),
 * requests that must not be built, and what an answer means, as a table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "starprobe.h"
#include "unit.h"
#include "upload_wire.h"

static const uint8_t image[] = "FWVERSION=1.2.0\n\x00\x01\xff\r\n--not-the-boundary\r\n";
static const uint8_t sig[] = "\x30\x45\x02\x20";

static void test_build(void)
{
    struct upload_req q = {.method = "POST", .host = "192.0.2.1", .port = 8080, .path = "/cgi-bin/upgrade",
                           .authorization = "Basic YWRtaW46cHc=", .boundary = "starprobe0123",
                           .parts = {{"firmware", "firmware.bin", image, sizeof(image) - 1},
                                     {"signature", "firmware.sig", sig, sizeof(sig) - 1}},
                           .nparts = 2};
    uint8_t buf[2048];
    size_t n = upload_request_len(&q), m;
    const char *body, *cl;

    CU_ASSERT_FATAL(n > 0 && n < sizeof(buf));
    m = upload_build(buf, sizeof(buf), &q);
    CU_ASSERT_EQUAL(m, n);
    buf[n] = '\0';
    CU_ASSERT(strncmp((char *)buf, "POST /cgi-bin/upgrade HTTP/1.1\r\nHost: 192.0.2.1:8080\r\n", 54) == 0);
    CU_ASSERT_PTR_NOT_NULL(strstr((char *)buf, "\r\nAuthorization: Basic YWRtaW46cHc=\r\n"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr((char *)buf, "Content-Type: multipart/form-data; boundary=starprobe0123\r\n"));
    body = strstr((char *)buf, "\r\n\r\n");
    cl = strstr((char *)buf, "Content-Length: ");
    CU_ASSERT_FATAL(body && cl);
    body += 4;
    CU_ASSERT_EQUAL(strtoul(cl + 16, NULL, 10), n - (size_t)(body - (char *)buf));
    CU_ASSERT(strncmp(body, "--starprobe0123\r\nContent-Disposition: form-data; name=\"firmware\"; "
                            "filename=\"firmware.bin\"\r\n", 83) == 0);
    /* the image arrives byte for byte, NUL and CR LF included */
    CU_ASSERT_PTR_NOT_NULL(memmem(buf, n, image, sizeof(image) - 1));
    CU_ASSERT_PTR_NOT_NULL(memmem(buf, n, "name=\"signature\"", 16));
    CU_ASSERT(memcmp(buf + n - 21, "\r\n--starprobe0123--\r\n", 21) == 0);
    /* one byte too small: nothing */
    CU_ASSERT_EQUAL(upload_build(buf, n - 1, &q), 0);
    /* a raw body: the image alone, as application/octet-stream */
    q.parts[0].field = NULL;
    q.nparts = 1;
    n = upload_build(buf, sizeof(buf), &q);
    CU_ASSERT_FATAL(n > sizeof(image) - 1);
    CU_ASSERT(memcmp(buf + n - (sizeof(image) - 1), image, sizeof(image) - 1) == 0);
    buf[n] = '\0';
    CU_ASSERT_PTR_NOT_NULL(strstr((char *)buf, "Content-Type: application/octet-stream\r\n"));
}

static void test_refused_requests(void)
{
    static const struct {
        const char *what, *method, *path, *field, *boundary, *auth;
    } rows[] = {
        {"blank in the path", "POST", "/a b", "f", "b1", NULL},
        {"CR LF in the path", "POST", "/a\r\nX: y", "f", "b1", NULL},
        {"relative path", "POST", "a", "f", "b1", NULL},
        {"quote in the field", "POST", "/a", "f\"x", "b1", NULL},
        {"boundary in the image", "POST", "/a", "f", "FWVERSION", NULL},
        {"boundary not alphanumeric", "POST", "/a", "f", "b-1", NULL},
        {"CR LF in the credentials", "POST", "/a", "f", "b1", "Basic x\r\nX: y"},
        {"method with a blank", "PO ST", "/a", "f", "b1", NULL},
    };
    for (size_t i = 0; i < SP_ARRAY_LEN(rows); i++) {
        struct upload_req q = {.method = rows[i].method, .host = "192.0.2.1", .port = 80,
                               .path = rows[i].path, .authorization = rows[i].auth,
                               .boundary = rows[i].boundary,
                               .parts = {{rows[i].field, "fw.bin", image, sizeof(image) - 1}}, .nparts = 1};
        if (upload_request_len(&q) != 0)
            fprintf(stderr, "\nbuilt although: %s\n", rows[i].what);
        CU_ASSERT_EQUAL(upload_request_len(&q), 0);
    }
}

static const struct {
    const char *reply;
    const char *rejected, *accepted;
    enum upload_outcome want;
    int by_status;
} answers[] = {
    {"HTTP/1.1 400 Bad Request\r\nContent-Length: 29\r\n\r\nsignature verification failed",
     "verification failed", NULL, UPLOAD_REJECTED, 0},
    {"HTTP/1.1 200 OK\r\nContent-Length: 26\r\n\r\nError: verification failed", "verification failed", NULL,
     UPLOAD_REJECTED, 0},
    {"HTTP/1.1 400 Bad Request\r\nContent-Length: 3\r\n\r\nbad", NULL, NULL, UPLOAD_REJECTED, 1},
    {"HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n", NULL, NULL, UPLOAD_REJECTED, 1},
    {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nUpgrade OK", NULL, NULL, UPLOAD_ACCEPTED, 0},
    {"HTTP/1.1 302 Found\r\nLocation: /reboot.html\r\nContent-Length: 0\r\n\r\n", NULL, NULL,
     UPLOAD_ACCEPTED, 0},
    {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nUpgrade OK", NULL, "rebooting", UPLOAD_UNCLEAR,
     0},
    {"HTTP/1.1 200 OK\r\nContent-Length: 21\r\n\r\nUpgrade OK, rebooting", NULL, "rebooting",
     UPLOAD_ACCEPTED, 0},
    {"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", NULL, NULL, UPLOAD_UNCLEAR, 0},
    {"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", NULL, NULL, UPLOAD_UNCLEAR, 0},
    {"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", NULL, NULL, UPLOAD_UNCLEAR, 0},
    {"HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\n\r\n", NULL, NULL, UPLOAD_UNCLEAR, 0},
    {"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n", NULL, NULL, UPLOAD_UNCLEAR, 0},
    {"HTTP/1.1 200 OK\r\nContent-Le", NULL, NULL, UPLOAD_UNCLEAR, 0},
};

static void test_classify(void)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(answers); i++) {
        const uint8_t *b = (const uint8_t *)answers[i].reply;
        size_t n = strlen(answers[i].reply);
        struct http_response h;
        uint8_t body[256];
        int complete = 0, by = -1;
        long bl = 0;
        char why[200];
        enum upload_outcome o;

        memset(&h, 0, sizeof(h));
        (void)http_parse_head(b, n, &h);
        if (h.complete)
            bl = http_body(b, n, &h, body, sizeof(body), &complete);
        o = upload_classify(&h, body, bl > 0 ? (size_t)bl : 0, answers[i].rejected, answers[i].accepted,
                            &by, why, sizeof(why));
        if (o != answers[i].want || by != answers[i].by_status)
            fprintf(stderr, "\nanswer %zu: %s by_status %d (%s)\n", i, upload_outcome_name(o), by, why);
        CU_ASSERT_EQUAL(o, answers[i].want);
        CU_ASSERT_EQUAL(by, answers[i].by_status);
        CU_ASSERT(why[0] != '\0');
    }
}

int register_upload_tests(void)
{
    CU_pSuite s = CU_add_suite("upload", NULL, NULL);

    if (!s || !CU_add_test(s, "the upload request as a CGI parses it", test_build) ||
        !CU_add_test(s, "requests that must not be built", test_refused_requests) ||
        !CU_add_test(s, "what the device's answer means", test_classify))
        return -1;
    return 0;
}
