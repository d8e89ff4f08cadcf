/* page_messages.c — the messages of a rotation as a page.
 *
 *   GET  /applications/{id}/messages   the thread (oldest first) and the form to
 *                                      write; viewing it marks it read
 *   POST /applications/{id}/messages   sends a message (domain/messages.h),
 *                                      optionally with a wallet document of the
 *                                      sender's
 *
 * A message that is refused shows the page again with the error summary at
 * the top, linked to the field, and everything typed. Anyone who is not a
 * member of the thread gets 404; before an offer the page says the thread
 * opens with the offer. */
#include <string.h>

#include "domain/documents.h"
#include "domain/messages.h"
#include "domain/vocabulary.h"
#include "lib/limits.h"
#include "store/documents.h"
#include "views/forms.h"
#include "web/web.h"

const char *const web_messages_params[] = {"done", NULL};

/* What the form shows again after a refusal. */
struct message_form {
    const char *body, *document_id;
    struct error err; /* err.field names the input; ERR_NONE: no error */
};

/* Everything the page shows, loaded before rendering. */
struct messages_view {
    struct store_user user;
    struct message_thread thread;
    bool open;                        /* false: before an offer */
    const char **document_ids, **document_labels; /* the viewer's wallet (the select adds "—": none) */
};

void web_messages_link(struct buf *b, const struct store_application *a, int64_t unread)
{
    buf_append_str(b, "<p class=\"messages-link\"><a href=\"/applications/");
    buf_append_url(b, a->id);
    buf_append_str(b, "/messages\">Messages</a>");
    if (unread > 0)
        buf_appendf(b, " <span class=\"badge\" id=\"unread-messages\">%lld unread</span>", (long long)unread);
    buf_append_str(b, "</p>");
}

/* The viewer's current documents as a select's values and labels. */
static void load_wallet(struct http_request *req, struct messages_view *v)
{
    struct store_document *docs = NULL;
    size_t count = 0;
    if (store_documents_current(req->db, &req->arena, v->user.id, &docs, &count) != DB_OK)
        count = 0;
    v->document_ids = arena_calloc(&req->arena, count + 1, sizeof(*v->document_ids));
    v->document_labels = arena_calloc(&req->arena, count + 1, sizeof(*v->document_labels));
    if (v->document_ids == NULL || v->document_labels == NULL)
        return;
    for (size_t i = 0; i < count; i++) {
        struct buf label;
        buf_init(&label, &req->arena, BUF_CAP_LINE);
        buf_append_str(&label, document_kind_name(docs[i].kind));
        buf_append_str(&label, ": ");
        buf_append_str(&label, docs[i].file_name);
        v->document_ids[i] = docs[i].id;
        v->document_labels[i] = label.data;
    }
}

/* 0 with v loaded (and the thread marked read), -1 when a reply went out (404, 503). */
static int load(struct http_request *req, struct messages_view *v)
{
    struct error err = {0};
    const char *id = http_param(req, "id");
    if (message_thread_load(req->db, &req->arena, &v->user, id, &v->thread, &err) != 0) {
        if (err.code != ERR_THREAD_CLOSED) {
            http_reply_error(req, err.code, NULL,
                             err.code == ERR_NOT_FOUND ? "This application does not exist, or it is not yours to see"
                                                       : NULL);
            return -1;
        }
        return 0; /* open stays false: the page says why */
    }
    v->open = true;
    if (v->thread.unread > 0)
        message_mark_read(req->db, &req->arena, &v->user, v->thread.application.id, &err);
    load_wallet(req, v);
    return 0;
}

static const char *field_error(const struct message_form *f, const char *name)
{
    if (f == NULL || f->err.code == ERR_NONE || f->err.field == NULL || strcmp(f->err.field, name) != 0)
        return NULL;
    return f->err.detail != NULL ? f->err.detail : error_title(f->err.code);
}

static void render_message(const struct http_request *req, struct buf *b, const struct store_message *m,
                           const char *viewer_id)
{
    bool mine = strcmp(m->sender_id, viewer_id) == 0;
    buf_appendf(b, "<li class=\"message%s\"><p class=\"muted\"><strong>", mine ? " message-mine" : "");
    buf_append_html(b, mine ? "You" : m->sender_name);
    buf_append_str(b, "</strong> · ");
    web_write_instant(req, b, m->created_at);
    buf_append_str(b, "</p><p class=\"prose\">");
    buf_append_html(b, m->body);
    buf_append_str(b, "</p>");
    if (m->document_id != NULL) {
        buf_append_str(b, "<p>Attached: <a href=\"/applications/");
        buf_append_html(b, m->application_id);
        buf_append_str(b, "/messages/");
        buf_append_html(b, m->id);
        buf_append_str(b, "/attachment\">");
        buf_append_html(b, document_kind_name(m->document_kind));
        buf_append_str(b, " (");
        buf_append_html(b, m->document_name != NULL ? m->document_name : "");
        buf_append_str(b, ")</a></p>");
    }
    buf_append_str(b, "</li>\n");
}

