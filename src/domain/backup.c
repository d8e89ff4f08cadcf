/* backup.c — writing and restoring backup folders (see backup.h).
 *
 * Backup order: the uploaded files, then the database snapshot, then the
 * files again (those uploaded meanwhile), so every file the snapshot refers
 * to is in the folder; the manifest last, renamed into place. A backup that
 * fails part-way removes the folder it made. Restore checks every byte
 * against the manifest first, copies the files into a staging folder (checking
 * them again), loads the database in one transaction, and only then moves
 * the files into place. */
#include "domain/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/folder.h"
#include "lib/manifest.h"
#include "lib/sha256.h"
#include "store/snapshot.h"
#include "store/store.h"

#define COPY_CHUNK (256 * 1024)

static bool join(char *out, size_t size, const char *a, const char *b)
{
    int n = snprintf(out, size, "%s/%s", a, b);
    return n > 0 && (size_t)n < size;
}

static int fsync_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static int make_dir(const char *path)
{
    if (mkdir(path, 0700) == 0)
        return 0;
    struct stat st;
    return errno == EEXIST && lstat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

/* Copies from to the new file to (0600, fsynced), counting and hashing what it copied. */
static int copy_file(const char *from, const char *to, uint64_t *bytes, char sha[65], char *why, size_t why_size)
{
    int in = open(from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    int out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    char *chunk = malloc(COPY_CHUNK);
    int rc = -1;
    struct sha256 h;
    sha256_init(&h);
    *bytes = 0;
    if (in < 0 || out < 0 || chunk == NULL) {
        snprintf(why, why_size, "cannot copy %s to %s: %s", from, to, chunk == NULL ? "no memory" : strerror(errno));
        goto out;
    }
    ssize_t n;
    while ((n = read(in, chunk, COPY_CHUNK)) > 0) {
        sha256_update(&h, chunk, (size_t)n);
        *bytes += (uint64_t)n;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, chunk + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                snprintf(why, why_size, "cannot write %s: %s", to, strerror(errno));
                goto out;
            }
            done += w;
        }
    }
    if (n < 0 || fsync(out) != 0) {
        snprintf(why, why_size, "cannot copy %s to %s: %s", from, to, strerror(errno));
        goto out;
    }
    uint8_t digest[32];
    sha256_final(&h, digest);
    folder_hex_of(digest, sha);
    rc = 0;
out:
    free(chunk);
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0 && rc == 0) {
        snprintf(why, why_size, "cannot write %s: %s", to, strerror(errno));
        rc = -1;
    }
    return rc;
}

static bool address_name(const char *name, const char *prefix)
{
    if (strlen(name) != 64 || strncmp(name, prefix, 2) != 0)
        return false;
    for (size_t i = 0; i < 64; i++)
        if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
            return false;
    return true;
}

/* Copies DATA_DIR/files/<xx>/<address> not yet in the backup into DIR/files/. */
static int copy_blobs(const char *data_dir, const char *dir, struct manifest *m, char *why, size_t why_size)
{
    char src_root[PATH_MAX], dst_root[PATH_MAX];
    if (!join(src_root, sizeof(src_root), data_dir, "files") || !join(dst_root, sizeof(dst_root), dir, "files") ||
        make_dir(dst_root) != 0) {
        snprintf(why, why_size, "cannot make %s/files", dir);
        return -1;
    }
    DIR *top = opendir(src_root);
    if (top == NULL)
        return errno == ENOENT ? 0 : (snprintf(why, why_size, "cannot read %s: %s", src_root, strerror(errno)), -1);
    int rc = 0;
    struct dirent *sub;
    while (rc == 0 && (sub = readdir(top)) != NULL) {
        char src_dir[PATH_MAX], dst_dir[PATH_MAX];
        if (strlen(sub->d_name) != 2 || sub->d_name[0] == '.' || !join(src_dir, sizeof(src_dir), src_root, sub->d_name) ||
            !join(dst_dir, sizeof(dst_dir), dst_root, sub->d_name))
            continue;
        DIR *d = opendir(src_dir);
        if (d == NULL)
            continue;
        struct dirent *e;
        while (rc == 0 && (e = readdir(d)) != NULL) {
            char from[PATH_MAX], to[PATH_MAX], rel[BACKUP_PATH_MAX_BYTES + 1], sha[65];
            uint64_t bytes;
            if (!address_name(e->d_name, sub->d_name) || !join(from, sizeof(from), src_dir, e->d_name) ||
                !join(to, sizeof(to), dst_dir, e->d_name))
                continue;
            snprintf(rel, sizeof(rel), "files/%s/%s", sub->d_name, e->d_name);
            if (access(to, F_OK) == 0)
                continue; /* copied by the first pass */
            if (make_dir(dst_dir) != 0 || copy_file(from, to, &bytes, sha, why, why_size) != 0) {
                /* A file removed while we copy it is not referenced any more: skip it. */
                if (access(from, F_OK) != 0 && errno == ENOENT) {
                    unlink(to);
                    continue;
                }
                rc = -1;
            } else if (manifest_add(m, rel, bytes, sha) != 0) {
                snprintf(why, why_size, "out of memory listing the files");
                rc = -1;
            }
        }
        closedir(d);
    }
    closedir(top);
    return rc;
}

