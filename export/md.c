/*
 * md.c — the snapshot as a Markdown report: a header saying when, what and
 * how fresh, then one GitHub-style table per section.
 *
 * It is written to be read both as plain text and rendered. Every piece of
 * cache text passes the one sanitizer, then Markdown's active characters
 * (\ ` * _ [ ] < > | & ~) are backslash-escaped, so a headline can neither
 * break out of its table cell nor become markup, a link or raw HTML once
 * rendered; only http(s) links become links, their URLs percent-encoded
 * where Markdown or HTML would read a character. Numbers are formatted for
 * people by snapshot.c (prices to the tick, signed percentages, market caps
 * in 亿 or B); a listing without a quote shows "—", never a zero.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/private.h"

/* Cache text, sanitized and escaped for a Markdown table cell. */
static void md_text(FILE *f, const char *s)
{
    char *clean = export_clean(s);
    for (const char *p = clean; *p; p++) {
        if (strchr("\\`*_[]<>|&~", *p) != NULL)
            fputc('\\', f);
        fputc(*p, f);
    }
    free(clean);
}

static void md_time(FILE *f, int64_t t)
{
    char buf[40];
    fputs(t > 0 ? export_time(t, buf, sizeof buf) : EXPORT_NONE, f);
}

/* A header row and its alignment row; align is one character per column, 'l' or 'r'. */
static void md_head(FILE *f, const char *const *titles, const char *align)
{
    for (size_t i = 0; titles[i]; i++)
        fprintf(f, "| %s ", titles[i]);
    fputs("|\n", f);
    for (size_t i = 0; titles[i]; i++)
        fputs(align[i] == 'r' ? "|---:" : "|---", f);
    fputs("|\n", f);
}

static void header(const export_snapshot *s, FILE *f)
{
    char buf[512];
    fprintf(f, "# xcdash %s · ", EXPORT_L(s, "snapshot", "快照"));
    md_text(f, export_text_scope(s, buf, sizeof buf));
    fputs("\n\n", f);
    if (s->o->demo) {
        fputs("> **", f);
        md_text(f, export_text_demo(s));
        fputs("**\n\n", f);
    }
    fprintf(f, "- %s: %s\n", EXPORT_L(s, "Generated", "生成时间"),
            export_time(s->now, buf, sizeof buf));
    fprintf(f, "- %s: %s\n", EXPORT_L(s, "Colours", "颜色"), export_text_rise(s));
    fprintf(f, "- %s: %s\n", EXPORT_L(s, "News", "新闻"), export_text_news(s, buf, sizeof buf));
    fprintf(f, "- %s: ", EXPORT_L(s, "Quotes", "行情"));
    md_text(f, export_text_quotes(s));
    fputc('\n', f);
}

static void pillars(const export_snapshot *s, FILE *f)
{
    char a[48];
    fprintf(f, "\n## %s\n\n", EXPORT_L(s, "Pillars", "板块"));
    const char *const en[] = { "Pillar",           "Move",      "Up / down / flat",
                               "Quoted / members", "Top mover", "Index (first = 100)",
                               "Newest quote",     NULL };
    const char *const zh[] = { "板块",          "涨跌幅",   "涨 / 跌 / 平",
                               "有报价 / 成员", "最大波动", "指数（起点 = 100）",
                               "最新报价",      NULL };
    md_head(f, s->o->lang_en ? en : zh, "lrrrlrl");
    for (size_t i = 0; i < s->n_pillars; i++) {
        const export_pillar *p = &s->pillars[i];
        const store_pillar_summary *m = &p->s;
        fputs("| ", f);
        md_text(f, export_pillar_name(s, p->p->id));
        fprintf(f, " (%s) | %s | %d / %d / %d | %d / %d | ", p->p->id,
                export_fmt_pct(m->move_pct, a, sizeof a), m->up, m->down, m->flat, m->quoted,
                m->members);
        if (m->top_id[0]) {
            md_text(f, export_top_name(s, m));
            fprintf(f, " %s", export_fmt_pct(m->top_pct, a, sizeof a));
        } else {
            fputs(EXPORT_NONE, f);
        }
        fputs(" | ", f);
        if (m->n_spark > 0)
            fprintf(f, "%.2f (%s → %s, %d)", m->spark[m->n_spark - 1], m->spark_from, m->spark_to,
                    m->n_spark);
        else
            fputs(EXPORT_NONE, f);
        fputs(" | ", f);
        md_time(f, m->quote_ts);
        fputs(" |\n", f);
    }
}

static void companies(const export_snapshot *s, FILE *f)
{
    char a[48], b[48], c[48], d[48];
    fprintf(f, "\n## %s\n\n", EXPORT_L(s, "Companies", "公司"));
    const char *const en[] = { "Company",    "Listing",    "Last",    "Change",     "Change %",
                               "Market cap", "Quote time", "Fetched", "Confidence", NULL };
    const char *const zh[] = { "公司", "上市代码", "最新价", "涨跌",   "涨跌幅",
                               "市值", "报价时间", "获取",   "可信度", NULL };
    md_head(f, s->o->lang_en ? en : zh, "llrrrrlll");
    for (size_t r = 0; r < s->n_rows; r++) {
        const store_company *co = &s->companies[s->rows[r].company].c;
        const store_listing *l = s->rows[r].listing >= 0 ? &co->listings[s->rows[r].listing] : NULL;
        fputs("| ", f);
        md_text(f, export_company_name(s, co));
        fputs(" (", f);
        md_text(f, co->id);
        fputs(") | ", f);
        if (l != NULL) {
            md_text(f, l->code);
            fputc('.', f);
            md_text(f, l->exchange);
            if (l->currency) {
                fputc(' ', f);
                md_text(f, l->currency);
            }
        } else {
            md_text(f, co->status ? co->status : EXPORT_NONE);
        }
        if (l != NULL && l->has_quote) {
            fprintf(f, " | %s | %s | %s | %s | ", export_fmt_price(l->last, a, sizeof a),
                    export_fmt_change(l->change, l->last, b, sizeof b),
                    export_fmt_pct(l->change_pct, c, sizeof c),
                    export_fmt_cap(l->market_cap, s->o->lang_en, d, sizeof d));
            md_time(f, l->quote_ts);
            fprintf(f, " | %s", export_fmt_fresh(s, l, a, sizeof a));
            if (export_quote_stale(s, l) == 1)
                fputs(EXPORT_L(s, " · **stale**", " · **过期**"), f);
        } else {
            fputs(" | " EXPORT_NONE " | " EXPORT_NONE " | " EXPORT_NONE " | " EXPORT_NONE
                  " | " EXPORT_NONE " | " EXPORT_NONE,
                  f);
        }
        fputs(" | ", f);
        md_text(f, co->confidence ? co->confidence : "?");
        fputs(" (", f);
        md_text(f, co->as_of ? co->as_of : "?");
        fputs(") |\n", f);
    }
}

