/*
 * date.c — the dates feeds and APIs write, to epoch seconds.
 *
 * One hand-written scanner, no locale: strptime's %a/%b depend on LC_TIME
 * and mktime on TZ, and a Chinese locale or a TZ=Asia/Shanghai worker would
 * silently shift or reject dates. Epoch seconds come from days_from_civil()
 * (proleptic Gregorian, H. Hinnant's algorithm) and the written offset.
 *
 * Accepted shapes (ASCII case-insensitive, runs of spaces anywhere between
 * fields, leading and trailing spaces ignored):
 *   RFC 822/1123/2822  [Day[.][,]] D Mon YYYY H:MM[:SS[.frac]] [zone]
 *                      (also D-Mon-YY as in RFC 850, 2- and 3-digit years,
 *                      full or misspelt day and month names)
 *   month first        [Day] Mon D[,] YYYY [H:MM[:SS]] [zone]
 *   asctime / date(1)  [Day] Mon D H:MM[:SS] [zone] YYYY
 *   RFC 3339/ISO 8601  YYYY-MM-DD[(T|t|spaces)HH:MM[:SS[(.|,)frac]]][zone]
 *   slashes, dots      YYYY/MM/DD [H:MM[:SS]] [zone], YYYY.MM.DD ...
 *   Chinese            YYYY年M月D日[ ]H:MM[:SS]
 * A 12-hour time may end in AM or PM. A zone is Z, +HH:MM, +HHMM, +HH or
 * +H, a name (below), or a name followed by an offset (GMT+8, UTC+08:00).
 * A numeric offset may be followed by a comment "(CST)" or a name, which is
 * then ignored. Without any zone the time is Asia/Shanghai (+08:00), the
 * zone of the sources xcdash reads.
 * Zone names: UT UTC GMT Z = +00:00; EST -05 EDT -04 CDT -05 MST -07
 * MDT -06 PST -08 PDT -07; CST = +08:00 (China Standard Time: in a Chinese
 * feed it never means US Central); HKT SGT +08, JST KST +09, CET +01,
 * CEST +02. Single military letters (A-I, K-Y) count as +00:00, as
 * RFC 2822 section 4.3 advises, since RFC 822 gave them the wrong sign.
 * Two-digit years 00-49 are 20xx, 50-99 19xx; three-digit years add 1900.
 * Refused (-1): anything else, trailing text, years outside 1000-9999,
 * month, day (per month and leap year), hour, minute or second (0-60, for
 * leap seconds) out of range, offsets of 24 hours or more.
 */
#include "fetch/private.h"

#include <string.h>

#define DATE_SHANGHAI (8 * 3600) /* the offset of a date written without zone */

/* What the scanner found; offset is in seconds east of UTC. */
typedef struct date_parts {
    int year, month, day, hour, min, sec;
    int offset, has_zone;
} date_parts;

static int date_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int date_is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char date_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static const char *date_skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    return p;
}

/* Reads up to 9 digits into *v; returns how many (0 when none). */
static int date_num(const char **pp, int *v)
{
    const char *p = *pp;
    int n = 0, x = 0;
    while (date_is_digit(*p) && n < 9) {
        x = x * 10 + (*p - '0');
        p++;
        n++;
    }
    if (date_is_digit(*p))
        return 0; /* ten digits or more: not a date field */
    *v = x;
    *pp = p;
    return n;
}

/* Reads a word of letters (at most 15) lower-cased into w; returns its length. */
static int date_word(const char **pp, char w[16])
{
    const char *p = *pp;
    int n = 0;
    while (date_is_alpha(*p)) {
        if (n == 15)
            return 0;
        w[n++] = date_lower(*p++);
    }
    w[n] = '\0';
    *pp = p;
    return n;
}

/* The month a word names (first three letters, words of 3-9 letters), or 0. */
static int date_month(const char *w, int n)
{
    static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    if (n < 3 || n > 9)
        return 0;
    for (int m = 0; m < 12; m++)
        if (memcmp(w, names + 3 * m, 3) == 0)
            return m + 1;
    return 0;
}

/* Looks up a zone name; returns 0 and the offset in *off, or -1. */
static int date_zone_name(const char *w, int n, int *off)
{
    static const struct {
        const char *name;
        int hours;
    } zones[] = {
        { "ut", 0 },  { "utc", 0 },  { "gmt", 0 },  { "z", 0 },    { "est", -5 }, { "edt", -4 },
        { "cst", 8 }, { "cdt", -5 }, { "mst", -7 }, { "mdt", -6 }, { "pst", -8 }, { "pdt", -7 },
        { "hkt", 8 }, { "sgt", 8 },  { "jst", 9 },  { "kst", 9 },  { "cet", 1 },  { "cest", 2 },
    };
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (strcmp(w, zones[i].name) == 0) {
            *off = zones[i].hours * 3600;
            return 0;
        }
    if (n == 1 && w[0] != 'j') { /* military letters, RFC 2822: treat as UTC */
        *off = 0;
        return 0;
    }
    return -1;
}

