/*
 * test_robust.c - the malformed inputs of robust.malformed (probes/wire/
 * robust_wire.c) as tables: every case of every set builds, in every
 * variation, within ROBUST_CASE_MAX; the ones the protocol's own parser can
 * read are refused by it for the reason the name gives (a remaining length
 * that needs more bytes, a reserved CoAP option, a BER length past the end);
 * and the reader of what a service answered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "coap_wire.h"
#include "mqtt_wire.h"
#include "robust_wire.h"
#include "snmp_wire.h"
#include "starprobe.h"
#include "tls_wire.h"
#include "unit.h"

static const char *const protos[] = {"http", "rtsp", "mqtt", "coap", "ssh", "telnet", "ftp", "tls", "snmp"};

static const struct robust_case *find_case(const char *proto, const char *name)
{
    size_t n;
    const struct robust_case *c = robust_cases(proto, &n);

    for (size_t i = 0; c && i < n; i++)
        if (strcmp(c[i].name, name) == 0)
            return &c[i];
    return NULL;
}

static size_t build(const char *proto, const char *name, uint8_t *buf, unsigned v)
{
    const struct robust_case *c = find_case(proto, name);

    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    return c->build(buf, ROBUST_CASE_MAX, v);
}

/*
 * Every case builds in every variation a long campaign can ask (0..49) and
 * fits; its name is unique and starts with its set's.
 */
static void test_sets_build(void)
{
    uint8_t *buf = malloc(ROBUST_CASE_MAX);
    size_t n, total = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    for (size_t p = 0; p < SP_ARRAY_LEN(protos); p++) {
        const struct robust_case *c = robust_cases(protos[p], &n);
        CU_ASSERT_PTR_NOT_NULL(c);
        CU_ASSERT(n >= 3);
        for (size_t i = 0; c && i < n; i++) {
            CU_ASSERT(strncmp(c[i].name, protos[p], strlen(protos[p])) == 0);
            CU_ASSERT(c[i].what && c[i].what[0]);
            for (size_t j = 0; j < i; j++)
                CU_ASSERT(strcmp(c[i].name, c[j].name) != 0);
            for (unsigned v = 0; v < 50; v++) {
                size_t len = c[i].build(buf, ROBUST_CASE_MAX, v);
                if (len == 0 || len > ROBUST_CASE_MAX)
                    fprintf(stderr, "\n%s variant %u: %zu bytes\n", c[i].name, v, len);
                CU_ASSERT(len > 0 && len <= ROBUST_CASE_MAX);
            }
            /* a buffer one byte too small gives nothing, never a cut input */
            CU_ASSERT_EQUAL(c[i].build(buf, c[i].build(buf, ROBUST_CASE_MAX, 0) - 1, 0), 0);
            total++;
        }
    }
    CU_ASSERT(total >= 36);
    CU_ASSERT_PTR_NULL(robust_cases("vnc", &n));
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_PTR_NULL(robust_cases(NULL, &n));
    free(buf);
}

