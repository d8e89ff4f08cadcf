/* visa_letter_input.c — the checks of a visa letter request's fields; see
 * visa_letters.h. Kept apart from the database code so that the fuzz target
 * (tests/fuzz/fuzz_visa_letter_input.c) links only what it exercises. */
#include <ctype.h>
#include <string.h>

#include "domain/validate.h"
#include "domain/visa_letters.h"
#include "lib/limits.h"

/* The passport number's check: 5–20 ASCII letters and digits. */
static int passport_number_check(const char *number, struct error *err)
{
    size_t len = number != NULL ? strlen(number) : 0;
    bool ok = len >= 5 && len <= 20;
    for (size_t i = 0; ok && i < len; i++)
        ok = isalnum((unsigned char)number[i]) != 0;
    return ok ? 0 : error_set(err, ERR_VALIDATION_FAILED, "passport_number", "must be 5 to 20 letters and digits");
}

size_t visa_letter_input_problems(const struct visa_letter_input *in, struct error *errors, size_t capacity)
{
    struct error each[VISA_LETTER_FIELDS] = {0};
    (void)validate_text(in->passport_name, "passport_name", 1, PERSON_NAME_MAX_CHARS, false, &each[0]);
    (void)validate_text(in->nationality, "nationality", 2, COUNTRY_MAX_CHARS, false, &each[1]);
    (void)validate_text(in->consulate_city, "consulate_city", 2, SITE_CITY_MAX_CHARS, false, &each[2]);
    (void)passport_number_check(in->passport_number, &each[3]);
    size_t count = 0;
    for (size_t i = 0; i < VISA_LETTER_FIELDS; i++)
        if (each[i].code != ERR_NONE && count < capacity)
            errors[count++] = each[i];
    return count;
}

int visa_letter_input_check(const struct visa_letter_input *in, struct error *err)
{
    struct error first;
    if (visa_letter_input_problems(in, &first, 1) == 0)
        return 0;
    *err = first;
    return -1;
}
