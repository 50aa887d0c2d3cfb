/*
 * gen_feeds.c — the feeds the fetch benchmark serves (bench/fetch.sh).
 *
 *   gen_feeds [--base URL] DIR [FEEDS [ITEMS]]
 *
 * Writes DIR/feed-NNN.xml for NNN = 000 .. FEEDS-1 (default 200), each an
 * RSS 2.0 document in UTF-8 with ITEMS items (default 200): about 46 MB for
 * the default 200 x 200, the size of the issue's benchmark. Beside them go
 * the three subscription lists naming BASE/feed-NNN.xml (BASE defaults to
 * http://127.0.0.1:18080):
 *   DIR/feeds.opml  for `xcdash sources import-opml` (source ids bench-NNN)
 *   DIR/urls        for `newsboat -u`
 *   DIR/sfeedrc     for `sfeed_update` (maxjobs=8, feeds named bench-NNN;
 *                   sfeedpath is left to a wrapper that sets it and then
 *                   sources this file)
 *
 * The items look like the news xcdash reads: Chinese, English and mixed
 * feeds; headlines and 100-300 character summaries built from templates
 * that name the companies and products of data/companies.json by their
 * names and aliases (寒武纪, 华为昇腾, 910C, DeepSeek, Qwen ...) among the
 * market's usual words; unique links and guids; RFC 822 pubDates going back
 * in time from a fixed instant, newest first. Feeds differ the way real ones
 * do: descriptions as CDATA HTML, escaped HTML or plain text; guids that are
 * permalinks or opaque; "&" escaped in text; dc:creator or author.
 *
 * Deterministic: every feed has its own xorshift stream seeded from its
 * number, so feed-007.xml is the same bytes whatever FEEDS is, on every
 * machine. Nothing here reads the clock.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench/bench.h"

#define DEFAULT_FEEDS 200
#define DEFAULT_ITEMS 200
#define MAX_FEEDS     100000 /* feed-NNNNN.xml at most: the names stay short */
#define MAX_ITEMS     10000  /* xcdash keeps at most 10,000 items of one document */
#define DEFAULT_BASE  "http://127.0.0.1:18080"
#define T_NEWEST      1795190400LL /* 2026-11-21 00:00 +08:00: the newest item (data is late 2026) */
#define SUMMARY_MIN   100          /* characters (code points), as the issue asks */
#define SUMMARY_MAX   300
#define TEXT_MAX      4096 /* one title or summary in bytes: 300 characters of 3 bytes and room */

