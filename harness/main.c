/*
 * main.c - the command line (docs/design.md §2): assess, profiles, explain, demo.
 * Parses options, loads the profile and declaration, runs the assessment,
 * writes the reports and maps the outcome to the documented exit codes.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"
#include "run.h"
#include "schedule.h"

#ifndef SP_DATADIR
#define SP_DATADIR "/usr/local/share/starprobe"
#endif

extern volatile sig_atomic_t sp_interrupted;

static const char usage_text[] =
    "usage: starprobe assess -p PROFILE -t TARGET [-d DEVICE.yaml] [-o OUTDIR]\n"
    "                        [-f json,html,junit,text] [--intrusive] [--jobs N]\n"
    "                        [--deadline SECONDS] [--lang ja|en] [--quiet]\n"
    "                        [--allow-host HOST]... [--compare TARGET2]\n"
    "       starprobe profiles\n"
    "       starprobe explain ID [-p PROFILE]\n"
    "       starprobe demo [-o OUTDIR]\n"
    "       starprobe --version | --help\n";

static const char help_text[] =
    "\n"
    "starprobe tells whether an IoT device meets a security label level (JC-STAR ★1 first)\n"
    "by probing it over the network, and writes a conformance report with the evidence.\n"
    "\n"
    "commands:\n"
    "  assess     assess TARGET against PROFILE; reports go to OUTDIR\n"
    "  profiles   list the bundled profiles\n"
    "  explain    what a requirement (S1.1-13) or a probe (ports.exposure) checks, and its rule\n"
    "  demo       start the bundled weak reference device on this machine, assess it, stop it\n"
    "\n"
    "assess options:\n"
    "  -p, --profile PROFILE   bundled id (jcstar-star1, or star1) or a profile file\n"
    "  -t, --target TARGET     the device: IPv4/IPv6 address or host name. Nothing else is contacted\n"
    "  -d, --device FILE       the manufacturer's declaration: declared services, test accounts,\n"
    "                          update channel, evidence. Without it every open service is undeclared\n"
    "  -o, --output DIR        report directory (default ./starprobe-report)\n"
    "  -f, --format LIST       json,html,junit,text (default all)\n"
    "      --intrusive         allow checks that may lock accounts or disturb the device:\n"
    "                          auth.bruteforce, the full default-password sweep, update.tamper,\n"
    "                          robust.malformed\n"
    "      --jobs N            connections in flight on the device at once, across every check\n"
    "                          (default 8; at most 4 on one login service, 1 on one that refuses\n"
    "                          at once; the TCP scan has its own in-flight limit, a profile\n"
    "                          parameter of ports.exposure)\n"
    "      --deadline SECONDS  whole-run deadline (default 600); checks not done end INCONCLUSIVE\n"
    "      --lang ja|en        report language (default from LANG)\n"
    "      --quiet             no progress on stderr\n"
    "      --allow-host HOST   let a check contact HOST too: update.channel checks the TLS of the\n"
    "                          declared update server when HOST is its URL's host\n"
    "      --compare TARGET2   a second unit of the same model: units.distinct (★3) reads the\n"
    "                          SSH host keys and TLS certificates on the target's ports there\n"
    "                          too, tries the default passwords found, and fails when a key or\n"
    "                          password is the same on both\n"
    "\n"
    "exit status: 0 conformant, 1 not conformant (a FAIL), 2 incomplete (no FAIL, but something\n"
    "undecided), 64 usage error, 65 bad profile or device file, 69 target unreachable,\n"
    "70 internal error.\n"
    "\n"
    "example:\n"
    "  starprobe assess -p star1 -t 192.0.2.10 -d camera.yaml -o out/\n"
    "  starprobe explain S1.1-13\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("starprobe: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n", stderr);
    fputs(usage_text, stderr);
    return EXIT_USAGE;
}

static const char *default_lang(void)
{
    const char *l = getenv("LC_ALL");

    if (!l || !*l)
        l = getenv("LC_MESSAGES");
    if (!l || !*l)
        l = getenv("LANG");
    return l && strncmp(l, "ja", 2) == 0 ? "ja" : "en";
}

static int parse_formats(const char *s, unsigned *out)
{
    char *copy = xstrdup(s), *save = NULL;
    int rc = 0;

    *out = 0;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (strcmp(t, "json") == 0)
            *out |= FMT_JSON;
        else if (strcmp(t, "text") == 0)
            *out |= FMT_TEXT;
        else if (strcmp(t, "junit") == 0)
            *out |= FMT_JUNIT;
        else if (strcmp(t, "html") == 0)
            *out |= FMT_HTML;
        else
            rc = -1;
    }
    free(copy);
    return rc;
}

/*
 * First ^C: end the run early and still write the report. A second one at
 * least a second later: die. One keypress can arrive twice (timeout(1) and
 * some shells signal the process and its group), and that must not cost the
 * report; clock_gettime is async-signal-safe.
 */
