/*
 * engine.c — the fetch engine: every transfer through one libcurl multi
 * handle, results parsed by the source's adapter and written as one batch
 * per source.
 *
 * A round takes a list of sources. Each source becomes a job of one or more
 * requests: a plain URL is one request (sent with If-None-Match /
 * If-Modified-Since from the validators last stored); a URL with {secids}
 * asks for every listing's East Money id in batches of 100, and {secid} or
 * {symbol} makes one request per listing. Requests start while fewer than
 * global_limit transfers run and fewer than host_limit run against their
 * host; the rest wait in order. When a job's last request ends, its
 * responses go through the adapter into one fetch_result, and that result,
 * with the source's health (status, error, validators, next due time), is
 * written by store_write() as one atomic batch, so a bad source records its
 * own error and disturbs neither the others nor what is cached. Batches are
 * savepoints inside a write group that commits every GROUP_SECONDS or
 * GROUP_ITEMS rows: one commit (one FTS5 flush, one WAL sync) for many small
 * sources. Reports and the wake-up byte wait for that commit, so nothing is
 * announced that a crash could still take back.
 *
 * Parsing runs on a second thread so that it overlaps the main thread's
 * transfers and SQLite writes. A round starts one parser thread when its
 * first job finishes and joins it at the round's end. A finished job goes
 * on the parser's to-do queue (mutex and condition variables); the parser
 * runs the adapter over the job's responses (parse_job), puts the job on
 * the done queue and calls curl_multi_wakeup() so the main loop's
 * curl_multi_poll() returns; the main loop writes done jobs in the order
 * they finished (write_job: health, next due time, store_write, reports).
 * The parser thread reads only the job handed to it and the engine's
 * configuration: it never touches the store, the RNG, the transfer
 * counters or curses. A round ends (also on *stop) only when every job
 * handed to the parser is parsed and written.
 *
 * Locked down: http and https only, for requests and redirects alike;
 * file:// only for a source whose configured URL is itself file:// (the
 * user's or the demo's choice), never reached through a redirect; at most
 * max_redirects; connect, total and low-speed timeouts; the body counted
 * in the write callback after decompression and the transfer aborted past
 * body_cap; CURLOPT_NOSIGNAL, since the engine may run in a thread.
 *
 * The engine never touches the terminal: it tells its caller through the
 * report callback and a byte on the wake-up descriptor.
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "fetch/private.h"

#define SECIDS_PER_REQUEST 100  /* East Money answers about this many per call */
#define GROUP_SECONDS      0.5  /* a reader sees new data this soon after it is parsed */
#define GROUP_ITEMS        2000 /* ... or after this many rows, whichever comes first */

typedef struct job job;

typedef struct request {
    job *job;
    CURL *easy;
    char *url;
    char *host; /* host:port, the unit of the per-host limit */
    struct curl_slist *headers;
    core_buf body;
    int too_big;
    char *etag, *last_modified, *retry_after, *location;
    long status;
    CURLcode rc;
    char *content_type, *effective_url;
    char errbuf[CURL_ERROR_SIZE];
} request;

struct job {
    store_source src; /* strings owned by the job's arena */
    int64_t last_success;
    request *reqs;
    size_t n_reqs, n_done;
    struct timespec started;
    core_arena *arena;
    /* filled by parse_job (on the parser thread), used by write_job (on the main thread) */
    fetch_result res;
    char *error;
    int not_modified, status;
    int64_t now, retry;
    job *next; /* in the parser's to-do or done queue */
};

struct fetch_engine {
    store *st;
    /* A round's writes go in groups committed every GROUP_SECONDS or GROUP_ITEMS
     * (each source's batch stays atomic: a savepoint); reports wait for the commit. */
    struct timespec group_started;
    size_t group_items;
    fetch_report *pending;
    size_t n_pending, cap_pending;
    fetch_config cfg;
    CURLM *multi;
    int lock_fd;
    uint32_t rng;
    char *user_agent;
    /* transfers running, in total and per host */
    int running;
    struct {
        char *host;
        int n;
    } hosts[64];
    size_t n_hosts;
    /* The parser thread of a round: jobs go in `todo`, come back parsed in `done`;
     * `in_flight` counts jobs handed over and not yet written. Everything here but
     * `parser`, `has_parser` and `in_flight` (main thread only) is under `mu`. */
    pthread_t parser;
    int has_parser;
    size_t in_flight;
    pthread_mutex_t mu;
    pthread_cond_t todo_cv, done_cv;
    job *todo, *todo_tail, *done, *done_tail;
    int quit;
};

void fetch_config_defaults(fetch_config *c)
{
    c->global_limit = 8;
    c->host_limit = 2;
    c->connect_timeout_s = 10;
    c->timeout_s = 60;
    c->low_speed_bytes = 16;
    c->low_speed_s = 20;
    c->body_cap = (size_t)8 << 20;
    c->max_redirects = 5;
    c->backoff_cap_s = 6 * 3600;
    c->user_agent = NULL;
    c->interval = NULL;
    c->interval_ctx = NULL;
}

