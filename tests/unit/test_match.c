/* test_match.c — the placement match engine (src/domain/match*.c):
 *
 *   - the three published examples of the issue, read from JSON;
 *   - eligibility applied before matching, ties and lottery hosts, rotation
 *     mode (at most one placement per block, max_placements), explanations;
 *   - the lottery order and its SHA-256 recomputed with libsodium, and the
 *     lottery's own SHA-256 (both code paths) against libsodium;
 *   - properties on thousands of random instances: the verification passes;
 *     a separate brute-force checker finds no blocking pair and, on tiny
 *     instances, every stable assignment (enumerated) is no better for any
 *     student; the result does not depend on the order of the input; the same
 *     seed gives the same result; the host-proposing variant places the same
 *     students the same number of times and fills every offering alike
 *     (rural-hospitals theorem);
 *   - the verification catches broken results. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "domain/match.h"
#include "domain/match_json.h"
#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/sha256.h"
#include "match_check.h"
#include "test.h"

static struct arena arena;

/* Reads an instance from JSON text (copied: the reader works in place). */
static bool read_instance(const char *json, struct match_instance *in)
{
    char *text = arena_strdup(&arena, json);
    char error[MATCH_ERROR_MAX];
    if (match_json_read(text, strlen(text), &arena, in, error) != 0) {
        TEST_FAILF("instance refused: %s", error);
        return false;
    }
    return true;
}

static uint32_t student_index(const struct match_instance *in, const char *id)
{
    for (uint32_t s = 0; s < in->student_count; s++)
        if (strcmp(in->students[s].id, id) == 0)
            return s;
    return MATCH_NONE;
}

/* "O1,O2" — a student's placements by id, in their order ("" when none). */
static const char *placements_of(const struct match_instance *in, const struct match_result *r, const char *id)
{
    uint32_t s = student_index(in, id);
    if (s == MATCH_NONE)
        return "(no such student)";
    struct buf b;
    buf_init(&b, &arena, 4096);
    for (uint32_t i = r->placement_start[s]; i < r->placement_start[s + 1]; i++) {
        if (i > r->placement_start[s])
            buf_append_char(&b, ',');
        buf_append_str(&b, in->offerings[r->placements[i]].id);
    }
    return b.data;
}

static const char *explanation_of(const struct match_instance *in, const struct match_result *r, const char *id)
{
    struct match_explainer *x = match_explainer_new(in, r, &arena);
    struct buf b;
    buf_init(&b, &arena, 64 * 1024);
    if (x == NULL || student_index(in, id) == MATCH_NONE)
        return "(none)";
    match_explain(x, student_index(in, id), &b);
    return b.data;
}

