/*
 * test_upnp.c - UPnP and ONVIF wire code (probes/wire/upnp_wire.c,
 * onvif_wire.c) as tables: the LOCATION of an SSDP answer, URL splitting and
 * resolving (another host, user@host), device descriptions (MiniDLNA's as
 * it sent it, in data/upnp/; an IGD with embedded devices and prefixes;
 * broken ones), the read action per service type, the SOAP request, and
 * what an answer to one says (answered, refused, not supported, a fault
 * that decides nothing). Also that SSDP now has an unauth slot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "http_wire.h"
#include "onvif_wire.h"
#include "proto.h"
#include "upnp_wire.h"
#include "unit.h"

static void check_row(int ok, int line, const char *row, const char *cond)
{
    char msg[256];

    snprintf(msg, sizeof(msg), "[%s] %s", row, cond);
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, (unsigned)line, msg, __FILE__, "", CU_FALSE);
}
#define CHECK(row, cond) check_row((cond) ? 1 : 0, __LINE__, (row), #cond)
#define B(s) (const uint8_t *)(s), sizeof(s) - 1

static size_t read_data(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n;

    if (!f)
        return 0;
    n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

static void test_location(void)
{
    static const struct {
        const char *what, *reply;
        int rc;
        const char *want;
    } rows[] = {
        {"minidlna", "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1810\r\nST: upnp:rootdevice\r\n"
                     "USN: uuid:4d69::upnp:rootdevice\r\nEXT:\r\nSERVER: Debian DLNADOC/1.50 UPnP/1.0 "
                     "MiniDLNA/1.3.0\r\nLOCATION: http://10.18.0.1:8200/rootDesc.xml\r\n"
                     "Content-Length: 0\r\n\r\n", 0, "http://10.18.0.1:8200/rootDesc.xml"},
        {"lower case, trailing blanks", "HTTP/1.1 200 OK\r\nLocation: http://h/d.xml  \r\n\r\n", 0,
         "http://h/d.xml"},
        {"none", "HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\n\r\n", -1, NULL},
        {"empty", "HTTP/1.1 200 OK\r\nLOCATION:\r\n\r\n", -1, NULL},
        {"a space inside", "HTTP/1.1 200 OK\r\nLOCATION: http://h/a b\r\n\r\n", -1, NULL},
        {"a control byte", "HTTP/1.1 200 OK\r\nLOCATION: http://h/\x01\r\n\r\n", -1, NULL},
    };
    char out[UPNP_URL_MAX], longrep[600];

    for (size_t i = 0; i < SP_ARRAY_LEN(rows); i++) {
        int rc = ssdp_location((const uint8_t *)rows[i].reply, strlen(rows[i].reply), out,
                               sizeof(out));
        CHECK(rows[i].what, rc == rows[i].rc);
        CHECK(rows[i].what, rc != 0 || strcmp(out, rows[i].want) == 0);
    }
    /* Longer than the buffer: refused, never cut. */
    snprintf(longrep, sizeof(longrep), "HTTP/1.1 200 OK\r\nLOCATION: http://h/%0300d\r\n\r\n", 0);
    CHECK("too long", ssdp_location((const uint8_t *)longrep, strlen(longrep), out, sizeof(out)) == -1);
}

