/* match_json_read.c — the match instance reader; see match_json.h.
 *
 * One pass over the text collects blocks, offerings and students with their
 * references as (offset, length) spans into the text; strings are decoded in
 * place and NUL-terminated over their closing quote. A second pass resolves
 * the references through hash tables of ids, refusing unknown and repeated
 * ones, and lays the instance out in flat arrays. Every error names its field
 * by path (`offerings[3].ranking.order[5]`), and syntax errors add the line
 * and column. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "domain/match_json.h"
#include "domain/match_json_internal.h"
#include "lib/clock.h"
#include "lib/json_spec.h"
#include "lib/utf8.h"

/* ---------------------------------------------------------------- errors and paths */

static void path_push_key(struct reader *r, const char *key)
{
    if (r->depth < READER_MAX_DEPTH)
        r->path[r->depth] = (struct path_item){.key = key};
    r->depth++;
}

static void path_push_index(struct reader *r, uint32_t index)
{
    if (r->depth < READER_MAX_DEPTH)
        r->path[r->depth] = (struct path_item){.key = NULL, .index = index};
    r->depth++;
}

static void path_pop(struct reader *r)
{
    r->depth--;
}

/* A JSON string literal of s, cut short with "..." to fit out_size, into out. */
void reader_quote(const char *s, size_t len, char *out, size_t out_size)
{
    size_t w = 0;
    if (out_size < 16)
        return;
    out[w++] = '"';
    for (size_t i = 0; i < len; i++) {
        if (w + 12 >= out_size) {
            memcpy(out + w, "...", 3);
            w += 3;
            break;
        }
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            out[w++] = '\\';
            out[w++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            w += (size_t)snprintf(out + w, out_size - w, "\\u%04x", c);
        } else {
            out[w++] = (char)c;
        }
    }
    out[w++] = '"';
    out[w] = '\0';
}