static void key_path(const struct backup_options *o, char *out, size_t size)
{
    if (o->file_key_file != NULL && o->file_key_file[0] != '\0')
        snprintf(out, size, "%s", o->file_key_file);
    else
        snprintf(out, size, "%s/file.key", o->data_dir);
}

/* The file key as keys/file.key, and any other DATA_DIR/<name>.key (signing keys) as keys/<name>.key. */
static int copy_keys(const struct backup_options *o, struct manifest *m, char *why, size_t why_size)
{
    char keys[PATH_MAX], from[PATH_MAX], to[PATH_MAX], sha[65], rel[BACKUP_PATH_MAX_BYTES + 1];
    uint64_t bytes;
    key_path(o, from, sizeof(from));
    if (!join(keys, sizeof(keys), o->dir, "keys") || make_dir(keys) != 0 || !join(to, sizeof(to), keys, "file.key") ||
        copy_file(from, to, &bytes, sha, why, why_size) != 0 || manifest_add(m, "keys/file.key", bytes, sha) != 0)
        return -1;
    DIR *d = opendir(o->data_dir);
    if (d == NULL)
        return 0;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".key") != 0 || strcmp(e->d_name, "file.key") == 0 ||
            snprintf(rel, sizeof(rel), "keys/%s", e->d_name) >= (int)sizeof(rel) || !manifest_path_valid(rel) ||
            !join(from, sizeof(from), o->data_dir, e->d_name) || !join(to, sizeof(to), keys, e->d_name))
            continue;
        if (copy_file(from, to, &bytes, sha, why, why_size) != 0 || manifest_add(m, rel, bytes, sha) != 0)
            rc = -1;
    }
    closedir(d);
    return rc;
}

