/*
 * facts.h - the typed facts gatherers record on a service, one struct per
 * family, and the small containers they use (docs/design.md §6.5).
 *
 * A family's struct is what its gatherer found, in fields the compiler
 * checks; its judges read those fields. None of it is JSON: the JSON form,
 * for report.json and for the worker processes that hand facts back to the
 * parent, is made and read only by the codec in reports/facts_json.c. Each struct
 * pairs _init and _free; a service holds a pointer per family, NULL until
 * its gatherer ran, written through the family's one setter in run.c.
 *
 * Families not typed yet still sit in the service's cJSON bag
 * (service.facts, run_set_facts).
 */
#ifndef SP_FACTS_H
#define SP_FACTS_H

#include <stddef.h>

/* A list of owned NUL-terminated strings, in the order added. {NULL, 0} is empty. */
struct strv {
    char **v;
    size_t n;
};
void strv_add(struct strv *sv, const char *s);
void strv_free(struct strv *sv);

/* ---- ssh: what an SSH server offers (ssh.c's gatherer, read by ssh.algorithms and more) ---- */

/* One host key the server proved it holds, or why one key class was not read. */
struct ssh_host_key {
    char *type;         /* the key's type ("ssh-rsa"); the class tried when error is set */
    int bits;           /* its size; 0 for a type without one (Ed25519) */
    char *sha256;       /* "SHA256:…" fingerprint; NULL when error is set */
    char *error;        /* not NULL: this class was not fetched, and why */
};

/* Whether the server was asked for its authentication methods, and what came of it. */
enum ssh_auth_answer {
    SSH_AUTH_NOT_ASKED = 0,     /* no session asked (the host key read of compare.c) */
    SSH_AUTH_ANSWERED,          /* it answered the "none" request: the fields below hold */
    SSH_AUTH_NO_ANSWER,         /* asked, never answered: auth_error says why */
};

struct ssh_facts {
    char *error;            /* the greeting or the KEXINIT was not read, and why; NULL: read */
    char *banner;           /* the identification string; NULL when none came */
    char *protocol;         /* its protocol version: "2.0", "1.99", "1.5"; NULL when not read */
    long lines_before_banner;   /* lines the server sent before it (RFC 4253 allows them) */
    /* The server's own KEXINIT, each list as offered (has_kexinit 0: SSH-1 only, or not read). */
    int has_kexinit;
    struct strv kex, hostkey, ciphers, ciphers_s2c, macs, macs_s2c, compression;
    /* One entry per host key class the KEXINIT offered (keys_read 0: none was tried). */
    int keys_read;
    struct ssh_host_key *host_keys;
    size_t nhost_keys;
    /* The answer to an authentication request of method "none". */
    enum ssh_auth_answer auth;
    struct strv auth_methods;   /* the methods it offered instead (ANSWERED) */
    int auth_none_accepted;     /* it let us in with no credential at all (ANSWERED) */
    char *auth_error;           /* NO_ANSWER: why */
};

void ssh_facts_init(struct ssh_facts *f);
void ssh_facts_free(struct ssh_facts *f);
/* A new, empty struct on the heap; ssh_facts_destroy frees it and its contents. */
struct ssh_facts *ssh_facts_new(void);
void ssh_facts_destroy(struct ssh_facts *f);
/* Append a host key (error NULL) or a class not fetched (sha256 NULL, error set). */
void ssh_facts_add_key(struct ssh_facts *f, const char *type, int bits, const char *sha256,
                       const char *error);

/* ---- tls: what a TLS or DTLS server accepts (tls.c's gatherer, read by the tls.* checks) ---- */

/* The leaf certificate a server sent, as mbedTLS parsed it (tlscert.c). */
struct tls_cert_facts {
    char *error;            /* not NULL: the leaf was not analysed, and why; only obtained_with is set */
    char *subject, *issuer; /* distinguished names as mbedTLS prints them */
    struct strv san;        /* subjectAltName entries: "DNS:…", "IP:…", "email:…", "URI:…" */
    char *key_type;         /* "RSA", "EC", or mbedTLS's name for another */
    char *curve;            /* EC keys: the curve's name; else NULL */
    long key_bits;
    char *signature_algorithm, *signature_hash;     /* "sha256WithRSAEncryption", "sha256" */
    char *not_before, *not_after;                   /* "2026-01-31T00:00:00Z" */
    int expired, not_yet_valid, self_signed;        /* at the time of the run */
    long chain_length;      /* certificates the server sent, the leaf included */
    char *obtained_with;    /* which handshake read it, for the evidence */
};

