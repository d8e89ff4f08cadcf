/* export.c — `rounds export` and `rounds import` (see export.h): the files,
 * the manifest and the JSON of each row; the database side is store/export.c. */
#include "domain/export.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/folder.h"
#include "lib/limits.h"
#include "lib/sha256.h"
#include "store/export.h"
#include "store/store.h"

static bool join(char *out, size_t size, const char *dir, const char *name, const char *suffix)
{
    int n = snprintf(out, size, "%s/%s%s", dir, name, suffix);
    return n > 0 && (size_t)n < size;
}

static bool schema_current(struct db_conn *conn, int *version, char *why, size_t why_size)
{
    int latest = store_schema_latest(conn);
    if (store_schema_version(conn, version) != DB_OK || *version < 1) {
        snprintf(why, why_size, "the database has no Rounds schema (run rounds migrate, or check ROUNDS_DB)");
        return false;
    }
    if (*version != latest) {
        snprintf(why, why_size, "the database is at schema version %d and this rounds at %d: %s", *version, latest,
                 *version < latest ? "run rounds migrate first" : "use the rounds that wrote it");
        return false;
    }
    return true;
}

/* ---- export ---- */

struct table_writer {
    const struct store_export_table *table;
    FILE *out;
    struct sha256 hash;
    int64_t rows;
    uint64_t bytes;
    char *why;
    size_t why_size;
};

/* One row as a line of JSON: keys in column order (by name), integers as numbers. */
static int write_row(void *ctx, const char *const *values)
{
    struct table_writer *w = ctx;
    const struct store_export_table *t = w->table;
    json_t *row = json_object();
    for (size_t i = 0; row != NULL && i < t->column_count; i++) {
        json_t *value;
        if (values[i] == NULL) {
            value = json_null();
        } else if (t->columns[i].integer) {
            char *end = NULL;
            errno = 0;
            long long n = strtoll(values[i], &end, 10);
            value = end != values[i] && *end == '\0' && errno == 0 ? json_integer(n) : NULL;
        } else {
            value = json_string(values[i]); /* NULL when the text is not UTF-8 */
        }
        if (value == NULL || json_object_set_new(row, t->columns[i].name, value) != 0) {
            snprintf(w->why, w->why_size, "%s.%s holds a value that is not %s (row %" PRId64 ")", t->name,
                     t->columns[i].name, t->columns[i].integer ? "an integer" : "UTF-8 text", w->rows + 1);
            json_decref(row);
            return DB_ERROR;
        }
    }
    char *text = row != NULL ? json_dumps(row, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII) : NULL;
    json_decref(row);
    if (text == NULL) {
        snprintf(w->why, w->why_size, "out of memory writing %s", t->name);
        return DB_ERROR;
    }
    size_t len = strlen(text);
    text[len] = '\n'; /* replaces the NUL: written as one line */
    bool ok = fwrite(text, 1, len + 1, w->out) == len + 1;
    sha256_update(&w->hash, text, len + 1);
    free(text);
    if (!ok) {
        snprintf(w->why, w->why_size, "cannot write the rows of %s: %s", t->name, strerror(errno));
        return DB_ERROR;
    }
    w->rows++;
    w->bytes += len + 1;
    return 0;
}

static bool close_synced(FILE *f)
{
    bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
    return fclose(f) == 0 && ok;
}

/* Opens a new private file of the export for writing. */
static FILE *create_private(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    if (f == NULL)
        close(fd);
    return f;
}

