/*
 * snapshot.c — what an export contains, read once, and how its values are
 * written, shared by every format.
 *
 * Reading: export_snapshot_read() asks the store for the scope's pillars
 * (with their summaries: move, breadth, top mover, an index over the last
 * sessions), its companies with listings and latest quotes, the news of the
 * window (newest first, page by page, stopping at the window's start or its
 * limit), the models of the companies in scope and the sources that feed
 * the scope, and copies every string into one arena. A renderer then never
 * touches the store, so each format writes the same facts and the store is
 * read for as short a time as possible, before a byte is written. (Each
 * page is a consistent read; a fetch that commits between two of them can
 * make a later section a moment newer than an earlier one, which the quote
 * and fetch times written beside every number show.)
 *
 * Tables: CSV and the workbook write the same five tables (pillars,
 * companies with one row per listing, news, models, sources); they are
 * defined once here as columns with a kind (text, price, percentage, count,
 * time …) and a row function, and each format decides how a kind is written
 * (CSV raw numbers, the workbook numeric cells with a number format).
 *
 * Formatting: the human formats (Markdown, HTML) show prices to the tick,
 * percentages with their sign, market caps in 亿 or B, counts with
 * separators and times as ISO 8601 with offset; those helpers live here so
 * that the two never disagree.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export/private.h"
#include "fetch/fetch.h"
#include "widgets/widgets.h"

#define PAGE 200 /* rows per store page while reading */

/* ---- copies into the arena ------------------------------------------------ */

#define DUP(a, s) core_arena_strdup((a), (s))

static void copy_company(core_arena *a, store_company *d, const store_company *c)
{
    *d = *c;
    d->id = DUP(a, c->id);
    d->name_en = DUP(a, c->name_en);
    d->name_zh = DUP(a, c->name_zh);
    d->status = DUP(a, c->status);
    d->hq = DUP(a, c->hq);
    d->desc_en = DUP(a, c->desc_en);
    d->desc_zh = DUP(a, c->desc_zh);
    d->as_of = DUP(a, c->as_of);
    d->confidence = DUP(a, c->confidence);
    d->source_note = DUP(a, c->source_note);
    d->pillars = DUP(a, c->pillars);
    d->aliases = DUP(a, c->aliases);
    d->listings = NULL;
    if (c->n_listings == 0)
        return;
    d->listings = core_arena_alloc(a, c->n_listings * sizeof *d->listings);
    for (size_t i = 0; i < c->n_listings; i++) {
        store_listing *l = &d->listings[i];
        const store_listing *s = &c->listings[i];
        *l = *s;
        l->exchange = DUP(a, s->exchange);
        l->code = DUP(a, s->code);
        l->currency = DUP(a, s->currency);
        l->board = DUP(a, s->board);
        l->eastmoney_secid = DUP(a, s->eastmoney_secid);
        l->yahoo_symbol = DUP(a, s->yahoo_symbol);
        l->as_of = DUP(a, s->as_of);
        l->confidence = DUP(a, s->confidence);
        l->source_note = DUP(a, s->source_note);
    }
}

static void copy_news(core_arena *a, store_news *d, const store_news *n)
{
    *d = *n;
    d->source_id = DUP(a, n->source_id);
    d->guid = DUP(a, n->guid);
    d->url = DUP(a, n->url);
    d->title = DUP(a, n->title);
    d->summary = NULL; /* not exported: the window is about headlines */
    d->author = DUP(a, n->author);
    d->companies = DUP(a, n->companies);
    d->pillars = DUP(a, n->pillars);
}

static void copy_model(core_arena *a, store_model *d, const store_model *m)
{
    *d = *m;
    d->id = DUP(a, m->id);
    d->name = DUP(a, m->name);
    d->released = DUP(a, m->released);
    d->licence = DUP(a, m->licence);
    d->hf_repo = DUP(a, m->hf_repo);
    d->as_of = DUP(a, m->as_of);
    d->confidence = DUP(a, m->confidence);
    d->source_note = DUP(a, m->source_note);
    d->company_id = DUP(a, m->company_id);
    d->lab_en = DUP(a, m->lab_en);
    d->lab_zh = DUP(a, m->lab_zh);
}

static void copy_source(core_arena *a, store_source *d, const store_source *s)
{
    *d = *s;
    d->id = DUP(a, s->id);
    d->kind = DUP(a, s->kind);
    d->url = DUP(a, s->url);
    d->pillar = DUP(a, s->pillar);
    d->title = DUP(a, s->title);
    d->headers_json = NULL; /* may hold credentials: never exported */
    d->origin = DUP(a, s->origin);
    d->last_error = DUP(a, s->last_error);
    d->etag = NULL;
    d->last_modified = NULL;
}

