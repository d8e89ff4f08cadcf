/* web.h — the server-rendered pages (one file each in src/web/) and what they share. */
#ifndef ROUNDS_WEB_WEB_H
#define ROUNDS_WEB_WEB_H

#include "domain/vocabulary.h"
#include "http/request.h"
#include "views/html.h"

/* 303 to prefix + id (URL-escaped) + "?done=" + done: the page that shows
 * what a POST did ("/wallet/", "d_…", "uploaded"). */
void web_redirect_done(struct http_request *req, const char *prefix, const char *id, const char *done);
/* The same with suffix after the id: ("/applications/", "a_…", "/evaluation", "submitted"). */
void web_redirect_done_at(struct http_request *req, const char *prefix, const char *id, const char *suffix,
                          const char *done);
/* A refused POST on a student's rotation page: 404 ("This rotation does not
 * exist, or it is not yours to see"), 503 and 500 are answered as error pages
 * and it returns true; anything else is left to the caller (the page again,
 * with the form as typed) and it returns false. */
bool web_rotation_refused_as_page(struct http_request *req, enum error_code code);
/* 404 "This link no longer works": a single-use link (email confirmation,
 * password reset) that is used, expired or replaced; explanation is trusted
 * HTML, the paragraphs that say why and what to do. */
void web_page_link_expired(struct http_request *req, const char *explanation);
/* Fills the layout's fields for this request (signed-in name, CSRF token);
 * loads the user into *user when signed in and user is not NULL. Returns
 * false when the user could not be loaded (already replied). */
bool web_page_setup(struct http_request *req, struct view_page *page, const char *title, struct store_user *user);
/* The signed-in user of a page that needs one (the session's, else read
 * again): false, having answered 503, when it cannot be read, a user gone
 * meanwhile included (web_current_user answers that with 401). */
bool web_signed_in_user(struct http_request *req, struct store_user *out);
/* web_page_setup for a staff page: false, having answered 404 (and audited
 * the attempt), for anyone else. */
bool web_staff_page_setup(struct http_request *req, struct view_page *page, const char *title,
                          struct store_user *user);
/* The navigation's unread messages over every thread (and the newest's thread), read again
 * by a page that has just marked a thread read. */
void web_page_count_messages(struct http_request *req, struct view_page *page, const char *user_id);
struct store_application;
/* Loads the application user may see into *a (domain/applications.h); else
 * replies 404 ("not yours to see" is audited, with purpose) or 503 and
 * returns false. */
bool web_application_visible(struct http_request *req, const struct store_user *user, const char *id,
                             const char *purpose, struct store_application *a);
/* The error summary at the top of a page whose form came back refused: the
 * message, linked to its input (id "f-<field>") when field is not NULL; the
 * page opens at it. */
void web_error_summary(struct buf *b, const char *field, const char *message);
/* Paging a list newest first by key (web/pager.c): the cursor of
 * ?<name>=<key>.<id> (the last item of the page before). */
struct web_cursor {
    bool set;       /* false on the first page */
    int64_t key;    /* the last item's sort key (a time) */
    const char *id; /* and its id */
};
/* Reads the cursor ?name= (absent: not set); -1 after a 400 page naming
 * the parameter when it is not a cursor. */
int web_cursor_read(struct http_request *req, const char *name, struct web_cursor *out);
struct web_pager {
    const char *label;    /* the nav's aria-label: "Pages of your match rounds" */
    const char *what;     /* the links' words: "Newest rounds", "Older rounds" */
    const char *path;     /* the page's address, query included ("/school?school=s_1") */
    const char *name;     /* the cursor's parameter */
    const char *fragment; /* "#rounds-heading", or NULL */
    const struct web_cursor *at;
    bool more;            /* there are older items than this page's */
    int64_t last_key;     /* this page's last item */
    const char *last_id;
};
/* The nav with "Newest …" (on a later page) and "Older …" (when more), or nothing. */
void web_pager_nav(struct buf *b, const struct web_pager *p);
/* The errors of one submission of a page's form, each naming its field (the
 * input "f-<field>") with a whole sentence: the page shows them all at once. */
