/* test_api_invitation_emails.c — what the emails of invitations and match
 * placements say, read as their recipient reads them, against the real
 * `rounds serve` on SQLite and PostgreSQL (the outbox keeps every email:
 * --jobs-interval-ms 0):
 *
 *   - a school inviting a student: the subject, the school, the student and
 *     who invited them quoted, the one link (the server's --public-url and
 *     the page), the link's end
 *     in UTC for a bare address and in the account's own zone for an address
 *     with an account (which is also told in the app); nothing of the other
 *     invitations of the file, no token hash, no password hash;
 *   - an address whose account has not confirmed it: held (once, however
 *     often uploaded), emailed when the address is confirmed — unless the
 *     hold is past an invitation's life, its upload was undone or its
 *     uploader left the school;
 *   - a host inviting a preceptor: the same, with the host and the record;
 *   - a student placed by a match round: what (offering), where (host), when
 *     (the block's dates), by when to accept (in the student's zone), which
 *     round of which school; the unplaced told where to see why;
 *   - every link followed as a signed-out browser does: to the sign-in form,
 *     which comes back to where the link led, which then shows what it is
 *     about;
 *   - bad input to the endpoints that send them: a clear 4xx, and no email. */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_client.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "test.h"

#define PEOPLE_PASSWORD "Copper-Lantern-Meadow-47!"
#include "api_people.h"
#include "api_world.h"
#include "api_suite.h"

static struct api_server server;
static struct db_conn *db;
static struct user staff, coord, coord_other, host_coord, host_coord_other;
static char school[64], school_other[64], host[64], host_other[64], site[64], record[64], offering[64];
static char school_name[128], host_name[128];

#define COORD_NAME "Grace Wanjiru"
#define HOST_COORD_NAME "Tomas Alvarez"
#define OFFERING_TITLE "Inpatient Medicine Observership"
#define ROUND_NAME "Summer placement round"
/* The server's --public-url: the links of its emails start with it. */
#define PUBLIC_URL "http://rounds.example.test"

static long call(struct api_response *r, const struct user *u, const char *method, const char *path, const char *body)
{
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    return api_request(r, method, path, headers, body);
}

/* ---- the outbox ---- */

static long long mails_to(const char *to)
{
    return api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1", to, NULL);
}

static long long mails_of(const char *to, const char *kind)
{
    return api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1 AND kind = $2", to, kind);
}

/* The subject and body (heap) of the newest email of kind to an address;
 * false (a failed check) when there is none. */
static bool newest_mail(const char *to, const char *kind, char **subject, char **body)
{
    *subject = api_db_text(db, "SELECT subject FROM outbox WHERE to_address = $1 AND kind = $2"
                               " ORDER BY created_at DESC, id DESC",
                           to, kind, NULL);
    *body = api_db_text(db, "SELECT body FROM outbox WHERE to_address = $1 AND kind = $2"
                            " ORDER BY created_at DESC, id DESC",
                        to, kind, NULL);
    if (*subject != NULL && *body != NULL)
        return true;
    TEST_FAILF("no %s email to %s in the outbox", kind, to);
    free(*subject);
    free(*body);
    *subject = *body = NULL;
    return false;
}

/* The path of the link a mail body carries under prefix
 * ("/invitations/schools/"): the link must be the server's public URL and
 * the path, ended by the line's end; into out. */
static bool mailed_path(const char *body, const char *prefix, char *out, size_t size)
{
    char start[128];
    snprintf(start, sizeof(start), "%s%s", PUBLIC_URL, prefix);
    const char *at = body != NULL ? strstr(body, start) : NULL;
    size_t n = 0;
    if (at != NULL) {
        at += strlen(PUBLIC_URL);
        while (at[n] != '\0' && at[n] != '\r' && at[n] != '\n' && at[n] != ' ' && n + 1 < size)
            n++;
    }
    if (at == NULL || (at[n] != '\r' && at[n] != '\n')) {
        TEST_FAILF("no link %s… on a line of its own in: %.600s", start, body != NULL ? body : "(none)");
        return false;
    }
    memcpy(out, at, n);
    out[n] = '\0';
    return true;
}

/* The 43-character token at the end of a link's path. */
static const char *token_of(const char *path)
{
    size_t n = strlen(path);
    return n >= 43 ? path + n - 43 : "";
}

/* An instant as a reader offset seconds east of UTC is told it, with the
 * zone's abbreviation ("Dec 8, 2026, 01:30 IST"), computed here without the
 * tz database, into out. */
static void instant_words(long long t, int offset, const char *abbreviation, char *out, size_t size)
{
    long long local = t + offset;
    long long days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    long long seconds = local - days * 86400;
    char date[11], words[CLOCK_DATE_WORDS_SIZE];
    clock_date_from_days((int32_t)days, date);
    snprintf(out, size, "%s, %02lld:%02lld %s", clock_date_words(date, words), seconds / 3600, seconds % 3600 / 60,
             abbreviation);
}

enum { INDIA = 5 * 3600 + 30 * 60 };

/* Nothing in a mail body that is not its reader's: no password hash, no
 * token hash, none of the strings in others (NULL-terminated). */
static void check_nothing_private(const char *body, const char *const *others)
{
    CHECK(body != NULL && strstr(body, "$argon2") == NULL);
    for (size_t i = 0; others != NULL && others[i] != NULL; i++)
        if (others[i][0] != '\0' && body != NULL && strstr(body, others[i]) != NULL)
            TEST_FAILF("the email holds \"%s\", which is not its reader's", others[i]);
}

/* The title and link of user_id's notice of kind (heap, into title and link). */
static void notice_of(const char *user_id, const char *kind, char **title, char **link)
{
    *title = api_db_text(db, "SELECT title FROM notifications WHERE user_id = $1 AND kind = $2", user_id, kind, NULL);
    *link = api_db_text(db, "SELECT link FROM notifications WHERE user_id = $1 AND kind = $2", user_id, kind, NULL);
}

/* The hash Rounds keeps of a link's token (64 hex digits) into out. */
static void token_hash(const char *token, char out[65])
{
    crypto_hash_token(token, out);
}

/* ---- following a link as a browser does ---- */

/* text with every byte but letters, digits and "-._~" percent-encoded, into out. */
static void url_encode(const char *text, char *out, size_t size)
{
    size_t j = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0' && j + 4 < size; p++) {
        if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~')
            out[j++] = (char)*p;
        else
            j += (size_t)snprintf(out + j, size - j, "%%%02X", *p);
    }
    out[j] = '\0';
}

/* The text between marker and the next '"' in html (an attribute's value), into out. */
static bool attribute_after(const char *html, const char *marker, char *out, size_t size)
{
    const char *at = html != NULL ? strstr(html, marker) : NULL;
    if (at == NULL)
        return false;
    at += strlen(marker);
    const char *end = strchr(at, '"');
    if (end == NULL || (size_t)(end - at) >= size)
        return false;
    memcpy(out, at, (size_t)(end - at));
    out[end - at] = '\0';
    return true;
}

/* u signs in with the form of the login page at login_path (as the page or
 * redirect that led there wrote it): where the browser is sent then into
 * location, the session's Cookie header into cookie. */
static bool sign_in_through(const struct user *u, const char *login_path, char *location, size_t location_size,
                            char *cookie, size_t cookie_size)
{
    struct api_response page;
    api_request(&page, "GET", login_path, NULL, NULL);
    char csrf[64] = "", next[512] = "";
    bool ok = page.status == 200 && api_cookie_value(&page, "rounds_csrf", csrf, sizeof(csrf)) &&
              attribute_after(page.body, "name=\"next\" value=\"", next, sizeof(next));
    if (!ok)
        TEST_FAILF("the login page %s answered %ld with no form that goes back: %.300s", login_path, page.status,
                   page.body);
    api_free(&page);
    if (!ok)
        return false;
    char email[480], password[160], next_encoded[1600], body[2600], csrf_cookie[128];
    url_encode(u->email, email, sizeof(email));
    url_encode(PEOPLE_PASSWORD, password, sizeof(password));
    url_encode(next, next_encoded, sizeof(next_encoded));
    snprintf(body, sizeof(body), "email=%s&password=%s&csrf_token=%s&next=%s", email, password, csrf, next_encoded);
    snprintf(csrf_cookie, sizeof(csrf_cookie), "Cookie: rounds_csrf=%s", csrf);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", csrf_cookie, NULL};
    struct api_response r;
    api_request(&r, "POST", "/login", headers, body);
    char session[96] = "";
    const char *where = api_header(&r, "location");
    ok = r.status == 303 && where != NULL && api_cookie_value(&r, "rounds_session", session, sizeof(session));
    if (ok) {
        snprintf(location, location_size, "%s", where);
        snprintf(cookie, cookie_size, "Cookie: rounds_session=%s", session);
    } else {
        TEST_FAILF("signing in through %s answered %ld: %.300s", login_path, r.status, r.body);
    }
    api_free(&r);
    return ok;
}