/* Grows *arr (of *n elements of size sz) by one zeroed element; returns it. */
static void *grow(void **arr, size_t *n, size_t *cap, size_t sz)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *arr = xrealloc(*arr, *cap * sz);
    }
    void *e = (char *)*arr + (*n)++ * sz;
    memset(e, 0, sz);
    return e;
}

/* Whether word is one of the space-separated words of list. */
static int has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, " ");
        if (len == n && memcmp(p, word, n) == 0)
            return 1;
        p += len + (p[len] == ' ');
    }
    return 0;
}

static const store_pillar *find_pillar(const char *id)
{
    size_t n;
    const store_pillar *pl = store_pillars(&n);
    for (size_t i = 0; id && i < n; i++)
        if (strcmp(pl[i].id, id) == 0)
            return &pl[i];
    return NULL;
}

/* ---- reading ---------------------------------------------------------------- */

typedef struct reader {
    export_snapshot *s;
    size_t cap;
} reader;

static int add_company(void *ctx, const store_company *c)
{
    reader *r = ctx;
    export_company *e = grow((void **)&r->s->companies, &r->s->n_companies, &r->cap, sizeof *e);
    copy_company(r->s->arena, &e->c, c);
    return 0;
}

static int add_source(void *ctx, const store_source *src)
{
    reader *r = ctx;
    export_snapshot *s = r->s;
    if (src->pillar != NULL) { /* a source without a pillar feeds every scope */
        if (strcmp(s->scope_kind, "pillar") == 0 && strcmp(src->pillar, s->scope_id) != 0)
            return 0;
        if (strcmp(s->scope_kind, "company") == 0 &&
            !has_word(s->companies[0].c.pillars, src->pillar))
            return 0;
    }
    store_source *d = grow((void **)&s->sources, &s->n_sources, &r->cap, sizeof *d);
    copy_source(s->arena, d, src);
    return 0;
}

static int add_pillar(store *st, export_snapshot *s, size_t *cap, const store_pillar *p, char **err)
{
    export_pillar *e = grow((void **)&s->pillars, &s->n_pillars, cap, sizeof *e);
    e->p = p;
    return store_pillar_summary_get(st, p->id, STORE_SPARK_MAX, &e->s, err);
}

static int read_pillars(store *st, export_snapshot *s, char **err)
{
    size_t n, cap = 0;
    const store_pillar *pl = store_pillars(&n);
    for (size_t i = 0; i < n; i++) {
        int in = strcmp(s->scope_kind, "all") == 0 ||
                 (strcmp(s->scope_kind, "pillar") == 0 && strcmp(pl[i].id, s->scope_id) == 0) ||
                 (strcmp(s->scope_kind, "company") == 0 &&
                  has_word(s->companies[0].c.pillars, pl[i].id));
        if (in && add_pillar(st, s, &cap, &pl[i], err) != 0)
            return -1;
    }
    return 0;
}

static int read_companies(store *st, export_snapshot *s, char **err)
{
    reader r = { s, 0 };
    if (strcmp(s->scope_kind, "company") != 0)
        return store_companies_each(st, s->scope_kind[0] == 'p' ? s->scope_id : NULL, add_company,
                                    &r, err);
    store_company_detail d;
    int found;
    if (store_company_get(st, s->scope_id, &d, &found, err) != 0)
        return -1;
    if (!found) {
        char *clean = export_clean(s->scope_id);
        core_fail(err, "no company '%s' (see 'xcdash companies')", clean);
        free(clean);
        return -1;
    }
    add_company(&r, &d.company);
    store_company_detail_free(&d);
    return 0;
}

static int read_closes(store *st, export_snapshot *s, char **err)
{
    store_daily buf[STORE_SPARK_MAX];
    for (size_t i = 0; i < s->n_companies; i++) {
        store_company *c = &s->companies[i].c;
        if (c->n_listings == 0)
            continue;
        export_closes *cl = core_arena_alloc(s->arena, c->n_listings * sizeof *cl);
        s->companies[i].closes = cl;
        for (size_t k = 0; k < c->n_listings; k++) {
            int n;
            if (store_closes(st, c->listings[k].exchange, c->listings[k].code, STORE_SPARK_MAX, buf,
                             &n, err) != 0)
                return -1;
            cl[k].n = n;
            cl[k].v = NULL;
            if (n > 0) {
                cl[k].v = core_arena_alloc(s->arena, (size_t)n * sizeof *cl[k].v);
                memcpy(cl[k].v, buf, (size_t)n * sizeof *buf);
            }
        }
    }
    return 0;
}

