/*
 * html_form.c - forms and session cookies read from a device's web pages
 * (see html_form.h). Not an HTML parser: a bounded scan for the few tags a
 * login needs (<form>, </form>, <input>), which skips comments and the
 * contents of <script>, <style> and <textarea>, reads attributes quoted or
 * not, and decodes the character references a value may hold. Every index
 * is checked against len; what does not fit a fixed field is cut and the
 * form is marked truncated.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_form.h"
#include "http_wire.h"
#include "util.h"

const char *html_form_kind_name(enum html_form_kind k)
{
    switch (k) {
    case HTML_FORM_LOGIN: return "login";
    case HTML_FORM_SETS_PASSWORD: return "sets-password";
    case HTML_FORM_NONE: break;
    }
    return "none";
}

static int is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Append one code point as UTF-8; returns the new length (unchanged when it does not fit). */
static size_t put_utf8(char *out, size_t o, size_t cap, unsigned long cp, int *trunc)
{
    char b[4];
    size_t n;

    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    if (o + n >= cap) {
        *trunc = 1;
        return o;
    }
    memcpy(out + o, b, n);
    return o + n;
}

/*
 * An attribute value with its character references decoded, into out
 * (NUL-terminated, NUL bytes dropped). *trunc is set when it did not fit.
 */
