/*
 * wsd_wire.c - WS-Discovery: a SOAP Probe and the ProbeMatches that answers it (see wsd_wire.h). Every read is bounded by the length received.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "wire.h"
#include "wsd_wire.h"

size_t wsd_ident_build(uint8_t *buf, size_t cap, uint16_t txid)
{
    char uuid[37];
    uint8_t r[16];
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;

    if (wire_random(r, sizeof(r)) != 0)
        memset(r, 0x5a, sizeof(r));
    r[0] = (uint8_t)(txid >> 8);
    r[1] = (uint8_t)txid;
    r[6] = (uint8_t)((r[6] & 0x0f) | 0x40);    /* version 4 */
    r[8] = (uint8_t)((r[8] & 0x3f) | 0x80);
    for (size_t i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            uuid[o++] = '-';
        uuid[o++] = hex[r[i] >> 4];
        uuid[o++] = hex[r[i] & 15];
    }
    uuid[o] = '\0';
    /* An empty Probe matches every target service; ONVIF cameras answer it. */
    return wire_snprintf_len(snprintf((char *)buf, cap,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:w=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
        "xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\">"
        "<e:Header><w:MessageID>urn:uuid:%s</w:MessageID>"
        "<w:To e:mustUnderstand=\"true\">urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To>"
        "<w:Action e:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action>"
        "</e:Header><e:Body><d:Probe/></e:Body></e:Envelope>", uuid), cap);
}

/* The text of the first element whose name ends in `local` (any namespace prefix). */
static int xml_elem(const uint8_t *b, size_t n, const char *local, const uint8_t **v, size_t *vl)
{
    size_t k = strlen(local);

    for (size_t i = 0; i + k + 1 < n; i++) {
        if ((b[i] == ':' || b[i] == '<') && memcmp(b + i + 1, local, k) == 0 &&
            i + 1 + k < n && b[i + 1 + k] == '>') {
            size_t s = i + 2 + k, e = s;
            if (b[i] == ':') {
                /* must be an opening tag: walk back to '<' over the prefix, no '/' */
                size_t j = i;
                while (j > 0 && b[j - 1] != '<' && b[j - 1] != '>' && b[j - 1] != '/')
                    j--;
                if (j == 0 || b[j - 1] != '<')
                    continue;
            }
            while (e < n && b[e] != '<')
                e++;
            *v = b + s;
            *vl = e - s;
            return 1;
        }
    }
    return 0;
}

int wsd_ident_match(const uint8_t *req, size_t reqlen, const uint8_t *buf, size_t len,
                     struct ident_result *out)
{
    const uint8_t *id, *v;
    size_t vl;
    struct dbuf d;
    int related;

    if (!sp_memcasemem(buf, len, "ProbeMatches") || !sp_memcasemem(buf, len, "Envelope"))
        return 0;
    id = sp_memcasemem(req, reqlen, "urn:uuid:");
    if (!id || (size_t)(req + reqlen - id) < 9 + 36)
        return 0;
    /*
     * WS-Addressing has the reply name our MessageID in RelatesTo. A reply
     * that relates to something else answers someone else; one without
     * RelatesTo (seen on cheap stacks) is accepted and the detail says so.
     */
    related = xml_elem(buf, len, "RelatesTo", &v, &vl);
    if (related && !wire_find_ci(v, vl, id, 45))
        return 0;
    ident_result_init(out);
    ident_set_service(out, "ws-discovery");
    dbuf_init(&d, out->detail, sizeof(out->detail));
    dbuf_printf(&d, "ProbeMatches%s", related ? " to our MessageID" : " without RelatesTo");
    if (xml_elem(buf, len, "Types", &v, &vl)) {
        dbuf_printf(&d, ", Types '");
        dbuf_esc(&d, v, vl, 80);
        dbuf_printf(&d, "'");
    }
    if (xml_elem(buf, len, "XAddrs", &v, &vl)) {
        dbuf_printf(&d, ", XAddrs '");
        dbuf_esc(&d, v, vl, 80);
        dbuf_printf(&d, "'");
    }
    return 1;
}
