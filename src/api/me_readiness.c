/* me_readiness.c — GET /api/v1/me/readiness: what the caller has and still
 * needs for the Match. Each item (letters, U.S. clinical experience, USMLE
 * Step 1 and Step 2 CK, ECFMG, English proficiency) is ok, missing or in_progress
 * with the next action and a link; letters and USCE weeks also as numbers. */
#include <string.h>

#include "api/letters_api.h"
#include "lib/limits.h"

/* The state of the item with key, or null when the domain did not report it. */
static void write_item_state(struct buf *b, const struct readiness *r, const char *name, const char *key)
{
    const char *state = NULL;
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i].key != NULL && strcmp(r->items[i].key, key) == 0)
            state = readiness_state_name(r->items[i].state);
    buf_appendf(b, ",\"%s\":", name);
    buf_append_json_string(b, state);
}

void api_me_readiness(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct readiness r;
    memset(&r, 0, sizeof(r));
    if (readiness_for(req->db, &req->arena, &user, &r) != 0) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    size_t count = r.count <= sizeof(r.items) / sizeof(r.items[0]) ? r.count : sizeof(r.items) / sizeof(r.items[0]);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        const struct readiness_item *it = &r.items[i];
        buf_append_str(&b, i > 0 ? ",{\"key\":" : "{\"key\":");
        buf_append_json_string(&b, it->key);
        buf_append_str(&b, ",\"title\":");
        buf_append_json_string(&b, it->title);
        buf_append_str(&b, ",\"state\":");
        buf_append_json_string(&b, readiness_state_name(it->state));
        buf_append_str(&b, ",\"summary\":");
        buf_append_json_string(&b, it->summary);
        buf_append_str(&b, ",\"next_action\":");
        buf_append_json_string(&b, it->next_action);
        buf_append_str(&b, ",\"link\":");
        buf_append_json_string(&b, it->link);
        buf_appendf(&b, ",\"have\":%lld,\"target\":%lld}", (long long)it->have, (long long)it->target);
    }
    buf_appendf(&b, "],\"letters\":{\"count\":%lld,\"from_us_physicians\":%lld,\"target\":%lld,\"us_target\":%lld}",
                (long long)r.letters, (long long)r.letters_us, (long long)r.letters_target,
                (long long)r.letters_us_target);
    buf_appendf(&b,
                ",\"usce_weeks\":{\"hands_on\":%lld,\"observership\":%lld,\"other\":%lld,\"planned\":%lld,"
                "\"target\":%lld}",
                (long long)r.usce_hands_on_weeks, (long long)r.usce_observership_weeks, (long long)r.usce_other_weeks,
                (long long)r.usce_planned_weeks, (long long)r.usce_target_weeks);
    r.count = count;
    write_item_state(&b, &r, "step1", "step1");
    write_item_state(&b, &r, "step2ck", "step2ck");
    write_item_state(&b, &r, "ecfmg", "ecfmg");
    write_item_state(&b, &r, "english_proof", "english");
    buf_appendf(&b, ",\"ok_count\":%d}", r.ok_count);
    http_reply_json(req, 200, &b);
}
