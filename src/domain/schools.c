/* schools.c — partner schools and their students; see schools.h. */
#include "domain/schools.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/documents.h"
#include "domain/notify.h"
#include "domain/validate.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "lib/tz_words.h"
#include "store/evaluations.h"
#include "store/rotation.h"

#define DAY 86400

static bool given(const char *s)
{
    return s != NULL && s[0] != '\0';
}

bool school_may_manage(const struct store_user *user, const char *school_id)
{
    if (user == NULL || school_id == NULL)
        return false;
    if (account_has_role(user, ROLE_STAFF))
        return true;
    return account_is_member(user, school_id, ROLE_SCHOOL_COORDINATOR);
}

/* The school (an organisation of kind school): DB_ROW, DB_DONE, or the store's failure. */
static int school_get(struct db_conn *conn, struct arena *arena, const char *school_id, struct store_organization *out)
{
    const char *kind = NULL;
    int rc = store_organization_kind(conn, arena, school_id, &kind);
    if (rc != DB_ROW)
        return rc;
    if (organization_kind_parse(kind) != ORGANIZATION_SCHOOL)
        return DB_DONE;
    struct store_organization *all = NULL;
    size_t count = 0;
    rc = store_schools_list(conn, arena, &all, &count);
    if (rc != DB_OK)
        return rc;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(all[i].id, school_id) == 0) {
            *out = all[i];
            return DB_ROW;
        }
    }
    return DB_DONE;
}

int school_managed(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *school_id,
                   struct store_organization *out, struct error *err)
{
    if (!given(school_id) || !school_may_manage(user, school_id))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such school");
    int rc = school_get(conn, arena, school_id, out);
    if (rc == DB_ROW)
        return 0;
    return error_set(err, rc == DB_DONE ? ERR_NOT_FOUND : ERR_INTERNAL, NULL, rc == DB_DONE ? "no such school" : NULL);
}

/* Tells the school's coordinators (in the app and by email). */
static void notify_coordinators(struct db_conn *conn, struct arena *arena, const char *school_id, const char *kind,
                                const char *title, const char *link, int64_t now)
{
    struct store_member *members = NULL;
    size_t count = 0;
    if (store_organization_members(conn, arena, school_id, role_name(ROLE_SCHOOL_COORDINATOR), &members, &count) != DB_OK)
        return;
    for (size_t i = 0; i < count; i++) {
        struct recipient to = {members[i].user_id, members[i].email};
        notify(conn, arena, &to, kind, title, link, now);
    }
}

/* a + b + c, for titles of notifications ("" when too long). */
static const char *join(struct arena *arena, const char *a, const char *b, const char *c)
{
    struct buf t;
    buf_init(&t, arena, BUF_CAP_LINE);
    buf_append_str(&t, a != NULL ? a : "");
    buf_append_str(&t, b != NULL ? b : "");
    buf_append_str(&t, c != NULL ? c : "");
    return buf_ok(&t) ? t.data : "";
}

/* ---- invitations ---- */

struct invite_ctx {
    struct arena *arena;
    const struct store_user *coordinator;
    const struct store_organization *school;
    struct school_invite_report *out;
    struct error *err;
    int64_t upload_seq; /* this upload's number among the school's */
};

/* The invitation mail with its link. The addressee may not know Rounds:
 * the names (written by the school's coordinator and by staff) are quoted as
 * given and defanged (notify_quote), the subject carries none of them, and
 * the only link is Rounds' own. The link's end is in the time zone of the
 * account the address belongs to (zone), or in UTC, saying so, for an address
 * without one. */
