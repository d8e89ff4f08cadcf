/* test_match_json.c — the match instance reader and result writer
 * (src/domain/match_json*.c) and `rounds match` (src/cmd_match.c):
 *
 *   - every kind of bad instance is refused with the path of the offending
 *     field and the reason (syntax errors with line and column);
 *   - escapes, UTF-8 and ties are read as meant; random instances written as
 *     JSON and read back give the same result as the instance itself;
 *   - the result document: its fields, sorted lists, the same bytes for the
 *     same instance in another order;
 *   - the command: flags, exit codes, the result file, and no file left
 *     behind when the instance is refused. */
#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api_client.h"
#include "domain/match.h"
#include "domain/match_json.h"
#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "match_check.h"
#include "test.h"

static struct arena arena;

static const char good_blocks[] = "\"blocks\":[{\"id\":\"B1\",\"start\":\"2027-01-04\",\"end\":\"2027-01-31\"},"
                                  "{\"id\":\"B2\",\"start\":\"2027-02-01\",\"end\":\"2027-02-28\"}]";

/* The error for text, or NULL when it is accepted. */
static const char *refusal(const char *text)
{
    char *copy = arena_strdup(&arena, text);
    char *error = arena_alloc(&arena, MATCH_ERROR_MAX);
    struct match_instance in;
    if (match_json_read(copy, strlen(copy), &arena, &in, error) == 0)
        return NULL;
    return error;
}

/* An instance around the given offerings and students (mode one). */
static const char *with(const char *mode, const char *offerings, const char *students)
{
    struct buf b;
    buf_init(&b, &arena, 64 * 1024);
    buf_appendf(&b, "{\"version\":1,\"mode\":\"%s\",\"seed\":\"s\",%s,\"offerings\":[%s],\"students\":[%s]}", mode,
                good_blocks, offerings, students);
    return b.data;
}

#define OFFER_X "{\"id\":\"X\",\"block\":\"B1\",\"seats\":1,\"ranking\":{\"type\":\"lottery\"}}"

