/*
 * test_ssh.c - the SSH greeting parser, host-key blobs and the
 * ssh.algorithms rule, as tables.
 *
 * Recorded greetings (the .bin files in data/ssh/) are the bytes real servers sent on
 * this machine after our identification, up to the end of their KEXINIT:
 * OpenSSH 9.2p1 with a legacy configuration (group1-sha1, 3des-cbc,
 * hmac-md5, ssh-rsa and ssh-dss host keys), OpenSSH 9.2p1 modern
 * (curve25519, chacha20/aes-gcm, etm MACs, ed25519) and dropbear 2022.83.
 * Malformed variants are those bytes patched at known offsets, so each
 * damage is the only thing wrong with the packet.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts_json.h"
#include "run.h"
#include "ssh_wire.h"
#include "unit.h"

static void check_row(int ok, int line, const char *row, const char *cond)
{
    char msg[256];

    snprintf(msg, sizeof(msg), "[%s] %s", row, cond);
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, (unsigned)line, msg, __FILE__, "", CU_FALSE);
}
#define CHECK(row, cond) check_row((cond) ? 1 : 0, __LINE__, (row), #cond)

/* A whole file into a fresh buffer; NULL if unreadable. The caller frees. */
static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *b = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
        b = xmalloc((size_t)n);
        if (fread(b, 1, (size_t)n, f) != (size_t)n) {
            free(b);
            b = NULL;
        } else {
            *len = (size_t)n;
        }
    }
    fclose(f);
    return b;
}

static size_t ident_end(const uint8_t *b, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (b[i] == '\n')
            return i + 1;
    return 0;
}

static void wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* ---- recorded greetings ---- */

static const struct {
    const char *file;
    const char *ident;
    size_t nkex, nhostkey, nenc, nmac;
    const char *kex0, *hostkey_last, *enc0, *mac0;
} recorded[] = {
    {"data/ssh/openssh92-legacy.bin", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10", 4, 4, 3, 4,
     "diffie-hellman-group1-sha1", "ssh-dss", "3des-cbc", "hmac-md5"},
    {"data/ssh/openssh92-modern.bin", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10", 3, 1, 2, 2,
     "curve25519-sha256", "ssh-ed25519", "chacha20-poly1305@openssh.com",
     "hmac-sha2-256-etm@openssh.com"},
    {"data/ssh/dropbear2022.bin", "SSH-2.0-dropbear_2022.83", 9, 3, 3, 2, "curve25519-sha256",
     "ssh-rsa", "chacha20-poly1305@openssh.com", "hmac-sha1"},
};

static void test_recorded(void)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(recorded); i++) {
        const char *row = recorded[i].file;
        size_t len = 0;
        uint8_t *b = slurp(row, &len);
        struct sshw_greeting g;
        char why[160];

        CHECK(row, b != NULL);
        if (!b)
            continue;
        sshw_greeting_init(&g);
        CHECK(row, sshw_parse_greeting(b, len, &g, why, sizeof(why)) == SSHW_OK);
        CHECK(row, strcmp(g.ident, recorded[i].ident) == 0);
        CHECK(row, strcmp(g.proto, "2.0") == 0 && g.has_kexinit && g.prelines == 0);
        CHECK(row, g.lists[SSHW_KEX].n == recorded[i].nkex);
        CHECK(row, g.lists[SSHW_HOSTKEY].n == recorded[i].nhostkey);
        CHECK(row, g.lists[SSHW_ENC_C2S].n == recorded[i].nenc);
        CHECK(row, g.lists[SSHW_ENC_S2C].n == recorded[i].nenc);
        CHECK(row, g.lists[SSHW_MAC_C2S].n == recorded[i].nmac);
        CHECK(row, g.lists[SSHW_LANG_C2S].n == 0 && g.lists[SSHW_LANG_S2C].n == 0);
        if (g.lists[SSHW_KEX].n && g.lists[SSHW_HOSTKEY].n && g.lists[SSHW_ENC_C2S].n &&
            g.lists[SSHW_MAC_C2S].n) {
            CHECK(row, strcmp(g.lists[SSHW_KEX].v[0], recorded[i].kex0) == 0);
            CHECK(row, strcmp(g.lists[SSHW_HOSTKEY].v[g.lists[SSHW_HOSTKEY].n - 1],
                              recorded[i].hostkey_last) == 0);
            CHECK(row, strcmp(g.lists[SSHW_ENC_C2S].v[0], recorded[i].enc0) == 0);
            CHECK(row, strcmp(g.lists[SSHW_MAC_C2S].v[0], recorded[i].mac0) == 0);
        }
        /* Every strict prefix is "need more", never an error or a success. */
        int prefixes_ok = 1;
        for (size_t n = 0; n < len; n++)
            if (sshw_parse_greeting(b, n, &g, why, sizeof(why)) != SSHW_MORE)
                prefixes_ok = 0;
        CHECK(row, prefixes_ok);
        sshw_greeting_free(&g);
        free(b);
    }
}

/* ---- malformed and unusual greetings ---- */

