/* unit.h - the suites unit_main.c runs; each returns 0 or -1. */
#ifndef SP_UNIT_H
#define SP_UNIT_H

int register_verdict_tests(void);
int register_profile_tests(void);
int register_device_tests(void);
int register_ports_tests(void);
int register_ident_tests(void);
int register_ssh_tests(void);
int register_tls_tests(void);
int register_unauth_tests(void);
int register_creds_tests(void);
int register_worker_tests(void);
int register_rxbuf_tests(void);
int register_proto_tests(void);
int register_report_tests(void);
int register_coap_tests(void);
int register_kinds_tests(void);
int register_judges_tests(void);
int register_html_form_tests(void);
int register_upnp_tests(void);
int register_robust_tests(void);
int register_upload_tests(void);
int register_banner_tests(void);

#include <stddef.h>
/* Write text to a fresh file under /tmp; its name into path. 0 or -1. */
int unit_temp_file(const char *text, char *path, size_t pathlen);

struct profile;
struct run;
/* Load a profile from YAML text (through a temporary file). 0 or -1; profile_free it. */
int unit_profile_text(const char *yaml, struct profile *p);
/*
 * A run on profile p as the judges see it after a complete scan of a device
 * that answered (TCP and UDP done and complete), with every gatherer the
 * profile's checks name marked as run. run_free it.
 */
void unit_scanned_run(struct run *r, const struct profile *p);

struct service;
/*
 * Give s the facts of one family from their JSON text, as a worker hands
 * them back (into the family's struct); the family's previous facts go, the
 * others stay. Fails the test when the text
 * does not load.
 */
void unit_set_facts(struct service *s, const char *family, const char *json);

/*
 * The JSON form of a typed fact family (reports/facts_json.c): each row, in
 * the shape its gatherer writes, must load onto a service and come back
 * exactly; each bad row must be refused with a message holding its why.
 */
struct unit_bad_facts {
    const char *json, *why;
};
void unit_facts_round_trip(const char *family, const char *const *rows, size_t n);
void unit_facts_refused(const char *family, const struct unit_bad_facts *rows, size_t n);

#endif
