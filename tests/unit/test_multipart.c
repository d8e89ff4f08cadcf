/* test_multipart.c — unit tests for the multipart/form-data parser in
 * src/http/multipart.c: the boundary of a Content-Type, the framing of a
 * body, part headers and the refusals. */
#include <stdlib.h>

#include "http/parse.h"
#include "test.h"

static struct arena arena;

/* Parses a body given as a string literal (sizeof keeps embedded NULs). */
#define PARSE(body, boundary, max_parts, out) \
    http_parse_multipart(&arena, (body), sizeof(body) - 1, (boundary), (max_parts), (out))

static int parse_status(const char *body, size_t len, const char *boundary, size_t max_parts)
{
    struct http_part_list list;
    enum http_parse_status status = http_parse_multipart(&arena, body, len, boundary, max_parts, &list);
    if (status != HTTP_PARSE_OK && (list.items != NULL || list.count != 0))
        return 99; /* a failure must leave the list empty */
    return status;
}

#define STATUS(body, boundary) parse_status((body), sizeof(body) - 1, (boundary), 16)

/* True when the part's data is exactly the len bytes of expected. */
static bool data_is(const struct http_part *part, const char *expected, size_t len)
{
    return part != NULL && part->len == len && (len == 0 || memcmp(part->data, expected, len) == 0);
}

#define DATA_IS(part, literal) data_is((part), (literal), sizeof(literal) - 1)

static const char *boundary_of(const char *content_type, char *out, size_t size)
{
    return http_multipart_boundary(content_type, out, size) ? out : NULL;
}

TEST(boundary_unquoted_and_quoted)
{
    char b[71];
    CHECK_STR(boundary_of("multipart/form-data; boundary=----WebKitFormBoundaryx7Yz", b, sizeof(b)),
              "----WebKitFormBoundaryx7Yz");
    CHECK_STR(boundary_of("multipart/form-data; boundary=\"simple boundary\"", b, sizeof(b)), "simple boundary");
    CHECK_STR(boundary_of("Multipart/Form-Data;charset=utf-8;  BOUNDARY=abc ", b, sizeof(b)), "abc");
    CHECK_STR(boundary_of("multipart/form-data; boundary=\"'()+_,-./:=?\"", b, sizeof(b)), "'()+_,-./:=?");
    /* Some clients do not quote '=' or '/': the value still ends at ';'. */
    CHECK_STR(boundary_of("multipart/form-data; boundary=----=_Part_0/x; charset=\"utf-8\"", b, sizeof(b)),
              "----=_Part_0/x");
}

TEST(boundary_refused)
{
    char b[71];
    char long_type[128];
    snprintf(long_type, sizeof(long_type), "multipart/form-data; boundary=%071d", 7);
    CHECK(boundary_of(long_type, b, sizeof(b)) == NULL);          /* 71 characters */
    snprintf(long_type, sizeof(long_type), "multipart/form-data; boundary=%070d", 7);
    CHECK_STR(boundary_of(long_type, b, sizeof(b)), long_type + 30); /* 70 is the most */
    CHECK(boundary_of(long_type, b, 40) == NULL);                  /* does not fit out */
    CHECK(boundary_of("multipart/mixed; boundary=abc", b, sizeof(b)) == NULL);
    CHECK(boundary_of("application/json; boundary=abc", b, sizeof(b)) == NULL);
    CHECK(boundary_of("multipart/form-datax; boundary=abc", b, sizeof(b)) == NULL);
    CHECK(boundary_of("multipart/form-data", b, sizeof(b)) == NULL);
    CHECK(boundary_of("multipart/form-data; boundary=", b, sizeof(b)) == NULL);
    CHECK(boundary_of("multipart/form-data; boundary=\"\"", b, sizeof(b)) == NULL);
    CHECK(boundary_of("multipart/form-data; boundary=\"ends in space \"", b, sizeof(b)) == NULL);
    CHECK(boundary_of("multipart/form-data; boundary=a; boundary=b", b, sizeof(b)) == NULL);
    CHECK(boundary_of("multipart/form-data; boundary=\"a\\\"b\"", b, sizeof(b)) == NULL);
    CHECK(boundary_of("multipart/form-data; boundary=\"abc", b, sizeof(b)) == NULL);
    CHECK(boundary_of("multipart/form-data; boundary=a<b", b, sizeof(b)) == NULL);
    CHECK(boundary_of("multipart/form-data; charset; boundary=abc", b, sizeof(b)) == NULL);
    CHECK(boundary_of(NULL, b, sizeof(b)) == NULL);
}