static void decode_value(const uint8_t *s, size_t n, char *out, size_t cap, int *trunc)
{
    static const struct { const char *name; char c; } named[] = {
        {"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}, {"nbsp;", ' '}};
    size_t o = 0, i = 0;

    if (cap == 0)
        return;
    while (i < n) {
        if (s[i] == '&' && i + 1 < n) {
            size_t k;
            int done = 0;
            if (s[i + 1] == '#') {
                unsigned long cp = 0;
                size_t j = i + 2, digits = 0;
                int hex = j < n && (s[j] == 'x' || s[j] == 'X');
                if (hex)
                    j++;
                for (; j < n && digits < 8; j++, digits++) {
                    int d = isdigit(s[j]) ? s[j] - '0'
                            : hex && isxdigit(s[j]) ? tolower(s[j]) - 'a' + 10 : -1;
                    if (d < 0)
                        break;
                    cp = cp * (hex ? 16 : 10) + (unsigned long)d;
                }
                if (digits > 0) {
                    if (j < n && s[j] == ';')
                        j++;
                    o = put_utf8(out, o, cap, cp, trunc);
                    i = j;
                    continue;
                }
            }
            for (k = 0; k < SP_ARRAY_LEN(named) && !done; k++) {
                size_t nl = strlen(named[k].name);
                if (n - i - 1 >= nl && strncasecmp((const char *)s + i + 1, named[k].name, nl) == 0) {
                    o = put_utf8(out, o, cap, (unsigned char)named[k].c, trunc);
                    i += 1 + nl;
                    done = 1;
                }
            }
            if (done)
                continue;
        }
        if (s[i] != 0) {
            if (o + 1 >= cap) {
                *trunc = 1;
                break;
            }
            out[o++] = (char)s[i];
        }
        i++;
    }
    out[o] = '\0';
}

struct tag_attrs {
    char type[16], method[8];
    char name[HTML_NAME_MAX], id[HTML_NAME_MAX];
    char value[HTML_VALUE_MAX], action[HTML_ACTION_MAX];
    int has_action, checked, truncated;
    int closed;                 /* its '>' came before the end of the page */
};

/* Does the tag name at h[i..] equal name (case-insensitive), ending where a tag name ends? */
static int tag_is(const uint8_t *h, size_t len, size_t i, const char *name)
{
    size_t n = strlen(name);

    if (len - i < n || strncasecmp((const char *)h + i, name, n) != 0)
        return 0;
    return i + n == len || is_space(h[i + n]) || h[i + n] == '>' || h[i + n] == '/';
}

static void set_attr(const char *an, size_t anl, const uint8_t *v, size_t vl, struct tag_attrs *a)
{
    int t = 0;

#define ATTR(lit) (anl == sizeof(lit) - 1 && strncasecmp(an, lit, anl) == 0)
    if (ATTR("type"))
        decode_value(v, vl, a->type, sizeof(a->type), &t);
    else if (ATTR("method"))
        decode_value(v, vl, a->method, sizeof(a->method), &t);
    else if (ATTR("name"))
        decode_value(v, vl, a->name, sizeof(a->name), &a->truncated);
    else if (ATTR("id"))
        decode_value(v, vl, a->id, sizeof(a->id), &t);
    else if (ATTR("value"))
        decode_value(v, vl, a->value, sizeof(a->value), &a->truncated);
    else if (ATTR("action")) {
        decode_value(v, vl, a->action, sizeof(a->action), &a->truncated);
        a->has_action = 1;
    } else if (ATTR("checked"))
        a->checked = 1;
#undef ATTR
}

/* Read the attributes of a tag from i (just past its name) to its '>'. Returns the index after it. */
static size_t parse_attrs(const uint8_t *h, size_t len, size_t i, struct tag_attrs *a)
{
    memset(a, 0, sizeof(*a));
    for (;;) {
        size_t ns, nl, vs = 0, vl = 0;
        while (i < len && (is_space(h[i]) || h[i] == '/'))
            i++;
        if (i >= len)
            return len;
        if (h[i] == '>') {
            a->closed = 1;
            return i + 1;
        }
        ns = i;
        while (i < len && !is_space(h[i]) && h[i] != '=' && h[i] != '>' && h[i] != '/')
            i++;
        nl = i - ns;
        while (i < len && is_space(h[i]))
            i++;
        if (i < len && h[i] == '=') {
            i++;
            while (i < len && is_space(h[i]))
                i++;
            if (i < len && (h[i] == '"' || h[i] == '\'')) {
                const uint8_t *q = memchr(h + i + 1, h[i], len - i - 1);
                vs = i + 1;
                vl = q ? (size_t)(q - (h + vs)) : len - vs;
                i = q ? (size_t)(q - h) + 1 : len;
            } else {
                vs = i;
                while (i < len && !is_space(h[i]) && h[i] != '>')
                    i++;
                vl = i - vs;
            }
        }
        if (nl > 0 && nl < 16) {
            char an[16];
            memcpy(an, h + ns, nl);
            an[nl] = '\0';
            set_attr(an, nl, h + vs, vl, a);
        }
    }
}

static enum html_field_type field_type(const struct tag_attrs *a)
{
    const char *t = a->type;

    if (!t[0] || strcasecmp(t, "text") == 0 || strcasecmp(t, "email") == 0 ||
        strcasecmp(t, "tel") == 0 || strcasecmp(t, "number") == 0 || strcasecmp(t, "url") == 0)
        return HTML_FIELD_TEXT;
    if (strcasecmp(t, "password") == 0)
        return HTML_FIELD_PASSWORD;
    if (strcasecmp(t, "hidden") == 0)
        return HTML_FIELD_HIDDEN;
    if (strcasecmp(t, "submit") == 0)
        return HTML_FIELD_SUBMIT;
    if ((strcasecmp(t, "checkbox") == 0 || strcasecmp(t, "radio") == 0) && a->checked)
        return HTML_FIELD_CHECK;
    return HTML_FIELD_OTHER;
}

static void add_field(struct html_form *f, const struct tag_attrs *a)
{
    struct html_field *fl;

    if (f->nfields >= HTML_FORM_MAX_FIELDS) {
        f->truncated = 1;
        return;
    }
    fl = &f->fields[f->nfields++];
    fl->type = field_type(a);
    sp_strlcpy(fl->name, a->name, sizeof(fl->name));
    sp_strlcpy(fl->id, a->id, sizeof(fl->id));
    /* A checkbox without a value submits "on" (HTML Living Standard, 4.10.5.1.15). */
    sp_strlcpy(fl->value, fl->type == HTML_FIELD_CHECK && !a->value[0] ? "on" : a->value,
               sizeof(fl->value));
    if (a->truncated)
        f->truncated = 1;
}

/* Does the field's name or id hold one of words (case-insensitive)? */
static int field_says(const struct html_field *f, const char *const *words)
{
    for (; *words; words++)
        if (strcasestr(f->name, *words) || strcasestr(f->id, *words))
            return 1;
    return 0;
}

enum html_form_kind html_form_classify(struct html_form *f)
{
    static const char *const user_words[] = {"user", "login", "name", "account", "acct", "mail",
                                             "uid", "usr", NULL};
    static const char *const setter_words[] = {"new", "confirm", "repeat", "retype", "again",
                                               "verify", "wifi", "wlan", "wpa", "psk", "key",
                                               "passphrase", "ssid", "pass2", "pwd2",
                                               "password2", NULL};
    static const char *const current_words[] = {"old", "current", "curr", "orig", NULL};
    /* A visible field that configures the network is a settings form's, never a user name. */
    static const char *const setting_words[] = {"ssid", "wifi", "wlan", "wpa", "psk", "new",
                                                "confirm", NULL};
    int ntext = 0, only_text = -1, setter_named = 0;

    f->user = -1;
    f->pass = -1;
    f->npassword = 0;
    f->asks_current = 0;
    for (size_t i = 0; i < f->nfields; i++) {
        const struct html_field *fl = &f->fields[i];
        if (fl->type == HTML_FIELD_PASSWORD) {
            if (f->pass < 0)
                f->pass = (int)i;
            f->npassword++;
            if (field_says(fl, current_words))
                f->asks_current = 1;
            else if (field_says(fl, setter_words))
                setter_named = 1;
        } else if (fl->type == HTML_FIELD_TEXT) {
            if (field_says(fl, setting_words)) {
                setter_named = 1;
                continue;
            }
            ntext++;
            only_text = (int)i;
            if (f->user < 0 && field_says(fl, user_words))
                f->user = (int)i;
        }
    }
    /* One visible text field beside one password field is the user name, whatever it is called. */
    if (f->user < 0 && ntext == 1)
        f->user = only_text;
    if (f->npassword == 0)
        f->kind = HTML_FORM_NONE;
    else if (f->npassword == 1 && f->user >= 0 && !setter_named && !f->asks_current)
        f->kind = HTML_FORM_LOGIN;
    else if ((f->npassword >= 2 || setter_named) && !f->asks_current)
        f->kind = HTML_FORM_SETS_PASSWORD;
    else
        f->kind = HTML_FORM_NONE;
    return f->kind;
}

struct page_scan {
    struct html_form *out;      /* the first login form */
    struct html_form *setter;   /* the first password-setting form */
    int have_login, have_setter;
};

static void form_done(struct page_scan *ps, struct html_form *f)
{
    enum html_form_kind k = html_form_classify(f);

    if (k == HTML_FORM_LOGIN && !ps->have_login) {
        *ps->out = *f;
        ps->have_login = 1;
    } else if (k == HTML_FORM_SETS_PASSWORD && !ps->have_setter) {
        *ps->setter = *f;
        ps->have_setter = 1;
    }
}

/* Skip raw text up to (not past) the end tag "</name"; returns its index, or len. */
static size_t skip_raw(const uint8_t *h, size_t len, size_t i, const char *name)
{
    char end[16];

    snprintf(end, sizeof(end), "</%s", name);
    while (i < len) {
        const uint8_t *p = sp_memcasemem(h + i, len - i, end);
        if (!p)
            return len;
        i = (size_t)(p - h);
        if (tag_is(h, len, i + 2, name))
            return i;
        i += 2;
    }
    return len;
}

void html_each_form(const uint8_t *html, size_t len, void (*fn)(void *arg, struct html_form *f), void *arg)
{
    static const char *const raw[] = {"script", "style", "textarea", "title"};
    struct html_form *cur = xcalloc(1, sizeof(*cur)), *loose = xcalloc(1, sizeof(*loose));
    struct tag_attrs *a = xmalloc(sizeof(*a));
    int in_form = 0, nforms = 0;
    size_t i = 0;

    loose->formless = 1;
    while (i < len) {
        const uint8_t *lt = memchr(html + i, '<', len - i);
        size_t j, r;
        if (!lt)
            break;
        i = (size_t)(lt - html) + 1;
        if (len - i >= 3 && memcmp(html + i, "!--", 3) == 0) {
            const uint8_t *e = sp_memcasemem(html + i + 3, len - i - 3, "-->");
            i = e ? (size_t)(e - html) + 3 : len;
            continue;
        }
        for (r = 0; r < SP_ARRAY_LEN(raw); r++)
            if (tag_is(html, len, i, raw[r]))
                break;
        if (r < SP_ARRAY_LEN(raw)) {
            i = parse_attrs(html, len, i + strlen(raw[r]), a);
            i = skip_raw(html, len, i, raw[r]);
            continue;
        }
        if (tag_is(html, len, i, "form")) {
            j = parse_attrs(html, len, i + 4, a);
            if (in_form)
                fn(arg, cur);
            in_form = 0;
            if (nforms < HTML_MAX_FORMS) {
                memset(cur, 0, sizeof(*cur));
                cur->has_action = a->has_action;
                sp_strlcpy(cur->action, a->action, sizeof(cur->action));
                cur->post = strcasecmp(a->method, "post") == 0;
                cur->truncated = a->truncated;
                in_form = 1;
                nforms++;
            }
            i = j;
        } else if (tag_is(html, len, i, "/form")) {
            if (in_form)
                fn(arg, cur);
            in_form = 0;
            i = parse_attrs(html, len, i + 5, a);
        } else if (tag_is(html, len, i, "input")) {
            i = parse_attrs(html, len, i + 5, a);
            /* A tag the page ends inside is no field: a browser drops it (the tokenizer's eof-in-tag). */
            if (a->closed)
                add_field(in_form ? cur : loose, a);
        } else if (i < len && (isalpha(html[i]) || html[i] == '/' || html[i] == '!' ||
                               html[i] == '?')) {
            /* Any other tag: past its attributes, so a '>' or '<' in a quoted value is no tag. */
            i = parse_attrs(html, len, i + 1, a);
        }
    }
    if (in_form)
        fn(arg, cur);
    /* Inputs outside every form count after the real forms: they have no action to post to. */
    if (loose->nfields)
        fn(arg, loose);
    free(a);
    free(loose);
    free(cur);
}

static void form_done_fn(void *arg, struct html_form *f)
{
    form_done(arg, f);
}

enum html_form_kind html_find_form(const uint8_t *html, size_t len, struct html_form *out)
{
    struct page_scan ps = {out, xcalloc(1, sizeof(struct html_form)), 0, 0};
    enum html_form_kind k = HTML_FORM_NONE;

    memset(out, 0, sizeof(*out));
    html_each_form(html, len, form_done_fn, &ps);
    if (ps.have_login) {
        k = HTML_FORM_LOGIN;
    } else if (ps.have_setter) {
        *out = *ps.setter;
        k = HTML_FORM_SETS_PASSWORD;
    } else {
        memset(out, 0, sizeof(*out));
        out->user = out->pass = -1;
    }
    free(ps.setter);
    return k;
}

enum html_form_kind html_page_kind(const uint8_t *html, size_t len)
{
    struct html_form *f = xmalloc(sizeof(*f));
    enum html_form_kind k = html_find_form(html, len, f);

    free(f);
    return k;
}

/* Remove "." and ".." segments from the path part of p (up to '?'), into out. 0 or -1. */
static int remove_dots(const char *p, char *out, size_t cap)
{
    struct { const char *s; size_t n; } seg[64];
    size_t q = strcspn(p, "?"), ns = 0, o = 0;
    const char *s = p + 1, *end = p + q;
    int trail = 0;

    if (p[0] != '/')
        return -1;
    while (s <= end) {
        const char *e = memchr(s, '/', (size_t)(end - s));
        size_t n;
        if (!e)
            e = end;
        n = (size_t)(e - s);
        trail = 0;
        if (n == 1 && s[0] == '.') {
            trail = 1;
        } else if (n == 2 && s[0] == '.' && s[1] == '.') {
            if (ns)
                ns--;
            trail = 1;
        } else {
            if (ns >= SP_ARRAY_LEN(seg))
                return -1;
            seg[ns].s = s;
            seg[ns].n = n;
            ns++;
        }
        s = e + 1;
    }
    for (size_t k = 0; k < ns; k++) {
        if (o + 1 + seg[k].n >= cap)
            return -1;
        out[o++] = '/';
        memcpy(out + o, seg[k].s, seg[k].n);
        o += seg[k].n;
    }
    if ((ns == 0 || trail) && (o == 0 || out[o - 1] != '/')) {
        if (o + 1 >= cap)
            return -1;
        out[o++] = '/';
    }
    if (o + strlen(p + q) >= cap)
        return -1;
    memcpy(out + o, p + q, strlen(p + q) + 1);
    return 0;
}

/* Percent-encode the bytes a request line cannot carry (controls, space, non-ASCII). 0 or -1. */
static int request_safe(const char *in, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;

    for (; *in; in++) {
        unsigned char c = (unsigned char)*in;
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\') {
            if (o + 3 >= cap)
                return -1;
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        } else {
            if (o + 1 >= cap)
                return -1;
            out[o++] = (char)c;
        }
    }
    if (cap == 0)
        return -1;
    out[o] = '\0';
    return 0;
}

int html_form_target(const struct html_form *f, const char *page, const char *host,
                     const char *addr, long port, int tls, char *out, size_t cap)
{
    char act[HTML_ACTION_MAX], joined[HTML_ACTION_MAX + 512], norm[HTML_ACTION_MAX + 512];
    size_t a = 0, n;

    if (f->formless || !page || page[0] != '/')
        return -1;
    /* Blanks around an action are not part of it (HTML: a URL "potentially surrounded by spaces"). */
    while (f->action[a] && is_space((uint8_t)f->action[a]))
        a++;
    sp_strlcpy(act, f->has_action ? f->action + a : "", sizeof(act));
    n = strcspn(act, "#");
    act[n] = '\0';
    while (n > 0 && is_space((uint8_t)act[n - 1]))
        act[--n] = '\0';
    if (!act[0]) {
        if (sp_strlcpy(joined, page, sizeof(joined)) >= sizeof(joined))
            return -1;
        joined[strcspn(joined, "#")] = '\0';
    } else if (act[0] == '/' && act[1] == '/') {
        char abs[sizeof(act) + 8];
        snprintf(abs, sizeof(abs), "%s:%s", tls ? "https" : "http", act);
        if (!http_same_origin_path(abs, host, addr, port, tls, joined, sizeof(joined)))
            return -1;
    } else if (act[0] == '/') {
        sp_strlcpy(joined, act, sizeof(joined));
    } else if (act[strcspn(act, ":/?")] == ':') {
        /* A scheme: only this origin's own, never javascript: or another host. */
        if (!http_same_origin_path(act, host, addr, port, tls, joined, sizeof(joined)))
            return -1;
    } else {
        size_t pq = strcspn(page, "?#"), dir = pq;
        if (act[0] == '?') {
            dir = pq;
        } else {
            while (dir > 0 && page[dir - 1] != '/')
                dir--;
        }
        if (dir + strlen(act) + 1 > sizeof(joined))
            return -1;
        memcpy(joined, page, dir);
        memcpy(joined + dir, act, strlen(act) + 1);
    }
    if (remove_dots(joined, norm, sizeof(norm)) != 0)
        return -1;
    return request_safe(norm, out, cap);
}

size_t html_urlencode(const char *s, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;

    if (cap == 0)
        return 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c == '*' || c == '-' || c == '.' || c == '_') {
            if (o + 1 >= cap)
                return 0;
            out[o++] = (char)c;
        } else if (c == ' ') {
            if (o + 1 >= cap)
                return 0;
            out[o++] = '+';
        } else {
            if (o + 3 >= cap)
                return 0;
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    out[o] = '\0';
    return o;
}

/* Append "name=value" (with '&' before all but the first) to out at *o. 0 or -1 over cap. */
static int put_pair(char *out, size_t cap, size_t *o, const char *name, const char *value)
{
    size_t n;

    if (*o > 0) {
        if (*o + 1 >= cap)
            return -1;
        out[(*o)++] = '&';
    }
    if (!(n = html_urlencode(name, out + *o, cap - *o)) && name[0])
        return -1;
    *o += n;
    if (*o + 1 >= cap)
        return -1;
    out[(*o)++] = '=';
    out[*o] = '\0';
    if (!(n = html_urlencode(value, out + *o, cap - *o)) && value[0])
        return -1;
    *o += n;
    return 0;
}

size_t html_form_encode(const struct html_form *f, const char *user, const char *pass, char *out,
                        size_t cap)
{
    size_t o = 0;
    int submit = 0;

    if (cap == 0 || f->pass < 0)
        return 0;
    out[0] = '\0';
    for (size_t i = 0; i < f->nfields; i++) {
        const struct html_field *fl = &f->fields[i];
        const char *v = fl->value;
        if (!fl->name[0])
            continue;
        if ((int)i == f->pass)
            v = pass;
        else if ((int)i == f->user)
            v = user ? user : "";
        else if (fl->type == HTML_FIELD_SUBMIT && !submit)
            submit = 1;
        else if (fl->type == HTML_FIELD_PASSWORD || fl->type == HTML_FIELD_SUBMIT ||
                 fl->type == HTML_FIELD_OTHER)
            continue;
        if (put_pair(out, cap, &o, fl->name, v) != 0)
            return 0;
    }
    return o;
}

/* ---- cookies ---- */

void cookie_jar_init(struct cookie_jar *j)
{
    memset(j, 0, sizeof(*j));
}

static void jar_remove(struct cookie_jar *j, size_t k)
{
    memmove(&j->c[k], &j->c[k + 1], (j->n - k - 1) * sizeof(j->c[0]));
    j->n--;
}

/* Does the attribute list (after the first ';') say the cookie is already gone? */
static int cookie_expired(const uint8_t *a, size_t n)
{
    size_t i = 0;

    while (i < n) {
        size_t s, e;
        while (i < n && (a[i] == ';' || a[i] == ' ' || a[i] == '\t'))
            i++;
        s = i;
        while (i < n && a[i] != ';')
            i++;
        e = i;
        if (e - s > 8 && strncasecmp((const char *)a + s, "max-age=", 8) == 0) {
            uint8_t c = a[s + 8];
            if (c == '0' || c == '-')
                return 1;
        } else if (e - s > 8 && strncasecmp((const char *)a + s, "expires=", 8) == 0) {
            /* The first four-digit run is the year; a date before 2000 is a deletion. */
            for (size_t k = s + 8; k + 4 <= e; k++)
                if (isdigit(a[k]) && isdigit(a[k + 1]) && isdigit(a[k + 2]) && isdigit(a[k + 3]) &&
                    (k + 4 == e || !isdigit(a[k + 4])) && (k == s + 8 || !isdigit(a[k - 1]))) {
                    int y = (a[k] - '0') * 1000 + (a[k + 1] - '0') * 100 + (a[k + 2] - '0') * 10 +
                            (a[k + 3] - '0');
                    return y < 2000;
                }
        }
    }
    return 0;
}

int cookie_jar_set(struct cookie_jar *j, const uint8_t *v, size_t len)
{
    const uint8_t *semi = memchr(v, ';', len), *eq;
    size_t pair = semi ? (size_t)(semi - v) : len, ns = 0, ne, vs, ve, k;
    char name[COOKIE_NAME_MAX];

    eq = memchr(v, '=', pair);
    if (!eq) {
        j->dropped = 1;
        return 0;
    }
    while (ns < pair && (v[ns] == ' ' || v[ns] == '\t'))
        ns++;
    ne = (size_t)(eq - v);
    while (ne > ns && (v[ne - 1] == ' ' || v[ne - 1] == '\t'))
        ne--;
    vs = (size_t)(eq - v) + 1;
    while (vs < pair && (v[vs] == ' ' || v[vs] == '\t'))
        vs++;
    ve = pair;
    while (ve > vs && (v[ve - 1] == ' ' || v[ve - 1] == '\t'))
        ve--;
    if (ve - vs >= 2 && v[vs] == '"' && v[ve - 1] == '"') {
        vs++;
        ve--;
    }
    if (ne == ns || ne - ns >= COOKIE_NAME_MAX || ve - vs >= COOKIE_VALUE_MAX) {
        j->dropped = 1;
        return 0;
    }
    for (k = ns; k < ne; k++)
        if (v[k] <= 0x20 || v[k] >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", v[k])) {
            j->dropped = 1;
            return 0;
        }
    /* Nothing that could end the Cookie header or start another one may travel back. */
    for (k = vs; k < ve; k++)
        if (v[k] < 0x20 || v[k] >= 0x7f || v[k] == ';' || v[k] == ',' || v[k] == '\\') {
            j->dropped = 1;
            return 0;
        }
    memcpy(name, v + ns, ne - ns);
    name[ne - ns] = '\0';
    for (k = 0; k < j->n; k++)
        if (strcmp(j->c[k].name, name) == 0)
            break;
    if (ve == vs || (semi && cookie_expired(semi, len - pair))) {
        if (k < j->n)
            jar_remove(j, k);
        return 1;
    }
    if (k == j->n) {
        if (j->n >= COOKIE_JAR_MAX) {
            j->dropped = 1;
            return 0;
        }
        sp_strlcpy(j->c[j->n].name, name, sizeof(j->c[0].name));
        j->n++;
    }
    memcpy(j->c[k].value, v + vs, ve - vs);
    j->c[k].value[ve - vs] = '\0';
    return 1;
}

int cookie_jar_update(struct cookie_jar *j, const uint8_t *head, size_t len)
{
    const uint8_t *v;
    size_t pos = 0, vl;
    int n = 0;

    while (http_header_next(head, len, "Set-Cookie", &pos, &v, &vl))
        n += cookie_jar_set(j, v, vl);
    return n;
}

int cookie_jar_header(const struct cookie_jar *j, char *out, size_t cap)
{
    size_t o = 0;

    if (cap == 0)
        return -1;
    out[0] = '\0';
    for (size_t k = 0; k < j->n; k++) {
        int w = snprintf(out + o, cap - o, "%s%s=%s", k ? "; " : "", j->c[k].name, j->c[k].value);
        if (w < 0 || (size_t)w >= cap - o) {
            out[o] = '\0';
            return -1;
        }
        o += (size_t)w;
    }
    return 0;
}

/* ---- what a page's password fields ask for ---- */

static int name_has(const char *name, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcasestr(name, words[i]))
            return 1;
    return 0;
}

