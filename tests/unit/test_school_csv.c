/* test_school_csv.c — the invitation CSV (src/domain/school_csv.c): quoting,
 * line ends, headers and empty lines, each kind of bad line reported with its
 * number and reason while good ones are kept, and files refused whole. */
#include <stdio.h>
#include <string.h>

#include "domain/school_csv.h"
#include "lib/arena.h"
#include "lib/limits.h"
#include "test.h"

static struct arena arena;

static int parse(const char *text, struct school_csv *out, struct error *err)
{
    return school_csv_parse(text, strlen(text), &arena, out, err);
}

TEST(good_rows_with_quotes_headers_and_line_ends)
{
    arena_heap_init(&arena);
    struct school_csv csv;
    struct error err = {0};
    CHECK_INT(parse("\xef\xbb\xbfName,Email,Graduation_Year\r\n\r\n\"Díaz, Lucía\",LUCIA@Example.ORG,2027\r\n"
                    "\"Ana \"\"Nana\"\" Lee\", ana@example.org ,\n\"Two\nLines\",two@example.org,2026",
                    &csv, &err),
              0);
    CHECK_INT(csv.lines, 3);
    CHECK_INT(csv.row_count, 2);
    CHECK_INT(csv.problem_count, 1);
    if (csv.row_count != 2 || csv.problem_count != 1)
        goto out;
    CHECK_STR(csv.rows[0].name, "Díaz, Lucía");
    CHECK_STR(csv.rows[0].email, "lucia@example.org");
    CHECK_INT(csv.rows[0].graduation_year, 2027);
    CHECK_INT(csv.rows[0].line, 3);
    CHECK_STR(csv.rows[1].name, "Ana \"Nana\" Lee");
    CHECK_STR(csv.rows[1].email, "ana@example.org");
    CHECK_INT(csv.rows[1].graduation_year, 0);
    /* a quoted field may span lines; a name may not hold a line break */
    CHECK_INT(csv.problems[0].line, 5);
    CHECK_STR(csv.problems[0].message, "the name holds a control character");
out:
    arena_heap_free(&arena);
}

/* What a year outside the named limits is refused with. */
#define YEAR_REFUSED                                                                                                   \
    "the graduation year is not a year (" LIMIT_TEXT(GRADUATION_YEAR_MIN) " to " LIMIT_TEXT(GRADUATION_YEAR_MAX) ")"

TEST(bad_lines_are_reported_by_number_and_good_ones_kept)
{
    arena_heap_init(&arena);
    struct school_csv csv;
    struct error err = {0};
    CHECK_INT(parse("Ana,ana@example.org,2027\n"
                    ",empty@example.org,2027\n"
                    "Bo,not-an-email,2027\n"
                    "Cy,cy@example.org,1900\n"
                    "Di,di@example.org,20x7\n"
                    "Ed,ed@example.org,2027,extra\n"
                    "Fay\n"
                    "Ana again,ANA@example.org,2027\n"
                    "\"Gil,gil@example.org,2027\n",
                    &csv, &err),
              0);
    CHECK_INT(csv.row_count, 1);
    CHECK_INT(csv.problem_count, 8);
    CHECK_STR(csv.row_count > 0 ? csv.rows[0].email : NULL, "ana@example.org");
    static const struct {
        uint32_t line;
        const char *message;
    } want[] = {
        {2, "the name is empty"},
        {3, "the email is not valid"},
        {4, YEAR_REFUSED},
        {5, YEAR_REFUSED},
        {6, "too many fields: give name, email and graduation year"},
        {7, "give name, email and graduation year, separated by commas"},
        {8, "the same email as line 1"},
        {9, "a quote is not closed where the field ends"},
    };
    for (size_t i = 0; i < 8 && i < csv.problem_count; i++) {
        CHECK_INT(csv.problems[i].line, want[i].line);
        CHECK_STR(csv.problems[i].message, want[i].message);
    }
    arena_heap_free(&arena);
}

TEST(files_refused_as_a_whole)
{
    arena_heap_init(&arena);
    struct school_csv csv;
    struct error err = {0};
    CHECK_INT(parse("name,email,graduation_year\n\n", &csv, &err), -1);
    CHECK_STR(err.field, "file");
    CHECK_STR(err.detail, "the file has no students in it");
    CHECK_INT(school_csv_parse("A,a@b.co,2027\n\xff", 15, &arena, &csv, &err), -1);
    CHECK_STR(err.detail, "the file is not UTF-8 text: save it as CSV (UTF-8)");
    CHECK_INT(school_csv_parse("A,a@b.co\0,2027", 15, &arena, &csv, &err), -1);
    char *big = arena_alloc(&arena, 5002 * 16 + 1);
    size_t at = 0;
    for (int i = 0; i < 5001; i++)
        at += (size_t)snprintf(big + at, 17, "S,s%d@b.co,\n", i);
    CHECK_INT(school_csv_parse(big, at, &arena, &csv, &err), -1);
    CHECK_STR(err.detail, "the file has more than 5000 students: split it");
    arena_heap_free(&arena);
}

int main(void)
{
    RUN(good_rows_with_quotes_headers_and_line_ends);
    RUN(bad_lines_are_reported_by_number_and_good_ones_kept);
    RUN(files_refused_as_a_whole);
    return test_summary("unit-school-csv");
}
