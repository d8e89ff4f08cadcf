/* page_login.c — GET/POST /login. A visitor sent here from a page that needs
 * a session (or from a link in an email, or "Log in to apply") comes with
 * ?next=/that/page, carried through the form, and goes back there after
 * logging in; next must be a path on this site (http_local_path), anything
 * else goes to /account. */
#include <string.h>

#include "domain/auth.h"
#include "lib/limits.h"
#include "web/web.h"

const char *const web_login_params[] = {"next", "done", NULL};

/* The page to go to after logging in: next when it is a path on this site. */
static const char *after_login(const char *next)
{
    return http_local_path(next) ? next : "/account";
}

static void render(struct http_request *req, int status, const char *email, const char *next, const char *notice,
                   const char *message)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "Log in", NULL))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card narrow\"><h1>Log in</h1>\n");
    if (notice != NULL)
        view_notice(&b, notice);
    if (message != NULL) {
        struct view_field_error e = {"f-email", message};
        view_error_summary(&b, NULL, &e, 1);
    }
    view_form_begin(&b, "/login", page.csrf_token);
    if (http_local_path(next)) {
        buf_append_str(&b, "<input type=\"hidden\" name=\"next\" value=\"");
        buf_append_html(&b, next);
        buf_append_str(&b, "\">\n");
    }
    view_input(&b, "Email", "email", "email", email, "username", true, NULL, NULL);
    view_input(&b, "Password", "password", "password", NULL, "current-password", true, NULL, NULL);
    view_form_end(&b, "Log in");
    buf_append_str(&b, "<p><a href=\"/password-reset\">Forgot your password?</a></p>\n");
    buf_append_str(&b, "<p>New to Rounds? <a href=\"");
    if (http_local_path(next)) {
        buf_append_str(&b, "/register?next=");
        buf_append_url(&b, next);
    } else {
        buf_append_str(&b, "/register");
    }
    buf_append_str(&b, "\">Create a student account</a>.</p></section>\n");
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

static const char *done_notice(const char *done)
{
    if (done == NULL)
        return NULL;
    if (strcmp(done, "reset") == 0)
        return "Your password is changed and every session with the old one has ended. Log in with the new one.";
    if (strcmp(done, "confirmed") == 0)
        return "Your email address is confirmed. Log in to continue.";
    return NULL;
}

void web_page_login(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *next = http_kv_get(query, "next");
    if (req->auth.authenticated) {
        http_redirect(req, after_login(next));
        return;
    }
    render(req, 200, NULL, next, done_notice(http_kv_get(query, "done")), NULL);
}

/* What the form says; retry_after (seconds) for a refused attempt. */
static const char *message_for(struct http_request *req, const struct error *err, int64_t retry_after)
{
    if (err->code == ERR_INVALID_CREDENTIALS)
        return "Wrong email or password.";
    if (err->code == ERR_RATE_LIMITED) {
        struct buf b;
        buf_init(&b, &req->arena, BUF_CAP_LINE);
        if (retry_after > 90)
            buf_appendf(&b, "Too many failed attempts. Try again in %lld minutes.", (long long)(retry_after + 59) / 60);
        else
            buf_appendf(&b, "Too many failed attempts. Try again in %lld seconds.", (long long)retry_after);
        return buf_ok(&b) ? b.data : "Too many failed attempts. Try again later.";
    }
    return error_title(err->code);
}

static void login_done(struct http_request *req, void *ctx)
{
    struct auth_login_job *job = ctx;
    struct store_user user;
    struct error err = {0};
    const char *next = http_form(req, "next");
    if (auth_login_finish(req->db, &req->arena, job, req->client_addr, &user, &err) != 0) {
        render(req, error_status(err.code), job->email, next, NULL, message_for(req, &err, 0));
        return;
    }
    if (http_session_start(req, user.id, true, NULL, NULL) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_redirect(req, after_login(next));
}

void web_page_login_post(struct http_request *req)
{
    const char *email = http_form(req, "email");
    const char *password = http_form(req, "password");
    const char *next = http_form(req, "next");
    struct error err = {0};
    if (email == NULL || password == NULL || email[0] == '\0' || password[0] == '\0') {
        render(req, 400, email, next, NULL, "Enter your email and password.");
        return;
    }
    struct auth_login_job *job = http_offload_alloc(sizeof(*job));
    if (job == NULL) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    struct auth_login_limits limits = {req->options->login_failures_per_account_client,
                                       req->options->login_failures_per_account, req->options->login_failures_per_client};
    if (auth_login_begin(req->db, &req->arena, email, password, req->client_addr, &limits, job, &err) != 0) {
        int64_t retry_after = job->retry_after;
        http_offload_free(job);
        http_retry_after(req, retry_after);
        render(req, error_status(err.code), email, next, NULL, message_for(req, &err, retry_after));
        return;
    }
    http_offload_start(req, job, auth_login_work, login_done);
}
