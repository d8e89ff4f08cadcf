/* fuzz_tz.c — libFuzzer target for tz_parse() (a TZif file and its footer's
 * POSIX TZ rule) and tz_zone_local(), and for tz_name_valid() on the same bytes.
 *
 * A parsed zone must give, at its transitions, either side of them and at
 * far instants, an offset within ±24:59:59, local = t + offset (t clamped to
 * ±2^56) and a NUL-terminated abbreviation; a name tz_name_valid() accepts
 * has no "..", no leading '/' and only [A-Za-z0-9/_+-]. A violation traps. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        __builtin_trap();
}

static void check_local(const struct tz_zone *zone, int64_t t)
{
    struct tz_local l;
    tz_zone_local(zone, t, &l);
    int64_t limit = (int64_t)1 << 56;
    int64_t clamped = t > limit ? limit : t < -limit ? -limit : t;
    check(l.offset >= -89999 && l.offset <= 89999);
    check(l.local == clamped + l.offset);
    check(memchr(l.abbreviation, '\0', sizeof(l.abbreviation)) != NULL);
}

static void check_name(const uint8_t *data, size_t size)
{
    char name[TZ_NAME_MAX_BYTES + 2];
    size_t n = size < sizeof(name) - 1 ? size : sizeof(name) - 1;
    memcpy(name, data, n);
    name[n] = '\0';
    if (!tz_name_valid(name))
        return;
    check(name[0] != '/' && strstr(name, "..") == NULL && strlen(name) <= TZ_NAME_MAX_BYTES);
    for (const char *p = name; *p != '\0'; p++)
        check(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-", *p) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_name(data, size);
    struct tz_zone *zone = NULL;
    if (tz_parse(data, size, &zone) != 0) {
        check(zone == NULL);
        return 0;
    }
    static const int64_t instants[] = {INT64_MIN, -((int64_t)1 << 56) - 1, -2208988800, -1, 0, 1,
                                       1796224800, 4102444800, (int64_t)1 << 40, INT64_MAX};
    for (size_t i = 0; i < sizeof(instants) / sizeof(instants[0]); i++)
        check_local(zone, instants[i]);
    /* Every hour of one year after the last transition: the footer rule. */
    for (int64_t t = 2524608000; t < 2524608000 + 366 * 86400; t += 3600)
        check_local(zone, t);
    tz_zone_free(zone);
    return 0;
}
