/* certificate_number.h — the number printed on every signed document Rounds
 * issues and used in its public address (/verify/{number}):
 * "RC-" then 16 Crockford base32 characters in groups of four, the last a
 * Luhn mod 32 check character over the first 15 (75 random bits), so that a
 * mistyped character or two swapped neighbours is caught before a lookup. */
#ifndef ROUNDS_LIB_CERTIFICATE_NUMBER_H
#define ROUNDS_LIB_CERTIFICATE_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

/* "RC-XXXX-XXXX-XXXX-XXXX" and its NUL. */
enum { CERTIFICATE_NUMBER_SIZE = 23, CERTIFICATE_NUMBER_INPUT_MAX = 64 };

/* A new random number into out. */
void certificate_number_new(char out[CERTIFICATE_NUMBER_SIZE]);
/* Reads a number as a person may type it (any case, dashes or spaces
 * anywhere after "RC", Crockford's look-alikes I/L → 1 and O → 0) into its
 * canonical form; false when it is not one (wrong length, a character outside
 * the alphabet, a wrong check character, longer than the input cap). */
bool certificate_number_parse(const char *text, size_t len, char out[CERTIFICATE_NUMBER_SIZE]);

#endif
