/* vocabulary.h — every closed set of values Rounds keeps as text (states,
 * roles, kinds) as a C enum, with one table each: the name as stored and in
 * the API ("offered") and the label people read ("Offer made").
 *
 * The database and the store keep the text; the domain and the layers above
 * decide with the enums, so a misspelt state does not compile:
 *
 *     if (application_status_of(a) == APPLICATION_OFFERED) …      (domain/applications.h)
 *     if (account_has_role(user, ROLE_STAFF)) …                   (domain/accounts.h)
 *     buf_append_html(b, letter_state_label(letter_state_parse(l->state)));
 *
 * For each vocabulary `x` (enum x, values X_…):
 *   x_name(v)    the stored name; "" for X_UNKNOWN or anything outside the table;
 *   x_label(v)   the label; "" likewise;
 *   x_parse(s)   the value named s, or X_UNKNOWN (NULL, "" and unknown names);
 *   x_names[]    the stored names in enum order, NULL-terminated (JSON_ENUM specs, <select>s);
 *   x_labels[]   the labels likewise.
 * A new value is one row in its table here; the order of the rows is the
 * order of the enum and of the lists. */
#ifndef ROUNDS_DOMAIN_VOCABULARY_H
#define ROUNDS_DOMAIN_VOCABULARY_H

/* One row: X(ENUM_VALUE, "stored name", "label"). */
#define VOCABULARY_ENUM(value, name, label) value,

/* ---- accounts ---- */

#define ROLE_TABLE(X)                                                                                                  \
    X(ROLE_STUDENT, "student", "Student")                                                                              \
    X(ROLE_PRECEPTOR, "preceptor", "Preceptor")                                                                        \
    X(ROLE_HOST_COORDINATOR, "host_coordinator", "Host coordinator")                                                   \
    X(ROLE_SCHOOL_COORDINATOR, "school_coordinator", "School coordinator")                                             \
    X(ROLE_STAFF, "staff", "Staff")                                                                                    \
    X(ROLE_COACH, "coach", "Coach")
enum role { ROLE_UNKNOWN = -1, ROLE_TABLE(VOCABULARY_ENUM) ROLE_COUNT };

#define ORGANIZATION_KIND_TABLE(X)                                                                                     \
    X(ORGANIZATION_HOST, "host", "Host")                                                                               \
    X(ORGANIZATION_SCHOOL, "school", "School")                                                                         \
    X(ORGANIZATION_PLATFORM, "platform", "Platform")
enum organization_kind {
    ORGANIZATION_KIND_UNKNOWN = -1,
    ORGANIZATION_KIND_TABLE(VOCABULARY_ENUM) ORGANIZATION_KIND_COUNT
};

/* ---- a student's profile ---- */

#define STUDENT_STATUS_TABLE(X)                                                                                        \
    X(STUDENT_STATUS_STUDENT, "student", "Medical student")                                                            \
    X(STUDENT_STATUS_GRADUATE, "graduate", "Graduate")
enum student_status { STUDENT_STATUS_UNKNOWN = -1, STUDENT_STATUS_TABLE(VOCABULARY_ENUM) STUDENT_STATUS_COUNT };

#define VISA_KIND_TABLE(X)                                                                                             \
    X(VISA_B1_B2, "b1_b2", "B-1/B-2 visitor")                                                                          \
    X(VISA_F1, "f1", "F-1 student")                                                                                    \
    X(VISA_J1, "j1", "J-1 exchange visitor")                                                                           \
    X(VISA_H1B, "h1b", "H-1B")                                                                                         \
    X(VISA_US_CITIZEN_OR_RESIDENT, "us_citizen_or_resident", "U.S. citizen or permanent resident")                     \
    X(VISA_NONE, "none", "No visa yet")
enum visa_kind { VISA_KIND_UNKNOWN = -1, VISA_KIND_TABLE(VOCABULARY_ENUM) VISA_KIND_COUNT };

#define STEP1_RESULT_TABLE(X)                                                                                          \
    X(STEP1_NOT_TAKEN, "not_taken", "Not taken")                                                                       \
    X(STEP1_PASSED, "passed", "Passed")                                                                                \
    X(STEP1_FAILED, "failed", "Failed")
enum step1_result { STEP1_RESULT_UNKNOWN = -1, STEP1_RESULT_TABLE(VOCABULARY_ENUM) STEP1_RESULT_COUNT };

#define ECFMG_STATUS_TABLE(X)                                                                                          \
    X(ECFMG_NONE, "none", "Not started")                                                                               \
    X(ECFMG_IN_PROGRESS, "in_progress", "In progress")                                                                 \
    X(ECFMG_CERTIFIED, "certified", "Certified")
