/*
 * private.h — what the store's own files share and nothing else includes
 * (tests may, to reach the pieces directly).
 */
#ifndef XCDASH_STORE_PRIVATE_H
#define XCDASH_STORE_PRIVATE_H

#include <sqlite3.h>
#include <stddef.h>

#include "store/store.h"

/* ---- db.c: the handle, statements, transactions ----------------------- */

#define STORE_MAX_STMTS 64

struct store {
    sqlite3 *db;
    char *path;
    int flags;
    /* statement cache (store_prep) */
    const char *stmt_sql[STORE_MAX_STMTS];
    sqlite3_stmt *stmts[STORE_MAX_STMTS];
    size_t n_stmts;
    int in_group; /* store_group_begin() holds a transaction open */
    /* tagging state (write.c), built lazily from the alias table */
    struct store_tagger *tagger;
    char **tag_company;    /* value -> company id */
    unsigned *tag_pillars; /* value -> bit set of pillar indexes */
    size_t n_tag;
};

/* A cached prepared statement for sql (a string literal: cached by address), reset and unbound. */
sqlite3_stmt *store_prep(store *st, const char *sql, char **err);
/* Runs SQL without results. */
int store_exec(store *st, const char *sql, char **err);
/* Formats the connection's last error (naming damage as damage) into *err; returns -1. */
int store_sql_fail(store *st, char **err, const char *what);
/* BEGIN IMMEDIATE / COMMIT / ROLLBACK (rollback only when a transaction is open). */
int store_begin(store *st, char **err);
int store_commit(store *st, char **err);
void store_rollback(store *st);
/* meta key/value; *value NULL when absent (caller frees). */
int store_meta_get(store *st, const char *key, char **value, char **err);
int store_meta_set(store *st, const char *key, const char *value, char **err);
/* The SQL that migrates the schema from version `from` to from+1 (tests build old caches). */
const char *store_migration_sql(int from);
/* Index of a pillar id in store_pillars(), -1 when unknown. */
int store_pillar_index(const char *id);

/* ---- write.c ----------------------------------------------------------- */

/* store_source_rm inside a transaction the caller holds. */
int store_source_rm_locked(store *st, const char *id, int *found, char **err);
/* Drops the tagger so the next write rebuilds it from the alias table. */
void store_tags_reset(store *st);

/* ---- fts_cjk.c: the "xcjk" FTS5 tokenizer ----------------------------- */

/*
 * Registers the tokenizer "xcjk" with the FTS5 module of db. It splits text
 * into tokens: runs of CJK ideographs, kana and hangul become overlapping
 * bigrams (a run of one character is one token); other letters and digits
 * form words, ASCII and full-width forms case-folded to ASCII lower case;
 * everything else separates. Also registers the ranking function xrank(),
 * relevance from hit counts alone (see fts_cjk.c).
 */
int store_fts_register(sqlite3 *db, char **err);

/* Token callback, the shape of FTS5's xToken: (ctx, flags, token, len, start, end). */
typedef int (*store_token_fn)(void *ctx, int flags, const char *tok, int n, int start, int end);

/* Runs the tokenizer over text directly (what FTS5 calls); returns the first non-zero cb result. */
int store_fts_tokenize(const char *text, int len, void *ctx, store_token_fn cb);

/*
 * Turns what a user typed into a safe FTS5 MATCH expression: each
 * whitespace-separated word becomes a quoted phrase (quotes doubled), all
 * ANDed; FTS5 operators typed by the user are taken literally. Returns NULL
 * when the input holds no token at all. The caller frees the result.
 */
char *store_fts_query(const char *input);

/* ---- tagger.c: Aho–Corasick matching of company aliases -------------- */

typedef struct store_tagger store_tagger;

/* A new, empty automaton. */
store_tagger *store_tagger_new(void);
/*
 * Adds an alias meaning `value` (>= 0). Matching is ASCII case-insensitive;
 * an alias that starts with an ASCII letter or digit only matches where no
 * ASCII letter or digit precedes it; one that ends with a digit only where
 * none follows; one that ends with a letter only where no letter follows (a
 * version may: "Qwen3" is Qwen, "Ascendant" is not Ascend). CJK aliases
 * match anywhere.
 * Must be called before store_tagger_build(); empty aliases are ignored.
 */
void store_tagger_add(store_tagger *t, const char *alias, int value);
/* Computes failure links; after this the tagger is read-only and thread-safe. */
void store_tagger_build(store_tagger *t);
/*
 * Scans text once and stores each distinct value matched into values (at most
 * max of them, in order of first match). Returns how many were stored.
 */
size_t store_tagger_match(const store_tagger *t, const char *text, size_t len, int *values,
                          size_t max);
void store_tagger_free(store_tagger *t);

#endif
