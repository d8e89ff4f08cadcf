/* test_api_messages.c — messages per rotation (issue 14), against the real
 * `rounds serve`: one thread per application from `offered` on, read and
 * written by its members (the student, the host's coordinators, the
 * offering's preceptor, the student's coach) and staff, 404 for everyone
 * else; the text's limits and the one text validator; attachments only from
 * the sender's wallet; unread counts and the read marker; the sending limit;
 * the digest email at most every 30 minutes with the test clock; the page
 * keeping what was typed.
 *
 * Servers run with --test-hooks 1, --jobs-interval-ms 0 (only the tests run
 * the jobs) and --messages-per-minute 12. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api_client.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "test.h"

#define PEOPLE_PASSWORD "Vivid-Orchard-Kettle-58!"
#include "api_people.h"
#include "api_rotation_world.h"
#include "api_suite.h"

#define PER_MINUTE 12

static struct api_server server;
static struct world W;

/* POSTs a message as u to app's thread; the status. */
static long post_message(struct api_response *r, const struct user *u, const char *app, const char *body_json)
{
    return world_callf(r, u, "POST", body_json, "/api/v1/applications/%s/messages", app);
}

static long get_thread(struct api_response *r, const struct user *u, const char *app)
{
    return world_callf(r, u, "GET", NULL, "/api/v1/applications/%s/messages", app);
}

/* The unread count of app's thread for u (-1 when refused). */
static long long unread_of(const struct user *u, const char *app)
{
    struct api_response r;
    get_thread(&r, u, app);
    long long n = r.status == 200 ? api_json_int(r.json, "unread", -1) : -1;
    api_free(&r);
    return n;
}

static long long messages_in(const char *app)
{
    return api_db_int(W.db, "SELECT COUNT(*) FROM messages WHERE application_id = $1", app, NULL);
}

/* The user W.coach coaches the student (staff reassigns). */
static bool make_coach_of(const struct user *student)
{
    char body[160];
    snprintf(body, sizeof(body), "{\"coach_id\":\"%s\"}", W.coach.id);
    struct api_response r;
    world_callf(&r, &W.staff, "PUT", body, "/api/v1/students/%s/coach", student->id);
    bool ok = r.status == 200;
    if (!ok)
        TEST_FAILF("reassigning answered %ld: %.300s", r.status, r.body);
    api_free(&r);
    return ok;
}

static long page_get(struct api_response *r, const struct user *u, const char *path)
{
    const char *headers[] = {u != NULL ? u->cookie : NULL, NULL};
    struct api_raw_request rq = {"GET", path, headers, NULL, 0, true};
    return api_send(r, &rq);
}

/* POSTs form (the CSRF token is added first) to path as u's browser. */
static long page_post(struct api_response *r, const struct user *u, const char *path, const char *form)
{
    size_t size = strlen(form) + 128;
    char *body = malloc(size);
    snprintf(body, size, "csrf_token=%s&%s", u->csrf, form);
    const char *headers[] = {u->cookie, "Content-Type: application/x-www-form-urlencoded", NULL};
    struct api_raw_request rq = {"POST", path, headers, body, strlen(body), true};
    long status = api_send(r, &rq);
    free(body);
    return status;
}

