/*
 * tlscert.h - the server certificate for tls.certificate (S1.1-12): analyse
 * a DER chain with mbedTLS X.509 into report facts, and, for a server that
 * speaks only TLS 1.3 (whose Certificate message is encrypted), obtain the
 * chain with OpenSSL's client on a socket from net.h.
 */
#ifndef SP_TLSCERT_H
#define SP_TLSCERT_H

#include <stddef.h>
#include <stdint.h>

#include "facts.h"
#include "net.h"

/* A certificate chain as DER blobs, leaf first. tls_chain_init/tls_chain_free pair. */
#define TLS_CHAIN_MAX 10
struct tls_chain {
    uint8_t *der[TLS_CHAIN_MAX];
    size_t len[TLS_CHAIN_MAX];
    size_t n;
};

void tls_chain_init(struct tls_chain *c);
void tls_chain_free(struct tls_chain *c);
/* Copy one certificate in; past TLS_CHAIN_MAX the rest are dropped. */
void tls_chain_add(struct tls_chain *c, const uint8_t *der, size_t len);

/*
 * What the chain's leaf says, into out (initialised here; the caller frees
 * it with tls_cert_facts_free): subject, issuer, SANs, key, signature,
 * dates and whether it is expired, not yet valid or self-signed at now
 * (seconds since the epoch, a parameter so tests can fix it), the chain's
 * length, and obtained_with as given. When the leaf does not parse, only
 * error (and obtained_with).
 */
void tls_cert_facts(const struct tls_chain *c, const char *obtained_with, long long now,
                    struct tls_cert_facts *out);

/*
 * Verify a chain the server sent (leaf first) as a client that trusts the
 * system store (SP_SYSTEM_CA_BUNDLE) and, when ca_file is not NULL, the PEM
 * certificates in ca_file, and is connecting to host: a DNS name matches a
 * dNSName SAN or, without SANs, the CN (mbedTLS's rules, wildcards
 * included); an IP address matches only an iPAddress SAN. Sets *chain_ok
 * (it chains to a trusted CA, every certificate within its dates and strong
 * enough for mbedTLS's default profile) and *name_ok, with the reasons for
 * either failure in why. 0, or SP_ERR_IO with why filled when no trust
 * anchor could be loaded (then nothing was decided).
 */
#define SP_SYSTEM_CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt"
int tls_chain_verify(const struct tls_chain *c, const char *host, const char *ca_file,
                     int *chain_ok, int *name_ok, char *why, size_t whylen);

/*
 * SHA-256 of the leaf certificate and of its SubjectPublicKeyInfo, as
 * "SHA256:" and lower-case hex. 0, or SP_ERR_PARSE when the leaf does not parse.
 */
int tls_leaf_fingerprints(const struct tls_chain *c, char *cert_fp, char *key_fp, size_t len);

/*
 * TLS 1.3 handshake with OpenSSL (verify none, security level 0) on a fresh
 * connection to port, every wait bounded by deadline; fills chain. 0, or a
 * negative sp_err with a sentence in why.
 */
int tls13_fetch_chain(const struct sp_target *t, int port, int64_t deadline,
                      struct tls_chain *chain, char *why, size_t whylen);

/*
 * The same, also telling whether the server asked for a client certificate
 * (a CertificateRequest, encrypted in TLS 1.3): *creq 1 asked, 0 not asked
 * (the handshake completed without one), -1 unknown (it did not complete).
 */
int tls13_fetch_chain_creq(const struct sp_target *t, int port, int64_t deadline,
                           struct tls_chain *chain, int *creq, char *why, size_t whylen);

/*
 * Verify a chain (leaf first) against the PEM certificates in ca_file ONLY
 * (no system store, no host name): *ok 1 when it chains to one of them with
 * every certificate within its dates. 0, or SP_ERR_IO with why filled when
 * ca_file cannot be read (then nothing was decided).
 */
int tls_chain_verify_ca(const struct tls_chain *c, const char *ca_file, int *ok, char *why,
                        size_t whylen);

/*
 * The same handshake, for a client that must know it completed (the update
 * server check): 0 only after SSL_connect finished, with the chain and the
 * negotiated suite's IANA name in suite.
 */
int tls13_handshake(const struct sp_target *t, int port, int64_t deadline,
                    struct tls_chain *chain, char *suite, size_t suitelen, char *why,
                    size_t whylen);

/* "OpenSSL 3.0.22" (static). */
const char *tls13_library_version(void);

#endif
