/*
 * html.c — the snapshot as one self-contained HTML page, to share or print.
 *
 * Self-contained means one file that needs nothing else: the CSS is inline
 * (with a print style), the charts are inline SVG drawn here — a sparkline
 * of each pillar's index and a price chart of each listing's last daily
 * closes — and nothing is fetched from anywhere (system fonts, no images,
 * no script). A Content-Security-Policy meta tag says so to the browser as
 * well (default-src 'none'), so even a mistake below could not load or run
 * anything.
 *
 * Every piece of cache text passes the one sanitizer and is HTML-escaped,
 * quotes included (& < > " '), in text and in attributes alike; a link is
 * made only of an http(s) URL, percent-encoded where HTML would read a
 * character, and opens with rel="noopener noreferrer". The colour of a
 * rise follows the setting (CSS variables --rise and --fall); the page says
 * DEMO in a banner when the data is the offline demo set, says when it was
 * generated, and shows beside each quote the market's time of it, how long
 * ago it was fetched, how often its source polls, and whether it is stale.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/private.h"

#define SPARK_W   200 /* pillar sparkline, SVG user units */
#define SPARK_H   40
#define CHART_W   320 /* price chart */
#define CHART_H   110
#define CHART_PAD 14 /* room above and below the line for the high and low labels */

/* Escaped for HTML text and attribute values alike. */
static void esc_raw(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

/* Cache text: sanitized, then escaped. */
static void esc(FILE *f, const char *s)
{
    char *clean = export_clean(s ? s : "");
    esc_raw(f, clean);
    free(clean);
}

static void put_time(FILE *f, int64_t t)
{
    char buf[40];
    if (t <= 0) {
        fputs(EXPORT_NONE, f);
        return;
    }
    export_time(t, buf, sizeof buf);
    fprintf(f, "<time datetime=\"%s\">%s</time>", buf, buf);
}

/* "2026-08-30 → 2026-11-27": dates of bars (network data), escaped like any text. */
static void span(FILE *f, const char *from, const char *to)
{
    esc(f, from);
    fputs(" → ", f);
    esc(f, to);
}

static const char *sign_class(double v)
{
    int s = export_sign(v);
    return s > 0 ? "rise" : s < 0 ? "fall" : "flat";
}

/* An <a> for an http(s) URL around text, else the text alone. */
static void put_link(FILE *f, const char *url, const char *text)
{
    char *u = export_safe_url(url);
    if (u != NULL) {
        fputs("<a href=\"", f);
        esc_raw(f, u);
        fputs("\" rel=\"noopener noreferrer nofollow\">", f);
    }
    esc(f, text);
    if (u != NULL)
        fputs("</a>", f);
    free(u);
}

/* The y of value x in a chart of height h (pad above and below) spanning [lo, hi]. */
static double scale_y(double x, double lo, double hi, int h, int pad)
{
    return hi > lo ? pad + (hi - x) / (hi - lo) * (h - 2 * pad) : h / 2.0;
}

/* A polyline through v[0..n) (n >= 2) scaled into w x h (with pad), in colour;
 * optionally a dashed line at the first value. */
static void polyline(FILE *f, const double *v, int n, int w, int h, int pad, const char *colour,
                     int baseline)
{
    double lo = v[0], hi = v[0];
    for (int i = 1; i < n; i++) {
        lo = v[i] < lo ? v[i] : lo;
        hi = v[i] > hi ? v[i] : hi;
    }
    if (baseline) {
        double y = scale_y(v[0], lo, hi, h, pad);
        fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"base\"/>", pad, y,
                w - pad, y);
    }
    fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", colour);
    for (int i = 0; i < n; i++)
        fprintf(f, "%s%.1f,%.1f", i ? " " : "", pad + (double)i * (w - 2 * pad) / (n - 1),
                scale_y(v[i], lo, hi, h, pad));
    fputs("\"/>", f);
}