enum ecfmg_status { ECFMG_STATUS_UNKNOWN = -1, ECFMG_STATUS_TABLE(VOCABULARY_ENUM) ECFMG_STATUS_COUNT };

#define ENGLISH_PROOF_TABLE(X)                                                                                         \
    X(ENGLISH_NONE, "none", "None")                                                                                    \
    X(ENGLISH_TOEFL, "toefl", "TOEFL")                                                                                 \
    X(ENGLISH_IELTS, "ielts", "IELTS")                                                                                 \
    X(ENGLISH_OET, "oet", "OET Medicine")                                                                              \
    X(ENGLISH_NATIVE, "native", "Native speaker")
enum english_proof { ENGLISH_PROOF_UNKNOWN = -1, ENGLISH_PROOF_TABLE(VOCABULARY_ENUM) ENGLISH_PROOF_COUNT };

/* ---- the catalog ---- */

#define OFFERING_KIND_TABLE(X)                                                                                         \
    X(OFFERING_HANDS_ON, "hands_on", "Hands-on clerkship")                                                             \
    X(OFFERING_OBSERVERSHIP, "observership", "Observership")                                                           \
    X(OFFERING_RESEARCH, "research", "Research")                                                                       \
    X(OFFERING_TELEHEALTH, "telehealth", "Telehealth")
enum offering_kind { OFFERING_KIND_UNKNOWN = -1, OFFERING_KIND_TABLE(VOCABULARY_ENUM) OFFERING_KIND_COUNT };

#define OFFERING_STATUS_TABLE(X)                                                                                       \
    X(OFFERING_DRAFT, "draft", "Draft (not shown in search)")                                                          \
    X(OFFERING_PUBLISHED, "published", "Published")                                                                    \
    X(OFFERING_ARCHIVED, "archived", "Archived (hidden)")
enum offering_status { OFFERING_STATUS_UNKNOWN = -1, OFFERING_STATUS_TABLE(VOCABULARY_ENUM) OFFERING_STATUS_COUNT };

#define OFFERING_SETTING_TABLE(X)                                                                                      \
    X(SETTING_INPATIENT, "inpatient", "Inpatient")                                                                     \
    X(SETTING_OUTPATIENT, "outpatient", "Outpatient")                                                                  \
    X(SETTING_MIXED, "mixed", "Inpatient and outpatient")
enum offering_setting { OFFERING_SETTING_UNKNOWN = -1, OFFERING_SETTING_TABLE(VOCABULARY_ENUM) OFFERING_SETTING_COUNT };

#define BOARD_STATUS_TABLE(X)                                                                                          \
    X(BOARD_CERTIFIED, "certified", "Board certified")                                                                 \
    X(BOARD_ELIGIBLE, "eligible", "Board eligible")                                                                    \
    X(BOARD_NOT_CERTIFIED, "not_certified", "Not board certified")
enum board_status { BOARD_STATUS_UNKNOWN = -1, BOARD_STATUS_TABLE(VOCABULARY_ENUM) BOARD_STATUS_COUNT };

/* What in the catalog a saved search or a favourite may be waiting for (domain/alerts.h). */
#define CATALOG_EVENT_KIND_TABLE(X)                                                                                    \
    X(CATALOG_EVENT_OFFERING_PUBLISHED, "offering_published", "A new rotation")                                        \
    X(CATALOG_EVENT_BLOCK_ADDED, "block_added", "New dates")                                                           \
    X(CATALOG_EVENT_SEAT_OPENED, "seat_opened", "A seat opened")
enum catalog_event_kind {
    CATALOG_EVENT_KIND_UNKNOWN = -1,
    CATALOG_EVENT_KIND_TABLE(VOCABULARY_ENUM) CATALOG_EVENT_KIND_COUNT
};

/* A place on the waitlist of a full block (domain/waitlist.h). */
#define WAITLIST_STATUS_TABLE(X)                                                                                       \
    X(WAITLIST_WAITING, "waiting", "Waiting")                                                                          \
    X(WAITLIST_OFFERED, "offered", "Offered a seat")                                                                   \
    X(WAITLIST_LEFT, "left", "Left the list")
enum waitlist_status { WAITLIST_STATUS_UNKNOWN = -1, WAITLIST_STATUS_TABLE(VOCABULARY_ENUM) WAITLIST_STATUS_COUNT };

/* ---- applications and bookings (the moves are in domain/applications.c) ---- */

