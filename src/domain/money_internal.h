/* money_internal.h — what the money files (money*.c) share, and the demo
 * seed (demo_money.c) that replays a booking's money with them: the postings
 * of each business event, refunds back the way the money came, and small
 * helpers. Everything here runs inside the caller's database
 * transaction and returns a db_status; a domain refusal is DB_CONSTRAINT with
 * err set. */
#ifndef ROUNDS_DOMAIN_MONEY_INTERNAL_H
#define ROUNDS_DOMAIN_MONEY_INTERNAL_H

#include "domain/applications.h"
#include "domain/money.h"


/* A new id with prefix into the arena ("p_", "rf_", "ck_", "po_"). */
const char *money_new_id(struct arena *arena, const char *prefix);
/* Today's date into the arena. */
const char *money_today(struct arena *arena);

/* A payment that arrived, with what it was for. */
struct money_arrival {
    enum payment_method method;
    int64_t amount_cents;      /* what arrived */
    int64_t expected_cents;    /* what was asked (0: nothing was) */
    const char *checkout_id;   /* NULL for a payment by hand */
    const char *provider_ref;  /* Stripe's PaymentIntent, so that refunds can go back */
    const char *received_on;   /* NULL: today */
    const char *recorded_by;   /* staff, or NULL for a provider */
    const char *note;
    bool may_book;             /* book a held seat once the deposit is covered */
};
/* Records the payment against the application: the part within the price
 * counts as paid, any excess is owed back (a refund through the same
 * provider). A held seat whose deposit is now covered is booked. */
int money_receive(struct db_conn *conn, struct arena *arena, const char *application_id,
                  const struct money_arrival *arrival, struct store_payment *out, struct error *err);

/* Gives amount back to the student (reason "policy", "goodwill" or
 * "overpayment"), spread over the application's payments newest first, each
 * part through the provider that took it. The demo provider sends at once;
 * the others leave it owed (the jobs thread sends Stripe's, staff the rest).
 * The ledger side (refunds_payable credited) is the caller's. */
int money_refund_back(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                      int64_t amount_cents, const char *reason, const char *note, const char *actor_id,
                      const char *only_payment_id);

/* A refund the provider (or staff) sent: the ledger entry and the row marked sent.
 * DB_DONE when it was already sent. */
int money_refund_sent(struct db_conn *conn, struct arena *arena, const struct store_refund *refund,
                      const char *provider_ref, const char *sent_by);

/* Tells the student about money (in the app and by email). */
void money_tell_student(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                        const char *kind, const char *title);

#endif
