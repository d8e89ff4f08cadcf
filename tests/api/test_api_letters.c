/* test_api_letters.c — letters of recommendation and Match readiness (API.md
 * "Letters of recommendation and readiness", DESIGN.md §3–§4) against the
 * real `rounds serve`: the whole flow from the request to ERAS, the author
 * acting through the invitation link (X-Invitation-Token, or the multipart
 * field token) or through their account, token misuse, the PDF checks,
 * versions, the FERPA waiver route by route (API, notifications, emails,
 * pages), readiness and its targets, reminders at 7 and 14 days, the staff
 * list of overdue letters, and malformed input everywhere.
 *
 * The server runs with --test-hooks 1 (the test clock and the jobs) and
 * --jobs-interval-ms 0, so only the tests run the reminders. Invitation
 * tokens are stored hashed: the tests read them from the email bodies in the
 * outbox. Every test makes its own students and authors, so the suite also
 * runs on a PostgreSQL database that holds other data. */
#include <dirent.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "test.h"

#define PASSWORD "Vivid-Orchard-Kettle-58!"
#define PEOPLE_PASSWORD PASSWORD
#include "api_people.h"
#include "api_world.h"
#include "api_hooks.h"
#include "api_steps.h"
#include "api_suite.h"
#define DAY 86400LL
#define BOUNDARY "rounds-letter-boundary-7MA4YWxkTrZu0gW"
#define MAX_PDF 1000000

/* ---- users and the world ---- */

static struct api_server server;
static struct db_conn *db;
static struct user staff, coord, precep;
static char org[64], site[64], prc_us[64], prc_other[64], offering[64], offering_other[64];
static int next_block;

/* A request as u (NULL: anonymous) with a JSON body text (NULL: none). */
static long call(struct api_response *r, const struct user *u, const char *method, const char *path,
                 const char *body)
{
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    return api_request(r, method, path, headers, body);
}

/* A request carrying an invitation token and no session. */
static long call_token(struct api_response *r, const char *token, const char *method, const char *path,
                       const char *body)
{
    char header[256];
    snprintf(header, sizeof(header), "X-Invitation-Token: %s", token);
    const char *headers[] = {header, NULL};
    return api_request(r, method, path, headers, body);
}

/* Staff creates a user of role (member of org when not NULL), who then logs in. */
static bool create_user(struct user *u, const char *prefix, const char *role, const char *organization)
{
    char name[96];
    snprintf(name, sizeof(name), "Dr. %s Okafor", prefix);
    return world_member_named(&staff, u, prefix, name, role, organization);
}

static bool create_preceptor(const char *user_id, const char *name, char *id_out)
{
    const struct world_preceptor_fields fields = {name, "internal-medicine", "NY", "LIC-55012", "prclor", NULL};
    return world_preceptor_record(&staff, org, user_id, &fields, id_out);
}

static bool create_offering(const char *preceptor, const char *title, char *id_out)
{
    return create_object(&coord, "/api/v1/offerings",
                         world_medicine_offering_body(org, site, preceptor, title, "hands_on"), id_out);
}

/* Staff, a host with a coordinator, a verified preceptor with an account
 * (prc_us), an unverified one without (prc_other), a site and an offering
 * of each preceptor (parts from api_world.h). */
static bool world_setup(void)
{
    static const struct world_place albany = {"Main campus", NULL, "Albany", "NY", "12208"};
    if (!world_staff(&server, &db, &staff, "lorstaff", "Letters"))
        return false;
    if (!world_org(&staff, "host", org, "St. Brigid Teaching Hospital %ld-%lld", (long)getpid(),
                   (long long)time(NULL)))
        return false;
    if (!create_user(&coord, "lorcoord", "host_coordinator", org) ||
        !create_user(&precep, "lorprecep", "preceptor", org))
        return false;
    if (!world_site(&staff, org, &albany, site))
        return false;
    if (!create_preceptor(precep.id, precep.name, prc_us) || !create_preceptor(NULL, "Dr. Ines Varga", prc_other))
        return false;
    struct api_response r;
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/preceptors/%s/verify", prc_us);
    char expires[11];
    clock_date_from_days(clock_today_days() + 400, expires);
    bool ok = post_as(&r, &staff, path, json_pack("{s:b,s:s}", "verified", 1, "license_expires", expires), 200);
    api_free(&r);
    if (!ok)
        return false;
    return create_offering(prc_us, "Internal Medicine Sub-Internship", offering) &&
           create_offering(prc_other, "Hospital Medicine Externship", offering_other);
}

/* ---- the test hooks ---- */

/* Runs the jobs once; the number of letter reminders they sent (-1 on failure). */
static long long run_jobs(void)
{
    return hooks_run_jobs_count("letter_reminders");
}

/* ---- a completed rotation ---- */

/* The student pays the full price of a held seat (the demo provider), which books it. */
static bool pay_in_full(const struct user *s, const char *app)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/checkout", app);
    struct api_response r;
    bool ok = post_as(&r, s, path, json_pack("{s:s,s:s}", "method", "demo", "plan", "full"), 201);
    api_free(&r);
    return ok;
}

/* The student applies for a fresh block of an offering and holds a seat
 * (complete: and completes the rotation); app_out gets the application. */
static bool rotation(const struct user *s, const char *of_offering, bool complete, char *app_out)
{
    char block[64];
    int k = next_block++;
    if (!steps_block(&staff, of_offering, 30 + 29 * k, 28, 3, block))
        return false;
    if (!create_object(s, "/api/v1/applications",
                       json_pack("{s:s,s:s}", "block_id", block, "statement", "Keen on inpatient medicine."),
                       app_out))
        return false;
    if (!steps_act(&coord, app_out, "offer") || !steps_act(s, app_out, "accept"))
        return false;
    /* The rotation is weeks ahead: staff start and complete it now, overriding the calendar. */
    return !complete || (pay_in_full(s, app_out) && steps_act(&coord, app_out, "clear") &&
                         steps_override(&staff, app_out, "start") && steps_override(&staff, app_out, "complete"));
}

static bool completed_rotation(const struct user *s, char *app_out)
{
    return rotation(s, offering, true, app_out);
}

/* ---- letters ---- */

/* POST /api/v1/letters as the student with a jansson body (stolen). */
static long request_raw(struct api_response *r, const struct user *s, json_t *body)
{
    char *text = json_text(body);
    long status = call(r, s, "POST", "/api/v1/letters", text);
    free(text);
    return status;
}

/* A letter from a new author (by name and email) into id_out, the author's email into author_out (160). */
static bool request_letter(const struct user *s, bool waived, char *id_out, char *author_out)
{
    char author[160];
    api_unique_email(author, sizeof(author), "author");
    if (author_out != NULL)
        snprintf(author_out, 160, "%s", author);
    struct api_response r;
    request_raw(&r, s,
                json_pack("{s:s,s:s,s:b}", "author_name", "Dr. Miriam Castellanos", "author_email", author, "waived",
                          waived));
    bool ok = r.status == 201 && api_json_str(r.json, "id") != NULL;
    if (!ok)
        TEST_FAILF("requesting a letter answered %ld: %.400s", r.status, r.body);
    else
        snprintf(id_out, 64, "%s", api_json_str(r.json, "id"));
    api_free(&r);
    return ok;
}

static long get_letter(struct api_response *r, const struct user *u, const char *id)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/letters/%s", id);
    return call(r, u, "GET", path, NULL);
}

/* POST /api/v1/letters/{id}/{action} as u, or with token when u is NULL. */
static long letter_act(struct api_response *r, const struct user *u, const char *token, const char *id,
                       const char *action, const char *body)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/letters/%s/%s", id, action);
    if (u == NULL && token != NULL)
        return call_token(r, token, "POST", path, body);
    return call(r, u, "POST", path, body);
}

static const char *db_state(const char *id)
{
    static char state[64];
    char *s = api_db_text(db, "SELECT state FROM letters WHERE id = $1", id, NULL, NULL);
    snprintf(state, sizeof(state), "%s", s != NULL ? s : "(none)");
    free(s);
    return state;
}

static long long db_versions(const char *id)
{
    return api_db_int(db, "SELECT COUNT(*) FROM letter_files WHERE letter_id = $1", id, NULL);
}

/* Mail to an address, waiting or delivered (a delivered mail keeps only a
 * hash of its address). */
static long long outbox_count(const char *to)
{
    char hash[65];
    crypto_hash_token(to, hash); /* the tests' addresses are lower case */
    return api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1 OR to_hash = $2", to, hash);
}

/* The delivered mails to an address (the maildir: the outbox keeps no body
 * once a mail is delivered), oldest first, joined (heap string); the newest
 * alone into *newest (heap) when not NULL. */
static char *maildir_text(const char *to, char **newest)
{
    char dir[400], header[220];
    snprintf(dir, sizeof(dir), "%s/data/mail/new", server.dir);
    snprintf(header, sizeof(header), "To: %s\r\n", to);
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort); /* m_<sortable id>.eml: oldest first */
    size_t len = 0;
    char *all = calloc(1, 1);
    if (newest != NULL)
        *newest = NULL;
    for (int i = 0; i < n; i++) {
        char path[700];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
        char *mail = names[i]->d_name[0] != '.' ? api_read_file(path, NULL) : NULL;
        if (mail != NULL && strstr(mail, header) != NULL && all != NULL) {
            size_t m = strlen(mail);
            char *bigger = realloc(all, len + m + 2);
            if (bigger != NULL) {
                all = bigger;
                memcpy(all + len, mail, m);
                len += m;
                all[len++] = '\n';
                all[len] = '\0';
            }
            if (newest != NULL) {
                free(*newest);
                *newest = mail;
                mail = NULL;
            }
        }
        free(mail);
        free(names[i]);
    }
    free(names);
    return all != NULL ? all : calloc(1, 1);
}

/* Every subject and body waiting in the outbox for an address, then every
 * mail delivered to it, joined (heap string, never NULL). */
static char *outbox_text(const char *to)
{
    struct buf_s {
        char *data;
        size_t len;
    } all = {calloc(1, 1), 0};
    struct db_stmt *st = db_prepare(db, "SELECT subject, body FROM outbox WHERE to_address = $1 ORDER BY id");
    db_bind_text(st, 1, to);
    while (db_step(st) == DB_ROW && all.data != NULL) {
        for (int c = 0; c < 2; c++) {
            const char *s = db_column_text(st, c);
            size_t n = s != NULL ? strlen(s) : 0;
            char *bigger = realloc(all.data, all.len + n + 2);
            if (bigger == NULL)
                break;
            all.data = bigger;
            memcpy(all.data + all.len, s != NULL ? s : "", n);
            all.len += n;
            all.data[all.len++] = '\n';
            all.data[all.len] = '\0';
        }
    }
    db_reset(st);
    char *delivered = maildir_text(to, NULL);
    size_t extra = strlen(delivered);
    char *bigger = all.data != NULL ? realloc(all.data, all.len + extra + 1) : NULL;
    if (bigger != NULL) {
        memcpy(bigger + all.len, delivered, extra + 1);
        all.data = bigger;
    }
    free(delivered);
    return all.data != NULL ? all.data : calloc(1, 1);
}

