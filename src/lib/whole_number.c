/* whole_number.c — whole numbers typed in form fields; see whole_number.h. */
#include "lib/whole_number.h"

#include <stddef.h>

int64_t whole_number_parse(const char *text, int64_t max)
{
    if (text == NULL || text[0] == '\0' || max < 0)
        return -1;
    int64_t value = 0;
    size_t n = 0;
    for (; text[n] != '\0'; n++) {
        char c = text[n];
        if (c < '0' || c > '9' || n == WHOLE_NUMBER_MAX_DIGITS)
            return -1;
        value = value * 10 + (c - '0'); /* 18 digits cannot overflow int64_t */
    }
    return value <= max ? value : -1;
}
