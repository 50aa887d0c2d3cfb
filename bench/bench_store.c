/*
 * bench_store.c — how fast the cache is at the size it is built for.
 *
 *   bench_store [--items N] [--db PATH] [--runs R] [--data DIR]
 *
 * Builds a fresh cache of N realistic news items through the public store
 * API only, the way the fetcher will: curated profiles loaded from DIR, ~40
 * sources registered, then one store_write() (atomic: a savepoint) per batch of
 * 1,000 items of one source, committed in groups of 2,000 like the fetch
 * engine does, so tagging (Aho–Corasick over title and
 * summary), the tag tables and the FTS5 index are all in the figure.
 *
 * The items are generated deterministically (xorshift, fixed seed): Chinese,
 * English and mixed headlines and 100–300 character summaries built from
 * templates that name the curated companies by their names and aliases and
 * their products (昇腾910B, 思元590, DeepSeek-V3, Qwen3 …) among the market's
 * usual words (算力, 大模型, 涨停, 国产替代 …). Published times cover two
 * years in increasing order with jitter of up to half an hour either way.
 *
 * Then it times the reads the dashboard makes most: the first page of a
 * pillar's news and of all news, a page 1,000 pages deep (keyset cursor),
 * and searches for a 2- and a 4-character Chinese term and an English word.
 * Each is measured R times "cold" (the first call on a freshly opened
 * handle: no prepared statement, empty SQLite page cache — the OS file cache
 * stays warm) and R times "warm" (repeated on one open handle, which is what
 * a user paging or retyping sees). Medians and p95 are printed, with the
 * targets beside them. Progress goes to stderr, the table to stdout.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "store/store.h"
#include "bench/bench.h"

/* Targets from the issue, for one core at 1M items. */
#define TARGET_INGEST  20000.0 /* items/s, at least */
#define TARGET_PAGE_MS 5.0     /* first page (and any keyset page), at most */
#define TARGET_FIND_MS 20.0    /* one search, at most */

#define BATCH       1000 /* items per store_write(): what one fetch may bring, atomic */
#define GROUP       2000 /* the fetch engine commits its write group every 2,000 rows */
#define PAGE_LIMIT  50   /* a screenful and then some, as the news view asks */
#define FIND_LIMIT  20   /* search results per kind, as the search view asks */
#define DEEP_PAGES  1000 /* "page 1,000" of the keyset walk */
#define SPAN_S      (2 * 365 * 86400LL) /* published times cover two years */
#define T_START     1732723200LL        /* 2024-11-27T16:00:00Z = 2024-11-28 00:00 +08:00 */
#define JITTER_S    1800                /* ± half an hour around the item's place in time */
#define TITLE_MAX   512
#define SUMMARY_MAX 2048 /* 300 characters of at most 4 bytes, plus room to overshoot */

/* ---- deterministic randomness ----------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull; /* fixed seed: every run builds the same cache */