#define APPLICATION_STATUS_TABLE(X)                                                                                    \
    X(APPLICATION_DRAFT, "draft", "Draft")                                                                             \
    X(APPLICATION_SUBMITTED, "submitted", "Submitted")                                                                 \
    X(APPLICATION_HOME_REVIEW, "home_review", "Waiting for the school's approval")                                     \
    X(APPLICATION_UNDER_REVIEW, "under_review", "Under review")                                                        \
    X(APPLICATION_OFFERED, "offered", "Offer made")                                                                    \
    X(APPLICATION_HELD, "held", "Seat held")                                                                           \
    X(APPLICATION_BOOKED, "booked", "Booked")                                                                          \
    X(APPLICATION_CLEARED, "cleared", "Cleared to start")                                                              \
    X(APPLICATION_IN_PROGRESS, "in_progress", "In progress")                                                           \
    X(APPLICATION_COMPLETED, "completed", "Completed")                                                                 \
    X(APPLICATION_WITHDRAWN, "withdrawn", "Withdrawn")                                                                 \
    X(APPLICATION_DECLINED, "declined", "Declined")                                                                    \
    X(APPLICATION_REFUSED_BY_SCHOOL, "refused_by_school", "Refused by the school")                                     \
    X(APPLICATION_OFFER_EXPIRED, "offer_expired", "Offer expired")                                                     \
    X(APPLICATION_HOLD_EXPIRED, "hold_expired", "Hold expired")                                                        \
    X(APPLICATION_CANCELLED_BY_STUDENT, "cancelled_by_student", "Cancelled by the student")                            \
    X(APPLICATION_CANCELLED_BY_HOST, "cancelled_by_host", "Cancelled by the host")                                     \
    X(APPLICATION_NO_SHOW, "no_show", "No-show")                                                                       \
    X(APPLICATION_BALANCE_UNPAID, "balance_unpaid", "Released: balance not paid")
enum application_status {
    APPLICATION_STATUS_UNKNOWN = -1,
    APPLICATION_STATUS_TABLE(VOCABULARY_ENUM) APPLICATION_STATUS_COUNT
};

/* Who took a move of an application, as its history records it. */
#define MOVE_ACTOR_TABLE(X)                                                                                            \
    X(MOVE_BY_STUDENT, "student", "student")                                                                           \
    X(MOVE_BY_HOST, "host", "host")                                                                                    \
    X(MOVE_BY_STAFF, "staff", "Rounds staff")                                                                          \
    X(MOVE_BY_SCHOOL, "school", "the student's school")                                                                \
    X(MOVE_BY_SYSTEM, "system", "system")
enum move_actor { MOVE_ACTOR_UNKNOWN = -1, MOVE_ACTOR_TABLE(VOCABULARY_ENUM) MOVE_ACTOR_COUNT };

/* ---- documents and the onboarding checklist ---- */

#define DOCUMENT_STATE_TABLE(X)                                                                                        \
    X(DOCUMENT_UPLOADED, "uploaded", "Waiting for verification")                                                       \
    X(DOCUMENT_VERIFIED, "verified", "Verified")                                                                       \
    X(DOCUMENT_REJECTED, "rejected", "Rejected")
enum document_state { DOCUMENT_STATE_UNKNOWN = -1, DOCUMENT_STATE_TABLE(VOCABULARY_ENUM) DOCUMENT_STATE_COUNT };

/* One requirement of a booking (domain/documents.h says when each holds). */
#define COMPLIANCE_STATE_TABLE(X)                                                                                      \
    X(COMPLIANCE_MISSING, "missing", "Missing")                                                                        \
    X(COMPLIANCE_PENDING, "pending", "Waiting for verification")                                                       \
    X(COMPLIANCE_REJECTED, "rejected", "Rejected")                                                                     \
    X(COMPLIANCE_EXPIRED, "expired", "Out of date")                                                                    \
    X(COMPLIANCE_EXPIRING, "expiring", "Expires soon")                                                                 \
    X(COMPLIANCE_OK, "ok", "Met")
enum compliance_state { COMPLIANCE_STATE_UNKNOWN = -1, COMPLIANCE_STATE_TABLE(VOCABULARY_ENUM) COMPLIANCE_STATE_COUNT };

/* Where a requirement comes from. */
#define REQUIREMENT_SOURCE_TABLE(X)                                                                                    \
    X(REQUIREMENT_FROM_HOST, "host", "Every rotation of the host")                                                     \
    X(REQUIREMENT_FROM_OFFERING, "offering", "This rotation")
