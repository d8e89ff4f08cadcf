/* test_api_certificates.c — certificates of completion (issue 15, part 2)
 * against the real `rounds serve`: issued once per completed rotation and
 * refused before, the PDF read back with pdftotext, its signature checked by
 * an independent implementation (Python's PyNaCl) with the key from
 * /.well-known/rounds-signing-key, `rounds certificate verify` on the genuine
 * file, a tampered one, one with a second set of facts appended, another key
 * and bad arguments (exit codes), /verify/{number} as page and API (genuine,
 * revoked, not genuine, facts changed in the database), revocation by staff,
 * /verify replies kept with a strong ETag (304) until a revoke through a
 * second instance on the same database, the access matrix of every route,
 * and malformed input that changes nothing.
 *
 * Every test makes its own students, so the suite also runs on a PostgreSQL
 * database that holds other data. */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api_client.h"
#include "lib/crypto.h"
#include "test.h"

#define PASSWORD "Amber-Lantern-Orchard-93!"
#define PEOPLE_PASSWORD PASSWORD
#include "api_people.h"
#include "api_world.h"
#include "api_steps.h"
#include "api_suite.h"

static struct api_server server;
static struct db_conn *db;
static struct user staff, coord, precep, other_coord;
static char org[64], other_org[64], site[64], prc[64], offering[64], npi[11];
static char work_dir[280], key_pem[300];
static int next_block;

static long call(struct api_response *r, const struct user *u, const char *method, const char *path,
                 const char *body)
{
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    return api_request(r, method, path, headers, body);
}

/* A page fetched with the user's session cookie (NULL: anonymous). */
static long page(struct api_response *r, const struct user *u, const char *path)
{
    const char *headers[] = {u != NULL ? u->cookie : NULL, "Accept: text/html", NULL};
    return api_request(r, "GET", path, headers, NULL);
}

static bool create_user(struct user *u, const char *prefix, const char *role, const char *organization)
{
    char name[96];
    snprintf(name, sizeof(name), "Dr. %s Mensah", prefix);
    return world_member_named(&staff, u, prefix, name, role, organization);
}

static bool create_host(char *org_out, const char *label)
{
    return world_org(&staff, "host", org_out, "%s %ld-%lld", label, (long)getpid(), (long long)time(NULL));
}

static bool world_setup(void)
{
    static const struct world_place north = {"North campus", NULL, "Chicago", "IL", "60611"};
    if (!world_staff(&server, &db, &staff, "certstaff", "Certificates"))
        return false;
    if (!create_host(org, "Lakeshore Teaching Hospital") || !create_host(other_org, "Other Clinic"))
        return false;
    if (!create_user(&coord, "certcoord", "host_coordinator", org) ||
        !create_user(&precep, "certprecep", "preceptor", org) ||
        !create_user(&other_coord, "certother", "host_coordinator", other_org))
        return false;
    if (!world_site(&staff, org, &north, site))
        return false;
    /* Inline, not world_preceptor_record: the tests read the record's NPI. */
    char email[160];
    random_npi(npi);
    api_unique_email(email, sizeof(email), "certprc");
    json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "organization_id", org, "name", precep.name, "email",
                             email, "npi", npi, "specialty", "internal-medicine", "license_state", "IL",
                             "license_number", "036-118822", "user_id", precep.id);
    if (!create_object(&staff, "/api/v1/preceptors", body, prc))
        return false;
    body = world_medicine_offering_body(org, site, prc, "Internal Medicine Clerkship", "hands_on");
    if (!create_object(&coord, "/api/v1/offerings", body, offering))
        return false;
    snprintf(work_dir, sizeof(work_dir), "%s/work", server.dir);
    mkdir(work_dir, 0700);
    snprintf(key_pem, sizeof(key_pem), "%s/key.pem", work_dir);
    struct api_response r;
    call(&r, NULL, "GET", "/.well-known/rounds-signing-key", NULL);
    bool ok = r.status == 200 && r.body != NULL && strstr(r.body, "BEGIN PUBLIC KEY") != NULL;
    FILE *f = ok ? fopen(key_pem, "w") : NULL;
    if (f != NULL) {
        fwrite(r.body, 1, r.body_len, f);
        fclose(f);
    }
    api_free(&r);
    return f != NULL;
}

/* A new student with an application for a fresh block, taken up to complete (or only accepted). */

/* The preceptor's confirmed hours on the first and the last day of the
 * rotation (7.5 h and 8.25 h: 15.75 h), written straight into the hours log
 * (test_api_rotation.c tests logging and confirming them). */
static bool confirm_hours(const char *app)
{
    api_db_int(db,
               "INSERT INTO hours_entries (id, application_id, student_id, day, minutes, setting, state, created_at,"
               " updated_at) SELECT 'hrs_' || a.id || '_first', a.id, a.student_id, b.start_date, 450, 'inpatient',"
               " 'confirmed', 0, 0 FROM applications a JOIN blocks b ON b.id = a.block_id WHERE a.id = $1",
               app, NULL);
    api_db_int(db,
               "INSERT INTO hours_entries (id, application_id, student_id, day, minutes, setting, state, created_at,"
               " updated_at) SELECT 'hrs_' || a.id || '_last', a.id, a.student_id, b.end_date, 495, 'outpatient',"
               " 'confirmed', 0, 0 FROM applications a JOIN blocks b ON b.id = a.block_id WHERE a.id = $1",
               app, NULL);
    return api_db_int(db, "SELECT SUM(minutes) FROM hours_entries WHERE application_id = $1 AND state = 'confirmed'",
                      app, NULL) == 945;
}

