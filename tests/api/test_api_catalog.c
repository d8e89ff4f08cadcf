/* test_api_catalog.c — the catalog management API (API.md "Catalog") and the
 * search contract, against the real `rounds serve`:
 *
 *   - organisations, sites, preceptors, offerings and blocks created through
 *     the API, with the database state after each request;
 *   - every validation error naming its field, and nothing written;
 *   - authorization: a coordinator of host A touching host B's objects gets
 *     404 (as if they did not exist) and changes nothing; students get 403 on
 *     creation routes; anonymous callers 401;
 *   - PATCH semantics (only the fields sent, the whole result re-checked),
 *     seats below the seats taken (409);
 *   - the search contract over a small catalog built here: every filter,
 *     facet counts, cursor pagination, sorting, bad parameters, and changes
 *     showing at once.
 *
 * Users come from `rounds user add` (staff, one coordinator per host, a
 * preceptor) and registration (students); the two hosts are created by staff
 * through the API. Everything the suite creates carries a word unique to the
 * run (TAG), and searches are narrowed with q=TAG, so the suite also runs on
 * a PostgreSQL database that holds other suites' data. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api_client.h"
#include "api_suite.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "store/store.h"
#include "test.h"

#define PASSWORD "Harbor-Lantern-Quill-204"

static struct api_server main_server;
static struct db_conn *db; /* the server's database, for checking what requests changed */
static char TAG[32];       /* a word unique to this run: in titles, names and cities */
static char STAG[32];      /* another, for the search catalog alone (neither is a prefix of the other) */

static void copy_str(char *out, size_t size, const char *s);

struct user {
    char email[160], id[64], token[64], csrf[64];
    char auth[128];   /* "Authorization: Bearer <token>" */
    char cookie[128]; /* "Cookie: rounds_session=<token>", as a browser sends it */
};

/* Fills the session fields of u from a login or register reply. */
static void user_session(struct user *u, json_t *reply)
{
    copy_str(u->token, sizeof(u->token), api_json_str(reply, "token"));
    copy_str(u->csrf, sizeof(u->csrf), api_json_str(reply, "csrf_token"));
    copy_str(u->id, sizeof(u->id), api_json_str(reply, "user.id"));
    snprintf(u->auth, sizeof(u->auth), "Authorization: Bearer %s", u->token);
    snprintf(u->cookie, sizeof(u->cookie), "Cookie: rounds_session=%s", u->token);
}

static struct user staff, coord_a, coord_b, student, precept_user;
static char org_a[64], org_b[64];
static char site_a[64], site_a2[64], site_b[64];
static char prec_a[64], prec_a2[64], prec_b[64];

/* ---- helpers ---- */

static char *json_text(json_t *value)
{
    char *text = json_dumps(value, JSON_COMPACT);
    json_decref(value);
    return text;
}

/* Copies s (NULL: "") into out, truncated to size. */
static void copy_str(char *out, size_t size, const char *s)
{
    size_t n = s != NULL ? strlen(s) : 0;
    if (n >= size)
        n = size - 1;
    if (n > 0)
        memcpy(out, s, n);
    out[n] = '\0';
}

/* method path as u (NULL: anonymous) with a JSON body (may be NULL). */
static long call(struct api_response *r, const struct user *u, const char *method, const char *path, const char *body)
{
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    return api_request(r, method, path, u != NULL ? headers : NULL, body);
}

/* The same with a body built from a jansson value (stolen). */
static long call_json(struct api_response *r, const struct user *u, const char *method, const char *path,
                      json_t *body)
{
    char *text = json_text(body);
    long status = call(r, u, method, path, text);
    free(text);
    return status;
}

static bool login(struct user *u)
{
    struct api_response r;
    call_json(&r, NULL, "POST", "/api/v1/auth/login", json_pack("{s:s,s:s}", "email", u->email, "password", PASSWORD));
    bool ok = r.status == 200 && api_json_str(r.json, "token") != NULL;
    if (ok)
        user_session(u, r.json);
    else
        TEST_FAILF("login of %s answered %ld: %.300s", u->email, r.status, r.body);
    api_free(&r);
    return ok;
}

/* `rounds user add` (with --org when org is not NULL), then a login. */
static bool cli_user(struct user *u, const char *prefix, const char *role, const char *org)
{
    memset(u, 0, sizeof(*u));
    api_unique_email(u->email, sizeof(u->email), prefix);
    const char *args[16] = {"user", "add", "--email", u->email, "--name", prefix, "--role", role, "--password-stdin"};
    int n = 9;
    if (org != NULL) {
        args[n++] = "--org";
        args[n++] = org;
    }
    args[n] = NULL;
    struct api_cli_result res;
    int code = api_cli(main_server.db, args, PASSWORD "\n", &res);
    if (code != 0)
        TEST_FAILF("rounds user add %s exited %d: %.300s", role, code, res.err);
    api_cli_free(&res);
    return code == 0 && login(u);
}

static bool register_student(struct user *u, const char *prefix)
{
    memset(u, 0, sizeof(*u));
    api_unique_email(u->email, sizeof(u->email), prefix);
    struct api_response r;
    call_json(&r, NULL, "POST", "/api/v1/auth/register",
              json_pack("{s:s,s:s,s:s}", "email", u->email, "password", PASSWORD, "name", "Student Tester"));
    bool ok = r.status == 201;
    if (ok)
        user_session(u, r.json);
    else
        TEST_FAILF("registering answered %ld: %.300s", r.status, r.body);
    api_free(&r);
    return ok;
}

/* A fresh NPI with a correct check digit (Luhn over 80840 + the first nine digits). */
static void make_npi(char out[11], bool valid)
{
    static unsigned seed;
    if (seed == 0)
        seed = (unsigned)time(NULL) ^ ((unsigned)getpid() << 11);
    char digits[10];
    digits[0] = (char)('1' + (rand_r(&seed) % 2));
    for (int i = 1; i < 9; i++)
        digits[i] = (char)('0' + rand_r(&seed) % 10);
    int sum = 24;
    for (int i = 8; i >= 0; i--) {
        int d = digits[i] - '0';
        if ((8 - i) % 2 == 0) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    int check = (10 - sum % 10) % 10;
    memcpy(out, digits, 9);
    out[9] = (char)('0' + (valid ? check : (check + 1) % 10));
    out[10] = '\0';
}

/* A date `days` from today (server and suite share the clock). */
static const char *date_in(char out[11], int days)
{
    clock_date_from_days(clock_today_days() + days, out);
    return out;
}

/* POSTs body as u and copies the new object's id into out; false (after a failed check) otherwise. */
static bool create(const struct user *u, const char *path, json_t *body, char *out, size_t size)
{
    struct api_response r;
    call_json(&r, u, "POST", path, body);
    bool ok = r.status == 201 && api_json_str(r.json, "id") != NULL;
    if (ok)
        copy_str(out, size, api_json_str(r.json, "id"));
    else
        TEST_FAILF("POST %s answered %ld: %.400s", path, r.status, r.body);
    api_free(&r);
    return ok;
}

static json_t *site_body(const char *org, const char *name, const char *city, const char *state, const char *zip)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s}", "organization_id", org, "name", name, "city", city, "state", state,
                     "zip", zip);
}

static json_t *preceptor_body(const char *org, const char *name, const char *npi, const char *specialty)
{
    char email[160];
    api_unique_email(email, sizeof(email), "dr");
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "organization_id", org, "name", name, "email", email, "npi", npi,
                     "specialty", specialty, "license_state", "NY", "license_number", "NY-204-771");
}

/* A valid offering body for host org with its site and preceptor. */
static json_t *offering_body(const char *org, const char *site, const char *preceptor, const char *title)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:{s:b,s:b,s:[]},s:s,s:[s,s],s:s}",
                     "organization_id", org, "site_id", site, "preceptor_id", preceptor, "title", title, "specialty",
                     "cardiology", "kind", "hands_on", "setting", "inpatient", "weeks", 4, "tuition_cents", 250000,
                     "application_fee_cents", 10000, "deposit_cents", 50000, "eligibility", "graduates_allowed", 1,
                     "step1_required", 0, "visa_kinds", "description", "A clinical rotation.", "requirements", "cv",
                     "bls", "status", "published");
}

static bool create_offering(const struct user *u, const char *org, const char *site, const char *preceptor,
                            const char *title, char *out, size_t size)
{
    return create(u, "/api/v1/offerings", offering_body(org, site, preceptor, title), out, size);
}

static bool create_block(const struct user *u, const char *offering, int start_days, int end_days, int seats,
                         char *out, size_t size)
{
    char path[160], start[11], end[11];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s/blocks", offering);
    return create(u, path, json_pack("{s:s,s:s,s:i}", "start", date_in(start, start_days), "end",
                                     date_in(end, end_days), "seats", seats),
                  out, size);
}

static long long count_where(const char *sql, const char *p1)
{
    return api_db_int(db, sql, p1, NULL);
}

/* Every column of an offering as one comparable string (heap). */
static char *offering_row(const char *id)
{
    char *row = api_db_text(db,
                            "SELECT title || '|' || specialty || '|' || kind || '|' || setting || '|' ||"
                            " CAST(weeks AS TEXT) || '|' || CAST(hours_per_week AS TEXT) || '|' ||"
                            " CAST(tuition_cents AS TEXT) || '|' || CAST(application_fee_cents AS TEXT) || '|' ||"
                            " CAST(deposit_cents AS TEXT) || '|' || site_id || '|' || preceptor_id || '|' ||"
                            " visa_kinds || '|' || requirements || '|' || description || '|' || status || '|' ||"
                            " CAST(students_allowed AS TEXT) || CAST(graduates_allowed AS TEXT) ||"
                            " CAST(step1_required AS TEXT) || '|' || CAST(updated_at AS TEXT)"
                            " FROM offerings WHERE id = $1",
                            id, NULL, NULL);
    return row != NULL ? row : strdup("(no row)");
}

static char *block_row(const char *id)
{
    char *row = api_db_text(db,
                            "SELECT start_date || '|' || end_date || '|' || CAST(seats AS TEXT) || '|' ||"
                            " CAST(seats_taken AS TEXT) FROM blocks WHERE id = $1",
                            id, NULL, NULL);
    return row != NULL ? row : strdup("(no row)");
}

static char *site_row(const char *id)
{
    char *row = api_db_text(db,
                            "SELECT name || '|' || address || '|' || city || '|' || state || '|' || zip || '|' ||"
                            " time_zone FROM sites WHERE id = $1",
                            id, NULL, NULL);
    return row != NULL ? row : strdup("(no row)");
}

/* Sets a block's seats_taken directly (as bookings would) and tells the search index. */
static void set_seats_taken(const char *block_id, int taken)
{
    struct db_stmt *st = db_prepare(db, "UPDATE blocks SET seats_taken = $1 WHERE id = $2");
    db_bind_int(st, 1, taken);
    db_bind_text(st, 2, block_id);
    CHECK_INT(db_step(st), DB_DONE);
    db_reset(st);
    st = db_prepare(db, "INSERT INTO catalog_changes (offering_id, at)"
                        " SELECT offering_id, $2 FROM blocks WHERE id = $1");
    db_bind_text(st, 1, block_id);
    db_bind_int(st, 2, (int64_t)time(NULL));
    CHECK_INT(db_step(st), DB_DONE);
    db_reset(st);
}

/* Sends body to method path as u, expects the problem, and checks that row_of(id) did not change. */
#define CHECK_REFUSED_UNCHANGED(u, method, path, body, row_of, id, want_status, want_code, want_field)           \
    do {                                                                                                      \
        char *cru_before_ = row_of(id);                                                                       \
        struct api_response cru_r_;                                                                           \
        call(&cru_r_, (u), (method), (path), (body));                                                         \
        CHECK_PROBLEM(&cru_r_, (want_status), (want_code), (want_field));                                     \
        api_free(&cru_r_);                                                                                    \
        char *cru_after_ = row_of(id);                                                                        \
        CHECK_STR(cru_after_, cru_before_);                                                                   \
        free(cru_before_);                                                                                    \
        free(cru_after_);                                                                                     \
    } while (0)

/* ---- setup: users and hosts ---- */

TEST(setup_users_and_hosts)
{
    if (!cli_user(&staff, "staff", "staff", NULL) || !register_student(&student, "student"))
        return;
    char name[96];
    snprintf(name, sizeof(name), "Host Alpha %s", TAG);
    CHECK(create(&staff, "/api/v1/organizations", json_pack("{s:s,s:s}", "name", name, "kind", "host"), org_a,
                 sizeof(org_a)));
    snprintf(name, sizeof(name), "Host Beta %s", TAG);
    CHECK(create(&staff, "/api/v1/organizations", json_pack("{s:s,s:s}", "name", name, "kind", "host"), org_b,
                 sizeof(org_b)));
    if (org_a[0] == '\0' || org_b[0] == '\0')
        return;
    CHECK(cli_user(&coord_a, "coord-a", "host_coordinator", org_a));
    CHECK(cli_user(&coord_b, "coord-b", "host_coordinator", org_b));
    CHECK(cli_user(&precept_user, "precept", "preceptor", org_a));
}

/* ---- organisations ---- */