enum requirement_source {
    REQUIREMENT_SOURCE_UNKNOWN = -1,
    REQUIREMENT_SOURCE_TABLE(VOCABULARY_ENUM) REQUIREMENT_SOURCE_COUNT
};

/* ---- letters and readiness ---- */

#define LETTER_STATE_TABLE(X)                                                                                          \
    X(LETTER_REQUESTED, "requested", "Requested")                                                                      \
    X(LETTER_ACCEPTED, "accepted", "Accepted")                                                                         \
    X(LETTER_DECLINED, "declined", "Declined")                                                                         \
    X(LETTER_UPLOADED, "uploaded", "Uploaded")                                                                         \
    X(LETTER_DELIVERED, "delivered", "Delivered to ERAS")
enum letter_state { LETTER_STATE_UNKNOWN = -1, LETTER_STATE_TABLE(VOCABULARY_ENUM) LETTER_STATE_COUNT };

#define READINESS_STATE_TABLE(X)                                                                                       \
    X(READINESS_MISSING, "missing", "Missing")                                                                         \
    X(READINESS_IN_PROGRESS, "in_progress", "In progress")                                                             \
    X(READINESS_OK, "ok", "Done")
enum readiness_state { READINESS_STATE_UNKNOWN = -1, READINESS_STATE_TABLE(VOCABULARY_ENUM) READINESS_STATE_COUNT };

/* ---- partner schools and match rounds ---- */

/* A student's link to a school (domain/schools.h). */
#define SCHOOL_LINK_STATUS_TABLE(X)                                                                                    \
    X(SCHOOL_LINK_REQUESTED, "requested", "Asked to join")                                                             \
    X(SCHOOL_LINK_ACTIVE, "active", "Linked")                                                                          \
    X(SCHOOL_LINK_REFUSED, "refused", "Refused")                                                                       \
    X(SCHOOL_LINK_LEFT, "left", "Left")
enum school_link_status {
    SCHOOL_LINK_STATUS_UNKNOWN = -1,
    SCHOOL_LINK_STATUS_TABLE(VOCABULARY_ENUM) SCHOOL_LINK_STATUS_COUNT
};

/* A match round (domain/match_rounds.h). */
#define MATCH_ROUND_STATUS_TABLE(X)                                                                                    \
    X(MATCH_ROUND_DRAFT, "draft", "Being set up")                                                                      \
    X(MATCH_ROUND_OPEN, "open", "Open for ranking")                                                                    \
    X(MATCH_ROUND_MATCHED, "matched", "Matched, not published")                                                        \
    X(MATCH_ROUND_PUBLISHED, "published", "Published")                                                                 \
    X(MATCH_ROUND_CANCELLED, "cancelled", "Cancelled")
enum match_round_status {
    MATCH_ROUND_STATUS_UNKNOWN = -1,
    MATCH_ROUND_STATUS_TABLE(VOCABULARY_ENUM) MATCH_ROUND_STATUS_COUNT
};

/* How many placements a round gives each student (docs/match.md: mode). */
#define MATCH_ROUND_MODE_TABLE(X)                                                                                      \
    X(MATCH_ROUND_MODE_ONE, "one", "One placement per student")                                                        \
    X(MATCH_ROUND_MODE_ROTATION, "rotation", "Rotations: up to k placements, one per block")
enum match_round_mode { MATCH_ROUND_MODE_UNKNOWN = -1, MATCH_ROUND_MODE_TABLE(VOCABULARY_ENUM) MATCH_ROUND_MODE_COUNT };

/* An affiliation agreement between a host and a school (domain/agreements.h). */
#define AGREEMENT_STATUS_TABLE(X)                                                                                      \
    X(AGREEMENT_PROPOSED, "proposed", "Proposed")                                                                      \
    X(AGREEMENT_ACTIVE, "active", "Active")                                                                            \
    X(AGREEMENT_EXPIRED, "expired", "Expired")                                                                         \
    X(AGREEMENT_TERMINATED, "terminated", "Terminated")
enum agreement_status { AGREEMENT_STATUS_UNKNOWN = -1, AGREEMENT_STATUS_TABLE(VOCABULARY_ENUM) AGREEMENT_STATUS_COUNT };

/* Which party proposed an agreement (the other one activates it). */
#define AGREEMENT_SIDE_TABLE(X)                                                                                        \
    X(AGREEMENT_SIDE_HOST, "host", "Host")                                                                             \
    X(AGREEMENT_SIDE_SCHOOL, "school", "School")
