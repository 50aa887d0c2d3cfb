/*
 * httpd.c — the loopback test server; see httpd.h.
 *
 * Design. httpd_start binds 127.0.0.1:0 and starts one acceptor thread. The
 * acceptor polls the listening socket in 50 ms slices so that it notices the
 * stop flag quickly; each accepted connection gets a thread of its own (at
 * most HTTPD_MAX_CONNS at once, the rest are closed at once), and the acceptor
 * joins finished ones as it goes and all of them when told to stop.
 *
 * A connection thread reads one request (the head only: at most 64 KiB,
 * within 10 s), records it, looks its route up, writes what the route's mode
 * asks for and closes: shutdown(SHUT_WR), then reads until the client's EOF
 * (at most 1 s), because closing a socket with unread input sends a RST that
 * can destroy response bytes the client has not read yet.
 *
 * Sockets are non-blocking. Every wait is a poll() or a nap of at most 50 ms
 * followed by a look at the stop flag, and every loop is capped in bytes or
 * time, so httpd_stop returns about 50 ms after it is called and a test that
 * forgets a client timeout still ends.
 *
 * Routes are reference-counted: a request holds the route it matched while
 * httpd_route_add replaces it. One mutex guards the routes, the request
 * statistics and the connection counters; it is never held during I/O.
 */
#define ZLIB_CONST
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "core/core.h"
#include "tests/support/httpd.h"

#define HTTPD_SLICE_MS     50    /* longest wait between looks at the stop flag */
#define HTTPD_MAX_HEAD     65536 /* request line and headers */
#define HTTPD_READ_MS      10000 /* the request head must arrive within this */
#define HTTPD_WRITE_MS     10000 /* a write making no progress this long ends the connection */
#define HTTPD_STALL_MS     30000 /* STALL gives up on a client that never closes */
#define HTTPD_LINGER_MS    1000  /* waiting for the client's EOF after the response */
#define HTTPD_MAX_CONNS    256   /* connections served at once; more are closed */
#define HTTPD_ENDLESS_CAP  ((size_t)256 << 20)
#define HTTPD_FILL         65536 /* ENDLESS send unit */
#define HTTPD_BOMB_DEFAULT ((size_t)1 << 30)
#define HTTPD_BOMB_MAX     ((size_t)16 << 30) /* about 16 MiB compressed */
#define HTTPD_BOMB_CHUNK   ((size_t)1 << 20)  /* compressed once, repeated */
#define HTTPD_EPOCH        1704067200LL       /* 2024-01-01 00:00:00 GMT, first Last-Modified */

/* A route as stored: owned copies, the bytes that go on the wire. */
typedef struct httpd_rt {
    char *path;
    int match_query;
    httpd_mode mode;
    int status;
    char *content_type, *headers, *location;
    char *body; /* gzip-compressed for the GZIP modes */
    size_t body_len;
    int drip_bytes, drip_ms;
    char etag[24];
    long long last_modified;
    int refs; /* the route list holds one; each request using it one more */
    struct httpd_rt *next;
} httpd_rt;

/* Requests seen for one path (or one path with its query). */
typedef struct httpd_stat {
    char *key;
    int hits;
    char *headers; /* the header lines of the last request, as received */
    struct httpd_stat *next;
} httpd_stat;

typedef struct httpd_conn {
    httpd *h;
    int fd;
    pthread_t tid;
    atomic_int done;
    struct httpd_conn *next;
} httpd_conn;

struct httpd {
    int fd, port;
    pthread_t acceptor;
    atomic_int stop;
    pthread_mutex_t mu; /* routes, stats, open, max_open */
    httpd_rt *routes;
    httpd_stat *stats;
    int open;               /* connections open (bounded by HTTPD_MAX_CONNS) */
    int inflight, max_open; /* responses being written, and the most at once */
    httpd_conn *conns;      /* the acceptor thread's own */
};

/* A parsed request head; pointers into the connection's buffer. */
typedef struct httpd_req {
    const char *method, *target, *path, *headers;
} httpd_req;

/* Monotonic microseconds: deadlines finer than the millisecond, so that a
 * nap of N ms never ends early. */
static long long httpd_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The moment ms milliseconds from now. */
static long long httpd_after_ms(long long ms)
{
    return httpd_now_us() + ms * 1000;
}

static int httpd_stopping(httpd *h)
{
    return atomic_load(&h->stop);
}

/* Waits for events on fd until deadline (httpd_now_us): 1 ready, 0 timed
 * out, -1 stopping or error. */
