/*
 * test_ident.c - service identification and the TLS wire code, as tables of
 * replies and what they must (or must not) be identified as.
 *
 * Where the bytes are marked "recorded", they were captured from a real
 * server on this machine with the module's own requests: OpenSSH 9.2p1
 * sshd, mosquitto 2.0.11 (anonymous and password listeners, plain and TLS),
 * OpenSSL 3.0 s_server (TLS 1.3, TLS 1.2 ECDSA, TLS 1.0, a NULL-suite-only
 * server that must alert, a P-256-only server that must send a
 * HelloRetryRequest, DTLS with cookie exchange), busybox 1.35 telnetd and
 * httpd, and libcoap 4.3.1 coap-server. TLS replies are cut after their
 * first record. Replies marked "constructed" come from the protocol
 * documents, for servers not installed here (FTP, SMTP, POP3, IMAP, VNC,
 * MySQL, RTSP, adb, rlogin, DNS, DHCP, TFTP, NTP, SNMP, IKE, SSDP,
 * WS-Discovery); random bytes a server puts in a reply (ids, tokens) are
 * patched in from our request by a fixup function, as the server would.
 *
 * The lead's unit_main.c calls register_ident_tests().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "http_wire.h"
#include "ident.h"
#include "mqtt_wire.h"
#include "snmp_wire.h"
#include "starprobe.h"
#include "tls_wire.h"
#include "unit.h"
#include "util.h"

/* A table row's failure names the row, not only the line. CUnit copies the message. */
static void check_row(int ok, int line, const char *row, const char *cond)
{
    char msg[256];

    snprintf(msg, sizeof(msg), "[%s] %s", row, cond);
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, (unsigned)line, msg, __FILE__, "", CU_FALSE);
}
#define CHECK(row, cond) check_row((cond) ? 1 : 0, __LINE__, (row), #cond)

#define B(s) (const uint8_t *)(s), sizeof(s) - 1
#define A(a) (a), sizeof(a)

/* memmem(3) is a GNU extension; the tests must not depend on the build's feature macros. */
static const uint8_t *find_mem(const uint8_t *h, size_t hl, const void *n, size_t nl)
{
    for (size_t i = 0; nl <= hl && i <= hl - nl; i++)
        if (memcmp(h + i, n, nl) == 0)
            return h + i;
    return NULL;
}

static size_t rd16(const uint8_t *p)
{
    return (size_t)p[0] << 8 | p[1];
}

/* ---- recorded replies ---------------------------------------------------- */

/* recorded: OpenSSH 9.2p1 sshd banner */
static const uint8_t rec_sshd[] = {
    0x53, 0x53, 0x48, 0x2d, 0x32, 0x2e, 0x30, 0x2d, 0x4f, 0x70, 0x65, 0x6e,
    0x53, 0x53, 0x48, 0x5f, 0x39, 0x2e, 0x32, 0x70, 0x31, 0x20, 0x44, 0x65,
    0x62, 0x69, 0x61, 0x6e, 0x2d, 0x32, 0x2b, 0x64, 0x65, 0x62, 0x31, 0x32,
    0x75, 0x31, 0x30, 0x0d, 0x0a,
};

/* recorded: busybox telnetd -l /bin/login */
static const uint8_t rec_telnetd[] = {
    0xff, 0xfd, 0x01, 0xff, 0xfd, 0x1f, 0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03,
    0x0d, 0x0d, 0x0a, 0x44, 0x65, 0x62, 0x69, 0x61, 0x6e, 0x20, 0x47, 0x4e,
    0x55, 0x2f, 0x4c, 0x69, 0x6e, 0x75, 0x78, 0x20, 0x31, 0x32, 0x0d, 0x0a,
    0x0d, 0x76, 0x6d, 0x20, 0x6c, 0x6f, 0x67, 0x69, 0x6e, 0x3a, 0x20,
};

/* recorded: mosquitto CONNACKs to our 3.1.1 CONNECT (anonymous allowed / refused) and to a v5 CONNECT */
static const uint8_t rec_mosq_anon[] = {0x20, 0x02, 0x00, 0x00};
static const uint8_t rec_mosq_auth[] = {0x20, 0x02, 0x00, 0x05};
static const uint8_t rec_mosq5_anon[] = {0x20, 0x09, 0x00, 0x00, 0x06, 0x22, 0x00, 0x0a, 0x21, 0x00, 0x14};
static const uint8_t rec_mosq5_auth[] = {0x20, 0x03, 0x00, 0x87, 0x00};

/* recorded: openssl s_server, default (answers TLS 1.3) */
static const uint8_t rec_ossl_tls13[] = {
    0x16, 0x03, 0x03, 0x00, 0x7a, 0x02, 0x00, 0x00, 0x76, 0x03, 0x03, 0xa7,
    0x28, 0x7c, 0x68, 0xd1, 0x42, 0xa6, 0x53, 0xec, 0x98, 0x15, 0xb1, 0x76,
    0xf5, 0x51, 0x7b, 0x31, 0x9c, 0x06, 0x65, 0x71, 0xfa, 0xc3, 0x40, 0x95,
    0xad, 0x50, 0x49, 0x6e, 0x53, 0x27, 0xf0, 0x20, 0x9d, 0xe6, 0x79, 0xb2,
    0x61, 0x44, 0x36, 0xed, 0x08, 0x95, 0x2d, 0xe9, 0x1d, 0x2c, 0x59, 0xcb,
    0x02, 0xc8, 0x4b, 0xa4, 0x35, 0xa4, 0x34, 0xfa, 0x40, 0x19, 0x0a, 0xaa,
    0x51, 0xcc, 0x10, 0x64, 0x13, 0x01, 0x00, 0x00, 0x2e, 0x00, 0x2b, 0x00,
    0x02, 0x03, 0x04, 0x00, 0x33, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, 0x93,
    0x3d, 0x9c, 0xc1, 0x24, 0x1a, 0xf1, 0xe6, 0x02, 0x7b, 0xf9, 0x3e, 0x06,
    0xcf, 0x18, 0x62, 0x82, 0x6d, 0x45, 0x6d, 0xa8, 0xdf, 0x21, 0x87, 0x50,
    0xe7, 0xe2, 0x34, 0xb2, 0x77, 0xc5, 0x66,
};

/* recorded: openssl s_server -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 */
static const uint8_t rec_ossl_ec12[] = {
    0x16, 0x03, 0x03, 0x00, 0x5d, 0x02, 0x00, 0x00, 0x59, 0x03, 0x03, 0x62,
    0x70, 0xaa, 0x59, 0x53, 0x7c, 0xc5, 0x15, 0xd6, 0xa2, 0xfb, 0xb1, 0x66,
    0x70, 0x85, 0xe1, 0xbd, 0x8f, 0x14, 0x4e, 0x9d, 0x1a, 0xdf, 0xe1, 0x7b,
    0xe0, 0x2d, 0x91, 0x46, 0x69, 0x58, 0xcd, 0x20, 0xb8, 0x8a, 0x10, 0xd1,
    0xad, 0x45, 0x11, 0xe8, 0x19, 0x67, 0x81, 0x30, 0xe9, 0xdd, 0xf3, 0x05,
    0x49, 0xa9, 0xfa, 0x6d, 0xc7, 0x61, 0xe1, 0xb0, 0xf4, 0xb5, 0x11, 0x52,
    0x9f, 0x09, 0x08, 0x27, 0xc0, 0x2b, 0x00, 0x00, 0x11, 0xff, 0x01, 0x00,
    0x01, 0x00, 0x00, 0x0b, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x17,
    0x00, 0x00,
};

/* recorded: openssl s_server -tls1_2 -cipher NULL-SHA256 (nothing in common with our offer) */
static const uint8_t rec_ossl_alert[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};

/* recorded: openssl s_server -tls1_3, asked with a TLS 1.2-max hello */
static const uint8_t rec_ossl_protover[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46};

/* recorded: openssl s_server -tls1 -cipher AES128-SHA:@SECLEVEL=0 */
static const uint8_t rec_ossl_tls10[] = {
    0x16, 0x03, 0x01, 0x00, 0x55, 0x02, 0x00, 0x00, 0x51, 0x03, 0x01, 0x14,
    0xe8, 0x77, 0x23, 0x3b, 0x0d, 0xe4, 0x04, 0xf8, 0xcf, 0xfd, 0x8a, 0x60,
    0xaf, 0xe3, 0x52, 0x74, 0x72, 0xeb, 0x94, 0x10, 0x50, 0x3e, 0x78, 0x07,
    0x0e, 0x73, 0x83, 0xf8, 0x22, 0xf6, 0xb5, 0x20, 0x88, 0x6c, 0x47, 0x41,
    0x3b, 0xa0, 0x4b, 0x3f, 0xdd, 0x17, 0xac, 0xa1, 0x22, 0xe7, 0x29, 0xc6,
    0x9c, 0x10, 0xe5, 0x10, 0x23, 0xcc, 0xf3, 0x43, 0x33, 0x47, 0xab, 0x94,
    0x28, 0x75, 0x47, 0xa2, 0x00, 0x2f, 0x00, 0x00, 0x09, 0xff, 0x01, 0x00,
    0x01, 0x00, 0x00, 0x17, 0x00, 0x00,
};

/* recorded: mosquitto TLS listener (OpenSSL inside) */
static const uint8_t rec_mosq_tls13[] = {
    0x16, 0x03, 0x03, 0x00, 0x7a, 0x02, 0x00, 0x00, 0x76, 0x03, 0x03, 0x99,
    0x97, 0x7d, 0xea, 0xb5, 0xbc, 0x6e, 0x28, 0x74, 0x79, 0xea, 0x14, 0xcd,
    0x4a, 0x15, 0x66, 0x96, 0xb6, 0xdf, 0x50, 0x9a, 0xb7, 0xce, 0x89, 0xde,
    0x0c, 0x72, 0x56, 0x19, 0x1c, 0x4d, 0xeb, 0x20, 0xa2, 0xf7, 0xdd, 0x52,
    0xf8, 0x71, 0x64, 0x54, 0x61, 0xcc, 0x9d, 0x66, 0xf8, 0xd1, 0xad, 0xe2,
    0xa7, 0x26, 0x4f, 0x59, 0xb8, 0x39, 0x73, 0x08, 0xee, 0x6c, 0x4e, 0x60,
    0xba, 0x64, 0xb0, 0x58, 0x13, 0x02, 0x00, 0x00, 0x2e, 0x00, 0x2b, 0x00,
    0x02, 0x03, 0x04, 0x00, 0x33, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, 0xad,
    0x89, 0x45, 0xd4, 0x2c, 0xc9, 0x81, 0x2c, 0xe4, 0x4b, 0xd4, 0x97, 0x31,
    0xe7, 0xbf, 0x3e, 0x06, 0xeb, 0x76, 0x68, 0x1b, 0xc1, 0x1a, 0xe3, 0x3b,
    0x67, 0xe7, 0xff, 0x9b, 0x95, 0xee, 0x53,
};

/* recorded: openssl s_server -tls1_3 -groups P-256: our x25519 share draws a HelloRetryRequest */
static const uint8_t rec_ossl_hrr[] = {
    0x16, 0x03, 0x03, 0x00, 0x58, 0x02, 0x00, 0x00, 0x54, 0x03, 0x03, 0xcf,
    0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e,
    0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07,
    0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c, 0x20, 0xfb, 0x14, 0xbf, 0x8c,
    0xac, 0x3f, 0x41, 0x6d, 0xc1, 0x41, 0x48, 0x0c, 0x26, 0xe3, 0x04, 0xac,
    0x61, 0x31, 0x7e, 0xfd, 0x52, 0xc1, 0x84, 0x6a, 0x84, 0x26, 0x1b, 0x24,
    0x2c, 0xb6, 0x66, 0x22, 0x13, 0x01, 0x00, 0x00, 0x0c, 0x00, 0x2b, 0x00,
    0x02, 0x03, 0x04, 0x00, 0x33, 0x00, 0x02, 0x00, 0x17,
};

/* recorded: busybox httpd with a Basic-protected tree, and an open one */
static const char rec_httpd_401[] =
    "HTTP/1.1 401 Unauthorized\r\nDate: Sat, 21 Nov 2026 08:05:15 GMT\r\nConnection: close\r\n"
    "Content-type: text/html\r\nWWW-Authenticate: Basic realm=\"Web Server Authentication\"\r\n\r\n"
    "<HTML><HEAD><TITLE>401 Unauthorized</TITLE></HEAD>\n<BODY><H1>401 Unauthorized</H1>\n\n"
    "</BODY></HTML>\n";
static const char rec_httpd_200[] =
    "HTTP/1.1 200 OK\r\nDate: Sat, 21 Nov 2026 08:05:15 GMT\r\nConnection: close\r\n"
    "Content-type: text/html\r\nAccept-Ranges: bytes\r\nLast-Modified: Sat, 21 Nov 2026 08:05:13 GMT\r\n"
    "ETag: \"6b0150b9-3\"\r\nContent-Length: 3\r\n\r\n";
