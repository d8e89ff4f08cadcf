/* validate.c — shared checks of free text; see validate.h. */
#include "domain/validate.h"

#include <ctype.h>
#include <string.h>

#include "lib/json_spec.h"
#include "lib/limits.h"
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

int validate_reason(struct arena *arena, const char *reason, const char *missing, const char **out,
                    struct error *err)
{
    const char *r = reason != NULL ? reason : "";
    while (*r == ' ' || *r == '\t' || *r == '\r' || *r == '\n')
        r++;
    size_t n = strlen(r);
    while (n > 0 && (r[n - 1] == ' ' || r[n - 1] == '\t' || r[n - 1] == '\r' || r[n - 1] == '\n'))
        n--;
    if (n == 0)
        return error_set(err, ERR_VALIDATION_FAILED, "reason", missing);
    if (!utf8_valid(r, n))
        return error_set(err, ERR_VALIDATION_FAILED, "reason", "must be text");
    if (utf8_count(r, n) > REASON_MAX_CHARS)
        return error_set(err, ERR_VALIDATION_FAILED, "reason",
                         "must be at most " LIMIT_TEXT(REASON_MAX_CHARS) " characters");
    *out = arena_strndup(arena, r, n);
    return *out != NULL ? 0 : error_set(err, ERR_INTERNAL, NULL, NULL);
}

int validate_email_lowered(struct arena *arena, const char *email, const char *field, const char **out,
                           struct error *err)
{
    char *lowered = arena_strdup(arena, email != NULL ? email : "");
    if (lowered == NULL)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    for (char *p = lowered; *p != '\0'; p++)
        *p = (char)tolower((unsigned char)*p);
    if (!json_email_valid(lowered))
        return error_set(err, ERR_VALIDATION_FAILED, field, "must be an email address");
    *out = lowered;
    return 0;
}

int validate_copy_within(char *dst, size_t size, const char *src, const char *field, struct error *err)
{
    size_t n = src != NULL ? strlen(src) : 0;
    if (n >= size)
        return error_set(err, ERR_VALIDATION_FAILED, field, "is too long");
    memcpy(dst, src != NULL ? src : "", n + 1);
    return 0;
}
