/* cmd_seed.c — `rounds seed`: with --demo, demo organisations, one account
 * for every role and the demo catalog (domain/demo_catalog.c), so that a
 * newcomer can log in and search at once (the demo host also asks every
 * student for a few onboarding documents, and one student is on a rotation
 * under way with a coach: domain/demo_rotation.c; the demo student's
 * completed rotation, evaluated, with a letter asked of its preceptor:
 * domain/demo_completion.c; the demo school's cohort, match round and
 * agreement with the host: domain/demo_school.c); with --offerings N, N more
 * offerings as fast as the database takes them, for benchmarks. Both are
 * safe to run again: --demo only adds what is missing. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "domain/auth.h"
#include "domain/certificates.h"
#include "domain/demo_catalog.h"
#include "domain/demo_completion.h"
#include "domain/demo_rotation.h"
#include "domain/demo_school.h"
#include "domain/demo_story.h"
#include "domain/letters.h"
#include "domain/notify.h"
#include "domain/vocabulary.h"
#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "store/blobs.h"
#include "store/documents.h"

static const char seed_usage[] =
    "usage: rounds seed [--demo] [--offerings N] [--db PATH_OR_URL] [--data-dir DIR]\n"
    "\n"
    "  --demo          demo organisations, one account per role (printed with their\n"
    "                  password) and, when the catalog is empty, the demo catalog:\n"
    "                  45 hosts in over 30 states, 300 offerings in over 25 specialties\n"
    "                  with blocks over the next 12 months; the demo student's\n"
    "                  rotation with the demo preceptor, completed ten days ago\n"
    "                  with its hours confirmed, evaluated, a letter asked of the\n"
    "                  preceptor, and its signed certificate (the signing key of\n"
    "                  DATA_DIR, created when missing, as serve does); the demo\n"
    "                  school's cohort, match round and signed agreement with the\n"
    "                  demo host. Safe to run again. Shows its slow steps when\n"
    "                  stderr is a terminal.\n"
    "  --offerings N   adds N offerings (1 to 10000000) with 2-6 blocks each and a new\n"
    "                  host per 100 offerings, as fast as possible, for benchmarks;\n"
    "                  prints the rate. Shows progress when stderr is a terminal.\n"
    "  --db PATH_OR_URL  the database (default: ROUNDS_DB)\n"
    "  --data-dir DIR  where the signing key is (default: ROUNDS_DATA_DIR, data)\n"
    "\n"
    "With both flags the demo comes first. Exit codes: 0 done, 1 the database\n"
    "failed, 2 bad flags.\n";

/* Every demo account shares this password; it is printed by `make run`. */
static const char demo_password[] = "rounds-demo-2026";

struct demo_org {
    const char *id, *name;
    enum organization_kind kind;
};
static const struct demo_org demo_orgs[] = {
    {"org_platform", "Rounds", ORGANIZATION_PLATFORM},
    {"org_demo_host", "Lakeside Community Hospital", ORGANIZATION_HOST},
    {"org_demo_school", "St. Aurelia School of Medicine", ORGANIZATION_SCHOOL},
};

struct demo_user {
    const char *email, *name;
    enum role role;
    const char *org;
    const char *note; /* printed after the address, or NULL */
};
static const struct demo_user demo_users[] = {
    {"student@rounds.test", "Amara Okafor", ROLE_STUDENT, NULL, NULL},
    {"preceptor@rounds.test", "Dr. Daniel Whitfield", ROLE_PRECEPTOR, "org_demo_host", NULL},
    {"host@rounds.test", "Priya Raman", ROLE_HOST_COORDINATOR, "org_demo_host", NULL},
    {"school@rounds.test", "Lucía Fernández", ROLE_SCHOOL_COORDINATOR, "org_demo_school", NULL},
    {"staff@rounds.test", "Sam Carter", ROLE_STAFF, NULL, NULL},
    {"coach@rounds.test", "Grace Mensah", ROLE_COACH, NULL, "(coaches rotation@ and student@rounds.test)"},
    {"rotation@rounds.test", "Kwame Asante", ROLE_STUDENT, NULL,
     "(on a rotation now, in its second week, with Dr. Daniel Whitfield)"},
};

