/*
 * test_httpd.c — the loopback test server itself (tests/support/httpd.c),
 * driven by libcurl's easy interface as a real client would: every fault
 * mode, conditional requests, redirects, gzip bombs, concurrency, header
 * capture, malformed requests and stopping with connections still open.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "tests/support/httpd.h"

#define MiB ((size_t)1 << 20)

/* How to fetch. */
typedef struct opts {
    long timeout_ms;       /* 0: 5 s */
    int follow;            /* follow redirects (at most 5) */
    size_t cap;            /* abort the transfer past this many body bytes; 0: 64 MiB */
    const char *encoding;  /* CURLOPT_ACCEPT_ENCODING; NULL: leave unset */
    const char *useragent; /* NULL: none */
    const char *header;    /* one extra request header line */
    int head;              /* HEAD request */
} opts;

/* What came back. */
typedef struct resp {
    CURLcode rc;
    long status;
    core_buf body, head;
    size_t cap;
    int capped; /* the write callback refused data past cap */
    double ms;
    char *url;      /* the effective URL */
    char *redirect; /* CURLINFO_REDIRECT_URL when not following */
} resp;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
    resp *r = arg;
    size_t len = size * n;
    if (r->body.len + len > r->cap) {
        r->capped = 1;
        return 0; /* aborts with CURLE_WRITE_ERROR */
    }
    core_buf_add(&r->body, p, len);
    return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
    resp *r = arg;
    core_buf_add(&r->head, p, size * n);
    return size * n;
}

static resp get(const char *url, const opts *o)
{
    static const opts none = { 0 };
    if (o == NULL)
        o = &none;
    resp r = { 0 };
    r.cap = o->cap ? o->cap : 64 * MiB;
    core_buf_init(&r.body, r.cap);
    core_buf_init(&r.head, MiB);
    CURL *c = curl_easy_init();
    assert_non_null(c);
    struct curl_slist *hdrs = NULL;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms ? o->timeout_ms : 5000L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, o->follow ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    if (o->encoding)
        curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, o->encoding);
    if (o->useragent)
        curl_easy_setopt(c, CURLOPT_USERAGENT, o->useragent);
    if (o->header) {
        hdrs = curl_slist_append(hdrs, o->header);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    }
    if (o->head)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    double t0 = now_ms();
    r.rc = curl_easy_perform(c);
    r.ms = now_ms() - t0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    char *s = NULL;
    curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &s);
    r.url = xstrdup(s ? s : "");
    s = NULL;
    curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &s);
    r.redirect = s ? xstrdup(s) : NULL;
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    if (r.body.data == NULL)
        core_buf_add(&r.body, "", 0);
    if (r.head.data == NULL)
        core_buf_add(&r.head, "", 0);
    return r;
}

static void resp_free(resp *r)
{
    core_buf_free(&r->body);
    core_buf_free(&r->head);
    free(r->url);
    free(r->redirect);
}

/* Fetches path from h. */
static resp get_path(httpd *h, const char *path, const opts *o)
{
    char *url = httpd_url(h, path);
    resp r = get(url, o);
    free(url);
    return r;
}

/* Whether the response head has this exact line (without CRLF). */
static int has_line(const resp *r, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = r->head.data; (p = strstr(p, line)) != NULL; p++)
        if ((p == r->head.data || p[-1] == '\n') && p[n] == '\r')
            return 1;
    return 0;
}

/* The value of a response header (first, case-sensitive name), copied into out. */
static const char *head_value(const resp *r, const char *name, char *out, size_t outsz)
{
    char *key = xasprintf("\n%s: ", name);
    const char *p = strstr(r->head.data, key);
    const char *v = NULL;
    if (p) {
        p += strlen(key);
        size_t n = strcspn(p, "\r\n");
        snprintf(out, outsz, "%.*s", (int)n, p);
        v = out;
    }
    free(key);
    return v;
}

static void add(httpd *h, const httpd_route *r)
{
    httpd_route_add(h, r);
}

static int setup(void **state)
{
    httpd *h = httpd_start();
    assert_non_null(h);
    assert_true(httpd_port(h) > 0);
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    httpd_stop(*state);
    return 0;
}

