/* progress.c — the progress picture; see progress.h. */
#include "views/progress.h"

#include <string.h>

/* Geometry in CSS pixels, with no viewBox: the picture is as wide as its
 * container and its text keeps the page's size on a phone (a scaled viewBox
 * shrank it to 8 px). Bars are per mille of the width. Each row: the goal,
 * then "have of target · state" on its own line (so that the two never
 * overlap on a narrow screen), then the bar. */
enum { WIDTH = 1000, ROW = 60, LABEL_Y = 15, VALUE_Y = 32, BAR_Y = 40, BAR_H = 14, MIN_BAR = 35 };

const char *view_progress_state_words(const char *state)
{
    if (state != NULL && strcmp(state, "ok") == 0)
        return "Done";
    if (state != NULL && strcmp(state, "in_progress") == 0)
        return "In progress";
    return "Missing";
}

static const char *state_class(const char *state)
{
    if (state != NULL && strcmp(state, "ok") == 0)
        return "ok";
    if (state != NULL && strcmp(state, "in_progress") == 0)
        return "in-progress";
    return "missing";
}

/* The filled width of a row's bar. */
static int64_t filled(const struct view_progress_row *r)
{
    const char *c = state_class(r->state);
    if (strcmp(c, "ok") == 0)
        return WIDTH;
    if (strcmp(c, "missing") == 0 && (r->target <= 0 || r->have <= 0))
        return 0;
    int64_t w;
    if (r->target <= 0)
        w = WIDTH / 2;
    else if (r->have >= r->target)
        w = WIDTH;
    else
        w = r->have <= 0 ? 0 : r->have * WIDTH / r->target;
    if (strcmp(c, "in-progress") == 0 && w < MIN_BAR)
        w = MIN_BAR; /* started: a visible stub even when nothing counts yet */
    return w;
}

/* "1 of 3 · In progress", or the state alone for yes/no goals. */
static void value_text(struct buf *b, const struct view_progress_row *r)
{
    if (r->value != NULL && r->value[0] != '\0') {
        buf_append_html(b, r->value);
        buf_append_str(b, " · ");
    }
    buf_append_str(b, view_progress_state_words(r->state));
}

void view_progress(struct buf *b, const char *id, const char *title, const struct view_progress_row *rows,
                   size_t count)
{
    int64_t height = (int64_t)count * ROW + 4;
    buf_append_str(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"progress-picture\" role=\"img\" "
                      "width=\"100%\" height=\"");
    buf_append_int(b, height);
    buf_append_str(b, "\" aria-labelledby=\"");
    buf_append_html(b, id);
    buf_append_str(b, "-title ");
    buf_append_html(b, id);
    buf_append_str(b, "-desc\"><title id=\"");
    buf_append_html(b, id);
    buf_append_str(b, "-title\">");
    buf_append_html(b, title);
    buf_append_str(b, "</title><desc id=\"");
    buf_append_html(b, id);
    buf_append_str(b, "-desc\">");
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            buf_append_str(b, "; ");
        buf_append_html(b, rows[i].label);
        buf_append_str(b, ": ");
        value_text(b, &rows[i]);
    }
    buf_append_str(b, ".</desc>\n");
    /* The hatching of goals in progress: dark stripes on a light ground. */
    buf_append_str(b, "<defs><pattern id=\"");
    buf_append_html(b, id);
    buf_append_str(b, "-hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
                      "patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#dce9f7\"/>"
                      "<rect width=\"4\" height=\"8\" fill=\"#0b4c8c\"/></pattern></defs>\n");
    for (size_t i = 0; i < count; i++) {
        const struct view_progress_row *r = &rows[i];
        int64_t top = (int64_t)i * ROW;
        int64_t w = filled(r);
        buf_append_str(b, "<g class=\"progress-row progress-");
        buf_append_str(b, state_class(r->state));
        buf_append_str(b, "\"><text class=\"progress-label\" x=\"0\" y=\"");
        buf_append_int(b, top + LABEL_Y);
        buf_append_str(b, "\">");
        buf_append_html(b, r->label);
        buf_append_str(b, "</text><text class=\"progress-value\" x=\"0\" y=\"");
        buf_append_int(b, top + VALUE_Y);
        buf_append_str(b, "\">");
        value_text(b, r);
        buf_append_str(b, "</text>");
        int64_t bar_y = top + BAR_Y;
        buf_appendf(b, "<rect class=\"progress-track\" x=\"1\" y=\"%lld\" width=\"99.8%%\" height=\"%d\" rx=\"%d\"/>",
                    (long long)bar_y, BAR_H, BAR_H / 2);
        if (w > 0) {
            int64_t bar_w = w > 2 ? w - 2 : w;
            buf_appendf(b, "<rect class=\"progress-bar\" x=\"1\" y=\"%lld\" width=\"%lld.%lld%%\" height=\"%d\" rx=\"%d\"",
                        (long long)bar_y, (long long)(bar_w / 10), (long long)(bar_w % 10), BAR_H, BAR_H / 2);
            if (strcmp(state_class(r->state), "in-progress") == 0) {
                buf_append_str(b, " fill=\"url(#");
                buf_append_html(b, id);
                buf_append_str(b, "-hatch)\"");
            }
            buf_append_str(b, "/>");
        }
        buf_append_str(b, "</g>\n");
    }
    buf_append_str(b, "</svg>\n");
}
