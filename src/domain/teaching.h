/* teaching.h — the preceptor's teaching record (issue 15): for a calendar
 * year, the students they supervised through to a completed rotation, its
 * weeks and confirmed hours, the evaluations they completed and the average
 * of the reviews; and, once the year is over, a yearly teaching certificate,
 * signed and verifiable like a certificate of completion, for the
 * preceptor's own files. */
#ifndef ROUNDS_DOMAIN_TEACHING_H
#define ROUNDS_DOMAIN_TEACHING_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/errors.h"
#include "store/certificates.h"
#include "store/evaluations.h"

#define TEACHING_FIRST_YEAR 2000

struct teaching_record {
    int year;
    struct store_teaching_record totals;
    int64_t review_average_tenths; /* 0 when no review */
    bool year_over;                /* its certificate may be issued */
    bool issued;                   /* and was */
    struct store_certificate certificate;
};

/* The record of a user with the preceptor role (403 otherwise) for a year
 * (TEACHING_FIRST_YEAR … this year, else 422 naming year). */
int teaching_record_load(struct db_conn *conn, struct arena *arena, const struct store_user *user, int year,
                         struct teaching_record *out, struct error *err);
/* Issues the year's teaching certificate once (*created false when it was
 * issued before): 422 naming year while the year is not over, 409 conflict
 * when the year has no completed rotation, 503 without a signing key. */
int certificate_issue_teaching(struct db_conn *conn, struct arena *arena, const struct store_user *user, int year,
                               struct store_certificate *out, bool *created, struct error *err);

#endif
