/*
 * core.h — the few things every xcdash module needs: allocation that never
 * returns NULL (running out of memory is the one fatal error, as in tmux),
 * error messages built with printf formats, bounded growing buffers (curl's
 * dynbuf idea: every buffer has a maximum and fails cleanly past it), arenas, a
 * UTF-8 decoder shared by the tokenizer and the terminal sanitizer, and
 * ISO 8601 time formatting.
 */
#ifndef XCDASH_CORE_H
#define XCDASH_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* malloc/calloc/realloc/strdup that print a message and abort on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Sets *err (when err is not NULL) to a new formatted message; returns -1. */
int core_fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A growing byte buffer with a hard maximum; always NUL-terminated. */
typedef struct core_buf {
    char *data;
    size_t len, cap, max;
} core_buf;

/* Starts an empty buffer that refuses to grow beyond max bytes. */
void core_buf_init(core_buf *b, size_t max);
/* Appends n bytes; returns -1 (buffer unchanged) past the maximum. */
int core_buf_add(core_buf *b, const void *p, size_t n);
/* Appends a formatted string; -1 past the maximum. */
int core_buf_printf(core_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the contents to the caller (who frees them) and resets the buffer. */
char *core_buf_take(core_buf *b);
void core_buf_free(core_buf *b);

/* An arena: many small allocations freed at once (a page of rows, a parse result). */
typedef struct core_arena core_arena;

core_arena *core_arena_new(void);
/* n bytes, 8-aligned, valid until core_arena_free(). */
void *core_arena_alloc(core_arena *a, size_t n);
/* Copies of strings into the arena; NULL gives NULL. */
char *core_arena_strdup(core_arena *a, const char *s);
char *core_arena_strndup(core_arena *a, const char *s, size_t n);
/* Frees everything; NULL is allowed. */
void core_arena_free(core_arena *a);

/* U+FFFD, what every invalid byte becomes. */
#define CORE_REPLACEMENT 0xFFFDu

/*
 * Decodes one code point from s (n bytes available, n > 0). Returns the
 * number of bytes used (1..4). Invalid, overlong, surrogate or truncated
 * sequences yield CORE_REPLACEMENT and consume exactly one byte, so decoding
 * always advances and resynchronises.
 */
size_t core_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encodes cp (<= 0x10FFFF) into out (4 bytes); returns the length. */
size_t core_utf8_encode(uint32_t cp, char *out);

/* Formats epoch seconds as ISO 8601 in local time with offset
 * (2026-11-28T15:04:05+08:00) into out (at least 32 bytes). */
void core_iso8601(int64_t t, char *out, size_t outsz);

#endif