static const struct {
    const char *name, *text, *error;
} bad_instances[] = {
    {"empty", "", "(top level): invalid JSON at line 1, column 1: the text ends early (the instance is empty)"},
    {"spaces only", "  \n ", "(top level): invalid JSON at line 2, column 2: the text ends early"},
    {"array", "[]", "(top level): must be an object, not an array"},
    {"not JSON", "hello", "(top level): invalid JSON at line 1, column 1: expected a value"},
    {"missing mode", "{\"version\":1}", "(top level): missing field \"mode\""},
    {"version 2", "{\"version\":2}", "version: must be 1"},
    {"version text", "{\"version\":\"1\"}", "version: must be a whole number, not a string"},
    {"version fraction", "{\"version\":1.0}", "version: must be a whole number"},
    {"leading zero", "{\"version\":01}", "invalid JSON at line 1, column 12: a number cannot start with 0"},
    {"unknown field", "{\"version\":1,\"colour\":\"red\"}", "colour: unknown field"},
    {"odd unknown field", "{\"a b\":1}", "[\"a b\"]: unknown field"},
    {"repeated field", "{\"version\":1,\"version\":1}", "version: this field appears twice"},
    {"bad mode", "{\"mode\":\"two\"}", "mode: must be \"one\" or \"rotation\""},
    {"empty seed", "{\"seed\":\"\"}", "seed: must be 1 to 256 characters"},
    {"trailing text", "{\"version\":1} x", "(top level): invalid JSON at line 1, column 15: text after the end"},
    {"missing comma", "{\"version\":1\n \"mode\":\"one\"}", "(top level): invalid JSON at line 2, column 2: expected ',' or '}'"},
    {"trailing comma", "{\"blocks\":[{\"id\":\"B1\",\"start\":\"2027-01-04\",\"end\":\"2027-01-05\"},]}",
     "blocks[1]: invalid JSON at line 1, column 64: expected a value after ','"},
    {"unclosed string", "{\"seed\":\"abc", "seed: invalid JSON at line 1, column 13: the text ends early (a string is not closed)"},
    {"raw newline in string", "{\"seed\":\"a\nb\"}", "seed: invalid JSON at line 1, column 11: a control character"},
    {"bad escape", "{\"seed\":\"a\\qb\"}", "seed: invalid JSON at line 1, column 12: unknown escape"},
    {"lone surrogate", "{\"seed\":\"\\udc00\"}", "seed: invalid JSON at line 1, column 16: a lone low surrogate"},
    {"half surrogate", "{\"seed\":\"\\ud800x\"}", "a high surrogate without its low half"},
    {"bad UTF-8", "{\"seed\":\"\xc3\x28\"}", "seed: invalid JSON at line 1, column 10: invalid UTF-8"},
    {"control in seed", "{\"seed\":\"a\\u0001\"}", "seed: must not hold control characters"},
    {"block end before start", "{\"blocks\":[{\"id\":\"B1\",\"start\":\"2027-02-04\",\"end\":\"2027-01-05\"}]}",
     "blocks[0]: ends before it starts"},
    {"bad date", "{\"blocks\":[{\"id\":\"B1\",\"start\":\"2027-02-30\",\"end\":\"2027-03-05\"}]}",
     "blocks[0].start: must be a date YYYY-MM-DD"},
    {"block without end", "{\"blocks\":[{\"id\":\"B1\",\"start\":\"2027-02-01\"}]}", "blocks[0]: missing field \"end\""},
    {"block id too long",
     "{\"blocks\":[{\"id\":\"B123456789012345678901234567890123456789012345678901234567890123456789\"}]}",
     "blocks[0].id: must be 1 to 64 characters"},
    {"id with control", "{\"blocks\":[{\"id\":\"B\\n1\"}]}", "blocks[0].id: must not hold control characters"},
    {"students not an array", "{\"students\":{}}", "students: must be an array, not an object"},
    {"student not an object", "{\"students\":[1]}", "students[0]: must be an object, not a number"},
    {"rol not an array", "{\"students\":[{\"id\":\"A\",\"rol\":\"X\"}]}", "students[0].rol: must be an array, not a string"},
    {"rol entry a number", "{\"students\":[{\"id\":\"A\",\"rol\":[\"X\",7]}]}",
     "students[0].rol[1]: must be a string, not a number"},
    {"max_placements 0", "{\"students\":[{\"id\":\"A\",\"max_placements\":0}]}",
     "students[0].max_placements: must be between 1 and 64"},
    {"max_placements huge", "{\"students\":[{\"id\":\"A\",\"max_placements\":99999999999999999999999}]}",
     "students[0].max_placements: must be between 1 and 64"},
    {"seats negative", "{\"offerings\":[{\"id\":\"X\",\"seats\":-1}]}", "offerings[0].seats: must be between 0 and 1000000"},
    {"ranking type", "{\"offerings\":[{\"ranking\":{\"type\":\"auction\"}}]}",
     "offerings[0].ranking.type: must be \"list\" or \"lottery\""},
    {"list without order", "{\"offerings\":[{\"ranking\":{\"type\":\"list\"}}]}",
     "offerings[0].ranking: missing field \"order\" (type \"list\" needs it)"},
    {"lottery with order", "{\"offerings\":[{\"ranking\":{\"type\":\"lottery\",\"order\":[]}}]}",
     "offerings[0].ranking: a lottery takes no \"order\""},
    {"empty tie group", "{\"offerings\":[{\"ranking\":{\"type\":\"list\",\"order\":[\"A\",[]]}}]}",
     "offerings[0].ranking.order[1]: a group of equally ranked students cannot be empty"},
    {"nested tie group", "{\"offerings\":[{\"ranking\":{\"type\":\"list\",\"order\":[[[\"A\"]]]}}]}",
     "offerings[0].ranking.order[0][0]: must be a string, not an array"},
};

TEST(bad_instances_are_refused_with_the_path_of_the_field)
{
    for (size_t i = 0; i < sizeof(bad_instances) / sizeof(bad_instances[0]); i++) {
        arena_heap_init(&arena);
        const char *error = refusal(bad_instances[i].text);
        if (error == NULL)
            TEST_FAILF("%s: accepted", bad_instances[i].name);
        else if (strstr(error, bad_instances[i].error) == NULL)
            TEST_FAILF("%s: \"%s\", expected \"%s\"", bad_instances[i].name, error, bad_instances[i].error);
        arena_heap_free(&arena);
    }
}