TEST(organizations_post_creates_a_host_and_a_school)
{
    CHECK_INT(count_where("SELECT COUNT(*) FROM organizations WHERE id = $1 AND kind = 'host'", org_a), 1);
    char name[96], school[64];
    snprintf(name, sizeof(name), "School %s", TAG);
    struct api_response r;
    call_json(&r, &staff, "POST", "/api/v1/organizations", json_pack("{s:s,s:s}", "name", name, "kind", "school"));
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "kind"), "school");
    CHECK_STR(api_json_str(r.json, "name"), name);
    copy_str(school, sizeof(school), api_json_str(r.json, "id"));
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM organizations WHERE id = $1 AND kind = 'school'", school), 1);
    /* A school cannot have sites. */
    call_json(&r, &staff, "POST", "/api/v1/sites", site_body(school, "Campus", "Albany", "NY", "12207"));
    CHECK_PROBLEM(&r, 400, "validation_failed", "organization_id");
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM sites WHERE organization_id = $1", school), 0);
}

TEST(organizations_post_is_for_staff_only)
{
    char name[96];
    snprintf(name, sizeof(name), "Sneaky %s", TAG);
    struct api_response r;
    call_json(&r, &student, "POST", "/api/v1/organizations", json_pack("{s:s,s:s}", "name", name, "kind", "host"));
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    call_json(&r, &coord_a, "POST", "/api/v1/organizations", json_pack("{s:s,s:s}", "name", name, "kind", "host"));
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    call_json(&r, NULL, "POST", "/api/v1/organizations", json_pack("{s:s,s:s}", "name", name, "kind", "host"));
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM organizations WHERE name = $1", name), 0);
    /* Bad bodies from staff. */
    call_json(&r, &staff, "POST", "/api/v1/organizations", json_pack("{s:s,s:s}", "name", name, "kind", "hospital"));
    CHECK_PROBLEM(&r, 400, "validation_failed", "kind");
    api_free(&r);
    call_json(&r, &staff, "POST", "/api/v1/organizations",
              json_pack("{s:s,s:s,s:s}", "name", name, "kind", "host", "id", "org_chosen"));
    CHECK_PROBLEM(&r, 400, "unknown_field", "id");
    api_free(&r);
    call_json(&r, &staff, "POST", "/api/v1/organizations", json_pack("{s:s}", "kind", "host"));
    CHECK_PROBLEM(&r, 400, "validation_failed", "name");
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM organizations WHERE name = $1", name), 0);
}

/* True when the list reply holds an item with this id. */
static bool list_has(json_t *reply, const char *id)
{
    json_t *items = json_object_get(reply, "items");
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        if (strcmp(json_string_value(json_object_get(item, "id")), id) == 0)
            return true;
    }
    return false;
}

TEST(organizations_get_staff_sees_all_others_their_own)
{
    struct api_response r;
    call(&r, &coord_a, "GET", "/api/v1/organizations", NULL);
    CHECK_INT(r.status, 200);
    CHECK(list_has(r.json, org_a));
    CHECK(!list_has(r.json, org_b));
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), 1);
    CHECK(json_is_null(json_object_get(r.json, "next_cursor")));
    api_free(&r);
    call(&r, &student, "GET", "/api/v1/organizations", NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), 0);
    api_free(&r);
    /* Staff: every organisation, paged by id; both hosts of this run are there. */
    bool seen_a = false, seen_b = false;
    char cursor[80] = "";
    for (int page = 0; page < 1000; page++) {
        char path[200];
        snprintf(path, sizeof(path), "/api/v1/organizations?kind=host&limit=100%s%s", cursor[0] ? "&cursor=" : "",
                 cursor);
        call(&r, &staff, "GET", path, NULL);
        CHECK_INT(r.status, 200);
        seen_a = seen_a || list_has(r.json, org_a);
        seen_b = seen_b || list_has(r.json, org_b);
        size_t i;
        json_t *item;
        json_array_foreach(json_object_get(r.json, "items"), i, item) {
            CHECK_STR(json_string_value(json_object_get(item, "kind")), "host");
        }
        const char *next = api_json_str(r.json, "next_cursor");
        copy_str(cursor, sizeof(cursor), next);
        api_free(&r);
        if (next == NULL)
            break;
    }
    CHECK(seen_a && seen_b);
    call(&r, &staff, "GET", "/api/v1/organizations?kind=hospital", NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "kind");
    api_free(&r);
    call(&r, NULL, "GET", "/api/v1/organizations", NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
}

TEST(specialties_are_a_public_list)
{
    struct api_response r;
    call(&r, NULL, "GET", "/api/v1/specialties?limit=100", NULL);
    CHECK_INT(r.status, 200);
    json_t *items = json_object_get(r.json, "items");
    CHECK(json_array_size(items) >= 30);
    CHECK(json_is_null(json_object_get(r.json, "next_cursor"))); /* the whole list on the one page */
    bool cardiology = false;
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        if (strcmp(json_string_value(json_object_get(item, "slug")), "cardiology") == 0) {
            cardiology = true;
            CHECK_STR(json_string_value(json_object_get(item, "name")), "Cardiology");
        }
    }
    CHECK(cardiology);
    api_free(&r);
}

/* ---- sites ---- */

TEST(sites_post_creates_with_the_time_zone_of_the_state)
{
    char city[64];
    snprintf(city, sizeof(city), "Springfield%s", TAG);
    struct api_response r;
    json_t *body = site_body(org_a, "Lakeside Clinic", city, "IL", "62701-1234");
    json_object_set_new(body, "address", json_string("1 Lake Shore Dr"));
    call_json(&r, &coord_a, "POST", "/api/v1/sites", body);
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "time_zone"), "America/Chicago");
    CHECK_STR(api_json_str(r.json, "organization_id"), org_a);
    CHECK_STR(api_json_str(r.json, "zip"), "62701-1234");
    copy_str(site_a, sizeof(site_a), api_json_str(r.json, "id"));
    api_free(&r);
    char *row = site_row(site_a);
    char want[256];
    snprintf(want, sizeof(want), "Lakeside Clinic|1 Lake Shore Dr|%s|IL|62701-1234|America/Chicago", city);
    CHECK_STR(row, want);
    free(row);

    snprintf(city, sizeof(city), "Dayton%s", TAG);
    CHECK(create(&coord_a, "/api/v1/sites", site_body(org_a, "Riverside", city, "OH", "45402"), site_a2,
                 sizeof(site_a2)));
    snprintf(city, sizeof(city), "Tacoma%s", TAG);
    CHECK(create(&coord_b, "/api/v1/sites", site_body(org_b, "Harbor", city, "WA", "98402"), site_b, sizeof(site_b)));
    /* Staff may create for any host. */
    char staff_site[64];
    CHECK(create(&staff, "/api/v1/sites", site_body(org_b, "Staff made", city, "WA", "98402"), staff_site,
                 sizeof(staff_site)));
}

/* POST /api/v1/sites with body as coord_a: the problem, and no site of that name. */
static void check_site_refused(json_t *body, const char *field, const char *code)
{
    struct api_response r;
    call_json(&r, &coord_a, "POST", "/api/v1/sites", body);
    CHECK_PROBLEM(&r, 400, code, field);
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM sites WHERE name = 'Refused site'", NULL), 0);
}

TEST(sites_post_validation_names_the_field)
{
    check_site_refused(site_body(org_a, "Refused site", "Boston", "XX", "02115"), "state", "validation_failed");
    check_site_refused(site_body(org_a, "Refused site", "Boston", "ma", "02115"), "state", "validation_failed");
    check_site_refused(site_body(org_a, "Refused site", "Boston", "MA", "2115"), "zip", "validation_failed");
    check_site_refused(site_body(org_a, "Refused site", "Boston", "MA", "02115-12"), "zip", "validation_failed");
    check_site_refused(site_body(org_a, "Refused site", "Boston", "MA", "0211a"), "zip", "validation_failed");
    check_site_refused(site_body(org_a, "Refused site", "", "MA", "02115"), "city", "validation_failed");
    char long_city[120];
    memset(long_city, 'a', 101);
    long_city[101] = '\0';
    check_site_refused(site_body(org_a, "Refused site", long_city, "MA", "02115"), "city", "validation_failed");
    check_site_refused(site_body(org_a, "", "Boston", "MA", "02115"), "name", "validation_failed");
    json_t *body = site_body(org_a, "Refused site", "Boston", "MA", "02115");
    json_object_set_new(body, "time_zone", json_string("UTC"));
    check_site_refused(body, "time_zone", "unknown_field");
    body = site_body(org_a, "Refused site", "Boston", "MA", "02115");
    json_object_del(body, "zip");
    check_site_refused(body, "zip", "validation_failed");
}

TEST(sites_post_for_another_host_is_403)
{
    struct api_response r;
    call_json(&r, &coord_b, "POST", "/api/v1/sites", site_body(org_a, "Refused site", "Boston", "MA", "02115"));
    CHECK_PROBLEM(&r, 403, "forbidden", "organization_id");
    api_free(&r);
    call_json(&r, &student, "POST", "/api/v1/sites", site_body(org_a, "Refused site", "Boston", "MA", "02115"));
    CHECK_PROBLEM(&r, 403, "forbidden", "organization_id");
    api_free(&r);
    call_json(&r, NULL, "POST", "/api/v1/sites", site_body(org_a, "Refused site", "Boston", "MA", "02115"));
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM sites WHERE name = 'Refused site'", NULL), 0);
}

TEST(sites_get_lists_the_callers_hosts_with_a_cursor)
{
    struct api_response r;
    call(&r, &coord_a, "GET", "/api/v1/sites", NULL);
    CHECK_INT(r.status, 200);
    CHECK(list_has(r.json, site_a) && list_has(r.json, site_a2));
    CHECK(!list_has(r.json, site_b));
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), 2);
    api_free(&r);
    /* One per page: two pages, then no cursor. */
    call(&r, &coord_a, "GET", "/api/v1/sites?limit=1", NULL);
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), 1);
    char first[64], cursor[80];
    json_t *item0 = json_array_get(json_object_get(r.json, "items"), 0);
    copy_str(first, sizeof(first), json_string_value(json_object_get(item0, "id")));
    copy_str(cursor, sizeof(cursor), api_json_str(r.json, "next_cursor"));
    CHECK(cursor[0] != '\0');
    api_free(&r);
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/sites?limit=1&cursor=%s", cursor);
    call(&r, &coord_a, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    json_t *item1 = json_array_get(json_object_get(r.json, "items"), 0);
    CHECK(item1 != NULL && strcmp(json_string_value(json_object_get(item1, "id")), first) != 0);
    CHECK(json_is_null(json_object_get(r.json, "next_cursor")));
    api_free(&r);
    /* The other host's coordinator sees only its own. */
    call(&r, &coord_b, "GET", "/api/v1/sites", NULL);
    CHECK(list_has(r.json, site_b) && !list_has(r.json, site_a));
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/sites?organization_id=%s", org_a);
    call(&r, &coord_b, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", "organization_id");
    api_free(&r);
    call(&r, &staff, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK(list_has(r.json, site_a) && !list_has(r.json, site_b));
    api_free(&r);
    /* A student manages nothing. */
    call(&r, &student, "GET", "/api/v1/sites", NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), 0);
    api_free(&r);
    /* Bad list parameters. */
    const char *bad[][2] = {{"/api/v1/sites?limit=0", "limit"},      {"/api/v1/sites?limit=101", "limit"},
                            {"/api/v1/sites?limit=ten", "limit"},    {"/api/v1/sites?cursor=%22%3B--", "cursor"},
                            {"/api/v1/sites?limit=1&limit=2", "limit"}};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        call(&r, &coord_a, "GET", bad[i][0], NULL);
        CHECK_PROBLEM(&r, 400, "invalid_parameter", bad[i][1]);
        api_free(&r);
    }
    call(&r, &coord_a, "GET", "/api/v1/sites?page=2", NULL);
    CHECK_PROBLEM(&r, 400, "unknown_parameter", "page");
    api_free(&r);
}