static void on_signal(int sig)
{
    static struct timespec first;
    struct timespec now;

    (void)sig;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (sp_interrupted) {
        if (now.tv_sec - first.tv_sec > 1 ||
            (now.tv_sec - first.tv_sec == 1 && now.tv_nsec >= first.tv_nsec))
            _exit(130);
        return;
    }
    first = now;
    sp_interrupted = 1;
}

struct assess_args {
    struct run_opts o;
    const char *compare;
};

static int do_assess(const struct run_opts *o)
{
    struct profile prof;
    struct device dev;
    struct yerr e;
    struct run run;
    char err[512];
    int code;

    if (profile_load(&prof, o->profile, &e) != 0) {
        fprintf(stderr, "starprobe: %s\n", e.msg);
        profile_free(&prof);
        return EXIT_BADFILE;
    }
    device_init(&dev);
    if (o->device && device_load(&dev, o->device, &e) != 0) {
        fprintf(stderr, "starprobe: %s\n", e.msg);
        profile_free(&prof);
        return EXIT_BADFILE;
    }
    run_init(&run, o, &prof, o->device ? &dev : NULL);
    if (net_resolve_target(o->target, &run.target, err, sizeof(err)) != 0) {
        fprintf(stderr, "starprobe: %s\n", err);
        run_free(&run);
        device_free(&dev);
        profile_free(&prof);
        return EXIT_UNREACHABLE;
    }
    if (!o->quiet)
        fprintf(stderr, "starprobe: assessing %s (%s) against %s, %zu requirements, deadline %d s\n",
                o->target, run.target.addrstr, prof.id, prof.nreqs, o->deadline_s);
    run_execute(&run);
    if (sp_interrupted && !o->quiet)
        fputs("starprobe: interrupted; unfinished checks are INCONCLUSIVE\n", stderr);

    code = overall_exit_code(run.overall);
    if (report_write_all(&run, o->outdir, err, sizeof(err)) != 0) {
        fprintf(stderr, "starprobe: %s\n", err);
        code = EXIT_INTERNAL;
    } else {
        char *t = report_text_render(&run, report_text_colour(STDOUT_FILENO));
        fputs(t, stdout);
        printf("\nreport: %s/report.json\n", o->outdir);
        fflush(stdout);
        free(t);
    }
    if (run.unreachable && code != EXIT_INTERNAL) {
        fprintf(stderr, "starprobe: %s answered on no port: target unreachable\n", run.target.addrstr);
        code = EXIT_UNREACHABLE;
    }
    run_free(&run);
    device_free(&dev);
    profile_free(&prof);
    return code;
}

