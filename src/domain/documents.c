/* documents.c — the document wallet (uploads checked by content, sealed,
 * verified by staff, kept with their history), who may see which document,
 * the requirements of hosts and offerings, the compliance engine and the
 * expiry reminders; see documents.h. */
#include "domain/documents.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/catalog_index.h"
#include "domain/notify.h"
#include "domain/reference.h"
#include "domain/validate.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "lib/utf8.h"
#include "store/blobs.h"
#include "store/store.h"

static size_t max_file_bytes = 10u * 1024 * 1024;
static int64_t quota_bytes = 100 * 1024 * 1024;

/* Applications through which a host may see a student's documents. */
static const char active_statuses[] = "submitted,under_review,offered,held,booked,cleared,in_progress";
/* Applications that hold a seat before or during the rotation (reminders). */
static const char upcoming_statuses[] = "held,booked,cleared,in_progress";

enum { EXPIRING_DAYS = 30, FILE_NAME_MAX = 120 };

void documents_configure(size_t max_file, int64_t quota)
{
    if (max_file > 0)
        max_file_bytes = max_file;
    if (quota > 0)
        quota_bytes = quota;
}

size_t documents_max_file_bytes(void)
{
    return max_file_bytes;
}

static bool is_staff(const struct store_user *user)
{
    return user != NULL && account_has_role(user, ROLE_STAFF);
}

static bool is_current(const struct store_document *d)
{
    return d->replaced_at == 0 && d->deleted_at == 0;
}

/* A strict YYYY-MM-DD that names a real day. */
static bool date_valid(const char *s)
{
    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    if (s[0] < '1' || (s[0] == '1' && s[1] < '9')) /* before 1900: a typing slip */
        return false;
    char back[11];
    clock_date_from_days(clock_days_from_date(s), back);
    return strcmp(back, s) == 0;
}

static void today_date(char out[11])
{
    clock_date_from_days((int32_t)(clock_now() / 86400), out);
}

static const char *human_size(struct arena *arena, int64_t bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return arena_textf(arena, "%lld MiB", (long long)(bytes / (1024 * 1024)));
    if (bytes >= 1024 * 1024)
        return arena_textf(arena, "%.1f MiB", (double)bytes / (1024.0 * 1024.0));
    if (bytes >= 1024)
        return arena_textf(arena, "%lld KiB", (long long)(bytes / 1024));
    return arena_textf(arena, "%lld bytes", (long long)bytes);
}

/* ---- names and labels ---- */

const char *document_sniff(const void *data, size_t len)
{
    const unsigned char *p = data;
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
    if (p == NULL)
        return NULL;
    if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
        return "application/pdf";
    if (len >= 8 && memcmp(p, png, 8) == 0)
        return "image/png";
    if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
        return "image/jpeg";
    return NULL;
}

static const char *media_type_words(const char *type)
{
    if (strcmp(type, "application/pdf") == 0)
        return "a PDF";
    if (strcmp(type, "image/png") == 0)
        return "a PNG image";
    return "a JPEG image";
}

static bool starts_with_nocase(const unsigned char *p, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    if (len < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower(p[i]) != (unsigned char)prefix[i])
            return false;
    return true;
}

