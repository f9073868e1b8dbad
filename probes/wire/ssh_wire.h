/*
 * ssh_wire.h - the bytes of an SSH server's greeting, read by hand: the
 * identification line (RFC 4253 §4.2) and the server's first binary packet,
 * SSH_MSG_KEXINIT (§7.1), with its ten name-lists. libssh only reports what
 * it negotiated, and a weak algorithm the server offers but libssh would not
 * pick is exactly what S1.1-12 must see.
 *
 * Also the small host-key blob reader (RFC 4253 §6.6, RFC 5656, RFC 8709)
 * that turns the key libssh fetched into a type and a size, and the
 * algorithm classification the ssh.algorithms rule uses.
 *
 * Everything here reads hostile device bytes: every length is checked
 * against what remains, and no function reads past len.
 */
#ifndef SP_SSH_WIRE_H
#define SP_SSH_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

#define SSHW_OUR_IDENT "SSH-2.0-starprobe_0.1"

/* RFC 4253 §6.1 lets an implementation refuse longer packets; OpenSSH allows 256 KiB
 * for later packets, but a KEXINIT is a few hundred bytes in practice. */
#define SSHW_MAX_PACKET 35000
#define SSHW_MAX_LINE 255       /* §4.2: including CR LF */
#define SSHW_MAX_PRELINES 32    /* lines a server may send before "SSH-" */
#define SSHW_MAX_NAME 64        /* RFC 4251 §6: algorithm names are at most 64 characters */
#define SSHW_MAX_SKIP 4         /* IGNORE/DEBUG packets tolerated before KEXINIT */

enum sshw_list {
    SSHW_KEX, SSHW_HOSTKEY, SSHW_ENC_C2S, SSHW_ENC_S2C, SSHW_MAC_C2S, SSHW_MAC_S2C,
    SSHW_COMP_C2S, SSHW_COMP_S2C, SSHW_LANG_C2S, SSHW_LANG_S2C, SSHW_NLISTS
};

struct sshw_namelist {
    char **v;                   /* NUL-terminated names; owned */
    size_t n;
};

/* What the server's greeting says. sshw_greeting_init/free pair. */
struct sshw_greeting {
    char ident[SSHW_MAX_LINE + 1];  /* "SSH-2.0-…" without CR LF, printable */
    char proto[16];                 /* "2.0", "1.99", "1.5" */
    size_t prelines;                /* lines before the identification */
    int has_kexinit;                /* lists below are filled */
    struct sshw_namelist lists[SSHW_NLISTS];
    int first_kex_follows;
};

/* Outcome of a parse: complete, need more bytes, or the bytes are not SSH as RFC 4253 has it. */
enum sshw_status { SSHW_OK = 0, SSHW_MORE = 1, SSHW_BAD = -1 };

void sshw_greeting_init(struct sshw_greeting *g);
void sshw_greeting_free(struct sshw_greeting *g);

/*
 * Parse what the server sent so far: optional lines, the identification,
 * then (for protocol 2.0 and 1.99) packets up to and including KEXINIT.
 * For a protocol 1-only server (SSH-1.x other than 1.99) the
 * identification alone is complete: no KEXINIT will ever come.
 * On SSHW_BAD, why (if not NULL) holds a sentence fragment saying what was
 * wrong. g is reset on every call; free it once at the end.
 */
enum sshw_status sshw_parse_greeting(const uint8_t *buf, size_t len, struct sshw_greeting *g,
                                     char *why, size_t whylen);

/* Is this identification's protocol one that speaks SSH-1 (1.x, 1.99 included)? */
int sshw_proto_has_v1(const char *proto);
int sshw_proto_has_v2(const char *proto);

/*
 * A public-key blob as the server sends it: type name and size in bits
 * (RSA/DSA: modulus/prime bits; ECDSA: curve size; Ed25519: 256). 0 or
 * SSHW_BAD; type is always terminated.
 */
int sshw_key_blob_info(const uint8_t *blob, size_t len, char *type, size_t typelen, int *bits);

/* "SHA256:<unpadded base64>" of a key blob, as ssh-keygen -l prints it. 0 or SSHW_BAD. */
int sshw_key_fingerprint(const uint8_t *blob, size_t len, char *out, size_t outlen);

/* Glob match an algorithm name against a profile pattern ("arcfour*"), case-insensitive. */
int sshw_glob(const char *pattern, const char *name);

/* Classes reported as findings, not failures (the `findings` parameter). */
int sshw_is_cbc(const char *cipher);
int sshw_is_sha1_mac(const char *mac);
int sshw_is_sha1_kex(const char *kex);

/*
 * Identifying a port (probes/ident.c tries these in its order): the request
 * that asks the question, and the matcher that says whether a reply is this
 * protocol, filling out (service, evidence) only when it is.
 */
/* RFC 4253 §4.2: "SSH-protoversion-softwareversion", possibly after other lines. */
int ssh_ident_match(const uint8_t *buf, size_t len, struct ident_result *out);

#endif