/* recorded: busybox httpd answering our RTSP OPTIONS (and our ClientHello) */
static const char rec_httpd_400[] =
    "HTTP/1.1 400 Bad Request\r\nDate: Sat, 21 Nov 2026 08:05:26 GMT\r\nConnection: close\r\n"
    "Content-type: text/html\r\n\r\n<HTML><HEAD><TITLE>400 Bad Request</TITLE></HEAD>\n";

/* recorded: coap-server (libcoap 4.3.1), request and reply to our GET /.well-known/core */
static const uint8_t rec_coap_req[] = {
    0x44, 0x01, 0x12, 0x34, 0x7e, 0x9a, 0xc0, 0x48, 0xbb, 0x2e, 0x77, 0x65,
    0x6c, 0x6c, 0x2d, 0x6b, 0x6e, 0x6f, 0x77, 0x6e, 0x04, 0x63, 0x6f, 0x72,
    0x65,
};
static const uint8_t rec_coap[] = {
    0x64, 0x45, 0x12, 0x34, 0x7e, 0x9a, 0xc0, 0x48, 0xc1, 0x28, 0xff, 0x3c,
    0x2f, 0x3e, 0x3b, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x3d, 0x22, 0x47, 0x65,
    0x6e, 0x65, 0x72, 0x61, 0x6c, 0x20, 0x49, 0x6e, 0x66, 0x6f, 0x22, 0x3b,
    0x63, 0x74, 0x3d, 0x30, 0x2c, 0x3c, 0x2f, 0x74, 0x69, 0x6d, 0x65, 0x3e,
    0x3b, 0x69, 0x66, 0x3d, 0x22, 0x63, 0x6c, 0x6f, 0x63, 0x6b, 0x22, 0x3b,
    0x72, 0x74, 0x3d, 0x22, 0x74, 0x69, 0x63, 0x6b, 0x73, 0x22, 0x3b, 0x74,
    0x69, 0x74, 0x6c, 0x65, 0x3d, 0x22, 0x49, 0x6e, 0x74, 0x65, 0x72, 0x6e,
    0x61, 0x6c, 0x20, 0x43, 0x6c, 0x6f, 0x63, 0x6b, 0x22, 0x3b, 0x63, 0x74,
    0x3d, 0x30, 0x3b, 0x6f, 0x62, 0x73, 0x2c, 0x3c, 0x2f, 0x61, 0x73, 0x79,
    0x6e, 0x63, 0x3e, 0x3b, 0x63, 0x74, 0x3d, 0x30, 0x2c, 0x3c, 0x2f, 0x65,
    0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x5f, 0x64, 0x61, 0x74, 0x61, 0x3e,
    0x3b, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x3d, 0x22, 0x45, 0x78, 0x61, 0x6d,
    0x70, 0x6c, 0x65, 0x20, 0x44, 0x61, 0x74, 0x61, 0x22, 0x3b, 0x63, 0x74,
    0x3d, 0x30, 0x3b, 0x6f, 0x62, 0x73,
};

/* recorded: openssl s_server -dtls -listen: our DTLS ClientHello, its HelloVerifyRequest */
static const uint8_t rec_dtls_req[] = {
    0x16, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x12, 0x34, 0x00,
    0xe6, 0x01, 0x00, 0x00, 0xda, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xda, 0xfe, 0xfd, 0x81, 0xc3, 0xe3, 0xc9, 0x19, 0x3c, 0x26, 0x84, 0x1a,
    0xcf, 0xa9, 0xfb, 0x57, 0xff, 0xcf, 0xdc, 0x54, 0xaa, 0xf5, 0xaf, 0x72,
    0x20, 0x40, 0x12, 0xe3, 0x2a, 0xed, 0xe8, 0x59, 0xf1, 0xf0, 0x8c, 0x00,
    0x00, 0x00, 0x6c, 0xc0, 0x2b, 0xc0, 0x2c, 0xcc, 0xa9, 0xc0, 0x2f, 0xc0,
    0x30, 0xcc, 0xa8, 0xc0, 0xac, 0xc0, 0xad, 0xc0, 0xae, 0xc0, 0xaf, 0x00,
    0x9e, 0x00, 0x9f, 0xcc, 0xaa, 0xc0, 0x9e, 0xc0, 0x9f, 0xc0, 0x23, 0xc0,
    0x24, 0xc0, 0x27, 0xc0, 0x28, 0xc0, 0x09, 0xc0, 0x0a, 0xc0, 0x13, 0xc0,
    0x14, 0x00, 0x67, 0x00, 0x6b, 0x00, 0x33, 0x00, 0x39, 0x00, 0x32, 0x00,
    0x38, 0x00, 0x9c, 0x00, 0x9d, 0xc0, 0x9c, 0xc0, 0x9d, 0x00, 0x3c, 0x00,
    0x3d, 0x00, 0x2f, 0x00, 0x35, 0x00, 0x41, 0x00, 0x84, 0x00, 0x45, 0x00,
    0x88, 0xc0, 0xa8, 0xc0, 0xa4, 0x00, 0xa8, 0x00, 0xae, 0x00, 0x8c, 0xc0,
    0x35, 0xc0, 0x12, 0xc0, 0x08, 0x00, 0x16, 0x00, 0x13, 0x00, 0x0a, 0x00,
    0x09, 0x00, 0xff, 0x01, 0x00, 0x00, 0x44, 0x00, 0x0b, 0x00, 0x02, 0x01,
    0x00, 0x00, 0x0a, 0x00, 0x0c, 0x00, 0x0a, 0x00, 0x1d, 0x00, 0x17, 0x00,
    0x18, 0x00, 0x19, 0x00, 0x1e, 0x00, 0x0d, 0x00, 0x26, 0x00, 0x24, 0x04,
    0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x07, 0x08, 0x08, 0x08, 0x04, 0x08,
    0x05, 0x08, 0x06, 0x08, 0x09, 0x08, 0x0a, 0x08, 0x0b, 0x04, 0x01, 0x05,
    0x01, 0x06, 0x01, 0x04, 0x02, 0x02, 0x03, 0x02, 0x01, 0x02, 0x02, 0x00,
    0x17, 0x00, 0x00,
};
static const uint8_t rec_dtls_hvr[] = {
    0x16, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x23, 0x03, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x17, 0xfe, 0xff, 0x14, 0x6b, 0xf5, 0xbc, 0x32, 0x6c, 0x02, 0xa4, 0xf5,
    0xdb, 0xff, 0x03, 0xd7, 0x8d, 0xef, 0x71, 0xea, 0x1a, 0x1a, 0xf9, 0x43,
};
/* recorded: the same server's ServerHello after our second hello carried its cookie */
static const uint8_t rec_dtls_sh[] = {
    0x16, 0xfe, 0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
    0x65, 0x02, 0x00, 0x00, 0x59, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x59, 0xfe, 0xfd, 0xe2, 0x72, 0x80, 0x64, 0x08, 0xff, 0xa8, 0x6f, 0x45,
    0xc8, 0x2e, 0xb5, 0xf0, 0x36, 0xca, 0xf0, 0x9b, 0x31, 0x0c, 0x6c, 0xbc,
    0x23, 0x06, 0x2e, 0x22, 0xfe, 0x46, 0x99, 0xee, 0x68, 0x47, 0xef, 0x20,
    0x66, 0xec, 0x3c, 0xc1, 0x4a, 0x9e, 0x47, 0x72, 0x7d, 0x69, 0x18, 0xa6,
    0xb1, 0x25, 0x89, 0xc1, 0x59, 0x34, 0x29, 0xbd, 0x99, 0x57, 0xa4, 0x9b,
    0x2b, 0xa2, 0x00, 0x7d, 0x88, 0x51, 0x48, 0xea, 0xc0, 0x2b, 0x00, 0x00,
    0x11, 0xff, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0b, 0x00, 0x04, 0x03, 0x00,
    0x01, 0x02, 0x00, 0x17, 0x00, 0x00,
};

/* ---- constructed replies ------------------------------------------------- */

/* constructed: MariaDB 10.11 greeting and a "host not allowed" error (protocol docs) */
static const uint8_t con_mysql_greeting[] =
    "\x63\x00\x00\x00" "\x0a" "5.5.5-10.11.6-MariaDB-0+deb12u1" "\x00" "\x03\x00\x00\x00" "abcdefgh" "\x00"
    "\xfe\xf7" "\x2d" "\x02\x00" "\xff\x81" "\x15" "\x00\x00\x00\x00\x00\x00" "\x1d\x00\x00\x00"
    "ijklmnopqrst" "\x00" "mysql_native_password" "\x00";
static const uint8_t con_mysql_err[] =
    "\x45\x00\x00\x00" "\xff\x6a\x04" "Host '172.17.0.1' is not allowed to connect to this MariaDB server";

/* constructed: adb AUTH (token) and an unauthenticated CNXN (adb protocol.txt) */
static const uint8_t con_adb_auth[] =
    "AUTH" "\x01\x00\x00\x00" "\x00\x00\x00\x00" "\x14\x00\x00\x00" "\x10\x07\x00\x00" "\xbe\xaa\xab\xb7"
    "\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\x10\x20\x30\x40\x50";
static const uint8_t con_adb_cnxn[] =
    "CNXN" "\x00\x00\x00\x01" "\x00\x10\x00\x00" "\x20\x00\x00\x00" "\x00\x00\x00\x00" "\xbc\xb1\xa7\xb1"
    "device::ro.product.model=cam-01;";

static const char con_rtsp_200[] =
    "RTSP/1.0 200 OK\r\nCSeq: 1\r\nDate: Sat, Nov 21 2026 08:00:00 GMT\r\n"
    "Public: OPTIONS, DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER\r\n\r\n";
static const char con_rtsp_401[] =
    "RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nServer: Hipcam RealServer/V1.0\r\n"
    "WWW-Authenticate: Digest realm=\"Hipcam RealServer\", nonce=\"3b27a446bfa49b0c48c3edb83139543d\"\r\n\r\n";

/* ---- server-first table -------------------------------------------------- */

struct banner_case {
    const char *name;
    const uint8_t *buf;
    size_t len;
    int ret;                /* ident_banner's return */
    const char *service;
    const char *detail;     /* substring expected in detail, or NULL */
    const char *banner;     /* exact banner expected, or NULL */
};

