/* audit_lookup.h — what the audit trail's pages read besides the events:
 * the objects an event's detail names (people, organisations, rotations,
 * blocks, applications, preceptors) by their names, for a whole page in one
 * query, and the events of one person — those they did and those done to
 * their account. */
#ifndef ROUNDS_STORE_AUDIT_LOOKUP_H
#define ROUNDS_STORE_AUDIT_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"
#include "store/applications.h"
#include "store/db.h"

/* The kinds of object an audit detail names. */
enum store_audit_ref_kind {
    STORE_REF_USER,
    STORE_REF_ORGANIZATION,
    STORE_REF_OFFERING,
    STORE_REF_BLOCK,
    STORE_REF_APPLICATION,
    STORE_REF_PRECEPTOR,
};

/* One object named by a detail: kind and id in, the rest out (found false
 * when it no longer exists). */
struct store_audit_ref {
    enum store_audit_ref_kind kind;
    const char *id;
    bool found;
    const char *name;   /* a person's, an organisation's or a preceptor's name; a rotation's title (blocks
                           and applications: their rotation's) */
    const char *place;  /* the host of a rotation, block or application; a preceptor's organisation */
    const char *start;  /* a block's (an application's block's) first and last day, YYYY-MM-DD */
    const char *end;
    const char *person; /* an application's student */
    const char *parent; /* a block's (an application's) rotation id */
};

/* The ids looked up by one statement (more are looked up STORE_AUDIT_REFS_CHUNK at a time). */
enum { STORE_AUDIT_REFS_CHUNK = 32 };

/* Fills refs (count of them, each (kind, id) given once): DB_OK or the store's error. */
int store_audit_refs_load(struct db_conn *conn, struct arena *arena, struct store_audit_ref *refs, size_t count);

/* The events of one account, newest first: those it did (actor) and those
 * done to it (object: that user). before_id 0 = from the newest. */
int store_audit_list_person(struct db_conn *conn, struct arena *arena, const char *user_id, int64_t before_id,
                            int limit, struct store_audit_event **out, size_t *count);

#endif
