/* clock.c — wall clock with a test offset, monotonic timer, date formatting. */
#include "lib/clock.h"

#include <stdatomic.h>
#include <time.h>

static _Atomic int64_t offset_seconds;

int64_t clock_now(void)
{
    return (int64_t)time(NULL) + atomic_load(&offset_seconds);
}

double clock_monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void clock_set_offset(int64_t seconds)
{
    atomic_store(&offset_seconds, seconds);
}

void clock_today(char out[11])
{
    time_t t = (time_t)clock_now();
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

void clock_format_rfc3339(int64_t t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
