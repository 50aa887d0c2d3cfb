/*
 * test_link.c — opening a news item's link (tui_open_link): only http and
 * https links reach a browser, as exactly one argument of an argv, never
 * through a shell; everything else is refused with the reason.
 *
 * The browser is a recorder script the test writes: it saves its arguments
 * one per line, so each case checks the exact argv the browser received (or
 * that it never ran). tui_open_link needs nothing of the app but its
 * configuration and the status line, so a zeroed tui_app stands in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "tui/private.h"

static char dir[256], recorder[512], out[512];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/xcdash-test-link-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(recorder, sizeof recorder, "%s/recorder.sh", dir);
    snprintf(out, sizeof out, "%s/argv", dir);
    FILE *f = fopen(recorder, "w");
    if (f == NULL)
        return -1;
    /* writes the arguments one per line, then renames: the file appears whole */
    fprintf(f,
            "#!/bin/sh\nfor a in \"$@\"; do printf '%%s\\n' \"$a\"; done >'%s.tmp'\n"
            "mv '%s.tmp' '%s'\n",
            out, out, out);
    fclose(f);
    chmod(recorder, 0755);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

static tui_app app;

static void reset_app(const char *browser)
{
    free(app.cfg.browser);
    memset(&app, 0, sizeof app);
    app.cfg.lang_en = 1;
    app.cfg.browser = browser ? xstrdup(browser) : NULL;
    unlink(out);
}

/* The recorder's argv (one per line), after waiting up to 5 s for it; NULL when it never ran. */
static char *recorded(double wait_s)
{
    struct timespec ts = { 0, 20 * 1000 * 1000 };
    for (int i = 0; i <= (int)(wait_s * 50); i++) {
        FILE *f = fopen(out, "r");
        if (f != NULL) {
            char buf[4096];
            size_t n = fread(buf, 1, sizeof buf - 1, f);
            fclose(f);
            buf[n] = '\0';
            return xstrdup(buf);
        }
        if (i < (int)(wait_s * 50))
            nanosleep(&ts, NULL);
    }
    return NULL;
}

static void expect_refused(const char *url, const char *why)
{
    char *cmd = xasprintf("%s --flag", recorder);
    reset_app(cmd);
    free(cmd);
    tui_open_link(&app, url);
    if (strstr(app.msg, why) == NULL)
        fail_msg("link '%s': status '%s', wanted '%s'", url ? url : "(null)", app.msg, why);
    char *r = recorded(0);
    if (r != NULL)
        fail_msg("link '%s' reached the browser: %s", url ? url : "(null)", r);
}

static void test_other_schemes_are_refused(void **state)
{
    (void)state;
    expect_refused("javascript:alert(document.cookie)",
                   "refused to open a javascript: link: only http and https");
    expect_refused("JavaScript:alert(1)", "refused to open a JavaScript: link");
    expect_refused("file:///etc/passwd", "refused to open a file: link: only http and https");
    expect_refused("data:text/html,<script>alert(1)</script>", "refused to open a data: link");
    expect_refused("mailto:someone@example.com", "refused to open a mailto: link");
    expect_refused("ftp://example.com/x", "refused to open a ftp: link");
    expect_refused("httpx://example.com/", "refused to open a httpx: link");
    /* no scheme, no host */
    expect_refused("//cdn.example.com/x", "without a scheme");
    expect_refused("/relative/path", "without a scheme");
    expect_refused("example.com", "without a scheme");
    expect_refused("-oProxyCommand=x", "without a scheme");
    expect_refused("http:///nohost", "without a host");
    expect_refused("https://", "without a host");
    expect_refused("http:example.com", "without a host");
    /* spaces and control characters: never handed on, whatever the scheme */
    expect_refused("https://example.com/a b", "spaces or control characters");
    expect_refused("https://example.com/\x1b]0;PWNED\x07", "spaces or control characters");
    expect_refused("https://example.com/\tx", "spaces or control characters");
    expect_refused("https://example.com/\x7f", "spaces or control characters");
    expect_refused(" https://example.com/", "spaces or control characters");
    expect_refused("https://example.com/\xc2\x9b"
                   "31m",
                   "spaces or control characters");
    /* nothing at all */
    expect_refused("", "has no link");
    expect_refused(NULL, "has no link");
    /* a browser started by mistake would have written by now */
    char *r = recorded(0.5);
    if (r != NULL)
        fail_msg("a refused link reached the browser: %s", r);
}

