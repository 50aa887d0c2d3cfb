/*
 * theme.c — colour themes: the shipped themes/NAME.theme and the user's own
 * in CONFIG/themes/NAME.theme (docs/themes.md).
 *
 * A theme file says, per role, a foreground, an optional background and
 * attributes ("selected = white #1e3a5f bold"). Loading is pure: it parses
 * into colours that do not depend on the terminal (-1 default, an xterm
 * index, or 24-bit rgb, see tui/private.h) and needs no screen, so the
 * tests run it without one. Applying maps those colours to what this
 * terminal has — rgb itself on a direct-colour terminfo entry, the nearest
 * xterm-256 index, or the nearest of 16 or 8 (a grey to a grey) — and
 * makes the curses pairs.
 * The mapping is one pure function, tui_theme_colour_to().
 *
 * The theme sets the market's red and green, not rise and fall: which one a
 * rise takes is the user's `rise` setting (red by default, the Chinese
 * convention). Limit up and limit down are the rise and fall colours with
 * reverse and bold, so a theme cannot make them look like ordinary moves.
 *
 * Without colour (NO_COLOR, or a terminal without colours) a role keeps its
 * attributes plus a minimum that keeps it legible — the selection reversed,
 * titles bold, secondary text dim — and rise and fall become bold and
 * underline; the + or − sign the dashboard prints carries the meaning. A
 * role a file leaves out takes its parent's colours (most roles' parent is
 * normal) plus that same minimum, so a three-line theme is still usable.
 *
 * Pairs come from ncurses' alloc_pair(), which shares one pair between
 * equal colour combinations, so switching themes back and forth does not
 * use pairs up; pairs are never freed, since another theme or window may
 * share them. attr_t holds pair numbers up to 255 only: a role whose pair
 * would be higher is drawn without colour.
 */
#include <curses.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "tui/private.h"
#include "tui/tui.h"

#if defined(NCURSES_VERSION_MAJOR) &&                                                              \
    (NCURSES_VERSION_MAJOR > 6 || (NCURSES_VERSION_MAJOR == 6 && NCURSES_VERSION_MINOR >= 1))
#define HAVE_ALLOC_PAIR 1
#else
#define HAVE_ALLOC_PAIR 0
#endif

/* The roles a file sets: tui_role up to TUI_ACCENT, then the market colours. */
enum { ROLE_RED = TUI_ACCENT + 1, ROLE_GREEN, FILE_ROLES };

_Static_assert(TUI_ACCENT + 1 == TUI_RISE, "file roles end where the derived roles start");

static const char *const role_names[FILE_ROLES] = {
    [TUI_NORMAL] = "normal",     [TUI_DIM] = "dim",
    [TUI_STALE] = "stale",       [TUI_HEADER] = "header",
    [TUI_TITLE] = "title",       [TUI_BORDER] = "border",
    [TUI_TAB] = "tab",           [TUI_TAB_ACTIVE] = "tab-active",
    [TUI_SELECTED] = "selected", [TUI_SELECTED_DIM] = "selected-dim",
    [TUI_STATUS] = "status",     [TUI_ERROR] = "error",
    [TUI_DEMO] = "demo",         [TUI_ACCENT] = "accent",
    [ROLE_RED] = "red",          [ROLE_GREEN] = "green",
};

/* Where a role the file leaves out takes its colours (red and green: the
 * basic red and green over normal's background). */
static const int parent[FILE_ROLES] = {
    [TUI_NORMAL] = -1,           [TUI_DIM] = TUI_NORMAL,
    [TUI_STALE] = TUI_DIM,       [TUI_HEADER] = TUI_NORMAL,
    [TUI_TITLE] = TUI_NORMAL,    [TUI_BORDER] = TUI_NORMAL,
    [TUI_TAB] = TUI_NORMAL,      [TUI_TAB_ACTIVE] = TUI_TAB,
    [TUI_SELECTED] = TUI_NORMAL, [TUI_SELECTED_DIM] = TUI_SELECTED,
    [TUI_STATUS] = TUI_NORMAL,   [TUI_ERROR] = TUI_NORMAL,
    [TUI_DEMO] = TUI_ERROR,      [TUI_ACCENT] = TUI_NORMAL,
    [ROLE_RED] = TUI_NORMAL,     [ROLE_GREEN] = TUI_NORMAL,
};

