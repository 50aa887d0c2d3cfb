/*
 * profiles.c — loading the curated profiles (the JSON files in data/) into the cache.
 *
 * The shipped files (companies, chips, models, relations) are the project's
 * researched data; files of the same names in the user's configuration
 * directory add records or correct them (same id wins, user last). The cache
 * keeps a fingerprint of all of them and reloads, in one transaction, only
 * when one changed — a new xcdash with a new data_version, or a user edit.
 *
 * What the user owns is never touched by a reload: notes, the watchlist,
 * news and their read/starred state live in tables the loader does not write.
 * Companies are upserted, not deleted and re-inserted, so news tags survive;
 * only a company that vanished from every file goes, with its tags.
 *
 * A broken shipped file is an error (the install is damaged). A broken user
 * file, or a bad record in one, is reported with file, line and column and
 * skipped; everything else still loads.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"
#include "store/private.h"

/* The four profile files, in load order (companies first: the rest refer to them). */
static const char *const files[] = { "companies.json", "chips.json", "models.json",
                                     "relations.json" };
enum { F_COMPANIES, F_CHIPS, F_MODELS, F_RELATIONS, N_FILES };

typedef struct loader {
    store *st;
    store_warn_fn warn;
    void *ctx;
    json_t *docs[2][N_FILES]; /* [0] shipped, [1] user */
    char *paths[2][N_FILES];
    uint64_t fp; /* fingerprint of every file's bytes */
} loader;

static void warnf(loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warnf(loader *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    if (L->warn)
        L->warn(L->ctx, msg);
    free(msg);
}

static void fp_add(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        *h ^= b[i];
        *h *= 1099511628211ull; /* FNV-1a */
    }
}

/* Reads one file's bytes into *b and adds them to the fingerprint: 0 (b->data NULL and
 * *present 0 when absent), -1 with *err when unreadable. */
static int read_bytes(loader *L, const char *path, core_buf *b, int *present, char **err)
{
    core_buf_init(b, 16u << 20);
    *present = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    *present = 1;
    char chunk[65536];
    size_t n;
    int toobig = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (core_buf_add(b, chunk, n) != 0) {
            toobig = 1;
            break;
        }
    int ioerr = ferror(f);
    fclose(f);
    if (toobig || ioerr) {
        core_buf_free(b);
        return core_fail(err, "%s: %s", path, toobig ? "larger than 16 MiB" : "read error");
    }
    fp_add(&L->fp, path, strlen(path) + 1);
    fp_add(&L->fp, b->data ? b->data : "", b->len);
    return 0;
}

/* Parses bytes read by read_bytes: 0 with *doc, -1 with *err ("FILE:LINE:COL: what"). */
static int parse_doc(const char *path, const core_buf *b, json_t **doc, char **err)
{
    json_error_t je;
    *doc = json_loadb(b->data ? b->data : "", b->len, JSON_REJECT_DUPLICATES, &je);
    if (*doc == NULL)
        return core_fail(err, "%s:%d:%d: %s", path, je.line, je.column, je.text);
    if (!json_is_object(*doc)) {
        json_decref(*doc);
        *doc = NULL;
        return core_fail(err, "%s: the top level must be an object", path);
    }
    return 0;
}

/* Reads and parses one file: 0 with *doc (NULL when absent), -1 with *err. */
static int read_doc(loader *L, const char *path, json_t **doc, char **err)
{
    core_buf b;
    int present;
    *doc = NULL;
    if (read_bytes(L, path, &b, &present, err) != 0)
        return -1;
    int rc = present ? parse_doc(path, &b, doc, err) : 0;
    core_buf_free(&b);
    return rc;
}

/* ---- field access with checking ---------------------------------------- */

