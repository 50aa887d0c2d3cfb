/*
 * db.c — opening the cache: pragmas, schema migrations, the statement cache.
 *
 * The cache is one SQLite file in WAL mode, so readers (the dashboard, an
 * export, a second xcdash) never block the one writer. Opening is careful
 * about what it touches: the schema version is read before any pragma that
 * writes, so a cache from a newer xcdash, or a file that is not a database,
 * is refused with a message and left exactly as it was. Migrations only go
 * forward, one transaction each, and PRAGMA user_version records where the
 * schema stands.
 *
 * FTS5 tables are maintained by the writer's own statements, not triggers:
 * with trusted_schema=OFF, SQLite refuses virtual tables inside triggers.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"
#include "store/private.h"

/* Forward-only migrations: entry i moves the schema from version i to i+1. */
static const char *const migrations[] = {
    /* 0 -> 1: the first schema */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE pillar(id TEXT PRIMARY KEY, ord INTEGER NOT NULL, name_en TEXT NOT NULL,"
    "  name_zh TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE company(id TEXT PRIMARY KEY, name_en TEXT NOT NULL, name_zh TEXT,"
    "  status TEXT, hq TEXT, founded INTEGER, desc_en TEXT, desc_zh TEXT, as_of TEXT,"
    "  confidence TEXT CHECK (confidence IN ('A','B','C')), source_note TEXT,"
    "  origin TEXT NOT NULL DEFAULT 'shipped');"
    "CREATE TABLE company_pillar(company_id TEXT NOT NULL REFERENCES company(id)"
    "  ON DELETE CASCADE, pillar_id TEXT NOT NULL REFERENCES pillar(id),"
    "  PRIMARY KEY(company_id, pillar_id)) WITHOUT ROWID;"
    "CREATE INDEX company_pillar_p ON company_pillar(pillar_id, company_id);"
    "CREATE TABLE alias(company_id TEXT NOT NULL REFERENCES company(id) ON DELETE CASCADE,"
    "  alias TEXT NOT NULL, PRIMARY KEY(company_id, alias)) WITHOUT ROWID;"
    "CREATE TABLE listing(exchange TEXT NOT NULL, code TEXT NOT NULL, company_id TEXT NOT NULL"
    "  REFERENCES company(id) ON DELETE CASCADE, currency TEXT, board TEXT,"
    "  eastmoney_secid TEXT, yahoo_symbol TEXT, as_of TEXT, confidence TEXT, source_note TEXT,"
    "  PRIMARY KEY(exchange, code)) WITHOUT ROWID;"
    "CREATE INDEX listing_company ON listing(company_id);"
    "CREATE TABLE chip(id TEXT PRIMARY KEY, company_id TEXT NOT NULL REFERENCES company(id)"
    "  ON DELETE CASCADE, name TEXT NOT NULL, name_zh TEXT, kind TEXT, arch TEXT, process TEXT,"
    "  launch_year INTEGER, specs TEXT, as_of TEXT, confidence TEXT, source_note TEXT);"
    "CREATE INDEX chip_company ON chip(company_id);"
    "CREATE TABLE model(id TEXT PRIMARY KEY, company_id TEXT NOT NULL REFERENCES company(id)"
    "  ON DELETE CASCADE, name TEXT NOT NULL, released TEXT, params_total_b REAL,"
    "  params_active_b REAL, licence TEXT, open_weights INTEGER, hf_repo TEXT, as_of TEXT,"
    "  confidence TEXT, source_note TEXT);"
    "CREATE INDEX model_company ON model(company_id);"
    "CREATE INDEX model_repo ON model(hf_repo);"
    "CREATE TABLE relation(company_id TEXT NOT NULL REFERENCES company(id) ON DELETE CASCADE,"
    "  role TEXT NOT NULL CHECK (role IN ('supplier','customer','partner','parent',"
    "  'subsidiary','competitor')), other_id TEXT NOT NULL REFERENCES company(id)"
    "  ON DELETE CASCADE, note TEXT, as_of TEXT, confidence TEXT, source_note TEXT,"
    "  PRIMARY KEY(company_id, role, other_id)) WITHOUT ROWID;"
    "CREATE INDEX relation_other ON relation(other_id);"
    "CREATE TABLE source(id TEXT PRIMARY KEY, kind TEXT NOT NULL, url TEXT NOT NULL,"
    "  pillar TEXT, title TEXT, headers TEXT, enabled INTEGER NOT NULL DEFAULT 1,"
    "  interval_s INTEGER NOT NULL DEFAULT 1800, origin TEXT NOT NULL DEFAULT 'user',"
    "  last_success INTEGER, last_attempt INTEGER, last_error TEXT, http_status INTEGER,"
    "  etag TEXT, last_modified TEXT, next_due INTEGER, failures INTEGER NOT NULL DEFAULT 0,"
    "  items INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE news(id INTEGER PRIMARY KEY, source_id TEXT NOT NULL REFERENCES source(id)"
    "  ON DELETE CASCADE, guid TEXT NOT NULL, url TEXT, canon_url TEXT, title TEXT NOT NULL,"
    "  summary TEXT, author TEXT, published INTEGER NOT NULL, updated INTEGER,"
    "  fetched INTEGER NOT NULL, read INTEGER NOT NULL DEFAULT 0,"
    "  starred INTEGER NOT NULL DEFAULT 0, UNIQUE(source_id, guid));"
    "CREATE UNIQUE INDEX news_canon ON news(canon_url) WHERE canon_url IS NOT NULL;"
    "CREATE INDEX news_time ON news(published, id);"
    "CREATE INDEX news_source_time ON news(source_id, published, id);"
    "CREATE INDEX news_starred ON news(published, id) WHERE starred;"
    "CREATE TABLE news_company(company_id TEXT NOT NULL REFERENCES company(id)"
    "  ON DELETE CASCADE, published INTEGER NOT NULL, news_id INTEGER NOT NULL"
    "  REFERENCES news(id) ON DELETE CASCADE, PRIMARY KEY(company_id, published, news_id))"
    "  WITHOUT ROWID;"
    "CREATE INDEX news_company_n ON news_company(news_id);"
    "CREATE TABLE news_pillar(pillar_id TEXT NOT NULL, published INTEGER NOT NULL,"
    "  news_id INTEGER NOT NULL REFERENCES news(id) ON DELETE CASCADE,"
    "  PRIMARY KEY(pillar_id, published, news_id)) WITHOUT ROWID;"
    "CREATE INDEX news_pillar_n ON news_pillar(news_id);"
    "CREATE TABLE quote(exchange TEXT NOT NULL, code TEXT NOT NULL, last REAL, change REAL,"
    "  change_pct REAL, open REAL, high REAL, low REAL, prev_close REAL, volume REAL,"
    "  turnover REAL, market_cap REAL, ts INTEGER NOT NULL, source_id TEXT,"
    "  fetched INTEGER NOT NULL, PRIMARY KEY(exchange, code)) WITHOUT ROWID;"
    "CREATE TABLE bar(exchange TEXT NOT NULL, code TEXT NOT NULL, date TEXT NOT NULL,"
    "  open REAL, high REAL, low REAL, close REAL, volume REAL, amount REAL,"
    "  PRIMARY KEY(exchange, code, date)) WITHOUT ROWID;"
    "CREATE TABLE hf_model(repo TEXT PRIMARY KEY, pipeline_tag TEXT, created INTEGER,"
    "  last_modified INTEGER, first_seen INTEGER NOT NULL, source_id TEXT) WITHOUT ROWID;"
    "CREATE TABLE model_stat(repo TEXT NOT NULL, ts INTEGER NOT NULL, downloads INTEGER,"
    "  downloads_all INTEGER, likes INTEGER, PRIMARY KEY(repo, ts)) WITHOUT ROWID;"
    "CREATE TABLE watch(company_id TEXT PRIMARY KEY, added INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE note(company_id TEXT PRIMARY KEY, body TEXT NOT NULL,"
    "  updated INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE VIRTUAL TABLE news_fts USING fts5(title, summary, content='news',"
    "  content_rowid='id', tokenize='xcjk');"
    "CREATE VIRTUAL TABLE company_fts USING fts5(company_id UNINDEXED, names, aliases,"
    "  descr, tokenize='xcjk');"
    /* Ranking: a hit in a title weighs three times one in a summary. */
    "INSERT INTO news_fts(news_fts, rank) VALUES('rank', 'bm25(3.0, 1.0)');"
    "INSERT INTO company_fts(company_fts, rank) VALUES('rank', 'bm25(0.0, 5.0, 4.0, 1.0)');",

    /* 1 -> 2: faster ingest. The tag tables lose their foreign keys (the writer
     * keeps them consistent: source removal and profile reloads delete tags
     * first), so that a tag costs one B-tree insert, not three lookups; the news
     * index keeps no column sizes (xrank needs none) and merges segments less
     * eagerly, which halves the bytes each commit writes. */
    "CREATE TABLE news_company2(company_id TEXT NOT NULL, published INTEGER NOT NULL,"
    "  news_id INTEGER NOT NULL, PRIMARY KEY(company_id, published, news_id)) WITHOUT ROWID;"
    "INSERT INTO news_company2 SELECT company_id, published, news_id FROM news_company;"
    "DROP TABLE news_company;"
    "ALTER TABLE news_company2 RENAME TO news_company;"
    "CREATE INDEX news_company_n ON news_company(news_id);"
    "CREATE TABLE news_pillar2(pillar_id TEXT NOT NULL, published INTEGER NOT NULL,"
    "  news_id INTEGER NOT NULL, PRIMARY KEY(pillar_id, published, news_id)) WITHOUT ROWID;"
    "INSERT INTO news_pillar2 SELECT pillar_id, published, news_id FROM news_pillar;"
    "DROP TABLE news_pillar;"
    "ALTER TABLE news_pillar2 RENAME TO news_pillar;"
    "CREATE INDEX news_pillar_n ON news_pillar(news_id);"
    "DROP TABLE news_fts;"
    "CREATE VIRTUAL TABLE news_fts USING fts5(title, summary, content='news',"
    "  content_rowid='id', tokenize='xcjk', columnsize=0);"
    "INSERT INTO news_fts(news_fts) VALUES('rebuild');"
    "INSERT INTO news_fts(news_fts, rank) VALUES('automerge', 16);",
};

#define N_MIGRATIONS (sizeof migrations / sizeof migrations[0])

const char *store_migration_sql(int from)
{
    return from >= 0 && (size_t)from < N_MIGRATIONS ? migrations[from] : NULL;
}
_Static_assert(N_MIGRATIONS == STORE_SCHEMA_VERSION, "one migration per schema version");

static const store_pillar pillars[] = {
    { "gpu", "GPU / AI accelerators", "GPU 芯片" },
    { "cpu", "CPU chips", "CPU 芯片" },
    { "ascend", "Huawei Ascend chain", "昇腾产业链" },
    { "leasing", "Compute leasing", "算力租赁" },
    { "models", "Domestic large models", "信创大模型" },
};

const store_pillar *store_pillars(size_t *n)
{
    *n = sizeof pillars / sizeof pillars[0];
    return pillars;
}

int store_sql_fail(store *st, char **err, const char *what)
{
    int code = sqlite3_extended_errcode(st->db);
    if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
        return core_fail(err,
                         "cache %s is damaged (%s: %s); it was left untouched — move it aside "
                         "or point --db elsewhere",
                         st->path, what, sqlite3_errmsg(st->db));
    return core_fail(err, "cache %s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

int store_exec(store *st, const char *sql, char **err)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        sqlite3_free(msg);
        return store_sql_fail(st, err, sql);
    }
    return 0;
}

/* The statement cache: prepared once per handle, keyed by the SQL text's address. */
sqlite3_stmt *store_prep(store *st, const char *sql, char **err)
{
    size_t i;
    for (i = 0; i < st->n_stmts; i++) {
        if (st->stmt_sql[i] == sql) {
            sqlite3_reset(st->stmts[i]);
            sqlite3_clear_bindings(st->stmts[i]);
            return st->stmts[i];
        }
    }
    if (st->n_stmts == STORE_MAX_STMTS) {
        core_fail(err, "internal: statement cache full");
        return NULL;
    }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
        store_sql_fail(st, err, "prepare");
        return NULL;
    }
    st->stmt_sql[st->n_stmts] = sql;
    st->stmts[st->n_stmts++] = s;
    return s;
}