static bool rotation(struct user *s, const char *prefix, bool complete, char *app_out)
{
    char block[64];
    int k = next_block++;
    if (!register_student(s, prefix))
        return false;
    if (!steps_block(&staff, offering, 30 + 29 * k, 28, 3, block))
        return false;
    if (!create_object(s, "/api/v1/applications",
                       json_pack("{s:s,s:s}", "block_id", block, "statement", "Keen on inpatient medicine."),
                       app_out))
        return false;
    if (!steps_act(&coord, app_out, "offer") || !steps_act(s, app_out, "accept"))
        return false;
    /* Staff record a payment taken by hand (book), and start and complete the
     * rotation now, weeks before its dates, overriding the calendar. */
    return !complete || (steps_act(&staff, app_out, "book") && steps_act(&coord, app_out, "clear") &&
                         steps_override(&staff, app_out, "start") && steps_override(&staff, app_out, "complete") &&
                         confirm_hours(app_out));
}

/* Issues the certificate of app as u; its number into number_out. */
static bool issue(const struct user *u, const char *app, long want, char *number_out)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/certificate", app);
    struct api_response r;
    call(&r, u, "POST", path, "{}");
    bool ok = r.status == want;
    if (!ok)
        TEST_FAILF("POST %s answered %ld, expected %ld: %.300s", path, r.status, want, r.body);
    const char *number = api_json_str(r.json, "number");
    if (number_out != NULL)
        snprintf(number_out, 64, "%s", number != NULL ? number : "");
    api_free(&r);
    return ok;
}

static long long certificates_of(const char *app)
{
    return api_db_int(db, "SELECT COUNT(*) FROM certificates WHERE application_id = $1", app, NULL);
}

/* Runs a shell command; its exit status, and its stdout (capped) into out. */
static int shell(const char *cmd, char *out, size_t out_size)
{
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return -1;
    size_t got = out != NULL ? fread(out, 1, out_size - 1, p) : 0;
    if (out != NULL)
        out[got] = '\0';
    else
        while (fgetc(p) != EOF) {
        }
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Downloads a certificate's PDF as u into path; the HTTP status. */
static long download(const struct user *u, const char *number, const char *path)
{
    char url[200];
    snprintf(url, sizeof(url), "/api/v1/certificates/%s/pdf", number);
    struct api_response r;
    call(&r, u, "GET", url, NULL);
    long status = r.status;
    if (status == 200) {
        FILE *f = fopen(path, "wb");
        if (f != NULL) {
            fwrite(r.body, 1, r.body_len, f);
            fclose(f);
        }
        CHECK_CONTAINS(api_header(&r, "content-type"), "application/pdf");
        CHECK(r.body_len > 4 && memcmp(r.body, "%PDF", 4) == 0);
    }
    api_free(&r);
    return status;
}

/* `rounds certificate verify FILE --key KEY`: exit code, stdout into out. */
static int cli_verify(const char *file, const char *key, char *out, size_t out_size)
{
    const char *args[] = {"certificate", "verify", file, "--key", key, NULL};
    struct api_cli_result res;
    int code = api_cli(NULL, args, NULL, &res);
    if (out != NULL)
        snprintf(out, out_size, "%s%s", res.out, res.err);
    api_cli_free(&res);
    return code;
}

/* The independent check: PyNaCl verifies the marker of the PDF with the PEM key. */
static const char python_check[] =
    "import sys,base64,re\n"
    "from nacl.signing import VerifyKey\n"
    "pem=open(sys.argv[2]).read().split('-----')[2]\n"
    "der=base64.b64decode(''.join(pem.split()))\n"
    "assert der[:12]==bytes.fromhex('302a300506032b6570032100')\n"
    "data=open(sys.argv[1],'rb').read()\n"
    "m=re.search(rb'rounds-signed:1:([A-Za-z0-9_-]+)\\.([A-Za-z0-9_-]+)',data)\n"
    "pad=lambda s:s+b'='*(-len(s)%4)\n"
    "facts=base64.urlsafe_b64decode(pad(m.group(1)));sig=base64.urlsafe_b64decode(pad(m.group(2)))\n"
    "VerifyKey(der[12:]).verify(facts,sig)\n"
    "sys.stdout.write(facts.decode())\n";

static int python_verify(const char *pdf, char *facts_out, size_t size)
{
    char script[400], cmd[1400];
    snprintf(script, sizeof(script), "%s/check.py", work_dir);
    FILE *f = fopen(script, "w");
    if (f == NULL)
        return -1;
    fputs(python_check, f);
    fclose(f);
    /* Debian's python3 (python3-nacl), not whichever python3 comes first on PATH. */
    snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s %s %s 2>/dev/null", script, pdf, key_pem);
    return shell(cmd, facts_out, size);
}

/* Changes one character of the signed facts inside a copy of the PDF. */
static bool tamper(const char *from, const char *to)
{
    size_t len = 0;
    char *data = api_read_file(from, &len);
    if (data == NULL)
        return false;
    char *marker = memmem(data, len, "rounds-signed:1:", 16);
    bool ok = marker != NULL && marker + 60 < data + len;
    if (ok)
        marker[16 + 40] = marker[16 + 40] == 'A' ? 'B' : 'A';
    FILE *f = ok ? fopen(to, "wb") : NULL;
    if (f != NULL) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
    free(data);
    return f != NULL;
}

/* ---- tests ---- */

TEST(the_signing_key_is_a_0600_file_and_published_as_pem)
{
    char path[400];
    struct stat st;
    snprintf(path, sizeof(path), "%s/data/signing.key", server.dir);
    CHECK(stat(path, &st) == 0);
    CHECK_INT(st.st_mode & 0777, 0600);
    struct api_response r;
    call(&r, NULL, "GET", "/.well-known/rounds-signing-key", NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA");
    CHECK_CONTAINS(r.body, "-----END PUBLIC KEY-----");
    api_free(&r);
    /* openssl reads it as an Ed25519 key. */
    char cmd[600], out[600];
    snprintf(cmd, sizeof(cmd), "openssl pkey -pubin -in %s -noout -text 2>&1", key_pem);
    CHECK_INT(shell(cmd, out, sizeof(out)), 0);
    CHECK_CONTAINS(out, "ED25519");
}

TEST(a_completed_rotation_gets_one_signed_certificate)
{
    struct user s;
    char app[64], number[64], again[64];
    CHECK(rotation(&s, "certflow", true, app));
    CHECK(issue(&s, app, 201, number));
    CHECK(strncmp(number, "RC-", 3) == 0 && strlen(number) == 22);
    CHECK(issue(&s, app, 200, again));
    CHECK_STR(again, number);
    CHECK(issue(&coord, app, 200, again)); /* the host side too: the same one */
    CHECK_STR(again, number);
    CHECK_INT(certificates_of(app), 1);
    struct api_response r;
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/certificates/%s", number);
    call(&r, &s, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "facts.student"), s.name);
    CHECK_STR(api_json_str(r.json, "facts.rotation"), "Internal Medicine Clerkship");
    CHECK_STR(api_json_str(r.json, "facts.preceptor_npi"), npi);
    CHECK_STR(api_json_str(r.json, "facts.location"), "Chicago, IL");
    CHECK_STR(api_json_str(r.json, "facts.rotation_kind"), "Hands-on clerkship");
    CHECK_STR(api_json_str(r.json, "facts.confirmed_hours"), "15.75");
    CHECK(json_is_false(api_json_get(r.json, "revoked")));
    api_free(&r);
    call(&r, &s, "GET", "/api/v1/certificates", NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(json_array_size(api_json_get(r.json, "items")), 1);
    CHECK_STR(api_json_str(json_array_get(api_json_get(r.json, "items"), 0), "number"), number);
    api_free(&r);
    /* The audit trail has the issue. */
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM audit_events WHERE action = 'issue' AND object_id = $1", number,
                         NULL),
              1);
}