fetch_parse_fn fetch_adapter(const char *kind)
{
    static const struct {
        const char *kind;
        fetch_parse_fn parse;
    } adapters[] = {
        { "feed", fetch_parse_feed },
        { "hf-models", fetch_parse_hf_models },
        { "eastmoney-quotes", fetch_parse_eastmoney_quotes },
        { "eastmoney-kline", fetch_parse_eastmoney_kline },
        { "yahoo-chart", fetch_parse_yahoo_chart },
        { "hn-search", fetch_parse_hn_search },
    };
    for (size_t i = 0; kind && i < sizeof adapters / sizeof adapters[0]; i++)
        if (strcmp(adapters[i].kind, kind) == 0)
            return adapters[i].parse;
    return NULL;
}

/* ---- the lock ------------------------------------------------------------ */

static int take_lock(const char *db_path, int *fd_out, int *busy, char **err)
{
    char *path = xasprintf("%s.fetch-lock", db_path);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        int rc = core_fail(err, "cannot open the fetch lock %s: %s", path, strerror(errno));
        free(path);
        return rc;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK && busy != NULL)
            *busy = 1;
        int rc =
            core_fail(err,
                      e == EWOULDBLOCK ? "another xcdash is already fetching into %s (lock %s held)"
                                       : "cannot lock %s (%s)",
                      db_path, e == EWOULDBLOCK ? path : strerror(e));
        free(path);
        return rc;
    }
    free(path);
    *fd_out = fd;
    return 0;
}

int fetch_engine_new(fetch_engine **out, const char *db_path, const fetch_config *cfg, int *busy,
                     char **err)
{
    *out = NULL;
    if (busy != NULL)
        *busy = 0;
    fetch_engine *e = xcalloc(1, sizeof *e);
    e->lock_fd = -1;
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->todo_cv, NULL);
    pthread_cond_init(&e->done_cv, NULL);
    if (cfg != NULL)
        e->cfg = *cfg;
    else
        fetch_config_defaults(&e->cfg);
    /* names xcdash, and reads as a browser to the quote servers that refuse bare clients */
    e->user_agent = e->cfg.user_agent ? xstrdup(e->cfg.user_agent)
                                      : xstrdup("Mozilla/5.0 (compatible; xcdash/" XCDASH_VERSION
                                                "; terminal dashboard)");
    e->rng = (uint32_t)time(NULL) ^ (uint32_t)getpid() * 2654435761u;
    if (take_lock(db_path, &e->lock_fd, busy, err) != 0 ||
        store_open(&e->st, db_path, 0, err) != 0) {
        fetch_engine_free(e);
        return -1;
    }
    e->multi = curl_multi_init();
    if (e->multi == NULL) {
        fetch_engine_free(e);
        return core_fail(err, "cannot start libcurl");
    }
    *out = e;
    return 0;
}

void fetch_engine_free(fetch_engine *e)
{
    if (e == NULL)
        return;
    if (e->multi != NULL)
        curl_multi_cleanup(e->multi);
    store_close(e->st);
    if (e->lock_fd >= 0)
        close(e->lock_fd); /* releases the flock */
    for (size_t i = 0; i < e->n_hosts; i++)
        free(e->hosts[i].host);
    free(e->pending);
    free(e->user_agent);
    pthread_mutex_destroy(&e->mu);
    pthread_cond_destroy(&e->todo_cv);
    pthread_cond_destroy(&e->done_cv);
    free(e);
}

static uint32_t rnd(fetch_engine *e)
{
    e->rng ^= e->rng << 13; /* xorshift32 */
    e->rng ^= e->rng >> 17;
    e->rng ^= e->rng << 5;
    return e->rng;
}

/* ---- per-host accounting --------------------------------------------------- */

static int *host_slot(fetch_engine *e, const char *host)
{
    for (size_t i = 0; i < e->n_hosts; i++)
        if (strcmp(e->hosts[i].host, host) == 0)
            return &e->hosts[i].n;
    for (size_t i = 0; i < e->n_hosts; i++)
        if (e->hosts[i].n == 0) { /* reuse an idle slot */
            free(e->hosts[i].host);
            e->hosts[i].host = xstrdup(host);
            return &e->hosts[i].n;
        }
    if (e->n_hosts == sizeof e->hosts / sizeof e->hosts[0])
        return NULL; /* more distinct hosts than slots at once: wait */
    e->hosts[e->n_hosts].host = xstrdup(host);
    e->hosts[e->n_hosts].n = 0;
    return &e->hosts[e->n_hosts++].n;
}

/* "host:port" of a URL, lower-cased; "" for file:// and anything unparsable. */
static char *url_host(const char *url)
{
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL, *out;
    if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
        out = xasprintf("%s:%s", host, port ? port : "");
        for (char *p = out; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
    } else {
        out = xstrdup("");
    }
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return out;
}

/* ---- building jobs ------------------------------------------------------------ */

static int is_file_url(const char *url)
{
    return strncasecmp(url, "file://", 7) == 0;
}

static void add_request(job *j, const char *url)
{
    j->reqs = xrealloc(j->reqs, (j->n_reqs + 1) * sizeof *j->reqs);
    request *r = &j->reqs[j->n_reqs++];
    memset(r, 0, sizeof *r);
    r->url = xstrdup(url);
    r->host = url_host(url);
}

