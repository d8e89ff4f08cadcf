/* blobs.h — where uploaded files live: addressed by content under
 * DATA_DIR/files/, sealed at rest (lib/sealed.h), never under a name a user
 * chose. The address is the keyed BLAKE2b-256 of the plain bytes (hex, 64
 * characters) with a key derived from the sealing key, so equal uploads share
 * one file and the address says nothing to someone without the key. The file
 * of address "ab12…" is DATA_DIR/files/ab/ab12….
 *
 * This is the one place that touches stored files, so that an object store
 * could replace the folder behind the same four calls. Process-wide: opened
 * once by serve before the loops start; safe from any thread. */
#ifndef ROUNDS_STORE_BLOBS_H
#define ROUNDS_STORE_BLOBS_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"
#include "lib/byte_source.h"

/* Opens the store in data_dir with the key in key_file. When key_file does
 * not exist and create_key is true, a new key is generated there (mode 0600).
 * 0, or -1 after logging why. */
int blobs_open(const char *data_dir, const char *key_file, bool create_key);
bool blobs_ready(void);
void blobs_close(void);

/* Seals and writes data (atomically: a temporary file, fsync, rename; nothing
 * is left behind on failure); the address into address[65]. Writing bytes
 * that are already stored only returns their address. 0 or -1. */
int blobs_put(const void *data, size_t len, char address[65]);
/* Reads and opens the file of address into arena memory. 0; -1 when it is
 * missing, altered or the address is malformed. */
int blobs_get(struct arena *arena, const char *address, const char **data, size_t *len);
/* The same as a byte source (lib/byte_source.h) that opens the file a few
 * chunks at a time as they are asked for, for a download sent while it is
 * opened. The first chunks are opened here already, so that a file that is
 * missing, sealed with another key or altered at its start fails now
 * (-1, like blobs_get); altered further on, the source's next fails when it
 * gets there. 0 with *out to close (byte_source_close). */
int blobs_open_source(const char *address, struct byte_source *out);
/* Removes the file of address (no error when it is already gone). */
int blobs_remove(const char *address);
/* Small secrets kept in database columns (a TOTP key), sealed with
 * XChaCha20-Poly1305 under a key derived from the file key, bound to
 * `bound_to` (the owner's id: a sealed value copied to another row does not
 * open). blobs_seal_secret writes base64url(nonce ‖ ciphertext) into out;
 * blobs_open_secret returns the plain length, or -1 when the value is
 * malformed, altered, bound to another owner or sealed under another key. */
int blobs_seal_secret(const unsigned char *plain, size_t len, const char *bound_to, char *out, size_t out_size);
long blobs_open_secret(const char *sealed, const char *bound_to, unsigned char *plain, size_t plain_size);

/* The path of the file of an address into out (tests look at the bytes on disk). */
int blobs_path(const char *address, char *out, size_t out_size);

#endif
