/* specialties_get.c — GET /api/v1/specialties: the reference list of
 * specialties (slug, name, the residency specialty it leads to). Public. */
#include "api/api.h"
#include "domain/reference.h"
#include "lib/limits.h"

void api_specialties_get(struct http_request *req)
{
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < reference_specialty_count; i++) {
        const struct reference_specialty *s = &reference_specialties[i];
        buf_append_str(&b, i > 0 ? ",{\"slug\":" : "{\"slug\":");
        buf_append_json_string(&b, s->slug);
        buf_append_str(&b, ",\"name\":");
        buf_append_json_string(&b, s->name);
        buf_append_str(&b, ",\"residency_specialty\":");
        buf_append_json_string(&b, s->residency_specialty);
        buf_append_char(&b, '}');
    }
    api_write_list_end(&b, NULL);
    http_reply_json(req, 200, &b);
}