/* ---- raw sockets, for what curl will not send ---- */

static int raw_connect(httpd *h)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)httpd_port(h)) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    return fd;
}

/* Sends req (len bytes), reads until EOF (at most 3 s); caller frees. */
static char *raw_exchange(httpd *h, const char *req, size_t len)
{
    int fd = raw_connect(h);
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the server may answer 431 and stop reading */
        off += (size_t)n;
    }
    shutdown(fd, SHUT_WR);
    core_buf b;
    core_buf_init(&b, MiB);
    double deadline = now_ms() + 3000;
    char chunk[4096];
    while (now_ms() < deadline) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t n = recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            break;
        core_buf_add(&b, chunk, (size_t)n);
    }
    close(fd);
    return core_buf_take(&b);
}

/* ---- tests ---- */

static void test_ok_body_and_headers(void **state)
{
    httpd *h = *state;
    static const char body[] = "<rss>\0binary\xff</rss>";
    add(h, &(httpd_route){ .path = "/feed",
                           .body = body,
                           .body_len = sizeof body - 1,
                           .content_type = "application/rss+xml; charset=GBK",
                           .headers = "X-One: 1\r\nX-Two: two" });
    resp r = get_path(h, "/feed", NULL);
    assert_int_equal(r.rc, CURLE_OK);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body.len, sizeof body - 1);
    assert_memory_equal(r.body.data, body, sizeof body - 1);
    assert_true(has_line(&r, "HTTP/1.1 200 OK"));
    assert_true(has_line(&r, "Content-Type: application/rss+xml; charset=GBK"));
    assert_true(has_line(&r, "X-One: 1"));
    assert_true(has_line(&r, "X-Two: two"));
    assert_true(has_line(&r, "Connection: close"));
    assert_true(has_line(&r, "Content-Length: 19"));
    resp_free(&r);

    /* HEAD: the same headers, no body */
    r = get_path(h, "/feed", &(opts){ .head = 1 });
    assert_int_equal(r.rc, CURLE_OK);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body.len, 0);
    assert_true(has_line(&r, "Content-Length: 19"));
    resp_free(&r);

    /* no Content-Type when the route has none */
    add(h, &(httpd_route){ .path = "/bare", .body = "x", .body_len = 1 });
    r = get_path(h, "/bare", NULL);
    assert_int_equal(r.rc, CURLE_OK);
    assert_null(strstr(r.head.data, "Content-Type"));
    resp_free(&r);
    assert_int_equal(httpd_hits(h, "/feed"), 2);
    assert_int_equal(httpd_hits(h, "/bare"), 1);
}

static void test_statuses_and_retry_after(void **state)
{
    httpd *h = *state;
    add(h, &(httpd_route){ .path = "/busy", .status = 503, .headers = "Retry-After: 2\r\n" });
    add(h,
        &(httpd_route){ .path = "/slow-down", .status = 429, .headers = "Retry-After: 120\r\n" });
    add(h, &(httpd_route){ .path = "/broken", .status = 500, .body = "oops", .body_len = 4 });
    char v[64];
    resp r = get_path(h, "/busy", NULL);
    assert_int_equal(r.rc, CURLE_OK);
    assert_int_equal(r.status, 503);
    assert_string_equal(head_value(&r, "Retry-After", v, sizeof v), "2");
    assert_true(has_line(&r, "HTTP/1.1 503 Service Unavailable"));
    resp_free(&r);
    r = get_path(h, "/slow-down", NULL);
    assert_int_equal(r.status, 429);
    assert_string_equal(head_value(&r, "Retry-After", v, sizeof v), "120");
    resp_free(&r);
    r = get_path(h, "/broken", NULL);
    assert_int_equal(r.status, 500);
    assert_string_equal(r.body.data, "oops");
    resp_free(&r);
    r = get_path(h, "/nowhere", NULL);
    assert_int_equal(r.rc, CURLE_OK);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    assert_int_equal(httpd_hits(h, "/nowhere"), 1);
}

