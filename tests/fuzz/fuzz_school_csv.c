/* fuzz_school_csv.c — libFuzzer target for school_csv_parse(), the CSV a
 * school uploads to invite a cohort.
 *
 * Whatever the bytes, the parser answers: a refusal of the whole file (with a
 * field and a reason), or rows and problems. Then every row must be a name of
 * 1 … ACCOUNT_NAME_MAX_CHARS characters without control characters, a valid
 * lower-case email seen once, a year of 0 or within the allowed range, with a
 * line number that grows; every problem has a line and a message; rows and
 * problems together are the data lines counted. A violation traps. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/school_csv.h"
#include "lib/arena.h"
#include "lib/json_spec.h"
#include "lib/limits.h"
#include "lib/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena arena;
    arena_heap_init(&arena);
    struct school_csv csv;
    struct error err = {0};
    if (school_csv_parse((const char *)data, size, &arena, &csv, &err) != 0) {
        check(err.code != ERR_NONE && err.detail != NULL);
    } else {
        check(csv.row_count + csv.problem_count == csv.lines && csv.lines > 0);
        uint32_t last = 0;
        for (size_t i = 0; i < csv.row_count; i++) {
            const struct school_csv_row *r = &csv.rows[i];
            size_t len = strlen(r->name);
            check(len > 0 && utf8_valid(r->name, len) && utf8_count(r->name, len) <= ACCOUNT_NAME_MAX_CHARS);
            for (size_t k = 0; k < len; k++)
                check((unsigned char)r->name[k] >= 0x20 && r->name[k] != 0x7f);
            check(json_email_valid(r->email));
            for (const char *e = r->email; *e != '\0'; e++)
                check(!(*e >= 'A' && *e <= 'Z'));
            for (size_t j = 0; j < i; j++)
                check(strcmp(csv.rows[j].email, r->email) != 0);
            check(r->graduation_year == 0 ||
                  (r->graduation_year >= GRADUATION_YEAR_MIN && r->graduation_year <= GRADUATION_YEAR_MAX));
            check(r->line > last);
            last = r->line;
        }
        for (size_t i = 0; i < csv.problem_count; i++)
            check(csv.problems[i].line >= 1 && csv.problems[i].message != NULL && csv.problems[i].message[0] != '\0');
    }
    arena_heap_free(&arena);
    return 0;
}