TEST(site_get_and_patch_of_another_host_is_404)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/sites/%s", site_a);
    struct api_response r;
    call(&r, &coord_b, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    CHECK_REFUSED_UNCHANGED(&coord_b, "PATCH", path, "{\"city\":\"Elsewhere\"}", site_row, site_a, 404, "not_found",
                            NULL);
    CHECK_REFUSED_UNCHANGED(&student, "PATCH", path, "{\"city\":\"Elsewhere\"}", site_row, site_a, 404, "not_found",
                            NULL);
    /* The same answer as for a site that does not exist. */
    call(&r, &coord_b, "PATCH", "/api/v1/sites/site_doesnotexist000", "{\"city\":\"Elsewhere\"}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    /* Its own coordinator: only the fields sent change, and the result is checked. */
    CHECK_REFUSED_UNCHANGED(&coord_a, "PATCH", path, "{\"state\":\"ZZ\"}", site_row, site_a, 400, "validation_failed",
                            "state");
    CHECK_REFUSED_UNCHANGED(&coord_a, "PATCH", path, "{\"zip\":\"1\"}", site_row, site_a, 400, "validation_failed",
                            "zip");
    CHECK_REFUSED_UNCHANGED(&coord_a, "PATCH", path, "{\"country\":\"US\"}", site_row, site_a, 400, "unknown_field",
                            "country");
    call(&r, &coord_a, "PATCH", path, "{\"name\":\"Lakeside Clinic East\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "name"), "Lakeside Clinic East");
    CHECK_STR(api_json_str(r.json, "state"), "IL");
    api_free(&r);
    char *row = site_row(site_a);
    CHECK_CONTAINS(row, "Lakeside Clinic East|1 Lake Shore Dr|Springfield");
    free(row);
}

/* ---- preceptors ---- */

TEST(preceptors_post_creates_unverified)
{
    char npi[11];
    make_npi(npi, true);
    char name[96];
    snprintf(name, sizeof(name), "Dr. Imogen Quarry%s", TAG);
    struct api_response r;
    json_t *body = preceptor_body(org_a, name, npi, "cardiology");
    json_object_set_new(body, "user_id", json_string(precept_user.id));
    json_object_set_new(body, "board_status", json_string("eligible"));
    char expires[11];
    json_object_set_new(body, "license_expires", json_string(date_in(expires, 400)));
    call_json(&r, &coord_a, "POST", "/api/v1/preceptors", body);
    CHECK_INT(r.status, 201);
    CHECK(json_is_false(json_object_get(r.json, "verified")));
    CHECK_STR(api_json_str(r.json, "npi"), npi);
    CHECK_STR(api_json_str(r.json, "user_id"), precept_user.id);
    CHECK_STR(api_json_str(r.json, "board_status"), "eligible");
    copy_str(prec_a, sizeof(prec_a), api_json_str(r.json, "id"));
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM preceptors WHERE npi = $1 AND verified = 0", npi), 1);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM preceptors WHERE id = $1 AND organization_id = $2", prec_a, org_a),
              1);

    make_npi(npi, true);
    snprintf(name, sizeof(name), "Dr. Oswin Thistle%s", TAG);
    CHECK(create(&coord_a, "/api/v1/preceptors", preceptor_body(org_a, name, npi, "pediatrics"), prec_a2,
                 sizeof(prec_a2)));
    make_npi(npi, true);
    snprintf(name, sizeof(name), "Dr. Beatrix Fennel%s", TAG);
    CHECK(create(&coord_b, "/api/v1/preceptors", preceptor_body(org_b, name, npi, "psychiatry"), prec_b,
                 sizeof(prec_b)));
}

/* POST /api/v1/preceptors as coord_a: the problem, and no preceptor with that NPI was added. */
static void check_preceptor_refused(json_t *body, const char *npi, long long npi_count, int status, const char *code,
                                    const char *field)
{
    struct api_response r;
    call_json(&r, &coord_a, "POST", "/api/v1/preceptors", body);
    CHECK_PROBLEM(&r, status, code, field);
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM preceptors WHERE npi = $1", npi), npi_count);
}

TEST(preceptors_post_validation_names_the_field)
{
    char npi[11], bad_npi[11];
    make_npi(npi, true);
    make_npi(bad_npi, false);
    check_preceptor_refused(preceptor_body(org_a, "Dr. Bad Check", bad_npi, "cardiology"), bad_npi, 0, 400,
                            "validation_failed", "npi");
    check_preceptor_refused(preceptor_body(org_a, "Dr. Short", "123456789", "cardiology"), "123456789", 0, 400,
                            "validation_failed", "npi");
    check_preceptor_refused(preceptor_body(org_a, "Dr. Unknown", npi, "astrology"), npi, 0, 400, "validation_failed",
                            "specialty");
    json_t *body = preceptor_body(org_a, "Dr. Nowhere", npi, "cardiology");
    json_object_set_new(body, "license_state", json_string("QQ"));
    check_preceptor_refused(body, npi, 0, 400, "validation_failed", "license_state");
    body = preceptor_body(org_a, "Dr. Long", npi, "cardiology");
    json_object_set_new(body, "license_number", json_string("12345678901234567890123456789012345678901"));
    check_preceptor_refused(body, npi, 0, 400, "validation_failed", "license_number");
    char past[11];
    body = preceptor_body(org_a, "Dr. Expired", npi, "cardiology");
    json_object_set_new(body, "license_expires", json_string(date_in(past, -1)));
    check_preceptor_refused(body, npi, 0, 400, "validation_failed", "license_expires");
    body = preceptor_body(org_a, "Dr. Board", npi, "cardiology");
    json_object_set_new(body, "board_status", json_string("pending"));
    check_preceptor_refused(body, npi, 0, 400, "validation_failed", "board_status");
    body = preceptor_body(org_a, "Dr. Ghost", npi, "cardiology");
    json_object_set_new(body, "user_id", json_string("u_nobody0000000000"));
    check_preceptor_refused(body, npi, 0, 422, "unprocessable", "user_id");
    body = preceptor_body(org_a, "Dr. Verified", npi, "cardiology");
    json_object_set_new(body, "verified", json_true());
    check_preceptor_refused(body, npi, 0, 400, "unknown_field", "verified");
    body = preceptor_body(org_a, "Dr. Mail", npi, "cardiology");
    json_object_set_new(body, "email", json_string("not-an-email"));
    check_preceptor_refused(body, npi, 0, 400, "validation_failed", "email");
    /* Another host's coordinator: 403 naming the organisation. */
    struct api_response r;
    call_json(&r, &coord_b, "POST", "/api/v1/preceptors", preceptor_body(org_a, "Dr. Elsewhere", npi, "cardiology"));
    CHECK_PROBLEM(&r, 403, "forbidden", "organization_id");
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM preceptors WHERE npi = $1", npi), 0);
    /* The NPI of an existing preceptor: 409 naming it. */
    char *taken = api_db_text(db, "SELECT npi FROM preceptors WHERE id = $1", prec_a, NULL, NULL);
    if (taken != NULL) {
        check_preceptor_refused(preceptor_body(org_a, "Dr. Twin", taken, "cardiology"), taken, 1, 409, "conflict",
                                "npi");
        free(taken);
    }
}

TEST(preceptors_get_lists_and_hides_other_hosts)
{
    struct api_response r;
    call(&r, &coord_a, "GET", "/api/v1/preceptors", NULL);
    CHECK_INT(r.status, 200);
    CHECK(list_has(r.json, prec_a) && list_has(r.json, prec_a2) && !list_has(r.json, prec_b));
    api_free(&r);
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/preceptors/%s", prec_b);
    call(&r, &coord_a, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &coord_b, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "id"), prec_b);
    api_free(&r);
}

/* ---- offerings ---- */

static char offering_a[64], block_a[64];

TEST(offerings_post_creates_the_offering)
{
    char title[160];
    snprintf(title, sizeof(title), "Cardiology clerkship %s", TAG);
    json_t *body = offering_body(org_a, site_a, prec_a, title);
    json_object_set_new(body, "hours_per_week", json_integer(45));
    json_object_set_new(body, "first_day", json_string("Meet at the front desk at 8:00.\nBring your badge."));
    json_object_set_new(body, "refund_policy",
                        json_pack("{s:[{s:i,s:i},{s:i,s:i,s:b}]}", "tiers", "days_before", 30, "percent", 50,
                                  "days_before", 60, "percent", 100, "fee_refunded", 1));
    json_object_set_new(body, "balance_due_days", json_integer(40));
    json_object_set_new(body, "lor_customary", json_true());
    json_object_set_new(body, "eligibility",
                        json_pack("{s:b,s:b,s:b,s:[s,s],s:i,s:b}", "students_allowed", 0, "graduates_allowed", 1,
                                  "step1_required", 1, "visa_kinds", "b1_b2", "j1", "max_years_since_graduation", 5,
                                  "english_proof_required", 1));
    struct api_response r;
    call_json(&r, &coord_a, "POST", "/api/v1/offerings", body);
    CHECK_INT(r.status, 201);
    copy_str(offering_a, sizeof(offering_a), api_json_str(r.json, "id"));
    CHECK_STR(api_json_str(r.json, "title"), title);
    CHECK_STR(api_json_str(r.json, "host.id"), org_a);
    CHECK_STR(api_json_str(r.json, "site.id"), site_a);
    CHECK_STR(api_json_str(r.json, "site.state"), "IL");
    CHECK_STR(api_json_str(r.json, "preceptor.id"), prec_a);
    CHECK(json_is_false(api_json_get(r.json, "preceptor.verified")));
    CHECK_INT(api_json_int(r.json, "tuition_cents", -1), 250000);
    CHECK_INT(api_json_int(r.json, "deposit_cents", -1), 50000);
    CHECK_INT(api_json_int(r.json, "hours_per_week", -1), 45);
    CHECK_INT(api_json_int(r.json, "eligibility.max_years_since_graduation", -1), 5);
    CHECK(json_is_true(api_json_get(r.json, "eligibility.step1_required")));
    CHECK(json_is_false(api_json_get(r.json, "eligibility.students_allowed")));
    CHECK(json_is_true(api_json_get(r.json, "lor_customary")));
    /* The policy comes back in order, largest days first; the price is tuition + fee. */
    json_t *tiers = api_json_get(r.json, "refund_policy.tiers");
    CHECK(json_is_array(tiers) && json_array_size(tiers) == 2);
    CHECK_INT(api_json_int(json_array_get(tiers, 0), "days_before", -1), 60);
    CHECK(json_is_true(api_json_get(json_array_get(tiers, 0), "fee_refunded")));
    CHECK_INT(api_json_int(json_array_get(tiers, 1), "percent", -1), 50);
    CHECK(json_is_false(api_json_get(json_array_get(tiers, 1), "fee_refunded")));
    CHECK_INT(api_json_int(r.json, "total_cents", -1), 260000);
    CHECK_INT(api_json_int(r.json, "balance_due_days", -1), 40);
    json_t *visas = api_json_get(r.json, "eligibility.visa_kinds");
    CHECK(json_is_array(visas) && json_array_size(visas) == 2);
    json_t *reqs = json_object_get(r.json, "requirements");
    CHECK(json_is_array(reqs) && json_array_size(reqs) == 2);
    CHECK(json_is_array(json_object_get(r.json, "blocks")) && json_array_size(json_object_get(r.json, "blocks")) == 0);
    api_free(&r);
    /* The database holds what was sent. */
    CHECK_INT(count_where("SELECT COUNT(*) FROM offerings WHERE id = $1 AND visa_kinds = 'b1_b2,j1' AND"
                          " requirements = 'cv,bls' AND tuition_cents = 250000 AND application_fee_cents = 10000"
                          " AND status = 'published' AND step1_required = 1 AND students_allowed = 0 AND"
                          " english_proof_required = 1 AND max_years_since_graduation = 5 AND lor_customary = 1"
                          " AND balance_due_days = 40 AND refund_policy LIKE '{\"tiers\":[{\"days_before\":60,%'",
                          offering_a),
              1);
    /* and a change-feed row for the search index. */
    CHECK(count_where("SELECT COUNT(*) FROM catalog_changes WHERE offering_id = $1", offering_a) >= 1);
    /* GET shows the same. */
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", offering_a);
    call(&r, NULL, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "title"), title);
    api_free(&r);
    /* Defaults: a minimal body. */
    char minimal[64];
    snprintf(title, sizeof(title), "Minimal %s", TAG);
    CHECK(create(&coord_a, "/api/v1/offerings",
                 json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:i}", "organization_id", org_a, "site_id", site_a,
                           "preceptor_id", prec_a, "title", title, "specialty", "pediatrics", "kind", "research",
                           "setting", "outpatient", "weeks", 2, "tuition_cents", 0),
                 minimal, sizeof(minimal)));
    CHECK_INT(count_where("SELECT COUNT(*) FROM offerings WHERE id = $1 AND hours_per_week = 40 AND"
                          " students_allowed = 1 AND graduates_allowed = 1 AND visa_kinds = '' AND status = 'published'",
                          minimal),
              1);
}

/* POST /api/v1/offerings as u with body: the problem, and no offering with that title was created. */
static void check_offering_refused(const struct user *u, json_t *body, int status, const char *code,
                                   const char *field)
{
    const char *title = json_string_value(json_object_get(body, "title"));
    char title_copy[200];
    copy_str(title_copy, sizeof(title_copy), title != NULL ? title : "(no title)");
    struct api_response r;
    call_json(&r, u, "POST", "/api/v1/offerings", body);
    CHECK_PROBLEM(&r, status, code, field);
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM offerings WHERE title = $1", title_copy), 0);
}

static json_t *refused_body(void)
{
    char title[160];
    snprintf(title, sizeof(title), "Refused offering %s", TAG);
    return offering_body(org_a, site_a, prec_a, title);
}

