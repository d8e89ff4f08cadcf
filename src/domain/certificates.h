/* certificates.h — signed documents Rounds issues: the certificate of
 * completion of a rotation (issued once the application is completed), its
 * PDF, its public verification and its revocation by staff.
 *
 * A document's facts (lib/signed_document.h) are written once at issue,
 * signed with the signing key, stored with the signature and drawn into a PDF
 * at each download; /verify/{number} and `rounds certificate verify` read the
 * same facts back. */
#ifndef ROUNDS_DOMAIN_CERTIFICATES_H
#define ROUNDS_DOMAIN_CERTIFICATES_H

#include <stdbool.h>

#include "domain/vocabulary.h"
#include "lib/arena.h"
#include "lib/errors.h"
#include "store/certificates.h"

/* The address verification links point to (ROUNDS_PUBLIC_URL). */
void certificates_configure(const char *public_url);

/* Issues the certificate of completion of an application the user may see
 * (404 otherwise), once: *created tells whether this call issued it. 409
 * rotation_not_completed before the application is completed, 409
 * hours_not_confirmed while its hours log has no confirmed hours; 503 when no
 * signing key is loaded or the database fails. */
int certificate_issue_completion(struct db_conn *conn, struct arena *arena, const char *application_id,
                                 const struct store_user *user, struct store_certificate *out, bool *created,
                                 struct error *err);
/* The confirmed minutes of an application's hours log (what its certificate
 * would state): 0, or -1 when it cannot be read. */
int certificate_confirmed_minutes(struct db_conn *conn, struct arena *arena, const char *application_id,
                                  int64_t *minutes);
/* The certificate of an application, if issued: DB_ROW / DB_DONE (no access check). */
int certificate_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                               struct store_certificate *out);
/* A certificate its holder, the host side of its rotation or staff may
 * fetch; 404 for anyone else and for a malformed or unknown number. */
int certificate_get_for(struct db_conn *conn, struct arena *arena, const char *number_text,
                        const struct store_user *user, struct store_certificate *out, struct error *err);
/* A person's own documents, newest first: at most limit after
 * (after_issued_at, after_number), from the newest when after_number is NULL. */
int certificate_list_for(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                         int64_t after_issued_at, const char *after_number, int limit,
                         struct store_certificate **out, size_t *count, struct error *err);
/* Staff revoke with a reason (1–REASON_MAX_CHARS characters): 403 for others,
 * 404 unknown, 409 already_revoked. Audited. */
int certificate_revoke(struct db_conn *conn, struct arena *arena, const char *number_text,
                       const struct store_user *user, const char *reason, struct store_certificate *out,
                       struct error *err);

/* What the public learns from a number. */
enum certificate_verdict {
    CERTIFICATE_NOT_GENUINE,  /* no such number, or its signature does not hold */
    CERTIFICATE_GENUINE,
    CERTIFICATE_REVOKED,      /* genuine, and revoked by staff since */
};
struct certificate_check {
    enum certificate_verdict verdict;
    const char *number;            /* canonical, when the text was a number */
    struct store_certificate cert; /* when found */
};
/* 0 with the verdict, or -1 with 503 when the database fails. */
int certificate_check_number(struct db_conn *conn, struct arena *arena, const char *number_text,
                             struct certificate_check *out, struct error *err);

/* One fact as people read it: a label and the value from the facts. */
struct certificate_fact {
    const char *name, *label, *value;
};
/* The facts worth showing, in order, with their labels (NULL-named end). */
int certificate_facts_shown(struct arena *arena, const char *facts, struct certificate_fact **out, size_t *count);
/* The document's heading ("Certificate of Completion"). */
const char *certificate_heading(const char *kind);

/* Confirmed minutes as the certificate states them ("36.25"), into out. */
const char *certificate_hours_text(int64_t minutes, char *out, size_t size);

/* For the other kinds of document (teaching.c): a "name=value" line of facts,
 * the signature and key id of facts into c, and the public address of a number. */
struct buf;
void certificate_fact_add(struct buf *b, const char *name, const char *value);
int certificate_sign(struct arena *arena, const char *facts, struct store_certificate *c);
const char *certificate_verify_url(const char *number, char *out, size_t size);

/* The PDF of a certificate, from its stored facts and signature. */
int certificate_pdf(struct arena *arena, const struct store_certificate *c, unsigned char **pdf, size_t *len);

#endif