enum { WEB_FORM_MAX_ERRORS = 8 };
struct web_form_errors {
    struct error items[WEB_FORM_MAX_ERRORS];
    size_t count;
};
/* Records a problem of field (the first one per field is kept). */
void web_form_error_add(struct web_form_errors *errors, const char *field, const char *sentence);
/* The sentence for field, or NULL when it has no problem. */
const char *web_form_error_for(const struct web_form_errors *errors, const char *field);
/* The error summary of every recorded problem, each linked to its input. */
void web_form_error_summary(struct buf *b, struct arena *arena, const char *intro,
                            const struct web_form_errors *errors);
/* Installs the HTML error page into the HTTP layer. */
void web_install_error_page(void);

void web_asset_css(struct http_request *req);
void web_page_home(struct http_request *req);
extern const char *const web_register_params[]; /* next (a path on this site) */
void web_page_register(struct http_request *req);
void web_page_register_post(struct http_request *req);
extern const char *const web_login_params[]; /* next (a path on this site), done */
void web_page_login(struct http_request *req);
void web_page_login_post(struct http_request *req);
void web_page_login_second_factor_post(struct http_request *req);
/* The login form again (page_login.c), with a notice or an error message. */
void web_login_render(struct http_request *req, int status, const char *email, const char *next,
                      const char *notice, const char *message);
/* Where a login goes: next when it is a path on this site, else /account. */
const char *web_after_login(const char *next);
/* What the login form says for a refused attempt ("Too many failed attempts. Try again in 8 seconds."). */
const char *web_login_message(struct http_request *req, const struct error *err, int64_t retry_after);
/* After the right password on /login: a session and a redirect to next, the
 * code form (an account with a second factor), or enrolment (a role that
 * requires one). */
void web_after_password(struct http_request *req, const struct store_user *user, const char *next);
extern const char *const web_two_factor_params[]; /* done */
void web_page_two_factor(struct http_request *req);
void web_page_two_factor_start(struct http_request *req);
void web_page_two_factor_confirm(struct http_request *req);
void web_page_two_factor_disable(struct http_request *req);
void web_page_staff_two_factor(struct http_request *req);
/* page_account_delete.c: the account page's "Delete your account" card, the
 * confirmation page and its POSTs; page_staff_deletions.c: staff's list. */
void web_deletion_card(struct http_request *req, struct buf *b, const struct store_user *user, const char *csrf);
void web_page_account_delete(struct http_request *req);
void web_page_account_delete_post(struct http_request *req);
void web_page_account_delete_cancel(struct http_request *req);
extern const char *const web_staff_deletions_params[];
void web_page_staff_deletions(struct http_request *req);
void web_page_staff_deletion_complete(struct http_request *req);
void web_page_staff_two_factor_reset(struct http_request *req);
void web_page_password_forgot(struct http_request *req);
void web_page_password_forgot_post(struct http_request *req);
void web_page_password_reset(struct http_request *req);
void web_page_password_reset_post(struct http_request *req);
extern const char *const web_account_params[]; /* confirm, deletion, next, saved */
void web_page_account(struct http_request *req);
void web_page_account_post(struct http_request *req);
/* ---- email confirmation (page_confirm.c) ---- */
void web_page_confirm(struct http_request *req);
void web_page_confirm_post(struct http_request *req);
void web_page_confirm_resend(struct http_request *req);
/* The account page's welcome while the address is not confirmed: confirm
 * (with "Send the link again"; status "sent"/"limited" after it), then the
 * next steps. */
