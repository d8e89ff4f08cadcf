/* test_api_privacy.c — a person's export of their own data (issue 18, item 5),
 * GET /api/v1/me/export, against the real binary on SQLite and PostgreSQL
 * (ROUNDS_TEST_DB). The archive is read back with Python's zipfile (an
 * independent reader, which also checks every entry's CRC):
 *
 *   - it holds rounds-export.json (the account, the profile as set, every
 *     version of every document, letter requests with their waiver, the
 *     second factor's state) and the bytes of each document version, equal to
 *     what was uploaded; the export is audited;
 *   - another student's documents and letters are nowhere in it;
 *   - signed out → 401; a query parameter → 400; another method → 405. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api_client.h"
#include "lib/crypto.h"
#include "test.h"

#define PEOPLE_PASSWORD "Amber-Thistle-Harbor-39"
#include "api_people.h"
#include "api_suite.h"

#define BOUNDARY "rounds-privacy-boundary"

static struct api_server server;
static struct db_conn *db;
static char work[64];

/* Uploads a PDF of these bytes as u: the document's id into id[64]. */
static bool upload(const struct user *u, const char *pdf, size_t pdf_len, const char *file_name, char id[64])
{
    char head[512];
    int h = snprintf(head, sizeof(head),
                     "--%s\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npassport\r\n"
                     "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                     "Content-Type: application/pdf\r\n\r\n",
                     BOUNDARY, BOUNDARY, file_name);
    const char tail[] = "\r\n--" BOUNDARY "--\r\n";
    size_t len = (size_t)h + pdf_len + strlen(tail);
    char *body = malloc(len);
    memcpy(body, head, (size_t)h);
    memcpy(body + h, pdf, pdf_len);
    memcpy(body + h + pdf_len, tail, strlen(tail));
    const char *headers[] = {u->auth, "Content-Type: multipart/form-data; boundary=" BOUNDARY, NULL};
    struct api_raw_request rq = {"POST", "/api/v1/documents", headers, body, len, true};
    struct api_response r;
    long status = api_send(&r, &rq);
    bool ok = status == 201 && api_json_str(r.json, "id") != NULL;
    if (ok)
        snprintf(id, 64, "%s", api_json_str(r.json, "id"));
    else
        TEST_FAILF("upload answered %ld: %.300s", status, r.body);
    api_free(&r);
    free(body);
    return ok;
}

/* A small PDF whose bytes name the tag. */
static size_t make_pdf(char *out, size_t size, const char *tag)
{
    int n = snprintf(out, size, "%%PDF-1.7\n%% %s\n1 0 obj <<>> endobj\n%%%%EOF\n", tag);
    return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

/* Runs Python's zipfile over the archive: its report (one line per entry,
 * "name sha256", after a first line "ok" when every CRC checks) into a heap
 * string, and rounds-export.json parsed into *json. */
static char *read_archive(const char *path, json_t **json)
{
    char command[512];
    snprintf(command, sizeof(command),
             "python3 -c 'import zipfile,hashlib,sys\n"
             "z=zipfile.ZipFile(sys.argv[1])\n"
             "print(\"ok\" if z.testzip() is None else \"bad\")\n"
             "[print(n, hashlib.sha256(z.read(n)).hexdigest()) for n in z.namelist()]\n"
             "open(sys.argv[1]+\".json\",\"wb\").write(z.read(\"rounds-export.json\"))' %s",
             path);
    FILE *p = popen(command, "r");
    if (p == NULL)
        return NULL;
    size_t cap = 65536, len = 0;
    char *text = calloc(1, cap);
    size_t n;
    while (text != NULL && (n = fread(text + len, 1, cap - len - 1, p)) > 0)
        len += n;
    pclose(p);
    char json_path[300];
    snprintf(json_path, sizeof(json_path), "%s.json", path);
    *json = json_load_file(json_path, 0, NULL);
    return text;
}

static bool export_as(const struct user *u, const char *name, char **report, json_t **json)
{
    struct api_response r;
    const char *headers[] = {u->auth, NULL};
    api_request(&r, "GET", "/api/v1/me/export", headers, NULL);
    bool ok = r.status == 200;
    if (!ok)
        TEST_FAILF("export answered %ld: %.300s", r.status, r.body);
    CHECK_STR(api_header(&r, "content-type"), "application/zip");
    CHECK_CONTAINS(api_header(&r, "content-disposition"), "attachment; filename=\"rounds-export-");
    char path[200];
    snprintf(path, sizeof(path), "%s/%s.zip", work, name);
    FILE *f = fopen(path, "wb");
    if (f != NULL) {
        fwrite(r.body, 1, r.body_len, f);
        fclose(f);
    }
    api_free(&r);
    *report = ok ? read_archive(path, json) : NULL;
    return ok && *report != NULL && *json != NULL;
}

static void sha256_hex(const char *data, size_t len, char out[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)data, len);
    sodium_bin2hex(out, 65, digest, sizeof(digest));
}

