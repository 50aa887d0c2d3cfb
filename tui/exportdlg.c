/*
 * exportdlg.c — the export dialog ('e') and exports that run beside the UI.
 *
 * The dialog asks three things — scope (this screen, this pillar, this
 * company, everything), format, and a path prefilled as
 * ~/xcdash-snapshots/xcdash-<scope>-<YYYYmmdd-HHMMSS>.<ext> — and asks
 * again before replacing a file. The export itself runs on a thread of its
 * own with its own read-only connection (WAL lets it read while the fetcher
 * writes), so a long export never freezes the screen; when it ends the
 * thread records the outcome and writes a byte to the wake-up pipe, and the
 * loop says the written path (or the error) on the status line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "tui/private.h"

/* ---- the export thread ------------------------------------------------------------- */

typedef struct job {
    tui_app *a;
    export_opts o;
    char *path, *pillar, *company, *db;
} job;

static void job_free(job *j)
{
    free(j->path);
    free(j->pillar);
    free(j->company);
    free(j->db);
    free(j);
}

static void *export_main(void *arg)
{
    job *j = arg;
    tui_app *a = j->a;
    store *st = NULL;
    char *err = NULL;
    char msg[512];
    if (store_open(&st, j->db, STORE_READONLY, &err) != 0 || export_write(st, &j->o, &err) != 0)
        snprintf(msg, sizeof msg, "export failed: %s", err ? err : "unknown error");
    else
        snprintf(msg, sizeof msg, "%s %s", a->cfg.lang_en ? "wrote" : "已导出", j->path);
    free(err);
    store_close(st);
    pthread_mutex_lock(&a->fs.mu);
    snprintf(a->export_msg, sizeof a->export_msg, "%s", msg);
    a->export_done = 1;
    pthread_mutex_unlock(&a->fs.mu);
    if (write(a->wake[1], "x", 1) < 0 && errno != EAGAIN) {
        /* the loop's one-second timer picks the outcome up anyway */
    }
    job_free(j);
    return NULL;
}

int tui_export_start(tui_app *a, const export_opts *o)
{
    if (a->export_running) {
        tui_say(a, "%s", a->cfg.lang_en ? "an export is already running" : "已有导出正在进行");
        return -1;
    }
    job *j = xcalloc(1, sizeof *j);
    j->a = a;
    j->o = *o;
    j->path = xstrdup(o->path);
    j->pillar = o->pillar ? xstrdup(o->pillar) : NULL;
    j->company = o->company ? xstrdup(o->company) : NULL;
    j->db = xstrdup(a->o->db);
    j->o.path = j->path;
    j->o.pillar = j->pillar;
    j->o.company = j->company;
    if (pthread_create(&a->export_thread, NULL, export_main, j) != 0) {
        job_free(j);
        tui_say(a, "cannot start the export thread");
        return -1;
    }
    a->export_running = 1;
    tui_say(a, "%s %s …", a->cfg.lang_en ? "exporting" : "正在导出", o->path);
    return 0;
}

void tui_export_poll(tui_app *a)
{
    if (!a->export_running)
        return;
    pthread_mutex_lock(&a->fs.mu);
    int done = a->export_done;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", a->export_msg);
    a->export_done = 0;
    pthread_mutex_unlock(&a->fs.mu);
    if (!done)
        return;
    pthread_join(a->export_thread, NULL);
    a->export_running = 0;
    tui_say(a, "%s", msg);
}

/* ---- the dialog ---------------------------------------------------------------------- */

enum { SCOPE_SCREEN, SCOPE_PILLAR, SCOPE_COMPANY, SCOPE_ALL, SCOPES };
enum { F_SCOPE, F_FORMAT, F_PATH, FIELDS };

typedef struct dialog {
    int scope, format, field;
    int confirm; /* the file exists: asking before replacing it */
    int path_edited;
    char pillar[32], company[64]; /* what "this pillar" and "this company" are ("" none) */
    int view_company;             /* the company is what the screen shows (a profile) */
    widget_input path;
} dialog;

