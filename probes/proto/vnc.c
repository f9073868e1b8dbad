/*
 * vnc.c - the VNC (RFB, RFC 6143) handler. No login slot yet.
 *
 * Without credentials (auth.unauthenticated): read the server's version,
 * answer with the version the server speaks (vnc_build_version), read the
 * security types it offers and stop there, before choosing one. None (1)
 * offered is a desktop anyone can take; only VNC authentication (or other
 * types that authenticate the user) is protected. VeNCrypt (19) is decided
 * by its sub-types, read on a second connection that chooses it (TLSNone
 * and X509None authenticate nobody), and Tight (16) by the authentication
 * codes it lists on a connection that chooses it (none listed, or code 1,
 * is no authentication); any other type whose own negotiation could still
 * offer no authentication (anonymous TLS, unknown types) leaves the service
 * undecided.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "run.h"
#include "tlsconn.h"
#include "util.h"
#include "vnc_wire.h"

struct vnc_need {
    int stage;      /* 0 version, 1 security (minor), 2 VeNCrypt version, 3 VeNCrypt sub-types, 4 Tight caps */
    int minor;
};

static int vnc_done(const uint8_t *buf, size_t len, void *arg)
{
    const struct vnc_need *n = arg;
    struct vnc_security sec;
    uint32_t sub[8];
    size_t ns, used;
    int a, b;

    switch (n->stage) {
    case 0:
        return vnc_parse_version(buf, len, &a, &b) != 0;
    case 1:
        return vnc_parse_security(buf, len, n->minor, &sec) != 0;
    case 2:
        return len >= 2;
    case 3:
        return vnc_parse_vencrypt_subtypes(buf, len, sub, SP_ARRAY_LEN(sub), &ns) != 0;
    default:
        return vnc_parse_tight_caps(buf, len, NULL, 0, &ns, &used) != 0;
    }
}

/* Read one handshake step into buf; the bytes read, or a negative sp_err. */
static ssize_t vnc_read(struct tls_stream *c, uint8_t *buf, size_t cap, int64_t dl, int stage, int minor)
{
    struct vnc_need need = {stage, minor};
    ssize_t n = tls_stream_recv_until(c, buf, cap, dl, vnc_done, &need);

    return n == 0 ? SP_ERR_TIMEOUT : n;
}

/*
 * Open, read the version, answer it and read the security message. 0 with
 * sec filled, or a negative sp_err with why set.
 */
static int vnc_offer(struct run *r, const struct service *s, int tls, int64_t op_ms,
                     struct tls_stream *c, struct vnc_security *sec, int *major, int *minor,
                     int *used, char *why, size_t whycap)
{
    uint8_t buf[1024], ans[12];
    int64_t dl = run_op_deadline(r, op_ms);
    ssize_t n;
    int rc;

    rc = tls_stream_open(c, &r->target, s->port, tls, dl, why, whycap);
    if (rc != 0)
        return rc;
    n = vnc_read(c, buf, sizeof(buf), dl, 0, 0);
    if (n < 0) {
        snprintf(why, whycap, "no RFB version: %s", net_strerror((int)n));
        return (int)n;
    }
    if (vnc_parse_version(buf, (size_t)n, major, minor) != 1) {
        char *p = sp_printable(buf, (size_t)n < 40 ? (size_t)n : 40, 60);
        snprintf(why, whycap, "not an RFB version: '%s'", p);
        free(p);
        return SP_ERR_PARSE;
    }
    *used = vnc_build_version(ans, *major, *minor);
    rc = tls_stream_send(c, ans, sizeof(ans), dl);
    n = rc == 0 ? vnc_read(c, buf, sizeof(buf), dl, 1, *used) : rc;
    if (n < 0) {
        snprintf(why, whycap, "no security types after RFB 3.%d: %s", *used, net_strerror((int)n));
        return (int)n;
    }
    if (vnc_parse_security(buf, (size_t)n, *used, sec) != 1) {
        snprintf(why, whycap, "a security message that cannot be read (%zd bytes)", n);
        return SP_ERR_PARSE;
    }
    return 0;
}