/* The attributes a role keeps without colour, and when the file leaves it out. */
static const attr_t minimum[FILE_ROLES] = {
    [TUI_DIM] = A_DIM,
    [TUI_STALE] = A_DIM,
    [TUI_HEADER] = A_BOLD,
    [TUI_TITLE] = A_BOLD,
    [TUI_TAB_ACTIVE] = A_REVERSE | A_BOLD,
    [TUI_SELECTED] = A_REVERSE,
    [TUI_SELECTED_DIM] = A_UNDERLINE,
    [TUI_ERROR] = A_BOLD,
    [TUI_DEMO] = A_REVERSE | A_BOLD,
    [TUI_ACCENT] = A_BOLD,
};

#define MONO_RISE  A_BOLD
#define MONO_FALL  A_UNDERLINE
#define LIMIT_ATTR (A_REVERSE | A_BOLD)

static const struct {
    const char *name;
    attr_t attr;
} attr_names[] = {
    { "bold", A_BOLD },       { "dim", A_DIM },       { "underline", A_UNDERLINE },
    { "reverse", A_REVERSE }, { "italic", A_ITALIC }, { "standout", A_STANDOUT },
};

static const char *const colour_names[8] = { "black", "red",     "green", "yellow",
                                             "blue",  "magenta", "cyan",  "white" };

typedef struct spec {
    int fg, bg; /* TUI_COLOUR_DEFAULT, 0–255, or TUI_COLOUR_RGB | rgb */
    attr_t attrs;
    int set; /* the file gave this role */
} spec;

struct tui_theme {
    char *name;
    spec spec[FILE_ROLES];
    attr_t attr[TUI_ROLE_COUNT];
};

/* ---- colours ------------------------------------------------------------ */

/* xterm's colours 0–15, the ones terminals most often start from. */
static const int xterm16[16] = { 0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd,
                                 0x00cdcd, 0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00,
                                 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff };

static int cube_level(int n)
{
    return n ? 55 + 40 * n : 0;
}

/* The rgb of xterm palette index i (0–255). */
static int palette_rgb(int i)
{
    if (i < 16)
        return xterm16[i];
    if (i < 232) {
        i -= 16;
        return cube_level(i / 36) << 16 | cube_level(i / 6 % 6) << 8 | cube_level(i % 6);
    }
    int g = 8 + 10 * (i - 232);
    return g << 16 | g << 8 | g;
}

static long distance(int a, int b)
{
    long dr = ((a >> 16) & 0xff) - ((b >> 16) & 0xff);
    long dg = ((a >> 8) & 0xff) - ((b >> 8) & 0xff);
    long db = (a & 0xff) - (b & 0xff);
    return dr * dr + dg * dg + db * db;
}

/* A colour whose channels differ by less than this is a grey. */
#define GREY_CHROMA 32

static int chroma(int rgb)
{
    int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
    int hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
    int lo = r < g ? (r < b ? r : b) : (g < b ? g : b);
    return hi - lo;
}

/* The palette index from..to-1 nearest to rgb (the first of equals). Among
 * the basic 16, a grey goes to a grey (black, white, bright black or
 * white): by plain distance a mid grey is nearest to cyan. */
