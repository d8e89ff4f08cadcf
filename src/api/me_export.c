/* me_export.c — GET /api/v1/me/export: everything Rounds holds about the
 * signed-in person, as a zip (issue 18, item 5): rounds-export.json (the
 * account and profile, the second factor's state, applications, every
 * version of every document, letter requests, with the time of the export)
 * and the files themselves: documents/<id>/<file name> for each document
 * version, letters/<id>.pdf for each letter the person may read. A letter
 * whose student waived the right to see it is listed without its file and
 * never enters the archive. Every file read is audited as usual; the export
 * itself is audited (data_exported). */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/applications_api.h"
#include "api/documents_api.h"
#include "api/letters_api.h"
#include "domain/documents.h"
#include "domain/letters.h"
#include "domain/two_factor.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "lib/zip.h"
#include "store/applications.h"
#include "store/documents.h"
#include "store/letters.h"

struct export_data {
    struct store_application *applications;
    size_t application_count;
    struct store_document *documents; /* current and older versions */
    size_t document_count;
    struct store_letter *letters;
    size_t letter_count;
    struct two_factor_status second_factor;
};

/* Appends the older versions of each current document to the list. */
static int add_history(struct http_request *req, struct export_data *d)
{
    size_t current = d->document_count;
    for (size_t i = 0; i < current; i++) {
        struct store_document *older = NULL;
        size_t n = 0;
        if (store_document_history(req->db, &req->arena, d->documents[i].id, &older, &n) != DB_OK)
            return -1;
        if (n == 0)
            continue;
        struct store_document *all = arena_alloc(&req->arena, (d->document_count + n) * sizeof(*all));
        if (all == NULL)
            return -1;
        memcpy(all, d->documents, d->document_count * sizeof(*all));
        memcpy(all + d->document_count, older, n * sizeof(*all));
        d->documents = all;
        d->document_count += n;
    }
    return 0;
}

static int load(struct http_request *req, const struct store_user *user, struct export_data *d)
{
    memset(d, 0, sizeof(*d));
    struct store_application_filter af = {.student_id = user->id, .limit = 100000};
    struct store_letter_filter lf = {.student_id = user->id, .limit = 100000};
    struct error err = {0};
    if (store_applications_list(req->db, &req->arena, &af, &d->applications, &d->application_count) != DB_OK ||
        store_documents_current(req->db, &req->arena, user->id, &d->documents, &d->document_count) != DB_OK ||
        add_history(req, d) != 0 ||
        store_letters_list(req->db, &req->arena, &lf, &d->letters, &d->letter_count) != DB_OK ||
        two_factor_status(req->db, &req->arena, user, req->options->two_factor_roles, &d->second_factor, &err) != 0)
        return -1;
    return 0;
}

static void write_json(struct buf *b, const struct store_user *user, const struct export_data *d, int64_t now)
{
    buf_append_str(b, "{\"format\":\"rounds-export-1\"");
    api_write_instant(b, "exported_at", now);
    buf_append_str(b, ",\"user\":");
    api_write_user(b, user);
    buf_appendf(b, ",\"two_factor\":{\"enabled\":%s,\"recovery_codes_left\":%lld}",
                d->second_factor.enabled ? "true" : "false", (long long)d->second_factor.recovery_left);
    buf_append_str(b, ",\"applications\":[");
    for (size_t i = 0; i < d->application_count; i++) {
        if (i > 0)
            buf_append_char(b, ',');
        api_write_application(b, &d->applications[i], NULL, 0);
    }
    buf_append_str(b, "],\"documents\":[");
    for (size_t i = 0; i < d->document_count; i++) {
        if (i > 0)
            buf_append_char(b, ',');
        api_write_document(b, &d->documents[i], NULL, 0);
    }
    buf_append_str(b, "],\"letters\":[");
    for (size_t i = 0; i < d->letter_count; i++) {
        if (i > 0)
            buf_append_char(b, ',');
        api_write_letter_as(b, &d->letters[i], "student");
    }
    buf_append_str(b, "]}");
}

/* A name for the archive: the document's id and its file name without a path. */
static const char *document_entry(struct arena *arena, const struct store_document *doc)
{
    const char *base = doc->file_name != NULL ? doc->file_name : "file";
    for (const char *p = base; *p != '\0'; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    if (base[0] == '\0' || strcmp(base, "..") == 0 || strcmp(base, ".") == 0)
        base = "file";
    size_t size = strlen(doc->id) + strlen(base) + 16;
    char *name = arena_alloc(arena, size);
    if (name != NULL)
        snprintf(name, size, "documents/%s/%s", doc->id, base);
    return name;
}

static int add_files(struct http_request *req, const struct store_user *user, const struct export_data *d,
                     struct zip *z)
{
    for (size_t i = 0; i < d->document_count; i++) {
        struct store_document doc;
        const char *data = NULL;
        size_t len = 0;
        struct error err = {0};
        if (document_read_file(req->db, &req->arena, d->documents[i].id, user, &doc, &data, &len, &err) != 0)
            continue; /* deleted meanwhile */
        const char *name = document_entry(&req->arena, &d->documents[i]);
        if (name == NULL || zip_add(z, name, data, len) != 0)
            return -1;
    }
    struct letter_actor actor = {.user = user};
    for (size_t i = 0; i < d->letter_count; i++) {
        const struct store_letter *l = &d->letters[i];
        const char *data = NULL;
        size_t len = 0;
        struct error err = {0};
        if (l->waived || l->version_count == 0 ||
            letter_read_file(req->db, &req->arena, l->id, &actor, &data, &len, &err) != 0)
            continue;
        char name[96];
        snprintf(name, sizeof(name), "letters/%s.pdf", l->id);
        if (zip_add(z, name, data, len) != 0)
            return -1;
    }
    return 0;
}

void api_me_export(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct export_data d;
    if (load(req, &user, &d) != 0) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    int64_t now = clock_now();
    struct buf json;
    buf_init(&json, &req->arena, BUF_CAP_EXPORT);
    write_json(&json, &user, &d, now);
    struct zip z;
    zip_init(&z, &req->arena, now);
    const unsigned char *archive = NULL;
    size_t len = 0;
    if (!buf_ok(&json) || zip_add(&z, "rounds-export.json", json.data, json.len) != 0 ||
        add_files(req, &user, &d, &z) != 0 || zip_finish(&z, &archive, &len) != 0) {
        http_reply_error(req, ERR_INTERNAL, NULL, "the export is too large to build");
        return;
    }
    store_audit_add(req->db, user.id, AUDIT_DATA_EXPORTED, AUDIT_ON_USER, user.id, "", now);
    char file_name[64];
    char day[11];
    clock_today(day);
    snprintf(file_name, sizeof(file_name), "rounds-export-%s.zip", day);
    http_reply_file(req, "application/zip", file_name, false, (const char *)archive, len);
}
