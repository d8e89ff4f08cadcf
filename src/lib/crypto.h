/* crypto.h — random tokens and ids, token hashing, constant-time compare,
 * on top of libsodium. crypto_init() must run once before any other call. */
#ifndef ROUNDS_LIB_CRYPTO_H
#define ROUNDS_LIB_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int crypto_init(void);

/* 32 random bytes as unpadded base64url (43 characters) into out[44]. */
void crypto_random_token(char out[44]);
/* An opaque id: prefix then 16 random base32 characters, into out (size ≥ strlen(prefix)+17). */
void crypto_random_id(const char *prefix, char *out, size_t out_size);
/* Like crypto_random_id, but the first 9 characters encode the time in
 * milliseconds, so that ids sort by creation (newest last). */
void crypto_sortable_id(const char *prefix, int64_t now_ms, char *out, size_t out_size);
/* The hex BLAKE2b-256 digest of a token, as stored in the database, into out[65]. */
void crypto_hash_token(const char *token, char out[65]);
/* Constant-time string equality (lengths are not secret). */
bool crypto_equal(const char *a, const char *b);

/* Unpadded base64url of len bytes into out (out_size ≥ len*4/3+2); and back:
 * returns the decoded length, or -1 when s is not base64url or too long. */
void crypto_base64url_encode(const void *bytes, size_t len, char *out, size_t out_size);
/* Standard padded base64 (for MIME). */
void crypto_base64_encode(const void *bytes, size_t len, char *out, size_t out_size);
long crypto_base64url_decode(const char *s, void *out, size_t out_size);

/* Argon2id password hashing (libsodium crypto_pwhash_str, INTERACTIVE limits or
 * more). Slow on purpose: never call on an event-loop thread. */
int crypto_password_hash(const char *password, char out[128]);
bool crypto_password_verify(const char *stored_hash, const char *password);
bool crypto_password_needs_rehash(const char *stored_hash);

#endif
