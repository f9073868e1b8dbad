/*
 * html_form.h - the HTML of a device's web page read for its forms, and the
 * session cookies of a form login: which form logs a user in (one password
 * field and a user field), which one sets a password without asking who you
 * are (a setup page: two password fields, "new"/"confirm"/Wi-Fi key names,
 * no user), where a form posts (resolved against the page, same origin only:
 * docs/design.md §2.3), the urlencoded body of a login, and a bounded cookie
 * jar fed from Set-Cookie headers.
 *
 * Pure: no sockets, no globals. Device bytes are hostile: every scan is
 * bounded by len, names and values are cut at fixed sizes (and the cut is
 * recorded), a page holds at most HTML_MAX_FORMS forms and a form at most
 * HTML_FORM_MAX_FIELDS fields.
 */
#ifndef SP_HTML_FORM_H
#define SP_HTML_FORM_H

#include <stddef.h>
#include <stdint.h>

#define HTML_MAX_FORMS 64
#define HTML_FORM_MAX_FIELDS 32
#define HTML_NAME_MAX 64
#define HTML_VALUE_MAX 512
#define HTML_ACTION_MAX 256

/* What a form (or a page, by its forms) is to a credential or access check. */
enum html_form_kind {
    HTML_FORM_NONE = 0,         /* no password field, or one whose purpose cannot be told */
    HTML_FORM_LOGIN,            /* exactly one password field and a user field */
    HTML_FORM_SETS_PASSWORD     /* sets a password without the current one: a setup page */
};

const char *html_form_kind_name(enum html_form_kind k);   /* "none", "login", "sets-password" */

enum html_field_type {
    HTML_FIELD_TEXT = 0,        /* text, email, tel, number, url, no type at all */
    HTML_FIELD_PASSWORD,
    HTML_FIELD_HIDDEN,
    HTML_FIELD_SUBMIT,
    HTML_FIELD_CHECK,           /* a checkbox or radio that is checked */
    HTML_FIELD_OTHER            /* unchecked boxes, file, reset, button, image: never sent */
};

struct html_field {
    enum html_field_type type;
    char name[HTML_NAME_MAX];   /* entities decoded; "" when the input has no name */
    char id[HTML_NAME_MAX];
    char value[HTML_VALUE_MAX];
};

struct html_form {
    enum html_form_kind kind;   /* set by html_form_classify */
    int formless;               /* inputs outside any <form>: submitted by script, no action */
    int has_action;
    char action[HTML_ACTION_MAX];   /* as written, entities decoded */
    int post;                   /* method="post"; GET otherwise (the HTML default) */
    struct html_field fields[HTML_FORM_MAX_FIELDS];
    size_t nfields;
    int user;                   /* index of the user field, or -1 */
    int pass;                   /* index of the (only) password field, or -1 */
    int npassword;
    int asks_current;           /* a password field for the current password ("old", "current") */
    int truncated;              /* a name, value or action was cut, or fields dropped */
};

/*
 * Every form of the page, then the inputs outside any form as one more
 * (formless), as a browser would see them: comments, scripts, styles, titles
 * and textareas skipped, at most HTML_MAX_FORMS forms and
 * HTML_FORM_MAX_FIELDS fields each (the rest marks the form truncated). fn
 * gets each parsed form, before any classification. The one reader of a
 * page's forms: html_find_form (can the sweep log in here?) and
 * http_body_form (does this page stand between a visitor and the device?)
 * both go through it.
 */
void html_each_form(const uint8_t *html, size_t len, void (*fn)(void *arg, struct html_form *f), void *arg);

/* Classify one parsed form: sets kind, user, pass, npassword, asks_current. Returns kind. */
enum html_form_kind html_form_classify(struct html_form *f);

