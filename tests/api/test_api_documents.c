/* test_api_documents.c — the document wallet, compliance and requirements
 * (API.md "Documents and compliance", DESIGN.md §2–§3, issue 6) against the
 * real `rounds serve`: the upload caps (413 from the domain, from the route
 * and from h2o before the body is sent), type spoofing (415), path tricks in
 * file names, encryption at rest (the bytes on disk under DATA_DIR/files),
 * the download's headers, bad fields, the quota, replacing with history,
 * staff's verification queue, deletion, the access rules of every role with
 * the audit trail of file reads, requirements, the compliance engine with a
 * moved clock and the clear gate, and expiry reminders.
 *
 * The server runs with --max-upload 65536 and --upload-quota 200000 so that
 * the caps are cheap to reach, --test-hooks 1 (the clock and the jobs) and
 * --jobs-interval-ms 0 (only the tests run the jobs). Every test makes its
 * own students, so the suite also runs against a shared PostgreSQL database. */
#include <arpa/inet.h>
#include <ftw.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "api_client.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "lib/sealed.h"
#include "test.h"

#define PASSWORD "Vivid-Orchard-Kettle-58!"
#define PEOPLE_PASSWORD PASSWORD
#include "api_people.h"
#include "api_world.h"
#include "api_steps.h"
#include "api_suite.h"
#define MAX_UPLOAD 65536
#define QUOTA 200000
#define BOUNDARY "----RoundsTestBoundary7MA4YWxkTrZu0gW"
#define DAY 86400LL

/* ---- users and the world ---- */

struct world {
    struct api_server *srv;
    struct db_conn *db;
    struct user staff;
    struct user coord_a;  /* host coordinator of host A */
    struct user precep_a; /* the preceptor of offering A */
    struct user stray;    /* a preceptor-role member of host A, not offering A's preceptor */
    struct user coord_b;  /* host coordinator of host B */
    struct user coord_c;  /* host coordinator of host C (the one with requirements) */
    struct user school;   /* a school coordinator */
    char org_a[64], org_b[64], org_c[64], org_school[64];
    char site_a[64], site_b[64], site_c[64], prc_a[64], prc_b[64], prc_c[64];
    char offering_a[64], offering_b[64], offering_c[64], offering_c2[64];
    int next_block;
};

static struct api_server server;
static struct world W;

/* A request as u (NULL: anonymous) with an optional JSON body. */
static long call(struct api_response *r, const struct user *u, const char *method, const char *path, const char *body)
{
    const char *headers[2] = {u != NULL ? u->auth : NULL, NULL};
    return api_request(r, method, path, headers, body);
}

/* The suite's preceptor records: the rotation suites' internal-medicine ones. */
#define DOCS_PRECEPTOR \
    ((struct world_preceptor_fields){"Dr. Amal Rahman", "internal-medicine", "NY", "LIC-20931", "prcdoc", NULL})

static bool create_offering(const struct user *u, const char *org, const char *site, const char *prc,
                            const char *title, char *id_out)
{
    return create_object(u, "/api/v1/offerings", world_medicine_offering_body(org, site, prc, title, "hands_on"),
                         id_out);
}

static bool create_site(const struct user *staff, const char *org, const char *name, char *id_out)
{
    const struct world_place place = {name, NULL, "Brooklyn", "NY", "11201"};
    return world_site(staff, org, &place, id_out);
}

/* Staff (from the CLI), three hosts and a school with their people, sites,
 * preceptors and offerings (parts from api_world.h). */
static bool world_setup(struct world *w, struct api_server *srv)
{
    memset(w, 0, sizeof(*w));
    w->srv = srv;
    if (!world_staff(srv, &w->db, &w->staff, "staffdoc", "docs"))
        return false;
    long pid = (long)getpid();
    long long now = (long long)time(NULL);
    if (!world_org(&w->staff, "host", w->org_a, "Mercy General docs %ld %lld", pid, now) ||
        !world_org(&w->staff, "host", w->org_b, "Lakeside Clinic docs %ld %lld", pid, now) ||
        !world_org(&w->staff, "host", w->org_c, "Harbor Hospital docs %ld %lld", pid, now) ||
        !world_org(&w->staff, "school", w->org_school, "Caribbean School of Medicine docs %ld %lld", pid, now))
        return false;
    if (!world_member(&w->staff, &w->coord_a, "coorda", "docs", "host_coordinator", w->org_a) ||
        !world_member(&w->staff, &w->precep_a, "precepa", "docs", "preceptor", w->org_a) ||
        !world_member(&w->staff, &w->stray, "stray", "docs", "preceptor", w->org_a) ||
        !world_member(&w->staff, &w->coord_b, "coordb", "docs", "host_coordinator", w->org_b) ||
        !world_member(&w->staff, &w->coord_c, "coordc", "docs", "host_coordinator", w->org_c) ||
        !world_member(&w->staff, &w->school, "schoolc", "docs", "school_coordinator", w->org_school))
        return false;
    if (!create_site(&w->staff, w->org_a, "Main campus", w->site_a) ||
        !create_site(&w->staff, w->org_b, "Lakeside", w->site_b) ||
        !create_site(&w->staff, w->org_c, "Harbor", w->site_c))
        return false;
    if (!world_preceptor_record(&w->staff, w->org_a, w->precep_a.id, &DOCS_PRECEPTOR, w->prc_a) ||
        !world_preceptor_record(&w->staff, w->org_b, NULL, &DOCS_PRECEPTOR, w->prc_b) ||
        !world_preceptor_record(&w->staff, w->org_c, NULL, &DOCS_PRECEPTOR, w->prc_c))
        return false;
    return create_offering(&w->coord_a, w->org_a, w->site_a, w->prc_a, "Internal Medicine Clerkship docs",
                           w->offering_a) &&
           create_offering(&w->coord_b, w->org_b, w->site_b, w->prc_b, "Lakeside Outpatient docs", w->offering_b) &&
           create_offering(&w->coord_c, w->org_c, w->site_c, w->prc_c, "Harbor Inpatient Medicine docs",
                           w->offering_c) &&
           create_offering(&w->coord_c, w->org_c, w->site_c, w->prc_c, "Harbor Outpatient Medicine docs",
                           w->offering_c2);
}

/* ---- dates, blocks, applications ---- */

static void date_in(int days, char out[11])
{
    clock_date_from_days(clock_today_days() + days, out);
}

static bool new_block(struct world *w, const char *offering, char *id_out)
{
    int k = w->next_block++;
    return steps_block(&w->staff, offering, 30 + 7 * (k % 40), 5, 20, id_out);
}

static bool apply_for(const struct user *s, const char *block, char *app_out)
{
    struct api_response r;
    bool ok = post_as(&r, s, "/api/v1/applications", json_pack("{s:s,s:s}", "block_id", block, "statement",
                                                                  "I am keen on inpatient medicine."),
                      201);
    if (ok)
        snprintf(app_out, 64, "%s", api_json_str(r.json, "id") ? api_json_str(r.json, "id") : "");
    api_free(&r);
    return ok;
}

static long act(struct api_response *r, const struct user *u, const char *app, const char *action)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/%s", app, action);
    return call(r, u, "POST", path, "{}");
}

/* offer (the host coordinator) → accept (the student) → the student pays the full price (the demo
 * provider), which books the seat: no balance is left to release later. */
static bool book(const struct user *coord, const struct user *s, const char *app)
{
    if (!steps_act(coord, app, "offer") || !steps_act(s, app, "accept"))
        return false;
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/checkout", app);
    struct api_response r;
    bool ok = post_as(&r, s, path, json_pack("{s:s,s:s}", "method", "demo", "plan", "full"), 201);
    api_free(&r);
    return ok;
}

/* ---- the test hooks ---- */

/* Moves the server's clock (days from now); sessions idle at most 30 days, so
 * the people of the world and the given student sign in again afterwards. */
static void set_clock_days(long long days, struct user *student)
{
    struct user *const people[] = {&W.staff,  &W.coord_a, &W.precep_a, &W.stray, &W.coord_b,
                                   &W.coord_c, &W.school,  student,     NULL};
    steps_set_clock_signed_in(days * DAY, people);
}

/* Runs the jobs once; the number of document reminders they sent (-1 on failure). */
static long long run_jobs(void)
{
    return hooks_run_jobs_count("document_reminders");
}

/* ---- file contents ---- */

/* A PDF of len bytes (≥ 64) holding marker, unique per call. */
static char *make_pdf(size_t len, const char *marker)
{
    char *d = malloc(len);
    if (d == NULL)
        return NULL;
    randombytes_buf(d, len);
    int n = snprintf(d, len, "%%PDF-1.7\n%%%s\n", marker != NULL ? marker : "rounds test");
    for (size_t i = (size_t)n; i + 8 < len; i++)
        if (d[i] == '%' || d[i] == '\0')
            d[i] = 'x';
    memcpy(d + len - 7, "%%EOF\n\n", 7);
    return d;
}

