/* demo_story.c — what the demo's stories share; see demo_story.h. */
#include "domain/demo_story.h"

#include <string.h>
#include <time.h>

#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"

const char *demo_sortable_id(struct arena *arena, const char *prefix, int64_t at)
{
    char id[ID_MAX_BYTES + 1];
    crypto_sortable_id(prefix, at * 1000, id, sizeof(id));
    return id[0] != '\0' ? arena_strdup(arena, id) : NULL;
}

const char *demo_random_id(struct arena *arena, const char *prefix)
{
    char id[ID_MAX_BYTES + 1];
    crypto_random_id(prefix, id, sizeof(id));
    return arena_strdup(arena, id);
}

int demo_find_application(struct db_conn *conn, struct arena *arena, const char *student_id,
                          const char *preceptor_user_id, const char *statuses, struct store_application *out)
{
    struct store_application *items = NULL;
    size_t count = 0;
    int rc = store_student_applications(conn, arena, student_id, statuses, NULL, &items, &count);
    if (rc != DB_OK)
        return rc;
    for (size_t i = count; i-- > 0;) /* newest first: the oldest is the last */
        if (items[i].preceptor_user_id != NULL && strcmp(items[i].preceptor_user_id, preceptor_user_id) == 0) {
            *out = items[i];
            return DB_ROW;
        }
    return DB_DONE;
}

int demo_read_old_notices(struct db_conn *conn, struct arena *arena, const char *user_id, int64_t today)
{
    enum { NOTICES_MAX = 1000 }; /* far more than the demo's history makes for one account */
    struct store_notification *items = NULL;
    size_t count = 0;
    int64_t unread = 0;
    int rc = store_notifications_list(conn, arena, user_id, NOTICES_MAX, &items, &count, &unread);
    int64_t before = today - (int64_t)DEMO_NOTICE_READ_DAYS * 86400;
    for (size_t i = 0; rc == DB_OK && unread > 0 && i < count; i++)
        if (items[i].read_at == 0 && items[i].created_at < before)
            rc = store_notification_read(conn, user_id, items[i].id, items[i].created_at + DEMO_NOTICE_READ_AFTER);
    return rc;
}

int64_t demo_clock_at(int64_t when)
{
    int64_t offset = clock_now() - (int64_t)time(NULL); /* the clock offset as it stands, restored after */
    clock_set_offset(when - (int64_t)time(NULL));
    return offset;
}
