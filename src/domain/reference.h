/* reference.h — reference data compiled in (tools/gen_reference.sh turns
 * the CSV files of shared/data into reference_data.c): specialties, U.S. states and
 * their time zones, document kinds. */
#ifndef ROUNDS_DOMAIN_REFERENCE_H
#define ROUNDS_DOMAIN_REFERENCE_H

#include <stddef.h>

struct reference_specialty {
    const char *slug, *name, *residency_specialty;
};
struct reference_state {
    const char *code, *name, *time_zone;
};
struct reference_document_kind {
    const char *slug, *name, *group, *typical_validity;
};

extern const struct reference_specialty reference_specialties[];
extern const size_t reference_specialty_count;
extern const struct reference_state reference_states[];
extern const size_t reference_state_count;
extern const struct reference_document_kind reference_document_kinds[];
extern const size_t reference_document_kind_count;

/* Lookups; NULL when unknown. */
const struct reference_specialty *reference_specialty_find(const char *slug);
const struct reference_state *reference_state_find(const char *code);
const struct reference_document_kind *reference_document_kind_find(const char *slug);
/* The specialties' indexes in the order of their names (people look a
 * specialty up by its name, not by its slug): reference_specialty_count entries. */
const size_t *reference_specialties_by_name(void);
/* "Eastern Time" for America/New_York: a site's zone as people name it; any
 * zone not of the U.S. table as it is. */
const char *reference_time_zone_label(const char *tz);
/* Index in its table, or -1. */
int reference_specialty_index(const char *slug);
int reference_state_index(const char *code);

#endif
