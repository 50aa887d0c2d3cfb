/*
 * test_tagger.c — the Aho–Corasick alias tagger: overlapping aliases, CJK,
 * ASCII word boundaries, case folding, dedupe, the max cutoff, and a
 * randomised comparison with a naive matcher.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

#include "core/core.h"
#include "store/private.h"

enum { ASCEND = 1, ASCEND_910B = 2, V910B = 3, HUAWEI = 4, DEEPSEEK = 5, CPP = 6, SUGON = 7 };

static int setup(void **state)
{
    store_tagger *t = store_tagger_new();
    store_tagger_add(t, "Ascend", ASCEND);
    store_tagger_add(t, "昇腾", ASCEND);
    store_tagger_add(t, "Ascend 910B", ASCEND_910B);
    store_tagger_add(t, "910B", V910B);
    store_tagger_add(t, "华为", HUAWEI);
    store_tagger_add(t, "Huawei", HUAWEI);
    store_tagger_add(t, "DeepSeek", DEEPSEEK);
    store_tagger_add(t, "C++", CPP);
    store_tagger_add(t, "曙光", SUGON);
    store_tagger_add(t, "", 99);      /* ignored */
    store_tagger_add(t, NULL, 98);    /* ignored */
    store_tagger_add(t, "never", -1); /* negative values are ignored */
    store_tagger_build(t);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    store_tagger_free(*state);
    return 0;
}

/* Matches text and renders the values as "1,2,3". */
static char *tags(const store_tagger *t, const char *text, size_t max)
{
    int values[32];
    size_t n = store_tagger_match(t, text, strlen(text), values, max);
    assert_true(n <= max);
    char *s = xstrdup("");
    for (size_t i = 0; i < n; i++) {
        char *next = xasprintf("%s%s%d", s, i ? "," : "", values[i]);
        free(s);
        s = next;
    }
    return s;
}

#define assert_tags(t, text, expect)                                                               \
    do {                                                                                           \
        char *got_ = tags(t, text, 32);                                                            \
        assert_string_equal(got_, expect);                                                         \
        free(got_);                                                                                \
    } while (0)

static void test_basic(void **state)
{
    store_tagger *t = *state;
    assert_tags(t, "Huawei unveils a new chip", "4");
    assert_tags(t, "曙光发布新服务器", "7");
    assert_tags(t, "nothing to see here", "");
    assert_tags(t, "", "");
    /* CJK inside text: order of first match */
    assert_tags(t, "华为发布昇腾910B芯片", "4,1,3");
    assert_tags(t, "曙光与华为", "7,4");
}

static void test_overlapping(void **state)
{
    store_tagger *t = *state;
    /* Ascend ends first; Ascend 910B and 910B end together, longer first */
    assert_tags(t, "Ascend 910B launched", "1,2,3");
    assert_tags(t, "Ascend 910", "1");
    assert_tags(t, "Ascend  910B", "1,3"); /* two spaces: not the long alias */
    assert_tags(t, "the 910B and Ascend", "3,1");
}

static void test_word_boundaries(void **state)
{
    store_tagger *t = *state;
    assert_tags(t, "Ascendant markets", "");
    assert_tags(t, "reAscend", "");
    assert_tags(t, "Ascend, the chip", "1");
    assert_tags(t, "(Ascend)", "1");
    assert_tags(t, "Ascend", "1");
    assert_tags(t, "昇腾910B", "1,3"); /* 腾 is not ASCII: 910B starts a word */
    assert_tags(t, "910B芯片", "3");
    assert_tags(t, "9910B", "");
    assert_tags(t, "910B2", "3"); /* a version may follow a letter: the 910B2 is a 910B */
    assert_tags(t, "910Bx", "");
    assert_tags(t, "Ascend2", "1");
    assert_tags(t, "x910B", "");
    assert_tags(t, "910B_", "3"); /* only ASCII letters and digits join words */
    /* CJK aliases match anywhere, even inside other words */
    assert_tags(t, "中华为人民", "4");
    assert_tags(t, "abc昇腾def", "1");
    /* an alias ending in punctuation needs no boundary after it */
    assert_tags(t, "C++17 and C++", "6");
    assert_tags(t, "ObjC++", "");
}