/* ---- deterministic randomness ----------------------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

/* xorshift64* (Vigna): fast, good enough to pick words, and ours (no libc rand state). */
static uint64_t rng_next(rng *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* Uniform in [0, n); n > 0. The modulo bias is irrelevant for picking words. */
static size_t pick(rng *r, size_t n)
{
    return (size_t)(rng_next(r) % n);
}

#define PICK(r, arr) ((arr)[pick((r), sizeof(arr) / sizeof((arr)[0]))])

/* ---- what the news talk about ----------------------------------------- */

/*
 * Names from data/companies.json (names and aliases) with their products:
 * the Chinese form goes into Chinese text, the English form into English
 * text. Hard-coded so the files do not change when the curated data does.
 */
static const struct name {
    const char *zh, *en;
} names[] = {
    { "寒武纪", "Cambricon" },
    { "思元590", "MLU590" },
    { "华为昇腾", "Huawei Ascend" },
    { "昇腾910C", "Ascend 910C" },
    { "910C", "910C" },
    { "910B", "910B" },
    { "华为", "Huawei" },
    { "CloudMatrix 384", "CloudMatrix 384" },
    { "鲲鹏920", "Kunpeng 920" },
    { "昇思MindSpore", "MindSpore" },
    { "海光信息", "Hygon" },
    { "海光DCU", "Hygon DCU" },
    { "深算二号", "DCU Z100" },
    { "龙芯中科", "Loongson" },
    { "龙芯3A6000", "Loongson 3A6000" },
    { "中科曙光", "Sugon" },
    { "浪潮信息", "Inspur" },
    { "DeepSeek", "DeepSeek" },
    { "深度求索", "DeepSeek" },
    { "DeepSeek-V3.2", "DeepSeek-V3.2" },
    { "Qwen3", "Qwen3" },
    { "通义千问", "Qwen" },
    { "阿里云", "Alibaba Cloud" },
    { "Kimi", "Kimi" },
    { "月之暗面", "Moonshot AI" },
    { "MiniMax", "MiniMax" },
    { "海螺AI", "Hailuo" },
    { "摩尔线程", "Moore Threads" },
    { "MTT S4000", "MTT S4000" },
    { "沐曦", "MetaX" },
    { "曦云C500", "MetaX C500" },
    { "壁仞科技", "Biren" },
    { "BR100", "BR100" },
    { "天数智芯", "Iluvatar CoreX" },
    { "燧原科技", "Enflame" },
    { "昆仑芯", "Kunlunxin" },
    { "平头哥", "T-Head" },
    { "含光800", "Hanguang 800" },
    { "中芯国际", "SMIC" },
    { "飞腾", "Phytium" },
    { "兆芯", "Zhaoxin" },
    { "KX-7000", "KX-7000" },
    { "申威", "Sunway" },
    { "景嘉微", "Jingjia Micro" },
    { "芯原股份", "VeriSilicon" },
    { "中际旭创", "Innolight" },
    { "光迅科技", "Accelink" },
    { "英维克", "Envicool" },
    { "深南电路", "Shennan Circuits" },
    { "通富微电", "Tongfu Microelectronics" },
    { "拓维信息", "Talkweb" },
    { "神州数码", "Digital China" },
    { "优刻得", "UCloud" },
    { "光环新网", "Sinnet" },
    { "润泽科技", "Range Intelligent" },
    { "首都在线", "Capitalonline" },
    { "智谱", "Zhipu" },
    { "GLM-4.5", "GLM-4.5" },
    { "百度", "Baidu" },
    { "文心一言", "ERNIE Bot" },
    { "腾讯云", "Tencent Cloud" },
    { "混元", "Hunyuan" },
    { "字节跳动", "ByteDance" },
    { "豆包", "Doubao" },
    { "火山引擎", "Volcano Engine" },
    { "科大讯飞", "iFlytek" },
    { "商汤科技", "SenseTime" },
    { "阶跃星辰", "StepFun" },
    { "百川智能", "Baichuan" },
    { "零一万物", "01.AI" },
    { "昆仑万维", "Kunlun Tech" },
};

static const char *const categories_zh[] = { "算力", "芯片", "大模型", "公司", "市场", "政策" };
static const char *const categories_en[] = { "Compute",   "Chips",   "AI models",
                                             "Companies", "Markets", "Policy" };

/*
 * Templates. Slots: @C the item's subject and @D its partner (two names
 * picked per item, so an article is about one company and perhaps a second,
 * as real ones are), @W a Chinese market word, @E an English one, @N a
 * number, @S a Chinese outlet, @B a bank, @Y a weekday. A literal "&" is
 * kept: the writer escapes it as real feeds do.
 */
static const char *const titles_zh[] = {
    "@C发布@D，@W需求持续升温",
    "@C股价涨停，@D订单超@N亿元",
    "@C与@D签署@W战略合作协议",
    "国产替代加速：@C出货量同比增长@N%",
    "@C量产在即，@W产业链迎来新机遇",
    "@W板块异动，@C、@D涨幅居前",
    "@C拟募资@N亿元投向@W项目",
    "实测@C：推理性能对标H100，已适配@D",
    "智算中心扩容：@C中标@N亿元@W订单",
    "@C回应：供货正常，@W产能持续爬坡",
    "@C开源新模型，登顶 Hugging Face 趋势榜",
    "@W迎来新催化，@C获@D大单",
};
static const char *const titles_en[] = {
    "@C unveils new chip as China pushes AI self-reliance",
    "@C shares jump @N% on @D orders",
    "@C and @D team up on @E",
    "Inside @C's bet on @E",
    "@C raises @N billion yuan for @E & R&D",
    "Analysts say @C narrows the gap with Nvidia",
    "@C open-sources its latest model, tops Hugging Face trending",
    "@D picks @C for its new data centre",
    "@C's \"sovereign compute\" push meets @E demand",
    "Why @E matter for @C and @D",
};
static const char *const sentences_zh[] = {
    "据@S报道，@C近日表示，相关产品已在多个智算中心完成部署，@W相关订单同比增长@N%。",
    "业内人士认为，在@W和@W的双重驱动下，国产替代进程有望进一步加快。",
    "@C相关负责人介绍，新一代产品在推理性能上较上一代提升@N%，并已完成与@D的适配。",
    "受此消息影响，@C股价盘中一度涨停，成交额突破@N亿元。",
    "分析师指出，@W需求仍在快速增长，@C与@D的合作将带动上下游@W产业链。",
    "公告显示，公司拟投资@N亿元建设@W项目，预计明年下半年投产。",
    "截至发稿，@W板块整体上涨@N.@N%，@D等个股表现活跃。",
    "@C表示将继续加大研发投入，推动产品在金融、电信、政务等行业落地。",
    "多家券商研报称，@W国产化率有望在三年内显著提升，@W环节最为受益。",
    "有消息称@D正在评估采购@C的方案，用于其@W业务。",
    "@C方面称，基于@D的集群已稳定运行超过@N天，训练效率接近国际主流水平。",
};
static const char *const sentences_en[] = {
    "@C said on @Y that its new parts are now shipping to several large data centres in China.",
    "Analysts at @B expect demand for @E to keep growing as export controls tighten.",
    "The company claims @N% more inference throughput than the previous generation on @D.",
    "Shares of @C rose @N% in Shanghai trading after the announcement.",
    "@C and @D will jointly build a platform for @E, according to a filing.",
    "The move is part of Beijing's wider push for self-reliance in AI compute.",
    "@C did not disclose pricing but said volume production would begin next quarter.",
    "R&D spending at @C rose @N% last year, the company said.",
    "@B called the deal \"a turning point\" for @E in China.",
};

/* ---- text building ---------------------------------------------------- */

typedef struct text {
    char s[TEXT_MAX];
    size_t len;   /* bytes */
    size_t chars; /* code points */
} text;

static void text_add(text *t, const char *s)
{
    for (; *s && t->len + 1 < sizeof t->s; s++) {
        t->s[t->len++] = *s;
        t->chars += ((unsigned char)*s & 0xC0) != 0x80;
    }
    t->s[t->len] = '\0';
}

/* The two names one item talks about. */
typedef struct cast {
    const struct name *c, *d;
} cast;

/* Appends template tpl with its slots filled, names in language zh (1) or en (0). */
static void text_fill(text *t, rng *r, const char *tpl, const cast *who, int zh)
{
    char num[24];
    for (const char *p = tpl; *p; p++) {
        if (*p != '@' || p[1] == '\0') {
            char one[2] = { *p, '\0' };
            text_add(t, one);
            continue;
        }
        switch (*++p) {
        case 'C':
        case 'D': {
            const struct name *n = *p == 'C' ? who->c : who->d;
            text_add(t, zh ? n->zh : n->en);
            break;
        }
        case 'W':
            text_add(t, PICK(r, words_zh));
            break;
        case 'E':
            text_add(t, PICK(r, words_en));
            break;
        case 'N':
            snprintf(num, sizeof num, "%zu", 2 + pick(r, 98));
            text_add(t, num);
            break;
        case 'S':
            text_add(t, PICK(r, outlets_zh));
            break;
        case 'B':
            text_add(t, PICK(r, banks_en));
            break;
        case 'Y':
            text_add(t, PICK(r, days_en));
            break;
        default:
            text_add(t, "@");
            p--;
        }
    }
}

/* A summary of SUMMARY_MIN..SUMMARY_MAX characters made of whole sentences. */
static void make_summary(text *t, rng *r, const cast *who, int zh)
{
    size_t want = SUMMARY_MIN + pick(r, SUMMARY_MAX - SUMMARY_MIN + 1);
    t->len = t->chars = 0;
    t->s[0] = '\0';
    while (t->chars < want) {
        text one = { .len = 0 };
        text_fill(&one, r, zh ? PICK(r, sentences_zh) : PICK(r, sentences_en), who, zh);
        if (t->chars >= SUMMARY_MIN && t->chars + one.chars + 1 > SUMMARY_MAX)
            break;
        if (t->len > 0 && !zh)
            text_add(t, " ");
        text_add(t, one.s);
    }
}

/* ---- writing ---------------------------------------------------------- */

/* Writes s with XML's special characters escaped (for element text and attributes). */
static void put_escaped(FILE *f, const char *s)
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
        default:
            putc(*s, f);
        }
    }
}

