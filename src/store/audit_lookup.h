/* audit_lookup.h — what the audit trail's pages read besides the events:
 * the accounts that acted, the objects the events are about and those their
 * details name (people, organisations, rotations, blocks, applications,
 * preceptors, documents, letters, agreements, tickets) by their names, for a
 * whole page in one query whatever its length, and the events of one person
 * — those they did and those done to their account. */
#ifndef ROUNDS_STORE_AUDIT_LOOKUP_H
#define ROUNDS_STORE_AUDIT_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"
#include "store/applications.h"
#include "store/db.h"

/* The kinds of object an audit event names: who acted, what it was about,
 * what its detail names. Each is found as the store's own reading of one
 * finds it (store_user_by_id, store_application_get, store_document_get …:
 * the same tables joined the same way), so that a page names what those
 * named. */
enum store_audit_ref_kind {
    STORE_REF_USER,
    STORE_REF_ORGANIZATION,
    STORE_REF_OFFERING,
    STORE_REF_BLOCK,
    STORE_REF_APPLICATION,
    STORE_REF_PRECEPTOR,
    STORE_REF_DOCUMENT, /* one not deleted */
    STORE_REF_LETTER,
    STORE_REF_AGREEMENT,
    STORE_REF_TICKET,
    STORE_REF_KINDS /* the number of kinds */
};

/* One object named by an event: kind and id in, the rest out (found false
 * when it no longer exists). */
struct store_audit_ref {
    enum store_audit_ref_kind kind;
    const char *id;
    bool found;
    const char *name;   /* a person's, an organisation's or a preceptor's name; a rotation's title (blocks
                           and applications: their rotation's); a document's kind as stored; a letter's
                           author; an agreement's host; a ticket's subject */
    const char *place;  /* the host of a rotation, block or application; a preceptor's organisation; an
                           agreement's school */
    const char *start;  /* a block's (an application's block's) first and last day, YYYY-MM-DD */
    const char *end;
    const char *person; /* the student of an application, a document or a letter */
    const char *parent; /* a block's (an application's) rotation id */
    const char *role;   /* a person's first role, as store_user_by_id orders them; NULL without one */
};

/* Fills refs (count of them, each (kind, id) given once) in one query,
 * whatever count is: DB_OK or the store's error. */
int store_audit_refs_load(struct db_conn *conn, struct arena *arena, struct store_audit_ref *refs, size_t count);

/* The events of one account, newest first: those it did (actor) and those
 * done to it (object: that user). before_id 0 = from the newest. */
int store_audit_list_person(struct db_conn *conn, struct arena *arena, const char *user_id, int64_t before_id,
                            int limit, struct store_audit_event **out, size_t *count);

#endif
