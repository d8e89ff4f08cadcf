/* test_support.c — the pure parts of support during the rotation: business
 * time for ticket due times, the percentile of response-time figures, and
 * the week of a rotation a check-in belongs to. */
#include <string.h>

#include "domain/check_ins.h"
#include "domain/support.h"
#include "lib/clock.h"
#include "test.h"

/* The instant of a date (UTC) at an hour. */
static int64_t at(const char *date, int hour)
{
    return (int64_t)clock_days_from_date(date) * 86400 + hour * 3600;
}

TEST(business_time_skips_weekends)
{
    /* 2030-01-07 is a Monday. */
    CHECK_INT(support_add_business_seconds(at("2030-01-07", 9), 24 * 3600), at("2030-01-08", 9));
    /* Friday 15:00 + 24 business hours: Monday 15:00. */
    CHECK_INT(support_add_business_seconds(at("2030-01-11", 15), 24 * 3600), at("2030-01-14", 15));
    /* Saturday and Sunday count from Monday 00:00. */
    CHECK_INT(support_add_business_seconds(at("2030-01-12", 10), 24 * 3600), at("2030-01-15", 0));
    CHECK_INT(support_add_business_seconds(at("2030-01-13", 23), 2 * 3600), at("2030-01-14", 2));
    /* Three business days from Thursday 08:00: Tuesday 08:00. */
    CHECK_INT(support_add_business_seconds(at("2030-01-10", 8), 72 * 3600), at("2030-01-15", 8));
    /* Zero: the same instant on a weekday. */
    CHECK_INT(support_add_business_seconds(at("2030-01-09", 8), 0), at("2030-01-09", 8));
}

TEST(urgent_due_times_are_plain_hours)
{
    int64_t response, resolve;
    support_due_times(true, at("2030-01-12", 10), &response, &resolve); /* a Saturday */
    CHECK_INT(response - at("2030-01-12", 10), 2 * 3600);
    CHECK_INT(resolve - at("2030-01-12", 10), 24 * 3600);
    support_due_times(false, at("2030-01-11", 15), &response, &resolve);
    CHECK_INT(response, at("2030-01-14", 15));
    CHECK_INT(resolve, at("2030-01-16", 15));
}

TEST(percentiles_by_nearest_rank)
{
    int64_t v[] = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    CHECK_INT(support_percentile(v, 10, 50), 50);
    CHECK_INT(support_percentile(v, 10, 90), 90);
    CHECK_INT(support_percentile(v, 10, 100), 100);
    CHECK_INT(support_percentile(v, 1, 90), 10);
    CHECK_INT(support_percentile(v, 0, 50), -1);
    int64_t three[] = {5, 7, 100};
    CHECK_INT(support_percentile(three, 3, 50), 7);
    CHECK_INT(support_percentile(three, 3, 90), 100);
}

TEST(check_in_weeks_count_from_the_first_day)
{
    char week[11];
    CHECK(check_in_week("2030-01-09", "2030-02-05", "2030-01-09", week));
    CHECK_STR(week, "2030-01-09");
    CHECK(check_in_week("2030-01-09", "2030-02-05", "2030-01-15", week));
    CHECK_STR(week, "2030-01-09");
    CHECK(check_in_week("2030-01-09", "2030-02-05", "2030-01-16", week));
    CHECK_STR(week, "2030-01-16");
    CHECK(check_in_week("2030-01-09", "2030-02-05", "2030-02-05", week));
    CHECK_STR(week, "2030-01-30");
    CHECK(!check_in_week("2030-01-09", "2030-02-05", "2030-01-08", week));
    CHECK(!check_in_week("2030-01-09", "2030-02-05", "2030-02-06", week));
    CHECK(!check_in_week(NULL, "2030-02-05", "2030-01-10", week));
}

int main(void)
{
    RUN(business_time_skips_weekends);
    RUN(urgent_due_times_are_plain_hours);
    RUN(percentiles_by_nearest_rank);
    RUN(check_in_weeks_count_from_the_first_day);
    return test_summary("unit-support");
}