static void test_query_routes_and_replacement(void **state)
{
    httpd *h = *state;
    add(h, &(httpd_route){ .path = "/q", .body = "plain", .body_len = 5 });
    add(h, &(httpd_route){ .path = "/q?page=2", .match_query = 1, .body = "two", .body_len = 3 });
    resp r = get_path(h, "/q?page=1", NULL);
    assert_string_equal(r.body.data, "plain");
    resp_free(&r);
    r = get_path(h, "/q?page=2", NULL);
    assert_string_equal(r.body.data, "two");
    resp_free(&r);
    r = get_path(h, "/q", NULL);
    assert_string_equal(r.body.data, "plain");
    resp_free(&r);
    assert_int_equal(httpd_hits(h, "/q"), 3);
    assert_int_equal(httpd_hits(h, "/q?page=2"), 1);
    assert_int_equal(httpd_hits(h, "/q?page=9"), 0);

    /* the same path again replaces the route */
    add(h, &(httpd_route){ .path = "/q", .body = "new", .body_len = 3, .status = 201 });
    r = get_path(h, "/q", NULL);
    assert_int_equal(r.status, 201);
    assert_string_equal(r.body.data, "new");
    resp_free(&r);
}

static void test_request_header_capture(void **state)
{
    httpd *h = *state;
    add(h, &(httpd_route){ .path = "/ua", .body = "ok", .body_len = 2 });
    resp r = get_path(h, "/ua", &(opts){ .useragent = "xcdash-test/1.0" });
    assert_int_equal(r.rc, CURLE_OK);
    resp_free(&r);
    r = get_path(h, "/ua?x=1",
                 &(opts){ .useragent = "xcdash-test/2.0", .header = "X-Trace:   abc  " });
    resp_free(&r);
    char *ua = httpd_last_header(h, "/ua", "user-agent");
    assert_string_equal(ua, "xcdash-test/2.0");
    free(ua);
    char *tr = httpd_last_header(h, "/ua?x=1", "X-TRACE");
    assert_string_equal(tr, "abc");
    free(tr);
    assert_null(httpd_last_header(h, "/ua", "If-None-Match"));
    assert_null(httpd_last_header(h, "/never", "User-Agent"));
}

static void test_conditional_304(void **state)
{
    httpd *h = *state;
    add(h, &(httpd_route){ .path = "/c",
                           .mode = HTTPD_CONDITIONAL,
                           .body = "v1",
                           .body_len = 2,
                           .content_type = "text/plain" });
    char etag[64], lm[64];
    resp r = get_path(h, "/c", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body.data, "v1");
    assert_non_null(head_value(&r, "ETag", etag, sizeof etag));
    assert_string_equal(head_value(&r, "Last-Modified", lm, sizeof lm),
                        "Mon, 01 Jan 2024 00:00:00 GMT");
    resp_free(&r);

    char *inm = xasprintf("If-None-Match: %s", etag);
    r = get_path(h, "/c", &(opts){ .header = inm });
    assert_int_equal(r.rc, CURLE_OK);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.body.len, 0);
    assert_true(has_line(&r, "HTTP/1.1 304 Not Modified"));
    resp_free(&r);
    char *seen = httpd_last_header(h, "/c", "If-None-Match");
    assert_string_equal(seen, etag);
    free(seen);

    /* weak comparison, lists, and a tag that does not match */
    char *weak = xasprintf("If-None-Match: \"zzz\", W/%s", etag);
    r = get_path(h, "/c", &(opts){ .header = weak });
    assert_int_equal(r.status, 304);
    resp_free(&r);
    r = get_path(h, "/c", &(opts){ .header = "If-None-Match: \"other\"" });
    assert_int_equal(r.status, 200);
    resp_free(&r);

    /* If-Modified-Since: equal or later gives 304, earlier gives 200 */
    char *ims = xasprintf("If-Modified-Since: %s", lm);
    r = get_path(h, "/c", &(opts){ .header = ims });
    assert_int_equal(r.status, 304);
    resp_free(&r);
    r = get_path(h, "/c", &(opts){ .header = "If-Modified-Since: Sun, 31 Dec 2023 23:59:59 GMT" });
    assert_int_equal(r.status, 200);
    resp_free(&r);

    /* a new body: new ETag, later Last-Modified, the old validators miss */
    add(h, &(httpd_route){ .path = "/c", .mode = HTTPD_CONDITIONAL, .body = "v2", .body_len = 2 });
    r = get_path(h, "/c", &(opts){ .header = inm });
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body.data, "v2");
    char etag2[64], lm2[64];
    assert_string_not_equal(head_value(&r, "ETag", etag2, sizeof etag2), etag);
    assert_string_equal(head_value(&r, "Last-Modified", lm2, sizeof lm2),
                        "Mon, 01 Jan 2024 01:00:00 GMT");
    resp_free(&r);
    r = get_path(h, "/c", &(opts){ .header = ims });
    assert_int_equal(r.status, 200);
    resp_free(&r);
    free(inm);
    free(weak);
    free(ims);
    assert_int_equal(httpd_hits(h, "/c"), 8);
}

