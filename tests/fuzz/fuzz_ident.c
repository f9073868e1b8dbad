/*
 * fuzz_ident.c - libFuzzer entry for everything in ident.c and tls_wire.c
 * that reads device bytes: the banner and any-protocol matchers, every TCP
 * and UDP matcher, the SNMP BER reader and the TLS ServerHello parser.
 *
 * UDP matchers compare the reply with the request, and real requests carry
 * random ids the fuzzer could never guess. So each UDP matcher is run twice:
 * against a request built once with the real builder (the usual path), and
 * with the input split in two, the first part taken as the request, so the
 * fuzzer can make ids agree and reach the deep paths; matchers must be
 * robust to any request anyway.
 *
 * Build and run (see the brief):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iharness -Iprobes \
 *     tests/fuzz/fuzz_ident.c probes/ident.c probes/wire/tls_wire.c harness/util.c -o /tmp/fuzz_ident
 *   /tmp/fuzz_ident -max_total_time=60
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http_wire.h"
#include "ident.h"
#include "mqtt_wire.h"
#include "snmp_wire.h"
#include "starprobe.h"
#include "tls_wire.h"

static uint8_t udp_req[16][1024];
static size_t udp_reqlen[16];
static int ready;

static void setup(void)
{
    for (size_t i = 0; i < ident_udp_nprobes && i < 16; i++)
        udp_reqlen[i] = ident_udp_probes[i].build(udp_req[i], sizeof(udp_req[i]), 0x1234);
    ready = 1;
}

/* Exercise the detail strings too: they must be terminated and within bounds. */
static void touch(const struct ident_result *r)
{
    volatile size_t n = strlen(r->service) + strlen(r->detail) + strlen(r->banner);
    (void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ident_result r;
    struct tls_server_hello sh;
    struct snmp_reply sr;
    uint8_t *copy;
    size_t split;

    if (!ready)
        setup();
    /* An exact-size heap copy, so ASan sees a read one byte past the end. */
    copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    if (size)
        memcpy(copy, data, size);

    ident_banner(copy, size, &r);
    touch(&r);
    ident_any(copy, size, &r);
    touch(&r);
    (void)ident_reply_done(copy, size, NULL);
    for (size_t i = 0; i < ident_tcp_nprobes; i++) {
        if (ident_tcp_probes[i].match(copy, size, &r))
            touch(&r);
    }
    for (size_t i = 0; i < ident_udp_nprobes && i < 16; i++) {
        if (ident_udp_probes[i].match(udp_req[i], udp_reqlen[i], copy, size, &r))
            touch(&r);
    }
    (void)tls_parse_server_hello(copy, size, &sh);
    (void)tls_reply_done(copy, size, NULL);
    (void)snmp_parse(copy, size, &sr);

    /* First byte chooses where the request ends and the reply starts. */
    if (size > 1) {
        split = 1 + (size_t)data[0] * (size - 1) / 256;
        uint8_t *req = malloc(split - 1 ? split - 1 : 1);
        uint8_t *rep = malloc(size - split ? size - split : 1);
        if (req && rep) {
            memcpy(req, data + 1, split - 1);
            memcpy(rep, data + split, size - split);
            for (size_t i = 0; i < ident_udp_nprobes; i++) {
                if (ident_udp_probes[i].match(req, split - 1, rep, size - split, &r))
                    touch(&r);
            }
        }
        free(req);
        free(rep);
    }
    free(copy);
    return 0;
}