static int cmd_assess(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"profile", required_argument, NULL, 'p'}, {"target", required_argument, NULL, 't'},
        {"device", required_argument, NULL, 'd'},  {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},  {"intrusive", no_argument, NULL, 'I'},
        {"jobs", required_argument, NULL, 'j'},    {"deadline", required_argument, NULL, 'D'},
        {"lang", required_argument, NULL, 'L'},    {"quiet", no_argument, NULL, 'q'},
        {"allow-host", required_argument, NULL, 'A'}, {"compare", required_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    struct run_opts o = {0};
    const char *allow[32];
    long v;
    int c, rc;

    o.outdir = "starprobe-report";
    o.formats = FMT_JSON | FMT_TEXT | FMT_JUNIT | FMT_HTML;
    o.jobs = 8;
    o.deadline_s = 600;
    o.lang = default_lang();
    o.allow_hosts = allow;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:t:d:o:f:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'p': o.profile = optarg; break;
        case 't': o.target = optarg; break;
        case 'd': o.device = optarg; break;
        case 'o': o.outdir = optarg; break;
        case 'f':
            if (parse_formats(optarg, &o.formats) != 0)
                return usage_error("-f takes a list of json, html, junit, text: '%s'", optarg);
            break;
        case 'I': o.intrusive = 1; break;
        case 'j':
            if (sp_parse_int(optarg, 1, 64, &v) != 0)
                return usage_error("--jobs takes a number from 1 to 64, not '%s'", optarg);
            o.jobs = (int)v;
            break;
        case 'D':
            if (sp_parse_int(optarg, 1, 86400, &v) != 0)
                return usage_error("--deadline takes seconds from 1 to 86400, not '%s'", optarg);
            o.deadline_s = (int)v;
            break;
        case 'L':
            if (strcmp(optarg, "ja") != 0 && strcmp(optarg, "en") != 0)
                return usage_error("--lang is ja or en, not '%s'", optarg);
            o.lang = optarg;
            break;
        case 'q': o.quiet = 1; break;
        case 'A':
            if (o.nallow >= SP_ARRAY_LEN(allow))
                return usage_error("too many --allow-host options%s", "");
            allow[o.nallow++] = optarg;
            break;
        case 'C':
            if (o.compare)
                return usage_error("--compare takes one second unit, not also '%s'", optarg);
            o.compare = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            fputs(help_text, stdout);
            return 0;
        default:
            return usage_error("%s", "unknown option (see above)");
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (!o.profile)
        return usage_error("assess needs a profile: -p star1, say%s", "");
    if (!o.target)
        return usage_error("assess needs a target: -t ADDRESS%s", "");
    if (o.formats == 0)
        return usage_error("-f selected no format that this version writes%s", "");
    rc = do_assess(&o);
    return rc;
}

/* A bundled profile as `profiles` lists it. */
struct bundled {
    char *id, *edition, *status, *path;
    long level;
};

static int bundled_cmp(const void *a, const void *b)
{
    const struct bundled *x = a, *y = b;

    if (x->level != y->level)
        return x->level < y->level ? -1 : 1;
    return strcmp(x->id, y->id);
}

/*
 * Every profile in the profile directories, the first file of an id winning
 * (the directories' order), sorted by level then id; YAML files that are not
 * profiles (dictionaries) are left out. Returns the count; free with bundled_free.
 */
static size_t bundled_list(struct bundled **out)
{
    struct bundled *v = NULL;
    size_t n = 0;

    for (const char *const *d = profile_dirs(); *d; d++) {
        DIR *dir = opendir(*d);
        struct dirent *de;
        if (!dir)
            continue;
        while ((de = readdir(dir)) != NULL) {
            size_t len = strlen(de->d_name);
            struct profile p;
            struct yerr e;
            char *path;
            int dup = 0;

            if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
                continue;
            path = xasprintf("%s/%s", *d, de->d_name);
            if (profile_load_path(&p, path, &e) != 0) {
                profile_free(&p);
                free(path);
                continue;
            }
            for (size_t i = 0; i < n; i++)
                dup |= strcmp(v[i].id, p.id) == 0;
            if (!dup) {
                v = xrealloc(v, (n + 1) * sizeof(*v));
                v[n].id = xstrdup(p.id);
                v[n].edition = xstrdup(p.edition ? p.edition : "-");
                v[n].status = xstrdup(p.status);
                v[n].level = p.level;
                v[n].path = path;
                n++;
            } else {
                free(path);
            }
            profile_free(&p);
        }
        closedir(dir);
    }
    if (n > 1)
        qsort(v, n, sizeof(*v), bundled_cmp);
    *out = v;
    return n;
}

static void bundled_free(struct bundled *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].edition);
        free(v[i].status);
        free(v[i].path);
    }
    free(v);
}

static int cmd_profiles(void)
{
    struct bundled *v;
    size_t n = bundled_list(&v);
    int wid = 24, wed = 16;

    for (size_t i = 0; i < n; i++) {
        if ((int)strlen(v[i].id) > wid)
            wid = (int)strlen(v[i].id);
        if ((int)strlen(v[i].edition) > wed)
            wed = (int)strlen(v[i].edition);
    }
    printf("%-*s %-5s %-*s %-12s %s\n", wid, "ID", "LEVEL", wed, "EDITION", "STATUS", "FILE");
    for (size_t i = 0; i < n; i++)
        printf("%-*s %-5ld %-*s %-12s %s\n", wid, v[i].id, v[i].level, wed, v[i].edition, v[i].status,
               v[i].path);
    bundled_free(v, n);
    return 0;
}

