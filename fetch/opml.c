/*
 * opml.c — OPML subscription lists in and out (`xcdash sources import-opml
 * FILE`, `export-opml [-o FILE]`).
 *
 * Reading. An OPML file comes from anywhere (another feed reader, a web
 * page, a colleague), so it is parsed as hostile XML:
 *  - through fetch_xml_read (xml.c, shared with the feed adapter): libxml2
 *    with XML_PARSE_NONET (and NO_XXE where it exists), never NOENT,
 *    DTDLOAD or HUGE, errors collected instead of printed; we add
 *    XML_PARSE_NOBLANKS. The first fatal error becomes "FILE:LINE: message".
 *  - Attribute values are read from the tree without expanding entity
 *    references (a user-defined &name; stays literal text), so neither XXE
 *    nor "billion laughs" can put anything into an entry.
 *  - Input over FETCH_OPML_MAX is refused before parsing.
 * The document is walked from <body>: every <outline> with an xmlUrl is a
 * subscription, whatever its type; outlines without one are folders (or
 * links) and only lend their text as the pillar when it is a pillar id.
 * Only http(s) URLs are kept; others (file:, javascript:, ftp:, junk) are
 * counted as skipped. Strings are trimmed, whitespace runs become one space
 * and control characters are dropped; an empty value counts as absent.
 *
 * Writing builds the whole document in a bounded buffer (the same 16 MiB,
 * so an export can always be imported again) and writes it in one go, with
 * our own escaping: & < > " become entities, tab/CR/LF character
 * references (so they survive attribute normalisation), other C0 controls
 * (not representable in XML 1.0) are dropped, invalid UTF-8 becomes U+FFFD.
 * Output is deterministic: no dates, pillars in their canonical order.
 */
#include "fetch/private.h"

#include "core/core.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

/* Read files in chunks of this size (a typical OPML file fits in one). */
#define OPML_READ_CHUNK 65536

/* The pillar ids of design.md, in their display order (keys 2–6). */
static const char *const opml_pillars[] = { "gpu", "cpu", "ascend", "leasing", "models" };
#define OPML_NPILLARS (sizeof opml_pillars / sizeof opml_pillars[0])

typedef struct opml_list {
    fetch_opml_entry *v;
    size_t n, cap;
    size_t skipped;
} opml_list;

/* Local name of an element, whatever namespace it is in. */
static int opml_is(xmlNodePtr node, const char *name)
{
    return node != NULL && node->type == XML_ELEMENT_NODE && node->name != NULL &&
           strcmp((const char *)node->name, name) == 0;
}

/*
 * The text of an attribute as written, without expanding entity references
 * (predefined entities and character references were already resolved by
 * the parser; what remains are user-defined &name; references).
 */
static char *opml_attr_text(xmlAttrPtr a)
{
    core_buf b;
    core_buf_init(&b, FETCH_OPML_MAX);
    for (xmlNodePtr c = a->children; c != NULL; c = c->next) {
        const char *s = NULL;
        if (c->type == XML_TEXT_NODE && c->content != NULL)
            s = (const char *)c->content;
        else if (c->type == XML_ENTITY_REF_NODE && c->name != NULL)
            s = (const char *)c->name;
        if (s == NULL)
            continue;
        int rc = c->type == XML_TEXT_NODE ? core_buf_add(&b, s, strlen(s))
                                          : core_buf_printf(&b, "&%s;", s);
        if (rc < 0)
            break; /* cannot happen: bounded by the document's size */
    }
    return core_buf_take(&b);
}

/*
 * Finds an attribute: with ns NULL, one in no namespace, name compared
 * case-insensitively (exporters write xmlUrl, xmlurl, xmlURL); with ns, one
 * in that namespace, or spelled "xcdash:NAME" with the prefix undeclared.
 * Returns a new string or NULL.
 */
static char *opml_attr(xmlNodePtr node, const char *name, const char *ns)
{
    for (xmlAttrPtr a = node->properties; a != NULL; a = a->next) {
        const char *an = (const char *)a->name;
        if (ns == NULL) {
            if (a->ns == NULL && strcasecmp(an, name) == 0)
                return opml_attr_text(a);
        } else if (a->ns != NULL) {
            if (a->ns->href != NULL && strcmp((const char *)a->ns->href, ns) == 0 &&
                strcmp(an, name) == 0)
                return opml_attr_text(a);
        } else if (strncmp(an, "xcdash:", 7) == 0 && strcmp(an + 7, name) == 0) {
            return opml_attr_text(a);
        }
    }
    return NULL;
}

/*
 * Cleans a value for storage: trims, turns whitespace runs into one space,
 * drops C0/C1 controls and DEL, replaces invalid UTF-8 with U+FFFD. Takes
 * s (frees it) and returns a new string, or NULL when nothing is left.
 */
