/* us_map.c — the U.S. map of offerings by state; see us_map.h. */
#include "views/us_map.h"

#include <stdbool.h>
#include <string.h>

#define US_MAP_CLASSES 5

const struct us_map_state *us_map_state_find(const char *code)
{
    if (code == NULL)
        return NULL;
    for (size_t i = 0; i < us_map_state_count; i++) {
        if (strcmp(us_map_states[i].code, code) == 0)
            return &us_map_states[i];
    }
    return NULL;
}

/* floor(k · max / 4) for k = 1…3 without overflow: the highest count of
 * class k (the classes are (0, t1], (t1, t2], (t2, t3], (t3, max]). */
static int64_t class_upper_bound(int64_t max, int k)
{
    return k * (max / 4) + (k * (max % 4)) / 4;
}

int us_map_class(int64_t count, int64_t max)
{
    if (count <= 0 || max <= 0)
        return 0;
    int shade = 1;
    for (int k = 1; k < US_MAP_CLASSES - 1; k++) {
        if (count > class_upper_bound(max, k))
            shade++;
    }
    return shade;
}

/* The caller's count for a state: the sum over its entries, saturating. */
static int64_t count_for(const char *code, const int64_t *counts, const char *const *codes, size_t n)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (codes[i] == NULL || counts[i] <= 0 || strcmp(codes[i], code) != 0)
            continue;
        sum = counts[i] > INT64_MAX - sum ? INT64_MAX : sum + counts[i];
    }
    return sum;
}

static void append_offerings(struct buf *b, int64_t count)
{
    buf_append_int(b, count);
    buf_append_str(b, count == 1 ? " open offering" : " open offerings");
}

static void append_legend_item(struct buf *b, int shade, int64_t low, int64_t high)
{
    buf_appendf(b, "<li><span class=\"map-swatch map-%d\" aria-hidden=\"true\"></span>", shade);
    if (shade == 0) {
        buf_append_str(b, "None");
    } else {
        buf_append_int(b, low);
        if (high != low) {
            buf_append_str(b, "–");
            buf_append_int(b, high);
        }
    }
    buf_append_str(b, "</li>");
}

static void view_us_map_legend(struct buf *b, int64_t max, const struct us_map_state *selected)
{
    buf_append_str(b, "<div class=\"map-legend\"><span class=\"map-legend-title\" id=\"usmap-legend\">"
                      "Open offerings per state</span><ul aria-labelledby=\"usmap-legend\">");
    append_legend_item(b, 0, 0, 0);
    int64_t low = 1;
    for (int k = 1; k < US_MAP_CLASSES && max > 0; k++) {
        int64_t high = k == US_MAP_CLASSES - 1 ? max : class_upper_bound(max, k);
        if (high >= low) { /* a class is empty when max is small (max 2: 1 is class 2) */
            append_legend_item(b, k, low, high);
            low = high + 1;
        }
    }
    if (selected != NULL) {
        buf_append_str(b, "<li><span class=\"map-swatch map-selected-swatch\" aria-hidden=\"true\"></span>"
                          "Selected: ");
        buf_append_html(b, selected->name);
        buf_append_str(b, "</li>");
    }
    buf_append_str(b, "</ul></div>\n");
}

void view_us_map(struct buf *b, const int64_t *counts_by_state, const char *const *state_codes,
                 size_t n_states, const char *(*href)(void *ctx, const char *state_code), void *ctx,
                 const char *selected_state)
{
    int64_t counts[64];
    int64_t max = 0;
    const struct us_map_state *selected = us_map_state_find(selected_state);

    if (us_map_state_count > sizeof(counts) / sizeof(counts[0]))
        return; /* cannot happen: 51 shapes */
    for (size_t i = 0; i < us_map_state_count; i++) {
        counts[i] = count_for(us_map_states[i].code, counts_by_state, state_codes, n_states);
        if (counts[i] > max)
            max = counts[i];
    }

    buf_append_str(b, "<nav class=\"usmap\" aria-label=\"Map of offerings by state\">\n"
                      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"");
    buf_append_html(b, us_map_viewbox);
    buf_append_str(b, "\"><title>Open offerings by state</title>\n");
    for (size_t i = 0; i < us_map_state_count; i++) {
        const struct us_map_state *state = &us_map_states[i];
        const char *target = href != NULL ? href(ctx, state->code) : NULL;
        bool is_selected = state == selected;

        if (target != NULL) {
            buf_append_str(b, "<a href=\"");
            buf_append_html(b, target);
            buf_append_str(b, "\"");
        } else {
            buf_append_str(b, "<g");
        }
        buf_appendf(b, " class=\"map-%d%s\"", us_map_class(counts[i], max), is_selected ? " map-selected" : "");
        if (is_selected && target != NULL)
            buf_append_str(b, " aria-current=\"true\"");
        buf_append_str(b, "><title>");
        buf_append_html(b, state->name);
        buf_append_str(b, ": ");
        append_offerings(b, counts[i]);
        buf_append_str(b, "</title><path");
        if (is_selected)
            buf_append_str(b, " id=\"usmap-selected\"");
        buf_append_str(b, " d=\"");
        buf_append_html(b, state->path);
        buf_append_str(b, target != NULL ? "\"/></a>\n" : "\"/></g>\n");
    }
    /* Drawn last so that no neighbour covers the selected state's outline: a
     * light halo under a dark line shows on light and dark shades alike. */
    if (selected != NULL)
        buf_append_str(b, "<use href=\"#usmap-selected\" class=\"map-selected-halo\" aria-hidden=\"true\"/>"
                          "<use href=\"#usmap-selected\" class=\"map-selected-outline\" aria-hidden=\"true\"/>\n");
    buf_append_str(b, "</svg>\n");
    view_us_map_legend(b, max, selected);
    buf_append_str(b, "</nav>\n");
}
