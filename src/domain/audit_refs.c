/* audit_refs.c — the names of what audit events name, loaded for a whole
 * page at once: who acted (name and first role), the object each event is
 * about ("Application of Asha Rao to Cardiology at St Mary's", "Passport of
 * Asha Rao", "“The badge office is closed”"), and details that name objects
 * or amounts, in words: "school_id" of an approval is the school's name, a
 * block id is the rotation and its dates, an agreement's "host_id=…
 * school_id=… start..end" is "Between St Mary's and Ross University, from
 * Jan 1, 2027 to …", cents are dollars. audit_refs_collect gathers the ids of
 * a whole page so that audit.c loads them in one query
 * (store_audit_refs_load); audit_actor_named and audit_object_named then name
 * the actor and the object, and audit_detail_named writes each detail as
 * pieces: text, and the objects linked where staff has a page for them, their
 * ids kept for small print. An object since removed reads "a removed
 * rotation". */
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/documents.h"
#include "lib/cents.h"
#include "lib/clock.h"

static bool add(struct audit_refs *refs, enum store_audit_ref_kind kind, const char *id)
{
    if (id == NULL || id[0] == '\0')
        return true;
    for (size_t i = 0; i < refs->count; i++)
        if (refs->items[i].kind == kind && strcmp(refs->items[i].id, id) == 0)
            return true;
    if (refs->count == refs->max)
        return false;
    refs->items[refs->count++] = (struct store_audit_ref){.kind = kind, .id = id};
    return true;
}

static const struct store_audit_ref *find(const struct audit_refs *refs, enum store_audit_ref_kind kind, const char *id)
{
    for (size_t i = 0; i < refs->count; i++)
        if (refs->items[i].kind == kind && strcmp(refs->items[i].id, id) == 0)
            return &refs->items[i];
    return NULL;
}

/* "host_id=H school_id=S 2027-01-01..2027-12-31[ extra]" (domain/agreements.c) split in place. */
struct agreement_detail {
    const char *host_id, *school_id, *start, *end, *extra;
};

static bool agreement_detail(struct arena *arena, const char *detail, struct agreement_detail *out)
{
    const char *school = strstr(detail, " school_id="), *dots = strstr(detail, "..");
    if (strncmp(detail, "host_id=", 8) != 0 || school == NULL || dots == NULL || dots < school)
        return false;
    const char *dates = strchr(school + 11, ' ');
    if (dates == NULL || dates > dots)
        return false;
    const char *end = dots + 2, *space = strchr(end, ' ');
    out->host_id = arena_strndup(arena, detail + 8, (size_t)(school - detail - 8));
    out->school_id = arena_strndup(arena, school + 11, (size_t)(dates - school - 11));
    out->start = arena_strndup(arena, dates + 1, (size_t)(dots - dates - 1));
    out->end = space != NULL ? arena_strndup(arena, end, (size_t)(space - end)) : end;
    out->extra = space != NULL ? space + 1 : NULL;
    return out->host_id != NULL && out->school_id != NULL && out->start != NULL && out->end != NULL;
}

/* "prev -> new" of a change of coach ("-" when there was none). */
static bool coach_change(struct arena *arena, const char *detail, const char **from, const char **to)
{
    const char *arrow = strstr(detail, " -> ");
    if (arrow == NULL)
        return false;
    *from = arena_strndup(arena, detail, (size_t)(arrow - detail));
    *to = arrow + 4;
    return *from != NULL;
}

/* A teaching certificate's detail is its year, the others' an application id. */
static bool is_year(const char *s)
{
    return strlen(s) == 4 && strspn(s, "0123456789") == 4;
}

/* The kind under which the store finds an event's object, false for one Rounds does not name. */
static bool object_kind(enum audit_object object, enum store_audit_ref_kind *kind)
{
    switch (object) {
    case AUDIT_ON_USER:
        *kind = STORE_REF_USER;
        return true;
    case AUDIT_ON_APPLICATION:
    case AUDIT_ON_VISA_LETTER:
    case AUDIT_ON_EVALUATION: /* by its application's id */
        *kind = STORE_REF_APPLICATION;
        return true;
    case AUDIT_ON_DOCUMENT:
        *kind = STORE_REF_DOCUMENT;
        return true;
    case AUDIT_ON_LETTER:
        *kind = STORE_REF_LETTER;
        return true;
    case AUDIT_ON_AGREEMENT:
        *kind = STORE_REF_AGREEMENT;
        return true;
    case AUDIT_ON_OFFERING:
        *kind = STORE_REF_OFFERING;
        return true;
    case AUDIT_ON_ORGANIZATION:
        *kind = STORE_REF_ORGANIZATION;
        return true;
    case AUDIT_ON_TICKET:
        *kind = STORE_REF_TICKET;
        return true;
    case AUDIT_ON_PRECEPTOR:
        *kind = STORE_REF_PRECEPTOR;
        return true;
    default:
        return false;
    }
}