static char *opml_clean(char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s), o = 0;
    int space = 0;
    char *out = xmalloc(n * 3 + 1); /* an invalid byte (1) becomes U+FFFD (3) */
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = core_utf8_decode(s + i, n - i, &cp);
        i += k;
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
            space = o > 0;
            continue;
        }
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
            continue;
        if (space)
            out[o++] = ' ';
        space = 0;
        o += core_utf8_encode(cp, out + o);
    }
    out[o] = '\0';
    free(s);
    if (o == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* The canonical pillar id s names (case-insensitively), or NULL. */
static const char *opml_pillar_id(const char *s)
{
    for (size_t i = 0; s != NULL && i < OPML_NPILLARS; i++)
        if (strcasecmp(s, opml_pillars[i]) == 0)
            return opml_pillars[i];
    return NULL;
}

/* Trims ASCII whitespace around a URL; takes s, returns a new string (NULL stays NULL). */
static char *opml_trim_url(char *s)
{
    if (s == NULL)
        return NULL;
    size_t a = 0, b = strlen(s);
    while (a < b && strchr(" \t\r\n", s[a]) != NULL)
        a++;
    while (b > a && strchr(" \t\r\n", s[b - 1]) != NULL)
        b--;
    char *t = xstrndup(s + a, b - a);
    free(s);
    return t;
}

/* True for http:// or https:// (any case) with a host and no spaces or controls. */
static int opml_url_ok(const char *u)
{
    size_t skip;
    if (strncasecmp(u, "http://", 7) == 0)
        skip = 7;
    else if (strncasecmp(u, "https://", 8) == 0)
        skip = 8;
    else
        return 0;
    if (u[skip] == '\0' || u[skip] == '/' || u[skip] == '?' || u[skip] == '#')
        return 0;
    for (const unsigned char *p = (const unsigned char *)u; *p != '\0'; p++)
        if (*p <= 0x20 || *p == 0x7F)
            return 0;
    return 1;
}

/* True when the outline has an xmlUrl attribute (any case), even an empty one. */
static int opml_has_url(xmlNodePtr node)
{
    for (xmlAttrPtr a = node->properties; a != NULL; a = a->next)
        if (a->ns == NULL && strcasecmp((const char *)a->name, "xmlUrl") == 0)
            return 1;
    return 0;
}

/* The outline's label: its text attribute, else its title attribute. */
static char *opml_label(xmlNodePtr node)
{
    char *t = opml_clean(opml_attr(node, "text", NULL));
    return t != NULL ? t : opml_clean(opml_attr(node, "title", NULL));
}

static void opml_add(opml_list *l, xmlNodePtr node, const char *folder_pillar)
{
    char *url = opml_trim_url(opml_attr(node, "xmlUrl", NULL));
    if (url == NULL || !opml_url_ok(url)) {
        free(url);
        l->skipped++;
        return;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    fetch_opml_entry *e = &l->v[l->n++];
    e->url = url;
    e->title = opml_label(node);
    e->kind = opml_clean(opml_attr(node, "kind", FETCH_OPML_NS));
    if (e->kind == NULL)
        e->kind = xstrdup("feed");
    e->pillar = opml_clean(opml_attr(node, "pillar", FETCH_OPML_NS));
    if (e->pillar != NULL && opml_pillar_id(e->pillar) != NULL) {
        const char *canon = opml_pillar_id(e->pillar);
        free(e->pillar);
        e->pillar = xstrdup(canon);
    } else if (e->pillar == NULL && folder_pillar != NULL) {
        e->pillar = xstrdup(folder_pillar);
    }
    e->id = opml_clean(opml_attr(node, "id", FETCH_OPML_NS));
}

/*
 * Collects the outlines under parent. pillar is the nearest enclosing
 * folder that names a pillar. Recursion depth is bounded by libxml2's
 * nesting limit (256 without XML_PARSE_HUGE).
 */
static void opml_walk(opml_list *l, xmlNodePtr parent, const char *pillar)
{
    for (xmlNodePtr c = parent->children; c != NULL; c = c->next) {
        if (!opml_is(c, "outline"))
            continue;
        if (opml_has_url(c))
            opml_add(l, c, pillar);
        if (c->children == NULL)
            continue;
        char *label = opml_label(c);
        const char *p = opml_pillar_id(label);
        free(label);
        opml_walk(l, c, p != NULL ? p : pillar);
    }
}

int fetch_opml_parse(const char *buf, size_t len, const char *name, fetch_opml_entry **out,
                     size_t *n, size_t *skipped, char **err)
{
    opml_list l = { NULL, 0, 0, 0 };

    *out = NULL;
    *n = 0;
    if (skipped != NULL)
        *skipped = 0;
    if (name == NULL)
        name = "OPML";
    if (len == 0)
        return core_fail(err, "%s: empty file", name);
    if (len > FETCH_OPML_MAX)
        return core_fail(err, "%s: too large (%zu bytes; OPML is limited to %zu MiB)", name, len,
                         FETCH_OPML_MAX >> 20);

    xmlDocPtr doc = fetch_xml_read(buf, len, name, XML_PARSE_NOBLANKS, err);
    if (doc == NULL)
        return -1;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!opml_is(root, "opml")) {
        int rc = core_fail(err, "%s:%ld: not an OPML document (root element <%s>)", name,
                           root != NULL ? xmlGetLineNo(root) : 1L,
                           root != NULL ? (const char *)root->name : "none");
        xmlFreeDoc(doc);
        return rc;
    }
    xmlNodePtr body = root->children;
    while (body != NULL && !opml_is(body, "body"))
        body = body->next;
    if (body == NULL) {
        int rc = core_fail(err, "%s:%ld: <opml> has no <body>", name, xmlGetLineNo(root));
        xmlFreeDoc(doc);
        return rc;
    }
    opml_walk(&l, body, NULL);
    xmlFreeDoc(doc);

    *out = l.v;
    *n = l.n;
    if (skipped != NULL)
        *skipped = l.skipped;
    return 0;
}

int fetch_opml_read(const char *path, fetch_opml_entry **out, size_t *n, size_t *skipped,
                    char **err)
{
    struct stat sb;
    core_buf b;
    char chunk[OPML_READ_CHUNK];

    *out = NULL;
    *n = 0;
    if (skipped != NULL)
        *skipped = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return core_fail(err, "%s: %s", path, strerror(errno));
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > FETCH_OPML_MAX) {
        close(fd);
        return core_fail(err, "%s: too large (%lld bytes; OPML is limited to %zu MiB)", path,
                         (long long)sb.st_size, FETCH_OPML_MAX >> 20);
    }
    /* Bounded read: a file that grows (or a pipe) still cannot exceed the cap. */
    core_buf_init(&b, FETCH_OPML_MAX);
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            core_buf_free(&b);
            return core_fail(err, "%s: %s", path, strerror(e));
        }
        if (r == 0)
            break;
        if (core_buf_add(&b, chunk, (size_t)r) < 0) {
            close(fd);
            core_buf_free(&b);
            return core_fail(err, "%s: too large (OPML is limited to %zu MiB)", path,
                             FETCH_OPML_MAX >> 20);
        }
    }
    close(fd);
    int rc = fetch_opml_parse(b.data, b.len, path, out, n, skipped, err);
    core_buf_free(&b);
    return rc;
}