static int httpd_wait(httpd *h, int fd, short events, long long deadline)
{
    for (;;) {
        if (httpd_stopping(h))
            return -1;
        long long left = (deadline - httpd_now_us() + 999) / 1000;
        if (left <= 0)
            return 0;
        struct pollfd p = { .fd = fd, .events = events };
        int n = poll(&p, 1, left < HTTPD_SLICE_MS ? (int)left : HTTPD_SLICE_MS);
        if (n > 0)
            return 1;
        if (n < 0 && errno != EINTR)
            return -1;
    }
}

/* Sleeps ms in slices; -1 when the server is stopping. */
static int httpd_nap(httpd *h, int ms)
{
    long long deadline = httpd_after_ms(ms);
    for (;;) {
        if (httpd_stopping(h))
            return -1;
        long long left = deadline - httpd_now_us();
        if (left <= 0)
            return 0;
        if (left > HTTPD_SLICE_MS * 1000)
            left = HTTPD_SLICE_MS * 1000;
        struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)left * 1000L };
        nanosleep(&ts, NULL);
    }
}

/* Writes all of buf; -1 when the client went away, stalled too long, or the server stops. */
static int httpd_send(httpd *h, int fd, const void *buf, size_t len)
{
    const char *p = buf;
    long long deadline = httpd_after_ms(HTTPD_WRITE_MS);
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
            deadline = httpd_after_ms(HTTPD_WRITE_MS);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (httpd_wait(h, fd, POLLOUT, deadline) != 1)
                return -1;
        } else {
            return -1;
        }
    }
    return httpd_stopping(h) ? -1 : 0;
}

/* ---- time and validators ---- */

static const char httpd_days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char httpd_months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* IMF-fixdate ("Mon, 01 Jan 2024 00:00:00 GMT"), independent of the locale. */
static void httpd_date(long long t, char *out, size_t outsz)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    snprintf(out, outsz, "%s, %02d %s %04d %02d:%02d:%02d GMT", httpd_days[tm.tm_wday], tm.tm_mday,
             httpd_months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Parses an IMF-fixdate; -1 when it is not one. */
static long long httpd_parse_date(const char *s)
{
    char wday[4], mon[4];
    int d, y, hh, mm, ss;
    if (sscanf(s, " %3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT", wday, &d, mon, &y, &hh, &mm,
               &ss) != 7)
        return -1;
    for (int m = 0; m < 12; m++) {
        if (strcasecmp(mon, httpd_months[m]) == 0) {
            struct tm tm = { .tm_year = y - 1900,
                             .tm_mon = m,
                             .tm_mday = d,
                             .tm_hour = hh,
                             .tm_min = mm,
                             .tm_sec = ss };
            return (long long)timegm(&tm);
        }
    }
    return -1;
}

/* FNV-1a: a stable entity tag for a body. */
static void httpd_etag(const char *p, size_t n, char *out, size_t outsz)
{
    uint64_t x = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        x ^= (unsigned char)p[i];
        x *= 1099511628211ULL;
    }
    snprintf(out, outsz, "\"%016llx\"", (unsigned long long)x);
}

/* Whether an If-None-Match list names etag (weak comparison) or is "*". */
static int httpd_etag_listed(const char *list, const char *etag)
{
    size_t elen = strlen(etag);
    const char *p = list;
    while (*p) { /* each pass consumes at least one byte */
        p += strspn(p, " \t,");
        if (*p == '\0')
            break;
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m > 0 && (p[m - 1] == ' ' || p[m - 1] == '\t'))
            m--;
        const char *tag = p;
        if (m >= 2 && tag[0] == 'W' && tag[1] == '/') {
            tag += 2;
            m -= 2;
        }
        if ((m == 1 && tag[0] == '*') || (m == elen && memcmp(tag, etag, m) == 0))
            return 1;
        p += n;
    }
    return 0;
}

/* ---- compression ---- */

