/* audit.c — the audit trail in words (see audit.h): actors by name and role,
 * objects by what people call them, moves of an application by their states'
 * labels. */
#include "domain/audit.h"

#include <stdio.h>
#include <string.h>

#include "domain/documents.h"
#include "lib/limits.h"
#include "store/agreements.h"
#include "store/documents.h"
#include "store/letters.h"
#include "store/support.h"

/* The accounts named on one page, each looked up once. */
struct people {
    struct person {
        const char *id;
        bool found;
        struct store_user user;
    } *known;
    size_t count, max;
};

/* The account with this id (found false when there is none), or NULL on a store error. */
static const struct person *person(struct db_conn *conn, struct arena *arena, struct people *p, const char *id)
{
    for (size_t i = 0; i < p->count; i++)
        if (strcmp(p->known[i].id, id) == 0)
            return &p->known[i];
    if (p->count == p->max)
        return NULL;
    struct person *n = &p->known[p->count];
    n->id = id;
    int rc = store_user_by_id(conn, arena, id, &n->user);
    if (rc != DB_ROW && rc != DB_DONE)
        return NULL;
    n->found = rc == DB_ROW;
    p->count++;
    return n;
}

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

/* The application in words: "Application of Asha Rao to Cardiology at St Mary's". */
static int application_label(struct db_conn *conn, struct arena *arena, const char *id, const char **out)
{
    struct store_application a;
    int rc = store_application_get(conn, arena, id, &a);
    if (rc == DB_ROW)
        *out = arena_printf(arena, "Application of %s to %s at %s", a.student_name, a.offering_title, a.host_name);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static int document_label(struct db_conn *conn, struct arena *arena, const char *id, const char **out)
{
    struct store_document d;
    int rc = store_document_get(conn, arena, id, &d);
    if (rc == DB_ROW)
        *out = d.student_name != NULL ? arena_printf(arena, "%s of %s", document_kind_name(d.kind), d.student_name)
                                      : document_kind_name(d.kind);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static int letter_label(struct db_conn *conn, struct arena *arena, const char *id, const char **out)
{
    struct store_letter l;
    int rc = store_letter_get(conn, arena, id, &l);
    if (rc == DB_ROW)
        *out = arena_printf(arena, "Letter from %s for %s", l.author_name, l.student_name);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static int agreement_label(struct db_conn *conn, struct arena *arena, const char *id, const char **out)
{
    struct store_agreement g;
    int rc = store_agreement_get(conn, arena, id, &g);
    if (rc == DB_ROW)
        *out = arena_printf(arena, "Agreement between %s and %s", g.host_name, g.school_name);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static int named_label(struct db_conn *conn, struct arena *arena, enum audit_object object, const char *id,
                       const char **out)
{
    int rc = DB_DONE;
    if (object == AUDIT_ON_OFFERING) {
        struct store_offering o;
        if ((rc = store_offering_get(conn, arena, id, &o)) == DB_ROW)
            *out = o.title;
    } else if (object == AUDIT_ON_ORGANIZATION) {
        rc = store_organization_name(conn, arena, id, out);
    } else if (object == AUDIT_ON_TICKET) {
        struct store_ticket t;
        if ((rc = store_ticket_get(conn, arena, id, &t)) == DB_ROW)
            *out = arena_printf(arena, "“%s”", t.subject);
    }
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* line->object_label for the event's object: its name when it has one, else NULL. */
static int object_label(struct db_conn *conn, struct arena *arena, struct people *people, struct audit_line *line)
{
    const char *id = line->event->object_id;
    if (id == NULL || id[0] == '\0')
        return DB_OK;
    switch (line->object) {
    case AUDIT_ON_USER: {
        const struct person *p = person(conn, arena, people, id);
        if (p == NULL)
            return DB_ERROR;
        line->object_label = p->found ? p->user.name : NULL;
        return DB_OK;
    }
    case AUDIT_ON_APPLICATION:
    case AUDIT_ON_VISA_LETTER:
        return application_label(conn, arena, id, &line->object_label);
    case AUDIT_ON_DOCUMENT:
        return document_label(conn, arena, id, &line->object_label);
    case AUDIT_ON_LETTER:
        return letter_label(conn, arena, id, &line->object_label);
    case AUDIT_ON_AGREEMENT:
        return agreement_label(conn, arena, id, &line->object_label);
    case AUDIT_ON_OFFERING:
    case AUDIT_ON_ORGANIZATION:
    case AUDIT_ON_TICKET:
        return named_label(conn, arena, line->object, id, &line->object_label);
    case AUDIT_ON_ROUTE:
    case AUDIT_ON_CERTIFICATE:
        line->object_label = id; /* a path, a certificate number: readable as they are */
        return DB_OK;
    default:
        return DB_OK;
    }
}

static int actor(struct db_conn *conn, struct arena *arena, struct people *people, struct audit_line *line)
{
    if (line->event->actor_id == NULL)
        return DB_OK;
    const struct person *p = person(conn, arena, people, line->event->actor_id);
    if (p == NULL)
        return DB_ERROR;
    line->actor_gone = !p->found;
    if (p->found) {
        line->actor_name = p->user.name;
        if (p->user.role_count > 0) {
            const char *role = role_label(role_parse(p->user.roles[0]));
            line->actor_role = role[0] != '\0' ? role : NULL;
        }
    }
    return DB_OK;
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

/* The details of the page in words: the objects they name loaded in one
 * query for the page, then each detail as pieces (audit_refs.c) or, when it
 * names nothing, as audit_detail_words reads it. */
static int describe_details(struct db_conn *conn, struct arena *arena, struct audit_line *lines, size_t count)
{
    /* At most the object and two named per detail (an agreement's host and school, a change of coach). */
    struct audit_refs refs = {.arena = arena, .items = arena_calloc(arena, 3 * count, sizeof(struct store_audit_ref)),
                              .max = 3 * count};
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
    /* At most an actor and an account named as the object per event. */
    struct people people = {.known = arena_calloc(arena, 2 * count, sizeof(struct person)), .max = 2 * count};
    if (lines == NULL || people.known == NULL)
        return DB_ERROR;
    for (size_t i = 0; i < count; i++) {
        struct audit_line *line = &lines[i];
        line->event = &events[i];
        line->action = audit_action_parse(events[i].action);
        line->object = audit_object_parse(events[i].object_type);
        line->action_label = line->action != AUDIT_ACTION_UNKNOWN ? audit_action_label(line->action)
                                                                  : "An action Rounds no longer records";
        line->object_noun = audit_object_label(line->object);
        int rc = actor(conn, arena, &people, line);
        if (rc == DB_OK)
            rc = object_label(conn, arena, &people, line);
        if (rc != DB_OK)
            return rc;
        if (line->action == AUDIT_TRANSITION && events[i].detail != NULL)
            line->change = move_in_words(arena, events[i].detail);
    }
    int rc = describe_details(conn, arena, lines, count);
    if (rc != DB_OK)
        return rc;
    *out = lines;
    return DB_OK;
}
