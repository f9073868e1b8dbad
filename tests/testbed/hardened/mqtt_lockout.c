/*
 * mqtt_lockout.c - the hardened device's MQTT login lockout: a mosquitto auth plugin (plugin API
 * v5, MOSQ_EVT_BASIC_AUTH). After `max_failures` failed logins for one user name within
 * `window_seconds`, that user name is refused for `lock_seconds`, even with the right password.
 * Built by tests/testbed/testbed.sh at `up` against Debian's mosquitto-dev headers:
 *
 *   cc -shared -fPIC -o mqtt_lockout.so mqtt_lockout.c -lcrypto
 *
 *   plugin /path/mqtt_lockout.so
 *   plugin_opt_password_file  the broker's own password_file (mosquitto_passwd, $6$ or $7$ hashes)
 *   plugin_opt_max_failures   default 5
 *   plugin_opt_window_seconds default 60
 *   plugin_opt_lock_seconds   default 60
 *
 * Why the plugin checks the password itself: the broker calls BASIC_AUTH callbacks in the order
 * they were registered, plugins first and its own password_file check last, and the first answer
 * that is not MOSQ_ERR_PLUGIN_DEFER ends the chain. So the plugin runs before the real check and
 * is never told its outcome (mosquitto 2.0 has no "client connected" event either). It therefore
 * reads the same password file and verifies the password the way the broker does (PBKDF2-SHA512
 * or salted SHA-512, libcrypto), only to count failures; when the user name is not locked it
 * returns MOSQ_ERR_PLUGIN_DEFER, so the broker's password_file check still decides every login.
 * One file decides both; the file is read at each login (it is a few lines), so a reload of the
 * broker's file is seen here too.
 *
 * While a user name is locked the plugin returns MOSQ_ERR_AUTH. That is the only refusal mosquitto
 * 2.0 lets a BASIC_AUTH plugin give with a CONNACK: CONNACK 5 "not authorized" (MQTT 3.1.1), 0x87
 * (MQTT 5) — the same answer as a wrong password. Any other code closes the connection without
 * a CONNACK. A client therefore sees the lock only as the right password being refused.
 *
 * Anonymous CONNECTs (no user name) are neither counted nor refused here: they are deferred, and
 * the broker refuses them (allow_anonymous false) exactly as without the plugin. A login that
 * succeeds resets its user name's count. At most MAX_USERS user names are tracked; when the
 * table is full, the entry idle longest that is not locked is reused (a flood of invented user
 * names cannot unlock a locked one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#define MAX_USERS 256
#define MAX_NAME 128
#define MAX_LINE 1024

struct lock_entry {
    char user[MAX_NAME];
    int failures;
    time_t first_failure;   /* start of the current counting window */
    time_t locked_until;    /* 0: not locked */
    time_t last_seen;
};

struct lockout {
    char *password_file;
    int max_failures;
    long window, lock;
    struct lock_entry users[MAX_USERS];
};

static mosquitto_plugin_id_t *plugin_id;

static time_t now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

/* b64_decode - standard base64 (with padding) into out; returns the length, or -1. */
static int b64_decode(const char *in, unsigned char *out, size_t cap)
{
    size_t len = strlen(in), pad = 0;
    int n;

    if (len == 0 || len % 4 != 0 || len / 4 * 3 > cap)
        return -1;
    if (in[len - 1] == '=')
        pad++;
    if (in[len - 2] == '=')
        pad++;
    n = EVP_DecodeBlock(out, (const unsigned char *)in, (int)len);
    return n < 0 ? -1 : n - (int)pad;
}

/*
 * password_matches - 1 if PASSWORD is USER's in the mosquitto password file, 0 if not (unknown
 * user, wrong or missing password, a line the plugin cannot read), the broker's own rules: a user
 * listed without a hash logs in with anything.
 */
