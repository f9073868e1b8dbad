/*
 * coap_client.c - the CoAP client of coap_client.h on libcoap 4.3.1. Owns,
 * per session, one libcoap context and the one client session in it, the
 * state of the GET in flight, and the body being reassembled; owns, for the
 * process, the libcoap start-up and the mutex every libcoap call holds.
 *
 * libcoap does the protocol: confirmable messages and their retransmission,
 * empty ACKs and separate responses, Block2 (COAP_BLOCK_USE_LIBCOAP asks for
 * the next block itself) and the DTLS handshake. Deliberately not
 * COAP_BLOCK_SINGLE_BODY: with it libcoap allocates the size the server
 * announces in Size2 up front and hands the body over only at the end, so a
 * device could make us allocate gigabytes and no cap of ours could apply.
 * Block by block, each block comes to the response handler here and is
 * appended under our caps (spcoap_body_add); past a cap we stop waiting.
 *
 * Waiting: libcoap 4.3.1 here is built with epoll, so a context has one
 * descriptor that becomes readable for socket data and for its own timers
 * (retransmission, DTLS). We poll that descriptor with the time left before
 * the deadline, without the mutex, and then let libcoap process what is ready
 * with COAP_IO_NO_WAIT under the mutex. A build without epoll would fall back
 * to short coap_io_process timeouts under the mutex.
 */
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <coap3/coap.h>

#include "coap_client.h"
#include "starprobe.h"
#include "util.h"

#define SPCOAP_TOKEN_LEN 8
#define SPCOAP_MAX_OPTS 64
/* Without epoll, one coap_io_process may hold the mutex this long while it waits. */
#define SPCOAP_SLICE_MS 50

/* The GET in flight. */
struct spcoap_req {
    uint8_t token[SPCOAP_TOKEN_LEN];
    size_t tokenlen;
    int active, done, rc;
    int answered;               /* a response (of any code) has arrived */
    uint8_t code;
    struct spcoap_body body;
    const struct spcoap_limits *lim;
    int64_t progress;           /* when the last block arrived (sp_now_ms) */
};

struct spcoap {
    /* what to connect to, kept so that a session can be started again */
    coap_address_t dst;
    enum spcoap_security sec;
    char *identity;
    uint8_t *key;
    size_t keylen;
    /* the libcoap session of the moment */
    coap_context_t *ctx;
    coap_session_t *sess;
    int dtls;
    int connected;              /* the DTLS handshake finished */
    int failed;                 /* the session ended: an sp_err */
    int stale;                  /* libcoap is still fetching blocks of a transfer we stopped */
    char why[128];
    struct spcoap_req req;
};

static pthread_mutex_t lib_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

/* libcoap writes nothing to our stderr: the report is where findings go. */
static void log_nothing(coap_log_t level, const char *message)
{
    (void)level;
    (void)message;
}

static void lib_init(void)
{
    coap_startup();
    coap_set_log_handler(log_nothing);
    coap_set_log_level(LOG_EMERG);
    coap_dtls_set_log_level(LOG_EMERG);
}

static void set_why(struct spcoap *c, const char *why)
{
    sp_strlcpy(c->why, why, sizeof(c->why));
}

/* ---- pure parts ---- */

int spcoap_path_split(const char *path, struct spcoap_opt *opts, size_t max)
{
    const char *p = path, *q = strchr(path, '?');
    const char *pend = q ? q : path + strlen(path);
    size_t n = 0;

    while (p < pend && *p == '/')
        p++;
    while (p < pend) {
        const char *e = memchr(p, '/', (size_t)(pend - p));
        if (!e)
            e = pend;
        if ((size_t)(e - p) > 255 || n == max)
            return SP_ERR_USAGE;
        opts[n++] = (struct spcoap_opt){COAP_OPTION_URI_PATH, p, (size_t)(e - p)};
        p = e < pend ? e + 1 : e;
    }
    if (q) {
        p = q + 1;
        while (*p) {
            const char *e = strchr(p, '&');
            if (!e)
                e = p + strlen(p);
            if ((size_t)(e - p) > 255)
                return SP_ERR_USAGE;
            if (e > p) {
                if (n == max)
                    return SP_ERR_USAGE;
                opts[n++] = (struct spcoap_opt){COAP_OPTION_URI_QUERY, p, (size_t)(e - p)};
            }
            p = *e ? e + 1 : e;
        }
    }
    return (int)n;
}

static size_t lim_bytes(const struct spcoap_limits *lim)
{
    return lim && lim->max_bytes ? lim->max_bytes : SPCOAP_DEFAULT_MAX_BYTES;
}