static const unsigned char png_magic[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
static const unsigned char jpeg_magic[] = {0xff, 0xd8, 0xff, 0xe0};

/* Bytes starting with magic, then random filler. */
static char *make_with_magic(size_t len, const void *magic, size_t magic_len)
{
    char *d = malloc(len);
    if (d == NULL)
        return NULL;
    randombytes_buf(d, len);
    memcpy(d, magic, magic_len);
    return d;
}

/* ---- multipart ---- */

struct part {
    const char *name;
    const char *filename; /* NULL: a text field */
    const char *type;     /* the part's Content-Type, or NULL */
    const char *data;     /* text (NUL-terminated) when len is 0 */
    size_t len;
};

static void grow_append(char **body, size_t *len, size_t *cap, const void *data, size_t n)
{
    if (*body == NULL)
        return;
    if (*len + n + 1 > *cap) {
        size_t c = (*len + n + 1) * 2;
        char *bigger = realloc(*body, c);
        if (bigger == NULL) {
            free(*body);
            *body = NULL;
            return;
        }
        *body = bigger;
        *cap = c;
    }
    memcpy(*body + *len, data, n);
    *len += n;
    (*body)[*len] = '\0';
}

static char *multipart_body(const struct part *parts, size_t n, size_t *len_out)
{
    size_t len = 0, cap = 1024;
    char *body = malloc(cap);
    char head[1024];
    for (size_t i = 0; i < n; i++) {
        const struct part *p = &parts[i];
        int h;
        if (p->filename != NULL)
            h = snprintf(head, sizeof(head), "--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n",
                         BOUNDARY, p->name, p->filename);
        else
            h = snprintf(head, sizeof(head), "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n", BOUNDARY,
                         p->name);
        grow_append(&body, &len, &cap, head, (size_t)h);
        if (p->type != NULL) {
            h = snprintf(head, sizeof(head), "Content-Type: %s\r\n", p->type);
            grow_append(&body, &len, &cap, head, (size_t)h);
        }
        grow_append(&body, &len, &cap, "\r\n", 2);
        size_t data_len = p->len > 0 ? p->len : (p->data != NULL ? strlen(p->data) : 0);
        grow_append(&body, &len, &cap, p->data != NULL ? p->data : "", data_len);
        grow_append(&body, &len, &cap, "\r\n", 2);
    }
    grow_append(&body, &len, &cap, "--" BOUNDARY "--\r\n", strlen("--" BOUNDARY "--\r\n"));
    *len_out = len;
    return body;
}

static long send_parts(struct api_response *r, const struct user *u, const struct part *parts, size_t n)
{
    size_t len = 0;
    char *body = multipart_body(parts, n, &len);
    const char *headers[] = {u->auth, "Content-Type: multipart/form-data; boundary=" BOUNDARY, NULL};
    struct api_raw_request rq = {"POST", "/api/v1/documents", headers, body, len, true};
    long status = api_send(r, &rq);
    free(body);
    return status;
}

struct doc_fields {
    const char *kind, *issued_on, *expires_on, *replaces;
};

/* Uploads one file with the given fields (NULL ones left out). */
static long upload(struct api_response *r, const struct user *u, const struct doc_fields *f, const char *filename,
                   const char *type, const char *data, size_t len)
{
    struct part parts[6];
    size_t n = 0;
    if (f->kind != NULL)
        parts[n++] = (struct part){"kind", NULL, NULL, f->kind, 0};
    if (f->issued_on != NULL)
        parts[n++] = (struct part){"issued_on", NULL, NULL, f->issued_on, 0};
    if (f->expires_on != NULL)
        parts[n++] = (struct part){"expires_on", NULL, NULL, f->expires_on, 0};
    if (f->replaces != NULL)
        parts[n++] = (struct part){"replaces", NULL, NULL, f->replaces, 0};
    parts[n++] = (struct part){"file", filename, type, data, len};
    return send_parts(r, u, parts, n);
}

/* Uploads a fresh PDF of `size` bytes; the new document's id into id_out (64). */
static bool upload_pdf(const struct user *u, const struct doc_fields *f, size_t size, char *id_out)
{
    char *pdf = make_pdf(size, "upload");
    struct api_response r;
    upload(&r, u, f, "document.pdf", "application/pdf", pdf, size);
    free(pdf);
    bool ok = r.status == 201 && api_json_str(r.json, "id") != NULL;
    if (!ok)
        TEST_FAILF("uploading a %s answered %ld: %.400s", f->kind, r.status, r.body);
    else if (id_out != NULL)
        snprintf(id_out, 64, "%s", api_json_str(r.json, "id"));
    api_free(&r);
    return ok;
}

/* ---- files on disk ---- */

static int walk_count;
static bool walk_all_hex;
static char walk_skip[512];

static bool is_hex64(const char *s)
{
    if (strlen(s) != 64)
        return false;
    for (const char *p = s; *p != '\0'; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

static int walk_files(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    if (flag == FTW_F) {
        walk_count++;
        if (!is_hex64(path + ftw->base))
            walk_all_hex = false;
    }
    return 0;
}

/* Regular files under DATA_DIR/files (and whether every one is named by a 64-hex address). */
static int files_on_disk(bool *all_hex)
{
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/data/files", W.srv->dir);
    walk_count = 0;
    walk_all_hex = true;
    nftw(dir, walk_files, 16, FTW_PHYS);
    if (all_hex != NULL)
        *all_hex = walk_all_hex;
    return walk_count;
}

static int walk_outside(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    const char *name = path + ftw->base;
    size_t n = strlen(name);
    bool sidecar = (n > 4 && strcmp(name + n - 4, "-wal") == 0) || (n > 4 && strcmp(name + n - 4, "-shm") == 0) ||
                   (n > 8 && strcmp(name + n - 8, "-journal") == 0);
    if (flag == FTW_F && strncmp(path, walk_skip, strlen(walk_skip)) != 0 && !sidecar)
        walk_count++;
    return 0;
}

/* Regular files in the server's folder outside DATA_DIR/files (SQLite's sidecars left out). */
static int files_outside(void)
{
    snprintf(walk_skip, sizeof(walk_skip), "%s/data/files/", W.srv->dir);
    walk_count = 0;
    nftw(W.srv->dir, walk_outside, 16, FTW_PHYS);
    return walk_count;
}

/* The path of a document's sealed file (from its blob address in the database). */
static bool blob_path(const char *doc, char *out, size_t size)
{
    char *blob = api_db_text(W.db, "SELECT blob FROM documents WHERE id = $1", doc, NULL, NULL);
    bool ok = blob != NULL && is_hex64(blob);
    if (ok)
        snprintf(out, size, "%s/data/files/%.2s/%s", W.srv->dir, blob, blob);
    else
        TEST_FAILF("document %s has no 64-hex blob address (%s)", doc, blob != NULL ? blob : "none");
    free(blob);
    return ok;
}

static long long documents_of(const char *student)
{
    return api_db_int(W.db, "SELECT COUNT(*) FROM documents WHERE student_id = $1", student, NULL);
}

static long long notifications_of(const char *user)
{
    /* Notices told: a grouped notification stands for several. */
    return api_db_int(W.db, "SELECT COALESCE(SUM(notice_count), 0) FROM notifications WHERE user_id = $1", user, NULL);
}

static long long file_reads(const char *actor, const char *doc)
{
    return api_db_int(W.db,
                      "SELECT COUNT(*) FROM audit_events WHERE actor_id = $1 AND object_id = $2 "
                      "AND action = 'document.read'",
                      actor, doc);
}

static long get_doc(struct api_response *r, const struct user *u, const char *doc)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/documents/%s", doc);
    return call(r, u, "GET", path, NULL);
}

static long get_file(struct api_response *r, const struct user *u, const char *doc, const char *query)
{
    char path[240];
    snprintf(path, sizeof(path), "/api/v1/documents/%s/file%s", doc, query != NULL ? query : "");
    return call(r, u, "GET", path, NULL);
}

static long doc_action(struct api_response *r, const struct user *u, const char *doc, const char *action,
                       const char *body)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/documents/%s/%s", doc, action);
    return call(r, u, "POST", path, body);
}

static bool verify_ok(const char *doc)
{
    struct api_response r;
    doc_action(&r, &W.staff, doc, "verify", NULL);
    bool ok = r.status == 200;
    if (!ok)
        TEST_FAILF("verifying %s answered %ld: %.300s", doc, r.status, r.body);
    api_free(&r);
    return ok;
}

static bool attach(const struct user *s, const char *app, const char *doc)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/documents", app);
    struct api_response r;
    bool ok = post_as(&r, s, path, json_pack("{s:[s]}", "document_ids", doc), 200);
    api_free(&r);
    return ok;
}

/* How many headers of that name the reply has. */
static int header_count(const struct api_response *r, const char *name)
{
    int n = 0;
    for (size_t i = 0; i < r->header_count; i++)
        n += strcasecmp(r->headers[i].name, name) == 0;
    return n;
}

static bool memmem_has(const char *hay, size_t hay_len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; hay_len >= n && i <= hay_len - n; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return true;
    return false;
}

/* ---- the caps ---- */

/* Whether the server's log has a line holding both a and b. */
static bool log_has(const char *a, const char *b)
{
    char *log = api_read_file(W.srv->log_path, NULL);
    bool found = false;
    for (char *line = log; line != NULL && *line != '\0' && !found;) {
        char *nl = strchr(line, '\n');
        if (nl != NULL)
            *nl = '\0';
        found = strstr(line, a) != NULL && strstr(line, b) != NULL;
        line = nl != NULL ? nl + 1 : NULL;
    }
    free(log);
    return found;
}


TEST(a_file_over_the_cap_is_413_and_leaves_nothing)
{
    struct user s;
    if (!register_student(&s, "cap"))
        return;
    int files_before = files_on_disk(NULL);
    struct doc_fields f = {"passport", NULL, NULL, NULL};
    struct api_response r;

    /* Just over --max-upload: the body fits the route, the domain refuses it. */
    char *pdf = make_pdf(MAX_UPLOAD + 1, "over the cap");
    upload(&r, &s, &f, "passport.pdf", "application/pdf", pdf, MAX_UPLOAD + 1);
    CHECK_PROBLEM(&r, 413, "payload_too_large", "file");
    api_free(&r);
    free(pdf);

    /* Over the route's body cap (max upload + 64 KiB): the pipeline refuses
     * it, naming the limit, and logs it. */
    pdf = make_pdf(MAX_UPLOAD * 3, "far over the cap");
    upload(&r, &s, &f, "passport.pdf", "application/pdf", pdf, MAX_UPLOAD * 3);
    CHECK_PROBLEM(&r, 413, "payload_too_large", "file");
    CHECK_CONTAINS(api_json_str(r.json, "detail"), "64 KiB (65536 bytes)");
    api_free(&r);
    free(pdf);
    CHECK(log_has("msg=\"body over the limit\"", "path=/api/v1/documents body_bytes="));

    /* Exactly the cap is fine. */
    pdf = make_pdf(MAX_UPLOAD, "at the cap");
    upload(&r, &s, &f, "passport.pdf", "application/pdf", pdf, MAX_UPLOAD);
    CHECK_INT(r.status, 201);
    CHECK_INT(api_json_int(r.json, "size", -1), MAX_UPLOAD);
    api_free(&r);
    free(pdf);

    CHECK_INT(documents_of(s.id), 1);
    CHECK_INT(files_on_disk(NULL), files_before + 1);
}

static char declared_reply[4096];

/* Sends only the headers of an upload to path declaring a huge body; the
 * reply's status (0 when none came), its text in declared_reply. */
static int declared_length_status_at(const struct user *u, const char *path, const char *length)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)W.srv->port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int status = 0;
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
        goto out;
    char head[1024];
    int n = snprintf(head, sizeof(head),
                     "POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s\r\n"
                     "Content-Type: multipart/form-data; boundary=" BOUNDARY "\r\nContent-Length: %s\r\n\r\n",
                     path, W.srv->port, path[1] == 'a' ? u->auth : u->cookie, length);
    if (send(fd, head, (size_t)n, MSG_NOSIGNAL) != n)
        goto out;
    /* Not one byte of the body: the whole reply must come anyway (the
     * server closes the connection after it). */
    char *reply = declared_reply;
    size_t got = 0;
    double deadline = api_now_ms() + 5000;
    while (got < sizeof(declared_reply) - 1 && api_now_ms() < deadline) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 200) <= 0)
            continue;
        ssize_t k = recv(fd, reply + got, sizeof(declared_reply) - 1 - got, 0);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    reply[got] = '\0';
    if (strncmp(reply, "HTTP/1.1 ", 9) == 0)
        status = (int)strtol(reply + 9, NULL, 10);
out:
    close(fd);
    return status;
}

static int declared_length_status(const struct user *u, const char *length)
{
    return declared_length_status_at(u, "/api/v1/documents", length);
}

TEST(a_declared_length_far_over_every_cap_is_413_before_the_body)
{
    struct user s;
    if (!register_student(&s, "declared"))
        return;
    int files_before = files_on_disk(NULL);
    CHECK_INT(declared_length_status(&s, "1073741824"), 413);
    /* Rounds' own problem, naming the limit, not h2o's plain text. */
    CHECK_CONTAINS(declared_reply, "content-type: application/problem+json");
    CHECK_CONTAINS(declared_reply, "\"code\":\"payload_too_large\"");
    CHECK_CONTAINS(declared_reply, "\"field\":\"file\"");
    CHECK_CONTAINS(declared_reply, "64 KiB (65536 bytes)");
    CHECK_CONTAINS(declared_reply, "Connection: close");
    CHECK_INT(declared_length_status(&s, "99999999999"), 413);
    CHECK(log_has("msg=\"body over the limit\"", "path=/api/v1/documents declared_over_bytes="));
    CHECK_INT(documents_of(s.id), 0);
    CHECK_INT(files_on_disk(NULL), files_before);
    /* The server still serves. */
    struct api_response r;
    CHECK_INT(call(&r, &s, "GET", "/api/v1/documents", NULL), 200);
    api_free(&r);
}

/* POSTs parts (the session's CSRF token first) as a page form to path with u's cookie. */
static long send_page_parts(struct api_response *r, const struct user *u, const char *path, const struct part *parts,
                            size_t n)
{
    struct part all[8];
    all[0] = (struct part){"csrf_token", NULL, NULL, u->csrf, 0};
    for (size_t i = 0; i < n && i + 1 < sizeof(all) / sizeof(all[0]); i++)
        all[i + 1] = parts[i];
    size_t len = 0;
    char *body = multipart_body(all, n + 1, &len);
    const char *headers[] = {u->cookie, "Content-Type: multipart/form-data; boundary=" BOUNDARY, NULL};
    struct api_raw_request rq = {"POST", path, headers, body, len, true};
    long status = api_send(r, &rq);
    free(body);
    return status;
}

