/*
 * fuzz_tls.c - libFuzzer target for the first-flight parser and the
 * certificate-list walker (tls_wire.c): every byte is the device's.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "tls_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t hs[65536];
    struct tls_flight f;

    /* A small reassembly buffer too, so the "does not fit" paths run. */
    if (tls_parse_flight(data, size, hs, size % 2 ? 512 : sizeof(hs), &f) == 0 && f.have_cert) {
        size_t off = 0, dl;
        const uint8_t *der;
        while (tls_cert_next(f.certs, f.certs_len, &off, &der, &dl) == 1)
            if (der[0] == 0x30 && der[dl - 1] == 0xff)
                f.truncated++;      /* touch both ends of every certificate */
    }
    return 0;
}