/* RFC 822 date (as RSS 2.0 wants it) of t in the zone offset_min minutes east of UTC. */
static void rfc822(int64_t t, int offset_min, char *out, size_t outsz)
{
    static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    time_t local = (time_t)(t + offset_min * 60);
    struct tm tm;
    gmtime_r(&local, &tm);
    if (offset_min == 0) {
        snprintf(out, outsz, "%s, %02d %s %d %02d:%02d:%02d GMT", wd[tm.tm_wday], tm.tm_mday,
                 mo[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
        return;
    }
    int a = offset_min < 0 ? -offset_min : offset_min;
    snprintf(out, outsz, "%s, %02d %s %d %02d:%02d:%02d %c%02d%02d", wd[tm.tm_wday], tm.tm_mday,
             mo[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
             offset_min < 0 ? '-' : '+', a / 60, a % 60);
}

/* How a feed writes its items: real publishers differ in exactly these ways. */
enum lang { LANG_ZH, LANG_EN, LANG_MIXED };
enum desc { DESC_CDATA_HTML, DESC_ESCAPED_HTML, DESC_PLAIN };

typedef struct feed_style {
    enum lang lang;
    enum desc desc;
    int permalink_guid; /* guid is the link (isPermaLink true) or an opaque tag: URI */
    int dc_creator;     /* dc:creator instead of author */
    int offset_min;     /* time zone of the pubDates */
} feed_style;

static feed_style style_of(unsigned feed)
{
    feed_style s;
    s.lang = (enum lang)(feed % 3);
    s.desc = (enum desc)((feed / 3) % 3);
    s.permalink_guid = (feed / 9) % 2;
    s.dc_creator = (feed / 2) % 2;
    s.offset_min = feed % 4 == 3 ? 0 : 8 * 60; /* most Chinese publishers say +0800 */
    return s;
}

static void write_item(FILE *f, rng *r, const feed_style *st, unsigned feed, unsigned item,
                       int64_t t)
{
    int zh = st->lang == LANG_ZH || (st->lang == LANG_MIXED && pick(r, 2) == 0);
    size_t nn = sizeof names / sizeof names[0], c = pick(r, nn);
    cast who = { &names[c], &names[(c + 1 + pick(r, nn - 1)) % nn] }; /* two different names */
    text title = { .len = 0 }, summary;
    text_fill(&title, r, zh ? PICK(r, titles_zh) : PICK(r, titles_en), &who, zh);
    make_summary(&summary, r, &who, zh);
    char date[64];
    rfc822(t, st->offset_min, date, sizeof date);
    time_t day = (time_t)(t + 8 * 3600);
    struct tm tm;
    gmtime_r(&day, &tm);
    char link[160];
    /* unique per feed and item; the article number looks like a CMS's */
    snprintf(link, sizeof link, "https://news%03u.example.cn/%s/%04d/%02d/%02d/%u%05u.html",
             feed % 1000, zh ? "a" : "en", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             100000u + feed, item);

    fputs("<item>\n<title>", f);
    put_escaped(f, title.s);
    fprintf(f, "</title>\n<link>%s</link>\n", link);
    if (st->permalink_guid)
        fprintf(f, "<guid isPermaLink=\"true\">%s</guid>\n", link);
    else
        fprintf(f, "<guid isPermaLink=\"false\">tag:news%03u.example.cn,2026:%u-%u</guid>\n",
                feed % 1000, feed, item);
    fprintf(f, "<pubDate>%s</pubDate>\n", date);
    const char *by = PICK(r, authors);
    if (st->dc_creator) {
        fputs("<dc:creator>", f);
        put_escaped(f, by);
        fputs("</dc:creator>\n", f);
    } else {
        fputs("<author>newsroom@example.cn (", f);
        put_escaped(f, by);
        fputs(")</author>\n", f);
    }
    fputs("<category>", f);
    put_escaped(f, zh ? PICK(r, categories_zh) : PICK(r, categories_en));
    fputs("</category>\n", f);
    fprintf(f, "<comments>%s#comments</comments>\n", link);
    /* a lead picture, as most news feeds carry: an enclosure and, in HTML, an <img> */
    char img[160];
    snprintf(img, sizeof img, "https://img.news%03u.example.cn/%04d%02d%02d/%u%05u_640x360.jpg",
             feed % 1000, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, 100000u + feed, item);
    fprintf(f, "<enclosure url=\"%s\" length=\"%zu\" type=\"image/jpeg\"/>\n", img,
            20000 + pick(r, 80000));
    switch (st->desc) {
    case DESC_CDATA_HTML:
        /* summary text never holds "]]>", so CDATA needs no splitting */
        fprintf(f,
                "<description><![CDATA[<p><img src=\"%s\" width=\"640\" height=\"360\"/></p>"
                "<p>%s</p><p><a href=\"%s\">%s</a></p>]]></description>\n",
                img, summary.s, link, zh ? "阅读全文" : "Read more");
        break;
    case DESC_ESCAPED_HTML:
        fprintf(f,
                "<description>&lt;p&gt;&lt;img src=&quot;%s&quot; width=&quot;640&quot; "
                "height=&quot;360&quot;/&gt;&lt;/p&gt;&lt;p&gt;",
                img);
        put_escaped(f, summary.s);
        fputs("&lt;/p&gt;</description>\n", f);
        break;
    case DESC_PLAIN:
        fputs("<description>", f);
        put_escaped(f, summary.s);
        fputs("</description>\n", f);
        break;
    }
    fputs("</item>\n", f);
}

static int write_feed(const char *path, unsigned feed, unsigned items, const char *base)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "gen_feeds: %s: %s\n", path, strerror(errno));
        return -1;
    }
    rng r = { 0x9E3779B97F4A7C15ull ^ ((uint64_t)(feed + 1) * 0xD1B54A32D192ED03ull) };
    rng_next(&r); /* spread nearby seeds apart */
    feed_style st = style_of(feed);
    char built[64];
    rfc822(T_NEWEST, st.offset_min, built, sizeof built);
    static const char *const lang_tag[] = { "zh-cn", "en", "zh-cn" };
    static const char *const title_of[] = { "算力快讯", "China Compute Wire", "AI算力 Daily" };
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
            " xmlns:atom=\"http://www.w3.org/2005/Atom\">\n"
            "<channel>\n"
            "<title>%s %03u</title>\n"
            "<link>https://news%03u.example.cn/</link>\n"
            "<atom:link href=\"%s/feed-%03u.xml\" rel=\"self\" type=\"application/rss+xml\"/>\n"
            "<description>%s</description>\n"
            "<language>%s</language>\n"
            "<lastBuildDate>%s</lastBuildDate>\n"
            "<ttl>15</ttl>\n",
            title_of[st.lang], feed, feed % 1000, base, feed,
            st.lang == LANG_EN ? "China AI compute news (benchmark feed)"
                               : "中国AI算力产业新闻（基准测试源）",
            lang_tag[st.lang], built);
    int64_t t = T_NEWEST - (int64_t)pick(&r, 3600);
    for (unsigned i = 0; i < items; i++) {
        write_item(f, &r, &st, feed, i, t);
        t -= 300 + (int64_t)pick(&r, 3300); /* 5 minutes to an hour between items */
    }
    fputs("</channel>\n</rss>\n", f);
    if (ferror(f) | fclose(f)) {
        fprintf(stderr, "gen_feeds: writing %s failed\n", path);
        return -1;
    }
    return 0;
}

