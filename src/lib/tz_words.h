/* tz_words.h — an instant in words for a reader in a time zone of the tz
 * database: "Dec 8, 2026, 01:30 IST" (a zone without a name for its time:
 * "… 20:50 UTC+5:30"), or "… 20:00 UTC" for a reader who has chosen no zone.
 * The pages (web/time_display.c) and the notices and emails of the domain
 * write instants with these, so that both say the same thing. Plain text: the
 * words are letters, digits, spaces and ",:+-". */
#ifndef ROUNDS_LIB_TZ_WORDS_H
#define ROUNDS_LIB_TZ_WORDS_H

#include <stdint.h>

#include "lib/clock.h"

/* "Sep 30, 2026, 23:59 UTC+12:45" is 29 characters; abbreviations are cut
 * at 7 (TZ_ABBREVIATION_SIZE). */
#define TZ_INSTANT_WORDS_SIZE 40

/* t in the zone named zone (NULL or "": UTC; a zone that cannot be read,
 * say one that left the tz database: UTC, saying so) into out. Returns out. */
const char *tz_instant_words(const char *zone, int64_t t, char out[TZ_INSTANT_WORDS_SIZE]);
/* The date of t in that zone, "Dec 8, 2026", into out. Returns out. */
const char *tz_date_words(const char *zone, int64_t t, char out[CLOCK_DATE_WORDS_SIZE]);

#endif
