/*
 * test_html_form.c - probes/wire/html_form.c as tables: which form on a page
 * logs a user in and which one sets a password (setup pages, Wi-Fi keys, a
 * change-password form), pages that hide forms in comments and scripts,
 * where a form submits (relative, absolute, another origin, dot segments),
 * the urlencoded login body, and the session cookie jar.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "html_form.h"
#include "starprobe.h"
#include "unit.h"

static void check_row(int ok, int line, const char *row, const char *cond)
{
    char msg[256];

    snprintf(msg, sizeof(msg), "[%s] %s", row, cond);
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, (unsigned)line, msg, __FILE__, "", CU_FALSE);
}
#define CHECK(row, cond) check_row((cond) ? 1 : 0, __LINE__, (row), #cond)
#define FORM_COOKIE_TEST_MAX (COOKIE_JAR_MAX * (COOKIE_NAME_MAX + COOKIE_VALUE_MAX + 3))

/* The camera login of tests/integration/forms.sh, as lighttpd served it. */
static const char camera_login[] =
    "<!DOCTYPE html>\n<html><head><title>IPC-300 Login</title>\n"
    "<script>function check(f) { if (f.password.value == \"\") { alert(\"<form>\"); return false; } }"
    "</script>\n</head><body>\n"
    "<form name=\"login\" method=\"post\" action=\"login.cgi\" onsubmit=\"return check(this)\">\n"
    "<input type=\"hidden\" name=\"csrf_token\" value=\"6b1f0c2d9e8a7f3b4c5d6e7f\">\n"
    "<label>User name <input type=\"text\" name=\"username\" autocomplete=\"username\"></label>\n"
    "<label>Password <input type=\"password\" name=\"password\"></label>\n"
    "<input type=\"submit\" name=\"login\" value=\"Log in\">\n</form></body></html>\n";

/* tests/testbed/weak/www/admin/index.html: the admin password and the SSID, set in one form. */
static const char weak_admin[] =
    "<form action=\"/admin/\" method=\"get\">\n"
    "<p>Wi-Fi SSID: <input name=\"ssid\" value=\"home-network\"></p>\n"
    "<p>Admin password: <input name=\"password\" type=\"password\"> (factory default: admin)</p>\n"
    "<p><input type=\"submit\" value=\"Save\"></p>\n</form>";

