/* cmd_progress.c — progress of long subcommands (seed, import, match) on a
 * terminal: one line on standard error, redrawn in place, or the phases of the
 * work. When standard error is not a terminal nothing is written, so that what
 * scripts and tests read stays the same. */
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "commands.h"
#include "lib/clock.h"

const char *command_with_commas(int64_t n, char out[32])
{
    char digits[24];
    int len = snprintf(digits, sizeof(digits), "%" PRId64, n < 0 ? -n : n);
    size_t used = 0;
    if (n < 0)
        out[used++] = '-';
    for (int i = 0; i < len && used + 2 < 32; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[used++] = ',';
        out[used++] = digits[i];
    }
    out[used] = '\0';
    return out;
}

void command_progress_start(struct command_progress *p, const char *unit)
{
    command_progress_start_on(p, isatty(STDERR_FILENO) == 1 ? stderr : NULL, unit);
}

void command_progress_start_on(struct command_progress *p, FILE *out, const char *unit)
{
    *p = (struct command_progress){.out = out, .unit = unit, .started_ms = clock_monotonic_ms(), .shown_permille = -1};
}

/* "[########............]  42%  420,000/1,000,000 offerings  55,000/s", redrawn
 * only when a tenth of a percent has passed. */
void command_progress_show(void *ctx, int64_t done, int64_t total)
{
    struct command_progress *p = ctx;
    if (p->out == NULL || total <= 0)
        return;
    int64_t shown = done < 0 ? 0 : done > total ? total : done;
    int permille = (int)(shown * 1000 / total);
    if (permille == p->shown_permille)
        return;
    p->shown_permille = permille;
    enum { WIDTH = 30 };
    char bar[WIDTH + 1];
    int filled = permille * WIDTH / 1000;
    for (int i = 0; i < WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[WIDTH] = '\0';
    double seconds = (clock_monotonic_ms() - p->started_ms) / 1000.0;
    char done_text[32], total_text[32], rate_text[32];
    command_with_commas(shown, done_text);
    command_with_commas(total, total_text);
    command_with_commas(seconds > 0 ? (int64_t)((double)shown / seconds) : 0, rate_text);
    fprintf(p->out, "\r[%s] %3d%%  %s/%s %s  %s/s ", bar, permille / 10, done_text, total_text, p->unit, rate_text);
    fflush(p->out);
    p->line_shown = true;
}

void command_progress_end(struct command_progress *p)
{
    if (p->out != NULL && p->line_shown) {
        fputs("\r\033[K", p->out);
        fflush(p->out);
    }
    p->shown_permille = -1;
    p->line_shown = false;
}

void command_phase_begin(struct command_progress *p, const char *what)
{
    p->phase_ms = clock_monotonic_ms();
    if (p->out == NULL)
        return;
    fprintf(p->out, "\r\033[K%s…", what);
    fflush(p->out);
    p->line_shown = true;
}

void command_phase_end(struct command_progress *p, const char *done)
{
    if (p->out == NULL)
        return;
    fprintf(p->out, "\r\033[K%s (%.0f ms)\n", done, clock_monotonic_ms() - p->phase_ms);
    fflush(p->out);
    p->line_shown = false;
}
