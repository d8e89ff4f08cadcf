/* tz.c — a TZif reader (RFC 8536) and local time in a zone, thread-safe:
 * the parse of a file and its footer's POSIX TZ rule, the lookup of an
 * instant, and a bounded cache of parsed zones under a mutex. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/tz.h"

#define TZ_ROOT "/usr/share/zoneinfo/"
enum {
    TZ_HEADER_BYTES = 44,
    TZ_TYPES_MAX = 256,       /* RFC 8536: typecnt ≤ 256 */
    TZ_CHARS_MAX = 256,
    TZ_TRANSITIONS_MAX = 4096, /* the biggest real zones have about 240 */
    TZ_OFFSET_MAX = 89999,    /* 24:59:59, as POSIX allows */
    TZ_RULE_TIME_MAX = 167 * 3600, /* version 3 rule times: -167..167 hours */
    TZ_CACHE_SLOTS = 32,
};
/* Instants beyond ±2^56 s (2 billion years) are clamped: no overflow below. */
#define TZ_INSTANT_LIMIT ((int64_t)1 << 56)

struct tz_type {
    int32_t offset;
    bool dst;
    char abbreviation[TZ_ABBREVIATION_SIZE];
};

/* One end of daylight time in a POSIX rule: Mm.w.d, Jn or n, and a time. */
struct tz_rule_date {
    char kind; /* 'M', 'J' or 'n' */
    int month, week, weekday, day;
    int32_t time; /* seconds after local midnight (may be negative or past a day) */
};

struct tz_rule {
    bool present, has_dst;
    struct tz_type std, dst;
    struct tz_rule_date start, end;
};

struct tz_zone {
    size_t transition_count, type_count;
    int64_t *transitions;
    uint8_t *transition_types;
    struct tz_type types[TZ_TYPES_MAX];
    struct tz_rule rule;
};

/* ---- names ---- */

bool tz_name_valid(const char *name)
{
    if (name == NULL || name[0] == '\0' || name[0] == '/')
        return false;
    size_t n = 0;
    for (const char *p = name; *p != '\0'; p++, n++) {
        char c = *p;
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                  c == '+' || c == '-' || c == '/';
        if (!ok || n >= TZ_NAME_MAX_BYTES || (c == '/' && (p[1] == '/' || p[1] == '\0')))
            return false;
    }
    return true; /* without '.', no component can be "." or ".." */
}

/* ---- calendar arithmetic (proleptic Gregorian, days since 1970-01-01) ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int64_t year_from_days(int64_t days)
{
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    return yoe + era * 400 + (m <= 2);
}

static bool leap_year(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_length(int64_t y, int m)
{
    static const int lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap_year(y) ? 29 : lengths[m - 1];
}

/* The day (since the epoch) a rule date falls on in year y. */
static int64_t rule_day(const struct tz_rule_date *r, int64_t y)
{
    int64_t jan1 = days_from_civil(y, 1, 1);
    if (r->kind == 'J')
        return jan1 + r->day - 1 + (leap_year(y) && r->day >= 60 ? 1 : 0);
    if (r->kind == 'n')
        return jan1 + r->day;
    int64_t first = days_from_civil(y, r->month, 1);
    int64_t weekday = first + 4 - 7 * floor_div(first + 4, 7); /* 1970-01-01 was a Thursday (4) */
    int64_t day = first + (r->weekday - weekday + 7) % 7 + 7 * (r->week - 1);
    while (day >= first + month_length(y, r->month))
        day -= 7; /* week 5: the last such weekday */
    return day;
}

/* ---- the POSIX TZ rule of the footer ---- */

static bool is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* "EST" or "<+0530>" into out (cut to fit). */
static bool parse_abbreviation(const char **p, char out[TZ_ABBREVIATION_SIZE])
{
    const char *s = *p;
    size_t n = 0;
    bool quoted = *s == '<';
    if (quoted)
        s++;
    while (quoted ? (is_alpha(*s) || is_digit(*s) || *s == '+' || *s == '-') : is_alpha(*s)) {
        if (n < TZ_ABBREVIATION_SIZE - 1)
            out[n] = *s;
        n++;
        s++;
    }
    out[n < TZ_ABBREVIATION_SIZE - 1 ? n : TZ_ABBREVIATION_SIZE - 1] = '\0';
    if (quoted) {
        if (*s != '>' || n == 0)
            return false;
        s++;
    } else if (n < 3) {
        return false;
    }
    *p = s;
    return true;
}

