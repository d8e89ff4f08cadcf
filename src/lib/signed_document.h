/* signed_document.h — what makes a Rounds document verifiable: the Ed25519
 * signing key (libsodium), the signed facts, and the marker that carries
 * them inside a PDF so that anyone can check a document offline.
 *
 * Facts are UTF-8 text: the line SIGNED_FACTS_HEADER, then one "name=value"
 * line each (names in [a-z_], values without control characters), every line
 * ending in "\n". The signature is Ed25519 over exactly those bytes.
 *
 * The marker is ASCII, so that a PDF keeps it byte for byte in its document
 * information: SIGNED_MARKER, the facts in base64url, ".", the 64-byte
 * signature in base64url (both unpadded).
 *
 * The key is the 32-byte Ed25519 seed in a file of 64 hex digits, mode 0600,
 * made like the file key (DATA_DIR/signing.key by default) and shared by
 * every instance; the public key is published as PEM (SubjectPublicKeyInfo,
 * as `openssl pkey -pubin` reads it). */
#ifndef ROUNDS_LIB_SIGNED_DOCUMENT_H
#define ROUNDS_LIB_SIGNED_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>

#define SIGNED_FACTS_HEADER "rounds-signed-document/1"
#define SIGNED_MARKER "rounds-signed:1:"

enum {
    SIGNING_PUBLIC_KEY_BYTES = 32,
    SIGNATURE_BYTES = 64,
    SIGNED_FACTS_MAX_BYTES = 4096,       /* the facts of one document */
    SIGNED_KEY_TEXT_MAX_BYTES = 4096,    /* a public key file the CLI reads */
    SIGNING_PEM_SIZE = 128,              /* the PEM text of a public key and its NUL */
    SIGNING_KEY_ID_SIZE = 17,            /* 16 hex digits and a NUL */
};

/* ---- the process's signing key (set once before threads start) ---- */

/* Loads the key file, creating it (0600) first when missing and create is
 * true (another instance creating it at the same moment wins, and its key is
 * used); 0, or -1 with a reason in why. */
int signing_open(const char *key_file, bool create, char *why, size_t why_size);
bool signing_ready(void);
void signing_close(void);
/* Signs msg; -1 when no key is loaded. */
int signing_sign(const void *msg, size_t len, unsigned char sig[SIGNATURE_BYTES]);
void signing_public_key(unsigned char out[SIGNING_PUBLIC_KEY_BYTES]);
/* The first 16 hex digits of the BLAKE2b-256 of the public key: which key signed. */
void signing_key_id(const unsigned char key[SIGNING_PUBLIC_KEY_BYTES], char out[SIGNING_KEY_ID_SIZE]);

/* ---- public keys and signatures (no state) ---- */

void signing_public_pem(const unsigned char key[SIGNING_PUBLIC_KEY_BYTES], char out[SIGNING_PEM_SIZE]);
/* Reads a public key: the PEM above, or the 32 bytes in (padded or not,
 * standard or URL-safe) base64 on one line; false otherwise. */
bool signing_public_key_parse(const char *text, size_t len, unsigned char out[SIGNING_PUBLIC_KEY_BYTES]);
bool signing_verify(const unsigned char key[SIGNING_PUBLIC_KEY_BYTES], const void *msg, size_t len,
                    const unsigned char sig[SIGNATURE_BYTES]);

/* ---- the marker inside a PDF ---- */

/* The marker's length for facts of len bytes (its NUL not counted). */
size_t signed_marker_length(size_t facts_len);
/* Writes the marker into out; -1 when out is too small. */
int signed_marker_write(const char *facts, size_t len, const unsigned char sig[SIGNATURE_BYTES], char *out,
                        size_t out_size);

enum signed_extract {
    SIGNED_FOUND,       /* one marker (possibly repeated identically) */
    SIGNED_NONE,        /* no marker: not a Rounds document */
    SIGNED_MALFORMED,   /* a marker that does not decode, or facts that are not well formed */
    SIGNED_AMBIGUOUS,   /* two different markers: a document altered by an appended update */
};
/* Finds the marker in a file's bytes and decodes it: facts into facts
 * (facts_size ≥ SIGNED_FACTS_MAX_BYTES + 1, NUL-terminated, *facts_len its
 * length) and the signature into sig. */
enum signed_extract signed_marker_extract(const unsigned char *bytes, size_t len, char *facts, size_t facts_size,
                                          size_t *facts_len, unsigned char sig[SIGNATURE_BYTES]);

/* ---- facts ---- */

/* Whether text is well-formed facts (header, name=value lines, UTF-8, at most SIGNED_FACTS_MAX_BYTES). */
bool signed_facts_valid(const char *text, size_t len);
/* The value of name in well-formed facts, copied into out; false when absent
 * or longer than out_size - 1. */
bool signed_facts_get(const char *text, size_t len, const char *name, char *out, size_t out_size);

#endif
