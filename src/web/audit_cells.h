/* audit_cells.h — the cells of an audit event as the staff pages write it
 * (/staff/audit, /staff/users/{id}): who, what, on what, the detail — names
 * linked where staff has a page, ids in small print. */
#ifndef ROUNDS_WEB_AUDIT_CELLS_H
#define ROUNDS_WEB_AUDIT_CELLS_H

#include "domain/audit.h"
#include "lib/buf.h"

/* Who acted: name (linked) and role; Rounds itself; or an account since erased. */
void web_audit_actor(struct buf *b, const struct audit_line *line);
/* What was done: the sentence, the move of an application. */
void web_audit_action(struct buf *b, const struct audit_line *line);
/* What it was done to: its name (linked), its kind, its id. */
void web_audit_object(struct buf *b, const struct audit_line *line);
/* The detail in words, the objects it names linked and their ids in small
 * print; one Rounds cannot read, as stored in small print. */
void web_audit_detail(struct buf *b, const struct audit_line *line);

/* Opens the table of audit events (its caption, " (older page)" when older,
 * and the heads When, Who, What, On what, Detail) up to its <tbody>. */
void web_audit_table_begin(struct buf *b, const char *caption, bool older);

#endif