/* Replaces the first `{name}` in tmpl with value. */
static char *expand(const char *tmpl, const char *name, const char *value)
{
    const char *p = strstr(tmpl, name);
    return xasprintf("%.*s%s%s", (int)(p - tmpl), tmpl, value, p + strlen(name));
}

/* The listing ids a URL template asks for, gathered company by company. */
typedef struct id_list {
    int yahoo; /* {symbol}: Yahoo symbols; else East Money secids */
    char **ids;
    size_t n, cap;
} id_list;

static int collect_listing(void *ctx, const store_company *c)
{
    id_list *L = ctx;
    for (size_t k = 0; k < c->n_listings; k++) {
        const store_listing *l = &c->listings[k];
        const char *id = L->yahoo ? l->yahoo_symbol : l->eastmoney_secid;
        if (id == NULL || *id == '\0')
            continue;
        if (L->n == L->cap) {
            L->cap = L->cap ? L->cap * 2 : 64;
            L->ids = xrealloc(L->ids, L->cap * sizeof *L->ids);
        }
        L->ids[L->n++] = xstrdup(id);
    }
    return 0;
}

static int make_requests_for(fetch_engine *e, job *j, const char *url, char **err);

/*
 * {step} in a URL counts 0-9, moving on once per interval: the demo's quote
 * snapshots (quotes-0.json ... quotes-9.json) play in turn so panels move.
 */
static char *with_step(const job *j)
{
    if (strstr(j->src.url, "{step}") == NULL)
        return xstrdup(j->src.url);
    int64_t iv = j->src.interval_s > 0 ? j->src.interval_s : 60;
    char step[4];
    snprintf(step, sizeof step, "%d", (int)(((int64_t)time(NULL) / iv) % 10));
    return expand(j->src.url, "{step}", step);
}

static int make_requests(fetch_engine *e, job *j, char **err)
{
    char *owned = with_step(j);
    const char *url = owned;
    int rc = make_requests_for(e, j, url, err);
    free(owned);
    return rc;
}

static int make_requests_for(fetch_engine *e, job *j, const char *url, char **err)
{
    const char *tag = strstr(url, "{secids}")   ? "{secids}"
                      : strstr(url, "{secid}")  ? "{secid}"
                      : strstr(url, "{symbol}") ? "{symbol}"
                                                : NULL;
    if (tag == NULL) {
        add_request(j, url);
        return 0;
    }
    id_list L = { .yahoo = strcmp(tag, "{symbol}") == 0 };
    if (store_companies_each(e->st, NULL, collect_listing, &L, err) != 0)
        return -1;
    char **ids = L.ids;
    size_t n = L.n;
    if (strcmp(tag, "{secids}") == 0) {
        for (size_t i = 0; i < n; i += SECIDS_PER_REQUEST) {
            core_buf b;
            core_buf_init(&b, 1 << 20);
            for (size_t k = i; k < n && k < i + SECIDS_PER_REQUEST; k++)
                core_buf_printf(&b, "%s%s", k > i ? "," : "", ids[k]);
            char *list = core_buf_take(&b);
            char *u = expand(url, tag, list);
            add_request(j, u);
            free(u);
            free(list);
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            char *u = expand(url, tag, ids[i]);
            add_request(j, u);
            free(u);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    if (j->n_reqs == 0)
        return core_fail(err, "no listing has an id for %s", tag);
    return 0;
}

static void job_free(job *j)
{
    for (size_t i = 0; i < j->n_reqs; i++) {
        request *r = &j->reqs[i];
        free(r->url);
        free(r->host);
        free(r->etag);
        free(r->last_modified);
        free(r->retry_after);
        free(r->location);
        free(r->content_type);
        free(r->effective_url);
        core_buf_free(&r->body);
        curl_slist_free_all(r->headers);
    }
    free(j->reqs);
    free(j->error);
    fetch_result_free(&j->res);
    core_arena_free(j->arena);
}

/* Copies a source into a job (the page it came from is freed after). */
static void job_init(job *j, const store_source *s)
{
    memset(j, 0, sizeof *j);
    j->arena = core_arena_new();
    j->src = *s;
    j->src.id = core_arena_strdup(j->arena, s->id);
    j->src.kind = core_arena_strdup(j->arena, s->kind);
    j->src.url = core_arena_strdup(j->arena, s->url);
    j->src.pillar = core_arena_strdup(j->arena, s->pillar);
    j->src.title = core_arena_strdup(j->arena, s->title);
    j->src.headers_json = core_arena_strdup(j->arena, s->headers_json);
    j->src.origin = core_arena_strdup(j->arena, s->origin);
    j->src.last_error = core_arena_strdup(j->arena, s->last_error);
    j->src.etag = core_arena_strdup(j->arena, s->etag);
    j->src.last_modified = core_arena_strdup(j->arena, s->last_modified);
    j->last_success = s->last_success;
}

/* ---- transfers ------------------------------------------------------------------- */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    request *r = ud;
    size_t len = size * n;
    if (core_buf_add(&r->body, p, len) != 0) {
        r->too_big = 1;
        return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
    }
    return len;
}

static void set_header(char **dst, const char *v, size_t n)
{
    while (n > 0 && (*v == ' ' || *v == '\t'))
        v++, n--;
    while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
        n--;
    free(*dst);
    *dst = n > 0 && n < 1024 ? xstrndup(v, n) : NULL;
}

/* Keeps the validators, Retry-After and Location of the last response (each response starts
 * over). */
static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    request *r = ud;
    size_t len = size * n;
    static const struct {
        const char *name;
        size_t off;
    } keep[] = {
        { "etag:", offsetof(request, etag) },
        { "last-modified:", offsetof(request, last_modified) },
        { "retry-after:", offsetof(request, retry_after) },
        { "location:", offsetof(request, location) },
    };
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
            set_header((char **)((char *)r + keep[i].off), "", 0);
        return len;
    }
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
        size_t k = strlen(keep[i].name);
        if (len > k && strncasecmp(p, keep[i].name, k) == 0)
            set_header((char **)((char *)r + keep[i].off), p + k, len - k);
    }
    return len;
}