/* xorshift64* (Vigna): fast, good enough to pick words, and ours (no libc rand state). */
static uint64_t rng(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* Uniform in [0, n); n > 0. The modulo bias is irrelevant for picking words. */
static size_t pick(size_t n)
{
    return (size_t)(rng() % n);
}

#define PICK(arr) ((arr)[pick(sizeof(arr) / sizeof((arr)[0]))])

/* ---- what the news talk about ----------------------------------------- */

/* Products by maker; the Chinese or the English name goes into the matching language. */
static const struct product {
    const char *company, *zh, *en;
} products[] = {
    { "huawei", "昇腾910B", "Ascend 910B" },
    { "huawei", "昇腾910C", "Ascend 910C" },
    { "huawei", "Atlas 900 超节点", "Atlas 900 SuperPoD" },
    { "huawei", "CloudMatrix 384", "CloudMatrix 384" },
    { "huawei", "鲲鹏920", "Kunpeng 920" },
    { "huawei", "盘古大模型5.5", "Pangu 5.5" },
    { "huawei", "CANN 8.0", "CANN 8.0" },
    { "cambricon", "思元590", "MLU590" },
    { "cambricon", "思元370", "MLU370" },
    { "hygon", "海光DCU", "Hygon DCU" },
    { "hygon", "深算二号", "DCU Z100" },
    { "hygon", "海光CPU C86", "Hygon C86" },
    { "moore-threads", "MTT S4000", "MTT S4000" },
    { "moore-threads", "夸娥万卡集群", "KUAE cluster" },
    { "metax", "曦云C500", "MetaX C500" },
    { "biren", "BR100", "BR100" },
    { "iluvatar", "天垓150", "Tiangai 150" },
    { "enflame", "云燧T20", "Enflame T20" },
    { "kunlunxin", "昆仑芯P800", "Kunlunxin P800" },
    { "t-head", "含光800", "Hanguang 800" },
    { "t-head", "倚天710", "Yitian 710" },
    { "loongson", "龙芯3A6000", "3A6000" },
    { "loongson", "3C6000服务器芯片", "3C6000" },
    { "phytium", "腾云S2500", "FT-2000+" },
    { "zhaoxin", "开先KX-7000", "KX-7000" },
    { "sunway", "SW26010 Pro", "SW26010 Pro" },
    { "smic", "N+2工艺", "N+2 process" },
    { "inspur", "元脑服务器", "MetaBrain servers" },
    { "sugon", "曙光智算集群", "Sugon scaleX" },
    { "deepseek", "DeepSeek-V3", "DeepSeek-V3" },
    { "deepseek", "DeepSeek-R1", "DeepSeek-R1" },
    { "deepseek", "DeepSeek-V3.2", "DeepSeek-V3.2" },
    { "alibaba", "Qwen3", "Qwen3" },
    { "alibaba", "通义千问Qwen2.5-Max", "Qwen2.5-Max" },
    { "zhipu", "GLM-4.5", "GLM-4.5" },
    { "moonshot", "Kimi K2", "Kimi K2" },
    { "minimax", "MiniMax-M1", "MiniMax-M1" },
    { "baidu", "文心大模型4.5", "ERNIE 4.5" },
    { "tencent", "混元T1", "Hunyuan T1" },
    { "bytedance", "豆包大模型1.6", "Doubao 1.6" },
    { "iflytek", "讯飞星火X1", "Spark X1" },
    { "sensetime", "日日新V6", "SenseNova V6" },
    { "stepfun", "Step-3", "Step-3" },
    { "meituan", "LongCat-Flash", "LongCat-Flash" },
    { "kunlun-tech", "天工AI", "Skywork" },
    { "01-ai", "Yi-Lightning", "Yi-Lightning" },
    { "baichuan", "Baichuan4", "Baichuan4" },
};
#define N_PRODUCTS (sizeof products / sizeof products[0])

/* Companies named more often than the rest, as in the real news. */
static const struct {
    const char *id;
    unsigned weight;
} company_weight[] = {
    { "huawei", 10 }, { "deepseek", 5 },      { "alibaba", 5 },   { "cambricon", 4 },
    { "hygon", 3 },   { "moore-threads", 3 }, { "bytedance", 3 }, { "baidu", 3 },
    { "tencent", 3 }, { "zhipu", 2 },         { "moonshot", 2 },  { "smic", 2 },
    { "inspur", 2 },  { "sugon", 2 },         { "metax", 2 },     { "kunlunxin", 2 },
};

static const char *const generic_products_zh[] = {
    "AI服务器", "智算集群", "算力平台", "国产GPU", "推理一体机", "液冷整机柜", "800G光模块",
};
static const char *const generic_products_en[] = {
    "AI servers",           "a compute cluster",   "an inference appliance",
    "800G optical modules", "liquid-cooled racks",
};
static const char *const subjects_zh[] = { "多家厂商", "业内企业", "头部云厂商", "国产芯片企业" };
static const char *const subjects_en[] = { "Chinese chipmakers", "Several vendors",
                                           "Cloud providers", "Domestic suppliers" };

/*
 * Templates. Slots: @C the item's company, @D a second company, @P the
 * item's product, @Q any product, @W a Chinese market word, @E an English
 * one, @N a number, @S a Chinese outlet, @B a bank, @Y a weekday. Names are
 * put in the template's language.
 */
static const char *const titles_zh[] = {
    "@C发布@P，@W需求持续升温",
    "@C股价涨停，@P订单超@N亿元",
    "@C与@D签署@W战略合作协议",
    "国产替代加速：@C@P出货量同比增长@N%",
    "@C@P量产在即，@W产业链迎来新机遇",
    "@W板块异动，@C、@D涨幅居前",
    "@C拟募资@N亿元投向@W项目",
    "@P实测：@C称推理性能对标H100，已适配@Q",
    "智算中心扩容：@C中标@N亿元@W订单",
    "@C回应：@P供货正常，算力芯片产能持续爬坡",
    "@C发布@P: 开源即登顶 Hugging Face 趋势榜",
    "@W迎来新催化，@C@P获@D大单",
};
static const char *const titles_en[] = {
    "@C unveils @P as China pushes AI chip self-reliance",
    "@C shares jump @N% on @P orders",
    "@C and @D team up on @E",
    "Inside @C's bet on @P",
    "@C raises @N billion yuan for @E",
    "Analysts say @P narrows the gap with Nvidia",
    "@C open-sources @P, tops Hugging Face trending",
    "@D picks @P from @C for its new data centre",
};
static const char *const sentences_zh[] = {
    "据@S报道，@C近日表示，@P已在多个智算中心完成部署，@W相关订单同比增长@N%。",
    "业内人士认为，在@W和@W的双重驱动下，国产替代进程有望进一步加快。",
    "@C相关负责人介绍，@P在推理性能上较上一代提升@N%，并已完成与@Q的适配。",
    "受此消息影响，@C股价盘中一度涨停，成交额突破@N亿元。",
    "分析师指出，@W需求仍在快速增长，@C与@D的合作将带动上下游@W产业链。",
    "公告显示，公司拟投资@N亿元建设@W项目，预计明年下半年投产。",
    "截至发稿，@W板块整体上涨@N.@N%，@D等个股表现活跃。",
    "@C表示将继续加大研发投入，推动@P在金融、电信、政务等行业落地。",
    "多家券商研报称，@W国产化率有望在三年内显著提升，@W环节最为受益。",
    "有消息称@D正在评估采购@P，用于其@W业务。",
};
static const char *const sentences_en[] = {
    "@C said on @Y that @P is now shipping to several large data centres in China.",
    "Analysts at @B expect demand for @E to keep growing as export controls tighten.",
    "The company claims @P delivers @N% more inference throughput than its predecessor and "
    "runs @Q.",
    "Shares of @C rose @N% in Shanghai trading after the announcement.",
    "@C and @D will jointly build a platform for @E, according to a filing.",
    "The move is part of Beijing's wider push for self-reliance in AI compute.",
    "@C did not disclose pricing but said volume production of @P would begin next quarter.",
};

/* A curated company as the generator uses it. */
typedef struct company {
    char *id;
    char **zh, **en; /* names in each script: the official name first, then aliases */
    size_t n_zh, n_en;
    size_t products[8]; /* indexes into products[] */
    size_t n_products;
    unsigned weight;
} company;

typedef struct world {
    company *c;
    size_t n;
    unsigned *cum; /* cumulative weights, for weighted picks */
    unsigned total;
} world;

static int is_cjk_name(const char *s)
{
    return (unsigned char)s[0] >= 0x80;
}

static void name_add(char ***v, size_t *n, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i], s) == 0)
            return;
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = xstrdup(s);
}