static void expect_opened(const char *url, const char *want_argv)
{
    tui_open_link(&app, url);
    char *r = recorded(5);
    if (r == NULL)
        fail_msg("link '%s' did not reach the browser (status '%s')", url, app.msg);
    assert_string_equal(r, want_argv);
    free(r);
}

static void test_http_links_reach_the_browser_as_one_argument(void **state)
{
    (void)state;
    char *cmd = xasprintf("%s --flag", recorder);
    reset_app(cmd);
    expect_opened("https://example.com/demo/1?a=1&b=2",
                  "--flag\nhttps://example.com/demo/1?a=1&b=2\n");
    assert_non_null(strstr(app.msg, "opened in "));
    assert_non_null(strstr(app.msg, "recorder.sh"));
    /* the scheme in any case */
    reset_app(cmd);
    expect_opened("HTTPS://EXAMPLE.COM/Upper", "--flag\nHTTPS://EXAMPLE.COM/Upper\n");
    reset_app(cmd);
    expect_opened("Http://example.com/", "--flag\nHttp://example.com/\n");
    free(cmd);
    /* what a shell would act on is just text in the one argument */
    char *pwn = xasprintf("%s/pwned", dir);
    char *url = xasprintf("https://example.com/?q=$(touch%%20%s)&x=`touch`;touch|touch'\"", pwn);
    cmd = xasprintf("%s", recorder);
    reset_app(cmd);
    char *want = xasprintf("%s\n", url);
    expect_opened(url, want);
    assert_int_equal(access(pwn, F_OK), -1);
    free(want);
    free(url);
    free(pwn);
    free(cmd);
    /* non-ASCII (an IRI) is the browser's to encode */
    cmd = xasprintf("  %s\t-a  -b ", recorder);
    reset_app(cmd);
    expect_opened("https://例子.测试/路径", "-a\n-b\nhttps://例子.测试/路径\n");
    free(cmd);
}

static void test_browser_from_the_environment(void **state)
{
    (void)state;
    /* $BROWSER when the configuration sets none; of a ':' list, the first */
    char *env = xasprintf("%s --from-env:firefox:chromium", recorder);
    setenv("BROWSER", env, 1);
    reset_app(NULL);
    expect_opened("https://example.com/e", "--from-env\nhttps://example.com/e\n");
    /* the configuration wins */
    char *cmd = xasprintf("%s --from-config", recorder);
    reset_app(cmd);
    expect_opened("https://example.com/c", "--from-config\nhttps://example.com/c\n");
    free(cmd);
    free(env);
    /* neither: said, nothing run */
    unsetenv("BROWSER");
    reset_app(NULL);
    tui_open_link(&app, "https://example.com/");
    assert_non_null(strstr(app.msg, "no browser: set browser ="));
    setenv("BROWSER", "", 1);
    reset_app(NULL);
    tui_open_link(&app, "https://example.com/");
    assert_non_null(strstr(app.msg, "no browser"));
    unsetenv("BROWSER");
}

static void test_a_missing_browser_is_said(void **state)
{
    (void)state;
    reset_app("/nonexistent/xcdash-browser --x");
    tui_open_link(&app, "https://example.com/");
    assert_non_null(strstr(app.msg, "cannot start /nonexistent/xcdash-browser"));
    reset_app("xcdash-no-such-browser-anywhere");
    tui_open_link(&app, "https://example.com/");
    assert_non_null(strstr(app.msg, "cannot start xcdash-no-such-browser-anywhere"));
}

static void test_chinese_messages(void **state)
{
    (void)state;
    reset_app("true");
    app.cfg.lang_en = 0;
    tui_open_link(&app, "javascript:alert(1)");
    assert_non_null(strstr(app.msg, "拒绝打开 javascript: 链接"));
    free(app.cfg.browser);
    app.cfg.browser = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_other_schemes_are_refused),
        cmocka_unit_test(test_http_links_reach_the_browser_as_one_argument),
        cmocka_unit_test(test_browser_from_the_environment),
        cmocka_unit_test(test_a_missing_browser_is_said),
        cmocka_unit_test(test_chinese_messages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