/* Adds the source's configured headers (a JSON object of name: value). */
static struct curl_slist *source_headers(const job *j, struct curl_slist *h)
{
    if (j->src.headers_json == NULL)
        return h;
    json_t *o = json_loads(j->src.headers_json, 0, NULL);
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        if (!json_is_string(v) || strpbrk(k, "\r\n:") || strpbrk(json_string_value(v), "\r\n"))
            continue; /* no header injection from configuration */
        char *line = xasprintf("%s: %s", k, json_string_value(v));
        h = curl_slist_append(h, line);
        free(line);
    }
    json_decref(o);
    return h;
}

static int start_request(fetch_engine *e, request *r)
{
    job *j = r->job;
    CURL *c = curl_easy_init();
    if (c == NULL)
        return -1;
    r->easy = c;
    core_buf_init(&r->body, e->cfg.body_cap);
    curl_easy_setopt(c, CURLOPT_URL, r->url);
    curl_easy_setopt(c, CURLOPT_PRIVATE, r);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, r->errbuf);
    /* file:// only when the user configured this source as a local file */
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, is_file_url(j->src.url) ? "file" : "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)e->cfg.max_redirects);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)e->cfg.connect_timeout_s);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)e->cfg.timeout_s);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, (long)e->cfg.low_speed_bytes);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)e->cfg.low_speed_s);
    curl_easy_setopt(c, CURLOPT_USERAGENT, e->user_agent);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* whatever curl can decode */
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    struct curl_slist *h = source_headers(j, NULL);
    if (j->n_reqs == 1 && j->src.etag != NULL) {
        char *line = xasprintf("If-None-Match: %s", j->src.etag);
        h = curl_slist_append(h, line);
        free(line);
    }
    if (j->n_reqs == 1 && j->src.last_modified != NULL) {
        char *line = xasprintf("If-Modified-Since: %s", j->src.last_modified);
        h = curl_slist_append(h, line);
        free(line);
    }
    r->headers = h;
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (curl_multi_add_handle(e->multi, c) != CURLM_OK) {
        curl_easy_cleanup(c);
        r->easy = NULL;
        return -1;
    }
    e->running++;
    (*host_slot(e, r->host))++;
    return 0;
}

/* Retry-After as seconds from now: delta-seconds or an HTTP date; 0 when absent/unusable. */
static int64_t retry_after_s(const char *v, int64_t now)
{
    if (v == NULL)
        return 0;
    char *end;
    long s = strtol(v, &end, 10);
    if (end != v && *end == '\0')
        return s > 0 ? s : 0;
    int64_t t;
    if (fetch_parse_date(v, &t) == 0 && t > now)
        return t - now;
    return 0;
}

/* Describes a failed request; NULL when it succeeded. */
static char *request_error(const fetch_engine *e, const request *r)
{
    if (r->rc == CURLE_WRITE_ERROR && r->too_big)
        return xasprintf("response larger than the %zu MiB cap", e->cfg.body_cap >> 20);
    if (r->rc != CURLE_OK)
        return xasprintf("%s", r->errbuf[0] ? r->errbuf : curl_easy_strerror(r->rc));
    if (r->status >= 400 || (r->status >= 300 && r->status != 304))
        return r->retry_after ? xasprintf("HTTP %ld (Retry-After %s)", r->status, r->retry_after)
                              : xasprintf("HTTP %ld", r->status);
    return NULL;
}

static double elapsed(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - since->tv_sec) + (double)(now.tv_nsec - since->tv_nsec) / 1e9;
}

/* Keeps a report (with copies of its strings) until the group holding its batch commits. */
static void report_later(fetch_engine *e, const fetch_report *r)
{
    if (e->n_pending == e->cap_pending) {
        e->cap_pending = e->cap_pending ? e->cap_pending * 2 : 16;
        e->pending = xrealloc(e->pending, e->cap_pending * sizeof *e->pending);
    }
    fetch_report *p = &e->pending[e->n_pending++];
    *p = *r;
    p->source_id = xstrdup(r->source_id);
    p->kind = xstrdup(r->kind);
    p->error = r->error ? xstrdup(r->error) : NULL;
}

