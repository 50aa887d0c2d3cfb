/*
 * test_text.c — sanitizing untrusted text for the terminal, display width
 * and cutting to a column count.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "widgets/widgets.h"

#define assert_clean(in, len, flags, expect)                                                       \
    do {                                                                                           \
        char *got_ = widget_text_sanitize(in, len, flags);                                         \
        assert_string_equal(got_, expect);                                                         \
        free(got_);                                                                                \
    } while (0)

static void test_sanitize_escapes(void **state)
{
    (void)state;
    assert_clean("plain text", -1, 0, "plain text");
    assert_clean("a\x1b[2Jb", -1, 0, "ab");                 /* CSI with its parameters */
    assert_clean("\x1b[38;5;196mred\x1b[0m", -1, 0, "red"); /* SGR */
    assert_clean("\x1b]0;title\x07x", -1, 0, "x");          /* OSC ended by BEL */
    assert_clean("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", -1, 0, "link"); /* ST */
    assert_clean("\x1bPq#0;2;0\x1b\\after", -1, 0, "after");                    /* DCS */
    assert_clean("a\x1b"
                 "7b\x1b"
                 "cc",
                 -1, 0, "abc");          /* ESC 7, ESC c */
    assert_clean("\x1b(Bx", -1, 0, "x"); /* charset designation */
    assert_clean("end\x1b", -1, 0, "end");
    /* an unterminated string loses only its introducer */
    assert_clean("a\x1b]0;title", -1, 0, "a0;title");
    /* a CSI cut short by a control: the control is still handled */
    assert_clean("a\x1b[12\tb", -1, 0, "a b");
}

