/* clock.h — the one source of "now", so that tests can move time.
 *
 * The offset (seconds, may be negative) shifts the clock of a whole process.
 * It starts at 0 and moves only through clock_set_offset(): the test hook
 * POST /api/v1/test/clock (serve --test-hooks 1), tests running in-process,
 * and the demo seeding that dates its history in the past. No environment
 * variable or flag sets it. */
#ifndef ROUNDS_LIB_CLOCK_H
#define ROUNDS_LIB_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* Seconds since the epoch, shifted by the offset. */
int64_t clock_now(void);
/* Milliseconds since the epoch, shifted by the offset (for sortable ids). */
int64_t clock_now_ms(void);
/* clock_now_ms(), but after every earlier call in the process (one more than
 * the last when the clock has not moved on): the ids made from it in one
 * process sort in the order they were made, also within a millisecond. */
int64_t clock_now_ms_unique(void);
/* Monotonic milliseconds for measuring durations (never shifted). */
double clock_monotonic_ms(void);
void clock_set_offset(int64_t seconds);
/* Tests: true stops clock_now() at the current second (kept by later calls
 * with true, so that offsets count from one instant); false lets it run.
 * clock_now_ms() always runs (ids stay in order). */
void clock_freeze(bool frozen);
/* Today's date "YYYY-MM-DD" (UTC) into out[11]. */
void clock_today(char out[11]);
/* Days since 1970-01-01 for a valid "YYYY-MM-DD" (proleptic Gregorian). */
int32_t clock_days_from_date(const char *date);
/* "YYYY-MM-DD" for days since 1970-01-01, into out[11]. */
void clock_date_from_days(int32_t days, char out[11]);
/* A date as the pages write it, "Mar 2, 2026" (at most 12 characters). */
#define CLOCK_DATE_WORDS_SIZE 13
/* "2026-03-02" → "Mar 2, 2026" into out; false (out empty) when date is
 * not a valid YYYY-MM-DD naming a real day. */
bool clock_date_in_words(const char *date, char out[CLOCK_DATE_WORDS_SIZE]);
/* For a sentence: the date in words (written into out), or the text as it is
 * when it is not a date ("" for NULL). */
const char *clock_date_words(const char *date, char out[CLOCK_DATE_WORDS_SIZE]);
/* "2026-11" → "Nov 2026" into out (as the pages write dates); false (out
 * empty) when month is not a valid YYYY-MM. */
bool clock_month_in_words(const char *month, char out[CLOCK_DATE_WORDS_SIZE]);
/* Today as days since 1970-01-01 (UTC, with the test offset). */
int32_t clock_today_days(void);
/* RFC 3339 UTC "2026-11-25T14:32:11Z" for t into out[21]. */
void clock_format_rfc3339(int64_t t, char out[21]);

#endif
