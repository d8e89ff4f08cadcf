/* sealed.c — files sealed at rest with libsodium's secretstream, their
 * content addresses, and the key file; see sealed.h. */
#include "lib/sealed.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER_BYTES crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define CHUNK_OVERHEAD crypto_secretstream_xchacha20poly1305_ABYTES
#define TAG_MESSAGE crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
#define TAG_FINAL crypto_secretstream_xchacha20poly1305_TAG_FINAL
#define TAG_REKEY crypto_secretstream_xchacha20poly1305_TAG_REKEY
#define MAC_BYTES crypto_onetimeauth_poly1305_BYTES
/* The state's 12-byte nonce: a 4-byte counter, then 8 bytes (libsodium's private names). */
enum { COUNTER_BYTES = 4, INONCE_BYTES = 8 };
_Static_assert(COUNTER_BYTES + INONCE_BYTES == crypto_stream_chacha20_ietf_NONCEBYTES, "secretstream nonce size");

_Static_assert(SEALED_KEY_BYTES == crypto_secretstream_xchacha20poly1305_KEYBYTES, "secretstream key size");
_Static_assert(SEALED_KEY_BYTES == crypto_kdf_KEYBYTES, "kdf key size");

/* The subkey of content addresses: crypto_kdf with this context and id. */
static const char address_context[crypto_kdf_CONTEXTBYTES + 1] = "roundsad";
enum { ADDRESS_SUBKEY_ID = 1, ADDRESS_BYTES = 32 };

size_t sealed_size(size_t plain_len)
{
    size_t chunks = plain_len == 0 ? 1 : plain_len / SEALED_CHUNK + (plain_len % SEALED_CHUNK != 0);
    size_t overhead = HEADER_BYTES + chunks * CHUNK_OVERHEAD;
    return plain_len > SIZE_MAX - overhead ? SIZE_MAX : plain_len + overhead;
}

int sealed_seal(const unsigned char key[SEALED_KEY_BYTES], const void *plain, size_t len, unsigned char *out,
                size_t out_size, size_t *out_len)
{
    size_t need = sealed_size(len);
    if (need == SIZE_MAX || out_size < need)
        return -1;
    crypto_secretstream_xchacha20poly1305_state state;
    crypto_secretstream_xchacha20poly1305_init_push(&state, out, key);
    const unsigned char *in = plain;
    size_t done = 0, written = HEADER_BYTES;
    int rc = 0;
    do {
        size_t n = len - done < SEALED_CHUNK ? len - done : SEALED_CHUNK;
        unsigned char tag = done + n == len ? TAG_FINAL : TAG_MESSAGE;
        unsigned long long clen = 0;
        if (crypto_secretstream_xchacha20poly1305_push(&state, out + written, &clen, n > 0 ? in + done : NULL, n,
                                                       NULL, 0, tag) != 0) {
            rc = -1;
            goto out;
        }
        done += n;
        written += (size_t)clen;
    } while (done < len);
    *out_len = written;
out:
    sodium_memzero(&state, sizeof(state));
    return rc;
}

/* Where the sealed bytes come from: next(ctx, n) gives the next n bytes, or
 * NULL when they cannot be read. */
struct source {
    const unsigned char *(*next)(void *ctx, size_t n);
    void *ctx;
};

/* A stream being opened: where it stands in the len sealed bytes. */
struct pull {
    crypto_secretstream_xchacha20poly1305_state state;
    EVP_CIPHER_CTX *aead; /* OpenSSL's ChaCha20-Poly1305 (see chunk_open) */
    size_t pos, len;
    bool finished;
};

static void pull_end(struct pull *p)
{
    EVP_CIPHER_CTX_free(p->aead);
    sodium_memzero(p, sizeof(*p));
}

/* Reads the header; -1 when len cannot be a sealed file or the header is
 * unreadable. pull_end afterwards either way. */
static int pull_start(struct pull *p, const unsigned char key[SEALED_KEY_BYTES], const struct source *src, size_t len)
{
    *p = (struct pull){.pos = HEADER_BYTES, .len = len};
    if (len < HEADER_BYTES + CHUNK_OVERHEAD)
        return -1;
    /* Without it (memory short, an OpenSSL without ChaCha20) libsodium opens every chunk. */
    p->aead = EVP_CIPHER_CTX_new();
    if (p->aead != NULL && EVP_DecryptInit_ex(p->aead, EVP_chacha20_poly1305(), NULL, NULL, NULL) != 1) {
        EVP_CIPHER_CTX_free(p->aead);
        p->aead = NULL;
    }
    const unsigned char *header = src->next(src->ctx, HEADER_BYTES);
    if (header == NULL || crypto_secretstream_xchacha20poly1305_init_pull(&p->state, header, key) != 0)
        return -1;
    return 0;
}