TEST(offerings_post_validation_names_the_field)
{
    static const struct {
        const char *key;
        int64_t value;
        const char *field;
    } numbers[] = {
        {"tuition_cents", -1, "tuition_cents"},        {"tuition_cents", 10000001, "tuition_cents"},
        {"weeks", 0, "weeks"},                         {"weeks", 53, "weeks"},
        {"hours_per_week", 0, "hours_per_week"},       {"hours_per_week", 81, "hours_per_week"},
        {"application_fee_cents", -1, "application_fee_cents"},
        {"application_fee_cents", 100001, "application_fee_cents"},
        {"deposit_cents", 250001, "deposit_cents"},     {"deposit_cents", -5, "deposit_cents"},
    };
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        json_t *body = refused_body();
        json_object_set_new(body, numbers[i].key, json_integer(numbers[i].value));
        check_offering_refused(&coord_a, body, 400, "validation_failed", numbers[i].field);
    }
    /* Edges that pass are covered by the search catalog (0 and 10,000,000 tuition). */
    static const struct {
        const char *key, *value, *field;
    } strings[] = {
        {"specialty", "astrology", "specialty"}, {"kind", "surgery", "kind"}, {"setting", "home", "setting"},
        {"status", "live", "status"},            {"title", "ab", "title"},    {"site_id", "site_nope00000000000", "site_id"},
        {"preceptor_id", "prc_nope000000000000", "preceptor_id"},
    };
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        json_t *body = refused_body();
        json_object_set_new(body, strings[i].key, json_string(strings[i].value));
        check_offering_refused(&coord_a, body, 400, "validation_failed", strings[i].field);
    }
    /* The site or preceptor of another host. */
    json_t *body = refused_body();
    json_object_set_new(body, "site_id", json_string(site_b));
    check_offering_refused(&coord_a, body, 400, "validation_failed", "site_id");
    body = refused_body();
    json_object_set_new(body, "preceptor_id", json_string(prec_b));
    check_offering_refused(&coord_a, body, 400, "validation_failed", "preceptor_id");
    /* Eligibility and requirements. */
    body = refused_body();
    json_object_set_new(body, "eligibility", json_pack("{s:b,s:b,s:[s]}", "graduates_allowed", 1, "step1_required", 0,
                                                       "visa_kinds", "tourist"));
    check_offering_refused(&coord_a, body, 400, "validation_failed", "eligibility.visa_kinds");
    body = refused_body();
    json_object_set_new(body, "eligibility", json_pack("{s:b,s:[]}", "step1_required", 0, "visa_kinds"));
    check_offering_refused(&coord_a, body, 400, "validation_failed", "eligibility.graduates_allowed");
    body = refused_body();
    json_object_set_new(body, "eligibility", json_pack("{s:b,s:b,s:[],s:b}", "graduates_allowed", 1, "step1_required",
                                                       0, "visa_kinds", "pets_allowed", 1));
    check_offering_refused(&coord_a, body, 400, "unknown_field", "eligibility.pets_allowed");
    body = refused_body();
    json_object_set_new(body, "eligibility", json_pack("{s:b,s:b,s:b,s:[]}", "students_allowed", 0,
                                                       "graduates_allowed", 0, "step1_required", 0, "visa_kinds"));
    check_offering_refused(&coord_a, body, 400, "validation_failed", "eligibility.graduates_allowed");
    body = refused_body();
    json_object_set_new(body, "requirements", json_pack("[s,s]", "cv", "horoscope"));
    check_offering_refused(&coord_a, body, 400, "validation_failed", "requirements");
    body = refused_body();
    json_object_set_new(body, "requirements", json_pack("[s]", "cv,bls"));
    check_offering_refused(&coord_a, body, 400, "validation_failed", "requirements");
    body = refused_body();
    char *long_text = malloc(5002);
    memset(long_text, 'x', 5001);
    long_text[5001] = '\0';
    json_object_set_new(body, "description", json_string(long_text));
    free(long_text);
    check_offering_refused(&coord_a, body, 400, "validation_failed", "description");
    /* Unknown and missing fields. */
    body = refused_body();
    json_object_set_new(body, "discount", json_integer(5));
    check_offering_refused(&coord_a, body, 400, "unknown_field", "discount");
    body = refused_body();
    json_object_del(body, "weeks");
    check_offering_refused(&coord_a, body, 400, "validation_failed", "weeks");
    body = refused_body();
    json_object_del(body, "site_id");
    check_offering_refused(&coord_a, body, 400, "validation_failed", "site_id");
    body = refused_body();
    json_object_set_new(body, "weeks", json_string("four"));
    check_offering_refused(&coord_a, body, 400, "validation_failed", "weeks");
}

TEST(offerings_post_authorization)
{
    check_offering_refused(&student, refused_body(), 403, "forbidden", "organization_id");
    check_offering_refused(&coord_b, refused_body(), 403, "forbidden", "organization_id");
    check_offering_refused(&precept_user, refused_body(), 403, "forbidden", "organization_id");
    check_offering_refused(NULL, refused_body(), 401, "unauthenticated", NULL);
    /* Staff may create for any host. */
    char title[160], id[64];
    snprintf(title, sizeof(title), "Staff made %s", TAG);
    CHECK(create_offering(&staff, org_b, site_b, prec_b, title, id, sizeof(id)));
}

TEST(offering_patch_changes_only_the_fields_sent)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", offering_a);
    char *before = offering_row(offering_a);
    char title[160];
    snprintf(title, sizeof(title), "Cardiology externship %s", TAG);
    struct api_response r;
    call_json(&r, &coord_a, "PATCH", path, json_pack("{s:s}", "title", title));
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "title"), title);
    CHECK_INT(api_json_int(r.json, "tuition_cents", -1), 250000);
    CHECK(json_is_true(api_json_get(r.json, "eligibility.step1_required")));
    api_free(&r);
    char *after = offering_row(offering_a);
    /* Everything but the title and updated_at is as before. */
    const char *b_rest = strchr(before, '|'), *a_rest = strchr(after, '|');
    const char *b_last = strrchr(before, '|'), *a_last = strrchr(after, '|');
    CHECK(b_rest != NULL && a_rest != NULL && b_last - b_rest == a_last - a_rest &&
          strncmp(b_rest, a_rest, (size_t)(b_last - b_rest)) == 0);
    CHECK(strncmp(after, title, strlen(title)) == 0);
    free(before);
    free(after);
    /* The whole result is re-checked: a deposit above the current tuition… */
    CHECK_REFUSED_UNCHANGED(&coord_a, "PATCH", path, "{\"deposit_cents\":300000}", offering_row, offering_a, 400,
                            "validation_failed", "deposit_cents");
    /* …or a tuition below the current deposit. */
    CHECK_REFUSED_UNCHANGED(&coord_a, "PATCH", path, "{\"tuition_cents\":1000}", offering_row, offering_a, 400,
                            "validation_failed", "deposit_cents");
    CHECK_REFUSED_UNCHANGED(&coord_a, "PATCH", path, "{\"tuition_cents\":10000001}", offering_row, offering_a, 400,
                            "validation_failed", "tuition_cents");
    CHECK_REFUSED_UNCHANGED(&coord_a, "PATCH", path, "{\"title\":\"ab\"}", offering_row, offering_a, 400,
                            "validation_failed", "title");
    CHECK_REFUSED_UNCHANGED(&coord_a, "PATCH", path, "{\"popularity\":5}", offering_row, offering_a, 400,
                            "unknown_field", "popularity");
    char body[200];
    snprintf(body, sizeof(body), "{\"site_id\":\"%s\"}", site_b);
    CHECK_REFUSED_UNCHANGED(&coord_a, "PATCH", path, body, offering_row, offering_a, 400, "validation_failed",
                            "site_id");
    snprintf(body, sizeof(body), "{\"organization_id\":\"%s\"}", org_b);
    CHECK_REFUSED_UNCHANGED(&coord_a, "PATCH", path, body, offering_row, offering_a, 400, "validation_failed",
                            "organization_id");
    /* Moving to the host's other site is fine. */
    snprintf(body, sizeof(body), "{\"site_id\":\"%s\",\"tuition_cents\":300000}", site_a2);
    call(&r, &coord_a, "PATCH", path, body);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "site.state"), "OH");
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM offerings WHERE id = $1 AND tuition_cents = 300000 AND"
                          " deposit_cents = 50000",
                          offering_a),
              1);
}

TEST(offering_patch_of_another_host_is_404_and_changes_nothing)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", offering_a);
    CHECK_REFUSED_UNCHANGED(&coord_b, "PATCH", path, "{\"tuition_cents\":1}", offering_row, offering_a, 404,
                            "not_found", NULL);
    CHECK_REFUSED_UNCHANGED(&student, "PATCH", path, "{\"tuition_cents\":1}", offering_row, offering_a, 404,
                            "not_found", NULL);
    /* A preceptor of the offering sees it but does not manage it. */
    CHECK_REFUSED_UNCHANGED(&precept_user, "PATCH", path, "{\"tuition_cents\":1}", offering_row, offering_a, 404,
                            "not_found", NULL);
    CHECK_REFUSED_UNCHANGED(NULL, "PATCH", path, "{\"tuition_cents\":1}", offering_row, offering_a, 401,
                            "unauthenticated", NULL);
    /* Even a bad body gets 404 first: nothing tells the object exists. */
    CHECK_REFUSED_UNCHANGED(&coord_b, "PATCH", path, "{\"tuition_cents\":\"free\"}", offering_row, offering_a, 404,
                            "not_found", NULL);
    struct api_response r;
    call(&r, &coord_b, "PATCH", "/api/v1/offerings/off_doesnotexist0000", "{\"tuition_cents\":1}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    /* Staff manage every host. */
    call(&r, &staff, "PATCH", path, "{\"hours_per_week\":42}");
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "hours_per_week", -1), 42);
    api_free(&r);
}

TEST(preceptor_sees_the_unpublished_offering_they_precept)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", offering_a);
    struct api_response r;
    call(&r, &coord_a, "PATCH", path, "{\"status\":\"draft\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "status"), "draft");
    api_free(&r);
    call(&r, &precept_user, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
    call(&r, &student, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &coord_b, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, NULL, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &coord_a, "PATCH", path, "{\"status\":\"published\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    call(&r, &student, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
}

/* ---- blocks ---- */

/* POST a block to the offering as u: the problem, and the offering's block count unchanged. */
static void check_block_refused(const struct user *u, const char *offering, const char *body, int status,
                                const char *code, const char *field)
{
    long long before = count_where("SELECT COUNT(*) FROM blocks WHERE offering_id = $1", offering);
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s/blocks", offering);
    struct api_response r;
    call(&r, u, "POST", path, body);
    CHECK_PROBLEM(&r, status, code, field);
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM blocks WHERE offering_id = $1", offering), before);
}

TEST(blocks_post_creates_a_block)
{
    char start[11], end[11], path[160];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s/blocks", offering_a);
    struct api_response r;
    call_json(&r, &coord_a, "POST", path,
              json_pack("{s:s,s:s,s:i}", "start", date_in(start, 30), "end", date_in(end, 58), "seats", 4));
    CHECK_INT(r.status, 201);
    copy_str(block_a, sizeof(block_a), api_json_str(r.json, "id"));
    CHECK_STR(api_json_str(r.json, "start"), start);
    CHECK_STR(api_json_str(r.json, "end"), end);
    CHECK_INT(api_json_int(r.json, "seats", -1), 4);
    CHECK_INT(api_json_int(r.json, "seats_left", -1), 4);
    CHECK_STR(api_json_str(r.json, "offering_id"), offering_a);
    api_free(&r);
    char *row = block_row(block_a);
    char want[64];
    snprintf(want, sizeof(want), "%s|%s|4|0", start, end);
    CHECK_STR(row, want);
    free(row);
    /* It shows on the offering. */
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", offering_a);
    call(&r, NULL, "GET", path, NULL);
    CHECK_INT(json_array_size(json_object_get(r.json, "blocks")), 1);
    api_free(&r);
    /* Today is not the past. */
    char today_block[64];
    CHECK(create_block(&coord_a, offering_a, 0, 14, 1, today_block, sizeof(today_block)));
}

TEST(blocks_post_validation_names_the_field)
{
    char a[11], b[11], body[200];
    snprintf(body, sizeof(body), "{\"start\":\"%s\",\"end\":\"%s\",\"seats\":0}", date_in(a, 10), date_in(b, 20));
    check_block_refused(&coord_a, offering_a, body, 400, "validation_failed", "seats");
    snprintf(body, sizeof(body), "{\"start\":\"%s\",\"end\":\"%s\",\"seats\":101}", date_in(a, 10), date_in(b, 20));
    check_block_refused(&coord_a, offering_a, body, 400, "validation_failed", "seats");
    snprintf(body, sizeof(body), "{\"start\":\"%s\",\"end\":\"%s\",\"seats\":3}", date_in(a, 20), date_in(b, 10));
    check_block_refused(&coord_a, offering_a, body, 400, "validation_failed", "end");
    snprintf(body, sizeof(body), "{\"start\":\"%s\",\"end\":\"%s\",\"seats\":3}", date_in(a, 20), date_in(b, 20));
    check_block_refused(&coord_a, offering_a, body, 400, "validation_failed", "end");
    snprintf(body, sizeof(body), "{\"start\":\"%s\",\"end\":\"%s\",\"seats\":3}", date_in(a, -1), date_in(b, 20));
    check_block_refused(&coord_a, offering_a, body, 400, "validation_failed", "start");
    check_block_refused(&coord_a, offering_a, "{\"start\":\"2027-13-01\",\"end\":\"2028-01-01\",\"seats\":3}", 400,
                        "validation_failed", "start");
    check_block_refused(&coord_a, offering_a, "{\"start\":\"2027-02-30\",\"end\":\"2028-01-01\",\"seats\":3}", 400,
                        "validation_failed", "start");
    snprintf(body, sizeof(body), "{\"start\":\"%s\",\"end\":\"%s\",\"seats\":3,\"price\":1}", date_in(a, 10),
             date_in(b, 20));
    check_block_refused(&coord_a, offering_a, body, 400, "unknown_field", "price");
    snprintf(body, sizeof(body), "{\"start\":\"%s\",\"seats\":3}", date_in(a, 10));
    check_block_refused(&coord_a, offering_a, body, 400, "validation_failed", "end");
    /* Another host, a student, nobody. */
    snprintf(body, sizeof(body), "{\"start\":\"%s\",\"end\":\"%s\",\"seats\":3}", date_in(a, 10), date_in(b, 20));
    check_block_refused(&coord_b, offering_a, body, 404, "not_found", NULL);
    check_block_refused(&student, offering_a, body, 404, "not_found", NULL);
    check_block_refused(NULL, offering_a, body, 401, "unauthenticated", NULL);
}

TEST(block_patch_changes_seats_and_dates)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/blocks/%s", block_a);
    struct api_response r;
    call(&r, &coord_a, "PATCH", path, "{\"seats\":6}");
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "seats", -1), 6);
    api_free(&r);
    char *row = block_row(block_a);
    CHECK_CONTAINS(row, "|6|0");
    free(row);
    char end[11], body[160];
    snprintf(body, sizeof(body), "{\"end\":\"%s\"}", date_in(end, 60));
    call(&r, &coord_a, "PATCH", path, body);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "end"), end);
    api_free(&r);
    /* Refused changes leave the block as it was. */
    CHECK_REFUSED_UNCHANGED(&coord_a, "PATCH", path, "{\"seats\":0}", block_row, block_a, 400, "validation_failed",
                            "seats");
    CHECK_REFUSED_UNCHANGED(&coord_a, "PATCH", path, "{\"seats\":101}", block_row, block_a, 400, "validation_failed",
                            "seats");
    char past[11];
    snprintf(body, sizeof(body), "{\"start\":\"%s\"}", date_in(past, -3));
    CHECK_REFUSED_UNCHANGED(&coord_a, "PATCH", path, body, block_row, block_a, 400, "validation_failed", "start");
    snprintf(body, sizeof(body), "{\"end\":\"%s\"}", date_in(past, 5));
    CHECK_REFUSED_UNCHANGED(&coord_a, "PATCH", path, body, block_row, block_a, 400, "validation_failed", "end");
    CHECK_REFUSED_UNCHANGED(&coord_a, "PATCH", path, "{\"offering_id\":\"x\"}", block_row, block_a, 400,
                            "unknown_field", "offering_id");
}

