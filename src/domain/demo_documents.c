/* demo_documents.c — the demo students' wallets; see demo_documents.h. A
 * rotation is cleared to start only once its checklist is met, so a demo
 * rotation under way or done shows a met checklist and the documents behind
 * it, verified by staff before it was cleared. */
#include "domain/demo_documents.h"

#include <stdio.h>
#include <string.h>

#include "domain/documents.h"
#include "domain/vocabulary.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "store/applications.h"
#include "store/blobs.h"
#include "store/documents.h"

enum { DAY = 86400, DEMO_PDF_MAX = 512 };

/* Whether the student's current documents hold one of kind. */
static bool has_kind(const struct store_document *docs, size_t count, const char *kind)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(docs[i].kind, kind) == 0)
            return true;
    return false;
}

/* One document of the rule's kind: issued 30 days before the start (within
 * its rule when it has one), valid two years. */
static int add_document(struct db_conn *conn, const struct store_application *a,
                        const struct requirement_rule *rule, const char *staff_id, int64_t verified_at)
{
    int32_t start = clock_days_from_date(a->block_start);
    int64_t before = rule->issued_within_days > 0 && rule->issued_within_days < 30 ? rule->issued_within_days / 2 : 30;
    char issued[11], expires[11], name[64];
    clock_date_from_days(start - (int32_t)before, issued);
    clock_date_from_days(start - (int32_t)before + 730, expires);
    char pdf[DEMO_PDF_MAX];
    int len = snprintf(pdf, sizeof(pdf),
                       "%%PDF-1.4\n%% Rounds demo document: %s of %s, issued %s\n1 0 obj\n<< /Type /Catalog >>\n"
                       "endobj\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n",
                       rule->kind, a->student_name != NULL ? a->student_name : a->student_id, issued);
    char address[65];
    if (len <= 0 || (size_t)len >= sizeof(pdf) || blobs_put(pdf, (size_t)len, address) != 0)
        return DB_ERROR;
    int64_t uploaded_at = (int64_t)(start - before) * DAY + 12 * 3600;
    char id[48];
    crypto_sortable_id("d_", uploaded_at * 1000, id, sizeof(id)); /* as documents.c makes them, when uploaded */
    snprintf(name, sizeof(name), "%s.pdf", rule->kind);
    struct store_document d = {.id = id, .student_id = a->student_id, .kind = rule->kind,
                               .state = document_state_name(DOCUMENT_VERIFIED), .file_name = name,
                               .media_type = "application/pdf", .blob = address, .size = len,
                               .issued_on = issued, .expires_on = expires, .reject_reason = "",
                               .reviewed_by = staff_id, .reviewed_at = verified_at,
                               .created_at = uploaded_at,
                               .updated_at = verified_at};
    int rc = store_document_insert(conn, &d);
    return rc == DB_OK ? store_application_document_attach(conn, a->id, id, d.created_at) : rc;
}

int demo_documents_seed(struct db_conn *conn, struct arena *arena, const char *application_id, const char *staff_id)
{
    if (!blobs_ready())
        return DB_OK;
    struct store_application a;
    int rc = store_application_get(conn, arena, application_id, &a);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    struct requirement_rule *rules = NULL;
    struct store_document *docs = NULL;
    size_t rule_count = 0, doc_count = 0;
    rc = compliance_rules(conn, arena, a.organization_id, a.offering_id, &rules, &rule_count);
    if (rc == DB_OK)
        rc = store_documents_current(conn, arena, a.student_id, &docs, &doc_count);
    /* Verified a few days after its issue, before the rotation was cleared. */
    int64_t verified_at = ((int64_t)clock_days_from_date(a.block_start) - 25) * DAY + 15 * 3600;
    for (size_t i = 0; rc == DB_OK && i < rule_count; i++)
        if (!has_kind(docs, doc_count, rules[i].kind))
            rc = add_document(conn, &a, &rules[i], staff_id, verified_at);
    return rc;
}
