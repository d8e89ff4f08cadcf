/* fuzz_text.c — libFuzzer target for text_check(), the one text rule every
 * input goes through. Checks what callers rely on: a one-line field that
 * passes also passes as multi-line; passing text is valid UTF-8 with no
 * byte below 0x20 but tab, CR and LF (and those only when multi-line), no
 * DEL, no C1 control and no bidirectional control; the detail is a string.
 * A violation traps. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "lib/text.h"
#include "lib/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static void check_passing(const char *s, size_t len, bool multi)
{
    check(utf8_valid(s, len));
    for (size_t i = 0; i < len;) {
        unsigned cp = 0;
        size_t n = utf8_decode(s + i, len - i, &cp);
        check(n > 0);
        if (cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029)
            check(multi);
        else
            check(cp >= 0x20 && !(cp >= 0x7f && cp <= 0x9f));
        check(!(cp >= 0x202a && cp <= 0x202e) && !(cp >= 0x2066 && cp <= 0x2069));
        i += n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    enum text_fault one = text_check(s, size, TEXT_ONE_LINE);
    enum text_fault multi = text_check(s, size, TEXT_MULTI_LINE);
    check(text_fault_detail(one) != NULL && text_fault_detail(multi) != NULL);
    if (one == TEXT_OK) {
        check(multi == TEXT_OK);
        check_passing(s, size, false);
    }
    if (multi == TEXT_OK)
        check_passing(s, size, true);
    if (multi == TEXT_NOT_UTF8)
        check(one == TEXT_NOT_UTF8);
    return 0;
}