/* What the password and text fields of every form on a page add up to. */
struct page_fields {
    int pw, pw_setting, user_field, other_text;
};

static void count_fields(void *arg, struct html_form *f)
{
    /* Password fields that set a secret rather than prove one. */
    static const char *const setting[] = {"new", "confirm", "repeat", "retype", "again", "wifi",
                                          "wi-fi", "wlan", "wpa", "psk", "key", "passphrase"};
    static const char *const user[] = {"user", "login", "uname", "account", "email", "mail"};
    /* Text a login form may ask beside the password: a verification code, not a setting. */
    static const char *const check[] = {"captcha", "code", "otp", "token", "verif", "totp"};
    struct page_fields *pf = arg;

    for (size_t i = 0; i < f->nfields; i++) {
        const struct html_field *fl = &f->fields[i];
        const char *name = fl->name[0] ? fl->name : fl->id;

        if (fl->type == HTML_FIELD_PASSWORD) {
            pf->pw++;
            pf->pw_setting |= name_has(name, setting, SP_ARRAY_LEN(setting));
        } else if (fl->type == HTML_FIELD_TEXT) {
            if (name_has(name, user, SP_ARRAY_LEN(user)) || strcasecmp(name, "id") == 0 ||
                strcasecmp(name, "uid") == 0 || strcasecmp(name, "usr") == 0 || strcasecmp(name, "name") == 0)
                pf->user_field = 1;
            else if (!name_has(name, check, SP_ARRAY_LEN(check)))
                pf->other_text = 1;
        }
    }
}

enum http_form http_body_form(const uint8_t *body, size_t len)
{
    struct page_fields pf = {0, 0, 0, 0};

    /* html_form.c's reader: a field in a comment, a script or a textarea is none. */
    html_each_form(body, len, count_fields, &pf);
    if (pf.pw == 0)
        return HTTP_FORM_NONE;
    if (pf.pw >= 2 || (!pf.user_field && (pf.pw_setting || pf.other_text)))
        return HTTP_FORM_SETTINGS;
    return HTTP_FORM_LOGIN;
}

int http_body_is_login_form(const uint8_t *body, size_t len)
{
    return http_body_form(body, len) == HTTP_FORM_LOGIN;
}
