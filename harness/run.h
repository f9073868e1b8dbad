/*
 * run.h - one assessment: the options, the profile and declaration, the
 * target, the facts the probes gathered and the verdicts judged from them.
 * Reports read a finished run; none of them talks to the network.
 */
#ifndef SP_RUN_H
#define SP_RUN_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "device.h"
#include "facts.h"
#include "net.h"
#include "probe.h"
#include "profile.h"
#include "starprobe.h"
#include "util.h"

enum report_format { FMT_JSON = 1, FMT_TEXT = 2, FMT_JUNIT = 4, FMT_HTML = 8 };

struct run_opts {
    const char *profile;
    const char *target;
    const char *device;
    const char *outdir;
    unsigned formats;
    int intrusive;
    int jobs;                 /* concurrent connections to the target */
    int deadline_s;           /* whole run */
    const char *lang;         /* "en" or "ja" */
    int quiet;
    const char **allow_hosts; /* hosts besides the target a check may contact (--allow-host) */
    size_t nallow;
    const char *compare;      /* a second unit of the same model (--compare), or NULL */
};

struct evidence {
    char *service;            /* "tcp/23", or NULL for the device as a whole */
    char *detail;
    /*
     * What the judge held against the service, as a word a report writer can
     * look up without reading the prose ("TLSv1.0": a version tls.versions
     * forbids and the service accepted); NULL when the line flags nothing.
     * Not in report.json: the detail says it for people.
     */
    char *flag;
};

struct check_result {
    const struct requirement *req;
    const struct check *check;
    enum sp_verdict verdict;
    char *reason;             /* one sentence */
    struct evidence *ev;
    size_t nev;
};

struct req_result {
    const struct requirement *req;
    enum sp_verdict verdict;
    char *reason;
    struct check_result *checks;
    size_t nchecks;
};

/* An open port and what it was found to be. */
struct service {
    long port;
    enum transport transport;
    char name[32];            /* identified service, "unknown" when nothing matched */
    char *banner;             /* printable first bytes the service sent, or NULL */
    char *ident;              /* what identified it, as evidence */
    uint8_t reply[256];       /* first bytes of the identifying reply, for rules */
    size_t replylen;
    int declared;
    const struct decl_service *decl;
    /*
     * Facts of the typed families (facts.h), NULL until their gatherer ran;
     * each written only through its run_set_* function.
     */
    struct ssh_facts *ssh;
    struct tls_facts *tls;
    struct login_facts *login;
    struct bruteforce_facts *bruteforce;
    struct unauth_facts *unauth;
    struct robust_facts *robust;
    struct compare_facts *compare;
    struct http_facts *http;
    struct snmp_facts *snmp;
    struct ftp_facts *ftp;
    struct adb_facts *adb;
    struct tftp_facts *tftp;
    struct rtsp_facts *rtsp;
    struct mqtt_facts *mqtt;
    struct coap_facts *coap;
    struct vnc_facts *vnc;
    struct upnp_facts *upnp;
};

/* What the port scan covered, so rules can tell "none found" from "not looked". */
struct scan_stats {
    int tcp_done, tcp_complete;
    long tcp_ports, tcp_open, tcp_closed, tcp_filtered;
    int udp_done, udp_complete;
    long udp_ports, udp_open, udp_closed, udp_silent;
    int64_t tcp_ms, udp_ms;
    char why_incomplete[160];
};

#define RUN_MAX_GATHERERS 32
/* Gatherers whose children run at once, at most (GATHER_CONCURRENT ones). */
#define RUN_MAX_WORKERS 4

struct run_slots;

struct run {
    struct run_opts opt;
    const struct profile *profile;
    const struct device *device;     /* NULL without -d */
    struct sp_target target;

    time_t started;
    int64_t t0_ms, deadline_ms, elapsed_ms;

    pthread_mutex_t lock;            /* guards services and facts during gather */
    struct service **services;
    size_t nservices;
    struct scan_stats scan;
    struct credential_facts *creds;  /* the default credentials found (report.json "credentials") */
    size_t ncreds;
    /* The run's own facts, of no one service (facts.h); NULL until their gatherer ran. */
    struct compare_run_facts *compare;
    struct update_channel_facts *update_channel;
    struct tamper_facts *update_tamper;
    int unreachable;

    /*
     * The per-target cap (--jobs) on connections in flight, shared by the
     * parent and every worker child: gatherers that run at once draw on the
     * same slots. slot_owner is this process's row in its accounting (0 the
     * parent, k + 1 worker k), so the parent can hand back the slots of a
     * child that died holding them.
     */
    struct run_slots *slots;
    int slot_owner;

    /*
     * Each gatherer that ran, with its result. rc SP_ERR_CRASHED: the worker
     * that ran cause (g itself, or a prerequisite of g) died; signo is the
     * signal, 0 when it exited without handing back its facts.
     */
    struct {
        const struct gatherer *g;
        int rc;
        int64_t ms;
        const struct gatherer *cause;
        int signo;
    } gathered[RUN_MAX_GATHERERS];
    size_t ngathered;

    struct req_result *results;
    size_t nresults;
    enum sp_overall overall;

    int progress_tty;
    int64_t progress_last;
};

void run_init(struct run *r, const struct run_opts *o, const struct profile *p,
              const struct device *d);
void run_free(struct run *r);

/* Judge every check on the facts gathered (schedule.c gathers them first). */
void run_judge(struct run *r);

