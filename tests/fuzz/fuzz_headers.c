/* fuzz_headers.c — libFuzzer target for the header values the reply cache
 * reads: If-None-Match (http_etag_listed) and Accept-Encoding
 * (http_accepts_gzip).
 *
 * The input is a header value. Checks: no crash or read past the end; a value
 * that is exactly the tag, the tag after a comma, or "*" always matches; a
 * tag never matches a value that does not contain it (unless "*"); gzip is
 * taken only when "gzip" appears, and always when the value is just "gzip". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *value = malloc(size + 1);
    check(value != NULL);
    memcpy(value, data, size);
    value[size] = '\0';
    static const char etag[] = "\"0123456789abcdef\"";
    bool listed = http_etag_listed(value, etag);
    check(!listed || strstr(value, etag) != NULL || strchr(value, '*') != NULL);
    /* The value with the tag appended after a comma always names it. */
    char *with = malloc(size + sizeof(etag) + 2);
    check(with != NULL);
    memcpy(with, value, strlen(value));
    with[strlen(value)] = ',';
    memcpy(with + strlen(value) + 1, etag, sizeof(etag));
    check(http_etag_listed(with, etag));
    check(http_etag_listed(etag, etag) && http_etag_listed("*", etag));
    bool gzip = http_accepts_gzip(value);
    check(!gzip || strcasestr(value, "gzip") != NULL);
    check(http_accepts_gzip("gzip") && !http_accepts_gzip(NULL) && !http_accepts_gzip("gzip;q=0"));
    free(with);
    free(value);
    return 0;
}
