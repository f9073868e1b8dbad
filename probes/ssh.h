/*
 * ssh.h - the SSH gatherer, shared by every probe that needs what an SSH
 * server offers: each SSH service's struct ssh_facts (harness/facts.h), its
 * greeting, KEXINIT lists, host keys and the answer to a "none"
 * authentication request. It needs gatherer_scan itself.
 */
#ifndef SP_SSH_H
#define SP_SSH_H

#include <stddef.h>

#include "facts.h"
#include "net.h"

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

/*
 * The host keys t offers on port, the way the gatherer reads them: its KEXINIT,
 * then one libssh session per host key class offered, into f's host keys (a
 * class not fetched with its error). 0, or a negative sp_err with why filled
 * when no KEXINIT was read. The run bounds every wait. For comparing two
 * units (compare.c), whose second is not r's target.
 */
int ssh_host_keys(struct run *r, const struct sp_target *t, long port, struct ssh_facts *f,
                  char *why, size_t whylen);

#endif