static void page_head(const export_snapshot *s, FILE *f)
{
    char buf[512];
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"xcdash\">\n<title>xcdash ",
            s->o->lang_en ? "en" : "zh-CN");
    esc_raw(f, EXPORT_L(s, "snapshot", "快照"));
    fputs(" · ", f);
    esc(f, export_text_scope(s, buf, sizeof buf));
    fputs(" · ", f);
    esc_raw(f, export_time(s->now, buf, sizeof buf));
    fputs("</title>\n<style>\n", f);
    fprintf(f, ":root{--rise:%s;--fall:%s;--flat:%s}\n", export_rise_colour(s, 1),
            export_rise_colour(s, -1), export_rise_colour(s, 0));
    fputs("body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",\"Noto Sans CJK SC\","
          "\"PingFang SC\",\"Microsoft YaHei\",sans-serif;color:#212121;background:#fff;"
          "margin:0 auto;max-width:1240px;padding:16px 24px}\n"
          "h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:28px 0 8px;"
          "border-bottom:2px solid #eee;padding-bottom:4px}h3{font-size:15px;margin:18px 0 8px}\n"
          ".demo{background:#c62828;color:#fff;font-weight:700;padding:8px 12px;"
          "border-radius:4px;margin:8px 0}\n"
          ".meta{color:#555;margin:2px 0}.dim{color:#757575;font-size:12px}\n"
          "table{border-collapse:collapse;width:100%;margin:4px 0 12px}\n"
          "th,td{border-bottom:1px solid #e6e6e6;padding:4px 8px;text-align:left;"
          "vertical-align:top}\n"
          "th{background:#f5f5f5;font-weight:600;white-space:nowrap}\n"
          "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
          "td time{white-space:nowrap}\n"
          ".rise{color:var(--rise)}.fall{color:var(--fall)}.flat{color:var(--flat)}\n"
          ".stale{color:#b26a00;font-weight:600}.bad{color:#c62828;font-weight:600}\n"
          ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));"
          "gap:12px}\n"
          ".card,figure{border:1px solid #e0e0e0;border-radius:6px;padding:10px 12px;margin:0}\n"
          ".card .move{font-size:20px;font-weight:600}\n"
          ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));"
          "gap:12px}\n"
          "figcaption{font-size:12px;color:#555;margin-bottom:4px}\n"
          "svg{display:block;width:100%;height:auto}svg .base{stroke:#bdbdbd;"
          "stroke-dasharray:3 3}svg text{font-size:9px;fill:#757575}\n"
          "a{color:#1565c0;text-decoration:none}\n"
          "@media print{body{max-width:none;padding:0;font-size:10px}"
          "h2{break-after:avoid}tr,.card,figure{break-inside:avoid}a{color:inherit}"
          ".demo,.rise,.fall{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n"
          "</style>\n</head>\n<body>\n<header>\n",
          f);
    if (s->o->demo) {
        fputs("<div class=\"demo\">", f);
        esc_raw(f, export_text_demo(s));
        fputs("</div>\n", f);
    }
    fprintf(f, "<h1>xcdash %s · ", EXPORT_L(s, "snapshot", "快照"));
    esc(f, export_text_scope(s, buf, sizeof buf));
    fprintf(f, "</h1>\n<p class=\"meta\">%s ", EXPORT_L(s, "Generated", "生成时间"));
    put_time(f, s->now);
    fprintf(f, " · %s: ", EXPORT_L(s, "colours", "颜色"));
    esc_raw(f, export_text_rise(s));
    fprintf(f, "</p>\n<p class=\"meta\">%s: ", EXPORT_L(s, "News", "新闻"));
    esc_raw(f, export_text_news(s, buf, sizeof buf));
    fprintf(f, "</p>\n<p class=\"meta\">%s: ", EXPORT_L(s, "Quotes", "行情"));
    esc_raw(f, export_text_quotes(s));
    fputs("</p>\n</header>\n", f);
}