static const char *str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int is_slug(const char *s)
{
    if (s == NULL || *s == '\0' || strlen(s) > 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return 0;
    return 1;
}

static void bind_str(sqlite3_stmt *s, int i, json_t *o, const char *key)
{
    const char *v = str(o, key);
    if (v != NULL)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

static void bind_num(sqlite3_stmt *s, int i, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (json_is_integer(v))
        sqlite3_bind_int64(s, i, json_integer_value(v));
    else if (json_is_real(v))
        sqlite3_bind_double(s, i, json_real_value(v));
    else
        sqlite3_bind_null(s, i);
}

static void bind_bool(sqlite3_stmt *s, int i, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (json_is_boolean(v))
        sqlite3_bind_int(s, i, json_is_true(v));
    else
        sqlite3_bind_null(s, i);
}

/* Provenance: shipped records must say it; user records default to naming their file. */
static int check_provenance(loader *L, int user, const char *path, const char *what, json_t *o)
{
    const char *conf = str(o, "confidence");
    if (conf != NULL && !(strlen(conf) == 1 && strchr("ABC", conf[0]))) {
        warnf(L, "%s: %s: confidence must be A, B or C, not '%s'; record skipped", path, what,
              conf);
        return -1;
    }
    if (!user && (conf == NULL || str(o, "as_of") == NULL || str(o, "source_note") == NULL)) {
        warnf(L, "%s: %s: shipped records need as_of, confidence and source_note; skipped", path,
              what);
        return -1;
    }
    return 0;
}

static void bind_provenance(sqlite3_stmt *s, int first, json_t *o, const char *path, int user)
{
    bind_str(s, first, o, "as_of");
    bind_str(s, first + 1, o, "confidence");
    if (str(o, "source_note") == NULL && user) {
        char *note = xasprintf("user file %s", path);
        sqlite3_bind_text(s, first + 2, note, -1, SQLITE_TRANSIENT);
        free(note);
    } else {
        bind_str(s, first + 2, o, "source_note");
    }
}

static json_t *records(loader *L, int user, int f, const char *key)
{
    json_t *doc = L->docs[user][f];
    if (doc == NULL)
        return NULL;
    json_t *arr = json_object_get(doc, key);
    if (!json_is_array(arr)) {
        warnf(L, "%s: missing \"%s\" array; file skipped", L->paths[user][f], key);
        return NULL;
    }
    return arr;
}

static int step(store *st, sqlite3_stmt *s, char **err, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_sql_fail(st, err, what);
    return 0;
}

/* ---- companies ----------------------------------------------------------- */

static int company_ok(loader *L, int user, const char *path, size_t i, json_t *c)
{
    char what[96];
    const char *id = str(c, "id");
    snprintf(what, sizeof what, "company #%zu (%s)", i + 1, id ? id : "no id");
    if (!json_is_object(c) || !is_slug(id) || str(c, "name_en") == NULL) {
        warnf(L, "%s: %s: needs an id ([a-z0-9-]) and name_en; record skipped", path, what);
        return 0;
    }
    json_t *pl = json_object_get(c, "pillars"), *v;
    size_t k;
    if (!json_is_array(pl) || json_array_size(pl) == 0) {
        warnf(L, "%s: %s: needs a non-empty \"pillars\" array; record skipped", path, what);
        return 0;
    }
    json_array_foreach(pl, k, v)
    {
        if (!json_is_string(v) || store_pillar_index(json_string_value(v)) < 0) {
            warnf(L, "%s: %s: unknown pillar %s; record skipped", path, what,
                  json_is_string(v) ? json_string_value(v) : "(not a string)");
            return 0;
        }
    }
    json_array_foreach(json_object_get(c, "listings"), k, v)
    {
        if (!json_is_object(v) || str(v, "exchange") == NULL || str(v, "code") == NULL) {
            warnf(L, "%s: %s: listing #%zu needs exchange and code; record skipped", path, what,
                  k + 1);
            return 0;
        }
    }
    return check_provenance(L, user, path, what, c) == 0;
}

static int put_company(loader *L, json_t *c, const char *path, int user, char **err)
{
    store *st = L->st;
    const char *id = str(c, "id");
    sqlite3_stmt *s = store_prep(
        st,
        "INSERT INTO company VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12) ON CONFLICT(id)"
        " DO UPDATE SET name_en=?2, name_zh=?3, status=?4, hq=?5, founded=?6, desc_en=?7,"
        " desc_zh=?8, as_of=?9, confidence=?10, source_note=?11, origin=?12",
        err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
    bind_str(s, 2, c, "name_en");
    bind_str(s, 3, c, "name_zh");
    bind_str(s, 4, c, "status");
    bind_str(s, 5, c, "hq");
    bind_num(s, 6, c, "founded");
    bind_str(s, 7, c, "desc_en");
    bind_str(s, 8, c, "desc_zh");
    bind_provenance(s, 9, c, path, user);
    sqlite3_bind_text(s, 12, user ? "user" : "shipped", -1, SQLITE_STATIC);
    if (step(st, s, err, "saving a company") != 0)
        return -1;

    static const char *const clear[] = { "DELETE FROM company_pillar WHERE company_id=?",
                                         "DELETE FROM alias WHERE company_id=?",
                                         "DELETE FROM listing WHERE company_id=?" };
    for (size_t i = 0; i < 3; i++) {
        s = store_prep(st, clear[i], err);
        if (s == NULL)
            return -1;
        sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
        if (step(st, s, err, "replacing company details") != 0)
            return -1;
    }
    size_t k;
    json_t *v;
    s = store_prep(st, "INSERT OR IGNORE INTO company_pillar VALUES(?, ?)", err);
    if (s == NULL)
        return -1;
    json_array_foreach(json_object_get(c, "pillars"), k, v)
    {
        sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, json_string_value(v), -1, SQLITE_TRANSIENT);
        if (step(st, s, err, "saving pillars") != 0)
            return -1;
    }
    s = store_prep(st, "INSERT OR IGNORE INTO alias VALUES(?, ?)", err);
    if (s == NULL)
        return -1;
    json_array_foreach(json_object_get(c, "aliases"), k, v)
    {
        if (!json_is_string(v) || json_string_length(v) == 0)
            continue;
        sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, json_string_value(v), -1, SQLITE_TRANSIENT);
        if (step(st, s, err, "saving aliases") != 0)
            return -1;
    }
    s = store_prep(st, "INSERT OR REPLACE INTO listing VALUES(?,?,?,?,?,?,?,?,?,?)", err);
    if (s == NULL)
        return -1;
    json_array_foreach(json_object_get(c, "listings"), k, v)
    {
        bind_str(s, 1, v, "exchange");
        bind_str(s, 2, v, "code");
        sqlite3_bind_text(s, 3, id, -1, SQLITE_TRANSIENT);
        bind_str(s, 4, v, "currency");
        bind_str(s, 5, v, "board");
        bind_str(s, 6, v, "eastmoney_secid");
        bind_str(s, 7, v, "yahoo_symbol");
        bind_provenance(s, 8, v, path, user);
        if (step(st, s, err, "saving listings") != 0)
            return -1;
    }
    return 0;
}

/* The search index over companies: names, aliases, descriptions. */
static int index_companies(store *st, char **err)
{
    if (store_exec(st, "DELETE FROM company_fts", err) != 0)
        return -1;
    return store_exec(st,
                      "INSERT INTO company_fts(company_id, names, aliases, descr) SELECT c.id,"
                      " c.name_en || ' ' || coalesce(c.name_zh, ''), (SELECT group_concat(alias,"
                      " ' ') FROM alias WHERE company_id=c.id), coalesce(c.desc_en, '') || ' ' ||"
                      " coalesce(c.desc_zh, '') FROM company c",
                      err);
}

static int company_known(store *st, const char *id)
{
    sqlite3_stmt *s = store_prep(st, "SELECT 1 FROM company WHERE id=?", NULL);
    if (s == NULL)
        return 0;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
    int found = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_reset(s);
    return found;
}

static int load_companies(loader *L, char **err)
{
    store *st = L->st;
    /* Companies not in any file after this load are removed: mark, load, sweep. */
    if (store_exec(st,
                   "CREATE TEMP TABLE IF NOT EXISTS seen(id TEXT PRIMARY KEY);"
                   "DELETE FROM temp.seen;",
                   err) != 0)
        return -1;
    for (int user = 0; user < 2; user++) {
        json_t *arr = records(L, user, F_COMPANIES, "companies"), *c;
        size_t i;
        json_array_foreach(arr, i, c)
        {
            if (!company_ok(L, user, L->paths[user][F_COMPANIES], i, c)) {
                if (!user)
                    return core_fail(err, "shipped profile %s is invalid (see above)",
                                     L->paths[0][F_COMPANIES]);
                continue;
            }
            if (put_company(L, c, L->paths[user][F_COMPANIES], user, err) != 0)
                return -1;
            sqlite3_stmt *s = store_prep(st, "INSERT OR IGNORE INTO temp.seen VALUES(?)", err);
            if (s == NULL)
                return -1;
            sqlite3_bind_text(s, 1, str(c, "id"), -1, SQLITE_TRANSIENT);
            if (step(st, s, err, "loading companies") != 0)
                return -1;
        }
    }
    /* Tags of a removed company leave with it; the news items themselves stay. */
    return store_exec(st,
                      "DELETE FROM news_company WHERE company_id NOT IN (SELECT id FROM temp.seen);"
                      "DELETE FROM company WHERE id NOT IN (SELECT id FROM temp.seen);",
                      err);
}

/* ---- chips, models, relations ---------------------------------------------- */

typedef struct table {
    int file;
    const char *key;  /* array name in the file */
    const char *what; /* for messages */
    const char *sql;  /* insert with ?1 id ... */
    int (*bind)(loader *L, sqlite3_stmt *s, json_t *r, const char *path, int user);
} table;

static int bind_chip(loader *L, sqlite3_stmt *s, json_t *r, const char *path, int user)
{
    (void)L;
    bind_str(s, 1, r, "id");
    bind_str(s, 2, r, "company");
    bind_str(s, 3, r, "name");
    bind_str(s, 4, r, "name_zh");
    bind_str(s, 5, r, "kind");
    bind_str(s, 6, r, "arch");
    bind_str(s, 7, r, "process");
    bind_num(s, 8, r, "launch_year");
    bind_str(s, 9, r, "specs");
    bind_provenance(s, 10, r, path, user);
    return str(r, "id") && str(r, "name") ? 0 : -1;
}

static int bind_model(loader *L, sqlite3_stmt *s, json_t *r, const char *path, int user)
{
    (void)L;
    bind_str(s, 1, r, "id");
    bind_str(s, 2, r, "company");
    bind_str(s, 3, r, "name");
    bind_str(s, 4, r, "released");
    bind_num(s, 5, r, "params_total_b");
    bind_num(s, 6, r, "params_active_b");
    bind_str(s, 7, r, "licence");
    bind_bool(s, 8, r, "open_weights");
    bind_str(s, 9, r, "hf_repo");
    bind_provenance(s, 10, r, path, user);
    return str(r, "id") && str(r, "name") ? 0 : -1;
}

static const char *const roles[][2] = {
    { "supplier", "customer" }, { "customer", "supplier" }, { "partner", "partner" },
    { "parent", "subsidiary" }, { "subsidiary", "parent" }, { "competitor", "competitor" }
};

static const char *inverse_role(const char *role)
{
    for (size_t i = 0; role && i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(roles[i][0], role) == 0)
            return roles[i][1];
    return NULL;
}

static int bind_relation(loader *L, sqlite3_stmt *s, json_t *r, const char *path, int user)
{
    (void)L;
    bind_str(s, 1, r, "company");
    bind_str(s, 2, r, "role");
    bind_str(s, 3, r, "other");
    bind_str(s, 4, r, "note");
    bind_provenance(s, 5, r, path, user);
    return inverse_role(str(r, "role")) ? 0 : -1;
}

static const table tables[] = {
    { F_CHIPS, "chips", "chip",
      "INSERT OR REPLACE INTO chip VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)", bind_chip },
    { F_MODELS, "models", "model",
      "INSERT OR REPLACE INTO model VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)", bind_model },
    { F_RELATIONS, "relations", "relation",
      "INSERT OR REPLACE INTO relation VALUES(?1,?2,?3,?4,?5,?6,?7)", bind_relation },
};

/* Writes the inverse of a relation (B's view of A) unless the files said otherwise. */
static int put_inverse(loader *L, json_t *r, const char *path, int user, char **err)
{
    sqlite3_stmt *s =
        store_prep(L->st, "INSERT OR IGNORE INTO relation VALUES(?3,?2,?1,?4,?5,?6,?7)", err);
    if (s == NULL)
        return -1;
    bind_relation(L, s, r, path, user);
    sqlite3_bind_text(s, 2, inverse_role(str(r, "role")), -1, SQLITE_STATIC);
    return step(L->st, s, err, "saving a relation");
}

static int load_table(loader *L, const table *t, char **err)
{
    store *st = L->st;
    char *del = xasprintf("DELETE FROM %s", t->file == F_CHIPS    ? "chip"
                                            : t->file == F_MODELS ? "model"
                                                                  : "relation");
    int rc = store_exec(st, del, err);
    free(del);
    if (rc != 0)
        return -1;
    for (int user = 0; user < 2; user++) {
        const char *path = L->paths[user][t->file];
        json_t *arr = records(L, user, t->file, t->key), *r;
        size_t i;
        json_array_foreach(arr, i, r)
        {
            char what[96];
            const char *id = str(r, t->file == F_RELATIONS ? "company" : "id");
            snprintf(what, sizeof what, "%s #%zu (%s)", t->what, i + 1, id ? id : "no id");
            const char *company = str(r, "company");
            const char *other = t->file == F_RELATIONS ? str(r, "other") : NULL;
            if (!json_is_object(r) || company == NULL || !company_known(st, company) ||
                (t->file == F_RELATIONS && (other == NULL || !company_known(st, other)))) {
                warnf(L, "%s: %s: refers to an unknown company; record skipped", path, what);
                continue;
            }
            if (check_provenance(L, user, path, what, r) != 0)
                continue;
            sqlite3_stmt *s = store_prep(st, t->sql, err);
            if (s == NULL)
                return -1;
            if (t->bind(L, s, r, path, user) != 0) {
                sqlite3_reset(s);
                warnf(L, "%s: %s: missing or invalid fields; record skipped", path, what);
                continue;
            }
            if (step(st, s, err, "saving profiles") != 0)
                return -1;
            if (t->file == F_RELATIONS && put_inverse(L, r, path, user, err) != 0)
                return -1;
        }
    }
    return 0;
}

static int load_all(loader *L, char **err)
{
    if (load_companies(L, err) != 0)
        return -1;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        if (load_table(L, &tables[i], err) != 0)
            return -1;
    return index_companies(L->st, err);
}

int store_load_profiles(store *st, const char *shipped_dir, const char *user_dir,
                        store_warn_fn warn, void *ctx, char **err)
{
    loader L = { .st = st, .warn = warn, .ctx = ctx, .fp = 14695981039346656037ull };
    int rc = -1;
    /* The bytes first: when their fingerprint is the one loaded last time, the
     * shipped files are not even parsed (this runs at every start). User files,
     * small and usually absent, are parsed every time so a broken one keeps
     * saying so until it is fixed. */
    core_buf bytes[N_FILES];
    int present[N_FILES] = { 0 };
    for (int f = 0; f < N_FILES; f++) {
        L.paths[0][f] = xasprintf("%s/%s", shipped_dir, files[f]);
        char *e = NULL;
        if (read_bytes(&L, L.paths[0][f], &bytes[f], &present[f], &e) != 0) {
            core_fail(err, "shipped profile %s", e);
            free(e);
            for (int k = 0; k < f; k++)
                core_buf_free(&bytes[k]);
            goto out;
        }
    }
    for (int f = 0; f < N_FILES && user_dir != NULL; f++) {
        L.paths[1][f] = xasprintf("%s/%s", user_dir, files[f]);
        char *e = NULL;
        if (read_doc(&L, L.paths[1][f], &L.docs[1][f], &e) != 0) {
            warnf(&L, "%s; file skipped", e);
            free(e);
        }
    }
    char fp[64];
    snprintf(fp, sizeof fp, "v3/%016llx", (unsigned long long)L.fp);
    char *old = NULL;
    int bad = store_meta_get(st, "profiles", &old, err) != 0;
    int same = !bad && old != NULL && strcmp(old, fp) == 0;
    free(old);
    for (int f = 0; f < N_FILES; f++) {
        char *e = NULL;
        if (!same && !bad && present[f] &&
            parse_doc(L.paths[0][f], &bytes[f], &L.docs[0][f], &e) != 0) {
            core_fail(err, "shipped profile %s", e);
            free(e);
            bad = 1;
        }
        core_buf_free(&bytes[f]);
    }
    if (same) {
        rc = 0;
        goto out;
    }
    if (bad)
        goto out;
    if (L.docs[0][F_COMPANIES] == NULL) {
        core_fail(err, "no shipped profiles in %s (companies.json missing)", shipped_dir);
        goto out;
    }
    if (store_begin(st, err) != 0)
        goto out;
    if (load_all(&L, err) != 0 || store_meta_set(st, "profiles", fp, err) != 0 ||
        store_commit(st, err) != 0) {
        store_rollback(st);
        goto out;
    }
    store_tags_reset(st);
    rc = 0;
out:
    for (int user = 0; user < 2; user++)
        for (int f = 0; f < N_FILES; f++) {
            json_decref(L.docs[user][f]);
            free(L.paths[user][f]);
        }
    return rc;
}

/* ---- shipped source lists ------------------------------------------------- */

/* A relative URL in a source list names a file beside the list (the demo set). */
static char *source_url(const char *list_path, const char *url)
{
    if (strstr(url, "://") != NULL)
        return xstrdup(url);
    const char *slash = strrchr(list_path, '/');
    char *dir = slash ? xstrndup(list_path, (size_t)(slash - list_path)) : xstrdup(".");
    char *abs = realpath(dir, NULL);
    char *out = xasprintf("file://%s/%s", abs ? abs : dir, url);
    free(abs);
    free(dir);
    return out;
}

static int put_sources(loader *L, json_t *arr, const char *path, const char *origin, char **err)
{
    store *st = L->st;
    int rc = store_exec(st,
                        "CREATE TEMP TABLE IF NOT EXISTS seen_src(id TEXT PRIMARY KEY);"
                        "DELETE FROM temp.seen_src;",
                        err);
    if (rc != 0)
        return -1;
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        const char *id = str(o, "id"), *kind = str(o, "kind"), *url = str(o, "url");
        const char *pillar = str(o, "pillar");
        if (!json_is_object(o) || !is_slug(id) || kind == NULL || url == NULL ||
            (pillar != NULL && store_pillar_index(pillar) < 0)) {
            warnf(L, "%s: source #%zu (%s): needs id, kind, url and a known pillar; skipped", path,
                  i + 1, id ? id : "no id");
            continue;
        }
        json_t *h = json_object_get(o, "headers");
        char *headers = json_is_object(h) ? json_dumps(h, JSON_COMPACT) : NULL;
        char *full = source_url(path, url);
        json_t *en = json_object_get(o, "enabled");
        json_t *iv = json_object_get(o, "interval_s");
        store_source s = { .id = id,
                           .kind = kind,
                           .url = full,
                           .pillar = pillar,
                           .title = str(o, "title"),
                           .headers_json = headers,
                           .enabled = en == NULL || json_is_true(en),
                           .interval_s = json_is_integer(iv) ? (int)json_integer_value(iv) : 0,
                           .origin = origin };
        rc = store_source_put(st, &s, err);
        free(headers);
        free(full);
        if (rc != 0)
            return -1;
        sqlite3_stmt *ins = store_prep(st, "INSERT OR IGNORE INTO temp.seen_src VALUES(?)", err);
        if (ins == NULL)
            return -1;
        sqlite3_bind_text(ins, 1, id, -1, SQLITE_TRANSIENT);
        if (step(st, ins, err, "loading sources") != 0)
            return -1;
    }
    /* sources of this origin the list no longer names go, with their news */
    sqlite3_stmt *s = store_prep(st,
                                 "SELECT id FROM source WHERE origin=? AND id NOT IN"
                                 " (SELECT id FROM temp.seen_src)",
                                 err);
    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, origin, -1, SQLITE_STATIC);
    char *gone[64];
    size_t n = 0;
    while (n < 64 && sqlite3_step(s) == SQLITE_ROW)
        gone[n++] = xstrdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    for (size_t k = 0; k < n; k++) {
        int found;
        if (rc == 0)
            rc = store_source_rm_locked(st, gone[k], &found, err);
        free(gone[k]);
    }
    return rc;
}