static void test_drip(void **state)
{
    httpd *h = *state;
    static const char body[] = "0123456789abcdefghij"; /* 20 bytes: 5 pieces of 4 */
    add(h, &(httpd_route){ .path = "/drip",
                           .mode = HTTPD_DRIP,
                           .body = body,
                           .body_len = 20,
                           .drip_bytes = 4,
                           .drip_ms = 40 });
    resp r = get_path(h, "/drip", NULL);
    assert_int_equal(r.rc, CURLE_OK);
    assert_string_equal(r.body.data, body);
    assert_true(r.ms >= 5 * 40);
    assert_true(r.ms < 2000);
    resp_free(&r);
}

static void test_stall_times_out(void **state)
{
    httpd *h = *state;
    add(h, &(httpd_route){ .path = "/stall", .mode = HTTPD_STALL, .body = "never", .body_len = 5 });
    resp r = get_path(h, "/stall", &(opts){ .timeout_ms = 300 });
    assert_int_equal(r.rc, CURLE_OPERATION_TIMEDOUT);
    assert_int_equal(r.status, 200); /* the headers came */
    assert_true(has_line(&r, "Content-Length: 5"));
    assert_int_equal(r.body.len, 0);
    assert_true(r.ms >= 290 && r.ms < 2000); /* curl counts whole milliseconds */
    resp_free(&r);
}

static void test_truncate(void **state)
{
    httpd *h = *state;
    static const char body[] = "0123456789abcdefghij";
    add(h, &(httpd_route){ .path = "/t", .mode = HTTPD_TRUNCATE, .body = body, .body_len = 20 });
    resp r = get_path(h, "/t", NULL);
    assert_int_equal(r.rc, CURLE_PARTIAL_FILE);
    assert_int_equal(r.body.len, 10);
    assert_memory_equal(r.body.data, body, 10);
    resp_free(&r);
}

static void test_chunked_cut(void **state)
{
    httpd *h = *state;
    static const char body[] = "0123456789abcdefghij";
    add(h, &(httpd_route){ .path = "/chunk",
                           .mode = HTTPD_CHUNKED_CUT,
                           .body = body,
                           .body_len = 20,
                           .drip_bytes = 7 });
    resp r = get_path(h, "/chunk", NULL);
    assert_true(r.rc == CURLE_PARTIAL_FILE || r.rc == CURLE_RECV_ERROR);
    assert_true(has_line(&r, "Transfer-Encoding: chunked"));
    assert_true(r.body.len <= 20);
    assert_memory_equal(r.body.data, body, r.body.len);
    resp_free(&r);
}

