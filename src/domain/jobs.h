/* jobs.h — the background work of `rounds serve`: expiring offers and holds
 * (the sweeper), the money's reminders, releases of unpaid balances and
 * Stripe refunds (domain/money.h), moving rotations by the calendar, delivering the email outbox
 * with retries and backoff, and
 * pruning idempotency keys, sessions and old login failures. Every step
 * claims its rows in the database (conditional updates), so any number of
 * instances can run it without doing a job twice. */
#ifndef ROUNDS_DOMAIN_JOBS_H
#define ROUNDS_DOMAIN_JOBS_H

#include <stdint.h>

#include "lib/arena.h"
#include "store/db.h"

struct jobs_config {
    const char *db_target;
    const char *maildir;       /* where mail goes without SMTP */
    const char *smtp_url;      /* ROUNDS_SMTP_URL, or NULL */
    const char *mail_from;
    int interval_ms;
    int64_t session_idle_seconds, session_absolute_seconds;
};

struct jobs_report {
    int expired, mail_sent, mail_failed, document_reminders, letter_reminders;
    int balance_reminders, balances_released, refunds_sent, refunds_failed;
    int alert_events, alert_notices, alert_emails; /* catalog events read, notices and emails they gave */
    /* the rotation's calendar (domain/rotation_calendar.h) */
    int rotations_started, rotations_completed, not_cleared_alerts, hours_reminders;
    int evaluation_reminders; /* preceptors reminded to evaluate a completed rotation */
    /* support (domain/check_ins.h, domain/support.h) */
    int check_in_prompts, tickets_escalated;
    int message_digests; /* digest emails of unread messages (domain/messages.h) */
    int accounts_erased; /* deletion requests completed at their due date (domain/deletions.h) */
    int agreements_expired, agreement_reminders; /* affiliation agreements (domain/agreements.h) */
};

int jobs_start(const struct jobs_config *config);
void jobs_stop(void);
/* One round of every job on conn, reminders included (the test hook; the
 * thread looks for due reminders once a minute). */
int jobs_run_once(struct db_conn *conn, struct arena *arena, struct jobs_report *report);

#endif
