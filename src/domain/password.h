/* password.h — the password rules: 12 to 128 characters (code points, any
 * Unicode, never truncated), not a dictionary or common password, not a
 * dictionary word dressed up with digits and symbols, not a keyboard run,
 * not the account's email. Uses Debian's cracklib dictionary. */
#ifndef ROUNDS_DOMAIN_PASSWORD_H
#define ROUNDS_DOMAIN_PASSWORD_H

#include "lib/errors.h"

enum { PASSWORD_MIN_CHARS = 12, PASSWORD_MAX_CHARS = 128 };

/* Length and encoding only: cheap, safe on an event loop. */
int password_check_length(const char *password, struct error *err);
/* Every rule, including the dictionary (slow-ish: call from a worker).
 * email may be NULL. Returns 0 or -1 with err (ERR_WEAK_PASSWORD, field "password"). */
int password_check(const char *password, const char *email, struct error *err);
/* A new password's slow middle, on the offload worker (registration, a
 * password reset): every rule (password_check), then its Argon2id hash into
 * hash. 0, or -1 with err (ERR_WEAK_PASSWORD, or ERR_INTERNAL when hashing
 * ran out of memory). */
int password_hash_new(const char *password, const char *email, char hash[128], struct error *err);

#endif
