/*
 * cli.c — the headless subcommands: companies, company, news, search,
 * sources (list, add, rm, import-opml, export-opml), fetch, export.
 *
 * Text output is for people: every string from the cache passes the one
 * sanitizer and is cut by display width, so Chinese columns line up and no
 * control sequence reaches the terminal. --json output is for programs: the
 * stable shape documented in docs/json.md; when it goes to a terminal, all
 * non-ASCII is \u-escaped so that it cannot carry control characters there.
 * Lists are read page by page from the store, never whole.
 *
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "export/export.h"
#include "fetch/fetch.h"
#include "tui/tui.h"
#include "widgets/widgets.h"

#define PAGE 200

/* ---- option parsing ------------------------------------------------------ */

typedef struct opt {
    const char *name; /* "--pillar" */
    const char **val; /* for options with a value */
    int *flag;        /* for flags */
} opt;

/* Parses argv[1..] against opts; positionals go to pos (at most maxpos). 0 or 2. */
static int parse_opts(int argc, char **argv, const opt *opts, const char **pos, int maxpos,
                      int *npos)
{
    *npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] != '\0') {
            const opt *o = NULL;
            const char *eq = strchr(a, '=');
            size_t len = eq ? (size_t)(eq - a) : strlen(a);
            for (const opt *p = opts; p && p->name; p++)
                if (strlen(p->name) == len && strncmp(p->name, a, len) == 0)
                    o = p;
            if (o == NULL) {
                fprintf(stderr, "xcdash %s: unknown option '%s'\nTry 'xcdash --help'.\n", argv[0],
                        a);
                return 2;
            }
            if (o->flag) {
                if (eq) {
                    fprintf(stderr, "xcdash %s: %s takes no value\n", argv[0], o->name);
                    return 2;
                }
                *o->flag = 1;
            } else if (eq) {
                *o->val = eq + 1;
            } else if (i + 1 < argc) {
                *o->val = argv[++i];
            } else {
                fprintf(stderr, "xcdash %s: %s needs a value\n", argv[0], o->name);
                return 2;
            }
        } else {
            if (*npos == maxpos) {
                fprintf(stderr, "xcdash %s: unexpected argument '%s'\nTry 'xcdash --help'.\n",
                        argv[0], a);
                return 2;
            }
            pos[(*npos)++] = a;
        }
    }
    return 0;
}

static int check_pillar(const char *cmd, const char *p)
{
    size_t n;
    const store_pillar *pl = store_pillars(&n);
    for (size_t i = 0; p && i < n; i++)
        if (strcmp(pl[i].id, p) == 0)
            return 0;
    if (p == NULL)
        return 0;
    fprintf(stderr, "xcdash %s: unknown pillar '%s' (gpu cpu ascend leasing models)\n", cmd, p);
    return 2;
}

static int parse_limit(const char *cmd, const char *s, int *out)
{
    if (s == NULL)
        return 0;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < 1 || v > 1000000) {
        fprintf(stderr, "xcdash %s: --limit takes a number from 1 to 1000000\n", cmd);
        return 2;
    }
    *out = (int)v;
    return 0;
}

/* ---- output helpers ------------------------------------------------------ */

static int fail(char *err)
{
    fprintf(stderr, "xcdash: %s\n", err ? err : "failed");
    free(err);
    return 1;
}

/* Prints cache text sanitized and fitted to cols columns (padded); cols <= 0: whole. */
static void put(const char *s, int cols)
{
    char *clean = widget_text_sanitize(s, -1, 0);
    if (cols <= 0) {
        fputs(clean, stdout);
    } else {
        size_t sz = strlen(clean) + (size_t)cols + 8;
        char *buf = xmalloc(sz);
        widget_text_fit(buf, sz, clean, cols, 1);
        fputs(buf, stdout);
        free(buf);
    }
    free(clean);
}

static int term_cols(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 0;
}

static void put_time(int64_t t)
{
    char buf[40];
    if (t <= 0) {
        fputs("-               ", stdout);
        return;
    }
    core_iso8601(t, buf, sizeof buf);
    buf[16] = '\0'; /* 2026-11-28T15:04 */
    buf[10] = ' ';
    fputs(buf, stdout);
}

/* Writes a --json document; every document says whether it holds demo data. */
static int dump_json(const tui_opts *o, json_t *root)
{
    json_object_set_new(root, "demo", json_boolean(o->demo));
    size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER;
    if (isatty(STDOUT_FILENO))
        flags |= JSON_ENSURE_ASCII;
    int rc = json_dumpf(root, stdout, flags);
    json_decref(root);
    fputc('\n', stdout);
    return rc == 0 && fflush(stdout) == 0 ? 0 : 1;
}

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *jtime(int64_t t)
{
    if (t <= 0)
        return json_null();
    char buf[40];
    core_iso8601(t, buf, sizeof buf);
    return json_string(buf);
}

static json_t *jnum(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

/* "a b c" -> ["a","b","c"] (sep is the separator character). */
static json_t *jsplit(const char *s, char sep)
{
    json_t *a = json_array();
    while (s && *s) {
        const char *e = strchr(s, sep);
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n)
            json_array_append_new(a, json_stringn(s, n));
        s += n + (e != NULL);
    }
    return a;
}

static json_t *provenance(json_t *o, const char *as_of, const char *conf, const char *note)
{
    json_object_set_new(o, "as_of", jstr(as_of));
    json_object_set_new(o, "confidence", jstr(conf));
    json_object_set_new(o, "source_note", jstr(note));
    return o;
}

