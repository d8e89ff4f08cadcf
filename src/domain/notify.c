/* notify.c — notifications in the app and emails through the outbox; see notify.h. */
#include "domain/notify.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "lib/utf8.h"
#include "store/applications.h"
#include "store/store.h"

static const char *public_url = "";

void notify_configure(const char *url)
{
    public_url = url != NULL ? url : "";
}

const char *notify_public_url(void)
{
    return public_url;
}

static bool ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The code points some mail programs read as a dot in a host name. */
static size_t dot_like(const char *s)
{
    static const char *const dots[] = {"\xe3\x80\x82", "\xef\xbc\x8e", "\xef\xbd\xa1", "\xe2\x80\xa4"};
    for (size_t i = 0; i < sizeof(dots) / sizeof(dots[0]); i++)
        if (strncmp(s, dots[i], 3) == 0)
            return 3;
    return 0;
}

const char *notify_quote(struct arena *arena, const char *text, size_t max)
{
    if (text == NULL)
        text = "";
    size_t len = strlen(text);
    if (len > max) {
        len = max;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
    }
    struct buf b;
    buf_init(&b, arena, len * 5 + 16);
    buf_append_str(&b, "\xe2\x80\x9c"); /* “ */
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)text[i];
        unsigned char prev = i > 0 ? (unsigned char)text[i - 1] : 0, next = i + 1 < len ? (unsigned char)text[i + 1] : 0;
        if (c >= 0x80) {
            unsigned cp = 0;
            size_t n = utf8_decode(text + i, len - i, &cp);
            if (n == 0) { /* not UTF-8: dropped */
                i++;
                continue;
            }
            if (dot_like(text + i) > 0)
                buf_append_str(&b, "[.]");
            else if (cp <= 0x9f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
                     cp == 0x2028 || cp == 0x2029)
                buf_append_char(&b, ' '); /* C1, bidirectional controls, line breaks */
            else
                buf_append(&b, text + i, n);
            i += n;
            continue;
        }
        if (c < 0x20 || c == 0x7f)
            buf_append_char(&b, ' ');
        else if (c == ':' && i + 2 < len && text[i + 1] == '/' && text[i + 2] == '/')
            buf_append_str(&b, "[:]");
        else if (c == '.' && ascii_alnum(prev) && ascii_alnum(next))
            buf_append_str(&b, "[.]");
        else if (c == '@')
            buf_append_str(&b, "[at]");
        else
            buf_append_char(&b, (char)c);
        i++;
    }
    buf_append_str(&b, "\xe2\x80\x9d"); /* ” */
    return buf_ok(&b) ? b.data : "\xe2\x80\x9c\xe2\x80\x9d";
}

void notify_address_hash(const char *address, char out[65])
{
    char lowered[256];
    size_t n = 0;
    for (; address != NULL && address[n] != '\0' && n + 1 < sizeof(lowered); n++)
        lowered[n] = (char)tolower((unsigned char)address[n]);
    lowered[n] = '\0';
    crypto_hash_token(lowered, out);
}

void notify_account_email(struct db_conn *conn, struct arena *arena, const char *to, const char *kind,
                          const char *subject, const char *body_text, int64_t now)
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
    if (!buf_ok(&body) || store_outbox_add(conn, id, to, kind, subject, body.data, now) != DB_OK)
        log_warn("msg=\"email not queued\"");
}

int notify_email_held(struct db_conn *conn, const char *to, bool *held)
{
    char lowered[256];
    size_t n = 0;
    for (; to != NULL && to[n] != '\0' && n + 1 < sizeof(lowered); n++)
        lowered[n] = (char)tolower((unsigned char)to[n]);
    lowered[n] = '\0';
    *held = false;
    return store_email_unconfirmed(conn, lowered, held);
}

void notify_email(struct db_conn *conn, struct arena *arena, const char *to, const char *kind, const char *subject,
                  const char *body_text, int64_t now)
{
    bool unconfirmed = false;
    if (notify_email_held(conn, to, &unconfirmed) != DB_OK)
        log_warn("msg=\"email not queued: the address could not be checked\"");
    else if (unconfirmed)
        log_info("msg=\"email held: the address is not confirmed\" kind=%s", kind);
    else
        notify_account_email(conn, arena, to, kind, subject, body_text, now);
}

bool notify_groups(const char *kind)
{
    static const char *const batched[] = {"document_verified", "document_rejected", "hours_reviewed"};
    for (size_t i = 0; kind != NULL && i < sizeof(batched) / sizeof(batched[0]); i++)
        if (strcmp(batched[i], kind) == 0)
            return true;
    return false;
}

/* Stores the notice, or joins it to an unread one of its kind from the last
 * NOTIFY_GROUP_SECONDS: true when it was joined (then it is not emailed). */
static bool store_notice(struct db_conn *conn, const char *user_id, const char *kind, const char *title,
                         const char *link, int64_t now)
{
    int rc = notify_groups(kind) ? store_notification_group(conn, user_id, kind, title, link,
                                                            now - NOTIFY_GROUP_SECONDS, now)
                                 : DB_DONE;
    if (rc == DB_OK)
        return true;
    /* Notices made together (one job round, one action) list newest first
     * in the order they were made, though they share a millisecond. */
    char id[48];
    crypto_sortable_id("n_", clock_now_ms_unique(), id, sizeof(id));
    if (rc != DB_DONE || store_notification_add(conn, id, user_id, kind, title, link, now) != DB_OK)
        log_warn("msg=\"notification not stored\" kind=%s", kind);
    return false;
}

const char *notify_time_zone(struct db_conn *conn, struct arena *arena, const char *user_id)
{
    struct store_user user;
    if (user_id == NULL || store_user_by_id(conn, arena, user_id, &user) != DB_ROW)
        return NULL;
    return user.time_zone;
}

void notify(struct db_conn *conn, struct arena *arena, const struct recipient *to, const char *kind, const char *title,
            const char *link, int64_t now)
{
    bool joined = to->user_id != NULL && store_notice(conn, to->user_id, kind, title, link, now);
    if (to->email == NULL || joined)
        return;
    struct buf body;
    buf_init(&body, arena, BUF_CAP_SMALL);
    buf_appendf(&body, "%s\n\nOpen it in Rounds: %s%s\n\n-- \nRounds\n", title, public_url, link);
    if (buf_ok(&body))
        notify_email(conn, arena, to->email, kind, title, body.data, now);
}