TEST(the_pdf_reads_back_and_verifies_independently_and_offline)
{
    struct user s;
    char app[64], number[64], pdf[400], text[8192], facts[4096], out[4096], cmd[1600];
    CHECK(rotation(&s, "certpdf", true, app));
    CHECK(issue(&s, app, 201, number));
    snprintf(pdf, sizeof(pdf), "%s/%s.pdf", work_dir, number);
    CHECK_INT(download(&s, number, pdf), 200);
    /* What a reader sees. */
    snprintf(cmd, sizeof(cmd), "pdftotext -layout %s -", pdf);
    CHECK_INT(shell(cmd, text, sizeof(text)), 0);
    CHECK_CONTAINS(text, "Certificate of Completion");
    CHECK_CONTAINS(text, s.name);
    CHECK_CONTAINS(text, "Internal Medicine Clerkship");
    CHECK_CONTAINS(text, npi);
    CHECK_CONTAINS(text, number);
    CHECK_CONTAINS(text, "/verify/");
    CHECK_CONTAINS(text, "Confirmed hours");
    CHECK_CONTAINS(text, "15.75");
    /* PyNaCl checks the signature with the published key. */
    CHECK_INT(python_verify(pdf, facts, sizeof(facts)), 0);
    CHECK_CONTAINS(facts, "rounds-signed-document/1\n");
    char line[200];
    snprintf(line, sizeof(line), "number=%s\n", number);
    CHECK_CONTAINS(facts, line);
    snprintf(line, sizeof(line), "student=%s\n", s.name);
    CHECK_CONTAINS(facts, line);
    /* The CLI: genuine. */
    CHECK_INT(cli_verify(pdf, key_pem, out, sizeof(out)), 0);
    CHECK_CONTAINS(out, "GENUINE");
    CHECK_CONTAINS(out, s.name);
    CHECK_CONTAINS(out, number);
    /* One character of the facts changed: both refuse it. */
    char bad[400];
    snprintf(bad, sizeof(bad), "%s/tampered.pdf", work_dir);
    CHECK(tamper(pdf, bad));
    CHECK_INT(cli_verify(bad, key_pem, out, sizeof(out)), 6);
    CHECK_CONTAINS(out, "NOT GENUINE");
    CHECK(python_verify(bad, facts, sizeof(facts)) != 0);
    /* A second set of facts appended (an incremental update). */
    snprintf(cmd, sizeof(cmd), "cp %s %s/appended.pdf && printf '%%s' '/Keywords (rounds-signed:1:AAAA.BBBB)' >> %s/appended.pdf",
             pdf, work_dir, work_dir);
    CHECK_INT(shell(cmd, NULL, 0), 0);
    snprintf(bad, sizeof(bad), "%s/appended.pdf", work_dir);
    CHECK_INT(cli_verify(bad, key_pem, out, sizeof(out)), 6);
    /* Another key. */
    char other_key[400];
    unsigned char pk[32], sk[64];
    char b64[64];
    crypto_sign_keypair(pk, sk);
    sodium_bin2base64(b64, sizeof(b64), pk, sizeof(pk), sodium_base64_VARIANT_ORIGINAL);
    snprintf(other_key, sizeof(other_key), "%s/other.key", work_dir);
    FILE *f = fopen(other_key, "w");
    CHECK(f != NULL);
    if (f != NULL) {
        fprintf(f, "%s\n", b64);
        fclose(f);
    }
    CHECK_INT(cli_verify(pdf, other_key, out, sizeof(out)), 6);
    /* Not a PDF of ours at all. */
    CHECK_INT(cli_verify(key_pem, key_pem, out, sizeof(out)), 6);
    CHECK_CONTAINS(out, "no facts signed by Rounds");
}