enum agreement_side { AGREEMENT_SIDE_UNKNOWN = -1, AGREEMENT_SIDE_TABLE(VOCABULARY_ENUM) AGREEMENT_SIDE_COUNT };

/* ---- during the rotation: hours, support tickets ---- */

/* Where a logged day was spent (the hours log's totals by kind). */
#define HOURS_SETTING_TABLE(X)                                                                                         \
    X(HOURS_INPATIENT, "inpatient", "Inpatient")                                                                       \
    X(HOURS_OUTPATIENT, "outpatient", "Outpatient")                                                                    \
    X(HOURS_TELEHEALTH, "telehealth", "Telehealth")                                                                    \
    X(HOURS_RESEARCH, "research", "Research")
enum hours_setting { HOURS_SETTING_UNKNOWN = -1, HOURS_SETTING_TABLE(VOCABULARY_ENUM) HOURS_SETTING_COUNT };

/* A logged day as the preceptor's review leaves it (only confirmed hours count). */
#define HOURS_STATE_TABLE(X)                                                                                           \
    X(HOURS_LOGGED, "logged", "Waiting for the preceptor")                                                             \
    X(HOURS_CONFIRMED, "confirmed", "Confirmed")                                                                       \
    X(HOURS_CHANGE_REQUESTED, "change_requested", "Change requested")                                                  \
    X(HOURS_REFUSED, "refused", "Refused")
enum hours_state { HOURS_STATE_UNKNOWN = -1, HOURS_STATE_TABLE(VOCABULARY_ENUM) HOURS_STATE_COUNT };

#define TICKET_CATEGORY_TABLE(X)                                                                                       \
    X(TICKET_FIRST_DAY, "first_day", "First day and logistics")                                                        \
    X(TICKET_PRECEPTOR_ABSENT, "preceptor_absent", "Preceptor absent")                                                 \
    X(TICKET_SCHEDULE, "schedule", "Schedule")                                                                         \
    X(TICKET_DOCUMENTS, "documents", "Documents")                                                                      \
    X(TICKET_PAYMENT, "payment", "Payment")                                                                            \
    X(TICKET_SAFETY, "safety", "Safety")                                                                               \
    X(TICKET_OTHER, "other", "Other")
enum ticket_category { TICKET_CATEGORY_UNKNOWN = -1, TICKET_CATEGORY_TABLE(VOCABULARY_ENUM) TICKET_CATEGORY_COUNT };

#define TICKET_URGENCY_TABLE(X)                                                                                        \
    X(TICKET_NORMAL, "normal", "Normal")                                                                               \
    X(TICKET_URGENT, "urgent", "Urgent")
enum ticket_urgency { TICKET_URGENCY_UNKNOWN = -1, TICKET_URGENCY_TABLE(VOCABULARY_ENUM) TICKET_URGENCY_COUNT };

#define TICKET_STATUS_TABLE(X)                                                                                         \
    X(TICKET_OPEN, "open", "Open")                                                                                     \
    X(TICKET_PENDING, "pending", "Waiting for the requester")                                                          \
    X(TICKET_RESOLVED, "resolved", "Resolved")
enum ticket_status { TICKET_STATUS_UNKNOWN = -1, TICKET_STATUS_TABLE(VOCABULARY_ENUM) TICKET_STATUS_COUNT };

/* ---- after the rotation: signed documents ---- */

/* What a signed document is (a certificate number's kind). */
#define CERTIFICATE_KIND_TABLE(X)                                                                                      \
    X(CERTIFICATE_COMPLETION, "completion", "Certificate of completion")                                              \
    X(CERTIFICATE_TEACHING, "teaching", "Teaching certificate")                                                        \
    X(CERTIFICATE_VISA_LETTER, "visa_letter", "Visa invitation letter")
enum certificate_kind { CERTIFICATE_KIND_UNKNOWN = -1, CERTIFICATE_KIND_TABLE(VOCABULARY_ENUM) CERTIFICATE_KIND_COUNT };

/* ---- the audit trail (store_audit_add, domain/audit.h) ---- */

/* Every action the audit trail records: the stored name (the API's `action`
 * and the filter) and what happened, as a sentence whose subject is the actor
 * ("Signed in", "Uploaded a document"). The writers pass the enum to
 * store_audit_add(), so an action has no spelling but its row here. */