int store_begin(store *st, char **err)
{
    return store_exec(st, "BEGIN IMMEDIATE", err);
}

int store_commit(store *st, char **err)
{
    return store_exec(st, "COMMIT", err);
}

void store_rollback(store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* mkdir -p for the directory part of path. */
static int make_parent_dirs(const char *path, char **err)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir) {
        free(dir);
        return 0;
    }
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            int rc = core_fail(err, "cannot create %s: %s", dir, strerror(errno));
            free(dir);
            return rc;
        }
        *p = '/';
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        int rc = core_fail(err, "cannot create %s: %s", dir, strerror(errno));
        free(dir);
        return rc;
    }
    free(dir);
    return 0;
}

static int read_user_version(store *st, int *version, char **err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
        return store_sql_fail(st, err, "reading the schema version");
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        return store_sql_fail(st, err, "reading the schema version");
    }
    *version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return 0;
}

static int migrate(store *st, int from, char **err)
{
    for (int v = from; v < STORE_SCHEMA_VERSION; v++) {
        if (store_begin(st, err) != 0)
            return -1;
        /* Re-check inside the write lock: another process may have migrated. */
        int now;
        if (read_user_version(st, &now, err) != 0) {
            store_rollback(st);
            return -1;
        }
        if (now > v) {
            store_rollback(st);
            v = now - 1;
            continue;
        }
        char *pragma = xasprintf("PRAGMA user_version=%d", v + 1);
        int rc = store_exec(st, migrations[v], err);
        if (rc == 0 && v == 0) {
            sqlite3_stmt *s = store_prep(st, "INSERT INTO pillar VALUES(?,?,?,?)", err);
            for (size_t i = 0; rc == 0 && s != NULL && i < sizeof pillars / sizeof pillars[0];
                 i++) {
                sqlite3_reset(s);
                sqlite3_bind_text(s, 1, pillars[i].id, -1, SQLITE_STATIC);
                sqlite3_bind_int(s, 2, (int)i);
                sqlite3_bind_text(s, 3, pillars[i].name_en, -1, SQLITE_STATIC);
                sqlite3_bind_text(s, 4, pillars[i].name_zh, -1, SQLITE_STATIC);
                if (sqlite3_step(s) != SQLITE_DONE)
                    rc = store_sql_fail(st, err, "seeding pillars");
            }
            if (s == NULL)
                rc = -1;
        }
        if (rc == 0)
            rc = store_exec(st, pragma, err);
        free(pragma);
        if (rc != 0 || store_commit(st, err) != 0) {
            store_rollback(st);
            return -1;
        }
    }
    return 0;
}

