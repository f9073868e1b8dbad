/*
 * profile.c - load a profile, resolve `extends`, validate every check
 * against the probe registry. A profile is data a lab edits by hand, so
 * every mistake is reported with file:line:column and what was expected,
 * and unknown keys are errors rather than silently ignored.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"
#include "profile.h"
#include "starprobe.h"
#include "util.h"

#ifndef SP_DATADIR
#define SP_DATADIR "/usr/local/share/starprobe"
#endif

#define PROFILE_MAX_DEPTH 8

static const char *const top_keys[] = {
    "profile", "title", "level", "edition", "status", "source", "extends", "requirements", NULL};
static const char *const req_keys[] = {
    "id", "title", "status", "refs", "assess", "checks", "evidence", "note", "disabled", NULL};
static const char *const check_keys[] = {"probe", "with", NULL};
static const char *const lstr_keys[] = {"en", "ja", NULL};

void profile_init(struct profile *p)
{
    memset(p, 0, sizeof(*p));
}

static void lstr_free(struct lstr *s)
{
    free(s->en);
    free(s->ja);
    s->en = s->ja = NULL;
}

static void req_free(struct requirement *r)
{
    free(r->id);
    lstr_free(&r->title);
    free(r->status);
    ynode_free(r->refs);
    free(r->assess);
    for (size_t i = 0; i < r->nchecks; i++)
        ynode_free(r->checks[i].with);
    free(r->checks);
    lstr_free(&r->evidence);
    lstr_free(&r->note);
    free(r->disabled);
}

void profile_free(struct profile *p)
{
    free(p->id);
    free(p->path);
    lstr_free(&p->title);
    lstr_free(&p->source);
    free(p->edition);
    free(p->status);
    free(p->extends);
    for (size_t i = 0; i < p->nreqs; i++)
        req_free(&p->reqs[i]);
    free(p->reqs);
    for (size_t i = 0; i < p->ndocs; i++)
        ydoc_free(&p->docs[i]);
    free(p->docs);
    profile_init(p);
}

const char *lstr_get(const struct lstr *s, const char *lang)
{
    if (lang && strcmp(lang, "ja") == 0 && s->ja)
        return s->ja;
    return s->en ? s->en : (s->ja ? s->ja : "");
}

/* A bilingual text: {en: …, ja: …}, or one plain string used for both. */
static int get_lstr(const struct ynode *map, const char *key, struct lstr *out, struct yerr *e)
{
    struct ynode *n = ynode_get(map, key);

    if (!n || ynode_is_null(n))
        return 0;
    if (n->type == Y_SCALAR) {
        lstr_free(out);
        out->en = xstrdup(n->value);
        return 0;
    }
    if (ymap_check_keys(n, lstr_keys, e, key) != 0)
        return SP_ERR_PARSE;
    if (yget_str(n, "en", 0, &out->en, e) || yget_str(n, "ja", 0, &out->ja, e))
        return SP_ERR_PARSE;
    return 0;
}

static int one_of(const char *v, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(v, *allowed) == 0)
            return 1;
    return 0;
}

static int get_enum(const struct ynode *map, const char *key, const char *const *allowed,
                    char **out, struct yerr *e)
{
    struct ynode *n = ynode_get(map, key);

    if (yget_str(map, key, 0, out, e) != 0)
        return SP_ERR_PARSE;
    if (n && *out && !one_of(*out, allowed)) {
        struct strbuf sb;
        sb_init(&sb);
        for (const char *const *a = allowed; *a; a++)
            sb_printf(&sb, "%s%s", a == allowed ? "" : " | ", *a);
        yerr_at(e, NULL, n, "'%s' must be %s, not '%s'", key, sb.buf, *out);
        sb_free(&sb);
        return SP_ERR_PARSE;
    }
    return 0;
}

/* Parameters must be ones the probe declares: a typo would otherwise be ignored. */
static int check_with(const struct probe *pr, const struct ynode *with, struct yerr *e)
{
    if (ynode_is_null(with))
        return 0;
    if (with->type != Y_MAP)
        return yerr_at(e, NULL, with, "'with' must be a mapping of parameters");
    for (size_t i = 0; i < with->n; i++) {
        const struct probe_param *pp = pr->params;
        while (pp && pp->name && strcmp(pp->name, with->keys[i]->value) != 0)
            pp++;
        if (!pp || !pp->name) {
            struct strbuf sb;
            sb_init(&sb);
            for (pp = pr->params; pp && pp->name; pp++)
                sb_printf(&sb, "%s%s", pp == pr->params ? "" : ", ", pp->name);
            yerr_at(e, NULL, with->keys[i], "probe %s has no parameter '%s' (it takes: %s)",
                    pr->name, with->keys[i]->value, sb.buf ? sb.buf : "none");
            sb_free(&sb);
            return SP_ERR_PARSE;
        }
    }
    return 0;
}

