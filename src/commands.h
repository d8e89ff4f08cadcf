/* commands.h — the subcommands of `rounds` (one file each: cmd_*.c). Each
 * takes argv starting at its own name and returns the process exit code. */
#ifndef ROUNDS_COMMANDS_H
#define ROUNDS_COMMANDS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "store/db.h"

#define ROUNDS_VERSION "0.1.0"

void print_usage(FILE *out);
int command_version(int argc, char **argv);
int command_serve(int argc, char **argv);
int command_migrate(int argc, char **argv);
int command_user(int argc, char **argv);
int command_seed(int argc, char **argv);
int command_ledger(int argc, char **argv);
int command_match(int argc, char **argv);
int command_certificate(int argc, char **argv);
int command_backup(int argc, char **argv);
int command_restore(int argc, char **argv);
int command_export(int argc, char **argv);
int command_import(int argc, char **argv);

/* Opens the database and migrates it; prints why on failure and returns the
 * exit code to use (0 on success). */
int command_open_migrated(const char *target, struct db_conn **conn);
/* Loads the key that signs certificates and letters: DATA_DIR/signing.key,
 * created on first use like the file key, or the file given (which must
 * exist). Prints why on failure (prefixed with who) and returns -1. */
struct config;
int command_open_signing_key(const struct config *config, const char *who);
/* What `rounds serve` does before it serves (migrate, the file store and
 * signing key, payments and the other settings, the catalog index following
 * its feed every catalog_poll_ms, 0: not at all; the route table): the exit
 * code to use, 0 when ready. The background jobs are not started. The
 * whole-request fuzz target prepares its server with it too. */
int command_serve_prepare(struct config *config, int catalog_poll_ms);
/* Releases what command_serve_prepare opened. */
void command_serve_release(void);
/* True when argv[i] is --help or -h. */
bool command_wants_help(const char *arg);

/* "1,234,567" into out. */
const char *command_with_commas(int64_t n, char out[32]);

/* Progress of long work (cmd_progress.c): a bar, the count and the rate on
 * one line redrawn in place, only when standard error is a terminal. */
struct command_progress {
    FILE *out;          /* NULL: nothing is shown */
    const char *unit;   /* "offerings", "rows" */
    double started_ms, phase_ms;
    int shown_permille; /* -1 before the first */
    bool line_shown;    /* a line without its newline is on the terminal */
};
/* Starts on standard error when it is a terminal, else shows nothing. */
void command_progress_start(struct command_progress *p, const char *unit);
/* Starts on out (NULL: nothing), whatever it is (tests). */
void command_progress_start_on(struct command_progress *p, FILE *out, const char *unit);
/* done of total so far; ctx is the struct command_progress (the callback of
 * domain work: demo_catalog_add_offerings, export_read). */
void command_progress_show(void *ctx, int64_t done, int64_t total);
/* Clears the line, before the summary or an error. */
void command_progress_end(struct command_progress *p);
/* A phase of long work: "parsing…" while it runs, then "parsed (12 ms)" on a line of its own. */
void command_phase_begin(struct command_progress *p, const char *what);
void command_phase_end(struct command_progress *p, const char *done);

#endif
