/*
 * fuzz_yaml.c - libFuzzer entry for the profile and declaration loaders:
 * hand-edited files are input from people, and must never crash the loader.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "device.h"
#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/sp-fuzz-yaml-XXXXXX";
    int fd = mkstemp(path);
    struct profile p;
    struct device d;
    struct yerr e;

    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    if (profile_load_path(&p, path, &e) == 0)
        profile_free(&p);
    else
        profile_free(&p);
    if (device_load(&d, path, &e) == 0)
        device_free(&d);
    unlink(path);
    return 0;
}
