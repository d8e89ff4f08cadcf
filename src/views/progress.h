/* progress.h — a server-rendered SVG picture of progress towards several
 * goals (the Match readiness page): one horizontal bar per goal, its name
 * above it on the left and "have of target · state" in words on the right, so
 * that nothing depends on colour alone. Items in progress are drawn hatched,
 * missing ones as an empty dashed track.
 *
 *   <svg role="img" aria-labelledby="ID-title ID-desc" class="progress-picture">
 *   <title id="ID-title">…</title><desc id="ID-desc">…</desc> … </svg>
 *
 * No style attributes and no <style> (the CSP forbids them): the look comes
 * from the classes progress-* in the site stylesheet; the hatching is an SVG
 * pattern with presentation attributes. */
#ifndef ROUNDS_VIEWS_PROGRESS_H
#define ROUNDS_VIEWS_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

struct view_progress_row {
    const char *label;  /* "Letters of recommendation" */
    const char *state;  /* ok, in_progress, missing */
    const char *value;  /* "1 of 3", "4 of 12 weeks", or NULL for a yes/no goal */
    int64_t have, target; /* target <= 0: a yes/no goal (full when ok, half when in progress) */
};

/* The words of a state: "Done", "In progress", "Missing". */
const char *view_progress_state_words(const char *state);

/* Writes the picture. id makes the element ids unique on the page; title is
 * its accessible name ("Match readiness: 2 of 6 done"); the description lists
 * every row in words. */
void view_progress(struct buf *b, const char *id, const char *title, const struct view_progress_row *rows,
                   size_t count);

#endif