static void test_find_form(void)
{
    static const struct {
        const char *name, *html;
        enum html_form_kind kind;
        const char *user, *pass, *action;   /* field names, the action as written; NULL: not checked */
        int post, formless;
        const char *hidden_value;           /* the first hidden field's value, or NULL */
    } rows[] = {
        {"camera login with a CSRF token", camera_login, HTML_FORM_LOGIN, "username", "password",
         "login.cgi", 1, 0, "6b1f0c2d9e8a7f3b4c5d6e7f"},
        {"upper case, unquoted", "<FORM METHOD=POST ACTION=/cgi-bin/auth><INPUT TYPE=text NAME=user>"
         "<INPUT TYPE=PASSWORD NAME=pwd></FORM>", HTML_FORM_LOGIN, "user", "pwd", "/cgi-bin/auth", 1, 0, NULL},
        {"single quotes and an entity", "<form action='/login?next=%2F&amp;x=1' method='post'>"
         "<input type='text' name='login'><input type='password' name='pass'></form>",
         HTML_FORM_LOGIN, "login", "pass", "/login?next=%2F&x=1", 1, 0, NULL},
        {"no method: GET", "<form action=/l><input name=u><input type=password name=p></form>",
         HTML_FORM_LOGIN, "u", "p", "/l", 0, 0, NULL},
        {"email as the user", "<form><input type=email name=mail><input type=password name=pw></form>",
         HTML_FORM_LOGIN, "mail", "pw", NULL, 0, 0, NULL},
        {"a search box beside the login", "<form action=/s><input name=q></form><form action=/auth "
         "method=post><input name=account><input name=x type=text><input type=password name=secret>"
         "</form>", HTML_FORM_LOGIN, "account", "secret", "/auth", 1, 0, NULL},
        {"'>' inside a quoted value", "<form><input type=hidden name=t value=\"a>b<c\"><input name=user>"
         "<input type=password name=p></form>", HTML_FORM_LOGIN, "user", "p", NULL, 0, 0, "a>b<c"},
        {"numeric references", "<form><input type=hidden name=t value=\"&#x41;&#66;&amp\"><input name=user>"
         "<input type=password name=p></form>", HTML_FORM_LOGIN, "user", "p", NULL, 0, 0, "AB&amp"},
        {"a setup page sets a new password", "<form method=post action=/setup.cgi>"
         "<input type=text name=device_name value=IPC-300><input type=password name=new_password>"
         "<input type=password name=confirm_password></form>", HTML_FORM_SETS_PASSWORD, NULL, NULL,
         "/setup.cgi", 1, 0, NULL},
        {"a Wi-Fi key", "<form action=/wifi method=post><input name=ssid value=home>"
         "<input type=password name=wpa_key></form>", HTML_FORM_SETS_PASSWORD, NULL, NULL, NULL, 1, 0, NULL},
        {"the weak device's admin page: SSID and admin password", weak_admin, HTML_FORM_SETS_PASSWORD,
         NULL, NULL, "/admin/", 0, 0, NULL},
        {"two password fields, no user", "<form><input type=password name=a><input type=password name=b>"
         "</form>", HTML_FORM_SETS_PASSWORD, NULL, NULL, NULL, 0, 0, NULL},
        {"a change that asks the current password", "<form><input name=username><input type=password "
         "name=old_password><input type=password name=new_password><input type=password name=confirm>"
         "</form>", HTML_FORM_NONE, NULL, NULL, NULL, 0, 0, NULL},
        {"a password without a user field", "<form><input type=password name=pin></form>",
         HTML_FORM_NONE, NULL, NULL, NULL, 0, 0, NULL},
        {"a login after a setup form", "<form action=/set><input type=password name=newpw>"
         "<input type=password name=newpw2></form><form action=/in method=post><input name=user>"
         "<input type=password name=pw></form>", HTML_FORM_LOGIN, "user", "pw", "/in", 1, 0, NULL},
        {"login fields outside any form", "<div><input name=username><input type=password name=password>"
         "<button onclick=go()>Go</button></div>", HTML_FORM_LOGIN, "username", "password", NULL, 0, 1, NULL},
        {"a form in a comment", "<!-- <form><input name=user><input type=password name=p></form> -->",
         HTML_FORM_NONE, NULL, NULL, NULL, 0, 0, NULL},
        {"a form in a script string", "<script>var s = '<form><input name=user><input type=password "
         "name=p></form>';</script>", HTML_FORM_NONE, NULL, NULL, NULL, 0, 0, NULL},
        {"a password field in a textarea", "<form><input name=user><textarea><input type=password "
         "name=p></textarea></form>", HTML_FORM_NONE, NULL, NULL, NULL, 0, 0, NULL},
        {"no form at all", "<html><body><h1>It works</h1></body></html>", HTML_FORM_NONE, NULL, NULL,
         NULL, 0, 0, NULL},
        {"unterminated tag", "<form action=\"/x", HTML_FORM_NONE, NULL, NULL, NULL, 0, 0, NULL},
        {"unterminated comment", "<!-- <form><input name=user><input type=password name=p></form>",
         HTML_FORM_NONE, NULL, NULL, NULL, 0, 0, NULL},
        {"unchecked and checked boxes", "<form><input name=user><input type=password name=p>"
         "<input type=checkbox name=remember checked><input type=checkbox name=x></form>",
         HTML_FORM_LOGIN, "user", "p", NULL, 0, 0, NULL},
        {"empty input", "", HTML_FORM_NONE, NULL, NULL, NULL, 0, 0, NULL},
        {"a lone '<'", "<", HTML_FORM_NONE, NULL, NULL, NULL, 0, 0, NULL},
    };
    struct html_form *f = malloc(sizeof(*f));

    CU_ASSERT_FATAL(f != NULL);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        enum html_form_kind k = html_find_form((const uint8_t *)rows[i].html, strlen(rows[i].html), f);
        CHECK(rows[i].name, k == rows[i].kind);
        CHECK(rows[i].name, html_page_kind((const uint8_t *)rows[i].html, strlen(rows[i].html)) == k);
        if (k != rows[i].kind) {
            fprintf(stderr, "\nhtml form '%s': %s\n", rows[i].name, html_form_kind_name(k));
            continue;
        }
        if (k == HTML_FORM_NONE)
            continue;
        CHECK(rows[i].name, f->kind == k);
        CHECK(rows[i].name, f->post == rows[i].post);
        CHECK(rows[i].name, f->formless == rows[i].formless);
        if (rows[i].user)
            CHECK(rows[i].name, f->user >= 0 && strcmp(f->fields[f->user].name, rows[i].user) == 0);
        if (rows[i].pass)
            CHECK(rows[i].name, f->pass >= 0 && strcmp(f->fields[f->pass].name, rows[i].pass) == 0);
        if (rows[i].action)
            CHECK(rows[i].name, f->has_action && strcmp(f->action, rows[i].action) == 0);
        if (rows[i].hidden_value) {
            int seen = 0;
            for (size_t j = 0; j < f->nfields && !seen; j++)
                if (f->fields[j].type == HTML_FIELD_HIDDEN)
                    seen = 1 + (strcmp(f->fields[j].value, rows[i].hidden_value) == 0);
            CHECK(rows[i].name, seen == 2);
        }
    }
    free(f);
}