/* The token of the link ".../invitations/letters/<token>" in text (skip earlier ones), into out[128]. */
static bool token_in(const char *text, int skip, char out[128])
{
    const char *p = text;
    for (int seen = 0; p != NULL; seen++) {
        p = strstr(p, "/invitations/letters/");
        if (p == NULL)
            break;
        p += strlen("/invitations/letters/");
        size_t n = 0;
        while (n < 127 && ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
                           (p[n] >= '0' && p[n] <= '9') || p[n] == '_' || p[n] == '-'))
            n++;
        if (seen == skip && n > 0) {
            memcpy(out, p, n);
            out[n] = '\0';
            return true;
        }
    }
    return false;
}

/* The invitation token of the newest email to the author. */
static bool latest_token(const char *author, char out[128])
{
    /* Waiting mail is newer than delivered mail. */
    char *body = api_db_text(db, "SELECT body FROM outbox WHERE to_address = $1 ORDER BY id DESC", author, NULL, NULL);
    if (body == NULL) {
        free(maildir_text(author, &body));
    }
    bool ok = body != NULL && token_in(body, 0, out);
    if (!ok)
        TEST_FAILF("no invitation link in the newest email to %s: %.300s", author, body != NULL ? body : "(none)");
    free(body);
    return ok;
}

/* ---- multipart bodies and PDFs ---- */

/* A small valid-looking PDF holding marker (NULL: none), padded to size bytes when size > 0. */
static struct api_bytes make_pdf(const char *marker, size_t size)
{
    struct api_bytes b = {0};
    api_bytes_str(&b, "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                  "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
                  "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj\n");
    char stream[512];
    snprintf(stream, sizeof(stream),
             "4 0 obj << /Length 60 >> stream\nBT /F1 12 Tf 72 720 Td (To the program director: %s) Tj ET\n"
             "endstream endobj\n",
             marker != NULL ? marker : "I recommend this student");
    api_bytes_str(&b, stream);
    const char *tail = "trailer << /Root 1 0 R >>\n%%EOF\n";
    if (size > b.len + strlen(tail) + 2) {
        size_t pad = size - b.len - strlen(tail);
        char *line = malloc(pad);
        if (line != NULL) {
            memset(line, 'x', pad);
            line[0] = '%';
            line[pad - 1] = '\n';
            api_bytes_add(&b, line, pad);
            free(line);
        }
    }
    api_bytes_str(&b, tail);
    return b;
}

/* A multipart body: an optional text field token, and a file part (NULL data: no file part). */
static struct api_bytes make_multipart(const char *token, const char *filename, const char *type, const char *data,
                                   size_t len)
{
    struct api_bytes b = {0};
    if (token != NULL) {
        api_bytes_str(&b, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n");
        api_bytes_str(&b, token);
        api_bytes_str(&b, "\r\n");
    }
    if (data != NULL) {
        char head[512];
        snprintf(head, sizeof(head),
                 "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                 "Content-Type: %s\r\n\r\n",
                 filename, type);
        api_bytes_str(&b, head);
        api_bytes_add(&b, data, len);
        api_bytes_str(&b, "\r\n");
    }
    api_bytes_str(&b, "--" BOUNDARY "--\r\n");
    return b;
}

/* POST /api/v1/letters/{id}/upload: as u, or with the token in the header
 * (token_header) or in the multipart field (token_field). */
static long upload_raw(struct api_response *r, const struct user *u, const char *token_header,
                       const char *token_field, const char *id, const char *filename, const char *type,
                       const char *data, size_t len)
{
    struct api_bytes body = make_multipart(token_field, filename, type, data, len);
    char path[200], token[256];
    snprintf(path, sizeof(path), "/api/v1/letters/%s/upload", id);
    const char *headers[4];
    int n = 0;
    headers[n++] = "Content-Type: multipart/form-data; boundary=" BOUNDARY;
    if (u != NULL)
        headers[n++] = u->auth;
    if (token_header != NULL) {
        snprintf(token, sizeof(token), "X-Invitation-Token: %s", token_header);
        headers[n++] = token;
    }
    headers[n] = NULL;
    struct api_raw_request rq = {"POST", path, headers, body.data, body.len, true};
    long status = api_send(r, &rq);
    free(body.data);
    return status;
}

static long upload_pdf(struct api_response *r, const struct user *u, const char *token, const char *id,
                       const struct api_bytes *pdf)
{
    return upload_raw(r, u, token, NULL, id, "letter.pdf", "application/pdf", pdf->data, pdf->len);
}

/* A random marker that only an uploaded letter holds. */
static void make_marker(char out[64])
{
    unsigned char raw[12];
    char hex[25];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
    snprintf(out, 64, "SECRET-LETTER-TEXT-%s", hex);
}

/* GET /api/v1/letters/{id}/file as u or with token. */
static long get_file(struct api_response *r, const struct user *u, const char *token, const char *id)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/letters/%s/file", id);
    if (u == NULL && token != NULL)
        return call_token(r, token, "GET", path, NULL);
    return call(r, u, "GET", path, NULL);
}

static bool body_has(const struct api_response *r, const char *needle)
{
    return r->body != NULL && r->body_len >= strlen(needle) && memmem(r->body, r->body_len, needle, strlen(needle));
}

/* The readiness of u (caller frees with api_free). */
static bool readiness(struct api_response *r, const struct user *u)
{
    call(r, u, "GET", "/api/v1/me/readiness", NULL);
    if (r->status != 200) {
        TEST_FAILF("GET /api/v1/me/readiness answered %ld: %.300s", r->status, r->body);
        return false;
    }
    return true;
}

/* The item of the readiness reply with key, or NULL. */
static json_t *readiness_item(json_t *root, const char *key)
{
    json_t *items = json_object_get(root, "items");
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *k = json_string_value(json_object_get(it, "key"));
        if (k != NULL && strcmp(k, key) == 0)
            return it;
    }
    return NULL;
}

static const char *or_empty(const char *s)
{
    return s != NULL ? s : "";
}

static bool is_rfc3339(const char *s)
{
    return s != NULL && strlen(s) == 20 && s[4] == '-' && s[10] == 'T' && s[19] == 'Z';
}

/* The item with id in a list reply, or NULL. */
static json_t *list_item(json_t *root, const char *id)
{
    json_t *items = json_object_get(root, "items");
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *v = json_string_value(json_object_get(it, "id"));
        if (v != NULL && strcmp(v, id) == 0)
            return it;
    }
    return NULL;
}

/* Whether a list (every page of path + "&cursor=") as u holds id; the item's role into role_out (32). */
static bool list_has(const struct user *u, const char *path, const char *id, char *role_out)
{
    char cursor[128] = "", url[512];
    for (int page = 0; page < 200; page++) {
        snprintf(url, sizeof(url), "%s%s%s", path, cursor[0] != '\0' ? "&cursor=" : "", cursor);
        struct api_response r;
        call(&r, u, "GET", url, NULL);
        if (r.status != 200) {
            TEST_FAILF("GET %s answered %ld: %.300s", url, r.status, r.body);
            api_free(&r);
            return false;
        }
        json_t *it = list_item(r.json, id);
        if (it != NULL) {
            if (role_out != NULL)
                snprintf(role_out, 32, "%s", or_empty(json_string_value(json_object_get(it, "role"))));
            api_free(&r);
            return true;
        }
        const char *next = api_json_str(r.json, "next_cursor");
        bool more = next != NULL;
        if (more)
            snprintf(cursor, sizeof(cursor), "%s", next);
        api_free(&r);
        if (!more)
            return false;
    }
    return false;
}

/* ---- the whole flow ---- */

TEST(whole_flow_request_accept_upload_deliver)
{
    struct user s;
    if (!register_student(&s, "lorflow"))
        return;
    char author[160];
    api_unique_email(author, sizeof(author), "flowauthor");
    struct api_response r;
    request_raw(&r, &s,
                json_pack("{s:s,s:s,s:b}", "author_name", "Dr. Miriam Castellanos", "author_email", author, "waived",
                          1));
    CHECK_INT(r.status, 201);
    const char *id_text = api_json_str(r.json, "id");
    char id[64];
    snprintf(id, sizeof(id), "%s", id_text != NULL ? id_text : "");
    CHECK_STR(api_json_str(r.json, "state"), "requested");
    CHECK(api_json_str(r.json, "state_label") != NULL);
    CHECK_STR(api_json_str(r.json, "author.name"), "Dr. Miriam Castellanos");
    CHECK_STR(api_json_str(r.json, "author.email"), author);
    CHECK(json_is_true(api_json_get(r.json, "waived")));
    CHECK(is_rfc3339(api_json_str(r.json, "waived_at")));
    CHECK(is_rfc3339(api_json_str(r.json, "requested_at")));
    CHECK(json_is_null(api_json_get(r.json, "uploaded_at")));
    CHECK_INT(api_json_int(r.json, "versions", -1), 0);
    CHECK_STR(api_json_str(r.json, "student.id"), s.id);
    CHECK(api_json_get(r.json, "token") == NULL);
    api_free(&r);
    if (id[0] == '\0')
        return;
    CHECK_STR(db_state(id), "requested");
    CHECK_INT(api_db_int(db, "SELECT waived FROM letters WHERE id = $1", id, NULL), 1);

    /* The author's invitation: one email with a link; only its hash is stored. */
    CHECK_INT(outbox_count(author), 1);
    char token[128];
    if (!latest_token(author, token))
        return;
    CHECK(strlen(token) >= 32);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM letter_tokens WHERE letter_id = $1", id, NULL), 1);
    /* Until when it works, to the minute and in UTC, saying so: the author has no account (nor time zone). */
    long long expires = api_db_int(db, "SELECT expires_at FROM letter_tokens WHERE letter_id = $1", id, NULL);
    char day[11], words[CLOCK_DATE_WORDS_SIZE], until[96];
    clock_date_from_days((int32_t)(expires / 86400), day);
    snprintf(until, sizeof(until), "This link works until %s, %02lld:%02lld UTC.", clock_date_words(day, words),
             expires % 86400 / 3600, expires % 3600 / 60);
    char *mail = api_db_text(db, "SELECT body FROM outbox WHERE to_address = $1", author, NULL, NULL);
    CHECK(mail != NULL && strstr(mail, until) != NULL);
    if (mail == NULL || strstr(mail, until) == NULL)
        printf("  the invitation does not say \"%s\": %.600s\n", until, mail != NULL ? mail : "(none)");
    free(mail);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM letter_tokens WHERE token_hash = $1", token, NULL), 0);

    /* The author opens the letter with the link, accepts and uploads. */
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/letters/%s", id);
    call_token(&r, token, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "id"), id);
    CHECK(!body_has(&r, token));
    api_free(&r);
    letter_act(&r, NULL, token, id, "accept", "{}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "accepted");
    CHECK(is_rfc3339(api_json_str(r.json, "accepted_at")));
    api_free(&r);
    CHECK_STR(db_state(id), "accepted");
    char marker[64];
    make_marker(marker);
    struct api_bytes pdf = make_pdf(marker, 0);
    upload_pdf(&r, NULL, token, id, &pdf);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "uploaded");
    CHECK_INT(api_json_int(r.json, "versions", -1), 1);
    CHECK(!body_has(&r, marker));
    api_free(&r);
    CHECK_STR(db_state(id), "uploaded");
    CHECK_INT(db_versions(id), 1);

    /* The student sees it uploaded, one version, and no file. */
    get_letter(&r, &s, id);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "uploaded");
    CHECK_INT(api_json_int(r.json, "versions", -1), 1);
    CHECK(is_rfc3339(api_json_str(r.json, "uploaded_at")));
    CHECK(!body_has(&r, marker));
    api_free(&r);

    /* Delivered with the ERAS Letter ID (the student records it). */
    letter_act(&r, &s, NULL, id, "delivered", "{\"eras_letter_id\":\"L20250417\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "delivered");
    CHECK_STR(api_json_str(r.json, "eras_letter_id"), "L20250417");
    CHECK(is_rfc3339(api_json_str(r.json, "delivered_at")));
    api_free(&r);
    CHECK_STR(db_state(id), "delivered");
    char *eras = api_db_text(db, "SELECT eras_letter_id FROM letters WHERE id = $1", id, NULL, NULL);
    CHECK_STR(eras, "L20250417");
    free(eras);
    /* The student's pages show it: the letter's details and the list's row. */
    char page[120];
    snprintf(page, sizeof(page), "/letters/%s", id);
    const char *student_cookie[] = {s.cookie, NULL};
    api_request(&r, "GET", page, student_cookie, NULL);
    CHECK_INT(r.status, 200);
    CHECK(body_has(&r, "<dt>ERAS Letter ID</dt><dd><code>L20250417</code></dd>"));
    api_free(&r);
    api_request(&r, "GET", "/letters", student_cookie, NULL);
    CHECK_INT(r.status, 200);
    CHECK(body_has(&r, "<td data-label=\"ERAS ID\"><code>L20250417</code></td>"));
    api_free(&r);
    /* Delivered once. */
    letter_act(&r, &s, NULL, id, "delivered", "{\"eras_letter_id\":\"L20250418\"}");
    CHECK_PROBLEM(&r, 409, "invalid_transition", NULL);
    api_free(&r);
    /* Staff may read the file; the student (waived) may not. */
    get_file(&r, &staff, NULL, id);
    CHECK_INT(r.status, 200);
    CHECK(body_has(&r, marker));
    api_free(&r);
    get_file(&r, &s, NULL, id);
    CHECK_PROBLEM(&r, 403, "letter_confidential", NULL);
    api_free(&r);
    free(pdf.data);
}