TEST(the_cli_exit_codes_for_bad_arguments)
{
    char out[2048], missing[400];
    snprintf(missing, sizeof(missing), "%s/no-such.pdf", work_dir);
    CHECK_INT(cli_verify(missing, key_pem, out, sizeof(out)), 1);
    CHECK_INT(cli_verify(key_pem, missing, out, sizeof(out)), 1);
    /* A key file that is not a key. */
    char not_key[400];
    snprintf(not_key, sizeof(not_key), "%s/not-a-key.txt", work_dir);
    FILE *f = fopen(not_key, "w");
    if (f != NULL) {
        fputs("-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----\n", f);
        fclose(f);
    }
    CHECK_INT(cli_verify(key_pem, not_key, out, sizeof(out)), 4);
    CHECK_CONTAINS(out, "not an Ed25519 public key");
    struct api_cli_result res;
    const char *no_key[] = {"certificate", "verify", key_pem, NULL};
    CHECK_INT(api_cli(NULL, no_key, NULL, &res), 2);
    api_cli_free(&res);
    const char *no_verb[] = {"certificate", NULL};
    CHECK_INT(api_cli(NULL, no_verb, NULL, &res), 2);
    api_cli_free(&res);
    const char *help[] = {"certificate", "verify", "--help", NULL};
    CHECK_INT(api_cli(NULL, help, NULL, &res), 0);
    CHECK_CONTAINS(res.out, "Exit codes");
    api_cli_free(&res);
}

TEST(verify_page_and_api_say_genuine_revoked_or_not_genuine)
{
    struct user s;
    char app[64], number[64], path[200];
    CHECK(rotation(&s, "certverify", true, app));
    CHECK(issue(&s, app, 201, number));
    struct api_response r;
    snprintf(path, sizeof(path), "/verify/%s", number);
    page(&r, NULL, path);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Genuine.");
    CHECK_CONTAINS(r.body, s.name);
    CHECK_CONTAINS(r.body, npi);
    CHECK(strstr(r.body, s.email) == NULL); /* nothing else about the student */
    CHECK(strstr(r.body, "Keen on inpatient") == NULL);
    api_free(&r);
    /* As typed by a person: lower case, no dashes. */
    char typed[64];
    size_t t = 0;
    for (const char *p = number; *p != '\0'; p++)
        if (*p != '-')
            typed[t++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    typed[t] = '\0';
    snprintf(path, sizeof(path), "/verify/%s", typed);
    page(&r, NULL, path);
    CHECK_INT(r.status, 200);
    api_free(&r);
    snprintf(path, sizeof(path), "/verify?number=%s", typed);
    page(&r, NULL, path);
    CHECK_INT(r.status, 303);
    CHECK_CONTAINS(api_header(&r, "location"), number);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/verify/%s", number);
    call(&r, NULL, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "status"), "genuine");
    CHECK_STR(api_json_str(r.json, "facts.student"), s.name);
    api_free(&r);
    /* Unknown and malformed numbers: not genuine, 404, never a 500. */
    static const char *const bad[] = {"/verify/RC-0000-0000-0000-0000", "/verify/RC-1234", "/verify/%00%01",
                                      "/verify/RC-ZZZZ-ZZZZ-ZZZZ-ZZZZ", "/verify/" "RC-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        page(&r, NULL, bad[i]);
        CHECK(r.status == 404 || r.status == 400);
        if (r.status == 404)
            CHECK_CONTAINS(r.body, "Not genuine");
        api_free(&r);
    }
    call(&r, NULL, "GET", "/api/v1/verify/RC-0000-0000-0000-0000", NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    page(&r, NULL, "/verify?number=not-a-number");
    CHECK_INT(r.status, 400);
    CHECK_CONTAINS(r.body, "not a Rounds certificate number");
    api_free(&r);
    snprintf(path, sizeof(path), "/verify/%s?x=1", number);
    page(&r, NULL, path);
    CHECK_INT(r.status, 400);
    api_free(&r);
}

TEST(facts_changed_in_the_database_are_not_genuine)
{
    struct user s;
    char app[64], number[64], path[200];
    CHECK(rotation(&s, "certdbtamper", true, app));
    CHECK(issue(&s, app, 201, number));
    CHECK(db_exec(db, "SELECT 1") == DB_OK);
    struct db_stmt *st = db_prepare(db, "UPDATE certificates SET facts = REPLACE(facts, 'weeks=4', 'weeks=9')"
                                        " WHERE number = $1");
    db_bind_text(st, 1, number);
    CHECK_INT(db_step(st), DB_DONE);
    db_reset(st);
    struct api_response r;
    snprintf(path, sizeof(path), "/verify/%s", number);
    page(&r, NULL, path);
    CHECK_INT(r.status, 404);
    CHECK_CONTAINS(r.body, "Not genuine");
    api_free(&r);
}

TEST(staff_revoke_with_a_reason_and_verify_says_so)
{
    struct user s;
    char app[64], number[64], path[200];
    CHECK(rotation(&s, "certrevoke", true, app));
    CHECK(issue(&s, app, 201, number));
    struct api_response r;
    snprintf(path, sizeof(path), "/api/v1/certificates/%s/revoke", number);
    call(&r, &s, "POST", path, "{\"reason\":\"mine\"}");
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    call(&r, &coord, "POST", path, "{\"reason\":\"mine\"}");
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    call(&r, &staff, "POST", path, "{}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "reason");
    api_free(&r);
    call(&r, &staff, "POST", path, "{\"reason\":\"\"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "reason");
    api_free(&r);
    call(&r, &staff, "POST", path, "{\"reason\":\"x\",\"extra\":1}");
    CHECK_PROBLEM(&r, 400, "unknown_field", "extra");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM certificates WHERE number = $1 AND revoked_at IS NULL", number,
                         NULL),
              1);
    call(&r, &staff, "POST", path, "{\"reason\":\"The booking was cancelled after issue.\"}");
    CHECK_INT(r.status, 200);
    CHECK(json_is_true(api_json_get(r.json, "revoked")));
    api_free(&r);
    call(&r, &staff, "POST", path, "{\"reason\":\"again\"}");
    CHECK_PROBLEM(&r, 409, "already_revoked", NULL);
    api_free(&r);
    snprintf(path, sizeof(path), "/verify/%s", number);
    page(&r, NULL, path);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Revoked.");
    CHECK(strstr(r.body, "booking was cancelled") == NULL); /* the reason stays with staff */
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/verify/%s", number);
    call(&r, NULL, "GET", path, NULL);
    CHECK_STR(api_json_str(r.json, "status"), "revoked");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM audit_events WHERE action = 'revoke' AND object_id = $1", number,
                         NULL),
              1);
}

