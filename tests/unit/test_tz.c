/* test_tz.c — unit tests for src/lib/tz.c: local times compared with what
 * `TZ=zone date -d @t '+%Y-%m-%d %H:%M:%S %Z %z'` printed (Debian 12's
 * tzdata, computed when the test was written), the POSIX footer rule on its
 * own, names, malformed files and several threads at once; and the words
 * pages, notices and emails write instants in (src/lib/tz_words.c). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "lib/clock.h"
#include "lib/tz.h"
#include "lib/tz_words.h"
#include "test.h"

/* "2026-12-02 10:20:00 EST -0500", as date(1) writes it. */
static void format_local(const struct tz_local *l, char out[64])
{
    char date[11];
    int64_t days = l->local >= 0 ? l->local / 86400 : (l->local - 86399) / 86400;
    int64_t seconds = l->local - days * 86400;
    clock_date_from_days((int32_t)days, date);
    int32_t offset = l->offset < 0 ? -l->offset : l->offset;
    snprintf(out, 64, "%s %02d:%02d:%02d %s %c%02d%02d", date, (int)(seconds / 3600), (int)(seconds % 3600 / 60),
             (int)(seconds % 60), l->abbreviation, l->offset < 0 ? '-' : '+', (int)(offset / 3600),
             (int)(offset % 3600 / 60));
}

static const struct {
    const char *zone;
    int64_t t;
    const char *expected;
} date_results[] = {
    {"America/New_York", 1772953199, "2026-03-08 01:59:59 EST -0500"},
    {"America/New_York", 1772953200, "2026-03-08 03:00:00 EDT -0400"},
    {"America/New_York", 1793512799, "2026-11-01 01:59:59 EDT -0400"},
    {"America/New_York", 1793512800, "2026-11-01 01:00:00 EST -0500"},
    {"America/New_York", 1796224800, "2026-12-02 10:20:00 EST -0500"},
    {"America/New_York", 1899356399, "2030-03-10 01:59:59 EST -0500"},
    {"America/New_York", 1899356400, "2030-03-10 03:00:00 EDT -0400"},
    {"America/New_York", 1919915999, "2030-11-03 01:59:59 EDT -0400"},
    {"America/New_York", 1919916000, "2030-11-03 01:00:00 EST -0500"},
    {"America/New_York", 2382796800, "2045-07-04 12:00:00 EDT -0400"},
    {"America/New_York", 2393474400, "2045-11-05 01:00:00 EST -0500"},
    {"America/New_York", -2717650801, "1883-11-18 12:03:57 LMT -0456"},
    {"Asia/Kolkata", 1796224800, "2026-12-02 20:50:00 IST +0530"},
    {"Asia/Kolkata", -891561600, "1941-10-01 06:30:00 +0630 +0630"},
    {"Africa/Lagos", 1796224800, "2026-12-02 16:20:00 WAT +0100"},
    {"Africa/Lagos", 2222121600, "2040-06-01 01:00:00 WAT +0100"},
    {"Australia/Lord_Howe", 1775314799, "2026-04-05 01:59:59 +11 +1100"},
    {"Australia/Lord_Howe", 1775314800, "2026-04-05 01:30:00 +1030 +1030"},
    {"Australia/Lord_Howe", 1791041399, "2026-10-04 01:59:59 +1030 +1030"},
    {"Australia/Lord_Howe", 1791041400, "2026-10-04 02:30:00 +11 +1100"},
    {"Australia/Lord_Howe", 2524608000, "2050-01-01 11:00:00 +11 +1100"},
    {"Australia/Lord_Howe", 2540246400, "2050-07-01 10:30:00 +1030 +1030"},
    {"Pacific/Chatham", 1775311199, "2026-04-05 03:44:59 +1345 +1345"},
    {"Pacific/Chatham", 1775311200, "2026-04-05 02:45:00 +1245 +1245"},
    {"Pacific/Chatham", 1790431199, "2026-09-27 02:44:59 +1245 +1245"},
    {"Pacific/Chatham", 1790431200, "2026-09-27 03:45:00 +1345 +1345"},
    {"Pacific/Chatham", 2841350400, "2060-01-15 13:45:00 +1345 +1345"},
    {"America/Sao_Paulo", 1541300399, "2018-11-03 23:59:59 -03 -0300"},
    {"America/Sao_Paulo", 1541300400, "2018-11-04 01:00:00 -02 -0200"},
    {"America/Sao_Paulo", 1796224800, "2026-12-02 12:20:00 -03 -0300"},
    {"America/Sao_Paulo", 2366841600, "2044-12-31 21:00:00 -03 -0300"},
    {"Europe/London", 1774745999, "2026-03-29 00:59:59 GMT +0000"},
    {"Europe/London", 1774746000, "2026-03-29 02:00:00 BST +0100"},
    {"Europe/London", 1792889999, "2026-10-25 01:59:59 BST +0100"},
    {"Europe/London", 1792890000, "2026-10-25 01:00:00 GMT +0000"},
    {"Europe/London", 2255428800, "2041-06-21 13:00:00 BST +0100"},
};