/* More fields than a form keeps: the cut is recorded, and a login past it is no login. */
static void test_form_bounds(void)
{
    struct html_form *f = malloc(sizeof(*f));
    static char html[8192], big[2000];
    size_t o = 0;

    CU_ASSERT_FATAL(f != NULL);
    o += (size_t)snprintf(html + o, 8192 - o, "<form>");
    for (int i = 0; i < HTML_FORM_MAX_FIELDS + 5; i++)
        o += (size_t)snprintf(html + o, 8192 - o, "<input type=hidden name=h%d value=%d>", i, i);
    snprintf(html + o, 8192 - o, "<input name=user><input type=password name=p></form>");
    CHECK("too many fields", html_find_form((const uint8_t *)html, strlen(html), f) == HTML_FORM_NONE);

    memset(big, 'v', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    snprintf(html, 8192, "<form><input type=hidden name=t value=\"%s\"><input name=user>"
                         "<input type=password name=p></form>", big);
    CHECK("a value over the bound", html_find_form((const uint8_t *)html, strlen(html), f) == HTML_FORM_LOGIN);
    CHECK("a value over the bound", f->truncated && strlen(f->fields[0].value) == HTML_VALUE_MAX - 1);
    free(f);
}

static void test_form_target(void)
{
    static const struct {
        const char *name, *page, *action;   /* action NULL: the form has none */
        int tls;
        const char *want;                   /* NULL: not followed */
    } rows[] = {
        {"relative", "/login.cgi", "login.cgi", 0, "/login.cgi"},
        {"relative in a directory", "/cgi-bin/x/login.htm", "auth.cgi", 0, "/cgi-bin/x/auth.cgi"},
        {"dot segments", "/cgi-bin/x/login.htm", "../auth.cgi", 0, "/cgi-bin/auth.cgi"},
        {"dots above the root", "/a", "/../../etc/./passwd", 0, "/etc/passwd"},
        {"no action: the page, with its query", "/a/b?x=1", NULL, 0, "/a/b?x=1"},
        {"empty action", "/a/b", "", 0, "/a/b"},
        {"a query only", "/a/b?x=1", "?step=2", 0, "/a/b?step=2"},
        {"a fragment is dropped", "/", "login.cgi#top", 0, "/login.cgi"},
        {"blanks around", "/", "  /x  ", 0, "/x"},
        {"absolute, this origin", "/", "http://192.0.2.1:8080/login", 0, "/login"},
        {"absolute, the host name", "/", "http://cam.local:8080/login?a=b", 0, "/login?a=b"},
        {"absolute, another host", "/", "http://evil.example/login", 0, NULL},
        {"absolute, another port", "/", "http://192.0.2.1:8081/login", 0, NULL},
        {"absolute, another scheme", "/", "https://192.0.2.1:8080/login", 0, NULL},
        {"https on https", "/", "https://192.0.2.1:8080/login", 1, "/login"},
        {"scheme-relative, this origin", "/", "//192.0.2.1:8080/x", 0, "/x"},
        {"scheme-relative, another host", "/", "//evil/x", 0, NULL},
        {"a script URL", "/", "javascript:void(0)", 0, NULL},
        {"a blank in the path", "/", "/a b", 0, "/a%20b"},
        {"a control byte", "/", "/a\r\nX-Evil: 1", 0, "/a%0D%0AX-Evil:%201"},
    };
    struct html_form *f = calloc(1, sizeof(*f));
    char out[300];

    CU_ASSERT_FATAL(f != NULL);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        int rc;
        f->has_action = rows[i].action != NULL;
        snprintf(f->action, sizeof(f->action), "%s", rows[i].action ? rows[i].action : "");
        rc = html_form_target(f, rows[i].page, "cam.local", "192.0.2.1", 8080, rows[i].tls, out,
                              sizeof(out));
        if (!rows[i].want) {
            CHECK(rows[i].name, rc == -1);
        } else {
            CHECK(rows[i].name, rc == 0 && strcmp(out, rows[i].want) == 0);
            if (rc != 0 || strcmp(out, rows[i].want) != 0)
                fprintf(stderr, "\nform target '%s': rc %d '%s'\n", rows[i].name, rc, rc == 0 ? out : "");
        }
    }
    f->formless = 1;
    CHECK("formless inputs submit nowhere", html_form_target(f, "/", "h", "a", 80, 0, out, sizeof(out)) == -1);
    free(f);
}

