/* audit.h — the audit trail in words, for the staff page and GET /api/v1/audit:
 * for each event the action's sentence (AUDIT_ACTION_TABLE in
 * domain/vocabulary.h), who acted (name and role, not an id) and what it was
 * about ("the application of Asha Rao to Cardiology at St Mary's"). */
#ifndef ROUNDS_DOMAIN_AUDIT_H
#define ROUNDS_DOMAIN_AUDIT_H

#include <stddef.h>

#include "domain/vocabulary.h"
#include "lib/arena.h"
#include "store/applications.h"

/* One event as people read it. Every text is in the arena; NULL when unknown. */
struct audit_line {
    const struct store_audit_event *event;
    enum audit_action action; /* AUDIT_ACTION_UNKNOWN for a name no longer in the table */
    enum audit_object object; /* AUDIT_OBJECT_UNKNOWN likewise */
    const char *action_label; /* the sentence; "An action Rounds no longer records" when unknown */
    const char *actor_name;   /* NULL when nobody was signed in (or Rounds acted itself) */
    const char *actor_role;   /* the label of the actor's first role, NULL without one */
    bool actor_gone;          /* the event names an account that no longer exists */
    const char *object_noun;  /* "application", "document" … (the object's kind in words) */
    const char *object_label; /* the object itself in words, NULL when it has no name to show */
    const char *change;       /* a move of an application: "from Under review to Offer made", else NULL */
    const char *detail_label; /* the stored detail in words (audit_detail_words), NULL when unknown or empty */
};

/* Describes count events (looking up each actor once and each named object):
 * DB_OK with *out filled (count lines), or the store's error. */
int audit_describe(struct db_conn *conn, struct arena *arena, const struct store_audit_event *events, size_t count,
                   struct audit_line **out);

/* The event's detail in words ("kind=cv" → "Curriculum vitae"), NULL when
 * there is none or it is not one Rounds knows (show it as stored). Needs
 * line->action and line->change set. */
const char *audit_detail_words(struct arena *arena, const struct audit_line *line);

#endif
