/*
 * tls.c - tls.versions, tls.ciphers and tls.certificate (S1.1-12) on every
 * TLS and DTLS service the port probe found, whatever its port.
 *
 * One gatherer enumerates each service with hand-built hellos (tls_wire.c):
 * one ClientHello per protocol version (SSLv3 .. TLSv1.3; DTLSv1.0, 1.2),
 * the server's first flight as the answer. Suites per accepted version are
 * found by offering every candidate, striking the one the server chose and
 * asking again, so a server costs about one handshake per suite it accepts
 * plus one per version, instead of one per suite known. The Certificate
 * message of TLS <= 1.2 and DTLS is read in clear from those same replies;
 * a TLS 1.3-only server's is fetched with OpenSSL (tlscert.c).
 *
 * Facts go into the service's struct tls_facts (harness/facts.h; in
 * report.json services[].tls, docs/report.md); the judges read only those
 * facts and the profile's parameters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ports.h"
#include "proto.h"
#include "run.h"
#include "tls.h"
#include "tlscert.h"
#include "tls_wire.h"

#define TLS_HANDSHAKE_MS 5000           /* one hello and its reply */
#define DTLS_RETRANSMIT_MS 1500         /* RFC 6347 §4.2.4.1 starts at 1 s */
#define TLS_FLIGHT_CAP (64 * 1024)      /* first flight incl. a certificate chain */
#define TLS_MAX_CANDIDATES 256

/* What one hello drew from the server. */
enum hs_outcome {
    HS_HELLO,       /* a ServerHello (or HelloRetryRequest) */
    HS_ALERT,
    HS_CLOSED,      /* closed without a word */
    HS_TIMEOUT,
    HS_ERROR,       /* could not connect or send */
    HS_GARBAGE      /* a reply that is not TLS */
};

struct hs_result {
    enum hs_outcome o;
    struct tls_server_hello sh;
    char detail[200];
    struct tls_chain chain;     /* when asked for and sent in clear */
    int flight_done;            /* the flight was read to ServerHelloDone (TLS <= 1.2, DTLS) */
    int cert_request;           /* ... and held a CertificateRequest */
};

/* One service being enumerated. */
struct tls_enum {
    struct run *r;
    struct service *s;
    int port;
    int dtls;
    int handshakes;
    uint16_t record_seq;        /* DTLS */
    uint8_t *buf;               /* TLS_FLIGHT_CAP: reply bytes */
    uint8_t *hs;                /* TLS_FLIGHT_CAP: handshake reassembly */
};

static const uint16_t tls_versions[] = {TLS_V_SSL3, TLS_V_1_0, TLS_V_1_1, TLS_V_1_2, TLS_V_1_3};
static const uint16_t dtls_versions[] = {DTLS_V_1_0, DTLS_V_1_2};

/*
 * Which services are TLS: a name its handler says runs inside TLS ("https",
 * "mqtts", "coaps"), TLS or DTLS around a protocol not recognised
 * (PROTO_TLS_OPAQUE), or the ServerHello the port probe saw.
 */
static int service_is_tls(const struct service *s, int *dtls)
{
    struct tls_server_hello sh;
    int wrapped = 0, opaque = proto_has(s, PROTO_TLS_OPAQUE, &wrapped);

    *dtls = 0;
    if (s->transport == T_UDP) {
        if (wrapped || opaque) {
            *dtls = 1;
            return 1;
        }
        if (s->replylen > 0 && tls_parse_server_hello(s->reply, s->replylen, &sh) == 0 && sh.dtls &&
            sh.record_type == TLS_CT_HANDSHAKE) {
            *dtls = 1;
            return 1;
        }
        return 0;
    }
    if (wrapped || opaque)
        return 1;
    return s->replylen > 0 && tls_parse_server_hello(s->reply, s->replylen, &sh) == 0 && !sh.dtls &&
           sh.record_type == TLS_CT_HANDSHAKE && sh.handshake_type == TLS_HS_SERVER_HELLO;
}

int tls_service_is(const struct service *s, int *dtls)
{
    return service_is_tls(s, dtls);
}

/* DTLS versions judged as their TLS equivalents (RFC 6347: DTLS 1.0 is TLS 1.1, 1.2 is 1.2). */
static const char *tls_equivalent(const char *v)
{
    if (strcmp(v, "DTLSv1.0") == 0)
        return "TLSv1.1";
    if (strcmp(v, "DTLSv1.2") == 0)
        return "TLSv1.2";
    return v;
}

static uint16_t scale(uint16_t v)
{
    return v == DTLS_V_1_0 ? TLS_V_1_1 : v == DTLS_V_1_2 ? TLS_V_1_2 : v;
}

/* Every suite we know that may be negotiated in version v, default table first. */
static size_t candidates_for(uint16_t v, int dtls, uint16_t *out, size_t cap)
{
    const struct tls_suite_info *tabs[2];
    size_t ns[2], n = 0;
    uint16_t sv = scale(v);

    tabs[0] = tls_default_suites(&ns[0]);
    tabs[1] = tls_extra_suites(&ns[1]);
    for (int t = 0; t < 2; t++)
        for (size_t i = 0; i < ns[t] && n < cap; i++) {
            const struct tls_suite_info *s = &tabs[t][i];
            if (s->min_version > sv || s->max_version < sv)
                continue;
            if (dtls && (s->flags & TLS_SUITE_STREAM))
                continue;
            out[n++] = s->id;
        }
    return n;
}

static void describe_reply(struct hs_result *res, const char *vname)
{
    char tmp[8];
    const struct tls_suite_info *si;

    switch (res->o) {
    case HS_HELLO:
        si = tls_suite_find(res->sh.cipher_suite);
        snprintf(res->detail, sizeof(res->detail), "%s %s%s%s suite 0x%04x%s%s%s to a %s ClientHello",
                 res->sh.hello_retry ? "HelloRetryRequest" : "ServerHello",
                 tls_version_name(res->sh.version, tmp),
                 res->sh.version != res->sh.legacy_version ? " (supported_versions)" : "", "",
                 res->sh.cipher_suite, si ? " (" : "", si ? si->name : "", si ? ")" : "", vname);
        break;
    case HS_ALERT:
        snprintf(res->detail, sizeof(res->detail), "alert %u/%u %s to a %s ClientHello",
                 res->sh.alert_level, res->sh.alert_desc, tls_alert_name(res->sh.alert_desc), vname);
        break;
    case HS_CLOSED:
        snprintf(res->detail, sizeof(res->detail), "connection closed without a reply to a %s ClientHello",
                 vname);
        break;
    default:
        break;      /* set where the failure was seen */
    }
}