int store_open(store **out, const char *path, int flags, char **err)
{
    *out = NULL;
    if (!(flags & STORE_READONLY) && make_parent_dirs(path, err) != 0)
        return -1;

    store *st = xcalloc(1, sizeof *st);
    st->path = xstrdup(path);
    st->flags = flags;
    int oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY
                                          : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        int rc = core_fail(err, "cannot open cache %s: %s", path,
                           st->db ? sqlite3_errmsg(st->db) : "out of memory");
        store_close(st);
        return rc;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 5000);
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);

    /* Look before touching anything: a newer or foreign file stays as it is. */
    int version;
    if (read_user_version(st, &version, err) != 0) {
        store_close(st);
        return -1;
    }
    if (version > STORE_SCHEMA_VERSION) {
        core_fail(err,
                  "cache %s was written by a newer xcdash (schema %d; this build knows up to "
                  "%d); it was left untouched — upgrade xcdash or use another --db",
                  path, version, STORE_SCHEMA_VERSION);
        store_close(st);
        return -1;
    }
    if ((flags & STORE_READONLY) && version < STORE_SCHEMA_VERSION) {
        core_fail(err, "cache %s has schema %d, this build needs %d: open it once for writing",
                  path, version, STORE_SCHEMA_VERSION);
        store_close(st);
        return -1;
    }
    if (store_fts_register(st->db, err) != 0) {
        store_close(st);
        return -1;
    }
    const char *pragmas = (flags & STORE_READONLY)
                              ? "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;"
                                "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-8000;"
                              /* a larger WAL between checkpoints: fewer fsyncs while ingesting */
                              : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                "PRAGMA wal_autocheckpoint=8192;"
                                "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;"
                                "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-8000;";
    if (store_exec(st, pragmas, err) != 0) {
        store_close(st);
        return -1;
    }
    if (!(flags & STORE_READONLY) && migrate(st, version, err) != 0) {
        store_close(st);
        return -1;
    }
    *out = st;
    return 0;
}