static int write_manifest(const char *dir, struct manifest *m, char *why, size_t why_size)
{
    char tmp[PATH_MAX], final[PATH_MAX];
    manifest_sort(m);
    char *text = manifest_format(m);
    if (text == NULL || !join(tmp, sizeof(tmp), dir, ".manifest.json.tmp") ||
        !join(final, sizeof(final), dir, MANIFEST_NAME)) {
        free(text);
        snprintf(why, why_size, "cannot write the manifest (no memory)");
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    size_t len = strlen(text);
    bool ok = fd >= 0 && write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    free(text);
    if (!ok || rename(tmp, final) != 0 || fsync_path(dir, O_RDONLY | O_DIRECTORY) != 0) {
        snprintf(why, why_size, "cannot write %s: %s", final, strerror(errno));
        return -1;
    }
    return 0;
}

static void fill_header(struct manifest *m, struct db_conn *conn, const char *rounds_version, int schema_version, bool keys)
{
    m->format_version = MANIFEST_FORMAT_VERSION;
    snprintf(m->rounds_version, sizeof(m->rounds_version), "%s", rounds_version);
    clock_format_rfc3339(clock_now(), m->created_at);
    snprintf(m->backend, sizeof(m->backend), "%s", db_backend_name(conn));
    m->schema_version = schema_version;
    m->includes_keys = keys;
}

static void report_from(struct backup_report *report, const struct manifest *m)
{
    memset(report, 0, sizeof(*report));
    snprintf(report->backend, sizeof(report->backend), "%s", m->backend);
    report->schema_version = m->schema_version;
    report->keys = m->includes_keys;
    for (size_t i = 0; i < m->file_count; i++) {
        report->bytes += m->files[i].bytes;
        if (strncmp(m->files[i].path, "files/", 6) == 0)
            report->files++;
    }
}

enum backup_outcome backup_create(struct db_conn *conn, const struct backup_options *o, struct backup_report *report,
                                  char *why, size_t why_size)
{
    struct manifest m = {0};
    enum backup_outcome outcome = BACKUP_FAILED;
    enum folder_state state = folder_state(o->dir);
    if (state == FOLDER_IN_USE || state == FOLDER_NOT_A_FOLDER) {
        snprintf(why, why_size, "%s is not an empty folder: back up into a new one", o->dir);
        return BACKUP_REFUSED;
    }
    if (state == FOLDER_MISSING && mkdir(o->dir, 0700) != 0) {
        snprintf(why, why_size, "cannot make %s: %s", o->dir, strerror(errno));
        return BACKUP_FAILED;
    }
    int version = 0;
    char snapshot[PATH_MAX], sha[65];
    uint64_t bytes;
    const char *name = store_snapshot_file_name(conn);
    if (store_schema_version(conn, &version) != DB_OK || version < 1) {
        snprintf(why, why_size, "the database has no Rounds schema (run rounds migrate, or check ROUNDS_DB)");
        goto out;
    }
    if (copy_blobs(o->data_dir, o->dir, &m, why, why_size) != 0 || !join(snapshot, sizeof(snapshot), o->dir, name) ||
        store_snapshot_write(conn, o->db_target, snapshot, why, why_size) != DB_OK)
        goto out;
    if (folder_file_sha256(snapshot, &bytes, sha) != 0 || manifest_add(&m, name, bytes, sha) != 0) {
        snprintf(why, why_size, "cannot read back %s", snapshot);
        goto out;
    }
    if (copy_blobs(o->data_dir, o->dir, &m, why, why_size) != 0)
        goto out;
    if (o->include_keys && copy_keys(o, &m, why, why_size) != 0)
        goto out;
    fill_header(&m, conn, o->rounds_version, version, o->include_keys);
    if (write_manifest(o->dir, &m, why, why_size) != 0)
        goto out;
    report_from(report, &m);
    outcome = BACKUP_OK;
out:
    if (outcome != BACKUP_OK)
        folder_remove_tree(o->dir);
    manifest_free(&m);
    return outcome;
}

/* ---- restore ---- */

static enum backup_outcome read_manifest(const char *dir, struct manifest *m, char *why, size_t why_size)
{
    char path[PATH_MAX];
    struct stat st;
    if (!join(path, sizeof(path), dir, MANIFEST_NAME) || lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, why_size, "%s is not a Rounds backup: it has no %s", dir, MANIFEST_NAME);
        return BACKUP_INVALID;
    }
    if (st.st_size > BACKUP_MANIFEST_MAX_BYTES) {
        snprintf(why, why_size, "%s is larger than any manifest rounds writes", path);
        return BACKUP_INVALID;
    }
    char *text = malloc((size_t)st.st_size + 1);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    ssize_t got = text != NULL && fd >= 0 ? read(fd, text, (size_t)st.st_size) : -1;
    if (fd >= 0)
        close(fd);
    char reason[400];
    enum backup_outcome outcome = BACKUP_OK;
    if (got != (ssize_t)st.st_size) {
        snprintf(why, why_size, "cannot read %s", path);
        outcome = BACKUP_FAILED;
    } else if (manifest_parse(text, (size_t)got, m, reason, sizeof(reason)) != 0) {
        snprintf(why, why_size, "%s is refused: %s", path, reason);
        outcome = BACKUP_INVALID;
    }
    free(text);
    return outcome;
}

/* Every entry of the folder (below rel) must be listed; counts the regular files. */
static int check_listed(const char *dir, const char *rel, const struct manifest *m, int depth, size_t *count,
                        char *why, size_t why_size)
{
    char path[PATH_MAX];
    if (rel[0] == '\0')
        snprintf(path, sizeof(path), "%s", dir);
    else if (!join(path, sizeof(path), dir, rel))
        return -1;
    DIR *d = opendir(path);
    if (d == NULL || depth > 4) {
        snprintf(why, why_size, "cannot read %s", path);
        if (d != NULL)
            closedir(d);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        char child[BACKUP_PATH_MAX_BYTES + 2], full[PATH_MAX];
        struct stat st;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || (depth == 0 && strcmp(e->d_name, MANIFEST_NAME) == 0))
            continue;
        int n = rel[0] == '\0' ? snprintf(child, sizeof(child), "%s", e->d_name)
                               : snprintf(child, sizeof(child), "%s/%s", rel, e->d_name);
        if (n < 0 || (size_t)n >= sizeof(child) || !join(full, sizeof(full), dir, child) || lstat(full, &st) != 0) {
            snprintf(why, why_size, "%s/%s is not listed in the manifest: not a backup rounds wrote", path, e->d_name);
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            rc = check_listed(dir, child, m, depth + 1, count, why, why_size);
        } else if (!S_ISREG(st.st_mode) || manifest_find(m, child) == NULL) {
            snprintf(why, why_size, "%s is not listed in the manifest: not a backup rounds wrote", full);
            rc = -1;
        } else {
            (*count)++;
        }
    }
    closedir(d);
    return rc;
}

