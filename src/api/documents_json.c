/* documents_json.c — the JSON shapes of the document wallet (a document with
 * its older versions, a requirement) and the query parameters of its lists.
 * A document's blob address never leaves the server. */
#include "api/documents_api.h"

const char *const api_documents_list_params[] = {"state", "student_id", "limit", "cursor", NULL};
const char *const api_document_file_params[] = {"disposition", NULL};
const char *const api_requirements_list_params[] = {"organization_id", "offering_id", "limit", "cursor", NULL};

/* "key":"value" or "key":null for an absent or empty value. */
static void write_string_or_null(struct buf *b, const char *key, const char *value)
{
    buf_appendf(b, ",\"%s\":", key);
    buf_append_json_string(b, value != NULL && value[0] != '\0' ? value : NULL);
}

static void write_one(struct buf *b, const struct store_document *d)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, d->id);
    buf_append_str(b, ",\"kind\":");
    buf_append_json_string(b, d->kind);
    buf_append_str(b, ",\"kind_name\":");
    buf_append_json_string(b, document_kind_name(d->kind));
    buf_append_str(b, ",\"state\":");
    buf_append_json_string(b, d->state);
    buf_append_str(b, ",\"state_label\":");
    buf_append_json_string(b, document_state_label(document_state_of(d)));
    buf_append_str(b, ",\"file_name\":");
    buf_append_json_string(b, d->file_name);
    buf_append_str(b, ",\"media_type\":");
    buf_append_json_string(b, d->media_type);
    buf_appendf(b, ",\"size\":%lld", (long long)d->size);
    write_string_or_null(b, "issued_on", d->issued_on);
    write_string_or_null(b, "expires_on", d->expires_on);
    buf_append_str(b, ",\"reject_reason\":");
    buf_append_json_string(b, d->reject_reason != NULL ? d->reject_reason : "");
    api_write_instant(b, "reviewed_at", d->reviewed_at);
    write_string_or_null(b, "replaces", d->replaces_id);
    buf_appendf(b, ",\"current\":%s", d->replaced_at == 0 && d->deleted_at == 0 ? "true" : "false");
    api_write_instant(b, "replaced_at", d->replaced_at);
    api_write_instant(b, "created_at", d->created_at);
    api_write_instant(b, "updated_at", d->updated_at);
    buf_append_str(b, ",\"student\":{\"id\":");
    buf_append_json_string(b, d->student_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, d->student_name);
    buf_append_str(b, "}");
}

void api_write_document(struct buf *b, const struct store_document *d, const struct store_document *history,
                        size_t history_count)
{
    write_one(b, d);
    if (history != NULL) {
        buf_append_str(b, ",\"versions\":[");
        for (size_t i = 0; i < history_count; i++) {
            if (i > 0)
                buf_append_char(b, ',');
            write_one(b, &history[i]);
            buf_append_char(b, '}');
        }
        buf_append_char(b, ']');
    }
    buf_append_char(b, '}');
}

void api_write_requirement(struct buf *b, const struct store_requirement *r)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, r->id);
    buf_append_str(b, ",\"organization_id\":");
    buf_append_json_string(b, r->organization_id);
    write_string_or_null(b, "offering_id", r->offering_id);
    buf_append_str(b, ",\"source\":");
    buf_append_json_string(b, r->offering_id != NULL && r->offering_id[0] != '\0' ? "offering" : "host");
    buf_append_str(b, ",\"kind\":");
    buf_append_json_string(b, r->kind);
    buf_append_str(b, ",\"kind_name\":");
    buf_append_json_string(b, document_kind_name(r->kind));
    if (r->issued_within_days > 0)
        buf_appendf(b, ",\"issued_within_days\":%lld", (long long)r->issued_within_days);
    else
        buf_append_str(b, ",\"issued_within_days\":null");
    api_write_instant(b, "created_at", r->created_at);
    buf_append_char(b, '}');
}