TEST(tz_matches_date)
{
    for (size_t i = 0; i < sizeof(date_results) / sizeof(date_results[0]); i++) {
        struct tz_local l;
        char got[64];
        CHECK_INT(tz_local(date_results[i].zone, date_results[i].t, &l), 0);
        format_local(&l, got);
        if (strcmp(got, date_results[i].expected) != 0)
            TEST_FAILF("%s at %lld: %s, date(1) says %s", date_results[i].zone, (long long)date_results[i].t, got,
                       date_results[i].expected);
    }
}

TEST(tz_utc_without_zone)
{
    struct tz_local l;
    char got[64];
    CHECK_INT(tz_local(NULL, 1796224800, &l), 0);
    format_local(&l, got);
    CHECK_STR(got, "2026-12-02 15:20:00 UTC +0000");
    CHECK_INT(tz_local("", -1, &l), 0);
    format_local(&l, got);
    CHECK_STR(got, "1969-12-31 23:59:59 UTC +0000");
}

/* A version 2 file with no transition and one type: every instant follows the footer. */
static size_t footer_only_file(uint8_t *out, const char *footer)
{
    size_t n = 0;
    for (int section = 0; section < 2; section++) {
        memset(out + n, 0, 44);
        memcpy(out + n, "TZif2", 5);
        out[n + 39] = 1; /* typecnt */
        out[n + 43] = 4; /* charcnt */
        n += 44;
        const uint8_t type[6] = {0xff, 0xff, 0xb9, 0xb0, 0, 0}; /* -18000 s, not DST, "EST" */
        memcpy(out + n, type, 6);
        memcpy(out + n + 6, "EST", 4);
        n += 10;
    }
    out[n++] = '\n';
    memcpy(out + n, footer, strlen(footer));
    n += strlen(footer);
    out[n++] = '\n';
    return n;
}

/* The rule a slim America/New_York carries, for every instant (date(1) for the zone, since 2007). */
TEST(tz_footer_rule)
{
    static const struct {
        int64_t t;
        const char *expected;
    } cases[] = {
        {1173596399, "2007-03-11 01:59:59 EST -0500"}, {1173596400, "2007-03-11 03:00:00 EDT -0400"},
        {1772953200, "2026-03-08 03:00:00 EDT -0400"}, {1793512799, "2026-11-01 01:59:59 EDT -0400"},
        {1793512800, "2026-11-01 01:00:00 EST -0500"}, {1919916000, "2030-11-03 01:00:00 EST -0500"},
        {4076636400, "2099-03-08 03:00:00 EDT -0400"}, {4083955200, "2099-05-31 20:00:00 EDT -0400"},
    };
    uint8_t file[256];
    size_t size = footer_only_file(file, "EST5EDT,M3.2.0,M11.1.0");
    struct tz_zone *zone;
    CHECK_INT(tz_parse(file, size, &zone), 0);
    for (size_t i = 0; zone != NULL && i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tz_local l;
        char got[64];
        tz_zone_local(zone, cases[i].t, &l);
        format_local(&l, got);
        CHECK_STR(got, cases[i].expected);
    }
    tz_zone_free(zone);
    /* Jn and n dates, times with minutes and a negative time (version 3). */
    size = footer_only_file(file, "<-03>3<-02>,J60/-1:30,300/25");
    CHECK_INT(tz_parse(file, size, &zone), 0);
    tz_zone_free(zone);
    static const char *const bad[] = {"EST", "E5", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.6.0,M11.1.0",
                                      "EST5EDT,M3.2.0", "<EST5", "EST99", "EST5EDT,M3.2.0,M11.1.0x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size = footer_only_file(file, bad[i]);
        zone = NULL;
        if (tz_parse(file, size, &zone) == 0)
            TEST_FAILF("footer %s was accepted", bad[i]);
        tz_zone_free(zone);
    }
}

