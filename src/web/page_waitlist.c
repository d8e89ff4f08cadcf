/* page_waitlist.c — the offering page's waitlist buttons: POST
 * /blocks/{id}/waitlist joins the block's list, POST
 * /blocks/{id}/waitlist/leave leaves it; both come back to the offering's
 * waitlist section, where the place is shown. A refusal (a free seat, not
 * eligible, on it already, …) comes back there too, saying why. */
#include <string.h>

#include "domain/waitlist.h"
#include "lib/limits.h"
#include "store/store.h"
#include "web/web.h"

/* The outcomes a redirect names (?waitlist=…) and what the page then says. */
static const struct {
    const char *name, *text;
} outcomes[] = {
    {"joined", "You joined the waitlist: when a seat frees and your turn comes, you get an offer by yourself."},
    {"left", "You left the waitlist."},
    {"has_seats", "This start date has a free seat again: apply for it instead of joining its waitlist."},
    {"not_eligible", "You cannot join this waitlist: your profile does not meet this rotation's eligibility rules."},
    {"already", "You are on this waitlist already, or have an application for this start date."},
    {"started", "This start date has begun: its waitlist is closed."},
    {"not_waiting", "You are not waiting on this start date's list."},
};

const char *web_waitlist_outcome_text(const char *name)
{
    for (size_t i = 0; name != NULL && i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
        if (strcmp(outcomes[i].name, name) == 0)
            return outcomes[i].text;
    return NULL;
}

static const char *refusal_name(enum error_code code)
{
    if (code == ERR_BLOCK_HAS_SEATS)
        return "has_seats";
    if (code == ERR_NOT_ELIGIBLE)
        return "not_eligible";
    if (code == ERR_ALREADY_WAITLISTED || code == ERR_ALREADY_APPLIED)
        return "already";
    if (code == ERR_BLOCK_STARTED)
        return "started";
    return NULL;
}

static void back_to_offering(struct http_request *req, const char *block_id, const char *outcome)
{
    struct store_block block;
    if (store_block_get(req->db, &req->arena, block_id, &block) != DB_ROW) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "there is no open block with this id");
        return;
    }
    struct buf location;
    buf_init(&location, &req->arena, BUF_CAP_LINE);
    buf_append_str(&location, "/offerings/");
    buf_append_url(&location, block.offering_id);
    buf_appendf(&location, "?waitlist=%s#waitlist", outcome);
    http_redirect(req, buf_ok(&location) ? location.data : "/saved");
}

void web_page_waitlist_join(struct http_request *req)
{
    struct view_page page;
    struct store_user user;
    if (!web_page_setup(req, &page, "Waitlist", &user))
        return;
    const char *block_id = http_param(req, "id");
    struct store_waitlist_entry e;
    struct error err = {0};
    if (waitlist_join(req->db, &req->arena, &user, block_id, &e, &err) != 0) {
        const char *outcome = refusal_name(err.code);
        if (outcome == NULL) {
            http_reply_problem(req, &err);
            return;
        }
        back_to_offering(req, block_id, outcome);
        return;
    }
    back_to_offering(req, block_id, "joined");
}

void web_page_waitlist_leave(struct http_request *req)
{
    struct store_user user;
    struct view_page page;
    if (!web_page_setup(req, &page, "Waitlist", &user))
        return;
    const char *block_id = http_param(req, "id");
    struct error err = {0};
    if (waitlist_leave(req->db, &user, block_id, &err) != 0) {
        if (!error_is(err.code, ERR_NOT_FOUND)) {
            http_reply_problem(req, &err);
            return;
        }
        back_to_offering(req, block_id, "not_waiting");
        return;
    }
    back_to_offering(req, block_id, "left");
}