static bool run(const struct match_instance *in, struct match_result *r)
{
    if (match_run(in, &arena, r) != 0) {
        TEST_FAILF("match_run failed");
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- known answers */

TEST(known_answer_five_students_three_hosts_of_two)
{
    arena_heap_init(&arena);
    struct match_instance in;
    struct match_result r;
    if (!read_instance("{\"version\":1,\"mode\":\"one\",\"seed\":\"k1\","
                       "\"blocks\":[{\"id\":\"B\",\"start\":\"2027-01-04\",\"end\":\"2027-01-31\"}],"
                       "\"offerings\":["
                       "{\"id\":\"M\",\"block\":\"B\",\"seats\":2,\"ranking\":{\"type\":\"list\",\"order\":[\"D\",\"L\",\"S\",\"J\"]}},"
                       "{\"id\":\"C\",\"block\":\"B\",\"seats\":2,\"ranking\":{\"type\":\"list\",\"order\":[\"D\",\"A\",\"S\",\"L\",\"J\"]}},"
                       "{\"id\":\"G\",\"block\":\"B\",\"seats\":2,\"ranking\":{\"type\":\"list\",\"order\":[\"D\",\"J\",\"L\"]}}],"
                       "\"students\":[{\"id\":\"A\",\"rol\":[\"C\"]},{\"id\":\"S\",\"rol\":[\"C\",\"M\"]},"
                       "{\"id\":\"D\",\"rol\":[\"C\",\"M\",\"G\"]},{\"id\":\"J\",\"rol\":[\"C\",\"G\",\"M\"]},"
                       "{\"id\":\"L\",\"rol\":[\"M\",\"C\",\"G\"]}]}",
                       &in) ||
        !run(&in, &r))
        goto out;
    /* M{L, S}, C{D, A}, G{J} */
    CHECK_STR(placements_of(&in, &r, "L"), "M");
    CHECK_STR(placements_of(&in, &r, "S"), "M");
    CHECK_STR(placements_of(&in, &r, "D"), "C");
    CHECK_STR(placements_of(&in, &r, "A"), "C");
    CHECK_STR(placements_of(&in, &r, "J"), "G");
    CHECK(match_verification_ok(&r.verification));
    CHECK_INT(r.placement_total, 5);
    CHECK_CONTAINS(explanation_of(&in, &r, "J"), "Placed at G, your choice 2 of 3");
    CHECK_CONTAINS(explanation_of(&in, &r, "J"), "filled by students its host ranked higher — C.");
out:
    arena_heap_free(&arena);
}

TEST(known_answer_one_unplaced)
{
    arena_heap_init(&arena);
    struct match_instance in;
    struct match_result r;
    if (!read_instance("{\"version\":1,\"mode\":\"one\",\"seed\":\"k2\","
                       "\"blocks\":[{\"id\":\"B\",\"start\":\"2027-01-04\",\"end\":\"2027-01-31\"}],"
                       "\"offerings\":["
                       "{\"id\":\"X\",\"block\":\"B\",\"seats\":1,\"ranking\":{\"type\":\"list\",\"order\":[\"B\",\"A\"]}},"
                       "{\"id\":\"Y\",\"block\":\"B\",\"seats\":1,\"ranking\":{\"type\":\"list\",\"order\":[\"B\"]}}],"
                       "\"students\":[{\"id\":\"A\",\"rol\":[\"X\"]},{\"id\":\"B\",\"rol\":[\"X\",\"Y\"]}]}",
                       &in) ||
        !run(&in, &r))
        goto out;
    /* X{B}, Y{}, A unplaced */
    CHECK_STR(placements_of(&in, &r, "B"), "X");
    CHECK_STR(placements_of(&in, &r, "A"), "");
    CHECK_INT(r.fill[1], 0);
    CHECK(match_verification_ok(&r.verification));
    CHECK_STR(explanation_of(&in, &r, "A"),
              "Not placed. Of the offerings you ranked: filled by students its host ranked higher — X.");
out:
    arena_heap_free(&arena);
}

TEST(known_answer_one_to_one)
{
    arena_heap_init(&arena);
    struct match_instance in;
    struct match_result r;
    if (!read_instance("{\"version\":1,\"mode\":\"one\",\"seed\":\"k3\","
                       "\"blocks\":[{\"id\":\"B\",\"start\":\"2027-01-04\",\"end\":\"2027-01-31\"}],"
                       "\"offerings\":["
                       "{\"id\":\"D\",\"block\":\"B\",\"seats\":1,\"ranking\":{\"type\":\"list\",\"order\":[\"B\",\"C\",\"A\"]}},"
                       "{\"id\":\"E\",\"block\":\"B\",\"seats\":1,\"ranking\":{\"type\":\"list\",\"order\":[\"A\",\"C\",\"B\"]}},"
                       "{\"id\":\"F\",\"block\":\"B\",\"seats\":1,\"ranking\":{\"type\":\"list\",\"order\":[\"C\",\"B\",\"A\"]}}],"
                       "\"students\":[{\"id\":\"A\",\"rol\":[\"D\",\"E\",\"F\"]},{\"id\":\"B\",\"rol\":[\"D\",\"F\",\"E\"]},"
                       "{\"id\":\"C\",\"rol\":[\"F\",\"D\",\"E\"]}]}",
                       &in) ||
        !run(&in, &r))
        goto out;
    /* A–E, B–D, C–F */
    CHECK_STR(placements_of(&in, &r, "A"), "E");
    CHECK_STR(placements_of(&in, &r, "B"), "D");
    CHECK_STR(placements_of(&in, &r, "C"), "F");
    CHECK(match_verification_ok(&r.verification));
out:
    arena_heap_free(&arena);
}

/* ---------------------------------------------------------------- rules */

TEST(eligibility_removes_pairs_before_matching)
{
    arena_heap_init(&arena);
    struct match_instance in;
    struct match_result r;
    /* The host ranks A first, but A lacks step1: B gets the seat, A goes to Y. */
    if (!read_instance("{\"version\":1,\"mode\":\"one\",\"seed\":\"e\","
                       "\"blocks\":[{\"id\":\"B1\",\"start\":\"2027-01-04\",\"end\":\"2027-01-31\"}],"
                       "\"offerings\":["
                       "{\"id\":\"X\",\"block\":\"B1\",\"seats\":1,\"requires\":[\"step1\"],"
                       "\"ranking\":{\"type\":\"list\",\"order\":[\"A\",\"B\"]}},"
                       "{\"id\":\"Y\",\"block\":\"B1\",\"seats\":1,\"ranking\":{\"type\":\"lottery\"}}],"
                       "\"students\":[{\"id\":\"A\",\"rol\":[\"X\",\"Y\"],\"attrs\":[\"english\"]},"
                       "{\"id\":\"B\",\"rol\":[\"X\"],\"attrs\":[\"step1\",\"english\"]}]}",
                       &in) ||
        !run(&in, &r))
        goto out;
    CHECK_STR(placements_of(&in, &r, "A"), "Y");
    CHECK_STR(placements_of(&in, &r, "B"), "X");
    CHECK(match_verification_ok(&r.verification));
    CHECK_CONTAINS(explanation_of(&in, &r, "A"), "you do not meet its requirements — X (needs step1)");
out:
    arena_heap_free(&arena);
}

TEST(unlisted_students_are_unacceptable_and_lotteries_take_everyone)
{
    arena_heap_init(&arena);
    struct match_instance in;
    struct match_result r;
    if (!read_instance("{\"version\":1,\"mode\":\"one\",\"seed\":\"u\","
                       "\"blocks\":[{\"id\":\"B1\",\"start\":\"2027-01-04\",\"end\":\"2027-01-31\"}],"
                       "\"offerings\":["
                       "{\"id\":\"X\",\"block\":\"B1\",\"seats\":3,\"ranking\":{\"type\":\"list\",\"order\":[\"B\"]}},"
                       "{\"id\":\"L\",\"block\":\"B1\",\"seats\":1,\"ranking\":{\"type\":\"lottery\"}}],"
                       "\"students\":[{\"id\":\"A\",\"rol\":[\"X\",\"L\"]},{\"id\":\"B\",\"rol\":[\"X\"]},"
                       "{\"id\":\"C\",\"rol\":[\"L\"]}]}",
                       &in) ||
        !run(&in, &r))
        goto out;
    CHECK_STR(placements_of(&in, &r, "B"), "X");
    CHECK_INT(r.fill[0], 1); /* two seats stay empty rather than take A */
    /* L has one seat for A and C: the first drawn of the two gets it */
    uint32_t a = student_index(&in, "A"), c = student_index(&in, "C");
    const char *winner = r.lottery_position[a] < r.lottery_position[c] ? "A" : "C";
    const char *loser = winner[0] == 'A' ? "C" : "A";
    CHECK_STR(placements_of(&in, &r, winner), "L");
    CHECK_STR(placements_of(&in, &r, loser), "");
    CHECK_CONTAINS(explanation_of(&in, &r, loser), "drawn before you in the lottery — L");
    CHECK_CONTAINS(explanation_of(&in, &r, "A"), "its host did not rank you — X");
    CHECK(match_verification_ok(&r.verification));
out:
    arena_heap_free(&arena);
}

TEST(ties_in_a_list_are_broken_by_the_lottery)
{
    arena_heap_init(&arena);
    struct match_instance in;
    struct match_result r;
    /* Host X ranks A first, then B and C equally; two seats. */
    if (!read_instance("{\"version\":1,\"mode\":\"one\",\"seed\":\"t\","
                       "\"blocks\":[{\"id\":\"B1\",\"start\":\"2027-01-04\",\"end\":\"2027-01-31\"}],"
                       "\"offerings\":[{\"id\":\"X\",\"block\":\"B1\",\"seats\":2,"
                       "\"ranking\":{\"type\":\"list\",\"order\":[\"A\",[\"B\",\"C\"]]}}],"
                       "\"students\":[{\"id\":\"A\",\"rol\":[\"X\"]},{\"id\":\"B\",\"rol\":[\"X\"]},"
                       "{\"id\":\"C\",\"rol\":[\"X\"]}]}",
                       &in) ||
        !run(&in, &r))
        goto out;
    CHECK_STR(placements_of(&in, &r, "A"), "X");
    uint32_t b = student_index(&in, "B"), c = student_index(&in, "C");
    const char *winner = r.lottery_position[b] < r.lottery_position[c] ? "B" : "C";
    const char *loser = winner[0] == 'B' ? "C" : "B";
    CHECK_STR(placements_of(&in, &r, winner), "X");
    CHECK_STR(placements_of(&in, &r, loser), "");
    CHECK_CONTAINS(explanation_of(&in, &r, loser), "or equal to you and drawn before you in the lottery — X");
    CHECK(match_verification_ok(&r.verification));
out:
    arena_heap_free(&arena);
}

TEST(rotation_mode_one_per_block_up_to_max_placements)
{
    arena_heap_init(&arena);
    struct match_instance in;
    struct match_result r;
    /* Ana may take 2: her top two are both in B1, so she gets X1 and then Z2. */
    if (!read_instance("{\"version\":1,\"mode\":\"rotation\",\"seed\":\"r\","
                       "\"blocks\":[{\"id\":\"B1\",\"start\":\"2027-01-04\",\"end\":\"2027-01-31\"},"
                       "{\"id\":\"B2\",\"start\":\"2027-02-01\",\"end\":\"2027-02-28\"},"
                       "{\"id\":\"B3\",\"start\":\"2027-03-01\",\"end\":\"2027-03-28\"}],"
                       "\"offerings\":["
                       "{\"id\":\"X1\",\"block\":\"B1\",\"seats\":1,\"ranking\":{\"type\":\"list\",\"order\":[\"Ana\",\"Ben\"]}},"
                       "{\"id\":\"Y1\",\"block\":\"B1\",\"seats\":1,\"ranking\":{\"type\":\"lottery\"}},"
                       "{\"id\":\"Z2\",\"block\":\"B2\",\"seats\":1,\"ranking\":{\"type\":\"list\",\"order\":[\"Ana\",\"Ben\"]}},"
                       "{\"id\":\"W3\",\"block\":\"B3\",\"seats\":2,\"ranking\":{\"type\":\"lottery\"}}],"
                       "\"students\":["
                       "{\"id\":\"Ana\",\"max_placements\":2,\"rol\":[\"X1\",\"Y1\",\"Z2\",\"W3\"]},"
                       "{\"id\":\"Ben\",\"max_placements\":3,\"rol\":[\"Z2\",\"W3\",\"X1\",\"Y1\"]}]}",
                       &in) ||
        !run(&in, &r))
        goto out;
    CHECK_STR(placements_of(&in, &r, "Ana"), "X1,Z2");
    CHECK_STR(placements_of(&in, &r, "Ben"), "W3,Y1");
    CHECK(match_verification_ok(&r.verification));
    CHECK_CONTAINS(explanation_of(&in, &r, "Ana"), "Placed at X1 (choice 1) and Z2 (choice 3): 2 of the 2");
    CHECK_CONTAINS(explanation_of(&in, &r, "Ana"), "in the same block as a placement you ranked higher — Y1");
    CHECK_CONTAINS(explanation_of(&in, &r, "Ben"), "filled by students its host ranked higher — Z2");
out:
    arena_heap_free(&arena);
}

TEST(lottery_order_is_the_ids_sorted_by_sha256_of_seed_and_id)
{
    arena_heap_init(&arena);
    struct check_shape shape = {.students = 40, .offerings = 3, .blocks = 1, .max_rol = 2, .max_seats = 2};
    struct match_instance in = check_generate(&arena, &shape, "2027-spring-cohort-a");
    struct match_result r;
    CHECK_INT(match_lottery(&in, &arena, &r), 0);
    unsigned char previous[32] = {0};
    crypto_hash_sha256_state order;
    crypto_hash_sha256_init(&order);
    for (uint32_t i = 0; i < in.student_count; i++) {
        uint32_t s = r.lottery_order[i];
        CHECK_INT(r.lottery_position[s], i);
        unsigned char digest[32];
        crypto_hash_sha256_state one;
        crypto_hash_sha256_init(&one);
        crypto_hash_sha256_update(&one, (const unsigned char *)in.seed, strlen(in.seed));
        crypto_hash_sha256_update(&one, (const unsigned char *)in.students[s].id, strlen(in.students[s].id));
        crypto_hash_sha256_final(&one, digest);
        CHECK(i == 0 || memcmp(previous, digest, 32) < 0);
        memcpy(previous, digest, 32);
        crypto_hash_sha256_update(&order, (const unsigned char *)in.students[s].id, strlen(in.students[s].id));
        crypto_hash_sha256_update(&order, (const unsigned char *)"\n", 1);
    }
    unsigned char expected[32];
    crypto_hash_sha256_final(&order, expected);
    CHECK(memcmp(expected, r.order_sha256, 32) == 0);
    /* another seed, another order */
    in.seed = "2027-spring-cohort-b";
    struct match_result other;
    CHECK_INT(match_lottery(&in, &arena, &other), 0);
    CHECK(memcmp(other.order_sha256, r.order_sha256, 32) != 0);
    arena_heap_free(&arena);
}

/* The lottery's SHA-256, accelerated (when the processor has the SHA
 * extensions) and portable, against libsodium, for every length across the
 * block boundaries and fed in pieces of every size. */
TEST(sha256_matches_libsodium_with_and_without_the_sha_extensions)
{
    unsigned char data[300];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (unsigned char)(i * 131 + 7);
    for (int accelerated = 1; accelerated >= 0; accelerated--) {
        sha256_set_accelerated(accelerated);
        int wrong = 0;
        for (size_t len = 0; len <= sizeof(data); len++) {
            unsigned char want[32], got[32];
            crypto_hash_sha256(want, data, len);
            struct sha256 h;
            sha256_init(&h);
            size_t piece = len % 67 + 1;
            for (size_t at = 0; at < len; at += piece)
                sha256_update(&h, data + at, len - at < piece ? len - at : piece);
            sha256_final(&h, got);
            wrong += memcmp(want, got, 32) != 0;
        }
        if (wrong != 0)
            TEST_FAILF("%d digests differ (%s)", wrong, accelerated && sha256_accelerated() ? "SHA extensions" : "portable");
    }
    sha256_set_accelerated(1);
}

/* ---------------------------------------------------------------- properties */

static void random_shape(struct check_shape *shape, uint32_t max_students, uint32_t max_offerings)
{
    memset(shape, 0, sizeof(*shape));
    shape->students = 1 + check_random(max_students);
    shape->offerings = 1 + check_random(max_offerings);
    shape->blocks = 1 + check_random(4);
    shape->max_rol = 1 + check_random(6);
    shape->max_seats = 1 + check_random(3);
    shape->max_placements = 1 + check_random(3);
    shape->rotation = check_random(2) == 0;
    shape->ties = check_random(2) == 0;
    shape->lotteries = check_random(2) == 0;
    shape->requirements = check_random(2) == 0;
}

static bool same_placements(const struct match_instance *a, const struct match_result *ra,
                            const struct match_instance *b, const struct match_result *rb)
{
    for (uint32_t s = 0; s < a->student_count; s++) {
        uint32_t t = student_index(b, a->students[s].id);
        if (t == MATCH_NONE ||
            ra->placement_start[s + 1] - ra->placement_start[s] != rb->placement_start[t + 1] - rb->placement_start[t])
            return false;
        for (uint32_t i = 0; i < ra->placement_start[s + 1] - ra->placement_start[s]; i++)
            if (strcmp(a->offerings[ra->placements[ra->placement_start[s] + i]].id,
                       b->offerings[rb->placements[rb->placement_start[t] + i]].id) != 0)
                return false;
    }
    return true;
}

/* Small instances: verification, the brute-force checker, input order, seed,
 * and the rural-hospitals theorem against host-proposing. */
TEST(random_small_instances_are_stable_and_agree_with_the_host_proposing_variant)
{
    check_rng = 0x1234567u;
    uint32_t failures = 0;
    for (int round = 0; round < 2500 && failures < 5; round++) {
        arena_heap_init(&arena);
        struct check_shape shape;
        random_shape(&shape, 12, 8);
        struct match_instance in = check_generate(&arena, &shape, "seed");
        struct match_result r, again;
        if (!run(&in, &r) || !run(&in, &again)) {
            failures++;
            arena_heap_free(&arena);
            continue;
        }
        struct check_assignment mine = check_from_result(&arena, &in, &r);
        uint32_t blocking = check_blocking_pairs(&in, r.lottery_position, &mine);
        bool feasible = check_feasible(&in, r.lottery_position, &mine);
        struct check_assignment hosts = check_host_proposing(&arena, &in, r.lottery_position);
        bool rural = true;
        for (uint32_t s = 0; s < in.student_count && rural; s++) {
            uint32_t a = 0, b = 0;
            for (uint32_t o = 0; o < in.offering_count; o++) {
                a += mine.at[(size_t)s * in.offering_count + o];
                b += hosts.at[(size_t)s * in.offering_count + o];
            }
            rural = a == b;
        }
        for (uint32_t o = 0; o < in.offering_count && rural; o++) {
            uint32_t a = 0, b = 0;
            for (uint32_t s = 0; s < in.student_count; s++) {
                a += mine.at[(size_t)s * in.offering_count + o];
                b += hosts.at[(size_t)s * in.offering_count + o];
            }
            rural = a == b;
        }
        struct match_instance permuted = check_permute(&arena, &in);
        struct match_result rp;
        bool order_free = run(&permuted, &rp) && same_placements(&in, &r, &permuted, &rp);
        bool ok = match_verification_ok(&r.verification) && blocking == 0 && feasible && rural && order_free &&
                  same_placements(&in, &r, &in, &again) &&
                  check_blocking_pairs(&in, r.lottery_position, &hosts) == 0;
        if (!ok) {
            failures++;
            TEST_FAILF("round %d (%s, %u students, %u offerings): verified %d, brute-force blocking %u, feasible %d, "
                       "rural %d, order-free %d",
                       round, shape.rotation ? "rotation" : "one", shape.students, shape.offerings,
                       match_verification_ok(&r.verification), blocking, feasible, rural, order_free);
        }
        arena_heap_free(&arena);
    }
}

/* Enumerates every feasible assignment of a tiny one-placement instance:
 * the engine's must be stable and, for every student, at least as good as
 * in any other stable assignment (student-optimal). */
static bool student_optimal(const struct match_instance *in, const struct match_result *r, uint32_t *stable_count)
{
    uint32_t n = in->student_count, m = in->offering_count;
    uint32_t choice[8] = {0}; /* per student: 0 unplaced, j + 1 its rol entry j */
    struct check_assignment x = {n, m, arena_calloc(&arena, (size_t)n * m + 1, sizeof(bool))};
    *stable_count = 0;
    for (;;) {
        memset(x.at, 0, (size_t)n * m);
        for (uint32_t s = 0; s < n; s++)
            if (choice[s] > 0)
                x.at[(size_t)s * m + in->rol[in->students[s].rol_start + choice[s] - 1]] = true;
        if (check_feasible(in, r->lottery_position, &x) && check_blocking_pairs(in, r->lottery_position, &x) == 0) {
            (*stable_count)++;
            for (uint32_t s = 0; s < n; s++) {
                uint32_t engine = r->placement_start[s + 1] > r->placement_start[s]
                                      ? check_rol_position(in, s, r->placements[r->placement_start[s]]) + 1
                                      : 0;
                /* rank 1 best; 0 (unplaced) worst */
                if (choice[s] != 0 && (engine == 0 || choice[s] < engine))
                    return false;
            }
        }
        uint32_t s = 0;
        while (s < n && ++choice[s] > in->students[s].rol_count)
            choice[s++] = 0;
        if (s == n)
            return true;
    }
}

TEST(tiny_instances_give_the_student_optimal_stable_assignment)
{
    /* the enumeration itself, on a classic instance with two stable assignments */
    arena_heap_init(&arena);
    struct match_instance two;
    struct match_result r2;
    uint32_t count = 0;
    if (read_instance("{\"version\":1,\"mode\":\"one\",\"seed\":\"two\","
                      "\"blocks\":[{\"id\":\"B\",\"start\":\"2027-01-04\",\"end\":\"2027-01-31\"}],"
                      "\"offerings\":["
                      "{\"id\":\"X\",\"block\":\"B\",\"seats\":1,\"ranking\":{\"type\":\"list\",\"order\":[\"B\",\"A\"]}},"
                      "{\"id\":\"Y\",\"block\":\"B\",\"seats\":1,\"ranking\":{\"type\":\"list\",\"order\":[\"A\",\"B\"]}}],"
                      "\"students\":[{\"id\":\"A\",\"rol\":[\"X\",\"Y\"]},{\"id\":\"B\",\"rol\":[\"Y\",\"X\"]}]}",
                      &two) &&
        run(&two, &r2)) {
        CHECK(student_optimal(&two, &r2, &count));
        CHECK_INT(count, 2);
        CHECK_STR(placements_of(&two, &r2, "A"), "X"); /* the students' choice, not the hosts' */
        struct check_assignment hosts = check_host_proposing(&arena, &two, r2.lottery_position);
        CHECK(hosts.at[0 * 2 + 1] && hosts.at[1 * 2 + 0]); /* A–Y, B–X */
    }
    arena_heap_free(&arena);

    check_rng = 0xfeedbeefu;
    uint32_t failures = 0, with_several = 0;
    for (int round = 0; round < 600 && failures < 5; round++) {
        arena_heap_init(&arena);
        bool complete = round % 2 == 0; /* full lists: where several stable assignments are common */
        struct check_shape shape = {.students = 2 + check_random(5), .offerings = 1 + check_random(4),
                                    .blocks = 1, .max_rol = 1 + check_random(3), .max_seats = 1 + check_random(2),
                                    .ties = !complete && check_random(2) == 0,
                                    .lotteries = !complete && check_random(3) == 0, .complete = complete};
        if (complete) { /* as many one-seat offerings as students, everyone ranks everything */
            shape.students = shape.offerings = shape.max_rol = 3 + check_random(3);
            shape.max_seats = 1;
        }
        struct match_instance in = check_generate(&arena, &shape, "tiny");
        struct match_result r;
        uint32_t stable = 0;
        if (run(&in, &r) && !student_optimal(&in, &r, &stable)) {
            failures++;
            TEST_FAILF("round %d: a stable assignment is better for some student than the engine's", round);
        }
        if (stable == 0) {
            failures++;
            TEST_FAILF("round %d: the enumeration found no stable assignment", round);
        }
        with_several += stable > 1;
        arena_heap_free(&arena);
    }
    CHECK(with_several > 10); /* the property is not vacuous (17 with this seed) */
}

/* Hundreds of students: the verification (its own code) on every run, the
 * same result for the same seed and in any input order, and the
 * rural-hospitals theorem. */
TEST(random_large_instances_verify_and_do_not_depend_on_input_order)
{
    check_rng = 0xabcdef12u;
    uint32_t failures = 0;
    for (int round = 0; round < 120 && failures < 5; round++) {
        arena_heap_init(&arena);
        struct check_shape shape;
        random_shape(&shape, 400, 60);
        shape.students = 100 + check_random(300);
        shape.max_rol = 1 + check_random(12);
        struct match_instance in = check_generate(&arena, &shape, round % 2 ? "odd" : "even");
        struct match_result r, rp, again;
        struct match_instance permuted = check_permute(&arena, &in);
        if (!run(&in, &r) || !run(&permuted, &rp) || !run(&in, &again)) {
            failures++;
            arena_heap_free(&arena);
            continue;
        }
        bool rural = true;
        if (round % 4 == 0) { /* the plain host-proposing loop is slow: every fourth round */
            struct check_assignment mine = check_from_result(&arena, &in, &r);
            struct check_assignment hosts = check_host_proposing(&arena, &in, r.lottery_position);
            for (uint32_t o = 0; o < in.offering_count && rural; o++) {
                uint32_t a = 0, b = 0;
                for (uint32_t s = 0; s < in.student_count; s++) {
                    a += mine.at[(size_t)s * in.offering_count + o];
                    b += hosts.at[(size_t)s * in.offering_count + o];
                }
                rural = a == b;
            }
        }
        bool ok = match_verification_ok(&r.verification) && same_placements(&in, &r, &permuted, &rp) &&
                  same_placements(&in, &r, &in, &again) && r.proposals == rp.proposals &&
                  memcmp(r.order_sha256, rp.order_sha256, 32) == 0 && rural;
        if (!ok) {
            failures++;
            TEST_FAILF("round %d (%s, %u students): verified %d, rural %d", round,
                       shape.rotation ? "rotation" : "one", shape.students, match_verification_ok(&r.verification),
                       rural);
        }
        arena_heap_free(&arena);
    }
}

/* ---------------------------------------------------------------- the verification itself */

TEST(verification_catches_broken_results)
{
    arena_heap_init(&arena);
    struct match_instance in;
    struct match_result r;
    if (!read_instance("{\"version\":1,\"mode\":\"rotation\",\"seed\":\"v\","
                       "\"blocks\":[{\"id\":\"B1\",\"start\":\"2027-01-04\",\"end\":\"2027-01-31\"},"
                       "{\"id\":\"B2\",\"start\":\"2027-02-01\",\"end\":\"2027-02-28\"}],"
                       "\"offerings\":["
                       "{\"id\":\"X\",\"block\":\"B1\",\"seats\":1,\"ranking\":{\"type\":\"list\",\"order\":[\"A\",\"B\"]}},"
                       "{\"id\":\"Y\",\"block\":\"B1\",\"seats\":1,\"requires\":[\"step1\"],\"ranking\":{\"type\":\"lottery\"}},"
                       "{\"id\":\"Z\",\"block\":\"B2\",\"seats\":1,\"ranking\":{\"type\":\"list\",\"order\":[\"A\",\"B\"]}}],"
                       "\"students\":[{\"id\":\"A\",\"max_placements\":2,\"rol\":[\"X\",\"Y\",\"Z\"]},"
                       "{\"id\":\"B\",\"rol\":[\"X\",\"Z\"],\"attrs\":[\"step1\"]}]}",
                       &in) ||
        !run(&in, &r))
        goto out;
    CHECK(match_verification_ok(&r.verification));
    CHECK_STR(placements_of(&in, &r, "A"), "X,Z");
    CHECK_STR(placements_of(&in, &r, "B"), "");
    struct match_verification v;
    /* B in X as well: over capacity, and A (ranked higher) blocks nothing, but B was not swapped */
    uint32_t starts[3] = {0, 2, 3}, placements[3] = {0, 2, 0};
    struct match_result broken = r;
    broken.placement_start = starts;
    broken.placements = placements;
    CHECK_INT(match_verify(&in, &broken, &arena, &v), 0);
    CHECK(!v.capacity_ok);
    /* A in X and Y (same block), and in Y without step1 */
    uint32_t starts2[3] = {0, 2, 2}, placements2[2] = {0, 1};
    broken.placement_start = starts2;
    broken.placements = placements2;
    CHECK_INT(match_verify(&in, &broken, &arena, &v), 0);
    CHECK(!v.overlap_ok);
    CHECK(!v.eligibility_ok);
    /* B in X, A nowhere: A and X block (X ranks A higher), A and Z block (free seat) */
    uint32_t starts3[3] = {0, 0, 1}, placements3[1] = {0};
    broken.placement_start = starts3;
    broken.placements = placements3;
    CHECK_INT(match_verify(&in, &broken, &arena, &v), 0);
    CHECK(v.capacity_ok && v.eligibility_ok && v.overlap_ok && v.max_placements_ok);
    CHECK_INT(v.blocking_count, 2);
    CHECK(!match_verification_ok(&v));
    /* B with two placements while allowed one */
    uint32_t starts4[3] = {0, 0, 2}, placements4[2] = {0, 2};
    broken.placement_start = starts4;
    broken.placements = placements4;
    CHECK_INT(match_verify(&in, &broken, &arena, &v), 0);
    CHECK(!v.max_placements_ok);
out:
    arena_heap_free(&arena);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    RUN(known_answer_five_students_three_hosts_of_two);
    RUN(known_answer_one_unplaced);
    RUN(known_answer_one_to_one);
    RUN(eligibility_removes_pairs_before_matching);
    RUN(unlisted_students_are_unacceptable_and_lotteries_take_everyone);
    RUN(ties_in_a_list_are_broken_by_the_lottery);
    RUN(rotation_mode_one_per_block_up_to_max_placements);
    RUN(lottery_order_is_the_ids_sorted_by_sha256_of_seed_and_id);
    RUN(sha256_matches_libsodium_with_and_without_the_sha_extensions);
    RUN(random_small_instances_are_stable_and_agree_with_the_host_proposing_variant);
    RUN(tiny_instances_give_the_student_optimal_stable_assignment);
    RUN(random_large_instances_verify_and_do_not_depend_on_input_order);
    RUN(verification_catches_broken_results);
    return test_summary("unit-match");
}