/* Parse what came back into res; want_cert keeps the certificate chain. */
static void classify_reply(struct tls_enum *e, size_t n, int timed_out, int want_cert,
                           const char *vname, struct hs_result *res)
{
    struct tls_flight f;
    int rc;

    if (n == 0) {
        res->o = timed_out ? HS_TIMEOUT : HS_CLOSED;
        if (timed_out)
            snprintf(res->detail, sizeof(res->detail), "no reply to a %s ClientHello before the deadline",
                     vname);
        describe_reply(res, vname);
        return;
    }
    rc = tls_parse_flight(e->buf, n, e->hs, TLS_FLIGHT_CAP, &f);
    if (rc != 0 || (!f.have_hello && !f.alert && !f.hello_verify)) {
        res->o = timed_out && (rc == 0 || f.truncated) ? HS_TIMEOUT : HS_GARBAGE;
        snprintf(res->detail, sizeof(res->detail), "%s reply to a %s ClientHello (%zu bytes): %s",
                 res->o == HS_TIMEOUT ? "incomplete" : "malformed", vname, n,
                 rc != 0 ? f.why : "no ServerHello or alert");
        return;
    }
    if (f.alert && !f.have_hello) {
        res->o = HS_ALERT;
        res->sh.alert_level = f.alert_level;
        res->sh.alert_desc = f.alert_desc;
    } else if (f.hello_verify) {
        res->o = HS_HELLO;
        res->sh.handshake_type = TLS_HS_HELLO_VERIFY_REQUEST;
    } else {
        res->o = HS_HELLO;
        res->sh = f.sh;
    }
    res->flight_done = f.hello_done;
    res->cert_request = f.cert_request;
    if (want_cert && f.have_cert) {
        size_t off = 0, dl;
        const uint8_t *der;
        while (tls_cert_next(f.certs, f.certs_len, &off, &der, &dl) == 1)
            tls_chain_add(&res->chain, der, dl);
    }
    describe_reply(res, vname);
}

static int tcp_done(const uint8_t *buf, size_t len, void *arg)
{
    struct tls_enum *e = arg;
    struct tls_flight f;
    int rc = tls_parse_flight(buf, len, e->hs, TLS_FLIGHT_CAP, &f);
    return rc != 0 ? !f.truncated : f.complete;
}

/* One TCP hello on a fresh connection. */
static void hello_tcp(struct tls_enum *e, const struct tls_hello_opts *o, int want_cert,
                      const char *vname, struct hs_result *res)
{
    uint8_t hello[4096];
    size_t hl = tls_build_client_hello(hello, sizeof(hello), o);
    int64_t dl = run_op_deadline(e->r, TLS_HANDSHAKE_MS);
    ssize_t n;
    int fd;

    if (hl == 0) {
        res->o = HS_ERROR;
        snprintf(res->detail, sizeof(res->detail), "could not build a %s ClientHello", vname);
        return;
    }
    fd = net_tcp_connect(&e->r->target, e->port, dl);
    if (fd < 0) {
        res->o = HS_ERROR;
        snprintf(res->detail, sizeof(res->detail), "connect for a %s ClientHello: %s", vname,
                 net_strerror(fd));
        return;
    }
    e->handshakes++;
    if (net_send_all(fd, hello, hl, dl) != 0) {
        close(fd);
        res->o = HS_ERROR;
        snprintf(res->detail, sizeof(res->detail), "could not send a %s ClientHello", vname);
        return;
    }
    n = net_recv_until(fd, e->buf, TLS_FLIGHT_CAP, dl, want_cert ? tcp_done : tls_reply_done, e);
    close(fd);
    if (n < 0) {
        res->o = HS_ERROR;
        snprintf(res->detail, sizeof(res->detail), "reading the reply to a %s ClientHello: %s", vname,
                 net_strerror((int)n));
        return;
    }
    classify_reply(e, (size_t)n, sp_ms_left(dl) == 0, want_cert, vname, res);
}

/* Collect datagrams until the flight parses complete, or the wait ends. */
static size_t dtls_collect(struct tls_enum *e, int fd, int64_t dl, int *refused)
{
    size_t len = 0;
    struct tls_flight f;

    while (len < TLS_FLIGHT_CAP) {
        ssize_t n = net_recv(fd, e->buf + len, TLS_FLIGHT_CAP - len, dl);
        if (n == SP_ERR_REFUSED)
            *refused = 1;
        if (n <= 0)
            break;
        len += (size_t)n;
        if (tls_parse_flight(e->buf, len, e->hs, TLS_FLIGHT_CAP, &f) != 0 ? !f.truncated : f.complete)
            break;
    }
    return len;
}

/*
 * One DTLS hello, with the cookie exchange (RFC 6347 §4.2.1): a
 * HelloVerifyRequest is answered by the same hello carrying its cookie. Each
 * hello is sent at most twice: datagrams get lost.
 */
