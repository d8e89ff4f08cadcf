/* test_torture.c — the parsers when memory runs out (curl's "torture" tests):
 * each parser runs once counting its allocations (arena and jansson), then
 * once for every N with the Nth allocation failing. Each run must fail
 * cleanly (the parser's "no memory" answer, an empty result, an error set)
 * or, past the last allocation, succeed exactly as without failures; ASan
 * and LSan, which run every unit suite, catch a crash or a leak on any path.
 *
 * Parsers: query strings and forms, cookies, multipart bodies, JSON bodies
 * against a field spec, backup manifests, a school's cohort CSV and a match
 * instance. (The Stripe signature check allocates nothing: there is nothing
 * to fail in it.) */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/match_json.h"
#include "domain/school_csv.h"
#include "http/parse.h"
#include "lib/arena.h"
#include "lib/errors.h"
#include "lib/json_spec.h"
#include "lib/manifest.h"
#include "test.h"

/* Allocations so far and the one that fails (0-based; -1: none). */
static long allocations;
static long fail_at = -1;

static bool allowed(void)
{
    return allocations++ != fail_at;
}

static void *torture_arena_alloc(void *backend, size_t size)
{
    return allowed() ? arena_alloc(backend, size) : NULL;
}

static void *torture_malloc(size_t size)
{
    return allowed() ? malloc(size) : NULL;
}

/* An arena whose allocations count and may fail, over a heap arena. */
struct torture {
    struct arena heap;
    struct arena arena;
};

static void torture_begin(struct torture *t, long failing)
{
    allocations = 0;
    fail_at = failing;
    arena_heap_init(&t->heap);
    memset(&t->arena, 0, sizeof(t->arena));
    t->arena.backend_alloc = torture_arena_alloc;
    t->arena.backend = &t->heap;
}

static void torture_end(struct torture *t)
{
    fail_at = -1;
    arena_heap_free(&t->heap);
}

/* Runs fn with no failure (its allocation count is the number of runs), then
 * failing each allocation in turn. fn returns 1 for success (with the right
 * result), 0 for a clean failure, -1 for anything else (a wrong result, a
 * failure that is not "no memory"). */
static void torture(const char *what, int (*fn)(struct arena *arena))
{
    struct torture t;
    torture_begin(&t, -1);
    int first = fn(&t.arena);
    long total = allocations;
    torture_end(&t);
    if (first != 1) {
        TEST_FAILF("%s: without failures it answered %d", what, first);
        return;
    }
    if (total == 0)
        TEST_FAILF("%s: no allocation to fail", what);
    for (long n = 0; n <= total; n++) {
        torture_begin(&t, n);
        int got = fn(&t.arena);
        torture_end(&t);
        if (got != (n == total ? 1 : 0))
            TEST_FAILF("%s: with allocation %ld of %ld failing it answered %d", what, n, total, got);
    }
}

static int run_urlencoded(struct arena *arena)
{
    static const char input[] = "q=heart+failure&state=TX&state=NY&c=%C3%A9t%C3%A9&empty&&x=1";
    struct http_kv_list list;
    enum http_parse_status s = http_parse_urlencoded(arena, input, sizeof(input) - 1, 16, &list);
    if (s == HTTP_PARSE_NO_MEMORY)
        return list.items == NULL && list.count == 0 ? 0 : -1;
    return s == HTTP_PARSE_OK && list.count == 6 && strcmp(list.items[0].value, "heart failure") == 0 &&
                   strcmp(list.items[3].value, "\xc3\xa9t\xc3\xa9") == 0
               ? 1
               : -1;
}

static int run_cookies(struct arena *arena)
{
    static const char input[] = "rounds_session=abc123; theme=\"dark\"; csrf=x-y_z";
    struct http_kv_list list;
    enum http_parse_status s = http_parse_cookies(arena, input, sizeof(input) - 1, 16, &list);
    if (s == HTTP_PARSE_NO_MEMORY)
        return list.items == NULL && list.count == 0 ? 0 : -1;
    return s == HTTP_PARSE_OK && list.count == 3 && strcmp(list.items[1].value, "dark") == 0 ? 1 : -1;
}

static int run_multipart(struct arena *arena)
{
    static const char body[] = "--XyZ\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npassport\r\n"
                               "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.pdf\"\r\n"
                               "Content-Type: application/pdf\r\n\r\n%PDF-1.7 bytes\r\n--XyZ--\r\n";
    struct http_part_list list;
    enum http_parse_status s = http_parse_multipart(arena, body, sizeof(body) - 1, "XyZ", 8, &list);
    if (s == HTTP_PARSE_NO_MEMORY)
        return list.items == NULL && list.count == 0 ? 0 : -1;
    return s == HTTP_PARSE_OK && list.count == 2 && strcmp(list.items[1].filename, "p.pdf") == 0 &&
                   list.items[1].len == 14
               ? 1
               : -1;
}

struct body {
    const char *name, *kind, *on;
    int64_t weeks;
    bool waived;
};

static const char *const kinds[] = {"hands_on", "observership", NULL};
static const struct json_field body_spec[] = {
    JSON_STRING(struct body, name, JSON_REQUIRED, 1, 100),
    JSON_ENUM(struct body, kind, JSON_REQUIRED, kinds),
    JSON_DATE(struct body, on, 0),
    JSON_INT(struct body, weeks, 0, 1, 52),
    JSON_BOOL(struct body, waived, 0),
    {0},
};