void web_confirm_welcome(struct buf *b, const char *csrf_token, const struct store_user *user, const char *status);
/* The apply section's "confirm your email address first", with the button. */
void web_confirm_notice(struct buf *b, const char *csrf_token, const struct store_user *user);
/* page_calendar.c: the account page's "Your calendar" card, and its two buttons. */
void web_calendar_card(struct http_request *req, struct buf *b, const struct store_user *user, const char *csrf);
void web_page_calendar_issue(struct http_request *req);
void web_page_calendar_revoke(struct http_request *req);
/* page_account_time_zone.c: the account page's "Time zone" card (its select
 * as sent and its error when form is not NULL), and its POST. */
struct web_time_zone_form {
    const char *typed, *error;
};
void web_time_zone_card(struct http_request *req, struct buf *b, const struct store_user *user, const char *csrf,
                        const struct web_time_zone_form *form);
void web_page_account_time_zone_post(struct http_request *req);
/* page_account.c: the account page (400) with a refused time zone in its
 * error summary and card. */
void web_account_render_time_zone(struct http_request *req, const struct store_user *user,
                                  const struct web_time_zone_form *form);
void web_page_logout_post(struct http_request *req);
void web_page_host(struct http_request *req);
void web_page_host_offering_new(struct http_request *req);
void web_page_host_offering_create(struct http_request *req);
void web_page_host_offering_edit(struct http_request *req);
void web_page_host_offering_save(struct http_request *req);
void web_page_host_block_create(struct http_request *req);
void web_page_host_block_save(struct http_request *req);
void web_page_search(struct http_request *req);
void web_page_preceptor_invite(struct http_request *req);
void web_page_preceptor_invite_accept(struct http_request *req);
struct store_letter;
void web_page_letter_author(struct http_request *req);
/* The staff form that confirms who wrote a letter asked by name and email (POST /staff/letters/{id}/author). */
void web_letter_author_form(struct buf *b, const struct store_letter *l, const char *csrf, const char *npi,
                            const char *error);
void web_page_offering(struct http_request *req);
extern const char *const web_offering_params[];
struct catalog_hit;
/* A search result's card (<li>); back (or NULL): the search's query string, which
 * the offering page's "Back to the search" returns to. */
void web_search_card(struct buf *b, const struct catalog_hit *hit, const char *back);
extern const char *const web_search_params[];

/* ---- saved searches, favourites, waitlists (page_saved.c, page_unsubscribe.c, page_waitlist.c) ---- */
extern const char *const web_saved_params[];
extern const char *const web_favourite_params[];
void web_page_saved(struct http_request *req);
void web_page_saved_search_post(struct http_request *req);
void web_page_saved_search_delete(struct http_request *req);
void web_page_favourite_post(struct http_request *req);
void web_page_unsubscribe(struct http_request *req);
void web_page_unsubscribe_post(struct http_request *req);
void web_page_waitlist_join(struct http_request *req);
void web_page_waitlist_leave(struct http_request *req);
/* What the offering page says after a waitlist button (?waitlist=NAME), or NULL for an unknown name. */
const char *web_waitlist_outcome_text(const char *name);

/* ---- money (money_views.c and the money pages) ---- */

struct refund_policy;
/* The policy as "If you cancel | You get back" rows for a block starting
 * start_day, having paid paid_cents (fee_cents of it the platform fee). */
void web_refund_table(struct buf *b, const struct refund_policy *policy, int32_t start_day, int64_t paid_cents,
                      int64_t fee_cents, const char *caption);
/* The rules no host can change, in one sentence. */
void web_refund_rules(struct buf *b);
struct money_view;
struct store_application;
/* The application page's "Payment" card: price, paid, still due, refunds,
 * "if you cancel today", the way to pay, and for staff a goodwill refund form. */
void web_money_card(struct buf *b, const struct store_application *a, const struct money_view *v, bool student,
                    bool staff, const char *csrf_token);

