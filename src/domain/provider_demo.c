/* provider_demo.c — the demo provider: a checkout is paid the moment it
 * starts and a refund is sent the moment it is owed, with no money moving
 * anywhere. Offered only when no real provider is configured and the public
 * URL is not https (payments.c), so that `make run` can show the whole
 * journey. */
#include "domain/payment_provider.h"

const struct payment_provider payment_provider_demo = {
    .method = PAYMENT_DEMO,
    .pays_at_once = true,
    .refunds_by_hand = false,
    .collect = NULL,
    .give_back = NULL,
};
