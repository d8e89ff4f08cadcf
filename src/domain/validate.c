/* validate.c — shared checks of free text; see validate.h. */
#include "domain/validate.h"

#include <string.h>

#include "lib/text.h"
#include "lib/utf8.h"

int validate_text(const char *value, const char *field, size_t min, size_t max, bool multiline, struct error *err)
{
    if (value == NULL || value[0] == '\0')
        return min > 0 ? error_set(err, ERR_VALIDATION_FAILED, field, "is required") : 0;
    size_t len = strlen(value);
    enum text_fault fault = text_check(value, len, multiline ? TEXT_MULTI_LINE : TEXT_ONE_LINE);
    if (fault != TEXT_OK)
        return error_set(err, ERR_VALIDATION_FAILED, field, text_fault_detail(fault));
    size_t chars = utf8_count(value, len);
    if (chars < min)
        return error_set(err, ERR_VALIDATION_FAILED, field, "is too short");
    if (chars > max)
        return error_set(err, ERR_VALIDATION_FAILED, field, "is too long");
    return 0;
}
