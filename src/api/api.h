/* api.h — helpers shared by the JSON endpoints, and the endpoints themselves
 * (one file each in src/api/). */
#ifndef ROUNDS_API_API_H
#define ROUNDS_API_API_H

#include "http/request.h"
#include "domain/refunds.h"
#include "lib/json_spec.h"
#include "lib/list_cursor.h"

/* Parses the body against spec into out; on failure replies (400/…) and returns -1. */
int api_parse_body(struct http_request *req, const struct json_field *spec, void *out,
                   struct json_presence *presence);
/* A multipart upload's parts: "file" (a file part) and the text parts named
 * in text_parts (NULL-terminated, may be empty), each at most once; on an
 * unknown part, a repeated one or one of the wrong sort replies 400 naming
 * it and returns -1. */
int api_check_parts(struct http_request *req, const char *const *text_parts);
/* Loads the signed-in user; on failure replies and returns -1. */
int api_current_user(struct http_request *req, struct store_user *user);
/* ,"key":"2026-11-25T14:32:11Z" (RFC 3339, UTC), or ,"key":null when t is 0 (never). */
void api_write_instant(struct buf *b, const char *key, int64_t t);
/* {"id":…,"email":…,"name":…,"roles":[…],"memberships":[…],"profile":{…}} */
void api_write_user(struct buf *b, const struct store_user *user);
/* Starts a session for user and replies {"user","token","csrf_token"}. */
void api_reply_signed_in(struct http_request *req, int status, const struct store_user *user);
/* The same; with enrol_only the session reaches only enrolment (ROUTE_ENROL)
 * and the reply says "second_factor_enrolment_required": true. */
void api_reply_session(struct http_request *req, int status, const struct store_user *user, bool enrol_only);
/* After the right password: a session, or (an account with a second factor)
 * 200 {"second_factor_required":true,"challenge":…,"expires_in":300}. */
void api_reply_after_password(struct http_request *req, const struct store_user *user);

struct catalog_hit;
/* One search result card as JSON. */
void api_write_catalog_hit(struct buf *b, const struct catalog_hit *hit);
struct requirement_rule;
/* An offering with its blocks and the documents it requires (its host's for
 * all offerings, its own rows and the kinds listed on it: domain's
 * compliance_rules) as JSON (GET /api/v1/offerings/{id} and writes). */
void api_write_offering(struct buf *b, const struct store_offering *offering, const struct store_block *blocks,
                        size_t block_count, const struct requirement_rule *rules, size_t rule_count);
/* Loads those rules; replies 503 and returns -1 when the database fails. */
int api_offering_rules(struct http_request *req, const struct store_offering *offering,
                       struct requirement_rule **rules, size_t *rule_count);

/* A refund policy as JSON: {"tiers":[…],"fixed_rules":{…}}. */
void api_write_refund_policy(struct buf *b, const struct refund_policy *policy);
/* The policy as a table for a block starting start_day, having paid paid_cents
 * (fee_cents of it the fee): [{"cancel_by":"…","refund_cents":…,"percent":…},
 * …, {"from":"…","refund_cents":0,…}]. */
void api_write_refund_schedule(struct buf *b, const struct refund_policy *policy, int32_t start_day,
                               int64_t paid_cents, int64_t fee_cents);

void api_healthz(struct http_request *req);
void api_readyz(struct http_request *req);
void api_openapi(struct http_request *req);
void api_auth_register(struct http_request *req);
void api_auth_login(struct http_request *req);
void api_auth_logout(struct http_request *req);
void api_auth_second_factor(struct http_request *req);
void api_me_export(struct http_request *req);
void api_me_two_factor_get(struct http_request *req);
void api_me_two_factor_post(struct http_request *req);
void api_me_two_factor_confirm(struct http_request *req);
void api_me_two_factor_disable(struct http_request *req);
void api_user_two_factor_reset(struct http_request *req);
void api_auth_password_reset(struct http_request *req);
void api_auth_confirm(struct http_request *req);
void api_auth_confirm_resend(struct http_request *req);
void api_auth_password_reset_confirm(struct http_request *req);
void api_me_get(struct http_request *req);
void api_me_patch(struct http_request *req);
void api_users_post(struct http_request *req);
void api_offerings_search(struct http_request *req);
void api_offering_get(struct http_request *req);

