/* school_csv.c — the invitation CSV; see school_csv.h. */
#include "domain/school_csv.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/json_spec.h"
#include "lib/limits.h"
#include "lib/utf8.h"

enum { FIELDS_MAX = 8 };

struct record {
    uint32_t line;
    size_t field_count;
    char *fields[FIELDS_MAX];
    bool too_many;
};

struct cursor {
    const char *p, *end;
    uint32_t line;
};

static int push(struct arena *arena, void **items, size_t *count, size_t *capacity, size_t size)
{
    if (*count == *capacity) {
        size_t grown = *capacity < 16 ? 16 : *capacity * 2;
        void *bigger = arena_alloc(arena, grown * size);
        if (bigger == NULL)
            return -1;
        if (*count > 0)
            memcpy(bigger, *items, *count * size);
        *items = bigger;
        *capacity = grown;
    }
    memset((char *)*items + *count * size, 0, size);
    (*count)++;
    return 0;
}

/* One field at c->p (after a comma or at a line's start), copied unquoted;
 * stops before the comma or line end that follows. NULL when memory ran out;
 * *bad when a quote is not closed, or text follows the closing quote. */
static char *read_field(struct cursor *c, struct arena *arena, bool *bad)
{
    const char *p = c->p;
    if (p >= c->end || *p != '"') {
        const char *scan = p;
        while (scan < c->end && *scan != ',' && *scan != '\n' && *scan != '\r')
            scan++;
        c->p = scan;
        return arena_strndup(arena, p, (size_t)(scan - p));
    }
    const char *close = p + 1; /* find the closing quote: "" is a quote inside */
    while (close < c->end && !(*close == '"' && (close + 1 >= c->end || close[1] != '"')))
        close += *close == '"' ? 2 : 1;
    char *out = arena_alloc(arena, (size_t)(close - p) + 1);
    if (out == NULL)
        return NULL;
    size_t w = 0;
    for (p++; p < close; p++) {
        if (*p == '"')
            p++; /* the first of a doubled quote */
        if (*p == '\n')
            c->line++;
        out[w++] = *p;
    }
    out[w] = '\0';
    if (close >= c->end) {
        *bad = true;
        c->p = c->end;
        return out;
    }
    p = close + 1;
    if (p < c->end && *p != ',' && *p != '\n' && *p != '\r')
        *bad = true; /* text after the closing quote */
    while (p < c->end && *p != ',' && *p != '\n' && *p != '\r')
        p++;
    c->p = p;
    return out;
}

/* The next record; false at the end. */
static bool next_record(struct cursor *c, struct arena *arena, struct record *r, bool *bad, bool *oom)
{
    memset(r, 0, sizeof(*r));
    *bad = false;
    if (c->p >= c->end)
        return false;
    r->line = c->line;
    for (;;) {
        char *field = read_field(c, arena, bad);
        if (field == NULL) {
            *oom = true;
            return false;
        }
        if (r->field_count < FIELDS_MAX)
            r->fields[r->field_count++] = field;
        else
            r->too_many = true;
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            continue;
        }
        break;
    }
    if (c->p < c->end && *c->p == '\r')
        c->p++;
    if (c->p < c->end && *c->p == '\n')
        c->p++;
    c->line++;
    return true;
}

static void trim(char *s)
{
    size_t len = strlen(s), start = 0;
    while (start < len && (s[start] == ' ' || s[start] == '\t'))
        start++;
    while (len > start && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    memmove(s, s + start, len - start);
    s[len - start] = '\0';
}

static bool same_word(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        if (x != *b && !(x == ' ' && *b == '_'))
            return false;
    }
    return *a == '\0' && *b == '\0';
}

static bool is_header(const struct record *r)
{
    return r->field_count >= 2 && same_word(r->fields[0], "name") && same_word(r->fields[1], "email");
}

