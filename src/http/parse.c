/* parse.c — query strings, form bodies and Cookie headers; see parse.h.
 *
 * Both parsers make two passes: the first counts the pairs (so that too many
 * pairs are refused before anything is allocated and the item array is
 * allocated once), the second splits, decodes and validates them. Separators
 * ('&', ';') can never appear inside an undecoded pair, so splitting first is
 * exact. Every read is bounded by len; the input need not be NUL-terminated. */
#include "http/parse.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/utf8.h"

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Valid UTF-8 without C0 controls (NUL included), DEL or C1 controls
 * (U+0080..U+009F); allow_whitespace admits tab, CR and LF. */
static bool text_acceptable(const char *s, size_t len, bool allow_whitespace)
{
    if (!utf8_valid(s, len))
        return false;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = u[i];
        if (c < 0x20 || c == 0x7f) {
            if (allow_whitespace && (c == '\t' || c == '\r' || c == '\n'))
                continue;
            return false;
        }
        /* C1 controls are C2 80..C2 9F; validity guarantees u[i + 1] exists. */
        if (c == 0xc2 && u[i + 1] <= 0x9f)
            return false;
    }
    return true;
}

/* Decodes one urlencoded component into a fresh NUL-terminated arena string. */
static enum http_parse_status decode_component(struct arena *arena, const char *src, size_t len, bool is_value,
                                               const char **out, size_t *out_len)
{
    char *dst = arena_alloc(arena, len + 1);
    if (dst == NULL)
        return HTTP_PARSE_NO_MEMORY;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (len - i < 3)
                return HTTP_PARSE_MALFORMED;
            int hi = hex_value((unsigned char)src[i + 1]);
            int lo = hex_value((unsigned char)src[i + 2]);
            if (hi < 0 || lo < 0)
                return HTTP_PARSE_MALFORMED;
            c = (unsigned char)(hi << 4 | lo);
            i += 2;
        }
        dst[n++] = (char)c;
    }
    dst[n] = '\0';
    if (!text_acceptable(dst, n, is_value))
        return HTTP_PARSE_MALFORMED;
    *out = dst;
    *out_len = n;
    return HTTP_PARSE_OK;
}

/* The index of the first separator at or after start, or len. */
static size_t segment_end(const char *input, size_t len, size_t start, char separator)
{
    const char *sep = memchr(input + start, separator, len - start);
    return sep != NULL ? (size_t)(sep - input) : len;
}

enum http_parse_status http_parse_urlencoded(struct arena *arena, const char *input, size_t len, size_t max_pairs,
                                             struct http_kv_list *out)
{
    enum http_parse_status status = HTTP_PARSE_OK;
    struct http_kv *items = NULL;
    size_t pairs = 0, count = 0;

    for (size_t start = 0; start < len;) {
        size_t end = segment_end(input, len, start, '&');
        if (end > start)
            pairs++;
        start = end + 1;
    }
    if (pairs == 0)
        goto out;
    if (pairs > max_pairs) {
        status = HTTP_PARSE_TOO_MANY;
        goto out;
    }
    items = arena_calloc(arena, pairs, sizeof(*items));
    if (items == NULL) {
        status = HTTP_PARSE_NO_MEMORY;
        goto out;
    }

    for (size_t start = 0; start < len;) {
        size_t end = segment_end(input, len, start, '&');
        if (end > start) {
            const char *seg = input + start;
            size_t seg_len = end - start;
            const char *eq = memchr(seg, '=', seg_len);
            size_t name_len = eq != NULL ? (size_t)(eq - seg) : seg_len;
            size_t name_decoded_len;
            if (name_len == 0) {
                status = HTTP_PARSE_MALFORMED;
                goto out;
            }
            status = decode_component(arena, seg, name_len, false, &items[count].name, &name_decoded_len);
            if (status != HTTP_PARSE_OK)
                goto out;
            if (eq != NULL)
                status = decode_component(arena, eq + 1, seg_len - name_len - 1, true, &items[count].value,
                                          &items[count].value_len);
            else
                status = decode_component(arena, seg, 0, true, &items[count].value, &items[count].value_len);
            if (status != HTTP_PARSE_OK)
                goto out;
            count++;
        }
        start = end + 1;
    }

out:
    out->items = status == HTTP_PARSE_OK ? items : NULL;
    out->count = status == HTTP_PARSE_OK ? count : 0;
    return status;
}

static bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

bool http_is_tchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

/* RFC 6265 cookie-octet: printable US-ASCII except space, '"', ',', ';' and '\'. */
static bool is_cookie_octet(unsigned char c)
{
    return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
           (c >= 0x5d && c <= 0x7e);
}

/* Narrows [*start, *end) to drop leading and trailing spaces and tabs. */
static void trim_ows(const char *input, size_t *start, size_t *end)
{
    while (*start < *end && is_ows(input[*start]))
        (*start)++;
    while (*end > *start && is_ows(input[*end - 1]))
        (*end)--;
}

enum http_parse_status http_parse_cookies(struct arena *arena, const char *input, size_t len, size_t max_pairs,
                                          struct http_kv_list *out)
{
    enum http_parse_status status = HTTP_PARSE_OK;
    struct http_kv *items = NULL;
    size_t pairs = 0, count = 0;

