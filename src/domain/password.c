/* password.c — password rules, and a new password checked and hashed;
 * see password.h. */
#include "domain/password.h"

#include <ctype.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>
/* crack.h uses size_t without including stddef.h */
#include <crack.h>

#include "lib/crypto.h"
#include "lib/utf8.h"

/* cracklib keeps static state: one caller at a time. */
static pthread_mutex_t cracklib_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *cracklib_verdict(const char *word)
{
    pthread_mutex_lock(&cracklib_lock);
    const char *verdict = FascistCheck(word, GetDefaultCracklibDict());
    pthread_mutex_unlock(&cracklib_lock);
    return verdict;
}

int password_check_length(const char *password, struct error *err)
{
    size_t len = strlen(password);
    if (!utf8_valid(password, len))
        return error_set(err, ERR_WEAK_PASSWORD, "password", "must be valid UTF-8 text");
    size_t chars = utf8_count(password, len);
    if (chars < PASSWORD_MIN_CHARS)
        return error_set(err, ERR_WEAK_PASSWORD, "password", "must be at least 12 characters long");
    if (chars > PASSWORD_MAX_CHARS)
        return error_set(err, ERR_WEAK_PASSWORD, "password", "must be at most 128 characters long");
    return 0;
}

/* The lower-case ASCII letters of password, into out (at most size-1). */
static void letters_only(const char *password, char *out, size_t size)
{
    size_t j = 0;
    for (const char *p = password; *p != '\0' && j + 1 < size; p++)
        if (isalpha((unsigned char)*p))
            out[j++] = (char)tolower((unsigned char)*p);
    out[j] = '\0';
}

/* "letmeinletmein" → "letmein": the shortest unit that repeats to fill s. */
static void shortest_repeating_unit(char *s)
{
    size_t n = strlen(s);
    for (size_t unit = 1; unit <= n / 2; unit++) {
        if (n % unit != 0)
            continue;
        size_t i = unit;
        while (i < n && s[i] == s[i % unit])
            i++;
        if (i == n) {
            s[unit] = '\0';
            return;
        }
    }
}

static bool is_keyboard_run(const char *letters)
{
    static const char *const runs[] = {"qwertyuiopasdfghjklzxcvbnm", "abcdefghijklmnopqrstuvwxyz",
                                       "zyxwvutsrqponmlkjihgfedcba", "mnbvcxzlkjhgfdsapoiuytrewq", NULL};
    if (strlen(letters) < 4)
        return false;
    for (const char *const *r = runs; *r != NULL; r++)
        if (strstr(*r, letters) != NULL)
            return true;
    return false;
}

static size_t distinct_bytes(const char *s)
{
    bool seen[256] = {false};
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        if (!seen[*p]) {
            seen[*p] = true;
            n++;
        }
    return n;
}

int password_check(const char *password, const char *email, struct error *err)
{
    if (password_check_length(password, err) != 0)
        return -1;
    if (distinct_bytes(password) < 5)
        return error_set(err, ERR_WEAK_PASSWORD, "password", "uses too few different characters");
    if (cracklib_verdict(password) != NULL)
        return error_set(err, ERR_WEAK_PASSWORD, "password", "is a common or dictionary password");

    char letters[512] = {0};
    letters_only(password, letters, sizeof(letters));
    shortest_repeating_unit(letters);
    if (is_keyboard_run(letters))
        return error_set(err, ERR_WEAK_PASSWORD, "password", "is a run of keyboard or alphabet letters");
    if (strlen(letters) >= 4 && cracklib_verdict(letters) != NULL)
        return error_set(err, ERR_WEAK_PASSWORD, "password", "is a dictionary word with digits or symbols added");

    if (email != NULL) {
        /* The email's local part, whatever its case, must not be inside the password. */
        const char *at = strchr(email, '@');
        size_t local = at != NULL ? (size_t)(at - email) : strlen(email);
        if (local >= 4 && local < 256) {
            char local_part[256];
            memcpy(local_part, email, local);
            local_part[local] = '\0';
            if (strcasestr(password, local_part) != NULL)
                return error_set(err, ERR_WEAK_PASSWORD, "password", "must not contain your email address");
        }
    }
    return 0;
}

int password_hash_new(const char *password, const char *email, char hash[128], struct error *err)
{
    if (password_check(password, email, err) != 0)
        return -1;
    if (crypto_password_hash(password, hash) != 0)
        return error_set(err, ERR_INTERNAL, NULL, "out of memory while hashing");
    return 0;
}
