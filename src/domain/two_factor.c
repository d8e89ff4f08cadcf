/* two_factor.c — two-factor sign-in; see two_factor.h. */
#include "domain/two_factor.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "store/blobs.h"
#include "store/two_factor.h"

/* A sealed 20-byte secret in base64url: 24 + 20 + 16 bytes. */
enum { SEALED_SECRET_MAX = 128 };

unsigned two_factor_default_roles(void)
{
    return 1u << ROLE_STAFF | 1u << ROLE_COACH | 1u << ROLE_HOST_COORDINATOR;
}

bool two_factor_parse_roles(const char *text, unsigned *roles)
{
    *roles = 0;
    if (text == NULL || strcmp(text, "none") == 0)
        return text != NULL;
    const char *p = text;
    while (*p != '\0') {
        const char *comma = strchr(p, ',');
        size_t n = comma != NULL ? (size_t)(comma - p) : strlen(p);
        char name[32];
        if (n == 0 || n >= sizeof(name))
            return false;
        memcpy(name, p, n);
        name[n] = '\0';
        enum role role = role_parse(name);
        if (role == ROLE_UNKNOWN)
            return false;
        *roles |= 1u << role;
        p += n + (comma != NULL);
        if (comma != NULL && *p == '\0')
            return false;
    }
    return *roles != 0;
}

bool two_factor_required(const struct store_user *user, unsigned roles)
{
    for (int role = 0; role < ROLE_COUNT; role++)
        if ((roles & (1u << role)) && account_has_role(user, (enum role)role))
            return true;
    return false;
}

/* The user's confirmed (or, with pending, waiting) secret opened into secret. */
static int load_secret(struct db_conn *conn, struct arena *arena, const char *user_id, bool pending,
                       unsigned char secret[TOTP_SECRET_BYTES], int64_t *last_step, struct error *err)
{
    struct store_two_factor row;
    int rc = store_two_factor_get(conn, arena, user_id, &row);
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (rc == DB_DONE || (row.confirmed_at == 0) != pending)
        return error_set(err, ERR_NOT_FOUND, NULL, pending ? "no enrolment is waiting" : "two-factor sign-in is off");
    if (blobs_open_secret(row.secret_sealed, user_id, secret, TOTP_SECRET_BYTES) != TOTP_SECRET_BYTES)
        return error_set(err, ERR_INTERNAL, NULL, "the second factor's secret cannot be opened (is this the file key "
                                                  "it was sealed with?)");
    if (last_step != NULL)
        *last_step = row.last_step;
    return 0;
}

int two_factor_after_password(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                              unsigned required_roles, enum two_factor_next *next, char challenge[44],
                              struct error *err)
{
    struct store_two_factor row;
    int rc = store_two_factor_get(conn, arena, user->id, &row);
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (rc == DB_ROW && row.confirmed_at != 0) {
        char hash[65];
        int64_t now = clock_now();
        crypto_random_token(challenge);
        crypto_hash_token(challenge, hash);
        store_login_challenge_prune(conn, now);
        if (store_login_challenge_insert(conn, hash, user->id, now, now + LOGIN_CHALLENGE_SECONDS) != DB_OK)
            return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
        *next = TWO_FACTOR_CHALLENGE;
        return 0;
    }
    *next = two_factor_required(user, required_roles) ? TWO_FACTOR_ENROL : TWO_FACTOR_NONE;
    return 0;
}

bool two_factor_challenge_alive(struct db_conn *conn, const char *challenge)
{
    if (challenge == NULL || strlen(challenge) != 43)
        return false;
    char hash[65];
    crypto_hash_token(challenge, hash);
    struct arena scratch;
    arena_heap_init(&scratch);
    const char *user_id = NULL;
    int64_t attempts = 0;
    bool alive = store_login_challenge_find(conn, &scratch, hash, clock_now(), &user_id, &attempts) == DB_ROW;
    arena_heap_free(&scratch);
    return alive;
}