static int password_matches(const struct lockout *lo, const char *user, const char *password)
{
    char line[MAX_LINE], *hash, *type, *iter, *salt_b64, *hash_b64, *save = NULL;
    unsigned char salt[128], want[EVP_MAX_MD_SIZE + 3], got[EVP_MAX_MD_SIZE];  /* +3: base64 padding */
    int salt_len, want_len, found = 0, ok = 0;
    unsigned int got_len = 0;
    FILE *f = fopen(lo->password_file, "r");

    if (!f) {
        mosquitto_log_printf(MOSQ_LOG_ERR, "mqtt_lockout: cannot read %s", lo->password_file);
        return 0;
    }
    while (!found && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        hash = strchr(line, ':');
        if (!hash)
            continue;
        *hash++ = '\0';
        if (strcmp(line, user) == 0)
            found = 1;
    }
    fclose(f);
    if (!found)
        return 0;
    if (*hash == '\0')
        return 1;
    if (!password)
        return 0;
    /* $6$salt$hash: SHA-512(password || salt); $7$iterations$salt$hash: PBKDF2-HMAC-SHA512. */
    type = strtok_r(hash, "$", &save);
    if (!type)
        return 0;
    iter = strcmp(type, "7") == 0 ? strtok_r(NULL, "$", &save) : NULL;
    salt_b64 = strtok_r(NULL, "$", &save);
    hash_b64 = strtok_r(NULL, "$", &save);
    if (!salt_b64 || !hash_b64 || (strcmp(type, "6") != 0 && !iter))
        return 0;
    salt_len = b64_decode(salt_b64, salt, sizeof(salt));
    want_len = b64_decode(hash_b64, want, sizeof(want));
    if (salt_len <= 0 || want_len <= 0 || want_len > EVP_MAX_MD_SIZE)
        return 0;
    if (iter) {
        long it = strtol(iter, NULL, 10);
        if (it < 1 || it > 10000000 ||
            !PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt, salt_len, (int)it,
                               EVP_sha512(), want_len, got))
            return 0;
        got_len = (unsigned int)want_len;
    } else {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        if (!ctx)
            return 0;
        ok = EVP_DigestInit_ex(ctx, EVP_sha512(), NULL) &&
             EVP_DigestUpdate(ctx, password, strlen(password)) &&
             EVP_DigestUpdate(ctx, salt, (size_t)salt_len) &&
             EVP_DigestFinal_ex(ctx, got, &got_len);
        EVP_MD_CTX_free(ctx);
        if (!ok)
            return 0;
    }
    return got_len == (unsigned int)want_len && CRYPTO_memcmp(got, want, got_len) == 0;
}

/* entry_for - USER's entry, or a fresh one (the idle-longest unlocked one when the table is full). */
static struct lock_entry *entry_for(struct lockout *lo, const char *user, time_t now)
{
    struct lock_entry *e, *spare = NULL;

    for (int i = 0; i < MAX_USERS; i++) {
        e = &lo->users[i];
        if (e->user[0] && strcmp(e->user, user) == 0)
            return e;
        if (e->locked_until > now)
            continue;
        if (!spare || !e->user[0] || (spare->user[0] && e->last_seen < spare->last_seen))
            spare = e;
    }
    if (!spare)
        return NULL;    /* every entry locked: the caller refuses */
    memset(spare, 0, sizeof(*spare));
    snprintf(spare->user, sizeof(spare->user), "%s", user);
    return spare;
}

static int on_basic_auth(int event, void *event_data, void *userdata)
{
    struct mosquitto_evt_basic_auth *ed = event_data;
    struct lockout *lo = userdata;
    const char *addr = mosquitto_client_address(ed->client);
    time_t now = now_s();
    struct lock_entry *e;

    (void)event;
    if (!ed->username)
        return MOSQ_ERR_PLUGIN_DEFER;
    if (strlen(ed->username) >= MAX_NAME) {
        mosquitto_log_printf(MOSQ_LOG_NOTICE, "mqtt_lockout: refused an over-long user name from %s",
                             addr ? addr : "?");
        return MOSQ_ERR_AUTH;
    }
    e = entry_for(lo, ed->username, now);
    if (!e) {
        mosquitto_log_printf(MOSQ_LOG_NOTICE, "mqtt_lockout: table full of locked user names; "
                             "refused '%s' from %s", ed->username, addr ? addr : "?");
        return MOSQ_ERR_AUTH;
    }
    e->last_seen = now;
    if (e->locked_until > now) {
        mosquitto_log_printf(MOSQ_LOG_NOTICE, "mqtt_lockout: '%s' is locked for %ld more s; "
                             "refused from %s", e->user, (long)(e->locked_until - now),
                             addr ? addr : "?");
        return MOSQ_ERR_AUTH;
    }
    if (e->locked_until) {  /* a lock that ran out starts a new count */
        e->locked_until = 0;
        e->failures = 0;
    }
    if (password_matches(lo, ed->username, ed->password)) {
        e->failures = 0;
        return MOSQ_ERR_PLUGIN_DEFER;
    }
    if (e->failures == 0 || now - e->first_failure >= lo->window) {
        e->failures = 0;
        e->first_failure = now;
    }
    e->failures++;
    if (e->failures >= lo->max_failures) {
        e->locked_until = now + lo->lock;
        mosquitto_log_printf(MOSQ_LOG_NOTICE, "mqtt_lockout: '%s' locked for %ld s after %d "
                             "failed logins (last from %s)", e->user, lo->lock, e->failures,
                             addr ? addr : "?");
    } else {
        mosquitto_log_printf(MOSQ_LOG_INFO, "mqtt_lockout: failed login %d/%d for '%s' from %s",
                             e->failures, lo->max_failures, e->user, addr ? addr : "?");
    }
    return MOSQ_ERR_PLUGIN_DEFER;   /* the broker's password check refuses it */
}