static int export_table(struct db_conn *conn, const char *dir, const struct store_export_table *t, json_t *list,
                        struct export_report *report, char *why, size_t why_size)
{
    char path[PATH_MAX], file[STORE_EXPORT_NAME_MAX + 8], sha[65];
    snprintf(file, sizeof(file), "%s.jsonl", t->name);
    struct table_writer w = {.table = t, .why = why, .why_size = why_size};
    if (!join(path, sizeof(path), dir, file, "") || (w.out = create_private(path)) == NULL) {
        snprintf(why, why_size, "cannot create %s/%s: %s", dir, file, strerror(errno));
        return DB_ERROR;
    }
    sha256_init(&w.hash);
    int rc = store_export_rows(conn, t, write_row, &w);
    if (!close_synced(w.out) && rc == DB_OK) {
        snprintf(why, why_size, "cannot write %s: %s", path, strerror(errno));
        rc = DB_ERROR;
    }
    if (rc != DB_OK) {
        if (why[0] == '\0')
            snprintf(why, why_size, "cannot read the table %s", t->name);
        return DB_ERROR;
    }
    uint8_t digest[32];
    sha256_final(&w.hash, digest);
    folder_hex_of(digest, sha);
    json_t *entry = json_pack("{s:s, s:s, s:I, s:I, s:s}", "name", t->name, "file", file, "rows", (json_int_t)w.rows,
                              "bytes", (json_int_t)w.bytes, "sha256", sha);
    if (entry == NULL || json_array_append_new(list, entry) != 0) {
        snprintf(why, why_size, "out of memory");
        return DB_ERROR;
    }
    report->tables++;
    report->rows += w.rows;
    report->bytes += w.bytes;
    return DB_OK;
}

