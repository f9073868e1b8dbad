/*
 * facts_json.h - the JSON form of the typed fact families (harness/facts.h), both
 * ways. report.json writes it (json.c); the worker processes hand their facts
 * back to the parent in it (harness/worker.c), so every family round-trips:
 * parsing what the writer made gives back the same struct. Key names here are
 * report.json's (docs/report.md) and are chosen here, nowhere else.
 *
 * Parsers take the form this file writes: an absent member is a fact not
 * recorded, a member of the wrong type is an error that names it.
 */
#ifndef SP_FACTS_JSON_H
#define SP_FACTS_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "facts.h"
#include "run.h"

/* services[].ssh */
cJSON *ssh_facts_json(const struct ssh_facts *f);
int ssh_facts_parse(const cJSON *o, struct ssh_facts *f, char *why, size_t whylen);

/* services[].tls */
cJSON *tls_facts_json(const struct tls_facts *f);
int tls_facts_parse(const cJSON *o, struct tls_facts *f, char *why, size_t whylen);

/* services[].login */
cJSON *login_facts_json(const struct login_facts *f);
int login_facts_parse(const cJSON *o, struct login_facts *f, char *why, size_t whylen);
/* "unknown", "password", "none", "open": the word report.json uses for a mode. */
const char *login_mode_name(enum login_mode m);

/* services[].bruteforce */
cJSON *bruteforce_facts_json(const struct bruteforce_facts *f);
int bruteforce_facts_parse(const cJSON *o, struct bruteforce_facts *f, char *why, size_t whylen);

/* services[].unauth */
cJSON *unauth_facts_json(const struct unauth_facts *f);
int unauth_facts_parse(const cJSON *o, struct unauth_facts *f, char *why, size_t whylen);

/* services[].robust */
cJSON *robust_facts_json(const struct robust_facts *f);
int robust_facts_parse(const cJSON *o, struct robust_facts *f, char *why, size_t whylen);

/* services[].compare */
cJSON *compare_facts_json(const struct compare_facts *f);
int compare_facts_parse(const cJSON *o, struct compare_facts *f, char *why, size_t whylen);

/* services[].http and services[].snmp: what those handlers' unauthenticated clients saw */
cJSON *http_facts_json(const struct http_facts *f);
int http_facts_parse(const cJSON *o, struct http_facts *f, char *why, size_t whylen);
cJSON *snmp_facts_json(const struct snmp_facts *f);
int snmp_facts_parse(const cJSON *o, struct snmp_facts *f, char *why, size_t whylen);

/* services[].ftp, adb, tftp, rtsp, mqtt, coap, vnc, upnp: the other protocols' own facts */
#define SP_FACTS_CODEC(family)                                                                   \
    cJSON *family##_facts_json(const struct family##_facts *f);                                  \
    int family##_facts_parse(const cJSON *o, struct family##_facts *f, char *why, size_t whylen);
SP_FACTS_CODEC(ftp)
SP_FACTS_CODEC(adb)
SP_FACTS_CODEC(tftp)
SP_FACTS_CODEC(rtsp)
SP_FACTS_CODEC(mqtt)
SP_FACTS_CODEC(coap)
SP_FACTS_CODEC(vnc)
SP_FACTS_CODEC(upnp)

/* Does a family of a service's facts go by this name ("tls", "mqtt")? */
int facts_family_known(const char *name);

/*
 * Every fact of s as one object keyed by family, in the family table's
 * order; NULL when s has none. The caller frees.
 */
cJSON *service_facts_json(const struct service *s);
/*
 * Replace every fact of s with those of obj (an object keyed by family, as
 * service_facts_json writes it; NULL: none), each family parsed into its
 * struct. 0, or SP_ERR_PARSE with why naming the family and member (or a
 * family no table row names), leaving s without facts.
 */
int service_facts_load(struct service *s, const cJSON *obj, char *why, size_t whylen);

/*
 * The run's own facts, of no one service (compare, update_channel,
 * update_tamper), as one object keyed by family; and back, replacing the
 * run's (0, or SP_ERR_PARSE with why, leaving the run without any). Only the
 * worker's hand-back uses them: report.json does not list them.
 */
cJSON *run_facts_json(const struct run *r);
int run_facts_load(struct run *r, const cJSON *obj, char *why, size_t whylen);

/* report.json's "credentials" array, and back (replacing the run's; on error they stay). */
cJSON *credentials_json(const struct run *r);
int credentials_load(struct run *r, const cJSON *arr, char *why, size_t whylen);

#endif