static void test_url(void)
{
    static const struct {
        const char *url;
        int rc, tls;
        const char *host;
        long port;
        const char *path;
    } split[] = {
        {"http://10.18.0.1:8200/rootDesc.xml", 0, 0, "10.18.0.1", 8200, "/rootDesc.xml"},
        {"HTTPS://[fe80::1]/d.xml?x=1#f", 0, 1, "fe80::1", 443, "/d.xml?x=1"},
        {"http://h", 0, 0, "h", 80, "/"},
        {"http://h:8080?q", 0, 0, "h", 8080, "/?q"},
        {"http://10.18.0.1@192.0.2.9/x", -1, 0, NULL, 0, NULL},
        {"ftp://h/x", -1, 0, NULL, 0, NULL},
        {"http://h:0/", -1, 0, NULL, 0, NULL},
        {"http://h:65536/", -1, 0, NULL, 0, NULL},
        {"http://h:/", -1, 0, NULL, 0, NULL},
        {"http://h:8a/", -1, 0, NULL, 0, NULL},
        {"http://[::1/", -1, 0, NULL, 0, NULL},
        {"http:///x", -1, 0, NULL, 0, NULL},
        {"/ctl/x", -1, 0, NULL, 0, NULL},
    };
    static const struct {
        const char *base, *ref;
        int rc;
        const char *want;
    } res[] = {
        {"http://h:8200/rootDesc.xml", "/ctl/ContentDir", 0, "http://h:8200/ctl/ContentDir"},
        {"http://h:8200/a/b/desc.xml", "ctl/x", 0, "http://h:8200/a/b/ctl/x"},
        {"http://h:8200", "ctl", 0, "http://h:8200/ctl"},
        {"http://h:8200/a/desc.xml?v=1", "c", 0, "http://h:8200/a/c"},
        {"http://h/", "http://192.0.2.7:5000/ctl", 0, "http://192.0.2.7:5000/ctl"},
        {"not a url", "/x", -1, NULL},
    };
    char host[64], path[128], out[UPNP_URL_MAX], big[400];
    long port;
    int tls;

    for (size_t i = 0; i < SP_ARRAY_LEN(split); i++) {
        int rc = upnp_url_split(split[i].url, &tls, host, sizeof(host), &port, path, sizeof(path));
        CHECK(split[i].url, rc == split[i].rc);
        if (rc == 0 && split[i].rc == 0) {
            CHECK(split[i].url, tls == split[i].tls);
            CHECK(split[i].url, strcmp(host, split[i].host) == 0);
            CHECK(split[i].url, port == split[i].port);
            CHECK(split[i].url, strcmp(path, split[i].path) == 0);
        }
    }
    for (size_t i = 0; i < SP_ARRAY_LEN(res); i++) {
        int rc = upnp_url_resolve(res[i].base, res[i].ref, out, sizeof(out));
        CHECK(res[i].ref, rc == res[i].rc);
        CHECK(res[i].ref, rc != 0 || strcmp(out, res[i].want) == 0);
    }
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    CHECK("resolve: too long", upnp_url_resolve("http://h/", big, out, sizeof(out)) == -1);
    CHECK("split: host too long", upnp_url_split("http://aaaaaaaaaaaaaaaa/", &tls, host, 8, &port,
                                                  path, sizeof(path)) == -1);
}

static const char igd[] =
    "<?xml version=\"1.0\"?>\n<u:root xmlns:u=\"urn:schemas-upnp-org:device-1-0\">"
    "<u:URLBase>http://192.168.1.1:5000/</u:URLBase><u:device>"
    "<u:deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</u:deviceType>"
    "<u:friendlyName> Router &amp; Co &lt;1&gt; </u:friendlyName><u:manufacturer>ACME</u:manufacturer>"
    "<u:modelName>R1</u:modelName><u:serialNumber>00\xc3\xa9</u:serialNumber>"
    "<u:serviceList><u:service><u:serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1"
    "</u:serviceType><u:controlURL>/ctl/L3F</u:controlURL><u:SCPDURL>/L3F.xml</u:SCPDURL></u:service>"
    "</u:serviceList><u:deviceList><u:device><u:deviceType>urn:schemas-upnp-org:device:WANDevice:1"
    "</u:deviceType><u:serviceList><u:service attr=\"a>b\">"
    "<u:serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</u:serviceType>"
    "<u:controlURL>ctl/IPConn</u:controlURL><u:SCPDURL/></u:service></u:serviceList></u:device>"
    "</u:deviceList></u:device></u:root>";

