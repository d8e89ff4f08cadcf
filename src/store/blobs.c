/* blobs.c — uploaded files addressed by content and sealed at rest under
 * DATA_DIR/files/<first two hex digits>/<address>; see blobs.h.
 *
 * The state (folder and key) is written once by blobs_open before any thread
 * starts and only read afterwards, so every call is safe from any thread.
 * Writes go to a temporary file in the final folder, are fsynced, renamed
 * into place and the folder fsynced: a reader sees a whole file or none. */
#include "store/blobs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/sealed.h"

/* The largest sealed file we read or write back into memory. */
#define BLOB_MAX_BYTES ((size_t)2 * 1024 * 1024 * 1024)

static bool ready;
static char files_dir[PATH_MAX];
static unsigned char file_key[SEALED_KEY_BYTES];

static int ensure_dir(const char *path)
{
    if (mkdir(path, 0700) == 0)
        return 0;
    struct stat st;
    return errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

static bool address_valid(const char *address)
{
    if (address == NULL)
        return false;
    size_t i = 0;
    for (; address[i] != '\0'; i++) {
        char c = address[i];
        if (i >= 64 || !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return i == 64;
}

int blobs_open(const char *data_dir, const char *key_file, bool create_key)
{
    char why[PATH_MAX + 256];
    struct stat st;
    blobs_close();
    if (sodium_init() < 0) {
        log_error("msg=\"libsodium failed to initialise\"");
        return -1;
    }
    if (stat(key_file, &st) != 0 && errno == ENOENT) {
        if (!create_key) {
            log_error("msg=\"the file key is missing\" path=\"%s\" hint=\"restore it, or unset ROUNDS_FILE_KEY_FILE "
                      "to use DATA_DIR/file.key\"",
                      key_file);
            return -1;
        }
        /* Another instance on the same data folder may create it first: then use theirs. */
        if (sealed_key_generate(key_file, why, sizeof(why)) == 0) {
            log_info("msg=\"created a new file key; uploaded files are sealed with it, keep it safe\" path=\"%s\"",
                     key_file);
        } else if (stat(key_file, &st) != 0) {
            log_error("msg=\"cannot create the file key\" reason=\"%s\"", why);
            return -1;
        }
    }
    if (sealed_key_load(key_file, file_key, why, sizeof(why)) != 0) {
        log_error("msg=\"cannot load the file key\" reason=\"%s\"", why);
        return -1;
    }
    int n = snprintf(files_dir, sizeof(files_dir), "%s/files", data_dir);
    if (n < 0 || (size_t)n >= sizeof(files_dir) - 80) { /* room for "/ab/<address>" and a temporary name */
        log_error("msg=\"the data folder path is too long\"");
        goto fail;
    }
    if (ensure_dir(data_dir) != 0 || ensure_dir(files_dir) != 0) {
        log_error("msg=\"cannot create the files folder\" path=\"%s\" error=\"%s\"", files_dir, strerror(errno));
        goto fail;
    }
    ready = true;
    return 0;
fail:
    blobs_close();
    return -1;
}

bool blobs_ready(void)
{
    return ready;
}

void blobs_close(void)
{
    ready = false;
    sodium_memzero(file_key, sizeof(file_key));
    files_dir[0] = '\0';
}

int blobs_path(const char *address, char *out, size_t out_size)
{
    if (!ready || !address_valid(address))
        return -1;
    int n = snprintf(out, out_size, "%s/%.2s/%s", files_dir, address, address);
    return n < 0 || (size_t)n >= out_size ? -1 : 0;
}

static int write_all(int fd, const unsigned char *data, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return -1;
        }
        done += (size_t)n;
    }
    return 0;
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int blobs_put(const void *data, size_t len, char address[65])
{
    char dir[PATH_MAX], path[PATH_MAX], tmp[PATH_MAX];
    unsigned char *sealed = NULL;
    char computed[65];
    size_t sealed_len = sealed_size(len), written = 0;
    int fd = -1, rc = -1, closed;
    bool tmp_made = false;
    const char *step = "seal";
    address[0] = '\0';
    if (!ready || len > BLOB_MAX_BYTES || sealed_len > BLOB_MAX_BYTES)
        return -1;
    sealed_address(file_key, data, len, computed);
    if (blobs_path(computed, path, sizeof(path)) != 0)
        return -1;
    int n = snprintf(dir, sizeof(dir), "%s/%.2s", files_dir, computed);
    if (n < 0 || (size_t)n >= sizeof(dir))
        return -1;
    n = snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", dir);
    if (n < 0 || (size_t)n >= sizeof(tmp))
        return -1;

    /* Already stored: equal bytes share one file. A file of the wrong size
     * (a crash of an older writer, a disk fault) is written again. */
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == sealed_len) {
        memcpy(address, computed, 65);
        return 0;
    }
    sealed = malloc(sealed_len);
    if (sealed == NULL)
        goto out;
    if (sealed_seal(file_key, data, len, sealed, sealed_len, &written) != 0 || written != sealed_len)
        goto out;
    step = "mkdir";
    if (ensure_dir(dir) != 0)
        goto out;
    step = "create";
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        goto out;
    tmp_made = true;
    step = "write";
    if (fchmod(fd, 0600) != 0 || write_all(fd, sealed, sealed_len) != 0 || fsync(fd) != 0)
        goto out;
    closed = close(fd);
    fd = -1;
    if (closed != 0)
        goto out;
    step = "rename";
    if (rename(tmp, path) != 0)
        goto out;
    tmp_made = false;
    step = "fsync folder";
    if (fsync_dir(dir) != 0)
        goto out;
    memcpy(address, computed, 65);
    rc = 0;
out:
    if (rc != 0) {
        int saved = errno;
        log_error("msg=\"cannot store a file\" step=\"%s\" address=%s error=\"%s\"", step, computed,
                  strerror(saved));
    }
    if (fd >= 0)
        close(fd);
    if (tmp_made)
        unlink(tmp);
    free(sealed);
    return rc;
}

/* Opens the sealed file of address for reading: its descriptor and size
 * (checked to be a regular file of a possible size). 0, or -1 (logged unless
 * it is merely missing). */
static int open_sealed(const char *address, int *fd_out, size_t *sealed_len)
{
    char path[PATH_MAX];
    *fd_out = -1;
    if (blobs_path(address, path, sizeof(path)) != 0)
        return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno != ENOENT)
            log_error("msg=\"cannot open a stored file\" address=%s error=\"%s\"", address, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)sealed_size(0) ||
        (uint64_t)st.st_size > BLOB_MAX_BYTES) {
        log_error("msg=\"a stored file has an impossible size\" address=%s", address);
        close(fd);
        return -1;
    }
    *fd_out = fd;
    *sealed_len = (size_t)st.st_size;
    return 0;
}