#define AUDIT_ACTION_TABLE(X)                                                                                          \
    X(AUDIT_LOGIN, "login", "Signed in")                                                                               \
    X(AUDIT_LOGIN_PASSWORD, "login_password", "Gave the right password; the second step is still to come")             \
    X(AUDIT_LOGIN_RECOVERY_CODE, "login_recovery_code", "Signed in with a recovery code")                              \
    X(AUDIT_LOGIN_FAILED, "login_failed", "Failed to sign in")                                                         \
    X(AUDIT_FORBIDDEN, "forbidden", "Was refused access")                                                              \
    X(AUDIT_EMAIL_CONFIRMATION_SENT, "email.confirmation_sent", "Was sent a link to confirm their email address")      \
    X(AUDIT_EMAIL_CONFIRMED, "email.confirmed", "Confirmed their email address")                                       \
    X(AUDIT_PASSWORD_RESET_REQUESTED, "password.reset_requested", "Asked to reset their password")                     \
    X(AUDIT_PASSWORD_RESET, "password.reset", "Reset their password")                                                  \
    X(AUDIT_TWO_FACTOR_ENABLED, "two_factor_enabled", "Turned on two-step sign-in")                                    \
    X(AUDIT_TWO_FACTOR_DISABLED, "two_factor_disabled", "Turned off two-step sign-in")                                 \
    X(AUDIT_TWO_FACTOR_RESET, "two_factor_reset", "Removed the second sign-in step of an account")                     \
    X(AUDIT_CALENDAR_FEED_ISSUED, "calendar_feed_issued", "Made a calendar feed address")                              \
    X(AUDIT_CALENDAR_FEED_REVOKED, "calendar_feed_revoked", "Revoked their calendar feed address")                     \
    X(AUDIT_DATA_EXPORTED, "data_exported", "Downloaded a copy of their data")                                         \
    X(AUDIT_DELETION_REQUESTED, "deletion_requested", "Asked for their account to be deleted")                         \
    X(AUDIT_DELETION_CANCELLED, "deletion_cancelled", "Cancelled the deletion of their account")                       \
    X(AUDIT_ACCOUNT_ERASED, "account_erased", "Erased an account")                                                     \
    X(AUDIT_TRANSITION, "transition", "Moved an application")                                                          \
    X(AUDIT_DATE_OVERRIDE, "date_override", "Overrode the rotation dates of an application")                           \
    X(AUDIT_CHECK_IN, "check_in", "Answered a weekly check-in")                                                        \
    X(AUDIT_HOURS_LOGGED, "hours_logged", "Logged hours")                                                              \
    X(AUDIT_HOURS_EDITED, "hours_edited", "Changed logged hours")                                                      \
    X(AUDIT_HOURS_REVIEWED, "hours_reviewed", "Reviewed logged hours")                                                 \
    X(AUDIT_HOURS_WEEK_CONFIRMED, "hours_week_confirmed", "Confirmed a week of hours")                                 \
    X(AUDIT_EVALUATE, "evaluate", "Submitted an evaluation")                                                           \
    X(AUDIT_AMEND, "amend", "Added an addendum to an evaluation")                                                      \
    X(AUDIT_REVIEW, "review", "Reviewed a rotation")                                                                   \
    X(AUDIT_REPLY, "reply", "Replied to a review")                                                                     \
    X(AUDIT_HIDE, "hide", "Hid a review")                                                                              \
    X(AUDIT_DOCUMENT_UPLOAD, "document.upload", "Uploaded a document")                                                 \
    X(AUDIT_DOCUMENT_READ, "document.read", "Opened a document")                                                       \
    X(AUDIT_DOCUMENT_VERIFY, "document.verify", "Verified a document")                                                 \
    X(AUDIT_DOCUMENT_REJECT, "document.reject", "Rejected a document")                                                 \
    X(AUDIT_DOCUMENT_DELETE, "document.delete", "Deleted a document")                                                  \
    X(AUDIT_REQUIREMENT_ADD, "requirement.add", "Added a document requirement")                                        \
    X(AUDIT_REQUIREMENT_REMOVE, "requirement.remove", "Removed a document requirement")                                \
    X(AUDIT_LETTER_REQUEST, "letter.request", "Asked for a letter of recommendation")                                  \
    X(AUDIT_LETTER_UPDATE, "letter.update", "Changed a request for a letter")                                          \
    X(AUDIT_LETTER_ACCEPT, "letter.accept", "Agreed to write a letter")                                                \
    X(AUDIT_LETTER_DECLINE, "letter.decline", "Declined to write a letter")                                            \
    X(AUDIT_LETTER_UPLOAD, "letter.upload", "Uploaded a letter")                                                       \
    X(AUDIT_LETTER_DELIVERED, "letter.delivered", "Sent a letter")                                                     \
    X(AUDIT_LETTER_READ, "letter.read", "Opened a letter")                                                             \
    X(AUDIT_LETTER_REMIND, "letter.remind", "Reminded the author of a letter")                                         \
    X(AUDIT_LETTER_AUTHOR_CONFIRMED, "letter.author_confirmed", "Confirmed the author of a letter")                    \
    X(AUDIT_VISA_LETTER_REQUEST, "request", "Asked for a visa letter")                                                 \
    X(AUDIT_CERTIFICATE_ISSUE, "issue", "Issued a signed document")                                                    \
    X(AUDIT_CERTIFICATE_REVOKE, "revoke", "Revoked a signed document")                                                 \
    X(AUDIT_SCHOOL_INVITE, "school.invite", "Invited a student to a school")                                           \
    X(AUDIT_SCHOOL_JOIN, "school.join", "Joined a school")                                                             \
    X(AUDIT_SCHOOL_ASK, "school.ask", "Asked to join a school")                                                        \
    X(AUDIT_SCHOOL_APPROVE, "school.approve", "Approved a student's link to the school")                               \
    X(AUDIT_SCHOOL_REFUSE, "school.refuse", "Refused a student's link to the school")                                  \
    X(AUDIT_SCHOOL_LEAVE, "school.leave", "Left a school")                                                             \
    X(AUDIT_SCHOOL_HOME_APPROVAL, "school.home_approval", "Changed whether the school approves applications")          \
    X(AUDIT_AGREEMENT_PROPOSE, "agreement.propose", "Proposed an affiliation agreement")                               \
    X(AUDIT_AGREEMENT_ACTIVATE, "agreement.activate", "Activated an affiliation agreement")                            \
    X(AUDIT_AGREEMENT_TERMINATE, "agreement.terminate", "Terminated an affiliation agreement")                         \
    X(AUDIT_AGREEMENT_EXPIRE, "agreement.expire", "An affiliation agreement expired")                                  \
    X(AUDIT_AGREEMENT_FILE_READ, "agreement.file_read", "Opened a signed agreement")                                   \
    X(AUDIT_PRECEPTOR_INVITE, "preceptor.invite", "Invited a preceptor")                                               \
    X(AUDIT_PRECEPTOR_LINK, "preceptor.link", "Linked their account to a preceptor")                                   \
    X(AUDIT_PRECEPTOR_LICENCE_EXPIRED, "preceptor.licence_expired", "A preceptor's licence expired")                   \
    X(AUDIT_COACH_ASSIGNED, "coach_assigned", "Assigned a coach to a student")                                         \
    X(AUDIT_COACH_REASSIGNED, "coach_reassigned", "Changed a student's coach")                                         \
    X(AUDIT_TICKET_OPENED, "ticket_opened", "Opened a support ticket")                                                 \
    X(AUDIT_TICKET_REPLY, "ticket_reply", "Replied to a support ticket")                                               \
    X(AUDIT_TICKET_ACTION, "ticket_action", "Changed the status of a support ticket")                                  \
    X(AUDIT_PAYMENT_RECORDED, "payment_recorded", "Recorded a payment")                                                \
    X(AUDIT_GOODWILL_REFUND, "goodwill_refund", "Granted a goodwill refund")                                           \
    X(AUDIT_REFUND_SENT, "refund_sent", "Marked a refund as sent")                                                     \
    X(AUDIT_PAYOUT_SENT, "payout_sent", "Sent a payout to a host")                                                     \
    X(AUDIT_MATCH_ROUND_CREATE, "match_round.create", "Created a match round")                                         \
    X(AUDIT_MATCH_ROUND_OPEN, "match_round.open", "Opened a match round")                                              \
    X(AUDIT_MATCH_ROUND_RUN, "match_round.run", "Ran a match round")                                                   \
    X(AUDIT_MATCH_ROUND_PUBLISH, "match_round.publish", "Published the results of a match round")                      \
    X(AUDIT_MATCH_ROUND_CANCEL, "match_round.cancel", "Cancelled a match round")                                       \
    X(AUDIT_MATCH_ROUND_RESERVE, "match_round.reserve", "Reserved a block for a match round")                          \
    X(AUDIT_MATCH_ROUND_RELEASE, "match_round.release", "Released a block from a match round")                         \
    X(AUDIT_MATCH_ROUND_RANK, "match_round.rank", "Ranked the blocks of a match round")                                \
    X(AUDIT_MATCH_ROUND_HOST_RANK, "match_round.host_rank", "Ranked the students of a match round")                    \
    X(AUDIT_READINESS_TARGETS, "readiness.targets", "Changed the readiness targets")
