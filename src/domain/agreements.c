/* agreements.c — affiliation agreements between hosts and schools; see agreements.h. */
#include "domain/agreements.h"

#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/documents.h"
#include "domain/notify.h"
#include "domain/validate.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/json_spec.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "store/applications.h"
#include "store/blobs.h"

/* The jobs handle at most this many agreements per round (the rest next round). */
enum { AGREEMENT_JOB_BATCH = 200 };

enum agreement_status agreement_status_of(const struct store_agreement *a)
{
    return agreement_status_parse(a->status);
}

static bool on_host_side(const struct store_user *user, const struct store_agreement *a)
{
    return account_is_member(user, a->host_id, ROLE_HOST_COORDINATOR);
}

static bool on_school_side(const struct store_user *user, const struct store_agreement *a)
{
    return account_is_member(user, a->school_id, ROLE_SCHOOL_COORDINATOR);
}

static bool visible(const struct store_user *user, const struct store_agreement *a)
{
    return account_has_role(user, ROLE_STAFF) || on_host_side(user, a) || on_school_side(user, a);
}

bool agreement_may_activate(const struct store_user *user, const struct store_agreement *a)
{
    enum agreement_side proposed = agreement_side_parse(a->proposed_side);
    return proposed == AGREEMENT_SIDE_HOST ? on_school_side(user, a) : on_host_side(user, a);
}

/* Tells a side's coordinators (in the app and by email). */
static void notify_side(struct db_conn *conn, struct arena *arena, const char *organization_id, enum role role,
                        const char *kind, const char *title, const char *link, int64_t now)
{
    struct store_member *members = NULL;
    size_t count = 0;
    if (store_organization_members(conn, arena, organization_id, role_name(role), &members, &count) != DB_OK)
        return;
    for (size_t i = 0; i < count; i++) {
        struct recipient to = {members[i].user_id, members[i].email};
        notify(conn, arena, &to, kind, title, link, now);
    }
}

/* The link of an agreement's page. */
static const char *agreement_link(struct arena *arena, const char *id)
{
    struct buf b;
    buf_init(&b, arena, BUF_CAP_LINE);
    buf_appendf(&b, "/agreements/%s", id);
    return buf_ok(&b) ? b.data : "/agreements";
}

/* "Affiliation agreement: HOST and SCHOOL " + what happened. */
static const char *agreement_title(struct arena *arena, const struct store_agreement *a, const char *what)
{
    struct buf b;
    buf_init(&b, arena, BUF_CAP_LINE);
    buf_appendf(&b, "Affiliation agreement between %s and %s %s", a->host_name, a->school_name, what);
    return buf_ok(&b) ? b.data : "An affiliation agreement changed";
}

/* Tells the side that did not act (or both, when acted_side is unknown). */
static void notify_parties(struct db_conn *conn, struct arena *arena, const struct store_agreement *a,
                           enum agreement_side acted_side, const char *kind, const char *what, int64_t now)
{
    const char *title = agreement_title(arena, a, what), *link = agreement_link(arena, a->id);
    if (acted_side != AGREEMENT_SIDE_HOST)
        notify_side(conn, arena, a->host_id, ROLE_HOST_COORDINATOR, kind, title, link, now);
    if (acted_side != AGREEMENT_SIDE_SCHOOL)
        notify_side(conn, arena, a->school_id, ROLE_SCHOOL_COORDINATOR, kind, title, link, now);
}

static const char *audit_detail(struct arena *arena, const struct store_agreement *a, const char *extra)
{
    struct buf b;
    buf_init(&b, arena, BUF_CAP_SMALL);
    buf_appendf(&b, "host_id=%s school_id=%s %s..%s%s%s", a->host_id, a->school_id, a->start_date, a->end_date,
                extra != NULL ? " " : "", extra != NULL ? extra : "");
    return buf_ok(&b) ? b.data : "";
}

/* ---- proposing ---- */

