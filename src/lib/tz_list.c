/* tz_list.c — the zones a person may choose from: the tz database's
 * zone1970.tab (one zone per region whose clocks have agreed since 1970),
 * each with the name of its first country from iso3166.tab, sorted by name.
 * Read once per process (pthread_once) and kept until it ends. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/tz.h"

#define TZ_LIST_FILE "/usr/share/zoneinfo/zone1970.tab"
#define TZ_COUNTRY_FILE "/usr/share/zoneinfo/iso3166.tab"
enum { TZ_LIST_MAX = 600, TZ_LINE_MAX = 512, TZ_COUNTRIES_MAX = 300 };

static struct tz_choice *choices;
static size_t choice_count;
static pthread_once_t choices_once = PTHREAD_ONCE_INIT;

/* The fields of a tab-separated line, in place: how many (at most max). */
static size_t split_tabs(char *line, char **fields, size_t max)
{
    size_t n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    while (n < max) {
        fields[n++] = line;
        char *tab = strchr(line, '\t');
        if (tab == NULL)
            break;
        *tab = '\0';
        line = tab + 1;
    }
    return n;
}

struct country {
    char code[3];
    char *name;
};

static size_t read_countries(struct country *out, size_t max)
{
    FILE *f = fopen(TZ_COUNTRY_FILE, "re");
    size_t n = 0;
    char line[TZ_LINE_MAX];
    while (f != NULL && n < max && fgets(line, sizeof(line), f) != NULL) {
        char *fields[2];
        if (line[0] == '#' || split_tabs(line, fields, 2) < 2 || strlen(fields[0]) != 2)
            continue;
        memcpy(out[n].code, fields[0], 3);
        out[n].name = strdup(fields[1]);
        if (out[n].name != NULL)
            n++;
    }
    if (f != NULL)
        fclose(f);
    return n;
}

static const char *country_name(const struct country *countries, size_t count, const char *codes)
{
    for (size_t i = 0; i < count; i++)
        if (strncmp(countries[i].code, codes, 2) == 0 && (codes[2] == '\0' || codes[2] == ','))
            return countries[i].name;
    return NULL;
}

static int compare_choices(const void *a, const void *b)
{
    return strcmp(((const struct tz_choice *)a)->name, ((const struct tz_choice *)b)->name);
}

static void load_choices(void)
{
    struct country *countries = calloc(TZ_COUNTRIES_MAX, sizeof(*countries));
    choices = calloc(TZ_LIST_MAX, sizeof(*choices));
    FILE *f = countries != NULL && choices != NULL ? fopen(TZ_LIST_FILE, "re") : NULL;
    size_t country_count = countries != NULL ? read_countries(countries, TZ_COUNTRIES_MAX) : 0;
    char line[TZ_LINE_MAX];
    while (f != NULL && choice_count < TZ_LIST_MAX && fgets(line, sizeof(line), f) != NULL) {
        char *fields[3];
        if (line[0] == '#' || split_tabs(line, fields, 3) < 3 || !tz_name_valid(fields[2]))
            continue;
        const char *country = country_name(countries, country_count, fields[0]);
        char *name = strdup(fields[2]);
        char *country_copy = country != NULL ? strdup(country) : NULL;
        if (name == NULL) {
            free(country_copy);
            continue;
        }
        choices[choice_count++] = (struct tz_choice){name, country_copy};
    }
    if (f != NULL)
        fclose(f);
    for (size_t i = 0; i < country_count; i++)
        free(countries[i].name);
    free(countries);
    if (choices != NULL)
        qsort(choices, choice_count, sizeof(*choices), compare_choices);
}

const struct tz_choice *tz_choices(size_t *count)
{
    pthread_once(&choices_once, load_choices);
    *count = choices != NULL ? choice_count : 0;
    return choices;
}
