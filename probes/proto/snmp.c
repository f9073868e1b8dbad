/*
 * snmp.c - the SNMP handler. Logins are community strings (v1/v2c): a GetRequest for sysDescr
 * under the community, answered by a GetResponse with the same request-id
 * and error-status 0, means the community can read the device. Agents drop
 * requests with a wrong community silently, so silence (after a retry) is
 * the only refusal SNMP has; an ICMP port unreachable is not a refusal.
 *
 * Without credentials (auth.unauthenticated): the communities public and
 * private, v1 and v2c, must get no GetResponse.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "ident.h"
#include "login.h"
#include "proto.h"
#include "run.h"
#include "snmp_wire.h"
#include "tls_wire.h"
#include "util.h"

/* 1 readable, 0 silent, < 0 sp_err. */
static int snmp_try(const struct login_service *ls, int version, const char *community,
                    int64_t deadline, struct snmp_reply *rep)
{
    uint8_t req[300], buf[1500];
    uint32_t reqid = 0;
    size_t len;
    int fd, result = 0;

    if (getrandom(&reqid, sizeof(reqid), 0) != sizeof(reqid))
        reqid = (uint32_t)sp_now_ms();
    reqid &= 0x7fffffff;
    len = snmp_build_get(req, sizeof(req), version, community, reqid);
    if (len == 0)
        return SP_ERR_PARSE;
    fd = net_udp_open(ls->target, (int)ls->port);
    if (fd < 0)
        return fd;
    for (int tries = 0; tries < 2 && result == 0; tries++) {
        int64_t until = sp_now_ms() + 700;
        if (until > deadline)
            until = deadline;
        if (send(fd, req, len, 0) < 0) {
            result = SP_ERR_IO;
            break;
        }
        while (sp_ms_left(until) > 0) {
            ssize_t n = net_recv(fd, buf, sizeof(buf), until);
            if (n == SP_ERR_REFUSED) {
                result = SP_ERR_REFUSED;
                break;
            }
            if (n <= 0)
                break;
            if (snmp_parse(buf, (size_t)n, rep) == 0 && rep->pdu_type == 0xa2 &&
                rep->request_id == reqid && strcmp(rep->community, community) == 0) {
                result = rep->error_status == 0 ? 1 : 2;
                break;
            }
        }
    }
    close(fd);
    return result;
}

static int snmp_login_prepare(struct login_service *ls, const char *const *paths, int64_t deadline)
{
    (void)paths;
    (void)deadline;
    ls->mode = LOGIN_MODE_PASSWORD;
    ls->snmp_version = SNMP_V2C;
    snprintf(ls->how, sizeof(ls->how), "SNMP agent (communities tried with v2c, then v1)");
    return 0;
}

static void snmp_login_attempt(const struct login_service *ls, const char *user,
                               const char *community, int64_t deadline, struct login_result *out)
{
    (void)user;     /* PROTO_SECRET_ONLY: a community is the whole credential */
    struct snmp_reply rep;
    int rc = snmp_try(ls, SNMP_V2C, community, deadline, &rep);
    const char *ver = "v2c";

    if (rc == 0) {
        rc = snmp_try(ls, SNMP_V1, community, deadline, &rep);
        ver = "v1";
    }
    if (rc == 1) {
        out->status = LOGIN_OK;
        login_note(out, "SNMP%s GetRequest sysDescr.0 -> GetResponse error-status 0, %s = '%.80s'",
                   ver, rep.oid, rep.value);
    } else if (rc == 2) {
        /* The agent answered under this community: it exists, but the read failed. */
        out->status = LOGIN_ERROR;
        login_note(out, "SNMP%s GetResponse error-status %ld", ver, rep.error_status);
    } else if (rc == 0) {
        out->status = LOGIN_REJECTED;
        login_note(out, "no answer under v2c or v1 (the agent ignores this community)");
    } else {
        out->status = LOGIN_ERROR;
        login_note(out, "SNMP: %s", net_strerror(rc));
    }
}

/* "snmpv3": an agent found by v3 engine discovery, whose communities are still worth trying. */

/* ---- auth.unauthenticated: what the service gives a client with no credentials ---- */

#define EXCERPT 160



static void snmp_service(struct run *r, struct service *s, int tls, const struct check *c,
                         struct unauth_facts *items)
{
    (void)tls;
    int64_t op_ms = c ? check_param_int(c, "op_timeout_ms", 3000) : 3000;
    static const char *const comms[] = {"public", "private"};
    struct snmp_facts *sf = snmp_facts_new();
    uint8_t req[512], rep[2048];
    char name[48];

