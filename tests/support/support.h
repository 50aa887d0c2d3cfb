/*
 * support.h — what the tests share: temporary directories, a cache with the
 * shipped profiles loaded, running the real xcdash binary.
 */
#ifndef XCDASH_TEST_SUPPORT_H
#define XCDASH_TEST_SUPPORT_H

#include <stddef.h>

#include "store/store.h"

/* The repository root ($XCDASH_SRC, else "."). */
const char *ts_src(void);
/* The shipped data directory ($XCDASH_DATA_DIR, else ROOT/data). */
const char *ts_data_dir(void);
/* Monotonic seconds, for bounding how long something took. */
double ts_now(void);
/* A new empty directory under $TMPDIR (caller frees; remove with ts_rmrf). */
char *ts_tmpdir(void);
/* Removes a directory tree. */
void ts_rmrf(const char *path);
/* The path of tests/fixtures/DIR/NAME (caller frees). */
char *ts_fixture_path(const char *dir, const char *name);
/* A whole file, NUL-terminated (*len without the NUL); fails the test when unreadable. */
char *ts_read_file(const char *path, size_t *len);
/* Writes a file (creating it), aborting the test on failure. */
void ts_write_file(const char *path, const char *text);
/* Opens DIR/cache.db with the shipped profiles loaded; fails the test on error. */
store *ts_store(const char *dir);

/* What a run of the xcdash binary produced. */
typedef struct ts_run {
    int status; /* exit status, or 128+signal */
    char *out, *err;
} ts_run;

/* Runs $XCDASH_BIN with argv (NULL-terminated) and extra environment (NAME=VALUE, NULL-terminated).
 */
ts_run ts_xcdash(const char *const *argv, const char *const *env);
void ts_run_free(ts_run *r);

#endif