static void pillars(const export_snapshot *s, FILE *f)
{
    char a[48], b[48];
    fprintf(f, "<section id=\"pillars\">\n<h2>%s</h2>\n<div class=\"cards\">\n",
            EXPORT_L(s, "Pillars", "板块"));
    for (size_t i = 0; i < s->n_pillars; i++) {
        const export_pillar *p = &s->pillars[i];
        const store_pillar_summary *m = &p->s;
        fputs("<div class=\"card\">\n<div><b>", f);
        esc(f, export_pillar_name(s, p->p->id));
        fputs("</b> <span class=\"dim\">", f);
        esc(f, s->o->lang_en ? p->p->name_zh : p->p->name_en);
        fprintf(f, "</span></div>\n<div class=\"move %s\">%s</div>\n", sign_class(m->move_pct),
                export_fmt_pct(m->move_pct, a, sizeof a));
        if (m->n_spark >= 2) {
            fprintf(f, "<svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s ", SPARK_W, SPARK_H,
                    EXPORT_L(s, "index", "指数"));
            span(f, m->spark_from, m->spark_to);
            fputs("\">", f);
            polyline(f, m->spark, m->n_spark, SPARK_W, SPARK_H, 3,
                     export_rise_colour(s, export_sign(m->spark[m->n_spark - 1] - m->spark[0])), 1);
            fputs("</svg>\n", f);
        }
        fprintf(f,
                s->o->lang_en
                    ? "<div class=\"dim\">up %d · down %d · flat %d · quoted %d of %d</div>\n"
                    : "<div class=\"dim\">涨 %d · 跌 %d · 平 %d · 有报价 %d / %d</div>\n",
                m->up, m->down, m->flat, m->quoted, m->members);
        if (m->top_id[0]) {
            fprintf(f, "<div class=\"dim\">%s: ", EXPORT_L(s, "top mover", "最大波动"));
            esc(f, export_top_name(s, m));
            fprintf(f, " <span class=\"%s\">%s</span></div>\n", sign_class(m->top_pct),
                    export_fmt_pct(m->top_pct, b, sizeof b));
        }
        if (m->n_spark > 0) {
            fprintf(f, "<div class=\"dim\">%s 100 → %.2f · ", EXPORT_L(s, "index", "指数"),
                    m->spark[m->n_spark - 1]);
            span(f, m->spark_from, m->spark_to);
            fputs("</div>\n", f);
        }
        fprintf(f, "<div class=\"dim\">%s ", EXPORT_L(s, "newest quote", "最新报价"));
        put_time(f, m->quote_ts);
        fputs("</div>\n</div>\n", f);
    }
    fputs("</div>\n</section>\n", f);
}

static void th(FILE *f, const char *const *titles, const char *align)
{
    fputs("<thead><tr>", f);
    for (size_t i = 0; titles[i]; i++)
        fprintf(f, "<th%s>%s</th>", align[i] == 'r' ? " class=\"n\"" : "", titles[i]);
    fputs("</tr></thead>\n<tbody>\n", f);
}

static void company_rows(const export_snapshot *s, FILE *f)
{
    char a[48], b[48], c[48], d[64];
    for (size_t r = 0; r < s->n_rows; r++) {
        const store_company *co = &s->companies[s->rows[r].company].c;
        const store_listing *l = s->rows[r].listing >= 0 ? &co->listings[s->rows[r].listing] : NULL;
        fputs("<tr><td><b>", f);
        esc(f, export_company_name(s, co));
        fputs("</b> <span class=\"dim\">", f);
        esc(f, s->o->lang_en ? co->name_zh : co->name_en);
        fputs(" · ", f);
        esc(f, co->id);
        fputs("</span></td><td>", f);
        if (l != NULL) {
            esc(f, l->code);
            fputc('.', f);
            esc(f, l->exchange);
            fputs(" <span class=\"dim\">", f);
            esc(f, l->currency);
            fputs("</span>", f);
        } else {
            fputs("<span class=\"dim\">", f);
            esc(f, co->status);
            fputs("</span>", f);
        }
        fputs("</td>", f);
        if (l != NULL && l->has_quote) {
            const char *cls = sign_class(l->change_pct);
            fprintf(f,
                    "<td class=\"n\">%s</td><td class=\"n %s\">%s</td><td class=\"n %s\">%s</td>"
                    "<td class=\"n\">%s</td><td>",
                    export_fmt_price(l->last, a, sizeof a), cls,
                    export_fmt_change(l->change, l->last, b, sizeof b), cls,
                    export_fmt_pct(l->change_pct, c, sizeof c),
                    export_fmt_cap(l->market_cap, s->o->lang_en, d, sizeof d));
            put_time(f, l->quote_ts);
            fprintf(f, "<br><span class=\"dim\">%s %s</span>", EXPORT_L(s, "fetched", "获取于"),
                    export_fmt_fresh(s, l, a, sizeof a));
            if (export_quote_stale(s, l) == 1)
                fprintf(f, " <span class=\"stale\">%s</span>", EXPORT_L(s, "stale", "过期"));
            fputs("</td>", f);
        } else {
            fprintf(f,
                    "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                    "<td class=\"n\">%s</td><td class=\"dim\">%s</td>",
                    EXPORT_NONE, EXPORT_NONE, EXPORT_NONE, EXPORT_NONE,
                    l ? EXPORT_L(s, "no quote yet", "暂无报价")
                      : EXPORT_L(s, "not listed", "未上市"));
        }
        fputs("<td>", f);
        esc(f, co->confidence ? co->confidence : "?");
        fputs(" <span class=\"dim\">", f);
        esc(f, co->as_of);
        fputs("</span></td></tr>\n", f);
    }
}