/* A second connection choosing VeNCrypt: its sub-types into sub. 0, or a negative sp_err with why. */
static int vnc_vencrypt(struct run *r, const struct service *s, int tls, int64_t op_ms, uint32_t *sub,
                        size_t cap, size_t *nsub, char *why, size_t whycap)
{
    struct tls_stream c = TLS_STREAM_INIT;
    struct vnc_security sec;
    uint8_t buf[512], pick = VNC_SEC_VENCRYPT, ver[2] = {0, 2};
    int major, minor, used = 3, rc;
    int64_t dl;
    ssize_t n;

    rc = vnc_offer(r, s, tls, op_ms, &c, &sec, &major, &minor, &used, why, whycap);
    if (rc == 0 && used < 7) {
        snprintf(why, whycap, "RFB 3.3 lets the server choose, not the client");
        rc = SP_ERR_PARSE;
    }
    dl = run_op_deadline(r, op_ms);
    if (rc == 0)
        rc = tls_stream_send(&c, &pick, 1, dl);
    if (rc == 0) {
        n = vnc_read(&c, buf, sizeof(buf), dl, 2, used);
        if (n < 2 || buf[0] != 0 || buf[1] < 2) {
            snprintf(why, whycap, "no VeNCrypt version 0.2 from the server");
            rc = SP_ERR_PARSE;
        }
    }
    if (rc == 0)
        rc = tls_stream_send(&c, ver, 2, dl);
    if (rc == 0) {
        n = vnc_read(&c, buf, sizeof(buf), dl, 3, used);
        if (n <= 0 || vnc_parse_vencrypt_subtypes(buf, (size_t)n, sub, cap, nsub) != 1) {
            snprintf(why, whycap, "no VeNCrypt sub-types (%s)", n < 0 ? net_strerror((int)n) : "refused");
            rc = SP_ERR_PARSE;
        }
    }
    tls_stream_close(&c);
    return rc;
}

/*
 * A third connection choosing Tight: no tunnel, then its authentication
 * codes into codes. 0 with *n set, or a negative sp_err with why.
 */
static int vnc_tight(struct run *r, const struct service *s, int tls, int64_t op_ms, uint32_t *codes,
                     size_t cap, size_t *n, char *why, size_t whycap)
{
    struct tls_stream c = TLS_STREAM_INIT;
    struct vnc_security sec;
    uint8_t buf[2048], pick = 16, notunnel[4] = {0, 0, 0, 0};
    int major, minor, used = 3, rc;
    size_t ntun = 0, took = 0;
    int64_t dl;
    ssize_t got;

    rc = vnc_offer(r, s, tls, op_ms, &c, &sec, &major, &minor, &used, why, whycap);
    if (rc == 0 && used < 7) {
        snprintf(why, whycap, "RFB 3.3 lets the server choose, not the client");
        rc = SP_ERR_PARSE;
    }
    dl = run_op_deadline(r, op_ms);
    if (rc == 0)
        rc = tls_stream_send(&c, &pick, 1, dl);
    if (rc == 0) {
        got = vnc_read(&c, buf, sizeof(buf), dl, 4, used);
        if (got <= 0 || vnc_parse_tight_caps(buf, (size_t)got, NULL, 0, &ntun, &took) != 1) {
            snprintf(why, whycap, "no Tight tunnel list (%s)", got < 0 ? net_strerror((int)got) : "unreadable");
            rc = SP_ERR_PARSE;
        } else if ((size_t)got > took) {
            /* The authentication list may come in the same read when there is no tunnel to choose. */
            memmove(buf, buf + took, (size_t)got - took);
            took = (size_t)got - took;
        } else {
            took = 0;
        }
    }
    if (rc == 0 && ntun > 0) {
        rc = tls_stream_send(&c, notunnel, sizeof(notunnel), dl);
        took = 0;
    }
    if (rc == 0) {
        size_t u;
        got = took;
        if (vnc_parse_tight_caps(buf, took, codes, cap, n, &u) == 0) {
            ssize_t more = vnc_read(&c, buf + took, sizeof(buf) - took, dl, 4, used);
            got = more > 0 ? (ssize_t)took + more : more;
        }
        if (got <= 0 || vnc_parse_tight_caps(buf, (size_t)got, codes, cap, n, &u) != 1) {
            snprintf(why, whycap, "no Tight authentication list (%s)",
                     got < 0 ? net_strerror((int)got) : "unreadable");
            rc = SP_ERR_PARSE;
        }
    }
    tls_stream_close(&c);
    return rc;
}

static void vnc_seen(struct run *r, struct service *s, int tls, const struct check *c,
                     struct unauth_facts *items, struct vnc_facts *facts)
{
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    struct tls_stream conn = TLS_STREAM_INIT;
    struct vnc_security sec;
    struct strbuf offered;
    uint32_t sub[16], tight[16];
    size_t nsub = 0, nt = 0;
    long ntight = -1;
    char why[200], decided[200];
    int major = 0, minor = 0, used = 3, has_vencrypt = 0, has_tight = 0;

