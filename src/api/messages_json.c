/* messages_json.c — the JSON shape of a message. */
#include "api/messages_api.h"

#include <stdio.h>
#include <string.h>

void api_write_message(struct buf *b, const struct store_message *m, const char *viewer_id)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, m->id);
    buf_append_str(b, ",\"application_id\":");
    buf_append_json_string(b, m->application_id);
    buf_append_str(b, ",\"sender\":{\"id\":");
    buf_append_json_string(b, m->sender_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, m->sender_name != NULL ? m->sender_name : "");
    buf_append_str(b, "},\"body\":");
    buf_append_json_string(b, m->body);
    buf_append_str(b, ",\"document\":");
    if (m->document_id != NULL) {
        buf_append_str(b, "{\"id\":");
        buf_append_json_string(b, m->document_id);
        buf_append_str(b, ",\"kind\":");
        buf_append_json_string(b, m->document_kind != NULL ? m->document_kind : "");
        buf_append_str(b, ",\"file_name\":");
        buf_append_json_string(b, m->document_name != NULL ? m->document_name : "");
        char url[256];
        snprintf(url, sizeof(url), "/api/v1/applications/%s/messages/%s/attachment", m->application_id, m->id);
        buf_append_str(b, ",\"url\":");
        buf_append_json_string(b, url);
        buf_append_char(b, '}');
    } else {
        buf_append_str(b, "null");
    }
    buf_appendf(b, ",\"mine\":%s", viewer_id != NULL && strcmp(viewer_id, m->sender_id) == 0 ? "true" : "false");
    api_write_instant(b, "created_at", m->created_at);
    buf_append_char(b, '}');
}