int two_factor_restrict_session(struct db_conn *conn, const char *token_hash)
{
    return store_session_restrict_to_enrolment(conn, token_hash) == DB_OK ? 0 : -1;
}

/* Whether code is right for the user now: a TOTP code of a step not used
 * before (recorded as used), or an unused recovery code (used up). */
static int code_accepted(struct db_conn *conn, struct arena *arena, const char *user_id, const struct totp_code *code,
                         bool *accepted, struct error *err)
{
    *accepted = false;
    if (code->kind == TOTP_CODE_RECOVERY) {
        char hash[65];
        crypto_hash_token(code->text, hash);
        int rc = store_recovery_code_use(conn, user_id, hash, clock_now());
        *accepted = rc == DB_OK;
        return rc == DB_OK || rc == DB_DONE ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    }
    if (code->kind != TOTP_CODE_DIGITS)
        return 0;
    unsigned char secret[TOTP_SECRET_BYTES];
    int64_t last_step = 0;
    if (load_secret(conn, arena, user_id, false, secret, &last_step, err) != 0)
        return err->code == ERR_NOT_FOUND ? 0 : -1;
    int64_t step = totp_match(secret, clock_now(), code->text);
    sodium_memzero(secret, sizeof(secret));
    if (step <= last_step)
        return 0;
    int rc = store_two_factor_use_step(conn, user_id, step);
    *accepted = rc == DB_OK;
    return rc == DB_OK || rc == DB_DONE ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int two_factor_login(struct db_conn *conn, struct arena *arena, const char *challenge, const char *code,
                     const char *client_addr, const struct auth_login_limits *limits, struct store_user *user,
                     int64_t *retry_after, struct error *err)
{
    char hash[65];
    const char *user_id = NULL;
    int64_t attempts = 0;
    *retry_after = 0;
    if (challenge == NULL || strlen(challenge) != 43)
        return error_set(err, ERR_INVALID_CREDENTIALS, NULL, "wrong email or password");
    crypto_hash_token(challenge, hash);
    int rc = store_login_challenge_find(conn, arena, hash, clock_now(), &user_id, &attempts);
    if (rc == DB_DONE)
        return error_set(err, ERR_INVALID_CREDENTIALS, NULL, "wrong email or password");
    if (rc != DB_ROW || store_user_by_id(conn, arena, user_id, user) != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (auth_attempt_begin(conn, user->email, client_addr, limits, retry_after, err) != 0)
        return -1;
    struct totp_code parsed;
    bool accepted = false;
    totp_parse_code(code, &parsed);
    if (code_accepted(conn, arena, user->id, &parsed, &accepted, err) != 0)
        return -1;
    if (!accepted) {
        /* A challenge takes a few tries; then the password must be typed again. */
        if (attempts + 1 >= LOGIN_CHALLENGE_TRIES)
            store_login_challenge_delete(conn, hash);
        else
            store_login_challenge_attempt(conn, hash);
        return auth_attempt_failed(conn, user->email, err);
    }
    store_login_challenge_delete(conn, hash);
    auth_attempt_succeeded(conn, user->email, client_addr);
    store_audit_add(conn, user->id, parsed.kind == TOTP_CODE_RECOVERY ? AUDIT_LOGIN_RECOVERY_CODE : AUDIT_LOGIN,
                    AUDIT_ON_USER, user->id, "", clock_now());
    return 0;
}

int two_factor_status(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                      unsigned required_roles, struct two_factor_status *out, struct error *err)
{
    struct store_two_factor row;
    memset(out, 0, sizeof(*out));
    int rc = store_two_factor_get(conn, arena, user->id, &row);
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    out->enabled = rc == DB_ROW && row.confirmed_at != 0;
    out->pending = rc == DB_ROW && row.confirmed_at == 0;
    out->required = two_factor_required(user, required_roles);
    if (out->enabled && store_recovery_codes_left(conn, user->id, &out->recovery_left) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

static int fill_setup(struct arena *arena, const struct store_user *user, const unsigned char *secret,
                      struct two_factor_setup *setup, struct error *err)
{
    if (totp_secret_base32(secret, setup->secret) != 0)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    struct buf uri;
    buf_init(&uri, arena, BUF_CAP_LINE);
    buf_append_str(&uri, "otpauth://totp/Rounds:");
    buf_append_url(&uri, user->email);
    buf_appendf(&uri, "?secret=%s&issuer=Rounds&algorithm=SHA1&digits=%d&period=%d", setup->secret, TOTP_DIGITS,
                TOTP_STEP_SECONDS);
    if (!buf_ok(&uri))
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    setup->uri = uri.data;
    return 0;
}

int two_factor_enrol_begin(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                           struct two_factor_setup *setup, struct error *err)
{
    unsigned char secret[TOTP_SECRET_BYTES];
    char sealed[SEALED_SECRET_MAX];
    randombytes_buf(secret, sizeof(secret));
    int rc = -1;
    if (blobs_seal_secret(secret, sizeof(secret), user->id, sealed, sizeof(sealed)) != 0) {
        error_set(err, ERR_INTERNAL, NULL, "cannot seal the secret");
        goto out;
    }
    int stored = store_two_factor_begin(conn, user->id, sealed, clock_now());
    if (stored == DB_DONE) {
        error_set(err, ERR_CONFLICT, NULL, "two-factor sign-in is on already; turn it off first to change the app");
        goto out;
    }
    if (stored != DB_OK) {
        error_set(err, ERR_UNAVAILABLE, NULL, NULL);
        goto out;
    }
    rc = fill_setup(arena, user, secret, setup, err);
out:
    sodium_memzero(secret, sizeof(secret));
    return rc;
}

int two_factor_enrol_pending(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                             struct two_factor_setup *setup, struct error *err)
{
    unsigned char secret[TOTP_SECRET_BYTES];
    int rc = load_secret(conn, arena, user->id, true, secret, NULL, err);
    if (rc == 0)
        rc = fill_setup(arena, user, secret, setup, err);
    sodium_memzero(secret, sizeof(secret));
    return rc;
}

struct confirm_tx {
    const char *user_id;
    int64_t step, now;
    const char *hashes[RECOVERY_CODE_COUNT];
};

static int confirm_in_tx(struct db_conn *conn, void *p)
{
    struct confirm_tx *tx = p;
    int rc = store_two_factor_confirm(conn, tx->user_id, tx->step, tx->now);
    if (rc == DB_OK)
        rc = store_recovery_codes_replace(conn, tx->user_id, tx->hashes, RECOVERY_CODE_COUNT, tx->now);
    if (rc == DB_OK)
        rc = store_sessions_enrolled(conn, tx->user_id);
    if (rc == DB_OK)
        rc = store_audit_add(conn, tx->user_id, AUDIT_TWO_FACTOR_ENABLED, AUDIT_ON_USER, tx->user_id, "", tx->now);
    return rc;
}

int two_factor_code_check(const char *code, bool recovery_allowed, struct error *err)
{
    struct totp_code parsed;
    enum totp_code_kind kind = totp_parse_code(code, &parsed);
    sodium_memzero(&parsed, sizeof(parsed));
    if (kind == TOTP_CODE_DIGITS || (recovery_allowed && kind == TOTP_CODE_RECOVERY))
        return 0;
    return error_set(err, ERR_VALIDATION_FAILED, "code",
                     recovery_allowed ? "must be the 6 digits your app shows or a recovery code"
                                      : "must be the 6 digits your app shows");
}

int two_factor_enrol_confirm(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                             const char *code, char codes[RECOVERY_CODE_COUNT][20], struct error *err)
{
    struct totp_code parsed;
    if (two_factor_code_check(code, false, err) != 0)
        return -1;
    (void)totp_parse_code(code, &parsed);
    unsigned char secret[TOTP_SECRET_BYTES];
    if (load_secret(conn, arena, user->id, true, secret, NULL, err) != 0)
        return -1;
    struct confirm_tx tx = {.user_id = user->id, .now = clock_now()};
    tx.step = totp_match(secret, tx.now, parsed.text);
    sodium_memzero(secret, sizeof(secret));
    if (tx.step < 0)
        return error_set(err, ERR_VALIDATION_FAILED, "code",
                         "is not the code your app shows now; check the phone's clock and type the newest one");
    for (size_t i = 0; i < RECOVERY_CODE_COUNT; i++) {
        char plain[RECOVERY_CODE_CHARS + 1];
        char *hash = arena_alloc(arena, 65);
        if (hash == NULL)
            return error_set(err, ERR_INTERNAL, NULL, NULL);
        totp_recovery_code(plain);
        crypto_hash_token(plain, hash);
        tx.hashes[i] = hash;
        snprintf(codes[i], 20, "%.4s-%.4s-%.4s-%.4s", plain, plain + 4, plain + 8, plain + 12);
        sodium_memzero(plain, sizeof(plain));
    }
    int rc = db_run_tx(conn, true, confirm_in_tx, &tx);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "no enrolment is waiting");
    return rc == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int two_factor_disable(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                       unsigned required_roles, const char *code, struct error *err)
{
    if (two_factor_required(user, required_roles))
        return error_set(err, ERR_FORBIDDEN, NULL, "your role requires two-factor sign-in; staff can reset it");
    struct totp_code parsed;
    if (two_factor_code_check(code, true, err) != 0)
        return -1;
    (void)totp_parse_code(code, &parsed);
    struct two_factor_status status;
    if (two_factor_status(conn, arena, user, required_roles, &status, err) != 0)
        return -1;
    if (!status.enabled)
        return error_set(err, ERR_NOT_FOUND, NULL, "two-factor sign-in is off");
    bool accepted = false;
    if (code_accepted(conn, arena, user->id, &parsed, &accepted, err) != 0)
        return -1;
    if (!accepted)
        return error_set(err, ERR_VALIDATION_FAILED, "code", "is not a current code or an unused recovery code");
    if (store_two_factor_delete(conn, user->id) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    store_audit_add(conn, user->id, AUDIT_TWO_FACTOR_DISABLED, AUDIT_ON_USER, user->id, "", clock_now());
    return 0;
}

int two_factor_reset(struct db_conn *conn, struct arena *arena, const struct store_user *staff, const char *user_id,
                     struct error *err)
{
    if (!account_has_role(staff, ROLE_STAFF))
        return error_set(err, ERR_FORBIDDEN, NULL, "only staff reset a second factor");
    struct store_user target;
    int rc = store_user_by_id(conn, arena, user_id, &target);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "there is no such user");
    if (rc != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (store_two_factor_delete(conn, user_id) != DB_OK || store_sessions_delete_user(conn, user_id) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    store_audit_add(conn, staff->id, AUDIT_TWO_FACTOR_RESET, AUDIT_ON_USER, user_id, "", clock_now());
    return 0;
}

int two_factor_reset_email(struct db_conn *conn, struct arena *arena, const struct store_user *staff,
                           const char *email, struct error *err)
{
    if (!account_has_role(staff, ROLE_STAFF))
        return error_set(err, ERR_FORBIDDEN, NULL, "only staff reset a second factor");
    char *lowered = arena_strdup(arena, email != NULL ? email : "");
    if (lowered == NULL)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    for (char *p = lowered; *p != '\0'; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    struct store_user target;
    int rc = store_user_by_email(conn, arena, lowered, &target);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, "email", "no account has this email");
    if (rc != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return two_factor_reset(conn, arena, staff, target.id, err);
}
