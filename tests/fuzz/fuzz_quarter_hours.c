/* fuzz_quarter_hours.c — libFuzzer target for quarter_hours_parse() (the
 * hours typed in the hours log's form) and quarter_hours_format().
 *
 * Any text must give -1 or a whole number of quarter hours in
 * [0, QUARTER_HOURS_MAX_WHOLE hours + 45 minutes] without crashing; an amount
 * it accepts, written the way pages show it, must read back the same; and
 * any minute count that is a quarter hour in range, written, must read back.
 * A violation traps. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/quarter_hours.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        __builtin_trap();
}

enum { MAX_MINUTES = QUARTER_HOURS_MAX_WHOLE * 60 + 45 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    check(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    int64_t minutes = quarter_hours_parse(text);
    check(minutes == -1 || (minutes >= 0 && minutes <= MAX_MINUTES && minutes % 15 == 0));
    char shown[QUARTER_HOURS_TEXT_MAX];
    if (minutes >= 0)
        check(quarter_hours_parse(quarter_hours_format(shown, sizeof(shown), minutes)) == minutes);
    /* The input's first bytes as a minute count, written and read back. */
    int64_t any = 0;
    memcpy(&any, data, size < sizeof(any) ? size : sizeof(any));
    quarter_hours_format(shown, sizeof(shown), any);
    check(strlen(shown) < sizeof(shown));
    if (any >= 0 && any <= MAX_MINUTES && any % 15 == 0)
        check(quarter_hours_parse(shown) == any);
    free(text);
    return 0;
}
