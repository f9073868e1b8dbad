/*
 * tls_wire.h - TLS and DTLS on the wire, by hand: a ClientHello builder and a
 * bounded parser of the server's first reply.
 *
 * Why by hand: mbedTLS 2.28 can neither offer TLS 1.3 nor SSLv3, nor offer a
 * chosen cipher suite it does not implement, and version and suite
 * enumeration (S1.1-12) needs exactly that: one hello per question ("is
 * TLSv1.0 accepted?", "is RC4 accepted?"), the server's first record as the
 * answer. Port identification (ident.c) uses the same builder with the
 * defaults. Nothing here touches the network; both halves are pure and
 * fuzzed.
 */
#ifndef SP_TLS_WIRE_H
#define SP_TLS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

/* Protocol versions as they appear on the wire. DTLS counts downwards. */
#define TLS_V_SSL3   0x0300
#define TLS_V_1_0    0x0301
#define TLS_V_1_1    0x0302
#define TLS_V_1_2    0x0303
#define TLS_V_1_3    0x0304
#define DTLS_V_1_0   0xfeff
#define DTLS_V_1_2   0xfefd

/* Record content types. */
#define TLS_CT_CHANGE_CIPHER_SPEC 20
#define TLS_CT_ALERT              21
#define TLS_CT_HANDSHAKE          22
#define TLS_CT_APPLICATION_DATA   23

/* Handshake message types the parser reports. */
#define TLS_HS_CLIENT_HELLO          1
#define TLS_HS_SERVER_HELLO          2
#define TLS_HS_HELLO_VERIFY_REQUEST  3
#define TLS_HS_CERTIFICATE          11
#define TLS_HS_CERTIFICATE_REQUEST  13
#define TLS_HS_SERVER_HELLO_DONE    14

/* Signalling suites, added by flag rather than listed by the caller. */
#define TLS_SCSV_EMPTY_RENEGOTIATION 0x00ff
#define TLS_SCSV_FALLBACK            0x5600

/* Named groups. */
#define TLS_GROUP_SECP256R1 0x0017
#define TLS_GROUP_SECP384R1 0x0018
#define TLS_GROUP_SECP521R1 0x0019
#define TLS_GROUP_X25519    0x001d
#define TLS_GROUP_X448      0x001e

/* Upper bounds the builder and parser enforce. */
#define TLS_RECORD_MAX      (16384 + 2048)  /* TLSCiphertext limit, RFC 8446 §5.2 */
#define TLS_HELLO_MAX_SUITES 512

enum tls_hello_flags {
    TLS_HELLO_NO_EXTENSIONS   = 1u << 0, /* SSLv3-era hello; implied when max_version is SSLv3 */
    TLS_HELLO_NO_RENEG_SCSV   = 1u << 1, /* omit TLS_EMPTY_RENEGOTIATION_INFO_SCSV */
    TLS_HELLO_FALLBACK_SCSV   = 1u << 2, /* append TLS_FALLBACK_SCSV (RFC 7507 downgrade test) */
    TLS_HELLO_NO_PADDING      = 1u << 3, /* do not pad a 256..511-byte hello (RFC 7685) */
    TLS_HELLO_NO_SIGALGS      = 1u << 4,
    TLS_HELLO_NO_GROUPS       = 1u << 5, /* omit supported_groups and ec_point_formats */
    TLS_HELLO_NO_EMS          = 1u << 6  /* omit extended_master_secret */
};

/*
 * What to offer. tls_hello_opts_init fills the defaults: a TLS hello offering
 * TLSv1.0 .. TLSv1.3 with the default suite list. Every pointer is borrowed
 * for the duration of the build call only.
 */
