/* documents.h — the store's side of the document wallet: documents and their
 * versions, attachments to applications, requirements of hosts and
 * offerings, and the expiry reminders already sent. */
#ifndef ROUNDS_STORE_DOCUMENTS_H
#define ROUNDS_STORE_DOCUMENTS_H

#include "store/applications.h"
#include "store/store.h"

struct store_document {
    const char *id, *student_id, *kind, *state, *file_name, *media_type, *blob;
    int64_t size;
    const char *issued_on, *expires_on; /* YYYY-MM-DD, or NULL when not given */
    const char *reject_reason;          /* "" unless rejected */
    const char *reviewed_by;            /* NULL until staff looked at it */
    int64_t reviewed_at;                /* 0 when NULL */
    const char *replaces_id;            /* the version it replaced, or NULL */
    int64_t replaced_at, deleted_at;    /* 0 when NULL; a replaced version is history */
    int64_t created_at, updated_at;
    /* Joined for reading (ignored on writes). */
    const char *student_name, *student_email;
};

/* A rule of what a host (offering_id NULL) or one offering requires. */
struct store_requirement {
    const char *id, *organization_id, *offering_id, *kind;
    int64_t issued_within_days; /* 0: no rule on the issue date */
    int64_t created_at;
};

int store_document_insert(struct db_conn *conn, const struct store_document *d);
/* DB_ROW (with the student's name and email joined) or DB_DONE. Deleted ones are not found. */
int store_document_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_document *out);
/* The student's current documents (not replaced, not deleted), by kind then newest first. */
int store_documents_current(struct db_conn *conn, struct arena *arena, const char *student_id,
                            struct store_document **out, size_t *count);
/* The current documents of every student of the coach who has a rotation not
 * over yet (held, booked, cleared, in progress), one student's together (by
 * student id), each in store_documents_current's order. */
int store_coach_documents_current(struct db_conn *conn, struct arena *arena, const char *coach_id,
                                  struct store_document **out, size_t *count);
/* The older versions of a document, newest first (following replaces_id). */
int store_document_history(struct db_conn *conn, struct arena *arena, const char *id, struct store_document **out,
                           size_t *count);
/* Marks a version replaced (when a newer one arrives): DB_OK, or DB_DONE when it
 * was already replaced or deleted (someone else replaced it first). */
int store_document_mark_replaced(struct db_conn *conn, const char *id, int64_t now);
/* uploaded → verified or rejected (reason) by staff: DB_OK, or DB_DONE when it
 * is not current or not in the state `from`. */
int store_document_review(struct db_conn *conn, const char *id, const char *from, const char *to, const char *reason,
                          const char *reviewer_id, int64_t now);
/* Marks the document and its older versions deleted. */
int store_document_delete(struct db_conn *conn, const char *id, int64_t now);
/* Bytes the student stores (every version not deleted). */
int store_documents_bytes(struct db_conn *conn, const char *student_id, int64_t *bytes);
/* Whether any row (document not deleted, or letter version) still uses the blob. */
int store_blob_in_use(struct db_conn *conn, const char *blob, bool *in_use);
/* Staff's queue: current documents waiting for verification, oldest first,
 * after the cursor (a document id; NULL from the start). */
int store_documents_to_verify(struct db_conn *conn, struct arena *arena, const char *after_id, int limit,
                              struct store_document **out, size_t *count);

/* Attachments. DB_OK (attaching twice is not an error). */
int store_application_document_attach(struct db_conn *conn, const char *application_id, const char *document_id,
                                      int64_t now);
/* Ids of the documents attached to an application. */
int store_application_documents(struct db_conn *conn, struct arena *arena, const char *application_id,
                                const char ***ids, size_t *count);
/* Requirements. Insert: DB_CONSTRAINT when the kind is already required at that level. */
int store_requirement_insert(struct db_conn *conn, const struct store_requirement *r);
int store_requirement_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_requirement *out);
int store_requirement_delete(struct db_conn *conn, const char *id);
/* The host's rules (offering_id NULL) and those of one offering (offering_id
 * not NULL: both the host-wide and the offering's own). */
int store_requirements_for(struct db_conn *conn, struct arena *arena, const char *organization_id,
                           const char *offering_id, struct store_requirement **out, size_t *count);
/* Every rule (host-wide and per offering) of the hosts of the coach's students'
 * rotations not over yet (held to in progress), by host then in store_requirements_for's order. */
int store_coach_requirements(struct db_conn *conn, struct arena *arena, const char *coach_id,
                             struct store_requirement **out, size_t *count);

/* Reminders: claims (document, days_before) once; DB_OK when this call
 * claimed it, DB_DONE when it was sent before. */
int store_document_reminder_claim(struct db_conn *conn, const char *document_id, int64_t days_before,
                                  const char *application_id, int64_t now);
/* Current documents that expire between `from` and `through` (YYYY-MM-DD),
 * with their student joined, leaving out those whose due reminder was sent
 * already: the 7-day one for those expiring by `week_through`, else the
 * 30-day one. Soonest first, at most 1000. */
int store_documents_expiring(struct db_conn *conn, struct arena *arena, const char *from, const char *week_through,
                             const char *through, struct store_document **out, size_t *count);

/* Whether the application has the document attached (that very version). */
int store_application_has_document(struct db_conn *conn, const char *application_id, const char *document_id,
                                   bool *attached);
/* Whether the document or one of its older versions is attached to a booked,
 * cleared or in-progress application. */
int store_document_attached_active(struct db_conn *conn, const char *id, bool *attached);
#endif
