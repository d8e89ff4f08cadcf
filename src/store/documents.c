/* documents.c — the document wallet's rows: documents and their versions,
 * attachments, requirements and expiry reminders; see documents.h. */
#include "lib/limits.h"
#include "store/documents.h"
#include "store/util.h"

#include <string.h>

/* Lists are bounded: a wallet, a history or a queue page never grows past these. */
enum { HISTORY_LIMIT = 100, ATTACHED_LIMIT = 200, RULES_LIMIT = 200, EXPIRING_LIMIT = 1000 };
/* A coach's dashboard reads every student's wallet and their hosts' rules at once. */
enum { COACH_WALLETS_LIMIT = 100000, COACH_RULES_LIMIT = 20000 };

static void bind_optional_text(struct db_stmt *st, int index, const char *s)
{
    if (s != NULL && s[0] != '\0')
        db_bind_text(st, index, s);
    else
        db_bind_null(st, index);
}

static void bind_optional_int(struct db_stmt *st, int index, int64_t v)
{
    if (v > 0)
        db_bind_int(st, index, v);
    else
        db_bind_null(st, index);
}

/* DB_OK when the last statement changed one row, DB_DONE when none. */
static int run_changed(struct db_stmt *st)
{
    return store_change_any(st);
}

int store_document_insert(struct db_conn *conn, const struct store_document *d)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO documents (id, student_id, kind, state, file_name, media_type,"
                                          " size, blob, issued_on, expires_on, reject_reason, replaces_id,"
                                          " created_at, updated_at)"
                                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)");
    db_bind_text(st, 1, d->id);
    db_bind_text(st, 2, d->student_id);
    db_bind_text(st, 3, d->kind);
    db_bind_text(st, 4, d->state);
    db_bind_text(st, 5, d->file_name != NULL ? d->file_name : "");
    db_bind_text(st, 6, d->media_type);
    db_bind_int(st, 7, d->size);
    db_bind_text(st, 8, d->blob);
    bind_optional_text(st, 9, d->issued_on);
    bind_optional_text(st, 10, d->expires_on);
    db_bind_text(st, 11, d->reject_reason != NULL ? d->reject_reason : "");
    bind_optional_text(st, 12, d->replaces_id);
    db_bind_int(st, 13, d->created_at);
    return store_run(st);
}

#define DOCUMENT_SELECT                                                                                        \
    "SELECT d.id, d.student_id, d.kind, d.state, d.file_name, d.media_type, d.blob, d.size, d.issued_on,"     \
    " d.expires_on, d.reject_reason, d.reviewed_by, COALESCE(d.reviewed_at, 0), d.replaces_id,"              \
    " COALESCE(d.replaced_at, 0), COALESCE(d.deleted_at, 0), d.created_at, d.updated_at, u.name, u.email"    \
    " FROM documents d JOIN users u ON u.id = d.student_id "

static void read_document(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_document *d = item;
    d->id = store_column_dup(arena, st, 0);
    d->student_id = store_column_dup(arena, st, 1);
    d->kind = store_column_dup(arena, st, 2);
    d->state = store_column_dup(arena, st, 3);
    d->file_name = store_column_dup(arena, st, 4);
    d->media_type = store_column_dup(arena, st, 5);
    d->blob = store_column_dup(arena, st, 6);
    d->size = db_column_int(st, 7);
    d->issued_on = store_column_dup(arena, st, 8);
    d->expires_on = store_column_dup(arena, st, 9);
    d->reject_reason = store_column_dup(arena, st, 10);
    d->reviewed_by = store_column_dup(arena, st, 11);
    d->reviewed_at = db_column_int(st, 12);
    d->replaces_id = store_column_dup(arena, st, 13);
    d->replaced_at = db_column_int(st, 14);
    d->deleted_at = db_column_int(st, 15);
    d->created_at = db_column_int(st, 16);
    d->updated_at = db_column_int(st, 17);
    d->student_name = store_column_dup(arena, st, 18);
    d->student_email = store_column_dup(arena, st, 19);
}

/* Steps st to the end, appending each row as a document. */
static int read_documents(struct arena *arena, struct db_stmt *st, struct store_document **out, size_t *count)
{
    return store_read_rows(arena, st, read_document, sizeof(**out), (void **)out, count);
}