bool audit_refs_collect(struct audit_refs *refs, const struct audit_line *line)
{
    /* Who acted, and what the event is about. */
    enum store_audit_ref_kind kind;
    if (!add(refs, STORE_REF_USER, line->event->actor_id))
        return false;
    if (object_kind(line->object, &kind) && !add(refs, kind, line->event->object_id))
        return false;
    const char *d = line->event->detail;
    if (d == NULL || d[0] == '\0')
        return true;
    struct agreement_detail g;
    const char *from, *to;
    switch (line->action) {
    case AUDIT_SCHOOL_APPROVE:
    case AUDIT_SCHOOL_REFUSE:
    case AUDIT_MATCH_ROUND_CREATE:
        return add(refs, STORE_REF_ORGANIZATION, d);
    case AUDIT_LETTER_AUTHOR_CONFIRMED:
        return add(refs, STORE_REF_PRECEPTOR, d);
    case AUDIT_COACH_ASSIGNED:
        return add(refs, STORE_REF_USER, d);
    case AUDIT_COACH_REASSIGNED:
        return !coach_change(refs->arena, d, &from, &to) ||
               (add(refs, STORE_REF_USER, from) && add(refs, STORE_REF_USER, to));
    case AUDIT_MATCH_ROUND_RESERVE:
    case AUDIT_MATCH_ROUND_RELEASE:
    case AUDIT_MATCH_ROUND_HOST_RANK:
        return add(refs, STORE_REF_BLOCK, d);
    case AUDIT_REFUND_SENT:
        return add(refs, STORE_REF_APPLICATION, d);
    case AUDIT_CERTIFICATE_ISSUE:
        return is_year(d) || add(refs, STORE_REF_APPLICATION, d);
    case AUDIT_AGREEMENT_PROPOSE:
    case AUDIT_AGREEMENT_ACTIVATE:
    case AUDIT_AGREEMENT_TERMINATE:
    case AUDIT_AGREEMENT_EXPIRE:
        return !agreement_detail(refs->arena, d, &g) ||
               (add(refs, STORE_REF_ORGANIZATION, g.host_id) && add(refs, STORE_REF_ORGANIZATION, g.school_id));
    default:
        return true;
    }
}

/* ---- the pieces of a detail ---- */

static void text(struct audit_line *line, const char *s)
{
    if (s != NULL && line->piece_count < AUDIT_DETAIL_PIECES)
        line->pieces[line->piece_count++] = (struct audit_piece){.text = s};
}

/* An object by what people call it, linked when staff has a page for it. */
static void named(struct arena *arena, struct audit_line *line, const struct audit_refs *refs,
                  enum store_audit_ref_kind kind, const char *id)
{
    if (line->piece_count == AUDIT_DETAIL_PIECES)
        return;
    const struct store_audit_ref *r = find(refs, kind, id);
    bool found = r != NULL && r->found;
    struct audit_piece *p = &line->pieces[line->piece_count++];
    *p = (struct audit_piece){.id = id};
    char from[CLOCK_DATE_WORDS_SIZE], to[CLOCK_DATE_WORDS_SIZE];
    switch (kind) {
    case STORE_REF_USER:
        p->text = found ? r->name : "a removed account";
        p->href = found ? arena_printf(arena, "/staff/users/%s", id) : NULL;
        break;
    case STORE_REF_ORGANIZATION:
        p->text = found ? r->name : "a removed organisation";
        break;
    case STORE_REF_OFFERING:
        p->text = found ? arena_printf(arena, "%s at %s", r->name, r->place) : "a removed rotation";
        p->href = found ? arena_printf(arena, "/offerings/%s", id) : NULL;
        break;
    case STORE_REF_BLOCK:
        p->text = found ? arena_printf(arena, "%s at %s, %s to %s", r->name, r->place,
                                       clock_date_words(r->start, from), clock_date_words(r->end, to))
                        : "a removed block";
        p->href = found ? arena_printf(arena, "/offerings/%s", r->parent) : NULL;
        break;
    case STORE_REF_APPLICATION:
        p->text = found ? arena_printf(arena, "the application of %s to %s at %s", r->person, r->name, r->place)
                        : "a removed application";
        p->href = found ? arena_printf(arena, "/applications/%s", id) : NULL;
        break;
    case STORE_REF_PRECEPTOR:
        p->text = found ? arena_printf(arena, "%s of %s", r->name, r->place) : "a removed preceptor";
        break;
    case STORE_REF_DOCUMENT: /* objects of events, named by no detail */
    case STORE_REF_LETTER:
    case STORE_REF_AGREEMENT:
    case STORE_REF_TICKET:
    case STORE_REF_KINDS:
        break;
    }
    if (p->text == NULL)
        p->text = "";
}