TEST(block_patch_of_another_host_is_404_and_changes_nothing)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/blocks/%s", block_a);
    CHECK_REFUSED_UNCHANGED(&coord_b, "PATCH", path, "{\"seats\":9}", block_row, block_a, 404, "not_found", NULL);
    CHECK_REFUSED_UNCHANGED(&student, "PATCH", path, "{\"seats\":9}", block_row, block_a, 404, "not_found", NULL);
    CHECK_REFUSED_UNCHANGED(NULL, "PATCH", path, "{\"seats\":9}", block_row, block_a, 401, "unauthenticated", NULL);
    struct api_response r;
    call(&r, &coord_b, "PATCH", "/api/v1/blocks/blk_doesnotexist0000", "{\"seats\":9}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
}

TEST(block_patch_below_seats_taken_is_409)
{
    set_seats_taken(block_a, 3);
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/blocks/%s", block_a);
    CHECK_REFUSED_UNCHANGED(&coord_a, "PATCH", path, "{\"seats\":2}", block_row, block_a, 409, "conflict", "seats");
    struct api_response r;
    call(&r, &coord_a, "PATCH", path, "{\"seats\":3}");
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "seats_left", -1), 0);
    CHECK_INT(api_json_int(r.json, "seats_taken", -1), 3);
    api_free(&r);
    set_seats_taken(block_a, 0);
}

TEST(preceptor_verify_is_staff_only_and_shows_at_once)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/preceptors/%s/verify", prec_a);
    struct api_response r;
    call(&r, &coord_a, "POST", path, NULL);
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    CHECK_INT(count_where("SELECT verified FROM preceptors WHERE id = $1", prec_a), 0);
    /* Verifying needs the licence's expiry, in the future. */
    call(&r, &staff, "POST", path, "{\"license_expires\":\"2020-01-31\"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "license_expires");
    api_free(&r);
    call(&r, &staff, "POST", path, "{\"license_expires\":\"soon\"}");
    CHECK_INT(r.status, 400);
    api_free(&r);
    CHECK_INT(count_where("SELECT verified FROM preceptors WHERE id = $1", prec_a), 0);
    char body[64], expires[11];
    snprintf(body, sizeof(body), "{\"license_expires\":\"%s\"}", date_in(expires, 400));
    call(&r, &staff, "POST", path, body);
    CHECK_INT(r.status, 200);
    CHECK(json_is_true(json_object_get(r.json, "verified")));
    api_free(&r);
    CHECK_INT(count_where("SELECT verified FROM preceptors WHERE id = $1", prec_a), 1);
    /* On the offering and in search, at once. */
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", offering_a);
    call(&r, NULL, "GET", path, NULL);
    CHECK(json_is_true(api_json_get(r.json, "preceptor.verified")));
    api_free(&r);
    char search[200];
    snprintf(search, sizeof(search), "/api/v1/offerings?q=%s+externship&limit=100", TAG);
    call(&r, NULL, "GET", search, NULL);
    json_t *items = json_object_get(r.json, "items");
    CHECK_INT(json_array_size(items), 1);
    CHECK(json_is_true(json_object_get(json_array_get(items, 0), "preceptor_verified")));
    api_free(&r);
    call(&r, &staff, "POST", "/api/v1/preceptors/prc_doesnotexist0000/verify", NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
}

TEST(site_patch_shows_in_search_at_once)
{
    char city[64], path[160], body[200], search[200];
    snprintf(city, sizeof(city), "Columbus%s", TAG);
    snprintf(path, sizeof(path), "/api/v1/sites/%s", site_a2);
    snprintf(body, sizeof(body), "{\"city\":\"%s\"}", city);
    struct api_response r;
    call(&r, &coord_a, "PATCH", path, body);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "city"), city);
    api_free(&r);
    snprintf(search, sizeof(search), "/api/v1/offerings?q=%s&limit=100", city);
    call(&r, NULL, "GET", search, NULL);
    CHECK_INT(r.status, 200);
    CHECK(list_has(r.json, offering_a));
    json_t *items = json_object_get(r.json, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        CHECK_STR(json_string_value(json_object_get(json_array_get(items, i), "city")), city);
    api_free(&r);
}

/* ---- the host coordinator's pages ---- */

/* A page as u would load it in a browser (session cookie). */
static long get_page(struct api_response *r, const struct user *u, const char *path)
{
    const char *headers[] = {u != NULL ? u->cookie : NULL, NULL};
    return api_request(r, "GET", path, u != NULL ? headers : NULL, NULL);
}

/* A form POST as a browser sends it: the session cookie and the form's CSRF token. */
static long post_form(struct api_response *r, const struct user *u, const char *path, const char *form,
                      bool with_csrf)
{
    char body[4096];
    snprintf(body, sizeof(body), "%s%s%s", form, with_csrf ? "&csrf_token=" : "", with_csrf ? u->csrf : "");
    const char *headers[] = {u->cookie, "Content-Type: application/x-www-form-urlencoded", NULL};
    struct api_raw_request rq = {"POST", path, headers, body, strlen(body), true};
    return api_send(r, &rq);
}

TEST(host_page_lists_the_coordinators_offerings)
{
    struct api_response r;
    get_page(&r, &coord_a, "/host");
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(api_header(&r, "content-type"), "text/html");
    CHECK_CONTAINS(r.body, "Host Alpha");
    CHECK_CONTAINS(r.body, "Cardiology externship");
    char link[160];
    snprintf(link, sizeof(link), "/host/offerings/%s/edit", offering_a);
    CHECK_CONTAINS(r.body, link);
    snprintf(link, sizeof(link), "/host/offerings/new?organization_id=%s", org_a);
    CHECK_CONTAINS(r.body, link);
    CHECK(strstr(r.body, "Host Beta") == NULL);
    api_free(&r);
    /* Not for students; anonymous visitors are sent to log in. */
    get_page(&r, &student, "/host");
    CHECK_INT(r.status, 403);
    CHECK_CONTAINS(api_header(&r, "content-type"), "text/html");
    api_free(&r);
    get_page(&r, NULL, "/host");
    CHECK_INT(r.status, 303);
    CHECK_STR(api_header(&r, "location"), "/login?next=%2Fhost");
    api_free(&r);
    /* The account page links here for coordinators, not for students. */
    get_page(&r, &coord_a, "/account");
    CHECK_CONTAINS(r.body, "href=\"/host\"");
    api_free(&r);
    get_page(&r, &student, "/account");
    CHECK(strstr(r.body, "href=\"/host\"") == NULL);
    api_free(&r);
}

TEST(host_offering_form_creates_and_reshows_errors)
{
    struct api_response r;
    char path[200];
    snprintf(path, sizeof(path), "/host/offerings/new?organization_id=%s", org_a);
    get_page(&r, &coord_a, path);
    CHECK_INT(r.status, 200);
    const char *fields[] = {"name=\"title\"", "name=\"specialty\"", "name=\"kind\"", "name=\"setting\"",
                            "name=\"site_id\"", "name=\"preceptor_id\"", "name=\"weeks\"", "name=\"tuition\"",
                            "name=\"visa_kinds\"", "name=\"requirements\"", "name=\"description\"",
                            "name=\"csrf_token\"", "<label for=\"f-title\">"};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        CHECK_CONTAINS(r.body, fields[i]);
    CHECK_CONTAINS(r.body, site_a);
    CHECK(strstr(r.body, site_b) == NULL);
    api_free(&r);
    /* Another host's form: 404. */
    snprintf(path, sizeof(path), "/host/offerings/new?organization_id=%s", org_b);
    get_page(&r, &coord_a, path);
    CHECK_INT(r.status, 404);
    api_free(&r);

    char title[160], form[2048];
    snprintf(title, sizeof(title), "Formmade%s", TAG);
    /* Errors: the form comes back with the values and each error by its field; nothing is created. */
    snprintf(form, sizeof(form),
             "organization_id=%s&title=%s&specialty=cardiology&kind=hands_on&setting=mixed&site_id=&preceptor_id=%s"
             "&weeks=99&tuition=abc&status=draft&visa_kinds=j1&requirements=cv",
             org_a, title, prec_a);
    post_form(&r, &coord_a, "/host/offerings/new", form, true);
    CHECK_INT(r.status, 400);
    CHECK_CONTAINS(r.body, "Site is required");
    CHECK_CONTAINS(r.body, "Length in weeks must be from 1 to 52");
    CHECK_CONTAINS(r.body, "Tuition must be an amount in dollars");
    CHECK_CONTAINS(r.body, title);               /* the values typed are kept */
    CHECK_CONTAINS(r.body, "value=\"99\"");
    CHECK_CONTAINS(r.body, "value=\"j1\" checked");
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM offerings WHERE title = $1", title), 0);
    /* Without the CSRF token: refused. */
    snprintf(form, sizeof(form),
             "organization_id=%s&title=%s&specialty=cardiology&kind=hands_on&setting=mixed&site_id=%s&preceptor_id=%s"
             "&weeks=3&tuition=2%%2C500.50&deposit=500&status=published&visa_kinds=j1&visa_kinds=f1"
             "&requirements=cv&students_allowed=1&graduates_allowed=1&step1_required=1",
             org_a, title, site_a, prec_a);
    post_form(&r, &coord_a, "/host/offerings/new", form, false);
    CHECK_INT(r.status, 403);
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM offerings WHERE title = $1", title), 0);
    /* Another host's coordinator posting for host A: 404, nothing created. */
    post_form(&r, &coord_b, "/host/offerings/new", form, true);
    CHECK_INT(r.status, 404);
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM offerings WHERE title = $1", title), 0);
    /* A good form: created, and the browser goes to its edit page. */
    post_form(&r, &coord_a, "/host/offerings/new", form, true);
    CHECK_INT(r.status, 303);
    const char *location = api_header(&r, "location");
    CHECK(location != NULL && strncmp(location, "/host/offerings/off_", 20) == 0);
    CHECK_CONTAINS(location, "/edit?saved=created");
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM offerings WHERE title = $1 AND tuition_cents = 250050 AND"
                          " deposit_cents = 50000 AND visa_kinds = 'j1,f1' AND step1_required = 1 AND"
                          " english_proof_required = 0 AND status = 'published' AND weeks = 3",
                          title),
              1);
}