static unsigned lim_blocks(const struct spcoap_limits *lim)
{
    return lim && lim->max_blocks ? lim->max_blocks : SPCOAP_DEFAULT_MAX_BLOCKS;
}

int spcoap_body_add(struct spcoap_body *b, const struct spcoap_limits *lim, size_t offset,
                    const uint8_t *data, size_t len, int more, int blockwise)
{
    size_t maxb = lim_bytes(lim), keep;

    if (blockwise)
        b->blocks++;
    if (offset < b->len) {
        /*
         * A block we have: a retransmission when its bytes are the ones kept
         * (libcoap hands duplicates over too), else, at offset 0, the server
         * starting the body again (libcoap restarts when the ETag changes).
         */
        if (len <= b->len - offset && (len == 0 || memcmp(b->buf + offset, data, len) == 0)) {
            if (b->blocks >= lim_blocks(lim)) {
                b->truncated = 1;
                return 1;
            }
            return 0;
        }
        if (offset == 0)
            b->len = 0;
    }
    if (offset != b->len) {
        b->truncated = 1;           /* a gap: not the block that was asked for */
        return 1;
    }
    keep = len <= maxb - b->len ? len : maxb - b->len;
    if (b->len + keep + 1 > b->alloc) {
        size_t want = b->alloc ? b->alloc : 2048;
        uint8_t *nb;
        while (want < b->len + keep + 1)
            want *= 2;
        if (want > maxb + 1)
            want = maxb + 1;
        nb = realloc(b->buf, want);
        if (!nb)
            return SP_ERR_NOMEM;
        b->buf = nb;
        b->alloc = want;
    }
    if (keep)
        memcpy(b->buf + b->len, data, keep);
    b->len += keep;
    b->buf[b->len] = 0;
    if (keep < len) {
        b->truncated = 1;
        return 1;
    }
    if (!more) {
        b->complete = 1;
        return 1;
    }
    if (b->len >= maxb || b->blocks >= lim_blocks(lim)) {
        b->truncated = 1;
        return 1;
    }
    return 0;
}

void spcoap_body_free(struct spcoap_body *b)
{
    free(b->buf);
    memset(b, 0, sizeof(*b));
}

/* ---- libcoap callbacks (called inside coap_io_process, under lib_lock) ---- */

static int token_is(const struct spcoap_req *q, coap_bin_const_t t)
{
    return t.length == q->tokenlen && memcmp(t.s, q->token, q->tokenlen) == 0;
}

static coap_response_t on_response(coap_session_t *session, const coap_pdu_t *sent,
                                   const coap_pdu_t *received, const coap_mid_t mid)
{
    struct spcoap *c = coap_session_get_app_data(session);
    struct spcoap_req *q = c ? &c->req : NULL;
    const uint8_t *data = NULL;
    size_t len = 0, offset = 0, total = 0;
    coap_block_t blk;
    int blockwise, more = 0, rc;

    (void)sent;
    (void)mid;
    /* A late answer to an earlier GET (or to a transfer we stopped) is not this one's. */
    if (!q || !q->active || q->done || !token_is(q, coap_pdu_get_token(received)))
        return COAP_RESPONSE_OK;
    q->answered = 1;
    q->code = (uint8_t)coap_pdu_get_code(received);
    if (!coap_get_data_large(received, &len, &data, &offset, &total)) {
        len = 0;
        offset = 0;
    }
    memset(&blk, 0, sizeof(blk));
    blockwise = coap_get_block(received, COAP_OPTION_BLOCK2, &blk) != 0;
    more = blockwise && blk.m;
    /* Only a 2.xx body is sequenced: libcoap stops asking for blocks after any other code. */
    if (COAP_RESPONSE_CLASS(q->code) != 2)
        more = 0;
    rc = spcoap_body_add(&q->body, q->lim, offset, data, len, more, blockwise);
    q->progress = sp_now_ms();
    if (rc != 0) {
        q->done = 1;
        q->rc = rc < 0 ? rc : 0;
    }
    return COAP_RESPONSE_OK;
}

/*
 * Whether a failed request was ours: the first request carries our token;
 * libcoap's requests for the following blocks carry its own tokens, so for
 * those the Block2 number asked for must be the next one we expect.
 */
static int nack_is_ours(const struct spcoap_req *q, const coap_pdu_t *sent)
{
    coap_block_t blk;

    if (!sent)
        return 1;
    if (token_is(q, coap_pdu_get_token(sent)))
        return 1;
    if (q->body.blocks > 0 && coap_get_block(sent, COAP_OPTION_BLOCK2, &blk))
        return blk.num == q->body.blocks;
    return 0;
}

