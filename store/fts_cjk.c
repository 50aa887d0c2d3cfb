/*
 * fts_cjk.c — the "xcjk" FTS5 tokenizer and the user-query builder.
 *
 * Chinese, Japanese and Korean text has no spaces between words, so a
 * word tokenizer would index a whole sentence as one token. Instead a run of
 * CJK characters (ideographs incl. Ext A, Ext B and beyond and compatibility
 * ideographs, kana, hangul) becomes overlapping bigrams: 昇腾芯片 → 昇腾 腾芯
 * 芯片, and a run of one character is one token. A quoted phrase of CJK text
 * then matches as a substring, because its bigrams are consecutive
 * positions. Everything else that is a letter or a digit forms words, ASCII
 * and full-width ASCII folded to ASCII lower case; spaces, punctuation,
 * symbols, controls and U+FFFD separate, and so does a change between a CJK
 * run and a word (昇腾910B → 昇腾 910b).
 *
 * One addition makes single characters searchable: when indexing a document
 * (not a query) the last character of a run of two or more is also emitted
 * as a synonym (FTS5_TOKEN_COLOCATED) of the run's last bigram. Every
 * character of a run is then the first character of some token, so the
 * prefix query "华"* finds every 华 (华为, 中华, a lone 华), and a phrase whose
 * last token is a lone CJK character (x华) is searched as a prefix too. This
 * costs one extra token per CJK run. Limits: prefix queries are range scans
 * of the term list (no prefix index needed, fast enough for one character),
 * and highlight() marks the whole bigram the character sits in.
 *
 * Speed: this runs for every news item at ingest. Tokens are built in a stack
 * buffer (never malloc), ASCII takes a fast path, and the character classes
 * are a handful of range comparisons ordered by frequency. Tokens longer than
 * TOKEN_MAX bytes are cut at a character boundary (their offsets still span
 * the whole word so highlight() marks all of it).
 */
#include "store/private.h"

#include <string.h>

#include "core/core.h"

/* Longest token handed to FTS5, in bytes; longer words are cut (URLs, hashes). */
#define TOKEN_MAX 64

enum cls {
    CLS_SEP,    /* separates tokens */
    CLS_WORD,   /* part of a word */
    CLS_CJK,    /* part of a CJK run */
    CLS_IGNORE, /* invisible joiner or selector: skipped, breaks nothing */
};

/* Classifies a non-ASCII code point; *fold is set to the ASCII byte a
 * full-width letter or digit folds to (0 otherwise). */