void tls_cert_facts_init(struct tls_cert_facts *c);
void tls_cert_facts_free(struct tls_cert_facts *c);

/* How one protocol version's ClientHello was answered. */
enum tls_outcome {
    TLS_OUTCOME_NONE = 0,   /* not recorded */
    TLS_OUTCOME_ACCEPTED,   /* a ServerHello of that version */
    TLS_OUTCOME_REFUSED,    /* an alert, a lower version, or a close */
    TLS_OUTCOME_UNKNOWN,    /* not decided: no answer, or one that made no sense */
};

struct tls_version_result {
    char *version;              /* "TLSv1.2", "DTLSv1.2", as tls_version_name */
    enum tls_outcome result;
    char *detail;               /* what the server answered, for the evidence */
    char *ciphers_incomplete;   /* accepted, but its suites were not all enumerated: why */
};

/* The suites one accepted version took, in the order the server chose them. */
struct tls_suites {
    char *version;
    struct strv suites;
};

enum tls_protocol { TLS_PROTOCOL_NONE = 0, TLS_PROTOCOL_TLS, TLS_PROTOCOL_DTLS };

/* DTLS services: which kinds of suite the server accepted. */
enum tls_auth {
    TLS_AUTH_NONE_RECORDED = 0,
    TLS_AUTH_NONE,              /* no suite of either kind */
    TLS_AUTH_CERTIFICATE,
    TLS_AUTH_PSK,               /* pre-shared keys only: no certificate in use */
    TLS_AUTH_CERTIFICATE_PSK,
};

/* Whether the server asks for a client certificate (mutual authentication). */
enum tls_client_cert {
    TLS_CLIENT_CERT_NONE = 0,   /* not recorded: no version was accepted */
    TLS_CLIENT_CERT_REQUESTED,
    TLS_CLIENT_CERT_NOT_REQUESTED,
    TLS_CLIENT_CERT_UNKNOWN,    /* no first flight was read to its end */
};

/* Does the chain end at the CA the declaration names (tls.ca_file)? */
enum tls_ca_result {
    TLS_CA_NONE = 0,            /* not recorded */
    TLS_CA_CHAINS,
    TLS_CA_DOES_NOT_CHAIN,
    TLS_CA_ERROR,               /* the CA file could not be used: detail says why */
};

struct tls_facts {
    enum tls_protocol protocol;
    struct strv versions;                   /* the versions accepted, in the order tried */
    struct tls_suites *ciphers;             /* per accepted version */
    size_t nciphers;
    struct tls_version_result *results;     /* every version tried, in order */
    size_t nresults;
    struct strv incomplete;                 /* versions not decided or not fully enumerated */
    enum tls_auth authentication;           /* DTLS only */
    struct tls_cert_facts *certificate;     /* NULL: none read (certificate_error may say why) */
    char *certificate_error;
    enum tls_client_cert client_certificate;
    char *client_certificate_detail;
    /* With a declared tls.ca_file and a chain read. */
    char *declared_ca_file;                 /* NULL: not checked */
    enum tls_ca_result declared_ca;
    char *declared_ca_detail;
    long handshakes;                        /* handshakes the enumeration took */
};

void tls_facts_init(struct tls_facts *f);
void tls_facts_free(struct tls_facts *f);
struct tls_facts *tls_facts_new(void);
void tls_facts_destroy(struct tls_facts *f);
/* A version tried; the returned entry belongs to f. */
struct tls_version_result *tls_facts_add_result(struct tls_facts *f, const char *version,
                                                enum tls_outcome result, const char *detail);
/* The result recorded for version, or NULL. */
const struct tls_version_result *tls_facts_result(const struct tls_facts *f, const char *version);
/* The suite list of an accepted version, created empty the first time. */
struct strv *tls_facts_suites(struct tls_facts *f, const char *version);

#endif