/* GET path on srv, anonymous, with up to two extra headers; the status. */
static long get_on(struct api_server *srv, struct api_response *r, const char *path, const char *h1, const char *h2)
{
    const char *headers[] = {"Accept: text/html", h1, h2, NULL};
    struct api_raw_request rq = {"GET", path, headers, NULL, 0, false};
    return api_send_to(srv, r, &rq);
}

static char *etag_of(const struct api_response *r)
{
    const char *v = api_header(r, "etag");
    return v != NULL ? strdup(v) : NULL;
}

/* A second `rounds serve` on the suite's database with its signing key. */
static bool start_second(struct api_server *second)
{
    char key[400];
    snprintf(key, sizeof(key), "%s/data/signing.key", server.dir);
    const char *flags[] = {"--signing-key-file", key, "--jobs-interval-ms", "0", NULL};
    return api_server_start_beside(second, &server, flags);
}

/* The page and the API reply of a number: 200 with a strong ETag and
 * no-cache, 304 to If-None-Match naming it; their ETags into etags[2]. */
static void check_kept(struct api_server *srv, const char *const paths[2], const char *says[2], char *etags[2])
{
    struct api_response r;
    char inm[120];
    for (int i = 0; i < 2; i++) {
        etags[i] = NULL;
        CHECK_INT(get_on(srv, &r, paths[i], NULL, NULL), 200);
        CHECK_CONTAINS(r.body, says[i]);
        etags[i] = etag_of(&r);
        CHECK(etags[i] != NULL && etags[i][0] == '"' && strlen(etags[i]) == 18);
        CHECK_CONTAINS(api_header(&r, "cache-control"), "no-cache");
        api_free(&r);
        if (etags[i] == NULL)
            continue;
        snprintf(inm, sizeof(inm), "If-None-Match: %s", etags[i]);
        CHECK_INT(get_on(srv, &r, paths[i], inm, NULL), 304);
        CHECK_INT((long)r.body_len, 0);
        api_free(&r);
    }
}

TEST(verify_replies_are_kept_with_an_etag_until_revoked_through_any_instance)
{
    struct user s;
    struct api_server second;
    char app[64], number[64], page_path[200], api_path[200], path[200], inm[120];
    CHECK(rotation(&s, "certetag", true, app));
    CHECK(issue(&s, app, 201, number));
    snprintf(page_path, sizeof(page_path), "/verify/%s", number);
    snprintf(api_path, sizeof(api_path), "/api/v1/verify/%s", number);
    const char *paths[2] = {page_path, api_path}, *genuine[2] = {"Genuine.", "\"genuine\""};
    char *etags[2], *again[2];
    check_kept(&server, paths, genuine, etags);
    /* Kept: the same bytes however the number is typed; a signed-in visitor's page is theirs, never kept. */
    struct api_response r;
    char lower[64];
    for (size_t i = 0; i <= strlen(number); i++)
        lower[i] = (char)(number[i] >= 'A' && number[i] <= 'Z' ? number[i] - 'A' + 'a' : number[i]);
    snprintf(path, sizeof(path), "/verify/%s", lower);
    CHECK_INT(get_on(&server, &r, path, NULL, NULL), 200);
    CHECK_STR(api_header(&r, "etag"), etags[0]);
    api_free(&r);
    page(&r, &s, page_path);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Genuine.");
    CHECK(api_header(&r, "etag") == NULL);
    api_free(&r);
    /* A second instance on the same database gives the same ETags. */
    CHECK(start_second(&second));
    check_kept(&second, paths, genuine, again);
    for (int i = 0; i < 2; i++) {
        CHECK(again[i] != NULL && etags[i] != NULL && strcmp(again[i], etags[i]) == 0);
        free(again[i]);
    }
    /* Staff revoke through the second instance: it says so at once, the first within its change feed's poll. */
    snprintf(path, sizeof(path), "/api/v1/certificates/%s/revoke", number);
    static const char reason[] = "{\"reason\":\"Issued to the wrong rotation.\"}";
    const char *auth[] = {staff.auth, NULL};
    struct api_raw_request rq = {"POST", path, auth, reason, strlen(reason), false};
    CHECK_INT(api_send_to(&second, &r, &rq), 200);
    api_free(&r);
    const char *revoked[2] = {"Revoked.", "\"revoked\""};
    check_kept(&second, paths, revoked, again);
    for (int i = 0; i < 2; i++) {
        CHECK(again[i] != NULL && etags[i] != NULL && strcmp(again[i], etags[i]) != 0);
        free(again[i]);
    }
    for (int i = 0; i < 2 && etags[i] != NULL; i++) {
        CHECK(api_wait_for_new_etag(&server, paths[i], "Accept: text/html", etags[i], &r));
        CHECK_CONTAINS(r.body, revoked[i]);
        CHECK(strstr(r.body, "wrong rotation") == NULL); /* the reason stays with staff */
        api_free(&r);
        snprintf(inm, sizeof(inm), "If-None-Match: %s", etags[i]);
        CHECK_INT(get_on(&server, &r, paths[i], inm, NULL), 200);
        CHECK_CONTAINS(r.body, revoked[i]);
        api_free(&r);
    }
    CHECK_INT(api_server_stop(&second), 0);
    api_server_cleanup(&second);
    /* Unknown and malformed numbers: 404 as before, whatever the client holds. */
    static const char *const unknown[] = {"/verify/RC-0000-0000-0000-0000", "/verify/RC-1234",
                                          "/api/v1/verify/RC-0000-0000-0000-0000"};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        CHECK_INT(get_on(&server, &r, unknown[i], "If-None-Match: *", NULL), 404);
        CHECK(api_header(&r, "etag") == NULL);
        api_free(&r);
    }
    free(etags[0]);
    free(etags[1]);
}