/* Reads a numeric offset after its sign: HH:MM, HHMM, HH or H. Returns 0 or -1. */
static int date_offset(const char **pp, int *off)
{
    const char *p = *pp;
    int sign = *p == '-' ? -1 : 1, v, h, m = 0;
    p++;
    int nd = date_num(&p, &v);
    if (nd == 4 || nd == 3) {
        h = v / 100;
        m = v % 100;
    } else if (nd == 1 || nd == 2) {
        h = v;
        if (*p == ':') {
            p++;
            if (date_num(&p, &m) != 2)
                return -1;
        }
    } else {
        return -1;
    }
    if (h > 23 || m > 59)
        return -1;
    *off = sign * (h * 3600 + m * 60);
    *pp = p;
    return 0;
}

/*
 * Reads an optional zone at *pp (after spaces): numeric offset, name, name
 * with offset, or nothing. A numeric offset may be followed by a name or a
 * parenthesised comment, both ignored. Returns 0 or -1.
 */
static int date_zone(const char **pp, date_parts *d)
{
    const char *p = date_skip_space(*pp);
    char w[16];

    if (*p == '+' || *p == '-') {
        if (date_offset(&p, &d->offset) < 0)
            return -1;
        d->has_zone = 1;
        const char *q = date_skip_space(p);
        if (date_is_alpha(*q)) {
            int n = date_word(&q, w);
            int ignored;
            if (n > 0 && date_zone_name(w, n, &ignored) == 0)
                p = q;
        }
    } else if (date_is_alpha(*p)) {
        const char *q = p;
        int n = date_word(&q, w);
        if (n == 0 || date_zone_name(w, n, &d->offset) < 0)
            return -1; /* unknown zone names are refused, not guessed */
        d->has_zone = 1;
        p = q;
        if ((*p == '+' || *p == '-') && date_is_digit(p[1])) {
            int extra;
            if (date_offset(&p, &extra) < 0)
                return -1;
            d->offset += extra;
        }
    }
    *pp = p;
    return 0;
}

/*
 * Reads H:MM[:SS[.frac]] [AM|PM]. Returns 0 or -1.
 */
static int date_time(const char **pp, date_parts *d)
{
    const char *p = *pp;
    int nd = date_num(&p, &d->hour);
    if (nd < 1 || nd > 2 || *p != ':')
        return -1;
    p++;
    if (date_num(&p, &d->min) != 2)
        return -1;
    d->sec = 0;
    if (*p == ':') {
        p++;
        if (date_num(&p, &d->sec) != 2)
            return -1;
        if ((*p == '.' || *p == ',') && date_is_digit(p[1])) {
            p++;
            while (date_is_digit(*p))
                p++; /* fractions of a second are dropped */
        }
    }
    const char *q = date_skip_space(p);
    char a = date_lower(q[0]);
    if ((a == 'a' || a == 'p') && date_lower(q[1]) == 'm' && !date_is_alpha(q[2])) {
        if (d->hour < 1 || d->hour > 12)
            return -1;
        d->hour = d->hour % 12 + (a == 'p' ? 12 : 0);
        p = q + 2;
    }
    *pp = p;
    return 0;
}

/* A 2-, 3- or 4-digit year as written; -1 for other lengths. */
static int date_year(int v, int nd)
{
    if (nd == 2)
        return v < 50 ? 2000 + v : 1900 + v;
    if (nd == 3)
        return 1900 + v;
    if (nd == 4)
        return v;
    return -1;
}

/* Bytes of the UTF-8 characters 年 月 日. */
#define DATE_NIAN "\xe5\xb9\xb4"
#define DATE_YUE  "\xe6\x9c\x88"
#define DATE_RI   "\xe6\x97\xa5"

/* YYYY-MM-DD..., YYYY/MM/DD..., YYYY.MM.DD..., YYYY年M月D日...; p is after the year. */
static int date_numeric(const char *p, date_parts *d, const char **end)
{
    int cjk = strncmp(p, DATE_NIAN, 3) == 0;
    char sep = *p;
    p += cjk ? 3 : 1;
    if (date_num(&p, &d->month) < 1)
        return -1;
    if (cjk ? strncmp(p, DATE_YUE, 3) != 0 : *p != sep)
        return -1;
    p += cjk ? 3 : 1;
    if (date_num(&p, &d->day) < 1)
        return -1;
    if (cjk && strncmp(p, DATE_RI, 3) == 0)
        p += 3;
    /* Time: after T, t or spaces, or straight after 日. */
    const char *q = p;
    if (*q == 'T' || *q == 't')
        q++;
    else
        q = date_skip_space(q);
    if (date_is_digit(*q)) {
        if (date_time(&q, d) < 0)
            return -1;
        p = q;
    } else if (*p == 'T' || *p == 't') {
        return -1; /* a T must be followed by a time */
    }
    if (date_zone(&p, d) < 0)
        return -1;
    *end = p;
    return 0;
}

