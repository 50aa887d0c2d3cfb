/*
 * feed.c — the "feed" adapter: RSS 0.90-2.0, RSS 1.0 (RDF) and Atom 0.3/1.0
 * documents to store_items, whatever their encoding.
 *
 * One pass per stage, no tree:
 *  1. Bytes to UTF-8. The encoding comes from, in this order: a BOM (or,
 *     without one, the UTF-16 shape of the first characters, XML 1.0
 *     appendix F), the HTTP charset (resp->content_type), the XML
 *     declaration, else UTF-8. GB2312 and GBK are decoded as GB18030, their
 *     superset (a "GB2312" feed routinely holds GBK-only characters), Big5
 *     as Big5-HKSCS, ISO-8859-1 as windows-1252 (as browsers do). iconv
 *     does the work; an invalid sequence becomes U+FFFD and decoding goes
 *     on. One scan then makes the text what XML 1.0 accepts: invalid UTF-8
 *     becomes U+FFFD (one per maximal ill-formed subpart, as WHATWG's
 *     decoder does), NUL, the other forbidden C0 controls, U+FFFE and
 *     U+FFFF are dropped; and, outside CDATA, what libxml2's recovery would
 *     silently drop is repaired: a bare "&" ("AT&T", "?a=1&b=2") becomes
 *     "&#38;", an HTML entity XML lacks (&nbsp; &mdash;) its character.
 *     Input needing none of this is not copied.
 *  2. libxml2 SAX2 through fetch_xml_sax (xml.c: no network, no entity
 *     ever resolved so neither XXE nor billion laughs can do anything,
 *     errors collected, the declared encoding ignored since we decoded)
 *     with XML_PARSE_RECOVER, as newsboat does: one stray "<" in a title
 *     must not cost the whole feed. The root element says which format it
 *     is; any other root stops the parse ("not a feed (root element
 *     <html>)"). A document libxml2 reported errors in is read a second
 *     time with &lt; &gt; &amp; &quot; &apos; as character references,
 *     because libxml2 2.9 drops the named forms after its first error.
 *  3. Item fields are the direct children of <item>/<entry> (and Atom's
 *     author/name), so channel titles and Atom <source> metadata never leak
 *     into items. Their text goes through a streaming HTML-to-text converter
 *     as libxml2 delivers it: tags dropped (block tags and <br> become a
 *     space, <script>/<style> content dropped, comments dropped), entities
 *     decoded (XML's five, numeric, HTML 4's 252 named ones), ASCII
 *     whitespace runs folded to one space and trimmed. Each field stops
 *     taking input at its cap (4 KB of text), so a megabyte of
 *     content:encoded costs nothing past its first 4 KB of output.
 *  4. At </item> the fields become one store_item in the result's arena:
 *     links resolved against xml:base and the feed URL and kept only when
 *     they are absolute http(s) URLs, dates through fetch_parse_date,
 *     fallbacks for guid (link, else a hash of title and date) and title
 *     (the summary's first 80 characters, else "(untitled)").
 * Bounds: 10,000 items (the parse stops there), 64 MB of input, 4 KB per
 * text field, 8 KB per URL; libxml2's limits bound nesting. Everything is
 * per call, so parses may run on several threads at once.
 */
#include "fetch/private.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/uri.h>
#include <libxml/xmlmemory.h>

#define FEED_MAX_ITEMS   10000              /* items kept from one document (the issue's bound) */
#define FEED_MAX_BYTES   ((size_t)64 << 20) /* far above the engine's 8 MiB body cap */
#define FEED_TEXT_MAX    4096               /* bytes of text per field (summary cap) */
#define FEED_URL_MAX     8192               /* longest link, guid or id kept */
#define FEED_DATE_MAX    128                /* a date is never longer */
#define FEED_TITLE_CHARS 80                 /* a title made from the summary */
#define FEED_DECL_SCAN   1024               /* where an XML declaration must end */

#define NS_ATOM10  "http://www.w3.org/2005/Atom"
#define NS_ATOM03  "http://purl.org/atom/ns#"
#define NS_RSS10   "http://purl.org/rss/1.0/"
#define NS_RSS090  "http://my.netscape.com/rdf/simple/0.9/"
#define NS_RDF     "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_DC      "http://purl.org/dc/elements/1.1/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_XML     "http://www.w3.org/XML/1998/namespace"

/* ======================================================================
 * 1. Bytes to UTF-8
 * ====================================================================== */

/* The decoder for a charset label (lower-cased), or NULL to try the label itself. */
static const char *feed_alias(const char *label)
{
    static const struct {
        const char *label, *name;
    } aliases[] = {
        { "utf-8", "UTF-8" },
        { "utf8", "UTF-8" },
        { "unicode-1-1-utf-8", "UTF-8" },
        { "us-ascii", "UTF-8" }, /* a superset: mislabelled UTF-8 still reads */
        { "ascii", "UTF-8" },
        { "ansi_x3.4-1968", "UTF-8" },
        { "gb2312", "GB18030" },
        { "gbk", "GB18030" },
        { "gb18030", "GB18030" },
        { "cp936", "GB18030" },
        { "ms936", "GB18030" },
        { "windows-936", "GB18030" },
        { "x-gbk", "GB18030" },
        { "euc-cn", "GB18030" },
        { "x-euc-cn", "GB18030" },
        { "gb_2312", "GB18030" },
        { "gb_2312-80", "GB18030" },
        { "csgb2312", "GB18030" },
        { "chinese", "GB18030" },
        { "iso-ir-58", "GB18030" },
        { "big5", "BIG5-HKSCS" },
        { "big-5", "BIG5-HKSCS" },
        { "cn-big5", "BIG5-HKSCS" },
        { "csbig5", "BIG5-HKSCS" },
        { "x-x-big5", "BIG5-HKSCS" },
        { "big5-hkscs", "BIG5-HKSCS" },
        { "cp950", "BIG5-HKSCS" },
        { "iso-8859-1", "WINDOWS-1252" },
        { "iso8859-1", "WINDOWS-1252" },
        { "iso_8859-1", "WINDOWS-1252" },
        { "latin1", "WINDOWS-1252" },
        { "l1", "WINDOWS-1252" },
        { "cp1252", "WINDOWS-1252" },
        { "windows-1252", "WINDOWS-1252" },
    };
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(label, aliases[i].label) == 0)
            return aliases[i].name;
    return NULL;
}

/* The chosen decoder: UTF-8 (no iconv) or an open iconv descriptor. */
typedef struct feed_enc {
    iconv_t cd;  /* (iconv_t)-1 for UTF-8 */
    size_t skip; /* BOM bytes */
    size_t unit; /* bytes skipped after an invalid sequence: 2 for UTF-16, 4 for UTF-32 */
} feed_enc;

/* True for labels of 16- and 32-bit encodings (utf-16le, UTF16, ucs-2, unicode...). */
static int feed_wide_label(const char *label)
{
    char k[8];
    size_t n = 0;
    for (const char *p = label; *p != '\0' && n < sizeof k - 1; p++)
        if (*p != '-' && *p != '_')
            k[n++] = *p;
    k[n] = '\0';
    return strncmp(k, "utf16", 5) == 0 || strncmp(k, "utf32", 5) == 0 ||
           strncmp(k, "ucs2", 4) == 0 || strncmp(k, "ucs4", 4) == 0 ||
           strncmp(k, "unicode", 7) == 0;
}

/*
 * Tries the charset label s (n bytes, quotes and spaces around it allowed).
 * Returns 1 and fills e when it names a decoder iconv has, else 0 (the next
 * source of truth decides). Labels of UTF-16 and UTF-32 are refused: those
 * documents were recognised by their BOM or byte pattern before any label
 * is read, so such a label on other bytes cannot be right.
 */
static int feed_try_label(const char *s, size_t n, feed_enc *e)
{
    char label[40];
    size_t k = 0;
    while (n > 0 && (*s == ' ' || *s == '"' || *s == '\'' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '"' || s[n - 1] == '\'' || s[n - 1] == '\t'))
        n--;
    if (n == 0 || n >= sizeof label)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        /* Labels are names, not iconv requests: no "//TRANSLIT", no paths. */
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.' || c == ':'))
            return 0;
        label[k++] = c;
    }
    label[k] = '\0';
    if (feed_wide_label(label))
        return 0;
    const char *name = feed_alias(label);
    if (name == NULL)
        name = label;
    if (strcmp(name, "UTF-8") == 0) {
        e->cd = (iconv_t)-1;
        return 1;
    }
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return 0; /* unknown to iconv */
    e->cd = cd;
    return 1;
}

/* The charset parameter of a Content-Type value, as pointer and length; 0 when none. */
static int feed_http_charset(const char *ct, const char **v, size_t *n)
{
    if (ct == NULL)
        return 0;
    for (const char *p = strchr(ct, ';'); p != NULL; p = strchr(p + 1, ';')) {
        const char *q = p + 1;
        while (*q == ' ' || *q == '\t')
            q++;
        if (strncasecmp(q, "charset", 7) != 0)
            continue;
        q += 7;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q != '=')
            continue;
        q++;
        *v = q;
        *n = strcspn(q, ";");
        return 1;
    }
    return 0;
}

