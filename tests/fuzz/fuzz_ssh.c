/*
 * fuzz_ssh.c - libFuzzer entry for ssh_wire.c: the server greeting
 * (identification lines and KEXINIT) and the host-key blob reader, which
 * both read device bytes. The greeting is parsed whole and at every tenth
 * prefix, as net_recv_until's done callback sees it while bytes arrive.
 *
 * Build and run: make fuzz (or FUZZ_SECONDS=60 make fuzz), seeds in
 * tests/unit/data/ssh/.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ssh_wire.h"

static void check_greeting(const struct sshw_greeting *g)
{
    /* Everything the probe copies into the report must be terminated and bounded. */
    if (strlen(g->ident) > SSHW_MAX_LINE || strlen(g->proto) >= sizeof(g->proto))
        __builtin_trap();
    for (int i = 0; i < SSHW_NLISTS; i++)
        for (size_t j = 0; j < g->lists[i].n; j++) {
            size_t n = strlen(g->lists[i].v[j]);
            if (n == 0 || n > SSHW_MAX_NAME || strchr(g->lists[i].v[j], ','))
                __builtin_trap();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sshw_greeting g;
    char why[160], type[80], fp[80];
    int bits;

    sshw_greeting_init(&g);
    for (size_t n = 0; n < size; n += 10)
        if (sshw_parse_greeting(data, n, &g, why, sizeof(why)) == SSHW_OK)
            check_greeting(&g);
    if (sshw_parse_greeting(data, size, &g, why, sizeof(why)) == SSHW_OK)
        check_greeting(&g);
    sshw_greeting_free(&g);
    if (sshw_key_blob_info(data, size, type, sizeof(type), &bits) == 0) {
        if (strlen(type) >= sizeof(type) || bits < 0)
            __builtin_trap();
        sshw_key_fingerprint(data, size, fp, sizeof(fp));
    }
    return 0;
}