/* Writes DIR/feeds.opml, DIR/urls and DIR/sfeedrc for feeds 0 .. n-1 at base. */
static int write_lists(const char *dir, unsigned n, const char *base)
{
    char path[4096];
    FILE *opml, *urls, *rc;
    snprintf(path, sizeof path, "%s/feeds.opml", dir);
    opml = fopen(path, "w");
    snprintf(path, sizeof path, "%s/urls", dir);
    urls = fopen(path, "w");
    snprintf(path, sizeof path, "%s/sfeedrc", dir);
    rc = fopen(path, "w");
    if (opml == NULL || urls == NULL || rc == NULL) {
        fprintf(stderr, "gen_feeds: %s: %s\n", path, strerror(errno));
        if (opml)
            fclose(opml);
        if (urls)
            fclose(urls);
        if (rc)
            fclose(rc);
        return -1;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<opml version=\"2.0\" xmlns:xcdash=\"https://xcdash.dev/ns/opml/1\">\n"
          "<head><title>xcdash fetch benchmark</title></head>\n<body>\n",
          opml);
    fputs("# sfeed_update(1) configuration for the xcdash fetch benchmark (bench/fetch.sh).\n"
          "# sfeedpath is not set here: a wrapper sets it, then sources this file.\n"
          "maxjobs=8\n\nfeeds() {\n",
          rc);
    for (unsigned i = 0; i < n; i++) {
        fprintf(opml,
                "<outline type=\"rss\" text=\"bench %03u\" xcdash:id=\"bench-%03u\""
                " xmlUrl=\"%s/feed-%03u.xml\"/>\n",
                i, i, base, i);
        fprintf(urls, "%s/feed-%03u.xml\n", base, i);
        fprintf(rc, "\tfeed \"bench-%03u\" \"%s/feed-%03u.xml\"\n", i, base, i);
    }
    fputs("</body>\n</opml>\n", opml);
    fputs("}\n", rc);
    int bad = 0;
    bad |= ferror(opml) | fclose(opml);
    bad |= ferror(urls) | fclose(urls);
    bad |= ferror(rc) | fclose(rc);
    if (bad) {
        fprintf(stderr, "gen_feeds: writing the subscription lists in %s failed\n", dir);
        return -1;
    }
    return 0;
}