TEST(members_read_and_write_everyone_else_gets_404)
{
    struct user s, other;
    char app[64], other_app[64];
    hooks_set_clock(0);
    if (!register_student(&s, "msg") || !register_student(&other, "msgo") ||
        !world_rotation(&W, &s, W.offering_a, 30, 20, "booked", app) || !make_coach_of(&s) ||
        !world_rotation(&W, &other, W.offering_b, 30, 20, "offered", other_app))
        return;
    struct user stranger_coach;
    if (!world_user(&W, &stranger_coach, "coachx", "coach", NULL))
        return;
    struct api_response r;
    /* An empty thread; the student writes. */
    CHECK_INT(get_thread(&r, &s, app), 200);
    CHECK_INT(json_array_size(api_json_get(r.json, "messages")), 0);
    api_free(&r);
    CHECK_INT(post_message(&r, &s, app, "{\"body\":\"Hello, where do I park on the first day?\"}"), 201);
    CHECK_STR(api_json_str(r.json, "sender.id"), s.id);
    CHECK(json_is_true(api_json_get(r.json, "mine")));
    CHECK(json_is_null(api_json_get(r.json, "document")));
    api_free(&r);
    /* Every member sees it as unread; staff reads it; the student has nothing unread. */
    CHECK_INT(unread_of(&W.precep_a, app), 1);
    CHECK_INT(unread_of(&W.coord_a, app), 1);
    CHECK_INT(unread_of(&W.coach, app), 1);
    CHECK_INT(unread_of(&s, app), 0);
    CHECK_INT(get_thread(&r, &W.staff, app), 200);
    CHECK_STR(api_json_str(json_array_get(api_json_get(r.json, "messages"), 0), "body"),
              "Hello, where do I park on the first day?");
    api_free(&r);
    /* Everyone else: 404 reading and writing, and nothing is stored; anonymous 401. */
    const struct user *strangers[] = {&other, &W.coord_b, &W.precep_b, &stranger_coach};
    for (size_t i = 0; i < sizeof(strangers) / sizeof(strangers[0]); i++) {
        CHECK_INT(get_thread(&r, strangers[i], app), 404);
        api_free(&r);
        CHECK_INT(post_message(&r, strangers[i], app, "{\"body\":\"let me in\"}"), 404);
        api_free(&r);
        world_callf(&r, strangers[i], "POST", "{}", "/api/v1/applications/%s/messages/read", app);
        CHECK_INT(r.status, 404);
        api_free(&r);
    }
    CHECK_INT(get_thread(&r, NULL, app), 401);
    api_free(&r);
    CHECK_INT(post_message(&r, NULL, app, "{\"body\":\"anonymous\"}"), 401);
    api_free(&r);
    CHECK_INT(messages_in(app), 1);
    /* A member of one thread never reads another's. */
    CHECK_INT(get_thread(&r, &s, other_app), 404);
    api_free(&r);
    CHECK_INT(get_thread(&r, &other, other_app), 200);
    api_free(&r);
    CHECK_INT(get_thread(&r, &W.precep_a, other_app), 404);
    api_free(&r);
    /* The preceptor reads (the read marker) and answers; the student sees one unread. */
    world_callf(&r, &W.precep_a, "POST", "{}", "/api/v1/applications/%s/messages/read", app);
    CHECK_INT(r.status, 200);
    api_free(&r);
    CHECK_INT(unread_of(&W.precep_a, app), 0);
    CHECK_INT(unread_of(&W.coord_a, app), 1);
    CHECK_INT(post_message(&r, &W.precep_a, app, "{\"body\":\"Staff car park B, show your badge.\"}"), 201);
    api_free(&r);
    CHECK_INT(unread_of(&s, app), 1);
    CHECK_INT(unread_of(&W.coord_a, app), 2);
    world_call(&r, &s, "GET", "/api/v1/messages/unread", NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "unread", -1), 1);
    api_free(&r);
    CHECK_INT(messages_in(app), 2);
}

TEST(before_an_offer_the_thread_is_closed)
{
    struct user s;
    char block[64], app[64] = "";
    hooks_set_clock(0);
    if (!register_student(&s, "msgpre") || !steps_block(&W.staff, W.offering_a, 40, 20, 5, block))
        return;
    struct api_response r;
    char *body = json_text(json_pack("{s:s,s:s}", "block_id", block, "statement", "Keen on inpatient medicine."));
    world_call(&r, &s, "POST", "/api/v1/applications", body);
    free(body);
    CHECK_INT(r.status, 201);
    if (api_json_str(r.json, "id") != NULL)
        snprintf(app, sizeof(app), "%s", api_json_str(r.json, "id"));
    api_free(&r);
    CHECK_INT(post_message(&r, &s, app, "{\"body\":\"Any news?\"}"), 409);
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    CHECK_INT(get_thread(&r, &W.coord_a, app), 409);
    api_free(&r);
    CHECK_INT(messages_in(app), 0);
    /* Once offered, it opens. */
    if (!steps_act(&W.staff, app, "offer"))
        return;
    CHECK_INT(post_message(&r, &s, app, "{\"body\":\"Thank you for the offer!\"}"), 201);
    api_free(&r);
}