static void explain_probe(const struct probe *p)
{
    printf("%s — %s\n", p->name, p->summary);
    if (p->flags & PROBE_INTRUSIVE)
        printf("  intrusive: runs only with --intrusive\n");
    printf("  rule: %s\n", p->rule);
    if (p->params && p->params->name) {
        printf("  parameters (a profile sets them under `with:`):\n");
        for (const struct probe_param *pp = p->params; pp->name; pp++)
            printf("    %-20s %s (default: %s)\n", pp->name, pp->doc, pp->dflt);
    }
}

static void print_yflow(const struct ynode *n)
{
    if (!n)
        return;
    if (n->type == Y_SCALAR) {
        fputs(n->value, stdout);
    } else if (n->type == Y_SEQ) {
        putchar('[');
        for (size_t i = 0; i < n->n; i++) {
            if (i)
                fputs(", ", stdout);
            print_yflow(n->items[i]);
        }
        putchar(']');
    } else {
        putchar('{');
        for (size_t i = 0; i < n->n; i++) {
            printf("%s%s: ", i ? ", " : "", n->keys[i]->value);
            print_yflow(n->items[i]);
        }
        putchar('}');
    }
}

static int cmd_explain(int argc, char **argv)
{
    const char *pname = NULL, *id = NULL;
    const struct probe *pr;
    struct profile p;
    struct yerr e;
    const struct requirement *req;
    const char *lang = default_lang();

    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "-p") == 0 || strcmp(argv[i], "--profile") == 0) && i + 1 < argc)
            pname = argv[++i];
        else if (!id)
            id = argv[i];
        else
            return usage_error("explain takes one ID, not also '%s'", argv[i]);
    }
    if (!id) {
        printf("probes:\n");
        for (const struct probe *const *q = probe_registry; *q; q++)
            printf("  %-22s %s%s\n", (*q)->name, (*q)->summary,
                   ((*q)->flags & PROBE_INTRUSIVE) ? " (intrusive)" : "");
        printf("\nrequirements: starprobe explain ID, for any requirement of a bundled profile "
               "(S1.1-01 … S1.1-16, S2.x-01 …, 5.1-1 …, PSTI-1 …;\n`starprobe profiles` lists the "
               "profiles); -p PROFILE shows it as that profile sets it\n");
        return 0;
    }
    if ((pr = probe_find(id)) != NULL) {
        explain_probe(pr);
        return 0;
    }
    if (pname) {
        if (profile_load(&p, pname, &e) != 0) {
            fprintf(stderr, "starprobe: %s\n", e.msg);
            profile_free(&p);
            return EXIT_BADFILE;
        }
        req = profile_req(&p, id);
    } else {
        /* Without -p: ★1 first, then the bundled profiles by level, the first that has the id. */
        struct bundled *v;
        size_t n = bundled_list(&v);

        req = NULL;
        profile_init(&p);
        if (profile_load(&p, "jcstar-star1", &e) == 0)
            req = profile_req(&p, id);
        for (size_t i = 0; !req && i < n; i++) {
            profile_free(&p);
            if (profile_load_path(&p, v[i].path, &e) == 0)
                req = profile_req(&p, id);
        }
        bundled_free(v, n);
    }
    if (!req) {
        profile_free(&p);
        return usage_error(pname ? "'%s' is neither a probe nor a requirement of the profile "
                                   "(run `starprobe explain` for the list)"
                                 : "'%s' is neither a probe nor a requirement of a bundled profile "
                                   "(run `starprobe explain` for the list)", id);
    }
    printf("%s %s\n", req->id, lstr_get(&req->title, "en"));
    if (req->title.ja)
        printf("%*s %s\n", (int)strlen(req->id), "", req->title.ja);
    printf("  profile: %s   status: %s   assessed by: %s\n", p.id, req->status ? req->status : "-",
           req->assess);
    if (req->refs) {
        printf("  refs: ");
        print_yflow(req->refs);
        putchar('\n');
    }
    if (req->disabled)
        printf("  switched off: %s\n", req->disabled);
    if (req->note.en || req->note.ja)
        printf("  note: %s\n", lstr_get(&req->note, lang));
    printf("  evidence a reviewer must see: %s\n", lstr_get(&req->evidence, lang));
    for (size_t i = 0; i < req->nchecks; i++) {
        printf("\n  check %zu: ", i + 1);
        explain_probe(req->checks[i].probe);
        if (req->checks[i].with) {
            printf("    this profile sets: ");
            print_yflow(req->checks[i].with);
            putchar('\n');
        }
    }
    profile_free(&p);
    return 0;
}

