/* cmd_seed.c — `rounds seed --demo`: demo organisations and one account for
 * every role, so that a newcomer can log in at once. Idempotent: an existing
 * demo account is left as it is. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "domain/auth.h"
#include "lib/clock.h"
#include "lib/arena.h"

static const char seed_usage[] = "usage: rounds seed --demo [--db PATH_OR_URL]\n"
                                 "Creates demo organisations and one account per role, and prints how to log in.\n";

/* Every demo account shares this password; it is printed by `make run`. */
static const char demo_password[] = "rounds-demo-2026";

struct demo_org {
    const char *id, *name, *kind;
};
static const struct demo_org demo_orgs[] = {
    {"org_platform", "Rounds", "platform"},
    {"org_demo_host", "Lakeside Community Hospital", "host"},
    {"org_demo_school", "St. Aurelia School of Medicine", "school"},
};

struct demo_user {
    const char *email, *name, *role, *org;
};
static const struct demo_user demo_users[] = {
    {"student@rounds.test", "Amara Okafor", "student", NULL},
    {"preceptor@rounds.test", "Dr. Daniel Whitfield", "preceptor", "org_demo_host"},
    {"host@rounds.test", "Priya Raman", "host_coordinator", "org_demo_host"},
    {"school@rounds.test", "Lucía Fernández", "school_coordinator", "org_demo_school"},
    {"staff@rounds.test", "Sam Carter", "staff", NULL},
};

int command_seed(int argc, char **argv)
{
    struct config config;
    if (!config_from_env(&config))
        return EXIT_USAGE;
    bool demo = false;
    for (int i = 1; i < argc; i++) {
        if (command_wants_help(argv[i])) {
            fputs(seed_usage, stdout);
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--demo") == 0) {
            demo = true;
            continue;
        }
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            config.http.db_target = argv[++i];
            continue;
        }
        fprintf(stderr, "rounds seed: unknown flag %s\n", argv[i]);
        fputs(seed_usage, stderr);
        return EXIT_USAGE;
    }
    if (!demo) {
        fputs(seed_usage, stderr);
        return EXIT_USAGE;
    }
    struct db_conn *conn = NULL;
    int rc = command_open_migrated(config.http.db_target, &conn);
    if (rc != EXIT_OK)
        return rc;
    struct arena arena;
    arena_heap_init(&arena);
    rc = EXIT_OK;
    for (size_t i = 0; i < sizeof(demo_orgs) / sizeof(demo_orgs[0]); i++) {
        int db_rc = store_organization_kind(conn, &arena, demo_orgs[i].id, NULL);
        if (db_rc == DB_DONE)
            db_rc = store_organization_insert(conn, demo_orgs[i].id, demo_orgs[i].name, demo_orgs[i].kind,
                                              clock_now());
        if (db_rc != DB_OK && db_rc != DB_ROW) {
            fprintf(stderr, "rounds seed: could not create organisation %s\n", demo_orgs[i].id);
            rc = EXIT_FAILURE_RUNTIME;
            goto out;
        }
    }
    printf("Demo accounts (password for all: %s):\n", demo_password);
    for (size_t i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
        const struct demo_user *d = &demo_users[i];
        struct store_user user;
        struct error err = {0};
        if (store_user_by_email(conn, &arena, d->email, &user) != DB_ROW &&
            auth_create_user(conn, &arena, d->email, d->name, demo_password, d->role, d->org, &user, &err) != 0) {
            fprintf(stderr, "rounds seed: could not create %s: %s\n", d->email,
                    err.detail != NULL ? err.detail : error_title(err.code));
            rc = EXIT_FAILURE_RUNTIME;
            goto out;
        }
        printf("  %-20s %s\n", d->role, d->email);
    }
out:
    arena_heap_free(&arena);
    db_close(conn);
    return rc;
}