/* Appends s as XML character data safe inside a double-quoted attribute. */
static int opml_escape(core_buf *b, const char *s)
{
    size_t n = strlen(s);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0;) {
        uint32_t cp;
        size_t k = core_utf8_decode(s + i, n - i, &cp);
        if (cp == 0xFFFE || cp == 0xFFFF)
            cp = CORE_REPLACEMENT; /* not XML characters */
        switch (cp) {
        case '&':
            rc = core_buf_add(b, "&amp;", 5);
            break;
        case '<':
            rc = core_buf_add(b, "&lt;", 4);
            break;
        case '>':
            rc = core_buf_add(b, "&gt;", 4);
            break;
        case '"':
            rc = core_buf_add(b, "&quot;", 6);
            break;
        case '\t':
        case '\n':
        case '\r':
            rc = core_buf_printf(b, "&#%u;", (unsigned)cp);
            break;
        default:
            if (cp < 0x20)
                break; /* not representable in XML 1.0 */
            if (cp >= 0x7F && cp <= 0x9F) {
                rc = core_buf_printf(b, "&#%u;", (unsigned)cp);
            } else {
                char u[4];
                rc = core_buf_add(b, u, core_utf8_encode(cp, u));
            }
            break;
        }
        i += k;
    }
    return rc;
}

/* Appends ` name="value"`. */
static int opml_put_attr(core_buf *b, const char *name, const char *value)
{
    if (core_buf_printf(b, " %s=\"", name) < 0 || opml_escape(b, value) < 0)
        return -1;
    return core_buf_add(b, "\"", 1);
}