static void group_start(fetch_engine *e)
{
    char *err = NULL;
    if (store_group_begin(e->st, &err) != 0)
        free(err); /* without a group every batch commits alone: slower, still correct */
    clock_gettime(CLOCK_MONOTONIC, &e->group_started);
    e->group_items = 0;
}

/*
 * Commits the write group when it is due (or always, with force) and only
 * then tells: a byte on wake_fd for readers, and the waiting reports, so no
 * report says "ok" for data that is not yet safely stored. A failed commit
 * turns the reports of that group into failures.
 */
static void group_flush(fetch_engine *e, int force, int wake_fd, fetch_report_fn cb, void *ctx)
{
    if (store_in_group(e->st) && !force && elapsed(&e->group_started) < GROUP_SECONDS &&
        e->group_items < GROUP_ITEMS)
        return;
    char *err = NULL;
    int committed = store_group_end(e->st, &err) == 0;
    if (wake_fd >= 0 && write(wake_fd, "x", 1) < 0 && errno != EAGAIN) {
        /* a full pipe already holds a wake-up: nothing is lost */
    }
    for (size_t i = 0; i < e->n_pending; i++) {
        fetch_report *r = &e->pending[i];
        if (!committed) {
            free((char *)r->error);
            r->error = xasprintf("cache write failed: %s", err ? err : "commit failed");
            r->ok = r->not_modified = 0;
            memset(&r->written, 0, sizeof r->written);
        }
        if (cb != NULL)
            cb(ctx, r);
        free((char *)r->source_id);
        free((char *)r->kind);
        free((char *)r->error);
    }
    e->n_pending = 0;
    free(err);
    if (!force)
        group_start(e);
}

/*
 * Parses every response of a finished job into j->res, j->error, j->status,
 * j->not_modified and j->retry. Runs on the parser thread: it reads only the
 * job and the engine's configuration, never the store, the RNG or the
 * counters.
 */
static void parse_job(const fetch_engine *e, job *j)
{
    fetch_parse_fn parse = fetch_adapter(j->src.kind);
    fetch_result res;
    fetch_result_init(&res);
    char *error = NULL;
    int not_modified = 1, status = 0;
    int64_t now = (int64_t)time(NULL), retry = 0;

    if (parse == NULL)
        error = xasprintf("unknown source kind '%s'", j->src.kind);
    for (size_t i = 0; i < j->n_reqs && parse != NULL; i++) {
        request *r = &j->reqs[i];
        status = (int)r->status;
        char *why = request_error(e, r);
        if (why == NULL && r->status != 304) {
            not_modified = 0;
            fetch_response resp = { r->body.data ? r->body.data : "", r->body.len, r->content_type,
                                    r->effective_url ? r->effective_url : r->url, (int)r->status };
            char *perr = NULL;
            if (parse(&resp, &res, &perr) != 0)
                why = perr ? perr : xstrdup("could not parse the response");
        }
        if (why != NULL && r->status >= 400 && r->body.len > 0 && strcmp(j->src.kind, "feed")) {
            /* an API's error body says more than its status ("Not Found: symbol delisted") */
            fetch_result scratch;
            fetch_result_init(&scratch);
            fetch_response resp = { r->body.data, r->body.len, r->content_type, r->url,
                                    (int)r->status };
            char *perr = NULL;
            if (parse(&resp, &scratch, &perr) != 0 && perr != NULL) {
                char *better =
                    strstr(perr, "HTTP ") ? xstrdup(perr) : xasprintf("%s: %s", why, perr);
                free(why);
                why = better;
            }
            free(perr);
            fetch_result_free(&scratch);
        }
        if (why != NULL) {
            not_modified = 0;
            int64_t ra = retry_after_s(r->retry_after, now);
            retry = ra > retry ? ra : retry;
            if (error == NULL)
                error = j->n_reqs > 1 ? xasprintf("%s (%s)", why, r->url) : xstrdup(why);
            free(why);
        }
    }
    j->res = res;
    j->error = error;
    j->not_modified = not_modified;
    j->status = status;
    j->now = now;
    j->retry = retry;
}