/* [+-]h[h[h]][:mm[:ss]] as seconds (signed), hours at most max_hours. */
static bool parse_clock(const char **p, int max_hours, int32_t *out)
{
    const char *s = *p;
    int sign = 1;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    int32_t parts[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        if (i > 0) {
            if (*s != ':')
                break;
            s++;
        }
        int digits = 0;
        while (is_digit(*s) && digits < 3)
            parts[i] = parts[i] * 10 + (*s++ - '0'), digits++;
        if (digits == 0 || (i > 0 && (digits > 2 || parts[i] > 59)))
            return false;
    }
    if (parts[0] > max_hours)
        return false;
    *out = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
    *p = s;
    return true;
}

static bool parse_number(const char **p, int min, int max, int *out)
{
    const char *s = *p;
    int v = 0, digits = 0;
    while (is_digit(*s) && digits < 4)
        v = v * 10 + (*s++ - '0'), digits++;
    if (digits == 0 || v < min || v > max)
        return false;
    *out = v;
    *p = s;
    return true;
}

/* ",Mm.w.d[/time]", ",Jn[/time]" or ",n[/time]". */
static bool parse_rule_date(const char **p, struct tz_rule_date *r)
{
    const char *s = *p;
    if (*s++ != ',')
        return false;
    memset(r, 0, sizeof(*r));
    if (*s == 'M') {
        s++;
        r->kind = 'M';
        if (!parse_number(&s, 1, 12, &r->month) || *s++ != '.' || !parse_number(&s, 1, 5, &r->week) ||
            *s++ != '.' || !parse_number(&s, 0, 6, &r->weekday))
            return false;
    } else if (*s == 'J') {
        s++;
        r->kind = 'J';
        if (!parse_number(&s, 1, 365, &r->day))
            return false;
    } else {
        r->kind = 'n';
        if (!parse_number(&s, 0, 365, &r->day))
            return false;
    }
    r->time = 7200;
    if (*s == '/') {
        s++;
        if (!parse_clock(&s, TZ_RULE_TIME_MAX / 3600, &r->time))
            return false;
    }
    *p = s;
    return true;
}

/* A footer such as "EST5EDT,M3.2.0,M11.1.0", "IST-5:30" or "<-03>3" ("" is no rule). */
static bool parse_rule(const char *s, struct tz_rule *rule)
{
    memset(rule, 0, sizeof(*rule));
    if (*s == '\0')
        return true;
    int32_t value;
    if (!parse_abbreviation(&s, rule->std.abbreviation) || !parse_clock(&s, 24, &value))
        return false;
    rule->std.offset = -value; /* POSIX counts west of Greenwich */
    rule->present = true;
    if (*s == '\0')
        return true;
    if (!parse_abbreviation(&s, rule->dst.abbreviation))
        return false;
    rule->has_dst = true;
    rule->dst.dst = true;
    rule->dst.offset = rule->std.offset + 3600;
    if (*s != ',' && *s != '\0') {
        if (!parse_clock(&s, 24, &value))
            return false;
        rule->dst.offset = -value;
    }
    /* No dates: the U.S. rule that POSIX implementations assume. */
    const char *dates = *s == '\0' ? ",M3.2.0,M11.1.0" : s;
    return parse_rule_date(&dates, &rule->start) && parse_rule_date(&dates, &rule->end) && *dates == '\0';
}

static void rule_local(const struct tz_rule *rule, int64_t t, struct tz_type *out)
{
    *out = rule->std;
    if (!rule->has_dst)
        return;
    int64_t year = year_from_days(floor_div(t + rule->std.offset, 86400));
    int64_t start = rule_day(&rule->start, year) * 86400 + rule->start.time - rule->std.offset;
    int64_t end = rule_day(&rule->end, year) * 86400 + rule->end.time - rule->dst.offset;
    bool in_dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    if (in_dst)
        *out = rule->dst;
}

/* ---- the TZif file ---- */

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const uint8_t *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tz_header {
    char version;
    size_t isut, isstd, leap, times, types, chars;
};