static void test_case_folding(void **state)
{
    store_tagger *t = *state;
    assert_tags(t, "ASCEND 910b", "1,2,3");
    assert_tags(t, "deepseek and DEEPSEEK and DeepSeek", "5");
    assert_tags(t, "hUaWeI", "4");
}

static void test_dedupe_and_max(void **state)
{
    store_tagger *t = *state;
    int values[4] = { -7, -7, -7, -7 };
    const char *text = "Huawei 华为 Huawei Ascend 昇腾 DeepSeek 曙光 Huawei";
    assert_tags(t, text, "4,1,5,7");

    assert_int_equal(store_tagger_match(t, text, strlen(text), values, 2), 2);
    assert_int_equal(values[0], HUAWEI);
    assert_int_equal(values[1], ASCEND);
    assert_int_equal(values[2], -7); /* nothing written past max */
    assert_int_equal(store_tagger_match(t, text, strlen(text), values, 0), 0);
    assert_int_equal(store_tagger_match(t, text, 0, values, 4), 0);
    assert_int_equal(store_tagger_match(t, NULL, 0, values, 4), 0);
    /* len is honoured: "Huawei 华" has no 华为 */
    assert_int_equal(store_tagger_match(t, "Huawei 华为", 10, values, 4), 1);
    assert_int_equal(store_tagger_match(t, "Ascendant", 6, values, 4), 1); /* end of text */
}

static void test_lifecycle(void **state)
{
    (void)state;
    int values[4];
    store_tagger *t = store_tagger_new();
    /* empty tagger */
    store_tagger_build(t);
    assert_int_equal(store_tagger_match(t, "anything", 8, values, 4), 0);
    /* same alias, two values: both; same alias twice: once */
    store_tagger_add(t, "Sugon", 2);
    store_tagger_add(t, "Sugon", 1);
    store_tagger_add(t, "sugon", 1);
    store_tagger_build(t);
    assert_int_equal(store_tagger_match(t, "SUGON", 5, values, 4), 2);
    assert_int_equal(values[0], 1);
    assert_int_equal(values[1], 2);
    /* adding after build is misuse, but a new build makes it count */
    store_tagger_add(t, "海光", 3);
    assert_int_equal(store_tagger_match(t, "海光", 6, values, 4), 0);
    store_tagger_build(t);
    store_tagger_build(t); /* twice is fine */
    assert_int_equal(store_tagger_match(t, "海光 sugon", 12, values, 4), 3);
    assert_int_equal(values[0], 3);
    store_tagger_free(t);
    store_tagger_free(NULL);
}

/* ---- randomised comparison with a naive matcher ----------------------- */

static int alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return 0;
    }
    return 1;
}

struct alias {
    char text[16];
    int value;
};

/* By end position, longer aliases first, then by value; each value once. */
static size_t naive(const struct alias *al, size_t nal, const char *text, size_t len, int *values,
                    size_t max)
{
    size_t count = 0;
    if (max == 0)
        return 0;
    for (size_t end = 1; end <= len; end++) {
        for (size_t l = end; l >= 1; l--) {
            size_t start = end - l;
            int best[64];
            size_t nbest = 0;
            for (size_t a = 0; a < nal; a++) {
                size_t al_len = strlen(al[a].text);
                if (al_len != l || !ieq(al[a].text, text + start, l))
                    continue;
                if (alnum((unsigned char)al[a].text[0]) && start > 0 &&
                    alnum((unsigned char)text[start - 1]))
                    continue;
                unsigned char last = (unsigned char)al[a].text[l - 1];
                if (alnum(last) && end < len &&
                    (isdigit(last) ? alnum((unsigned char)text[end])
                                   : isalpha((unsigned char)text[end])))
                    continue;
                best[nbest++] = al[a].value;
            }
            /* same text, several values: ascending value order */
            for (size_t i = 1; i < nbest; i++)
                for (size_t j = i; j > 0 && best[j - 1] > best[j]; j--) {
                    int tmp = best[j];
                    best[j] = best[j - 1];
                    best[j - 1] = tmp;
                }
            for (size_t i = 0; i < nbest; i++) {
                size_t k;
                for (k = 0; k < count; k++)
                    if (values[k] == best[i])
                        break;
                if (k == count) {
                    values[count++] = best[i];
                    if (count == max)
                        return count;
                }
            }
        }
    }
    return count;
}

