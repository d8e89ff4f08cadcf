/* request_specs.h — the field specs the JSON endpoints parse their bodies with,
 * exported so that the route table can point at them (route .request) and the
 * OpenAPI document can describe each body from the very spec that checks it. */
#ifndef ROUNDS_API_REQUEST_SPECS_H
#define ROUNDS_API_REQUEST_SPECS_H

#include "lib/json_spec.h"

extern const struct json_field api_agreement_terminate_spec[]; /* agreement_terminate.c */
extern const struct json_field api_agreements_post_spec[]; /* agreements_post.c */
extern const struct json_field api_application_action_spec[]; /* application_action.c */
extern const struct json_field api_application_documents_post_spec[]; /* application_documents_post.c */
extern const struct json_field api_applications_post_spec[]; /* applications_post.c */
extern const struct json_field api_auth_confirm_spec[]; /* auth_confirm.c */
extern const struct json_field api_auth_login_spec[]; /* auth_login.c */
extern const struct json_field api_auth_password_reset_confirm_spec[]; /* auth_password_reset_confirm.c */
extern const struct json_field api_auth_password_reset_spec[]; /* auth_password_reset.c */
extern const struct json_field api_auth_register_spec[]; /* auth_register.c */
extern const struct json_field api_auth_second_factor_spec[]; /* auth_second_factor.c */
extern const struct json_field api_bank_transfers_post_spec[]; /* bank_transfers_post.c */
extern const struct json_field api_block_patch_spec[]; /* block_patch.c */
extern const struct json_field api_blocks_post_spec[]; /* blocks_post.c */
extern const struct json_field api_certificate_revoke_spec[]; /* certificate_revoke.c */
extern const struct json_field api_check_ins_post_spec[]; /* check_ins_post.c */
extern const struct json_field api_checkout_post_spec[]; /* checkout_post.c */
extern const struct json_field api_deletion_request_complete_spec[]; /* deletion_request_complete.c */
extern const struct json_field api_document_reject_spec[]; /* document_reject.c */
extern const struct json_field api_document_verify_spec[]; /* document_verify.c */
extern const struct json_field api_evaluation_addendum_post_spec[]; /* evaluation_addendum_post.c */
extern const struct json_field api_evaluation_post_spec[]; /* evaluation_post.c */
extern const struct json_field api_feedback_post_spec[]; /* feedback_post.c */
extern const struct json_field api_goodwill_post_spec[]; /* goodwill_post.c */
extern const struct json_field api_hours_confirm_week_spec[]; /* hours_confirm_week.c */
extern const struct json_field api_hours_review_spec[]; /* hours_review.c */
extern const struct json_field api_letter_accept_spec[]; /* letter_action.c */
extern const struct json_field api_letter_author_spec[]; /* letter_author.c */
extern const struct json_field api_letter_decline_spec[]; /* letter_action.c */
extern const struct json_field api_letter_delivered_spec[]; /* letter_action.c */
extern const struct json_field api_letter_patch_spec[]; /* letter_patch.c */
extern const struct json_field api_letters_post_spec[]; /* letters_post.c */
extern const struct json_field api_match_round_action_spec[]; /* match_round_action.c */
extern const struct json_field api_match_round_block_post_spec[]; /* match_round_blocks.c */
extern const struct json_field api_match_round_ranking_put_spec[]; /* match_round_ranking.c */
extern const struct json_field api_match_rounds_post_spec[]; /* match_rounds_post.c */
extern const struct json_field api_me_deletion_request_post_spec[]; /* me_deletion_request.c */
extern const struct json_field api_me_patch_spec[]; /* me_patch.c */
extern const struct json_field api_me_school_leave_spec[]; /* me_schools.c */
extern const struct json_field api_me_two_factor_post_spec[]; /* me_two_factor.c */
extern const struct json_field api_messages_post_spec[]; /* messages_post.c */
extern const struct json_field api_notifications_read_all_spec[]; /* notifications.c */
extern const struct json_field api_organizations_post_spec[]; /* organizations_post.c */
extern const struct json_field api_payouts_post_spec[]; /* payouts_post.c */
extern const struct json_field api_preceptor_invitation_accept_spec[]; /* preceptor_invitations.c */
extern const struct json_field api_preceptor_invitations_post_spec[]; /* preceptor_invitations.c */
extern const struct json_field api_preceptor_verify_spec[]; /* preceptor_verify.c */
extern const struct json_field api_preceptors_post_spec[]; /* preceptors_post.c */
extern const struct json_field api_readiness_targets_put_spec[]; /* readiness_targets_put.c */
extern const struct json_field api_requirements_post_spec[]; /* requirements_post.c */
extern const struct json_field api_review_hide_spec[]; /* review_hide.c */
extern const struct json_field api_review_post_spec[]; /* review_post.c */
extern const struct json_field api_review_reply_spec[]; /* review_reply.c */
extern const struct json_field api_saved_searches_post_spec[]; /* saved_searches_post.c */
extern const struct json_field api_school_invitation_accept_spec[]; /* school_invitation_accept.c */
extern const struct json_field api_school_invitations_post_spec[]; /* school_invitations_post.c */
extern const struct json_field api_school_join_spec[]; /* school_join.c */
extern const struct json_field api_school_patch_spec[]; /* school_patch.c */
extern const struct json_field api_school_student_action_spec[]; /* school_student_action.c */
extern const struct json_field api_site_patch_spec[]; /* site_patch.c */
extern const struct json_field api_sites_post_spec[]; /* sites_post.c */
extern const struct json_field api_student_coach_put_spec[]; /* student_coach_put.c */
extern const struct json_field api_teaching_certificate_post_spec[]; /* teaching_certificate_post.c */
extern const struct json_field api_test_clock_spec[]; /* test_hooks.c */
extern const struct json_field api_ticket_action_spec[]; /* ticket_action.c */
extern const struct json_field api_ticket_reply_spec[]; /* ticket_reply.c */
extern const struct json_field api_tickets_post_spec[]; /* tickets_post.c */
extern const struct json_field api_two_factor_code_spec[]; /* me_two_factor.c */
extern const struct json_field api_user_two_factor_reset_spec[]; /* user_two_factor_reset.c */
extern const struct json_field api_users_post_spec[]; /* users_post.c */
extern const struct json_field api_visa_letter_post_spec[]; /* visa_letter_post.c */

/* A route that takes no body (whatever is sent is ignored): its .request, so
 * that the document says so rather than leaving the body undescribed. */
extern const struct json_field api_no_body[];
/* The {action} routes whose body depends on the action: the specs they may take. */
extern const struct json_field *const api_letter_action_specs[];

#endif