/* A signed-out browser opens path (from an email), which needs a session:
 * sent to the login form, u signs in there and is sent back to path; the
 * page then shows every one of wants (NULL-terminated) to u. */
static void follow_signed_out(const struct user *u, const char *path, const char *const *wants)
{
    struct api_response r;
    api_request(&r, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 303);
    char login[600] = "", location[600] = "", cookie[160] = "";
    const char *where = api_header(&r, "location");
    CHECK(where != NULL && strncmp(where, "/login?next=", 12) == 0);
    snprintf(login, sizeof(login), "%s", where != NULL ? where : "/login");
    api_free(&r);
    if (!sign_in_through(u, login, location, sizeof(location), cookie, sizeof(cookie)))
        return;
    CHECK_STR(location, path);
    const char *headers[] = {cookie, NULL};
    api_request(&r, "GET", location, headers, NULL);
    CHECK_INT(r.status, 200);
    for (size_t i = 0; wants[i] != NULL; i++)
        CHECK_CONTAINS(r.body, wants[i]);
    api_free(&r);
}

/* POSTs a page's form (fields, then the page's csrf_token) with a session cookie. */
static long post_page_form(struct api_response *r, const char *cookie, const char *path, const char *page_body)
{
    char csrf[64] = "", body[160];
    if (!attribute_after(page_body, "name=\"csrf_token\" value=\"", csrf, sizeof(csrf)))
        TEST_FAILF("the page has no csrf_token field");
    snprintf(body, sizeof(body), "csrf_token=%s", csrf);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", cookie, NULL};
    return api_request(r, "POST", path, headers, body);
}

/* ---- school invitations ---- */

/* The school's coordinator (or by) uploads csv to school_id: the status, reply in r. */
static long invite_csv(struct api_response *r, const struct user *by, const char *school_id, const char *csv)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/schools/%s/invitations", school_id);
    char *body = json_text(json_pack("{s:s}", "csv", csv));
    long status = call(r, by, "POST", path, body);
    free(body);
    return status;
}

static long long invitation_expires_at(const char *email)
{
    return api_db_int(db, "SELECT expires_at FROM school_invitations WHERE organization_id = $1 AND email = $2",
                      school, email);
}

/* A bare address's email: the link's end, in UTC, between before and after;
 * nothing of the other recipient (their link's token, address,
 * name), nor this link's token hash, nor the sender's address. path and
 * other_path are NULL when the link was not found (a failure already). */
static void check_end_in_utc_and_nothing_private(const char *body, long long expires, const char *before,
                                                 const char *after,
                                                 const char *path, const char *other_path, const char *other_email,
                                                 const char *other_name, const char *sender_email)
{
    char when[64], sentence[160];
    instant_words(expires, 0, "UTC", when, sizeof(when));
    snprintf(sentence, sizeof(sentence), "%s%s%s", before, when, after);
    CHECK_CONTAINS(body, sentence);
    char hash[65] = "";
    if (path != NULL)
        token_hash(token_of(path), hash);
    const char *others[] = {other_path != NULL ? token_of(other_path) : "", other_email, other_name, hash,
                            sender_email, NULL};
    check_nothing_private(body, others);
}

TEST(a_school_invitation_says_who_invites_whom_with_one_link_ending_in_utc)
{
    char ana[160], ben[160], csv[600];
    api_unique_email(ana, sizeof(ana), "ie-ana");
    api_unique_email(ben, sizeof(ben), "ie-ben");
    snprintf(csv, sizeof(csv), "name,email,graduation_year\nAna Pereira,%s,2027\nBen Okafor,%s,2028\n", ana, ben);
    struct api_response r;
    CHECK_INT(invite_csv(&r, &coord, school, csv), 200);
    CHECK_INT(api_json_int(r.json, "invited", -1), 2);
    api_free(&r);
    CHECK_INT(mails_of(ana, "school_invitation"), 1);
    CHECK_INT(mails_of(ben, "school_invitation"), 1);
    char *subject, *body, *ben_subject, *ben_body;
    if (!newest_mail(ana, "school_invitation", &subject, &body))
        return;
    if (!newest_mail(ben, "school_invitation", &ben_subject, &ben_body)) {
        free(subject);
        free(body);
        return;
    }
    /* The subject names nobody (the names are the school's words); the body quotes them. */
    CHECK_STR(subject, "An invitation to link your Rounds account to a school");
    CHECK_STR(ben_subject, subject);
    char line[300];
    snprintf(line, sizeof(line), "\r\n  School: \xe2\x80\x9c%s\xe2\x80\x9d\r\n", school_name);
    CHECK_CONTAINS(body, line);
    CHECK_CONTAINS(body, "\r\n  Student invited: \xe2\x80\x9c" "Ana Pereira\xe2\x80\x9d\r\n");
    CHECK_CONTAINS(body, "\r\n  Invited by: \xe2\x80\x9c" COORD_NAME "\xe2\x80\x9d\r\n");
    CHECK_CONTAINS(body, "never the content of your letters of recommendation");
    CHECK_CONTAINS(ben_body, "\r\n  Student invited: \xe2\x80\x9c" "Ben Okafor\xe2\x80\x9d\r\n");
    /* One link, to this server's invitation page, with a token of its own. */
    char path[200] = "", ben_path[200] = "";
    bool linked = mailed_path(body, "/invitations/schools/", path, sizeof(path)) &&
                  mailed_path(ben_body, "/invitations/schools/", ben_path, sizeof(ben_path));
    CHECK(linked);
    CHECK_INT(strlen(path), strlen("/invitations/schools/") + 43);
    CHECK(strcmp(path, ben_path) != 0);
    const char *after = strstr(body, "://");
    CHECK(after != NULL && strstr(after + 3, "://") == NULL); /* the only link */
    /* It works for 30 days; a bare address has no zone: UTC, said so. */
    long long expires = invitation_expires_at(ana);
    CHECK_INT(expires - api_db_int(db, "SELECT created_at FROM school_invitations WHERE organization_id = $1"
                                       " AND email = $2",
                                   school, ana),
              (long long)SCHOOL_INVITATION_DAYS * 86400);
    /* Nothing of Ben's in Ana's email, nor hashes, nor the coordinator's address. */
    check_end_in_utc_and_nothing_private(body, expires, "This link works until ", ". If you do not know this school",
                                         linked ? path : NULL, linked ? ben_path : NULL, ben, "Ben Okafor",
                                         coord.email);
    free(subject);
    free(body);
    free(ben_subject);
    free(ben_body);
}

