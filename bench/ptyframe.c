/*
 * ptyframe.c — how quickly a terminal program paints, answers keys, idles,
 * and how much memory it takes, seen from the terminal's side.
 *
 *   ptyframe [options] -- CMD ARGS...
 *
 * Why a pty driver. The dashboard's figures (first frame, key to frame, idle
 * CPU, peak memory) are about what a user sees, and the same harness has to
 * time newsboat and sfeed_curses, whose insides we cannot instrument. So
 * this program plays the terminal: it starts CMD on a pseudo-terminal of a
 * fixed size (forkpty), reads everything CMD draws, and reasons about bursts
 * of output. A full-screen curses program paints a frame as one burst of
 * writes and then waits for input, so "the frame is done" is taken to be
 * "the last byte before Q ms of quiet" (-q, default 30 ms); the reported time
 * is that last byte's, never including the quiet wait. Public APIs only:
 * forkpty, poll, clock_gettime(CLOCK_MONOTONIC), /proc/PID/stat, status and
 * task/TID/schedstat, wait4's rusage. It stands alone (libc only), so that
 * it can be built and run without the rest of the tree.
 *
 * What it measures, in order:
 *   1. first frame: from just before fork to the last byte of the first
 *      burst whose text (escape sequences removed) contains the marker -m
 *      (and, for a breakdown: to the first byte the program wrote at all;
 *      the CPU time its threads had used by then, and the time they spent
 *      runnable but waiting for a CPU, from /proc/PID/task/TID/schedstat,
 *      which says how much of the wall time a busy machine added);
 *   2. each -p KEYS, one after another: written once the previous burst has
 *      ended; the time to the end of the burst that answers (opening a
 *      screen, focusing a panel: set-up steps, reported but not the figure);
 *   3. -k KEY -n N: KEY written N times, each once the previous answer has
 *      ended; per key, from write() to the last byte of the answering burst.
 *      A key with no answer within -T ms is counted as unanswered and left
 *      out of the median and p95;
 *   4. -i SECONDS: no input; the child's utime+stime (all its threads, from
 *      /proc/PID/stat) over that wall time, as a percentage of one core. The
 *      pty is read (and discarded) all along, so the child never blocks on a
 *      full terminal;
 *   5. quit: VmHWM is read, the -x key is written, and the child is reaped
 *      with wait4: peak memory is its ru_maxrss. A child that has not exited
 *      after 5 s is killed, and its VmHWM read just before the kill is used.
 *
 * Programs that ask the terminal something (device attributes ESC [ c,
 * cursor position ESC [ 6 n, status ESC [ 5 n) get a plausible xterm answer,
 * so none of them waits for a reply that never comes.
 *
 * The result is one line of key=value pairs on stdout (only what was
 * measured); notes and errors go to stderr. Exit status 0 when the marker
 * was seen, 1 otherwise (the line then says first_frame_ms=-1), 2 on usage.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* forkpty, setenv, usleep under -std=c17 */
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_PREP   8    /* -p steps */
#define MAX_KEY    64   /* bytes in one key after unescaping */
#define MAX_MARK   256  /* bytes in the marker */
#define QUIT_WAIT  5.0  /* seconds a child gets to exit after the quit key */
#define PREP_WAIT  30.0 /* seconds a set-up step may take to answer */
#define CSI_PARAMS 16   /* parameter bytes kept of one control sequence */

