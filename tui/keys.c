/*
 * keys.c — the key map: which key does what, and the names of both.
 *
 * One table of bindings (key → action) starting from the defaults of the
 * design's key map. Everything that shows keys to the user (the help
 * screen, the status line's hints) reads this table, so what is shown is
 * what the keys do. Names are the configuration file's spelling.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "tui/private.h"

const tui_action_info tui_actions[TUI_A_COUNT] = {
    [TUI_A_NONE] = { "none", "does nothing" },
    [TUI_A_QUIT] = { "quit", "quit xcdash" },
    [TUI_A_BACK] = { "back", "back; on the overview, quit" },
    [TUI_A_OVERVIEW] = { "overview", "the overview of all five pillars" },
    [TUI_A_PILLAR1] = { "gpu", "GPU / AI-accelerator chips" },
    [TUI_A_PILLAR2] = { "cpu", "CPU chips" },
    [TUI_A_PILLAR3] = { "ascend", "the Huawei Ascend industry chain" },
    [TUI_A_PILLAR4] = { "leasing", "compute leasing" },
    [TUI_A_PILLAR5] = { "models", "domestic large models" },
    [TUI_A_NEXT_SCREEN] = { "next-screen", "next screen" },
    [TUI_A_PREV_SCREEN] = { "prev-screen", "previous screen" },
    [TUI_A_UP] = { "up", "move up" },
    [TUI_A_DOWN] = { "down", "move down" },
    [TUI_A_LEFT] = { "left", "focus the panel on the left / above" },
    [TUI_A_RIGHT] = { "right", "focus the panel on the right / below" },
    [TUI_A_TOP] = { "top", "go to the top" },
    [TUI_A_BOTTOM] = { "bottom", "go to the bottom" },
    [TUI_A_PAGE_UP] = { "page-up", "one page up" },
    [TUI_A_PAGE_DOWN] = { "page-down", "one page down" },
    [TUI_A_SORT_NEXT] = { "sort-next", "sort the companies by the next column" },
    [TUI_A_SORT_PREV] = { "sort-prev", "sort the companies by the previous column" },
    [TUI_A_SORT_INVERT] = { "sort-invert", "reverse the sort order" },
    [TUI_A_REFRESH] = { "refresh", "fetch every source now" },
    [TUI_A_REDRAW] = { "redraw", "redraw the screen" },
    [TUI_A_OPEN] = { "open", "open the company, news item or related company" },
    [TUI_A_SEARCH] = { "search", "search companies and news" },
    [TUI_A_NEXT_MATCH] = { "next-match", "next search match" },
    [TUI_A_PREV_MATCH] = { "prev-match", "previous search match" },
    [TUI_A_STAR] = { "star", "star or unstar a news item" },
    [TUI_A_OPEN_LINK] = { "open-link", "open the link in the browser" },
    [TUI_A_EXPORT] = { "export", "export a snapshot" },
    [TUI_A_WATCH] = { "watch", "watch or unwatch a company" },
    [TUI_A_WATCHLIST] = { "watchlist", "the watchlist" },
    [TUI_A_SOURCES] = { "sources", "sources and their health" },
    [TUI_A_HELP] = { "help", "this help" },
    [TUI_A_COMMAND] = { "command", "the command line" },
    [TUI_A_NEXT_ITEM] = { "next-item", "next news item (in the reader)" },
    [TUI_A_PREV_ITEM] = { "prev-item", "previous news item (in the reader)" },
    [TUI_A_RANGE] = { "chart-range", "switch the price chart's range" },
    [TUI_A_EDIT] = { "edit-note", "edit your note on the company" },
};

#define CTRL(c) ((c)&0x1f)

typedef struct binding {
    tui_key key;
    tui_action action;
} binding;

static const binding defaults[] = {
    { { 0, 'q' }, TUI_A_BACK },
    { { 0, 27 }, TUI_A_BACK },
    { { 0, 'Q' }, TUI_A_QUIT },
    { { 0, '1' }, TUI_A_OVERVIEW },
    { { 0, '2' }, TUI_A_PILLAR1 },
    { { 0, '3' }, TUI_A_PILLAR2 },
    { { 0, '4' }, TUI_A_PILLAR3 },
    { { 0, '5' }, TUI_A_PILLAR4 },
    { { 0, '6' }, TUI_A_PILLAR5 },
    { { 0, '\t' }, TUI_A_NEXT_SCREEN },
    { { 1, KEY_BTAB }, TUI_A_PREV_SCREEN },
    { { 1, KEY_UP }, TUI_A_UP },
    { { 0, 'k' }, TUI_A_UP },
    { { 1, KEY_DOWN }, TUI_A_DOWN },
    { { 0, 'j' }, TUI_A_DOWN },
    { { 1, KEY_LEFT }, TUI_A_LEFT },
    { { 0, 'h' }, TUI_A_LEFT },
    { { 1, KEY_RIGHT }, TUI_A_RIGHT },
    { { 0, 'l' }, TUI_A_RIGHT },
    { { 0, 'g' }, TUI_A_TOP },
    { { 1, KEY_HOME }, TUI_A_TOP },
    { { 0, 'G' }, TUI_A_BOTTOM },
    { { 1, KEY_END }, TUI_A_BOTTOM },
    { { 1, KEY_PPAGE }, TUI_A_PAGE_UP },
    { { 0, CTRL('b') }, TUI_A_PAGE_UP },
    { { 1, KEY_NPAGE }, TUI_A_PAGE_DOWN },
    { { 0, CTRL('f') }, TUI_A_PAGE_DOWN },
    { { 0, ' ' }, TUI_A_PAGE_DOWN },
    { { 0, '>' }, TUI_A_SORT_NEXT },
    { { 0, '<' }, TUI_A_SORT_PREV },
    { { 0, 'I' }, TUI_A_SORT_INVERT },
    { { 0, 'r' }, TUI_A_REFRESH },
    { { 0, CTRL('l') }, TUI_A_REDRAW },
    { { 0, '\n' }, TUI_A_OPEN },
    { { 1, KEY_ENTER }, TUI_A_OPEN },
    { { 0, '/' }, TUI_A_SEARCH },
    { { 0, 'n' }, TUI_A_NEXT_MATCH },
    { { 0, 'N' }, TUI_A_PREV_MATCH },
    { { 0, 's' }, TUI_A_STAR },
    { { 0, 'o' }, TUI_A_OPEN_LINK },
    { { 0, 'e' }, TUI_A_EXPORT },
    { { 0, 'w' }, TUI_A_WATCH },
    { { 0, 'W' }, TUI_A_WATCHLIST },
    { { 0, 'S' }, TUI_A_SOURCES },
    { { 0, '?' }, TUI_A_HELP },
    { { 0, ':' }, TUI_A_COMMAND },
    { { 0, 'J' }, TUI_A_NEXT_ITEM },
    { { 0, 'K' }, TUI_A_PREV_ITEM },
    { { 0, 'c' }, TUI_A_RANGE },
    { { 0, 'E' }, TUI_A_EDIT },
};

/* The live table: the defaults, then what the configuration changed. */
#define MAX_BINDINGS 128
static binding table[MAX_BINDINGS];
static size_t n_table;
static unsigned char configured[MAX_BINDINGS]; /* bound by the configuration */

