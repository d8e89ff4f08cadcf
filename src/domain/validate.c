/* validate.c — shared checks of free text; see validate.h. */
#include "domain/validate.h"

#include <string.h>

#include "lib/utf8.h"

int validate_text(const char *value, const char *field, size_t min, size_t max, bool multiline, struct error *err)
{
    if (value == NULL || value[0] == '\0')
        return min > 0 ? error_set(err, ERR_VALIDATION_FAILED, field, "is required") : 0;
    size_t len = strlen(value);
    if (!utf8_valid(value, len))
        return error_set(err, ERR_VALIDATION_FAILED, field, "is not valid UTF-8");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)value[i];
        bool allowed_space = multiline && (c == '\n' || c == '\r' || c == '\t');
        if ((c < 0x20 || c == 0x7f) && !allowed_space)
            return error_set(err, ERR_VALIDATION_FAILED, field, "must not contain control characters");
    }
    size_t chars = utf8_count(value, len);
    if (chars < min)
        return error_set(err, ERR_VALIDATION_FAILED, field, "is too short");
    if (chars > max)
        return error_set(err, ERR_VALIDATION_FAILED, field, "is too long");
    return 0;
}
