/* money.h — amounts and dates as the pages write them: integer cents as
 * "$3,200" or "$3,200.50" ("Free" for 0), ISO dates as "Mar 2, 2026". */
#ifndef ROUNDS_VIEWS_MONEY_H
#define ROUNDS_VIEWS_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

/* Writes cents into out (NUL-terminated, truncated to size): whole dollars
 * without ".00", otherwise two decimals; thousands separated by commas; "Free"
 * for 0; a minus sign before the "$" when negative. Returns out. */
const char *view_money_format(char *out, size_t size, int64_t cents);
/* The same, appended to b (plain text: it needs no escaping). */
void view_money(struct buf *b, int64_t cents);
/* The same without the "Free" rule: 0 is "$0". For sums and fees where
 * "Free" would read oddly ("Deposit: $0"). */
void view_money_amount(struct buf *b, int64_t cents);

/* "2026-03-02" → "Mar 2, 2026"; anything that is not a valid YYYY-MM-DD
 * date is written as it is (HTML-escaped). */
void view_date(struct buf *b, const char *iso_date);

#endif