enum audit_action { AUDIT_ACTION_UNKNOWN = -1, AUDIT_ACTION_TABLE(VOCABULARY_ENUM) AUDIT_ACTION_COUNT };

/* What an audit event is about (its object_type), with a noun for it. */
#define AUDIT_OBJECT_TABLE(X)                                                                                          \
    X(AUDIT_ON_ACCOUNT, "account", "Sign-in attempt")                                                                  \
    X(AUDIT_ON_USER, "user", "Account")                                                                                \
    X(AUDIT_ON_ROUTE, "route", "Page")                                                                                 \
    X(AUDIT_ON_APPLICATION, "application", "Application")                                                              \
    X(AUDIT_ON_DOCUMENT, "document", "Document")                                                                       \
    X(AUDIT_ON_REQUIREMENT, "requirement", "Requirement")                                                              \
    X(AUDIT_ON_LETTER, "letter", "Letter of recommendation")                                                           \
    X(AUDIT_ON_VISA_LETTER, "visa_letter", "Visa letter")                                                              \
    X(AUDIT_ON_CERTIFICATE, "certificate", "Certificate")                                                              \
    X(AUDIT_ON_EVALUATION, "evaluation", "Evaluation")                                                                 \
    X(AUDIT_ON_HOURS, "hours", "Hours")                                                                                \
    X(AUDIT_ON_OFFERING, "offering", "Rotation")                                                                       \
    X(AUDIT_ON_REVIEW, "review", "Review")                                                                             \
    X(AUDIT_ON_ORGANIZATION, "organization", "Organisation")                                                           \
    X(AUDIT_ON_AGREEMENT, "agreement", "Affiliation agreement")                                                        \
    X(AUDIT_ON_PRECEPTOR, "preceptor", "Preceptor")                                                                    \
    X(AUDIT_ON_TICKET, "ticket", "Support ticket")                                                                     \
    X(AUDIT_ON_REFUND, "refund", "Refund")                                                                             \
    X(AUDIT_ON_DELETION_REQUEST, "deletion_request", "Deletion request")                                               \
    X(AUDIT_ON_MATCH_ROUND, "match_round", "Match round")                                                              \
    X(AUDIT_ON_READINESS_TARGETS, "readiness_targets", "Readiness targets")