/* Writes a parsed job as one batch with its health, and reports it (main thread only). */
static void write_job(fetch_engine *e, job *j, int wake_fd, fetch_report_fn cb, void *ctx)
{
    fetch_result res = j->res;
    char *error = j->error;
    int not_modified = j->not_modified, status = j->status;
    int64_t now = j->now, retry = j->retry;
    memset(&j->res, 0, sizeof j->res);
    j->error = NULL;

    int ok = error == NULL;
    int failures = ok ? 0 : j->src.failures + 1;
    if (e->cfg.interval != NULL)
        j->src.interval_s =
            e->cfg.interval(e->cfg.interval_ctx, j->src.id, j->src.kind, j->src.interval_s);
    int64_t next = ok ? now + fetch_jitter(j->src.interval_s, rnd(e))
                      : now + fetch_backoff(failures, j->src.interval_s, e->cfg.backoff_cap_s);
    if (!ok && now + retry > next)
        next = now + retry;
    /* market hours are politeness towards quote servers; local files (the demo) move on */
    if (fetch_kind_is_quotes(j->src.kind) && !is_file_url(j->src.url))
        next = fetch_quote_window(next, ok ? now : j->last_success);
    request *one = j->n_reqs == 1 ? &j->reqs[0] : NULL;
    store_health h = { .ok = ok,
                       .at = now,
                       .http_status = status,
                       .error = error,
                       /* the newest validators, also from a 304 */
                       .etag = one && ok ? one->etag : NULL,
                       .last_modified = one && ok ? one->last_modified : NULL,
                       .next_due = next };
    store_batch b = { .source_id = j->src.id,
                      .items = res.items,
                      .n_items = res.n_items,
                      .quotes = res.quotes,
                      .n_quotes = res.n_quotes,
                      .bars = res.bars,
                      .n_bars = res.n_bars,
                      .stats = res.stats,
                      .n_stats = res.n_stats,
                      .health = &h };
    fetch_report rep = { .source_id = j->src.id,
                         .kind = j->src.kind,
                         .ok = ok,
                         .not_modified = ok && not_modified,
                         .http_status = status,
                         .requests = j->n_reqs,
                         .quotes = res.n_quotes,
                         .bars = res.n_bars,
                         .stats = res.n_stats,
                         .seconds = elapsed(&j->started) };
    char *werr = NULL;
    if (store_write(e->st, &b, &rep.written, &werr) != 0) {
        /* the data could not be stored: say so, and still try to record the failure */
        char *msg = xasprintf("cache write failed: %s", werr);
        free(werr);
        store_health h2 = { .ok = 0,
                            .at = now,
                            .http_status = status,
                            .error = msg,
                            .next_due = now + fetch_backoff(failures + 1, j->src.interval_s,
                                                            e->cfg.backoff_cap_s) };
        store_batch b2 = { .source_id = j->src.id, .health = &h2 };
        store_write(e->st, &b2, NULL, NULL);
        free(error);
        error = msg;
        rep.ok = 0;
        rep.not_modified = 0;
        memset(&rep.written, 0, sizeof rep.written);
        rep.quotes = rep.bars = rep.stats = 0;
    }
    rep.error = error;
    report_later(e, &rep);
    e->group_items += res.n_items + res.n_quotes + res.n_bars + res.n_stats;
    free(error);
    fetch_result_free(&res);
    for (size_t i = 0; i < j->n_reqs; i++)
        core_buf_free(&j->reqs[i].body); /* parsed: a round never holds every body at once */
    group_flush(e, 0, wake_fd, cb, ctx);
}

/* ---- the parser thread ------------------------------------------------------------ */

/* Takes jobs off the to-do queue, parses them, hands them back and wakes the main loop. */
static void *parser_main(void *arg)
{
    fetch_engine *e = arg;
    pthread_mutex_lock(&e->mu);
    for (;;) {
        while (e->todo == NULL && !e->quit)
            pthread_cond_wait(&e->todo_cv, &e->mu);
        job *j = e->todo;
        if (j == NULL)
            break; /* quit, and nothing left to parse */
        e->todo = j->next;
        if (e->todo == NULL)
            e->todo_tail = NULL;
        pthread_mutex_unlock(&e->mu);
        j->next = NULL;
        parse_job(e, j);
        pthread_mutex_lock(&e->mu);
        if (e->done_tail != NULL)
            e->done_tail->next = j;
        else
            e->done = j;
        e->done_tail = j;
        pthread_cond_signal(&e->done_cv);
        pthread_mutex_unlock(&e->mu);
        curl_multi_wakeup(e->multi); /* curl_multi_poll() returns: write it */
        pthread_mutex_lock(&e->mu);
    }
    pthread_mutex_unlock(&e->mu);
    return NULL;
}

/* A job whose requests have all ended: to the parser thread, or parsed here when there is
 * none (it could not be started). */
static void finish_job(fetch_engine *e, job *j, int wake_fd, fetch_report_fn cb, void *ctx)
{
    if (!e->has_parser) {
        e->quit = 0;
        e->has_parser = pthread_create(&e->parser, NULL, parser_main, e) == 0;
    }
    if (!e->has_parser) {
        parse_job(e, j);
        write_job(e, j, wake_fd, cb, ctx);
        return;
    }
    j->next = NULL;
    pthread_mutex_lock(&e->mu);
    if (e->todo_tail != NULL)
        e->todo_tail->next = j;
    else
        e->todo = j;
    e->todo_tail = j;
    pthread_cond_signal(&e->todo_cv);
    pthread_mutex_unlock(&e->mu);
    e->in_flight++;
}

/* Writes the jobs the parser thread has finished; with wait, until none is in flight. */
static void drain_parsed(fetch_engine *e, int wait, int wake_fd, fetch_report_fn cb, void *ctx)
{
    while (e->in_flight > 0) {
        pthread_mutex_lock(&e->mu);
        while (wait && e->done == NULL)
            pthread_cond_wait(&e->done_cv, &e->mu);
        job *list = e->done;
        e->done = e->done_tail = NULL;
        pthread_mutex_unlock(&e->mu);
        if (list == NULL)
            return;
        while (list != NULL) {
            job *j = list;
            list = j->next;
            j->next = NULL;
            e->in_flight--;
            write_job(e, j, wake_fd, cb, ctx);
        }
    }
}

