/* letters.h — the store's side of letters of recommendation: requests, their
 * invitation tokens (hashed), the versions of the letter file, and the
 * readiness targets. */
#ifndef ROUNDS_STORE_LETTERS_H
#define ROUNDS_STORE_LETTERS_H

#include "store/store.h"

struct store_letter {
    const char *id, *student_id, *author_name, *author_email, *author_user_id, *preceptor_id, *application_id;
    bool waived;
    int64_t waived_at;                 /* 0 when not waived */
    const char *eras_letter_id;        /* "" until known */
    const char *state;                 /* requested, accepted, declined, uploaded, delivered */
    const char *decline_reason;
    int64_t token_used_at;             /* 0 until the author declined or uploaded */
    int64_t requested_at, accepted_at, declined_at, uploaded_at, delivered_at, reminded_7_at, reminded_14_at;
    int64_t updated_at;
    /* Joined for reading. */
    const char *student_name, *student_email;
    const char *preceptor_user_id;     /* the account of the preceptor named, or NULL */
    bool from_us_physician;            /* its preceptor (asked, or confirmed by staff) has a verified NPI */
    int64_t version_count;             /* uploaded versions */
    const char *confirmed_preceptor_id; /* a request by name and email: the preceptor staff confirmed as its author */
    int64_t confirmed_at;              /* 0 until then */
};

struct store_letter_file {
    const char *id, *letter_id, *blob, *uploaded_by;
    int64_t version, size, uploaded_at;
};

int store_letter_insert(struct db_conn *conn, const struct store_letter *l);
int store_letter_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_letter *out);
/* An invitation token (hashed) of a letter, valid until expires_at. */
int store_letter_token_add(struct db_conn *conn, const char *letter_id, const char *token_hash, int64_t expires_at,
                           int64_t now);
/* DB_ROW with the letter the token opens and the token's expiry, or DB_DONE. */
int store_letter_by_token(struct db_conn *conn, struct arena *arena, const char *token_hash, struct store_letter *out,
                          int64_t *token_expires_at);
/* Moves state from → to with the timestamp column of `to` set to now (and the
 * reason when declined); DB_OK, or DB_DONE when the state was no longer `from`. */
int store_letter_move(struct db_conn *conn, const char *id, const char *from, const char *to, const char *reason,
                      int64_t now);
/* Staff confirm the author of a request by name and email: DB_OK, or DB_DONE
 * when the letter names a preceptor (it is attributed already). */
int store_letter_confirm_author(struct db_conn *conn, const char *id, const char *preceptor_id, const char *by,
                                int64_t now);
int store_letter_set_eras_id(struct db_conn *conn, const char *id, const char *eras_letter_id, int64_t now);
/* Sets waived (and waived_at) only while it is not waived yet: DB_OK, or DB_DONE. */
int store_letter_waive(struct db_conn *conn, const char *id, int64_t now);
/* Marks every invitation link of the letter used up (keeps the first time). */
int store_letter_use_token(struct db_conn *conn, const char *id, int64_t now);
/* Claims the 7- or 14-day reminder of an open letter once: DB_OK when this
 * call claimed it, DB_DONE when it was claimed before or the letter is no
 * longer requested/accepted (several instances send each reminder once). */
int store_letter_set_reminded(struct db_conn *conn, const char *id, int days, int64_t now);
/* Lists newest first (by id). The scopes are alternatives (a user may be both
 * student and author); overdue narrows the scope, and alone (no student_id nor
 * author_user_id) means every overdue letter. limit <= 0: 100. */
struct store_letter_filter {
    const char *student_id;       /* a student's own requests */
    const char *author_user_id;   /* letters addressed to an author with an account (or to their preceptor record) */
    bool overdue;                 /* staff: requested/accepted for more than 14 days */
    int64_t overdue_before;       /* requested_at before this */
    bool all;                     /* staff */
    const char *after_id;
    int limit;
};
int store_letters_list(struct db_conn *conn, struct arena *arena, const struct store_letter_filter *f,
                       struct store_letter **out, size_t *count);
/* Open letters (requested or accepted) requested before `before`, for reminders. */
int store_letters_open_before(struct db_conn *conn, struct arena *arena, int64_t before, struct store_letter **out,
                              size_t *count);
/* Open letters that need a reminder now: never reminded and requested on or
 * before week_before, or without the 14-day reminder and requested on or
 * before two_weeks_before. Oldest first, at most limit. */
int store_letters_reminders_due(struct db_conn *conn, struct arena *arena, int64_t week_before,
                                int64_t two_weeks_before, int limit, struct store_letter **out, size_t *count);
/* The student's requests since `since`: how many and the first one's time (0 when none). */
int store_letters_requested_since(struct db_conn *conn, const char *student_id, int64_t since, int64_t *count,
                                  int64_t *first_at);
/* Whether the student has an open request (requested or accepted) to this author address. */
int store_letter_open_to(struct db_conn *conn, const char *student_id, const char *author_email, bool *open);
/* DB_CONSTRAINT when the version exists already (a concurrent upload). */
int store_letter_file_insert(struct db_conn *conn, const struct store_letter_file *f);
/* The versions, newest first. */
int store_letter_files(struct db_conn *conn, struct arena *arena, const char *letter_id, struct store_letter_file **out,
                       size_t *count);

/* Readiness targets (letters, letters_us, usce_weeks). */
int store_readiness_targets(struct db_conn *conn, int64_t *letters, int64_t *letters_us, int64_t *usce_weeks);
int store_readiness_target_set(struct db_conn *conn, const char *name, int64_t value, const char *user_id,
                               int64_t now);
/* Weeks of U.S. clinical experience of a student by offering kind, from
 * confirmed hours (domain/readiness.h works them out of store/rotation.h's rows). */
struct store_usce {
    int64_t hands_on_completed, observership_completed, other_completed; /* weeks of confirmed hours */
    int64_t planned;                                                       /* weeks still to come */
};
/* A student's letters: uploaded or delivered (*done), of them from a U.S.
 * physician (*done_us), and still requested or accepted (*open). */
int store_student_letter_counts(struct db_conn *conn, const char *student_id, int64_t *done, int64_t *done_us,
                                int64_t *open);
/* Whether the preceptor precepts an offering the student has an application
 * to in held, booked, cleared, in_progress or completed. */
int store_student_has_preceptor(struct db_conn *conn, const char *student_id, const char *preceptor_id,
                                bool *found);

#endif