static void log_unopenable(const char *address)
{
    log_error("msg=\"a stored file fails to open: unreadable, altered, truncated or sealed with another key\""
              " address=%s", address);
}

int blobs_get(struct arena *arena, const char *address, const char **data, size_t *len)
{
    int rc = -1, fd;
    size_t sealed_len;
    *data = NULL;
    *len = 0;
    if (open_sealed(address, &fd, &sealed_len) != 0)
        return -1;
    /* Opened a chunk at a time straight from the file into the plain bytes,
     * which are shorter than the sealed ones; one more for a NUL. */
    size_t cap = sealed_len - sealed_size(0);
    unsigned char *plain = arena_alloc(arena, cap + 1);
    if (plain == NULL)
        goto out;
    size_t plain_len = 0;
    if (sealed_open_fd(file_key, fd, sealed_len, plain, cap, &plain_len) != 0) {
        log_unopenable(address);
        goto out;
    }
    plain[plain_len] = '\0';
    *data = (const char *)plain;
    *len = plain_len;
    rc = 0;
out:
    close(fd);
    return rc;
}

/* ---- a file opened as it is sent ---- */

/* The chunks a source opens per call: its plain buffer holds this many. */
enum { SOURCE_CHUNKS = 1 };

struct blob_source {
    int fd;
    struct sealed_reader *reader;
    size_t unopened;  /* plain bytes not opened yet */
    size_t ready;     /* plain bytes opened ahead (at open) and not given yet */
    char address[65];
    unsigned char plain[SOURCE_CHUNKS * SEALED_CHUNK];
};

/* Opens the next chunks into s->plain (the FINAL one checked with the last
 * bytes); their plain length into *n. 0 or -1. */