static void mail_invitation(struct db_conn *conn, struct arena *arena, const struct invite_ctx *c,
                            const struct school_csv_row *row, const char *token, int64_t expires_at, const char *zone,
                            int64_t now)
{
    const struct store_organization *school = c->school;
    char expires[TZ_INSTANT_WORDS_SIZE];
    tz_instant_words(zone, expires_at, expires);
    struct buf body;
    buf_init(&body, arena, BUF_CAP_OBJECT);
    buf_append_str(&body, "Hello,\n\nA partner school on Rounds invites you to link your Rounds account to it. "
                          "The names below were written by the school; Rounds quotes them as given:\n\n");
    buf_appendf(&body, "  School: %s\n", notify_quote(arena, school->name, BUF_CAP_LINE));
    buf_appendf(&body, "  Student invited: %s\n", notify_quote(arena, row->name, BUF_CAP_LINE));
    buf_appendf(&body, "  Invited by: %s\n\n", notify_quote(arena, c->coordinator->name, BUF_CAP_LINE));
    buf_append_str(&body, "With your consent the school's coordinators see your applications and placements, your "
                          "onboarding checklists, your confirmed hours and your Match readiness — never the "
                          "content of your letters of recommendation, and never your documents' files. You can leave "
                          "the school at any time from your account.\n\nTo accept (you can create an account with "
                          "this address first):\n");
    buf_appendf(&body, "%s/invitations/schools/%s\n\nThis link works until %s. If you do not know this school, "
                       "ignore this email: nothing is shared unless you accept.\n\n-- \nRounds\n",
                notify_public_url(), token, expires);
    if (!buf_ok(&body)) {
        log_warn("msg=\"school invitation not queued\" school_id=%s", school->id);
        return;
    }
    notify_email(conn, arena, row->email, "school_invitation", "An invitation to link your Rounds account to a school",
                 body.data, now);
}

/* Appends line to the list *lines of *count: DB_OK, or DB_ERROR out of memory. */
static int add_line(struct arena *arena, uint32_t **lines, size_t *count, uint32_t line)
{
    uint32_t *grown = arena_alloc(arena, (*count + 1) * sizeof(uint32_t));
    if (grown == NULL)
        return DB_ERROR;
    if (*count > 0)
        memcpy(grown, *lines, *count * sizeof(uint32_t));
    grown[(*count)++] = line;
    *lines = grown;
    return DB_OK;
}

/* The invitation of row (new, or sent again with a fresh link) stored and
 * emailed, and a student with the address (existing, NULL for a bare
 * address) told in the app too; counted in c->out->invited. */
static int send_invitation(struct db_conn *conn, struct invite_ctx *c, const struct school_csv_row *row,
                           const struct store_user *existing, int64_t now)
{
    char id[48], token[44], hash[65];
    crypto_sortable_id("si_", clock_now_ms(), id, sizeof(id));
    crypto_random_token(token);
    crypto_hash_token(token, hash);
    struct store_school_invitation inv = {
        .id = id,
        .organization_id = c->school->id,
        .email = row->email,
        .name = row->name,
        .graduation_year = row->graduation_year,
        .invited_by = c->coordinator->id,
        .created_at = now,
        .expires_at = now + (int64_t)SCHOOL_INVITATION_DAYS * DAY,
        .upload_seq = c->upload_seq,
        .upload_line = row->line,
    };
    int rc = store_school_invitation_put(conn, &inv, hash);
    if (rc != DB_OK)
        return rc;
    mail_invitation(conn, c->arena, c, row, token, inv.expires_at, existing != NULL ? existing->time_zone : NULL, now);
    /* A student with this address is told in the app too (the email went:
     * an address not confirmed is held, not sent). */
    if (existing != NULL && account_has_role(existing, ROLE_STUDENT)) {
        struct recipient to = {existing->id, NULL};
        notify(conn, c->arena, &to, "school_invitation",
               join(c->arena, c->school->name, " invites you to join it: accept with the link in the email we sent you",
                    NULL),
               "/me/schools", now);
    }
    explicit_bzero(token, sizeof(token));
    c->out->invited++;
    return DB_OK;
}

/* Keeps row's invitation until the address is confirmed (one hold per school
 * and address: uploading the line again refreshes it); listed in held_lines. */
static int hold_invitation(struct db_conn *conn, struct invite_ctx *c, const struct school_csv_row *row, int64_t now)
{
    char id[48];
    crypto_sortable_id("sih_", clock_now_ms(), id, sizeof(id));
    struct store_school_invitation hold = {
        .id = id,
        .organization_id = c->school->id,
        .email = row->email,
        .name = row->name,
        .graduation_year = row->graduation_year,
        .invited_by = c->coordinator->id,
        .created_at = now,
        .upload_seq = c->upload_seq,
        .upload_line = row->line,
    };
    int rc = store_school_hold_put(conn, &hold);
    return rc == DB_OK ? add_line(c->arena, &c->out->held_lines, &c->out->held_count, row->line) : rc;
}