enum patch {
    P_NONE, P_NAMELIST_PAST_END, P_PACKET_HUGE, P_ZERO_PADDING, P_NON_ASCII, P_EMPTY_NAME,
    P_BAD_BLOCK, P_CUT_TAIL, P_DISCONNECT, P_IGNORE_FIRST, P_IGNORE_MANY, P_PAD_TOO_BIG,
    P_NAME_TOO_LONG,
};

static const struct {
    const char *what;
    const char *prefix;         /* replaces the recorded identification line */
    enum patch patch;
    enum sshw_status want;
    const char *proto;          /* on SSHW_OK */
    int kexinit;
    const char *why;            /* substring of the reason, on SSHW_BAD */
} cases[] = {
    {"unchanged", NULL, P_NONE, SSHW_OK, "2.0", 1, NULL},
    {"lines before the identification", "Welcome\r\nto the device\nSSH-2.0-x\r\n", P_NONE, SSHW_OK,
     "2.0", 1, NULL},
    {"bare LF ends the identification", "SSH-2.0-OpenSSH_8.0\n", P_NONE, SSHW_OK, "2.0", 1, NULL},
    {"protocol 1.99 still sends KEXINIT", "SSH-1.99-OpenSSH_2.9\r\n", P_NONE, SSHW_OK, "1.99", 1,
     NULL},
    {"protocol 1.5 only: no KEXINIT", "SSH-1.5-Cisco-1.25\r\n", P_NONE, SSHW_OK, "1.5", 0, NULL},
    {"unknown protocol 3.0", "SSH-3.0-x\r\n", P_NONE, SSHW_BAD, NULL, 0, "unknown SSH protocol"},
    {"no software version", "SSH-2.0-\r\n", P_NONE, SSHW_BAD, NULL, 0, "empty software"},
    {"no dash after the version", "SSH-2.0\r\n", P_NONE, SSHW_BAD, NULL, 0, "no protocol"},
    {"letters in the version", "SSH-2.x-y\r\n", P_NONE, SSHW_BAD, NULL, 0, "malformed protocol"},
    {"control byte in the identification", "SSH-2.0-a\x01z\r\n", P_NONE, SSHW_BAD, NULL, 0,
     "0x01"},
    {"name-list length past the end", NULL, P_NAMELIST_PAST_END, SSHW_BAD, NULL, 0, "runs past"},
    {"packet_length huge", NULL, P_PACKET_HUGE, SSHW_BAD, NULL, 0, "larger than"},
    {"zero padding", NULL, P_ZERO_PADDING, SSHW_BAD, NULL, 0, "padding_length 0"},
    {"padding longer than the packet", NULL, P_PAD_TOO_BIG, SSHW_BAD, NULL, 0, "padding_length"},
    {"non-ASCII byte in a name", NULL, P_NON_ASCII, SSHW_BAD, NULL, 0, "non-ASCII byte 0xc3"},
    {"empty name in a list", NULL, P_EMPTY_NAME, SSHW_BAD, NULL, 0, "empty name"},
    {"name longer than 64", NULL, P_NAME_TOO_LONG, SSHW_BAD, NULL, 0, "characters"},
    {"length not a multiple of 8", NULL, P_BAD_BLOCK, SSHW_BAD, NULL, 0, "multiple of 8"},
    {"KEXINIT without its trailer", NULL, P_CUT_TAIL, SSHW_BAD, NULL, 0, "first_kex"},
    {"DISCONNECT instead of KEXINIT", NULL, P_DISCONNECT, SSHW_BAD, NULL, 0, "DISCONNECT"},
    {"an IGNORE packet first", NULL, P_IGNORE_FIRST, SSHW_OK, "2.0", 1, NULL},
    {"too many IGNORE packets", NULL, P_IGNORE_MANY, SSHW_BAD, NULL, 0, "IGNORE"},
};

