/* documents.h — the student's document wallet (DESIGN.md §2–§3) and the
 * compliance engine.
 *
 * Uploads are checked by content (PDF, PNG, JPEG by their magic bytes, which
 * must agree with the declared type), sealed and stored by content address
 * (store/blobs.h), and start `uploaded`; staff verify or reject them (with a
 * reason). A new upload may replace a current document: the old version is
 * kept as history. Students see their own; a host (its coordinators and the
 * preceptor) sees a student's documents only through an active application
 * to its own offerings; staff see all; anybody else gets 404. Every read of a
 * file is written to the audit trail.
 *
 * Requirements come from the host (for all its offerings), from the offering
 * (its requirement kinds, and rules of its own). Every requirement needs a
 * document of its kind that is valid through the end of the rotation; a rule
 * may also ask that it was issued within N days before the start. */
#ifndef ROUNDS_DOMAIN_DOCUMENTS_H
#define ROUNDS_DOMAIN_DOCUMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/vocabulary.h"
#include "lib/arena.h"
#include "lib/byte_source.h"
#include "lib/errors.h"
#include "store/applications.h"
#include "store/documents.h"

/* Limits, from configuration, set once before serving (defaults 10 MiB and 100 MiB). */
void documents_configure(size_t max_file_bytes, int64_t quota_bytes);
size_t documents_max_file_bytes(void);

/* "application/pdf", "image/png" or "image/jpeg" from the first bytes, or NULL. */
const char *document_sniff(const void *data, size_t len);
/* A file name fit to show: the last path component, control characters and
 * quotes removed, at most 120 bytes of valid UTF-8; "document" when nothing is left. */
const char *document_clean_file_name(struct arena *arena, const char *name);
/* "passport" → "Passport"; the slug itself when unknown. */
const char *document_kind_name(const char *kind);
/* The name inside a sentence ("Upload your personal statement"): the first
 * letter in lower case, unless the name begins with an acronym or a proper
 * noun ("USMLE Step 1 score report", "U.S. visa", "English proficiency …"). */
const char *document_kind_in_sentence(struct arena *arena, const char *kind);
/* The document's state (its text as stored, parsed). */
enum document_state document_state_of(const struct store_document *d);

struct document_upload {
    const char *kind;            /* a slug of shared/data/document_kinds.csv */
    const char *issued_on;       /* YYYY-MM-DD or NULL/"" */
    const char *expires_on;      /* YYYY-MM-DD or NULL/"" */
    const char *file_name;       /* as the client sent it; only cleaned and shown */
    const char *declared_type;   /* the part's Content-Type (parameters ignored) */
    const char *data;
    size_t len;
    const char *replaces_id;     /* NULL, or a current document of the same student */
};

/* Every problem of an upload that needs no database, in the order
 * document_upload refuses them: the file (413 or 415 as below), the kind
 * (unless replacing, when it is the replaced document's), issued_on,
 * expires_on; one per field, each a 400 naming it but the file's. */
enum { DOCUMENT_UPLOAD_FIELDS = 4 };
size_t document_upload_problems(struct arena *arena, const struct document_upload *upload, struct error *errors,
                                size_t capacity);

/* Checks and stores an upload as the student's: 413 payload_too_large (over
 * the cap), 415 unsupported_media_type (not PDF/PNG/JPEG, or not what was
 * declared), 400 validation_failed naming kind / issued_on / expires_on
 * (unknown kind, bad date, expiry before issue, issue date in the future),
 * 422 quota_exceeded, 404 when replaces_id is not a current document of
 * theirs. Nothing is left on disk when it fails. */
int document_upload(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                    const struct document_upload *upload, struct store_document *out, struct error *err);

/* Loads a document the user may see (DB_ROW semantics folded: 0 with *out,
 * or -1 with 404 in err when it does not exist or is not theirs to see). */
int document_get_visible(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *user,
                         struct store_document *out, struct error *err);
/* The plain bytes of a visible document's file; the read is audited. */
int document_read_file(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *user,
                       struct store_document *out, const char **data, size_t *len, struct error *err);
/* The same as a source that opens the file as it is sent (store/blobs.h:
 * a file altered at its start fails here with 500, one altered further on
 * fails in the source's next), for the caller to close or hand to a reply
 * (http_reply_file_stream). The read is audited before the source is returned. */
int document_open_file(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *user,
                       struct store_document *out, struct byte_source *file, struct error *err);
/* Staff: uploaded → verified, or → rejected with a reason (400 reason when
 * empty). 404 for non-staff, 409 invalid_transition when not uploaded/current. */
int document_verify(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *staff,
                    struct store_document *out, struct error *err);
