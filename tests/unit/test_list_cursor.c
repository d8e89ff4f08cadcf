/* test_list_cursor.c — the cursor of a paged list (lib/list_cursor.c): what
 * it reads, what it refuses, and that what it writes reads back. */
#include "lib/limits.h"
#include "lib/list_cursor.h"
#include "test.h"

static struct arena arena;

static bool parses(const char *shape, const char *text, struct list_cursor *out)
{
    return list_cursor_parse(&arena, "fav", shape, text, out);
}

TEST(reads_numbers_texts_and_the_id)
{
    struct list_cursor c;
    CHECK(parses("nSs", "fav.12.-5.x43617264696f.o_abc-9", &c));
    CHECK_INT(c.position, 12);
    CHECK_INT(c.parts[0].n, -5);
    CHECK_STR(c.parts[1].s, "Cardio");
    CHECK_STR(c.id, "o_abc-9");
    CHECK(parses("s", "fav.0.x", &c));
    CHECK_STR(c.id, "x");
    CHECK(parses("ss", "fav.3.x.u_1", &c)); /* an empty text part */
    CHECK_STR(c.parts[0].s, "");
}

TEST(writes_what_it_reads)
{
    struct list_cursor c = {.position = 41, .parts = {{.n = 1733000000}, {.s = "Zo\xc3\xab \"&<"}}, .id = "b_7"};
    struct buf b;
    buf_init(&b, &arena, 512);
    list_cursor_write(&b, "fav", "nss", &c);
    CHECK_STR(b.data, "fav.41.1733000000.x5a6fc3ab2022263c.b_7");
    struct list_cursor again;
    CHECK(parses("nss", b.data, &again));
    CHECK_INT(again.position, 41);
    CHECK_INT(again.parts[0].n, 1733000000);
    CHECK_STR(again.parts[1].s, "Zo\xc3\xab \"&<");
    CHECK_STR(again.id, "b_7");
}

TEST(refuses_another_list_or_shape)
{
    struct list_cursor c;
    CHECK(!parses("s", "favs.0.a", &c));
    CHECK(!parses("s", "fa.0.a", &c));
    CHECK(!parses("s", "fav", &c));
    CHECK(!parses("s", "fav.", &c));
    CHECK(!parses("s", "", &c));
    CHECK(!parses("ns", "fav.0.a", &c));      /* a key part missing */
    CHECK(!parses("s", "fav.0.5.a", &c));     /* one too many */
    CHECK(!parses("ns", "fav.0.x41.a", &c));  /* text where a number goes */
    CHECK(!parses("ss", "fav.0.41.a", &c));   /* a number where text goes */
    CHECK(!parses("nnnns", "fav.0.1.2.3.4.a", &c)); /* more parts than a list may have */
}

TEST(refuses_numbers_in_another_spelling)
{
    struct list_cursor c;
    CHECK(parses("ns", "fav.0.0.a", &c));
    const char *bad[] = {"fav.0.+5.a", "fav.0.05.a", "fav.0. 5.a", "fav.0.-0.a", "fav.0.5 .a", "fav.0.0x5.a",
                         "fav.0..a", "fav.0.9223372036854775808.a", "fav.-1.5.a", "fav.01.5.a", "fav.0.1e3.a"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK(!parses("ns", bad[i], &c));
    CHECK(parses("ns", "fav.0.-9223372036854775808.a", &c));
    CHECK_INT(c.parts[0].n, INT64_MIN);
}

TEST(refuses_bad_text_and_ids)
{
    struct list_cursor c;
    CHECK(!parses("ss", "fav.0.41.a", &c));   /* no "x" */
    CHECK(!parses("ss", "fav.0.x4.a", &c));   /* odd hex */
    CHECK(!parses("ss", "fav.0.x4A.a", &c));  /* upper-case hex: not how it is written */
    CHECK(!parses("ss", "fav.0.xzz.a", &c));
    CHECK(!parses("ss", "fav.0.x00.a", &c));  /* a NUL byte */
    CHECK(!parses("ss", "fav.0.x4100.a", &c));
    CHECK(!parses("s", "fav.0.a.b", &c));     /* '.' in the id */
    CHECK(!parses("s", "fav.0.a/b", &c));
    CHECK(!parses("s", "fav.0.", &c));
    char long_id[80];
    memset(long_id, 'a', sizeof(long_id) - 1);
    long_id[sizeof(long_id) - 1] = '\0';
    char text[120];
    snprintf(text, sizeof(text), "fav.0.%s", long_id);
    CHECK(!parses("s", text, &c)); /* an id of more than 64 */
}

/* "fav.0.x" + hex + ".ab": 10 bytes and the hex. */
static bool parses_with_hex_digits(size_t digits)
{
    struct list_cursor c;
    char *text = malloc(digits + 11);
    CHECK(text != NULL);
    memcpy(text, "fav.0.x", 7);
    for (size_t i = 0; i < digits; i++)
        text[7 + i] = "41"[i % 2];
    memcpy(text + 7 + digits, ".ab", 4);
    bool ok = parses("ss", text, &c);
    free(text);
    return ok;
}

TEST(refuses_a_cursor_over_the_limit)
{
    CHECK(parses_with_hex_digits(API_CURSOR_MAX_BYTES - 10));
    CHECK(!parses_with_hex_digits(API_CURSOR_MAX_BYTES - 8));
}

int main(void)
{
    arena_heap_init(&arena);
    RUN(reads_numbers_texts_and_the_id);
    RUN(writes_what_it_reads);
    RUN(refuses_another_list_or_shape);
    RUN(refuses_numbers_in_another_spelling);
    RUN(refuses_bad_text_and_ids);
    RUN(refuses_a_cursor_over_the_limit);
    arena_heap_free(&arena);
    return test_summary("list_cursor");
}