int run_expired(const struct run *r);
/* Did gatherer g run? 1 with its result in *rc, or 0. */
int run_gathered(const struct run *r, const struct gatherer *g, int *rc);
/* Its index in r->gathered, or r->ngathered when it did not run. */
size_t run_gathered_index(const struct run *r, const struct gatherer *g);
/* A deadline for one network operation, never past the run's. */
int64_t run_op_deadline(const struct run *r, int64_t ms);

/*
 * Run fn(r, i, arg) for i in [0, n) on at most opt.jobs threads, each item
 * holding one of the per-target slots (run_slot_take) while it runs. Items
 * not started before the run deadline are skipped (fn is not called for them).
 */
void run_parallel(struct run *r, size_t n, void (*fn)(struct run *, size_t, void *), void *arg);
/*
 * The same on at most `width` threads, taking no slot: for work that opens
 * no connection (the UDP identification sends one datagram a port at a time
 * and waits), or whose items take their own slot when they connect (the
 * credential sweep's attempts, which first wait for their service's turn).
 */
void run_parallel_width(struct run *r, size_t n, size_t width,
                        void (*fn)(struct run *, size_t, void *), void *arg);

/*
 * One of the per-target connection slots (--jobs of them, across every
 * worker process): 0 once taken, SP_ERR_NOT_STARTED when the run deadline
 * passed or the run was interrupted first. Give it back with run_slot_give.
 */
int run_slot_take(struct run *r);
void run_slot_give(struct run *r);
/* The parent, after a worker ended: the slots row `owner` still held are free again. */
void run_slots_reclaim(struct run *r, int owner);

/* Services, kept sorted by transport then port. Thread-safe. */
struct service *run_add_service(struct run *r, long port, enum transport t);
/* The SSH gatherer's facts onto s, replacing any; takes f. */
void run_set_ssh_facts(struct run *r, struct service *s, struct ssh_facts *f);
/* The TLS gatherer's facts onto s, replacing any; takes f. */
void run_set_tls_facts(struct run *r, struct service *s, struct tls_facts *f);
/* The credential sweep's facts onto s, replacing any; takes f. */
void run_set_login_facts(struct run *r, struct service *s, struct login_facts *f);
/* auth.bruteforce's series onto s, replacing any; takes f. */
void run_set_bruteforce_facts(struct run *r, struct service *s, struct bruteforce_facts *f);
/* auth.unauthenticated's tries onto s, replacing any; takes f. */
void run_set_unauth_facts(struct run *r, struct service *s, struct unauth_facts *f);
/* robust.malformed's campaign onto s, replacing any; takes f. */
void run_set_robust_facts(struct run *r, struct service *s, struct robust_facts *f);
/* units.distinct's reading of s on both units, replacing any; takes f. */
void run_set_compare_facts(struct run *r, struct service *s, struct compare_facts *f);
/* The run's own facts, each replacing any; they take f. */
void run_set_compare_run_facts(struct run *r, struct compare_run_facts *f);
void run_set_update_channel_facts(struct run *r, struct update_channel_facts *f);
void run_set_tamper_facts(struct run *r, struct tamper_facts *f);
/*
 * A credential found, copied onto the run under the run lock unless the same
 * is there already. kind: "snmp-community", or NULL for a user and password.
 */
void run_add_credential(struct run *r, const char *service, const char *protocol,
                        const char *user, const char *password, const char *source,
                        const char *kind);
/* Free the run's own facts. */
void run_facts_clear(struct run *r);
/* What the HTTP and SNMP handlers' unauthenticated clients saw, replacing any; they take f. */
void run_set_http_facts(struct run *r, struct service *s, struct http_facts *f);
void run_set_snmp_facts(struct run *r, struct service *s, struct snmp_facts *f);
/* The other protocols' own facts, each set by its handler's unauth slot. */
void run_set_ftp_facts(struct run *r, struct service *s, struct ftp_facts *f);
void run_set_adb_facts(struct run *r, struct service *s, struct adb_facts *f);
void run_set_tftp_facts(struct run *r, struct service *s, struct tftp_facts *f);
void run_set_rtsp_facts(struct run *r, struct service *s, struct rtsp_facts *f);
void run_set_mqtt_facts(struct run *r, struct service *s, struct mqtt_facts *f);
void run_set_coap_facts(struct run *r, struct service *s, struct coap_facts *f);
void run_set_vnc_facts(struct run *r, struct service *s, struct vnc_facts *f);
void run_set_upnp_facts(struct run *r, struct service *s, struct upnp_facts *f);
/* Free every fact s holds, typed and not; s itself stays. */
void service_facts_clear(struct service *s);
/* A service and all it holds. */
void service_free(struct service *s);
struct service *run_find_service(const struct run *r, long port, enum transport t);
void service_label(const struct service *s, char *buf, size_t len); /* "tcp/23" */

/* The profile's first check that uses probe p (for gatherer parameters), or NULL. */
const struct check *run_check_for(const struct run *r, const struct probe *p);

/* Results. */
void cr_set(struct check_result *res, enum sp_verdict v, const char *fmt, ...) SP_PRINTF(3, 4);
void cr_evidence(struct check_result *res, const char *service, const char *fmt, ...)
    SP_PRINTF(3, 4);
/* The same, flagging what the line holds against the service (struct evidence's flag). */
void cr_flag(struct check_result *res, const char *service, const char *flag, const char *fmt, ...)
    SP_PRINTF(4, 5);
void cr_free(struct check_result *res);

/* Progress on stderr: a live line on a terminal, sparse plain lines otherwise. */
void run_progress(struct run *r, int force, const char *fmt, ...) SP_PRINTF(3, 4);
void run_progress_done(struct run *r);

#endif
