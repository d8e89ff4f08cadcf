/* errors.h — the one table of error codes: HTTP status, stable code string and
 * a title for humans. Every problem+json reply comes from here.
 *
 * Outcomes are told apart by code, never by message text: when a caller must
 * react to one particular refusal (a page explaining it in its own words), the
 * refusal gets its own code in ERROR_OUTCOME_TABLE. Such an outcome replies as
 * the broader code it refines (same status, code string and title), so the API
 * stays as it is while the C code can tell the cases apart. */
#ifndef ROUNDS_LIB_ERRORS_H
#define ROUNDS_LIB_ERRORS_H

#include <stdbool.h>

/*  name                     status  title */
#define ERROR_TABLE(X)                                                                          \
    X(ERR_NONE, 200, "No error")                                                                \
    X(ERR_BAD_REQUEST, 400, "The request is malformed")                                         \
    X(ERR_INVALID_JSON, 400, "The body is not valid JSON")                                      \
    X(ERR_VALIDATION_FAILED, 400, "A field is missing or invalid")                             \
    X(ERR_UNKNOWN_FIELD, 400, "The body has a field this endpoint does not take")               \
    X(ERR_UNKNOWN_PARAMETER, 400, "The query has a parameter this endpoint does not take")      \
    X(ERR_INVALID_PARAMETER, 400, "A query parameter is invalid")                               \
    X(ERR_WEAK_PASSWORD, 400, "The password is too weak")                                       \
    X(ERR_INVALID_SIGNATURE, 400, "The webhook signature is missing, wrong or too old")          \
    X(ERR_UNAUTHENTICATED, 401, "Log in first")                                                 \
    X(ERR_INVALID_CREDENTIALS, 401, "Wrong email or password")                                  \
    X(ERR_FORBIDDEN, 403, "You may not do this")                                                \
    X(ERR_CSRF_FAILED, 403, "The CSRF token is missing or wrong")                               \
    X(ERR_LETTER_CONFIDENTIAL, 403, "This letter is confidential")                              \
    X(ERR_EMAIL_UNCONFIRMED, 403, "Confirm your email address first")                           \
    X(ERR_SECOND_FACTOR_ENROLMENT_REQUIRED, 403, "Set up two-factor sign-in first")             \
    X(ERR_NOT_FOUND, 404, "Not found")                                                          \
    X(ERR_METHOD_NOT_ALLOWED, 405, "Method not allowed")                                        \
    X(ERR_EMAIL_TAKEN, 409, "This email is already registered")                                 \
    X(ERR_CONFLICT, 409, "The request conflicts with the current state")                        \
    X(ERR_INVALID_TRANSITION, 409, "This action is not possible in the current state")          \
    X(ERR_BLOCK_FULL, 409, "No seat is left in this block")                                     \
    X(ERR_HOLD_EXPIRED, 409, "The hold on this seat has expired")                               \
    X(ERR_NOT_COMPLIANT, 409, "Onboarding requirements are not all met")                        \
    X(ERR_ROTATION_NOT_STARTED, 409, "The rotation has not reached its first day")              \
    X(ERR_ROTATION_NOT_ENDED, 409, "The rotation has not passed its last day")                  \
    X(ERR_DOCUMENT_IN_USE, 409, "The document is attached to an active booking")                \
    X(ERR_LETTER_PENDING, 409, "A request to this author is still open")                        \
    X(ERR_NOTHING_TO_PAY, 409, "Nothing is due on this plan now")                                \
    X(ERR_ROTATION_NOT_COMPLETED, 409, "The rotation is not completed")                         \
    X(ERR_HOURS_NOT_CONFIRMED, 409, "The rotation has no confirmed hours")                      \
    X(ERR_ALREADY_SUBMITTED, 409, "This was submitted already")                                 \
    X(ERR_ALREADY_REVOKED, 409, "This document is revoked already")                             \
    X(ERR_DELETION_BLOCKED, 409, "The account cannot be deleted while a rotation or money is open") \
    X(ERR_INVITATION_EXPIRED, 410, "This invitation link has expired")                          \
    X(ERR_INVITATION_USED, 410, "This invitation link has already been used")                   \
    X(ERR_PAYLOAD_TOO_LARGE, 413, "The body is too large")                                      \
    X(ERR_UNSUPPORTED_MEDIA_TYPE, 415, "Unsupported media type")                                \
    X(ERR_UNPROCESSABLE, 422, "The request cannot be processed")                                \
    X(ERR_QUOTA_EXCEEDED, 422, "Your document storage is full")                                 \
    X(ERR_AFFILIATION_REQUIRED, 422, "Your school has no active agreement with this host for these dates") \
    X(ERR_METHOD_UNAVAILABLE, 422, "This payment method is not offered")                         \
    X(ERR_RATE_LIMITED, 429, "Too many attempts; try again later")                              \
    X(ERR_HEADERS_TOO_LARGE, 431, "The request headers are too large")                          \
    X(ERR_INTERNAL, 500, "Internal error")                                                      \
    X(ERR_PROVIDER_UNAVAILABLE, 502, "The payment provider cannot be reached")                   \
    X(ERR_UNAVAILABLE, 503, "Service unavailable")