/* D Mon YYYY H:MM..., with spaces or dashes between the date fields. */
static int date_rfc822(const char *p, date_parts *d, const char **end)
{
    char w[16];
    int v, nd;

    if (date_num(&p, &d->day) < 1)
        return -1;
    while (*p == ' ' || *p == '\t' || *p == '-')
        p++;
    int n = date_word(&p, w);
    if ((d->month = date_month(w, n)) == 0)
        return -1;
    if (*p == '.')
        p++; /* "Nov." */
    while (*p == ' ' || *p == '\t' || *p == '-' || *p == ',')
        p++;
    v = 0;
    nd = date_num(&p, &v);
    if ((d->year = date_year(v, nd)) < 0)
        return -1;
    p = date_skip_space(p);
    if (date_is_digit(*p) && date_time(&p, d) < 0)
        return -1;
    if (date_zone(&p, d) < 0)
        return -1;
    *end = p;
    return 0;
}

/* Mon D[,] YYYY [time] [zone], or asctime's Mon D H:MM:SS [zone] YYYY; p is after the month. */
static int date_month_first(const char *p, date_parts *d, const char **end)
{
    int v = 0, nd;
    if (*p == '.')
        p++;
    p = date_skip_space(p);
    if ((nd = date_num(&p, &d->day)) < 1 || nd > 2)
        return -1;
    if (*p == ',')
        p++;
    p = date_skip_space(p);
    const char *q = p;
    nd = date_num(&q, &v);
    if (nd >= 1 && *q == ':') { /* asctime: the time before the year */
        if (date_time(&p, d) < 0 || date_zone(&p, d) < 0)
            return -1;
        p = date_skip_space(p);
        if ((nd = date_num(&p, &v)) != 4)
            return -1;
        d->year = v;
    } else {
        if ((d->year = date_year(v, nd)) < 0)
            return -1;
        p = date_skip_space(q);
        if (date_is_digit(*p) && date_time(&p, d) < 0)
            return -1;
        if (date_zone(&p, d) < 0)
            return -1;
    }
    *end = p;
    return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible
 * low-level date algorithms"). */
static int64_t date_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int date_days_in_month(int y, int m)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

int fetch_parse_date(const char *s, int64_t *t)
{
    date_parts d = { 0, 0, 0, 0, 0, 0, 0, 0 };
    const char *p, *end = NULL;
    char w[16];
    int rc = -1;

    if (s == NULL)
        return -1;
    p = date_skip_space(s);
    if (date_is_alpha(*p)) {
        /* A day name (any spelling) or a month name. */
        const char *q = p;
        int n = date_word(&q, w);
        int month = date_month(w, n);
        if (month == 0) {
            if (n < 2)
                return -1;
            p = q;
            if (*p == '.')
                p++;
            p = date_skip_space(p);
            if (*p == ',')
                p++;
            p = date_skip_space(p);
            if (date_is_alpha(*p)) {
                q = p;
                n = date_word(&q, w);
                month = date_month(w, n);
                if (month == 0)
                    return -1;
            }
        }
        if (month != 0) {
            d.month = month;
            rc = date_month_first(q, &d, &end);
        } else {
            rc = date_rfc822(p, &d, &end);
        }
    } else if (date_is_digit(*p)) {
        const char *q = p;
        int v, nd = date_num(&q, &v);
        if (nd == 4 && (*q == '-' || *q == '/' || *q == '.' || strncmp(q, DATE_NIAN, 3) == 0)) {
            d.year = v;
            rc = date_numeric(q, &d, &end);
        } else if (nd == 1 || nd == 2) {
            rc = date_rfc822(p, &d, &end);
        }
    }
    if (rc < 0)
        return -1;

    /* Only spaces or one parenthesised comment may follow. */
    end = date_skip_space(end);
    if (*end == '(') {
        const char *close = strchr(end, ')');
        if (close == NULL)
            return -1;
        end = date_skip_space(close + 1);
    }
    if (*end != '\0')
        return -1;

    if (d.year < 1000 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1 ||
        d.day > date_days_in_month(d.year, d.month) || d.hour > 23 || d.min > 59 || d.sec > 60)
        return -1;
    if (!d.has_zone)
        d.offset = DATE_SHANGHAI;
    *t = date_days_from_civil(d.year, d.month, d.day) * 86400 + d.hour * 3600 + d.min * 60 + d.sec -
         d.offset;
    return 0;
}