/* crypto_secretstream_xchacha20poly1305_pull (no additional data), done by
 * OpenSSL's ChaCha20-Poly1305 of RFC 8439 where the two agree, which
 * decrypts and authenticates in one pass at two to three times libsodium's
 * speed here (the download of a document is mostly this). A chunk (tag byte,
 * ciphertext c, MAC) is that AEAD's ciphertext of (tag, 63 zero bytes,
 * message) under the state's key and 12-byte nonce with empty additional
 * data, of which only the first byte of the first 64 is stored: the other 63
 * are the keystream of block 1, computed here. The MAC input is the same
 * byte for byte only when the message length is a multiple of 16
 * (secretstream pads the ciphertext with mlen % 16 zero bytes, RFC 8439 to a
 * multiple of 16): every full chunk; a shorter last chunk goes to libsodium.
 * The state then moves on as libsodium's does (the nonce's last 8 bytes XOR
 * the MAC, the counter incremented, a rekey on the REKEY tag or a wrapped
 * counter). tests/unit/test_sealed.c opens with it streams that libsodium
 * sealed, of lengths that take either way, whole and altered. 0, or -1
 * (with m wiped) when the chunk does not authenticate. */
static int chunk_open(struct pull *p, const unsigned char *in, size_t inlen, unsigned char *m, size_t *mlen_out,
                      unsigned char *tag_out)
{
    crypto_secretstream_xchacha20poly1305_state *st = &p->state;
    if (inlen < CHUNK_OVERHEAD || inlen - CHUNK_OVERHEAD > INT_MAX)
        return -1;
    size_t mlen = inlen - CHUNK_OVERHEAD;
    if (mlen % 16 != 0 || p->aead == NULL) {
        unsigned long long opened = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(st, m, &opened, tag_out, in, inlen, NULL, 0) != 0)
            return -1;
        *mlen_out = (size_t)opened;
        return 0;
    }
    unsigned char block[64] = {0}, first[64];
    const unsigned char *c = in + 1, *mac = c + mlen;
    int rc = -1, n = 0, last = 0;
    crypto_stream_chacha20_ietf_xor_ic(block, block, sizeof(block), st->nonce, 1U, st->k);
    unsigned char tag = (unsigned char)(block[0] ^ in[0]);
    block[0] = in[0];
    if (EVP_DecryptInit_ex(p->aead, NULL, NULL, st->k, st->nonce) != 1 ||
        EVP_DecryptUpdate(p->aead, first, &n, block, (int)sizeof(block)) != 1 ||
        EVP_DecryptUpdate(p->aead, m, &n, c, (int)mlen) != 1 ||
        EVP_CIPHER_CTX_ctrl(p->aead, EVP_CTRL_AEAD_SET_TAG, MAC_BYTES, (void *)mac) != 1 ||
        EVP_DecryptFinal_ex(p->aead, m + n, &last) != 1 || (size_t)n + (size_t)last != mlen) {
        if (mlen > 0)
            sodium_memzero(m, mlen); /* decrypted before the MAC was checked: not to be read */
        goto out;
    }
    for (size_t i = 0; i < INONCE_BYTES; i++)
        st->nonce[COUNTER_BYTES + i] ^= mac[i];
    sodium_increment(st->nonce, COUNTER_BYTES);
    if ((tag & TAG_REKEY) != 0 || sodium_is_zero(st->nonce, COUNTER_BYTES))
        crypto_secretstream_xchacha20poly1305_rekey(st);
    *mlen_out = mlen;
    *tag_out = tag;
    rc = 0;
out:
    sodium_memzero(block, sizeof(block));
    sodium_memzero(first, sizeof(first));
    return rc;
}

/* Opens the next chunk into out: 0 with its plain length in *mlen_out (the
 * stream finished when p->finished), -1 when it was altered, truncated,
 * reordered, unreadable, sealed with another key, or out is too small. */
static int pull_chunk(struct pull *p, const struct source *src, unsigned char *out, size_t out_size,
                      size_t *mlen_out)
{
    size_t left = p->len - p->pos;
    if (p->finished || left < CHUNK_OVERHEAD)
        return -1; /* truncated: the stream ended before a FINAL chunk */
    size_t clen = left < SEALED_CHUNK + CHUNK_OVERHEAD ? left : SEALED_CHUNK + CHUNK_OVERHEAD;
    if (out_size < clen - CHUNK_OVERHEAD)
        return -1;
    const unsigned char *chunk = src->next(src->ctx, clen);
    size_t mlen = 0;
    unsigned char tag = 0;
    if (chunk == NULL || chunk_open(p, chunk, clen, out, &mlen, &tag) != 0)
        return -1; /* unreadable, altered, reordered or another key */
    p->pos += clen;
    *mlen_out = mlen;
    if (tag == TAG_FINAL) {
        if (p->pos != p->len)
            return -1; /* bytes after the FINAL chunk */
        p->finished = true;
        return 0;
    }
    if (tag != TAG_MESSAGE || clen != SEALED_CHUNK + CHUNK_OVERHEAD)
        return -1; /* we only ever write full MESSAGE chunks before the last */
    return 0;
}

