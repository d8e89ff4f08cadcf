/* cmd_export.c — `rounds export --to DIR` and `rounds import --from DIR`
 * (domain/export.h does the work; this file reads flags and reports). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "config.h"
#include "domain/export.h"

static const char export_usage[] =
    "usage: rounds export --to DIR [--db PATH_OR_URL]\n"
    "\n"
    "Writes every table of the database into DIR (new or empty) as JSON lines, one file per\n"
    "table, read in one consistent snapshot while the server may keep serving, and\n"
    "DIR/manifest.json (schema version, tables, row counts, SHA-256 per file). Uploaded files\n"
    "are not in an export: copy them with rounds backup. Exit codes: 0 written, 1 a failure or\n"
    "a folder that is not empty, 2 usage.\n";

static const char import_usage[] =
    "usage: rounds import --from DIR [--db PATH_OR_URL]\n"
    "\n"
    "Migrates the database (ROUNDS_DB), which must hold no data yet, checks the export in DIR\n"
    "against its manifest (schema version, every file's size and SHA-256, every row count) and\n"
    "loads it in one transaction: ids, timestamps, ledger and audit history unchanged. Nothing\n"
    "is imported when anything is refused. Shows progress (rows loaded) when stderr is a\n"
    "terminal. Exit codes: 0 imported, 1 a failure or a database that is not empty, 2 usage,\n"
    "4 not an export, another schema version, or a damaged file.\n";

/* --to/--from DIR and --db; false (after printing why) on a bad flag. */
static bool parse_flags(int argc, char **argv, const char *name, const char *usage, const char *dir_flag,
                        struct config *config, const char **dir, bool *help)
{
    for (int i = 1; i < argc; i++) {
        const char *flag = argv[i];
        if (command_wants_help(flag)) {
            *help = true;
            return true;
        }
        const char **slot = strcmp(flag, dir_flag) == 0 ? dir : strcmp(flag, "--db") == 0 ? &config->http.db_target : NULL;
        if (slot == NULL || i + 1 >= argc || argv[i + 1][0] == '\0') {
            fprintf(stderr, slot == NULL ? "rounds %s: unknown flag %s\n" : "rounds %s: %s needs a value\n", name, flag);
            fputs(usage, stderr);
            return false;
        }
        *slot = argv[++i];
    }
    if (*dir == NULL) {
        fprintf(stderr, "rounds %s: %s DIR is required\n", name, dir_flag);
        fputs(usage, stderr);
        return false;
    }
    return true;
}

static int exit_code_of(enum export_outcome outcome)
{
    switch (outcome) {
    case EXPORT_OK:
        return EXIT_OK;
    case EXPORT_INVALID:
        return EXIT_INVALID_INPUT;
    case EXPORT_FAILED:
    case EXPORT_REFUSED:
        break;
    }
    return EXIT_FAILURE_RUNTIME;
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void print_report(const char *verb, const char *dir, const char *backend, const struct export_report *r,
                         const struct timespec *start)
{
    printf("%s %s: %s database (schema version %d), %zu tables, %lld rows, %.1f MiB in %.2f s\n", verb, dir, backend,
           r->schema_version, r->tables, (long long)r->rows, (double)r->bytes / (1024.0 * 1024.0),
           seconds_since(start));
}

int command_export(int argc, char **argv)
{
    struct config config;
    const char *dir = NULL;
    bool help = false;
    if (!config_from_env(&config))
        return EXIT_USAGE;
    if (!parse_flags(argc, argv, "export", export_usage, "--to", &config, &dir, &help))
        return EXIT_USAGE;
    if (help) {
        fputs(export_usage, stdout);
        return EXIT_OK;
    }
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    struct db_conn *conn = NULL;
    if (db_open(config.http.db_target, &conn) != DB_OK) {
        fprintf(stderr, "rounds export: cannot open the database (see the log line above)\n");
        return EXIT_FAILURE_RUNTIME;
    }
    char backend[16];
    snprintf(backend, sizeof(backend), "%s", db_backend_name(conn));
    struct export_report report;
    char why[2048] = "";
    enum export_outcome outcome = export_write(conn, dir, ROUNDS_VERSION, &report, why, sizeof(why));
    if (outcome != EXPORT_OK) {
        fprintf(stderr, "rounds export: %s\n", why);
        return exit_code_of(outcome);
    }
    print_report("exported into", dir, backend, &report, &start);
    printf("uploaded files are not in an export: rounds backup copies them\n");
    return EXIT_OK;
}

int command_import(int argc, char **argv)
{
    struct config config;
    const char *dir = NULL;
    bool help = false;
    if (!config_from_env(&config))
        return EXIT_USAGE;
    if (!parse_flags(argc, argv, "import", import_usage, "--from", &config, &dir, &help))
        return EXIT_USAGE;
    if (help) {
        fputs(import_usage, stdout);
        return EXIT_OK;
    }
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    struct db_conn *conn = NULL;
    int rc = command_open_migrated(config.http.db_target, &conn);
    if (rc != EXIT_OK)
        return rc;
    char backend[16];
    snprintf(backend, sizeof(backend), "%s", db_backend_name(conn));
    struct export_report report;
    char why[2048] = "";
    struct command_progress progress;
    command_progress_start(&progress, "rows");
    enum export_outcome outcome = export_read(conn, dir, progress.out != NULL ? command_progress_show : NULL, &progress,
                                              &report, why, sizeof(why));
    command_progress_end(&progress);
    if (outcome != EXPORT_OK) {
        fprintf(stderr, "rounds import: %s; nothing was imported\n", why);
        return exit_code_of(outcome);
    }
    print_report("imported from", dir, backend, &report, &start);
    return EXIT_OK;
}