static void ensure_table(void)
{
    if (n_table == 0) {
        memcpy(table, defaults, sizeof defaults);
        n_table = sizeof defaults / sizeof defaults[0];
        memset(configured, 0, sizeof configured);
    }
}

void tui_keys_reset(void)
{
    n_table = 0;
    ensure_table();
}

static int key_eq(tui_key a, tui_key b)
{
    return a.fn == b.fn && a.code == b.code;
}

tui_action tui_key_action(tui_key k)
{
    ensure_table();
    if (!k.fn && (k.code == '\r' || k.code == '\n'))
        k.code = '\n';
    for (size_t i = 0; i < n_table; i++)
        if (key_eq(table[i].key, k))
            return table[i].action;
    return TUI_A_NONE;
}

int tui_action_keys(tui_action a, tui_key *out, int max)
{
    ensure_table();
    int n = 0;
    for (size_t i = 0; i < n_table && n < max; i++)
        if (table[i].action == a)
            out[n++] = table[i].key;
    return n;
}

tui_action tui_action_parse(const char *name)
{
    for (int i = 1; i < TUI_A_COUNT; i++)
        if (strcmp(tui_actions[i].name, name) == 0)
            return (tui_action)i;
    return TUI_A_NONE;
}

char *tui_keys_bind(const char *key, const char *action)
{
    ensure_table();
    tui_key k;
    if (tui_key_parse(key, &k) != 0)
        return xasprintf("unknown key '%s' (a character, C-x, F1-F12, or a name such as Enter, "
                         "Esc, Tab, S-Tab, Up, PgDn, Space)",
                         key);
    tui_action a = tui_action_parse(action);
    if (a == TUI_A_NONE && strcmp(action, "none") != 0)
        return xasprintf("unknown action '%s'", action);
    size_t i = 0;
    while (i < n_table && !key_eq(table[i].key, k))
        i++;
    if (i < n_table && configured[i] && table[i].action != a)
        return xasprintf("key '%s' is already bound to '%s' by an earlier line", key,
                         tui_actions[table[i].action].name);
    if (i == n_table) {
        if (n_table == MAX_BINDINGS)
            return xasprintf("too many key bindings");
        n_table++;
    }
    table[i] = (binding){ k, a };
    configured[i] = 1;
    return NULL;
}