    for (size_t start = 0; start < len;) {
        size_t end = segment_end(input, len, start, ';');
        size_t next = end + 1;
        trim_ows(input, &start, &end);
        if (end > start)
            pairs++;
        start = next;
    }
    if (pairs == 0)
        goto out;
    if (pairs > max_pairs) {
        status = HTTP_PARSE_TOO_MANY;
        goto out;
    }
    items = arena_calloc(arena, pairs, sizeof(*items));
    if (items == NULL) {
        status = HTTP_PARSE_NO_MEMORY;
        goto out;
    }

    for (size_t start = 0; start < len;) {
        size_t end = segment_end(input, len, start, ';');
        size_t next = end + 1;
        trim_ows(input, &start, &end);
        if (end > start) {
            const char *seg = input + start;
            size_t seg_len = end - start;
            const char *eq = memchr(seg, '=', seg_len);
            if (eq == NULL || eq == seg) {
                status = HTTP_PARSE_MALFORMED;
                goto out;
            }
            size_t name_len = (size_t)(eq - seg);
            for (size_t i = 0; i < name_len; i++) {
                if (!http_is_tchar((unsigned char)seg[i])) {
                    status = HTTP_PARSE_MALFORMED;
                    goto out;
                }
            }
            const char *value = eq + 1;
            size_t value_len = seg_len - name_len - 1;
            if (value_len >= 2 && value[0] == '"' && value[value_len - 1] == '"') {
                value++;
                value_len -= 2;
            }
            for (size_t i = 0; i < value_len; i++) {
                if (!is_cookie_octet((unsigned char)value[i])) {
                    status = HTTP_PARSE_MALFORMED;
                    goto out;
                }
            }
            items[count].name = arena_strndup(arena, seg, name_len);
            items[count].value = arena_strndup(arena, value, value_len);
            items[count].value_len = value_len;
            if (items[count].name == NULL || items[count].value == NULL) {
                status = HTTP_PARSE_NO_MEMORY;
                goto out;
            }
            count++;
        }
        start = next;
    }

out:
    out->items = status == HTTP_PARSE_OK ? items : NULL;
    out->count = status == HTTP_PARSE_OK ? count : 0;
    return status;
}

const char *http_kv_get(const struct http_kv_list *list, const char *name)
{
    if (list == NULL || name == NULL)
        return NULL;
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i].name, name) == 0)
            return list->items[i].value;
    return NULL;
}

size_t http_kv_count(const struct http_kv_list *list, const char *name)
{
    size_t n = 0;
    if (list == NULL || name == NULL)
        return 0;
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i].name, name) == 0)
            n++;
    return n;
}

bool http_etag_listed(const char *if_none_match, const char *etag)
{
    size_t n = strlen(etag);
    for (const char *p = if_none_match; p != NULL && *p != '\0';) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '*')
            return true;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        if (n > 0 && strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' || p[n] == ' ' || p[n] == '\t'))
            return true;
        p = strchr(p, ',');
    }
    return false;
}

bool http_accepts_gzip(const char *accept_encoding)
{
    const char *accept = accept_encoding;
    for (const char *p = accept != NULL ? strcasestr(accept, "gzip") : NULL; p != NULL; p = strcasestr(p + 4, "gzip")) {
        bool starts = p == accept || p[-1] == ' ' || p[-1] == ',' || p[-1] == '\t';
        const char *q = p + 4;
        while (*q == ' ' || *q == '\t')
            q++;
        if (!starts || (*q != '\0' && *q != ',' && *q != ';'))
            continue;
        if (*q != ';')
            return true;
        q++;
        while (*q == ' ' || *q == '\t')
            q++;
        if (strncasecmp(q, "q=", 2) != 0)
            return true;
        char *end = NULL;
        double weight = strtod(q + 2, &end);
        return end != q + 2 && weight > 0;
    }
    return false;
}

bool http_parse_request_line(const char *input, size_t len, char *method, size_t method_size, char *path,
                             size_t path_size)
{
    const char *end = input != NULL ? memchr(input, '\n', len) : NULL;
    if (end == NULL || end == input || end[-1] != '\r' || method_size == 0 || path_size == 0)
        return false;
    size_t line = (size_t)(end - 1 - input);
    size_t i = 0, m = 0;
    while (i < line && input[i] != ' ') {
        if (!http_is_tchar((unsigned char)input[i]) || m + 1 >= method_size)
            return false;
        method[m++] = input[i++];
    }
    method[m] = '\0';
    if (m == 0 || i >= line || input[i++] != ' ' || i >= line || input[i] != '/')
        return false;
    size_t p = 0;
    bool in_query = false;
    while (i < line && input[i] != ' ') {
        unsigned char c = (unsigned char)input[i++];
        if (c <= 0x20 || c >= 0x7f)
            return false;
        if (c == '?')
            in_query = true;
        if (in_query)
            continue;
        if (p + 1 >= path_size)
            return false;
        path[p++] = (char)c;
    }
    path[p] = '\0';
    static const char v10[] = " HTTP/1.0", v11[] = " HTTP/1.1";
    size_t rest = line - i;
    return rest == sizeof(v11) - 1 && (memcmp(input + i, v11, rest) == 0 || memcmp(input + i, v10, rest) == 0);
}