TEST(access_matrix_of_every_route)
{
    struct user s, other;
    char app[64], other_app[64], number[64], path[200];
    CHECK(rotation(&s, "certowner", true, app));
    CHECK(rotation(&other, "certstranger", false, other_app));
    struct api_response r;
    /* Issuing: a stranger and another host get 404, anonymous 401, and nothing is issued. */
    snprintf(path, sizeof(path), "/api/v1/applications/%s/certificate", app);
    call(&r, &other, "POST", path, "{}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &other_coord, "POST", path, "{}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, NULL, "POST", path, "{}");
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    CHECK_INT(certificates_of(app), 0);
    CHECK(issue(&precep, app, 201, number)); /* the preceptor is on the host side */
    /* Reading and downloading. */
    const struct user *allowed[] = {&s, &coord, &precep, &staff};
    const struct user *refused[] = {&other, &other_coord};
    char file[400];
    snprintf(file, sizeof(file), "%s/matrix.pdf", work_dir);
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "/api/v1/certificates/%s", number);
        call(&r, allowed[i], "GET", path, NULL);
        CHECK_INT(r.status, 200);
        api_free(&r);
        CHECK_INT(download(allowed[i], number, file), 200);
    }
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "/api/v1/certificates/%s", number);
        call(&r, refused[i], "GET", path, NULL);
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
        CHECK_INT(download(refused[i], number, file), 404);
        snprintf(path, sizeof(path), "/certificates/%s/pdf", number);
        page(&r, refused[i], path);
        CHECK_INT(r.status, 404);
        api_free(&r);
    }
    snprintf(path, sizeof(path), "/api/v1/certificates/%s", number);
    call(&r, NULL, "GET", path, NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    /* The stranger's own list is empty. */
    call(&r, &other, "GET", "/api/v1/certificates", NULL);
    CHECK_INT(json_array_size(api_json_get(r.json, "items")), 0);
    api_free(&r);
    /* Pages: the owner downloads with the session; the application page links it. */
    snprintf(path, sizeof(path), "/certificates/%s/pdf", number);
    page(&r, &s, path);
    CHECK_INT(r.status, 200);
    CHECK(r.body_len > 4 && memcmp(r.body, "%PDF", 4) == 0);
    api_free(&r);
    snprintf(path, sizeof(path), "/applications/%s", app);
    page(&r, &s, path);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, number);
    CHECK_CONTAINS(r.body, "Download the certificate (PDF)");
    api_free(&r);
}

TEST(a_completed_rotation_without_confirmed_hours_gets_none_yet)
{
    struct user s;
    char app[64], path[200], number[64];
    CHECK(rotation(&s, "certnohours", false, app));
    CHECK(steps_act(&staff, app, "book") && steps_act(&coord, app, "clear") && steps_override(&staff, app, "start") &&
          steps_override(&staff, app, "complete"));
    /* Hours logged but not confirmed yet do not count. */
    api_db_int(db,
               "INSERT INTO hours_entries (id, application_id, student_id, day, minutes, setting, state, created_at,"
               " updated_at) SELECT 'hrs_' || a.id || '_wait', a.id, a.student_id, b.start_date, 480, 'inpatient',"
               " 'logged', 0, 0 FROM applications a JOIN blocks b ON b.id = a.block_id WHERE a.id = $1",
               app, NULL);
    struct api_response r;
    snprintf(path, sizeof(path), "/api/v1/applications/%s/certificate", app);
    call(&r, &s, "POST", path, "{}");
    CHECK_PROBLEM(&r, 409, "hours_not_confirmed", NULL);
    api_free(&r);
    CHECK_INT(certificates_of(app), 0);
    /* The page says why and links the hours log instead of offering the button. */
    snprintf(path, sizeof(path), "/applications/%s", app);
    page(&r, &s, path);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "once the preceptor has confirmed hours");
    CHECK(strstr(r.body, "Issue the certificate") == NULL);
    api_free(&r);
    /* Confirmed by the preceptor: issued, with those hours. */
    api_db_int(db, "UPDATE hours_entries SET state = 'confirmed' WHERE application_id = $1", app, NULL);
    page(&r, &s, path);
    CHECK_CONTAINS(r.body, "with 8 confirmed hours");
    CHECK_CONTAINS(r.body, "Issue the certificate");
    api_free(&r);
    CHECK(issue(&s, app, 201, number));
    snprintf(path, sizeof(path), "/api/v1/certificates/%s", number);
    call(&r, &s, "GET", path, NULL);
    CHECK_STR(api_json_str(r.json, "facts.confirmed_hours"), "8");
    api_free(&r);
}