static const uint8_t ignore_pkt[16] = {0, 0, 0, 12, 10, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

/* Build a case from the modern recording; the caller frees. */
static uint8_t *build_case(size_t i, const uint8_t *rec, size_t reclen, size_t *outlen)
{
    size_t k = ident_end(rec, reclen), pl = strlen(cases[i].prefix ? cases[i].prefix : "");
    size_t nign = cases[i].patch == P_IGNORE_FIRST ? 1 : cases[i].patch == P_IGNORE_MANY ? 5 : 0;
    size_t hdr = cases[i].prefix ? pl : k, len = hdr + nign * 16 + (reclen - k);
    uint8_t *b = xcalloc(1, len + 64), *pk;
    uint32_t plen = (uint32_t)rec[k] << 24 | (uint32_t)rec[k + 1] << 16 |
                    (uint32_t)rec[k + 2] << 8 | rec[k + 3];

    memcpy(b, cases[i].prefix ? (const uint8_t *)cases[i].prefix : rec, hdr);
    for (size_t j = 0; j < nign; j++)
        memcpy(b + hdr + j * 16, ignore_pkt, 16);
    pk = b + hdr + nign * 16;
    memcpy(pk, rec + k, reclen - k);
    /* pk: uint32 length, padding length, 20, cookie[16], first name-list (kex) at 22. */
    switch (cases[i].patch) {
    case P_NAMELIST_PAST_END: wr32(pk + 22, 0x7fffff00); break;
    case P_PACKET_HUGE: wr32(pk, 0x01000000); break;
    case P_ZERO_PADDING: pk[4] = 0; break;
    case P_PAD_TOO_BIG: pk[4] = 255; wr32(pk, 252); break;
    case P_NON_ASCII: pk[26 + 3] = 0xc3; break;
    case P_EMPTY_NAME: pk[26] = ','; break;   /* the list now starts with "," */
    case P_NAME_TOO_LONG: memset(pk + 26, 'a', 70); break;
    case P_BAD_BLOCK: wr32(pk, plen + 1); break;
    case P_CUT_TAIL: {
        /* Drop the 5-byte trailer and pad by 5 more: same packet_length, legal padding. */
        size_t pad = pk[4], pay = plen - pad - 1;
        memmove(pk + 5 + pay - 5, pk + 5 + pay, pad);
        pk[4] = (uint8_t)(pad + 5);
        break;
    }
    case P_DISCONNECT: pk[5] = 1; break;
    default: break;
    }
    *outlen = len;
    return b;
}

static void test_malformed(void)
{
    size_t reclen = 0;
    uint8_t *rec = slurp("data/ssh/openssh92-modern.bin", &reclen);

    CU_ASSERT_FATAL(rec != NULL);
    for (size_t i = 0; i < SP_ARRAY_LEN(cases); i++) {
        const char *row = cases[i].what;
        size_t len;
        uint8_t *b = build_case(i, rec, reclen, &len);
        struct sshw_greeting g;
        char why[160] = "";
        enum sshw_status st;

        sshw_greeting_init(&g);
        st = sshw_parse_greeting(b, len, &g, why, sizeof(why));
        if (st != cases[i].want)
            fprintf(stderr, "\nssh case '%s': status %d, why '%s'\n", row, st, why);
        CHECK(row, st == cases[i].want);
        if (st == SSHW_OK && cases[i].want == SSHW_OK) {
            CHECK(row, strcmp(g.proto, cases[i].proto) == 0);
            CHECK(row, g.has_kexinit == cases[i].kexinit);
            if (cases[i].kexinit)
                CHECK(row, g.lists[SSHW_HOSTKEY].n == 1 &&
                           strcmp(g.lists[SSHW_HOSTKEY].v[0], "ssh-ed25519") == 0);
        }
        if (cases[i].why) {
            if (!strstr(why, cases[i].why))
                fprintf(stderr, "\nssh case '%s': why '%s'\n", row, why);
            CHECK(row, strstr(why, cases[i].why) != NULL);
        }
        sshw_greeting_free(&g);
        free(b);
    }
    free(rec);
}

static void test_lines(void)
{
    struct sshw_greeting g;
    struct strbuf sb;
    char why[160];

    sshw_greeting_init(&g);
    /* 32 lines before the identification are allowed, 33 are not. */
    sb_init(&sb);
    for (int i = 0; i < SSHW_MAX_PRELINES; i++)
        sb_add(&sb, "banner line\r\n");
    sb_add(&sb, "SSH-1.5-x\r\n");
    CU_ASSERT_EQUAL(sshw_parse_greeting((uint8_t *)sb.buf, sb.len, &g, why, sizeof(why)), SSHW_OK);
    CU_ASSERT_EQUAL(g.prelines, SSHW_MAX_PRELINES);
    sb_free(&sb);
    sb_init(&sb);
    for (int i = 0; i <= SSHW_MAX_PRELINES; i++)
        sb_add(&sb, "banner line\r\n");
    sb_add(&sb, "SSH-1.5-x\r\n");
    CU_ASSERT_EQUAL(sshw_parse_greeting((uint8_t *)sb.buf, sb.len, &g, why, sizeof(why)), SSHW_BAD);
    sb_free(&sb);
    /* A line of 255 bytes with CR LF is the longest allowed; 256 is not. */
    sb_init(&sb);
    sb_add(&sb, "SSH-1.5-");
    while (sb.len < SSHW_MAX_LINE - 2)
        sb_add(&sb, "x");
    sb_add(&sb, "\r\n");
    CU_ASSERT_EQUAL(sshw_parse_greeting((uint8_t *)sb.buf, sb.len, &g, why, sizeof(why)), SSHW_OK);
    sb_free(&sb);
    sb_init(&sb);
    sb_add(&sb, "SSH-1.5-");
    while (sb.len < SSHW_MAX_LINE - 1)
        sb_add(&sb, "x");
    sb_add(&sb, "\r\n");
    CU_ASSERT_EQUAL(sshw_parse_greeting((uint8_t *)sb.buf, sb.len, &g, why, sizeof(why)), SSHW_BAD);
    /* A line that never ends stops being "need more" at the limit. */
    CU_ASSERT_EQUAL(sshw_parse_greeting((uint8_t *)sb.buf, SSHW_MAX_LINE - 1, &g, why, sizeof(why)),
                    SSHW_MORE);
    CU_ASSERT_EQUAL(sshw_parse_greeting((uint8_t *)sb.buf, SSHW_MAX_LINE + 1, &g, why, sizeof(why)),
                    SSHW_BAD);
    sb_free(&sb);
    sshw_greeting_free(&g);
}

/* ---- host-key blobs (public keys generated with ssh-keygen 9.2) ---- */

static const struct {
    const char *b64;
    const char *type;
    int bits;
    const char *sha256;         /* as ssh-keygen -lf prints it */
} keys[] = {
    {"AAAAC3NzaC1lZDI1NTE5AAAAICo50mZJAquazqBHB7VfHvvSefZL4EuGAqkN/q7LaM7C", "ssh-ed25519", 256,
     "SHA256:4vs0unQLD6I1aRWYmPS4PamF017Os86LGQCLI4QWfMc"},
    {"AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBDlbtyNNn/91bCAUsGDY5VFoVhFamWqNaXzqqt4j"
     "/kMPkYRM/M3yraE3g2Ze/gXrzPmXuc2baalcEwEEozFnZG0=", "ecdsa-sha2-nistp256", 256,
     "SHA256:rNZMP0fGkNeiIow/Wk84OtlQMLgm40z7PPqVQkmqHrc"},
    {"AAAAB3NzaC1yc2EAAAADAQABAAAAgQC3pcr292WSbybcJjoYtBSc8cMjTnUKgnQKG0B5is1JQuDT0EZWujHX5K9aGGFP"
     "VPX599TrcNjoXW0KNsiwfJeDyUiO3CLZHWjT53jozZs3ShKJ0itvl9XWqJf+JXufMnOkCQ87b94lslFkA6qhi55Ppfb7"
     "KaIUkGCS9fNgZeMgmQ==", "ssh-rsa", 1024, "SHA256:ebV2rpuV44p0r3cI9Q6AoyfocrnHFiMDKv74+ja2ZqA"},
    {"AAAAB3NzaC1kc3MAAACBAOG8A8JgQ/iqcjITV75hL2tv5lZjl+a2F1Bt0BsPNQWTdNSdGdcKkX014e3wC+gBgiZoRbSx"
     "zpngUI9jmKpg75n2lqBZUlMl+zOQUS/J/4G19XnH1XCQ3ubQGeLFnC48Q9C4sPO/GzPEczhiAV91GZe7Ykc0X3RROG6+"
     "7p06yVrFAAAAFQDYaTl6zop+T3TLA/Ltn8z/Esv1qQAAAIBjILhM96ATqPY1rWgHogeFDxOGSLEKyCqHu8AqArmKV2vR"
     "Mft5TYrHUIyY1e4eVIVxNIpmywOJBwSGdr3htvRFWP7xpyPAW8pIYJKIA/HDJFEFeInaV9xkd88b0MCehumYYNyTE1lF"
     "MG9Ze3RKcBUqR9H4rBNmDcpbjKDKe75yugAAAIEArBx6ZTCUglKXS1wcDCbqsdB9DuPD+8MWdFRXOIuCwtTNC+O3k/Wp"
     "uCtNdByD3nLpkbO7reqnoBhmrKsQ3/d70qwzx99+fTnLhJOGjgIwyBquwRAHQOtbMQEenUBDg9uYg6vq9YevHIef/ECO"
     "53cDRpFJ0tck50t18hlODJxXH9U=", "ssh-dss", 1024,
     "SHA256:EOU7S2MmXQ9iMRk3PRbokRZqRDW3FbH0W0ImHnlATcg"},
};

#include <mbedtls/base64.h>

static void test_keys(void)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(keys); i++) {
        const char *row = keys[i].type;
        uint8_t blob[2048];
        size_t blen = 0;
        char type[80], fp[80];
        int bits = -1;

        CHECK(row, mbedtls_base64_decode(blob, sizeof(blob), &blen, (const unsigned char *)keys[i].b64,
                                         strlen(keys[i].b64)) == 0);
        CHECK(row, sshw_key_blob_info(blob, blen, type, sizeof(type), &bits) == 0);
        CHECK(row, strcmp(type, keys[i].type) == 0 && bits == keys[i].bits);
        CHECK(row, sshw_key_fingerprint(blob, blen, fp, sizeof(fp)) == 0);
        CHECK(row, strcmp(fp, keys[i].sha256) == 0);
        /* Every truncation is refused (or, for a cut after the last field, still reads right). */
        int cut_ok = 1;
        for (size_t n = 0; n < blen; n++) {
            int rc = sshw_key_blob_info(blob, n, type, sizeof(type), &bits);
            if (rc == 0 && bits > 0)
                cut_ok = 0;
        }
        CHECK(row, cut_ok);
    }
}