int store_load_sources(store *st, const char *path, const char *origin, store_warn_fn warn,
                       void *ctx, char **err)
{
    loader L = { .st = st, .warn = warn, .ctx = ctx, .fp = 14695981039346656037ull };
    json_t *doc = NULL;
    core_buf b;
    int present;
    if (read_bytes(&L, path, &b, &present, err) != 0)
        return -1;
    if (!present)
        return 0; /* no list shipped: nothing to load */
    int rc = -1;
    char key[64], fp[32], *old = NULL;
    snprintf(key, sizeof key, "sources:%s", origin);
    snprintf(fp, sizeof fp, "%016llx", (unsigned long long)L.fp);
    if (store_meta_get(st, key, &old, err) != 0)
        goto out;
    if (old != NULL && strcmp(old, fp) == 0) {
        rc = 0; /* unchanged since it was loaded: not even parsed */
        goto out;
    }
    if (parse_doc(path, &b, &doc, err) != 0)
        goto out;
    json_t *arr = json_object_get(doc, "sources");
    if (!json_is_array(arr)) {
        core_fail(err, "%s: missing \"sources\" array", path);
        goto out;
    }
    if (store_begin(st, err) != 0)
        goto out;
    if (put_sources(&L, arr, path, origin, err) != 0 || store_meta_set(st, key, fp, err) != 0 ||
        store_commit(st, err) != 0) {
        store_rollback(st);
        goto out;
    }
    rc = 0;
out:
    free(old);
    json_decref(doc);
    core_buf_free(&b);
    return rc;
}
