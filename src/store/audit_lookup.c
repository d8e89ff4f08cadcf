/* audit_lookup.c — the accounts and objects an audit page names, in one
 * query for the page whatever its length (see audit_lookup.h), and one
 * person's events. The ids of each kind are one parameter, a JSON array
 * ($1 the accounts', $2 the organisations' … in the order of enum
 * store_audit_ref_kind; NULL for a kind the page does not name), so that the
 * statement is prepared once and a page of 100 events costs what a page of
 * 5 does; each kind's branch looks its ids up by primary key. The arrays are
 * read by json_each on SQLite and json_array_elements_text on PostgreSQL, the
 * only difference between the two texts (as store/session_batch.c has a
 * PostgreSQL text of its own). */
#include "store/audit_lookup.h"

#include <string.h>

#include "lib/buf.h"
#include "lib/limits.h"
#include "store/util.h"

#define NO_TEXT "CAST(NULL AS TEXT)"
#define SQLITE_IDS(n) " IN (SELECT value FROM json_each($" n "))"
/* ANY of an array computed once: an index condition on the key, whatever the table's statistics. */
#define PG_IDS(n) " = ANY (ARRAY (SELECT json_array_elements_text(CAST($" n " AS json))))"

_Static_assert(STORE_REF_KINDS == 10, "refs_sql has a branch and a parameter per kind");
/* Columns: kind, id, name, place, start, end, person, parent, role (struct store_audit_ref); each
 * branch joins what the store's reading of one object joins (see audit_lookup.h). */
#define REFS_SQL(IDS)                                                                                              \
    "SELECT 0, u.id, u.name, " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT ","                     \
    " (SELECT MIN(r.role) FROM user_roles r WHERE r.user_id = u.id) FROM users u WHERE u.id" IDS("1")             \
    " UNION ALL SELECT 1, g.id, g.name, " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT \
    " FROM organizations g WHERE g.id" IDS("2")                                                                    \
    " UNION ALL SELECT 2, o.id, o.title, h.name, " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT     \
    " FROM offerings o JOIN organizations h ON h.id = o.organization_id JOIN sites si ON si.id = o.site_id"        \
    " JOIN preceptors op ON op.id = o.preceptor_id WHERE o.id" IDS("3")                                            \
    " UNION ALL SELECT 3, b.id, o.title, h.name, b.start_date, b.end_date, " NO_TEXT ", o.id, " NO_TEXT            \
    " FROM blocks b JOIN offerings o ON o.id = b.offering_id JOIN organizations h ON h.id = o.organization_id"     \
    " WHERE b.id" IDS("4")                                                                                         \
    " UNION ALL SELECT 4, a.id, o.title, h.name, b.start_date, b.end_date, s.name, o.id, " NO_TEXT                 \
    " FROM applications a JOIN offerings o ON o.id = a.offering_id JOIN blocks b ON b.id = a.block_id"             \
    " JOIN organizations h ON h.id = a.organization_id JOIN users s ON s.id = a.student_id"                        \
    " JOIN preceptors ap ON ap.id = o.preceptor_id WHERE a.id" IDS("5")                                            \
    " UNION ALL SELECT 5, p.id, p.name, h.name, " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT      \
    " FROM preceptors p JOIN organizations h ON h.id = p.organization_id WHERE p.id" IDS("6")                      \
    " UNION ALL SELECT 6, d.id, d.kind, " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", s.name, " NO_TEXT ", " NO_TEXT      \
    " FROM documents d JOIN users s ON s.id = d.student_id WHERE d.deleted_at IS NULL AND d.id" IDS("7")           \
    " UNION ALL SELECT 7, l.id, l.author_name, " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", s.name, " NO_TEXT ", "       \
    NO_TEXT " FROM letters l JOIN users s ON s.id = l.student_id WHERE l.id" IDS("8")                              \
    " UNION ALL SELECT 8, a.id, h.name, sc.name, " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT     \
    " FROM affiliation_agreements a JOIN organizations h ON h.id = a.host_id"                                     \
    " JOIN organizations sc ON sc.id = a.school_id JOIN users pu ON pu.id = a.proposed_by WHERE a.id" IDS("9")     \
    " UNION ALL SELECT 9, t.id, t.subject, " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", "      \
    NO_TEXT " FROM tickets t JOIN users tr ON tr.id = t.requester_id WHERE t.id" IDS("10")

