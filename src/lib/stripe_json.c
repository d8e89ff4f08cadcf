/* stripe_json.c — the fields Rounds reads from Stripe's JSON; see
 * stripe_json.h. */
#include "lib/stripe_json.h"

#include <jansson.h>
#include <string.h>

/* A copy of object[key] when it is a string of at most max bytes, else NULL. */
static const char *text(struct arena *arena, json_t *object, const char *key, size_t max)
{
    json_t *value = json_object_get(object, key);
    if (!json_is_string(value) || json_string_length(value) > max)
        return NULL;
    return arena_strndup(arena, json_string_value(value), json_string_length(value));
}

static json_t *load(const char *body, size_t len)
{
    if (body == NULL)
        return NULL;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
    if (root != NULL && !json_is_object(root)) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static enum stripe_event_kind event_kind(const char *type)
{
    static const struct {
        const char *type;
        enum stripe_event_kind kind;
    } kinds[] = {
        {"checkout.session.completed", STRIPE_EVENT_SESSION_COMPLETED},
        {"checkout.session.async_payment_succeeded", STRIPE_EVENT_SESSION_ASYNC_SUCCEEDED},
        {"checkout.session.expired", STRIPE_EVENT_SESSION_EXPIRED},
    };
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i].type, type) == 0)
            return kinds[i].kind;
    return STRIPE_EVENT_OTHER;
}

int stripe_event_parse(struct arena *arena, const char *body, size_t len, struct stripe_event *out,
                       const char **why)
{
    memset(out, 0, sizeof(*out));
    json_t *root = load(body, len);
    int rc = -1;
    if (root == NULL) {
        *why = "the body is not a JSON object";
        goto out;
    }
    out->id = text(arena, root, "id", STRIPE_ID_MAX_BYTES);
    out->type = text(arena, root, "type", STRIPE_ID_MAX_BYTES);
    json_t *object = json_object_get(json_object_get(root, "data"), "object");
    if (out->id == NULL || out->id[0] == '\0') {
        *why = "the event has no id";
        goto out;
    }
    if (out->type == NULL) {
        *why = "the event has no type";
        goto out;
    }
    if (!json_is_object(object)) {
        *why = "the event has no data.object";
        goto out;
    }
    out->kind = event_kind(out->type);
    out->session_id = text(arena, object, "id", STRIPE_ID_MAX_BYTES);
    out->checkout_ref = text(arena, object, "client_reference_id", STRIPE_ID_MAX_BYTES);
    if (out->checkout_ref == NULL)
        out->checkout_ref = text(arena, json_object_get(object, "metadata"), "checkout_id", STRIPE_ID_MAX_BYTES);
    out->payment_intent = text(arena, object, "payment_intent", STRIPE_ID_MAX_BYTES);
    out->currency = text(arena, object, "currency", STRIPE_ID_MAX_BYTES);
    const char *payment_status = text(arena, object, "payment_status", STRIPE_ID_MAX_BYTES);
    out->paid = payment_status != NULL && strcmp(payment_status, "paid") == 0;
    json_t *amount = json_object_get(object, "amount_total");
    out->has_amount = json_is_integer(amount);
    out->amount_cents = out->has_amount ? (int64_t)json_integer_value(amount) : 0;
    rc = 0;
out:
    json_decref(root);
    return rc;
}

int stripe_session_reply_parse(struct arena *arena, const char *body, size_t len, const char **id,
                               const char **url)
{
    json_t *root = load(body, len);
    *id = text(arena, root, "id", STRIPE_ID_MAX_BYTES);
    *url = text(arena, root, "url", STRIPE_URL_MAX_BYTES);
    json_decref(root);
    if (*url != NULL && strncmp(*url, "https://", 8) != 0 && strncmp(*url, "http://", 7) != 0)
        *url = NULL;
    return *id != NULL && (*id)[0] != '\0' && *url != NULL ? 0 : -1;
}

int stripe_refund_reply_parse(struct arena *arena, const char *body, size_t len, const char **id,
                              const char **status)
{
    json_t *root = load(body, len);
    *id = text(arena, root, "id", STRIPE_ID_MAX_BYTES);
    *status = text(arena, root, "status", STRIPE_ID_MAX_BYTES);
    json_decref(root);
    return *id != NULL && (*id)[0] != '\0' ? 0 : -1;
}

const char *stripe_error_message(struct arena *arena, const char *body, size_t len)
{
    json_t *root = load(body, len);
    const char *message = text(arena, json_object_get(root, "error"), "message", STRIPE_MESSAGE_MAX_BYTES);
    json_decref(root);
    return message;
}
