/* quarter_hours.h — hours in quarter hours as people type and read them:
 * "7", "7.5", "7.25", "7.75" (and "7.50"), kept as whole minutes (450). The
 * one reader of hours typed in the hours log's form, and the one writer the
 * pages use. */
#ifndef ROUNDS_LIB_QUARTER_HOURS_H
#define ROUNDS_LIB_QUARTER_HOURS_H

#include <stddef.h>
#include <stdint.h>

/* The largest whole number of hours the reader takes (the domain caps a day at 24). */
#define QUARTER_HOURS_MAX_WHOLE 1000
enum { QUARTER_HOURS_TEXT_MAX = 24 };

/* Hours typed → minutes: digits, then optionally "." and one or two digits
 * making a quarter (.25, .5, .50, .75, .0, .00); nothing else, no spaces or
 * signs. -1 when it is not such a number or over QUARTER_HOURS_MAX_WHOLE. */
int64_t quarter_hours_parse(const char *text);

/* Minutes as hours into out (NUL-terminated, truncated to size): 450 → "7.5",
 * 465 → "7.75", 480 → "8"; a minute count that is not a quarter hour is shown
 * to the hundredth, rounded down (7 → "0.11"); negative counts as "0". Returns out. */
const char *quarter_hours_format(char *out, size_t size, int64_t minutes);

#endif
