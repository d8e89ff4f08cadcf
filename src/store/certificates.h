/* certificates.h — the store's side of signed documents (certificates of
 * completion, teaching certificates, visa invitation letters) and the facts
 * a certificate of completion is made from. */
#ifndef ROUNDS_STORE_CERTIFICATES_H
#define ROUNDS_STORE_CERTIFICATES_H

#include "store/store.h"

struct store_certificate {
    const char *number, *kind, *subject_id, *application_id, *period, *facts, *signature, *key_id;
    const char *revoked_by, *revoke_reason;
    int64_t issued_at, revoked_at; /* revoked_at 0: not revoked */
};

/* DB_OK, or DB_CONSTRAINT when the rotation (or the preceptor's year) has one of that kind already. */
int store_certificate_insert(struct db_conn *conn, const struct store_certificate *c);
/* DB_ROW / DB_DONE. */
int store_certificate_get(struct db_conn *conn, struct arena *arena, const char *number, struct store_certificate *out);
int store_certificate_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                                     const char *kind, struct store_certificate *out);
/* A person's document of a kind for a period (a teaching certificate's year): DB_ROW / DB_DONE. */
int store_certificate_of_period(struct db_conn *conn, struct arena *arena, const char *subject_id, const char *kind,
                                const char *period, struct store_certificate *out);
/* Revokes once: DB_OK, or DB_DONE when there is no such certificate or it is revoked already. */
int store_certificate_revoke(struct db_conn *conn, const char *number, const char *by, const char *reason,
                             int64_t now);
/* A person's documents, newest first (then by number): those after
 * (after_issued_at, after_number), from the newest when after_number is NULL;
 * at most limit. */
int store_certificates_of_subject(struct db_conn *conn, struct arena *arena, const char *subject_id,
                                  int64_t after_issued_at, const char *after_number, int limit,
                                  struct store_certificate **out, size_t *count);

/* What a certificate of completion states, read in one query. */
struct store_rotation_facts {
    const char *application_id, *status, *student_id, *student_name, *offering_id, *offering_title, *kind,
        *specialty, *host_name, *organization_id, *city, *state, *address, *preceptor_name, *preceptor_npi,
        *preceptor_user_id, *block_start, *block_end;
    int64_t weeks, hours_per_week;
    int64_t confirmed_minutes; /* the hours log's confirmed entries */
};
int store_rotation_facts(struct db_conn *conn, struct arena *arena, const char *application_id,
                         struct store_rotation_facts *out);

#endif
