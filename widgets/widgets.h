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

#endif