/* The encoding pseudo-attribute of an ASCII-compatible XML declaration at b. */
static int feed_decl_charset(const char *b, size_t n, const char **v, size_t *vn)
{
    if (n < 6 || memcmp(b, "<?xml", 5) != 0)
        return 0;
    size_t lim = n < FEED_DECL_SCAN ? n : FEED_DECL_SCAN;
    const char *end = memmem(b, lim, "?>", 2);
    if (end == NULL)
        return 0;
    const char *p = memmem(b, (size_t)(end - b), "encoding", 8);
    if (p == NULL)
        return 0;
    p += 8;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    if (p >= end || *p != '=')
        return 0;
    p++;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    if (p >= end || (*p != '"' && *p != '\''))
        return 0;
    char quote = *p++;
    const char *q = memchr(p, quote, (size_t)(end - p));
    if (q == NULL)
        return 0;
    *v = p;
    *vn = (size_t)(q - p);
    return 1;
}

/*
 * Chooses the decoder: a BOM, else the UTF-16 byte pattern of an ASCII
 * character (XML 1.0 appendix F: "<" as 3C 00 or 00 3C), else the HTTP
 * charset, else the XML declaration, else UTF-8. UTF-32 is recognised by
 * its BOM only.
 */
static void feed_pick_encoding(const fetch_response *resp, feed_enc *e)
{
    const unsigned char *b = (const unsigned char *)resp->body;
    size_t n = resp->len;
    const char *v, *fixed = NULL;
    size_t vn;

    e->cd = (iconv_t)-1;
    e->skip = 0;
    e->unit = 1;
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        e->skip = 3;
        return;
    } else if (n >= 4 && b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0) {
        fixed = "UTF-32LE", e->skip = 4, e->unit = 4;
    } else if (n >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF) {
        fixed = "UTF-32BE", e->skip = 4, e->unit = 4;
    } else if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
        fixed = "UTF-16LE", e->skip = 2, e->unit = 2;
    } else if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
        fixed = "UTF-16BE", e->skip = 2, e->unit = 2;
    } else if (n >= 4 && b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0) {
        fixed = "UTF-16LE", e->unit = 2;
    } else if (n >= 4 && b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0) {
        fixed = "UTF-16BE", e->unit = 2;
    }
    if (fixed != NULL) {
        e->cd = iconv_open("UTF-8", fixed); /* glibc always has these */
        return;
    }
    if (feed_http_charset(resp->content_type, &v, &vn) && feed_try_label(v, vn, e))
        return;
    if (feed_decl_charset(resp->body, n, &v, &vn) && feed_try_label(v, vn, e))
        return;
}

/* Appends U+FFFD. */
static char *feed_put_fffd(char *o)
{
    *o++ = (char)0xEF;
    *o++ = (char)0xBF;
    *o++ = (char)0xBD;
    return o;
}

/*
 * Decodes n bytes with e->cd into a new UTF-8 buffer (*outlen bytes): an
 * invalid sequence becomes U+FFFD and decoding resumes e->unit
 * bytes later; a truncated sequence at the end becomes U+FFFD.
 */
static char *feed_iconv(feed_enc *e, const char *in, size_t n, size_t *outlen)
{
    /* Any of our decoders turns one input byte into at most 3 output bytes
     * (windows-1252, or U+FFFD for an invalid byte); + 16 for the flush. */
    size_t cap = n * 3 + 16;
    char *out = xmalloc(cap);
    char *ip = (char *)in, *op = out;
    size_t il = n, ol = cap;

    while (il > 0) {
        if (iconv(e->cd, &ip, &il, &op, &ol) != (size_t)-1)
            break;
        if (errno == E2BIG) { /* cannot happen with the bound above; grow anyway */
            size_t used = (size_t)(op - out);
            cap *= 2;
            out = xrealloc(out, cap);
            op = out + used;
            ol = cap - used;
            continue;
        }
        if (ol < 3) {
            size_t used = (size_t)(op - out);
            cap += 64;
            out = xrealloc(out, cap);
            op = out + used;
            ol = cap - used;
        }
        op = feed_put_fffd(op);
        ol -= 3;
        if (errno != EILSEQ)
            break; /* EINVAL: truncated at the end */
        size_t skip = e->unit < il ? e->unit : il;
        ip += skip;
        il -= skip;
        iconv(e->cd, NULL, NULL, NULL, NULL); /* reset the shift state */
    }
    iconv(e->cd, NULL, NULL, &op, &ol);
    *outlen = (size_t)(op - out);
    return out;
}

/*
 * Length of the valid UTF-8 sequence at s (n > 0 bytes, s[0] >= 0x80) that
 * XML accepts, or 0 (invalid, truncated, or U+FFFE/U+FFFF).
 */
static inline size_t feed_utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c >= 0xC2 && c <= 0xDF)
        return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
            return 0; /* overlong, surrogate */
        if (c == 0xEF && s[1] == 0xBF && s[2] >= 0xBE)
            return 0; /* U+FFFE, U+FFFF */
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
            return 0;
        return 4;
    }
    return 0;
}

