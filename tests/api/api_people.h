/* api_people.h — the people of the API suites that act as users: a struct
 * user with its bearer token (and the same token as a session cookie), and
 * the steps every suite repeats — register a student, log in, POST a JSON
 * body expecting a status, create an object and keep its id, make up a valid
 * NPI. Include after api_client.h and test.h, with PEOPLE_PASSWORD defined
 * (the password every account of the suite uses).
 *
 * Every function is static inline so that a suite may use any subset. */
#ifndef ROUNDS_TESTS_API_PEOPLE_H
#define ROUNDS_TESTS_API_PEOPLE_H

#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "domain/catalog.h"
#include "test.h"

#ifndef PEOPLE_PASSWORD
#error "define PEOPLE_PASSWORD before including api_people.h"
#endif

struct user {
    char email[160], name[96], id[64], token[64];
    char auth[128];   /* "Authorization: Bearer <token>" */
    char cookie[128]; /* "Cookie: rounds_session=<token>" (pages fetched as the user) */
    char csrf[64];    /* the session's CSRF token, for the forms of pages posted with the cookie */
};

/* The compact text of a jansson value, which it releases. */
static inline char *json_text(json_t *value)
{
    char *text = json_dumps(value, JSON_COMPACT);
    json_decref(value);
    return text;
}

static inline void user_set_token(struct user *u, const char *token)
{
    snprintf(u->token, sizeof(u->token), "%s", token != NULL ? token : "");
    snprintf(u->auth, sizeof(u->auth), "Authorization: Bearer %s", u->token);
    snprintf(u->cookie, sizeof(u->cookie), "Cookie: rounds_session=%s", u->token);
}

/* POSTs a jansson body (released) as u (NULL: anonymous); true when the
 * status is want, else a failed check naming what came back. */
static inline bool post_as(struct api_response *r, const struct user *u, const char *path, json_t *body, long want)
{
    char *text = json_text(body);
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    api_request(r, "POST", path, headers, text);
    free(text);
    if (r->status != want) {
        TEST_FAILF("POST %s answered %ld, expected %ld: %.400s", path, r->status, want, r->body);
        return false;
    }
    return true;
}

/* Fills the user's id and token from a login or register reply. */
static inline void user_from_reply(struct user *u, const struct api_response *r)
{
    const char *id = api_json_str(r->json, "user.id");
    const char *csrf = api_json_str(r->json, "csrf_token");
    snprintf(u->id, sizeof(u->id), "%s", id != NULL ? id : "");
    snprintf(u->csrf, sizeof(u->csrf), "%s", csrf != NULL ? csrf : "");
    user_set_token(u, api_json_str(r->json, "token"));
}

static inline bool login(struct user *u)
{
    struct api_response r;
    bool ok = post_as(&r, NULL, "/api/v1/auth/login",
                      json_pack("{s:s,s:s}", "email", u->email, "password", PEOPLE_PASSWORD), 200);
    if (ok)
        user_from_reply(u, &r);
    api_free(&r);
    return ok;
}

/* A new student account with a unique email ("Student <prefix>"), signed in. */
static inline bool register_student(struct user *u, const char *prefix)
{
    memset(u, 0, sizeof(*u));
    api_unique_email(u->email, sizeof(u->email), prefix);
    snprintf(u->name, sizeof(u->name), "Student %s", prefix);
    struct api_response r;
    bool ok = post_as(&r, NULL, "/api/v1/auth/register",
                      json_pack("{s:s,s:s,s:s}", "email", u->email, "password", PEOPLE_PASSWORD, "name", u->name),
                      201);
    if (ok)
        user_from_reply(u, &r);
    api_free(&r);
    return ok;
}

/* POSTs body (released) as u expecting 201; the new object's id into id_out[64]. */
static inline bool create_object(const struct user *u, const char *path, json_t *body, char *id_out)
{
    struct api_response r;
    bool ok = post_as(&r, u, path, body, 201);
    const char *id = ok ? api_json_str(r.json, "id") : NULL;
    if (ok && id == NULL) {
        TEST_FAILF("POST %s: no id in %.300s", path, r.body);
        ok = false;
    }
    if (ok)
        snprintf(id_out, 64, "%s", id);
    api_free(&r);
    return ok;
}

/* A valid NPI (Luhn over 80840 + the first nine digits), random each call. */
static inline void random_npi(char out[11])
{
    unsigned char bytes[9];
    randombytes_buf(bytes, sizeof(bytes));
    for (int i = 0; i < 9; i++)
        out[i] = (char)('0' + bytes[i] % 10);
    out[0] = '1';
    out[9] = catalog_npi_check_digit(out);
    out[10] = '\0';
}

#endif
