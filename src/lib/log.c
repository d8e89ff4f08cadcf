/* log.c — one logfmt line per call, written with a single write(2) so that
 * lines from several threads never interleave. */
#include "lib/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
static atomic_ulong error_lines;

void log_set_level(enum log_level level)
{
    min_level = level;
}

unsigned long log_error_count(void)
{
    return atomic_load_explicit(&error_lines, memory_order_relaxed);
}

/* "ts=2026-12-05T05:34:09" for the second t, formatted once a second per
 * thread: every request writes a line, and strftime costs more than the rest
 * of its prefix. */
static size_t timestamp_prefix(time_t t, char *out)
{
    static _Thread_local time_t cached_second = (time_t)-1;
    static _Thread_local char cached[32];
    static _Thread_local size_t cached_len;
    if (t != cached_second) {
        struct tm tm;
        gmtime_r(&t, &tm);
        cached_len = strftime(cached, sizeof(cached), "ts=%Y-%m-%dT%H:%M:%S", &tm);
        cached_second = t;
    }
    memcpy(out, cached, cached_len);
    return cached_len;
}

enum { LOG_LINE_MAX = 2048 };

/* Appends s (or its start, up to the line's end) at line + *n. */
static void append(char *line, size_t *n, const char *s)
{
    while (*s != '\0' && *n < LOG_LINE_MAX - 2)
        line[(*n)++] = *s++;
}

/* "ts=… level=… " at the start of line; its length. */
static size_t line_start(enum log_level level, char *line)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    struct timeval tv;
    gettimeofday(&tv, NULL);
    size_t n = timestamp_prefix(tv.tv_sec, line);
    int ms = (int)(tv.tv_usec / 1000);
    line[n++] = '.';
    line[n++] = (char)('0' + ms / 100);
    line[n++] = (char)('0' + ms / 10 % 10);
    line[n++] = (char)('0' + ms % 10);
    append(line, &n, "Z level=");
    append(line, &n, names[level]);
    append(line, &n, " ");
    return n;
}

/* Ends the line (cut to fit) and writes it with one write(2). */
static void line_end(char *line, size_t n)
{
    if (n > LOG_LINE_MAX - 2)
        n = LOG_LINE_MAX - 2;
    line[n++] = '\n';
    ssize_t ignored = write(STDERR_FILENO, line, n);
    (void)ignored;
}

void log_write(enum log_level level, const char *fmt, ...)
{
    if (level == LOG_ERROR)
        atomic_fetch_add_explicit(&error_lines, 1, memory_order_relaxed);
    if (level < min_level)
        return;
    char line[LOG_LINE_MAX];
    size_t n = line_start(level, line);
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    line_end(line, n + (size_t)k);
}

/* Appends the decimal digits of v (at least min_digits of them). */
static void append_uint(char *line, size_t *n, unsigned long long v, int min_digits)
{
    char digits[24];
    int count = 0;
    do {
        digits[count++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 || count < min_digits);
    while (count > 0 && *n < LOG_LINE_MAX - 2)
        line[(*n)++] = digits[--count];
}

void log_request(const char *request_id, const char *method, const char *path, int status,
                 unsigned long long hundredths_ms)
{
    if (LOG_INFO < min_level)
        return;
    char line[LOG_LINE_MAX];
    size_t n = line_start(LOG_INFO, line);
    append(line, &n, "req_id=");
    append(line, &n, request_id);
    append(line, &n, " method=");
    append(line, &n, method);
    append(line, &n, " path=");
    append(line, &n, path);
    append(line, &n, " status=");
    append_uint(line, &n, status > 0 ? (unsigned)status : 0, 1);
    append(line, &n, " dur_ms=");
    append_uint(line, &n, hundredths_ms / 100, 1);
    append(line, &n, ".");
    append_uint(line, &n, hundredths_ms % 100, 2);
    line_end(line, n);
}
