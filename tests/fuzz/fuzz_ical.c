/* fuzz_ical.c — libFuzzer target for the iCalendar writer (lib/ical.c):
 * any bytes as an event's summary (valid UTF-8 only, as every text input
 * is checked before it is stored) must come out as lines of at most
 * ICAL_LINE_OCTETS octets, each ending in CRLF with no other CR or LF, and
 * unfolding and unescaping the SUMMARY line must give the text back (CR
 * dropped, other control characters as spaces). A violation traps. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/ical.h"
#include "lib/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        __builtin_trap();
}

/* What the writer promises to keep of the text. */
static size_t expected(const char *in, char *out)
{
    size_t n = 0;
    for (const char *p = in; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\r')
            continue;
        out[n++] = (c < 0x20 && c != '\n') || c == 0x7F ? ' ' : (char)c;
    }
    out[n] = '\0';
    return n;
}

/* The SUMMARY value unfolded (RFC 5545 §3.1: a CRLF and one space vanish,
 * wherever they fall) and then unescaped into out; its length. */
static size_t summary_back(const char *ics, char *out)
{
    const char *p = strstr(ics, "\r\nSUMMARY:");
    check(p != NULL);
    p += 10;
    size_t len = strlen(p);
    char *unfolded = malloc(len + 1);
    check(unfolded != NULL);
    size_t u = 0;
    for (;;) {
        if (p[0] == '\r' && p[1] == '\n') {
            if (p[2] != ' ')
                break;
            p += 3;
            continue;
        }
        check(*p != '\0');
        unfolded[u++] = *p++;
    }
    size_t n = 0;
    for (size_t i = 0; i < u; i++) {
        if (unfolded[i] == '\\') {
            check(i + 1 < u);
            char c = unfolded[++i];
            check(c == '\\' || c == ';' || c == ',' || c == 'n');
            out[n++] = c == 'n' ? '\n' : c;
            continue;
        }
        out[n++] = unfolded[i];
    }
    out[n] = '\0';
    free(unfolded);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096 || !utf8_valid((const char *)data, size) || memchr(data, 0, size) != NULL)
        return 0;
    char *text = malloc(size + 1), *want = malloc(size + 1), *got = malloc(size * 2 + 1);
    check(text != NULL && want != NULL && got != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    struct arena arena;
    arena_heap_init(&arena);
    struct buf b;
    buf_init(&b, &arena, 1 << 20);
    struct ical_event e = {"uid-1@rounds", text, text, NULL, "2026-12-01", "2026-12-03", 1764547200};
    ical_begin(&b, "Rounds");
    ical_all_day_event(&b, &e);
    ical_end(&b);
    check(buf_ok(&b));
    /* Every line: at most 75 octets, CRLF, no bare CR or LF. */
    const char *line = b.data;
    while (*line != '\0') {
        const char *end = strstr(line, "\r\n");
        check(end != NULL);
        check((size_t)(end - line) <= ICAL_LINE_OCTETS);
        check(memchr(line, '\n', (size_t)(end - line)) == NULL && memchr(line, '\r', (size_t)(end - line)) == NULL);
        check(utf8_valid(line, (size_t)(end - line)));
        line = end + 2;
    }
    size_t n = expected(text, want);
    check(summary_back(b.data, got) == n && memcmp(got, want, n) == 0);
    arena_heap_free(&arena);
    free(text);
    free(want);
    free(got);
    return 0;
}
