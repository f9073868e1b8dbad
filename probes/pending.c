/*
 * pending.c - probes the profiles already name but this version does not
 * implement yet. They are registered with their parameters so profiles
 * validate, and the harness reports each as INCONCLUSIVE "not implemented":
 * a missing probe must never read as a PASS.
 */
#include "run.h"

static void pending_judge(struct run *r, const struct check *c, struct check_result *res)
{
    (void)r;
    cr_set(res, V_INCONCLUSIVE, "Probe %s is not implemented yet.", c->probe->name);
}

static const struct probe_param tls_versions_params[] = {
    {"forbid", "[SSLv3, TLSv1.0, TLSv1.1]", "versions that must be refused"},
    {"require_one_of", "[TLSv1.2, TLSv1.3]", "at least one of these must be accepted"},
    {NULL, NULL, NULL}};
static const struct probe_param tls_ciphers_params[] = {
    {"forbid", "[NULL, EXPORT, anon, RC4, DES, 3DES, MD5]", "suite classes that must be refused"},
    {NULL, NULL, NULL}};
static const struct probe_param tls_cert_params[] = {
    {"rsa_min_bits", "2048", "smallest acceptable RSA key"},
    {"ec_min_bits", "224", "smallest acceptable EC key"},
    {"forbid_sig", "[md5, sha1]", "forbidden signature hashes"},
    {"check_validity", "true", "fail outside notBefore/notAfter"},
    {"self_signed", "report", "report | fail"},
    {NULL, NULL, NULL}};
static const struct probe_param ssh_params[] = {
    {"forbid_kex", "[diffie-hellman-group1-sha1]", "forbidden key exchanges"},
    {"forbid_hostkey", "[ssh-dss]", "forbidden host key algorithms"},
    {"forbid_ciphers", "[arcfour*, des-cbc*, 3des-cbc]", "forbidden ciphers"},
    {"forbid_macs", "[hmac-md5*]", "forbidden MACs"},
    {"findings", "[cbc, sha1-mac]", "reported, not failed"},
    {NULL, NULL, NULL}};
static const struct probe_param unauth_params[] = {
    {"http_paths", "[/admin, /cgi-bin, /api, /config, /setup, /system]", "paths tried without credentials"},
    {"mqtt_subscribe_wait_ms", "2000", "how long an anonymous SUBSCRIBE # listens"},
    {NULL, NULL, NULL}};
static const struct probe_param upd_sig_params[] = {
    {"allowed_keys", "[ecdsa-p256, ecdsa-p384, rsa-2048+]", "acceptable signing keys"},
    {"min_hash", "sha256", "weakest acceptable digest"},
    {"tamper_test", "true", "a one-byte-modified image must fail to verify"},
    {NULL, NULL, NULL}};

#define PENDING(var, nm, sum, fl, prm)                                                     \
    const struct probe var = {.name = nm, .summary = sum,                                  \
                              .rule = "Not implemented in this version: INCONCLUSIVE.",    \
                              .flags = PROBE_PENDING | (fl), .params = prm,                \
                              .gatherer = NULL, .judge = pending_judge}

PENDING(probe_tls_versions, "tls.versions", "TLS/DTLS versions accepted on every TLS service", 0,
        tls_versions_params);
PENDING(probe_tls_ciphers, "tls.ciphers", "Cipher suites accepted per TLS version", 0,
        tls_ciphers_params);
PENDING(probe_tls_certificate, "tls.certificate", "Certificate key, signature and validity", 0,
        tls_cert_params);
PENDING(probe_ssh_algorithms, "ssh.algorithms", "SSH KEXINIT algorithm lists", 0, ssh_params);
PENDING(probe_auth_unauthenticated, "auth.unauthenticated",
        "Access to functions without authentication", 0, unauth_params);
PENDING(probe_update_signature, "update.signature",
        "Firmware image signature verifies, a tampered one does not", 0, upd_sig_params);