/* Bytes of the maximal ill-formed subpart at s (s[0] starts no valid sequence). */
static size_t feed_utf8_bad(const unsigned char *s, size_t n)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t need;
    if (c >= 0xC2 && c <= 0xDF)
        need = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        need = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
        need = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else
        return 1;
    size_t i = 1;
    if (i < n && s[i] >= lo && s[i] <= hi) {
        i++;
        while (i < need && i < n && (s[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

/* The HTML 4 named entities and &apos;, sorted by strcmp for bsearch. */
static const struct feed_entity {
    const char *name;
    uint32_t cp;
} feed_entities[] = {
    { "AElig", 0xC6 },     { "Aacute", 0xC1 },   { "Acirc", 0xC2 },     { "Agrave", 0xC0 },
    { "Alpha", 0x391 },    { "Aring", 0xC5 },    { "Atilde", 0xC3 },    { "Auml", 0xC4 },
    { "Beta", 0x392 },     { "Ccedil", 0xC7 },   { "Chi", 0x3A7 },      { "Dagger", 0x2021 },
    { "Delta", 0x394 },    { "ETH", 0xD0 },      { "Eacute", 0xC9 },    { "Ecirc", 0xCA },
    { "Egrave", 0xC8 },    { "Epsilon", 0x395 }, { "Eta", 0x397 },      { "Euml", 0xCB },
    { "Gamma", 0x393 },    { "Iacute", 0xCD },   { "Icirc", 0xCE },     { "Igrave", 0xCC },
    { "Iota", 0x399 },     { "Iuml", 0xCF },     { "Kappa", 0x39A },    { "Lambda", 0x39B },
    { "Mu", 0x39C },       { "Ntilde", 0xD1 },   { "Nu", 0x39D },       { "OElig", 0x152 },
    { "Oacute", 0xD3 },    { "Ocirc", 0xD4 },    { "Ograve", 0xD2 },    { "Omega", 0x3A9 },
    { "Omicron", 0x39F },  { "Oslash", 0xD8 },   { "Otilde", 0xD5 },    { "Ouml", 0xD6 },
    { "Phi", 0x3A6 },      { "Pi", 0x3A0 },      { "Prime", 0x2033 },   { "Psi", 0x3A8 },
    { "Rho", 0x3A1 },      { "Scaron", 0x160 },  { "Sigma", 0x3A3 },    { "THORN", 0xDE },
    { "Tau", 0x3A4 },      { "Theta", 0x398 },   { "Uacute", 0xDA },    { "Ucirc", 0xDB },
    { "Ugrave", 0xD9 },    { "Upsilon", 0x3A5 }, { "Uuml", 0xDC },      { "Xi", 0x39E },
    { "Yacute", 0xDD },    { "Yuml", 0x178 },    { "Zeta", 0x396 },     { "aacute", 0xE1 },
    { "acirc", 0xE2 },     { "acute", 0xB4 },    { "aelig", 0xE6 },     { "agrave", 0xE0 },
    { "alefsym", 0x2135 }, { "alpha", 0x3B1 },   { "amp", 0x26 },       { "and", 0x2227 },
    { "ang", 0x2220 },     { "apos", 0x27 },     { "aring", 0xE5 },     { "asymp", 0x2248 },
    { "atilde", 0xE3 },    { "auml", 0xE4 },     { "bdquo", 0x201E },   { "beta", 0x3B2 },
    { "brvbar", 0xA6 },    { "bull", 0x2022 },   { "cap", 0x2229 },     { "ccedil", 0xE7 },
    { "cedil", 0xB8 },     { "cent", 0xA2 },     { "chi", 0x3C7 },      { "circ", 0x2C6 },
    { "clubs", 0x2663 },   { "cong", 0x2245 },   { "copy", 0xA9 },      { "crarr", 0x21B5 },
    { "cup", 0x222A },     { "curren", 0xA4 },   { "dArr", 0x21D3 },    { "dagger", 0x2020 },
    { "darr", 0x2193 },    { "deg", 0xB0 },      { "delta", 0x3B4 },    { "diams", 0x2666 },
    { "divide", 0xF7 },    { "eacute", 0xE9 },   { "ecirc", 0xEA },     { "egrave", 0xE8 },
    { "empty", 0x2205 },   { "emsp", 0x2003 },   { "ensp", 0x2002 },    { "epsilon", 0x3B5 },
    { "equiv", 0x2261 },   { "eta", 0x3B7 },     { "eth", 0xF0 },       { "euml", 0xEB },
    { "euro", 0x20AC },    { "exist", 0x2203 },  { "fnof", 0x192 },     { "forall", 0x2200 },
    { "frac12", 0xBD },    { "frac14", 0xBC },   { "frac34", 0xBE },    { "frasl", 0x2044 },
    { "gamma", 0x3B3 },    { "ge", 0x2265 },     { "gt", 0x3E },        { "hArr", 0x21D4 },
    { "harr", 0x2194 },    { "hearts", 0x2665 }, { "hellip", 0x2026 },  { "iacute", 0xED },
    { "icirc", 0xEE },     { "iexcl", 0xA1 },    { "igrave", 0xEC },    { "image", 0x2111 },
    { "infin", 0x221E },   { "int", 0x222B },    { "iota", 0x3B9 },     { "iquest", 0xBF },
    { "isin", 0x2208 },    { "iuml", 0xEF },     { "kappa", 0x3BA },    { "lArr", 0x21D0 },
    { "lambda", 0x3BB },   { "lang", 0x2329 },   { "laquo", 0xAB },     { "larr", 0x2190 },
    { "lceil", 0x2308 },   { "ldquo", 0x201C },  { "le", 0x2264 },      { "lfloor", 0x230A },
    { "lowast", 0x2217 },  { "loz", 0x25CA },    { "lrm", 0x200E },     { "lsaquo", 0x2039 },
    { "lsquo", 0x2018 },   { "lt", 0x3C },       { "macr", 0xAF },      { "mdash", 0x2014 },
    { "micro", 0xB5 },     { "middot", 0xB7 },   { "minus", 0x2212 },   { "mu", 0x3BC },
    { "nabla", 0x2207 },   { "nbsp", 0xA0 },     { "ndash", 0x2013 },   { "ne", 0x2260 },
    { "ni", 0x220B },      { "not", 0xAC },      { "notin", 0x2209 },   { "nsub", 0x2284 },
    { "ntilde", 0xF1 },    { "nu", 0x3BD },      { "oacute", 0xF3 },    { "ocirc", 0xF4 },
    { "oelig", 0x153 },    { "ograve", 0xF2 },   { "oline", 0x203E },   { "omega", 0x3C9 },
    { "omicron", 0x3BF },  { "oplus", 0x2295 },  { "or", 0x2228 },      { "ordf", 0xAA },
    { "ordm", 0xBA },      { "oslash", 0xF8 },   { "otilde", 0xF5 },    { "otimes", 0x2297 },
    { "ouml", 0xF6 },      { "para", 0xB6 },     { "part", 0x2202 },    { "permil", 0x2030 },
    { "perp", 0x22A5 },    { "phi", 0x3C6 },     { "pi", 0x3C0 },       { "piv", 0x3D6 },
    { "plusmn", 0xB1 },    { "pound", 0xA3 },    { "prime", 0x2032 },   { "prod", 0x220F },
    { "prop", 0x221D },    { "psi", 0x3C8 },     { "quot", 0x22 },      { "rArr", 0x21D2 },
    { "radic", 0x221A },   { "rang", 0x232A },   { "raquo", 0xBB },     { "rarr", 0x2192 },
    { "rceil", 0x2309 },   { "rdquo", 0x201D },  { "real", 0x211C },    { "reg", 0xAE },
    { "rfloor", 0x230B },  { "rho", 0x3C1 },     { "rlm", 0x200F },     { "rsaquo", 0x203A },
    { "rsquo", 0x2019 },   { "sbquo", 0x201A },  { "scaron", 0x161 },   { "sdot", 0x22C5 },
    { "sect", 0xA7 },      { "shy", 0xAD },      { "sigma", 0x3C3 },    { "sigmaf", 0x3C2 },
    { "sim", 0x223C },     { "spades", 0x2660 }, { "sub", 0x2282 },     { "sube", 0x2286 },
    { "sum", 0x2211 },     { "sup", 0x2283 },    { "sup1", 0xB9 },      { "sup2", 0xB2 },
    { "sup3", 0xB3 },      { "supe", 0x2287 },   { "szlig", 0xDF },     { "tau", 0x3C4 },
    { "there4", 0x2234 },  { "theta", 0x3B8 },   { "thetasym", 0x3D1 }, { "thinsp", 0x2009 },
    { "thorn", 0xFE },     { "tilde", 0x2DC },   { "times", 0xD7 },     { "trade", 0x2122 },
    { "uArr", 0x21D1 },    { "uacute", 0xFA },   { "uarr", 0x2191 },    { "ucirc", 0xFB },
    { "ugrave", 0xF9 },    { "uml", 0xA8 },      { "upsih", 0x3D2 },    { "upsilon", 0x3C5 },
    { "uuml", 0xFC },      { "weierp", 0x2118 }, { "xi", 0x3BE },       { "yacute", 0xFD },
    { "yen", 0xA5 },       { "yuml", 0xFF },     { "zeta", 0x3B6 },     { "zwj", 0x200D },
    { "zwnj", 0x200C }
};

static int feed_entity_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const struct feed_entity *)elem)->name);
}

/* The code point an HTML entity name stands for, or 0. */
static uint32_t feed_entity_named(const char *name)
{
    const struct feed_entity *e =
        bsearch(name, feed_entities, sizeof feed_entities / sizeof feed_entities[0],
                sizeof feed_entities[0], feed_entity_cmp);
    return e != NULL ? e->cp : 0;
}

/* An output buffer that grows (the cleaned document). */
typedef struct feed_out {
    char *p;
    size_t len, cap;
} feed_out;