static void test_classes(void)
{
    static const struct {
        const char *name;
        int cbc, sha1mac, sha1kex;
    } rows[] = {
        {"aes128-cbc", 1, 0, 0},
        {"3des-cbc", 1, 0, 0},
        {"rijndael-cbc@lysator.liu.se", 1, 0, 0},
        {"aes128-ctr", 0, 0, 0},
        {"hmac-sha1", 0, 1, 1}, /* the kex class is only asked of kex names */
        {"hmac-sha1-96", 0, 1, 0},
        {"hmac-sha1-etm@openssh.com", 0, 1, 0},
        {"hmac-sha2-256", 0, 0, 0},
        {"diffie-hellman-group14-sha1", 0, 0, 1},
        {"diffie-hellman-group14-sha256", 0, 0, 0},
    };
    for (size_t i = 0; i < SP_ARRAY_LEN(rows); i++) {
        CHECK(rows[i].name, sshw_is_cbc(rows[i].name) == rows[i].cbc);
        CHECK(rows[i].name, sshw_is_sha1_mac(rows[i].name) == rows[i].sha1mac);
        CHECK(rows[i].name, sshw_is_sha1_kex(rows[i].name) == rows[i].sha1kex);
    }
    CU_ASSERT(sshw_glob("arcfour*", "arcfour256"));
    CU_ASSERT(sshw_glob("arcfour*", "ARCFOUR"));
    CU_ASSERT(sshw_glob("des-cbc*", "des-cbc@ssh.com"));
    CU_ASSERT(!sshw_glob("des-cbc*", "3des-cbc"));
    CU_ASSERT(sshw_glob("hmac-md5*", "hmac-md5-96-etm@openssh.com"));
    CU_ASSERT(!sshw_glob("3des-cbc", "3des-ctr"));
}