static int open_from(const unsigned char key[SEALED_KEY_BYTES], const struct source *src, size_t len,
                     unsigned char *out, size_t out_size, size_t *out_len)
{
    struct pull p;
    size_t written = 0;
    int rc = -1;
    if (pull_start(&p, key, src, len) != 0)
        goto out;
    while (!p.finished) {
        size_t mlen = 0;
        if (pull_chunk(&p, src, out + written, out_size - written, &mlen) != 0)
            goto out;
        written += mlen;
    }
    *out_len = written;
    rc = 0;
out:
    if (rc != 0 && written > 0)
        sodium_memzero(out, written); /* no partial plain bytes from a file that failed */
    pull_end(&p);
    return rc;
}

struct memory_source {
    const unsigned char *data;
    size_t pos;
};

static const unsigned char *next_in_memory(void *ctx, size_t n)
{
    struct memory_source *m = ctx;
    const unsigned char *at = m->data + m->pos;
    m->pos += n; /* open_from never asks past the length it was given */
    return at;
}

int sealed_open(const unsigned char key[SEALED_KEY_BYTES], const unsigned char *sealed, size_t len,
                unsigned char *out, size_t out_size, size_t *out_len)
{
    struct memory_source m = {sealed, 0};
    struct source src = {next_in_memory, &m};
    return open_from(key, &src, len, out, out_size, out_len);
}

/* One sealed chunk read from a file, in a buffer of the calling thread (64 KiB: not on the stack). */
static __thread unsigned char file_chunk[SEALED_CHUNK + CHUNK_OVERHEAD];

static const unsigned char *next_in_file(void *ctx, size_t n)
{
    int fd = *(const int *)ctx;
    size_t done = 0;
    while (done < n) {
        ssize_t got = read(fd, file_chunk + done, n - done);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return NULL;
        done += (size_t)got;
    }
    return file_chunk;
}

int sealed_open_fd(const unsigned char key[SEALED_KEY_BYTES], int fd, size_t len, unsigned char *out,
                   size_t out_size, size_t *out_len)
{
    struct source src = {next_in_file, &fd};
    return open_from(key, &src, len, out, out_size, out_len);
}

size_t sealed_plain_size(size_t sealed_len)
{
    if (sealed_len < HEADER_BYTES + CHUNK_OVERHEAD)
        return SIZE_MAX;
    /* Every chunk but the last is full, and the last holds 0 to SEALED_CHUNK bytes. */
    size_t body = sealed_len - HEADER_BYTES;
    size_t chunks = body / (SEALED_CHUNK + CHUNK_OVERHEAD) + (body % (SEALED_CHUNK + CHUNK_OVERHEAD) != 0);
    size_t plain = body - chunks * CHUNK_OVERHEAD;
    return sealed_size(plain) == sealed_len ? plain : SIZE_MAX;
}

struct sealed_reader {
    struct pull pull;
    int fd;
    bool failed;
};

struct sealed_reader *sealed_reader_new(const unsigned char key[SEALED_KEY_BYTES], int fd, size_t len)
{
    struct sealed_reader *r = malloc(sizeof(*r));
    if (r == NULL)
        return NULL;
    r->fd = fd;
    r->failed = false;
    struct source src = {next_in_file, &r->fd};
    if (pull_start(&r->pull, key, &src, len) != 0) {
        sealed_reader_free(r);
        return NULL;
    }
    return r;
}

int sealed_reader_next(struct sealed_reader *r, unsigned char *out, size_t out_size, size_t *n)
{
    *n = 0;
    if (r->failed)
        return -1; /* nothing more from a stream that failed */
    if (r->pull.finished)
        return 0;
    struct source src = {next_in_file, &r->fd};
    if (pull_chunk(&r->pull, &src, out, out_size, n) != 0) {
        *n = 0;
        r->failed = true;
        return -1;
    }
    return 0;
}

bool sealed_reader_done(const struct sealed_reader *r)
{
    return r->pull.finished && !r->failed;
}