static void feed_out_add(feed_out *o, const void *s, size_t n)
{
    if (o->cap - o->len < n) {
        while (o->cap - o->len < n)
            o->cap = o->cap ? o->cap * 2 : 4096;
        o->p = xrealloc(o->p, o->cap);
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static int feed_is_name_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_' || c == ':' || c >= 0x80;
}

/*
 * Looks at the reference at s[0] == '&': returns its length when it is a
 * well-formed character or entity reference, else 0. *name_len is the
 * length of an entity name (0 for character references).
 */
static size_t feed_ref_len(const unsigned char *s, size_t n, size_t *name_len)
{
    size_t i = 1, lim = n < 64 ? n : 64; /* no name or number is longer */
    *name_len = 0;
    if (i < lim && s[i] == '#') {
        i++;
        int hex = i < lim && s[i] == 'x';
        i += (size_t)hex;
        size_t d = i;
        while (i < lim && ((s[i] >= '0' && s[i] <= '9') ||
                           (hex && ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f'))))
            i++;
        return i > d && i < lim && s[i] == ';' ? i + 1 : 0;
    }
    if (i >= lim || (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '-' ||
        !feed_is_name_byte(s[i]))
        return 0;
    while (i < lim && feed_is_name_byte(s[i]))
        i++;
    if (i >= lim || s[i] != ';')
        return 0;
    *name_len = i - 1;
    return i + 1;
}

/*
 * The code point of one of XML's five predefined entities (name without &
 * and ;), or 0. A document libxml2 found errors in is parsed again with
 * them rewritten as character references: libxml2 2.9, once it has seen
 * an error in recovery mode, drops every later &lt; &gt; &amp; &quot;
 * &apos; (xmlParseReference returns early when the document is not
 * well-formed) but still expands &#60; and friends, so one early error
 * would turn all later escaped HTML into "pa b/p". Well-formed documents
 * (nearly all) are not rewritten, hence not copied.
 */
static uint32_t feed_predefined(const unsigned char *s, size_t n)
{
    if (n == 2 && s[1] == 't')
        return s[0] == 'l' ? '<' : s[0] == 'g' ? '>' : 0;
    if (n == 3 && memcmp(s, "amp", 3) == 0)
        return '&';
    if (n == 4 && memcmp(s, "quot", 4) == 0)
        return '"';
    if (n == 4 && memcmp(s, "apos", 4) == 0)
        return '\'';
    return 0;
}

/*
 * Makes s (n bytes) what libxml2 can parse without losing text:
 *  - valid UTF-8: each maximal ill-formed subpart becomes U+FFFD;
 *  - only XML 1.0 characters: NUL, other C0 controls but TAB LF CR, U+FFFE
 *    and U+FFFF are dropped;
 *  - outside CDATA sections, a "&" that starts no well-formed reference
 *    ("AT&T", "?a=1&b=2") becomes "&#38;", and a reference to an HTML
 *    entity XML does not predefine (&nbsp; &mdash; ...) becomes its
 *    character: libxml2's recovery would drop both, gluing words together;
 *    with predefined, XML's own five become character references too (see
 *    feed_predefined). Other entity references stay as written (and are
 *    never resolved).
 * Returns s itself when nothing changed, else a new buffer (also in *owned,
 * for the caller to free); *outlen is the new length.
 */
static const char *feed_clean(const char *s, size_t n, int predefined, size_t *outlen, char **owned)
{
    const unsigned char *u = (const unsigned char *)s;
    const uint64_t ones = UINT64_C(0x0101010101010101), high = UINT64_C(0x8080808080808080);
    feed_out o = { NULL, 0, 0 };
    size_t i = 0, done = 0;               /* u[done..i) is clean and not yet copied */
    size_t cdata_from = 0, cdata_end = 0; /* CDATA sections seen up to cdata_from */

    while (i < n) {
        /* Eight bytes at a time while they are ASCII, not controls, not "&". */
        while (i + 8 <= n) {
            uint64_t v, amp;
            memcpy(&v, u + i, 8);
            amp = v ^ (ones * '&');
            if (((v | ((v - ones * 0x20) & ~v) | ((amp - ones) & ~amp)) & high) != 0)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char c = u[i];
        const char *rep = NULL; /* replacement for u[i..i+skip) */
        size_t skip = 0, rep_len = 0;
        char ch[5];
        if (c >= 0x80) {
            size_t k = feed_utf8_seq(u + i, n - i);
            if (k > 0) {
                i += k;
                continue;
            }
            if (c == 0xEF && n - i >= 3 && u[i + 1] == 0xBF && u[i + 2] >= 0xBE) {
                skip = 3; /* U+FFFE, U+FFFF: not characters */
            } else {
                skip = feed_utf8_bad(u + i, n - i);
                rep = "\xef\xbf\xbd", rep_len = 3;
            }
        } else if (c < 0x20) {
            if (c == '\t' || c == '\n' || c == '\r') {
                i++;
                continue;
            }
            skip = 1;
        } else if (c == '&') {
            /* Inside a CDATA section "&" is text: find the sections before i. */
            while (cdata_from < i && i >= cdata_end) {
                const char *c0 = memmem(s + cdata_from, i - cdata_from, "<![CDATA[", 9);
                if (c0 == NULL) {
                    cdata_from = i;
                    break;
                }
                const char *e = memmem(c0 + 9, n - (size_t)(c0 + 9 - s), "]]>", 3);
                cdata_from = e != NULL ? (size_t)(e - s) + 3 : n;
                cdata_end = cdata_from;
            }
            size_t name_len;
            size_t k = i < cdata_end ? 1 : feed_ref_len(u + i, n - i, &name_len);
            if (i < cdata_end || (k > 0 && name_len == 0)) {
                i += k;
                continue;
            }
            if (k == 0) {
                skip = 1;
                rep = "&#38;", rep_len = 5;
            } else {
                uint32_t cp = feed_predefined(u + i + 1, name_len);
                if (cp == 0) {
                    char name[64];
                    memcpy(name, u + i + 1, name_len);
                    name[name_len] = '\0';
                    cp = feed_entity_named(name);
                }
                if (cp == 0 || (cp < 0x80 && !predefined)) { /* unknown: never resolved */
                    i += k;
                    continue;
                }
                skip = k;
                if (cp < 0x80) { /* &lt; to &#60;: see feed_predefined */
                    ch[0] = '&', ch[1] = '#', ch[2] = (char)('0' + cp / 10);
                    ch[3] = (char)('0' + cp % 10), ch[4] = ';';
                    rep = ch, rep_len = 5;
                } else {
                    rep = ch, rep_len = core_utf8_encode(cp, ch);
                }
            }
        } else {
            i++;
            continue;
        }
        if (o.p == NULL) {
            o.cap = n + n / 16 + 64;
            o.p = xmalloc(o.cap);
        }
        feed_out_add(&o, u + done, i - done);
        if (rep_len > 0)
            feed_out_add(&o, rep, rep_len);
        i += skip;
        done = i;
    }
    *owned = NULL;
    *outlen = n;
    if (o.p == NULL)
        return s;
    feed_out_add(&o, u + done, n - done);
    *owned = o.p;
    *outlen = o.len;
    return o.p;
}

/* ======================================================================
 * 3a. Streaming HTML to text
 * ====================================================================== */

/* What HTML makes of &#128; .. &#159;: the windows-1252 characters. */
static const uint16_t feed_cp1252[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

/* Tags whose start or end separates words. */
static const char feed_block_tags[] =
    " address article aside blockquote body br caption center dd details dialog dir div dl dt"
    " fieldset figcaption figure footer form frame h1 h2 h3 h4 h5 h6 head header hgroup hr html"
    " iframe legend li main menu nav noscript ol option p pre section summary table tbody td"
    " textarea tfoot th thead title tr ul ";

static int feed_is_block(const char *name, size_t n)
{
    char key[20];
    if (n == 0 || n + 2 >= sizeof key)
        return 0;
    key[0] = ' ';
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        key[i + 1] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    key[n + 1] = ' ';
    key[n + 2] = '\0';
    return strstr(feed_block_tags, key) != NULL;
}

/* Converter states for HTML input. */
enum {
    HS_TEXT,    /* text */
    HS_AMP,     /* after "&", reading an entity name */
    HS_LT,      /* after "<" */
    HS_NAME,    /* reading a tag name */
    HS_TAG,     /* inside a tag, after its name, until ">" */
    HS_BANG,    /* after "<!" */
    HS_COMMENT, /* inside <!-- --> */
    HS_RAW,     /* inside <script> or <style>, until its end tag */
};

/* Byte classes: 1 ASCII whitespace, 2 "<" or "&" (special in HTML), 4 the first
 * byte of U+0080..U+00BF (U+00A0, no-break space, folds like a space). */
static const unsigned char feed_cls[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1,
    [' '] = 1,  ['<'] = 2,  ['&'] = 2,  [0xC2] = 4,
};

/*
 * One field's text, built as it streams in. Output is folded (one space
 * between words, none at the ends), valid UTF-8, at most max bytes.
 */
typedef struct feed_text {
    char *buf;  /* max + 1 bytes */
    size_t len; /* bytes in buf */
    size_t max;
    unsigned char seen;  /* the element occurred in this item */
    unsigned char full;  /* max reached: further input ignored */
    unsigned char space; /* a space is due before the next word */
    unsigned char st;    /* HS_* */
    unsigned char quote; /* inside a quoted attribute value: the quote */
    unsigned char end;   /* the tag being read is an end tag */
    unsigned char slash; /* the last character of the tag was "/" */
    unsigned char ntok;  /* bytes in tok */
    unsigned char nraw;  /* how much of "</script" has matched */
    char tok[32];        /* entity or tag name being read */
    char raw[8];         /* "script" or "style" while in HS_RAW */
} feed_text;

static void ft_reset(feed_text *t)
{
    t->len = 0;
    t->seen = 1;
    t->full = t->space = 0;
    t->st = HS_TEXT;
    t->quote = t->end = t->slash = t->ntok = t->nraw = 0;
}

/* Appends n bytes of non-space text (whole UTF-8 characters), after the pending space. */
static void ft_put(feed_text *t, const char *s, size_t n)
{
    if (t->full)
        return;
    if (t->space) {
        t->space = 0;
        if (t->len > 0) {
            if (t->len >= t->max) {
                t->full = 1;
                return;
            }
            t->buf[t->len++] = ' ';
        }
    }
    if (n > t->max - t->len) {
        size_t k = t->max - t->len;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--; /* cut before the character that does not fit */
        n = k;
        t->full = 1;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
}

/* Appends a code point: whitespace (and no-break space) folds, controls vanish. */
static void ft_put_cp(feed_text *t, uint32_t cp)
{
    char u[4];
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == 0xA0) {
        t->space = 1;
        return;
    }
    if (cp < 0x20 || cp == 0x7F)
        return;
    if (cp >= 0x80 && cp <= 0x9F)
        cp = feed_cp1252[cp - 0x80];
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF || cp == 0xFFFE || cp == 0xFFFF)
        cp = CORE_REPLACEMENT;
    ft_put(t, u, core_utf8_encode(cp, u));
}

/* Decodes the entity in tok (without & and ;); 0 when it names nothing. */
static int ft_entity(feed_text *t)
{
    const char *s = t->tok;
    uint32_t cp = 0;
    t->tok[t->ntok] = '\0';
    if (s[0] == '#') {
        int hex = s[1] == 'x' || s[1] == 'X';
        const char *d = s + 1 + hex;
        if (*d == '\0')
            return 0;
        for (; *d != '\0'; d++) {
            unsigned v;
            if (*d >= '0' && *d <= '9')
                v = (unsigned)(*d - '0');
            else if (hex && ((*d | 0x20) >= 'a' && (*d | 0x20) <= 'f'))
                v = (unsigned)((*d | 0x20) - 'a' + 10);
            else
                return 0;
            if (cp <= 0x10FFFF)
                cp = cp * (hex ? 16 : 10) + v; /* saturates above the range */
        }
        if (cp == 0)
            cp = CORE_REPLACEMENT;
    } else {
        cp = feed_entity_named(s);
        if (cp == 0)
            return 0;
    }
    ft_put_cp(t, cp);
    return 1;
}

/* A tag ended (">" seen): words part at block tags; script and style hide their content. */
static void ft_tag_done(feed_text *t)
{
    t->st = HS_TEXT;
    if (t->ntok == 0)
        return;
    if (!t->end && !t->slash &&
        ((t->ntok == 6 && memcmp(t->tok, "script", 6) == 0) ||
         (t->ntok == 5 && memcmp(t->tok, "style", 5) == 0))) {
        memcpy(t->raw, t->tok, t->ntok);
        t->raw[t->ntok] = '\0';
        t->st = HS_RAW;
        t->nraw = 0;
        return;
    }
    if (feed_is_block(t->tok, t->ntok))
        t->space = 1;
}

static int ft_is_name(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == ':' || c == '_';
}

/* Runs the HTML state machine on s[i]; returns the next index (i, to reprocess, or i + 1). */
static size_t ft_html_step(feed_text *t, const char *s, size_t i, size_t n)
{
    unsigned char c = (unsigned char)s[i];
    switch (t->st) {
    case HS_AMP:
        if ((ft_is_name(c) || c == '#') && c != ':' && t->ntok < sizeof t->tok - 1) {
            t->tok[t->ntok++] = (char)c;
            return i + 1;
        }
        t->st = HS_TEXT;
        if (c == ';' && ft_entity(t))
            return i + 1;
        ft_put(t, "&", 1); /* not an entity: the text as written */
        if (t->ntok > 0)
            ft_put(t, t->tok, t->ntok);
        if (c == ';') {
            ft_put(t, ";", 1);
            return i + 1;
        }
        return i;
    case HS_LT:
        t->ntok = 0;
        t->end = t->slash = t->quote = 0;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            t->st = HS_NAME;
            return i;
        }
        if (c == '/') {
            t->end = 1;
            t->st = HS_NAME;
            return i + 1;
        }
        if (c == '!') {
            t->st = HS_BANG;
            return i + 1;
        }
        if (c == '?') {
            t->st = HS_TAG;
            return i + 1;
        }
        t->st = HS_TEXT;
        ft_put(t, "<", 1); /* "a < b" */
        return i;
    case HS_NAME:
        if (ft_is_name(c)) {
            if (t->ntok < 16)
                t->tok[t->ntok++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            return i + 1;
        }
        t->st = HS_TAG;
        return i;
    case HS_TAG:
        if (t->quote != 0) {
            if (c == t->quote)
                t->quote = 0;
            return i + 1;
        }
        if (c == '>') {
            ft_tag_done(t);
            return i + 1;
        }
        if (c == '"' || c == '\'')
            t->quote = c;
        if (!feed_cls[c])
            t->slash = c == '/';
        return i + 1;
    case HS_BANG:
        if (c == '-' && t->ntok < 2) {
            if (++t->ntok == 2) {
                t->st = HS_COMMENT;
                t->ntok = 0;
            }
            return i + 1;
        }
        t->ntok = 0;
        t->st = HS_TAG; /* <!DOCTYPE ...>, <![CDATA[...]]>: dropped to the next ">" */
        return i;
    case HS_COMMENT:
        /* Ends at "-->": count the dashes before each ">". */
        for (size_t j = i; j < n; j++) {
            if (s[j] == '>' && t->ntok >= 2) {
                t->st = HS_TEXT;
                t->ntok = 0;
                return j + 1;
            }
            t->ntok = s[j] != '-' ? 0 : t->ntok < 2 ? (unsigned char)(t->ntok + 1) : 2;
        }
        return n;
    case HS_RAW: {
        size_t rl = strlen(t->raw);
        for (size_t j = i; j < n; j++) {
            unsigned char d = (unsigned char)s[j];
            if (t->nraw == 0) {
                const char *lt = memchr(s + j, '<', n - j);
                if (lt == NULL)
                    return n;
                j = (size_t)(lt - s);
                t->nraw = 1;
            } else if (t->nraw == 1) {
                t->nraw = d == '/' ? 2 : d == '<' ? 1 : 0;
            } else if ((size_t)(t->nraw - 2) < rl) {
                if ((d | 0x20) == (unsigned char)t->raw[t->nraw - 2])
                    t->nraw++;
                else
                    t->nraw = d == '<' ? 1 : 0;
            } else if (!ft_is_name(d)) { /* "</script" then a non-name: the end tag */
                t->nraw = 0;
                t->ntok = 0;
                t->end = 1;
                t->st = HS_TAG;
                return j;
            } else {
                t->nraw = 0;
            }
        }
        return n;
    }
    default:
        t->st = HS_TEXT;
        return i;
    }
}

/* Feeds n bytes of text; html says whether it is HTML source or plain text. */
static void ft_add(feed_text *t, const char *s, size_t n, int html)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned mask = html ? 7 : 5;
    size_t i = 0;

    if (!html && t->st != HS_TEXT && t->st != HS_RAW)
        t->st = HS_TEXT; /* plain text ends whatever markup was open */
    while (i < n && !t->full) {
        if (t->st != HS_TEXT) {
            if (!html) /* plain text inside <script> (XHTML children): skipped */
                return;
            i = ft_html_step(t, s, i, n);
            continue;
        }
        size_t j = i;
        while (j < n && !(feed_cls[u[j]] & mask))
            j++;
        if (j > i) {
            ft_put(t, s + i, j - i);
            i = j;
            continue;
        }
        unsigned char c = u[i++];
        if (c == 0xC2) { /* input is valid UTF-8: a continuation byte follows */
            if (i < n && u[i] == 0xA0)
                t->space = 1;
            else if (i < n)
                ft_put(t, s + i - 1, 2);
            i++;
        } else if (feed_cls[c] & 1)
            t->space = 1;
        else if (c == '&')
            t->st = HS_AMP, t->ntok = 0;
        else
            t->st = HS_LT;
    }
}

/* Ends the input: a dangling "&name" or "<" is text; returns the NUL-terminated result. */
static const char *ft_finish(feed_text *t)
{
    if (t->st == HS_AMP) {
        t->st = HS_TEXT;
        ft_put(t, "&", 1);
        if (t->ntok > 0)
            ft_put(t, t->tok, t->ntok);
    } else if (t->st == HS_LT) {
        t->st = HS_TEXT;
        ft_put(t, "<", 1);
    }
    t->st = HS_TEXT;
    t->space = 0;
    while (t->len > 0 && t->buf[t->len - 1] == ' ')
        t->len--;
    t->buf[t->len] = '\0';
    return t->buf;
}

/* ======================================================================
 * 3b. The SAX handler
 * ====================================================================== */

enum { FEED_NONE, FEED_RSS, FEED_RDF, FEED_ATOM };

/* Namespace classes: the formats' own elements, Dublin Core, content:, RDF, the rest. */
enum { NSC_CORE, NSC_DC, NSC_CONTENT, NSC_RDF, NSC_OTHER };

/* The fields captured per item; each maps to one feed_text. */
enum {
    F_TITLE,
    F_LINK,      /* RSS <link> text */
    F_GUID,      /* RSS <guid>, Atom <id> */
    F_ABOUT,     /* RSS 1.0 item rdf:about */
    F_DESC,      /* RSS <description>, Atom <summary> */
    F_CONTENT,   /* content:encoded, Atom <content> */
    F_AUTHOR,    /* RSS <author> */
    F_CREATOR,   /* dc:creator */
    F_ANAME,     /* Atom author/name */
    F_SOURCE,    /* RSS <source> (the publisher, in Google News) */
    F_PUBDATE,   /* RSS <pubDate> */
    F_DCDATE,    /* dc:date */
    F_PUBLISHED, /* Atom 1.0 <published> */
    F_ISSUED,    /* Atom 0.3 <issued> */
    F_CREATED,   /* Atom 0.3 <created> */
    F_UPDATED,   /* Atom 1.0 <updated> */
    F_MODIFIED,  /* Atom 0.3 <modified> */
    F_COUNT
};

/* Text modes of a field's element. */
enum { TM_SKIP = -1, TM_PLAIN = 0, TM_HTML = 1 };

typedef struct feed_base {
    int depth;
    xmlChar *uri; /* absolute, from xmlBuildURI */
} feed_base;

typedef struct feed_parser {
    fetch_xml xml; /* first: fetch_xml_sax's error handler finds it here */
    const fetch_response *resp;
    fetch_result *r;
    int kind; /* FEED_* from the root element */
    char root[64];
    int depth;        /* of the current element; the root is 1 */
    int item_depth;   /* of the open item or entry; 0 outside */
    int field;        /* F_* being captured, or -1 */
    int field_depth;  /* its element's depth */
    int field_html;   /* its mode */
    int author_depth; /* of an Atom <author> inside the entry; 0 outside */
    int skip_depth;   /* of a <script>/<style> element inside a field; 0 outside */
    size_t n_items;
    const xmlChar *last_uri; /* namespace class cache: libxml2 interns URIs */
    int last_nsc;
    feed_base *bases; /* xml:base in scope, innermost last */
    size_t n_bases, cap_bases;
    feed_text f[F_COUNT];
    char *url; /* the item's link, resolved and checked; FEED_URL_MAX + 1 bytes */
    size_t url_len;
    int url_rank;  /* how good the link is: a better one replaces it */
    int permalink; /* RSS guid's isPermaLink is not "false" */
    char *scratch; /* 3 * FEED_URL_MAX + 1 bytes for URL work */
} feed_parser;

static int feed_nsc(feed_parser *p, const xmlChar *uri)
{
    if (uri == NULL)
        return NSC_CORE; /* no namespace: RSS 0.9x/2.0, or a careless feed */
    if (uri == p->last_uri)
        return p->last_nsc;
    const char *u = (const char *)uri;
    int c = NSC_OTHER;
    if (strcmp(u, NS_ATOM10) == 0 || strcmp(u, NS_RSS10) == 0 || strcmp(u, NS_ATOM03) == 0 ||
        strcmp(u, NS_RSS090) == 0)
        c = NSC_CORE;
    else if (strcmp(u, NS_DC) == 0)
        c = NSC_DC;
    else if (strcmp(u, NS_CONTENT) == 0)
        c = NSC_CONTENT;
    else if (strcmp(u, NS_RDF) == 0)
        c = NSC_RDF;
    p->last_uri = uri;
    p->last_nsc = c;
    return c;
}

/* An attribute's value (not NUL-terminated) by local name and namespace (NULL: none). */
static const char *feed_attr(const xmlChar **attrs, int nb, const char *name, const char *ns,
                             size_t *len)
{
    for (int i = 0; i < nb; i++) {
        const xmlChar **a = attrs + 5 * i;
        if (strcmp((const char *)a[0], name) != 0)
            continue;
        if (ns == NULL ? a[2] != NULL : a[2] == NULL || strcmp((const char *)a[2], ns) != 0)
            continue;
        *len = (size_t)(a[4] - a[3]);
        return (const char *)a[3];
    }
    return NULL;
}

static int feed_attr_is(const char *v, size_t n, const char *s)
{
    return v != NULL && strlen(s) == n && strncasecmp(v, s, n) == 0;
}

/* The base URI in scope: the innermost xml:base, else the feed's URL (may be NULL). */
static const char *feed_base_uri(const feed_parser *p)
{
    if (p->n_bases > 0)
        return (const char *)p->bases[p->n_bases - 1].uri;
    return p->resp->url;
}

/* True when s starts with a URI scheme ("http:", "javascript:"). */
static int feed_has_scheme(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
        return 0;
    for (s++; *s != '\0'; s++) {
        if (*s == ':')
            return 1;
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '+' || *s == '-' || *s == '.'))
            return 0;
    }
    return 0;
}

/*
 * Copies an attribute value, turning "&#38;" back into "&": without entity
 * substitution libxml2's SAX2 keeps an ampersand in an attribute value
 * (written &amp; or &#38;) as the text "&#38;", for a DOM builder to
 * re-parse. Every other reference arrives decoded. Returns the new length.
 */
static size_t feed_attr_amp(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        out[o++] = s[i];
        if (s[i] == '&' && n - i >= 5 && memcmp(s + i, "&#38;", 5) == 0)
            i += 4;
    }
    return o;
}

/*
 * Resolves the reference s (n bytes, trimmed here; an attribute value or
 * element text) against the base in scope. "&#38;" is an ampersand (see
 * feed_attr_amp); spaces and controls are percent-encoded (and, when
 * libxml2 refuses the reference, non-ASCII bytes too). Returns a new
 * xmlChar string (xmlFree) or NULL.
 */
static xmlChar *feed_resolve(feed_parser *p, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    while (n > 0 && (feed_cls[(unsigned char)*s] & 1)) {
        s++;
        n--;
    }
    while (n > 0 && (feed_cls[(unsigned char)s[n - 1]] & 1))
        n--;
    if (n == 0 || n > FEED_URL_MAX)
        return NULL;
    for (int pass = 0; pass < 2; pass++) {
        char *o = p->scratch;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c == '&' && n - i >= 5 && memcmp(s + i, "&#38;", 5) == 0) {
                *o++ = '&'; /* see feed_attr_amp */
                i += 4;
            } else if (c <= 0x20 || c == 0x7F || (pass == 1 && c >= 0x80)) {
                *o++ = '%';
                *o++ = hex[c >> 4];
                *o++ = hex[c & 15];
            } else {
                *o++ = (char)c;
            }
        }
        *o = '\0';
        if (feed_has_scheme(p->scratch))
            return xmlStrdup((const xmlChar *)p->scratch);
        const char *base = feed_base_uri(p);
        if (base == NULL)
            return NULL;
        xmlChar *u = xmlBuildURI((const xmlChar *)p->scratch, (const xmlChar *)base);
        if (u != NULL)
            return u;
    }
    return NULL;
}

