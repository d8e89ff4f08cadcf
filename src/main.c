/* main.c — the `rounds` program: subcommands, usage and exit codes.
 *
 *   rounds serve     serve HTTP (migrating the database first)
 *   rounds migrate   apply pending database migrations
 *   rounds user add  create a user of any role
 *   rounds seed      fill the database with demo data
 *   rounds match     the placement match on a JSON instance, offline
 *   rounds ledger    check the ledger (`rounds ledger check`)
 *   rounds certificate verify  check a signed Rounds document offline
 *   rounds backup    a consistent backup of the database and files into a folder
 *   rounds restore   a backup into an empty database and data folder
 *   rounds export    every table as JSON lines into a folder (to move between engines)
 *   rounds import    such a folder into an empty database of either engine
 *   rounds version   print the version
 *
 * Exit codes: 0 success, 1 runtime failure, 2 usage error, 3 database newer than this binary,
 * 4 an invalid input file, 5 a match result that failed its verification, 6 the ledger check
 * found a broken entry, or a document that is not a genuine Rounds document. */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "lib/crypto.h"
#include "lib/totp.h"

static const char usage_text[] =
    "usage: rounds <command> [flags]\n"
    "\n"
    "commands:\n"
    "  serve      serve HTTP on ROUNDS_LISTEN (default 127.0.0.1:8080)\n"
    "  migrate    apply pending database migrations\n"
    "  user add   create a user: --email E --name N --role R [--org ID] --password-stdin\n"
    "  seed       demo data: --demo (accounts and catalog), --offerings N (more offerings)\n"
    "  match      the placement match offline: --in INSTANCE.json --out RESULT.json\n"
    "  ledger     ledger check: prove every transaction balances and every statement agrees\n"
    "  certificate verify FILE.pdf --key KEY   check a Rounds certificate or letter offline\n"
    "  backup     a backup of the database and files while serving: --to DIR [--include-keys]\n"
    "  restore    a backup into an empty database and data folder: --from DIR\n"
    "  export     every table as JSON lines, to move between SQLite and PostgreSQL: --to DIR\n"
    "  import     an export into an empty database of either engine: --from DIR\n"
    "  version    print the version\n"
    "\n"
    "Run 'rounds <command> --help' for a command's flags. Configuration comes from flags and from\n"
    "ROUNDS_DB, ROUNDS_LISTEN, ROUNDS_DATA_DIR and ROUNDS_PUBLIC_URL (see README.md).\n";

/* glibc gives freed memory back to the kernel as soon as 128 KiB sit free at
 * the top of a heap, so a request that allocates and frees a few hundred KiB
 * (libharu and zlib drawing a PDF, a request arena's chunks) makes the next
 * one fault fresh pages in again: on a virtual machine that was two thirds
 * of the CPU time of drawing a certificate. Keeping up to a few MiB per heap
 * (and mapping only allocations past 1 MiB on their own) stops the churn. */
enum { MALLOC_TRIM_KEEP_BYTES = 4 << 20, MALLOC_MMAP_FROM_BYTES = 1 << 20 };

static void tune_malloc(void)
{
    mallopt(M_TRIM_THRESHOLD, MALLOC_TRIM_KEEP_BYTES);
    mallopt(M_MMAP_THRESHOLD, MALLOC_MMAP_FROM_BYTES);
}

void print_usage(FILE *out)
{
    fputs(usage_text, out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    tune_malloc();
    const char *command = argv[1];
    if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 || strcmp(command, "help") == 0) {
        print_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(command, "version") == 0 || strcmp(command, "--version") == 0)
        return command_version(argc - 1, argv + 1);
    if (crypto_init() != 0 || totp_init() != 0) {
        fprintf(stderr, "rounds: libsodium or liboath failed to initialise\n");
        return EXIT_FAILURE_RUNTIME;
    }
    if (strcmp(command, "serve") == 0)
        return command_serve(argc - 1, argv + 1);
    if (strcmp(command, "migrate") == 0)
        return command_migrate(argc - 1, argv + 1);
    if (strcmp(command, "user") == 0)
        return command_user(argc - 1, argv + 1);
    if (strcmp(command, "seed") == 0)
        return command_seed(argc - 1, argv + 1);
    if (strcmp(command, "match") == 0)
        return command_match(argc - 1, argv + 1);
    if (strcmp(command, "ledger") == 0)
        return command_ledger(argc - 1, argv + 1);
    if (strcmp(command, "certificate") == 0)
        return command_certificate(argc - 1, argv + 1);
    if (strcmp(command, "backup") == 0)
        return command_backup(argc - 1, argv + 1);
    if (strcmp(command, "restore") == 0)
        return command_restore(argc - 1, argv + 1);
    if (strcmp(command, "export") == 0)
        return command_export(argc - 1, argv + 1);
    if (strcmp(command, "import") == 0)
        return command_import(argc - 1, argv + 1);
    fprintf(stderr, "rounds: unknown command '%s'\n\n", command);
    print_usage(stderr);
    return EXIT_USAGE;
}