static int source_fill(struct blob_source *s, size_t *n)
{
    size_t got = 0;
    do {
        size_t m = 0;
        if (sealed_reader_next(s->reader, s->plain + got, sizeof(s->plain) - got, &m) != 0)
            return -1;
        got += m;
    } while (!sealed_reader_done(s->reader) && got < s->unopened && sizeof(s->plain) - got >= SEALED_CHUNK);
    /* The size promised the plain length: all of it comes with the FINAL chunk, none after. */
    if (got > s->unopened || (got == s->unopened) != sealed_reader_done(s->reader) || (got == 0 && s->unopened > 0))
        return -1;
    s->unopened -= got;
    *n = got;
    return 0;
}

static void source_close(void *ctx)
{
    struct blob_source *s = ctx;
    sealed_reader_free(s->reader);
    close(s->fd);
    sodium_memzero(s, sizeof(*s));
    free(s);
}

static int source_next(void *ctx, const char **data, size_t *n)
{
    struct blob_source *s = ctx;
    *data = (const char *)s->plain;
    *n = 0;
    if (s->ready > 0) {
        *n = s->ready;
        s->ready = 0;
        return 0;
    }
    if (s->unopened == 0)
        return 0;
    if (source_fill(s, n) != 0) {
        log_unopenable(s->address);
        return -1;
    }
    return 0;
}

int blobs_open_source(const char *address, struct byte_source *out)
{
    int fd;
    size_t sealed_len;
    *out = (struct byte_source){0};
    if (open_sealed(address, &fd, &sealed_len) != 0)
        return -1;
    struct blob_source *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        close(fd);
        return -1;
    }
    s->fd = fd;
    memcpy(s->address, address, 65); /* a valid address: 64 digits and its NUL */
    size_t plain_len = sealed_plain_size(sealed_len);
    s->unopened = plain_len;
    s->reader = plain_len != SIZE_MAX ? sealed_reader_new(file_key, fd, sealed_len) : NULL;
    if (s->reader == NULL || source_fill(s, &s->ready) != 0) {
        log_unopenable(address);
        source_close(s);
        return -1;
    }
    *out = (struct byte_source){.len = plain_len, .next = source_next, .close = source_close, .ctx = s};
    return 0;
}

int blobs_remove(const char *address)
{
    char path[PATH_MAX];
    if (blobs_path(address, path, sizeof(path)) != 0)
        return -1;
    if (unlink(path) != 0 && errno != ENOENT) {
        log_error("msg=\"cannot remove a stored file\" address=%s error=\"%s\"", address, strerror(errno));
        return -1;
    }
    return 0;
}

/* The key of the small secrets: derived from the file key, never the same bytes. */
static int secret_key(unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES])
{
    if (!ready)
        return -1;
    return crypto_kdf_derive_from_key(key, crypto_aead_xchacha20poly1305_ietf_KEYBYTES, 1, "rndsecrt", file_key);
}

enum { SECRET_MAX_BYTES = 256 };

int blobs_seal_secret(const unsigned char *plain, size_t len, const char *bound_to, char *out, size_t out_size)
{
    unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    unsigned char sealed[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + SECRET_MAX_BYTES +
                         crypto_aead_xchacha20poly1305_ietf_ABYTES];
    size_t total = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + len + crypto_aead_xchacha20poly1305_ietf_ABYTES;
    int rc = -1;
    if (len > SECRET_MAX_BYTES || out_size < total * 4 / 3 + 2 || secret_key(key) != 0)
        goto out;
    randombytes_buf(sealed, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(sealed + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &written, plain,
                                               len, (const unsigned char *)bound_to, strlen(bound_to), NULL, sealed,
                                               key);
    sodium_bin2base64(out, out_size, sealed, total, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    rc = 0;
out:
    sodium_memzero(key, sizeof(key));
    return rc;
}

long blobs_open_secret(const char *sealed_text, const char *bound_to, unsigned char *plain, size_t plain_size)
{
    unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    unsigned char sealed[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + SECRET_MAX_BYTES +
                         crypto_aead_xchacha20poly1305_ietf_ABYTES];
    size_t n = 0;
    unsigned long long opened = 0;
    long rc = -1;
    if (sealed_text == NULL || secret_key(key) != 0 ||
        sodium_base642bin(sealed, sizeof(sealed), sealed_text, strlen(sealed_text), NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        n < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES ||
        n - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES - crypto_aead_xchacha20poly1305_ietf_ABYTES > plain_size)
        goto out;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &opened, NULL,
                                                   sealed + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                   n - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                   (const unsigned char *)bound_to, strlen(bound_to), sealed,
                                                   key) == 0)
        rc = (long)opened;
out:
    sodium_memzero(key, sizeof(key));
    return rc;
}