/* "… cents" at the start of s in dollars, or NULL. */
static const char *dollars(struct arena *arena, const char *s, const char **rest)
{
    char *end = NULL;
    long long cents = strtoll(s, &end, 10);
    if (end == s || strncmp(end, " cents", 6) != 0)
        return NULL;
    char out[CENTS_TEXT_MAX];
    *rest = end + 6;
    return arena_strdup(arena, cents_format(out, sizeof(out), cents));
}

/* "bank transfer REF: 120000 cents (asked 150000)" (domain/money_flow.c; both in cents). */
static bool payment_words(struct arena *arena, struct audit_line *line, const char *d)
{
    const char *colon = strstr(d, ": "), *rest = NULL;
    if (strncmp(d, "bank transfer ", 14) != 0 || colon == NULL)
        return false;
    const char *got = dollars(arena, colon + 2, &rest);
    if (got == NULL || strncmp(rest, " (asked ", 8) != 0)
        return false;
    char *end = NULL, due[CENTS_TEXT_MAX];
    long long asked = strtoll(rest + 8, &end, 10);
    if (end == rest + 8 || strcmp(end, ")") != 0)
        return false;
    const char *reference = arena_strndup(arena, d + 14, (size_t)(colon - d - 14));
    text(line, arena_printf(arena, "%s received by bank transfer (reference %s); %s was due", got, reference,
                            cents_format(due, sizeof(due), asked)));
    return true;
}

/* "goodwill refund of 5000 cents: reason" and "payout 2026-11: 400000 cents". */
static bool refund_or_payout_words(struct arena *arena, struct audit_line *line, const char *d)
{
    const char *rest = NULL, *amount;
    if (strncmp(d, "goodwill refund of ", 19) == 0) {
        if ((amount = dollars(arena, d + 19, &rest)) == NULL || strncmp(rest, ": ", 2) != 0)
            return false;
        text(line, arena_printf(arena, "%s, because: %s", amount, rest + 2));
        return true;
    }
    const char *colon = strstr(d, ": ");
    char month[CLOCK_DATE_WORDS_SIZE];
    if (strncmp(d, "payout ", 7) != 0 || colon == NULL || (amount = dollars(arena, colon + 2, &rest)) == NULL)
        return false;
    const char *period = arena_strndup(arena, d + 7, (size_t)(colon - d - 7));
    text(line, arena_printf(arena, "%s for %s", amount,
                            period != NULL && clock_month_in_words(period, month) ? month : period));
    return true;
}

/* "3 invited, 1 refused" (a school's invitation list) and
 * "letters=3 letters_us=2 usce_weeks=12" (readiness targets). */
static bool count_words(struct arena *arena, struct audit_line *line, const char *d)
{
    long long a = 0, b = 0, c = 0;
    char *end = NULL;
    if (line->action == AUDIT_SCHOOL_INVITE) {
        a = strtoll(d, &end, 10);
        if (end == d || strncmp(end, " invited, ", 10) != 0)
            return false;
        const char *rest = end + 10;
        b = strtoll(rest, &end, 10);
        if (end == rest || strcmp(end, " refused") != 0)
            return false;
        text(line, arena_printf(arena, "%lld student%s invited; %lld line%s of the list refused", a, a == 1 ? "" : "s",
                                b, b == 1 ? "" : "s"));
        return true;
    }
    const char *us = strstr(d, " letters_us="), *weeks = strstr(d, " usce_weeks=");
    if (strncmp(d, "letters=", 8) != 0 || us == NULL || weeks == NULL)
        return false;
    a = strtoll(d + 8, NULL, 10);
    b = strtoll(us + 12, NULL, 10);
    c = strtoll(weeks + 12, NULL, 10);
    text(line, arena_printf(arena, "%lld letters, %lld of them from U.S. physicians; %lld weeks of U.S. clinical "
                                   "experience", a, b, c));
    return true;
}