TEST(an_upload_page_over_the_limit_shows_its_form_again_with_the_limit)
{
    struct user s;
    if (!register_student(&s, "pagecap"))
        return;
    int files_before = files_on_disk(NULL);
    struct api_response r;

    /* A little over the route's cap: the body is read, so the form comes
     * back with everything typed, the limit named at the file. */
    size_t size = 1024 * 1024;
    char *pdf = make_pdf(size, "page over the cap");
    struct part parts[] = {
        {"kind", NULL, NULL, "passport", 0},
        {"issued_on", NULL, NULL, "2024-03-01", 0},
        {"expires_on", NULL, NULL, "2034-02-28", 0},
        {"file", "passport.pdf", "application/pdf", pdf, size},
    };
    CHECK_INT(send_page_parts(&r, &s, "/wallet", parts, 4), 413);
    CHECK_CONTAINS(api_header(&r, "content-type"), "text/html");
    CHECK_CONTAINS(r.body, "id=\"error-summary\"");
    CHECK_CONTAINS(r.body, "This file is larger than the limit of 64 KB");
    CHECK_CONTAINS(r.body, "<option value=\"passport\" selected>");
    CHECK_CONTAINS(r.body, "value=\"2024-03-01\"");
    CHECK_CONTAINS(r.body, "value=\"2034-02-28\"");
    CHECK_CONTAINS(r.body, "accept=\"application/pdf,image/png,image/jpeg\"");
    CHECK_CONTAINS(r.body, "PDF, PNG or JPEG, at most 64 KB");
    api_free(&r);
    free(pdf);
    CHECK(log_has("msg=\"body over the limit\"", "path=/wallet body_bytes="));

    /* Without the session's CSRF token the over-long body changes nothing either. */
    char *big = make_pdf(size, "no token");
    struct part no_token[] = {{"kind", NULL, NULL, "passport", 0}, {"file", "p.pdf", "application/pdf", big, size}};
    size_t len = 0;
    char *body = multipart_body(no_token, 2, &len);
    const char *headers[] = {s.cookie, "Content-Type: multipart/form-data; boundary=" BOUNDARY, NULL};
    struct api_raw_request rq = {"POST", "/wallet", headers, body, len, true};
    CHECK_INT(api_send(&r, &rq), 403);
    api_free(&r);
    free(body);
    free(big);

    /* A new version of a document, a little over: its page with the replace form. */
    char doc[64];
    struct doc_fields f = {"passport", NULL, NULL, NULL};
    if (!upload_pdf(&s, &f, 1000, doc))
        return;
    char path[128];
    snprintf(path, sizeof(path), "/wallet/%s/replace", doc);
    pdf = make_pdf(size, "replace over the cap");
    struct part replace[] = {{"expires_on", NULL, NULL, "2035-01-31", 0},
                             {"file", "passport.pdf", "application/pdf", pdf, size}};
    CHECK_INT(send_page_parts(&r, &s, path, replace, 2), 413);
    CHECK_CONTAINS(r.body, "Upload a new version");
    CHECK_CONTAINS(r.body, "This file is larger than the limit of 64 KB");
    CHECK_CONTAINS(r.body, "value=\"2035-01-31\"");
    api_free(&r);
    free(pdf);

    /* Far over every cap: refused from the declared length before the body
     * (nothing typed is known then): Rounds' page naming the limit with the
     * way back to the form, not h2o's plain text. */
    CHECK_INT(declared_length_status_at(&s, "/wallet", "1073741824"), 413);
    CHECK_CONTAINS(declared_reply, "content-type: text/html");
    CHECK_CONTAINS(declared_reply, "the file is larger than the limit of 64 KiB (65536 bytes)");
    CHECK_CONTAINS(declared_reply, "<a href=\"/wallet\">Back to the form</a>");
    CHECK(log_has("msg=\"body over the limit\"", "path=/wallet declared_over_bytes="));
    CHECK_INT(declared_length_status_at(&s, path, "1073741824"), 413);
    CHECK_CONTAINS(declared_reply, "64 KiB (65536 bytes)");
    char back[160];
    snprintf(back, sizeof(back), "<a href=\"/wallet/%s\">Back to the form</a>", doc);
    CHECK_CONTAINS(declared_reply, back);

    /* Signed out: a plain page naming the limit. */
    struct user nobody = {0};
    snprintf(nobody.cookie, sizeof(nobody.cookie), "Cookie: rounds_session=none");
    CHECK_INT(declared_length_status_at(&nobody, "/wallet", "1073741824"), 413);
    CHECK_CONTAINS(declared_reply, "content-type: text/html");
    CHECK_CONTAINS(declared_reply, "64 KiB (65536 bytes)");

    /* Only the one document uploaded on purpose, in one version. */
    CHECK_INT(documents_of(s.id), 1);
    CHECK_INT(files_on_disk(NULL), files_before + 1);
    CHECK_INT(call(&r, &s, "GET", "/api/v1/documents", NULL), 200);
    api_free(&r);
}

/* ---- what the bytes are ---- */

TEST(spoofed_types_are_415_and_leave_nothing)
{
    struct user s;
    if (!register_student(&s, "spoof"))
        return;
    int files_before = files_on_disk(NULL);
    struct doc_fields f = {"passport", NULL, NULL, NULL};
    static const char html[] = "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>";
    static const char gif[] = "GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00";
    char *png = make_with_magic(2048, png_magic, sizeof(png_magic));
    char *jpeg = make_with_magic(2048, jpeg_magic, sizeof(jpeg_magic));
    char *pdf = make_pdf(2048, "declared as png");
    static const char pdf_inside_html[] = "<html>%PDF-1.7\n</html>";
    const struct {
        const char *what, *filename, *type, *data;
        size_t len;
    } cases[] = {
        {"HTML named .pdf declared PDF", "passport.pdf", "application/pdf", html, sizeof(html) - 1},
        {"HTML declared HTML", "passport.html", "text/html", html, sizeof(html) - 1},
        {"PNG declared PDF", "passport.pdf", "application/pdf", png, 2048},
        {"JPEG declared PNG", "passport.png", "image/png", jpeg, 2048},
        {"PDF declared PNG", "passport.png", "image/png", pdf, 2048},
        {"GIF declared GIF", "passport.gif", "image/gif", gif, sizeof(gif) - 1},
        {"GIF declared PNG", "passport.png", "image/png", gif, sizeof(gif) - 1},
        {"a PDF header after other bytes", "passport.pdf", "application/pdf", pdf_inside_html,
         sizeof(pdf_inside_html) - 1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct api_response r;
        upload(&r, &s, &f, cases[i].filename, cases[i].type, cases[i].data, cases[i].len);
        if (r.status != 415)
            printf("  case: %s\n", cases[i].what);
        CHECK_PROBLEM(&r, 415, "unsupported_media_type", "file");
        api_free(&r);
    }
    CHECK_INT(documents_of(s.id), 0);
    CHECK_INT(files_on_disk(NULL), files_before);

    /* The three accepted types, declared truly (parameters of the type are ignored). */
    struct api_response r;
    upload(&r, &s, &f, "passport.png", "image/png", png, 2048);
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "media_type"), "image/png");
    api_free(&r);
    struct doc_fields cv = {"cv", NULL, NULL, NULL};
    upload(&r, &s, &cv, "cv.jpg", "image/jpeg", jpeg, 2048);
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "media_type"), "image/jpeg");
    api_free(&r);
    struct doc_fields dean = {"dean-letter", NULL, NULL, NULL};
    upload(&r, &s, &dean, "letter.pdf", "application/pdf; name=letter.pdf", pdf, 2048);
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "media_type"), "application/pdf");
    api_free(&r);
    CHECK_INT(documents_of(s.id), 3);
    free(png);
    free(jpeg);
    free(pdf);
}

TEST(path_tricks_in_file_names_write_nothing_outside_the_files_folder)
{
    struct user s;
    if (!register_student(&s, "paths"))
        return;
    int outside_before = files_outside();
    const struct {
        const char *sent, *shown;
    } cases[] = {
        {"../../../etc/passwd.pdf", "passwd.pdf"},
        {"/etc/shadow.pdf", "shadow.pdf"},
        {"..%2F..%2Fboot.pdf", NULL},
        {"....//....//x.pdf", "x.pdf"},
        {"a\\..\\..\\win.pdf", NULL},
        {"..", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *pdf = make_pdf(1024, cases[i].sent);
        struct doc_fields f = {"cv", NULL, NULL, NULL};
        struct api_response r;
        upload(&r, &s, &f, cases[i].sent, "application/pdf", pdf, 1024);
        free(pdf);
        if (r.status != 201) {
            TEST_FAILF("file name \"%s\" answered %ld: %.300s", cases[i].sent, r.status, r.body);
            api_free(&r);
            continue;
        }
        const char *shown = api_json_str(r.json, "file_name");
        CHECK(shown != NULL && shown[0] != '\0');
        if (cases[i].shown != NULL)
            CHECK_STR(shown, cases[i].shown);
        CHECK(shown != NULL && strchr(shown, '/') == NULL);
        CHECK(shown != NULL && strcmp(shown, "..") != 0);
        CHECK(json_object_get(r.json, "blob") == NULL);
        char doc[64], path[700];
        snprintf(doc, sizeof(doc), "%s", api_json_str(r.json, "id"));
        api_free(&r);
        /* Stored under its content address, not under the name sent. */
        if (blob_path(doc, path, sizeof(path)))
            CHECK(access(path, R_OK) == 0);
        char *db_name = api_db_text(W.db, "SELECT file_name FROM documents WHERE id = $1", doc, NULL, NULL);
        CHECK(db_name != NULL && strchr(db_name, '/') == NULL);
        free(db_name);
    }
    bool all_hex = false;
    files_on_disk(&all_hex);
    CHECK(all_hex);
    CHECK_INT(files_outside(), outside_before);
    char path[600];
    snprintf(path, sizeof(path), "%s/etc/passwd.pdf", W.srv->dir);
    CHECK(access(path, F_OK) != 0);
    snprintf(path, sizeof(path), "%s/data/etc/passwd.pdf", W.srv->dir);
    CHECK(access(path, F_OK) != 0);
    CHECK(access("/tmp/etc/passwd.pdf", F_OK) != 0);
}

TEST(files_are_sealed_at_rest_and_come_back_whole)
{
    struct user s;
    if (!register_student(&s, "sealed"))
        return;
    static const char marker[] = "ROUNDS-PLAINTEXT-MARKER-7f3a9c";
    size_t len = 20000;
    char *pdf = make_pdf(len, marker);
    /* The marker again in the middle, as a file would hold a name or a number. */
    memcpy(pdf + len / 2, marker, sizeof(marker) - 1);
    struct doc_fields f = {"passport", "2021-03-04", "2031-03-03", NULL};
    struct api_response r;
    upload(&r, &s, &f, "Reisepass Müller final.pdf", "application/pdf", pdf, len);
    CHECK_INT(r.status, 201);
    char doc[64] = "";
    if (api_json_str(r.json, "id") != NULL)
        snprintf(doc, sizeof(doc), "%s", api_json_str(r.json, "id"));
    CHECK_STR(api_json_str(r.json, "kind"), "passport");
    CHECK_STR(api_json_str(r.json, "kind_name"), "Passport");
    CHECK_STR(api_json_str(r.json, "state"), "uploaded");
    CHECK(api_json_str(r.json, "state_label") != NULL);
    CHECK_STR(api_json_str(r.json, "issued_on"), "2021-03-04");
    CHECK_STR(api_json_str(r.json, "expires_on"), "2031-03-03");
    CHECK_INT(api_json_int(r.json, "size", -1), (long long)len);
    CHECK_STR(api_json_str(r.json, "media_type"), "application/pdf");
    CHECK_STR(api_json_str(r.json, "student.id"), s.id);
    CHECK(json_is_null(api_json_get(r.json, "reviewed_at")));
    CHECK(json_is_null(api_json_get(r.json, "replaces")));
    CHECK(json_object_get(r.json, "blob") == NULL);
    CHECK(strstr(r.body, "blob") == NULL);
    api_free(&r);
    if (doc[0] == '\0') {
        free(pdf);
        return;
    }

    char path[700];
    if (blob_path(doc, path, sizeof(path))) {
        size_t disk_len = 0;
        char *disk = api_read_file(path, &disk_len);
        CHECK(disk != NULL);
        if (disk != NULL) {
            CHECK(disk_len > len); /* header and tags */
            CHECK(disk_len != len || memcmp(disk, pdf, len) != 0);
            CHECK(!memmem_has(disk, disk_len, marker));
            CHECK(!memmem_has(disk, disk_len, "%PDF"));
        }
        free(disk);
    }

    get_file(&r, &s, doc, NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.body_len, len);
    CHECK(r.body_len == len && memcmp(r.body, pdf, len) == 0);
    CHECK_STR(api_header(&r, "content-type"), "application/pdf");
    const char *cd = api_header(&r, "content-disposition");
    CHECK_CONTAINS(cd, "attachment; filename=\"");
    CHECK_CONTAINS(cd, "filename*=UTF-8''Reisepass%20M%C3%BCller%20final.pdf");
    CHECK(cd != NULL && strchr(cd + strlen("attachment; filename=\""), '"') != NULL);
    CHECK_STR(api_header(&r, "x-content-type-options"), "nosniff");
    CHECK_INT(header_count(&r, "x-content-type-options"), 1);
    CHECK_STR(api_header(&r, "cache-control"), "private, no-store");
    CHECK_INT(header_count(&r, "cache-control"), 1);
    CHECK_INT(header_count(&r, "content-security-policy"), 1);
    CHECK_CONTAINS(api_header(&r, "content-security-policy"), "default-src 'none'");
    CHECK_CONTAINS(api_header(&r, "content-security-policy"), "frame-ancestors 'self'");
    CHECK_CONTAINS(api_header(&r, "content-security-policy"), "sandbox");
    CHECK_STR(api_header(&r, "x-frame-options"), "SAMEORIGIN");
    CHECK_INT(header_count(&r, "x-frame-options"), 1);
    api_free(&r);

    /* Inline for the staff viewer: the same bytes, shown rather than saved. */
    get_file(&r, &s, doc, "?disposition=inline");
    CHECK_INT(r.status, 200);
    CHECK(r.body_len == len && memcmp(r.body, pdf, len) == 0);
    CHECK_CONTAINS(api_header(&r, "content-disposition"), "inline; filename=\"");
    CHECK_STR(api_header(&r, "x-content-type-options"), "nosniff");
    api_free(&r);
    get_file(&r, &s, doc, "?disposition=download");
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "disposition");
    api_free(&r);
    get_file(&r, &s, doc, "?size=full");
    CHECK_PROBLEM(&r, 400, "unknown_parameter", "size");
    api_free(&r);
    /* Pages keep their own, stricter defaults. */
    call(&r, &s, "GET", "/api/v1/documents", NULL);
    CHECK_CONTAINS(api_header(&r, "content-security-policy"), "frame-ancestors 'none'");
    CHECK_STR(api_header(&r, "x-frame-options"), "DENY");
    CHECK_STR(api_header(&r, "cache-control"), "no-store");
    api_free(&r);
    free(pdf);
}

