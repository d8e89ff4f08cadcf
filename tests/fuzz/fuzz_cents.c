/* fuzz_cents.c — libFuzzer target for cents_parse_dollars() (an amount typed
 * in a form) and cents_format().
 *
 * Any text must give -1 or an amount in [0, 10^12) cents without crashing;
 * an amount it accepts, formatted the way pages show it, must read back as
 * the same amount; and any amount formatted must read back (negative ones
 * are refused). A violation traps. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cents.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    check(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    int64_t cents = cents_parse_dollars(text);
    check(cents == -1 || (cents >= 0 && cents < INT64_C(1000000000000)));
    char shown[CENTS_TEXT_MAX];
    if (cents >= 0)
        check(cents_parse_dollars(cents_format(shown, sizeof(shown), cents)) == cents);
    /* The input's first bytes as an amount, formatted and read back. */
    int64_t any = 0;
    memcpy(&any, data, size < sizeof(any) ? size : sizeof(any));
    cents_format(shown, sizeof(shown), any);
    int64_t back = cents_parse_dollars(shown);
    if (any >= 0 && any < INT64_C(1000000000000))
        check(back == any);
    else if (any < 0)
        check(back == -1);
    free(text);
    return 0;
}