TEST(bad_references_are_refused_with_the_path_of_the_field)
{
    arena_heap_init(&arena);
    CHECK_STR(refusal(with("one", OFFER_X, "{\"id\":\"A\",\"rol\":[\"X\",\"IM-B9\"]}")),
              "students[0].rol[1]: unknown offering \"IM-B9\"");
    CHECK_STR(refusal(with("one", OFFER_X, "{\"id\":\"A\",\"rol\":[\"X\",\"X\"]}")),
              "students[0].rol[1]: \"X\" is ranked twice");
    CHECK_STR(refusal(with("one", OFFER_X, "{\"id\":\"A\",\"rol\":[]},{\"id\":\"A\",\"rol\":[]}")),
              "students[1].id: duplicate id \"A\" (students[0] has it too)");
    CHECK_STR(refusal(with("one", OFFER_X "," OFFER_X, "")), "offerings[1].id: duplicate id \"X\" (offerings[0] has it too)");
    CHECK_STR(refusal(with("one", "{\"id\":\"X\",\"block\":\"B7\",\"seats\":1,\"ranking\":{\"type\":\"lottery\"}}", "")),
              "offerings[0].block: unknown block \"B7\"");
    CHECK_STR(refusal(with("one", "{\"id\":\"X\",\"block\":\"B1\",\"seats\":1,\"ranking\":{\"type\":\"list\",\"order\":[\"A\",\"Zed\"]}}",
                           "{\"id\":\"A\",\"rol\":[]}")),
              "offerings[0].ranking.order[1]: unknown student \"Zed\"");
    CHECK_STR(refusal(with("one", "{\"id\":\"X\",\"block\":\"B1\",\"seats\":1,\"ranking\":{\"type\":\"list\",\"order\":[[\"B\",\"A\"],\"A\"]}}",
                           "{\"id\":\"A\",\"rol\":[]},{\"id\":\"B\",\"rol\":[]}")),
              "offerings[0].ranking.order[1]: \"A\" is listed twice");
    CHECK_STR(refusal(with("one", "{\"id\":\"X\",\"block\":\"B1\",\"seats\":1,\"ranking\":{\"type\":\"list\",\"order\":[\"B\",[\"C\",\"B\"]]}}",
                           "{\"id\":\"B\",\"rol\":[]},{\"id\":\"C\",\"rol\":[]}")),
              "offerings[0].ranking.order[1][1]: \"B\" is listed twice");
    CHECK_STR(refusal(with("one", OFFER_X, "{\"id\":\"A\",\"rol\":[],\"attrs\":[\"step1\",\"visa\",\"step1\"]}")),
              "students[0].attrs[2]: \"step1\" is listed twice");
    CHECK_STR(refusal(with("one", "{\"id\":\"X\",\"block\":\"B1\",\"seats\":1,\"requires\":[\"a\",\"a\"],\"ranking\":{\"type\":\"lottery\"}}", "")),
              "offerings[0].requires[1]: \"a\" is listed twice");
    CHECK_STR(refusal(with("one", OFFER_X, "{\"id\":\"A\",\"max_placements\":2,\"rol\":[]}")),
              "students[0].max_placements: must be 1 in mode \"one\"");
    CHECK_STR(refusal(with("one", OFFER_X, "{\"id\":\"A\"}")), "students[0]: missing field \"rol\"");
    CHECK_STR(refusal(with("one", "{\"id\":\"X\",\"block\":\"B1\",\"ranking\":{\"type\":\"lottery\"}}", "")),
              "offerings[0]: missing field \"seats\"");
    /* overlapping blocks: fine in mode one, refused in rotation mode */
#define OVERLAPPING(mode)                                                                                   \
    "{\"version\":1,\"mode\":\"" mode "\",\"seed\":\"s\",\"blocks\":["                                      \
    "{\"id\":\"B1\",\"start\":\"2027-01-04\",\"end\":\"2027-01-31\"},"                                       \
    "{\"id\":\"B2\",\"start\":\"2027-03-01\",\"end\":\"2027-03-28\"},"                                       \
    "{\"id\":\"B3\",\"start\":\"2027-01-25\",\"end\":\"2027-02-20\"}],\"offerings\":[],\"students\":[]}"
    CHECK(refusal(OVERLAPPING("one")) == NULL);
    CHECK_STR(refusal(OVERLAPPING("rotation")),
              "blocks[2]: its dates overlap blocks[0] (\"B1\"): in mode \"rotation\" blocks may not overlap");
    arena_heap_free(&arena);
}

