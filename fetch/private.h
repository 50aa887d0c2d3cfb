/*
 * private.h — what the fetch module's own files share (tests may include it):
 * the date parser every adapter uses and the locked-down libxml2 setup that
 * the feed adapter and OPML import share.
 */
#ifndef XCDASH_FETCH_PRIVATE_H
#define XCDASH_FETCH_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/parser.h>

#include "fetch/fetch.h"

/* ---- date.c ------------------------------------------------------------- */

/*
 * Parses a date as feeds and APIs write it; no locale or TZ is consulted.
 *  - RFC 822/1123/2822: "Sat, 28 Nov 2026 15:04:05 +0800", "28 Nov 2026
 *    15:04 GMT"; the day name is optional and may be misspelt or abbreviated
 *    ("Thurs.,"); full month names; 2-digit years (00-49 = 20xx, 50-99 =
 *    19xx) and 3-digit years (+1900); seconds optional; RFC 850's
 *    "28-Nov-26"; fractions of a second.
 *  - Month first: "Nov 28, 2026 3:04:05 PM", and asctime/date(1): "Sat Nov
 *    28 15:04:05 [UTC] 2026".
 *  - RFC 3339 / ISO 8601: "2026-11-28T07:04:05Z", lowercase t and z, a space
 *    (or several) instead of T, fractions with . or ,, seconds optional,
 *    date only ("2026-11-28").
 *  - "2026/11/28 15:04", "2026.11.28 15:04:05", "2026年11月28日 15:04".
 *  - Times may end in AM/PM. Zones: Z; +HH:MM, +HHMM, +HH, +H; the names
 *    UT UTC GMT Z (0), EST -5, EDT -4, CST +8 (China Standard Time, not US
 *    Central: what a Chinese feed means by it), CDT -5, MST -7, MDT -6,
 *    PST -8, PDT -7, HKT SGT +8, JST KST +9, CET +1, CEST +2; a name plus an
 *    offset ("GMT+8"); military letters A-I, K-Y as UTC (RFC 2822 4.3). A
 *    numeric offset may be followed by "(comment)" or a zone name, ignored.
 *  - No zone at all: Asia/Shanghai (+08:00), the zone of the sources xcdash
 *    reads ("2026-11-28 15:04:05" is 07:04:05Z).
 * Extra spaces anywhere are fine; any other trailing text is not. Returns 0
 * and epoch seconds in *t, or -1 (*t untouched) for anything else, for
 * unknown zone names, and for out-of-range fields: year outside 1000-9999,
 * month, day (leap years counted), hour > 23, minute > 59, second > 60,
 * offsets of 24 h or more.
 */
int fetch_parse_date(const char *s, int64_t *t);

/* ---- xml.c: the one locked-down way to parse XML ------------------------- */

/*
 * Every parse of untrusted XML in xcdash goes through these two functions,
 * which fix the options: XML_PARSE_NONET always, XML_PARSE_NO_XXE where
 * libxml2 has it (2.13+); XML_PARSE_NOENT, DTDLOAD, DTDATTR, DTDVALID,
 * HUGE, XINCLUDE, SAX1 and OLDSAX are removed from whatever the caller asks.
 * So no external entity or DTD is ever loaded, no entity is substituted,
 * and libxml2's limits (depth 256, 10 MB text nodes, entity amplification)
 * stay on. libxml2 reports errors to a handler of ours, never to stderr;
 * the first one (the first fatal one, if any) is kept with the document's
 * line. Thread-safe: all state is per call (libxml2's error handler is
 * per thread and restored after the parse).
 */

/*
 * One parse in progress and what went wrong in it. For a SAX parse it must
 * be the FIRST member of the callbacks' user data: libxml2 < 2.13 hands the
 * user data to the error handler, which finds this struct there.
 */
typedef struct fetch_xml {
    xmlParserCtxtPtr ctxt; /* during the parse; a callback may xmlStopParser() it */
    char *msg;             /* the first error (a fatal one if any), or NULL; malloc'd */
    int line;              /* its line in the document */
    int fatal;             /* msg is a fatal error */
} fetch_xml;

/*
 * Parses buf (any encoding the document declares or its BOM shows) into a
 * tree; options are ORed into the fixed set (e.g. XML_PARSE_NOBLANKS).
 * Returns the document (xmlFreeDoc it), or NULL with *err "NAME:LINE:
 * message". Entity references stay XML_ENTITY_REF_NODEs: never expand them
 * (no xmlNodeGetContent on untrusted trees).
 */
xmlDocPtr fetch_xml_read(const char *buf, size_t len, const char *name, int options, char **err);

/*
 * Streams buf, which must be UTF-8 (its declared encoding is ignored: the
 * caller transcodes first), through sax with x as the callbacks' user data
 * (x is the first member of it). No entity is ever resolved: a reference
 * to a user-defined entity (internal or external) is an error ("Entity
 * 'x' not defined") and is skipped, never expanded; predefined entities
 * and character references arrive as text as usual (the reference
 * callback hears of the names only when the document has an external DTD).
 * getEntity, getParameterEntity, entityDecl, unparsedEntityDecl,
 * externalSubset and resolveEntity are always replaced. Returns 0 when
 * what was parsed is well-formed (a callback may have stopped the parse
 * early with xmlStopParser), else -1 with x->msg and x->line set (with
 * XML_PARSE_RECOVER the callbacks may still have seen the whole document).
 * The caller frees x->msg.
 */
int fetch_xml_sax(fetch_xml *x, const char *buf, size_t len, const xmlSAXHandler *sax, int options);

/* ---- json.c: what the JSON adapters share -------------------------------- */

struct json_t; /* <jansson.h>; the adapters include it themselves */

/* Largest JSON body accepted (8 MiB): real answers are a few hundred KiB. */
#define FETCH_JSON_MAX ((size_t)8 << 20)
/* Deepest [ / { nesting accepted. Real answers nest at most 6 levels; this is
 * checked by a linear pre-scan before jansson (whose own recursive parser
 * stops at JSON_PARSER_MAX_DEPTH, 2048, in 2.14). */
#define FETCH_JSON_MAX_DEPTH 64
/* fetch_json_load flag: accept a JSONP wrapper, name({...}); */
#define FETCH_JSON_JSONP 0x1

/*
 * Parses resp->body as JSON after the size and depth checks. Returns the
 * root (json_decref it) or NULL with *err as "KIND: not JSON: line L column
 * C: what", "KIND: response too large ...", or "KIND: not JSON: empty body".
 */
struct json_t *fetch_json_load(const fetch_response *resp, const char *kind, int flags, char **err);
/* Sets *err to "KIND: [HTTP N: ]message" (the status when resp->status >= 400); returns -1. */
int fetch_json_fail(const fetch_response *resp, char **err, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Parses n bytes as a decimal number ("-1.5", "2e3"; surrounding spaces allowed) in
 * any locale. 0 and *out, or -1 for anything else (incl. "-", "", inf, nan). */
int fetch_json_decimal(const char *s, size_t n, double *out);
/* A number, numeric string or placeholder as a double: NAN for null, "-", "" and
 * anything not a number. NULL is allowed. */
double fetch_json_num(const struct json_t *v);
/* An integral number or numeric string as int64; dflt otherwise. NULL is allowed. */
int64_t fetch_json_int(const struct json_t *v, int64_t dflt);
/* obj[key] when it is a string; NULL otherwise (obj may be NULL or not an object). */
const char *fetch_json_str(const struct json_t *obj, const char *key);

#endif