static void test_form_encode(void)
{
    static const char page[] =
        "<form method=post><input type=hidden name=csrf value=\"a b&amp;c\">"
        "<input name=username><input type=password name=password>"
        "<input type=checkbox name=remember checked><input type=checkbox name=skip>"
        "<input type=submit name=login value=\"Log in\"><input type=submit name=cancel value=x>"
        "<input type=reset name=r value=y></form>";
    struct html_form *f = malloc(sizeof(*f));
    char out[256];

    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT_EQUAL_FATAL(html_find_form((const uint8_t *)page, sizeof(page) - 1, f), HTML_FORM_LOGIN);
    CHECK("login body", html_form_encode(f, "admin", "p@ss w=1", out, sizeof(out)) > 0);
    CHECK("login body", strcmp(out, "csrf=a+b%26c&username=admin&password=p%40ss+w%3D1&remember=on"
                                    "&login=Log+in") == 0);
    if (strcmp(out, "csrf=a+b%26c&username=admin&password=p%40ss+w%3D1&remember=on&login=Log+in") != 0)
        fprintf(stderr, "\nform body: '%s'\n", out);
    CHECK("empty password", html_form_encode(f, "admin", "", out, sizeof(out)) > 0 &&
                                strstr(out, "&password=&") != NULL);
    CHECK("over the cap", html_form_encode(f, "admin", "admin", out, 20) == 0);
    f->pass = -1;
    CHECK("no password field", html_form_encode(f, "admin", "admin", out, sizeof(out)) == 0);
    free(f);
}

