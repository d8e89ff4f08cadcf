/* test_parse.c — unit tests for the query string, form body and Cookie header
 * parsers in src/http/parse.c. */
#include <stdlib.h>

#include "http/parse.h"
#include "test.h"

static struct arena arena;

static enum http_parse_status query(const char *s, size_t max_pairs, struct http_kv_list *out)
{
    return http_parse_urlencoded(&arena, s, strlen(s), max_pairs, out);
}

static enum http_parse_status cookies(const char *s, size_t max_pairs, struct http_kv_list *out)
{
    return http_parse_cookies(&arena, s, strlen(s), max_pairs, out);
}

/* The status of parsing s as a query string with room for 16 pairs. */
static int query_status(const char *s)
{
    struct http_kv_list list;
    return query(s, 16, &list);
}

static int cookie_status(const char *s)
{
    struct http_kv_list list;
    return cookies(s, 16, &list);
}

TEST(query_plain_pairs)
{
    struct http_kv_list list;
    arena_heap_init(&arena);
    CHECK_INT(query("a=1&b=2&name=three", 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 3);
    if (list.count == 3) {
        CHECK_STR(list.items[0].name, "a");
        CHECK_STR(list.items[0].value, "1");
        CHECK_INT(list.items[0].value_len, 1);
        CHECK_STR(list.items[1].name, "b");
        CHECK_STR(list.items[1].value, "2");
        CHECK_STR(list.items[2].name, "name");
        CHECK_STR(list.items[2].value, "three");
        CHECK_INT(list.items[2].value_len, 5);
    }
    CHECK_STR(http_kv_get(&list, "b"), "2");
    arena_heap_free(&arena);
}

TEST(query_plus_is_space)
{
    struct http_kv_list list;
    arena_heap_init(&arena);
    CHECK_INT(query("q=hello+world&first+name=Ada&sum=1+%2B+1&lead=+x+", 16, &list), HTTP_PARSE_OK);
    CHECK_STR(http_kv_get(&list, "q"), "hello world");
    CHECK_STR(http_kv_get(&list, "first name"), "Ada");
    CHECK_STR(http_kv_get(&list, "sum"), "1 + 1");
    CHECK_STR(http_kv_get(&list, "lead"), " x ");
    CHECK(http_kv_get(&list, "first+name") == NULL);
    arena_heap_free(&arena);
}

TEST(query_percent_escapes)
{
    struct http_kv_list list;
    arena_heap_init(&arena);
    CHECK_INT(query("%61%62=%41%42%43&amp=%26&eq=%3D%3d&pct=%25&plus=%2B&slash=%2f", 16, &list), HTTP_PARSE_OK);
    CHECK_STR(http_kv_get(&list, "ab"), "ABC");
    CHECK_STR(http_kv_get(&list, "amp"), "&");
    CHECK_STR(http_kv_get(&list, "eq"), "==");
    CHECK_STR(http_kv_get(&list, "pct"), "%");
    CHECK_STR(http_kv_get(&list, "plus"), "+");
    CHECK_STR(http_kv_get(&list, "slash"), "/");
    CHECK_INT(list.count, 6);
    arena_heap_free(&arena);
}

TEST(query_utf8_multibyte)
{
    struct http_kv_list list;
    arena_heap_init(&arena);
    /* é (2 bytes), € (3 bytes), 😀 (4 bytes), lower-case hex too. */
    CHECK_INT(query("name=%C3%A9%e2%82%ac%F0%9F%98%80&caf%C3%A9=1&city=Z\xc3\xbcrich", 16, &list), HTTP_PARSE_OK);
    CHECK_STR(http_kv_get(&list, "name"), "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    CHECK_INT(list.count, 3);
    if (list.count == 3)
        CHECK_INT(list.items[0].value_len, 9);
    CHECK_STR(http_kv_get(&list, "caf\xc3\xa9"), "1");
    CHECK_STR(http_kv_get(&list, "city"), "Z\xc3\xbcrich");
    /* U+00A0 is not a control character. */
    CHECK_INT(query_status("nbsp=%C2%A0"), HTTP_PARSE_OK);
    arena_heap_free(&arena);
}

TEST(query_invalid_utf8)
{
    arena_heap_init(&arena);
    CHECK_INT(query_status("a=%C3%28"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("%C3%28=a"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=%80"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=%FF"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=%FE%FF"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=%E2%82"), HTTP_PARSE_MALFORMED);       /* truncated */
    CHECK_INT(query_status("a=%C3"), HTTP_PARSE_MALFORMED);          /* truncated at end */
    CHECK_INT(query_status("a=%C3&b=%A9"), HTTP_PARSE_MALFORMED);    /* split across pairs */
    CHECK_INT(query_status("a=%ED%A0%80"), HTTP_PARSE_MALFORMED);    /* surrogate U+D800 */
    CHECK_INT(query_status("a=%F4%90%80%80"), HTTP_PARSE_MALFORMED); /* above U+10FFFF */
    CHECK_INT(query_status("a=\xff"), HTTP_PARSE_MALFORMED);         /* raw, not escaped */
    CHECK_INT(query_status("a=\xc3\x28"), HTTP_PARSE_MALFORMED);
    arena_heap_free(&arena);
}

TEST(query_overlong)
{
    arena_heap_init(&arena);
    CHECK_INT(query_status("a=%C0%AF"), HTTP_PARSE_MALFORMED);       /* '/' in 2 bytes */
    CHECK_INT(query_status("a=%C1%BF"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=%E0%80%AF"), HTTP_PARSE_MALFORMED);    /* '/' in 3 bytes */
    CHECK_INT(query_status("a=%F0%80%80%AF"), HTTP_PARSE_MALFORMED); /* '/' in 4 bytes */
    CHECK_INT(query_status("a=%C0%80"), HTTP_PARSE_MALFORMED);       /* overlong NUL */
    arena_heap_free(&arena);
}

TEST(query_nul)
{
    struct http_kv_list list;
    arena_heap_init(&arena);
    CHECK_INT(query_status("a=%00"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=x%00y"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("%00=1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a%00b=1"), HTTP_PARSE_MALFORMED);
    /* A raw NUL byte inside the given length. */
    static const char raw[] = "a=b\0c&d=1";
    CHECK_INT(http_parse_urlencoded(&arena, raw, sizeof(raw) - 1, 16, &list), HTTP_PARSE_MALFORMED);
    static const char raw_name[] = "a\0=1";
    CHECK_INT(http_parse_urlencoded(&arena, raw_name, sizeof(raw_name) - 1, 16, &list), HTTP_PARSE_MALFORMED);
    arena_heap_free(&arena);
}

TEST(query_control_characters)
{
    struct http_kv_list list;
    arena_heap_init(&arena);
    CHECK_INT(query_status("a=%01"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=%1B%5B31m"), HTTP_PARSE_MALFORMED); /* ANSI escape */
    CHECK_INT(query_status("a=%7F"), HTTP_PARSE_MALFORMED);       /* DEL */
    CHECK_INT(query_status("a=%C2%85"), HTTP_PARSE_MALFORMED);    /* C1 NEL */
    CHECK_INT(query_status("a=%C2%9F"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=\x01"), HTTP_PARSE_MALFORMED);
    /* Tab, CR and LF are fine in values (textareas), never in names. */
    CHECK_INT(query("notes=line+1%0D%0Aline%092&raw=a\tb", 16, &list), HTTP_PARSE_OK);
    CHECK_STR(http_kv_get(&list, "notes"), "line 1\r\nline\t2");
    CHECK_STR(http_kv_get(&list, "raw"), "a\tb");
    CHECK_INT(query_status("a%0A=1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a%09=1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("%0D=1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a\t=1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("flag%0A"), HTTP_PARSE_MALFORMED);     /* name only */
    arena_heap_free(&arena);
}

TEST(query_bad_escapes)
{
    arena_heap_init(&arena);
    CHECK_INT(query_status("a=%4"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=%"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=%zz"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=%4g"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=%g4"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=%%41"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=% 1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=%+1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=%-1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=%4&b=1"), HTTP_PARSE_MALFORMED); /* '&' is not a hex digit */
    CHECK_INT(query_status("%=1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a%2=1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("ok=1&a=50%"), HTTP_PARSE_MALFORMED);
    arena_heap_free(&arena);
}

TEST(query_empty_segments)
{
    struct http_kv_list list;
    arena_heap_init(&arena);
    CHECK_INT(query("a=1&&b=2", 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 2);
    CHECK_STR(http_kv_get(&list, "a"), "1");
    CHECK_STR(http_kv_get(&list, "b"), "2");
    CHECK_INT(query("&a=1&", 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 1);
    CHECK_INT(query("&&&", 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 0);
    CHECK(http_kv_get(&list, "a") == NULL);
    arena_heap_free(&arena);
}

TEST(query_empty_input)
{
    struct http_kv_list list = {(struct http_kv *)&list, 99};
    arena_heap_init(&arena);
    CHECK_INT(http_parse_urlencoded(&arena, NULL, 0, 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 0);
    CHECK(list.items == NULL);
    CHECK_INT(query("", 0, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 0);
    CHECK(http_kv_get(&list, "") == NULL);
    CHECK_INT(http_kv_count(&list, "a"), 0);
    arena_heap_free(&arena);
}

TEST(query_pair_without_equals)
{
    struct http_kv_list list;
    arena_heap_init(&arena);
    CHECK_INT(query("flag&x=1&empty=&eqs=a=b==", 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 4);
    if (list.count == 4) {
        CHECK_STR(list.items[0].name, "flag");
        CHECK_STR(list.items[0].value, "");
        CHECK_INT(list.items[0].value_len, 0);
        CHECK_STR(list.items[2].name, "empty");
        CHECK_STR(list.items[2].value, "");
        CHECK_INT(list.items[2].value_len, 0);
        CHECK_STR(list.items[3].value, "a=b==");
    }
    CHECK_STR(http_kv_get(&list, "flag"), "");
    arena_heap_free(&arena);
}

TEST(query_empty_name)
{
    struct http_kv_list list;
    arena_heap_init(&arena);
    CHECK_INT(query_status("=1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("="), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("a=1&=2"), HTTP_PARSE_MALFORMED);
    CHECK_INT(query_status("=&a=1"), HTTP_PARSE_MALFORMED);
    /* An escaped '=' is part of the name. */
    CHECK_INT(query("%3D=1", 16, &list), HTTP_PARSE_OK);
    CHECK_STR(http_kv_get(&list, "="), "1");
    /* A name of one space is not empty. */
    CHECK_INT(query("+=1", 16, &list), HTTP_PARSE_OK);
    CHECK_STR(http_kv_get(&list, " "), "1");
    arena_heap_free(&arena);
}

TEST(query_repeated_names)
{
    struct http_kv_list list;
    arena_heap_init(&arena);
    CHECK_INT(query("tag=a&tag=b&other=c&tag=c", 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 4);
    CHECK_INT(http_kv_count(&list, "tag"), 3);
    CHECK_INT(http_kv_count(&list, "other"), 1);
    CHECK_INT(http_kv_count(&list, "missing"), 0);
    CHECK_INT(http_kv_count(&list, "Tag"), 0);
    CHECK_STR(http_kv_get(&list, "tag"), "a");
    if (list.count == 4) {
        CHECK_STR(list.items[1].value, "b");
        CHECK_STR(list.items[3].value, "c");
    }
    /* %-decoded names count as the same name. */
    CHECK_INT(query("a+b=1&a%20b=2&a%2Bb=3", 16, &list), HTTP_PARSE_OK);
    CHECK_INT(http_kv_count(&list, "a b"), 2);
    CHECK_INT(http_kv_count(&list, "a+b"), 1);
    arena_heap_free(&arena);
}

TEST(query_max_pairs)
{
    struct http_kv_list list = {(struct http_kv *)&list, 99};
    arena_heap_init(&arena);
    CHECK_INT(query("a&b&c", 3, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 3);
    CHECK_INT(query("a&b&c", 2, &list), HTTP_PARSE_TOO_MANY);
    CHECK_INT(list.count, 0);
    CHECK(list.items == NULL);
    CHECK_INT(query("a=1", 0, &list), HTTP_PARSE_TOO_MANY);
    CHECK_INT(query("", 0, &list), HTTP_PARSE_OK);
    CHECK_INT(query("&&", 0, &list), HTTP_PARSE_OK);
    /* Empty segments do not count. */
    CHECK_INT(query("a=1&&&b=2&", 2, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 2);

    /* Many pairs: exactly at the limit, then one more. */
    static char big[4096];
    size_t n = 0;
    for (int i = 0; i < 1000; i++) {
        big[n++] = 'k';
        big[n++] = '=';
        big[n++] = (char)('0' + i % 10);
        big[n++] = '&';
    }
    CHECK_INT(http_parse_urlencoded(&arena, big, n, 1000, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 1000);
    CHECK_INT(http_kv_count(&list, "k"), 1000);
    CHECK_INT(http_parse_urlencoded(&arena, big, n, 999, &list), HTTP_PARSE_TOO_MANY);
    arena_heap_free(&arena);
}

TEST(query_respects_length)
{
    struct http_kv_list list;
    arena_heap_init(&arena);
    /* Bytes past len must be ignored: the input is not NUL-terminated. */
    CHECK_INT(http_parse_urlencoded(&arena, "a=1&b=2", 3, 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 1);
    CHECK_STR(http_kv_get(&list, "a"), "1");
    CHECK(http_kv_get(&list, "b") == NULL);
    /* "%41" cut to "%4" is a bad escape, not 'A'. */
    CHECK_INT(http_parse_urlencoded(&arena, "a=%41", 4, 16, &list), HTTP_PARSE_MALFORMED);
    CHECK_INT(http_parse_urlencoded(&arena, "a=%41", 3, 16, &list), HTTP_PARSE_MALFORMED);

    /* An exactly sized heap copy lets ASan catch any read past the end. */
    const char *cases[] = {"a=%4", "a=%", "%", "a=%C3", "flag", "a=1&", "&", "a=%41", "a=\"", "a=\"\"", " ", "a=1;", ";"};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = strlen(cases[i]);
        char *copy = malloc(len);
        CHECK(copy != NULL);
        if (copy == NULL)
            break;
        memcpy(copy, cases[i], len);
        (void)http_parse_urlencoded(&arena, copy, len, 16, &list);
        (void)http_parse_cookies(&arena, copy, len, 16, &list);
        free(copy);
    }
    arena_heap_free(&arena);
}

TEST(query_failure_clears_output)
{
    struct http_kv_list list = {(struct http_kv *)&list, 99};
    arena_heap_init(&arena);
    CHECK_INT(query("a=1&b=%zz", 16, &list), HTTP_PARSE_MALFORMED);
    CHECK(list.items == NULL);
    CHECK_INT(list.count, 0);
    CHECK(http_kv_get(&list, "a") == NULL);
    arena_heap_free(&arena);
}

TEST(cookie_basic)
{
    struct http_kv_list list;
    arena_heap_init(&arena);
    CHECK_INT(cookies("session=abc123; theme=dark", 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 2);
    if (list.count == 2) {
        CHECK_STR(list.items[0].name, "session");
        CHECK_STR(list.items[0].value, "abc123");
        CHECK_INT(list.items[0].value_len, 6);
        CHECK_STR(list.items[1].name, "theme");
        CHECK_STR(list.items[1].value, "dark");
    }
    CHECK_STR(http_kv_get(&list, "theme"), "dark");
    /* Values are not percent-decoded; '=' inside a value is kept (base64). */
    CHECK_INT(cookies("a=%41+b; tok=YWJj==; e=; x=!#$%&'()*+-./:<>?@[]^_`{|}~", 16, &list), HTTP_PARSE_OK);
    CHECK_STR(http_kv_get(&list, "a"), "%41+b");
    CHECK_STR(http_kv_get(&list, "tok"), "YWJj==");
    CHECK_STR(http_kv_get(&list, "e"), "");
    CHECK_STR(http_kv_get(&list, "x"), "!#$%&'()*+-./:<>?@[]^_`{|}~");
    /* Names are tokens: these punctuation characters are allowed. */
    CHECK_INT(cookies("__Host-sid=1; a.b=2; x!#$%&'*+-.^_`|~=3", 16, &list), HTTP_PARSE_OK);
    CHECK_STR(http_kv_get(&list, "__Host-sid"), "1");
    CHECK_STR(http_kv_get(&list, "x!#$%&'*+-.^_`|~"), "3");
    arena_heap_free(&arena);
}

TEST(cookie_spaces)
{
    struct http_kv_list list;
    arena_heap_init(&arena);
    CHECK_INT(cookies("  a=1 ;b=2;   c=3  ", 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 3);
    CHECK_STR(http_kv_get(&list, "a"), "1");
    CHECK_STR(http_kv_get(&list, "b"), "2");
    CHECK_STR(http_kv_get(&list, "c"), "3");
    CHECK_INT(cookies("a=1;\tb=2\t", 16, &list), HTTP_PARSE_OK);
    CHECK_STR(http_kv_get(&list, "b"), "2");
    CHECK_INT(http_kv_get(&list, "b") ? strlen(http_kv_get(&list, "b")) : 99, 1);
    /* A trailing separator or an empty segment is skipped. */
    CHECK_INT(cookies("a=1;", 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 1);
    CHECK_INT(cookies("a=1; ; b=2", 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 2);
    /* Spaces inside a pair are not allowed. */
    CHECK_INT(cookie_status("a = 1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a =1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a= 1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a=x y"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("my name=x"), HTTP_PARSE_MALFORMED);
    arena_heap_free(&arena);
}

TEST(cookie_quoted)
{
    struct http_kv_list list;
    arena_heap_init(&arena);
    CHECK_INT(cookies("id=\"abc\"; e=\"\"; n=plain", 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 3);
    CHECK_STR(http_kv_get(&list, "id"), "abc");
    CHECK_STR(http_kv_get(&list, "e"), "");
    if (list.count == 3) {
        CHECK_INT(list.items[0].value_len, 3);
        CHECK_INT(list.items[1].value_len, 0);
    }
    CHECK_STR(http_kv_get(&list, "n"), "plain");
    CHECK_INT(cookie_status("a=\""), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a=\"abc"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a=abc\""), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a=\"a\"b\""), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a=\"\"\""), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a=\"x y\""), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("\"a\"=1"), HTTP_PARSE_MALFORMED);
    arena_heap_free(&arena);
}

TEST(cookie_malformed)
{
    struct http_kv_list list = {(struct http_kv *)&list, 99};
    arena_heap_init(&arena);
    CHECK_INT(cookie_status("a"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("=1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("="), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a=1; b"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a=1; =2"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a=1,b=2"), HTTP_PARSE_MALFORMED);  /* ',' is not a cookie-octet */
    CHECK_INT(cookie_status("a=1\\2"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a=\x01"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a=\x7f"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a=caf\xc3\xa9"), HTTP_PARSE_MALFORMED); /* non-ASCII */
    CHECK_INT(cookie_status("caf\xc3\xa9=1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a(b)=1"), HTTP_PARSE_MALFORMED);   /* separators in a token */
    CHECK_INT(cookie_status("a@b=1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a:b=1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a/b=1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a\rb=1"), HTTP_PARSE_MALFORMED);
    CHECK_INT(cookie_status("a=1\r\n"), HTTP_PARSE_MALFORMED);
    static const char raw[] = "a=b\0c";
    CHECK_INT(http_parse_cookies(&arena, raw, sizeof(raw) - 1, 16, &list), HTTP_PARSE_MALFORMED);
    CHECK(list.items == NULL);
    CHECK_INT(list.count, 0);
    arena_heap_free(&arena);
}

TEST(cookie_empty_header)
{
    struct http_kv_list list = {(struct http_kv *)&list, 99};
    arena_heap_init(&arena);
    CHECK_INT(http_parse_cookies(&arena, NULL, 0, 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 0);
    CHECK(list.items == NULL);
    CHECK_INT(cookies("   ", 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 0);
    CHECK_INT(cookies(";", 0, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 0);
    CHECK(http_kv_get(&list, "session") == NULL);
    arena_heap_free(&arena);
}

TEST(cookie_repeated_and_max_pairs)
{
    struct http_kv_list list;
    arena_heap_init(&arena);
    CHECK_INT(cookies("s=1; s=2; t=3", 16, &list), HTTP_PARSE_OK);
    CHECK_INT(http_kv_count(&list, "s"), 2);
    CHECK_STR(http_kv_get(&list, "s"), "1");
    CHECK_INT(list.count, 3);
    if (list.count == 3)
        CHECK_STR(list.items[1].value, "2");
    /* Names are case-sensitive. */
    CHECK(http_kv_get(&list, "S") == NULL);
    CHECK_INT(cookies("a=1; b=2; c=3", 3, &list), HTTP_PARSE_OK);
    CHECK_INT(cookies("a=1; b=2; c=3", 2, &list), HTTP_PARSE_TOO_MANY);
    CHECK_INT(cookies("a=1", 0, &list), HTTP_PARSE_TOO_MANY);
    CHECK_INT(cookies("a=1; ;;  ; b=2", 2, &list), HTTP_PARSE_OK);
    arena_heap_free(&arena);
}

TEST(cookie_respects_length)
{
    struct http_kv_list list;
    arena_heap_init(&arena);
    CHECK_INT(http_parse_cookies(&arena, "a=1; b=2", 3, 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 1);
    CHECK_STR(http_kv_get(&list, "a"), "1");
    /* Cut inside a quoted value: the closing quote is past len. */
    CHECK_INT(http_parse_cookies(&arena, "a=\"1\"", 4, 16, &list), HTTP_PARSE_MALFORMED);
    arena_heap_free(&arena);
}

TEST(kv_get_missing)
{
    struct http_kv_list list;
    struct http_kv_list empty = {NULL, 0};
    arena_heap_init(&arena);
    CHECK_INT(query("a=1&bb=2", 16, &list), HTTP_PARSE_OK);
    CHECK(http_kv_get(&list, "missing") == NULL);
    CHECK(http_kv_get(&list, "b") == NULL);   /* no prefix match */
    CHECK(http_kv_get(&list, "bbb") == NULL);
    CHECK(http_kv_get(&list, "A") == NULL);
    CHECK(http_kv_get(&list, "") == NULL);
    CHECK_INT(http_kv_count(&list, "missing"), 0);
    CHECK(http_kv_get(&empty, "a") == NULL);
    CHECK_INT(http_kv_count(&empty, "a"), 0);
    CHECK(http_kv_get(NULL, "a") == NULL);
    CHECK_INT(http_kv_count(NULL, "a"), 0);
    CHECK(http_kv_get(&list, NULL) == NULL);
    arena_heap_free(&arena);
}

TEST(if_none_match_lists)
{
    const char *tag = "\"abc\"";
    CHECK(http_etag_listed("\"abc\"", tag));
    CHECK(http_etag_listed("W/\"abc\"", tag));
    CHECK(http_etag_listed("\"x\", \"abc\"", tag));
    CHECK(http_etag_listed("  *", tag));
    CHECK(!http_etag_listed("\"abcd\"", tag));
    CHECK(!http_etag_listed("abc", tag));
    CHECK(!http_etag_listed("", tag));
    CHECK(!http_etag_listed(",,,", tag));
}

TEST(accept_encoding_gzip)
{
    CHECK(http_accepts_gzip("gzip"));
    CHECK(http_accepts_gzip("br, gzip;q=0.5"));
    CHECK(http_accepts_gzip("GZIP"));
    CHECK(!http_accepts_gzip(NULL));
    CHECK(!http_accepts_gzip("identity"));
    CHECK(!http_accepts_gzip("gzip;q=0"));
    CHECK(!http_accepts_gzip("gzip ; q=0.000"));
    CHECK(!http_accepts_gzip("x-gzip2"));
}

int main(void)
{
    RUN(query_plain_pairs);
    RUN(query_plus_is_space);
    RUN(query_percent_escapes);
    RUN(query_utf8_multibyte);
    RUN(query_invalid_utf8);
    RUN(query_overlong);
    RUN(query_nul);
    RUN(query_control_characters);
    RUN(query_bad_escapes);
    RUN(query_empty_segments);
    RUN(query_empty_input);
    RUN(query_pair_without_equals);
    RUN(query_empty_name);
    RUN(query_repeated_names);
    RUN(query_max_pairs);
    RUN(query_respects_length);
    RUN(query_failure_clears_output);
    RUN(cookie_basic);
    RUN(cookie_spaces);
    RUN(cookie_quoted);
    RUN(cookie_malformed);
    RUN(cookie_empty_header);
    RUN(cookie_repeated_and_max_pairs);
    RUN(cookie_respects_length);
    RUN(kv_get_missing);
    RUN(if_none_match_lists);
    RUN(accept_encoding_gzip);
    return test_summary("parse");
}