/* The demo students' profiles, as they would have filled them in (set once:
 * a profile already there, or changed since, stays as it is). */
static const struct {
    const char *email, *school, *country;
    enum student_status status;
    int64_t graduation_year;
    enum visa_kind visa;
    enum step1_result step1;
    enum ecfmg_status ecfmg;
    enum english_proof english;
} demo_profiles[] = {
    {"student@rounds.test", "St. Aurelia School of Medicine", "Nigeria", STUDENT_STATUS_STUDENT, 2027, VISA_B1_B2,
     STEP1_PASSED, ECFMG_IN_PROGRESS, ENGLISH_TOEFL},
    {"rotation@rounds.test", "University of Ghana Medical School", "Ghana", STUDENT_STATUS_STUDENT, 2027, VISA_J1,
     STEP1_PASSED, ECFMG_NONE, ENGLISH_NATIVE},
};

static int seed_demo_profile(struct db_conn *conn, struct store_user *user)
{
    for (size_t i = 0; i < sizeof(demo_profiles) / sizeof(demo_profiles[0]); i++) {
        if (strcmp(demo_profiles[i].email, user->email) != 0)
            continue;
        if (user->profile.status != NULL && user->profile.status[0] != '\0')
            return DB_OK;
        struct store_profile p = {.school = demo_profiles[i].school,
                                  .country = demo_profiles[i].country,
                                  .status = student_status_name(demo_profiles[i].status),
                                  .visa_kind = visa_kind_name(demo_profiles[i].visa),
                                  .step1 = step1_result_name(demo_profiles[i].step1),
                                  .ecfmg_status = ecfmg_status_name(demo_profiles[i].ecfmg),
                                  .english_proof = english_proof_name(demo_profiles[i].english),
                                  .graduation_year = demo_profiles[i].graduation_year,
                                  .step2ck_score = -1};
        int rc = store_user_set_profile(conn, user->id, &p);
        if (rc == DB_OK)
            user->profile = p;
        return rc;
    }
    return DB_OK;
}

/* What the demo host asks of every student before the start (fixed ids: a
 * second run finds them there). */
static const struct {
    const char *id, *kind;
    int64_t issued_within_days;
} demo_requirements[] = {
    {"req_demo_passport", "passport", 0},
    {"req_demo_bls", "bls", 0},
    {"req_demo_tb_test", "tb-test", 90},
    {"req_demo_hipaa", "hipaa-training", 0},
};

static int seed_demo_requirements(struct db_conn *conn, const char *host_id)
{
    for (size_t i = 0; i < sizeof(demo_requirements) / sizeof(demo_requirements[0]); i++) {
        struct store_requirement r = {
            .id = demo_requirements[i].id,
            .organization_id = host_id,
            .offering_id = NULL,
            .kind = demo_requirements[i].kind,
            .issued_within_days = demo_requirements[i].issued_within_days,
            .created_at = clock_now(),
        };
        int rc = store_requirement_insert(conn, &r);
        if (rc != DB_OK && rc != DB_CONSTRAINT) /* DB_CONSTRAINT: there already */
            return rc;
    }
    return DB_OK;
}

/* N of --offerings: digits only, 1 … DEMO_CATALOG_BULK_MAX. */
static bool parse_count(const char *text, int64_t *out)
{
    if (text == NULL || text[0] < '0' || text[0] > '9')
        return false;
    errno = 0;
    char *end = NULL;
    long long n = strtoll(text, &end, 10);
    if (errno != 0 || end == NULL || *end != '\0' || n < 1 || n > DEMO_CATALOG_BULK_MAX)
        return false;
    *out = (int64_t)n;
    return true;
}

/* The file store of DATA_DIR, as serve opens it (the key created when none
 * is configured), for the demo students' documents; without it they have
 * none (a line says why). */
static void open_file_store(const struct config *config)
{
    (void)mkdir(config->http.data_dir, 0700); /* as serve makes it; an existing one stays as it is */
    char key_file[1024];
    bool key_given = config->http.file_key_file != NULL;
    snprintf(key_file, sizeof(key_file), "%s", key_given ? config->http.file_key_file : "");
    if (!key_given)
        snprintf(key_file, sizeof(key_file), "%s/file.key", config->http.data_dir);
    if (!blobs_ready() && blobs_open(config->http.data_dir, key_file, !key_given) != 0)
        fprintf(stderr, "rounds seed: no file store in %s (key %s): the demo students get no documents\n",
                config->http.data_dir, key_file);
}

