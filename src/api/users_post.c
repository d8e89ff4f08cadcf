/* users_post.c — POST /api/v1/users (staff only): creates a user of any role,
 * {email, name, role, password, organization_id?}. */
#include "api/api.h"
#include "api/request_specs.h"
#include "domain/accounts.h"
#include "domain/auth.h"
#include "lib/limits.h"

struct user_body {
    const char *email, *name, *role, *password, *organization_id;
};

const struct json_field api_users_post_spec[] = {
    JSON_EMAIL(struct user_body, email, JSON_REQUIRED),
    JSON_STRING(struct user_body, name, JSON_REQUIRED, 1, ACCOUNT_NAME_MAX_CHARS),
    JSON_ENUM(struct user_body, role, JSON_REQUIRED, role_names),
    JSON_STRING(struct user_body, password, JSON_REQUIRED, 1, PASSWORD_FIELD_MAX_BYTES),
    JSON_STRING(struct user_body, organization_id, JSON_OPTIONAL, 1, ID_MAX_BYTES),
    {0},
};

static void user_created(struct http_request *req, void *ctx)
{
    struct store_user user;
    struct error err = {0};
    if (auth_register_finish(req->db, &req->arena, ctx, &user, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    api_write_user(&b, &user);
    http_reply_json(req, 201, &b);
}

void api_users_post(struct http_request *req)
{
    struct store_user me;
    if (api_current_user(req, &me) != 0)
        return;
    if (!account_has_role(&me, ROLE_STAFF)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "only staff create accounts of other roles");
        return;
    }
    struct user_body body = {0};
    if (api_parse_body(req, api_users_post_spec, &body, NULL) != 0)
        return;
    struct auth_register_job *job = http_offload_alloc(sizeof(*job));
    struct error err = {0};
    if (job == NULL) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    if (auth_register_begin(req->db, &req->arena, body.email, body.name, body.password, role_parse(body.role),
                            body.organization_id, NULL, job, &err) != 0) {
        http_offload_free(job);
        http_reply_problem(req, &err);
        return;
    }
    http_offload_start(req, job, auth_register_work, user_created);
}