TEST(tz_names)
{
    static const char *const good[] = {"America/New_York", "UTC", "Etc/GMT+5", "America/Argentina/Buenos_Aires",
                                       "America/Port-au-Prince"};
    static const char *const bad[] = {"", "/etc/passwd", "../../etc/passwd", "America/../../etc/passwd",
                                      "America/New York", "America//New_York", "America/", "Europe/London\n",
                                      "./UTC", "America/New_York;rm",
                                      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        CHECK(tz_name_valid(good[i]));
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (tz_name_valid(bad[i]))
            TEST_FAILF("%s is valid", bad[i]);
    CHECK(!tz_name_valid(NULL));
    CHECK(tz_exists("Asia/Kolkata"));
    CHECK(!tz_exists("Mars/Olympus_Mons"));
    CHECK(!tz_exists("America"));          /* a folder */
    CHECK(!tz_exists("zone1970.tab"));     /* not a name ('.') */
    CHECK(!tz_exists("leapseconds"));      /* a file, not TZif */
    CHECK(!tz_exists("../../etc/passwd"));
    struct tz_local l;
    CHECK_INT(tz_local("Mars/Olympus_Mons", 0, &l), -1);
}

TEST(tz_malformed_files)
{
    uint8_t file[256];
    size_t size = footer_only_file(file, "EST5");
    struct tz_zone *zone = NULL;
    for (size_t cut = 0; cut < size - 1; cut++) { /* every truncation but the footer's last newline */
        if (tz_parse(file, cut, &zone) == 0) {
            TEST_FAILF("a file cut at %zu bytes was read", cut);
            tz_zone_free(zone);
        }
    }
    CHECK_INT(tz_parse(file, size, &zone), 0);
    tz_zone_free(zone);
    file[43] = 0; /* charcnt 0 */
    CHECK_INT(tz_parse(file, size, &zone), -1);
}

/* More zones than the cache holds, from several threads at once. */
static const char *const thread_zones[] = {
    "America/New_York", "Asia/Kolkata",     "Africa/Lagos",    "Australia/Lord_Howe", "Pacific/Chatham",
    "America/Sao_Paulo", "Europe/London",   "Africa/Cairo",    "Asia/Tokyo",          "America/Denver",
    "America/Chicago",  "America/Phoenix",  "Pacific/Honolulu", "America/Anchorage",  "Europe/Berlin",
    "Europe/Paris",     "Asia/Karachi",     "Asia/Dhaka",      "Asia/Manila",         "Asia/Kathmandu",
    "Africa/Nairobi",   "Africa/Accra",     "Asia/Dubai",      "Asia/Singapore",      "Europe/Moscow",
    "America/Bogota",   "America/Lima",     "America/Mexico_City", "Asia/Shanghai",   "Asia/Seoul",
    "Australia/Sydney", "Pacific/Auckland", "America/Toronto", "Asia/Riyadh",         "Asia/Tehran",
    "Europe/Istanbul",  "America/Caracas",  "Asia/Jakarta",    "Africa/Johannesburg", "Asia/Colombo",
};

static void *thread_run(void *arg)
{
    int *failures = arg;
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < sizeof(date_results) / sizeof(date_results[0]); i++) {
            struct tz_local l;
            char got[64];
            if (tz_local(date_results[i].zone, date_results[i].t, &l) != 0) {
                (*failures)++;
                continue;
            }
            format_local(&l, got);
            if (strcmp(got, date_results[i].expected) != 0)
                (*failures)++;
        }
        for (size_t i = 0; i < sizeof(thread_zones) / sizeof(thread_zones[0]); i++) {
            struct tz_local l;
            if (tz_local(thread_zones[i], 1796224800, &l) != 0)
                (*failures)++;
        }
    }
    return NULL;
}