    for (int v = SNMP_V1; v <= SNMP_V2C; v++) {
        for (size_t i = 0; i < SP_ARRAY_LEN(comms); i++) {
            uint32_t id;
            struct snmp_reply sr;
            int got = 0, refused = 0;
            size_t len;
            int fd;

            snprintf(name, sizeof(name), "%s (%s)", comms[i], v == SNMP_V1 ? "v1" : "v2c");
            if (wire_random((uint8_t *)&id, sizeof(id)) != 0)
                id = (uint32_t)sp_now_ms();
            id &= 0x7fffffff;
            len = snmp_build_get(req, sizeof(req), v, comms[i], id);
            fd = net_udp_open(&r->target, (int)s->port);
            if (fd < 0 || len == 0) {
                unauth_item(items, "community", name, "undecided", "cannot send the request");
                if (fd >= 0)
                    close(fd);
                continue;
            }
            for (int attempt = 0; attempt < 2 && !got && !refused; attempt++) {
                int64_t dl = run_op_deadline(r, op_ms / 3);
                if (send(fd, req, len, MSG_NOSIGNAL) < 0) {
                    refused = 1;
                    break;
                }
                for (;;) {
                    ssize_t n = net_recv(fd, rep, sizeof(rep), dl);
                    if (n == SP_ERR_REFUSED)
                        refused = 1;
                    if (n <= 0)
                        break;
                    if (snmp_parse(rep, (size_t)n, &sr) == 0 && sr.request_id == id &&
                        sr.pdu_type == 0xa2) {
                        got = 1;
                        break;
                    }
                }
            }
            close(fd);
            if (got && sr.error_status == 0) {
                strv_add(&sf->communities, comms[i]);
                /* sysDescr, as anyone with the community reads it (banners.versions) */
                if (!sf->sys_descr && strcmp(sr.oid, "1.3.6.1.2.1.1.1.0") == 0)
                    sf->sys_descr = xstrdup(sr.value);
                unauth_item(items, "community", name, "open",
                         "GetResponse to GetRequest sysDescr.0 with community '%s' (%s): %s = '%s'",
                         comms[i], v == SNMP_V1 ? "v1" : "v2c", sr.oid, sr.value);
            } else if (got) {
                unauth_item(items, "community", name, "undecided",
                         "GetResponse with error-status %ld to community '%s'", sr.error_status, comms[i]);
            } else if (refused) {
                unauth_item(items, "community", name, "undecided", "port unreachable");
            } else if (run_expired(r)) {
                /* Silence cut short by the run deadline proves nothing. */
                unauth_item(items, "community", name, "undecided",
                         "no GetResponse to community '%s' before the run deadline", comms[i]);
            } else {
                /* Agents drop requests with an unknown community silently (RFC 1157 §4.1). */
                unauth_item(items, "community", name, "protected",
                         "no GetResponse to community '%s' within %lld ms (two tries)", comms[i],
                         (long long)(op_ms / 3 * 2));
            }
        }
    }
    run_set_snmp_facts(r, s, sf);
}

/* banners.versions: sysDescr.0, as the unauthenticated request read it with a default community. */
static int snmp_pre_login_texts(const struct service *s, proto_text_fn add, void *arg, char *why,
                                size_t whylen)
{
    const struct snmp_facts *snmp = s->snmp;
    const char *descr = snmp ? snmp->sys_descr : NULL;

    if (descr) {
        add(arg, "sysDescr.0 (read without credentials)", descr);
        return 0;
    }
    if (!snmp && strcmp(s->name, "snmpv3") == 0) {
        why[0] = '\0';     /* SNMPv3 answers nothing but a report before its user-based login */
        return 1;
    }
    if (snmp && snmp->communities.n == 0) {
        snprintf(why, whylen,
                 "sysDescr is not readable without credentials (no community tried answered)");
        return 1;
    }
    snprintf(why, whylen, "sysDescr was not read (the unauthenticated SNMP step did not finish)");
    return -1;
}

static const char *const snmp_names[] = {"snmp", "snmpv3", NULL};

const struct proto proto_snmp = {
    .name = "snmp",
    .names = snmp_names,
    .flags = PROTO_SECRET_ONLY,
    .login_prepare = snmp_login_prepare,
    .login_attempt = snmp_login_attempt,
    .unauth = snmp_service,
    .facts_key = "snmp",
    .pre_login_texts = snmp_pre_login_texts,
};
