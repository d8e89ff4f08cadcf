/* multipart.c — multipart/form-data bodies (RFC 7578 over RFC 2046); see parse.h.
 *
 * A body is framed by delimiters, CRLF "--" boundary, except that the first
 * one may open the body. After a delimiter comes either "--" (the close
 * delimiter: the rest is epilogue) or optional spaces and tabs, CRLF, and a
 * part: header lines, an empty line, then data up to the next delimiter (the
 * CRLF before "--" belongs to the delimiter, not to the data). RFC 2046 forbids
 * the delimiter as the start of any line inside a part, so a delimiter followed
 * by anything else ("--boundaryX") is refused rather than taken as data.
 *
 * Like parse.c it makes two passes: the first only walks the delimiters and
 * counts the parts (so that too many are refused before anything is parsed or
 * allocated), the second parses each part's headers. Part data is never
 * copied. Every read is bounded by len; the body need not be NUL-terminated. */
#include "http/parse.h"

#include <string.h>
#include <strings.h>

#include "lib/utf8.h"

enum {
    BOUNDARY_MAX = 70,          /* RFC 2046 */
    PART_HEADERS_MAX = 8 * 1024, /* the header lines of one part, CRLFs included */
};

static bool is_ows(unsigned char c)
{
    return c == ' ' || c == '\t';
}

/* RFC 2046 bcharsnospace. */
static bool is_boundary_char(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    switch (c) {
    case '\'': case '(': case ')': case '+': case '_': case ',': case '-': case '.':
    case '/': case ':': case '=': case '?':
        return true;
    default:
        return false;
    }
}

/* 1–70 boundary characters or spaces, not ending in a space. */
static bool boundary_valid(const char *s, size_t len)
{
    if (len == 0 || len > BOUNDARY_MAX || s[len - 1] == ' ')
        return false;
    for (size_t i = 0; i < len; i++)
        if (!is_boundary_char((unsigned char)s[i]) && s[i] != ' ')
            return false;
    return true;
}

/* Valid UTF-8 without C0 controls (NUL included), DEL or C1 controls. */
static bool text_acceptable(const char *s, size_t len)
{
    if (!utf8_valid(s, len))
        return false;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        if (u[i] < 0x20 || u[i] == 0x7f)
            return false;
        /* C1 controls are C2 80..C2 9F; validity guarantees u[i + 1] exists. */
        if (u[i] == 0xc2 && u[i + 1] <= 0x9f)
            return false;
    }
    return true;
}

static bool name_is(const char *s, size_t len, const char *name)
{
    return strlen(name) == len && strncasecmp(s, name, len) == 0;
}

/* A media type's parameters are "; name=value" with a token or a quoted
 * string (RFC 9110 section 5.6.6, quoted-pair allowed) as the value. The
 * boundary may also be unquoted with characters that are not tokens ('=',
 * '/', ':' …; some clients send them so): its value ends unambiguously at
 * ';' or whitespace. A repeated boundary parameter is refused. */
bool http_multipart_boundary(const char *content_type, char *out, size_t out_size)
{
    static const char type[] = "multipart/form-data";
    const char *boundary = NULL;
    size_t boundary_len = 0;

    if (out != NULL && out_size > 0)
        out[0] = '\0';
    if (content_type == NULL || out == NULL || out_size == 0)
        return false;
    const char *p = content_type;
    while (is_ows((unsigned char)*p))
        p++;
    if (strncasecmp(p, type, sizeof(type) - 1) != 0)
        return false;
    p += sizeof(type) - 1;
    for (;;) {
        while (is_ows((unsigned char)*p))
            p++;
        if (*p == '\0')
            break;
        if (*p != ';')
            return false;
        p++;
        while (is_ows((unsigned char)*p))
            p++;
        const char *name = p;
        while (http_is_tchar((unsigned char)*p))
            p++;
        size_t name_len = (size_t)(p - name);
        if (name_len == 0 || *p != '=')
            return false;
        p++;
        bool is_boundary = name_is(name, name_len, "boundary");
        const char *value = p;
        size_t value_len;
        if (*p == '"') {
            value = ++p;
            while (*p != '"') {
                unsigned char c = (unsigned char)*p;
                if (c == '\0' || (c < 0x20 && c != '\t') || c == 0x7f)
                    return false;
                if (c == '\\') {
                    if (is_boundary)
                        return false; /* no boundary character needs escaping */
                    p++;
                    if (*p == '\0')
                        return false;
                }
                p++;
            }
            value_len = (size_t)(p - value);
            p++;
        } else {
            while (is_boundary ? is_boundary_char((unsigned char)*p) : http_is_tchar((unsigned char)*p))
                p++;
            value_len = (size_t)(p - value);
            if (value_len == 0)
                return false;
        }
        if (is_boundary) {
            if (boundary != NULL || !boundary_valid(value, value_len))
                return false;
            boundary = value;
            boundary_len = value_len;
        }
    }
    if (boundary == NULL || boundary_len >= out_size)
        return false;
    memcpy(out, boundary, boundary_len);
    out[boundary_len] = '\0';
    return true;
}

