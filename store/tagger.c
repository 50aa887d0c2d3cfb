/*
 * tagger.c — Aho–Corasick matching of company aliases in news text.
 *
 * Every news item is scanned once at ingest against all curated aliases
 * (昇腾, Ascend, 910B, ...), so matching must cost one step per byte however
 * many aliases there are. The automaton works on bytes of UTF-8, which keeps
 * CJK aliases exact without decoding, and folds ASCII case on both sides.
 *
 * Building: store_tagger_add() grows a trie (children as sibling lists, fine
 * for ~1,000 aliases); store_tagger_build() walks it breadth first, computes
 * failure links and fills a dense transition table, so matching is one table
 * lookup per byte and never follows failure links.
 *
 * Memory: a row of 256 entries per state would cost ~10 MB for 10,000
 * states. Rows are indexed by byte class instead: bytes that occur in no
 * alias share class 0 (they always lead back to the root), upper and lower
 * case ASCII letters share a class, and every other byte used by some alias
 * has its own. With English and Chinese aliases that is ~100 classes, ~40%
 * of the dense size, for the price of one extra lookup in a 256-byte map.
 *
 * Outputs: each state lists the aliases ending there (value, length and
 * whether the alias needs an ASCII word boundary before/after it, checked
 * against the text around the match) plus a link to the nearest state down
 * its failure chain that has outputs of its own, so shorter aliases that end
 * at the same byte ("910B" inside "Ascend 910B") are found too.
 *
 * Values are reported in order of first match (by the end of the match;
 * at the same end, longer aliases first), each once, at most max of them.
 */
#include "store/private.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define BOUND_BEFORE 0x1 /* alias starts with an ASCII letter or digit */
#define BOUND_AFTER  0x2 /* alias ends with an ASCII digit: no letter or digit may follow */
/* alias ends with an ASCII letter: no letter may follow, but a digit may, since product
 * names carry versions ("Qwen3", "GLM4" are Qwen and GLM; "Ascendant" is not Ascend) */
#define BOUND_AFTER_LETTER 0x4

struct node {        /* trie node, used while adding */
    int32_t child;   /* first child, -1 if none */
    int32_t sibling; /* next child of the same parent, -1 if none */
    unsigned char byte;
};

struct output {
    int32_t state; /* while adding: the state the alias ends in */
    int value;
    uint32_t len;
    unsigned flags; /* BOUND_* */
};

struct store_tagger {
    /* trie */
    struct node *nodes;
    size_t nnodes, capnodes;
    struct output *outs; /* sorted by state at build time */
    size_t nouts, capouts;
    /* automaton, valid when built */
    int built;
    unsigned char cls[256]; /* byte → class */
    size_t ncls;
    int32_t *delta;     /* nnodes × ncls transitions; ~s (negative) when s reports */
    int32_t *out_first; /* per state: first output index in outs */
    int32_t *out_count; /* per state: how many outputs of its own */
    int32_t *dict;      /* per state: next state on the failure chain with outputs, or -1 */
    int32_t *report;    /* per state: itself if it has outputs, else dict */
};

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

static int32_t new_node(store_tagger *t, unsigned char byte)
{
    if (t->nnodes == t->capnodes) {
        t->capnodes = t->capnodes ? t->capnodes * 2 : 64;
        t->nodes = xrealloc(t->nodes, t->capnodes * sizeof *t->nodes);
    }
    struct node *n = &t->nodes[t->nnodes];
    n->child = n->sibling = -1;
    n->byte = byte;
    return (int32_t)t->nnodes++;
}

store_tagger *store_tagger_new(void)
{
    store_tagger *t = xcalloc(1, sizeof *t);
    new_node(t, 0); /* the root */
    return t;
}

static void drop_automaton(store_tagger *t)
{
    free(t->delta);
    free(t->out_first);
    free(t->out_count);
    free(t->dict);
    free(t->report);
    t->delta = t->out_first = t->out_count = t->dict = t->report = NULL;
    t->built = 0;
}

/* Adding after store_tagger_build() is a misuse the contract forbids; it is
 * handled anyway by dropping the automaton (match finds nothing until the
 * next build). */
void store_tagger_add(store_tagger *t, const char *alias, int value)
{
    size_t len = alias ? strlen(alias) : 0;
    if (len == 0 || value < 0 || len > UINT32_MAX)
        return;
    if (t->built)
        drop_automaton(t);

    int32_t s = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = lower((unsigned char)alias[i]);
        int32_t c = t->nodes[s].child;
        while (c >= 0 && t->nodes[c].byte != b)
            c = t->nodes[c].sibling;
        if (c < 0) {
            c = new_node(t, b);
            t->nodes[c].sibling = t->nodes[s].child;
            t->nodes[s].child = c;
        }
        s = c;
    }
    if (t->nouts == t->capouts) {
        t->capouts = t->capouts ? t->capouts * 2 : 64;
        t->outs = xrealloc(t->outs, t->capouts * sizeof *t->outs);
    }
    struct output *o = &t->outs[t->nouts++];
    o->state = s;
    o->value = value;
    o->len = (uint32_t)len;
    unsigned char last = (unsigned char)alias[len - 1];
    o->flags = (is_alnum((unsigned char)alias[0]) ? BOUND_BEFORE : 0) |
               (is_alpha(last)   ? BOUND_AFTER_LETTER
                : is_alnum(last) ? BOUND_AFTER
                                 : 0);
}

