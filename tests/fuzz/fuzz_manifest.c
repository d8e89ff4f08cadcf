/* fuzz_manifest.c — libFuzzer target for manifest_parse() (lib/manifest.h),
 * which `rounds restore` runs on a backup's manifest.json before trusting
 * anything in the folder.
 *
 * On success it checks what restore relies on: every path is acceptable to
 * manifest_path_valid (relative, no ".." or hidden component, within the length
 * cap), every checksum is 64 lower-case hex digits, no path is listed twice,
 * the files are ordered so that manifest_find finds each of them, and the
 * backend is one of ours. It then writes the manifest back with
 * manifest_format, parses that and expects the same manifest. On failure the
 * reason is a non-empty sentence. A violation traps. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static void check_same(const struct manifest *a, const struct manifest *b)
{
    check(a->file_count == b->file_count && a->schema_version == b->schema_version &&
          a->includes_keys == b->includes_keys && strcmp(a->backend, b->backend) == 0 &&
          strcmp(a->created_at, b->created_at) == 0 && strcmp(a->rounds_version, b->rounds_version) == 0);
    for (size_t i = 0; i < a->file_count; i++)
        check(strcmp(a->files[i].path, b->files[i].path) == 0 && a->files[i].bytes == b->files[i].bytes &&
              strcmp(a->files[i].sha256, b->files[i].sha256) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct manifest m;
    char why[400];
    why[0] = '\0';
    if (manifest_parse((const char *)data, size, &m, why, sizeof(why)) != 0) {
        check(why[0] != '\0' && m.file_count == 0 && m.files == NULL);
        return 0;
    }
    check(strcmp(m.backend, "sqlite") == 0 || strcmp(m.backend, "postgres") == 0);
    for (size_t i = 0; i < m.file_count; i++) {
        const struct manifest_file *f = &m.files[i];
        check(manifest_path_valid(f->path) && strstr(f->path, "/.") == NULL && f->path[0] != '.' && f->path[0] != '/');
        check(strlen(f->sha256) == 64 && strspn(f->sha256, "0123456789abcdef") == 64);
        check(i == 0 || strcmp(m.files[i - 1].path, f->path) < 0); /* ordered, no repeats */
        check(manifest_find(&m, f->path) == f);
    }
    char *text = manifest_format(&m);
    if (text != NULL) {
        struct manifest again;
        check(manifest_parse(text, strlen(text), &again, why, sizeof(why)) == 0);
        check_same(&m, &again);
        manifest_free(&again);
        free(text);
    }
    manifest_free(&m);
    return 0;
}
