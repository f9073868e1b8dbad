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
/* 1 when s is in sv. */
int strv_has(const struct strv *sv, const char *s);

/* A list of numbers, in the order added. {NULL, 0} is empty. */
struct longv {
    long *v;
    size_t n;
};
void longv_add(struct longv *lv, long x);
void longv_free(struct longv *lv);

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

/* ---- login: the credential sweep on one service (creds.c; read by creds.defaults and more) ---- */

/* What preparing a login learned about a service's authentication. */
enum login_mode {
    LOGIN_MODE_UNKNOWN = 0, /* prepare failed: the service could not be examined */
    LOGIN_MODE_PASSWORD,    /* takes user + password (a challenge, a prompt, a login form): attempts make sense */
    LOGIN_MODE_NONE,        /* offers no password authentication (SSH key-only, say) */
    LOGIN_MODE_OPEN         /* asks for none the slot could see (anonymous MQTT, HTTP without 401 or login form) */
};

/* A login through an HTML form and a session cookie: what is submitted, and where. */
struct login_form_facts {
    char *start;                /* asked without a session, it leads to the form ("/") */
    char *page;                 /* the page that holds the form */
    char *action;               /* where the form submits */
    int post;                   /* method POST, else GET */
    char *user_field, *password_field;
    char *hidden;               /* names of the hidden fields copied through (anti-CSRF) */
    int tls;                    /* over HTTPS */
};

void login_form_facts_destroy(struct login_form_facts *f);

/* How the sweep went through its list: within a budget per account, or all of it in rounds. */
enum login_sweep { LOGIN_SWEEP_NONE = 0, LOGIN_SWEEP_BUDGET, LOGIN_SWEEP_ROUNDS };

struct login_account_count {
    char *user;                 /* "(empty user)" for the empty name */
    long attempts;
};

struct login_facts {
    char *protocol;             /* the handler's name */
    enum login_mode auth;
    char *how;                  /* what preparing the login saw, as evidence */
    char *path, *scheme;        /* HTTP/RTSP: the protected resource, "Basic"/"Digest"/"form" */
    struct login_form_facts *form;  /* NULL: not a form login */
    long planned, attempts, rejected, errors;
    int locked;                 /* the device throttled or locked the sweep */
    long max_attempts_per_account, most_attempts_one_account;
    char *cut_by_budget;        /* the plan was cut by the per-account budget: what was left out */
    enum login_sweep sweep;
    long in_flight;             /* attempts the sweep kept in flight on the service */
    /* The whole list in rounds (--intrusive), on a password service. */
    int in_rounds;
    struct login_account_count *per_account;
    size_t naccounts;
    long rounds, rounds_done;
    char *test_account;         /* the declared test account between rounds, or "not declared" */
    char *stopped;              /* why the rounds ended */
    char *first_error;          /* the first attempt unconfirmed either way */
    /* A default login that worked. */
    int found;
    char *found_user, *found_password, *found_transcript;
};

void login_facts_init(struct login_facts *f);
void login_facts_free(struct login_facts *f);
struct login_facts *login_facts_new(void);
void login_facts_destroy(struct login_facts *f);
/* One more attempt on user in the per-account count. */
void login_facts_count(struct login_facts *f, const char *user);

/* ---- bruteforce: auth.bruteforce's series on one login (bruteforce.c) ---- */

/* One attempt of the series, as login_status_name words it ("rejected", "locked", …). */
struct bf_attempt_facts {
    long n;                     /* 1 for the first wrong password */
    long ms;                    /* how long the answer took */
    char *status;               /* NULL: not recorded */
};

struct bruteforce_facts {
    char *user;                 /* the declared test account */
    enum login_mode auth;
    char *how, *scheme;
    struct login_form_facts *form;  /* NULL: not a form login */
    struct bf_attempt_facts *attempts;  /* the wrong passwords, in order */
    size_t nattempts;
    char *before;               /* the right password before them: its outcome, NULL if not tried */
    char *final;                /* the right password after them, NULL if not tried */
    long final_ms;
    char *note;                 /* why no series was run, when none was */
    char *first_reply;          /* the first wrong password's answer, for the evidence */
};

void bruteforce_facts_init(struct bruteforce_facts *f);
void bruteforce_facts_free(struct bruteforce_facts *f);
struct bruteforce_facts *bruteforce_facts_new(void);
void bruteforce_facts_destroy(struct bruteforce_facts *f);
void bruteforce_facts_add(struct bruteforce_facts *f, long n, long ms, const char *status);

/* ---- unauth: auth.unauthenticated's tries on one service (unauth.c and the handlers' slots) ---- */

