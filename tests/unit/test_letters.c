/* test_letters.c — unit tests for the pure parts of letters and readiness:
 * ERAS Letter IDs, the PDF check, state labels, and the readiness items
 * computed from counts, targets and the profile (readiness_compute), and how
 * emails to outsiders quote what users wrote (notify_quote). */
#include <stdbool.h>
#include <stddef.h>

#include "domain/letters.h"
#include "domain/notify.h"
#include "domain/readiness.h"
#include "test.h"

static struct arena arena;

TEST(eras_letter_ids)
{
    CHECK(letter_eras_id_valid("A"));
    CHECK(letter_eras_id_valid("LOR-2026-000123"));
    CHECK(letter_eras_id_valid("abc123XYZ"));
    CHECK(letter_eras_id_valid("12345678901234567890123456789012")); /* 32 */
    CHECK(!letter_eras_id_valid("123456789012345678901234567890123")); /* 33 */
    CHECK(!letter_eras_id_valid(""));
    CHECK(!letter_eras_id_valid(NULL));
    CHECK(!letter_eras_id_valid("LOR 123"));
    CHECK(!letter_eras_id_valid("LOR_123"));
    CHECK(!letter_eras_id_valid("123;DROP"));
    CHECK(!letter_eras_id_valid("ñ123"));
    CHECK(!letter_eras_id_valid("123\n"));
}

TEST(pdf_by_content)
{
    CHECK(letter_is_pdf("%PDF-1.7\n%\xe2\xe3", 12));
    CHECK(letter_is_pdf("%PDF-", 5));
    CHECK(!letter_is_pdf("%PDF", 4));
    CHECK(!letter_is_pdf("%PDF-1.7", 3)); /* only the length given counts */
    CHECK(!letter_is_pdf("\x89PNG\r\n\x1a\n", 8));
    CHECK(!letter_is_pdf(" %PDF-1.4", 9));
    CHECK(!letter_is_pdf("", 0));
    CHECK(!letter_is_pdf(NULL, 10));
}

TEST(state_labels)
{
    CHECK_STR(letter_state_label(letter_state_parse("requested")), "Requested");
    CHECK_STR(letter_state_label(letter_state_parse("accepted")), "Accepted");
    CHECK_STR(letter_state_label(letter_state_parse("declined")), "Declined");
    CHECK_STR(letter_state_label(letter_state_parse("uploaded")), "Uploaded");
    CHECK_STR(letter_state_label(letter_state_parse("delivered")), "Delivered to ERAS");
    CHECK_STR(letter_state_label(letter_state_parse("other")), "");
}

static const struct readiness_item *find(const struct readiness *r, const char *key)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->items[i].key, key) == 0)
            return &r->items[i];
    return NULL;
}

static struct readiness_input defaults(const struct store_profile *profile)
{
    struct readiness_input in = {.letters_target = 3, .letters_us_target = 1, .usce_target_weeks = 12,
                                 .profile = profile};
    return in;
}

TEST(readiness_of_a_new_student_is_all_missing)
{
    struct store_profile p = {.step2ck_score = -1};
    struct readiness_input in = defaults(&p);
    struct readiness r;
    readiness_compute(&arena, &in, &r);
    CHECK_INT(r.count, 6);
    CHECK_INT(r.ok_count, 0);
    const char *keys[] = {"letters", "usce", "step1", "step2ck", "ecfmg", "english"};
    for (size_t i = 0; i < 6; i++) {
        CHECK_STR(r.items[i].key, keys[i]);
        CHECK_STR(readiness_state_name(r.items[i].state), "missing");
        CHECK(r.items[i].next_action != NULL);
        CHECK(r.items[i].link != NULL);
        CHECK(r.items[i].title != NULL && r.items[i].summary != NULL);
    }
    const struct readiness_item *letters = find(&r, "letters");
    CHECK_STR(letters->next_action, "Request a letter");
    CHECK_STR(letters->link, "/letters");
    CHECK_INT(letters->have, 0);
    CHECK_INT(letters->target, 3);
    CHECK_CONTAINS(letters->summary, "0 of 3 uploaded");
    const struct readiness_item *usce = find(&r, "usce");
    CHECK_STR(usce->next_action, "Find a hands-on rotation");
    CHECK_STR(usce->link, "/search?kind=hands_on");
    CHECK_INT(usce->target, 12);
    CHECK_STR(find(&r, "step1")->link, "/account");
    CHECK_INT(find(&r, "step1")->target, 0);
    /* no profile at all reads as an empty one */
    in.profile = NULL;
    readiness_compute(&arena, &in, &r);
    CHECK_INT(r.count, 6);
    CHECK_STR(readiness_state_name(find(&r, "english")->state), "missing");
}