/* A student signs in on the way from the emailed link and joins. */
TEST(the_school_link_leads_a_signed_out_student_through_login_back_to_joining)
{
    struct user s;
    if (!register_student(&s, "ie-join"))
        return;
    char csv[400];
    snprintf(csv, sizeof(csv), "Ana Join,%s,2027\n", s.email);
    struct api_response r;
    CHECK_INT(invite_csv(&r, &coord, school, csv), 200);
    api_free(&r);
    char *subject, *body, path[200];
    if (!newest_mail(s.email, "school_invitation", &subject, &body))
        return;
    bool linked = mailed_path(body, "/invitations/schools/", path, sizeof(path));
    free(subject);
    free(body);
    if (!linked)
        return;
    /* Signed out: the page names the school and the student, and offers to log in and come back. */
    api_request(&r, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 200);
    char heading[200], login[400] = "";
    snprintf(heading, sizeof(heading), "<h1>%s invites you</h1>", school_name);
    CHECK_CONTAINS(r.body, heading);
    CHECK_CONTAINS(r.body, "Dear Ana Join,");
    memcpy(login, "/login?next=", 12); /* the page's own link, not the navigation's */
    CHECK(attribute_after(r.body, "href=\"/login?next=", login + 12, sizeof(login) - 12));
    /* Creating an account comes back here too. */
    char register_next[400] = "";
    CHECK(attribute_after(r.body, "href=\"/register?next=", register_next, sizeof(register_next)));
    CHECK_STR(register_next, path);
    CHECK(strstr(r.body, "Join the school") == NULL);
    api_free(&r);
    char location[600] = "", cookie[160] = "";
    if (!sign_in_through(&s, login, location, sizeof(location), cookie, sizeof(cookie)))
        return;
    CHECK_STR(location, path);
    /* Back on the page, signed in: the button joins. */
    const char *headers[] = {cookie, NULL};
    api_request(&r, "GET", location, headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Join the school");
    char accept[240];
    snprintf(accept, sizeof(accept), "%s/accept", path);
    struct api_response joined;
    post_page_form(&joined, cookie, accept, r.body);
    api_free(&r);
    CHECK_INT(joined.status, 303);
    CHECK_STR(api_header(&joined, "location"), "/me/schools?done=joined");
    api_free(&joined);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM school_students WHERE organization_id = $1 AND student_id = $2"
                             " AND status = 'active'",
                         school, s.id),
              1);
    api_request(&r, "GET", "/me/schools?done=joined", headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "You joined the school.");
    CHECK_CONTAINS(r.body, school_name);
    api_free(&r);
    /* The link is used up: whoever opens it again is told so. */
    api_request(&r, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 410);
    api_free(&r);
}

/* An address that belongs to an account reads the link's end on the
 * account's clock, and a student is told in the app too; an account whose
 * address is not confirmed gets neither the email nor a notice that says
 * one was sent. */
TEST(an_invited_account_reads_the_end_in_its_zone_and_a_notice)
{
    struct user india, plain, unconfirmed;
    if (!register_student(&india, "ie-india") || !register_student(&plain, "ie-plain") ||
        !register_student_unconfirmed(&unconfirmed, "ie-unconf"))
        return;
    struct api_response r;
    call(&r, &india, "PATCH", "/api/v1/me", "{\"time_zone\":\"Asia/Kolkata\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    char csv[800];
    snprintf(csv, sizeof(csv), "Ira Nair,%s,2027\nPat Plain,%s,2027\nUna Held,%s,2027\n", india.email, plain.email,
             unconfirmed.email);
    CHECK_INT(invite_csv(&r, &coord, school, csv), 200);
    CHECK_INT(api_json_int(r.json, "invited", -1), 2);
    CHECK_INT(api_json_int(r.json, "held", -1), 1);
    api_free(&r);
    char *subject, *body, when[64], sentence[160];
    if (newest_mail(india.email, "school_invitation", &subject, &body)) {
        instant_words(invitation_expires_at(india.email), INDIA, "IST", when, sizeof(when));
        snprintf(sentence, sizeof(sentence), "This link works until %s.", when);
        CHECK_CONTAINS(body, sentence);
        free(subject);
        free(body);
    }
    if (newest_mail(plain.email, "school_invitation", &subject, &body)) {
        instant_words(invitation_expires_at(plain.email), 0, "UTC", when, sizeof(when));
        snprintf(sentence, sizeof(sentence), "This link works until %s.", when);
        CHECK_CONTAINS(body, sentence);
        free(subject);
        free(body);
    }
    CHECK_INT(mails_of(unconfirmed.email, "school_invitation"), 0);
    char title[300];
    snprintf(title, sizeof(title), "%s invites you to join it: accept with the link in the email we sent you",
             school_name);
    const struct user *told[] = {&india, &plain};
    for (size_t i = 0; i < 2; i++) {
        char *notice, *link;
        notice_of(told[i]->id, "school_invitation", &notice, &link);
        CHECK_STR(notice, title);
        CHECK_STR(link, "/me/schools");
        free(notice);
        free(link);
    }
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'school_invitation'",
                         unconfirmed.id, NULL),
              0);
}

/* The lines of a reply's array member name, as "3,5" (empty when none), into out. */
static void lines_of(const json_t *reply, const char *name, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    const json_t *lines = json_object_get(reply, name);
    for (size_t i = 0; i < json_array_size(lines) && n + 16 < size; i++)
        n += (size_t)snprintf(out + n, size - n, "%s%lld", i > 0 ? "," : "",
                              (long long)json_integer_value(json_array_get(lines, i)));
}

/* The upload's report counts: invited, held, and the lines held ("3,5"). */
static void check_invited(json_t *reply, long long invited, long long held, const char *lines)
{
    char got[64];
    CHECK_INT(api_json_int(reply, "invited", -1), invited);
    CHECK_INT(api_json_int(reply, "held", -1), held);
    lines_of(reply, "held_lines", got, sizeof(got));
    CHECK_STR(got, lines);
}

static long long holds_of(const char *email)
{
    return api_db_int(db, "SELECT COUNT(*) FROM school_invitation_holds WHERE email = $1", email, NULL);
}

/* The invitation emails a school's uploads (and released holds) counted against its daily limit. */
static long long invites_counted(const char *school_id)
{
    return api_db_int(db, "SELECT COALESCE(SUM(invited), 0) FROM school_invite_batches WHERE organization_id = $1",
                      school_id, NULL);
}

/* An address whose account has not confirmed it gets no mail (notify.h) while
 * it is not confirmed: the coordinator is told which lines are held rather
 * than invited, and the invitation is kept (once, however often the line is
 * uploaded); confirming the address sends exactly one invitation, whose link
 * works, counted against the school's daily limit. A file with some good
 * lines answers 200. */