/* The header at data (size bytes left) and its data block's size for times of time_size bytes. */
static bool read_header(const uint8_t *data, size_t size, size_t time_size, struct tz_header *h, size_t *block)
{
    if (size < TZ_HEADER_BYTES || memcmp(data, "TZif", 4) != 0)
        return false;
    h->version = (char)data[4];
    h->isut = be32(data + 20);
    h->isstd = be32(data + 24);
    h->leap = be32(data + 28);
    h->times = be32(data + 32);
    h->types = be32(data + 36);
    h->chars = be32(data + 40);
    if (h->types == 0 || h->types > TZ_TYPES_MAX || h->chars == 0 || h->chars > TZ_CHARS_MAX ||
        h->times > TZ_TRANSITIONS_MAX || h->leap > 0 || (h->isstd != 0 && h->isstd != h->types) ||
        (h->isut != 0 && h->isut != h->types))
        return false; /* leap-second zones (right/…) are not read */
    *block = h->times * time_size + h->times + h->types * 6 + h->chars + h->isstd + h->isut;
    return size - TZ_HEADER_BYTES >= *block;
}

/* Fills zone's transitions and types from a data block checked by read_header. */
static bool read_block(const uint8_t *p, const struct tz_header *h, size_t time_size, struct tz_zone *zone)
{
    zone->transition_count = h->times;
    zone->type_count = h->types;
    for (size_t i = 0; i < h->times; i++) {
        const uint8_t *at = p + i * time_size;
        zone->transitions[i] = time_size == 8 ? be64(at) : (int64_t)(int32_t)be32(at);
        if (i > 0 && zone->transitions[i] <= zone->transitions[i - 1])
            return false;
    }
    p += h->times * time_size;
    for (size_t i = 0; i < h->times; i++)
        if ((zone->transition_types[i] = p[i]) >= h->types)
            return false;
    p += h->times;
    const uint8_t *chars = p + h->types * 6;
    for (size_t i = 0; i < h->types; i++, p += 6) {
        struct tz_type *type = &zone->types[i];
        type->offset = (int32_t)be32(p);
        type->dst = p[4] != 0;
        if (p[4] > 1 || p[5] >= h->chars || type->offset < -TZ_OFFSET_MAX || type->offset > TZ_OFFSET_MAX)
            return false;
        size_t n = 0;
        for (size_t k = p[5]; k < h->chars && chars[k] != '\0' && n < TZ_ABBREVIATION_SIZE - 1; k++)
            type->abbreviation[n++] = (char)chars[k];
        type->abbreviation[n] = '\0';
    }
    return true;
}

/* The footer "\n<rule>\n" at p (size bytes left). */
static bool read_footer(const uint8_t *p, size_t size, struct tz_rule *rule)
{
    char text[128];
    if (size < 2 || p[0] != '\n')
        return false;
    const uint8_t *end = memchr(p + 1, '\n', size - 1);
    size_t n = end != NULL ? (size_t)(end - p - 1) : sizeof(text);
    if (n >= sizeof(text) || memchr(p + 1, '\0', n) != NULL)
        return false;
    memcpy(text, p + 1, n);
    text[n] = '\0';
    if (!parse_rule(text, rule))
        return false;
    if (rule->present && (rule->std.offset < -TZ_OFFSET_MAX || rule->std.offset > TZ_OFFSET_MAX ||
                          rule->dst.offset < -TZ_OFFSET_MAX || rule->dst.offset > TZ_OFFSET_MAX))
        return false;
    return true;
}

int tz_parse(const uint8_t *data, size_t size, struct tz_zone **out)
{
    *out = NULL;
    struct tz_header h;
    size_t block;
    if (!read_header(data, size, 4, &h, &block))
        return -1;
    size_t time_size = 4;
    bool v2 = h.version != '\0';
    if (v2) { /* skip the 32-bit section for the 64-bit one */
        data += TZ_HEADER_BYTES + block;
        size -= TZ_HEADER_BYTES + block;
        time_size = 8;
        if (!read_header(data, size, 8, &h, &block))
            return -1;
    }
    struct tz_zone *zone = calloc(1, sizeof(*zone));
    if (zone == NULL)
        return -1;
    zone->transitions = calloc(h.times + 1, sizeof(int64_t));
    zone->transition_types = calloc(h.times + 1, 1);
    if (zone->transitions == NULL || zone->transition_types == NULL ||
        !read_block(data + TZ_HEADER_BYTES, &h, time_size, zone) ||
        (v2 && !read_footer(data + TZ_HEADER_BYTES + block, size - TZ_HEADER_BYTES - block, &zone->rule))) {
        tz_zone_free(zone);
        return -1;
    }
    *out = zone;
    return 0;
}

