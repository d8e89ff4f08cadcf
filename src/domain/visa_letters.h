/* visa_letters.h — B-1 visa invitation letters (issue 15): once a rotation is
 * booked, its student asks for a letter (name and number as in the passport,
 * nationality, the consulate's city); staff or the host's coordinators
 * approve it, and Rounds issues a signed, verifiable PDF on the host's
 * details with the rotation's facts, its non-employment nature and who pays.
 * Staff revoke it (POST /api/v1/certificates/{number}/revoke) when the
 * booking is cancelled. */
#ifndef ROUNDS_DOMAIN_VISA_LETTERS_H
#define ROUNDS_DOMAIN_VISA_LETTERS_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"
#include "lib/errors.h"
#include "store/applications.h"
#include "store/certificates.h"
#include "store/visa_letters.h"

struct visa_letter_input {
    const char *passport_name, *passport_number, *nationality, *consulate_city;
};

/* The checks of a request's fields (visa_letter_input.c; no database): the
 * passport name, nationality and consulate city as valid text of bounded
 * length, the passport number 5–20 ASCII letters and digits. 0, or -1 with
 * 400 validation_failed naming the field. */
int visa_letter_input_check(const struct visa_letter_input *in, struct error *err);
/* The same checks, every field's problem at once (the page's error summary):
 * up to capacity errors into errors, in the order visa_letter_input_check
 * reports them; returns how many. */
enum { VISA_LETTER_FIELDS = 4 };
size_t visa_letter_input_problems(const struct visa_letter_input *in, struct error *errors, size_t capacity);

/* The student asks for the letter of their own booked rotation (booked,
 * cleared or under way): 404 for anyone else and for a rotation in any other
 * state, 409 already_submitted for a second request, 400 naming a field
 * (passport numbers: 5–20 letters and digits). The host and staff are told. */
int visa_letter_request(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                        const char *application_id, const struct visa_letter_input *in, struct store_visa_letter *out,
                        struct error *err);
/* Staff or the host's coordinators approve it: the letter is signed and
 * issued (*letter). 403 for the student and the preceptor, 404 for anyone
 * else or without a request, 409 conflict when issued already. */
int visa_letter_approve(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                        const char *application_id, struct store_certificate *letter, struct error *err);

/* Whether user may open the application's visa letter page: its student,
 * staff and the host's coordinators (the preceptor, a coach or a school get
 * 404 there, so no link is offered to them). */
bool visa_letter_visible_to(const struct store_application *a, const struct store_user *user);

/* The request of an application user may see (404 otherwise; *found false without one). */
struct visa_letter_view {
    struct store_application application;
    bool found, may_request, may_approve;
    struct store_visa_letter letter;
};
int visa_letter_load(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                     const char *application_id, struct visa_letter_view *out, struct error *err);

#endif
