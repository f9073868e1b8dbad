/*
 * upload_wire.h - the bytes of a firmware upload to a device's web update
 * endpoint (update.tamper): one HTTP/1.1 request carrying the image raw or
 * as a multipart/form-data part (RFC 7578), with the signature as a second
 * part when the endpoint takes it separately; and what the device's answer
 * means. Pure: no sockets, no files; unit tested and fuzzed.
 */
#ifndef SP_UPLOAD_WIRE_H
#define SP_UPLOAD_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "http_wire.h"

struct upload_part {
    const char *field;          /* form field name; NULL for the raw body */
    const char *filename;       /* as the form part names it */
    const uint8_t *data;
    size_t len;
};

struct upload_req {
    const char *method;         /* POST or PUT */
    const char *host;           /* for the Host header (wire_host_for_url form) */
    long port;
    int tls;
    const char *path;
    const char *authorization;  /* the whole header value ("Basic …"), or NULL */
    const char *boundary;       /* multipart boundary: letters and digits, at most 70 */
    struct upload_part parts[2];
    size_t nparts;              /* 1 or 2; a raw body is one part without a field */
};

/*
 * The request's whole length, or 0 when it cannot be built: a method,
 * path, host or field with bytes that cannot go into a request (blanks,
 * controls, quotes in a field name), two parts of which one has no field,
 * a boundary that occurs in a part.
 */
size_t upload_request_len(const struct upload_req *q);
/* Write it into buf (cap at least upload_request_len); returns the length or 0. */
size_t upload_build(uint8_t *buf, size_t cap, const struct upload_req *q);

enum upload_outcome { UPLOAD_ACCEPTED, UPLOAD_REJECTED, UPLOAD_UNCLEAR };

/*
 * What the device's answer to an upload means. rejected_text, when given,
 * is the text the device's page shows on a refusal (case-insensitive, in
 * the body); accepted_text likewise for a success. A 4xx other than those
 * that say the request never reached the update (401, 403, 404, 405, 407,
 * 408, 429) is a refusal; a 2xx or 3xx is taken as accepted unless the
 * body carries rejected_text (or, when accepted_text is given, lacks it:
 * then it is unclear); 5xx and anything else is unclear. *by_status says
 * the refusal rests on the status alone, not on the device's words. why
 * (printable) says which rule decided.
 */
enum upload_outcome upload_classify(const struct http_response *h, const uint8_t *body,
                                    size_t blen, const char *rejected_text,
                                    const char *accepted_text, int *by_status, char *why,
                                    size_t whycap);

const char *upload_outcome_name(enum upload_outcome o);

#endif
