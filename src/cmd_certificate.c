/* cmd_certificate.c — `rounds certificate verify FILE.pdf --key KEY`: checks
 * a Rounds document offline, with no account and no database. The signed
 * facts travel inside the PDF (lib/signed_document.h); KEY is the public key
 * as served at /.well-known/rounds-signing-key (PEM) or its 32 bytes in
 * base64. Prints the verdict and the signed facts.
 *
 * Exit codes: 0 genuine, 1 a file cannot be read, 2 usage, 4 KEY is not an
 * Ed25519 public key, 6 not genuine (no Rounds facts in the file, facts or
 * signature altered, or signed with another key). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "domain/certificates.h"
#include "lib/signed_document.h"

/* A document is a PDF of at most this many bytes. */
#define CERTIFICATE_FILE_MAX_BYTES (16u * 1024 * 1024)

static const char certificate_usage[] =
    "usage: rounds certificate verify FILE.pdf --key KEY\n"
    "\n"
    "Checks a certificate or letter Rounds issued, offline: the facts signed inside the PDF and their\n"
    "Ed25519 signature against KEY, the public key from /.well-known/rounds-signing-key (PEM, or the\n"
    "32 bytes in base64). Revocation is not visible offline: the output names the page that shows it.\n"
    "\n"
    "Exit codes: 0 genuine, 1 a file cannot be read, 2 usage, 4 KEY is not an Ed25519 public key,\n"
    "6 not genuine (no Rounds facts in the file, altered facts or signature, or another key).\n";

/* Reads a whole file of at most max bytes; NULL with a message on stderr. */
static char *read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "rounds certificate verify: cannot open %s\n", path);
        return NULL;
    }
    char *data = malloc(max + 1);
    size_t got = data != NULL ? fread(data, 1, max + 1, f) : 0;
    bool failed = data == NULL || ferror(f);
    fclose(f);
    if (failed || got > max) {
        fprintf(stderr, "rounds certificate verify: cannot read %s%s\n", path,
                failed ? "" : ": larger than a Rounds document can be");
        free(data);
        return NULL;
    }
    data[got] = '\0';
    *len = got;
    return data;
}

static void print_facts(const char *facts, size_t facts_len)
{
    char kind[64] = "", number[64] = "", url[1024] = "";
    struct arena arena;
    arena_heap_init(&arena);
    signed_facts_get(facts, facts_len, "kind", kind, sizeof(kind));
    signed_facts_get(facts, facts_len, "number", number, sizeof(number));
    signed_facts_get(facts, facts_len, "verify_url", url, sizeof(url));
    printf("%s %s\n", certificate_heading(kind), number);
    struct certificate_fact *shown;
    size_t count = 0;
    if (certificate_facts_shown(&arena, facts, &shown, &count) == 0)
        for (size_t i = 0; i < count; i++)
            printf("  %s: %s\n", shown[i].label, shown[i].value);
    if (url[0] != '\0')
        printf("Revocation is not visible offline: see %s\n", url);
    arena_heap_free(&arena);
}

/* The verdict on a file's bytes against a key: the exit code. */
static int verify_bytes(const unsigned char *bytes, size_t len, const unsigned char key[SIGNING_PUBLIC_KEY_BYTES])
{
    static char facts[SIGNED_FACTS_MAX_BYTES + 1];
    unsigned char sig[SIGNATURE_BYTES];
    size_t facts_len = 0;
    switch (signed_marker_extract(bytes, len, facts, sizeof(facts), &facts_len, sig)) {
    case SIGNED_NONE:
        puts("NOT GENUINE: the file carries no facts signed by Rounds");
        return EXIT_NOT_GENUINE;
    case SIGNED_MALFORMED:
        puts("NOT GENUINE: the signed facts in the file are damaged");
        return EXIT_NOT_GENUINE;
    case SIGNED_AMBIGUOUS:
        puts("NOT GENUINE: the file carries two different sets of facts (it was altered after it was issued)");
        return EXIT_NOT_GENUINE;
    case SIGNED_FOUND:
        break;
    }
    if (!signing_verify(key, facts, facts_len, sig)) {
        puts("NOT GENUINE: the signature does not match the facts and this key (altered, or signed by another key)");
        return EXIT_NOT_GENUINE;
    }
    char key_id[SIGNING_KEY_ID_SIZE];
    signing_key_id(key, key_id);
    printf("GENUINE: the facts below are signed by the Rounds key %s\n", key_id);
    print_facts(facts, facts_len);
    return EXIT_OK;
}

static int verify(const char *pdf_path, const char *key_path)
{
    size_t key_len = 0, pdf_len = 0;
    unsigned char key[SIGNING_PUBLIC_KEY_BYTES];
    char *key_text = read_file(key_path, SIGNED_KEY_TEXT_MAX_BYTES, &key_len);
    if (key_text == NULL)
        return EXIT_FAILURE_RUNTIME;
    bool key_ok = signing_public_key_parse(key_text, key_len, key);
    free(key_text);
    if (!key_ok) {
        fprintf(stderr, "rounds certificate verify: %s is not an Ed25519 public key (PEM, or 32 bytes in base64)\n",
                key_path);
        return EXIT_INVALID_INPUT;
    }
    char *pdf = read_file(pdf_path, CERTIFICATE_FILE_MAX_BYTES, &pdf_len);
    if (pdf == NULL)
        return EXIT_FAILURE_RUNTIME;
    int rc = verify_bytes((const unsigned char *)pdf, pdf_len, key);
    free(pdf);
    return rc;
}

int command_certificate(int argc, char **argv)
{
    if (argc >= 2 && command_wants_help(argv[1])) {
        fputs(certificate_usage, stdout);
        return EXIT_OK;
    }
    if (argc < 2 || strcmp(argv[1], "verify") != 0) {
        fputs(certificate_usage, stderr);
        return EXIT_USAGE;
    }
    const char *file = NULL, *key = NULL;
    for (int i = 2; i < argc; i++) {
        if (command_wants_help(argv[i])) {
            fputs(certificate_usage, stdout);
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
            key = argv[++i];
        } else if (strncmp(argv[i], "--", 2) != 0 && file == NULL) {
            file = argv[i];
        } else {
            fprintf(stderr, "rounds certificate verify: unexpected argument '%s'\n", argv[i]);
            fputs(certificate_usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (file == NULL || key == NULL) {
        fputs(certificate_usage, stderr);
        return EXIT_USAGE;
    }
    return verify(file, key);
}
