/* signed_document.c — the signing key, signatures, the PDF marker and the
 * signed facts; see signed_document.h. */
#include "lib/signed_document.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/sealed.h"
#include "lib/utf8.h"

/* The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the key's 32 bytes follow. */
static const unsigned char spki_prefix[12] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
static const char pem_begin[] = "-----BEGIN PUBLIC KEY-----";
static const char pem_end[] = "-----END PUBLIC KEY-----";

static bool key_loaded;
static unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
static unsigned char public_key[crypto_sign_PUBLICKEYBYTES];

_Static_assert(SEALED_KEY_BYTES == crypto_sign_SEEDBYTES, "the key file holds an Ed25519 seed");
_Static_assert(SIGNATURE_BYTES == crypto_sign_BYTES, "Ed25519 signatures");
_Static_assert(SIGNING_PUBLIC_KEY_BYTES == crypto_sign_PUBLICKEYBYTES, "Ed25519 public keys");

int signing_open(const char *key_file, bool create, char *why, size_t why_size)
{
    unsigned char seed[crypto_sign_SEEDBYTES];
    struct stat st;
    signing_close();
    if (sodium_init() < 0) {
        snprintf(why, why_size, "libsodium failed to initialise");
        return -1;
    }
    if (stat(key_file, &st) != 0 && errno == ENOENT) {
        if (!create) {
            snprintf(why, why_size, "the signing key file %s is missing", key_file);
            return -1;
        }
        /* Another instance on the same data folder may create it first: then use theirs. */
        if (sealed_key_generate(key_file, why, why_size) != 0 && stat(key_file, &st) != 0)
            return -1;
    }
    if (sealed_key_load(key_file, seed, why, why_size) != 0)
        return -1;
    crypto_sign_seed_keypair(public_key, secret_key, seed);
    sodium_memzero(seed, sizeof(seed));
    key_loaded = true;
    return 0;
}

bool signing_ready(void)
{
    return key_loaded;
}

void signing_close(void)
{
    key_loaded = false;
    sodium_memzero(secret_key, sizeof(secret_key));
    memset(public_key, 0, sizeof(public_key));
}

int signing_sign(const void *msg, size_t len, unsigned char sig[SIGNATURE_BYTES])
{
    if (!key_loaded)
        return -1;
    return crypto_sign_detached(sig, NULL, msg, len, secret_key);
}

void signing_public_key(unsigned char out[SIGNING_PUBLIC_KEY_BYTES])
{
    memcpy(out, public_key, SIGNING_PUBLIC_KEY_BYTES);
}

void signing_key_id(const unsigned char key[SIGNING_PUBLIC_KEY_BYTES], char out[SIGNING_KEY_ID_SIZE])
{
    unsigned char hash[32];
    crypto_generichash(hash, sizeof(hash), key, SIGNING_PUBLIC_KEY_BYTES, NULL, 0);
    sodium_bin2hex(out, SIGNING_KEY_ID_SIZE, hash, (SIGNING_KEY_ID_SIZE - 1) / 2);
}

void signing_public_pem(const unsigned char key[SIGNING_PUBLIC_KEY_BYTES], char out[SIGNING_PEM_SIZE])
{
    unsigned char der[sizeof(spki_prefix) + SIGNING_PUBLIC_KEY_BYTES];
    char b64[sodium_base64_ENCODED_LEN(sizeof(der), sodium_base64_VARIANT_ORIGINAL)];
    memcpy(der, spki_prefix, sizeof(spki_prefix));
    memcpy(der + sizeof(spki_prefix), key, SIGNING_PUBLIC_KEY_BYTES);
    sodium_bin2base64(b64, sizeof(b64), der, sizeof(der), sodium_base64_VARIANT_ORIGINAL);
    snprintf(out, SIGNING_PEM_SIZE, "%s\n%s\n%s\n", pem_begin, b64, pem_end);
}