static const struct banner_case banner_cases[] = {
    {"sshd (recorded)", A(rec_sshd), 1, "ssh", "banner 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10'",
     "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10"},
    {"telnetd (recorded)", A(rec_telnetd), 1, "telnet", "IAC DO ECHO (ff fd 01)", "Debian GNU/Linux 12"},
    {"telnetd prompt kept", A(rec_telnetd), 1, "telnet", "login: '", NULL},
    {"ssh after preamble lines", B("Welcome\r\nSSH-2.0-dropbear_2019.78\r\n"), 1, "ssh",
     "dropbear_2019.78", "SSH-2.0-dropbear_2019.78"},
    {"ssh 1.99", B("SSH-1.99-Cisco-1.25\n"), 1, "ssh", "Cisco", NULL},
    {"telnet IAC only", B("\xff\xfb\x01\xff\xfb\x03"), 1, "telnet", "IAC WILL ECHO (ff fb 01), IAC WILL SGA", ""},
    {"telnet IAC + shell prompt", B("\xff\xfb\x01\xff\xfb\x03\r\n/ # "), 1, "telnet", "then '/ # '", NULL},
    {"telnet subnegotiation skipped", B("\xff\xfd\x18\xff\xfa\x18\x01\xff\xf0login: "), 1, "telnet",
     "then 'login: '", NULL},
    {"telnet unknown option", B("\xff\xfd\xc8"), 1, "telnet", "opt 200 (ff fd c8)", NULL},
    {"bare login prompt", B("\r\nIPCam login: "), 1, "telnet", "without telnet negotiation", "IPCam login: "},
    {"bare password prompt", B("Password: "), 1, "telnet", "'password:'", NULL},
    {"vsftpd", B("220 (vsFTPd 3.0.3)\r\n"), 1, "ftp", "220 (vsFTPd 3.0.3)", "220 (vsFTPd 3.0.3)"},
    {"proftpd", B("220 ProFTPD Server (Debian) [::ffff:192.168.1.20]\r\n"), 1, "ftp", "ProFTPD", NULL},
    {"filezilla multi-line", B("220-FileZilla Server 0.9.60 beta\r\n220-written by Tim Kosse\r\n"), 1, "ftp",
     "FileZilla", NULL},
    {"bare 220 means ftp", B("220 Welcome\r\n"), 1, "ftp", "FTP assumed", NULL},
    {"postfix", B("220 mail.example.com ESMTP Postfix (Debian/GNU)\r\n"), 1, "smtp", "ESMTP Postfix", NULL},
    {"exim without SMTP word", B("220 mx.example.org Exim 4.96 ready\r\n"), 1, "smtp", NULL, NULL},
    {"421 ftp busy", B("421 Too many FTP connections\r\n"), 1, "ftp", NULL, NULL},
    {"pop3", B("+OK Dovecot ready.\r\n"), 1, "pop3", "+OK Dovecot", NULL},
    {"imap", B("* OK [CAPABILITY IMAP4rev1 LITERAL+] Dovecot ready.\r\n"), 1, "imap", NULL, NULL},
    {"imap preauth", B("* PREAUTH IMAP4rev1 server logged in as root\r\n"), 1, "imap", "without a login", NULL},
    {"vnc", B("RFB 003.008\n"), 1, "vnc", "'RFB 003.008'", "RFB 003.008"},
    {"mysql greeting", con_mysql_greeting, sizeof(con_mysql_greeting) - 1, 1, "mysql",
     "'5.5.5-10.11.6-MariaDB-0+deb12u1'", NULL},
    {"mysql host refused", con_mysql_err, sizeof(con_mysql_err) - 1, 1, "mysql", "error packet 1130", NULL},
    {"http unprompted", B("HTTP/1.0 408 Request Timeout\r\n\r\n"), 1, "http", "408", NULL},

    /* negatives: nothing here may be called a known service */
    {"empty", (const uint8_t *)"", 0, 0, "unknown", NULL, ""},
    {"SSH- mid-line", B("Hello, we do not run SSH-2.0-OpenSSH here\r\n"), 0, "unknown",
     "unrecognised banner", "Hello, we do not run SSH-2.0-OpenSSH here"},
    {"SSH- mid-line in ftp", B("220 FTP ready, not SSH-2.0-OpenSSH\r\n"), 1, "ftp", NULL, NULL},
    {"SSH without software version", B("SSH-2.0-\r\n"), 0, "unknown", NULL, NULL},
    {"SSH with letters for version", B("SSH-x.y-foo\r\n"), 0, "unknown", NULL, NULL},
    {"SSH after binary line", B("\x01\x02\x03\nSSH-2.0-x\r\n"), 0, "unknown", NULL, NULL},
    {"root shell prompt", B("/ # "), 0, "unknown", "shell prompt", "/ # "},
    {"hash banner", B("# starprobe test banner #\r\n"), 0, "unknown", "unrecognised banner", NULL},
    {"generic banner", B("Welcome to the device console\r\n"), 0, "unknown", "unrecognised banner",
     "Welcome to the device console"},
    {"escaped control bytes", B("AB\x1b[2Jcd\r\n"), 0, "unknown", "AB\\x1b[2Jcd", NULL},
    {"random bytes", B("\x8e\x12\xa9\x00\x7f\x33\xc4\x91\x05\xee"), 0, "unknown", "10 bytes, not text", ""},
    {"truncated IAC", B("\xff\xfd"), 0, "unknown", NULL, NULL},
    {"IAC with non-negotiation command", B("\xff\xf1\x01"), 0, "unknown", NULL, NULL},
    {"VNC without newline", B("RFB 003.008"), 0, "unknown", NULL, NULL},
    {"mysql length past the packet", B("\xff\xff\x00\x00\x0a""5.7\x00"), 0, "unknown", NULL, NULL},
    {"mysql greeting cut short", B("\x63\x00\x00\x00\x0a""8.0.36\x00\x01\x00"), 0, "unknown", NULL, NULL},
    {"mysql error code out of range", B("\x0d\x00\x00\x00\xff\x01\x00Host denied"), 0, "unknown", NULL, NULL},
    {"200 is not 220", B("200 OK\r\n"), 0, "unknown", NULL, NULL},
    {"login word mid-text", B("Please login: later today we reboot\r\n"), 0, "unknown", NULL, NULL},
};

static void test_banner_table(void)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(banner_cases); i++) {
        const struct banner_case *c = &banner_cases[i];
        struct ident_result r;
        int ret = ident_banner(c->buf, c->len, &r);

        CHECK(c->name, ret == c->ret);
        CHECK(c->name, strcmp(r.service, c->service) == 0);
        if (c->detail)
            CHECK(c->name, strstr(r.detail, c->detail) != NULL);
        if (c->banner)
            CHECK(c->name, strcmp(r.banner, c->banner) == 0);
        CHECK(c->name, strlen(r.detail) < sizeof(r.detail) && strlen(r.banner) < sizeof(r.banner));
    }
}

/* ---- client-first TCP table ---------------------------------------------- */

struct tcp_case {
    const char *name;
    const char *probe;      /* whose matcher; NULL: ident_any only */
    const uint8_t *buf;
    size_t len;
    int match;              /* the probe's matcher */
    const char *any;        /* what ident_any says, NULL: not identified */
    const char *detail;     /* substring of the detail when identified */
};

static const struct tcp_case tcp_cases[] = {
    {"mosquitto anonymous (recorded)", "mqtt", A(rec_mosq_anon), 1, "mqtt", "CONNACK 20 02 00 00 (return code 0"},
    {"mosquitto refused (recorded)", "mqtt", A(rec_mosq_auth), 1, "mqtt", "return code 5, not authorized"},
    {"mosquitto v5 (recorded)", "mqtt", A(rec_mosq5_anon), 1, "mqtt", "MQTT 5 CONNACK reason 0x00"},
    {"mosquitto v5 refused (recorded)", "mqtt", A(rec_mosq5_auth), 1, "mqtt", "0x87 (Not authorized)"},
    {"tls13 (recorded)", "tls", A(rec_ossl_tls13), 1, "tls", "ServerHello 0x0303 suite 0x1301"},
    {"tls13 selected", "tls", A(rec_ossl_tls13), 1, "tls", "selected TLSv1.3"},
    {"tls12 ecdsa (recorded)", "tls", A(rec_ossl_ec12), 1, "tls",
     "ServerHello 0x0303 suite 0xc02b (TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)"},
    {"tls10 (recorded)", "tls", A(rec_ossl_tls10), 1, "tls", "ServerHello 0x0301 suite 0x002f"},
    {"tls alert (recorded)", "tls", A(rec_ossl_alert), 1, "tls", "alert level 2 desc 40 (handshake_failure)"},
    {"mosquitto tls (recorded)", "tls", A(rec_mosq_tls13), 1, "tls", "suite 0x1302"},
    {"hello retry (recorded)", "tls", A(rec_ossl_hrr), 1, "tls", "HelloRetryRequest"},
    {"httpd 401 Basic (recorded)", "http", B(rec_httpd_401), 1, "http",
     "'HTTP/1.1 401 Unauthorized', WWW-Authenticate Basic 'Basic realm=\"Web Server Authentication\"'"},
    {"httpd 200 (recorded)", "http", B(rec_httpd_200), 1, "http", "'HTTP/1.1 200 OK'"},
    {"http server header", "http", B("HTTP/1.0 200 OK\r\nServer: GoAhead-Webs\r\n\r\n"), 1, "http",
     "Server 'GoAhead-Webs'"},
    {"http to rtsp probe (recorded)", "rtsp", B(rec_httpd_400), 0, "http", "400 Bad Request"},
    {"rtsp 200", "rtsp", B(con_rtsp_200), 1, "rtsp", "'RTSP/1.0 200 OK', CSeq '1'"},
    {"rtsp 401 digest", "rtsp", B(con_rtsp_401), 1, "rtsp", "Hipcam"},
    {"rtsp to http probe", "http", B("RTSP/1.0 400 Bad Request\r\nCSeq: 0\r\n\r\n"), 0, "rtsp", NULL},
    {"adb auth", "adb", con_adb_auth, sizeof(con_adb_auth) - 1, 1, "adb", "RSA key"},
    {"adb open", "adb", con_adb_cnxn, sizeof(con_adb_cnxn) - 1, 1, "adb",
     "without authentication, 'device::ro.product.model=cam-01;'"},
    {"rlogin nul", "rlogin", B("\x00"), 1, NULL, "weak evidence"},
    {"rlogin nul + prompt", "rlogin", B("\x00Password: "), 1, NULL, "then 'Password: '"},
    {"rlogin refused", "rlogin", B("\x01rlogind: Permission denied.\r\n"), 1, NULL, "Permission denied"},
    {"ssh answers http probe (recorded)", "http", A(rec_sshd), 0, "ssh", "OpenSSH_9.2p1"},
    {"telnet answers tls probe (recorded)", "tls", A(rec_telnetd), 0, "telnet", NULL},

    /* an HTTP server that says 200 to anything must stay http */
    {"http 200 to tls probe", "tls", B(rec_httpd_200), 0, "http", NULL},
    {"http 200 to mqtt probe", "mqtt", B(rec_httpd_200), 0, "http", NULL},
    {"http 200 to rtsp probe", "rtsp", B(rec_httpd_200), 0, "http", NULL},
    {"http 200 to adb probe", "adb", B(rec_httpd_200), 0, "http", NULL},
    {"http 200 to rlogin probe", "rlogin", B(rec_httpd_200), 0, "http", NULL},

    /* malformed, truncated, oversized */
    {"empty", "tls", (const uint8_t *)"", 0, 0, NULL, NULL},
    {"connack cut short", "mqtt", B("\x20\x02\x00"), 0, NULL, NULL},
    {"connack bad return code", "mqtt", B("\x20\x02\x00\x06"), 0, NULL, NULL},
    {"connack bad flags", "mqtt", B("\x20\x02\x02\x00"), 0, NULL, NULL},
    {"connack session present with refusal", "mqtt", B("\x20\x02\x01\x05"), 0, NULL, NULL},
    {"mqtt5 properties overrun", "mqtt", B("\x20\x03\x00\x00\x09"), 0, NULL, NULL},
    {"mqtt5 unknown reason", "mqtt", B("\x20\x03\x00\x42\x00"), 0, NULL, NULL},
    {"mqtt remaining length huge", "mqtt", B("\x20\xff\xff\xff\x7f\x00"), 0, NULL, NULL},
    {"mqtt varint never ends", "mqtt", B("\x20\xff\xff\xff\xff\xff"), 0, NULL, NULL},
    {"tls record cut short", "tls", rec_ossl_ec12, 40, 0, NULL, NULL},
    {"tls header only", "tls", rec_ossl_ec12, 5, 0, NULL, NULL},
    {"tls oversized record", "tls", B("\x16\x03\x03\xff\xff\x02\x00\x00\x4d\x03\x03"), 0, NULL, NULL},
    {"tls oversized handshake", "tls", B("\x16\x03\x03\x00\x08\x02\xff\xff\xff\x03\x03\x00\x00"), 0, NULL, NULL},
    {"tls alert level 9", "tls", B("\x15\x03\x03\x00\x02\x09\x28"), 0, NULL, NULL},
    {"tls alert too long", "tls", B("\x15\x03\x03\x00\x03\x02\x28\x00"), 0, NULL, NULL},
    {"tls version 3.9", "tls", B("\x15\x03\x09\x00\x02\x02\x28"), 0, NULL, NULL},
    {"dtls on tcp", "tls", A(rec_dtls_hvr), 0, NULL, NULL},
    {"http/2 preface", "http", B("HTTP/2 200\r\n\r\n"), 0, NULL, NULL},
    {"http status not digits", "http", B("HTTP/1.1 2x0 OK\r\n"), 0, NULL, NULL},
    {"http word in text", "http", B("see HTTP/1.1 200 OK\r\n"), 0, NULL, NULL},
    {"adb magic wrong", "adb", B("AUTH\x01\x00\x00\x00\x00\x00\x00\x00\x14\x00\x00\x00\x10\x07\x00\x00\x00\x00\x00\x00"),
     0, NULL, NULL},
    {"adb cut short", "adb", con_adb_auth, 20, 0, NULL, NULL},
    {"rlogin binary after nul", "rlogin", B("\x00\x89\xfe\x10\x00"), 0, NULL, NULL},
    {"rlogin error without text", "rlogin", B("\x01\x02"), 0, NULL, NULL},
    {"random", "tls", B("\x3a\x9f\x00\x17\xee\x41\x02\x99\xcc\x10\x20\x30\x40"), 0, NULL, NULL},
};

static const struct ident_probe *find_probe(const char *name)
{
    for (size_t i = 0; i < ident_tcp_nprobes; i++)
        if (strcmp(ident_tcp_probes[i].name, name) == 0)
            return &ident_tcp_probes[i];
    return NULL;
}

static void test_tcp_table(void)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(tcp_cases); i++) {
        const struct tcp_case *c = &tcp_cases[i];
        const struct ident_probe *p = c->probe ? find_probe(c->probe) : NULL;
        struct ident_result r;
        int m, a;

        CHECK(c->name, c->probe == NULL || p != NULL);
        if (p) {
            ident_result_init(&r);
            m = p->match(c->buf, c->len, &r);
            CHECK(c->name, m == c->match);
            if (m && c->detail)
                CHECK(c->name, strstr(r.detail, c->detail) != NULL);
        }
        a = ident_any(c->buf, c->len, &r);
        CHECK(c->name, a == (c->any != NULL));
        CHECK(c->name, strcmp(r.service, c->any ? c->any : "unknown") == 0);
        if (a && c->detail && !c->match)
            CHECK(c->name, strstr(r.detail, c->detail) != NULL);
    }
}

