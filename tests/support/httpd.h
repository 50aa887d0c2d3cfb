/*
 * httpd.h — a loopback HTTP/1.1 server that tests start themselves, with
 * fault modes for the fetch engine's integration tests (slow drip, stall,
 * truncation, cut chunked bodies, redirects, endless bodies, gzip bombs,
 * dropped connections, conditional GETs answered with 304).
 *
 * The server listens on 127.0.0.1 only, on a port the kernel picks, and
 * serves each connection on its own thread, so a stalled route never delays
 * another. Every response carries "Connection: close" and the connection is
 * closed after it. The test supplies the documents (a GBK feed, a
 * billion-laughs XML file, ...) as route bodies; the server supplies the
 * transport behaviour.
 *
 *     httpd *h = httpd_start();
 *     httpd_route_add(h, &(httpd_route){ .path = "/feed", .body = xml,
 *                                        .body_len = strlen(xml),
 *                                        .content_type = "application/rss+xml" });
 *     char *url = httpd_url(h, "/feed");
 *     ... fetch url ...
 *     assert_int_equal(httpd_hits(h, "/feed"), 1);
 *     free(url);
 *     httpd_stop(h);
 */
#ifndef XCDASH_TEST_HTTPD_H
#define XCDASH_TEST_HTTPD_H

#include <stddef.h>

/* How a route answers. Every mode but CLOSE sends route.status (default 200, 302 for
 * REDIRECT), route.content_type and route.headers, then "Connection: close",
 * and closes after the response. A HEAD request gets the headers only (no
 * body, no drip, no stall). Statuses 1xx, 204 and 304 never get a
 * Content-Length or a body. */
typedef enum httpd_mode {
    /* Content-Length and the body. With status 429/500/503 and headers
     * "Retry-After: 2\r\n" it is the server-error route. */
    HTTPD_OK,
    /* Like OK, with ETag (a hash of the body) and Last-Modified (2024-01-01
     * 00:00:00 GMT, one hour later each time the route is replaced with a
     * different body). Answers 304 with no body when If-None-Match lists the
     * ETag (or "*"; W/ prefixes are ignored), or — when there is no
     * If-None-Match — when If-Modified-Since is not earlier than
     * Last-Modified. The 304 carries ETag, Last-Modified and route.headers. */
    HTTPD_CONDITIONAL,
    /* Headers with the full Content-Length at once, then the body drip_bytes
     * at a time (default 1), waiting drip_ms (default 10) before each piece:
     * ceil(len / drip_bytes) * drip_ms in all. */
    HTTPD_DRIP,
    /* Headers with Content-Length, then nothing until the client closes, the
     * server stops, or 30 s pass; then the connection is closed. */
    HTTPD_STALL,
    /* Content-Length says the body's length, only the first len / 2 bytes
     * (rounded down) are sent, then the connection is closed. */
    HTTPD_TRUNCATE,
    /* Transfer-Encoding: chunked; the body goes out in chunks of drip_bytes
     * (default 1024), then the connection is closed without the last
     * (zero-length) chunk. */
    HTTPD_CHUNKED_CUT,
    /* Status 302 unless route.status says 301, 303, 307 or 308, with
     * "Location: route.location" sent as given: relative, absolute, another
     * port, file://... ("/" when NULL). A short body names the target. */
    HTTPD_REDIRECT,
    /* Neither Content-Length nor chunking (the body ends at the close):
     * the body (or, when empty, lines of 'x') repeated until the client
     * closes or 256 MiB have been sent. */
    HTTPD_ENDLESS,
    /* Content-Encoding: gzip, Content-Length: the compressed size; the body
     * is a valid gzip stream of bomb_bytes zero bytes (default 1 GiB, about
     * 1 MiB compressed), built in milliseconds when the route is added.
     * route.body is ignored. */
    HTTPD_GZIP_BOMB,
    /* Like OK, but the body is sent gzip-compressed with Content-Encoding:
     * gzip (whatever the client's Accept-Encoding says). */
    HTTPD_GZIP,
    /* Reads the request, then closes the connection without a byte of
     * response (libcurl: CURLE_GOT_NOTHING). */
    HTTPD_CLOSE,
} httpd_mode;

/* A route. httpd_route_add copies everything; zero fields take defaults. */
typedef struct httpd_route {
    /* Required. Exact match on the request path, without the query string; with
     * match_query, exact match on path and query ("/q?a=1"). A match_query
     * route wins over a plain one for the same path. */
    const char *path;
    int match_query;
    httpd_mode mode;
    int status;               /* 0: the mode's default */
    const char *content_type; /* NULL: no Content-Type header */
    const char *body;         /* may contain NUL bytes */
    size_t body_len;
    const char *headers;  /* extra raw header lines, "Retry-After: 2\r\nX-A: b\r\n" */
    const char *location; /* REDIRECT */
    int drip_bytes;       /* DRIP and CHUNKED_CUT piece size */
    int drip_ms;          /* DRIP pause before each piece */
    size_t bomb_bytes;    /* GZIP_BOMB uncompressed size; 0: 1 GiB; at most 16 GiB */
} httpd_route;

typedef struct httpd httpd;

/* Binds 127.0.0.1 on a kernel-chosen port and serves on its own threads.
 * Returns NULL (errno set) when the socket or a thread cannot be made.
 * Requests to paths without a route get 404. */
httpd *httpd_start(void);
/* The port the server listens on. */
int httpd_port(const httpd *h);
/* Adds a route, replacing one with the same path and match_query. Safe while
 * requests are being served: a request already answering keeps the old one. */
void httpd_route_add(httpd *h, const httpd_route *r);
/* "http://127.0.0.1:PORT/path" (a missing leading '/' is added); caller frees. */
char *httpd_url(const httpd *h, const char *path);

/* What the server saw. A request counts once its head has been read and
 * parsed, before the response starts, so the counts are up to date when the
 * client returns; malformed (400) and oversized (431) requests do not count. */
/* Requests to a path; a path with '?' counts only requests with exactly that
 * query, one without counts them all. */
int httpd_hits(httpd *h, const char *path);
/* The value of request header name (case-insensitive) in the last request to
 * path (counted as in httpd_hits), repeated headers joined with ", ";
 * NULL when absent. Caller frees. */
char *httpd_last_header(httpd *h, const char *path, const char *name);
/* The most responses that were being served at once (routed requests in flight). */
int httpd_max_concurrent(httpd *h);

/* Stops accepting, ends every connection (each notices within 50 ms), joins
 * the threads and frees everything. NULL is allowed. */
void httpd_stop(httpd *h);

#endif