TEST(tz_threads)
{
    pthread_t threads[4];
    int failures[4] = {0};
    for (int i = 0; i < 4; i++)
        CHECK_INT(pthread_create(&threads[i], NULL, thread_run, &failures[i]), 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        CHECK_INT(failures[i], 0);
    }
    tz_cache_clear();
}

/* What a reader is told: an offer that expires at 20:00 UTC on Dec 7 is at
 * 01:30 on Dec 8 in India; across New York's changes of clock the hour and
 * the abbreviation follow; zones without a name for their time say the
 * offset; no zone (or one that cannot be read) is UTC, saying so. */
TEST(tz_words_instants)
{
    static const struct {
        const char *zone;
        int64_t t;
        const char *expected;
    } cases[] = {
        {"Asia/Kolkata", 1796673600, "Dec 8, 2026, 01:30 IST"},
        {NULL, 1796673600, "Dec 7, 2026, 20:00 UTC"},
        {"", 1796673600, "Dec 7, 2026, 20:00 UTC"},
        {"Mars/Olympus_Mons", 1796673600, "Dec 7, 2026, 20:00 UTC"},
        {"America/New_York", 1772953199, "Mar 8, 2026, 01:59 EST"},
        {"America/New_York", 1772953200, "Mar 8, 2026, 03:00 EDT"},
        {"America/New_York", 1793512799, "Nov 1, 2026, 01:59 EDT"},
        {"America/New_York", 1793512800, "Nov 1, 2026, 01:00 EST"},
        {"America/New_York", 1796673600, "Dec 7, 2026, 15:00 EST"},
        {"Australia/Lord_Howe", 1775314800, "Apr 5, 2026, 01:30 UTC+10:30"},
        {"Pacific/Chatham", 1790431200, "Sep 27, 2026, 03:45 UTC+13:45"},
        {"America/Sao_Paulo", 1796224800, "Dec 2, 2026, 12:20 UTC-3"},
        {NULL, -1, "Dec 31, 1969, 23:59 UTC"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char got[TZ_INSTANT_WORDS_SIZE];
        const char *r = tz_instant_words(cases[i].zone, cases[i].t, got);
        CHECK(r == got);
        if (strcmp(got, cases[i].expected) != 0)
            TEST_FAILF("%s at %lld: \"%s\", expected \"%s\"", cases[i].zone != NULL ? cases[i].zone : "(none)",
                       (long long)cases[i].t, got, cases[i].expected);
    }
}

/* The date alone, in the reader's zone: the day an Indian reader is on. */
TEST(tz_words_dates)
{
    char got[CLOCK_DATE_WORDS_SIZE];
    CHECK_STR(tz_date_words("Asia/Kolkata", 1796673600, got), "Dec 8, 2026");
    CHECK_STR(tz_date_words(NULL, 1796673600, got), "Dec 7, 2026");
    CHECK_STR(tz_date_words("America/New_York", 1796688000, got), "Dec 7, 2026"); /* 00:00 UTC on Dec 8 */
    CHECK_STR(tz_date_words(NULL, -1, got), "Dec 31, 1969");
}

int main(void)
{
    RUN(tz_matches_date);
    RUN(tz_utc_without_zone);
    RUN(tz_footer_rule);
    RUN(tz_names);
    RUN(tz_malformed_files);
    RUN(tz_threads);
    RUN(tz_words_instants);
    RUN(tz_words_dates);
    return test_summary("tz");
}
