/* fuzz_visa_letter_input.c — libFuzzer target for visa_letter_input_check(),
 * the checks of a visa invitation letter request (POST
 * /api/v1/applications/{id}/visa-letter and its page).
 *
 * The input is split at NUL bytes into the passport name, passport number,
 * nationality and consulate city (missing fields are NULL). Accepted input
 * must be what the letter prints safely: each text field valid one-line text
 * of bounded length, the passport number 5–20 ASCII letters and digits.
 * Refused input must come back as 400 validation_failed naming one of the
 * four fields. A violation traps. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/visa_letters.h"
#include "lib/limits.h"
#include "lib/text.h"
#include "lib/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static void check_text(const char *s, size_t min, size_t max)
{
    check(s != NULL);
    size_t len = strlen(s);
    check(text_check(s, len, TEXT_ONE_LINE) == TEXT_OK);
    size_t chars = utf8_count(s, len);
    check(chars >= min && chars <= max);
}

static bool named_field(const char *field)
{
    static const char *const fields[] = {"passport_name", "passport_number", "nationality", "consulate_city"};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (field != NULL && strcmp(field, fields[i]) == 0)
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    const char *parts[4] = {NULL, NULL, NULL, NULL};
    size_t at = 0;
    for (int i = 0; i < 4 && at <= size; i++) {
        parts[i] = copy + at;
        at += strlen(copy + at) + 1;
    }
    struct visa_letter_input in = {
        .passport_name = parts[0], .passport_number = parts[1], .nationality = parts[2], .consulate_city = parts[3]};
    struct error err = {0};
    if (visa_letter_input_check(&in, &err) == 0) {
        check_text(in.passport_name, 1, PERSON_NAME_MAX_CHARS);
        check_text(in.nationality, 2, COUNTRY_MAX_CHARS);
        check_text(in.consulate_city, 2, SITE_CITY_MAX_CHARS);
        size_t len = strlen(in.passport_number);
        check(len >= 5 && len <= 20);
        for (size_t i = 0; i < len; i++) {
            char c = in.passport_number[i];
            check((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
        }
    } else {
        check(err.code == ERR_VALIDATION_FAILED && named_field(err.field) && err.detail != NULL);
    }
    free(copy);
    return 0;
}