TEST(host_edit_page_saves_and_manages_blocks)
{
    char path[200], form[2048];
    snprintf(path, sizeof(path), "/host/offerings/%s/edit", offering_a);
    struct api_response r;
    get_page(&r, &coord_a, path);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Cardiology externship");
    CHECK_CONTAINS(r.body, "Add a block");
    char block_action[160];
    snprintf(block_action, sizeof(block_action), "/host/blocks/%s", block_a);
    CHECK_CONTAINS(r.body, block_action);
    api_free(&r);
    /* Other hosts and students: 404, as for an offering that does not exist. */
    get_page(&r, &coord_b, path);
    CHECK_INT(r.status, 404);
    CHECK_CONTAINS(api_header(&r, "content-type"), "text/html");
    api_free(&r);
    get_page(&r, &student, path);
    CHECK_INT(r.status, 404);
    api_free(&r);
    get_page(&r, &coord_a, "/host/offerings/off_doesnotexist0000/edit");
    CHECK_INT(r.status, 404);
    api_free(&r);
    /* Saving from another host changes nothing. */
    char *before = offering_row(offering_a);
    snprintf(form, sizeof(form), "title=Hijacked&specialty=cardiology&kind=hands_on&setting=mixed&site_id=%s"
             "&preceptor_id=%s&weeks=4&tuition=1&status=published&graduates_allowed=1", site_b, prec_b);
    post_form(&r, &coord_b, path, form, true);
    CHECK_INT(r.status, 404);
    api_free(&r);
    char *after = offering_row(offering_a);
    CHECK_STR(after, before);
    free(before);
    free(after);
    /* Its own coordinator: an error is shown, then a good save redirects. */
    char title[160];
    snprintf(title, sizeof(title), "Cardiology externship %s", TAG);
    snprintf(form, sizeof(form), "title=%s&specialty=cardiology&kind=hands_on&setting=inpatient&site_id=%s"
             "&preceptor_id=%s&weeks=4&hours_per_week=40&tuition=3000&deposit=4000&status=published"
             "&graduates_allowed=1&step1_required=1&visa_kinds=b1_b2",
             title, site_a2, prec_a);
    post_form(&r, &coord_a, path, form, true);
    CHECK_INT(r.status, 400);
    CHECK_CONTAINS(r.body, "Deposit must be from 0 to the tuition");
    api_free(&r);
    snprintf(form, sizeof(form), "title=%s&specialty=cardiology&kind=hands_on&setting=inpatient&site_id=%s"
             "&preceptor_id=%s&weeks=4&hours_per_week=40&tuition=3000&deposit=500&status=published"
             "&graduates_allowed=1&step1_required=1&visa_kinds=b1_b2&lor_customary=1",
             title, site_a2, prec_a);
    post_form(&r, &coord_a, path, form, true);
    CHECK_INT(r.status, 303);
    CHECK_CONTAINS(api_header(&r, "location"), "saved=offering");
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM offerings WHERE id = $1 AND tuition_cents = 300000 AND"
                          " deposit_cents = 50000 AND visa_kinds = 'b1_b2' AND students_allowed = 0 AND"
                          " lor_customary = 1",
                          offering_a),
              1);
    /* Blocks: a bad one is shown with its error; a good one is added; another host's is 404. */
    char blocks_path[200], a[11], b[11];
    snprintf(blocks_path, sizeof(blocks_path), "/host/offerings/%s/blocks", offering_a);
    long long blocks_before = count_where("SELECT COUNT(*) FROM blocks WHERE offering_id = $1", offering_a);
    snprintf(form, sizeof(form), "start=%s&end=%s&seats=3", date_in(a, 40), date_in(b, 35));
    post_form(&r, &coord_a, blocks_path, form, true);
    CHECK_INT(r.status, 400);
    CHECK_CONTAINS(r.body, "End must be after the start");
    api_free(&r);
    snprintf(form, sizeof(form), "start=%s&end=%s&seats=3", date_in(a, 40), date_in(b, 68));
    post_form(&r, &coord_b, blocks_path, form, true);
    CHECK_INT(r.status, 404);
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM blocks WHERE offering_id = $1", offering_a), blocks_before);
    post_form(&r, &coord_a, blocks_path, form, true);
    CHECK_INT(r.status, 303);
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM blocks WHERE offering_id = $1", offering_a), blocks_before + 1);
    /* Changing a block's seats: below the seats taken is refused with 409. */
    set_seats_taken(block_a, 2);
    char *block_before = block_row(block_a);
    char *start = api_db_text(db, "SELECT start_date FROM blocks WHERE id = $1", block_a, NULL, NULL);
    char *end = api_db_text(db, "SELECT end_date FROM blocks WHERE id = $1", block_a, NULL, NULL);
    snprintf(form, sizeof(form), "start=%s&end=%s&seats=1", start != NULL ? start : "", end != NULL ? end : "");
    post_form(&r, &coord_a, block_action, form, true);
    CHECK_INT(r.status, 409);
    CHECK_CONTAINS(r.body, "Seats is below the seats already taken");
    api_free(&r);
    post_form(&r, &coord_b, block_action, form, true);
    CHECK_INT(r.status, 404);
    api_free(&r);
    char *block_after = block_row(block_a);
    CHECK_STR(block_after, block_before);
    free(block_before);
    free(block_after);
    snprintf(form, sizeof(form), "start=%s&end=%s&seats=5", start != NULL ? start : "", end != NULL ? end : "");
    post_form(&r, &coord_a, block_action, form, true);
    CHECK_INT(r.status, 303);
    api_free(&r);
    CHECK_INT(count_where("SELECT seats FROM blocks WHERE id = $1", block_a), 5);
    free(start);
    free(end);
    set_seats_taken(block_a, 0);
}

/* ---- the search contract over a catalog built here ---- */

enum { CATALOG_SIZE = 30 };

struct entry {
    char id[64], title[160];
    const char *specialty, *kind, *state;
    int64_t tuition;
    bool draft, full, no_block;
    int starts[2];         /* days from today; -1: none */
    int seats[2];
    bool students_allowed, graduates_allowed, step1_required, english_required;
    const char *visas;     /* "" = any */
    int max_years;         /* -1 = any */
};

static struct entry entries[CATALOG_SIZE];
static char s_tx[64], s_oh[64], s_wa[64];
static char unique_desc_word[64], host_c[64];
static bool catalog_ready; /* the search tests need every entry */

static const char *const spec_cycle[] = {"cardiology", "pediatrics", "psychiatry", "family-medicine"};
static const char *const kind_cycle[] = {"hands_on", "observership", "research", "telehealth", "hands_on"};

TEST(search_catalog_is_built_through_the_api)
{
    char city[64], name[96];
    snprintf(name, sizeof(name), "Host Gamma %s", STAG);
    CHECK(create(&staff, "/api/v1/organizations", json_pack("{s:s,s:s}", "name", name, "kind", "host"), host_c,
                 sizeof(host_c)));
    snprintf(city, sizeof(city), "Austin%s", STAG);
    CHECK(create(&staff, "/api/v1/sites", site_body(host_c, "Hill Country", city, "TX", "78701"), s_tx, sizeof(s_tx)));
    snprintf(city, sizeof(city), "Akron%s", STAG);
    CHECK(create(&staff, "/api/v1/sites", site_body(host_c, "Summit", city, "OH", "44308"), s_oh, sizeof(s_oh)));
    snprintf(city, sizeof(city), "Spokane%s", STAG);
    CHECK(create(&staff, "/api/v1/sites", site_body(host_c, "Inland", city, "WA", "99201"), s_wa, sizeof(s_wa)));
    char prec[3][64], npi[11];
    const char *prec_names[] = {"Dr. Alder Quimby", "Dr. Birch Ostrander", "Dr. Cedar Vantongeren"};
    for (int i = 0; i < 3; i++) {
        make_npi(npi, true);
        snprintf(name, sizeof(name), "%s%s", prec_names[i], STAG);
        CHECK(create(&staff, "/api/v1/preceptors", preceptor_body(host_c, name, npi, spec_cycle[i]), prec[i],
                     sizeof(prec[i])));
    }
    const char *sites[] = {s_tx, s_oh, s_wa};
    const char *states[] = {"TX", "OH", "WA"};
    snprintf(unique_desc_word, sizeof(unique_desc_word), "zephyrine%s", STAG);
    for (int i = 0; i < CATALOG_SIZE; i++) {
        struct entry *e = &entries[i];
        memset(e, 0, sizeof(*e));
        snprintf(e->title, sizeof(e->title), "Rotation %02d %s", i, STAG);
        e->specialty = spec_cycle[i % 4];
        e->kind = kind_cycle[i % 5];
        e->state = states[i % 3];
        e->tuition = i == 0 ? 0 : i == 1 ? 10000000 : 100000 + (int64_t)((i * 7919) % 23) * 10000;
        e->draft = i == 7;
        e->no_block = i == 9;
        e->full = i == 11;
        e->starts[0] = 5 + (i * 13) % 90;
        e->starts[1] = i % 4 == 0 ? e->starts[0] + 120 : -1;
        e->seats[0] = e->full ? 1 : 1 + i % 5;
        e->seats[1] = 2;
        e->students_allowed = i % 6 != 2;
        e->graduates_allowed = i % 5 != 3 || !e->students_allowed; /* someone may always apply */
        e->step1_required = i % 4 == 1;
        e->english_required = i % 7 == 4;
        e->visas = i % 3 == 0 ? "" : i % 3 == 1 ? "b1_b2" : "j1,h1b";
        e->max_years = i % 8 == 5 ? 3 : i % 8 == 6 ? 10 : -1;
        json_t *visas = json_array();
        if (e->visas[0] != '\0') {
            char copy[32];
            copy_str(copy, sizeof(copy), e->visas);
            for (char *p = copy, *comma; p != NULL; p = comma != NULL ? comma + 1 : NULL) {
                comma = strchr(p, ',');
                if (comma != NULL)
                    *comma = '\0';
                json_array_append_new(visas, json_string(p));
            }
        }
        json_t *eligibility = json_pack("{s:b,s:b,s:b,s:b,s:o}", "students_allowed", e->students_allowed,
                                        "graduates_allowed", e->graduates_allowed, "step1_required", e->step1_required,
                                        "english_proof_required", e->english_required, "visa_kinds", visas);
        if (e->max_years >= 0)
            json_object_set_new(eligibility, "max_years_since_graduation", json_integer(e->max_years));
        char description[200];
        snprintf(description, sizeof(description), "Rounds with the team. %s",
                 i == 13 ? unique_desc_word : "Morning report daily.");
        json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:I,s:o,s:s,s:s}", "organization_id", host_c,
                                 "site_id", sites[i % 3], "preceptor_id", prec[i % 3], "title", e->title, "specialty",
                                 e->specialty, "kind", e->kind, "setting", "mixed", "weeks", 4, "tuition_cents",
                                 (json_int_t)e->tuition, "eligibility", eligibility, "description", description,
                                 "status", e->draft ? "draft" : "published");
        if (!create(&staff, "/api/v1/offerings", body, e->id, sizeof(e->id)))
            return;
        if (e->no_block)
            continue;
        char block_id[64];
        for (int k = 0; k < 2; k++) {
            if (e->starts[k] < 0)
                continue;
            CHECK(create_block(&staff, e->id, e->starts[k], e->starts[k] + 28, e->seats[k], block_id,
                               sizeof(block_id)));
            if (e->full && k == 0)
                set_seats_taken(block_id, 1);
        }
    }
    /* The full block went in behind the index's back: any write through the API syncs it. */
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", entries[11].id);
    struct api_response r;
    call(&r, &staff, "PATCH", path, "{\"weeks\":4}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    catalog_ready = !test_current_failed;
}

/* What the search should find, from the model. */
struct expect {
    const char *specialty, *state, *kind;
    int start_from, start_to; /* days; INT_MIN/INT_MAX style sentinels below */
    bool windowed;
    int64_t max_tuition;      /* -1: any */
    bool include_full;
    const struct store_profile *eligible_for;
    int year;
};

static bool entry_has_block_in(const struct entry *e, const struct expect *x, bool need_seats)
{
    for (int k = 0; k < 2; k++) {
        if (e->no_block || e->starts[k] < 0)
            continue;
        if (x->windowed && (e->starts[k] < x->start_from || e->starts[k] > x->start_to))
            continue;
        bool seats = !(e->full && k == 0);
        if (need_seats && !seats)
            continue;
        return true;
    }
    return false;
}

static bool visa_ok(const char *accepted, const char *mine)
{
    if (accepted[0] == '\0')
        return true;
    if (mine == NULL)
        return false;
    size_t n = strlen(mine);
    for (const char *p = accepted; p != NULL && *p != '\0';) {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, mine, n) == 0)
            return true;
        p = comma != NULL ? comma + 1 : NULL;
    }
    return false;
}

static bool entry_matches(const struct entry *e, const struct expect *x)
{
    if (e->draft)
        return false;
    if (x->specialty != NULL && strcmp(e->specialty, x->specialty) != 0)
        return false;
    if (x->state != NULL && strcmp(e->state, x->state) != 0)
        return false;
    if (x->kind != NULL && strcmp(e->kind, x->kind) != 0)
        return false;
    if (x->max_tuition >= 0 && e->tuition > x->max_tuition)
        return false;
    if (!entry_has_block_in(e, x, !x->include_full) && (!x->include_full || x->windowed))
        return false;
    if (x->eligible_for != NULL) {
        const struct store_profile *p = x->eligible_for;
        bool graduate = strcmp(p->status, "graduate") == 0;
        if (graduate ? !e->graduates_allowed : !e->students_allowed)
            return false;
        if (e->step1_required && strcmp(p->step1, "passed") != 0)
            return false;
        if (e->english_required && strcmp(p->english_proof, "none") == 0)
            return false;
        if (!visa_ok(e->visas, p->visa_kind))
            return false;
        if (graduate && e->max_years >= 0 && x->year - p->graduation_year > e->max_years)
            return false;
    }
    return true;
}