/* ---- the preceptor acting from their account ---- */

TEST(preceptor_with_an_account_accepts_uploads_and_downloads)
{
    struct user s;
    char app[64];
    if (!register_student(&s, "lorprc") || !completed_rotation(&s, app))
        return;
    struct api_response r;
    request_raw(&r, &s, json_pack("{s:s,s:s,s:b}", "preceptor_id", prc_us, "application_id", app, "waived", 0));
    CHECK_INT(r.status, 201);
    char id[64];
    snprintf(id, sizeof(id), "%s", or_empty(api_json_str(r.json, "id")));
    CHECK_STR(api_json_str(r.json, "preceptor_id"), prc_us);
    CHECK_STR(api_json_str(r.json, "application_id"), app);
    CHECK(api_json_str(r.json, "author.name") != NULL && api_json_str(r.json, "author.name")[0] != '\0');
    CHECK(json_is_false(api_json_get(r.json, "waived")));
    CHECK(json_is_null(api_json_get(r.json, "waived_at")));
    CHECK(json_is_true(api_json_get(r.json, "from_us_physician")));
    api_free(&r);
    if (id[0] == '\0')
        return;

    /* The student's page of the letter names the rotation it is asked for. */
    char page[120];
    snprintf(page, sizeof(page), "/letters/%s", id);
    const char *student_cookie[] = {s.cookie, NULL};
    api_request(&r, "GET", page, student_cookie, NULL);
    CHECK_INT(r.status, 200);
    CHECK(body_has(&r, "<dt>Rotation</dt><dd>Internal Medicine Sub-Internship <span class=\"muted\">St. Brigid"
                       " Teaching Hospital "));
    api_free(&r);

    /* The preceptor finds it in their list, as its author. */
    char role[32] = "";
    CHECK(list_has(&precep, "/api/v1/letters?limit=100", id, role));
    CHECK_STR(role, "author");
    /* Other people with accounts do not. */
    CHECK(!list_has(&coord, "/api/v1/letters?limit=100", id, NULL));
    get_letter(&r, &coord, id);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);

    get_letter(&r, &precep, id);
    CHECK_INT(r.status, 200);
    api_free(&r);
    letter_act(&r, &precep, NULL, id, "accept", NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "accepted");
    api_free(&r);
    /* Another host user cannot act on it. */
    letter_act(&r, &coord, NULL, id, "decline", "{}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    CHECK_STR(db_state(id), "accepted");

    char marker[64];
    make_marker(marker);
    struct api_bytes pdf = make_pdf(marker, 0);
    upload_pdf(&r, &precep, NULL, id, &pdf);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "uploaded");
    CHECK_INT(api_json_int(r.json, "versions", -1), 1);
    api_free(&r);
    char *by = api_db_text(db, "SELECT uploaded_by FROM letter_files WHERE letter_id = $1", id, NULL, NULL);
    CHECK_STR(by, precep.id);
    free(by);

    /* The preceptor downloads it: the PDF, as an attachment, never cached. */
    get_file(&r, &precep, NULL, id);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_header(&r, "content-type"), "application/pdf");
    CHECK_STR(api_header(&r, "content-disposition"), "attachment; filename=\"letter.pdf\"");
    CHECK_STR(api_header(&r, "x-content-type-options"), "nosniff");
    bool has_private = false, has_no_store = false;
    for (size_t i = 0; i < r.header_count; i++)
        if (strcmp(r.headers[i].name, "cache-control") == 0) {
            has_private = has_private || strstr(r.headers[i].value, "private") != NULL;
            has_no_store = has_no_store || strstr(r.headers[i].value, "no-store") != NULL;
        }
    CHECK(has_private && has_no_store);
    CHECK_INT(r.body_len, pdf.len);
    CHECK(r.body_len == pdf.len && memcmp(r.body, pdf.data, pdf.len) == 0);
    api_free(&r);
    /* Not waived: the student may download it too. */
    get_file(&r, &s, NULL, id);
    CHECK_INT(r.status, 200);
    CHECK(body_has(&r, marker));
    api_free(&r);
    /* Nobody else. */
    get_file(&r, &coord, NULL, id);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);

    /* Delivered by the preceptor. */
    letter_act(&r, &precep, NULL, id, "delivered", "{\"eras_letter_id\":\"L77001234\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "delivered");
    api_free(&r);

    /* The completed rotation's weeks count from its confirmed hours (none were logged here: see
     * test_api_rotation.c); the letter counts. */
    if (readiness(&r, &s)) {
        CHECK_INT(api_json_int(r.json, "usce_weeks.hands_on", -1), 0);
        CHECK_INT(api_json_int(r.json, "letters.count", -1), 1);
        CHECK_INT(api_json_int(r.json, "letters.from_us_physicians", -1), 1);
    }
    api_free(&r);
    free(pdf.data);
}

/* ---- token misuse ---- */

TEST(an_expired_link_is_410)
{
    struct user s;
    char id[64], author[160], token[128];
    if (!register_student(&s, "lorexp") || !request_letter(&s, true, id, author) || !latest_token(author, token))
        return;
    struct api_response r;
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/letters/%s", id);
    hooks_set_clock(31 * DAY);
    call_token(&r, token, "GET", path, NULL);
    CHECK_PROBLEM(&r, 410, "invitation_expired", NULL);
    api_free(&r);
    letter_act(&r, NULL, token, id, "accept", "{}");
    CHECK_PROBLEM(&r, 410, "invitation_expired", NULL);
    api_free(&r);
    struct api_bytes pdf = make_pdf(NULL, 0);
    upload_pdf(&r, NULL, token, id, &pdf);
    CHECK_PROBLEM(&r, 410, "invitation_expired", NULL);
    api_free(&r);
    free(pdf.data);
    hooks_set_clock(0);
    CHECK_STR(db_state(id), "requested");
    CHECK_INT(db_versions(id), 0);
    /* Thirty days less a minute it still works. */
    hooks_set_clock(30 * DAY - 60);
    call_token(&r, token, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
    hooks_set_clock(0);
}

TEST(a_link_is_used_up_by_the_upload_or_the_decline)
{
    struct user s;
    char id[64], author[160], token[128];
    if (!register_student(&s, "lorused") || !request_letter(&s, true, id, author) || !latest_token(author, token))
        return;
    struct api_response r;
    /* Uploading through the multipart field token, straight from requested. */
    struct api_bytes pdf = make_pdf(NULL, 0);
    upload_raw(&r, NULL, NULL, token, id, "letter.pdf", "application/pdf", pdf.data, pdf.len);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "uploaded");
    api_free(&r);
    CHECK(api_db_int(db, "SELECT token_used_at FROM letters WHERE id = $1", id, NULL) > 0);
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/letters/%s", id);
    call_token(&r, token, "GET", path, NULL);
    CHECK_PROBLEM(&r, 410, "invitation_used", NULL);
    api_free(&r);
    letter_act(&r, NULL, token, id, "accept", "{}");
    CHECK_PROBLEM(&r, 410, "invitation_used", NULL);
    api_free(&r);
    upload_pdf(&r, NULL, token, id, &pdf);
    CHECK_PROBLEM(&r, 410, "invitation_used", NULL);
    api_free(&r);
    get_file(&r, NULL, token, id);
    CHECK_PROBLEM(&r, 410, "invitation_used", NULL);
    api_free(&r);
    CHECK_INT(db_versions(id), 1);

    /* Declining uses it up as well. */
    char id2[64], author2[160], token2[128];
    if (!request_letter(&s, false, id2, author2) || !latest_token(author2, token2))
        return;
    letter_act(&r, NULL, token2, id2, "decline", "{\"reason\":\"I did not supervise this student long enough.\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "declined");
    CHECK_STR(api_json_str(r.json, "decline_reason"), "I did not supervise this student long enough.");
    CHECK(is_rfc3339(api_json_str(r.json, "declined_at")));
    api_free(&r);
    letter_act(&r, NULL, token2, id2, "accept", "{}");
    CHECK_PROBLEM(&r, 410, "invitation_used", NULL);
    api_free(&r);
    upload_pdf(&r, NULL, token2, id2, &pdf);
    CHECK_PROBLEM(&r, 410, "invitation_used", NULL);
    api_free(&r);
    CHECK_STR(db_state(id2), "declined");
    CHECK_INT(db_versions(id2), 0);
    /* The student sees the decline and its reason. */
    get_letter(&r, &s, id2);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "declined");
    api_free(&r);
    free(pdf.data);
}