static void test_description(void)
{
    uint8_t *buf = malloc(8192);
    size_t n = read_data("data/upnp/minidlna-rootDesc.xml", buf, 8192);
    struct upnp_device *d = malloc(sizeof(*d));
    struct strbuf many;

    CU_ASSERT_FATAL(n > 0);
    CU_ASSERT_EQUAL(upnp_parse_description(buf, n, d), 0);
    CU_ASSERT_STRING_EQUAL(d->device_type, "urn:schemas-upnp-org:device:MediaServer:1");
    CU_ASSERT_STRING_EQUAL(d->friendly_name, "sp-upnp-nas");
    CU_ASSERT_STRING_EQUAL(d->manufacturer, "Justin Maggard");
    CU_ASSERT_STRING_EQUAL(d->model_name, "Windows Media Connect compatible (MiniDLNA)");
    CU_ASSERT_STRING_EQUAL(d->serial_number, "SP-0001");
    CU_ASSERT_STRING_EQUAL(d->url_base, "");
    CU_ASSERT_EQUAL(d->nsvc, 3);
    CU_ASSERT_STRING_EQUAL(d->svc[1].type, "urn:schemas-upnp-org:service:ConnectionManager:1");
    CU_ASSERT_STRING_EQUAL(d->svc[1].control, "/ctl/ConnectionMgr");
    CU_ASSERT_STRING_EQUAL(d->svc[1].scpd, "/ConnectionMgr.xml");
    CU_ASSERT_EQUAL(d->truncated, 0);

    /* Prefixed names, entities, an attribute with '>', an embedded device, a self-closed SCPDURL. */
    CU_ASSERT_EQUAL(upnp_parse_description(B(igd), d), 0);
    CU_ASSERT_STRING_EQUAL(d->device_type, "urn:schemas-upnp-org:device:InternetGatewayDevice:1");
    CU_ASSERT_STRING_EQUAL(d->friendly_name, "Router & Co <1>");
    CU_ASSERT_STRING_EQUAL(d->serial_number, "00??");
    CU_ASSERT_STRING_EQUAL(d->url_base, "http://192.168.1.1:5000/");
    CU_ASSERT_EQUAL(d->nsvc, 2);
    CU_ASSERT_STRING_EQUAL(d->svc[1].type, "urn:schemas-upnp-org:service:WANIPConnection:1");
    CU_ASSERT_STRING_EQUAL(d->svc[1].control, "ctl/IPConn");
    CU_ASSERT_STRING_EQUAL(d->svc[1].scpd, "");

    /* Not descriptions. */
    CU_ASSERT_EQUAL(upnp_parse_description(B("<html><body>root device</body></html>"), d), -1);
    CU_ASSERT_EQUAL(upnp_parse_description(B("<root><specVersion/></root>"), d), -1);
    CU_ASSERT_EQUAL(upnp_parse_description(B(""), d), -1);
    /* Cut in the middle: what is there is read, nothing past the end. */
    CU_ASSERT_EQUAL(upnp_parse_description((const uint8_t *)igd, 400, d), 0);
    CU_ASSERT_EQUAL(d->nsvc, 0);
    CU_ASSERT_EQUAL(upnp_parse_description(B("<root><device><serviceList><service><serviceType>"
                                              "urn:x:service:Y:1"), d), 0);
    CU_ASSERT_EQUAL(d->nsvc, 1);
    CU_ASSERT_STRING_EQUAL(d->svc[0].type, "urn:x:service:Y:1");

    /* More services than kept: the rest is flagged, never written past the array. */
    sb_init(&many);
    sb_add(&many, "<root><device>");
    for (int i = 0; i < UPNP_MAX_SERVICES + 3; i++)
        sb_printf(&many, "<service><serviceType>urn:x:service:S%d:1</serviceType>"
                         "<controlURL>/c%d</controlURL></service>", i, i);
    sb_add(&many, "</device></root>");
    CU_ASSERT_EQUAL(upnp_parse_description((const uint8_t *)many.buf, many.len, d), 0);
    CU_ASSERT_EQUAL(d->nsvc, UPNP_MAX_SERVICES);
    CU_ASSERT_EQUAL(d->truncated, 1);
    sb_free(&many);
    free(d);
    free(buf);
}

