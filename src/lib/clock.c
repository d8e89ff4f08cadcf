/* clock.c — wall clock with a test offset, monotonic timer, date formatting. */
#include "lib/clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static _Atomic int64_t offset_seconds;
static _Atomic int64_t frozen_at; /* 0: the wall clock runs */

int64_t clock_now(void)
{
    int64_t frozen = atomic_load(&frozen_at);
    return (frozen != 0 ? frozen : (int64_t)time(NULL)) + atomic_load(&offset_seconds);
}

int64_t clock_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + atomic_load(&offset_seconds) * 1000;
}

int64_t clock_now_ms_unique(void)
{
    static _Atomic int64_t last;
    int64_t now = clock_now_ms();
    int64_t prev = atomic_load(&last);
    for (;;) {
        int64_t next = now > prev ? now : prev + 1;
        if (atomic_compare_exchange_weak(&last, &prev, next))
            return next;
    }
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

void clock_freeze(bool frozen)
{
    if (!frozen) {
        atomic_store(&frozen_at, 0);
        return;
    }
    int64_t none = 0;
    atomic_compare_exchange_strong(&frozen_at, &none, (int64_t)time(NULL));
}

void clock_today(char out[11])
{
    time_t t = (time_t)clock_now();
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int32_t clock_days_from_date(const char *date)
{
    int y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
    int m = (date[5] - '0') * 10 + (date[6] - '0');
    int d = (date[8] - '0') * 10 + (date[9] - '0');
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void clock_date_from_days(int32_t days, char out[11])
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    if (y < 0 || y > 9999) {
        out[0] = '\0';
        return;
    }
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

int32_t clock_today_days(void)
{
    return (int32_t)(clock_now() / 86400);
}

/* n as width digits, zero-padded, at out. */
static void put_digits(char *out, int width, int n)
{
    for (int i = width - 1; i >= 0; i--, n /= 10)
        out[i] = (char)('0' + n % 10);
}

void clock_format_rfc3339(int64_t t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    int year = tm.tm_year + 1900;
    if (year < 1000 || year > 9999) { /* strftime's own widths */
        strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return;
    }
    /* By hand rather than strftime (a tenth of the work): every instant in a JSON reply is written here. */
    put_digits(out, 4, year);
    out[4] = '-';
    put_digits(out + 5, 2, tm.tm_mon + 1);
    out[7] = '-';
    put_digits(out + 8, 2, tm.tm_mday);
    out[10] = 'T';
    put_digits(out + 11, 2, tm.tm_hour);
    out[13] = ':';
    put_digits(out + 14, 2, tm.tm_min);
    out[16] = ':';
    put_digits(out + 17, 2, tm.tm_sec);
    out[19] = 'Z';
    out[20] = '\0';
}

static bool two_digits(const char *s, int *out)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return false;
    *out = (s[0] - '0') * 10 + (s[1] - '0');
    return true;
}

bool clock_date_in_words(const char *date, char out[CLOCK_DATE_WORDS_SIZE])
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const int days_in_month[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int century, year2, month, day;
    out[0] = '\0';
    if (date == NULL || strlen(date) != 10 || date[4] != '-' || date[7] != '-' || !two_digits(date, &century) ||
        !two_digits(date + 2, &year2) || !two_digits(date + 5, &month) || !two_digits(date + 8, &day) ||
        month < 1 || month > 12 || day < 1 || day > days_in_month[month - 1])
        return false;
    int year = century * 100 + year2;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month == 2 && day == 29 && !leap)
        return false;
    snprintf(out, CLOCK_DATE_WORDS_SIZE, "%s %d, %d", months[month - 1], day, year);
    return true;
}

bool clock_month_in_words(const char *month, char out[CLOCK_DATE_WORDS_SIZE])
{
    char first[11], words[CLOCK_DATE_WORDS_SIZE];
    out[0] = '\0';
    if (month == NULL || strlen(month) != 7)
        return false;
    snprintf(first, sizeof(first), "%s-01", month);
    if (!clock_date_in_words(first, words)) /* "Nov 1, 2026" */
        return false;
    snprintf(out, CLOCK_DATE_WORDS_SIZE, "%.3s %.4s", words, month);
    return true;
}

const char *clock_date_words(const char *date, char out[CLOCK_DATE_WORDS_SIZE])
{
    if (clock_date_in_words(date, out))
        return out;
    return date != NULL ? date : "";
}
