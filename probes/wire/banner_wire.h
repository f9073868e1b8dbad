/*
 * banner_wire.h - does a greeting or header a service sends before any login
 * (an SSH identification string, an HTTP Server header, an FTP greeting, an
 * SNMP sysDescr) name a software version? Pure: no sockets.
 */
#ifndef SP_BANNER_WIRE_H
#define SP_BANNER_WIRE_H

#include <stddef.h>

/*
 * Look through the first len bytes of text (stops at a NUL) word by word for a
 * version: digits '.' digits ("OpenSSH_9.2p1", "lighttpd/1.4.69", "3.0.3").
 * Not versions: the SSH protocol marker "SSH-2.0-" (its software part after it
 * is looked at), "HTTP/1.1" and "RTSP/1.0" words, and IPv4 addresses (with an
 * optional :port). 1 with the word copied to tok (NUL-terminated, cut to
 * toklen - 1 bytes, non-printable bytes as '?'), 0 when there is none.
 */
int banner_version(const char *text, size_t len, char *tok, size_t toklen);

#endif
