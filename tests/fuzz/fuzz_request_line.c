/* fuzz_request_line.c — libFuzzer target for http_parse_request_line(), the
 * request line the metrics listener reads without h2o.
 *
 * On success: the method is a non-empty token, the path starts with '/',
 * holds only visible ASCII and no '?', both fit their buffers, and the input
 * begins with them as parsed. Small buffers must refuse rather than
 * truncate. A violation traps. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *input = (const char *)data;
    char method[16], path[256];
    if (http_parse_request_line(input, size, method, sizeof(method), path, sizeof(path))) {
        size_t m = strlen(method), p = strlen(path);
        check(m > 0 && m < sizeof(method) && p > 0 && p < sizeof(path) && path[0] == '/');
        for (size_t i = 0; i < m; i++)
            check(http_is_tchar((unsigned char)method[i]));
        for (size_t i = 0; i < p; i++)
            check(path[i] > 0x20 && path[i] < 0x7f && path[i] != '?');
        check(size > m + 1 + p && memcmp(input, method, m) == 0 && input[m] == ' ' &&
              memcmp(input + m + 1, path, p) == 0);
        /* A path buffer one byte too small refuses. */
        char small[256];
        check(!http_parse_request_line(input, size, method, sizeof(method), small, p));
    }
    return 0;
}