/* The gzip stream of n bytes. */
static char *httpd_gzip(const char *in, size_t n, size_t *outlen)
{
    z_stream z = { 0 };
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    size_t cap = deflateBound(&z, n) + 64;
    char *out = xmalloc(cap);
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    z.next_in = (const Bytef *)in;
    int rc = Z_OK;
    size_t left = n;
    while (rc == Z_OK) { /* bounded: each call consumes input or finishes */
        uInt take = left > (1u << 30) ? (1u << 30) : (uInt)left;
        z.avail_in = take;
        left -= take;
        rc = deflate(&z, left > 0 ? Z_NO_FLUSH : Z_FINISH);
        left += z.avail_in;
    }
    if (rc != Z_STREAM_END)
        abort();
    *outlen = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

/* Raw-deflates n zero bytes from zeros with flush into out (cap bytes); returns the length. */
static size_t httpd_deflate_zeros(z_stream *z, const char *zeros, size_t n, int flush, char *out,
                                  size_t cap)
{
    z->next_in = (const Bytef *)zeros;
    z->avail_in = (uInt)n;
    z->next_out = (Bytef *)out;
    z->avail_out = (uInt)cap;
    int rc = deflate(z, flush);
    if (z->avail_in != 0 || z->avail_out == 0 || (rc != Z_OK && rc != Z_STREAM_END))
        abort();
    return cap - z->avail_out;
}

/*
 * A gzip stream of total zero bytes, built without compressing them all.
 * One 1 MiB block of zeros is deflated and ended with Z_FULL_FLUSH, which
 * byte-aligns the output and forgets the history: those bytes decode to 1 MiB
 * of zeros wherever they stand, so the stream is that block repeated, the
 * remainder deflated with Z_FINISH, and the trailer (CRC-32 combined
 * arithmetically, length mod 2^32).
 */
static char *httpd_bomb(size_t total, size_t *outlen)
{
    const size_t chunk = HTTPD_BOMB_CHUNK;
    char *zeros = xcalloc(1, chunk);
    size_t cap = chunk + 4096; /* zeros compress ~1000:1; this is far above the bound */
    char *block = xmalloc(cap), *tail = xmalloc(cap);
    z_stream z = { 0 };
    if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    size_t q = total / chunk, r = total % chunk;
    size_t blen = httpd_deflate_zeros(&z, zeros, chunk, Z_FULL_FLUSH, block, cap);
    size_t tlen = httpd_deflate_zeros(&z, zeros, r, Z_FINISH, tail, cap);
    deflateEnd(&z);

    uLong crc_chunk = crc32(0, (const Bytef *)zeros, (uInt)chunk);
    uLong crc = crc32(0, Z_NULL, 0);
    for (size_t i = 0; i < q; i++)
        crc = crc32_combine(crc, crc_chunk, (z_off_t)chunk);
    crc = crc32_combine(crc, crc32(0, (const Bytef *)zeros, (uInt)r), (z_off_t)r);

    static const unsigned char head[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3 };
    size_t n = sizeof head + q * blen + tlen + 8;
    unsigned char *out = xmalloc(n), *p = out;
    memcpy(p, head, sizeof head);
    p += sizeof head;
    for (size_t i = 0; i < q; i++, p += blen)
        memcpy(p, block, blen);
    memcpy(p, tail, tlen);
    p += tlen;
    uint32_t trailer[2] = { (uint32_t)crc, (uint32_t)total };
    for (int k = 0; k < 2; k++)
        for (int b = 0; b < 4; b++)
            *p++ = (unsigned char)(trailer[k] >> (8 * b));
    free(zeros);
    free(block);
    free(tail);
    *outlen = n;
    return (char *)out;
}

/* ---- routes and statistics (callers hold h->mu) ---- */

static void httpd_rt_unref(httpd_rt *rt)
{
    if (rt == NULL || --rt->refs > 0)
        return;
    free(rt->path);
    free(rt->content_type);
    free(rt->headers);
    free(rt->location);
    free(rt->body);
    free(rt);
}

static httpd_stat *httpd_stat_get(httpd *h, const char *key, size_t keylen)
{
    for (httpd_stat *s = h->stats; s; s = s->next)
        if (strlen(s->key) == keylen && memcmp(s->key, key, keylen) == 0)
            return s;
    httpd_stat *s = xcalloc(1, sizeof *s);
    s->key = xstrndup(key, keylen);
    s->next = h->stats;
    h->stats = s;
    return s;
}

static void httpd_record(httpd *h, const char *key, size_t keylen, const char *headers)
{
    httpd_stat *s = httpd_stat_get(h, key, keylen);
    s->hits++;
    free(s->headers);
    s->headers = xstrdup(headers);
}

/* The route for a request, referenced; NULL when none. */
static httpd_rt *httpd_lookup(httpd *h, const char *target, const char *path, size_t pathlen)
{
    httpd_rt *plain = NULL;
    for (httpd_rt *rt = h->routes; rt; rt = rt->next) {
        if (rt->match_query && strcmp(rt->path, target) == 0) {
            rt->refs++;
            return rt;
        }
        if (!rt->match_query && plain == NULL && strlen(rt->path) == pathlen &&
            memcmp(rt->path, path, pathlen) == 0)
            plain = rt;
    }
    if (plain)
        plain->refs++;
    return plain;
}

/* ---- responses ---- */

static const char *httpd_reason(int status)
{
    static const struct {
        int status;
        const char *text;
    } reasons[] = {
        { 200, "OK" },
        { 201, "Created" },
        { 204, "No Content" },
        { 301, "Moved Permanently" },
        { 302, "Found" },
        { 303, "See Other" },
        { 304, "Not Modified" },
        { 307, "Temporary Redirect" },
        { 308, "Permanent Redirect" },
        { 400, "Bad Request" },
        { 403, "Forbidden" },
        { 404, "Not Found" },
        { 410, "Gone" },
        { 429, "Too Many Requests" },
        { 431, "Request Header Fields Too Large" },
        { 500, "Internal Server Error" },
        { 502, "Bad Gateway" },
        { 503, "Service Unavailable" },
        { 504, "Gateway Timeout" },
    };
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (reasons[i].status == status)
            return reasons[i].text;
    return "Status";
}

/* Whether a status never has a body. */
static int httpd_bodiless(int status)
{
    return (status >= 100 && status < 200) || status == 204 || status == 304;
}

/* Sends the status line and headers: the route's Content-Type and extra
 * lines (when rt), the mode's lines (extra), Content-Length when len >= 0. */
static int httpd_send_head(httpd *h, int fd, const httpd_rt *rt, int status, const char *extra,
                           long long len)
{
    core_buf b;
    core_buf_init(&b, 2 * HTTPD_MAX_HEAD + (rt && rt->headers ? strlen(rt->headers) : 0));
    core_buf_printf(&b, "HTTP/1.1 %d %s\r\n", status, httpd_reason(status));
    if (rt && rt->content_type && status != 304)
        core_buf_printf(&b, "Content-Type: %s\r\n", rt->content_type);
    if (extra)
        core_buf_printf(&b, "%s", extra);
    if (rt && rt->headers && *rt->headers) {
        core_buf_printf(&b, "%s", rt->headers);
        size_t n = strlen(rt->headers);
        if (n < 2 || memcmp(rt->headers + n - 2, "\r\n", 2) != 0)
            core_buf_printf(&b, "\r\n");
    }
    if (len >= 0 && !httpd_bodiless(status))
        core_buf_printf(&b, "Content-Length: %lld\r\n", len);
    core_buf_printf(&b, "Connection: close\r\n\r\n");
    int rc = httpd_send(h, fd, b.data, b.len);
    core_buf_free(&b);
    return rc;
}

/* A short complete response that is not a route's (400, 404, 431). */
static void httpd_send_plain(httpd *h, int fd, int status, int head_only)
{
    char body[64];
    int n = snprintf(body, sizeof body, "%d %s\n", status, httpd_reason(status));
    if (httpd_send_head(h, fd, NULL, status, "Content-Type: text/plain\r\n", n) == 0 && !head_only)
        httpd_send(h, fd, body, (size_t)n);
}

/* Whether a CONDITIONAL route answers this request with 304. */
static int httpd_not_modified(const httpd_rt *rt, const char *inm, const char *ims)
{
    if (inm)
        return httpd_etag_listed(inm, rt->etag);
    if (ims) {
        long long t = httpd_parse_date(ims);
        return t >= 0 && rt->last_modified <= t;
    }
    return 0;
}

/* Whether header line l (len bytes, no '\n') is name's (case-insensitive);
 * sets its value without surrounding whitespace. */
static int httpd_header_is(const char *l, size_t len, const char *name, const char **v,
                           size_t *vlen)
{
    size_t nlen = strlen(name);
    if (len <= nlen || l[nlen] != ':' || strncasecmp(l, name, nlen) != 0)
        return 0;
    const char *p = l + nlen + 1;
    size_t n = len - nlen - 1;
    while (n > 0 && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
        n--;
    *v = p;
    *vlen = n;
    return 1;
}

/* The first value of header name in header lines, copied into out (cut to
 * fit); NULL when absent. */
static const char *httpd_find_header(const char *headers, const char *name, char *out, size_t outsz)
{
    for (const char *l = headers; *l;) {
        size_t len = strcspn(l, "\n");
        const char *v;
        size_t vlen;
        if (httpd_header_is(l, len, name, &v, &vlen)) {
            if (vlen >= outsz)
                vlen = outsz - 1;
            memcpy(out, v, vlen);
            out[vlen] = '\0';
            return out;
        }
        l += len + (l[len] == '\n');
    }
    return NULL;
}

static void httpd_drip(httpd *h, int fd, const httpd_rt *rt)
{
    size_t step = rt->drip_bytes > 0 ? (size_t)rt->drip_bytes : 1;
    int ms = rt->drip_ms > 0 ? rt->drip_ms : 10;
    for (size_t off = 0; off < rt->body_len; off += step) {
        size_t n = rt->body_len - off < step ? rt->body_len - off : step;
        if (httpd_nap(h, ms) != 0 || httpd_send(h, fd, rt->body + off, n) != 0)
            return;
    }
}

/* Waits, reading and discarding, until the client closes (or the caps). */
static void httpd_stall(httpd *h, int fd, int ms)
{
    long long deadline = httpd_after_ms(ms);
    char junk[4096];
    while (httpd_wait(h, fd, POLLIN, deadline) == 1) {
        ssize_t n = recv(fd, junk, sizeof junk, 0);
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK))
            return;
    }
}

