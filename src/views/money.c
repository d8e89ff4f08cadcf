/* money.c — amounts and dates as people read them; see money.h. */
#include "views/money.h"

#include "lib/cents.h"
#include "lib/clock.h"

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

void view_date(struct buf *b, const char *iso_date)
{
    char words[CLOCK_DATE_WORDS_SIZE];
    if (iso_date == NULL)
        return;
    if (clock_date_in_words(iso_date, words))
        buf_append_str(b, words);
    else
        buf_append_html(b, iso_date);
}
