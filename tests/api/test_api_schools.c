/* test_api_schools.c — partner schools and their match rounds against the
 * real `rounds serve`, on SQLite and PostgreSQL:
 *
 *   - a cohort invited by CSV (bad lines reported by line, good ones kept,
 *     invitations by email with a link whose token works once, the names in
 *     it quoted and defanged, a daily limit per school, the invitations
 *     listed the newest upload first and each in the order of its lines), a student
 *     asking to join and being approved or refused, leaving at any time;
 *   - what a coordinator sees of a linked student (hours as totals only), and the access matrix:
 *     another school's coordinator, a host, a student and anyone without
 *     consent get 404;
 *   - a match round from creation to publication: seats reserved and kept from
 *     sale, students ranking what they may, a host's list and the lottery, the
 *     run with its verification, publishing creating exactly the offers the
 *     result says with their seats kept until accepted or lapsed, the seats
 *     left returned, the unplaced told; the instance downloaded and run with
 *     `rounds match` gives the same placements; cancelling returns every seat;
 *   - malformed and forbidden requests: 4xx, and nothing changes;
 *   - home approval: applications wait in home_review, hidden from the host,
 *     until the school releases them or refuses them with a note. */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api_client.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "test.h"

#define PASSWORD "Amber-Falcon-Orchard-93!"
#define PEOPLE_PASSWORD PASSWORD
#include "api_people.h"
#include "api_world.h"
#include "api_suite.h"

static struct api_server server;
static struct db_conn *db;
static struct user staff, coord, coord_other, host_coord;
static char school[64], school_other[64], host[64], site[64], preceptor[64], offering_a[64], offering_b[64];
static char block_a1[64], block_a2[64], block_b1[64], block_far[64];

static long call(struct api_response *r, const struct user *u, const char *method, const char *path, const char *body)
{
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    return api_request(r, method, path, headers, body);
}

static bool create_user(struct user *u, const char *prefix, const char *role, const char *organization)
{
    char name[96];
    snprintf(name, sizeof(name), "%s Mwangi", prefix);
    return world_member_named(&staff, u, prefix, name, role, organization);
}

/* A block starting `days` from today, for `weeks` weeks, with seats; its id into out. */
static bool create_block(const char *offering, int days, int weeks, int seats, char *out)
{
    char start[11], end[11], path[128];
    clock_date_from_days(clock_today_days() + days, start);
    clock_date_from_days(clock_today_days() + days + weeks * 7 - 1, end);
    snprintf(path, sizeof(path), "/api/v1/offerings/%s/blocks", offering);
    return create_object(&host_coord, path, json_pack("{s:s,s:s,s:i}", "start", start, "end", end, "seats", seats),
                         out);
}

static bool create_offering(const char *title, bool students, char *out)
{
    json_t *body = world_observership_body(host, site, preceptor, title);
    json_object_set_new(body, "eligibility",
                        json_pack("{s:b,s:b,s:b,s:[]}", "students_allowed", students, "graduates_allowed", 1,
                                  "step1_required", 0, "visa_kinds"));
    return create_object(&host_coord, "/api/v1/offerings", body, out);
}

static bool world_setup(void)
{
    if (!world_staff(&server, &db, &staff, "schstaff", "Schools"))
        return false;
    long pid = (long)getpid();
    if (!world_org(&staff, "school", school, "St. Lucia School of Medicine %ld-%lld", pid, (long long)time(NULL)) ||
        !world_org(&staff, "school", school_other, "Windward Medical University %ld-%lld", pid,
                   (long long)time(NULL)) ||
        !world_org(&staff, "host", host, "Riverbend General %ld-%lld", pid, (long long)time(NULL)))
        return false;
    if (!create_user(&coord, "schcoord", "school_coordinator", school) ||
        !create_user(&coord_other, "schother", "school_coordinator", school_other) ||
        !create_user(&host_coord, "schhost", "host_coordinator", host))
        return false;
    static const struct world_place tampa = {"Main", NULL, "Tampa", "FL", "33601"};
    static const struct world_preceptor_fields lima = {"Dr. Rosa Lima", "internal-medicine", "FL", "ME-100200",
                                                       "schprc", NULL};
    if (!world_site(&staff, host, &tampa, site) || !world_preceptor_record(&staff, host, NULL, &lima, preceptor))
        return false;
    return create_offering("Inpatient Medicine Observership", true, offering_a) &&
           create_offering("Graduates' Hospitalist Observership", false, offering_b) &&
           create_block(offering_a, 40, 4, 3, block_a1) && create_block(offering_a, 68, 4, 2, block_a2) &&
           create_block(offering_b, 40, 4, 2, block_b1) && create_block(offering_a, 200, 4, 5, block_far);
}

/* ---- invitations ---- */

/* The token of the latest invitation mailed to email (into out[44]). */
static bool invitation_token(const char *email, char out[44])
{
    /* the newest invitation (a confirmation email may have come since) */
    char *body = api_db_text(db,
                             "SELECT body FROM outbox WHERE to_address = $1 AND body LIKE '%/invitations/schools/%'"
                             " ORDER BY created_at DESC, id DESC",
                             email, NULL, NULL);
    const char *at = body != NULL ? strstr(body, "/invitations/schools/") : NULL;
    bool ok = at != NULL && strlen(at) >= 21 + 43;
    if (ok)
        snprintf(out, 44, "%.43s", at + 21);
    free(body);
    return ok;
}

/* A student who registered and accepted the school's invitation. */
static bool joined_student(struct user *s, const char *prefix, const char *school_id, const struct user *by)
{
    if (!register_student(s, prefix))
        return false;
    char csv[512], path[128], token[44];
    snprintf(csv, sizeof(csv), "name,email,graduation_year\n%s,%s,2027\n", s->name, s->email);
    snprintf(path, sizeof(path), "/api/v1/schools/%s/invitations", school_id);
    struct api_response r;
    bool ok = post_as(&r, by, path, json_pack("{s:s}", "csv", csv), 200) && api_json_int(r.json, "invited", -1) == 1;
    api_free(&r);
    if (!ok || !invitation_token(s->email, token))
        return false;
    ok = post_as(&r, s, "/api/v1/school-invitations/accept", json_pack("{s:s}", "token", token), 200);
    api_free(&r);
    return ok;
}

