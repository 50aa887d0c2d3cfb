/*
 * hf.c — Hugging Face Hub model listing (/api/models?author=…&expand[]=…)
 * into model statistics and news items.
 *
 * The answer is an array of models. Each model with a non-empty string id
 * gives:
 *  - one store_model_stat: repo = id, ts = 0 (the store stamps the fetch
 *    time), downloads (rolling 30 days), downloadsAllTime, likes (-1 when
 *    absent), pipeline_tag, createdAt / lastModified (0 when absent or
 *    unparsable). trendingScore has no column and is not kept.
 *  - one store_item, so a new model shows up as news: guid "hf:<id>", title
 *    "New on Hugging Face: <id> (<pipeline_tag>)", the model page as url,
 *    the organisation (author field, else the id's prefix) as author,
 *    published = createdAt, updated = lastModified, and the pipeline tag as
 *    summary (never the counts, which change on every poll and would make
 *    the item look updated each time: they are in the statistics).
 * Entries without an id (or that are not objects) are skipped; an answer in
 * which nothing is usable is an error, an empty array is not.
 *
 * Errors: {"error":"…"} (bad author, rate limit, auth) → "hf-models: …".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fetch/private.h"

#define KIND "hf-models"

/* An ISO 8601 date string field as epoch seconds; 0 when absent or bad. */
static int64_t date_field(const json_t *m, const char *key)
{
    const char *s = fetch_json_str(m, key);
    int64_t t;
    if (s == NULL || fetch_parse_date(s, &t) != 0 || t < 0)
        return 0;
    return t;
}

/* A count field; -1 when absent, null or negative. */
static int64_t count_field(const json_t *m, const char *key)
{
    int64_t v = fetch_json_int(json_object_get(m, key), -1);
    return v >= 0 ? v : -1;
}

/* "https://huggingface.co/<id>", percent-encoding anything outside the
 * characters Hub ids use, so an odd id cannot make an odd URL. */
static char *model_url(fetch_result *r, const char *id)
{
    static const char base[] = "https://huggingface.co/";
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(id);
    char *u = core_arena_alloc(r->arena, sizeof base + 3 * n);
    memcpy(u, base, sizeof base - 1);
    char *o = u + sizeof base - 1;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p) != NULL) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return u;
}

/* Appends the stat and item for model m; -1 when it has no id. */
static int add_model(fetch_result *r, const json_t *m)
{
    const char *id = fetch_json_str(m, "id");
    if (id == NULL || *id == '\0')
        return -1;
    const char *tag = fetch_json_str(m, "pipeline_tag");
    if (tag != NULL && *tag == '\0')
        tag = NULL;

    store_model_stat *s = fetch_add_stat(r);
    s->repo = core_arena_strdup(r->arena, id);
    s->ts = 0;
    s->downloads = count_field(m, "downloads");
    s->downloads_all = count_field(m, "downloadsAllTime");
    s->likes = count_field(m, "likes");
    s->pipeline_tag = core_arena_strdup(r->arena, tag);
    s->created = date_field(m, "createdAt");
    s->last_modified = date_field(m, "lastModified");

    store_item *it = fetch_add_item(r);
    char *guid = xasprintf("hf:%s", id);
    char *title = tag ? xasprintf("New on Hugging Face: %s (%s)", id, tag)
                      : xasprintf("New on Hugging Face: %s", id);
    it->guid = core_arena_strdup(r->arena, guid);
    it->title = core_arena_strdup(r->arena, title);
    free(guid);
    free(title);
    it->url = model_url(r, id);
    const char *author = fetch_json_str(m, "author");
    const char *slash = strchr(id, '/');
    if (author != NULL && *author != '\0')
        it->author = core_arena_strdup(r->arena, author);
    else if (slash != NULL && slash != id)
        it->author = core_arena_strndup(r->arena, id, (size_t)(slash - id));
    it->published = s->created;
    it->updated = s->last_modified;
    /* no live counts here: they change every poll and belong to the statistics */
    it->summary = tag ? core_arena_strdup(r->arena, tag) : NULL;
    return 0;
}

int fetch_parse_hf_models(const fetch_response *resp, fetch_result *r, char **err)
{
    json_t *root = fetch_json_load(resp, KIND, 0, err);
    if (root == NULL)
        return -1;
    int rc = -1;
    if (json_is_object(root)) {
        const json_t *e = json_object_get(root, "error");
        const char *msg = json_is_string(e) ? json_string_value(e) : fetch_json_str(e, "message");
        if (msg != NULL)
            core_fail(err, "%s: %s", KIND, msg);
        else
            fetch_json_fail(resp, err, KIND, "expected an array of models, got an object");
        goto out;
    }
    if (!json_is_array(root)) {
        fetch_json_fail(resp, err, KIND, "expected an array of models");
        goto out;
    }
    size_t n = json_array_size(root), added = 0;
    for (size_t i = 0; i < n; i++)
        if (add_model(r, json_array_get(root, i)) == 0)
            added++;
    if (n > 0 && added == 0) {
        fetch_json_fail(resp, err, KIND, "none of the %zu entries has an id", n);
        goto out;
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}