int store_document_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_document *out)
{
    struct db_stmt *st = db_prepare(conn, DOCUMENT_SELECT "WHERE d.id = $1 AND d.deleted_at IS NULL");
    db_bind_text(st, 1, id);
    return store_read_one(arena, st, read_document, sizeof(*out), out);
}

int store_documents_current(struct db_conn *conn, struct arena *arena, const char *student_id,
                            struct store_document **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, DOCUMENT_SELECT "WHERE d.student_id = $1 AND d.deleted_at IS NULL"
                                                          " AND d.replaced_at IS NULL"
                                                          " ORDER BY d.kind COLLATE \"C\", d.created_at DESC, d.id COLLATE \"C\" DESC LIMIT $2");
    db_bind_text(st, 1, student_id);
    db_bind_int(st, 2, WALLET_DOCUMENTS_MAX);
    return read_documents(arena, st, out, count);
}

int store_coach_documents_current(struct db_conn *conn, struct arena *arena, const char *coach_id,
                                  struct store_document **out, size_t *count)
{
    /* Students with a rotation not over yet (held to in progress) only: the others' wallets are not
     * read. Each student's documents come together, in store_documents_current's order. */
    struct db_stmt *st = db_prepare(conn, DOCUMENT_SELECT "WHERE d.student_id IN (SELECT ca.student_id"
                                                          " FROM coach_assignments ca JOIN applications a"
                                                          " ON a.student_id = ca.student_id WHERE ca.coach_id = $1"
                                                          " AND a.status IN ('held', 'booked', 'cleared',"
                                                          " 'in_progress'))"
                                                          " AND d.deleted_at IS NULL AND d.replaced_at IS NULL"
                                                          " ORDER BY d.student_id, d.kind, d.created_at DESC,"
                                                          " d.id DESC LIMIT $2");
    db_bind_text(st, 1, coach_id);
    db_bind_int(st, 2, COACH_WALLETS_LIMIT);
    return read_documents(arena, st, out, count);
}

int store_document_history(struct db_conn *conn, struct arena *arena, const char *id, struct store_document **out,
                           size_t *count)
{
    /* Walks replaces_id from the version asked for back to the first upload. */
    struct db_stmt *st = db_prepare(
        conn, "WITH RECURSIVE chain (id, replaces_id, depth) AS ("
              " SELECT id, replaces_id, 0 FROM documents WHERE id = $1"
              " UNION ALL SELECT d.id, d.replaces_id, c.depth + 1 FROM documents d JOIN chain c ON d.id = c.replaces_id"
              " WHERE c.depth < $2)"
              " " DOCUMENT_SELECT "JOIN chain c ON c.id = d.id WHERE c.depth > 0 AND d.deleted_at IS NULL"
              " ORDER BY c.depth LIMIT $2");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, HISTORY_LIMIT);
    return read_documents(arena, st, out, count);
}

int store_document_mark_replaced(struct db_conn *conn, const char *id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE documents SET replaced_at = $2, updated_at = $2"
                                          " WHERE id = $1 AND replaced_at IS NULL AND deleted_at IS NULL");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, now);
    return run_changed(st);
}

int store_document_review(struct db_conn *conn, const char *id, const char *from, const char *to, const char *reason,
                          const char *reviewer_id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE documents SET state = $3, reject_reason = $4, reviewed_by = $5,"
                                          " reviewed_at = $6, updated_at = $6 WHERE id = $1 AND state = $2"
                                          " AND replaced_at IS NULL AND deleted_at IS NULL");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    db_bind_text(st, 4, reason != NULL ? reason : "");
    db_bind_text(st, 5, reviewer_id);
    db_bind_int(st, 6, now);
    return run_changed(st);
}

int store_document_delete(struct db_conn *conn, const char *id, int64_t now)
{
    struct db_stmt *st = db_prepare(
        conn, "UPDATE documents SET deleted_at = $2, updated_at = $2 WHERE deleted_at IS NULL AND id IN ("
              "WITH RECURSIVE chain (id, replaces_id, depth) AS ("
              " SELECT id, replaces_id, 0 FROM documents WHERE id = $1"
              " UNION ALL SELECT d.id, d.replaces_id, c.depth + 1 FROM documents d JOIN chain c ON d.id = c.replaces_id"
              " WHERE c.depth < 10000)"
              " SELECT id FROM chain)");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, now);
    return store_run(st);
}

