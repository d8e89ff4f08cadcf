/* audit_detail.c — the detail of an audit event in words (audit_detail_words
 * in audit.h). Each detail that store_audit_add writes is read here by the
 * event's action: "kind=cv" is "Curriculum vitae", a refusal's "statement" is
 * "tried to read the statement". A detail not known here gives NULL, and the
 * page shows it as stored, in small print. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/documents.h"
#include "lib/limits.h"

/* A stored detail and its words. */
struct detail_words {
    const char *stored, *words;
};

/* What somebody was refused (AUDIT_FORBIDDEN): the purpose or action given to
 * application_get_visible / application_move, the letter and route refusals. */
static const struct detail_words refused[] = {
    {"statement", "Tried to read the personal statement"},
    {"read", "Tried to open the application"},
    {"evaluation", "Tried to see the evaluation"},
    {"feedback", "Tried to give feedback on the rotation"},
    {"hours", "Tried to see or log hours"},
    {"check_in", "Tried to answer a weekly check-in"},
    {"check_ins", "Tried to see the weekly check-ins"},
    {"certificate", "Tried to get the certificate"},
    {"compliance", "Tried to see the document checklist"},
    {"messages", "Tried to read the messages"},
    {"review", "Tried to review it"},
    {"school decision", "Tried to decide for the home school"},
    {"ticket", "Tried to open a support ticket about it"},
    {"visa_letter", "Tried to get the visa letter"},
    {"withdraw", "Tried to withdraw it"},
    {"offer", "Tried to make an offer"},
    {"decline", "Tried to decline it"},
    {"accept", "Tried to accept the offer"},
    {"book", "Tried to book the seat"},
    {"clear", "Tried to clear it for the rotation"},
    {"start", "Tried to start the rotation"},
    {"complete", "Tried to complete the rotation"},
    {"cancel", "Tried to cancel it"},
    {"no_show", "Tried to mark a no-show"},
    {"release", "Tried to release the seat"},
    {"refuse", "Tried to refuse it for the home school"},
    {"file", "Tried to read the letter"},
    {"author action", "Tried to act as the letter's author"},
    {"GET", "Tried to open this page"},
    {"HEAD", "Tried to open this page"},
    {"POST", "Tried to send to this address"},
    {"PUT", "Tried to change something at this address"},
    {"PATCH", "Tried to change something at this address"},
    {"DELETE", "Tried to delete something at this address"},
};

/* Short details that read the same whatever the action. */
static const struct detail_words fixed[] = {
    {"by=staff", "Erased by staff"},
    {"by=schedule", "Erased on schedule, after the waiting period"},
    {"every session ended", "Every session was ended"},
    {"verification removed", "The verification was removed"},
    {"invitation", "With an invitation"},
    {"14 days", "The reminder after 14 days"},
    {"7 days", "The reminder after 7 days"},
    {"waived", "The student waived the right to read it"},
    {"not waived", "The student kept the right to read it"},
    {"eras_letter_id", "The ERAS letter id changed"},
    {"waived, eras_letter_id", "The student waived the right to read it; the ERAS letter id changed"},
    {"account", "Signed in"},
    {"invitation link", "With the invitation link"},
    {"resolve", "Marked resolved"},
    {"reopen", "Reopened"},
    {"assign", "Took it on"},
};

static const char *lookup(const struct detail_words *table, size_t count, const char *stored)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(table[i].stored, stored) == 0)
            return table[i].words;
    return NULL;
}

/* "kind=cv" or "kind=cv message=ID" (a message's attachment): the kind's name. */
static const char *document_kind_words(struct arena *arena, const char *detail)
{
    if (strncmp(detail, "kind=", 5) != 0)
        return NULL;
    const char *kind = detail + 5, *space = strchr(kind, ' ');
    const char *slug = space != NULL ? arena_strndup(arena, kind, (size_t)(space - kind)) : kind;
    if (slug == NULL)
        return NULL;
    const char *name = document_kind_name(slug);
    if (name == slug) /* a kind Rounds no longer knows: the detail as stored */
        return NULL;
    if (space == NULL)
        return name;
    return strncmp(space, " message=", 9) == 0 ? arena_printf(arena, "%s, attached to a message", name) : NULL;
}

/* "version 2 via invitation link" (a letter uploaded or read). */
static const char *letter_version_words(struct arena *arena, const char *detail)
{
    if (strncmp(detail, "version ", 8) != 0)
        return NULL;
    const char *via = strstr(detail, " via ");
    if (via == NULL)
        return NULL;
    char *end = NULL;
    long long version = strtoll(detail + 8, &end, 10);
    if (end != via || version < 1)
        return NULL;
    const char *how = lookup(fixed, sizeof(fixed) / sizeof(fixed[0]), via + 5);
    return how != NULL ? arena_printf(arena, "Version %lld; %s", version, how) : NULL;
}

const char *audit_detail_words(struct arena *arena, const struct audit_line *line)
{
    const char *detail = line->event->detail;
    if (detail == NULL || detail[0] == '\0')
        return NULL;
    switch (line->action) {
    case AUDIT_FORBIDDEN:
        return lookup(refused, sizeof(refused) / sizeof(refused[0]), detail);
    case AUDIT_DOCUMENT_UPLOAD:
    case AUDIT_DOCUMENT_READ:
    case AUDIT_DOCUMENT_VERIFY:
    case AUDIT_DOCUMENT_REJECT:
    case AUDIT_DOCUMENT_DELETE:
    case AUDIT_REQUIREMENT_ADD:
    case AUDIT_REQUIREMENT_REMOVE:
        return document_kind_words(arena, detail);
    case AUDIT_LETTER_UPLOAD:
    case AUDIT_LETTER_READ:
        return letter_version_words(arena, detail);
    case AUDIT_TRANSITION:
        return line->change;
    case AUDIT_HOURS_REVIEWED: {
        const char *label = hours_state_label(hours_state_parse(detail));
        return label[0] != '\0' ? label : NULL;
    }
    case AUDIT_HOURS_LOGGED:
    case AUDIT_HOURS_EDITED:
        return arena_printf(arena, "Hours of %s", detail);
    case AUDIT_TICKET_OPENED: {
        const char *label = ticket_category_label(ticket_category_parse(detail));
        return label[0] != '\0' ? label : NULL;
    }
    case AUDIT_SCHOOL_HOME_APPROVAL:
        return strcmp(detail, "on") == 0    ? "The home school now approves applications first"
               : strcmp(detail, "off") == 0 ? "The home school no longer approves applications first"
                                            : NULL;
    case AUDIT_HOURS_WEEK_CONFIRMED:
    case AUDIT_DATE_OVERRIDE:
    case AUDIT_HIDE:
    case AUDIT_CERTIFICATE_REVOKE:
    case AUDIT_GOODWILL_REFUND:
        return detail; /* written in words already: a sentence, a reason someone gave */
    default:
        return lookup(fixed, sizeof(fixed) / sizeof(fixed[0]), detail);
    }
}