extern const char *const web_checkout_params[];
extern const char *const web_payouts_params[];
extern const char *const web_earnings_params[];
extern const char *const web_staff_payments_params[];
void web_page_checkout(struct http_request *req);
void web_page_checkout_post(struct http_request *req);
void web_page_checkout_status(struct http_request *req);
void web_page_cancel(struct http_request *req);
void web_page_goodwill_post(struct http_request *req);
void web_page_payments(struct http_request *req);
void web_page_receipt(struct http_request *req);
void web_page_staff_payments(struct http_request *req);
void web_page_staff_transfer_post(struct http_request *req);
void web_page_staff_refund_sent(struct http_request *req);
void web_page_staff_payouts(struct http_request *req);
void web_page_staff_payout_post(struct http_request *req);
void web_page_host_earnings(struct http_request *req);

/* ---- applications and bookings (page_apply.c, page_applications.c,
 * page_application.c, page_notifications.c, page_audit.c) ---- */

/* What the offering page's "Apply" form shows again after a refusal. */
struct web_apply_form {
    const char *block_id, *statement;
    struct web_form_errors fields; /* each field's problem ("block_id", "statement") */
    const char *error;             /* a refusal of the whole form, in plain words, or NULL */
    bool profile_link;             /* the refusal is the profile: link to /account */
};
/* The offering page with its Apply form in the given state (NULL: empty). */
void web_offering_render(struct http_request *req, int status, const char *offering_id,
                         const struct web_apply_form *apply);

/* <span class="status status-action">Offer made</span>: the status in words,
 * with a class per kind of status (waiting, action, good, closed). */
void web_application_status(struct buf *b, enum application_status status);
/* The signed-in viewer's time zone ("Asia/Kolkata"), NULL when they have not
 * chosen one (or are signed out): pages then write UTC and say so. */
const char *web_viewer_time_zone(const struct http_request *req);
/* An instant in the viewer's time zone, "Dec 2, 2026, 10:20 EST" (a zone
 * without a name for its time: "… 20:50 UTC+5:30"); "… 15:20 UTC" without one. */
void web_write_instant(const struct http_request *req, struct buf *b, int64_t t);

extern const char *const web_applications_params[];
extern const char *const web_application_params[];
extern const char *const web_audit_params[];
extern const char *const web_staff_user_params[];

void web_page_apply_post(struct http_request *req);
void web_page_applications(struct http_request *req);
void web_page_application(struct http_request *req);
void web_page_application_action(struct http_request *req);
void web_page_notifications(struct http_request *req);
void web_page_notification_read(struct http_request *req);
void web_page_notification_open(struct http_request *req);
void web_page_notifications_read_all(struct http_request *req);
void web_page_audit(struct http_request *req);
void web_page_staff_user(struct http_request *req);

/* ---- the document wallet, compliance, staff's verification queue, host requirements ---- */
extern const char *const web_staff_documents_params[];
void web_page_wallet(struct http_request *req);
void web_page_wallet_upload(struct http_request *req);
void web_page_wallet_document(struct http_request *req);
void web_page_wallet_replace(struct http_request *req);
void web_page_wallet_delete(struct http_request *req);
void web_page_document_file(struct http_request *req);
void web_page_compliance(struct http_request *req);
/* The checklist of an application with an error at its top (a refused clearance). */
void web_compliance_render(struct http_request *req, int status, const char *id, const char *error);
void web_page_compliance_attach(struct http_request *req);
void web_page_staff_documents(struct http_request *req);
void web_page_staff_document(struct http_request *req);
void web_page_staff_document_review(struct http_request *req);
void web_page_host_requirements(struct http_request *req);
void web_page_host_requirement_add(struct http_request *req);
void web_page_host_requirement_delete(struct http_request *req);

/* Query parameters of the document pages ("done" carries the notice after a POST). */
extern const char *const web_wallet_params[];            /* kind (preselected in the upload form), done */
extern const char *const web_wallet_document_params[];   /* done */
extern const char *const web_compliance_params[];        /* done */
extern const char *const web_host_requirements_params[]; /* organization_id, done */

/* What the document pages share (page_wallet.c). */
struct store_document;
struct error;
/* The signed-in user of a POST (false: already replied). */
bool web_current_user(struct http_request *req, struct store_user *out);
/* "840 KB", "2.4 MB". */
void web_write_bytes(struct buf *b, int64_t bytes);
/* A labelled <select> of the document kinds in <optgroup>s by group; error
 * (or NULL) is shown under it and linked with aria-describedby. */