/* ident_reply_done must stop reading once the evidence is complete, and not before. */
static void test_reply_done(void)
{
    CU_ASSERT(ident_reply_done(A(rec_mosq_anon), NULL) == 1);
    CU_ASSERT(ident_reply_done(rec_mosq_anon, 3, NULL) == 0);
    CU_ASSERT(ident_reply_done(A(rec_ossl_ec12), NULL) == 1);
    CU_ASSERT(ident_reply_done(rec_ossl_ec12, 50, NULL) == 0);
    CU_ASSERT(ident_reply_done(B(rec_httpd_200), NULL) == 1);
    CU_ASSERT(ident_reply_done((const uint8_t *)rec_httpd_200, 40, NULL) == 0);
    CU_ASSERT(ident_reply_done(A(rec_sshd), NULL) == 1);
}

/* ---- builders -------------------------------------------------------------- */

static void test_builders(void)
{
    uint8_t buf[1024];
    size_t n;

    n = http_ident_build(buf, sizeof(buf), "192.168.1.10", 8080);
    buf[n] = 0;
    CU_ASSERT(n > 0 && strncmp((char *)buf, "GET / HTTP/1.0\r\nHost: 192.168.1.10:8080\r\n", 41) == 0);
    CU_ASSERT(n > 4 && memcmp(buf + n - 4, "\r\n\r\n", 4) == 0);
    n = http_ident_build(buf, sizeof(buf), "cam.local", 80);
    buf[n] = 0;
    CU_ASSERT(strstr((char *)buf, "Host: cam.local\r\n") != NULL);
    n = http_ident_build(buf, sizeof(buf), "fe80::1%eth0", 443);
    buf[n] = 0;
    CU_ASSERT(strstr((char *)buf, "Host: [fe80::1]:443\r\n") != NULL);
    n = http_ident_build(buf, sizeof(buf), "[::1]", 8000);
    buf[n] = 0;
    CU_ASSERT(strstr((char *)buf, "Host: [::1]:8000\r\n") != NULL);
    /* a CR/LF or space in the target must never become a header */
    CU_ASSERT(http_ident_build(buf, sizeof(buf), "evil\r\nX-Injected: 1", 80) == 0);
    CU_ASSERT(http_ident_build(buf, sizeof(buf), "a b", 80) == 0);
    CU_ASSERT(http_ident_build(buf, sizeof(buf), "", 80) == 0);
    CU_ASSERT(http_ident_build(buf, sizeof(buf), NULL, 80) == 0);

    {
        const struct ident_probe *rtsp = find_probe("rtsp");
        n = rtsp->build(buf, sizeof(buf), "10.0.0.5", 554);
        buf[n] = 0;
        CU_ASSERT(strcmp((char *)buf, "OPTIONS rtsp://10.0.0.5:554/ RTSP/1.0\r\nCSeq: 1\r\n"
                                      "User-Agent: starprobe/" STARPROBE_VERSION "\r\n\r\n") == 0);
    }

    /* MQTT CONNECT: remaining length agrees, protocol MQTT level 4, clean session, random id */
    {
        uint8_t b2[128];
        size_t n2;
        n = mqtt_ident_build(buf, sizeof(buf), NULL, 1883);
        n2 = mqtt_ident_build(b2, sizeof(b2), NULL, 1883);
        CU_ASSERT(n > 14 && buf[0] == 0x10 && (size_t)buf[1] + 2 == n);
        CU_ASSERT(memcmp(buf + 2, "\x00\x04MQTT\x04\x02", 8) == 0);
        CU_ASSERT((size_t)(buf[12] << 8 | buf[13]) + 14 == n);
        CU_ASSERT(n == n2 && memcmp(buf, b2, n) != 0);
    }

    /* adb CNXN: magic is the command's complement */
    {
        const struct ident_probe *adb = find_probe("adb");
        n = adb->build(buf, sizeof(buf), "h", 5555);
        CU_ASSERT(n == 31 && memcmp(buf, "CNXN", 4) == 0);
        CU_ASSERT((buf[20] ^ buf[0]) == 0xff && (buf[23] ^ buf[3]) == 0xff);
        CU_ASSERT(buf[12] == 7 && memcmp(buf + 24, "host::\0", 7) == 0);
    }
    {
        const struct ident_probe *rl = find_probe("rlogin");
        n = rl->build(buf, sizeof(buf), "h", 513);
        CU_ASSERT(n == 23 && memcmp(buf, "\0root\0root\0xterm/38400\0", 23) == 0);
    }

    /* every builder refuses a buffer that is too small, at every size (ASan watches) */
    for (size_t i = 0; i < ident_tcp_nprobes; i++) {
        const struct ident_probe *p = &ident_tcp_probes[i];
        size_t full = p->build(buf, sizeof(buf), "camera.example", 8443);
        CHECK(p->name, full > 0);
        for (size_t cap = 0; cap < full; cap++) {
            uint8_t *small = malloc(cap ? cap : 1);
            CHECK(p->name, p->build(small, cap, "camera.example", 8443) == 0);
            free(small);
        }
    }
    for (size_t i = 0; i < ident_udp_nprobes; i++) {
        const struct udp_probe *p = &ident_udp_probes[i];
        size_t full = p->build(buf, sizeof(buf), 0x1234);
        CHECK(p->name, full > 0);
        for (size_t cap = 0; cap < full; cap++) {
            uint8_t *small = malloc(cap ? cap : 1);
            CHECK(p->name, p->build(small, cap, 0x1234) == 0);
            free(small);
        }
    }
}

static int hinted(const char *probe, long port)
{
    const struct ident_probe *p = find_probe(probe);
    for (const long *h = p->hint_ports; *h; h++)
        if (*h == port)
            return 1;
    return 0;
}

static void test_tables(void)
{
    static const long udp_ports[] = {53, 67, 69, 123, 161, 500, 1900, 3702, 5353, 5683, 5684};

    CU_ASSERT(ident_tcp_nprobes == 6);
    CU_ASSERT(strcmp(ident_tcp_probes[0].name, "tls") == 0);
    CU_ASSERT(strcmp(ident_tcp_probes[ident_tcp_nprobes - 1].name, "rlogin") == 0);
    CU_ASSERT(hinted("mqtt", 1883) && hinted("mqtt", 8883) && hinted("rtsp", 554) && hinted("rtsp", 8554));
    CU_ASSERT(hinted("adb", 5555) && hinted("rlogin", 512) && hinted("rlogin", 514));
    CU_ASSERT(hinted("tls", 443) && hinted("tls", 8443) && !hinted("tls", 80));
    /* 161 has two requests: v2c "public", then SNMPv3 engine discovery */
    CU_ASSERT(ident_udp_nprobes == SP_ARRAY_LEN(udp_ports) + 1);
    for (size_t i = 0; i < SP_ARRAY_LEN(udp_ports); i++) {
        const struct udp_probe *p = ident_udp_probe(udp_ports[i]);
        CU_ASSERT(p != NULL && p->port == udp_ports[i] && p->build && p->match);
    }
    CU_ASSERT(ident_udp_probe(80) == NULL);
    CU_ASSERT(ident_udp_probe(0) == NULL);
}

/* ---- UDP table --------------------------------------------------------------- */

/* Fixups: copy what a real server echoes from our request into a reply template. */
typedef void (*fixup_fn)(const uint8_t *req, size_t reqlen, uint8_t *rep, size_t len);

static void fix_dns_id(const uint8_t *req, size_t reqlen, uint8_t *rep, size_t len)
{
    if (reqlen >= 2 && len >= 2)
        memcpy(rep, req, 2);
}

static void fix_dhcp(const uint8_t *req, size_t reqlen, uint8_t *rep, size_t len)
{
    if (reqlen >= 34 && len >= 34) {
        memcpy(rep + 4, req + 4, 4);        /* xid */
        memcpy(rep + 28, req + 28, 6);      /* chaddr */
    }
}

static void fix_ntp(const uint8_t *req, size_t reqlen, uint8_t *rep, size_t len)
{
    if (reqlen >= 48 && len >= 48)
        memcpy(rep + 24, req + 40, 8);      /* origin = our transmit timestamp */
}

static void fix_ike(const uint8_t *req, size_t reqlen, uint8_t *rep, size_t len)
{
    if (reqlen >= 8 && len >= 8)
        memcpy(rep, req, 8);                /* initiator SPI */
}

static void fix_wsd(const uint8_t *req, size_t reqlen, uint8_t *rep, size_t len)
{
    const uint8_t *id = sp_memcasemem(req, reqlen, "urn:uuid:");
    uint8_t *ph = (uint8_t *)sp_memcasemem(rep, len, "urn:uuid:XXXXXXXX");

    if (id && ph && (size_t)(req + reqlen - id) >= 45 && (size_t)(rep + len - ph) >= 45)
        memcpy(ph, id, 45);
}

static void fix_break_first(const uint8_t *req, size_t reqlen, uint8_t *rep, size_t len)
{
    (void)req;
    (void)reqlen;
    if (len > 0)
        rep[0] ^= 0x01;
}

static void fix_coap_token(const uint8_t *req, size_t reqlen, uint8_t *rep, size_t len)
{
    (void)req;
    (void)reqlen;
    if (len > 5)
        rep[5] ^= 0xff;
}

/* constructed: dnsmasq-style answer to version.bind CH TXT */
static const uint8_t con_dns[] =
    "\x00\x00\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00"
    "\x07version\x04" "bind\x00\x00\x10\x00\x03"
    "\xc0\x0c\x00\x10\x00\x03\x00\x00\x00\x00\x00\x0d\x0c" "dnsmasq-2.89";
static const uint8_t con_dns_refused[] =
    "\x00\x00\x80\x05\x00\x01\x00\x00\x00\x00\x00\x00"
    "\x07version\x04" "bind\x00\x00\x10\x00\x03";
static const uint8_t con_dns_other_question[] =
    "\x00\x00\x84\x00\x00\x01\x00\x00\x00\x00\x00\x00"
    "\x07" "example\x03" "com\x00\x00\x10\x00\x03";
static const uint8_t con_dns_query_not_reply[] =
    "\x00\x00\x04\x00\x00\x01\x00\x00\x00\x00\x00\x00"
    "\x07version\x04" "bind\x00\x00\x10\x00\x03";
static const uint8_t con_dns_pointer_loop[] =
    "\x00\x00\x84\x00\x00\x01\x00\x00\x00\x00\x00\x00"
    "\xc0\x0c\x00\x10\x00\x03";

/* constructed: Avahi-style legacy-unicast answer listing two service types */
static const uint8_t con_mdns[] =
    "\x00\x00\x84\x00\x00\x01\x00\x02\x00\x00\x00\x00"
    "\x09_services\x07_dns-sd\x04_udp\x05local\x00\x00\x0c\x00\x01"
    "\xc0\x0c\x00\x0c\x00\x01\x00\x00\x11\x94\x00\x0d\x05_http\x04_tcp\xc0\x23"
    "\xc0\x0c\x00\x0c\x00\x01\x00\x00\x11\x94\x00\x0c\x04_ipp\x04_tcp\xc0\x23";
static const uint8_t con_mdns_zero_id_no_answers[] =
    "\x00\x00\x84\x00\x00\x00\x00\x00\x00\x00\x00\x00";
static const uint8_t con_mdns_bad_ptr[] =
    "\x00\x00\x84\x00\x00\x00\x00\x01\x00\x00\x00\x00"
    "\xc0\x30\x00\x0c\x00\x01\x00\x00\x11\x94\x00\x02\xc0\x0c";

/* constructed: a DHCPOFFER (RFC 2131) */
static const uint8_t con_dhcp_offer[300] = {
    [0] = 2, [1] = 1, [2] = 6, [16] = 192, [17] = 168, [18] = 1, [19] = 100,
    [236] = 0x63, [237] = 0x82, [238] = 0x53, [239] = 0x63,
    [240] = 53, [241] = 1, [242] = 2, [243] = 54, [244] = 4, [245] = 192, [246] = 168, [247] = 1, [248] = 1,
    [249] = 255,
};
static const uint8_t con_dhcp_option_overrun[244] = {
    [0] = 2, [1] = 1, [2] = 6, [236] = 0x63, [237] = 0x82, [238] = 0x53, [239] = 0x63,
    [240] = 53, [241] = 200,
};

/* constructed: TFTP (RFC 1350) */
static const uint8_t con_tftp_err[] = "\x00\x05\x00\x01" "File not found";   /* + NUL */
static const uint8_t con_tftp_data[] = "\x00\x03\x00\x01" "hello\n";
static const uint8_t con_tftp_ack[] = "\x00\x04\x00\x01";
static const uint8_t con_tftp_bad_code[] = "\x00\x05\x00\x63" "nope";

