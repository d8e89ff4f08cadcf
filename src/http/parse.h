/* parse.h — Rounds' own small parsers for what h2o leaves to the application:
 * query strings, application/x-www-form-urlencoded bodies and Cookie headers.
 *
 * They are pure functions over bytes (no h2o), allocate only from the given
 * arena, and refuse malformed input instead of guessing. Each has a libFuzzer
 * target in tests/fuzz/. */
#ifndef ROUNDS_HTTP_PARSE_H
#define ROUNDS_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"

struct http_kv {
    const char *name;   /* decoded, NUL-terminated */
    const char *value;  /* decoded, NUL-terminated */
    size_t value_len;
};

struct http_kv_list {
    struct http_kv *items;
    size_t count;
};

enum http_parse_status {
    HTTP_PARSE_OK = 0,
    HTTP_PARSE_MALFORMED = -1,   /* bad escape, NUL byte, invalid UTF-8, empty name, bad cookie syntax */
    HTTP_PARSE_TOO_MANY = -2,    /* more than max_pairs pairs */
    HTTP_PARSE_NO_MEMORY = -3,
};

/* Both parsers read exactly len bytes of input (which need not be
 * NUL-terminated; NULL is fine when len is 0) and return HTTP_PARSE_OK with
 * *out filled, or another status with *out set to { NULL, 0 }. Empty input
 * gives OK with count 0 and items NULL. Pairs are counted before anything is
 * decoded, so more than max_pairs is refused cheaply. Results live in arena. */

/* Parses "a=1&b=x+y&c=%C3%A9" (a query string without the '?', or a form body).
 * '+' is a space, %XX is decoded (a '%' not followed by two hex digits is
 * malformed); a pair without '=' has an empty value; empty segments
 * ("a=1&&b=2") are skipped and do not count against max_pairs. Names and
 * values must decode to valid UTF-8 without NUL bytes or other control
 * characters (C0, DEL, C1) except tab, CR and LF in values. Repeated names are
 * kept in order. Only '&' separates pairs (not ';'). */
enum http_parse_status http_parse_urlencoded(struct arena *arena, const char *input, size_t len, size_t max_pairs,
                                             struct http_kv_list *out);

/* Parses a Cookie header ("a=1; b=2"), RFC 6265 section 4.2.1 syntax. Values
 * are not percent-decoded; a value may be wrapped in double quotes, which are
 * removed. A pair with no '=' or an empty name is malformed, as is a name that
 * is not a token or a value with a byte outside cookie-octet (space, '"', ',',
 * '\', controls, non-ASCII). Leniencies: spaces and tabs around ';' and at the
 * ends are ignored, and empty segments ("a=1;", "a=1; ; b=2") are skipped. One
 * malformed pair fails the whole header. */
enum http_parse_status http_parse_cookies(struct arena *arena, const char *input, size_t len, size_t max_pairs,
                                          struct http_kv_list *out);

/* The request line of an HTTP/1.x request ("GET /metrics?x HTTP/1.1\r\n…",
 * RFC 9112 section 3), for the metrics listener, which speaks plain HTTP/1.x
 * without h2o. Copies the method (a token) and the path (without the query,
 * visible ASCII, starting with '/') into the given buffers; false when the
 * line is malformed, does not end in CRLF within len, names another protocol
 * version, or a part does not fit. */
bool http_parse_request_line(const char *input, size_t len, char *method, size_t method_size, char *path,
                             size_t path_size);

/* RFC 9110 tchar: the characters of a token (header and parameter names,
 * cookie names, unquoted parameter values). */
bool http_is_tchar(unsigned char c);

/* ---- multipart/form-data (RFC 7578) ---- */

struct http_part {
    const char *name;          /* from Content-Disposition: form-data; name="…" (NUL-terminated copy) */
    const char *filename;      /* filename="…" as sent (copy), or NULL when the part is not a file */
    const char *content_type;  /* the part's Content-Type (copy, parameters kept), or NULL when absent */
    const char *data;          /* the part's bytes: points into the body, not NUL-terminated */
    size_t len;
};

struct http_part_list {
    struct http_part *items;
    size_t count;
};

/* Finds the boundary parameter of a "multipart/form-data; boundary=…" media
 * type (quoted or not, 1–70 characters as RFC 2046 allows) into out. Returns
 * false when the type is not multipart/form-data or has no valid boundary. */
bool http_multipart_boundary(const char *content_type, char *out, size_t out_size);

/* Parses a multipart/form-data body of len bytes with the given boundary.
 * Each part needs a Content-Disposition: form-data header with a name; part
 * headers are at most 8 KiB in all per part; header names are matched
 * case-insensitively, other part headers are ignored. A preamble before the
 * first delimiter is skipped; the body must end with the close delimiter
 * ("--boundary--"), after which an epilogue is ignored. Names and filenames
 * must be valid UTF-8 without control characters. More than max_parts parts
 * → HTTP_PARSE_TOO_MANY; anything else malformed (missing close delimiter,
 * bad header line, missing name) → HTTP_PARSE_MALFORMED. A body that is only
 * the close delimiter (a form without fields) gives OK with count 0. */
enum http_parse_status http_parse_multipart(struct arena *arena, const char *body, size_t len, const char *boundary,
                                            size_t max_parts, struct http_part_list *out);

/* The first part named name, or NULL; list may be NULL. */
const struct http_part *http_part_get(const struct http_part_list *list, const char *name);

/* The first value named name (exact, case-sensitive), or NULL; list may be
 * NULL. */
const char *http_kv_get(const struct http_kv_list *list, const char *name);
/* How many pairs are named name. */
size_t http_kv_count(const struct http_kv_list *list, const char *name);

/* Whether an If-None-Match value (entity tags separated by commas, or "*")
 * names etag (a quoted strong tag); weak tags compare by their opaque part,
 * as RFC 9110 asks for GET. */
bool http_etag_listed(const char *if_none_match, const char *etag);
/* Whether an Accept-Encoding value (NULL: none) takes gzip: listed, and
 * not with a weight of 0. */
bool http_accepts_gzip(const char *accept_encoding);

#endif