static json_t *listing_json(const store_listing *l)
{
    json_t *o = json_object();
    json_object_set_new(o, "exchange", jstr(l->exchange));
    json_object_set_new(o, "code", jstr(l->code));
    json_object_set_new(o, "currency", jstr(l->currency));
    json_object_set_new(o, "board", jstr(l->board));
    json_object_set_new(o, "eastmoney_secid", jstr(l->eastmoney_secid));
    json_object_set_new(o, "yahoo_symbol", jstr(l->yahoo_symbol));
    provenance(o, l->as_of, l->confidence, l->source_note);
    if (l->has_quote) {
        json_t *q = json_object();
        json_object_set_new(q, "last", jnum(l->last));
        json_object_set_new(q, "change", jnum(l->change));
        json_object_set_new(q, "change_pct", jnum(l->change_pct));
        json_object_set_new(q, "market_cap", jnum(l->market_cap));
        json_object_set_new(q, "time", jtime(l->quote_ts));
        json_object_set_new(o, "quote", q);
    } else {
        json_object_set_new(o, "quote", json_null());
    }
    return o;
}

static json_t *company_json(const store_company *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", jstr(c->id));
    json_object_set_new(o, "name_en", jstr(c->name_en));
    json_object_set_new(o, "name_zh", jstr(c->name_zh));
    json_object_set_new(o, "pillars", jsplit(c->pillars, ' '));
    json_object_set_new(o, "status", jstr(c->status));
    json_object_set_new(o, "hq", jstr(c->hq));
    json_object_set_new(o, "founded", c->founded ? json_integer(c->founded) : json_null());
    json_object_set_new(o, "aliases", jsplit(c->aliases, '\t'));
    json_object_set_new(o, "description_en", jstr(c->desc_en));
    json_object_set_new(o, "description_zh", jstr(c->desc_zh));
    json_t *ls = json_array();
    for (size_t i = 0; i < c->n_listings; i++)
        json_array_append_new(ls, listing_json(&c->listings[i]));
    json_object_set_new(o, "listings", ls);
    json_object_set_new(o, "watched", json_boolean(c->watched));
    return provenance(o, c->as_of, c->confidence, c->source_note);
}

static json_t *news_json(const store_news *n)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(n->id));
    json_object_set_new(o, "source", jstr(n->source_id));
    json_object_set_new(o, "guid", jstr(n->guid));
    json_object_set_new(o, "title", jstr(n->title));
    json_object_set_new(o, "url", jstr(n->url));
    json_object_set_new(o, "summary", jstr(n->summary));
    json_object_set_new(o, "author", jstr(n->author));
    json_object_set_new(o, "published", jtime(n->published));
    json_object_set_new(o, "updated", jtime(n->updated));
    json_object_set_new(o, "fetched", jtime(n->fetched));
    json_object_set_new(o, "companies", jsplit(n->companies, ' '));
    json_object_set_new(o, "pillars", jsplit(n->pillars, ' '));
    json_object_set_new(o, "read", json_boolean(n->read));
    json_object_set_new(o, "starred", json_boolean(n->starred));
    return o;
}

/* One line per listing code: "688256.SH 00981.HK" */
static void listing_codes(const store_company *c, char *buf, size_t sz)
{
    buf[0] = '\0';
    size_t len = 0;
    for (size_t i = 0; i < c->n_listings && len < sz; i++)
        len += (size_t)snprintf(buf + len, sz - len, "%s%s.%s", i ? " " : "", c->listings[i].code,
                                c->listings[i].exchange);
    if (c->n_listings == 0)
        snprintf(buf, sz, "%s", c->status ? c->status : "-");
}

static void company_line(const store_company *c)
{
    char codes[128];
    listing_codes(c, codes, sizeof codes);
    put(c->id, 18);
    fputs(" ", stdout);
    put(c->name_zh ? c->name_zh : "", 14);
    fputs(" ", stdout);
    put(c->name_en, 28);
    fputs(" ", stdout);
    put(codes, 22);
    fputs(" ", stdout);
    put(c->pillars ? c->pillars : "", 14);
    printf(" %s\n", c->confidence ? c->confidence : "-");
}

static void news_line(const store_news *n, int cols)
{
    put_time(n->published);
    fputs("  ", stdout);
    put(n->source_id, 16);
    fputs("  ", stdout);
    int tagw = n->companies ? widget_text_width(n->companies) + 3 : 0;
    int titlew = cols > 0 ? cols - 36 - tagw : 0;
    put(n->title, titlew > 10 ? titlew : 0);
    if (n->companies) {
        fputs("  [", stdout);
        put(n->companies, 0);
        fputs("]", stdout);
    }
    fputc('\n', stdout);
}

/* ---- companies / company ----------------------------------------------- */

static int company_to_json(void *arr, const store_company *c)
{
    json_array_append_new(arr, company_json(c));
    return 0;
}

static int company_to_text(void *unused, const store_company *c)
{
    (void)unused;
    company_line(c);
    return 0;
}

static int cmd_companies(const tui_opts *o, int argc, char **argv)
{
    const char *pillar = NULL;
    int json = 0, npos;
    const opt opts[] = { { "--pillar", &pillar, NULL }, { "--json", NULL, &json }, { 0 } };
    int rc = parse_opts(argc, argv, opts, NULL, 0, &npos);
    if (rc || (rc = check_pillar(argv[0], pillar)))
        return rc;
    store *st;
    char *err = NULL;
    if (tui_open_store(o, &st, &err) != 0)
        return fail(err);
    json_t *arr = json ? json_array() : NULL;
    if (!json)
        printf("%-18s %-14s %-28s %-22s %-14s %s\n", "ID", "中文", "NAME", "LISTING", "PILLARS",
               "CONF");
    rc = store_companies_each(st, pillar, json ? company_to_json : company_to_text, arr, &err);
    store_close(st);
    if (rc != 0) {
        json_decref(arr);
        return fail(err);
    }
    if (json) {
        json_t *root = json_object();
        json_object_set_new(root, "schema", json_string("xcdash.companies/1"));
        json_object_set_new(root, "pillar", jstr(pillar));
        json_object_set_new(root, "companies", arr);
        return dump_json(o, root);
    }
    return 0;
}

