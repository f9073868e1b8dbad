/*
 * ydoc.h - a YAML document as a small tree that remembers where each node
 * came from (file, line, column), so every error in a profile or a device
 * declaration can name its place. Built on libyaml's document loader.
 */
#ifndef SP_YDOC_H
#define SP_YDOC_H

#include <stddef.h>

enum ynode_type { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
    enum ynode_type type;
    const char *file;      /* owned by the ydoc */
    int line, col;         /* 1-based */
    int quoted;            /* scalar was quoted: "null" is then a string */
    char *value;           /* Y_SCALAR */
    size_t n;              /* Y_SEQ items / Y_MAP pairs */
    struct ynode **items;  /* Y_SEQ: n items; Y_MAP: values */
    struct ynode **keys;   /* Y_MAP: n scalar keys */
};

struct ydoc {
    char *file;
    struct ynode *root;
};

/* Errors are formatted "FILE:LINE:COL: message" into err. */
struct yerr {
    char msg[512];
};

void ydoc_init(struct ydoc *d);
void ydoc_free(struct ydoc *d);
int ydoc_load(struct ydoc *d, const char *path, struct yerr *e);
int ydoc_load_string(struct ydoc *d, const char *name, const char *text, size_t len, struct yerr *e);

struct ynode *ynode_get(const struct ynode *map, const char *key);
int ynode_is_null(const struct ynode *n);
struct ynode *ynode_clone(const struct ynode *n);
void ynode_free(struct ynode *n);

/* Record an error at node n (or at the file when n is NULL). Returns SP_ERR_PARSE. */
int yerr_at(struct yerr *e, const char *file, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Typed access with checking; each returns 0 or SP_ERR_PARSE with e filled.
 * A missing optional key leaves *out untouched.
 */
int ymap_check_keys(const struct ynode *map, const char *const *allowed, struct yerr *e,
                    const char *what);
int yget_str(const struct ynode *map, const char *key, int required, char **out, struct yerr *e);
int yget_int(const struct ynode *map, const char *key, int required, long min, long max,
             long *out, struct yerr *e);
int yget_strlist(const struct ynode *map, const char *key, char ***out, size_t *n, struct yerr *e);
int yget_bool(const struct ynode *map, const char *key, int *out, struct yerr *e);

#endif
