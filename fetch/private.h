/*
 * private.h — what the fetch module's own files share (tests may include it).
 */
#ifndef XCDASH_FETCH_PRIVATE_H
#define XCDASH_FETCH_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "fetch/fetch.h"

/* ---- date.c ------------------------------------------------------------- */

/*
 * Parses a date as feeds and APIs write them: RFC 822 / RFC 1123 (any day
 * name or none, 2- or 4-digit years, numeric offsets and zone names such as
 * GMT, UT, EST, CST-as-China? see date.c), RFC 3339 / ISO 8601 (any offset,
 * fractions, "Z", a space instead of "T"), and the common malformed variants.
 * A date without any zone is taken as Asia/Shanghai (+08:00), the zone of
 * the sources xcdash reads. Returns 0 and epoch seconds in *t, or -1.
 */
int fetch_parse_date(const char *s, int64_t *t);

/* ---- xml.c: the one locked-down way to parse XML ------------------------- */

/*
 * (Implemented by the feed adapter's author; opml.c uses it too.)
 * Options: XML_PARSE_NONET, XML_PARSE_NO_XXE where libxml2 has it; never
 * NOENT, DTDLOAD or HUGE. Errors are collected, never printed.
 */

#endif