static void httpd_chunked_cut(httpd *h, int fd, const httpd_rt *rt)
{
    size_t step = rt->drip_bytes > 0 ? (size_t)rt->drip_bytes : 1024;
    for (size_t off = 0; off < rt->body_len; off += step) {
        size_t n = rt->body_len - off < step ? rt->body_len - off : step;
        char size[32];
        int k = snprintf(size, sizeof size, "%zx\r\n", n);
        if (httpd_send(h, fd, size, (size_t)k) != 0 || httpd_send(h, fd, rt->body + off, n) != 0 ||
            httpd_send(h, fd, "\r\n", 2) != 0)
            return;
    }
    /* no "0\r\n\r\n": that is the fault */
}

/* The body (or lines of 'x') over and over, in sends of at least 64 KiB. */
static void httpd_endless(httpd *h, int fd, const httpd_rt *rt)
{
    char *fill = NULL;
    const char *unit = rt->body;
    size_t n = rt->body_len;
    if (n < HTTPD_FILL) {
        fill = xmalloc(HTTPD_FILL);
        n = 0;
        if (rt->body_len == 0) {
            for (; n + 64 <= HTTPD_FILL; n += 64) {
                memset(fill + n, 'x', 63);
                fill[n + 63] = '\n';
            }
        } else {
            for (; n + rt->body_len <= HTTPD_FILL; n += rt->body_len)
                memcpy(fill + n, rt->body, rt->body_len);
        }
        unit = fill;
    }
    for (size_t sent = 0; sent < HTTPD_ENDLESS_CAP; sent += n)
        if (httpd_send(h, fd, unit, n) != 0)
            break;
    free(fill);
}