static void hello_dtls(struct tls_enum *e, struct tls_hello_opts *o, int want_cert,
                       const char *vname, struct hs_result *res)
{
    uint8_t hello[2048], cookie[255];
    int64_t dl = run_op_deadline(e->r, TLS_HANDSHAKE_MS);
    int fd = net_udp_open(&e->r->target, e->port), refused = 0;
    size_t n = 0;

    if (fd < 0) {
        res->o = HS_ERROR;
        snprintf(res->detail, sizeof(res->detail), "UDP socket for a %s ClientHello: %s", vname,
                 net_strerror(fd));
        return;
    }
    e->handshakes++;
    o->message_seq = 0;
    for (int round = 0; round < 2; round++) {
        struct tls_flight f;
        size_t hl;

        for (int attempt = 0; attempt < 2; attempt++) {
            o->record_seq = e->record_seq++;
            hl = tls_build_client_hello(hello, sizeof(hello), o);
            if (hl == 0 || send(fd, hello, hl, MSG_NOSIGNAL) < 0) {
                close(fd);
                res->o = HS_ERROR;
                snprintf(res->detail, sizeof(res->detail), "could not send a %s ClientHello", vname);
                return;
            }
            n = dtls_collect(e, fd, sp_deadline(DTLS_RETRANSMIT_MS, dl), &refused);
            if (n > 0 || refused || sp_ms_left(dl) == 0)
                break;
        }
        if (refused) {
            close(fd);
            res->o = HS_CLOSED;
            snprintf(res->detail, sizeof(res->detail), "ICMP port unreachable after a %s ClientHello",
                     vname);
            return;
        }
        if (n == 0 || tls_parse_flight(e->buf, n, e->hs, TLS_FLIGHT_CAP, &f) != 0 || !f.hello_verify)
            break;
        /* The cookie sits after the HelloVerifyRequest's version in the reassembled message. */
        {
            const uint8_t *m = e->hs;       /* first message: 4-byte header, version, cookie */
            size_t mlen = (size_t)m[1] << 16 | (size_t)m[2] << 8 | m[3];
            size_t clen = mlen >= 3 ? m[6] : 0;
            if (mlen < 3 || 3 + clen > mlen) {
                n = 0;
                break;
            }
            memcpy(cookie, m + 7, clen);
            o->cookie = cookie;
            o->cookie_len = clen;
            o->message_seq = 1;
        }
    }
    close(fd);
    classify_reply(e, n, sp_ms_left(dl) == 0 || n == 0, want_cert, vname, res);
    if (res->o == HS_HELLO && res->sh.handshake_type == TLS_HS_HELLO_VERIFY_REQUEST) {
        res->o = HS_GARBAGE;
        snprintf(res->detail, sizeof(res->detail),
                 "a second HelloVerifyRequest after the cookie to a %s ClientHello", vname);
    }
}

static void hello_once(struct tls_enum *e, uint16_t v, const uint16_t *suites, size_t ns,
                       int want_cert, struct hs_result *res)
{
    struct tls_hello_opts o;
    char tmp[8];
    const char *vname = tls_version_name(v, tmp);

    memset(res, 0, sizeof(*res));
    tls_chain_init(&res->chain);
    tls_hello_opts_init(&o);
    o.dtls = e->dtls;
    o.max_version = o.min_version = v;
    o.suites = suites;
    o.nsuites = ns;
    o.sni = e->r->target.host;
    if (v == TLS_V_SSL3)
        o.flags |= TLS_HELLO_NO_RENEG_SCSV;    /* a bare SSLv3 hello, as an SSLv3 client sent */
    if (e->dtls)
        hello_dtls(e, &o, want_cert, vname, res);
    else
        hello_tcp(e, &o, want_cert, vname, res);
}

static void remove_suite(uint16_t *c, size_t *n, uint16_t id)
{
    for (size_t i = 0; i < *n; i++)
        if (c[i] == id) {
            memmove(c + i, c + i + 1, (*n - i - 1) * sizeof(*c));
            (*n)--;
            return;
        }
}

static int has_suite(const uint16_t *c, size_t n, uint16_t id)
{
    for (size_t i = 0; i < n; i++)
        if (c[i] == id)
            return 1;
    return 0;
}

static void add_suite_name(struct strv *arr, uint16_t id)
{
    const struct tls_suite_info *si = tls_suite_find(id);
    char b[16];

    if (si) {
        strv_add(arr, si->name);
    } else {
        snprintf(b, sizeof(b), "0x%04x", id);
        strv_add(arr, b);
    }
}

/*
 * Suites of one accepted version: offer all candidates but those already
 * seen, note the choice, repeat until the server refuses. first is the suite
 * the version handshake already drew. Returns 1 when the list is complete.
 */
static int enum_suites(struct tls_enum *e, uint16_t v, uint16_t first, struct strv *list,
                       char *why, size_t whylen)
{
    uint16_t cand[TLS_MAX_CANDIDATES];
    size_t n = candidates_for(v, e->dtls, cand, TLS_MAX_CANDIDATES);
    size_t limit = n + 1;

    add_suite_name(list, first);
    remove_suite(cand, &n, first);
    while (n > 0 && limit-- > 0) {
        struct hs_result res;

        if (run_expired(e->r)) {
            snprintf(why, whylen, "the run deadline passed during suite enumeration");
            return 0;
        }
        hello_once(e, v, cand, n, 0, &res);
        tls_chain_free(&res.chain);
        if (res.o == HS_ALERT || res.o == HS_CLOSED)
            return 1;
        if (res.o != HS_HELLO) {
            snprintf(why, whylen, "%s", res.detail);
            return 0;
        }
        if (res.sh.version != v) {
            return 1;       /* nothing left in this version; it fell back to another */
        }
        if (!has_suite(cand, n, res.sh.cipher_suite)) {
            snprintf(why, whylen, "the server chose suite 0x%04x, which was not offered (%.150s)",
                     res.sh.cipher_suite, res.detail);
            return 0;
        }
        add_suite_name(list, res.sh.cipher_suite);
        remove_suite(cand, &n, res.sh.cipher_suite);
    }
    return 1;
}

/* Enumerate one service; the facts are returned for the caller to attach. */
static struct tls_facts *enum_service(struct tls_enum *e)
{
    struct tls_facts *tls = tls_facts_new();
    const uint16_t *vs = e->dtls ? dtls_versions : tls_versions;
    size_t nv = e->dtls ? SP_ARRAY_LEN(dtls_versions) : SP_ARRAY_LEN(tls_versions);
    struct tls_chain chain;
    uint16_t cert_version = 0, best = 0, creq_version = 0;
    int any_cert_suite = 0, any_psk_suite = 0, creq = -1;
    char creq_detail[160] = "";
    char tmp[8], why[240], label[32];