TEST(file_and_text_fields)
{
    struct http_part_list list;
    arena_heap_init(&arena);
    CHECK_INT(PARSE("--XyZ\r\n"
                    "Content-Disposition: form-data; name=\"kind\"\r\n"
                    "\r\n"
                    "bls\r\n"
                    "--XyZ\r\n"
                    "Content-Disposition: form-data; name=\"file\"; filename=\"card.pdf\"\r\n"
                    "Content-Type: application/pdf\r\n"
                    "\r\n"
                    "%PDF-1.4 body\r\n"
                    "--XyZ\r\n"
                    "Content-Disposition: form-data; name=issued_on\r\n"
                    "\r\n"
                    "2024-05-01\r\n"
                    "--XyZ--\r\n",
                    "XyZ", 16, &list),
              HTTP_PARSE_OK);
    CHECK_INT(list.count, 3);
    if (list.count == 3) {
        CHECK_STR(list.items[0].name, "kind");
        CHECK(list.items[0].filename == NULL);
        CHECK(list.items[0].content_type == NULL);
        CHECK(DATA_IS(&list.items[0], "bls"));
        CHECK_STR(list.items[1].name, "file");
        CHECK_STR(list.items[1].filename, "card.pdf");
        CHECK_STR(list.items[1].content_type, "application/pdf");
        CHECK(DATA_IS(&list.items[1], "%PDF-1.4 body"));
        CHECK_STR(list.items[2].name, "issued_on");
        CHECK(DATA_IS(&list.items[2], "2024-05-01"));
    }
    arena_heap_free(&arena);
}

TEST(preamble_and_epilogue)
{
    struct http_part_list list;
    arena_heap_init(&arena);
    CHECK_INT(PARSE("This is the preamble.\r\n--b  \t\r\n"
                    "Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
                    "--b--\r\nThis is the epilogue, --b\r\n--b\r\n ignored.",
                    "b", 16, &list),
              HTTP_PARSE_OK);
    CHECK_INT(list.count, 1);
    CHECK(list.count == 1 && DATA_IS(&list.items[0], "1"));
    /* The preamble may itself end in CRLF lines; the first delimiter needs one before it. */
    CHECK_INT(STATUS("\r\n\r\n--b\r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n--b--", "b"), HTTP_PARSE_OK);
    /* "--b" inside a line is not a delimiter: here only the close delimiter is. */
    CHECK_INT(PARSE("preamble--b\r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n--b--", "b", 16, &list),
              HTTP_PARSE_OK);
    CHECK_INT(list.count, 0);
    arena_heap_free(&arena);
}

TEST(binary_data_kept)
{
    struct http_part_list list;
    arena_heap_init(&arena);
    CHECK_INT(PARSE("--bound\r\n"
                    "Content-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n\r\n"
                    "\r\n\r\n--\0\r\n-\r\n--\r\n--boun\r\n--bounD\n--bound\r--bound\xff\x00\r\n"
                    "\r\n--bound--",
                    "bound", 16, &list),
              HTTP_PARSE_OK);
    CHECK_INT(list.count, 1);
    CHECK(list.count == 1 &&
          DATA_IS(&list.items[0], "\r\n\r\n--\0\r\n-\r\n--\r\n--boun\r\n--bounD\n--bound\r--bound\xff\x00\r\n"));
    arena_heap_free(&arena);
}

TEST(empty_file_and_empty_field)
{
    struct http_part_list list;
    arena_heap_init(&arena);
    CHECK_INT(PARSE("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n"
                    "Content-Type: application/octet-stream\r\n\r\n\r\n"
                    "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n\r\n"
                    "--b\r\nContent-Disposition: form-data; name=\"headers_only\"\r\n"
                    "\r\n--b--",
                    "b", 16, &list),
              HTTP_PARSE_OK);
    CHECK_INT(list.count, 3);
    if (list.count == 3) {
        CHECK_STR(list.items[0].filename, "");
        CHECK(DATA_IS(&list.items[0], ""));
        CHECK(list.items[1].filename == NULL);
        CHECK(DATA_IS(&list.items[1], ""));
        CHECK_STR(list.items[2].name, "headers_only");
        CHECK(DATA_IS(&list.items[2], ""));
    }
    /* A header line needs its own CRLF before the delimiter's. */
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=a\r\n--b--", "b"), HTTP_PARSE_MALFORMED);
    /* A form with no field at all is only the close delimiter. */
    CHECK_INT(PARSE("--b--\r\n", "b", 16, &list), HTTP_PARSE_OK);
    CHECK_INT(list.count, 0);
    CHECK(list.items == NULL);
    arena_heap_free(&arena);
}