TEST(bad_input_is_refused_and_changes_nothing)
{
    struct user s, other;
    char app[64], mine[64], theirs[64];
    hooks_set_clock(0);
    if (!register_student(&s, "msgbad") || !register_student(&other, "msgbado") ||
        !world_rotation(&W, &s, W.offering_a, 50, 20, "offered", app) || !steps_upload_pdf(&s, mine) ||
        !steps_upload_pdf(&other, theirs))
        return;
    struct api_response r;
    /* Over MESSAGE_MAX_CHARS: 413 naming body; exactly the limit is fine. */
    char *text = malloc(MESSAGE_MAX_CHARS + 2);
    memset(text, 'a', MESSAGE_MAX_CHARS + 1);
    text[MESSAGE_MAX_CHARS + 1] = '\0';
    char *json = json_text(json_pack("{s:s}", "body", text));
    CHECK_INT(post_message(&r, &s, app, json), 413);
    CHECK_PROBLEM(&r, 413, "payload_too_large", "body");
    api_free(&r);
    free(json);
    text[MESSAGE_MAX_CHARS] = '\0';
    json = json_text(json_pack("{s:s}", "body", text));
    CHECK_INT(post_message(&r, &s, app, json), 201);
    api_free(&r);
    free(json);
    free(text);
    /* Control characters, empty, missing, unknown fields, not JSON: 400. */
    const char *bad[] = {"{\"body\":\"bell \\u0007 here\"}", "{\"body\":\"esc \\u001b[31m\"}", "{\"body\":\"\"}",
                         "{}", "{\"body\":\"hi\",\"extra\":1}", "{\"body\":12}", "not json"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        post_message(&r, &s, app, bad[i]);
        CHECK_INT(r.status, 400);
        api_free(&r);
    }
    post_message(&r, &s, app, bad[0]);
    CHECK_PROBLEM(&r, 400, "validation_failed", "body");
    api_free(&r);
    /* Another's document: 404 naming document_id; an unknown one too. */
    char body[256];
    snprintf(body, sizeof(body), "{\"body\":\"my passport\",\"document_id\":\"%s\"}", theirs);
    CHECK_INT(post_message(&r, &s, app, body), 404);
    CHECK_PROBLEM(&r, 404, "not_found", "document_id");
    api_free(&r);
    CHECK_INT(post_message(&r, &s, app, "{\"body\":\"x\",\"document_id\":\"d_nope\"}"), 404);
    api_free(&r);
    CHECK_INT(messages_in(app), 1);
    /* One's own: attached. */
    snprintf(body, sizeof(body), "{\"body\":\"my passport\",\"document_id\":\"%s\"}", mine);
    CHECK_INT(post_message(&r, &s, app, body), 201);
    CHECK_STR(api_json_str(r.json, "document.id"), mine);
    CHECK_STR(api_json_str(r.json, "document.kind"), "passport");
    api_free(&r);
    CHECK_INT(get_thread(&r, &W.coord_a, app), 200);
    CHECK_STR(api_json_str(json_array_get(api_json_get(r.json, "messages"), 1), "document.id"), mine);
    api_free(&r);
    CHECK_INT(messages_in(app), 2);
}

TEST(sending_is_rate_limited_per_user)
{
    struct user s;
    char app[64];
    hooks_set_clock(0);
    if (!register_student(&s, "msgrate") || !world_rotation(&W, &s, W.offering_a, 60, 20, "offered", app))
        return;
    struct api_response r;
    for (int i = 0; i < PER_MINUTE; i++) {
        char body[64];
        snprintf(body, sizeof(body), "{\"body\":\"message %d\"}", i);
        CHECK_INT(post_message(&r, &s, app, body), 201);
        api_free(&r);
    }
    CHECK_INT(post_message(&r, &s, app, "{\"body\":\"one too many\"}"), 429);
    CHECK_PROBLEM(&r, 429, "rate_limited", NULL);
    CHECK(api_header(&r, "retry-after") != NULL);
    CHECK(strstr(r.body, "minute") != NULL);
    api_free(&r);
    CHECK_INT(messages_in(app), PER_MINUTE);
    /* Others still send; a minute later the student does too. */
    CHECK_INT(post_message(&r, &W.coord_a, app, "{\"body\":\"No rush.\"}"), 201);
    api_free(&r);
    hooks_set_clock(61);
    CHECK_INT(post_message(&r, &s, app, "{\"body\":\"back again\"}"), 201);
    api_free(&r);
    hooks_set_clock(0);
}