/* The inputs break the rule their name says, as the protocol's own reader sees it. */
static void test_inputs_are_what_they_say(void)
{
    uint8_t *b = malloc(ROBUST_CASE_MAX);
    struct mqtt_packet mp;
    struct coap_msg cm;
    struct snmp_reply sr;
    size_t n, longest = 0, cur = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    /* HTTP: a request whose one header line is at least 64 KiB */
    n = build("http", "http-header-64k", b, 0);
    CU_ASSERT(n > 65536 && memcmp(b, "GET / HTTP/1.1\r\n", 16) == 0);
    for (size_t i = 0; i < n; i++) {
        cur = b[i] == '\n' ? 0 : cur + 1;
        longest = cur > longest ? cur : longest;
    }
    CU_ASSERT(longest >= 65536);
    CU_ASSERT(memcmp(b + n - 4, "\r\n\r\n", 4) == 0);
    /* MQTT: an overstated remaining length needs bytes that never come; five bytes is malformed */
    for (unsigned v = 0; v < 4; v++) {
        n = build("mqtt", "mqtt-remaining-length-overstated", b, v);
        CU_ASSERT_EQUAL(mqtt_packet_next(b, n, &mp), 0);
        CU_ASSERT_EQUAL(b[0], 0x10);
    }
    n = build("mqtt", "mqtt-remaining-length-5-bytes", b, 0);
    CU_ASSERT_EQUAL(mqtt_packet_next(b, n, &mp), SP_ERR_PARSE);
    /* MQTT: the protocol name's length runs past a packet that is otherwise whole */
    n = build("mqtt", "mqtt-protocol-name-past-end", b, 0);
    CU_ASSERT(mqtt_packet_next(b, n, &mp) > 0);
    CU_ASSERT(mp.body_len >= 2 && ((size_t)mp.body[0] << 8 | mp.body[1]) > mp.body_len);
    /* CoAP: RFC 7252 §3.1 reserved encodings and truncation; the parser refuses each */
    static const char *const coap_bad[] = {"coap-option-delta-15", "coap-option-length-past-end",
                                           "coap-token-length-9", "coap-truncated-header"};
    for (size_t i = 0; i < SP_ARRAY_LEN(coap_bad); i++)
        for (unsigned v = 0; v < 4; v++) {
            n = build("coap", coap_bad[i], b, v);
            CU_ASSERT_EQUAL(coap_parse(b, n, &cm), SP_ERR_PARSE);
        }
    n = build("coap", "coap-option-delta-15", b, 0);
    CU_ASSERT_EQUAL(b[4] >> 4, 15);
    /* SSH: 300 bytes without a line end */
    n = build("ssh", "ssh-banner-300-no-crlf", b, 0);
    CU_ASSERT_EQUAL(n, 300);
    CU_ASSERT(memchr(b, '\r', n) == NULL && memchr(b, '\n', n) == NULL);
    CU_ASSERT(memcmp(b, "SSH-2.0-", 8) == 0);
    /* TLS: the record header lies, the hello under it is our ordinary one */
    n = build("tls", "tls-record-length-past-end", b, 0);
    CU_ASSERT(n > 9 && b[0] == TLS_CT_HANDSHAKE && ((size_t)b[3] << 8 | b[4]) > n - 5);
    n = build("tls", "tls-record-length-over-max", b, 0);
    CU_ASSERT(((size_t)b[3] << 8 | b[4]) > TLS_RECORD_MAX);
    n = build("tls", "tls-handshake-length-overlong", b, 0);
    CU_ASSERT(((size_t)b[3] << 8 | b[4]) == n - 5 && b[5] == TLS_HS_CLIENT_HELLO && b[6] == 0xff);
    /* SNMP: the BER reader refuses a 2 GiB length and a community past the datagram */
    n = build("snmp", "snmp-ber-length-overlong", b, 0);
    CU_ASSERT_EQUAL(snmp_parse(b, n, &sr), SP_ERR_PARSE);
    n = build("snmp", "snmp-community-past-end", b, 0);
    CU_ASSERT_EQUAL(snmp_parse(b, n, &sr), SP_ERR_PARSE);
    /* the OID case is framed right: only its sub-identifier is wrong */
    n = build("snmp", "snmp-oid-subid-overflow", b, 3);
    CU_ASSERT(b[0] == 0x30 && (size_t)b[1] + 2 == n);
    free(b);
}

static const struct {
    const char *proto;
    const char *bytes;
    size_t len;
    const char *want;
} reactions[] = {
    {"http", "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n", 47,
     "'HTTP/1.1 400 Bad Request' (47 bytes)"},
    {"tls", "\x15\x03\x03\x00\x02\x02\x28", 7, "TLS alert handshake_failure"},
    {"mqtt", "\x20\x02\x00\x05", 4, "CONNACK code 5"},
    {"coap", "\x70\x00\x12\x34", 4, "CoAP RST 0.00"},
    {"coap", "\x60\x84\x12\x34", 4, "CoAP ACK 4.04"},
    {"http", "", 0, "nothing"},
    {"ssh", "SSH-2.0-OpenSSH_9.2\r\nProtocol mismatch.\r\n", 41, "'SSH-2.0-OpenSSH_9.2' (41 bytes)"},
    {"mqtt", "\x20\xff\xff\xff\xff\xff", 6, "6 bytes ' \\xff\\xff\\xff\\xff\\xff'"},
    {"telnet", "\xff\xfd\x01", 3, "3 bytes '\\xff\\xfd\\x01'"},
};