/* The demo student's completed rotation and its certificate (signed when the
 * signing key of DATA_DIR can be loaded or created). */
static int seed_demo_completion(struct db_conn *conn, struct arena *arena, const struct config *config,
                                const struct store_user *student, const char *preceptor_user_id,
                                const char *staff_id)
{
    if (student == NULL || preceptor_user_id == NULL)
        return DB_OK;
    (void)mkdir(config->http.data_dir, 0700); /* as serve makes it; an existing one stays as it is */
    bool signing = command_open_signing_key(config, "rounds seed") == 0;
    struct demo_completion done;
    int rc = demo_completion_seed(conn, arena, student, preceptor_user_id, staff_id, &done);
    if (rc != DB_OK || done.application_id == NULL)
        return rc;
    printf("Completed rotation: /applications/%s (%s)", done.application_id, student->email);
    if (done.certificate_number != NULL)
        printf(", certificate %s: /verify/%s\n", done.certificate_number, done.certificate_number);
    else
        printf(", no certificate yet%s\n", signing ? "" : " (no signing key: set ROUNDS_DATA_DIR)");
    printf("  evaluated by the preceptor (/applications/%s/evaluation), a letter asked of them (/letters)%s\n",
           done.application_id, done.paperwork.evaluated || done.paperwork.letter_requested ? "" : " (already there)");
    return DB_OK;
}

/* Every demo account has read the notices the demo's history made long ago,
 * and not the recent ones (demo_read_old_notices). */
static int read_old_notices(struct db_conn *conn, struct arena *arena)
{
    int64_t today = clock_now();
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
        struct store_user user;
        rc = store_user_by_email(conn, arena, demo_users[i].email, &user);
        if (rc == DB_ROW)
            rc = demo_read_old_notices(conn, arena, user.id, today);
        else if (rc == DB_DONE)
            rc = DB_OK;
    }
    return rc;
}

/* "Catalog: 45 hosts in 36 states, …" */
static int print_catalog(struct db_conn *conn, bool created)
{
    struct store_catalog_summary sum;
    int rc = store_catalog_summary(conn, &sum);
    if (rc != DB_OK)
        return rc;
    char hosts[32], states[32], offerings[32], specialties[32], blocks[32];
    printf("Catalog: %s hosts in %s states, %s offerings in %s specialties, %s blocks%s\n",
           command_with_commas(sum.hosts, hosts), command_with_commas(sum.states, states),
           command_with_commas(sum.offerings, offerings), command_with_commas(sum.specialties, specialties),
           command_with_commas(sum.blocks, blocks),
           created ? "" : " (already there; left as it is)");
    return DB_OK;
}

static void print_school(const struct demo_school_added *cohort)
{
    if (cohort->round_id != NULL)
        printf("Demo school: %d students (cohort01…cohort%02d@rounds.test and the demo student), a match round open "
               "for ranking at /school/rounds/%s\n",
               cohort->students, cohort->students - 1, cohort->round_id);
    else
        printf("Demo school: %d students (cohort01…cohort%02d@rounds.test and the demo student); no match round, as "
               "the demo host has no open block (the catalog was there before the demo)\n",
               cohort->students, cohort->students - 1);
    if (cohort->agreement)
        printf("  and its affiliation agreement with the demo host, signed (/agreements)\n");
}

/* The demo's organisations, those missing: true, or false said on stderr. */
static bool seed_demo_organizations(struct db_conn *conn, struct arena *arena)
{
    for (size_t i = 0; i < sizeof(demo_orgs) / sizeof(demo_orgs[0]); i++) {
        int db_rc = store_organization_kind(conn, arena, demo_orgs[i].id, NULL);
        if (db_rc == DB_DONE)
            db_rc = store_organization_insert(conn, demo_orgs[i].id, demo_orgs[i].name,
                                              organization_kind_name(demo_orgs[i].kind), clock_now());
        if (db_rc != DB_OK && db_rc != DB_ROW) {
            fprintf(stderr, "rounds seed: could not create organisation %s\n", demo_orgs[i].id);
            return false;
        }
    }
    return true;
}

