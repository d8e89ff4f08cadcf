/* cmd_backup.c — `rounds backup --to DIR` and `rounds restore --from DIR`
 * (domain/backup.h does the work; this file reads flags and reports). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "domain/backup.h"

static const char backup_usage[] =
    "usage: rounds backup --to DIR [--include-keys] [--db PATH_OR_URL] [--data-dir DIR] [--file-key-file PATH]\n"
    "\n"
    "Writes a consistent backup of the database and the uploaded files into DIR (new or empty)\n"
    "while the server keeps serving: SQLite's online backup API, or pg_dump in its custom format\n"
    "(install postgresql-client), the sealed files of DATA_DIR/files, and DIR/manifest.json with\n"
    "every file's size and SHA-256. The keys are left out unless --include-keys: a backup\n"
    "stored with its key opens the files to whoever holds the backup (see README.md).\n";

static const char restore_usage[] =
    "usage: rounds restore --from DIR [--db PATH_OR_URL] [--data-dir DIR] [--file-key-file PATH]\n"
    "\n"
    "Checks every file of the backup in DIR against its manifest, then restores it into an empty\n"
    "database of the same engine (ROUNDS_DB) and a data folder without files (ROUNDS_DATA_DIR).\n"
    "Nothing is changed when the backup is refused. Exit codes: 0 restored, 1 a failure or a\n"
    "destination that is not empty, 2 usage, 4 not a Rounds backup or not the one its manifest describes.\n";

/* The flags both commands share; false (after printing why) on a bad one. */
static bool parse_flags(int argc, char **argv, const char *name, const char *usage, const char *dir_flag,
                        struct config *config, struct backup_options *o, bool *help)
{
    for (int i = 1; i < argc; i++) {
        const char *flag = argv[i];
        if (command_wants_help(flag)) {
            *help = true;
            return true;
        }
        if (strcmp(name, "backup") == 0 && strcmp(flag, "--include-keys") == 0) {
            o->include_keys = true;
            continue;
        }
        const char **slot = strcmp(flag, dir_flag) == 0           ? &o->dir
                            : strcmp(flag, "--db") == 0            ? &config->http.db_target
                            : strcmp(flag, "--data-dir") == 0      ? &config->http.data_dir
                            : strcmp(flag, "--file-key-file") == 0 ? &config->http.file_key_file
                                                                   : NULL;
        if (slot == NULL || i + 1 >= argc || argv[i + 1][0] == '\0') {
            fprintf(stderr, slot == NULL ? "rounds %s: unknown flag %s\n" : "rounds %s: %s needs a value\n", name, flag);
            fputs(usage, stderr);
            return false;
        }
        *slot = argv[++i];
    }
    if (o->dir == NULL) {
        fprintf(stderr, "rounds %s: %s DIR is required\n", name, dir_flag);
        fputs(usage, stderr);
        return false;
    }
    o->db_target = config->http.db_target;
    o->data_dir = config->http.data_dir;
    o->file_key_file = config->http.file_key_file;
    o->rounds_version = ROUNDS_VERSION;
    return true;
}

static int exit_code_of(enum backup_outcome outcome)
{
    switch (outcome) {
    case BACKUP_OK:
        return EXIT_OK;
    case BACKUP_INVALID:
        return EXIT_INVALID_INPUT;
    case BACKUP_FAILED:
    case BACKUP_REFUSED:
        break;
    }
    return EXIT_FAILURE_RUNTIME;
}

static void print_size(const char *verb, const char *dir, const struct backup_report *r)
{
    printf("%s %s: %s database (schema version %d), %zu uploaded files, %.1f MiB%s\n", verb, dir, r->backend,
           r->schema_version, r->files, (double)r->bytes / (1024.0 * 1024.0), r->keys ? ", with the keys" : "");
}

int command_backup(int argc, char **argv)
{
    struct config config;
    struct backup_options o = {0};
    bool help = false;
    if (!config_from_env(&config))
        return EXIT_USAGE;
    if (!parse_flags(argc, argv, "backup", backup_usage, "--to", &config, &o, &help))
        return EXIT_USAGE;
    if (help) {
        fputs(backup_usage, stdout);
        return EXIT_OK;
    }
    struct db_conn *conn = NULL;
    if (db_open(o.db_target, &conn) != DB_OK) {
        fprintf(stderr, "rounds backup: cannot open the database (see the log line above)\n");
        return EXIT_FAILURE_RUNTIME;
    }
    struct backup_report report;
    char why[2048] = "";
    enum backup_outcome outcome = backup_create(conn, &o, &report, why, sizeof(why));
    db_close(conn);
    if (outcome != BACKUP_OK) {
        fprintf(stderr, "rounds backup: %s\n", why);
        return exit_code_of(outcome);
    }
    print_size("backed up into", o.dir, &report);
    if (!report.keys)
        printf("the file key is not in the backup: keep a copy of it elsewhere (without it the files cannot be read)\n");
    return EXIT_OK;
}

int command_restore(int argc, char **argv)
{
    struct config config;
    struct backup_options o = {0};
    bool help = false;
    if (!config_from_env(&config))
        return EXIT_USAGE;
    if (!parse_flags(argc, argv, "restore", restore_usage, "--from", &config, &o, &help))
        return EXIT_USAGE;
    if (help) {
        fputs(restore_usage, stdout);
        return EXIT_OK;
    }
    struct db_conn *conn = NULL;
    if (db_open(o.db_target, &conn) != DB_OK) {
        fprintf(stderr, "rounds restore: cannot open the database (see the log line above)\n");
        return EXIT_FAILURE_RUNTIME;
    }
    struct backup_report report;
    char why[2048] = "";
    enum backup_outcome outcome = backup_restore(conn, &o, &report, why, sizeof(why));
    db_close(conn);
    if (outcome != BACKUP_OK) {
        fprintf(stderr, "rounds restore: %s%s\n", why, outcome == BACKUP_FAILED ? "" : "; nothing was changed");
        return exit_code_of(outcome);
    }
    print_size("restored from", o.dir, &report);
    if (report.key_missing)
        printf("the backup has no file key: put the key these files were sealed with at %s%s before serving\n",
               o.file_key_file != NULL ? o.file_key_file : o.data_dir, o.file_key_file != NULL ? "" : "/file.key");
    return EXIT_OK;
}