TEST(strings_escapes_and_ties_are_read_as_meant)
{
    arena_heap_init(&arena);
    char *text = arena_strdup(&arena,
                              "{\"version\":1,\"mode\":\"one\",\"seed\":\"caf\\u00e9 \\ud83d\\ude00\","
                              "\"blocks\":[{\"id\":\"B\\/1\",\"start\":\"2027-01-04\",\"end\":\"2027-01-31\"}],"
                              "\"offerings\":[{\"id\":\"Z\\u00fcrich \\\"IM\\\"\",\"block\":\"B/1\",\"seats\":2,"
                              "\"ranking\":{\"type\":\"list\",\"order\":[[\"Ana\",\"Bo\"],\"Cy\"]}}],"
                              "\"students\":[{\"id\":\"Ana\",\"rol\":[\"Zürich \\\"IM\\\"\"]},"
                              "{\"id\":\"Bo\",\"rol\":[]},{\"id\":\"Cy\",\"rol\":[]}]}");
    char error[MATCH_ERROR_MAX];
    struct match_instance in;
    CHECK_INT(match_json_read(text, strlen(text), &arena, &in, error), 0);
    CHECK_STR(in.seed, "café 😀");
    CHECK_STR(in.blocks[0].id, "B/1");
    CHECK_STR(in.offerings[0].id, "Zürich \"IM\"");
    CHECK_INT(in.offerings[0].order_count, 3);
    CHECK_INT(in.order_tier[0], 0);
    CHECK_INT(in.order_tier[1], 0);
    CHECK_INT(in.order_tier[2], 1);
    CHECK_INT(in.rol[0], 0);
    CHECK_INT(in.students[0].max_placements, 1);
    arena_heap_free(&arena);
}

/* An instance as JSON text, as a school would write it. */
static const char *instance_json(const struct match_instance *in)
{
    struct buf b;
    buf_init(&b, &arena, 4 * 1024 * 1024);
    buf_appendf(&b, "{\"version\":1,\"mode\":\"%s\",\"seed\":", match_mode_name(in->mode));
    buf_append_json_string(&b, in->seed);
    buf_append_str(&b, ",\"blocks\":[");
    for (uint32_t i = 0; i < in->block_count; i++) {
        char start[11], end[11];
        clock_date_from_days(in->blocks[i].start_day, start);
        clock_date_from_days(in->blocks[i].end_day, end);
        buf_appendf(&b, "%s{\"id\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}", i ? "," : "", in->blocks[i].id, start, end);
    }
    buf_append_str(&b, "],\"offerings\":[");
    for (uint32_t o = 0; o < in->offering_count; o++) {
        const struct match_offering *off = &in->offerings[o];
        buf_appendf(&b, "%s{\"id\":\"%s\",\"block\":\"%s\",\"seats\":%u,\"requires\":[", o ? "," : "", off->id,
                    in->blocks[off->block].id, off->seats);
        for (uint32_t j = 0; j < off->requires_count; j++)
            buf_appendf(&b, "%s\"%s\"", j ? "," : "", in->attr_names[in->attr_refs[off->requires_start + j]]);
        if (off->ranking == MATCH_RANKING_LOTTERY) {
            buf_append_str(&b, "],\"ranking\":{\"type\":\"lottery\"}}");
            continue;
        }
        buf_append_str(&b, "],\"ranking\":{\"type\":\"list\",\"order\":[");
        for (uint32_t j = 0; j < off->order_count;) { /* a group for each run of equal tiers */
            uint32_t k = j;
            while (k < off->order_count && in->order_tier[off->order_start + k] == in->order_tier[off->order_start + j])
                k++;
            buf_append_str(&b, j ? ",[" : "[");
            for (uint32_t x = j; x < k; x++)
                buf_appendf(&b, "%s\"%s\"", x > j ? "," : "", in->students[in->order[off->order_start + x]].id);
            buf_append_char(&b, ']');
            j = k;
        }
        buf_append_str(&b, "]}}");
    }
    buf_append_str(&b, "],\"students\":[");
    for (uint32_t s = 0; s < in->student_count; s++) {
        const struct match_student *st = &in->students[s];
        buf_appendf(&b, "%s{\"id\":\"%s\",\"max_placements\":%u,\"attrs\":[", s ? "," : "", st->id, st->max_placements);
        for (uint32_t j = 0; j < st->attrs_count; j++)
            buf_appendf(&b, "%s\"%s\"", j ? "," : "", in->attr_names[in->attr_refs[st->attrs_start + j]]);
        buf_append_str(&b, "],\"rol\":[");
        for (uint32_t j = 0; j < st->rol_count; j++)
            buf_appendf(&b, "%s\"%s\"", j ? "," : "", in->offerings[in->rol[st->rol_start + j]].id);
        buf_append_str(&b, "]}");
    }
    buf_append_str(&b, "]}");
    CHECK(buf_ok(&b));
    return b.data;
}