static void test_redirects(void **state)
{
    httpd *h = *state;
    add(h, &(httpd_route){ .path = "/target", .body = "here", .body_len = 4 });
    add(h, &(httpd_route){ .path = "/rel", .mode = HTTPD_REDIRECT, .location = "target" });
    add(h, &(httpd_route){
               .path = "/perm", .mode = HTTPD_REDIRECT, .status = 301, .location = "/rel" });
    resp r = get_path(h, "/perm", &(opts){ .follow = 1 });
    assert_int_equal(r.rc, CURLE_OK);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body.data, "here");
    char *want = httpd_url(h, "/target");
    assert_string_equal(r.url, want);
    free(want);
    assert_true(has_line(&r, "HTTP/1.1 301 Moved Permanently"));
    assert_true(has_line(&r, "HTTP/1.1 302 Found"));
    resp_free(&r);

    /* a loop */
    add(h, &(httpd_route){ .path = "/a", .mode = HTTPD_REDIRECT, .location = "/b" });
    add(h, &(httpd_route){ .path = "/b", .mode = HTTPD_REDIRECT, .location = "/a" });
    r = get_path(h, "/a", &(opts){ .follow = 1 });
    assert_int_equal(r.rc, CURLE_TOO_MANY_REDIRECTS);
    assert_int_equal(httpd_hits(h, "/a") + httpd_hits(h, "/b"), 6);
    resp_free(&r);

    /* to file:// — sent as given, not followed here */
    add(h, &(httpd_route){
               .path = "/file", .mode = HTTPD_REDIRECT, .location = "file:///etc/passwd" });
    r = get_path(h, "/file", NULL);
    assert_int_equal(r.status, 302);
    assert_string_equal(r.redirect, "file:///etc/passwd");
    resp_free(&r);

    /* to another port */
    httpd *other = httpd_start();
    assert_non_null(other);
    add(other, &(httpd_route){ .path = "/there", .body = "other", .body_len = 5 });
    char *loc = httpd_url(other, "/there");
    add(h,
        &(httpd_route){ .path = "/away", .mode = HTTPD_REDIRECT, .status = 307, .location = loc });
    r = get_path(h, "/away", &(opts){ .follow = 1 });
    assert_int_equal(r.rc, CURLE_OK);
    assert_string_equal(r.body.data, "other");
    assert_string_equal(r.url, loc);
    resp_free(&r);
    assert_int_equal(httpd_hits(other, "/there"), 1);
    free(loc);
    httpd_stop(other);
}

static void test_endless(void **state)
{
    httpd *h = *state;
    add(h,
        &(httpd_route){ .path = "/inf", .mode = HTTPD_ENDLESS, .body = "<item/>", .body_len = 7 });
    resp r = get_path(h, "/inf", &(opts){ .cap = 4 * MiB });
    assert_int_equal(r.rc, CURLE_WRITE_ERROR);
    assert_true(r.capped);
    assert_null(strstr(r.head.data, "Content-Length"));
    assert_null(strstr(r.head.data, "Transfer-Encoding"));
    assert_true(r.body.len > 3 * MiB);
    assert_memory_equal(r.body.data, "<item/><item/>", 14);
    resp_free(&r);
}