TEST(filenames_kept_as_sent)
{
    struct http_part_list list;
    arena_heap_init(&arena);
    CHECK_INT(PARSE("--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"../../etc/passwd\"\r\n\r\nx\r\n"
                    "--b\r\nContent-Disposition: form-data; name=\"b\"; filename=\"C:\\temp\\a.pdf\"\r\n\r\ny\r\n"
                    "--b\r\nContent-Disposition: form-data; name=\"caf\xc3\xa9; x=y\"; "
                    "filename=\"r\xc3\xa9sum\xc3\xa9 %22final%22.pdf\"; filename*=UTF-8''x\r\n\r\nz\r\n"
                    "--b--",
                    "b", 16, &list),
              HTTP_PARSE_OK);
    CHECK_INT(list.count, 3);
    if (list.count == 3) {
        CHECK_STR(list.items[0].filename, "../../etc/passwd");
        CHECK_STR(list.items[1].filename, "C:\\temp\\a.pdf");
        CHECK_STR(list.items[2].name, "caf\xc3\xa9; x=y");
        CHECK_STR(list.items[2].filename, "r\xc3\xa9sum\xc3\xa9 %22final%22.pdf");
    }
    arena_heap_free(&arena);
}

TEST(header_names_case_insensitive)
{
    struct http_part_list list;
    arena_heap_init(&arena);
    CHECK_INT(PARSE("--b\r\ncontent-disposition:FORM-DATA;NAME=\"f\";FileName=\"a.png\"\r\n"
                    "X-Ignored: whatever \xc3\xa9\r\n"
                    "CONTENT-TYPE:   image/png; q=1  \r\n\r\nPNG\r\n--b--",
                    "b", 16, &list),
              HTTP_PARSE_OK);
    CHECK_INT(list.count, 1);
    if (list.count == 1) {
        CHECK_STR(list.items[0].name, "f");
        CHECK_STR(list.items[0].filename, "a.png");
        CHECK_STR(list.items[0].content_type, "image/png; q=1");
        CHECK(DATA_IS(&list.items[0], "PNG"));
    }
    arena_heap_free(&arena);
}

TEST(framing_refused)
{
    arena_heap_init(&arena);
    /* No close delimiter. */
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b\r\n", "b"),
              HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx", "b"), HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("", "b"), HTTP_PARSE_MALFORMED);
    CHECK_INT(parse_status(NULL, 0, "b", 16), HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("no delimiter at all", "b"), HTTP_PARSE_MALFORMED);
    /* The delimiter as the start of a line inside data. */
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--bX\r\n--b--", "b"),
              HTTP_PARSE_MALFORMED);
    /* Delimiter line not ended by CRLF. */
    CHECK_INT(STATUS("--b\nContent-Disposition: form-data; name=a\n\nx\n--b--", "b"), HTTP_PARSE_MALFORMED);
    /* Wrong boundary, or none. */
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b--", "c"), HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b--", ""), HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b--", NULL), HTTP_PARSE_MALFORMED);
    arena_heap_free(&arena);
}

TEST(part_headers_refused)
{
    arena_heap_init(&arena);
    /* Missing name, empty name, repeated name. */
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n--b--", "b"),
              HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--b--", "b"), HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n--b--", "b"),
              HTTP_PARSE_MALFORMED);
    /* No Content-Disposition, or not form-data, or twice. */
    CHECK_INT(STATUS("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", "b"), HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("--b\r\n\r\nx\r\n--b--", "b"), HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("--b\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--b--", "b"), HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=a\r\n"
                     "Content-Disposition: form-data; name=b\r\n\r\nx\r\n--b--",
                     "b"),
              HTTP_PARSE_MALFORMED);
    /* Bad header lines: no colon, space before the colon, folded, bare LF, control character. */
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=a\r\nnocolon\r\n\r\nx\r\n--b--", "b"),
              HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("--b\r\nContent-Disposition : form-data; name=a\r\n\r\nx\r\n--b--", "b"), HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\nx\r\n--b--", "b"),
              HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=a\n\r\nx\r\n--b--", "b"), HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=\"a\x01\"\r\n\r\nx\r\n--b--", "b"),
              HTTP_PARSE_MALFORMED);
    /* Names and filenames must be valid UTF-8 without controls. */
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=\"\xc3\x28\"\r\n\r\nx\r\n--b--", "b"),
              HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=a; filename=\"a\tb\"\r\n\r\nx\r\n--b--", "b"),
              HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=a; filename=\"\xc2\x85\"\r\n\r\nx\r\n--b--", "b"),
              HTTP_PARSE_MALFORMED);
    /* Unterminated quoted value; the part's Content-Type must be ASCII. */
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--", "b"), HTTP_PARSE_MALFORMED);
    CHECK_INT(STATUS("--b\r\nContent-Disposition: form-data; name=a\r\nContent-Type: t\xc3\xa9xt/plain\r\n\r\nx\r\n"
                     "--b--",
                     "b"),
              HTTP_PARSE_MALFORMED);
    arena_heap_free(&arena);
}