    tls_chain_init(&chain);
    service_label(e->s, label, sizeof(label));
    tls->protocol = e->dtls ? TLS_PROTOCOL_DTLS : TLS_PROTOCOL_TLS;
    for (size_t i = 0; i < nv; i++) {
        uint16_t v = vs[i], cand[TLS_MAX_CANDIDATES];
        const char *vname = tls_version_name(v, tmp);
        size_t n = candidates_for(v, e->dtls, cand, TLS_MAX_CANDIDATES);
        struct hs_result res;
        struct tls_version_result *rv;
        enum tls_outcome state;

        run_progress(e->r, 0, "tls: %s %s", label, vname);
        if (run_expired(e->r)) {
            tls_facts_add_result(tls, vname, TLS_OUTCOME_UNKNOWN,
                                 "the run deadline passed before this version was tried");
            strv_add(&tls->incomplete, vname);
            continue;
        }
        hello_once(e, v, cand, n, v != TLS_V_1_3, &res);
        if (res.o == HS_HELLO && res.sh.version == v && res.sh.handshake_type == TLS_HS_SERVER_HELLO) {
            state = TLS_OUTCOME_ACCEPTED;
        } else if (res.o == HS_HELLO || res.o == HS_ALERT || res.o == HS_CLOSED) {
            state = TLS_OUTCOME_REFUSED;  /* a lower version, an alert, or silence with a close */
        } else {
            state = TLS_OUTCOME_UNKNOWN;
            strv_add(&tls->incomplete, vname);
        }
        rv = tls_facts_add_result(tls, vname, state, res.detail);
        if (state == TLS_OUTCOME_ACCEPTED) {
            struct strv *list = tls_facts_suites(tls, vname);
            strv_add(&tls->versions, vname);
            best = v;
            if (!enum_suites(e, v, res.sh.cipher_suite, list, why, sizeof(why))) {
                rv->ciphers_incomplete = xstrdup(why);
                strv_add(&tls->incomplete, vname);
            }
            for (size_t k = 0; k < list->n; k++) {
                unsigned cl = tls_suite_classes(list->v[k]);
                if (cl & TLS_CLASS_PSK)
                    any_psk_suite = 1;
                else if (!(cl & TLS_CLASS_ANON))
                    any_cert_suite = 1;
            }
            if (res.flight_done && scale(v) >= scale(creq_version)) {
                creq = res.cert_request;
                creq_version = v;
                snprintf(creq_detail, sizeof(creq_detail), "%s first flight read to ServerHelloDone, %s "
                         "CertificateRequest", vname, res.cert_request ? "with a" : "without a");
            }
            if (res.chain.n > 0 && scale(v) >= scale(cert_version)) {
                tls_chain_free(&chain);
                chain = res.chain;
                tls_chain_init(&res.chain);
                cert_version = v;
            }
        }
        tls_chain_free(&res.chain);
    }

    if (e->dtls)
        tls->authentication = any_cert_suite && any_psk_suite ? TLS_AUTH_CERTIFICATE_PSK
                              : any_psk_suite                 ? TLS_AUTH_PSK
                              : any_cert_suite                ? TLS_AUTH_CERTIFICATE
                                                              : TLS_AUTH_NONE;
    if (chain.n > 0) {
        char with[96];
        snprintf(with, sizeof(with), "starprobe handshake read (%s, Certificate message in clear)",
                 tls_version_name(cert_version, tmp));
        tls->certificate = xmalloc(sizeof(*tls->certificate));
        tls_cert_facts(&chain, with, (long long)time(NULL), tls->certificate);
    } else if (best == TLS_V_1_3 && !e->dtls && !run_expired(e->r)) {
        char with[96];
        e->handshakes++;
        int c13 = -1;
        if (tls13_fetch_chain_creq(&e->r->target, e->port, run_op_deadline(e->r, TLS_HANDSHAKE_MS),
                                   &chain, &c13, why, sizeof(why)) == 0) {
            snprintf(with, sizeof(with), "certificate obtained over TLS 1.3 with %s",
                     tls13_library_version());
            tls->certificate = xmalloc(sizeof(*tls->certificate));
            tls_cert_facts(&chain, with, (long long)time(NULL), tls->certificate);
        } else {
            tls->certificate_error = xstrdup(why);
        }
        if (creq_version == 0 && c13 >= 0) {
            creq = c13;
            snprintf(creq_detail, sizeof(creq_detail), "TLSv1.3 handshake with %s completed %s a "
                     "CertificateRequest", tls13_library_version(), c13 ? "after" : "without");
        }
    } else if (any_cert_suite) {
        tls->certificate_error =
            xstrdup("a certificate suite was accepted but no Certificate message was read");
    }
    /* Does the server ask for a client certificate (mutual authentication)? */
    if (best != 0) {
        tls->client_certificate = creq == 1   ? TLS_CLIENT_CERT_REQUESTED
                                  : creq == 0 ? TLS_CLIENT_CERT_NOT_REQUESTED
                                              : TLS_CLIENT_CERT_UNKNOWN;
        tls->client_certificate_detail =
            xstrdup(creq_detail[0] ? creq_detail
                                   : "no first flight was read to its end (TLS 1.3 handshake not "
                                     "completed, or every flight cut short)");
    }
    /* Does the chain end at the CA the declaration names for the device's TLS services? */
    if (chain.n > 0 && e->r->device && e->r->device->tls_ca_file) {
        int ok = 0;
        tls->declared_ca_file = xstrdup(e->r->device->tls_ca_file);
        if (tls_chain_verify_ca(&chain, e->r->device->tls_ca_file, &ok, why, sizeof(why)) != 0)
            tls->declared_ca = TLS_CA_ERROR;
        else
            tls->declared_ca = ok ? TLS_CA_CHAINS : TLS_CA_DOES_NOT_CHAIN;
        tls->declared_ca_detail = xstrdup(why);
    }
    tls->handshakes = e->handshakes;
    tls_chain_free(&chain);
    return tls;
}

static void tls_one(struct run *r, size_t i, void *arg)
{
    struct service **list = arg;
    struct tls_enum e;
    struct tls_facts *facts;
    int dtls;

    memset(&e, 0, sizeof(e));
    e.r = r;
    e.s = list[i];
    e.port = (int)list[i]->port;
    service_is_tls(e.s, &dtls);
    e.dtls = dtls;
    e.buf = xmalloc(TLS_FLIGHT_CAP);
    e.hs = xmalloc(TLS_FLIGHT_CAP);
    facts = enum_service(&e);
    free(e.buf);
    free(e.hs);
    run_set_tls_facts(r, e.s, facts);
}

static int tls_gather(struct run *r)
{
    struct service **list;
    size_t n = 0;

    list = xmalloc((r->nservices + 1) * sizeof(*list));
    for (size_t i = 0; i < r->nservices; i++) {
        int dtls;
        if (service_is_tls(r->services[i], &dtls))
            list[n++] = r->services[i];
    }
    if (n > 0)
        run_parallel(r, n, tls_one, list);
    free(list);
    return 0;
}

const struct gatherer gatherer_tls = {
    .name = "tls",
    .needs = &gatherer_scan,
    /* handshakes only; it writes the "tls" family alone */
    .flags = GATHER_CONCURRENT,
    .gather = tls_gather,
};

/* ---- judges -------------------------------------------------------------- */

/* The TLS facts of service i, or NULL. */
static const struct tls_facts *tls_facts(const struct run *r, size_t i)
{
    return r->services[i]->tls;
}

