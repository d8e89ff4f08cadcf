/* api_suite.h — the main() that the API suites share: initialise libsodium
 * and libcurl, start the suite's server with its flags, set the suite's world
 * up on it, run its tests, put things back, stop the server unless a test
 * did (a graceful shutdown, or the suite fails), remove its folder
 * (ROUNDS_TEST_KEEP=1 keeps it; also when the set-up fails) and print the
 * summary. A suite gives its own
 * parts:
 *
 *   static bool setup(void) { return world_setup(&W, &server, "rot"); }
 *   static void run_tests(void) { API_RUN(first); API_RUN(second); }
 *   static void finish(void) { hooks_set_clock(0); db_close(W.db); }
 *
 *   int main(void)
 *   {
 *       static const char *const flags[] = {"--test-hooks", "1", NULL};
 *       static const struct api_suite suite = {
 *           .name = "api-rotation", .server = &server, .flags = flags, .setup = setup,
 *           .setup_what = "setting up the world", .run = run_tests, .finish = finish};
 *       return api_suite_main(&suite);
 *   }
 *
 * Include after api_client.h. */
#ifndef ROUNDS_TESTS_API_SUITE_H
#define ROUNDS_TESTS_API_SUITE_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "lib/crypto.h"
#include "test.h"

struct api_suite {
    const char *name;            /* in the summary line: "api-rotation" */
    struct api_server *server;   /* started with flags; api_current while the tests run */
    const char *const *flags;    /* NULL-terminated, may be NULL */
    bool (*setup)(void);         /* the suite's world on the started server; NULL: none */
    const char *setup_what;      /* what setup does, said when it fails: "setting up the world" */
    void (*run)(void);           /* the suite's RUN list (and anything between its tests) */
    void (*finish)(void);        /* after the tests, the server still up: the clock back, the database closed; may be NULL */
};

/* True when the servers' folders stay for a look afterwards (ROUNDS_TEST_KEEP=1). */
static inline bool api_suite_keep(void)
{
    return api_keep_folders();
}

/* The whole of a suite's main(): its exit status. */
static inline int api_suite_main(const struct api_suite *suite)
{
    if (crypto_init() != 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        printf("cannot initialise libsodium or libcurl\n");
        return 1;
    }
    if (api_server_start(suite->server, suite->flags) != 0)
        return 1;
    test_current_name = "setup";
    if (suite->setup != NULL && !suite->setup()) {
        printf("FAIL %s\n", suite->setup_what);
        api_server_print_log(suite->server, 30);
        api_server_stop(suite->server);
        api_server_abandon(suite->server); /* its folder, unless ROUNDS_TEST_KEEP=1 */
        curl_global_cleanup();
        return 1;
    }
    suite->run();
    api_use(suite->server);
    if (suite->finish != NULL)
        suite->finish();
    /* Stopped already by a test of the suite's own (which checked how), or now. */
    int stopped = suite->server->pid > 0 ? api_server_stop(suite->server) : 0;
    if (stopped != 0)
        printf("FAIL the server did not shut down gracefully (exit status %d)\n", stopped);
    if (api_suite_keep())
        printf("server folder kept: %s\n", suite->server->dir);
    else
        api_server_cleanup(suite->server);
    curl_global_cleanup();
    return test_summary(suite->name) | (stopped != 0);
}

#endif