/* Digest emails to u so far (queued or sent: sent mail keeps only the address's hash). */
static long long digests_to(const struct user *u)
{
    char lowered[160] = "", to_hash[65];
    for (size_t i = 0; i + 1 < sizeof(lowered) && u->email[i] != '\0'; i++) {
        lowered[i] = (char)tolower((unsigned char)u->email[i]);
        lowered[i + 1] = '\0';
    }
    crypto_hash_token(lowered, to_hash);
    return api_db_int(W.db,
                      "SELECT COUNT(*) FROM outbox WHERE kind = 'message_digest' AND (to_address = $1 OR to_hash = $2)",
                      u->email, to_hash);
}

TEST(the_digest_goes_out_at_most_every_30_minutes)
{
    struct user s;
    char app[64];
    hooks_set_clock(0);
    if (!register_student(&s, "msgdig") || !world_rotation(&W, &s, W.offering_b, 70, 20, "offered", app))
        return;
    struct api_response r;
    /* The host's coordinator writes: the student gets one digest, however often the jobs run. */
    CHECK_INT(post_message(&r, &W.coord_b, app, "{\"body\":\"Please send your vaccination record.\"}"), 201);
    api_free(&r);
    CHECK_INT(digests_to(&s), 0);
    hooks_run_jobs();
    hooks_run_jobs();
    CHECK_INT(digests_to(&s), 1);
    /* A second message ten minutes later waits for the 30 minutes. */
    hooks_set_clock(600);
    CHECK_INT(post_message(&r, &W.coord_b, app, "{\"body\":\"And your TB test.\"}"), 201);
    api_free(&r);
    hooks_run_jobs();
    CHECK_INT(digests_to(&s), 1);
    /* Read meanwhile: nothing to tell any more. */
    hooks_set_clock(31 * 60);
    world_callf(&r, &s, "POST", "{}", "/api/v1/applications/%s/messages/read", app);
    CHECK_INT(r.status, 200);
    api_free(&r);
    hooks_run_jobs();
    CHECK_INT(digests_to(&s), 1);
    /* A new one after the 30 minutes: the next digest. */
    CHECK_INT(post_message(&r, &W.coord_b, app, "{\"body\":\"Thanks, all received.\"}"), 201);
    api_free(&r);
    hooks_set_clock(62 * 60);
    hooks_run_jobs();
    CHECK_INT(digests_to(&s), 2);
    hooks_set_clock(0);
}

TEST(the_page_shows_the_thread_and_keeps_what_was_typed)
{
    struct user s, other;
    char app[64], path[160];
    hooks_set_clock(0);
    if (!register_student(&s, "msgpage") || !register_student(&other, "msgpageo") ||
        !world_rotation(&W, &s, W.offering_a, 80, 20, "offered", app))
        return;
    snprintf(path, sizeof(path), "/applications/%s/messages", app);
    struct api_response r;
    CHECK_INT(post_message(&r, &W.coord_a, app, "{\"body\":\"Welcome aboard & see you soon\"}"), 201);
    api_free(&r);
    /* The application page shows the unread count; the thread page shows the message and marks it read. */
    char app_path[160];
    snprintf(app_path, sizeof(app_path), "/applications/%s", app);
    CHECK_INT(page_get(&r, &s, app_path), 200);
    CHECK(strstr(r.body, "1 unread") != NULL);
    api_free(&r);
    CHECK_INT(page_get(&r, &s, path), 200);
    CHECK(strstr(r.body, "Welcome aboard &amp; see you soon") != NULL);
    api_free(&r);
    CHECK_INT(unread_of(&s, app), 0);
    /* A refused message comes back with the summary and the text kept. */
    char *form = malloc(MESSAGE_MAX_CHARS + 64);
    snprintf(form, MESSAGE_MAX_CHARS + 64, "body=Keep+this+text+");
    size_t at = strlen(form);
    memset(form + at, 'z', MESSAGE_MAX_CHARS);
    form[at + MESSAGE_MAX_CHARS] = '\0';
    CHECK_INT(page_post(&r, &s, path, form), 413);
    free(form);
    CHECK(strstr(r.body, "5000 characters") != NULL);
    CHECK(strstr(r.body, "href=\"#f-body\"") != NULL);
    CHECK(strstr(r.body, "Keep this text") != NULL);
    api_free(&r);
    CHECK_INT(messages_in(app), 1);
    CHECK_INT(page_post(&r, &s, path, "body=Thank+you%21"), 303);
    api_free(&r);
    CHECK_INT(messages_in(app), 2);
    /* Strangers: 404. */
    CHECK_INT(page_get(&r, &other, path), 404);
    api_free(&r);
    CHECK_INT(page_post(&r, &other, path, "body=hello"), 404);
    api_free(&r);
    CHECK_INT(messages_in(app), 2);
}