void web_document_kind_select(struct buf *b, const char *label, const char *name, const char *selected,
                              const char *error);
/* The document's state in words as a badge (uploaded, verified, rejected). */
void web_document_state(struct buf *b, enum document_state state);
/* " — expires in 12 days" / " — expired" after an expiry date (nothing when
 * it is more than 30 days away or there is none). */
void web_document_expiry_warning(struct buf *b, const char *expires_on);
/* The fields of an upload form that went wrong: the values to show again
 * and each field's problem ("file", "kind", "issued_on", "expires_on"), or
 * error for the whole form. */
struct web_upload_form {
    const char *kind, *issued_on, *expires_on;
    struct web_form_errors fields;
    const char *error;
};
/* The file input, kind select (unless kind_fixed) and the two dates. */
void web_document_upload_fields(struct http_request *req, struct buf *b, const struct web_upload_form *form,
                                bool kind_fixed);
/* The error summary of a refused upload (nothing when form has no error). */
void web_upload_error_summary(struct buf *b, struct arena *arena, const struct web_upload_form *form);
/* Adds a refused upload's problem to form, in words; returns the HTTP
 * status to answer with. */
int web_upload_refusal(struct http_request *req, const struct error *err, struct web_upload_form *form);
struct document_upload;
/* Every problem of an upload before it is tried (document_upload_problems,
 * and no file chosen), in words next to each field, the file asked for again
 * when another field failed: the status to answer with, or 0 when none. */
int web_upload_check(struct http_request *req, const struct http_part *file, const struct document_upload *upload,
                     struct web_upload_form *form);
/* The upload a form asks for: its kind and dates, and the name, declared
 * type and bytes of the file part (none when file is NULL). */
struct document_upload web_upload_of_form(const struct web_upload_form *form, const struct http_part *file);

/* ---- letters of recommendation and readiness (page_letters.c, page_letter.c,
 * page_letter_invite.c, page_staff_letters.c, page_readiness.c) ---- */

/* <span class="status status-good">Uploaded</span>: a letter's state in words. */
void web_letter_state(struct buf *b, enum letter_state state);
/* <dt>Rotation</dt><dd>…</dd>: the rotation a letter is asked for (title,
 * host, dates); nothing when it names none, or none that can be read. */
void web_letter_rotation(struct http_request *req, struct buf *b, const char *application_id);
/* A letter's ERAS Letter ID as <code>, or "None yet" (muted) before it has one. */
void web_letter_eras_id(struct buf *b, const struct store_letter *l);
/* An instant's date in the viewer's time zone (UTC without one), "Dec 2, 2026". */
void web_write_date(const struct http_request *req, struct buf *b, int64_t t);
/* A small POST form to /letters/{letter_id}/{action} (multipart when upload)
 * and its CSRF input, each tag followed by line_end ("\n" or ""); the caller
 * adds the fields and closes it. */
void web_letter_form_begin(struct buf *b, const char *letter_id, const char *action, const char *csrf, bool upload,
                           const char *line_end);
/* The PDF input of a letter's upload form (id "f-file"), its hint and error (or NULL). */
void web_letter_file_input(struct buf *b, const char *label, const char *error);
/* ?done=… after a POST on the letter, invitation and readiness pages. */
extern const char *const web_letter_done_params[];

void web_page_letters(struct http_request *req);
void web_page_letters_request(struct http_request *req);
void web_page_letter(struct http_request *req);
void web_page_letter_action(struct http_request *req);
void web_page_letter_upload(struct http_request *req);
void web_page_letter_file(struct http_request *req);
void web_page_letter_invite(struct http_request *req);
void web_page_letter_invite_action(struct http_request *req);
void web_page_letter_invite_upload(struct http_request *req);
void web_page_staff_letters(struct http_request *req);
/* page_staff_preceptors.c: staff verify NPI and licence (with its expiry). */
extern const char *const web_staff_preceptors_params[]; /* done */
void web_page_staff_preceptors(struct http_request *req);
void web_page_staff_preceptor_action(struct http_request *req);
void web_page_readiness(struct http_request *req);
void web_page_readiness_targets(struct http_request *req);

