/*
 * bars.c — one-line pieces (the tab bar, the status line) and the modal box.
 *
 * Tabs are " label " back to back, so tab i spans its label's display width
 * plus two columns. Drawing and hit-testing walk the tabs with the same
 * helper (tab_width, measuring the sanitized label exactly as it is drawn),
 * so a click on a CJK label lands on the tab that shows there. Columns of
 * the bar after the last tab take the inactive attribute, clearing what was
 * there before.
 *
 * The status line is drawn from column 0 of the window: the right text
 * (keys, clock) is flush right and shown whole whenever it fits, the left
 * (messages) gets what is left less one space of separation, cut with an
 * ellipsis. A right text wider than the whole line is cut itself and the
 * left is not shown.
 *
 * The modal is a box of curses line-drawing characters (ACS, which ncursesw
 * draws as Unicode box characters in a UTF-8 locale), centred and clamped
 * to the window, its title cut into the top border, the inside filled with
 * spaces so nothing of the screen below shows through.
 */
#include "widgets/widgets.h"

#include <stdlib.h>

#include "core/core.h"

/* Columns tab `label` occupies: " label ". */
static int tab_width(const char *label)
{
    char *clean = widget_text_sanitize(label, -1, 0);
    int w = widget_text_width(clean) + 2;
    free(clean);
    return w;
}

void widget_tabs_draw(WINDOW *win, int y, int x, int w, const char *const *labels, int n,
                      int active, attr_t on, attr_t off)
{
    int pos = 0;
    for (int i = 0; i < n && pos < w; i++) {
        int tw = tab_width(labels[i]);
        char *clean = widget_text_sanitize(labels[i], -1, 0);
        char *s = xasprintf(" %s ", clean);
        widget_text_draw(win, y, x + pos, s, tw < w - pos ? tw : w - pos, i == active ? on : off,
                         1);
        free(s);
        free(clean);
        pos += tw;
    }
    if (pos < w)
        widget_text_draw(win, y, x + pos, "", w - pos, off, 1);
}

int widget_tabs_hit(const char *const *labels, int n, int x)
{
    if (x < 0)
        return -1;
    for (int i = 0, pos = 0; i < n; i++) {
        pos += tab_width(labels[i]);
        if (x < pos)
            return i;
    }
    return -1;
}

void widget_status_draw(WINDOW *win, int y, int w, const char *left, const char *right, attr_t attr)
{
    if (w > getmaxx(win))
        w = getmaxx(win);
    if (w <= 0)
        return;
    widget_text_draw(win, y, 0, "", w, attr, 1);
    char *r = widget_text_sanitize(right, -1, 0);
    int rw = widget_text_width(r);
    if (rw > w) {
        widget_text_draw(win, y, 0, r, w, attr, 0);
    } else {
        widget_text_draw(win, y, 0, left, w - rw - (rw > 0 ? 1 : 0), attr, 0);
        if (rw > 0)
            widget_text_draw(win, y, w - rw, r, rw, attr, 0);
    }
    free(r);
}

widget_rect widget_modal_draw(WINDOW *win, int h, int w, const char *title, attr_t border,
                              attr_t fill)
{
    int my = getmaxy(win), mx = getmaxx(win);
    int bh = (h > 0 ? h : 0) + 2, bw = (w > 0 ? w : 0) + 2;
    bh = bh < my ? bh : my;
    bw = bw < mx ? bw : mx;
    int by = (my - bh) / 2, bx = (mx - bw) / 2;
    widget_rect in = { by + 1, bx + 1, bh - 2, bw - 2 };
    if (bh < 2 || bw < 2) {
        in.h = in.w = 0;
        return in;
    }
    chtype b = (chtype)border;
    mvwhline(win, by, bx + 1, ACS_HLINE | b, bw - 2);
    mvwhline(win, by + bh - 1, bx + 1, ACS_HLINE | b, bw - 2);
    mvwvline(win, by + 1, bx, ACS_VLINE | b, bh - 2);
    mvwvline(win, by + 1, bx + bw - 1, ACS_VLINE | b, bh - 2);
    mvwaddch(win, by, bx, ACS_ULCORNER | b);
    mvwaddch(win, by, bx + bw - 1, ACS_URCORNER | b);
    mvwaddch(win, by + bh - 1, bx, ACS_LLCORNER | b);
    mvwaddch(win, by + bh - 1, bx + bw - 1, ACS_LRCORNER | b); /* ERR in the last cell: drawn */
    for (int i = 0; i < in.h; i++)
        widget_text_draw(win, in.y + i, in.x, "", in.w, fill, 1);
    if (title != NULL && *title != '\0' && bw >= 5) {
        char *clean = widget_text_sanitize(title, -1, 0);
        char *s = xasprintf(" %s ", clean);
        widget_text_draw(win, by, bx + 2, s, bw - 4, border, 0);
        free(s);
        free(clean);
    }
    return in;
}