static int read_news(store *st, export_snapshot *s, char **err)
{
    const char *pillar = strcmp(s->scope_kind, "pillar") == 0 ? s->scope_id : NULL;
    const char *company = strcmp(s->scope_kind, "company") == 0 ? s->scope_id : NULL;
    if (store_news_count(st, pillar, company, s->news_since, &s->news_total, err) != 0)
        return -1;
    store_news_query q = { .pillar = pillar, .company = company, .after = STORE_CURSOR_START };
    size_t cap = 0;
    for (;;) {
        size_t left = (size_t)s->news_limit - s->n_news;
        if (left == 0)
            return 0;
        q.limit = left < PAGE ? (int)left : PAGE;
        store_news_page p;
        if (store_news_page_get(st, &q, &p, err) != 0)
            return -1;
        int done = !p.more;
        for (size_t i = 0; i < p.n; i++) {
            if (p.rows[i].published < s->news_since) { /* newest first: the rest is older */
                done = 1;
                break;
            }
            store_news *d = grow((void **)&s->news, &s->n_news, &cap, sizeof *d);
            copy_news(s->arena, d, &p.rows[i]);
        }
        q.after = p.next;
        store_news_page_free(&p);
        if (done)
            return 0;
    }
}

static int company_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const export_company *)elem)->c.id);
}

static int read_models(store *st, export_snapshot *s, char **err)
{
    const char *after = NULL;
    char *after_buf = NULL;
    size_t cap = 0;
    for (;;) {
        store_model_page p;
        int rc = store_models_page(st, after, PAGE, &p, err);
        free(after_buf);
        after_buf = NULL;
        if (rc != 0)
            return -1;
        for (size_t i = 0; i < p.n; i++) {
            const store_model *m = &p.rows[i];
            /* companies are in id order (the store's), so this is a binary search */
            if (export_company_find(s, m->company_id) == NULL)
                continue;
            store_model *d = grow((void **)&s->models, &s->n_models, &cap, sizeof *d);
            copy_model(s->arena, d, m);
        }
        int more = p.more && p.next != NULL;
        if (more)
            after = after_buf = xstrdup(p.next);
        store_model_page_free(&p);
        if (!more)
            return 0;
    }
}

/* The companies table's rows: each listing, or the company alone when it has none. */
static void index_rows(export_snapshot *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_companies; i++)
        n += s->companies[i].c.n_listings ? s->companies[i].c.n_listings : 1;
    s->rows = xcalloc(n ? n : 1, sizeof *s->rows);
    for (size_t i = 0; i < s->n_companies; i++) {
        size_t nl = s->companies[i].c.n_listings;
        for (size_t k = 0; k < (nl ? nl : 1); k++)
            s->rows[s->n_rows++] = (export_row){ i, nl ? (long)k : -1 };
    }
}

int export_snapshot_read(store *st, const export_opts *o, int charts, export_snapshot *out,
                         char **err)
{
    export_snapshot *s = out;
    memset(s, 0, sizeof *s);
    s->o = o;
    s->arena = core_arena_new();
    s->now = o->now;
    s->news_days = o->news_days > 0 ? o->news_days : EXPORT_NEWS_DAYS;
    s->news_limit = o->news_limit > 0 ? o->news_limit : EXPORT_NEWS_LIMIT;
    s->news_since = s->now - (int64_t)s->news_days * 86400;
    if (o->company != NULL) {
        s->scope_kind = "company";
        s->scope_id = o->company;
    } else if (o->pillar != NULL) {
        s->scope_kind = "pillar";
        s->scope_id = o->pillar;
        if (find_pillar(o->pillar) == NULL) {
            char *clean = export_clean(o->pillar);
            core_fail(err, "unknown pillar '%s' (gpu cpu ascend leasing models)", clean);
            free(clean);
            return -1;
        }
    } else {
        s->scope_kind = "all";
    }
    reader r = { s, 0 };
    if (read_companies(st, s, err) != 0 || read_pillars(st, s, err) != 0 ||
        (charts && read_closes(st, s, err) != 0) || read_news(st, s, err) != 0 ||
        read_models(st, s, err) != 0 || store_sources_each(st, add_source, &r, err) != 0)
        return -1;
    index_rows(s);
    return 0;
}