static const char usage[] =
    "usage: ptyframe [options] -- CMD ARGS...\n"
    "  -m MARKER    text of the first complete frame (required)\n"
    "  -g COLSxROWS terminal size (default 100x30)\n"
    "  -q MS        quiet time that ends a burst of output (default 30)\n"
    "  -t SECONDS   how long to wait for the marker (default 120)\n"
    "  -p KEYS      a set-up step once the first frame is done (repeatable, up to 8)\n"
    "  -k KEY -n N  send KEY N times, timing each answer\n"
    "  -T MS        a key not answered within MS counts as unanswered (default 2000)\n"
    "  -i SECONDS   then stay idle this long and measure the child's CPU\n"
    "  -x KEY       the quit key (default q)\n"
    "  -d FILE      copy everything the child writes to FILE\n"
    "KEY and KEYS take C escapes: \\e \\033 \\xHH \\r \\n \\t \\\\ (e.g. '\\e[B' is Down;\n"
    "it is sent as ESC O B when the program has asked for application cursor keys).\n"
    "Prints one line of what was measured, e.g.: first_frame_ms= first_frame_bytes=\n"
    "first_byte_ms= first_cpu_ms= first_runq_ms= prep_ms=A,B keys= key_answered= key_med_ms= "
    "key_p95_ms= key_max_ms=\n"
    "idle_s= idle_cpu_pct= idle_bytes= hwm_mb= peak_rss_mb= rss_from= exit=\n";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the terminal side ----------------------------------------------------- */

typedef struct term {
    int fd;       /* pty master */
    pid_t pid;    /* the child */
    int eof;      /* the slave side is closed: the child is gone */
    FILE *dump;   /* -d */
    double first; /* time of the first byte read */
    double last;  /* time of the last byte read */
    size_t bytes;
    /* escape sequence state: 0 text, 1 after ESC, 2 in CSI, 3 in OSC/DCS string,
     * 4 ESC inside a string, 5 one more byte (charset designation) */
    int esc;
    char params[CSI_PARAMS + 1];
    size_t n_params;
    int app_keys; /* DECCKM set (ESC [ ? 1 h): cursor keys are sent as ESC O x */
    /* marker search over the text, escape sequences removed */
    const char *mark;
    size_t mlen, wlen;
    char win[MAX_MARK];
    int seen;
} term;

static void write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return; /* the child is gone: reading says so */
        }
        s += w;
        n -= (size_t)w;
    }
}

/* Whether the private mode list p ("?1;1049") names mode m. */
static int has_mode(const char *p, const char *m)
{
    if (*p++ != '?')
        return 0;
    size_t n = strlen(m);
    for (;;) {
        if (strncmp(p, m, n) == 0 && (p[n] == ';' || p[n] == '\0'))
            return 1;
        p = strchr(p, ';');
        if (p == NULL)
            return 0;
        p++;
    }
}

/* Answers what a program may ask an xterm, so it never waits on us, and
 * follows the cursor-key mode (curses' keypad() switches it on). */
static void answer_query(term *t, char final)
{
    const char *p = t->params, *reply = NULL;
    if ((final == 'h' || final == 'l') && has_mode(p, "1"))
        t->app_keys = final == 'h';
    if (final == 'c' && (strcmp(p, "") == 0 || strcmp(p, "0") == 0))
        reply = "\033[?62c"; /* primary device attributes: a VT220 */
    else if (final == 'c' && (strcmp(p, ">") == 0 || strcmp(p, ">0") == 0))
        reply = "\033[>0;0;0c"; /* secondary device attributes */
    else if (final == 'n' && strcmp(p, "6") == 0)
        reply = "\033[1;1R"; /* cursor position report */
    else if (final == 'n' && strcmp(p, "?6") == 0)
        reply = "\033[?1;1R";
    else if (final == 'n' && strcmp(p, "5") == 0)
        reply = "\033[0n"; /* status: OK */
    if (reply != NULL)
        write_all(t->fd, reply, strlen(reply));
}

static void text_byte(term *t, char c)
{
    if (t->mark == NULL || t->seen)
        return;
    if (t->wlen == t->mlen) {
        memmove(t->win, t->win + 1, t->mlen - 1);
        t->wlen--;
    }
    t->win[t->wlen++] = c;
    if (t->wlen == t->mlen && memcmp(t->win, t->mark, t->mlen) == 0)
        t->seen = 1;
}

