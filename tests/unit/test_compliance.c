/* test_compliance.c — unit tests for src/domain/documents.c without a
 * database: the compliance engine with fixed dates (every state and rule,
 * and which of several documents is reported), content sniffing, cleaning of
 * file names, the refusals of an upload that come before any storage (each
 * problem named at once), and the checks of a requirement's fields. */
#include <stdbool.h>
#include <stddef.h>

#include "domain/documents.h"
#include "lib/arena.h"
#include "lib/utf8.h"
#include "test.h"

static struct arena arena;

/* A rotation from 2027-01-04 to 2027-01-29, looked at on 2026-11-20. */
static const char *const START = "2027-01-04", *const END = "2027-01-29", *const TODAY = "2026-11-20";

static struct store_document doc(const char *id, const char *kind, const char *state, const char *issued,
                                 const char *expires)
{
    struct store_document d = {0};
    d.id = id;
    d.student_id = "u_student";
    d.kind = kind;
    d.state = state;
    d.issued_on = issued;
    d.expires_on = expires;
    d.reject_reason = "";
    d.media_type = "application/pdf";
    return d;
}

static struct compliance_item eval(const struct requirement_rule *rule, const struct store_document *docs,
                                   size_t count)
{
    struct compliance_item item;
    compliance_evaluate(&arena, rule, docs, count, START, END, TODAY, &item);
    return item;
}

static const struct requirement_rule passport = {"passport", 0, REQUIREMENT_FROM_OFFERING, NULL};
static const struct requirement_rule tb_90 = {"tb-test", 90, REQUIREMENT_FROM_HOST, "rq_1"};

TEST(missing_when_no_document_of_the_kind)
{
    struct compliance_item item = eval(&passport, NULL, 0);
    CHECK_STR(compliance_state_name(item.state), "missing");
    CHECK(item.document == NULL);
    CHECK_STR(item.detail, "Upload your passport");
    CHECK_STR(item.rule.kind, "passport");
    CHECK_STR(requirement_source_name(item.rule.source), "offering");

    struct store_document other[] = {doc("d_1", "visa", "verified", "2026-01-01", "2030-01-01")};
    item = eval(&passport, other, 1);
    CHECK_STR(compliance_state_name(item.state), "missing");
    CHECK(item.document == NULL);

    /* A TB test under a 90-day rule says from when it must be dated. */
    item = eval(&tb_90, NULL, 0);
    CHECK_STR(compliance_state_name(item.state), "missing");
    CHECK_STR(item.detail, "Upload your TB test (IGRA or TST), issued on or after Oct 6, 2026 (at most 90 days "
                           "before the start)");
    CHECK_STR(item.rule.requirement_id, "rq_1");
}

TEST(pending_until_staff_verify)
{
    struct store_document d[] = {doc("d_1", "passport", "uploaded", "2020-03-01", "2030-03-01")};
    struct compliance_item item = eval(&passport, d, 1);
    CHECK_STR(compliance_state_name(item.state), "pending");
    CHECK(item.document == &d[0]);
    CHECK_STR(item.detail, "Waiting for verification by Rounds staff");
}

TEST(rejected_with_the_reason)
{
    struct store_document d[] = {doc("d_1", "passport", "rejected", "2020-03-01", "2030-03-01")};
    d[0].reject_reason = "The scan is blurry";
    struct compliance_item item = eval(&passport, d, 1);
    CHECK_STR(compliance_state_name(item.state), "rejected");
    CHECK(item.document == &d[0]);
    CHECK_STR(item.detail, "Rejected: The scan is blurry");
    d[0].reject_reason = "";
    item = eval(&passport, d, 1);
    CHECK_STR(compliance_state_name(item.state), "rejected");
    CHECK_CONTAINS(item.detail, "Rejected");
}

