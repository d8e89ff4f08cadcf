/* log.h — logfmt lines on stderr: "ts=… level=info msg=… key=value".
 *
 * Never log passwords, tokens, document content or a student's personal data
 * (names, emails): log ids instead. */
#ifndef ROUNDS_LIB_LOG_H
#define ROUNDS_LIB_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
/* fmt continues the line after "ts=… level=…", e.g. "msg=listening addr=%s". */
void log_write(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The line of one answered request (level info): "req_id=… method=… path=…
 * status=… dur_ms=12.34", its duration in hundredths of a millisecond; the
 * caller makes path safe to log. Built without printf: every request writes
 * one, and formatting it with printf cost ~3,000 instructions of a signed-in
 * GET /api/v1/me's ~27,000. */
void log_request(const char *request_id, const char *method, const char *path, int status,
                 unsigned long long hundredths_ms);

/* Lines of level error asked for so far, written or not (the whole-request
 * fuzz target fails on any: each one is our own bug). */
unsigned long log_error_count(void);

#define log_debug(...) log_write(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_write(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_write(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_write(LOG_ERROR, __VA_ARGS__)

#endif