static void test_random_vs_naive(void **state)
{
    (void)state;
    /* A small alphabet so that aliases overlap a lot: letters in both cases,
     * a digit, space, a comma and the bytes of 华 (e5 8d 8e). */
    static const char alphabet[] = { 'a', 'b', 'A', 'B', '1', ' ', ',', '\xe5', '\x8d', '\x8e' };
    unsigned seed = 2024;
#define RND(n) ((seed = seed * 1103515245u + 12345u), ((seed >> 16) % (unsigned)(n)))
    for (int round = 0; round < 300; round++) {
        struct alias al[40];
        size_t nal = RND(40) + 1;
        store_tagger *t = store_tagger_new();
        for (size_t a = 0; a < nal; a++) {
            size_t l = RND(5) + 1;
            for (size_t i = 0; i < l; i++)
                al[a].text[i] = alphabet[RND(sizeof alphabet)];
            al[a].text[l] = '\0';
            al[a].value = (int)RND(12);
            store_tagger_add(t, al[a].text, al[a].value);
        }
        store_tagger_build(t);
        for (int k = 0; k < 20; k++) {
            char text[80];
            size_t len = RND(sizeof text);
            for (size_t i = 0; i < len; i++)
                text[i] = alphabet[RND(sizeof alphabet)];
            size_t max = RND(6);
            int got[16], want[16];
            size_t ng = store_tagger_match(t, text, len, got, max);
            size_t nw = naive(al, nal, text, len, want, max);
            assert_int_equal(ng, nw);
            for (size_t i = 0; i < ng; i++)
                assert_int_equal(got[i], want[i]);
        }
        store_tagger_free(t);
    }
#undef RND
}

static void test_many_aliases(void **state)
{
    (void)state;
    /* 1,000 aliases, half ASCII and half CJK, all found where they occur */
    store_tagger *t = store_tagger_new();
    char buf[64];
    for (int i = 0; i < 500; i++) {
        snprintf(buf, sizeof buf, "Company%03d Inc", i);
        store_tagger_add(t, buf, i);
        char cjk[16];
        size_t n = core_utf8_encode(0x4E00 + (uint32_t)i * 7, cjk);
        n += core_utf8_encode(0x5E00 + (uint32_t)i * 3, cjk + n);
        cjk[n] = '\0';
        store_tagger_add(t, cjk, 1000 + i);
    }
    store_tagger_build(t);
    int values[8];
    for (int i = 0; i < 500; i++) {
        char cjk[16];
        size_t n = core_utf8_encode(0x4E00 + (uint32_t)i * 7, cjk);
        n += core_utf8_encode(0x5E00 + (uint32_t)i * 3, cjk + n);
        cjk[n] = '\0';
        snprintf(buf, sizeof buf, "news: COMPANY%03d inc. and %s", i, cjk);
        assert_int_equal(store_tagger_match(t, buf, strlen(buf), values, 8), 2);
        assert_int_equal(values[0], i);
        assert_int_equal(values[1], 1000 + i);
    }
    snprintf(buf, sizeof buf, "Company%03d Incorporated", 5);
    assert_int_equal(store_tagger_match(t, buf, strlen(buf), values, 8), 0);
    store_tagger_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlapping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_word_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_folding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dedupe_and_max, setup, teardown),
        cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_random_vs_naive),
        cmocka_unit_test(test_many_aliases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
