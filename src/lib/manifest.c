/* manifest.c — reading and writing a backup's manifest (see manifest.h). */
#include "lib/manifest.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void say(char *why, size_t why_size, const char *text, const char *detail)
{
    if (why != NULL && why_size > 0)
        snprintf(why, why_size, "%s%s%s", text, detail != NULL ? ": " : "", detail != NULL ? detail : "");
}

bool manifest_path_valid(const char *path)
{
    size_t len = path != NULL ? strlen(path) : 0;
    if (len == 0 || len > BACKUP_PATH_MAX_BYTES)
        return false;
    bool component_start = true;
    for (size_t i = 0; i < len; i++) {
        char c = path[i];
        if (c == '/') {
            if (component_start)
                return false; /* leading slash or an empty component */
            component_start = true;
            continue;
        }
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                     c == '-' || c == '.';
        if (!plain || (component_start && c == '.'))
            return false; /* hidden names, "." and ".." all start with a dot */
        component_start = false;
    }
    return !component_start;
}

static bool hex64(const char *s)
{
    if (s == NULL || strlen(s) != 64)
        return false;
    for (size_t i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct manifest_file *)a)->path, ((const struct manifest_file *)b)->path);
}

void manifest_sort(struct manifest *m)
{
    if (m->file_count > 1)
        qsort(m->files, m->file_count, sizeof(*m->files), by_path);
}

const struct manifest_file *manifest_find(const struct manifest *m, const char *path)
{
    struct manifest_file key = {.bytes = 0};
    if (m->file_count == 0 || snprintf(key.path, sizeof(key.path), "%s", path) >= (int)sizeof(key.path))
        return NULL;
    return bsearch(&key, m->files, m->file_count, sizeof(*m->files), by_path);
}

int manifest_add(struct manifest *m, const char *path, uint64_t bytes, const char sha256[65])
{
    if (!manifest_path_valid(path) || !hex64(sha256) || m->file_count >= BACKUP_MAX_FILES)
        return -1;
    if ((m->file_count & (m->file_count - 1)) == 0) { /* 0, 1, 2, 4 …: grow to twice */
        size_t cap = m->file_count == 0 ? 16 : m->file_count * 2;
        struct manifest_file *bigger = realloc(m->files, cap * sizeof(*bigger));
        if (bigger == NULL)
            return -1;
        m->files = bigger;
    }
    struct manifest_file *f = &m->files[m->file_count++];
    snprintf(f->path, sizeof(f->path), "%s", path);
    f->bytes = bytes;
    memcpy(f->sha256, sha256, 65);
    return 0;
}

void manifest_free(struct manifest *m)
{
    free(m->files);
    memset(m, 0, sizeof(*m));
}

/* A string member of at most size-1 bytes copied into out; false when missing, not a string or too long. */
static bool copy_string(json_t *root, const char *key, char *out, size_t size)
{
    const char *s = json_string_value(json_object_get(root, key));
    if (s == NULL || strlen(s) >= size || strlen(s) != json_string_length(json_object_get(root, key)))
        return false;
    memcpy(out, s, strlen(s) + 1);
    return true;
}

static int parse_header(json_t *root, struct manifest *out, char *why, size_t why_size)
{
    static const char *const known[] = {"format",     "format_version", "rounds_version", "created_at", "backend",
                                        "schema_version", "includes_keys", "files",        NULL};
    const char *key;
    json_t *value;
    json_object_foreach (root, key, value) {
        size_t i = 0;
        while (known[i] != NULL && strcmp(known[i], key) != 0)
            i++;
        if (known[i] == NULL) {
            say(why, why_size, "the manifest has an unknown field", key);
            return -1;
        }
    }
    const char *format = json_string_value(json_object_get(root, "format"));
    if (format == NULL || strcmp(format, MANIFEST_FORMAT) != 0) {
        say(why, why_size, "not a Rounds backup manifest (\"format\" is not \"" MANIFEST_FORMAT "\")", NULL);
        return -1;
    }
    json_t *version = json_object_get(root, "format_version");
    if (!json_is_integer(version) || json_integer_value(version) != MANIFEST_FORMAT_VERSION) {
        say(why, why_size, "the manifest's format_version is not one this rounds reads", "expected 1");
        return -1;
    }
    out->format_version = MANIFEST_FORMAT_VERSION;
    if (!copy_string(root, "rounds_version", out->rounds_version, sizeof(out->rounds_version)) ||
        !copy_string(root, "created_at", out->created_at, sizeof(out->created_at))) {
        say(why, why_size, "the manifest's rounds_version or created_at is missing or too long", NULL);
        return -1;
    }
    if (!copy_string(root, "backend", out->backend, sizeof(out->backend)) ||
        (strcmp(out->backend, "sqlite") != 0 && strcmp(out->backend, "postgres") != 0)) {
        say(why, why_size, "the manifest's backend is not \"sqlite\" or \"postgres\"", NULL);
        return -1;
    }
    json_t *schema = json_object_get(root, "schema_version");
    if (!json_is_integer(schema) || json_integer_value(schema) < 1 || json_integer_value(schema) > 1000000) {
        say(why, why_size, "the manifest's schema_version is not a positive integer", NULL);
        return -1;
    }
    out->schema_version = (int)json_integer_value(schema);
    json_t *keys = json_object_get(root, "includes_keys");
    if (!json_is_boolean(keys)) {
        say(why, why_size, "the manifest's includes_keys is not true or false", NULL);
        return -1;
    }
    out->includes_keys = json_is_true(keys);
    return 0;
}

