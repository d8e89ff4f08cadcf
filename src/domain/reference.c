/* reference.c — lookups into the compiled-in reference data. */
#include "domain/reference.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static size_t specialty_order[256];
static pthread_once_t specialty_order_once = PTHREAD_ONCE_INIT;

static int by_name(const void *a, const void *b)
{
    return strcasecmp(reference_specialties[*(const size_t *)a].name, reference_specialties[*(const size_t *)b].name);
}

static void sort_specialties(void)
{
    size_t n = reference_specialty_count < 256 ? reference_specialty_count : 256;
    for (size_t i = 0; i < n; i++)
        specialty_order[i] = i;
    qsort(specialty_order, n, sizeof(specialty_order[0]), by_name);
}

const size_t *reference_specialties_by_name(void)
{
    pthread_once(&specialty_order_once, sort_specialties);
    return specialty_order;
}

int reference_specialty_index(const char *slug)
{
    for (size_t i = 0; slug != NULL && i < reference_specialty_count; i++)
        if (strcmp(reference_specialties[i].slug, slug) == 0)
            return (int)i;
    return -1;
}

int reference_state_index(const char *code)
{
    for (size_t i = 0; code != NULL && i < reference_state_count; i++)
        if (strcmp(reference_states[i].code, code) == 0)
            return (int)i;
    return -1;
}

const struct reference_specialty *reference_specialty_find(const char *slug)
{
    int i = reference_specialty_index(slug);
    return i < 0 ? NULL : &reference_specialties[i];
}

const struct reference_state *reference_state_find(const char *code)
{
    int i = reference_state_index(code);
    return i < 0 ? NULL : &reference_states[i];
}

const struct reference_document_kind *reference_document_kind_find(const char *slug)
{
    for (size_t i = 0; slug != NULL && i < reference_document_kind_count; i++)
        if (strcmp(reference_document_kinds[i].slug, slug) == 0)
            return &reference_document_kinds[i];
    return NULL;
}

const char *reference_time_zone_label(const char *tz)
{
    /* The U.S. zones of the states table, as a U.S. schedule names them. */
    static const struct {
        const char *tz, *label;
    } labels[] = {
        {"America/New_York", "Eastern Time"},
        {"America/Detroit", "Eastern Time"},
        {"America/Indiana/Indianapolis", "Eastern Time"},
        {"America/Chicago", "Central Time"},
        {"America/Denver", "Mountain Time"},
        {"America/Boise", "Mountain Time"},
        {"America/Phoenix", "Mountain Time (Arizona, no daylight saving time)"},
        {"America/Los_Angeles", "Pacific Time"},
        {"America/Anchorage", "Alaska Time"},
        {"Pacific/Honolulu", "Hawaii Time"},
        {"America/Puerto_Rico", "Atlantic Time (Puerto Rico)"},
    };
    for (size_t i = 0; tz != NULL && i < sizeof(labels) / sizeof(labels[0]); i++)
        if (strcmp(labels[i].tz, tz) == 0)
            return labels[i].label;
    return tz;
}
