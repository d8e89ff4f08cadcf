/* openapi_schemas.c — the JSON objects the API replies with, each described
 * once as a component schema of the OpenAPI document (api/openapi.c). Written
 * in a short notation expanded here, one row per kind, next to the writer it
 * describes:
 *
 *   "!id:s,name:s?,seats:i,roles:[s],block:Block,created_at:t"
 *
 * a field per comma; '!' marks a field every reply has (listed in
 * "required"); types: s string, i integer, n number, b boolean, d a date,
 * t an instant (RFC 3339, or null for never), o object, a array, * anything,
 * a capitalised name another component, [x] an array of x; a trailing '?'
 * also allows null. Objects allow fields not listed (replies may grow). A row
 * starting with '{' is a JSON Schema written out. */
#include <string.h>

#include "api/openapi_schemas.h"

struct component {
    const char *name;
    const char *fields;
};

static const struct component components[] = {
    /* http_reply_error / http_reply_problem */
    {"Problem", "!type:s,!title:s,!status:i,!code:s,detail:s,field:s?"},
    /* api_write_user */
    {"User", "!id:s,!email:s,!name:s,!created_at:t,!email_confirmed:b,!roles:[s],!memberships:[Membership],"
             "!time_zone:s?,profile:o"},
    {"Membership", "!organization_id:s,!organization_name:s,!organization_kind:s,!role:s"},
    /* api_reply_session (register, login, second factor) */
    {"Session", "!user:User,!token:s,!csrf_token:s,second_factor_enrolment_required:b"},
    {"SecondFactorChallenge", "!second_factor_required:b,!challenge:s,!expires_in:i"},
    {"Login", "{\"oneOf\":[{\"$ref\":\"#/components/schemas/Session\"},"
              "{\"$ref\":\"#/components/schemas/SecondFactorChallenge\"}]}"},
    /* api_write_catalog_hit, GET /api/v1/offerings */
    {"CatalogHit", "!id:s,!title:s,!specialty:s,!kind:s,!host:o,!weeks:i,!tuition_cents:i,!currency:s,"
                   "!preceptor_verified:b,!next_block:o?,seats_left:i,reviews:o"},
    {"SearchPage", "!items:[CatalogHit],!next_cursor:s?,!total:i,!facets:o"},
    /* api_write_offering */
    {"Offering", "!id:s,!title:s,!specialty:s,!kind:s,!setting:s?,!status:s,!weeks:i,!hours_per_week:i,!host:o,"
                 "!site:o,preceptor:o?,!currency:s,!tuition_cents:i,!application_fee_cents:i,deposit_cents:i,"
                 "refund_policy:RefundPolicy,eligibility:o,description:s?,first_day:s?,first_day_instructions:FirstDay,"
                 "!blocks:[o],requirements:a"},
    {"FirstDay", "!address:s,!time:s,!ask_for:s,!dress_code:s,!transport:s,!bring:s"},
    {"RefundPolicy", "!tiers:[o],fixed_rules:o"},
    /* catalog_common.c */
    {"Block", "!id:s,!offering_id:s,!start:d,!end:d,!seats:i,!seats_taken:i,!seats_reserved:i,!seats_left:i"},
    {"Organization", "!id:s,!name:s,!kind:s"},
    {"Site", "!id:s,!organization_id:s,!name:s,address:s?,!city:s,!state:s,!zip:s,!time_zone:s,!created_at:t"},
    {"Preceptor", "!id:s,!organization_id:s,user_id:s?,!name:s,email:s?,npi:s?,specialty:s?,license_state:s?,"
                  "license_number:s?,license_expires:s?,board_status:s?,!verified:b,!created_at:t"},
    {"Specialty", "!slug:s"},
    /* api_write_application */
    {"Application", "!id:s,!status:s,!seat_held:b,!student:o,!offering:o,!host:o,!block:o,coach:o?,statement:s?,"
                    "offer_expires_at:t,hold_expires_at:t,!created_at:t,!updated_at:t,history:[ApplicationEvent]"},
    {"ApplicationEvent", "!action:s,from:s?,!to:s,!by:o,note:s?,!at:t"},
    /* api_write_document, api_write_requirement */
    {"Document", "!id:s,!kind:s,!kind_name:s,!state:s,!state_label:s,!file_name:s,!media_type:s,!size:i,"
                 "reject_reason:s?,reviewed_at:t,!current:b,replaced_at:t,!created_at:t,!updated_at:t,student:o,"
                 "versions:[o]"},
    {"Requirement", "!id:s,!organization_id:s,!source:s,!kind:s,!kind_name:s,issued_within_days:i?"},
    /* alerts_json.c */
    {"SavedSearch", "!id:s,!name:s,!filters:o,!email_alerts:b,search_link:s,!created_at:t"},
    {"WaitlistEntry", "!id:s,!block_id:s,!offering_id:s,offering_title:s,start:d,end:d,!position:i,ahead:i,"
                      "!status:s,application_id:s?,student:o"},
    /* letters_json.c */
    {"Letter", "!id:s,!state:s,!state_label:s,author:o,!waived:b,versions:i,student:o,role:s"},
    /* money_json.c */
    {"Checkout", "!id:s,!application_id:s,!method:s,!amount_cents:i,!currency:s,!status:s,redirect_url:s?,"
                 "bank_transfer:o?"},
    {"Payment", "!id:s,!application_id:s,checkout_id:s?,!method:s,!amount_cents:i,!currency:s,received_on:s?,note:s?"},
    {"Refund", "!id:s,!application_id:s,payment_id:s?,!method:s,!amount_cents:i,!currency:s,reason:s?,note:s?,!status:s,"
               "student:o,last_error:s?"},
    {"Statement", "!application_id:s,!status:s,!currency:s,!price_cents:i,!paid_cents:i,!balance_cents:i,payments:[Payment],"
                  "refunds:[Refund]"},
    {"Payouts", "!month:s,!currency:s,!items:[o],total_owed_cents:i"},
    {"Payout", "!id:s,!organization_id:s,!month:s,!amount_cents:i,!currency:s,note:s?,sent_at:t"},
    {"Earnings", "!organization_id:s,!month:s,!currency:s,!earned_cents:i,!paid_out_cents:i,!lines:[o]"},
    {"WebhookReceived", "!received:b,outcome:s"},
    /* rotation_json.c */
    {"HoursEntry", "!id:s,!application_id:s,!date:d,!hours:*,!setting:s,activities:s?,patients_seen:i?,!state:s,"
                   "review_note:s?"},
    {"HoursLog", "!application_id:s,!status:s,!items:[HoursEntry],totals:o"},
    {"Coach", "!id:s,!name:s,!email:s,active_students:i"},
    /* messages_json.c */
    {"Message", "!id:s,!application_id:s,!sender:o,!body:s,document:o?,!mine:b,!created_at:t"},
    {"MessageThread", "!application_id:s,!unread:i,!messages:[Message]"},
    {"Unread", "!unread:i"},
    /* support_json.c */
    {"CheckIn", "!id:s,!application_id:s,!week_start:d,!score:i,!needs_help:b,activities:s?,ticket_id:s?"},
    {"Ticket", "!id:s,!requester:o,!breached:*"},
    /* evaluations_json.c */
    {"Evaluation", "!application_id:s,!submitted:b,evaluator:o?,scores:o?,strengths:s?,improvements:s?,addenda:[o]"},
    {"Review", "!id:s,!offering_id:s,!ratings:o,body:s?,!verified_rotation:b,reply:o?,hidden:b"},
    /* certificates_json.c */
    {"Certificate", "!number:s,!kind:s,application_id:s?,!revoked:b,revoke_reason:s?,!facts:*,pdf:s,verify_url:s"},
    {"VisaLetter", "!application_id:s,!state:s,passport_name:s?,nationality:s?,consulate_city:s?,letter:Certificate?"},
    /* deletions_json.c */
    {"DeletionRequest", "!id:s,!state:s,age_days:i,user:o"},
    /* schools_json.c */
    {"SchoolLink", "!school:o,!student:o,!status:s,!status_label:s"},
    {"InviteReport", "!lines:i,!invited:i,!already:[i],!held:i,!held_lines:[i],!problems:[o]"},
    /* match_rounds_json.c */
    {"MatchRound", "!id:s,!school:o,!name:s,!mode:s,!status:s,!status_label:s,deadline:t,blocks:[o]"},
    /* the smaller replies, written by their endpoint */
    {"Health", "!status:s"},
    {"OpenApiDocument", "!openapi:s,!info:o,!paths:o,!components:o"},
    {"Accepted", "!detail:s"},
    {"Confirmed", "!user:User,!newly_confirmed:b"},
    {"TwoFactorSetup", "!secret:s,!otpauth_uri:s"},
    {"TwoFactorEnabled", "!enabled:b,!recovery_codes:[s]"},
    {"CalendarFeed", "!active:b"},
    {"CalendarFeedCreated", "!url:s,!token:s"},
    {"PreceptorInvitation", "!id:s,!preceptor_id:s,!sent_to:s,!created_at:t,!expires_at:t"},
    {"AttachedDocuments", "!application_id:s,!document_ids:[s]"},
    {"Compliance", "!application_id:s,!status:s,!all_ok:b,!items:[o]"},
    {"WeekConfirmed", "!confirmed:i,!log:HoursLog"},
    {"FeedbackSubmitted", "!submitted:b"},
    {"FeedbackSummary", "!students_at_least:i,!shown:b"},
    {"Reviews", "!count:i,!average:n?,!items:[Review]"},
    {"Teaching", "!year:i,preceptor:o,certificate_available:b"},
    {"Verification", "!number:s,!status:s,!kind:s,facts:o"},
    {"Readiness", "!items:[o]"},
    {"ReadinessTargets", "!letters:i,!letters_us:i,!usce_weeks:i"},
    {"Notifications", "!unread:i,!items:[Notification],!next_cursor:s?"},
    {"Notification", "!id:s,!kind:s,!title:s,!link:s,!created_at:t,!read:b,!count:i"},
    {"Marked", "!marked:i"},
    {"TicketFigures", "!days:i,!tickets:i,!responded:i"},
    {"TicketThread", "!ticket:Ticket,!events:[o]"},
    {"CoachDashboard", "!coach:Coach?,!counts:o,!students:[o]"},
    {"StudentCoach", "!student_id:s,!coach:Coach?"},
    {"AuditEvent", "!id:i,!at:t,actor_id:s?,!action:s,!object_type:s,object_id:s?,detail:s?,!action_label:s,"
                   "actor_name:s?,actor_role:s?,object_label:s?,detail_label:s?"},
    {"SchoolInvitation", "!id:s,email:s,created_at:t,expires_at:t"},
    {"HeldInvitation", "!id:s,!email:s,!name:s,graduation_year:i?,!uploaded_at:t,!sent_if_confirmed_by:t"},
    {"SchoolStudent", "!link:SchoolLink"},
    {"School", "!id:s,!name:s,!kind:s,!home_approval:b"},
    /* api_write_agreement */
    {"Agreement", "!id:s,!host:Party,!school:Party,!start_date:d,!end_date:d,!status:s,!status_label:s,"
                  "!proposed_side:s,!proposed_by:Party,!signed_file:o?,!termination_reason:s,!activated_at:t,"
                  "!terminated_at:t,!created_at:t,!updated_at:t"},
    {"Party", "!id:s,!name:s?"},
    {"MatchRoundSummary", "!id:s,!name:s,!school:o,!mode:s,!status:s,deadline:t,!students_count:i,!blocks_count:i,!seats:i"},
    {"MatchInstance", "{\"type\":\"object\"}"},
    {"HostRanking", "!block_id:s,!ranking:o"},
    /* bodies read by hand (route .request_schema) */
    {"StripeEvent", "!id:s,!type:s,!data:o"},
    {"HostRankingBody", "{\"oneOf\":[{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"type\"],"
                        "\"properties\":{\"type\":{\"const\":\"lottery\"}}},{\"type\":\"object\","
                        "\"additionalProperties\":false,\"required\":[\"type\",\"order\"],\"properties\":{\"type\":"
                        "{\"const\":\"list\"},\"order\":{\"type\":\"array\",\"items\":{\"oneOf\":[{\"type\":"
                        "\"string\"},{\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"string\"}}]}}}}]}"},
    {"TestClock", "!offset_seconds:i,!now:t"},
    {"TestJobs", "!expired:i,!mail_sent:i,!mail_failed:i"},
    {"TwoFactorStatus", "!enabled:b,!pending:b,!required:b,!recovery_codes_left:i"},
};

