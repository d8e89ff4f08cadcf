/* list_pager.c — one page of a list the handler built whole in memory
 * (?limit=, ?cursor=, {"items":[…],"next_cursor":…}), for the lists that are
 * small per caller and not paged in the store. */
#include <string.h>

#include "api/api.h"

int api_pager_start(struct http_request *req, struct api_pager *pager)
{
    memset(pager, 0, sizeof(*pager));
    if (api_list_params(req, &pager->page) != 0)
        return -1;
    pager->resumed = pager->page.cursor == NULL;
    return 0;
}

bool api_pager_take(struct api_pager *pager, struct buf *b, const char *id)
{
    if (!pager->resumed) {
        /* Items up to the cursor's were on earlier pages. */
        pager->resumed = id != NULL && strcmp(id, pager->page.cursor) == 0;
        return false;
    }
    if (pager->shown >= pager->page.limit) {
        pager->more = true;
        return false;
    }
    if (pager->shown++ > 0)
        buf_append_char(b, ',');
    pager->last_id = id;
    return true;
}

int api_pager_finish(struct http_request *req, struct api_pager *pager, struct buf *b)
{
    if (!pager->resumed) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "cursor", "is not a cursor of this list");
        return -1;
    }
    api_write_list_end(b, pager->more ? pager->last_id : NULL);
    return 0;
}