/* Decodes base64 of any variant (whitespace ignored) into exactly want bytes. */
static bool decode_exact(const char *text, size_t len, unsigned char *out, size_t want)
{
    static const int variants[] = {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
                                   sodium_base64_VARIANT_URLSAFE, sodium_base64_VARIANT_URLSAFE_NO_PADDING};
    unsigned char buf[128];
    for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
        size_t got = 0;
        const char *end = NULL;
        if (sodium_base642bin(buf, sizeof(buf), text, len, " \t\r\n", &got, &end, variants[i]) == 0 &&
            end == text + len && got == want) {
            memcpy(out, buf, want);
            return true;
        }
    }
    return false;
}

static const char *find_bytes(const char *hay, size_t hay_len, const char *needle, size_t needle_len)
{
    if (needle_len == 0 || hay_len < needle_len)
        return NULL;
    return memmem(hay, hay_len, needle, needle_len);
}

bool signing_public_key_parse(const char *text, size_t len, unsigned char out[SIGNING_PUBLIC_KEY_BYTES])
{
    if (text == NULL || len == 0 || len > SIGNED_KEY_TEXT_MAX_BYTES)
        return false;
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
        len--;
    while (len > 0 && (text[0] == '\n' || text[0] == '\r' || text[0] == ' ')) {
        text++;
        len--;
    }
    size_t begin_len = sizeof(pem_begin) - 1, end_len = sizeof(pem_end) - 1;
    if (len >= begin_len && memcmp(text, pem_begin, begin_len) == 0) {
        const char *body = text + begin_len;
        size_t rest = len - begin_len;
        const char *end = find_bytes(body, rest, pem_end, end_len);
        if (end == NULL || (size_t)(end - body) + end_len != rest)
            return false;
        unsigned char der[sizeof(spki_prefix) + SIGNING_PUBLIC_KEY_BYTES];
        if (!decode_exact(body, (size_t)(end - body), der, sizeof(der)) ||
            memcmp(der, spki_prefix, sizeof(spki_prefix)) != 0)
            return false;
        memcpy(out, der + sizeof(spki_prefix), SIGNING_PUBLIC_KEY_BYTES);
        return true;
    }
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' || text[i] == '\r')
            return false; /* a bare key is one line */
    return decode_exact(text, len, out, SIGNING_PUBLIC_KEY_BYTES);
}

bool signing_verify(const unsigned char key[SIGNING_PUBLIC_KEY_BYTES], const void *msg, size_t len,
                    const unsigned char sig[SIGNATURE_BYTES])
{
    return crypto_sign_verify_detached(sig, msg, len, key) == 0;
}

/* ---- the marker ---- */