struct tls_hello_opts {
    int dtls;                   /* 1: DTLS record and handshake headers */
    uint16_t record_version;    /* 0: 0x0301 for TLS (0x0300 for an SSLv3 hello), 0xfeff for DTLS */
    uint16_t max_version;       /* highest offered; TLS_V_1_3 adds supported_versions and key_share */
    uint16_t min_version;       /* lowest listed in supported_versions */
    const uint16_t *suites;     /* NULL: tls_default_suites() filtered for the versions offered */
    size_t nsuites;
    const char *sni;            /* host name; NULL, empty or an IP literal: no server_name */
    const uint16_t *groups;     /* NULL: x25519, P-256, P-384, P-521, x448 */
    size_t ngroups;
    const uint16_t *sigalgs;    /* NULL: a broad list, SHA-1 included so old servers answer */
    size_t nsigalgs;
    const uint8_t *random;      /* 32 bytes; NULL: fresh random */
    const uint8_t *session_id;  /* NULL: 32 random bytes when offering TLS 1.3 (middlebox compatibility), else empty */
    size_t session_id_len;
    const uint8_t *cookie;      /* DTLS HelloVerifyRequest cookie, or NULL */
    size_t cookie_len;
    uint16_t message_seq;       /* DTLS handshake message_seq (1 when answering a HelloVerifyRequest) */
    uint64_t record_seq;        /* DTLS record sequence number (48 bits) */
    unsigned flags;             /* enum tls_hello_flags */
};

void tls_hello_opts_init(struct tls_hello_opts *o);

/*
 * Build one ClientHello record into buf. Returns its length, or 0 when it
 * does not fit in cap or the options are inconsistent (no suites, min above
 * max, cookie longer than 255, a DTLS hello offering TLS versions).
 */
size_t tls_build_client_hello(uint8_t *buf, size_t cap, const struct tls_hello_opts *o);

/* The server's first reply, as far as identification and enumeration need it. */
struct tls_server_hello {
    int dtls;                   /* the record header was DTLS (major 0xfe) */
    uint8_t record_type;        /* TLS_CT_HANDSHAKE or TLS_CT_ALERT */
    uint16_t record_version;
    uint8_t handshake_type;     /* TLS_HS_SERVER_HELLO, TLS_HS_HELLO_VERIFY_REQUEST; 0 for an alert */
    uint16_t legacy_version;    /* the server_version field */
    uint16_t version;           /* negotiated: supported_versions when present, else legacy_version */
    uint16_t cipher_suite;
    uint8_t compression;
    uint8_t session_id_len;
    int hello_retry;            /* a TLS 1.3 HelloRetryRequest (RFC 8446 §4.1.3 magic random) */
    uint16_t key_share_group;   /* from key_share, 0 if absent */
    int reneg_info;             /* renegotiation_info extension present */
    int ems;                    /* extended_master_secret extension present */
    uint8_t cookie_len;         /* HelloVerifyRequest */
    uint8_t alert_level;
    uint8_t alert_desc;
    int truncated;              /* on error: more bytes might complete the reply */
    const char *why;            /* on error: a static phrase saying what was wrong */
};

/*
 * Parse the first record(s) of a server's reply: a ServerHello (reassembled
 * across handshake records if the server fragmented it), a DTLS
 * HelloVerifyRequest, or an alert. Never reads past len. Returns 0, or
 * SP_ERR_PARSE with out->why set and out->truncated telling whether waiting
 * for more bytes could help.
 */
int tls_parse_server_hello(const uint8_t *buf, size_t len, struct tls_server_hello *out);

/* A net_done_fn: the reply is complete, or is malformed beyond repair. */
int tls_reply_done(const uint8_t *buf, size_t len, void *arg);

/* "TLSv1.2", "DTLSv1.2", "SSLv3" (static), or "0x0305" written into tmp for the unknown. Never NULL. */
const char *tls_version_name(uint16_t v, char tmp[8]);
/* IANA alert description name, e.g. "handshake_failure"; "unknown" otherwise. */
const char *tls_alert_name(uint8_t desc);

/* One row of the suite table: the IANA name and the versions it is valid for. */
struct tls_suite_info {
    uint16_t id;
    const char *name;           /* IANA */
    uint16_t min_version;       /* lowest TLS version the suite may be negotiated in */
    uint16_t max_version;       /* highest (TLS 1.3 suites: only 1.3; pre-1.3 suites: 1.2) */
    unsigned flags;             /* enum tls_suite_flags */
};