/* Child `with` keys override the parent's one by one. */
static struct ynode *merge_with(const struct ynode *parent, const struct ynode *child)
{
    struct ynode *m;

    if (ynode_is_null(child))
        return ynode_clone(parent);
    if (ynode_is_null(parent))
        return ynode_clone(child);
    m = ynode_clone(parent);
    for (size_t i = 0; i < child->n; i++) {
        size_t j;
        for (j = 0; j < m->n; j++)
            if (strcmp(m->keys[j]->value, child->keys[i]->value) == 0)
                break;
        if (j < m->n) {
            ynode_free(m->items[j]);
            m->items[j] = ynode_clone(child->items[i]);
        } else {
            m->keys = xrealloc(m->keys, (m->n + 1) * sizeof(*m->keys));
            m->items = xrealloc(m->items, (m->n + 1) * sizeof(*m->items));
            m->keys[m->n] = ynode_clone(child->keys[i]);
            m->items[m->n] = ynode_clone(child->items[i]);
            m->n++;
        }
    }
    return m;
}

static int apply_checks(struct requirement *r, const struct ynode *list, struct yerr *e)
{
    if (list->type != Y_SEQ)
        return yerr_at(e, NULL, list, "'checks' must be a list of {probe: NAME, with: {...}}");
    for (size_t i = 0; i < list->n; i++) {
        const struct ynode *c = list->items[i];
        const struct ynode *pn, *with;
        const struct probe *pr;
        size_t j;

        if (ymap_check_keys(c, check_keys, e, "a check") != 0)
            return SP_ERR_PARSE;
        pn = ynode_get(c, "probe");
        if (!pn || pn->type != Y_SCALAR)
            return yerr_at(e, NULL, c, "a check needs 'probe: NAME'");
        pr = probe_find(pn->value);
        if (!pr)
            return yerr_at(e, NULL, pn, "unknown probe '%s' (see `starprobe explain` for the list)",
                           pn->value);
        with = ynode_get(c, "with");
        if (check_with(pr, with, e) != 0)
            return SP_ERR_PARSE;
        for (j = 0; j < r->nchecks; j++)
            if (r->checks[j].probe == pr)
                break;
        if (j < r->nchecks) {
            struct ynode *m = merge_with(r->checks[j].with, with);
            ynode_free(r->checks[j].with);
            r->checks[j].with = m;
        } else {
            r->checks = xrealloc(r->checks, (r->nchecks + 1) * sizeof(*r->checks));
            r->checks[r->nchecks].probe = pr;
            r->checks[r->nchecks].with = ynode_is_null(with) ? NULL : ynode_clone(with);
            r->nchecks++;
        }
    }
    return 0;
}

/* Apply one requirement node: a new requirement, or an override of the parent's. */
static int apply_req(struct requirement *r, const struct ynode *n, int is_new, struct yerr *e)
{
    static const char *const statuses[] = {"confirmed", "inferred", "unknown", NULL};
    static const char *const assesses[] = {"probe", "evidence", "both", NULL};
    const struct ynode *x;

    if (get_lstr(n, "title", &r->title, e) || get_enum(n, "status", statuses, &r->status, e) ||
        get_enum(n, "assess", assesses, &r->assess, e) ||
        get_lstr(n, "evidence", &r->evidence, e) || get_lstr(n, "note", &r->note, e) ||
        yget_str(n, "disabled", 0, &r->disabled, e))
        return SP_ERR_PARSE;
    if ((x = ynode_get(n, "refs")) && !ynode_is_null(x)) {
        if (x->type != Y_MAP)
            return yerr_at(e, NULL, x, "'refs' must map a document to a list of clause ids");
        ynode_free(r->refs);
        r->refs = ynode_clone(x);
    }
    if ((x = ynode_get(n, "checks")) && !ynode_is_null(x) && apply_checks(r, x, e) != 0)
        return SP_ERR_PARSE;
    r->file = n->file;
    r->line = n->line;
    if (is_new) {
        if (!r->title.en && !r->title.ja)
            return yerr_at(e, NULL, n, "requirement %s has no 'title'", r->id);
        if (!r->assess)
            return yerr_at(e, NULL, n, "requirement %s has no 'assess' (probe | evidence | both)",
                           r->id);
        if (r->nchecks == 0 && !r->disabled)
            return yerr_at(e, NULL, n, "requirement %s has no 'checks'", r->id);
    }
    return 0;
}