size_t signed_marker_length(size_t facts_len)
{
    return sizeof(SIGNED_MARKER) - 1 +
           sodium_base64_ENCODED_LEN(facts_len, sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1 + 1 +
           sodium_base64_ENCODED_LEN(SIGNATURE_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1;
}

int signed_marker_write(const char *facts, size_t len, const unsigned char sig[SIGNATURE_BYTES], char *out,
                        size_t out_size)
{
    if (len > SIGNED_FACTS_MAX_BYTES || out_size < signed_marker_length(len) + 1)
        return -1;
    size_t o = sizeof(SIGNED_MARKER) - 1;
    memcpy(out, SIGNED_MARKER, o);
    sodium_bin2base64(out + o, out_size - o, (const unsigned char *)facts, len,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    o += strlen(out + o);
    out[o++] = '.';
    sodium_bin2base64(out + o, out_size - o, sig, SIGNATURE_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return 0;
}

static bool is_base64url(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* The marker's body at p (after SIGNED_MARKER): facts "." signature; its length in *body_len. */
static bool marker_body(const unsigned char *p, const unsigned char *end, size_t *facts_b64, size_t *body_len)
{
    const unsigned char *q = p;
    while (q < end && is_base64url(*q))
        q++;
    *facts_b64 = (size_t)(q - p);
    if (q == end || *q != '.')
        return false;
    q++;
    while (q < end && is_base64url(*q))
        q++;
    *body_len = (size_t)(q - p);
    return true;
}

enum signed_extract signed_marker_extract(const unsigned char *bytes, size_t len, char *facts, size_t facts_size,
                                          size_t *facts_len, unsigned char sig[SIGNATURE_BYTES])
{
    static const size_t marker_len = sizeof(SIGNED_MARKER) - 1;
    const unsigned char *end = bytes + len, *first = NULL;
    size_t first_len = 0, first_facts = 0;
    const unsigned char *p = bytes;
    *facts_len = 0;
    if (facts_size < SIGNED_FACTS_MAX_BYTES + 1)
        return SIGNED_MALFORMED;
    while (p < end) {
        const unsigned char *hit =
            (const unsigned char *)find_bytes((const char *)p, (size_t)(end - p), SIGNED_MARKER, marker_len);
        if (hit == NULL)
            break;
        const unsigned char *body = hit + marker_len;
        size_t facts_b64 = 0, body_len = 0;
        if (!marker_body(body, end, &facts_b64, &body_len))
            return SIGNED_MALFORMED;
        if (first == NULL) {
            first = body;
            first_len = body_len;
            first_facts = facts_b64;
        } else if (body_len != first_len || memcmp(body, first, body_len) != 0) {
            return SIGNED_AMBIGUOUS;
        }
        p = body + body_len;
    }
    if (first == NULL)
        return SIGNED_NONE;
    size_t got = 0, sig_len = 0;
    const char *stop = NULL;
    if (sodium_base642bin((unsigned char *)facts, SIGNED_FACTS_MAX_BYTES, (const char *)first, first_facts, NULL,
                          &got, &stop, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        stop != (const char *)first + first_facts)
        return SIGNED_MALFORMED;
    const char *sig_text = (const char *)first + first_facts + 1;
    size_t sig_text_len = first_len - first_facts - 1;
    if (sodium_base642bin(sig, SIGNATURE_BYTES, sig_text, sig_text_len, NULL, &sig_len, &stop,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        stop != sig_text + sig_text_len || sig_len != SIGNATURE_BYTES)
        return SIGNED_MALFORMED;
    facts[got] = '\0';
    *facts_len = got;
    return signed_facts_valid(facts, got) ? SIGNED_FOUND : SIGNED_MALFORMED;
}

/* ---- facts ---- */

bool signed_facts_valid(const char *text, size_t len)
{
    static const size_t header_len = sizeof(SIGNED_FACTS_HEADER) - 1;
    if (text == NULL || len > SIGNED_FACTS_MAX_BYTES || len < header_len + 1 ||
        memcmp(text, SIGNED_FACTS_HEADER "\n", header_len + 1) != 0 || !utf8_valid(text, len))
        return false;
    size_t i = header_len + 1;
    while (i < len) {
        size_t name = 0;
        while (i < len && ((text[i] >= 'a' && text[i] <= 'z') || text[i] == '_')) {
            i++;
            name++;
        }
        if (name == 0 || i == len || text[i] != '=')
            return false;
        for (i++; i < len && text[i] != '\n'; i++)
            if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
                return false;
        if (i == len)
            return false; /* every line ends in "\n" */
        i++;
    }
    return true;
}

bool signed_facts_get(const char *text, size_t len, const char *name, char *out, size_t out_size)
{
    size_t name_len = strlen(name);
    size_t i = 0;
    while (i < len) {
        const char *line = text + i;
        const char *nl = memchr(line, '\n', len - i);
        size_t line_len = nl != NULL ? (size_t)(nl - line) : len - i;
        if (line_len > name_len && memcmp(line, name, name_len) == 0 && line[name_len] == '=') {
            size_t value_len = line_len - name_len - 1;
            if (value_len + 1 > out_size)
                return false;
            memcpy(out, line + name_len + 1, value_len);
            out[value_len] = '\0';
            return true;
        }
        i += line_len + 1;
    }
    return false;
}