    if (vnc_offer(r, s, tls, op_ms, &conn, &sec, &major, &minor, &used, why, sizeof(why)) != 0) {
        tls_stream_close(&conn);
        unauth_item(items, "security", "types", "undecided", "%s", why);
        return;
    }
    tls_stream_close(&conn);
    facts->has_version = 1;
    facts->rfb_major = major;
    facts->rfb_minor = minor;
    if (sec.failed) {
        unauth_item(items, "security", "types", "undecided",
                    "RFB %d.%d: the server refused the connection: '%s'", major, minor, sec.reason);
        return;
    }
    sb_init(&offered);
    facts->has_types = 1;
    for (size_t i = 0; i < sec.ntypes; i++) {
        longv_add(&facts->security_types, sec.types[i]);
        sb_printf(&offered, "%s%s (%u)", offered.len ? ", " : "", vnc_type_name(sec.types[i]),
                  sec.types[i]);
        has_vencrypt |= sec.types[i] == VNC_SEC_VENCRYPT;
        has_tight |= sec.types[i] == 16;
    }
    if (has_vencrypt && memchr(sec.types, VNC_SEC_NONE, sec.ntypes) == NULL) {
        if (vnc_vencrypt(r, s, tls, op_ms, sub, SP_ARRAY_LEN(sub), &nsub, why, sizeof(why)) == 0) {
            facts->has_vencrypt = 1;
            sb_add(&offered, "; VeNCrypt sub-types");
            for (size_t i = 0; i < nsub; i++) {
                longv_add(&facts->vencrypt_subtypes, (long)sub[i]);
                sb_printf(&offered, "%s %s (%u)", i ? "," : "", vnc_type_name(sub[i]), (unsigned)sub[i]);
            }
        } else {
            sb_printf(&offered, "; VeNCrypt sub-types not read: %s", why);
            nsub = 0;
        }
    }
    if (has_tight && memchr(sec.types, VNC_SEC_NONE, sec.ntypes) == NULL) {
        if (vnc_tight(r, s, tls, op_ms, tight, SP_ARRAY_LEN(tight), &nt, why, sizeof(why)) == 0) {
            facts->has_tight = 1;
            ntight = (long)(nt < SP_ARRAY_LEN(tight) ? nt : SP_ARRAY_LEN(tight));
            sb_printf(&offered, "; Tight authentication codes [");
            for (long i = 0; i < ntight; i++) {
                longv_add(&facts->tight_auth, (long)tight[i]);
                sb_printf(&offered, "%s%u", i ? ", " : "", (unsigned)tight[i]);
            }
            sb_add(&offered, "]");
        } else {
            sb_printf(&offered, "; Tight's list not read: %s", why);
        }
    }
    switch (vnc_classify(sec.types, sec.ntypes, nsub ? sub : NULL, nsub, tight, ntight, decided,
                         sizeof(decided))) {
    case VNC_OPEN:
        facts->decided = facts->no_authentication = 1;
        unauth_item(items, "security", "types", "open",
                    "RFB %d.%d offers %s: %s needs no password, anyone can take the screen",
                    major, minor, offered.buf, decided);
        break;
    case VNC_PROTECTED:
        facts->decided = 1;
        unauth_item(items, "security", "types", "protected", "RFB %d.%d offers %s: %s", major, minor,
                    offered.buf, decided);
        break;
    default:
        unauth_item(items, "security", "types", "undecided", "RFB %d.%d offers %s: %s", major, minor,
                    offered.buf, decided);
        break;
    }
    sb_free(&offered);
}

/* The unauth slot: vnc_seen, its facts set on the service whatever path it ended by. */
static void vnc_unauth(struct run *r, struct service *s, int tls, const struct check *c,
                       struct unauth_facts *items)
{
    struct vnc_facts *f = vnc_facts_new();

    vnc_seen(r, s, tls, c, items, f);
    run_set_vnc_facts(r, s, f);
}

static const char *const vnc_names[] = {"vnc", NULL};

const struct proto proto_vnc = {
    .name = "vnc",
    .names = vnc_names,
    /* Its greeting is the RFB version line the scan recorded, and nothing else. */
    .flags = PROTO_QUIET_BEFORE_LOGIN,
    .no_login = "starprobe has no VNC login module yet",
    .unauth = vnc_unauth,
    .facts_key = "vnc",
};
