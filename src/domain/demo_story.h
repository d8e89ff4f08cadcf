/* demo_story.h — what the stories of `rounds seed --demo` share: ids made
 * the way the site makes them, but at the moment the story says an object
 * was made (so that lists sorted by id, newest first, put the demo's objects
 * where their dates put them); finding a story's application again by who it
 * is about rather than by a fixed id (so that a second seed adds nothing);
 * and the clock set to a moment of the story while a domain function runs. */
#ifndef ROUNDS_DOMAIN_DEMO_STORY_H
#define ROUNDS_DOMAIN_DEMO_STORY_H

#include <stdint.h>

#include "lib/arena.h"
#include "store/applications.h"
#include "store/store.h"

/* A time-ordered id (crypto_sortable_id) for an object made at `at`
 * (seconds), in the arena; NULL when it is full. */
const char *demo_sortable_id(struct arena *arena, const char *prefix, int64_t at);
/* A random id (crypto_random_id), as the catalog makes for blocks. */
const char *demo_random_id(struct arena *arena, const char *prefix);

/* The student's oldest application in one of `statuses` (comma-separated)
 * on an offering the user precepts: DB_ROW with *out, DB_DONE when there is
 * none, or the store's failure. The demo's own is the oldest: anything the
 * account did on the site since came later. */
int demo_find_application(struct db_conn *conn, struct arena *arena, const char *student_id,
                          const char *preceptor_user_id, const char *statuses, struct store_application *out);

/* The demo's rule for the notices its history made: the user has read those
 * made more than DEMO_NOTICE_READ_DAYS before the seed's today (as someone
 * who paid in September read its receipt then), each DEMO_NOTICE_READ_AFTER
 * seconds after it came; newer ones stay unread. Marks them through
 * store_notification_read; a second run finds nothing more to mark. DB_OK,
 * or the store's failure. */
enum { DEMO_NOTICE_READ_DAYS = 7, DEMO_NOTICE_READ_AFTER = 2 * 3600 };
int demo_read_old_notices(struct db_conn *conn, struct arena *arena, const char *user_id, int64_t today);

/* From now on clock_now() says `when`; returns the offset to put back with
 * clock_set_offset(). The seed runs alone in its process. */
int64_t demo_clock_at(int64_t when);

#endif
