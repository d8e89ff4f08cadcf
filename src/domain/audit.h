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
#include "store/audit_lookup.h"

/* A piece of a detail in words: text, or an object the detail names (id
 * set: its name, or "a removed rotation" when it is gone), linked to href
 * when staff has a page for it. */
struct audit_piece {
    const char *text;
    const char *id;   /* the named object's id, for small print; NULL for plain text */
    const char *href; /* the page staff opens for it, NULL when none */
};
enum { AUDIT_DETAIL_PIECES = 8 };

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
    bool object_gone;         /* an object Rounds names (an account, an application …) no longer exists */
    const char *change;       /* a move of an application: "from Under review to Offer made", else NULL */
    const char *detail_label; /* the stored detail in words (audit_detail_words), NULL when unknown or empty */
    struct audit_piece pieces[AUDIT_DETAIL_PIECES]; /* detail_label in pieces, the objects it names apart */
    size_t piece_count;                             /* 0 when detail_label is NULL */
};

/* Describes count events: the accounts that acted, the objects the events
 * are about and those their details name are looked up in one query for
 * them all, whatever count is (store_audit_refs_load). DB_OK with *out
 * filled (count lines), or the store's error. */
int audit_describe(struct db_conn *conn, struct arena *arena, const struct store_audit_event *events, size_t count,
                   struct audit_line **out);

/* The event's detail in words ("kind=cv" → "Curriculum vitae"), NULL when
 * there is none or it is not one Rounds knows (show it as stored). Needs
 * line->action and line->change set. */
const char *audit_detail_words(struct arena *arena, const struct audit_line *line);

/* The accounts and objects the events of a page name, loaded together (audit_refs.c). */
struct audit_refs {
    struct arena *arena;
    struct store_audit_ref *items;
    size_t count, max;
};

/* Adds to refs who acted, the line's object and what its detail names (ids
 * of people, organisations, blocks, applications …): at most
 * AUDIT_REFS_PER_LINE; false when refs is full. Needs line->action and
 * line->object set. */
bool audit_refs_collect(struct audit_refs *refs, const struct audit_line *line);

enum { AUDIT_REFS_PER_LINE = 4 }; /* the actor, the object, two named by the detail (an agreement's sides) */

/* The line's actor_name, actor_role and actor_gone (refs loaded). */
void audit_actor_named(struct audit_line *line, const struct audit_refs *refs);

/* The line's object_label: the object's name when it has one and still exists, else NULL (refs loaded). */
void audit_object_named(struct arena *arena, struct audit_line *line, const struct audit_refs *refs);

/* The line's pieces and detail_label for a detail that names objects or
 * amounts (refs loaded); false when the detail is not of that sort. */
bool audit_detail_named(struct arena *arena, struct audit_line *line, const struct audit_refs *refs);

#endif