TEST(expired_when_the_expiry_date_has_passed)
{
    struct store_document d[] = {doc("d_1", "passport", "verified", "2016-11-01", "2026-11-19")};
    struct compliance_item item = eval(&passport, d, 1);
    CHECK_STR(compliance_state_name(item.state), "expired");
    CHECK(item.document == &d[0]);
    CHECK_STR(item.detail, "Expired on Nov 19, 2026: upload a new one");
    /* Valid on its last day. */
    d[0].expires_on = "2027-01-29";
    item = eval(&passport, d, 1);
    CHECK_STR(compliance_state_name(item.state), "ok");
}

TEST(expired_when_it_ends_before_the_rotation_ends)
{
    struct store_document d[] = {doc("d_1", "passport", "verified", "2017-01-03", "2027-01-03")};
    struct compliance_item item = eval(&passport, d, 1);
    CHECK_STR(compliance_state_name(item.state), "expired");
    CHECK_STR(item.detail, "Expires Jan 3, 2027, before the rotation ends on Jan 29, 2027");
    d[0].expires_on = "2027-01-28"; /* one day short */
    item = eval(&passport, d, 1);
    CHECK_STR(compliance_state_name(item.state), "expired");
    /* Unverified documents are judged by their dates first. */
    d[0].state = "uploaded";
    item = eval(&passport, d, 1);
    CHECK_STR(compliance_state_name(item.state), "expired");
}

TEST(issued_too_early_for_a_90_day_rule)
{
    struct store_document d[] = {doc("d_1", "tb-test", "verified", "2026-10-05", NULL)};
    struct compliance_item item = eval(&tb_90, d, 1);
    CHECK_STR(compliance_state_name(item.state), "expired");
    CHECK_STR(item.detail, "Issued Oct 5, 2026, more than 90 days before the start (Jan 4, 2027)");
    d[0].issued_on = "2026-10-06"; /* exactly 90 days before */
    item = eval(&tb_90, d, 1);
    CHECK_STR(compliance_state_name(item.state), "ok");
    CHECK_STR(item.detail, "Verified");
    /* Without the rule the same old test is fine. */
    struct requirement_rule any = {"tb-test", 0, REQUIREMENT_FROM_HOST, NULL};
    d[0].issued_on = "2025-12-01";
    item = eval(&any, d, 1);
    CHECK_STR(compliance_state_name(item.state), "ok");
}

TEST(no_issue_date_under_a_rule_is_not_valid)
{
    struct store_document d[] = {doc("d_1", "tb-test", "verified", NULL, NULL)};
    struct compliance_item item = eval(&tb_90, d, 1);
    CHECK_STR(compliance_state_name(item.state), "expired");
    CHECK_CONTAINS(item.detail, "No issue date");
    CHECK_STR(item.detail, "No issue date: it must be issued at most 90 days before the start (Jan 4, 2027)");
}

TEST(expiring_within_30_days_of_today)
{
    /* A short rotation starting soon; the passport outlives it but expires in 20 days. */
    struct store_document d[] = {doc("d_1", "passport", "verified", "2016-12-10", "2026-12-10")};
    struct compliance_item item;
    compliance_evaluate(&arena, &passport, d, 1, "2026-11-23", "2026-12-04", TODAY, &item);
    CHECK_STR(compliance_state_name(item.state), "expiring");
    CHECK(item.document == &d[0]);
    CHECK_STR(item.detail, "Verified; expires Dec 10, 2026, within 30 days");
    /* 30 days is still expiring, 31 is not. */
    d[0].expires_on = "2026-12-20";
    compliance_evaluate(&arena, &passport, d, 1, "2026-11-23", "2026-12-04", TODAY, &item);
    CHECK_STR(compliance_state_name(item.state), "expiring");
    d[0].expires_on = "2026-12-21";
    compliance_evaluate(&arena, &passport, d, 1, "2026-11-23", "2026-12-04", TODAY, &item);
    CHECK_STR(compliance_state_name(item.state), "ok");
}