/* ---- the rule over facts ---- */

#define MODERN                                                                                 \
    "\"banner\":\"SSH-2.0-OpenSSH_9.2p1\",\"protocol\":\"2.0\","                                \
    "\"kex\":[\"curve25519-sha256\",\"kex-strict-s-v00@openssh.com\"],"                        \
    "\"hostkey\":[\"ssh-ed25519\"],\"ciphers\":[\"chacha20-poly1305@openssh.com\"],"           \
    "\"ciphers_s2c\":[\"chacha20-poly1305@openssh.com\"],"                                     \
    "\"macs\":[\"hmac-sha2-256-etm@openssh.com\"],\"macs_s2c\":[\"hmac-sha2-256-etm@openssh.com\"]"
#define LEGACY                                                                                 \
    "\"banner\":\"SSH-2.0-OpenSSH_9.2p1\",\"protocol\":\"2.0\","                                \
    "\"kex\":[\"diffie-hellman-group1-sha1\",\"diffie-hellman-group14-sha1\",\"curve25519-sha256\"]," \
    "\"hostkey\":[\"ssh-rsa\",\"ssh-dss\"],\"ciphers\":[\"3des-cbc\",\"aes128-cbc\",\"aes128-ctr\"]," \
    "\"ciphers_s2c\":[\"3des-cbc\",\"aes128-cbc\",\"aes128-ctr\"],"                            \
    "\"macs\":[\"hmac-md5\",\"hmac-md5-96\",\"hmac-sha1\",\"hmac-sha2-256\"],"                 \
    "\"macs_s2c\":[\"hmac-md5\",\"hmac-md5-96\",\"hmac-sha1\",\"hmac-sha2-256\"],"             \
    "\"host_keys\":[{\"type\":\"ssh-rsa\",\"bits\":1024}]"
#define DROPBEAR                                                                               \
    "\"banner\":\"SSH-2.0-dropbear_2022.83\",\"protocol\":\"2.0\","                             \
    "\"kex\":[\"curve25519-sha256\",\"diffie-hellman-group14-sha1\"],"                         \
    "\"hostkey\":[\"ssh-ed25519\",\"rsa-sha2-256\",\"ssh-rsa\"],"                              \
    "\"ciphers\":[\"chacha20-poly1305@openssh.com\",\"aes128-ctr\"],"                          \
    "\"ciphers_s2c\":[\"chacha20-poly1305@openssh.com\",\"aes128-ctr\"],"                      \
    "\"macs\":[\"hmac-sha1\",\"hmac-sha2-256\"],\"macs_s2c\":[\"hmac-sha1\",\"hmac-sha2-256\"]"

