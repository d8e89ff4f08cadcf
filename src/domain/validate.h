/* validate.h — checks of free text shared by the domain's rules (catalog
 * entries, letter requests, reasons): one place that decides what a text
 * field may hold and how it is refused. */
#ifndef ROUNDS_DOMAIN_VALIDATE_H
#define ROUNDS_DOMAIN_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/errors.h"

/* A text field: required when min > 0 (NULL and "" are "not given"), within
 * [min, max] code points, valid UTF-8, no control characters (newlines and
 * tabs allowed when multiline; the rules of lib/text.h). 0, or -1 with 400
 * validation_failed naming field. */
int validate_text(const char *value, const char *field, size_t min, size_t max, bool multiline, struct error *err);

#endif