static int check_organization(struct db_conn *conn, struct arena *arena, const char *id, enum organization_kind want,
                              const char *field, struct error *err)
{
    const char *kind = NULL;
    int rc = id != NULL && id[0] != '\0' && strlen(id) <= ID_MAX_BYTES
                 ? store_organization_kind(conn, arena, id, &kind)
                 : DB_DONE;
    if (rc == DB_ROW && organization_kind_parse(kind) == want)
        return 0;
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    return error_set(err, ERR_UNPROCESSABLE, field, want == ORGANIZATION_HOST ? "there is no host with this id"
                                                                              : "there is no school with this id");
}

static int check_dates(const struct agreement_proposal *p, struct error *err)
{
    if (p->start_date == NULL || !json_date_valid(p->start_date))
        return error_set(err, ERR_VALIDATION_FAILED, "start_date", "give the first day covered as YYYY-MM-DD");
    if (p->end_date == NULL || !json_date_valid(p->end_date))
        return error_set(err, ERR_VALIDATION_FAILED, "end_date", "give the last day covered as YYYY-MM-DD");
    if (strcmp(p->end_date, p->start_date) < 0)
        return error_set(err, ERR_VALIDATION_FAILED, "end_date", "the end date must not be before the start date");
    char today[11];
    clock_today(today);
    if (strcmp(p->end_date, today) < 0)
        return error_set(err, ERR_VALIDATION_FAILED, "end_date", "the end date has already passed");
    return 0;
}

struct propose_ctx {
    struct arena *arena;
    const struct store_user *user;
    struct store_agreement *row;
    struct store_agreement *out;
};

static int propose_tx(struct db_conn *conn, void *ctx)
{
    struct propose_ctx *c = ctx;
    int rc = store_agreement_insert(conn, c->row);
    if (rc == DB_OK)
        rc = store_agreement_get(conn, c->arena, c->row->id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, AUDIT_AGREEMENT_PROPOSE, AUDIT_ON_AGREEMENT, c->out->id,
                             audit_detail(c->arena, c->out, c->out->proposed_side), c->row->created_at);
    if (rc == DB_OK)
        notify_parties(conn, c->arena, c->out, agreement_side_parse(c->out->proposed_side), "agreement_proposed",
                       "is proposed: review and sign it", c->row->created_at);
    return rc;
}

int agreement_propose(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                      const struct agreement_proposal *p, struct store_agreement *out, struct error *err)
{
    err->code = ERR_NONE;
    bool host_side = p->host_id != NULL && account_is_member(user, p->host_id, ROLE_HOST_COORDINATOR);
    bool school_side = p->school_id != NULL && account_is_member(user, p->school_id, ROLE_SCHOOL_COORDINATOR);
    if (!host_side && !school_side)
        return error_set(err, ERR_NOT_FOUND, NULL, "propose an agreement for a host or a school you coordinate");
    if (check_organization(conn, arena, p->host_id, ORGANIZATION_HOST, "host_id", err) != 0 ||
        check_organization(conn, arena, p->school_id, ORGANIZATION_SCHOOL, "school_id", err) != 0 ||
        check_dates(p, err) != 0)
        return -1;
    char id[ID_MAX_BYTES + 1];
    crypto_random_id("ag_", id, sizeof(id));
    struct store_agreement row = {
        .id = id,
        .host_id = p->host_id,
        .school_id = p->school_id,
        .start_date = p->start_date,
        .end_date = p->end_date,
        .status = agreement_status_name(AGREEMENT_PROPOSED),
        .proposed_side = agreement_side_name(host_side ? AGREEMENT_SIDE_HOST : AGREEMENT_SIDE_SCHOOL),
        .proposed_by = user->id,
        .created_at = clock_now(),
    };
    struct propose_ctx c = {arena, user, &row, out};
    if (db_run_tx(conn, true, propose_tx, &c) != DB_OK)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    return 0;
}

/* ---- reading ---- */

int agreement_get_visible(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                          struct store_agreement *out, struct error *err)
{
    err->code = ERR_NONE;
    int rc = id != NULL && id[0] != '\0' && strlen(id) <= ID_MAX_BYTES ? store_agreement_get(conn, arena, id, out)
                                                                        : DB_DONE;
    if (rc == DB_ROW && visible(user, out))
        return 0;
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    return error_set(err, ERR_NOT_FOUND, NULL, "no such agreement");
}