/* True for an absolute http(s) URL with a host and nothing that needs escaping. */
static int feed_url_ok(const char *u, size_t n)
{
    size_t skip;
    if (n > 7 && strncasecmp(u, "http://", 7) == 0)
        skip = 7;
    else if (n > 8 && strncasecmp(u, "https://", 8) == 0)
        skip = 8;
    else
        return 0;
    if (u[skip] == '/' || u[skip] == '?' || u[skip] == '#' || u[skip] == '\0')
        return 0;
    return n <= FEED_URL_MAX;
}

/* Offers a link (raw reference) for the item; kept when absolute http(s) and better ranked. */
static void feed_offer_link(feed_parser *p, const char *ref, size_t n, int rank)
{
    if (rank <= p->url_rank)
        return;
    xmlChar *u = feed_resolve(p, ref, n);
    if (u == NULL)
        return;
    size_t len = strlen((const char *)u);
    if (feed_url_ok((const char *)u, len)) {
        memcpy(p->url, u, len + 1);
        p->url_len = len;
        p->url_rank = rank;
    }
    xmlFree(u);
}

/* Pushes an element's xml:base, resolved against the enclosing base. */
static void feed_push_base(feed_parser *p, const char *v, size_t n)
{
    xmlChar *u = feed_resolve(p, v, n);
    if (u == NULL)
        return;
    if (p->n_bases == p->cap_bases) {
        p->cap_bases = p->cap_bases ? p->cap_bases * 2 : 8;
        p->bases = xrealloc(p->bases, p->cap_bases * sizeof *p->bases);
    }
    p->bases[p->n_bases].depth = p->depth;
    p->bases[p->n_bases].uri = u;
    p->n_bases++;
}