static void test_actions(void)
{
    static const struct {
        const char *type, *action;
    } rows[] = {
        {"urn:schemas-upnp-org:service:WANIPConnection:2", "GetExternalIPAddress"},
        {"urn:schemas-upnp-org:service:WANPPPConnection:1", "GetExternalIPAddress"},
        {"urn:schemas-upnp-org:service:ConnectionManager:1", "GetProtocolInfo"},
        {"urn:schemas-upnp-org:service:ContentDirectory:1", "GetSystemUpdateID"},
        {"urn:schemas-upnp-org:service:RenderingControl:1", "GetVolume"},
        {"urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:1", "IsAuthorized"},
        {"urn:schemas-upnp-org:service:WANIPConnection:", NULL},
        {"urn:acme-com:service:Config:1", NULL},
        {"", NULL},
    };
    char body[1024];
    const char *args;

    for (size_t i = 0; i < SP_ARRAY_LEN(rows); i++) {
        const char *a = upnp_read_action(rows[i].type, &args);
        CHECK(rows[i].type, (a == NULL) == (rows[i].action == NULL));
        CHECK(rows[i].type, !a || strcmp(a, rows[i].action) == 0);
        /* Only reads: never a Set, Add, Delete or anything that changes state. */
        CHECK(rows[i].type, !a || strncmp(a, "Get", 3) == 0 || strncmp(a, "Is", 2) == 0);
    }
    CU_ASSERT(upnp_soap_build(body, sizeof(body), "urn:schemas-upnp-org:service:RenderingControl:1",
                              "GetVolume", "<InstanceID>0</InstanceID>") > 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(body, "<s:Body><u:GetVolume xmlns:u=\"urn:schemas-upnp-org:service:"
                                        "RenderingControl:1\"><InstanceID>0</InstanceID></u:GetVolume>"));
    /* Device text that would break out of the attribute is refused. */
    CU_ASSERT_EQUAL(upnp_soap_build(body, sizeof(body), "urn:x\"><evil/>", "GetX", ""), 0);
    CU_ASSERT_EQUAL(upnp_soap_build(body, sizeof(body), "", "GetX", ""), 0);
    CU_ASSERT_EQUAL(upnp_soap_build(body, 20, "urn:x:service:Y:1", "GetX", ""), 0);
}

static const char onvif_fault[] =
    "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Body><env:Fault>"
    "<env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>ter:NotAuthorized</env:Value>"
    "</env:Subcode></env:Code><env:Reason><env:Text xml:lang=\"en\">Sender not Authorized</env:Text>"
    "</env:Reason></env:Fault></env:Body></env:Envelope>";
static const char onvif_unsupported[] =
    "<env:Envelope><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value><env:Subcode>"
    "<env:Value>ter:ActionNotSupported</env:Value></env:Subcode></env:Code></env:Fault></env:Body>"
    "</env:Envelope>";
/* "NotAuthorized" only as words in the reason: no refusal is proven by words. */
static const char onvif_words[] =
    "<env:Envelope><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code>"
    "<env:Reason><env:Text>NotAuthorized</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>";
static const char upnp_606[] =
    "<s:Envelope><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring>"
    "<detail><UPnPError><errorCode>606</errorCode><errorDescription>Action not authorized"
    "</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>";
static const char upnp_501[] =
    "<s:Envelope><s:Body><s:Fault><detail><UPnPError><errorCode>501</errorCode>"
    "<errorDescription>Action Failed</errorDescription></UPnPError></detail></s:Fault></s:Body>"
    "</s:Envelope>";
/* The answer's name outside any envelope (an HTML page quoting it): not an answer. */
static const char html_quote[] = "<html><GetProtocolInfoResponse>x</GetProtocolInfoResponse></html>";

