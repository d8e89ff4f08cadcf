/* test_sealed.c — unit tests for files sealed at rest (src/lib/sealed.c)
 * and the content-addressed blob store on disk (src/store/blobs.c). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/crypto.h"
#include "lib/sealed.h"
#include "store/blobs.h"
#include "test.h"

enum { HEADER = 24, OVERHEAD = 17, FULL = SEALED_CHUNK + OVERHEAD };

static unsigned char key_a[SEALED_KEY_BYTES], key_b[SEALED_KEY_BYTES];
static char tmp_root[64]; /* a test_tmp_dir folder */

/* Bytes that differ from chunk to chunk (so a reordering would show). */
static unsigned char *pattern(size_t len, unsigned seed)
{
    unsigned char *p = malloc(len + 1);
    uint32_t x = 2463534242u ^ seed;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (unsigned char)x;
    }
    return p;
}

/* Seals plain with key into a new heap buffer. */
static unsigned char *seal(const unsigned char *key, const unsigned char *plain, size_t len, size_t *sealed_len)
{
    size_t size = sealed_size(len);
    unsigned char *out = malloc(size + 2 * FULL); /* room for tests that append */
    if (sealed_seal(key, plain, len, out, size, sealed_len) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* Opens sealed with sealed_open_fd from a file holding file_len of its
 * bytes, said to be sealed_len long; 0 when it opened to exactly plain[0..len). */
static int open_file_matches(const unsigned char *key, const unsigned char *sealed, size_t file_len,
                             size_t sealed_len, const unsigned char *plain, size_t len)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/open-fd.XXXXXX", tmp_root);
    int fd = mkstemp(path);
    if (fd < 0)
        return -3;
    unlink(path);
    unsigned char *out = malloc(sealed_len + 1);
    size_t out_len = 0;
    int rc = write(fd, sealed, file_len) == (ssize_t)file_len && lseek(fd, 0, SEEK_SET) == 0 ? 0 : -3;
    if (rc == 0)
        rc = sealed_open_fd(key, fd, sealed_len, out, sealed_len, &out_len);
    if (rc == 0 && (out_len != len || (len > 0 && memcmp(out, plain, len) != 0)))
        rc = -2;
    free(out);
    close(fd);
    return rc;
}

/* Opens sealed with a sealed_reader, a chunk at a time, from a file holding
 * its bytes; 0 when it opened to exactly plain[0..len), -1 when a chunk
 * failed (and every byte given before it was plain's). */
static int reader_matches(const unsigned char *key, const unsigned char *sealed, size_t sealed_len,
                          const unsigned char *plain, size_t len)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/reader.XXXXXX", tmp_root);
    int fd = mkstemp(path);
    if (fd < 0)
        return -3;
    unlink(path);
    unsigned char *out = malloc(SEALED_CHUNK);
    size_t given = 0;
    int rc = write(fd, sealed, sealed_len) == (ssize_t)sealed_len && lseek(fd, 0, SEEK_SET) == 0 ? 0 : -3;
    struct sealed_reader *r = rc == 0 ? sealed_reader_new(key, fd, sealed_len) : NULL;
    if (rc == 0 && r == NULL)
        rc = -1;
    while (rc == 0 && !sealed_reader_done(r)) {
        size_t n = 0;
        if (sealed_reader_next(r, out, SEALED_CHUNK, &n) != 0) {
            size_t again = 1;
            if (sealed_reader_next(r, out, SEALED_CHUNK, &again) != -1 || again != 0)
                TEST_FAILF("a failed reader gave more (%zu sealed bytes)", sealed_len);
            rc = -1;
        } else if (n > len - given || memcmp(out, plain + given, n) != 0) {
            rc = -2; /* bytes that are not plain's, before any failure */
        } else {
            given += n;
        }
    }
    if (rc == 0 && given != len)
        rc = -2;
    sealed_reader_free(r);
    free(out);
    close(fd);
    return rc;
}

/* Opens sealed, from memory, from a file and a chunk at a time (the three
 * must agree); 0 when it opened to exactly plain[0..len). */