static const struct {
    const char *what;
    const char *facts[2];       /* JSON of facts.ssh for tcp/22 and tcp/2222; NULL: no such
                                   service; "-": an ssh service without facts */
    int complete;
    enum sp_verdict dflt, star1, strict;
    const char *evidence;       /* must appear in some evidence detail of the star1 check */
} rules[] = {
    {"modern OpenSSH", {"{" MODERN "}"}, 1, V_PASS, V_PASS, V_PASS, "none forbidden"},
    {"legacy OpenSSH", {"{" LEGACY "}"}, 1, V_FAIL, V_FAIL, V_FAIL,
     "forbidden key exchange: diffie-hellman-group1-sha1"},
    {"legacy: MACs named", {"{" LEGACY "}"}, 1, V_FAIL, V_FAIL, V_FAIL,
     "forbidden MAC: hmac-md5, hmac-md5-96"},
    {"legacy: ssh-dss named", {"{" LEGACY "}"}, 1, V_FAIL, V_FAIL, V_FAIL,
     "forbidden host key algorithm: ssh-dss"},
    {"legacy: CBC is a finding", {"{" LEGACY "}"}, 1, V_FAIL, V_FAIL, V_FAIL,
     "CBC-mode ciphers offered: 3des-cbc, aes128-cbc"},
    {"dropbear: SHA-1 MAC only a finding at star1", {"{" DROPBEAR "}"}, 1, V_PASS, V_PASS, V_FAIL,
     "SHA-1 MACs offered: hmac-sha1"},
    {"arcfour only server to client",
     {"{\"protocol\":\"2.0\",\"kex\":[\"curve25519-sha256\"],\"hostkey\":[\"ssh-ed25519\"],"
      "\"ciphers\":[\"aes128-ctr\"],\"ciphers_s2c\":[\"aes128-ctr\",\"arcfour256\"],"
      "\"macs\":[\"hmac-sha2-256\"],\"macs_s2c\":[\"hmac-sha2-256\"]}"},
     1, V_FAIL, V_FAIL, V_FAIL, "forbidden cipher: arcfour256"},
    {"des-cbc@ssh.com and upper case 3DES-CBC",
     {"{\"protocol\":\"2.0\",\"kex\":[\"curve25519-sha256\"],\"hostkey\":[\"ssh-ed25519\"],"
      "\"ciphers\":[\"des-cbc@ssh.com\",\"3DES-CBC\"],\"ciphers_s2c\":[],"
      "\"macs\":[\"hmac-sha2-256\"],\"macs_s2c\":[]}"},
     1, V_FAIL, V_FAIL, V_FAIL, "des-cbc@ssh.com, 3DES-CBC"},
    {"protocol 1.99", {"{\"banner\":\"SSH-1.99-OpenSSH_3.0\",\"protocol\":\"1.99\"," MODERN "}"}, 1,
     V_FAIL, V_FAIL, V_FAIL, "announces SSH protocol 1"},
    {"protocol 1.5 only", {"{\"banner\":\"SSH-1.5-Cisco\",\"protocol\":\"1.5\"}"}, 1, V_FAIL,
     V_FAIL, V_FAIL, "protocol 1 only"},
    {"greeting unreadable", {"{\"error\":\"packet_length 16777216 is larger than 35000\"}"}, 1,
     V_INCONCLUSIVE, V_INCONCLUSIVE, V_INCONCLUSIVE, "larger than 35000"},
    {"service never examined", {"-"}, 1, V_INCONCLUSIVE, V_INCONCLUSIVE, V_INCONCLUSIVE,
     "not examined"},
    {"protocol 2 but no KEXINIT facts", {"{\"banner\":\"SSH-2.0-x\",\"protocol\":\"2.0\"}"}, 1,
     V_INCONCLUSIVE, V_INCONCLUSIVE, V_INCONCLUSIVE, "no KEXINIT"},
    {"no SSH at all, complete scan", {NULL}, 1, V_NOT_APPLICABLE, V_NOT_APPLICABLE,
     V_NOT_APPLICABLE, NULL},
    {"no SSH at all, scan cut short", {NULL}, 0, V_INCONCLUSIVE, V_INCONCLUSIVE, V_INCONCLUSIVE,
     NULL},
    {"good SSH, scan cut short", {"{" MODERN "}"}, 0, V_INCONCLUSIVE, V_INCONCLUSIVE,
     V_INCONCLUSIVE, NULL},
    {"one good, one unreadable", {"{" MODERN "}", "{\"error\":\"timeout\"}"}, 1, V_INCONCLUSIVE,
     V_INCONCLUSIVE, V_INCONCLUSIVE, "greeting not read: timeout"},
    {"one bad, one unreadable: FAIL wins", {"{" LEGACY "}", "{\"error\":\"timeout\"}"}, 1, V_FAIL,
     V_FAIL, V_FAIL, "3des-cbc"},
};

static int has_evidence(const struct check_result *c, const char *svc, const char *text)
{
    for (size_t i = 0; i < c->nev; i++)
        if ((!svc || (c->ev[i].service && strcmp(c->ev[i].service, svc) == 0)) &&
            strstr(c->ev[i].detail, text))
            return 1;
    return 0;
}