/* One good row: skipped when the address belongs to a student already linked;
 * held (no email now, an earlier invitation and its link kept) when it
 * belongs to an account that has not confirmed it, whose mail notify_email
 * would drop; else an invitation (new, or sent again with a fresh link). */
static int invite_row(struct db_conn *conn, struct invite_ctx *c, const struct school_csv_row *row, int64_t now)
{
    struct store_user existing = {0};
    int rc = store_user_by_email(conn, c->arena, row->email, &existing);
    if (rc != DB_ROW && rc != DB_DONE)
        return rc;
    bool has_account = rc == DB_ROW;
    if (has_account) {
        struct store_school_student link;
        int lrc = store_school_student_get(conn, c->arena, c->school->id, existing.id, &link);
        if (lrc != DB_ROW && lrc != DB_DONE)
            return lrc;
        if (lrc == DB_ROW && school_link_status_parse(link.status) == SCHOOL_LINK_ACTIVE)
            return add_line(c->arena, &c->out->already_lines, &c->out->already_count, row->line);
        bool held = false;
        if ((lrc = notify_email_held(conn, row->email, &held)) != DB_OK)
            return lrc;
        if (held)
            return hold_invitation(conn, c, row, now);
    }
    return send_invitation(conn, c, row, has_account ? &existing : NULL, now);
}

/* The daily limit, once the upload's invitations are counted: DB_OK, or
 * DB_CONSTRAINT with the error set (everything rolls back). */
static int check_daily_limit(struct db_conn *conn, struct invite_ctx *c, int64_t now)
{
    int64_t sent = 0, first_at = 0;
    int rc = store_school_invites_since(conn, c->school->id, now - DAY, &sent, &first_at);
    if (rc != DB_OK || sent + (int64_t)c->out->invited <= SCHOOL_INVITES_PER_DAY)
        return rc;
    c->out->retry_after = first_at > 0 && first_at + DAY - now > 0 ? first_at + DAY - now : DAY;
    char *detail = arena_alloc(c->arena, 256);
    if (detail != NULL)
        snprintf(detail, 256,
                 "this file would send %zu invitations and the school has sent %lld in the last 24 hours: a school "
                 "sends at most " LIMIT_TEXT(SCHOOL_INVITES_PER_DAY) " a day; nobody was invited, try again later",
                 c->out->invited, (long long)sent);
    error_set(c->err, ERR_RATE_LIMITED, NULL, detail);
    return DB_CONSTRAINT; /* roll back: the error says why */
}

static int invite_tx(struct db_conn *conn, void *ctx)
{
    struct invite_ctx *c = ctx;
    int64_t now = clock_now();
    c->out->invited = 0;
    c->out->already_count = 0;
    c->out->already_lines = NULL;
    c->out->held_count = 0;
    c->out->held_lines = NULL;
    int rc = store_school_lock(conn, c->school->id); /* uploads of one school counted one after the other */
    if (rc == DB_OK)
        rc = store_school_invitation_next_upload(conn, c->school->id, &c->upload_seq);
    for (size_t i = 0; rc == DB_OK && i < c->out->csv.row_count; i++)
        rc = invite_row(conn, c, &c->out->csv.rows[i], now);
    if (rc == DB_OK)
        rc = check_daily_limit(conn, c, now);
    if (rc != DB_OK)
        return rc == DB_DONE ? DB_ERROR : rc;
    if (c->out->invited > 0) {
        char id[48];
        crypto_sortable_id("sib_", clock_now_ms(), id, sizeof(id));
        rc = store_school_invite_batch_add(conn, id, c->school->id, (int64_t)c->out->invited, now);
    }
    char detail[64];
    snprintf(detail, sizeof(detail), "%zu invited, %zu refused", c->out->invited, c->out->csv.problem_count);
    return rc == DB_OK ? store_audit_add(conn, c->coordinator->id, AUDIT_SCHOOL_INVITE, AUDIT_ON_ORGANIZATION,
                                         c->school->id, detail, now)
                       : rc;
}

