/*
 * json.c — the snapshot as one JSON document, schema "xcdash.snapshot/1"
 * (docs/snapshot-schema.md, docs/snapshot-schema.json).
 *
 * It follows the conventions of every xcdash JSON shape (docs/json.md):
 * "schema" and "demo" first, timestamps ISO 8601 with offset, null for what
 * is unknown (never 0 or ""), provenance on curated records, text exactly as
 * stored (JSON escapes what it must; a file is not a terminal). Reals are
 * written with 15 significant digits, which gives back the decimal a source
 * sent (2.08, not 2.0800000000000001); the pillar index is rounded to four
 * decimals, which is more than any chart resolves. Control characters are
 * escaped by JSON itself; bidi overrides, C1 controls and other invisible
 * characters are written as \uXXXX escapes too, so the value is exact and
 * the file still cannot reorder or hide text in a viewer.
 */
#include <math.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "export/private.h"

/* Code points that JSON may carry raw but that should not reach a viewer raw:
 * DEL, C1 controls, bidi controls and invisible format characters, and the
 * line separators JavaScript treats as newlines. */
static int invisible(uint32_t c)
{
    return (c >= 0x7F && c <= 0x9F) || c == 0xAD || c == 0x61C || c == 0x180E ||
           (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB);
}

/* Writes a dumped document with those written as \uXXXX escapes: the same
 * JSON value (text stays exactly as stored), but no raw bidi override in the
 * file. They can only occur inside strings, where an escape is valid. */
static void put_escaped(FILE *f, const char *doc)
{
    size_t n = strlen(doc);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = core_utf8_decode(doc + i, n - i, &cp);
        if (invisible(cp))
            fprintf(f, "\\u%04X", (unsigned)cp); /* as jansson writes its own */
        else
            fwrite(doc + i, 1, len, f);
        i += len;
    }
}

static json_t *jstr(const char *s)
{
    if (s == NULL)
        return json_null();
    json_t *j = json_string(s);
    if (j == NULL) { /* not valid UTF-8 after all: the sanitizer's U+FFFD instead */
        char *clean = export_clean(s);
        j = json_string(clean);
        free(clean);
    }
    return j ? j : json_null();
}

static json_t *jtime(int64_t t)
{
    char buf[40];
    return t > 0 ? json_string(export_time(t, buf, sizeof buf)) : json_null();
}