int document_reject(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *staff,
                    const char *reason, struct store_document *out, struct error *err);
/* The student deletes their document (with its history); 409 document_in_use
 * while it is attached to a booked, cleared or in-progress application. The
 * sealed file is removed when nothing else uses it. */
int document_delete(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *student,
                    struct error *err);
/* Attaches the student's current documents to their application (at apply
 * time, or later): 422 naming document_ids when one is not theirs. Runs inside
 * the caller's transaction. Returns 0; -1 with err set when refused (404 when
 * the application is not the student's); or, when the database failed, its
 * db_status with err untouched (DB_RETRY is -1 too: tell them apart by
 * err->code, and return DB_CONSTRAINT from the transaction for a refusal). */
int document_attach(struct db_conn *conn, struct arena *arena, const char *application_id,
                    const struct store_user *student, const char *const *document_ids, size_t count,
                    struct error *err);

/* ---- compliance ---- */

/* One requirement as the engine sees it. */
struct requirement_rule {
    const char *kind;
    int64_t issued_within_days; /* 0: none */
    enum requirement_source source;
    const char *requirement_id; /* NULL for kinds listed on the offering without a rule row */
};

struct compliance_item {
    struct requirement_rule rule;
    enum compliance_state state;
    const char *detail;                    /* a sentence for people: why, and what to do */
    const struct store_document *document; /* the one that meets it, or the best candidate; NULL when missing */
};

struct compliance {
    const char *start, *end;      /* the rotation's dates */
    struct compliance_item *items;
    size_t count;
    bool all_ok;
};

/* The state of one rule given the student's current documents of any kind,
 * the rotation's dates and today (all YYYY-MM-DD). Pure: the unit tests drive
 * it with fixed dates. Of several candidates, the best (ok, then expiring,
 * pending, expired, rejected) is reported:
 *   rejected — staff rejected it;
 *   expired  — its expiry date has passed, or it is not valid for this
 *              rotation (expires before the rotation ends; issued more than N
 *              days before the start, or no issue date where the rule needs one);
 *   pending  — valid by its dates, not verified yet;
 *   expiring — verified and valid, but expires within 30 days of today;
 *   ok       — verified and valid through the rotation. */
void compliance_evaluate(struct arena *arena, const struct requirement_rule *rule,
                         const struct store_document *docs, size_t doc_count, const char *start, const char *end,
                         const char *today, struct compliance_item *out);

/* The rules that apply to an offering: its host's, its own rows, and the kinds
 * listed on the offering, one per kind (the strictest issue-date rule wins),
 * in the order of the reference list of kinds. DB_OK or the store's status
 * (likewise compliance_for_application). */
int compliance_rules(struct db_conn *conn, struct arena *arena, const char *organization_id,
                     const char *offering_id, struct requirement_rule **out, size_t *count);
/* compliance_rules from rows already loaded: those of `rows` that apply to the
 * host and offering (the host's, and the offering's own when offering_id is not
 * NULL) and the kinds listed on the offering (`listed`, comma-separated, may be NULL). */
int compliance_rules_from(struct arena *arena, const struct store_requirement *rows, size_t row_count,
                          const char *organization_id, const char *offering_id, const char *listed,
                          struct requirement_rule **out, size_t *count);
/* Every rule evaluated against the student's current documents for a rotation from start to end, today (clock). */
int compliance_evaluate_all(struct arena *arena, const struct requirement_rule *rules, size_t rule_count,
                            const struct store_document *docs, size_t doc_count, const char *start, const char *end,
                            struct compliance *out);
/* The compliance of an application, computed against today (clock). */
int compliance_for_application(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                               struct compliance *out);

/* Every problem of a requirement's fields, kind then issued_within_days (0
 * for none, else at most ISSUED_WITHIN_DAYS_MAX); requirement_add refuses the first. */
enum { REQUIREMENT_INPUT_FIELDS = 2 };
size_t requirement_input_problems(const char *kind, int64_t issued_within_days, struct error *errors,
                                  size_t capacity);

/* Requirements are managed by the host's coordinators and staff (404 for
 * anyone else): 400 validation_failed naming kind / issued_within_days
 * (1–3650) / offering_id (not an offering of that host), 409 conflict when the
 * kind is already required at that level. */
int requirement_add(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                    const char *organization_id, const char *offering_id, const char *kind,
                    int64_t issued_within_days, struct store_requirement *out, struct error *err);
int requirement_remove(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                       struct error *err);

/* Reminders (the jobs thread): in-app and email notices 30 and 7 days before
 * a document needed by an upcoming rotation expires, each sent once. */
int documents_send_reminders(struct db_conn *conn, struct arena *arena, int *sent);

#endif