void sealed_reader_free(struct sealed_reader *r)
{
    if (r == NULL)
        return;
    pull_end(&r->pull);
    sodium_memzero(r, sizeof(*r));
    free(r);
}

void sealed_address(const unsigned char key[SEALED_KEY_BYTES], const void *plain, size_t len, char out[65])
{
    unsigned char subkey[crypto_generichash_KEYBYTES];
    unsigned char hash[ADDRESS_BYTES];
    crypto_kdf_derive_from_key(subkey, sizeof(subkey), ADDRESS_SUBKEY_ID, address_context, key);
    crypto_generichash(hash, sizeof(hash), plain, len, subkey, sizeof(subkey));
    sodium_bin2hex(out, 65, hash, sizeof(hash));
    sodium_memzero(subkey, sizeof(subkey));
}

static bool is_hex_digit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int sealed_key_load(const char *path, unsigned char key[SEALED_KEY_BYTES], char *why, size_t why_size)
{
    /* 64 hex digits, an optional "\n" (or "\r\n"), and one byte more to see a longer file. */
    char text[2 * SEALED_KEY_BYTES + 3];
    size_t len = 0;
    int rc = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        snprintf(why, why_size, "cannot open the key file %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, why_size, "the key file %s is not a regular file", path);
        goto out;
    }
    while (len < sizeof(text)) {
        ssize_t n = read(fd, text + len, sizeof(text) - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(why, why_size, "cannot read the key file %s: %s", path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    size_t digits = len;
    if (digits > 0 && text[digits - 1] == '\n')
        digits--;
    if (digits > 0 && text[digits - 1] == '\r')
        digits--;
    if (digits != 2 * SEALED_KEY_BYTES || len == sizeof(text)) {
        snprintf(why, why_size, "the key file %s must hold 64 hex digits and an optional newline (it holds %s%zu bytes)",
                 path, len == sizeof(text) ? "more than " : "", len == sizeof(text) ? len - 1 : len);
        goto out;
    }
    for (size_t i = 0; i < digits; i++) {
        if (!is_hex_digit(text[i])) {
            snprintf(why, why_size, "the key file %s must hold 64 hex digits (character %zu is not one)", path, i + 1);
            goto out;
        }
    }
    size_t bin_len = 0;
    if (sodium_hex2bin(key, SEALED_KEY_BYTES, text, digits, NULL, &bin_len, NULL) != 0 ||
        bin_len != SEALED_KEY_BYTES) {
        snprintf(why, why_size, "the key file %s must hold 64 hex digits", path);
        goto out;
    }
    rc = 0;
out:
    if (rc != 0)
        sodium_memzero(key, SEALED_KEY_BYTES);
    sodium_memzero(text, sizeof(text));
    close(fd);
    return rc;
}

int sealed_key_generate(const char *path, char *why, size_t why_size)
{
    unsigned char key[SEALED_KEY_BYTES];
    char text[2 * SEALED_KEY_BYTES + 1]; /* 64 hex digits and a newline (bin2hex's NUL, then) */
    char tmp[4096];
    int rc = -1;
    /* Written whole under a temporary name, then linked into place: link()
     * refuses an existing name, so two instances starting together on one data
     * folder never read a half-written key, and only one key wins. */
    int n = snprintf(tmp, sizeof(tmp), "%s.new.XXXXXX", path);
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        snprintf(why, why_size, "the key file path is too long");
        return -1;
    }
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, why_size, "cannot create the key file %s: %s", path, strerror(errno));
        return -1;
    }
    if (fchmod(fd, 0600) != 0) {
        snprintf(why, why_size, "cannot restrict the key file %s to its owner: %s", path, strerror(errno));
        goto out;
    }
    randombytes_buf(key, sizeof(key));
    sodium_bin2hex(text, sizeof(text), key, sizeof(key));
    text[2 * SEALED_KEY_BYTES] = '\n';
    size_t done = 0;
    while (done < sizeof(text)) {
        ssize_t w = write(fd, text + done, sizeof(text) - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(why, why_size, "cannot write the key file %s: %s", path, w < 0 ? strerror(errno) : "short write");
            goto out;
        }
        done += (size_t)w;
    }
    if (fsync(fd) != 0) {
        snprintf(why, why_size, "cannot write the key file %s: %s", path, strerror(errno));
        goto out;
    }
    if (link(tmp, path) != 0) {
        snprintf(why, why_size, "cannot create the key file %s: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    sodium_memzero(key, sizeof(key));
    sodium_memzero(text, sizeof(text));
    if (close(fd) != 0 && rc == 0) {
        snprintf(why, why_size, "cannot write the key file %s: %s", path, strerror(errno));
        rc = -1;
    }
    unlink(tmp);
    return rc;
}