/* Appends the organisation's page of agreements not already in the list. */
static int add_agreements(struct db_conn *conn, struct arena *arena, struct store_agreements_filter f,
                          struct store_agreement **all, size_t *count, size_t *capacity)
{
    struct store_agreement *items = NULL;
    size_t n = 0;
    int rc = store_agreements_page(conn, arena, &f, &items, &n);
    for (size_t i = 0; rc == DB_OK && i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < *count && !seen; j++)
            seen = strcmp((*all)[j].id, items[i].id) == 0;
        if (seen)
            continue;
        if (*count == *capacity) {
            size_t grown = *capacity == 0 ? 16 : *capacity * 2;
            struct store_agreement *bigger = arena_alloc(arena, grown * sizeof(*bigger));
            if (bigger == NULL)
                return DB_ERROR;
            if (*count > 0)
                memcpy(bigger, *all, *count * sizeof(*bigger));
            *all = bigger;
            *capacity = grown;
        }
        (*all)[(*count)++] = items[i];
    }
    return rc;
}

/* Newest first, then by id (the store's order). */
static int compare_agreements(const void *a, const void *b)
{
    const struct store_agreement *x = a, *y = b;
    if (x->created_at != y->created_at)
        return x->created_at > y->created_at ? -1 : 1;
    return strcmp(x->id, y->id);
}

int agreement_list(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                   const struct agreement_page *page, struct store_agreement **out, size_t *count, struct error *err)
{
    err->code = ERR_NONE;
    *out = NULL;
    *count = 0;
    struct store_agreements_filter f = {.after_created_at = page->after_created_at, .after_id = page->after_id,
                                        .limit = page->limit};
    if (account_has_role(user, ROLE_STAFF))
        return store_agreements_page(conn, arena, &f, out, count) == DB_OK ? 0
                                                                            : error_set(err, ERR_INTERNAL, NULL, NULL);
    size_t capacity = 0;
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < user->membership_count; i++) {
        enum role role = role_parse(user->memberships[i].role);
        f.organization_id = user->memberships[i].organization_id;
        if (role == ROLE_HOST_COORDINATOR || role == ROLE_SCHOOL_COORDINATOR)
            rc = add_agreements(conn, arena, f, out, count, &capacity);
    }
    if (rc != DB_OK)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    /* Each organisation gave its page: merged, the first `limit` of them are the page. */
    if (*count > 1)
        qsort(*out, *count, sizeof(**out), compare_agreements);
    if (*count > (size_t)page->limit)
        *count = (size_t)page->limit;
    return 0;
}

int agreement_read_file(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                        struct store_agreement *out, const char **data, size_t *len, struct error *err)
{
    if (agreement_get_visible(conn, arena, user, id, out, err) != 0)
        return -1;
    if (out->file_address == NULL)
        return error_set(err, ERR_NOT_FOUND, NULL, "this agreement has no signed file yet");
    if (blobs_get(arena, out->file_address, data, len) != 0)
        return error_set(err, ERR_UNAVAILABLE, NULL, "the file cannot be read now; try again later");
    if (store_audit_add(conn, user->id, AUDIT_AGREEMENT_FILE_READ, AUDIT_ON_AGREEMENT, out->id, "", clock_now()) !=
        DB_OK)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    return 0;
}

/* ---- activating, terminating ---- */

struct move_ctx {
    struct arena *arena;
    const struct store_user *user;
    const char *id, *reason, *file_address;
    int64_t file_bytes;
    bool activate;
    struct store_agreement *out;
    struct error *err;
};