static const char *result_json(const struct match_instance *in, const struct match_result *r)
{
    struct buf b;
    buf_init(&b, &arena, 8 * 1024 * 1024);
    struct match_json_sink sink = {.buf = &b};
    CHECK_INT(match_json_write(in, r, &arena, &sink), 0);
    char *stats = strstr(b.data, "  \"stats\"");
    if (stats != NULL)
        *stats = '\0'; /* timings differ from run to run */
    return b.data;
}

TEST(instances_read_back_from_json_match_alike_and_write_the_same_bytes)
{
    check_rng = 0x5eed5eedu;
    for (int round = 0; round < 150; round++) {
        arena_heap_init(&arena);
        struct check_shape shape = {.students = 1 + check_random(30), .offerings = 1 + check_random(10),
                                    .blocks = 1 + check_random(3), .max_rol = 1 + check_random(5),
                                    .max_seats = 1 + check_random(3), .max_placements = 1 + check_random(2),
                                    .rotation = check_random(2) == 0, .ties = true, .lotteries = true,
                                    .requirements = true};
        struct match_instance in = check_generate(&arena, &shape, "round-trip");
        if (in.mode == MATCH_MODE_ONE)
            for (uint32_t s = 0; s < in.student_count; s++)
                in.students[s].max_placements = 1;
        const char *json = instance_json(&in);
        char *copy = arena_strdup(&arena, json);
        char error[MATCH_ERROR_MAX];
        struct match_instance back, permuted = check_permute(&arena, &in);
        struct match_result r1, r2, r3;
        if (match_json_read(copy, strlen(copy), &arena, &back, error) != 0) {
            TEST_FAILF("round %d: %s", round, error);
        } else if (match_run(&in, &arena, &r1) != 0 || match_run(&back, &arena, &r2) != 0 ||
                   match_run(&permuted, &arena, &r3) != 0) {
            TEST_FAILF("round %d: match_run failed", round);
        } else {
            const char *a = result_json(&in, &r1), *b = result_json(&back, &r2), *c = result_json(&permuted, &r3);
            if (strcmp(a, b) != 0 || strcmp(a, c) != 0)
                TEST_FAILF("round %d: results differ:\n%.600s\n---\n%.600s", round, a, strcmp(a, b) ? b : c);
            CHECK_CONTAINS(a, "\"status\": \"ok\"");
        }
        arena_heap_free(&arena);
    }
}