/* The manifest, written to a temporary name and renamed: a folder without it is not a whole export. */
static int write_manifest(const char *dir, json_t *manifest, char *why, size_t why_size)
{
    char tmp[PATH_MAX], final[PATH_MAX];
    if (!join(tmp, sizeof(tmp), dir, EXPORT_MANIFEST_NAME, ".tmp") ||
        !join(final, sizeof(final), dir, EXPORT_MANIFEST_NAME, "")) {
        snprintf(why, why_size, "the folder name is too long");
        return -1;
    }
    FILE *f = create_private(tmp);
    bool ok = f != NULL && json_dumpf(manifest, f, JSON_INDENT(1)) == 0 && fputc('\n', f) != EOF;
    if (f != NULL)
        ok = close_synced(f) && ok;
    if (!ok || rename(tmp, final) != 0) {
        snprintf(why, why_size, "cannot write %s: %s", final, strerror(errno));
        return -1;
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    return 0;
}

static enum export_outcome export_tables(struct db_conn *conn, const char *dir, json_t *manifest,
                                         struct export_report *report, char *why, size_t why_size)
{
    struct store_export_plan plan = {0};
    enum export_outcome outcome = EXPORT_FAILED;
    json_t *list = json_array();
    if (list == NULL || json_object_set_new(manifest, "tables", list) != 0) {
        snprintf(why, why_size, "out of memory");
        goto out;
    }
    if (store_export_plan_load(conn, &plan, why, why_size) != DB_OK)
        goto out;
    if (store_export_begin(conn) != DB_OK) {
        snprintf(why, why_size, "cannot start the export's read transaction");
        goto out;
    }
    bool ok = true;
    for (size_t i = 0; ok && i < plan.table_count; i++)
        ok = export_table(conn, dir, &plan.tables[i], list, report, why, why_size) == DB_OK;
    db_driver_of(conn)->rollback(conn);
    if (ok)
        outcome = EXPORT_OK;
out:
    /* The plan's SQL is the statements' cache key: the connection goes first. */
    db_close(conn);
    store_export_plan_free(&plan);
    return outcome;
}

enum export_outcome export_write(struct db_conn *conn, const char *dir, const char *rounds_version,
                                 struct export_report *report, char *why, size_t why_size)
{
    memset(report, 0, sizeof(*report));
    enum folder_state state = folder_state(dir);
    if (state == FOLDER_IN_USE || state == FOLDER_NOT_A_FOLDER) {
        db_close(conn);
        snprintf(why, why_size, "%s is not an empty folder: export into a new one", dir);
        return EXPORT_REFUSED;
    }
    if (!schema_current(conn, &report->schema_version, why, why_size)) {
        db_close(conn);
        return EXPORT_FAILED;
    }
    if (state == FOLDER_MISSING && mkdir(dir, 0700) != 0) {
        db_close(conn);
        snprintf(why, why_size, "cannot make %s: %s", dir, strerror(errno));
        return EXPORT_FAILED;
    }
    char created[32];
    clock_format_rfc3339(clock_now(), created);
    json_t *manifest = json_pack("{s:s, s:i, s:s, s:s, s:i}", "format", EXPORT_FORMAT, "format_version",
                                 EXPORT_FORMAT_VERSION, "rounds_version", rounds_version, "created_at", created,
                                 "schema_version", report->schema_version);
    enum export_outcome outcome = EXPORT_FAILED;
    if (manifest == NULL) {
        db_close(conn);
        snprintf(why, why_size, "out of memory");
    } else {
        outcome = export_tables(conn, dir, manifest, report, why, why_size);
    }
    if (outcome == EXPORT_OK && write_manifest(dir, manifest, why, why_size) != 0)
        outcome = EXPORT_FAILED;
    json_decref(manifest);
    if (outcome != EXPORT_OK)
        folder_remove_tree(dir);
    return outcome;
}

/* ---- import ---- */

struct manifest_table {
    char name[STORE_EXPORT_NAME_MAX + 1];
    char file[STORE_EXPORT_NAME_MAX + 8];
    int64_t rows;
    uint64_t bytes;
    char sha256[65];
};

struct importer {
    const char *dir;
    const struct store_export_plan *plan;
    const struct manifest_table *entries; /* one per plan table, same order */
    struct export_report *report;
    enum export_outcome outcome;
    char *why;
    size_t why_size;
    export_progress_fn progress; /* NULL: none */
    void *progress_ctx;
    int64_t rows_total;          /* the manifest's */
};

/* Progress is told after each table, and within one every this many rows. */
enum { IMPORT_PROGRESS_ROWS = 4096 };

/* Tells the caller's progress how many rows of all tables are loaded. */
static void import_progress(const struct importer *im, int64_t done)
{
    if (im->progress != NULL)
        im->progress(im->progress_ctx, done, im->rows_total);
}

/* Fills why and returns EXPORT_INVALID. */
static enum export_outcome invalid(char *why, size_t why_size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static enum export_outcome invalid(char *why, size_t why_size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(why, why_size, fmt, args);
    va_end(args);
    if (n < 0 && why_size > 0)
        why[0] = '\0';
    return EXPORT_INVALID;
}

static const char *text_or(const char *text, const char *fallback)
{
    return text != NULL ? text : fallback;
}

static enum export_outcome read_manifest(const char *dir, json_t **out, char *why, size_t why_size)
{
    char path[PATH_MAX];
    enum folder_state state = folder_state(dir);
    if (state == FOLDER_MISSING || state == FOLDER_NOT_A_FOLDER)
        return invalid(why, why_size, "%s is not a folder%s", dir,
                       state == FOLDER_MISSING ? " (it does not exist)" : "");
    if (!join(path, sizeof(path), dir, EXPORT_MANIFEST_NAME, ""))
        return invalid(why, why_size, "%s: the folder name is too long", dir);
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return invalid(why, why_size, "%s is not a Rounds export: it has no %s", dir, EXPORT_MANIFEST_NAME);
    char *text = malloc(EXPORT_MANIFEST_MAX_BYTES + 1);
    size_t len = text != NULL ? fread(text, 1, EXPORT_MANIFEST_MAX_BYTES + 1, f) : 0;
    fclose(f);
    json_error_t error;
    *out = text != NULL && len <= EXPORT_MANIFEST_MAX_BYTES ? json_loadb(text, len, JSON_REJECT_DUPLICATES, &error)
                                                            : NULL;
    free(text);
    if (*out == NULL || !json_is_object(*out) ||
        strcmp(text_or(json_string_value(json_object_get(*out, "format")), ""), EXPORT_FORMAT) != 0) {
        json_decref(*out);
        *out = NULL;
        return invalid(why, why_size, "%s is not a Rounds export: %s is not an export manifest", dir, path);
    }
    return EXPORT_OK;
}

static bool hex64(const char *s)
{
    if (s == NULL || strlen(s) != 64)
        return false;
    for (const char *p = s; *p != '\0'; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

/* The manifest names the plan's tables, in its order, each with its file, rows, size and SHA-256. */
static enum export_outcome check_manifest(json_t *m, int latest, const struct store_export_plan *plan,
                                          struct manifest_table *entries, char *why, size_t why_size)
{
    json_t *version = json_object_get(m, "schema_version"), *tables = json_object_get(m, "tables");
    if (json_integer_value(json_object_get(m, "format_version")) != EXPORT_FORMAT_VERSION || !json_is_integer(version) ||
        !json_is_array(tables))
        return invalid(why, why_size, "the manifest %s lacks its format version, schema version or tables",
                       EXPORT_MANIFEST_NAME);
    if (json_integer_value(version) != latest) {
        snprintf(why, why_size, "the export is of schema version %" JSON_INTEGER_FORMAT " and this rounds is at %d: "
                 "import it with the rounds version that wrote it (or migrate the source first)",
                 json_integer_value(version), latest);
        return EXPORT_INVALID;
    }
    if (json_array_size(tables) != plan->table_count)
        return invalid(why, why_size, "the manifest lists other tables than this schema has");
    for (size_t i = 0; i < plan->table_count; i++) {
        json_t *t = json_array_get(tables, i);
        const char *name = json_string_value(json_object_get(t, "name"));
        const char *file = json_string_value(json_object_get(t, "file"));
        const char *sha = json_string_value(json_object_get(t, "sha256"));
        json_t *rows = json_object_get(t, "rows"), *bytes = json_object_get(t, "bytes");
        struct manifest_table *e = &entries[i];
        snprintf(e->name, sizeof(e->name), "%s", plan->tables[i].name);
        snprintf(e->file, sizeof(e->file), "%s.jsonl", e->name);
        if (name == NULL || strcmp(name, e->name) != 0)
            return invalid(why, why_size, "the manifest lists %s where this schema has %s", text_or(name, "nothing"), e->name);
        if (file == NULL || strcmp(file, e->file) != 0 || !hex64(sha) || !json_is_integer(rows) ||
            json_integer_value(rows) < 0 || !json_is_integer(bytes) || json_integer_value(bytes) < 0)
            return invalid(why, why_size, "the manifest's entry for %s is not valid", e->file);
        e->rows = json_integer_value(rows);
        e->bytes = (uint64_t)json_integer_value(bytes);
        snprintf(e->sha256, sizeof(e->sha256), "%s", sha);
    }
    return EXPORT_OK;
}

static enum export_outcome check_files(const char *dir, const struct manifest_table *entries, size_t count, char *why,
                                       size_t why_size)
{
    for (size_t i = 0; i < count; i++) {
        char path[PATH_MAX], sha[65];
        uint64_t bytes = 0;
        if (!join(path, sizeof(path), dir, entries[i].file, "") || folder_file_sha256(path, &bytes, sha) != 0)
            return invalid(why, why_size, "%s is missing from the export (or cannot be read)", entries[i].file);
        if (bytes != entries[i].bytes || strcmp(sha, entries[i].sha256) != 0)
            return invalid(why, why_size, "%s is not the file the manifest describes (%s differs)", entries[i].file,
                           bytes != entries[i].bytes ? "its size" : "its SHA-256");
    }
    return EXPORT_OK;
}

/* One line of a table's file as the store's values (integers formatted in digits). */
struct row_values {
    const char *values[STORE_EXPORT_MAX_COLUMNS];
    char digits[STORE_EXPORT_MAX_COLUMNS][24];
};

static const char *row_problem(json_t *row, const struct store_export_table *t, struct row_values *v)
{
    if (!json_is_object(row))
        return "not a JSON object";
    if (json_object_size(row) != t->column_count)
        return "not every column of the table, or others";
    for (size_t i = 0; i < t->column_count; i++) {
        json_t *value = json_object_get(row, t->columns[i].name);
        if (value == NULL)
            return "a column of the table is missing";
        if (json_is_null(value)) {
            v->values[i] = NULL;
        } else if (t->columns[i].integer) {
            if (!json_is_integer(value))
                return "a text where the column holds integers";
            snprintf(v->digits[i], sizeof(v->digits[i]), "%" JSON_INTEGER_FORMAT, json_integer_value(value));
            v->values[i] = v->digits[i];
        } else {
            if (!json_is_string(value) || strlen(json_string_value(value)) != json_string_length(value))
                return "a value that is not text where the column holds text";
            v->values[i] = json_string_value(value);
        }
    }
    return NULL;
}

struct self_reference {
    char *key, *value;
};

/* The self references held back while a table's rows went in (store_import_row inserts them NULL). */
static int apply_self_references(struct db_conn *conn, const struct store_export_table *t,
                                 struct self_reference *refs, size_t count)
{
    int rc = DB_OK;
    for (size_t i = 0; i < count; i++) {
        if (rc == DB_OK)
            rc = store_import_self(conn, t, refs[i].key, refs[i].value);
        free(refs[i].key);
        free(refs[i].value);
    }
    return rc;
}

static int hold_self_reference(const struct store_export_table *t, const struct row_values *v,
                               struct self_reference **refs, size_t *count)
{
    if (t->self_column < 0 || v->values[t->self_column] == NULL)
        return DB_OK;
    struct self_reference *grown = realloc(*refs, (*count + 1) * sizeof(**refs));
    if (grown == NULL)
        return DB_ERROR;
    *refs = grown;
    grown[*count].key = strdup(v->values[t->key_column]);
    grown[*count].value = strdup(v->values[t->self_column]);
    (*count)++;
    return grown[*count - 1].key != NULL && grown[*count - 1].value != NULL ? DB_OK : DB_ERROR;
}

/* Reads one table's file into the database; the row count must be the manifest's. */
static int import_table(struct db_conn *conn, struct importer *im, size_t index)
{
    const struct store_export_table *t = &im->plan->tables[index];
    const struct manifest_table *e = &im->entries[index];
    char path[PATH_MAX];
    FILE *f = join(path, sizeof(path), im->dir, e->file, "") ? fopen(path, "re") : NULL;
    if (f == NULL) {
        im->outcome = invalid(im->why, im->why_size, "cannot open %s: %s", e->file, strerror(errno));
        return DB_ERROR;
    }
    struct row_values v;
    struct self_reference *refs = NULL;
    size_t ref_count = 0, cap = 0;
    char *line = NULL;
    ssize_t len;
    int64_t rows = 0;
    int rc = DB_OK;
    while (rc == DB_OK && (len = getline(&line, &cap, f)) >= 0) {
        rows++;
        json_error_t error;
        json_t *row = len <= EXPORT_LINE_MAX_BYTES ? json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES, &error) : NULL;
        const char *problem = row == NULL ? "not one JSON value (or too long)" : row_problem(row, t, &v);
        if (problem == NULL)
            rc = hold_self_reference(t, &v, &refs, &ref_count);
        if (problem == NULL && rc == DB_OK && (rc = store_import_row(conn, t, v.values)) != DB_OK && rc != DB_RETRY)
            problem = "refused by the database (a constraint, or a value of the wrong kind)";
        if (problem != NULL) {
            snprintf(im->why, im->why_size, "%s, line %" PRId64 ": %s", e->file, rows, problem);
            im->outcome = EXPORT_INVALID;
            rc = rc == DB_RETRY ? DB_RETRY : DB_ERROR;
        }
        json_decref(row);
        if (rows % IMPORT_PROGRESS_ROWS == 0)
            import_progress(im, im->report->rows + rows);
    }
    free(line);
    fclose(f);
    if (rc == DB_OK && rows != e->rows) {
        snprintf(im->why, im->why_size, "%s holds %" PRId64 " rows where the manifest says %" PRId64, e->file, rows,
                 e->rows);
        im->outcome = EXPORT_INVALID;
        rc = DB_ERROR;
    }
    int self_rc = apply_self_references(conn, t, refs, ref_count);
    free(refs);
    if (rc == DB_OK && self_rc != DB_OK) {
        snprintf(im->why, im->why_size, "%s: a row refers to a %s that is not in the export", e->file, t->name);
        im->outcome = EXPORT_INVALID;
        rc = self_rc == DB_RETRY ? DB_RETRY : DB_ERROR;
    }
    im->report->rows += rows;
    import_progress(im, im->report->rows);
    return rc;
}

static int import_transaction(struct db_conn *conn, void *ctx)
{
    struct importer *im = ctx;
    bool empty = false;
    const char *first = NULL;
    im->report->rows = 0;
    im->report->tables = 0;
    im->outcome = EXPORT_FAILED;
    int rc = store_import_target_empty(conn, im->plan, &empty, &first);
    if (rc != DB_OK)
        return rc;
    if (!empty) {
        snprintf(im->why, im->why_size, "the database is not empty (the table %s has rows): import into a new one", first);
        im->outcome = EXPORT_REFUSED;
        return DB_ERROR;
    }
    rc = store_import_begin(conn, im->plan);
    for (size_t i = 0; rc == DB_OK && i < im->plan->table_count; i++) {
        rc = import_table(conn, im, i);
        im->report->tables++;
    }
    if (rc == DB_OK && (rc = store_import_sequences(conn, im->plan)) != DB_OK && im->why[0] == '\0')
        snprintf(im->why, im->why_size, "cannot move the id sequences past the imported rows");
    if (rc == DB_OK)
        im->outcome = EXPORT_OK;
    return rc;
}

enum export_outcome export_read(struct db_conn *conn, const char *dir, export_progress_fn progress, void *progress_ctx,
                                struct export_report *report, char *why, size_t why_size)
{
    memset(report, 0, sizeof(*report));
    struct store_export_plan plan = {0};
    struct manifest_table *entries = NULL;
    json_t *manifest = NULL;
    enum export_outcome outcome = read_manifest(dir, &manifest, why, why_size);
    if (outcome != EXPORT_OK)
        goto out;
    outcome = EXPORT_FAILED;
    if (!schema_current(conn, &report->schema_version, why, why_size) ||
        store_export_plan_load(conn, &plan, why, why_size) != DB_OK)
        goto out;
    entries = calloc(plan.table_count, sizeof(*entries));
    if (entries == NULL) {
        snprintf(why, why_size, "out of memory");
        goto out;
    }
    outcome = check_manifest(manifest, report->schema_version, &plan, entries, why, why_size);
    if (outcome == EXPORT_OK)
        outcome = check_files(dir, entries, plan.table_count, why, why_size);
    if (outcome != EXPORT_OK)
        goto out;
    struct importer im = {dir, &plan, entries, report, EXPORT_FAILED, why, why_size, progress, progress_ctx, 0};
    for (size_t i = 0; i < plan.table_count; i++) {
        report->bytes += entries[i].bytes;
        im.rows_total += entries[i].rows;
    }
    why[0] = '\0';
    int rc = db_run_tx(conn, true, import_transaction, &im);
    outcome = rc == DB_OK ? EXPORT_OK : im.outcome != EXPORT_OK ? im.outcome : EXPORT_FAILED;
    if (outcome != EXPORT_OK && why[0] == '\0')
        snprintf(why, why_size, "the database failed during the import (see the log line above)");
out:
    db_close(conn); /* before the plan: its SQL is the statements' cache key */
    store_export_plan_free(&plan);
    free(entries);
    json_decref(manifest);
    return outcome;
}
