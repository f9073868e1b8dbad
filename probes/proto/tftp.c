/*
 * tftp.c - the TFTP handler. TFTP (RFC 1350) has no authentication at all:
 * what it serves, it serves to anyone.
 *
 * Without credentials (auth.unauthenticated): a read request, in octet mode,
 * for each of a short list of files a device's configuration or accounts
 * live in. The server answers from a fresh port (its transfer ID): DATA
 * block 1 means the file is served to anyone — only that first block is
 * read, and an ERROR to the server's transfer port ends the transfer;
 * ERROR 1 (file not found) is absent, which alone proves nothing; ERROR 2
 * (access violation) is protected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"
#include "proto.h"
#include "run.h"
#include "tftp_wire.h"
#include "util.h"

/* The files tried when the check names none: configuration and accounts. */
static const char *const tftp_default_files[] = {
    "config", "startup-config", "running-config", "config.cfg", "config.bin", "passwd",
    "/etc/passwd", "shadow"};

/* One RRQ from a fresh socket; the first answer into pk. 0, or a negative sp_err with why. */
static int tftp_ask(struct run *r, const struct service *s, const char *file, int64_t op_ms,
                    uint8_t *buf, size_t cap, struct tftp_packet *pk, char *why, size_t whycap)
{
    uint8_t req[300], stop[64];
    size_t reqlen = tftp_build_rrq(req, sizeof(req), file), stoplen;
    int64_t dl = run_op_deadline(r, op_ms);
    int fd, rc, tid = 0;
    ssize_t n;

    if (reqlen == 0) {
        snprintf(why, whycap, "the file name cannot be put in a request");
        return SP_ERR_USAGE;
    }
    fd = net_udp_open_any(&r->target);
    if (fd < 0) {
        snprintf(why, whycap, "no UDP socket: %s", net_strerror(fd));
        return fd;
    }
    rc = net_sendto_target(fd, &r->target, (int)s->port, req, reqlen);
    for (int tries = 0; rc == 0; tries++) {
        n = net_recvfrom_target_port(fd, &r->target, buf, cap, dl, &tid);
        if (n < 0) {
            rc = (int)n;
            snprintf(why, whycap, "no answer to RRQ %s: %s", file, net_strerror(rc));
            break;
        }
        if (tftp_parse(buf, (size_t)n, pk) == 0)
            break;
        if (tries >= 8) {
            snprintf(why, whycap, "no TFTP packet among the answers to RRQ %s", file);
            rc = SP_ERR_PARSE;
        }
    }
    /* Read no further: the transfer is ended at the server's transfer port. */
    if (rc == 0 && pk->op == TFTP_DATA) {
        stoplen = tftp_build_error(stop, sizeof(stop), 0, "starprobe: only the first block");
        (void)net_sendto_target(fd, &r->target, tid, stop, stoplen);
    }
    close(fd);
    return rc;
}

static void tftp_seen(struct run *r, struct service *s, int tls, const struct check *c,
                      struct unauth_facts *items, struct tftp_facts *facts)
{
    const struct ynode *files = c ? check_param(c, "tftp_files") : NULL;
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    size_t nfiles = files && files->type == Y_SEQ ? files->n : SP_ARRAY_LEN(tftp_default_files);
    uint8_t *buf = xmalloc(2048);
    char why[200];

    (void)tls;
    for (size_t i = 0; i < nfiles && !run_expired(r); i++) {
        const char *file = files && files->type == Y_SEQ
                               ? (files->items[i]->type == Y_SCALAR ? files->items[i]->value : NULL)
                               : tftp_default_files[i];
        struct tftp_packet pk;
        const char *result;
        int rc;

        if (!file || !*file)
            continue;
        rc = tftp_ask(r, s, file, op_ms, buf, 2048, &pk, why, sizeof(why));
        if (rc != 0) {
            unauth_item(items, "file", file, "undecided", "%s", why);
            if (rc == SP_ERR_USAGE)
                continue;
            if (i + 1 < nfiles)
                unauth_item(items, "file", "(the other files)", "undecided",
                            "not asked: no readable answer to RRQ %s", file);
            break;
        }
        result = tftp_rrq_result(&pk);
        if (strcmp(result, "open") == 0) {
            char *ex = sp_printable(pk.data, pk.dlen < 60 ? pk.dlen : 60, 100);
            strv_add(&facts->served, file);
            unauth_item(items, "file", file, "open",
                        "RRQ %s → DATA block 1, %zu bytes%s: '%s' (served to anyone; the transfer "
                        "was stopped after it)", file, pk.dlen, pk.dlen < 512 ? " (the whole file)" : "",
                        ex);
            free(ex);
        } else if (pk.op == TFTP_ERROR) {
            unauth_item(items, "file", file, result, "RRQ %s → ERROR %u '%s'", file, pk.num, pk.msg);
        } else {
            unauth_item(items, "file", file, result, "RRQ %s → opcode %u, block %u", file, pk.op, pk.num);
        }
    }
    free(buf);
}

/* The unauth slot: tftp_seen, its facts set on the service whatever path it ended by. */
static void tftp_unauth(struct run *r, struct service *s, int tls, const struct check *c,
                        struct unauth_facts *items)
{
    struct tftp_facts *f = tftp_facts_new();

    tftp_seen(r, s, tls, c, items, f);
    run_set_tftp_facts(r, s, f);
}

static const char *const tftp_names[] = {"tftp", NULL};

const struct proto proto_tftp = {
    .name = "tftp",
    .names = tftp_names,
    .flags = PROTO_NO_PASSWORD | PROTO_QUIET_BEFORE_LOGIN,
    .unauth = tftp_unauth,
    .facts_key = "tftp",
};
