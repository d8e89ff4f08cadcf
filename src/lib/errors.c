/* errors.c — lookups into the error table of errors.h. */
#include "lib/errors.h"

#include <ctype.h>
#include <stddef.h>

static const int statuses[] = {
#define ERROR_STATUS(name, status, title) status,
    ERROR_TABLE(ERROR_STATUS)
#undef ERROR_STATUS
};

static const char *const titles[] = {
#define ERROR_TITLE(name, status, title) title,
    ERROR_TABLE(ERROR_TITLE)
#undef ERROR_TITLE
};

/* "ERR_BLOCK_FULL" → "block_full", computed once at first use. */
static const char *const enum_names[] = {
#define ERROR_NAME(name, status, title) #name,
    ERROR_TABLE(ERROR_NAME)
#undef ERROR_NAME
};
static char code_names[ERR_REPLY_COUNT][40];

static const enum error_code outcome_parents[] = {
#define ERROR_PARENT(name, parent) parent,
    ERROR_OUTCOME_TABLE(ERROR_PARENT)
#undef ERROR_PARENT
};

static void build_code_names(void)
{
    for (int i = 0; i < ERR_REPLY_COUNT; i++) {
        const char *src = enum_names[i] + 4; /* skip "ERR_" */
        size_t j = 0;
        for (; src[j] != '\0' && j + 1 < sizeof(code_names[i]); j++)
            code_names[i][j] = (char)tolower((unsigned char)src[j]);
        code_names[i][j] = '\0';
    }
}

__attribute__((constructor)) static void errors_init(void)
{
    build_code_names();
}

enum error_code error_reply_code(enum error_code code)
{
    if (code > ERR_REPLY_COUNT && code < ERR_COUNT)
        return outcome_parents[code - ERR_REPLY_COUNT - 1];
    return code < ERR_REPLY_COUNT ? code : ERR_INTERNAL;
}

int error_status(enum error_code code)
{
    return statuses[error_reply_code(code)];
}

const char *error_name(enum error_code code)
{
    return code_names[error_reply_code(code)];
}

const char *error_title(enum error_code code)
{
    return titles[error_reply_code(code)];
}
