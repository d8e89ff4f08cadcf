/* match_round_host_ranking.c — PUT /api/v1/match-rounds/{id}/blocks/
 * {block_id}/ranking (a coordinator of the block's host, or staff; while the
 * round is a draft or open) with {"type":"lottery"} — the round's lottery
 * ranks everyone who ranked the block — or {"type":"list","order":[…]}: the
 * students who ranked the block, best first; an element may be an array of
 * students ranked equally (the lottery breaks the tie); students left out are
 * not acceptable. → 200 {block_id, ranking, order}. The body is read here
 * (the field specs do not nest arrays): any other field, a repeated student,
 * an empty group or a student who did not rank the block is refused (400
 * naming the field). */
#include <jansson.h>
#include <string.h>

#include "api/match_rounds_api.h"
#include "lib/limits.h"

struct host_list {
    const char **students;
    int64_t *tiers;
    size_t count;
    bool lottery;
};

static int add_student(struct http_request *req, struct host_list *l, json_t *value, int64_t tier)
{
    const char *id = json_string_value(value);
    if (id == NULL || id[0] == '\0' || strlen(id) > ID_MAX_BYTES) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "order", "each entry must be a student id or an array of them");
        return -1;
    }
    l->students[l->count] = arena_strdup(&req->arena, id);
    l->tiers[l->count++] = tier;
    return l->students[l->count - 1] != NULL ? 0 : -1;
}

/* Reads {"type", "order"} into l; -1 after replying. */
static int read_body(struct http_request *req, struct host_list *l)
{
    json_error_t jerr;
    json_t *root = req->body_len > 0 ? json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    int rc = -1;
    const char *key;
    json_t *value, *order = NULL;
    if (root == NULL || !json_is_object(root)) {
        http_reply_error(req, ERR_INVALID_JSON, NULL, "the body must be a JSON object");
        goto out;
    }
    json_object_foreach(root, key, value)
    {
        if (strcmp(key, "type") != 0 && strcmp(key, "order") != 0) {
            http_reply_error(req, ERR_UNKNOWN_FIELD, key, "this endpoint takes type and order");
            goto out;
        }
    }
    const char *type = json_string_value(json_object_get(root, "type"));
    order = json_object_get(root, "order");
    if (type == NULL || (strcmp(type, "list") != 0 && strcmp(type, "lottery") != 0)) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "type", "must be list or lottery");
        goto out;
    }
    l->lottery = strcmp(type, "lottery") == 0;
    if (l->lottery != (order == NULL) || (order != NULL && !json_is_array(order))) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "order",
                         l->lottery ? "a lottery takes no order" : "give the order: an array of student ids");
        goto out;
    }
    size_t n = 0, i;
    json_array_foreach(order, i, value)
    {
        n += json_is_array(value) ? json_array_size(value) : 1;
    }
    if (n > MATCH_ROUND_MAX_COHORT) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "order", "too many students");
        goto out;
    }
    l->students = arena_calloc(&req->arena, n + 1, sizeof(char *));
    l->tiers = arena_calloc(&req->arena, n + 1, sizeof(int64_t));
    if (l->students == NULL || l->tiers == NULL)
        goto out;
    json_array_foreach(order, i, value)
    {
        size_t j;
        json_t *member;
        if (json_is_array(value) && json_array_size(value) == 0) {
            http_reply_error(req, ERR_VALIDATION_FAILED, "order", "a group of equally ranked students cannot be empty");
            goto out;
        }
        if (!json_is_array(value)) {
            if (add_student(req, l, value, (int64_t)i + 1) != 0)
                goto out;
            continue;
        }
        json_array_foreach(value, j, member)
        {
            if (add_student(req, l, member, (int64_t)i + 1) != 0)
                goto out;
        }
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}

void api_match_round_host_ranking_put(struct http_request *req)
{
    struct store_user user;
    struct host_list list = {0};
    if (api_current_user(req, &user) != 0 || read_body(req, &list) != 0)
        return;
    const char *block_id = http_param(req, "block_id");
    struct error err = {0};
    if (match_round_host_rank(req->db, &req->arena, &user, http_param(req, "id"), block_id, list.lottery,
                              list.students, list.tiers, list.count, &err) != 0) {
        api_match_round_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"block_id\":");
    buf_append_json_string(&b, block_id);
    buf_append_str(&b, list.lottery ? ",\"ranking\":\"lottery\",\"order\":[" : ",\"ranking\":\"list\",\"order\":[");
    for (size_t i = 0; i < list.count; i++) {
        buf_append_str(&b, i > 0 ? ",{\"student_id\":" : "{\"student_id\":");
        buf_append_json_string(&b, list.students[i]);
        buf_appendf(&b, ",\"rank\":%lld}", (long long)list.tiers[i]);
    }
    buf_append_str(&b, "]}");
    http_reply_json(req, 200, &b);
}