static void on_nack(coap_session_t *session, const coap_pdu_t *sent, const coap_nack_reason_t reason,
                    const coap_mid_t mid)
{
    struct spcoap *c = coap_session_get_app_data(session);
    struct spcoap_req *q = c ? &c->req : NULL;
    int rc;
    const char *why;

    (void)mid;
    if (!c)
        return;
    switch (reason) {
    case COAP_NACK_RST:
        rc = SP_ERR_REFUSED;
        why = "reset (RST)";
        break;
    case COAP_NACK_ICMP_ISSUE:
        rc = SP_ERR_REFUSED;
        why = "port unreachable (ICMP)";
        break;
    case COAP_NACK_TLS_FAILED:
        rc = SP_ERR_CLOSED;
        why = "the DTLS session failed";
        break;
    case COAP_NACK_NOT_DELIVERABLE:
        rc = SP_ERR_IO;
        why = "not deliverable";
        break;
    case COAP_NACK_TOO_MANY_RETRIES:
    default:
        rc = SP_ERR_TIMEOUT;
        why = "no answer after every retransmission";
        break;
    }
    /* The session-wide failures end the session, whoever's request carried them. */
    if (reason == COAP_NACK_ICMP_ISSUE || reason == COAP_NACK_TLS_FAILED) {
        c->failed = rc;
        set_why(c, why);
    }
    if (q->active && !q->done && (c->failed || nack_is_ours(q, sent))) {
        q->done = 1;
        /* Blocks already in are evidence: keep them, marked as cut short. */
        if (q->answered) {
            q->body.truncated = 1;
            q->rc = 0;
        } else {
            q->rc = rc;
        }
        set_why(c, why);
    }
}

static int on_event(coap_session_t *session, const coap_event_t event)
{
    struct spcoap *c = coap_session_get_app_data(session);

    if (!c)
        return 0;
    switch (event) {
    case COAP_EVENT_DTLS_CONNECTED:
        c->connected = 1;
        break;
    case COAP_EVENT_DTLS_ERROR:
        if (!c->failed) {
            c->failed = SP_ERR_REFUSED;
            set_why(c, c->connected ? "a DTLS error" : "a fatal alert or error during the handshake");
        }
        break;
    case COAP_EVENT_DTLS_CLOSED:
    case COAP_EVENT_SESSION_CLOSED:
    case COAP_EVENT_SESSION_FAILED:
        if (!c->failed) {
            c->failed = c->connected ? SP_ERR_CLOSED : SP_ERR_REFUSED;
            set_why(c, c->connected ? "the DTLS session was closed"
                                    : "the server closed the handshake");
        }
        break;
    default:
        break;
    }
    if (c->failed && c->req.active && !c->req.done) {
        c->req.done = 1;
        c->req.rc = c->req.answered ? 0 : c->failed;
        if (c->req.answered)
            c->req.body.truncated = 1;
    }
    return 0;
}

/* ---- waiting ---- */

/*
 * Run libcoap until *flag is set, the session fails, or the deadline (or,
 * when idle_ms > 0, idle_ms after *since) passes. 0 when *flag was set.
 */
static int run_until(struct spcoap *c, const int *flag, int64_t deadline, int idle_ms,
                     const int64_t *since)
{
    int fd;

    pthread_mutex_lock(&lib_lock);
    fd = coap_context_get_coap_fd(c->ctx);
    pthread_mutex_unlock(&lib_lock);
    for (;;) {
        int64_t dl = deadline;
        int left;

        pthread_mutex_lock(&lib_lock);
        coap_io_process(c->ctx, COAP_IO_NO_WAIT);
        pthread_mutex_unlock(&lib_lock);
        if (*flag)
            return 0;
        if (c->failed)
            return c->failed;
        if (idle_ms > 0 && since && *since + idle_ms < dl)
            dl = *since + idle_ms;
        left = sp_ms_left(dl);
        if (left <= 0)
            return SP_ERR_TIMEOUT;
        if (fd >= 0) {
            struct pollfd pfd = {.fd = fd, .events = POLLIN};
            (void)poll(&pfd, 1, left);
        } else {
            pthread_mutex_lock(&lib_lock);
            coap_io_process(c->ctx, (uint32_t)(left < SPCOAP_SLICE_MS ? left : SPCOAP_SLICE_MS));
            pthread_mutex_unlock(&lib_lock);
        }
    }
}

/* ---- the API ---- */