TEST(a_cohort_is_invited_by_csv_bad_lines_reported_good_ones_kept)
{
    struct user ana, ben;
    CHECK(register_student(&ana, "csvana"));
    char ben_email[160];
    api_unique_email(ben_email, sizeof(ben_email), "csvben");
    char csv[2048], path[128];
    snprintf(csv, sizeof(csv),
             "Name,Email,Graduation year\n%s,%s,2027\n\"Okoro, Ben\",%s,\nNo Email,,2027\nBad Year,x@example.org,19\n"
             "Twice,%s,2028\n",
             ana.name, ana.email, ben_email, ana.email);
    snprintf(path, sizeof(path), "/api/v1/schools/%s/invitations", school);
    struct api_response r;
    CHECK(post_as(&r, &coord, path, json_pack("{s:s}", "csv", csv), 200));
    CHECK_INT(api_json_int(r.json, "lines", -1), 5);
    CHECK_INT(api_json_int(r.json, "invited", -1), 2);
    json_t *problems = api_json_get(r.json, "problems");
    CHECK_INT(json_array_size(problems), 3);
    CHECK_INT(json_integer_value(json_object_get(json_array_get(problems, 0), "line")), 4);
    CHECK_STR(json_string_value(json_object_get(json_array_get(problems, 0), "message")), "the email is empty");
    CHECK_INT(json_integer_value(json_object_get(json_array_get(problems, 1), "line")), 5);
    CHECK_INT(json_integer_value(json_object_get(json_array_get(problems, 2), "line")), 6);
    CHECK_STR(json_string_value(json_object_get(json_array_get(problems, 2), "message")), "the same email as line 2");
    api_free(&r);
    /* each got an email with a link; nothing is shared yet */
    char token[44];
    CHECK(invitation_token(ana.email, token));
    CHECK(invitation_token(ben_email, token));
    snprintf(path, sizeof(path), "/api/v1/schools/%s/invitations", school);
    call(&r, &coord, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK(strstr(r.body, ben_email) != NULL);
    api_free(&r);
    /* Ben registers with the invited address and accepts: linked, with the year of the CSV (none) */
    memset(&ben, 0, sizeof(ben));
    snprintf(ben.email, sizeof(ben.email), "%s", ben_email);
    snprintf(ben.name, sizeof(ben.name), "Ben Okoro");
    CHECK(post_as(&r, NULL, "/api/v1/auth/register",
                  json_pack("{s:s,s:s,s:s}", "email", ben.email, "password", PASSWORD, "name", ben.name), 201));
    user_from_reply(&ben, &r);
    api_free(&r);
    CHECK(invitation_token(ben.email, token));
    CHECK(post_as(&r, &ben, "/api/v1/school-invitations/accept", json_pack("{s:s}", "token", token), 200));
    CHECK_STR(api_json_str(r.json, "status"), "active");
    CHECK_STR(api_json_str(r.json, "school.id"), school);
    api_free(&r);
    /* the link works once */
    CHECK(post_as(&r, &ben, "/api/v1/school-invitations/accept", json_pack("{s:s}", "token", token), 410));
    CHECK_PROBLEM(&r, 410, "invitation_used", NULL);
    api_free(&r);
    /* a token that is not one */
    CHECK(post_as(&r, &ana, "/api/v1/school-invitations/accept",
                  json_pack("{s:s}", "token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 404));
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM school_students WHERE organization_id = $1 AND status = 'active'"
                             " AND student_id = $2",
                         school, ben.id),
              1);
}

enum { ORDER_ROWS = 30 };

/* The names of the school's pending invitations, in the order the API lists
 * them ("|" between), page after page (20 to a page) by next_cursor. */
static void invitation_names(const struct user *u, const char *school_id, char *out, size_t size)
{
    char path[256];
    snprintf(path, sizeof(path), "/api/v1/schools/%s/invitations", school_id);
    out[0] = '\0';
    size_t used = 0, pages = 0;
    bool more = true;
    while (more && pages++ < 20) {
        struct api_response r;
        CHECK_INT(call(&r, u, "GET", path, NULL), 200);
        json_t *items = api_json_get(r.json, "items");
        CHECK(json_array_size(items) <= 20);
        for (size_t i = 0; i < json_array_size(items) && used < size; i++) {
            const char *name = json_string_value(json_object_get(json_array_get(items, i), "name"));
            used += (size_t)snprintf(out + used, size - used, "%s%s", used > 0 ? "|" : "", name != NULL ? name : "?");
        }
        const char *next = api_json_str(r.json, "next_cursor");
        more = next != NULL;
        if (more)
            snprintf(path, sizeof(path), "/api/v1/schools/%s/invitations?cursor=%s", school_id, next);
        api_free(&r);
    }
}

/* A file of 30 rows, sent within the same second (and many within the same
 * millisecond): listed in the order of its lines, by the API and on the
 * page; a second file lists before it, in its own order, and takes along
 * the address it invites again. */
TEST(invitations_list_the_newest_upload_first_each_in_the_order_of_its_lines)
{
    char own[64];
    CHECK(world_org(&staff, "school", own, "Orderly School of Medicine %ld", (long)getpid()));
    struct user own_coord;
    CHECK(create_user(&own_coord, "ordcoord", "school_coordinator", own));
    char csv[ORDER_ROWS * 128], emails[ORDER_ROWS][160], expected[ORDER_ROWS * 24], path[128];
    size_t used = 0, listed = 0;
    used += (size_t)snprintf(csv, sizeof(csv), "name,email,graduation_year\n");
    for (int i = 0; i < ORDER_ROWS; i++) {
        api_unique_email(emails[i], sizeof(emails[i]), "ordrow");
        /* names against the alphabet, so that no other order passes */
        used += (size_t)snprintf(csv + used, sizeof(csv) - used, "Row %02d,%s,2028\n", ORDER_ROWS - i, emails[i]);
    }
    snprintf(path, sizeof(path), "/api/v1/schools/%s/invitations", own);
    struct api_response r;
    CHECK(post_as(&r, &own_coord, path, json_pack("{s:s}", "csv", csv), 200));
    CHECK_INT(api_json_int(r.json, "invited", -1), ORDER_ROWS);
    api_free(&r);
    for (int i = 0; i < ORDER_ROWS; i++)
        listed += (size_t)snprintf(expected + listed, sizeof(expected) - listed, "%sRow %02d", i > 0 ? "|" : "",
                                   ORDER_ROWS - i);
    char names[ORDER_ROWS * 24 + 64];
    invitation_names(&own_coord, own, names, sizeof(names));
    CHECK_STR(names, expected);
    /* the page lists them in the same order */
    const char *headers[] = {own_coord.cookie, NULL};
    struct api_raw_request rq = {"GET", "/school", headers, NULL, 0, true};
    CHECK_INT(api_send(&r, &rq), 200);
    const char *previous = r.body;
    for (int i = 0; i < ORDER_ROWS && previous != NULL; i++) {
        char name[16];
        snprintf(name, sizeof(name), "<li>Row %02d ", ORDER_ROWS - i);
        const char *at = strstr(r.body, name);
        CHECK(at != NULL && at > previous);
        previous = at;
    }
    /* a school coordinator's navigation offers no Applications page (it has none to show them) */
    CHECK(r.body != NULL && strstr(r.body, "href=\"/school\"") != NULL);
    CHECK(r.body != NULL && strstr(r.body, "href=\"/applications\"") == NULL);
    api_free(&r);
    /* and one who opens it anyway is led to the school's page */
    struct api_raw_request apps = {"GET", "/applications", headers, NULL, 0, true};
    CHECK_INT(api_send(&r, &apps), 200);
    CHECK_CONTAINS(r.body, "<a href=\"/school\">your school's page</a>");
    api_free(&r);
    /* a second file: newer, so first; Row 28 (line 3 of the first) invited again moves along */
    char second_b[160], second_a[160];
    api_unique_email(second_b, sizeof(second_b), "ordsecb");
    api_unique_email(second_a, sizeof(second_a), "ordseca");
    snprintf(csv, sizeof(csv), "Second B,%s,2028\nRow 28,%s,2028\nSecond A,%s,2028\n", second_b, emails[2], second_a);
    CHECK(post_as(&r, &own_coord, path, json_pack("{s:s}", "csv", csv), 200));
    CHECK_INT(api_json_int(r.json, "invited", -1), 3);
    api_free(&r);
    listed = (size_t)snprintf(expected, sizeof(expected), "Second B|Row 28|Second A");
    for (int i = 0; i < ORDER_ROWS; i++)
        if (i != 2)
            listed += (size_t)snprintf(expected + listed, sizeof(expected) - listed, "|Row %02d", ORDER_ROWS - i);
    invitation_names(&own_coord, own, names, sizeof(names));
    CHECK_STR(names, expected);
}

/* The rows of the outbox addressed to email. */
static long long mails_to(const char *email)
{
    return api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1", email, NULL);
}

TEST(invitation_emails_quote_names_and_a_school_has_a_daily_limit)
{
    /* a school of its own, whose name (written by staff) carries a link */
    char own[64], name[128], csv[1024], path[128];
    snprintf(name, sizeof(name), "Visit school.example now %u", (unsigned)randombytes_random());
    CHECK(create_object(&staff, "/api/v1/organizations", json_pack("{s:s,s:s}", "name", name, "kind", "school"), own));
    struct user own_coord;
    CHECK(create_user(&own_coord, "limcoord", "school_coordinator", own));
    char ana[160], ben[160], cai[160];
    api_unique_email(ana, sizeof(ana), "limana");
    api_unique_email(ben, sizeof(ben), "limben");
    api_unique_email(cai, sizeof(cai), "limcai");
    snprintf(path, sizeof(path), "/api/v1/schools/%s/invitations", own);
    snprintf(csv, sizeof(csv), "Ana see http://spam.example/x,%s,2027\n", ana);
    struct api_response r;
    CHECK(post_as(&r, &own_coord, path, json_pack("{s:s}", "csv", csv), 200));
    CHECK_INT(api_json_int(r.json, "invited", -1), 1);
    api_free(&r);
    /* the subject carries no name; the body quotes both, defanged, and links only to Rounds */
    char *subject = api_db_text(db, "SELECT subject FROM outbox WHERE to_address = $1", ana, NULL, NULL);
    CHECK_STR(subject, "An invitation to link your Rounds account to a school");
    free(subject);
    char *body = api_db_text(db, "SELECT body FROM outbox WHERE to_address = $1", ana, NULL, NULL);
    CHECK(body != NULL && strstr(body, "school[.]example") != NULL && strstr(body, "spam[.]example") != NULL);
    CHECK(body != NULL && strstr(body, "school.example") == NULL && strstr(body, "http://spam") == NULL);
    CHECK(body != NULL && strstr(body, "/invitations/schools/") != NULL);
    free(body);

    /* the school has sent its day's worth but one: a file of two is refused whole, with Retry-After */
    char now[24], batch[64];
    snprintf(now, sizeof(now), "%lld", (long long)clock_now());
    crypto_random_id("sib_test_", batch, sizeof(batch));
    char *filler = api_db_text(db, "INSERT INTO school_invite_batches (id, organization_id, invited, created_at)"
                                   " SELECT CAST($1 AS TEXT), id, " LIMIT_TEXT(SCHOOL_INVITES_PER_DAY) " - 2, 0 FROM organizations"
                                   " WHERE id = $2 RETURNING id",
                               batch, own, NULL);
    CHECK_STR(filler, batch);
    free(filler);
    CHECK_INT(api_db_int(db, "UPDATE school_invite_batches SET created_at = CAST($2 AS BIGINT) WHERE id = $1"
                             " RETURNING invited",
                         batch, now),
              SCHOOL_INVITES_PER_DAY - 2);
    snprintf(csv, sizeof(csv), "Ben,%s,2027\nCai,%s,2027\n", ben, cai);
    CHECK(post_as(&r, &own_coord, path, json_pack("{s:s}", "csv", csv), 429));
    CHECK_STR(api_json_str(r.json, "code"), "rate_limited");
    const char *retry = api_header(&r, "retry-after");
    CHECK(retry != NULL && strtol(retry, NULL, 10) > 0 && strtol(retry, NULL, 10) <= 86400);
    api_free(&r);
    CHECK_INT(mails_to(ben), 0);
    CHECK_INT(mails_to(cai), 0);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM school_invitations WHERE organization_id = $1", own, NULL), 1);
    /* one more fits */
    snprintf(csv, sizeof(csv), "Ben,%s,2027\n", ben);
    CHECK(post_as(&r, &own_coord, path, json_pack("{s:s}", "csv", csv), 200));
    CHECK_INT(api_json_int(r.json, "invited", -1), 1);
    api_free(&r);
    CHECK_INT(mails_to(ben), 1);
    /* and then none: inviting Ben again is another email */
    CHECK(post_as(&r, &own_coord, path, json_pack("{s:s}", "csv", csv), 429));
    api_free(&r);
    CHECK_INT(mails_to(ben), 1);
    /* a day later the window has moved on */
    CHECK_INT(api_db_int(db, "UPDATE school_invite_batches SET created_at = created_at - 86401"
                             " WHERE organization_id = $1 RETURNING 1",
                         own, NULL),
              1);
    CHECK(post_as(&r, &own_coord, path, json_pack("{s:s}", "csv", csv), 200));
    api_free(&r);
    CHECK_INT(mails_to(ben), 2);
}

TEST(a_student_asks_the_school_approves_or_refuses_and_the_student_leaves)
{
    struct user s, t;
    CHECK(register_student(&s, "askjoin"));
    CHECK(register_student(&t, "askrefuse"));
    char path[200];
    struct api_response r;
    snprintf(path, sizeof(path), "/api/v1/schools/%s/join", school_other);
    CHECK(post_as(&r, &s, path, json_pack("{}"), 201));
    CHECK_STR(api_json_str(r.json, "status"), "requested");
    api_free(&r);
    CHECK(post_as(&r, &s, path, json_pack("{}"), 409)); /* already waiting */
    api_free(&r);
    CHECK(post_as(&r, &t, path, json_pack("{}"), 201));
    api_free(&r);
    /* not the coordinator of that school: 404 */
    snprintf(path, sizeof(path), "/api/v1/schools/%s/students/%s/approve", school_other, s.id);
    CHECK(post_as(&r, &coord, path, json_pack("{}"), 404));
    api_free(&r);
    CHECK(post_as(&r, &coord_other, path, json_pack("{}"), 200));
    CHECK_STR(api_json_str(r.json, "status"), "active");
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/schools/%s/students/%s/refuse", school_other, t.id);
    CHECK(post_as(&r, &coord_other, path, json_pack("{s:s}", "note", "Not one of our students"), 200));
    CHECK_STR(api_json_str(r.json, "status"), "refused");
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/schools/%s/students/%s/promote", school_other, t.id);
    CHECK(post_as(&r, &coord_other, path, json_pack("{}"), 404));
    api_free(&r);
    /* the student sees the link with its status, and the refused one the note */
    call(&r, &t, "GET", "/api/v1/me/schools", NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(json_array_get(api_json_get(r.json, "items"), 0), "note"), "Not one of our students");
    api_free(&r);
    /* the coordinator sees the student while linked; not after the student leaves */
    snprintf(path, sizeof(path), "/api/v1/schools/%s/students/%s", school_other, s.id);
    call(&r, &coord_other, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/me/schools/%s/leave", school_other);
    CHECK(post_as(&r, &s, path, json_pack("{}"), 204));
    api_free(&r);
    CHECK(post_as(&r, &s, path, json_pack("{}"), 404));
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/schools/%s/students/%s", school_other, s.id);
    call(&r, &coord_other, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
}

TEST(what_a_school_sees_of_its_student_and_who_else_gets_404)
{
    struct user s, outsider;
    CHECK(joined_student(&s, "seen", school, &coord));
    CHECK(register_student(&outsider, "outsider"));
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/schools/%s/students/%s", school, s.id);
    struct api_response r;
    call(&r, &coord, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "link.student.id"), s.id);
    CHECK(json_is_array(api_json_get(r.json, "applications")));
    CHECK_INT(json_array_size(api_json_get(r.json, "readiness.items")), 6);
    CHECK(strstr(r.body, "\"file\"") == NULL && strstr(r.body, "/file") == NULL); /* never a file */
    api_free(&r);
    call(&r, &staff, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
    const struct user *nobody[] = {&coord_other, &host_coord, &outsider, &s};
    for (size_t i = 0; i < 4; i++) {
        call(&r, nobody[i], "GET", path, NULL);
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
    }
    /* another school's coordinator: the school's lists are not there either */
    snprintf(path, sizeof(path), "/api/v1/schools/%s/students", school);
    call(&r, &coord_other, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/schools/%s/invitations", school);
    CHECK(post_as(&r, &coord_other, path, json_pack("{s:s}", "csv", "A,a@example.org,2027\n"), 404));
    api_free(&r);
    /* a student not linked to this school is not there, whoever asks */
    snprintf(path, sizeof(path), "/api/v1/schools/%s/students/%s", school, outsider.id);
    call(&r, &coord, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, NULL, "GET", "/api/v1/schools", NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
}

/* ---- match rounds ---- */

static bool round_post(const struct user *u, const char *round, const char *what, json_t *body, long want,
                       struct api_response *r)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/match-rounds/%s%s", round, what);
    return post_as(r, u, path, body, want);
}

static long round_put(const struct user *u, const char *round, const char *what, const char *body,
                      struct api_response *r)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/match-rounds/%s%s", round, what);
    return call(r, u, "PUT", path, body);
}

static long long reserved(const char *block)
{
    return api_db_int(db, "SELECT seats_reserved FROM blocks WHERE id = $1", block, NULL);
}

static long long taken(const char *block)
{
    return api_db_int(db, "SELECT seats_taken FROM blocks WHERE id = $1", block, NULL);
}

/* The title of the notice that the round opened, as user_id was told it (heap), or NULL. */
static char *round_open_notice(const char *user_id)
{
    return api_db_text(db, "SELECT title FROM notifications WHERE user_id = $1 AND kind = 'match_round_open'", user_id,
                       NULL, NULL);
}

static bool new_round(const char *school_id, const char *mode, const char *ids_json, char *out)
{
    char deadline[11];
    clock_date_from_days(clock_today_days() + 10, deadline);
    json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s}", "school_id", school_id, "name", "Spring cohort", "mode", mode,
                             "deadline", deadline, "seed", "test-seed-2027");
    if (ids_json != NULL)
        json_object_set_new(body, "student_ids", json_loads(ids_json, 0, NULL));
    return create_object(&coord, "/api/v1/match-rounds", body, out);
}

/* Four students of the school, who rank; a round over block_a1 (2 seats, the
 * host's list), block_a2 (1 seat, lottery) and block_b1 (graduates only). */
TEST(a_round_from_creation_to_published_offers)
{
    struct user s[4];
    CHECK(joined_student(&s[0], "r0", school, &coord) && joined_student(&s[1], "r1", school, &coord) &&
          joined_student(&s[2], "r2", school, &coord) && joined_student(&s[3], "r3", school, &coord));
    char ids[600], round[64];
    snprintf(ids, sizeof(ids), "[\"%s\",\"%s\",\"%s\",\"%s\"]", s[0].id, s[1].id, s[2].id, s[3].id);
    CHECK(new_round(school, "one", ids, round));
    struct api_response r;
    long long a1_before = reserved(block_a1), a2_before = reserved(block_a2);
    CHECK(round_post(&coord, round, "/blocks", json_pack("{s:s,s:i}", "block_id", block_a1, "seats", 2), 201, &r));
    api_free(&r);
    CHECK(round_post(&coord, round, "/blocks", json_pack("{s:s,s:i}", "block_id", block_a2, "seats", 1), 201, &r));
    api_free(&r);
    CHECK(round_post(&coord, round, "/blocks", json_pack("{s:s,s:i}", "block_id", block_b1, "seats", 1), 201, &r));
    api_free(&r);
    CHECK_INT(reserved(block_a1), a1_before + 2);
    CHECK_INT(reserved(block_a2), a2_before + 1);
    /* more seats than are free: 422, nothing reserved */
    CHECK(round_post(&coord, round, "/blocks", json_pack("{s:s,s:i}", "block_id", block_far, "seats", 9), 422, &r));
    CHECK_PROBLEM(&r, 422, "unprocessable", "seats");
    api_free(&r);
    CHECK_INT(reserved(block_far), 0);
    /* the reserved seats are not for sale: the block shows them taken */
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", offering_a);
    call(&r, NULL, "GET", path, NULL);
    CHECK(strstr(r.body, "\"seats_left\":1") != NULL); /* block_a1: 3 seats, 2 reserved */
    api_free(&r);
    /* ranking waits for the round to open */
    char list[300];
    snprintf(list, sizeof(list), "{\"block_ids\":[\"%s\"]}", block_a1);
    CHECK_INT(round_put(&s[0], round, "/ranking", list, &r), 409);
    api_free(&r);
    call(&r, &s[1], "PATCH", "/api/v1/me", "{\"time_zone\":\"Asia/Kolkata\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    CHECK(round_post(&coord, round, "/open", json_pack("{}"), 200, &r));
    CHECK_STR(api_json_str(r.json, "status"), "open");
    api_free(&r);
    /* each student is told until when to rank: the end of the deadline's day in UTC, which is 05:29
     * the next morning in India for the one who chose Asia/Kolkata */
    char day[11], words[CLOCK_DATE_WORDS_SIZE], told[200];
    clock_date_from_days(clock_today_days() + 10, day);
    snprintf(told, sizeof(told), "Rank your rotations for Spring cohort before %s, 23:59 UTC",
             clock_date_words(day, words));
    char *notice = round_open_notice(s[0].id);
    CHECK_STR(notice, told);
    free(notice);
    clock_date_from_days(clock_today_days() + 11, day);
    snprintf(told, sizeof(told), "Rank your rotations for Spring cohort before %s, 05:29 IST",
             clock_date_words(day, words));
    notice = round_open_notice(s[1].id);
    CHECK_STR(notice, told);
    free(notice);
    /* students rank: a graduates-only block is refused, another's blocks too */
    snprintf(list, sizeof(list), "{\"block_ids\":[\"%s\",\"%s\"]}", block_a1, block_b1);
    CHECK_INT(round_put(&s[0], round, "/ranking", list, &r), 400);
    CHECK_PROBLEM(&r, 400, "validation_failed", "block_ids");
    api_free(&r);
    snprintf(list, sizeof(list), "{\"block_ids\":[\"%s\",\"%s\"]}", block_a1, block_far);
    CHECK_INT(round_put(&s[0], round, "/ranking", list, &r), 400);
    api_free(&r);
    for (int i = 0; i < 4; i++) { /* s1 prefers a2; the others a1 */
        snprintf(list, sizeof(list), "{\"block_ids\":[\"%s\",\"%s\"]}", i == 1 ? block_a2 : block_a1,
                 i == 1 ? block_a1 : block_a2);
        CHECK_INT(round_put(&s[i], round, "/ranking", list, &r), 200);
        api_free(&r);
    }
    /* the host ranks a1: s3 first, then s1 and s0 equal; s2 not accepted */
    snprintf(list, sizeof(list), "{\"type\":\"list\",\"order\":[\"%s\",[\"%s\",\"%s\"]]}", s[3].id, s[1].id, s[0].id);
    char what[96];
    snprintf(what, sizeof(what), "/blocks/%s/ranking", block_a1);
    CHECK_INT(round_put(&host_coord, round, what, list, &r), 200);
    api_free(&r);
    CHECK_INT(round_put(&coord_other, round, what, list, &r), 404);
    api_free(&r);
    /* run: verified; s3 (the host's first) in a1 with one of s0/s1; a2 full; s2 never in a1 */
    CHECK(round_post(&coord, round, "/run", json_pack("{}"), 200, &r));
    CHECK_STR(api_json_str(r.json, "status"), "matched");
    CHECK(json_is_true(api_json_get(r.json, "verification.capacity_ok")));
    CHECK_INT(api_json_int(r.json, "verification.blocking_pairs", -1), 0);
    api_free(&r);
    long long placed = api_db_int(db, "SELECT COUNT(*) FROM match_placements WHERE round_id = $1", round, NULL);
    CHECK_INT(placed, 3);
    char *s3_block = api_db_text(db, "SELECT block_id FROM match_placements WHERE round_id = $1 AND student_id = $2",
                                 round, s[3].id, NULL);
    CHECK_STR(s3_block, block_a1);
    free(s3_block);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM match_placements WHERE round_id = $1 AND block_id = $2", round,
                         block_a2),
              1);
    char *s2_block = api_db_text(db, "SELECT block_id FROM match_placements WHERE round_id = $1 AND student_id = $2",
                                 round, s[2].id, NULL);
    CHECK(s2_block == NULL || strcmp(s2_block, block_a2) == 0); /* a1's host does not accept s2 */
    free(s2_block);
    /* ranking is closed once matched */
    CHECK_INT(round_put(&s[0], round, "/ranking", "{\"block_ids\":[]}", &r), 409);
    api_free(&r);
    /* a1's offering gives 3 days to answer an offer (7 unless set): its offers keep to it */
    CHECK_INT(api_db_int(db, "UPDATE offerings SET offer_expiry_days = 3 WHERE id = (SELECT offering_id FROM blocks"
                             " WHERE id = $1) RETURNING offer_expiry_days",
                         block_a1, NULL),
              3);
    /* publish: exactly the offers the result says, seats kept for them, the rest back on sale */
    CHECK(round_post(&coord, round, "/publish", json_pack("{}"), 200, &r));
    CHECK_STR(api_json_str(r.json, "status"), "published");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM applications WHERE match_round_id = $1 AND status = 'offered'"
                             " AND seat_reserved = 1 AND offer_expires_at > 0",
                         round, NULL),
              3);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM applications a JOIN match_placements p ON p.round_id ="
                             " a.match_round_id AND p.student_id = a.student_id AND p.block_id = a.block_id"
                             " WHERE a.match_round_id = $1",
                         round, NULL),
              3);
    CHECK_INT(reserved(block_a1), a1_before + 2);
    CHECK_INT(reserved(block_a2), a2_before + 1);
    CHECK_INT(reserved(block_b1), 0); /* nobody could rank it: back on sale */
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM applications WHERE match_round_id = $1 AND block_id = $2"
                             " AND offer_expires_at = created_at + 3 * 86400",
                         round, block_a1),
              2);
    /* s3 accepts: the kept seat is taken; the other in a1 withdraws: the seat returns to sale */
    char *app = api_db_text(db, "SELECT id FROM applications WHERE match_round_id = $1 AND student_id = $2", round,
                            s[3].id, NULL);
    snprintf(path, sizeof(path), "/api/v1/applications/%s/accept", app != NULL ? app : "x");
    CHECK(post_as(&r, &s[3], path, json_pack("{}"), 200));
    CHECK_STR(api_json_str(r.json, "status"), "held");
    api_free(&r);
    free(app);
    CHECK_INT(reserved(block_a1), a1_before + 1);
    CHECK_INT(taken(block_a1), 1);
    char *other = api_db_text(db, "SELECT student_id FROM applications WHERE match_round_id = $1 AND block_id = $2"
                                  " AND status = 'offered'",
                              round, block_a1, NULL);
    app = api_db_text(db, "SELECT id FROM applications WHERE match_round_id = $1 AND block_id = $2 AND status = 'offered'",
                      round, block_a1, NULL);
    const struct user *who = other != NULL && strcmp(other, s[0].id) == 0 ? &s[0] : &s[1];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/withdraw", app != NULL ? app : "x");
    CHECK(post_as(&r, who, path, json_pack("{}"), 200));
    api_free(&r);
    free(app);
    free(other);
    CHECK_INT(reserved(block_a1), a1_before);
    /* the unplaced student was told, with the explanation on the round */
    char *unplaced = api_db_text(db, "SELECT student_id FROM match_round_students WHERE round_id = $1 AND student_id"
                                     " NOT IN (SELECT student_id FROM match_placements WHERE round_id = $1)",
                                 round, NULL, NULL);
    const struct user *left = NULL;
    for (int i = 0; i < 4 && unplaced != NULL; i++)
        if (strcmp(s[i].id, unplaced) == 0)
            left = &s[i];
    free(unplaced);
    CHECK(left != NULL);
    if (left == NULL)
        return;
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'match_unplaced'",
                         left->id, NULL),
              1);
    call(&r, left, "GET", "/api/v1/match-rounds", NULL);
    CHECK(strstr(r.body, round) != NULL);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/match-rounds/%s", round);
    call(&r, left, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(api_json_str(r.json, "my_result.explanation"), "Not placed.");
    CHECK(api_json_get(r.json, "students") == NULL); /* not the cohort's results */
    api_free(&r);
    /* published is final */
    CHECK(round_post(&coord, round, "/cancel", json_pack("{}"), 409, &r));
    CHECK_PROBLEM(&r, 409, "invalid_transition", NULL);
    api_free(&r);
}