static void test_rules(void)
{
    struct profile p;
    struct yerr e;
    const struct probe *pr = probe_find("ssh.algorithms");
    static const long ports[2] = {22, 2222};

    CU_ASSERT_FATAL(pr != NULL && pr->gatherer != NULL);
    CU_ASSERT_EQUAL_FATAL(profile_load_path(&p, "data/ssh-profile.yaml", &e), 0);
    for (size_t i = 0; i < SP_ARRAY_LEN(rules); i++) {
        struct run_opts o = {.jobs = 1, .deadline_s = 10, .lang = "en", .quiet = 1};
        struct run r;
        const char *row = rules[i].what;

        run_init(&r, &o, &p, NULL);
        r.scan.tcp_done = r.scan.udp_done = 1;
        r.scan.tcp_complete = r.scan.udp_complete = rules[i].complete;
        if (!rules[i].complete)
            sp_strlcpy(r.scan.why_incomplete, "deadline", sizeof(r.scan.why_incomplete));
        for (size_t k = 0; k < 2 && rules[i].facts[k]; k++) {
            struct service *s = run_add_service(&r, ports[k], T_TCP);
            sp_strlcpy(s->name, "ssh", sizeof(s->name));
            if (strcmp(rules[i].facts[k], "-") != 0) {
                cJSON *f = cJSON_Parse(rules[i].facts[k]);
                char why[160];
                CHECK(row, f != NULL);
                s->ssh = ssh_facts_new();
                CHECK(row, ssh_facts_parse(f, s->ssh, why, sizeof(why)) == 0);
                cJSON_Delete(f);
            }
        }
        /* A service of another name is never judged as SSH. */
        sp_strlcpy(run_add_service(&r, 443, T_TCP)->name, "https", 32);
        r.gathered[0].g = pr->gatherer;
        r.gathered[0].rc = 0;
        r.ngathered = 1;
        run_judge(&r);
        CU_ASSERT_EQUAL_FATAL(r.nresults, 3);
        if (r.results[0].verdict != rules[i].dflt || r.results[1].verdict != rules[i].star1 ||
            r.results[2].verdict != rules[i].strict)
            fprintf(stderr, "\nssh rule '%s': %s / %s / %s (%s)\n", row,
                    verdict_name(r.results[0].verdict), verdict_name(r.results[1].verdict),
                    verdict_name(r.results[2].verdict), r.results[1].reason);
        CHECK(row, r.results[0].verdict == rules[i].dflt);
        CHECK(row, r.results[1].verdict == rules[i].star1);
        CHECK(row, r.results[2].verdict == rules[i].strict);
        if (rules[i].evidence)
            CHECK(row, has_evidence(&r.results[1].checks[0], NULL, rules[i].evidence));
        /* Every FAIL names the service in its evidence; nothing names the https port. */
        for (size_t q = 0; q < 3; q++) {
            const struct check_result *c = &r.results[q].checks[0];
            if (c->verdict == V_FAIL)
                CHECK(row, c->nev > 0 && has_evidence(c, "tcp/22", "") );
            CHECK(row, !has_evidence(c, "tcp/443", ""));
        }
        run_free(&r);
    }
    profile_free(&p);
}

/* ---- the facts' JSON form (reports/facts_json.c) ---- */

#define LISTS7                                                                                 \
    "\"kex\":[\"curve25519-sha256\"],\"hostkey\":[\"ssh-ed25519\",\"rsa-sha2-512\"],"          \
    "\"ciphers\":[\"aes128-ctr\"],\"ciphers_s2c\":[\"aes128-ctr\"],\"macs\":[\"hmac-sha2-256\"]," \
    "\"macs_s2c\":[\"hmac-sha2-256\"],\"compression\":[\"none\",\"zlib@openssh.com\"]"

/* Shapes the gatherer writes: each must come back from parse then write exactly as it was. */
static const char *const codec_rows[] = {
    "{\"banner\":\"SSH-2.0-OpenSSH_9.2p1\",\"protocol\":\"2.0\",\"lines_before_banner\":2," LISTS7
    ",\"host_keys\":[{\"type\":\"ssh-ed25519\",\"bits\":null,\"sha256\":\"SHA256:abc\"},"
    "{\"type\":\"ssh-rsa\",\"bits\":3072,\"sha256\":\"SHA256:def\"},"
    "{\"type\":\"ecdsa-sha2-nistp256\",\"error\":\"the ecdsa-sha2-nistp256 key session: timeout\"}],"
    "\"auth_methods\":[\"publickey\",\"password\"],\"auth_none_accepted\":false}",
    "{\"banner\":\"SSH-2.0-dropbear\",\"protocol\":\"2.0\"," LISTS7 ",\"host_keys\":[],"
    "\"auth_methods\":null,\"auth_error\":\"no libssh session completed a key exchange\"}",
    "{\"banner\":\"SSH-2.0-x\",\"protocol\":\"2.0\"," LISTS7 ",\"host_keys\":[],"
    "\"auth_methods\":[],\"auth_none_accepted\":true}",
    "{\"error\":\"no identification before the deadline\",\"banner\":\"SSH-2.0-half\"}",
    "{\"error\":\"connection refused\"}",
    "{\"banner\":\"SSH-1.5-Cisco\",\"protocol\":\"1.5\"}",
    "{}",
};

/* Wrong types are refused, naming the member. */
static const struct unit_bad_facts codec_bad[] = {
    {"[]", "not an object"},
    {"{\"kex\":\"curve25519-sha256\"}", "ssh.kex"},
    {"{\"kex\":[],\"macs\":[1]}", "ssh.macs"},
    {"{\"banner\":7}", "ssh.banner"},
    {"{\"lines_before_banner\":-1}", "ssh.lines_before_banner"},
    {"{\"host_keys\":{}}", "ssh.host_keys"},
    {"{\"host_keys\":[{\"bits\":1024}]}", "host_keys[].type"},
    {"{\"host_keys\":[{\"type\":\"ssh-rsa\",\"bits\":\"big\"}]}", "host_keys[].bits"},
    {"{\"auth_none_accepted\":\"yes\"}", "ssh.auth_none_accepted"},
    {"{\"auth_none_accepted\":true,\"auth_methods\":\"password\"}", "ssh.auth_methods"},
};

