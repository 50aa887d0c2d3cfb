/*
 * json.c — the one way the JSON adapters (hf.c, eastmoney.c, yahoo.c, hn.c)
 * read a response body, and the small tolerant accessors they share.
 *
 * Loading is defensive in three steps, cheapest first:
 *  1. size: bodies over FETCH_JSON_MAX (8 MiB) are refused before any work;
 *     the largest real answer (a 1-year Yahoo chart, 100 HF models) is a few
 *     hundred KiB.
 *  2. depth: one linear pre-scan counts [ and { outside strings and refuses
 *     nesting past FETCH_JSON_MAX_DEPTH (64; real answers nest at most 6).
 *     jansson 2.14 has its own limit (JSON_PARSER_MAX_DEPTH, 2048) that
 *     stops its recursive parser; the pre-scan is a second, much lower wall
 *     and gives a clearer message. Freeing a parsed value (json_decref) also
 *     recurses, so a low depth keeps that bounded too.
 *  3. jansson: json_loadb with JSON_DECODE_ANY (a bare "null" or string is a
 *     shape error, not a syntax error) and JSON_ALLOW_NUL (a stray \u0000 in
 *     one title must not lose the whole answer; C strings simply end there).
 *     jansson rejects invalid UTF-8, so every string it hands out is valid.
 *
 * Every message starts with the adapter's kind ("yahoo-chart: ...") and, for
 * syntax and shape errors on an HTTP error status, the status ("HTTP 429:"),
 * so the sources view can show it as is. API error objects are reported in
 * the API's own words by the adapters, without the status.
 *
 * Numbers: sources write them as JSON numbers, as numeric strings, or as a
 * placeholder ("-", "", null) for "none". fetch_json_num() maps all of these
 * to a double or NAN; string numbers are parsed with the C locale whatever
 * setlocale() the UI did (strtod would otherwise read "1,5" in de_DE).
 */
#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fetch/private.h"

int fetch_json_fail(const fetch_response *resp, char **err, const char *kind, const char *fmt, ...)
{
    if (err == NULL)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    if (resp != NULL && resp->status >= 400)
        *err = xasprintf("%s: HTTP %d: %s", kind, resp->status, msg);
    else
        *err = xasprintf("%s: %s", kind, msg);
    free(msg);
    return -1;
}

/* jansson quotes the offending token in its messages; that token is
 * untrusted bytes. Keep valid printable UTF-8, turn the rest into '?'. */
static char *clean_text(const char *s)
{
    size_t n = strlen(s);
    char *out = xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = core_utf8_decode(s + i, n - i, &cp);
        if (cp == CORE_REPLACEMENT || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
            out[o++] = '?';
        } else {
            memcpy(out + o, s + i, k);
            o += k;
        }
        i += k;
    }
    out[o] = '\0';
    return out;
}

/* East Money answers JSONP (`jQuery123_456({...});`) when the URL carries
 * cb=...; people paste such URLs from the browser. Narrows [*p, *end) to the
 * parenthesised part when the body has that form; leaves it alone otherwise. */
static void strip_jsonp(const char **p, const char **end)
{
    const char *s = *p, *e = *end;
    if (s == e || !(isalpha((unsigned char)*s) || *s == '_' || *s == '$'))
        return;
    while (s < e && (isalnum((unsigned char)*s) || *s == '_' || *s == '$' || *s == '.'))
        s++;
    while (s < e && isspace((unsigned char)*s))
        s++;
    if (s == e || *s != '(')
        return;
    while (e > s && (isspace((unsigned char)e[-1]) || e[-1] == ';'))
        e--;
    if (e == s || e[-1] != ')')
        return;
    *p = s + 1;
    *end = e - 1;
}

/* Finds the first place where [ and { nest deeper than max outside strings.
 * Returns 0 when the nesting is fine, else -1 with *line / *col (1-based)
 * of the bracket that went too deep. Linear, no allocation, no recursion. */