static void news(const export_snapshot *s, FILE *f)
{
    fprintf(f, "\n## %s (%zu)\n\n", EXPORT_L(s, "News", "新闻"), s->n_news);
    if (s->n_news == 0) {
        fputs(EXPORT_L(s, "No news in the window.\n", "此时间窗口内没有新闻。\n"), f);
        return;
    }
    const char *const en[] = { "Published", "Source", "Title", "Companies", NULL };
    const char *const zh[] = { "发布时间", "来源", "标题", "公司", NULL };
    md_head(f, s->o->lang_en ? en : zh, "llll");
    for (size_t i = 0; i < s->n_news; i++) {
        const store_news *n = &s->news[i];
        fputs("| ", f);
        md_time(f, n->published);
        fputs(" | ", f);
        md_text(f, n->source_id);
        fputs(" | ", f);
        char *url = export_safe_url(n->url);
        if (url != NULL) {
            fputc('[', f);
            md_text(f, n->title);
            fprintf(f, "](%s)", url);
            free(url);
        } else {
            md_text(f, n->title);
        }
        fputs(" | ", f);
        md_text(f, n->companies ? n->companies : "");
        fputs(" |\n", f);
    }
}

static void models(const export_snapshot *s, FILE *f)
{
    char a[48], b[48], c[48];
    fprintf(f, "\n## %s\n\n", EXPORT_L(s, "Models", "模型"));
    if (s->n_models == 0) {
        fputs(EXPORT_L(s, "No models in scope.\n", "范围内没有模型。\n"), f);
        return;
    }
    const char *const en[] = { "Model",      "Lab",   "Released",   "Downloads (30 days)",
                               "Day change", "Likes", "Stats time", NULL };
    const char *const zh[] = { "模型",   "机构", "发布",     "下载量（30天）",
                               "日变化", "点赞", "统计时间", NULL };
    md_head(f, s->o->lang_en ? en : zh, "lllrrrl");
    for (size_t i = 0; i < s->n_models; i++) {
        const store_model *m = &s->models[i];
        fputs("| ", f);
        md_text(f, m->name);
        fputs(" | ", f);
        md_text(f, s->o->lang_en || m->lab_zh == NULL ? m->lab_en : m->lab_zh);
        fputs(" | ", f);
        md_text(f, m->released ? m->released : EXPORT_NONE);
        fprintf(f, " | %s | ", export_fmt_count(m->downloads, a, sizeof a));
        fputs(export_fmt_delta(m->downloads, m->downloads_prev, b, sizeof b), f);
        fprintf(f, " | %s | ", export_fmt_count(m->likes, c, sizeof c));
        md_time(f, m->stats_ts);
        fputs(" |\n", f);
    }
}

static void sources(const export_snapshot *s, FILE *f)
{
    char a[48];
    fprintf(f, "\n## %s\n\n", EXPORT_L(s, "Sources", "数据源"));
    const char *const en[] = { "Source",       "Kind",         "Pillar", "Status",
                               "Last success", "Last attempt", "HTTP",   "Items",
                               "Next due",     "Last error",   NULL };
    const char *const zh[] = { "数据源", "类型", "板块",     "状态",     "上次成功", "上次尝试",
                               "HTTP",   "条目", "下次获取", "最近错误", NULL };
    md_head(f, s->o->lang_en ? en : zh, "llllllrrll");
    for (size_t i = 0; i < s->n_sources; i++) {
        const store_source *x = &s->sources[i];
        fputs("| ", f);
        md_text(f, x->id);
        fputs(" | ", f);
        md_text(f, x->kind);
        fputs(" | ", f);
        md_text(f, x->pillar ? x->pillar : EXPORT_NONE);
        fprintf(f, x->enabled && export_source_ok(x) == 0 ? " | **%s** | " : " | %s | ",
                export_source_status(s, x));
        md_time(f, x->last_success);
        fputs(" | ", f);
        md_time(f, x->last_attempt);
        if (x->http_status > 0)
            fprintf(f, " | %d", x->http_status);
        else
            fputs(" | " EXPORT_NONE, f);
        fprintf(f, " | %s | ", export_fmt_count(x->items, a, sizeof a));
        md_time(f, x->next_due);
        fputs(" | ", f);
        md_text(f, x->last_error ? x->last_error : "");
        fputs(" |\n", f);
    }
}

int export_md(const export_snapshot *s, FILE *f, char **err)
{
    (void)err;
    header(s, f);
    pillars(s, f);
    companies(s, f);
    news(s, f);
    models(s, f);
    sources(s, f);
    return 0;
}