TEST(the_result_document_has_every_field)
{
    arena_heap_init(&arena);
    char *text = arena_strdup(&arena, "{\"version\":1,\"mode\":\"one\",\"seed\":\"doc\","
                                      "\"blocks\":[{\"id\":\"B\",\"start\":\"2027-01-04\",\"end\":\"2027-01-31\"}],"
                                      "\"offerings\":["
                                      "{\"id\":\"X\",\"block\":\"B\",\"seats\":1,\"ranking\":{\"type\":\"list\",\"order\":[\"Ben\",\"Ana\"]}},"
                                      "{\"id\":\"Y\",\"block\":\"B\",\"seats\":3,\"ranking\":{\"type\":\"lottery\"}}],"
                                      "\"students\":[{\"id\":\"Cai\",\"rol\":[\"X\"]},{\"id\":\"Ana\",\"rol\":[\"X\",\"Y\"]},"
                                      "{\"id\":\"Ben\",\"rol\":[\"X\"]}]}");
    char error[MATCH_ERROR_MAX];
    struct match_instance in;
    struct match_result r;
    CHECK_INT(match_json_read(text, strlen(text), &arena, &in, error), 0);
    CHECK_INT(match_run(&in, &arena, &r), 0);
    struct buf b;
    buf_init(&b, &arena, 64 * 1024);
    struct match_json_sink sink = {.buf = &b};
    CHECK_INT(match_json_write(&in, &r, &arena, &sink), 0);
    json_error_t jerr;
    json_t *doc = json_loads(b.data, 0, &jerr);
    CHECK(doc != NULL);
    CHECK_STR(json_string_value(json_object_get(doc, "status")), "ok");
    json_t *assignments = json_object_get(doc, "assignments");
    CHECK_INT(json_array_size(assignments), 2);
    CHECK_STR(json_string_value(json_object_get(json_array_get(assignments, 0), "student")), "Ana");
    CHECK_STR(json_string_value(json_object_get(json_array_get(assignments, 0), "offering")), "Y");
    CHECK_STR(json_string_value(json_object_get(json_array_get(assignments, 1), "student")), "Ben");
    CHECK_STR(json_string_value(json_array_get(json_object_get(doc, "unplaced"), 0)), "Cai");
    json_t *unfilled = json_object_get(doc, "unfilled");
    CHECK_INT(json_array_size(unfilled), 1);
    CHECK_STR(json_string_value(json_object_get(json_array_get(unfilled, 0), "offering")), "Y");
    CHECK_INT(json_integer_value(json_object_get(json_array_get(unfilled, 0), "seats_left")), 2);
    json_t *v = json_object_get(doc, "verification");
    CHECK(json_is_true(json_object_get(v, "capacity_ok")) && json_is_true(json_object_get(v, "eligibility_ok")) &&
          json_is_true(json_object_get(v, "overlap_ok")) && json_is_true(json_object_get(v, "max_placements_ok")));
    CHECK_INT(json_array_size(json_object_get(v, "blocking_pairs")), 0);
    CHECK_STR(json_string_value(json_object_get(json_object_get(doc, "explanations"), "Cai")),
              "Not placed. Of the offerings you ranked: its host did not rank you — X.");
    CHECK_INT(json_object_size(json_object_get(doc, "explanations")), 3);
    json_t *lottery = json_object_get(doc, "lottery");
    CHECK_STR(json_string_value(json_object_get(lottery, "seed")), "doc");
    CHECK_INT(strlen(json_string_value(json_object_get(lottery, "order_sha256"))), 64);
    json_t *stats = json_object_get(doc, "stats");
    CHECK_INT(json_integer_value(json_object_get(stats, "students")), 3);
    CHECK_INT(json_integer_value(json_object_get(stats, "seats")), 4);
    CHECK_INT(json_integer_value(json_object_get(stats, "proposals")), (json_int_t)r.proposals);
    CHECK(json_is_number(json_object_get(stats, "core_ms")) && json_is_number(json_object_get(stats, "total_ms")));
    json_decref(doc);
    arena_heap_free(&arena);
}

/* ---------------------------------------------------------------- the command */

static char work_dir[64];

static const char *path_in_work(const char *name)
{
    static char path[128];
    snprintf(path, sizeof(path), "%s/%s", work_dir, name);
    return path;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
}

static int files_in_work(void)
{
    int count = 0;
    DIR *d = opendir(work_dir);
    if (d == NULL)
        return -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        count += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return count;
}

