/* evaluation_post.c — POST /api/v1/applications/{id}/evaluation (the
 * rotation's preceptor, or staff): the mini-CEX scores (each 1–9, or null for
 * not observed), strengths, improvements, would_write_letter → 201 the
 * evaluation. Submitted once (409 already_submitted); 422 naming a score
 * outside 1–9; domain/evaluations.h lists the other refusals. */
#include "api/evaluations_api.h"
#include "api/request_specs.h"

#include "lib/limits.h"

struct evaluation_body {
    int64_t scores[STORE_EVALUATION_SCORES];
    const char *strengths, *improvements;
    bool would_write_letter;
};

/* Out-of-range numbers reach the domain, which answers 422 naming them. */
#define SCORE_FIELD(i, name)                                                                                \
    {name, JSON_FIELD_INT, JSON_REQUIRED | JSON_NULLABLE, offsetof(struct evaluation_body, scores) +        \
     (i) * sizeof(int64_t), INT32_MIN, INT32_MAX, NULL, NULL, 0, 0}

const struct json_field api_evaluation_post_spec[] = {
    SCORE_FIELD(0, "medical_interviewing"),
    SCORE_FIELD(1, "physical_examination"),
    SCORE_FIELD(2, "professionalism"),
    SCORE_FIELD(3, "clinical_judgement"),
    SCORE_FIELD(4, "counselling"),
    SCORE_FIELD(5, "organisation"),
    SCORE_FIELD(6, "overall"),
    JSON_TEXT(struct evaluation_body, strengths, JSON_REQUIRED, 1, EVALUATION_TEXT_MAX_CHARS),
    JSON_TEXT(struct evaluation_body, improvements, JSON_REQUIRED, 1, EVALUATION_TEXT_MAX_CHARS),
    JSON_BOOL(struct evaluation_body, would_write_letter, JSON_REQUIRED),
    {0},
};

void api_evaluation_post(struct http_request *req)
{
    struct store_user user;
    struct evaluation_body body = {0};
    struct json_presence presence;
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_evaluation_post_spec, &body, &presence) != 0)
        return;
    struct evaluation_input in = {.strengths = body.strengths, .improvements = body.improvements,
                                  .would_write_letter = body.would_write_letter};
    for (int i = 0; i < STORE_EVALUATION_SCORES; i++) {
        bool null = (presence.null & (UINT64_C(1) << i)) != 0;
        /* null: not observed; a number given is checked as given (-1 included). */
        in.scores[i] = null ? EVALUATION_NOT_OBSERVED : body.scores[i] == EVALUATION_NOT_OBSERVED ? 0 : body.scores[i];
    }
    struct store_evaluation e;
    struct error err = {0};
    if (evaluation_submit(req->db, &req->arena, &user, http_param(req, "id"), &in, &e, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    api_write_evaluation(&b, &e, NULL, 0);
    http_reply_json(req, 201, &b);
}