/* ---- partner schools and match rounds (page_school*.c, page_me_schools.c,
 * page_rounds*.c) ---- */
extern const char *const web_school_params[];         /* school, done, rounds_cursor */
extern const char *const web_school_student_params[]; /* school */
extern const char *const web_me_schools_params[];     /* done */
extern const char *const web_agreements_params[];     /* done, cursor */
/* page_agreements.c, page_agreement.c: affiliation agreements of hosts and schools. */
void web_page_agreements(struct http_request *req);
void web_page_agreements_post(struct http_request *req);
void web_page_agreement(struct http_request *req);
void web_page_agreement_activate(struct http_request *req);
void web_page_agreement_terminate(struct http_request *req);
void web_page_school(struct http_request *req);
void web_page_school_invite(struct http_request *req);
void web_page_school_student_action(struct http_request *req);
void web_page_school_student(struct http_request *req);
void web_page_me_schools(struct http_request *req);
void web_page_me_schools_ask(struct http_request *req);
void web_page_me_school_leave(struct http_request *req);
void web_page_school_invitation(struct http_request *req);
void web_page_school_invitation_accept(struct http_request *req);
/* Home approval (page_school_approvals.c): the dashboard's section and its forms. */
struct web_school_approval_error {
    const char *application_id, *message; /* the refusal whose note was refused */
    const char *note;                     /* what was typed, shown again */
};
void web_school_approvals_section(struct http_request *req, struct buf *b, const char *csrf_token,
                                  const struct store_user *user, const char *school_id,
                                  const struct web_school_approval_error *error);
/* The school's dashboard (page_school.c) with a status and an approvals error. */
void web_school_dashboard(struct http_request *req, int status, const char *school_asked, const char *done,
                          const struct web_school_approval_error *error);
void web_page_school_settings(struct http_request *req);
void web_page_school_application_action(struct http_request *req);
/* The school dashboard's section of match rounds, with the form that starts one. */
void web_school_rounds_section(struct http_request *req, struct buf *b, const char *csrf_token, const char *school_id,
                               const struct web_cursor *at);
void web_page_school_round_create(struct http_request *req);
void web_page_school_round(struct http_request *req);
void web_page_school_round_block_add(struct http_request *req);
void web_page_school_round_block_remove(struct http_request *req);
void web_page_school_round_action(struct http_request *req);
extern const char *const web_round_params[];      /* done */
extern const char *const web_host_round_params[]; /* done */
void web_page_rounds(struct http_request *req);
extern const char *const web_rounds_params[]; /* cursor */
/* A page of match rounds (web/page_rounds.c): at most MATCH_ROUNDS_SHOWN_MAX
 * of the filter's after the cursor, newest first; more when there are older. */
struct store_match_rounds_filter;
struct store_match_round;
struct web_rounds {
    struct store_match_round *items;
    size_t count;
    bool more;
};
int web_rounds_page(struct http_request *req, const struct store_match_rounds_filter *filter,
                    const struct web_cursor *at, struct web_rounds *out);
/* Its "Newest rounds" / "Older rounds" links: path + name=<cursor> + fragment. */
void web_rounds_pager(struct buf *b, const struct web_rounds *r, const struct web_cursor *at, const char *path,
                      const char *name, const char *fragment);
void web_page_round(struct http_request *req);
void web_page_round_save(struct http_request *req);
void web_page_host_rounds(struct http_request *req);
void web_page_host_round_block(struct http_request *req);
void web_page_host_round_block_save(struct http_request *req);

/* ---- the rotation: coaches, "Your rotation", the hours log (page_coach.c,
 * page_rotation.c, page_hours.c) ---- */
