/*
 * unit_util.c - helpers the suites share.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profile.h"
#include "probe.h"
#include "run.h"
#include "unit.h"

int unit_temp_file(const char *text, char *path, size_t pathlen)
{
    static const char tmpl[] = "/tmp/sp-unit-XXXXXX";
    int fd;
    size_t n = strlen(text);

    if (pathlen < sizeof(tmpl))
        return -1;
    memcpy(path, tmpl, sizeof(tmpl));
    fd = mkstemp(path);
    if (fd < 0)
        return -1;
    if (write(fd, text, n) != (ssize_t)n) {
        close(fd);
        unlink(path);
        return -1;
    }
    close(fd);
    return 0;
}

int unit_profile_text(const char *yaml, struct profile *p)
{
    char path[64];
    struct yerr e;
    int rc;

    if (unit_temp_file(yaml, path, sizeof(path)) != 0)
        return -1;
    rc = profile_load_path(p, path, &e);
    unlink(path);
    return rc == 0 ? 0 : -1;
}

void unit_scanned_run(struct run *r, const struct profile *p)
{
    struct run_opts o = {.jobs = 1, .deadline_s = 10, .lang = "en", .quiet = 1};

    run_init(r, &o, p, NULL);
    r->scan.tcp_done = r->scan.udp_done = r->scan.tcp_complete = r->scan.udp_complete = 1;
    for (size_t i = 0; i < p->nreqs; i++)
        for (size_t j = 0; j < p->reqs[i].nchecks; j++) {
            const struct gatherer *g = p->reqs[i].checks[j].probe->gatherer;
            int seen = 0;
            for (size_t k = 0; k < r->ngathered; k++)
                seen |= r->gathered[k].g == g;
            if (g && !seen && r->ngathered < RUN_MAX_GATHERERS)
                r->gathered[r->ngathered++].g = g;
        }
}
