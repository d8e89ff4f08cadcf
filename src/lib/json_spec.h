/* json_spec.h — declarative specs for JSON request bodies.
 *
 * A spec is an array of struct json_field ending with {0}. json_spec_parse()
 * parses the body (duplicate keys refused), requires a top-level object,
 * refuses unknown fields, checks each field's type and range, and fills a C
 * struct through the offsets in the spec. The first failure is reported as a
 * struct error naming the field ("eligibility.visa_kinds"). Strings are copied
 * into the arena; nothing needs freeing.
 *
 *   struct login_body { const char *email, *password; };
 *   static const struct json_field login_spec[] = {
 *       JSON_EMAIL(struct login_body, email, JSON_REQUIRED),
 *       JSON_STRING(struct login_body, password, JSON_REQUIRED, 1, 1024),
 *       {0}};
 */
#ifndef ROUNDS_LIB_JSON_SPEC_H
#define ROUNDS_LIB_JSON_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/errors.h"

enum json_field_type {
    JSON_FIELD_STRING,        /* const char *, length in code points within [min, max] */
    JSON_FIELD_TEXT,          /* like STRING, but newlines and tabs are allowed */
    JSON_FIELD_EMAIL,         /* const char *, lower-cased */
    JSON_FIELD_INT,           /* int64_t within [min, max] */
    JSON_FIELD_HUNDREDTHS,    /* a number with at most two decimals, as int64_t hundredths within [min, max] */
    JSON_FIELD_BOOL,          /* bool */
    JSON_FIELD_ENUM,          /* const char * pointing at the matching entry of values */
    JSON_FIELD_DATE,          /* const char * "YYYY-MM-DD", a real calendar date */
    JSON_FIELD_STRING_ARRAY,  /* struct json_strings; each entry a STRING within [min, max] */
    JSON_FIELD_ENUM_ARRAY,    /* struct json_strings; each entry one of values, no repeats */
    JSON_FIELD_OBJECT,        /* a nested spec filling the struct at offset */
    JSON_FIELD_OBJECT_ARRAY,  /* struct json_objects; each item an object of the nested spec */
};

enum json_field_flags {
    JSON_OPTIONAL = 0,
    JSON_REQUIRED = 1u << 0,
    JSON_NULLABLE = 1u << 1, /* null is accepted and leaves the field unset (but present) */
};

struct json_strings {
    const char **items;
    size_t count;
};

/* An array of objects: count items of item_size bytes each, in the arena. */
struct json_objects {
    void *items;
    size_t count;
};

struct json_field {
    const char *name;
    enum json_field_type type;
    unsigned flags;
    size_t offset;
    int64_t min, max;
    const char *const *values;            /* ENUM / ENUM_ARRAY: NULL-terminated */
    const struct json_field *fields;      /* OBJECT */
    size_t max_items;                     /* *_ARRAY */
    size_t item_size;                     /* OBJECT_ARRAY: the size of one item's struct */
};

/* Which fields of a spec were present (bit i for spec[i]) and which were null. */
struct json_presence {
    uint64_t present;
    uint64_t null;
};

#define JSON_STRING(type, member, flags, min, max) \
    {#member, JSON_FIELD_STRING, (flags), offsetof(type, member), (min), (max), NULL, NULL, 0, 0}
#define JSON_TEXT(type, member, flags, min, max) \
    {#member, JSON_FIELD_TEXT, (flags), offsetof(type, member), (min), (max), NULL, NULL, 0, 0}
#define JSON_EMAIL(type, member, flags) \
    {#member, JSON_FIELD_EMAIL, (flags), offsetof(type, member), 3, 254, NULL, NULL, 0, 0}
#define JSON_INT(type, member, flags, min, max) \
    {#member, JSON_FIELD_INT, (flags), offsetof(type, member), (min), (max), NULL, NULL, 0, 0}
#define JSON_HUNDREDTHS(type, member, flags, min, max) \
    {#member, JSON_FIELD_HUNDREDTHS, (flags), offsetof(type, member), (min), (max), NULL, NULL, 0, 0}
#define JSON_BOOL(type, member, flags) \
    {#member, JSON_FIELD_BOOL, (flags), offsetof(type, member), 0, 0, NULL, NULL, 0, 0}
#define JSON_ENUM(type, member, flags, values) \
    {#member, JSON_FIELD_ENUM, (flags), offsetof(type, member), 0, 0, (values), NULL, 0, 0}
#define JSON_DATE(type, member, flags) \
    {#member, JSON_FIELD_DATE, (flags), offsetof(type, member), 0, 0, NULL, NULL, 0, 0}
#define JSON_STRING_ARRAY(type, member, flags, min, max, max_items) \
    {#member, JSON_FIELD_STRING_ARRAY, (flags), offsetof(type, member), (min), (max), NULL, NULL, (max_items), 0}
#define JSON_ENUM_ARRAY(type, member, flags, values) \
    {#member, JSON_FIELD_ENUM_ARRAY, (flags), offsetof(type, member), 0, 0, (values), NULL, 64, 0}
#define JSON_OBJECT(type, member, flags, spec) \
    {#member, JSON_FIELD_OBJECT, (flags), offsetof(type, member), 0, 0, NULL, (spec), 0, 0}
/* member is a struct json_objects whose items are item_type, filled by spec. */
#define JSON_OBJECT_ARRAY(type, member, flags, item_type, spec, max_items) \
    {#member, JSON_FIELD_OBJECT_ARRAY, (flags), offsetof(type, member), 0, 0, NULL, (spec), (max_items), sizeof(item_type)}

/* Parses body[0..len) against spec into out (which the caller zeroes first).
 * presence may be NULL. Returns 0, or -1 with err set (400-class codes). */
int json_spec_parse(struct arena *arena, const char *body, size_t len, const struct json_field *spec, void *out,
                    struct json_presence *presence, struct error *err);

/* True when the field named name was present in the parsed body. */
bool json_presence_has(const struct json_field *spec, const struct json_presence *presence, const char *name);

/* True for a real calendar date written YYYY-MM-DD. */
bool json_date_valid(const char *s);
/* A syntactic email check: one '@', non-empty local part, a dotted domain,
 * no spaces or control characters, at most 254 bytes. */
bool json_email_valid(const char *s);

#endif