static const export_format formats[] = { EXPORT_JSON, EXPORT_CSV, EXPORT_MD, EXPORT_XLSX,
                                         EXPORT_HTML };
#define NFORMATS ((int)(sizeof formats / sizeof formats[0]))

/* What a scope means here: pillar and company ids, NULL when the scope takes none. */
static void scope_ids(const dialog *d, int scope, const char **pillar, const char **company)
{
    *pillar = *company = NULL;
    if (scope == SCOPE_SCREEN)
        scope = d->view_company ? SCOPE_COMPANY : d->pillar[0] ? SCOPE_PILLAR : SCOPE_ALL;
    if (scope == SCOPE_PILLAR && d->pillar[0])
        *pillar = d->pillar;
    else if (scope == SCOPE_COMPANY && d->company[0])
        *company = d->company;
}

static void default_path(tui_app *a, dialog *d)
{
    if (d->path_edited)
        return;
    const char *pillar, *company;
    scope_ids(d, d->scope, &pillar, &company);
    char *p =
        export_default_path(getenv("HOME"), company ? company : pillar, formats[d->format], a->now);
    widget_input_set(&d->path, p);
    free(p);
}

/* Scopes that mean something here: no "this company" without a company, and so on. */
static int scope_ok(const dialog *d, int s)
{
    return (s != SCOPE_PILLAR || d->pillar[0]) && (s != SCOPE_COMPANY || d->company[0]);
}

static void start(tui_app *a, dialog *d)
{
    const char *pillar, *company;
    scope_ids(d, d->scope, &pillar, &company);
    export_opts o = { .format = formats[d->format],
                      .pillar = pillar,
                      .company = company,
                      .path = d->path.buf,
                      .force = d->confirm,
                      .rise_red = a->cfg.rise_red,
                      .lang_en = a->cfg.lang_en,
                      .demo = a->o->demo,
                      .now = a->now };
    tui_export_start(a, &o);
}

static int dlg_key(tui_app *a, tui_view *v, tui_action act, tui_key k)
{
    dialog *d = v->st;
    if (d->confirm) {
        if (!k.fn && (k.code == 'y' || k.code == 'Y')) {
            start(a, d);
            tui_view_pop(a);
        } else {
            d->confirm = 0;
        }
        return TUI_KEY_HANDLED;
    }
    if (!k.fn && k.code == 27) {
        tui_view_pop(a);
        return TUI_KEY_HANDLED;
    }
    if (!k.fn && (k.code == '\r' || k.code == '\n')) {
        struct stat sb;
        if (d->path.len == 0)
            return TUI_KEY_HANDLED;
        if (stat(d->path.buf, &sb) == 0) {
            d->confirm = 1; /* never replace a file without asking */
            return TUI_KEY_HANDLED;
        }
        start(a, d);
        tui_view_pop(a);
        return TUI_KEY_HANDLED;
    }
    if ((k.fn && (k.code == KEY_DOWN || k.code == KEY_BTAB)) || (!k.fn && k.code == '\t')) {
        d->field = (d->field + (k.fn && k.code == KEY_BTAB ? FIELDS - 1 : 1)) % FIELDS;
        return TUI_KEY_HANDLED;
    }
    if (k.fn && k.code == KEY_UP) {
        d->field = (d->field + FIELDS - 1) % FIELDS;
        return TUI_KEY_HANDLED;
    }
    if (d->field == F_PATH) {
        if (widget_input_key(&d->path, k.fn, (wint_t)k.code) == WIDGET_INPUT_CHANGED)
            d->path_edited = 1;
        return TUI_KEY_HANDLED;
    }
    int step = (k.fn && k.code == KEY_LEFT) || act == TUI_A_LEFT ? -1
               : (k.fn && k.code == KEY_RIGHT) || act == TUI_A_RIGHT || (!k.fn && k.code == ' ')
                   ? 1
                   : 0;
    if (step != 0 && d->field == F_SCOPE) {
        do
            d->scope = (d->scope + SCOPES + step) % SCOPES;
        while (!scope_ok(d, d->scope));
        default_path(a, d);
    } else if (step != 0 && d->field == F_FORMAT) {
        d->format = (d->format + NFORMATS + step) % NFORMATS;
        default_path(a, d);
    }
    return TUI_KEY_HANDLED; /* a dialog keeps every key to itself */
}