/* Adds one company of the cache (names, aliases) to the world the generator talks about. */
static int world_add(void *ctx, const store_company *sc)
{
    world *w = ctx;
    w->c = xrealloc(w->c, (w->n + 1) * sizeof *w->c);
    company *c = &w->c[w->n++];
    memset(c, 0, sizeof *c);
    c->id = xstrdup(sc->id);
    if (sc->name_zh && *sc->name_zh)
        name_add(is_cjk_name(sc->name_zh) ? &c->zh : &c->en,
                 is_cjk_name(sc->name_zh) ? &c->n_zh : &c->n_en, sc->name_zh);
    name_add(&c->en, &c->n_en, sc->name_en);
    for (const char *a = sc->aliases; a && *a;) {
        size_t k = strcspn(a, "\t");
        char *one = xstrndup(a, k);
        if (is_cjk_name(one))
            name_add(&c->zh, &c->n_zh, one);
        else
            name_add(&c->en, &c->n_en, one);
        free(one);
        a += k + (a[k] == '\t');
    }
    c->weight = 1;
    for (size_t k = 0; k < sizeof company_weight / sizeof company_weight[0]; k++)
        if (strcmp(company_weight[k].id, c->id) == 0)
            c->weight = company_weight[k].weight;
    for (size_t k = 0; k < N_PRODUCTS && c->n_products < 8; k++)
        if (strcmp(products[k].company, c->id) == 0)
            c->products[c->n_products++] = k;
    return 0;
}

/* Reads the companies back from the cache (names, aliases) to talk about them. */
static int world_load(store *st, world *w, char **err)
{
    memset(w, 0, sizeof *w);
    if (store_companies_each(st, NULL, world_add, w, err) != 0)
        return -1;
    if (w->n == 0)
        return core_fail(err, "no companies in the profiles: nothing would be tagged");
    w->cum = xmalloc(w->n * sizeof *w->cum);
    for (size_t i = 0; i < w->n; i++) {
        w->total += w->c[i].weight;
        w->cum[i] = w->total;
    }
    return 0;
}

static void world_free(world *w)
{
    for (size_t i = 0; i < w->n; i++) {
        company *c = &w->c[i];
        for (size_t k = 0; k < c->n_zh; k++)
            free(c->zh[k]);
        for (size_t k = 0; k < c->n_en; k++)
            free(c->en[k]);
        free(c->zh);
        free(c->en);
        free(c->id);
    }
    free(w->c);
    free(w->cum);
    memset(w, 0, sizeof *w);
}

static long pick_company(const world *w)
{
    unsigned r = (unsigned)pick(w->total);
    size_t lo = 0, hi = w->n - 1;
    while (lo < hi) { /* first cumulative weight above r */
        size_t mid = (lo + hi) / 2;
        if (w->cum[mid] > r)
            hi = mid;
        else
            lo = mid + 1;
    }
    return (long)lo;
}

/* ---- text generation --------------------------------------------------- */

