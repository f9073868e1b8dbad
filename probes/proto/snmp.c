/*
 * login_snmp.c - SNMP v1/v2c community strings: a GetRequest for sysDescr
 * under the community, answered by a GetResponse with the same request-id
 * and error-status 0, means the community can read the device. Agents drop
 * requests with a wrong community silently, so silence (after a retry) is
 * the only refusal SNMP has; an ICMP port unreachable is not a refusal.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "ident.h"
#include "login.h"
#include "proto.h"
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
    len = ident_snmp_build(req, sizeof(req), version, community, reqid);
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
            if (ident_snmp_parse(buf, (size_t)n, rep) == 0 && rep->pdu_type == 0xa2 &&
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
    ls->snmp_version = IDENT_SNMP_V2C;
    snprintf(ls->how, sizeof(ls->how), "SNMP agent (communities tried with v2c, then v1)");
    return 0;
}

static void snmp_login_attempt(const struct login_service *ls, const char *user,
                               const char *community, int64_t deadline, struct login_result *out)
{
    (void)user;     /* PROTO_SECRET_ONLY: a community is the whole credential */
    struct snmp_reply rep;
    int rc = snmp_try(ls, IDENT_SNMP_V2C, community, deadline, &rep);
    const char *ver = "v2c";

    if (rc == 0) {
        rc = snmp_try(ls, IDENT_SNMP_V1, community, deadline, &rep);
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
static const char *const snmp_names[] = {"snmp", "snmpv3", NULL};

const struct proto proto_snmp = {
    .name = "snmp",
    .names = snmp_names,
    .flags = PROTO_SECRET_ONLY,
    .login_prepare = snmp_login_prepare,
    .login_attempt = snmp_login_attempt,
};
