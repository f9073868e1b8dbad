/*
 * update.c - the update probes: update.channel and update.signature.
 *
 * update.channel (S1.1-06). A plain-HTTP update URL fails from the
 * declaration alone. An HTTPS one is judged from a handshake with its
 * server, which is normally another host than the target: the gatherer
 * connects only when --allow-host names the URL's host, through net.h and
 * the TLS probe's own client (tls_conn, mbedTLS; OpenSSL only to read the
 * certificate of a TLS 1.3-only server), and records what was negotiated and
 * whether the chain verifies as a client would verify it (tlscert.c). The
 * judge never passes a server it did not complete a handshake with.
 */
#include <errno.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "run.h"
#include "tlscert.h"
#include "tlsconn.h"

#define UPDATE_TLS_MS 10000      /* resolve, connect and handshake with the update server */

static const struct probe_param channel_params[] = {
    {"require_https", "true", "the update URL must be https://"},
    {"min_tls", "TLSv1.2", "oldest TLS version the update server may negotiate"},
    {NULL, NULL, NULL}};

/* Versions from oldest to newest, as tls_conn_version names them. */
static const char *const tls_order[] = {"SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"};

static int tls_rank(const char *v)
{
    for (size_t i = 0; v && i < SP_ARRAY_LEN(tls_order); i++)
        if (strcasecmp(v, tls_order[i]) == 0)
            return (int)i;
    return -1;
}

/*
 * The host and port of an https:// URL: "https://[user@]host[:port][/...]",
 * the host bracketed when it is an IPv6 address. 0, or -1 when the URL has
 * no usable host or port.
 */
static int url_host_port(const char *url, char *host, size_t hostlen, long *port)
{
    const char *a = url + 8, *end = a + strcspn(a, "/?#"), *at, *h, *he, *colon;
    char portbuf[8];

    *port = 443;
    for (at = a; at < end; at++)
        if (*at == '@')
            a = at + 1;
    if (*a == '[') {
        h = a + 1;
        he = memchr(h, ']', (size_t)(end - h));
        if (!he)
            return -1;
        colon = he + 1 < end && he[1] == ':' ? he + 1 : NULL;
        if (!colon && he + 1 != end)
            return -1;
    } else {
        h = a;
        colon = memchr(h, ':', (size_t)(end - h));
        he = colon ? colon : end;
    }
    if (he == h || (size_t)(he - h) >= hostlen)
        return -1;
    memcpy(host, h, (size_t)(he - h));
    host[he - h] = '\0';
    if (colon) {
        if ((size_t)(end - colon - 1) >= sizeof(portbuf))
            return -1;
        snprintf(portbuf, sizeof(portbuf), "%.*s", (int)(end - colon - 1), colon + 1);
        if (sp_parse_int(portbuf, 1, 65535, port) != 0)
            return -1;
    }
    return 0;
}

/* Is host named by an --allow-host option (case does not matter, brackets optional)? */
static int host_allowed(const struct run *r, const char *host)
{
    for (size_t i = 0; i < r->opt.nallow; i++) {
        const char *a = r->opt.allow_hosts[i];
        size_t n = strlen(a);
        if (strcasecmp(a, host) == 0 ||
            (n > 2 && a[0] == '[' && a[n - 1] == ']' && strlen(host) == n - 2 &&
             strncasecmp(a + 1, host, n - 2) == 0))
            return 1;
    }
    return 0;
}

/*
 * Handshake with the update server: mbedTLS first (TLS 1.0 to 1.2, so an old
 * server still shows what it negotiates), then, when that is refused,
 * OpenSSL's TLS 1.3 to read the certificate of a server that speaks only
 * TLS 1.3. Facts into o; the chain into chain.
 */
static void channel_handshake(struct run *r, const struct sp_target *t, long port,
                              struct update_channel_facts *o, struct tls_chain *chain)
{
    int64_t dl = run_op_deadline(r, UPDATE_TLS_MS);
    char err[256], why13[256] = "", suite[96], both[560];
    int code = 0;
    struct tls_conn *c = tls_conn_open(t, port, dl, &code, err, sizeof(err));