TEST(a_line_for_an_unconfirmed_account_is_held_and_sent_when_the_address_is_confirmed)
{
    struct user held;
    if (!register_student_unconfirmed(&held, "ie-held"))
        return;
    char fresh[160], csv[800], lines[64];
    api_unique_email(fresh, sizeof(fresh), "ie-fresh");
    snprintf(csv, sizeof(csv), "name,email,graduation_year\nFay Fresh,%s,2027\nHal Held,%s,2027\nNo Address,,2027\n",
             fresh, held.email);
    struct api_response r;
    CHECK_INT(invite_csv(&r, &coord, school, csv), 200);
    CHECK_INT(api_json_int(r.json, "lines", -1), 3);
    check_invited(r.json, 1, 1, "3");
    CHECK(api_json_get(r.json, "not_emailed") == NULL);
    lines_of(r.json, "already", lines, sizeof(lines));
    CHECK_STR(lines, "");
    json_t *problems = api_json_get(r.json, "problems");
    CHECK_INT(json_array_size(problems), 1);
    CHECK_INT(json_integer_value(json_object_get(json_array_get(problems, 0), "line")), 4);
    api_free(&r);
    CHECK_INT(mails_of(fresh, "school_invitation"), 1);
    CHECK_INT(mails_of(held.email, "school_invitation"), 0);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM school_invitations WHERE email = $1", held.email, NULL), 0);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1", held.id, NULL), 0);
    CHECK_INT(holds_of(held.email), 1);
    /* Uploaded again (another name): still one hold, refreshed; still no mail. */
    snprintf(csv, sizeof(csv), "Hal B. Held,%s,2028\n", held.email);
    CHECK_INT(invite_csv(&r, &coord, school, csv), 200);
    check_invited(r.json, 0, 1, "1");
    api_free(&r);
    CHECK_INT(holds_of(held.email), 1);
    char *name = api_db_text(db, "SELECT name FROM school_invitation_holds WHERE email = $1", held.email, NULL, NULL);
    CHECK_STR(name, "Hal B. Held");
    free(name);
    CHECK_INT(mails_of(held.email, "school_invitation"), 0);
    /* The school's coordinators read it in the list of holds (no one else: 404). */
    char held_path[200];
    snprintf(held_path, sizeof(held_path), "/api/v1/schools/%s/invitations/held", school);
    call(&r, &coord, "GET", held_path, NULL);
    CHECK_INT(r.status, 200);
    json_t *items = api_json_get(r.json, "items");
    bool listed = false;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *item = json_array_get(items, i);
        if (strcmp(json_string_value(json_object_get(item, "email")), held.email) != 0)
            continue;
        CHECK(!listed);
        listed = true;
        CHECK_STR(json_string_value(json_object_get(item, "name")), "Hal B. Held");
        CHECK_INT(json_integer_value(json_object_get(item, "graduation_year")), 2028);
        CHECK_INT(json_integer_value(json_object_get(item, "sent_if_confirmed_by")) -
                      json_integer_value(json_object_get(item, "uploaded_at")),
                  (long long)SCHOOL_INVITATION_DAYS * 86400);
    }
    CHECK(listed);
    api_free(&r);
    const struct user *outsiders[] = {&coord_other, &host_coord, &held};
    for (size_t i = 0; i < sizeof(outsiders) / sizeof(outsiders[0]); i++) {
        call(&r, outsiders[i], "GET", held_path, NULL);
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        CHECK(r.body != NULL && strstr(r.body, held.email) == NULL);
        api_free(&r);
    }
    call(&r, NULL, "GET", held_path, NULL);
    CHECK_INT(r.status, 401);
    api_free(&r);
    /* Another school's coordinator sees nothing of it on their page. */
    char page_path[200];
    snprintf(page_path, sizeof(page_path), "/school?school=%s", school_other);
    call(&r, &coord_other, "GET", page_path, NULL);
    CHECK_INT(r.status, 200);
    CHECK(r.body != NULL && strstr(r.body, held.email) == NULL);
    api_free(&r);
    snprintf(page_path, sizeof(page_path), "/school?school=%s", school);
    call(&r, &coord, "GET", page_path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Waiting for the student to confirm their address");
    CHECK_CONTAINS(r.body, held.email);
    api_free(&r);
    /* Confirming the address sends the one invitation held, and tells the student in the app. */
    long long counted = invites_counted(school);
    if (!confirm_email(&held))
        return;
    CHECK_INT(mails_of(held.email, "school_invitation"), 1);
    CHECK_INT(holds_of(held.email), 0);
    CHECK_INT(invites_counted(school), counted + 1);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'school_invitation'",
                         held.id, NULL),
              1);
    char *subject, *body, path[200] = "";
    if (!newest_mail(held.email, "school_invitation", &subject, &body))
        return;
    bool linked = mailed_path(body, "/invitations/schools/", path, sizeof(path));
    CHECK_CONTAINS(body, "Hal B. Held");
    CHECK_CONTAINS(body, COORD_NAME);
    free(subject);
    free(body);
    if (!linked)
        return;
    /* Confirmed again (another link): nothing more is sent. */
    if (!confirm_email(&held))
        return;
    CHECK_INT(mails_of(held.email, "school_invitation"), 1);
    /* The link works: the student accepts and is linked. */
    CHECK(post_as(&r, &held, "/api/v1/school-invitations/accept", json_pack("{s:s}", "token", token_of(path)), 200));
    CHECK_STR(api_json_str(r.json, "status"), "active");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM school_students WHERE organization_id = $1 AND student_id = $2"
                             " AND status = 'active'",
                         school, held.id),
              1);
}

/* A password reset proves the address too: what was held for it is sent then. */
TEST(a_held_invitation_is_sent_when_a_password_reset_proves_the_address)
{
    struct user forgot;
    if (!register_student_unconfirmed(&forgot, "ie-forgot"))
        return;
    char csv[400];
    snprintf(csv, sizeof(csv), "Fern Forgot,%s,2027\n", forgot.email);
    struct api_response r;
    CHECK_INT(invite_csv(&r, &coord, school, csv), 200);
    check_invited(r.json, 0, 1, "1");
    api_free(&r);
    CHECK(post_as(&r, NULL, "/api/v1/auth/password-reset", json_pack("{s:s}", "email", forgot.email), 202));
    api_free(&r);
    char *subject, *body, path[200] = "";
    if (!newest_mail(forgot.email, "password_reset", &subject, &body))
        return;
    bool linked = mailed_path(body, "/password-reset/", path, sizeof(path));
    free(subject);
    free(body);
    CHECK_INT(mails_of(forgot.email, "school_invitation"), 0);
    if (!linked)
        return;
    CHECK(post_as(&r, NULL, "/api/v1/auth/password-reset/confirm",
                  json_pack("{s:s,s:s}", "token", token_of(path), "password", "Another-Quiet-River-93!"), 204));
    api_free(&r);
    CHECK_INT(mails_of(forgot.email, "school_invitation"), 1);
    CHECK_INT(holds_of(forgot.email), 0);
}

/* Invited as a bare address, then an account made with it and not confirmed:
 * uploading it again holds it, and the first link still works. */
