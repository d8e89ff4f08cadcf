/* fuzz_whole_number.c — libFuzzer target for whole_number_parse() (the
 * evaluation's scores, the review's ratings and the teaching record's year as
 * typed in a form).
 *
 * The first byte picks the maximum (a score's, a year's, or a large one); the
 * rest is the text. Any bytes must give -1, or a value in [0, max] when the
 * text is only digits, at most WHOLE_NUMBER_MAX_DIGITS of them; the value
 * printed back must equal the text without its leading zeros. A violation
 * traps. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/whole_number.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int64_t maxima[] = {1000, 9999, 9, INT64_MAX / 2, 0};
    int64_t max = size > 0 ? maxima[data[0] % 5] : 1000;
    const uint8_t *body = size > 0 ? data + 1 : data;
    size_t n = size > 0 ? size - 1 : 0;
    char *text = malloc(n + 1);
    check(text != NULL);
    memcpy(text, body, n);
    text[n] = '\0';
    int64_t v = whole_number_parse(text, max);
    size_t len = strlen(text);
    bool digits = len > 0 && len <= WHOLE_NUMBER_MAX_DIGITS && strspn(text, "0123456789") == len;
    if (v < 0) {
        check(v == -1);
        /* Refused: not digits, or too many, or beyond max. */
        if (digits) {
            const char *p = text;
            while (*p == '0' && p[1] != '\0')
                p++;
            char back[32];
            snprintf(back, sizeof(back), "%" PRId64, max);
            check(strlen(p) > strlen(back) || (strlen(p) == strlen(back) && strcmp(p, back) > 0));
        }
    } else {
        check(digits && v <= max);
        const char *p = text;
        while (*p == '0' && p[1] != '\0')
            p++;
        char back[32];
        snprintf(back, sizeof(back), "%" PRId64, v);
        check(strcmp(back, p) == 0);
    }
    free(text);
    return 0;
}