enum tls_suite_flags {
    TLS_SUITE_STREAM = 1u << 0, /* RC4: not allowed in DTLS */
    TLS_SUITE_LEGACY = 1u << 1  /* offered so old servers answer: RC4, 3DES, DES */
};

/* The default offer: about 60 suites, strongest first. */
const struct tls_suite_info *tls_default_suites(size_t *n);
/*
 * Suites only the enumerator offers (NULL, EXPORT, anonymous, DES, more
 * PSK, ARIA, Camellia-SHA256 ...): never in a default hello.
 */
const struct tls_suite_info *tls_extra_suites(size_t *n);
/* Lookup in both tables; NULL for suites neither knows. */
const struct tls_suite_info *tls_suite_find(uint16_t id);

/* Suite classes, from the IANA name (S1.1-12 forbids the first seven). */
enum tls_suite_class {
    TLS_CLASS_NULL = 1u << 0,
    TLS_CLASS_EXPORT = 1u << 1,
    TLS_CLASS_ANON = 1u << 2,
    TLS_CLASS_RC4 = 1u << 3,
    TLS_CLASS_DES = 1u << 4,        /* single DES, DES40 */
    TLS_CLASS_3DES = 1u << 5,
    TLS_CLASS_MD5 = 1u << 6,
    TLS_CLASS_CBC = 1u << 7,
    TLS_CLASS_AEAD = 1u << 8,
    TLS_CLASS_NOPFS = 1u << 9,      /* no ephemeral key exchange */
    TLS_CLASS_PSK = 1u << 10,
    TLS_CLASS_DHE = 1u << 11        /* finite-field ephemeral DH (TLS_DHE_*): PFS, not ECDHE */
};
#define TLS_CLASS_COUNT 12
unsigned tls_suite_classes(const char *iana_name);
/* "NULL", "EXPORT", "anon", "RC4", "DES", "3DES", "MD5", "CBC", "AEAD", "non-PFS", "PSK", "DHE"; NULL otherwise. */
const char *tls_class_name(unsigned bit);

/*
 * The server's first flight up to ServerHelloDone (TLS <= 1.2, DTLS): the
 * ServerHello and, in clear, the Certificate message. Records are walked
 * with bounds checks and their handshake bytes reassembled into hs (the
 * caller's buffer, hscap bytes; DTLS fragments in order). certs points into
 * hs: the certificate_list body, walked with tls_cert_next.
 */
struct tls_flight {
    int dtls;
    int have_hello;
    struct tls_server_hello sh;
    int hello_verify;           /* DTLS HelloVerifyRequest */
    int have_cert;
    const uint8_t *certs;
    size_t certs_len;
    int cert_request;           /* CertificateRequest seen: the server asks for a client certificate */
    int hello_done;             /* ServerHelloDone seen */
    int alert;
    uint8_t alert_level, alert_desc;
    int stopped;                /* alert, ChangeCipherSpec or encrypted records: nothing more in clear */
    int complete;               /* no more bytes are needed */
    int truncated;              /* more bytes might complete a record or message */
    const char *why;            /* on error */
};

/* 0 (complete or not: see f->complete, f->truncated) or SP_ERR_PARSE with f->why. */
int tls_parse_flight(const uint8_t *buf, size_t len, uint8_t *hs, size_t hscap,
                     struct tls_flight *f);

/* Next DER certificate of a certificate_list: 1 found, 0 end, -1 malformed. */
int tls_cert_next(const uint8_t *list, size_t len, size_t *off, const uint8_t **der,
                  size_t *derlen);

/*
 * Identifying a port (probes/ident.c tries these in its order): the request
 * that asks the question, and the matcher that says whether a reply is this
 * protocol, filling out (service, evidence) only when it is.
 */
size_t tls_ident_build(uint8_t *buf, size_t cap, const char *host, long port);

int tls_ident_match(const uint8_t *buf, size_t len, struct ident_result *out);

size_t dtls_ident_build(uint8_t *buf, size_t cap, uint16_t txid);

int dtls_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len, struct ident_result *out);

#endif
