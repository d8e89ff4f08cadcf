/* evaluations_json.c — evaluations and reviews as JSON. */
#include "api/evaluations_api.h"

void api_write_evaluation(struct buf *b, const struct store_evaluation *e, const struct store_addendum *addenda,
                          size_t addendum_count)
{
    buf_append_str(b, "{\"application_id\":");
    buf_append_json_string(b, e->application_id);
    buf_append_str(b, ",\"submitted\":true,\"evaluator\":{\"id\":");
    buf_append_json_string(b, e->evaluator_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, e->evaluator_name != NULL ? e->evaluator_name : "");
    buf_append_str(b, "},\"scores\":{");
    for (int i = 0; i < STORE_EVALUATION_SCORES; i++) {
        buf_appendf(b, "%s\"%s\":", i > 0 ? "," : "", evaluation_score_names[i]);
        if (e->scores[i] > 0)
            buf_append_int(b, e->scores[i]);
        else
            buf_append_str(b, "null");
    }
    buf_append_str(b, "},\"strengths\":");
    buf_append_json_string(b, e->strengths);
    buf_append_str(b, ",\"improvements\":");
    buf_append_json_string(b, e->improvements);
    buf_appendf(b, ",\"would_write_letter\":%s", e->would_write_letter ? "true" : "false");
    api_write_instant(b, "submitted_at", e->submitted_at);
    buf_append_str(b, ",\"addenda\":[");
    for (size_t i = 0; i < addendum_count; i++) {
        buf_append_str(b, i > 0 ? ",{\"id\":" : "{\"id\":");
        buf_append_json_string(b, addenda[i].id);
        buf_append_str(b, ",\"author\":");
        buf_append_json_string(b, addenda[i].author_name != NULL ? addenda[i].author_name : "");
        buf_append_str(b, ",\"body\":");
        buf_append_json_string(b, addenda[i].body);
        api_write_instant(b, "created_at", addenda[i].created_at);
        buf_append_char(b, '}');
    }
    buf_append_str(b, "]}");
}

void api_write_review(struct buf *b, const struct store_review *r, bool staff)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, r->id);
    buf_append_str(b, ",\"offering_id\":");
    buf_append_json_string(b, r->offering_id);
    buf_append_str(b, ",\"ratings\":{");
    for (int i = 0; i < STORE_REVIEW_SCORES; i++)
        buf_appendf(b, "%s\"%s\":%lld", i > 0 ? "," : "", review_score_names[i], (long long)r->scores[i]);
    buf_append_str(b, "},\"body\":");
    buf_append_json_string(b, r->body);
    buf_append_str(b, ",\"author\":");
    buf_append_json_string(b, r->author_label);
    buf_append_str(b, ",\"verified_rotation\":true");
    api_write_instant(b, "created_at", r->created_at);
    buf_append_str(b, ",\"reply\":");
    if (r->reply != NULL) {
        buf_append_str(b, "{\"body\":");
        buf_append_json_string(b, r->reply);
        api_write_instant(b, "at", r->reply_at);
        buf_append_char(b, '}');
    } else {
        buf_append_str(b, "null");
    }
    buf_appendf(b, ",\"hidden\":%s", r->hidden_at != 0 ? "true" : "false");
    if (staff && r->hidden_at != 0) {
        buf_append_str(b, ",\"hidden_reason\":");
        buf_append_json_string(b, r->hidden_reason != NULL ? r->hidden_reason : "");
    }
    buf_append_char(b, '}');
}