/* constructed: NTP v4 server reply (RFC 5905), stratum 2, refid 192.168.1.1 */
static const uint8_t con_ntp[48] = {
    0x24, 0x02, 0x03, 0xe7, 0, 0, 0, 0x10, 0, 0, 0, 0x20, 192, 168, 1, 1,
    0xec, 0x5e, 0x2a, 0x10, 0, 0, 0, 0, [32] = 0xec, 0x5e, 0x2a, 0x11, [40] = 0xec, 0x5e, 0x2a, 0x12,
};
static const uint8_t con_ntp_kod[48] = {0x24, 0x00, 0x03, 0xe7, [12] = 'R', 'A', 'T', 'E'};
static const uint8_t con_ntp_client_mode[48] = {0x23, 0x02};

/* constructed: SNMP v2c GetResponse for request-id 0x1234 (RFC 3416, BER by hand) */
static const uint8_t con_snmp[] =
    "\x30\x40\x02\x01\x01\x04\x06public\xa2\x33\x02\x02\x12\x34\x02\x01\x00\x02\x01\x00"
    "\x30\x27\x30\x25\x06\x08\x2b\x06\x01\x02\x01\x01\x01\x00\x04\x19" "Linux ipcam 4.9.37 armv7l";
static const uint8_t con_snmp_nosuch[] =
    "\x30\x27\x02\x01\x01\x04\x06public\xa2\x1a\x02\x02\x12\x34\x02\x01\x00\x02\x01\x00"
    "\x30\x0e\x30\x0c\x06\x08\x2b\x06\x01\x02\x01\x01\x01\x00\x80\x00";
static const uint8_t con_snmp_other_id[] =
    "\x30\x40\x02\x01\x01\x04\x06public\xa2\x33\x02\x02\x12\x35\x02\x01\x00\x02\x01\x00"
    "\x30\x27\x30\x25\x06\x08\x2b\x06\x01\x02\x01\x01\x01\x00\x04\x19" "Linux ipcam 4.9.37 armv7l";
static const uint8_t con_snmp_other_community[] =
    "\x30\x40\x02\x01\x01\x04\x06privat\xa2\x33\x02\x02\x12\x34\x02\x01\x00\x02\x01\x00"
    "\x30\x27\x30\x25\x06\x08\x2b\x06\x01\x02\x01\x01\x01\x00\x04\x19" "Linux ipcam 4.9.37 armv7l";
static const uint8_t con_snmp_oversized[] = "\x30\x84\xff\xff\xff\xff\x02\x01\x01";
static const uint8_t con_snmp_indefinite[] = "\x30\x80\x02\x01\x01\x04\x06public\x00\x00";

/* constructed: IKEv2 responder refusing our key share (RFC 7296 INVALID_KE_PAYLOAD, wants group 19) */
static const uint8_t con_ike[] =
    "\x00\x00\x00\x00\x00\x00\x00\x00" "\x5a\x11\x22\x33\x44\x55\x66\x77"
    "\x29\x20\x22\x20\x00\x00\x00\x00\x00\x00\x00\x26"
    "\x00\x00\x00\x0a\x00\x00\x00\x11\x00\x13";
static const uint8_t con_ike_no_response_flag[] =
    "\x00\x00\x00\x00\x00\x00\x00\x00" "\x5a\x11\x22\x33\x44\x55\x66\x77"
    "\x29\x20\x22\x08\x00\x00\x00\x00\x00\x00\x00\x26"
    "\x00\x00\x00\x0a\x00\x00\x00\x11\x00\x13";
static const uint8_t con_ike_payload_overrun[] =
    "\x00\x00\x00\x00\x00\x00\x00\x00" "\x5a\x11\x22\x33\x44\x55\x66\x77"
    "\x29\x20\x22\x20\x00\x00\x00\x00\x00\x00\x00\x26"
    "\x00\x00\xff\xff\x00\x00\x00\x11\x00\x13";

/* constructed: MiniUPnPd answer to M-SEARCH */
static const char con_ssdp[] =
    "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: upnp:rootdevice\r\n"
    "USN: uuid:e8b7a1f0-1dd1-11b2-8d5a-0c8268a1b2c3::upnp:rootdevice\r\nEXT:\r\n"
    "SERVER: Linux/4.9 UPnP/1.1 MiniUPnPd/2.1\r\nLOCATION: http://192.168.1.1:5000/rootDesc.xml\r\n\r\n";

/* constructed: ONVIF camera ProbeMatches; the XXXX RelatesTo is patched to our MessageID */
static const char con_wsd[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><SOAP-ENV:Envelope "
    "xmlns:SOAP-ENV=\"http://www.w3.org/2003/05/soap-envelope\" "
    "xmlns:wsa=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
    "xmlns:wsdd=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\"><SOAP-ENV:Header>"
    "<wsa:MessageID>uuid:1419d68a-1dd2-11b2-a105-000000000001</wsa:MessageID>"
    "<wsa:RelatesTo>urn:uuid:XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX</wsa:RelatesTo>"
    "<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action>"
    "</SOAP-ENV:Header><SOAP-ENV:Body><wsdd:ProbeMatches><wsdd:ProbeMatch><wsa:EndpointReference>"
    "<wsa:Address>urn:uuid:1419d68a-1dd2-11b2-a105-000000000001</wsa:Address></wsa:EndpointReference>"
    "<wsdd:Types>dn:NetworkVideoTransmitter</wsdd:Types>"
    "<wsdd:XAddrs>http://192.168.1.64/onvif/device_service</wsdd:XAddrs>"
    "</wsdd:ProbeMatch></wsdd:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>";
static const char con_wsd_no_relates[] =
    "<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body><d:ProbeMatches>"
    "<d:ProbeMatch><d:Types>tds:Device</d:Types></d:ProbeMatch></d:ProbeMatches></e:Body></e:Envelope>";

struct udp_case {
    const char *name;
    long port;
    const uint8_t *req;     /* NULL: build with txid 0x1234 */
    size_t reqlen;
    const uint8_t *buf;
    size_t len;
    fixup_fn fix;
    int match;
    const char *service;
    const char *detail;
};

static const struct udp_case udp_cases[] = {
    {"dns version.bind", 53, NULL, 0, A(con_dns) - 1, fix_dns_id, 1, "dns", "NOERROR), 1 answers, TXT 'dnsmasq-2.89'"},
    {"dns refused", 53, NULL, 0, A(con_dns_refused) - 1, fix_dns_id, 1, "dns", "rcode 5 (REFUSED)"},
    {"dns other id", 53, NULL, 0, A(con_dns) - 1, NULL, 0, NULL, NULL},
    {"dns other question", 53, NULL, 0, A(con_dns_other_question) - 1, fix_dns_id, 0, NULL, NULL},
    {"dns query, not reply", 53, NULL, 0, A(con_dns_query_not_reply) - 1, fix_dns_id, 0, NULL, NULL},
    {"dns pointer loop", 53, NULL, 0, A(con_dns_pointer_loop) - 1, fix_dns_id, 0, NULL, NULL},
    {"dns header only", 53, NULL, 0, con_dns, 11, fix_dns_id, 0, NULL, NULL},
    {"dhcp offer", 67, NULL, 0, A(con_dhcp_offer), fix_dhcp, 1, "dhcp", "DHCPOFFER, yiaddr 192.168.1.100, server id 192.168.1.1"},
    {"dhcp other xid", 67, NULL, 0, A(con_dhcp_offer), NULL, 0, NULL, NULL},
    {"dhcp option overrun", 67, NULL, 0, A(con_dhcp_option_overrun), fix_dhcp, 1, "dhcp", "no DHCP message type"},
    {"tftp error", 69, NULL, 0, A(con_tftp_err), NULL, 1, "tftp", "ERROR 1 'File not found'"},
    {"tftp data", 69, NULL, 0, A(con_tftp_data) - 1, NULL, 1, "tftp", "DATA block 1"},
    {"tftp ack", 69, NULL, 0, A(con_tftp_ack) - 1, NULL, 0, NULL, NULL},
    {"tftp bad error code", 69, NULL, 0, A(con_tftp_bad_code), NULL, 0, NULL, NULL},
    {"ntp server", 123, NULL, 0, A(con_ntp), fix_ntp, 1, "ntp", "NTP v4 mode 4 (server), stratum 2, refid 192.168.1.1"},
    {"ntp kiss of death", 123, NULL, 0, A(con_ntp_kod), fix_ntp, 1, "ntp", "stratum 0, refid 'RATE'"},
    {"ntp origin mismatch", 123, NULL, 0, A(con_ntp), NULL, 0, NULL, NULL},
    {"ntp client mode", 123, NULL, 0, A(con_ntp_client_mode), fix_ntp, 0, NULL, NULL},
    {"ntp short", 123, NULL, 0, con_ntp, 47, fix_ntp, 0, NULL, NULL},
    {"snmp sysDescr", 161, NULL, 0, A(con_snmp) - 1, NULL, 1, "snmp",
     "SNMPv2c community 'public' GetResponse, sysDescr.0 = 'Linux ipcam 4.9.37 armv7l'"},
    {"snmp noSuchObject", 161, NULL, 0, A(con_snmp_nosuch) - 1, NULL, 1, "snmp", "noSuchObject"},
    {"snmp other request id", 161, NULL, 0, A(con_snmp_other_id) - 1, NULL, 0, NULL, NULL},
    {"snmp other community", 161, NULL, 0, A(con_snmp_other_community) - 1, NULL, 0, NULL, NULL},
    {"snmp oversized length", 161, NULL, 0, A(con_snmp_oversized) - 1, NULL, 0, NULL, NULL},
    {"snmp indefinite length", 161, NULL, 0, A(con_snmp_indefinite) - 1, NULL, 0, NULL, NULL},
    {"snmp truncated", 161, NULL, 0, con_snmp, 30, NULL, 0, NULL, NULL},
    {"ike invalid ke", 500, NULL, 0, A(con_ike) - 1, fix_ike, 1, "ike", "notify 17 (INVALID_KE_PAYLOAD)"},
    {"ike other spi", 500, NULL, 0, A(con_ike) - 1, NULL, 0, NULL, NULL},
    {"ike no response flag", 500, NULL, 0, A(con_ike_no_response_flag) - 1, fix_ike, 0, NULL, NULL},
    {"ike payload overrun", 500, NULL, 0, A(con_ike_payload_overrun) - 1, fix_ike, 1, "ike", "IKE_SA_INIT response"},
    {"ssdp", 1900, NULL, 0, B(con_ssdp), NULL, 1, "ssdp", "SERVER 'Linux/4.9 UPnP/1.1 MiniUPnPd/2.1'"},
    {"ssdp http 200 without ST", 1900, NULL, 0, B(rec_httpd_200), NULL, 0, NULL, NULL},
    {"ws-discovery", 3702, NULL, 0, B(con_wsd), fix_wsd, 1, "ws-discovery",
     "to our MessageID, Types 'dn:NetworkVideoTransmitter', XAddrs 'http://192.168.1.64/onvif/device_service'"},
    {"ws-discovery other relates", 3702, NULL, 0, B(con_wsd), NULL, 0, NULL, NULL},
    {"ws-discovery no relates", 3702, NULL, 0, B(con_wsd_no_relates), NULL, 1, "ws-discovery", "without RelatesTo"},
    {"mdns services", 5353, NULL, 0, A(con_mdns) - 1, fix_dns_id, 1, "mdns", "2 answers: _http._tcp.local, _ipp._tcp.local"},
    {"mdns zero id", 5353, NULL, 0, A(con_mdns) - 1, NULL, 1, "mdns", "_ipp._tcp.local"},
    {"mdns zero id, no answers", 5353, NULL, 0, A(con_mdns_zero_id_no_answers) - 1, NULL, 0, NULL, NULL},
    {"mdns forward pointer", 5353, NULL, 0, A(con_mdns_bad_ptr) - 1, NULL, 1, "mdns", "1 answers"},
    {"coap (recorded)", 5683, A(rec_coap_req), A(rec_coap), NULL, 1, "coap",
     "CoAP 2.05 Content, </>;title=\"General Info\";ct=0,</time>"},
    {"coap other token", 5683, A(rec_coap_req), A(rec_coap), fix_coap_token, 0, NULL, NULL},
    {"coap version 0", 5683, A(rec_coap_req), A(rec_coap), fix_break_first, 0, NULL, NULL},
    {"coap empty ack", 5683, A(rec_coap_req), B("\x60\x00\x12\x34"), NULL, 1, "coap", "empty ACK"},
    {"coap rst", 5683, A(rec_coap_req), B("\x70\x00\x12\x34"), NULL, 1, "coap", "RST"},
    {"coap rst other mid", 5683, A(rec_coap_req), B("\x70\x00\x12\x35"), NULL, 0, NULL, NULL},
    {"coap 4.01 separate", 5683, A(rec_coap_req), B("\x54\x81\x99\x99\x7e\x9a\xc0\x48"), NULL, 1, "coap",
     "4.01 Unauthorized"},
    {"coap option overrun", 5683, A(rec_coap_req), B("\x64\x45\x12\x34\x7e\x9a\xc0\x48\xbe\x01"), NULL, 1, "coap",
     "malformed options"},
    {"coap request echoed", 5683, A(rec_coap_req), A(rec_coap_req), NULL, 0, NULL, NULL},
    {"dtls hello verify (recorded)", 5684, A(rec_dtls_req), A(rec_dtls_hvr), NULL, 1, "dtls",
     "HelloVerifyRequest DTLSv1.0, cookie 20 bytes"},
    {"dtls server hello (recorded)", 5684, A(rec_dtls_req), A(rec_dtls_sh), NULL, 1, "dtls",
     "ServerHello 0xfefd suite 0xc02b"},
    {"dtls: tls alert is not dtls", 5684, A(rec_dtls_req), A(rec_ossl_alert), NULL, 0, NULL, NULL},
    {"dtls truncated", 5684, A(rec_dtls_req), rec_dtls_hvr, 30, NULL, 0, NULL, NULL},
};

static void test_udp_table(void)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(udp_cases); i++) {
        const struct udp_case *c = &udp_cases[i];
        const struct udp_probe *p = ident_udp_probe(c->port);
        uint8_t req[1024], *rep = malloc(c->len ? c->len : 1);
        size_t reqlen = c->reqlen;
        struct ident_result r;
        int m;

        CHECK(c->name, p != NULL);
        if (!p) {
            free(rep);
            continue;
        }
        if (c->req)
            memcpy(req, c->req, c->reqlen);
        else
            reqlen = p->build(req, sizeof(req), 0x1234);
        memcpy(rep, c->buf, c->len);
        if (c->fix)
            c->fix(req, reqlen, rep, c->len);
        ident_result_init(&r);
        m = p->match(req, reqlen, rep, c->len, &r);
        CHECK(c->name, m == c->match);
        if (m) {
            CHECK(c->name, strcmp(r.service, c->service) == 0);
            if (c->detail)
                CHECK(c->name, strstr(r.detail, c->detail) != NULL);
        }
        /* a reply is never a reply to a request of another protocol's probe */
        for (size_t j = 0; j < ident_udp_nprobes; j++) {
            const struct udp_probe *o = &ident_udp_probes[j];
            uint8_t oreq[1024];
            size_t olen;
            if (o == p || (p->port == 53 && o->port == 5353) || (p->port == 5353 && o->port == 53))
                continue;
            olen = o->build(oreq, sizeof(oreq), 0x1234);
            CHECK(c->name, o->match(oreq, olen, rep, c->len, &r) == 0);
        }
        free(rep);
    }
}