TEST(a_bare_address_invited_then_registered_keeps_its_link_while_held)
{
    struct user later;
    memset(&later, 0, sizeof(later));
    api_unique_email(later.email, sizeof(later.email), "ie-later");
    char csv[400];
    snprintf(csv, sizeof(csv), "Lea Later,%s,2028\n", later.email);
    struct api_response r;
    CHECK_INT(invite_csv(&r, &coord, school, csv), 200);
    check_invited(r.json, 1, 0, "");
    api_free(&r);
    char *subject, *body, path[200] = "";
    if (!newest_mail(later.email, "school_invitation", &subject, &body))
        return;
    bool linked = mailed_path(body, "/invitations/schools/", path, sizeof(path));
    free(subject);
    free(body);
    snprintf(later.name, sizeof(later.name), "Lea Later");
    if (!linked || !post_as(&r, NULL, "/api/v1/auth/register",
                            json_pack("{s:s,s:s,s:s}", "email", later.email, "password", PEOPLE_PASSWORD, "name",
                                      later.name),
                            201))
        return;
    api_free(&r);
    CHECK_INT(invite_csv(&r, &coord, school, csv), 200);
    check_invited(r.json, 0, 1, "1");
    api_free(&r);
    CHECK_INT(mails_of(later.email, "school_invitation"), 1);
    api_request(&r, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Dear Lea Later,");
    api_free(&r);
}

/* A hold is not sent when the address is confirmed too late (past an
 * invitation's life), when its upload was undone (refused whole by the daily
 * limit: nothing was held), when the school has sent its day's worth by then,
 * or when its uploader no longer manages the school; each is gone once the
 * address is confirmed. */
TEST(a_held_invitation_past_its_life_undone_or_orphaned_is_not_sent)
{
    struct user old, undone, orphan, gone;
    if (!register_student_unconfirmed(&old, "ie-old") || !register_student_unconfirmed(&undone, "ie-undone") ||
        !register_student_unconfirmed(&orphan, "ie-orphan") ||
        !world_member_named(&staff, &gone, "ie-gone", "Gus Gone", "school_coordinator", school))
        return;
    char csv[800];
    struct api_response r;
    /* past its life */
    snprintf(csv, sizeof(csv), "Olga Old,%s,2027\n", old.email);
    CHECK_INT(invite_csv(&r, &coord, school, csv), 200);
    check_invited(r.json, 0, 1, "1");
    api_free(&r);
    CHECK_INT(api_db_int(db, "UPDATE school_invitation_holds SET created_at = created_at - "
                             LIMIT_TEXT(SCHOOL_INVITATION_DAYS) " * 86400 WHERE email = $1 RETURNING 1",
                         old.email, NULL),
              1);
    long long counted = invites_counted(school);
    if (!confirm_email(&old))
        return;
    CHECK_INT(mails_of(old.email, "school_invitation"), 0);
    CHECK_INT(holds_of(old.email), 0);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM school_invitations WHERE email = $1", old.email, NULL), 0);
    CHECK_INT(invites_counted(school), counted);
    /* undone: the other school has one email left today; a file that would send two is refused whole */
    char batch[64], now[24], a[160], b[160];
    crypto_random_id("sib_test_", batch, sizeof(batch));
    snprintf(now, sizeof(now), "%lld", (long long)clock_now());
    char *filler = api_db_text(db, "INSERT INTO school_invite_batches (id, organization_id, invited, created_at)"
                                   " SELECT CAST($1 AS TEXT), id, " LIMIT_TEXT(SCHOOL_INVITES_PER_DAY) " - 1, 0"
                                   " FROM organizations WHERE id = $2 RETURNING id",
                               batch, school_other, NULL);
    CHECK_STR(filler, batch);
    free(filler);
    CHECK_INT(api_db_int(db, "UPDATE school_invite_batches SET created_at = CAST($2 AS BIGINT) WHERE id = $1"
                             " RETURNING 1",
                         batch, now),
              1);
    api_unique_email(a, sizeof(a), "ie-undone-a");
    api_unique_email(b, sizeof(b), "ie-undone-b");
    snprintf(csv, sizeof(csv), "Ann A,%s,2027\nUma Undone,%s,2027\nBo B,%s,2027\n", a, undone.email, b);
    CHECK_INT(invite_csv(&r, &coord_other, school_other, csv), 429);
    api_free(&r);
    CHECK_INT(api_db_int(db, "DELETE FROM school_invite_batches WHERE id = $1 RETURNING 1", batch, NULL), 1);
    CHECK_INT(holds_of(undone.email), 0);
    if (!confirm_email(&undone))
        return;
    CHECK_INT(mails_of(undone.email, "school_invitation"), 0);
    CHECK_INT(mails_to(a) + mails_to(b), 0);
    /* over the limit: held, then the school sends its day's worth before the address is confirmed */
    struct user full;
    if (!register_student_unconfirmed(&full, "ie-full"))
        return;
    snprintf(csv, sizeof(csv), "Fay Full,%s,2027\n", full.email);
    CHECK_INT(invite_csv(&r, &coord_other, school_other, csv), 200);
    check_invited(r.json, 0, 1, "1");
    api_free(&r);
    filler = api_db_text(db, "INSERT INTO school_invite_batches (id, organization_id, invited, created_at)"
                             " SELECT CAST($1 AS TEXT), id, " LIMIT_TEXT(SCHOOL_INVITES_PER_DAY) ", 0"
                             " FROM organizations WHERE id = $2 RETURNING id",
                         batch, school_other, NULL);
    CHECK_STR(filler, batch);
    free(filler);
    CHECK_INT(api_db_int(db, "UPDATE school_invite_batches SET created_at = CAST($2 AS BIGINT) WHERE id = $1"
                             " RETURNING 1",
                         batch, now),
              1);
    bool confirmed = confirm_email(&full);
    CHECK_INT(api_db_int(db, "DELETE FROM school_invite_batches WHERE id = $1 RETURNING 1", batch, NULL), 1);
    if (!confirmed)
        return;
    CHECK_INT(mails_of(full.email, "school_invitation"), 0);
    CHECK_INT(holds_of(full.email), 0);
    /* orphaned: its uploader left the school before the address was confirmed */
    snprintf(csv, sizeof(csv), "Otto Orphan,%s,2027\n", orphan.email);
    CHECK_INT(invite_csv(&r, &gone, school, csv), 200);
    check_invited(r.json, 0, 1, "1");
    api_free(&r);
    CHECK_INT(api_db_int(db, "DELETE FROM memberships WHERE user_id = $1 AND organization_id = $2 RETURNING 1",
                         gone.id, school),
              1);
    if (!confirm_email(&orphan))
        return;
    CHECK_INT(mails_of(orphan.email, "school_invitation"), 0);
    CHECK_INT(holds_of(orphan.email), 0);
}

TEST(bad_school_invitation_requests_are_4xx_and_mail_nobody)
{
    char victim[160], csv[400], unknown_field[600], no_students[200], not_a_string[64];
    api_unique_email(victim, sizeof(victim), "ie-victim");
    snprintf(csv, sizeof(csv), "Vera Lind,%s,2027\n", victim);
    char *csv_body = json_text(json_pack("{s:s}", "csv", csv));
    char *extra_body = json_text(json_pack("{s:s,s:b}", "csv", csv, "send_now", 1));
    snprintf(unknown_field, sizeof(unknown_field), "%s", extra_body);
    snprintf(no_students, sizeof(no_students), "{\"csv\":\"name,email,graduation_year\\n\"}");
    snprintf(not_a_string, sizeof(not_a_string), "{\"csv\":7}");
    struct user student;
    if (!register_student(&student, "ie-nosy"))
        return;
    const struct {
        const struct user *by;
        const char *school_id, *body;
        long status;
        const char *code, *field;
    } bad[] = {
        {&coord, school, "{\"csv\":", 400, "invalid_json", NULL},
        {&coord, school, "{}", 400, "validation_failed", "csv"},
        {&coord, school, not_a_string, 400, "validation_failed", "csv"},
        {&coord, school, "{\"csv\":\"\"}", 400, "validation_failed", "csv"},
        {&coord, school, unknown_field, 400, "unknown_field", "send_now"},
        {&coord, school, no_students, 400, "validation_failed", "csv"},
        {&coord_other, school, csv_body, 404, "not_found", NULL},
        {&host_coord, school, csv_body, 404, "not_found", NULL},
        {&student, school, csv_body, 404, "not_found", NULL},
        {&coord, "org_no_such_school", csv_body, 404, "not_found", NULL},
        {&staff, host, csv_body, 404, "not_found", NULL}, /* a host is no school */
        {NULL, school, csv_body, 401, "unauthenticated", NULL},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char path[160];
        snprintf(path, sizeof(path), "/api/v1/schools/%s/invitations", bad[i].school_id);
        struct api_response r;
        call(&r, bad[i].by, "POST", path, bad[i].body);
        if (r.status != bad[i].status)
            printf("  case %zu\n", i);
        CHECK_PROBLEM(&r, bad[i].status, bad[i].code, bad[i].field);
        api_free(&r);
    }
    free(csv_body);
    free(extra_body);
    CHECK_INT(mails_to(victim), 0);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM school_invitations WHERE email = $1", victim, NULL), 0);
    /* A file of which no line is an invitation is refused (422) with every
     * line's problem, and changes nothing: no invitation, no email, no upload
     * counted against the daily limit, no audit line. */
    long long invitations = api_db_int(db, "SELECT COUNT(*) FROM school_invitations", NULL, NULL),
              outbox = api_db_int(db, "SELECT COUNT(*) FROM outbox", NULL, NULL),
              batches = api_db_int(db, "SELECT COUNT(*) FROM school_invite_batches", NULL, NULL),
              holds = api_db_int(db, "SELECT COUNT(*) FROM school_invitation_holds", NULL, NULL),
              audit = api_db_int(db, "SELECT COUNT(*) FROM audit_events WHERE object_id = $1", school, NULL);
    snprintf(csv, sizeof(csv), "name,email,graduation_year\nVera Lind,not-an-address,2027\nVera Lind,%s,19\n,,\n",
             victim);
    struct api_response r;
    CHECK_INT(invite_csv(&r, &coord, school, csv), 422);
    CHECK_PROBLEM(&r, 422, "unprocessable", "csv");
    json_t *problems = api_json_get(r.json, "problems");
    CHECK_INT(json_array_size(problems), 3);
    CHECK_INT(json_integer_value(json_object_get(json_array_get(problems, 0), "line")), 2);
    CHECK_STR(json_string_value(json_object_get(json_array_get(problems, 0), "message")), "the email is not valid");
    CHECK_INT(json_integer_value(json_object_get(json_array_get(problems, 1), "line")), 3);
    CHECK_INT(json_integer_value(json_object_get(json_array_get(problems, 2), "line")), 4);
    CHECK(api_json_get(r.json, "invited") == NULL);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM school_invitations", NULL, NULL), invitations);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM outbox", NULL, NULL), outbox);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM school_invite_batches", NULL, NULL), batches);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM school_invitation_holds", NULL, NULL), holds);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM audit_events WHERE object_id = $1", school, NULL), audit);
    CHECK_INT(mails_to(victim), 0);
    CHECK_INT(mails_to("not-an-address"), 0);
    /* A refused request holds nothing for an address not confirmed either. */
    struct user unconfirmed;
    if (register_student_unconfirmed(&unconfirmed, "ie-nosy-held")) {
        char held_csv[400], held_path[160];
        snprintf(held_csv, sizeof(held_csv), "Nia Held,%s,2027\n", unconfirmed.email);
        snprintf(held_path, sizeof(held_path), "/api/v1/schools/%s/invitations", school);
        const struct user *refused[] = {&coord_other, &host_coord, &student, &unconfirmed, NULL};
        for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
            char *held_body = json_text(json_pack("{s:s}", "csv", held_csv));
            call(&r, refused[i], "POST", held_path, held_body);
            CHECK_INT(r.status, refused[i] != NULL ? 404 : 401);
            api_free(&r);
            free(held_body);
        }
        char *extra = json_text(json_pack("{s:s,s:b}", "csv", held_csv, "send_now", 1));
        call(&r, &coord, "POST", held_path, extra);
        CHECK_PROBLEM(&r, 400, "unknown_field", "send_now");
        api_free(&r);
        free(extra);
        CHECK_INT(holds_of(unconfirmed.email), 0);
        if (confirm_email(&unconfirmed))
            CHECK_INT(mails_of(unconfirmed.email, "school_invitation"), 0);
    }
    /* A link that is not one: 404, whatever it looks like. */
    api_request(&r, "GET", "/invitations/schools/short", NULL, NULL);
    CHECK_INT(r.status, 404);
    api_free(&r);
    api_request(&r, "GET", "/invitations/schools/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, NULL);
    CHECK_INT(r.status, 404);
    api_free(&r);
}

