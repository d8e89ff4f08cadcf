/* fuzz_match_instance.c — libFuzzer target for match_json_read() and, on the
 * instances it accepts, the whole match.
 *
 * The input is an instance file. When it is refused, the error must be a
 * short, NUL-terminated "PATH: reason". When it is accepted, what the engine
 * relies on must hold: every index in range, ids of 1–64 characters of valid
 * UTF-8 without control characters, no student or offering twice, rank order
 * lists and hosts' lists without repeats, tiers non-decreasing, attribute
 * lists ascending, blocks not overlapping in rotation mode. Then the match
 * runs, its verification must pass (capacities, eligibility, overlaps,
 * placements, no blocking pair), and the result document must be valid JSON
 * with one explanation per student. A violation traps. */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/match.h"
#include "domain/match_json.h"
#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static void check_id(const char *id)
{
    size_t len = strlen(id);
    check(len >= 1 && utf8_valid(id, len));
    size_t chars = utf8_count(id, len);
    check(chars >= 1 && chars <= MATCH_ID_MAX_CHARS);
    for (size_t i = 0; i < len; i++)
        check((unsigned char)id[i] >= 0x20 && id[i] != 0x7f);
}

static void check_instance(const struct match_instance *in)
{
    for (uint32_t b = 0; b < in->block_count; b++) {
        check_id(in->blocks[b].id);
        check(in->blocks[b].start_day <= in->blocks[b].end_day);
        for (uint32_t c = 0; c < b && in->mode == MATCH_MODE_ROTATION; c++)
            check(in->blocks[b].end_day < in->blocks[c].start_day || in->blocks[c].end_day < in->blocks[b].start_day);
    }
    for (uint32_t o = 0; o < in->offering_count; o++) {
        const struct match_offering *off = &in->offerings[o];
        check_id(off->id);
        for (uint32_t p = 0; p < o; p++)
            check(strcmp(in->offerings[p].id, off->id) != 0);
        check(off->block < in->block_count && off->seats <= MATCH_MAX_SEATS);
        check((uint64_t)off->order_start + off->order_count <= in->order_total);
        check(off->ranking == MATCH_RANKING_LIST || off->order_count == 0);
        for (uint32_t j = 0; j < off->order_count; j++) {
            uint32_t at = off->order_start + j;
            check(in->order[at] < in->student_count);
            check(j == 0 || in->order_tier[at] >= in->order_tier[at - 1]);
            for (uint32_t k = 0; k < j; k++)
                check(in->order[off->order_start + k] != in->order[at]);
        }
        check((uint64_t)off->requires_start + off->requires_count <= in->attr_ref_total);
        for (uint32_t j = 0; j < off->requires_count; j++)
            check(in->attr_refs[off->requires_start + j] < in->attr_count &&
                  (j == 0 || in->attr_refs[off->requires_start + j] > in->attr_refs[off->requires_start + j - 1]));
    }
    for (uint32_t s = 0; s < in->student_count; s++) {
        const struct match_student *st = &in->students[s];
        check_id(st->id);
        for (uint32_t t = 0; t < s; t++)
            check(strcmp(in->students[t].id, st->id) != 0);
        check(st->max_placements >= 1 && st->max_placements <= MATCH_MAX_PLACEMENTS);
        check(in->mode == MATCH_MODE_ROTATION || st->max_placements == 1);
        check((uint64_t)st->rol_start + st->rol_count <= in->rol_total);
        for (uint32_t j = 0; j < st->rol_count; j++) {
            check(in->rol[st->rol_start + j] < in->offering_count);
            for (uint32_t k = 0; k < j; k++)
                check(in->rol[st->rol_start + k] != in->rol[st->rol_start + j]);
        }
        for (uint32_t j = 0; j < st->attrs_count; j++)
            check(in->attr_refs[st->attrs_start + j] < in->attr_count &&
                  (j == 0 || in->attr_refs[st->attrs_start + j] > in->attr_refs[st->attrs_start + j - 1]));
    }
    for (uint32_t a = 0; a < in->attr_count; a++)
        check_id(in->attr_names[a]);
    check(in->seed != NULL && strlen(in->seed) >= 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct arena arena;
    arena_heap_init(&arena);
    struct match_instance in;
    char error[MATCH_ERROR_MAX];
    memset(error, 'x', sizeof(error));
    if (match_json_read(text, size, &arena, &in, error) != 0) {
        size_t len = strnlen(error, sizeof(error));
        check(len > 0 && len < sizeof(error));
        check(strstr(error, ": ") != NULL);
    } else {
        check_instance(&in);
        struct match_result r;
        check(match_run(&in, &arena, &r) == 0);
        check(match_verification_ok(&r.verification));
        struct buf b;
        buf_init(&b, &arena, 16 * 1024 * 1024);
        struct match_json_sink sink = {.buf = &b};
        check(match_json_write(&in, &r, &arena, &sink) == 0);
        json_error_t jerr;
        json_t *doc = json_loads(b.data, 0, &jerr);
        check(doc != NULL);
        check(json_object_size(json_object_get(doc, "explanations")) == in.student_count);
        check(json_array_size(json_object_get(json_object_get(doc, "verification"), "blocking_pairs")) == 0);
        json_decref(doc);
    }
    arena_heap_free(&arena);
    free(text);
    return 0;
}
