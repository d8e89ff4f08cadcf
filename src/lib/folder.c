/* folder.c — file-system helpers shared by backups and exports; see folder.h. */
#include "lib/folder.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/sha256.h"

enum { READ_CHUNK = 256 * 1024 };

void folder_hex_of(const uint8_t digest[32], char out[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[digest[i] >> 4];
        out[2 * i + 1] = digits[digest[i] & 15];
    }
    out[64] = '\0';
}

enum folder_state folder_state(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? FOLDER_MISSING : FOLDER_NOT_A_FOLDER;
    if (!S_ISDIR(st.st_mode))
        return FOLDER_NOT_A_FOLDER;
    DIR *d = opendir(path);
    if (d == NULL)
        return FOLDER_NOT_A_FOLDER;
    enum folder_state state = FOLDER_EMPTY;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            state = FOLDER_IN_USE;
    closedir(d);
    return state;
}

int folder_file_sha256(const char *path, uint64_t *bytes, char sha[65])
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char *chunk = malloc(READ_CHUNK);
    struct sha256 h;
    sha256_init(&h);
    *bytes = 0;
    ssize_t n = -1;
    while (chunk != NULL && (n = read(fd, chunk, READ_CHUNK)) > 0) {
        sha256_update(&h, chunk, (size_t)n);
        *bytes += (uint64_t)n;
    }
    free(chunk);
    close(fd);
    uint8_t digest[32];
    sha256_final(&h, digest);
    folder_hex_of(digest, sha);
    return n == 0 ? 0 : -1;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void folder_remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
