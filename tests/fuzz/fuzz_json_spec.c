/* fuzz_json_spec.c — libFuzzer target for json_spec_parse().
 *
 * The input is a request body, parsed against a spec with every field type,
 * a nullable nested object and an object nested inside it, into a heap arena
 * freed after each run. On success it checks what handlers rely on: required
 * fields are set, strings are valid UTF-8 within their length in code points
 * and free of control characters (TEXT may hold tab, CR and LF), emails are
 * lower-case and valid, enums point into their value list, dates are real,
 * integers are in range, arrays (of strings and of objects) are within
 * bounds without repeats where refused, and the presence bits agree with the values. It then writes the
 * values back as JSON with buf_append_json_string() and friends, parses that
 * and expects the same values. On failure the error is a 400-class code that
 * names a field of the spec (or the unknown one). A violation traps. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/errors.h"
#include "lib/json_spec.h"
#include "lib/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static const char *const statuses[] = {"draft", "open", "closed", NULL};
static const char *const visas[] = {"b1_b2", "f1", "j1", "h1b", NULL};
static const char *const english[] = {"toefl", "ielts", "oet", NULL};

struct deep {
    bool flag;
    const char *label;
};

static const struct json_field deep_spec[] = {
    JSON_BOOL(struct deep, flag, JSON_REQUIRED),
    JSON_STRING(struct deep, label, JSON_OPTIONAL, 1, 8),
    {0}};

struct eligibility {
    const char *region;
    int64_t min_year;
    const char *notes;
    struct json_strings english;
    struct deep deep;
};

static const struct json_field eligibility_spec[] = {
    JSON_STRING(struct eligibility, region, JSON_REQUIRED, 2, 2),
    JSON_INT(struct eligibility, min_year, JSON_REQUIRED, 1900, 2100),
    JSON_TEXT(struct eligibility, notes, JSON_OPTIONAL | JSON_NULLABLE, 0, 100),
    JSON_ENUM_ARRAY(struct eligibility, english, JSON_OPTIONAL, english),
    JSON_OBJECT(struct eligibility, deep, JSON_OPTIONAL, deep_spec),
    {0}};

/* One item of an array of objects. */
struct slot {
    int64_t day;
    const char *name;
};

static const struct json_field slot_spec[] = {
    JSON_INT(struct slot, day, JSON_REQUIRED, 0, 730),
    JSON_STRING(struct slot, name, JSON_OPTIONAL, 1, 8),
    {0}};

struct body {
    const char *title;
    const char *summary;
    const char *contact;
    int64_t seats;
    int64_t big;
    bool remote;
    const char *status;
    const char *starts_on;
    struct json_strings tags;
    struct json_strings visa_kinds;
    struct eligibility eligibility;
    const char *note;
    struct json_objects slots;
};

enum {
    F_TITLE, F_SUMMARY, F_CONTACT, F_SEATS, F_BIG, F_REMOTE, F_STATUS, F_STARTS_ON, F_TAGS, F_VISA_KINDS,
    F_ELIGIBILITY, F_NOTE, F_SLOTS,
};

static const struct json_field body_spec[] = {
    [F_TITLE] = JSON_STRING(struct body, title, JSON_REQUIRED, 1, 40),
    [F_SUMMARY] = JSON_TEXT(struct body, summary, JSON_OPTIONAL, 0, 500),
    [F_CONTACT] = JSON_EMAIL(struct body, contact, JSON_REQUIRED),
    [F_SEATS] = JSON_INT(struct body, seats, JSON_OPTIONAL, -5, 1000),
    [F_BIG] = JSON_INT(struct body, big, JSON_OPTIONAL, INT64_MIN, INT64_MAX),
    [F_REMOTE] = JSON_BOOL(struct body, remote, JSON_OPTIONAL),
    [F_STATUS] = JSON_ENUM(struct body, status, JSON_OPTIONAL | JSON_NULLABLE, statuses),
    [F_STARTS_ON] = JSON_DATE(struct body, starts_on, JSON_OPTIONAL | JSON_NULLABLE),
    [F_TAGS] = JSON_STRING_ARRAY(struct body, tags, JSON_OPTIONAL, 1, 16, 8),
    [F_VISA_KINDS] = JSON_ENUM_ARRAY(struct body, visa_kinds, JSON_OPTIONAL, visas),
    [F_ELIGIBILITY] = JSON_OBJECT(struct body, eligibility, JSON_OPTIONAL | JSON_NULLABLE, eligibility_spec),
    [F_NOTE] = JSON_STRING(struct body, note, JSON_OPTIONAL | JSON_NULLABLE, 0, 10),
    [F_SLOTS] = JSON_OBJECT_ARRAY(struct body, slots, JSON_OPTIONAL, struct slot, slot_spec, 4),
    {0}};