/*
 * Shared opening of the three judges: 1 when there are TLS facts to judge;
 * otherwise the verdict is set (NOT_APPLICABLE only after a complete scan).
 */
static int judge_scope(const struct run *r, struct check_result *res, size_t *count)
{
    *count = 0;
    if (!r->scan.tcp_done) {
        cr_set(res, V_INCONCLUSIVE, "The port scan did not run, so TLS services are unknown.");
        return 0;
    }
    for (size_t i = 0; i < r->nservices; i++)
        if (tls_facts(r, i))
            (*count)++;
    if (*count > 0)
        return 1;
    if (!r->scan.tcp_complete || (r->scan.udp_done && !r->scan.udp_complete))
        cr_set(res, V_INCONCLUSIVE, "No TLS or DTLS service found, but the scan is incomplete: %s.",
               r->scan.why_incomplete);
    else
        cr_set(res, V_NOT_APPLICABLE, "No TLS or DTLS service was found on the %zu open services "
                                      "(complete scan).", r->nservices);
    return 0;
}

/*
 * Shared close of the three judges: coverage. A service the TLS step should
 * have examined (service_is_tls) that holds no TLS facts was never reached:
 * the run deadline ended the step first. A service nobody identified may be
 * TLS we could not see. Both are named in the evidence as not examined, and a
 * PASS or NOT_APPLICABLE that did not look at them is no PASS.
 */
static void judge_close(const struct run *r, struct check_result *res)
{
    struct strbuf miss;
    char label[32];

    sb_init(&miss);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct service *sv = r->services[i];
        int dtls;
        if (service_is_tls(sv, &dtls) && !tls_facts(r, i)) {
            service_label(sv, label, sizeof(label));
            cr_evidence(res, label, "not examined by this check: the TLS step did not reach it "
                                    "before the run deadline");
            sb_printf(&miss, "%s%s", miss.len ? ", " : "", label);
        } else if (!proto_of(sv, NULL) && !service_is_tls(sv, &dtls)) {
            /*
             * A port that answered nothing we recognise may be TLS we could not
             * see (a slow handshake, an odd first flight): it is not in the
             * clear that it is out of scope, so it is not examined.
             */
            service_label(sv, label, sizeof(label));
            cr_evidence(res, label, "not examined by this check: the service was not identified, "
                                    "so whether it speaks TLS is unknown");
            sb_printf(&miss, "%s%s", miss.len ? ", " : "", label);
        }
    }
    if (miss.len && (res->verdict == V_PASS || res->verdict == V_NOT_APPLICABLE))
        cr_set(res, V_INCONCLUSIVE, "Services not examined for TLS (the run deadline came first, or "
                                    "they were not identified): %s.", miss.buf);
    sb_free(&miss);
}

static int in_list_or_equiv(const struct check *c, const char *key, const char *v)
{
    return check_param_in_list(c, key, v, 0) || check_param_in_list(c, key, tls_equivalent(v), 0);
}

static void versions_judge_rule(struct run *r, const struct check *c, struct check_result *res)
{
    size_t count;
    int bad = 0, unsure = 0;
    char label[32];
    struct strbuf fails, unk, good;

    if (!judge_scope(r, res, &count))
        return;
    sb_init(&fails);
    sb_init(&unk);
    sb_init(&good);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct tls_facts *t = tls_facts(r, i);
        int required = 0, unknown = 0, svc_bad = 0;
        struct strbuf acc;

        if (!t)
            continue;
        service_label(r->services[i], label, sizeof(label));
        sb_init(&acc);
        for (size_t k = 0; k < t->nresults; k++) {
            const char *vn = t->results[k].version, *det = t->results[k].detail;
            if (t->results[k].result == TLS_OUTCOME_ACCEPTED) {
                sb_printf(&acc, "%s%s", acc.len ? ", " : "", vn);
                if (in_list_or_equiv(c, "forbid", vn)) {
                    svc_bad = 1;
                    cr_flag(res, label, vn, "%s accepted: %s", vn, det ? det : "");
                    sb_printf(&fails, "%s%s on %s", fails.len ? ", " : "", vn, label);
                }
                if (in_list_or_equiv(c, "require_one_of", vn))
                    required = 1;
            } else if (t->results[k].result == TLS_OUTCOME_UNKNOWN) {
                unknown = 1;
                cr_evidence(res, label, "%s not decided: %s", vn, det ? det : "");
            }
        }
        if (!required && !unknown) {
            svc_bad = 1;
            cr_evidence(res, label, "none of the required versions is accepted (accepted: %s)",
                        acc.len ? acc.buf : "none");
            sb_printf(&fails, "%sno required version on %s", fails.len ? ", " : "", label);
        } else if (unknown && !svc_bad) {
            unsure = 1;
            sb_printf(&unk, "%s%s", unk.len ? ", " : "", label);
        } else if (!svc_bad) {
            cr_evidence(res, label, "accepts only %s (%ld handshakes)", acc.buf, t->handshakes);
            sb_printf(&good, "%s%s", good.len ? ", " : "", label);
        }
        bad |= svc_bad;
        sb_free(&acc);
    }
    if (bad)
        cr_set(res, V_FAIL, "Forbidden or missing protocol versions: %s.", fails.buf);
    else if (unsure)
        cr_set(res, V_INCONCLUSIVE, "Protocol versions could not all be tried on %s.", unk.buf);
    else
        cr_set(res, V_PASS, "Every TLS/DTLS service (%s) refuses the forbidden versions and accepts a "
                            "required one.", good.buf);
    sb_free(&fails);
    sb_free(&unk);
    sb_free(&good);
}

/* The classes of suite name that the check's list key names, as "RC4, MD5"; empty if none. */
static unsigned classes_in(const struct check *c, const char *key, const char *suite,
                           struct strbuf *out)
{
    unsigned cl = tls_suite_classes(suite), hit = 0;

    for (unsigned b = 0; b < TLS_CLASS_COUNT; b++) {
        const char *nm = tls_class_name(1u << b);
        if ((cl & (1u << b)) && nm && check_param_in_list(c, key, nm, 0)) {
            sb_printf(out, "%s%s", out->len ? ", " : "", nm);
            hit |= 1u << b;
        }
    }
    return hit;
}