static struct requirement *find_req(struct profile *p, const char *id)
{
    for (size_t i = 0; i < p->nreqs; i++)
        if (strcmp(p->reqs[i].id, id) == 0)
            return &p->reqs[i];
    return NULL;
}

const struct requirement *profile_req(const struct profile *p, const char *id)
{
    return find_req((struct profile *)p, id);
}

static char *dirname_of(const char *path)
{
    const char *s = strrchr(path, '/');

    if (!s)
        return xstrdup(".");
    return xstrndup(path, s == path ? 1 : (size_t)(s - path));
}

static int looks_like_path(const char *name)
{
    size_t n = strlen(name);
    return strchr(name, '/') || (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

const char *const *profile_dirs(void)
{
    static char envdir[PATH_MAX], exedir[PATH_MAX];
    static const char *dirs[5];
    size_t k = 0;
    const char *env = getenv("STARPROBE_PROFILES");
    char exe[PATH_MAX - 16];
    ssize_t n;

    if (env && *env) {
        sp_strlcpy(envdir, env, sizeof(envdir));
        dirs[k++] = envdir;
    }
    dirs[k++] = "profiles";
    /* Next to the binary: a build tree works from any working directory. */
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(exedir, sizeof(exedir), "%s/profiles", exe);
            dirs[k++] = exedir;
        }
    }
    dirs[k++] = SP_DATADIR "/profiles";
    dirs[k] = NULL;
    return dirs;
}

char *profile_find(const char *name)
{
    const char *const *d;

    if (looks_like_path(name))
        return access(name, R_OK) == 0 ? xstrdup(name) : NULL;
    for (d = profile_dirs(); *d; d++) {
        char *p = xasprintf("%s/%s.yaml", *d, name);
        if (access(p, R_OK) == 0)
            return p;
        free(p);
        p = xasprintf("%s/jcstar-%s.yaml", *d, name);
        if (access(p, R_OK) == 0)
            return p;
        free(p);
    }
    return NULL;
}

static int load_rec(struct profile *p, const char *path, int depth, struct yerr *e);

static int load_parent(struct profile *p, const char *child_path, const struct ynode *ext,
                       int depth, struct yerr *e)
{
    char *ppath = NULL;
    int rc;

    if (depth >= PROFILE_MAX_DEPTH)
        return yerr_at(e, NULL, ext, "'extends' chain deeper than %d (a cycle?)",
                       PROFILE_MAX_DEPTH);
    if (looks_like_path(ext->value) && ext->value[0] != '/') {
        char *dir = dirname_of(child_path);
        ppath = xasprintf("%s/%s", dir, ext->value);
        free(dir);
        if (access(ppath, R_OK) != 0) {
            free(ppath);
            ppath = NULL;
        }
    } else {
        ppath = profile_find(ext->value);
    }
    if (!ppath)
        return yerr_at(e, NULL, ext, "cannot find the profile '%s' this one extends", ext->value);
    rc = load_rec(p, ppath, depth + 1, e);
    free(ppath);
    return rc;
}