/* Writes plain, sealed with the server's file key, over the file at path
 * (as if it had been uploaded: uploads are capped at 64 KiB here). */
static bool seal_over(const char *path, const char *plain, size_t len)
{
    char key_path[400], why[256], tmp[760];
    unsigned char key[SEALED_KEY_BYTES];
    snprintf(key_path, sizeof(key_path), "%s/data/file.key", W.srv->dir);
    if (sealed_key_load(key_path, key, why, sizeof(why)) != 0) {
        TEST_FAILF("cannot load the file key: %s", why);
        return false;
    }
    size_t size = sealed_size(len), written = 0;
    unsigned char *sealed = malloc(size);
    bool ok = sealed != NULL && sealed_seal(key, plain, len, sealed, size, &written) == 0;
    snprintf(tmp, sizeof(tmp), "%s.test", path);
    FILE *f = ok ? fopen(tmp, "wb") : NULL;
    ok = f != NULL && fwrite(sealed, 1, written, f) == written;
    if (f != NULL)
        ok = fclose(f) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok)
        TEST_FAILF("cannot write a sealed file over %s", path);
    free(sealed);
    sodium_memzero(key, sizeof(key));
    return ok;
}

/* Flips one byte of the file at path. */
static bool flip_byte_at(const char *path, long at)
{
    FILE *f = fopen(path, "r+b");
    int c = EOF;
    if (f != NULL && fseek(f, at, SEEK_SET) == 0 && (c = fgetc(f)) != EOF && fseek(f, at, SEEK_SET) == 0)
        fputc(c ^ 0x20, f);
    bool ok = f != NULL && c != EOF && fclose(f) == 0;
    if (!ok)
        TEST_FAILF("cannot change byte %ld of %s", at, path);
    return ok;
}

/* GET path as u on a raw connection: reads about `keep` bytes of the reply,
 * then hangs up. The bytes read. */
static size_t get_and_hang_up(const struct user *u, const char *path, size_t keep)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    size_t got = 0;
    if (fd < 0)
        return 0;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)W.srv->port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    char head[1024], buf[16384];
    int n = snprintf(head, sizeof(head), "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s\r\n\r\n", path, W.srv->port,
                     u->auth);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || send(fd, head, (size_t)n, MSG_NOSIGNAL) != n)
        goto out;
    double deadline = api_now_ms() + 5000;
    while (got < keep && api_now_ms() < deadline) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 200) <= 0)
            continue;
        ssize_t k = recv(fd, buf, sizeof(buf), 0);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
out:
    close(fd);
    return got;
}

static void sha256_hex(const char *data, size_t len, char out[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)data, len);
    sodium_bin2hex(out, 65, digest, sizeof(digest));
}

/* Downloads are sent while the sealed file is opened, a chunk at a time: a
 * file of several MiB comes whole with the headers of a small one (HEAD
 * too), a client that hangs up mid-way leaves a server that still answers,
 * and a file altered on disk never comes back as other bytes: altered at its
 * start it is a 500 before anything is sent (and no read is audited);
 * altered further on, the download stops short of its length (or, on the
 * database pool, which reads the whole file first, it is a 500). */
TEST(a_large_file_is_sent_whole_and_an_altered_one_never_as_other_bytes)
{
    struct user s;
    if (!register_student(&s, "bigfile"))
        return;
    char *small = make_pdf(30000, "bigfile small");
    struct doc_fields f = {"cv", NULL, NULL, NULL};
    char doc[64] = "", path[700], file_path[240];
    struct api_response r, head;
    upload(&r, &s, &f, "big.pdf", "application/pdf", small, 30000);
    CHECK_INT(r.status, 201);
    if (api_json_str(r.json, "id") != NULL)
        snprintf(doc, sizeof(doc), "%s", api_json_str(r.json, "id"));
    api_free(&r);
    size_t len = 3 * 1024 * 1024 + 12345; /* 49 chunks, the last one short */
    char *big = make_pdf(len, "bigfile big");
    if (doc[0] == '\0' || !blob_path(doc, path, sizeof(path)) || !seal_over(path, big, len)) {
        free(small);
        free(big);
        return;
    }
    snprintf(file_path, sizeof(file_path), "/api/v1/documents/%s/file", doc);
    char want_sha[65], got_sha[65];
    sha256_hex(big, len, want_sha);

    long long reads = file_reads(s.id, doc);
    get_file(&r, &s, doc, NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.body_len, len);
    sha256_hex(r.body, r.body_len, got_sha);
    CHECK_STR(got_sha, want_sha);
    char want_length[32];
    snprintf(want_length, sizeof(want_length), "%zu", len);
    CHECK_STR(api_header(&r, "content-length"), want_length);
    CHECK_INT(file_reads(s.id, doc), reads + 1);

    /* The pages' route (the viewer, signed in by cookie): the same bytes, inline. */
    char page_path[240];
    snprintf(page_path, sizeof(page_path), "/documents/%s/file", doc);
    const char *cookie[2] = {s.cookie, NULL};
    api_request(&head, "GET", page_path, cookie, NULL);
    CHECK_INT(head.status, 200);
    sha256_hex(head.body, head.body_len, got_sha);
    CHECK_STR(got_sha, want_sha);
    CHECK_CONTAINS(api_header(&head, "content-disposition"), "inline; filename=\"big.pdf\"");
    CHECK_STR(api_header(&head, "x-content-type-options"), "nosniff");
    api_free(&head);
    CHECK_INT(file_reads(s.id, doc), reads + 2);

    /* HEAD: the same headers, no body. */
    const char *headers[2] = {s.auth, NULL};
    api_send(&head, &(struct api_raw_request){.method = "HEAD", .path = file_path, .headers = headers});
    CHECK_INT(head.status, 200);
    CHECK_INT(head.body_len, 0);
    static const char *const same[] = {"content-length", "content-type", "content-disposition",
                                       "content-security-policy", "x-content-type-options", "x-frame-options",
                                       "cache-control", "cross-origin-resource-policy", NULL};
    for (size_t i = 0; same[i] != NULL; i++) {
        CHECK(api_header(&r, same[i]) != NULL);
        CHECK_STR(api_header(&head, same[i]), api_header(&r, same[i]));
    }
    api_free(&head);
    api_free(&r);

    /* Clients that hang up mid-way, then the server still answers, whole. */
    for (int i = 0; i < 3; i++)
        CHECK(get_and_hang_up(&s, file_path, 200000) > 0);
    call(&r, NULL, "GET", "/healthz", NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
    get_file(&r, &s, doc, NULL);
    CHECK_INT(r.status, 200);
    sha256_hex(r.body, r.body_len, got_sha);
    CHECK_STR(got_sha, want_sha);
    api_free(&r);

    /* Altered in its 21st chunk: the first 20 may come, then nothing more. */
    enum { SEALED_HEADER = 24, SEALED_FULL = SEALED_CHUNK + 17 };
    CHECK(flip_byte_at(path, SEALED_HEADER + 20L * SEALED_FULL + 100));
    get_file(&r, &s, doc, NULL);
    if (r.status == 200) {
        CHECK(r.body_len <= 20u * SEALED_CHUNK);
        CHECK(r.body_len < len && memcmp(r.body, big, r.body_len) == 0);
        CHECK(r.error[0] != '\0'); /* the transfer ended short of its Content-Length */
    } else {
        CHECK_PROBLEM(&r, 500, "internal", NULL);
    }
    api_free(&r);
    call(&r, NULL, "GET", "/healthz", NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);

    /* Altered in its first chunk: 500 at once, and no read in the audit trail. */
    CHECK(seal_over(path, big, len));
    CHECK(flip_byte_at(path, SEALED_HEADER + 10));
    reads = file_reads(s.id, doc);
    get_file(&r, &s, doc, NULL);
    CHECK_PROBLEM(&r, 500, "internal", NULL);
    CHECK(!memmem_has(r.body, r.body_len, "bigfile big"));
    api_free(&r);
    CHECK_INT(file_reads(s.id, doc), reads);

    CHECK(seal_over(path, small, 30000));
    get_file(&r, &s, doc, NULL);
    CHECK_INT(r.status, 200);
    CHECK(r.body_len == 30000 && memcmp(r.body, small, 30000) == 0);
    api_free(&r);
    free(small);
    free(big);
}

TEST(equal_uploads_share_one_file_removed_with_the_last_document)
{
    struct user s1, s2;
    if (!register_student(&s1, "dedup1") || !register_student(&s2, "dedup2"))
        return;
    int before = files_on_disk(NULL);
    char *pdf = make_pdf(3000, "shared bytes");
    struct doc_fields f = {"bls", NULL, NULL, NULL};
    char d1[64] = "", d2[64] = "";
    struct api_response r;
    upload(&r, &s1, &f, "bls.pdf", "application/pdf", pdf, 3000);
    CHECK_INT(r.status, 201);
    if (api_json_str(r.json, "id") != NULL)
        snprintf(d1, sizeof(d1), "%s", api_json_str(r.json, "id"));
    api_free(&r);
    upload(&r, &s2, &f, "bls-card.pdf", "application/pdf", pdf, 3000);
    CHECK_INT(r.status, 201);
    if (api_json_str(r.json, "id") != NULL)
        snprintf(d2, sizeof(d2), "%s", api_json_str(r.json, "id"));
    api_free(&r);
    free(pdf);
    CHECK_INT(files_on_disk(NULL), before + 1);
    char path[700] = "";
    blob_path(d1, path, sizeof(path));
    char path2[700] = "";
    blob_path(d2, path2, sizeof(path2));
    CHECK_STR(path, path2);

    char url[200];
    snprintf(url, sizeof(url), "/api/v1/documents/%s", d1);
    CHECK_INT(call(&r, &s1, "DELETE", url, NULL), 204);
    api_free(&r);
    CHECK(access(path, F_OK) == 0); /* still used by the other student's document */
    CHECK_INT(get_file(&r, &s2, d2, NULL), 200);
    CHECK_INT(r.body_len, 3000);
    api_free(&r);
    snprintf(url, sizeof(url), "/api/v1/documents/%s", d2);
    CHECK_INT(call(&r, &s2, "DELETE", url, NULL), 204);
    api_free(&r);
    CHECK(access(path, F_OK) != 0);
    CHECK_INT(files_on_disk(NULL), before);
}

/* ---- bad input ---- */

TEST(bad_fields_are_400_naming_them_and_change_nothing)
{
    struct user s;
    if (!register_student(&s, "badfields"))
        return;
    int files_before = files_on_disk(NULL);
    char future[11], past[11], older[11];
    date_in(30, future);
    date_in(-30, past);
    date_in(-60, older);
    char *pdf = make_pdf(1500, "bad fields");
    const struct {
        const char *kind, *issued, *expires;
        const char *field;
    } cases[] = {
        {"unicorn-licence", NULL, NULL, "kind"},
        {"PASSPORT", NULL, NULL, "kind"},
        {"passport", "2024-13-01", NULL, "issued_on"},
        {"passport", "2024-02-30", NULL, "issued_on"},
        {"passport", "yesterday", NULL, "issued_on"},
        {"passport", NULL, "31/12/2030", "expires_on"},
        {"passport", NULL, "2030-1-1", "expires_on"},
        {"passport", future, NULL, "issued_on"},    /* issued in the future */
        {"passport", past, older, "expires_on"},    /* expires before it was issued */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct doc_fields f = {cases[i].kind, cases[i].issued, cases[i].expires, NULL};
        struct api_response r;
        upload(&r, &s, &f, "passport.pdf", "application/pdf", pdf, 1500);
        CHECK_PROBLEM(&r, 400, "validation_failed", cases[i].field);
        api_free(&r);
    }
    struct api_response r;
    /* No kind at all. */
    struct doc_fields none = {NULL, NULL, NULL, NULL};
    upload(&r, &s, &none, "passport.pdf", "application/pdf", pdf, 1500);
    CHECK_PROBLEM(&r, 400, "validation_failed", "kind");
    api_free(&r);
    /* An unknown part. */
    struct part unknown[] = {{"kind", NULL, NULL, "passport", 0},
                             {"colour", NULL, NULL, "blue", 0},
                             {"file", "passport.pdf", "application/pdf", pdf, 1500}};
    send_parts(&r, &s, unknown, 3);
    CHECK_PROBLEM(&r, 400, "unknown_field", "colour");
    api_free(&r);
    /* No file part. */
    struct part nofile[] = {{"kind", NULL, NULL, "passport", 0}};
    send_parts(&r, &s, nofile, 1);
    CHECK_PROBLEM(&r, 400, "validation_failed", "file");
    api_free(&r);
    /* A file part without a filename (a text field named file). */
    struct part textfile[] = {{"kind", NULL, NULL, "passport", 0}, {"file", NULL, "application/pdf", pdf, 1500}};
    send_parts(&r, &s, textfile, 2);
    CHECK(r.status == 400);
    CHECK_STR(api_json_str(r.json, "field"), "file");
    api_free(&r);
    /* Two files. */
    struct part two[] = {{"kind", NULL, NULL, "passport", 0},
                         {"file", "a.pdf", "application/pdf", pdf, 1500},
                         {"file", "b.pdf", "application/pdf", pdf, 1500}};
    send_parts(&r, &s, two, 3);
    CHECK_PROBLEM(&r, 400, "validation_failed", "file");
    api_free(&r);
    /* replaces naming nothing of theirs. */
    struct doc_fields repl = {"passport", NULL, NULL, "doc_does_not_exist"};
    upload(&r, &s, &repl, "passport.pdf", "application/pdf", pdf, 1500);
    CHECK_PROBLEM(&r, 404, "not_found", "replaces");
    api_free(&r);
    /* JSON instead of multipart. */
    call(&r, &s, "POST", "/api/v1/documents", "{\"kind\":\"passport\"}");
    CHECK_PROBLEM(&r, 415, "unsupported_media_type", NULL);
    api_free(&r);
    /* A malformed multipart body (no closing delimiter). */
    static const char broken[] = "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npassport\r\n";
    const char *headers[] = {s.auth, "Content-Type: multipart/form-data; boundary=" BOUNDARY, NULL};
    struct api_raw_request rq = {"POST", "/api/v1/documents", headers, broken, sizeof(broken) - 1, true};
    api_send(&r, &rq);
    CHECK(r.status == 400);
    CHECK_CONTAINS(api_header(&r, "content-type"), "application/problem+json");
    api_free(&r);
    /* Anonymous. */
    struct user anon = {0};
    snprintf(anon.auth, sizeof(anon.auth), "X-Nobody: 1");
    struct doc_fields f = {"passport", NULL, NULL, NULL};
    upload(&r, &anon, &f, "passport.pdf", "application/pdf", pdf, 1500);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    free(pdf);
    CHECK_INT(documents_of(s.id), 0);
    CHECK_INT(files_on_disk(NULL), files_before);
}

TEST(the_quota_is_422_and_usage_is_shown)
{
    struct user s;
    if (!register_student(&s, "quota"))
        return;
    static const char *const kinds[] = {"cv", "transcript", "diploma"};
    for (int i = 0; i < 3; i++) {
        struct doc_fields f = {kinds[i], NULL, NULL, NULL};
        if (!upload_pdf(&s, &f, 60000, NULL))
            return;
    }
    struct api_response r;
    call(&r, &s, "GET", "/api/v1/documents", NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), 3);
    CHECK_INT(api_json_int(r.json, "usage.bytes", -1), 180000);
    CHECK_INT(api_json_int(r.json, "usage.quota", -1), QUOTA);
    api_free(&r);
    int files_before = files_on_disk(NULL);
    char *pdf = make_pdf(60000, "over quota");
    struct doc_fields f = {"ecfmg-certificate", NULL, NULL, NULL};
    upload(&r, &s, &f, "ecfmg.pdf", "application/pdf", pdf, 60000);
    CHECK_PROBLEM(&r, 422, "quota_exceeded", "file");
    api_free(&r);
    free(pdf);
    CHECK_INT(documents_of(s.id), 3);
    CHECK_INT(files_on_disk(NULL), files_before);
    /* What still fits is taken. */
    CHECK(upload_pdf(&s, &f, 15000, NULL));
}