static json_t *jnum(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *jcount(int64_t v)
{
    return v < 0 ? json_null() : json_integer(v);
}

/* "a b c" -> ["a","b","c"] */
static json_t *jwords(const char *s)
{
    json_t *a = json_array();
    while (s && *s) {
        size_t n = strcspn(s, " ");
        if (n)
            json_array_append_new(a, json_stringn(s, n));
        s += n + (s[n] == ' ');
    }
    return a;
}

static void set(json_t *o, const char *key, json_t *v)
{
    json_object_set_new(o, key, v);
}

static json_t *provenance(json_t *o, const char *as_of, const char *conf, const char *note)
{
    set(o, "as_of", jstr(as_of));
    set(o, "confidence", jstr(conf));
    set(o, "source_note", jstr(note));
    return o;
}

static json_t *pillar_json(const export_pillar *p)
{
    const store_pillar_summary *m = &p->s;
    json_t *o = json_object();
    set(o, "id", jstr(p->p->id));
    set(o, "name_en", jstr(p->p->name_en));
    set(o, "name_zh", jstr(p->p->name_zh));
    set(o, "move_pct", jnum(m->move_pct));
    set(o, "up", json_integer(m->up));
    set(o, "down", json_integer(m->down));
    set(o, "flat", json_integer(m->flat));
    set(o, "quoted", json_integer(m->quoted));
    set(o, "members", json_integer(m->members));
    if (m->top_id[0]) {
        json_t *t = json_object();
        set(t, "id", jstr(m->top_id));
        set(t, "name", jstr(m->top_name));
        set(t, "change_pct", jnum(m->top_pct));
        set(o, "top_mover", t);
    } else {
        set(o, "top_mover", json_null());
    }
    if (m->n_spark > 0) {
        json_t *idx = json_object(), *pts = json_array();
        for (int i = 0; i < m->n_spark; i++)
            json_array_append_new(pts, json_real(round(m->spark[i] * 1e4) / 1e4));
        set(idx, "from", jstr(m->spark_from));
        set(idx, "to", jstr(m->spark_to));
        set(idx, "points", pts);
        set(o, "index", idx);
    } else {
        set(o, "index", json_null());
    }
    set(o, "quote_time", jtime(m->quote_ts));
    set(o, "quote_fetched", jtime(m->quote_fetched));
    return o;
}

static json_t *quote_json(const export_snapshot *s, const store_listing *l)
{
    if (!l->has_quote)
        return json_null();
    json_t *q = json_object();
    set(q, "last", jnum(l->last));
    set(q, "change", jnum(l->change));
    set(q, "change_pct", jnum(l->change_pct));
    set(q, "market_cap", jnum(l->market_cap));
    set(q, "time", jtime(l->quote_ts));
    set(q, "fetched", jtime(l->quote_fetched));
    set(q, "source_interval_s",
        l->quote_interval > 0 ? json_integer(l->quote_interval) : json_null());
    int stale = export_quote_stale(s, l);
    set(q, "stale", stale < 0 ? json_null() : json_boolean(stale));
    return q;
}

static json_t *company_json(const export_snapshot *s, const store_company *c)
{
    json_t *o = json_object();
    set(o, "id", jstr(c->id));
    set(o, "name_en", jstr(c->name_en));
    set(o, "name_zh", jstr(c->name_zh));
    set(o, "pillars", jwords(c->pillars));
    set(o, "status", jstr(c->status));
    set(o, "hq", jstr(c->hq));
    set(o, "founded", c->founded ? json_integer(c->founded) : json_null());
    json_t *ls = json_array();
    for (size_t i = 0; i < c->n_listings; i++) {
        const store_listing *l = &c->listings[i];
        json_t *j = json_object();
        set(j, "exchange", jstr(l->exchange));
        set(j, "code", jstr(l->code));
        set(j, "currency", jstr(l->currency));
        set(j, "board", jstr(l->board));
        provenance(j, l->as_of, l->confidence, l->source_note);
        set(j, "quote", quote_json(s, l));
        json_array_append_new(ls, j);
    }
    set(o, "listings", ls);
    set(o, "watched", json_boolean(c->watched));
    return provenance(o, c->as_of, c->confidence, c->source_note);
}

static json_t *news_json(const store_news *n)
{
    json_t *o = json_object();
    set(o, "id", json_integer(n->id));
    set(o, "title", jstr(n->title));
    set(o, "url", jstr(n->url));
    set(o, "source", jstr(n->source_id));
    set(o, "published", jtime(n->published));
    set(o, "companies", jwords(n->companies));
    set(o, "pillars", jwords(n->pillars));
    return o;
}

static json_t *model_json(const store_model *m)
{
    json_t *o = json_object(), *lab = json_object();
    set(o, "id", jstr(m->id));
    set(o, "name", jstr(m->name));
    set(lab, "id", jstr(m->company_id));
    set(lab, "name_en", jstr(m->lab_en));
    set(lab, "name_zh", jstr(m->lab_zh));
    set(o, "lab", lab);
    set(o, "released", jstr(m->released));
    set(o, "hf_repo", jstr(m->hf_repo));
    set(o, "downloads", jcount(m->downloads));
    set(o, "likes", jcount(m->likes));
    set(o, "downloads_prev", jcount(m->downloads_prev));
    set(o, "likes_prev", jcount(m->likes_prev));
    set(o, "stats_time", jtime(m->stats_ts));
    set(o, "prev_time", jtime(m->prev_ts));
    return provenance(o, m->as_of, m->confidence, m->source_note);
}

static json_t *source_json(const store_source *x)
{
    json_t *o = json_object();
    set(o, "id", jstr(x->id));
    set(o, "kind", jstr(x->kind));
    set(o, "pillar", jstr(x->pillar));
    set(o, "title", jstr(x->title));
    set(o, "enabled", json_boolean(x->enabled));
    set(o, "interval_s", x->interval_s > 0 ? json_integer(x->interval_s) : json_null());
    int ok = export_source_ok(x);
    set(o, "ok", ok < 0 ? json_null() : json_boolean(ok));
    set(o, "last_success", jtime(x->last_success));
    set(o, "last_attempt", jtime(x->last_attempt));
    set(o, "last_error", jstr(x->last_error));
    set(o, "http_status", x->http_status > 0 ? json_integer(x->http_status) : json_null());
    set(o, "failures", json_integer(x->failures));
    set(o, "items", json_integer(x->items));
    set(o, "next_due", jtime(x->next_due));
    return o;
}

int export_json(const export_snapshot *s, FILE *f, char **err)
{
    json_t *root = json_object(), *scope = json_object(), *win = json_object(), *a;
    set(root, "schema", json_string("xcdash.snapshot/1"));
    set(root, "demo", json_boolean(s->o->demo));
    set(root, "generated_at", jtime(s->now));
    set(scope, "kind", json_string(s->scope_kind));
    set(scope, "id", jstr(s->scope_id));
    set(root, "scope", scope);
    set(root, "rise", json_string(s->o->rise_red ? "red" : "green"));
    set(win, "days", json_integer(s->news_days));
    set(win, "limit", json_integer(s->news_limit));
    set(win, "since", jtime(s->news_since));
    set(win, "total", json_integer(s->news_total));
    set(root, "news_window", win);
    set(root, "pillars", a = json_array());
    for (size_t i = 0; i < s->n_pillars; i++)
        json_array_append_new(a, pillar_json(&s->pillars[i]));
    set(root, "companies", a = json_array());
    for (size_t i = 0; i < s->n_companies; i++)
        json_array_append_new(a, company_json(s, &s->companies[i].c));
    set(root, "news", a = json_array());
    for (size_t i = 0; i < s->n_news; i++)
        json_array_append_new(a, news_json(&s->news[i]));
    set(root, "models", a = json_array());
    for (size_t i = 0; i < s->n_models; i++)
        json_array_append_new(a, model_json(&s->models[i]));
    set(root, "sources", a = json_array());
    for (size_t i = 0; i < s->n_sources; i++)
        json_array_append_new(a, source_json(&s->sources[i]));
    char *doc = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(root);
    if (doc == NULL)
        return core_fail(err, "cannot build the JSON document");
    put_escaped(f, doc);
    fputc('\n', f);
    free(doc);
    return 0;
}