TEST(a_booked_rotation_gets_its_signed_visa_letter)
{
    struct user s, other;
    char app[64], held[64], path[200], pdf[400], text[8192], facts[4096], out[4096], cmd[1600];
    CHECK(rotation(&s, "visa", false, app));
    CHECK(steps_act(&staff, app, "book"));
    CHECK(rotation(&other, "visaheld", false, held)); /* accepted only: not booked */
    static const char body[] = "{\"passport_name\":\"ADEBAYO Chiamaka Grace\",\"passport_number\":\"A12345678\","
                               "\"nationality\":\"Nigerian\",\"consulate_city\":\"Lagos\"}";
    struct api_response r;
    snprintf(path, sizeof(path), "/api/v1/applications/%s/visa-letter", held);
    call(&r, &other, "POST", path, body);
    CHECK_PROBLEM(&r, 404, "not_found", NULL); /* not booked */
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/applications/%s/visa-letter", app);
    call(&r, &other, "POST", path, body);
    CHECK_PROBLEM(&r, 404, "not_found", NULL); /* not theirs */
    api_free(&r);
    call(&r, &coord, "POST", path, body);
    CHECK_PROBLEM(&r, 404, "not_found", NULL); /* only the student asks */
    api_free(&r);
    call(&r, &s, "POST", path, "{\"passport_name\":\"A\",\"passport_number\":\"A1-2!\",\"nationality\":\"Nigerian\","
                            "\"consulate_city\":\"Lagos\"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "passport_number");
    api_free(&r);
    call(&r, &s, "POST", path, "{\"passport_name\":\"A\",\"passport_number\":\"A1234567\"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "nationality");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM visa_letters WHERE application_id IN ($1, $2)", app, held), 0);
    call(&r, &s, "POST", path, body);
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "state"), "requested");
    api_free(&r);
    call(&r, &s, "POST", path, body);
    CHECK_PROBLEM(&r, 409, "already_submitted", NULL);
    api_free(&r);
    /* Approval: not by the student, not by another host; by the host's coordinator, once. */
    snprintf(path, sizeof(path), "/api/v1/applications/%s/visa-letter/approve", app);
    call(&r, &s, "POST", path, "{}");
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    call(&r, &other_coord, "POST", path, "{}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &coord, "POST", path, "{}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "kind"), "visa_letter");
    CHECK_STR(api_json_str(r.json, "facts.student"), "ADEBAYO Chiamaka Grace");
    CHECK_STR(api_json_str(r.json, "facts.passport_number"), "A12345678");
    char number[64];
    snprintf(number, sizeof(number), "%s", api_json_str(r.json, "number") != NULL ? api_json_str(r.json, "number") : "");
    api_free(&r);
    call(&r, &coord, "POST", path, "{}");
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/applications/%s/visa-letter", app);
    call(&r, &s, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "issued");
    CHECK_STR(api_json_str(r.json, "letter.number"), number);
    api_free(&r);
    /* The student downloads it; it reads back, and verifies independently and offline. */
    snprintf(pdf, sizeof(pdf), "%s/%s.pdf", work_dir, number);
    CHECK_INT(download(&s, number, pdf), 200);
    snprintf(cmd, sizeof(cmd), "pdftotext -layout %s -", pdf);
    CHECK_INT(shell(cmd, text, sizeof(text)), 0);
    CHECK_CONTAINS(text, "Invitation Letter");
    CHECK_CONTAINS(text, "ADEBAYO Chiamaka Grace");
    CHECK_CONTAINS(text, "A12345678");
    CHECK_CONTAINS(text, "not employed");
    CHECK_CONTAINS(text, "Chicago, IL");
    CHECK_INT(python_verify(pdf, facts, sizeof(facts)), 0);
    CHECK_CONTAINS(facts, "kind=visa_letter\n");
    CHECK_INT(cli_verify(pdf, key_pem, out, sizeof(out)), 0);
    /* Staff revoke it when the booking is cancelled: the public check says so. */
    snprintf(path, sizeof(path), "/api/v1/certificates/%s/revoke", number);
    call(&r, &staff, "POST", path, "{\"reason\":\"The booking was cancelled\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/verify/%s", number);
    call(&r, NULL, "GET", path, NULL);
    CHECK_STR(api_json_str(r.json, "status"), "revoked");
    api_free(&r);
    /* The page. */
    snprintf(path, sizeof(path), "/applications/%s/visa-letter", app);
    page(&r, &s, path);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Download the letter (PDF)");
    api_free(&r);
    page(&r, &other, path);
    CHECK_INT(r.status, 404);
    api_free(&r);
}

/* A second server on the same database, with the failpoint name armed; it
 * becomes api_current. */
static bool start_doomed(struct api_server *sibling, const char *failpoint_name)
{
    char failpoint[128];
    snprintf(failpoint, sizeof(failpoint), "ROUNDS_TEST_FAILPOINT=%s", failpoint_name);
    const char *const env[] = {failpoint, NULL};
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", NULL};
    bool ok = api_server_start_beside_with(sibling, &server, flags, env);
    api_use(sibling);
    return ok;
}

