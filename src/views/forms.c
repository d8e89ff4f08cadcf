/* forms.c — textareas, checkboxes and inputs with explicit ids; see forms.h. */
#include "views/forms.h"

#include <string.h>

/* aria-describedby="h-<id> e-<id>" for the parts that are shown. */
static void described_by(struct buf *b, const char *id, bool hint, bool error)
{
    if (!hint && !error)
        return;
    buf_append_str(b, " aria-describedby=\"");
    if (hint) {
        buf_append_str(b, "h-");
        buf_append_html(b, id);
    }
    if (error) {
        buf_append_str(b, hint ? " e-" : "e-");
        buf_append_html(b, id);
    }
    buf_append_char(b, '"');
    if (error)
        buf_append_str(b, " aria-invalid=\"true\"");
}

static void hint_text(struct buf *b, const char *id, const char *hint)
{
    if (hint == NULL)
        return;
    buf_append_str(b, "<small id=\"h-");
    buf_append_html(b, id);
    buf_append_str(b, "\">");
    buf_append_html(b, hint);
    buf_append_str(b, "</small>");
}

static void error_text(struct buf *b, const char *id, const char *error)
{
    if (error == NULL)
        return;
    buf_append_str(b, "<span class=\"field-error\" id=\"e-");
    buf_append_html(b, id);
    buf_append_str(b, "\">");
    buf_append_html(b, error);
    buf_append_str(b, "</span>");
}

/* The element's id is prefix + id ("f-" + name, or an id as given); its
 * hint and error are "h-" + id and "e-" + id. */
static void textarea(struct buf *b, const char *prefix, const char *id, const char *label, const char *name,
                     const char *value, int rows, int maxlength, const char *hint, const char *error)
{
    buf_append_str(b, "<div class=\"field\"><label for=\"");
    buf_append_str(b, prefix);
    buf_append_html(b, id);
    buf_append_str(b, "\">");
    buf_append_html(b, label);
    buf_append_str(b, "</label>");
    hint_text(b, id, hint);
    buf_append_str(b, "<textarea id=\"");
    buf_append_str(b, prefix);
    buf_append_html(b, id);
    buf_append_str(b, "\" name=\"");
    buf_append_html(b, name);
    buf_appendf(b, "\" rows=\"%d\"", rows > 0 ? rows : 4);
    if (maxlength > 0)
        buf_appendf(b, " maxlength=\"%d\"", maxlength);
    described_by(b, id, hint != NULL, error != NULL);
    buf_append_char(b, '>');
    /* A newline right after <textarea> is dropped by parsers: keep a leading one. */
    if (value != NULL && value[0] == '\n')
        buf_append_char(b, '\n');
    buf_append_html(b, value != NULL ? value : "");
    buf_append_str(b, "</textarea>");
    error_text(b, id, error);
    buf_append_str(b, "</div>\n");
}

void view_textarea(struct buf *b, const char *label, const char *name, const char *value, int rows, int maxlength,
                   const char *hint, const char *error)
{
    textarea(b, "f-", name, label, name, value, rows, maxlength, hint, error);
}

void view_textarea_id(struct buf *b, const char *id, const char *label, const char *name, const char *value, int rows,
                      int maxlength, const char *hint, const char *error)
{
    textarea(b, "", id, label, name, value, rows, maxlength, hint, error);
}

void view_checkbox(struct buf *b, const char *label, const char *name, bool checked, const char *hint)
{
    buf_append_str(b, "<div class=\"check\"><input type=\"checkbox\" id=\"f-");
    buf_append_html(b, name);
    buf_append_str(b, "\" name=\"");
    buf_append_html(b, name);
    buf_append_str(b, "\" value=\"1\"");
    if (checked)
        buf_append_str(b, " checked");
    if (hint != NULL) {
        buf_append_str(b, " aria-describedby=\"h-");
        buf_append_html(b, name);
        buf_append_char(b, '"');
    }
    buf_append_str(b, "><label for=\"f-");
    buf_append_html(b, name);
    buf_append_str(b, "\">");
    buf_append_html(b, label);
    buf_append_str(b, "</label>");
    hint_text(b, name, hint);
    buf_append_str(b, "</div>\n");
}

/* Whether the comma-separated list csv holds value. */
static bool csv_has(const char *csv, const char *value)
{
    size_t n = strlen(value);
    for (const char *p = csv; p != NULL && *p != '\0';) {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, value, n) == 0)
            return true;
        p = comma != NULL ? comma + 1 : NULL;
    }
    return false;
}

void view_checkbox_group(struct buf *b, const char *legend, const char *name, const char *const *values,
                         const char *const *labels, size_t count, const char *checked_csv, const char *hint,
                         const char *error)
{
    buf_append_str(b, "<fieldset class=\"choices\" id=\"f-");
    buf_append_html(b, name);
    buf_append_char(b, '"');
    described_by(b, name, hint != NULL, error != NULL);
    buf_append_str(b, "><legend>");
    buf_append_html(b, legend);
    buf_append_str(b, "</legend>");
    hint_text(b, name, hint);
    error_text(b, name, error);
    for (size_t i = 0; i < count; i++) {
        buf_append_str(b, "<label><input type=\"checkbox\" name=\"");
        buf_append_html(b, name);
        buf_append_str(b, "\" value=\"");
        buf_append_html(b, values[i]);
        buf_append_char(b, '"');
        if (csv_has(checked_csv, values[i]))
            buf_append_str(b, " checked");
        buf_append_str(b, "> ");
        buf_append_html(b, labels[i]);
        buf_append_str(b, "</label>\n");
    }
    buf_append_str(b, "</fieldset>\n");
}

void view_input_id(struct buf *b, const char *id, const char *label, const char *type, const char *name,
                   const char *value, bool required, const char *hint, const char *error)
{
    buf_append_str(b, "<div class=\"field\"><label for=\"");
    buf_append_html(b, id);
    buf_append_str(b, "\">");
    buf_append_html(b, label);
    buf_append_str(b, "</label>");
    hint_text(b, id, hint);
    buf_append_str(b, "<input id=\"");
    buf_append_html(b, id);
    buf_append_str(b, "\" type=\"");
    buf_append_html(b, type);
    buf_append_str(b, "\" name=\"");
    buf_append_html(b, name);
    buf_append_char(b, '"');
    if (value != NULL) {
        buf_append_str(b, " value=\"");
        buf_append_html(b, value);
        buf_append_char(b, '"');
    }
    if (required)
        buf_append_str(b, " required");
    described_by(b, id, hint != NULL, error != NULL);
    buf_append_char(b, '>');
    error_text(b, id, error);
    buf_append_str(b, "</div>\n");
}
