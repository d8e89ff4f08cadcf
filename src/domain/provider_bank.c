/* provider_bank.c — bank transfer: nothing to call. The checkout shows the
 * amount, the account details (ROUNDS_BANK_TRANSFER_DETAILS) and a unique
 * reference; staff record each transfer that arrives (any amount: partial
 * payments add up, an excess is owed back), and send refunds by transfer
 * themselves, marking them sent. */
#include "domain/payment_provider.h"

const struct payment_provider payment_provider_bank = {
    .method = PAYMENT_BANK_TRANSFER,
    .pays_at_once = false,
    .refunds_by_hand = true,
    .collect = NULL,
    .give_back = NULL,
};