static int depth_scan(const char *s, size_t n, int max, int *line, int *col)
{
    int depth = 0, in_str = 0, esc = 0;
    int l = 1, c = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\n') {
            l++;
            c = 0;
        } else if ((ch & 0xc0) != 0x80) {
            c++; /* count characters, not UTF-8 continuation bytes */
        }
        if (in_str) {
            if (esc)
                esc = 0;
            else if (ch == '\\')
                esc = 1;
            else if (ch == '"')
                in_str = 0;
            continue;
        }
        if (ch == '"') {
            in_str = 1;
        } else if (ch == '[' || ch == '{') {
            if (++depth > max) {
                *line = l;
                *col = c;
                return -1;
            }
        } else if ((ch == ']' || ch == '}') && depth > 0) {
            depth--;
        }
    }
    return 0;
}

json_t *fetch_json_load(const fetch_response *resp, const char *kind, int flags, char **err)
{
    if (resp->len > FETCH_JSON_MAX) {
        fetch_json_fail(resp, err, kind, "response too large (%zu bytes, limit %zu MiB)", resp->len,
                        FETCH_JSON_MAX >> 20);
        return NULL;
    }
    if (resp->body == NULL || resp->len == 0) {
        fetch_json_fail(resp, err, kind, "not JSON: empty body");
        return NULL;
    }
    const char *p = resp->body, *end = resp->body + resp->len;
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* a UTF-8 byte order mark, which jansson refuses */
    if (flags & FETCH_JSON_JSONP) {
        /* Leading space is jansson's to skip (it keeps line numbers right);
         * look past it only to see whether a JSONP wrapper starts there. */
        const char *q = p;
        while (q < end && isspace((unsigned char)*q))
            q++;
        const char *q0 = q;
        strip_jsonp(&q, &end);
        if (q != q0)
            p = q;
    }

    int line, col;
    if (depth_scan(p, (size_t)(end - p), FETCH_JSON_MAX_DEPTH, &line, &col) != 0) {
        fetch_json_fail(resp, err, kind,
                        "not JSON: line %d column %d: nested deeper than %d levels", line, col,
                        FETCH_JSON_MAX_DEPTH);
        return NULL;
    }
    json_error_t je;
    json_t *root = json_loadb(p, (size_t)(end - p), JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    if (root == NULL) {
        char *text = clean_text(je.text);
        fetch_json_fail(resp, err, kind, "not JSON: line %d column %d: %s", je.line, je.column,
                        text);
        free(text);
    }
    return root;
}

int fetch_json_decimal(const char *s, size_t n, double *out)
{
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    /* Longest sane number: 17 significant digits, sign, point, exponent,
     * and the padding zeros some sources add. */
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return -1;
    /* Grammar: [+-] digits [. digits] [e [+-] digits], or [+-] . digits ... */
    size_t i = 0, digits = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    while (i < n && isdigit((unsigned char)s[i])) {
        i++;
        digits++;
    }
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && isdigit((unsigned char)s[i])) {
            i++;
            digits++;
        }
    }
    if (digits == 0)
        return -1;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t exp_digits = 0;
        while (i < n && isdigit((unsigned char)s[i])) {
            i++;
            exp_digits++;
        }
        if (exp_digits == 0)
            return -1;
    }
    if (i != n)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    /* The grammar above has no locale-dependent part; strtod_l with the C
     * locale reads it the same way in any UI locale. */
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (c == (locale_t)0)
        return -1;
    double v = strtod_l(buf, NULL, c);
    freelocale(c);
    if (!isfinite(v))
        return -1;
    *out = v;
    return 0;
}

double fetch_json_num(const json_t *v)
{
    double d;
    if (json_is_integer(v))
        return (double)json_integer_value(v);
    if (json_is_real(v))
        return json_real_value(v);
    if (json_is_string(v) &&
        fetch_json_decimal(json_string_value(v), json_string_length(v), &d) == 0)
        return d;
    return NAN; /* null, "-", "", "--", true, arrays, ... */
}

int64_t fetch_json_int(const json_t *v, int64_t dflt)
{
    double d = NAN;
    if (json_is_integer(v))
        return (int64_t)json_integer_value(v);
    if (json_is_real(v))
        d = json_real_value(v);
    else if (json_is_string(v))
        fetch_json_decimal(json_string_value(v), json_string_length(v), &d);
    /* Integral values only, inside the range where the cast is defined. */
    if (isfinite(d) && d == floor(d) && d >= -9.2e18 && d <= 9.2e18)
        return (int64_t)d;
    return dflt;
}

const char *fetch_json_str(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}
