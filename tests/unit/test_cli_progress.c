/* test_cli_progress.c — the progress line of long subcommands (cmd_progress.c):
 * what it shows, that it redraws only when a tenth of a percent has passed,
 * that it clears its line, the phases of match and seed --demo, and that
 * nothing is written without a terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "test.h"

/* Everything the progress wrote to a memory stream during fn (heap, "" when nothing). */
static char *captured(void (*fn)(struct command_progress *p))
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    CHECK(out != NULL);
    if (out == NULL)
        return strdup("");
    struct command_progress p;
    command_progress_start_on(&p, out, "rows");
    fn(&p);
    fclose(out);
    return text;
}

static void halfway(struct command_progress *p)
{
    command_progress_show(p, 0, 2000000);
    command_progress_show(p, 1000000, 2000000);
    command_progress_show(p, 1000001, 2000000); /* the same tenth of a percent: not redrawn */
    command_progress_end(p);
}

TEST(shows_the_bar_counts_and_unit_then_clears)
{
    char *text = captured(halfway);
    CHECK_CONTAINS(text, "\r[..............................]   0%  0/2,000,000 rows  ");
    CHECK_CONTAINS(text, "\r[###############...............]  50%  1,000,000/2,000,000 rows  ");
    CHECK(strstr(text, "1,000,001") == NULL);
    size_t len = strlen(text);
    CHECK(len >= 4 && strcmp(text + len - 4, "\r\033[K") == 0);
    free(text);
}

static void odd_counts(struct command_progress *p)
{
    command_progress_show(p, 5, 0);  /* nothing to count: nothing shown */
    command_progress_show(p, 12, 10); /* past the total (a retried import): shown as the total */
}

TEST(odd_counts_neither_crash_nor_overflow_the_bar)
{
    char *text = captured(odd_counts);
    CHECK_CONTAINS(text, "[##############################] 100%  10/10 rows");
    /* Not "12/10": the done count is never shown past the total. (Not just
     * "12/": the rate after it, "1,012/s" when the run took 89 ms, may hold it.) */
    CHECK(strstr(text, "12/10") == NULL);
    free(text);
}

static void nothing_after_no_show(struct command_progress *p)
{
    command_progress_end(p);
}

TEST(ending_what_never_showed_writes_nothing)
{
    char *text = captured(nothing_after_no_show);
    CHECK_STR(text, "");
    free(text);
}

static void two_phases(struct command_progress *p)
{
    command_phase_begin(p, "parsing");
    command_phase_end(p, "parsed");
    command_phase_begin(p, "matching");
    command_progress_end(p); /* an error: the line is cleared for its message */
}

TEST(phases_show_while_they_run_and_end_on_a_line_of_their_own)
{
    char *text = captured(two_phases);
    CHECK_CONTAINS(text, "\r\033[Kparsing…\r\033[Kparsed (");
    CHECK_CONTAINS(text, " ms)\n\r\033[Kmatching…\r\033[K");
    size_t len = strlen(text);
    CHECK(len >= 4 && strcmp(text + len - 4, "\r\033[K") == 0);
    free(text);
}

TEST(without_a_terminal_nothing_is_shown)
{
    struct command_progress p;
    command_progress_start_on(&p, NULL, "rows");
    command_progress_show(&p, 1, 2); /* would crash on a NULL stream if it wrote */
    command_phase_begin(&p, "parsing");
    command_phase_end(&p, "parsed");
    command_progress_end(&p);
    CHECK(p.out == NULL);
}

TEST(numbers_get_thousands_separators)
{
    char out[32];
    CHECK_STR(command_with_commas(0, out), "0");
    CHECK_STR(command_with_commas(999, out), "999");
    CHECK_STR(command_with_commas(1000, out), "1,000");
    CHECK_STR(command_with_commas(-1234567, out), "-1,234,567");
    CHECK_STR(command_with_commas(INT64_MAX, out), "9,223,372,036,854,775,807");
}

int main(void)
{
    RUN(shows_the_bar_counts_and_unit_then_clears);
    RUN(odd_counts_neither_crash_nor_overflow_the_bar);
    RUN(ending_what_never_showed_writes_nothing);
    RUN(phases_show_while_they_run_and_end_on_a_line_of_their_own);
    RUN(without_a_terminal_nothing_is_shown);
    RUN(numbers_get_thousands_separators);
    return test_summary("test_cli_progress");
}