/* The delimiter CRLF "--" boundary, and where the parser stands. */
struct framing {
    const char *body;
    size_t len;
    char delimiter[4 + BOUNDARY_MAX + 1];
    size_t delimiter_len;
    size_t pos;
};

/* Moves past the first delimiter, which may open the body or follow a
 * preamble and CRLF. */
static bool find_first_delimiter(struct framing *f)
{
    size_t dash_len = f->delimiter_len - 2;
    if (f->len >= dash_len && memcmp(f->body, f->delimiter + 2, dash_len) == 0) {
        f->pos = dash_len;
        return true;
    }
    const char *d = memmem(f->body, f->len, f->delimiter, f->delimiter_len);
    if (d == NULL)
        return false;
    f->pos = (size_t)(d - f->body) + f->delimiter_len;
    return true;
}

enum delimiter_kind { DELIMITER_BAD, DELIMITER_PART, DELIMITER_CLOSE };

/* Reads what follows a delimiter: "--" closes the body; optional spaces and
 * tabs then CRLF open a part (f->pos then is its first byte). */
static enum delimiter_kind after_delimiter(struct framing *f)
{
    if (f->len - f->pos >= 2 && f->body[f->pos] == '-' && f->body[f->pos + 1] == '-')
        return DELIMITER_CLOSE;
    while (f->pos < f->len && is_ows((unsigned char)f->body[f->pos]))
        f->pos++;
    if (f->len - f->pos >= 2 && f->body[f->pos] == '\r' && f->body[f->pos + 1] == '\n') {
        f->pos += 2;
        return DELIMITER_PART;
    }
    return DELIMITER_BAD;
}

/* The end of the part that starts at f->pos (where the next delimiter
 * begins); moves f->pos past that delimiter. */
static bool next_part(struct framing *f, size_t *start, size_t *end)
{
    const char *d = memmem(f->body + f->pos, f->len - f->pos, f->delimiter, f->delimiter_len);
    if (d == NULL)
        return false; /* no close delimiter */
    *start = f->pos;
    *end = (size_t)(d - f->body);
    f->pos = *end + f->delimiter_len;
    return true;
}

/* Content-Disposition: form-data; name="…"; filename="…". Quoted values end
 * at the next '"' with no escapes: browsers send '"' as %22 and keep
 * backslashes of Windows paths as they are. Parameters other than name and
 * filename (filename* included, which RFC 7578 says not to use) are ignored;
 * a repeated name or filename is refused. */
static enum http_parse_status parse_disposition(struct arena *arena, const char *v, size_t len, struct http_part *part)
{
    const char *name = NULL, *filename = NULL;
    size_t name_len = 0, filename_len = 0, i = 0;

    while (i < len && http_is_tchar((unsigned char)v[i]))
        i++;
    if (!name_is(v, i, "form-data"))
        return HTTP_PARSE_MALFORMED;
    for (;;) {
        while (i < len && is_ows((unsigned char)v[i]))
            i++;
        if (i == len)
            break;
        if (v[i] != ';')
            return HTTP_PARSE_MALFORMED;
        i++;
        while (i < len && is_ows((unsigned char)v[i]))
            i++;
        size_t key = i;
        while (i < len && http_is_tchar((unsigned char)v[i]))
            i++;
        size_t key_len = i - key;
        if (key_len == 0 || i == len || v[i] != '=')
            return HTTP_PARSE_MALFORMED;
        i++;
        size_t value, value_len;
        if (i < len && v[i] == '"') {
            value = ++i;
            const char *quote = memchr(v + i, '"', len - i);
            if (quote == NULL)
                return HTTP_PARSE_MALFORMED;
            i = (size_t)(quote - v);
            value_len = i - value;
            i++;
        } else {
            value = i;
            while (i < len && http_is_tchar((unsigned char)v[i]))
                i++;
            value_len = i - value;
            if (value_len == 0)
                return HTTP_PARSE_MALFORMED;
        }
        if (name_is(v + key, key_len, "name")) {
            if (name != NULL)
                return HTTP_PARSE_MALFORMED;
            name = v + value;
            name_len = value_len;
        } else if (name_is(v + key, key_len, "filename")) {
            if (filename != NULL)
                return HTTP_PARSE_MALFORMED;
            filename = v + value;
            filename_len = value_len;
        }
    }
    if (name == NULL || name_len == 0 || !text_acceptable(name, name_len))
        return HTTP_PARSE_MALFORMED;
    if (filename != NULL && !text_acceptable(filename, filename_len))
        return HTTP_PARSE_MALFORMED;
    part->name = arena_strndup(arena, name, name_len);
    if (part->name == NULL)
        return HTTP_PARSE_NO_MEMORY;
    if (filename != NULL) {
        part->filename = arena_strndup(arena, filename, filename_len);
        if (part->filename == NULL)
            return HTTP_PARSE_NO_MEMORY;
    }
    return HTTP_PARSE_OK;
}

/* One header line "Name: value" (no obs-fold, no control characters but
 * tab in the value); Content-Disposition and Content-Type are kept, once
 * each. The part's Content-Type must be printable ASCII. */