/* Splits the output into text and escape sequences, one byte at a time. */
static void scan(term *t, const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        switch (t->esc) {
        case 0:
            if (c == 0x1b)
                t->esc = 1;
            else if (c >= 0x20 && c != 0x7f)
                text_byte(t, (char)c);
            /* other C0 controls (CR, LF, BS, SO/SI) carry no text */
            break;
        case 1:
            if (c == '[') {
                t->esc = 2;
                t->n_params = 0;
                t->params[0] = '\0';
            } else if (c == ']' || c == 'P' || c == '_' || c == '^') {
                t->esc = 3;
            } else if (c == '(' || c == ')' || c == '*' || c == '+' || c == '#') {
                t->esc = 5;
            } else {
                t->esc = 0; /* a two-byte sequence: ESC 7, ESC =, ESC M ... */
            }
            break;
        case 2:
            if (c >= 0x40 && c <= 0x7e) { /* the final byte */
                answer_query(t, (char)c);
                t->esc = 0;
            } else if (t->n_params < CSI_PARAMS) {
                t->params[t->n_params++] = (char)c;
                t->params[t->n_params] = '\0';
            }
            break;
        case 3:
            if (c == 0x07)
                t->esc = 0;
            else if (c == 0x1b)
                t->esc = 4;
            break;
        case 4:
            t->esc = c == '\\' ? 0 : 3;
            break;
        default:
            t->esc = 0;
            break;
        }
    }
}

/*
 * Reads what is there, waiting at most timeout_s for it. Returns the bytes
 * read (0: nothing came in time), or -1 once the child has closed the pty.
 */
static long pump(term *t, double timeout_s)
{
    if (t->eof)
        return -1;
    int ms = timeout_s <= 0 ? 0 : (int)(timeout_s * 1000.0 + 0.999);
    struct pollfd p = { t->fd, POLLIN, 0 };
    int rc = poll(&p, 1, ms);
    if (rc < 0)
        return errno == EINTR ? 0 : -1;
    if (rc == 0)
        return 0;
    long got = 0;
    char buf[65536];
    for (;;) {
        ssize_t r = read(t->fd, buf, sizeof buf);
        if (r > 0) {
            t->last = now_s();
            if (t->bytes == 0)
                t->first = t->last;
            t->bytes += (size_t)r;
            got += r;
            if (t->dump != NULL)
                fwrite(buf, 1, (size_t)r, t->dump);
            scan(t, buf, (size_t)r);
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno == EAGAIN)
            break;
        t->eof = 1; /* EIO (Linux) or 0: the slave side is closed */
        return got > 0 ? got : -1;
    }
    return got;
}

/* Reads until quiet_s passes with no output (or the child goes). */
static void settle(term *t, double quiet_s)
{
    for (;;) {
        double left = t->last + quiet_s - now_s();
        if (left <= 0 || pump(t, left) < 0)
            return;
    }
}

/*
 * Writes key and waits for the answering burst: the first byte within
 * wait_s, then quiet. Returns the seconds from the write to the burst's
 * last byte, or -1 when nothing answered.
 */
static double press(term *t, const char *key, size_t n, double wait_s, double quiet_s)
{
    char app[3];
    if (t->app_keys && n == 3 && key[0] == 0x1b && key[1] == '[' && strchr("ABCDHF", key[2])) {
        /* as an xterm sends a cursor key in application mode: ESC O x */
        app[0] = 0x1b;
        app[1] = 'O';
        app[2] = key[2];
        key = app;
    }
    double t0 = now_s();
    size_t before = t->bytes;
    write_all(t->fd, key, n);
    while (t->bytes == before) {
        double left = t0 + wait_s - now_s();
        if (left <= 0 || pump(t, left) < 0)
            return -1;
    }
    settle(t, quiet_s);
    return t->last - t0;
}

/* ---- the child --------------------------------------------------------------- */

/* utime + stime of every thread of pid, in clock ticks; -1 when unreadable. */
static long long cpu_ticks(pid_t pid)
{
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* the command name may hold spaces and parentheses: fields follow the last ')' */
    char *p = strrchr(buf, ')');
    if (p == NULL)
        return -1;
    unsigned long long ut = 0, st = 0;
    /* state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime
     */
    if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    return (long long)(ut + st);
}

