/* folder.h — what backups and exports both need of the file system: whether a
 * folder is there and empty, a file's SHA-256 read through, a tree removed,
 * and a digest as lower-case hex. */
#ifndef ROUNDS_LIB_FOLDER_H
#define ROUNDS_LIB_FOLDER_H

#include <stdint.h>

enum folder_state { FOLDER_MISSING, FOLDER_EMPTY, FOLDER_IN_USE, FOLDER_NOT_A_FOLDER };

/* What is at path (a symbolic link is not a folder). */
enum folder_state folder_state(const char *path);
/* Reads the file at path through (no symbolic link): its size and SHA-256 in
 * hex. 0, or -1 when it cannot be read. */
int folder_file_sha256(const char *path, uint64_t *bytes, char sha[65]);
/* Removes path and everything below it (no symbolic link is followed). */
void folder_remove_tree(const char *path);
/* The 32 bytes of a SHA-256 as 64 lower-case hex digits. */
void folder_hex_of(const uint8_t digest[32], char out[65]);

#endif