/* ---- history, review, the queue ---- */

TEST(replacing_keeps_the_history)
{
    struct user s;
    if (!register_student(&s, "replace"))
        return;
    char v1[64], v2[64], v3[64];
    struct doc_fields f1 = {"passport", "2015-01-10", "2025-01-09", NULL};
    if (!upload_pdf(&s, &f1, 2000, v1))
        return;
    struct doc_fields f2 = {"passport", "2024-11-02", "2034-11-01", v1};
    if (!upload_pdf(&s, &f2, 2100, v2))
        return;
    struct api_response r;
    get_doc(&r, &s, v2);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "replaces"), v1);
    CHECK(json_is_true(json_object_get(r.json, "current")));
    json_t *versions = json_object_get(r.json, "versions");
    CHECK_INT(json_array_size(versions), 1);
    CHECK_STR(api_json_str(json_array_get(versions, 0), "id"), v1);
    CHECK_STR(api_json_str(json_array_get(versions, 0), "expires_on"), "2025-01-09");
    CHECK(json_is_false(json_object_get(json_array_get(versions, 0), "current")));
    api_free(&r);

    /* The old version is no longer current: not in the wallet, not replaceable again. */
    call(&r, &s, "GET", "/api/v1/documents", NULL);
    json_t *items = json_object_get(r.json, "items");
    CHECK_INT(json_array_size(items), 1);
    CHECK_STR(api_json_str(json_array_get(items, 0), "id"), v2);
    api_free(&r);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM documents WHERE id = $1 AND replaced_at IS NOT NULL", v1, NULL),
              1);
    char *pdf = make_pdf(2000, "replace again");
    upload(&r, &s, &f2, "passport.pdf", "application/pdf", pdf, 2000);
    CHECK_PROBLEM(&r, 404, "not_found", "replaces");
    api_free(&r);
    free(pdf);

    /* A third version (its kind taken from the one it replaces) lists both, newest first. */
    struct doc_fields f3 = {NULL, "2024-12-01", "2034-11-30", v2};
    if (!upload_pdf(&s, &f3, 2200, v3))
        return;
    get_doc(&r, &s, v3);
    CHECK_STR(api_json_str(r.json, "kind"), "passport");
    versions = json_object_get(r.json, "versions");
    CHECK_INT(json_array_size(versions), 2);
    CHECK_STR(api_json_str(json_array_get(versions, 0), "id"), v2);
    CHECK_STR(api_json_str(json_array_get(versions, 1), "id"), v1);
    api_free(&r);
    /* A replacement is of the same kind. */
    struct doc_fields other_kind = {"cv", NULL, NULL, v3};
    pdf = make_pdf(2000, "other kind");
    upload(&r, &s, &other_kind, "cv.pdf", "application/pdf", pdf, 2000);
    CHECK_PROBLEM(&r, 400, "validation_failed", "kind");
    api_free(&r);
    free(pdf);
    /* Another student cannot replace it. */
    struct user other;
    if (!register_student(&other, "replace2"))
        return;
    struct doc_fields steal = {"passport", NULL, NULL, v3};
    pdf = make_pdf(2000, "steal");
    upload(&r, &other, &steal, "passport.pdf", "application/pdf", pdf, 2000);
    CHECK_PROBLEM(&r, 404, "not_found", "replaces");
    api_free(&r);
    free(pdf);
    CHECK_INT(documents_of(other.id), 0);
}