/* Where the reference device script lives: the source tree, or the install. */
static char *find_testbed(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    char *p;

    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            p = xasprintf("%s/tests/testbed/testbed.sh", exe);
            if (access(p, X_OK) == 0)
                return p;
            free(p);
        }
    }
    p = xstrdup(SP_DATADIR "/testbed/testbed.sh");
    if (access(p, X_OK) == 0)
        return p;
    free(p);
    return NULL;
}

static int testbed(const char *script, const char *verb, char *out, size_t outlen)
{
    char *cmd = xasprintf("'%s' %s weak", script, verb);
    FILE *f = popen(cmd, "r");
    size_t n = 0;
    int st;

    free(cmd);
    if (!f)
        return -1;
    if (out && outlen) {
        n = fread(out, 1, outlen - 1, f);
        out[n] = '\0';
    } else {
        char sink[256];
        while (fread(sink, 1, sizeof(sink), f) > 0)
            ;
    }
    st = pclose(f);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int cmd_demo(int argc, char **argv)
{
    const char *outdir = "starprobe-report";
    char line[1024], addr[256], decl[PATH_MAX];
    char *script;
    struct run_opts o = {0};
    int code;

    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc)
            outdir = argv[++i];
        else
            return usage_error("demo takes only -o OUTDIR, not '%s'", argv[i]);
    }
    script = find_testbed();
    if (!script) {
        fputs("starprobe: the reference device script (tests/testbed/testbed.sh) is not found "
              "next to the binary or in " SP_DATADIR "/testbed\n", stderr);
        return EXIT_INTERNAL;
    }
    fputs("starprobe demo: starting the weak reference device (a deliberately insecure camera)\n",
          stderr);
    if (testbed(script, "up", line, sizeof(line)) != 0 ||
        sscanf(line, "%255s %4095s", addr, decl) != 2) {
        fputs("starprobe demo: the reference device did not come up (see the messages above)\n",
              stderr);
        testbed(script, "down", NULL, 0);
        free(script);
        return EXIT_INTERNAL;
    }
    o.profile = "jcstar-star1";
    o.target = addr;
    o.device = decl;
    o.outdir = outdir;
    o.formats = FMT_JSON | FMT_TEXT | FMT_JUNIT | FMT_HTML;
    o.jobs = 8;
    o.deadline_s = 600;
    o.lang = default_lang();
    code = do_assess(&o);
    fputs("starprobe demo: stopping the reference device\n", stderr);
    testbed(script, "down", NULL, 0);
    free(script);
    if (code == EXIT_CONFORMANT || code == EXIT_NOT_CONFORMANT || code == EXIT_INCOMPLETE) {
        fprintf(stderr, "starprobe demo: done; the report is in %s/ (report.json, report.html, "
                        "summary.txt, junit.xml). The weak device is meant to be NOT_CONFORMANT.\n", outdir);
        return 0;
    }
    return code;
}

int main(int argc, char **argv)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (argc < 2)
        return usage_error("%s", "no command given");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage_text, stdout);
        fputs(help_text, stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("starprobe %s (report schema %s)\n", STARPROBE_VERSION, STARPROBE_REPORT_SCHEMA);
        return 0;
    }
    if (strcmp(argv[1], "assess") == 0)
        return cmd_assess(argc - 1, argv + 1);
    if (strcmp(argv[1], "profiles") == 0)
        return argc == 2 ? cmd_profiles() : usage_error("profiles takes no argument: '%s'", argv[2]);
    if (strcmp(argv[1], "explain") == 0)
        return cmd_explain(argc - 1, argv + 1);
    if (strcmp(argv[1], "demo") == 0)
        return cmd_demo(argc - 1, argv + 1);
    return usage_error("unknown command '%s'", argv[1]);
}