/*
 * Nanoseconds the threads of pid have run on a CPU and waited for one while
 * runnable (/proc/PID/task/TID/schedstat); -1 when unreadable. On a shared
 * machine the wait says how much of a wall time was other programs' doing.
 */
static int sched_ns(pid_t pid, long long *run, long long *wait)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    if (d == NULL)
        return -1;
    *run = *wait = 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char file[384];
        snprintf(file, sizeof file, "%s/%s/schedstat", path, e->d_name);
        FILE *f = fopen(file, "r");
        if (f == NULL)
            continue; /* the thread has just ended */
        long long r, w;
        if (fscanf(f, "%lld %lld", &r, &w) == 2) {
            *run += r;
            *wait += w;
            n++;
        }
        fclose(f);
    }
    closedir(d);
    return n > 0 ? 0 : -1;
}

/* VmHWM of pid in KB (the peak resident set so far); -1 when unreadable. */
static long vm_hwm_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    long kb = -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "VmHWM: %ld", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

/* ---- arguments ------------------------------------------------------------------ */

static int hex(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* C escapes in s into out (at most cap bytes); returns the length or -1. */
static long unescape(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    while (*s) {
        int c = (unsigned char)*s++;
        if (c == '\\' && *s) {
            c = (unsigned char)*s++;
            switch (c) {
            case 'e':
                c = 0x1b;
                break;
            case 'r':
                c = '\r';
                break;
            case 'n':
                c = '\n';
                break;
            case 't':
                c = '\t';
                break;
            case 'x':
                if (hex(s[0]) < 0)
                    return -1;
                c = hex(*s++);
                if (hex(s[0]) >= 0)
                    c = c * 16 + hex(*s++);
                break;
            default:
                if (c >= '0' && c <= '7') {
                    c -= '0';
                    for (int k = 0; k < 2 && *s >= '0' && *s <= '7'; k++)
                        c = c * 8 + (*s++ - '0');
                }
                break; /* \\ and anything else: the character itself */
            }
        }
        if (n >= cap)
            return -1;
        out[n++] = (char)c;
    }
    return (long)n;
}

static int number(const char *s, double min, double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v. */
static double percentile(const double *v, size_t n, double pct)
{
    size_t rank = (size_t)(pct / 100.0 * (double)n + 0.999999);
    return v[rank == 0 ? 0 : rank - 1];
}

typedef struct opts {
    const char *mark, *dump;
    int cols, rows;
    double quiet_s, start_s, key_wait_s, idle_s, n_keys;
    char prep[MAX_PREP][MAX_KEY], key[MAX_KEY], quit[MAX_KEY];
    size_t prep_len[MAX_PREP], key_len, quit_len;
    int n_prep;
    char **argv;
} opts;

static int bad(const char *what, const char *v)
{
    fprintf(stderr, "ptyframe: bad %s: %s\n%s", what, v, usage);
    return 2;
}

static int parse(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    o->cols = 100;
    o->rows = 30;
    o->quiet_s = 0.030;
    o->start_s = 120;
    o->key_wait_s = 2.0;
    o->quit[0] = 'q';
    o->quit_len = 1;
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            exit(0);
        }
        if (a[0] != '-' || a[1] == '\0' || a[2] != '\0' || i + 1 >= argc)
            return bad("option or missing value", a);
        const char *v = argv[++i];
        double d;
        long n;
        switch (a[1]) {
        case 'm':
            if (strlen(v) == 0 || strlen(v) > MAX_MARK)
                return bad("marker", v);
            o->mark = v;
            break;
        case 'g':
            if (sscanf(v, "%dx%d", &o->cols, &o->rows) != 2 || o->cols < 10 || o->rows < 5 ||
                o->cols > 1000 || o->rows > 1000)
                return bad("size", v);
            break;
        case 'q':
            if (number(v, 1, 10000, &d) != 0)
                return bad("quiet time", v);
            o->quiet_s = d / 1000;
            break;
        case 't':
            if (number(v, 0.1, 3600, &o->start_s) != 0)
                return bad("start timeout", v);
            break;
        case 'T':
            if (number(v, 1, 600000, &d) != 0)
                return bad("key timeout", v);
            o->key_wait_s = d / 1000;
            break;
        case 'i':
            if (number(v, 0.1, 86400, &o->idle_s) != 0)
                return bad("idle time", v);
            break;
        case 'n':
            if (number(v, 1, 1000000, &o->n_keys) != 0)
                return bad("key count", v);
            break;
        case 'p':
            if (o->n_prep == MAX_PREP || (n = unescape(v, o->prep[o->n_prep], MAX_KEY)) <= 0)
                return bad("set-up keys (or more than 8)", v);
            o->prep_len[o->n_prep++] = (size_t)n;
            break;
        case 'k':
            if ((n = unescape(v, o->key, MAX_KEY)) <= 0)
                return bad("key", v);
            o->key_len = (size_t)n;
            break;
        case 'x':
            if ((n = unescape(v, o->quit, MAX_KEY)) <= 0)
                return bad("quit key", v);
            o->quit_len = (size_t)n;
            break;
        case 'd':
            o->dump = v;
            break;
        default:
            return bad("option", a);
        }
    }
    if (i + 1 >= argc)
        return bad("command", "(none after --)");
    if (o->mark == NULL)
        return bad("marker", "(-m is required)");
    if ((o->key_len > 0) != (o->n_keys > 0))
        return bad("keys", "-k and -n go together");
    o->argv = argv + i + 1;
    return 0;
}

