/* quarter_hours.c — reading and writing hours in quarter hours; see quarter_hours.h. */
#include "lib/quarter_hours.h"

#include <stdbool.h>
#include <stdio.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int64_t quarter_hours_parse(const char *text)
{
    if (text == NULL || !is_digit(text[0]))
        return -1;
    int64_t whole = 0;
    const char *p = text;
    for (; is_digit(*p); p++) {
        whole = whole * 10 + (*p - '0');
        if (whole > QUARTER_HOURS_MAX_WHOLE)
            return -1;
    }
    int64_t hundredths = 0;
    if (*p == '.') {
        p++;
        if (!is_digit(p[0]))
            return -1;
        hundredths = (p[0] - '0') * 10;
        p++;
        if (is_digit(*p))
            hundredths += *p++ - '0';
    }
    if (*p != '\0' || hundredths % 25 != 0)
        return -1;
    return whole * 60 + hundredths * 60 / 100;
}

const char *quarter_hours_format(char *out, size_t size, int64_t minutes)
{
    if (out == NULL || size == 0)
        return out;
    if (minutes < 0)
        minutes = 0;
    long long whole = (long long)(minutes / 60);
    long long rest = (long long)(minutes % 60 * 100 / 60); /* hundredths, rounded down */
    if (rest == 0)
        snprintf(out, size, "%lld", whole);
    else if (rest % 10 == 0)
        snprintf(out, size, "%lld.%lld", whole, rest / 10);
    else
        snprintf(out, size, "%lld.%02lld", whole, rest);
    return out;
}