static const char *ref_prefix = "{\"$ref\":\"#/components/schemas/";

/* Writes the schema of one type token [s, e) of the notation. */
static void write_type_token(struct buf *b, const char *s, const char *e)
{
    bool nullable = e > s && e[-1] == '?';
    if (nullable)
        e--;
    size_t len = (size_t)(e - s);
    if (len >= 2 && s[0] == '[' && e[-1] == ']') {
        buf_appendf(b, "{\"type\":%s,\"items\":", nullable ? "[\"array\",\"null\"]" : "\"array\"");
        write_type_token(b, s + 1, e - 1);
        buf_append_char(b, '}');
        return;
    }
    if (len > 1 && s[0] >= 'A' && s[0] <= 'Z') {
        if (nullable)
            buf_append_str(b, "{\"oneOf\":[{\"type\":\"null\"},");
        buf_append_str(b, ref_prefix);
        buf_append(b, s, len);
        buf_append_str(b, nullable ? "\"}]}" : "\"}");
        return;
    }
    static const struct {
        char code;
        const char *type, *extra;
    } types[] = {
        {'s', "string", ""}, {'i', "integer", ""}, {'n', "number", ""}, {'b', "boolean", ""},
        {'d', "string", ",\"format\":\"date\""}, {'o', "object", ""}, {'a', "array", ""},
    };
    if (len == 1 && s[0] == 't') {
        buf_append_str(b, "{\"type\":[\"string\",\"null\"],\"format\":\"date-time\"}");
        return;
    }
    for (size_t i = 0; len == 1 && i < sizeof(types) / sizeof(types[0]); i++) {
        if (types[i].code != s[0])
            continue;
        if (nullable)
            buf_appendf(b, "{\"type\":[\"%s\",\"null\"]%s}", types[i].type, types[i].extra);
        else
            buf_appendf(b, "{\"type\":\"%s\"%s}", types[i].type, types[i].extra);
        return;
    }
    buf_append_str(b, "{}"); /* '*': anything */
}

