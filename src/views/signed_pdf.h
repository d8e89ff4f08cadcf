/* signed_pdf.h — the PDF of a signed document (certificate of completion,
 * teaching certificate, visa invitation letter), drawn with libharu on one
 * U.S. Letter page: a heading, a paragraph, the facts as a table, an optional
 * letter body, the number with a QR code of its /verify address, and the
 * signed marker in the document information (Keywords) so that
 * `rounds certificate verify` can check the file offline.
 *
 * Text is drawn in the standard Helvetica with WinAnsi encoding: characters
 * outside it print as "?" (the signed facts keep them exact). The output is
 * the same bytes for the same input (the creation date is the issue date). */
#ifndef ROUNDS_VIEWS_SIGNED_PDF_H
#define ROUNDS_VIEWS_SIGNED_PDF_H

#include <stddef.h>

#include "lib/arena.h"

struct signed_pdf_line {
    const char *label, *value;
};

struct signed_pdf {
    const char *heading;       /* "Certificate of Completion" */
    const char *intro;         /* a paragraph under the heading */
    const struct signed_pdf_line *lines;
    size_t line_count;
    const char *body;          /* paragraphs separated by "\n\n" (letters), or NULL */
    const char *closing;       /* a last paragraph (who signs, what this is), or NULL */
    const char *number;        /* RC-… */
    const char *verify_url;    /* what the QR code holds */
    const char *marker;        /* SIGNED_MARKER … */
    const char *issued_on;     /* YYYY-MM-DD */
    const char *title;         /* the PDF's title (document information) */
};

/* Renders into memory from the arena: 0, or -1 (libharu or libqrencode failed). */
int signed_pdf_render(const struct signed_pdf *doc, struct arena *arena, unsigned char **out, size_t *out_len);

#endif