/* Outputs grouped by state, in the order they were added within a state. */
static int out_cmp(const void *a, const void *b)
{
    const struct output *x = a, *y = b;
    if (x->state != y->state)
        return x->state < y->state ? -1 : 1;
    /* all outputs of a state have the same length (the state's depth) */
    return (x->value > y->value) - (x->value < y->value);
}

void store_tagger_build(store_tagger *t)
{
    size_t n = t->nnodes;

    drop_automaton(t);

    /* Byte classes: 0 for bytes no alias uses, one class per used byte,
     * A–Z sharing the class of a–z (the trie holds lower case only). */
    unsigned char used[256] = { 0 };
    for (size_t i = 1; i < n; i++)
        used[t->nodes[i].byte] = 1;
    memset(t->cls, 0, sizeof t->cls);
    t->ncls = 1;
    for (int b = 0; b < 256; b++)
        if (used[b])
            t->cls[b] = (unsigned char)t->ncls++;
    for (int b = 'A'; b <= 'Z'; b++)
        t->cls[b] = t->cls[b + ('a' - 'A')];
    /* ncls <= 256 classes (255 used bytes + class 0) fits unsigned char */

    size_t ncls = t->ncls;
    t->delta = xmalloc(n * ncls * sizeof *t->delta);
    t->dict = xmalloc(n * sizeof *t->dict);
    t->report = xmalloc(n * sizeof *t->report);
    t->out_first = xcalloc(n, sizeof *t->out_first);
    t->out_count = xcalloc(n, sizeof *t->out_count);
    int32_t *fail = xmalloc(n * sizeof *fail);
    int32_t *queue = xmalloc(n * sizeof *queue);

    if (t->nouts > 1)
        qsort(t->outs, t->nouts, sizeof *t->outs, out_cmp);
    for (size_t i = t->nouts; i-- > 0;) {
        t->out_first[t->outs[i].state] = (int32_t)i;
        t->out_count[t->outs[i].state]++;
    }

    /* Root: children go down, everything else stays at the root. */
    size_t head = 0, tail = 0;
    int32_t *row = t->delta;
    for (size_t c = 0; c < ncls; c++)
        row[c] = 0;
    fail[0] = 0;
    t->dict[0] = -1;
    for (int32_t c = t->nodes[0].child; c >= 0; c = t->nodes[c].sibling) {
        row[t->cls[t->nodes[c].byte]] = c;
        fail[c] = 0;
        t->dict[c] = -1;
        queue[tail++] = c;
    }
    /* Breadth first: a state's failure state is shallower, so its row is
     * complete by the time the state is reached. */
    while (head < tail) {
        int32_t s = queue[head++];
        int32_t *srow = t->delta + (size_t)s * ncls;
        memcpy(srow, t->delta + (size_t)fail[s] * ncls, ncls * sizeof *srow);
        for (int32_t c = t->nodes[s].child; c >= 0; c = t->nodes[c].sibling) {
            unsigned char k = t->cls[t->nodes[c].byte];
            int32_t f = t->delta[(size_t)fail[s] * ncls + k];
            fail[c] = f;
            t->dict[c] = t->out_count[f] > 0 ? f : t->dict[f];
            srow[k] = c;
            queue[tail++] = c;
        }
    }
    free(fail);
    free(queue);

    /* Mark transitions into states that report something: matching then
     * needs no lookup beyond the transition in the common case. */
    for (size_t s = 0; s < n; s++)
        t->report[s] = t->out_count[s] > 0 ? (int32_t)s : t->dict[s];
    for (size_t i = 0; i < n * ncls; i++)
        if (t->report[t->delta[i]] >= 0)
            t->delta[i] = ~t->delta[i];
    t->built = 1;
}

/* Stores v unless already present; returns the new count. */
static size_t add_value(int *values, size_t count, int v)
{
    for (size_t i = 0; i < count; i++)
        if (values[i] == v)
            return count;
    values[count] = v;
    return count + 1;
}

size_t store_tagger_match(const store_tagger *t, const char *text, size_t len, int *values,
                          size_t max)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t count = 0;

    if (t == NULL || !t->built || text == NULL || max == 0 || t->nouts == 0)
        return 0;
    const int32_t *delta = t->delta;
    const unsigned char *cls = t->cls;
    const size_t ncls = t->ncls;
    int32_t s = 0;
    for (size_t i = 0; i < len; i++) {
        s = delta[(size_t)s * ncls + cls[u[i]]];
        if (s >= 0)
            continue;
        s = ~s;
        for (int32_t o = t->report[s]; o >= 0; o = t->dict[o]) {
            const struct output *out = t->outs + t->out_first[o];
            for (int32_t k = 0; k < t->out_count[o]; k++) {
                size_t start = i + 1 - out[k].len;
                if ((out[k].flags & BOUND_BEFORE) && start > 0 && is_alnum(u[start - 1]))
                    continue;
                if ((out[k].flags & BOUND_AFTER) && i + 1 < len && is_alnum(u[i + 1]))
                    continue;
                if ((out[k].flags & BOUND_AFTER_LETTER) && i + 1 < len && is_alpha(u[i + 1]))
                    continue;
                count = add_value(values, count, out[k].value);
                if (count == max)
                    return count;
            }
        }
    }
    return count;
}

void store_tagger_free(store_tagger *t)
{
    if (t == NULL)
        return;
    drop_automaton(t);
    free(t->nodes);
    free(t->outs);
    free(t);
}