int school_invite_csv(struct db_conn *conn, struct arena *arena, const struct store_user *coordinator,
                      const char *school_id, const char *csv, size_t len, struct school_invite_report *out,
                      struct error *err)
{
    memset(out, 0, sizeof(*out));
    struct store_organization school;
    if (school_managed(conn, arena, coordinator, school_id, &school, err) != 0)
        return -1;
    if (school_csv_parse(csv, len, arena, &out->csv, err) != 0)
        return -1;
    if (out->csv.row_count == 0) /* every line refused: nothing to store or send */
        return error_set(err, ERR_INVITE_NO_USABLE_LINE, "file",
                         "no line of the file can be used: correct the lines listed and upload the file again");
    struct invite_ctx c = {arena, coordinator, &school, out, err, 0};
    int rc = db_run_tx(conn, true, invite_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    if (rc != DB_OK)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    return 0;
}

/* ---- invitations held until the address is confirmed ---- */

/* Why a hold is not sent (for the log), or NULL when it may be: older than an
 * invitation's life, its uploader no longer manages the school, the student
 * linked already, or the school's daily limit reached. *inviter filled. */
static int hold_refusal(struct db_conn *conn, struct arena *arena, const struct store_school_invitation *hold,
                        const struct store_user *student, struct store_user *inviter, int64_t now, const char **why)
{
    *why = "expired";
    if (hold->created_at + (int64_t)SCHOOL_INVITATION_DAYS * DAY <= now)
        return DB_OK;
    *why = "uploader_gone";
    int rc = store_user_by_id(conn, arena, hold->invited_by, inviter);
    if (rc == DB_DONE || (rc == DB_ROW && !school_may_manage(inviter, hold->organization_id)))
        return DB_OK;
    if (rc != DB_ROW)
        return rc;
    *why = "already_linked";
    struct store_school_student link;
    rc = store_school_student_get(conn, arena, hold->organization_id, student->id, &link);
    if (rc == DB_ROW && school_link_status_parse(link.status) == SCHOOL_LINK_ACTIVE)
        return DB_OK;
    if (rc != DB_ROW && rc != DB_DONE)
        return rc;
    *why = "daily_limit";
    int64_t sent = 0, first_at = 0;
    rc = store_school_invites_since(conn, hold->organization_id, now - DAY, &sent, &first_at);
    if (rc == DB_OK && sent < SCHOOL_INVITES_PER_DAY)
        *why = NULL;
    return rc;
}

/* Sends one hold as its upload would have (an email counted against the
 * school's daily limit, a notice), or logs why not; the hold is gone either way. */
static int release_hold(struct db_conn *conn, struct arena *arena, const struct store_school_invitation *hold,
                        const struct store_user *student, int64_t now)
{
    /* The school first, as an upload takes it (then its holds): counted after the uploads before it. */
    int rc = store_school_lock(conn, hold->organization_id);
    if (rc == DB_OK)
        rc = store_school_hold_delete(conn, hold->organization_id, hold->email);
    struct store_user inviter = {0};
    const char *why = NULL;
    if (rc == DB_OK)
        rc = hold_refusal(conn, arena, hold, student, &inviter, now, &why);
    struct store_organization school;
    if (rc == DB_OK && why == NULL && school_get(conn, arena, hold->organization_id, &school) != DB_ROW)
        why = "no_school";
    if (rc != DB_OK || why != NULL) {
        if (rc == DB_OK)
            log_info("msg=\"held school invitation not sent\" school_id=%s reason=%s", hold->organization_id, why);
        return rc == DB_DONE ? DB_OK : rc;
    }
    struct school_invite_report report = {0};
    struct invite_ctx c = {arena, &inviter, &school, &report, NULL, hold->upload_seq};
    struct school_csv_row row = {(uint32_t)hold->upload_line, hold->name, hold->email, hold->graduation_year};
    rc = send_invitation(conn, &c, &row, student, now);
    char id[48];
    crypto_sortable_id("sib_", clock_now_ms(), id, sizeof(id));
    return rc == DB_OK ? store_school_invite_batch_add(conn, id, hold->organization_id, 1, now) : rc;
}

int school_invitations_release(struct db_conn *conn, struct arena *arena, const char *user_id, int64_t now)
{
    struct store_user student;
    int rc = store_user_by_id(conn, arena, user_id, &student);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_OK : rc;
    char lowered[256];
    size_t n = 0;
    for (; student.email[n] != '\0' && n + 1 < sizeof(lowered); n++)
        lowered[n] = (char)tolower((unsigned char)student.email[n]);
    lowered[n] = '\0';
    struct store_school_invitation *holds = NULL;
    size_t count = 0;
    rc = store_school_holds_of_email(conn, arena, lowered, &holds, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++)
        rc = release_hold(conn, arena, &holds[i], &student, now);
    return rc;
}

int school_invitation_open(struct db_conn *conn, struct arena *arena, const char *token,
                           struct store_school_invitation *out, struct error *err)
{
    if (token == NULL || strlen(token) != 43)
        return error_set(err, ERR_NOT_FOUND, NULL, "this invitation link is not valid");
    char hash[65];
    crypto_hash_token(token, hash);
    int rc = store_school_invitation_by_token(conn, arena, hash, out);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "this invitation link is not valid");
    if (rc != DB_ROW)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    if (out->accepted_at > 0)
        return error_set(err, ERR_INVITATION_USED, NULL, "this invitation has already been accepted");
    if (out->expires_at <= clock_now())
        return error_set(err, ERR_INVITATION_EXPIRED, NULL, "this invitation has expired: ask the school for a new one");
    return 0;
}

