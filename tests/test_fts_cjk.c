/*
 * test_fts_cjk.c — the "xcjk" tokenizer on its own (tokens, offsets,
 * folding, truncation, garbage input) and inside a real in-memory FTS5 table
 * (queries built by store_fts_query find the right rows, the index is used,
 * highlight() marks the right text).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "store/private.h"

/* ---- tokens as a string ---------------------------------------------- */

struct collect {
    core_buf out;
    const char *text;
    int len;
    int ntok;
    int stop_after; /* return 99 from the callback after this many tokens (0: never) */
};

/* Checks what FTS5 relies on, and appends "tok" (or "+tok" for a synonym). */
static int collect_cb(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    struct collect *c = ctx;
    assert_true(n >= 1 && n <= 64);
    assert_true(start >= 0 && start < end && end <= c->len);
    assert_true(flags == 0 || (flags == FTS5_TOKEN_COLOCATED && c->ntok > 0));
    for (int i = 0; i < n; i++) /* tokens are valid UTF-8 with no separators */
        assert_true((unsigned char)tok[i] > ' ' && tok[i] != 0x7f);
    if (c->out.len > 0)
        core_buf_add(&c->out, " ", 1);
    if (flags)
        core_buf_add(&c->out, "+", 1);
    core_buf_add(&c->out, tok, (size_t)n);
    c->ntok++;
    if (c->stop_after && c->ntok == c->stop_after)
        return 99;
    return 0;
}

/* The tokens of text, space-separated; the caller frees. */
static char *toks(const char *text)
{
    struct collect c = { .text = text, .len = (int)strlen(text) };
    core_buf_init(&c.out, 1 << 20);
    assert_int_equal(store_fts_tokenize(text, c.len, &c, collect_cb), 0);
    return core_buf_take(&c.out);
}

#define assert_toks(text, expect)                                                                  \
    do {                                                                                           \
        char *got_ = toks(text);                                                                   \
        assert_string_equal(got_, expect);                                                         \
        free(got_);                                                                                \
    } while (0)

static void test_bigrams(void **state)
{
    (void)state;
    assert_toks("昇腾芯片", "昇腾 腾芯 芯片 +片");
    assert_toks("华为", "华为 +为");
    assert_toks("昇腾 芯片", "昇腾 +腾 芯片 +片");
    assert_toks("华为，昇腾。", "华为 +为 昇腾 +腾");       /* CJK and full-width punctuation */
    assert_toks("「曙光」、《海光》", "曙光 +光 海光 +光"); /* U+3000–303F */
    assert_toks("ソフトバンク", "ソフ フト トバ バン ンク +ク");
    assert_toks("삼성전자", "삼성 성전 전자 +자");
    assert_toks("\xf0\xa0\x80\x80\xf0\xa0\x80\x81", /* Ext B: U+20000 U+20001 */
                "\xf0\xa0\x80\x80\xf0\xa0\x80\x81 +\xf0\xa0\x80\x81");
    assert_toks("\xef\xa4\x80\xe4\xb8\x80", "\xef\xa4\x80\xe4\xb8\x80 +\xe4\xb8\x80"); /* U+F900 */
    assert_toks("二〇二四年", "二〇 〇二 二四 四年 +年"); /* 〇 is written inside words */
}

static void test_lone_char(void **state)
{
    (void)state;
    assert_toks("华", "华");
    assert_toks("a 华 b", "a 华 b");
    assert_toks("华，为", "华 为");
    assert_toks("", "");
    assert_toks("  ,.;  ", "");
}

static void test_mixed(void **state)
{
    (void)state;
    assert_toks("昇腾910B", "昇腾 +腾 910b");
    assert_toks("昇腾910B芯片", "昇腾 +腾 910b 芯片 +片");
    assert_toks("DeepSeek发布V3", "deepseek 发布 +布 v3");
    assert_toks("华为Mate60", "华为 +为 mate60");
    /* an invisible joiner neither splits a run nor ends up in a token */
    assert_toks("昇\xe2\x80\x8d腾", "昇腾 +腾");
    assert_toks("infor\xc2\xadmation", "information"); /* soft hyphen */
}

static void test_ascii_folding(void **state)
{
    (void)state;
    assert_toks("DeepSeek-V3 MoE, GPT_4o!", "deepseek v3 moe gpt 4o");
    assert_toks("ABCxyz0189", "abcxyz0189");
    /* non-ASCII letters form words as they are; dashes and symbols separate */
    assert_toks("café naïve—Ünïcode €5 ①", "café naïve Ünïcode 5");
    assert_toks("Привет мир", "Привет мир");
}

