/*
 * fuzz_telnet_session.c - libFuzzer target for the whole telnet login
 * session loop (login_telnet_session in login_telnet.c): the device's bytes
 * are the fuzzer's, delivered through a socketpair, and the fuzzer also picks
 * how they are cut into reads, so prompts, telnet commands, the cursor query
 * and floods that slide the session buffer arrive split anywhere.
 *
 * Input layout:
 *   byte 0      flags: bit 0 keeps the connection open at the end (the
 *               session then ends at its deadline, not at the close);
 *               bits 1-3 repeat the payload 1-8 times, so a short input can
 *               still flood the 8 KiB session buffer
 *   byte 1      k = byte % 16 chunk sizes follow (none: one write)
 *   k bytes     chunk sizes, used in turn: b < 128 gives b + 1 bytes, else
 *               (b - 128) * 32 + 1
 *   the rest    the payload the device sends
 *
 * Each of the first PACED chunks is written once the session has read the
 * previous one (or 5 ms passed), so it arrives as its own read; later ones
 * are written back to back, a flood that coalesces as the kernel pleases, so
 * a flood costs little time per run. Deadlines are short: the session never
 * outlives 400 ms, and an open connection ends it after 30 ms.
 *
 *   make fuzz   (or build as in the Makefile's fuzz target and run
 *   build/fuzz_telnet_session -max_total_time=60)
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "login.h"
#include "net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Chunks delivered as reads of their own; the prompts and commands are early in a session. */
#define PACED 64

struct feeder {
    int dev;                    /* the device's end */
    int sess;                   /* the session's end: only queried for unread bytes */
    const uint8_t *sizes;
    size_t nsizes;
    const uint8_t *payload;
    size_t plen;
    unsigned repeats;
    int keep_open;
    atomic_int done;            /* set once the session returned */
};

static size_t chunk_size(uint8_t b)
{
    return b < 128 ? (size_t)b + 1 : (size_t)(b - 128) * 32 + 1;
}

static void sleep_us(long us)
{
    struct timespec ts = {0, us * 1000};
    nanosleep(&ts, NULL);
}

/* Discard what the session sent (user name, password, command, option answers). */
static void drain(int fd)
{
    uint8_t buf[4096];
    while (read(fd, buf, sizeof(buf)) > 0)
        ;
}

/* Wait until the session has read everything written, at most 5 ms. */
static void wait_consumed(const struct feeder *f)
{
    for (int i = 0; i < 50 && !f->done; i++) {
        int unread = 0;
        if (ioctl(f->sess, FIONREAD, &unread) != 0 || unread == 0)
            return;
        drain(f->dev);
        sleep_us(100);
    }
}

static void *feed(void *arg)
{
    struct feeder *f = arg;
    size_t ci = 0, written = 0;

    for (unsigned r = 0; r < f->repeats && !f->done; r++) {
        size_t off = 0;
        while (off < f->plen && !f->done) {
            size_t n = f->nsizes ? chunk_size(f->sizes[ci++ % f->nsizes]) : f->plen - off;
            if (n > f->plen - off)
                n = f->plen - off;
            ssize_t w = write(f->dev, f->payload + off, n);
            if (w < 0 && errno == EAGAIN) {
                drain(f->dev);
                sleep_us(200);
                continue;
            }
            if (w <= 0)
                return NULL;
            off += (size_t)w;
            if (written++ < PACED)
                wait_consumed(f);
        }
    }
    if (!f->keep_open)
        shutdown(f->dev, SHUT_WR);
    while (!f->done) {
        drain(f->dev);
        sleep_us(500);
    }
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct login_result res;
    struct feeder f;
    pthread_t th;
    int sv[2];
    size_t k;

    if (size < 2)
        return 0;
    memset(&f, 0, sizeof(f));
    atomic_init(&f.done, 0);
    f.keep_open = data[0] & 1;
    f.repeats = ((data[0] >> 1) & 7) + 1;
    k = data[1] % 16;
    if (size < 2 + k)
        return 0;
    f.sizes = data + 2;
    f.nsizes = k;
    f.payload = data + 2 + k;
    f.plen = size - 2 - k;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0)
        return 0;
    f.sess = sv[0];
    f.dev = sv[1];
    if (pthread_create(&th, NULL, feed, &f) != 0) {
        close(sv[0]);
        close(sv[1]);
        return 0;
    }
    memset(&res, 0, sizeof(res));
    login_telnet_session(f.sess, "root", "vizxv",
                         sp_deadline(f.keep_open ? 30 : 400, 0), &res);
    f.done = 1;
    pthread_join(th, NULL);
    close(sv[0]);
    close(sv[1]);
    /* Whatever the device sent, the outcome is one of the four and the transcript is terminated. */
    if ((unsigned)res.status > LOGIN_ERROR || !memchr(res.transcript, '\0', sizeof(res.transcript)))
        __builtin_trap();
    return 0;
}
