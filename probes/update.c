/*
 * update.c - the update probes: update.channel and update.signature.
 *
 * update.channel (S1.1-06). What the declaration alone settles is
 * judged now: a plain-HTTP update URL fails. Whether an HTTPS update server
 * really has a valid certificate and TLS >= 1.2 needs a connection to that
 * server, which is another host: only with --allow-host, and only once the
 * TLS probe exists. Until then such a channel is INCONCLUSIVE, never PASS.
 */
#include <errno.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "run.h"

static const struct probe_param channel_params[] = {
    {"require_https", "true", "the update URL must be https://"},
    {"min_tls", "TLSv1.2", "oldest TLS version the update server may accept"},
    {NULL, NULL, NULL}};

static void channel_judge(struct run *r, const struct check *c, struct check_result *res)
{
    const char *url = r->device ? r->device->update_url : NULL;

    (void)c;
    if (!url) {
        cr_set(res, V_INCONCLUSIVE, "The declaration names no update URL, so the update channel "
                                    "cannot be examined.");
        return;
    }
    if (strncasecmp(url, "https://", 8) != 0) {
        cr_set(res, V_FAIL, "The declared update channel is not HTTPS: updates can be read and "
                            "replaced in transit.");
        cr_evidence(res, NULL, "declared update url: %s", url);
        return;
    }
    cr_set(res, V_INCONCLUSIVE,
           "The update URL is HTTPS; its server's certificate and TLS versions are not yet "
           "examined by this version.");
    cr_evidence(res, NULL, "declared update url: %s", url);
}

const struct probe probe_update_channel = {
    .name = "update.channel",
    .summary = "The declared update channel is HTTPS with a valid certificate and TLS >= 1.2",
    .rule = "FAIL when the declared update URL is not https://. INCONCLUSIVE when no URL is "
            "declared, or while the update server's TLS is not examined.",
    .flags = 0,
    .params = channel_params,
    .gatherer = NULL,
    .judge = channel_judge,
};

/*
 * update.signature (S1.1-08): the declared image, its detached signature
 * (as `openssl dgst -SHA -sign KEY -out SIG IMAGE` writes it) and the
 * vendor's public key. The signature must verify with an acceptable key and
 * digest, and the same image with one byte changed must NOT verify: a
 * verifier that accepts anything would otherwise pass.
 */

static const struct probe_param signature_params[] = {
    {"allowed_keys", "[ecdsa-p256, ecdsa-p384, rsa-2048+]", "acceptable signing keys"},
    {"min_hash", "sha256", "weakest acceptable digest: sha256, sha384 or sha512"},
    {"tamper_test", "true", "a one-byte-modified image must fail to verify"},
    {NULL, NULL, NULL}};

#define SIG_MAX_BYTES 4096

/* Digests tried, weakest first, so a SHA-1 signature is recognised as one. */
static const struct {
    mbedtls_md_type_t md;
    const char *name;
    int strength;
} digests[] = {
    {MBEDTLS_MD_SHA1, "sha1", 1},
    {MBEDTLS_MD_SHA256, "sha256", 2},
    {MBEDTLS_MD_SHA384, "sha384", 3},
    {MBEDTLS_MD_SHA512, "sha512", 4},
};

struct image_hashes {
    unsigned char h[SP_ARRAY_LEN(digests)][MBEDTLS_MD_MAX_SIZE];
    unsigned char tampered[SP_ARRAY_LEN(digests)][MBEDTLS_MD_MAX_SIZE];
    long long size;
};

/* Hash the image once per digest, streaming; also the image with its first byte flipped. */
static int hash_image(const char *path, struct image_hashes *ih, char *err, size_t errlen)
{
    mbedtls_md_context_t ctx[SP_ARRAY_LEN(digests)], tctx[SP_ARRAY_LEN(digests)];
    unsigned char buf[65536];
    FILE *f = NULL;
    size_t n, k;
    int rc = SP_ERR_IO, first = 1;

    for (k = 0; k < SP_ARRAY_LEN(digests); k++) {
        mbedtls_md_init(&ctx[k]);
        mbedtls_md_init(&tctx[k]);
    }
    f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read the declared image %s: %s", path, strerror(errno));
        goto cleanup;
    }
    for (k = 0; k < SP_ARRAY_LEN(digests); k++) {
        const mbedtls_md_info_t *mi = mbedtls_md_info_from_type(digests[k].md);
        if (!mi || mbedtls_md_setup(&ctx[k], mi, 0) || mbedtls_md_setup(&tctx[k], mi, 0) ||
            mbedtls_md_starts(&ctx[k]) || mbedtls_md_starts(&tctx[k])) {
            snprintf(err, errlen, "mbedTLS lacks digest %s", digests[k].name);
            goto cleanup;
        }
    }
    ih->size = 0;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        for (k = 0; k < SP_ARRAY_LEN(digests); k++)
            mbedtls_md_update(&ctx[k], buf, n);
        if (first) {
            buf[0] ^= 0x01;
            first = 0;
        }
        for (k = 0; k < SP_ARRAY_LEN(digests); k++)
            mbedtls_md_update(&tctx[k], buf, n);
        ih->size += (long long)n;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "error reading %s", path);
        goto cleanup;
    }
    if (ih->size == 0) {
        snprintf(err, errlen, "the declared image %s is empty", path);
        goto cleanup;
    }
    for (k = 0; k < SP_ARRAY_LEN(digests); k++) {
        mbedtls_md_finish(&ctx[k], ih->h[k]);
        mbedtls_md_finish(&tctx[k], ih->tampered[k]);
    }
    rc = 0;
