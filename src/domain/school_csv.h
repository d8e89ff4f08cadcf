/* school_csv.h — the CSV a school uploads to invite a cohort: one student
 * per line, "name,email,graduation_year" (RFC 4180: fields may be quoted, a
 * quote inside a quoted field is doubled, lines end in LF or CRLF). A first
 * line naming the columns is skipped, as are empty lines and a UTF-8 byte
 * order mark. Good rows are kept; every bad one is reported with its line
 * number and what is wrong, so one typo does not hold back a class. */
#ifndef ROUNDS_DOMAIN_SCHOOL_CSV_H
#define ROUNDS_DOMAIN_SCHOOL_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/errors.h"

struct school_csv_row {
    uint32_t line;           /* where the row starts, from 1 */
    const char *name, *email; /* email lower-cased */
    int64_t graduation_year; /* 0 when the field is empty */
};

struct school_csv_problem {
    uint32_t line;
    const char *message; /* "the email is not valid" */
};

struct school_csv {
    struct school_csv_row *rows;
    size_t row_count;
    struct school_csv_problem *problems;
    size_t problem_count;
    uint32_t lines; /* data lines seen (rows + problems) */
};

/* Reads text[0 .. len). Returns 0 with out filled (rows and problems, either
 * may be empty), or -1 with err when the file as a whole is refused: not
 * UTF-8, larger than SCHOOL_INVITE_MAX_BYTES or more than
 * SCHOOL_INVITE_MAX_ROWS lines, or nothing in it. */
int school_csv_parse(const char *text, size_t len, struct arena *arena, struct school_csv *out, struct error *err);

#endif
