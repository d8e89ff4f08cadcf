/* notify.c — notifications in the app and emails through the outbox; see notify.h. */
#include "domain/notify.h"

#include <string.h>

#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "store/applications.h"

static const char *public_url = "";

void notify_configure(const char *url)
{
    public_url = url != NULL ? url : "";
}

const char *notify_public_url(void)
{
    return public_url;
}

void notify_email(struct db_conn *conn, struct arena *arena, const char *to, const char *subject,
                  const char *body_text, int64_t now)
{
    /* Mail wants CRLF line ends. */
    struct buf body;
    buf_init(&body, arena, BUF_CAP_FORM);
    for (const char *p = body_text; *p != '\0'; p++) {
        if (*p == '\n' && (p == body_text || p[-1] != '\r'))
            buf_append(&body, "\r\n", 2);
        else
            buf_append(&body, p, 1);
    }
    char id[48];
    crypto_sortable_id("m_", clock_now_ms(), id, sizeof(id));
    if (!buf_ok(&body) || store_outbox_add(conn, id, to, subject, body.data, now) != DB_OK)
        log_warn("msg=\"email not queued\"");
}

void notify(struct db_conn *conn, struct arena *arena, const struct recipient *to, const char *kind, const char *title,
            const char *link, int64_t now)
{
    char id[48];
    crypto_sortable_id("n_", clock_now_ms(), id, sizeof(id));
    if (to->user_id != NULL && store_notification_add(conn, id, to->user_id, kind, title, link, now) != DB_OK)
        log_warn("msg=\"notification not stored\" kind=%s", kind);
    if (to->email == NULL)
        return;
    struct buf body;
    buf_init(&body, arena, BUF_CAP_SMALL);
    buf_appendf(&body, "%s\n\nOpen it in Rounds: %s%s\n\n-- \nRounds\n", title, public_url, link);
    if (buf_ok(&body))
        notify_email(conn, arena, to->email, title, body.data, now);
}