extern const char *const web_coach_params[];  /* coach_id (staff), done */
extern const char *const web_hours_params[];  /* done, edit */
/* Minutes as hours: 450 → "7.5", 465 → "7.75". */
void web_write_hours(struct buf *b, int64_t minutes);
void web_page_coach(struct http_request *req);
void web_page_student_coach(struct http_request *req);
void web_page_rotation(struct http_request *req);
void web_page_hours(struct http_request *req);
void web_page_hours_post(struct http_request *req);
void web_page_hours_confirm_week(struct http_request *req);
void web_page_hours_entry(struct http_request *req);
/* page_messages.c: the messages of an application's thread. */
extern const char *const web_messages_params[]; /* done */
void web_page_messages(struct http_request *req);
void web_page_messages_post(struct http_request *req);
void web_page_message_attachment(struct http_request *req);
/* "Messages (3 unread)": the link to an application's thread, as a paragraph. */
void web_messages_link(struct buf *b, const struct store_application *a, int64_t unread);

/* page_check_ins.c: the weekly check-ins of a rotation. */
extern const char *const web_check_ins_params[]; /* done, ticket */
void web_page_check_ins(struct http_request *req);
void web_page_check_ins_post(struct http_request *req);
/* page_tickets.c, page_ticket.c: support tickets. */
extern const char *const web_tickets_params[];    /* resolved */
extern const char *const web_ticket_new_params[]; /* application_id */
extern const char *const web_ticket_params[];     /* done */
/* Seconds as "2 h 5 min", "3 d 4 h", "45 min". */
void web_write_duration(struct buf *b, int64_t seconds);
void web_page_tickets(struct http_request *req);
void web_page_ticket_new(struct http_request *req);
void web_page_tickets_post(struct http_request *req);
void web_page_ticket(struct http_request *req);
void web_page_ticket_reply(struct http_request *req);
void web_page_ticket_action(struct http_request *req);

/* ---- signed documents (page_certificate.c, page_verify.c) ---- */
struct store_application;
/* The certificate panel of a completed application's page, and before it the
 * link to the visa letter of a booked one for those who may open it. */
void web_certificate_panel(struct http_request *req, struct buf *b, const struct store_application *a,
                           const struct store_user *user, const char *csrf_token);
void web_page_certificate_issue(struct http_request *req);
void web_page_certificate_pdf(struct http_request *req);
void web_page_verify(struct http_request *req);
void web_page_verify_form(struct http_request *req);
extern const char *const web_verify_params[]; /* number */

/* After the rotation (page_evaluation.c, page_review.c, page_reviews.c). */
extern const char *const web_evaluation_params[];   /* done */
extern const char *const web_review_params[];       /* done */
extern const char *const web_review_page_params[];  /* done */
void web_page_evaluation(struct http_request *req);
void web_page_evaluation_post(struct http_request *req);
void web_page_evaluation_addendum_post(struct http_request *req);
void web_page_review(struct http_request *req);
void web_page_review_post(struct http_request *req);
void web_page_feedback_post(struct http_request *req);
void web_page_review_one(struct http_request *req);
void web_page_review_reply_post(struct http_request *req);
void web_page_review_hide_post(struct http_request *req);
/* The preceptor's teaching record (page_teaching.c). */
extern const char *const web_teaching_params[]; /* year, done */
void web_page_teaching(struct http_request *req);
void web_page_teaching_certificate(struct http_request *req);
/* The B-1 visa invitation letter (page_visa_letter.c). */
extern const char *const web_visa_letter_params[]; /* done */
void web_page_visa_letter(struct http_request *req);
void web_page_visa_letter_post(struct http_request *req);
void web_page_visa_letter_approve(struct http_request *req);
/* The offering page's reviews card (user NULL: a visitor). */
void web_reviews_section(struct http_request *req, struct buf *b, const struct store_user *user,
                         const char *offering_id, const char *organization_id);

#endif
