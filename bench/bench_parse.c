/*
 * bench_parse.c — how fast the feed adapter turns bytes into items.
 *
 *   bench_parse [--runs N] DIR
 *
 * Reads every DIR/feed-*.xml (as bench/gen_feeds writes them) into memory
 * first, NUL-terminated as the engine's body buffer is, then times
 * fetch_parse_feed() over all of them, one after the other on one thread,
 * N times (default 5). No network, no cache: this is the adapter alone
 * (decoding, libxml2 SAX, HTML to text, dates, links), the figure to
 * compare with sfeed(1) reading the same bytes. Each run also checks that
 * every file parsed and counts the items, so a parser that gives up early
 * cannot look fast.
 *
 * Prints one line per run to stderr and, to stdout, a summary ending in
 * key=value pairs that bench/fetch.sh reads:
 *   parse: 200 files, 45509660 bytes, 40000 items, median 0.186 s, 244.8 MB/s
 *   files=200 bytes=45509660 items=40000 seconds=0.1859 mbps=244.8
 * MB is 10^6 bytes.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>

#include "core/core.h"
#include "fetch/fetch.h"
#include "bench/bench.h"

#define DEFAULT_RUNS 5
#define MAX_RUNS     1000
#define FILE_MAX     ((size_t)64 << 20)        /* the adapter's own input bound */
#define BASE_URL     "http://127.0.0.1:18080/" /* what the links resolve against, as served */

typedef struct feed_file {
    char *name;
    char *data; /* NUL-terminated, like core_buf */
    size_t len;
} feed_file;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const feed_file *)a)->name, ((const feed_file *)b)->name);
}

/* Reads path whole into a NUL-terminated buffer; -1 with a message on failure. */
static int slurp(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "bench_parse: %s: %s\n", path, strerror(errno));
        return -1;
    }
    core_buf b;
    core_buf_init(&b, FILE_MAX);
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (core_buf_add(&b, chunk, n) != 0) {
            fprintf(stderr, "bench_parse: %s: larger than %zu bytes\n", path, FILE_MAX);
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(f)) {
        fprintf(stderr, "bench_parse: %s: read error\n", path);
        rc = -1;
    }
    fclose(f);
    if (rc != 0) {
        core_buf_free(&b);
        return -1;
    }
    *len = b.len;
    *out = core_buf_take(&b);
    return 0;
}

/* Loads DIR/feed-*.xml in name order; -1 when none or on error. */
static int load(const char *dir, feed_file **out, size_t *n_out, size_t *bytes)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "bench_parse: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    feed_file *v = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (strncmp(de->d_name, "feed-", 5) != 0 || l < 9 || strcmp(de->d_name + l - 4, ".xml"))
            continue;
        v = xrealloc(v, (n + 1) * sizeof *v);
        v[n].name = xstrdup(de->d_name);
        v[n].data = NULL;
        n++;
    }
    closedir(d);
    if (n == 0) {
        fprintf(stderr, "bench_parse: no feed-*.xml in %s (run gen_feeds first)\n", dir);
        free(v);
        return -1;
    }
    qsort(v, n, sizeof *v, by_name);
    *bytes = 0;
    for (size_t i = 0; i < n; i++) {
        char *path = xasprintf("%s/%s", dir, v[i].name);
        int rc = slurp(path, &v[i].data, &v[i].len);
        free(path);
        if (rc != 0)
            return -1; /* the process ends; nothing to free for */
        *bytes += v[i].len;
    }
    *out = v;
    *n_out = n;
    return 0;
}

/* One pass over every file; returns the items parsed, or -1 when a file failed. */
static long parse_all(const feed_file *v, size_t n)
{
    long items = 0;
    for (size_t i = 0; i < n; i++) {
        char url[512];
        snprintf(url, sizeof url, BASE_URL "%s", v[i].name);
        fetch_response resp = { v[i].data, v[i].len, "application/rss+xml; charset=UTF-8", url,
                                200 };
        fetch_result r;
        fetch_result_init(&r);
        char *err = NULL;
        if (fetch_parse_feed(&resp, &r, &err) != 0) {
            fprintf(stderr, "bench_parse: %s: %s\n", v[i].name, err ? err : "parse failed");
            free(err);
            fetch_result_free(&r);
            return -1;
        }
        items += (long)r.n_items;
        fetch_result_free(&r);
    }
    return items;
}

int main(int argc, char **argv)
{
    int runs = DEFAULT_RUNS;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > MAX_RUNS) {
                fprintf(stderr, "bench_parse: --runs takes 1 to %d\n", MAX_RUNS);
                return 2;
            }
            runs = (int)v;
        } else if (dir == NULL && argv[i][0] != '-') {
            dir = argv[i];
        } else {
            dir = NULL;
            break;
        }
    }
    if (dir == NULL) {
        fprintf(stderr, "usage: bench_parse [--runs N] DIR\n");
        return 2;
    }
    xmlInitParser();
    feed_file *v;
    size_t n, bytes;
    if (load(dir, &v, &n, &bytes) != 0)
        return 1;

    double *t = xcalloc((size_t)runs, sizeof *t);
    long items = 0;
    for (int k = 0; k < runs; k++) {
        double t0 = now_s();
        long got = parse_all(v, n);
        t[k] = now_s() - t0;
        if (got < 0)
            return 1;
        if (k > 0 && got != items) {
            fprintf(stderr, "bench_parse: run %d found %ld items, run 1 %ld\n", k + 1, got, items);
            return 1;
        }
        items = got;
        fprintf(stderr, "  run %d: %.3f s, %.1f MB/s\n", k + 1, t[k], (double)bytes / 1e6 / t[k]);
    }
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    /* the middle run; for an even count the lower middle one, a real measurement */
    double med = t[(runs - 1) / 2];
    double mbps = (double)bytes / 1e6 / med;
    printf("parse: %zu files, %zu bytes, %ld items, median %.3f s, %.1f MB/s\n", n, bytes, items,
           med, mbps);
    printf("files=%zu bytes=%zu items=%ld seconds=%.4f mbps=%.1f\n", n, bytes, items, med, mbps);

    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].data);
    }
    free(v);
    free(t);
    xmlCleanupParser();
    return 0;
}