static int seed_demo(struct db_conn *conn, const struct config *config)
{
    struct arena arena;
    arena_heap_init(&arena);
    int rc = EXIT_OK;
    if (!seed_demo_organizations(conn, &arena)) {
        rc = EXIT_FAILURE_RUNTIME;
        goto out;
    }
    struct demo_catalog_accounts accounts = {.host_id = demo_orgs[1].id, .host_name = demo_orgs[1].name};
    struct demo_rotation_people rotation = {.host_id = demo_orgs[1].id};
    struct store_user student = {0};
    const char *school_coordinator_id = NULL, *host_coordinator_id = NULL, *staff_id = NULL;
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
        if (seed_demo_profile(conn, &user) != DB_OK) {
            fprintf(stderr, "rounds seed: could not set the profile of %s\n", d->email);
            rc = EXIT_FAILURE_RUNTIME;
            goto out;
        }
        if (strcmp(d->email, "student@rounds.test") == 0)
            student = user;
        if (d->role == ROLE_SCHOOL_COORDINATOR)
            school_coordinator_id = user.id;
        if (d->role == ROLE_HOST_COORDINATOR)
            host_coordinator_id = user.id;
        if (d->role == ROLE_STAFF)
            staff_id = user.id;
        if (d->role == ROLE_PRECEPTOR) {
            accounts.preceptor_user_id = user.id;
            accounts.preceptor_name = user.name;
            accounts.preceptor_email = user.email;
        }
        if (d->role == ROLE_COACH)
            rotation.coach_id = user.id;
        if (strcmp(d->email, "rotation@rounds.test") == 0)
            rotation.student_id = user.id;
        printf("  %-20s %s%s%s\n", role_name(d->role), d->email, d->note != NULL ? " " : "",
               d->note != NULL ? d->note : "");
    }

    struct command_progress phases; /* the slow steps, on a terminal */
    command_progress_start(&phases, NULL);
    bool created = false;
    command_phase_begin(&phases, "adding the demo catalog");
    int catalog_rc = demo_catalog_seed(conn, &accounts, &created);
    command_progress_end(&phases);
    if (catalog_rc != DB_OK) {
        fprintf(stderr, "rounds seed: could not create the demo catalog (see the log line above)\n");
        rc = EXIT_FAILURE_RUNTIME;
        goto out;
    }
    if (seed_demo_requirements(conn, demo_orgs[1].id) != DB_OK) {
        fprintf(stderr, "rounds seed: could not add the demo host's document requirements\n");
        rc = EXIT_FAILURE_RUNTIME;
        goto out;
    }
    rotation.preceptor_user_id = accounts.preceptor_user_id;
    rotation.staff_id = staff_id;
    open_file_store(config);
    bool rotation_created = false;
    char rotation_id[ID_MAX_BYTES + 1] = "";
    if (rotation.student_id != NULL && demo_rotation_seed(conn, &rotation, &rotation_created, rotation_id) != DB_OK) {
        fprintf(stderr, "rounds seed: could not add the demo rotation under way\n");
        rc = EXIT_FAILURE_RUNTIME;
        goto out;
    }
    if (seed_demo_completion(conn, &arena, config, student.id != NULL ? &student : NULL,
                             accounts.preceptor_user_id, staff_id) != DB_OK) {
        fprintf(stderr, "rounds seed: could not add the demo's completed rotation (see the log line above)\n");
        rc = EXIT_FAILURE_RUNTIME;
        goto out;
    }
    struct demo_school school = {.school_id = demo_orgs[2].id,
                                 .coordinator_id = school_coordinator_id,
                                 .host_id = demo_orgs[1].id,
                                 .host_coordinator_id = host_coordinator_id,
                                 .demo_student_id = student.id,
                                 .password = demo_password};
    struct demo_school_added cohort;
    command_phase_begin(&phases, "adding the demo school's cohort and match round");
    int school_rc = school_coordinator_id != NULL ? demo_school_seed(conn, &arena, &school, &cohort) : DB_ERROR;
    command_progress_end(&phases);
    if (school_rc != DB_OK) {
        fprintf(stderr, "rounds seed: could not create the demo school's cohort and match round\n");
        rc = EXIT_FAILURE_RUNTIME;
        goto out;
    }
    print_school(&cohort);
    if (read_old_notices(conn, &arena) != DB_OK) {
        fprintf(stderr, "rounds seed: could not mark the demo's old notices read\n");
        rc = EXIT_FAILURE_RUNTIME;
        goto out;
    }
    if (print_catalog(conn, created) != DB_OK) {
        fprintf(stderr, "rounds seed: could not count the catalog\n");
        rc = EXIT_FAILURE_RUNTIME;
        goto out;
    }
    if (rotation_id[0] != '\0')
        printf("Rotation under way: /rotations/%s (rotation@rounds.test), coached by coach@rounds.test%s\n",
               rotation_id, rotation_created ? "" : " (already there; left as it is)");
    else
        printf("Rotation under way: none (the demo preceptor has no offering at the demo host)\n");
