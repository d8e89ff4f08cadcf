/* specialties_get.c — GET /api/v1/specialties: the reference list of
 * specialties (slug, name, the residency specialty it leads to), a page at a
 * time, by slug as the cursor. Public. */
#include "api/api.h"
#include "domain/reference.h"
#include "lib/limits.h"

void api_specialties_get(struct http_request *req)
{
    struct api_pager pager;
    if (api_pager_start(req, &pager, "specialties", NULL) != 0)
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < reference_specialty_count; i++) {
        const struct reference_specialty *s = &reference_specialties[i];
        if (!api_pager_take(&pager, &b, s->slug))
            continue;
        buf_append_str(&b, "{\"slug\":");
        buf_append_json_string(&b, s->slug);
        buf_append_str(&b, ",\"name\":");
        buf_append_json_string(&b, s->name);
        buf_append_str(&b, ",\"residency_specialty\":");
        buf_append_json_string(&b, s->residency_specialty);
        buf_append_char(&b, '}');
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