void export_snapshot_free(export_snapshot *s)
{
    free(s->pillars);
    free(s->companies);
    free(s->news);
    free(s->models);
    free(s->sources);
    free(s->rows);
    core_arena_free(s->arena);
    memset(s, 0, sizeof *s);
}

/* ---- the tables ------------------------------------------------------------- */

#define T(key, en, zh, kind)                                                                       \
    {                                                                                              \
        key, en, zh, EXPORT_K_##kind, 0                                                            \
    }
#define S(key, en, zh, kind)                                                                       \
    {                                                                                              \
        key, en, zh, EXPORT_K_##kind, 1                                                            \
    } /* coloured by sign */

static const export_column pillar_cols[] = {
    T("id", "Pillar id", "板块代码", TEXT),
    T("name_en", "Pillar", "板块（英文）", TEXT),
    T("name_zh", "Pillar (Chinese)", "板块", TEXT),
    S("move_pct", "Move", "涨跌幅", PCT),
    T("up", "Up", "上涨", INT),
    T("down", "Down", "下跌", INT),
    T("flat", "Flat", "平盘", INT),
    T("quoted", "Quoted", "有报价", INT),
    T("members", "Members", "成员", INT),
    T("top_mover_id", "Top mover id", "最大波动代码", TEXT),
    T("top_mover_name", "Top mover", "最大波动", TEXT),
    S("top_mover_change_pct", "Top mover move", "最大波动幅度", PCT),
    T("index_from", "Index from", "指数起始", TEXT),
    T("index_to", "Index to", "指数截至", TEXT),
    T("index_points", "Index points", "指数点数", INT),
    T("index_last", "Index (first = 100)", "指数（起点 = 100）", NUM),
    T("quote_time", "Newest quote", "最新报价时间", TIME),
    T("quote_fetched", "Fetched", "获取时间", TIME),
};

static const export_column company_cols[] = {
    T("company_id", "Company id", "公司代码", TEXT),
    T("name_en", "Company", "公司（英文）", TEXT),
    T("name_zh", "Company (Chinese)", "公司", TEXT),
    T("pillars", "Pillars", "板块", TEXT),
    T("status", "Status", "状态", TEXT),
    T("exchange", "Exchange", "交易所", TEXT),
    T("code", "Code", "代码", TEXT),
    T("currency", "Currency", "币种", TEXT),
    T("board", "Board", "板块市场", TEXT),
    T("last", "Last", "最新价", PRICE),
    S("change", "Change", "涨跌", PRICE),
    S("change_pct", "Change %", "涨跌幅", PCT),
    T("market_cap", "Market cap", "市值", BIG),
    T("quote_time", "Quote time", "报价时间", TIME),
    T("quote_fetched", "Fetched", "获取时间", TIME),
    T("source_interval_s", "Source interval (s)", "数据源间隔（秒）", INT),
    T("stale", "Stale", "过期", BOOL),
    T("as_of", "As of", "资料截至", TEXT),
    T("confidence", "Confidence", "可信度", TEXT),
    T("source_note", "Source note", "资料来源", TEXT),
    T("listing_as_of", "Listing as of", "上市资料截至", TEXT),
    T("listing_confidence", "Listing confidence", "上市资料可信度", TEXT),
    T("listing_source_note", "Listing source note", "上市资料来源", TEXT),
};

static const export_column news_cols[] = {
    T("id", "Id", "编号", INT),
    T("published", "Published", "发布时间", TIME),
    T("source", "Source", "来源", TEXT),
    T("title", "Title", "标题", TEXT),
    T("url", "Link", "链接", TEXT),
    T("companies", "Companies", "公司", TEXT),
    T("pillars", "Pillars", "板块", TEXT),
};

static const export_column model_cols[] = {
    T("id", "Model id", "模型代码", TEXT),
    T("name", "Model", "模型", TEXT),
    T("lab_id", "Lab id", "机构代码", TEXT),
    T("lab_name_en", "Lab", "机构（英文）", TEXT),
    T("lab_name_zh", "Lab (Chinese)", "机构", TEXT),
    T("released", "Released", "发布", TEXT),
    T("hf_repo", "Hugging Face repo", "Hugging Face 仓库", TEXT),
    T("downloads", "Downloads (30 days)", "下载量（30天）", INT),
    T("likes", "Likes", "点赞", INT),
    T("downloads_prev", "Downloads a day before", "前一日下载量", INT),
    T("likes_prev", "Likes a day before", "前一日点赞", INT),
    T("stats_time", "Stats time", "统计时间", TIME),
    T("prev_time", "Previous stats time", "前次统计时间", TIME),
    T("as_of", "As of", "资料截至", TEXT),
    T("confidence", "Confidence", "可信度", TEXT),
    T("source_note", "Source note", "资料来源", TEXT),
};

