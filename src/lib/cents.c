/* cents.c — amounts as people read and type them; see cents.h. */
#include "lib/cents.h"

#include <stdbool.h>
#include <stdio.h>

const char *cents_format(char *out, size_t size, int64_t cents)
{
    if (size == 0)
        return out;
    bool negative = cents < 0;
    /* The magnitude in unsigned arithmetic, so that INT64_MIN works too. */
    uint64_t magnitude = negative ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    uint64_t dollars = magnitude / 100, rest = magnitude % 100;
    char digits[32];
    int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)dollars);
    char text[64];
    size_t len = 0;
    if (negative)
        text[len++] = '-';
    text[len++] = '$';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            text[len++] = ',';
        text[len++] = digits[i];
    }
    if (rest != 0) {
        text[len++] = '.';
        text[len++] = (char)('0' + rest / 10);
        text[len++] = (char)('0' + rest % 10);
    }
    text[len] = '\0';
    snprintf(out, size, "%s", text);
    return out;
}

int64_t cents_parse_dollars(const char *s)
{
    while (*s == ' ')
        s++;
    if (*s == '$')
        s++;
    int64_t whole = 0, cents = 0;
    int digits = 0;
    for (; (*s >= '0' && *s <= '9') || *s == ','; s++) {
        if (*s == ',')
            continue;
        if (++digits > 10)
            return -1;
        whole = whole * 10 + (*s - '0');
    }
    if (digits == 0)
        return -1;
    if (*s == '.') {
        s++;
        int decimals = 0;
        for (; *s >= '0' && *s <= '9'; s++) {
            if (++decimals > 2)
                return -1;
            cents = cents * 10 + (*s - '0');
        }
        if (decimals == 1)
            cents *= 10;
    }
    while (*s == ' ')
        s++;
    return *s == '\0' ? whole * 100 + cents : -1;
}