/* Drop the libcoap context and session (and with them anything libcoap still had in flight). */
static void disconnect(struct spcoap *c)
{
    pthread_mutex_lock(&lib_lock);
    if (c->sess) {
        coap_session_set_app_data(c->sess, NULL);
        coap_session_release(c->sess);
    }
    if (c->ctx)
        coap_free_context(c->ctx);
    pthread_mutex_unlock(&lib_lock);
    c->sess = NULL;
    c->ctx = NULL;
    c->connected = 0;
    c->failed = 0;
    c->stale = 0;
}

/* A fresh libcoap context and session to c->dst; for DTLS, the handshake finished by deadline. */
static int connect_session(struct spcoap *c, int64_t deadline)
{
    int rc = 0;

    pthread_mutex_lock(&lib_lock);
    c->ctx = coap_new_context(NULL);
    if (!c->ctx) {
        rc = SP_ERR_NOMEM;
        set_why(c, "cannot create a libcoap context");
        goto unlock;
    }
    coap_context_set_block_mode(c->ctx, COAP_BLOCK_USE_LIBCOAP);
    coap_register_response_handler(c->ctx, on_response);
    coap_register_nack_handler(c->ctx, on_nack);
    coap_register_event_handler(c->ctx, on_event);
    if (c->dtls && !coap_dtls_is_supported()) {
        rc = SP_ERR_INTERNAL;
        set_why(c, "libcoap was built without DTLS");
        goto unlock;
    }
    if (c->sec == SPCOAP_UDP) {
        c->sess = coap_new_client_session(c->ctx, NULL, &c->dst, COAP_PROTO_UDP);
    } else if (c->sec == SPCOAP_DTLS_PSK) {
        coap_dtls_cpsk_t cpsk;
        memset(&cpsk, 0, sizeof(cpsk));
        cpsk.version = COAP_DTLS_CPSK_SETUP_VERSION;
        cpsk.psk_info.identity.s = (const uint8_t *)c->identity;
        cpsk.psk_info.identity.length = strlen(c->identity);
        cpsk.psk_info.key.s = c->key;
        cpsk.psk_info.key.length = c->keylen;
        c->sess = coap_new_client_session_psk2(c->ctx, NULL, &c->dst, COAP_PROTO_DTLS, &cpsk);
    } else {
        /*
         * PKI without a certificate of our own and without verifying the
         * server's: the question is only whether the server lets a client
         * it knows nothing about finish the handshake.
         */
        coap_dtls_pki_t pki;
        memset(&pki, 0, sizeof(pki));
        pki.version = COAP_DTLS_PKI_SETUP_VERSION;
        pki.verify_peer_cert = 0;
        pki.allow_self_signed = 1;
        pki.allow_expired_certs = 1;
        pki.allow_bad_md_hash = 1;
        pki.allow_short_rsa_length = 1;
        pki.pki_key.key_type = COAP_PKI_KEY_PEM;
        c->sess = coap_new_client_session_pki(c->ctx, NULL, &c->dst, COAP_PROTO_DTLS, &pki);
    }
    if (!c->sess) {
        rc = c->dtls ? SP_ERR_REFUSED : SP_ERR_IO;
        set_why(c, c->dtls ? "the DTLS handshake could not start" : "cannot open a UDP session");
        goto unlock;
    }
    coap_session_set_app_data(c->sess, c);
    /* A lost datagram is sent again after 1-1.5 s instead of 2-3 s: our deadlines are short. */
    coap_session_set_ack_timeout(c->sess, (coap_fixed_point_t){1, 0});
unlock:
    pthread_mutex_unlock(&lib_lock);
    if (rc == 0 && c->dtls) {
        rc = run_until(c, &c->connected, deadline, 0, NULL);
        if (rc == SP_ERR_TIMEOUT)
            set_why(c, "the DTLS handshake did not finish before the deadline");
    }
    return rc;
}

int spcoap_open(struct spcoap **out, const struct sp_target *t, int port, enum spcoap_security sec,
                const struct spcoap_psk *psk, int64_t deadline, char *why, size_t whylen)
{
    struct spcoap *c;
    struct sockaddr_storage ss;
    socklen_t sl;
    int rc;

    if (!out || !t || port <= 0 || port > 65535 || (sec == SPCOAP_DTLS_PSK && (!psk || !psk->identity)))
        return SP_ERR_USAGE;
    pthread_once(&lib_once, lib_init);
    c = calloc(1, sizeof(*c));
    if (!c)
        return SP_ERR_NOMEM;
    c->sec = sec;
    c->dtls = sec != SPCOAP_UDP;
    net_target_sockaddr(t, port, &ss, &sl);
    coap_address_init(&c->dst);
    if ((size_t)sl > sizeof(c->dst.addr)) {
        free(c);
        return SP_ERR_USAGE;
    }
    memcpy(&c->dst.addr, &ss, (size_t)sl);
    c->dst.size = sl;
    if (sec == SPCOAP_DTLS_PSK) {
        c->identity = strdup(psk->identity);
        c->keylen = psk->keylen;
        c->key = malloc(psk->keylen ? psk->keylen : 1);
        if (!c->identity || !c->key) {
            spcoap_close(c);
            return SP_ERR_NOMEM;
        }
        if (psk->keylen)
            memcpy(c->key, psk->key, psk->keylen);
    }
    rc = connect_session(c, deadline);
    if (rc != 0) {
        if (why && whylen)
            sp_strlcpy(why, spcoap_why(c), whylen);
        spcoap_close(c);
        return rc;
    }
    *out = c;
    return 0;
}

