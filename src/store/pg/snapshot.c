/* snapshot.c — backups of a PostgreSQL database (the snapshot_write and
 * snapshot_load of the db interface): pg_dump in its custom format, which
 * reads one consistent snapshot while the server keeps writing, and
 * pg_restore into an empty database in a single transaction (so a failure
 * leaves nothing behind). Both tools are PostgreSQL's own, found on PATH
 * (Debian's postgresql-client); their messages go to standard error. */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "store/db.h"
#include "store/pg/snapshot.h"

extern char **environ;

/* Runs argv (argv[0] looked up on PATH) and waits. Returns DB_OK when it exits 0. */
static int run_tool(char *const argv[], char *why, size_t why_size)
{
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    if (rc != 0) {
        snprintf(why, why_size, "cannot run %s: %s (install postgresql-client)", argv[0], strerror(rc));
        return DB_ERROR;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(why, why_size, "waiting for %s: %s", argv[0], strerror(errno));
            return DB_ERROR;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return DB_OK;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        snprintf(why, why_size, "%s was not found (install postgresql-client)", argv[0]);
    else
        snprintf(why, why_size, "%s failed (exit %d; its message is above)", argv[0],
                 WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return DB_ERROR;
}

int db_pg_snapshot_write(struct db_conn *conn, const char *target, const char *path, char *why, size_t why_size)
{
    (void)conn;
    char *argv[] = {"pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                    "--file", (char *)path, "--dbname", (char *)target, NULL};
    return run_tool(argv, why, why_size);
}

int db_pg_snapshot_load(struct db_conn *conn, const char *target, const char *path, char *why, size_t why_size)
{
    (void)conn;
    char *argv[] = {"pg_restore", "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges",
                    "--dbname", (char *)target, (char *)path, NULL};
    return run_tool(argv, why, why_size);
}
