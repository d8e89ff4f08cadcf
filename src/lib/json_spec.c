/* json_spec.c — declarative JSON body validation on top of jansson; see json_spec.h. */
#include "lib/json_spec.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lib/limits.h"
#include "lib/text.h"
#include "lib/utf8.h"

bool json_date_valid(const char *s)
{
    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    static const int days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1)
        return false;
    int max_day = days_in_month[month - 1];
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        max_day = 29;
    return day <= max_day;
}

bool json_email_valid(const char *s)
{
    size_t len = strlen(s);
    if (len < 3 || len > EMAIL_MAX_BYTES)
        return false;
    const char *at = strchr(s, '@');
    if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
        return false;
    const char *domain = at + 1;
    const char *dot = strrchr(domain, '.');
    if (dot == NULL || dot == domain || dot[1] == '\0' || domain[0] == '.')
        return false;
    for (const char *p = s; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == '\\')
            return false;
    }
    return strstr(domain, "..") == NULL;
}

/* Names a nested field "parent.child" in the arena. */
static const char *field_path(struct arena *arena, const char *prefix, const char *name)
{
    if (prefix == NULL)
        return name;
    size_t size = strlen(prefix) + strlen(name) + 2;
    char *path = arena_alloc(arena, size);
    if (path == NULL)
        return name;
    snprintf(path, size, "%s.%s", prefix, name);
    return path;
}

static int check_string(struct arena *arena, json_t *value, const struct json_field *f, bool multiline,
                        const char *path, const char **out, struct error *err)
{
    if (!json_is_string(value))
        return error_set(err, ERR_VALIDATION_FAILED, path, "must be a string");
    const char *s = json_string_value(value);
    size_t len = json_string_length(value);
    enum text_fault fault = text_check(s, len, multiline ? TEXT_MULTI_LINE : TEXT_ONE_LINE);
    if (fault != TEXT_OK)
        return error_set(err, ERR_VALIDATION_FAILED, path, text_fault_detail(fault));
    size_t chars = utf8_count(s, len);
    if ((int64_t)chars < f->min)
        return error_set(err, ERR_VALIDATION_FAILED, path, f->min <= 1 ? "must not be empty" : "is too short");
    if ((int64_t)chars > f->max)
        return error_set(err, ERR_VALIDATION_FAILED, path, "is too long");
    *out = arena_strndup(arena, s, len);
    return *out == NULL ? error_set(err, ERR_INTERNAL, NULL, NULL) : 0;
}

static const char *match_enum(const struct json_field *f, const char *s)
{
    for (const char *const *v = f->values; *v != NULL; v++)
        if (strcmp(*v, s) == 0)
            return *v;
    return NULL;
}

/* A number with at most two decimals, kept as whole hundredths. */
static int apply_hundredths(json_t *value, const struct json_field *f, void *slot, const char *path,
                            struct error *err)
{
    double d;
    if (json_is_integer(value))
        d = (double)json_integer_value(value);
    else if (json_is_real(value))
        d = json_real_value(value);
    else
        return error_set(err, ERR_VALIDATION_FAILED, path, "must be a number");
    if (!(d >= -1e12 && d <= 1e12))
        return error_set(err, ERR_VALIDATION_FAILED, path, "is out of range");
    double scaled = d * 100.0, whole = round(scaled);
    if (fabs(scaled - whole) > 1e-6)
        return error_set(err, ERR_VALIDATION_FAILED, path, "must have at most two decimals");
    int64_t v64 = (int64_t)whole;
    if (v64 < f->min || v64 > f->max)
        return error_set(err, ERR_VALIDATION_FAILED, path, "is out of range");
    memcpy(slot, &v64, sizeof(v64));
    return 0;
}

static int apply_spec(struct arena *arena, json_t *object, const struct json_field *spec, void *out,
                      struct json_presence *presence, const char *prefix, struct error *err);

