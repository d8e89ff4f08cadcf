/* tz_words.c — instants and dates in words in a reader's time zone (tz.c
 * converts, clock.c names the date). */
#include <stdio.h>

#include "lib/tz.h"
#include "lib/tz_words.h"

/* t in the zone; UTC when the zone cannot be read. */
static void local_time(const char *zone, int64_t t, struct tz_local *out)
{
    if (tz_local(zone, t, out) != 0)
        (void)tz_local(NULL, t, out);
}

/* Days since the epoch of a local clock (rounding down before 1970). */
static int64_t local_days(int64_t local)
{
    return local >= 0 ? local / 86400 : (local - 86399) / 86400;
}

static void date_words(const struct tz_local *l, char out[CLOCK_DATE_WORDS_SIZE])
{
    char date[11];
    clock_date_from_days((int32_t)local_days(l->local), date);
    if (!clock_date_in_words(date, out)) /* a year past 9999 */
        snprintf(out, CLOCK_DATE_WORDS_SIZE, "%s", date);
}

const char *tz_date_words(const char *zone, int64_t t, char out[CLOCK_DATE_WORDS_SIZE])
{
    struct tz_local l;
    local_time(zone, t, &l);
    date_words(&l, out);
    return out;
}

const char *tz_instant_words(const char *zone, int64_t t, char out[TZ_INSTANT_WORDS_SIZE])
{
    struct tz_local l;
    local_time(zone, t, &l);
    char date[CLOCK_DATE_WORDS_SIZE];
    date_words(&l, date);
    int64_t seconds = l.local - local_days(l.local) * 86400;
    int hour = (int)(seconds / 3600), minute = (int)(seconds % 3600 / 60);
    if (l.abbreviation[0] != '+' && l.abbreviation[0] != '-' && l.abbreviation[0] != '\0') {
        snprintf(out, TZ_INSTANT_WORDS_SIZE, "%s, %02d:%02d %s", date, hour, minute, l.abbreviation);
        return out;
    }
    /* A zone without a name for its time ("+0530" in the tz database): the offset. */
    int32_t offset = l.offset < 0 ? -l.offset : l.offset;
    char minutes[4] = "";
    if (offset % 3600 != 0)
        snprintf(minutes, sizeof(minutes), ":%02d", (int)(offset % 3600 / 60));
    snprintf(out, TZ_INSTANT_WORDS_SIZE, "%s, %02d:%02d UTC%c%d%s", date, hour, minute, l.offset < 0 ? '-' : '+',
             (int)(offset / 3600), minutes);
    return out;
}
