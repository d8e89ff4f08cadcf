/* audit_lookup.c — the objects an audit page's details name, in one query
 * per page (see audit_lookup.h), and one person's events. The ids are a fixed
 * list of parameters, unused ones NULL, so that the statement is prepared
 * once (as store/session_batch.c does); every id is looked for in each kind's
 * table, and a row answers the refs of its own kind only. */
#include "store/audit_lookup.h"

#include <string.h>

#include "store/util.h"

_Static_assert(STORE_AUDIT_REFS_CHUNK == 32, "the IN list of refs_sql has 32 parameters");
#define REFS_IDS                                                                                                   \
    " IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,"   \
    " $23, $24, $25, $26, $27, $28, $29, $30, $31, $32)"
#define NO_TEXT "CAST(NULL AS TEXT)"

/* Columns: kind, id, name, place, start, end, person, parent (struct store_audit_ref). */
static const char refs_sql[] =
    "SELECT 0, u.id, u.name, " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT
    " FROM users u WHERE u.id" REFS_IDS
    " UNION ALL SELECT 1, g.id, g.name, " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT
    " FROM organizations g WHERE g.id" REFS_IDS
    " UNION ALL SELECT 2, o.id, o.title, h.name, " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT
    " FROM offerings o JOIN organizations h ON h.id = o.organization_id WHERE o.id" REFS_IDS
    " UNION ALL SELECT 3, b.id, o.title, h.name, b.start_date, b.end_date, " NO_TEXT ", o.id"
    " FROM blocks b JOIN offerings o ON o.id = b.offering_id JOIN organizations h ON h.id = o.organization_id"
    " WHERE b.id" REFS_IDS
    " UNION ALL SELECT 4, a.id, o.title, h.name, b.start_date, b.end_date, s.name, o.id"
    " FROM applications a JOIN offerings o ON o.id = a.offering_id JOIN blocks b ON b.id = a.block_id"
    " JOIN organizations h ON h.id = a.organization_id JOIN users s ON s.id = a.student_id WHERE a.id" REFS_IDS
    " UNION ALL SELECT 5, p.id, p.name, h.name, " NO_TEXT ", " NO_TEXT ", " NO_TEXT ", " NO_TEXT
    " FROM preceptors p JOIN organizations h ON h.id = p.organization_id WHERE p.id" REFS_IDS;

/* The refs of one chunk (at most STORE_AUDIT_REFS_CHUNK of them). */
static int load_chunk(struct db_conn *conn, struct arena *arena, struct store_audit_ref *refs, size_t count)
{
    struct db_stmt *st = db_prepare(conn, refs_sql);
    for (int i = 0; i < STORE_AUDIT_REFS_CHUNK; i++) {
        if ((size_t)i < count)
            db_bind_text(st, i + 1, refs[i].id);
        else
            db_bind_null(st, i + 1);
    }
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
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
        }
    }
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_audit_refs_load(struct db_conn *conn, struct arena *arena, struct store_audit_ref *refs, size_t count)
{
    for (size_t done = 0; done < count; done += STORE_AUDIT_REFS_CHUNK) {
        size_t n = count - done < STORE_AUDIT_REFS_CHUNK ? count - done : STORE_AUDIT_REFS_CHUNK;
        int rc = load_chunk(conn, arena, refs + done, n);
        if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
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
