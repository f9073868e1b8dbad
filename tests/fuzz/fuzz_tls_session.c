/*
 * fuzz_tls_session.c - libFuzzer target for the TLS gatherer's reads of the
 * server's first flight (probes/tls.c): every ClientHello of the version and
 * suite enumeration is one connection through the SP_FUZZ_NET shim
 * (net_fuzz.h), so ServerHello, Certificate and ServerHelloDone arrive in
 * records and reads the fuzzer cuts as it likes, and the reassembly the done
 * callback re-parses on every read, the DTLS cookie exchange and the
 * certificate facts all see them. When only TLS 1.3 is accepted, the
 * gatherer's OpenSSL handshake (tlscert.c) goes through the shim too.
 *
 * Input layout:
 *   byte 0    bit 0: the service is DTLS on UDP ("coaps"), else TLS on TCP
 *             ("https")
 *   the rest  the device's script: one record per hello, in the order the
 *             gatherer sends them (SSLv3, TLS 1.0 .. 1.3, then the suites of
 *             each accepted version; DTLS 1.0, 1.2), see net_fuzz.h
 *
 * The whole enumeration runs under one deadline of SESSION_MS; afterwards the
 * target checks that the facts print, that every socket was closed and that
 * the gatherer did not outlive its deadline by seconds.
 *
 *   make fuzz   (or build as in the Makefile's fuzz target and run
 *   build/fuzz_tls_session -max_total_time=60 build/fuzz_tls_session_corpus)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "net_fuzz.h"
#include "run.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct gatherer gatherer_tls;

#define SESSION_MS 300
/*
 * How far past its deadline a session may return. FUZZ_OVERRUN_MS raises it
 * for long runs beside other work: a process starved of CPU for seconds
 * overruns without a bug (libFuzzer's -timeout still catches a hang).
 */
#define OVERRUN_MS overrun_ms()

static int64_t overrun_ms(void)
{
    const char *e = getenv("FUZZ_OVERRUN_MS");
    long v = e ? strtol(e, NULL, 10) : 0;
    return v > 0 ? v : 3000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct profile empty;
    struct run_opts opts = {.quiet = 1, .jobs = 1};
    struct service *s;
    struct run r;
    char err[128], *json;
    int64_t t0, deadline;
    size_t conns;
    int dtls;

    if (size < 1)
        return 0;
    dtls = data[0] & 1;
    run_init(&r, &opts, &empty, NULL);
    if (net_resolve_target("127.0.8.1", &r.target, err, sizeof(err)) != 0)
        abort();
    s = run_add_service(&r, dtls ? 5684 : 443, dtls ? T_UDP : T_TCP);
    sp_strlcpy(s->name, dtls ? "coaps" : "https", sizeof(s->name));
    t0 = sp_now_ms();
    deadline = t0 + SESSION_MS;
    r.deadline_ms = deadline;

    net_fuzz_begin(data + 1, size - 1);
    gatherer_tls.gather(&r);
    if (net_fuzz_end(&conns) != 0) {
        fprintf(stderr, "fuzz_tls_session: a hello's socket was left open\n");
        __builtin_trap();
    }
    if (sp_now_ms() > deadline + OVERRUN_MS) {
        fprintf(stderr, "fuzz_tls_session: returned %lld ms after its deadline\n",
                (long long)(sp_now_ms() - deadline));
        __builtin_trap();
    }
    /* The facts go into the report as they are: they must print. */
    json = s->facts ? cJSON_PrintUnformatted(s->facts) : NULL;
    if (getenv("FUZZ_SESSION_VERBOSE"))
        fprintf(stderr, "%zu connections, %lld ms: %s\n", conns, (long long)(sp_now_ms() - t0),
                json ? json : "no facts");
    free(json);
    run_free(&r);
    return 0;
}