static void test_snmp(void)
{
    static const uint8_t expect[] =
        "\x30\x27\x02\x01\x01\x04\x06public\xa0\x1a\x02\x02\x12\x34\x02\x01\x00\x02\x01\x00"
        "\x30\x0e\x30\x0c\x06\x08\x2b\x06\x01\x02\x01\x01\x01\x00\x05\x00";
    uint8_t buf[600];
    struct snmp_reply r;
    char community[300];
    size_t n;

    n = snmp_build_get(buf, sizeof(buf), SNMP_V2C, "public", 0x1234);
    CU_ASSERT(n == sizeof(expect) - 1 && memcmp(buf, expect, n) == 0);
    CU_ASSERT(snmp_parse(buf, n, &r) == 0);
    CU_ASSERT(r.version == 1 && r.pdu_type == 0xa0 && r.request_id == 0x1234);
    CU_ASSERT(strcmp(r.community, "public") == 0 && strcmp(r.oid, "1.3.6.1.2.1.1.1.0") == 0);
    CU_ASSERT(r.value_type == 0x05 && strcmp(r.value, "NULL") == 0);

    /* a request id with the top bit set needs a leading zero to stay positive */
    n = snmp_build_get(buf, sizeof(buf), SNMP_V1, "private", 0x80000000u);
    CU_ASSERT(n > 0 && snmp_parse(buf, n, &r) == 0);
    CU_ASSERT(r.version == 0 && r.request_id == 0x80000000u && strcmp(r.community, "private") == 0);
    CU_ASSERT(find_mem(buf, n, "\x02\x05\x00\x80\x00\x00\x00", 7) != NULL);

    /* long communities take the long length form */
    memset(community, 'c', 200);
    community[200] = 0;
    n = snmp_build_get(buf, sizeof(buf), SNMP_V2C, community, 7);
    CU_ASSERT(n > 200 && buf[1] == 0x81 && snmp_parse(buf, n, &r) == 0 && r.request_id == 7);
    memset(community, 'c', 256);
    community[256] = 0;
    CU_ASSERT(snmp_build_get(buf, sizeof(buf), SNMP_V2C, community, 7) == 0);
    CU_ASSERT(snmp_build_get(buf, sizeof(buf), 3, "public", 7) == 0);
    CU_ASSERT(snmp_build_get(buf, sizeof(buf), SNMP_V2C, "", 7) > 0);

    CU_ASSERT(snmp_parse(A(con_snmp) - 1, &r) == 0);
    CU_ASSERT(r.pdu_type == 0xa2 && r.value_type == 0x04 && strcmp(r.value, "Linux ipcam 4.9.37 armv7l") == 0);
    /* every prefix of a valid message is rejected, never over-read */
    for (size_t i = 0; i + 1 < sizeof(con_snmp) - 1; i++)
        CU_ASSERT(snmp_parse(con_snmp, i, &r) == SP_ERR_PARSE);
    CU_ASSERT(snmp_parse(B("\x30\x05\x02\x01\x03\x04\x00"), &r) == SP_ERR_PARSE);   /* v3 */
    CU_ASSERT(snmp_parse(B("\x3f\x01\x00"), &r) == SP_ERR_PARSE);                    /* high tag */
}

/* Each UDP request is what its RFC says, lengths included: a malformed probe proves nothing. */
static void test_udp_requests(void)
{
    uint8_t b[1024];
    size_t n;

    n = ident_udp_probe(53)->build(b, sizeof(b), 0x1234);
    CU_ASSERT(n == 12 + 18 && b[0] == 0x12 && b[1] == 0x34 && b[2] == 0 && b[5] == 1);
    CU_ASSERT(memcmp(b + 12, "\x07version\x04" "bind\x00\x00\x10\x00\x03", 18) == 0);

    n = ident_udp_probe(5353)->build(b, sizeof(b), 0x1234);
    CU_ASSERT(n == 12 + 34 && memcmp(b + n - 4, "\x00\x0c\x80\x01", 4) == 0);

    n = ident_udp_probe(67)->build(b, sizeof(b), 0x1234);
    CU_ASSERT(n == 300 && b[0] == 1 && b[1] == 1 && b[2] == 6 && memcmp(b + 236, "\x63\x82\x53\x63", 4) == 0);
    CU_ASSERT(b[240] == 53 && b[241] == 1 && b[242] == 1 && (b[28] & 0x02));  /* DISCOVER, local MAC */

    n = ident_udp_probe(69)->build(b, sizeof(b), 0x1234);
    CU_ASSERT(n > 10 && b[0] == 0 && b[1] == 1 && b[n - 1] == 0 && memcmp(b + n - 6, "octet", 5) == 0);
    CU_ASSERT(memchr(b + 2, 0, n - 2) != NULL && strlen((char *)b + 2) + 2 + 1 + 6 == n);

    n = ident_udp_probe(123)->build(b, sizeof(b), 0x1234);
    CU_ASSERT(n == 48 && b[0] == 0x23);

    n = ident_udp_probe(5683)->build(b, sizeof(b), 0x1234);
    CU_ASSERT(n == 25 && b[0] == 0x44 && b[1] == 0x01 && b[2] == 0x12 && b[3] == 0x34);
    CU_ASSERT(memcmp(b + 8, "\xbb.well-known\x04" "core", 17) == 0);

    n = ident_udp_probe(1900)->build(b, sizeof(b), 0x1234);
    CU_ASSERT(n > 0 && memcmp(b, "M-SEARCH * HTTP/1.1\r\n", 21) == 0 && memcmp(b + n - 4, "\r\n\r\n", 4) == 0);
    CU_ASSERT(find_mem(b, n, "\r\nST: ssdp:all\r\n", 16) != NULL && find_mem(b, n, "MAN: \"ssdp:discover\"", 20) != NULL);

    /* WS-Discovery: a version 4 UUID as MessageID, an empty Probe */
    n = ident_udp_probe(3702)->build(b, sizeof(b), 0x1234);
    {
        const uint8_t *u = find_mem(b, n, "<w:MessageID>urn:uuid:", 22);
        CU_ASSERT(u != NULL && find_mem(b, n, "<d:Probe/>", 10) != NULL);
        if (u) {
            u += 22;
            CU_ASSERT(u[8] == '-' && u[13] == '-' && u[14] == '4' && u[18] == '-' && u[23] == '-' && u[36] == '<');
        }
    }

    /* IKEv2 SA_INIT: the header length and the payload chain add up, SA -> KE -> Nonce */
    n = ident_udp_probe(500)->build(b, sizeof(b), 0x1234);
    {
        size_t off = 28, hops = 0;
        unsigned next = b[16], seen[3] = {0};
        CU_ASSERT(n > 28 && rd16(b + 24) == 0 && rd16(b + 26) == n);
        CU_ASSERT(b[17] == 0x20 && b[18] == 34 && b[19] == 0x08);
        CU_ASSERT(memcmp(b + 8, "\0\0\0\0\0\0\0\0", 8) == 0 && (b[6] | b[7]) != 0);
        while (next && off + 4 <= n && hops++ < 8) {
            size_t plen = rd16(b + off + 2);
            if (next == 33) {
                seen[0] = 1;
                CU_ASSERT(rd16(b + off + 6) == plen - 4 && b[off + 9] == 1 && b[off + 11] == 10);
            }
            if (next == 34) {
                seen[1] = 1;
                CU_ASSERT(plen == 8 + 256 && rd16(b + off + 4) == 14);
            }
            if (next == 40)
                seen[2] = 1;
            next = b[off];
            off += plen;
        }
        CU_ASSERT(off == n && next == 0 && seen[0] && seen[1] && seen[2]);
    }
}

/* ---- tlswire --------------------------------------------------------------- */

struct sh_case {
    const char *name;
    const uint8_t *buf;
    size_t len;
    int rc;
    int truncated;          /* on error */
    uint8_t record_type;
    uint16_t version;
    uint16_t suite;
    uint8_t alert_desc;
};