/* A bounded text under construction; never cut inside a UTF-8 sequence. */
typedef struct text {
    char *buf;
    size_t len, cap;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->len + n >= t->cap) {
        n = t->cap - 1 - t->len;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* back to the start of the sequence that would be cut */
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

static void puts_(text *t, const char *s)
{
    put(t, s, strlen(s));
}

/* Characters (code points) in a UTF-8 string: bytes that do not continue one. */
static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Cuts t to at most max characters, ending with "…" when it was cut. */
static void cut_chars(text *t, size_t max)
{
    if (utf8_chars(t->buf, t->len) <= max)
        return;
    size_t c = 0, i = 0;
    for (; i < t->len; i++) {
        if (((unsigned char)t->buf[i] & 0xC0) != 0x80 && c++ == max - 1)
            break;
    }
    t->len = i;
    t->buf[i] = '\0';
    puts_(t, "…");
}

/* What one item is about: its company, a second one, its product (-1: none). */
typedef struct topic {
    const world *w;
    long c, d, p;
} topic;

static const char *company_name(const topic *x, long ci, int zh)
{
    if (ci < 0)
        return zh ? PICK(subjects_zh) : PICK(subjects_en);
    const company *c = &x->w->c[ci];
    char **v = zh ? c->zh : c->en;
    size_t n = zh ? c->n_zh : c->n_en;
    if (n == 0) { /* a company with names in one script only */
        v = zh ? c->en : c->zh;
        n = zh ? c->n_en : c->n_zh;
    }
    /* the official name half the time, one of its aliases otherwise */
    if (n == 1 || (rng() & 1))
        return v[0];
    return v[1 + pick(n - 1)];
}

static const char *product_name(long pi, int zh)
{
    if (pi < 0)
        return zh ? PICK(generic_products_zh) : PICK(generic_products_en);
    return zh ? products[pi].zh : products[pi].en;
}

/* Appends template tmpl with its @ slots filled in language zh (1) or English (0). */
static void expand(text *t, const char *tmpl, const topic *x, int zh)
{
    char num[16];
    for (const char *s = tmpl; *s; s++) {
        if (*s != '@' || s[1] == '\0') {
            put(t, s, 1);
            continue;
        }
        switch (*++s) {
        case 'C':
            puts_(t, company_name(x, x->c, zh));
            break;
        case 'D':
            puts_(t, company_name(x, x->d, zh));
            break;
        case 'P':
            puts_(t, product_name(x->p, zh));
            break;
        case 'Q':
            puts_(t, product_name((long)pick(N_PRODUCTS), zh));
            break;
        case 'W':
            puts_(t, PICK(words_zh));
            break;
        case 'E':
            puts_(t, PICK(words_en));
            break;
        case 'N':
            snprintf(num, sizeof num, "%u", (unsigned)(2 + pick(98)));
            puts_(t, num);
            break;
        case 'S':
            puts_(t, PICK(outlets_zh));
            break;
        case 'B':
            puts_(t, PICK(banks_en));
            break;
        case 'Y':
            puts_(t, PICK(days_en));
            break;
        default:
            put(t, s - 1, 2);
            break;
        }
    }
}

/*
 * One headline and summary: 60% Chinese, 25% English, 15% mixed (Chinese
 * headline, sentences alternating). 85% name a company, half a second one.
 */
static void make_text(const world *w, text *title, text *summary)
{
    topic x = { w, -1, -1, -1 };
    unsigned lang = (unsigned)pick(100);
    int zh = lang < 60, mixed = lang >= 85;
    if (pick(100) < 85) {
        x.c = pick_company(w);
        const company *c = &w->c[x.c];
        if (c->n_products > 0 && pick(4) != 0)
            x.p = (long)c->products[pick(c->n_products)];
    }
    if (pick(2) == 0)
        x.d = pick_company(w);

    title->len = 0;
    title->buf[0] = '\0';
    if (zh || mixed)
        expand(title, PICK(titles_zh), &x, 1);
    else
        expand(title, PICK(titles_en), &x, 0);

    summary->len = 0;
    summary->buf[0] = '\0';
    size_t want = 100 + pick(201); /* 100–300 characters */
    for (int k = 0; utf8_chars(summary->buf, summary->len) < want; k++) {
        int szh = mixed ? (k & 1) : zh;
        if (!szh && summary->len > 0)
            puts_(summary, " ");
        if (szh)
            expand(summary, PICK(sentences_zh), &x, 1);
        else
            expand(summary, PICK(sentences_en), &x, 0);
    }
    cut_chars(summary, 300);
}

/* ---- sources ------------------------------------------------------------- */

static const struct bench_source {
    const char *id, *pillar, *domain, *title;
} sources[] = {
    { "gnews-gpu", "gpu", "news.google.com", "Google News: 国产GPU" },
    { "gnews-cpu", "cpu", "news.google.com", "Google News: 国产CPU" },
    { "gnews-ascend", "ascend", "news.google.com", "Google News: 昇腾" },
    { "gnews-leasing", "leasing", "news.google.com", "Google News: 算力租赁" },
    { "gnews-models", "models", "news.google.com", "Google News: 大模型" },
    { "gnews-en-gpu", "gpu", "news.google.com", "Google News: China AI chips" },
    { "gnews-en-models", "models", "news.google.com", "Google News: Chinese LLMs" },
    { "bing-ascend", "ascend", "bing.com", "Bing News: 昇腾产业链" },
    { "bing-leasing", "leasing", "bing.com", "Bing News: 算力租赁" },
    { "cls-ascend", "ascend", "cls.cn", "财联社 华为昇腾" },
    { "eastmoney-gpu", "gpu", "eastmoney.com", "东方财富 GPU" },
    { "eastmoney-models", "models", "eastmoney.com", "东方财富 AI大模型" },
    { "hf-blog", "models", "huggingface.co", "Hugging Face blog" },
    { "github-cn-llm", "models", "github.com", "GitHub releases" },
    { "36kr", NULL, "36kr.com", "36氪" },
    { "ithome", NULL, "ithome.com", "IT之家" },
    { "cls-telegraph", NULL, "cls.cn", "财联社电报" },
    { "eastmoney-news", NULL, "eastmoney.com", "东方财富" },
    { "sina-tech", NULL, "tech.sina.com.cn", "新浪科技" },
    { "huxiu", NULL, "huxiu.com", "虎嗅" },
    { "jiqizhixin", NULL, "jiqizhixin.com", "机器之心" },
    { "qbitai", NULL, "qbitai.com", "量子位" },
    { "leiphone", NULL, "leiphone.com", "雷峰网" },
    { "caixin", NULL, "caixin.com", "财新" },
    { "yicai", NULL, "yicai.com", "第一财经" },
    { "stcn", NULL, "stcn.com", "证券时报" },
    { "cnstock", NULL, "cnstock.com", "上海证券报" },
    { "jiemian", NULL, "jiemian.com", "界面新闻" },
    { "thepaper", NULL, "thepaper.cn", "澎湃新闻" },
    { "ifeng-tech", NULL, "tech.ifeng.com", "凤凰科技" },
    { "163-tech", NULL, "tech.163.com", "网易科技" },
    { "csdn", NULL, "csdn.net", "CSDN" },
    { "infoq-cn", NULL, "infoq.cn", "InfoQ 中文" },
    { "oschina", NULL, "oschina.net", "开源中国" },
    { "scmp-tech", NULL, "scmp.com", "SCMP Tech" },
    { "reuters-tech", NULL, "reuters.com", "Reuters Technology" },
    { "bloomberg-tech", NULL, "bloomberg.com", "Bloomberg Technology" },
    { "the-register", NULL, "theregister.com", "The Register" },
    { "tomshardware", NULL, "tomshardware.com", "Tom's Hardware" },
    { "nikkei-asia", NULL, "asia.nikkei.com", "Nikkei Asia" },
};
#define N_SOURCES (sizeof sources / sizeof sources[0])

static int sources_put(store *st, char **err)
{
    for (size_t i = 0; i < N_SOURCES; i++) {
        char *url = xasprintf("https://%s/rss/%s.xml", sources[i].domain, sources[i].id);
        store_source src = { 0 };
        src.id = sources[i].id;
        src.kind = "feed";
        src.url = url;
        src.pillar = sources[i].pillar;
        src.title = sources[i].title;
        src.enabled = 1;
        src.interval_s = 1800;
        src.origin = "bench"; /* not "default": loading data/sources.json would drop them */
        int rc = store_source_put(st, &src, err);
        free(url);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* ---- measuring --------------------------------------------------------- */

/* Sorts v in place; returns the median. */
static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Nearest-rank percentile of sorted v (call median() first). */
static double percentile(const double *v, size_t n, double pct)
{
    size_t rank = (size_t)(pct / 100.0 * (double)n + 0.999999);
    return v[rank == 0 ? 0 : rank - 1];
}

/* 1234567 -> "1,234,567" into out. */
static const char *thousands(double v, char *out, size_t outsz)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", v);
    size_t n = strlen(digits), o = 0;
    for (size_t i = 0; i < n && o + 2 < outsz; i++) {
        out[o++] = digits[i];
        if ((n - i - 1) % 3 == 0 && i + 1 < n)
            out[o++] = ',';
    }
    out[o] = '\0';
    return out;
}

/* ---- ingest ------------------------------------------------------------ */

typedef struct ingest_result {
    double overall;  /* items/s over all store_write() time */
    double median;   /* median items/s over the chunks */
    double min, max; /* slowest and fastest chunk */
    size_t n_chunks, chunk;
    double write_s, gen_s;
    size_t not_added; /* items store_write() did not count as added: should be 0 */
} ingest_result;

static int ingest(store *st, const world *w, size_t n, ingest_result *r, char **err)
{
    memset(r, 0, sizeof *r);
    text title = { NULL, 0, TITLE_MAX }, summary = { NULL, 0, SUMMARY_MAX };
    char(*titles)[TITLE_MAX] = xmalloc(BATCH * sizeof *titles);
    char(*summaries)[SUMMARY_MAX] = xmalloc(BATCH * sizeof *summaries);
    char(*guids)[64] = xmalloc(BATCH * sizeof *guids);
    char(*urls)[160] = xmalloc(BATCH * sizeof *urls);
    store_item *items = xcalloc(BATCH, sizeof *items);

    size_t in_group = 0;
    /* Chunks of a tenth of the run (100,000 items at 1M), whole batches. */
    size_t chunk = (n / 10 + BATCH - 1) / BATCH * BATCH;
    if (chunk == 0)
        chunk = BATCH;
    size_t max_chunks = (n + chunk - 1) / chunk;
    double *rates = xcalloc(max_chunks, sizeof *rates);
    size_t chunk_items = 0;
    double chunk_s = 0;
    int rc = 0;

    for (size_t seq = 0; seq < n;) {
        const struct bench_source *src = &sources[pick(N_SOURCES)];
        size_t m = n - seq < BATCH ? n - seq : BATCH;
        double g0 = now_s();
        for (size_t k = 0; k < m; k++) {
            uint64_t id = seq + k;
            title.buf = titles[k];
            summary.buf = summaries[k];
            make_text(w, &title, &summary);
            snprintf(guids[k], sizeof guids[k], "%s:%010llu", src->id, (unsigned long long)id);
            snprintf(urls[k], sizeof urls[k],
                     "https://www.%s/a/%010llu.html?utm_source=rss&utm_medium=feed", src->domain,
                     (unsigned long long)id);
            int64_t jitter = (int64_t)pick(2 * JITTER_S + 1) - JITTER_S;
            store_item *it = &items[k];
            it->guid = guids[k];
            it->url = urls[k];
            it->title = titles[k];
            it->summary = summaries[k];
            it->author = pick(2) ? PICK(authors) : NULL;
            it->published = T_START + (int64_t)((double)id * (double)SPAN_S / (double)n) + jitter;
            it->updated = 0;
        }
        int64_t wall = (int64_t)time(NULL);
        store_health h = { .ok = 1, .at = wall, .http_status = 200, .next_due = wall + 1800 };
        store_batch b = { .source_id = src->id, .items = items, .n_items = m, .health = &h };
        store_write_result res;
        double t0 = now_s();
        r->gen_s += t0 - g0;
        /* written as the fetch engine writes: batches in groups, one commit per group */
        if (!store_in_group(st) && store_group_begin(st, err) != 0) {
            rc = -1;
            break;
        }
        if (store_write(st, &b, &res, err) != 0) {
            rc = -1;
            break;
        }
        in_group += m;
        if ((in_group >= GROUP || seq + m == n) && store_group_end(st, err) != 0) {
            rc = -1;
            break;
        }
        if (!store_in_group(st))
            in_group = 0;
        double dt = now_s() - t0;
        r->not_added += m - res.added;
        r->write_s += dt;
        chunk_s += dt;
        chunk_items += m;
        seq += m;
        if (chunk_items >= chunk || seq == n) {
            rates[r->n_chunks++] = (double)chunk_items / chunk_s;
            fprintf(stderr, "  ingest %9zu/%zu  chunk %8.0f items/s\n", seq, n,
                    rates[r->n_chunks - 1]);
            chunk_items = 0;
            chunk_s = 0;
        }
    }
    if (rc == 0 && r->n_chunks > 0) {
        r->overall = (double)n / r->write_s;
        r->chunk = chunk;
        r->median = median(rates, r->n_chunks);
        r->min = rates[0];
        r->max = rates[r->n_chunks - 1];
    }
    free(rates);
    free(items);
    free(urls);
    free(guids);
    free(summaries);
    free(titles);
    return rc;
}

/* ---- queries ------------------------------------------------------------- */

/* One read the dashboard makes; *rows and *rows2 say what it found. */
typedef int (*query_fn)(store *st, const void *arg, size_t *rows, size_t *rows2, char **err);

static int q_news(store *st, const void *arg, size_t *rows, size_t *rows2, char **err)
{
    store_news_page p;
    if (store_news_page_get(st, arg, &p, err) != 0)
        return -1;
    *rows = p.n;
    *rows2 = 0;
    for (size_t i = 0; i < p.n; i++)
        *rows2 += p.rows[i].companies != NULL && *p.rows[i].companies;
    store_news_page_free(&p);
    return 0;
}

static int q_search(store *st, const void *arg, size_t *rows, size_t *rows2, char **err)
{
    store_search_result r;
    if (store_search(st, arg, FIND_LIMIT, &r, err) != 0)
        return -1;
    *rows = r.n_news;
    *rows2 = r.n_companies;
    store_search_result_free(&r);
    return 0;
}

typedef struct timing {
    double cold_med, cold_p95, warm_med, warm_p95; /* milliseconds */
    size_t rows, rows2;
} timing;

/*
 * Cold: `runs` times, open the cache and time the first call (statement
 * prepared, SQLite's page cache empty; the OS file cache stays warm). Warm:
 * on one handle, one untimed call, then `runs` timed calls.
 */
static int measure(const char *path, int runs, query_fn fn, const void *arg, timing *t, char **err)
{
    double *cold = xcalloc((size_t)runs, sizeof *cold);
    double *warm = xcalloc((size_t)runs, sizeof *warm);
    store *st = NULL;
    int rc = -1;
    for (int r = 0; r < runs; r++) {
        if (store_open(&st, path, 0, err) != 0)
            goto out;
        double t0 = now_s();
        if (fn(st, arg, &t->rows, &t->rows2, err) != 0)
            goto out;
        cold[r] = (now_s() - t0) * 1e3;
        store_close(st);
        st = NULL;
    }
    if (store_open(&st, path, 0, err) != 0 || fn(st, arg, &t->rows, &t->rows2, err) != 0)
        goto out;
    for (int r = 0; r < runs; r++) {
        double t0 = now_s();
        if (fn(st, arg, &t->rows, &t->rows2, err) != 0)
            goto out;
        warm[r] = (now_s() - t0) * 1e3;
    }
    t->cold_med = median(cold, (size_t)runs);
    t->cold_p95 = percentile(cold, (size_t)runs, 95);
    t->warm_med = median(warm, (size_t)runs);
    t->warm_p95 = percentile(warm, (size_t)runs, 95);
    rc = 0;
out:
    store_close(st);
    free(cold);
    free(warm);
    return rc;
}

/*
 * Walks all news from the top towards page `page` (1-based) and sets *cursor
 * to where that page begins and *reached to its number: the last page when
 * there are fewer.
 */
static int walk(const char *path, int page, store_cursor *cursor, int *reached, double *ms_per_page,
                char **err)
{
    store *st;
    if (store_open(&st, path, 0, err) != 0)
        return -1;
    store_news_query q = { .after = STORE_CURSOR_START, .limit = PAGE_LIMIT };
    double t0 = now_s();
    int n = 1; /* the page q.after points at */
    int fetched = 0;
    while (n < page) {
        store_news_page p;
        if (store_news_page_get(st, &q, &p, err) != 0) {
            store_close(st);
            return -1;
        }
        fetched++;
        int more = p.more;
        store_cursor next = p.next;
        store_news_page_free(&p);
        if (!more)
            break; /* page n is the last one: time that */
        q.after = next;
        n++;
    }
    *ms_per_page = fetched ? (now_s() - t0) * 1e3 / fetched : 0;
    *cursor = q.after;
    *reached = n;
    store_close(st);
    return 0;
}

/* ---- the report ---------------------------------------------------------- */

/* Prints s left-aligned in `width` terminal columns (CJK characters take two). */
static void cell(const char *s, int width)
{
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        cols += *p < 0x80 ? 1 : (*p & 0xC0) == 0xC0 ? 2 : 0;
    fputs(s, stdout);
    printf("%*s", width > cols ? width - cols : 0, "");
}

static void row(const char *figure, const char *measured, const char *target, const char *result)
{
    fputs("  ", stdout);
    cell(figure, 46);
    cell(measured, 30);
    cell(target, 14);
    puts(result);
}

static void row_time(const char *figure, const timing *t, double target_ms)
{
    char m[64], tg[32], fig[96];
    snprintf(fig, sizeof fig, "%s, warm", figure);
    snprintf(m, sizeof m, "%.3f ms (p95 %.3f)", t->warm_med, t->warm_p95);
    snprintf(tg, sizeof tg, "<= %.0f ms", target_ms);
    row(fig, m, tg, t->warm_med <= target_ms ? "PASS" : "MISS");
    snprintf(fig, sizeof fig, "%s, cold", figure);
    snprintf(m, sizeof m, "%.3f ms (p95 %.3f)", t->cold_med, t->cold_p95);
    row(fig, m, tg, t->cold_med <= target_ms ? "PASS" : "MISS");
}

static const char usage[] =
    "usage: bench_store [--items N] [--db PATH] [--runs R] [--data DIR]\n"
    "  --items N   news items to generate and ingest (default 1000000)\n"
    "  --db PATH   cache to create; it and its -wal/-shm are deleted first\n"
    "              (default /tmp/xcdash-bench/store.db)\n"
    "  --runs R    timed repetitions per query, odd is best (default 21)\n"
    "  --data DIR  curated profiles (default $XCDASH_DATA_DIR, else data)\n";

static int parse_count(const char *s, long long min, long long max, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int remove_cache(const char *path, char **err)
{
    static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char *p = xasprintf("%s%s", path, suffixes[i]);
        int rc = unlink(p);
        if (rc != 0 && errno != ENOENT) {
            core_fail(err, "cannot remove %s: %s", p, strerror(errno));
            free(p);
            return -1;
        }
        free(p);
    }
    return 0;
}

static long long file_size(const char *path, const char *suffix)
{
    char *p = xasprintf("%s%s", path, suffix);
    struct stat sb;
    long long n = stat(p, &sb) == 0 ? (long long)sb.st_size : 0;
    free(p);
    return n;
}

static void warn_profile(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "bench_store: profiles: %s\n", msg);
}

static int run(size_t n, const char *path, int runs, const char *data_dir, char **err)
{
    store *st;
    world w = { 0 };
    ingest_result in;

    /* ---- build ---- */
    if (remove_cache(path, err) != 0 || store_open(&st, path, 0, err) != 0)
        return -1;
    if (store_load_profiles(st, data_dir, NULL, warn_profile, NULL, err) != 0 ||
        sources_put(st, err) != 0 || world_load(st, &w, err) != 0) {
        world_free(&w);
        store_close(st);
        return -1;
    }
    fprintf(stderr, "bench_store: %zu companies, %zu sources; ingesting %zu items into %s\n", w.n,
            N_SOURCES, n, path);
    int rc = ingest(st, &w, n, &in, err);
    world_free(&w);
    double c0 = now_s();
    store_close(st); /* the last connection's close checkpoints the WAL into the file */
    double close_s = now_s() - c0;
    if (rc != 0)
        return -1;
    long long db_bytes = file_size(path, ""), wal_bytes = file_size(path, "-wal");

    /* ---- read ---- */
    fprintf(stderr, "bench_store: timing queries, %d runs each\n", runs);
    store_news_query q_ascend = { .pillar = "ascend",
                                  .after = STORE_CURSOR_START,
                                  .limit = PAGE_LIMIT };
    store_news_query q_all = { .after = STORE_CURSOR_START, .limit = PAGE_LIMIT };
    store_news_query q_deep = { .limit = PAGE_LIMIT };
    double walk_ms;
    int deep;
    if (walk(path, DEEP_PAGES, &q_deep.after, &deep, &walk_ms, err) != 0)
        return -1;
    static const char *const terms[] = { "昇腾", "华为", "算力芯片", "DeepSeek" };
    timing t_ascend, t_all, t_deep, t_find[4];
    if (measure(path, runs, q_news, &q_ascend, &t_ascend, err) != 0 ||
        measure(path, runs, q_news, &q_all, &t_all, err) != 0 ||
        measure(path, runs, q_news, &q_deep, &t_deep, err) != 0)
        return -1;
    for (size_t i = 0; i < 4; i++)
        if (measure(path, runs, q_search, terms[i], &t_find[i], err) != 0)
            return -1;

    /* ---- report ---- */
    char a[32], b[32], m[64], fig[96];
    time_t wall = time(NULL);
    struct tm tmv;
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%d", localtime_r(&wall, &tmv));
    printf("\nxcdash store benchmark, %s: %s items, %d runs per query\n", date,
           thousands((double)n, a, sizeof a), runs);
    printf("  ingest: %zu chunks of %s items (store_write time only; generating the text took "
           "%.1f s more), slowest chunk %s, fastest %s items/s; final close %.2f s\n",
           in.n_chunks, thousands((double)in.chunk, b, sizeof b), in.gen_s,
           thousands(in.min, a, sizeof a), thousands(in.max, m, sizeof m), close_s);
    printf("  keyset walk to page %d: %.3f ms per page on average\n", deep, walk_ms);
    printf("  results: ascend page %zu rows (%zu with a company tag), all-news page %zu rows "
           "(%zu tagged), deep page %zu rows\n",
           t_ascend.rows, t_ascend.rows2, t_all.rows, t_all.rows2, t_deep.rows);
    for (size_t i = 0; i < 4; i++) {
        fputs("  search ", stdout);
        cell(terms[i], 10);
        printf("%zu news, %zu companies\n", t_find[i].rows, t_find[i].rows2);
    }
    if (in.not_added)
        printf("  WARNING: %zu items were not added (taken for duplicates or updates)\n",
               in.not_added);
    putchar('\n');
    row("figure", "measured (median)", "target", "result");
    snprintf(m, sizeof m, "%s items/s", thousands(in.median, a, sizeof a));
    snprintf(fig, sizeof fig, "ingest rate, median of %zu chunks", in.n_chunks);
    row(fig, m, ">= 20,000/s", in.median >= TARGET_INGEST ? "PASS" : "MISS");
    snprintf(m, sizeof m, "%s items/s", thousands(in.overall, a, sizeof a));
    row("ingest rate, overall", m, ">= 20,000/s", in.overall >= TARGET_INGEST ? "PASS" : "MISS");
    row_time("first page, pillar ascend", &t_ascend, TARGET_PAGE_MS);
    row_time("first page, all news", &t_all, TARGET_PAGE_MS);
    snprintf(fig, sizeof fig, "page %d (keyset), all news", deep);
    row_time(fig, &t_deep, TARGET_PAGE_MS);
    static const char *const labels[] = { "search 昇腾 (2 chars)", "search 华为 (2 chars)",
                                          "search 算力芯片 (4 chars)", "search DeepSeek" };
    for (size_t i = 0; i < 4; i++)
        row_time(labels[i], &t_find[i], TARGET_FIND_MS);
    snprintf(m, sizeof m, "%.0f B (%s B file)", (double)(db_bytes + wal_bytes) / (double)n,
             thousands((double)(db_bytes + wal_bytes), a, sizeof a));
    row("bytes per item on disk", m, "-", "-");
    return 0;
}

int main(int argc, char **argv)
{
    long long items = 1000000, runs = 21;
    const char *path = "/tmp/xcdash-bench/store.db";
    const char *data_dir = getenv("XCDASH_DATA_DIR");
    if (data_dir == NULL || *data_dir == '\0')
        data_dir = "data";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (i + 1 >= argc || (strcmp(a, "--items") != 0 && strcmp(a, "--db") != 0 &&
                              strcmp(a, "--runs") != 0 && strcmp(a, "--data") != 0)) {
            fprintf(stderr, "bench_store: unknown option or missing value: %s\n%s", a, usage);
            return 2;
        }
        const char *v = argv[++i];
        if ((strcmp(a, "--items") == 0 && parse_count(v, 1, 100000000, &items) != 0) ||
            (strcmp(a, "--runs") == 0 && parse_count(v, 1, 10000, &runs) != 0)) {
            fprintf(stderr, "bench_store: bad number for %s: %s\n", a, v);
            return 2;
        }
        if (strcmp(a, "--db") == 0)
            path = v;
        else if (strcmp(a, "--data") == 0)
            data_dir = v;
    }
    char *err = NULL;
    if (run((size_t)items, path, (int)runs, data_dir, &err) != 0) {
        fprintf(stderr, "bench_store: %s\n", err ? err : "failed");
        free(err);
        return 1;
    }
    return 0;
}
