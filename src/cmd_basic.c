/* cmd_basic.c — `rounds version`, `rounds migrate`, and what commands share. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "config.h"
#include "lib/log.h"
#include "lib/signed_document.h"
#include "store/store.h"

/* The key that signs certificates and letters: DATA_DIR/signing.key, created
 * on first start like the file key, or the file given (which must exist). */
int command_open_signing_key(const struct config *config, const char *who)
{
    char key_file[1024], why[1400];
    bool key_given = config->http.signing_key_file != NULL;
    if (key_given)
        snprintf(key_file, sizeof(key_file), "%s", config->http.signing_key_file);
    else
        snprintf(key_file, sizeof(key_file), "%s/signing.key", config->http.data_dir);
    struct stat st;
    bool existed = stat(key_file, &st) == 0;
    if (signing_open(key_file, !key_given, why, sizeof(why)) != 0) {
        fprintf(stderr, "%s: cannot load the signing key: %s (see ROUNDS_SIGNING_KEY_FILE)\n", who, why);
        return -1;
    }
    if (!existed)
        log_info("msg=\"created a new signing key; documents are signed with it, keep it safe\" path=\"%s\"",
                 key_file);
    return 0;
}

bool command_wants_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int command_version(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: rounds version\n");
        return command_wants_help(argv[1]) ? EXIT_OK : EXIT_USAGE;
    }
    printf("rounds %s\n", ROUNDS_VERSION);
    return EXIT_OK;
}

int command_open_migrated(const char *target, struct db_conn **conn)
{
    if (db_open(target, conn) != DB_OK) {
        fprintf(stderr, "rounds: cannot open the database (see the log line above)\n");
        return EXIT_FAILURE_RUNTIME;
    }
    bool too_new = false;
    if (store_migrate(*conn, &too_new) != DB_OK) {
        if (too_new)
            fprintf(stderr, "rounds: the database schema is newer than this binary (which knows up to %d); "
                            "upgrade rounds\n",
                    store_schema_latest(*conn));
        else
            fprintf(stderr, "rounds: migrating the database failed\n");
        db_close(*conn);
        *conn = NULL;
        return too_new ? EXIT_SCHEMA_TOO_NEW : EXIT_FAILURE_RUNTIME;
    }
    return EXIT_OK;
}

static const char migrate_usage[] = "usage: rounds migrate [--db PATH_OR_URL]\n"
                                    "Applies pending migrations to ROUNDS_DB (or --db) and prints the schema version.\n";

int command_migrate(int argc, char **argv)
{
    struct config config;
    if (!config_from_env(&config))
        return EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        if (command_wants_help(argv[i])) {
            fputs(migrate_usage, stdout);
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            config.http.db_target = argv[++i];
            continue;
        }
        fprintf(stderr, "rounds migrate: unknown flag %s\n", argv[i]);
        fputs(migrate_usage, stderr);
        return EXIT_USAGE;
    }
    struct db_conn *conn = NULL;
    int rc = command_open_migrated(config.http.db_target, &conn);
    if (rc != EXIT_OK)
        return rc;
    int version = 0;
    store_schema_version(conn, &version);
    printf("schema version %d (%s)\n", version, db_backend_name(conn));
    db_close(conn);
    return EXIT_OK;
}
