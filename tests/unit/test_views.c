/* test_views.c — unit tests for the view helpers that format what students
 * read: money (src/views/money.c) and dates. */
#include <stdint.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "test.h"
#include "views/money.h"

static const char *money(int64_t cents)
{
    static char out[64];
    return view_money_format(out, sizeof(out), cents);
}

/* view_date into a fresh buffer; its text, valid until the next call. */
static const char *rendered_date(const char *iso)
{
    static struct arena arena;
    static char copy[128];
    struct buf b;
    arena_heap_init(&arena);
    buf_init(&b, &arena, 1024);
    view_date(&b, iso);
    snprintf(copy, sizeof(copy), "%s", b.data);
    arena_heap_free(&arena);
    return copy;
}

TEST(money_whole_dollars_have_no_cents)
{
    CHECK_STR(money(320000), "$3,200");
    CHECK_STR(money(100), "$1");
    CHECK_STR(money(99900), "$999");
    CHECK_STR(money(100000), "$1,000");
    CHECK_STR(money(123456700), "$1,234,567");
}

TEST(money_cents_are_two_digits)
{
    CHECK_STR(money(320050), "$3,200.50");
    CHECK_STR(money(320005), "$3,200.05");
    CHECK_STR(money(1), "$0.01");
    CHECK_STR(money(99), "$0.99");
    CHECK_STR(money(100099), "$1,000.99");
}

TEST(money_zero_is_free)
{
    CHECK_STR(money(0), "Free");
}

TEST(money_negative_amounts_keep_the_sign_before_the_dollar)
{
    CHECK_STR(money(-500), "-$5");
    CHECK_STR(money(-123456), "-$1,234.56");
    CHECK_STR(money(INT64_MIN), "-$92,233,720,368,547,758.08");
    CHECK_STR(money(INT64_MAX), "$92,233,720,368,547,758.07");
}

TEST(money_truncates_to_the_buffer_and_stays_terminated)
{
    char small[5];
    memset(small, 'x', sizeof(small));
    view_money_format(small, sizeof(small), 320000);
    CHECK_STR(small, "$3,2");
    char one[1] = {'x'};
    view_money_format(one, sizeof(one), 0);
    CHECK_INT(one[0], '\0');
}

TEST(money_appends_to_a_buffer)
{
    struct arena arena;
    struct buf b;
    arena_heap_init(&arena);
    buf_init(&b, &arena, 256);
    buf_append_str(&b, "Tuition ");
    view_money(&b, 450000);
    buf_append_str(&b, ", fee ");
    view_money(&b, 0);
    buf_append_str(&b, ", deposit ");
    view_money_amount(&b, 0);
    buf_append_str(&b, ", total ");
    view_money_amount(&b, 460050);
    CHECK(buf_ok(&b));
    CHECK_STR(b.data, "Tuition $4,500, fee Free, deposit $0, total $4,600.50");
    arena_heap_free(&arena);
}

TEST(dates_read_as_month_day_year)
{
    CHECK_STR(rendered_date("2026-03-02"), "Mar 2, 2026");
    CHECK_STR(rendered_date("2026-12-31"), "Dec 31, 2026");
    CHECK_STR(rendered_date("2028-02-29"), "Feb 29, 2028");
    CHECK_STR(rendered_date("2000-02-29"), "Feb 29, 2000");
}

TEST(dates_that_are_not_dates_are_escaped_as_they_are)
{
    CHECK_STR(rendered_date("2026-13-01"), "2026-13-01");
    CHECK_STR(rendered_date("2026-02-30"), "2026-02-30");
    CHECK_STR(rendered_date("2027-02-29"), "2027-02-29");
    CHECK_STR(rendered_date("1900-02-29"), "1900-02-29");
    CHECK_STR(rendered_date("2026-3-2"), "2026-3-2");
    CHECK_STR(rendered_date("<b>"), "&lt;b&gt;");
    CHECK_STR(rendered_date(""), "");
    CHECK_STR(rendered_date(NULL), "");
}

int main(void)
{
    RUN(money_whole_dollars_have_no_cents);
    RUN(money_cents_are_two_digits);
    RUN(money_zero_is_free);
    RUN(money_negative_amounts_keep_the_sign_before_the_dollar);
    RUN(money_truncates_to_the_buffer_and_stays_terminated);
    RUN(money_appends_to_a_buffer);
    RUN(dates_read_as_month_day_year);
    RUN(dates_that_are_not_dates_are_escaped_as_they_are);
    return test_summary("unit-views");
}