/* One thing tried without credentials, and what came of it. */
struct unauth_item_facts {
    char *kind;                 /* "path", "topic", "community", "login", … */
    char *item;                 /* which one: "/admin", "public", "none" */
    char *result;               /* "open", "protected", "absent", "ambiguous", "undecided" */
    char *detail;               /* the device's words */
    char *final_path;           /* HTTP: where redirects ended, when they did; else NULL */
};

struct unauth_facts {
    struct unauth_item_facts *items;
    size_t nitems;
};

void unauth_facts_init(struct unauth_facts *f);
void unauth_facts_free(struct unauth_facts *f);
struct unauth_facts *unauth_facts_new(void);
void unauth_facts_destroy(struct unauth_facts *f);
/* Append an item (strings copied); it belongs to f. */
struct unauth_item_facts *unauth_facts_add(struct unauth_facts *f, const char *kind,
                                           const char *item, const char *result,
                                           const char *detail);

/* ---- robust: robust.malformed's campaign on one service (robust.c) ---- */

/* One malformed input sent, and what the service did. */
struct robust_case_facts {
    char *input;                /* the case's name */
    long variant;               /* the round that varied it (0: the bounded set) */
    long sent;                  /* bytes sent */
    char *reaction;             /* what the service did with it */
    int answered;               /* it answered its identifying request afterwards */
};

/* The connection flood, and whether the service came back. */
struct robust_flood_facts {
    int saturated;              /* it stopped accepting connections: the rest were not tried */
    int window_ended;           /* it accepted slowly and the flood's window ended first */
    long asked, opened, refused, failed;
    int capped;                 /* fewer were asked for want of descriptors: */
    long capped_by_fd_limit;    /* this many */
    long held_ms;
    int recovered;
    long recovered_ms;          /* recovered: how long until it answered again */
    long waited_ms;             /* not recovered: how long starprobe waited */
    char *why;                  /* not recovered: its last answer */
};

struct robust_facts {
    char *result;               /* "survived", "failed", "not examined" */
    char *why;                  /* not examined: why */
    char *set;                  /* the malformed set used ("http", "tls", …) */
    char *baseline;             /* its answer to the identifying request before any input */
    int has_cases;              /* the campaign started */
    struct robust_case_facts *cases;
    size_t ncases;
    char *failed_input;         /* failed: after which input (or "(after every service's inputs)") */
    long failed_variant;        /* and its variant; -1 when the failure was seen at the end */
    char *after;                /* failed: what it answered then */
    int port_closed;            /* failed: the port was closed */
    int counted;                /* the campaign ran to its end: rounds, inputs, long_campaign hold */
    long rounds, inputs;
    int long_campaign;
    struct robust_flood_facts *flood;   /* NULL: no flood */
    int checked_at_end;         /* asked again once every service had its inputs */
    int answered_at_end;
};

void robust_facts_init(struct robust_facts *f);
void robust_facts_free(struct robust_facts *f);
struct robust_facts *robust_facts_new(void);
void robust_facts_destroy(struct robust_facts *f);
struct robust_case_facts *robust_facts_add_case(struct robust_facts *f, const char *input,
                                                long variant, long sent, const char *reaction,
                                                int answered);

/* ---- compare: units.distinct's reading of one service on both units (compare.c) ---- */

/* What one unit's service showed: its SSH host keys, or its TLS leaf's fingerprints. */
struct compare_unit_facts {
    char *error;                /* not read, and why */
    int has_keys;               /* SSH: keys.host_keys holds what was read */
    struct ssh_facts keys;      /* only its host keys are used */
    char *certificate_sha256, *public_key_sha256, *subject;    /* TLS */
};

struct compare_facts {
    int ssh;                    /* 1: SSH host keys compared; 0: TLS keys */
    struct compare_unit_facts unit1, unit2;     /* the target, the second unit */
};

void compare_facts_init(struct compare_facts *f);
void compare_facts_free(struct compare_facts *f);
struct compare_facts *compare_facts_new(void);
void compare_facts_destroy(struct compare_facts *f);

/* ---- the run's own facts, of no one service ---- */

/* units.distinct: one default password found on the target, tried on the second unit. */
struct compare_password_facts {
    char *service, *user, *password;
    char *result;               /* login_status_name's word, or "not examined" */
    char *detail;
};

/* units.distinct: the second unit, and each default password tried there. */
struct compare_run_facts {
    char *target2;              /* as given to --compare */
    char *address;              /* what it resolved to */
    char *error;                /* the second unit was not examined, and why */
    int compared;               /* the step ran to its end: creds_ran and passwords hold */
    int creds_ran;              /* creds.defaults ran first, so its passwords were tried */
    struct compare_password_facts *passwords;
    size_t npasswords;
};