static void test_fullwidth_folding(void **state)
{
    (void)state;
    /* ＤｅｅｐＳｅｅｋ－Ｖ３ : full-width letters and digits fold, full-width hyphen separates */
    assert_toks("\xef\xbc\xa4\xef\xbd\x85\xef\xbd\x85\xef\xbd\x90\xef\xbc\xb3\xef\xbd\x85\xef\xbd"
                "\x85\xef\xbd\x8b\xef\xbc\x8d\xef\xbc\xb6\xef\xbc\x93",
                "deepseek v3");
    assert_toks("９１０Ｂ", "910b");
    assert_toks("Ｈｕａｗｅｉ（华为）", "huawei 华为 +为");
}

struct offs {
    int n;
    int flags[16], start[16], end[16];
    char tok[16][72];
};

static int offs_cb(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    struct offs *o = ctx;
    assert_true(o->n < 16);
    o->flags[o->n] = flags, o->start[o->n] = start, o->end[o->n] = end;
    memcpy(o->tok[o->n], tok, (size_t)n);
    o->tok[o->n][n] = '\0';
    o->n++;
    return 0;
}

static void test_offsets(void **state)
{
    (void)state;
    struct offs o = { 0 };
    const char *text = "Ascend 昇腾芯片, ＶＩ 910B";
    assert_int_equal(store_fts_tokenize(text, (int)strlen(text), &o, offs_cb), 0);
    assert_int_equal(o.n, 7);
    assert_string_equal(o.tok[0], "ascend");
    assert_int_equal(o.start[0], 0), assert_int_equal(o.end[0], 6);
    assert_string_equal(o.tok[1], "昇腾");
    assert_int_equal(o.start[1], 7), assert_int_equal(o.end[1], 13);
    assert_string_equal(o.tok[2], "腾芯");
    assert_int_equal(o.start[2], 10), assert_int_equal(o.end[2], 16);
    assert_string_equal(o.tok[3], "芯片");
    assert_int_equal(o.start[3], 13), assert_int_equal(o.end[3], 19);
    assert_string_equal(o.tok[4], "片");
    assert_int_equal(o.flags[4], FTS5_TOKEN_COLOCATED);
    assert_int_equal(o.start[4], 16), assert_int_equal(o.end[4], 19);
    assert_string_equal(o.tok[5], "vi"); /* 2 full-width letters: 6 bytes in, 2 out */
    assert_int_equal(o.start[5], 21), assert_int_equal(o.end[5], 27);
    assert_string_equal(o.tok[6], "910b");
    assert_int_equal(o.start[6], 28), assert_int_equal(o.end[6], 32);
    for (int i = 0; i < o.n; i++)
        if (i != 4)
            assert_int_equal(o.flags[i], 0);

    /* len is honoured: text past it is not read */
    o.n = 0;
    assert_int_equal(store_fts_tokenize("abc def", 3, &o, offs_cb), 0);
    assert_int_equal(o.n, 1);
    assert_int_equal(o.end[0], 3);
}

static void test_long_tokens(void **state)
{
    (void)state;
    char text[256];
    struct offs o = { 0 };

    memset(text, 'A', 100);
    strcpy(text + 100, " x");
    assert_int_equal(store_fts_tokenize(text, (int)strlen(text), &o, offs_cb), 0);
    assert_int_equal(o.n, 2);
    assert_int_equal(strlen(o.tok[0]), 64);
    assert_int_equal(o.tok[0][63], 'a');
    assert_int_equal(o.start[0], 0), assert_int_equal(o.end[0], 100); /* the whole word */
    assert_string_equal(o.tok[1], "x");

    /* 63 bytes, then a 2-byte letter that does not fit: the token stops at the
     * character boundary and later characters are not appended either */
    o.n = 0;
    memset(text, 'b', 63);
    strcpy(text + 63, "\xc3\xa9zz");
    assert_int_equal(store_fts_tokenize(text, (int)strlen(text), &o, offs_cb), 0);
    assert_int_equal(o.n, 1);
    assert_int_equal(strlen(o.tok[0]), 63);
    assert_int_equal(o.end[0], 67);

    /* 21 three-byte letters (Yi syllables, not CJK) = 63 bytes, the 22nd is cut */
    o.n = 0;
    text[0] = '\0';
    for (int i = 0; i < 25; i++)
        strcat(text, "\xea\x80\x80");
    assert_int_equal(store_fts_tokenize(text, (int)strlen(text), &o, offs_cb), 0);
    assert_int_equal(o.n, 1);
    assert_int_equal(strlen(o.tok[0]), 63);
    assert_int_equal(o.end[0], 75);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    assert_toks("\xff华\xc2为\xe4\xb8", "华 为"); /* bad bytes separate */
    assert_toks("ab\xef\xbf\xbd"
                "cd",
                "ab cd"); /* so does a real U+FFFD */
    assert_toks("a\x01\x1b[1mb\x7f", "a 1mb");

    /* Random bytes, biased towards UTF-8 lead and continuation bytes: never
     * crashes, offsets stay in bounds (checked in collect_cb). */
    unsigned seed = 12345;
    char buf[200];
    for (int round = 0; round < 20000; round++) {
        int len = (int)(seed % 199) + 1;
        for (int i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) & 0xff;
            static const unsigned char pick[] = { 'a',  'Z',  '9',  ' ',  0xe4, 0xb8, 0x80, 0xbf,
                                                  0xf0, 0xa0, 0xef, 0xbc, 0xc3, 0xff, 0xed, 0 };
            buf[i] = (char)(r < 128 ? pick[r % 16] : r);
        }
        struct collect c = { .text = buf, .len = len };
        core_buf_init(&c.out, 1 << 20);
        assert_int_equal(store_fts_tokenize(buf, len, &c, collect_cb), 0);
        core_buf_free(&c.out);
    }
}