TEST(ok_when_verified_and_valid_through_the_rotation)
{
    struct store_document d[] = {doc("d_1", "passport", "verified", "2020-03-01", "2030-03-01")};
    struct compliance_item item = eval(&passport, d, 1);
    CHECK_STR(compliance_state_name(item.state), "ok");
    CHECK(item.document == &d[0]);
    CHECK_STR(item.detail, "Verified, valid through Mar 1, 2030");
    struct store_document cv[] = {doc("d_2", "cv", "verified", NULL, NULL)};
    struct requirement_rule cv_rule = {"cv", 0, REQUIREMENT_FROM_OFFERING, NULL};
    item = eval(&cv_rule, cv, 1);
    CHECK_STR(compliance_state_name(item.state), "ok");
}

TEST(the_best_candidate_is_reported)
{
    struct store_document d[] = {
        doc("d_rejected", "passport", "rejected", "2020-03-01", "2030-03-01"),
        doc("d_expired", "passport", "verified", "2010-03-01", "2020-03-01"),
        doc("d_pending", "passport", "uploaded", "2021-03-01", "2031-03-01"),
        doc("d_ok", "passport", "verified", "2022-03-01", "2032-03-01"),
        doc("d_visa", "visa", "verified", "2022-03-01", "2032-03-01"),
    };
    struct compliance_item item = eval(&passport, d, 5);
    CHECK_STR(compliance_state_name(item.state), "ok");
    CHECK_STR(item.document->id, "d_ok");
    item = eval(&passport, d, 3); /* without the verified one */
    CHECK_STR(compliance_state_name(item.state), "pending");
    CHECK_STR(item.document->id, "d_pending");
    item = eval(&passport, d, 2);
    CHECK_STR(compliance_state_name(item.state), "expired");
    CHECK_STR(item.document->id, "d_expired");
    /* Order does not matter. */
    struct store_document reversed[] = {d[3], d[2], d[1], d[0]};
    item = eval(&passport, reversed, 4);
    CHECK_STR(item.document->id, "d_ok");
    /* Expiring beats pending, ok beats expiring. */
    struct store_document soon[] = {
        doc("d_pending", "passport", "uploaded", "2021-03-01", "2031-03-01"),
        doc("d_soon", "passport", "verified", "2016-12-10", "2026-12-10"),
    };
    compliance_evaluate(&arena, &passport, soon, 2, "2026-11-23", "2026-12-04", TODAY, &item);
    CHECK_STR(compliance_state_name(item.state), "expiring");
    CHECK_STR(item.document->id, "d_soon");
    /* Replaced and deleted versions are history, never candidates. */
    struct store_document old[] = {doc("d_old", "passport", "verified", "2022-03-01", "2032-03-01")};
    old[0].replaced_at = 1;
    item = eval(&passport, old, 1);
    CHECK_STR(compliance_state_name(item.state), "missing");
    old[0].replaced_at = 0;
    old[0].deleted_at = 1;
    item = eval(&passport, old, 1);
    CHECK_STR(compliance_state_name(item.state), "missing");
}