cleanup:
    for (k = 0; k < SP_ARRAY_LEN(digests); k++) {
        mbedtls_md_free(&ctx[k]);
        mbedtls_md_free(&tctx[k]);
    }
    if (f)
        fclose(f);
    return rc;
}

static int read_small(const char *path, unsigned char *buf, size_t cap, size_t *len)
{
    FILE *f = fopen(path, "rb");

    if (!f)
        return SP_ERR_IO;
    *len = fread(buf, 1, cap, f);
    int too_big = fgetc(f) != EOF;
    fclose(f);
    return too_big || *len == 0 ? SP_ERR_PARSE : 0;
}

/* Verify with PKCS#1 v1.5 (or ECDSA), then RSA-PSS for RSA keys. */
static int sig_verify(mbedtls_pk_context *pk, mbedtls_md_type_t md, const unsigned char *hash,
                      const unsigned char *sig, size_t siglen, const char **scheme)
{
    size_t hlen = mbedtls_md_get_size(mbedtls_md_info_from_type(md));

    if (mbedtls_pk_verify(pk, md, hash, hlen, sig, siglen) == 0) {
        *scheme = mbedtls_pk_get_type(pk) == MBEDTLS_PK_RSA ? "RSA PKCS#1 v1.5" : "ECDSA";
        return 0;
    }
    if (mbedtls_pk_get_type(pk) == MBEDTLS_PK_RSA) {
        mbedtls_pk_rsassa_pss_options o = {md, MBEDTLS_RSA_SALT_LEN_ANY};
        if (mbedtls_pk_verify_ext(MBEDTLS_PK_RSASSA_PSS, &o, pk, md, hash, hlen, sig, siglen) == 0) {
            *scheme = "RSA-PSS";
            return 0;
        }
    }
    return -1;
}

static void key_name(mbedtls_pk_context *pk, char *buf, size_t len, int *bits)
{
    *bits = (int)mbedtls_pk_get_bitlen(pk);
    if (mbedtls_pk_get_type(pk) == MBEDTLS_PK_RSA)
        snprintf(buf, len, "rsa-%d", *bits);
    else if (mbedtls_pk_can_do(pk, MBEDTLS_PK_ECDSA))
        snprintf(buf, len, "ecdsa-p%d", *bits);
    else
        snprintf(buf, len, "%s-%d", mbedtls_pk_get_name(pk), *bits);
}

static int key_allowed(const struct check *c, const char *name, int bits, int is_rsa)
{
    if (check_param_in_list(c, "allowed_keys", name, 0))
        return 1;
    /* "rsa-2048+" admits any RSA key of at least 2048 bits. */
    const struct ynode *l = check_param(c, "allowed_keys");
    for (size_t i = 0; is_rsa && l && l->type == Y_SEQ && i < l->n; i++) {
        long min;
        const char *v = l->items[i]->value;
        size_t vl = v ? strlen(v) : 0;
        if (vl > 5 && strncmp(v, "rsa-", 4) == 0 && v[vl - 1] == '+') {
            char tmp[16];
            snprintf(tmp, sizeof(tmp), "%.*s", (int)(vl - 5), v + 4);
            if (sp_parse_int(tmp, 1, 65536, &min) == 0 && bits >= min)
                return 1;
        }
    }
    if (!l && is_rsa && bits >= 2048)
        return 1; /* the default list */
    return 0;
}

