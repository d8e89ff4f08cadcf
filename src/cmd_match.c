/* cmd_match.c — `rounds match --in FILE.json --out FILE.json`: the placement
 * match offline, on a JSON instance (docs/match.md), with the same engine and
 * verification as the server's match rounds. Shows its phases on a terminal;
 * the result is written to a temporary file beside --out and renamed into
 * place, so a failed run never leaves half a result. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "domain/match.h"
#include "domain/match_json.h"
#include "lib/clock.h"

static const char match_usage[] =
    "usage: rounds match --in FILE.json --out FILE.json [--quiet]\n"
    "\n"
    "Runs the placement match on an instance (students, offerings, blocks, rank\n"
    "order lists; see docs/match.md) and writes the verified result.\n"
    "\n"
    "  --in FILE     the instance ('-' reads standard input)\n"
    "  --out FILE    the result ('-' writes standard output)\n"
    "  --quiet       no progress and no summary on standard error\n"
    "\n"
    "Exit codes: 0 matched and verified, 1 a file could not be read or written,\n"
    "2 bad flags, 4 the instance is invalid (the message names the field),\n"
    "5 the verification failed (the result is written, with status\n"
    "\"verification_failed\").\n";

/* Memory for one run: a large reservation of address space bumped through,
 * asked to be backed by huge pages. On a virtual machine a page fault costs
 * microseconds, and a large match touches tens of thousands of small pages:
 * huge pages take most of the time of reading and matching away. Past the
 * reservation (or without one) allocations go to an ordinary heap arena. */
struct region {
    char *base;
    size_t size, used;
    struct arena overflow;
};

static void *region_alloc(void *backend, size_t size)
{
    struct region *r = backend;
    size = (size + 63) & ~(size_t)63;
    if (r->base != NULL && size <= r->size - r->used) {
        void *p = r->base + r->used;
        r->used += size;
        return p;
    }
    return arena_alloc(&r->overflow, size);
}

static void region_init(struct region *r, struct arena *arena, size_t reserve)
{
    memset(r, 0, sizeof(*r));
    arena_heap_init(&r->overflow);
    void *base = mmap(NULL, reserve, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base != MAP_FAILED) {
        r->base = base;
        r->size = reserve;
#ifdef MADV_HUGEPAGE
        madvise(base, reserve, MADV_HUGEPAGE); /* a hint: without it the run is only slower */
#endif
    }
    arena_heap_init(arena);
    arena->backend_alloc = region_alloc;
    arena->backend = r;
}

static void region_free(struct region *r)
{
    if (r->base != NULL)
        munmap(r->base, r->size);
    arena_heap_free(&r->overflow);
}

struct match_run_state {
    struct command_progress phases; /* on a terminal, unless --quiet */
    double started_ms;
    FILE *out;
};