static int move_tx(struct db_conn *conn, void *ctx)
{
    struct move_ctx *c = ctx;
    int64_t now = clock_now();
    int rc = c->activate ? store_agreement_activate(conn, c->id, c->user->id, c->file_address, c->file_bytes, now)
                         : store_agreement_terminate(conn, c->id, c->user->id, c->reason, now);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_INVALID_TRANSITION, NULL,
                  c->activate ? "only a proposed agreement can be activated"
                              : "this agreement has already ended (expired or terminated)");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc == DB_OK)
        rc = store_agreement_get(conn, c->arena, c->id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, c->activate ? AUDIT_AGREEMENT_ACTIVATE : AUDIT_AGREEMENT_TERMINATE,
                             AUDIT_ON_AGREEMENT, c->id,
                             audit_detail(c->arena, c->out, c->activate ? NULL : "reason given"), now);
    if (rc == DB_OK) {
        enum agreement_side acted = on_host_side(c->user, c->out)     ? AGREEMENT_SIDE_HOST
                                    : on_school_side(c->user, c->out) ? AGREEMENT_SIDE_SCHOOL
                                                                      : AGREEMENT_SIDE_UNKNOWN;
        notify_parties(conn, c->arena, c->out, acted, c->activate ? "agreement_active" : "agreement_terminated",
                       c->activate ? "is signed and active" : "was terminated", now);
    }
    return rc;
}

static int run_move(struct db_conn *conn, struct move_ctx *c)
{
    int rc = db_run_tx(conn, true, move_tx, c);
    if (rc == DB_OK)
        return 0;
    if (c->err->code == ERR_NONE)
        error_set(c->err, ERR_INTERNAL, NULL, NULL);
    return -1;
}

/* The signed file: present, within the documents' cap, a PDF by its content. */
static int check_signed_file(const char *data, size_t len, struct error *err)
{
    if (data == NULL || len == 0)
        return error_set(err, ERR_VALIDATION_FAILED, "file", "attach the signed agreement as a PDF file");
    if (len > documents_max_file_bytes())
        return error_set(err, ERR_PAYLOAD_TOO_LARGE, "file", "the signed agreement is larger than a file may be");
    const char *type = document_sniff(data, len);
    if (type == NULL || strcmp(type, "application/pdf") != 0)
        return error_set(err, ERR_UNSUPPORTED_MEDIA_TYPE, "file", "the signed agreement must be a PDF file");
    return 0;
}

int agreement_activate(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                       const char *data, size_t len, struct store_agreement *out, struct error *err)
{
    struct store_agreement current;
    if (agreement_get_visible(conn, arena, user, id, &current, err) != 0)
        return -1;
    if (!agreement_may_activate(user, &current))
        return error_set(err, ERR_FORBIDDEN, NULL, "the other side activates the agreement it was proposed");
    if (agreement_status_of(&current) != AGREEMENT_PROPOSED)
        return error_set(err, ERR_INVALID_TRANSITION, NULL, "only a proposed agreement can be activated");
    if (check_signed_file(data, len, err) != 0)
        return -1;
    char today[11];
    clock_today(today);
    if (strcmp(current.end_date, today) < 0)
        return error_set(err, ERR_UNPROCESSABLE, "end_date", "this agreement's end date has passed: propose a new one");
    char address[65];
    if (blobs_put(data, len, address) != 0)
        return error_set(err, ERR_UNAVAILABLE, NULL, "the file could not be stored; try again later");
    struct move_ctx c = {.arena = arena, .user = user, .id = current.id, .file_address = address,
                         .file_bytes = (int64_t)len, .activate = true, .out = out, .err = err};
    return run_move(conn, &c);
}

int agreement_terminate(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                        const char *reason, struct store_agreement *out, struct error *err)
{
    struct store_agreement current;
    if (agreement_get_visible(conn, arena, user, id, &current, err) != 0)
        return -1;
    const char *trimmed = NULL;
    if (validate_reason(arena, reason, "say why the agreement is terminated", &trimmed, err) != 0)
        return -1;
    struct move_ctx c = {.arena = arena, .user = user, .id = current.id, .reason = trimmed, .out = out, .err = err};
    return run_move(conn, &c);
}

/* ---- the jobs ---- */

struct job_ctx {
    struct arena *arena;
    const struct store_agreement *a;
    int64_t bits; /* reminder bits to claim (0: expire) */
    int days_before;
    bool done;
};