TEST(the_instance_downloaded_runs_offline_to_the_same_placements)
{
    struct user s[3];
    CHECK(joined_student(&s[0], "off0", school, &coord) && joined_student(&s[1], "off1", school, &coord) &&
          joined_student(&s[2], "off2", school, &coord));
    char ids[400], round[64];
    snprintf(ids, sizeof(ids), "[\"%s\",\"%s\",\"%s\"]", s[0].id, s[1].id, s[2].id);
    CHECK(new_round(school, "one", ids, round));
    struct api_response r;
    CHECK(round_post(&coord, round, "/blocks", json_pack("{s:s,s:i}", "block_id", block_far, "seats", 2), 201, &r));
    api_free(&r);
    CHECK(round_post(&coord, round, "/open", json_pack("{}"), 200, &r));
    api_free(&r);
    char list[200];
    snprintf(list, sizeof(list), "{\"block_ids\":[\"%s\"]}", block_far);
    for (int i = 0; i < 3; i++) {
        CHECK_INT(round_put(&s[i], round, "/ranking", list, &r), 200);
        api_free(&r);
    }
    CHECK(round_post(&coord, round, "/run", json_pack("{}"), 200, &r));
    api_free(&r);
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/match-rounds/%s/instance", round);
    call(&r, &s[0], "GET", path, NULL); /* not for students */
    CHECK_INT(r.status, 404);
    api_free(&r);
    call(&r, &coord, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    char dir[64];
    CHECK(test_tmp_dir(dir, sizeof(dir), "instance") != NULL);
    char in_path[96], out_path[96];
    snprintf(in_path, sizeof(in_path), "%s/in.json", dir);
    snprintf(out_path, sizeof(out_path), "%s/out.json", dir);
    FILE *f = fopen(in_path, "w");
    if (f != NULL) {
        fputs(r.body, f);
        fclose(f);
    }
    api_free(&r);
    struct api_cli_result res;
    const char *args[] = {"match", "--in", in_path, "--out", out_path, "--quiet", NULL};
    CHECK_INT(api_cli(NULL, args, NULL, &res), 0);
    api_cli_free(&res);
    char *result = api_read_file(out_path, NULL);
    json_t *doc = result != NULL ? json_loads(result, 0, NULL) : NULL;
    CHECK(doc != NULL);
    json_t *assignments = json_object_get(doc, "assignments");
    CHECK_INT(json_array_size(assignments), 2);
    for (size_t i = 0; i < json_array_size(assignments); i++) {
        const char *student = json_string_value(json_object_get(json_array_get(assignments, i), "student"));
        CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM match_placements WHERE round_id = $1 AND student_id = $2",
                             round, student),
                  1);
    }
    char *hash = api_db_text(db, "SELECT order_sha256 FROM match_rounds WHERE id = $1", round, NULL, NULL);
    CHECK_STR(json_string_value(json_object_get(json_object_get(doc, "lottery"), "order_sha256")), hash);
    free(hash);
    json_decref(doc);
    free(result);
    /* --out naming a device (here through a link to /dev/null) is written in
     * place: renaming a temporary file over it would replace the device */
    char link_path[112];
    snprintf(link_path, sizeof(link_path), "%s/null.json", dir);
    CHECK(symlink("/dev/null", link_path) == 0);
    const char *to_device[] = {"match", "--in", in_path, "--out", link_path, "--quiet", NULL};
    CHECK_INT(api_cli(NULL, to_device, NULL, &res), 0);
    api_cli_free(&res);
    struct stat link_st, null_st;
    CHECK(lstat(link_path, &link_st) == 0 && S_ISLNK(link_st.st_mode));
    CHECK(stat("/dev/null", &null_st) == 0 && S_ISCHR(null_st.st_mode));
    api_remove_tree(dir);
    /* cancelling gives every seat back */
    long long before = reserved(block_far);
    CHECK(round_post(&coord, round, "/cancel", json_pack("{}"), 200, &r));
    api_free(&r);
    CHECK_INT(reserved(block_far), before - 2);
}