/* opt_long - the option KEY as a number in [min, max], or dflt; -1 if it is set but bad. */
static long opt_long(const struct mosquitto_opt *opts, int n, const char *key, long dflt, long min,
                     long max)
{
    for (int i = 0; i < n; i++) {
        char *end;
        long v;
        if (strcmp(opts[i].key, key) != 0)
            continue;
        v = strtol(opts[i].value, &end, 10);
        if (end == opts[i].value || *end || v < min || v > max) {
            mosquitto_log_printf(MOSQ_LOG_ERR, "mqtt_lockout: plugin_opt_%s must be %ld..%ld",
                                 key, min, max);
            return -1;
        }
        return v;
    }
    return dflt;
}

int mosquitto_plugin_version(int supported_version_count, const int *supported_versions)
{
    for (int i = 0; i < supported_version_count; i++)
        if (supported_versions[i] == 5)
            return 5;
    return -1;
}

int mosquitto_plugin_init(mosquitto_plugin_id_t *identifier, void **userdata,
                          struct mosquitto_opt *opts, int opt_count)
{
    struct lockout *lo = calloc(1, sizeof(*lo));
    FILE *f;

    if (!lo)
        return MOSQ_ERR_NOMEM;
    for (int i = 0; i < opt_count; i++)
        if (strcmp(opts[i].key, "password_file") == 0)
            lo->password_file = strdup(opts[i].value);
    lo->max_failures = (int)opt_long(opts, opt_count, "max_failures", 5, 1, 1000);
    lo->window = opt_long(opts, opt_count, "window_seconds", 60, 1, 86400);
    lo->lock = opt_long(opts, opt_count, "lock_seconds", 60, 1, 86400);
    if (!lo->password_file || !(f = fopen(lo->password_file, "r"))) {
        mosquitto_log_printf(MOSQ_LOG_ERR, "mqtt_lockout: plugin_opt_password_file must name "
                             "a readable mosquitto password file");
        free(lo->password_file);
        free(lo);
        return MOSQ_ERR_INVAL;
    }
    fclose(f);
    if (lo->max_failures < 0 || lo->window < 0 || lo->lock < 0) {
        free(lo->password_file);
        free(lo);
        return MOSQ_ERR_INVAL;
    }
    plugin_id = identifier;
    *userdata = lo;
    mosquitto_log_printf(MOSQ_LOG_NOTICE, "mqtt_lockout: %d failed logins within %ld s lock a "
                         "user name for %ld s", lo->max_failures, lo->window, lo->lock);
    return mosquitto_callback_register(plugin_id, MOSQ_EVT_BASIC_AUTH, on_basic_auth, NULL, lo);
}

int mosquitto_plugin_cleanup(void *userdata, struct mosquitto_opt *opts, int opt_count)
{
    struct lockout *lo = userdata;

    (void)opts;
    (void)opt_count;
    mosquitto_callback_unregister(plugin_id, MOSQ_EVT_BASIC_AUTH, on_basic_auth, NULL);
    if (lo)
        free(lo->password_file);
    free(lo);
    return MOSQ_ERR_SUCCESS;
}
