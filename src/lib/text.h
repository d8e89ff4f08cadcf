/* text.h — the one check every text input goes through, whatever parsed it
 * (JSON field specs, HTML forms, multipart fields, query parameters, the
 * domain's own checks): valid UTF-8, no C0 or C1 control characters (DEL
 * included), no bidirectional embeddings, overrides or isolates (U+202A–
 * U+202E, U+2066–U+2069: they make text read differently from what it is),
 * and line breaks (CR, LF, U+2028, U+2029) and tabs only in fields declared
 * multi-line. */
#ifndef ROUNDS_LIB_TEXT_H
#define ROUNDS_LIB_TEXT_H

#include <stdbool.h>
#include <stddef.h>

enum text_lines { TEXT_ONE_LINE, TEXT_MULTI_LINE };

enum text_fault {
    TEXT_OK = 0,
    TEXT_NOT_UTF8,   /* not valid UTF-8 */
    TEXT_CONTROL,    /* NUL, another C0 or C1 control character, DEL (tab outside multi-line fields) */
    TEXT_LINE_BREAK, /* a line break in a one-line field */
    TEXT_BIDI,       /* a bidirectional embedding, override or isolate */
};

/* Checks s[0..len). */
enum text_fault text_check(const char *s, size_t len, enum text_lines lines);
/* What a 400 says about the field: "must not contain control characters". */
const char *text_fault_detail(enum text_fault fault);

#endif
