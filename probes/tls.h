/*
 * tls.h - what tls.c shares beyond its gatherer: which services the TLS
 * checks take for TLS or DTLS, so another check (units.distinct) walks the
 * same services and cannot disagree with them.
 */
#ifndef SP_TLS_H
#define SP_TLS_H

struct service;

/*
 * 1 when s is TLS or DTLS: a name its handler says runs inside TLS, TLS or
 * DTLS around an unrecognised protocol, or the ServerHello the scan saw;
 * *dtls says which.
 */
int tls_service_is(const struct service *s, int *dtls);

#endif