static int nearest(int rgb, int from, int to)
{
    int greys_only = to <= 16 && chroma(rgb) < GREY_CHROMA;
    int best = -1;
    long best_d = 0;
    for (int i = from; i < to; i++) {
        if (greys_only && chroma(palette_rgb(i)) >= GREY_CHROMA)
            continue;
        long d = distance(rgb, palette_rgb(i));
        if (best < 0 || d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

/* A direct-colour entry (xterm-direct) reads 0–7 as the basic colours, so an
 * rgb value below 8 — all but black — becomes #000008, which looks the same. */
static int direct(int rgb)
{
    return rgb < 8 ? 8 : rgb;
}

int tui_theme_colour_to(int colour, int colours)
{
    if (colour < 0 || colours < 8)
        return -1;
    int is_rgb = (colour & TUI_COLOUR_RGB) != 0;
    int rgb = is_rgb ? colour & 0xffffff : palette_rgb(colour & 0xff);
    int index = is_rgb ? -1 : colour & 0xff;

    if (colours >= 0x1000000) /* the basic eight keep the user's palette */
        return index >= 0 && index < 8 ? index : direct(rgb);
    if (colours >= 256) /* 16–255 only: 0–15 are whatever the user's palette says */
        return index >= 0 ? index : nearest(rgb, 16, 256);
    if (colours >= 16)
        return index >= 0 && index < 16 ? index : nearest(rgb, 0, 16);
    if (index >= 0 && index < 16)
        return index & 7; /* no bright colours: bright-red is red */
    return nearest(rgb, 0, 8);
}

/* ---- parsing ------------------------------------------------------------ */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* One colour word: default, a name, bright-NAME, 0–255 or #rrggbb; 0 if it is one. */
static int parse_colour(const char *w, int *out)
{
    if (strcasecmp(w, "default") == 0) {
        *out = TUI_COLOUR_DEFAULT;
        return 0;
    }
    int bright = strncasecmp(w, "bright-", 7) == 0;
    for (int i = 0; i < 8; i++) {
        if (strcasecmp(bright ? w + 7 : w, colour_names[i]) == 0) {
            *out = bright ? i + 8 : i;
            return 0;
        }
    }
    if (w[0] == '#') {
        int v = 0;
        for (int i = 1; i <= 6; i++) {
            int h = hexval((unsigned char)w[i]);
            if (h < 0)
                return -1;
            v = v << 4 | h;
        }
        if (w[7] != '\0')
            return -1;
        *out = TUI_COLOUR_RGB | v;
        return 0;
    }
    size_t n = strspn(w, "0123456789");
    if (n == 0 || n > 3 || w[n] != '\0' || atoi(w) > 255)
        return -1;
    *out = atoi(w);
    return 0;
}

static int parse_attr(const char *w, attr_t *out)
{
    for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++) {
        if (strcasecmp(w, attr_names[i].name) == 0) {
            *out |= attr_names[i].attr;
            return 0;
        }
    }
    return -1;
}

static int find_role(const char *w)
{
    for (int i = 0; i < FILE_ROLES; i++)
        if (strcasecmp(w, role_names[i]) == 0)
            return i;
    return -1;
}

/* Applies one "role = fg [bg] [attr...]"; NULL on success, else what is wrong. */
static char *apply_line(tui_theme *t, const char *key, char *value)
{
    int r = find_role(key);
    if (r < 0)
        return xasprintf("unknown role '%.40s'", key);
    spec s = { TUI_COLOUR_DEFAULT, TUI_COLOUR_DEFAULT, 0, 1 };
    char *save = NULL;
    char *w = strtok_r(value, " \t", &save);
    if (w == NULL)
        return xasprintf("%s needs a colour", role_names[r]);
    if (parse_colour(w, &s.fg) != 0)
        return xasprintf("bad colour '%.40s' (default, black, red, green, yellow, blue, magenta, "
                         "cyan, white, bright-NAME, 0-255 or #rrggbb)",
                         w);
    for (int i = 0; (w = strtok_r(NULL, " \t", &save)) != NULL; i++) {
        if (i == 0 && parse_colour(w, &s.bg) == 0)
            continue;
        if (parse_attr(w, &s.attrs) != 0)
            return xasprintf("%s '%.40s' (bold, dim, underline, reverse, italic, standout)",
                             i == 0 ? "not a colour nor an attribute" : "unknown attribute", w);
    }
    t->spec[r] = s;
    return NULL;
}

static char *apply_role(void *t, const char *key, char *value)
{
    return apply_line(t, key, value);
}

/* What a file role comes to after fallbacks (see the top). */
static spec resolve(const tui_theme *t, int r)
{
    if (t->spec[r].set)
        return t->spec[r];
    if (r == TUI_NORMAL)
        return (spec){ TUI_COLOUR_DEFAULT, TUI_COLOUR_DEFAULT, 0, 0 };
    spec s = resolve(t, parent[r]);
    if (r == ROLE_RED || r == ROLE_GREEN)
        s.fg = r == ROLE_RED ? COLOR_RED : COLOR_GREEN;
    s.attrs |= minimum[r];
    return s;
}

/* What a role is drawn with in colour: the market roles come from red and green. */
static spec role_spec(const tui_theme *t, tui_role r, int rise_red)
{
    int rise = rise_red ? ROLE_RED : ROLE_GREEN, fall = rise_red ? ROLE_GREEN : ROLE_RED;
    spec s;
    switch (r) {
    case TUI_RISE:
        return resolve(t, rise);
    case TUI_FALL:
        return resolve(t, fall);
    case TUI_LIMIT_UP:
        s = resolve(t, rise);
        s.attrs |= LIMIT_ATTR;
        return s;
    case TUI_LIMIT_DOWN:
        s = resolve(t, fall);
        s.attrs |= LIMIT_ATTR;
        return s;
    default:
        return resolve(t, (int)r);
    }
}

/* What a role is drawn with without colour. */
static attr_t mono_attr(const tui_theme *t, tui_role r)
{
    switch (r) {
    case TUI_RISE:
        return MONO_RISE;
    case TUI_FALL:
        return MONO_FALL;
    case TUI_LIMIT_UP:
        return MONO_RISE | LIMIT_ATTR;
    case TUI_LIMIT_DOWN:
        return MONO_FALL | LIMIT_ATTR;
    default:
        return (t ? resolve(t, (int)r).attrs : A_NORMAL) | minimum[r];
    }
}

/* ---- loading ------------------------------------------------------------ */

static int valid_name(const char *name)
{
    size_t n = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
    return n >= 1 && n <= 64 && name[n] == '\0';
}

/* Opens DIR/NAME.theme: 0 and *f set, 0 and *f NULL when there is none, -1 on error. */
static int open_theme(const char *dir, const char *sub, const char *name, FILE **f, char **path,
                      char **err)
{
    *f = NULL;
    *path = NULL;
    if (dir == NULL)
        return 0;
    char *p = xasprintf("%s%s/%s.theme", dir, sub, name);
    *f = fopen(p, "r");
    if (*f == NULL) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR) {
            free(p);
            return 0;
        }
        core_fail(err, "cannot read %s: %s", p, strerror(e));
        free(p);
        return -1;
    }
    *path = p;
    return 0;
}