static void render_thread(const struct http_request *req, struct buf *b, const struct messages_view *v)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"thread-heading\"><h2 id=\"thread-heading\">"
                      "Messages</h2>\n");
    if (v->thread.count == 0) {
        buf_append_str(b, "<p>No message yet. Write the first one below.</p></section>\n");
        return;
    }
    buf_append_str(b, "<ol class=\"messages\">");
    for (size_t i = 0; i < v->thread.count; i++)
        render_message(req, b, &v->thread.messages[i], v->user.id);
    buf_append_str(b, "</ol></section>\n");
}

static void render_form(struct buf *b, const struct messages_view *v, const struct message_form *f,
                        const char *csrf_token)
{
    buf_append_str(b, "<section class=\"card\" id=\"message-form\" aria-labelledby=\"form-heading\">"
                      "<h2 id=\"form-heading\">Write a message</h2>\n<p>The student, the host's coordinators, the "
                      "preceptor and the coach read this thread; Rounds staff may read it too.</p>\n"
                      "<form class=\"stack\" method=\"post\" action=\"/applications/");
    buf_append_url(b, v->thread.application.id);
    buf_append_str(b, "/messages\">\n<input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf_token);
    buf_append_str(b, "\">\n");
    view_textarea(b, "Your message", "body", f->body, 5, MESSAGE_MAX_CHARS,
                  "Plain text, at most " LIMIT_TEXT(MESSAGE_MAX_CHARS) " characters.", field_error(f, "body"));
    if (v->document_ids != NULL && v->document_ids[0] != NULL)
        view_select(b, "Attach a document from your wallet (optional)", "document_id", v->document_ids,
                    v->document_labels, f->document_id != NULL ? f->document_id : "", field_error(f, "document_id"));
    view_form_end(b, "Send the message");
    buf_append_str(b, "</section>\n");
}

/* The page; f (or NULL: an empty form) and its error summary. */
static void render(struct http_request *req, int status, const char *notice, const struct message_form *f)
{
    struct view_page page;
    struct messages_view v = {0};
    if (!web_page_setup(req, &page, "Messages", &v.user) || load(req, &v) != 0)
        return;
    if (v.open && v.thread.unread > 0)
        web_page_count_messages(req, &page, v.user.id); /* this thread is read now */
    struct message_form blank = {0};
    if (f == NULL)
        f = &blank;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_EXPORT);
    view_page_begin(&b, &page);
    if (f->err.code != ERR_NONE)
        web_error_summary(&b, f->err.field, f->err.detail != NULL ? f->err.detail : error_title(f->err.code));
    if (notice != NULL)
        view_notice(&b, notice);
    buf_append_str(&b, "<p><a href=\"/applications/");
    buf_append_url(&b, http_param(req, "id"));
    buf_append_str(&b, "\">← The application</a></p>\n<h1>Messages");
    if (v.open) {
        buf_append_str(&b, ": ");
        buf_append_html(&b, v.thread.application.offering_title);
        buf_append_str(&b, "</h1>\n<p class=\"lead\">");
        /* The student is not named to themselves: "With Lakeside Community Hospital". */
        if (strcmp(v.thread.application.student_id, v.user.id) == 0) {
            buf_append_str(&b, "With ");
        } else {
            buf_append_html(&b, v.thread.application.student_name);
            buf_append_str(&b, " with ");
        }
        buf_append_html(&b, v.thread.application.host_name);
        buf_append_str(&b, "</p>\n");
        render_thread(req, &b, &v);
        render_form(&b, &v, f, page.csrf_token);
    } else {
        buf_append_str(&b, "</h1>\n<p class=\"notice\">Messages open once the host makes an offer.</p>\n");
    }
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_messages(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *done = http_kv_get(query, "done");
    render(req, 200, done != NULL && strcmp(done, "sent") == 0 ? "Your message is sent." : NULL, NULL);
}

void web_page_messages_post(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *application_id = http_param(req, "id");
    struct message_form f = {.body = http_form(req, "body"), .document_id = http_form(req, "document_id")};
    struct store_message m;
    /* The domain's "is required" names no field: say it as a sentence. */
    if (f.body == NULL || f.body[0] == '\0')
        error_set(&f.err, ERR_VALIDATION_FAILED, "body", "Write your message first.");
    if (f.err.code != ERR_NONE ||
        message_post(req->db, &req->arena, &user, application_id, f.body, f.document_id, &m, &f.err) != 0) {
        if ((f.err.code == ERR_NOT_FOUND && f.err.field == NULL) || f.err.code == ERR_UNAVAILABLE ||
            f.err.code == ERR_INTERNAL) {
            http_reply_error(req, f.err.code, NULL,
                             f.err.code == ERR_NOT_FOUND ? "This application does not exist, or it is not yours to see"
                                                         : NULL);
            return;
        }
        if (f.err.code == ERR_RATE_LIMITED) {
            http_retry_after(req, 60);
            f.err.field = "body";
        }
        render(req, error_status(f.err.code), NULL, &f);
        return;
    }
    struct buf location;
    buf_init(&location, &req->arena, BUF_CAP_LINE);
    buf_append_str(&location, "/applications/");
    buf_append_url(&location, application_id);
    buf_append_str(&location, "/messages?done=sent#message-form");
    http_redirect(req, buf_ok(&location) ? location.data : "/");
}
