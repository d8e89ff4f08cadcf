/* certificates_json.c — a signed document as JSON. */
#include <string.h>

#include "api/certificates_api.h"

#include "lib/limits.h"
#include "lib/signed_document.h"

void api_write_certificate(struct buf *b, struct arena *arena, const struct store_certificate *c)
{
    struct certificate_fact *facts;
    size_t count = 0;
    char url[BUF_CAP_LINE] = "";
    buf_append_str(b, "{\"number\":");
    buf_append_json_string(b, c->number);
    buf_append_str(b, ",\"kind\":");
    buf_append_json_string(b, c->kind);
    buf_append_str(b, ",\"application_id\":");
    if (c->application_id != NULL)
        buf_append_json_string(b, c->application_id);
    else
        buf_append_str(b, "null");
    api_write_instant(b, "issued_at", c->issued_at);
    buf_appendf(b, ",\"revoked\":%s", c->revoked_at != 0 ? "true" : "false");
    api_write_instant(b, "revoked_at", c->revoked_at);
    buf_append_str(b, ",\"revoke_reason\":");
    buf_append_json_string(b, c->revoke_reason != NULL ? c->revoke_reason : "");
    buf_append_str(b, ",\"facts\":{");
    if (certificate_facts_shown(arena, c->facts, &facts, &count) == 0)
        for (size_t i = 0; i < count; i++) {
            if (i > 0)
                buf_append_char(b, ',');
            buf_append_json_string(b, facts[i].name);
            buf_append_char(b, ':');
            buf_append_json_string(b, facts[i].value);
        }
    buf_append_str(b, "},\"pdf\":");
    buf_appendf(b, "\"/api/v1/certificates/%s/pdf\"", c->number);
    signed_facts_get(c->facts, strlen(c->facts), "verify_url", url, sizeof(url));
    buf_append_str(b, ",\"verify_url\":");
    buf_append_json_string(b, url);
    buf_append_char(b, '}');
}
