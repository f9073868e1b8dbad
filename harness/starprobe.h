/*
 * starprobe.h - the vocabulary every module shares: the result codes, the
 * verdicts and the exit codes of the command line (docs/design.md §2, §4).
 */
#ifndef STARPROBE_H
#define STARPROBE_H

#define STARPROBE_VERSION "0.1.0"
#define STARPROBE_REPORT_SCHEMA "starprobe.report/1"

/* One result type for the whole program: 0 or a negative code. */
enum sp_err {
    SP_OK = 0,
    SP_ERR_NOMEM = -1,
    SP_ERR_IO = -2,       /* local file or socket error */
    SP_ERR_PARSE = -3,    /* bad profile, declaration or device reply */
    SP_ERR_TIMEOUT = -4,  /* a deadline passed */
    SP_ERR_REFUSED = -5,  /* connection refused / port closed */
    SP_ERR_UNREACH = -6,  /* no route, host down */
    SP_ERR_CLOSED = -7,   /* peer closed the connection */
    SP_ERR_USAGE = -8,
    SP_ERR_INTERNAL = -9,
    SP_ERR_NOT_STARTED = -10, /* the run deadline passed before the step began */
    SP_ERR_CRASHED = -11  /* the worker running a step died before handing back its facts */
};

/*
 * Verdicts, declared from best to worst so that aggregation is a max():
 * docs/design.md §4.2 orders them FAIL > ERROR > INCONCLUSIVE > EVIDENCE_REQUIRED >
 * EVIDENCE_DECLARED > PASS > NOT_APPLICABLE.
 */
enum sp_verdict {
    V_NOT_APPLICABLE = 0,
    V_PASS,
    V_EVIDENCE_DECLARED,
    V_EVIDENCE_REQUIRED,
    V_INCONCLUSIVE,
    V_ERROR,
    V_FAIL,
    V_COUNT
};

enum sp_overall { OV_CONFORMANT, OV_INCOMPLETE, OV_NOT_CONFORMANT };

/* Exit codes of the command line; part of the contract (docs/design.md §2.2). */
enum sp_exit {
    EXIT_CONFORMANT = 0,
    EXIT_NOT_CONFORMANT = 1,
    EXIT_INCOMPLETE = 2,
    EXIT_USAGE = 64,
    EXIT_BADFILE = 65,
    EXIT_UNREACHABLE = 69,
    EXIT_INTERNAL = 70
};

const char *verdict_name(enum sp_verdict v);
int verdict_parse(const char *s, enum sp_verdict *out);
enum sp_verdict verdict_worst(enum sp_verdict a, enum sp_verdict b);
const char *overall_name(enum sp_overall o);
enum sp_overall overall_from(const enum sp_verdict *reqs, int n);
int overall_exit_code(enum sp_overall o);

#endif