static int open_matches(const unsigned char *key, const unsigned char *sealed, size_t sealed_len,
                        const unsigned char *plain, size_t len)
{
    unsigned char *out = malloc(sealed_len + 1);
    size_t out_len = 0;
    int rc = sealed_open(key, sealed, sealed_len, out, sealed_len, &out_len);
    if (rc == 0 && (out_len != len || (len > 0 && memcmp(out, plain, len) != 0)))
        rc = -2;
    free(out);
    int from_file = open_file_matches(key, sealed, sealed_len, sealed_len, plain, len);
    if (from_file != rc)
        TEST_FAILF("sealed_open says %d, sealed_open_fd %d (%zu sealed bytes)", rc, from_file, sealed_len);
    int by_chunk = reader_matches(key, sealed, sealed_len, plain, len);
    if (by_chunk != rc)
        TEST_FAILF("sealed_open says %d, a sealed_reader %d (%zu sealed bytes)", rc, by_chunk, sealed_len);
    if (rc == 0 && sealed_plain_size(sealed_len) != len)
        TEST_FAILF("sealed_plain_size(%zu) is %zu, not %zu", sealed_len, sealed_plain_size(sealed_len), len);
    return rc;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    chmod(path, 0700);
    return remove(path);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
}

static size_t read_file(const char *path, unsigned char **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    *out = malloc((size_t)size + 1);
    size_t n = fread(*out, 1, (size_t)size, f);
    fclose(f);
    return n;
}