/*
 * Read the forms of a page. Returns HTML_FORM_LOGIN with *out the first
 * login form (a real <form> before inputs outside one); else
 * HTML_FORM_SETS_PASSWORD with *out the first such form; else
 * HTML_FORM_NONE (*out then holds no form). Comments, <script> and <style>
 * are skipped: a form in a script's string is no form on the page.
 */
enum html_form_kind html_find_form(const uint8_t *html, size_t len, struct html_form *out);
/*
 * The same answer without the form, for a check that only asks what a page
 * is (auth.unauthenticated: a login page, or a setup page that sets a
 * password without asking who you are).
 */
enum html_form_kind html_page_kind(const uint8_t *html, size_t len);

/*
 * Where the form submits, as a request path on the service's own origin,
 * resolved against page (the path that served it: "/cgi-bin/login.cgi?x").
 * An absent or empty action is the page itself; an absolute URL counts only
 * when it names this host or address and port. Dot segments are removed and
 * bytes that cannot go in a request line are percent-encoded. 0 with the
 * path in out, or -1 (another origin, another scheme, a script URL, too long).
 */
int html_form_target(const struct html_form *f, const char *page, const char *host,
                     const char *addr, long port, int tls, char *out, size_t cap);

/*
 * The application/x-www-form-urlencoded submission of a login form: every
 * hidden field (anti-CSRF tokens travel through), checked boxes, other text
 * fields with their values, the first named submit button, and user and
 * pass in the user and password fields. Length written (NUL-terminated), or
 * 0 when it does not fit cap or the form has no password field.
 */
size_t html_form_encode(const struct html_form *f, const char *user, const char *pass, char *out,
                        size_t cap);

/* Percent-encode s as a form value (space as '+') into out. Length, or 0 when over cap. */
size_t html_urlencode(const char *s, char *out, size_t cap);

/* ---- session cookies ---- */

#define COOKIE_JAR_MAX 12
#define COOKIE_NAME_MAX 64
#define COOKIE_VALUE_MAX 384

struct cookie_jar {
    size_t n;
    int dropped;                /* a cookie did not fit or was malformed */
    struct {
        char name[COOKIE_NAME_MAX];
        char value[COOKIE_VALUE_MAX];
    } c[COOKIE_JAR_MAX];
};

void cookie_jar_init(struct cookie_jar *j);
/*
 * Take the Set-Cookie headers of a response head into the jar: a name set
 * again replaces its value, Max-Age=0 or an Expires in the past (or an
 * empty value) removes it. Attributes are otherwise ignored: only this
 * origin is ever asked. Returns how many cookies the head set or removed.
 */
int cookie_jar_update(struct cookie_jar *j, const uint8_t *head, size_t len);
/* Take one Set-Cookie header value (not NUL-terminated). 1 when it set or removed a cookie. */
int cookie_jar_set(struct cookie_jar *j, const uint8_t *val, size_t len);
/* The Cookie header value "a=b; c=d" into out ("" when the jar is empty). 0, or -1 over cap. */
int cookie_jar_header(const struct cookie_jar *j, char *out, size_t cap);

/*
 * What the password fields of a page ask for. A login form proves who you
 * are: one password field, beside a user field or named like a password. A
 * settings form sets a secret without asking who you are: two or more
 * password fields (new and confirm), or, with no user field, one named
 * new/confirm/wifi/psk/key or one beside other text fields (an SSID; a
 * captcha or one-time code does not count). The fields are read by
 * html_form.c's one reader of forms (html_each_form): a field inside a
 * comment, a script or a textarea is none, and the read is bounded
 * (HTML_MAX_FORMS forms of HTML_FORM_MAX_FIELDS fields).
 */
enum http_form { HTTP_FORM_NONE = 0, HTTP_FORM_LOGIN, HTTP_FORM_SETTINGS };
enum http_form http_body_form(const uint8_t *body, size_t len);
/* http_body_form(...) == HTTP_FORM_LOGIN: a login form, not an admin or setup page. */
int http_body_is_login_form(const uint8_t *body, size_t len);

#endif