int spcoap_get(struct spcoap *c, const char *path, const struct spcoap_limits *lim, int64_t deadline,
               struct spcoap_reply *out)
{
    struct spcoap_opt opts[SPCOAP_MAX_OPTS];
    struct spcoap_req *q = &c->req;
    coap_pdu_t *pdu;
    int nopt, rc;

    memset(out, 0, sizeof(*out));
    if (c->failed)
        return c->failed;
    nopt = spcoap_path_split(path, opts, SPCOAP_MAX_OPTS);
    if (nopt < 0) {
        set_why(c, "a path segment over 255 bytes");
        return nopt;
    }
    /*
     * A transfer we stopped at a cap is still running inside libcoap: it asked
     * for the next block before handing us this one and cannot be told to
     * stop. Only a fresh session (for DTLS a new handshake) ends it, so the
     * device is not kept sending blocks nobody reads.
     */
    if (c->stale) {
        disconnect(c);
        rc = connect_session(c, deadline);
        if (rc != 0) {
            c->failed = rc;
            return rc;
        }
    }
    spcoap_body_free(&q->body);
    memset(q, 0, sizeof(*q));
    q->lim = lim;

    pthread_mutex_lock(&lib_lock);
    pdu = coap_new_pdu(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, c->sess);
    if (!pdu) {
        pthread_mutex_unlock(&lib_lock);
        return SP_ERR_NOMEM;
    }
    coap_session_new_token(c->sess, &q->tokenlen, q->token);
    rc = coap_add_token(pdu, q->tokenlen, q->token) ? 0 : SP_ERR_NOMEM;
    for (int i = 0; i < nopt && rc == 0; i++)
        if (!coap_add_option(pdu, opts[i].number, opts[i].len, (const uint8_t *)opts[i].s))
            rc = SP_ERR_USAGE;
    if (rc != 0) {
        coap_delete_pdu(pdu);
        pthread_mutex_unlock(&lib_lock);
        set_why(c, "the request does not fit a CoAP message");
        return rc;
    }
    q->active = 1;
    q->progress = sp_now_ms();
    if (coap_send(c->sess, pdu) == COAP_INVALID_MID && !q->done) {
        q->done = 1;
        q->rc = c->failed ? c->failed : SP_ERR_IO;
    }
    pthread_mutex_unlock(&lib_lock);

    rc = run_until(c, &q->done, deadline, lim ? lim->reply_ms : 0, &q->progress);
    q->active = 0;
    if (q->answered && !q->body.complete)
        c->stale = 1;
    if (rc == 0)
        rc = q->rc;
    else if (q->answered) {
        /* Out of time or session between blocks: the blocks already in are the answer. */
        q->body.truncated = 1;
        rc = 0;
    } else if (rc == SP_ERR_TIMEOUT) {
        set_why(c, "no answer before the deadline");
    }
    if (rc == 0 && !q->answered)
        rc = SP_ERR_TIMEOUT;
    if (rc != 0) {
        spcoap_body_free(&q->body);
        return rc;
    }
    out->code = q->code;
    out->payload = q->body.buf;
    out->len = q->body.len;
    out->blocks = q->body.blocks;
    out->truncated = q->body.truncated;
    memset(&q->body, 0, sizeof(q->body));
    return 0;
}

void spcoap_reply_free(struct spcoap_reply *r)
{
    if (!r)
        return;
    free(r->payload);
    memset(r, 0, sizeof(*r));
}

const char *spcoap_why(const struct spcoap *c)
{
    return c && c->why[0] ? c->why : "no reason recorded";
}

void spcoap_close(struct spcoap *c)
{
    if (!c)
        return;
    disconnect(c);
    spcoap_body_free(&c->req.body);
    if (c->key && c->keylen)
        memset(c->key, 0, c->keylen);
    free(c->key);
    free(c->identity);
    free(c);
}