void store_close(store *st)
{
    if (st == NULL)
        return;
    for (size_t i = 0; i < st->n_stmts; i++)
        sqlite3_finalize(st->stmts[i]);
    store_tags_reset(st);
    if (st->db != NULL)
        sqlite3_close(st->db);
    free(st->path);
    free(st);
}

const char *store_path(const store *st)
{
    return st->path;
}

int64_t store_data_version(store *st)
{
    sqlite3_stmt *s = store_prep(st, "PRAGMA data_version", NULL);
    if (s == NULL || sqlite3_step(s) != SQLITE_ROW)
        return -1;
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return v;
}

int store_meta_get(store *st, const char *key, char **value, char **err)
{
    *value = NULL;
    sqlite3_stmt *s = store_prep(st, "SELECT value FROM meta WHERE key=?", err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *value = xstrdup((const char *)sqlite3_column_text(s, 0));
    else if (rc != SQLITE_DONE)
        return store_sql_fail(st, err, "reading meta");
    sqlite3_reset(s);
    return 0;
}

int store_meta_set(store *st, const char *key, const char *value, char **err)
{
    sqlite3_stmt *s = store_prep(st, "INSERT OR REPLACE INTO meta VALUES(?,?)", err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        return store_sql_fail(st, err, "writing meta");
    return 0;
}

int store_pillar_index(const char *id)
{
    for (size_t i = 0; i < sizeof pillars / sizeof pillars[0]; i++)
        if (strcmp(pillars[i].id, id) == 0)
            return (int)i;
    return -1;
}

/* Preferences live in meta under "pref.", apart from the store's own keys. */
int store_pref_get(store *st, const char *key, char **value, char **err)
{
    char *k = xasprintf("pref.%s", key);
    int rc = store_meta_get(st, k, value, err);
    free(k);
    return rc;
}

int store_pref_set(store *st, const char *key, const char *value, char **err)
{
    char *k = xasprintf("pref.%s", key);
    int rc = store_meta_set(st, k, value, err);
    free(k);
    return rc;
}