int store_documents_bytes(struct db_conn *conn, const char *student_id, int64_t *bytes)
{
    struct db_stmt *st = db_prepare(conn, "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM documents"
                                          " WHERE student_id = $1 AND deleted_at IS NULL");
    db_bind_text(st, 1, student_id);
    return store_one_int(st, bytes);
}

int store_blob_in_use(struct db_conn *conn, const char *blob, bool *in_use)
{
    struct db_stmt *st = db_prepare(conn, "SELECT (SELECT COUNT(*) FROM documents WHERE blob = $1 AND deleted_at IS NULL)"
                                          " + (SELECT COUNT(*) FROM letter_files WHERE blob = $1)");
    db_bind_text(st, 1, blob);
    return store_count_any(st, in_use);
}

int store_documents_to_verify(struct db_conn *conn, struct arena *arena, const char *after_id, int limit,
                              struct store_document **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, DOCUMENT_SELECT "WHERE d.state = 'uploaded' AND d.deleted_at IS NULL"
                                                          " AND d.replaced_at IS NULL"
                                                          " AND (CAST($1 AS TEXT) IS NULL OR d.id > $1)"
                                                          " ORDER BY d.id LIMIT $2");
    db_bind_text(st, 1, after_id);
    db_bind_int(st, 2, limit);
    return read_documents(arena, st, out, count);
}

/* ---- attachments ---- */

int store_application_document_attach(struct db_conn *conn, const char *application_id, const char *document_id,
                                      int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO application_documents (application_id, document_id, attached_at)"
                                          " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
    db_bind_text(st, 1, application_id);
    db_bind_text(st, 2, document_id);
    db_bind_int(st, 3, now);
    return store_run(st);
}

int store_application_documents(struct db_conn *conn, struct arena *arena, const char *application_id,
                                const char ***ids, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT ad.document_id FROM application_documents ad"
                                          " JOIN documents d ON d.id = ad.document_id"
                                          " WHERE ad.application_id = $1 AND d.deleted_at IS NULL"
                                          " ORDER BY ad.attached_at, ad.document_id LIMIT $2");
    db_bind_text(st, 1, application_id);
    db_bind_int(st, 2, ATTACHED_LIMIT);
    return store_read_ids(arena, st, ids, count);
}

int store_application_has_document(struct db_conn *conn, const char *application_id, const char *document_id,
                                   bool *attached)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COUNT(*) FROM application_documents"
                                          " WHERE application_id = $1 AND document_id = $2");
    db_bind_text(st, 1, application_id);
    db_bind_text(st, 2, document_id);
    return store_count_any(st, attached);
}

int store_document_attached_active(struct db_conn *conn, const char *id, bool *attached)
{
    struct db_stmt *st = db_prepare(
        conn, "WITH RECURSIVE chain (id, replaces_id, depth) AS ("
              " SELECT id, replaces_id, 0 FROM documents WHERE id = $1"
              " UNION ALL SELECT d.id, d.replaces_id, c.depth + 1 FROM documents d JOIN chain c ON d.id = c.replaces_id"
              " WHERE c.depth < 10000)"
              " SELECT COUNT(*) FROM chain c JOIN application_documents ad ON ad.document_id = c.id"
              " JOIN applications a ON a.id = ad.application_id"
              " WHERE a.status IN ('booked', 'cleared', 'in_progress')");
    db_bind_text(st, 1, id);
    return store_count_any(st, attached);
}

/* ---- requirements ---- */

int store_requirement_insert(struct db_conn *conn, const struct store_requirement *r)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO requirements (id, organization_id, offering_id, kind,"
                                          " issued_within_days, created_at) VALUES ($1, $2, $3, $4, $5, $6)");
    db_bind_text(st, 1, r->id);
    db_bind_text(st, 2, r->organization_id);
    bind_optional_text(st, 3, r->offering_id);
    db_bind_text(st, 4, r->kind);
    bind_optional_int(st, 5, r->issued_within_days);
    db_bind_int(st, 6, r->created_at);
    return store_run(st);
}