/* Each item of the array an object of f->fields, named "path[i]" in errors. */
static int apply_object_array(struct arena *arena, json_t *value, const struct json_field *f, char *slot,
                              const char *path, struct error *err)
{
    if (!json_is_array(value))
        return error_set(err, ERR_VALIDATION_FAILED, path, "must be an array");
    size_t n = json_array_size(value);
    if (n > f->max_items)
        return error_set(err, ERR_VALIDATION_FAILED, path, "has too many items");
    struct json_objects list = {arena_calloc(arena, n + 1, f->item_size), n};
    if (list.items == NULL)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        size_t size = strlen(path) + 24;
        char *item_path = arena_alloc(arena, size);
        if (item_path == NULL)
            return error_set(err, ERR_INTERNAL, NULL, NULL);
        snprintf(item_path, size, "%s[%zu]", path, i);
        json_t *item = json_array_get(value, i);
        if (!json_is_object(item))
            return error_set(err, ERR_VALIDATION_FAILED, item_path, "must be an object");
        if (apply_spec(arena, item, f->fields, (char *)list.items + i * f->item_size, NULL, item_path, err) != 0)
            return -1;
    }
    memcpy(slot, &list, sizeof(list));
    return 0;
}

static int apply_field(struct arena *arena, json_t *value, const struct json_field *f, void *out, const char *path,
                       struct error *err)
{
    char *slot = (char *)out + f->offset;
    switch (f->type) {
    case JSON_FIELD_STRING:
    case JSON_FIELD_TEXT:
        return check_string(arena, value, f, f->type == JSON_FIELD_TEXT, path, (const char **)(void *)slot, err);
    case JSON_FIELD_EMAIL: {
        const char *s = NULL;
        if (check_string(arena, value, f, false, path, &s, err) != 0)
            return -1;
        char *lower = (char *)s;
        for (char *p = lower; *p != '\0'; p++)
            *p = (char)tolower((unsigned char)*p);
        if (!json_email_valid(lower))
            return error_set(err, ERR_VALIDATION_FAILED, path, "must be an email address");
        memcpy(slot, &s, sizeof(s));
        return 0;
    }
    case JSON_FIELD_INT: {
        if (!json_is_integer(value))
            return error_set(err, ERR_VALIDATION_FAILED, path, "must be an integer");
        json_int_t v = json_integer_value(value);
        if (v < f->min || v > f->max)
            return error_set(err, ERR_VALIDATION_FAILED, path, "is out of range");
        int64_t v64 = (int64_t)v;
        memcpy(slot, &v64, sizeof(v64));
        return 0;
    }
    case JSON_FIELD_HUNDREDTHS:
        return apply_hundredths(value, f, slot, path, err);
    case JSON_FIELD_BOOL: {
        if (!json_is_boolean(value))
            return error_set(err, ERR_VALIDATION_FAILED, path, "must be true or false");
        bool b = json_is_true(value);
        memcpy(slot, &b, sizeof(b));
        return 0;
    }
    case JSON_FIELD_ENUM: {
        if (!json_is_string(value))
            return error_set(err, ERR_VALIDATION_FAILED, path, "must be a string");
        const char *match = match_enum(f, json_string_value(value));
        if (match == NULL)
            return error_set(err, ERR_VALIDATION_FAILED, path, "is not one of the allowed values");
        memcpy(slot, &match, sizeof(match));
        return 0;
    }
    case JSON_FIELD_DATE: {
        if (!json_is_string(value) || !json_date_valid(json_string_value(value)))
            return error_set(err, ERR_VALIDATION_FAILED, path, "must be a date YYYY-MM-DD");
        const char *s = arena_strdup(arena, json_string_value(value));
        if (s == NULL)
            return error_set(err, ERR_INTERNAL, NULL, NULL);
        memcpy(slot, &s, sizeof(s));
        return 0;
    }
    case JSON_FIELD_STRING_ARRAY:
    case JSON_FIELD_ENUM_ARRAY: {
        if (!json_is_array(value))
            return error_set(err, ERR_VALIDATION_FAILED, path, "must be an array");
        size_t n = json_array_size(value);
        if (n > f->max_items)
            return error_set(err, ERR_VALIDATION_FAILED, path, "has too many items");
        struct json_strings list = {arena_calloc(arena, n + 1, sizeof(char *)), n};
        if (list.items == NULL)
            return error_set(err, ERR_INTERNAL, NULL, NULL);
        for (size_t i = 0; i < n; i++) {
            json_t *item = json_array_get(value, i);
            if (f->type == JSON_FIELD_STRING_ARRAY) {
                if (check_string(arena, item, f, false, path, &list.items[i], err) != 0)
                    return -1;
                continue;
            }
            const char *match = json_is_string(item) ? match_enum(f, json_string_value(item)) : NULL;
            if (match == NULL)
                return error_set(err, ERR_VALIDATION_FAILED, path, "has an item that is not an allowed value");
            for (size_t k = 0; k < i; k++)
                if (list.items[k] == match)
                    return error_set(err, ERR_VALIDATION_FAILED, path, "has a repeated item");
            list.items[i] = match;
        }
        memcpy(slot, &list, sizeof(list));
        return 0;
    }
    case JSON_FIELD_OBJECT:
        if (!json_is_object(value))
            return error_set(err, ERR_VALIDATION_FAILED, path, "must be an object");
        return apply_spec(arena, value, f->fields, slot, NULL, path, err);
    case JSON_FIELD_OBJECT_ARRAY:
        return apply_object_array(arena, value, f, slot, path, err);
    }
    return error_set(err, ERR_INTERNAL, path, NULL);
}