static bool present(const struct json_presence *p, int field)
{
    return (p->present >> field) & 1;
}

static bool is_null(const struct json_presence *p, int field)
{
    return (p->null >> field) & 1;
}

/* A string as a STRING (multiline false) or TEXT (true) field of [min, max] must be. */
static void check_string(const char *s, int64_t min, int64_t max, bool multiline)
{
    check(s != NULL);
    size_t len = strlen(s);
    check(utf8_valid(s, len));
    size_t chars = utf8_count(s, len);
    check((int64_t)chars >= min && (int64_t)chars <= max);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool newline = c == '\n' || c == '\r' || c == '\t';
        check(!((c < 0x20 && !(multiline && newline)) || c == 0x7f));
    }
}

static bool in_values(const char *s, const char *const *values)
{
    for (const char *const *v = values; *v != NULL; v++)
        if (s == *v)
            return true;
    return false;
}

static void check_enum_array(const struct json_strings *list)
{
    check(list->items != NULL && list->count <= 64 && list->items[list->count] == NULL);
    for (size_t i = 0; i < list->count; i++)
        for (size_t k = 0; k < i; k++)
            check(list->items[k] != list->items[i]);
}

static void check_body(const struct body *b, const struct json_presence *p)
{
    check((p->null & ~p->present) == 0);
    for (int i = 0; body_spec[i].name != NULL; i++) {
        if (body_spec[i].flags & JSON_REQUIRED)
            check(present(p, i) && !is_null(p, i));
        if (is_null(p, i))
            check(body_spec[i].flags & JSON_NULLABLE);
    }
    check_string(b->title, 1, 40, false);
    check_string(b->contact, 3, 254, false);
    check(json_email_valid(b->contact));
    for (const char *c = b->contact; *c != '\0'; c++)
        check(!(*c >= 'A' && *c <= 'Z'));
    check((b->summary != NULL) == present(p, F_SUMMARY));
    if (b->summary != NULL)
        check_string(b->summary, 0, 500, true);
    check(b->seats >= -5 && b->seats <= 1000);
    check(present(p, F_SEATS) || b->seats == 0);
    check(present(p, F_REMOTE) || !b->remote);
    check((b->status != NULL) == (present(p, F_STATUS) && !is_null(p, F_STATUS)));
    if (b->status != NULL)
        check(in_values(b->status, statuses));
    check((b->starts_on != NULL) == (present(p, F_STARTS_ON) && !is_null(p, F_STARTS_ON)));
    if (b->starts_on != NULL)
        check(json_date_valid(b->starts_on));
    check((b->tags.items != NULL) == present(p, F_TAGS));
    if (b->tags.items != NULL) {
        check(b->tags.count <= 8 && b->tags.items[b->tags.count] == NULL);
        for (size_t i = 0; i < b->tags.count; i++)
            check_string(b->tags.items[i], 1, 16, false);
    }
    check((b->visa_kinds.items != NULL) == present(p, F_VISA_KINDS));
    if (b->visa_kinds.items != NULL) {
        check_enum_array(&b->visa_kinds);
        for (size_t i = 0; i < b->visa_kinds.count; i++)
            check(in_values(b->visa_kinds.items[i], visas));
    }
    const struct eligibility *e = &b->eligibility;
    if (present(p, F_ELIGIBILITY) && !is_null(p, F_ELIGIBILITY)) {
        check_string(e->region, 2, 2, false);
        check(e->min_year >= 1900 && e->min_year <= 2100);
        if (e->notes != NULL)
            check_string(e->notes, 0, 100, true);
        if (e->english.items != NULL) {
            check_enum_array(&e->english);
            for (size_t i = 0; i < e->english.count; i++)
                check(in_values(e->english.items[i], english));
        }
        if (e->deep.label != NULL)
            check_string(e->deep.label, 1, 8, false);
    } else {
        check(e->region == NULL && e->min_year == 0 && e->notes == NULL && e->english.items == NULL);
        check(!e->deep.flag && e->deep.label == NULL);
    }
    check((b->note != NULL) == (present(p, F_NOTE) && !is_null(p, F_NOTE)));
    if (b->note != NULL)
        check_string(b->note, 0, 10, false);
    check((b->slots.items != NULL) == present(p, F_SLOTS));
    check(b->slots.count <= 4);
    for (size_t i = 0; i < b->slots.count; i++) {
        const struct slot *s = (const struct slot *)b->slots.items + i;
        check(s->day >= 0 && s->day <= 730);
        if (s->name != NULL)
            check_string(s->name, 1, 8, false);
    }
}