static int cmd_company(const tui_opts *o, int argc, char **argv)
{
    int json = 0, npos;
    const char *id[1];
    const opt opts[] = { { "--json", NULL, &json }, { 0 } };
    int rc = parse_opts(argc, argv, opts, id, 1, &npos);
    if (rc)
        return rc;
    if (npos != 1) {
        fprintf(stderr, "usage: xcdash company ID [--json]\n");
        return 2;
    }
    store *st;
    char *err = NULL;
    if (tui_open_store(o, &st, &err) != 0)
        return fail(err);
    store_company_detail d;
    int found;
    if (store_company_get(st, id[0], &d, &found, &err) != 0) {
        store_close(st);
        return fail(err);
    }
    if (!found) {
        store_close(st);
        char *clean = widget_text_sanitize(id[0], -1, 0);
        fprintf(stderr, "xcdash company: no company '%s' (see 'xcdash companies')\n", clean);
        free(clean);
        return 1;
    }
    const store_company *c = &d.company;
    if (json) {
        json_t *root = company_json(c);
        json_t *chips = json_array(), *models = json_array(), *rels = json_array();
        for (size_t i = 0; i < d.n_chips; i++) {
            const store_chip *x = &d.chips[i];
            json_t *j = json_object();
            json_object_set_new(j, "id", jstr(x->id));
            json_object_set_new(j, "name", jstr(x->name));
            json_object_set_new(j, "kind", jstr(x->kind));
            json_object_set_new(j, "arch", jstr(x->arch));
            json_object_set_new(j, "process", jstr(x->process));
            json_object_set_new(j, "launch_year",
                                x->launch_year ? json_integer(x->launch_year) : json_null());
            json_object_set_new(j, "specs", jstr(x->specs));
            json_array_append_new(chips, provenance(j, x->as_of, x->confidence, x->source_note));
        }
        for (size_t i = 0; i < d.n_models; i++) {
            const store_model *m = &d.models[i];
            json_t *j = json_object();
            json_object_set_new(j, "id", jstr(m->id));
            json_object_set_new(j, "name", jstr(m->name));
            json_object_set_new(j, "released", jstr(m->released));
            json_object_set_new(j, "params_total_b", jnum(m->params_total_b));
            json_object_set_new(j, "params_active_b", jnum(m->params_active_b));
            json_object_set_new(j, "licence", jstr(m->licence));
            json_object_set_new(j, "open_weights",
                                m->open_weights < 0 ? json_null() : json_boolean(m->open_weights));
            json_object_set_new(j, "hf_repo", jstr(m->hf_repo));
            json_object_set_new(j, "downloads_30d",
                                m->downloads < 0 ? json_null() : json_integer(m->downloads));
            json_object_set_new(j, "likes", m->likes < 0 ? json_null() : json_integer(m->likes));
            json_object_set_new(j, "stats_time", jtime(m->stats_ts));
            json_array_append_new(models, provenance(j, m->as_of, m->confidence, m->source_note));
        }
        for (size_t i = 0; i < d.n_relations; i++) {
            const store_relation *r = &d.relations[i];
            json_t *j = json_object();
            json_object_set_new(j, "role", jstr(r->role));
            json_object_set_new(j, "company", jstr(r->other));
            json_object_set_new(j, "name_en", jstr(r->other_name_en));
            json_object_set_new(j, "name_zh", jstr(r->other_name_zh));
            json_object_set_new(j, "note", jstr(r->note));
            json_array_append_new(rels, provenance(j, r->as_of, r->confidence, r->source_note));
        }
        json_object_set_new(root, "chips", chips);
        json_object_set_new(root, "models", models);
        json_object_set_new(root, "relations", rels);
        json_object_set_new(root, "note", jstr(d.note));
        json_object_set_new(root, "schema", json_string("xcdash.company/1"));
        store_company_detail_free(&d);
        store_close(st);
        return dump_json(o, root);
    }
    put(c->name_en, 0);
    if (c->name_zh) {
        fputs("  ", stdout);
        put(c->name_zh, 0);
    }
    fputs("  (", stdout);
    put(c->id, 0);
    fputs(")\n", stdout);
    printf("pillars: %s   status: %s   founded: ", c->pillars ? c->pillars : "-",
           c->status ? c->status : "-");
    if (c->founded)
        printf("%d", c->founded);
    else
        fputs("-", stdout);
    fputs("   HQ: ", stdout);
    put(c->hq ? c->hq : "-", 0);
    printf("\nprofile as of %s, confidence %s — ", c->as_of ? c->as_of : "?",
           c->confidence ? c->confidence : "?");
    put(c->source_note ? c->source_note : "", 0);
    fputc('\n', stdout);
    if (c->desc_zh) {
        put(c->desc_zh, 0);
        fputc('\n', stdout);
    }
    if (c->desc_en) {
        put(c->desc_en, 0);
        fputc('\n', stdout);
    }
    if (c->n_listings)
        fputs("\nlistings:\n", stdout);
    for (size_t i = 0; i < c->n_listings; i++) {
        const store_listing *l = &c->listings[i];
        printf("  %s.%s %-8s %-4s", l->code, l->exchange, l->board ? l->board : "",
               l->currency ? l->currency : "");
        if (l->has_quote && !isnan(l->last)) {
            printf("  last %.2f  %+.2f%%  at ", l->last, l->change_pct);
            put_time(l->quote_ts);
        } else {
            fputs(l->has_quote ? "  no price (suspended?)" : "  no quote yet", stdout);
        }
        printf("  (confidence %s, as of %s)\n", l->confidence ? l->confidence : "?",
               l->as_of ? l->as_of : "?");
    }
    if (d.n_chips)
        fputs("\nchips:\n", stdout);
    for (size_t i = 0; i < d.n_chips; i++) {
        const store_chip *x = &d.chips[i];
        fputs("  ", stdout);
        put(x->name, 22);
        printf(" %-4s ", x->kind ? x->kind : "-");
        put(x->arch ? x->arch : "-", 16);
        if (x->launch_year)
            printf(" %-6d ", x->launch_year);
        else
            fputs(" -      ", stdout);
        put(x->specs ? x->specs : "", 0);
        printf("  [%s]\n", x->confidence ? x->confidence : "?");
    }
    if (d.n_models)
        fputs("\nmodels:\n", stdout);
    for (size_t i = 0; i < d.n_models; i++) {
        const store_model *m = &d.models[i];
        fputs("  ", stdout);
        put(m->name, 28);
        printf(" %-10s ", m->released ? m->released : "-");
        if (!isnan(m->params_total_b))
            printf("%gB", m->params_total_b);
        if (!isnan(m->params_active_b))
            printf(" (%gB active)", m->params_active_b);
        printf("  %s  [%s]\n", m->open_weights == 1 ? "open weights" : "", m->confidence);
    }
    if (d.n_relations)
        fputs("\nrelated:\n", stdout);
    for (size_t i = 0; i < d.n_relations; i++) {
        const store_relation *r = &d.relations[i];
        printf("  %-10s ", r->role);
        put(r->other, 18);
        fputs(" ", stdout);
        put(r->other_name_zh ? r->other_name_zh : r->other_name_en, 0);
        if (r->note) {
            fputs(" — ", stdout);
            put(r->note, 0);
        }
        printf("  [%s]\n", r->confidence ? r->confidence : "?");
    }
    if (d.note) {
        fputs("\nnote:\n", stdout);
        char *clean = widget_text_sanitize(d.note, -1, WIDGET_TEXT_NEWLINES);
        puts(clean);
        free(clean);
    }
    store_company_detail_free(&d);
    store_close(st);
    return 0;
}