static int run_json_spec(struct arena *arena)
{
    static const char input[] = "{\"name\":\"Amara Okafor\",\"kind\":\"observership\",\"on\":\"2027-01-04\","
                                "\"weeks\":4,\"waived\":true}";
    struct body b = {0};
    struct error err = {0};
    if (json_spec_parse(arena, input, sizeof(input) - 1, body_spec, &b, NULL, &err) != 0)
        /* No memory in the arena is ours (500); in jansson it reads as a body it could not parse. */
        return err.code == ERR_INTERNAL || err.code == ERR_INVALID_JSON ? 0 : -1;
    return b.name != NULL && strcmp(b.name, "Amara Okafor") == 0 && b.weeks == 4 && b.waived ? 1 : -1;
}

static int run_manifest(struct arena *arena)
{
    (void)arena;
    static const char input[] =
        "{\"format\":\"rounds-backup\",\"format_version\":1,\"rounds_version\":\"0.1.0\",\"created_at\":"
        "\"2026-12-04T02:56:41Z\",\"backend\":\"sqlite\",\"schema_version\":7,\"includes_keys\":false,\"files\":["
        "{\"path\":\"database.sqlite\",\"bytes\":10,\"sha256\":"
        "\"04cfd43406481b886f30bc597ed53bed3c7d8c247aede36b6d068aa9053063e0\"},"
        "{\"path\":\"files/ab/abc\",\"bytes\":3,\"sha256\":"
        "\"04cfd43406481b886f30bc597ed53bed3c7d8c247aede36b6d068aa9053063e0\"}]}";
    struct manifest m;
    char why[200] = "";
    if (manifest_parse(input, sizeof(input) - 1, &m, why, sizeof(why)) != 0)
        return why[0] != '\0' && m.files == NULL ? 0 : -1;
    int ok = m.file_count == 2 && strcmp(m.files[1].path, "files/ab/abc") == 0 ? 1 : -1;
    manifest_free(&m);
    return ok;
}

static int run_school_csv(struct arena *arena)
{
    static const char input[] = "\xef\xbb\xbfname,email,graduation_year\r\n"
                                "Amara Okafor,Amara@Example.org,2027\r\n"
                                "\"Chen, Wei\",wei.chen@example.org,\r\n"
                                "\"Ngozi \"\"Zee\"\" Eze\",not-an-email,2026\r\n"
                                "\r\n"
                                "Luis Ortega,luis@example.org,1850\n";
    struct school_csv csv;
    struct error err = {0};
    if (school_csv_parse(input, sizeof(input) - 1, arena, &csv, &err) != 0)
        return err.code == ERR_INTERNAL ? 0 : -1;
    return csv.row_count == 2 && csv.problem_count == 2 && strcmp(csv.rows[0].email, "amara@example.org") == 0 &&
                   strcmp(csv.rows[1].name, "Chen, Wei") == 0 && csv.problems[0].line == 4
               ? 1
               : -1;
}

static int run_match_instance(struct arena *arena)
{
    static const char input[] =
        "{\"version\":1,\"mode\":\"one\",\"seed\":\"caf\\u00e9\","
        "\"blocks\":[{\"id\":\"B1\",\"start\":\"2027-01-04\",\"end\":\"2027-01-31\"}],"
        "\"offerings\":[{\"id\":\"IM\",\"block\":\"B1\",\"seats\":2,"
        "\"ranking\":{\"type\":\"list\",\"order\":[[\"Ana\",\"Bo\"],\"Cy\"]}}],"
        "\"students\":[{\"id\":\"Ana\",\"rol\":[\"IM\"]},{\"id\":\"Bo\",\"rol\":[]},{\"id\":\"Cy\",\"rol\":[\"IM\"]}]}";
    char text[sizeof(input)];
    memcpy(text, input, sizeof(input)); /* read in place */
    char error[MATCH_ERROR_MAX] = "";
    struct match_instance in;
    if (match_json_read(text, sizeof(input) - 1, arena, &in, error) != 0)
        return error[0] != '\0' ? 0 : -1;
    return in.offerings[0].order_count == 3 && strcmp(in.seed, "caf\xc3\xa9") == 0 ? 1 : -1;
}

TEST(school_csv_parser)
{
    torture("school_csv_parse", run_school_csv);
}

TEST(match_instance_reader)
{
    torture("match_json_read", run_match_instance);
}

TEST(query_and_form_parser)
{
    torture("http_parse_urlencoded", run_urlencoded);
}

TEST(cookie_parser)
{
    torture("http_parse_cookies", run_cookies);
}

TEST(multipart_parser)
{
    torture("http_parse_multipart", run_multipart);
}

TEST(json_body_parser)
{
    torture("json_spec_parse", run_json_spec);
}

TEST(manifest_parser)
{
    torture("manifest_parse", run_manifest);
}

int main(void)
{
    /* jansson's allocations count and fail too (it frees with free()). */
    json_set_alloc_funcs(torture_malloc, free);
    RUN(query_and_form_parser);
    RUN(cookie_parser);
    RUN(multipart_parser);
    RUN(json_body_parser);
    RUN(manifest_parser);
    RUN(school_csv_parser);
    RUN(match_instance_reader);
    return test_summary("test_torture");
}
