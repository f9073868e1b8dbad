/*
 * adb.c - the Android Debug Bridge handler. adb has no passwords: a device
 * authenticates the host by a signature from an RSA key it accepted before.
 *
 * Without credentials (auth.unauthenticated): send the CONNECT an adb host
 * opens with and read the answer. CNXN back (the device's banner) is a
 * session granted without any key — `adb shell` works for anyone; AUTH
 * (the device wants a signed token) or STLS (adb over TLS with paired keys)
 * is protected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adb_wire.h"
#include "proto.h"
#include "run.h"
#include "tlsconn.h"
#include "util.h"

static void adb_seen(struct run *r, struct service *s, int tls, const struct check *c,
                     struct unauth_facts *items, struct adb_facts *facts)
{
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    int64_t dl = run_op_deadline(r, op_ms);
    struct tls_stream conn = TLS_STREAM_INIT;
    struct adb_msg m;
    uint8_t req[64], buf[1024];
    size_t reqlen = adb_build_cnxn(req, sizeof(req));
    char why[200];
    ssize_t n;
    int rc;

    rc = tls_stream_open(&conn, &r->target, s->port, tls, dl, why, sizeof(why));
    if (rc != 0) {
        unauth_item(items, "session", "CNXN", "undecided", "%s", why);
        return;
    }
    rc = tls_stream_send(&conn, req, reqlen, dl);
    n = rc == 0 ? tls_stream_recv_until(&conn, buf, sizeof(buf), dl, adb_msg_done, NULL) : rc;
    tls_stream_close(&conn);
    if (n <= 0) {
        unauth_item(items, "session", "CNXN", "undecided", "no answer to CNXN: %s",
                    n == 0 ? "nothing before the deadline or close" : net_strerror((int)n));
        return;
    }
    if (adb_parse_msg(buf, (size_t)n, 256, &m) != 1) {
        char *p = sp_printable(buf, (size_t)n < 48 ? (size_t)n : 48, 80);
        unauth_item(items, "session", "CNXN", "undecided", "not an adb message: '%s'", p);
        free(p);
        return;
    }
    if (m.cmd == ADB_CNXN) {
        char *banner = sp_printable(m.data, m.have < 160 ? m.have : 160, 200);
        facts->answered = facts->open = 1;
        facts->banner = xstrdup(banner);
        unauth_item(items, "session", "CNXN", adb_cnxn_result(&m),
                    "CNXN answered with CNXN version 0x%08x, '%s': a session without an authorised "
                    "key (adb shell for anyone)", (unsigned)m.arg0, banner);
        free(banner);
    } else if (m.cmd == ADB_AUTH) {
        facts->answered = 1;
        unauth_item(items, "session", "CNXN", adb_cnxn_result(&m),
                    "CNXN answered with AUTH type %u: the device wants a signature from a key it "
                    "has accepted", (unsigned)m.arg0);
    } else if (m.cmd == ADB_STLS) {
        facts->answered = 1;
        unauth_item(items, "session", "CNXN", adb_cnxn_result(&m),
                    "CNXN answered with STLS version 0x%08x: adb over TLS with paired keys",
                    (unsigned)m.arg0);
    } else {
        unauth_item(items, "session", "CNXN", adb_cnxn_result(&m),
                    "CNXN answered with command 0x%08x, which says nothing about access",
                    (unsigned)m.cmd);
    }
}

/* The unauth slot: adb_seen, its facts set on the service whatever path it ended by. */
static void adb_unauth(struct run *r, struct service *s, int tls, const struct check *c,
                       struct unauth_facts *items)
{
    struct adb_facts *f = adb_facts_new();

    adb_seen(r, s, tls, c, items, f);
    run_set_adb_facts(r, s, f);
}

static const char *const adb_names[] = {"adb", NULL};

const struct proto proto_adb = {
    .name = "adb",
    .names = adb_names,
    /* adb authenticates the host with an RSA key the device has accepted, not a password. */
    .flags = PROTO_NO_PASSWORD | PROTO_QUIET_BEFORE_LOGIN,
    .unauth = adb_unauth,
    .facts_key = "adb",
};
