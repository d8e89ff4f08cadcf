/* limits.h — every limit Rounds sets on what users send and on what it
 * builds, named once and used by every layer: the API's field specs, the
 * pages' forms and messages, the domain's checks and the reply buffers.
 *
 * Limits are plain integer literals so that a message can quote one:
 * "at most " LIMIT_TEXT(REASON_MAX_CHARS) " characters". Text limits count
 * characters (Unicode code points) unless the name says bytes. */
#ifndef ROUNDS_LIB_LIMITS_H
#define ROUNDS_LIB_LIMITS_H

#include <stdint.h>

/* A limit as a string literal, for messages. */
#define LIMIT_TEXT(limit) LIMIT_TEXT_(limit)
#define LIMIT_TEXT_(limit) #limit

/* ---- a request's head ---- */
#define REQUEST_HEADERS_MAX_BYTES 16384 /* all header fields of one request, "name: value\r\n" each (16 KiB):
                                           431 above it */

/* ---- identifiers and codes in request bodies, in bytes ---- */
#define ID_MAX_BYTES 64               /* an id of ours, or a reference-data key (specialty, kind) */
#define STATE_CODE_BYTES 2            /* a USPS state code */
#define ZIP_MAX_BYTES 10              /* 12345 or 12345-6789 */
#define NPI_BYTES 10                  /* a National Provider Identifier */
#define PASSWORD_FIELD_MAX_BYTES 1024 /* what a password field may carry before the password rules look */
#define LINK_TOKEN_MAX_BYTES 64       /* the secret of an emailed link (password reset, confirmation) */

/* ---- free text people type ---- */
#define ACCOUNT_NAME_MAX_CHARS 120    /* the name on an account */
#define SCHOOL_MAX_CHARS 200          /* a student's medical school */
#define COUNTRY_MAX_CHARS 100         /* a student's country */
#define REASON_MAX_CHARS 500          /* why a document is rejected or a letter declined */
#define NOTE_MAX_CHARS 2000           /* a note on a move of an application */
#define STATEMENT_MAX_CHARS 5000      /* an applicant's statement */
#define PERSON_NAME_MAX_CHARS 200     /* a letter author's or an organisation's name */
#define EMAIL_MAX_BYTES 254           /* RFC 5321's longest path */
#define ERAS_LETTER_ID_MAX_BYTES 64   /* the ERAS Letter ID of a delivered letter */

/* ---- the catalog: offerings, sites, preceptors ---- */
#define CATALOG_TITLE_MIN 3
#define CATALOG_TITLE_MAX 120
#define CATALOG_DESCRIPTION_MAX 5000
#define CATALOG_FIRST_DAY_MAX 2000
#define CATALOG_FIRST_DAY_FIELD_MAX 300 /* each of the first day's fields: address, time, … */
#define CATALOG_WEEKS_MAX 52
#define CATALOG_HOURS_MAX 80
#define CATALOG_SEATS_MAX 100
#define CATALOG_MAX_YEARS_SINCE_GRADUATION 60 /* the most an offering's eligibility rule may allow */
#define CATALOG_TUITION_MAX_CENTS INT64_C(10000000)
#define CATALOG_FEE_MAX_CENTS INT64_C(100000)
#define SITE_NAME_MAX_CHARS 100
#define SITE_CITY_MAX_CHARS 100
#define SITE_ADDRESS_MAX_CHARS 200
#define PRECEPTOR_NAME_MAX_CHARS 120
#define LICENSE_NUMBER_MAX_CHARS 40

/* ---- API lists (?limit= and ?cursor=) ---- */
#define API_LIST_LIMIT_DEFAULT 20         /* items on a page when ?limit= is not given */
#define API_LIST_LIMIT_MAX 100            /* the most ?limit= may ask for */
#define API_CURSOR_MAX_BYTES 2048        /* a ?cursor= of a list (its key parts in hex) */

/* ---- documents ---- */
#define WALLET_DOCUMENTS_MAX 500          /* current documents a wallet list reads (the byte quota keeps a wallet below it) */

/* ---- web pages that show a list newest first, a page at a time ---- */
#define WEB_WAITLIST_SHOWN_MAX 200        /* waitlist places on one page of the saved page ("Older places" goes on) */
#define MATCH_ROUNDS_SHOWN_MAX 200        /* match rounds on one page of a web page ("Older rounds" goes on) */
#define AGREEMENTS_SHOWN_MAX 200          /* agreements on one page of /agreements ("Older agreements" goes on) */

