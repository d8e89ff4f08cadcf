/* match_rounds.h — the store's side of a school's match rounds: the round,
 * its cohort, its blocks and the seats it reserves, the students' rank lists,
 * the hosts' lists, and the results (placements and explanations). */
#ifndef ROUNDS_STORE_MATCH_ROUNDS_H
#define ROUNDS_STORE_MATCH_ROUNDS_H

#include "store/store.h"

struct store_match_round {
    const char *id, *school_id, *name, *mode, *seed, *status, *created_by, *order_sha256, *verification;
    int64_t max_placements, deadline, created_at, updated_at, matched_at, published_at, proposals;
    /* Joined or counted for reading. */
    const char *school_name;
    int64_t students, blocks, seats;
};

struct store_match_round_block {
    const char *round_id, *block_id, *ranking;
    int64_t seats; /* reserved for the round */
    /* Joined for reading. */
    const char *offering_id, *offering_title, *host_id, *host_name, *specialty, *start_date, *end_date;
    int64_t applicants; /* students who ranked it */
    int64_t placed;     /* placements of the last run */
};

struct store_match_member {
    const char *student_id, *name, *email;
    int64_t ranked;          /* entries in the student's rank list */
    const char *explanation; /* after a run, else NULL */
};

/* Entries of lists read whole (rank lists, hosts' lists, placements). */
struct store_match_entry {
    const char *student_id, *block_id;
    int64_t position; /* rank (students), tier (hosts), 0 (placements) */
};

int store_match_round_insert(struct db_conn *conn, const struct store_match_round *r);
/* DB_ROW with the counts, or DB_DONE. */
int store_match_round_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_match_round *out);
/* Rounds of a school; or those a student is in; or those holding blocks of
 * the host organisations in host_ids (comma-separated), a page at a time:
 * after (after_created_at, after_id) — from the newest when after_id is
 * NULL — newest first, at most limit (pages ask for one more to know
 * whether there are older). */
struct store_match_rounds_filter {
    const char *school_id, *student_id, *host_ids; /* one of them */
    int64_t after_created_at;
    const char *after_id;
    int limit;
};
int store_match_rounds_page(struct db_conn *conn, struct arena *arena, const struct store_match_rounds_filter *f,
                            struct store_match_round **out, size_t *count);
/* Moves the status from `from` to `to` (DB_OK), DB_DONE when it is no longer `from`. */
int store_match_round_move(struct db_conn *conn, const char *id, const char *from, const char *to, int64_t now);
int store_match_round_set_result(struct db_conn *conn, const char *id, const char *order_sha256, int64_t proposals,
                                 const char *verification, int64_t now);

int store_match_round_student_add(struct db_conn *conn, const char *round_id, const char *student_id);
int store_match_round_students(struct db_conn *conn, struct arena *arena, const char *round_id,
                               struct store_match_member **out, size_t *count);
int store_match_round_has_student(struct db_conn *conn, const char *round_id, const char *student_id, bool *in);

/* Reserves seats of the block for the round: DB_DONE when the block has fewer
 * seats free (neither taken nor reserved), DB_CONSTRAINT when it is in the round already. */
int store_match_round_block_add(struct db_conn *conn, const char *round_id, const char *block_id, int64_t seats);
/* Leaves the block out of the round and returns its seats to sale: DB_DONE when it was not in. */
int store_match_round_block_remove(struct db_conn *conn, const char *round_id, const char *block_id);
int store_match_round_blocks(struct db_conn *conn, struct arena *arena, const char *round_id,
                             struct store_match_round_block **out, size_t *count);
int store_match_round_block_set_ranking(struct db_conn *conn, const char *round_id, const char *block_id,
                                        const char *ranking);

/* Replaces the student's rank list (block_ids best first). */
int store_match_student_ranks_set(struct db_conn *conn, const char *round_id, const char *student_id,
                                  const char *const *block_ids, size_t count);
/* Replaces a host's list for one block (tiers parallel to student_ids). */
int store_match_host_ranks_set(struct db_conn *conn, const char *round_id, const char *block_id,
                               const char *const *student_ids, const int64_t *tiers, size_t count);
/* The whole round's rank lists (by student, then position), hosts' lists (by
 * block, then tier), or placements (by student), optionally for one student
 * or one block. */
int store_match_student_ranks(struct db_conn *conn, struct arena *arena, const char *round_id, const char *student_id,
                              struct store_match_entry **out, size_t *count);
int store_match_host_ranks(struct db_conn *conn, struct arena *arena, const char *round_id, const char *block_id,
                           struct store_match_entry **out, size_t *count);
int store_match_placements(struct db_conn *conn, struct arena *arena, const char *round_id, const char *student_id,
                           struct store_match_entry **out, size_t *count);

/* Results of a run: cleared before it, then one outcome per student and one row per placement. */
int store_match_results_clear(struct db_conn *conn, const char *round_id);
int store_match_outcome_add(struct db_conn *conn, const char *round_id, const char *student_id,
                            const char *explanation);
int store_match_placement_add(struct db_conn *conn, const char *round_id, const char *student_id,
                              const char *block_id);
/* The explanation of a student's result (DB_ROW) or DB_DONE before a run. */
int store_match_outcome_of(struct db_conn *conn, struct arena *arena, const char *round_id, const char *student_id,
                           const char **explanation);

/* Blocks starting after the date `after` with seats free (neither taken nor
 * reserved) of published offerings (of the host host_id, or of any when NULL),
 * not in the round yet, by start date then title, at most limit: what a
 * coordinator may add to a round (seats = those free). */
int store_match_block_candidates(struct db_conn *conn, struct arena *arena, const char *round_id, const char *host_id,
                                 const char *after, int limit, struct store_match_round_block **out, size_t *count);

/* Seats reserved by rounds: n back to sale; or one taken by the application
 * it was kept for (taken + 1, reserved − 1). */
int store_block_release_reserved(struct db_conn *conn, const char *block_id, int64_t n);
int store_block_take_reserved_seat(struct db_conn *conn, const char *block_id);

#endif