/* What content that is not a PDF, PNG or JPEG looks like, in words. */
static const char *describe_content(const void *data, size_t len)
{
    const unsigned char *p = data;
    if (len == 0 || p == NULL)
        return "empty";
    size_t skip = 0;
    if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
        skip = 3;
    while (skip < len && skip < 512 && (p[skip] == ' ' || p[skip] == '\t' || p[skip] == '\r' || p[skip] == '\n'))
        skip++;
    const unsigned char *q = p + skip;
    size_t n = len - skip;
    if (starts_with_nocase(q, n, "<!doctype html") || starts_with_nocase(q, n, "<html") ||
        starts_with_nocase(q, n, "<head") || starts_with_nocase(q, n, "<body") ||
        starts_with_nocase(q, n, "<script"))
        return "HTML";
    if (starts_with_nocase(q, n, "<svg") || starts_with_nocase(q, n, "<?xml"))
        return "XML or SVG";
    if (len >= 4 && memcmp(p, "GIF8", 4) == 0)
        return "a GIF image";
    if (len >= 4 && memcmp(p, "PK\x03\x04", 4) == 0)
        return "a ZIP archive (or an Office document)";
    if (len >= 4 && memcmp(p, "\xd0\xcf\x11\xe0", 4) == 0)
        return "an old Office document";
    if (len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
        return "a WebP image";
    if (len >= 12 && memcmp(p + 4, "ftyp", 4) == 0)
        return "a HEIC image or a video";
    if (len >= 4 && (memcmp(p, "II*\0", 4) == 0 || memcmp(p, "MM\0*", 4) == 0))
        return "a TIFF image";
    if (len >= 2 && p[0] == 'M' && p[1] == 'Z')
        return "a Windows program";
    if (len >= 4 && memcmp(p, "\x7f" "ELF", 4) == 0)
        return "a program";
    size_t head = len < 1024 ? len : 1024;
    while (head < len && head > 0 && (p[head] & 0xc0) == 0x80) /* not in the middle of a character */
        head--;
    if (memchr(p, '\0', head) == NULL && utf8_valid((const char *)p, head))
        return "text";
    return "data of an unknown type";
}

/* The declared media type without parameters, lower-cased, into out. */
static void declared_base(const char *declared, char *out, size_t out_size)
{
    size_t n = 0;
    const char *p = declared != NULL ? declared : "";
    while (*p == ' ' || *p == '\t')
        p++;
    for (; *p != '\0' && *p != ';' && n + 1 < out_size; p++)
        out[n++] = (char)tolower((unsigned char)*p);
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
        n--;
    out[n] = '\0';
    if (strcmp(out, "image/jpg") == 0 || strcmp(out, "image/pjpeg") == 0)
        snprintf(out, out_size, "image/jpeg");
}

/* Control and format characters that have no place in a name shown on a
 * page: C0, DEL, C1, and the bidirectional overrides that disguise an
 * extension (U+202E turns "invoice<U+202E>fdp.exe" into "invoiceexe.pdf"). */
static bool unwanted_code_point(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == '"' || cp == '\'' || cp == '`' ||
           (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0xfeff;
}

const char *document_clean_file_name(struct arena *arena, const char *name)
{
    if (name == NULL)
        return "document";
    /* The last path component, whichever separator the client used. */
    const char *base = name;
    for (const char *p = name; *p != '\0'; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t len = strlen(base);
    char *out = arena_alloc(arena, len + 1);
    if (out == NULL)
        return "document";
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp = 0;
        size_t step = utf8_decode(base + i, len - i, &cp);
        if (step == 0) { /* not UTF-8: dropped */
            i++;
            continue;
        }
        if (!unwanted_code_point(cp)) {
            memcpy(out + n, base + i, step);
            n += step;
        }
        i += step;
    }
    /* No leading or trailing blanks, and no leading dots (a hidden or "..") name. */
    char *start = out;
    while (n > 0 && (*start == ' ' || *start == '.')) {
        start++;
        n--;
    }
    while (n > 0 && start[n - 1] == ' ')
        n--;
    start[n] = '\0';
    if (n == 0)
        return "document";
    if (n > FILE_NAME_MAX) {
        /* Too long: shorten the stem and keep a short extension. */
        const char *dot = strrchr(start, '.');
        size_t ext = dot != NULL && (size_t)(start + n - dot) <= 10 ? (size_t)(start + n - dot) : 0;
        size_t stem = utf8_prefix(start, n - ext, FILE_NAME_MAX - ext);
        memmove(start + stem, start + n - ext, ext);
        n = stem + ext;
        start[n] = '\0';
    }
    return start;
}

const char *document_kind_name(const char *kind)
{
    if (kind == NULL)
        return "";
    const struct reference_document_kind *k = reference_document_kind_find(kind);
    return k != NULL ? k->name : kind;
}

/* First words that are proper nouns although they look like ordinary capitalised words. */
static bool proper_noun(const char *word, size_t len)
{
    static const char *const names[] = {"English", "Tdap"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strlen(names[i]) == len && memcmp(names[i], word, len) == 0)
            return true;
    return false;
}

const char *document_kind_in_sentence(struct arena *arena, const char *kind)
{
    const char *name = document_kind_name(kind);
    if (name[0] < 'A' || name[0] > 'Z')
        return name;
    size_t len = 1;
    /* A capital, a digit or a dot after the first letter: an acronym or a code (MMR, COVID-19, U.S., N95). */
    for (; name[len] != '\0' && name[len] != ' '; len++)
        if ((name[len] < 'a' || name[len] > 'z') && name[len] != '\'')
            return name;
    if (proper_noun(name, len))
        return name;
    char *lower = arena_strdup(arena, name);
    if (lower == NULL)
        return name;
    lower[0] = (char)(lower[0] - 'A' + 'a');
    return lower;
}

/* A date in a sentence as the pages write it ("Jan 3, 2027"); the text as it
 * is when it is not a date. */
static const char *date_words(struct arena *arena, const char *date)
{
    char words[CLOCK_DATE_WORDS_SIZE];
    const char *text = clock_date_words(date, words);
    if (text != words)
        return text;
    const char *copy = arena_strdup(arena, words);
    return copy != NULL ? copy : date;
}

enum document_state document_state_of(const struct store_document *d)
{
    return document_state_parse(d->state);
}

/* ---- upload ---- */

struct upload_ctx {
    struct arena *arena;
    const struct store_user *student;
    struct store_document *doc;
    struct store_document *out;
    struct error *err;
};

static int upload_tx(struct db_conn *conn, void *p)
{
    struct upload_ctx *c = p;
    int64_t used = 0;
    int rc = store_documents_bytes(conn, c->student->id, &used);
    if (rc != DB_OK)
        return rc;
    if (used + c->doc->size > quota_bytes) {
        error_set(c->err, ERR_QUOTA_EXCEEDED, "file",
                  arena_textf(c->arena, "your wallet holds %s of %s; delete documents you no longer need",
                              human_size(c->arena, used), human_size(c->arena, quota_bytes)));
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (c->doc->replaces_id != NULL) {
        rc = store_document_mark_replaced(conn, c->doc->replaces_id, c->doc->created_at);
        if (rc == DB_DONE) {
            error_set(c->err, ERR_NOT_FOUND, "replaces_id", "no such document in your wallet");
            return DB_CONSTRAINT; /* roll back: the error says why */
        }
        if (rc != DB_OK)
            return rc;
    }
    rc = store_document_insert(conn, c->doc);
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->student->id, AUDIT_DOCUMENT_UPLOAD, AUDIT_ON_DOCUMENT, c->doc->id,
                             arena_textf(c->arena, "kind=%s", c->doc->kind), c->doc->created_at);
    if (rc == DB_OK)
        rc = store_document_get(conn, c->arena, c->doc->id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    return rc;
}

/* Checks a date field: NULL when absent, the date, or -1 with a 400. */
static int upload_date(const char *value, const char *field, const char **out, struct error *err)
{
    *out = NULL;
    if (value == NULL || value[0] == '\0')
        return 0;
    if (!date_valid(value))
        return error_set(err, ERR_VALIDATION_FAILED, field, "must be a date YYYY-MM-DD");
    *out = value;
    return 0;
}

/* The file's problem: over the cap, not PDF/PNG/JPEG, or not what was declared. */
static int upload_file_check(struct arena *arena, const struct document_upload *upload, struct error *err)
{
    if (upload->len > max_file_bytes)
        return error_set(err, ERR_PAYLOAD_TOO_LARGE, "file",
                         arena_textf(arena, "the file is larger than the %s limit",
                                     human_size(arena, (int64_t)max_file_bytes)));
    const char *sniffed = document_sniff(upload->data, upload->len);
    if (sniffed == NULL)
        return error_set(err, ERR_UNSUPPORTED_MEDIA_TYPE, "file",
                         arena_textf(arena, "the file is %s, not a PDF, PNG or JPEG",
                                     describe_content(upload->data, upload->len)));
    char declared[128];
    declared_base(upload->declared_type, declared, sizeof(declared));
    if (declared[0] != '\0' && strcmp(declared, sniffed) != 0)
        return error_set(err, ERR_UNSUPPORTED_MEDIA_TYPE, "file",
                         arena_textf(arena, "the file is %s but was sent as %s", media_type_words(sniffed), declared));
    return 0;
}

size_t document_upload_problems(struct arena *arena, const struct document_upload *upload, struct error *errors,
                                size_t capacity)
{
    struct error each[DOCUMENT_UPLOAD_FIELDS + 2] = {0};
    (void)upload_file_check(arena, upload, &each[0]);
    bool replaces = upload->replaces_id != NULL && upload->replaces_id[0] != '\0';
    if (!replaces && (upload->kind == NULL || reference_document_kind_find(upload->kind) == NULL))
        (void)error_set(&each[1], ERR_VALIDATION_FAILED, "kind", "must be one of the document kinds");
    const char *issued_on, *expires_on;
    (void)upload_date(upload->issued_on, "issued_on", &issued_on, &each[2]);
    (void)upload_date(upload->expires_on, "expires_on", &expires_on, &each[3]);
    char today[11];
    today_date(today);
    if (issued_on != NULL && strcmp(issued_on, today) > 0)
        (void)error_set(&each[4], ERR_VALIDATION_FAILED, "issued_on", "cannot be in the future");
    if (issued_on != NULL && expires_on != NULL && strcmp(expires_on, issued_on) < 0)
        (void)error_set(&each[5], ERR_VALIDATION_FAILED, "expires_on", "cannot be before the issue date");
    size_t count = 0;
    for (size_t i = 0; i < sizeof(each) / sizeof(each[0]); i++)
        if (each[i].code != ERR_NONE && count < capacity)
            errors[count++] = each[i];
    return count;
}

int document_upload(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                    const struct document_upload *upload, struct store_document *out, struct error *err)
{
    err->code = ERR_NONE;
    if (student == NULL || !account_has_role(student, ROLE_STUDENT))
        return error_set(err, ERR_FORBIDDEN, NULL, "only students have a document wallet");
    /* The first problem is the refusal: the file's, then the replaced document's, then the fields'. */
    struct error problems[DOCUMENT_UPLOAD_FIELDS];
    size_t problem_count = document_upload_problems(arena, upload, problems, sizeof(problems) / sizeof(problems[0]));
    if (problem_count > 0 && strcmp(problems[0].field, "file") == 0) {
        *err = problems[0];
        return -1;
    }
    const char *kind = upload->kind != NULL && upload->kind[0] != '\0' ? upload->kind : NULL;
    const char *replaces_id = upload->replaces_id != NULL && upload->replaces_id[0] != '\0' ? upload->replaces_id : NULL;
    if (replaces_id != NULL) {
        struct store_document old;
        int rc = store_document_get(conn, arena, replaces_id, &old);
        if (rc != DB_ROW && rc != DB_DONE)
            return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
        if (rc == DB_DONE || strcmp(old.student_id, student->id) != 0 || !is_current(&old))
            return error_set(err, ERR_NOT_FOUND, "replaces_id", "no such document in your wallet");
        if (kind == NULL)
            kind = old.kind;
        else if (strcmp(kind, old.kind) != 0)
            return error_set(err, ERR_VALIDATION_FAILED, "kind",
                             arena_textf(arena, "must be the kind of the document it replaces (%s)", old.kind));
    }
    if (problem_count > 0) {
        *err = problems[0];
        return -1;
    }
    const char *sniffed = document_sniff(upload->data, upload->len);
    const char *issued_on = upload->issued_on != NULL && upload->issued_on[0] != '\0' ? upload->issued_on : NULL;
    const char *expires_on = upload->expires_on != NULL && upload->expires_on[0] != '\0' ? upload->expires_on : NULL;

    /* A first look at the quota before writing anything (checked again in the transaction). */
    int64_t used = 0;
    if (store_documents_bytes(conn, student->id, &used) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (used + (int64_t)upload->len > quota_bytes)
        return error_set(err, ERR_QUOTA_EXCEEDED, "file",
                         arena_textf(arena, "your wallet holds %s of %s; delete documents you no longer need",
                                     human_size(arena, used), human_size(arena, quota_bytes)));

    char blob[65];
    if (blobs_put(upload->data, upload->len, blob) != 0) {
        log_error("msg=\"document not stored\" kind=%s", kind);
        return error_set(err, ERR_UNAVAILABLE, NULL, "the file could not be stored; try again");
    }
    char id[48];
    crypto_sortable_id("d_", clock_now_ms(), id, sizeof(id));
    int64_t now = clock_now();
    struct store_document doc = {
        .id = arena_strdup(arena, id),
        .student_id = student->id,
        .kind = kind,
        .state = "uploaded",
        .file_name = document_clean_file_name(arena, upload->file_name),
        .media_type = sniffed,
        .blob = arena_strdup(arena, blob),
        .size = (int64_t)upload->len,
        .issued_on = issued_on,
        .expires_on = expires_on,
        .reject_reason = "",
        .replaces_id = replaces_id,
        .created_at = now,
        .updated_at = now,
    };
    struct upload_ctx c = {arena, student, &doc, out, err};
    int rc = doc.id != NULL && doc.blob != NULL ? db_run_tx(conn, true, upload_tx, &c) : DB_ERROR;
    if (rc != DB_OK) {
        bool in_use = true;
        if (store_blob_in_use(conn, blob, &in_use) == DB_OK && !in_use)
            blobs_remove(blob);
        if (err->code != ERR_NONE)
            return -1;
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    }
    /* Equal bytes share one file: if someone else's delete removed it between
     * our write and our commit, this writes it again (a no-op otherwise). */
    char again[65];
    if (blobs_put(upload->data, upload->len, again) != 0)
        log_error("msg=\"document file not confirmed\" id=%s", doc.id);
    return 0;
}

/* ---- who sees what ---- */

static bool kind_in_rules(const struct requirement_rule *rules, size_t count, const char *kind)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(rules[i].kind, kind) == 0)
            return true;
    return false;
}

/* Booked, cleared or in progress: the host's requirements apply. */
static bool booked(const struct store_application *a)
{
    enum application_status s = application_status_of(a);
    return s == APPLICATION_BOOKED || s == APPLICATION_CLEARED || s == APPLICATION_IN_PROGRESS;
}

/* Whether user sees the document as a host: through an active application
 * of its student to the user's offerings that has it attached, or that is
 * booked and requires its kind. */
static int host_may_see(struct db_conn *conn, struct arena *arena, const struct store_document *d,
                        const struct store_user *user, bool *may)
{
    *may = false;
    struct store_application *apps;
    size_t count;
    int rc = store_student_applications(conn, arena, d->student_id, active_statuses, NULL, &apps, &count);
    for (size_t i = 0; rc == DB_OK && i < count && !*may; i++) {
        if (!application_visible_to(&apps[i], user))
            continue;
        bool attached = false;
        rc = store_application_has_document(conn, apps[i].id, d->id, &attached);
        if (rc != DB_OK)
            break;
        if (attached) {
            *may = true;
            break;
        }
        if (!booked(&apps[i]) || !is_current(d))
            continue;
        struct requirement_rule *rules;
        size_t rule_count;
        rc = compliance_rules(conn, arena, apps[i].organization_id, apps[i].offering_id, &rules, &rule_count);
        if (rc == DB_OK && kind_in_rules(rules, rule_count, d->kind))
            *may = true;
    }
    return rc;
}

int document_get_visible(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *user,
                         struct store_document *out, struct error *err)
{
    if (user == NULL || id == NULL)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such document");
    int rc = store_document_get(conn, arena, id, out);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such document");
    if (rc != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (strcmp(out->student_id, user->id) == 0 || is_staff(user))
        return 0;
    bool may = false;
    if (host_may_see(conn, arena, out, user, &may) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (may)
        return 0;
    memset(out, 0, sizeof(*out));
    return error_set(err, ERR_NOT_FOUND, NULL, "no such document");
}

/* No read without its line in the audit trail: 0, or -1 with 503 in err. */
static int audit_read(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                      const struct store_document *d, struct error *err)
{
    if (store_audit_add(conn, user->id, AUDIT_DOCUMENT_READ, AUDIT_ON_DOCUMENT, d->id,
                        arena_textf(arena, "kind=%s", d->kind), clock_now()) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

int document_read_file(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *user,
                       struct store_document *out, const char **data, size_t *len, struct error *err)
{
    *data = NULL;
    *len = 0;
    if (document_get_visible(conn, arena, id, user, out, err) != 0)
        return -1;
    if (blobs_get(arena, out->blob, data, len) != 0) {
        log_error("msg=\"document file unreadable\" id=%s", out->id);
        *data = NULL;
        *len = 0;
        return error_set(err, ERR_INTERNAL, NULL, "the file could not be read");
    }
    if (audit_read(conn, arena, user, out, err) != 0) {
        *data = NULL;
        *len = 0;
        return -1;
    }
    return 0;
}

int document_open_file(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *user,
                       struct store_document *out, struct byte_source *file, struct error *err)
{
    *file = (struct byte_source){0};
    if (document_get_visible(conn, arena, id, user, out, err) != 0)
        return -1;
    if (blobs_open_source(out->blob, file) != 0) {
        log_error("msg=\"document file unreadable\" id=%s", out->id);
        return error_set(err, ERR_INTERNAL, NULL, "the file could not be read");
    }
    if (audit_read(conn, arena, user, out, err) != 0) {
        byte_source_close(file);
        return -1;
    }
    return 0;
}

/* ---- staff's review ---- */

struct review_ctx {
    struct arena *arena;
    const struct store_document *doc;
    const struct store_user *staff;
    enum document_state to;
    const char *reason;
    struct error *err;
};

static int review_tx(struct db_conn *conn, void *p)
{
    struct review_ctx *c = p;
    int64_t now = clock_now();
    int rc = store_document_review(conn, c->doc->id, document_state_name(DOCUMENT_UPLOADED), document_state_name(c->to),
                                   c->reason, c->staff->id, now);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_INVALID_TRANSITION, NULL,
                  !is_current(c->doc) ? "this version was replaced by a newer one"
                  : document_state_of(c->doc) != DOCUMENT_UPLOADED
                      ? arena_textf(c->arena, "this document is already %s", c->doc->state)
                      : "the document changed meanwhile; reload it");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc != DB_OK)
        return rc;
    bool verified = c->to == DOCUMENT_VERIFIED;
    const char *kind_name = document_kind_in_sentence(c->arena, c->doc->kind);
    const char *title = verified ? arena_textf(c->arena, "Your %s was verified", kind_name)
                                 : arena_textf(c->arena, "Your %s was rejected: %s", kind_name, c->reason);
    struct recipient student = {c->doc->student_id, c->doc->student_email};
    notify(conn, c->arena, &student, verified ? "document_verified" : "document_rejected", title,
           arena_textf(c->arena, "/wallet/%s", c->doc->id), now);
    return store_audit_add(conn, c->staff->id, verified ? AUDIT_DOCUMENT_VERIFY : AUDIT_DOCUMENT_REJECT,
                           AUDIT_ON_DOCUMENT, c->doc->id, arena_textf(c->arena, "kind=%s", c->doc->kind), now);
}

static int review(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *staff,
                  enum document_state to, const char *reason, struct store_document *out, struct error *err)
{
    err->code = ERR_NONE;
    if (!is_staff(staff) || id == NULL)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such document");
    struct store_document doc;
    int rc = store_document_get(conn, arena, id, &doc);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such document");
    if (rc != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    struct review_ctx c = {arena, &doc, staff, to, reason, err};
    rc = db_run_tx(conn, true, review_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (store_document_get(conn, arena, id, out) != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

int document_verify(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *staff,
                    struct store_document *out, struct error *err)
{
    return review(conn, arena, id, staff, DOCUMENT_VERIFIED, "", out, err);
}

int document_reject(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *staff,
                    const char *reason, struct store_document *out, struct error *err)
{
    err->code = ERR_NONE;
    if (!is_staff(staff))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such document");
    const char *trimmed = NULL;
    if (validate_reason(arena, reason, "say why the document is rejected", &trimmed, err) != 0)
        return -1;
    return review(conn, arena, id, staff, DOCUMENT_REJECTED, trimmed, out, err);
}

/* ---- deleting ---- */

struct delete_ctx {
    struct arena *arena;
    const struct store_document *doc;
    const struct store_user *student;
    struct store_document *history;
    size_t history_count;
    struct error *err;
};

static int delete_tx(struct db_conn *conn, void *p)
{
    struct delete_ctx *c = p;
    bool attached = false;
    int rc = store_document_attached_active(conn, c->doc->id, &attached);
    if (rc != DB_OK)
        return rc;
    if (attached) {
        error_set(c->err, ERR_DOCUMENT_IN_USE, NULL,
                  "this document is attached to a booked rotation; upload a new version instead");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    rc = store_document_history(conn, c->arena, c->doc->id, &c->history, &c->history_count);
    int64_t now = clock_now();
    if (rc == DB_OK)
        rc = store_document_delete(conn, c->doc->id, now);
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->student->id, AUDIT_DOCUMENT_DELETE, AUDIT_ON_DOCUMENT, c->doc->id,
                             arena_textf(c->arena, "kind=%s", c->doc->kind), now);
    return rc;
}

/* Removes the sealed file when no row uses it any more. */
static void remove_blob_if_unused(struct db_conn *conn, const char *blob)
{
    bool in_use = true;
    if (blob != NULL && store_blob_in_use(conn, blob, &in_use) == DB_OK && !in_use && blobs_remove(blob) != 0)
        log_warn("msg=\"document file not removed\"");
}

int document_delete(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *student,
                    struct error *err)
{
    err->code = ERR_NONE;
    if (student == NULL || id == NULL)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such document");
    struct store_document doc;
    int rc = store_document_get(conn, arena, id, &doc);
    if (rc == DB_DONE || (rc == DB_ROW && strcmp(doc.student_id, student->id) != 0))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such document");
    if (rc != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (!is_current(&doc))
        return error_set(err, ERR_CONFLICT, NULL, "this is an older version; delete the current one");
    struct delete_ctx c = {arena, &doc, student, NULL, 0, err};
    rc = db_run_tx(conn, true, delete_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    remove_blob_if_unused(conn, doc.blob);
    for (size_t i = 0; i < c.history_count; i++)
        remove_blob_if_unused(conn, c.history[i].blob);
    return 0;
}

/* ---- attaching ---- */

int document_attach(struct db_conn *conn, struct arena *arena, const char *application_id,
                    const struct store_user *student, const char *const *document_ids, size_t count,
                    struct error *err)
{
    if (count == 0)
        return 0;
    struct store_application a;
    int rc = store_application_get(conn, arena, application_id, &a);
    if (rc == DB_DONE || (rc == DB_ROW && strcmp(a.student_id, student->id) != 0)) {
        error_set(err, ERR_NOT_FOUND, NULL, "no such application");
        return -1;
    }
    if (rc != DB_ROW)
        return rc;
    int64_t now = clock_now();
    for (size_t i = 0; i < count; i++) {
        struct store_document d;
        rc = document_ids[i] != NULL ? store_document_get(conn, arena, document_ids[i], &d) : DB_DONE;
        if (rc == DB_DONE || (rc == DB_ROW && (strcmp(d.student_id, student->id) != 0 || !is_current(&d)))) {
            error_set(err, ERR_UNPROCESSABLE, "document_ids",
                      arena_textf(arena, "no such document in your wallet: %.64s",
                                  document_ids[i] != NULL ? document_ids[i] : ""));
            return -1;
        }
        if (rc != DB_ROW)
            return rc;
        rc = store_application_document_attach(conn, application_id, d.id, now);
        if (rc != DB_OK)
            return rc;
    }
    return 0;
}

/* ---- compliance ---- */

enum rank { RANK_NONE, RANK_REJECTED, RANK_EXPIRED, RANK_PENDING, RANK_EXPIRING, RANK_OK };

static enum compliance_state rank_state(enum rank r)
{
    switch (r) {
    case RANK_REJECTED:
        return COMPLIANCE_REJECTED;
    case RANK_EXPIRED:
        return COMPLIANCE_EXPIRED;
    case RANK_PENDING:
        return COMPLIANCE_PENDING;
    case RANK_EXPIRING:
        return COMPLIANCE_EXPIRING;
    case RANK_OK:
        return COMPLIANCE_OK;
    case RANK_NONE:
        break;
    }
    return COMPLIANCE_MISSING;
}

/* How well one document meets the rule, with the sentence that says why. */
static enum rank judge(struct arena *arena, const struct requirement_rule *rule, const struct store_document *d,
                       const char *start, const char *end, const char *today, const char **detail)
{
    if (document_state_of(d) == DOCUMENT_REJECTED) {
        *detail = d->reject_reason != NULL && d->reject_reason[0] != '\0'
                      ? arena_textf(arena, "Rejected: %s", d->reject_reason)
                      : "Rejected by Rounds staff: upload a new one";
        return RANK_REJECTED;
    }
    const char *expires = date_valid(d->expires_on) ? d->expires_on : NULL;
    const char *issued = date_valid(d->issued_on) ? d->issued_on : NULL;
    bool dates = date_valid(start) && date_valid(end);
    if (expires != NULL && strcmp(expires, today) < 0) {
        *detail = arena_textf(arena, "Expired on %s: upload a new one", date_words(arena, expires));
        return RANK_EXPIRED;
    }
    if (expires != NULL && dates && strcmp(expires, end) < 0) {
        *detail = arena_textf(arena, "Expires %s, before the rotation ends on %s", date_words(arena, expires),
                              date_words(arena, end));
        return RANK_EXPIRED;
    }
    if (rule->issued_within_days > 0 && dates) {
        if (issued == NULL) {
            *detail = arena_textf(arena, "No issue date: it must be issued at most %lld days before the start (%s)",
                                  (long long)rule->issued_within_days, date_words(arena, start));
            return RANK_EXPIRED;
        }
        if ((int64_t)clock_days_from_date(start) - clock_days_from_date(issued) > rule->issued_within_days) {
            *detail = arena_textf(arena, "Issued %s, more than %lld days before the start (%s)",
                                  date_words(arena, issued), (long long)rule->issued_within_days,
                                  date_words(arena, start));
            return RANK_EXPIRED;
        }
    }
    if (document_state_of(d) != DOCUMENT_VERIFIED) {
        *detail = "Waiting for verification by Rounds staff";
        return RANK_PENDING;
    }
    if (expires != NULL && clock_days_from_date(expires) - clock_days_from_date(today) <= EXPIRING_DAYS) {
        *detail = arena_textf(arena, "Verified; expires %s, within %d days", date_words(arena, expires), EXPIRING_DAYS);
        return RANK_EXPIRING;
    }
    *detail = expires != NULL ? arena_textf(arena, "Verified, valid through %s", date_words(arena, expires))
                              : "Verified";
    return RANK_OK;
}

void compliance_evaluate(struct arena *arena, const struct requirement_rule *rule,
                         const struct store_document *docs, size_t doc_count, const char *start, const char *end,
                         const char *today, struct compliance_item *out)
{
    memset(out, 0, sizeof(*out));
    out->rule = *rule;
    enum rank best = RANK_NONE;
    const char *best_detail = NULL;
    char today_buf[11];
    if (!date_valid(today)) {
        today_date(today_buf);
        today = today_buf;
    }
    for (size_t i = 0; i < doc_count; i++) {
        const struct store_document *d = &docs[i];
        if (d->kind == NULL || strcmp(d->kind, rule->kind) != 0 || !is_current(d))
            continue;
        const char *detail = NULL;
        enum rank r = judge(arena, rule, d, start, end, today, &detail);
        if (r > best) {
            best = r;
            best_detail = detail;
            out->document = d;
        }
    }
    out->state = rank_state(best);
    if (best != RANK_NONE) {
        out->detail = best_detail;
        return;
    }
    const char *name = document_kind_in_sentence(arena, rule->kind);
    if (rule->issued_within_days > 0 && date_valid(start)) {
        char earliest[11];
        clock_date_from_days(clock_days_from_date(start) - (int32_t)rule->issued_within_days, earliest);
        out->detail = arena_textf(arena, "Upload your %s, issued on or after %s (at most %lld days before the start)",
                                  name, date_words(arena, earliest), (long long)rule->issued_within_days);
    } else {
        out->detail = arena_textf(arena, "Upload your %s", name);
    }
}

/* Where a kind sits in the reference list (unknown kinds last). */
static size_t kind_order(const char *kind)
{
    const struct reference_document_kind *k = reference_document_kind_find(kind);
    return k != NULL ? (size_t)(k - reference_document_kinds) : reference_document_kind_count;
}

static int rule_compare(const void *a, const void *b)
{
    const struct requirement_rule *x = a, *y = b;
    size_t ox = kind_order(x->kind), oy = kind_order(y->kind);
    if (ox != oy)
        return ox < oy ? -1 : 1;
    return strcmp(x->kind, y->kind);
}

/* Adds or merges one source of a rule into the list (one entry per kind). */
static void merge_rule(struct requirement_rule *rules, size_t *count, const char *kind, int64_t within,
                       bool from_offering, const char *requirement_id)
{
    struct requirement_rule *r = NULL;
    for (size_t i = 0; i < *count && r == NULL; i++)
        if (strcmp(rules[i].kind, kind) == 0)
            r = &rules[i];
    if (r == NULL) {
        r = &rules[(*count)++];
        r->kind = kind;
        r->issued_within_days = within;
        r->source = from_offering ? REQUIREMENT_FROM_OFFERING : REQUIREMENT_FROM_HOST;
        r->requirement_id = requirement_id;
        return;
    }
    if (from_offering)
        r->source = REQUIREMENT_FROM_OFFERING;
    /* The strictest issue-date rule wins; a rule row names itself. */
    bool stricter = within > 0 && (r->issued_within_days == 0 || within < r->issued_within_days);
    if (stricter) {
        r->issued_within_days = within;
        r->requirement_id = requirement_id;
    } else if (r->requirement_id == NULL && requirement_id != NULL && within == r->issued_within_days) {
        r->requirement_id = requirement_id;
    }
}

int compliance_rules_from(struct arena *arena, const struct store_requirement *rows, size_t row_count,
                          const char *organization_id, const char *offering_id, const char *listed,
                          struct requirement_rule **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (listed == NULL)
        listed = "";
    size_t listed_count = 1;
    for (const char *p = listed; *p != '\0'; p++)
        listed_count += *p == ',';
    struct requirement_rule *rules = arena_calloc(arena, row_count + listed_count + 1, sizeof(*rules));
    if (rules == NULL)
        return DB_ERROR;
    size_t n = 0;
    for (size_t i = 0; i < row_count; i++) {
        const struct store_requirement *r = &rows[i];
        bool applies = strcmp(r->organization_id, organization_id) == 0 &&
                       (r->offering_id == NULL || (offering_id != NULL && strcmp(r->offering_id, offering_id) == 0));
        if (applies)
            merge_rule(rules, &n, r->kind, r->issued_within_days, r->offering_id != NULL, r->id);
    }
    for (const char *p = listed; *p != '\0';) {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        const char *s = p;
        size_t l = len;
        while (l > 0 && (*s == ' ' || *s == '\t')) {
            s++;
            l--;
        }
        while (l > 0 && (s[l - 1] == ' ' || s[l - 1] == '\t'))
            l--;
        if (l > 0) {
            const char *kind = arena_strndup(arena, s, l);
            if (kind == NULL)
                return DB_ERROR;
            merge_rule(rules, &n, kind, 0, true, NULL);
        }
        p = comma != NULL ? comma + 1 : p + len;
    }
    qsort(rules, n, sizeof(*rules), rule_compare);
    *out = rules;
    *count = n;
    return DB_OK;
}

int compliance_rules(struct db_conn *conn, struct arena *arena, const char *organization_id,
                     const char *offering_id, struct requirement_rule **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    struct store_requirement *rows;
    size_t row_count = 0;
    int rc = store_requirements_for(conn, arena, organization_id, offering_id, &rows, &row_count);
    if (rc != DB_OK)
        return rc;
    const char *listed = "";
    if (offering_id != NULL) {
        struct store_offering o;
        rc = store_offering_get(conn, arena, offering_id, &o);
        if (rc == DB_ROW && o.requirements != NULL)
            listed = o.requirements;
        else if (rc != DB_ROW && rc != DB_DONE)
            return rc;
    }
    return compliance_rules_from(arena, rows, row_count, organization_id, offering_id, listed, out, count);
}

int compliance_evaluate_all(struct arena *arena, const struct requirement_rule *rules, size_t rule_count,
                            const struct store_document *docs, size_t doc_count, const char *start, const char *end,
                            struct compliance *out)
{
    memset(out, 0, sizeof(*out));
    out->start = start;
    out->end = end;
    out->all_ok = true;
    if (rule_count == 0)
        return DB_OK;
    out->items = arena_calloc(arena, rule_count, sizeof(*out->items));
    if (out->items == NULL)
        return DB_ERROR;
    char today[11];
    today_date(today);
    for (size_t i = 0; i < rule_count; i++) {
        compliance_evaluate(arena, &rules[i], docs, doc_count, start, end, today, &out->items[i]);
        if (out->items[i].state != COMPLIANCE_OK)
            out->all_ok = false;
    }
    out->count = rule_count;
    return DB_OK;
}

int compliance_for_application(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                               struct compliance *out)
{
    memset(out, 0, sizeof(*out));
    out->start = a->block_start;
    out->end = a->block_end;
    out->all_ok = true;
    struct requirement_rule *rules;
    size_t rule_count;
    int rc = compliance_rules(conn, arena, a->organization_id, a->offering_id, &rules, &rule_count);
    if (rc != DB_OK)
        return rc;
    if (rule_count == 0)
        return DB_OK;
    struct store_document *docs;
    size_t doc_count;
    rc = store_documents_current(conn, arena, a->student_id, &docs, &doc_count);
    if (rc != DB_OK)
        return rc;
    return compliance_evaluate_all(arena, rules, rule_count, docs, doc_count, a->block_start, a->block_end, out);
}

/* ---- requirements ---- */

static bool may_manage(const struct store_user *user, const char *organization_id)
{
    if (user == NULL)
        return false;
    if (is_staff(user))
        return true;
    return account_is_member(user, organization_id, ROLE_HOST_COORDINATOR);
}

struct requirement_ctx {
    struct arena *arena;
    const struct store_user *user;
    const struct store_requirement *r;
    bool remove;
    struct error *err;
};

static int requirement_tx(struct db_conn *conn, void *p)
{
    struct requirement_ctx *c = p;
    int rc = c->remove ? store_requirement_delete(conn, c->r->id) : store_requirement_insert(conn, c->r);
    if (rc == DB_CONSTRAINT) {
        error_set(c->err, ERR_CONFLICT, "kind",
                  arena_textf(c->arena, "%s is already required %s", document_kind_name(c->r->kind),
                              c->r->offering_id != NULL ? "for this offering" : "by this host"));
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc != DB_OK)
        return rc;
    /* The offering page and GET /offerings/{id} list the requirements: they change with them. */
    rc = c->r->offering_id != NULL ? store_catalog_changed(conn, c->r->offering_id, clock_now())
                                   : store_catalog_host_changed(conn, c->r->organization_id, clock_now());
    if (rc != DB_OK)
        return rc;
    return store_audit_add(conn, c->user->id, c->remove ? AUDIT_REQUIREMENT_REMOVE : AUDIT_REQUIREMENT_ADD,
                           AUDIT_ON_REQUIREMENT, c->r->id, arena_textf(c->arena, "kind=%s", c->r->kind), clock_now());
}

size_t requirement_input_problems(const char *kind, int64_t issued_within_days, struct error *errors,
                                  size_t capacity)
{
    struct error each[REQUIREMENT_INPUT_FIELDS] = {0};
    if (kind == NULL || reference_document_kind_find(kind) == NULL)
        (void)error_set(&each[0], ERR_VALIDATION_FAILED, "kind", "must be one of the document kinds");
    if (issued_within_days < 0 || issued_within_days > ISSUED_WITHIN_DAYS_MAX)
        (void)error_set(&each[1], ERR_VALIDATION_FAILED, "issued_within_days",
                        "must be between 1 and " LIMIT_TEXT(ISSUED_WITHIN_DAYS_MAX) " days");
    size_t count = 0;
    for (size_t i = 0; i < REQUIREMENT_INPUT_FIELDS; i++)
        if (each[i].code != ERR_NONE && count < capacity)
            errors[count++] = each[i];
    return count;
}

int requirement_add(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                    const char *organization_id, const char *offering_id, const char *kind,
                    int64_t issued_within_days, struct store_requirement *out, struct error *err)
{
    err->code = ERR_NONE;
    if (organization_id == NULL || !may_manage(user, organization_id))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such host");
    const char *org_kind = NULL;
    int rc = store_organization_kind(conn, arena, organization_id, &org_kind);
    if (rc == DB_DONE || (rc == DB_ROW && organization_kind_parse(org_kind) != ORGANIZATION_HOST))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such host");
    if (rc != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    struct error first;
    if (requirement_input_problems(kind, issued_within_days, &first, 1) > 0) {
        *err = first;
        return -1;
    }
    if (offering_id != NULL && offering_id[0] == '\0')
        offering_id = NULL;
    if (offering_id != NULL) {
        struct store_offering o;
        rc = store_offering_get(conn, arena, offering_id, &o);
        if (rc != DB_ROW && rc != DB_DONE)
            return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
        if (rc == DB_DONE || strcmp(o.organization_id, organization_id) != 0)
            return error_set(err, ERR_VALIDATION_FAILED, "offering_id", "is not an offering of this host");
    }
    char id[48];
    crypto_sortable_id("rq_", clock_now_ms(), id, sizeof(id));
    struct store_requirement r = {
        .id = arena_strdup(arena, id),
        .organization_id = organization_id,
        .offering_id = offering_id,
        .kind = kind,
        .issued_within_days = issued_within_days,
        .created_at = clock_now(),
    };
    if (r.id == NULL)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    struct requirement_ctx c = {arena, user, &r, false, err};
    rc = db_run_tx(conn, true, requirement_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    if (rc == DB_OK)
        catalog_index_sync(conn); /* the writer reads the new list back at once */
    if (rc != DB_OK || store_requirement_get(conn, arena, r.id, out) != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

int requirement_remove(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                       struct error *err)
{
    err->code = ERR_NONE;
    if (user == NULL || id == NULL)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such requirement");
    struct store_requirement r;
    int rc = store_requirement_get(conn, arena, id, &r);
    if (rc == DB_DONE || (rc == DB_ROW && !may_manage(user, r.organization_id)))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such requirement");
    if (rc != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    struct requirement_ctx c = {arena, user, &r, true, err};
    rc = db_run_tx(conn, true, requirement_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    if (rc == DB_OK)
        catalog_index_sync(conn); /* the writer reads the new list back at once */
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

/* ---- reminders ---- */

struct reminder_ctx {
    struct arena *arena;
    const struct store_document *doc;
    const struct store_application *application;
    int64_t days_before;
    bool sent;
};

static int reminder_tx(struct db_conn *conn, void *p)
{
    struct reminder_ctx *c = p;
    c->sent = false;
    int64_t now = clock_now();
    int rc = store_document_reminder_claim(conn, c->doc->id, c->days_before, c->application->id, now);
    if (rc == DB_DONE)
        return DB_OK; /* sent before, here or by another instance */
    if (rc != DB_OK)
        return rc;
    const char *title = arena_textf(c->arena,
                                    "Your %s expires on %s \xe2\x80\x94 upload a new one before your rotation at %s",
                                    document_kind_in_sentence(c->arena, c->doc->kind),
                                    date_words(c->arena, c->doc->expires_on), c->application->host_name);
    struct recipient student = {c->doc->student_id, c->doc->student_email};
    notify(conn, c->arena, &student, "document_expiring", title, arena_textf(c->arena, "/wallet/%s", c->doc->id), now);
    c->sent = true;
    return DB_OK;
}

int documents_send_reminders(struct db_conn *conn, struct arena *arena, int *sent)
{
    *sent = 0;
    char today[11], week_through[11], through[11];
    int32_t today_days = (int32_t)(clock_now() / 86400);
    clock_date_from_days(today_days, today);
    clock_date_from_days(today_days + 7, week_through);
    clock_date_from_days(today_days + EXPIRING_DAYS, through);
    struct store_document *docs;
    size_t count;
    if (store_documents_expiring(conn, arena, today, week_through, through, &docs, &count) != DB_OK)
        return -1;
    for (size_t i = 0; i < count; i++) {
        const struct store_document *d = &docs[i];
        if (!date_valid(d->expires_on))
            continue;
        int32_t left = clock_days_from_date(d->expires_on) - today_days;
        int64_t days_before = left <= 7 ? 7 : 30;
        /* The soonest upcoming rotation of the student that needs this kind. */
        struct store_application *apps;
        size_t app_count;
        if (store_student_applications(conn, arena, d->student_id, upcoming_statuses, today, &apps, &app_count) !=
            DB_OK)
            return -1;
        const struct store_application *needed = NULL;
        for (size_t j = 0; j < app_count; j++) {
            if (needed != NULL && strcmp(apps[j].block_start, needed->block_start) >= 0)
                continue;
            struct requirement_rule *rules;
            size_t rule_count;
            if (compliance_rules(conn, arena, apps[j].organization_id, apps[j].offering_id, &rules, &rule_count) !=
                DB_OK)
                return -1;
            if (kind_in_rules(rules, rule_count, d->kind))
                needed = &apps[j];
        }
        if (needed == NULL)
            continue;
        struct reminder_ctx c = {arena, d, needed, days_before, false};
        if (db_run_tx(conn, true, reminder_tx, &c) != DB_OK)
            return -1;
        if (c.sent)
            (*sent)++;
    }
    return 0;
}