/* update.channel: the TLS session with the declared update server. */
struct update_channel_facts {
    char *host;
    long port;
    char *address;              /* NULL when the host did not resolve */
    char *error;                /* no session, and why */
    char *version, *suite, *obtained_with;
    struct tls_cert_facts *certificate;
    char *verify_error;         /* no trust anchor could be loaded */
    int verified;               /* chain_trusted and name_matches hold */
    int chain_trusted, name_matches;
    char *verify_detail;        /* why either failed */
    char *trusted;              /* the trust anchors used */
};

/* update.tamper: one image posted to the declared endpoint, and what the device said. */
struct tamper_upload_facts {
    char *kind;                 /* "tampered", "downgraded", "control" */
    char *file;                 /* NULL when the image could not be read (error says why) */
    long bytes;
    long flipped_offset;        /* the byte changed; -1 for none */
    char *signature;            /* how a detached signature went */
    char *error;                /* not sent, or no answer */
    char *status_line, *body;   /* the device's answer */
    char *outcome;              /* upload_outcome_name's word; NULL when none was decided */
    char *why;
    int by_status;              /* decided by the status code alone */
};

/* update.tamper: whether a TCP service still answered after the uploads. */
struct tamper_after_facts {
    char *service;
    int answered;
    char *what;
};

struct tamper_facts {
    char *error;                /* nothing was posted, and why */
    char *endpoint;             /* the endpoint as posted to */
    int has_uploads;
    struct tamper_upload_facts *uploads;
    size_t nuploads;
    int has_after;
    struct tamper_after_facts *after;
    size_t nafter;
};

void compare_run_facts_init(struct compare_run_facts *f);
void compare_run_facts_free(struct compare_run_facts *f);
struct compare_run_facts *compare_run_facts_new(void);
void compare_run_facts_destroy(struct compare_run_facts *f);
void update_channel_facts_init(struct update_channel_facts *f);
void update_channel_facts_free(struct update_channel_facts *f);
struct update_channel_facts *update_channel_facts_new(void);
void update_channel_facts_destroy(struct update_channel_facts *f);
void tamper_facts_init(struct tamper_facts *f);
void tamper_facts_free(struct tamper_facts *f);
struct tamper_facts *tamper_facts_new(void);
void tamper_facts_destroy(struct tamper_facts *f);
/* Append an empty upload record (flipped_offset -1); it belongs to f. */
struct tamper_upload_facts *tamper_facts_add_upload(struct tamper_facts *f, const char *kind);
void tamper_facts_add_after(struct tamper_facts *f, const char *service, int answered,
                            const char *what);
struct compare_password_facts *compare_run_facts_add(struct compare_run_facts *f);

/* ---- the credentials found: report.json's "credentials" (creds.c) ---- */

struct credential_facts {
    char *service;              /* "tcp/22" */
    char *protocol;
    char *user, *password;
    char *source;               /* the dictionary entry it came from */
    char *kind;                 /* "snmp-community", or NULL for a user and password */
};

/* c's fields copied from the strings given (NULL ones stay NULL); free with credential_facts_free. */
void credential_facts_set(struct credential_facts *c, const char *service, const char *protocol,
                          const char *user, const char *password, const char *source,
                          const char *kind);
void credential_facts_free(struct credential_facts *c);
/* All fields the same (NULL equals NULL only). */
int credential_facts_equal(const struct credential_facts *a, const struct credential_facts *b);

/* ---- what a protocol's unauthenticated client saw (a handler's own family, probes/proto/) ---- */

/* http: a path served without credentials. */
struct http_open_path {
    char *path;
    char *final_path;           /* where redirects ended, when they did; else NULL */
    long status;
};

/* http: ONVIF's device service on the same web server (onvif.c). */
struct onvif_facts {
    char *path;                 /* the device service's path */
    char *device_information;   /* GetDeviceInformation without WS-Security: an unauth result word */
    char *users;                /* GetUsers: the same */
    char *error;                /* the first request got no answer */
    char *not_onvif;            /* it answered, but not as ONVIF */
};

/* http: what the web server gave a client with no credentials (http.c). */
struct http_facts {
    struct http_open_path *unauthenticated;     /* paths served without credentials */
    size_t nopen;
    int probed;                 /* a path no device has was asked: */
    long soft_404_status;       /* its status */
    char *server, *x_powered_by;    /* headers of the first answer; NULL: none was read */
    struct onvif_facts *onvif;  /* NULL: not asked */
};