/* The text mode of an RSS or Atom text construct (type and Atom 0.3's mode attributes). */
static int feed_mode(const feed_parser *p, const xmlChar **attrs, int nb, int is_content)
{
    size_t tn = 0, mn = 0, sn = 0;
    if (p->kind != FEED_ATOM)
        return TM_HTML; /* RSS text is HTML, escaped or in CDATA */
    if (is_content && feed_attr(attrs, nb, "src", NULL, &sn) != NULL)
        return TM_SKIP; /* out-of-line content */
    const char *type = feed_attr(attrs, nb, "type", NULL, &tn);
    const char *mode = feed_attr(attrs, nb, "mode", NULL, &mn);
    if (feed_attr_is(mode, mn, "base64"))
        return TM_SKIP;
    if (type == NULL || feed_attr_is(type, tn, "text") || feed_attr_is(type, tn, "text/plain"))
        return feed_attr_is(mode, mn, "escaped") ? TM_HTML : TM_PLAIN;
    if (feed_attr_is(type, tn, "html") || feed_attr_is(type, tn, "text/html"))
        return feed_attr_is(mode, mn, "xml") ? TM_PLAIN : TM_HTML;
    if (feed_attr_is(type, tn, "xhtml") ||
        (tn >= 4 && strncasecmp(type + tn - 4, "+xml", 4) == 0) ||
        (tn >= 4 && strncasecmp(type + tn - 4, "/xml", 4) == 0) ||
        (tn >= 5 && strncasecmp(type, "text/", 5) == 0))
        return TM_PLAIN; /* markup arrives as child elements */
    return TM_SKIP;      /* other media types (images, base64) */
}

/* Starts capturing field f at this element, unless it already has text. */
static void feed_begin_field(feed_parser *p, int f, int mode)
{
    feed_text *t = &p->f[f];
    if (mode == TM_SKIP || (t->seen && t->len > 0))
        return;
    /* The short description wins over full content: skip content when we have it. */
    if (f == F_CONTENT && p->f[F_DESC].seen && p->f[F_DESC].len > 0)
        return;
    ft_reset(t);
    p->field = f;
    p->field_depth = p->depth;
    p->field_html = mode == TM_HTML;
}

static void feed_begin_item(feed_parser *p, const xmlChar **attrs, int nb)
{
    size_t n;
    p->item_depth = p->depth;
    p->field = -1;
    p->author_depth = 0;
    p->skip_depth = 0;
    for (int i = 0; i < F_COUNT; i++) {
        p->f[i].seen = 0;
        p->f[i].len = 0;
    }
    p->url_len = 0;
    p->url_rank = 0;
    p->permalink = 0;
    const char *about = feed_attr(attrs, nb, "about", NS_RDF, &n);
    if (about != NULL && n <= FEED_URL_MAX) {
        ft_reset(&p->f[F_ABOUT]);
        ft_add(&p->f[F_ABOUT], p->scratch, feed_attr_amp(about, n, p->scratch), 0);
        ft_finish(&p->f[F_ABOUT]);
    }
}

