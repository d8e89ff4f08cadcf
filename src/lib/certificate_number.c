/* certificate_number.c — numbers of signed documents; see certificate_number.h. */
#include "lib/certificate_number.h"

#include <sodium.h>

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; /* Crockford base32 */

enum { NUMBER_SYMBOLS = 16, NUMBER_RANDOM = NUMBER_SYMBOLS - 1 };

/* The value of a typed character, or -1. */
static int symbol_value(char c)
{
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    if (c == 'I' || c == 'L')
        c = '1';
    if (c == 'O')
        c = '0';
    for (int i = 0; i < 32; i++)
        if (alphabet[i] == c)
            return i;
    return -1;
}

/* Luhn mod 32 over values, rightmost doubled first: the check value. */
static int check_value(const int *values, size_t count)
{
    int sum = 0;
    int factor = 2;
    for (size_t i = count; i-- > 0;) {
        int addend = factor * values[i];
        factor = factor == 2 ? 1 : 2;
        sum += addend / 32 + addend % 32;
    }
    return (32 - sum % 32) % 32;
}

static void write_canonical(const int values[NUMBER_SYMBOLS], char out[CERTIFICATE_NUMBER_SIZE])
{
    size_t o = 0;
    out[o++] = 'R';
    out[o++] = 'C';
    for (int i = 0; i < NUMBER_SYMBOLS; i++) {
        if (i % 4 == 0)
            out[o++] = '-';
        out[o++] = alphabet[values[i]];
    }
    out[o] = '\0';
}

void certificate_number_new(char out[CERTIFICATE_NUMBER_SIZE])
{
    int values[NUMBER_SYMBOLS];
    for (int i = 0; i < NUMBER_RANDOM; i++)
        values[i] = (int)randombytes_uniform(32);
    values[NUMBER_RANDOM] = check_value(values, NUMBER_RANDOM);
    write_canonical(values, out);
}

bool certificate_number_parse(const char *text, size_t len, char out[CERTIFICATE_NUMBER_SIZE])
{
    if (text == NULL || len < 2 || len > CERTIFICATE_NUMBER_INPUT_MAX)
        return false;
    if ((text[0] != 'R' && text[0] != 'r') || (text[1] != 'C' && text[1] != 'c'))
        return false;
    int values[NUMBER_SYMBOLS];
    size_t count = 0;
    for (size_t i = 2; i < len; i++) {
        if (text[i] == '-' || text[i] == ' ')
            continue;
        int v = symbol_value(text[i]);
        if (v < 0 || count == NUMBER_SYMBOLS)
            return false;
        values[count++] = v;
    }
    if (count != NUMBER_SYMBOLS || check_value(values, NUMBER_RANDOM) != values[NUMBER_RANDOM])
        return false;
    write_canonical(values, out);
    return true;
}
