/*
 * ssh.h - the SSH gatherer, shared by every probe that needs what an SSH
 * server offers: services[].facts.ssh {banner, kex, hostkey, ..., host_keys,
 * auth_methods, auth_none_accepted (only when the server answered the "none"
 * request), auth_error / error (why not)}. It needs gatherer_scan itself.
 */
#ifndef SP_SSH_H
#define SP_SSH_H

#include "probe.h"

extern const struct gatherer gatherer_ssh;

#endif