/* ---- preceptor invitations ---- */

/* A preceptor record of the host with an address (email NULL: a bare one
 * made up here, into made when not NULL), named name; its id into id_out. */
static bool preceptor_record(const char *name, const char *email, char *made, char *id_out)
{
    char own[160];
    if (email == NULL) {
        api_unique_email(own, sizeof(own), "ie-prc");
        email = own;
    }
    if (made != NULL)
        snprintf(made, 160, "%s", email);
    struct world_preceptor_fields f = {name, "internal-medicine", "FL", "ME-300400", "ie-prc", email};
    return world_preceptor_record(&host_coord, host, NULL, &f, id_out);
}

static long invite_preceptor(struct api_response *r, const struct user *by, const char *id, const char *body)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/preceptors/%s/invitations", id);
    return call(r, by, "POST", path, body);
}

static long long preceptor_invitation_time(const char *id, bool expires)
{
    return expires ? api_db_int(db, "SELECT expires_at FROM preceptor_invitations WHERE preceptor_id = $1", id, NULL)
                   : api_db_int(db, "SELECT created_at FROM preceptor_invitations WHERE preceptor_id = $1", id, NULL);
}

TEST(a_preceptor_invitation_says_which_host_and_profile_with_one_link_ending_in_utc)
{
    char ines[160], kofi[160], ines_id[64], kofi_id[64];
    if (!preceptor_record("Dr Ines Duarte", NULL, ines, ines_id) ||
        !preceptor_record("Dr Kofi Mensah", NULL, kofi, kofi_id))
        return;
    struct api_response r;
    CHECK_INT(invite_preceptor(&r, &host_coord, ines_id, "{}"), 201);
    CHECK_STR(api_json_str(r.json, "sent_to"), ines);
    api_free(&r);
    CHECK_INT(invite_preceptor(&r, &host_coord, kofi_id, NULL), 201);
    api_free(&r);
    CHECK_INT(mails_of(ines, "preceptor_invitation"), 1);
    char *subject, *body, *kofi_subject, *kofi_body;
    if (!newest_mail(ines, "preceptor_invitation", &subject, &body))
        return;
    if (!newest_mail(kofi, "preceptor_invitation", &kofi_subject, &kofi_body)) {
        free(subject);
        free(body);
        return;
    }
    CHECK_STR(subject, "Link your Rounds account to your preceptor profile");
    char line[300];
    snprintf(line, sizeof(line), "\r\n  Host: \xe2\x80\x9c%s\xe2\x80\x9d\r\n", host_name);
    CHECK_CONTAINS(body, line);
    CHECK_CONTAINS(body, "\r\n  Preceptor profile: \xe2\x80\x9c" "Dr Ines Duarte\xe2\x80\x9d\r\n");
    CHECK_CONTAINS(body, "\r\n  Invited by: \xe2\x80\x9c" HOST_COORD_NAME "\xe2\x80\x9d\r\n");
    CHECK_CONTAINS(body, "so that you can review the applications to your rotations");
    CHECK_CONTAINS(kofi_body, "\r\n  Preceptor profile: \xe2\x80\x9c" "Dr Kofi Mensah\xe2\x80\x9d\r\n");
    char path[200] = "", kofi_path[200] = "";
    bool linked = mailed_path(body, "/invitations/preceptors/", path, sizeof(path)) &&
                  mailed_path(kofi_body, "/invitations/preceptors/", kofi_path, sizeof(kofi_path));
    CHECK(linked);
    CHECK_INT(strlen(path), strlen("/invitations/preceptors/") + 43);
    const char *after = strstr(body, "://");
    CHECK(after != NULL && strstr(after + 3, "://") == NULL);
    /* Works once, for 14 days; a bare address: UTC, said so. */
    long long expires = preceptor_invitation_time(ines_id, true);
    CHECK_INT(expires - preceptor_invitation_time(ines_id, false), (long long)PRECEPTOR_INVITATION_DAYS * 86400);
    check_end_in_utc_and_nothing_private(body, expires, "The link works once, until ", ". If you do not know this host",
                                         linked ? path : NULL, linked ? kofi_path : NULL, kofi, "Kofi",
                                         host_coord.email);
    free(subject);
    free(body);
    free(kofi_subject);
    free(kofi_body);
}

/* The doctor already has an account (in India): the email says the end on
 * that clock; the link, opened signed out, goes through the login and back
 * to the page that links the account. */