static const char refs_sqlite_sql[] = REFS_SQL(SQLITE_IDS);
static const char refs_pg_sql[] = REFS_SQL(PG_IDS);

/* Binds each kind's ids as a JSON array (NULL for a kind without any): DB_OK, or DB_ERROR when they do not fit. */
static int bind_ids(struct db_stmt *st, struct arena *arena, const struct store_audit_ref *refs, size_t count)
{
    struct buf ids[STORE_REF_KINDS];
    for (int k = 0; k < STORE_REF_KINDS; k++)
        buf_init(&ids[k], arena, BUF_CAP_LIST);
    for (size_t i = 0; i < count; i++) {
        if ((int)refs[i].kind < 0 || refs[i].kind >= STORE_REF_KINDS)
            return DB_ERROR;
        struct buf *b = &ids[refs[i].kind];
        buf_append_char(b, b->len == 0 ? '[' : ',');
        buf_append_json_string(b, refs[i].id);
    }
    for (int k = 0; k < STORE_REF_KINDS; k++) {
        if (ids[k].len == 0) {
            db_bind_null(st, k + 1);
            continue;
        }
        buf_append_char(&ids[k], ']');
        if (!buf_ok(&ids[k]))
            return DB_ERROR;
        db_bind_text(st, k + 1, ids[k].data);
    }
    return DB_OK;
}

/* The row's object into the ref of its kind and id (each is given once). */
static void read_ref(struct arena *arena, struct db_stmt *st, struct store_audit_ref *refs, size_t count)
{
    int64_t kind = db_column_int(st, 0);
    const char *id = db_column_text(st, 1);
    for (size_t i = 0; i < count && id != NULL; i++) {
        struct store_audit_ref *r = &refs[i];
        if ((int64_t)r->kind != kind || r->found || strcmp(r->id, id) != 0)
            continue;
        r->found = true;
        r->name = store_column_dup(arena, st, 2);
        r->place = store_column_dup(arena, st, 3);
        r->start = store_column_dup(arena, st, 4);
        r->end = store_column_dup(arena, st, 5);
        r->person = store_column_dup(arena, st, 6);
        r->parent = store_column_dup(arena, st, 7);
        r->role = store_column_dup(arena, st, 8);
        return;
    }
}

int store_audit_refs_load(struct db_conn *conn, struct arena *arena, struct store_audit_ref *refs, size_t count)
{
    if (count == 0)
        return DB_OK;
    struct db_stmt *st =
        db_prepare(conn, strcmp(db_backend_name(conn), "postgres") == 0 ? refs_pg_sql : refs_sqlite_sql);
    int rc = bind_ids(st, arena, refs, count);
    if (rc == DB_OK) {
        while ((rc = db_step(st)) == DB_ROW)
            read_ref(arena, st, refs, count);
    }
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_audit_list_person(struct db_conn *conn, struct arena *arena, const char *user_id, int64_t before_id,
                            int limit, struct store_audit_event **out, size_t *count)
{
    /* Two index lookups (audit_events_by_actor, audit_events_by_object), merged newest first. */
    struct db_stmt *st = db_prepare(conn, "SELECT id, at, actor_id, action, object_type, object_id, detail"
                                          " FROM audit_events WHERE (actor_id = $1"
                                          " OR (object_id = $1 AND object_type = 'user'))"
                                          " AND (CAST($2 AS BIGINT) = 0 OR id < CAST($2 AS BIGINT))"
                                          " ORDER BY id DESC LIMIT $3");
    db_bind_text(st, 1, user_id);
    db_bind_int(st, 2, before_id);
    db_bind_int(st, 3, limit);
    return store_audit_read_events(st, arena, out, count);
}