/* The whole file (or standard input) into arena memory; NULL after printing why. */
static char *read_all(const char *path, struct arena *arena, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "rounds match: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 20, used = 0;
    struct stat info;
    if (fstat(fileno(f), &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0)
        cap = (size_t)info.st_size + 1;
    char *data = NULL;
    for (;;) {
        if (data == NULL || used == cap) {
            if (data != NULL)
                cap *= 2;
            if (cap > MATCH_MAX_INSTANCE_BYTES + 1)
                cap = MATCH_MAX_INSTANCE_BYTES + 1;
            char *grown = arena_alloc(arena, cap);
            if (grown == NULL) {
                fprintf(stderr, "rounds match: out of memory reading %s\n", path);
                goto fail;
            }
            if (used > 0)
                memcpy(grown, data, used);
            data = grown;
        }
        size_t n = fread(data + used, 1, cap - used, f);
        used += n;
        if (used > MATCH_MAX_INSTANCE_BYTES) {
            fprintf(stderr, "rounds match: %s is larger than %d bytes\n", path, MATCH_MAX_INSTANCE_BYTES);
            goto fail;
        }
        if (n == 0) {
            if (ferror(f)) {
                fprintf(stderr, "rounds match: cannot read %s: %s\n", path, strerror(errno));
                goto fail;
            }
            break;
        }
    }
    if (f != stdin)
        fclose(f);
    *len = used;
    return data;
fail:
    if (f != stdin)
        fclose(f);
    return NULL;
}

static int write_chunk(void *context, const char *data, size_t len)
{
    struct match_run_state *st = context;
    return fwrite(data, 1, len, st->out) == len ? 0 : -1;
}

static void take_total(void *context, struct match_json_stats *stats)
{
    struct match_run_state *st = context;
    stats->total_ms = clock_monotonic_ms() - st->started_ms;
}

/* Writes the result to a temporary file beside path, then renames it; to a
 * path that exists and is not a regular file (/dev/null, a pipe) directly, as
 * renaming over it would replace the device or pipe by a file. */
static int write_result(struct match_run_state *st, const struct match_instance *in, const struct match_result *r,
                        const char *path, struct arena *arena)
{
    char temp[4096];
    struct stat target;
    bool to_stdout = strcmp(path, "-") == 0;
    bool in_place = !to_stdout && stat(path, &target) == 0 && !S_ISREG(target.st_mode);
    if (in_place) {
        st->out = fopen(path, "wb");
        if (st->out == NULL) {
            fprintf(stderr, "rounds match: cannot write %s: %s\n", path, strerror(errno));
            return EXIT_FAILURE_RUNTIME;
        }
    } else if (!to_stdout) {
        int n = snprintf(temp, sizeof(temp), "%s.tmp-XXXXXX", path);
        int fd = n > 0 && (size_t)n < sizeof(temp) ? mkstemp(temp) : -1;
        st->out = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (st->out == NULL) {
            fprintf(stderr, "rounds match: cannot write beside %s: %s\n", path, strerror(errno));
            if (fd >= 0)
                close(fd);
            return EXIT_FAILURE_RUNTIME;
        }
    } else {
        st->out = stdout;
    }
    struct buf b;
    buf_init(&b, arena, BUF_CAP_LIST);
    struct match_json_sink sink = {.buf = &b, .flush = write_chunk, .context = st, .before_stats = take_total};
    int rc = match_json_write(in, r, arena, &sink);
    if (to_stdout)
        return rc == 0 && fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILURE_RUNTIME;
    if (fclose(st->out) != 0)
        rc = -1;
    if (rc == 0 && !in_place && rename(temp, path) != 0)
        rc = -1;
    if (rc != 0) {
        fprintf(stderr, "rounds match: cannot write %s: %s\n", path, strerror(errno));
        if (!in_place)
            unlink(temp);
        return EXIT_FAILURE_RUNTIME;
    }
    return EXIT_OK;
}

static void print_summary(const struct match_instance *in, const struct match_result *r, double total_ms)
{
    const struct match_verification *v = &r->verification;
    uint64_t seats = 0;
    for (uint32_t o = 0; o < in->offering_count; o++)
        seats += in->offerings[o].seats;
    uint32_t unplaced = 0;
    for (uint32_t s = 0; s < in->student_count; s++)
        unplaced += r->placement_start[s + 1] == r->placement_start[s];
    fprintf(stderr,
            "rounds match: %u students, %u offerings, %llu seats, %u ranks (mode %s): %u placements, %u unplaced; "
            "%llu proposals; core %.2f ms, file to file %.1f ms; verification: %s (%u blocking pairs)\n",
            in->student_count, in->offering_count, (unsigned long long)seats, in->rol_total, match_mode_name(in->mode),
            r->placement_total, unplaced, (unsigned long long)r->proposals, r->core_ms, total_ms,
            match_verification_ok(v) ? "ok" : "FAILED", v->blocking_count);
}

static int run_match(const char *in_path, const char *out_path, bool quiet)
{
    struct match_run_state st = {.started_ms = clock_monotonic_ms()};
    if (quiet)
        command_progress_start_on(&st.phases, NULL, NULL);
    else
        command_progress_start(&st.phases, NULL);
    struct stat info;
    size_t expected = strcmp(in_path, "-") != 0 && stat(in_path, &info) == 0 ? (size_t)info.st_size : 0;
    struct arena arena;
    struct region region;
    region_init(&region, &arena, ((size_t)1 << 30) + 32 * (expected < MATCH_MAX_INSTANCE_BYTES ? expected : 0));
    int rc = EXIT_FAILURE_RUNTIME;
    size_t len = 0;
    command_phase_begin(&st.phases, "reading the instance");
    char *text = read_all(in_path, &arena, &len);
    if (text == NULL)
        goto out;
    command_phase_end(&st.phases, "read the instance");
    command_phase_begin(&st.phases, "parsing");
    struct match_instance in;
    char error[MATCH_ERROR_MAX];
    if (match_json_read(text, len, &arena, &in, error) != 0) {
        command_progress_end(&st.phases);
        fprintf(stderr, "rounds match: %s: %s\n", strcmp(in_path, "-") == 0 ? "(stdin)" : in_path, error);
        rc = EXIT_INVALID_INPUT;
        goto out;
    }
    command_phase_end(&st.phases, "parsed");
    command_phase_begin(&st.phases, "matching and verifying");
    struct match_result result;
    if (match_run(&in, &arena, &result) != 0) {
        fprintf(stderr, "rounds match: out of memory\n");
        goto out;
    }
    command_phase_end(&st.phases, "matched and verified");
    command_phase_begin(&st.phases, "writing the result");
    rc = write_result(&st, &in, &result, out_path, &arena);
    if (rc != EXIT_OK)
        goto out;
    command_phase_end(&st.phases, "wrote the result");
    if (!quiet)
        print_summary(&in, &result, clock_monotonic_ms() - st.started_ms);
    rc = match_verification_ok(&result.verification) ? EXIT_OK : EXIT_UNVERIFIED;
out:
    region_free(&region);
    return rc;
}

int command_match(int argc, char **argv)
{
    const char *in_path = NULL, *out_path = NULL;
    bool quiet = false;
    for (int i = 1; i < argc; i++) {
        if (command_wants_help(argv[i])) {
            fputs(match_usage, stdout);
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--quiet") == 0) {
            quiet = true;
        } else if (strcmp(argv[i], "--in") == 0 && i + 1 < argc && in_path == NULL) {
            in_path = argv[++i];
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc && out_path == NULL) {
            out_path = argv[++i];
        } else {
            fprintf(stderr, "rounds match: unknown or repeated flag %s\n", argv[i]);
            fputs(match_usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (in_path == NULL || out_path == NULL || in_path[0] == '\0' || out_path[0] == '\0') {
        fputs(match_usage, stderr);
        return EXIT_USAGE;
    }
    return run_match(in_path, out_path, quiet);
}