out:
    arena_heap_free(&arena);
    if (blobs_ready())
        blobs_close();
    return rc;
}

/* ---- --offerings N ---- */

static int seed_offerings(struct db_conn *conn, int64_t count)
{
    struct command_progress progress;
    command_progress_start(&progress, "offerings");
    struct demo_catalog_added added;
    int db_rc = demo_catalog_add_offerings(conn, count, progress.out != NULL ? command_progress_show : NULL, &progress,
                                           &added);
    double seconds = (clock_monotonic_ms() - progress.started_ms) / 1000.0;
    command_progress_end(&progress);
    if (db_rc != DB_OK) {
        char done_text[32];
        fprintf(stderr, "rounds seed: adding offerings failed after %s (see the log line above)\n",
                command_with_commas(added.offerings, done_text));
        return EXIT_FAILURE_RUNTIME;
    }
    char rate_text[32];
    command_with_commas(seconds > 0 ? (int64_t)((double)added.offerings / seconds) : added.offerings, rate_text);
    printf("Seeded %" PRId64 " offerings in %.1f s (%s offerings/s)\n", added.offerings, seconds, rate_text);
    return EXIT_OK;
}

int command_seed(int argc, char **argv)
{
    struct config config;
    if (!config_from_env(&config))
        return EXIT_USAGE;
    bool demo = false;
    int64_t offerings = 0;
    for (int i = 1; i < argc; i++) {
        if (command_wants_help(argv[i])) {
            fputs(seed_usage, stdout);
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--demo") == 0) {
            demo = true;
            continue;
        }
        if (strcmp(argv[i], "--offerings") == 0 || strncmp(argv[i], "--offerings=", 12) == 0) {
            const char *value = argv[i][11] == '=' ? argv[i] + 12 : i + 1 < argc ? argv[++i] : NULL;
            if (!parse_count(value, &offerings)) {
                fprintf(stderr, "rounds seed: --offerings needs a whole number from 1 to %" PRId64 "%s%s%s\n",
                        DEMO_CATALOG_BULK_MAX, value != NULL ? " (got \"" : "", value != NULL ? value : "",
                        value != NULL ? "\")" : "");
                return EXIT_USAGE;
            }
            continue;
        }
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            config.http.db_target = argv[++i];
            continue;
        }
        if (strcmp(argv[i], "--data-dir") == 0 && i + 1 < argc) {
            config.http.data_dir = argv[++i];
            continue;
        }
        fprintf(stderr, "rounds seed: unknown flag %s\n", argv[i]);
        fputs(seed_usage, stderr);
        return EXIT_USAGE;
    }
    if (!demo && offerings == 0) {
        fputs(seed_usage, stderr);
        return EXIT_USAGE;
    }
    config_finish(&config);
    /* What the demo writes links to where `rounds serve` will answer (as serve
     * configures them): the emails its notices queue, certificates, letters. */
    certificates_configure(config.http.public_url);
    notify_configure(config.http.public_url);
    letters_configure(config.http.public_url);
    struct db_conn *conn = NULL;
    int rc = command_open_migrated(config.http.db_target, &conn);
    if (rc != EXIT_OK)
        return rc;
    if (demo)
        rc = seed_demo(conn, &config);
    if (rc == EXIT_OK && offerings > 0)
        rc = seed_offerings(conn, offerings);
    db_close(conn);
    return rc;
}