/* units.distinct's facts carry host keys the same way (compare.c), and TLS fingerprints. */
static const char *const compare_rows[] = {
    "{\"kind\":\"ssh\",\"unit1\":{\"host_keys\":[{\"type\":\"ssh-ed25519\",\"bits\":null,"
    "\"sha256\":\"SHA256:abc\"}]},\"unit2\":{\"host_keys\":[{\"type\":\"ssh-ed25519\",\"bits\":null,"
    "\"sha256\":\"SHA256:abc\"},{\"type\":\"ssh-rsa\",\"error\":\"the ssh-rsa key session: timeout\"}]}}",
    "{\"kind\":\"tls\",\"unit1\":{\"certificate_sha256\":\"SHA256:c1\",\"public_key_sha256\":\"SHA256:k1\","
    "\"subject\":\"CN=device\"},\"unit2\":{\"error\":\"connection refused\"}}",
    "{\"kind\":\"ssh\",\"unit1\":{\"error\":\"the server speaks SSH-1 only (SSH-1.5-x)\"},\"unit2\":{}}",
};

static const struct unit_bad_facts compare_bad[] = {
    {"[]", "not an object"},
    {"{\"kind\":\"ftp\"}", "compare.kind"},
    {"{\"unit1\":[]}", "compare.unit1"},
    {"{\"unit2\":{\"host_keys\":{}}}", "compare.unit2.host_keys"},
    {"{\"unit1\":{\"subject\":1}}", "compare.unit1.subject"},
};

static void test_facts_codec(void)
{
    unit_facts_round_trip("ssh", codec_rows, SP_ARRAY_LEN(codec_rows));
    unit_facts_refused("ssh", codec_bad, SP_ARRAY_LEN(codec_bad));
    unit_facts_round_trip("compare", compare_rows, SP_ARRAY_LEN(compare_rows));
    unit_facts_refused("compare", compare_bad, SP_ARRAY_LEN(compare_bad));
}

/*
 * A service's facts as one object: each family goes to its struct and they
 * come back together, in the family table's order. A family that does not
 * parse, or a name no family has, leaves the service with no facts at all.
 */
static void test_service_facts(void)
{
    struct service *s = xcalloc(1, sizeof(*s));
    cJSON *in = cJSON_Parse("{\"ftp\":{\"anonymous\":false},\"ssh\":{\"banner\":\"SSH-2.0-x\","
                            "\"protocol\":\"2.0\"},\"mqtt\":{\"anonymous\":true,\"connack_code\":0,"
                            "\"topics\":[]}}");
    cJSON *bad = cJSON_Parse("{\"ftp\":{},\"ssh\":{\"kex\":7}}"), *out;
    cJSON *unknown = cJSON_Parse("{\"ftp\":{},\"gopher\":{}}");
    char why[160];

    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bad);
    CU_ASSERT_PTR_NOT_NULL_FATAL(unknown);
    CU_ASSERT_EQUAL_FATAL(service_facts_load(s, in, why, sizeof(why)), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s->ssh);
    CU_ASSERT_STRING_EQUAL(s->ssh->banner, "SSH-2.0-x");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s->ftp);
    CU_ASSERT(s->ftp->asked && !s->ftp->anonymous);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s->mqtt);
    CU_ASSERT(s->mqtt->answered && s->mqtt->anonymous);
    out = service_facts_json(s);
    CU_ASSERT(cJSON_Compare(in, out, 1));
    CU_ASSERT_STRING_EQUAL(out->child->string, "ssh");
    cJSON_Delete(out);
    CU_ASSERT_EQUAL(service_facts_load(s, bad, why, sizeof(why)), SP_ERR_PARSE);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "ssh.kex"));
    CU_ASSERT(!s->ssh && !s->ftp && !s->mqtt);
    CU_ASSERT_PTR_NULL(service_facts_json(s));
    CU_ASSERT_EQUAL(service_facts_load(s, unknown, why, sizeof(why)), SP_ERR_PARSE);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "gopher"));
    CU_ASSERT_PTR_NULL(service_facts_json(s));
    service_free(s);
    cJSON_Delete(in);
    cJSON_Delete(bad);
    cJSON_Delete(unknown);
}

int register_ssh_tests(void)
{
    CU_pSuite s = CU_add_suite("ssh", NULL, NULL);
    if (!s || !CU_add_test(s, "recorded greetings", test_recorded) ||
        !CU_add_test(s, "malformed greetings", test_malformed) ||
        !CU_add_test(s, "line limits", test_lines) ||
        !CU_add_test(s, "host key blobs", test_keys) ||
        !CU_add_test(s, "algorithm classes", test_classes) ||
        !CU_add_test(s, "ssh.algorithms rule", test_rules) ||
        !CU_add_test(s, "ssh and compare facts to JSON and back", test_facts_codec) ||
        !CU_add_test(s, "a service's facts as one object", test_service_facts))
        return -1;
    return 0;
}