/* ---- catalog management (api/catalog_common.c) ---- */

/* ?limit= (1–100, default 20) and ?cursor= (the last id of the previous page). */
struct api_page {
    int limit;
    const char *cursor;
};
/* Reads the list parameters; on a bad value replies 400 naming it and returns -1. */
int api_list_params(struct http_request *req, struct api_page *page);

/* Reads ?limit= (1–100) into *limit, left as it is when absent; -1 after replying 400. */
int api_list_limit(struct http_request *req, int *limit);

/* One page of a list (api/list_pager.c), built whole in memory (small per
 * caller) or paged by the store by key. The handler offers each item in the
 * list's order with an id unique in the list and, for a list with a key, the
 * item's sort key; the pager says which belong on the page. The cursor names
 * the list (tag), the last item's key and id: a page resumes after that item,
 * or — when it was removed meanwhile — after where it stood by the key (a list
 * offered without a key: at its position). A cursor of another list → 400.
 *
 * A shape gives the order of the key: one letter a part, then one for the id:
 * 'n'/'N' an integer ascending/descending, 's'/'S' text ascending/descending
 * (text compared byte by byte, as SQLite and PostgreSQL's C collation do).
 * A list without a key has the shape "s". */
/* The parts of an item's key, as the shape orders them (at most
 * LIST_KEY_PARTS_MAX; the cursor's text: lib/list_cursor.h):
 * API_KEY({.n = created_at}, {.s = name}). */
#define API_KEY(...) ((const struct list_key_part[]){__VA_ARGS__})
struct api_pager {
    struct api_page page;
    const char *tag, *shape;
    bool has_cursor;             /* ?cursor= given: cursor holds it */
    struct list_cursor cursor;
    bool resumed;                /* the cursor's place has been passed (at once without a cursor) */
    int64_t offered;             /* items offered so far */
    int shown;                   /* items on the page so far */
    int64_t last_position;       /* the last of them: its place, key and id */
    struct list_key_part last_key[LIST_KEY_PARTS_MAX];
    const char *last_id;
    bool more;                   /* an item follows the page */
};
/* Reads ?limit= and ?cursor= for the list tag (letters) of the shape; on a bad
 * value replies 400 naming it and returns -1. */
int api_pager_start(struct http_request *req, struct api_pager *pager, const char *tag, const char *shape);
/* For a list the store pages: the items offered are those after the cursor,
 * as the store orders them (no comparison in C, whatever the collation). */
void api_pager_paged_in_store(struct api_pager *pager);
/* Whether the item id (key: as the shape says, NULL for a list without a key)
 * belongs on the page; if so, writes the ',' before it (all but the first)
 * into b, and the caller writes the item. */
bool api_pager_take_keyed(struct api_pager *pager, struct buf *b, const char *id, const struct list_key_part *key);
/* The same for a list without a key. */
bool api_pager_take(struct api_pager *pager, struct buf *b, const char *id);
/* Closes the items with ],"next_cursor":… (the caller may add fields, then '}'). */
void api_pager_end_items(struct api_pager *pager, struct buf *b);
/* Closes {"items":[… with ],"next_cursor":…}; returns 0. */
int api_pager_finish(struct http_request *req, struct api_pager *pager, struct buf *b);
/* A query parameter given at most once (NULL when absent or empty); -1 after replying. */
int api_query_param(struct http_request *req, const char *name, const char **out);
/* Letters, digits, '_' and '-', 1–64 of them. */
bool api_id_valid(const char *id);
/* Which organisations a catalog list covers for the caller: the one asked for
 * (?organization_id=, which the caller must manage), else those the caller
 * coordinates, or all for staff (*orgs = NULL). Comma-separated into *orgs.
 * Returns -1 after replying (bad id, or an organisation not theirs → 404). */