#define REQUIREMENT_SELECT                                                                                     \
    "SELECT id, organization_id, offering_id, kind, COALESCE(issued_within_days, 0), created_at FROM requirements "

static void read_requirement(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_requirement *r = item;
    r->id = store_column_dup(arena, st, 0);
    r->organization_id = store_column_dup(arena, st, 1);
    r->offering_id = store_column_dup(arena, st, 2);
    r->kind = store_column_dup(arena, st, 3);
    r->issued_within_days = db_column_int(st, 4);
    r->created_at = db_column_int(st, 5);
}

int store_requirement_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_requirement *out)
{
    struct db_stmt *st = db_prepare(conn, REQUIREMENT_SELECT "WHERE id = $1");
    db_bind_text(st, 1, id);
    return store_read_one(arena, st, read_requirement, sizeof(*out), out);
}

int store_requirement_delete(struct db_conn *conn, const char *id)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM requirements WHERE id = $1");
    db_bind_text(st, 1, id);
    return store_run(st);
}

int store_requirements_for(struct db_conn *conn, struct arena *arena, const char *organization_id,
                           const char *offering_id, struct store_requirement **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, REQUIREMENT_SELECT "WHERE organization_id = $1"
                                                             " AND (offering_id IS NULL OR offering_id = $2)"
                                                             " ORDER BY kind, offering_id, id LIMIT $3");
    db_bind_text(st, 1, organization_id);
    db_bind_text(st, 2, offering_id); /* NULL matches no offering: the host's rules only */
    db_bind_int(st, 3, RULES_LIMIT);
    return store_read_rows(arena, st, read_requirement, sizeof(**out), (void **)out, count);
}

int store_coach_requirements(struct db_conn *conn, struct arena *arena, const char *coach_id,
                             struct store_requirement **out, size_t *count)
{
    /* The hosts of the coach's students' rotations not over yet; the order
     * within one host is store_requirements_for's, on either backend. */
    struct db_stmt *st = db_prepare(
        conn, REQUIREMENT_SELECT "WHERE organization_id IN (SELECT a.organization_id FROM coach_assignments ca"
                                 " JOIN applications a ON a.student_id = ca.student_id WHERE ca.coach_id = $1"
                                 " AND a.status IN ('held', 'booked', 'cleared', 'in_progress'))"
                                 " ORDER BY organization_id, kind, offering_id, id LIMIT $2");
    db_bind_text(st, 1, coach_id);
    db_bind_int(st, 2, COACH_RULES_LIMIT);
    return store_read_rows(arena, st, read_requirement, sizeof(**out), (void **)out, count);
}

/* ---- reminders ---- */

int store_document_reminder_claim(struct db_conn *conn, const char *document_id, int64_t days_before,
                                  const char *application_id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO document_reminders (document_id, days_before, application_id,"
                                          " sent_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
    db_bind_text(st, 1, document_id);
    db_bind_int(st, 2, days_before);
    db_bind_text(st, 3, application_id);
    db_bind_int(st, 4, now);
    return run_changed(st);
}

int store_documents_expiring(struct db_conn *conn, struct arena *arena, const char *from, const char *week_through,
                             const char *through, struct store_document **out, size_t *count)
{
    /* Left out: those whose due reminder (7 days up to week_through, else 30)
     * was sent, so that the list holds only work still to do. */
    struct db_stmt *st = db_prepare(
        conn, DOCUMENT_SELECT "WHERE d.deleted_at IS NULL AND d.replaced_at IS NULL AND d.expires_on IS NOT NULL"
                              " AND d.expires_on >= $1 AND d.expires_on <= $3"
                              " AND NOT EXISTS (SELECT 1 FROM document_reminders r WHERE r.document_id = d.id"
                              " AND r.days_before = CASE WHEN d.expires_on <= $2 THEN 7 ELSE 30 END)"
                              " ORDER BY d.expires_on, d.id LIMIT $4");
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, week_through);
    db_bind_text(st, 3, through);
    db_bind_int(st, 4, EXPIRING_LIMIT);
    return read_documents(arena, st, out, count);
}
