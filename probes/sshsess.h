/*
 * sshsess.h - the one way starprobe opens a libssh client session to the
 * target: no ~/.ssh/config, no known_hosts, every algorithm libssh 0.10 can
 * use (old devices must still be reached: ssh.algorithms judges what is
 * offered, the login probes must still try a weak device's passwords), RSA
 * host keys down to 768 bits, and blocking calls bounded by the deadline.
 */
#ifndef SP_SSHSESS_H
#define SP_SSHSESS_H

#include <stddef.h>
#include <stdint.h>

#include <libssh/libssh.h>

#include "net.h"

/*
 * A connected session (key exchange done, nothing authenticated), or NULL
 * with the reason in why. user NULL leaves libssh's default; hostkeys NULL
 * allows every host key algorithm. *refused (may be NULL) is set when the
 * TCP connection itself was refused. Free with ssh_disconnect + ssh_free.
 */
ssh_session sshsess_open(const struct sp_target *t, long port, const char *user,
                         const char *hostkeys, int64_t deadline, int *refused, char *why,
                         size_t whylen);

/* Bound the session's next blocking calls by what is left until deadline. */
void sshsess_set_timeout(ssh_session ss, int64_t deadline);

#endif
