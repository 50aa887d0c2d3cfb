/*
 * widgets.h — drawing pieces that know nothing of companies or news.
 *
 * Text: every string that reaches the terminal goes through
 * widget_text_sanitize() once and is measured and cut with
 * widget_text_width() / widget_text_fit(): display width, not length
 * (wcwidth; CJK is two columns).
 */
#ifndef XCDASH_WIDGETS_H
#define XCDASH_WIDGETS_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

/* widget_text_sanitize flags */
#define WIDGET_TEXT_NEWLINES 0x1 /* keep '\n' (for wrapped text views) */

/*
 * Returns a new string safe to draw: invalid UTF-8 becomes U+FFFD; ESC and
 * every other C0/C1 control and DEL are dropped, except tab and newline,
 * which become one space (newline kept with WIDGET_TEXT_NEWLINES); bidi
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069,
 * U+200E/U+200F, U+061C) and other invisible format characters that can
 * disguise text are dropped. len < 0 means NUL-terminated. NULL gives "".
 */
char *widget_text_sanitize(const char *s, long len, int flags);

/* Display width in columns of sanitized UTF-8 (wcwidth; CJK = 2). */
int widget_text_width(const char *s);

/*
 * Copies s into dst (dstsz bytes) cut to at most cols columns; when cut, the
 * result ends in "…" and no character is split, a wide character that would
 * straddle the edge is left out. With pad, spaces fill up to exactly cols.
 * Returns the width written.
 */
int widget_text_fit(char *dst, size_t dstsz, const char *s, int cols, int pad);

/* ---- everything below draws with curses --------------------------------
 * A widget draws inside a rectangle of a WINDOW it is given, with curses
 * attributes it is given (the caller's theme); it never calls refresh. Text
 * passed in is drawn sanitized and fitted by display width. */
#include <curses.h>

typedef struct widget_rect {
    int y, x, h, w;
} widget_rect;

/* r cut to the part inside win (empty when outside). */
widget_rect widget_clip(WINDOW *win, widget_rect r);

/* Draws s at (y, x) sanitized and cut to cols columns (ellipsis when cut),
 * with attr; with pad, fills up to cols with spaces. Returns columns drawn. */
int widget_text_draw(WINDOW *win, int y, int x, const char *s, int cols, attr_t attr, int pad);

/* ---- virtual table ------------------------------------------------------ */

enum { WIDGET_LEFT, WIDGET_RIGHT, WIDGET_CENTER };

typedef struct widget_col {
    const char *title;
    int width; /* minimum columns */
    int flex;  /* share of the spare width (0: fixed) */
    int align; /* WIDGET_LEFT, WIDGET_RIGHT, WIDGET_CENTER */
} widget_col;

typedef struct widget_cell {
    char text[256]; /* UTF-8, untrusted; sanitized and fitted when drawn */
    attr_t attr;    /* 0: the row's attribute */
} widget_cell;

/*
 * Fills cells[0..ncols) for row `row`; returns 0, or -1 when there is no
 * such row (past the end). Called only for rows that are visible.
 */
typedef int (*widget_row_fn)(void *ctx, long row, widget_cell *cells);

typedef struct widget_table {
    const widget_col *cols;
    int ncols;
    long nrows;  /* rows known to exist; the row source may grow it */
    long top;    /* first visible row */
    long sel;    /* selected row; -1 none */
    int focused; /* selection drawn with sel_attr, else with sel_dim_attr */
    widget_row_fn row;
    void *ctx;
    attr_t head_attr, row_attr, sel_attr, sel_dim_attr;
} widget_table;

