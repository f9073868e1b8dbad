/*
 * ydoc.c - load YAML through libyaml into a tree with source positions, and
 * the checked accessors the profile and declaration loaders use. The tree
 * owns all its strings; ynode_free releases a subtree.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "starprobe.h"
#include "util.h"
#include "ydoc.h"

/* Profiles and declarations are small; a bigger file is a mistake. */
#define YDOC_MAX_BYTES (4u << 20)
#define YDOC_MAX_DEPTH 64

void ydoc_init(struct ydoc *d)
{
    d->file = NULL;
    d->root = NULL;
}

void ynode_free(struct ynode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->items)
            ynode_free(n->items[i]);
        if (n->keys)
            ynode_free(n->keys[i]);
    }
    free(n->items);
    free(n->keys);
    free(n->value);
    free(n);
}

void ydoc_free(struct ydoc *d)
{
    ynode_free(d->root);
    free(d->file);
    ydoc_init(d);
}

int yerr_at(struct yerr *e, const char *file, const struct ynode *n, const char *fmt, ...)
{
    va_list ap;
    int off;

    if (n)
        off = snprintf(e->msg, sizeof(e->msg), "%s:%d:%d: ", n->file, n->line, n->col);
    else
        off = snprintf(e->msg, sizeof(e->msg), "%s: ", file ? file : "?");
    if (off < 0 || (size_t)off >= sizeof(e->msg))
        off = 0;
    va_start(ap, fmt);
    vsnprintf(e->msg + off, sizeof(e->msg) - (size_t)off, fmt, ap);
    va_end(ap);
    return SP_ERR_PARSE;
}

static struct ynode *convert(yaml_document_t *doc, yaml_node_t *yn, const char *file,
                             int depth, struct yerr *e)
{
    struct ynode *n;

    if (depth > YDOC_MAX_DEPTH) {
        yerr_at(e, file, NULL, "nesting deeper than %d levels", YDOC_MAX_DEPTH);
        return NULL;
    }
    n = xcalloc(1, sizeof(*n));
    n->file = file;
    n->line = (int)yn->start_mark.line + 1;
    n->col = (int)yn->start_mark.column + 1;
    switch (yn->type) {
    case YAML_SCALAR_NODE:
        n->type = Y_SCALAR;
        n->value = xstrndup((const char *)yn->data.scalar.value, yn->data.scalar.length);
        n->quoted = yn->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                    yn->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        break;
    case YAML_SEQUENCE_NODE: {
        yaml_node_item_t *it;
        n->type = Y_SEQ;
        size_t cnt = (size_t)(yn->data.sequence.items.top - yn->data.sequence.items.start);
        n->items = xcalloc(cnt, sizeof(*n->items));
        for (it = yn->data.sequence.items.start; it < yn->data.sequence.items.top; it++) {
            yaml_node_t *c = yaml_document_get_node(doc, *it);
            if (!c || !(n->items[n->n] = convert(doc, c, file, depth + 1, e))) {
                ynode_free(n);
                return NULL;
            }
            n->n++;
        }
        break;
    }
    case YAML_MAPPING_NODE: {
        yaml_node_pair_t *p;
        n->type = Y_MAP;
        size_t cnt = (size_t)(yn->data.mapping.pairs.top - yn->data.mapping.pairs.start);
        n->items = xcalloc(cnt, sizeof(*n->items));
        n->keys = xcalloc(cnt, sizeof(*n->keys));
        for (p = yn->data.mapping.pairs.start; p < yn->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(doc, p->key);
            yaml_node_t *v = yaml_document_get_node(doc, p->value);
            if (!k || !v) {
                ynode_free(n);
                return NULL;
            }
            struct ynode *kn = convert(doc, k, file, depth + 1, e);
            if (!kn) {
                ynode_free(n);
                return NULL;
            }
            if (kn->type != Y_SCALAR) {
                yerr_at(e, file, kn, "a mapping key must be a plain value");
                ynode_free(kn);
                ynode_free(n);
                return NULL;
            }
            for (size_t i = 0; i < n->n; i++)
                if (strcmp(n->keys[i]->value, kn->value) == 0) {
                    yerr_at(e, file, kn, "duplicate key '%s' (first at line %d)",
                            kn->value, n->keys[i]->line);
                    ynode_free(kn);
                    ynode_free(n);
                    return NULL;
                }
            n->keys[n->n] = kn;
            n->items[n->n] = convert(doc, v, file, depth + 1, e);
            n->n++;
            if (!n->items[n->n - 1]) {
                ynode_free(n);
                return NULL;
            }
        }
        break;
    }
    default:
        yerr_at(e, file, n, "empty YAML node");
        ynode_free(n);
        return NULL;
    }
    return n;
}