TEST(another_letters_token_a_garbage_token_or_none)
{
    struct user s;
    char a[64], b[64], author_a[160], author_b[160], token_a[128], token_b[128];
    if (!register_student(&s, "lormix") || !request_letter(&s, true, a, author_a) ||
        !request_letter(&s, true, b, author_b) || !latest_token(author_a, token_a) || !latest_token(author_b, token_b))
        return;
    CHECK(strcmp(token_a, token_b) != 0);
    struct api_response r;
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/letters/%s", b);
    struct api_bytes pdf = make_pdf(NULL, 0);
    /* A's token on B: as if B did not exist. */
    call_token(&r, token_a, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    letter_act(&r, NULL, token_a, b, "accept", "{}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    letter_act(&r, NULL, token_a, b, "decline", "{}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    upload_pdf(&r, NULL, token_a, b, &pdf);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    get_file(&r, NULL, token_a, b);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    CHECK_STR(db_state(b), "requested");
    CHECK_STR(db_state(a), "requested");

    /* Garbage tokens. */
    static const char *const garbage[] = {"garbage", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "not a token!",
                                          "%00", NULL};
    for (size_t i = 0; garbage[i] != NULL; i++) {
        call_token(&r, garbage[i], "GET", path, NULL);
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
        letter_act(&r, NULL, garbage[i], b, "accept", "{}");
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
    }
    /* A multipart token field that is garbage. */
    upload_raw(&r, NULL, NULL, "garbage", b, "letter.pdf", "application/pdf", pdf.data, pdf.len);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);

    /* Neither a token nor a session. */
    call(&r, NULL, "GET", path, NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    letter_act(&r, NULL, NULL, b, "accept", "{}");
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    upload_pdf(&r, NULL, NULL, b, &pdf);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    get_file(&r, NULL, NULL, b);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    call(&r, NULL, "GET", "/api/v1/letters", NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    /* A link records no delivery. */
    letter_act(&r, NULL, token_b, b, "delivered", "{\"eras_letter_id\":\"L1\"}");
    CHECK(r.status == 401 || r.status == 409);
    api_free(&r);
    CHECK_STR(db_state(b), "requested");
    CHECK_INT(db_versions(b), 0);
    /* Tokens still work on their own letters. */
    letter_act(&r, NULL, token_b, b, "accept", "{}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    free(pdf.data);
}

/* ---- the PDF checks ---- */

TEST(only_a_pdf_of_at_most_1_mb_is_taken)
{
    struct user s;
    char id[64], author[160], token[128];
    if (!register_student(&s, "lorpdf") || !request_letter(&s, true, id, author) || !latest_token(author, token))
        return;
    struct api_response r;
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    upload_raw(&r, NULL, token, NULL, id, "letter.pdf", "application/pdf", png, sizeof(png) - 1);
    CHECK_INT(r.status, 415);
    CHECK_STR(api_json_str(r.json, "code"), "unsupported_media_type");
    api_free(&r);
    static const char html[] = "<!DOCTYPE html><html><body><script>alert(1)</script>%PDF-1.4</body></html>\n";
    upload_raw(&r, NULL, token, NULL, id, "letter.pdf", "application/pdf", html, sizeof(html) - 1);
    CHECK_INT(r.status, 415);
    CHECK_STR(api_json_str(r.json, "code"), "unsupported_media_type");
    api_free(&r);
    struct api_bytes big = make_pdf(NULL, MAX_PDF + 1);
    CHECK_INT(big.len, MAX_PDF + 1);
    upload_pdf(&r, NULL, token, id, &big);
    CHECK_INT(r.status, 413);
    CHECK_STR(api_json_str(r.json, "code"), "payload_too_large");
    api_free(&r);
    free(big.data);
    upload_raw(&r, NULL, token, NULL, id, "letter.pdf", "application/pdf", "", 0);
    CHECK_PROBLEM(&r, 400, "validation_failed", "file");
    api_free(&r);
    /* No file part at all. */
    upload_raw(&r, NULL, token, NULL, id, NULL, NULL, NULL, 0);
    CHECK_PROBLEM(&r, 400, "validation_failed", "file");
    api_free(&r);
    /* Not multipart. */
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/letters/%s/upload", id);
    char token_header[256];
    snprintf(token_header, sizeof(token_header), "X-Invitation-Token: %s", token);
    const char *headers[] = {token_header, "Content-Type: application/pdf", NULL};
    struct api_bytes pdf = make_pdf(NULL, 0);
    struct api_raw_request rq = {"POST", path, headers, pdf.data, pdf.len, true};
    api_send(&r, &rq);
    CHECK(r.status == 415 || r.status == 400);
    api_free(&r);
    /* Over the route's cap (1 MB and the form around it): the limit named,
     * as a problem for the API and on the invitation's page for a person. */
    struct api_bytes over = make_pdf(NULL, 3 * MAX_PDF);
    upload_pdf(&r, NULL, token, id, &over);
    CHECK_PROBLEM(&r, 413, "payload_too_large", "file");
    CHECK_CONTAINS(api_json_str(r.json, "detail"), "1 MB (1000000 bytes)");
    api_free(&r);
    static const char form_token[] = "Tq1mD9yXv0bKc3eP7sLh2wNf8uRz4gAj6iYo5xQk1Ew";
    struct api_bytes page_body = {0};
    api_bytes_str(&page_body, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n");
    api_bytes_str(&page_body, form_token);
    api_bytes_str(&page_body, "\r\n--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"l.pdf\"\r\n"
                          "Content-Type: application/pdf\r\n\r\n");
    api_bytes_add(&page_body, over.data, over.len);
    api_bytes_str(&page_body, "\r\n--" BOUNDARY "--\r\n");
    char page_path[256], form_cookie[128];
    snprintf(page_path, sizeof(page_path), "/invitations/letters/%s/upload", token);
    snprintf(form_cookie, sizeof(form_cookie), "Cookie: rounds_csrf=%s", form_token);
    const char *page_headers[] = {form_cookie, "Content-Type: multipart/form-data; boundary=" BOUNDARY, NULL};
    struct api_raw_request page_rq = {"POST", page_path, page_headers, page_body.data, page_body.len, true};
    CHECK_INT(api_send(&r, &page_rq), 413);
    CHECK_CONTAINS(api_header(&r, "content-type"), "text/html");
    CHECK_CONTAINS(r.body, "The file is larger than 1 MB, the ERAS limit.");
    CHECK_CONTAINS(r.body, "type=\"file\"");
    api_free(&r);
    free(page_body.data);
    free(over.data);
    /* None of that changed anything, nor spent the link. */
    CHECK_STR(db_state(id), "requested");
    CHECK_INT(db_versions(id), 0);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM letters WHERE id = $1 AND token_used_at IS NULL", id, NULL), 1);
    /* Exactly 1,000,000 bytes is taken. */
    struct api_bytes edge = make_pdf(NULL, MAX_PDF);
    CHECK_INT(edge.len, MAX_PDF);
    upload_pdf(&r, NULL, token, id, &edge);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "uploaded");
    api_free(&r);
    CHECK_INT(db_versions(id), 1);
    CHECK_INT(api_db_int(db, "SELECT size FROM letter_files WHERE letter_id = $1", id, NULL), MAX_PDF);
    /* Delivered needs the ERAS Letter ID when none was recorded. */
    letter_act(&r, &s, NULL, id, "delivered", "{}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "eras_letter_id");
    api_free(&r);
    CHECK_STR(db_state(id), "uploaded");
    free(edge.data);
    free(pdf.data);
}

TEST(a_new_version_keeps_the_history)
{
    struct user s;
    char app[64];
    if (!register_student(&s, "lorver") || !rotation(&s, offering, false, app))
        return;
    struct api_response r;
    request_raw(&r, &s, json_pack("{s:s,s:b}", "preceptor_id", prc_us, "waived", 1));
    CHECK_INT(r.status, 201);
    char id[64];
    snprintf(id, sizeof(id), "%s", or_empty(api_json_str(r.json, "id")));
    api_free(&r);
    if (id[0] == '\0')
        return;
    char m1[64], m2[64];
    make_marker(m1);
    make_marker(m2);
    struct api_bytes v1 = make_pdf(m1, 0), v2 = make_pdf(m2, 0);
    upload_pdf(&r, &precep, NULL, id, &v1);
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "versions", -1), 1);
    api_free(&r);
    upload_pdf(&r, &precep, NULL, id, &v2);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "uploaded");
    CHECK_INT(api_json_int(r.json, "versions", -1), 2);
    api_free(&r);
    CHECK_INT(db_versions(id), 2);
    CHECK_INT(api_db_int(db, "SELECT MAX(version) FROM letter_files WHERE letter_id = $1", id, NULL), 2);
    /* The file is the newest version. */
    get_file(&r, &precep, NULL, id);
    CHECK_INT(r.status, 200);
    CHECK(body_has(&r, m2));
    CHECK(!body_has(&r, m1));
    api_free(&r);
    get_letter(&r, &s, id);
    CHECK_INT(api_json_int(r.json, "versions", -1), 2);
    api_free(&r);
    /* After delivery the author may still replace it (ERAS takes a new upload). */
    free(v1.data);
    free(v2.data);
}

/* ---- confidentiality ---- */

/* Fails when text holds the marker or a link to the letter's file. */
static void check_hidden(const char *what, const char *text, size_t len, const char *marker, const char *file_link)
{
    if (text == NULL)
        return;
    if (memmem(text, len, marker, strlen(marker)) != NULL)
        TEST_FAILF("%s shows the waived letter's content", what);
    if (memmem(text, len, file_link, strlen(file_link)) != NULL)
        TEST_FAILF("%s links to the waived letter's file", what);
}

TEST(a_waived_letter_never_reaches_the_student)
{
    struct user s;
    char id[64], author[160], token[128];
    if (!register_student(&s, "lorferpa") || !request_letter(&s, true, id, author) || !latest_token(author, token))
        return;
    char marker[64], file_link[160];
    make_marker(marker);
    snprintf(file_link, sizeof(file_link), "/letters/%s/file", id);
    struct api_bytes pdf = make_pdf(marker, 0);
    struct api_response r;
    upload_pdf(&r, NULL, token, id, &pdf);
    CHECK_INT(r.status, 200);
    api_free(&r);
    run_jobs(); /* whatever mail the upload queued goes out */

    /* The file: 403 letter_confidential, as the session or the cookie. */
    get_file(&r, &s, NULL, id);
    CHECK_PROBLEM(&r, 403, "letter_confidential", NULL);
    check_hidden("the file reply", r.body, r.body_len, marker, file_link);
    api_free(&r);
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/letters/%s/file", id);
    const char *cookie_headers[] = {s.cookie, NULL};
    api_request(&r, "GET", path, cookie_headers, NULL);
    CHECK_INT(r.status, 403);
    check_hidden("the file reply (cookie)", r.body, r.body_len, marker, file_link);
    api_free(&r);
    /* The student may not change the waiver back and then read it. */
    snprintf(path, sizeof(path), "/api/v1/letters/%s", id);
    call(&r, &s, "PATCH", path, "{\"waived\":false}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "waived");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT waived FROM letters WHERE id = $1", id, NULL), 1);

    /* The JSON the student reads: the state, the author, the dates; never
     * the content, the file's address or a link to it. */
    char *blob = api_db_text(db, "SELECT blob FROM letter_files WHERE letter_id = $1", id, NULL, NULL);
    CHECK(blob != NULL && strlen(blob) > 16);
    get_letter(&r, &s, id);
    CHECK_INT(r.status, 200);
    CHECK(blob == NULL || !body_has(&r, blob));
    CHECK_STR(api_json_str(r.json, "state"), "uploaded");
    CHECK_STR(api_json_str(r.json, "author.name"), "Dr. Miriam Castellanos");
    CHECK(is_rfc3339(api_json_str(r.json, "uploaded_at")));
    check_hidden("GET /api/v1/letters/{id}", r.body, r.body_len, marker, file_link);
    api_free(&r);
    call(&r, &s, "GET", "/api/v1/letters", NULL);
    CHECK_INT(r.status, 200);
    CHECK(list_item(r.json, id) != NULL);
    CHECK(blob == NULL || !body_has(&r, blob));
    check_hidden("GET /api/v1/letters", r.body, r.body_len, marker, file_link);
    api_free(&r);
    free(blob);
    /* The student is told that the letter was uploaded, and no more. */
    call(&r, &s, "GET", "/api/v1/notifications", NULL);
    CHECK_INT(r.status, 200);
    CHECK(body_has(&r, id));
    check_hidden("GET /api/v1/notifications", r.body, r.body_len, marker, file_link);
    api_free(&r);
    call(&r, &s, "GET", "/api/v1/me/readiness", NULL);
    check_hidden("GET /api/v1/me/readiness", r.body, r.body_len, marker, file_link);
    api_free(&r);
    /* Every email to the student. */
    char *mail = outbox_text(s.email);
    CHECK(strstr(mail, id) != NULL);
    check_hidden("the student's emails", mail, strlen(mail), marker, file_link);
    free(mail);
    /* The pages, with the student's cookie: they show the letter, not its content. */
    static const char *const pages[] = {"/letters", "/letters/", "/readiness", "/notifications", NULL};
    for (size_t i = 0; pages[i] != NULL; i++) {
        char page[200];
        bool with_id = strcmp(pages[i], "/letters/") == 0;
        snprintf(page, sizeof(page), "%s%s", pages[i], with_id ? id : "");
        api_request(&r, "GET", page, cookie_headers, NULL);
        CHECK_INT(r.status, 200);
        if (r.status == 200 && (strcmp(pages[i], "/letters") == 0 || with_id))
            CHECK(body_has(&r, "Castellanos"));
        check_hidden(page, r.body, r.body_len, marker, file_link);
        api_free(&r);
    }
    /* The page route to the file. */
    snprintf(path, sizeof(path), "/letters/%s/file", id);
    api_request(&r, "GET", path, cookie_headers, NULL);
    CHECK(r.status != 200);
    check_hidden("GET /letters/{id}/file", r.body, r.body_len, marker, file_link);
    api_free(&r);

    /* Staff may read it. */
    get_file(&r, &staff, NULL, id);
    CHECK_INT(r.status, 200);
    CHECK(body_has(&r, marker));
    api_free(&r);
    /* And the file read is on the audit trail. */
    CHECK(api_db_int(db, "SELECT COUNT(*) FROM audit_events WHERE object_id = $1", id, NULL) >= 1);
    free(pdf.data);
}

TEST(waiving_later_is_possible_and_final)
{
    struct user s;
    char id[64], author[160], token[128];
    if (!register_student(&s, "lorwaive") || !request_letter(&s, false, id, author) || !latest_token(author, token))
        return;
    char marker[64];
    make_marker(marker);
    struct api_bytes pdf = make_pdf(marker, 0);
    struct api_response r;
    upload_pdf(&r, NULL, token, id, &pdf);
    CHECK_INT(r.status, 200);
    api_free(&r);
    /* Not waived: the student reads it. */
    get_file(&r, &s, NULL, id);
    CHECK_INT(r.status, 200);
    CHECK(body_has(&r, marker));
    api_free(&r);
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/letters/%s", id);
    /* waived:false on a letter not waived changes nothing; the ERAS Letter ID is recorded. */
    call(&r, &s, "PATCH", path, "{\"eras_letter_id\":\"L5550001\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "eras_letter_id"), "L5550001");
    CHECK(json_is_false(api_json_get(r.json, "waived")));
    api_free(&r);
    call(&r, &s, "PATCH", path, "{\"waived\":true}");
    CHECK_INT(r.status, 200);
    CHECK(json_is_true(api_json_get(r.json, "waived")));
    CHECK(is_rfc3339(api_json_str(r.json, "waived_at")));
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT waived FROM letters WHERE id = $1", id, NULL), 1);
    CHECK(api_db_int(db, "SELECT waived_at FROM letters WHERE id = $1", id, NULL) > 0);
    get_file(&r, &s, NULL, id);
    CHECK_PROBLEM(&r, 403, "letter_confidential", NULL);
    CHECK(!body_has(&r, marker));
    api_free(&r);
    call(&r, &s, "PATCH", path, "{\"waived\":false}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "waived");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT waived FROM letters WHERE id = $1", id, NULL), 1);
    /* Only the student patches. */
    call(&r, &staff, "PATCH", path, "{\"eras_letter_id\":\"L5550002\"}");
    CHECK_INT(r.status, 404);
    api_free(&r);
    struct user other;
    if (register_student(&other, "lorwaive2")) {
        call(&r, &other, "PATCH", path, "{\"waived\":true}");
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
        get_letter(&r, &other, id);
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
        get_file(&r, &other, NULL, id);
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
    }
    /* Recorded before, the ERAS Letter ID need not be sent again. */
    letter_act(&r, &s, NULL, id, "delivered", NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "delivered");
    CHECK_STR(api_json_str(r.json, "eras_letter_id"), "L5550001");
    api_free(&r);
    char *eras = api_db_text(db, "SELECT eras_letter_id FROM letters WHERE id = $1", id, NULL, NULL);
    CHECK_STR(eras, "L5550001");
    free(eras);
    free(pdf.data);
}

/* ---- readiness ---- */

TEST(readiness_rises_with_letters_and_profile)
{
    struct user s;
    char app_us[64], app_other[64];
    if (!register_student(&s, "lorready") || !rotation(&s, offering, false, app_us) ||
        !rotation(&s, offering_other, false, app_other))
        return;
    struct api_response r;
    if (!readiness(&r, &s))
        return;
    CHECK_INT(api_json_int(r.json, "letters.count", -1), 0);
    CHECK_INT(api_json_int(r.json, "letters.from_us_physicians", -1), 0);
    CHECK_INT(api_json_int(r.json, "letters.target", -1), 3);
    CHECK_INT(api_json_int(r.json, "letters.us_target", -1), 1);
    /* Two rotations held (not yet planned: nothing is booked), none completed. */
    CHECK_INT(api_json_int(r.json, "usce_weeks.hands_on", -1), 0);
    CHECK_INT(api_json_int(r.json, "usce_weeks.observership", -1), 0);
    CHECK_INT(api_json_int(r.json, "usce_weeks.planned", -1), 0);
    CHECK(api_json_int(r.json, "usce_weeks.target", -1) > 0);
    CHECK_STR(api_json_str(r.json, "step1"), "missing");
    CHECK(api_json_str(r.json, "step2ck") != NULL);
    CHECK(api_json_str(r.json, "ecfmg") != NULL);
    CHECK(api_json_str(r.json, "english_proof") != NULL);
    json_t *items = json_object_get(r.json, "items");
    CHECK_INT(json_array_size(items), 6);
    static const char *const keys[] = {"letters", "usce", "step1", "step2ck", "ecfmg", "english", NULL};
    for (size_t i = 0; keys[i] != NULL; i++) {
        json_t *it = readiness_item(r.json, keys[i]);
        CHECK(it != NULL);
        if (it == NULL)
            continue;
        const char *state = json_string_value(json_object_get(it, "state"));
        CHECK(state != NULL && (strcmp(state, "ok") == 0 || strcmp(state, "missing") == 0 ||
                                strcmp(state, "in_progress") == 0));
        CHECK(json_string_value(json_object_get(it, "title")) != NULL);
        CHECK(json_string_value(json_object_get(it, "summary")) != NULL);
        /* What to do next, and where, unless it is done. */
        if (state != NULL && strcmp(state, "ok") != 0) {
            CHECK(json_string_value(json_object_get(it, "next_action")) != NULL);
            CHECK(json_string_value(json_object_get(it, "link")) != NULL);
        }
    }
    json_t *letters_item = readiness_item(r.json, "letters");
    CHECK_STR(json_string_value(json_object_get(letters_item, "state")), "missing");
    long long ok_before = api_json_int(r.json, "ok_count", -1);
    CHECK(ok_before >= 0);
    api_free(&r);

    /* A letter from someone by email: count 1, none from a U.S. physician. */
    char id[64], author[160], token[128];
    if (!request_letter(&s, true, id, author) || !latest_token(author, token))
        return;
    /* A booked rotation is planned experience. */
    CHECK(pay_in_full(&s, app_us));
    if (readiness(&r, &s))
        CHECK_INT(api_json_int(r.json, "usce_weeks.planned", -1), 4);
    api_free(&r);
    struct api_bytes pdf = make_pdf(NULL, 0);
    /* Requested is not yet a letter. */
    if (readiness(&r, &s))
        CHECK_INT(api_json_int(r.json, "letters.count", -1), 0);
    api_free(&r);
    upload_pdf(&r, NULL, token, id, &pdf);
    CHECK_INT(r.status, 200);
    api_free(&r);
    if (readiness(&r, &s)) {
        CHECK_INT(api_json_int(r.json, "letters.count", -1), 1);
        CHECK_INT(api_json_int(r.json, "letters.from_us_physicians", -1), 0);
        json_t *it = readiness_item(r.json, "letters");
        CHECK_STR(json_string_value(json_object_get(it, "state")), "in_progress");
        CHECK_INT(json_integer_value(json_object_get(it, "have")), 1);
        CHECK_INT(json_integer_value(json_object_get(it, "target")), 3);
    }
    api_free(&r);

    /* A letter asked by name and email counts, but not as from a U.S. physician (an
     * unverified preceptor without an account can only be asked that way). */
    char other_email[160];
    api_unique_email(other_email, sizeof(other_email), "varga");
    request_raw(&r, &s, json_pack("{s:s,s:s,s:b}", "author_name", "Dr. Ines Varga", "author_email", other_email,
                                  "waived", 1));
    CHECK_INT(r.status, 201);
    char id2[64];
    snprintf(id2, sizeof(id2), "%s", or_empty(api_json_str(r.json, "id")));
    CHECK(json_is_false(api_json_get(r.json, "from_us_physician")));
    char author2[160];
    snprintf(author2, sizeof(author2), "%s", or_empty(api_json_str(r.json, "author.email")));
    api_free(&r);
    char token2[128];
    if (id2[0] == '\0' || !latest_token(author2, token2)) {
        free(pdf.data);
        return;
    }
    upload_pdf(&r, NULL, token2, id2, &pdf);
    CHECK_INT(r.status, 200);
    api_free(&r);
    if (readiness(&r, &s)) {
        CHECK_INT(api_json_int(r.json, "letters.count", -1), 2);
        CHECK_INT(api_json_int(r.json, "letters.from_us_physicians", -1), 0);
    }
    api_free(&r);

    /* The verified preceptor's letter: 3 letters, 1 from a U.S. physician: ok. */
    request_raw(&r, &s, json_pack("{s:s,s:b}", "preceptor_id", prc_us, "waived", 1));
    CHECK_INT(r.status, 201);
    char id3[64];
    snprintf(id3, sizeof(id3), "%s", or_empty(api_json_str(r.json, "id")));
    CHECK(json_is_true(api_json_get(r.json, "from_us_physician")));
    api_free(&r);
    upload_pdf(&r, &precep, NULL, id3, &pdf);
    CHECK_INT(r.status, 200);
    api_free(&r);
    if (readiness(&r, &s)) {
        CHECK_INT(api_json_int(r.json, "letters.count", -1), 3);
        CHECK_INT(api_json_int(r.json, "letters.from_us_physicians", -1), 1);
        CHECK_STR(json_string_value(json_object_get(readiness_item(r.json, "letters"), "state")), "ok");
        CHECK_INT(api_json_int(r.json, "ok_count", -1), ok_before + 1);
    }
    api_free(&r);

    /* The profile: Step 1 passed. */
    call(&r, &s, "PATCH", "/api/v1/me", "{\"step1\":\"passed\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    if (readiness(&r, &s)) {
        CHECK_STR(api_json_str(r.json, "step1"), "ok");
        CHECK_INT(api_json_int(r.json, "ok_count", -1), ok_before + 2);
    }
    api_free(&r);

    /* Staff raise the targets; the student's picture follows. */
    call(&r, &staff, "PUT", "/api/v1/readiness/targets", "{\"letters\":4,\"letters_us\":2,\"usce_weeks\":16}");
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "letters", -1), 4);
    CHECK_INT(api_json_int(r.json, "letters_us", -1), 2);
    CHECK_INT(api_json_int(r.json, "usce_weeks", -1), 16);
    api_free(&r);
    if (readiness(&r, &s)) {
        CHECK_INT(api_json_int(r.json, "letters.target", -1), 4);
        CHECK_INT(api_json_int(r.json, "letters.us_target", -1), 2);
        CHECK_INT(api_json_int(r.json, "usce_weeks.target", -1), 16);
        CHECK_STR(json_string_value(json_object_get(readiness_item(r.json, "letters"), "state")), "in_progress");
    }
    api_free(&r);
    /* Nobody else may, and bad targets change nothing. */
    call(&r, &s, "PUT", "/api/v1/readiness/targets", "{\"letters\":1,\"letters_us\":0,\"usce_weeks\":1}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &precep, "PUT", "/api/v1/readiness/targets", "{\"letters\":1,\"letters_us\":0,\"usce_weeks\":1}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"letters\":-1,\"letters_us\":0,\"usce_weeks\":1}", "letters"},
        {"{\"letters\":3,\"letters_us\":521,\"usce_weeks\":1}", "letters_us"},
        {"{\"letters\":3,\"letters_us\":1}", "usce_weeks"},
        {"{\"letters\":\"3\",\"letters_us\":1,\"usce_weeks\":12}", "letters"},
        {"{\"letters\":3,\"letters_us\":1,\"usce_weeks\":12,\"extra\":1}", "extra"},
        {"{\"letters\":3.5,\"letters_us\":1,\"usce_weeks\":12}", "letters"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        call(&r, &staff, "PUT", "/api/v1/readiness/targets", bad[i].body);
        CHECK_INT(r.status, 400);
        CHECK_STR(api_json_str(r.json, "field"), bad[i].field);
        api_free(&r);
    }
    CHECK_INT(api_db_int(db, "SELECT value FROM readiness_targets WHERE name = 'letters'", NULL, NULL), 4);
    /* Back to the defaults for the other tests (and suites on a shared database). */
    call(&r, &staff, "PUT", "/api/v1/readiness/targets", "{\"letters\":3,\"letters_us\":1,\"usce_weeks\":12}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    free(pdf.data);
}

/* The targets form of /readiness POSTed as a browser does: u's session
 * cookie (NULL: nobody signed in) and the form's CSRF token unless NULL. */
static long targets_form(struct api_response *r, const struct user *u, const char *fields, const char *csrf)
{
    char body[512];
    snprintf(body, sizeof(body), "%s%s%s", fields, csrf != NULL ? "&csrf_token=" : "", csrf != NULL ? csrf : "");
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", u != NULL ? u->cookie : NULL, NULL};
    struct api_raw_request rq = {"POST", "/staff/readiness", headers, body, strlen(body), true};
    return api_send(r, &rq);
}

/* The three targets as "letters/letters_us/usce_weeks", for one comparison. */
static void targets_now(char out[64])
{
    snprintf(out, 64, "%lld/%lld/%lld",
             api_db_int(db, "SELECT value FROM readiness_targets WHERE name = 'letters'", NULL, NULL),
             api_db_int(db, "SELECT value FROM readiness_targets WHERE name = 'letters_us'", NULL, NULL),
             api_db_int(db, "SELECT value FROM readiness_targets WHERE name = 'usce_weeks'", NULL, NULL));
}

static long long targets_audited(void)
{
    return api_db_int(db, "SELECT COUNT(*) FROM audit_events WHERE action = 'readiness.targets' AND actor_id = $1",
                      staff.id, NULL);
}

/* POST /staff/readiness, the form staff see on /readiness: saved, it comes
 * back to /readiness with a notice and the new values (and the audit has
 * it); a bad number comes back as the form (400) with what was typed and the
 * field's error; without the form's token, as a student or a preceptor, or
 * signed out, nothing changes. */
TEST(the_staff_targets_form_saves_or_refuses_and_changes_nothing)
{
    struct api_response r;
    struct user s;
    char before[64], now[64];
    if (!register_student(&s, "lortargets"))
        return;
    const char *cookie[] = {staff.cookie, NULL};
    CHECK_INT(api_request(&r, "GET", "/readiness", cookie, NULL), 200);
    CHECK_CONTAINS(r.body, "action=\"/staff/readiness\"");
    api_free(&r);
    targets_now(before);
    long long audited = targets_audited();

    /* Refused, the form kept with what was typed and the field's error. */
    static const struct {
        const char *fields, *field, *typed, *says;
    } bad[] = {
        {"letters=abc&letters_us=1&usce_weeks=12", "letters", "name=\"letters\" value=\"abc\"", "Enter a whole number"},
        {"letters=-1&letters_us=1&usce_weeks=12", "letters", "name=\"letters\" value=\"-1\"", "Enter a whole number"},
        {"letters=521&letters_us=1&usce_weeks=12", "letters", "name=\"letters\" value=\"521\"", "from 0 to 520"},
        {"letters=3&letters_us=4&usce_weeks=12", "letters_us", "name=\"letters_us\" value=\"4\"",
         "Cannot be more than the number of letters."},
        {"letters=3&letters_us=1&usce_weeks=", "usce_weeks", "name=\"letters_us\" value=\"1\"", "Enter a whole number"},
        {"letters=3&letters_us=1", "usce_weeks", "name=\"letters\" value=\"3\"", "Enter a whole number"},
        {"letters=3%20&letters_us=1&usce_weeks=12", "letters", "name=\"letters\" value=\"3 \"", "Enter a whole number"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        targets_form(&r, &staff, bad[i].fields, staff.csrf);
        CHECK_INT(r.status, 400);
        CHECK_CONTAINS(api_header(&r, "content-type"), "text/html");
        char error_id[64];
        snprintf(error_id, sizeof(error_id), "id=\"e-%s\"", bad[i].field);
        CHECK_CONTAINS(r.body, error_id);
        CHECK_CONTAINS(r.body, bad[i].typed);
        CHECK_CONTAINS(r.body, bad[i].says);
        CHECK_CONTAINS(r.body, "Please correct the field marked below.");
        api_free(&r);
    }
    /* Without the form's token, or with another one. */
    targets_form(&r, &staff, "letters=5&letters_us=2&usce_weeks=20", NULL);
    CHECK_INT(r.status, 403);
    api_free(&r);
    targets_form(&r, &staff, "letters=5&letters_us=2&usce_weeks=20", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    CHECK_INT(r.status, 403);
    api_free(&r);
    targets_form(&r, &staff, "letters=5&letters_us=2&usce_weeks=20", s.csrf); /* the student's own token */
    CHECK_INT(r.status, 403);
    api_free(&r);
    /* Not staff: no such page (with their own token), as for the API's PUT. */
    targets_form(&r, &s, "letters=1&letters_us=0&usce_weeks=1", s.csrf);
    CHECK_INT(r.status, 404);
    CHECK(strstr(r.body, "action=\"/staff/readiness\"") == NULL);
    api_free(&r);
    targets_form(&r, &precep, "letters=1&letters_us=0&usce_weeks=1", precep.csrf);
    CHECK_INT(r.status, 404);
    api_free(&r);
    /* Signed out: to the login page, as every page behind a login. */
    targets_form(&r, NULL, "letters=1&letters_us=0&usce_weeks=1", NULL);
    CHECK_INT(r.status, 303);
    CHECK_STR(api_header(&r, "location"), "/login");
    api_free(&r);
    targets_now(now);
    CHECK_STR(now, before);
    CHECK_INT(targets_audited(), audited);

    /* Saved: back to /readiness, which says so and shows the new values; the student's readiness follows. */
    targets_form(&r, &staff, "letters=5&letters_us=2&usce_weeks=20", staff.csrf);
    CHECK_INT(r.status, 303);
    CHECK_STR(api_header(&r, "location"), "/readiness?done=targets");
    api_free(&r);
    targets_now(now);
    CHECK_STR(now, "5/2/20");
    CHECK_INT(targets_audited(), audited + 1);
    CHECK_INT(api_request(&r, "GET", "/readiness?done=targets", cookie, NULL), 200);
    CHECK_CONTAINS(r.body, "The targets are saved.");
    CHECK_CONTAINS(r.body, "name=\"letters\" value=\"5\"");
    CHECK_CONTAINS(r.body, "name=\"letters_us\" value=\"2\"");
    CHECK_CONTAINS(r.body, "name=\"usce_weeks\" value=\"20\"");
    api_free(&r);
    if (readiness(&r, &s)) {
        CHECK_INT(api_json_int(r.json, "letters.target", -1), 5);
        CHECK_INT(api_json_int(r.json, "usce_weeks.target", -1), 20);
    }
    api_free(&r);
    /* Back to the defaults for the other tests (and suites on a shared database). */
    targets_form(&r, &staff, "letters=3&letters_us=1&usce_weeks=12", staff.csrf);
    CHECK_INT(r.status, 303);
    api_free(&r);
    targets_now(now);
    CHECK_STR(now, "3/1/12");
}

/* ---- reminders and the overdue list ---- */

TEST(reminders_at_7_and_14_days_with_a_fresh_link_never_twice)
{
    struct user s;
    char open_id[64], open_author[160], done_id[64], done_author[160], first[128], done_token[128];
    if (!register_student(&s, "lorremind") || !request_letter(&s, true, open_id, open_author) ||
        !request_letter(&s, true, done_id, done_author) || !latest_token(open_author, first) ||
        !latest_token(done_author, done_token))
        return;
    struct api_response r;
    struct api_bytes pdf = make_pdf(NULL, 0);
    upload_pdf(&r, NULL, done_token, done_id, &pdf);
    CHECK_INT(r.status, 200);
    api_free(&r);
    run_jobs();
    CHECK_INT(outbox_count(open_author), 1);
    CHECK_INT(outbox_count(done_author), 1);
    /* Six days: nothing yet. */
    hooks_set_clock(6 * DAY);
    run_jobs();
    CHECK_INT(outbox_count(open_author), 1);
    /* Seven days: one reminder with a new link that works. */
    hooks_set_clock(7 * DAY + 60);
    CHECK(run_jobs() >= 1);
    CHECK_INT(outbox_count(open_author), 2);
    CHECK_INT(outbox_count(done_author), 1);
    char second[128];
    if (latest_token(open_author, second)) {
        CHECK(strcmp(second, first) != 0);
        char path[200];
        snprintf(path, sizeof(path), "/api/v1/letters/%s", open_id);
        call_token(&r, second, "GET", path, NULL);
        CHECK_INT(r.status, 200);
        api_free(&r);
        call_token(&r, first, "GET", path, NULL);
        CHECK_INT(r.status, 200);
        api_free(&r);
    }
    CHECK(api_db_int(db, "SELECT reminded_7_at FROM letters WHERE id = $1", open_id, NULL) > 0);
    run_jobs();
    CHECK_INT(outbox_count(open_author), 2);
    hooks_set_clock(10 * DAY);
    run_jobs();
    CHECK_INT(outbox_count(open_author), 2);
    /* Fourteen days: another; then never again. */
    hooks_set_clock(14 * DAY + 60);
    CHECK(run_jobs() >= 1);
    CHECK_INT(outbox_count(open_author), 3);
    char third[128];
    if (latest_token(open_author, third)) {
        CHECK(strcmp(third, second) != 0 && strcmp(third, first) != 0);
        letter_act(&r, NULL, third, open_id, "accept", "{}");
        CHECK_INT(r.status, 200);
        api_free(&r);
    }
    run_jobs();
    hooks_set_clock(21 * DAY);
    run_jobs();
    hooks_set_clock(28 * DAY);
    run_jobs();
    CHECK_INT(outbox_count(open_author), 3);
    CHECK_INT(outbox_count(done_author), 1);
    /* The student is never sent the author's links. */
    char *mail = outbox_text(s.email);
    CHECK(strstr(mail, "/invitations/letters/") == NULL);
    free(mail);
    hooks_set_clock(0);
    free(pdf.data);
}

TEST(staff_list_overdue_letters)
{
    struct user s;
    char old_id[64], old_author[160], done_id[64], done_author[160], done_token[128], fresh_id[64];
    if (!register_student(&s, "loroverdue") || !request_letter(&s, false, old_id, old_author) ||
        !request_letter(&s, false, done_id, done_author) || !latest_token(done_author, done_token))
        return;
    struct api_response r;
    struct api_bytes pdf = make_pdf(NULL, 0);
    upload_pdf(&r, NULL, done_token, done_id, &pdf);
    CHECK_INT(r.status, 200);
    api_free(&r);
    hooks_set_clock(15 * DAY);
    if (request_letter(&s, false, fresh_id, NULL)) {
        CHECK(list_has(&staff, "/api/v1/letters?overdue=1&limit=100", old_id, NULL));
        CHECK(!list_has(&staff, "/api/v1/letters?overdue=1&limit=100", done_id, NULL));
        CHECK(!list_has(&staff, "/api/v1/letters?overdue=1&limit=100", fresh_id, NULL));
        /* Without the filter staff see them all. */
        char role[32] = "";
        CHECK(list_has(&staff, "/api/v1/letters?limit=100", fresh_id, role));
        CHECK(list_has(&staff, "/api/v1/letters?limit=100", done_id, NULL));
        CHECK(list_has(&staff, "/api/v1/letters?overdue=0&limit=100", old_id, NULL));
    }
    /* Only staff. */
    call(&r, &s, "GET", "/api/v1/letters?overdue=1", NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "overdue");
    api_free(&r);
    call(&r, &precep, "GET", "/api/v1/letters?overdue=1", NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "overdue");
    api_free(&r);
    call(&r, &staff, "GET", "/api/v1/letters?overdue=maybe", NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "overdue");
    api_free(&r);
    hooks_set_clock(0);
    free(pdf.data);
}

/* ---- lists ---- */

/* Asked for on the letters page (the form hands the address to the domain as
 * typed), an author's address in capitals still names their account: kept
 * lower-cased, the letter is in the author's list. */
TEST(a_letter_asked_on_the_page_reaches_the_author_typed_in_capitals)
{
    struct user s, author;
    if (!register_student(&s, "lorcase") || !create_user(&author, "lorcaseauthor", "preceptor", org))
        return;
    char typed[200], form[600];
    size_t j = 0;
    for (const char *p = author.email; *p != '\0' && j + 4 < sizeof(typed); p++) {
        if (*p == '@' || *p == '+')
            j += (size_t)snprintf(typed + j, sizeof(typed) - j, "%%%02X", (unsigned char)*p);
        else
            typed[j++] = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
    }
    typed[j] = '\0';
    snprintf(form, sizeof(form), "author_name=Dr.+Case+Okafor&author_email=%s&waived=yes&csrf_token=%s", typed,
             s.csrf);
    const char *headers[] = {s.cookie, "Content-Type: application/x-www-form-urlencoded", NULL};
    struct api_raw_request rq = {"POST", "/letters", headers, form, strlen(form), true};
    struct api_response r;
    CHECK_INT(api_send(&r, &rq), 303);
    CHECK_CONTAINS(api_header(&r, "location"), "?done=requested");
    api_free(&r);
    char *kept = api_db_text(db, "SELECT author_email FROM letters WHERE student_id = $1", s.id, NULL, NULL);
    CHECK_STR(kept, author.email);
    free(kept);
    char *linked = api_db_text(db, "SELECT author_user_id FROM letters WHERE student_id = $1", s.id, NULL, NULL);
    CHECK_STR(linked, author.id);
    free(linked);
    call(&r, &author, "GET", "/api/v1/letters", NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), 1);
    api_free(&r);
}

TEST(lists_hold_a_students_requests_and_an_authors_letters)
{
    /* An author with an account (a preceptor's login, named by email), who is
     * also a student: Rounds gives one role per new account, so the second
     * role is added in the database. */
    struct user a, both;
    if (!register_student(&a, "lorlista") || !create_user(&both, "lorboth", "preceptor", org))
        return;
    struct api_response r;
    request_raw(&r, &a,
                json_pack("{s:s,s:s,s:b}", "author_name", both.name, "author_email", both.email, "waived", 1));
    CHECK_INT(r.status, 201);
    char to_both[64];
    snprintf(to_both, sizeof(to_both), "%s", or_empty(api_json_str(r.json, "id")));
    api_free(&r);
    if (to_both[0] == '\0')
        return;
    call(&r, &both, "GET", "/api/v1/letters", NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), 1);
    CHECK_STR(json_string_value(json_object_get(list_item(r.json, to_both), "role")), "author");
    api_free(&r);
    /* The author gets a notification in the app too. */
    call(&r, &both, "GET", "/api/v1/notifications", NULL);
    CHECK(body_has(&r, to_both));
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM user_roles WHERE user_id = $1", both.id, NULL), 1);
    struct db_stmt *st = db_prepare(db, "INSERT INTO user_roles (user_id, role) VALUES ($1, 'student')");
    db_bind_text(st, 1, both.id);
    CHECK_INT(db_step(st), DB_DONE);
    db_reset(st);
    char own[64], own2[64];
    if (!request_letter(&both, false, own, NULL) || !request_letter(&both, true, own2, NULL))
        return;
    call(&r, &both, "GET", "/api/v1/letters", NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), 3);
    CHECK_STR(json_string_value(json_object_get(list_item(r.json, to_both), "role")), "author");
    CHECK_STR(json_string_value(json_object_get(list_item(r.json, own), "role")), "student");
    CHECK_STR(json_string_value(json_object_get(list_item(r.json, own2), "role")), "student");
    CHECK(json_is_null(api_json_get(r.json, "next_cursor")));
    api_free(&r);
    /* A sees only their own request. */
    call(&r, &a, "GET", "/api/v1/letters", NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), 1);
    CHECK_STR(json_string_value(json_object_get(list_item(r.json, to_both), "role")), "student");
    api_free(&r);
    /* The author accepts with their session. */
    letter_act(&r, &both, NULL, to_both, "accept", NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "accepted");
    api_free(&r);
    /* Pages of one. */
    call(&r, &both, "GET", "/api/v1/letters?limit=1", NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), 1);
    char cursor[128];
    snprintf(cursor, sizeof(cursor), "%s", or_empty(api_json_str(r.json, "next_cursor")));
    api_free(&r);
    CHECK(cursor[0] != '\0');
    int seen = 1;
    for (int i = 0; i < 5 && cursor[0] != '\0'; i++) {
        char path[200];
        snprintf(path, sizeof(path), "/api/v1/letters?limit=1&cursor=%s", cursor);
        call(&r, &both, "GET", path, NULL);
        CHECK_INT(r.status, 200);
        seen += (int)json_array_size(json_object_get(r.json, "items"));
        snprintf(cursor, sizeof(cursor), "%s", or_empty(api_json_str(r.json, "next_cursor")));
        api_free(&r);
    }
    CHECK_INT(seen, 3);
}

