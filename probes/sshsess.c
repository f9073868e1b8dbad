/*
 * sshsess.c - one libssh client session opener for ssh.c (host keys and the
 * "none" request) and login_ssh.c (password logins). libssh connects the
 * socket itself, so it is given only the target's numeric address.
 */
#include <stdio.h>
#include <string.h>

#include "sshsess.h"
#include "util.h"

/* Every algorithm libssh 0.10 can use, so that it can talk to old servers too. */
static const char SSHSESS_KEX[] =
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
    "ecdh-sha2-nistp521,diffie-hellman-group18-sha512,diffie-hellman-group16-sha512,"
    "diffie-hellman-group-exchange-sha256,diffie-hellman-group14-sha256,"
    "diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1,diffie-hellman-group1-sha1";
static const char SSHSESS_HOSTKEYS[] =
    "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,"
    "rsa-sha2-256,ssh-rsa";
static const char SSHSESS_CIPHERS[] =
    "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,"
    "aes192-ctr,aes128-ctr,aes256-cbc,aes192-cbc,aes128-cbc,3des-cbc";
static const char SSHSESS_MACS[] =
    "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha2-512,"
    "hmac-sha1-etm@openssh.com,hmac-sha1";

void sshsess_set_timeout(ssh_session ss, int64_t deadline)
{
    long ms = sp_ms_left(deadline);
    long s = ms / 1000, us = (ms % 1000) * 1000;

    if (s == 0 && us == 0)
        us = 1000;
    ssh_options_set(ss, SSH_OPTIONS_TIMEOUT, &s);
    ssh_options_set(ss, SSH_OPTIONS_TIMEOUT_USEC, &us);
}

ssh_session sshsess_open(const struct sp_target *t, long port, const char *user,
                         const char *hostkeys, int64_t deadline, int *refused, char *why,
                         size_t whylen)
{
    ssh_session ss = ssh_new();
    int verbosity = SSH_LOG_NOLOG, no = 0, rsa_min = 768;
    unsigned int uport = (unsigned int)port;

    if (refused)
        *refused = 0;
    if (!ss) {
        snprintf(why, whylen, "libssh cannot create a session");
        return NULL;
    }
    /* No ~/.ssh/config, no known_hosts: the options here are the whole client. */
    if (ssh_options_set(ss, SSH_OPTIONS_PROCESS_CONFIG, &no) < 0 ||
        ssh_options_set(ss, SSH_OPTIONS_LOG_VERBOSITY, &verbosity) < 0 ||
        ssh_options_set(ss, SSH_OPTIONS_HOST, t->addrstr) < 0 ||
        ssh_options_set(ss, SSH_OPTIONS_PORT, &uport) < 0 ||
        (user && ssh_options_set(ss, SSH_OPTIONS_USER, user) < 0) ||
        ssh_options_set(ss, SSH_OPTIONS_STRICTHOSTKEYCHECK, &no) < 0 ||
        ssh_options_set(ss, SSH_OPTIONS_KNOWNHOSTS, "/dev/null") < 0 ||
        ssh_options_set(ss, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null") < 0 ||
        ssh_options_set(ss, SSH_OPTIONS_KEY_EXCHANGE, SSHSESS_KEX) < 0 ||
        ssh_options_set(ss, SSH_OPTIONS_CIPHERS_C_S, SSHSESS_CIPHERS) < 0 ||
        ssh_options_set(ss, SSH_OPTIONS_CIPHERS_S_C, SSHSESS_CIPHERS) < 0 ||
        ssh_options_set(ss, SSH_OPTIONS_HMAC_C_S, SSHSESS_MACS) < 0 ||
        ssh_options_set(ss, SSH_OPTIONS_HMAC_S_C, SSHSESS_MACS) < 0 ||
        ssh_options_set(ss, SSH_OPTIONS_RSA_MIN_SIZE, &rsa_min) < 0) {
        snprintf(why, whylen, "libssh refuses the session options: %s", ssh_get_error(ss));
        goto fail;
    }
    if (ssh_options_set(ss, SSH_OPTIONS_HOSTKEYS, hostkeys ? hostkeys : SSHSESS_HOSTKEYS) < 0) {
        snprintf(why, whylen, "this libssh build cannot use host key algorithms %s "
                 "(built without them)", hostkeys ? hostkeys : SSHSESS_HOSTKEYS);
        goto fail;
    }
    sshsess_set_timeout(ss, deadline);
    if (ssh_connect(ss) != SSH_OK) {
        const char *err = ssh_get_error(ss);
        snprintf(why, whylen, "libssh connect and key exchange failed: %.150s", err);
        /* a refused connection: the caller says what it means (a fault or a lock, for a login) */
        if (refused)
            *refused = strstr(err, "refused") != NULL;
        goto fail;
    }
    return ss;
fail:
    ssh_free(ss);
    return NULL;
}