/* GET path (limit=100, one page) and checks that the result is exactly the model's set. */
static json_t *search_expect(const char *path, const struct user *u, const struct expect *x)
{
    struct api_response r;
    call(&r, u, "GET", path, NULL);
    if (r.status != 200) {
        TEST_FAILF("GET %s answered %ld: %.300s", path, r.status, r.body);
        api_free(&r);
        return NULL;
    }
    json_t *items = json_object_get(r.json, "items");
    int expected = 0;
    for (int i = 0; i < CATALOG_SIZE; i++) {
        bool want = entry_matches(&entries[i], x);
        expected += want;
        if (want != list_has(r.json, entries[i].id))
            TEST_FAILF("GET %s: %s (%s) is %s the result", path, entries[i].title, entries[i].id,
                       want ? "missing from" : "wrongly in");
    }
    CHECK_INT(json_array_size(items), expected);
    CHECK_INT(api_json_int(r.json, "total", -1), expected);
    json_t *json = json_incref(r.json);
    api_free(&r);
    return json;
}

static struct expect expect_any(void)
{
    return (struct expect){.max_tuition = -1};
}

TEST(search_filters_each_result_matches)
{
    char path[300];
    struct expect x = expect_any();
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&limit=100", STAG);
    json_decref(search_expect(path, NULL, &x));

    for (size_t s = 0; s < 4; s++) {
        x = expect_any();
        x.specialty = spec_cycle[s];
        snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&specialty=%s&limit=100", STAG, spec_cycle[s]);
        json_t *j = search_expect(path, NULL, &x);
        size_t i;
        json_t *item;
        json_array_foreach(json_object_get(j, "items"), i, item) {
            CHECK_STR(json_string_value(json_object_get(item, "specialty")), spec_cycle[s]);
        }
        json_decref(j);
    }
    const char *states[] = {"TX", "OH", "WA"};
    for (size_t s = 0; s < 3; s++) {
        x = expect_any();
        x.state = states[s];
        snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&state=%s&limit=100", STAG, states[s]);
        json_t *j = search_expect(path, NULL, &x);
        size_t i;
        json_t *item;
        json_array_foreach(json_object_get(j, "items"), i, item) {
            CHECK_STR(json_string_value(json_object_get(item, "state")), states[s]);
        }
        json_decref(j);
    }
    /* lower-case state codes are accepted */
    x = expect_any();
    x.state = "OH";
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&state=oh&limit=100", STAG);
    json_decref(search_expect(path, NULL, &x));
    const char *kinds[] = {"hands_on", "observership", "research", "telehealth"};
    for (size_t k = 0; k < 4; k++) {
        x = expect_any();
        x.kind = kinds[k];
        snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&kind=%s&limit=100", STAG, kinds[k]);
        json_t *j = search_expect(path, NULL, &x);
        size_t i;
        json_t *item;
        json_array_foreach(json_object_get(j, "items"), i, item) {
            CHECK_STR(json_string_value(json_object_get(item, "kind")), kinds[k]);
        }
        json_decref(j);
    }
    /* Combined filters. */
    x = expect_any();
    x.specialty = "cardiology";
    x.kind = "hands_on";
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&specialty=cardiology&kind=hands_on&limit=100", STAG);
    json_decref(search_expect(path, NULL, &x));
    /* max_tuition, with its edges. */
    const int64_t maxes[] = {0, 150000, 250000, 10000000};
    for (size_t m = 0; m < 4; m++) {
        x = expect_any();
        x.max_tuition = maxes[m];
        snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&max_tuition=%lld&limit=100", STAG, (long long)maxes[m]);
        json_t *j = search_expect(path, NULL, &x);
        size_t i;
        json_t *item;
        json_array_foreach(json_object_get(j, "items"), i, item) {
            CHECK(json_integer_value(json_object_get(item, "tuition_cents")) <= maxes[m]);
        }
        json_decref(j);
    }
    /* A start window: every result's next block starts in it. */
    const int windows[][2] = {{0, 30}, {31, 60}, {40, 200}, {100, 400}};
    for (size_t w = 0; w < 4; w++) {
        x = expect_any();
        x.windowed = true;
        x.start_from = windows[w][0];
        x.start_to = windows[w][1];
        char from[11], to[11];
        date_in(from, windows[w][0]);
        date_in(to, windows[w][1]);
        snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&start_from=%s&start_to=%s&limit=100", STAG, from, to);
        json_t *j = search_expect(path, NULL, &x);
        size_t i;
        json_t *item;
        json_array_foreach(json_object_get(j, "items"), i, item) {
            const char *start = json_string_value(json_object_get(json_object_get(item, "next_block"), "start"));
            CHECK(start != NULL && strcmp(start, from) >= 0 && strcmp(start, to) <= 0);
        }
        json_decref(j);
    }
    /* Only start_from. */
    x = expect_any();
    x.windowed = true;
    x.start_from = 50;
    x.start_to = 100000;
    char from[11];
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&start_from=%s&limit=100", STAG, date_in(from, 50));
    json_decref(search_expect(path, NULL, &x));
}

TEST(search_include_full_and_drafts)
{
    char path[300];
    struct expect x = expect_any();
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&limit=100", STAG);
    json_t *j = search_expect(path, NULL, &x);
    CHECK(!list_has(j, entries[11].id)); /* full */
    CHECK(!list_has(j, entries[9].id));  /* no block */
    CHECK(!list_has(j, entries[7].id));  /* draft */
    /* Every item has an open block with seats. */
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(j, "items"), i, item) {
        CHECK(json_integer_value(json_object_get(json_object_get(item, "next_block"), "seats_left")) > 0);
    }
    json_decref(j);
    x.include_full = true;
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&include_full=true&limit=100", STAG);
    j = search_expect(path, NULL, &x);
    CHECK(list_has(j, entries[11].id));
    CHECK(list_has(j, entries[9].id));
    CHECK(!list_has(j, entries[7].id));
    json_decref(j);
    x.include_full = false;
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&include_full=false&limit=100", STAG);
    json_decref(search_expect(path, NULL, &x));
}

TEST(search_eligible_me_uses_the_students_profile)
{
    struct user grad;
    if (!register_student(&grad, "grad"))
        return;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    int year = tm.tm_year + 1900;
    char body[300];
    snprintf(body, sizeof(body),
             "{\"status\":\"graduate\",\"graduation_year\":%d,\"visa_kind\":\"b1_b2\",\"step1\":\"not_taken\","
             "\"english_proof\":\"none\"}",
             year - 5);
    struct api_response r;
    call(&r, &grad, "PATCH", "/api/v1/me", body);
    CHECK_INT(r.status, 200);
    api_free(&r);
    struct store_profile grad_profile = {.status = "graduate", .visa_kind = "b1_b2", .step1 = "not_taken",
                                         .english_proof = "none", .graduation_year = year - 5};
    struct expect x = expect_any();
    x.eligible_for = &grad_profile;
    x.year = year;
    char path[300];
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&eligible=me&limit=100", STAG);
    json_decref(search_expect(path, &grad, &x));

    /* A student with Step 1 passed, English proof and a J-1. */
    struct user stud;
    if (!register_student(&stud, "stud"))
        return;
    call(&r, &stud, "PATCH", "/api/v1/me",
         "{\"status\":\"student\",\"visa_kind\":\"j1\",\"step1\":\"passed\",\"english_proof\":\"toefl\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    struct store_profile stud_profile = {.status = "student", .visa_kind = "j1", .step1 = "passed",
                                         .english_proof = "toefl"};
    x.eligible_for = &stud_profile;
    json_decref(search_expect(path, &stud, &x));
    /* Combined with a filter. */
    x.kind = "hands_on";
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&eligible=me&kind=hands_on&limit=100", STAG);
    json_decref(search_expect(path, &stud, &x));
    /* Anonymous: 401 naming the parameter. */
    call(&r, NULL, "GET", path, NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", "eligible");
    api_free(&r);
}

/* The ids of a result (heap strings in out, count returned). */
static size_t result_ids(json_t *reply, char ids[][64], size_t max)
{
    size_t n = 0, i;
    json_t *item;
    json_array_foreach(json_object_get(reply, "items"), i, item) {
        if (n < max)
            copy_str(ids[n++], 64, json_string_value(json_object_get(item, "id")));
    }
    return n;
}

TEST(search_full_text_covers_title_description_specialty_host_city_preceptor)
{
    struct api_response r;
    char path[300];
    /* A word only in one description. */
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&limit=100", unique_desc_word);
    call(&r, NULL, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "total", -1), 1);
    CHECK(list_has(r.json, entries[13].id));
    api_free(&r);
    /* Specialty name, host name, city and preceptor name, each with the run's word. */
    struct {
        const char *words;
        int field; /* 0 specialty, 1 host (all), 2 city (state), 3 preceptor (i % 3) */
        const char *value;
        int preceptor;
    } cases[] = {
        {"psychiatry", 0, "psychiatry", 0}, {"gamma", 1, NULL, 0},    {"spokane", 2, "WA", 0},
        {"austin", 2, "TX", 0},             {"ostrander", 3, NULL, 1}, {"quimby", 3, NULL, 0},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        if (cases[c].field == 2 || cases[c].field == 3)
            snprintf(path, sizeof(path), "/api/v1/offerings?q=%s%s&limit=100", cases[c].words, STAG);
        else
            snprintf(path, sizeof(path), "/api/v1/offerings?q=%s+%s&limit=100", cases[c].words, STAG);
        struct expect x = expect_any();
        call(&r, NULL, "GET", path, NULL);
        CHECK_INT(r.status, 200);
        int expected = 0;
        for (int i = 0; i < CATALOG_SIZE; i++) {
            const struct entry *e = &entries[i];
            bool want = entry_matches(e, &x);
            if (cases[c].field == 0)
                want = want && strcmp(e->specialty, cases[c].value) == 0;
            else if (cases[c].field == 2)
                want = want && strcmp(e->state, cases[c].value) == 0;
            else if (cases[c].field == 3)
                want = want && i % 3 == cases[c].preceptor;
            expected += want;
            if (want != list_has(r.json, e->id))
                TEST_FAILF("q=%s: %s is %s the result", cases[c].words, e->title, want ? "missing from" : "wrongly in");
        }
        CHECK_INT(api_json_int(r.json, "total", -1), expected);
        CHECK(expected > 0);
        api_free(&r);
    }
    /* A prefix matches; a word that is nowhere finds nothing. */
    char prefix[32];
    snprintf(prefix, sizeof(prefix), "%.*s", (int)strlen(STAG) - 2, STAG);
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&limit=100", prefix);
    call(&r, NULL, "GET", path, NULL);
    CHECK(list_has(r.json, entries[0].id));
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s+xylophonequartz&limit=100", STAG);
    call(&r, NULL, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "total", -1), 0);
    CHECK(json_is_null(json_object_get(r.json, "next_cursor")));
    api_free(&r);
}

/* Facet counts: each count equals the total with that value as the filter,
 * the facet's own filter (in base) replaced. */
static void check_facets(const char *spec, const char *state, const char *kind)
{
    char base[300];
    snprintf(base, sizeof(base), "/api/v1/offerings?q=%s&limit=1%s%s%s%s%s%s", STAG, spec ? "&specialty=" : "",
             spec ? spec : "", state ? "&state=" : "", state ? state : "", kind ? "&kind=" : "", kind ? kind : "");
    struct api_response r;
    call(&r, NULL, "GET", base, NULL);
    CHECK_INT(r.status, 200);
    json_t *facets = json_incref(json_object_get(r.json, "facets"));
    long long total = api_json_int(r.json, "total", -1);
    api_free(&r);
    const char *names[] = {"specialty", "state", "kind"};
    for (int f = 0; f < 3; f++) {
        json_t *counts = json_object_get(facets, names[f]);
        CHECK(json_is_object(counts));
        const char *own = f == 0 ? spec : f == 1 ? state : kind;
        const char *value;
        json_t *count;
        long long sum = 0;
        json_object_foreach(counts, value, count) {
            char path[400];
            snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&limit=1&%s=%s%s%s%s%s%s%s", STAG, names[f], value,
                     f != 0 && spec ? "&specialty=" : "", f != 0 && spec ? spec : "",
                     f != 1 && state ? "&state=" : "", f != 1 && state ? state : "", f != 2 && kind ? "&kind=" : "",
                     f != 2 && kind ? kind : "");
            call(&r, NULL, "GET", path, NULL);
            if (api_json_int(r.json, "total", -1) != json_integer_value(count))
                TEST_FAILF("facet %s=%s counts %lld but %s has total %lld", names[f], value,
                           (long long)json_integer_value(count), path, api_json_int(r.json, "total", -1));
            api_free(&r);
            sum += json_integer_value(count);
            if (own != NULL && strcmp(value, own) == 0)
                CHECK_INT(json_integer_value(count), total);
        }
        /* Without its own filter, a facet's counts add up to the total. */
        if (own == NULL)
            CHECK_INT(sum, total);
    }
    json_decref(facets);
}

