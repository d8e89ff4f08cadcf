/* money.c — amounts and dates as people read them; see money.h. */
#include "views/money.h"

#include "lib/cents.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* "$3,200" / "$3,200.50" / "-$5" into out; never "Free". */
static const char *format_amount(char *out, size_t size, int64_t cents)
{
    return cents_format(out, size, cents);
}

const char *view_money_format(char *out, size_t size, int64_t cents)
{
    if (cents == 0) {
        if (size > 0)
            snprintf(out, size, "Free");
        return out;
    }
    return format_amount(out, size, cents);
}

void view_money(struct buf *b, int64_t cents)
{
    char text[64];
    buf_append_str(b, view_money_format(text, sizeof(text), cents));
}

void view_money_amount(struct buf *b, int64_t cents)
{
    char text[64];
    buf_append_str(b, format_amount(text, sizeof(text), cents));
}

static bool two_digits(const char *s, int *out)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return false;
    *out = (s[0] - '0') * 10 + (s[1] - '0');
    return true;
}

void view_date(struct buf *b, const char *iso_date)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const int days_in_month[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int century, year2, month, day;
    if (iso_date == NULL)
        return;
    if (strlen(iso_date) != 10 || iso_date[4] != '-' || iso_date[7] != '-' || !two_digits(iso_date, &century) ||
        !two_digits(iso_date + 2, &year2) || !two_digits(iso_date + 5, &month) ||
        !two_digits(iso_date + 8, &day) || month < 1 || month > 12 || day < 1 || day > days_in_month[month - 1]) {
        buf_append_html(b, iso_date);
        return;
    }
    int year = century * 100 + year2;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month == 2 && day == 29 && !leap) {
        buf_append_html(b, iso_date);
        return;
    }
    buf_appendf(b, "%s %d, %d", months[month - 1], day, year);
}