TEST(readiness_letters)
{
    struct store_profile p = {.step2ck_score = -1};
    struct readiness_input in = defaults(&p);
    struct readiness r;

    in.letters_open = 1; /* requested, nothing uploaded */
    readiness_compute(&arena, &in, &r);
    CHECK_STR(readiness_state_name(find(&r, "letters")->state), "in_progress");
    CHECK_CONTAINS(find(&r, "letters")->summary, "1 more requested");

    in.letters_open = 0;
    in.letters = 3; /* enough letters, none from a U.S. physician */
    readiness_compute(&arena, &in, &r);
    CHECK_STR(readiness_state_name(find(&r, "letters")->state), "in_progress");
    CHECK_STR(find(&r, "letters")->next_action, "Request a letter from a U.S. physician");
    CHECK_INT(find(&r, "letters")->have, 3);

    in.letters_us = 1;
    readiness_compute(&arena, &in, &r);
    const struct readiness_item *letters = find(&r, "letters");
    CHECK_STR(readiness_state_name(letters->state), "ok");
    CHECK(letters->next_action == NULL && letters->link == NULL);
    CHECK_CONTAINS(letters->summary, "3 of 3 uploaded, 1 from a U.S. physician");
    CHECK_INT(r.ok_count, 1);
    CHECK_INT(r.letters, 3);
    CHECK_INT(r.letters_us, 1);

    in.letters = 2; /* one U.S. letter, short of the total */
    readiness_compute(&arena, &in, &r);
    CHECK_STR(readiness_state_name(find(&r, "letters")->state), "in_progress");
    CHECK_STR(find(&r, "letters")->next_action, "Request a letter");

    struct readiness_input zero = {.profile = &p}; /* targets of 0 are met at once */
    readiness_compute(&arena, &zero, &r);
    CHECK_STR(readiness_state_name(find(&r, "letters")->state), "ok");
    CHECK_STR(readiness_state_name(find(&r, "usce")->state), "ok");
}

TEST(readiness_usce)
{
    struct store_profile p = {.step2ck_score = -1};
    struct readiness_input in = defaults(&p);
    struct readiness r;

    in.usce.observership_completed = 4;
    readiness_compute(&arena, &in, &r);
    CHECK_STR(readiness_state_name(find(&r, "usce")->state), "in_progress");
    CHECK_CONTAINS(find(&r, "usce")->summary, "4 weeks of observership");

    in.usce.observership_completed = 0;
    in.usce.planned = 1;
    readiness_compute(&arena, &in, &r);
    CHECK_STR(readiness_state_name(find(&r, "usce")->state), "in_progress");
    CHECK_CONTAINS(find(&r, "usce")->summary, "1 week booked");

    in.usce.planned = 0;
    in.usce.other_completed = 8; /* research does not count towards hands-on */
    readiness_compute(&arena, &in, &r);
    CHECK_STR(readiness_state_name(find(&r, "usce")->state), "missing");
    CHECK_CONTAINS(find(&r, "usce")->summary, "8 weeks of research or telehealth");

    in.usce.hands_on_completed = 8;
    readiness_compute(&arena, &in, &r);
    CHECK_STR(readiness_state_name(find(&r, "usce")->state), "missing");
    CHECK_INT(find(&r, "usce")->have, 8);
    CHECK_CONTAINS(find(&r, "usce")->summary, "8 of 12 weeks of hands-on experience completed");

    in.usce.hands_on_completed = 12;
    readiness_compute(&arena, &in, &r);
    CHECK_STR(readiness_state_name(find(&r, "usce")->state), "ok");
    CHECK(find(&r, "usce")->next_action == NULL);
    CHECK_INT(r.usce_hands_on_weeks, 12);
    CHECK_INT(r.usce_other_weeks, 8);
    CHECK_INT(r.usce_target_weeks, 12);
}