struct accept_ctx {
    struct arena *arena;
    const struct store_user *student;
    const struct store_school_invitation *inv;
    struct store_school_student *out;
    struct error *err;
};

static int accept_tx(struct db_conn *conn, void *ctx)
{
    struct accept_ctx *c = ctx;
    int64_t now = clock_now();
    int rc = store_school_invitation_accept(conn, c->inv->id, c->student->id, now);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_INVITATION_USED, NULL, "this invitation has already been accepted");
        return DB_CONSTRAINT;
    }
    struct store_school_student link = {.organization_id = c->inv->organization_id,
                                        .student_id = c->student->id,
                                        .status = school_link_status_name(SCHOOL_LINK_ACTIVE),
                                        .graduation_year = c->inv->graduation_year,
                                        .updated_at = now};
    if (rc == DB_OK)
        rc = store_school_student_put(conn, &link);
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->student->id, AUDIT_SCHOOL_JOIN, AUDIT_ON_ORGANIZATION, c->inv->organization_id,
                             "invitation", now);
    if (rc == DB_OK)
        rc = store_school_student_get(conn, c->arena, c->inv->organization_id, c->student->id, c->out) == DB_ROW
                 ? DB_OK
                 : DB_ERROR;
    if (rc == DB_OK)
        notify_coordinators(conn, c->arena, c->inv->organization_id, "school_joined",
                            join(c->arena, c->student->name, " accepted the invitation to ", c->out->school_name),
                            "/school", now);
    return rc;
}

int school_invitation_accept(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                             const char *token, struct store_school_student *out, struct error *err)
{
    struct store_school_invitation inv;
    if (school_invitation_open(conn, arena, token, &inv, err) != 0)
        return -1;
    if (student == NULL || !account_has_role(student, ROLE_STUDENT))
        return error_set(err, ERR_FORBIDDEN, NULL, "only a student account can join a school");
    struct accept_ctx c = {arena, student, &inv, out, err};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, accept_tx, &c);
    if (rc == DB_OK)
        return 0;
    return err->code != ERR_NONE ? -1 : error_set(err, ERR_INTERNAL, NULL, NULL);
}

/* ---- asking, deciding, leaving ---- */

struct link_ctx {
    struct arena *arena;
    const struct store_user *actor;
    const char *school_id, *student_id, *note;
    bool approve;
    struct store_school_student *out;
    struct error *err;
};

static int ask_tx(struct db_conn *conn, void *ctx)
{
    struct link_ctx *c = ctx;
    int64_t now = clock_now();
    struct store_school_student current;
    int rc = store_school_student_get(conn, c->arena, c->school_id, c->actor->id, &current);
    if (rc != DB_ROW && rc != DB_DONE)
        return rc;
    enum school_link_status status = rc == DB_ROW ? school_link_status_parse(current.status) : SCHOOL_LINK_STATUS_UNKNOWN;
    if (status == SCHOOL_LINK_ACTIVE || status == SCHOOL_LINK_REQUESTED) {
        error_set(c->err, ERR_CONFLICT, NULL,
                  status == SCHOOL_LINK_ACTIVE ? "you are already linked to this school"
                                               : "you have already asked: the school has not answered yet");
        return DB_CONSTRAINT;
    }
    struct store_school_student link = {.organization_id = c->school_id,
                                        .student_id = c->actor->id,
                                        .status = school_link_status_name(SCHOOL_LINK_REQUESTED),
                                        .graduation_year = c->actor->profile.graduation_year,
                                        .updated_at = now};
    rc = store_school_student_put(conn, &link);
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->actor->id, AUDIT_SCHOOL_ASK, AUDIT_ON_ORGANIZATION, c->school_id, "", now);
    if (rc == DB_OK)
        rc = store_school_student_get(conn, c->arena, c->school_id, c->actor->id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    if (rc == DB_OK)
        notify_coordinators(conn, c->arena, c->school_id, "school_request",
                            join(c->arena, c->actor->name, " asks to join ", c->out->school_name), "/school", now);
    return rc;
}