enum audit_object { AUDIT_OBJECT_UNKNOWN = -1, AUDIT_OBJECT_TABLE(VOCABULARY_ENUM) AUDIT_OBJECT_COUNT };

/* ---- the functions of each vocabulary (see the top of this file) ---- */

#define VOCABULARY_DECLARE(x)                                                                                          \
    const char *x##_name(enum x value);                                                                                \
    const char *x##_label(enum x value);                                                                               \
    enum x x##_parse(const char *name);                                                                                \
    extern const char *const x##_names[];                                                                              \
    extern const char *const x##_labels[];

VOCABULARY_DECLARE(role)
VOCABULARY_DECLARE(organization_kind)
VOCABULARY_DECLARE(student_status)
VOCABULARY_DECLARE(visa_kind)
VOCABULARY_DECLARE(step1_result)
VOCABULARY_DECLARE(ecfmg_status)
VOCABULARY_DECLARE(english_proof)
VOCABULARY_DECLARE(offering_kind)
VOCABULARY_DECLARE(offering_status)
VOCABULARY_DECLARE(offering_setting)
VOCABULARY_DECLARE(board_status)
VOCABULARY_DECLARE(catalog_event_kind)
VOCABULARY_DECLARE(waitlist_status)
VOCABULARY_DECLARE(application_status)
VOCABULARY_DECLARE(move_actor)
VOCABULARY_DECLARE(document_state)
VOCABULARY_DECLARE(compliance_state)
VOCABULARY_DECLARE(requirement_source)
VOCABULARY_DECLARE(letter_state)
VOCABULARY_DECLARE(readiness_state)
VOCABULARY_DECLARE(school_link_status)
VOCABULARY_DECLARE(match_round_status)
VOCABULARY_DECLARE(match_round_mode)
VOCABULARY_DECLARE(agreement_status)
VOCABULARY_DECLARE(agreement_side)
VOCABULARY_DECLARE(hours_setting)
VOCABULARY_DECLARE(hours_state)
VOCABULARY_DECLARE(ticket_category)
VOCABULARY_DECLARE(ticket_urgency)
VOCABULARY_DECLARE(ticket_status)
VOCABULARY_DECLARE(certificate_kind)
VOCABULARY_DECLARE(audit_action)
VOCABULARY_DECLARE(audit_object)

#endif