TEST(staff_verify_and_reject_others_get_404)
{
    struct user s;
    if (!register_student(&s, "review"))
        return;
    char d1[64], d2[64];
    struct doc_fields f = {"bls", "2024-06-01", "2026-06-01", NULL};
    struct doc_fields g = {"tdap", "2020-06-01", NULL, NULL};
    if (!upload_pdf(&s, &f, 2000, d1) || !upload_pdf(&s, &g, 2000, d2))
        return;

    /* The queue holds them, oldest first; only staff see it. */
    struct api_response r;
    call(&r, &W.staff, "GET", "/api/v1/documents?state=uploaded&limit=100", NULL);
    CHECK_INT(r.status, 200);
    bool seen1 = false, seen2 = false;
    size_t idx;
    json_t *item;
    json_array_foreach(json_object_get(r.json, "items"), idx, item)
    {
        seen1 = seen1 || (api_json_str(item, "id") != NULL && strcmp(api_json_str(item, "id"), d1) == 0);
        seen2 = seen2 || (api_json_str(item, "id") != NULL && strcmp(api_json_str(item, "id"), d2) == 0);
        CHECK_STR(api_json_str(item, "state"), "uploaded");
    }
    CHECK(seen1 && seen2);
    api_free(&r);
    call(&r, &W.staff, "GET", "/api/v1/documents?limit=1", NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), 1);
    CHECK(api_json_str(r.json, "next_cursor") != NULL);
    api_free(&r);
    char path[300];
    snprintf(path, sizeof(path), "/api/v1/documents?student_id=%s", s.id);
    call(&r, &W.staff, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), 2);
    api_free(&r);
    call(&r, &s, "GET", "/api/v1/documents?state=uploaded", NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "state");
    api_free(&r);
    call(&r, &s, "GET", path, NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "student_id");
    api_free(&r);
    call(&r, &W.staff, "GET", "/api/v1/documents?state=lost", NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "state");
    api_free(&r);
    call(&r, &W.staff, "GET", "/api/v1/documents?limit=0", NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "limit");
    api_free(&r);
    call(&r, &W.staff, "GET", "/api/v1/documents?owner=me", NULL);
    CHECK_PROBLEM(&r, 400, "unknown_parameter", "owner");
    api_free(&r);

    /* Nobody but staff reviews: 404 as if it did not exist. */
    const struct user *others[] = {&s, &W.coord_a, &W.precep_a, &W.school};
    for (size_t i = 0; i < 4; i++) {
        doc_action(&r, others[i], d1, "verify", NULL);
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
        doc_action(&r, others[i], d1, "reject", "{\"reason\":\"blurry\"}");
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
    }
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM documents WHERE id = $1 AND state = 'uploaded'", d1, NULL), 1);

    /* Verify. */
    doc_action(&r, &W.staff, d1, "verify", "{}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "verified");
    CHECK(api_json_str(r.json, "reviewed_at") != NULL);
    api_free(&r);
    doc_action(&r, &W.staff, d1, "verify", NULL);
    CHECK_PROBLEM(&r, 409, "invalid_transition", NULL);
    api_free(&r);
    doc_action(&r, &W.staff, d2, "verify", "{\"note\":\"fine\"}");
    CHECK_PROBLEM(&r, 400, "unknown_field", "note");
    api_free(&r);

    /* Reject needs a reason. */
    const char *bad_bodies[] = {NULL, "{}", "{\"reason\":\"\"}", "{\"reason\":\"   \"}", "{\"reason\":7}"};
    for (size_t i = 0; i < 5; i++) {
        doc_action(&r, &W.staff, d2, "reject", bad_bodies[i]);
        CHECK_INT(r.status, 400);
        CHECK_STR(api_json_str(r.json, "field"), "reason");
        api_free(&r);
    }
    /* One cap for the reason in every layer (lib/limits.h): one character more is refused
     * (counted in characters: each "é" is two bytes). */
    char long_reason[32 + 2 * (REASON_MAX_CHARS + 1)];
    size_t at = (size_t)snprintf(long_reason, sizeof(long_reason), "{\"reason\":\"");
    for (int i = 0; i <= REASON_MAX_CHARS; i++)
        at += (size_t)snprintf(long_reason + at, sizeof(long_reason) - at, "\xc3\xa9");
    snprintf(long_reason + at, sizeof(long_reason) - at, "\"}");
    doc_action(&r, &W.staff, d2, "reject", long_reason);
    CHECK_PROBLEM(&r, 400, "validation_failed", "reason");
    api_free(&r);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM documents WHERE id = $1 AND state = 'uploaded'", d2, NULL), 1);
    long long told_before = notifications_of(s.id);
    doc_action(&r, &W.staff, d2, "reject", "{\"reason\":\"The scan is cut off at the bottom.\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "rejected");
    CHECK_STR(api_json_str(r.json, "reject_reason"), "The scan is cut off at the bottom.");
    api_free(&r);
    CHECK_INT(notifications_of(s.id), told_before + 1);
    call(&r, &s, "GET", "/api/v1/notifications", NULL);
    CHECK_INT(r.status, 200);
    CHECK(api_json_int(r.json, "unread", 0) >= 1);
    api_free(&r);
    doc_action(&r, &W.staff, d2, "verify", NULL);
    CHECK_PROBLEM(&r, 409, "invalid_transition", NULL);
    api_free(&r);

    /* The queue no longer lists them. */
    call(&r, &W.staff, "GET", "/api/v1/documents?state=uploaded&limit=100", NULL);
    json_array_foreach(json_object_get(r.json, "items"), idx, item)
    {
        const char *id = api_json_str(item, "id");
        CHECK(id == NULL || (strcmp(id, d1) != 0 && strcmp(id, d2) != 0));
    }
    api_free(&r);
    doc_action(&r, &W.staff, "doc_nope", "verify", NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
}

TEST(delete_is_204_then_404_and_409_while_booked)
{
    struct user s, other;
    if (!register_student(&s, "delete") || !register_student(&other, "delete2"))
        return;
    char loose[64], used[64];
    struct doc_fields f = {"cv", NULL, NULL, NULL};
    struct doc_fields g = {"passport", "2020-01-01", "2035-01-01", NULL};
    if (!upload_pdf(&s, &f, 2000, loose) || !upload_pdf(&s, &g, 2000, used))
        return;
    char path[200];
    struct api_response r;
    snprintf(path, sizeof(path), "/api/v1/documents/%s", loose);
    CHECK_INT(call(&r, &other, "DELETE", path, NULL), 404);
    api_free(&r);
    CHECK_INT(call(&r, &W.coord_a, "DELETE", path, NULL), 404);
    api_free(&r);
    CHECK_INT(call(&r, &s, "DELETE", path, NULL), 204);
    CHECK_INT(r.body_len, 0);
    api_free(&r);
    CHECK_INT(get_doc(&r, &s, loose), 404);
    api_free(&r);
    CHECK_INT(get_file(&r, &s, loose, NULL), 404);
    api_free(&r);
    CHECK_INT(call(&r, &s, "DELETE", path, NULL), 404);
    api_free(&r);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM documents WHERE id = $1 AND deleted_at IS NOT NULL", loose, NULL),
              1);

    /* Attached to a booked application, it stays. */
    char block[64], app[64];
    if (!new_block(&W, W.offering_a, block) || !apply_for(&s, block, app) || !attach(&s, app, used) ||
        !book(&W.coord_a, &s, app))
        return;
    snprintf(path, sizeof(path), "/api/v1/documents/%s", used);
    call(&r, &s, "DELETE", path, NULL);
    CHECK_PROBLEM(&r, 409, "document_in_use", NULL);
    api_free(&r);
    CHECK_INT(get_doc(&r, &s, used), 200);
    api_free(&r);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM documents WHERE id = $1 AND deleted_at IS NULL", used, NULL), 1);
}

/* ---- who sees what ---- */

/* Expected status of GET document and GET file for u, and that a file read was audited. */
static void check_access(const struct user *u, const char *who, const char *doc, long want, const char *pdf,
                         size_t len)
{
    struct api_response r;
    get_doc(&r, u, doc);
    if (r.status != want)
        TEST_FAILF("%s: GET document answered %ld, expected %ld", who, r.status, want);
    if (want == 404)
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    long long reads_before = file_reads(u->id, doc);
    get_file(&r, u, doc, NULL);
    if (r.status != want)
        TEST_FAILF("%s: GET file answered %ld, expected %ld", who, r.status, want);
    if (want == 200) {
        CHECK(r.body_len == len && memcmp(r.body, pdf, len) == 0);
        if (file_reads(u->id, doc) != reads_before + 1)
            TEST_FAILF("%s: the file read is not in the audit trail", who);
    } else {
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        CHECK(strstr(r.body, "%PDF") == NULL);
    }
    api_free(&r);
}

/* Documents shared at apply time are attached in the same transaction: another
 * student's document refuses the whole application (422 naming document_ids,
 * nothing created); the student's own is attached and the host sees it. */
TEST(applying_with_document_ids_attaches_them_or_refuses_the_whole_application)
{
    struct user s, other;
    if (!register_student(&s, "applydocs") || !register_student(&other, "applydocs2"))
        return;
    char mine[64] = "", theirs[64] = "", block[64] = "";
    struct doc_fields f = {"cv", NULL, NULL, NULL};
    if (!upload_pdf(&s, &f, 3000, mine) || !upload_pdf(&other, &f, 3000, theirs) || !new_block(&W, W.offering_a, block))
        return;
    long long before = api_db_int(W.db, "SELECT COUNT(*) FROM applications WHERE student_id = $1", s.id, NULL);

    struct api_response r;
    post_as(&r, &s, "/api/v1/applications",
            json_pack("{s:s,s:s,s:[s,s]}", "block_id", block, "statement", "", "document_ids", mine, theirs), 422);
    CHECK_STR(api_json_str(r.json, "field"), "document_ids");
    api_free(&r);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM applications WHERE student_id = $1", s.id, NULL), before);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM application_documents WHERE document_id = $1", mine, NULL), 0);
    check_access(&W.coord_a, "host before the application", mine, 404, NULL, 0);

    char app[64] = "";
    if (post_as(&r, &s, "/api/v1/applications",
                json_pack("{s:s,s:s,s:[s]}", "block_id", block, "statement", "", "document_ids", mine), 201))
        snprintf(app, sizeof(app), "%s", api_json_str(r.json, "id") ? api_json_str(r.json, "id") : "");
    api_free(&r);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM application_documents WHERE application_id = $1 AND document_id = $2",
                         app, mine),
              1);
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/documents/%s", mine);
    call(&r, &W.coord_a, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
    act(&r, &s, app, "withdraw");
    CHECK_INT(r.status, 200);
    api_free(&r);
}