/* A price chart of a listing's closes, when it has at least two. */
static void chart(const export_snapshot *s, FILE *f, const store_company *co,
                  const store_listing *l, const export_closes *cl)
{
    char a[48], b[48], c[48];
    double v[STORE_SPARK_MAX];
    int n = cl->n < STORE_SPARK_MAX ? cl->n : STORE_SPARK_MAX;
    if (n < 2)
        return;
    double lo = cl->v[0].close, hi = lo;
    for (int i = 0; i < n; i++) {
        v[i] = cl->v[i].close;
        lo = v[i] < lo ? v[i] : lo;
        hi = v[i] > hi ? v[i] : hi;
    }
    double move = v[0] != 0 ? (v[n - 1] / v[0] - 1) * 100 : NAN;
    fputs("<figure><figcaption><b>", f);
    esc(f, export_company_name(s, co));
    fputs("</b> ", f);
    esc(f, l->code);
    fputc('.', f);
    esc(f, l->exchange);
    fprintf(f, s->o->lang_en ? " · %d sessions, " : " · %d 个交易日，", n);
    span(f, cl->v[0].date, cl->v[n - 1].date);
    fprintf(f, " · %s → %s <span class=\"%s\">%s</span></figcaption>\n",
            export_fmt_price(v[0], a, sizeof a), export_fmt_price(v[n - 1], b, sizeof b),
            sign_class(move), export_fmt_pct(move, c, sizeof c));
    fprintf(f, "<svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", CHART_W, CHART_H);
    esc(f, l->code);
    fputc(' ', f);
    span(f, cl->v[0].date, cl->v[n - 1].date);
    fputs("\">", f);
    polyline(f, v, n, CHART_W, CHART_H, CHART_PAD,
             export_rise_colour(s, export_sign(v[n - 1] - v[0])), 1);
    fprintf(f, "<text x=\"%d\" y=\"%d\">%s</text><text x=\"%d\" y=\"%d\">%s</text></svg>\n",
            CHART_PAD, CHART_PAD - 5, export_fmt_price(hi, a, sizeof a), CHART_PAD, CHART_H - 3,
            export_fmt_price(lo, b, sizeof b));
    fputs("</figure>\n", f);
}

static void companies(const export_snapshot *s, FILE *f)
{
    fprintf(f, "<section id=\"companies\">\n<h2>%s</h2>\n<table>\n",
            EXPORT_L(s, "Companies", "公司"));
    const char *const en[] = {
        "Company",    "Listing", "Last", "Change", "Change %", "Market cap", "Quote time · fetched",
        "Confidence", NULL
    };
    const char *const zh[] = { "公司", "上市代码",        "最新价", "涨跌", "涨跌幅",
                               "市值", "报价时间 · 获取", "可信度", NULL };
    th(f, s->o->lang_en ? en : zh, "llrrrrll");
    company_rows(s, f);
    fputs("</tbody>\n</table>\n", f);
    int any = 0;
    for (size_t i = 0; i < s->n_companies; i++) {
        const export_company *e = &s->companies[i];
        for (size_t k = 0; e->closes && k < e->c.n_listings; k++) {
            if (e->closes[k].n < 2)
                continue;
            if (!any++)
                fprintf(f, "<h3>%s</h3>\n<div class=\"charts\">\n",
                        EXPORT_L(s, "Price charts (daily closes)", "价格走势（日收盘）"));
            chart(s, f, &e->c, &e->c.listings[k], &e->closes[k]);
        }
    }
    if (any)
        fputs("</div>\n", f);
    fputs("</section>\n", f);
}