int tui_theme_load(const char *name, const char *user_dir, const char *shipped_dir,
                   store_warn_fn warn, void *ctx, tui_theme **out, char **err)
{
    *out = NULL;
    if (name == NULL || !valid_name(name))
        return core_fail(err, "a theme name is 1 to 64 letters, digits, '-' or '_'");
    FILE *f;
    char *path;
    if (open_theme(user_dir, "/themes", name, &f, &path, err) != 0)
        return -1;
    if (f == NULL && open_theme(shipped_dir, "", name, &f, &path, err) != 0)
        return -1;
    if (f == NULL)
        return core_fail(err, "no theme '%s' in %s/themes or %s", name,
                         user_dir ? user_dir : "(no config directory)",
                         shipped_dir ? shipped_dir : "(no data directory)");

    tui_theme *t = xcalloc(1, sizeof *t);
    t->name = xstrdup(name);
    int bad = tui_kv_read(f, path, "role = colour [colour] [attributes]", apply_role, t, warn, ctx);
    if (ferror(f)) {
        int e = errno;
        fclose(f);
        core_fail(err, "cannot read %s: %s", path, strerror(e));
        free(path);
        tui_theme_free(t);
        return -1;
    }
    fclose(f);
    free(path);
    for (int r = 0; r < TUI_ROLE_COUNT; r++) /* usable before tui_theme_apply() */
        t->attr[r] = mono_attr(t, (tui_role)r);
    *out = t;
    return bad;
}