TEST(access_rules_for_every_role_and_every_read_audited)
{
    struct user s, other;
    if (!register_student(&s, "access") || !register_student(&other, "access2"))
        return;
    size_t len = 4000;
    char *pdf = make_pdf(len, "access rules");
    struct doc_fields f = {"passport", "2020-01-01", "2035-01-01", NULL};
    struct api_response r;
    upload(&r, &s, &f, "passport.pdf", "application/pdf", pdf, len);
    char doc[64] = "";
    if (r.status == 201 && api_json_str(r.json, "id") != NULL)
        snprintf(doc, sizeof(doc), "%s", api_json_str(r.json, "id"));
    else
        TEST_FAILF("upload answered %ld: %.300s", r.status, r.body);
    api_free(&r);
    if (doc[0] == '\0') {
        free(pdf);
        return;
    }

    check_access(&s, "owner", doc, 200, pdf, len);
    check_access(&other, "another student", doc, 404, pdf, len);
    check_access(&W.coord_a, "host coordinator without an application", doc, 404, pdf, len);
    check_access(&W.precep_a, "preceptor without an application", doc, 404, pdf, len);
    check_access(&W.school, "school coordinator", doc, 404, pdf, len);
    check_access(&W.staff, "staff", doc, 200, pdf, len);

    /* Applied to offering A and attached: host A's people see it, nobody else. */
    char block[64], app[64];
    if (!new_block(&W, W.offering_a, block) || !apply_for(&s, block, app))
        goto out;
    check_access(&W.coord_a, "host coordinator, applied but not attached", doc, 404, pdf, len);
    if (!attach(&s, app, doc))
        goto out;
    check_access(&W.coord_a, "host coordinator through the application", doc, 200, pdf, len);
    check_access(&W.precep_a, "the offering's preceptor", doc, 200, pdf, len);
    check_access(&W.stray, "another preceptor of the host", doc, 404, pdf, len);
    check_access(&W.coord_b, "another host's coordinator", doc, 404, pdf, len);
    check_access(&W.school, "school coordinator", doc, 404, pdf, len);
    check_access(&other, "another student", doc, 404, pdf, len);
    check_access(&W.staff, "staff", doc, 200, pdf, len);

    /* The audit trail, as staff reads it. */
    char path[300];
    snprintf(path, sizeof(path), "/api/v1/audit?action=document.read&actor=%s", W.coord_a.id);
    call(&r, &W.staff, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    bool found = false;
    size_t idx;
    json_t *item;
    json_array_foreach(json_object_get(r.json, "items"), idx, item)
    {
        const char *object = api_json_str(item, "object_id");
        found = found || (object != NULL && strcmp(object, doc) == 0);
    }
    CHECK(found);
    api_free(&r);

    /* Withdrawn: the door closes again. */
    if (!steps_act(&s, app, "withdraw"))
        goto out;
    check_access(&W.coord_a, "host coordinator after the withdrawal", doc, 404, pdf, len);
    check_access(&W.precep_a, "preceptor after the withdrawal", doc, 404, pdf, len);
    check_access(&s, "owner", doc, 200, pdf, len);

    /* Attaching: only the application's student, only their own current documents. */
    char other_doc[64];
    struct doc_fields g = {"cv", NULL, NULL, NULL};
    char block2[64], app2[64];
    if (!upload_pdf(&other, &g, 1000, other_doc) || !new_block(&W, W.offering_a, block2) ||
        !apply_for(&s, block2, app2))
        goto out;
    snprintf(path, sizeof(path), "/api/v1/applications/%s/documents", app2);
    char *body = json_text(json_pack("{s:[s]}", "document_ids", other_doc));
    call(&r, &s, "POST", path, body);
    CHECK_PROBLEM(&r, 422, "unprocessable", "document_ids");
    api_free(&r);
    free(body);
    body = json_text(json_pack("{s:[s]}", "document_ids", "doc_nope"));
    call(&r, &s, "POST", path, body);
    CHECK_INT(r.status, 422);
    CHECK_STR(api_json_str(r.json, "field"), "document_ids");
    api_free(&r);
    free(body);
    body = json_text(json_pack("{s:[s]}", "document_ids", doc));
    call(&r, &other, "POST", path, body);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &W.coord_a, "POST", path, body);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    free(body);
    call(&r, &s, "POST", path, "{\"document_ids\":\"x\"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "document_ids");
    api_free(&r);
    call(&r, &s, "POST", path, "{\"document_ids\":[],\"extra\":1}");
    CHECK_PROBLEM(&r, 400, "unknown_field", "extra");
    api_free(&r);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM application_documents WHERE application_id = $1", app2, NULL), 0);
    body = json_text(json_pack("{s:[s,s]}", "document_ids", doc, doc));
    call(&r, &s, "POST", path, body);
    CHECK_INT(r.status, 200);
    CHECK_INT(json_array_size(json_object_get(r.json, "document_ids")), 1);
    CHECK_STR(api_json_str(json_array_get(json_object_get(r.json, "document_ids"), 0), ""), doc);
    api_free(&r);
    free(body);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM application_documents WHERE application_id = $1", app2, NULL), 1);
out:
    free(pdf);
}

/* ---- requirements ---- */

static long post_requirement(struct api_response *r, const struct user *u, json_t *body)
{
    char *text = json_text(body);
    long status = call(r, u, "POST", "/api/v1/requirements", text);
    free(text);
    return status;
}

TEST(requirements_are_managed_by_the_host_and_staff)
{
    struct api_response r;
    char req_id[64] = "";
    /* The host's coordinator adds an offering rule for its second offering. */
    post_requirement(&r, &W.coord_c,
                     json_pack("{s:s,s:s,s:s,s:i}", "organization_id", W.org_c, "offering_id", W.offering_c2, "kind",
                               "bls", "issued_within_days", 365));
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "kind"), "bls");
    CHECK_STR(api_json_str(r.json, "offering_id"), W.offering_c2);
    CHECK_INT(api_json_int(r.json, "issued_within_days", -1), 365);
    if (api_json_str(r.json, "id") != NULL)
        snprintf(req_id, sizeof(req_id), "%s", api_json_str(r.json, "id"));
    api_free(&r);
    post_requirement(&r, &W.coord_c,
                     json_pack("{s:s,s:s,s:s}", "organization_id", W.org_c, "offering_id", W.offering_c2, "kind",
                               "bls"));
    CHECK_PROBLEM(&r, 409, "conflict", "kind");
    api_free(&r);

    /* Everybody else: 404. */
    struct user s;
    if (!register_student(&s, "reqs"))
        return;
    const struct user *others[] = {&s, &W.coord_a, &W.coord_b, &W.precep_a, &W.school};
    for (size_t i = 0; i < 5; i++) {
        post_requirement(&r, others[i],
                         json_pack("{s:s,s:s}", "organization_id", W.org_c, "kind", "mmr"));
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
    }
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM requirements WHERE organization_id = $1 AND kind = 'mmr'",
                         W.org_c, NULL),
              0);

    /* Bad fields name themselves. */
    post_requirement(&r, &W.coord_c, json_pack("{s:s,s:s}", "organization_id", W.org_c, "kind", "unicorn"));
    CHECK_PROBLEM(&r, 400, "validation_failed", "kind");
    api_free(&r);
    post_requirement(&r, &W.coord_c,
                     json_pack("{s:s,s:s,s:i}", "organization_id", W.org_c, "kind", "mmr", "issued_within_days", 0));
    CHECK_PROBLEM(&r, 400, "validation_failed", "issued_within_days");
    api_free(&r);
    post_requirement(&r, &W.coord_c,
                     json_pack("{s:s,s:s,s:i}", "organization_id", W.org_c, "kind", "mmr", "issued_within_days",
                               4000));
    CHECK_PROBLEM(&r, 400, "validation_failed", "issued_within_days");
    api_free(&r);
    post_requirement(&r, &W.staff,
                     json_pack("{s:s,s:s,s:s}", "organization_id", W.org_c, "offering_id", W.offering_a, "kind",
                               "mmr"));
    CHECK_PROBLEM(&r, 400, "validation_failed", "offering_id");
    api_free(&r);
    post_requirement(&r, &W.coord_c, json_pack("{s:s,s:s,s:s}", "organization_id", W.org_c, "kind", "mmr", "x", "y"));
    CHECK_PROBLEM(&r, 400, "unknown_field", "x");
    api_free(&r);
    post_requirement(&r, &W.coord_c, json_pack("{s:s}", "organization_id", W.org_c));
    CHECK_PROBLEM(&r, 400, "validation_failed", "kind");
    api_free(&r);

    /* Lists. */
    char path[300];
    snprintf(path, sizeof(path), "/api/v1/requirements?offering_id=%s", W.offering_c2);
    call(&r, &W.coord_c, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    bool found = false;
    size_t idx;
    json_t *item;
    json_array_foreach(json_object_get(r.json, "items"), idx, item)
    {
        const char *id = api_json_str(item, "id");
        found = found || (id != NULL && strcmp(id, req_id) == 0);
    }
    CHECK(found);
    api_free(&r);
    call(&r, &W.staff, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
    call(&r, &W.coord_b, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", "offering_id");
    api_free(&r);
    call(&r, &s, "GET", path, NULL);
    CHECK_INT(r.status, 404);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/requirements?organization_id=%s", W.org_c);
    call(&r, &W.coord_a, "GET", path, NULL);
    CHECK_INT(r.status, 404);
    api_free(&r);
    call(&r, &W.coord_c, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
    call(&r, &W.staff, "GET", "/api/v1/requirements?organization_id=org_does_not_exist", NULL);
    CHECK_PROBLEM(&r, 404, "not_found", "organization_id");
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/requirements?organization_id=%s", W.org_school);
    call(&r, &W.staff, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", "organization_id");
    api_free(&r);
    call(&r, &W.coord_c, "GET", "/api/v1/requirements", NULL);
    CHECK_INT(r.status, 400);
    api_free(&r);
    call(&r, &W.coord_c, "GET", "/api/v1/requirements?organization_id=a%2Fb", NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "organization_id");
    api_free(&r);

    /* Delete: others 404, the host 204, then gone. */
    snprintf(path, sizeof(path), "/api/v1/requirements/%s", req_id);
    CHECK_INT(call(&r, &W.coord_b, "DELETE", path, NULL), 404);
    api_free(&r);
    CHECK_INT(call(&r, &s, "DELETE", path, NULL), 404);
    api_free(&r);
    CHECK_INT(call(&r, &W.coord_c, "DELETE", path, NULL), 204);
    api_free(&r);
    CHECK_INT(call(&r, &W.coord_c, "DELETE", path, NULL), 404);
    api_free(&r);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM requirements WHERE id = $1", req_id, NULL), 0);
}

/* Whether GET /offerings/{id} (anonymous, as cached) lists kind among its requirements. */
static bool offering_lists_requirement(const char *offering_id, const char *kind)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", offering_id);
    struct api_response r;
    call(&r, NULL, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    bool found = false;
    size_t idx;
    json_t *item;
    json_array_foreach(json_object_get(r.json, "requirement_rules"), idx, item)
    {
        const char *k = api_json_str(item, "kind");
        const char *source = api_json_str(item, "source");
        found = found || (k != NULL && source != NULL && strcmp(k, kind) == 0 && strcmp(source, "host") == 0);
    }
    api_free(&r);
    return found;
}

TEST(a_host_wide_requirement_shows_on_the_offering_at_once)
{
    CHECK(!offering_lists_requirement(W.offering_c, "varicella")); /* read once: the reply is kept */
    CHECK(!offering_lists_requirement(W.offering_c2, "varicella"));
    struct api_response r;
    post_requirement(&r, &W.coord_c, json_pack("{s:s,s:s}", "organization_id", W.org_c, "kind", "varicella"));
    CHECK_INT(r.status, 201);
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/requirements/%s", api_json_str(r.json, "id") ? api_json_str(r.json, "id") : "");
    api_free(&r);
    CHECK(offering_lists_requirement(W.offering_c, "varicella"));
    CHECK(offering_lists_requirement(W.offering_c2, "varicella"));
    CHECK_INT(call(&r, &W.coord_c, "DELETE", path, NULL), 204);
    api_free(&r);
    CHECK(!offering_lists_requirement(W.offering_c, "varicella"));
}

/* ---- compliance ---- */

/* The compliance item of kind (borrowed from c), or NULL. */
static json_t *item_of(json_t *c, const char *kind)
{
    size_t idx;
    json_t *item;
    json_array_foreach(json_object_get(c, "items"), idx, item)
    {
        const char *k = api_json_str(item, "kind");
        if (k != NULL && strcmp(k, kind) == 0)
            return item;
    }
    return NULL;
}

/* GETs the compliance of app as u; the reply stays in *r (api_free it). */
static long compliance(struct api_response *r, const struct user *u, const char *app)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/compliance", app);
    return call(r, u, "GET", path, NULL);
}

/* The state of kind in the compliance of app as seen by u (static buffer). */
static const char *state_of(const struct user *u, const char *app, const char *kind)
{
    static char state[32];
    struct api_response r;
    compliance(&r, u, app);
    const char *s = r.status == 200 ? api_json_str(item_of(r.json, kind), "state") : NULL;
    snprintf(state, sizeof(state), "%s", s != NULL ? s : "(none)");
    if (r.status != 200)
        TEST_FAILF("compliance of %s answered %ld: %.300s", app, r.status, r.body);
    api_free(&r);
    return state;
}

static bool all_ok(const struct user *u, const char *app)
{
    struct api_response r;
    compliance(&r, u, app);
    bool ok = r.status == 200 && json_is_true(json_object_get(r.json, "all_ok"));
    api_free(&r);
    return ok;
}

static bool host_rules_added;

/* Host C requires a TB test issued within 90 days before the start, and
 * offering C a passport (once per server). */
static bool host_c_rules(void)
{
    if (host_rules_added)
        return true;
    struct api_response r;
    bool ok = post_as(&r, &W.coord_c, "/api/v1/requirements",
                      json_pack("{s:s,s:s,s:i}", "organization_id", W.org_c, "kind", "tb-test", "issued_within_days",
                                90),
                      201);
    api_free(&r);
    ok = ok && post_as(&r, &W.staff, "/api/v1/requirements",
                       json_pack("{s:s,s:s,s:s}", "organization_id", W.org_c, "offering_id", W.offering_c, "kind",
                                 "passport"),
                       201);
    api_free(&r);
    host_rules_added = ok;
    return ok;
}

TEST(compliance_goes_from_missing_to_ok_and_gates_clear)
{
    struct user s, other;
    if (!register_student(&s, "comply") || !register_student(&other, "comply2") || !host_c_rules())
        return;
    /* A rotation from day 30 to day 58. */
    char block[64], app[64];
    if (!steps_block(&W.staff, W.offering_c, 30, 28, 20, block) || !apply_for(&s, block, app) ||
        !book(&W.coord_c, &s, app))
        return;

    struct api_response r;
    compliance(&r, &s, app);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "application_id"), app);
    CHECK_STR(api_json_str(r.json, "status"), "booked");
    char start[11], end[11];
    date_in(30, start);
    date_in(58, end);
    CHECK_STR(api_json_str(r.json, "start"), start);
    CHECK_STR(api_json_str(r.json, "end"), end);
    CHECK(json_is_false(json_object_get(r.json, "all_ok")));
    json_t *tb = item_of(r.json, "tb-test"), *passport = item_of(r.json, "passport");
    CHECK(tb != NULL && passport != NULL);
    CHECK_STR(api_json_str(tb, "state"), "missing");
    CHECK_STR(api_json_str(tb, "source"), "host");
    CHECK_INT(api_json_int(tb, "issued_within_days", -1), 90);
    CHECK(api_json_str(tb, "detail") != NULL);
    CHECK(json_is_null(json_object_get(tb, "document")));
    CHECK_STR(api_json_str(passport, "state"), "missing");
    CHECK_STR(api_json_str(passport, "source"), "offering");
    CHECK(json_is_null(json_object_get(passport, "issued_within_days")));
    api_free(&r);

    /* Who may look: the student, the host, staff; 404 for the rest. */
    CHECK_INT(compliance(&r, &W.coord_c, app), 200);
    api_free(&r);
    CHECK_INT(compliance(&r, &W.staff, app), 200);
    api_free(&r);
    compliance(&r, &other, app);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    compliance(&r, &W.coord_a, app);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    compliance(&r, &W.school, app);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    CHECK_INT(compliance(&r, &s, "app_nope"), 404);
    api_free(&r);

    /* Not cleared while anything is missing. */
    act(&r, &W.coord_c, app, "clear");
    CHECK_PROBLEM(&r, 409, "not_compliant", NULL);
    api_free(&r);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM applications WHERE id = $1 AND status = 'booked'", app, NULL), 1);

    /* A passport that runs out mid-rotation and a TB test from too long ago: expired for this rotation. */
    char issued_old[11], issued_recent[11], expires_mid[11], expires_later[11], expires_far[11];
    date_in(-120, issued_old);
    date_in(-10, issued_recent);
    date_in(45, expires_mid);
    date_in(365, expires_later);
    date_in(3000, expires_far);
    char passport1[64], tb1[64], passport2[64], tb2[64], tb3[64];
    struct doc_fields pf1 = {"passport", "2016-01-01", expires_mid, NULL};
    struct doc_fields tf1 = {"tb-test", issued_old, expires_later, NULL};
    if (!upload_pdf(&s, &pf1, 2000, passport1) || !upload_pdf(&s, &tf1, 2000, tb1))
        return;
    CHECK_STR(state_of(&s, app, "passport"), "expired");
    CHECK_STR(state_of(&s, app, "tb-test"), "expired");

    /* Valid ones, not verified yet: pending. */
    struct doc_fields pf2 = {"passport", "2024-01-01", expires_far, passport1};
    struct doc_fields tf2 = {"tb-test", issued_recent, expires_later, tb1};
    if (!upload_pdf(&s, &pf2, 2000, passport2) || !upload_pdf(&s, &tf2, 2000, tb2))
        return;
    CHECK_STR(state_of(&s, app, "passport"), "pending");
    CHECK_STR(state_of(&s, app, "tb-test"), "pending");
    compliance(&r, &s, app);
    CHECK_STR(api_json_str(item_of(r.json, "passport"), "document.id"), passport2);
    api_free(&r);
    /* The host of a booked rotation sees the documents its rules ask for
     * (attached or not), and no other document of the student. */
    compliance(&r, &W.coord_c, app);
    CHECK_STR(api_json_str(item_of(r.json, "passport"), "state"), "pending");
    CHECK_STR(api_json_str(item_of(r.json, "passport"), "document.id"), passport2);
    CHECK_STR(api_json_str(item_of(r.json, "tb-test"), "document.id"), tb2);
    CHECK(strstr(r.body, "blob") == NULL);
    api_free(&r);
    CHECK_INT(get_doc(&r, &W.coord_c, passport2), 200);
    api_free(&r);
    char cv[64];
    struct doc_fields cvf = {"cv", NULL, NULL, NULL};
    if (!upload_pdf(&s, &cvf, 1000, cv))
        return;
    CHECK_INT(get_doc(&r, &W.coord_c, cv), 404);
    api_free(&r);
    CHECK_INT(get_doc(&r, &W.coord_a, passport2), 404);
    api_free(&r);
    if (!attach(&s, app, passport2))
        return;
    act(&r, &W.coord_c, app, "clear");
    CHECK_PROBLEM(&r, 409, "not_compliant", NULL);
    api_free(&r);

    /* Staff verify the passport, reject the TB test: ok and rejected. */
    if (!verify_ok(passport2))
        return;
    doc_action(&r, &W.staff, tb2, "reject", "{\"reason\":\"The reading date is missing.\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    CHECK_STR(state_of(&s, app, "passport"), "ok");
    CHECK_STR(state_of(&s, app, "tb-test"), "rejected");
    CHECK(!all_ok(&s, app));
    act(&r, &W.coord_c, app, "clear");
    CHECK_PROBLEM(&r, 409, "not_compliant", NULL);
    api_free(&r);

    /* A new TB test replaces the rejected one; verified, everything is ok and the host clears. */
    struct doc_fields tf3 = {"tb-test", issued_recent, expires_later, tb2};
    if (!upload_pdf(&s, &tf3, 2000, tb3))
        return;
    CHECK_STR(state_of(&s, app, "tb-test"), "pending");
    if (!verify_ok(tb3))
        return;
    CHECK_STR(state_of(&s, app, "tb-test"), "ok");
    CHECK(all_ok(&s, app));
    CHECK(all_ok(&W.coord_c, app));
    CHECK(steps_act(&W.coord_c, app, "clear"));
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM applications WHERE id = $1 AND status = 'cleared'", app, NULL), 1);
    /* A booked document cannot be deleted. */
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/documents/%s", passport2);
    call(&r, &s, "DELETE", path, NULL);
    CHECK_PROBLEM(&r, 409, "document_in_use", NULL);
    api_free(&r);
}

TEST(the_checklist_shows_the_host_only_documents_it_may_see)
{
    struct user s;
    if (!register_student(&s, "checklist") || !host_c_rules())
        return;
    char block[64], app[64], passport[64];
    char expires[11];
    date_in(3000, expires);
    struct doc_fields pf = {"passport", "2024-01-01", expires, NULL};
    if (!new_block(&W, W.offering_c, block) || !apply_for(&s, block, app) || !upload_pdf(&s, &pf, 1500, passport))
        return;
    long long forbidden_before = api_db_int(
        W.db, "SELECT COUNT(*) FROM audit_events WHERE actor_id = $1 AND action = 'forbidden'", W.coord_c.id, NULL);
    struct api_response r;
    /* Submitted, not attached: the host sees the state, not the document. */
    compliance(&r, &W.coord_c, app);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "status"), "submitted");
    CHECK_STR(api_json_str(item_of(r.json, "passport"), "state"), "pending");
    CHECK(json_is_null(json_object_get(item_of(r.json, "passport"), "document")));
    api_free(&r);
    compliance(&r, &s, app);
    CHECK_STR(api_json_str(item_of(r.json, "passport"), "document.id"), passport);
    api_free(&r);
    /* Looking at a checklist is not an attempt to read a document. */
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM audit_events WHERE actor_id = $1 AND action = 'forbidden'",
                         W.coord_c.id, NULL),
              forbidden_before);
    CHECK_INT(get_doc(&r, &W.coord_c, passport), 404);
    api_free(&r);
    /* Attached: shown. */
    if (!attach(&s, app, passport))
        return;
    compliance(&r, &W.coord_c, app);
    CHECK_STR(api_json_str(item_of(r.json, "passport"), "document.id"), passport);
    api_free(&r);
    CHECK_INT(get_doc(&r, &W.coord_c, passport), 200);
    api_free(&r);
}