static void news(const export_snapshot *s, FILE *f)
{
    fprintf(f, "<section id=\"news\">\n<h2>%s (%zu)</h2>\n", EXPORT_L(s, "News", "新闻"),
            s->n_news);
    if (s->n_news == 0) {
        fprintf(f, "<p class=\"dim\">%s</p>\n</section>\n",
                EXPORT_L(s, "No news in the window.", "此时间窗口内没有新闻。"));
        return;
    }
    const char *const en[] = { "Published", "Source", "Title", "Companies", NULL };
    const char *const zh[] = { "发布时间", "来源", "标题", "公司", NULL };
    fputs("<table>\n", f);
    th(f, s->o->lang_en ? en : zh, "llll");
    for (size_t i = 0; i < s->n_news; i++) {
        const store_news *n = &s->news[i];
        fputs("<tr><td class=\"dim\">", f);
        put_time(f, n->published);
        fputs("</td><td>", f);
        esc(f, n->source_id);
        fputs("</td><td>", f);
        put_link(f, n->url, n->title);
        fputs("</td><td class=\"dim\">", f);
        esc(f, n->companies);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table>\n</section>\n", f);
}

static void models(const export_snapshot *s, FILE *f)
{
    char a[48], b[48], c[48];
    fprintf(f, "<section id=\"models\">\n<h2>%s</h2>\n", EXPORT_L(s, "Models", "模型"));
    if (s->n_models == 0) {
        fprintf(f, "<p class=\"dim\">%s</p>\n</section>\n",
                EXPORT_L(s, "No models in scope.", "范围内没有模型。"));
        return;
    }
    const char *const en[] = { "Model",      "Lab",   "Released",   "Downloads (30 days)",
                               "Day change", "Likes", "Stats time", NULL };
    const char *const zh[] = { "模型",   "机构", "发布",     "下载量（30天）",
                               "日变化", "点赞", "统计时间", NULL };
    fputs("<table>\n", f);
    th(f, s->o->lang_en ? en : zh, "lllrrrl");
    for (size_t i = 0; i < s->n_models; i++) {
        const store_model *m = &s->models[i];
        fputs("<tr><td>", f);
        esc(f, m->name);
        fputs("</td><td>", f);
        esc(f, s->o->lang_en || m->lab_zh == NULL ? m->lab_en : m->lab_zh);
        fputs("</td><td>", f);
        esc(f, m->released ? m->released : EXPORT_NONE);
        fprintf(f,
                "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                "<td class=\"dim\">",
                export_fmt_count(m->downloads, a, sizeof a),
                export_fmt_delta(m->downloads, m->downloads_prev, b, sizeof b),
                export_fmt_count(m->likes, c, sizeof c));
        put_time(f, m->stats_ts);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table>\n</section>\n", f);
}

static void sources(const export_snapshot *s, FILE *f)
{
    char a[48];
    fprintf(f, "<section id=\"sources\">\n<h2>%s</h2>\n<table>\n",
            EXPORT_L(s, "Sources", "数据源"));
    const char *const en[] = { "Source",       "Kind",         "Pillar", "Status",
                               "Last success", "Last attempt", "HTTP",   "Items",
                               "Next due",     "Last error",   NULL };
    const char *const zh[] = { "数据源", "类型", "板块",     "状态",     "上次成功", "上次尝试",
                               "HTTP",   "条目", "下次获取", "最近错误", NULL };
    th(f, s->o->lang_en ? en : zh, "llllllrrll");
    for (size_t i = 0; i < s->n_sources; i++) {
        const store_source *x = &s->sources[i];
        fputs("<tr><td>", f);
        esc(f, x->id);
        if (x->title) {
            fputs("<br><span class=\"dim\">", f);
            esc(f, x->title);
            fputs("</span>", f);
        }
        fputs("</td><td>", f);
        esc(f, x->kind);
        fputs("</td><td>", f);
        esc(f, x->pillar ? x->pillar : EXPORT_NONE);
        fprintf(f, "</td><td%s>%s</td><td>",
                x->enabled && export_source_ok(x) == 0 ? " class=\"bad\"" : "",
                export_source_status(s, x));
        put_time(f, x->last_success);
        fputs("</td><td>", f);
        put_time(f, x->last_attempt);
        if (x->http_status > 0)
            fprintf(f, "</td><td class=\"n\">%d", x->http_status);
        else
            fputs("</td><td class=\"n\">" EXPORT_NONE, f);
        fprintf(f, "</td><td class=\"n\">%s</td><td>", export_fmt_count(x->items, a, sizeof a));
        put_time(f, x->next_due);
        fputs("</td><td class=\"bad\">", f);
        esc(f, x->last_error);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table>\n</section>\n", f);
}

int export_html(const export_snapshot *s, FILE *f, char **err)
{
    (void)err;
    page_head(s, f);
    fputs("<main>\n", f);
    pillars(s, f);
    companies(s, f);
    news(s, f);
    models(s, f);
    sources(s, f);
    fprintf(f, "</main>\n<footer class=\"dim\"><p>%s</p></footer>\n</body>\n</html>\n",
            EXPORT_L(s,
                     "xcdash — curated profiles carry an as-of date and a confidence grade (A: "
                     "many independent sources agree; B: one or two reputable reports; C: a "
                     "single report); quotes, news and model statistics come from the sources "
                     "listed above.",
                     "xcdash — 资料均注明截至日期与可信度（A：多个独立来源一致；B：一两份可靠报道；"
                     "C：单一报道）；行情、新闻与模型统计来自上表所列数据源。"));
    return 0;
}
