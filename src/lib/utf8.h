/* utf8.h — UTF-8 validation and counting. */
#ifndef ROUNDS_LIB_UTF8_H
#define ROUNDS_LIB_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8: no overlong forms, no surrogates,
 * nothing above U+10FFFF. NUL bytes are allowed here; callers refuse them. */
bool utf8_valid(const char *s, size_t len);
/* The number of code points in valid UTF-8 (undefined for invalid input). */
size_t utf8_count(const char *s, size_t len);
/* Decodes the code point at s (len bytes left) into *cp: its length in bytes,
 * or 0 when the bytes there are not valid UTF-8. */
size_t utf8_decode(const char *s, size_t len, unsigned *cp);
/* The longest prefix of s (len bytes of valid UTF-8) that fits in max bytes
 * without splitting a character. */
size_t utf8_prefix(const char *s, size_t len, size_t max);

#endif