TEST(readiness_profile_items)
{
    struct store_profile p = {.step1 = "failed", .step2ck_score = -1, .ecfmg_status = "in_progress",
                              .english_proof = "none"};
    struct readiness_input in = defaults(&p);
    struct readiness r;
    readiness_compute(&arena, &in, &r);
    CHECK_STR(readiness_state_name(find(&r, "step1")->state), "missing");
    CHECK_STR(find(&r, "step1")->next_action, "Retake Step 1");
    CHECK_STR(readiness_state_name(find(&r, "step2ck")->state), "missing");
    CHECK_STR(readiness_state_name(find(&r, "ecfmg")->state), "in_progress");
    CHECK_STR(find(&r, "ecfmg")->link, "/account");
    CHECK_STR(readiness_state_name(find(&r, "english")->state), "missing");

    p.step1 = "not_taken";
    readiness_compute(&arena, &in, &r);
    CHECK_STR(readiness_state_name(find(&r, "step1")->state), "missing");

    struct store_profile done = {.step1 = "passed", .step2ck_score = 245, .ecfmg_status = "certified",
                                 .english_proof = "oet"};
    in.profile = &done;
    readiness_compute(&arena, &in, &r);
    CHECK_STR(readiness_state_name(find(&r, "step1")->state), "ok");
    CHECK_STR(readiness_state_name(find(&r, "step2ck")->state), "ok");
    CHECK_CONTAINS(find(&r, "step2ck")->summary, "245");
    CHECK_STR(readiness_state_name(find(&r, "ecfmg")->state), "ok");
    CHECK_STR(readiness_state_name(find(&r, "english")->state), "ok");
    CHECK_STR(find(&r, "english")->summary, "OET Medicine");
    CHECK_INT(r.ok_count, 4);
    const char *proofs[] = {"toefl", "ielts", "native"};
    for (size_t i = 0; i < 3; i++) {
        done.english_proof = proofs[i];
        readiness_compute(&arena, &in, &r);
        CHECK_STR(readiness_state_name(find(&r, "english")->state), "ok");
    }
    done.ecfmg_status = "none";
    readiness_compute(&arena, &in, &r);
    CHECK_STR(readiness_state_name(find(&r, "ecfmg")->state), "missing");
}

TEST(user_text_in_emails_to_outsiders_is_quoted_and_defanged)
{
    arena_heap_init(&arena);
    CHECK_STR(notify_quote(&arena, "Amara Okafor", 200), "\xe2\x80\x9c" "Amara Okafor\xe2\x80\x9d");
    CHECK_STR(notify_quote(&arena, "Dr. Ngozi Eze", 200), "\xe2\x80\x9c" "Dr. Ngozi Eze\xe2\x80\x9d");
    CHECK_STR(notify_quote(&arena, "win at spam.example", 200), "\xe2\x80\x9cwin at spam[.]example\xe2\x80\x9d");
    CHECK_STR(notify_quote(&arena, "https://evil.example/x", 200),
              "\xe2\x80\x9chttps[:]//evil[.]example/x\xe2\x80\x9d");
    CHECK_STR(notify_quote(&arena, "me@evil", 200), "\xe2\x80\x9cme[at]evil\xe2\x80\x9d");
    /* Full-width and ideographic dots are dots to some mail programs. */
    CHECK_STR(notify_quote(&arena, "evil\xef\xbc\x8e" "example", 200), "\xe2\x80\x9c" "evil[.]example\xe2\x80\x9d");
    /* One line, no controls, no bidirectional overrides. */
    CHECK_STR(notify_quote(&arena, "a\r\nBcc: x\xe2\x80\xae\xc2\x85", 200), "\xe2\x80\x9c" "a  Bcc: x  \xe2\x80\x9d");
    /* Cut at max bytes, never inside a character. */
    CHECK_STR(notify_quote(&arena, "ab\xc3\xa9", 3), "\xe2\x80\x9c" "ab\xe2\x80\x9d");
    CHECK_STR(notify_quote(&arena, NULL, 10), "\xe2\x80\x9c\xe2\x80\x9d");
    arena_heap_free(&arena);
}

int main(void)
{
    arena_heap_init(&arena);
    RUN(eras_letter_ids);
    RUN(user_text_in_emails_to_outsiders_is_quoted_and_defanged);
    RUN(pdf_by_content);
    RUN(state_labels);
    RUN(readiness_of_a_new_student_is_all_missing);
    RUN(readiness_letters);
    RUN(readiness_usce);
    RUN(readiness_profile_items);
    arena_heap_free(&arena);
    return test_summary("letters");
}