static void test_reaction(void)
{
    char out[200], small[8];

    for (size_t i = 0; i < SP_ARRAY_LEN(reactions); i++) {
        robust_reaction(reactions[i].proto, (const uint8_t *)reactions[i].bytes, reactions[i].len, out,
                        sizeof(out));
        if (strcmp(out, reactions[i].want) != 0)
            fprintf(stderr, "\nreaction %zu: got \"%s\", want \"%s\"\n", i, out, reactions[i].want);
        CU_ASSERT_STRING_EQUAL(out, reactions[i].want);
    }
    robust_reaction("http", (const uint8_t *)"HTTP/1.1 200 OK\r\n", 17, small, sizeof(small));
    CU_ASSERT(memchr(small, '\0', sizeof(small)) != NULL);
}

/* ---- the robust facts' JSON form (reports/facts_json.c) ---- */

/* Shapes robust_one and the end check write. */
static const char *const robust_rows[] = {
    "{\"set\":\"http\",\"result\":\"survived\",\"baseline\":\"HTTP/1.1 200 OK\","
    "\"cases\":[{\"input\":\"http-header-64k\",\"variant\":0,\"sent\":65600,\"reaction\":\"sent back "
    "'HTTP/1.1 431', then closed the connection\",\"answered\":true}],\"rounds\":1,\"inputs\":1,"
    "\"long_campaign\":false,\"flood\":{\"saturated\":true,\"asked\":200,\"opened\":128,\"refused\":0,"
    "\"failed\":3,\"held_ms\":2000,\"recovered_ms\":900},\"answered_at_end\":true}",
    "{\"set\":\"mqtt\",\"result\":\"failed\",\"baseline\":\"CONNACK 0\","
    "\"cases\":[{\"input\":\"mqtt-remaining-length-overflow\",\"variant\":2,\"sent\":5,"
    "\"reaction\":\"sent back nothing, then closed the connection\",\"answered\":false}],"
    "\"failed_input\":\"mqtt-remaining-length-overflow\",\"failed_variant\":2,\"after\":\"refused\","
    "\"port_closed\":true,\"rounds\":3,\"inputs\":17,\"long_campaign\":true}",
    "{\"set\":\"http\",\"result\":\"failed\",\"baseline\":\"HTTP/1.1 200 OK\",\"cases\":[],"
    "\"failed_input\":\"(after every service's inputs)\",\"after\":\"timeout\",\"port_closed\":false,"
    "\"rounds\":1,\"inputs\":6,\"long_campaign\":false,\"flood\":{\"window_ended\":true,\"asked\":200,"
    "\"opened\":90,\"refused\":0,\"failed\":30,\"capped_by_fd_limit\":960,\"held_ms\":0,"
    "\"not_recovered\":true,\"waited_ms\":10000,\"why\":\"no answer\"},\"answered_at_end\":false}",
    "{\"result\":\"not examined\",\"why\":\"no malformed set for vnc\"}",
    "{\"set\":\"ssh\",\"result\":\"not examined\",\"why\":\"the run deadline passed before its set was sent\","
    "\"baseline\":\"SSH-2.0-x\",\"cases\":[]}",
};

static const struct unit_bad_facts robust_bad[] = {
    {"1", "not an object"},
    {"{\"cases\":{}}", "robust.cases"},
    {"{\"cases\":[{\"sent\":\"big\"}]}", "cases[].sent"},
    {"{\"rounds\":-1}", "robust.rounds"},
    {"{\"flood\":[]}", "robust.flood"},
    {"{\"flood\":{\"saturated\":\"yes\"}}", "robust.flood.saturated"},
    {"{\"answered_at_end\":1}", "robust.answered_at_end"},
};

static void test_robust_facts_codec(void)
{
    unit_facts_round_trip("robust", robust_rows, SP_ARRAY_LEN(robust_rows));
    unit_facts_refused("robust", robust_bad, SP_ARRAY_LEN(robust_bad));
}

int register_robust_tests(void)
{
    CU_pSuite s = CU_add_suite("robust", NULL, NULL);

    if (!s || !CU_add_test(s, "every malformed input builds, fits and is never cut", test_sets_build) ||
        !CU_add_test(s, "each input breaks the rule its name says", test_inputs_are_what_they_say) ||
        !CU_add_test(s, "what a service answered, as evidence", test_reaction) ||
        !CU_add_test(s, "robust facts to JSON and back", test_robust_facts_codec))
        return -1;
    return 0;
}