/* ---- news / search ------------------------------------------------------ */

static int cmd_news(const tui_opts *o, int argc, char **argv)
{
    const char *pillar = NULL, *company = NULL, *source = NULL, *limit_s = NULL;
    int json = 0, starred = 0, npos, limit = 20;
    const opt opts[] = { { "--pillar", &pillar, NULL },
                         { "--company", &company, NULL },
                         { "--source", &source, NULL },
                         { "--limit", &limit_s, NULL },
                         { "--starred", NULL, &starred },
                         { "--json", NULL, &json },
                         { 0 } };
    int rc = parse_opts(argc, argv, opts, NULL, 0, &npos);
    if (rc || (rc = check_pillar(argv[0], pillar)) || (rc = parse_limit(argv[0], limit_s, &limit)))
        return rc;
    if (company && source) {
        fprintf(stderr, "xcdash news: use --company or --source, not both\n");
        return 2;
    }
    store *st;
    char *err = NULL;
    if (tui_open_store(o, &st, &err) != 0)
        return fail(err);
    json_t *arr = json ? json_array() : NULL;
    int cols = term_cols();
    store_news_query q = { .pillar = pillar,
                           .company = company,
                           .source = source,
                           .starred_only = starred,
                           .after = STORE_CURSOR_START };
    int left = limit;
    while (left > 0) {
        store_news_page p;
        q.limit = left < PAGE ? left : PAGE;
        if (store_news_page_get(st, &q, &p, &err) != 0) {
            json_decref(arr);
            store_close(st);
            return fail(err);
        }
        for (size_t i = 0; i < p.n; i++) {
            if (json)
                json_array_append_new(arr, news_json(&p.rows[i]));
            else
                news_line(&p.rows[i], cols);
        }
        left -= (int)p.n;
        q.after = p.next;
        int more = p.more;
        store_news_page_free(&p);
        if (!more)
            break;
    }
    store_close(st);
    if (json) {
        json_t *root = json_object();
        json_object_set_new(root, "schema", json_string("xcdash.news/1"));
        json_object_set_new(root, "news", arr);
        return dump_json(o, root);
    }
    if (left == limit)
        fprintf(stderr, "xcdash news: no news in the cache yet%s\n",
                o->demo ? "" : " (try 'xcdash --demo fetch --once')");
    return 0;
}