static enum cls classify(uint32_t c, unsigned char *fold)
{
    *fold = 0;
    /* The common case first: CJK Unified Ideographs. */
    if (c >= 0x4E00 && c <= 0x9FFF)
        return CLS_CJK;
    if (c < 0x3000) {
        if (c <= 0xBF) /* C1 controls, NBSP, Latin-1 punctuation and symbols */
            return (c == 0xAA || c == 0xB5 || c == 0xBA) ? CLS_WORD
                   : c == 0xAD                           ? CLS_IGNORE
                                                         : CLS_SEP;
        if (c == 0xD7 || c == 0xF7) /* × ÷ */
            return CLS_SEP;
        if (c == 0x034F) /* combining grapheme joiner */
            return CLS_IGNORE;
        if (c == 0x37E || c == 0x387 || c == 0x589 || (c >= 0x55A && c <= 0x55F))
            return CLS_SEP; /* Greek and Armenian punctuation */
        if ((c >= 0x60C && c <= 0x60D) || (c >= 0x61B && c <= 0x61F) ||
            (c >= 0x66A && c <= 0x66D) || c == 0x6D4)
            return CLS_SEP;           /* Arabic punctuation and ALM */
        if (c >= 0x964 && c <= 0x965) /* danda */
            return CLS_SEP;
        if (c >= 0x1100 && c <= 0x11FF) /* Hangul jamo */
            return CLS_CJK;
        if (c == 0x1680 || c == 0x180E)
            return CLS_SEP;
        if (c >= 0x180B && c <= 0x180D) /* Mongolian variation selectors */
            return CLS_IGNORE;
        if (c < 0x2000)
            return CLS_WORD;
        if (c == 0x200C || c == 0x200D || c == 0x2060)
            return CLS_IGNORE; /* ZWNJ, ZWJ, word joiner */
        if (c <= 0x2BFF)
            return CLS_SEP; /* general punctuation, spaces, bidi controls, symbols,
                             * arrows, math, box drawing, dingbats */
        if (c >= 0x2E00)
            return CLS_SEP; /* supplemental punctuation, radicals, description chars */
        return CLS_WORD;
    }
    if (c <= 0x303F) {
        /* CJK punctuation separates, except 々 〆 〇 which are written inside words
         * (二〇二四年, 人々). */
        return (c >= 0x3005 && c <= 0x3007) ? CLS_CJK : CLS_SEP;
    }
    if (c <= 0x31FF) {
        if (c == 0x30A0 || c == 0x30FB) /* ゠ and the katakana middle dot ・ */
            return CLS_SEP;
        if (c >= 0x3190 && c <= 0x319F) /* kanbun marks */
            return CLS_SEP;
        return CLS_CJK; /* hiragana, katakana, bopomofo, compatibility jamo, strokes */
    }
    if (c <= 0x33FF) /* enclosed CJK letters, CJK compatibility (㈱ ㎏) */
        return CLS_SEP;
    if (c <= 0x4DBF) /* Ext A */
        return CLS_CJK;
    if (c <= 0x4DFF) /* Yijing hexagrams */
        return CLS_SEP;
    if (c >= 0xAC00 && c <= 0xD7FF) /* Hangul syllables and jamo extended B */
        return CLS_CJK;
    if (c >= 0xA960 && c <= 0xA97F) /* Hangul jamo extended A */
        return CLS_CJK;
    if (c < 0xE000)
        return CLS_WORD; /* Yi, Lisu, Vai, ... */
    if (c <= 0xF8FF)     /* private use */
        return CLS_SEP;
    if (c <= 0xFAFF) /* compatibility ideographs */
        return CLS_CJK;
    if (c >= 0xFE00 && c <= 0xFE0F) /* variation selectors */
        return CLS_IGNORE;
    if (c == 0xFEFF) /* byte order mark / zero width no-break space */
        return CLS_IGNORE;
    if (c >= 0xFE10 && c <= 0xFE6F) /* vertical, compatibility and small forms */
        return CLS_SEP;
    if (c >= 0xFF00 && c <= 0xFFEF) {
        if (c >= 0xFF10 && c <= 0xFF19) {
            *fold = (unsigned char)('0' + (c - 0xFF10));
            return CLS_WORD;
        }
        if (c >= 0xFF21 && c <= 0xFF3A) {
            *fold = (unsigned char)('a' + (c - 0xFF21));
            return CLS_WORD;
        }
        if (c >= 0xFF41 && c <= 0xFF5A) {
            *fold = (unsigned char)('a' + (c - 0xFF41));
            return CLS_WORD;
        }
        if (c >= 0xFF66 && c <= 0xFFDC) /* half-width katakana and hangul */
            return CLS_CJK;
        return CLS_SEP; /* full-width punctuation and symbols */
    }
    if (c >= 0xFFF0 && c <= 0xFFFF) /* specials, U+FFFD */
        return CLS_SEP;
    if (c < 0x10000)
        return CLS_WORD;
    if (c >= 0x1F000 && c <= 0x1FBFF) /* emoji, playing cards, enclosed, symbols */
        return CLS_SEP;
    if (c >= 0x20000 && c <= 0x3FFFF) /* Ext B..H, compatibility supplement */
        return CLS_CJK;
    if (c >= 0xE0100 && c <= 0xE01EF) /* variation selectors supplement */
        return CLS_IGNORE;
    if (c >= 0xE0000) /* tags, private use planes */
        return CLS_SEP;
    return CLS_WORD;
}

/* Tokenizer state for one call; lives on the stack. */
struct tok {
    void *ctx;
    store_token_fn cb;
    int document; /* emit the colocated last-character synonym of CJK runs */
    /* word being built */
    char word[TOKEN_MAX];
    int wlen, wstart, wend;
    int wfull; /* a character was cut off: append nothing more */
    /* CJK run: the previous character and how many characters so far */
    char prev[4];
    int plen, pstart, pend, run;
};

static int word_end(struct tok *t)
{
    int rc = 0;
    if (t->wlen > 0)
        rc = t->cb(t->ctx, 0, t->word, t->wlen, t->wstart, t->wend);
    t->wlen = 0;
    t->wfull = 0;
    return rc;
}

static int run_end(struct tok *t)
{
    int rc = 0;
    if (t->run == 1 || (t->run > 1 && t->document))
        rc = t->cb(t->ctx, t->run > 1 ? FTS5_TOKEN_COLOCATED : 0, t->prev, t->plen, t->pstart,
                   t->pend);
    t->run = 0;
    return rc;
}

