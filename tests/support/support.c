/*
 * support.c — test helpers; see support.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "tests/support/support.h"

extern char **environ;

const char *ts_src(void)
{
    const char *s = getenv("XCDASH_SRC");
    return s && *s ? s : ".";
}

const char *ts_data_dir(void)
{
    static char buf[4096];
    const char *d = getenv("XCDASH_DATA_DIR");
    if (d && *d)
        return d;
    snprintf(buf, sizeof buf, "%s/data", ts_src());
    return buf;
}

double ts_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *ts_tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    char *tmpl = xasprintf("%s/xcdash-test-XXXXXX", t && *t ? t : "/tmp");
    if (mkdtemp(tmpl) == NULL)
        fail_msg("mkdtemp %s failed", tmpl);
    return tmpl;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

void ts_rmrf(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *ts_fixture_path(const char *dir, const char *name)
{
    return xasprintf("%s/tests/fixtures/%s/%s", ts_src(), dir, name);
}

char *ts_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    core_buf b;
    core_buf_init(&b, (size_t)64 << 20);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (core_buf_add(&b, chunk, n) != 0)
            fail_msg("%s is larger than 64 MiB", path);
    fclose(f);
    *len = b.len;
    return core_buf_take(&b);
}

void ts_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        fail_msg("cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

store *ts_store(const char *dir)
{
    char *path = xasprintf("%s/cache.db", dir);
    store *st = NULL;
    char *err = NULL;
    if (store_open(&st, path, 0, &err) != 0)
        fail_msg("store_open: %s", err);
    if (store_load_profiles(st, ts_data_dir(), NULL, NULL, NULL, &err) != 0)
        fail_msg("store_load_profiles: %s", err);
    free(path);
    return st;
}

/* Reads both pipes to the end without deadlocking on either. */
static void drain(int out_fd, int err_fd, core_buf *out, core_buf *err)
{
    struct pollfd p[2] = { { out_fd, POLLIN, 0 }, { err_fd, POLLIN, 0 } };
    core_buf *bufs[2] = { out, err };
    int open_n = 2;
    char chunk[8192];
    while (open_n > 0) {
        if (poll(p, 2, -1) < 0)
            break;
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(p[i].fd, chunk, sizeof chunk);
            if (n <= 0) {
                close(p[i].fd);
                p[i].fd = -1;
                open_n--;
            } else {
                core_buf_add(bufs[i], chunk, (size_t)n);
            }
        }
    }
}

ts_run ts_xcdash(const char *const *argv, const char *const *env)
{
    ts_run r = { 0 };
    const char *bin = getenv("XCDASH_BIN");
    if (bin == NULL || *bin == '\0')
        bin = "./xcdash";
    size_t na = 0, ne = 0, nenv = 0;
    while (argv[na])
        na++;
    while (env && env[ne])
        ne++;
    while (environ[nenv])
        nenv++;
    char **args = xcalloc(na + 2, sizeof *args);
    args[0] = (char *)bin;
    for (size_t i = 0; i < na; i++)
        args[i + 1] = (char *)argv[i];
    char **envp = xcalloc(nenv + ne + 1, sizeof *envp);
    size_t k = 0;
    for (size_t i = 0; i < ne; i++)
        envp[k++] = (char *)env[i];
    for (size_t i = 0; i < nenv; i++) {
        /* the test's own settings win over inherited ones */
        size_t eq = strcspn(environ[i], "=");
        int shadowed = 0;
        for (size_t j = 0; j < ne; j++)
            if (strncmp(env[j], environ[i], eq + 1) == 0)
                shadowed = 1;
        if (!shadowed)
            envp[k++] = environ[i];
    }
    int po[2], pe[2];
    if (pipe(po) != 0 || pipe(pe) != 0)
        fail_msg("pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, po[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
    posix_spawn_file_actions_addclose(&fa, po[0]);
    posix_spawn_file_actions_addclose(&fa, pe[0]);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid;
    if (posix_spawn(&pid, bin, &fa, NULL, args, envp) != 0)
        fail_msg("cannot start %s", bin);
    posix_spawn_file_actions_destroy(&fa);
    close(po[1]);
    close(pe[1]);
    core_buf out, err;
    core_buf_init(&out, 64u << 20);
    core_buf_init(&err, 64u << 20);
    drain(po[0], pe[0], &out, &err);
    int ws;
    waitpid(pid, &ws, 0);
    r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    r.out = core_buf_take(&out);
    r.err = core_buf_take(&err);
    free(args);
    free(envp);
    return r;
}

void ts_run_free(ts_run *r)
{
    free(r->out);
    free(r->err);
}