int api_managed_organizations(struct http_request *req, const struct store_user *user, const char *organization_id,
                              const char **orgs);
/* Closes {"items":[… with ],"next_cursor":…}. */
void api_write_list_end(struct buf *b, const char *next_cursor);
void api_write_organization(struct buf *b, const char *id, const char *name, const char *kind);
void api_write_site(struct buf *b, const struct store_site *site);
void api_write_preceptor(struct buf *b, const struct store_preceptor *preceptor);
void api_write_block(struct buf *b, const struct store_block *block);

/* A kind of entry a host manages and the API lists by organisation (sites,
 * preceptors): how to load a page of them, load one the caller manages
 * (DB_ROW, or DB_DONE when there is none for them), and write one. */
struct api_managed_kind {
    const char *missing; /* the 404 detail: "no such site" */
    size_t item_size;
    int (*list)(struct db_conn *conn, struct arena *arena, const char *organization_ids, const char *after_id,
                int limit, void **items, size_t *count);
    int (*get)(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id, void *out);
    void (*write)(struct buf *b, const void *item);
    const char *(*id_of)(const void *item);
};
/* GET …?organization_id=&limit=&cursor=: the entries of the organisations the
 * caller manages (api_managed_organizations), a page at a time. */
void api_managed_list(struct http_request *req, const struct api_managed_kind *kind);
/* GET …/{id}: one entry, 404 unless the caller manages its host. */
void api_managed_get(struct http_request *req, const struct api_managed_kind *kind);

/* The body of POST /api/v1/offerings and PATCH /api/v1/offerings/{id}. */
struct api_eligibility_body {
    bool students_allowed, graduates_allowed, step1_required, english_proof_required;
    int64_t max_years_since_graduation;
    struct json_strings visa_kinds;
};
struct api_offering_body {
    const char *organization_id, *site_id, *preceptor_id, *title, *specialty, *kind, *setting;
    int64_t weeks, hours_per_week, tuition_cents, application_fee_cents, deposit_cents, deposit_percent,
        balance_due_days;
    struct refund_policy_body refund_policy;
    struct api_eligibility_body eligibility;
    const char *description, *first_day;
    struct store_first_day first_day_instructions; /* replaced as a whole when sent */
    struct json_strings requirements;
    bool lor_customary;
    bool requires_affiliation; /* only students of a school with an active agreement covering the block */
    const char *status;
};
extern const struct json_field api_offering_spec[];
/* ,"first_day_instructions":{address, time, ask_for, dress_code, transport, bring} ("" when not given). */
void api_write_first_day(struct buf *b, const struct store_first_day *f);
/* Parses the body (every field optional; presence tells what was sent); -1 after replying. */
int api_parse_offering_body(struct http_request *req, struct api_offering_body *body, struct json_presence *presence);
/* Copies the fields that were sent onto o (eligibility is replaced as a whole); -1 after replying. */
int api_apply_offering_body(struct http_request *req, const struct api_offering_body *body,
                            const struct json_presence *presence, struct store_offering *o);

void api_specialties_get(struct http_request *req);
void api_organizations_get(struct http_request *req);
void api_organizations_post(struct http_request *req);
void api_sites_get(struct http_request *req);
void api_site_get(struct http_request *req);
void api_sites_post(struct http_request *req);
void api_site_patch(struct http_request *req);
void api_preceptors_get(struct http_request *req);
void api_preceptor_get(struct http_request *req);
void api_preceptors_post(struct http_request *req);
void api_preceptor_verify(struct http_request *req);
void api_preceptor_invitations_post(struct http_request *req);
void api_preceptor_invitation_accept(struct http_request *req);
void api_offerings_post(struct http_request *req);
void api_offering_patch(struct http_request *req);
void api_blocks_post(struct http_request *req);
void api_block_patch(struct http_request *req);

#endif