static int cmd_search(const tui_opts *o, int argc, char **argv)
{
    const char *limit_s = NULL, *query[1];
    int json = 0, npos, limit = 20;
    const opt opts[] = { { "--limit", &limit_s, NULL }, { "--json", NULL, &json }, { 0 } };
    int rc = parse_opts(argc, argv, opts, query, 1, &npos);
    if (rc || (rc = parse_limit(argv[0], limit_s, &limit)))
        return rc;
    if (npos != 1) {
        fprintf(stderr, "usage: xcdash search QUERY [--limit N] [--json]\n");
        return 2;
    }
    store *st;
    char *err = NULL;
    if (tui_open_store(o, &st, &err) != 0)
        return fail(err);
    store_search_result r;
    if (store_search(st, query[0], limit, &r, &err) != 0) {
        store_close(st);
        return fail(err);
    }
    if (json) {
        json_t *root = json_object(), *cs = json_array(), *ns = json_array();
        for (size_t i = 0; i < r.n_companies; i++)
            json_array_append_new(cs, company_json(&r.companies[i]));
        for (size_t i = 0; i < r.n_news; i++)
            json_array_append_new(ns, news_json(&r.news[i]));
        json_object_set_new(root, "schema", json_string("xcdash.search/1"));
        json_object_set_new(root, "query", json_string(query[0]));
        json_object_set_new(root, "companies", cs);
        json_object_set_new(root, "news", ns);
        store_search_result_free(&r);
        store_close(st);
        return dump_json(o, root);
    }
    if (r.n_companies) {
        printf("companies (%zu):\n", r.n_companies);
        for (size_t i = 0; i < r.n_companies; i++) {
            fputs("  ", stdout);
            company_line(&r.companies[i]);
        }
    }
    if (r.n_news) {
        printf("news (%zu):\n", r.n_news);
        int cols = term_cols();
        for (size_t i = 0; i < r.n_news; i++) {
            fputs("  ", stdout);
            news_line(&r.news[i], cols > 2 ? cols - 2 : 0);
        }
    }
    if (r.n_companies == 0 && r.n_news == 0)
        fputs("no matches\n", stdout);
    store_search_result_free(&r);
    store_close(st);
    return 0;
}

/* ---- sources ------------------------------------------------------------ */

/* Source kinds the fetch engine understands, with their polite default intervals. */
static const struct {
    const char *kind;
    int interval_s;
} kinds[] = {
    { "feed", 1800 },           { "hf-models", 3600 },
    { "eastmoney-quotes", 60 }, { "eastmoney-kline", 21600 },
    { "yahoo-chart", 300 },     { "hn-search", 1800 },
};

static int kind_interval(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            return kinds[i].interval_s;
    return 0;
}

const char *tui_source_kind(size_t i)
{
    return i < sizeof kinds / sizeof kinds[0] ? kinds[i].kind : NULL;
}

static int has_scheme(const char *url, const char *scheme)
{
    size_t n = strlen(scheme);
    return strncasecmp(url, scheme, n) == 0 && strncmp(url + n, "://", 3) == 0;
}

/*
 * What the user typed as a source location: http(s) URLs as they are; an
 * explicit file:// URL or a local path (the user's own choice, never a
 * redirect) as an absolute file:// URL. NULL for anything else.
 */
static char *source_url(const char *arg)
{
    if (has_scheme(arg, "http") || has_scheme(arg, "https") || has_scheme(arg, "file"))
        return xstrdup(arg);
    if (strstr(arg, "://") != NULL || strncasecmp(arg, "javascript:", 11) == 0)
        return NULL;
    char *abs = realpath(arg, NULL);
    if (abs == NULL)
        return NULL;
    char *u = xasprintf("file://%s", abs);
    free(abs);
    return u;
}

/* A readable id from a URL: host and path as [a-z0-9-], at most 40 characters. */
static char *slug_from_url(const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    if (strncasecmp(p, "www.", 4) == 0)
        p += 4;
    char buf[41];
    size_t n = 0;
    int dash = 0;
    for (; *p && *p != '?' && *p != '#' && n < sizeof buf - 1; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            buf[n++] = c;
            dash = 0;
        } else if (!dash && n > 0) {
            buf[n++] = '-';
            dash = 1;
        }
    }
    while (n > 0 && buf[n - 1] == '-')
        n--;
    buf[n] = '\0';
    return xstrdup(n ? buf : "source");
}

int tui_source_add(store *st, const char *url_arg, const char *kind, const char *pillar,
                   const char *id, const char *title, char **id_out, char **url_out, char **err)
{
    if (kind_interval(kind) == 0)
        return core_fail(err,
                         "unknown source kind '%s' (one of feed hf-models eastmoney-quotes "
                         "eastmoney-kline yahoo-chart hn-search)",
                         kind ? kind : "");
    char *url = source_url(url_arg);
    if (url == NULL)
        return core_fail(err, "'%s' is neither an http(s) URL nor an existing local file", url_arg);
    char *base = id ? xstrdup(id) : slug_from_url(url);
    char *final = xstrdup(base);
    for (int n = 2;; n++) {
        int exists;
        if (store_source_exists(st, final, &exists, err) != 0) {
            free(url), free(base), free(final);
            return -1;
        }
        if (!exists || id != NULL)
            break;
        free(final);
        final = xasprintf("%s-%d", base, n);
    }
    store_source src = { .id = final,
                         .kind = kind,
                         .url = url,
                         .pillar = pillar,
                         .title = title,
                         .enabled = 1,
                         .interval_s = kind_interval(kind),
                         .origin = "user" };
    int rc = store_source_put(st, &src, err);
    if (rc == 0 && id_out)
        *id_out = final, final = NULL;
    if (rc == 0 && url_out)
        *url_out = url, url = NULL;
    free(url), free(base), free(final);
    return rc;
}

/* Adds one source (tui_source_add) and prints what it did. */
static int add_source(store *st, const char *url_arg, const char *kind, const char *pillar,
                      const char *id, const char *title, char **err)
{
    char *final, *url;
    if (tui_source_add(st, url_arg, kind, pillar, id, title, &final, &url, err) != 0)
        return -1;
    printf("added ");
    put(final, 0);
    printf(" (%s", kind);
    if (pillar)
        printf(", %s", pillar);
    fputs("): ", stdout);
    put(url, 0);
    fputc('\n', stdout);
    free(url), free(final);
    return 0;
}