/* How many entries of folder have a name starting with prefix ("" = all but . and ..). */
static int count_entries(const char *folder, const char *prefix)
{
    DIR *d = opendir(folder);
    if (d == NULL)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
            strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

static bool is_lower_hex64(const char *s)
{
    if (strlen(s) != 64)
        return false;
    for (const char *p = s; *p != '\0'; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

/* ---- sealed ---- */

TEST(sealed_round_trips_every_boundary_size)
{
    /* Full chunks and last chunks of a multiple of 16 bytes are opened by
     * OpenSSL, the others by libsodium (lib/sealed.c chunk_open): both kinds. */
    static const size_t sizes[] = {0,         1,         8,         16,        48,          65535,
                                   65536,     65537,     65536 + 8, 65536 + 32, 2 * 65536, 3 * 1024 * 1024 + 7};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t len = sizes[i], sealed_len = 0;
        unsigned char *plain = pattern(len, (unsigned)i);
        unsigned char *sealed = seal(key_a, plain, len, &sealed_len);
        CHECK(sealed != NULL);
        if (sealed == NULL) {
            free(plain);
            continue;
        }
        if (sealed_len != sealed_size(len))
            TEST_FAILF("size %zu: sealed %zu bytes, sealed_size says %zu", len, sealed_len, sealed_size(len));
        if (open_matches(key_a, sealed, sealed_len, plain, len) != 0)
            TEST_FAILF("size %zu does not round-trip", len);
        if (len >= 16 && memmem(sealed, sealed_len, plain, 16) != NULL)
            TEST_FAILF("size %zu: the plain bytes show in the sealed form", len);
        free(sealed);
        free(plain);
    }
}

TEST(sealed_size_is_exact)
{
    CHECK_INT(sealed_size(0), HEADER + OVERHEAD);
    CHECK_INT(sealed_size(1), HEADER + 1 + OVERHEAD);
    CHECK_INT(sealed_size(65536), HEADER + 65536 + OVERHEAD);
    CHECK_INT(sealed_size(65537), HEADER + 65537 + 2 * OVERHEAD);
    CHECK_INT(sealed_size(3 * 1024 * 1024 + 7), HEADER + 3 * 1024 * 1024 + 7 + 49 * OVERHEAD);
    unsigned char out[64];
    size_t out_len = 0;
    CHECK_INT(sealed_seal(key_a, "abc", 3, out, sealed_size(3) - 1, &out_len), -1);
    CHECK_INT(sealed_seal(key_a, "abc", 3, out, sizeof(out), &out_len), 0);
    CHECK_INT(out_len, sealed_size(3));
    unsigned char plain[8];
    CHECK_INT(sealed_open(key_a, out, out_len, plain, 2, &out_len), -1); /* out too small */
    /* Sizes no plain length seals to. */
    CHECK(sealed_plain_size(HEADER + OVERHEAD - 1) == SIZE_MAX);
    CHECK(sealed_plain_size(HEADER + FULL + 5) == SIZE_MAX);
    CHECK(sealed_plain_size(HEADER + FULL + OVERHEAD) == SIZE_MAX);
    CHECK(sealed_plain_size(HEADER + FULL + OVERHEAD + 1) == SEALED_CHUNK + 1);
}

TEST(sealed_refuses_altered_bytes)
{
    size_t len = 3 * 1024 * 1024 + 7, sealed_len = 0;
    unsigned char *plain = pattern(len, 7);
    unsigned char *sealed = seal(key_a, plain, len, &sealed_len);
    /* The header, a middle chunk, the last chunk, a middle chunk's tag byte
     * and the last byte of its MAC, and the first byte of the first chunk. */
    size_t at[] = {5, HEADER + 20 * FULL + 1000, sealed_len - 3, HEADER + 5 * FULL, HEADER + 6 * FULL - 1, HEADER};
    for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
        sealed[at[i]] ^= 0x01;
        if (open_matches(key_a, sealed, sealed_len, plain, len) != -1)
            TEST_FAILF("a byte changed at %zu was not refused", at[i]);
        sealed[at[i]] ^= 0x01;
    }
    CHECK_INT(open_matches(key_a, sealed, sealed_len, plain, len), 0);

    /* A failed open leaves no partial plain bytes behind. */
    sealed[sealed_len - 3] ^= 0x01;
    unsigned char *out = malloc(sealed_len);
    size_t out_len = 0;
    CHECK_INT(sealed_open(key_a, sealed, sealed_len, out, sealed_len, &out_len), -1);
    CHECK(memcmp(out, plain, 64) != 0);
    free(out);
    free(sealed);
    free(plain);
}

TEST(sealed_refuses_truncated_reordered_and_extended)
{
    size_t len = 3 * 1024 * 1024 + 7, sealed_len = 0;
    unsigned char *plain = pattern(len, 9);
    unsigned char *sealed = seal(key_a, plain, len, &sealed_len);
    CHECK_INT(open_matches(key_a, sealed, sealed_len - 1, plain, len), -1);            /* one byte short */
    CHECK_INT(open_matches(key_a, sealed, sealed_len - (7 + OVERHEAD), plain, len), -1); /* final chunk dropped */
    CHECK_INT(open_matches(key_a, sealed, HEADER, plain, len), -1);                    /* header only */
    CHECK_INT(open_matches(key_a, sealed, 3, plain, len), -1);
    /* A file shorter than its size said (cut while it was read). */
    CHECK_INT(open_file_matches(key_a, sealed, sealed_len - 5, sealed_len, plain, len), -1);
    CHECK_INT(open_file_matches(key_a, sealed, sealed_len, sealed_len, plain, len), 0);

    /* Two chunks swapped. */
    unsigned char *chunk = malloc(FULL);
    unsigned char *c1 = sealed + HEADER + FULL, *c2 = sealed + HEADER + 2 * FULL;
    memcpy(chunk, c1, FULL);
    memcpy(c1, c2, FULL);
    memcpy(c2, chunk, FULL);
    CHECK_INT(open_matches(key_a, sealed, sealed_len, plain, len), -1);
    memcpy(c2, c1, FULL);
    memcpy(c1, chunk, FULL);
    CHECK_INT(open_matches(key_a, sealed, sealed_len, plain, len), 0);
    free(chunk);

    /* Bytes after the FINAL chunk: one, or a copy of the final chunk. */
    sealed[sealed_len] = 0;
    CHECK_INT(open_matches(key_a, sealed, sealed_len + 1, plain, len), -1);
    memcpy(sealed + sealed_len, sealed + sealed_len - (7 + OVERHEAD), 7 + OVERHEAD);
    CHECK_INT(open_matches(key_a, sealed, sealed_len + 7 + OVERHEAD, plain, len), -1);
    free(sealed);
    free(plain);

    /* Exactly two full chunks, truncated by a whole chunk: what is left is a
     * valid first chunk that does not say FINAL. */
    len = 2 * SEALED_CHUNK;
    plain = pattern(len, 11);
    sealed = seal(key_a, plain, len, &sealed_len);
    CHECK_INT(sealed_len, HEADER + 2 * FULL);
    CHECK_INT(open_matches(key_a, sealed, sealed_len - FULL, plain, len), -1);
    /* A full FINAL chunk followed by more bytes. */
    sealed[sealed_len] = 0;
    CHECK_INT(open_matches(key_a, sealed, sealed_len + 1, plain, len), -1);
    memcpy(sealed + sealed_len, sealed + HEADER + FULL, FULL);
    CHECK_INT(open_matches(key_a, sealed, sealed_len + FULL, plain, len), -1);
    free(sealed);
    free(plain);
}

TEST(sealed_refuses_another_key)
{
    size_t sealed_len = 0;
    unsigned char *plain = pattern(100000, 3);
    unsigned char *sealed = seal(key_a, plain, 100000, &sealed_len);
    CHECK_INT(open_matches(key_b, sealed, sealed_len, plain, 100000), -1);
    free(sealed);
    sealed = seal(key_a, plain, 0, &sealed_len);
    CHECK_INT(open_matches(key_b, sealed, sealed_len, plain, 0), -1);
    free(sealed);
    free(plain);
}

TEST(sealed_address_is_keyed_and_deterministic)
{
    char a1[65], a2[65], b[65], other[65], empty[65];
    sealed_address(key_a, "transcript", 10, a1);
    sealed_address(key_a, "transcript", 10, a2);
    sealed_address(key_b, "transcript", 10, b);
    sealed_address(key_a, "transcripT", 10, other);
    sealed_address(key_a, "", 0, empty);
    CHECK(is_lower_hex64(a1));
    CHECK_STR(a1, a2);
    CHECK(strcmp(a1, b) != 0);
    CHECK(strcmp(a1, other) != 0);
    CHECK(is_lower_hex64(empty) && strcmp(empty, a1) != 0);
}

TEST(sealed_key_load_explains_what_is_wrong)
{
    char path[256], why[512];
    unsigned char key[SEALED_KEY_BYTES];
    snprintf(path, sizeof(path), "%s/k.key", tmp_root);

    CHECK_INT(sealed_key_load(path, key, why, sizeof(why)), -1);
    CHECK_CONTAINS(why, "No such file");
    CHECK_CONTAINS(why, path);

    write_text(path, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n"); /* 63 */
    CHECK_INT(sealed_key_load(path, key, why, sizeof(why)), -1);
    CHECK_CONTAINS(why, "64 hex digits");

    write_text(path, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0"); /* 65 */
    CHECK_INT(sealed_key_load(path, key, why, sizeof(why)), -1);

    write_text(path, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg\n");
    CHECK_INT(sealed_key_load(path, key, why, sizeof(why)), -1);
    CHECK_CONTAINS(why, "character 64");

    write_text(path, "0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef\n");
    CHECK_INT(sealed_key_load(path, key, why, sizeof(why)), 0);
    CHECK(key[0] == 0x01 && key[1] == 0x23 && key[14] == 0xcd && key[31] == 0xef);
    write_text(path, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    CHECK_INT(sealed_key_load(path, key, why, sizeof(why)), 0);
    unlink(path);
}

TEST(sealed_key_generate_makes_a_private_new_file)
{
    char path[256], why[512];
    unsigned char k1[SEALED_KEY_BYTES], k2[SEALED_KEY_BYTES];
    snprintf(path, sizeof(path), "%s/new.key", tmp_root);
    mode_t old_umask = umask(0);
    int rc = sealed_key_generate(path, why, sizeof(why));
    umask(old_umask);
    CHECK_INT(rc, 0);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK_INT(st.st_size, 65);
    CHECK_INT(sealed_key_load(path, k1, why, sizeof(why)), 0);

    /* An existing key is never replaced: files sealed with it would be lost. */
    CHECK_INT(sealed_key_generate(path, why, sizeof(why)), -1);
    CHECK_CONTAINS(why, "File exists");
    CHECK_INT(sealed_key_load(path, k2, why, sizeof(why)), 0);
    CHECK(memcmp(k1, k2, sizeof(k1)) == 0);

    char other[256];
    snprintf(other, sizeof(other), "%s/other.key", tmp_root);
    CHECK_INT(sealed_key_generate(other, why, sizeof(why)), 0);
    CHECK_INT(sealed_key_load(other, k2, why, sizeof(why)), 0);
    CHECK(memcmp(k1, k2, sizeof(k1)) != 0);
    unlink(path);
    unlink(other);
}

/* ---- blobs ---- */

static char data_dir[256], key_path[256];

TEST(blobs_open_creates_the_key_only_when_asked)
{
    snprintf(data_dir, sizeof(data_dir), "%s/data", tmp_root);
    snprintf(key_path, sizeof(key_path), "%s/data-file.key", tmp_root);
    CHECK_INT(blobs_open(data_dir, key_path, false), -1);
    CHECK(!blobs_ready());
    CHECK(access(key_path, F_OK) != 0);

    CHECK_INT(blobs_open(data_dir, key_path, true), 0);
    CHECK(blobs_ready());
    struct stat st;
    CHECK(stat(key_path, &st) == 0 && (st.st_mode & 0777) == 0600);
    char files[300];
    snprintf(files, sizeof(files), "%s/files", data_dir);
    CHECK(stat(files, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0077) == 0);

    /* A data folder under a regular file cannot be used. */
    char bad[300];
    snprintf(bad, sizeof(bad), "%s/data-file.key/data", tmp_root);
    CHECK_INT(blobs_open(bad, key_path, true), -1);
    CHECK(!blobs_ready());
    CHECK_INT(blobs_open(data_dir, key_path, false), 0); /* the key now exists */
}

TEST(blobs_put_get_round_trip_sealed_on_disk)
{
    struct arena arena;
    arena_heap_init(&arena);
    static const char marker[] = "PLAINTEXT-MARKER-immunization-record";
    size_t len = 200000;
    unsigned char *plain = pattern(len, 21);
    memcpy(plain + 1000, marker, sizeof(marker) - 1);
    memcpy(plain + 150000, marker, sizeof(marker) - 1);

    char address[65], path[512], expect[512];
    CHECK_INT(blobs_put(plain, len, address), 0);
    CHECK(is_lower_hex64(address));
    CHECK_INT(blobs_path(address, path, sizeof(path)), 0);
    snprintf(expect, sizeof(expect), "%s/files/%.2s/%s", data_dir, address, address);
    CHECK_STR(path, expect);

    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    char folder[512];
    snprintf(folder, sizeof(folder), "%s/files/%.2s", data_dir, address);
    CHECK(stat(folder, &st) == 0 && (st.st_mode & 0077) == 0);

    unsigned char *disk = NULL;
    size_t disk_len = read_file(path, &disk);
    CHECK_INT(disk_len, sealed_size(len));
    CHECK(disk != NULL && memmem(disk, disk_len, marker, sizeof(marker) - 1) == NULL);
    CHECK(disk != NULL && memmem(disk, disk_len, plain, 64) == NULL);
    free(disk);

    const char *data = NULL;
    size_t data_len = 0;
    CHECK_INT(blobs_get(&arena, address, &data, &data_len), 0);
    CHECK_INT(data_len, len);
    CHECK(data != NULL && memcmp(data, plain, len) == 0);

    /* The same bytes again: the same address and still one file. */
    char again[65];
    CHECK_INT(blobs_put(plain, len, again), 0);
    CHECK_STR(again, address);
    CHECK_INT(count_entries(folder, ""), 1);

    /* An empty file works too. */
    char empty[65];
    CHECK_INT(blobs_put("", 0, empty), 0);
    CHECK_INT(blobs_get(&arena, empty, &data, &data_len), 0);
    CHECK_INT(data_len, 0);

    /* After a restart with the same key file the files still open. */
    blobs_close();
    CHECK_INT(blobs_get(&arena, address, &data, &data_len), -1);
    CHECK_INT(blobs_open(data_dir, key_path, false), 0);
    CHECK_INT(blobs_get(&arena, address, &data, &data_len), 0);
    CHECK(data_len == len && memcmp(data, plain, len) == 0);
    free(plain);
    arena_heap_free(&arena);
}

TEST(blobs_get_refuses_bad_addresses_missing_and_altered_files)
{
    struct arena arena;
    arena_heap_init(&arena);
    const char *data = "x";
    size_t data_len = 1;
    char address[65], path[512];
    CHECK_INT(blobs_put("letter of recommendation", 24, address), 0);

    const char *malformed[] = {
        "",
        "abc",
        "../../../../etc/passwd",
        "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde/",
    };
    for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
        if (blobs_get(&arena, malformed[i], &data, &data_len) != -1 || blobs_path(malformed[i], path, sizeof(path)) != -1 ||
            blobs_remove(malformed[i]) != -1)
            TEST_FAILF("the malformed address \"%s\" was accepted", malformed[i]);
    }
    CHECK(data == NULL && data_len == 0);
    CHECK_INT(blobs_get(&arena, "00000000000000000000000000000000000000000000000000000000000000ff", &data, &data_len),
              -1);

    /* One byte changed on disk. */
    CHECK_INT(blobs_path(address, path, sizeof(path)), 0);
    unsigned char *disk = NULL;
    size_t disk_len = read_file(path, &disk);
    disk[disk_len / 2] ^= 0x40;
    FILE *f = fopen(path, "wb");
    fwrite(disk, 1, disk_len, f);
    fclose(f);
    free(disk);
    CHECK_INT(blobs_get(&arena, address, &data, &data_len), -1);

    /* Putting the bytes again does not mend a file of the right size... */
    char again[65];
    CHECK_INT(blobs_put("letter of recommendation", 24, again), 0);
    /* ...but a truncated one is written again. */
    CHECK_INT(truncate(path, 10), 0);
    CHECK_INT(blobs_get(&arena, address, &data, &data_len), -1);
    CHECK_INT(blobs_put("letter of recommendation", 24, again), 0);
    CHECK_INT(blobs_get(&arena, address, &data, &data_len), 0);
    CHECK(data_len == 24 && memcmp(data, "letter of recommendation", 24) == 0);

    /* Remove, and remove again. */
    CHECK_INT(blobs_remove(address), 0);
    CHECK(access(path, F_OK) != 0);
    CHECK_INT(blobs_get(&arena, address, &data, &data_len), -1);
    CHECK_INT(blobs_remove(address), 0);
    arena_heap_free(&arena);
}

/* Reads a whole byte source into a new buffer; its length, or -1 when it
 * failed (with the bytes it gave before in *out, *given of them). */
static long drain(struct byte_source *src, unsigned char **out, size_t *given)
{
    *out = malloc(src->len + 1);
    *given = 0;
    while (*given < src->len) {
        const char *data = NULL;
        size_t n = 0;
        if (src->next(src->ctx, &data, &n) != 0)
            return -1;
        if (n == 0 || n > src->len - *given)
            return -2;
        memcpy(*out + *given, data, n);
        *given += n;
    }
    const char *data = NULL;
    size_t n = 1;
    if (src->next(src->ctx, &data, &n) != 0 || n != 0)
        return -2; /* nothing after the promised length */
    return (long)*given;
}

TEST(blobs_open_source_gives_the_file_a_chunk_at_a_time)
{
    size_t len = 3 * 1024 * 1024 + 7, given = 0;
    unsigned char *plain = pattern(len, 21), *got = NULL;
    char address[65], path[512];
    struct byte_source src;
    CHECK_INT(blobs_put(plain, len, address), 0);
    CHECK_INT(blobs_open_source(address, &src), 0);
    CHECK_INT(src.len, len);
    CHECK_INT(drain(&src, &got, &given), (long)len);
    CHECK(given == len && memcmp(got, plain, len) == 0);
    byte_source_close(&src);
    CHECK(src.ctx == NULL && src.close == NULL);
    byte_source_close(&src); /* a closed source is left alone */
    free(got);

    /* Altered in its 21st chunk: it opens, gives the first 20 chunks as they were, then fails. */
    CHECK_INT(blobs_path(address, path, sizeof(path)), 0);
    unsigned char *disk = NULL;
    size_t disk_len = read_file(path, &disk);
    disk[HEADER + 20 * FULL + 100] ^= 0x01;
    FILE *f = fopen(path, "wb");
    fwrite(disk, 1, disk_len, f);
    fclose(f);
    CHECK_INT(blobs_open_source(address, &src), 0);
    CHECK_INT(drain(&src, &got, &given), -1);
    CHECK(given == 20 * (size_t)SEALED_CHUNK && memcmp(got, plain, given) == 0);
    byte_source_close(&src);
    free(got);

    /* Altered in its first chunk, cut short by its last chunk, or missing: it does not open. */
    disk[HEADER + 20 * FULL + 100] ^= 0x01;
    disk[HEADER + 7] ^= 0x01;
    f = fopen(path, "wb");
    fwrite(disk, 1, disk_len, f);
    fclose(f);
    CHECK_INT(blobs_open_source(address, &src), -1);
    CHECK(src.ctx == NULL && src.next == NULL);
    disk[HEADER + 7] ^= 0x01;
    f = fopen(path, "wb");
    fwrite(disk, 1, disk_len - (7 + OVERHEAD), f); /* the FINAL chunk dropped */
    fclose(f);
    if (blobs_open_source(address, &src) == 0) {
        CHECK_INT(drain(&src, &got, &given), -1);
        free(got);
        byte_source_close(&src);
    }
    CHECK_INT(blobs_remove(address), 0);
    CHECK_INT(blobs_open_source(address, &src), -1);
    CHECK_INT(blobs_open_source("../../etc/passwd", &src), -1);

    /* The empty file. */
    CHECK_INT(blobs_put("", 0, address), 0);
    CHECK_INT(blobs_open_source(address, &src), 0);
    CHECK_INT(src.len, 0);
    CHECK_INT(drain(&src, &got, &given), 0);
    byte_source_close(&src);
    free(got);
    free(disk);
    free(plain);
}

TEST(blobs_open_with_another_key_cannot_read)
{
    struct arena arena;
    arena_heap_init(&arena);
    char address[65], other_key[300], other_address[65];
    const char *data;
    size_t len;
    CHECK_INT(blobs_put("clearance form", 14, address), 0);
    snprintf(other_key, sizeof(other_key), "%s/another.key", tmp_root);
    CHECK_INT(blobs_open(data_dir, other_key, true), 0);
    CHECK_INT(blobs_get(&arena, address, &data, &len), -1);
    CHECK_INT(blobs_put("clearance form", 14, other_address), 0);
    CHECK(strcmp(address, other_address) != 0);
    CHECK_INT(blobs_open(data_dir, key_path, false), 0);
    CHECK_INT(blobs_get(&arena, address, &data, &len), 0);
    arena_heap_free(&arena);
}

TEST(blobs_put_failure_leaves_nothing_behind)
{
    /* The final path is taken by a folder: the rename fails (also as root). */
    static const char content[] = "a file whose place is taken";
    char address[65], path[512], folder[512];
    char probe[65];
    CHECK_INT(blobs_put(content, sizeof(content) - 1, probe), 0);
    CHECK_INT(blobs_path(probe, path, sizeof(path)), 0);
    CHECK_INT(blobs_remove(probe), 0);
    CHECK_INT(mkdir(path, 0700), 0);
    char inside[600];
    snprintf(inside, sizeof(inside), "%s/keep", path);
    write_text(inside, "x");
    CHECK_INT(blobs_put(content, sizeof(content) - 1, address), -1);
    snprintf(folder, sizeof(folder), "%s/files/%.2s", data_dir, probe);
    CHECK_INT(count_entries(folder, ".tmp"), 0);
    unlink(inside);
    rmdir(path);

    /* A write that fails half-way (a file size limit): no temporary file. */
    char big_folder[512];
    unsigned char *plain = pattern(300000, 5);
    char big_address[65];
    CHECK_INT(blobs_put(plain, 300000, big_address), 0);
    CHECK_INT(blobs_remove(big_address), 0);
    snprintf(big_folder, sizeof(big_folder), "%s/files/%.2s", data_dir, big_address);
    int before = count_entries(big_folder, "");
    struct rlimit old_limit, limit;
    getrlimit(RLIMIT_FSIZE, &old_limit);
    limit = old_limit;
    limit.rlim_cur = 100000;
    signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &limit);
    int rc = blobs_put(plain, 300000, big_address);
    setrlimit(RLIMIT_FSIZE, &old_limit);
    signal(SIGXFSZ, SIG_DFL);
    CHECK_INT(rc, -1);
    CHECK_INT(count_entries(big_folder, ".tmp"), 0);
    CHECK_INT(count_entries(big_folder, ""), before);
    CHECK_INT(blobs_put(plain, 300000, big_address), 0); /* and it works again */
    free(plain);
}

struct worker {
    int id;
    int failures;
};

static void *worker_run(void *p)
{
    struct worker *w = p;
    struct arena arena;
    arena_heap_init(&arena);
    for (int i = 0; i < 20; i++) {
        char text[64], address[65];
        int n = snprintf(text, sizeof(text), "shared %d / own %d.%d", i, w->id, i);
        size_t len = i % 2 == 0 ? (size_t)n : 9; /* odd rounds: the same bytes in every thread */
        const char *data;
        size_t data_len;
        if (blobs_put(text, len, address) != 0 || blobs_get(&arena, address, &data, &data_len) != 0 ||
            data_len != len || memcmp(data, text, len) != 0)
            w->failures++;
    }
    arena_heap_free(&arena);
    return NULL;
}

TEST(blobs_are_safe_from_several_threads)
{
    pthread_t threads[8];
    struct worker workers[8];
    for (int i = 0; i < 8; i++) {
        workers[i] = (struct worker){.id = i};
        pthread_create(&threads[i], NULL, worker_run, &workers[i]);
    }
    int failures = 0;
    for (int i = 0; i < 8; i++) {
        pthread_join(threads[i], NULL);
        failures += workers[i].failures;
    }
    CHECK_INT(failures, 0);
}

int main(void)
{
    if (crypto_init() != 0 || test_tmp_dir(tmp_root, sizeof(tmp_root), "sealed") == NULL) {
        printf("setup failed\n");
        return 1;
    }
    for (size_t i = 0; i < SEALED_KEY_BYTES; i++) {
        key_a[i] = (unsigned char)(i * 7 + 1);
        key_b[i] = (unsigned char)(i * 7 + 2);
    }
    RUN(sealed_round_trips_every_boundary_size);
    RUN(sealed_size_is_exact);
    RUN(sealed_refuses_altered_bytes);
    RUN(sealed_refuses_truncated_reordered_and_extended);
    RUN(sealed_refuses_another_key);
    RUN(sealed_address_is_keyed_and_deterministic);
    RUN(sealed_key_load_explains_what_is_wrong);
    RUN(sealed_key_generate_makes_a_private_new_file);
    RUN(blobs_open_creates_the_key_only_when_asked);
    RUN(blobs_put_get_round_trip_sealed_on_disk);
    RUN(blobs_get_refuses_bad_addresses_missing_and_altered_files);
    RUN(blobs_open_source_gives_the_file_a_chunk_at_a_time);
    RUN(blobs_open_with_another_key_cannot_read);
    RUN(blobs_put_failure_leaves_nothing_behind);
    RUN(blobs_are_safe_from_several_threads);
    blobs_close();
    nftw(tmp_root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return test_summary("test_sealed");
}
