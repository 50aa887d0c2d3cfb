/*
 * fetch.h — the fetch module: everything that reads bytes from outside
 * xcdash and turns them into plain structs (it never touches curses or the
 * store's SQL).
 *
 * OPML import/export lives here because it parses untrusted XML with the
 * same locked-down libxml2 setup as the feed adapters: no network, no DTD
 * loading, no entity substitution, no huge-document mode, and libxml2's
 * errors collected per parse instead of printed to stderr.
 *
 * Contract: functions that can fail return 0 on success and -1 on failure
 * with *err set to a malloc'd message the caller frees (err may be NULL).
 * libxml2 keeps global state: call xmlInitParser() once from the main
 * thread before starting threads that use these functions.
 */
#ifndef XCDASH_FETCH_H
#define XCDASH_FETCH_H

#include <stddef.h>
#include <stdio.h>

/* ---- OPML (sources import-opml / export-opml) ---- */

/* Namespace of the xcdash:* outline attributes; other readers ignore them. */
#define FETCH_OPML_NS "https://xcdash.dev/ns/opml/1"

/* Largest OPML file or buffer accepted (16 MiB): far above any real
 * subscription list, small enough that parsing it cannot hurt. */
#define FETCH_OPML_MAX ((size_t)16 << 20)

/* One subscription. Every string is UTF-8 and owned by the entry. */
typedef struct fetch_opml_entry {
    char *url;    /* xmlUrl; required, http or https only */
    char *title;  /* text or title attribute; may be NULL */
    char *kind;   /* xcdash:kind attribute, default "feed" */
    char *pillar; /* xcdash:pillar attribute or the enclosing folder outline's text when it names a
                     pillar id (gpu cpu ascend leasing models); may be NULL */
    char *id;     /* xcdash:id attribute; may be NULL */
} fetch_opml_entry;

/*
 * Reads the OPML file at path (OPML 1.0/2.0, nested folders, any encoding
 * the document declares) into *out / *n, in document order. Outlines without
 * xmlUrl are folders or links and are ignored; outlines whose xmlUrl is not
 * an http(s) URL are skipped and counted in *skipped (may be NULL). Files
 * over FETCH_OPML_MAX are refused. On failure returns -1 with *err as
 * "FILE:LINE: what" (or "FILE: what" when no line applies); *out is NULL
 * and *n 0.
 */
int fetch_opml_read(const char *path, fetch_opml_entry **out, size_t *n, size_t *skipped,
                    char **err);
/* Parses OPML from memory (same rules); name is the FILE in error messages. */
int fetch_opml_parse(const char *buf, size_t len, const char *name, fetch_opml_entry **out,
                     size_t *n, size_t *skipped, char **err);
/* Writes entries as an OPML 2.0 document (UTF-8, grouped in one folder outline per pillar) to f;
 * title NULL means "xcdash sources". What it writes reads back to the same entries. */
int fetch_opml_write(FILE *f, const fetch_opml_entry *e, size_t n, const char *title, char **err);
/* Frees n entries and the array; NULL is allowed. */
void fetch_opml_free(fetch_opml_entry *e, size_t n);

#endif
