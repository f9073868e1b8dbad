/*
 * ports.h - the port scan gatherer, shared by every probe that needs to
 * know what is open and what it is (ports.exposure, transport.plaintext,
 * and later the TLS, SSH and login probes).
 */
#ifndef SP_PORTS_H
#define SP_PORTS_H

#include <stddef.h>
#include <stdint.h>

#include "probe.h"

extern const struct gatherer gatherer_scan;

/* Parse "1-1024,8080,8443-8445" into a sorted, de-duplicated port list. */
int ports_parse_ranges(const char *spec, uint16_t **out, size_t *n);

/* Is a service of this identified name a fit for what was declared? */
int ports_service_compatible(const char *declared, const char *found);

#endif