/* Every listed file is there with its size and SHA-256, nothing else is, and the parts agree. */
static enum backup_outcome check_backup(const char *dir, const struct manifest *m, char *why, size_t why_size)
{
    for (size_t i = 0; i < m->file_count; i++) {
        const struct manifest_file *f = &m->files[i];
        char path[PATH_MAX], sha[65];
        uint64_t bytes;
        struct stat st;
        if (!join(path, sizeof(path), dir, f->path) || lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            snprintf(why, why_size, "%s is missing from the backup", path);
            return BACKUP_INVALID;
        }
        if ((uint64_t)st.st_size != f->bytes || folder_file_sha256(path, &bytes, sha) != 0 || bytes != f->bytes) {
            snprintf(why, why_size, "%s is not the size the manifest gives (truncated or changed)", path);
            return BACKUP_INVALID;
        }
        if (strcmp(sha, f->sha256) != 0) {
            snprintf(why, why_size, "%s does not match its checksum in the manifest (changed or damaged)", path);
            return BACKUP_INVALID;
        }
    }
    size_t count = 0;
    if (check_listed(dir, "", m, 0, &count, why, why_size) != 0)
        return BACKUP_INVALID;
    const char *snapshot = strcmp(m->backend, "postgres") == 0 ? "database.pgdump" : "database.sqlite";
    if (manifest_find(m, snapshot) == NULL) {
        snprintf(why, why_size, "%s/%s is missing: the manifest does not list the database", dir, snapshot);
        return BACKUP_INVALID;
    }
    if ((manifest_find(m, "keys/file.key") != NULL) != m->includes_keys) {
        snprintf(why, why_size, "%s/keys/file.key and the manifest's includes_keys disagree", dir);
        return BACKUP_INVALID;
    }
    return BACKUP_OK;
}

/* The database must be empty, of the backup's engine, and the data folder hold no files yet. */
static enum backup_outcome check_destination(struct db_conn *conn, const struct backup_options *o,
                                             const struct manifest *m, char *why, size_t why_size)
{
    bool empty = false;
    if (strcmp(db_backend_name(conn), m->backend) != 0) {
        snprintf(why, why_size, "the backup is of a %s database and ROUNDS_DB is %s: restore into the same engine "
                                "(to move between engines use rounds export and rounds import)",
                 m->backend, db_backend_name(conn));
        return BACKUP_REFUSED;
    }
    if (m->schema_version > store_schema_latest(conn)) {
        snprintf(why, why_size, "the backup's schema (version %d) is newer than this rounds knows (%d): upgrade rounds",
                 m->schema_version, store_schema_latest(conn));
        return BACKUP_REFUSED;
    }
    if (store_database_empty(conn, &empty) != DB_OK) {
        snprintf(why, why_size, "cannot read the database to check that it is empty");
        return BACKUP_FAILED;
    }
    if (!empty) {
        snprintf(why, why_size, "the database is not empty: restore into a new, empty database");
        return BACKUP_REFUSED;
    }
    char files[PATH_MAX];
    if (!join(files, sizeof(files), o->data_dir, "files") || folder_state(files) >= FOLDER_IN_USE) {
        snprintf(why, why_size, "%s already holds files: restore into a new data folder", files);
        return BACKUP_REFUSED;
    }
    return BACKUP_OK;
}