int ydoc_load_string(struct ydoc *d, const char *name, const char *text, size_t len,
                     struct yerr *e)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_node_t *root;
    int rc = SP_ERR_PARSE;

    ydoc_init(d);
    d->file = xstrdup(name);
    if (!yaml_parser_initialize(&parser)) {
        ydoc_free(d);
        return yerr_at(e, name, NULL, "cannot initialise the YAML parser");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        snprintf(e->msg, sizeof(e->msg), "%s:%zu:%zu: %s%s%s", name,
                 parser.problem_mark.line + 1, parser.problem_mark.column + 1,
                 parser.problem ? parser.problem : "invalid YAML",
                 parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        ydoc_free(d);
        return SP_ERR_PARSE;
    }
    root = yaml_document_get_root_node(&doc);
    if (!root) {
        yerr_at(e, name, NULL, "the file is empty");
    } else if ((d->root = convert(&doc, root, d->file, 0, e)) != NULL) {
        rc = 0;
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (rc != 0)
        ydoc_free(d);
    return rc;
}

int ydoc_load(struct ydoc *d, const char *path, struct yerr *e)
{
    FILE *f = fopen(path, "rb");
    struct strbuf sb;
    char chunk[8192];
    size_t n;
    int rc;

    ydoc_init(d);
    if (!f)
        return yerr_at(e, path, NULL, "cannot open: %s", strerror(errno));
    sb_init(&sb);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        sb_addn(&sb, chunk, n);
        if (sb.len > YDOC_MAX_BYTES) {
            fclose(f);
            sb_free(&sb);
            return yerr_at(e, path, NULL, "larger than %u bytes", YDOC_MAX_BYTES);
        }
    }
    fclose(f);
    rc = ydoc_load_string(d, path, sb.buf ? sb.buf : "", sb.len, e);
    sb_free(&sb);
    return rc;
}

struct ynode *ynode_get(const struct ynode *map, const char *key)
{
    if (!map || map->type != Y_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i]->value, key) == 0)
            return map->items[i];
    return NULL;
}

int ynode_is_null(const struct ynode *n)
{
    return !n || (n->type == Y_SCALAR && !n->quoted &&
                  (n->value[0] == '\0' || strcmp(n->value, "null") == 0 ||
                   strcmp(n->value, "~") == 0));
}

struct ynode *ynode_clone(const struct ynode *n)
{
    struct ynode *c;

    if (!n)
        return NULL;
    c = xcalloc(1, sizeof(*c));
    *c = *n;
    c->value = n->value ? xstrdup(n->value) : NULL;
    c->items = n->n || n->items ? xcalloc(n->n, sizeof(*c->items)) : NULL;
    c->keys = n->keys ? xcalloc(n->n, sizeof(*c->keys)) : NULL;
    for (size_t i = 0; i < n->n; i++) {
        if (n->items)
            c->items[i] = ynode_clone(n->items[i]);
        if (n->keys)
            c->keys[i] = ynode_clone(n->keys[i]);
    }
    return c;
}

int ymap_check_keys(const struct ynode *map, const char *const *allowed, struct yerr *e,
                    const char *what)
{
    if (!map || map->type != Y_MAP)
        return yerr_at(e, map ? map->file : NULL, map, "%s must be a mapping", what);
    for (size_t i = 0; i < map->n; i++) {
        const char *const *a;
        for (a = allowed; *a; a++)
            if (strcmp(*a, map->keys[i]->value) == 0)
                break;
        if (!*a) {
            struct strbuf sb;
            sb_init(&sb);
            for (a = allowed; *a; a++)
                sb_printf(&sb, "%s%s", a == allowed ? "" : ", ", *a);
            yerr_at(e, NULL, map->keys[i], "unknown key '%s' in %s (expected one of: %s)",
                    map->keys[i]->value, what, sb.buf ? sb.buf : "");
            sb_free(&sb);
            return SP_ERR_PARSE;
        }
    }
    return 0;
}

int yget_str(const struct ynode *map, const char *key, int required, char **out, struct yerr *e)
{
    struct ynode *n = ynode_get(map, key);

    if (!n || ynode_is_null(n)) {
        if (required)
            return yerr_at(e, map ? map->file : NULL, map, "missing required key '%s'", key);
        return 0;
    }
    if (n->type != Y_SCALAR)
        return yerr_at(e, NULL, n, "'%s' must be a single value, not a %s", key,
                       n->type == Y_MAP ? "mapping" : "list");
    free(*out);
    *out = xstrdup(n->value);
    return 0;
}

int yget_int(const struct ynode *map, const char *key, int required, long min, long max,
             long *out, struct yerr *e)
{
    struct ynode *n = ynode_get(map, key);

    if (!n || ynode_is_null(n)) {
        if (required)
            return yerr_at(e, map ? map->file : NULL, map, "missing required key '%s'", key);
        return 0;
    }
    if (n->type != Y_SCALAR || sp_parse_int(n->value, min, max, out) != 0)
        return yerr_at(e, NULL, n, "'%s' must be an integer from %ld to %ld", key, min, max);
    return 0;
}

int yget_bool(const struct ynode *map, const char *key, int *out, struct yerr *e)
{
    struct ynode *n = ynode_get(map, key);

    if (!n || ynode_is_null(n))
        return 0;
    if (n->type == Y_SCALAR && (!strcmp(n->value, "true") || !strcmp(n->value, "yes")))
        *out = 1;
    else if (n->type == Y_SCALAR && (!strcmp(n->value, "false") || !strcmp(n->value, "no")))
        *out = 0;
    else
        return yerr_at(e, NULL, n, "'%s' must be true or false", key);
    return 0;
}

int yget_strlist(const struct ynode *map, const char *key, char ***out, size_t *n, struct yerr *e)
{
    struct ynode *l = ynode_get(map, key);

    *out = NULL;
    *n = 0;
    if (!l || ynode_is_null(l))
        return 0;
    if (l->type != Y_SEQ)
        return yerr_at(e, NULL, l, "'%s' must be a list", key);
    *out = xcalloc(l->n, sizeof(char *));
    for (size_t i = 0; i < l->n; i++) {
        if (l->items[i]->type != Y_SCALAR) {
            for (size_t j = 0; j < *n; j++)
                free((*out)[j]);
            free(*out);
            *out = NULL;
            *n = 0;
            return yerr_at(e, NULL, l->items[i], "items of '%s' must be single values", key);
        }
        (*out)[(*n)++] = xstrdup(l->items[i]->value);
    }
    return 0;
}