/* Function keys and the characters that have names. */
static const struct named {
    const char *name;
    tui_key key;
} names[] = {
    { "Up", { 1, KEY_UP } },       { "Down", { 1, KEY_DOWN } },      { "Left", { 1, KEY_LEFT } },
    { "Right", { 1, KEY_RIGHT } }, { "Home", { 1, KEY_HOME } },      { "End", { 1, KEY_END } },
    { "PgUp", { 1, KEY_PPAGE } },  { "PgDn", { 1, KEY_NPAGE } },     { "S-Tab", { 1, KEY_BTAB } },
    { "Delete", { 1, KEY_DC } },   { "Tab", { 0, '\t' } },           { "Enter", { 0, '\n' } },
    { "Esc", { 0, 27 } },          { "KP-Enter", { 1, KEY_ENTER } }, { "Space", { 0, ' ' } },
    { "Backspace", { 0, 127 } },
};

void tui_key_name(tui_key k, char *dst, size_t n)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (key_eq(names[i].key, k)) {
            snprintf(dst, n, "%s", names[i].name);
            return;
        }
    }
    if (k.fn && k.code >= KEY_F(1) && k.code <= KEY_F(12))
        snprintf(dst, n, "F%d", k.code - KEY_F(0));
    else if (!k.fn && k.code > 0 && k.code < 32)
        snprintf(dst, n, "C-%c", k.code + 'a' - 1);
    else if (!k.fn && k.code > 32 && k.code < 127)
        snprintf(dst, n, "%c", k.code);
    else
        snprintf(dst, n, "<%d>", k.code);
}

int tui_key_parse(const char *s, tui_key *out)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(names[i].name, s) == 0) {
            *out = names[i].key;
            return 0;
        }
    }
    if (s[0] == 'C' && s[1] == '-' && s[2] >= 'a' && s[2] <= 'z' && s[3] == '\0') {
        *out = (tui_key){ 0, CTRL(s[2]) };
        return 0;
    }
    if (s[0] == 'F' && s[1] >= '1' && s[1] <= '9') {
        int f = s[1] - '0';
        if (s[2] >= '0' && s[2] <= '2' && s[3] == '\0' && f == 1)
            f = 10 + s[2] - '0';
        else if (s[2] != '\0')
            return -1;
        *out = (tui_key){ 1, KEY_F(f) };
        return 0;
    }
    if (s[0] > 32 && s[0] < 127 && s[1] == '\0') {
        *out = (tui_key){ 0, s[0] };
        return 0;
    }
    return -1;
}
