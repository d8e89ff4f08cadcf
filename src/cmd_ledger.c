/* cmd_ledger.c — `rounds ledger check`: proves the book is sound. Every
 * transaction balances, every entry's running balance is the sum of its
 * account's entries, and each application's statement equals what its pages
 * show. Exit 0 when all hold; 6 naming the first broken entry otherwise. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "domain/money.h"
#include "lib/arena.h"
#include "lib/clock.h"

static const char ledger_usage[] =
    "usage: rounds ledger check [--db PATH_OR_URL]\n"
    "\n"
    "Checks the ledger of ROUNDS_DB (or --db): that every transaction balances, that every\n"
    "entry's running balance is the sum of its account's entries, and that each application's\n"
    "statement equals what its pages show. Prints a summary; exits 0 when the ledger is sound,\n"
    "6 naming the first broken entry when it is not, 1 when the database fails.\n";

int command_ledger(int argc, char **argv)
{
    if (argc < 2 || command_wants_help(argv[1])) {
        fputs(ledger_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "check") != 0) {
        fprintf(stderr, "rounds ledger: unknown subcommand '%s'\n", argv[1]);
        fputs(ledger_usage, stderr);
        return EXIT_USAGE;
    }
    struct config config;
    if (!config_from_env(&config))
        return EXIT_USAGE;
    for (int i = 2; i < argc; i++) {
        if (command_wants_help(argv[i])) {
            fputs(ledger_usage, stdout);
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            config.http.db_target = argv[++i];
            continue;
        }
        fprintf(stderr, "rounds ledger check: unknown flag %s\n", argv[i]);
        fputs(ledger_usage, stderr);
        return EXIT_USAGE;
    }
    struct db_conn *conn = NULL;
    int rc = command_open_migrated(config.http.db_target, &conn);
    if (rc != EXIT_OK)
        return rc;
    struct arena arena;
    arena_heap_init(&arena);
    double started = clock_monotonic_ms();
    struct ledger_check_report report;
    int status = money_check_statements(conn, &arena, &report);
    double took = clock_monotonic_ms() - started;
    arena_heap_free(&arena);
    db_close(conn);
    if (status != DB_OK) {
        fprintf(stderr, "rounds ledger check: the database failed (see the log line above)\n");
        return EXIT_FAILURE_RUNTIME;
    }
    if (!report.ok) {
        printf("ledger broken: %s\n", report.problem);
        return EXIT_LEDGER_BROKEN;
    }
    printf("ledger ok: %lld transactions, %lld entries, %lld accounts, %lld application statements (%.0f ms)\n",
           (long long)report.transactions, (long long)report.entries, (long long)report.accounts,
           (long long)report.statements, took);
    return EXIT_OK;
}
