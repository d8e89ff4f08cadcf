/* time_display.c — instants and dates as the viewer reads them: in the time
 * zone of their account ("Dec 2, 2026, 10:20 EST"), or in UTC, saying so,
 * when they have not chosen one (or are signed out). */
#include <stdio.h>

#include "lib/clock.h"
#include "lib/tz.h"
#include "views/money.h"
#include "web/web.h"

const char *web_viewer_time_zone(const struct http_request *req)
{
    return req->auth.user != NULL ? req->auth.user->time_zone : NULL;
}

/* t in the viewer's zone; UTC when the zone cannot be read (it left the tz database). */
static void viewer_local(const struct http_request *req, int64_t t, struct tz_local *out)
{
    if (tz_local(web_viewer_time_zone(req), t, out) != 0)
        (void)tz_local(NULL, t, out);
}

static void write_local_date(struct buf *b, int64_t local)
{
    char date[11];
    int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    clock_date_from_days((int32_t)days, date);
    view_date(b, date);
}

void web_write_instant(const struct http_request *req, struct buf *b, int64_t t)
{
    struct tz_local l;
    viewer_local(req, t, &l);
    write_local_date(b, l.local);
    int64_t days = l.local >= 0 ? l.local / 86400 : (l.local - 86399) / 86400;
    int64_t seconds = l.local - days * 86400;
    buf_appendf(b, ", %02d:%02d ", (int)(seconds / 3600), (int)(seconds % 3600 / 60));
    if (l.abbreviation[0] != '+' && l.abbreviation[0] != '-' && l.abbreviation[0] != '\0') {
        buf_append_html(b, l.abbreviation);
        return;
    }
    /* A zone without a name for its time ("+0530" in the tz database): the offset. */
    int32_t offset = l.offset < 0 ? -l.offset : l.offset;
    buf_appendf(b, "UTC%c%d", l.offset < 0 ? '-' : '+', (int)(offset / 3600));
    if (offset % 3600 != 0)
        buf_appendf(b, ":%02d", (int)(offset % 3600 / 60));
}

void web_write_date(const struct http_request *req, struct buf *b, int64_t t)
{
    struct tz_local l;
    viewer_local(req, t, &l);
    write_local_date(b, l.local);
}