TEST(rotation_rounds_refuse_overlapping_periods)
{
    char round[64], other_block[64];
    CHECK(new_round(school, "rotation", NULL, round));
    CHECK(create_block(offering_a, 54, 4, 2, other_block)); /* overlaps block_a1's second half */
    struct api_response r;
    CHECK(round_post(&coord, round, "/blocks", json_pack("{s:s,s:i}", "block_id", block_far, "seats", 1), 201, &r));
    api_free(&r);
    CHECK(round_post(&coord, round, "/blocks", json_pack("{s:s,s:i}", "block_id", block_a2, "seats", 1), 201, &r));
    api_free(&r);
    CHECK(round_post(&coord, round, "/blocks", json_pack("{s:s,s:i}", "block_id", other_block, "seats", 1), 409, &r));
    CHECK_PROBLEM(&r, 409, "conflict", "block_id");
    api_free(&r);
    CHECK(round_post(&coord, round, "/cancel", json_pack("{}"), 200, &r));
    api_free(&r);
}

TEST(malformed_and_forbidden_round_requests_are_4xx_and_change_nothing)
{
    struct api_response r;
    char deadline[11], past[11];
    clock_date_from_days(clock_today_days() + 10, deadline);
    clock_date_from_days(clock_today_days() - 1, past);
    long long rounds_before = api_db_int(db, "SELECT COUNT(*) FROM match_rounds", NULL, NULL);
    CHECK(post_as(&r, &coord, "/api/v1/match-rounds",
                  json_pack("{s:s,s:s,s:s,s:s}", "school_id", school, "name", "X", "mode", "lottery", "deadline", deadline),
                  400));
    CHECK_PROBLEM(&r, 400, "validation_failed", "mode");
    api_free(&r);
    CHECK(post_as(&r, &coord, "/api/v1/match-rounds",
                  json_pack("{s:s,s:s,s:s,s:s}", "school_id", school, "name", "X", "mode", "one", "deadline", past), 400));
    CHECK_PROBLEM(&r, 400, "validation_failed", "deadline");
    api_free(&r);
    CHECK(post_as(&r, &coord, "/api/v1/match-rounds",
                  json_pack("{s:s,s:s,s:s,s:s,s:[s]}", "school_id", school, "name", "X", "mode", "one", "deadline",
                            deadline, "student_ids", "u_not_a_student"),
                  400));
    CHECK_PROBLEM(&r, 400, "validation_failed", "student_ids");
    api_free(&r);
    CHECK(post_as(&r, &coord_other, "/api/v1/match-rounds",
                  json_pack("{s:s,s:s,s:s,s:s}", "school_id", school, "name", "X", "mode", "one", "deadline", deadline),
                  404));
    api_free(&r);
    CHECK(post_as(&r, &coord, "/api/v1/match-rounds",
                  json_pack("{s:s,s:s,s:s,s:s,s:i}", "school_id", school, "name", "X", "mode", "one", "deadline",
                            deadline, "colour", 3),
                  400));
    CHECK_PROBLEM(&r, 400, "unknown_field", "colour");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM match_rounds", NULL, NULL), rounds_before);
    /* another school's round, a host's list that is not JSON, an unknown action */
    char round[64];
    CHECK(new_round(school, "one", NULL, round));
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/match-rounds/%s", round);
    call(&r, &coord_other, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    CHECK(round_post(&coord_other, round, "/run", json_pack("{}"), 404, &r));
    api_free(&r);
    CHECK(round_post(&coord, round, "/explode", json_pack("{}"), 404, &r));
    api_free(&r);
    CHECK(round_post(&coord, round, "/blocks", json_pack("{s:s,s:i}", "block_id", block_far, "seats", 0), 400, &r));
    CHECK_PROBLEM(&r, 400, "validation_failed", "seats");
    api_free(&r);
    CHECK(round_post(&coord, round, "/run", json_pack("{}"), 409, &r)); /* still a draft */
    api_free(&r);
    CHECK(round_post(&coord, round, "/blocks", json_pack("{s:s,s:i}", "block_id", block_far, "seats", 1), 201, &r));
    api_free(&r);
    char what[96];
    snprintf(what, sizeof(what), "/blocks/%s/ranking", block_far);
    const char *bad[] = {"[", "{\"type\":\"list\"}", "{\"type\":\"lottery\",\"order\":[]}", "{\"type\":\"auction\"}",
                         "{\"type\":\"list\",\"order\":[[]]}", "{\"type\":\"list\",\"order\":[1]}",
                         "{\"type\":\"list\",\"order\":[\"u_nobody\"]}", "{\"type\":\"lottery\",\"x\":1}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        long status = round_put(&host_coord, round, what, bad[i], &r);
        if (status != 400)
            TEST_FAILF("%s answered %ld: %.200s", bad[i], status, r.body);
        api_free(&r);
    }
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM match_host_ranks WHERE round_id = $1", round, NULL), 0);
    CHECK(round_post(&coord, round, "/cancel", json_pack("{}"), 200, &r));
    api_free(&r);
}

/* ---- home approval ---- */

/* The student applies for the block: the reply's status and the id into id. */
static const char *apply_for(const struct user *s, const char *block, char *id, size_t id_size)
{
    static char status[32];
    struct api_response r;
    status[0] = '\0';
    if (post_as(&r, s, "/api/v1/applications",
                json_pack("{s:s,s:s}", "block_id", block, "statement", "I want to learn inpatient medicine here."),
                201)) {
        snprintf(id, id_size, "%s", api_json_str(r.json, "id"));
        snprintf(status, sizeof(status), "%s", api_json_str(r.json, "status"));
    }
    api_free(&r);
    return status;
}

TEST(home_approval_holds_applications_until_the_school_releases_them)
{
    struct user s;
    CHECK(joined_student(&s, "home", school, &coord));
    char b1[64], b2[64], b3[64], path[200], app1[64] = "", app2[64] = "", app3[64] = "";
    CHECK(create_block(offering_a, 100, 4, 3, b1) && create_block(offering_a, 130, 4, 3, b2) &&
          create_block(offering_a, 160, 4, 3, b3));
    struct api_response r;
    /* only the school's coordinators (and staff) turn it on; bad bodies change nothing */
    snprintf(path, sizeof(path), "/api/v1/schools/%s", school);
    const struct user *others[] = {&coord_other, &host_coord, &s};
    for (size_t i = 0; i < 3; i++) {
        call(&r, others[i], "PATCH", path, "{\"home_approval\":true}");
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
    }
    const char *bad[] = {"{\"home_approval\":\"yes\"}", "{}", "{\"home_approval\":true,\"x\":1}", "[", "null"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        call(&r, &coord, "PATCH", path, bad[i]);
        if (r.status != 400)
            TEST_FAILF("%s answered %ld", bad[i], r.status);
        api_free(&r);
    }
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM school_settings WHERE organization_id = $1 AND home_approval = 1",
                         school, NULL),
              0);
    call(&r, &coord, "PATCH", path, "{\"home_approval\":true}");
    CHECK_INT(r.status, 200);
    CHECK(json_is_true(api_json_get(r.json, "home_approval")));
    api_free(&r);

    /* the application waits for the school; the host does not see it */
    CHECK_STR(apply_for(&s, b1, app1, sizeof(app1)), "home_review");
    snprintf(path, sizeof(path), "/api/v1/applications/%s", app1);
    call(&r, &host_coord, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &host_coord, "GET", "/api/v1/applications?limit=100", NULL);
    CHECK_INT(r.status, 200);
    CHECK(strstr(r.body, app1) == NULL);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM notifications n JOIN memberships m ON m.user_id = n.user_id"
                             " WHERE m.organization_id = $1 AND n.kind = 'home_review'",
                         school, NULL),
              1);
    /* the school's queue: its coordinators only */
    snprintf(path, sizeof(path), "/api/v1/schools/%s/applications", school);
    call(&r, &coord, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK(strstr(r.body, app1) != NULL);
    api_free(&r);
    call(&r, &coord_other, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/schools/%s/applications?status=pending", school);
    call(&r, &coord, "GET", path, NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "status");
    api_free(&r);
    /* nobody else decides; a refusal needs a note */
    snprintf(path, sizeof(path), "/api/v1/applications/%s/release", app1);
    CHECK(post_as(&r, &coord_other, path, json_pack("{}"), 404));
    api_free(&r);
    CHECK(post_as(&r, &host_coord, path, json_pack("{}"), 404));
    api_free(&r);
    CHECK(post_as(&r, &s, path, json_pack("{}"), 409));
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/applications/%s/refuse", app1);
    CHECK(post_as(&r, &coord, path, json_pack("{}"), 400));
    CHECK_PROBLEM(&r, 400, "validation_failed", "note");
    api_free(&r);
    CHECK(post_as(&r, &coord, path, json_pack("{s:s}", "note", " \n\t "), 400)); /* blank is no reason */
    CHECK_PROBLEM(&r, 400, "validation_failed", "note");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM applications WHERE id = $1 AND status = 'home_review'", app1, NULL),
              1);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM application_events WHERE application_id = $1", app1, NULL), 1);
    /* released: submitted, and now the host sees it and is told */
    snprintf(path, sizeof(path), "/api/v1/applications/%s/release", app1);
    CHECK(post_as(&r, &coord, path, json_pack("{}"), 200));
    CHECK_STR(api_json_str(r.json, "status"), "submitted");
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/applications/%s", app1);
    call(&r, &host_coord, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'application_submitted'"
                             " AND link = '/applications/' || $2",
                         host_coord.id, app1),
              1);

    /* refused with a note: the student reads it, the host never sees the application */
    CHECK_STR(apply_for(&s, b2, app2, sizeof(app2)), "home_review");
    snprintf(path, sizeof(path), "/api/v1/applications/%s/refuse", app2);
    CHECK(post_as(&r, &coord, path, json_pack("{s:s}", "note", "Finish your surgery clerkship first."), 200));
    CHECK_STR(api_json_str(r.json, "status"), "refused_by_school");
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/applications/%s", app2);
    call(&r, &s, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK(strstr(r.body, "Finish your surgery clerkship first.") != NULL);
    api_free(&r);
    call(&r, &host_coord, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);

    /* the student leaves the school: what waited for it goes on to the host */
    CHECK_STR(apply_for(&s, b3, app3, sizeof(app3)), "home_review");
    snprintf(path, sizeof(path), "/api/v1/me/schools/%s/leave", school);
    CHECK(post_as(&r, &s, path, json_pack("{}"), 204));
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM applications WHERE id = $1 AND status = 'submitted'", app3, NULL),
              1);
    snprintf(path, sizeof(path), "/api/v1/schools/%s", school);
    call(&r, &coord, "PATCH", path, "{\"home_approval\":false}");
    CHECK_INT(r.status, 200);
    api_free(&r);
}

