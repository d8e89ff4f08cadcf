/* validate.h — checks of free text shared by the domain's rules (catalog
 * entries, letter requests, reasons): one place that decides what a text
 * field may hold and how it is refused. */
#ifndef ROUNDS_DOMAIN_VALIDATE_H
#define ROUNDS_DOMAIN_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"
#include "lib/errors.h"

/* A text field: required when min > 0 (NULL and "" are "not given"), within
 * [min, max] code points, valid UTF-8, no control characters (newlines and
 * tabs allowed when multiline; the rules of lib/text.h). 0, or -1 with 400
 * validation_failed naming field. */
int validate_text(const char *value, const char *field, size_t min, size_t max, bool multiline, struct error *err);

/* The reason given for a move that needs one (rejecting a document,
 * terminating an agreement): without surrounding blanks (spaces, tabs, line
 * ends), required, valid UTF-8, at most REASON_MAX_CHARS code points. 0 with
 * *out the trimmed copy in the arena, or -1 with 400 validation_failed on
 * "reason" (missing: its detail when nothing is left), or 500 when memory
 * runs out. */
int validate_reason(struct arena *arena, const char *reason, const char *missing, const char **out,
                    struct error *err);

/* An email address as accounts are keyed by it (every address Rounds keeps
 * or looks up goes through here: sign-up, login, password reset, letter
 * authors): 0 with *out the address lower-cased in the arena (NULL is ""),
 * or -1 with 400 validation_failed on field when it is not an email address
 * (json_email_valid), or 500 when memory runs out. */
int validate_email_lowered(struct arena *arena, const char *email, const char *field, const char **out,
                           struct error *err);

/* Copies src (NULL: "") into dst of size bytes for a worker that outlives
 * the request: 0, or -1 with 400 validation_failed "field is too long" when
 * it does not fit (dst untouched). */
int validate_copy_within(char *dst, size_t size, const char *src, const char *field, struct error *err);

#endif
