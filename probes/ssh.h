/*
 * ssh.h - the SSH gatherer, shared by every probe that needs what an SSH
 * server offers: services[].facts.ssh {banner, kex, hostkey, ..., host_keys,
 * auth_methods, auth_none_accepted (only when the server answered the "none"
 * request), auth_error / error (why not)}. It needs gatherer_scan itself.
 */
#ifndef SP_SSH_H
#define SP_SSH_H

#include <stddef.h>

#include "probe.h"
#include "ssh_wire.h"

struct run;

extern const struct gatherer gatherer_ssh;

/*
 * The hand-written half of the gatherer: connect to port, send our
 * identification, read the server's identification and KEXINIT into g
 * (initialised by the caller). 0, or a negative sp_err with why filled.
 * Exposed so tests/fuzz/fuzz_session.c can drive it with device bytes.
 */
int ssh_read_greeting(struct run *r, long port, struct sshw_greeting *g, char *why,
                      size_t whylen);

#endif