static bool has_control(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

/* The problem with a record, or NULL when it is a good row (filled). */
static const char *check_record(const struct record *r, struct school_csv_row *row)
{
    if (r->too_many || r->field_count > 3)
        return "too many fields: give name, email and graduation year";
    if (r->field_count < 2)
        return "give name, email and graduation year, separated by commas";
    const char *name = r->fields[0], *email = r->fields[1], *year = r->field_count > 2 ? r->fields[2] : "";
    size_t chars = utf8_count(name, strlen(name));
    if (chars == 0)
        return "the name is empty";
    if (chars > ACCOUNT_NAME_MAX_CHARS)
        return "the name is longer than " LIMIT_TEXT(ACCOUNT_NAME_MAX_CHARS) " characters";
    if (has_control(name))
        return "the name holds a control character";
    for (char *e = (char *)email; *e != '\0'; e++)
        if (*e >= 'A' && *e <= 'Z')
            *e = (char)(*e - 'A' + 'a');
    if (email[0] == '\0')
        return "the email is empty";
    if (!json_email_valid(email))
        return "the email is not valid";
    int64_t y = 0;
    for (const char *d = year; *d != '\0'; d++) {
        if (*d < '0' || *d > '9' || y > GRADUATION_YEAR_MAX)
            return "the graduation year is not a year (" LIMIT_TEXT(GRADUATION_YEAR_MIN) " to " LIMIT_TEXT(
                GRADUATION_YEAR_MAX) ")";
        y = y * 10 + (*d - '0');
    }
    if (year[0] != '\0' && (y < GRADUATION_YEAR_MIN || y > GRADUATION_YEAR_MAX))
        return "the graduation year is not a year (" LIMIT_TEXT(GRADUATION_YEAR_MIN) " to " LIMIT_TEXT(
            GRADUATION_YEAR_MAX) ")";
    row->name = name;
    row->email = email;
    row->graduation_year = y;
    return NULL;
}

static int add_problem(struct arena *arena, struct school_csv *out, size_t *capacity, uint32_t line,
                       const char *message)
{
    if (push(arena, (void **)&out->problems, &out->problem_count, capacity, sizeof(*out->problems)) != 0)
        return -1;
    out->problems[out->problem_count - 1] = (struct school_csv_problem){.line = line, .message = message};
    return 0;
}

/* A good row, unless its email came earlier in the file. */
static int add_row(struct arena *arena, struct school_csv *out, size_t *row_capacity, size_t *problem_capacity,
                   const struct school_csv_row *row)
{
    for (size_t i = 0; i < out->row_count; i++) {
        if (strcmp(out->rows[i].email, row->email) == 0) {
            char *message = arena_alloc(arena, 64);
            if (message == NULL)
                return -1;
            snprintf(message, 64, "the same email as line %u", out->rows[i].line);
            return add_problem(arena, out, problem_capacity, row->line, message);
        }
    }
    if (push(arena, (void **)&out->rows, &out->row_count, row_capacity, sizeof(*out->rows)) != 0)
        return -1;
    out->rows[out->row_count - 1] = *row;
    return 0;
}

int school_csv_parse(const char *text, size_t len, struct arena *arena, struct school_csv *out, struct error *err)
{
    memset(out, 0, sizeof(*out));
    if (len > SCHOOL_INVITE_MAX_BYTES)
        return error_set(err, ERR_PAYLOAD_TOO_LARGE, "file", "the file is larger than 1 MiB");
    if (text == NULL || !utf8_valid(text, len) || memchr(text, '\0', len) != NULL)
        return error_set(err, ERR_VALIDATION_FAILED, "file", "the file is not UTF-8 text: save it as CSV (UTF-8)");
    struct cursor c = {text, text + len, 1};
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        c.p += 3;
    size_t row_capacity = 0, problem_capacity = 0;
    bool first = true, bad = false, oom = false;
    struct record r;
    while (next_record(&c, arena, &r, &bad, &oom)) {
        bool empty = r.field_count == 1 && r.fields[0][0] == '\0' && !bad;
        if (empty)
            continue;
        for (size_t i = 0; i < r.field_count; i++)
            trim(r.fields[i]);
        if (first && is_header(&r) && !bad) {
            first = false;
            continue;
        }
        first = false;
        if (++out->lines > SCHOOL_INVITE_MAX_ROWS)
            return error_set(err, ERR_VALIDATION_FAILED, "file",
                             "the file has more than " LIMIT_TEXT(SCHOOL_INVITE_MAX_ROWS) " students: split it");
        struct school_csv_row row = {.line = r.line};
        const char *problem = bad ? "a quote is not closed where the field ends" : check_record(&r, &row);
        int rc = problem != NULL ? add_problem(arena, out, &problem_capacity, r.line, problem)
                                 : add_row(arena, out, &row_capacity, &problem_capacity, &row);
        if (rc != 0)
            return error_set(err, ERR_INTERNAL, NULL, NULL);
    }
    if (oom)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    if (out->lines == 0)
        return error_set(err, ERR_VALIDATION_FAILED, "file", "the file has no students in it");
    return 0;
}
