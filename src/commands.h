/* commands.h — the subcommands of `rounds` (one file each: cmd_*.c). Each
 * takes argv starting at its own name and returns the process exit code. */
#ifndef ROUNDS_COMMANDS_H
#define ROUNDS_COMMANDS_H

#include <stdbool.h>
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

#endif
