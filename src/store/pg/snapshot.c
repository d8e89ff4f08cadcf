/* snapshot.c — backups of a PostgreSQL database (the snapshot_write and
 * snapshot_load of the db interface): pg_dump in its custom format, which
 * reads one consistent snapshot while the server keeps writing, and
 * pg_restore into an empty database in a single transaction (so a failure
 * leaves nothing behind). Both tools are PostgreSQL's own, found on PATH
 * (Debian's postgresql-client); their messages go to standard error. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/db.h"
#include "store/pg/snapshot.h"

extern char **environ;

/* Runs argv (argv[0] looked up on PATH), its standard output into out_fd
 * when that is not -1, and waits. Returns DB_OK when it exits 0. */
static int run_tool(char *const argv[], int out_fd, char *why, size_t why_size)
{
    pid_t pid;
    posix_spawn_file_actions_t actions;
    if (posix_spawn_file_actions_init(&actions) != 0) {
        snprintf(why, why_size, "cannot run %s: out of memory", argv[0]);
        return DB_ERROR;
    }
    int rc = out_fd < 0 ? 0 : posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
    if (rc == 0)
        rc = posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
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

/* The dump goes to a file this process creates, new and 0600 (it holds every
 * account's personal data), through pg_dump's standard output: pg_dump's own
 * --file would create it with the umask's mode (0644 as a rule). */
int db_pg_snapshot_write(struct db_conn *conn, const char *target, const char *path, char *why, size_t why_size)
{
    (void)conn;
    char *argv[] = {"pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--dbname", (char *)target, NULL};
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(why, why_size, "cannot create %s: %s", path, strerror(errno));
        return DB_ERROR;
    }
    int rc = DB_ERROR;
    if (fchmod(fd, 0600) != 0)
        snprintf(why, why_size, "cannot make %s private: %s", path, strerror(errno));
    else
        rc = run_tool(argv, fd, why, why_size);
    if (rc == DB_OK && fsync(fd) != 0) {
        snprintf(why, why_size, "cannot write %s: %s", path, strerror(errno));
        rc = DB_ERROR;
    }
    if (close(fd) != 0 && rc == DB_OK) {
        snprintf(why, why_size, "cannot write %s: %s", path, strerror(errno));
        rc = DB_ERROR;
    }
    return rc;
}

int db_pg_snapshot_load(struct db_conn *conn, const char *target, const char *path, char *why, size_t why_size)
{
    (void)conn;
    char *argv[] = {"pg_restore", "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges",
                    "--dbname", (char *)target, (char *)path, NULL};
    return run_tool(argv, -1, why, why_size);
}
