/* page_account_time_zone.c — the "Time zone" card of /account and its POST
 * /account/time-zone: every user (any role) picks the zone the pages write
 * instants in, from the tz database's zone1970.tab grouped by region, or
 * none (UTC). A saved zone answers 303 to /account?saved=time_zone; a zone
 * that does not exist brings the account page back (400) with the error
 * summary, the choice as sent and nothing changed. */
#include <string.h>

#include "domain/reference.h"
#include "lib/clock.h"
#include "lib/tz.h"
#include "web/web.h"

/* "America" → "Americas": the heading of a region's group. */
static void write_region(struct buf *b, const char *name, size_t length)
{
    static const char *const headings[][2] = {
        {"America", "Americas"}, {"Indian", "Indian Ocean"}, {"Atlantic", "Atlantic Ocean"},
        {"Pacific", "Pacific Ocean"},
    };
    for (size_t i = 0; i < sizeof(headings) / sizeof(headings[0]); i++)
        if (strlen(headings[i][0]) == length && strncmp(headings[i][0], name, length) == 0) {
            buf_append_str(b, headings[i][1]);
            return;
        }
    buf_append(b, name, length);
}

/* "Argentina/Buenos_Aires" → "Argentina – Buenos Aires" (names hold only [A-Za-z0-9/_+-]). */
static void write_place(struct buf *b, const char *place)
{
    for (const char *p = place; *p != '\0'; p++) {
        if (*p == '_')
            buf_append_char(b, ' ');
        else if (*p == '/')
            buf_append_str(b, " – ");
        else
            buf_append_char(b, *p);
    }
}

/* "Kolkata (India)", "New York (United States, Eastern Time)": a zone as a person reads it. */
static void write_zone(struct buf *b, const char *name, const char *country)
{
    const char *slash = strchr(name, '/');
    write_place(b, slash != NULL ? slash + 1 : name);
    const char *label = reference_time_zone_label(name);
    bool named = label != NULL && strcmp(label, name) != 0;
    if (country != NULL || named) {
        buf_append_str(b, " (");
        if (country != NULL)
            buf_append_html(b, country);
        if (named) {
            buf_append_str(b, country != NULL ? ", " : "");
            buf_append_html(b, label);
        }
        buf_append_char(b, ')');
    }
}

static void write_option(struct buf *b, const char *name, const char *country, const char *selected)
{
    buf_append_str(b, "<option value=\"");
    buf_append_str(b, name);
    buf_append_str(b, selected != NULL && strcmp(selected, name) == 0 ? "\" selected>" : "\">");
    write_zone(b, name, country);
    buf_append_str(b, "</option>");
}

/* The country of a listed zone, or NULL. */
static const char *zone_country(const char *name)
{
    size_t count;
    const struct tz_choice *choices = tz_choices(&count);
    for (size_t i = 0; i < count; i++)
        if (strcmp(choices[i].name, name) == 0)
            return choices[i].country;
    return NULL;
}

/* The select, its choices grouped by the region their name starts with. */
static void write_select(struct buf *b, const char *selected, const char *error)
{
    buf_append_str(b, "<div class=\"field\"><label for=\"f-time_zone\">Time zone</label>"
                      "<small id=\"h-time_zone\">Pick the city nearest you with the same clock.</small>"
                      "<select id=\"f-time_zone\" name=\"time_zone\" aria-describedby=\"h-time_zone");
    buf_append_str(b, error != NULL ? " e-time_zone\" aria-invalid=\"true\">" : "\">");
    buf_append_str(b, "<option value=\"\">Not chosen (UTC)</option>");
    size_t count;
    const struct tz_choice *choices = tz_choices(&count);
    bool listed = selected == NULL || selected[0] == '\0';
    for (size_t i = 0; i < count && !listed; i++)
        listed = strcmp(choices[i].name, selected) == 0;
    if (!listed && tz_name_valid(selected)) /* a zone set through the API, such as "US/Eastern" */
        write_option(b, selected, NULL, selected);
    const char *region = NULL;
    size_t region_length = 0;
    for (size_t i = 0; i < count; i++) {
        const char *name = choices[i].name;
        const char *slash = strchr(name, '/');
        size_t length = slash != NULL ? (size_t)(slash - name) : strlen(name);
        if (region == NULL || length != region_length || strncmp(region, name, length) != 0) {
            buf_append_str(b, region != NULL ? "</optgroup><optgroup label=\"" : "<optgroup label=\"");
            write_region(b, name, length);
            buf_append_str(b, "\">");
            region = name;
            region_length = length;
        }
        write_option(b, name, choices[i].country, selected);
    }
    buf_append_str(b, region != NULL ? "</optgroup></select>" : "</select>");
    if (error != NULL) {
        buf_append_str(b, "<span class=\"field-error\" id=\"e-time_zone\">");
        buf_append_html(b, error);
        buf_append_str(b, "</span>");
    }
    buf_append_str(b, "</div>\n");
}

void web_time_zone_card(struct http_request *req, struct buf *b, const struct store_user *user, const char *csrf,
                        const struct web_time_zone_form *form)
{
    buf_append_str(b, "<section class=\"card\" id=\"time-zone\"><h2>Time zone</h2><p id=\"time-zone-now\">");
    if (user->time_zone == NULL) {
        buf_append_str(b, "You have not chosen a time zone, so Rounds shows times in UTC: it is now ");
    } else {
        buf_append_str(b, "Rounds shows times in your time zone, ");
        write_zone(b, user->time_zone, zone_country(user->time_zone));
        buf_append_str(b, ": it is now ");
    }
    web_write_instant(req, b, clock_now());
    buf_append_str(b, ". A rotation's shifts and first day stay in the time of its site.</p>\n");
    view_form_begin(b, "/account/time-zone", csrf);
    write_select(b, form != NULL ? form->typed : user->time_zone, form != NULL ? form->error : NULL);
    view_form_end(b, "Save time zone");
    buf_append_str(b, "</section>\n");
}

void web_page_account_time_zone_post(struct http_request *req)
{
    struct store_user user;
    if (store_user_by_id(req->db, &req->arena, req->auth.user_id, &user) != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    const char *typed = http_form(req, "time_zone");
    const char *zone = typed != NULL && typed[0] != '\0' ? typed : NULL;
    if (zone != NULL && !tz_exists(zone)) {
        struct web_time_zone_form form = {typed, "is not one of the choices"};
        web_account_render_time_zone(req, &user, &form);
        return;
    }
    if (store_user_set_time_zone(req->db, user.id, zone) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_redirect(req, "/account?saved=time_zone");
}