static bool agreement_words(struct arena *arena, struct audit_line *line, const struct audit_refs *refs,
                            const char *d)
{
    struct agreement_detail g;
    if (!agreement_detail(arena, d, &g))
        return false;
    char from[CLOCK_DATE_WORDS_SIZE], to[CLOCK_DATE_WORDS_SIZE];
    text(line, "Between ");
    named(arena, line, refs, STORE_REF_ORGANIZATION, g.host_id);
    text(line, " and ");
    named(arena, line, refs, STORE_REF_ORGANIZATION, g.school_id);
    text(line, arena_printf(arena, ", from %s to %s", clock_date_words(g.start, from), clock_date_words(g.end, to)));
    if (g.extra != NULL && strcmp(g.extra, "reason given") == 0)
        text(line, "; a reason was given");
    else if (g.extra != NULL && agreement_side_parse(g.extra) != AGREEMENT_SIDE_UNKNOWN)
        text(line, arena_printf(arena, "; proposed by the %s", g.extra));
    return true;
}

/* An id alone (an invitation, a review, an addendum): what it is, the id in small print. */
static void id_only(struct audit_line *line, const char *what, const char *id)
{
    if (line->piece_count < AUDIT_DETAIL_PIECES)
        line->pieces[line->piece_count++] = (struct audit_piece){.text = what, .id = id};
}

/* The details that name objects (refs loaded). */
static bool named_words(struct arena *arena, struct audit_line *line, const struct audit_refs *refs, const char *d)
{
    const char *from, *to;
    switch (line->action) {
    case AUDIT_SCHOOL_APPROVE:
    case AUDIT_SCHOOL_REFUSE:
        text(line, "At ");
        named(arena, line, refs, STORE_REF_ORGANIZATION, d);
        return true;
    case AUDIT_MATCH_ROUND_CREATE:
        text(line, "For the students of ");
        named(arena, line, refs, STORE_REF_ORGANIZATION, d);
        return true;
    case AUDIT_LETTER_AUTHOR_CONFIRMED:
        text(line, "The author is ");
        named(arena, line, refs, STORE_REF_PRECEPTOR, d);
        return true;
    case AUDIT_COACH_ASSIGNED:
        text(line, "The coach is now ");
        named(arena, line, refs, STORE_REF_USER, d);
        return true;
    case AUDIT_COACH_REASSIGNED:
        if (!coach_change(arena, d, &from, &to))
            return false;
        if (strcmp(from, "-") == 0) {
            text(line, "To ");
        } else {
            text(line, "From ");
            named(arena, line, refs, STORE_REF_USER, from);
            text(line, " to ");
        }
        named(arena, line, refs, STORE_REF_USER, to);
        return true;
    case AUDIT_MATCH_ROUND_RESERVE:
    case AUDIT_MATCH_ROUND_RELEASE:
    case AUDIT_MATCH_ROUND_HOST_RANK:
        text(line, line->action == AUDIT_MATCH_ROUND_HOST_RANK ? "For the block " : "The block ");
        named(arena, line, refs, STORE_REF_BLOCK, d);
        return true;
    case AUDIT_REFUND_SENT:
        text(line, "For ");
        named(arena, line, refs, STORE_REF_APPLICATION, d);
        return true;
    case AUDIT_CERTIFICATE_ISSUE:
        if (is_year(d)) {
            text(line, arena_printf(arena, "For the teaching of %s", d));
        } else {
            text(line, "For ");
            named(arena, line, refs, STORE_REF_APPLICATION, d);
        }
        return true;
    case AUDIT_AGREEMENT_PROPOSE:
    case AUDIT_AGREEMENT_ACTIVATE:
    case AUDIT_AGREEMENT_TERMINATE:
    case AUDIT_AGREEMENT_EXPIRE:
        return agreement_words(arena, line, refs, d);
    default:
        return false;
    }
}