/* Sets a cell's text (printf-style, cut to the cell's buffer) and attribute. */
void widget_cell_set(widget_cell *c, attr_t attr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Column widths for total width w: minimums, spare shared by flex, one space
 * between columns; columns that do not fit get 0. Pure; unit tested. */
void widget_table_layout(const widget_col *cols, int ncols, int w, int *widths);
/* Keeps sel visible in a body of `rows` rows (adjusts top). */
void widget_table_scroll(widget_table *t, int rows);
/* Moves the selection by delta rows (clamped to [0, nrows-1]); returns 1 when it moved. */
int widget_table_move(widget_table *t, long delta);
/* Draws the header and the visible rows in r; asks t->row only for those.
 * Keeps sel visible first (widget_table_scroll with r.h - 1 body rows). */
void widget_table_draw(WINDOW *win, widget_rect r, widget_table *t);
/* Row under screen line y of a table drawn in r, or -1. */
long widget_table_hit(const widget_table *t, widget_rect r, int y);

/* ---- sparkline and chart ------------------------------------------------ */

/* Writes a sparkline of the last `cols` values (▁▂▃▄▅▆▇█, scaled between the
 * min and max of those; NaN a space; all equal a flat ▄) into dst as UTF-8.
 * Returns the number of columns written. Pure; unit tested. */
int widget_sparkline(char *dst, size_t dstsz, const double *v, size_t n, int cols);

/* Line chart of v[0..n) in r: braille dots (2x4 per cell), y-axis labels
 * (min, mid, max, formatted with fmt like "%.2f") on the left, and up to
 * three x labels (first, middle, last of xlabels, may be NULL) below. NaN
 * values leave gaps. */
void widget_chart_draw(WINDOW *win, widget_rect r, const double *v, size_t n,
                       const char *const *xlabels, const char *fmt, attr_t line_attr,
                       attr_t axis_attr);
/* The braille grid behind widget_chart_draw, for tests: rows*cols cells of
 * U+2800-based code points in out (rows*cols entries). Pure. */
void widget_chart_plot(const double *v, size_t n, int rows, int cols, uint32_t *out);

/* ---- tab bar and status line ------------------------------------------- */

/* Draws " label " tabs from x on line y of win; the active one with on,
 * others with off. Tabs that do not fit are cut. */
void widget_tabs_draw(WINDOW *win, int y, int x, int w, const char *const *labels, int n,
                      int active, attr_t on, attr_t off);
/* Which tab column x (relative to the bar's x) falls on, or -1. Pure. */
int widget_tabs_hit(const char *const *labels, int n, int x);

/* Status line on line y: left text from the left, right text flush right;
 * the left is cut (ellipsis) so that the right always shows whole when it fits. */
void widget_status_draw(WINDOW *win, int y, int w, const char *left, const char *right,
                        attr_t attr);

/* ---- wrapped text ------------------------------------------------------- */

typedef struct widget_lines {
    char **line; /* each a sanitized, NUL-terminated UTF-8 line of at most `width` columns */
    size_t n;
} widget_lines;

/* Wraps s to width columns: at spaces for Latin text, between any two CJK
 * characters, hard-breaking a word longer than the width; '\n' starts a new
 * line; leading spaces of a wrapped line dropped. Never splits a character. */
void widget_wrap(const char *s, int width, widget_lines *out);
void widget_lines_free(widget_lines *l);
/* Draws lines[top..] in r. */
void widget_lines_draw(WINDOW *win, widget_rect r, const widget_lines *l, size_t top, attr_t attr);

/* ---- input line --------------------------------------------------------- */

typedef struct widget_input {
    char buf[1024];  /* UTF-8 */
    size_t len, cur; /* bytes; cur is always on a character boundary */
} widget_input;

enum { WIDGET_INPUT_NONE, WIDGET_INPUT_CHANGED, WIDGET_INPUT_MOVED };
/* Applies one key from wget_wch (is_key: KEY_* code): printable characters
 * insert, Backspace/Delete, Left/Right, Home/End (and ^A/^E), ^U clears
 * before the cursor, ^W deletes a word, ^K to the end. Returns
 * WIDGET_INPUT_CHANGED when the text changed, WIDGET_INPUT_MOVED when only
 * the cursor moved (or the key is the input's but did nothing: Left at the
 * start, a character when full), WIDGET_INPUT_NONE when the key is not the
 * input's. */
int widget_input_key(widget_input *in, int is_key, wint_t ch);
void widget_input_set(widget_input *in, const char *s);
/* Draws prompt and text on line y from x over w columns, scrolled so the
 * cursor shows; returns the cursor's screen column. */
int widget_input_draw(WINDOW *win, int y, int x, int w, const char *prompt, const widget_input *in,
                      attr_t attr);

/* ---- modal -------------------------------------------------------------- */

/* A centred box of the given inner size (clamped to the window) with a title
 * in its top border; returns the inner rectangle to draw the content in. */
widget_rect widget_modal_draw(WINDOW *win, int h, int w, const char *title, attr_t border,
                              attr_t fill);

#endif
