/* visa_letters.c — B-1 visa invitation letter requests; see visa_letters.h. */
#include "store/visa_letters.h"
#include "store/util.h"

#include <string.h>

int store_visa_letter_insert(struct db_conn *conn, const struct store_visa_letter *v)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO visa_letters (application_id, student_id, passport_name,"
                                          " passport_number, nationality, consulate_city, state, created_at,"
                                          " updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'requested', $7, $7)");
    db_bind_text(st, 1, v->application_id);
    db_bind_text(st, 2, v->student_id);
    db_bind_text(st, 3, v->passport_name);
    db_bind_text(st, 4, v->passport_number);
    db_bind_text(st, 5, v->nationality);
    db_bind_text(st, 6, v->consulate_city);
    db_bind_int(st, 7, v->created_at);
    return store_run(st);
}

int store_visa_letter_get(struct db_conn *conn, struct arena *arena, const char *application_id,
                          struct store_visa_letter *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT application_id, student_id, passport_name, passport_number,"
                                          " nationality, consulate_city, state, approved_by, certificate_number,"
                                          " created_at, updated_at FROM visa_letters WHERE application_id = $1");
    db_bind_text(st, 1, application_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        memset(out, 0, sizeof(*out));
        const char **texts[] = {&out->application_id, &out->student_id,     &out->passport_name,
                                &out->passport_number, &out->nationality,   &out->consulate_city,
                                &out->state,          &out->approved_by,     &out->certificate_number};
        for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
            *texts[i] = store_column_dup(arena, st, (int)i);
        out->created_at = db_column_int(st, 9);
        out->updated_at = db_column_int(st, 10);
    }
    db_reset(st);
    return rc;
}

int store_visa_letter_issued(struct db_conn *conn, const char *application_id, const char *by, const char *number,
                             int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE visa_letters SET state = 'issued', approved_by = $2,"
                                          " certificate_number = $3, updated_at = $4"
                                          " WHERE application_id = $1 AND state = 'requested'");
    db_bind_text(st, 1, application_id);
    db_bind_text(st, 2, by);
    db_bind_text(st, 3, number);
    db_bind_int(st, 4, now);
    int rc = db_step(st);
    int changed = rc == DB_DONE ? db_changes(st) : 0;
    db_reset(st);
    return rc != DB_DONE ? rc : changed > 0 ? DB_OK : DB_DONE;
}
