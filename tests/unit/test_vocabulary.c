/* test_vocabulary.c — unit tests for src/domain/vocabulary.c: every state,
 * role and kind parses from its stored name and back, has one label, and
 * anything else is refused as unknown. */
#include <stdbool.h>
#include <stddef.h>

#include "domain/vocabulary.h"
#include "test.h"

/* The checks every vocabulary passes: names and labels lists of count
 * entries then NULL, each name parsing to its index and back, labels and
 * names non-empty and distinct; unknowns refused. */
#define CHECK_VOCABULARY(x, COUNT, UNKNOWN)                                                                            \
    do {                                                                                                               \
        int n_ = 0;                                                                                                    \
        while (x##_names[n_] != NULL)                                                                                  \
            n_++;                                                                                                      \
        CHECK_INT(n_, COUNT);                                                                                          \
        CHECK(x##_labels[COUNT] == NULL);                                                                              \
        for (int i_ = 0; i_ < (int)(COUNT); i_++) {                                                                    \
            const char *name_ = x##_name((enum x)i_);                                                                  \
            CHECK(name_[0] != '\0');                                                                                   \
            CHECK(x##_label((enum x)i_)[0] != '\0');                                                                   \
            CHECK_STR(name_, x##_names[i_]);                                                                           \
            CHECK_STR(x##_label((enum x)i_), x##_labels[i_]);                                                          \
            CHECK_INT(x##_parse(name_), i_);                                                                           \
            for (int j_ = 0; j_ < i_; j_++) {                                                                          \
                if (strcmp(x##_names[j_], name_) == 0)                                                                 \
                    TEST_FAILF("%s: \"%s\" names two values", #x, name_);                                              \
                if (strcmp(x##_labels[j_], x##_labels[i_]) == 0)                                                       \
                    TEST_FAILF("%s: \"%s\" labels two values", #x, x##_labels[i_]);                                    \
            }                                                                                                          \
        }                                                                                                              \
        CHECK_INT(x##_parse(NULL), UNKNOWN);                                                                           \
        CHECK_INT(x##_parse(""), UNKNOWN);                                                                             \
        CHECK_INT(x##_parse("no such value"), UNKNOWN);                                                                \
        CHECK_STR(x##_name(UNKNOWN), "");                                                                              \
        CHECK_STR(x##_label(UNKNOWN), "");                                                                             \
        CHECK_STR(x##_name((enum x)(COUNT)), "");                                                                      \
        CHECK_STR(x##_label((enum x)(COUNT)), "");                                                                     \
    } while (0)

TEST(every_vocabulary_round_trips)
{
    CHECK_VOCABULARY(role, ROLE_COUNT, ROLE_UNKNOWN);
    CHECK_VOCABULARY(organization_kind, ORGANIZATION_KIND_COUNT, ORGANIZATION_KIND_UNKNOWN);
    CHECK_VOCABULARY(student_status, STUDENT_STATUS_COUNT, STUDENT_STATUS_UNKNOWN);
    CHECK_VOCABULARY(visa_kind, VISA_KIND_COUNT, VISA_KIND_UNKNOWN);
    CHECK_VOCABULARY(step1_result, STEP1_RESULT_COUNT, STEP1_RESULT_UNKNOWN);
    CHECK_VOCABULARY(ecfmg_status, ECFMG_STATUS_COUNT, ECFMG_STATUS_UNKNOWN);
    CHECK_VOCABULARY(english_proof, ENGLISH_PROOF_COUNT, ENGLISH_PROOF_UNKNOWN);
    CHECK_VOCABULARY(offering_kind, OFFERING_KIND_COUNT, OFFERING_KIND_UNKNOWN);
    CHECK_VOCABULARY(offering_status, OFFERING_STATUS_COUNT, OFFERING_STATUS_UNKNOWN);
    CHECK_VOCABULARY(offering_setting, OFFERING_SETTING_COUNT, OFFERING_SETTING_UNKNOWN);
    CHECK_VOCABULARY(board_status, BOARD_STATUS_COUNT, BOARD_STATUS_UNKNOWN);
    CHECK_VOCABULARY(application_status, APPLICATION_STATUS_COUNT, APPLICATION_STATUS_UNKNOWN);
    CHECK_VOCABULARY(move_actor, MOVE_ACTOR_COUNT, MOVE_ACTOR_UNKNOWN);
    CHECK_VOCABULARY(document_state, DOCUMENT_STATE_COUNT, DOCUMENT_STATE_UNKNOWN);
    CHECK_VOCABULARY(compliance_state, COMPLIANCE_STATE_COUNT, COMPLIANCE_STATE_UNKNOWN);
    CHECK_VOCABULARY(requirement_source, REQUIREMENT_SOURCE_COUNT, REQUIREMENT_SOURCE_UNKNOWN);
    CHECK_VOCABULARY(letter_state, LETTER_STATE_COUNT, LETTER_STATE_UNKNOWN);
    CHECK_VOCABULARY(readiness_state, READINESS_STATE_COUNT, READINESS_STATE_UNKNOWN);
    CHECK_VOCABULARY(catalog_event_kind, CATALOG_EVENT_KIND_COUNT, CATALOG_EVENT_KIND_UNKNOWN);
    CHECK_VOCABULARY(waitlist_status, WAITLIST_STATUS_COUNT, WAITLIST_STATUS_UNKNOWN);
    CHECK_VOCABULARY(hours_setting, HOURS_SETTING_COUNT, HOURS_SETTING_UNKNOWN);
    CHECK_VOCABULARY(hours_state, HOURS_STATE_COUNT, HOURS_STATE_UNKNOWN);
    CHECK_VOCABULARY(ticket_category, TICKET_CATEGORY_COUNT, TICKET_CATEGORY_UNKNOWN);
    CHECK_VOCABULARY(ticket_urgency, TICKET_URGENCY_COUNT, TICKET_URGENCY_UNKNOWN);
    CHECK_VOCABULARY(ticket_status, TICKET_STATUS_COUNT, TICKET_STATUS_UNKNOWN);
    CHECK_VOCABULARY(audit_action, AUDIT_ACTION_COUNT, AUDIT_ACTION_UNKNOWN);
    CHECK_VOCABULARY(audit_object, AUDIT_OBJECT_COUNT, AUDIT_OBJECT_UNKNOWN);
    CHECK_STR(role_name(ROLE_COACH), "coach");
    CHECK_STR(hours_state_name(HOURS_CHANGE_REQUESTED), "change_requested");
    CHECK_STR(ticket_category_name(TICKET_SAFETY), "safety");
}

/* The stored names are what the database and the API carry: they must not drift. */
TEST(stored_names_are_the_database_values)
{
    CHECK_STR(role_name(ROLE_STAFF), "staff");
    CHECK_STR(role_name(ROLE_HOST_COORDINATOR), "host_coordinator");
    CHECK_INT(role_parse("school_coordinator"), ROLE_SCHOOL_COORDINATOR);
    CHECK_STR(application_status_name(APPLICATION_OFFERED), "offered");
    CHECK_STR(application_status_name(APPLICATION_CANCELLED_BY_HOST), "cancelled_by_host");
    CHECK_INT(application_status_parse("no_show"), APPLICATION_NO_SHOW);
    CHECK_INT(application_status_parse("Offered"), APPLICATION_STATUS_UNKNOWN); /* names are exact */
    CHECK_INT(application_status_parse("offered "), APPLICATION_STATUS_UNKNOWN);
    CHECK_STR(offering_kind_name(OFFERING_HANDS_ON), "hands_on");
    CHECK_STR(offering_status_name(OFFERING_PUBLISHED), "published");
    CHECK_STR(document_state_name(DOCUMENT_REJECTED), "rejected");
    CHECK_STR(compliance_state_name(COMPLIANCE_OK), "ok");
    CHECK_STR(letter_state_name(LETTER_DELIVERED), "delivered");
    CHECK_STR(readiness_state_name(READINESS_IN_PROGRESS), "in_progress");
    CHECK_STR(visa_kind_name(VISA_US_CITIZEN_OR_RESIDENT), "us_citizen_or_resident");
    CHECK_STR(english_proof_name(ENGLISH_OET), "oet");
    /* The same word in two vocabularies is two values. */
    CHECK_INT(document_state_parse("uploaded"), DOCUMENT_UPLOADED);
    CHECK_INT(letter_state_parse("uploaded"), LETTER_UPLOADED);
    CHECK_INT(compliance_state_parse("uploaded"), COMPLIANCE_STATE_UNKNOWN);
}

/* One label per value, the one every page and reply shows. */
TEST(one_label_each)
{
    CHECK_STR(offering_kind_label(OFFERING_HANDS_ON), "Hands-on clerkship");
    CHECK_STR(application_status_label(APPLICATION_OFFERED), "Offer made");
    CHECK_STR(role_label(ROLE_HOST_COORDINATOR), "Host coordinator");
    CHECK_STR(letter_state_label(LETTER_DELIVERED), "Delivered to ERAS");
    CHECK_STR(document_state_label(DOCUMENT_UPLOADED), "Waiting for verification");
    CHECK_STR(compliance_state_label(COMPLIANCE_OK), "Met");
    CHECK_STR(readiness_state_label(READINESS_OK), "Done");
    CHECK_STR(english_proof_label(ENGLISH_OET), "OET Medicine");
}

/* The audit trail: the writers pass these enums to store_audit_add(), so the
 * table is the only spelling of an action; the names already in the database
 * stay, and every label is a sentence people read, never a raw name. */
TEST(audit_actions_are_sentences)
{
    CHECK_STR(audit_action_name(AUDIT_LOGIN), "login");
    CHECK_STR(audit_action_label(AUDIT_LOGIN), "Signed in");
    CHECK_STR(audit_action_name(AUDIT_TRANSITION), "transition");
    CHECK_STR(audit_action_name(AUDIT_FORBIDDEN), "forbidden");
    CHECK_STR(audit_action_name(AUDIT_DOCUMENT_UPLOAD), "document.upload");
    CHECK_STR(audit_action_label(AUDIT_DOCUMENT_UPLOAD), "Uploaded a document");
    CHECK_STR(audit_action_name(AUDIT_MATCH_ROUND_PUBLISH), "match_round.publish");
    CHECK_STR(audit_action_name(AUDIT_CERTIFICATE_ISSUE), "issue");
    CHECK_STR(audit_object_name(AUDIT_ON_APPLICATION), "application");
    CHECK_STR(audit_object_name(AUDIT_ON_READINESS_TARGETS), "readiness_targets");
    for (int i = 0; i < AUDIT_ACTION_COUNT; i++) {
        const char *label = audit_action_label((enum audit_action)i);
        if (label[0] < 'A' || label[0] > 'Z' || strpbrk(label, "_.") != NULL)
            TEST_FAILF("audit action %s: \"%s\" is not a sentence", audit_action_name((enum audit_action)i), label);
    }
    for (int i = 0; i < AUDIT_OBJECT_COUNT; i++) {
        const char *label = audit_object_label((enum audit_object)i);
        if (label[0] < 'A' || label[0] > 'Z' || strchr(label, '_') != NULL)
            TEST_FAILF("audit object %s: \"%s\" is not a noun", audit_object_name((enum audit_object)i), label);
    }
}

int main(void)
{
    RUN(every_vocabulary_round_trips);
    RUN(stored_names_are_the_database_values);
    RUN(one_label_each);
    RUN(audit_actions_are_sentences);
    return test_summary("unit-vocabulary");
}
