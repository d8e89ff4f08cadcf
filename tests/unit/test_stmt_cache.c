/* test_stmt_cache.c — unit tests for src/store/stmt_cache.c, the statement
 * table both database drivers keep: found by the address of the SQL text,
 * through growth, and visited once each. */
#include <stdbool.h>
#include <stddef.h>

#include "store/stmt_cache.h"
#include "test.h"

enum { MANY = 1000 }; /* past several doublings of the table */

static char sql_texts[MANY][8]; /* distinct addresses stand for distinct SQL literals */
static int statements[MANY];

static void count_one(void *stmt, void *ctx)
{
    int *seen = ctx;
    seen[(int *)stmt - statements]++;
}

TEST(statements_are_found_by_the_address_of_their_sql)
{
    struct stmt_cache cache = {0};
    CHECK(stmt_cache_get(&cache, sql_texts[0]) == NULL); /* empty: no table yet */
    for (int i = 0; i < MANY; i++) {
        CHECK_INT(stmt_cache_put(&cache, sql_texts[i], &statements[i]), 0);
        CHECK(stmt_cache_get(&cache, sql_texts[i]) == &statements[i]);
    }
    CHECK_INT(cache.used, MANY);
    CHECK(cache.used * 2 <= cache.size); /* at most half full */
    for (int i = 0; i < MANY; i++)
        if (stmt_cache_get(&cache, sql_texts[i]) != &statements[i])
            TEST_FAILF("statement %d lost after growing", i);
    /* The same text at another address is another statement. */
    char copy[8] = {0};
    CHECK(stmt_cache_get(&cache, copy) == NULL);
    static int seen[MANY];
    stmt_cache_each(&cache, count_one, seen);
    for (int i = 0; i < MANY; i++)
        if (seen[i] != 1)
            TEST_FAILF("statement %d visited %d times", i, seen[i]);
    stmt_cache_free(&cache);
    CHECK(cache.slots == NULL && cache.size == 0 && cache.used == 0);
    CHECK(stmt_cache_get(&cache, sql_texts[0]) == NULL);
}

int main(void)
{
    RUN(statements_are_found_by_the_address_of_their_sql);
    return test_summary("unit-stmt-cache");
}