int school_ask(struct db_conn *conn, struct arena *arena, const struct store_user *student, const char *school_id,
               struct store_school_student *out, struct error *err)
{
    if (student == NULL || !account_has_role(student, ROLE_STUDENT))
        return error_set(err, ERR_FORBIDDEN, NULL, "only a student account can join a school");
    struct store_organization school;
    int rc = given(school_id) ? school_get(conn, arena, school_id, &school) : DB_DONE;
    if (rc != DB_ROW)
        return error_set(err, rc == DB_DONE ? ERR_NOT_FOUND : ERR_INTERNAL, NULL, rc == DB_DONE ? "no such school" : NULL);
    struct link_ctx c = {.arena = arena, .actor = student, .school_id = school_id, .out = out, .err = err};
    err->code = ERR_NONE;
    rc = db_run_tx(conn, true, ask_tx, &c);
    if (rc == DB_OK)
        return 0;
    return err->code != ERR_NONE ? -1 : error_set(err, ERR_INTERNAL, NULL, NULL);
}

static int decide_tx(struct db_conn *conn, void *ctx)
{
    struct link_ctx *c = ctx;
    int64_t now = clock_now();
    const char *to = school_link_status_name(c->approve ? SCHOOL_LINK_ACTIVE : SCHOOL_LINK_REFUSED);
    int rc = store_school_student_move(conn, c->school_id, c->student_id,
                                       school_link_status_name(SCHOOL_LINK_REQUESTED), to, c->note, now);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_NOT_FOUND, NULL, "no request from this student is waiting");
        return DB_CONSTRAINT;
    }
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->actor->id, c->approve ? AUDIT_SCHOOL_APPROVE : AUDIT_SCHOOL_REFUSE, AUDIT_ON_USER,
                             c->student_id, c->school_id, now);
    if (rc == DB_OK)
        rc = store_school_student_get(conn, c->arena, c->school_id, c->student_id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    if (rc == DB_OK) {
        struct recipient to_student = {c->student_id, c->out->student_email};
        notify(conn, c->arena, &to_student, c->approve ? "school_approved" : "school_refused",
               join(c->arena, c->out->school_name,
                    c->approve ? " approved your request to join it" : " refused your request to join it", NULL),
               "/me/schools", now);
    }
    return rc;
}

int school_decide(struct db_conn *conn, struct arena *arena, const struct store_user *coordinator,
                  const char *school_id, const char *student_id, bool approve, const char *note,
                  struct store_school_student *out, struct error *err)
{
    struct store_organization school;
    if (school_managed(conn, arena, coordinator, school_id, &school, err) != 0)
        return -1;
    if (!given(student_id))
        return error_set(err, ERR_NOT_FOUND, NULL, "no request from this student is waiting");
    if (note != NULL && validate_text(note, "note", 0, SCHOOL_NOTE_MAX_CHARS, true, err) != 0)
        return -1;
    struct link_ctx c = {arena, coordinator, school_id, student_id, note != NULL ? note : "", approve, out, err};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, decide_tx, &c);
    if (rc == DB_OK)
        return 0;
    return err->code != ERR_NONE ? -1 : error_set(err, ERR_INTERNAL, NULL, NULL);
}

