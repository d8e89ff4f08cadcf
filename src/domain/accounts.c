/* accounts.c — roles and profile values; see accounts.h. */
#include "domain/accounts.h"

#include <string.h>

const char *const account_roles[] = {"student", "preceptor", "host_coordinator", "school_coordinator", "staff", NULL};
const char *const profile_statuses[] = {"student", "graduate", NULL};
const char *const profile_visa_kinds[] = {"b1_b2", "f1", "j1", "h1b", "us_citizen_or_resident", "none", NULL};
const char *const profile_step1_values[] = {"not_taken", "passed", "failed", NULL};
const char *const profile_ecfmg_statuses[] = {"none", "in_progress", "certified", NULL};
const char *const profile_english_proofs[] = {"none", "toefl", "ielts", "oet", "native", NULL};

/* The words for each value, parallel to the lists above. */
const char *const profile_status_labels[] = {"Medical student", "Graduate", NULL};
const char *const profile_visa_labels[] = {"B-1/B-2 visitor", "F-1 student", "J-1 exchange", "H-1B",
                                           "U.S. citizen or resident", "None yet", NULL};
const char *const profile_step1_labels[] = {"Not taken", "Passed", "Failed", NULL};
const char *const profile_ecfmg_labels[] = {"Not started", "In progress", "Certified", NULL};
const char *const profile_english_labels[] = {"None", "TOEFL", "IELTS", "OET Medicine", "Native speaker", NULL};

const char *profile_label(const char *const *values, const char *const *labels, const char *value)
{
    for (size_t i = 0; value != NULL && values[i] != NULL; i++)
        if (strcmp(values[i], value) == 0)
            return labels[i];
    return NULL;
}

bool account_role_valid(const char *role)
{
    for (const char *const *r = account_roles; *r != NULL; r++)
        if (strcmp(*r, role) == 0)
            return true;
    return false;
}

bool account_has_role(const struct store_user *user, const char *role)
{
    for (size_t i = 0; i < user->role_count; i++)
        if (strcmp(user->roles[i], role) == 0)
            return true;
    return false;
}

const char *account_role_organization_kind(const char *role)
{
    if (strcmp(role, "host_coordinator") == 0 || strcmp(role, "preceptor") == 0)
        return "host";
    if (strcmp(role, "school_coordinator") == 0)
        return "school";
    return NULL;
}

const char *account_role_label(const char *role)
{
    static const struct {
        const char *role, *label;
    } labels[] = {{"student", "Student"},
                  {"preceptor", "Preceptor"},
                  {"host_coordinator", "Host coordinator"},
                  {"school_coordinator", "School coordinator"},
                  {"staff", "Staff"}};
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
        if (strcmp(labels[i].role, role) == 0)
            return labels[i].label;
    return role;
}