static void test_callback_stops(void **state)
{
    (void)state;
    const char *text = "one two 三四五 six";
    struct collect c = { .text = text, .len = (int)strlen(text), .stop_after = 3 };
    core_buf_init(&c.out, 1 << 20);
    assert_int_equal(store_fts_tokenize(text, c.len, &c, collect_cb), 99);
    assert_string_equal(c.out.data, "one two 三四");
    core_buf_free(&c.out);
    /* NULL text is empty */
    assert_int_equal(store_fts_tokenize(NULL, 0, &c, collect_cb), 0);
}

/* ---- query builder ---------------------------------------------------- */

#define assert_query(input, expect)                                                                \
    do {                                                                                           \
        char *q_ = store_fts_query(input);                                                         \
        assert_non_null(q_);                                                                       \
        assert_string_equal(q_, expect);                                                           \
        free(q_);                                                                                  \
    } while (0)

static void test_query_builder(void **state)
{
    (void)state;
    assert_query("昇腾", "\"昇腾\"");
    assert_query("  昇腾   DeepSeek-V3 ", "\"昇腾\" AND \"DeepSeek-V3\"");
    assert_query("华为\xe3\x80\x80昇腾", "\"华为\" AND \"昇腾\""); /* U+3000 splits */
    assert_query("say \"hi\"", "\"say\" AND \"\"\"hi\"\"\"");
    assert_query("NEAR(a b) OR title:x*", "\"NEAR(a\" AND \"b)\" AND \"OR\" AND \"title:x*\"");
    assert_query("a - , b", "\"a\" AND \"b\""); /* words with no token are dropped */
    /* a word ending in a lone CJK character searches it as a prefix */
    assert_query("华", "\"华\"*");
    assert_query("x华", "\"x华\"*");
    assert_query("华,", "\"华,\"*");
    assert_query("华x", "\"华x\"");
    assert_query("华为", "\"华为\"");
    assert_null(store_fts_query(""));
    assert_null(store_fts_query("   \t\n"));
    assert_null(store_fts_query("\"\" - * ^ ，。"));
    assert_null(store_fts_query(NULL));
}

/* ---- a real FTS5 table ------------------------------------------------ */

static const char *rows[] = {
    /* 1 */ "华为发布昇腾910B芯片",
    /* 2 */ "曙光发布新服务器",
    /* 3 */ "DeepSeek-V3 技术报告",
    /* 4 */ "deepseek 开源周",
    /* 5 */ "腾昇科技上市",
    /* 6 */ "Ascend 昇腾 roadmap",
    /* 7 */ "中华为人民",
    /* 8 */ "华",
    /* 9 */ "中华",
    /* 10 */ "ＤｅｅｐＳｅｅｋ moves",
};

