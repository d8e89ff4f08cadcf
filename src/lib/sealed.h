/* sealed.h — files sealed at rest: libsodium's secretstream
 * (XChaCha20-Poly1305) over 64 KiB chunks, so that a changed, truncated or
 * reordered file fails to open instead of returning altered bytes.
 *
 * Layout: the 24-byte secretstream header, then each chunk as ciphertext
 * (chunk + 17 bytes of tag and MAC); the last chunk carries the FINAL tag
 * (an empty input is one empty FINAL chunk). The key is 32 bytes kept in a
 * file of 64 hex digits. */
#ifndef ROUNDS_LIB_SEALED_H
#define ROUNDS_LIB_SEALED_H

#include <stdbool.h>
#include <stddef.h>

enum { SEALED_KEY_BYTES = 32, SEALED_CHUNK = 64 * 1024 };

/* The exact size of the sealed form of plain_len bytes. */
size_t sealed_size(size_t plain_len);
/* Seals plain into out (out_size ≥ sealed_size(len)); 0, or -1 when out is too small. */
int sealed_seal(const unsigned char key[SEALED_KEY_BYTES], const void *plain, size_t len, unsigned char *out,
                size_t out_size, size_t *out_len);
/* Opens a sealed file into out (out_size ≥ len is always enough); 0, or -1
 * when it was altered, truncated, sealed with another key or out is too small. */
int sealed_open(const unsigned char key[SEALED_KEY_BYTES], const unsigned char *sealed, size_t len,
                unsigned char *out, size_t out_size, size_t *out_len);
/* The same, reading the len sealed bytes from fd (from where it stands) a
 * chunk at a time into a buffer of the calling thread: no copy of the whole
 * sealed file in memory. -1 also when fd gives fewer than len bytes. */
int sealed_open_fd(const unsigned char key[SEALED_KEY_BYTES], int fd, size_t len, unsigned char *out,
                   size_t out_size, size_t *out_len);

/* The plain length of a well-formed sealed file of sealed_len bytes, or
 * SIZE_MAX when no plain length seals to that size. */
size_t sealed_plain_size(size_t sealed_len);

/* A sealed file opened a chunk at a time (a download sent while it is
 * opened): sealed_reader_new reads the header of the len sealed bytes at fd's
 * position (fd stays the caller's, and must outlive the reader); NULL when len
 * is impossible, the header unreadable or memory short. Each
 * sealed_reader_next opens the next chunk into out (out_size ≥ SEALED_CHUNK):
 * 0 with its plain length in *n, which may be 0; the stream is whole once
 * sealed_reader_done. -1 when the chunk was altered, reordered, truncated,
 * unreadable or sealed with another key, and on every call after that: bytes
 * of earlier chunks were authentic, but the file is not. */
struct sealed_reader;
struct sealed_reader *sealed_reader_new(const unsigned char key[SEALED_KEY_BYTES], int fd, size_t len);
int sealed_reader_next(struct sealed_reader *r, unsigned char *out, size_t out_size, size_t *n);
bool sealed_reader_done(const struct sealed_reader *r);
/* Wipes and frees (NULL is fine). */
void sealed_reader_free(struct sealed_reader *r);

/* The content address of plain bytes: keyed BLAKE2b-256 (key derived from
 * the sealing key with crypto_kdf, context "roundsad") as 64 hex digits. */
void sealed_address(const unsigned char key[SEALED_KEY_BYTES], const void *plain, size_t len, char out[65]);

/* Reads a key file (64 hex digits, an optional trailing newline); 0 or -1
 * with a reason in why (why_size bytes). */
int sealed_key_load(const char *path, unsigned char key[SEALED_KEY_BYTES], char *why, size_t why_size);
/* Creates a new random key file with mode 0600; fails (-1) if it exists. */
int sealed_key_generate(const char *path, char *why, size_t why_size);

#endif