/* snmp: what the agent gave a client with the default communities (snmp.c). */
struct snmp_facts {
    struct strv communities;    /* those that got a GetResponse */
    char *sys_descr;            /* sysDescr.0 as read with one of them; NULL: not read */
};

void http_facts_init(struct http_facts *f);
void http_facts_free(struct http_facts *f);
struct http_facts *http_facts_new(void);
void http_facts_destroy(struct http_facts *f);
void http_facts_add_open(struct http_facts *f, const char *path, const char *final_path,
                         long status);
void snmp_facts_init(struct snmp_facts *f);
void snmp_facts_free(struct snmp_facts *f);
struct snmp_facts *snmp_facts_new(void);
void snmp_facts_destroy(struct snmp_facts *f);

/* The other protocols' own facts: evidence for the report, which no check reads. */

/* ftp: USER anonymous (ftp.c). */
struct ftp_facts {
    int asked;                  /* USER anonymous got an answer: */
    int anonymous;              /* it logged in */
};

/* adb: a CNXN without a key (adb.c). */
struct adb_facts {
    int answered;               /* the device answered the CNXN: */
    int open;                   /* with a session (CNXN), not AUTH or STLS */
    char *banner;               /* its banner, when open */
};

/* tftp: the files a read request got (tftp.c). */
struct tftp_facts {
    struct strv served;
};

/* rtsp: OPTIONS and the DESCRIBEs without credentials (rtsp.c). */
struct rtsp_facts {
    struct strv open_paths;     /* paths whose session description was served */
    int asked_options;          /* OPTIONS got an answer: */
    long options_status;
    char *public_methods;       /* its Public header, when it had one */
};

/* mqtt: an anonymous CONNECT and what a subscriber got (mqtt.c). */
struct mqtt_facts {
    int answered;               /* a CONNACK came: */
    int anonymous;              /* it accepted the CONNECT */
    long connack_code;
    char *suback;               /* the SUBACK's return codes, when subscribed */
    struct strv topics;         /* topics delivered to the anonymous subscriber */
};

/* coap: discovery and resources without credentials, over UDP or DTLS (coap.c). */
struct coap_facts {
    char *transport;            /* "udp" or "dtls" */
    int handshake_tried;        /* DTLS: a handshake without credentials was answered: */
    int anonymous_handshake;    /* and it completed */
    int listed;                 /* the requests began: resources and open hold */
    struct strv resources;      /* those /.well-known/core lists (up to coap_max_resources) */
    struct strv open;           /* those that answered a GET without credentials */
    int discovered;             /* /.well-known/core was read: */
    long discovery_bytes, discovery_blocks;
    int discovery_truncated;    /* it was longer than starprobe reads */
};

/* vnc: the security types an RFB server offers (vnc.c). */
struct vnc_facts {
    int has_version;
    long rfb_major, rfb_minor;
    int has_types;
    struct longv security_types;
    int has_vencrypt;
    struct longv vencrypt_subtypes;
    int has_tight;
    struct longv tight_auth;
    int decided;                /* the types were judged: */
    int no_authentication;      /* one lets anyone in */
};

/* upnp: one device a LOCATION described (upnp.c). */
struct upnp_service_facts {
    char *service_type, *control_url, *scpd_url;
};

struct upnp_device_facts {
    char *location, *device_type, *friendly_name, *manufacturer, *model_name, *model_number,
        *serial_number;
    struct upnp_service_facts *services;
    size_t nservices;
    int services_truncated;
};

/* upnp: the devices SSDP announced and the control URLs that answered without credentials. */
struct upnp_facts {
    struct upnp_device_facts *devices;
    size_t ndevices;
    struct strv control_open;
};

#define SP_FACTS_LIFETIME(family)                                                                \
    void family##_facts_init(struct family##_facts *f);                                          \
    void family##_facts_free(struct family##_facts *f);                                          \
    struct family##_facts *family##_facts_new(void);                                             \
    void family##_facts_destroy(struct family##_facts *f);
SP_FACTS_LIFETIME(ftp)
SP_FACTS_LIFETIME(adb)
SP_FACTS_LIFETIME(tftp)
SP_FACTS_LIFETIME(rtsp)
SP_FACTS_LIFETIME(mqtt)
SP_FACTS_LIFETIME(coap)
SP_FACTS_LIFETIME(vnc)
SP_FACTS_LIFETIME(upnp)
/* A device appended; it belongs to f. */
struct upnp_device_facts *upnp_facts_add_device(struct upnp_facts *f);
void upnp_device_add_service(struct upnp_device_facts *d, const char *type, const char *control,
                             const char *scpd);

#endif