/* Copies DIR/files/… into staging/…, checking each copy against the manifest again. */
static int stage_files(const char *dir, const char *staging, const struct manifest *m, char *why, size_t why_size)
{
    for (size_t i = 0; i < m->file_count; i++) {
        const struct manifest_file *f = &m->files[i];
        if (strncmp(f->path, "files/", 6) != 0)
            continue;
        const char *rest = f->path + 6;
        const char *slash = strchr(rest, '/');
        char from[PATH_MAX], to[PATH_MAX], sub[PATH_MAX], sha[65];
        uint64_t bytes;
        if (slash == NULL || !join(from, sizeof(from), dir, f->path) || !join(to, sizeof(to), staging, rest) ||
            snprintf(sub, sizeof(sub), "%s/%.*s", staging, (int)(slash - rest), rest) >= (int)sizeof(sub) ||
            make_dir(sub) != 0) {
            snprintf(why, why_size, "cannot restore %s", f->path);
            return -1;
        }
        if (copy_file(from, to, &bytes, sha, why, why_size) != 0)
            return -1;
        if (bytes != f->bytes || strcmp(sha, f->sha256) != 0) {
            snprintf(why, why_size, "%s changed while it was restored", from);
            return -1;
        }
    }
    return 0;
}

/* Puts the backup's keys in place: a key already there must be the same. */
static enum backup_outcome place_keys(const struct backup_options *o, const struct manifest *m, bool check_only,
                                      char *why, size_t why_size)
{
    for (size_t i = 0; i < m->file_count; i++) {
        const struct manifest_file *f = &m->files[i];
        if (strncmp(f->path, "keys/", 5) != 0)
            continue;
        char from[PATH_MAX], to[PATH_MAX], sha[65];
        uint64_t bytes;
        if (strcmp(f->path, "keys/file.key") == 0)
            key_path(o, to, sizeof(to));
        else if (!join(to, sizeof(to), o->data_dir, f->path + 5))
            return BACKUP_FAILED;
        if (access(to, F_OK) == 0) {
            if (folder_file_sha256(to, &bytes, sha) != 0 || strcmp(sha, f->sha256) != 0) {
                snprintf(why, why_size, "%s exists and is not the key in the backup: move it away first", to);
                return BACKUP_REFUSED;
            }
            continue;
        }
        if (!check_only && (!join(from, sizeof(from), o->dir, f->path) || copy_file(from, to, &bytes, sha, why, why_size) != 0))
            return BACKUP_FAILED;
    }
    return BACKUP_OK;
}

enum backup_outcome backup_restore(struct db_conn *conn, const struct backup_options *o, struct backup_report *report,
                                   char *why, size_t why_size)
{
    struct manifest m = {0};
    char staging[PATH_MAX] = "", files[PATH_MAX], snapshot[PATH_MAX];
    enum backup_outcome outcome = read_manifest(o->dir, &m, why, why_size);
    if (outcome != BACKUP_OK)
        goto out;
    if ((outcome = check_backup(o->dir, &m, why, why_size)) != BACKUP_OK ||
        (outcome = check_destination(conn, o, &m, why, why_size)) != BACKUP_OK ||
        (outcome = place_keys(o, &m, true, why, why_size)) != BACKUP_OK)
        goto out;
    outcome = BACKUP_FAILED;
    if (make_dir(o->data_dir) != 0 || !join(staging, sizeof(staging), o->data_dir, ".restoring-XXXXXX") ||
        mkdtemp(staging) == NULL) {
        snprintf(why, why_size, "cannot make a staging folder in %s: %s", o->data_dir, strerror(errno));
        staging[0] = '\0';
        goto out;
    }
    if (stage_files(o->dir, staging, &m, why, why_size) != 0 ||
        !join(snapshot, sizeof(snapshot), o->dir, strcmp(m.backend, "postgres") == 0 ? "database.pgdump" : "database.sqlite") ||
        store_snapshot_load(conn, o->db_target, snapshot, why, why_size) != DB_OK)
        goto out;
    /* The database is in: from here on, finish. An empty files/ is replaced by rename. */
    if (!join(files, sizeof(files), o->data_dir, "files") || rename(staging, files) != 0) {
        snprintf(why, why_size, "the database is restored but moving the files into %s failed: %s; they are in %s",
                 files, strerror(errno), staging);
        staging[0] = '\0';
        goto out;
    }
    staging[0] = '\0';
    fsync_path(o->data_dir, O_RDONLY | O_DIRECTORY);
    if (place_keys(o, &m, false, why, why_size) != BACKUP_OK)
        goto out;
    report_from(report, &m);
    if (!m.includes_keys) {
        char key[PATH_MAX];
        key_path(o, key, sizeof(key));
        report->key_missing = access(key, F_OK) != 0;
    }
    outcome = BACKUP_OK;
out:
    if (staging[0] != '\0')
        folder_remove_tree(staging);
    manifest_free(&m);
    return outcome;
}
