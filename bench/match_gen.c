/* match_gen.c — writes a random placement-match instance (docs/match.md) for
 * the benchmark: by default the scale of the U.S. residency Match, 47,000
 * students, 6,600 offerings, 43,000 seats, about 12 ranks per student.
 *
 *   match_gen [--students N] [--offerings N] [--seats N] [--ranks N]
 *             [--mode one|rotation] [--lottery PERCENT] [--seed N] > instance.json
 *
 * Offerings have a popularity (Zipf-like) and a quality; each student ranks
 * --ranks offerings drawn by popularity, ordered by quality plus taste.
 * PERCENT of the hosts use the lottery (default 20); the others rank their
 * applicants by the students' scores plus noise and leave a tenth of them
 * unranked. A seventh of the offerings require "step1", which 85% of the
 * students have. Six four-week blocks; in rotation mode students may take up
 * to three placements. The same flags always give the same file. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static double rng_unit(void)
{
    return (double)(rng_next() >> 11) / 9007199254740992.0;
}

struct applicant {
    uint32_t student;
    double score;
};

static int applicant_compare(const void *a, const void *b)
{
    double x = ((const struct applicant *)a)->score, y = ((const struct applicant *)b)->score;
    return x > y ? -1 : x < y;
}

struct choice {
    uint32_t offering;
    double utility;
};

static int choice_compare(const void *a, const void *b)
{
    double x = ((const struct choice *)a)->utility, y = ((const struct choice *)b)->utility;
    return x > y ? -1 : x < y;
}

static long flag_value(int argc, char **argv, const char *name, long fallback)
{
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return strtol(argv[i + 1], NULL, 10);
    return fallback;
}

int main(int argc, char **argv)
{
    long n = flag_value(argc, argv, "--students", 47000), m = flag_value(argc, argv, "--offerings", 6600);
    long seats_total = flag_value(argc, argv, "--seats", 43000), ranks = flag_value(argc, argv, "--ranks", 12);
    long lottery_percent = flag_value(argc, argv, "--lottery", 20);
    rng_state ^= (uint64_t)flag_value(argc, argv, "--seed", 1) * 0xbf58476d1ce4e5b9ull;
    bool rotation = false;
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--mode") == 0)
            rotation = strcmp(argv[i + 1], "rotation") == 0;
    if (n < 1 || m < 1 || seats_total < m || ranks < 1 || ranks > m) {
        fprintf(stderr, "match_gen: bad sizes\n");
        return 2;
    }
    enum { BLOCKS = 6 };
    double *weight = malloc((size_t)m * sizeof(double)), *cumulative = malloc((size_t)m * sizeof(double));
    double *quality = malloc((size_t)m * sizeof(double)), *score = malloc((size_t)n * sizeof(double));
    long *seats = malloc((size_t)m * sizeof(long)), *applicant_count = calloc((size_t)m + 1, sizeof(long));
    uint32_t *rol = malloc((size_t)n * (size_t)ranks * sizeof(uint32_t));
    struct choice *picked = malloc((size_t)ranks * sizeof(*picked));
    if (!weight || !cumulative || !quality || !score || !seats || !applicant_count || !rol || !picked)
        return 1;
    double sum = 0;
    for (long o = 0; o < m; o++) {
        weight[o] = 1.0 / pow((double)(o + 1), 0.7);
        quality[o] = rng_unit();
        sum += weight[o];
        cumulative[o] = sum;
        seats[o] = 1;
    }
    for (long extra = seats_total - m; extra > 0; extra--) /* the rest of the seats, by popularity */
        seats[(long)(rng_unit() * (double)m) % m]++;
    for (long s = 0; s < n; s++) {
        score[s] = rng_unit();
        long got = 0;
        while (got < ranks) {
            double x = rng_unit() * sum;
            long lo = 0, hi = m - 1;
            while (lo < hi) {
                long mid = (lo + hi) / 2;
                if (cumulative[mid] < x)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            bool repeat = false;
            for (long i = 0; i < got && !repeat; i++)
                repeat = picked[i].offering == (uint32_t)lo;
            if (repeat)
                continue;
            picked[got].offering = (uint32_t)lo;
            picked[got].utility = 0.6 * quality[lo] + 0.4 * rng_unit();
            got++;
        }
        qsort(picked, (size_t)ranks, sizeof(*picked), choice_compare);
        for (long i = 0; i < ranks; i++) {
            rol[s * ranks + i] = picked[i].offering;
            applicant_count[picked[i].offering + 1]++;
        }
    }
    for (long o = 0; o < m; o++)
        applicant_count[o + 1] += applicant_count[o];
    struct applicant *applicants = malloc((size_t)(n * ranks) * sizeof(*applicants));
    long *fill = calloc((size_t)m, sizeof(long));
    if (!applicants || !fill)
        return 1;
    for (long s = 0; s < n; s++)
        for (long i = 0; i < ranks; i++) {
            uint32_t o = rol[s * ranks + i];
            applicants[applicant_count[o] + fill[o]++] = (struct applicant){(uint32_t)s, 0.7 * score[s] + 0.3 * rng_unit()};
        }

    printf("{\"version\": 1, \"mode\": \"%s\", \"seed\": \"bench-%ld\",\n\"blocks\": [", rotation ? "rotation" : "one",
           flag_value(argc, argv, "--seed", 1));
    for (int b = 0; b < BLOCKS; b++)
        printf("%s{\"id\": \"B%d\", \"start\": \"2027-%02d-01\", \"end\": \"2027-%02d-28\"}", b ? ", " : "", b + 1,
               b + 1, b + 1);
    printf("],\n\"offerings\": [\n");
    for (long o = 0; o < m; o++) {
        printf("%s{\"id\": \"off-%06ld\", \"block\": \"B%ld\", \"seats\": %ld, ", o ? ",\n" : "", o, o % BLOCKS + 1,
               seats[o]);
        if (o % 7 == 3)
            printf("\"requires\": [\"step1\"], ");
        if (rng_unit() * 100 < (double)lottery_percent) {
            printf("\"ranking\": {\"type\": \"lottery\"}}");
            continue;
        }
        struct applicant *list = applicants + applicant_count[o];
        long count = applicant_count[o + 1] - applicant_count[o];
        qsort(list, (size_t)count, sizeof(*list), applicant_compare);
        printf("\"ranking\": {\"type\": \"list\", \"order\": [");
        for (long i = 0, shown = 0; i < count; i++) {
            if (rng_unit() < 0.1)
                continue; /* unacceptable to this host */
            printf("%s\"stu-%06u\"", shown++ ? ", " : "", list[i].student);
        }
        printf("]}}");
    }
    printf("\n],\n\"students\": [\n");
    for (long s = 0; s < n; s++) {
        printf("%s{\"id\": \"stu-%06ld\", ", s ? ",\n" : "", s);
        if (rotation)
            printf("\"max_placements\": 3, ");
        if (rng_unit() < 0.85)
            printf("\"attrs\": [\"step1\"], ");
        printf("\"rol\": [");
        for (long i = 0; i < ranks; i++)
            printf("%s\"off-%06u\"", i ? ", " : "", rol[s * ranks + i]);
        printf("]}");
    }
    printf("\n]}\n");
    return 0;
}