static enum http_parse_status parse_header(struct arena *arena, const char *line, size_t len, struct http_part *part,
                                           bool *have_disposition)
{
    size_t colon = 0;
    while (colon < len && http_is_tchar((unsigned char)line[colon]))
        colon++;
    if (colon == 0 || colon == len || line[colon] != ':')
        return HTTP_PARSE_MALFORMED;
    size_t start = colon + 1, end = len;
    for (size_t i = start; i < end; i++) {
        unsigned char c = (unsigned char)line[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return HTTP_PARSE_MALFORMED;
    }
    while (start < end && is_ows((unsigned char)line[start]))
        start++;
    while (end > start && is_ows((unsigned char)line[end - 1]))
        end--;

    if (name_is(line, colon, "content-disposition")) {
        if (*have_disposition)
            return HTTP_PARSE_MALFORMED;
        *have_disposition = true;
        return parse_disposition(arena, line + start, end - start, part);
    }
    if (name_is(line, colon, "content-type")) {
        if (part->content_type != NULL || end == start)
            return HTTP_PARSE_MALFORMED;
        for (size_t i = start; i < end; i++)
            if ((unsigned char)line[i] > 0x7e)
                return HTTP_PARSE_MALFORMED;
        part->content_type = arena_strndup(arena, line + start, end - start);
        return part->content_type != NULL ? HTTP_PARSE_OK : HTTP_PARSE_NO_MEMORY;
    }
    return HTTP_PARSE_OK;
}

/* Parses the part in body[start, end): header lines, an empty line, data.
 * Header lines that run into the delimiter are a part without data, which
 * RFC 2046 allows. */
static enum http_parse_status parse_part(struct arena *arena, const char *body, size_t start, size_t end,
                                         struct http_part *part)
{
    enum http_parse_status status;
    bool have_disposition = false;
    size_t pos = start;

    part->data = body + end;
    part->len = 0;
    while (pos < end) {
        size_t limit = start + PART_HEADERS_MAX < end ? start + PART_HEADERS_MAX : end;
        const char *crlf = pos < limit ? memmem(body + pos, limit - pos, "\r\n", 2) : NULL;
        if (crlf == NULL)
            return HTTP_PARSE_MALFORMED; /* unterminated, or over 8 KiB */
        size_t line_end = (size_t)(crlf - body);
        if (line_end == pos) {
            part->data = body + pos + 2;
            part->len = end - pos - 2;
            break;
        }
        status = parse_header(arena, body + pos, line_end - pos, part, &have_disposition);
        if (status != HTTP_PARSE_OK)
            return status;
        pos = line_end + 2;
    }
    return have_disposition ? HTTP_PARSE_OK : HTTP_PARSE_MALFORMED;
}

static bool framing_init(struct framing *f, const char *body, size_t len, const char *boundary)
{
    size_t boundary_len = boundary != NULL ? strnlen(boundary, BOUNDARY_MAX + 1) : 0;
    if (!boundary_valid(boundary, boundary_len))
        return false;
    f->body = body != NULL ? body : "";
    f->len = body != NULL ? len : 0;
    memcpy(f->delimiter, "\r\n--", 4);
    memcpy(f->delimiter + 4, boundary, boundary_len);
    f->delimiter_len = 4 + boundary_len;
    f->pos = 0;
    return true;
}

enum http_parse_status http_parse_multipart(struct arena *arena, const char *body, size_t len, const char *boundary,
                                            size_t max_parts, struct http_part_list *out)
{
    enum http_parse_status status = HTTP_PARSE_MALFORMED;
    struct http_part *items = NULL;
    struct framing f;
    size_t parts = 0, count = 0, start, end;
    enum delimiter_kind kind;

    if (!framing_init(&f, body, len, boundary) || !find_first_delimiter(&f))
        goto out;
    while ((kind = after_delimiter(&f)) == DELIMITER_PART) {
        if (!next_part(&f, &start, &end))
            goto out;
        if (++parts > max_parts) {
            status = HTTP_PARSE_TOO_MANY;
            goto out;
        }
    }
    if (kind != DELIMITER_CLOSE)
        goto out;
    status = HTTP_PARSE_OK;
    if (parts == 0)
        goto out;
    items = arena_calloc(arena, parts, sizeof(*items));
    if (items == NULL) {
        status = HTTP_PARSE_NO_MEMORY;
        goto out;
    }

    /* The same walk again, now that the framing is known to be sound. */
    f.pos = 0;
    find_first_delimiter(&f);
    while (count < parts && after_delimiter(&f) == DELIMITER_PART && next_part(&f, &start, &end)) {
        status = parse_part(arena, f.body, start, end, &items[count]);
        if (status != HTTP_PARSE_OK)
            goto out;
        count++;
    }

out:
    out->items = status == HTTP_PARSE_OK ? items : NULL;
    out->count = status == HTTP_PARSE_OK ? count : 0;
    return status;
}

const struct http_part *http_part_get(const struct http_part_list *list, const char *name)
{
    if (list == NULL || name == NULL)
        return NULL;
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i].name, name) == 0)
            return &list->items[i];
    return NULL;
}
