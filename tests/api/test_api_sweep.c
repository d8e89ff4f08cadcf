/* test_api_sweep.c — the security baseline checked across every route, driven
 * by the route table (src/routes.c) and tests/openapi/routes.txt. Two
 * parallel worlds (two hosts with a coordinator and a preceptor each, two
 * students under way with their documents, letters, tickets, hours, saved
 * searches and messages, two schools, an agreement, a match round), then:
 *
 *   - every API route with an id, called by the other party of the owner's
 *     role: 404, nothing changed (a reply that an id naming nothing gets too
 *     came from a check before the owner's, and fails: the call must reach
 *     the object); the same for the pages of those objects;
 *   - anonymous callers: 401 problem (pages: to /login, or 403 for a form);
 *   - every JSON body route: malformed JSON, non-objects, an unknown field,
 *     each field of its spec with the wrong type and over its length, a field
 *     twice, another media type and a body over its cap, each a 4xx problem
 *     naming what API.md says, and no table changed (digests of every row);
 *   - garbage in path ids and query parameters: a 4xx, never a 5xx;
 *   - a browser session writing to the API without the CSRF token: 403;
 *   - world B's lists and pages, filtered by world A's ids, show none of A;
 *   - page forms: no CSRF token → 403 and no change; garbage → never a 5xx;
 *   - bodies the spec accepts with every field at an edge: never a 5xx.
 *
 * A routes.txt route with an id in its path and neither a fixture here nor a
 * reasoned entry in id_skips fails the suite: a new route joins the sweep.
 * The server runs without its jobs timer, so the database changes only by
 * the requests the suite sends. */
#define PEOPLE_PASSWORD "sweep-Pass-2026-long!"

#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "api_rotation_world.h"
#include "api_suite.h"
#include "api/request_specs.h"
#include "lib/json_spec.h"
#include "routes.h"
#include "test.h"

static struct api_server server;
static struct world W;

/* ---- the two worlds ---- */

static struct user student_a, student_b, student_leaving, school_coord_a, school_coord_b;
static char app_a[64], app_b[64], doc_a[64], doc_b[64], letter_a[64], letter_b[64], ticket_a[64], ticket_b[64];
static char hours_a[64], hours_b[64], search_a[64], search_b[64], notice_a[64], requirement_a[64];
static char block_a[64], block_b[64], deletion_a[64], school_a[64], school_b[64], agreement_a[64];
static char round_a[64];

/* ---- fixtures: a route with an object id, the object's owner and the other party ---- */

enum visibility {
    PRIVATE, /* the other party must get 404, as if it did not exist */
    LISTED,  /* the object is public (catalog): a write by the other party gets 403 or 404 */
};

struct fixture {
    const char *method, *pattern;
    char path[320];
    const struct user *owner, *other;
    enum visibility visibility;
    const char *body; /* what a write sends: NULL for the route's required fields, each valid per its spec */
};

enum { FIXTURE_MAX = 200 };
static struct fixture fixtures[FIXTURE_MAX];
static size_t fixture_count;

static void fixture_add(const char *method, const char *pattern, const struct user *owner, const struct user *other,
                        enum visibility visibility, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void fixture_add(const char *method, const char *pattern, const struct user *owner, const struct user *other,
                        enum visibility visibility, const char *fmt, ...)
{
    if (fixture_count == FIXTURE_MAX) {
        TEST_FAILF("more than %d fixtures", FIXTURE_MAX);
        return;
    }
    struct fixture *f = &fixtures[fixture_count++];
    f->method = method;
    f->pattern = pattern;
    f->owner = owner;
    f->other = other;
    f->visibility = visibility;
    va_list args;
    va_start(args, fmt);
    vsnprintf(f->path, sizeof(f->path), fmt, args);
    va_end(args);
}

/* The body every fixture of method pattern sends: one the handler accepts,
 * so that its reply can only come from the object's owner check. */
static void fixture_body(const char *method, const char *pattern, const char *body)
{
    for (size_t i = 0; i < fixture_count; i++)
        if (strcmp(fixtures[i].method, method) == 0 && strcmp(fixtures[i].pattern, pattern) == 0)
            fixtures[i].body = body;
}

/* Routes with an id in the path that the cross-party sweep leaves out, and why. */
struct skip {
    const char *route, *why;
};

static const struct skip id_skips[] = {
    {"GET /calendar/{token}", "the segment is a secret token, not an object id (test_api_rotation: unknown → 404)"},
    {"GET /api/v1/offerings/{id}", "the catalog is public: anyone may read an offering"},
    {"GET /api/v1/sites/{id}", "the catalog is public: anyone may read a site"},
    {"GET /api/v1/preceptors/{id}", "the catalog is public: anyone may read a preceptor's record"},
    {"GET /api/v1/offerings/{id}/reviews", "published reviews are public"},
    {"PUT /api/v1/favourites/{id}", "the id names a public offering; the favourite is the caller's own"},
    {"DELETE /api/v1/favourites/{id}", "the id names a public offering; the favourite is the caller's own"},
    {"POST /api/v1/blocks/{id}/waitlist", "the id names a public block; the waitlist entry is the caller's own"},
    {"DELETE /api/v1/blocks/{id}/waitlist", "the id names a public block; the waitlist entry is the caller's own"},
    {"POST /api/v1/schools/{id}/join", "a student asks to join any school by its public id"},
    {"POST /api/v1/deletion-requests/{id}/complete", "staff only: no other party of the role"},
    {"POST /api/v1/users/{id}/two-factor/reset", "staff only: no other party of the role"},
    {"POST /api/v1/preceptors/{id}/verify", "staff only: no other party of the role"},
    {"POST /api/v1/documents/{id}/verify", "staff only: no other party of the role"},
    {"POST /api/v1/documents/{id}/reject", "staff only: no other party of the role"},
    {"POST /api/v1/refunds/{id}/sent", "staff only: no other party of the role"},
    {"POST /api/v1/applications/{id}/refunds",
     "staff only (goodwill refunds), on any application: no other party of the role (test_api_money: the "
     "student and the host coordinator get 403)"},
    {"PUT /api/v1/students/{id}/coach", "staff only: no other party of the role"},
    {"POST /api/v1/certificates/{number}/revoke", "staff only: no other party of the role"},
    {"GET /api/v1/certificates/{number}", "needs a completed rotation (test_api_certificates checks other parties)"},
    {"GET /api/v1/certificates/{number}/pdf", "needs a completed rotation (test_api_certificates checks other parties)"},
    {"GET /api/v1/verify/{number}", "public verification page by design (API.md: /verify/{number})"},
    {"POST /api/v1/reviews/{id}/reply", "needs a completed, reviewed rotation (test_api_evaluations)"},
    {"POST /api/v1/reviews/{id}/hide", "staff only: no other party of the role"},
    {"GET /api/v1/applications/{id}/messages/{message}/attachment",
     "needs a message with an attachment; the application id is checked first like the other message routes"},
    {"POST /api/v1/letters/{id}/upload", "multipart upload by the author (test_api_letters checks other parties)"},
    {"POST /api/v1/agreements/{id}/activate", "multipart upload (test_api_agreements checks other parties)"},
    {"GET /api/v1/agreements/{id}/file", "needs an activated agreement (test_api_agreements checks other parties)"},
    {"POST /api/v1/match-rounds/{id}/blocks", "needs a host block in the round (test_api_schools)"},
    {"DELETE /api/v1/match-rounds/{id}/blocks/{block_id}", "needs a block in the round (test_api_schools)"},
    {"PUT /api/v1/match-rounds/{id}/blocks/{block_id}/ranking", "needs a block in the round (test_api_schools)"},
    {"GET /api/v1/schools/{id}/students/{student_id}", "needs a school's member student (test_api_schools)"},
    {"POST /api/v1/schools/{id}/students/{student_id}/{action}", "needs a school's member student (test_api_schools)"},
    {"POST /api/v1/me/schools/{id}/leave", "the caller's own membership: no other party"},
};

static const char *skip_reason(const struct skip *list, size_t n, const char *route)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].route, route) == 0)
            return list[i].why;
    return NULL;
}

/* JSON routes whose bodies the malformed-input sweep leaves out, and why. */
static const struct skip body_skips[] = {
    {"POST /api/v1/test/clock", "a test hook (--test-hooks 1), not part of the product"},
    {"POST /api/v1/test/jobs", "a test hook (--test-hooks 1), not part of the product"},
};

/* ---- the route table ---- */

static unsigned method_bit(const char *method)
{
    return http_method_parse(method, strlen(method));
}

static const struct route *route_find(const char *method, const char *pattern)
{
    unsigned bit = method_bit(method);
    for (size_t i = 0; i < rounds_route_count; i++)
        if ((rounds_routes[i].methods & bit) && strcmp(rounds_routes[i].pattern, pattern) == 0)
            return &rounds_routes[i];
    return NULL;
}

static const struct fixture *fixture_find(const char *method, const char *pattern)
{
    for (size_t i = 0; i < fixture_count; i++)
        if (strcmp(fixtures[i].method, method) == 0 && strcmp(fixtures[i].pattern, pattern) == 0)
            return &fixtures[i];
    return NULL;
}

/* ---- bodies made from a route's field spec ---- */

static json_t *valid_value(const struct json_field *f);

static json_t *valid_object(const struct json_field *spec)
{
    json_t *o = json_object();
    for (size_t i = 0; spec != NULL && spec[i].name != NULL; i++)
        if (spec[i].flags & JSON_REQUIRED)
            json_object_set_new(o, spec[i].name, valid_value(&spec[i]));
    return o;
}

/* A value of the field's type within its range: it passes the spec, whatever the handler thinks of it. */
static json_t *valid_value(const struct json_field *f)
{
    char text[64];
    size_t n = f->min > 0 ? (size_t)f->min : 1;
    switch (f->type) {
    case JSON_FIELD_STRING:
    case JSON_FIELD_TEXT:
        if (n >= sizeof(text))
            n = sizeof(text) - 1;
        memset(text, 'a', n);
        text[n] = '\0';
        return json_string(text);
    case JSON_FIELD_EMAIL: return json_string("sweep@example.org");
    case JSON_FIELD_INT: return json_integer(f->min);
    case JSON_FIELD_HUNDREDTHS: return json_real((double)f->min / 100.0);
    case JSON_FIELD_BOOL: return json_false();
    case JSON_FIELD_ENUM: return json_string(f->values[0]);
    case JSON_FIELD_DATE: return json_string("2031-01-15");
    case JSON_FIELD_STRING_ARRAY:
    case JSON_FIELD_ENUM_ARRAY:
    case JSON_FIELD_OBJECT_ARRAY: return json_array();
    case JSON_FIELD_OBJECT: return valid_object(f->fields);
    }
    return json_null();
}

/* A value of another type than the field takes. */
static json_t *wrong_value(const struct json_field *f)
{
    switch (f->type) {
    case JSON_FIELD_STRING:
    case JSON_FIELD_TEXT:
    case JSON_FIELD_EMAIL:
    case JSON_FIELD_ENUM:
    case JSON_FIELD_DATE: return json_integer(12345);
    case JSON_FIELD_INT:
    case JSON_FIELD_HUNDREDTHS: return json_string("12");
    case JSON_FIELD_BOOL: return json_string("true");
    case JSON_FIELD_STRING_ARRAY:
    case JSON_FIELD_ENUM_ARRAY:
    case JSON_FIELD_OBJECT_ARRAY:
    case JSON_FIELD_OBJECT: return json_string("x");
    }
    return json_null();
}

/* The required fields before spec[upto] (valid), then spec[upto] = value. */
static char *body_with(const struct json_field *spec, size_t upto, json_t *value)
{
    json_t *o = json_object();
    for (size_t i = 0; i < upto; i++)
        if (spec[i].flags & JSON_REQUIRED)
            json_object_set_new(o, spec[i].name, valid_value(&spec[i]));
    json_object_set_new(o, spec[upto].name, value);
    return json_text(o);
}

static bool spec_is_empty(const struct json_field *spec)
{
    return spec != NULL && spec[0].name == NULL;
}