TEST(the_preceptor_link_leads_a_signed_out_doctor_through_login_back_to_linking)
{
    struct user doctor;
    if (!register_student(&doctor, "ie-doctor"))
        return;
    struct api_response r;
    call(&r, &doctor, "PATCH", "/api/v1/me", "{\"time_zone\":\"Asia/Kolkata\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    char id[64];
    if (!preceptor_record("Dr Meera Iyer", doctor.email, NULL, id))
        return;
    CHECK_INT(invite_preceptor(&r, &host_coord, id, "{}"), 201);
    api_free(&r);
    char *subject, *body, path[200], when[64], sentence[160];
    if (!newest_mail(doctor.email, "preceptor_invitation", &subject, &body))
        return;
    instant_words(preceptor_invitation_time(id, true), INDIA, "IST", when, sizeof(when));
    snprintf(sentence, sizeof(sentence), "The link works once, until %s.", when);
    CHECK_CONTAINS(body, sentence);
    bool linked = mailed_path(body, "/invitations/preceptors/", path, sizeof(path));
    free(subject);
    free(body);
    if (!linked)
        return;
    api_request(&r, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, host_name);
    CHECK_CONTAINS(r.body, "Dr Meera Iyer");
    CHECK(strstr(r.body, "Link my account") == NULL);
    char login[400] = "";
    memcpy(login, "/login?next=", 12); /* the page's own link, not the navigation's */
    CHECK(attribute_after(r.body, "href=\"/login?next=", login + 12, sizeof(login) - 12));
    api_free(&r);
    char location[600] = "", cookie[160] = "";
    if (!sign_in_through(&doctor, login, location, sizeof(location), cookie, sizeof(cookie)))
        return;
    CHECK_STR(location, path);
    const char *headers[] = {cookie, NULL};
    api_request(&r, "GET", location, headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Link my account");
    CHECK_CONTAINS(r.body, doctor.email);
    char accept[240];
    snprintf(accept, sizeof(accept), "%s/accept", path);
    struct api_response done;
    post_page_form(&done, cookie, accept, r.body);
    api_free(&r);
    CHECK_INT(done.status, 200);
    CHECK_CONTAINS(done.body, "Your account is linked");
    api_free(&done);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM preceptors WHERE id = $1 AND user_id = $2", id, doctor.id), 1);
}

TEST(bad_preceptor_invitation_requests_are_4xx_and_mail_nobody)
{
    char address[160], id[64];
    if (!preceptor_record("Dr Lena Berg", NULL, address, id))
        return;
    struct user student;
    if (!register_student(&student, "ie-prc-nosy"))
        return;
    const struct {
        const struct user *by;
        const char *id, *body;
        long status;
        const char *code, *field;
    } bad[] = {
        {&host_coord, id, "{\"to\":", 400, "invalid_json", NULL},
        {&host_coord, id, "{\"email\":\"someone@example.test\"}", 400, "unknown_field", "email"},
        {&host_coord_other, id, "{}", 404, "not_found", NULL},
        {&coord, id, "{}", 404, "not_found", NULL},
        {&student, id, "{}", 404, "not_found", NULL},
        {&host_coord, "prc_no_such_record", "{}", 404, "not_found", NULL},
        {NULL, id, "{}", 401, "unauthenticated", NULL},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct api_response r;
        invite_preceptor(&r, bad[i].by, bad[i].id, bad[i].body);
        if (r.status != bad[i].status)
            printf("  case %zu\n", i);
        CHECK_PROBLEM(&r, bad[i].status, bad[i].code, bad[i].field);
        api_free(&r);
    }
    CHECK_INT(mails_to(address), 0);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM preceptor_invitations WHERE preceptor_id = $1", id, NULL), 0);
    /* A record linked to an account already: 409, and its address gets nothing. */
    struct user member;
    char linked_id[64];
    if (!world_member_named(&staff, &member, "ie-member", "Dr Sami Haddad", "preceptor", host))
        return;
    struct world_preceptor_fields f = {"Dr Sami Haddad", "internal-medicine", "FL", "ME-300401", "ie-prc", NULL};
    if (!world_preceptor_record(&host_coord, host, member.id, &f, linked_id))
        return;
    char *linked_address = api_db_text(db, "SELECT email FROM preceptors WHERE id = $1", linked_id, NULL, NULL);
    struct api_response r;
    invite_preceptor(&r, &host_coord, linked_id, "{}");
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    CHECK(linked_address != NULL && mails_to(linked_address) == 0);
    free(linked_address);
    /* A link that is not one: the page says so. */
    api_request(&r, "GET", "/invitations/preceptors/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, NULL);
    CHECK_INT(r.status, 404);
    CHECK_CONTAINS(r.body, "This invitation link is not valid");
    api_free(&r);
}

/* ---- match placements ---- */

/* s registers, is invited by the school and accepts through the API. */
static bool joined_student(struct user *s, const char *prefix, const char *name)
{
    if (!register_student(s, prefix))
        return false;
    char csv[400], *subject = NULL, *body = NULL, path[200];
    snprintf(csv, sizeof(csv), "%s,%s,2027\n", name, s->email);
    struct api_response r;
    bool ok = invite_csv(&r, &coord, school, csv) == 200;
    api_free(&r);
    ok = ok && newest_mail(s->email, "school_invitation", &subject, &body) &&
         mailed_path(body, "/invitations/schools/", path, sizeof(path));
    free(subject);
    free(body);
    if (!ok)
        return false;
    ok = post_as(&r, s, "/api/v1/school-invitations/accept", json_pack("{s:s}", "token", token_of(path)), 200);
    api_free(&r);
    return ok;
}

static bool round_post(const struct user *u, const char *round, const char *what, const char *body, long want)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/match-rounds/%s%s", round, what);
    struct api_response r;
    call(&r, u, "POST", path, body);
    bool ok = r.status == want;
    if (!ok)
        TEST_FAILF("POST %s answered %ld, expected %ld: %.300s", path, r.status, want, r.body);
    api_free(&r);
    return ok;
}

static bool round_put(const struct user *u, const char *round, const char *what, const char *body)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/match-rounds/%s%s", round, what);
    struct api_response r;
    call(&r, u, "PUT", path, body);
    bool ok = r.status == 200;
    if (!ok)
        TEST_FAILF("PUT %s answered %ld: %.300s", path, r.status, r.body);
    api_free(&r);
    return ok;
}

/* A draft round of the school over the students (ids as JSON), its id into out. */
static bool new_round(const char *ids_json, char *out)
{
    char deadline[11];
    clock_date_from_days(clock_today_days() + 10, deadline);
    json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "school_id", school, "name", ROUND_NAME, "mode", "one",
                             "deadline", deadline, "seed", "invitation-emails", "student_ids",
                             json_loads(ids_json, 0, NULL));
    return create_object(&coord, "/api/v1/match-rounds", body, out);
}

/* What a placed student is told: the notice's title (the email's subject),
 * its link, and the email's lines. */
static void check_placed(const struct user *s, const char *round, const char *start, const char *end, int offset,
                         const char *abbreviation, const struct user *other)
{
    char *app = api_db_text(db, "SELECT id FROM applications WHERE match_round_id = $1 AND student_id = $2", round,
                            s->id, NULL);
    if (app == NULL) {
        TEST_FAILF("%s has no application from the round", s->email);
        return;
    }
    long long expires = api_db_int(db, "SELECT offer_expires_at FROM applications WHERE id = $1", app, NULL);
    char when[64], start_words[CLOCK_DATE_WORDS_SIZE], end_words[CLOCK_DATE_WORDS_SIZE], expected[600], link[120];
    instant_words(expires, offset, abbreviation, when, sizeof(when));
    snprintf(expected, sizeof(expected),
             "You were placed in " OFFERING_TITLE " at %s, %s to %s: accept the offer by %s to hold the seat",
             host_name, clock_date_words(start, start_words), clock_date_words(end, end_words), when);
    snprintf(link, sizeof(link), "/applications/%s", app);
    char *title, *notice_link;
    notice_of(s->id, "match_placed", &title, &notice_link);
    CHECK_STR(title, expected);
    CHECK_STR(notice_link, link);
    free(title);
    free(notice_link);
    CHECK_INT(mails_of(s->email, "match_placed"), 1);
    char *subject, *body;
    if (newest_mail(s->email, "match_placed", &subject, &body)) {
        CHECK_STR(subject, expected);
        char line[700];
        snprintf(line, sizeof(line), "The match round \xe2\x80\x9c" ROUND_NAME "\xe2\x80\x9d of %s placed you:\r\n",
                 school_name);
        CHECK_CONTAINS(body, line);
        snprintf(line, sizeof(line),
                 "\r\n  Rotation: " OFFERING_TITLE "\r\n  Host: %s\r\n  Dates: %s to %s\r\n  Accept by: %s\r\n",
                 host_name, start_words, end_words, when);
        CHECK_CONTAINS(body, line);
        snprintf(line, sizeof(line), "\r\nOpen it in Rounds: %s%s\r\n", PUBLIC_URL, link);
        CHECK_CONTAINS(body, line);
        char *other_app = api_db_text(db, "SELECT id FROM applications WHERE match_round_id = $1 AND student_id = $2",
                                      round, other->id, NULL);
        const char *others[] = {other->email, other->name, other_app != NULL ? other_app : "", NULL};
        check_nothing_private(body, others);
        free(other_app);
        free(subject);
        free(body);
    }
    free(app);
}

/* Two of three students are placed (the host's list names them); the one in
 * India reads the deadline on her clock, the other in UTC; the third is told
 * where to see why. Each link, opened signed out, leads through the login
 * back to what it is about; publishing again is refused and mails nobody. */