/* A direct child of an item: which field it is, and what its attributes say. */
static void feed_item_child(feed_parser *p, const xmlChar *local, int nsc, const xmlChar **attrs,
                            int nb)
{
    const char *l = (const char *)local;
    size_t n;
    if (nsc == NSC_DC) {
        if (strcmp(l, "creator") == 0)
            feed_begin_field(p, F_CREATOR, TM_PLAIN);
        else if (strcmp(l, "date") == 0)
            feed_begin_field(p, F_DCDATE, TM_PLAIN);
        return;
    }
    if (nsc == NSC_CONTENT) {
        if (strcmp(l, "encoded") == 0)
            feed_begin_field(p, F_CONTENT, TM_HTML);
        return;
    }
    if (nsc != NSC_CORE)
        return;
    switch (l[0]) {
    case 'a':
        if (strcmp(l, "author") == 0) {
            if (p->kind == FEED_ATOM)
                p->author_depth = p->depth; /* its <name> is the author */
            else
                feed_begin_field(p, F_AUTHOR, TM_PLAIN);
        }
        break;
    case 'c':
        if (strcmp(l, "content") == 0)
            feed_begin_field(p, F_CONTENT, feed_mode(p, attrs, nb, 1));
        else if (strcmp(l, "created") == 0)
            feed_begin_field(p, F_CREATED, TM_PLAIN);
        break;
    case 'd':
        if (strcmp(l, "description") == 0)
            feed_begin_field(p, F_DESC, TM_HTML);
        break;
    case 'g':
        if (strcmp(l, "guid") == 0) {
            const char *pl = feed_attr(attrs, nb, "isPermaLink", NULL, &n);
            p->permalink = !feed_attr_is(pl, n, "false");
            feed_begin_field(p, F_GUID, TM_PLAIN);
        }
        break;
    case 'i':
        if (strcmp(l, "id") == 0)
            feed_begin_field(p, F_GUID, TM_PLAIN);
        else if (strcmp(l, "issued") == 0)
            feed_begin_field(p, F_ISSUED, TM_PLAIN);
        break;
    case 'l':
        if (strcmp(l, "link") == 0) {
            const char *href = feed_attr(attrs, nb, "href", NULL, &n);
            if (href == NULL) {
                feed_begin_field(p, F_LINK, TM_PLAIN); /* RSS: the text is the link */
                break;
            }
            /* Atom: rel="alternate" (the default), HTML preferred. */
            size_t rn = 0, tn = 0;
            const char *rel = feed_attr(attrs, nb, "rel", NULL, &rn);
            const char *type = feed_attr(attrs, nb, "type", NULL, &tn);
            if (rel != NULL && !feed_attr_is(rel, rn, "alternate"))
                break;
            int html = type == NULL || feed_attr_is(type, tn, "text/html") ||
                       feed_attr_is(type, tn, "application/xhtml+xml");
            feed_offer_link(p, href, n, html ? 3 : 2);
        }
        break;
    case 'm':
        if (strcmp(l, "modified") == 0)
            feed_begin_field(p, F_MODIFIED, TM_PLAIN);
        break;
    case 'p':
        if (strcmp(l, "pubDate") == 0)
            feed_begin_field(p, F_PUBDATE, TM_PLAIN);
        else if (strcmp(l, "published") == 0)
            feed_begin_field(p, F_PUBLISHED, TM_PLAIN);
        break;
    case 's':
        if (strcmp(l, "summary") == 0)
            feed_begin_field(p, F_DESC, feed_mode(p, attrs, nb, 0));
        else if (strcmp(l, "source") == 0 && p->kind != FEED_ATOM)
            feed_begin_field(p, F_SOURCE, TM_PLAIN);
        break;
    case 't':
        if (strcmp(l, "title") == 0)
            feed_begin_field(p, F_TITLE, feed_mode(p, attrs, nb, 0));
        break;
    case 'u':
        if (strcmp(l, "updated") == 0)
            feed_begin_field(p, F_UPDATED, TM_PLAIN);
        break;
    default:
        break;
    }
}

/* The root element decides the format; anything else stops the parse. */
static void feed_root(feed_parser *p, const xmlChar *local, const xmlChar *prefix,
                      const xmlChar *uri)
{
    const char *l = (const char *)local, *u = (const char *)uri;
    if (strcmp(l, "rss") == 0)
        p->kind = FEED_RSS;
    else if (strcmp(l, "RDF") == 0 && u != NULL && strcmp(u, NS_RDF) == 0)
        p->kind = FEED_RDF;
    else if (strcmp(l, "feed") == 0 &&
             (u == NULL || strcmp(u, NS_ATOM10) == 0 || strcmp(u, NS_ATOM03) == 0))
        p->kind = FEED_ATOM;
    if (p->kind != FEED_NONE)
        return;
    snprintf(p->root, sizeof p->root, "%s%s%s", prefix != NULL ? (const char *)prefix : "",
             prefix != NULL ? ":" : "", l);
    xmlStopParser(p->xml.ctxt);
}

static void feed_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                       int nb_ns, const xmlChar **ns, int nb_attrs, int nb_defaulted,
                       const xmlChar **attrs)
{
    feed_parser *p = ctx;
    (void)nb_ns;
    (void)ns;
    (void)nb_defaulted;

    p->depth++;
    if (p->depth == 1) {
        feed_root(p, local, prefix, uri);
        if (p->kind == FEED_NONE)
            return;
    }
    for (int i = 0; i < nb_attrs; i++) {
        const xmlChar **a = attrs + 5 * i;
        if (a[2] != NULL && strcmp((const char *)a[0], "base") == 0 &&
            strcmp((const char *)a[2], NS_XML) == 0)
            feed_push_base(p, (const char *)a[3], (size_t)(a[4] - a[3]));
    }
    if (p->field >= 0) {
        /* Markup inside a field (Atom XHTML, or raw HTML in RSS): words part
         * at block elements; script and style are skipped whole. */
        const char *l = (const char *)local;
        if (p->skip_depth == 0 && (strcmp(l, "script") == 0 || strcmp(l, "style") == 0))
            p->skip_depth = p->depth;
        else if (feed_is_block(l, strlen(l)))
            p->f[p->field].space = 1;
        return;
    }
    if (p->item_depth == 0) {
        const char *l = (const char *)local;
        if ((p->kind == FEED_ATOM ? strcmp(l, "entry") : strcmp(l, "item")) == 0 &&
            feed_nsc(p, uri) == NSC_CORE)
            feed_begin_item(p, attrs, nb_attrs);
        return;
    }
    int rel = p->depth - p->item_depth;
    if (rel == 1)
        feed_item_child(p, local, feed_nsc(p, uri), attrs, nb_attrs);
    else if (rel == 2 && p->author_depth == p->depth - 1 && feed_nsc(p, uri) == NSC_CORE &&
             strcmp((const char *)local, "name") == 0)
        feed_begin_field(p, F_ANAME, TM_PLAIN);
}

/* "editor@example.org (Jane Doe)" names Jane Doe; other text is kept as written. */
static const char *feed_rss_author(char *s)
{
    size_t n = strlen(s);
    char *open = strchr(s, '(');
    if (open == NULL || n == 0 || s[n - 1] != ')' || memchr(s, '@', (size_t)(open - s)) == NULL)
        return s;
    char *name = open + 1;
    s[n - 1] = '\0';
    while (*name == ' ')
        name++;
    size_t k = strlen(name);
    while (k > 0 && name[k - 1] == ' ')
        name[--k] = '\0';
    return k > 0 ? name : s;
}

/* The first of the listed fields whose text parses as a date; 0 when none does. */
static int64_t feed_date(feed_parser *p, const int *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        feed_text *t = &p->f[fields[i]];
        int64_t v;
        if (t->seen && t->len > 0 && fetch_parse_date(t->buf, &v) == 0)
            return v;
    }
    return 0;
}

/* The field's finished text when it has any, else NULL. */
static const char *feed_str(feed_parser *p, int f)
{
    return p->f[f].seen && p->f[f].len > 0 ? p->f[f].buf : NULL;
}

/* The first n characters of s (valid UTF-8) as an arena string. */
static char *feed_prefix_chars(core_arena *a, const char *s, size_t n)
{
    size_t i = 0;
    while (s[i] != '\0' && n > 0) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        n--;
    }
    while (i > 0 && s[i - 1] == ' ')
        i--;
    return core_arena_strndup(a, s, i);
}

/* </item>: the captured fields become one store_item. */
static void feed_end_item(feed_parser *p)
{
    static const int published[] = { F_PUBDATE, F_DCDATE,  F_PUBLISHED, F_ISSUED,
                                     F_CREATED, F_UPDATED, F_MODIFIED };
    static const int updated[] = { F_UPDATED, F_MODIFIED };
    core_arena *a = p->r->arena;
    const char *title = feed_str(p, F_TITLE), *guid = feed_str(p, F_GUID);
    const char *desc = feed_str(p, F_DESC), *content = feed_str(p, F_CONTENT);
    const char *summary = desc != NULL ? desc : content;

    /* An RSS guid that is a permalink (absolute) is the link when there is no <link>. */
    if (p->url_len == 0 && guid != NULL && p->permalink && feed_has_scheme(guid))
        feed_offer_link(p, guid, strlen(guid), 1); /* never resolved: "g1" is not a link */
    if (guid == NULL)
        guid = feed_str(p, F_ABOUT);
    if (guid == NULL && p->url_len > 0)
        guid = p->url;

    store_item *it = fetch_add_item(p->r);
    if (guid != NULL) {
        it->guid = core_arena_strdup(a, guid);
    } else {
        /* FNV-1a 64 of title and date as written: stable across fetches. */
        static const int dates[] = { F_PUBDATE, F_DCDATE, F_PUBLISHED, F_ISSUED, F_UPDATED };
        const char *date = NULL;
        for (size_t i = 0; i < sizeof dates / sizeof dates[0] && date == NULL; i++)
            date = feed_str(p, dates[i]);
        uint64_t h = UINT64_C(14695981039346656037);
        const char *parts[] = { title != NULL ? title : summary, "\n", date };
        for (size_t i = 0; i < 3; i++)
            for (const char *s = parts[i]; s != NULL && *s != '\0'; s++)
                h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
        char hex[17];
        snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
        it->guid = core_arena_strdup(a, hex);
    }
    if (title != NULL)
        it->title = core_arena_strdup(a, title);
    else if (summary != NULL)
        it->title = feed_prefix_chars(a, summary, FEED_TITLE_CHARS);
    else
        it->title = core_arena_strdup(a, "(untitled)");
    it->url = p->url_len > 0 ? core_arena_strndup(a, p->url, p->url_len) : NULL;
    it->summary = summary != NULL ? core_arena_strdup(a, summary) : NULL;

    const char *author = NULL;
    if (feed_str(p, F_AUTHOR) != NULL)
        author = feed_rss_author(p->f[F_AUTHOR].buf);
    if (author == NULL)
        author = feed_str(p, F_CREATOR);
    if (author == NULL)
        author = feed_str(p, F_ANAME);
    if (author == NULL)
        author = feed_str(p, F_SOURCE);
    it->author = author != NULL ? core_arena_strdup(a, author) : NULL;
    it->published = feed_date(p, published, sizeof published / sizeof published[0]);
    it->updated = feed_date(p, updated, sizeof updated / sizeof updated[0]);

    if (++p->n_items == FEED_MAX_ITEMS)
        xmlStopParser(p->xml.ctxt);
}

