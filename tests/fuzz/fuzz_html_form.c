/*
 * fuzz_html_form.c - libFuzzer entry for probes/wire/html_form.c, the
 * parsers a form login runs on device bytes: the page's forms and their
 * kind, where the found form submits (resolved against a page path taken
 * from the input too), the urlencoded login body, and the cookie jar fed
 * from a response head. What may reach a request line or a Cookie header
 * is checked: no byte that could end a line or a header.
 *
 *   make fuzz-build && build/fuzz_html_form -max_total_time=60
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html_form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void no_line_breaks(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 && *s != '\t')
            __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct html_form f;
    static char out[1024], body[4096], hdr[COOKIE_JAR_MAX * (COOKIE_NAME_MAX + COOKIE_VALUE_MAX + 3)];
    struct cookie_jar j;
    char page[128];
    size_t pl = 0;

    /* The page path: the input's first line, when it is short and starts with '/'. */
    while (pl < size && pl < sizeof(page) - 1 && data[pl] != '\n' && data[pl] != 0)
        pl++;
    memcpy(page, data, pl);
    page[pl] = '\0';
    if (page[0] != '/')
        strcpy(page, "/cgi-bin/login.cgi?x=1");

    if (html_find_form(data, size, &f) != HTML_FORM_NONE) {
        if (f.nfields > HTML_FORM_MAX_FIELDS || f.user >= (int)f.nfields || f.pass >= (int)f.nfields)
            __builtin_trap();
        if (html_form_target(&f, page, "cam.local", "192.0.2.1", 8080, 0, out, sizeof(out)) == 0) {
            if (out[0] != '/')
                __builtin_trap();
            for (const char *p = out; *p; p++)
                if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
                    __builtin_trap();
        }
        if (html_form_encode(&f, "admin", "p@ss word&=", body, sizeof(body)) > 0)
            no_line_breaks(body);
    }
    (void)html_form_classify(&f);

    cookie_jar_init(&j);
    (void)cookie_jar_update(&j, data, size);
    /* And every line as a Set-Cookie value of its own, twice, so replacement and removal run. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t off = 0; off < size;) {
            const uint8_t *nl = memchr(data + off, '\n', size - off);
            size_t n = nl ? (size_t)(nl - (data + off)) : size - off;
            (void)cookie_jar_set(&j, data + off, n);
            off += n + 1;
        }
    if (j.n > COOKIE_JAR_MAX)
        __builtin_trap();
    if (cookie_jar_header(&j, hdr, sizeof(hdr)) == 0)
        no_line_breaks(hdr);
    return 0;
}
