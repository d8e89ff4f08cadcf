/* audit.c — the audit trail in words (see audit.h): actors by name and role,
 * objects by what people call them, moves of an application by their states'
 * labels. */
#include "domain/audit.h"

#include <string.h>

/* "offer: under_review -> offered" (domain/applications.c) → "from Under review to Offer made". */
static const char *move_in_words(struct arena *arena, const char *detail)
{
    const char *colon = strstr(detail, ":"), *arrow = strstr(detail, " -> ");
    if (colon == NULL || arrow == NULL || arrow < colon)
        return NULL;
    /* "submit: -> submitted" has no state before: the arrow follows the colon's space. */
    const char *start = arrow > colon + 1 ? colon + 2 : arrow;
    const char *from = arena_strndup(arena, start, (size_t)(arrow - start));
    const char *to_label = application_status_label(application_status_parse(arrow + 4));
    if (from == NULL || to_label[0] == '\0')
        return NULL;
    const char *from_label = application_status_label(application_status_parse(from));
    return from_label[0] != '\0' ? arena_printf(arena, "from %s to %s", from_label, to_label)
                                 : arena_printf(arena, "to %s", to_label);
}

/* Whether Rounds names objects of this kind (so that one without a name is gone). */
static bool named_kind(enum audit_object object)
{
    switch (object) {
    case AUDIT_ON_USER:
    case AUDIT_ON_APPLICATION:
    case AUDIT_ON_VISA_LETTER:
    case AUDIT_ON_DOCUMENT:
    case AUDIT_ON_LETTER:
    case AUDIT_ON_AGREEMENT:
    case AUDIT_ON_OFFERING:
    case AUDIT_ON_ORGANIZATION:
    case AUDIT_ON_TICKET:
    case AUDIT_ON_PRECEPTOR:
    case AUDIT_ON_EVALUATION:
        return true;
    default:
        return false;
    }
}

/* The page in words: who acted, the objects, and what the details name
 * loaded in one query for the page, then each line named and each detail as
 * pieces (audit_refs.c) or, when it names nothing, as audit_detail_words
 * reads it. */
static int describe_named(struct db_conn *conn, struct arena *arena, struct audit_line *lines, size_t count)
{
    struct audit_refs refs = {.arena = arena,
                              .items = arena_calloc(arena, AUDIT_REFS_PER_LINE * count, sizeof(struct store_audit_ref)),
                              .max = AUDIT_REFS_PER_LINE * count};
    if (refs.items == NULL)
        return DB_ERROR;
    for (size_t i = 0; i < count; i++)
        if (!audit_refs_collect(&refs, &lines[i]))
            return DB_ERROR;
    int rc = refs.count > 0 ? store_audit_refs_load(conn, arena, refs.items, refs.count) : DB_OK;
    if (rc != DB_OK)
        return rc;
    for (size_t i = 0; i < count; i++) {
        struct audit_line *line = &lines[i];
        audit_actor_named(line, &refs);
        audit_object_named(arena, line, &refs);
        const char *id = line->event->object_id;
        line->object_gone = line->object_label == NULL && id != NULL && id[0] != '\0' && named_kind(line->object);
        if (audit_detail_named(arena, line, &refs))
            continue;
        line->detail_label = audit_detail_words(arena, line);
        if (line->detail_label != NULL) {
            line->pieces[0] = (struct audit_piece){.text = line->detail_label};
            line->piece_count = 1;
        }
    }
    return DB_OK;
}

int audit_describe(struct db_conn *conn, struct arena *arena, const struct store_audit_event *events, size_t count,
                   struct audit_line **out)
{
    *out = NULL;
    if (count == 0)
        return DB_OK;
    struct audit_line *lines = arena_calloc(arena, count, sizeof(*lines));
    if (lines == NULL)
        return DB_ERROR;
    for (size_t i = 0; i < count; i++) {
        struct audit_line *line = &lines[i];
        line->event = &events[i];
        line->action = audit_action_parse(events[i].action);
        line->object = audit_object_parse(events[i].object_type);
        line->action_label = line->action != AUDIT_ACTION_UNKNOWN ? audit_action_label(line->action)
                                                                  : "An action Rounds no longer records";
        line->object_noun = audit_object_label(line->object);
        if (line->action == AUDIT_TRANSITION && events[i].detail != NULL)
            line->change = move_in_words(arena, events[i].detail);
    }
    int rc = describe_named(conn, arena, lines, count);
    if (rc != DB_OK)
        return rc;
    *out = lines;
    return DB_OK;
}
