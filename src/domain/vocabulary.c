/* vocabulary.c — the tables of vocabulary.h and their lookups. */
#include "domain/vocabulary.h"

#include <stddef.h>
#include <string.h>

/* The index of name in a NULL-terminated list, or -1. */
static int find(const char *const *names, const char *name)
{
    for (int i = 0; name != NULL && names[i] != NULL; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

#define VOCABULARY_NAME(value, name, label)  [value] = (name),
#define VOCABULARY_LABEL(value, name, label) [value] = (label),

/* The lists and the four functions of vocabulary x, from its TABLE and COUNT. */
#define VOCABULARY_DEFINE(x, TABLE, COUNT)                                                                             \
    const char *const x##_names[] = {TABLE(VOCABULARY_NAME)[COUNT] = NULL};                                            \
    const char *const x##_labels[] = {TABLE(VOCABULARY_LABEL)[COUNT] = NULL};                                          \
    const char *x##_name(enum x value)                                                                                 \
    {                                                                                                                  \
        return (int)value >= 0 && (int)value < (int)(COUNT) ? x##_names[value] : "";                                   \
    }                                                                                                                  \
    const char *x##_label(enum x value)                                                                                \
    {                                                                                                                  \
        return (int)value >= 0 && (int)value < (int)(COUNT) ? x##_labels[value] : "";                                  \
    }                                                                                                                  \
    enum x x##_parse(const char *name)                                                                                 \
    {                                                                                                                  \
        return find(x##_names, name); /* -1 is X_UNKNOWN */                                                           \
    }

VOCABULARY_DEFINE(role, ROLE_TABLE, ROLE_COUNT)
VOCABULARY_DEFINE(organization_kind, ORGANIZATION_KIND_TABLE, ORGANIZATION_KIND_COUNT)
VOCABULARY_DEFINE(student_status, STUDENT_STATUS_TABLE, STUDENT_STATUS_COUNT)
VOCABULARY_DEFINE(visa_kind, VISA_KIND_TABLE, VISA_KIND_COUNT)
VOCABULARY_DEFINE(step1_result, STEP1_RESULT_TABLE, STEP1_RESULT_COUNT)
VOCABULARY_DEFINE(ecfmg_status, ECFMG_STATUS_TABLE, ECFMG_STATUS_COUNT)
VOCABULARY_DEFINE(english_proof, ENGLISH_PROOF_TABLE, ENGLISH_PROOF_COUNT)
VOCABULARY_DEFINE(offering_kind, OFFERING_KIND_TABLE, OFFERING_KIND_COUNT)
VOCABULARY_DEFINE(offering_status, OFFERING_STATUS_TABLE, OFFERING_STATUS_COUNT)
VOCABULARY_DEFINE(offering_setting, OFFERING_SETTING_TABLE, OFFERING_SETTING_COUNT)
VOCABULARY_DEFINE(board_status, BOARD_STATUS_TABLE, BOARD_STATUS_COUNT)
VOCABULARY_DEFINE(catalog_event_kind, CATALOG_EVENT_KIND_TABLE, CATALOG_EVENT_KIND_COUNT)
VOCABULARY_DEFINE(waitlist_status, WAITLIST_STATUS_TABLE, WAITLIST_STATUS_COUNT)
VOCABULARY_DEFINE(application_status, APPLICATION_STATUS_TABLE, APPLICATION_STATUS_COUNT)
VOCABULARY_DEFINE(move_actor, MOVE_ACTOR_TABLE, MOVE_ACTOR_COUNT)
VOCABULARY_DEFINE(document_state, DOCUMENT_STATE_TABLE, DOCUMENT_STATE_COUNT)
VOCABULARY_DEFINE(compliance_state, COMPLIANCE_STATE_TABLE, COMPLIANCE_STATE_COUNT)
VOCABULARY_DEFINE(requirement_source, REQUIREMENT_SOURCE_TABLE, REQUIREMENT_SOURCE_COUNT)
VOCABULARY_DEFINE(letter_state, LETTER_STATE_TABLE, LETTER_STATE_COUNT)
VOCABULARY_DEFINE(readiness_state, READINESS_STATE_TABLE, READINESS_STATE_COUNT)
VOCABULARY_DEFINE(school_link_status, SCHOOL_LINK_STATUS_TABLE, SCHOOL_LINK_STATUS_COUNT)
VOCABULARY_DEFINE(match_round_status, MATCH_ROUND_STATUS_TABLE, MATCH_ROUND_STATUS_COUNT)
VOCABULARY_DEFINE(match_round_mode, MATCH_ROUND_MODE_TABLE, MATCH_ROUND_MODE_COUNT)
VOCABULARY_DEFINE(agreement_status, AGREEMENT_STATUS_TABLE, AGREEMENT_STATUS_COUNT)
VOCABULARY_DEFINE(agreement_side, AGREEMENT_SIDE_TABLE, AGREEMENT_SIDE_COUNT)
VOCABULARY_DEFINE(hours_setting, HOURS_SETTING_TABLE, HOURS_SETTING_COUNT)
VOCABULARY_DEFINE(hours_state, HOURS_STATE_TABLE, HOURS_STATE_COUNT)
VOCABULARY_DEFINE(ticket_category, TICKET_CATEGORY_TABLE, TICKET_CATEGORY_COUNT)
VOCABULARY_DEFINE(ticket_urgency, TICKET_URGENCY_TABLE, TICKET_URGENCY_COUNT)
VOCABULARY_DEFINE(ticket_status, TICKET_STATUS_TABLE, TICKET_STATUS_COUNT)
VOCABULARY_DEFINE(certificate_kind, CERTIFICATE_KIND_TABLE, CERTIFICATE_KIND_COUNT)
VOCABULARY_DEFINE(audit_action, AUDIT_ACTION_TABLE, AUDIT_ACTION_COUNT)
VOCABULARY_DEFINE(audit_object, AUDIT_OBJECT_TABLE, AUDIT_OBJECT_COUNT)