static int leave_tx(struct db_conn *conn, void *ctx)
{
    struct link_ctx *c = ctx;
    int64_t now = clock_now();
    const char *left = school_link_status_name(SCHOOL_LINK_LEFT);
    int rc = store_school_student_move(conn, c->school_id, c->actor->id,
                                       school_link_status_name(SCHOOL_LINK_ACTIVE), left, "", now);
    if (rc == DB_DONE)
        rc = store_school_student_move(conn, c->school_id, c->actor->id,
                                       school_link_status_name(SCHOOL_LINK_REQUESTED), left, "", now);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_NOT_FOUND, NULL, "you are not linked to this school");
        return DB_CONSTRAINT;
    }
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->actor->id, AUDIT_SCHOOL_LEAVE, AUDIT_ON_ORGANIZATION, c->school_id, "", now);
    if (rc == DB_OK)
        notify_coordinators(conn, c->arena, c->school_id, "school_left",
                            join(c->arena, c->actor->name, " left the school on Rounds", NULL), "/school", now);
    return rc;
}

int school_leave(struct db_conn *conn, struct arena *arena, const struct store_user *student, const char *school_id,
                 struct error *err)
{
    if (student == NULL || !given(school_id))
        return error_set(err, ERR_NOT_FOUND, NULL, "you are not linked to this school");
    struct link_ctx c = {.arena = arena, .actor = student, .school_id = school_id, .err = err};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, leave_tx, &c);
    if (rc != DB_OK)
        return err->code != ERR_NONE ? -1 : error_set(err, ERR_INTERNAL, NULL, NULL);
    /* The school has no say any more: what waited for its approval goes to the host. */
    struct store_application_filter f = {.home_school_id = school_id,
                                         .student_id = student->id,
                                         .status = application_status_name(APPLICATION_HOME_REVIEW),
                                         .limit = SCHOOL_APPROVALS_SHOWN};
    struct store_application *waiting = NULL;
    size_t count = 0;
    if (store_applications_list(conn, arena, &f, &waiting, &count) != DB_OK)
        count = 0;
    for (size_t i = 0; i < count; i++) {
        struct store_application moved = {0};
        struct error ignored = {0};
        if (strcmp(waiting[i].student_id, student->id) == 0 && strcmp(waiting[i].home_school_id, school_id) == 0)
            application_transition(conn, arena, waiting[i].id, "release", NULL, "the student left the school",
                                   &moved, &ignored);
    }
    return 0;
}