    if (c) {
        o->version = xstrdup(tls_conn_version(c));
        o->suite = xstrdup(tls_conn_suite(c));
        o->obtained_with = xstrdup("mbedTLS handshake");
        tls_conn_peer_chain(c, chain);
        tls_conn_close(c);
        return;
    }
    if (code == SP_ERR_PARSE &&
        tls13_handshake(t, (int)port, run_op_deadline(r, UPDATE_TLS_MS), chain, suite,
                        sizeof(suite), why13, sizeof(why13)) == 0) {
        char with[64];
        snprintf(with, sizeof(with), "%s handshake", tls13_library_version());
        o->version = xstrdup("TLSv1.3");
        o->suite = xstrdup(suite);
        o->obtained_with = xstrdup(with);
        return;
    }
    tls_chain_free(chain);
    snprintf(both, sizeof(both), "%s%s%s", err, code == SP_ERR_PARSE ? "; over TLS 1.3: " : "",
             code == SP_ERR_PARSE ? why13 : "");
    o->error = xstrdup(both);
}

static int channel_gather(struct run *r)
{
    const struct device *d = r->device;
    const char *url = d ? d->update_url : NULL;
    struct sp_target t;
    struct tls_chain chain;
    char host[256], err[256];
    long port;
    struct update_channel_facts *o;

    if (!url || strncasecmp(url, "https://", 8) != 0 ||
        url_host_port(url, host, sizeof(host), &port) != 0 || !host_allowed(r, host))
        return 0;       /* the judge decides from the declaration and the options */
    run_progress(r, 0, "update: TLS to %s port %ld", host, port);
    o = update_channel_facts_new();
    o->host = xstrdup(host);
    o->port = port;
    if (net_resolve_target(host, &t, err, sizeof(err)) != 0) {
        o->error = xstrdup(err);
        run_set_update_channel_facts(r, o);
        return 0;
    }
    o->address = xstrdup(t.addrstr);
    tls_chain_init(&chain);
    channel_handshake(r, &t, port, o, &chain);
    if (!o->error) {
        int chain_ok, name_ok;
        o->certificate = xmalloc(sizeof(*o->certificate));
        tls_cert_facts(&chain, "update server handshake", (long long)time(NULL), o->certificate);
        if (tls_chain_verify(&chain, host, d->update_ca_file, &chain_ok, &name_ok, err,
                             sizeof(err)) != 0) {
            o->verify_error = xstrdup(err);
        } else {
            o->verified = 1;
            o->chain_trusted = chain_ok;
            o->name_matches = name_ok;
            if (err[0])
                o->verify_detail = xstrdup(err);
            if (d->update_ca_file)
                o->trusted = xasprintf("%s and %s", SP_SYSTEM_CA_BUNDLE, d->update_ca_file);
            else
                o->trusted = xstrdup(SP_SYSTEM_CA_BUNDLE);
        }
    }
    tls_chain_free(&chain);
    run_set_update_channel_facts(r, o);
    return 0;
}

static const struct gatherer gatherer_update = {
    .name = "update",
    .needs = NULL,
    /* the declared channel, read-only; it writes the run's "update_channel" facts alone */
    .flags = GATHER_CONCURRENT,
    .gather = channel_gather,
};

