/* time_display.c — instants and dates as the viewer reads them: in the time
 * zone of their account ("Dec 2, 2026, 10:20 EST"), or in UTC, saying so,
 * when they have not chosen one (or are signed out). The words are
 * lib/tz_words.c's, which the notices and emails use too. */
#include "lib/tz_words.h"
#include "web/web.h"

const char *web_viewer_time_zone(const struct http_request *req)
{
    return req->auth.user != NULL ? req->auth.user->time_zone : NULL;
}

void web_write_instant(const struct http_request *req, struct buf *b, int64_t t)
{
    char words[TZ_INSTANT_WORDS_SIZE];
    buf_append_html(b, tz_instant_words(web_viewer_time_zone(req), t, words));
}

void web_write_date(const struct http_request *req, struct buf *b, int64_t t)
{
    char words[CLOCK_DATE_WORDS_SIZE];
    buf_append_html(b, tz_date_words(web_viewer_time_zone(req), t, words));
}
