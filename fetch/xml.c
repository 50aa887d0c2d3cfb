/*
 * xml.c — the one locked-down way xcdash parses untrusted XML (feeds, OPML).
 *
 * Options. Every parse gets XML_PARSE_NONET, and XML_PARSE_NO_XXE where
 * libxml2 has it (2.13+); NOENT, DTDLOAD, DTDATTR, DTDVALID, HUGE,
 * XINCLUDE, SAX1 and OLDSAX are stripped from whatever a caller asks for.
 * External entities and DTDs are therefore never loaded, entities never
 * substituted, and libxml2's own limits (nesting depth 256, text nodes of
 * 10 MB, entity amplification) stay on.
 *
 * Trees (fetch_xml_read, used by OPML import) keep entity references as
 * XML_ENTITY_REF_NODEs that the caller must not follow. SAX streams
 * (fetch_xml_sax, used by the feed adapter) go further: the handler's
 * getEntity resolves nothing, getParameterEntity and entityDecl are cleared,
 * so a user-defined entity is never stored, never looked up and never
 * expanded, whatever the document declares ("billion laughs" costs one
 * error message per reference). The user data is never the parser context,
 * so libxml2's fallback to its own entity table (taken only when userData
 * == ctxt) cannot happen either.
 *
 * Errors. libxml2 reports to handlers of ours, never to stderr: per parser
 * context where libxml2 allows it (2.13+, xmlCtxtSetErrorHandler), else the
 * handler's serror plus the thread's structured handler (for errors raised
 * without a context: encoding conversion, memory), swapped in for the parse
 * and restored after. The first fatal error (or the first error when none
 * is fatal) is kept with the line of the document it concerns: inside an
 * entity, libxml2 reports the entity's "line 1", which a user cannot find.
 */
#include "fetch/private.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

/*
 * XML_PARSE_NO_XXE is an enum constant (invisible to #ifdef), added in
 * libxml2 2.13 together with xmlCtxtSetErrorHandler; 2.12 made the error
 * callback take a const xmlError *.
 */
#if LIBXML_VERSION >= 21300
#define XML_ALWAYS (XML_PARSE_NONET | XML_PARSE_NO_XXE)
#else
#define XML_ALWAYS XML_PARSE_NONET
#endif
#define XML_NEVER                                                                                  \
    (XML_PARSE_NOENT | XML_PARSE_DTDLOAD | XML_PARSE_DTDATTR | XML_PARSE_DTDVALID |                \
     XML_PARSE_HUGE | XML_PARSE_XINCLUDE | XML_PARSE_SAX1 | XML_PARSE_OLDSAX)

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error;
#else
typedef xmlErrorPtr xml_error;
#endif

static int xml_options(int options)
{
    return (options & ~XML_NEVER) | XML_ALWAYS;
}

/* Records e; from is the parser context that raised it, when known. */
static void xml_errors_add(fetch_xml *x, xmlParserCtxtPtr from, xml_error e)
{
    if (e == NULL || e->level == XML_ERR_NONE || e->level == XML_ERR_WARNING)
        return;
    int fatal = e->level == XML_ERR_FATAL;
    if (x->msg != NULL && (x->fatal || !fatal))
        return; /* keep the first error, or the first fatal one after non-fatal ones */
    const char *m = e->message != NULL ? e->message : "malformed XML";
    size_t len = strlen(m);
    while (len > 0 && (m[len - 1] == '\n' || m[len - 1] == ' '))
        len--; /* libxml2 messages end with a newline */
    /* Inside an entity, libxml2 reports the entity's line ("line 1" of
     * "&lol8;&lol8;..."), raised from a nested context (< 2.13) or from an
     * input pushed on ours; the user needs the document's line. */
    int line = e->line;
    xmlParserCtxtPtr ctxt = x->ctxt;
    if (ctxt != NULL && ctxt->inputNr > 1 && ctxt->inputTab[0] != NULL)
        line = ctxt->inputTab[0]->line;
    else if (ctxt != NULL && ctxt->input != NULL && (line <= 0 || (from != NULL && from != ctxt)))
        line = ctxt->input->line;
    free(x->msg);
    x->msg = xstrndup(m, len);
    x->line = line;
    x->fatal = fatal;
}

/* Handler whose data is our fetch_xml (thread handler, 2.13 context handler,
 * and the SAX serror, whose data is the user data that starts with it). */
static void xml_on_error(void *data, xml_error e)
{
    xml_errors_add(data, NULL, e);
}

#if LIBXML_VERSION < 21300
/* Tree parses' serror: libxml2 < 2.13 passes the parser context, which
 * carries our fetch_xml in _private (copied into the nested contexts it
 * makes to parse entity content). */