bool audit_detail_named(struct arena *arena, struct audit_line *line, const struct audit_refs *refs)
{
    const char *d = line->event->detail;
    char day[CLOCK_DATE_WORDS_SIZE];
    line->piece_count = 0;
    if (d == NULL || d[0] == '\0')
        return false;
    bool done;
    switch (line->action) {
    case AUDIT_PAYMENT_RECORDED:
        done = payment_words(arena, line, d);
        break;
    case AUDIT_GOODWILL_REFUND:
    case AUDIT_PAYOUT_SENT:
        done = refund_or_payout_words(arena, line, d);
        break;
    case AUDIT_SCHOOL_INVITE:
    case AUDIT_READINESS_TARGETS:
        done = count_words(arena, line, d);
        break;
    case AUDIT_CHECK_IN:
    case AUDIT_HOURS_LOGGED:
    case AUDIT_HOURS_EDITED:
        done = clock_date_in_words(d, day);
        if (done)
            text(line, arena_printf(arena, line->action == AUDIT_CHECK_IN ? "The week of %s" : "Hours of %s", day));
        break;
    case AUDIT_PRECEPTOR_INVITE:
    case AUDIT_PRECEPTOR_LINK:
        id_only(line, line->action == AUDIT_PRECEPTOR_INVITE ? "An invitation by email" : "With their invitation", d);
        done = true;
        break;
    case AUDIT_REVIEW:
        id_only(line, "Their review of the rotation", d);
        done = true;
        break;
    case AUDIT_AMEND:
        id_only(line, "The addendum", d);
        done = true;
        break;
    default:
        done = named_words(arena, line, refs, d);
    }
    if (!done || line->piece_count == 0) {
        line->piece_count = 0;
        return false;
    }
    /* detail_label: the pieces' text as one sentence (the API's words). */
    size_t length = 1;
    for (size_t i = 0; i < line->piece_count; i++)
        length += strlen(line->pieces[i].text);
    char *label = arena_alloc(arena, length);
    if (label == NULL)
        return false;
    label[0] = '\0';
    size_t at = 0;
    for (size_t i = 0; i < line->piece_count; i++) {
        size_t n = strlen(line->pieces[i].text);
        memcpy(label + at, line->pieces[i].text, n);
        at += n;
    }
    label[at] = '\0';
    line->detail_label = label;
    return true;
}

void audit_actor_named(struct audit_line *line, const struct audit_refs *refs)
{
    const char *id = line->event->actor_id;
    if (id == NULL)
        return;
    const struct store_audit_ref *r = find(refs, STORE_REF_USER, id);
    line->actor_gone = r == NULL || !r->found;
    if (line->actor_gone)
        return;
    line->actor_name = r->name;
    if (r->role != NULL) {
        const char *role = role_label(role_parse(r->role));
        line->actor_role = role[0] != '\0' ? role : NULL;
    }
}

/* The object in words, from its ref (found). */
static const char *object_words(struct arena *arena, enum audit_object object, const struct store_audit_ref *r)
{
    switch (object) {
    case AUDIT_ON_APPLICATION:
    case AUDIT_ON_VISA_LETTER:
        return arena_printf(arena, "Application of %s to %s at %s", r->person, r->name, r->place);
    case AUDIT_ON_EVALUATION:
        return arena_printf(arena, "Evaluation of %s in %s at %s", r->person, r->name, r->place);
    case AUDIT_ON_DOCUMENT:
        return r->person != NULL ? arena_printf(arena, "%s of %s", document_kind_name(r->name), r->person)
                                 : document_kind_name(r->name);
    case AUDIT_ON_LETTER:
        return arena_printf(arena, "Letter from %s for %s", r->name, r->person);
    case AUDIT_ON_AGREEMENT:
        return arena_printf(arena, "Agreement between %s and %s", r->name, r->place);
    case AUDIT_ON_TICKET:
        return arena_printf(arena, "“%s”", r->name);
    case AUDIT_ON_PRECEPTOR:
        return arena_printf(arena, "%s of %s", r->name, r->place);
    default: /* an account, a rotation, an organisation: its name */
        return r->name;
    }
}

void audit_object_named(struct arena *arena, struct audit_line *line, const struct audit_refs *refs)
{
    const char *id = line->event->object_id;
    enum store_audit_ref_kind kind;
    if (id == NULL || id[0] == '\0')
        return;
    if (line->object == AUDIT_ON_ROUTE || line->object == AUDIT_ON_CERTIFICATE) {
        line->object_label = id; /* a path, a certificate number: readable as they are */
        return;
    }
    const struct store_audit_ref *r = object_kind(line->object, &kind) ? find(refs, kind, id) : NULL;
    if (r != NULL && r->found)
        line->object_label = object_words(arena, line->object, r);
}
