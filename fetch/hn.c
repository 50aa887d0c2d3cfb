/*
 * hn.c — Hacker News search through Algolia (/api/v1/search_by_date) into
 * news items.
 *
 * Each hit with an objectID and a title (title, else story_title for
 * comment hits) becomes an item: guid "hn:<objectID>", the story's url — or
 * the discussion page when url is null (Ask HN, text posts) or not http(s)
 * — the author, published = created_at_i (else created_at parsed), and
 * "N points, M comments on Hacker News" as summary (unknown counts left out,
 * singular for 1). Hits without objectID or title are skipped; a page in
 * which none is usable is an error, an empty hits[] is not.
 *
 * Errors: Algolia answers {"message":"…","status":400} → "hn-search: …".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "fetch/private.h"

#define KIND "hn-search"

/* objectID as text: Algolia writes a string, tolerate a number. Digits only
 * (it goes into a URL); NULL otherwise. */
static const char *object_id(const json_t *h, char *buf, size_t size)
{
    const json_t *v = json_object_get(h, "objectID");
    const char *s = NULL;
    if (json_is_string(v)) {
        s = json_string_value(v);
    } else if (json_is_integer(v) && json_integer_value(v) >= 0) {
        snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        s = buf;
    }
    size_t n = s != NULL ? strlen(s) : 0;
    if (n == 0 || n > 20 || strspn(s, "0123456789") != n)
        return NULL;
    return s;
}

/* An http(s) link; anything else (javascript:, relative, empty) is not
 * something the UI should open. */
static int web_url(const char *u)
{
    return u != NULL && (strncasecmp(u, "http://", 7) == 0 || strncasecmp(u, "https://", 8) == 0) &&
           strpbrk(u, " \t\r\n") == NULL;
}

static void count(char *buf, size_t size, size_t *o, int64_t n, const char *noun)
{
    if (n < 0 || *o >= size)
        return;
    int k = snprintf(buf + *o, size - *o, "%s%" PRId64 " %s%s", *o ? ", " : "", n, noun,
                     n == 1 ? "" : "s");
    if (k > 0)
        *o += (size_t)k;
}

/* Appends the item for hit h; -1 when it lacks an id or title. */
static int add_hit(fetch_result *r, const json_t *h)
{
    char idbuf[32];
    const char *id = object_id(h, idbuf, sizeof idbuf);
    const char *title = fetch_json_str(h, "title");
    if (title == NULL || *title == '\0')
        title = fetch_json_str(h, "story_title");
    if (id == NULL || title == NULL || *title == '\0')
        return -1;

    store_item *it = fetch_add_item(r);
    char *guid = xasprintf("hn:%s", id);
    it->guid = core_arena_strdup(r->arena, guid);
    free(guid);
    it->title = core_arena_strdup(r->arena, title);
    const char *url = fetch_json_str(h, "url");
    if (web_url(url)) {
        it->url = core_arena_strdup(r->arena, url);
    } else {
        char *u = xasprintf("https://news.ycombinator.com/item?id=%s", id);
        it->url = core_arena_strdup(r->arena, u);
        free(u);
    }
    const char *author = fetch_json_str(h, "author");
    if (author != NULL && *author != '\0')
        it->author = core_arena_strdup(r->arena, author);

    int64_t t = fetch_json_int(json_object_get(h, "created_at_i"), 0);
    const char *created = fetch_json_str(h, "created_at");
    if (t <= 0 && (created == NULL || fetch_parse_date(created, &t) != 0 || t < 0))
        t = 0;
    it->published = t;

    int64_t points = fetch_json_int(json_object_get(h, "points"), -1);
    int64_t comments = fetch_json_int(json_object_get(h, "num_comments"), -1);
    char buf[96];
    size_t o = 0;
    buf[0] = '\0';
    count(buf, sizeof buf, &o, points, "point");
    count(buf, sizeof buf, &o, comments, "comment");
    if (o > 0 && o < sizeof buf) {
        snprintf(buf + o, sizeof buf - o, " on Hacker News");
        it->summary = core_arena_strdup(r->arena, buf);
    }
    return 0;
}

int fetch_parse_hn_search(const fetch_response *resp, fetch_result *r, char **err)
{
    json_t *root = fetch_json_load(resp, KIND, 0, err);
    if (root == NULL)
        return -1;
    int rc = -1;
    json_t *hits = json_object_get(root, "hits");
    if (!json_is_array(hits)) {
        const char *msg = fetch_json_str(root, "message");
        if (msg == NULL)
            msg = fetch_json_str(root, "error");
        if (msg != NULL)
            core_fail(err, "%s: %s", KIND, msg);
        else
            fetch_json_fail(resp, err, KIND, "no hits[] in response");
        goto out;
    }
    size_t n = json_array_size(hits), added = 0;
    for (size_t i = 0; i < n; i++)
        if (add_hit(r, json_array_get(hits, i)) == 0)
            added++;
    if (n > 0 && added == 0) {
        fetch_json_fail(resp, err, KIND, "none of the %zu hits has an objectID and a title", n);
        goto out;
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}
