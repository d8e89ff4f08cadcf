/* letters_json.c — what the letter endpoints share: the letter as JSON (its
 * state, author, dates and number of versions; never the file, its blob
 * address or an invitation token), the list parameters, domain errors, and
 * who acts on the routes an author may use through the invitation link. */
#include <string.h>

#include "api/letters_api.h"

const char *const api_letters_list_params[] = {"overdue", "limit", "cursor", NULL};

/* A string member that is null when absent or empty. */
static void write_optional(struct buf *b, const char *key, const char *value)
{
    buf_appendf(b, ",\"%s\":", key);
    buf_append_json_string(b, value != NULL && value[0] != '\0' ? value : NULL);
}

void api_write_letter_as(struct buf *b, const struct store_letter *l, const char *role)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, l->id);
    if (role != NULL) {
        buf_append_str(b, ",\"role\":");
        buf_append_json_string(b, role);
    }
    buf_append_str(b, ",\"state\":");
    buf_append_json_string(b, l->state);
    buf_append_str(b, ",\"state_label\":");
    buf_append_json_string(b, l->state != NULL ? letter_state_label(letter_state_of(l)) : NULL);
    buf_append_str(b, ",\"author\":{\"name\":");
    buf_append_json_string(b, l->author_name);
    buf_append_str(b, ",\"email\":");
    buf_append_json_string(b, l->author_email);
    buf_append_char(b, '}');
    write_optional(b, "preceptor_id", l->preceptor_id);
    write_optional(b, "confirmed_preceptor_id", l->confirmed_preceptor_id);
    api_write_instant(b, "author_confirmed_at", l->confirmed_at);
    write_optional(b, "application_id", l->application_id);
    buf_appendf(b, ",\"waived\":%s", l->waived ? "true" : "false");
    api_write_instant(b, "waived_at", l->waived ? l->waived_at : 0);
    write_optional(b, "eras_letter_id", l->eras_letter_id);
    buf_appendf(b, ",\"from_us_physician\":%s", l->from_us_physician ? "true" : "false");
    api_write_instant(b, "requested_at", l->requested_at);
    api_write_instant(b, "accepted_at", l->accepted_at);
    api_write_instant(b, "declined_at", l->declined_at);
    write_optional(b, "decline_reason", l->decline_reason);
    api_write_instant(b, "uploaded_at", l->uploaded_at);
    api_write_instant(b, "delivered_at", l->delivered_at);
    buf_appendf(b, ",\"versions\":%lld", (long long)l->version_count);
    buf_append_str(b, ",\"student\":{\"id\":");
    buf_append_json_string(b, l->student_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, l->student_name);
    buf_append_str(b, "}}");
}

void api_write_letter(struct buf *b, const struct store_letter *l)
{
    api_write_letter_as(b, l, NULL);
}

void api_letter_problem(struct http_request *req, const struct error *err)
{
    if (err->code == ERR_NONE) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_reply_problem(req, err);
}

/* Invitation tokens are base64url; anything else cannot open a letter. */
static bool token_well_formed(const char *token)
{
    size_t len = strlen(token);
    if (len == 0 || len > 128)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = token[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

int api_letter_actor(struct http_request *req, const char *form_token, struct store_user *user,
                     struct letter_actor *actor)
{
    memset(actor, 0, sizeof(*actor));
    if (req->auth.authenticated) {
        if (api_current_user(req, user) != 0)
            return -1;
        actor->user = user;
        return 0;
    }
    const char *token = http_header(req, "x-invitation-token");
    if (token == NULL || token[0] == '\0')
        token = form_token;
    if (token == NULL || token[0] == '\0') {
        http_reply_error(req, ERR_UNAUTHENTICATED, NULL, "log in, or use the link of the invitation email");
        return -1;
    }
    if (!token_well_formed(token)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such invitation");
        return -1;
    }
    actor->token = token;
    return 0;
}