static const export_column source_cols[] = {
    T("id", "Source", "数据源", TEXT),
    T("kind", "Kind", "类型", TEXT),
    T("pillar", "Pillar", "板块", TEXT),
    T("title", "Title", "名称", TEXT),
    T("enabled", "Enabled", "启用", BOOL),
    T("interval_s", "Interval (s)", "间隔（秒）", INT),
    T("ok", "OK", "正常", BOOL),
    T("last_success", "Last success", "上次成功", TIME),
    T("last_attempt", "Last attempt", "上次尝试", TIME),
    T("last_error", "Last error", "最近错误", TEXT),
    T("http_status", "HTTP status", "HTTP 状态", INT),
    T("failures", "Failures in a row", "连续失败", INT),
    T("items", "Items", "条目", INT),
    T("next_due", "Next due", "下次获取", TIME),
};

#undef T
#undef S

#define COLS(a) a, (int)(sizeof a / sizeof a[0])
static const export_table tables[EXPORT_T_COUNT] = {
    { "pillars", "Summary", "概览", COLS(pillar_cols) },
    { "companies", "Companies", "公司", COLS(company_cols) },
    { "news", "News", "新闻", COLS(news_cols) },
    { "models", "Models", "模型", COLS(model_cols) },
    { "sources", "Sources", "数据源", COLS(source_cols) },
};
#undef COLS

const export_table *export_table_get(export_table_id t)
{
    return &tables[t];
}

int export_table_find(const char *name)
{
    if (name == NULL)
        return EXPORT_T_COMPANIES;
    for (int i = 0; i < EXPORT_T_COUNT; i++)
        if (strcmp(tables[i].name, name) == 0)
            return i;
    return -1;
}

size_t export_table_rows(const export_snapshot *s, export_table_id t)
{
    switch (t) {
    case EXPORT_T_PILLARS:
        return s->n_pillars;
    case EXPORT_T_COMPANIES:
        return s->n_rows;
    case EXPORT_T_NEWS:
        return s->n_news;
    case EXPORT_T_MODELS:
        return s->n_models;
    case EXPORT_T_SOURCES:
        return s->n_sources;
    default:
        return 0;
    }
}

/* Cell setters: a NULL string, a NaN, a negative count or a time <= 0 is unknown. */
static void c_text(export_cell *c, const char *s)
{
    c->text = s;
    c->null = s == NULL;
}

static void c_num(export_cell *c, double v)
{
    c->num = v;
    c->null = isnan(v);
}

static void c_int(export_cell *c, int64_t v)
{
    c->i = v;
    c->null = v < 0;
}

static void c_time(export_cell *c, int64_t t)
{
    c->i = t;
    c->null = t <= 0;
}

static void c_bool(export_cell *c, int v)
{
    c->i = v > 0;
    c->null = v < 0;
}

static void pillar_row(const export_snapshot *s, size_t r, export_cell *c)
{
    const export_pillar *p = &s->pillars[r];
    const store_pillar_summary *m = &p->s;
    int top = m->top_id[0] != '\0', idx = m->n_spark > 0;
    c_text(&c[0], p->p->id);
    c_text(&c[1], p->p->name_en);
    c_text(&c[2], p->p->name_zh);
    c_num(&c[3], m->move_pct);
    c_int(&c[4], m->up);
    c_int(&c[5], m->down);
    c_int(&c[6], m->flat);
    c_int(&c[7], m->quoted);
    c_int(&c[8], m->members);
    c_text(&c[9], top ? m->top_id : NULL);
    c_text(&c[10], top ? m->top_name : NULL);
    c_num(&c[11], top ? m->top_pct : NAN);
    c_text(&c[12], idx ? m->spark_from : NULL);
    c_text(&c[13], idx ? m->spark_to : NULL);
    c_int(&c[14], m->n_spark);
    c_num(&c[15], idx ? m->spark[m->n_spark - 1] : NAN);
    c_time(&c[16], m->quote_ts);
    c_time(&c[17], m->quote_fetched);
}