/* ---- what the database holds ---- */

/* One table and the SQL that reads each row as one text (kept for the run:
 * statements are cached by the address of their SQL). */
struct table_reader {
    char *name, *sql;
};

enum { TABLES_MAX = 160 };
static struct table_reader tables[TABLES_MAX];
static size_t table_count;

/* Tables that change on any request and say nothing about the objects:
 * sessions (last seen), rate counters, and the audit trail, which records
 * each refused attempt by design (http_reply_error audits every 403, and
 * handlers audit a refused object); snapshot_unchanged checks that only
 * such "forbidden" rows were added to it. */
static bool volatile_table(const char *name)
{
    static const char *const names[] = {"sessions", "rate_events", "schema_migrations", "audit_events", NULL};
    for (size_t i = 0; names[i] != NULL; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

static bool tables_load(struct db_conn *db)
{
    bool pg = strcmp(db_backend_name(db), "postgres") == 0;
    const char *list_sql =
        pg ? "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
           : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
    struct db_stmt *st = db_prepare(db, list_sql);
    while (st != NULL && db_step(st) == DB_ROW && table_count < TABLES_MAX) {
        const char *name = db_column_text(st, 0);
        if (name != NULL && !volatile_table(name))
            tables[table_count++].name = strdup(name);
    }
    if (st != NULL)
        db_reset(st);
    const char *columns_sql = pg ? "SELECT column_name FROM information_schema.columns WHERE table_name = $1"
                                   " AND table_schema = current_schema() ORDER BY ordinal_position"
                                 : "SELECT name FROM pragma_table_info($1) ORDER BY cid";
    for (size_t t = 0; t < table_count; t++) {
        /* SELECT '' || '|' || COALESCE(CAST("a" AS TEXT), '~') || … FROM "t": one text per row. */
        char sql[8192];
        size_t len = (size_t)snprintf(sql, sizeof(sql), "SELECT ''");
        st = db_prepare(db, columns_sql);
        db_bind_text(st, 1, tables[t].name);
        while (db_step(st) == DB_ROW && len < sizeof(sql) - 200)
            len += (size_t)snprintf(sql + len, sizeof(sql) - len, " || '|' || COALESCE(CAST(\"%s\" AS TEXT), '~')",
                                    db_column_text(st, 0));
        db_reset(st);
        snprintf(sql + len, sizeof(sql) - len, " FROM \"%s\"", tables[t].name);
        tables[t].sql = strdup(sql);
    }
    return table_count > 0;
}

/* A digest of each table (the rows' texts hashed and added: order does not count). */
struct snapshot {
    uint64_t digest[TABLES_MAX];
    long long audit_last; /* the newest audit_events id */
};

static void snapshot_take(struct snapshot *s)
{
    memset(s, 0, sizeof(*s));
    for (size_t t = 0; t < table_count; t++) {
        struct db_stmt *st = db_prepare(W.db, tables[t].sql);
        uint64_t sum = 0;
        while (st != NULL && db_step(st) == DB_ROW) {
            const char *row = db_column_text(st, 0);
            unsigned char h[8];
            crypto_generichash(h, sizeof(h), (const unsigned char *)(row ? row : ""), row ? strlen(row) : 0, NULL, 0);
            uint64_t v;
            memcpy(&v, h, sizeof(v));
            sum += v;
        }
        if (st != NULL)
            db_reset(st);
        s->digest[t] = sum;
    }
    s->audit_last = api_db_int(W.db, "SELECT COALESCE(MAX(id), 0) FROM audit_events", NULL, NULL);
}

/* A failed check naming each table that changed between before and now. */
static void snapshot_unchanged(const struct snapshot *before, const char *what)
{
    struct snapshot now;
    snapshot_take(&now);
    for (size_t t = 0; t < table_count; t++)
        if (now.digest[t] != before->digest[t])
            TEST_FAILF("%s changed the table %s", what, tables[t].name);
    char last[32];
    snprintf(last, sizeof(last), "%lld", before->audit_last);
    char *action = api_db_text(W.db, "SELECT action FROM audit_events WHERE id > CAST($1 AS BIGINT)"
                                     " AND action <> 'forbidden' ORDER BY id LIMIT 1",
                               last, NULL, NULL);
    if (action != NULL)
        TEST_FAILF("%s added the audit event %s", what, action);
    free(action);
}

/* ---- requests ---- */

static long send_as(struct api_response *r, const struct user *u, const char *method, const char *path,
                    const char *content_type, const char *body, size_t len)
{
    char ct[128];
    snprintf(ct, sizeof(ct), "Content-Type: %s", content_type != NULL ? content_type : "application/json");
    const char *auth = u != NULL ? u->auth : NULL;
    const char *with_body[] = {ct, auth, NULL}, *without[] = {auth, NULL};
    struct api_raw_request rq = {method, path, body != NULL ? with_body : without, body, len, true};
    return api_send(r, &rq);
}

/* A reply in the problem+json shape of API.md with a 4xx status. */
static bool problem_4xx(const struct api_response *r, const char *what)
{
    const char *ct = api_header(r, "content-type");
    bool ok = r->status >= 400 && r->status < 500 && ct != NULL && strstr(ct, "application/problem+json") != NULL &&
              json_is_object(r->json) && api_json_str(r->json, "type") != NULL &&
              api_json_str(r->json, "title") != NULL && api_json_str(r->json, "code") != NULL &&
              api_json_str(r->json, "detail") != NULL && api_json_int(r->json, "status", -1) == r->status &&
              json_object_get(r->json, "field") != NULL;
    if (!ok)
        TEST_FAILF("%s answered %ld (%s) instead of a 4xx problem: %.300s", what, r->status, ct ? ct : "no type",
                   r->body);
    return ok;
}

static void expect_problem(const struct api_response *r, const char *what, long status, const char *code,
                           const char *field)
{
    if (!problem_4xx(r, what))
        return;
    const char *got_code = api_json_str(r->json, "code");
    const char *got_field = api_json_str(r->json, "field");
    if (r->status != status || (code != NULL && strcmp(got_code, code) != 0) ||
        (field != NULL && (got_field == NULL || strcmp(got_field, field) != 0)))
        TEST_FAILF("%s answered %ld %s field %s, expected %ld %s field %s", what, r->status, got_code,
                   got_field ? got_field : "null", status, code ? code : "*", field ? field : "*");
}

/* ---- setting the worlds up ---- */

/* The id of a POST's reply (u posts body text to path, expecting 201). */
static bool create_text(const struct user *u, const char *path, const char *body, char *id_out)
{
    struct api_response r;
    world_call(&r, u, "POST", path, body);
    bool ok = r.status == 201 && api_json_str(r.json, "id") != NULL;
    if (ok)
        snprintf(id_out, 64, "%s", api_json_str(r.json, "id"));
    else
        TEST_FAILF("POST %s answered %ld: %.300s", path, r.status, r.body);
    api_free(&r);
    return ok;
}

static bool create_json(const struct user *u, const char *path, json_t *body, char *id_out)
{
    char *text = json_text(body);
    bool ok = create_text(u, path, text, id_out);
    free(text);
    return ok;
}

/* One student's own things: an application under way on offering, a
 * document, a letter request, a ticket, an hours entry, a saved search and
 * a message. */
static bool student_things(struct user *s, const char *app, char *doc, char *letter, char *ticket, char *hours,
                           char *search)
{
    char hours_path[160], messages_path[160], date[11];
    world_date(30, date);
    snprintf(hours_path, sizeof(hours_path), "/api/v1/applications/%s/hours", app);
    snprintf(messages_path, sizeof(messages_path), "/api/v1/applications/%s/messages", app);
    struct api_response r;
    world_call(&r, s, "POST", messages_path, "{\"body\":\"Hello from the sweep\"}");
    bool ok = r.status == 201;
    if (!ok)
        TEST_FAILF("posting a message answered %ld: %.300s", r.status, r.body);
    api_free(&r);
    return ok && steps_upload_pdf(s, doc) &&
           create_json(s, "/api/v1/letters",
                       json_pack("{s:s,s:s,s:b}", "author_name", "Dr. Grace Okafor", "author_email",
                                 "okafor.sweep@example.org", "waived", 0),
                       letter) &&
           create_json(s, "/api/v1/tickets",
                       json_pack("{s:s,s:s,s:s}", "category", "other", "subject", "Badge office",
                                 "body", "Closed at 7:30."),
                       ticket) &&
           create_json(s, hours_path,
                       json_pack("{s:s,s:f,s:s,s:s,s:i}", "date", date, "hours", 8.0, "setting", "inpatient",
                                 "activities", "Rounds and admissions.", "patients_seen", 4),
                       hours) &&
           create_text(s, "/api/v1/saved-searches", "{\"name\":\"Medicine\",\"filters\":{\"q\":\"medicine\"}}",
                       search);
}

static bool first_notification(const struct user *u, char *id_out)
{
    struct api_response r;
    world_call(&r, u, "GET", "/api/v1/notifications", NULL);
    const char *id = api_json_str(json_array_get(json_object_get(r.json, "items"), 0), "id");
    bool ok = r.status == 200 && id != NULL;
    if (ok)
        snprintf(id_out, 64, "%s", id);
    else
        TEST_FAILF("no notification for %s: %ld %.300s", u->email, r.status, r.body);
    api_free(&r);
    return ok;
}

static bool schools_and_rounds(void)
{
    if (!world_org(&W.staff, "school", school_a, "Sweep School A %ld", (long)getpid()) ||
        !world_org(&W.staff, "school", school_b, "Sweep School B %ld", (long)getpid()) ||
        !world_user(&W, &school_coord_a, "schoola", "school_coordinator", school_a) ||
        !world_user(&W, &school_coord_b, "schoolb", "school_coordinator", school_b))
        return false;
    char from[11], to[11], deadline[11];
    world_date(10, from);
    world_date(300, to);
    world_date(60, deadline);
    if (!create_json(&W.coord_a, "/api/v1/agreements",
                     json_pack("{s:s,s:s,s:s,s:s}", "host_id", W.org_a, "school_id", school_a, "start_date", from,
                               "end_date", to),
                     agreement_a))
        return false;
    const struct route *rt = route_find("POST", "/api/v1/match-rounds");
    json_t *round = valid_object(rt != NULL ? rt->request : NULL);
    json_object_set_new(round, "school_id", json_string(school_a));
    json_object_set_new(round, "name", json_string("Spring sweep"));
    json_object_set_new(round, "deadline", json_string(deadline));
    return create_json(&school_coord_a, "/api/v1/match-rounds", round, round_a);
}

static bool setup_worlds(void)
{
    if (!world_setup(&W, &server, "sweep") || !tables_load(W.db))
        return false;
    if (!register_student(&student_a, "sweepa") || !register_student(&student_b, "sweepb") ||
        !register_student(&student_leaving, "sweepgone"))
        return false;
    /* Both rotations under way, the clock on their fourth day. */
    if (!world_in_progress(&W, &student_a, W.offering_a, 30, 28, 3, app_a))
        return false;
    /* Sessions last seen on the rotation's day end when the clock goes back: sign in again. */
    hooks_set_clock(0);
    if (!login(&W.staff) || !login(&student_b) || !world_in_progress(&W, &student_b, W.offering_b, 30, 28, 3, app_b))
        return false;
    struct user *people[] = {&W.staff, &W.coord_a, &W.precep_a, &W.coord_b, &W.precep_b, &W.coach, &student_a,
                             &student_b, &student_leaving, NULL};
    for (size_t i = 0; people[i] != NULL; i++)
        if (!login(people[i]))
            return false;
    if (!student_things(&student_a, app_a, doc_a, letter_a, ticket_a, hours_a, search_a) ||
        !student_things(&student_b, app_b, doc_b, letter_b, ticket_b, hours_b, search_b) ||
        !first_notification(&student_a, notice_a))
        return false;
    if (!steps_block(&W.staff, W.offering_a, 120, 28, 3, block_a) ||
        !steps_block(&W.staff, W.offering_b, 120, 28, 3, block_b) ||
        !create_json(&W.coord_a, "/api/v1/requirements",
                     json_pack("{s:s,s:s}", "organization_id", W.org_a, "kind", "mmr"), requirement_a))
        return false;
    char visa_path[160];
    snprintf(visa_path, sizeof(visa_path), "/api/v1/applications/%s/visa-letter", app_a);
    struct api_response r;
    world_call(&r, &student_a, "POST", visa_path,
               "{\"passport_name\":\"Ana Sweep\",\"passport_number\":\"X1234567\",\"nationality\":\"Brazil\","
               "\"consulate_city\":\"Sao Paulo\"}");
    if (r.status != 201 && r.status != 200)
        TEST_FAILF("asking for a visa letter answered %ld: %.300s", r.status, r.body);
    api_free(&r);
    const struct route *rt = route_find("POST", "/api/v1/me/deletion-request");
    if (!create_json(&student_leaving, "/api/v1/me/deletion-request", valid_object(rt ? rt->request : NULL),
                     deletion_a))
        return false;
    return schools_and_rounds();
}

/* The routes with an id, each called as the owner's counterpart. */
static void fixtures_build(void)
{
    const struct user *sa = &student_a, *sb = &student_b, *ca = &W.coord_a, *cb = &W.coord_b;
    const struct user *pa = &W.precep_a, *pb = &W.precep_b;
    const char *A = app_a;
    static const char *const app_routes[][2] = {
        {"GET", "/api/v1/applications/{id}"},
        {"GET", "/api/v1/applications/{id}/compliance"},
        {"POST", "/api/v1/applications/{id}/documents"},
        {"POST", "/api/v1/applications/{id}/checkout"},
        {"GET", "/api/v1/applications/{id}/statement"},
        {"GET", "/api/v1/applications/{id}/hours"},
        {"POST", "/api/v1/applications/{id}/hours"},
        {"GET", "/api/v1/applications/{id}/messages"},
        {"POST", "/api/v1/applications/{id}/messages"},
        {"POST", "/api/v1/applications/{id}/messages/read"},
        {"GET", "/api/v1/applications/{id}/check-ins"},
        {"POST", "/api/v1/applications/{id}/check-ins"},
        {"GET", "/api/v1/applications/{id}/evaluation"},
        {"POST", "/api/v1/applications/{id}/feedback"},
        {"POST", "/api/v1/applications/{id}/rotation-review"},
        {"GET", "/api/v1/applications/{id}/visa-letter"},
        {"POST", "/api/v1/applications/{id}/visa-letter"},
    };
    for (size_t i = 0; i < sizeof(app_routes) / sizeof(app_routes[0]); i++) {
        const char *method = app_routes[i][0], *pattern = app_routes[i][1];
        char path[200];
        snprintf(path, sizeof(path), "%.*s%s%s", 21, pattern, A, pattern + 25); /* "/api/v1/applications/" + id */
        fixture_add(method, pattern, sa, sb, PRIVATE, "%s", path);
        fixture_add(method, pattern, sa, cb, PRIVATE, "%s", path);
        fixture_add(method, pattern, sa, pb, PRIVATE, "%s", path);
    }
    /* The host's and the preceptor's side of an application. */
    fixture_add("POST", "/api/v1/applications/{id}/hours/confirm-week", pa, pb, PRIVATE,
                "/api/v1/applications/%s/hours/confirm-week", A);
    fixture_add("POST", "/api/v1/applications/{id}/evaluation", pa, pb, PRIVATE, "/api/v1/applications/%s/evaluation", A);
    fixture_add("POST", "/api/v1/applications/{id}/evaluation/addenda", pa, pb, PRIVATE,
                "/api/v1/applications/%s/evaluation/addenda", A);
    fixture_add("POST", "/api/v1/applications/{id}/visa-letter/approve", ca, cb, PRIVATE,
                "/api/v1/applications/%s/visa-letter/approve", A);
    fixture_add("POST", "/api/v1/applications/{id}/certificate", pa, pb, PRIVATE, "/api/v1/applications/%s/certificate", A);
    fixture_add("POST", "/api/v1/applications/{id}/certificate", ca, cb, PRIVATE, "/api/v1/applications/%s/certificate", A);
    fixture_add("POST", "/api/v1/applications/{id}/{action}", sa, sb, PRIVATE, "/api/v1/applications/%s/withdraw", A);
    fixture_add("POST", "/api/v1/applications/{id}/{action}", ca, cb, PRIVATE, "/api/v1/applications/%s/decline", A);
    fixture_add("POST", "/api/v1/applications/{id}/{action}", pa, pb, PRIVATE, "/api/v1/applications/%s/complete", A);
    /* The student's own objects. */
    fixture_add("GET", "/api/v1/documents/{id}", sa, sb, PRIVATE, "/api/v1/documents/%s", doc_a);
    fixture_add("GET", "/api/v1/documents/{id}", sa, cb, PRIVATE, "/api/v1/documents/%s", doc_a);
    fixture_add("GET", "/api/v1/documents/{id}/file", sa, sb, PRIVATE, "/api/v1/documents/%s/file", doc_a);
    fixture_add("GET", "/api/v1/documents/{id}/file", sa, cb, PRIVATE, "/api/v1/documents/%s/file", doc_a);
    fixture_add("DELETE", "/api/v1/documents/{id}", sa, sb, PRIVATE, "/api/v1/documents/%s", doc_a);
    fixture_add("GET", "/api/v1/letters/{id}", sa, sb, PRIVATE, "/api/v1/letters/%s", letter_a);
    fixture_add("PATCH", "/api/v1/letters/{id}", sa, sb, PRIVATE, "/api/v1/letters/%s", letter_a);
    fixture_add("GET", "/api/v1/letters/{id}/file", sa, sb, PRIVATE, "/api/v1/letters/%s/file", letter_a);
    fixture_add("POST", "/api/v1/letters/{id}/author", sa, sb, PRIVATE, "/api/v1/letters/%s/author", letter_a);
    fixture_add("POST", "/api/v1/letters/{id}/{action}", sa, sb, PRIVATE, "/api/v1/letters/%s/decline", letter_a);
    fixture_add("POST", "/api/v1/letters/{id}/{action}", sa, pb, PRIVATE, "/api/v1/letters/%s/accept", letter_a);
    fixture_add("GET", "/api/v1/tickets/{id}", sa, sb, PRIVATE, "/api/v1/tickets/%s", ticket_a);
    fixture_add("POST", "/api/v1/tickets/{id}/replies", sa, sb, PRIVATE, "/api/v1/tickets/%s/replies", ticket_a);
    fixture_add("POST", "/api/v1/tickets/{id}/{action}", sa, sb, PRIVATE, "/api/v1/tickets/%s/resolve", ticket_a);
    fixture_add("PATCH", "/api/v1/hours/{id}", sa, sb, PRIVATE, "/api/v1/hours/%s", hours_a);
    fixture_add("POST", "/api/v1/hours/{id}/{action}", pa, pb, PRIVATE, "/api/v1/hours/%s/approve", hours_a);
    fixture_add("POST", "/api/v1/notifications/{id}/read", sa, sb, PRIVATE, "/api/v1/notifications/%s/read", notice_a);
    fixture_add("DELETE", "/api/v1/saved-searches/{id}", sa, sb, PRIVATE, "/api/v1/saved-searches/%s", search_a);
    fixture_add("GET", "/api/v1/deletion-requests/{id}", &student_leaving, sb, PRIVATE, "/api/v1/deletion-requests/%s",
                deletion_a);
    /* The host's objects. */
    fixture_add("DELETE", "/api/v1/requirements/{id}", ca, cb, PRIVATE, "/api/v1/requirements/%s", requirement_a);
    fixture_add("GET", "/api/v1/organizations/{id}/feedback", ca, cb, PRIVATE, "/api/v1/organizations/%s/feedback",
                W.org_a);
    fixture_add("PATCH", "/api/v1/offerings/{id}", ca, cb, LISTED, "/api/v1/offerings/%s", W.offering_a);
    fixture_add("POST", "/api/v1/offerings/{id}/blocks", ca, cb, LISTED, "/api/v1/offerings/%s/blocks", W.offering_a);
    fixture_add("PATCH", "/api/v1/blocks/{id}", ca, cb, LISTED, "/api/v1/blocks/%s", block_a);
    fixture_add("GET", "/api/v1/blocks/{id}/waitlist", ca, cb, LISTED, "/api/v1/blocks/%s/waitlist", block_a);
    fixture_add("PATCH", "/api/v1/sites/{id}", ca, cb, LISTED, "/api/v1/sites/%s", W.site_a);
    fixture_add("POST", "/api/v1/preceptors/{id}/invitations", ca, cb, LISTED, "/api/v1/preceptors/%s/invitations",
                W.prc_a);
    fixture_add("GET", "/api/v1/agreements/{id}", ca, cb, PRIVATE, "/api/v1/agreements/%s", agreement_a);
    fixture_add("GET", "/api/v1/agreements/{id}", ca, &school_coord_b, PRIVATE, "/api/v1/agreements/%s", agreement_a);
    fixture_add("POST", "/api/v1/agreements/{id}/terminate", ca, cb, PRIVATE, "/api/v1/agreements/%s/terminate",
                agreement_a);
    /* The school's. */
    const struct user *ka = &school_coord_a, *kb = &school_coord_b;
    fixture_add("PATCH", "/api/v1/schools/{id}", ka, kb, LISTED, "/api/v1/schools/%s", school_a);
    fixture_add("GET", "/api/v1/schools/{id}/invitations", ka, kb, LISTED, "/api/v1/schools/%s/invitations", school_a);
    fixture_add("GET", "/api/v1/schools/{id}/invitations/held", ka, kb, LISTED, "/api/v1/schools/%s/invitations/held",
                school_a);
    fixture_add("POST", "/api/v1/schools/{id}/invitations", ka, kb, LISTED, "/api/v1/schools/%s/invitations", school_a);
    fixture_add("GET", "/api/v1/schools/{id}/students", ka, kb, LISTED, "/api/v1/schools/%s/students", school_a);
    fixture_add("GET", "/api/v1/schools/{id}/applications", ka, kb, LISTED, "/api/v1/schools/%s/applications",
                school_a);
    fixture_add("GET", "/api/v1/match-rounds/{id}", ka, kb, PRIVATE, "/api/v1/match-rounds/%s", round_a);
    static char hours_body[256];
    char date[11];
    world_date(31, date);
    snprintf(hours_body, sizeof(hours_body),
             "{\"date\":\"%s\",\"hours\":6,\"setting\":\"inpatient\",\"activities\":\"Clinic.\",\"patients_seen\":3}",
             date);
    fixture_body("POST", "/api/v1/applications/{id}/hours", hours_body);
    fixture_body("PATCH", "/api/v1/hours/{id}", hours_body);
    fixture_body("PATCH", "/api/v1/letters/{id}", "{\"waived\":true}");
    /* The method the sweep's server offers (neither Stripe nor bank transfers
     * are set up, so the demo provider is): an unoffered one is refused before
     * the application is looked up. */
    fixture_body("POST", "/api/v1/applications/{id}/checkout", "{\"method\":\"demo\",\"plan\":\"balance\"}");
    fixture_add("GET", "/api/v1/match-rounds/{id}/instance", ka, kb, PRIVATE, "/api/v1/match-rounds/%s/instance",
                round_a);
    fixture_add("PUT", "/api/v1/match-rounds/{id}/ranking", ka, sb, PRIVATE, "/api/v1/match-rounds/%s/ranking", round_a);
    fixture_add("POST", "/api/v1/match-rounds/{id}/{action}", ka, kb, PRIVATE, "/api/v1/match-rounds/%s/open", round_a);
}

static void body_targets_build(void);

static bool setup(void)
{
    if (!setup_worlds())
        return false;
    fixtures_build();
    body_targets_build();
    return !test_current_failed;
}

/* Routes with an id that the cross-party sweep skips but whose bodies the
 * malformed-input sweep still reaches, as the one who may call them. */
static void body_targets_build(void)
{
    const struct user *staff = &W.staff, *sa = &student_a;
    fixture_add("POST", "/api/v1/deletion-requests/{id}/complete", staff, NULL, PRIVATE,
                "/api/v1/deletion-requests/%s/complete", deletion_a);
    fixture_add("POST", "/api/v1/users/{id}/two-factor/reset", staff, NULL, PRIVATE, "/api/v1/users/%s/two-factor/reset",
                student_b.id);
    fixture_add("POST", "/api/v1/preceptors/{id}/verify", staff, NULL, PRIVATE, "/api/v1/preceptors/%s/verify", W.prc_a);
    fixture_add("POST", "/api/v1/documents/{id}/verify", staff, NULL, PRIVATE, "/api/v1/documents/%s/verify", doc_a);
    fixture_add("POST", "/api/v1/documents/{id}/reject", staff, NULL, PRIVATE, "/api/v1/documents/%s/reject", doc_a);
    fixture_add("PUT", "/api/v1/students/{id}/coach", staff, NULL, PRIVATE, "/api/v1/students/%s/coach", student_a.id);
    fixture_add("POST", "/api/v1/applications/{id}/refunds", staff, NULL, PRIVATE, "/api/v1/applications/%s/refunds",
                app_a);
    fixture_add("PUT", "/api/v1/favourites/{id}", sa, NULL, PRIVATE, "/api/v1/favourites/%s", W.offering_b);
    fixture_add("POST", "/api/v1/blocks/{id}/waitlist", sa, NULL, PRIVATE, "/api/v1/blocks/%s/waitlist", block_b);
    fixture_add("POST", "/api/v1/schools/{id}/join", sa, NULL, PRIVATE, "/api/v1/schools/%s/join", school_b);
    fixture_add("POST", "/api/v1/me/schools/{id}/leave", sa, NULL, PRIVATE, "/api/v1/me/schools/%s/leave", school_a);
    fixture_add("POST", "/api/v1/reviews/{id}/hide", staff, NULL, PRIVATE, "/api/v1/reviews/%s/hide", "sweep0");
    fixture_add("POST", "/api/v1/certificates/{number}/revoke", staff, NULL, PRIVATE,
                "/api/v1/certificates/%s/revoke", "RND-0000-0000");
}

/* Who sends bodies to a route without an id. NULL: nobody signed in. */
static const struct user *body_actor(const char *pattern)
{
    static const struct {
        const char *pattern;
        int who;
    } actors[] = {
        {"/api/v1/auth/register", 0}, {"/api/v1/auth/login", 0}, {"/api/v1/auth/password-reset", 0},
        {"/api/v1/auth/password-reset/confirm", 0}, {"/api/v1/auth/confirm", 0},
        {"/api/v1/auth/login/second-factor", 0}, {"/api/v1/payments/webhooks/stripe", 0},
        {"/api/v1/auth/confirm/resend", 2}, {"/api/v1/auth/logout", 2}, {"/api/v1/me/deletion-request", 3},
        {"/api/v1/me/two-factor", 3}, {"/api/v1/me/two-factor/confirm", 3}, {"/api/v1/me/two-factor/disable", 3},
        {"/api/v1/me", 1}, {"/api/v1/me/calendar", 1}, {"/api/v1/saved-searches", 1}, {"/api/v1/applications", 1},
        {"/api/v1/letters", 1}, {"/api/v1/tickets", 1}, {"/api/v1/notifications/read-all", 1},
        {"/api/v1/school-invitations/accept", 1}, {"/api/v1/preceptor-invitations/accept", 1},
        {"/api/v1/requirements", 4}, {"/api/v1/agreements", 4}, {"/api/v1/me/teaching-certificate", 5},
        {"/api/v1/match-rounds", 6},
    };
    const struct user *who[] = {NULL, &student_a, &student_leaving, &student_b, &W.coord_a, &W.precep_a,
                                &school_coord_a};
    for (size_t i = 0; i < sizeof(actors) / sizeof(actors[0]); i++)
        if (strcmp(actors[i].pattern, pattern) == 0)
            return who[actors[i].who];
    return &W.staff;
}

/* ---- the tests ---- */

static bool pattern_has_id(const char *pattern)
{
    return strchr(pattern, '{') != NULL;
}

static const struct fixture *cross_fixture(const char *method, const char *pattern)
{
    for (size_t i = 0; i < fixture_count; i++)
        if (fixtures[i].other != NULL && strcmp(fixtures[i].method, method) == 0 &&
            strcmp(fixtures[i].pattern, pattern) == 0)
            return &fixtures[i];
    return NULL;
}

/* "POST /api/v1/x" → method and pattern; false when the line has no space. */
static bool split_route(const char *line, char method[16], char pattern[256])
{
    const char *space = strchr(line, ' ');
    if (space == NULL || space == line || (size_t)(space - line) >= 16 || strlen(space + 1) >= 256)
        return false;
    snprintf(method, 16, "%.*s", (int)(space - line), line);
    snprintf(pattern, 256, "%s", space + 1);
    return pattern[0] == '/';
}

/* routes.txt and the sweep agree: every route it lists is in the table, and
 * every one with an id has a fixture or a reasoned skip; no stale entries. */
TEST(every_route_is_swept)
{
    size_t len = 0;
    char *text = api_read_file("tests/openapi/routes.txt", &len);
    if (text == NULL) {
        TEST_FAILF("cannot read tests/openapi/routes.txt (run from the repository's root)");
        return;
    }
    size_t lines = 0, missing = 0;
    char *cursor = text;
    while (cursor != NULL && *cursor != '\0') {
        char *end = strchr(cursor, '\n');
        if (end != NULL)
            *end = '\0';
        char method[16], pattern[256];
        if (split_route(cursor, method, pattern)) {
            lines++;
            if (route_find(method, pattern) == NULL)
                TEST_FAILF("routes.txt lists %s %s, which the route table lacks", method, pattern);
            if (pattern_has_id(pattern) && cross_fixture(method, pattern) == NULL &&
                skip_reason(id_skips, sizeof(id_skips) / sizeof(id_skips[0]), cursor) == NULL) {
                TEST_FAILF("%s has an id in its path but no cross-party fixture nor a reasoned skip", cursor);
                missing++;
            }
        }
        cursor = end != NULL ? end + 1 : NULL;
    }
    free(text);
    CHECK(lines > 150);
    for (size_t i = 0; i < fixture_count; i++)
        if (route_find(fixtures[i].method, fixtures[i].pattern) == NULL)
            TEST_FAILF("fixture %s %s names no route", fixtures[i].method, fixtures[i].pattern);
    for (size_t i = 0; i < sizeof(id_skips) / sizeof(id_skips[0]); i++) {
        char method[16], pattern[256];
        if (!split_route(id_skips[i].route, method, pattern) || route_find(method, pattern) == NULL)
            TEST_FAILF("skip entry \"%s\" names no route", id_skips[i].route);
        else if (cross_fixture(method, pattern) != NULL)
            TEST_FAILF("\"%s\" is both skipped and swept", id_skips[i].route);
    }
    if (missing > 0)
        printf("  %zu routes lack a sweep entry: add a fixture in fixtures_build or a reason in id_skips\n", missing);
}

/* A body that passes the route's spec (its required fields, each valid), so
 * that a write reaches the handler's own checks: "{}" without a spec. */
static char *passing_body(const struct route *rt)
{
    if (rt == NULL || rt->request == NULL)
        return strdup("{}");
    return json_text(valid_object(rt->request));
}

static bool is_write(const char *method)
{
    return strcmp(method, "GET") != 0;
}

/* The fixture's path with its first id replaced by one that names nothing
 * (the same prefix, so that it looks like an id of that kind). */
static void missing_path(const struct fixture *f, char *out, size_t size)
{
    size_t segment = 0;
    for (const char *p = f->pattern; *p != '\0' && *p != '{'; p++)
        segment += *p == '/';
    size_t n = 0, at = 0;
    const char *p = f->path;
    while (*p != '\0' && n + 40 < size) {
        if (*p == '/')
            at++;
        out[n++] = *p++;
        if (at == segment && p[-1] == '/') {
            const char *end = strchr(p, '/');
            size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
            const char *underscore = memchr(p, '_', len);
            size_t keep = underscore != NULL ? (size_t)(underscore - p) + 1 : 0;
            n += (size_t)snprintf(out + n, size - n, "%.*szzzzzzzzzzzzzzzzzzzz", (int)keep, p);
            p += len;
            at++;
        }
    }
    out[n] = '\0';
}

struct reply_kind {
    long status;
    char code[64], detail[256];
};

static void reply_kind_of(const struct api_response *r, struct reply_kind *k)
{
    const char *code = api_json_str(r->json, "code"), *detail = api_json_str(r->json, "detail");
    k->status = r->status;
    snprintf(k->code, sizeof(k->code), "%s", code ? code : "");
    snprintf(k->detail, sizeof(k->detail), "%s", detail ? detail : "");
}

static void call_kind(const struct user *u, const char *method, const char *path, const char *body,
                      struct reply_kind *k, struct api_response *keep)
{
    struct api_response r;
    send_as(&r, u, method, path, NULL, body, body != NULL ? strlen(body) : 0);
    reply_kind_of(&r, k);
    if (keep != NULL)
        *keep = r;
    else
        api_free(&r);
}

static size_t inconclusive; /* other parties' replies that came from a check before the owner's */

/* One fixture: the other party's reply is a 404 (a listed object: or 403);
 * the object's owner gets another reply (the path reaches the object). The
 * very reply an id that names nothing gets came from a check before the
 * object was looked up (the body's, the role's, a method not offered): the
 * call proved nothing about the owner's check, and fails, so that the
 * fixture is given a body or a caller that reaches the object, or a reasoned
 * skip. */
static void cross_party(const struct fixture *f)
{
    const struct route *rt = route_find(f->method, f->pattern);
    char *body = !is_write(f->method) ? NULL : f->body != NULL ? strdup(f->body) : passing_body(rt);
    char what[600], missing[400];
    snprintf(what, sizeof(what), "%s %s as %s", f->method, f->path, f->other->email);
    missing_path(f, missing, sizeof(missing));
    struct snapshot before;
    if (is_write(f->method))
        snapshot_take(&before);
    struct reply_kind other, nothing, owner;
    struct api_response r;
    call_kind(f->other, f->method, f->path, body, &other, &r);
    if (problem_4xx(&r, what)) {
        call_kind(f->other, f->method, missing, body, &nothing, NULL);
        bool same_as_nothing = other.status == nothing.status && strcmp(other.code, nothing.code) == 0;
        bool found_not = other.status == 404 && strcmp(other.code, "not_found") == 0;
        bool ok = found_not || (f->visibility == LISTED && other.status == 403);
        if (!ok && same_as_nothing) {
            TEST_FAILF("%s answered %ld %s (\"%s\"), as an id that names nothing does: a check before the owner's "
                       "answered, so the owner's went untested",
                       what, other.status, other.code, other.detail);
            inconclusive++;
        } else if (!ok) {
            TEST_FAILF("%s answered %ld %s (\"%s\"), where an id that names nothing gets %ld %s", what, other.status,
                       other.code, other.detail, nothing.status, nothing.code);
        }
    }
    api_free(&r);
    if (is_write(f->method)) {
        snapshot_unchanged(&before, what);
    } else {
        call_kind(f->owner, "GET", f->path, NULL, &owner, NULL);
        if (owner.status != 200 && owner.status == other.status && strcmp(owner.detail, other.detail) == 0)
            TEST_FAILF("GET %s: its owner %s is answered as the other party is: %ld %s: the fixture proves nothing",
                       f->path, f->owner->email, owner.status, owner.detail);
    }
    free(body);
}

/* Every route with an id, called by the other party of the owner's role. */
TEST(other_party_gets_404)
{
    size_t swept = 0;
    for (size_t i = 0; i < fixture_count; i++)
        if (fixtures[i].other != NULL) {
            cross_party(&fixtures[i]);
            swept++;
        }
    printf("  %zu cross-party calls, %zu answered by a check before the owner's\n", swept, inconclusive);
}

/* A path of the route to call: the fixture's when there is one, else each
 * parameter as "sweep0". */
static void path_for(const struct route *rt, const char *method, char *out, size_t size)
{
    const struct fixture *f = fixture_find(method, rt->pattern);
    if (f != NULL) {
        snprintf(out, size, "%s", f->path);
        return;
    }
    size_t n = 0;
    for (const char *p = rt->pattern; *p != '\0' && n + 8 < size;) {
        if (*p == '{') {
            n += (size_t)snprintf(out + n, size - n, "sweep0");
            const char *close = strchr(p, '}');
            p = close != NULL ? close + 1 : p + strlen(p);
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
}

static const char *const all_methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", NULL};

/* Nobody signed in: every route that needs a session answers 401 (API) or
 * sends to /login (pages), whatever it is sent, and nothing changes. */
TEST(anonymous_gets_401_or_the_login_page)
{
    struct snapshot before;
    snapshot_take(&before);
    size_t swept = 0;
    for (size_t i = 0; i < rounds_route_count; i++) {
        const struct route *rt = &rounds_routes[i];
        if (!(rt->flags & ROUTE_AUTH))
            continue;
        for (size_t m = 0; all_methods[m] != NULL; m++) {
            if (!(rt->methods & method_bit(all_methods[m])))
                continue;
            char path[320], what[400];
            path_for(rt, all_methods[m], path, sizeof(path));
            snprintf(what, sizeof(what), "anonymous %s %s", all_methods[m], path);
            struct api_response r;
            bool write = is_write(all_methods[m]);
            if (rt->flags & ROUTE_UPLOAD)
                send_as(&r, NULL, all_methods[m], path, "multipart/form-data; boundary=sweep", "--sweep--\r\n", 11);
            else if (rt->flags & ROUTE_HTML)
                send_as(&r, NULL, all_methods[m], path, write ? "application/x-www-form-urlencoded" : NULL,
                        write ? "a=b" : NULL, write ? 3 : 0);
            else
                send_as(&r, NULL, all_methods[m], path, NULL, write ? "{}" : NULL, write ? 2 : 0);
            if (rt->flags & ROUTE_HTML) {
                const char *location = api_header(&r, "location");
                /* An anonymous form post fails the CSRF check first (403) or goes to /login. */
                bool ok = (r.status == 303 || r.status == 302) && location != NULL && strncmp(location, "/login", 6) == 0;
                if (!ok && !(write && r.status == 403))
                    TEST_FAILF("%s answered %ld (location %s)", what, r.status, location ? location : "none");
            } else {
                expect_problem(&r, what, 401, "unauthenticated", NULL);
            }
            api_free(&r);
            swept++;
        }
    }
    snapshot_unchanged(&before, "anonymous requests");
    printf("  %zu anonymous calls\n", swept);
}

/* ---- malformed bodies ---- */

static size_t body_cap(const struct route *rt)
{
    return rt->max_body != 0 ? rt->max_body : (size_t)1024 * 1024;
}

/* Sends body as actor and checks the problem: status and code (NULL: any 4xx
 * with the problem shape), field when given. */
static void bad_body(const char *method, const char *path, const struct user *actor, const char *content_type,
                     const char *body, size_t len, long status, const char *code, const char *field, const char *what)
{
    char label[600];
    snprintf(label, sizeof(label), "%s %s with %s", method, path, what);
    struct api_response r;
    send_as(&r, actor, method, path, content_type, body, len);
    if (code == NULL)
        problem_4xx(&r, label);
    else
        expect_problem(&r, label, status, code, field);
    api_free(&r);
}

/* The spec's fields one by one: the wrong type, then (strings) one character over the limit. */
static void bad_fields(const struct route *rt, const char *method, const char *path, const struct user *actor)
{
    const struct json_field *spec = rt->request;
    for (size_t i = 0; spec[i].name != NULL; i++) {
        char what[200];
        snprintf(what, sizeof(what), "%s of the wrong type", spec[i].name);
        char *body = body_with(spec, i, wrong_value(&spec[i]));
        bad_body(method, path, actor, NULL, body, strlen(body), 400, "validation_failed", spec[i].name, what);
        free(body);
        bool text = spec[i].type == JSON_FIELD_STRING || spec[i].type == JSON_FIELD_TEXT;
        if (!text || spec[i].max <= 0 || (size_t)spec[i].max > body_cap(rt) + 16)
            continue;
        size_t n = (size_t)spec[i].max + 1;
        char *long_text = malloc(n + 1);
        memset(long_text, 'a', n);
        long_text[n] = '\0';
        body = body_with(spec, i, json_string(long_text));
        free(long_text);
        snprintf(what, sizeof(what), "%s over its limit of %lld", spec[i].name, (long long)spec[i].max);
        struct api_response r;
        char label[600];
        snprintf(label, sizeof(label), "%s %s with %s", method, path, what);
        send_as(&r, actor, method, path, NULL, body, strlen(body));
        if (problem_4xx(&r, label)) {
            const char *field = api_json_str(r.json, "field");
            bool named = field != NULL && strcmp(field, spec[i].name) == 0;
            if (!(r.status == 413 || (r.status == 400 && named)))
                TEST_FAILF("%s answered %ld field %s", label, r.status, field ? field : "null");
        }
        api_free(&r);
        free(body);
    }
}

/* Every kind of malformed body to one route as actor; nothing may change. */
static void sweep_bodies(const struct route *rt, const char *method, const char *path, const struct user *actor)
{
    struct snapshot before;
    snapshot_take(&before);
    bool parsed = rt->request != NULL; /* the handler parses with this spec: the exact problem is known */
    static const char *const not_objects[] = {"{\"a\":", "[]", "[{}]", "\"text\"", "12", "null", "{\"a\" 1}", "\xff{}"};
    for (size_t i = 0; i < sizeof(not_objects) / sizeof(not_objects[0]); i++)
        bad_body(method, path, actor, NULL, not_objects[i], strlen(not_objects[i]), 400,
                 parsed ? "invalid_json" : NULL, NULL, "a body that is not a JSON object");
    bad_body(method, path, actor, NULL, "{\"sweep_unknown\":1}", 19, 400, parsed ? "unknown_field" : NULL,
             "sweep_unknown", "an unknown field");
    if (parsed && !spec_is_empty(rt->request)) {
        bad_fields(rt, method, path, actor);
        /* A field given twice. */
        char dup[300];
        snprintf(dup, sizeof(dup), "{\"%s\":1,\"%s\":1}", rt->request[0].name, rt->request[0].name);
        bad_body(method, path, actor, NULL, dup, strlen(dup), 400, "invalid_json", NULL, "a field given twice");
    }
    bad_body(method, path, actor, "text/plain", "{}", 2, 415, "unsupported_media_type", NULL, "text/plain");
    size_t cap = body_cap(rt), n = cap + 1;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    memcpy(big, "{\"sweep\":\"", 10);
    memset(big + 10, 'a', n - 12);
    memcpy(big + n - 2, "\"}", 2);
    big[n] = '\0';
    bad_body(method, path, actor, NULL, big, n, 413, "payload_too_large", NULL, "a body over its cap");
    free(big);
    char what[400];
    snprintf(what, sizeof(what), "malformed bodies to %s %s", method, path);
    snapshot_unchanged(&before, what);
}

static bool takes_json_body(const struct route *rt, unsigned bit)
{
    return (rt->flags & ROUTE_JSON) && !(rt->flags & (ROUTE_UPLOAD | ROUTE_TEST_HOOK)) &&
           (bit & (HTTP_POST | HTTP_PUT | HTTP_PATCH)) && (rt->methods & bit);
}

/* Where and as whom a body route is called: its fixture's path and owner,
 * or (no id) its pattern and body_actor. False: an id route without one. */
static bool body_target(const struct route *rt, const char *method, char *path, size_t size,
                        const struct user **actor)
{
    *actor = body_actor(rt->pattern);
    if (!pattern_has_id(rt->pattern)) {
        snprintf(path, size, "%s", rt->pattern);
        return true;
    }
    const struct fixture *f = fixture_find(method, rt->pattern);
    if (f == NULL)
        return false;
    *actor = f->owner;
    snprintf(path, size, "%s", f->path);
    return true;
}

TEST(malformed_bodies_get_a_problem_and_change_nothing)
{
    static const char *const body_methods[] = {"POST", "PUT", "PATCH", NULL};
    size_t swept = 0, skipped = 0;
    for (size_t i = 0; i < rounds_route_count; i++) {
        const struct route *rt = &rounds_routes[i];
        for (size_t m = 0; body_methods[m] != NULL; m++) {
            const char *method = body_methods[m];
            if (!takes_json_body(rt, method_bit(method)))
                continue;
            char route[300];
            snprintf(route, sizeof(route), "%s %s", method, rt->pattern);
            if (skip_reason(body_skips, sizeof(body_skips) / sizeof(body_skips[0]), route) != NULL) {
                skipped++;
                continue;
            }
            const struct user *actor;
            char path[320];
            if (!body_target(rt, method, path, sizeof(path), &actor)) {
                if (skip_reason(id_skips, sizeof(id_skips) / sizeof(id_skips[0]), route) == NULL)
                    TEST_FAILF("%s takes a body but has no fixture to send it to", route);
                skipped++;
                continue;
            }
            sweep_bodies(rt, method, path, actor);
            swept++;
        }
    }
    printf("  %zu body routes swept, %zu skipped\n", swept, skipped);
}

/* ---- page forms ---- */

/* A page pattern with this world's objects in it ({action} and unknown ids: "sweep0"). */
static void page_path(const char *pattern, char *out, size_t size)
{
    static const struct {
        const char *prefix;
        int object;
    } ids[] = {
        {"/applications/", 0}, {"/rotations/", 0}, {"/offerings/", 1}, {"/host/offerings/", 1}, {"/host/blocks/", 2},
        {"/blocks/", 2}, {"/wallet/", 3}, {"/documents/", 3}, {"/staff/documents/", 3}, {"/letters/", 4},
        {"/tickets/", 5}, {"/hours/", 6}, {"/notifications/", 7}, {"/saved-searches/", 8},
        {"/host/requirements/", 9}, {"/staff/deletions/", 10}, {"/staff/students/", 11}, {"/staff/users/", 11},
    };
    const char *objects[] = {app_a, W.offering_a, block_a, doc_a, letter_a, ticket_a, hours_a, notice_a, search_a,
                             requirement_a, deletion_a, student_a.id};
    size_t n = 0;
    for (const char *p = pattern; *p != '\0' && n + 70 < size;) {
        if (*p != '{') {
            out[n++] = *p++;
            continue;
        }
        const char *value = "sweep0";
        static const char *const actions[][2] = {
            {"/applications/", "withdraw"}, {"/hours/", "approve"}, {"/letters/", "accept"}, {"/tickets/", "resolve"}};
        for (size_t i = 0; strncmp(p, "{action}", 8) == 0 && i < sizeof(actions) / sizeof(actions[0]); i++)
            if (strncmp(pattern, actions[i][0], strlen(actions[i][0])) == 0)
                value = actions[i][1];
        for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
            size_t len = strlen(ids[i].prefix);
            if (strncmp(p, "{id}", 4) == 0 && (size_t)(p - pattern) == len && strncmp(pattern, ids[i].prefix, len) == 0)
                value = objects[ids[i].object];
        }
        n += (size_t)snprintf(out + n, size - n, "%s", value);
        const char *close = strchr(p, '}');
        p = close != NULL ? close + 1 : p + strlen(p);
    }
    out[n] = '\0';
}

static bool page_form_route(const struct route *rt)
{
    return (rt->flags & ROUTE_HTML) && (rt->methods & HTTP_POST);
}

/* A form post as u (NULL: nobody) with its session cookie; body as given. */
static long page_post(struct api_response *r, const struct user *u, const char *path, const char *content_type,
                      const char *body, size_t len)
{
    char ct[128];
    snprintf(ct, sizeof(ct), "Content-Type: %s", content_type);
    const char *headers[] = {ct, u != NULL ? u->cookie : NULL, NULL};
    struct api_raw_request rq = {"POST", path, headers, body, len, true};
    return api_send(r, &rq);
}

/* Every form post without the CSRF token answers 403 and changes nothing. */
TEST(page_forms_need_the_csrf_token)
{
    struct user page_student = student_a;
    if (!login(&page_student))
        return;
    struct snapshot before;
    snapshot_take(&before);
    size_t swept = 0;
    for (size_t i = 0; i < rounds_route_count; i++) {
        const struct route *rt = &rounds_routes[i];
        if (!page_form_route(rt) || (rt->flags & ROUTE_NO_CSRF))
            continue;
        char path[320];
        page_path(rt->pattern, path, sizeof(path));
        const struct user *u = (rt->flags & ROUTE_AUTH) ? &page_student : NULL;
        struct api_response r;
        static const char part[] = "--sweep\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npassport\r\n"
                                   "--sweep--\r\n";
        if (rt->flags & ROUTE_UPLOAD)
            page_post(&r, u, path, "multipart/form-data; boundary=sweep", part, sizeof(part) - 1);
        else
            page_post(&r, u, path, "application/x-www-form-urlencoded", "note=hello&reason=x", 19);
        if (r.status != 403)
            TEST_FAILF("POST %s without the CSRF token (%s) answered %ld", path, u ? "signed in" : "anonymous",
                       r.status);
        api_free(&r);
        swept++;
    }
    snapshot_unchanged(&before, "form posts without the CSRF token");
    printf("  %zu forms\n", swept);
}

/* Garbage in every field a form might have: never a 5xx, never a dropped connection. */
TEST(page_forms_survive_garbage)
{
    struct user people[] = {student_a, W.coord_a, W.precep_a, W.staff};
    size_t people_count = sizeof(people) / sizeof(people[0]);
    for (size_t k = 0; k < people_count; k++)
        if (!login(&people[k]))
            return;
    static const char garbage[] =
        "sweep=%FF%FE&start=2027-02-30&end=x&seats=-5&weeks=99999999999999999999999&hours=abc&date=31%2F02"
        "&kind=%3Cscript%3E&title=&name=&email=not-an-email&amount=1e999&amount_cents=-1&tuition_cents=1.5"
        "&note=%E2%80%AE&reason=&body=&npi=123&id=..%2F..&state=ZZ&zip=x&document_ids=zz&author_email=%40"
        "&waived=maybe&rating=11&score=-3&week_start=2027-13-01&issued_on=0000-00-00&expires_on=&category=%00"
        "&urgency=now&subject=&statement=&next=%2F%2Fevil.example&q=%25&code=abcdefg&password=x&visa_kind=x";
    size_t swept = 0;
    for (size_t i = 0; i < rounds_route_count; i++) {
        const struct route *rt = &rounds_routes[i];
        if (!page_form_route(rt) || strcmp(rt->pattern, "/logout") == 0) /* it would end the session in use */
            continue;
        char path[320];
        page_path(rt->pattern, path, sizeof(path));
        for (size_t k = 0; k < people_count; k++) {
            char body[2048];
            struct api_response r;
            if (rt->flags & ROUTE_UPLOAD) {
                int len = snprintf(body, sizeof(body),
                                   "--sweep\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n%s\r\n"
                                   "--sweep\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n%%00zz\r\n"
                                   "--sweep\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../x.exe\"\r\n"
                                   "Content-Type: application/x-msdownload\r\n\r\nMZ\x90garbage\r\n--sweep--\r\n",
                                   people[k].csrf);
                page_post(&r, &people[k], path, "multipart/form-data; boundary=sweep", body, (size_t)len);
            } else {
                int len = snprintf(body, sizeof(body), "csrf_token=%s&%s", people[k].csrf, garbage);
                page_post(&r, &people[k], path, "application/x-www-form-urlencoded", body, (size_t)len);
            }
            if (r.status == 0 || r.status >= 500)
                TEST_FAILF("POST %s with garbage as %s answered %ld: %.200s", path, people[k].email, r.status,
                           r.status == 0 ? r.error : r.body);
            api_free(&r);
            swept++;
        }
    }
    printf("  %zu garbage posts\n", swept);
}

/* ---- pages of another party's objects ---- */

/* Who else looks at a page of world A's objects: the other parties of the
 * owner's role (NULL-terminated), and the owner; none for staff pages and
 * for the public catalog's. */
static const struct user *page_parties(const char *pattern, const struct user *others[4])
{
    static const struct {
        const char *prefix;
        int owner; /* 0 student A, 1 coordinator A, 2 preceptor A */
    } owners[] = {
        {"/applications/", 0}, {"/rotations/", 0}, {"/wallet/", 0}, {"/documents/", 0}, {"/letters/", 0},
        {"/tickets/", 0}, {"/notifications/", 0}, {"/saved-searches/", 0}, {"/hours/", 2},
        {"/host/offerings/", 1}, {"/host/blocks/", 1}, {"/host/requirements/", 1},
    };
    for (size_t i = 0; i < sizeof(owners) / sizeof(owners[0]); i++) {
        if (strncmp(pattern, owners[i].prefix, strlen(owners[i].prefix)) != 0)
            continue;
        size_t n = 0;
        if (owners[i].owner == 1) {
            others[n++] = &W.coord_b;
        } else {
            others[n++] = owners[i].owner == 0 ? &student_b : &W.precep_b;
            others[n++] = &W.coord_b;
            if (owners[i].owner == 0)
                others[n++] = &W.precep_b;
        }
        others[n] = NULL;
        return owners[i].owner == 0 ? &student_a : owners[i].owner == 1 ? &W.coord_a : &W.precep_a;
    }
    others[0] = NULL;
    return NULL;
}

/* The page path with its first id replaced by one that names nothing. */
static void page_missing_path(const char *pattern, const char *path, char *out, size_t size)
{
    struct fixture f = {0};
    f.pattern = pattern;
    snprintf(f.path, sizeof(f.path), "%s", path);
    missing_path(&f, out, size);
}

static long page_call(struct api_response *r, const struct user *u, const char *method, const char *path)
{
    if (strcmp(method, "GET") == 0) {
        const char *headers[] = {u->cookie, NULL};
        struct api_raw_request rq = {"GET", path, headers, NULL, 0, true};
        return api_send(r, &rq);
    }
    char body[256];
    int len = snprintf(body, sizeof(body), "csrf_token=%s&note=Fine&reason=Fine&body=Hello", u->csrf);
    return page_post(r, u, path, "application/x-www-form-urlencoded", body, (size_t)len);
}

/* Pages whose owner gets 404 too in this world, and why: the cross-party
 * call then only shows that the other party learns nothing more. */
static bool owner_page_missing(const char *pattern)
{
    static const struct skip missing[] = {
        {"/letters/{id}/file", "no letter has been uploaded"},
        {"/applications/{id}/checkout/{checkout}", "the second id is made up (no checkout)"},
        {"/applications/{id}/messages/{message}/attachment", "the second id is made up (no attachment)"},
    };
    return skip_reason(missing, sizeof(missing) / sizeof(missing[0]), pattern) != NULL;
}

/* Every page of a world-A object, fetched or posted by the other parties:
 * 404 (or the reply an id that names nothing gets), and nothing changes; the
 * owner gets the page. */
TEST(other_party_pages_get_404)
{
    struct user people[] = {student_a, student_b, W.coord_a, W.coord_b, W.precep_a, W.precep_b};
    for (size_t k = 0; k < sizeof(people) / sizeof(people[0]); k++)
        if (!login(&people[k]))
            return;
    /* The page sessions stand in for the people in page_parties. */
    struct user *const real[] = {&student_a, &student_b, &W.coord_a, &W.coord_b, &W.precep_a, &W.precep_b};
    size_t swept = 0;
    for (size_t i = 0; i < rounds_route_count; i++) {
        const struct route *rt = &rounds_routes[i];
        if (!(rt->flags & ROUTE_HTML) || !(rt->flags & ROUTE_AUTH) || !pattern_has_id(rt->pattern) ||
            (rt->flags & ROUTE_UPLOAD))
            continue;
        const struct user *others[4];
        const struct user *owner = page_parties(rt->pattern, others);
        if (owner == NULL)
            continue;
        const char *method = (rt->methods & HTTP_GET) ? "GET" : "POST";
        char path[320], missing[400];
        page_path(rt->pattern, path, sizeof(path));
        page_missing_path(rt->pattern, path, missing, sizeof(missing));
        for (size_t o = 0; others[o] != NULL; o++) {
            const struct user *u = NULL, *owner_session = NULL;
            for (size_t k = 0; k < sizeof(real) / sizeof(real[0]); k++) {
                if (real[k] == others[o])
                    u = &people[k];
                if (real[k] == owner)
                    owner_session = &people[k];
            }
            struct snapshot before;
            if (strcmp(method, "POST") == 0)
                snapshot_take(&before);
            struct api_response r, nothing;
            page_call(&r, u, method, path);
            page_call(&nothing, u, method, missing);
            if (r.status != 404 && r.status != nothing.status)
                TEST_FAILF("%s %s as %s answered %ld, where an id that names nothing gets %ld", method, path, u->email,
                           r.status, nothing.status);
            else if (r.status != 404)
                printf("  note: %s %s as %s answered %ld, as an id that names nothing does\n", method, path, u->email,
                       r.status);
            api_free(&r);
            api_free(&nothing);
            char what[600];
            snprintf(what, sizeof(what), "%s %s as %s", method, path, u->email);
            if (strcmp(method, "POST") == 0) {
                snapshot_unchanged(&before, what);
            } else if (o == 0 && !owner_page_missing(rt->pattern)) {
                page_call(&r, owner_session, "GET", path);
                if (r.status == 404)
                    TEST_FAILF("GET %s as its owner answered 404: the fixture proves nothing", path);
                api_free(&r);
            }
            swept++;
        }
    }
    printf("  %zu cross-party page calls\n", swept);
}

/* ---- garbage in ids and query parameters ---- */

static const char *const garbage_values[] = {
    "%00", "..%2F..%2Fetc", "%E2%80%AE", "a%20b", "%27--", "-1", "99999999999999999999999", "2027-02-30",
    "%FF%FE", "%C0%AF", "%ED%A0%80", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    NULL};

/* A reply to garbage: API routes a 4xx problem, pages anything but a 5xx. */
static void garbage_reply(const struct route *rt, const struct api_response *r, const char *what)
{
    if (rt->flags & ROUTE_JSON)
        problem_4xx(r, what);
    else if (r->status == 0 || r->status >= 500)
        TEST_FAILF("%s answered %ld", what, r->status);
}

/* Each id of each signed-in route replaced by garbage, as staff and as a student. */
TEST(garbage_ids_get_a_4xx)
{
    const struct user *callers[] = {&W.staff, &student_a};
    struct snapshot before;
    snapshot_take(&before);
    size_t swept = 0;
    for (size_t i = 0; i < rounds_route_count; i++) {
        const struct route *rt = &rounds_routes[i];
        if (!(rt->flags & ROUTE_AUTH) || !pattern_has_id(rt->pattern))
            continue;
        bool page = (rt->flags & ROUTE_HTML) != 0;
        for (size_t m = 0; all_methods[m] != NULL; m++) {
            /* Pages: their GETs (a form post without its token stops at the CSRF check). */
            if (!(rt->methods & method_bit(all_methods[m])) || (page && m > 0))
                continue;
            for (size_t g = 0; garbage_values[g] != NULL; g++) {
                struct fixture f = {0};
                f.pattern = rt->pattern;
                if (page)
                    page_path(rt->pattern, f.path, sizeof(f.path));
                else
                    path_for(rt, all_methods[m], f.path, sizeof(f.path));
                char path[700];
                /* missing_path puts "zzz…" in place of the first id: put the garbage there instead. */
                char base[400];
                missing_path(&f, base, sizeof(base));
                const char *z = strstr(base, "zzzzzzzzzzzzzzzzzzzz");
                if (z == NULL)
                    continue;
                snprintf(path, sizeof(path), "%.*s%s%s", (int)(z - base), base, garbage_values[g], z + 20);
                for (size_t c = 0; c < sizeof(callers) / sizeof(callers[0]); c++) {
                    struct api_response r;
                    bool write = is_write(all_methods[m]);
                    if (page) {
                        const char *headers[] = {callers[c]->cookie, NULL};
                        struct api_raw_request rq = {"GET", path, headers, NULL, 0, true};
                        api_send(&r, &rq);
                    } else {
                        send_as(&r, callers[c], all_methods[m], path, NULL, write ? "{}" : NULL, write ? 2 : 0);
                    }
                    char what[900];
                    snprintf(what, sizeof(what), "%s %s as %s", all_methods[m], path, callers[c]->email);
                    garbage_reply(rt, &r, what);
                    api_free(&r);
                    swept++;
                }
            }
        }
    }
    snapshot_unchanged(&before, "garbage ids");
    printf("  %zu calls with garbage ids\n", swept);
}

/* Each query parameter of each GET route given garbage, and an unknown one. */
TEST(garbage_query_parameters_get_a_4xx_or_are_ignored)
{
    struct user page_staff = W.staff, page_student = student_a;
    if (!login(&page_staff) || !login(&page_student))
        return;
    size_t swept = 0;
    for (size_t i = 0; i < rounds_route_count; i++) {
        const struct route *rt = &rounds_routes[i];
        if (!(rt->methods & HTTP_GET) || (rt->flags & ROUTE_TEST_HOOK))
            continue;
        char base[320];
        if (rt->flags & ROUTE_JSON)
            path_for(rt, "GET", base, sizeof(base));
        else
            page_path(rt->pattern, base, sizeof(base));
        const struct user *callers[] = {&page_staff, &page_student};
        for (size_t c = 0; c < 2; c++) {
            const char *auth = (rt->flags & ROUTE_JSON) ? callers[c]->auth : callers[c]->cookie;
            const char *headers[] = {auth, NULL};
            char path[900];
            struct api_response r;
            snprintf(path, sizeof(path), "%s?sweep_unknown=1", base);
            struct api_raw_request rq = {"GET", path, headers, NULL, 0, true};
            api_send(&r, &rq);
            if (r.status != 400 && r.status != 404 && r.status != 403)
                TEST_FAILF("GET %s answered %ld, expected 400 (an unknown parameter)", path, r.status);
            api_free(&r);
            for (size_t q = 0; rt->query != NULL && rt->query[q] != NULL; q++)
                for (size_t g = 0; garbage_values[g] != NULL; g++) {
                    snprintf(path, sizeof(path), "%s?%s=%s", base, rt->query[q], garbage_values[g]);
                    rq.path = path;
                    api_send(&r, &rq);
                    if (r.status == 0 || r.status >= 500)
                        TEST_FAILF("GET %s answered %ld", path, r.status);
                    else if ((rt->flags & ROUTE_JSON) && r.status >= 400)
                        problem_4xx(&r, path);
                    api_free(&r);
                    swept++;
                }
        }
    }
    printf("  %zu calls with garbage query parameters\n", swept);
}

/* A browser session (the cookie) without the CSRF token may not call the API's unsafe methods. */
TEST(api_writes_with_the_session_cookie_need_the_csrf_token)
{
    struct user cookie_student = student_a;
    if (!login(&cookie_student))
        return;
    struct snapshot before;
    snapshot_take(&before);
    size_t swept = 0;
    for (size_t i = 0; i < rounds_route_count; i++) {
        const struct route *rt = &rounds_routes[i];
        if (!(rt->flags & ROUTE_JSON) || !(rt->flags & ROUTE_AUTH) || (rt->flags & (ROUTE_NO_CSRF | ROUTE_UPLOAD)))
            continue;
        for (size_t m = 1; all_methods[m] != NULL; m++) {
            if (!(rt->methods & method_bit(all_methods[m])))
                continue;
            char path[320];
            path_for(rt, all_methods[m], path, sizeof(path));
            const char *headers[] = {"Content-Type: application/json", cookie_student.cookie, NULL};
            struct api_raw_request rq = {all_methods[m], path, headers, "{}", 2, true};
            struct api_response r;
            api_send(&r, &rq);
            char what[400];
            snprintf(what, sizeof(what), "%s %s with the cookie and no CSRF token", all_methods[m], path);
            expect_problem(&r, what, 403, "csrf_failed", NULL);
            api_free(&r);
            swept++;
        }
    }
    snapshot_unchanged(&before, "cookie writes without the CSRF token");
    printf("  %zu calls\n", swept);
}

/* ---- lists: world B sees nothing of world A ---- */

/* The ids and names of world A that no party of world B may ever read. */
static size_t world_a_secrets(const char *out[16])
{
    size_t n = 0;
    const char *all[] = {app_a, doc_a, letter_a, ticket_a, hours_a, search_a, notice_a, deletion_a, agreement_a,
                         round_a, student_a.id, student_a.email, student_leaving.email, NULL};
    for (size_t i = 0; all[i] != NULL; i++)
        if (all[i][0] != '\0')
            out[n++] = all[i];
    return n;
}

static void no_secret_in(const struct api_response *r, const char *what)
{
    const char *secrets[16];
    size_t n = world_a_secrets(secrets);
    for (size_t i = 0; i < n && r->body != NULL; i++)
        if (memmem(r->body, r->body_len, secrets[i], strlen(secrets[i])) != NULL)
            TEST_FAILF("%s shows world A's %s", what, secrets[i]);
}

/* Every list and page without an id, read by each party of world B, with
 * each of its query parameters set to each of world A's ids, shows none of
 * world A's private ids, names or addresses. */
/* Reads path as who would, with headers, checking that no reply holds one
 * of world A's secrets; an API list (its reply "X[]") is read whole, a
 * hundred to a page by next_cursor, so that nothing hides past the first
 * page. path (of size bytes) is reused for the pages. The reads made. */
static size_t read_every_page(const struct route *rt, char *path, size_t size, const char *const *headers,
                              const char *who)
{
    size_t len = strlen(rt->response != NULL ? rt->response : "");
    bool list = len > 2 && strcmp(rt->response + len - 2, "[]") == 0;
    size_t base = strlen(path), reads = 0;
    if (list)
        snprintf(path + base, size - base, "%climit=100", strchr(path, '?') != NULL ? '&' : '?');
    for (int page = 0; page < 100; page++) {
        struct api_raw_request rq = {"GET", path, headers, NULL, 0, true};
        struct api_response r;
        char what[720];
        api_send(&r, &rq);
        reads++;
        snprintf(what, sizeof(what), "GET %.500s as %.160s (%ld)", path, who, r.status);
        if (r.status == 0 || r.status >= 500)
            TEST_FAILF("%s", what);
        no_secret_in(&r, what);
        const char *next = list && r.status == 200 ? api_json_str(r.json, "next_cursor") : NULL;
        size_t at = strlen(path);
        char *cursor = strstr(path, "&cursor=");
        if (cursor != NULL)
            at = (size_t)(cursor - path);
        int n = next != NULL ? snprintf(path + at, size - at, "&cursor=%s", next) : -1;
        api_free(&r);
        if (n < 0 || (size_t)n >= size - at)
            break;
    }
    path[base] = '\0';
    return reads;
}

TEST(world_b_lists_show_nothing_of_world_a)
{
    struct user parties[] = {student_b, W.coord_b, W.precep_b, school_coord_b};
    for (size_t k = 0; k < sizeof(parties) / sizeof(parties[0]); k++)
        if (!login(&parties[k]))
            return;
    const char *filters[] = {app_a, W.offering_a, W.org_a, student_a.id, block_a, school_a, W.prc_a, NULL};
    /* The check can fail: world A's own student sees her application in the same lists. */
    struct api_response control;
    world_call(&control, &student_a, "GET", "/api/v1/applications", NULL);
    CHECK(control.body != NULL && strstr(control.body, app_a) != NULL);
    api_free(&control);
    size_t swept = 0;
    for (size_t i = 0; i < rounds_route_count; i++) {
        const struct route *rt = &rounds_routes[i];
        if (!(rt->methods & HTTP_GET) || !(rt->flags & ROUTE_AUTH) || pattern_has_id(rt->pattern) ||
            strcmp(rt->pattern, "/api/v1/me/export") == 0) /* a zip: test_api_export checks what it holds */
            continue;
        for (size_t k = 0; k < sizeof(parties) / sizeof(parties[0]); k++) {
            const char *auth = (rt->flags & ROUTE_JSON) ? parties[k].auth : parties[k].cookie;
            const char *headers[] = {auth, NULL};
            char path[600];
            for (size_t q = 0; q == 0 || (rt->query != NULL && rt->query[q - 1] != NULL); q++) {
                for (size_t v = 0; filters[v] != NULL; v++) {
                    if (q == 0 && v > 0)
                        break;
                    if (q == 0)
                        snprintf(path, sizeof(path), "%s", rt->pattern);
                    else
                        snprintf(path, sizeof(path), "%s?%s=%s", rt->pattern, rt->query[q - 1], filters[v]);
                    swept += read_every_page(rt, path, sizeof(path), headers, parties[k].email);
                }
            }
        }
    }
    printf("  %zu list and page reads by world B\n", swept);
}

/* ---- values the spec lets through, at their edges ---- */

enum edge { EDGE_MAX, EDGE_MIN, EDGE_IDS };

static json_t *edge_value(const struct json_field *f, enum edge e, size_t room);

static json_t *edge_object(const struct json_field *spec, enum edge e, size_t room)
{
    json_t *o = json_object();
    size_t n = 0;
    while (spec != NULL && spec[n].name != NULL)
        n++;
    for (size_t i = 0; i < n; i++)
        json_object_set_new(o, spec[i].name, edge_value(&spec[i], e, room / (n + 1)));
    return o;
}

/* A value the spec accepts: the longest or largest (EDGE_MAX), the shortest
 * or smallest (EDGE_MIN), or (EDGE_IDS) an id that names nothing for fields
 * named "…_id"/"…_ids", and valid values elsewhere. room bounds a string's length. */
static json_t *edge_value(const struct json_field *f, enum edge e, size_t room)
{
    size_t name_len = strlen(f->name);
    bool id_field = name_len > 3 && (strcmp(f->name + name_len - 3, "_id") == 0 ||
                                     (name_len > 4 && strcmp(f->name + name_len - 4, "_ids") == 0));
    if (e == EDGE_IDS && id_field && f->type == JSON_FIELD_STRING)
        return json_string("zz_nothing_by_this_id");
    if (e == EDGE_IDS && id_field && f->type == JSON_FIELD_STRING_ARRAY)
        return json_pack("[s]", "zz_nothing_by_this_id");
    if (e == EDGE_IDS)
        return valid_value(f);
    switch (f->type) {
    case JSON_FIELD_STRING:
    case JSON_FIELD_TEXT: {
        size_t n = e == EDGE_MAX ? (size_t)f->max : (size_t)(f->min > 0 ? f->min : 0);
        if (n > room)
            n = room;
        char *text = malloc(n + 1);
        for (size_t i = 0; i < n; i++)
            text[i] = (char)('a' + i % 26);
        text[n] = '\0';
        json_t *v = json_string(text);
        free(text);
        return v;
    }
    case JSON_FIELD_EMAIL:
        return json_string(e == EDGE_MAX ? "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@"
                                           "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.example.org"
                                         : "a@b.co");
    case JSON_FIELD_INT: return json_integer(e == EDGE_MAX ? f->max : f->min);
    case JSON_FIELD_HUNDREDTHS: return json_real((double)(e == EDGE_MAX ? f->max : f->min) / 100.0);
    case JSON_FIELD_BOOL: return e == EDGE_MAX ? json_true() : json_false();
    case JSON_FIELD_ENUM: {
        size_t n = 0;
        while (f->values[n] != NULL)
            n++;
        return json_string(f->values[e == EDGE_MAX ? n - 1 : 0]);
    }
    case JSON_FIELD_DATE: return json_string(e == EDGE_MAX ? "9999-12-31" : "0001-01-01");
    case JSON_FIELD_STRING_ARRAY: {
        json_t *a = json_array();
        for (size_t i = 0; e == EDGE_MAX && i < f->max_items && i < 64; i++)
            json_array_append_new(a, json_string("zz_item"));
        return a;
    }
    case JSON_FIELD_ENUM_ARRAY: {
        json_t *a = json_array();
        for (size_t i = 0; e == EDGE_MAX && f->values[i] != NULL; i++)
            json_array_append_new(a, json_string(f->values[i]));
        return a;
    }
    case JSON_FIELD_OBJECT: return edge_object(f->fields, e, room);
    case JSON_FIELD_OBJECT_ARRAY: {
        json_t *a = json_array();
        if (e == EDGE_MAX)
            json_array_append_new(a, edge_object(f->fields, e, room / 2));
        return a;
    }
    }
    return json_null();
}

/* Bodies the spec accepts, with every field at an edge, to every body route:
 * the handler may take them or refuse them with a problem, never a 5xx. Runs
 * last: some of them are taken and change the world. */
TEST(edge_values_never_get_a_5xx)
{
    static const char *const body_methods[] = {"POST", "PUT", "PATCH", NULL};
    size_t swept = 0;
    for (size_t i = 0; i < rounds_route_count; i++) {
        const struct route *rt = &rounds_routes[i];
        if (rt->request == NULL || spec_is_empty(rt->request))
            continue;
        for (size_t m = 0; body_methods[m] != NULL; m++) {
            const char *method = body_methods[m];
            const struct user *actor;
            char path[320], route[300];
            snprintf(route, sizeof(route), "%s %s", method, rt->pattern);
            if (!takes_json_body(rt, method_bit(method)) ||
                skip_reason(body_skips, sizeof(body_skips) / sizeof(body_skips[0]), route) != NULL ||
                !body_target(rt, method, path, sizeof(path), &actor))
                continue;
            for (int e = EDGE_MAX; e <= EDGE_IDS; e++) {
                char *body = json_text(edge_object(rt->request, (enum edge)e, body_cap(rt) / 2));
                struct api_response r;
                send_as(&r, actor, method, path, NULL, body, strlen(body));
                char what[500];
                snprintf(what, sizeof(what), "%s %s with edge values (%d)", method, path, e);
                if (r.status == 0 || r.status >= 500)
                    TEST_FAILF("%s answered %ld: %.300s (sent %.300s)", what, r.status, r.body, body);
                else if (r.status >= 400)
                    problem_4xx(&r, what);
                api_free(&r);
                free(body);
                swept++;
            }
        }
    }
    printf("  %zu bodies at the edges\n", swept);
}

/* ---- malformed uploads ---- */

#define UPLOAD_PART(name) "--sweep\r\nContent-Disposition: form-data; name=\"" name "\"\r\n\r\n"
#define UPLOAD_FILE(name, type) \
    "--sweep\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" name "\"\r\nContent-Type: " type "\r\n\r\n"

/* Broken multipart bodies to each API upload: a 4xx problem, and nothing changes. */
TEST(malformed_uploads_get_a_problem_and_change_nothing)
{
    static const struct {
        const char *content_type, *body, *what;
    } cases[] = {
        {"multipart/form-data", "--sweep--\r\n", "no boundary"},
        {"multipart/form-data; boundary=sweep", "garbage", "a body that is not multipart"},
        {"multipart/form-data; boundary=sweep", "", "an empty body"},
        {"multipart/form-data; boundary=sweep", UPLOAD_FILE("a.pdf", "application/pdf") "%PDF-1.4\n", "no closing boundary"},
        {"multipart/form-data; boundary=sweep", UPLOAD_PART("kind") "passport\r\n--sweep--\r\n", "no file part"},
        {"multipart/form-data; boundary=sweep",
         UPLOAD_PART("kind") "passport\r\n" UPLOAD_FILE("x.exe", "application/x-msdownload") "MZ\x90garbage\r\n--sweep--\r\n",
         "a program for a file"},
        {"multipart/form-data; boundary=sweep",
         UPLOAD_PART("sweep_unknown") "1\r\n" UPLOAD_FILE("a.pdf", "application/pdf") "%PDF-1.4\n%%EOF\n\r\n--sweep--\r\n",
         "an unknown part"},
        {"multipart/form-data; boundary=sweep",
         UPLOAD_PART("kind") "zz_not_a_kind\r\n" UPLOAD_PART("issued_on") "2027-02-30\r\n"
         UPLOAD_FILE("a.pdf", "application/pdf") "%PDF-1.4\n%%EOF\n\r\n--sweep--\r\n",
         "a bad kind and date"},
        {"multipart/form-data; boundary=sweep",
         UPLOAD_PART("kind") "passport\r\n" UPLOAD_FILE("a.pdf", "application/pdf") "%PDF-1.4\n%%EOF\n\r\n"
         UPLOAD_FILE("b.pdf", "application/pdf") "%PDF-1.4\n%%EOF\n\r\n--sweep--\r\n",
         "the file twice"},
        {"multipart/form-data; boundary=sweep",
         UPLOAD_PART("kind") "pass\x01port\r\n" UPLOAD_FILE("../../etc/passwd\x01", "application/pdf")
         "%PDF-1.4\n%%EOF\n\r\n--sweep--\r\n",
         "control characters in a part and a file name"},
        {"application/json", "{}", "JSON instead of multipart"},
    };
    struct target {
        const char *path;
        const struct user *who;
    } targets[2];
    char activate[160];
    snprintf(activate, sizeof(activate), "/api/v1/agreements/%s/activate", agreement_a);
    targets[0] = (struct target){"/api/v1/documents", &student_a};
    targets[1] = (struct target){activate, &school_coord_a};
    struct snapshot before;
    snapshot_take(&before);
    for (size_t t = 0; t < 2; t++)
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            struct api_response r;
            send_as(&r, targets[t].who, "POST", targets[t].path, cases[i].content_type, cases[i].body,
                    strlen(cases[i].body));
            char what[300];
            snprintf(what, sizeof(what), "POST %s with %s", targets[t].path, cases[i].what);
            problem_4xx(&r, what);
            api_free(&r);
        }
    snapshot_unchanged(&before, "malformed uploads");
}

/* ---- the forms the pages really show ---- */

/* The value of attr="…" in tag[0..len), into out; false when absent. */
static bool html_attr(const char *tag, size_t len, const char *attr, char *out, size_t size)
{
    char key[32];
    snprintf(key, sizeof(key), " %s=\"", attr);
    const char *at = memmem(tag, len, key, strlen(key));
    if (at == NULL)
        return false;
    at += strlen(key);
    const char *end = memchr(at, '"', len - (size_t)(at - tag));
    if (end == NULL || (size_t)(end - at) >= size)
        return false;
    snprintf(out, size, "%.*s", (int)(end - at), at);
    return true;
}

/* Posts each form of the page (its own fields, each given garbage) as u; a
 * failed check for a 5xx or a dropped connection. The number of forms posted. */
static size_t post_page_forms(const struct user *u, const char *page, const struct api_response *shown, size_t round)
{
    static const char *const junk[] = {"%FF%FE", "2027-02-30", "-99999999999999999999", "", "%3Cscript%3E",
                                       "zz_nothing_by_this_id", "1e999", "%E2%80%AE"};
    size_t posted = 0;
    const char *html = shown->body, *end = shown->body + shown->body_len;
    for (const char *form = strstr(html, "<form"); form != NULL && form < end; form = strstr(form + 5, "<form")) {
        const char *close = strstr(form, "</form>"), *tag_end = strchr(form, '>');
        char action[300], method[16];
        if (close == NULL || tag_end == NULL || !html_attr(form, (size_t)(tag_end - form), "action", action, sizeof(action)) ||
            action[0] != '/' || !html_attr(form, (size_t)(tag_end - form), "method", method, sizeof(method)) ||
            strcasecmp(method, "post") != 0 || strcmp(action, "/logout") == 0)
            continue;
        char body[4096];
        size_t n = (size_t)snprintf(body, sizeof(body), "csrf_token=%s", u->csrf);
        size_t k = round;
        for (const char *f = strstr(form, " name=\""); f != NULL && f < close && n + 200 < sizeof(body);
             f = strstr(f + 7, " name=\"")) {
            char name[64];
            const char *q = strchr(f + 7, '"');
            if (q == NULL || (size_t)(q - (f + 7)) >= sizeof(name))
                continue;
            snprintf(name, sizeof(name), "%.*s", (int)(q - (f + 7)), f + 7);
            if (strcmp(name, "csrf_token") == 0)
                continue;
            n += (size_t)snprintf(body + n, sizeof(body) - n, "&%s=%s", name, junk[k++ % (sizeof(junk) / sizeof(junk[0]))]);
        }
        bool multipart = memmem(form, (size_t)(tag_end - form), "multipart", 9) != NULL;
        struct api_response r;
        page_post(&r, u, action, multipart ? "multipart/form-data; boundary=sweep" : "application/x-www-form-urlencoded",
                  body, n);
        if (r.status == 0 || r.status >= 500)
            TEST_FAILF("the form of %s posted to %s with garbage as %s answered %ld: %.200s", page, action, u->email,
                       r.status, r.status == 0 ? r.error : r.body);
        api_free(&r);
        posted++;
    }
    return posted;
}

/* Every page each role sees, each of its forms posted with garbage in every
 * field it shows: never a 5xx. Runs late: some posts are taken. */
TEST(the_forms_pages_show_survive_garbage)
{
    struct user people[] = {student_a, W.coord_a, W.precep_a, W.staff, school_coord_a};
    size_t posted = 0;
    for (size_t k = 0; k < sizeof(people) / sizeof(people[0]); k++) {
        if (!login(&people[k]))
            return;
        for (size_t i = 0; i < rounds_route_count; i++) {
            const struct route *rt = &rounds_routes[i];
            if (!(rt->flags & ROUTE_HTML) || !(rt->methods & HTTP_GET) || strncmp(rt->pattern, "/assets/", 8) == 0)
                continue;
            char page[320];
            page_path(rt->pattern, page, sizeof(page));
            const char *headers[] = {people[k].cookie, NULL};
            struct api_raw_request rq = {"GET", page, headers, NULL, 0, true};
            struct api_response r;
            api_send(&r, &rq);
            if (r.status == 200 && r.body != NULL)
                posted += post_page_forms(&people[k], page, &r, i);
            api_free(&r);
        }
    }
    printf("  %zu forms posted with garbage\n", posted);
}

static void run_tests(void)
{
    API_RUN(every_route_is_swept);
    API_RUN(other_party_gets_404);
    API_RUN(anonymous_gets_401_or_the_login_page);
    API_RUN(malformed_bodies_get_a_problem_and_change_nothing);
    API_RUN(malformed_uploads_get_a_problem_and_change_nothing);
    API_RUN(garbage_ids_get_a_4xx);
    API_RUN(garbage_query_parameters_get_a_4xx_or_are_ignored);
    API_RUN(api_writes_with_the_session_cookie_need_the_csrf_token);
    API_RUN(other_party_pages_get_404);
    API_RUN(world_b_lists_show_nothing_of_world_a);
    API_RUN(page_forms_need_the_csrf_token);
    API_RUN(page_forms_survive_garbage);
    API_RUN(the_forms_pages_show_survive_garbage);
    API_RUN(edge_values_never_get_a_5xx);
}

static void finish(void)
{
    hooks_set_clock(0);
    db_close(W.db);
}

int main(void)
{
    /* Jobs only when a test runs them: the database changes only by the requests the sweep sends. */
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", NULL};
    static const struct api_suite suite = {.name = "api-sweep",
                                           .server = &server,
                                           .flags = flags,
                                           .setup = setup,
                                           .setup_what = "setting up the two worlds",
                                           .run = run_tests,
                                           .finish = finish};
    return api_suite_main(&suite);
}