static int setup_db(void **state)
{
    sqlite3 *db;
    char *err = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(store_fts_register(db, &err), 0);
    assert_null(err);
    assert_int_equal(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(title, tokenize='xcjk')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(db, "INSERT INTO t(rowid, title) VALUES (?1, ?2)", -1, &st, NULL),
        SQLITE_OK);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
        sqlite3_bind_text(st, 2, rows[i], -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    *state = db;
    return 0;
}

static int teardown_db(void **state)
{
    sqlite3_close(*state);
    return 0;
}

/* Row ids matching what the user typed, as "1,6"; the caller frees. */
static char *search(sqlite3 *db, const char *input)
{
    char *q = store_fts_query(input);
    assert_non_null(q);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rowid",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, q, -1, SQLITE_TRANSIENT);
    core_buf b;
    core_buf_init(&b, 4096);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        core_buf_printf(&b, "%s%lld", b.len ? "," : "", (long long)sqlite3_column_int64(st, 0));
    if (rc != SQLITE_DONE)
        fail_msg("query %s: %s", q, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    free(q);
    return core_buf_take(&b);
}

#define assert_search(db, input, expect)                                                           \
    do {                                                                                           \
        char *got_ = search(db, input);                                                            \
        assert_string_equal(got_, expect);                                                         \
        free(got_);                                                                                \
    } while (0)

static void test_fts_search(void **state)
{
    sqlite3 *db = *state;
    assert_search(db, "昇腾", "1,6");
    assert_search(db, "腾昇", "5");   /* order matters: not 昇腾 */
    assert_search(db, "华为", "1,7"); /* substring match: 中华为人民 too, by design */
    assert_search(db, "曙光", "2");
    assert_search(db, "deepseek", "3,4,10");
    assert_search(db, "DeepSeek-V3", "3");
    assert_search(db, "DEEPSEEK v3", "3");
    assert_search(db, "ｄｅｅｐｓｅｅｋ", "3,4,10");
    assert_search(db, "昇腾910B", "1");
    assert_search(db, "昇腾 910b", "1");
    assert_search(db, "发布", "1,2");
    assert_search(db, "芯片", "1");
    assert_search(db, "为发布", "1");
    assert_search(db, "ascend roadmap", "6");
    assert_search(db, "华为芯片", ""); /* not a substring of anything */
    assert_search(db, "deep", "");     /* words are whole, not prefixes */
    /* single characters: start of a bigram, end of a run, lone */
    assert_search(db, "华", "1,7,8,9");
    assert_search(db, "片", "1");
    assert_search(db, "光", "2");
    assert_search(db, "腾", "1,5,6");
    assert_search(db, "中", "7,9");
    assert_search(db, "910B芯", "1"); /* 910b, then 芯* */
    assert_search(db, "B芯", "");     /* words are whole tokens: b is not 910b */
    /* user syntax is text, never an error */
    assert_search(db, "OR", "");
    assert_search(db, "NEAR(昇腾", "");
    assert_search(db, "title:昇腾", "");
    assert_search(db, "\"昇腾", "1,6");

    /* the index agrees with the tokenizer (positions, synonyms), also after
     * a delete, which tokenizes the old text again */
    assert_int_equal(
        sqlite3_exec(db, "INSERT INTO t(t) VALUES ('integrity-check')", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DELETE FROM t WHERE rowid = 9", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_search(db, "华", "1,7,8");
    assert_int_equal(
        sqlite3_exec(db, "INSERT INTO t(t) VALUES ('integrity-check')", NULL, NULL, NULL),
        SQLITE_OK);
}

static void test_fts_highlight(void **state)
{
    sqlite3 *db = *state;
    static const struct {
        const char *input, *expect;
    } cases[] = {
        { "芯片", "华为发布昇腾910B[芯片]" },
        { "昇腾", "华为发布[昇腾]910B芯片" },
        { "910b", "华为发布昇腾[910B]芯片" },
        { "华为发布", "[华为发布]昇腾910B芯片" },
    };
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT highlight(t, 0, '[', ']') FROM t "
                                        "WHERE t MATCH ?1 AND rowid = 1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *q = store_fts_query(cases[i].input);
        sqlite3_bind_text(st, 1, q, -1, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(st, 0), cases[i].expect);
        sqlite3_reset(st);
        free(q);
    }
    sqlite3_finalize(st);
}

static void test_fts_uses_index(void **state)
{
    sqlite3 *db = *state;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "EXPLAIN QUERY PLAN SELECT rowid FROM t WHERE t MATCH ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, "\"昇腾\"", -1, SQLITE_STATIC);
    int found = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(st, 3);
        if (detail && strstr(detail, "VIRTUAL TABLE INDEX"))
            found = 1;
    }
    sqlite3_finalize(st);
    assert_true(found);
}

static void test_fts_register_errors(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    /* without registering, the tokenizer is unknown */
    assert_int_not_equal(
        sqlite3_exec(db, "CREATE VIRTUAL TABLE a USING fts5(x, tokenize='xcjk')", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(store_fts_register(db, NULL), 0);
    assert_int_equal(store_fts_register(db, NULL), 0); /* again: replaces, no harm */
    /* arguments are refused rather than ignored */
    assert_int_not_equal(sqlite3_exec(db,
                                      "CREATE VIRTUAL TABLE b USING fts5(x, tokenize='xcjk v2')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bigrams),
        cmocka_unit_test(test_lone_char),
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_ascii_folding),
        cmocka_unit_test(test_fullwidth_folding),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_long_tokens),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_query_builder),
        cmocka_unit_test_setup_teardown(test_fts_search, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_fts_highlight, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_fts_uses_index, setup_db, teardown_db),
        cmocka_unit_test(test_fts_register_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