/*  name                        replies as */
#define ERROR_OUTCOME_TABLE(X)                                                                  \
    X(ERR_BLOCK_STARTED, ERR_UNPROCESSABLE)         /* applying for a block that has begun */  \
    X(ERR_BLOCK_NO_SEAT, ERR_UNPROCESSABLE)         /* applying for a block with no seat */    \
    X(ERR_ALREADY_APPLIED, ERR_UNPROCESSABLE)       /* an active application for the block */  \
    X(ERR_BOOKING_OVERLAP, ERR_UNPROCESSABLE)       /* a booked rotation at the same time */   \
    X(ERR_OFFER_EXPIRED, ERR_INVALID_TRANSITION)    /* accepting an offer past its expiry */   \
    X(ERR_CHANGED_MEANWHILE, ERR_INVALID_TRANSITION) /* another move won the race */           \
    X(ERR_START_RANGE_REVERSED, ERR_INVALID_PARAMETER) /* search: start_to before start_from */ \
    X(ERR_SORT_NEEDS_QUERY, ERR_INVALID_PARAMETER)  /* search: sort=relevance without q */ \
    X(ERR_SAVED_SEARCH_LIMIT, ERR_UNPROCESSABLE)    /* a student's saved searches are all used */ \
    X(ERR_BLOCK_HAS_SEATS, ERR_CONFLICT)            /* joining the waitlist of a block with a seat */ \
    X(ERR_NOT_ELIGIBLE, ERR_UNPROCESSABLE)          /* the profile does not meet the rules */ \
    X(ERR_ALREADY_WAITLISTED, ERR_CONFLICT)         /* on the block's waitlist already */ \
    X(ERR_TEXT_TOO_LONG, ERR_PAYLOAD_TOO_LARGE)     /* a text over its limit (names the field) */ \
    X(ERR_HOURS_LOG_CLOSED, ERR_CONFLICT)           /* hours before the start or after the grace days */ \
    X(ERR_HOURS_DAY_TAKEN, ERR_CONFLICT)            /* the day is already in this rotation's log */ \
    X(ERR_HOURS_REVIEWED, ERR_CONFLICT)             /* the entry is not waiting for that move */ \
    X(ERR_NOT_IN_ROTATION, ERR_CONFLICT)            /* a check-in while no rotation is under way */ \
    X(ERR_THREAD_CLOSED, ERR_CONFLICT)              /* messages before an offer was made */ \
    X(ERR_DELETION_PENDING, ERR_CONFLICT)           /* a deletion request is pending already */ \
    X(ERR_DELETION_CLOSED, ERR_CONFLICT)            /* completing a request that is not pending */ \
    X(ERR_INVITE_NO_USABLE_LINE, ERR_UNPROCESSABLE) /* a school's CSV of which every line is refused */

enum error_code {
#define ERROR_ENUM(name, ...) name,
    ERROR_TABLE(ERROR_ENUM)
    ERR_REPLY_COUNT, /* the codes above are the ones a reply can carry */
    ERROR_OUTCOME_TABLE(ERROR_ENUM)
#undef ERROR_ENUM
    ERR_COUNT
};

/* The code a reply carries: an outcome's broader code, else the code itself. */
enum error_code error_reply_code(enum error_code code);
/* True when code is kind or an outcome that replies as kind. */
static inline bool error_is(enum error_code code, enum error_code kind)
{
    return code == kind || error_reply_code(code) == kind;
}

/* The HTTP status, the stable snake_case code ("validation_failed") and the
 * title of the code a reply carries (error_reply_code). */
int error_status(enum error_code code);
const char *error_name(enum error_code code);
const char *error_title(enum error_code code);

/* An error with the field it concerns and a human detail (both may be NULL).
 * The strings must outlive the error (literals or arena memory). */
struct error {
    enum error_code code;
    const char *field;
    const char *detail;
};

static inline int error_set(struct error *err, enum error_code code, const char *field, const char *detail)
{
    if (err != 0) {
        err->code = code;
        err->field = field;
        err->detail = detail;
    }
    return -1;
}

#endif