static int opml_put_entry(core_buf *b, const fetch_opml_entry *e, const char *indent)
{
    const char *kind = e->kind != NULL && *e->kind != '\0' ? e->kind : "feed";
    int rc = core_buf_printf(b, "%s<outline", indent);
    /* type="rss" tells other readers what to do; other kinds are ours alone. */
    if (rc == 0 && strcmp(kind, "feed") == 0)
        rc = core_buf_printf(b, " type=\"rss\"");
    /* OPML requires text; an empty one reads back as "no title". */
    if (rc == 0)
        rc = opml_put_attr(b, "text", e->title != NULL ? e->title : "");
    if (rc == 0 && e->title != NULL && *e->title != '\0')
        rc = opml_put_attr(b, "title", e->title);
    if (rc == 0)
        rc = opml_put_attr(b, "xmlUrl", e->url);
    if (rc == 0)
        rc = opml_put_attr(b, "xcdash:kind", kind);
    if (rc == 0 && e->pillar != NULL && *e->pillar != '\0')
        rc = opml_put_attr(b, "xcdash:pillar", e->pillar);
    if (rc == 0 && e->id != NULL && *e->id != '\0')
        rc = opml_put_attr(b, "xcdash:id", e->id);
    if (rc == 0)
        rc = core_buf_add(b, "/>\n", 3);
    return rc;
}

static int opml_same_pillar(const char *a, const char *b)
{
    int an = a == NULL || *a == '\0', bn = b == NULL || *b == '\0';
    if (an || bn)
        return an && bn;
    return strcmp(a, b) == 0;
}

/* Builds the document into b; -1 when it outgrows the buffer. */
static int opml_build(core_buf *b, const fetch_opml_entry *e, size_t n, const char *title)
{
    /* Folder order: the five pillars in canonical order, then other pillar
     * values in order of appearance; entries without a pillar come last,
     * outside any folder. */
    const char **groups = xcalloc(n + OPML_NPILLARS, sizeof *groups);
    size_t ng = 0;
    for (size_t k = 0; k < OPML_NPILLARS; k++)
        for (size_t i = 0; i < n; i++)
            if (opml_same_pillar(e[i].pillar, opml_pillars[k])) {
                groups[ng++] = opml_pillars[k];
                break;
            }
    for (size_t i = 0; i < n; i++) {
        const char *p = e[i].pillar;
        if (p == NULL || *p == '\0')
            continue;
        size_t g = 0;
        while (g < ng && strcmp(groups[g], p) != 0)
            g++;
        if (g == ng)
            groups[ng++] = p;
    }

    int rc = core_buf_printf(b,
                             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<opml version=\"2.0\" xmlns:xcdash=\"%s\">\n"
                             "  <head>\n"
                             "    <title>",
                             FETCH_OPML_NS);
    if (rc == 0)
        rc = opml_escape(b, title);
    if (rc == 0)
        rc = core_buf_printf(b, "</title>\n  </head>\n  <body>\n");
    for (size_t g = 0; g < ng && rc == 0; g++) {
        rc = core_buf_printf(b, "    <outline");
        if (rc == 0)
            rc = opml_put_attr(b, "text", groups[g]);
        if (rc == 0)
            rc = opml_put_attr(b, "title", groups[g]);
        if (rc == 0)
            rc = core_buf_add(b, ">\n", 2);
        for (size_t i = 0; i < n && rc == 0; i++)
            if (opml_same_pillar(e[i].pillar, groups[g]))
                rc = opml_put_entry(b, &e[i], "      ");
        if (rc == 0)
            rc = core_buf_printf(b, "    </outline>\n");
    }
    for (size_t i = 0; i < n && rc == 0; i++)
        if (opml_same_pillar(e[i].pillar, NULL))
            rc = opml_put_entry(b, &e[i], "    ");
    if (rc == 0)
        rc = core_buf_printf(b, "  </body>\n</opml>\n");
    free(groups);
    return rc;
}

int fetch_opml_write(FILE *f, const fetch_opml_entry *e, size_t n, const char *title, char **err)
{
    core_buf b;

    for (size_t i = 0; i < n; i++)
        if (e[i].url == NULL || e[i].url[0] == '\0')
            return core_fail(err, "OPML export: source %zu has no URL", i + 1);
    core_buf_init(&b, FETCH_OPML_MAX);
    if (opml_build(&b, e, n, title != NULL ? title : "xcdash sources") < 0) {
        core_buf_free(&b);
        return core_fail(err, "OPML export: larger than %zu MiB", FETCH_OPML_MAX >> 20);
    }
    size_t len = b.len;
    errno = 0;
    size_t w = fwrite(b.data, 1, len, f);
    core_buf_free(&b);
    if (w != len || fflush(f) != 0 || ferror(f))
        return core_fail(err, "OPML export: %s", strerror(errno ? errno : EIO));
    return 0;
}

void fetch_opml_free(fetch_opml_entry *e, size_t n)
{
    if (e == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        free(e[i].url);
        free(e[i].title);
        free(e[i].kind);
        free(e[i].pillar);
        free(e[i].id);
    }
    free(e);
}