void tz_zone_free(struct tz_zone *zone)
{
    if (zone == NULL)
        return;
    free(zone->transitions);
    free(zone->transition_types);
    free(zone);
}

void tz_zone_local(const struct tz_zone *zone, int64_t t, struct tz_local *out)
{
    if (t > TZ_INSTANT_LIMIT)
        t = TZ_INSTANT_LIMIT;
    if (t < -TZ_INSTANT_LIMIT)
        t = -TZ_INSTANT_LIMIT;
    struct tz_type type = zone->types[0]; /* before the first transition: type 0 */
    size_t n = zone->transition_count;
    if (zone->rule.present && (n == 0 || t >= zone->transitions[n - 1])) {
        rule_local(&zone->rule, t, &type);
    } else if (n > 0 && t >= zone->transitions[0]) {
        size_t lo = 0, hi = n; /* the last transition at or before t */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (zone->transitions[mid] <= t)
                lo = mid;
            else
                hi = mid;
        }
        type = zone->types[zone->transition_types[lo]];
    }
    out->offset = type.offset;
    out->dst = type.dst;
    out->local = t + type.offset;
    memcpy(out->abbreviation, type.abbreviation, sizeof(out->abbreviation));
}

/* ---- reading files, and the cache ---- */

static struct tz_zone *load_zone(const char *name)
{
    char path[sizeof(TZ_ROOT) + TZ_NAME_MAX_BYTES + 1];
    size_t root = sizeof(TZ_ROOT) - 1, n = strlen(name);
    memcpy(path, TZ_ROOT, root);
    memcpy(path + root, name, n + 1);
    struct tz_zone *zone = NULL;
    uint8_t *data = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > TZ_FILE_MAX_BYTES)
        goto out;
    data = malloc((size_t)st.st_size);
    if (data == NULL)
        goto out;
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, data + got, (size_t)st.st_size - got);
        if (r <= 0)
            goto out;
        got += (size_t)r;
    }
    (void)tz_parse(data, got, &zone);
out:
    free(data);
    if (fd >= 0)
        close(fd);
    return zone;
}

static struct {
    char name[TZ_NAME_MAX_BYTES + 1];
    struct tz_zone *zone;
} cache[TZ_CACHE_SLOTS];
static size_t cache_next; /* the slot the next new zone takes (round robin) */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* Under cache_lock: the cached zone named name, or NULL. */
static const struct tz_zone *cache_find(const char *name)
{
    for (size_t i = 0; i < TZ_CACHE_SLOTS; i++)
        if (cache[i].zone != NULL && strcmp(cache[i].name, name) == 0)
            return cache[i].zone;
    return NULL;
}

int tz_local(const char *name, int64_t t, struct tz_local *out)
{
    if (name == NULL || name[0] == '\0') {
        static const struct tz_zone utc = {.types = {{0, false, "UTC"}}};
        tz_zone_local(&utc, t, out);
        return 0;
    }
    if (!tz_name_valid(name))
        return -1;
    pthread_mutex_lock(&cache_lock);
    const struct tz_zone *zone = cache_find(name);
    if (zone == NULL) {
        pthread_mutex_unlock(&cache_lock); /* read the file without holding the others up */
        struct tz_zone *loaded = load_zone(name);
        if (loaded == NULL)
            return -1;
        pthread_mutex_lock(&cache_lock);
        zone = cache_find(name);
        if (zone != NULL) { /* another thread was quicker */
            tz_zone_free(loaded);
        } else {
            size_t slot = cache_next++ % TZ_CACHE_SLOTS;
            tz_zone_free(cache[slot].zone);
            memcpy(cache[slot].name, name, strlen(name) + 1);
            cache[slot].zone = loaded;
            zone = loaded;
        }
    }
    tz_zone_local(zone, t, out);
    pthread_mutex_unlock(&cache_lock);
    return 0;
}

bool tz_exists(const char *name)
{
    struct tz_local ignored;
    return name != NULL && name[0] != '\0' && tz_local(name, 0, &ignored) == 0;
}

void tz_cache_clear(void)
{
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < TZ_CACHE_SLOTS; i++) {
        tz_zone_free(cache[i].zone);
        cache[i].zone = NULL;
        cache[i].name[0] = '\0';
    }
    pthread_mutex_unlock(&cache_lock);
}