/* GETs the attachment of message msg in app's thread as u (the API route). */
static long get_attachment(struct api_response *r, const struct user *u, const char *app, const char *msg)
{
    return world_callf(r, u, "GET", NULL, "/api/v1/applications/%s/messages/%s/attachment", app, msg);
}

static long long attachment_reads(const char *doc)
{
    return api_db_int(W.db, "SELECT COUNT(*) FROM audit_events WHERE action = 'document.read' AND object_id = $1",
                      doc, NULL);
}

TEST(every_member_downloads_an_attachment_everyone_else_gets_404)
{
    struct user s, other;
    char app[64], other_app[64], doc[64], other_doc[64], msg[64] = "", plain[64] = "", other_msg[64] = "";
    hooks_set_clock(0);
    if (!register_student(&s, "msgatt") || !register_student(&other, "msgatto") ||
        !world_rotation(&W, &s, W.offering_a, 60, 20, "booked", app) || !make_coach_of(&s) ||
        !world_rotation(&W, &other, W.offering_b, 60, 20, "offered", other_app) || !steps_upload_pdf(&s, doc) ||
        !steps_upload_pdf(&other, other_doc))
        return;
    struct user stranger_coach;
    if (!world_user(&W, &stranger_coach, "coachatt", "coach", NULL))
        return;
    struct api_response r;
    char body[256];
    snprintf(body, sizeof(body), "{\"body\":\"My passport, as asked\",\"document_id\":\"%s\"}", doc);
    CHECK_INT(post_message(&r, &s, app, body), 201);
    if (api_json_str(r.json, "id") != NULL)
        snprintf(msg, sizeof(msg), "%s", api_json_str(r.json, "id"));
    char url[256];
    snprintf(url, sizeof(url), "/api/v1/applications/%s/messages/%s/attachment", app, msg);
    CHECK_STR(api_json_str(r.json, "document.url"), url);
    api_free(&r);
    CHECK_INT(post_message(&r, &W.precep_a, app, "{\"body\":\"Thanks, received.\"}"), 201);
    if (api_json_str(r.json, "id") != NULL)
        snprintf(plain, sizeof(plain), "%s", api_json_str(r.json, "id"));
    api_free(&r);
    snprintf(body, sizeof(body), "{\"body\":\"Mine\",\"document_id\":\"%s\"}", other_doc);
    CHECK_INT(post_message(&r, &other, other_app, body), 201);
    if (api_json_str(r.json, "id") != NULL)
        snprintf(other_msg, sizeof(other_msg), "%s", api_json_str(r.json, "id"));
    api_free(&r);
    /* Every member of the thread downloads it (the sender too); each read is audited. */
    const struct user *members[] = {&s, &W.coord_a, &W.precep_a, &W.coach, &W.staff};
    for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
        CHECK_INT(get_attachment(&r, members[i], app, msg), 200);
        CHECK(r.body != NULL && strncmp(r.body, "%PDF-1.4", 8) == 0);
        api_free(&r);
    }
    CHECK_INT(attachment_reads(doc), 5);
    /* Everyone else: 404, anonymous 401, and nothing read. */
    const struct user *strangers[] = {&other, &W.coord_b, &W.precep_b, &stranger_coach};
    for (size_t i = 0; i < sizeof(strangers) / sizeof(strangers[0]); i++) {
        CHECK_INT(get_attachment(&r, strangers[i], app, msg), 404);
        api_free(&r);
    }
    CHECK_INT(get_attachment(&r, NULL, app, msg), 401);
    api_free(&r);
    CHECK_INT(attachment_reads(doc), 5);
    /* A message of another thread through one's own thread, another thread, no attachment, unknown ids: 404. */
    CHECK_INT(get_attachment(&r, &s, app, other_msg), 404);
    api_free(&r);
    CHECK_INT(get_attachment(&r, &s, other_app, other_msg), 404);
    api_free(&r);
    CHECK_INT(get_attachment(&r, &W.coord_a, other_app, other_msg), 404);
    api_free(&r);
    CHECK_INT(get_attachment(&r, &s, app, plain), 404);
    api_free(&r);
    const char *unknown_ids[] = {"m_nope", "x"};
    for (size_t i = 0; i < sizeof(unknown_ids) / sizeof(unknown_ids[0]); i++) {
        CHECK_INT(get_attachment(&r, &s, app, unknown_ids[i]), 404);
        api_free(&r);
    }
    /* Malformed ids never reach a file: the router refuses them (4xx). */
    const char *bad_ids[] = {"%2e%2e", "m_%00"};
    for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
        long status = get_attachment(&r, &s, app, bad_ids[i]);
        CHECK(status >= 400 && status < 500);
        api_free(&r);
    }
    CHECK_INT(get_attachment(&r, &s, "a_nope", msg), 404);
    api_free(&r);
    CHECK_INT(attachment_reads(doc), 5);
    CHECK_INT(attachment_reads(other_doc), 0);
    /* The page links it; members open it with their session, strangers get 404. */
    char page[256];
    snprintf(page, sizeof(page), "/applications/%s/messages", app);
    CHECK_INT(page_get(&r, &W.coord_a, page), 200);
    snprintf(url, sizeof(url), "href=\"/applications/%s/messages/%s/attachment\"", app, msg);
    CHECK(r.body != NULL && strstr(r.body, url) != NULL);
    api_free(&r);
    snprintf(page, sizeof(page), "/applications/%s/messages/%s/attachment", app, msg);
    const struct user *page_members[] = {&W.coord_a, &W.precep_a, &W.coach};
    for (size_t i = 0; i < sizeof(page_members) / sizeof(page_members[0]); i++) {
        CHECK_INT(page_get(&r, page_members[i], page), 200);
        CHECK(r.body != NULL && strncmp(r.body, "%PDF-1.4", 8) == 0);
        api_free(&r);
    }
    CHECK_INT(page_get(&r, &other, page), 404);
    api_free(&r);
    CHECK_INT(page_get(&r, &W.precep_b, page), 404);
    api_free(&r);
    CHECK_INT(attachment_reads(doc), 8);
    /* The owner deletes the document: the attachment is gone for everyone. */
    world_callf(&r, &s, "DELETE", NULL, "/api/v1/documents/%s", doc);
    CHECK_INT(r.status, 204);
    api_free(&r);
    CHECK_INT(get_attachment(&r, &W.coord_a, app, msg), 404);
    api_free(&r);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    return world_setup(&W, &server, "msg");
}

static void run_tests(void)
{
    API_RUN(members_read_and_write_everyone_else_gets_404);
    API_RUN(before_an_offer_the_thread_is_closed);
    API_RUN(bad_input_is_refused_and_changes_nothing);
    API_RUN(every_member_downloads_an_attachment_everyone_else_gets_404);
    API_RUN(sending_is_rate_limited_per_user);
    API_RUN(the_digest_goes_out_at_most_every_30_minutes);
    API_RUN(the_page_shows_the_thread_and_keeps_what_was_typed);
}

static void finish(void)
{
    hooks_set_clock(0);
    db_close(W.db);
}

int main(void)
{
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--session-idle-minutes",
                                        "43200", "--session-absolute-hours", "8760", "--messages-per-minute",
                                        "12", NULL};
    static const struct api_suite suite = {
        .name = "api-messages", .server = &server, .flags = flags, .setup = setup,
        .setup_what = "setting up the world", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
