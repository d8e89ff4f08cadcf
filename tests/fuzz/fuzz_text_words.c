/* fuzz_text_words.c — libFuzzer target for catalog_text_next_word(), the
 * words of the catalog's full text and of every search query.
 *
 * Checks on any input: each word is non-empty, at most CATALOG_TEXT_TOKEN_MAX
 * bytes, lower case (no ASCII capital), made of ASCII letters and digits or
 * bytes ≥ 0x80 only, valid UTF-8 when the input is; the cursor only moves
 * forward and the loop ends; and a word read again is itself (the rules
 * applied twice change nothing). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/catalog_text.h"
#include "lib/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    check(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    bool valid = utf8_valid(text, strlen(text));
    char word[CATALOG_TEXT_TOKEN_MAX + 1], again[CATALOG_TEXT_TOKEN_MAX + 1];
    size_t len, words = 0;
    for (const char *p = text; (len = catalog_text_next_word(&p, word)) > 0;) {
        check(p > text && p <= text + size);
        check(len <= CATALOG_TEXT_TOKEN_MAX && strlen(word) == len);
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)word[i];
            check((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80);
        }
        check(!valid || utf8_valid(word, len));
        const char *w = word;
        check(catalog_text_next_word(&w, again) == len && strcmp(again, word) == 0);
        check(++words <= size);
    }
    free(text);
    return 0;
}