static const struct sh_case sh_cases[] = {
    {"tls13", A(rec_ossl_tls13), 0, 0, 22, 0x0304, 0x1301, 0},
    {"tls12 ecdsa", A(rec_ossl_ec12), 0, 0, 22, 0x0303, 0xc02b, 0},
    {"tls10", A(rec_ossl_tls10), 0, 0, 22, 0x0301, 0x002f, 0},
    {"alert", A(rec_ossl_alert), 0, 0, 21, 0, 0, 40},
    {"protocol_version alert", A(rec_ossl_protover), 0, 0, 21, 0, 0, 70},
    {"hrr", A(rec_ossl_hrr), 0, 0, 22, 0x0304, 0x1301, 0},
    {"dtls hvr", A(rec_dtls_hvr), 0, 0, 22, 0xfeff, 0, 0},
    {"dtls server hello", A(rec_dtls_sh), 0, 0, 22, 0xfefd, 0xc02b, 0},
    {"empty", (const uint8_t *)"", 0, SP_ERR_PARSE, 1, 0, 0, 0, 0},
    {"two bytes", B("\x16\x03"), SP_ERR_PARSE, 1, 0, 0, 0, 0},
    {"header cut", B("\x16\x03\x03\x00"), SP_ERR_PARSE, 1, 0, 0, 0, 0},
    {"empty record", B("\x16\x03\x03\x00\x00"), SP_ERR_PARSE, 0, 0, 0, 0, 0},
    {"record over 2^14+2048", B("\x16\x03\x03\x48\x01\x02"), SP_ERR_PARSE, 0, 0, 0, 0, 0},
    {"record max length, cut", B("\x16\x03\x03\x48\x00\x02"), SP_ERR_PARSE, 1, 0, 0, 0, 0},
    {"not tls", B("HTTP/1.1 400 Bad Request\r\n"), SP_ERR_PARSE, 0, 0, 0, 0, 0},
    {"application data first", B("\x17\x03\x03\x00\x02\x00\x00"), SP_ERR_PARSE, 0, 0, 0, 0, 0},
    {"version 3.5", B("\x16\x03\x05\x00\x02\x00\x00"), SP_ERR_PARSE, 0, 0, 0, 0, 0},
    {"alert cut", B("\x15\x03\x03\x00\x02\x02"), SP_ERR_PARSE, 1, 0, 0, 0, 0},
    {"certificate first", B("\x16\x03\x03\x00\x04\x0b\x00\x00\x00"), SP_ERR_PARSE, 0, 0, 0, 0, 0},
    {"hvr over tls", B("\x16\x03\x03\x00\x07\x03\x00\x00\x03\xfe\xff\x00"), SP_ERR_PARSE, 0, 0, 0, 0, 0},
    {"handshake 16 MB", B("\x16\x03\x03\x00\x04\x02\xff\xff\xff"), SP_ERR_PARSE, 0, 0, 0, 0, 0},
    {"session id 33", B("\x16\x03\x03\x00\x2a\x02\x00\x00\x26\x03\x03"
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\x21\x00\x00\x00"), SP_ERR_PARSE, 0, 0, 0, 0, 0},
    {"server hello body empty", B("\x16\x03\x03\x00\x04\x02\x00\x00\x00"), SP_ERR_PARSE, 0, 0, 0, 0, 0},
    {"extensions length lies", B("\x16\x03\x03\x00\x2e\x02\x00\x00\x2a\x03\x03"
                                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\x00\xc0\x2f\x00\x00\x09\x00\x00"),
     SP_ERR_PARSE, 0, 0, 0, 0, 0},
    {"extension overruns", B("\x16\x03\x03\x00\x30\x02\x00\x00\x2c\x03\x03"
                             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\x00\xc0\x2f\x00\x00\x04\x00\x2b\x00\x09"),
     SP_ERR_PARSE, 0, 0, 0, 0, 0},
    {"no extensions", B("\x16\x03\x03\x00\x2a\x02\x00\x00\x26\x03\x03"
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\x00\xc0\x2f\x00"), 0, 0, 22, 0x0303, 0xc02f, 0},
    {"server hello interrupted by alert", B("\x16\x03\x03\x00\x02\x02\x00\x15\x03\x03\x00\x02\x02\x28"),
     SP_ERR_PARSE, 0, 0, 0, 0, 0},
    {"dtls epoch 1", B("\x16\xfe\xfd\x00\x01\x00\x00\x00\x00\x00\x00\x00\x02\x15\x00"), SP_ERR_PARSE, 0, 0, 0, 0, 0},
    {"dtls fragment", B("\x16\xfe\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x0f\x03\x00\x00\x17\x00\x00\x00\x00\x00"
                        "\x00\x00\x03\xfe\xff\x00"), SP_ERR_PARSE, 0, 0, 0, 0, 0},
    {"dtls hvr cookie overrun", B("\x16\xfe\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x0f\x03\x00\x00\x03\x00\x00\x00"
                                  "\x00\x00\x00\x00\x03\xfe\xff\x09"), SP_ERR_PARSE, 0, 0, 0, 0, 0},
};

static void test_server_hello_table(void)
{
    for (size_t i = 0; i < SP_ARRAY_LEN(sh_cases); i++) {
        const struct sh_case *c = &sh_cases[i];
        struct tls_server_hello sh;
        int rc = tls_parse_server_hello(c->buf, c->len, &sh);

        CHECK(c->name, rc == c->rc);
        if (rc == 0) {
            CHECK(c->name, sh.record_type == c->record_type);
            CHECK(c->name, sh.version == c->version);
            CHECK(c->name, sh.cipher_suite == c->suite);
            CHECK(c->name, sh.alert_desc == c->alert_desc);
        } else {
            CHECK(c->name, sh.why != NULL);
            CHECK(c->name, sh.truncated == c->truncated);
        }
        CHECK(c->name, tls_reply_done(c->buf, c->len, NULL) == (rc == 0 || !c->truncated));
    }
}

static void test_server_hello_fields(void)
{
    struct tls_server_hello sh;

    CU_ASSERT(tls_parse_server_hello(A(rec_ossl_hrr), &sh) == 0);
    CU_ASSERT(sh.hello_retry == 1 && sh.key_share_group == TLS_GROUP_SECP256R1);
    CU_ASSERT(tls_parse_server_hello(A(rec_ossl_tls13), &sh) == 0);
    CU_ASSERT(sh.hello_retry == 0 && sh.key_share_group == TLS_GROUP_X25519 && sh.legacy_version == 0x0303);
    CU_ASSERT(sh.session_id_len == 32 && sh.compression == 0 && !sh.dtls);
    CU_ASSERT(tls_parse_server_hello(A(rec_ossl_ec12), &sh) == 0);
    CU_ASSERT(sh.reneg_info == 1 && sh.ems == 1 && sh.key_share_group == 0);
    CU_ASSERT(tls_parse_server_hello(A(rec_dtls_hvr), &sh) == 0);
    CU_ASSERT(sh.dtls && sh.handshake_type == TLS_HS_HELLO_VERIFY_REQUEST && sh.cookie_len == 20);
}

/* Every proper prefix of a valid reply is "truncated", so a reader knows to wait. */
static void test_server_hello_prefixes(void)
{
    static const struct {
        const uint8_t *b;
        size_t n;
    } recs[] = {{A(rec_ossl_tls13)}, {A(rec_ossl_ec12)}, {A(rec_ossl_alert)}, {A(rec_ossl_hrr)},
                {A(rec_dtls_hvr)}, {A(rec_dtls_sh)}};

    for (size_t r = 0; r < SP_ARRAY_LEN(recs); r++) {
        for (size_t i = 0; i < recs[r].n; i++) {
            struct tls_server_hello sh;
            uint8_t *copy = malloc(i ? i : 1);   /* exact-size heap copy: ASan catches any over-read */
            memcpy(copy, recs[r].b, i);
            CU_ASSERT(tls_parse_server_hello(copy, i, &sh) == SP_ERR_PARSE && sh.truncated == 1);
            free(copy);
        }
    }
}

/* A ServerHello split over two records is reassembled. */
static void test_server_hello_fragmented(void)
{
    uint8_t buf[256];
    struct tls_server_hello sh;
    size_t body = sizeof(rec_ossl_ec12) - 5, first = 32, n = 0;

    memcpy(buf, "\x16\x03\x03\x00", 4);
    buf[4] = (uint8_t)first;
    memcpy(buf + 5, rec_ossl_ec12 + 5, first);
    n = 5 + first;
    memcpy(buf + n, "\x16\x03\x03\x00", 4);
    buf[n + 4] = (uint8_t)(body - first);
    memcpy(buf + n + 5, rec_ossl_ec12 + 5 + first, body - first);
    n += 5 + body - first;
    CU_ASSERT(tls_parse_server_hello(buf, n, &sh) == 0 && sh.cipher_suite == 0xc02b && sh.version == 0x0303);
    CU_ASSERT(tls_parse_server_hello(buf, n - 1, &sh) == SP_ERR_PARSE && sh.truncated == 1);
    /* the header itself split 2 + 2 */
    buf[4] = 2;
    memcpy(buf + 5, rec_ossl_ec12 + 5, 2);
    memcpy(buf + 7, "\x16\x03\x03\x00", 4);
    buf[11] = (uint8_t)(body - 2);
    memcpy(buf + 12, rec_ossl_ec12 + 7, body - 2);
    CU_ASSERT(tls_parse_server_hello(buf, 12 + body - 2, &sh) == 0 && sh.cipher_suite == 0xc02b);
}

/* Corrupt each byte in turn: the parser may accept or refuse, but must stay in bounds. */
static void test_server_hello_mutations(void)
{
    uint8_t *copy = malloc(sizeof(rec_ossl_tls13));

    for (size_t i = 0; i < sizeof(rec_ossl_tls13); i++) {
        for (int v = 0; v < 256; v += 51) {
            struct tls_server_hello sh;
            memcpy(copy, rec_ossl_tls13, sizeof(rec_ossl_tls13));
            copy[i] = (uint8_t)v;
            (void)tls_parse_server_hello(copy, sizeof(rec_ossl_tls13), &sh);
        }
    }
    free(copy);
    CU_PASS("no crash");
}

/* An independent walk of a ClientHello, to check the builder's lengths. */
struct hello_view {
    int ok;
    int dtls;
    uint16_t record_version, client_version;
    size_t hs_len, nsuites, sid_len, cookie_len;
    uint16_t suites[256];
    int has_sni, has_sv, has_ks, has_pad, has_sigalgs, has_groups, has_ems;
    size_t ks_len, sv_count;
    uint16_t sv_first, sv_last;
    char sni[256];
};

static void view_hello(const uint8_t *b, size_t n, struct hello_view *v)
{
    size_t off, rlen, hdr, end;

    memset(v, 0, sizeof(*v));
    if (n < 5 || b[0] != 22)
        return;
    v->dtls = b[1] == 0xfe;
    hdr = v->dtls ? 13 : 5;
    v->record_version = (uint16_t)rd16(b + 1);
    rlen = rd16(b + hdr - 2);
    if (hdr + rlen != n || b[hdr] != 1)
        return;
    v->hs_len = (size_t)b[hdr + 1] << 16 | rd16(b + hdr + 2);
    off = hdr + 4;
    if (v->dtls) {
        size_t frag_off = (size_t)b[off + 2] << 16 | rd16(b + off + 3);
        size_t frag_len = (size_t)b[off + 5] << 16 | rd16(b + off + 6);
        if (frag_off != 0 || frag_len != v->hs_len)
            return;
        off += 8;
    }
    if (off + v->hs_len != n)
        return;
    v->client_version = (uint16_t)rd16(b + off);
    off += 2 + 32;
    v->sid_len = b[off];
    off += 1 + v->sid_len;
    if (v->dtls) {
        v->cookie_len = b[off];
        off += 1 + v->cookie_len;
    }
    v->nsuites = rd16(b + off) / 2;
    for (size_t i = 0; i < v->nsuites && i < 256; i++)
        v->suites[i] = (uint16_t)rd16(b + off + 2 + 2 * i);
    off += 2 + 2 * v->nsuites;
    if (b[off] != 1 || b[off + 1] != 0)
        return;
    off += 2;
    if (off == n) {
        v->ok = 1;
        return;
    }
    end = off + 2 + rd16(b + off);
    if (end != n)
        return;
    off += 2;
    while (off + 4 <= end) {
        size_t type = rd16(b + off), len = rd16(b + off + 2);
        const uint8_t *d = b + off + 4;
        if (off + 4 + len > end)
            return;
        switch (type) {
        case 0:
            v->has_sni = 1;
            if (len >= 5 && rd16(d) == len - 2 && d[2] == 0 && rd16(d + 3) == len - 5)
                snprintf(v->sni, sizeof(v->sni), "%.*s", (int)(len - 5), (const char *)d + 5);
            break;
        case 10: v->has_groups = 1; break;
        case 13: v->has_sigalgs = 1; break;
        case 21: v->has_pad = 1; break;
        case 23: v->has_ems = 1; break;
        case 43:
            v->has_sv = 1;
            v->sv_count = d[0] / 2;
            v->sv_first = (uint16_t)rd16(d + 1);
            v->sv_last = (uint16_t)rd16(d + 1 + 2 * (v->sv_count - 1));
            break;
        case 51:
            v->has_ks = 1;
            if (rd16(d) == len - 2 && len >= 6)
                v->ks_len = rd16(d + 4);
            break;
        default: break;
        }
        off += 4 + len;
    }
    v->ok = off == end;
}

static int has_suite(const struct hello_view *v, uint16_t s)
{
    for (size_t i = 0; i < v->nsuites; i++)
        if (v->suites[i] == s)
            return 1;
    return 0;
}

static void test_client_hello(void)
{
    uint8_t buf[2048];
    struct tls_hello_opts o;
    struct hello_view v;
    size_t n, ndef;
    const struct tls_suite_info *def = tls_default_suites(&ndef);

    /* the default: TLS 1.0 .. 1.3 */
    tls_hello_opts_init(&o);
    o.sni = "camera.example";
    n = tls_build_client_hello(buf, sizeof(buf), &o);
    view_hello(buf, n, &v);
    CU_ASSERT(n > 0 && v.ok && !v.dtls);
    CU_ASSERT(v.record_version == 0x0301 && v.client_version == 0x0303 && v.sid_len == 32);
    CU_ASSERT(v.nsuites == ndef + 1 && has_suite(&v, 0x1301) && has_suite(&v, 0xc02f) && has_suite(&v, 0x00ff));
    CU_ASSERT(has_suite(&v, 0x000a) && has_suite(&v, 0x0005));    /* legacy servers still answer */
    CU_ASSERT(v.has_sv && v.sv_first == 0x0304 && v.sv_last == 0x0301 && v.sv_count == 4);
    CU_ASSERT(v.has_ks && v.ks_len == 32 && v.has_sigalgs && v.has_groups && v.has_ems);
    CU_ASSERT(v.has_sni && strcmp(v.sni, "camera.example") == 0);
    CU_ASSERT(v.hs_len + 4 >= 512 || !v.has_pad);
    CU_ASSERT(!(v.hs_len + 4 >= 256 && v.hs_len + 4 < 512));      /* RFC 7685 gap avoided */
    CU_ASSERT(ndef >= 55 && ndef <= 70);

    /* IP literals never go into server_name */
    {
        static const char *const lits[] = {"192.168.1.10", "fe80::1", "[::1]", "10.0.0.5", "", "bad host"};
        for (size_t i = 0; i < SP_ARRAY_LEN(lits); i++) {
            o.sni = lits[i];
            n = tls_build_client_hello(buf, sizeof(buf), &o);
            view_hello(buf, n, &v);
            CHECK(lits[i], v.ok && !v.has_sni);
        }
    }

    /* TLS 1.2 max: no 1.3 extensions, no 1.3 suites, legacy version 1.2 */
    tls_hello_opts_init(&o);
    o.max_version = TLS_V_1_2;
    n = tls_build_client_hello(buf, sizeof(buf), &o);
    view_hello(buf, n, &v);
    CU_ASSERT(v.ok && v.client_version == 0x0303 && !v.has_sv && !v.has_ks && !has_suite(&v, 0x1301));
    CU_ASSERT(v.sid_len == 0 && has_suite(&v, 0xc02f));

    /* TLS 1.0 only: no signature_algorithms, no TLS 1.2-only suites */
    tls_hello_opts_init(&o);
    o.max_version = TLS_V_1_0;
    n = tls_build_client_hello(buf, sizeof(buf), &o);
    view_hello(buf, n, &v);
    CU_ASSERT(v.ok && v.client_version == 0x0301 && !v.has_sigalgs && !has_suite(&v, 0xc02f) && has_suite(&v, 0xc013));

    /* SSLv3: no extensions at all, record version 3.0 */
    tls_hello_opts_init(&o);
    o.max_version = o.min_version = TLS_V_SSL3;
    n = tls_build_client_hello(buf, sizeof(buf), &o);
    view_hello(buf, n, &v);
    CU_ASSERT(v.ok && v.record_version == 0x0300 && v.client_version == 0x0300 && !v.has_ems && !v.has_groups);
    CU_ASSERT(has_suite(&v, 0x002f) && !has_suite(&v, 0xc013));

    /* TLS 1.3 only, explicit suites, fallback SCSV, no renegotiation SCSV */
    {
        static const uint16_t s13[] = {0x1302};
        tls_hello_opts_init(&o);
        o.min_version = TLS_V_1_3;
        o.suites = s13;
        o.nsuites = 1;
        o.flags = TLS_HELLO_FALLBACK_SCSV | TLS_HELLO_NO_RENEG_SCSV | TLS_HELLO_NO_PADDING;
        n = tls_build_client_hello(buf, sizeof(buf), &o);
        view_hello(buf, n, &v);
        CU_ASSERT(v.ok && v.nsuites == 2 && v.suites[0] == 0x1302 && v.suites[1] == 0x5600);
        CU_ASSERT(v.sv_count == 1 && v.sv_first == 0x0304 && !v.has_pad);
    }

    /* groups without x25519: an empty key_share asks for a HelloRetryRequest */
    {
        static const uint16_t g[] = {TLS_GROUP_SECP256R1};
        tls_hello_opts_init(&o);
        o.groups = g;
        o.ngroups = 1;
        n = tls_build_client_hello(buf, sizeof(buf), &o);
        view_hello(buf, n, &v);
        CU_ASSERT(v.ok && v.has_ks && v.ks_len == 0);
    }

    /* DTLS 1.2 with a cookie, message_seq 1 */
    {
        static const uint8_t cookie[20] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
        tls_hello_opts_init(&o);
        o.dtls = 1;
        o.max_version = DTLS_V_1_2;
        o.min_version = DTLS_V_1_0;
        o.cookie = cookie;
        o.cookie_len = sizeof(cookie);
        o.message_seq = 1;
        o.record_seq = 0x0102030405ULL;
        n = tls_build_client_hello(buf, sizeof(buf), &o);
        view_hello(buf, n, &v);
        CU_ASSERT(v.ok && v.dtls && v.record_version == 0xfeff && v.client_version == 0xfefd);
        CU_ASSERT(v.cookie_len == 20 && memcmp(buf + 13 + 12 + 2 + 32 + 1 + 1, cookie, 20) == 0);
        CU_ASSERT(buf[13 + 4] == 0 && buf[13 + 5] == 1);                     /* message_seq */
        CU_ASSERT(memcmp(buf + 5, "\x00\x01\x02\x03\x04\x05", 6) == 0);        /* record seq */
        CU_ASSERT(!has_suite(&v, 0x0005) && !has_suite(&v, 0xc011) && !has_suite(&v, 0x1301));
        CU_ASSERT(has_suite(&v, 0xc0ae) && has_suite(&v, 0xc0a8) && !v.has_sv && !v.has_pad);
    }

    /* inconsistent options are refused */
    tls_hello_opts_init(&o);
    o.min_version = TLS_V_1_3;
    o.max_version = TLS_V_1_2;
    CU_ASSERT(tls_build_client_hello(buf, sizeof(buf), &o) == 0);
    tls_hello_opts_init(&o);
    o.max_version = 0x0305;
    CU_ASSERT(tls_build_client_hello(buf, sizeof(buf), &o) == 0);
    tls_hello_opts_init(&o);
    o.dtls = 1;     /* TLS versions in a DTLS hello */
    CU_ASSERT(tls_build_client_hello(buf, sizeof(buf), &o) == 0);
    tls_hello_opts_init(&o);
    o.dtls = 1;
    o.max_version = o.min_version = DTLS_V_1_2;
    o.cookie_len = 256;
    o.cookie = buf;
    CU_ASSERT(tls_build_client_hello(buf + 512, 1024, &o) == 0);
    tls_hello_opts_init(&o);
    o.suites = def == NULL ? NULL : &def->id;
    o.nsuites = 0;              /* an explicit, empty list */
    CU_ASSERT(tls_build_client_hello(buf, sizeof(buf), &o) == 0);

    /* too small a buffer, at every size */
    tls_hello_opts_init(&o);
    o.sni = "camera.example";
    n = tls_build_client_hello(buf, sizeof(buf), &o);
    for (size_t cap = 0; cap < n; cap++) {
        uint8_t *small = malloc(cap ? cap : 1);
        CU_ASSERT(tls_build_client_hello(small, cap, &o) == 0);
        free(small);
    }
}

static void test_tls_names(void)
{
    char tmp[8];
    size_t n;
    const struct tls_suite_info *s = tls_default_suites(&n);

    CU_ASSERT_STRING_EQUAL(tls_version_name(0x0303, tmp), "TLSv1.2");
    CU_ASSERT_STRING_EQUAL(tls_version_name(0x0300, tmp), "SSLv3");
    CU_ASSERT_STRING_EQUAL(tls_version_name(0xfefd, tmp), "DTLSv1.2");
    CU_ASSERT_STRING_EQUAL(tls_version_name(0x0305, tmp), "0x0305");
    CU_ASSERT_STRING_EQUAL(tls_alert_name(40), "handshake_failure");
    CU_ASSERT_STRING_EQUAL(tls_alert_name(70), "protocol_version");
    CU_ASSERT_STRING_EQUAL(tls_alert_name(255), "unknown");
    CU_ASSERT(tls_suite_find(0xc02f) && strcmp(tls_suite_find(0xc02f)->name, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256") == 0);
    CU_ASSERT(tls_suite_find(0x0000) == NULL);
    /* no duplicates, every row well-formed */
    for (size_t i = 0; i < n; i++) {
        CHECK(s[i].name, strncmp(s[i].name, "TLS_", 4) == 0 && s[i].min_version <= s[i].max_version);
        for (size_t j = i + 1; j < n; j++)
            CHECK(s[i].name, s[i].id != s[j].id);
    }
}


/*
 * SNMPv3 engine discovery: the request is the RFC 3414 §4 shape, and a
 * Report recorded from Debian 12's snmpd (net-snmp 5.9) to msgID 0x1234 is
 * recognised, while one with another msgID, a v2c reply or any prefix is not.
 */
static void test_snmpv3(void)
{
    const struct udp_probe *p = ident_udp_probe_named("snmpv3");
    uint8_t req[256], rep[256];
    struct ident_result out;
    size_t n;
    /* snmpd's Report: msgID 0x1234, its engine ID, usmStatsUnknownEngineIDs.0 = 1 */
    static const uint8_t report[] = {
        0x30, 0x6d, 0x02, 0x01, 0x03, 0x30, 0x0f, 0x02, 0x02, 0x12, 0x34, 0x02, 0x03, 0x00, 0xff,
        0xe3, 0x04, 0x01, 0x00, 0x02, 0x01, 0x03, 0x04, 0x21, 0x30, 0x1f, 0x04, 0x11, 0x80, 0x00,
        0x1f, 0x88, 0x80, 0xac, 0x29, 0x7e, 0x5c, 0x9f, 0xe7, 0x0e, 0x6b, 0x00, 0x00, 0x00, 0x00,
        0x02, 0x01, 0x01, 0x02, 0x01, 0x03, 0x04, 0x00, 0x04, 0x00, 0x04, 0x00, 0x30, 0x34, 0x04,
        0x11, 0x80, 0x00, 0x1f, 0x88, 0x80, 0xac, 0x29, 0x7e, 0x5c, 0x9f, 0xe7, 0x0e, 0x6b, 0x00,
        0x00, 0x00, 0x00, 0x04, 0x00, 0xa8, 0x1d, 0x02, 0x02, 0x12, 0x34, 0x02, 0x01, 0x00, 0x02,
        0x01, 0x00, 0x30, 0x11, 0x30, 0x0f, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x06, 0x03, 0x0f, 0x01,
        0x01, 0x04, 0x00, 0x41, 0x01, 0x01};

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->port, 161);
    CU_ASSERT_PTR_EQUAL(ident_udp_probe_after(161, ident_udp_probe(161)), p);
    n = p->build(req, sizeof(req), 0x1234);
    CU_ASSERT_FATAL(n > 20 && n < sizeof(req));
    /* SEQUENCE { INTEGER 3, SEQUENCE { INTEGER msgID 0x1234, ... */
    CU_ASSERT(req[0] == 0x30 && req[2] == 0x02 && req[3] == 0x01 && req[4] == 0x03);
    CU_ASSERT(req[5] == 0x30 && req[7] == 0x02 && req[8] == 0x02 && req[9] == 0x12 && req[10] == 0x34);
    CU_ASSERT(p->build(req, 10, 0x1234) == 0);
    n = p->build(req, sizeof(req), 0x1234);
    CU_ASSERT_EQUAL(p->match(req, n, report, sizeof(report), &out), 1);
    CU_ASSERT_STRING_EQUAL(out.service, "snmpv3");
    CU_ASSERT_PTR_NOT_NULL(strstr(out.detail, "engine ID 80001f8880ac297e5c9fe70e6b00000000"));
    /* another msgID: not an answer to us */
    memcpy(rep, report, sizeof(report));
    rep[10] = 0x35;
    CU_ASSERT_EQUAL(p->match(req, n, rep, sizeof(report), &out), 0);
    /* a v2c message is not v3 */
    rep[10] = 0x34;
    rep[4] = 0x01;
    CU_ASSERT_EQUAL(p->match(req, n, rep, sizeof(report), &out), 0);
    /* every prefix of the report is refused or still recognised, never read past */
    for (size_t k = 0; k < sizeof(report); k++) {
        memcpy(rep, report, k);
        (void)p->match(req, n, rep, k, &out);
    }
    CU_ASSERT_EQUAL(p->match(req, n, report, 11, &out), 0);
}

int register_ident_tests(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } ident_tests[] = {
        {"server-first banners", test_banner_table},
        {"client-first TCP replies", test_tcp_table},
        {"reply completeness", test_reply_done},
        {"request builders", test_builders},
        {"probe tables and hints", test_tables},
        {"UDP replies against requests", test_udp_table},
        {"SNMP BER build and parse", test_snmp},
        {"UDP requests well-formed", test_udp_requests},
        {"SNMPv3 engine discovery", test_snmpv3},
    }, tls_tests[] = {
        {"ServerHello table", test_server_hello_table},
        {"ServerHello fields", test_server_hello_fields},
        {"every prefix is truncated", test_server_hello_prefixes},
        {"fragmented ServerHello", test_server_hello_fragmented},
        {"byte mutations stay in bounds", test_server_hello_mutations},
        {"ClientHello round trip", test_client_hello},
        {"names and suite table", test_tls_names},
    };
    CU_pSuite s = CU_add_suite("ident", NULL, NULL);

    if (!s)
        return -1;
    for (size_t i = 0; i < SP_ARRAY_LEN(ident_tests); i++)
        if (!CU_add_test(s, ident_tests[i].name, ident_tests[i].fn))
            return -1;
    s = CU_add_suite("tlswire", NULL, NULL);
    if (!s)
        return -1;
    for (size_t i = 0; i < SP_ARRAY_LEN(tls_tests); i++)
        if (!CU_add_test(s, tls_tests[i].name, tls_tests[i].fn))
            return -1;
    return 0;
}
