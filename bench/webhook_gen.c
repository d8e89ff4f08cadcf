/* webhook_gen.c — writes signed Stripe webhook deliveries for the payments
 * part of the benchmark: for n = FROM … TO, the event "checkout.session.completed"
 * of the Checkout Session cs_paybench_n of checkout ck_paybench_n (an open
 * Stripe checkout that scripts/bench.sh prepared in the database), paying
 * AMOUNT cents, signed now with SECRET as Stripe does
 * (lib/stripe_signature.c, checked in the tests against Stripe's own library).
 *
 *   webhook_gen --secret S --from 1 --to 20000 --amount 30000 > deliveries.txt
 *
 * One line per delivery: "<Stripe-Signature header>\t<JSON body>". */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/stripe_signature.h"

int main(int argc, char **argv)
{
    const char *secret = NULL;
    long from = 1, to = 0, amount = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--secret") == 0)
            secret = argv[i + 1];
        else if (strcmp(argv[i], "--from") == 0)
            from = strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--to") == 0)
            to = strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--amount") == 0)
            amount = strtol(argv[i + 1], NULL, 10);
    }
    if (secret == NULL || from < 1 || to < from || amount <= 0 || sodium_init() < 0) {
        fprintf(stderr, "usage: webhook_gen --secret S --from N --to N --amount CENTS\n");
        return 2;
    }
    long long now = (long long)time(NULL);
    char body[1024], header[256];
    for (long n = from; n <= to; n++) {
        int len = snprintf(body, sizeof(body),
                           "{\"id\":\"evt_paybench_%ld\",\"object\":\"event\",\"api_version\":\"2024-06-20\","
                           "\"created\":%lld,\"data\":{\"object\":{\"id\":\"cs_paybench_%ld\",\"object\":"
                           "\"checkout.session\",\"amount_total\":%ld,\"currency\":\"usd\",\"client_reference_id\":"
                           "\"ck_paybench_%ld\",\"mode\":\"payment\",\"payment_intent\":\"pi_paybench_%ld\","
                           "\"payment_status\":\"paid\",\"status\":\"complete\"}},\"livemode\":false,"
                           "\"pending_webhooks\":1,\"type\":\"checkout.session.completed\"}",
                           n, now, n, amount, n, n);
        stripe_signature_header(body, (size_t)len, secret, now, header, sizeof(header));
        printf("%s\t%s\n", header, body);
    }
    return 0;
}