static void company_row(const export_snapshot *s, size_t r, export_cell *c)
{
    const store_company *co = &s->companies[s->rows[r].company].c;
    const store_listing *l = s->rows[r].listing >= 0 ? &co->listings[s->rows[r].listing] : NULL;
    int q = l != NULL && l->has_quote;
    c_text(&c[0], co->id);
    c_text(&c[1], co->name_en);
    c_text(&c[2], co->name_zh);
    c_text(&c[3], co->pillars);
    c_text(&c[4], co->status);
    c_text(&c[5], l ? l->exchange : NULL);
    c_text(&c[6], l ? l->code : NULL);
    c_text(&c[7], l ? l->currency : NULL);
    c_text(&c[8], l ? l->board : NULL);
    c_num(&c[9], q ? l->last : NAN);
    c_num(&c[10], q ? l->change : NAN);
    c_num(&c[11], q ? l->change_pct : NAN);
    c_num(&c[12], q ? l->market_cap : NAN);
    c_time(&c[13], q ? l->quote_ts : 0);
    c_time(&c[14], q ? l->quote_fetched : 0);
    c_int(&c[15], q && l->quote_interval > 0 ? l->quote_interval : -1);
    c_bool(&c[16], l ? export_quote_stale(s, l) : -1);
    c_text(&c[17], co->as_of);
    c_text(&c[18], co->confidence);
    c_text(&c[19], co->source_note);
    c_text(&c[20], l ? l->as_of : NULL);
    c_text(&c[21], l ? l->confidence : NULL);
    c_text(&c[22], l ? l->source_note : NULL);
}

static void news_row(const export_snapshot *s, size_t r, export_cell *c)
{
    const store_news *n = &s->news[r];
    c_int(&c[0], n->id);
    c_time(&c[1], n->published);
    c_text(&c[2], n->source_id);
    c_text(&c[3], n->title);
    c_text(&c[4], n->url);
    c_text(&c[5], n->companies);
    c_text(&c[6], n->pillars);
}

static void model_row(const export_snapshot *s, size_t r, export_cell *c)
{
    const store_model *m = &s->models[r];
    c_text(&c[0], m->id);
    c_text(&c[1], m->name);
    c_text(&c[2], m->company_id);
    c_text(&c[3], m->lab_en);
    c_text(&c[4], m->lab_zh);
    c_text(&c[5], m->released);
    c_text(&c[6], m->hf_repo);
    c_int(&c[7], m->downloads);
    c_int(&c[8], m->likes);
    c_int(&c[9], m->downloads_prev);
    c_int(&c[10], m->likes_prev);
    c_time(&c[11], m->stats_ts);
    c_time(&c[12], m->prev_ts);
    c_text(&c[13], m->as_of);
    c_text(&c[14], m->confidence);
    c_text(&c[15], m->source_note);
}

static void source_row(const export_snapshot *s, size_t r, export_cell *c)
{
    const store_source *x = &s->sources[r];
    c_text(&c[0], x->id);
    c_text(&c[1], x->kind);
    c_text(&c[2], x->pillar);
    c_text(&c[3], x->title);
    c_bool(&c[4], x->enabled);
    c_int(&c[5], x->interval_s > 0 ? x->interval_s : -1);
    c_bool(&c[6], export_source_ok(x));
    c_time(&c[7], x->last_success);
    c_time(&c[8], x->last_attempt);
    c_text(&c[9], x->last_error);
    c_int(&c[10], x->http_status > 0 ? x->http_status : -1);
    c_int(&c[11], x->failures);
    c_int(&c[12], x->items);
    c_time(&c[13], x->next_due);
}

void export_table_row(const export_snapshot *s, export_table_id t, size_t r, export_cell *cells)
{
    memset(cells, 0, (size_t)tables[t].ncols * sizeof *cells);
    switch (t) {
    case EXPORT_T_PILLARS:
        pillar_row(s, r, cells);
        break;
    case EXPORT_T_COMPANIES:
        company_row(s, r, cells);
        break;
    case EXPORT_T_NEWS:
        news_row(s, r, cells);
        break;
    case EXPORT_T_MODELS:
        model_row(s, r, cells);
        break;
    case EXPORT_T_SOURCES:
        source_row(s, r, cells);
        break;
    default:
        break;
    }
}

/* ---- formatting ------------------------------------------------------------- */

const char *export_time(int64_t t, char *buf, size_t sz)
{
    if (t <= 0)
        buf[0] = '\0';
    else
        core_iso8601(t, buf, sz);
    return buf;
}

/* Decimals of a price: the tick is 0.01, finer below 1 (Hong Kong's penny stocks). */
static int price_decimals(double price)
{
    return fabs(price) < 1 ? 3 : 2;
}