/* ---- writing the values back ---- */

static void key(struct buf *out, bool *first, const char *name)
{
    if (!*first)
        buf_append_char(out, ',');
    *first = false;
    buf_append_json_string(out, name);
    buf_append_char(out, ':');
}

static void write_strings(struct buf *out, const struct json_strings *list)
{
    buf_append_char(out, '[');
    for (size_t i = 0; i < list->count; i++) {
        if (i > 0)
            buf_append_char(out, ',');
        buf_append_json_string(out, list->items[i]);
    }
    buf_append_char(out, ']');
}

static void write_body(struct buf *out, const struct body *b, const struct json_presence *p)
{
    bool first = true;
    buf_append_char(out, '{');
    key(out, &first, "title");
    buf_append_json_string(out, b->title);
    if (b->summary != NULL) {
        key(out, &first, "summary");
        buf_append_json_string(out, b->summary);
    }
    key(out, &first, "contact");
    buf_append_json_string(out, b->contact);
    if (present(p, F_SEATS)) {
        key(out, &first, "seats");
        buf_append_int(out, b->seats);
    }
    if (present(p, F_BIG)) {
        key(out, &first, "big");
        buf_append_int(out, b->big);
    }
    if (present(p, F_REMOTE)) {
        key(out, &first, "remote");
        buf_append_str(out, b->remote ? "true" : "false");
    }
    if (present(p, F_STATUS)) {
        key(out, &first, "status");
        buf_append_json_string(out, b->status); /* NULL: null */
    }
    if (present(p, F_STARTS_ON)) {
        key(out, &first, "starts_on");
        buf_append_json_string(out, b->starts_on);
    }
    if (b->tags.items != NULL) {
        key(out, &first, "tags");
        write_strings(out, &b->tags);
    }
    if (b->visa_kinds.items != NULL) {
        key(out, &first, "visa_kinds");
        write_strings(out, &b->visa_kinds);
    }
    if (present(p, F_ELIGIBILITY)) {
        key(out, &first, "eligibility");
        if (is_null(p, F_ELIGIBILITY)) {
            buf_append_str(out, "null");
        } else {
            const struct eligibility *e = &b->eligibility;
            buf_appendf(out, "{\"region\":");
            buf_append_json_string(out, e->region);
            buf_appendf(out, ",\"min_year\":%lld", (long long)e->min_year);
            if (e->notes != NULL) {
                buf_append_str(out, ",\"notes\":");
                buf_append_json_string(out, e->notes);
            }
            if (e->english.items != NULL) {
                buf_append_str(out, ",\"english\":");
                write_strings(out, &e->english);
            }
            if (e->deep.flag || e->deep.label != NULL) {
                buf_appendf(out, ",\"deep\":{\"flag\":%s", e->deep.flag ? "true" : "false");
                if (e->deep.label != NULL) {
                    buf_append_str(out, ",\"label\":");
                    buf_append_json_string(out, e->deep.label);
                }
                buf_append_char(out, '}');
            }
            buf_append_char(out, '}');
        }
    }
    if (present(p, F_NOTE)) {
        key(out, &first, "note");
        buf_append_json_string(out, b->note);
    }
    if (b->slots.items != NULL) {
        key(out, &first, "slots");
        buf_append_char(out, '[');
        for (size_t i = 0; i < b->slots.count; i++) {
            const struct slot *s = (const struct slot *)b->slots.items + i;
            buf_appendf(out, "%s{\"day\":%lld", i > 0 ? "," : "", (long long)s->day);
            if (s->name != NULL) {
                buf_append_str(out, ",\"name\":");
                buf_append_json_string(out, s->name);
            }
            buf_append_char(out, '}');
        }
        buf_append_char(out, ']');
    }
    buf_append_char(out, '}');
}