/* ---- search, saved searches and alerts ---- */
#define SEARCH_QUERY_MAX_CHARS 200        /* the words of a search (q) */
#define SEARCH_PAGE_MAX 500               /* the highest numbered page of the search page (page=) */
#define CATALOG_OFFSET_MAX 50000          /* results a numbered page may skip (SEARCH_PAGE_MAX × 100) */
#define SEARCH_BACK_MAX_BYTES 1024        /* the search an offering's "Back to the search" returns to (back=) */
#define SAVED_SEARCHES_MAX 20             /* saved searches a student may keep */
#define SAVED_SEARCH_NAME_MAX_CHARS 80
#define ALERT_PENDING_MAX 50              /* offerings one alert email lists */

/* ---- profiles, requirements, readiness, letters ---- */
#define GRADUATION_YEAR_MIN 1950
#define GRADUATION_YEAR_MAX 2035      /* a student in a 6-year programme today graduates by then */
#define STEP2CK_SCORE_MIN 1
#define STEP2CK_SCORE_MAX 300
#define ISSUED_WITHIN_DAYS_MAX 3650   /* a requirement's "issued within N days before the start" */
#define READINESS_TARGET_MAX 520      /* any readiness target: letters, U.S. letters, weeks */
#define LETTER_OVERDUE_DAYS 14        /* a letter still unanswered this long after the request */

/* ---- partner schools ---- */
#define SCHOOL_INVITE_MAX_ROWS 5000       /* rows of one invitation CSV */
#define SCHOOL_INVITE_MAX_BYTES 1048576   /* one invitation CSV upload (1 MiB) */
#define SCHOOL_INVITATION_DAYS 30         /* an invitation link works this long */
#define SCHOOL_INVITES_PER_DAY 5000       /* invitation emails of one school in any 24 hours (one full file) */
#define SCHOOL_NOTE_MAX_CHARS 500         /* why a request to join was refused */
#define SCHOOL_APPROVALS_SHOWN 200        /* applications waiting for a school's approval, listed at once */

/* ---- during the rotation: hours, check-ins, tickets, messages, first-day instructions ---- */
#define HOURS_ACTIVITIES_MAX_CHARS 2000 /* what the student did on a logged day */
#define HOURS_PATIENTS_MAX 500          /* patients seen on one day */
#define HOURS_DAY_MAX_MINUTES 1440      /* a day has 24 hours, across all rotations */
#define HOURS_FIELD_MAX_HUNDREDTHS 100000 /* what the hours field may carry before the 24-hour rule looks (1,000 h) */
#define HOURS_LOG_GRACE_DAYS 14         /* days after the last day that hours may still be logged */
#define CHECK_IN_TEXT_MAX_CHARS 2000    /* "what did you do this week" */
#define TICKET_SUBJECT_MAX_CHARS 200
#define TICKET_BODY_MAX_CHARS 5000      /* a ticket's description, and each reply */
#define MESSAGE_MAX_CHARS 5000          /* one message of a rotation's thread */
#define MESSAGE_THREAD_SHOWN 100        /* the newest messages a thread shows */
#define MESSAGES_PER_MINUTE 20          /* a user's sending limit (ROUNDS_MESSAGES_PER_MINUTE) */
#define MESSAGE_DIGEST_MINUTES 30       /* at most one digest email per member this often */
#define FIRST_DAY_FIELD_MAX_CHARS 500   /* each part of the first-day instructions */

/* ---- after the rotation: evaluations and reviews ---- */
#define EVALUATION_TEXT_MAX_CHARS 4000  /* an evaluation's strengths, areas to improve, and each addendum */
#define FEEDBACK_TEXT_MAX_CHARS 4000    /* the student's confidential comments on the rotation */
#define REVIEW_TEXT_MAX_CHARS 4000      /* a review, and the host's answer */
#define REVIEW_WINDOW_DAYS 180          /* a rotation may be reviewed this long after its last day */
#define FORM_SCORE_MAX 1000             /* a score or rating typed in a form: larger is not a number (refused by name) */
#define FEEDBACK_MIN_STUDENTS 5         /* hosts see the students' feedback only over at least this many */

/* ---- volume: how often one person or address may do something ----
 * Counted in the database, so every instance shares them (see the README's
 * "Login limits" and "Volume limits and text"). The login thresholds are
 * settings (ROUNDS_LOGIN_LIMIT_*); these are the fixed parts. */