TEST(search_facet_counts_equal_the_filtered_totals)
{
    check_facets(NULL, NULL, NULL);
    check_facets("cardiology", NULL, NULL);
    check_facets(NULL, "OH", NULL);
    check_facets(NULL, NULL, "hands_on");
    check_facets("pediatrics", "TX", "observership");
}

/* Walks every page with limit=7; the ids, and they must equal the limit=100 set. */
static void check_pagination(const char *params)
{
    char all[CATALOG_SIZE + 8][64];
    char path[400];
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&limit=100%s", STAG, params);
    struct api_response r;
    call(&r, NULL, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    size_t all_count = result_ids(r.json, all, CATALOG_SIZE + 8);
    long long total = api_json_int(r.json, "total", -1);
    CHECK(json_is_null(json_object_get(r.json, "next_cursor")));
    api_free(&r);
    CHECK_INT((long long)all_count, total);
    char seen[CATALOG_SIZE + 8][64];
    size_t seen_count = 0;
    char cursor[256] = "";
    int pages = 0;
    for (; pages < 20; pages++) {
        snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&limit=7%s%s%s", STAG, params, cursor[0] ? "&cursor=" : "",
                 cursor);
        call(&r, NULL, "GET", path, NULL);
        CHECK_INT(r.status, 200);
        CHECK_INT(api_json_int(r.json, "total", -1), total);
        char page[8][64];
        size_t n = result_ids(r.json, page, 8);
        CHECK(n <= 7);
        for (size_t i = 0; i < n; i++) {
            for (size_t k = 0; k < seen_count; k++)
                if (strcmp(seen[k], page[i]) == 0)
                    TEST_FAILF("%s appears twice in the pages (%s)", page[i], params);
            if (seen_count < CATALOG_SIZE + 8)
                copy_str(seen[seen_count++], 64, page[i]);
        }
        const char *next = api_json_str(r.json, "next_cursor");
        copy_str(cursor, sizeof(cursor), next);
        api_free(&r);
        if (next == NULL)
            break;
        CHECK_INT((long long)n, 7);
    }
    CHECK_INT((long long)seen_count, (long long)all_count);
    /* The same order as the one big page. */
    for (size_t i = 0; i < seen_count && i < all_count; i++)
        if (strcmp(seen[i], all[i]) != 0) {
            TEST_FAILF("page order differs at %zu (%s): %s vs %s", i, params, seen[i], all[i]);
            break;
        }
    CHECK_INT(pages, (int)((all_count + 6) / 7) - 1 + (all_count == 0));
}

TEST(search_pagination_has_no_duplicates_or_misses)
{
    check_pagination("");
    check_pagination("&sort=price");
    check_pagination("&sort=soonest");
    check_pagination("&include_full=true");
    check_pagination("&kind=hands_on");
}

TEST(search_sort_orders)
{
    char path[300];
    struct api_response r;
    /* price: ascending tuition */
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&sort=price&limit=100", STAG);
    call(&r, NULL, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    json_t *items = json_object_get(r.json, "items");
    CHECK(json_array_size(items) > 10);
    for (size_t i = 1; i < json_array_size(items); i++)
        CHECK(json_integer_value(json_object_get(json_array_get(items, i - 1), "tuition_cents")) <=
              json_integer_value(json_object_get(json_array_get(items, i), "tuition_cents")));
    CHECK_INT(json_integer_value(json_object_get(json_array_get(items, 0), "tuition_cents")), 0);
    api_free(&r);
    /* soonest (asked for): next block start ascending */
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&sort=soonest&limit=100", STAG);
    call(&r, NULL, "GET", path, NULL);
    items = json_object_get(r.json, "items");
    for (size_t i = 1; i < json_array_size(items); i++) {
        const char *a = api_json_str(json_array_get(items, i - 1), "next_block.start");
        const char *b = api_json_str(json_array_get(items, i), "next_block.start");
        CHECK(a != NULL && b != NULL && strcmp(a, b) <= 0);
    }
    api_free(&r);
    /* The default without q is soonest: over the states of this run's catalog (other suites'
     * offerings may be there too; the order must hold over all of them). */
    const char *states[] = {"TX", "OH", "WA"};
    for (size_t s = 0; s < 3; s++) {
        snprintf(path, sizeof(path), "/api/v1/offerings?state=%s&specialty=cardiology&limit=100", states[s]);
        call(&r, NULL, "GET", path, NULL);
        CHECK_INT(r.status, 200);
        items = json_object_get(r.json, "items");
        for (size_t i = 1; i < json_array_size(items); i++) {
            const char *a = api_json_str(json_array_get(items, i - 1), "next_block.start");
            const char *b = api_json_str(json_array_get(items, i), "next_block.start");
            CHECK(a != NULL && b != NULL && strcmp(a, b) <= 0);
        }
        api_free(&r);
    }
    /* Relevance needs a text. */
    call(&r, NULL, "GET", "/api/v1/offerings?sort=relevance", NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "sort");
    api_free(&r);
}

TEST(search_bad_parameters_are_named)
{
    const char *bad[][2] = {
        {"limit=0", "limit"},
        {"limit=101", "limit"},
        {"limit=abc", "limit"},
        {"max_tuition=-1", "max_tuition"},
        {"max_tuition=10000001", "max_tuition"},
        {"start_from=2026-13-01", "start_from"},
        {"start_to=2026-02-30", "start_to"},
        {"kind=surgery", "kind"},
        {"specialty=astrology", "specialty"},
        {"state=XX", "state"},
        {"cursor=garbage", "cursor"},
        {"include_full=yes", "include_full"},
        {"eligible=you", "eligible"},
        {"sort=random", "sort"},
        {"kind=research&kind=telehealth", "kind"},
    };
    struct api_response r;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char path[200];
        snprintf(path, sizeof(path), "/api/v1/offerings?%s", bad[i][0]);
        call(&r, NULL, "GET", path, NULL);
        CHECK_PROBLEM(&r, 400, "invalid_parameter", bad[i][1]);
        api_free(&r);
    }
    call(&r, NULL, "GET", "/api/v1/offerings?color=blue", NULL);
    CHECK_PROBLEM(&r, 400, "unknown_parameter", "color");
    api_free(&r);
    /* A cursor of another sort is refused too. */
    char path[300];
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&sort=price&limit=2", STAG);
    call(&r, NULL, "GET", path, NULL);
    char cursor[256];
    copy_str(cursor, sizeof(cursor), api_json_str(r.json, "next_cursor"));
    api_free(&r);
    CHECK(cursor[0] != '\0');
    char with_cursor[600];
    snprintf(with_cursor, sizeof(with_cursor), "/api/v1/offerings?q=%s&sort=soonest&limit=2&cursor=%s", STAG, cursor);
    call(&r, NULL, "GET", with_cursor, NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "cursor");
    api_free(&r);
}

TEST(search_shows_changes_through_the_api_at_once)
{
    struct entry *e = &entries[3];
    char path[300], body[300];
    /* A new title word is searchable at once. */
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", e->id);
    snprintf(body, sizeof(body), "{\"title\":\"Renamed quokkarium %s\",\"tuition_cents\":777700}", STAG);
    struct api_response r;
    call(&r, &staff, "PATCH", path, body);
    CHECK_INT(r.status, 200);
    api_free(&r);
    char search[300];
    snprintf(search, sizeof(search), "/api/v1/offerings?q=quokkarium+%s&limit=100", STAG);
    call(&r, NULL, "GET", search, NULL);
    CHECK_INT(api_json_int(r.json, "total", -1), 1);
    CHECK(list_has(r.json, e->id));
    json_t *hit = json_array_get(json_object_get(r.json, "items"), 0);
    CHECK_INT(json_integer_value(json_object_get(hit, "tuition_cents")), 777700);
    api_free(&r);
    /* Back to draft: gone at once; published again: back. */
    call(&r, &staff, "PATCH", path, "{\"status\":\"draft\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    call(&r, NULL, "GET", search, NULL);
    CHECK_INT(api_json_int(r.json, "total", -1), 0);
    api_free(&r);
    call(&r, &staff, "PATCH", path, "{\"status\":\"published\"}");
    api_free(&r);
    call(&r, NULL, "GET", search, NULL);
    CHECK_INT(api_json_int(r.json, "total", -1), 1);
    api_free(&r);
    /* The offering without blocks appears once it gets one, with that block as its next. */
    struct entry *lone = &entries[9];
    char block_id[64], start[11];
    CHECK(create_block(&staff, lone->id, 3, 31, 2, block_id, sizeof(block_id)));
    snprintf(search, sizeof(search), "/api/v1/offerings?q=%s&limit=100", STAG);
    call(&r, NULL, "GET", search, NULL);
    CHECK(list_has(r.json, lone->id));
    json_t *item;
    size_t i;
    json_array_foreach(json_object_get(r.json, "items"), i, item) {
        if (strcmp(json_string_value(json_object_get(item, "id")), lone->id) == 0)
            CHECK_STR(api_json_str(item, "next_block.start"), date_in(start, 3));
    }
    api_free(&r);
    /* Seats of a block: the full one opens when its seats grow. */
    char *full_block =
        api_db_text(db, "SELECT id FROM blocks WHERE offering_id = $1 AND seats_taken = 1", entries[11].id, NULL, NULL);
    if (full_block != NULL) {
        snprintf(path, sizeof(path), "/api/v1/blocks/%s", full_block);
        call(&r, &staff, "PATCH", path, "{\"seats\":2}");
        CHECK_INT(r.status, 200);
        api_free(&r);
        call(&r, NULL, "GET", search, NULL);
        CHECK(list_has(r.json, entries[11].id));
        api_free(&r);
        free(full_block);
    } else {
        TEST_FAILF("the full block of %s is not in the database", entries[11].id);
    }
}

TEST(main_server_shuts_down_gracefully)
{
    CHECK_INT(api_server_stop(&main_server), 0);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    db = api_db_open(&main_server);
    return db != NULL;
}

static void run_tests(void)
{
    API_RUN(setup_users_and_hosts);
    if (test_failed > 0) {
        printf("setup failed; the other tests need its users and hosts\n");
    } else {
        API_RUN(organizations_post_creates_a_host_and_a_school);
        API_RUN(organizations_post_is_for_staff_only);
        API_RUN(organizations_get_staff_sees_all_others_their_own);
        API_RUN(specialties_are_a_public_list);
        API_RUN(sites_post_creates_with_the_time_zone_of_the_state);
        API_RUN(sites_post_validation_names_the_field);
        API_RUN(sites_post_for_another_host_is_403);
        API_RUN(sites_get_lists_the_callers_hosts_with_a_cursor);
        API_RUN(site_get_and_patch_of_another_host_is_404);
        API_RUN(preceptors_post_creates_unverified);
        API_RUN(preceptors_post_validation_names_the_field);
        API_RUN(preceptors_get_lists_and_hides_other_hosts);
        API_RUN(offerings_post_creates_the_offering);
        API_RUN(offerings_post_validation_names_the_field);
        API_RUN(offerings_post_authorization);
        API_RUN(offering_patch_changes_only_the_fields_sent);
        API_RUN(offering_patch_of_another_host_is_404_and_changes_nothing);
        API_RUN(preceptor_sees_the_unpublished_offering_they_precept);
        API_RUN(blocks_post_creates_a_block);
        API_RUN(blocks_post_validation_names_the_field);
        API_RUN(block_patch_changes_seats_and_dates);
        API_RUN(block_patch_of_another_host_is_404_and_changes_nothing);
        API_RUN(block_patch_below_seats_taken_is_409);
        API_RUN(preceptor_verify_is_staff_only_and_shows_at_once);
        API_RUN(site_patch_shows_in_search_at_once);
        API_RUN(host_page_lists_the_coordinators_offerings);
        API_RUN(host_offering_form_creates_and_reshows_errors);
        API_RUN(host_edit_page_saves_and_manages_blocks);

        API_RUN(search_catalog_is_built_through_the_api);
    }
    if (catalog_ready) {
        API_RUN(search_filters_each_result_matches);
        API_RUN(search_include_full_and_drafts);
        API_RUN(search_eligible_me_uses_the_students_profile);
        API_RUN(search_full_text_covers_title_description_specialty_host_city_preceptor);
        API_RUN(search_facet_counts_equal_the_filtered_totals);
        API_RUN(search_pagination_has_no_duplicates_or_misses);
        API_RUN(search_sort_orders);
        API_RUN(search_bad_parameters_are_named);
        API_RUN(search_shows_changes_through_the_api_at_once);
    }
}

static void finish(void)
{
    db_close(db);
    API_RUN(main_server_shuts_down_gracefully);
}

int main(void)
{
    /* Letters and digits only, so that the full-text search sees one word. */
    snprintf(TAG, sizeof(TAG), "qz%05ldx%06lld", (long)getpid() % 100000, (long long)time(NULL) % 1000000);
    snprintf(STAG, sizeof(STAG), "sq%05ldx%06lld", (long)getpid() % 100000, (long long)time(NULL) % 1000000);
    static const struct api_suite suite = {
        .name = "api-catalog", .server = &main_server, .flags = NULL, .setup = setup,
        .setup_what = "opening the database failed", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