int school_set_home_approval(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                             const char *school_id, bool required, struct store_organization *school,
                             struct error *err)
{
    if (school_managed(conn, arena, user, school_id, school, err) != 0)
        return -1;
    int64_t now = clock_now();
    if (store_school_set_home_approval(conn, school_id, required, now) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    store_audit_add(conn, user->id, AUDIT_SCHOOL_HOME_APPROVAL, AUDIT_ON_ORGANIZATION, school_id,
                    required ? "on" : "off", now);
    return 0;
}

int school_approvals(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *school_id,
                     const char *status, struct store_application **out, size_t *count, struct error *err)
{
    struct store_organization school;
    if (school_managed(conn, arena, user, school_id, &school, err) != 0)
        return -1;
    struct store_application_filter f = {.home_school_id = school.id,
                                         .status = status != NULL ? status
                                                                  : application_status_name(APPLICATION_HOME_REVIEW),
                                         .limit = SCHOOL_APPROVALS_SHOWN};
    /* The list's filter is "any of": keep only this school's rows. */
    if (store_applications_list(conn, arena, &f, out, count) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    size_t kept = 0;
    for (size_t i = 0; i < *count; i++)
        if ((*out)[i].home_school_id != NULL && strcmp((*out)[i].home_school_id, school.id) == 0)
            (*out)[kept++] = (*out)[i];
    *count = kept;
    return 0;
}

/* ---- what a coordinator sees ---- */

/* The hours of a rotation under way or completed (NULL otherwise): DB_OK or the store's failure. */
static int student_hours(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                         struct school_student_hours **out)
{
    *out = NULL;
    enum application_status status = application_status_of(a);
    if (status != APPLICATION_IN_PROGRESS && status != APPLICATION_COMPLETED)
        return DB_OK;
    struct store_hours_entry *entries = NULL;
    size_t count = 0;
    int rc = store_hours_of_application(conn, arena, a->id, &entries, &count);
    struct school_student_hours *h = rc == DB_OK ? arena_calloc(arena, 1, sizeof(*h)) : NULL;
    if (h == NULL)
        return rc == DB_OK ? DB_ERROR : rc;
    for (size_t i = 0; i < count; i++) {
        enum hours_state state = hours_state_parse(entries[i].state);
        if (state == HOURS_CONFIRMED) {
            h->confirmed_minutes += entries[i].minutes;
            h->days_confirmed++;
        } else if (state == HOURS_LOGGED) {
            h->waiting_minutes += entries[i].minutes;
        } else if (state == HOURS_REFUSED) {
            h->days_refused++;
        }
    }
    *out = h;
    return DB_OK;
}

/* The preceptor's evaluation of a's student (NULL when none was submitted). */
static int student_evaluation(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                              struct school_student_evaluation **out)
{
    *out = NULL;
    if (application_status_of(a) != APPLICATION_COMPLETED)
        return DB_OK;
    struct school_student_evaluation *e = arena_calloc(arena, 1, sizeof(*e));
    if (e == NULL)
        return DB_ERROR;
    int rc = store_evaluation_get(conn, arena, a->id, &e->evaluation);
    if (rc == DB_DONE)
        return DB_OK;
    if (rc != DB_ROW)
        return rc;
    rc = store_addenda(conn, arena, a->id, &e->addenda, &e->addendum_count);
    if (rc == DB_OK)
        *out = e;
    return rc;
}

int school_student_view(struct db_conn *conn, struct arena *arena, const struct store_user *viewer,
                        const char *school_id, const char *student_id, struct school_student_view *out,
                        struct error *err)
{
    memset(out, 0, sizeof(*out));
    struct store_organization school;
    if (school_managed(conn, arena, viewer, school_id, &school, err) != 0)
        return -1;
    int rc = given(student_id) ? store_school_student_get(conn, arena, school_id, student_id, &out->link) : DB_DONE;
    if (rc == DB_ROW && school_link_status_parse(out->link.status) != SCHOOL_LINK_ACTIVE)
        rc = DB_DONE; /* no consent: as if there were no such student */
    if (rc == DB_ROW)
        rc = store_user_by_id(conn, arena, student_id, &out->student);
    if (rc != DB_ROW)
        return error_set(err, rc == DB_DONE ? ERR_NOT_FOUND : ERR_INTERNAL, NULL,
                         rc == DB_DONE ? "no such student at this school" : NULL);
    if (store_student_applications(conn, arena, student_id,
                                   "home_review,submitted,under_review,offered,held,booked,cleared,in_progress,completed,"
                                   "withdrawn,declined,offer_expired,hold_expired,cancelled_by_student,"
                                   "cancelled_by_host,no_show,refused_by_school",
                                   NULL, &out->applications, &out->application_count) != DB_OK ||
        readiness_for(conn, arena, &out->student, &out->readiness) != 0)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    out->compliance = arena_calloc(arena, out->application_count + 1, sizeof(struct compliance *));
    out->hours = arena_calloc(arena, out->application_count + 1, sizeof(struct school_student_hours *));
    out->evaluations = arena_calloc(arena, out->application_count + 1, sizeof(struct school_student_evaluation *));
    if (out->compliance == NULL || out->hours == NULL || out->evaluations == NULL)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    for (size_t i = 0; i < out->application_count; i++) {
        if (student_hours(conn, arena, &out->applications[i], &out->hours[i]) != DB_OK ||
            student_evaluation(conn, arena, &out->applications[i], &out->evaluations[i]) != DB_OK)
            return error_set(err, ERR_INTERNAL, NULL, NULL);
        if (!application_status_takes_seat(application_status_of(&out->applications[i])))
            continue;
        struct compliance *c = arena_calloc(arena, 1, sizeof(*c));
        if (c == NULL || compliance_for_application(conn, arena, &out->applications[i], c) != DB_OK)
            return error_set(err, ERR_INTERNAL, NULL, NULL);
        out->compliance[i] = c;
    }
    return 0;
}

int school_home_approval_for(struct db_conn *conn, struct arena *arena, const char *student_id, bool *required,
                             const char **school_id)
{
    *required = false;
    *school_id = NULL;
    struct store_school_student *links = NULL;
    size_t count = 0;
    int rc = store_student_schools(conn, arena, student_id, &links, &count);
    for (size_t i = 0; rc == DB_OK && i < count && !*required; i++) {
        if (school_link_status_parse(links[i].status) != SCHOOL_LINK_ACTIVE)
            continue;
        rc = store_school_home_approval(conn, links[i].organization_id, required);
        if (*required)
            *school_id = links[i].organization_id;
    }
    return rc;
}