static long long visa_rows(const char *app)
{
    return api_db_int(db,
                      "SELECT (SELECT COUNT(*) FROM certificates WHERE application_id = $1 AND kind = 'visa_letter')"
                      " + (SELECT COUNT(*) FROM visa_letters WHERE application_id = $1 AND state <> 'requested')"
                      " + (SELECT COUNT(*) FROM audit_events WHERE action = 'issue' AND detail = $1)",
                      app, NULL);
}

/* The approval is one transaction: the server dying between storing the
 * certificate and marking the letter issued leaves the letter requested, no
 * certificate, no audit line; the next approval issues it once. */
TEST(a_crash_during_a_visa_approval_leaves_nothing_half_done)
{
    struct user s;
    char app[64], path[200];
    CHECK(rotation(&s, "visacrash", false, app));
    CHECK(steps_act(&staff, app, "book"));
    struct api_response r;
    snprintf(path, sizeof(path), "/api/v1/applications/%s/visa-letter", app);
    call(&r, &s, "POST", path,
         "{\"passport_name\":\"OKAFOR Emeka\",\"passport_number\":\"B7654321\",\"nationality\":\"Nigerian\","
         "\"consulate_city\":\"Abuja\"}");
    CHECK_INT(r.status, 201);
    api_free(&r);
    struct api_server doomed;
    if (!start_doomed(&doomed, "visa_letter_before_issued")) {
        TEST_FAILF("the second server did not start");
        return;
    }
    snprintf(path, sizeof(path), "/api/v1/applications/%s/visa-letter/approve", app);
    call(&r, &coord, "POST", path, "{}");
    CHECK(r.status == 0 || r.status >= 500); /* the instance died mid-request */
    api_free(&r);
    CHECK_INT(api_server_stop(&doomed), 70);
    api_server_cleanup(&doomed);
    api_use(&server);
    CHECK_INT(visa_rows(app), 0);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'visa_letter'", s.id,
                         NULL),
              0);
    call(&r, &coord, "POST", path, "{}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    CHECK_INT(visa_rows(app), 3); /* one certificate, the letter issued, one audit line */
}

TEST(bad_input_is_4xx_and_changes_nothing)
{
    struct user s;
    char app[64], path[200];
    CHECK(rotation(&s, "certbad", false, app)); /* held, not completed */
    struct api_response r;
    snprintf(path, sizeof(path), "/api/v1/applications/%s/certificate", app);
    call(&r, &s, "POST", path, "{}");
    CHECK_PROBLEM(&r, 409, "rotation_not_completed", NULL);
    api_free(&r);
    CHECK_INT(certificates_of(app), 0);
    call(&r, &s, "POST", "/api/v1/applications/app_does_not_exist/certificate", "{}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &s, "POST", "/api/v1/applications/bad%20id%21/certificate", "{}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    static const char *const numbers[] = {"RC-0000-0000-0000-0000", "nonsense", "RC-", "%FF%FE"};
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        snprintf(path, sizeof(path), "/api/v1/certificates/%s", numbers[i]);
        call(&r, &staff, "GET", path, NULL);
        CHECK(r.status == 404 || r.status == 400);
        api_free(&r);
        snprintf(path, sizeof(path), "/api/v1/certificates/%s/revoke", numbers[i]);
        call(&r, &staff, "POST", path, "{\"reason\":\"x\"}");
        CHECK(r.status == 404 || r.status == 400);
        api_free(&r);
    }
    call(&r, &staff, "POST", "/api/v1/certificates/RC-0000-0000-0000-0000/revoke", "not json");
    CHECK(r.status == 400);
    api_free(&r);
    call(&r, NULL, "GET", "/api/v1/certificates?x=1", NULL);
    CHECK(r.status == 400 || r.status == 401);
    api_free(&r);
    /* A page POST with a bad session token or without CSRF changes nothing. */
    const char *headers[] = {s.cookie, "Accept: text/html", "Content-Type: application/x-www-form-urlencoded", NULL};
    snprintf(path, sizeof(path), "/applications/%s/certificate", app);
    api_request(&r, "POST", path, headers, "csrf_token=wrong");
    CHECK_INT(r.status, 403);
    api_free(&r);
    CHECK_INT(certificates_of(app), 0);
}

TEST(server_shuts_down_gracefully)
{
    CHECK_INT(api_server_stop(&server), 0);
}

static void run_tests(void)
{
    API_RUN(the_signing_key_is_a_0600_file_and_published_as_pem);
    API_RUN(a_completed_rotation_gets_one_signed_certificate);
    API_RUN(the_pdf_reads_back_and_verifies_independently_and_offline);
    API_RUN(the_cli_exit_codes_for_bad_arguments);
    API_RUN(verify_page_and_api_say_genuine_revoked_or_not_genuine);
    API_RUN(facts_changed_in_the_database_are_not_genuine);
    API_RUN(staff_revoke_with_a_reason_and_verify_says_so);
    API_RUN(verify_replies_are_kept_with_an_etag_until_revoked_through_any_instance);
    API_RUN(access_matrix_of_every_route);
    API_RUN(a_completed_rotation_without_confirmed_hours_gets_none_yet);
    API_RUN(a_booked_rotation_gets_its_signed_visa_letter);
    API_RUN(a_crash_during_a_visa_approval_leaves_nothing_half_done);
    API_RUN(bad_input_is_4xx_and_changes_nothing);
}

static void finish(void)
{
    db_close(db);
    API_RUN(server_shuts_down_gracefully);
}

int main(void)
{
    static const char *const flags[] = {"--jobs-interval-ms", "0", NULL};
    static const struct api_suite suite = {
        .name = "api-certificates", .server = &server, .flags = flags, .setup = world_setup,
        .setup_what = "setting up the host, preceptor and offering", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