/* ---- malformed input ---- */

TEST(malformed_requests_are_4xx_and_change_nothing)
{
    struct user s;
    if (!register_student(&s, "lorbad"))
        return;
    struct api_response r;
    long long mail_before = outbox_count("a@example.test");
    static const struct {
        const char *body;
        int status;
        const char *field;
    } bad[] = {
        {"{\"author_name\":\"Dr. A\",\"author_email\":\"a@example.test\"}", 400, "waived"},
        {"{\"author_name\":\"Dr. A\",\"author_email\":\"a@example.test\",\"waived\":\"yes\"}", 400, "waived"},
        {"{\"author_name\":\"Dr. A\",\"author_email\":\"a@example.test\",\"waived\":null}", 400, "waived"},
        {"{\"author_name\":\"Dr. A\",\"author_email\":\"not-an-email\",\"waived\":true}", 400, "author_email"},
        {"{\"author_name\":\"Dr. A\",\"author_email\":\"a @example.test\",\"waived\":true}", 400, "author_email"},
        {"{\"author_name\":\"Dr. A\",\"author_email\":7,\"waived\":true}", 400, "author_email"},
        {"{\"author_name\":42,\"author_email\":\"a@example.test\",\"waived\":true}", 400, "author_name"},
        {"{\"author_name\":\"\",\"author_email\":\"a@example.test\",\"waived\":true}", 400, "author_name"},
        {"{\"author_name\":\"Dr. A\",\"author_email\":\"a@example.test\",\"waived\":true,\"token\":\"x\"}", 400,
         "token"},
        {"{\"author_name\":\"Dr. A\",\"author_email\":\"a@example.test\",\"waived\":true,\"preceptor_id\":\"no "
         "such!\"}",
         400, "preceptor_id"},
        {"{\"author_name\":\"Dr. A\",\"author_email\":\"a@example.test\",\"waived\":true,\"preceptor_id\":5}", 400,
         "preceptor_id"},
        {"{\"author_name\":\"Dr. A\",\"author_email\":\"a@example.test\",\"waived\":true,\"application_id\":[]}", 400,
         "application_id"},
        {"{\"author_name\":\"Dr. A\",\"author_email\":\"a@example.test\",\"waived\":true,\"eras_letter_id\":12}", 400,
         "eras_letter_id"},
        {"{\"waived\":true}", 400, NULL}, /* no author at all */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        call(&r, &s, "POST", "/api/v1/letters", bad[i].body);
        if (r.status != bad[i].status)
            TEST_FAILF("%s answered %ld: %.300s", bad[i].body, r.status, r.body);
        if (bad[i].field != NULL)
            CHECK_STR(api_json_str(r.json, "field"), bad[i].field);
        else
            CHECK(api_json_str(r.json, "field") != NULL);
        api_free(&r);
    }
    /* Not JSON, not an object, the wrong media type. */
    call(&r, &s, "POST", "/api/v1/letters", "{\"author_name\":");
    CHECK_INT(r.status, 400);
    api_free(&r);
    call(&r, &s, "POST", "/api/v1/letters", "[]");
    CHECK_INT(r.status, 400);
    api_free(&r);
    const char *form_headers[] = {s.auth, "Content-Type: application/x-www-form-urlencoded", NULL};
    api_request(&r, "POST", "/api/v1/letters", form_headers, "author_name=x&waived=1");
    CHECK_INT(r.status, 415);
    api_free(&r);
    /* Preceptors and applications that do not exist or are not theirs. */
    request_raw(&r, &s, json_pack("{s:s,s:b}", "preceptor_id", "prc_doesnotexist0", "waived", 1));
    CHECK_PROBLEM(&r, 422, "unprocessable", "preceptor_id");
    api_free(&r);
    /* A real preceptor, but of none of the student's rotations. */
    request_raw(&r, &s, json_pack("{s:s,s:b}", "preceptor_id", prc_us, "waived", 1));
    CHECK_PROBLEM(&r, 422, "unprocessable", "preceptor_id");
    api_free(&r);
    struct user other;
    char other_app[64];
    if (register_student(&other, "lorbad2") && completed_rotation(&other, other_app)) {
        request_raw(&r, &s,
                    json_pack("{s:s,s:s,s:s,s:b}", "author_name", "Dr. A", "author_email", "a@example.test",
                              "application_id", other_app, "waived", 1));
        CHECK_INT(r.status, 404);
        CHECK_STR(api_json_str(r.json, "field"), "application_id");
        api_free(&r);
    }
    /* Only students request letters. */
    request_raw(&r, &precep, json_pack("{s:s,s:s,s:b}", "author_name", "Dr. A", "author_email", "a@example.test",
                                       "waived", 1));
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    request_raw(&r, &staff, json_pack("{s:s,s:s,s:b}", "author_name", "Dr. A", "author_email", "a@example.test",
                                      "waived", 0));
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    /* Not signed in. */
    request_raw(&r, NULL, json_pack("{s:s,s:s,s:b}", "author_name", "Dr. A", "author_email", "a@example.test",
                                    "waived", 0));
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM letters WHERE student_id = $1", s.id, NULL), 0);
    CHECK_INT(outbox_count("a@example.test"), mail_before);

    /* A real letter for the rest. */
    char id[64], author[160], token[128];
    if (!request_letter(&s, false, id, author) || !latest_token(author, token))
        return;
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/letters/%s", id);
    static const struct {
        const char *body, *field;
    } bad_patch[] = {
        {"{\"waived\":\"true\"}", "waived"},
        {"{\"eras_letter_id\":12345}", "eras_letter_id"},
        {"{\"eras_letter_id\":\"\"}", "eras_letter_id"},
        {"{\"state\":\"delivered\"}", "state"},
        {"{\"author_email\":\"b@example.test\"}", "author_email"},
    };
    for (size_t i = 0; i < sizeof(bad_patch) / sizeof(bad_patch[0]); i++) {
        call(&r, &s, "PATCH", path, bad_patch[i].body);
        CHECK_INT(r.status, 400);
        CHECK_STR(api_json_str(r.json, "field"), bad_patch[i].field);
        api_free(&r);
    }
    call(&r, &s, "PATCH", path, "{}");
    CHECK_INT(r.status, 400);
    api_free(&r);
    /* Actions. */
    letter_act(&r, NULL, token, id, "approve", "{}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    letter_act(&r, &s, NULL, id, "upload_now", "{}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    letter_act(&r, NULL, token, id, "decline", "{\"reason\":5}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "reason");
    api_free(&r);
    letter_act(&r, NULL, token, id, "accept", "{\"note\":\"x\"}");
    CHECK_PROBLEM(&r, 400, "unknown_field", "note");
    api_free(&r);
    letter_act(&r, &s, NULL, id, "delivered", "{\"eras_letter_id\":7}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "eras_letter_id");
    api_free(&r);
    letter_act(&r, &s, NULL, id, "delivered", "{\"eras_letter_id\":\"L 1\"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "eras_letter_id");
    api_free(&r);
    letter_act(&r, &s, NULL, id, "delivered", "{\"eras_letter_id\":\"L1\",\"at\":1}");
    CHECK_PROBLEM(&r, 400, "unknown_field", "at");
    api_free(&r);
    letter_act(&r, &s, NULL, id, "delivered", "{\"eras_letter_id\":");
    CHECK_INT(r.status, 400);
    api_free(&r);
    letter_act(&r, &s, NULL, id, "delivered", "{\"eras_letter_id\":\"L1234\"}");
    CHECK_PROBLEM(&r, 409, "invalid_transition", NULL);
    api_free(&r);
    /* The student is not the author. */
    letter_act(&r, &s, NULL, id, "accept", "{}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    CHECK_STR(db_state(id), "requested");
    letter_act(&r, NULL, token, id, "accept", "{}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    letter_act(&r, NULL, token, id, "accept", "{}");
    CHECK_PROBLEM(&r, 409, "invalid_transition", NULL);
    api_free(&r);
    CHECK_STR(db_state(id), "accepted");
    /* Ids that are not ids, or not letters. */
    static const char *const bad_ids[] = {"/api/v1/letters/l_doesnotexist00", "/api/v1/letters/bad!id",
                                          "/api/v1/letters/%20", NULL};
    for (size_t i = 0; bad_ids[i] != NULL; i++) {
        call(&r, &s, "GET", bad_ids[i], NULL);
        CHECK_INT(r.status, 404);
        api_free(&r);
    }
    call(&r, &s, "GET", "/api/v1/letters/l_doesnotexist00/file", NULL);
    CHECK_INT(r.status, 404);
    api_free(&r);
    letter_act(&r, &staff, NULL, "l_doesnotexist00", "delivered", "{\"eras_letter_id\":\"L1\"}");
    CHECK_INT(r.status, 404);
    api_free(&r);
    call(&r, &s, "PATCH", "/api/v1/letters/l_doesnotexist00", "{\"waived\":true}");
    CHECK_INT(r.status, 404);
    api_free(&r);
    /* List parameters. */
    static const struct {
        const char *path, *code, *field;
    } bad_list[] = {
        {"/api/v1/letters?limit=0", "invalid_parameter", "limit"},
        {"/api/v1/letters?limit=101", "invalid_parameter", "limit"},
        {"/api/v1/letters?limit=ten", "invalid_parameter", "limit"},
        {"/api/v1/letters?cursor=a%20b", "invalid_parameter", "cursor"},
        {"/api/v1/letters?status=requested", "unknown_parameter", "status"},
        {"/api/v1/letters?limit=1&limit=2", "invalid_parameter", "limit"},
    };
    for (size_t i = 0; i < sizeof(bad_list) / sizeof(bad_list[0]); i++) {
        call(&r, &s, "GET", bad_list[i].path, NULL);
        CHECK_PROBLEM(&r, 400, bad_list[i].code, bad_list[i].field);
        api_free(&r);
    }
    /* Readiness takes no parameters. */
    call(&r, &s, "GET", "/api/v1/me/readiness?x=1", NULL);
    CHECK_PROBLEM(&r, 400, "unknown_parameter", "x");
    api_free(&r);
    call(&r, NULL, "GET", "/api/v1/me/readiness", NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
}

TEST(server_shuts_down_gracefully)
{
    CHECK_INT(api_server_stop(&server), 0);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    hooks_set_clock(0);
    return world_setup();
}

static void run_tests(void)
{
    API_RUN(whole_flow_request_accept_upload_deliver);
    API_RUN(preceptor_with_an_account_accepts_uploads_and_downloads);
    API_RUN(an_expired_link_is_410);
    API_RUN(a_link_is_used_up_by_the_upload_or_the_decline);
    API_RUN(another_letters_token_a_garbage_token_or_none);
    API_RUN(only_a_pdf_of_at_most_1_mb_is_taken);
    API_RUN(a_new_version_keeps_the_history);
    API_RUN(a_waived_letter_never_reaches_the_student);
    API_RUN(waiving_later_is_possible_and_final);
    API_RUN(readiness_rises_with_letters_and_profile);
    API_RUN(the_staff_targets_form_saves_or_refuses_and_changes_nothing);
    API_RUN(reminders_at_7_and_14_days_with_a_fresh_link_never_twice);
    API_RUN(staff_list_overdue_letters);
    API_RUN(lists_hold_a_students_requests_and_an_authors_letters);
    API_RUN(a_letter_asked_on_the_page_reaches_the_author_typed_in_capitals);
    API_RUN(malformed_requests_are_4xx_and_change_nothing);
}

static void finish(void)
{
    hooks_set_clock(0);
    db_close(db);
    API_RUN(server_shuts_down_gracefully);
}

int main(void)
{
    /* The clock moves weeks ahead: sessions must outlive it. Only the tests run the jobs. */
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--session-idle-minutes",
                                        "43200", "--session-absolute-hours", "8760", NULL};
    static const struct api_suite suite = {
        .name = "api-letters", .server = &server, .flags = flags, .setup = setup,
        .setup_what = "setting up the host, preceptors and offering", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
