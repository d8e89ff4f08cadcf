/* letters_list.c — GET /api/v1/letters?overdue=&limit=&cursor=: a student's
 * own requests and the letters asked of an author with an account (a user
 * who is both gets both; each item says its "role"); staff see all, or with
 * overdue=1 those requested or accepted more than 14 days ago. */
#include <string.h>

#include "api/letters_api.h"
#include "domain/accounts.h"
#include "lib/clock.h"
#include "lib/limits.h"

/* overdue=1|true|0|false (absent or empty: false); -1 after replying. */
static int overdue_param(struct http_request *req, bool *overdue)
{
    const char *v;
    if (api_query_param(req, "overdue", &v) != 0)
        return -1;
    *overdue = false;
    if (v == NULL || strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
        return 0;
    if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0) {
        *overdue = true;
        return 0;
    }
    http_reply_error(req, ERR_INVALID_PARAMETER, "overdue", "must be 1 or 0");
    return -1;
}

void api_letters_list(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct api_page page;
    bool overdue;
    if (api_list_params(req, &page) != 0 || overdue_param(req, &overdue) != 0)
        return;
    bool staff = account_has_role(&user, ROLE_STAFF);
    if (overdue && !staff) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "overdue", "only staff list overdue letters");
        return;
    }
    struct store_letter_filter f = {.limit = page.limit, .after_id = page.cursor};
    if (overdue) {
        f.overdue = true;
        f.overdue_before = clock_now() - (int64_t)LETTER_OVERDUE_DAYS * 86400;
    } else {
        f.all = staff;
        f.student_id = user.id;
        f.author_user_id = user.id;
    }
    struct store_letter *items;
    size_t count = 0;
    if (store_letters_list(req->db, &req->arena, &f, &items, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        const struct store_letter *l = &items[i];
        const char *role = l->student_id != NULL && strcmp(l->student_id, user.id) == 0 ? "student"
                           : letter_user_is_author(l, &user)                                ? "author"
                                                                                            : "staff";
        if (i > 0)
            buf_append_char(&b, ',');
        api_write_letter_as(&b, l, role);
    }
    api_write_list_end(&b, count == (size_t)page.limit ? items[count - 1].id : NULL);
    http_reply_json(req, 200, &b);
}