/* Whether all n bytes are zero. */
static int all_zero(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static void test_gzip_bomb(void **state)
{
    httpd *h = *state;
    add(h, &(httpd_route){ .path = "/bomb", .mode = HTTPD_GZIP_BOMB }); /* 1 GiB of zeros */
    resp r = get_path(h, "/bomb", &(opts){ .encoding = "", .cap = 8 * MiB });
    assert_int_equal(r.rc, CURLE_WRITE_ERROR);
    assert_true(r.capped);
    assert_true(has_line(&r, "Content-Encoding: gzip"));
    char v[64];
    long long clen = atoll(head_value(&r, "Content-Length", v, sizeof v));
    assert_true(clen > 512 * 1024 && clen < 2 * (long long)MiB); /* ~1000:1 */
    assert_true(r.body.len > 7 * MiB);
    assert_true(all_zero(r.body.data, r.body.len));
    resp_free(&r);

    /* a small one decodes completely: the stream, CRC and length are valid */
    size_t n = 3 * MiB + 12345;
    add(h, &(httpd_route){ .path = "/small", .mode = HTTPD_GZIP_BOMB, .bomb_bytes = n });
    r = get_path(h, "/small", &(opts){ .encoding = "" });
    assert_int_equal(r.rc, CURLE_OK);
    assert_int_equal(r.body.len, n);
    assert_true(all_zero(r.body.data, n));
    resp_free(&r);

    /* an exact multiple of the repeated block, too */
    add(h, &(httpd_route){ .path = "/even", .mode = HTTPD_GZIP_BOMB, .bomb_bytes = 2 * MiB });
    r = get_path(h, "/even", &(opts){ .encoding = "" });
    assert_int_equal(r.rc, CURLE_OK);
    assert_int_equal(r.body.len, 2 * MiB);
    resp_free(&r);
}

static void test_gzip_body(void **state)
{
    httpd *h = *state;
    static const char body[] = "<feed>gzip me gzip me gzip me</feed>";
    add(h, &(httpd_route){ .path = "/gz",
                           .mode = HTTPD_GZIP,
                           .body = body,
                           .body_len = sizeof body - 1,
                           .content_type = "application/atom+xml" });
    resp r = get_path(h, "/gz", &(opts){ .encoding = "" });
    assert_int_equal(r.rc, CURLE_OK);
    assert_string_equal(r.body.data, body);
    assert_true(has_line(&r, "Content-Encoding: gzip"));
    resp_free(&r);
    char *ae = httpd_last_header(h, "/gz", "Accept-Encoding");
    assert_non_null(strstr(ae, "gzip"));
    free(ae);
    /* without decoding, the raw bytes are a gzip stream */
    r = get_path(h, "/gz", NULL);
    assert_int_equal(r.rc, CURLE_OK);
    assert_true(r.body.len > 2);
    assert_memory_equal(r.body.data, "\x1f\x8b", 2);
    resp_free(&r);
}

static void test_close(void **state)
{
    httpd *h = *state;
    add(h, &(httpd_route){ .path = "/drop", .mode = HTTPD_CLOSE });
    resp r = get_path(h, "/drop", NULL);
    assert_int_equal(r.rc, CURLE_GOT_NOTHING);
    resp_free(&r);
    assert_int_equal(httpd_hits(h, "/drop"), 1);
}

typedef struct worker {
    httpd *h;
    const char *path;
    long timeout_ms;
    resp r;
} worker;

static void *worker_main(void *arg)
{
    worker *w = arg;
    w->r = get_path(w->h, w->path, &(opts){ .timeout_ms = w->timeout_ms });
    return NULL;
}

static void test_concurrency(void **state)
{
    httpd *h = *state;
    add(h, &(httpd_route){ .path = "/slow",
                           .mode = HTTPD_DRIP,
                           .body = "abcdefgh",
                           .body_len = 8,
                           .drip_bytes = 1,
                           .drip_ms = 50 });
    enum { N = 4 };
    worker w[N];
    pthread_t t[N];
    for (int i = 0; i < N; i++) {
        w[i] = (worker){ .h = h, .path = "/slow" };
        assert_int_equal(pthread_create(&t[i], NULL, worker_main, &w[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].r.rc, CURLE_OK);
        assert_string_equal(w[i].r.body.data, "abcdefgh");
        resp_free(&w[i].r);
    }
    assert_int_equal(httpd_max_concurrent(h), N);
    assert_int_equal(httpd_hits(h, "/slow"), N);
}

static void test_stall_does_not_block_others(void **state)
{
    httpd *h = *state;
    add(h, &(httpd_route){ .path = "/stall", .mode = HTTPD_STALL, .body = "zz", .body_len = 2 });
    add(h, &(httpd_route){ .path = "/ok", .body = "fine", .body_len = 4 });
    worker w = { .h = h, .path = "/stall", .timeout_ms = 800 };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, worker_main, &w), 0);
    double deadline = now_ms() + 2000;
    while (httpd_hits(h, "/stall") == 0 && now_ms() < deadline) {
        struct timespec ts = { 0, 5 * 1000000L };
        nanosleep(&ts, NULL);
    }
    assert_int_equal(httpd_hits(h, "/stall"), 1);
    resp r = get_path(h, "/ok", NULL);
    assert_int_equal(r.rc, CURLE_OK);
    assert_string_equal(r.body.data, "fine");
    assert_true(r.ms < 1000);
    resp_free(&r);
    assert_int_equal(httpd_max_concurrent(h), 2);
    pthread_join(t, NULL);
    assert_int_equal(w.r.rc, CURLE_OPERATION_TIMEDOUT);
    resp_free(&w.r);
}