static bool same_string(const char *a, const char *b)
{
    return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static bool same_strings(const struct json_strings *a, const struct json_strings *b)
{
    if ((a->items == NULL) != (b->items == NULL) || a->count != b->count)
        return false;
    for (size_t i = 0; i < a->count; i++)
        if (!same_string(a->items[i], b->items[i]))
            return false;
    return true;
}

static void check_same(const struct body *a, const struct body *b)
{
    check(same_string(a->title, b->title) && same_string(a->summary, b->summary));
    check(same_string(a->contact, b->contact));
    check(a->seats == b->seats && a->big == b->big && a->remote == b->remote);
    check(a->status == b->status); /* both point into statuses */
    check(same_string(a->starts_on, b->starts_on));
    check(same_strings(&a->tags, &b->tags) && same_strings(&a->visa_kinds, &b->visa_kinds));
    const struct eligibility *x = &a->eligibility, *y = &b->eligibility;
    check(same_string(x->region, y->region) && x->min_year == y->min_year && same_string(x->notes, y->notes));
    check(same_strings(&x->english, &y->english));
    check(x->deep.flag == y->deep.flag && same_string(x->deep.label, y->deep.label));
    check(same_string(a->note, b->note));
    check(a->slots.count == b->slots.count && (a->slots.items == NULL) == (b->slots.items == NULL));
    for (size_t i = 0; i < a->slots.count; i++) {
        const struct slot *s = (const struct slot *)a->slots.items + i, *t = (const struct slot *)b->slots.items + i;
        check(s->day == t->day && same_string(s->name, t->name));
    }
}

/* ---- failures ---- */

static bool known_path(const char *path)
{
    if (strncmp(path, "slots", 5) == 0 && path[5] == '\0')
        return true;
    if (strncmp(path, "slots[", 6) == 0) {
        const char *p = path + 6;
        if (*p < '0' || *p > '3' || p[1] != ']')
            return false;
        if (p[2] == '\0')
            return true;
        if (p[2] != '.')
            return false;
        for (const struct json_field *f = slot_spec; f->name != NULL; f++)
            if (strcmp(p + 3, f->name) == 0)
                return true;
        return false;
    }
    if (strncmp(path, "eligibility.deep.", 17) == 0) {
        for (const struct json_field *f = deep_spec; f->name != NULL; f++)
            if (strcmp(path + 17, f->name) == 0)
                return true;
        return false;
    }
    if (strncmp(path, "eligibility.", 12) == 0) {
        for (const struct json_field *f = eligibility_spec; f->name != NULL; f++)
            if (strcmp(path + 12, f->name) == 0)
                return true;
        return false;
    }
    for (const struct json_field *f = body_spec; f->name != NULL; f++)
        if (strcmp(path, f->name) == 0)
            return true;
    return false;
}

static void check_failure(const struct error *err)
{
    check(err->detail != NULL);
    switch (err->code) {
    case ERR_INVALID_JSON:
        check(err->field == NULL);
        break;
    case ERR_VALIDATION_FAILED:
        check(err->field != NULL && known_path(err->field));
        break;
    case ERR_UNKNOWN_FIELD:
        check(err->field != NULL);
        break;
    default:
        check(false);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena arena;
    struct body body, again;
    struct json_presence presence, presence_again;
    struct error err = {ERR_NONE, NULL, NULL};
    arena_heap_init(&arena);
    memset(&body, 0, sizeof(body));
    int rc = json_spec_parse(&arena, (const char *)data, size, body_spec, &body, &presence, &err);
    if (rc == 0) {
        check(err.code == ERR_NONE);
        check_body(&body, &presence);
        for (int i = 0; body_spec[i].name != NULL; i++)
            check(json_presence_has(body_spec, &presence, body_spec[i].name) == present(&presence, i));

        struct buf out;
        buf_init(&out, &arena, 8 * size + 1024); /* escaping may grow a byte sixfold */
        write_body(&out, &body, &presence);
        check(buf_ok(&out));
        memset(&again, 0, sizeof(again));
        struct error err_again = {ERR_NONE, NULL, NULL};
        check(json_spec_parse(&arena, out.data, out.len, body_spec, &again, &presence_again, &err_again) == 0);
        check(presence_again.present == presence.present && presence_again.null == presence.null);
        check_same(&body, &again);
    } else {
        check(rc == -1);
        check_failure(&err);
    }
    arena_heap_free(&arena);
    return 0;
}