TEST(expiring_and_expired_follow_the_clock)
{
    struct user s;
    if (!register_student(&s, "clock") || !host_c_rules())
        return;
    /* A rotation from day 30 to day 58; the TB test runs out on day 60. */
    char block[64], app[64];
    if (!steps_block(&W.staff, W.offering_c, 30, 28, 20, block) || !apply_for(&s, block, app) ||
        !book(&W.coord_c, &s, app))
        return;
    char issued[11], tb_expires[11], passport_expires[11];
    date_in(-5, issued);
    date_in(60, tb_expires);
    date_in(2000, passport_expires);
    char passport[64], tb[64];
    struct doc_fields pf = {"passport", "2022-01-01", passport_expires, NULL};
    struct doc_fields tf = {"tb-test", issued, tb_expires, NULL};
    if (!upload_pdf(&s, &pf, 2000, passport) || !upload_pdf(&s, &tf, 2000, tb) || !verify_ok(passport) ||
        !verify_ok(tb))
        goto out;
    CHECK_STR(state_of(&s, app, "tb-test"), "ok");
    CHECK(all_ok(&s, app));

    /* Day 35: the TB test expires within 30 days. */
    set_clock_days(35, &s);
    CHECK_STR(state_of(&s, app, "tb-test"), "expiring");
    CHECK_STR(state_of(&s, app, "passport"), "ok");
    CHECK(!all_ok(&s, app));
    struct api_response r;
    act(&r, &W.coord_c, app, "clear");
    CHECK_PROBLEM(&r, 409, "not_compliant", NULL);
    api_free(&r);

    /* Day 61: it has expired. */
    set_clock_days(61, &s);
    CHECK_STR(state_of(&s, app, "tb-test"), "expired");
out:
    set_clock_days(0, NULL);
}

TEST(reminders_30_and_7_days_before_a_needed_document_expires)
{
    struct user s;
    if (!register_student(&s, "remind") || !host_c_rules())
        return;
    /* A rotation from day 60 to day 88; the passport runs out on day 50. */
    char block[64], app[64];
    if (!steps_block(&W.staff, W.offering_c, 60, 28, 20, block) || !apply_for(&s, block, app) ||
        !book(&W.coord_c, &s, app))
        return;
    char expires[11];
    date_in(50, expires);
    char passport[64];
    struct doc_fields pf = {"passport", "2020-01-01", expires, NULL};
    if (!upload_pdf(&s, &pf, 2000, passport) || !attach(&s, app, passport) || !verify_ok(passport))
        return;
    long long before = notifications_of(s.id);
    run_jobs();
    CHECK_INT(notifications_of(s.id), before);

    /* 30 days before: one notice, and not a second one. */
    set_clock_days(20, &s);
    run_jobs();
    CHECK_INT(notifications_of(s.id), before + 1);
    run_jobs();
    set_clock_days(25, &s);
    run_jobs();
    CHECK_INT(notifications_of(s.id), before + 1);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM document_reminders WHERE document_id = $1 AND days_before = 30",
                         passport, NULL),
              1);
    /* By email too. */
    char hash[65];
    crypto_hash_token(s.email, hash); /* a delivered mail keeps only the hash of its address */
    CHECK(api_db_int(W.db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1 OR to_hash = $2", s.email, hash) >= 1);

    /* 7 days before: one more. */
    set_clock_days(43, &s);
    run_jobs();
    CHECK_INT(notifications_of(s.id), before + 2);
    run_jobs();
    CHECK_INT(notifications_of(s.id), before + 2);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM document_reminders WHERE document_id = $1", passport, NULL), 2);
    set_clock_days(0, NULL);
}

/* ---- the API document ---- */

TEST(openapi_lists_the_document_routes)
{
    struct api_response r;
    call(&r, NULL, "GET", "/api/v1/openapi.json", NULL);
    CHECK_INT(r.status, 200);
    json_t *paths = json_object_get(r.json, "paths");
    static const struct {
        const char *path, *method;
    } want[] = {
        {"/api/v1/documents", "post"},
        {"/api/v1/documents", "get"},
        {"/api/v1/documents/{id}", "get"},
        {"/api/v1/documents/{id}", "delete"},
        {"/api/v1/documents/{id}/file", "get"},
        {"/api/v1/documents/{id}/verify", "post"},
        {"/api/v1/documents/{id}/reject", "post"},
        {"/api/v1/applications/{id}/compliance", "get"},
        {"/api/v1/applications/{id}/documents", "post"},
        {"/api/v1/requirements", "get"},
        {"/api/v1/requirements", "post"},
        {"/api/v1/requirements/{id}", "delete"},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        json_t *op = json_object_get(json_object_get(paths, want[i].path), want[i].method);
        if (op == NULL)
            TEST_FAILF("the OpenAPI document lacks %s %s", want[i].method, want[i].path);
    }
    api_free(&r);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    return world_setup(&W, &server);
}

static void run_tests(void)
{
    API_RUN(a_file_over_the_cap_is_413_and_leaves_nothing);
    API_RUN(a_declared_length_far_over_every_cap_is_413_before_the_body);
    API_RUN(an_upload_page_over_the_limit_shows_its_form_again_with_the_limit);
    API_RUN(spoofed_types_are_415_and_leave_nothing);
    API_RUN(path_tricks_in_file_names_write_nothing_outside_the_files_folder);
    API_RUN(files_are_sealed_at_rest_and_come_back_whole);
    API_RUN(a_large_file_is_sent_whole_and_an_altered_one_never_as_other_bytes);
    API_RUN(equal_uploads_share_one_file_removed_with_the_last_document);
    API_RUN(bad_fields_are_400_naming_them_and_change_nothing);
    API_RUN(the_quota_is_422_and_usage_is_shown);
    API_RUN(replacing_keeps_the_history);
    API_RUN(staff_verify_and_reject_others_get_404);
    API_RUN(delete_is_204_then_404_and_409_while_booked);
    API_RUN(applying_with_document_ids_attaches_them_or_refuses_the_whole_application);
    API_RUN(access_rules_for_every_role_and_every_read_audited);
    API_RUN(requirements_are_managed_by_the_host_and_staff);
    API_RUN(a_host_wide_requirement_shows_on_the_offering_at_once);
    API_RUN(compliance_goes_from_missing_to_ok_and_gates_clear);
    API_RUN(the_checklist_shows_the_host_only_documents_it_may_see);
    API_RUN(expiring_and_expired_follow_the_clock);
    API_RUN(reminders_30_and_7_days_before_a_needed_document_expires);
    API_RUN(openapi_lists_the_document_routes);
}

static void finish(void)
{
    set_clock_days(0, NULL);
    db_close(W.db);
}

int main(void)
{
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--session-idle-minutes",
                                        "43200", "--session-absolute-hours", "8760", "--max-upload", "65536",
                                        "--upload-quota", "200000", NULL};
    static const struct api_suite suite = {
        .name = "api-documents", .server = &server, .flags = flags, .setup = setup,
        .setup_what = "setting up the hosts, offerings and people", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
