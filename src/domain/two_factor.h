/* two_factor.h — two-factor sign-in (RFC 6238 TOTP) for any account, required
 * for the roles an operator names (staff, coaches and host coordinators by
 * default: ROUNDS_TWO_FACTOR_ROLES).
 *
 * Enrolment: a new secret (sealed at rest, store/blobs.h) shown as a QR code
 * and as text, confirmed by a first code; then ten recovery codes, shown
 * once and kept only as hashes. Login: after the right password an account
 * with a second factor gets a challenge (5 minutes, 5 tries) instead of a
 * session, and the session only for the challenge and a code of now's step
 * or one either side, each step usable once, or an unused recovery code. A
 * wrong, reused or expired code is a failed login: the same 401 as a wrong
 * password, counted by the same limits. An account whose role requires a
 * second factor it has not set up gets a session that reaches nothing but
 * enrolment (http: ROUTE_ENROL). Staff may reset anyone's (audited). */
#ifndef ROUNDS_DOMAIN_TWO_FACTOR_H
#define ROUNDS_DOMAIN_TWO_FACTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/auth.h"
#include "lib/arena.h"
#include "lib/errors.h"
#include "lib/totp.h"
#include "store/store.h"

enum { RECOVERY_CODE_COUNT = 10, LOGIN_CHALLENGE_SECONDS = 300, LOGIN_CHALLENGE_TRIES = 5 };

/* The roles that require a second factor, as a set of bits (1u << role). */
unsigned two_factor_default_roles(void);
/* Parses "staff,coach,host_coordinator" or "none" into *roles; false for an unknown role. */
bool two_factor_parse_roles(const char *text, unsigned *roles);
/* Whether one of the user's roles is in the set. */
bool two_factor_required(const struct store_user *user, unsigned roles);

enum two_factor_next {
    TWO_FACTOR_NONE,      /* sign in */
    TWO_FACTOR_CHALLENGE, /* ask for a code: challenge[44] holds its token */
    TWO_FACTOR_ENROL,     /* sign in to a session that may only enrol */
};
/* What a login whose password was right needs next. */
int two_factor_after_password(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                              unsigned required_roles, enum two_factor_next *next, char challenge[44],
                              struct error *err);
/* Whether the challenge can still be answered (not expired, not used up). */
bool two_factor_challenge_alive(struct db_conn *conn, const char *challenge);
/* Marks a new session as one that reaches only enrolment (TWO_FACTOR_ENROL). 0 or -1. */
int two_factor_restrict_session(struct db_conn *conn, const char *token_hash);
/* The second step: 0 with *user filled when the code answers the challenge;
 * ERR_INVALID_CREDENTIALS otherwise; ERR_RATE_LIMITED (with *retry_after)
 * past the login limits. */
int two_factor_login(struct db_conn *conn, struct arena *arena, const char *challenge, const char *code,
                     const char *client_addr, const struct auth_login_limits *limits, struct store_user *user,
                     int64_t *retry_after, struct error *err);

struct two_factor_status {
    bool enabled;          /* confirmed */
    bool pending;          /* a secret waits for its first code */
    bool required;         /* one of the user's roles requires it */
    int64_t recovery_left; /* unused recovery codes */
};
int two_factor_status(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                      unsigned required_roles, struct two_factor_status *out, struct error *err);

/* What an authenticator app takes: the secret as text and the otpauth:// URI. */
struct two_factor_setup {
    char secret[33];
    const char *uri;
};
/* Starts (or starts again) enrolment with a new secret; ERR_CONFLICT when
 * one is confirmed already. */
int two_factor_enrol_begin(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                           struct two_factor_setup *setup, struct error *err);
/* The secret waiting for its first code; ERR_NOT_FOUND when none waits. */
int two_factor_enrol_pending(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                             struct two_factor_setup *setup, struct error *err);
/* The shape of a code typed, before any secret is read: 0 for the app's 6
 * digits (or, when recovery_allowed, a recovery code), else 400
 * validation_failed naming "code" (nothing typed included). */
int two_factor_code_check(const char *code, bool recovery_allowed, struct error *err);
/* Confirms enrolment with the app's first code (field "code"), lifts the
 * enrolment-only restriction of the user's sessions and writes the ten
 * recovery codes, formatted "xxxx-xxxx-xxxx-xxxx", into codes. */
int two_factor_enrol_confirm(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                             const char *code, char codes[RECOVERY_CODE_COUNT][20], struct error *err);
/* Turns it off with a current code or a recovery code; ERR_FORBIDDEN when a role requires it. */
int two_factor_disable(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                       unsigned required_roles, const char *code, struct error *err);
/* Staff: removes the user's second factor and ends their sessions (audited);
 * ERR_NOT_FOUND for no such user, ERR_FORBIDDEN for anyone but staff. */
int two_factor_reset(struct db_conn *conn, struct arena *arena, const struct store_user *staff, const char *user_id,
                     struct error *err);
/* The same for the account with this email (any case). */
int two_factor_reset_email(struct db_conn *conn, struct arena *arena, const struct store_user *staff,
                           const char *email, struct error *err);

#endif