static json_t *source_json(const store_source *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", jstr(s->id));
    json_object_set_new(o, "kind", jstr(s->kind));
    json_object_set_new(o, "url", jstr(s->url));
    json_object_set_new(o, "pillar", jstr(s->pillar));
    json_object_set_new(o, "title", jstr(s->title));
    json_object_set_new(o, "enabled", json_boolean(s->enabled));
    json_object_set_new(o, "interval_s", json_integer(s->interval_s));
    json_object_set_new(o, "origin", jstr(s->origin));
    json_t *h = json_object();
    json_object_set_new(h, "last_success", jtime(s->last_success));
    json_object_set_new(h, "last_attempt", jtime(s->last_attempt));
    json_object_set_new(h, "last_error", jstr(s->last_error));
    json_object_set_new(h, "http_status",
                        s->http_status ? json_integer(s->http_status) : json_null());
    json_object_set_new(h, "failures", json_integer(s->failures));
    json_object_set_new(h, "items", json_integer(s->items));
    json_object_set_new(h, "next_due", jtime(s->next_due));
    json_object_set_new(o, "health", h);
    return o;
}

/* One source, as JSON into an array or as a line of the table. */
typedef struct source_lister {
    json_t *arr; /* NULL: text */
    int count;
} source_lister;

static int list_one_source(void *ctx, const store_source *s)
{
    source_lister *L = ctx;
    L->count++;
    if (L->arr != NULL) {
        json_array_append_new(L->arr, source_json(s));
        return 0;
    }
    put(s->id, 24);
    printf(" %-16s %-8s ", s->kind, s->pillar ? s->pillar : "-");
    if (s->http_status)
        printf("%-6d ", s->http_status);
    else
        fputs("-      ", stdout);
    put_time(s->last_success);
    fputc(' ', stdout);
    put_time(s->next_due);
    printf(" %5lld  ", (long long)s->items);
    put(s->last_error ? s->last_error : (s->enabled ? "" : "(disabled)"), 0);
    fputc('\n', stdout);
    return 0;
}

static int list_sources(const tui_opts *o, store *st, int json)
{
    char *err = NULL;
    source_lister L = { json ? json_array() : NULL, 0 };
    if (!json)
        printf("%-24s %-16s %-8s %-6s %-16s %-16s %5s  %s\n", "ID", "KIND", "PILLAR", "HTTP",
               "LAST SUCCESS", "NEXT DUE", "ITEMS", "LAST ERROR");
    if (store_sources_each(st, list_one_source, &L, &err) != 0) {
        json_decref(L.arr);
        return fail(err);
    }
    if (json) {
        json_t *root = json_object();
        json_object_set_new(root, "schema", json_string("xcdash.sources/1"));
        json_object_set_new(root, "sources", L.arr);
        return dump_json(o, root);
    }
    if (L.count == 0)
        fputs("no sources yet: add one with 'xcdash sources add URL --kind feed'\n", stdout);
    return 0;
}

static int import_opml(store *st, const char *path)
{
    fetch_opml_entry *e;
    size_t n, skipped = 0;
    char *err = NULL;
    if (fetch_opml_read(path, &e, &n, &skipped, &err) != 0)
        return fail(err);
    size_t added = 0;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (kind_interval(e[i].kind) == 0) {
            fprintf(stderr, "xcdash: %s: unknown kind '%s' for %s; skipped\n", path, e[i].kind,
                    e[i].url);
            skipped++;
            continue;
        }
        const char *pillar =
            e[i].pillar && check_pillar("sources", e[i].pillar) == 0 ? e[i].pillar : NULL;
        if (add_source(st, e[i].url, e[i].kind, pillar, e[i].id, e[i].title, &err) != 0) {
            rc = fail(err);
            err = NULL;
            break;
        }
        added++;
    }
    fetch_opml_free(e, n);
    printf("imported %zu source%s from %s", added, added == 1 ? "" : "s", path);
    if (skipped)
        printf(" (%zu skipped)", skipped);
    fputc('\n', stdout);
    return rc;
}

/* The OPML entries being gathered for an export. */
typedef struct opml_list {
    fetch_opml_entry *e;
    size_t n, cap;
} opml_list;

static int opml_add(void *ctx, const store_source *s)
{
    opml_list *L = ctx;
    if (L->n == L->cap) {
        L->cap = L->cap ? L->cap * 2 : 32;
        L->e = xrealloc(L->e, L->cap * sizeof *L->e);
    }
    fetch_opml_entry *x = &L->e[L->n++];
    x->url = xstrdup(s->url);
    x->title = s->title ? xstrdup(s->title) : NULL;
    x->kind = xstrdup(s->kind);
    x->pillar = s->pillar ? xstrdup(s->pillar) : NULL;
    x->id = xstrdup(s->id);
    return 0;
}

static int export_opml(store *st, const char *out_path)
{
    char *err = NULL;
    opml_list L = { 0 };
    int rc = 0;
    if (store_sources_each(st, opml_add, &L, &err) != 0)
        rc = fail(err);
    fetch_opml_entry *e = L.e;
    size_t n = L.n;
    if (rc == 0) {
        /* Into a temporary file beside the target, then renamed: never half a file. */
        char *tmp = out_path ? xasprintf("%s.tmp.%d", out_path, (int)getpid()) : NULL;
        FILE *f = tmp ? fopen(tmp, "w") : stdout;
        if (f == NULL) {
            fprintf(stderr, "xcdash: cannot write %s: %s\n", out_path, strerror(errno));
            rc = 1;
        } else if (fetch_opml_write(f, e, n, "xcdash sources", &err) != 0 || fflush(f) != 0) {
            rc = fail(err ? err : xasprintf("writing OPML: %s", strerror(errno)));
        }
        if (tmp != NULL && f != NULL) {
            if (fclose(f) != 0 && rc == 0)
                rc = fail(xasprintf("cannot write %s: %s", out_path, strerror(errno)));
            if (rc == 0 && rename(tmp, out_path) != 0)
                rc = fail(xasprintf("cannot write %s: %s", out_path, strerror(errno)));
            if (rc != 0)
                unlink(tmp);
        }
        free(tmp);
    }
    fetch_opml_free(e, n);
    return rc;
}