TEST(rounds_match_writes_a_verified_result)
{
    arena_heap_init(&arena);
    char in_path[128], out_path[128];
    snprintf(in_path, sizeof(in_path), "%s", path_in_work("cohort.json"));
    snprintf(out_path, sizeof(out_path), "%s", path_in_work("result.json"));
    write_text(in_path, with("one", OFFER_X, "{\"id\":\"Ana\",\"rol\":[\"X\"]},{\"id\":\"Ben\",\"rol\":[\"X\"]}"));
    struct api_cli_result res;
    const char *args[] = {"match", "--in", in_path, "--out", out_path, NULL};
    CHECK_INT(api_cli(NULL, args, NULL, &res), 0);
    CHECK_CONTAINS(res.err, "2 students, 1 offerings, 1 seats, 2 ranks (mode one): 1 placements, 1 unplaced");
    CHECK_CONTAINS(res.err, "verification: ok (0 blocking pairs)");
    api_cli_free(&res);
    char *result = api_read_file(out_path, NULL);
    CHECK_CONTAINS(result, "\"status\": \"ok\"");
    CHECK_CONTAINS(result, "\"blocking_pairs\": []");
    free(result);
    CHECK_INT(files_in_work(), 2); /* no temporary file left */
    /* standard input to standard output, quietly */
    const char *piped[] = {"match", "--in", "-", "--out", "-", "--quiet", NULL};
    CHECK_INT(api_cli(NULL, piped, with("one", OFFER_X, "{\"id\":\"Ana\",\"rol\":[\"X\"]}"), &res), 0);
    CHECK_CONTAINS(res.out, "{\"student\": \"Ana\", \"offering\": \"X\"}");
    CHECK_STR(res.err, "");
    api_cli_free(&res);
    arena_heap_free(&arena);
}

TEST(rounds_match_refuses_bad_instances_and_flags)
{
    arena_heap_init(&arena);
    char in_path[128], out_path[128];
    snprintf(in_path, sizeof(in_path), "%s", path_in_work("bad.json"));
    snprintf(out_path, sizeof(out_path), "%s", path_in_work("bad-result.json"));
    write_text(in_path, with("one", OFFER_X, "{\"id\":\"A\",\"rol\":[\"IM-B9\"]}"));
    int before = files_in_work();
    struct api_cli_result res;
    const char *args[] = {"match", "--in", in_path, "--out", out_path, NULL};
    CHECK_INT(api_cli(NULL, args, NULL, &res), 4);
    CHECK_CONTAINS(res.err, "bad.json: students[0].rol[0]: unknown offering \"IM-B9\"");
    api_cli_free(&res);
    CHECK_INT(files_in_work(), before); /* nothing written */
    const char *missing[] = {"match", "--in", path_in_work("nowhere.json"), "--out", out_path, NULL};
    CHECK_INT(api_cli(NULL, missing, NULL, &res), 1);
    CHECK_CONTAINS(res.err, "cannot open");
    api_cli_free(&res);
    const char *no_out[] = {"match", "--in", in_path, NULL};
    CHECK_INT(api_cli(NULL, no_out, NULL, &res), 2);
    CHECK_CONTAINS(res.err, "usage: rounds match");
    api_cli_free(&res);
    const char *unknown[] = {"match", "--in", in_path, "--out", out_path, "--fast", NULL};
    CHECK_INT(api_cli(NULL, unknown, NULL, &res), 2);
    CHECK_CONTAINS(res.err, "unknown or repeated flag --fast");
    api_cli_free(&res);
    const char *help[] = {"match", "--help", NULL};
    CHECK_INT(api_cli(NULL, help, NULL, &res), 0);
    CHECK_CONTAINS(res.out, "Exit codes: 0 matched and verified");
    api_cli_free(&res);
    const char *unwritable[] = {"match", "--in", in_path, "--out", "/nonexistent-dir/result.json", NULL};
    write_text(in_path, with("one", OFFER_X, "{\"id\":\"A\",\"rol\":[\"X\"]}"));
    CHECK_INT(api_cli(NULL, unwritable, NULL, &res), 1);
    CHECK_CONTAINS(res.err, "cannot write beside /nonexistent-dir/result.json");
    api_cli_free(&res);
    arena_heap_free(&arena);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    if (test_tmp_dir(work_dir, sizeof(work_dir), "match") == NULL)
        return 1;
    RUN(bad_instances_are_refused_with_the_path_of_the_field);
    RUN(bad_references_are_refused_with_the_path_of_the_field);
    RUN(strings_escapes_and_ties_are_read_as_meant);
    RUN(instances_read_back_from_json_match_alike_and_write_the_same_bytes);
    RUN(the_result_document_has_every_field);
    RUN(rounds_match_writes_a_verified_result);
    RUN(rounds_match_refuses_bad_instances_and_flags);
    api_remove_tree(work_dir);
    return test_summary("unit-match-json");
}
