/*
 * update.c - update.channel (S1.1-06). What the declaration alone settles is
 * judged now: a plain-HTTP update URL fails. Whether an HTTPS update server
 * really has a valid certificate and TLS >= 1.2 needs a connection to that
 * server, which is another host: only with --allow-host, and only once the
 * TLS probe exists. Until then such a channel is INCONCLUSIVE, never PASS.
 */
#include <string.h>
#include <strings.h>

#include "run.h"

static const struct probe_param channel_params[] = {
    {"require_https", "true", "the update URL must be https://"},
    {"min_tls", "TLSv1.2", "oldest TLS version the update server may accept"},
    {NULL, NULL, NULL}};

static void channel_judge(struct run *r, const struct check *c, struct check_result *res)
{
    const char *url = r->device ? r->device->update_url : NULL;

    (void)c;
    if (!url) {
        cr_set(res, V_INCONCLUSIVE, "The declaration names no update URL, so the update channel "
                                    "cannot be examined.");
        return;
    }
    if (strncasecmp(url, "https://", 8) != 0) {
        cr_set(res, V_FAIL, "The declared update channel is not HTTPS: updates can be read and "
                            "replaced in transit.");
        cr_evidence(res, NULL, "declared update url: %s", url);
        return;
    }
    cr_set(res, V_INCONCLUSIVE,
           "The update URL is HTTPS; its server's certificate and TLS versions are not yet "
           "examined by this version.");
    cr_evidence(res, NULL, "declared update url: %s", url);
}

const struct probe probe_update_channel = {
    .name = "update.channel",
    .summary = "The declared update channel is HTTPS with a valid certificate and TLS >= 1.2",
    .rule = "FAIL when the declared update URL is not https://. INCONCLUSIVE when no URL is "
            "declared, or while the update server's TLS is not examined.",
    .flags = PROBE_OFFLINE,
    .params = channel_params,
    .gatherer = NULL,
    .judge = channel_judge,
};