static int cmd_sources(const tui_opts *o, int argc, char **argv)
{
    const char *kind = NULL, *pillar = NULL, *id = NULL, *out = NULL, *pos[2];
    int json = 0, npos;
    const opt opts[] = { { "--kind", &kind, NULL }, { "--pillar", &pillar, NULL },
                         { "--id", &id, NULL },     { "-o", &out, NULL },
                         { "--json", NULL, &json }, { 0 } };
    int rc = parse_opts(argc, argv, opts, pos, 2, &npos);
    if (rc || (rc = check_pillar(argv[0], pillar)))
        return rc;
    const char *verb = npos ? pos[0] : "list";
    int needs = strcmp(verb, "list") == 0 || strcmp(verb, "export-opml") == 0 ? 1 : 2;
    if (npos != (npos ? needs : 0) || (strcmp(verb, "add") != 0 && (kind || pillar || id)) ||
        (strcmp(verb, "export-opml") != 0 && out) || (strcmp(verb, "list") != 0 && json)) {
        fprintf(stderr, "usage: xcdash sources [--json]\n"
                        "       xcdash sources add URL --kind KIND [--pillar P] [--id ID]\n"
                        "       xcdash sources rm ID | import-opml FILE | export-opml [-o FILE]\n");
        return 2;
    }
    if (strcmp(verb, "add") == 0) {
        if (kind == NULL || kind_interval(kind) == 0) {
            fprintf(stderr, "xcdash sources add: --kind is one of feed hf-models "
                            "eastmoney-quotes eastmoney-kline yahoo-chart hn-search\n");
            return 2;
        }
        if (id != NULL) {
            for (const char *c = id; *c; c++)
                if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' ||
                      *c == '_' || *c == '.')) {
                    fprintf(stderr, "xcdash sources add: an id is made of a-z 0-9 - _ .\n");
                    return 2;
                }
        }
    } else if (strcmp(verb, "list") != 0 && strcmp(verb, "rm") != 0 &&
               strcmp(verb, "import-opml") != 0 && strcmp(verb, "export-opml") != 0) {
        fprintf(stderr, "xcdash sources: unknown action '%s'\nTry 'xcdash --help'.\n", verb);
        return 2;
    }
    store *st;
    char *err = NULL;
    if (tui_open_store(o, &st, &err) != 0)
        return fail(err);
    if (strcmp(verb, "list") == 0) {
        rc = list_sources(o, st, json);
    } else if (strcmp(verb, "add") == 0) {
        rc = add_source(st, pos[1], kind, pillar, id, NULL, &err) != 0 ? fail(err) : 0;
    } else if (strcmp(verb, "rm") == 0) {
        int found;
        if (store_source_rm(st, pos[1], &found, &err) != 0) {
            rc = fail(err);
        } else if (!found) {
            char *clean = widget_text_sanitize(pos[1], -1, 0);
            fprintf(stderr, "xcdash sources rm: no source '%s'\n", clean);
            free(clean);
            rc = 1;
        } else {
            printf("removed %s\n", pos[1]);
        }
    } else if (strcmp(verb, "import-opml") == 0) {
        rc = import_opml(st, pos[1]);
    } else {
        rc = export_opml(st, out);
    }
    store_close(st);
    return rc;
}

/* ---- dispatch ------------------------------------------------------------- */

static void print_warning(void *ctx, const char *msg)
{
    (void)ctx;
    char *clean = widget_text_sanitize(msg, -1, 0);
    fprintf(stderr, "xcdash: warning: %s\n", clean);
    free(clean);
}

