/* whole_number.h — a whole number as a person typed it in a form field
 * (the evaluation's 1–9 scores, the review's 1–5 ratings, the teaching
 * record's year): ASCII digits only, no sign, no space, no exponent. */
#ifndef ROUNDS_LIB_WHOLE_NUMBER_H
#define ROUNDS_LIB_WHOLE_NUMBER_H

#include <stdint.h>

/* The value of text when it is 1 to WHOLE_NUMBER_MAX_DIGITS digits (leading
 * zeros allowed) and at most max (0 ≤ max); -1 otherwise (NULL, empty,
 * any other character, too long or too large). */
int64_t whole_number_parse(const char *text, int64_t max);

enum { WHOLE_NUMBER_MAX_DIGITS = 18 };

#endif