static void test_cookies(void)
{
    static const struct {
        const char *name, *set_cookie;  /* one Set-Cookie value, applied in order */
        int took;
        const char *jar;                /* the Cookie header after it */
    } rows[] = {
        {"a session", "SID=abc123; Path=/; HttpOnly", 1, "SID=abc123"},
        {"replaced", "SID=def456", 1, "SID=def456"},
        {"a second one", "lang=en; Max-Age=3600", 1, "SID=def456; lang=en"},
        {"quoted value", "q=\"xyz\"", 1, "SID=def456; lang=en; q=xyz"},
        {"removed by Max-Age=0", "q=gone; Max-Age=0", 1, "SID=def456; lang=en"},
        {"removed by a past Expires", "lang=x; expires=Thu, 01 Jan 1970 00:00:00 GMT", 1, "SID=def456"},
        {"a future Expires keeps it", "t=1; expires=Fri, 31 Dec 2038 23:59:59 GMT", 1, "SID=def456; t=1"},
        {"removed by an empty value", "t=; Path=/", 1, "SID=def456"},
        {"no '='", "flag", 0, "SID=def456"},
        {"a blank name", " =x", 0, "SID=def456"},
        {"a separator in the name", "a,b=1", 0, "SID=def456"},
        {"a control byte in the value", "v=a\x01" "b", 0, "SID=def456"},
        {"a comma in the value", "v=a,b", 0, "SID=def456"},
        {"blanks around", "  w = 2 ; Path=/", 1, "SID=def456; w=2"},
    };
    struct cookie_jar j;
    char hdr[FORM_COOKIE_TEST_MAX];

    cookie_jar_init(&j);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        int took = cookie_jar_set(&j, (const uint8_t *)rows[i].set_cookie, strlen(rows[i].set_cookie));
        CHECK(rows[i].name, took == rows[i].took);
        CHECK(rows[i].name, cookie_jar_header(&j, hdr, sizeof(hdr)) == 0 && strcmp(hdr, rows[i].jar) == 0);
        if (strcmp(hdr, rows[i].jar) != 0)
            fprintf(stderr, "\ncookie '%s': '%s'\n", rows[i].name, hdr);
    }
    CHECK("header over the cap", cookie_jar_header(&j, hdr, 5) == -1);

    /* A full jar drops what does not fit and says so. */
    cookie_jar_init(&j);
    for (int i = 0; i < COOKIE_JAR_MAX + 3; i++) {
        char c[32];
        snprintf(c, sizeof(c), "c%d=%d", i, i);
        (void)cookie_jar_set(&j, (const uint8_t *)c, strlen(c));
    }
    CHECK("full jar", j.n == COOKIE_JAR_MAX && j.dropped);

    /* Only the head's Set-Cookie headers count, never a line of the body. */
    {
        static const char reply[] = "HTTP/1.1 302 Found\r\nSet-Cookie: SID=1; Path=/\r\n"
                                    "Location: /\r\nset-cookie: b=2\r\n\r\nSet-Cookie: evil=1\r\n";
        cookie_jar_init(&j);
        CHECK("from a head", cookie_jar_update(&j, (const uint8_t *)reply, sizeof(reply) - 1) == 2);
        CHECK("from a head", cookie_jar_header(&j, hdr, sizeof(hdr)) == 0 && strcmp(hdr, "SID=1; b=2") == 0);
    }
}

int register_html_form_tests(void)
{
    CU_pSuite s = CU_add_suite("html_form", NULL, NULL);

    if (!s || !CU_add_test(s, "the login form of a page, told from a password-setting form", test_find_form) ||
        !CU_add_test(s, "fields and values over the bounds", test_form_bounds) ||
        !CU_add_test(s, "where a form submits: same origin only", test_form_target) ||
        !CU_add_test(s, "the urlencoded login body", test_form_encode) ||
        !CU_add_test(s, "the session cookie jar", test_cookies))
        return -1;
    return 0;
}