static int parse_count(const char *s, unsigned max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > max)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: gen_feeds [--base URL] DIR [FEEDS [ITEMS]]\n"
            "  FEEDS 1-%d (default %d), ITEMS 1-%d (default %d),\n"
            "  URL the server's base (default %s)\n",
            MAX_FEEDS, DEFAULT_FEEDS, MAX_ITEMS, DEFAULT_ITEMS, DEFAULT_BASE);
    return 2;
}

int main(int argc, char **argv)
{
    const char *base = DEFAULT_BASE, *dir = NULL;
    unsigned feeds = DEFAULT_FEEDS, items = DEFAULT_ITEMS;
    int i = 1;
    if (i + 1 < argc && strcmp(argv[i], "--base") == 0) {
        base = argv[i + 1];
        i += 2;
    }
    if (i >= argc || argc - i > 3)
        return usage();
    dir = argv[i++];
    if ((i < argc && parse_count(argv[i++], MAX_FEEDS, &feeds) != 0) ||
        (i < argc && parse_count(argv[i++], MAX_ITEMS, &items) != 0))
        return usage();
    size_t bl = strlen(base);
    if (bl > 0 && base[bl - 1] == '/') {
        fprintf(stderr, "gen_feeds: --base takes no trailing '/'\n");
        return 2;
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "gen_feeds: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    char path[4096];
    long long total = 0;
    for (unsigned f = 0; f < feeds; f++) {
        snprintf(path, sizeof path, "%s/feed-%03u.xml", dir, f);
        if (write_feed(path, f, items, base) != 0)
            return 1;
        struct stat sb;
        if (stat(path, &sb) == 0)
            total += (long long)sb.st_size;
    }
    if (write_lists(dir, feeds, base) != 0)
        return 1;
    printf("gen_feeds: %u feeds x %u items, %lld bytes (%.1f MB) in %s\n", feeds, items, total,
           (double)total / 1e6, dir);
    return 0;
}