TEST(sniffing_by_magic_bytes)
{
    CHECK_STR(document_sniff("%PDF-1.7\n", 9), "application/pdf");
    CHECK_STR(document_sniff("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "image/png");
    CHECK_STR(document_sniff("\xff\xd8\xff\xe0\0\x10JFIF", 10), "image/jpeg");
    CHECK(document_sniff("<!DOCTYPE html><title>x</title>", 31) == NULL);
    CHECK(document_sniff("%PDF", 4) == NULL);          /* too short */
    CHECK(document_sniff("\x89PNG\r\n\x1a", 7) == NULL); /* truncated signature */
    CHECK(document_sniff("\xff\xd8", 2) == NULL);
    CHECK(document_sniff("GIF89a", 6) == NULL);
    CHECK(document_sniff("", 0) == NULL);
    CHECK(document_sniff(" %PDF-1.7", 9) == NULL); /* the signature must come first */
}

static const char *clean(const char *name)
{
    return document_clean_file_name(&arena, name);
}

TEST(file_names_are_cleaned)
{
    CHECK_STR(clean("passport.pdf"), "passport.pdf");
    CHECK_STR(clean("../../etc/passwd"), "passwd");
    CHECK_STR(clean("C:\\x\\y.pdf"), "y.pdf");
    CHECK_STR(clean("..\\..\\windows\\win.ini"), "win.ini");
    CHECK_STR(clean("a\x01" "b\x7f" "c\r\n.pdf"), "abc.pdf");
    CHECK_STR(clean("\"quoted\" 'name'.pdf"), "quoted name.pdf");
    CHECK_STR(clean("bad\xff\xfename.pdf"), "badname.pdf");
    CHECK_STR(clean("over\xc0\xaflong.pdf"), "overlong.pdf");
    CHECK_STR(clean("Jos\xc3\xa9 P\xc3\xa9rez.pdf"), "Jos\xc3\xa9 P\xc3\xa9rez.pdf");
    CHECK_STR(clean("invoice\xe2\x80\xae" "fdp.exe"), "invoicefdp.exe"); /* no right-to-left override */
    CHECK_STR(clean("\xc2\x85next.pdf"), "next.pdf");                     /* C1 control */
    CHECK_STR(clean(".hidden"), "hidden");
    CHECK_STR(clean(""), "document");
    CHECK_STR(clean("/"), "document");
    CHECK_STR(clean(".."), "document");
    CHECK_STR(clean("dir/"), "document");
    CHECK_STR(clean("\x01\x02"), "document");
    CHECK_STR(clean(NULL), "document");

    /* Over-long names: at most 120 bytes, the extension kept, no split character. */
    char name[400];
    memset(name, 'a', 300);
    memcpy(name + 300, ".pdf", 5);
    const char *c = clean(name);
    CHECK_INT(strlen(c), 120);
    CHECK(strcmp(c + 116, ".pdf") == 0);
    size_t n = 0;
    for (int i = 0; i < 150; i++, n += 2)
        memcpy(name + n, "\xc3\xa9", 2);
    name[n] = '\0';
    c = clean(name);
    CHECK(strlen(c) <= 120);
    CHECK(strlen(c) >= 119);
    CHECK(utf8_valid(c, strlen(c)));
    n = 0;
    for (int i = 0; i < 100; i++, n += 3)
        memcpy(name + n, "\xe2\x82\xac", 3); /* € */
    memcpy(name + n, ".png", 5);
    c = clean(name);
    CHECK(strlen(c) <= 120);
    CHECK(utf8_valid(c, strlen(c)));
    CHECK(strcmp(c + strlen(c) - 4, ".png") == 0);
}

TEST(kind_names_and_state_labels)
{
    CHECK_STR(document_kind_name("passport"), "Passport");
    CHECK_STR(document_kind_name("tb-test"), "TB test (IGRA or TST)");
    CHECK_STR(document_kind_name("made-up"), "made-up");
    CHECK_STR(document_kind_name("english-proof"), "English proficiency (TOEFL / IELTS / OET)");
    CHECK_STR(document_state_label(DOCUMENT_UPLOADED), "Waiting for verification");
    CHECK_STR(document_state_label(DOCUMENT_VERIFIED), "Verified");
}

/* Inside a sentence a name reads as a word ("Upload your personal statement"),
 * but acronyms and proper nouns keep their capitals. */
TEST(kind_names_inside_a_sentence)
{
    static const char *const cases[][2] = {
        {"passport", "passport"},
        {"personal-statement", "personal statement"},
        {"dean-letter", "dean's letter / letter of good standing"},
        {"hepatitis-b", "hepatitis B (3 doses + quantitative anti-HBs)"},
        {"cv", "curriculum vitae"},
        {"usmle-step1", "USMLE Step 1 score report"},
        {"ecfmg-certificate", "ECFMG certificate"},
        {"visa", "U.S. visa (B-1/B-2 or other)"},
        {"english-proof", "English proficiency (TOEFL / IELTS / OET)"},
        {"tdap", "Tdap"},
        {"covid-19", "COVID-19 vaccine"},
        {"n95-fit-test", "N95 fit test"},
        {"tb-test", "TB test (IGRA or TST)"},
        {"made-up", "made-up"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        CHECK_STR(document_kind_in_sentence(&arena, cases[i][0]), cases[i][1]);
    struct requirement_rule statement = {"personal-statement", 0, REQUIREMENT_FROM_OFFERING, NULL};
    CHECK_STR(eval(&statement, NULL, 0).detail, "Upload your personal statement");
    struct requirement_rule step1 = {"usmle-step1", 0, REQUIREMENT_FROM_OFFERING, NULL};
    CHECK_STR(eval(&step1, NULL, 0).detail, "Upload your USMLE Step 1 score report");
}

/* An upload refused before anything is stored (no database needed). */
static struct error refused(const char *data, size_t len, const char *declared, const char *kind, const char *issued,
                            const char *expires)
{
    struct store_user student = {0};
    student.id = "u_student";
    student.roles[0] = "student";
    student.role_count = 1;
    struct document_upload up = {kind, issued, expires, "file.pdf", declared, data, len, NULL};
    struct store_document out;
    struct error err = {0};
    CHECK(document_upload(NULL, &arena, &student, &up, &out, &err) != 0);
    return err;
}

TEST(uploads_refused_before_storage)
{
    static const char pdf[] = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n";
    struct error err = refused("<html><script>alert(1)</script></html>", 38, "application/pdf", "passport", NULL, NULL);
    CHECK_INT(err.code, ERR_UNSUPPORTED_MEDIA_TYPE);
    CHECK_CONTAINS(err.detail, "HTML");
    err = refused(pdf, sizeof(pdf) - 1, "image/png", "passport", NULL, NULL);
    CHECK_INT(err.code, ERR_UNSUPPORTED_MEDIA_TYPE);
    CHECK_CONTAINS(err.detail, "PDF");
    CHECK_CONTAINS(err.detail, "image/png");
    err = refused("GIF89a....", 10, "image/gif", "passport", NULL, NULL);
    CHECK_INT(err.code, ERR_UNSUPPORTED_MEDIA_TYPE);
    CHECK_CONTAINS(err.detail, "GIF");
    err = refused(pdf, sizeof(pdf) - 1, "application/pdf", "not-a-kind", NULL, NULL);
    CHECK_INT(err.code, ERR_VALIDATION_FAILED);
    CHECK_STR(err.field, "kind");
    err = refused(pdf, sizeof(pdf) - 1, "Application/PDF; name=x", "passport", "2026-02-30", NULL);
    CHECK_INT(err.code, ERR_VALIDATION_FAILED);
    CHECK_STR(err.field, "issued_on");
    err = refused(pdf, sizeof(pdf) - 1, "application/pdf", "passport", "2020-01-01", "20300101");
    CHECK_INT(err.code, ERR_VALIDATION_FAILED);
    CHECK_STR(err.field, "expires_on");
    err = refused(pdf, sizeof(pdf) - 1, "application/pdf", "passport", "2020-01-01", "2019-12-31");
    CHECK_INT(err.code, ERR_VALIDATION_FAILED);
    CHECK_STR(err.field, "expires_on");
    err = refused(pdf, sizeof(pdf) - 1, "application/pdf", "passport", "2999-01-01", NULL);
    CHECK_INT(err.code, ERR_VALIDATION_FAILED);
    CHECK_STR(err.field, "issued_on");

    documents_configure(16, 0);
    err = refused(pdf, sizeof(pdf) - 1, "application/pdf", "passport", NULL, NULL);
    CHECK_INT(err.code, ERR_PAYLOAD_TOO_LARGE);
    documents_configure(10u * 1024 * 1024, 0);
    CHECK_INT(documents_max_file_bytes(), 10u * 1024 * 1024);

    /* Not a student: no wallet. */
    struct store_user host = {0};
    host.id = "u_host";
    host.roles[0] = "host_coordinator";
    host.role_count = 1;
    struct document_upload up = {"passport", NULL, NULL, "p.pdf", "application/pdf", pdf, sizeof(pdf) - 1, NULL};
    struct store_document out;
    struct error e2 = {0};
    CHECK(document_upload(NULL, &arena, &host, &up, &out, &e2) != 0);
    CHECK_INT(e2.code, ERR_FORBIDDEN);
}

/* Every problem of an upload at once, in the order document_upload refuses them. */
TEST(upload_problems_are_all_named)
{
    struct document_upload up = {NULL, "2999-01-01", "2998-01-01", "x.pdf", "application/pdf", "<html></html>", 13,
                                 NULL};
    struct error problems[DOCUMENT_UPLOAD_FIELDS];
    CHECK_INT(document_upload_problems(&arena, &up, problems, DOCUMENT_UPLOAD_FIELDS), 4);
    CHECK_STR(problems[0].field, "file");
    CHECK_INT(problems[0].code, ERR_UNSUPPORTED_MEDIA_TYPE);
    CHECK_STR(problems[1].field, "kind");
    CHECK_STR(problems[2].field, "issued_on");
    CHECK_STR(problems[3].field, "expires_on");
    /* Dates that are not dates: each named; the capacity is kept. */
    up = (struct document_upload){"passport", "2026-13-01", "soon", "p.pdf", "application/pdf", "%PDF-1.7\n", 9, NULL};
    CHECK_INT(document_upload_problems(&arena, &up, problems, 1), 1);
    CHECK_STR(problems[0].field, "issued_on");
    CHECK_INT(document_upload_problems(&arena, &up, problems, DOCUMENT_UPLOAD_FIELDS), 2);
    CHECK_STR(problems[1].field, "expires_on");
    /* A new version takes the kind of the one it replaces. */
    up = (struct document_upload){NULL, NULL, NULL, "p.pdf", "application/pdf", "%PDF-1.7\n", 9, "d_old"};
    CHECK_INT(document_upload_problems(&arena, &up, problems, DOCUMENT_UPLOAD_FIELDS), 0);
}

TEST(requirement_problems_are_all_named)
{
    struct error problems[REQUIREMENT_INPUT_FIELDS];
    CHECK_INT(requirement_input_problems("", -1, problems, REQUIREMENT_INPUT_FIELDS), 2);
    CHECK_STR(problems[0].field, "kind");
    CHECK_STR(problems[1].field, "issued_within_days");
    CHECK_STR(problems[1].detail, "must be between 1 and 3650 days");
    CHECK_INT(requirement_input_problems("tb-test", 3651, problems, REQUIREMENT_INPUT_FIELDS), 1);
    CHECK_STR(problems[0].field, "issued_within_days");
    CHECK_INT(requirement_input_problems("tb-test", 0, problems, REQUIREMENT_INPUT_FIELDS), 0);
    CHECK_INT(requirement_input_problems("tb-test", 3650, problems, REQUIREMENT_INPUT_FIELDS), 0);
}

int main(void)
{
    arena_heap_init(&arena);
    RUN(missing_when_no_document_of_the_kind);
    RUN(pending_until_staff_verify);
    RUN(rejected_with_the_reason);
    RUN(expired_when_the_expiry_date_has_passed);
    RUN(expired_when_it_ends_before_the_rotation_ends);
    RUN(issued_too_early_for_a_90_day_rule);
    RUN(no_issue_date_under_a_rule_is_not_valid);
    RUN(expiring_within_30_days_of_today);
    RUN(ok_when_verified_and_valid_through_the_rotation);
    RUN(the_best_candidate_is_reported);
    RUN(sniffing_by_magic_bytes);
    RUN(file_names_are_cleaned);
    RUN(kind_names_and_state_labels);
    RUN(kind_names_inside_a_sentence);
    RUN(uploads_refused_before_storage);
    RUN(upload_problems_are_all_named);
    RUN(requirement_problems_are_all_named);
    arena_heap_free(&arena);
    return test_summary("compliance");
}
