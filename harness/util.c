/*
 * util.c - allocation, strings and file helpers shared by every module.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "starprobe.h"
#include "util.h"

static void oom(void)
{
    fputs("starprobe: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        oom();
    return p;
}

const char *sp_str_or(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

int sp_str_same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
    va_list again;
    char tmp[256], *p;
    int n;

    va_copy(again, ap);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    if (n < 0) {
        va_end(again);
        return xstrdup("");
    }
    if ((size_t)n < sizeof(tmp)) {
        va_end(again);
        return xstrdup(tmp);
    }
    p = xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, again);
    va_end(again);
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *p;

    va_start(ap, fmt);
    p = xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}

size_t sp_strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);

    if (size) {
        size_t c = n < size - 1 ? n : size - 1;
        memcpy(dst, src, c);
        dst[c] = '\0';
    }
    return n;
}

void sb_init(struct strbuf *sb)
{
    sb->buf = NULL;
    sb->len = 0;
    sb->cap = 0;
}

void sb_free(struct strbuf *sb)
{
    free(sb->buf);
    sb_init(sb);
}

static void sb_grow(struct strbuf *sb, size_t extra)
{
    size_t need = sb->len + extra + 1;

    if (need <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap *= 2;
    sb->buf = xrealloc(sb->buf, cap);
    sb->cap = cap;
}

void sb_addn(struct strbuf *sb, const char *s, size_t n)
{
    sb_grow(sb, n);
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void sb_add(struct strbuf *sb, const char *s)
{
    sb_addn(sb, s, strlen(s));
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    char *p;

    va_start(ap, fmt);
    p = xvasprintf(fmt, ap);
    va_end(ap);
    sb_add(sb, p);
    free(p);
}

char *sb_steal(struct strbuf *sb)
{
    char *p = sb->buf ? sb->buf : xstrdup("");
    sb_init(sb);
    return p;
}

char *sp_printable(const uint8_t *buf, size_t len, size_t max)
{
    struct strbuf sb;

    sb_init(&sb);
    sb_add(&sb, "");
    for (size_t i = 0; i < len && sb.len < max; i++) {
        uint8_t c = buf[i];
        if (c == '\r')
            sb_add(&sb, "\\r");
        else if (c == '\n')
            sb_add(&sb, "\\n");
        else if (c == '\\')
            sb_add(&sb, "\\\\");
        else if (c >= 0x20 && c < 0x7f)
            sb_addn(&sb, (const char *)&c, 1);
        else
            sb_printf(&sb, "\\x%02x", c);
    }
    return sb_steal(&sb);
}

const uint8_t *sp_memcasemem(const uint8_t *hay, size_t hlen, const char *needle)
{
    size_t nlen = strlen(needle);

    if (nlen == 0)
        return hay;
    for (size_t i = 0; i + nlen <= hlen; i++) {
        size_t j = 0;
        while (j < nlen && tolower(hay[i + j]) == tolower((unsigned char)needle[j]))
            j++;
        if (j == nlen)
            return hay + i;
    }
    return NULL;
}

int sp_parse_int(const char *s, long min, long max, long *out)
{
    char *end;
    long v;

    if (!s || !*s)
        return SP_ERR_PARSE;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end != '\0' || v < min || v > max)
        return SP_ERR_PARSE;
    *out = v;
    return 0;
}

/*
 * A run killed between writing its temp file and the rename leaves
 * "PATH.tmp.PID" behind: never the report itself, but a half-written file all
 * the same. The next write of PATH removes those whose process is gone.
 */
static void remove_stale_tmp(const char *path)
{
    char *dir = xstrdup(path), *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : path;
    char *prefix = xasprintf("%s.tmp.", base);
    size_t pl = strlen(prefix);
    struct dirent *de;
    DIR *d;

    if (slash)
        *slash = '\0';
    d = opendir(slash ? (*dir ? dir : "/") : ".");
    while (d && (de = readdir(d)) != NULL) {
        long pid;
        if (strncmp(de->d_name, prefix, pl) != 0 || sp_parse_int(de->d_name + pl, 1, INT_MAX, &pid) != 0)
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;   /* still running (another starprobe writing here): not ours to remove */
        char *stale = slash ? xasprintf("%s/%s", *dir ? dir : "", de->d_name) : xstrdup(de->d_name);
        unlink(stale);
        free(stale);
    }
    if (d)
        closedir(d);
    free(prefix);
    free(dir);
}

int sp_write_atomic(const char *path, const char *data, size_t len)
{
    char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
    int fd, rc = SP_ERR_IO;

    remove_stale_tmp(path);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        goto cleanup;
#ifdef SP_TEST_HOOKS
    /* Only a test build honours this: half the file written, then a pause to be killed in. */
    if (getenv("STARPROBE_TEST_STALL_WRITE") && len > 1) {
        if (write(fd, data, len / 2) > 0)
            (void)fsync(fd);
        sleep(60);
        if (lseek(fd, 0, SEEK_SET) != 0 || ftruncate(fd, 0) != 0) {
            close(fd);
            unlink(tmp);
            goto cleanup;
        }
    }
#endif
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            unlink(tmp);
            goto cleanup;
        }
        data += n;
        len -= (size_t)n;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        unlink(tmp);
        goto cleanup;
    }
    if (rename(tmp, path) != 0) {
        unlink(tmp);
        goto cleanup;
    }
    rc = 0;
cleanup:
    free(tmp);
    return rc;
}

int sp_mkdirs(const char *path)
{
    char buf[PATH_MAX];

    if (sp_strlcpy(buf, path, sizeof(buf)) >= sizeof(buf))
        return SP_ERR_IO;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return SP_ERR_IO;
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
        return SP_ERR_IO;
    return 0;
}
