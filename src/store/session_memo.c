/* session_memo.c — the sessions a session reader read, kept under the
 * snapshot they were read at: one slot per token hash (the last read wins),
 * each holding a copy of the session and its user in one block of its own
 * (grown, never shrunk, and kept for the next session when forgotten). When
 * and why a kept session may be given again: store/session_batch.c. */
#include <stdlib.h>
#include <string.h>

#include "store/session_memo.h"

enum { MEMO_STRINGS = 2 + 5 + 7 + STORE_MAX_ROLES + 4 * STORE_MAX_MEMBERSHIPS };

struct store_session_memo_slot {
    char token_hash[65]; /* "" when empty */
    struct store_session_copy copy;
};

struct store_session_memo *store_session_memo_new(void)
{
    struct store_session_memo *memo = calloc(1, sizeof(*memo));
    if (memo == NULL)
        return NULL;
    memo->slots = calloc(STORE_SESSION_MEMO_SLOTS, sizeof(*memo->slots));
    if (memo->slots == NULL) {
        free(memo);
        return NULL;
    }
    return memo;
}

void store_session_memo_free(struct store_session_memo *memo)
{
    if (memo == NULL)
        return;
    for (size_t i = 0; i < STORE_SESSION_MEMO_SLOTS; i++)
        store_session_copy_free(&memo->slots[i].copy);
    free(memo->slots);
    free(memo);
}

void store_session_memo_forget(struct store_session_memo *memo)
{
    if (memo == NULL)
        return;
    for (size_t i = 0; i < STORE_SESSION_MEMO_SLOTS; i++)
        memo->slots[i].token_hash[0] = '\0';
    memo->snapshot[0] = '\0';
    memo->confirmed = false;
}

bool store_session_memo_under(const struct store_session_memo *memo, const char *snapshot)
{
    return snapshot != NULL && memo->snapshot[0] != '\0' && strcmp(memo->snapshot, snapshot) == 0;
}

void store_session_memo_set_snapshot(struct store_session_memo *memo, const char *snapshot)
{
    bool same = store_session_memo_under(memo, snapshot);
    if (!same) {
        store_session_memo_forget(memo);
        if (snapshot != NULL && strlen(snapshot) < sizeof(memo->snapshot))
            memcpy(memo->snapshot, snapshot, strlen(snapshot) + 1);
    }
    memo->confirmed = same;
}

static struct store_session_memo_slot *slot_of(const struct store_session_memo *memo, const char *token_hash)
{
    uint32_t h = 2166136261u;
    for (const char *p = token_hash; *p != '\0'; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return &memo->slots[h % STORE_SESSION_MEMO_SLOTS];
}

bool store_session_memo_has(const struct store_session_memo *memo, const char *token_hash)
{
    const struct store_session_memo_slot *slot = slot_of(memo, token_hash);
    return memo->snapshot[0] != '\0' && slot->token_hash[0] != '\0' && strcmp(slot->token_hash, token_hash) == 0;
}

/* The address of every string of a session read, into out; their count. */
static size_t copy_strings(struct store_session *s, struct store_user *u, const char **out[MEMO_STRINGS])
{
    size_t n = 0;
    const char **fixed[] = {&s->user_id,           &s->csrf_token,     &u->id,
                            &u->email,             &u->name,           &u->password_hash,
                            &u->profile.school,    &u->profile.country, &u->profile.status,
                            &u->profile.visa_kind, &u->profile.step1,  &u->profile.ecfmg_status,
                            &u->profile.english_proof, &u->time_zone};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        out[n++] = fixed[i];
    for (size_t i = 0; i < u->role_count && i < STORE_MAX_ROLES; i++)
        out[n++] = &u->roles[i];
    for (size_t i = 0; i < u->membership_count && i < STORE_MAX_MEMBERSHIPS; i++) {
        struct store_membership *m = &u->memberships[i];
        out[n++] = &m->organization_id;
        out[n++] = &m->organization_name;
        out[n++] = &m->organization_kind;
        out[n++] = &m->role;
    }
    return n;
}

bool store_session_copy_keep(struct store_session_copy *c, const struct store_session *session,
                             const struct store_user *user)
{
    struct store_session s = *session;
    struct store_user u = *user;
    const char **strings[MEMO_STRINGS];
    size_t lengths[MEMO_STRINGS], total = 0;
    size_t n = copy_strings(&s, &u, strings);
    for (size_t i = 0; i < n; i++) {
        lengths[i] = *strings[i] != NULL ? strlen(*strings[i]) + 1 : 0;
        total += lengths[i];
    }
    if (c->text == NULL || total > c->capacity) {
        char *grown = realloc(c->text, total + 1);
        if (grown == NULL)
            return false;
        c->text = grown;
        c->capacity = total;
    }
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (*strings[i] == NULL)
            continue;
        memcpy(c->text + at, *strings[i], lengths[i]);
        *strings[i] = c->text + at;
        at += lengths[i];
    }
    c->session = s;
    c->user = u;
    c->text_length = total;
    return true;
}

int store_session_copy_give(const struct store_session_copy *c, struct arena *arena, struct store_session *session,
                            struct store_user *user)
{
    char *text = arena_alloc(arena, c->text_length + 1);
    if (text == NULL)
        return DB_ERROR;
    memcpy(text, c->text, c->text_length);
    *session = c->session;
    *user = c->user;
    const char **strings[MEMO_STRINGS];
    size_t n = copy_strings(session, user, strings);
    for (size_t i = 0; i < n; i++)
        if (*strings[i] != NULL)
            *strings[i] = text + (*strings[i] - c->text);
    return DB_ROW;
}

void store_session_copy_free(struct store_session_copy *c)
{
    free(c->text);
    memset(c, 0, sizeof(*c));
}

/* The slot stays empty when the hash is too long or out of memory. */
void store_session_memo_keep(struct store_session_memo *memo, const char *token_hash,
                             const struct store_session *session, const struct store_user *user)
{
    struct store_session_memo_slot *slot = slot_of(memo, token_hash);
    size_t hash_length = strlen(token_hash);
    slot->token_hash[0] = '\0';
    if (memo->snapshot[0] == '\0' || hash_length >= sizeof(slot->token_hash) ||
        !store_session_copy_keep(&slot->copy, session, user))
        return;
    memcpy(slot->token_hash, token_hash, hash_length + 1);
}

int store_session_memo_give(const struct store_session_memo *memo, const char *token_hash, struct arena *arena,
                            int64_t idle_after, int64_t created_after, struct store_session *session,
                            struct store_user *user)
{
    if (!store_session_memo_has(memo, token_hash))
        return DB_ERROR;
    const struct store_session_copy *c = &slot_of(memo, token_hash)->copy;
    /* What the query's WHERE asks of the time, asked of the kept row. */
    if (!(c->session.last_seen_at > idle_after && c->session.created_at > created_after))
        return DB_DONE;
    return store_session_copy_give(c, arena, session, user);
}
