/* tz.h — local time in a zone of the tz database, without the process's TZ.
 *
 * A zone is read from its TZif file (RFC 8536) under /usr/share/zoneinfo:
 * the 64-bit section of a version 2+ file (the 32-bit one of a version 1
 * file), and for instants after the last transition the POSIX TZ rule of the
 * file's footer ("EST5EDT,M3.2.0,M11.1.0": Mm.w.d, Jn and n dates, times
 * with minutes and seconds, negative or past 24 hours). Parsed zones are kept
 * in a small cache under a mutex, so any thread may ask; nothing here calls
 * tzset, localtime or setenv. */
#ifndef ROUNDS_LIB_TZ_H
#define ROUNDS_LIB_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest zone name accepted ("America/Argentina/ComodRivadavia" is 32). */
#define TZ_NAME_MAX_BYTES 64
/* An abbreviation ("EST", "+0530", "LMT") with its NUL; longer ones are cut. */
#define TZ_ABBREVIATION_SIZE 8
/* The largest TZif file read (the biggest zones are about 4 KiB). */
#define TZ_FILE_MAX_BYTES (256 * 1024)

struct tz_zone;

/* What a clock in the zone shows at an instant. */
struct tz_local {
    int64_t local;     /* the instant plus the offset: seconds of a UTC-like clock */
    int32_t offset;    /* seconds east of UTC */
    bool dst;
    char abbreviation[TZ_ABBREVIATION_SIZE];
};

/* Whether name could name a zone: 1..TZ_NAME_MAX_BYTES bytes of
 * [A-Za-z0-9/_+-], no leading, trailing or doubled '/' (so no "..", either). */
bool tz_name_valid(const char *name);

/* Parses a TZif file's bytes: 0 with *out (tz_zone_free), or -1 when they are
 * not a well-formed TZif file (or a footer rule cannot be read). */
int tz_parse(const uint8_t *data, size_t size, struct tz_zone **out);
void tz_zone_free(struct tz_zone *zone);
/* The local time of the zone at t. */
void tz_zone_local(const struct tz_zone *zone, int64_t t, struct tz_local *out);

/* The local time at t in the zone named name (read once, then cached):
 * 0, or -1 when the name is not valid or names no readable zone file.
 * name NULL or "" is UTC (abbreviation "UTC"). */
int tz_local(const char *name, int64_t t, struct tz_local *out);
/* Whether name is a valid name of a readable zone file. */
bool tz_exists(const char *name);
/* A zone to offer in a list: "Asia/Kolkata" and its (first) country "India"
 * (NULL when iso3166.tab does not name it). */
struct tz_choice {
    const char *name, *country;
};
/* The zones of zone1970.tab sorted by name (read once; never freed): *count
 * of them (0, and maybe NULL, when the file cannot be read). */
const struct tz_choice *tz_choices(size_t *count);

/* Empties the cache (tests; also frees everything at exit). */
void tz_cache_clear(void);

#endif