static void channel_judge(struct run *r, const struct check *c, struct check_result *res)
{
    const char *url = r->device ? r->device->update_url : NULL;
    const struct ynode *mt = check_param(c, "min_tls");
    const char *min_tls = mt && mt->type == Y_SCALAR ? mt->value : "TLSv1.2";
    const struct update_channel_facts *o;
    const struct tls_cert_facts *cert;
    struct strbuf fails;
    char host[256];
    long port;

    if (!url) {
        cr_set(res, V_INCONCLUSIVE, "The declaration names no update URL, so the update channel "
                                    "cannot be examined.");
        return;
    }
    cr_evidence(res, NULL, "declared update url: %s", url);
    if (strncasecmp(url, "https://", 8) != 0) {
        cr_set(res, V_FAIL, "The declared update channel is not HTTPS: updates can be read and "
                            "replaced in transit.");
        return;
    }
    if (url_host_port(url, host, sizeof(host), &port) != 0) {
        cr_set(res, V_INCONCLUSIVE, "The declared update URL has no host (or port) starprobe can "
                                    "connect to, so its server cannot be examined.");
        return;
    }
    if (!host_allowed(r, host)) {
        cr_set(res, V_INCONCLUSIVE, "The update server %s is not the target, and starprobe contacts "
               "another host only when allowed: run with --allow-host %s to examine its TLS version, "
               "certificate chain and name.", host, host);
        return;
    }
    if (tls_rank(min_tls) < 0) {
        cr_set(res, V_ERROR, "The profile's min_tls '%s' is not a TLS version (SSLv3, TLSv1.0 … "
               "TLSv1.3).", min_tls);
        return;
    }
    o = r->update_channel;
    if (!o) {
        cr_set(res, V_INCONCLUSIVE, "The update server %s was not examined (the update step did not "
               "run to the end).", host);
        return;
    }
    if (o->error) {
        cr_set(res, V_INCONCLUSIVE, "No TLS session with the update server %s port %ld: %s.", host,
               port, o->error);
        return;
    }
    cert = o->certificate;
    cr_evidence(res, NULL, "update server %s (%s) port %ld negotiated %s with %s (%s)", host,
                sp_str_or(o->address, "?"), port, sp_str_or(o->version, "?"),
                sp_str_or(o->suite, "?"), sp_str_or(o->obtained_with, "?"));
    if (cert && cert->error)
        cr_evidence(res, NULL, "certificate: %s", cert->error);
    else
        cr_evidence(res, NULL, "certificate subject %s, issuer %s, valid %s to %s",
                    sp_str_or(cert ? cert->subject : NULL, "?"),
                    sp_str_or(cert ? cert->issuer : NULL, "?"),
                    sp_str_or(cert ? cert->not_before : NULL, "?"),
                    sp_str_or(cert ? cert->not_after : NULL, "?"));
    sb_init(&fails);
    if (tls_rank(sp_str_or(o->version, "?")) < tls_rank(min_tls)) {
        cr_evidence(res, NULL, "negotiated %s, older than the minimum %s",
                    sp_str_or(o->version, "?"), min_tls);
        sb_printf(&fails, "it negotiates %s, older than %s", sp_str_or(o->version, "?"), min_tls);
    }
    if (o->verify_error) {
        if (fails.len)
            cr_set(res, V_FAIL, "The update server %s is not a trustworthy channel: %s.", host,
                   fails.buf);
        else
            cr_set(res, V_INCONCLUSIVE, "The update server's certificate could not be verified: %s.",
                   o->verify_error);
        sb_free(&fails);
        return;
    }
    if (!o->verified || !o->chain_trusted || !o->name_matches) {
        struct strbuf san;
        sb_init(&san);
        for (size_t i = 0; cert && i < cert->san.n; i++)
            sb_printf(&san, "%s%s", i ? ", " : "", cert->san.v[i]);
        cr_evidence(res, NULL, "the certificate (SAN %s) does not verify against %s: %s",
                    san.len ? san.buf : "none", sp_str_or(o->trusted, "?"),
                    sp_str_or(o->verify_detail, "?"));
        sb_printf(&fails, "%s%s", fails.len ? "; " : "", sp_str_or(o->verify_detail, "?"));
        sb_free(&san);
    }
    if (fails.len) {
        cr_set(res, V_FAIL, "The update server %s is not a trustworthy channel: %s.", host, fails.buf);
        sb_free(&fails);
        return;
    }
    sb_free(&fails);
    cr_evidence(res, NULL, "the chain verifies against %s and the certificate names %s",
                sp_str_or(o->trusted, "?"), host);
    cr_set(res, V_PASS,
           "The update server %s negotiates %s and its certificate chains to a trusted CA "
           "and names it.",
           host, sp_str_or(o->version, "?"));
}

const struct probe probe_update_channel = {
    .name = "update.channel",
    .summary = "The declared update channel is HTTPS with a valid certificate and TLS >= 1.2",
    .rule = "FAIL when the declared update URL is not https://. With --allow-host naming the URL's "
            "host, a handshake with that server (mbedTLS; OpenSSL for a TLS 1.3-only server): FAIL "
            "when it negotiates a version older than min_tls, when its certificate does not chain "
            "to the system trust store or the declaration's update.ca_file (dates and key strength "
            "included), or when it does not name the host (an IP address only through an "
            "iPAddress SAN). INCONCLUSIVE when no URL is declared, the host is not allowed, does "
            "not resolve or no handshake completes. PASS only after a handshake whose chain and "
            "name were verified.",
    .flags = 0,
    .params = channel_params,
    .gatherer = &gatherer_update,
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