int tui_open_store(const tui_opts *o, store **out, char **err)
{
    if (o->demo) /* on stderr, so --json output stays a document */
        fputs("xcdash: DEMO — the bundled offline demo data in its own cache, not live market "
              "data or news\n",
              stderr);
    if (store_open(out, o->db, 0, err) != 0)
        return -1;
    /* the demo has its own source list and cache; the real list never mixes into it */
    char *list = xasprintf(o->demo ? "%s/demo/sources.json" : "%s/sources.json", o->data_dir);
    int rc = store_load_profiles(*out, o->data_dir, o->config_dir, print_warning, NULL, err);
    if (rc == 0)
        rc = store_load_sources(*out, list, o->demo ? "demo" : "default", print_warning, NULL, err);
    free(list);
    if (rc != 0) {
        store_close(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* ---- fetch ---------------------------------------------------------------- */

static void print_report(void *ctx, const fetch_report *r)
{
    int *daemon = ctx;
    if (*daemon) {
        char when[40];
        core_iso8601((int64_t)time(NULL), when, sizeof when);
        printf("%.19s  ", when);
    }
    put(r->source_id, 24);
    if (!r->ok) {
        fputs(" FAILED  ", stdout);
        if (r->http_status)
            printf("HTTP %d  ", r->http_status);
        put(r->error ? r->error : "failed", 0);
    } else if (r->not_modified) {
        printf(" ok      not modified (HTTP %d)", r->http_status);
    } else {
        printf(" ok      %zu new, %zu updated", r->written.added, r->written.updated);
        if (r->written.duplicates)
            printf(", %zu duplicates", r->written.duplicates);
        if (r->quotes)
            printf(", %zu quotes", r->quotes);
        if (r->bars)
            printf(", %zu bars", r->bars);
        if (r->stats)
            printf(", %zu model stats", r->stats);
        if (r->http_status)
            printf("  HTTP %d", r->http_status);
    }
    printf("  %.2fs\n", r->seconds);
    fflush(stdout);
}

static volatile int fetch_stop;

static void on_stop_signal(int sig)
{
    (void)sig;
    fetch_stop = 1;
}

static int cmd_fetch(const tui_opts *o, int argc, char **argv)
{
    int once = 0;
    const char **ids = xcalloc((size_t)argc, sizeof *ids);
    size_t n = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--once") == 0) {
            once = 1;
        } else if (strcmp(argv[i], "--source") == 0 && i + 1 < argc) {
            ids[n++] = argv[++i];
        } else if (strncmp(argv[i], "--source=", 9) == 0 && argv[i][9]) {
            ids[n++] = argv[i] + 9;
        } else {
            fprintf(stderr, "usage: xcdash fetch [--once] [--source ID]...\n");
            free(ids);
            return 2;
        }
    }
    if (!once && n > 0) {
        fprintf(stderr, "xcdash fetch: --source goes with --once; the daemon fetches every "
                        "enabled source when it is due\n");
        free(ids);
        return 2;
    }
    store *st;
    char *err = NULL;
    if (tui_open_store(o, &st, &err) != 0) { /* brings profiles and source lists up to date */
        free(ids);
        return fail(err);
    }
    store_close(st);
    tui_config cfg;
    tui_config_read(&cfg, o->config_dir);
    fetch_engine *e;
    if (fetch_engine_new(&e, o->db, &cfg.fetch, NULL, &err) != 0) {
        tui_config_free(&cfg);
        free(ids);
        return fail(err);
    }
    int rc;
    if (once) {
        int daemon = 0;
        int failed = fetch_engine_once(e, ids, n, print_report, &daemon, &err);
        rc = failed < 0 ? fail(err) : failed > 0;
    } else {
        int daemon = 1;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_stop_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        rc = fetch_engine_run(e, &fetch_stop, -1, print_report, &daemon, &err) != 0;
        if (rc != 0)
            fail(err);
    }
    fetch_engine_free(e);
    tui_config_free(&cfg);
    free(ids);
    return rc;
}

/* ---- export ---------------------------------------------------------------- */

static int cmd_export(const tui_opts *o, int argc, char **argv)
{
    const char *format = NULL, *pillar = NULL, *company = NULL, *table = NULL, *out = NULL;
    int force = 0, bom = 0, npos;
    const opt opts[] = { { "--format", &format, NULL },
                         { "--pillar", &pillar, NULL },
                         { "--company", &company, NULL },
                         { "--table", &table, NULL },
                         { "-o", &out, NULL },
                         { "--force", NULL, &force },
                         { "--bom", NULL, &bom },
                         { 0 } };
    int rc = parse_opts(argc, argv, opts, NULL, 0, &npos);
    if (rc || (rc = check_pillar(argv[0], pillar)))
        return rc;
    export_format f;
    if (format == NULL || export_format_parse(format, &f) != 0) {
        fprintf(stderr, "usage: xcdash export --format json|csv|md|xlsx|html "
                        "[--pillar P | --company ID] [--table T] [--bom] [-o FILE] [--force]\n");
        return 2;
    }
    if (pillar && company) {
        fprintf(stderr, "xcdash export: use --pillar or --company, not both\n");
        return 2;
    }
    if ((table || bom) && f != EXPORT_CSV) {
        fprintf(stderr, "xcdash export: --table and --bom go with --format csv\n");
        return 2;
    }
    if (table && export_table_check(table) != 0) {
        fprintf(stderr, "xcdash export: --table is one of pillars companies news models sources\n");
        return 2;
    }
    if (out != NULL && *out == '\0') {
        fprintf(stderr, "xcdash export: -o needs a file name\n");
        return 2;
    }
    store *st;
    char *err = NULL;
    if (tui_open_store(o, &st, &err) != 0)
        return fail(err);
    /* the rise colour and the language come from the configuration, as on screen */
    tui_config cfg;
    tui_config_read(&cfg, o->config_dir);
    int64_t now = (int64_t)time(NULL);
    char *path = out ? xstrdup(out)
                     : export_default_path(getenv("HOME"), company ? company : pillar, f, now);
    export_opts eo = { .format = f,
                       .pillar = pillar,
                       .company = company,
                       .table = table,
                       .path = path,
                       .force = force,
                       .bom = bom,
                       .rise_red = cfg.rise_red,
                       .lang_en = cfg.lang_en,
                       .demo = o->demo,
                       .now = now };
    rc = export_write(st, &eo, &err) != 0 ? fail(err) : 0;
    if (rc == 0)
        printf("%s\n", path); /* what was written, for scripts: the path alone */
    store_close(st);
    tui_config_free(&cfg);
    free(path);
    return rc;
}

int tui_cli(const tui_opts *o, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(const tui_opts *, int, char **);
    } cmds[] = {
        { "companies", cmd_companies }, { "company", cmd_company }, { "news", cmd_news },
        { "search", cmd_search },       { "sources", cmd_sources }, { "fetch", cmd_fetch },
        { "export", cmd_export },
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(argv[0], cmds[i].name) == 0)
            return cmds[i].run(o, argc, argv);
    char *clean = widget_text_sanitize(argv[0], -1, 0);
    fprintf(stderr, "xcdash: unknown command '%s'\nTry 'xcdash --help'.\n", clean);
    free(clean);
    return 2;
}