/* {"type":"object","properties":{…},"required":[…]} from the notation. */
static void write_fields(struct buf *b, const char *fields)
{
    buf_append_str(b, "{\"type\":\"object\",\"properties\":{");
    bool first = true;
    for (const char *p = fields; *p != '\0';) {
        const char *end = strchr(p, ',');
        if (end == NULL)
            end = p + strlen(p);
        const char *name = *p == '!' ? p + 1 : p;
        const char *colon = memchr(name, ':', (size_t)(end - name));
        if (colon != NULL) {
            buf_append_str(b, first ? "\"" : ",\"");
            buf_append(b, name, (size_t)(colon - name));
            buf_append_str(b, "\":");
            write_type_token(b, colon + 1, end);
            first = false;
        }
        p = *end == ',' ? end + 1 : end;
    }
    buf_append_str(b, "},\"required\":[");
    first = true;
    for (const char *p = strchr(fields, '!'); p != NULL; p = strchr(p + 1, '!')) {
        const char *colon = strchr(p, ':');
        if (colon == NULL)
            break;
        buf_append_str(b, first ? "\"" : ",\"");
        buf_append(b, p + 1, (size_t)(colon - p - 1));
        buf_append_char(b, '"');
        first = false;
    }
    buf_append_str(b, "]}");
}

void openapi_write_component_schemas(struct buf *b)
{
    for (size_t i = 0; i < sizeof(components) / sizeof(components[0]); i++) {
        if (i > 0)
            buf_append_char(b, ',');
        buf_append_json_string(b, components[i].name);
        buf_append_char(b, ':');
        if (components[i].fields[0] == '{')
            buf_append_str(b, components[i].fields);
        else
            write_fields(b, components[i].fields);
    }
}