static const struct probe_param tls_ciphers_params[] = {
    {"forbid", "[NULL, EXPORT, anon, RC4, DES, 3DES, MD5]", "suite classes that must be refused"},
    {"findings", "[CBC, non-PFS]", "suite classes reported, not failed"},
    {NULL, NULL, NULL}};

static void ciphers_judge_rule(struct run *r, const struct check *c, struct check_result *res)
{
    size_t count;
    int bad = 0, unsure = 0, accepted_any = 0;
    char label[32];
    struct strbuf fails, unk;

    if (!judge_scope(r, res, &count))
        return;
    sb_init(&fails);
    sb_init(&unk);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct tls_facts *t = tls_facts(r, i);
        size_t nsuites = 0, nbad = 0;
        unsigned svc_cls = 0;

        if (!t)
            continue;
        service_label(r->services[i], label, sizeof(label));
        for (size_t v = 0; v < t->nciphers; v++) {
            const char *vname = t->ciphers[v].version;
            for (size_t k = 0; k < t->ciphers[v].suites.n; k++) {
                struct strbuf cls, fnd;
                const char *name = t->ciphers[v].suites.v[k];
                nsuites++;
                sb_init(&cls);
                sb_init(&fnd);
                unsigned hit = classes_in(c, "forbid", name, &cls);
                if (hit) {
                    bad = 1;
                    nbad++;
                    cr_evidence(res, label, "%s %s accepted (%s)", vname, name, cls.buf);
                    svc_cls |= hit;
                } else {
                    classes_in(c, "findings", name, &fnd);
                    if (fnd.len)
                        cr_evidence(res, label, "finding: %s %s (%s)", vname, name, fnd.buf);
                }
                sb_free(&cls);
                sb_free(&fnd);
            }
        }
        if (nbad) {
            sb_printf(&fails, "%s%s (%zu suites:", fails.len ? "; " : "", label, nbad);
            for (unsigned b = 0; b < TLS_CLASS_COUNT; b++)
                if (svc_cls & (1u << b))
                    sb_printf(&fails, " %s", tls_class_name(1u << b));
            sb_add(&fails, ")");
        }
        accepted_any |= nsuites > 0;
        if (t->incomplete.n > 0) {
            unsure = 1;
            sb_printf(&unk, "%s%s", unk.len ? ", " : "", label);
        } else if (nsuites == 0) {
            unsure = 1;
            sb_printf(&unk, "%s%s (no handshake succeeded)", unk.len ? ", " : "", label);
        } else {
            cr_evidence(res, label, "%zu suites accepted over %ld handshakes", nsuites,
                        t->handshakes);
        }
    }
    if (bad)
        cr_set(res, V_FAIL, "Forbidden cipher suites are accepted: %s.", fails.buf);
    else if (unsure || !accepted_any)
        cr_set(res, V_INCONCLUSIVE, "Cipher suites could not all be enumerated on %s.",
               unk.len ? unk.buf : "every service");
    else
        cr_set(res, V_PASS, "No TLS/DTLS service accepts a suite of a forbidden class.");
    sb_free(&fails);
    sb_free(&unk);
}

static const struct probe_param tls_cert_params[] = {
    {"rsa_min_bits", "2048", "smallest acceptable RSA key"},
    {"ec_min_bits", "224", "smallest acceptable EC key"},
    {"forbid_sig", "[md5, sha1]", "forbidden signature hashes"},
    {"check_validity", "true", "fail outside notBefore/notAfter"},
    {"self_signed", "report", "report | fail"},
    {NULL, NULL, NULL}};

static void cert_judge_rule(struct run *r, const struct check *c, struct check_result *res)
{
    size_t count;
    int bad = 0, unsure = 0, examined = 0;
    long rsa_min = check_param_int(c, "rsa_min_bits", 2048);
    long ec_min = check_param_int(c, "ec_min_bits", 224);
    int validity = !check_param_in_list(c, "check_validity", "false", 0);
    int self_fail = check_param_in_list(c, "self_signed", "fail", 0);
    char label[32];
    struct strbuf fails, unk;

    if (!judge_scope(r, res, &count))
        return;
    sb_init(&fails);
    sb_init(&unk);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct tls_facts *t = tls_facts(r, i);
        const struct tls_cert_facts *cert;
        const char *kt, *hash, *err;
        double bits;
        int svc_bad = 0;

        if (!t)
            continue;
        service_label(r->services[i], label, sizeof(label));
        cert = t->certificate;
        if (!cert) {
            err = t->certificate_error;
            if (t->authentication == TLS_AUTH_PSK) {
                cr_evidence(res, label, "DTLS with pre-shared keys only: no certificate to judge");
                continue;
            }
            unsure = 1;
            cr_evidence(res, label, "no certificate examined: %s",
                        err ? err : "no handshake that carries one succeeded");
            sb_printf(&unk, "%s%s", unk.len ? ", " : "", label);
            continue;
        }
        err = cert->error;
        if (err) {
            unsure = 1;
            cr_evidence(res, label, "certificate not analysed: %s", err);
            sb_printf(&unk, "%s%s", unk.len ? ", " : "", label);
            continue;
        }
        examined++;
        kt = cert->key_type;
        bits = (double)cert->key_bits;
        hash = cert->signature_hash;
        if (kt && strcmp(kt, "RSA") == 0 && bits < (double)rsa_min) {
            svc_bad = 1;
            cr_evidence(res, label, "RSA key of %.0f bits (minimum %ld)", bits, rsa_min);
        } else if (kt && strcmp(kt, "EC") == 0 && bits < (double)ec_min) {
            svc_bad = 1;
            cr_evidence(res, label, "EC key of %.0f bits (minimum %ld)", bits, ec_min);
        } else if (kt && strcmp(kt, "RSA") != 0 && strcmp(kt, "EC") != 0) {
            unsure = 1;
            cr_evidence(res, label, "key type %s is not judged by this check", kt);
        }
        if (hash && check_param_in_list(c, "forbid_sig", hash, 0)) {
            svc_bad = 1;
            cr_evidence(res, label, "signed with %s (%s)", hash,
                        sp_str_or(cert->signature_algorithm, "(null)"));
        }
        if (validity && cert->expired) {
            svc_bad = 1;
            cr_evidence(res, label, "expired: notAfter %s", sp_str_or(cert->not_after, "(null)"));
        }
        if (validity && cert->not_yet_valid) {
            svc_bad = 1;
            cr_evidence(res, label, "not yet valid: notBefore %s",
                        sp_str_or(cert->not_before, "(null)"));
        }
        if (cert->self_signed) {
            svc_bad |= self_fail;
            cr_evidence(res, label, "self-signed (%s)%s", sp_str_or(cert->subject, "(null)"),
                        self_fail ? "" : ": reported, not failed at this level");
        }
        if (svc_bad) {
            bad = 1;
            sb_printf(&fails, "%s%s", fails.len ? ", " : "", label);
        } else {
            cr_evidence(res, label, "%s %.0f bits, %s, valid %s to %s; %s", kt ? kt : "?", bits,
                        sp_str_or(cert->signature_algorithm, "(null)"),
                        sp_str_or(cert->not_before, "(null)"), sp_str_or(cert->not_after, "(null)"),
                        sp_str_or(cert->obtained_with, "(null)"));
        }
    }
    if (bad)
        cr_set(res, V_FAIL, "Certificates below the profile's minimum on %s.", fails.buf);
    else if (unsure)
        cr_set(res, V_INCONCLUSIVE, "Certificates could not be examined on %s.",
               unk.len ? unk.buf : "every service");
    else if (examined == 0)
        cr_set(res, V_PASS, "The TLS services authenticate with pre-shared keys; no certificate is in use.");
    else
        cr_set(res, V_PASS, "%d certificate%s meet the key, signature and validity rules.", examined,
               examined == 1 ? "" : "s");
    sb_free(&fails);
    sb_free(&unk);
}

