/* text.c — the one text check; see text.h. */
#include "lib/text.h"

#include "lib/utf8.h"

static bool is_bidi_control(unsigned cp)
{
    return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

enum text_fault text_check(const char *s, size_t len, enum text_lines lines)
{
    if (s == NULL)
        return TEXT_OK;
    if (!utf8_valid(s, len))
        return TEXT_NOT_UTF8;
    bool multi = lines == TEXT_MULTI_LINE;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c == '\n' || c == '\r') {
                if (!multi)
                    return TEXT_LINE_BREAK;
            } else if (c == '\t') {
                if (!multi)
                    return TEXT_CONTROL;
            } else if (c < 0x20 || c == 0x7f) {
                return TEXT_CONTROL;
            }
            i++;
            continue;
        }
        unsigned cp = 0;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return TEXT_NOT_UTF8;
        if (cp >= 0x80 && cp <= 0x9f)
            return TEXT_CONTROL;
        if (is_bidi_control(cp))
            return TEXT_BIDI;
        if ((cp == 0x2028 || cp == 0x2029) && !multi)
            return TEXT_LINE_BREAK;
        i += n;
    }
    return TEXT_OK;
}

const char *text_fault_detail(enum text_fault fault)
{
    switch (fault) {
    case TEXT_OK:
        return "is fine";
    case TEXT_NOT_UTF8:
        return "is not valid UTF-8";
    case TEXT_CONTROL:
        return "must not contain control characters";
    case TEXT_LINE_BREAK:
        return "must be on one line";
    case TEXT_BIDI:
        return "must not contain bidirectional control characters";
    }
    return "is not valid text";
}