/* Answers one parsed request with its route. */
static void httpd_respond(httpd *h, int fd, const httpd_rt *rt, const httpd_req *rq)
{
    int head_only = strcmp(rq->method, "HEAD") == 0;
    const char *body = rt->body;
    long long len = (long long)rt->body_len;
    char extra[512], lm[64], inm[1024], ims[128];

    switch (rt->mode) {
    case HTTPD_OK:
    case HTTPD_GZIP:
    case HTTPD_GZIP_BOMB: {
        int status = rt->status ? rt->status : 200;
        const char *ce = rt->mode == HTTPD_OK ? NULL : "Content-Encoding: gzip\r\n";
        if (httpd_send_head(h, fd, rt, status, ce, len) == 0 && !head_only &&
            !httpd_bodiless(status))
            httpd_send(h, fd, body, rt->body_len);
        return;
    }
    case HTTPD_CONDITIONAL: {
        httpd_date(rt->last_modified, lm, sizeof lm);
        snprintf(extra, sizeof extra, "ETag: %s\r\nLast-Modified: %s\r\n", rt->etag, lm);
        int nm = httpd_not_modified(
            rt, httpd_find_header(rq->headers, "If-None-Match", inm, sizeof inm),
            httpd_find_header(rq->headers, "If-Modified-Since", ims, sizeof ims));
        int status = nm ? 304 : rt->status ? rt->status : 200;
        if (httpd_send_head(h, fd, rt, status, extra, len) == 0 && !head_only &&
            !httpd_bodiless(status))
            httpd_send(h, fd, body, rt->body_len);
        return;
    }
    case HTTPD_DRIP:
        if (httpd_send_head(h, fd, rt, rt->status ? rt->status : 200, NULL, len) == 0 && !head_only)
            httpd_drip(h, fd, rt);
        return;
    case HTTPD_STALL:
        if (httpd_send_head(h, fd, rt, rt->status ? rt->status : 200, NULL, len) == 0 && !head_only)
            httpd_stall(h, fd, HTTPD_STALL_MS);
        return;
    case HTTPD_TRUNCATE:
        if (httpd_send_head(h, fd, rt, rt->status ? rt->status : 200, NULL, len) == 0 && !head_only)
            httpd_send(h, fd, body, rt->body_len / 2);
        return;
    case HTTPD_CHUNKED_CUT:
        if (httpd_send_head(h, fd, rt, rt->status ? rt->status : 200,
                            "Transfer-Encoding: chunked\r\n", -1) == 0 &&
            !head_only)
            httpd_chunked_cut(h, fd, rt);
        return;
    case HTTPD_REDIRECT: {
        const char *loc = rt->location ? rt->location : "/";
        char *hdr = xasprintf("Location: %s\r\n", loc);
        char *msg = xasprintf("Redirecting to %s\n", loc);
        if (httpd_send_head(h, fd, rt, rt->status ? rt->status : 302, hdr,
                            (long long)strlen(msg)) == 0 &&
            !head_only)
            httpd_send(h, fd, msg, strlen(msg));
        free(hdr);
        free(msg);
        return;
    }
    case HTTPD_ENDLESS:
        if (httpd_send_head(h, fd, rt, rt->status ? rt->status : 200, NULL, -1) == 0 && !head_only)
            httpd_endless(h, fd, rt);
        return;
    case HTTPD_CLOSE:
        return;
    }
}