TEST(header_section_limit)
{
    arena_heap_init(&arena);
    static const char head[] = "--b\r\nContent-Disposition: form-data; name=a\r\nX-Junk: ";
    static const char tail[] = "\r\n\r\nx\r\n--b--";
    size_t cap = 16384;
    char *body = malloc(cap);
    /* Header lines of exactly 8 KiB in all (the blank line included) pass; one byte more does not. */
    size_t fixed = sizeof(head) - 1 - 5 + 4; /* without the first delimiter line, with both CRLFs */
    for (size_t total = 8192; body != NULL && total <= 8193; total++) {
        size_t junk = total - fixed, n = 0;
        memcpy(body, head, sizeof(head) - 1);
        n += sizeof(head) - 1;
        memset(body + n, 'j', junk);
        n += junk;
        memcpy(body + n, tail, sizeof(tail) - 1);
        n += sizeof(tail) - 1;
        CHECK_INT(parse_status(body, n, "b", 16), total == 8192 ? HTTP_PARSE_OK : HTTP_PARSE_MALFORMED);
    }
    free(body);
    arena_heap_free(&arena);
}

TEST(too_many_parts)
{
    static const char one[] = "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n";
    char body[64 * 40];
    size_t n = 0;
    arena_heap_init(&arena);
    for (int i = 0; i < 33; i++) {
        memcpy(body + n, one, sizeof(one) - 1);
        n += sizeof(one) - 1;
    }
    memcpy(body + n, "--b--", 5);
    n += 5;
    CHECK_INT(parse_status(body, n, "b", 32), HTTP_PARSE_TOO_MANY);
    CHECK_INT(parse_status(body, n, "b", 33), HTTP_PARSE_OK);
    CHECK_INT(parse_status(body, n, "b", 0), HTTP_PARSE_TOO_MANY);
    /* Counted before any part is parsed: part 33 being malformed does not matter. */
    memcpy(body + 32 * (sizeof(one) - 1) + 5, "Content-Type", 12);
    CHECK_INT(parse_status(body, n, "b", 32), HTTP_PARSE_TOO_MANY);
    CHECK_INT(parse_status(body, n, "b", 33), HTTP_PARSE_MALFORMED);
    arena_heap_free(&arena);
}

TEST(long_boundary)
{
    char boundary[72], body[256];
    arena_heap_init(&arena);
    memset(boundary, 'q', 71);
    boundary[71] = '\0';
    int n = snprintf(body, sizeof(body), "--%s\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--%s--",
                     boundary, boundary);
    CHECK_INT(parse_status(body, (size_t)n, boundary, 16), HTTP_PARSE_MALFORMED);
    boundary[70] = '\0';
    n = snprintf(body, sizeof(body), "--%s\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--%s--", boundary,
                 boundary);
    CHECK_INT(parse_status(body, (size_t)n, boundary, 16), HTTP_PARSE_OK);
    arena_heap_free(&arena);
}

TEST(part_get)
{
    struct http_part_list list;
    arena_heap_init(&arena);
    CHECK_INT(PARSE("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nfirst\r\n"
                    "--b\r\nContent-Disposition: form-data; name=file; filename=f\r\n\r\nbytes\r\n"
                    "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nsecond\r\n--b--",
                    "b", 16, &list),
              HTTP_PARSE_OK);
    CHECK(DATA_IS(http_part_get(&list, "a"), "first"));
    CHECK(DATA_IS(http_part_get(&list, "file"), "bytes"));
    CHECK(http_part_get(&list, "A") == NULL);
    CHECK(http_part_get(&list, "missing") == NULL);
    CHECK(http_part_get(NULL, "a") == NULL);
    CHECK(http_part_get(&list, NULL) == NULL);
    arena_heap_free(&arena);
}

int main(void)
{
    RUN(boundary_unquoted_and_quoted);
    RUN(boundary_refused);
    RUN(file_and_text_fields);
    RUN(preamble_and_epilogue);
    RUN(binary_data_kept);
    RUN(empty_file_and_empty_field);
    RUN(filenames_kept_as_sent);
    RUN(header_names_case_insensitive);
    RUN(framing_refused);
    RUN(part_headers_refused);
    RUN(header_section_limit);
    RUN(too_many_parts);
    RUN(long_boundary);
    RUN(part_get);
    return test_summary("test_multipart");
}
