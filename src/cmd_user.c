/* cmd_user.c — `rounds user add`: creates a user of any role from the command line. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "domain/auth.h"
#include "domain/vocabulary.h"
#include "lib/arena.h"

/* The usage; the roles come from the role table (domain/vocabulary.h). */
static void print_user_usage(FILE *out)
{
    fputs("usage: rounds user add --email EMAIL --name NAME --role ROLE [--org ORG_ID] --password-stdin "
          "[--db PATH_OR_URL]\n"
          "\n"
          "Roles:",
          out);
    for (size_t i = 0; role_names[i] != NULL; i++)
        fprintf(out, "%s %s", i > 0 ? "," : "", role_names[i]);
    fputs(".\n"
          "--org makes the user a member of that organisation (a host for preceptors and host\n"
          "coordinators, a school for school coordinators). The password is read from the first\n"
          "line of standard input: 12 to 128 characters, not a common or dictionary password.\n",
          out);
}

/* Reads the first line of stdin into out without its newline. */
static bool read_password(char *out, size_t size)
{
    if (fgets(out, (int)size, stdin) == NULL)
        return false;
    size_t n = strlen(out);
    if (n > 0 && out[n - 1] == '\n')
        out[--n] = '\0';
    else if (n == size - 1)
        return false; /* longer than we take: refuse rather than truncate */
    if (n > 0 && out[n - 1] == '\r')
        out[--n] = '\0';
    return true;
}

int command_user(int argc, char **argv)
{
    if (argc < 2 || command_wants_help(argv[1])) {
        print_user_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "add") != 0) {
        fprintf(stderr, "rounds user: unknown subcommand '%s'\n", argv[1]);
        print_user_usage(stderr);
        return EXIT_USAGE;
    }
    struct config config;
    if (!config_from_env(&config))
        return EXIT_USAGE;
    const char *email = NULL, *name = NULL, *role = NULL, *org = NULL;
    bool password_stdin = false;
    for (int i = 2; i < argc; i++) {
        const char *flag = argv[i];
        if (command_wants_help(flag)) {
            print_user_usage(stdout);
            return EXIT_OK;
        }
        if (strcmp(flag, "--password-stdin") == 0) {
            password_stdin = true;
            continue;
        }
        const char **slot = strcmp(flag, "--email") == 0  ? &email
                            : strcmp(flag, "--name") == 0 ? &name
                            : strcmp(flag, "--role") == 0 ? &role
                            : strcmp(flag, "--org") == 0  ? &org
                            : strcmp(flag, "--db") == 0   ? &config.http.db_target
                                                          : NULL;
        if (slot == NULL || i + 1 >= argc) {
            fprintf(stderr, slot == NULL ? "rounds user add: unknown flag %s\n" : "rounds user add: %s needs a value\n",
                    flag);
            print_user_usage(stderr);
            return EXIT_USAGE;
        }
        *slot = argv[++i];
    }
    if (email == NULL || name == NULL || role == NULL || !password_stdin) {
        fprintf(stderr, "rounds user add: --email, --name, --role and --password-stdin are required\n");
        print_user_usage(stderr);
        return EXIT_USAGE;
    }
    char password[1100];
    if (!read_password(password, sizeof(password))) {
        fprintf(stderr, "rounds user add: could not read a password line from standard input\n");
        return EXIT_USAGE;
    }

    struct db_conn *conn = NULL;
    int rc = command_open_migrated(config.http.db_target, &conn);
    if (rc != EXIT_OK)
        return rc;
    struct arena arena;
    arena_heap_init(&arena);
    struct store_user user;
    struct error err = {0};
    rc = EXIT_OK;
    if (auth_create_user(conn, &arena, email, name, password, role_parse(role), org, &user, &err) != 0) {
        fprintf(stderr, "rounds user add: %s%s%s\n", err.field != NULL ? err.field : "",
                err.field != NULL ? " " : "", err.detail != NULL ? err.detail : error_title(err.code));
        rc = error_status(err.code) >= 500 ? EXIT_FAILURE_RUNTIME : EXIT_USAGE;
    } else {
        printf("created %s %s (%s)\n", role, user.id, user.email);
    }
    explicit_bzero(password, sizeof(password));
    arena_heap_free(&arena);
    db_close(conn);
    return rc;
}