/* ---- requests ---- */

/* Reads until the end of the head: its length (terminator included), 0
 * when the client closed, timed out or the server stops, -1 past the limit. */
static long httpd_read_head(httpd *h, int fd, char *buf, size_t cap)
{
    size_t len = 0;
    long long deadline = httpd_after_ms(HTTPD_READ_MS);
    while (len < cap) {
        int w = httpd_wait(h, fd, POLLIN, deadline);
        if (w != 1)
            return 0;
        ssize_t n = recv(fd, buf + len, cap - len, 0);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            return 0;
        }
        size_t from = len > 3 ? len - 3 : 0;
        len += (size_t)n;
        for (size_t i = from; i + 1 < len; i++) {
            if (buf[i] != '\n')
                continue;
            if (buf[i + 1] == '\n')
                return (long)(i + 2);
            if (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n')
                return (long)(i + 3);
        }
    }
    return -1;
}

static int httpd_tchar(unsigned char c)
{
    return c > 0x20 && c < 0x7f && !strchr("\"(),/:;<=>?@[\\]{}", c);
}

/* Splits a NUL-terminated head into rq, in place; -1 when it is not HTTP/1.x. */
static int httpd_parse(char *head, httpd_req *rq)
{
    size_t line = strcspn(head, "\n");
    char *rest = head + line + (head[line] == '\n');
    head[line] = '\0';
    if (line > 0 && head[line - 1] == '\r')
        head[line - 1] = '\0';

    char *sp1 = strchr(head, ' ');
    if (sp1 == NULL)
        return -1;
    char *sp2 = strchr(sp1 + 1, ' ');
    if (sp2 == NULL || strchr(sp2 + 1, ' '))
        return -1;
    *sp1 = *sp2 = '\0';
    rq->method = head;
    rq->target = sp1 + 1;
    const char *version = sp2 + 1;
    if (*rq->method == '\0' || strlen(rq->method) > 32)
        return -1;
    for (const char *p = rq->method; *p; p++)
        if (!httpd_tchar((unsigned char)*p))
            return -1;
    if (strncmp(version, "HTTP/1.", 7) != 0 || version[7] < '0' || version[7] > '9' ||
        version[8] != '\0')
        return -1;
    for (const unsigned char *p = (const unsigned char *)rq->target; *p; p++)
        if (*p <= 0x20 || *p == 0x7f)
            return -1;
    /* absolute form (a proxy request): keep from the path on */
    const char *t = rq->target;
    if (strncasecmp(t, "http://", 7) == 0 || strncasecmp(t, "https://", 8) == 0) {
        const char *slash = strchr(strstr(t, "//") + 2, '/');
        t = slash ? slash : "/";
    }
    if (*t != '/' && strcmp(t, "*") != 0)
        return -1;
    rq->target = t;
    rq->path = t;

    /* header lines: "name: value", no folding */
    for (const char *l = rest; *l;) {
        size_t len = strcspn(l, "\n");
        size_t end = len > 0 && l[len - 1] == '\r' ? len - 1 : len;
        if (end > 0) {
            size_t name = 0;
            while (name < end && httpd_tchar((unsigned char)l[name]))
                name++;
            if (name == 0 || name >= end || l[name] != ':')
                return -1;
        }
        l += len + (l[len] == '\n');
    }
    rq->headers = rest;
    return 0;
}

