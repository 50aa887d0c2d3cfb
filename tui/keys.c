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
};

static int key_eq(tui_key a, tui_key b)
{
    return a.fn == b.fn && a.code == b.code;
}

tui_action tui_key_action(tui_key k)
{
    if (!k.fn && (k.code == '\r' || k.code == '\n'))
        k.code = '\n';
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        if (key_eq(defaults[i].key, k))
            return defaults[i].action;
    return TUI_A_NONE;
}

int tui_action_keys(tui_action a, tui_key *out, int max)
{
    int n = 0;
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0] && n < max; i++)
        if (defaults[i].action == a)
            out[n++] = defaults[i].key;
    return n;
}

/* Function keys and the characters that have names. */
static const struct named {
    const char *name;
    tui_key key;
} names[] = {
    { "Up", { 1, KEY_UP } },       { "Down", { 1, KEY_DOWN } },  { "Left", { 1, KEY_LEFT } },
    { "Right", { 1, KEY_RIGHT } }, { "Home", { 1, KEY_HOME } },  { "End", { 1, KEY_END } },
    { "PgUp", { 1, KEY_PPAGE } },  { "PgDn", { 1, KEY_NPAGE } }, { "S-Tab", { 1, KEY_BTAB } },
    { "Delete", { 1, KEY_DC } },   { "Tab", { 0, '\t' } },       { "Enter", { 0, '\n' } },
    { "Esc", { 0, 27 } },          { "Space", { 0, ' ' } },      { "Backspace", { 0, 127 } },
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
