/*
 * profile.h - a star-level profile (docs/design.md §3.1): requirements, each with the
 * checks that decide it and their parameters. Loaded from YAML, with
 * `extends` resolved, so the run sees one flat list.
 */
#ifndef SP_PROFILE_H
#define SP_PROFILE_H

#include <stddef.h>

#include "ydoc.h"

struct probe;

struct lstr {
    char *en;
    char *ja;
};

struct check {
    const struct probe *probe;
    struct ynode *with;      /* Y_MAP of parameters, or NULL; owned */
};

struct requirement {
    char *id;
    struct lstr title;
    char *status;            /* confirmed | inferred | unknown */
    struct ynode *refs;      /* map name -> list; owned, may be NULL */
    char *assess;            /* probe | evidence | both */
    struct check *checks;
    size_t nchecks;
    struct lstr evidence;
    struct lstr note;
    char *disabled;          /* reason, when a derived profile switched it off */
    const char *file;        /* where it was (last) defined */
    int line;
};

struct profile {
    char *id;
    char *path;              /* file it came from */
    struct lstr title;
    struct lstr source;
    long level;
    char *edition;
    char *status;            /* official | provisional | derived */
    char *extends;           /* id of the parent, if any */
    struct requirement *reqs;
    size_t nreqs;
    struct ydoc *docs;       /* every file loaded, kept for node positions */
    size_t ndocs;
};

void profile_init(struct profile *p);
void profile_free(struct profile *p);

/*
 * Load by bundled id ("jcstar-star1"), short name ("star1") or path. On
 * error, e holds "file:line:col: what was expected".
 */
int profile_load(struct profile *p, const char *name, struct yerr *e);
int profile_load_path(struct profile *p, const char *path, struct yerr *e);

/* Find a profile file: NULL if none. The caller frees. */
char *profile_find(const char *name);
/* The directories searched for bundled profiles, NULL-terminated; static. */
const char *const *profile_dirs(void);

const struct requirement *profile_req(const struct profile *p, const char *id);
const char *lstr_get(const struct lstr *s, const char *lang);

/* Parameters of a check, with the probe's declared defaults. */
const struct ynode *check_param(const struct check *c, const char *key);
long check_param_int(const struct check *c, const char *key, long dflt);
int check_param_in_list(const struct check *c, const char *key, const char *value, int dflt);

#endif