static int dlg_typing(const tui_view *v)
{
    (void)v;
    return 1;
}

static void dlg_draw(tui_app *a, tui_view *v, WINDOW *w, widget_rect r)
{
    dialog *d = v->st;
    int en = a->cfg.lang_en;
    (void)r;
    widget_rect in = widget_modal_draw(w, 8, 72, en ? "Export a snapshot" : "导出快照",
                                       tui_attr(a, TUI_BORDER), tui_attr(a, TUI_NORMAL));
    static const char *const scope_en[] = { "this screen", "this pillar", "this company",
                                            "everything" };
    static const char *const scope_zh[] = { "当前屏幕", "当前板块", "当前公司", "全部" };
    char line[512];
    const char *labels[FIELDS] = { en ? "Scope " : "范围 ", en ? "Format" : "格式 ",
                                   en ? "Path  " : "路径 " };
    for (int f = 0; f < FIELDS && f < in.h; f++) {
        attr_t at = tui_attr(a, f == d->field ? TUI_SELECTED : TUI_NORMAL);
        int y = in.y + f;
        if (f == F_SCOPE) {
            snprintf(line, sizeof line, "%s  ‹ %s ›", labels[f],
                     (en ? scope_en : scope_zh)[d->scope]);
            widget_text_draw(w, y, in.x, line, in.w, at, 1);
        } else if (f == F_FORMAT) {
            snprintf(line, sizeof line, "%s  ‹ %s ›", labels[f],
                     export_format_ext(formats[d->format]));
            widget_text_draw(w, y, in.x, line, in.w, at, 1);
        } else {
            int x = widget_text_draw(w, y, in.x, labels[f], in.w, at, 0) + 2;
            int cx =
                widget_input_draw(w, y, in.x + x, in.w - x, "", &d->path, tui_attr(a, TUI_NORMAL));
            if (d->field == F_PATH)
                wmove(w, y, cx);
        }
    }
    const char *hint = d->confirm
                           ? (en ? "The file exists. Replace it? y / n" : "文件已存在，覆盖？y / n")
                       : en ? "↑↓ field  ←→ choose  Enter export  Esc cancel"
                            : "↑↓ 选择项  ←→ 切换  Enter 导出  Esc 取消";
    if (in.h > 4)
        widget_text_draw(w, in.y + in.h - 1, in.x, hint, in.w,
                         tui_attr(a, d->confirm ? TUI_ERROR : TUI_DIM), 0);
}

static void dlg_free(tui_view *v)
{
    free(v->st);
}

static const tui_view_ops dialog_ops = {
    .name = "export",
    .draw = dlg_draw,
    .key = dlg_key,
    .typing = dlg_typing,
    .free = dlg_free,
    .overlay = 1,
};

void tui_open_export(tui_app *a)
{
    dialog *d = xcalloc(1, sizeof *d);
    size_t np;
    const store_pillar *pl = store_pillars(&np);
    /* what "this" is: the company of the view in front, the pillar on screen */
    for (int i = a->n_views - 1; i >= 0 && !d->company[0]; i--)
        snprintf(d->company, sizeof d->company, "%s", a->views[i].company);
    d->view_company = d->company[0] != '\0';
    if (a->screen != TUI_SCREEN_OVERVIEW) {
        tui_pillar *p = &a->pillars[a->screen - 1];
        snprintf(d->pillar, sizeof d->pillar, "%s", pl[a->screen - 1].id);
        if (!d->company[0] && a->n_views == 0 && p->focus == TUI_PANEL_COMPANIES &&
            p->companies.sel >= 0 && (size_t)p->companies.sel < p->n_rows)
            snprintf(d->company, sizeof d->company, "%s", p->rows[p->companies.sel].id);
    }
    d->scope = SCOPE_SCREEN;
    d->format = 0;
    default_path(a, d);
    tui_view_push(a, &dialog_ops, d, a->cfg.lang_en ? "export" : "导出");
}