static int load_rec(struct profile *p, const char *path, int depth, struct yerr *e)
{
    static const char *const pstatus[] = {"official", "provisional", "derived", NULL};
    struct ydoc *doc;
    const char *dfile;
    const struct ynode *root, *ext, *reqs;
    long level = -1;

    p->docs = xrealloc(p->docs, (p->ndocs + 1) * sizeof(*p->docs));
    doc = &p->docs[p->ndocs];
    if (ydoc_load(doc, path, e) != 0)
        return SP_ERR_PARSE;
    p->ndocs++;
    /* load_parent may move p->docs: keep only the heap pointers. */
    root = doc->root;
    dfile = doc->file;
    doc = NULL;
    if (root->type != Y_MAP)
        return yerr_at(e, NULL, root, "a profile must be a mapping with 'profile:' and 'requirements:'");
    if (ymap_check_keys(root, top_keys, e, "a profile") != 0)
        return SP_ERR_PARSE;

    ext = ynode_get(root, "extends");
    if (ext && !ynode_is_null(ext)) {
        if (ext->type != Y_SCALAR)
            return yerr_at(e, NULL, ext, "'extends' must name one profile");
        if (load_parent(p, path, ext, depth, e) != 0)
            return SP_ERR_PARSE;
        free(p->extends);
        p->extends = p->id ? xstrdup(p->id) : xstrdup(ext->value);
    }
    /* The child's own header fields replace the parent's. */
    free(p->id);
    p->id = NULL;
    if (yget_str(root, "profile", 1, &p->id, e) || get_lstr(root, "title", &p->title, e) ||
        get_lstr(root, "source", &p->source, e) || yget_str(root, "edition", 0, &p->edition, e) ||
        get_enum(root, "status", pstatus, &p->status, e) ||
        yget_int(root, "level", 0, 0, 10, &level, e))
        return SP_ERR_PARSE;
    if (level >= 0)
        p->level = level;
    else if (!ext || ynode_is_null(ext))
        return yerr_at(e, NULL, root, "missing required key 'level'");
    free(p->path);
    p->path = xstrdup(path);

    reqs = ynode_get(root, "requirements");
    if (!reqs || ynode_is_null(reqs)) {
        if (!ext || ynode_is_null(ext))
            return yerr_at(e, NULL, root, "missing required key 'requirements'");
        return 0;
    }
    if (reqs->type != Y_SEQ)
        return yerr_at(e, NULL, reqs, "'requirements' must be a list");
    for (size_t i = 0; i < reqs->n; i++) {
        const struct ynode *rn = reqs->items[i];
        char *id = NULL;
        struct requirement *r;
        int is_new;

        if (ymap_check_keys(rn, req_keys, e, "a requirement") != 0 ||
            yget_str(rn, "id", 1, &id, e) != 0) {
            free(id);
            return SP_ERR_PARSE;
        }
        r = find_req(p, id);
        is_new = r == NULL;
        if (is_new) {
            /* Within one file a repeated id is a mistake, not an override. */
            p->reqs = xrealloc(p->reqs, (p->nreqs + 1) * sizeof(*p->reqs));
            r = &p->reqs[p->nreqs++];
            memset(r, 0, sizeof(*r));
            r->id = id;
        } else {
            if (r->file == dfile) {
                yerr_at(e, NULL, rn, "requirement %s is defined twice in this file (first at line %d)",
                        id, r->line);
                free(id);
                return SP_ERR_PARSE;
            }
            free(id);
        }
        if (apply_req(r, rn, is_new, e) != 0)
            return SP_ERR_PARSE;
    }
    return 0;
}

int profile_load_path(struct profile *p, const char *path, struct yerr *e)
{
    int rc;

    profile_init(p);
    rc = load_rec(p, path, 0, e);
    if (rc == 0 && !p->status)
        p->status = xstrdup("provisional");
    return rc;
}

int profile_load(struct profile *p, const char *name, struct yerr *e)
{
    char *path = profile_find(name);
    int rc;

    if (!path) {
        profile_init(p);
        snprintf(e->msg, sizeof(e->msg),
                 "%s: no such profile (not a readable file, nor a bundled id; "
                 "`starprobe profiles` lists them)", name);
        return SP_ERR_PARSE;
    }
    rc = profile_load_path(p, path, e);
    free(path);
    return rc;
}

/*
 * c may be NULL: a gatherer that reads the parameters of a check the profile
 * does not have (the scan, in a profile without ports.exposure) gets the
 * caller's defaults.
 */
const struct ynode *check_param(const struct check *c, const char *key)
{
    return c ? ynode_get(c->with, key) : NULL;
}

static const char *param_default(const struct check *c, const char *key)
{
    if (!c || !c->probe)
        return NULL;
    for (const struct probe_param *pp = c->probe->params; pp && pp->name; pp++)
        if (strcmp(pp->name, key) == 0)
            return pp->dflt;
    return NULL;
}

long check_param_int(const struct check *c, const char *key, long dflt)
{
    const struct ynode *n = check_param(c, key);
    const char *s = n && n->type == Y_SCALAR ? n->value : param_default(c, key);
    long v;

    if (s && sp_parse_int(s, LONG_MIN, LONG_MAX, &v) == 0)
        return v;
    return dflt;
}

/*
 * Is value in the list parameter key? Without the parameter in the profile,
 * the probe's default list (a YAML flow list such as "[a, b]") is used.
 */
int check_param_in_list(const struct check *c, const char *key, const char *value, int dflt)
{
    const struct ynode *n = check_param(c, key);
    const char *d;

    if (n && n->type == Y_SEQ) {
        for (size_t i = 0; i < n->n; i++)
            if (n->items[i]->type == Y_SCALAR && strcasecmp(n->items[i]->value, value) == 0)
                return 1;
        return 0;
    }
    if (n && n->type == Y_SCALAR)
        return strcasecmp(n->value, value) == 0;
    d = param_default(c, key);
    if (!d)
        return dflt;
    /* Scan the default "[a, b, c]" for a whole-word match. */
    size_t vl = strlen(value);
    for (const char *p = d; *p; p++) {
        if ((p == d || strchr("[ ,", p[-1])) && strncasecmp(p, value, vl) == 0 &&
            (p[vl] == '\0' || strchr("], ", p[vl])))
            return 1;
    }
    return 0;
}
