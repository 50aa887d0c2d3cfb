/*
 * file.c — writing a snapshot whole or not at all.
 *
 * A snapshot is written to a new temporary file in the target's own
 * directory (so that the final rename never crosses a file system), flushed
 * and fsync'ed, then renamed over the target name. Whoever looks at the
 * target — a file manager, a sync client, a second export, a reader after a
 * crash or a SIGKILL — sees either no file, the old file or the whole new
 * one, never a prefix.
 *
 * The temporary file is created like mkstemp() does (a random name opened
 * with O_CREAT|O_EXCL, retried on a collision), but with mode 0666 so that
 * the umask decides the final permissions as for any new file; mkstemp's
 * 0600 would need a chmod, and learning the umask means changing it, which
 * is process-wide and so not something a background thread may do.
 *
 * Without force an existing target is refused twice: early, before any
 * work, with a friendly message, and at the end atomically with
 * renameat2(RENAME_NOREPLACE), so a file that appears meanwhile is never
 * replaced. A file system without RENAME_NOREPLACE falls back to link(),
 * which refuses an existing name just as atomically, and one without hard
 * links to a last check before rename() (the one window left, documented).
 *
 * Missing directories are created (mkdir -p, mode 0777 less the umask).
 * Every error names the path it is about; on any failure the temporary file
 * is removed, so nothing is left behind (a SIGKILL can leave only a hidden
 * ".xcdash-*.tmp", never a partial target).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "export/private.h"

#define TMP_TRIES 100 /* random names tried before giving up (a collision is ~2^-48) */

/* The directory part of path ("." when none, "/" for a file in the root). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

/* mkdir -p: creates dir and its missing parents. */
static int make_dirs(const char *dir, char **err)
{
    char *p = xstrdup(dir);
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        struct stat sb;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            rc = core_fail(err, "cannot create directory %s: %s", p, strerror(errno));
        } else if (stat(p, &sb) != 0) {
            rc = core_fail(err, "cannot create directory %s: %s", p, strerror(errno));
        } else if (!S_ISDIR(sb.st_mode)) {
            rc = core_fail(err, "cannot create directory %s: %s", p, strerror(ENOTDIR));
        }
        *s = c;
        if (rc != 0 || c == '\0')
            break;
        while (s[1] == '/')
            s++;
    }
    free(p);
    return rc;
}

static uint64_t random64(unsigned attempt)
{
    uint64_t r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) == (ssize_t)sizeof r)
        return r;
    struct timespec ts; /* no entropy yet (early boot): time, pid and attempt still differ */
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40) ^
           (uint64_t)attempt * 0x9E3779B97F4A7C15ull;
}

int export_file_begin(export_file *xf, const char *path, int force, char **err)
{
    memset(xf, 0, sizeof *xf);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        return core_fail(err, "%s names a directory, not a file", path);
    char *dir = dir_of(path);
    if (make_dirs(dir, err) != 0) {
        free(dir);
        return -1;
    }
    struct stat sb;
    if (lstat(path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode)) {
            free(dir);
            return core_fail(err, "%s is a directory", path);
        }
        if (!force) {
            free(dir);
            return core_fail(err, "%s already exists (use --force to replace it)", path);
        }
    }
    int fd = -1, e = EEXIST;
    for (unsigned i = 0; i < TMP_TRIES && fd < 0 && e == EEXIST; i++) {
        free(xf->tmp);
        xf->tmp = xasprintf("%s/.xcdash-%012llx.tmp", dir,
                            (unsigned long long)(random64(i) & 0xFFFFFFFFFFFFull));
        fd = open(xf->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        e = fd < 0 ? errno : 0;
    }
    free(dir);
    if (fd < 0) {
        free(xf->tmp);
        xf->tmp = NULL;
        return core_fail(err, "cannot write %s: %s", path, strerror(e));
    }
    xf->f = fdopen(fd, "wb");
    if (xf->f == NULL) {
        e = errno;
        close(fd);
        export_file_abort(xf);
        return core_fail(err, "cannot write %s: %s", path, strerror(e));
    }
    xf->path = xstrdup(path);
    xf->force = force;
    return 0;
}

/* Flushes and syncs the temporary file and closes it. */
static int sync_tmp(export_file *xf)
{
    if (xf->f != NULL) {
        FILE *f = xf->f;
        xf->f = NULL;
        int bad = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
        int e = errno;
        if (fclose(f) != 0 && !bad) {
            bad = 1;
            e = errno;
        }
        errno = e;
        return bad ? -1 : 0;
    }
    int fd = open(xf->tmp, O_RDONLY | O_CLOEXEC); /* written by name (xlsx) */
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

/* Renames the temporary file to the target without ever replacing a file. */
static int place_new(export_file *xf, char **err)
{
    if (renameat2(AT_FDCWD, xf->tmp, AT_FDCWD, xf->path, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP && errno != EOPNOTSUPP &&
        errno != EEXIST)
        return core_fail(err, "cannot write %s: %s", xf->path, strerror(errno));
    if (errno != EEXIST) { /* no RENAME_NOREPLACE here: link() refuses an existing name too */
        if (link(xf->tmp, xf->path) == 0) {
            unlink(xf->tmp);
            return 0;
        }
        if (errno != EEXIST) {
            /* no hard links either: check, then rename (a file appearing in between is lost) */
            struct stat sb;
            if (lstat(xf->path, &sb) != 0 && errno == ENOENT) {
                if (rename(xf->tmp, xf->path) == 0)
                    return 0;
                return core_fail(err, "cannot write %s: %s", xf->path, strerror(errno));
            }
        }
    }
    return core_fail(err, "%s already exists (use --force to replace it)", xf->path);
}

int export_file_commit(export_file *xf, char **err)
{
    int rc;
    if (sync_tmp(xf) != 0)
        rc = core_fail(err, "cannot write %s: %s", xf->path, strerror(errno));
    else if (xf->force)
        rc = rename(xf->tmp, xf->path) == 0
                 ? 0
                 : core_fail(err, "cannot write %s: %s", xf->path, strerror(errno));
    else
        rc = place_new(xf, err);
    if (rc != 0) {
        export_file_abort(xf);
        return -1;
    }
    free(xf->tmp);
    xf->tmp = NULL;
    /* make the rename itself durable; a failure here loses nothing already written */
    char *dir = dir_of(xf->path);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(dir);
    return 0;
}

void export_file_abort(export_file *xf)
{
    if (xf->f != NULL)
        fclose(xf->f);
    if (xf->tmp != NULL)
        unlink(xf->tmp);
    free(xf->tmp);
    free(xf->path);
    memset(xf, 0, sizeof *xf);
}