/* The reminder, by email to both sides' coordinators (and in the app). */
static void remind(struct db_conn *conn, struct arena *arena, const struct store_agreement *a, int days_before,
                   int64_t now)
{
    struct buf what;
    buf_init(&what, arena, BUF_CAP_LINE);
    buf_appendf(&what, "ends on %s (in %d days): renew it in time", a->end_date, days_before);
    notify_parties(conn, arena, a, AGREEMENT_SIDE_UNKNOWN, "agreement_ending",
                   buf_ok(&what) ? what.data : "ends soon", now);
}

static int job_tx(struct db_conn *conn, void *ctx)
{
    struct job_ctx *c = ctx;
    int64_t now = clock_now();
    c->done = false;
    int rc = c->bits == 0 ? store_agreement_expire(conn, c->a->id, now)
                          : store_agreement_claim_reminder(conn, c->a->id, c->bits);
    if (rc == DB_DONE)
        return DB_OK; /* another instance did it */
    if (rc != DB_OK)
        return rc;
    c->done = true;
    if (c->bits == 0) {
        rc = store_audit_add(conn, NULL, AUDIT_AGREEMENT_EXPIRE, AUDIT_ON_AGREEMENT, c->a->id,
                             audit_detail(c->arena, c->a, NULL), now);
        if (rc == DB_OK)
            notify_parties(conn, c->arena, c->a, AGREEMENT_SIDE_UNKNOWN, "agreement_expired", "has expired", now);
        return rc;
    }
    remind(conn, c->arena, c->a, c->days_before, now);
    return DB_OK;
}

static int expire_due(struct db_conn *conn, struct arena *arena, const char *today, int *expired)
{
    struct store_agreement *due = NULL;
    size_t count = 0;
    int rc = store_agreements_past_end(conn, arena, today, AGREEMENT_JOB_BATCH, &due, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        struct job_ctx c = {.arena = arena, .a = &due[i]};
        rc = db_run_tx(conn, true, job_tx, &c);
        if (rc == DB_OK && c.done)
            (*expired)++;
    }
    return rc;
}

static int send_reminders(struct db_conn *conn, struct arena *arena, int32_t today_days, const char *today,
                          int *reminders)
{
    char through[11];
    clock_date_from_days(today_days + AGREEMENT_REMIND_FIRST_DAYS, through);
    struct store_agreement *ending = NULL;
    size_t count = 0;
    int rc = store_agreements_ending(conn, arena, today, through, AGREEMENT_JOB_BATCH, &ending, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        const struct store_agreement *a = &ending[i];
        int32_t left = clock_days_from_date(a->end_date) - today_days;
        bool second = left <= AGREEMENT_REMIND_SECOND_DAYS;
        int64_t bit = second ? AGREEMENT_REMINDED_30 : AGREEMENT_REMINDED_60;
        if ((a->reminders & bit) != 0)
            continue;
        /* Within 30 days the 60-day reminder is past: the 30-day one stands for both. */
        struct job_ctx c = {.arena = arena,
                            .a = a,
                            .bits = second ? AGREEMENT_REMINDED_30 | AGREEMENT_REMINDED_60 : bit,
                            .days_before = (int)left};
        rc = db_run_tx(conn, true, job_tx, &c);
        if (rc == DB_OK && c.done)
            (*reminders)++;
    }
    return rc;
}

int agreements_run_jobs(struct db_conn *conn, struct arena *arena, int *expired, int *reminders)
{
    char today[11];
    int32_t today_days = clock_today_days();
    clock_date_from_days(today_days, today);
    int rc = expire_due(conn, arena, today, expired);
    if (rc == DB_OK)
        rc = send_reminders(conn, arena, today_days, today, reminders);
    return rc;
}

/* ---- eligibility ---- */

bool affiliation_covers(const struct store_affiliation *list, size_t count, const char *host_id,
                        const char *block_start, const char *block_end)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(list[i].host_id, host_id) == 0 && strcmp(list[i].start_date, block_start) <= 0 &&
            strcmp(list[i].end_date, block_end) >= 0)
            return true;
    }
    return false;
}

int affiliation_load(struct db_conn *conn, struct arena *arena, const char *student_id,
                     struct store_affiliation **out, size_t *count)
{
    return store_student_affiliations(conn, arena, student_id, out, count);
}