static int parse_files(json_t *files, struct manifest *out, char *why, size_t why_size)
{
    if (!json_is_array(files) || json_array_size(files) > BACKUP_MAX_FILES) {
        say(why, why_size, "the manifest's files is not a list (or lists too many files)", NULL);
        return -1;
    }
    json_t *seen = json_object();
    int rc = -1;
    if (seen == NULL) {
        say(why, why_size, "out of memory reading the manifest", NULL);
        goto out;
    }
    size_t i;
    json_t *entry;
    json_array_foreach (files, i, entry) {
        const char *path = json_string_value(json_object_get(entry, "path"));
        json_t *bytes = json_object_get(entry, "bytes");
        const char *sha = json_string_value(json_object_get(entry, "sha256"));
        if (!json_is_object(entry) || json_object_size(entry) != 3 || path == NULL ||
            strlen(path) != json_string_length(json_object_get(entry, "path")) || !manifest_path_valid(path)) {
            say(why, why_size, "a file of the manifest has no acceptable path (relative, plain names)", path);
            goto out;
        }
        if (!json_is_integer(bytes) || json_integer_value(bytes) < 0 || !hex64(sha)) {
            say(why, why_size, "a file of the manifest has no size or SHA-256", path);
            goto out;
        }
        if (json_object_get(seen, path) != NULL) {
            say(why, why_size, "the manifest lists a file twice", path);
            goto out;
        }
        if (json_object_set_new(seen, path, json_true()) != 0) {
            say(why, why_size, "out of memory reading the manifest", NULL);
            goto out;
        }
        if (manifest_add(out, path, (uint64_t)json_integer_value(bytes), sha) != 0) {
            say(why, why_size, "out of memory reading the manifest", NULL);
            goto out;
        }
    }
    rc = 0;
out:
    json_decref(seen);
    return rc;
}

int manifest_parse(const char *text, size_t len, struct manifest *out, char *why, size_t why_size)
{
    memset(out, 0, sizeof(*out));
    if (len > BACKUP_MANIFEST_MAX_BYTES) {
        say(why, why_size, "the manifest is larger than any rounds writes", NULL);
        return -1;
    }
    json_error_t error;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &error);
    int rc = -1;
    if (!json_is_object(root)) {
        say(why, why_size, "the manifest is not a JSON object", root == NULL ? error.text : NULL);
        goto out;
    }
    if (parse_header(root, out, why, why_size) != 0 ||
        parse_files(json_object_get(root, "files"), out, why, why_size) != 0)
        goto out;
    manifest_sort(out);
    rc = 0;
out:
    json_decref(root);
    if (rc != 0)
        manifest_free(out);
    return rc;
}

char *manifest_format(const struct manifest *m)
{
    json_t *files = json_array();
    json_t *root = json_pack("{s:s, s:i, s:s, s:s, s:s, s:i, s:b}", "format", MANIFEST_FORMAT, "format_version",
                             MANIFEST_FORMAT_VERSION, "rounds_version", m->rounds_version, "created_at",
                             m->created_at, "backend", m->backend, "schema_version", m->schema_version,
                             "includes_keys", m->includes_keys);
    char *text = NULL;
    if (files == NULL || root == NULL)
        goto out;
    for (size_t i = 0; i < m->file_count; i++) {
        const struct manifest_file *f = &m->files[i];
        if (json_array_append_new(files, json_pack("{s:s, s:I, s:s}", "path", f->path, "bytes",
                                                   (json_int_t)f->bytes, "sha256", f->sha256)) != 0)
            goto out;
    }
    if (json_object_set(root, "files", files) != 0)
        goto out;
    text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
out:
    json_decref(files);
    json_decref(root);
    return text;
}