static void test_bad_requests(void **state)
{
    httpd *h = *state;
    add(h, &(httpd_route){ .path = "/x", .body = "x-body", .body_len = 6 });
    static const char garbage[] = "\x16\x03\x01\x02\x00 hello\r\n\r\n";
    char *out = raw_exchange(h, garbage, sizeof garbage - 1);
    assert_true(strncmp(out, "HTTP/1.1 400 ", 13) == 0);
    free(out);

    static const char bad[] = "GET /x HTTP/1.1\r\nbad header line\r\n\r\n";
    out = raw_exchange(h, bad, sizeof bad - 1);
    assert_true(strncmp(out, "HTTP/1.1 400 ", 13) == 0);
    free(out);

    /* a head past 64 KiB */
    size_t n = 70 * 1024;
    char *big = xmalloc(n);
    memcpy(big, "GET /x HTTP/1.1\r\nX-Big: ", 24);
    memset(big + 24, 'a', n - 24);
    out = raw_exchange(h, big, n);
    assert_true(strncmp(out, "HTTP/1.1 431 ", 13) == 0);
    free(out);
    free(big);

    /* bare LF line endings, HTTP/1.0 and absolute form are accepted */
    static const char lf[] = "GET http://127.0.0.1/x?y HTTP/1.0\nHost: a\nX-K: v\n\n";
    out = raw_exchange(h, lf, sizeof lf - 1);
    assert_true(strncmp(out, "HTTP/1.1 200 ", 13) == 0);
    assert_non_null(strstr(out, "\r\n\r\nx-body"));
    free(out);
    char *k = httpd_last_header(h, "/x?y", "X-K");
    assert_string_equal(k, "v");
    free(k);
    assert_int_equal(httpd_hits(h, "/x"), 1); /* malformed and oversized requests do not count */

    /* a client that connects and closes without a request is not a hit */
    close(raw_connect(h));
    assert_int_equal(httpd_hits(h, "/x"), 1);
}

static void test_stop_with_open_connections(void **state)
{
    (void)state;
    httpd *h = httpd_start();
    assert_non_null(h);
    add(h, &(httpd_route){ .path = "/stall", .mode = HTTPD_STALL, .body = "zz", .body_len = 2 });
    add(h, &(httpd_route){ .path = "/inf", .mode = HTTPD_ENDLESS });
    int idle = raw_connect(h); /* never sends a request */
    int stalled = raw_connect(h);
    const char *req = "GET /stall HTTP/1.1\r\nHost: a\r\n\r\n";
    assert_int_equal(send(stalled, req, strlen(req), MSG_NOSIGNAL), (ssize_t)strlen(req));
    int flooded = raw_connect(h); /* never reads the endless body */
    req = "GET /inf HTTP/1.1\r\nHost: a\r\n\r\n";
    assert_int_equal(send(flooded, req, strlen(req), MSG_NOSIGNAL), (ssize_t)strlen(req));
    double deadline = now_ms() + 2000;
    while ((httpd_hits(h, "/stall") == 0 || httpd_hits(h, "/inf") == 0) && now_ms() < deadline) {
        struct timespec ts = { 0, 5 * 1000000L };
        nanosleep(&ts, NULL);
    }
    struct timespec ts = { 0, 100 * 1000000L }; /* let the flood fill the socket buffers */
    nanosleep(&ts, NULL);
    assert_int_equal(httpd_max_concurrent(h), 2); /* responses in flight; the idle one has none */
    double t0 = now_ms();
    httpd_stop(h);
    assert_true(now_ms() - t0 < 1000);
    close(idle);
    close(stalled);
    close(flooded);
}

int main(void)
{
    if (curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK)
        return 1;
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_ok_body_and_headers),
        T(test_statuses_and_retry_after),
        T(test_query_routes_and_replacement),
        T(test_request_header_capture),
        T(test_conditional_304),
        T(test_drip),
        T(test_stall_times_out),
        T(test_truncate),
        T(test_chunked_cut),
        T(test_redirects),
        T(test_endless),
        T(test_gzip_bomb),
        T(test_gzip_body),
        T(test_close),
        T(test_concurrency),
        T(test_stall_does_not_block_others),
        T(test_bad_requests),
        cmocka_unit_test(test_stop_with_open_connections),
    };
#undef T
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
