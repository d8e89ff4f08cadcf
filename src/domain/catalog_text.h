/* catalog_text.h — full text inside the catalog search index.
 *
 * Words: maximal runs of ASCII letters and digits and of letters beyond
 * ASCII, lower-cased; Latin letters with diacritics fold to their base
 * letters (é → e, ß → ss); other punctuation and symbols separate words. A
 * word longer than 3 bytes ending in one "s" (not "ss") loses it, so that a
 * plural finds its singular. Words are cut at CATALOG_TEXT_TOKEN_MAX bytes.
 *
 * The index: a dictionary of every word of the published offerings (sorted,
 * for prefixes), and for each word the set of offering slots holding it —
 * in any field, in the title, in the host's name — as a sorted array of slots
 * or, when that would be larger, a bitset (the container Roaring bitmaps pick
 * per chunk, picked here per word). Each slot keeps its words (delta-coded) so
 * that a changed offering leaves exactly the sets it was in.
 *
 * A query: each word matches the dictionary words equal to it, the last word
 * every dictionary word it begins; a word of CATALOG_TEXT_TYPO_MIN bytes or
 * more also matches, as a typo, the words one edit away (a letter inserted,
 * deleted, replaced, or two neighbours swapped — not the first letter, as
 * Meilisearch counts a first-letter typo as two). An offering matches when
 * every word of the query does.
 *
 * Not thread-safe: the catalog index calls it under its write lock (changes)
 * or read lock (queries). */
#ifndef ROUNDS_DOMAIN_CATALOG_TEXT_H
#define ROUNDS_DOMAIN_CATALOG_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"

enum {
    CATALOG_TEXT_TOKEN_MAX = 48,   /* bytes of a word kept */
    CATALOG_TEXT_QUERY_WORDS = 8,  /* words of a query used; later ones are ignored */
    CATALOG_TEXT_TYPO_MIN = 5,     /* a query word this long tolerates one typo */
};

/* The next word of *text (advanced past it) into out, NUL-terminated; its
 * length, or 0 when the text has no more words. */
size_t catalog_text_next_word(const char **text, char out[CATALOG_TEXT_TOKEN_MAX + 1]);

/* The searchable fields of one offering. */
struct catalog_text_fields {
    const char *title, *host_name;
    const char *other[6]; /* description, specialty name, city, preceptor name, …; NULL-terminated */
};

/* Slots are bits of bitsets of `words` 64-bit words; call when it grows. */
int catalog_text_grow(size_t words);
/* Replaces the words of slot (fields == NULL: takes it out of the text index). */
int catalog_text_set(uint32_t slot, const struct catalog_text_fields *fields);
/* After a batch of catalog_text_set: sorts the dictionary's new words. */
int catalog_text_finish(void);
/* Gives back the room kept for growth (after loading the whole catalog). */
void catalog_text_trim(void);
void catalog_text_free(void);
/* Words in the dictionary and bytes the text index holds (for the log). */
void catalog_text_stats(size_t *words, size_t *bytes);

/* What a query matched, as bitsets of `words` words in the arena. */
struct catalog_text_result {
    size_t word_count;
    uint64_t *match;                              /* every word matched */
    uint64_t *typo[CATALOG_TEXT_QUERY_WORDS];     /* matched only through a typo (NULL: nowhere) */
    uint64_t *title[CATALOG_TEXT_QUERY_WORDS];    /* with ranked: a match is in the title */
    uint64_t *host[CATALOG_TEXT_QUERY_WORDS];     /* with ranked: a match is in the host's name */
};

/* Matches text; ranked also fills title and host. -1 when out of memory. A
 * text without words matches nothing. */
int catalog_text_query(struct arena *arena, const char *text, size_t words, bool ranked,
                       struct catalog_text_result *out);

#endif