/* Ends the round's parser thread once every job handed to it is written. */
static void stop_parser(fetch_engine *e, int wake_fd, fetch_report_fn cb, void *ctx)
{
    drain_parsed(e, 1, wake_fd, cb, ctx);
    if (!e->has_parser)
        return;
    pthread_mutex_lock(&e->mu);
    e->quit = 1;
    pthread_cond_signal(&e->todo_cv);
    pthread_mutex_unlock(&e->mu);
    pthread_join(e->parser, NULL);
    e->has_parser = 0;
}

/* Takes finished transfers off the multi handle; finishes jobs whose requests are all done. */
static void reap(fetch_engine *e, int wake_fd, fetch_report_fn cb, void *ctx)
{
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(e->multi, &left)) != NULL) {
        if (m->msg != CURLMSG_DONE)
            continue;
        request *r;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
        r->rc = m->data.result;
        curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &r->status);
        char *ct = NULL, *eff = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_CONTENT_TYPE, &ct);
        curl_easy_getinfo(m->easy_handle, CURLINFO_EFFECTIVE_URL, &eff);
        r->content_type = ct ? xstrdup(ct) : NULL;
        r->effective_url = eff ? xstrdup(eff) : NULL;
        if (r->rc == CURLE_UNSUPPORTED_PROTOCOL && r->status >= 300 && r->status < 400)
            snprintf(r->errbuf, sizeof r->errbuf,
                     "refused a redirect to %.150s (only http and https are followed)",
                     r->location ? r->location : "another protocol");
        curl_multi_remove_handle(e->multi, m->easy_handle);
        curl_easy_cleanup(m->easy_handle);
        r->easy = NULL;
        e->running--;
        (*host_slot(e, r->host))--;
        job *j = r->job;
        if (++j->n_done == j->n_reqs)
            finish_job(e, j, wake_fd, cb, ctx);
    }
}

/* Runs every request of every job, within the limits, until all are done or *stop is set. */
static void run_round(fetch_engine *e, job *jobs, size_t n, volatile int *stop, int wake_fd,
                      fetch_report_fn cb, void *ctx)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += jobs[i].n_reqs;
    request **queue = xcalloc(total ? total : 1, sizeof *queue);
    size_t q = 0, next = 0;
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].n_done == jobs[i].n_reqs)
            continue; /* already finished (it could not even start) */
        clock_gettime(CLOCK_MONOTONIC, &jobs[i].started);
        for (size_t k = 0; k < jobs[i].n_reqs; k++) {
            jobs[i].reqs[k].job = &jobs[i];
            queue[q++] = &jobs[i].reqs[k];
        }
    }
    total = q;
    while (next < total || e->running > 0) {
        if (stop != NULL && *stop)
            break;
        /* start what the limits allow, in order, skipping requests whose host is busy */
        for (size_t i = next; i < total && e->running < e->cfg.global_limit; i++) {
            request *r = queue[i];
            if (r == NULL)
                continue;
            int *slot = host_slot(e, r->host);
            /* local files ("" host) answer at disk speed: no politeness limit applies */
            if (slot == NULL || (*slot >= e->cfg.host_limit && r->host[0] != '\0'))
                continue;
            queue[i] = NULL;
            if (start_request(e, r) != 0) {
                r->rc = CURLE_OUT_OF_MEMORY;
                if (++r->job->n_done == r->job->n_reqs)
                    finish_job(e, r->job, wake_fd, cb, ctx);
            }
        }
        while (next < total && queue[next] == NULL)
            next++;
        int still;
        int before = e->running;
        curl_multi_perform(e->multi, &still);
        reap(e, wake_fd, cb, ctx);
        drain_parsed(e, 0, wake_fd, cb, ctx);
        /* wait for sockets or curl's own timers, unless a transfer just ended and its
         * slot can be given to a waiting request right away */
        long wait = -1;
        curl_multi_timeout(e->multi, &wait);
        if (wait < 0 || wait > 200)
            wait = 200;
        if (e->running < before && next < total)
            wait = 0;
        if (wait > 0 && (next < total || e->running > 0))
            curl_multi_poll(e->multi, NULL, 0, (int)wait, NULL);
    }
    /* also after *stop: what was fetched is parsed and written */
    stop_parser(e, wake_fd, cb, ctx);
    free(queue);
}

typedef struct tally {
    fetch_report_fn cb;
    void *ctx;
    int failed;
    size_t done, total;
} tally;

static void count_report(void *ctx, const fetch_report *r)
{
    tally *t = ctx;
    t->failed += !r->ok;
    t->done++;
    if (t->cb) {
        fetch_report c = *r;
        c.round_done = t->done;
        c.round_total = t->total;
        t->cb(t->ctx, &c);
    }
}

/* Which sources a round takes, and the jobs made of them. */
typedef struct picker {
    const char *const *ids; /* named sources, or all enabled ones when n == 0 */
    size_t n;
    char *found;    /* per named id */
    int64_t due_by; /* 0: any time; else only sources due by then */
    job *jobs;
    size_t nj, cap;
} picker;

