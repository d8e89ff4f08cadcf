/* buf.c — capped string buffer with escaping; see buf.h. */
#include "lib/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static char empty_string[1];

void buf_init(struct buf *b, struct arena *arena, size_t max)
{
    b->arena = arena;
    b->data = empty_string;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->overflow = false;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->overflow = false;
    if (b->cap > 0)
        b->data[0] = '\0';
}

/* Makes room for extra more bytes; false (and overflow set) when it cannot. */
static bool buf_reserve(struct buf *b, size_t extra)
{
    if (b->overflow)
        return false;
    if (extra > b->max - b->len) {
        b->overflow = true;
        return false;
    }
    size_t need = b->len + extra;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap < 64 ? 64 : b->cap;
    while (cap < need)
        cap *= 2;
    if (cap > b->max)
        cap = b->max;
    char *data = arena_alloc(b->arena, cap + 1);
    if (data == NULL) {
        b->overflow = true;
        return false;
    }
    memcpy(data, b->data, b->len);
    data[b->len] = '\0';
    b->data = data;
    b->cap = cap;
    return true;
}

void buf_append_grow(struct buf *b, const char *s, size_t len)
{
    if (len == 0 || !buf_reserve(b, len))
        return;
    memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void buf_appendf(struct buf *b, const char *fmt, ...)
{
    if (b->overflow)
        return;
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->overflow = true;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        buf_append(b, small, (size_t)n);
        return;
    }
    if (!buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* By hand: large outputs (the match result) append tens of thousands of
 * numbers, and vsnprintf costs far more than the digits. */
void buf_append_int(struct buf *b, int64_t v)
{
    char digits[24];
    size_t at = sizeof(digits);
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        digits[--at] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (v < 0)
        digits[--at] = '-';
    buf_append(b, digits + at, sizeof(digits) - at);
}

void buf_append_html_len(struct buf *b, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_append(b, s + start, i - start);
        buf_append_str(b, rep);
        start = i + 1;
    }
    buf_append(b, s + start, len - start);
}

void buf_append_html(struct buf *b, const char *s)
{
    if (s != NULL)
        buf_append_html_len(b, s, strlen(s));
}

/* Bytes a JSON string literal cannot carry as they are: the controls, '"',
 * '\\', '<' and 0x7f. A table, since long strings (the match's explanations)
 * are scanned a byte at a time. */
#define JSON_ESCAPED_8 1, 1, 1, 1, 1, 1, 1, 1
static const unsigned char json_escaped_byte[256] = {
    JSON_ESCAPED_8, JSON_ESCAPED_8, JSON_ESCAPED_8, JSON_ESCAPED_8, /* 0x00 .. 0x1f */
    ['"'] = 1,      ['\\'] = 1,     ['<'] = 1,      [0x7f] = 1,
};

/* A byte that a JSON string literal carries as it is. */
static inline bool json_plain(unsigned char c)
{
    return json_escaped_byte[c] == 0;
}

/* The escape of a byte that is not json_plain. */
static void append_json_escape(struct buf *b, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], '\0'};
    const char *rep = esc;
    if (c == '"')
        rep = "\\\"";
    else if (c == '\\')
        rep = "\\\\";
    else if (c == '\n')
        rep = "\\n";
    else if (c == '\r')
        rep = "\\r";
    else if (c == '\t')
        rep = "\\t";
    /* '<' as \u003c keeps "</script>" harmless if JSON is ever inlined in HTML */
    buf_append_str(b, rep);
}

void buf_append_json_string(struct buf *b, const char *s)
{
    if (s == NULL) {
        buf_append_str(b, "null");
        return;
    }
    buf_append_char(b, '"');
    const unsigned char *p = (const unsigned char *)s;
    for (;;) {
        const unsigned char *run = p;
        while (json_plain(*p)) /* stops at the NUL too */
            p++;
        buf_append(b, (const char *)run, (size_t)(p - run));
        if (*p == '\0')
            break;
        append_json_escape(b, *p);
        p++;
    }
    buf_append_char(b, '"');
}

/* The first byte in [p, end) that json_plain refuses (or end): sixteen bytes
 * at a time where the processor has SSE2 (every x86-64). */
static inline const unsigned char *json_plain_run_end(const unsigned char *p, const unsigned char *end)
{
#if defined(__SSE2__)
    const __m128i control = _mm_set1_epi8(0x1f), quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'),
                  less = _mm_set1_epi8('<'), del = _mm_set1_epi8(0x7f);
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i special = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, control), v), _mm_cmpeq_epi8(v, del));
        special = _mm_or_si128(special, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(special, _mm_cmpeq_epi8(v, less)));
        if (mask != 0)
            return p + __builtin_ctz(mask);
        p += 16;
    }
#endif
    while (p < end && json_plain(*p))
        p++;
    return p;
}

void buf_append_json_string_len(struct buf *b, const char *s, size_t len)
{
    buf_append_char(b, '"');
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    for (;;) {
        const unsigned char *run = p;
        p = json_plain_run_end(p, end);
        buf_append(b, (const char *)run, (size_t)(p - run));
        if (p == end)
            break;
        append_json_escape(b, *p);
        p++;
    }
    buf_append_char(b, '"');
}

void buf_append_url(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            buf_append_char(b, (char)c);
        } else {
            char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(b, enc, 3);
        }
    }
}