/* ---- main ---------------------------------------------------------------------- */

static void child(const opts *o)
{
    setenv("TERM", "xterm-256color", 1);
    setenv("LANG", "C.UTF-8", 1);
    setenv("LC_ALL", "C.UTF-8", 1);
    unsetenv("LINES"); /* curses would believe these over the pty's size */
    unsetenv("COLUMNS");
    execvp(o->argv[0], o->argv);
    fprintf(stderr, "ptyframe: cannot run %s: %s\n", o->argv[0], strerror(errno));
    _exit(127);
}

int main(int argc, char **argv)
{
    opts o;
    int rc = parse(argc, argv, &o);
    if (rc != 0)
        return rc;
    term t;
    memset(&t, 0, sizeof t);
    t.mark = o.mark;
    t.mlen = strlen(o.mark);
    if (o.dump != NULL && (t.dump = fopen(o.dump, "wb")) == NULL) {
        fprintf(stderr, "ptyframe: %s: %s\n", o.dump, strerror(errno));
        return 2;
    }
    struct winsize ws = { .ws_row = (unsigned short)o.rows, .ws_col = (unsigned short)o.cols };
    fflush(NULL);
    double t0 = now_s();
    t.last = t0;
    t.pid = forkpty(&t.fd, NULL, NULL, &ws);
    if (t.pid < 0) {
        fprintf(stderr, "ptyframe: forkpty: %s\n", strerror(errno));
        return 2;
    }
    if (t.pid == 0)
        child(&o);
    fcntl(t.fd, F_SETFL, fcntl(t.fd, F_GETFL) | O_NONBLOCK);
    signal(SIGPIPE, SIG_IGN);

    /* 1. the first frame */
    while (!t.seen) {
        double left = t0 + o.start_s - now_s();
        if (left <= 0 || pump(&t, left) < 0)
            break;
    }
    double first = -1;
    long long run_ns = -1, wait_ns = -1;
    if (t.seen) {
        settle(&t, o.quiet_s);
        first = t.last - t0;
        if (sched_ns(t.pid, &run_ns, &wait_ns) != 0)
            run_ns = -1;
    }
    printf("first_frame_ms=%.1f first_frame_bytes=%zu", first < 0 ? -1.0 : first * 1e3, t.bytes);
    if (t.bytes > 0) /* when the program started drawing: what came before is its start-up */
        printf(" first_byte_ms=%.1f", (t.first - t0) * 1e3);
    if (run_ns >= 0) /* CPU time until then (read after the quiet), and time kept off the CPU */
        printf(" first_cpu_ms=%.1f first_runq_ms=%.1f", (double)run_ns / 1e6,
               (double)wait_ns / 1e6);
    fflush(stdout);
    if (!t.seen)
        fprintf(stderr, "ptyframe: marker '%s' not seen in %.0f s (%zu bytes read%s)\n", o.mark,
                o.start_s, t.bytes, t.eof ? ", the program exited" : "");

    /* 2. set-up steps */
    for (int k = 0; t.seen && k < o.n_prep; k++) {
        double dt = press(&t, o.prep[k], o.prep_len[k], PREP_WAIT, o.quiet_s);
        printf("%s%.1f", k ? "," : " prep_ms=", dt < 0 ? -1.0 : dt * 1e3);
    }

    /* 3. keys */
    if (t.seen && o.n_keys > 0) {
        size_t n = (size_t)o.n_keys, got = 0;
        double *v = calloc(n, sizeof *v);
        if (v == NULL) {
            fprintf(stderr, "ptyframe: out of memory\n");
            return 2;
        }
        for (size_t k = 0; k < n && !t.eof; k++) {
            double dt = press(&t, o.key, o.key_len, o.key_wait_s, o.quiet_s);
            if (dt >= 0)
                v[got++] = dt * 1e3;
        }
        printf(" keys=%zu key_answered=%zu", n, got);
        if (got > 0) {
            qsort(v, got, sizeof *v, cmp_double);
            double med = got % 2 ? v[got / 2] : (v[got / 2 - 1] + v[got / 2]) / 2;
            printf(" key_med_ms=%.2f key_p95_ms=%.2f key_max_ms=%.2f", med, percentile(v, got, 95),
                   v[got - 1]);
        }
        free(v);
    }

    /* 4. idle */
    if (t.seen && o.idle_s > 0 && !t.eof) {
        size_t before = t.bytes;
        long long c0 = cpu_ticks(t.pid);
        double i0 = now_s(), end = i0 + o.idle_s;
        for (double left; (left = end - now_s()) > 0;)
            if (pump(&t, left) < 0)
                break;
        long long c1 = cpu_ticks(t.pid);
        double wall = now_s() - i0;
        if (c0 >= 0 && c1 >= 0 && !t.eof)
            printf(" idle_s=%.1f idle_cpu_pct=%.3f idle_bytes=%zu", wall,
                   (double)(c1 - c0) / (double)sysconf(_SC_CLK_TCK) / wall * 100.0,
                   t.bytes - before);
        else
            fprintf(stderr, "\nptyframe: the program exited while idle\n");
    }

    /* 5. quit, and the peak memory */
    long hwm = vm_hwm_kb(t.pid);
    if (hwm >= 0)
        printf(" hwm_mb=%.1f", (double)hwm / 1024);
    write_all(t.fd, o.quit, o.quit_len);
    int status = 0, reaped = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    double q0 = now_s();
    while (!reaped && now_s() - q0 < QUIT_WAIT) {
        pid_t w = wait4(t.pid, &status, WNOHANG, &ru);
        if (w == t.pid)
            reaped = 1;
        else if (pump(&t, 0.05) < 0)
            usleep(10000); /* the pty is closed: the exit is near */
    }
    const char *from = "ru_maxrss";
    double peak_kb = 0;
    if (!reaped) {
        long last = vm_hwm_kb(t.pid);
        if (last >= 0)
            hwm = last;
        kill(t.pid, SIGTERM);
        usleep(500000);
        kill(t.pid, SIGKILL);
        wait4(t.pid, &status, 0, &ru);
        from = "vmhwm_killed";
        peak_kb = (double)hwm;
        fprintf(stderr, "ptyframe: %s did not exit within %.0f s of the quit key: killed\n",
                o.argv[0], QUIT_WAIT);
    } else {
        peak_kb = (double)ru.ru_maxrss;
    }
    printf(" peak_rss_mb=%.1f rss_from=%s exit=%d\n", peak_kb / 1024, from,
           WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    if (t.dump != NULL)
        fclose(t.dump);
    close(t.fd);
    return t.seen ? 0 : 1;
}