#define LOGIN_WINDOW_SECONDS 900         /* failed logins count this long */
#define LOGIN_FREE_FAILURES 5            /* of an account from one address, before the delay starts */
#define LOGIN_MAX_DELAY_SECONDS 60       /* the delay doubles from 1 s up to this */
#define REGISTER_WINDOW_SECONDS 3600     /* ROUNDS_REGISTER_LIMIT_CLIENT counts over this */
#define LETTER_REQUESTS_PER_DAY 10       /* letter requests of one student in any 24 hours */
#define PRECEPTOR_INVITATIONS_PER_DAY 3  /* invitations mailed to one preceptor in any 24 hours */
#define PRECEPTOR_INVITATION_DAYS 14     /* how long an invitation to link an account works */

/* ---- the placement match (docs/match.md) ---- */
#define MATCH_ID_MAX_CHARS 64          /* ids of students, offerings, blocks, attributes in an instance */
#define MATCH_SEED_MAX_CHARS 256       /* a lottery seed */
#define MATCH_MAX_PLACEMENTS 64        /* max_placements of one student (rotation mode) */
#define MATCH_MAX_SEATS 1000000        /* seats of one offering in an instance */
#define MATCH_MAX_ITEMS 20000000       /* students, offerings, blocks, rank entries of an instance: each */
#define MATCH_MAX_INSTANCE_BYTES 1073741824 /* the largest instance file `rounds match` reads (1 GiB) */
#define MATCH_ERROR_MAX 400            /* a refused instance's message, in bytes */
#define MATCH_ROUND_NAME_MAX_CHARS 120 /* a match round's name */
#define MATCH_ROUND_MAX_RANKS 200      /* offerings one student may rank in a round */
#define MATCH_ROUND_MAX_COHORT 5000    /* students of one round */

/* ---- money ---- */
#define MONEY_AMOUNT_MAX_CENTS 100000000       /* one payment, refund or transfer: $1,000,000 */
#define DEPOSIT_PERCENT_MAX 100       /* a deposit given as a share of the price */
#define BALANCE_DUE_DAYS_MAX 365      /* the balance is due at most this many days before the start */
#define REFUND_TIERS_MAX 6            /* tiers in one refund policy */
#define REFUND_DAYS_BEFORE_MAX 730    /* a tier's "cancelled at least D days before the start" */
#define BANK_REFERENCE_MAX_BYTES 64   /* a bank transfer's reference as staff type it */
#define BANK_DETAILS_MAX_BYTES 1000   /* ROUNDS_BANK_TRANSFER_DETAILS */
/* ---- backups (rounds backup / restore) ---- */
#define BACKUP_PATH_MAX_BYTES 200             /* a path inside a backup folder, as its manifest lists it */
#define BACKUP_MANIFEST_MAX_BYTES (64 * 1024 * 1024) /* the largest manifest restore reads */
#define BACKUP_MAX_FILES 4000000              /* files one manifest may list */
/* ---- exports (rounds export / import) ---- */
#define EXPORT_LINE_MAX_BYTES (16 * 1024 * 1024)  /* one row of an export file, as JSON */
#define EXPORT_MANIFEST_MAX_BYTES (1024 * 1024)   /* the largest export manifest import reads */

/* ---- what one string being built may grow to, in bytes ----
 * A buffer past its cap refuses further appends (lib/buf.h); these are
 * sanity ceilings, far above what real content needs, not quotas. */
#define BUF_CAP_WORD 64                  /* a number or a short label */
#define BUF_CAP_LINE 1024                /* a sentence, a title, a link */
#define BUF_CAP_HEADER 2048              /* a response header value */
#define BUF_CAP_SMALL (8 * 1024)         /* a reply of a few fields; a short email */
#define BUF_CAP_OBJECT (16 * 1024)       /* one object as JSON */
#define BUF_CAP_FORM (64 * 1024)         /* a form page; an object with short lists; an email */
#define BUF_CAP_DETAIL (256 * 1024)      /* an object with its history and parts */
#define BUF_CAP_PAGE (512 * 1024)        /* a page */
#define BUF_CAP_LIST (1024 * 1024)       /* a list reply or a page of lists; one email message */
#define BUF_CAP_LONG_LIST (2 * 1024 * 1024) /* the longest lists (all documents, all applications) */
#define BUF_CAP_EXPORT (16 * 1024 * 1024)   /* a person's export of their own data, as JSON (GET /api/v1/me/export) */

#endif