TEST(a_school_sees_its_students_hours_as_totals_only)
{
    struct user s;
    CHECK(joined_student(&s, "hours", school, &coord));
    char block[64], app[64] = "", path[200];
    CHECK(create_block(offering_a, 230, 4, 3, block));
    const char *status = apply_for(&s, block, app, sizeof(app));
    CHECK(strcmp(status, "submitted") == 0 || strcmp(status, "home_review") == 0);
    snprintf(path, sizeof(path), "/api/v1/schools/%s/students/%s", school, s.id);
    struct api_response r;
    call(&r, &coord, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK(json_is_null(json_object_get(json_array_get(api_json_get(r.json, "applications"), 0), "hours")));
    api_free(&r);
    /* the rotation is under way (as the calendar would move it) and three days are logged */
    CHECK_INT(api_db_int(db, "UPDATE applications SET status = 'in_progress' WHERE id = $1 RETURNING 1", app, NULL),
              1);
    static const char *const days[][2] = {
        {"INSERT INTO hours_entries (id, application_id, student_id, day, minutes, setting, activities, state,"
         " created_at, updated_at) SELECT CAST($1 AS TEXT) || '-1', id, student_id, '2030-01-01', 450, 'inpatient',"
         " 'SECRET-ACTIVITY rounds with the team', 'confirmed', 1, 1 FROM applications WHERE id = $1"
         " RETURNING minutes", "450"},
        {"INSERT INTO hours_entries (id, application_id, student_id, day, minutes, setting, activities, state,"
         " created_at, updated_at) SELECT CAST($1 AS TEXT) || '-2', id, student_id, '2030-01-02', 120, 'outpatient',"
         " '', 'logged', 1, 1 FROM applications WHERE id = $1 RETURNING minutes", "120"},
        {"INSERT INTO hours_entries (id, application_id, student_id, day, minutes, setting, activities, state,"
         " created_at, updated_at) SELECT CAST($1 AS TEXT) || '-3', id, student_id, '2030-01-03', 60, 'outpatient',"
         " '', 'refused', 1, 1 FROM applications WHERE id = $1 RETURNING minutes", "60"},
    };
    for (size_t i = 0; i < 3; i++)
        CHECK_INT(api_db_int(db, days[i][0], app, NULL), strtol(days[i][1], NULL, 10));
    call(&r, &coord, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    json_t *first = json_array_get(api_json_get(r.json, "applications"), 0);
    CHECK_STR(api_json_str(first, "id"), app);
    CHECK(json_number_value(api_json_get(first, "hours.confirmed_hours")) == 7.5);
    CHECK(json_number_value(api_json_get(first, "hours.waiting_hours")) == 2.0);
    CHECK_INT(api_json_int(first, "hours.days_confirmed", -1), 1);
    CHECK_INT(api_json_int(first, "hours.days_refused", -1), 1);
    CHECK(strstr(r.body, "SECRET-ACTIVITY") == NULL); /* what the student wrote stays theirs */
    api_free(&r);
    /* the coordinator's page shows the same; another school's coordinator still gets 404 */
    snprintf(path, sizeof(path), "/school/students/%s?school=%s", s.id, school);
    call(&r, &coord, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "7.5 h confirmed (1 day)");
    CHECK_CONTAINS(r.body, "2 h waiting for the preceptor");
    CHECK(strstr(r.body, "SECRET-ACTIVITY") == NULL);
    api_free(&r);
    call(&r, &coord_other, "GET", path, NULL);
    CHECK_INT(r.status, 404);
    api_free(&r);
}

/* With the student's consent the school sees the preceptor's evaluation of a
 * completed rotation (and its addenda), never the student's confidential
 * evaluation of the rotation; another school's coordinator gets 404, and
 * nobody sees it once the student leaves. */
TEST(a_school_sees_its_students_evaluations_but_not_their_confidential_feedback)
{
    struct user s;
    CHECK(joined_student(&s, "evals", school, &coord));
    char block[64], app[64] = "", path[200], page[200];
    CHECK(create_block(offering_a, 260, 4, 3, block));
    const char *status = apply_for(&s, block, app, sizeof(app));
    CHECK(strcmp(status, "submitted") == 0 || strcmp(status, "home_review") == 0);
    snprintf(path, sizeof(path), "/api/v1/schools/%s/students/%s", school, s.id);
    snprintf(page, sizeof(page), "/school/students/%s?school=%s", s.id, school);
    struct api_response r;
    call(&r, &coord, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK(json_is_null(json_object_get(json_array_get(api_json_get(r.json, "applications"), 0), "evaluation")));
    api_free(&r);
    /* completed (as the calendar would), evaluated by the preceptor with an addendum, and the student's feedback */
    CHECK_INT(api_db_int(db, "UPDATE applications SET status = 'completed' WHERE id = $1 RETURNING 1", app, NULL), 1);
    CHECK_INT(api_db_int(db,
                         "INSERT INTO evaluations (application_id, evaluator_id, medical_interviewing,"
                         " physical_examination, professionalism, clinical_judgement, counselling, organisation,"
                         " overall, strengths, improvements, would_write_letter, submitted_at)"
                         " VALUES ($1, $2, 7, NULL, 9, 6, NULL, 5, 8, 'Thorough histories EVAL-STRENGTH',"
                         " 'Present more concisely', 1, 1700000000) RETURNING overall",
                         app, host_coord.id),
              8);
    CHECK_INT(api_db_int(db,
                         "INSERT INTO evaluation_addenda (id, application_id, author_id, body, created_at)"
                         " VALUES ($1 || '-add', $1, $2, 'Also led the morning report EVAL-ADDENDUM', 1700000100)"
                         " RETURNING 1",
                         app, host_coord.id),
              1);
    CHECK_INT(api_db_int(db,
                         "INSERT INTO rotation_feedback (application_id, offering_id, organization_id, preceptor_id,"
                         " teaching, supervision, feedback, environment, overall, comments, submitted_at)"
                         " SELECT id, offering_id, organization_id, $2, 1, 1, 1, 1, 1, 'SECRET-FEEDBACK', 1700000200"
                         " FROM applications WHERE id = $1 RETURNING overall",
                         app, preceptor),
              1);
    call(&r, &coord, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    json_t *first = json_array_get(api_json_get(r.json, "applications"), 0);
    CHECK_STR(api_json_str(first, "id"), app);
    CHECK_STR(api_json_str(first, "evaluation.strengths"), "Thorough histories EVAL-STRENGTH");
    CHECK_INT(api_json_int(first, "evaluation.scores.professionalism", -1), 9);
    CHECK(json_is_null(api_json_get(first, "evaluation.scores.counselling")));
    CHECK(json_is_true(api_json_get(first, "evaluation.would_write_letter")));
    CHECK_INT((long long)json_array_size(api_json_get(first, "evaluation.addenda")), 1);
    CHECK_CONTAINS(r.body, "EVAL-ADDENDUM");
    CHECK(strstr(r.body, "SECRET-FEEDBACK") == NULL); /* the student's evaluation of the rotation stays theirs */
    api_free(&r);
    call(&r, &coord, "GET", page, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Preceptors' evaluations");
    CHECK_CONTAINS(r.body, "EVAL-STRENGTH");
    CHECK_CONTAINS(r.body, "9 of 9");
    CHECK_CONTAINS(r.body, "EVAL-ADDENDUM");
    CHECK(strstr(r.body, "SECRET-FEEDBACK") == NULL);
    api_free(&r);
    /* another school's coordinator, the host: 404 on both */
    const struct user *others[] = {&coord_other, &host_coord};
    for (size_t i = 0; i < 2; i++) {
        call(&r, others[i], "GET", path, NULL);
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
        call(&r, others[i], "GET", page, NULL);
        CHECK_INT(r.status, 404);
        CHECK(strstr(r.body != NULL ? r.body : "", "EVAL-STRENGTH") == NULL);
        api_free(&r);
    }
    /* consent withdrawn: the student leaves the school, the evaluation is no longer shown */
    char leave[200];
    snprintf(leave, sizeof(leave), "/api/v1/me/schools/%s/leave", school);
    CHECK(post_as(&r, &s, leave, json_pack("{}"), 204));
    api_free(&r);
    call(&r, &coord, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    CHECK(strstr(r.body != NULL ? r.body : "", "EVAL-STRENGTH") == NULL);
    api_free(&r);
}

TEST(server_shuts_down_gracefully)
{
    CHECK_INT(api_server_stop(&server), 0);
}

static void run_tests(void)
{
    API_RUN(a_cohort_is_invited_by_csv_bad_lines_reported_good_ones_kept);
    API_RUN(invitation_emails_quote_names_and_a_school_has_a_daily_limit);
    API_RUN(invitations_list_the_newest_upload_first_each_in_the_order_of_its_lines);
    API_RUN(a_student_asks_the_school_approves_or_refuses_and_the_student_leaves);
    API_RUN(what_a_school_sees_of_its_student_and_who_else_gets_404);
    API_RUN(a_round_from_creation_to_published_offers);
    API_RUN(the_instance_downloaded_runs_offline_to_the_same_placements);
    API_RUN(rotation_rounds_refuse_overlapping_periods);
    API_RUN(malformed_and_forbidden_round_requests_are_4xx_and_change_nothing);
    API_RUN(home_approval_holds_applications_until_the_school_releases_them);
    API_RUN(a_school_sees_its_students_hours_as_totals_only);
    API_RUN(a_school_sees_its_students_evaluations_but_not_their_confidential_feedback);
}

static void finish(void)
{
    db_close(db);
    API_RUN(server_shuts_down_gracefully);
}

int main(void)
{
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", NULL};
    static const struct api_suite suite = {
        .name = "api-schools", .server = &server, .flags = flags, .setup = world_setup,
        .setup_what = "setting up schools, the host and its blocks", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