const char *export_fmt_price(double v, char *buf, size_t sz)
{
    if (isnan(v))
        snprintf(buf, sz, "%s", EXPORT_NONE);
    else
        snprintf(buf, sz, "%.*f", price_decimals(v), v);
    return buf;
}

/* "+x" for a rise, "-x" for a fall, "x" for exactly zero (no "+0.00" or "-0.00"). */
static const char *signed_fmt(double v, int decimals, const char *suffix, char *buf, size_t sz)
{
    if (isnan(v)) {
        snprintf(buf, sz, "%s", EXPORT_NONE);
        return buf;
    }
    char num[64];
    snprintf(num, sizeof num, "%.*f", decimals, fabs(v));
    int zero = strspn(num, "0.") == strlen(num);
    snprintf(buf, sz, "%s%s%s", zero ? "" : v > 0 ? "+" : "-", num, suffix);
    return buf;
}

const char *export_fmt_change(double v, double price, char *buf, size_t sz)
{
    return signed_fmt(v, isnan(price) ? 2 : price_decimals(price), "", buf, sz);
}

const char *export_fmt_pct(double v, char *buf, size_t sz)
{
    return signed_fmt(v, 2, "%", buf, sz);
}

const char *export_fmt_cap(double v, int lang_en, char *buf, size_t sz)
{
    static const struct unit {
        double size;
        const char *en, *zh;
    } units[] = { { 1e12, "T", "万亿" },
                  { 1e9, "B", NULL },
                  { 1e8, NULL, "亿" },
                  { 1e6, "M", NULL },
                  { 1e4, NULL, "万" } };
    if (isnan(v)) {
        snprintf(buf, sz, "%s", EXPORT_NONE);
        return buf;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        const char *u = lang_en ? units[i].en : units[i].zh;
        if (u != NULL && fabs(v) >= units[i].size) {
            snprintf(buf, sz, "%.2f%s", v / units[i].size, u);
            return buf;
        }
    }
    snprintf(buf, sz, "%.0f", v);
    return buf;
}

const char *export_fmt_count(int64_t v, char *buf, size_t sz)
{
    if (v < 0) {
        snprintf(buf, sz, "%s", EXPORT_NONE);
        return buf;
    }
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)v);
    size_t o = 0;
    for (int i = 0; i < n && o + 2 < sz; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

const char *export_fmt_span(int64_t secs, int lang_en, char *buf, size_t sz)
{
    if (secs < 0)
        secs = 0;
    if (secs < 60)
        snprintf(buf, sz, lang_en ? "%lld s" : "%lld秒", (long long)secs);
    else if (secs < 3600)
        snprintf(buf, sz, lang_en ? "%lld min" : "%lld分钟", (long long)secs / 60);
    else if (secs < 2 * 86400)
        snprintf(buf, sz, lang_en ? "%lld h" : "%lld小时", (long long)secs / 3600);
    else
        snprintf(buf, sz, lang_en ? "%lld d" : "%lld天", (long long)secs / 86400);
    return buf;
}

int export_sign(double v)
{
    return isnan(v) || v == 0 ? 0 : v > 0 ? 1 : -1;
}

int export_quote_stale(const export_snapshot *s, const store_listing *l)
{
    if (!l->has_quote || l->quote_fetched <= 0)
        return -1;
    return fetch_quote_stale(l->exchange, l->quote_fetched, l->quote_interval, s->now);
}

int export_source_ok(const store_source *src)
{
    if (src->last_attempt <= 0)
        return -1;
    return src->last_error == NULL && src->last_success >= src->last_attempt;
}

char *export_clean(const char *s)
{
    return widget_text_sanitize(s, -1, 0);
}

char *export_safe_url(const char *url)
{
    if (url == NULL ||
        (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0))
        return NULL;
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(url);
    char *out = xmalloc(3 * n + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7F || strchr("\"'<>\\^`{|}()", *p) != NULL) {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        } else {
            *o++ = (char)*p;
        }
    }
    *o = '\0';
    return out;
}

const char *export_rise_colour(const export_snapshot *s, int sign)
{
    static const char red[] = "#c62828", green[] = "#2e7d32", grey[] = "#616161";
    if (sign == 0)
        return grey;
    return (sign > 0) == (s->o->rise_red != 0) ? red : green;
}

const char *export_company_name(const export_snapshot *s, const store_company *c)
{
    const char *zh = c->name_zh && *c->name_zh ? c->name_zh : NULL;
    if (s->o->lang_en || zh == NULL)
        return c->name_en ? c->name_en : c->id;
    return zh;
}

