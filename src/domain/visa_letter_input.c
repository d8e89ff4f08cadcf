/* visa_letter_input.c — the checks of a visa letter request's fields; see
 * visa_letters.h. Kept apart from the database code so that the fuzz target
 * (tests/fuzz/fuzz_visa_letter_input.c) links only what it exercises. */
#include <ctype.h>
#include <string.h>

#include "domain/validate.h"
#include "domain/visa_letters.h"
#include "lib/limits.h"

int visa_letter_input_check(const struct visa_letter_input *in, struct error *err)
{
    if (validate_text(in->passport_name, "passport_name", 1, PERSON_NAME_MAX_CHARS, false, err) != 0 ||
        validate_text(in->nationality, "nationality", 2, COUNTRY_MAX_CHARS, false, err) != 0 ||
        validate_text(in->consulate_city, "consulate_city", 2, SITE_CITY_MAX_CHARS, false, err) != 0)
        return -1;
    size_t len = in->passport_number != NULL ? strlen(in->passport_number) : 0;
    if (len < 5 || len > 20)
        return error_set(err, ERR_VALIDATION_FAILED, "passport_number", "must be 5 to 20 letters and digits");
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)in->passport_number[i]))
            return error_set(err, ERR_VALIDATION_FAILED, "passport_number", "must be 5 to 20 letters and digits");
    return 0;
}