static void feed_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    feed_parser *p = ctx;
    (void)prefix;
    (void)uri;

    if (p->field >= 0) {
        if (p->depth == p->field_depth) {
            feed_text *t = &p->f[p->field];
            ft_finish(t);
            if (p->field == F_LINK)
                feed_offer_link(p, t->buf, t->len, 3);
            p->field = -1;
            p->skip_depth = 0;
        } else if (p->skip_depth == p->depth) {
            p->skip_depth = 0;
        } else if (p->skip_depth == 0 &&
                   feed_is_block((const char *)local, strlen((const char *)local))) {
            p->f[p->field].space = 1;
        }
    }
    if (p->author_depth == p->depth)
        p->author_depth = 0;
    if (p->item_depth == p->depth) {
        feed_end_item(p);
        p->item_depth = 0;
    }
    while (p->n_bases > 0 && p->bases[p->n_bases - 1].depth == p->depth)
        xmlFree(p->bases[--p->n_bases].uri);
    p->depth--;
}

static void feed_characters(void *ctx, const xmlChar *s, int n)
{
    feed_parser *p = ctx;
    if (p->field < 0 || p->skip_depth != 0 || n <= 0)
        return;
    /* Text of child elements is already plain (XHTML); the field's own may be HTML. */
    ft_add(&p->f[p->field], (const char *)s, (size_t)n,
           p->field_html && p->depth == p->field_depth);
}

static const xmlSAXHandler feed_sax = {
    .initialized = XML_SAX2_MAGIC,
    .startElementNs = feed_start,
    .endElementNs = feed_end,
    .characters = feed_characters,
    .ignorableWhitespace = feed_characters,
    .cdataBlock = feed_characters,
};

/* ======================================================================
 * 4. The adapter
 * ====================================================================== */

/* True when s holds nothing but ASCII whitespace. */
static int feed_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(feed_cls[(unsigned char)s[i]] & 1))
            return 0;
    return 1;
}

/*
 * Why a document with no feed root is not a feed: JSON, an HTML page (its
 * DOCTYPE or first element, when libxml2 gave up before the root), or the
 * XML error.
 */
static int feed_not_a_feed(const feed_parser *p, const char *s, size_t n, char **err)
{
    if (p->root[0] != '\0')
        return core_fail(err, "not a feed (root element <%s>)", p->root);
    size_t i = 0;
    while (i < n && (feed_cls[(unsigned char)s[i]] & 1))
        i++;
    if (i < n && (s[i] == '{' || s[i] == '['))
        return core_fail(err, "not a feed (a JSON document)");
    /* Skip the prolog: declarations, comments, processing instructions. */
    while (i + 1 < n && s[i] == '<' && (s[i + 1] == '?' || s[i + 1] == '!')) {
        if (n - i > 9 && strncasecmp(s + i, "<!DOCTYPE", 9) == 0) {
            size_t j = i + 9;
            while (j < n && (feed_cls[(unsigned char)s[j]] & 1))
                j++;
            size_t k = j;
            while (k < n && k - j < 32 && ft_is_name((unsigned char)s[k]))
                k++;
            if (k > j)
                return core_fail(err, "not a feed (root element <%.*s>)", (int)(k - j), s + j);
        }
        const char *gt = memchr(s + i, '>', n - i);
        if (gt == NULL)
            break;
        i = (size_t)(gt - s) + 1;
        while (i < n && (feed_cls[(unsigned char)s[i]] & 1))
            i++;
    }
    if (i + 1 < n && s[i] == '<') {
        size_t k = i + 1;
        while (k < n && k - i < 32 && ft_is_name((unsigned char)s[k]))
            k++;
        if (k > i + 1)
            return core_fail(err, "not a feed (root element <%.*s>)", (int)(k - i - 1), s + i + 1);
    }
    if (p->xml.msg != NULL)
        return core_fail(err, "not a feed (malformed XML, line %d: %s)", p->xml.line, p->xml.msg);
    return core_fail(err, "not a feed (no root element)");
}

/* Field capacities: summaries and names 4 KB, URLs and ids 8 KB, dates 128 bytes. */
static size_t feed_field_max(int f)
{
    switch (f) {
    case F_LINK:
    case F_GUID:
    case F_ABOUT:
        return FEED_URL_MAX;
    case F_PUBDATE:
    case F_DCDATE:
    case F_PUBLISHED:
    case F_ISSUED:
    case F_CREATED:
    case F_UPDATED:
    case F_MODIFIED:
        return FEED_DATE_MAX;
    default:
        return FEED_TEXT_MAX;
    }
}

/* One parse of doc (cleaned UTF-8) into p->r, from a fresh parse state. */
static void feed_run(feed_parser *p, const char *doc, size_t n)
{
    while (p->n_bases > 0)
        xmlFree(p->bases[--p->n_bases].uri);
    p->kind = FEED_NONE;
    p->root[0] = '\0';
    p->depth = p->item_depth = p->author_depth = p->skip_depth = 0;
    p->field = -1;
    p->n_items = 0;
    p->last_uri = NULL;
    free(p->xml.msg);
    fetch_xml_sax(&p->xml, doc, n, &feed_sax, XML_PARSE_RECOVER);
}

int fetch_parse_feed(const fetch_response *resp, fetch_result *r, char **err)
{
    feed_enc enc;
    char *converted = NULL, *cleaned = NULL;
    size_t dn, n;

    if (resp->body == NULL || resp->len == 0 || feed_blank(resp->body, resp->len))
        return core_fail(err, "empty response");
    if (resp->len > FEED_MAX_BYTES)
        return core_fail(err, "response too large (%zu bytes; feeds are limited to %zu MiB)",
                         resp->len, FEED_MAX_BYTES >> 20);

    /* Decode, then clean (each makes a buffer of ours only when needed). */
    feed_pick_encoding(resp, &enc);
    const char *decoded = resp->body + enc.skip;
    dn = resp->len - enc.skip;
    if (enc.cd != (iconv_t)-1) {
        converted = feed_iconv(&enc, decoded, dn, &dn);
        iconv_close(enc.cd);
        decoded = converted;
    }
    const char *doc = feed_clean(decoded, dn, 0, &n, &cleaned);
    if (feed_blank(doc, n)) {
        free(converted);
        free(cleaned);
        return core_fail(err, "empty response");
    }

    feed_parser *p = xcalloc(1, sizeof *p);
    p->resp = resp;
    p->r = r;
    size_t total = 0;
    for (int f = 0; f < F_COUNT; f++)
        total += feed_field_max(f) + 1;
    char *mem = xmalloc(total + FEED_URL_MAX + 1 + 3 * FEED_URL_MAX + 1);
    for (int f = 0; f < F_COUNT; f++) {
        p->f[f].buf = mem;
        p->f[f].max = feed_field_max(f);
        mem += p->f[f].max + 1;
    }
    p->url = mem;
    p->scratch = mem + FEED_URL_MAX + 1;

    size_t before = r->n_items;
    feed_run(p, doc, n);
    int rc = 0;
    if (p->kind == FEED_NONE) {
        rc = feed_not_a_feed(p, doc, n, err);
    } else if (p->xml.msg != NULL) {
        /* libxml2 saw errors, and so may have dropped &lt; and friends after
         * the first (see feed_predefined): read it again with those as
         * character references. The first reading's items are dropped (their
         * strings stay in the arena until the result is freed). */
        char *again = NULL;
        size_t n2;
        const char *doc2 = feed_clean(decoded, dn, 1, &n2, &again);
        if (again != NULL) {
            r->n_items = before;
            feed_run(p, doc2, n2);
            free(again);
        }
    }
    /* A feed malformed past its root still yields what could be read. */

    while (p->n_bases > 0)
        xmlFree(p->bases[--p->n_bases].uri);
    free(p->bases);
    free(p->f[0].buf);
    free(p->xml.msg);
    free(p);
    free(converted);
    free(cleaned);
    return rc;
}