TEST(the_export_holds_the_account_its_documents_and_their_files)
{
    struct user s, other;
    if (!register_student(&s, "privacy") || !register_student(&other, "privacy-other"))
        return;
    struct api_response r;
    const char *headers[] = {s.auth, NULL};
    api_request(&r, "PATCH", "/api/v1/me", headers, "{\"school\":\"Universidad Nacional\",\"country\":\"Peru\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    char pdf[256], other_pdf[256], id[64], other_id[64];
    size_t pdf_len = make_pdf(pdf, sizeof(pdf), "mine");
    size_t other_len = make_pdf(other_pdf, sizeof(other_pdf), "theirs");
    if (!upload(&s, pdf, pdf_len, "passport scan.pdf", id) || !upload(&other, other_pdf, other_len, "x.pdf", other_id))
        return;
    post_as(&r, &s, "/api/v1/letters",
            json_pack("{s:s,s:s,s:b}", "author_name", "Dr. Maria Alvarez", "author_email", "alvarez@example.org",
                      "waived", 1),
            201);
    api_free(&r);
    char *report = NULL;
    json_t *json = NULL;
    if (!export_as(&s, "mine", &report, &json))
        return;
    CHECK(strncmp(report, "ok\n", 3) == 0);
    char sha[65], line[200];
    sha256_hex(pdf, pdf_len, sha);
    snprintf(line, sizeof(line), "documents/%s/passport scan.pdf %s", id, sha);
    CHECK_CONTAINS(report, line);
    CHECK(strstr(report, other_id) == NULL);
    CHECK_STR(api_json_str(json, "format"), "rounds-export-1");
    CHECK_STR(api_json_str(json, "user.email"), s.email);
    CHECK_STR(api_json_str(json, "user.profile.school"), "Universidad Nacional");
    json_t *documents = api_json_get(json, "documents");
    CHECK_INT((int)json_array_size(documents), 1);
    CHECK_STR(json_string_value(json_object_get(json_array_get(documents, 0), "id")), id);
    json_t *letters = api_json_get(json, "letters");
    CHECK_INT((int)json_array_size(letters), 1);
    CHECK(json_is_true(json_object_get(json_array_get(letters, 0), "waived")));
    CHECK(strstr(report, "letters/") == NULL); /* nothing uploaded; a waived one never is */
    CHECK(json_is_false(api_json_get(json, "two_factor.enabled")));
    char *text = json_dumps(json, 0);
    CHECK(text != NULL && strstr(text, other.email) == NULL && strstr(text, other_id) == NULL);
    free(text);
    json_decref(json);
    free(report);
    CHECK_INT((int)api_db_int(db, "SELECT COUNT(*) FROM audit_events WHERE actor_id = $1 AND action = 'data_exported'",
                              s.id, NULL), 1);
    /* The other student's export has their document, not this one's. */
    if (!export_as(&other, "theirs", &report, &json))
        return;
    CHECK(strstr(report, other_id) != NULL && strstr(report, id) == NULL);
    json_decref(json);
    free(report);
}

TEST(the_export_wants_a_session_and_takes_nothing_else)
{
    struct user s;
    if (!register_student(&s, "privacy-bad"))
        return;
    struct api_response r;
    api_request(&r, "GET", "/api/v1/me/export", NULL, NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    const char *headers[] = {s.auth, NULL};
    api_request(&r, "GET", "/api/v1/me/export?format=csv", headers, NULL);
    CHECK_PROBLEM(&r, 400, "unknown_parameter", "format");
    api_free(&r);
    api_request(&r, "POST", "/api/v1/me/export", headers, "{}");
    CHECK_INT(r.status, 405);
    api_free(&r);
    const char *bad_token[] = {"Authorization: Bearer not-a-token", NULL};
    api_request(&r, "GET", "/api/v1/me/export", bad_token, NULL);
    CHECK_INT(r.status, 401);
    api_free(&r);
    CHECK_INT((int)api_db_int(db, "SELECT COUNT(*) FROM audit_events WHERE actor_id = $1 AND action = 'data_exported'",
                              s.id, NULL), 0);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    if (test_tmp_dir(work, sizeof(work), "privacy") == NULL)
        return false;
    db = api_db_open(&server);
    return db != NULL;
}

static void run_tests(void)
{
    API_RUN(the_export_holds_the_account_its_documents_and_their_files);
    API_RUN(the_export_wants_a_session_and_takes_nothing_else);
}

static void finish(void)
{
    db_close(db);
    api_remove_tree(work);
}

int main(void)
{
    static const char *const flags[] = {"--jobs-interval-ms", "0", NULL};
    static const struct api_suite suite = {
        .name = "test_api_privacy", .server = &server, .flags = flags, .setup = setup,
        .setup_what = "setting up the work folder and the database failed", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