const char *tui_theme_name(const tui_theme *t)
{
    return t->name;
}

void tui_theme_free(tui_theme *t)
{
    if (t == NULL)
        return;
    free(t->name);
    free(t);
}

/* ---- curses ------------------------------------------------------------- */

/* A pair for fg on bg (curses colour numbers); 0 for the default pair, -1 if none. */
static int make_pair(int fg, int bg)
{
    if (fg < 0 && bg < 0)
        return 0;
#if HAVE_ALLOC_PAIR
    return alloc_pair(fg, bg);
#else
    /* Older curses: a counter, reused from 1 once the attr_t range is spent. */
    static int next = 1;
    int limit = COLOR_PAIRS < 256 ? COLOR_PAIRS : 256;
    if (next >= limit)
        next = 1;
    if (next >= limit || init_pair((short)next, (short)fg, (short)bg) == ERR)
        return -1;
    return next++;
#endif
}

void tui_theme_apply(tui_theme *t, int rise_red, int no_color)
{
    int colours = no_color || !has_colors() ? 0 : COLORS;
    for (int i = 0; i < TUI_ROLE_COUNT; i++) {
        tui_role r = (tui_role)i;
        if (colours < 8) {
            t->attr[r] = mono_attr(t, r);
            continue;
        }
        spec s = role_spec(t, r, rise_red);
        int pair =
            make_pair(tui_theme_colour_to(s.fg, colours), tui_theme_colour_to(s.bg, colours));
        t->attr[r] = s.attrs;
        if (pair > 0 && pair <= 255)
            t->attr[r] |= COLOR_PAIR(pair);
        else if (pair != 0) /* no pair to be had: keep the role legible */
            t->attr[r] = mono_attr(t, r);
    }
}

attr_t tui_theme_attr(const tui_theme *t, tui_role r)
{
    if ((int)r < 0 || r >= TUI_ROLE_COUNT)
        return A_NORMAL;
    if (t == NULL) /* no theme could be loaded: attributes only, still legible */
        return mono_attr(NULL, r);
    return t->attr[r];
}

/* ---- listing ------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *dir, char ***names, size_t *n, size_t *cap)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len <= 6 || strcmp(e->d_name + len - 6, ".theme") != 0)
            continue;
        char *name = xstrndup(e->d_name, len - 6);
        if (!valid_name(name)) {
            free(name);
            continue;
        }
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 16;
            *names = xrealloc(*names, *cap * sizeof **names);
        }
        (*names)[(*n)++] = name;
    }
    closedir(d);
}

char **tui_theme_list(const char *user_dir, const char *shipped_dir, size_t *n)
{
    char **names = NULL;
    size_t count = 0, cap = 0;
    if (user_dir != NULL) {
        char *dir = xasprintf("%s/themes", user_dir);
        list_dir(dir, &names, &count, &cap);
        free(dir);
    }
    if (shipped_dir != NULL)
        list_dir(shipped_dir, &names, &count, &cap);
    if (count > 0)
        qsort(names, count, sizeof *names, cmp_str);
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        if (kept > 0 && strcmp(names[kept - 1], names[i]) == 0)
            free(names[i]);
        else
            names[kept++] = names[i];
    }
    *n = kept;
    return names ? names : xcalloc(1, sizeof *names);
}