static void xml_on_ctxt_error(void *data, xml_error e)
{
    xmlParserCtxtPtr ctxt = data;
    if (ctxt != NULL && ctxt->_private != NULL)
        xml_errors_add(ctxt->_private, ctxt, e);
}

/* The thread's structured handler, saved while ours is in place. */
typedef struct xml_saved {
    xmlStructuredErrorFunc fn;
    void *data;
} xml_saved;

static xml_saved xml_swap_handler(fetch_xml *x)
{
    xml_saved s = { xmlStructuredError, xmlStructuredErrorContext };
    xmlSetStructuredErrorFunc(x, xml_on_error);
    return s;
}

static void xml_restore_handler(xml_saved s)
{
    xmlSetStructuredErrorFunc(s.data, s.fn);
}
#endif

xmlDocPtr fetch_xml_read(const char *buf, size_t len, const char *name, int options, char **err)
{
    fetch_xml x = { NULL, NULL, 0, 0 };
    xmlDocPtr doc = NULL;

    if (len > INT_MAX) {
        core_fail(err, "%s: too large for the XML parser", name);
        return NULL;
    }
    xmlInitParser();
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == NULL) {
        core_fail(err, "%s: cannot create an XML parser", name);
        return NULL;
    }
    x.ctxt = ctxt;
#if LIBXML_VERSION >= 21300
    xmlCtxtSetErrorHandler(ctxt, xml_on_error, &x);
    doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL, xml_options(options));
#else
    xml_saved saved = xml_swap_handler(&x);
    ctxt->_private = &x;
    ctxt->sax->serror = xml_on_ctxt_error;
    doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL, xml_options(options));
    xml_restore_handler(saved);
#endif
    xmlFreeParserCtxt(ctxt);

    if (doc == NULL) {
        if (x.msg != NULL)
            core_fail(err, "%s:%d: %s", name, x.line > 0 ? x.line : 1, x.msg);
        else
            core_fail(err, "%s: malformed XML", name);
    }
    free(x.msg);
    return doc;
}

/* getEntity for SAX parses: no entity is ever resolved (predefined ones
 * never reach it). */
static xmlEntityPtr xml_no_entity(void *ctx, const xmlChar *name)
{
    (void)ctx;
    (void)name;
    return NULL;
}

int fetch_xml_sax(fetch_xml *x, const char *buf, size_t len, const xmlSAXHandler *sax, int options)
{
    x->ctxt = NULL;
    x->msg = NULL;
    x->line = 0;
    x->fatal = 0;
    if (len > INT_MAX) {
        x->msg = xstrdup("document too large for the XML parser");
        x->fatal = 1;
        return -1;
    }
    xmlInitParser();
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(buf, (int)len);
    if (ctxt == NULL) {
        x->msg = xstrdup("cannot create an XML parser");
        x->fatal = 1;
        return -1;
    }

    xmlSAXHandler h = *sax;
    h.initialized = XML_SAX2_MAGIC;
    h.getEntity = xml_no_entity;
    h.getParameterEntity = NULL;
    h.entityDecl = NULL;
    h.unparsedEntityDecl = NULL;
    h.externalSubset = NULL;
    h.resolveEntity = NULL;
#if LIBXML_VERSION >= 21300
    h.serror = NULL;
#else
    h.serror = xml_on_error; /* its data is ctxt->userData, which starts with x */
#endif
    memcpy(ctxt->sax, &h, sizeof h);
    ctxt->userData = x;
    x->ctxt = ctxt;
    /* The caller has transcoded to UTF-8: the declaration must not switch. */
    xmlCtxtUseOptions(ctxt, xml_options(options) | XML_PARSE_IGNORE_ENC);

#if LIBXML_VERSION >= 21300
    xmlCtxtSetErrorHandler(ctxt, xml_on_error, x);
    xmlParseDocument(ctxt);
#else
    xml_saved saved = xml_swap_handler(x);
    xmlParseDocument(ctxt);
    xml_restore_handler(saved);
#endif

    int ok = ctxt->wellFormed && x->msg == NULL;
    if (!ok && x->msg == NULL) {
        x->msg = xstrdup("malformed XML");
        x->line = ctxt->input != NULL ? ctxt->input->line : 0;
    }
    if (ctxt->myDoc != NULL) { /* libxml2's "SAX compatibility" document, if any */
        xmlFreeDoc(ctxt->myDoc);
        ctxt->myDoc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    x->ctxt = NULL;
    return ok ? 0 : -1;
}
