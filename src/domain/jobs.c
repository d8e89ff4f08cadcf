/* jobs.c — the background jobs thread; see jobs.h. */
#include "domain/jobs.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/agreements.h"
#include "domain/alerts.h"
#include "domain/messages.h"
#include "domain/applications.h"
#include "domain/catalog.h"
#include "domain/catalog_index.h"
#include "domain/check_ins.h"
#include "domain/deletions.h"
#include "domain/documents.h"
#include "domain/letters.h"
#include "domain/money.h"
#include "domain/evaluations.h"
#include "domain/notify.h"
#include "domain/rotation_calendar.h"
#include "domain/support.h"
#include "lib/metrics.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/mail.h"
#include "store/applications.h"

static struct jobs_config config;
static pthread_t thread;
static atomic_bool running, stopping;

/* A mail is tried MAIL_MAX_ATTEMPTS times, 30 s, 1 min, 2 min … up to an
 * hour apart (about a day in all), then given up. */
enum { MAIL_LEASE_SECONDS = 120, MAIL_BATCH = 20, MAIL_MAX_BACKOFF = 3600, MAIL_MAX_ATTEMPTS = 30, SCRUB_BATCH = 100 };

static int deliver_mail(struct db_conn *conn, struct arena *arena, struct jobs_report *report)
{
    for (int i = 0; i < MAIL_BATCH; i++) {
        struct store_mail mail;
        int64_t now = clock_now();
        int rc = store_outbox_claim(conn, arena, now, MAIL_LEASE_SECONDS, &mail);
        if (rc == DB_DONE)
            return DB_OK;
        if (rc != DB_ROW)
            return rc;
        struct mail_message m = {mail.id, config.mail_from, mail.to_address, mail.subject, mail.body};
        char error[256] = "", to_hash[65];
        notify_address_hash(mail.to_address, to_hash);
        if (mail_send(config.smtp_url, config.maildir, &m, error, sizeof(error)) == 0) {
            store_outbox_sent(conn, mail.id, to_hash, clock_now());
            report->mail_sent++;
        } else if (mail.attempts >= MAIL_MAX_ATTEMPTS) {
            /* Given up: the body (and any link in it) goes, the audit stays. */
            store_outbox_gave_up(conn, mail.id, to_hash, error, clock_now());
            report->mail_failed++;
            log_warn("msg=\"mail given up\" mail_id=%s attempts=%lld error=\"%s\"", mail.id, (long long)mail.attempts,
                     error);
        } else {
            /* 30 s, 1 min, 2 min … up to an hour between attempts. */
            int64_t backoff = 30;
            for (int64_t a = 1; a < mail.attempts && backoff < MAIL_MAX_BACKOFF; a++)
                backoff *= 2;
            if (backoff > MAIL_MAX_BACKOFF)
                backoff = MAIL_MAX_BACKOFF;
            store_outbox_failed(conn, mail.id, clock_now() + backoff, error);
            report->mail_failed++;
            log_warn("msg=\"mail delivery failed\" mail_id=%s attempts=%lld error=\"%s\"", mail.id,
                     (long long)mail.attempts, error);
            return DB_OK; /* the server is probably down: try the rest later */
        }
    }
    return DB_OK;
}

/* Reminders are counted in days: the thread looks for due ones this often,
 * not every round (the test hook always does). */
enum { REMINDERS_EVERY_SECONDS = 60 };

/* Clears the address and body of delivered or failed mail written before
 * they were cleared on delivery (an older database). */
static int scrub_mail(struct db_conn *conn, struct arena *arena)
{
    struct store_mail *items = NULL;
    size_t count = 0;
    int rc = store_outbox_unscrubbed(conn, arena, SCRUB_BATCH, &items, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        char to_hash[65];
        notify_address_hash(items[i].to_address, to_hash);
        rc = store_outbox_scrub(conn, items[i].id, to_hash);
    }
    return rc;
}

