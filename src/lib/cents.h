/* cents.h — an amount of integer cents as people read it: "$3,200" when
 * whole, "$3,200.50" otherwise, "-$5" when negative. The one formatter of
 * money: pages (views/money.h), emails and notifications use it. */
#ifndef ROUNDS_LIB_CENTS_H
#define ROUNDS_LIB_CENTS_H

#include <stddef.h>
#include <stdint.h>

enum { CENTS_TEXT_MAX = 32 };

/* Writes cents into out (NUL-terminated, truncated to size); returns out. */
const char *cents_format(char *out, size_t size, int64_t cents);

#endif