static void test_classify(void)
{
    uint8_t *buf = malloc(16384);
    size_t n = read_data("data/upnp/minidlna-GetProtocolInfo.xml", buf, 16384);
    size_t nf = 0;
    static const struct {
        const char *what;
        int status;
        const char *body;
        const char *action;
        enum soap_verdict want;
        const char *why;
    } rows[] = {
        {"401 without a body", 401, "", "GetUsers", SOAP_REFUSED, "HTTP 401"},
        {"403 html", 403, "<html>forbidden</html>", "GetUsers", SOAP_REFUSED, "HTTP 403"},
        {"onvif NotAuthorized", 400, onvif_fault, "GetUsers", SOAP_REFUSED,
         "HTTP 400, SOAP fault ter:NotAuthorized 'Sender not Authorized'"},
        {"onvif ActionNotSupported", 400, onvif_unsupported, "GetUsers", SOAP_NOT_SUPPORTED, NULL},
        {"words are no refusal", 500, onvif_words, "GetUsers", SOAP_FAULT, NULL},
        {"upnp 606", 500, upnp_606, "GetX", SOAP_REFUSED, "UPnP error 606 'Action not authorized'"},
        {"upnp 501", 500, upnp_501, "GetX", SOAP_FAULT, NULL},
        {"404", 404, "<html>no</html>", "GetX", SOAP_NOT_SUPPORTED, NULL},
        {"200 html quoting the answer", 200, html_quote, "GetProtocolInfo", SOAP_NOT_SOAP, NULL},
        {"200 empty", 200, "", "GetX", SOAP_NOT_SOAP, NULL},
        {"200 envelope, another answer", 200, "<s:Envelope><s:Body><u:GetYResponse/></s:Body>"
         "</s:Envelope>", "GetX", SOAP_FAULT, NULL},
        {"500 answer is no answer", 500, "<s:Envelope><s:Body><u:GetXResponse/></s:Body></s:Envelope>",
         "GetX", SOAP_NOT_SOAP, NULL},
    };
    char why[240];
    uint8_t fault[600];

    CU_ASSERT_FATAL(n > 0);
    CU_ASSERT_EQUAL(soap_classify(200, buf, n, "GetProtocolInfo", why, sizeof(why)), SOAP_ANSWERED);
    CU_ASSERT_STRING_EQUAL(why, "HTTP 200 with GetProtocolInfoResponse");
    nf = read_data("data/upnp/minidlna-fault-401.xml", fault, sizeof(fault));
    CU_ASSERT_FATAL(nf > 0);
    CU_ASSERT_EQUAL(soap_classify(500, fault, nf, "SetNothing", why, sizeof(why)), SOAP_NOT_SUPPORTED);
    CU_ASSERT_STRING_EQUAL(why, "HTTP 500, UPnP error 401 'Invalid Action'");
    for (size_t i = 0; i < SP_ARRAY_LEN(rows); i++) {
        enum soap_verdict v = soap_classify(rows[i].status, (const uint8_t *)rows[i].body,
                                            strlen(rows[i].body), rows[i].action, why, sizeof(why));
        if (v != rows[i].want)
            fprintf(stderr, "\nsoap '%s': %d (%s)\n", rows[i].what, (int)v, why);
        CHECK(rows[i].what, v == rows[i].want);
        CHECK(rows[i].what, !rows[i].why || strstr(why, rows[i].why) != NULL);
    }
    free(buf);
}

static void test_onvif(void)
{
    static const char users[] =
        "<env:Envelope><env:Body><tds:GetUsersResponse><tds:User><tt:Username>admin</tt:Username>"
        "<tt:UserLevel>Administrator</tt:UserLevel></tds:User><tds:User><tt:Username>op&amp;1"
        "</tt:Username><tt:UserLevel>Operator</tt:UserLevel></tds:User></tds:GetUsersResponse>"
        "</env:Body></env:Envelope>";
    static const char info[] =
        "<env:Envelope><env:Body><tds:GetDeviceInformationResponse><tds:Manufacturer>SP</tds:Manufacturer>"
        "<tds:Model>C1</tds:Model><tds:FirmwareVersion>1.0</tds:FirmwareVersion><tds:SerialNumber>42"
        "</tds:SerialNumber></tds:GetDeviceInformationResponse></env:Body></env:Envelope>";
    struct onvif_users u;
    struct onvif_info in;
    struct strbuf many;
    char body[600];

    CU_ASSERT(onvif_build(body, sizeof(body), "GetUsers") > 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(body, "<s:Body><tds:GetUsers/></s:Body>"));
    CU_ASSERT_PTR_NULL(strstr(body, "Security"));
    CU_ASSERT_EQUAL(onvif_build(body, sizeof(body), "Get<x>"), 0);

    CU_ASSERT_EQUAL(onvif_parse_users(B(users), &u), 0);
    CU_ASSERT_EQUAL(u.n, 2);
    CU_ASSERT_STRING_EQUAL(u.name[0], "admin");
    CU_ASSERT_STRING_EQUAL(u.level[0], "Administrator");
    CU_ASSERT_STRING_EQUAL(u.name[1], "op&1");
    CU_ASSERT_EQUAL(onvif_parse_users(B(info), &u), -1);
    CU_ASSERT_EQUAL(onvif_parse_users(B("<tds:GetUsersResponse/>"), &u), 0);
    CU_ASSERT_EQUAL(u.n, 0);

    sb_init(&many);
    sb_add(&many, "<GetUsersResponse>");
    for (int i = 0; i < ONVIF_MAX_USERS + 4; i++)
        sb_printf(&many, "<User><Username>u%d</Username></User>", i);
    sb_add(&many, "</GetUsersResponse>");
    CU_ASSERT_EQUAL(onvif_parse_users((const uint8_t *)many.buf, many.len, &u), 0);
    CU_ASSERT_EQUAL(u.n, ONVIF_MAX_USERS + 4);
    CU_ASSERT_STRING_EQUAL(u.name[ONVIF_MAX_USERS - 1], "u7");
    sb_free(&many);

    CU_ASSERT_EQUAL(onvif_parse_info(B(info), &in), 0);
    CU_ASSERT_STRING_EQUAL(in.manufacturer, "SP");
    CU_ASSERT_STRING_EQUAL(in.model, "C1");
    CU_ASSERT_STRING_EQUAL(in.firmware, "1.0");
    CU_ASSERT_STRING_EQUAL(in.serial, "42");
    CU_ASSERT_EQUAL(onvif_parse_info(B(users), &in), -1);
}