static void signature_judge(struct run *r, const struct check *c, struct check_result *res)
{
    const struct device *d = r->device;
    struct image_hashes *ih = NULL;
    mbedtls_pk_context pk;
    unsigned char sig[SIG_MAX_BYTES];
    size_t siglen = 0;
    char err[256], kname[32];
    const char *scheme = NULL;
    int bits = 0, found = -1, min_strength = 2;
    const struct ynode *mh = check_param(c, "min_hash");

    mbedtls_pk_init(&pk);
    if (!d || (!d->update_image && !d->update_signature)) {
        cr_set(res, V_INCONCLUSIVE, "The declaration names no update image and signature, so "
                                    "signature verification cannot be checked.");
        goto cleanup;
    }
    if (d->update_image && !d->update_signature) {
        cr_set(res, V_FAIL, "The declared update image has no signature: its integrity cannot be "
                            "verified before it is installed.");
        cr_evidence(res, NULL, "declared image: %s; no `signature:` declared", d->update_image);
        goto cleanup;
    }
    if (!d->update_image || !d->update_public_key) {
        cr_set(res, V_INCONCLUSIVE, "A signature is declared without %s, so it cannot be verified.",
               d->update_image ? "the vendor's public key" : "the image it signs");
        goto cleanup;
    }
    ih = xcalloc(1, sizeof(*ih));
    if (hash_image(d->update_image, ih, err, sizeof(err)) != 0) {
        cr_set(res, V_INCONCLUSIVE, "%s.", err);
        goto cleanup;
    }
    if (read_small(d->update_signature, sig, sizeof(sig), &siglen) != 0) {
        cr_set(res, V_INCONCLUSIVE, "Cannot read the declared signature %s (missing, empty or over "
                                    "%d bytes).", d->update_signature, SIG_MAX_BYTES);
        goto cleanup;
    }
    if (mbedtls_pk_parse_public_keyfile(&pk, d->update_public_key) != 0) {
        cr_set(res, V_INCONCLUSIVE, "Cannot parse the declared public key %s (PEM or DER "
                                    "SubjectPublicKeyInfo expected).", d->update_public_key);
        goto cleanup;
    }
    key_name(&pk, kname, sizeof(kname), &bits);
    for (size_t k = 0; k < SP_ARRAY_LEN(digests) && found < 0; k++)
        if (sig_verify(&pk, digests[k].md, ih->h[k], sig, siglen, &scheme) == 0)
            found = (int)k;
    if (mh && mh->type == Y_SCALAR)
        for (size_t k = 0; k < SP_ARRAY_LEN(digests); k++)
            if (strcasecmp(mh->value, digests[k].name) == 0)
                min_strength = digests[k].strength;

    cr_evidence(res, NULL, "image %s (%lld bytes), signature %s (%zu bytes), key %s", d->update_image,
                ih->size, d->update_signature, siglen, kname);
    if (found < 0) {
        cr_set(res, V_FAIL, "The declared signature does not verify over the declared image with "
                            "the declared %s key (tried SHA-1/256/384/512, PKCS#1 v1.5, PSS, ECDSA).",
               kname);
        goto cleanup;
    }
    cr_evidence(res, NULL, "signature verifies: %s with %s", scheme, digests[found].name);
    if (!key_allowed(c, kname, bits, mbedtls_pk_get_type(&pk) == MBEDTLS_PK_RSA)) {
        cr_set(res, V_FAIL, "The image is signed with a %s key, which is not an allowed signing key.",
               kname);
        goto cleanup;
    }
    if (digests[found].strength < min_strength) {
        cr_set(res, V_FAIL, "The image signature uses %s, weaker than the required %s.",
               digests[found].name, mh && mh->type == Y_SCALAR ? mh->value : "sha256");
        goto cleanup;
    }
    if (check_param_in_list(c, "tamper_test", "false", 0)) {
        cr_set(res, V_PASS, "The image signature verifies with an allowed key and digest (tamper "
                            "test switched off by the profile).");
        goto cleanup;
    }
    if (sig_verify(&pk, digests[found].md, ih->tampered[found], sig, siglen, &scheme) == 0) {
        cr_set(res, V_FAIL, "The signature also verifies over the image with its first byte "
                            "changed: it does not protect the image's integrity.");
        goto cleanup;
    }
    cr_evidence(res, NULL, "the image with its first byte flipped does not verify");
    cr_set(res, V_PASS, "The update image's signature verifies with an allowed %s key and %s, and "
                        "a one-byte-modified image is rejected.", kname, digests[found].name);
cleanup:
    mbedtls_pk_free(&pk);
    free(ih);
}

const struct probe probe_update_signature = {
    .name = "update.signature",
    .summary = "The declared firmware image's signature verifies, a tampered one does not",
    .rule = "FAIL when the declared image has no signature, when the signature does not verify "
            "with the declared public key, when the key or digest is weaker than allowed_keys / "
            "min_hash, or when the image with one byte changed still verifies. INCONCLUSIVE when "
            "nothing is declared to verify or a file cannot be read. The device's own verification "
            "(uploading a tampered image) is a ★3 intrusive check, not this one.",
    .flags = 0,
    .params = signature_params,
    .gatherer = NULL,
    .judge = signature_judge,
};