static int apply_spec(struct arena *arena, json_t *object, const struct json_field *spec, void *out,
                      struct json_presence *presence, const char *prefix, struct error *err)
{
    /* Unknown fields first, so that a typo is named rather than reported as a missing field. */
    const char *key;
    json_t *value;
    json_object_foreach(object, key, value) {
        const struct json_field *f = spec;
        while (f->name != NULL && strcmp(f->name, key) != 0)
            f++;
        if (f->name == NULL) {
            const char *name = arena_strdup(arena, key);
            return error_set(err, ERR_UNKNOWN_FIELD, field_path(arena, prefix, name ? name : "?"),
                             "is not a field of this request");
        }
    }
    for (size_t i = 0; spec[i].name != NULL; i++) {
        const struct json_field *f = &spec[i];
        const char *path = field_path(arena, prefix, f->name);
        value = json_object_get(object, f->name);
        if (value == NULL) {
            if (f->flags & JSON_REQUIRED)
                return error_set(err, ERR_VALIDATION_FAILED, path, "is required");
            continue;
        }
        if (json_is_null(value)) {
            if (!(f->flags & JSON_NULLABLE))
                return error_set(err, ERR_VALIDATION_FAILED, path, "must not be null");
            if (presence != NULL && i < 64) {
                presence->present |= 1ull << i;
                presence->null |= 1ull << i;
            }
            continue;
        }
        if (apply_field(arena, value, f, out, path, err) != 0)
            return -1;
        if (presence != NULL && i < 64)
            presence->present |= 1ull << i;
    }
    return 0;
}

int json_spec_parse(struct arena *arena, const char *body, size_t len, const struct json_field *spec, void *out,
                    struct json_presence *presence, struct error *err)
{
    int rc = -1;
    json_error_t jerr;
    json_t *root = NULL;
    if (presence != NULL)
        memset(presence, 0, sizeof(*presence));
    if (len == 0) {
        error_set(err, ERR_INVALID_JSON, NULL, "the body is empty");
        goto out;
    }
    root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        error_set(err, ERR_INVALID_JSON, NULL, "the body is not valid JSON");
        goto out;
    }
    if (!json_is_object(root)) {
        error_set(err, ERR_INVALID_JSON, NULL, "the body must be a JSON object");
        goto out;
    }
    rc = apply_spec(arena, root, spec, out, presence, NULL, err);
out:
    json_decref(root);
    return rc;
}

bool json_presence_has(const struct json_field *spec, const struct json_presence *presence, const char *name)
{
    for (size_t i = 0; i < 64 && spec[i].name != NULL; i++)
        if (strcmp(spec[i].name, name) == 0)
            return (presence->present >> i) & 1;
    return false;
}