static void test_post(void)
{
    static const struct {
        const char *what, *host, *path, *ctype, *soapaction;
        long port;
        const char *want;       /* NULL: refused */
    } rows[] = {
        {"upnp", "10.18.0.1", "/ctl/ConnectionMgr", "text/xml; charset=\"utf-8\"",
         "urn:schemas-upnp-org:service:ConnectionManager:1#GetProtocolInfo", 8200,
         "POST /ctl/ConnectionMgr HTTP/1.0\r\nHost: 10.18.0.1:8200\r\n"},
        {"onvif, no SOAPACTION, v6", "fe80::1", "/onvif/device_service", "application/soap+xml", NULL, 80,
         "POST /onvif/device_service HTTP/1.0\r\nHost: [fe80::1]\r\n"},
        {"CRLF in the content type", "h", "/x", "text/xml\r\nX-Evil: 1", NULL, 80, NULL},
        {"quote in the SOAPACTION", "h", "/x", "text/xml", "a\"b", 80, NULL},
        {"space in the path", "h", "/a b", "text/xml", NULL, 80, NULL},
        {"relative path", "h", "ctl", "text/xml", NULL, 80, NULL},
    };
    uint8_t buf[1200];

    for (size_t i = 0; i < SP_ARRAY_LEN(rows); i++) {
        size_t n = http_build_post(buf, sizeof(buf) - 1, rows[i].host, rows[i].port, 0, rows[i].path,
                                   rows[i].ctype, rows[i].soapaction, 123);
        CHECK(rows[i].what, (n == 0) == (rows[i].want == NULL));
        if (n == 0 || !rows[i].want)
            continue;
        buf[n] = '\0';
        CHECK(rows[i].what, strncmp((char *)buf, rows[i].want, strlen(rows[i].want)) == 0);
        CHECK(rows[i].what, strstr((char *)buf, "Content-Length: 123\r\n\r\n") != NULL);
        CHECK(rows[i].what, (strstr((char *)buf, "SOAPACTION: \"") != NULL) == (rows[i].soapaction != NULL));
    }
    CU_ASSERT_EQUAL(http_build_post(buf, 40, "h", 80, 0, "/x", "text/xml", NULL, 1), 0);
}

static void test_ssdp_slot(void)
{
    const struct proto *p = proto_for_name("ssdp", NULL);

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_PTR_NOT_NULL(p->unauth);
    CU_ASSERT_STRING_EQUAL(p->facts_key, "upnp");
    CU_ASSERT(p->flags & PROTO_NO_PASSWORD);
}

int register_upnp_tests(void)
{
    CU_pSuite s = CU_add_suite("upnp", NULL, NULL);

    if (!s || !CU_add_test(s, "ssdp: LOCATION of an answer", test_location) ||
        !CU_add_test(s, "urls: split and resolved, other hosts kept apart", test_url) ||
        !CU_add_test(s, "descriptions: MiniDLNA's, an IGD, broken ones", test_description) ||
        !CU_add_test(s, "control: read actions and the SOAP request", test_actions) ||
        !CU_add_test(s, "control: what a SOAP answer says", test_classify) ||
        !CU_add_test(s, "onvif: requests, users and device information", test_onvif) ||
        !CU_add_test(s, "http: the POST a SOAP request goes in", test_post) ||
        !CU_add_test(s, "ssdp has an unauth slot", test_ssdp_slot))
        return -1;
    return 0;
}