static void test_sanitize_controls(void **state)
{
    (void)state;
    assert_clean("a\tb\nc\rd\x7f"
                 "e\x01\x08"
                 "f",
                 -1, 0, "a b cdef");
    assert_clean("a\tb\nc", -1, WIDGET_TEXT_NEWLINES, "a b\nc");
    assert_clean("a\0b", 3, 0, "ab"); /* NUL inside a counted string */
    assert_clean("abcdef", 3, 0, "abc");
    assert_clean(NULL, -1, 0, "");
    assert_clean("", -1, 0, "");
    /* C1 as UTF-8: NEL dropped; CSI (U+009B) dropped with its parameters;
     * OSC (U+009D) up to ST (U+009C) */
    assert_clean("a\xc2\x85"
                 "b",
                 -1, 0, "ab");
    assert_clean("a\xc2\x9b"
                 "31mb",
                 -1, 0, "ab");
    assert_clean("a\xc2\x9d"
                 "0;t\xc2\x9c"
                 "b",
                 -1, 0, "ab");
    /* a raw 0x9B byte is invalid UTF-8, shown as U+FFFD, never a CSI */
    assert_clean("a\x9b"
                 "31mb",
                 -1, 0,
                 "a\xef\xbf\xbd"
                 "31mb");
    assert_clean("\xff\xc3(\xed\xa0\x80", -1, 0,
                 "\xef\xbf\xbd\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

static void test_sanitize_invisible(void **state)
{
    (void)state;
    assert_clean("\xe2\x80\xae"
                 "evil\xe2\x80\xac",
                 -1, 0, "evil"); /* RLO ... PDF */
    assert_clean("\xe2\x81\xa6"
                 "x\xe2\x81\xa9",
                 -1, 0, "x"); /* LRI ... PDI */
    assert_clean("a\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c"
                 "b",
                 -1, 0, "ab");                             /* LRM RLM ALM */
    assert_clean("Hua\xe2\x80\x8bwei", -1, 0, "Huawei");   /* ZWSP */
    assert_clean("\xef\xbb\xbftitle", -1, 0, "title");     /* BOM */
    assert_clean("in\xc2\xadvisible", -1, 0, "invisible"); /* soft hyphen */
    /* ZWJ stays (emoji sequences), and so do variation selectors */
    assert_clean("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", -1, 0,
                 "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb");
    assert_clean("\xe2\x9d\xa4\xef\xb8\x8f", -1, 0, "\xe2\x9d\xa4\xef\xb8\x8f");
    /* line and paragraph separators */
    assert_clean("a\xe2\x80\xa8"
                 "b\xe2\x80\xa9"
                 "c",
                 -1, 0, "a b c");
    assert_clean("a\xe2\x80\xa8"
                 "b",
                 -1, WIDGET_TEXT_NEWLINES, "a\nb");
    /* noncharacters */
    assert_clean("a\xef\xbf\xbe"
                 "b",
                 -1, 0,
                 "a\xef\xbf\xbd"
                 "b");
    /* ordinary text is untouched */
    assert_clean("华为昇腾 910B — «ok» ①", -1, 0, "华为昇腾 910B — «ok» ①");
}

static void test_width(void **state)
{
    (void)state;
    assert_int_equal(widget_text_width("华为"), 4);
    assert_int_equal(widget_text_width("Ascend 昇腾"), 11);
    assert_int_equal(widget_text_width(""), 0);
    assert_int_equal(widget_text_width(NULL), 0);
    assert_int_equal(widget_text_width("e\xcc\x81"), 1);    /* combining acute */
    assert_int_equal(widget_text_width("\xe2\x80\xa6"), 1); /* … */
    assert_int_equal(widget_text_width("\xef\xbc\xa1"
                                       "B"),
                     3); /* full-width Ａ */
    assert_int_equal(widget_text_width("a\x1b"
                                       "b"),
                     2); /* unprintable: 0 */
    assert_int_equal(widget_text_width("a\xff"
                                       "b"),
                     3); /* invalid byte: U+FFFD */
}

#define assert_fit(s, cols, pad, expect, expect_w)                                                 \
    do {                                                                                           \
        char dst_[128];                                                                            \
        assert_int_equal(widget_text_fit(dst_, sizeof dst_, s, cols, pad), expect_w);              \
        assert_string_equal(dst_, expect);                                                         \
    } while (0)

static void test_fit(void **state)
{
    (void)state;
    assert_fit("Ascend 昇腾", 20, 0, "Ascend 昇腾", 11);
    assert_fit("Ascend 昇腾", 14, 1, "Ascend 昇腾   ", 14);
    assert_fit("Ascend 昇腾", 11, 0, "Ascend 昇腾", 11); /* exact: no ellipsis */
    assert_fit("Ascend 昇腾", 10, 0, "Ascend 昇…", 10);
    /* 昇 would straddle the edge beside the ellipsis: left out */
    assert_fit("Ascend 昇腾", 9, 0, "Ascend …", 8);
    assert_fit("Ascend 昇腾", 9, 1, "Ascend … ", 9);
    assert_fit("华为芯片", 5, 0, "华为…", 5);
    assert_fit("华为芯片", 4, 1, "华… ", 4);
    assert_fit("华为芯片", 2, 0, "…", 1);
    assert_fit("华为芯片", 1, 0, "…", 1);
    assert_fit("华为芯片", 0, 1, "", 0);
    assert_fit("abc", 0, 0, "", 0);
    assert_fit("abc", -3, 1, "", 0);
    assert_fit("", 3, 1, "   ", 3);
    assert_fit(NULL, 2, 1, "  ", 2);
    /* combining marks stay with their base */
    assert_fit("e\xcc\x81"
               "e\xcc\x81"
               "e\xcc\x81",
               2, 0, "e\xcc\x81\xe2\x80\xa6", 2);
    /* unprintable code points are left out, invalid bytes drawn as U+FFFD */
    assert_fit("a\x1b"
               "b\xff",
               5, 0, "ab\xef\xbf\xbd", 3);
}

static void test_fit_small_buffer(void **state)
{
    (void)state;
    char dst[8];
    /* 7 bytes of room: 华为 fits the columns but not with the ellipsis bytes */
    assert_int_equal(widget_text_fit(dst, sizeof dst, "华为芯片", 10, 0), 3);
    assert_string_equal(dst, "华…");
    assert_int_equal(widget_text_fit(dst, sizeof dst, "华为", 10, 0), 4);
    assert_string_equal(dst, "华为");
    /* cut by bytes, not columns: padding stops where the buffer ends */
    assert_int_equal(widget_text_fit(dst, sizeof dst, "abcdefghij", 20, 1), 5);
    assert_string_equal(dst, "abcd…");
    assert_int_equal(widget_text_fit(dst, 1, "abc", 5, 1), 0);
    assert_string_equal(dst, "");
    assert_int_equal(widget_text_fit(dst, 3, "abc", 5, 1), 2); /* no room for … */
    assert_string_equal(dst, "  ");
    assert_int_equal(widget_text_fit(dst, 0, "abc", 5, 1), 0);
}

static void test_fit_every_width(void **state)
{
    (void)state;
    /* For every column count the result measures what fit says, and with
     * pad it is exactly cols wide. */
    const char *s = "DeepSeek-V3 发布: 昇腾 910B ＡＢ e\xcc\x81 ok";
    int full = widget_text_width(s);
    for (int cols = 0; cols <= full + 3; cols++) {
        for (int pad = 0; pad <= 1; pad++) {
            char dst[256];
            int w = widget_text_fit(dst, sizeof dst, s, cols, pad);
            assert_int_equal(widget_text_width(dst), w);
            assert_true(w <= cols);
            if (pad)
                assert_int_equal(w, cols);
            if (cols < full && cols > 0)
                assert_non_null(strstr(dst, "\xe2\x80\xa6"));
            if (cols >= full)
                assert_null(strstr(dst, "\xe2\x80\xa6"));
            if (!pad && cols < full)
                assert_true(w >= cols - 1); /* a wide char beside … loses one column */
            if (!pad && cols >= full)
                assert_int_equal(w, full);
        }
    }
}

static void test_fuzz(void **state)
{
    (void)state;
    /* Random bytes biased towards ESC, C1 as UTF-8, bidi and CJK lead bytes:
     * the sanitized result is valid UTF-8 without controls, ESC or bidi
     * characters, and fit never writes past dstsz (ASan watches). */
    static const unsigned char pick[] = { 0x1b, '[',  ']',  0x07, '\\', 0xc2, 0x9b, 0x9c,
                                          0x85, 0xe2, 0x80, 0xae, 0xe5, 0x8d, 0x8e, 'a' };
    unsigned seed = 7;
    for (int round = 0; round < 20000; round++) {
        unsigned char in[64];
        seed = seed * 1103515245u + 12345u;
        size_t len = (seed >> 16) % sizeof in;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) & 0xff;
            in[i] = r < 160 ? pick[r % 16] : (unsigned char)r;
        }
        char *out = widget_text_sanitize((const char *)in, (long)len, round & 1);
        size_t n = strlen(out);
        for (size_t i = 0; i < n;) {
            uint32_t cp;
            size_t k = core_utf8_decode(out + i, n - i, &cp);
            if (cp == CORE_REPLACEMENT)
                assert_memory_equal(out + i, "\xef\xbf\xbd", 3); /* a real U+FFFD */
            assert_true(cp >= 0x20 || cp == '\n');
            assert_true(cp != 0x7f && !(cp >= 0x80 && cp <= 0x9f));
            assert_true(!(cp >= 0x202a && cp <= 0x202e) && !(cp >= 0x2066 && cp <= 0x2069));
            i += k;
        }
        size_t dstsz = (seed >> 8) % 24;
        char *dst = malloc(dstsz ? dstsz : 1);
        int cols = (int)((seed >> 4) % 12);
        int w = widget_text_fit(dst, dstsz, out, cols, round & 2);
        assert_true(w >= 0 && w <= cols);
        if (dstsz > 0)
            assert_int_equal(widget_text_width(dst), w);
        free(dst);
        free(out);
    }
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sanitize_escapes),
        cmocka_unit_test(test_sanitize_controls),
        cmocka_unit_test(test_sanitize_invisible),
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_fit),
        cmocka_unit_test(test_fit_small_buffer),
        cmocka_unit_test(test_fit_every_width),
        cmocka_unit_test(test_fuzz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