/* A name that reads well after a dot: letters, digits and '_'. */
static bool plain_name(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

void reader_path(const struct reader *r, int depth, char *out, size_t out_size)
{
    size_t w = 0;
    out[0] = '\0';
    for (int i = 0; i < depth && i < READER_MAX_DEPTH && w < out_size; i++) {
        const struct path_item *p = &r->path[i];
        int n;
        if (p->key == NULL) {
            n = snprintf(out + w, out_size - w, "[%u]", p->index);
        } else if (plain_name(p->key)) {
            n = snprintf(out + w, out_size - w, "%s%s", w > 0 ? "." : "", p->key);
        } else {
            char quoted[72];
            reader_quote(p->key, strlen(p->key), quoted, sizeof(quoted));
            n = snprintf(out + w, out_size - w, "[%s]", quoted);
        }
        if (n < 0 || (size_t)n >= out_size - w)
            break; /* cut short: what fits stays */
        w += (size_t)n;
    }
    if (out[0] == '\0')
        snprintf(out, out_size, "(top level)");
}

/* Sets the error once: "PATH: message". Returns -1. */
int reader_fail(struct reader *r, const char *fmt, ...)
{
    if (r->failed)
        return -1;
    r->failed = true;
    char path[160];
    reader_path(r, r->depth, path, sizeof(path));
    int n = snprintf(r->error, MATCH_ERROR_MAX, "%s: ", path);
    if (n < 0 || n >= MATCH_ERROR_MAX)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error + n, MATCH_ERROR_MAX - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* A syntax error with its line and column. */
static int fail_syntax(struct reader *r, const char *what)
{
    unsigned line = 1, column = 1;
    for (const char *c = r->begin; c < r->p; c++) {
        if (*c == '\n') {
            line++;
            column = 1;
        } else if (((unsigned char)*c & 0xc0) != 0x80) {
            column++;
        }
    }
    if (r->p >= r->end)
        return reader_fail(r, "invalid JSON at line %u, column %u: the text ends early (%s)", line, column, what);
    return reader_fail(r, "invalid JSON at line %u, column %u: %s", line, column, what);
}

/* ---------------------------------------------------------------- tokens */

static void skip_space(struct reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

/* The first character of the next value (0 at the end), spaces skipped. */
char reader_peek(struct reader *r)
{
    skip_space(r);
    return r->p < r->end ? *r->p : '\0';
}

static int expect(struct reader *r, char c, const char *what)
{
    if (reader_peek(r) != c)
        return fail_syntax(r, what);
    r->p++;
    return 0;
}

/* What a value starting with c is, for "must be …" messages. */
static const char *value_kind(char c)
{
    switch (c) {
    case '"': return "a string";
    case '{': return "an object";
    case '[': return "an array";
    case 't':
    case 'f': return "a boolean";
    case 'n': return "null";
    default: return (c == '-' || (c >= '0' && c <= '9')) ? "a number" : "not JSON";
    }
}

static int fail_type(struct reader *r, const char *wanted)
{
    char c = reader_peek(r);
    if (c == '\0')
        return fail_syntax(r, "expected a value");
    if (strcmp(value_kind(c), "not JSON") == 0)
        return fail_syntax(r, "expected a value");
    return reader_fail(r, "must be %s, not %s", wanted, value_kind(c));
}

static size_t encode_utf8(unsigned cp, char *w)
{
    if (cp < 0x80) {
        w[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        w[0] = (char)(0xc0 | (cp >> 6));
        w[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        w[0] = (char)(0xe0 | (cp >> 12));
        w[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        w[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    w[0] = (char)(0xf0 | (cp >> 18));
    w[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    w[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    w[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

static int hex4(struct reader *r, unsigned *out)
{
    if (r->end - r->p < 4)
        return fail_syntax(r, "\\u needs four hex digits");
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = r->p[i];
        unsigned d = (c >= '0' && c <= '9') ? (unsigned)(c - '0')
                     : (c >= 'a' && c <= 'f') ? (unsigned)(c - 'a' + 10)
                     : (c >= 'A' && c <= 'F') ? (unsigned)(c - 'A' + 10)
                                              : 16u;
        if (d == 16)
            return fail_syntax(r, "\\u needs four hex digits");
        v = v << 4 | d;
    }
    r->p += 4;
    *out = v;
    return 0;
}

/* One escape after the backslash, written at *w. */
static int read_escape(struct reader *r, char **w)
{
    if (r->p >= r->end)
        return fail_syntax(r, "unfinished escape");
    char c = *r->p++;
    const char *simple = "\"\\/bfnrt", *meaning = "\"\\/\b\f\n\r\t";
    const char *at = c != '\0' ? strchr(simple, c) : NULL;
    if (at != NULL) {
        *(*w)++ = meaning[at - simple];
        return 0;
    }
    if (c != 'u') {
        r->p--;
        return fail_syntax(r, "unknown escape");
    }
    unsigned cp = 0;
    if (hex4(r, &cp) != 0)
        return -1;
    if (cp >= 0xdc00 && cp <= 0xdfff)
        return fail_syntax(r, "a lone low surrogate");
    if (cp >= 0xd800 && cp <= 0xdbff) {
        unsigned low = 0;
        if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
            return fail_syntax(r, "a high surrogate without its low half");
        r->p += 2;
        if (hex4(r, &low) != 0)
            return -1;
        if (low < 0xdc00 || low > 0xdfff)
            return fail_syntax(r, "a high surrogate without its low half");
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
    }
    *w += encode_utf8(cp, *w);
    return 0;
}

/* Whether the UTF-8 character at s is a C0 or C1 control character or DEL. */
static bool is_control(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    return c < 0x20 || c == 0x7f || (c == 0xc2 && (unsigned char)s[1] < 0xa0);
}

/* A byte that stands for itself inside a string: printable ASCII but '"' and
 * '\\' (control characters, DEL and non-ASCII take the slow path). A table:
 * every byte of every id goes through here. */
#define PLAIN_16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const unsigned char plain_bytes[256] = {
    [0x20] = 1, 1, 0 /* '"' */, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    PLAIN_16, /* 0x30 */
    PLAIN_16, /* 0x40 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 /* '\\' */, 1, 1, 1,
    PLAIN_16, /* 0x60 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 /* DEL */,
};

static inline bool plain_byte(unsigned char c)
{
    return plain_bytes[c] != 0;
}

/* The first byte at or after p that is not plain (or end): sixteen bytes at
 * a time while sixteen remain, where the processor has SSE2 (every x86-64).
 * As signed bytes, the ones that are not plain are those below 0x20 (which
 * takes in 0x80 and above), DEL, '"' and '\\'. */
static inline char *plain_run_end(char *p, const char *end)
{
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f), quote = _mm_set1_epi8('"'),
                  backslash = _mm_set1_epi8('\\');
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del)),
                                       _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
        unsigned mask = (unsigned)_mm_movemask_epi8(special);
        if (mask != 0)
            return p + __builtin_ctz(mask);
        p += 16;
    }
#endif
    while (p < end && plain_byte((unsigned char)*p))
        p++;
    return p;
}

/* One character that is not plain at r->p, written at *w (escapes decoded,
 * UTF-8 checked); counts control characters. */
static int read_special(struct reader *r, char **w, bool *control)
{
    unsigned char c = (unsigned char)*r->p;
    if (c < 0x20)
        return fail_syntax(r, "a control character inside a string (escape it)");
    if (c == '\\') {
        r->p++;
        char *before = *w;
        if (read_escape(r, w) != 0)
            return -1;
        *control = *control || is_control(before);
        return 0;
    }
    if (c == 0x7f) {
        *control = true;
        *(*w)++ = (char)c;
        r->p++;
        return 0;
    }
    unsigned cp;
    size_t n = utf8_decode(r->p, (size_t)(r->end - r->p), &cp);
    if (n == 0)
        return fail_syntax(r, "invalid UTF-8");
    *control = *control || is_control(r->p);
    memmove(*w, r->p, n);
    *w += n;
    r->p += n;
    return 0;
}

/* A string at r->p (which must be at its quote): decoded in place,
 * NUL-terminated; its length in bytes and characters, and whether it holds a
 * control character (after decoding). */
static int read_string(struct reader *r, struct text_span *out, uint32_t *chars, bool *control)
{
    r->p++; /* the quote */
    char *w = r->p, *start = r->p;
    uint32_t count = 0;
    bool has_control = false;
    for (;;) {
        const char *run = r->p;
        r->p = plain_run_end(r->p, r->end);
        size_t n = (size_t)(r->p - run);
        if (w != run)
            memmove(w, run, n);
        w += n;
        count += (uint32_t)n;
        if (r->p >= r->end)
            return fail_syntax(r, "a string is not closed");
        if (*r->p == '"')
            break;
        if (read_special(r, &w, &has_control) != 0)
            return -1;
        count++;
    }
    *w = '\0'; /* over the closing quote at the latest */
    r->p++;
    out->at = (uint32_t)(start - r->begin);
    out->len = (uint32_t)(w - start);
    if (chars != NULL)
        *chars = count;
    if (control != NULL)
        *control = has_control;
    return 0;
}

/* The fast path of an array of ids (see match_json_internal.h). */
uint32_t reader_plain_ids(struct reader *r, struct array_iter *it, struct text_span *out, uint32_t room)
{
    char *p = r->p, *end = r->end;
    uint32_t n = 0;
    while (n < room && it->count < MATCH_MAX_ITEMS) {
        char *q = p;
        if (it->count > 0) {
            while (q < end && (*q == ' ' || *q == '\n' || *q == '\r' || *q == '\t'))
                q++;
            if (q == end || *q != ',')
                break;
            q++;
        }
        while (q < end && (*q == ' ' || *q == '\n' || *q == '\r' || *q == '\t'))
            q++;
        if (q == end || *q != '"')
            break;
        char *id = q + 1, *close = plain_run_end(id, end);
        size_t len = (size_t)(close - id);
        if (close == end || *close != '"' || len < 1 || len > MATCH_ID_MAX_CHARS)
            break;
        *close = '\0';
        out[n++] = (struct text_span){.at = (uint32_t)(id - r->begin), .len = (uint32_t)len};
        it->count++;
        p = close + 1;
    }
    r->p = p;
    return n;
}

/* An id: a string of 1 … MATCH_ID_MAX_CHARS characters, no control characters. */
int reader_id(struct reader *r, struct text_span *out)
{
    if (reader_peek(r) != '"')
        return fail_type(r, "a string");
    uint32_t chars = 0;
    bool control = false;
    if (read_string(r, out, &chars, &control) != 0)
        return -1;
    if (chars < 1 || chars > MATCH_ID_MAX_CHARS)
        return reader_fail(r, "must be 1 to %d characters", MATCH_ID_MAX_CHARS);
    if (control)
        return reader_fail(r, "must not hold control characters");
    return 0;
}

/* A whole number in [min, max]. */
int reader_integer(struct reader *r, int64_t min, int64_t max, int64_t *out)
{
    char c = reader_peek(r);
    if (c != '-' && (c < '0' || c > '9'))
        return fail_type(r, "a whole number");
    bool negative = c == '-';
    if (negative)
        r->p++;
    if (r->p >= r->end || *r->p < '0' || *r->p > '9')
        return fail_syntax(r, "a digit must follow '-'");
    if (*r->p == '0' && r->p + 1 < r->end && r->p[1] >= '0' && r->p[1] <= '9')
        return fail_syntax(r, "a number cannot start with 0");
    int64_t v = 0;
    bool big = false;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
        if (v > (INT64_MAX - 9) / 10)
            big = true;
        else
            v = v * 10 + (*r->p - '0');
        r->p++;
    }
    if (r->p < r->end && (*r->p == '.' || *r->p == 'e' || *r->p == 'E'))
        return reader_fail(r, "must be a whole number");
    if (negative)
        v = -v;
    if ((big || v < min || v > max) && min == max)
        return reader_fail(r, "must be %lld", (long long)min);
    if (big || v < min || v > max)
        return reader_fail(r, "must be between %lld and %lld", (long long)min, (long long)max);
    *out = v;
    return 0;
}

/* ---------------------------------------------------------------- objects and arrays */

int reader_object_begin(struct reader *r, struct object_iter *it)
{
    if (reader_peek(r) != '{')
        return fail_type(r, "an object");
    r->p++;
    it->first = true;
    it->seen = 0;
    return 0;
}

/* The next key among names (at most 32): its index, or -1 at the closing
 * brace, -2 on an error. Unknown and repeated keys are refused; the key is
 * pushed on the path (the caller pops it after the value). */
int reader_object_next(struct reader *r, struct object_iter *it, const char *const *names, int count)
{
    char c = reader_peek(r);
    if (c == '}') {
        r->p++;
        return -1;
    }
    if (!it->first) {
        if (c != ',') {
            fail_syntax(r, "expected ',' or '}'");
            return -2;
        }
        r->p++;
        c = reader_peek(r);
    }
    if (c != '"') {
        fail_syntax(r, it->first ? "expected a field name or '}'" : "expected a field name");
        return -2;
    }
    it->first = false;
    struct text_span key;
    if (read_string(r, &key, NULL, NULL) != 0)
        return -2;
    const char *text = r->begin + key.at;
    int found = -1;
    for (int i = 0; i < count && found < 0; i++)
        if (names[i][0] == text[0] && strlen(names[i]) == key.len && memcmp(names[i], text, key.len) == 0)
            found = i;
    if (found < 0) {
        path_push_key(r, text); /* NUL-terminated in place */
        reader_fail(r, "unknown field");
        return -2;
    }
    path_push_key(r, names[found]);
    if ((it->seen >> found) & 1u) {
        reader_fail(r, "this field appears twice");
        return -2;
    }
    it->seen |= 1u << found;
    if (expect(r, ':', "expected ':' after the field name") != 0)
        return -2;
    return found;
}

/* Refuses an object that lacks a required field (bit i of required: names[i]). */
int reader_object_end(struct reader *r, const struct object_iter *it, const char *const *names, uint32_t required)
{
    uint32_t missing = required & ~it->seen;
    for (int i = 0; missing != 0; i++, missing >>= 1)
        if (missing & 1u)
            return reader_fail(r, "missing field \"%s\"", names[i]);
    return 0;
}

void reader_field_done(struct reader *r)
{
    path_pop(r);
}

int reader_array_begin(struct reader *r, struct array_iter *it)
{
    if (reader_peek(r) != '[')
        return fail_type(r, "an array");
    r->p++;
    it->count = 0;
    return 0;
}

/* 1 when an element follows (its index pushed on the path; the caller pops
 * it), 0 at the closing bracket, -1 on an error. */
int reader_array_next(struct reader *r, struct array_iter *it)
{
    char c = reader_peek(r);
    if (c == ']') {
        r->p++;
        return 0;
    }
    if (it->count > 0) {
        if (c != ',')
            return fail_syntax(r, "expected ',' or ']'");
        r->p++;
    }
    if (it->count >= MATCH_MAX_ITEMS)
        return reader_fail(r, "more than %d elements", MATCH_MAX_ITEMS);
    path_push_index(r, it->count++);
    if (reader_peek(r) == ']')
        return fail_syntax(r, "expected a value after ','");
    return 1;
}

void reader_element_done(struct reader *r)
{
    path_pop(r);
}

/* "YYYY-MM-DD", a real date, as days since 1970-01-01. */
int reader_date(struct reader *r, int32_t *out)
{
    if (reader_peek(r) != '"')
        return fail_type(r, "a date YYYY-MM-DD");
    struct text_span s = {0};
    if (read_string(r, &s, NULL, NULL) != 0)
        return -1;
    const char *text = r->begin + s.at;
    if (s.len != 10 || !json_date_valid(text))
        return reader_fail(r, "must be a date YYYY-MM-DD");
    *out = clock_days_from_date(text);
    return 0;
}

/* A string from a fixed list: its index. */
int reader_choice(struct reader *r, const char *const *choices, int count, const char *wanted, int *out)
{
    if (reader_peek(r) != '"')
        return fail_type(r, "a string");
    struct text_span s = {0};
    if (read_string(r, &s, NULL, NULL) != 0)
        return -1;
    for (int i = 0; i < count; i++) {
        if (strlen(choices[i]) == s.len && memcmp(choices[i], r->begin + s.at, s.len) == 0) {
            *out = i;
            return 0;
        }
    }
    return reader_fail(r, "must be %s", wanted);
}

int reader_seed(struct reader *r, struct text_span *out)
{
    if (reader_peek(r) != '"')
        return fail_type(r, "a string");
    uint32_t chars = 0;
    bool control = false;
    if (read_string(r, out, &chars, &control) != 0)
        return -1;
    if (chars < 1 || chars > MATCH_SEED_MAX_CHARS)
        return reader_fail(r, "must be 1 to %d characters", MATCH_SEED_MAX_CHARS);
    if (control)
        return reader_fail(r, "must not hold control characters");
    return 0;
}

/* Nothing but spaces may follow the top-level value. */
int reader_finish(struct reader *r)
{
    if (reader_peek(r) != '\0')
        return fail_syntax(r, "text after the end of the instance");
    return 0;
}

int reader_start(struct reader *r)
{
    if (reader_peek(r) == '\0') {
        r->p = r->end;
        return fail_syntax(r, "the instance is empty");
    }
    return 0;
}