/* Adds one CJK character (bytes s[0..n), input offsets start..end). */
static int run_add(struct tok *t, const char *s, int n, int start, int end)
{
    int rc = 0;
    if (t->run > 0) {
        char bi[8];
        memcpy(bi, t->prev, (size_t)t->plen);
        memcpy(bi + t->plen, s, (size_t)n);
        rc = t->cb(t->ctx, 0, bi, t->plen + n, t->pstart, end);
    }
    memcpy(t->prev, s, (size_t)n);
    t->plen = n, t->pstart = start, t->pend = end;
    t->run++;
    return rc;
}

/* Adds one character (n bytes, already folded) ending at input offset end to
 * the current word; the token keeps the longest prefix of whole characters
 * that fits TOKEN_MAX. */
static void word_add(struct tok *t, const char *s, int n, int end)
{
    if (!t->wfull && t->wlen + n <= TOKEN_MAX) {
        memcpy(t->word + t->wlen, s, (size_t)n);
        t->wlen += n;
    } else {
        t->wfull = 1;
    }
    t->wend = end;
}

/* The tokenizer proper; document selects the indexing mode (see top). */
static int tokenize(const char *text, int len, int document, void *ctx, store_token_fn cb)
{
    struct tok t;
    int i = 0, rc = 0;

    if (text == NULL)
        return 0;
    if (len < 0)
        len = (int)strlen(text);
    t.ctx = ctx, t.cb = cb, t.document = document;
    t.wlen = 0, t.wfull = 0, t.wstart = 0, t.wend = 0, t.run = 0, t.plen = 0, t.pstart = t.pend = 0;

    while (i < len) {
        unsigned char b = (unsigned char)text[i];
        if (b < 0x80) {
            /* ASCII fast path: letters and digits extend a word. */
            char c = (char)b;
            int alnum = 1;
            if (b >= 'A' && b <= 'Z')
                c = (char)(b + ('a' - 'A'));
            else if (!((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')))
                alnum = 0;
            if (alnum) {
                if (t.run > 0 && (rc = run_end(&t)) != 0)
                    return rc;
                if (t.wlen == 0)
                    t.wstart = i;
                if (t.wlen < TOKEN_MAX && !t.wfull)
                    t.word[t.wlen++] = c;
                t.wend = i + 1;
            } else {
                if (t.wlen > 0 && (rc = word_end(&t)) != 0)
                    return rc;
                if (t.run > 0 && (rc = run_end(&t)) != 0)
                    return rc;
            }
            i++;
            continue;
        }

        uint32_t cp;
        int n = (int)core_utf8_decode(text + i, (size_t)(len - i), &cp);
        unsigned char fold;
        enum cls k = classify(cp, &fold);
        switch (k) {
        case CLS_CJK:
            if (t.wlen > 0 && (rc = word_end(&t)) != 0)
                return rc;
            if ((rc = run_add(&t, text + i, n, i, i + n)) != 0)
                return rc;
            break;
        case CLS_WORD:
            if (t.run > 0 && (rc = run_end(&t)) != 0)
                return rc;
            if (t.wlen == 0)
                t.wstart = i;
            if (fold)
                word_add(&t, (const char *)&fold, 1, i + n);
            else
                word_add(&t, text + i, n, i + n);
            break;
        case CLS_IGNORE:
            break;
        case CLS_SEP:
            if (t.wlen > 0 && (rc = word_end(&t)) != 0)
                return rc;
            if (t.run > 0 && (rc = run_end(&t)) != 0)
                return rc;
            break;
        }
        i += n;
    }
    if (t.wlen > 0 && (rc = word_end(&t)) != 0)
        return rc;
    if (t.run > 0)
        rc = run_end(&t);
    return rc;
}

int store_fts_tokenize(const char *text, int len, void *ctx, store_token_fn cb)
{
    return tokenize(text, len, 1, ctx, cb);
}

/* ---- FTS5 glue ---------------------------------------------------------- */

/* The tokenizer has no per-table state; every instance is this object. */
static char xcjk_instance;

static int xcjk_create(void *user, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)user;
    (void)argv;
    if (argc > 0) /* tokenize='xcjk something' is a mistake worth reporting */
        return SQLITE_ERROR;
    *out = (Fts5Tokenizer *)(void *)&xcjk_instance;
    return SQLITE_OK;
}

static void xcjk_delete(Fts5Tokenizer *tk)
{
    (void)tk;
}

static int xcjk_tokenize(Fts5Tokenizer *tk, void *ctx, int flags, const char *text, int len,
                         int (*xtoken)(void *, int, const char *, int, int, int))
{
    (void)tk;
    /* Synonyms only in the index (FTS5 "method 3"): queries never need them. */
    return tokenize(text, len, (flags & FTS5_TOKENIZE_QUERY) == 0, ctx, xtoken);
}

/*
 * xrank(fts): relevance without corpus statistics. FTS5's bm25() weighs each
 * word by how rare it is, which means counting every row that contains it:
 * for a common word in a million items that is a scan of its whole posting
 * list, whatever the LIMIT. Here each column's hit count is saturated the
 * way BM25 does (tf / (tf + 1.2)) and a title hit weighs three times a
 * summary hit, with no length normalisation (columnsize=0 keeps no lengths).
 * Lower is better, like bm25(), so ORDER BY xrank(...) ascends.
 */
static void xrank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
                  sqlite3_value **val)
{
    (void)nval, (void)val;
    static const double weight[] = { 3.0, 1.0 };
    double tf[2] = { 0, 0 };
    int n = 0;
    if (api->xInstCount(fts, &n) != SQLITE_OK) {
        sqlite3_result_error(ctx, "xrank: no positions", -1);
        return;
    }
    for (int i = 0; i < n; i++) {
        int phrase, col, off;
        if (api->xInst(fts, i, &phrase, &col, &off) == SQLITE_OK && col >= 0 && col < 2)
            tf[col] += 1;
    }
    double score = 0;
    for (int c = 0; c < 2; c++)
        score += weight[c] * tf[c] / (tf[c] + 1.2);
    sqlite3_result_double(ctx, -score);
}

int store_fts_register(sqlite3 *db, char **err)
{
    static fts5_tokenizer tokenizer = { xcjk_create, xcjk_delete, xcjk_tokenize };
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return core_fail(err, "FTS5 is not available: %s", sqlite3_errmsg(db));
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (api == NULL || api->iVersion < 2)
        return core_fail(err, "FTS5 is not available (no fts5_api)");
    int rc = api->xCreateTokenizer(api, "xcjk", NULL, &tokenizer, NULL);
    if (rc != SQLITE_OK)
        return core_fail(err, "cannot register the xcjk tokenizer: %s", sqlite3_errstr(rc));
    rc = api->xCreateFunction(api, "xrank", NULL, xrank, NULL);
    if (rc != SQLITE_OK)
        return core_fail(err, "cannot register xrank: %s", sqlite3_errstr(rc));
    return 0;
}

/* ---- user queries ------------------------------------------------------- */

/* What store_fts_query needs to know about a word's tokens. */
struct qscan {
    int count;
    int last_lone_cjk; /* the last token is a single CJK character */
};

static int qscan_cb(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    struct qscan *q = ctx;
    uint32_t cp;
    unsigned char fold;
    (void)flags, (void)start, (void)end;
    q->count++;
    q->last_lone_cjk = (unsigned char)tok[0] >= 0x80 &&
                       (int)core_utf8_decode(tok, (size_t)n, &cp) == n &&
                       classify(cp, &fold) == CLS_CJK;
    return 0;
}

/* Length of the whitespace (ASCII or U+3000) at s, 0 if none. */
static size_t space_at(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    if (c == ' ' || (c >= '\t' && c <= '\r'))
        return 1;
    if (c == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80)
        return 3;
    return 0;
}

/*
 * Each word becomes a phrase "..." (inner quotes doubled), so FTS5 operators
 * and syntax typed by the user are searched as text. A word whose last token
 * is a lone CJK character becomes a prefix phrase "..."* so that it also finds
 * the character at the start of a bigram (see the design comment above).
 */
char *store_fts_query(const char *input)
{
    core_buf b;
    const char *s = input;

    if (input == NULL)
        return NULL;
    core_buf_init(&b, (size_t)1 << 20);
    while (*s) {
        size_t sp = space_at(s);
        if (sp > 0) {
            s += sp;
            continue;
        }
        const char *w = s;
        while (*s && space_at(s) == 0)
            s++;
        struct qscan q = { 0, 0 };
        if ((size_t)(s - w) > (size_t)1 << 16)
            continue; /* absurd words are dropped rather than half-searched */
        tokenize(w, (int)(s - w), 0, &q, qscan_cb);
        if (q.count == 0)
            continue;
        size_t mark = b.len;
        int ok = core_buf_add(&b, b.len ? " AND \"" : "\"", b.len ? 6 : 1) == 0;
        for (const char *p = w; ok && p < s; p++)
            ok = core_buf_add(&b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1) == 0;
        if (ok)
            ok = core_buf_add(&b, q.last_lone_cjk ? "\"*" : "\"", q.last_lone_cjk ? 2 : 1) == 0;
        if (!ok) { /* past the maximum: search the whole words that fit */
            b.len = mark;
            if (b.data != NULL)
                b.data[mark] = '\0';
            break;
        }
    }
    if (b.len == 0) {
        core_buf_free(&b);
        return NULL;
    }
    return core_buf_take(&b);
}
