/* forms.h — form pieces that html.h does not have: textareas, checkboxes,
 * checkbox groups, and inputs with an explicit id (for pages that show the
 * same form several times, such as one small form per block). Like html.h,
 * every string is escaped here; callers pass plain text. */
#ifndef ROUNDS_VIEWS_FORMS_H
#define ROUNDS_VIEWS_FORMS_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

/* A labelled textarea (id "f-<name>"); hint and error (or NULL) are linked
 * with aria-describedby. maxlength 0 leaves it out. */
void view_textarea(struct buf *b, const char *label, const char *name, const char *value, int rows, int maxlength,
                   const char *hint, const char *error);
/* Like view_textarea, with the element's id given (for a second form on the
 * page with a field of the same name); hint and error are "h-<id>", "e-<id>". */
void view_textarea_id(struct buf *b, const char *id, const char *label, const char *name, const char *value, int rows,
                      int maxlength, const char *hint, const char *error);
/* One labelled checkbox (id "f-<name>", value "1"), the label after the box. */
void view_checkbox(struct buf *b, const char *label, const char *name, bool checked, const char *hint);
/* A fieldset with a legend and one checkbox per value, all named name; the
 * values found in checked_csv ("a,b") are ticked. */
void view_checkbox_group(struct buf *b, const char *legend, const char *name, const char *const *values,
                         const char *const *labels, size_t count, const char *checked_csv, const char *hint,
                         const char *error);
/* Like view_input, with the element's id given (the label, hint and error ids derive from it). */
void view_input_id(struct buf *b, const char *id, const char *label, const char *type, const char *name,
                   const char *value, bool required, const char *hint, const char *error);

#endif
