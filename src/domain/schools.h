/* schools.h — partner schools and their students (DESIGN.md §1: a school
 * coordinator sees its students' applications, placements and evaluations
 * with the student's consent).
 *
 * A student joins a school by accepting its invitation (sent by email from a
 * CSV the coordinator uploads) or by asking and being approved; the link is
 * always visible to the student, who can leave at any time. Only while the
 * link is active do the school's coordinators see the student: applications
 * and statuses, onboarding checklists, Match readiness — never a letter's
 * content and never a document's file. Anyone else, including another
 * school's coordinators, is told the student does not exist (404). */
#ifndef ROUNDS_DOMAIN_SCHOOLS_H
#define ROUNDS_DOMAIN_SCHOOLS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/documents.h"
#include "domain/readiness.h"
#include "domain/school_csv.h"
#include "domain/vocabulary.h"
#include "lib/errors.h"
#include "store/applications.h"
#include "store/evaluations.h"
#include "store/schools.h"


/* Whether the user manages the school: one of its coordinators, or staff. */
bool school_may_manage(const struct store_user *user, const char *school_id);

/* The school if the user manages it (DB_ROW), else 404 in err (-1). */
int school_managed(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *school_id,
                   struct store_organization *out, struct error *err);

/* ---- invitations ---- */

struct school_invite_report {
    struct school_csv csv;      /* the rows read and the lines refused */
    size_t invited;             /* invitations emailed now (new or sent again) */
    uint32_t *already_lines;    /* lines of students already linked (not invited again) */
    size_t already_count;
    /* Lines whose address belongs to an account that has not confirmed it:
     * Rounds emails such an address nothing (notify.h), so the invitation
     * is held (one per school and address) and sent when the address is
     * confirmed (school_invitations_release), unless it is older than an
     * invitation's life by then. */
    uint32_t *held_lines;
    size_t held_count;
    int64_t retry_after; /* seconds, when the daily limit refused the file */
};

/* The coordinator invites every good row of the CSV: an email with a link
 * valid SCHOOL_INVITATION_DAYS days (and a notification when the address
 * has an account). Bad rows are reported, good rows kept. 404 when the user
 * does not manage the school; 400 / 413 for a file refused as a whole; 422
 * ERR_INVITE_NO_USABLE_LINE (out->csv holds the problems, nothing stored or
 * sent) when every line is refused; 429 (out->retry_after set, nobody
 * invited) when the school would send more than SCHOOL_INVITES_PER_DAY
 * invitations in 24 hours. */
int school_invite_csv(struct db_conn *conn, struct arena *arena, const struct store_user *coordinator,
                      const char *school_id, const char *csv, size_t len, struct school_invite_report *out,
                      struct error *err);

/* Inside the transaction that marks user_id's address confirmed: every
 * invitation held for the address is sent as its upload would have sent it
 * (an email counted against the school's daily limit, a notice for a
 * student), and the holds are gone. A hold is dropped unsent when it is older
 * than SCHOOL_INVITATION_DAYS, its uploader no longer manages the school, the
 * student is linked already or the school has reached its daily limit.
 * DB_OK, or the store's failure. */
int school_invitations_release(struct db_conn *conn, struct arena *arena, const char *user_id, int64_t now);

/* The invitation of a link's token: 404 unknown, 410 invitation_expired /
 * invitation_used. */
int school_invitation_open(struct db_conn *conn, struct arena *arena, const char *token,
                           struct store_school_invitation *out, struct error *err);
/* The signed-in student accepts: the link becomes active. 403 for an account
 * that is not a student's; 404 / 410 as above. */
int school_invitation_accept(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                             const char *token, struct store_school_student *out, struct error *err);

/* ---- asking, deciding, leaving ---- */

/* A student asks to join: requested (the coordinators are told). 404 for an
 * unknown school, 409 conflict when already linked or waiting. */
int school_ask(struct db_conn *conn, struct arena *arena, const struct store_user *student, const char *school_id,
               struct store_school_student *out, struct error *err);
/* A coordinator approves (active) or refuses (with a note) a request: 404 when
 * the user does not manage the school or there is no request, 400 note. */
int school_decide(struct db_conn *conn, struct arena *arena, const struct store_user *coordinator,
                  const char *school_id, const char *student_id, bool approve, const char *note,
                  struct store_school_student *out, struct error *err);
/* The student leaves (or withdraws a request): at once the school sees them no
 * more. 404 when there is nothing to leave. */
int school_leave(struct db_conn *conn, struct arena *arena, const struct store_user *student, const char *school_id,
                 struct error *err);

/* ---- what a coordinator sees of a student ---- */

/* A rotation's hours as the school sees them: totals only, never what the
 * student wrote about a day. */
struct school_student_hours {
    int64_t confirmed_minutes; /* confirmed by the preceptor: what counts */
    int64_t waiting_minutes;   /* logged, waiting for the preceptor */
    size_t days_confirmed, days_refused;
};

/* The preceptor's evaluation of the student and its addenda: what the
 * school sees of a rotation's end (never the student's confidential
 * evaluation of the rotation, never a letter). */
struct school_student_evaluation {
    struct store_evaluation evaluation;
    struct store_addendum *addenda;
    size_t addendum_count;
};

struct school_student_view {
    struct store_school_student link;
    struct store_user student;
    struct store_application *applications;
    size_t application_count;
    struct compliance **compliance; /* per application: for those that took a seat, else NULL */
    struct school_student_hours **hours; /* per application: for a rotation under way or completed, else NULL */
    struct school_student_evaluation **evaluations; /* per application: the preceptor's, once submitted, else NULL */
    struct readiness readiness;
};

/* A linked student as the school sees them: 404 unless the user manages the
 * school and the student's link to it is active. */
int school_student_view(struct db_conn *conn, struct arena *arena, const struct store_user *viewer,
                        const char *school_id, const char *student_id, struct school_student_view *out,
                        struct error *err);

/* ---- home approval ---- */

/* The coordinator turns home approval on or off: while on, the applications
 * of the school's linked students wait in home_review until the school
 * releases them to the host or refuses them (domain/applications.c). 404 when
 * the user does not manage the school. */
int school_set_home_approval(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                             const char *school_id, bool required, struct store_organization *school,
                             struct error *err);
/* The applications that named the school for approval, in the status given
 * (NULL: home_review), newest first, at most SCHOOL_APPROVALS_SHOWN. 404 as above. */
int school_approvals(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *school_id,
                     const char *status, struct store_application **out, size_t *count, struct error *err);

/* Whether the student is actively linked to a school that asks for home
 * approval; its id into *school_id (arena) when so. */
int school_home_approval_for(struct db_conn *conn, struct arena *arena, const char *student_id, bool *required,
                             const char **school_id);

#endif
