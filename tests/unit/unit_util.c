/*
 * unit_util.c - helpers the suites share.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
