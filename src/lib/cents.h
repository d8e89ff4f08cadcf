/* cents.h — an amount of integer cents as people read it: "$3,200" when
 * whole, "$3,200.50" otherwise, "-$5" when negative. The one formatter of
 * money: pages (views/money.h), emails and notifications use it; and the one
 * reader of an amount typed in a form. */
#ifndef ROUNDS_LIB_CENTS_H
#define ROUNDS_LIB_CENTS_H

#include <stddef.h>
#include <stdint.h>

enum { CENTS_TEXT_MAX = 32 };

/* Writes cents into out (NUL-terminated, truncated to size); returns out. */
const char *cents_format(char *out, size_t size, int64_t cents);

/* An amount typed in dollars → cents: "2500", "2,500", "$2,500.5", "2500.50"
 * (spaces around it allowed, at most 10 digits before the point and 2 after);
 * -1 when it is not such an amount. */
int64_t cents_parse_dollars(const char *s);

#endif
