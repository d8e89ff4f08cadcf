/* demo_catalog.c — the generated catalog of `rounds seed`; see demo_catalog.h.
 *
 * Hosts are drawn from templates (a community hospital, a family practice, a
 * cardiology group, a telehealth network, …) that say which specialties and
 * kinds of rotation they offer; each host gets sites in real cities of its
 * state and preceptors of those specialties. Offerings take their specialty
 * from their preceptor and their fees, hours, eligibility, requirements and
 * texts from their kind. Organisations, sites and preceptors are written one
 * by one; offerings and blocks with the bulk store calls. */
#include "domain/demo_catalog.h"

#include <stdio.h>
#include <string.h>

#include "domain/catalog.h"
#include "domain/reference.h"
#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/crypto.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- a small deterministic PRNG (splitmix64) ---- */

enum { DEMO_SEED = 0x526f756e6473 }; /* "Rounds" */

struct rng {
    uint64_t state;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform in [0, n) (n > 0). */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static int rng_between(struct rng *r, int lo, int hi)
{
    return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

static bool rng_percent(struct rng *r, int percent)
{
    return (int)rng_below(r, 100) < percent;
}

/* An index into weights[0 … n-1] with probability proportional to its weight. */
static int rng_weighted(struct rng *r, const int *weights, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += weights[i];
    if (total <= 0)
        return 0;
    int pick = (int)rng_below(r, (uint32_t)total);
    for (int i = 0; i < n; i++) {
        if (pick < weights[i])
            return i;
        pick -= weights[i];
    }
    return n - 1;
}

#define RNG_PICK(r, array) ((array)[rng_below((r), (uint32_t)COUNT_OF(array))])

/* ---- data: places, names, hosts, specialties (demo_catalog_data.h) ---- */

#include "domain/demo_catalog_data.h"

static const struct specialty_info *specialty_info(const char *slug)
{
    for (size_t i = 0; i < COUNT_OF(specialty_infos); i++)
        if (strcmp(specialty_infos[i].slug, slug) == 0)
            return &specialty_infos[i];
    return NULL;
}

/* ---- the generator ---- */

static const char id_alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789"; /* as crypto_random_id */
static const char id_alphabet_sorted[] = "23456789abcdefghijkmnpqrstuvwxyz"; /* the same, in byte order */

struct host {
    const char *id, *name;
    const struct host_template *tpl;
    struct store_site sites[3];
    size_t site_count;
    struct store_preceptor preceptors[4];
    size_t preceptor_count;
};

struct gen {
    struct db_conn *conn;
    struct arena *arena;
    struct rng rng;
    int32_t today;
    int64_t now;
    /* Ids: drawn from rng (demo), or a random run prefix and a counter
     * (bulk), so that a run's rows go to one end of each index. */
    bool bulk;
    char run[9];
    uint64_t counter;
    /* Bulk NPIs: the next of a free range of nine-digit stems. */
    uint32_t npi_next, npi_end;
    /* Offerings and blocks waiting for the bulk insert. */
    struct store_offering *offerings;
    size_t offering_count, offering_capacity;
    struct store_block *blocks;
    size_t block_count, block_capacity;
    int min_blocks, max_blocks;
    /* requirement_rules[i] as an index into reference_document_kinds (-1: unknown). */
    int requirement_index[32];
    int step1_index, english_index;
};

static char *dup(struct gen *g, const char *s)
{
    return arena_strdup(g->arena, s);
}

/* Text from a template whose "{0}" … "{9}" stand for args (no printf formats,
 * so that templates may live in tables). */
static char *compose(struct gen *g, const char *tpl, const char *const *args, size_t arg_count)
{
    char out[4096];
    size_t used = 0;
    for (const char *p = tpl; *p != '\0' && used + 1 < sizeof(out); p++) {
        if (p[0] == '{' && p[1] >= '0' && p[1] <= '9' && p[2] == '}' && (size_t)(p[1] - '0') < arg_count) {
            for (const char *a = args[p[1] - '0']; *a != '\0' && used + 1 < sizeof(out); a++)
                out[used++] = *a;
            p += 2;
        } else {
            out[used++] = *p;
        }
    }
    return arena_strndup(g->arena, out, used);
}

static char *format_int(struct gen *g, long long v)
{
    char s[24];
    snprintf(s, sizeof(s), "%lld", v);
    return dup(g, s);
}

static void make_id(struct gen *g, const char *prefix, char *out, size_t size)
{
    size_t plen = strlen(prefix);
    if (size < plen + 17) {
        out[0] = '\0';
        return;
    }
    memcpy(out, prefix, plen);
    if (g->bulk) {
        memcpy(out + plen, g->run, 8);
        uint64_t n = g->counter++;
        for (int i = 7; i >= 0; i--, n >>= 5)
            out[plen + 8 + (size_t)i] = id_alphabet_sorted[n & 31];
    } else {
        for (size_t i = 0; i < 16; i++)
            out[plen + i] = id_alphabet[rng_below(&g->rng, 32)];
    }
    out[plen + 16] = '\0';
}

static const char *new_id(struct gen *g, const char *prefix)
{
    char id[32];
    make_id(g, prefix, id, sizeof(id));
    return dup(g, id);
}

/* Appends the lower-case ASCII letters and digits of s to out; anything
 * else becomes one separator. Stops before a word that would end past max. */
static size_t append_slug(char *out, size_t used, size_t max, const char *s, char separator)
{
    size_t start = used;
    while (*s != '\0') {
        while (*s != '\0' && !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            s++;
        size_t word = 0;
        while ((s[word] >= 'a' && s[word] <= 'z') || (s[word] >= 'A' && s[word] <= 'Z') ||
               (s[word] >= '0' && s[word] <= '9'))
            word++;
        if (word == 0 || used + (used > start) + word > max)
            break;
        if (used > start)
            out[used++] = separator;
        for (size_t i = 0; i < word; i++)
            out[used++] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
        s += word;
    }
    return used;
}

/* "grace.lindqvist@lakeside-community.test": the host's first words make the domain. */
static const char *make_email(struct gen *g, const char *first, const char *last, const char *host_name)
{
    char out[128];
    size_t used = append_slug(out, 0, 40, first, '-');
    out[used++] = '.';
    used = append_slug(out, used, 80, last, '-');
    out[used++] = '@';
    used = append_slug(out, used, used + 24, host_name, '-');
    snprintf(out + used, sizeof(out) - used, ".test");
    return arena_strdup(g->arena, out);
}

/* A ten-digit NPI from a nine-digit stem: the Luhn check digit over 80840 + stem. */
static void npi_from_stem(uint32_t stem, char out[11])
{
    for (int i = 8; i >= 0; i--, stem /= 10)
        out[i] = (char)('0' + stem % 10);
    out[9] = catalog_npi_check_digit(out);
    out[10] = '\0';
}

/* A fresh NPI: the demo draws stems and skips taken ones; bulk runs take
 * the next stem of a range found free in the database (reserve_npis). */
static int new_npi(struct gen *g, char out[11])
{
    if (g->bulk) {
        if (g->npi_next >= g->npi_end)
            return DB_ERROR;
        npi_from_stem(g->npi_next++, out);
        return catalog_npi_valid(out) ? DB_OK : DB_ERROR;
    }
    for (int attempt = 0; attempt < 100; attempt++) {
        npi_from_stem(100000000u + rng_below(&g->rng, 200000000u), out);
        int64_t taken = 0;
        int rc = store_preceptor_npi_count(g->conn, out, out, &taken);
        if (rc != DB_OK)
            return rc;
        if (taken == 0 && catalog_npi_valid(out))
            return DB_OK;
    }
    return DB_ERROR;
}

/* Finds count consecutive free NPI stems for a bulk transaction. */
static int reserve_npis(struct gen *g, uint32_t count)
{
    for (int attempt = 0; attempt < 64; attempt++) {
        uint32_t stem = 100000000u + rng_below(&g->rng, 200000000u - count);
        char from[11], to[11];
        npi_from_stem(stem, from);
        npi_from_stem(stem + count - 1, to);
        from[9] = '0';
        to[9] = '9';
        int64_t taken = 0;
        int rc = store_preceptor_npi_count(g->conn, from, to, &taken);
        if (rc != DB_OK)
            return rc;
        if (taken == 0) {
            g->npi_next = stem;
            g->npi_end = stem + count;
            return DB_OK;
        }
    }
    return DB_ERROR;
}

static const char *date_after(struct gen *g, int32_t days)
{
    char date[11];
    clock_date_from_days(g->today + days, date);
    return dup(g, date);
}

/* "Central" for America/Chicago: what a U.S. schedule says. */
static const char *time_zone_name(const char *tz)
{
    static const struct {
        const char *tz, *name;
    } names[] = {{"America/New_York", "Eastern"},      {"America/Detroit", "Eastern"},
                 {"America/Indiana/Indianapolis", "Eastern"}, {"America/Chicago", "Central"},
                 {"America/Denver", "Mountain"},       {"America/Boise", "Mountain"},
                 {"America/Phoenix", "Arizona"},       {"America/Los_Angeles", "Pacific"},
                 {"America/Anchorage", "Alaska"},      {"Pacific/Honolulu", "Hawaii"},
                 {"America/Puerto_Rico", "Atlantic"}};
    for (size_t i = 0; i < COUNT_OF(names); i++)
        if (strcmp(names[i].tz, tz) == 0)
            return names[i].name;
    return tz;
}

static const char *time_zone_of(const struct city *c)
{
    if (c->time_zone != NULL)
        return c->time_zone;
    const struct reference_state *s = reference_state_find(c->state);
    return s != NULL ? s->time_zone : "America/New_York";
}

/* An address such as "1450 W Medical Center Dr" (a clinic may add a suite). */
static const char *make_address(struct gen *g, bool suite)
{
    char s[128];
    int number = rng_between(&g->rng, 1, 60) * (rng_percent(&g->rng, 50) ? 10 : 25) + rng_between(&g->rng, 0, 9);
    if (suite)
        snprintf(s, sizeof(s), "%d %s%s, Suite %d", number, RNG_PICK(&g->rng, street_prefixes),
                 RNG_PICK(&g->rng, streets), rng_between(&g->rng, 1, 6) * 100 + rng_between(&g->rng, 0, 20));
    else
        snprintf(s, sizeof(s), "%d %s%s", number, RNG_PICK(&g->rng, street_prefixes), RNG_PICK(&g->rng, streets));
    return dup(g, s);
}

static size_t cities_of_state(const char *state, const struct city **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < COUNT_OF(cities) && n < max; i++)
        if (strcmp(cities[i].state, state) == 0)
            out[n++] = &cities[i];
    return n;
}

static bool is_hospital(const struct host_template *tpl)
{
    return strstr(tpl->pattern, "Hospital") != NULL || strstr(tpl->pattern, "Medical Center") != NULL;
}

static int add_site(struct gen *g, struct host *h, const char *name, const struct city *c, const char *address)
{
    struct store_site *s = &h->sites[h->site_count++];
    memset(s, 0, sizeof(*s));
    s->id = new_id(g, "site_");
    s->organization_id = h->id;
    s->name = name;
    s->address = address;
    s->city = c->name;
    s->state = c->state;
    s->zip = c->zip;
    s->time_zone = time_zone_of(c);
    s->created_at = g->now;
    return store_site_insert(g->conn, s);
}

static int add_preceptor(struct gen *g, struct host *h, const char *name, const char *email, const char *specialty,
                         const char *user_id)
{
    struct store_preceptor *p = &h->preceptors[h->preceptor_count++];
    memset(p, 0, sizeof(*p));
    char npi[11];
    int rc = new_npi(g, npi);
    if (rc != DB_OK)
        return rc;
    const char *state = h->sites[0].state;
    char license[32];
    switch (rng_below(&g->rng, 3)) {
    case 0:
        snprintf(license, sizeof(license), "MD%06u", (unsigned)rng_below(&g->rng, 1000000));
        break;
    case 1:
        snprintf(license, sizeof(license), "%s-%07u", state, (unsigned)rng_below(&g->rng, 10000000));
        break;
    default:
        snprintf(license, sizeof(license), "%c%05u", "ABCG"[rng_below(&g->rng, 4)],
                 (unsigned)rng_below(&g->rng, 100000));
        break;
    }
    static const int board_weights[] = {82, 14, 4};
    static const char *const board_statuses[] = {"certified", "eligible", "not_certified"};
    p->id = new_id(g, "prc_");
    p->organization_id = h->id;
    p->user_id = user_id;
    p->name = name;
    p->email = email;
    p->npi = dup(g, npi);
    p->specialty = specialty;
    p->license_state = state;
    p->license_number = dup(g, license);
    p->license_expires = date_after(g, rng_between(&g->rng, 120, 1100));
    p->board_status = board_statuses[rng_weighted(&g->rng, board_weights, 3)];
    p->verified = user_id != NULL || rng_percent(&g->rng, 70);
    p->created_at = g->now;
    rc = store_preceptor_insert(g->conn, p);
    if (rc == DB_OK && p->verified)
        rc = store_preceptor_set_verified(g->conn, p->id, true, g->now);
    return rc;
}

static const char *pick_specialty(struct gen *g, const struct host_template *tpl)
{
    size_t n = 0;
    while (n < COUNT_OF(tpl->specialties) && tpl->specialties[n] != NULL)
        n++;
    if (n == 0)
        return RNG_PICK(&g->rng, general_mix);
    return tpl->specialties[rng_below(&g->rng, (uint32_t)n)];
}

static const char *host_name(struct gen *g, const struct host_template *tpl, const struct city *c)
{
    uint32_t surname = rng_below(&g->rng, COUNT_OF(last_names));
    uint32_t other = (surname + 1 + rng_below(&g->rng, COUNT_OF(last_names) - 1)) % COUNT_OF(last_names);
    const char *name_args[] = {c->name, RNG_PICK(&g->rng, places), last_names[surname], last_names[other]};
    return compose(g, tpl->pattern, name_args, COUNT_OF(name_args));
}

static bool name_taken(const struct host *hosts, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (hosts[i].name != NULL && strcmp(hosts[i].name, name) == 0)
            return true;
    return false;
}

/* A host of template tpl in city c: the organisation, 1–3 sites in its
 * state and 1–4 preceptors, written at once. */
static int make_host(struct gen *g, struct host *h, const struct host_template *tpl, const struct city *c,
                     const char *name)
{
    memset(h, 0, sizeof(*h));
    h->tpl = tpl;
    h->id = new_id(g, "org_");
    h->name = name;
    int rc = store_organization_insert(g->conn, h->id, h->name, "host", g->now);
    if (rc != DB_OK)
        return rc;

    bool hospital = is_hospital(tpl);
    rc = add_site(g, h, hospital ? "Main Campus" : "Main Office", c, make_address(g, !hospital));
    const struct city *same_state[8];
    size_t nearby = cities_of_state(c->state, same_state, COUNT_OF(same_state));
    int sites = rng_between(&g->rng, 1, tpl->max_sites);
    for (int i = 1; i < sites && rc == DB_OK; i++) {
        const struct city *where = same_state[rng_below(&g->rng, (uint32_t)nearby)];
        const char *branch = where == c ? RNG_PICK(&g->rng, branch_names)
                                        : compose(g, "{0} Clinic", (const char *const[]){where->name}, 1);
        rc = add_site(g, h, branch, where, make_address(g, true));
    }
    int preceptors = rng_between(&g->rng, 1, 4);
    if (preceptors < 3 && rng_percent(&g->rng, 50))
        preceptors++;
    for (int i = 0; i < preceptors && rc == DB_OK; i++) {
        const char *first = RNG_PICK(&g->rng, first_names);
        const char *last = RNG_PICK(&g->rng, last_names);
        const char *args[] = {first, last};
        rc = add_preceptor(g, h, compose(g, "Dr. {0} {1}", args, 2), make_email(g, first, last, h->name),
                           pick_specialty(g, tpl), NULL);
    }
    return rc;
}

/* ---- offerings ---- */

struct requirement_rule {
    const char *slug;
    int percent[KIND_COUNT]; /* chance per kind; 100 = always */
};

static const struct requirement_rule requirement_rules[] = {
    {"passport", {100, 100, 50, 0}},         {"visa", {50, 50, 20, 0}},
    {"photo", {30, 30, 10, 0}},              {"cv", {100, 100, 100, 100}},
    {"personal-statement", {30, 20, 100, 30}}, {"dean-letter", {100, 100, 30, 30}},
    {"transcript", {20, 10, 30, 10}},        {"mmr", {100, 100, 0, 0}},
    {"varicella", {100, 50, 0, 0}},          {"hepatitis-b", {100, 40, 0, 0}},
    {"tdap", {100, 40, 0, 0}},               {"tb-test", {100, 100, 10, 0}},
    {"influenza", {70, 50, 0, 0}},           {"covid-19", {30, 20, 0, 0}},
    {"background-check", {60, 30, 10, 10}},  {"drug-screen", {40, 10, 0, 0}},
    {"bls", {100, 20, 0, 0}},                {"hipaa-training", {100, 100, 100, 100}},
    {"bloodborne-pathogens", {60, 30, 20, 0}}, {"health-insurance", {100, 100, 50, 0}},
    {"liability-insurance", {100, 30, 0, 0}}, {"confidentiality-form", {100, 100, 100, 100}},
    {"n95-fit-test", {20, 0, 0, 0}},
};

_Static_assert(COUNT_OF(requirement_rules) <= 32, "struct gen holds 32 requirement indexes");

static int document_kind_index(const char *slug)
{
    const struct reference_document_kind *k = reference_document_kind_find(slug);
    return k != NULL && k - reference_document_kinds < 64 ? (int)(k - reference_document_kinds) : -1;
}

static void gen_init(struct gen *g)
{
    for (size_t i = 0; i < COUNT_OF(requirement_rules); i++)
        g->requirement_index[i] = document_kind_index(requirement_rules[i].slug);
    g->step1_index = document_kind_index("usmle-step1");
    g->english_index = document_kind_index("english-proof");
}

/* Comma-separated document kinds, in the order of reference_document_kinds. */
static const char *make_requirements(struct gen *g, enum kind kind, bool step1, bool english)
{
    bool wanted[64] = {false};
    for (size_t i = 0; i < COUNT_OF(requirement_rules); i++)
        if (rng_percent(&g->rng, requirement_rules[i].percent[kind]) && g->requirement_index[i] >= 0)
            wanted[g->requirement_index[i]] = true;
    if (step1 && g->step1_index >= 0)
        wanted[g->step1_index] = true;
    if (english && g->english_index >= 0)
        wanted[g->english_index] = true;
    char out[512];
    size_t used = 0;
    for (size_t i = 0; i < reference_document_kind_count && i < COUNT_OF(wanted); i++) {
        if (!wanted[i])
            continue;
        size_t n = strlen(reference_document_kinds[i].slug);
        if (used + n + 2 >= sizeof(out))
            break;
        if (used > 0)
            out[used++] = ',';
        memcpy(out + used, reference_document_kinds[i].slug, n);
        used += n;
    }
    return arena_strndup(g->arena, out, used);
}

static const char *const hands_on_titles[] = {"{0} Clerkship", "{0} Externship", "Hands-on {0} Rotation",
                                              "{1} {0} Clerkship", "Sub-internship in {0}"};
static const char *const observership_titles[] = {"{0} Observership", "Clinical Observership in {0}",
                                                  "{1} {0} Observership"};
static const char *const research_titles[] = {"Clinical Research in {0}", "{0} Research Elective",
                                              "{0} Outcomes Research Rotation"};
static const char *const telehealth_titles[] = {"Telehealth {0} Rotation", "Virtual {0} Clinic",
                                                "{0} Telemedicine Elective"};

/* {0} weeks, {1} specialty, {2} host, {3} city, {4} state, {5} preceptor, {6} focus, {7} setting. */
static const char *const descriptions[KIND_COUNT] = {
    "A {0}-week {7} clerkship in {1} at {2} in {3}, {4}. Students work as part of the care team: they see "
    "patients first, present to the attending and write notes in the EHR that {5} co-signs. The rotation covers "
    "{6}.",
    "A {0}-week observership in {1} at {2} ({3}, {4}). Observers shadow {5} and the team through {6}, join "
    "teaching conferences and discuss cases every day; there is no direct patient care, which suits visitors on "
    "a B-1/B-2 visa.",
    "A {0}-week clinical research rotation in {1} with {5}'s group at {2} in {3}, {4}. Students join an "
    "ongoing project: literature review, chart abstraction, data analysis and a poster or manuscript draft by "
    "the end. Clinical exposure includes {6}.",
    "A {0}-week telehealth rotation in {1} with {5} of {2}: join video visits from anywhere, take histories, "
    "present cases and draft notes for review. Typical visits cover {6}.",
};

/* The same, shorter, for bulk offerings: a benchmark's catalog holds
 * millions, and full text costs by the word. */
static const char *const compact_descriptions[KIND_COUNT] = {
    "A {0}-week {7} clerkship in {1} at {2} in {3}, {4}, with {5}: {6}.",
    "A {0}-week observership in {1} at {2} in {3}, {4}: shadow {5} through {6}.",
    "A {0}-week research rotation in {1} with {5} at {2} in {3}, {4}; clinical exposure includes {6}.",
    "A {0}-week telehealth rotation in {1} with {5} of {2}: video visits covering {6}.",
};

static const char *const closings[] = {
    " Students leave with a structured evaluation and, when earned, a letter of recommendation.",
    " Weekly feedback sessions and a mid-rotation review are built in.",
    " A good fit for applicants preparing for the Match who want U.S. clinical experience in this field.",
    " Expect one short case presentation per week and a final evaluation discussed face to face.",
    " The team has hosted international medical graduates for years and helps with housing suggestions.",
};

/* {0} site, {1} address, {2} preceptor, {3} time zone. */
static const char *const first_days[KIND_COUNT][2] = {
    {"Arrive at {0}, {1}, at 7:30 AM and ask for the medical education office: badge photo, EHR log-in and a "
     "short tour, then morning rounds with {2} at 9:00.",
     "Meet the clinic manager at {0}, {1}, at 8:00 AM for orientation and EHR training; afternoon clinic with "
     "{2} from 1:00 PM."},
    {"Report to the front desk of {0}, {1}, at 8:00 AM with your passport and badge paperwork; {2} meets you "
     "after the morning huddle.",
     "Orientation at 8:30 AM at {0}, {1}: dress code, confidentiality form and a tour, then you join {2}'s "
     "clinic for the afternoon."},
    {"Orientation at 9:00 AM at {0}, {1}, with the research coordinator: CITI training check and data-access "
     "set-up, then a project meeting with {2}.",
     "A video call with {2} at 10:00 AM ({3} time) to choose your project, then on-site onboarding at {0}, {1}, "
     "the next morning."},
    {"Join the video orientation at 8:30 AM {3} time: a test call, remote EHR access and HIPAA reminders, then "
     "your first virtual clinic with {2} at 10:00.",
     "A 9:00 AM ({3} time) welcome call with {2}; you shadow two video visits and take the third history "
     "yourself."},
};

/* Refund policies of paid rotations (domain/refunds.h), as hosts write them. */
static const char *const paid_policies[] = {
    "{\"tiers\":[{\"days_before\":60,\"percent\":100,\"fee_refunded\":true},"
    "{\"days_before\":30,\"percent\":50,\"fee_refunded\":false}]}",
    "{\"tiers\":[{\"days_before\":30,\"percent\":80,\"fee_refunded\":false}]}",
    "{\"tiers\":[{\"days_before\":90,\"percent\":100,\"fee_refunded\":true},"
    "{\"days_before\":60,\"percent\":75,\"fee_refunded\":false},"
    "{\"days_before\":30,\"percent\":50,\"fee_refunded\":false}]}",
    "{\"tiers\":[{\"days_before\":45,\"percent\":100,\"fee_refunded\":false},"
    "{\"days_before\":14,\"percent\":25,\"fee_refunded\":false}]}",
};

/* Whole $25 steps of tuition for weeks, from a price per 4 weeks. */
static int64_t tuition_for(int64_t per_four_weeks_cents, int weeks)
{
    int64_t cents = per_four_weeks_cents * weeks / 4;
    if (weeks >= 8)
        cents = cents * 9 / 10; /* long rotations are a little cheaper per week */
    return cents / 2500 * 2500;
}

/* A Monday on or after day. 1970-01-01 (day 0) was a Thursday. */
static int32_t monday_on_or_after(int32_t day)
{
    int32_t weekday = ((day % 7) + 7 + 3) % 7; /* 0 = Monday */
    return weekday == 0 ? day : day + (7 - weekday);
}

static int add_blocks(struct gen *g, const struct store_offering *o, bool all_full)
{
    int weeks = (int)o->weeks;
    int count = rng_between(&g->rng, g->min_blocks, g->max_blocks);
    int32_t first = monday_on_or_after(g->today + 7 + rng_between(&g->rng, 0, 34));
    int first_week = (first - g->today) / 7;
    int cadence = (48 - first_week) / count;
    if (cadence < weeks)
        cadence = weeks;
    cadence += rng_between(&g->rng, 0, 1);
    static const int seat_weights[] = {8, 22, 26, 22, 12, 10}; /* 1 … 6 seats */
    for (int i = 0; i < count; i++) {
        int32_t start = first + i * cadence * 7;
        if (start > g->today + 365)
            break;
        if (g->block_count == g->block_capacity)
            return DB_ERROR;
        struct store_block *b = &g->blocks[g->block_count++];
        memset(b, 0, sizeof(*b));
        char date[11];
        b->id = new_id(g, "blk_");
        b->offering_id = o->id;
        clock_date_from_days(start, date);
        b->start_date = dup(g, date);
        clock_date_from_days(start + weeks * 7 - 3, date);
        b->end_date = dup(g, date);
        b->seats = 1 + rng_weighted(&g->rng, seat_weights, 6);
        if (all_full || rng_percent(&g->rng, 8))
            b->seats_taken = b->seats;
        else if (rng_percent(&g->rng, 45))
            b->seats_taken = rng_between(&g->rng, 0, (int)b->seats - 1);
        b->created_at = g->now;
    }
    return DB_OK;
}

/* Money: hands-on and observerships always charge; research and telehealth
 * are sometimes free. Prices, fee, deposit (an amount, or for some a share)
 * and the balance's due date. */
static void set_prices(struct store_offering *o, struct rng *r, enum kind kind)
{
    int64_t per_four = 0;
    switch (kind) {
    case KIND_HANDS_ON:
        per_four = rng_between(r, 36, 90) * 5000; /* $1,800 – $4,500 */
        break;
    case KIND_OBSERVERSHIP:
        per_four = rng_between(r, 20, 64) * 5000; /* $1,000 – $3,200 */
        break;
    case KIND_RESEARCH:
        per_four = rng_percent(r, 35) ? 0 : rng_between(r, 10, 40) * 5000; /* free, or $500 – $2,000 */
        break;
    default:
        per_four = rng_percent(r, 30) ? 0 : rng_between(r, 8, 30) * 5000; /* free, or $400 – $1,500 */
        break;
    }
    o->tuition_cents = tuition_for(per_four, (int)o->weeks);
    static const int64_t paid_fees[] = {0, 5000, 7500, 10000, 10000, 12500, 15000};
    static const int64_t light_fees[] = {0, 0, 0, 2500, 5000};
    o->application_fee_cents = kind <= KIND_OBSERVERSHIP ? RNG_PICK(r, paid_fees) : RNG_PICK(r, light_fees);
    static const int64_t deposits[] = {50000, 60000, 75000, 89900};
    int64_t deposit = o->tuition_cents > 0 ? RNG_PICK(r, deposits) : 0;
    o->deposit_cents = deposit < o->tuition_cents ? deposit : o->tuition_cents;
    /* Some hosts ask a share rather than an amount; the balance is due 45 days before (30 for short rotations). */
    if (deposit == 60000 && o->tuition_cents >= 200000) {
        o->deposit_percent = 25;
        o->deposit_cents = 0;
    }
    o->balance_due_days = o->weeks <= 2 ? 30 : 45;

}

/* One offering of host h by preceptor p (any when NULL) of kind (any when
 * negative), with its blocks, queued for the bulk insert. */
static int add_offering(struct gen *g, const struct host *h, const struct store_preceptor *p, int kind_wanted)
{
    if (g->offering_count == g->offering_capacity)
        return DB_ERROR;
    struct rng *r = &g->rng;
    if (p == NULL)
        p = &h->preceptors[rng_below(r, (uint32_t)h->preceptor_count)];
    const struct store_site *site = &h->sites[rng_below(r, (uint32_t)h->site_count)];
    const struct reference_specialty *spec = reference_specialty_find(p->specialty);
    const struct specialty_info *info = specialty_info(p->specialty);
    enum kind kind = kind_wanted >= 0 ? (enum kind)kind_wanted
                                      : (enum kind)rng_weighted(r, h->tpl->kind_weights, KIND_COUNT);
    if (kind == KIND_TELEHEALTH && kind_wanted < 0 && info != NULL && !info->telehealth)
        kind = KIND_OBSERVERSHIP; /* no video visits for surgery */

    struct store_offering *o = &g->offerings[g->offering_count++];
    memset(o, 0, sizeof(*o));
    o->id = new_id(g, "off_");
    o->organization_id = h->id;
    o->site_id = site->id;
    o->preceptor_id = p->id;
    o->specialty = p->specialty;
    o->kind = kind_slugs[kind];
    o->status = "published";
    o->created_at = o->updated_at = g->now;

    char setting = info != NULL ? info->setting : 'm';
    if (kind == KIND_RESEARCH || kind == KIND_TELEHEALTH)
        setting = 'o';
    else if (rng_percent(r, 15))
        setting = 'm';
    o->setting = setting == 'i' ? "inpatient" : setting == 'o' ? "outpatient" : "mixed";

    static const int weeks_values[] = {2, 3, 4, 6, 8, 12};
    static const int weeks_weights[KIND_COUNT][6] = {
        {4, 4, 62, 10, 14, 6}, {12, 8, 60, 8, 10, 2}, {0, 0, 30, 10, 35, 25}, {15, 5, 55, 10, 12, 3}};
    o->weeks = weeks_values[rng_weighted(r, weeks_weights[kind], 6)];

    switch (kind) {
    case KIND_HANDS_ON:
        o->hours_per_week = setting == 'i' ? rng_between(r, 10, 12) * 5 : setting == 'm' ? rng_between(r, 9, 11) * 5
                                                                                         : rng_between(r, 8, 9) * 5;
        break;
    case KIND_OBSERVERSHIP:
        o->hours_per_week = rng_between(r, 6, 8) * 5;
        break;
    case KIND_RESEARCH:
        o->hours_per_week = rng_between(r, 4, 8) * 5;
        break;
    default:
        o->hours_per_week = rng_between(r, 3, 6) * 5;
        break;
    }

    set_prices(o, r, kind);

    /* Eligibility: graduates on hands-on rotations need Step 1; B-1/B-2 visitors mostly observe. */
    o->students_allowed = !rng_percent(r, 8);
    o->graduates_allowed = !o->students_allowed || !rng_percent(r, 15);
    o->step1_required = kind == KIND_HANDS_ON ? (o->graduates_allowed || rng_percent(r, 40)) : rng_percent(r, 5);
    o->english_proof_required = kind == KIND_HANDS_ON ? rng_percent(r, 45) : rng_percent(r, 15);
    static const int64_t year_limits[] = {3, 5, 5, 7, 10};
    o->max_years_since_graduation = o->graduates_allowed && rng_percent(r, 30) ? RNG_PICK(r, year_limits) : -1;
    o->visa_kinds = kind == KIND_HANDS_ON && rng_percent(r, 60) ? "f1,j1,h1b,us_citizen_or_resident"
                    : kind == KIND_OBSERVERSHIP && rng_percent(r, 10) ? "b1_b2,f1,j1,h1b,us_citizen_or_resident"
                                                                     : "";
    static const int lor_percent[KIND_COUNT] = {80, 40, 60, 30};
    o->lor_customary = rng_percent(r, lor_percent[kind]);

    /* Texts. */
    const char *specialty_name = spec != NULL ? spec->name : p->specialty;
    const char *setting_word = setting == 'i' ? "Inpatient" : setting == 'o' ? "Outpatient" : "Clinical";
    const char *title_args[] = {specialty_name, setting_word};
    const char *const *titles = kind == KIND_HANDS_ON       ? hands_on_titles
                                : kind == KIND_OBSERVERSHIP ? observership_titles
                                : kind == KIND_RESEARCH     ? research_titles
                                                            : telehealth_titles;
    size_t title_count = kind == KIND_HANDS_ON ? COUNT_OF(hands_on_titles) : 3;
    o->title = compose(g, titles[rng_below(r, (uint32_t)title_count)], title_args, 2);
    const char *setting_lower = setting == 'i' ? "inpatient" : setting == 'o' ? "outpatient" : "inpatient and outpatient";
    const char *description_args[] = {format_int(g, o->weeks), specialty_name, h->name, site->city, site->state,
                                      p->name, info != NULL ? info->focus : "the daily work of the service",
                                      setting_lower};
    if (g->bulk) {
        o->description = compose(g, compact_descriptions[kind], description_args, COUNT_OF(description_args));
    } else {
        const char *description = compose(g, descriptions[kind], description_args, COUNT_OF(description_args));
        const char *closing_args[] = {description, RNG_PICK(r, closings)};
        o->description = compose(g, "{0}{1}", closing_args, 2);
    }
    const char *day_args[] = {site->name, site->address, p->name, time_zone_name(site->time_zone)};
    o->first_day = compose(g, first_days[kind][rng_below(r, 2)], day_args, COUNT_OF(day_args));
    if (o->tuition_cents > 0) {
        o->refund_policy = RNG_PICK(r, paid_policies);
    } else {
        (void)rng_below(r, 2); /* the draw a free rotation's policy took: the demo data stay as they were */
        o->refund_policy = "";  /* the default policy */
    }
    o->requirements = make_requirements(g, kind, o->step1_required, o->english_proof_required);
    return add_blocks(g, o, rng_percent(r, 3));
}

static int flush_offerings(struct gen *g)
{
    int rc = store_catalog_insert_bulk(g->conn, g->offerings, g->offering_count, g->blocks, g->block_count, g->now);
    g->offering_count = 0;
    g->block_count = 0;
    return rc;
}

static bool gen_reserve(struct gen *g, size_t offerings, int max_blocks)
{
    g->offerings = arena_alloc(g->arena, offerings * sizeof(*g->offerings));
    g->blocks = arena_alloc(g->arena, offerings * (size_t)max_blocks * sizeof(*g->blocks));
    g->offering_capacity = offerings;
    g->block_capacity = offerings * (size_t)max_blocks;
    g->offering_count = g->block_count = 0;
    g->max_blocks = max_blocks;
    return g->offerings != NULL && g->blocks != NULL;
}

/* ---- the demo catalog ---- */

/* The demo host (an existing organisation): a main campus, the demo
 * preceptor's record and two colleagues, and DEMO_CATALOG_HOST_OFFERINGS
 * offerings, most of them the demo preceptor's. */
static int make_demo_host(struct gen *g, const struct demo_catalog_accounts *accounts, struct host *h)
{
    memset(h, 0, sizeof(*h));
    h->tpl = &templates[0];
    h->id = accounts->host_id;
    h->name = accounts->host_name != NULL ? accounts->host_name : "Lakeside Community Hospital";
    static const struct city milwaukee = {"Milwaukee", "WI", "53211", NULL};
    int rc = add_site(g, h, "Main Campus", &milwaukee, "2100 N Lake Dr");
    if (rc == DB_OK) {
        bool linked = accounts->preceptor_user_id != NULL;
        const char *name = linked && accounts->preceptor_name != NULL ? accounts->preceptor_name
                                                                      : "Dr. Daniel Whitfield";
        const char *email = linked && accounts->preceptor_email != NULL
                                ? accounts->preceptor_email
                                : make_email(g, "daniel", "whitfield", h->name);
        rc = add_preceptor(g, h, name, email, "internal-medicine", accounts->preceptor_user_id);
    }
    if (rc == DB_OK)
        rc = add_preceptor(g, h, "Dr. Grace Lindqvist", make_email(g, "grace", "lindqvist", h->name), "pediatrics",
                           NULL);
    if (rc == DB_OK)
        rc = add_preceptor(g, h, "Dr. Marcus Bell", make_email(g, "marcus", "bell", h->name), "emergency-medicine",
                           NULL);
    static const struct {
        int preceptor, kind;
    } plan[DEMO_CATALOG_HOST_OFFERINGS] = {{0, KIND_HANDS_ON}, {0, KIND_OBSERVERSHIP}, {0, KIND_TELEHEALTH},
                                           {0, KIND_RESEARCH},  {1, KIND_HANDS_ON},     {2, KIND_OBSERVERSHIP}};
    for (size_t i = 0; i < COUNT_OF(plan) && rc == DB_OK; i++)
        rc = add_offering(g, h, &h->preceptors[plan[i].preceptor], plan[i].kind);
    return rc;
}

/* Host cities: one state each for the first hosts (in a shuffled order of
 * all states), then further hosts in the busiest states. */
static const struct city *demo_host_city(struct gen *g, size_t index, const size_t *state_order, size_t state_count)
{
    const struct city *options[8];
    size_t n;
    if (index < 34 && index < state_count) {
        n = cities_of_state(reference_states[state_order[index]].code, options, COUNT_OF(options));
    } else {
        n = cities_of_state(RNG_PICK(&g->rng, busy_states), options, COUNT_OF(options));
    }
    return n > 0 ? options[rng_below(&g->rng, (uint32_t)n)] : &cities[rng_below(&g->rng, COUNT_OF(cities))];
}

static const struct host_template *pick_template(struct gen *g)
{
    int weights[COUNT_OF(templates)];
    for (size_t i = 0; i < COUNT_OF(templates); i++)
        weights[i] = templates[i].weight;
    return &templates[rng_weighted(&g->rng, weights, (int)COUNT_OF(templates))];
}

struct seed_job {
    const struct demo_catalog_accounts *accounts;
    bool *created;
};

/* The demo host's first day as fields: what a student sees on "Your rotation"
 * and in the email a week before the start. */
static int demo_host_first_day(struct gen *g, const char *host_id)
{
    struct store_offering *items = NULL;
    size_t count = 0;
    int rc = store_offerings_list(g->conn, g->arena, host_id, NULL, NULL, DEMO_CATALOG_HOST_OFFERINGS, &items, &count);
    for (size_t i = 0; i < count && rc == DB_OK; i++) {
        items[i].first_day_fields = (struct store_first_day){
            .address = "2100 N Lake Dr, Milwaukee, WI 53211 (Main Campus, East Tower entrance)",
            .time = "7:30 am, Monday of the first week",
            .ask_for = "The medical education office, 3rd floor, East Tower",
            .dress_code = "Business casual with a white coat; closed-toe shoes",
            .transport = "Visitor parking in structure B ($8 a day); buses 15 and 30 stop at the main entrance",
            .bring = "Passport, the confirmation email, a stethoscope and your immunization record"};
        rc = store_offering_update(g->conn, &items[i]);
    }
    return rc;
}

static int seed_tx(struct db_conn *conn, void *ctx)
{
    struct seed_job *job = ctx;
    *job->created = false;
    bool any = false;
    int rc = store_catalog_has_offerings(conn, &any);
    if (rc != DB_OK || any)
        return rc;

    struct arena arena;
    arena_heap_init(&arena);
    struct gen g = {.conn = conn, .arena = &arena, .rng = {DEMO_SEED}, .min_blocks = 2};
    gen_init(&g);
    g.today = clock_today_days();
    g.now = clock_now();
    struct host *hosts = arena_calloc(&arena, DEMO_CATALOG_HOSTS + 1, sizeof(*hosts));
    if (hosts == NULL || !gen_reserve(&g, DEMO_CATALOG_OFFERINGS, 8)) {
        rc = DB_ERROR;
        goto out;
    }
    int own = 0;
    if (job->accounts != NULL && job->accounts->host_id != NULL) {
        rc = make_demo_host(&g, job->accounts, &hosts[DEMO_CATALOG_HOSTS]);
        own = DEMO_CATALOG_HOST_OFFERINGS;
    }

    /* Every template once (shuffled), then by how common each kind of host is. */
    size_t template_order[COUNT_OF(templates)];
    for (size_t i = 0; i < COUNT_OF(templates); i++)
        template_order[i] = i;
    for (size_t i = COUNT_OF(templates) - 1; i > 0; i--) {
        size_t j = rng_below(&g.rng, (uint32_t)(i + 1)), t = template_order[i];
        template_order[i] = template_order[j];
        template_order[j] = t;
    }
    size_t state_order[64];
    size_t state_count = reference_state_count < COUNT_OF(state_order) ? reference_state_count : COUNT_OF(state_order);
    for (size_t i = 0; i < state_count; i++)
        state_order[i] = i;
    for (size_t i = state_count - 1; i > 0; i--) {
        size_t j = rng_below(&g.rng, (uint32_t)(i + 1)), t = state_order[i];
        state_order[i] = state_order[j];
        state_order[j] = t;
    }
    for (size_t i = 0; i < DEMO_CATALOG_HOSTS && rc == DB_OK; i++) {
        const struct host_template *tpl =
            i < COUNT_OF(templates) ? &templates[template_order[i]] : pick_template(&g);
        const struct city *city = demo_host_city(&g, i, state_order, state_count);
        const char *name = host_name(&g, tpl, city);
        for (int attempt = 0; attempt < 20 && name_taken(hosts, i, name); attempt++)
            name = host_name(&g, tpl, city); /* no two demo hosts share a name */
        rc = make_host(&g, &hosts[i], tpl, city, name);
    }

    /* Offerings: three per host, the rest to hosts drawn by their number of preceptors. */
    int weights[DEMO_CATALOG_HOSTS];
    for (size_t i = 0; i < DEMO_CATALOG_HOSTS; i++)
        weights[i] = (int)(hosts[i].preceptor_count + hosts[i].site_count);
    for (int i = 0; i < DEMO_CATALOG_OFFERINGS - own && rc == DB_OK; i++) {
        size_t h = i < 3 * DEMO_CATALOG_HOSTS ? (size_t)i % DEMO_CATALOG_HOSTS
                                              : (size_t)rng_weighted(&g.rng, weights, DEMO_CATALOG_HOSTS);
        rc = add_offering(&g, &hosts[h], NULL, -1);
    }
    if (rc == DB_OK)
        rc = flush_offerings(&g);
    if (rc == DB_OK && own > 0)
        rc = demo_host_first_day(&g, job->accounts->host_id);
    if (rc == DB_OK)
        *job->created = true;
out:
    arena_heap_free(&arena);
    return rc;
}

int demo_catalog_seed(struct db_conn *conn, const struct demo_catalog_accounts *accounts, bool *created)
{
    struct seed_job job = {accounts, created};
    return db_run_tx(conn, true, seed_tx, &job);
}

/* ---- bulk offerings ---- */

/* Offerings per transaction, a multiple of DEMO_CATALOG_BULK_PER_HOST: big
 * enough that commits cost little, small enough for a lively progress bar. */
enum { BULK_CHUNK = 5000 };

struct bulk_job {
    struct gen *gen;
    int64_t count;         /* offerings of this transaction */
    struct rng rng;        /* the generator's state before it, so that a retry writes the same */
    uint64_t counter;
    int64_t hosts, blocks; /* what it added */
};

static int bulk_tx(struct db_conn *conn, void *ctx)
{
    struct bulk_job *job = ctx;
    struct gen *g = job->gen;
    g->conn = conn;
    g->rng = job->rng;
    g->counter = job->counter;
    g->offering_count = g->block_count = 0;
    int64_t host_count = (job->count + DEMO_CATALOG_BULK_PER_HOST - 1) / DEMO_CATALOG_BULK_PER_HOST;
    int rc = reserve_npis(g, (uint32_t)(host_count * 4));
    struct host h;
    job->hosts = 0;
    for (int64_t i = 0; i < job->count && rc == DB_OK; i++) {
        if (i % DEMO_CATALOG_BULK_PER_HOST == 0) {
            const struct host_template *tpl = pick_template(g);
            const struct city *city = &cities[rng_below(&g->rng, COUNT_OF(cities))];
            rc = make_host(g, &h, tpl, city, host_name(g, tpl, city));
            job->hosts++;
        }
        if (rc == DB_OK)
            rc = add_offering(g, &h, NULL, -1);
    }
    job->blocks = (int64_t)g->block_count;
    if (rc == DB_OK)
        rc = flush_offerings(g);
    return rc;
}

int demo_catalog_add_offerings(struct db_conn *conn, int64_t count,
                               void (*progress)(void *ctx, int64_t done, int64_t total), void *ctx,
                               struct demo_catalog_added *added)
{
    memset(added, 0, sizeof(*added));
    if (count < 1 || count > DEMO_CATALOG_BULK_MAX)
        return DB_ERROR;
    /* A random seed and run prefix: each run adds new hosts, NPIs and ids. */
    char token[44];
    crypto_random_token(token);
    uint64_t seed = 0;
    for (size_t i = 0; token[i] != '\0'; i++)
        seed = seed * 131 + (unsigned char)token[i];
    struct gen g = {.conn = conn, .rng = {seed}, .bulk = true, .min_blocks = 2};
    gen_init(&g);
    char run[17];
    crypto_random_id("", run, sizeof(run));
    memcpy(g.run, run, 8);
    g.run[8] = '\0';
    int rc = store_bulk_session(conn, true);
    if (progress != NULL)
        progress(ctx, 0, count);
    for (int64_t first = 0; first < count && rc == DB_OK; first += BULK_CHUNK) {
        struct arena arena;
        arena_heap_init(&arena);
        g.arena = &arena;
        g.today = clock_today_days();
        g.now = clock_now();
        struct bulk_job job = {&g, count - first < BULK_CHUNK ? count - first : BULK_CHUNK, g.rng, g.counter, 0, 0};
        rc = gen_reserve(&g, (size_t)job.count, 6) ? db_run_tx(conn, true, bulk_tx, &job) : DB_ERROR;
        arena_heap_free(&arena);
        g.arena = NULL;
        if (rc == DB_OK) {
            added->offerings += job.count;
            added->hosts += job.hosts;
            added->blocks += job.blocks;
            if (progress != NULL)
                progress(ctx, added->offerings, count);
        }
    }
    int normal = store_bulk_session(conn, false);
    return rc != DB_OK ? rc : normal;
}