static const struct probe_param tls_versions_params[] = {
    {"forbid", "[SSLv3, TLSv1.0, TLSv1.1]", "versions that must be refused"},
    {"require_one_of", "[TLSv1.2, TLSv1.3]", "at least one of these must be accepted"},
    {NULL, NULL, NULL}};

static void versions_judge(struct run *r, const struct check *c, struct check_result *res)
{
    versions_judge_rule(r, c, res);
    judge_close(r, res);
}

static void ciphers_judge(struct run *r, const struct check *c, struct check_result *res)
{
    ciphers_judge_rule(r, c, res);
    judge_close(r, res);
}

static void cert_judge(struct run *r, const struct check *c, struct check_result *res)
{
    cert_judge_rule(r, c, res);
    judge_close(r, res);
}

const struct probe probe_tls_versions = {
    .name = "tls.versions",
    .summary = "TLS/DTLS versions accepted on every TLS service",
    .rule = "One hand-built ClientHello per version (SSLv3 .. TLSv1.3; DTLSv1.0, DTLSv1.2, judged "
            "as TLSv1.1 and TLSv1.2) to every TLS/DTLS service. FAIL when a version in `forbid` "
            "is answered with a ServerHello of that version, or when none in `require_one_of` is. "
            "INCONCLUSIVE when a version could not be tried (timeout, malformed reply). "
            "NOT_APPLICABLE when a complete scan found no TLS service.",
    .flags = 0,
    .params = tls_versions_params,
    .gatherer = &gatherer_tls,
    .judge = versions_judge,
};

const struct probe probe_tls_ciphers = {
    .name = "tls.ciphers",
    .summary = "Cipher suites accepted per TLS version",
    .rule = "For each accepted version, every known suite is offered, the chosen one struck and "
            "the rest offered again until the server refuses. FAIL when an accepted suite is of a "
            "class in `forbid` (NULL, EXPORT, anon, RC4, DES, 3DES, MD5); classes in `findings` "
            "are reported. INCONCLUSIVE when the enumeration could not finish.",
    .flags = 0,
    .params = tls_ciphers_params,
    .gatherer = &gatherer_tls,
    .judge = ciphers_judge,
};

const struct probe probe_tls_certificate = {
    .name = "tls.certificate",
    .summary = "Certificate key, signature and validity",
    .rule = "The leaf certificate each TLS service sends (read from the clear handshake, or over "
            "TLS 1.3 with OpenSSL), parsed with mbedTLS: FAIL for an RSA key under `rsa_min_bits`, "
            "an EC key under `ec_min_bits`, a signature hash in `forbid_sig`, or (with "
            "`check_validity`) outside its dates; self-signed FAILs only with `self_signed: fail`. "
            "A DTLS service with pre-shared keys only has no certificate to judge.",
    .flags = 0,
    .params = tls_cert_params,
    .gatherer = &gatherer_tls,
    .judge = cert_judge,
};

/* ---- tls.chain and tls.client_auth: ★2 and ★4 rules over the same facts ---- */


static void chain_judge_rule(struct run *r, const struct check *c, struct check_result *res)
{
    const char *ca = r->device ? r->device->tls_ca_file : NULL;
    size_t count;
    int bad = 0, unsure = 0, examined = 0;
    char label[32];
    struct strbuf fails, unk;

    (void)c;
    if (!judge_scope(r, res, &count))
        return;
    sb_init(&fails);
    sb_init(&unk);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct tls_facts *t = tls_facts(r, i);
        const struct tls_cert_facts *cert;

        if (!t)
            continue;
        service_label(r->services[i], label, sizeof(label));
        cert = t->certificate;
        if (!cert || cert->error) {
            if (!cert && t->authentication == TLS_AUTH_PSK) {
                cr_evidence(res, label, "DTLS with pre-shared keys only: no certificate chain");
                continue;
            }
            unsure = 1;
            cr_evidence(res, label, "no certificate examined: %s",
                        cert                   ? cert->error
                        : t->certificate_error ? t->certificate_error
                                               : "no handshake that carries one succeeded");
            sb_printf(&unk, "%s%s", unk.len ? ", " : "", label);
            continue;
        }
        if (!ca) {
            unsure = 1;
            cr_evidence(res, label,
                        "issuer '%s': the declaration names no tls.ca_file to check it against",
                        cert->issuer ? cert->issuer : "?");
            sb_printf(&unk, "%s%s", unk.len ? ", " : "", label);
            continue;
        }
        if (t->declared_ca == TLS_CA_CHAINS) {
            examined++;
            cr_evidence(res, label,
                        "issuer '%s': the chain it sent verifies to the declared CA (%s)",
                        cert->issuer ? cert->issuer : "?", ca);
        } else if (t->declared_ca == TLS_CA_DOES_NOT_CHAIN) {
            bad = 1;
            examined++;
            cr_evidence(res, label,
                        "issuer '%s': the chain it sent does not verify to the declared CA "
                        "(%s): %s",
                        cert->issuer ? cert->issuer : "?", ca,
                        t->declared_ca_detail ? t->declared_ca_detail : "");
            sb_printf(&fails, "%s%s", fails.len ? ", " : "", label);
        } else {
            unsure = 1;
            cr_evidence(res, label, "chain not checked against the declared CA: %s",
                        t->declared_ca_detail ? t->declared_ca_detail
                                              : "the TLS step recorded no result");
            sb_printf(&unk, "%s%s", unk.len ? ", " : "", label);
        }
    }
    if (bad)
        cr_set(res, V_FAIL, "Certificates that do not chain to the declared CA on %s.", fails.buf);
    else if (unsure)
        cr_set(res, V_INCONCLUSIVE, "Certificate chains not checked against a declared CA on %s.",
               unk.buf);
    else if (examined == 0)
        cr_set(res, V_PASS,
               "The TLS services authenticate with pre-shared keys; no certificate is in use.");
    else
        cr_set(res, V_PASS, "%d certificate chain%s verify to the declared CA.", examined,
               examined == 1 ? "" : "s");
    sb_free(&fails);
    sb_free(&unk);
}

