/*
 * login.h - one login attempt on one service, whatever the protocol. Shared
 * by creds.defaults (S1.1-02), auth.bruteforce (S1.1-04) and, later,
 * auth.unauthenticated (S1.1-01).
 *
 * A login is only LOGIN_OK when the session was positively confirmed: SSH
 * ran a command on a channel and the random marker came back, telnet saw the
 * marker computed by a shell (never our own input echoed), HTTP/RTSP got 2xx
 * on a resource that answered 401 without credentials, an HTML login form
 * gave a session under which a page that led to the form without one now
 * answers with something else, FTP answered PWD with
 * 257 after 230, MQTT sent CONNACK 0 where an anonymous CONNECT is refused,
 * SNMP answered a GetRequest with error-status 0. LOGIN_REJECTED likewise
 * needs a positive refusal (401, 530, CONNACK 4/5, "Login incorrect", an SSH
 * authentication failure). Everything else is LOGIN_ERROR: unconfirmed.
 *
 * Usage: login_service_init, login_prepare once (finds out how the service
 * authenticates, without credentials), then login_attempt as often as the
 * budget allows — from several threads at once: attempts only read the
 * prepared service. login_service_free at the end.
 */
#ifndef SP_LOGIN_H
#define SP_LOGIN_H

#include <stddef.h>
#include <stdint.h>

#include "facts.h"     /* enum login_mode, struct login_form_facts */
#include "net.h"
#include "starprobe.h"

struct proto;
struct run;
struct service;

enum login_status {
    LOGIN_OK = 0,       /* logged in, confirmed */
    LOGIN_REJECTED,     /* the service said no */
    LOGIN_LOCKED,       /* the device says it throttles: HTTP 429/423, FTP 421, MQTT unavailable */
    LOGIN_ERROR         /* unconfirmed either way: timeout, garbage, unexpected reply, and what a
                         * fault answers as well as a lock (a refused connect, HTTP 403/503, a
                         * telnet session closed before any prompt) */
};

const char *login_status_name(enum login_status s);   /* "accepted", "rejected", "locked", "error" */

#define LOGIN_TRANSCRIPT 600

struct login_result {
    enum login_status status;
    int64_t ms;                     /* latency of the attempt */
    char transcript[LOGIN_TRANSCRIPT]; /* printable excerpt, secrets of declared accounts removed by the caller */
};

struct login_service {
    const struct sp_target *target;
    long port;
    char label[32];                 /* "tcp/22" */
    char name[32];                  /* identified name: ssh, telnet, http, https, ... */
    const struct proto *proto;      /* the handler whose login slots run the attempts */
    int tls;                        /* https, mqtts, rtsps */
    enum login_mode mode;
    char how[256];                  /* what prepare saw, as evidence */
    /* HTTP / RTSP */
    char path[160];                 /* protected resource; for "form", the page with the form */
    char scheme[16];                /* "Basic", "Digest", "form" */
    char algorithm[16];             /* Digest: "MD5", "SHA-256" */
    /* HTTP login through an HTML form and a session cookie (scheme "form") */
    struct {
        char start[160];            /* asked without the session, it leads to the form ("/") */
        char action[256];           /* where the form submits, a path on the service's origin */
        int post;                   /* method POST (else GET) */
        char user_field[64], pass_field[64];
        char hidden[128];           /* names of the hidden fields copied through (anti-CSRF) */
    } form;
    /* SSH */
    int ssh_password, ssh_kbdint;   /* methods offered */
    int snmp_version;               /* SNMP_V1 / V2C */
};

void login_service_init(struct login_service *ls, const struct run *r, const struct service *s);

/*
 * What prepare learned of a form login, as facts (page, start, action,
 * method, fields, hidden, tls); NULL when ls is not a form login. The login
 * checks record it; transport.plaintext reads it (a password form over plain
 * HTTP). Free with login_form_facts_destroy.
 */
struct login_form_facts *login_form_facts(const struct login_service *ls);
void login_service_free(struct login_service *ls);

/*
 * Find out, without credentials, how the service authenticates: SSH methods,
 * the HTTP resource that answers 401 (tries `/`, then http_paths, NULL
 * terminated, may be NULL), whether MQTT refuses an anonymous CONNECT. Sets
 * ls->mode and ls->how. 0, or a negative sp_err when the service could not be
 * examined (mode stays UNKNOWN).
 */
int login_prepare(struct run *r, struct login_service *ls, const char *const *http_paths,
                  int64_t deadline);

/* One attempt; never waits past deadline. Always fills out. */
void login_attempt(struct run *r, const struct login_service *ls, const char *user,
                   const char *pass, int64_t deadline, struct login_result *out);

/*
 * The telnet login session on a connected socket (probes/proto/telnet.c):
 * the attempt after the connect, exposed so a fuzz target can drive it with
 * device bytes through a socketpair. The caller closes fd.
 */
void login_telnet_session(int fd, const char *user, const char *pass, int64_t deadline,
                          struct login_result *out);

/* ---- shared helpers (login.c) ---- */

/* A fresh random marker of n-1 upper-case letters and digits, NUL-terminated. */
void login_marker(char *buf, size_t n);
/* Append printable device bytes (or our own text) to the transcript, bounded. */
void login_note(struct login_result *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void login_note_bytes(struct login_result *out, const char *prefix, const uint8_t *buf, size_t len);

/*
 * Is declared account a for service s: the same protocol (and TLS or not),
 * and the same port when the declaration names one?
 */
struct decl_account;
int login_account_matches(const struct decl_account *a, const struct service *s);

/* ---- pure parsers, unit-tested and fuzzed ---- */

/*
 * What an HTTP/RTSP status says about an attempt with credentials: 2xx OK,
 * 401 rejected, 429/423 locked; everything else (403, 503, a redirect, -1)
 * unconfirmed, since a forbidden page or a server in trouble answers so too.
 */
enum login_status login_http_status(int status);

/* HTTP/RTSP: status code of a response, or -1. */
int http_status(const uint8_t *buf, size_t len);
/* A complete response head (\r\n\r\n or \n\n seen)? */
int http_head_done(const uint8_t *buf, size_t len, void *arg);

struct http_challenge {
    char scheme[16];        /* "Basic" or "Digest"; "" when none */
    char realm[128];
    char nonce[160];
    char opaque[160];
    char algorithm[16];     /* "MD5", "SHA-256" ("" = MD5) */
    int qop_auth;           /* qop offers "auth" */
};
/*
 * The best challenge among the WWW-Authenticate headers of a response head:
 * Digest SHA-256, then Digest MD5, then Basic. 0 when one was found.
 */
int http_parse_challenge(const uint8_t *buf, size_t len, struct http_challenge *ch);

/* The Authorization header value for a challenge (Basic or Digest). 0 or SP_ERR_PARSE. */
int http_authorization(const struct http_challenge *ch, const char *method, const char *uri,
                       const char *user, const char *pass, const char *cnonce, char *out,
                       size_t cap);

#endif