TEST(a_placed_student_is_told_what_where_when_and_until_when)
{
    struct user india, plain, third;
    if (!joined_student(&india, "ie-placed-in", "Ira Placed") ||
        !joined_student(&plain, "ie-placed-utc", "Pat Placed") ||
        !joined_student(&third, "ie-unplaced", "Tess Unplaced"))
        return;
    struct api_response r;
    call(&r, &india, "PATCH", "/api/v1/me", "{\"time_zone\":\"Asia/Kolkata\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    char start[11], end[11], block[64], path[160];
    clock_date_from_days(clock_today_days() + 40, start);
    clock_date_from_days(clock_today_days() + 67, end);
    snprintf(path, sizeof(path), "/api/v1/offerings/%s/blocks", offering);
    if (!create_object(&host_coord, path, json_pack("{s:s,s:s,s:i}", "start", start, "end", end, "seats", 3), block))
        return;
    char ids[400], round[64], body[300];
    snprintf(ids, sizeof(ids), "[\"%s\",\"%s\",\"%s\"]", india.id, plain.id, third.id);
    if (!new_round(ids, round))
        return;
    snprintf(body, sizeof(body), "{\"block_id\":\"%s\",\"seats\":2}", block);
    if (!round_post(&coord, round, "/blocks", body, 201) || !round_post(&coord, round, "/open", "{}", 200))
        return;
    snprintf(body, sizeof(body), "{\"block_ids\":[\"%s\"]}", block);
    const struct user *cohort[] = {&india, &plain, &third};
    for (size_t i = 0; i < 3; i++)
        if (!round_put(cohort[i], round, "/ranking", body))
            return;
    snprintf(body, sizeof(body), "{\"type\":\"list\",\"order\":[\"%s\",\"%s\"]}", india.id, plain.id);
    char what[120];
    snprintf(what, sizeof(what), "/blocks/%s/ranking", block);
    if (!round_put(&host_coord, round, what, body) || !round_post(&coord, round, "/run", "{}", 200) ||
        !round_post(&coord, round, "/publish", "{}", 200))
        return;
    check_placed(&india, round, start, end, INDIA, "IST", &plain);
    check_placed(&plain, round, start, end, 0, "UTC", &india);
    /* The third: not placed, told where to see why; no placement email. */
    char *title, *link, round_link[120], expected[400];
    snprintf(round_link, sizeof(round_link), "/rounds/%s", round);
    notice_of(third.id, "match_unplaced", &title, &link);
    CHECK_STR(title, "You were not placed in " ROUND_NAME ": see why and what is open");
    CHECK_STR(link, round_link);
    free(title);
    free(link);
    CHECK_INT(mails_of(third.email, "match_placed"), 0);
    char *subject, *mail;
    if (newest_mail(third.email, "match_unplaced", &subject, &mail)) {
        CHECK_STR(subject, "You were not placed in " ROUND_NAME ": see why and what is open");
        snprintf(expected, sizeof(expected), "\r\nOpen it in Rounds: %s%s\r\n", PUBLIC_URL, round_link);
        CHECK_CONTAINS(mail, expected);
        free(subject);
        free(mail);
    }
    /* The links, opened signed out. */
    char *app = api_db_text(db, "SELECT id FROM applications WHERE match_round_id = $1 AND student_id = $2", round,
                            india.id, NULL);
    char app_path[120];
    snprintf(app_path, sizeof(app_path), "/applications/%s", app != NULL ? app : "none");
    free(app);
    const char *placed_page[] = {OFFERING_TITLE, host_name, "Accept the offer", NULL};
    follow_signed_out(&india, app_path, placed_page);
    const char *round_page[] = {ROUND_NAME, NULL};
    follow_signed_out(&third, round_link, round_page);
    /* Someone else who follows the link does not see the placement. */
    const char *plain_headers[] = {plain.cookie, NULL};
    api_request(&r, "GET", app_path, plain_headers, NULL);
    CHECK_INT(r.status, 404);
    CHECK(r.body != NULL && strstr(r.body, india.name) == NULL);
    api_free(&r);
    /* Published is final: publishing again (or by someone else) is refused, and nobody is mailed again. */
    round_post(&coord, round, "/publish", "{}", 409);
    round_post(&coord_other, round, "/publish", "{}", 404);
    round_post(&india, round, "/publish", "{}", 404);
    CHECK_INT(mails_of(india.email, "match_placed"), 1);
    CHECK_INT(mails_of(plain.email, "match_placed"), 1);
    CHECK_INT(mails_of(third.email, "match_unplaced"), 1);
}

/* The moves that send a round's emails, refused: 4xx, nobody is mailed or told. */
TEST(refused_round_moves_are_4xx_and_mail_nobody)
{
    struct user s;
    if (!joined_student(&s, "ie-round-refused", "Rae Refused"))
        return;
    char ids[120], round[64];
    snprintf(ids, sizeof(ids), "[\"%s\"]", s.id);
    if (!new_round(ids, round))
        return;
    const struct {
        const struct user *by;
        const char *what;
        long status;
        const char *code;
    } bad[] = {
        {&coord, "/open", 409, "invalid_transition"}, /* no block yet */
        {&coord, "/publish", 409, "invalid_transition"},
        {&coord, "/run", 409, "invalid_transition"},
        {&coord_other, "/open", 404, "not_found"},
        {&s, "/open", 404, "not_found"},
        {&host_coord, "/publish", 404, "not_found"},
        {NULL, "/open", 401, "unauthenticated"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char path[200];
        snprintf(path, sizeof(path), "/api/v1/match-rounds/%s%s", round, bad[i].what);
        struct api_response r;
        call(&r, bad[i].by, "POST", path, "{}");
        if (r.status != bad[i].status)
            printf("  case %zu\n", i);
        CHECK_PROBLEM(&r, bad[i].status, bad[i].code, NULL);
        api_free(&r);
    }
    struct api_response r;
    call(&r, &coord, "POST", "/api/v1/match-rounds/mr_no_such_round/open", "{}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    char *status = api_db_text(db, "SELECT status FROM match_rounds WHERE id = $1", round, NULL, NULL);
    CHECK_STR(status, "draft");
    free(status);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1 AND kind LIKE 'match%'", s.email,
                         NULL),
              0);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind LIKE 'match%'", s.id,
                         NULL),
              0);
}

/* ---- the suite ---- */

static bool setup(void)
{
    if (!world_staff(&server, &db, &staff, "ie-staff", "Invitation emails"))
        return false;
    long pid = (long)getpid();
    long long now = (long long)time(NULL);
    snprintf(school_name, sizeof(school_name), "Harbour View School of Medicine %ld-%lld", pid, now);
    snprintf(host_name, sizeof(host_name), "Lakeshore Teaching Hospital %ld-%lld", pid, now);
    if (!world_org(&staff, "school", school, "%s", school_name) ||
        !world_org(&staff, "school", school_other, "Other Bay Medical University %ld-%lld", pid, now) ||
        !world_org(&staff, "host", host, "%s", host_name) ||
        !world_org(&staff, "host", host_other, "Other Valley Clinic %ld-%lld", pid, now))
        return false;
    if (!world_member_named(&staff, &coord, "ie-coord", COORD_NAME, "school_coordinator", school) ||
        !world_member_named(&staff, &coord_other, "ie-coord-other", "Olu Other", "school_coordinator",
                            school_other) ||
        !world_member_named(&staff, &host_coord, "ie-host", HOST_COORD_NAME, "host_coordinator", host) ||
        !world_member_named(&staff, &host_coord_other, "ie-host-other", "Hana Other", "host_coordinator",
                            host_other))
        return false;
    static const struct world_place place = {"Main", NULL, "Tampa", "FL", "33601"};
    static const struct world_preceptor_fields lima = {"Dr Rosa Lima", "internal-medicine", "FL", "ME-100200",
                                                       "ie-lima", NULL};
    if (!world_site(&staff, host, &place, site) || !world_preceptor_record(&staff, host, NULL, &lima, record))
        return false;
    json_t *body = world_observership_body(host, site, record, OFFERING_TITLE);
    json_object_set_new(body, "eligibility",
                        json_pack("{s:b,s:b,s:b,s:[]}", "students_allowed", 1, "graduates_allowed", 1,
                                  "step1_required", 0, "visa_kinds"));
    return create_object(&host_coord, "/api/v1/offerings", body, offering);
}

static void run_tests(void)
{
    API_RUN(a_school_invitation_says_who_invites_whom_with_one_link_ending_in_utc);
    API_RUN(the_school_link_leads_a_signed_out_student_through_login_back_to_joining);
    API_RUN(an_invited_account_reads_the_end_in_its_zone_and_a_notice);
    API_RUN(a_line_for_an_unconfirmed_account_is_held_and_sent_when_the_address_is_confirmed);
    API_RUN(a_held_invitation_is_sent_when_a_password_reset_proves_the_address);
    API_RUN(a_bare_address_invited_then_registered_keeps_its_link_while_held);
    API_RUN(a_held_invitation_past_its_life_undone_or_orphaned_is_not_sent);
    API_RUN(bad_school_invitation_requests_are_4xx_and_mail_nobody);
    API_RUN(a_preceptor_invitation_says_which_host_and_profile_with_one_link_ending_in_utc);
    API_RUN(the_preceptor_link_leads_a_signed_out_doctor_through_login_back_to_linking);
    API_RUN(bad_preceptor_invitation_requests_are_4xx_and_mail_nobody);
    API_RUN(a_placed_student_is_told_what_where_when_and_until_when);
    API_RUN(refused_round_moves_are_4xx_and_mail_nobody);
}

static void finish(void)
{
    db_close(db);
}

int main(void)
{
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--public-url", PUBLIC_URL,
                                        NULL};
    static const struct api_suite suite = {
        .name = "api-invitation-emails", .server = &server, .flags = flags, .setup = setup,
        .setup_what = "setting up schools, hosts and an offering", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