static int run_round(struct db_conn *conn, struct arena *arena, struct jobs_report *report, bool reminders)
{
    int rc = application_expire_due(conn, arena, &report->expired);
    if (rc == DB_OK && reminders) {
        /* Balances are counted in days, like the reminders. */
        struct money_jobs_report money = {0};
        rc = money_run_jobs(conn, arena, &money);
        report->balance_reminders = money.reminders;
        report->balances_released = money.released;
        report->refunds_sent = money.refunds_sent;
        report->refunds_failed = money.refunds_failed;
    }
    /* Alerts after the expiries (a lapsed hold may open a seat), before delivery (their emails leave now). */
    struct alerts_report alerts = {0};
    if (rc == DB_OK)
        rc = alerts_run(conn, arena, &alerts);
    report->alert_events += alerts.events;
    report->alert_notices += alerts.notices;
    report->alert_emails += alerts.emails;
    /* Reminders before delivery, so that their mail leaves in the same round. */
    if (rc == DB_OK && reminders)
        rc = documents_send_reminders(conn, arena, &report->document_reminders) == 0 ? DB_OK : DB_ERROR;
    if (rc == DB_OK && reminders)
        rc = letters_send_reminders(conn, arena, &report->letter_reminders) == 0 ? DB_OK : DB_ERROR;
    if (rc == DB_OK && reminders) {
        int unverified = 0; /* licences that expired since yesterday */
        rc = catalog_preceptors_expire(conn, arena, &unverified);
        if (rc == DB_OK && unverified > 0)
            catalog_index_sync(conn);
        /* The calendar counts in days too. */
        struct rotation_calendar_report cal = {0};
        if (rc == DB_OK)
            rc = rotation_calendar_run(conn, arena, &cal);
        report->rotations_started = cal.started;
        report->rotations_completed = cal.completed;
        report->not_cleared_alerts = cal.not_cleared_alerts;
        report->hours_reminders = cal.hours_reminders;
    }
    if (rc == DB_OK && reminders)
        rc = evaluations_send_reminders(conn, arena, &report->evaluation_reminders);
    if (rc == DB_OK && reminders)
        rc = check_ins_prompt(conn, arena, &report->check_in_prompts);
    /* Agreements end by the day; each expiry and reminder claims its row, so one instance does it. */
    if (rc == DB_OK && reminders)
        rc = agreements_run_jobs(conn, arena, &report->agreements_expired, &report->agreement_reminders);
    /* Deletion requests fall due by the day; each claims its row, so one instance erases it. */
    if (rc == DB_OK && reminders)
        rc = deletions_complete_due(conn, arena, &report->accounts_erased);
    if (rc == DB_OK)
        rc = tickets_escalate(conn, arena, &report->tickets_escalated); /* due times count in minutes */
    if (rc == DB_OK) /* before delivery, so that digests leave in the same round */
        rc = messages_send_digests(conn, arena, &report->message_digests);
    if (rc == DB_OK)
        rc = deliver_mail(conn, arena, report);
    if (rc == DB_OK)
        rc = scrub_mail(conn, arena);
    int64_t now = clock_now();
    if (rc == DB_OK)
        rc = store_idempotency_prune(conn, now - 24 * 3600);
    if (rc == DB_OK && config.session_idle_seconds > 0)
        rc = store_session_prune(conn, now - config.session_idle_seconds, now - config.session_absolute_seconds);
    if (rc == DB_OK)
        rc = store_login_failure_prune(conn, now - 3600);
    if (rc == DB_OK)
        rc = store_password_reset_prune(conn, now - 24 * 3600);
    if (rc == DB_OK)
        rc = store_email_confirmation_prune(conn, now - 24 * 3600);
    if (rc == DB_OK)
        rc = store_rate_events_prune(conn, now - 24 * 3600);
    metrics_count(METRIC_JOB_ROUNDS, 1);
    metrics_count(METRIC_JOB_EXPIRED, (uint64_t)report->expired);
    metrics_count(METRIC_MAIL_SENT, (uint64_t)report->mail_sent);
    metrics_count(METRIC_MAIL_FAILED, (uint64_t)report->mail_failed);
    if (rc != DB_OK)
        metrics_count(METRIC_JOB_ROUNDS_FAILED, 1);
    return rc == DB_OK ? 0 : -1;
}

int jobs_run_once(struct db_conn *conn, struct arena *arena, struct jobs_report *report)
{
    return run_round(conn, arena, report, true);
}

static void *jobs_main(void *arg)
{
    (void)arg;
    struct db_conn *conn = NULL;
    int64_t reminders_at = 0; /* when this thread last looked for due reminders */
    while (!atomic_load(&stopping)) {
        if (conn == NULL && db_open(config.db_target, &conn) != DB_OK)
            conn = NULL;
        if (conn != NULL) {
            struct arena arena;
            arena_heap_init(&arena);
            struct jobs_report report = {0};
            int64_t now = clock_now();
            bool reminders = now - reminders_at >= REMINDERS_EVERY_SECONDS || now < reminders_at;
            if (reminders)
                reminders_at = now;
            int failed = run_round(conn, &arena, &report, reminders);
            if (failed != 0)
                log_warn("msg=\"background jobs failed this round\"");
            else if (report.expired > 0 || report.mail_sent > 0 || report.rotations_started > 0 ||
                     report.rotations_completed > 0)
                log_info("msg=jobs expired=%d mail_sent=%d started=%d completed=%d", report.expired, report.mail_sent,
                         report.rotations_started, report.rotations_completed);
            arena_heap_free(&arena);
        }
        /* Sleep in small steps so that shutdown is quick. */
        for (int waited = 0; waited < config.interval_ms && !atomic_load(&stopping); waited += 100) {
            struct timespec pause = {0, 100 * 1000000L};
            nanosleep(&pause, NULL);
        }
    }
    db_close(conn);
    return NULL;
}

int jobs_start(const struct jobs_config *c)
{
    config = *c;
    if (config.mail_from == NULL)
        config.mail_from = "Rounds <no-reply@rounds.invalid>";
    mail_global_init();
    atomic_store(&stopping, false);
    if (config.interval_ms <= 0)
        return 0;
    if (pthread_create(&thread, NULL, jobs_main, NULL) != 0)
        return -1;
    atomic_store(&running, true);
    return 0;
}

void jobs_stop(void)
{
    if (!atomic_load(&running))
        return;
    atomic_store(&stopping, true);
    pthread_join(thread, NULL);
    atomic_store(&running, false);
}