static void chain_judge(struct run *r, const struct check *c, struct check_result *res)
{
    chain_judge_rule(r, c, res);
    judge_close(r, res);
}

const struct probe probe_tls_chain = {
    .name = "tls.chain",
    .summary = "Server certificates chain to the CA the declaration names",
    .rule =
        "The chain each TLS service sends (read as for tls.certificate) is verified with mbedTLS "
        "against the PEM certificates of the declaration's `tls.ca_file` alone (not the system "
        "store; dates checked, no host name): FAIL when a chain does not verify to them. "
        "INCONCLUSIVE without `tls.ca_file`, or when a certificate was not read. A DTLS service "
        "with pre-shared keys only has no chain.",
    .flags = 0,
    .params = NULL,
    .gatherer = &gatherer_tls,
    .judge = chain_judge,
};

static const struct probe_param tls_client_auth_params[] = {
    {"services", "[https]", "identified service names that are management interfaces"},
    {"purposes", "[admin, manage, config, maintenance, setup]",
     "a declared service whose purpose contains one of these words is a management interface"},
    {NULL, NULL, NULL}};

/* Is service s a management interface: its name in `services`, or its declared purpose says so? */
static int is_management(const struct check *c, const struct service *s)
{
    const struct ynode *pl = check_param(c, "purposes");
    static const char *const dflt[] = {"admin", "manage", "config", "maintenance", "setup", NULL};

    if (check_param_in_list(c, "services", s->name, 0))
        return 1;
    if (!s->decl || !s->decl->purpose)
        return 0;
    if (pl && pl->type == Y_SEQ) {
        for (size_t i = 0; i < pl->n; i++)
            if (pl->items[i]->type == Y_SCALAR && strcasestr(s->decl->purpose, pl->items[i]->value))
                return 1;
        return 0;
    }
    for (const char *const *w = dflt; *w; w++)
        if (strcasestr(s->decl->purpose, *w))
            return 1;
    return 0;
}

static void client_auth_judge_rule(struct run *r, const struct check *c, struct check_result *res)
{
    size_t count;
    int bad = 0, unsure = 0, examined = 0;
    char label[32];
    struct strbuf fails, unk;

    if (!judge_scope(r, res, &count))
        return;
    sb_init(&fails);
    sb_init(&unk);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct tls_facts *t = tls_facts(r, i);

        if (!t)
            continue;
        service_label(r->services[i], label, sizeof(label));
        if (!is_management(c, r->services[i])) {
            cr_evidence(res, label,
                        "%s: not a management interface (name not in `services`, declared "
                        "purpose '%s')",
                        r->services[i]->name,
                        r->services[i]->decl && r->services[i]->decl->purpose
                            ? r->services[i]->decl->purpose
                            : "none");
            continue;
        }
        if (t->authentication == TLS_AUTH_PSK) {
            examined++;
            cr_evidence(res, label, "DTLS with pre-shared keys only: both ends prove the key");
        } else if (t->client_certificate == TLS_CLIENT_CERT_REQUESTED) {
            examined++;
            cr_evidence(res, label, "the server asks for a client certificate (%s)",
                        sp_str_or(t->client_certificate_detail, "(null)"));
        } else if (t->client_certificate == TLS_CLIENT_CERT_NOT_REQUESTED) {
            bad = 1;
            examined++;
            cr_evidence(res, label, "management over TLS without a client certificate: %s",
                        sp_str_or(t->client_certificate_detail, "(null)"));
            sb_printf(&fails, "%s%s", fails.len ? ", " : "", label);
        } else {
            unsure = 1;
            cr_evidence(res, label, "whether a client certificate is requested is unknown: %s",
                        t->client_certificate_detail ? t->client_certificate_detail
                                                     : "no version was accepted");
            sb_printf(&unk, "%s%s", unk.len ? ", " : "", label);
        }
    }
    if (bad)
        cr_set(res, V_FAIL,
               "TLS management interfaces that do not request a client certificate: %s.",
               fails.buf);
    else if (unsure)
        cr_set(res, V_INCONCLUSIVE, "Client authentication not determined on %s.", unk.buf);
    else if (examined == 0)
        cr_set(res, V_NOT_APPLICABLE, "None of the %zu TLS services is a management interface.",
               count);
    else
        cr_set(res, V_PASS, "%d TLS management interface%s request a client certificate or a PSK.",
               examined, examined == 1 ? "" : "s");
    sb_free(&fails);
    sb_free(&unk);
}

static void client_auth_judge(struct run *r, const struct check *c, struct check_result *res)
{
    client_auth_judge_rule(r, c, res);
    judge_close(r, res);
}

const struct probe probe_tls_client_auth = {
    .name = "tls.client_auth",
    .summary = "TLS management interfaces request a client certificate",
    .rule =
        "For every TLS/DTLS service that is a management interface (its identified name in "
        "`services`, or its declared purpose containing a word of `purposes`): the server's first "
        "flight of TLS <= 1.2 read to ServerHelloDone, or a TLS 1.3 handshake completed with "
        "OpenSSL, must carry a CertificateRequest (DTLS with pre-shared keys only counts as "
        "mutual). "
        "FAIL when one does not; INCONCLUSIVE when no flight was read to its end. A server that "
        "asks but does not insist is not told apart (the request is what is seen).",
    .flags = 0,
    .params = tls_client_auth_params,
    .gatherer = &gatherer_tls,
    .judge = client_auth_judge,
};