static void httpd_linger_close(httpd *h, int fd)
{
    shutdown(fd, SHUT_WR);
    httpd_stall(h, fd, HTTPD_LINGER_MS);
    close(fd);
}

static void httpd_handle(httpd *h, int fd)
{
    char *buf = xmalloc(HTTPD_MAX_HEAD + 1);
    long n = httpd_read_head(h, fd, buf, HTTPD_MAX_HEAD);
    if (n < 0) {
        httpd_send_plain(h, fd, 431, 0);
    } else if (n > 0) {
        buf[n] = '\0';
        httpd_req rq;
        if (httpd_parse(buf, &rq) != 0) {
            httpd_send_plain(h, fd, 400, 0);
        } else {
            size_t pathlen = strcspn(rq.target, "?#");
            pthread_mutex_lock(&h->mu);
            httpd_record(h, rq.target, pathlen, rq.headers);
            if (rq.target[pathlen] != '\0')
                httpd_record(h, rq.target, strlen(rq.target), rq.headers);
            httpd_rt *rt = httpd_lookup(h, rq.target, rq.target, pathlen);
            pthread_mutex_unlock(&h->mu);
            if (rt) {
                /* Concurrency is counted per response, not per connection: a closed
                 * connection lingers here after the client has moved on. The count drops
                 * as soon as the last byte is handed to the kernel, before the client can
                 * have read it, so the figure never exceeds what the client had in flight. */
                pthread_mutex_lock(&h->mu);
                if (++h->inflight > h->max_open)
                    h->max_open = h->inflight;
                pthread_mutex_unlock(&h->mu);
                httpd_respond(h, fd, rt, &rq);
                pthread_mutex_lock(&h->mu);
                h->inflight--;
                httpd_rt_unref(rt);
                pthread_mutex_unlock(&h->mu);
            } else {
                httpd_send_plain(h, fd, 404, strcmp(rq.method, "HEAD") == 0);
            }
        }
    }
    free(buf);
    httpd_linger_close(h, fd);
}

/* ---- threads ---- */

static void *httpd_conn_main(void *arg)
{
    httpd_conn *c = arg;
    httpd_handle(c->h, c->fd);
    pthread_mutex_lock(&c->h->mu);
    c->h->open--;
    pthread_mutex_unlock(&c->h->mu);
    atomic_store(&c->done, 1);
    return NULL;
}

/* Joins finished connection threads, or all of them. */
static void httpd_reap(httpd *h, int all)
{
    for (httpd_conn **pc = &h->conns; *pc;) {
        httpd_conn *c = *pc;
        if (all || atomic_load(&c->done)) {
            pthread_join(c->tid, NULL);
            *pc = c->next;
            free(c);
        } else {
            pc = &c->next;
        }
    }
}

static void httpd_accept_one(httpd *h)
{
    int fd = accept(h->fd, NULL, NULL);
    if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
            httpd_nap(h, HTTPD_SLICE_MS); /* the backlog stays readable: do not spin */
        return;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
        close(fd);
        return;
    }
    pthread_mutex_lock(&h->mu);
    int full = h->open >= HTTPD_MAX_CONNS;
    if (!full)
        h->open++;
    pthread_mutex_unlock(&h->mu);
    if (full) {
        close(fd);
        return;
    }
    httpd_conn *c = xcalloc(1, sizeof *c);
    c->h = h;
    c->fd = fd;
    if (pthread_create(&c->tid, NULL, httpd_conn_main, c) != 0) {
        close(fd);
        free(c);
        pthread_mutex_lock(&h->mu);
        h->open--;
        pthread_mutex_unlock(&h->mu);
        return;
    }
    c->next = h->conns;
    h->conns = c;
}

static void *httpd_acceptor_main(void *arg)
{
    httpd *h = arg;
    while (!httpd_stopping(h)) {
        struct pollfd p = { .fd = h->fd, .events = POLLIN };
        int n = poll(&p, 1, HTTPD_SLICE_MS);
        httpd_reap(h, 0);
        if (n > 0 && !httpd_stopping(h))
            httpd_accept_one(h);
    }
    httpd_reap(h, 1);
    return NULL;
}

/* ---- public ---- */

httpd *httpd_start(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return NULL;
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = 0 };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* never anything but 127.0.0.1 */
    socklen_t salen = sizeof sa;
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 128) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &salen) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    httpd *h = xcalloc(1, sizeof *h);
    h->fd = fd;
    h->port = ntohs(sa.sin_port);
    atomic_init(&h->stop, 0);
    pthread_mutex_init(&h->mu, NULL);
    int rc = pthread_create(&h->acceptor, NULL, httpd_acceptor_main, h);
    if (rc != 0) {
        pthread_mutex_destroy(&h->mu);
        close(fd);
        free(h);
        errno = rc;
        return NULL;
    }
    return h;
}