static int pick_source(void *ctx, const store_source *s)
{
    picker *P = ctx;
    int want = 0;
    if (P->n) {
        for (size_t k = 0; k < P->n; k++)
            if (strcmp(P->ids[k], s->id) == 0)
                want = P->found[k] = 1;
    } else {
        want = s->enabled && (P->due_by == 0 || s->next_due <= P->due_by);
    }
    if (want) {
        if (P->nj == P->cap) {
            P->cap = P->cap ? P->cap * 2 : 32;
            P->jobs = xrealloc(P->jobs, P->cap * sizeof *P->jobs);
        }
        job_init(&P->jobs[P->nj++], s);
    }
    return 0;
}

/* Loads sources (the named ones, or all enabled when n == 0, or the due ones) into jobs. */
static int load_jobs(fetch_engine *e, const char *const *ids, size_t n, int64_t due_by, job **out,
                     size_t *n_out, char **err)
{
    picker P = { .ids = ids, .n = n, .found = n ? xcalloc(n, 1) : NULL, .due_by = due_by };
    int rc = store_sources_each(e->st, pick_source, &P, err);
    for (size_t k = 0; rc == 0 && k < n; k++)
        if (!P.found[k])
            rc = core_fail(err, "no source '%s' (see 'xcdash sources')", ids[k]);
    free(P.found);
    if (rc != 0) {
        for (size_t i = 0; i < P.nj; i++)
            job_free(&P.jobs[i]);
        free(P.jobs);
        return -1;
    }
    *out = P.jobs;
    *n_out = P.nj;
    return 0;
}

/* Expands each job into its requests; a job that cannot be expanded fails on its own. */
static void prepare(fetch_engine *e, job *jobs, size_t n, int wake_fd, fetch_report_fn cb,
                    void *ctx)
{
    for (size_t i = 0; i < n; i++) {
        char *err = NULL;
        if (make_requests(e, &jobs[i], &err) != 0) {
            /* a job with no request: write_job records the failure as its own */
            jobs[i].n_reqs = 1;
            jobs[i].reqs = xcalloc(1, sizeof *jobs[i].reqs);
            jobs[i].reqs[0].url = xstrdup(jobs[i].src.url);
            jobs[i].reqs[0].host = xstrdup("");
            jobs[i].reqs[0].rc = CURLE_URL_MALFORMAT;
            snprintf(jobs[i].reqs[0].errbuf, CURL_ERROR_SIZE, "%s", err ? err : "no request");
            jobs[i].reqs[0].job = &jobs[i];
            jobs[i].n_done = 1;
            clock_gettime(CLOCK_MONOTONIC, &jobs[i].started);
            parse_job(e, &jobs[i]); /* nothing to parse: here, on the main thread */
            write_job(e, &jobs[i], wake_fd, cb, ctx);
            free(err);
        }
    }
}

/* Prepares and runs one round; returns how many sources failed. */
static int round_of(fetch_engine *e, job *jobs, size_t n, volatile int *stop, int wake_fd,
                    fetch_report_fn cb, void *ctx)
{
    tally t = { cb, ctx, 0, 0, n };
    group_start(e);
    prepare(e, jobs, n, wake_fd, count_report, &t);
    run_round(e, jobs, n, stop, wake_fd, count_report, &t);
    group_flush(e, 1, wake_fd, count_report, &t);
    return t.failed;
}

int fetch_engine_once(fetch_engine *e, const char *const *ids, size_t n, fetch_report_fn cb,
                      void *ctx, char **err)
{
    job *jobs;
    size_t nj;
    if (load_jobs(e, ids, n, 0, &jobs, &nj, err) != 0)
        return -1;
    int failed = round_of(e, jobs, nj, NULL, -1, cb, ctx);
    for (size_t i = 0; i < nj; i++)
        job_free(&jobs[i]);
    free(jobs);
    return failed;
}

static int earliest_due(void *ctx, const store_source *s)
{
    int64_t *min = ctx;
    if (s->enabled && s->next_due < *min)
        *min = s->next_due;
    return 0;
}

/* The earliest next_due among enabled sources (INT64_MAX when none). */
static int next_due_min(fetch_engine *e, int64_t *out, char **err)
{
    *out = INT64_MAX;
    return store_sources_each(e->st, earliest_due, out, err);
}

int fetch_engine_run(fetch_engine *e, volatile int *stop, int wake_fd, fetch_report_fn cb,
                     void *ctx, char **err)
{
    while (!*stop) {
        job *jobs;
        size_t nj;
        if (load_jobs(e, NULL, 0, (int64_t)time(NULL), &jobs, &nj, err) != 0)
            return -1;
        round_of(e, jobs, nj, stop, wake_fd, cb, ctx);
        for (size_t i = 0; i < nj; i++)
            job_free(&jobs[i]);
        free(jobs);
        /* sleep until the next source is due, looking again every second: sources
         * may be added or made due now (a refresh) meanwhile, and *stop may be set;
         * one small query a second */
        for (;;) {
            int64_t due;
            if (next_due_min(e, &due, err) != 0)
                return -1;
            if (*stop || due <= (int64_t)time(NULL))
                break;
            sleep(1);
        }
    }
    return 0;
}
