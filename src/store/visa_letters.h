/* visa_letters.h — the store's side of B-1 visa invitation letters: the
 * student's request and, once approved, the signed letter's number. */
#ifndef ROUNDS_STORE_VISA_LETTERS_H
#define ROUNDS_STORE_VISA_LETTERS_H

#include "store/store.h"

struct store_visa_letter {
    const char *application_id, *student_id, *passport_name, *passport_number, *nationality, *consulate_city;
    const char *state, *approved_by, *certificate_number; /* the last two NULL until issued */
    int64_t created_at, updated_at;
};
/* DB_OK, or DB_CONSTRAINT when the rotation has a request already. */
int store_visa_letter_insert(struct db_conn *conn, const struct store_visa_letter *v);
/* DB_ROW / DB_DONE. */
int store_visa_letter_get(struct db_conn *conn, struct arena *arena, const char *application_id,
                          struct store_visa_letter *out);
/* requested → issued with the letter's number, once: DB_OK, or DB_DONE when it was not requested. */
int store_visa_letter_issued(struct db_conn *conn, const char *application_id, const char *by, const char *number,
                             int64_t now);

#endif