int httpd_port(const httpd *h)
{
    return h->port;
}

char *httpd_url(const httpd *h, const char *path)
{
    return xasprintf("http://127.0.0.1:%d%s%s", h->port, path[0] == '/' ? "" : "/", path);
}

void httpd_route_add(httpd *h, const httpd_route *r)
{
    httpd_rt *rt = xcalloc(1, sizeof *rt);
    rt->path = xstrdup(r->path);
    rt->match_query = r->match_query != 0;
    rt->mode = r->mode;
    rt->status = r->status;
    rt->content_type = r->content_type ? xstrdup(r->content_type) : NULL;
    rt->headers = r->headers ? xstrdup(r->headers) : NULL;
    rt->location = r->location ? xstrdup(r->location) : NULL;
    rt->drip_bytes = r->drip_bytes;
    rt->drip_ms = r->drip_ms;
    rt->refs = 1;
    httpd_etag(r->body ? r->body : "", r->body ? r->body_len : 0, rt->etag, sizeof rt->etag);
    if (r->mode == HTTPD_GZIP_BOMB) {
        size_t n = r->bomb_bytes ? r->bomb_bytes : HTTPD_BOMB_DEFAULT;
        rt->body = httpd_bomb(n < HTTPD_BOMB_MAX ? n : HTTPD_BOMB_MAX, &rt->body_len);
    } else if (r->mode == HTTPD_GZIP) {
        rt->body = httpd_gzip(r->body ? r->body : "", r->body ? r->body_len : 0, &rt->body_len);
    } else {
        rt->body_len = r->body ? r->body_len : 0;
        rt->body = xmalloc(rt->body_len + 1);
        if (rt->body_len)
            memcpy(rt->body, r->body, rt->body_len);
        rt->body[rt->body_len] = '\0';
    }
    rt->last_modified = HTTPD_EPOCH;

    pthread_mutex_lock(&h->mu);
    for (httpd_rt **p = &h->routes; *p; p = &(*p)->next) {
        httpd_rt *old = *p;
        if (old->match_query == rt->match_query && strcmp(old->path, rt->path) == 0) {
            rt->last_modified = old->last_modified + (strcmp(old->etag, rt->etag) != 0 ? 3600 : 0);
            *p = old->next;
            httpd_rt_unref(old);
            break;
        }
    }
    rt->next = h->routes;
    h->routes = rt;
    pthread_mutex_unlock(&h->mu);
}

int httpd_hits(httpd *h, const char *path)
{
    pthread_mutex_lock(&h->mu);
    int n = 0;
    for (httpd_stat *s = h->stats; s; s = s->next)
        if (strcmp(s->key, path) == 0)
            n = s->hits;
    pthread_mutex_unlock(&h->mu);
    return n;
}

char *httpd_last_header(httpd *h, const char *path, const char *name)
{
    core_buf b;
    core_buf_init(&b, HTTPD_MAX_HEAD + 1);
    int found = 0;
    pthread_mutex_lock(&h->mu);
    for (httpd_stat *s = h->stats; s; s = s->next) {
        if (strcmp(s->key, path) != 0 || s->headers == NULL)
            continue;
        for (const char *l = s->headers; *l;) {
            size_t len = strcspn(l, "\n");
            const char *v;
            size_t vlen;
            if (httpd_header_is(l, len, name, &v, &vlen)) {
                if (found++)
                    core_buf_add(&b, ", ", 2);
                core_buf_add(&b, v, vlen);
            }
            l += len + (l[len] == '\n');
        }
    }
    pthread_mutex_unlock(&h->mu);
    if (!found) {
        core_buf_free(&b);
        return NULL;
    }
    return core_buf_take(&b);
}

int httpd_max_concurrent(httpd *h)
{
    pthread_mutex_lock(&h->mu);
    int n = h->max_open;
    pthread_mutex_unlock(&h->mu);
    return n;
}

void httpd_stop(httpd *h)
{
    if (h == NULL)
        return;
    atomic_store(&h->stop, 1);
    pthread_join(h->acceptor, NULL);
    close(h->fd);
    while (h->routes) {
        httpd_rt *rt = h->routes;
        h->routes = rt->next;
        httpd_rt_unref(rt);
    }
    while (h->stats) {
        httpd_stat *s = h->stats;
        h->stats = s->next;
        free(s->key);
        free(s->headers);
        free(s);
    }
    pthread_mutex_destroy(&h->mu);
    free(h);
}