const store_company *export_company_find(const export_snapshot *s, const char *id)
{
    const export_company *e =
        id ? bsearch(id, s->companies, s->n_companies, sizeof *s->companies, company_cmp) : NULL;
    return e ? &e->c : NULL;
}

const char *export_top_name(const export_snapshot *s, const store_pillar_summary *m)
{
    const store_company *c = export_company_find(s, m->top_id);
    return c ? export_company_name(s, c) : m->top_name;
}

const char *export_pillar_name(const export_snapshot *s, const char *id)
{
    const store_pillar *p = find_pillar(id);
    if (p == NULL)
        return id;
    return s->o->lang_en ? p->name_en : p->name_zh;
}

const char *export_fmt_fresh(const export_snapshot *s, const store_listing *l, char *buf, size_t sz)
{
    char a[32], b[32];
    int en = s->o->lang_en;
    if (l->quote_fetched <= 0) {
        snprintf(buf, sz, "%s", EXPORT_NONE);
        return buf;
    }
    export_fmt_span(s->now - l->quote_fetched, en, a, sizeof a);
    if (l->quote_interval > 0)
        snprintf(buf, sz, en ? "%s ago · every %s" : "%s前 · 每%s", a,
                 export_fmt_span(l->quote_interval, en, b, sizeof b));
    else
        snprintf(buf, sz, en ? "%s ago" : "%s前", a);
    return buf;
}

const char *export_fmt_delta(int64_t now, int64_t before, char *buf, size_t sz)
{
    if (now < 0 || before < 0) {
        snprintf(buf, sz, "%s", EXPORT_NONE);
        return buf;
    }
    char n[32];
    int64_t d = now - before;
    export_fmt_count(d < 0 ? -d : d, n, sizeof n);
    snprintf(buf, sz, "%s%s", d > 0 ? "+" : d < 0 ? "-" : "", n);
    return buf;
}

const char *export_source_status(const export_snapshot *s, const store_source *x)
{
    int ok = export_source_ok(x);
    if (!x->enabled)
        return EXPORT_L(s, "disabled", "已停用");
    if (ok < 0)
        return EXPORT_L(s, "not fetched yet", "尚未获取");
    return ok ? EXPORT_L(s, "ok", "正常") : EXPORT_L(s, "failing", "失败");
}

const char *export_text_demo(const export_snapshot *s)
{
    return EXPORT_L(s, "DEMO — the bundled offline demo data, not live market data or news",
                    "DEMO 演示 — 内置离线演示数据，并非实时行情或新闻");
}

const char *export_text_scope(const export_snapshot *s, char *buf, size_t sz)
{
    if (strcmp(s->scope_kind, "pillar") == 0)
        snprintf(buf, sz, "%s%s (%s)", EXPORT_L(s, "pillar ", "板块 "),
                 export_pillar_name(s, s->scope_id), s->scope_id);
    else if (strcmp(s->scope_kind, "company") == 0 && s->n_companies > 0)
        snprintf(buf, sz, "%s%s (%s)", EXPORT_L(s, "company ", "公司 "),
                 export_company_name(s, &s->companies[0].c), s->scope_id);
    else
        snprintf(buf, sz, "%s", EXPORT_L(s, "the whole dashboard", "全部"));
    return buf;
}

const char *export_text_rise(const export_snapshot *s)
{
    if (s->o->rise_red)
        return EXPORT_L(s, "a rise is red, a fall green (Chinese convention)",
                        "红涨绿跌（中国惯例）");
    return EXPORT_L(s, "a rise is green, a fall red (international convention)",
                    "绿涨红跌（国际惯例）");
}

const char *export_text_news(const export_snapshot *s, char *buf, size_t sz)
{
    char since[40];
    export_time(s->news_since, since, sizeof since);
    if (s->o->lang_en)
        snprintf(buf, sz, "the last %d days (since %s): the newest %zu of %lld", s->news_days,
                 since, s->n_news, (long long)s->news_total);
    else
        snprintf(buf, sz, "最近 %d 天（自 %s 起）共 %lld 条，列出最新 %zu 条", s->news_days, since,
                 (long long)s->news_total, s->n_news);
    return buf;
}

const char *export_text_quotes(const export_snapshot *s)
{
    return EXPORT_L(s,
                    "quote time is the market's time of the price, fetched when xcdash read it; "
                    "stale: not refreshed within twice its source's interval",
                    "报价时间为市场报价的时间，获取为 xcdash 读取的时间；"
                    "过期：超过数据源间隔的两倍仍未刷新");
}
