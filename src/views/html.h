/* html.h — the page layout and form pieces. Every string that comes from a
 * user goes through buf_append_html; callers pass plain text, never markup. */
#ifndef ROUNDS_VIEWS_HTML_H
#define ROUNDS_VIEWS_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

struct view_page {
    const char *title;        /* "Log in" → "<title>Log in · Rounds</title>" */
    const char *user_name;    /* NULL when signed out */
    const char *csrf_token;   /* for the log-out form in the header */
    const char *current;      /* path of the page, to mark the navigation */
    int64_t unread;           /* unread notifications of the signed-in user ("Notifications (3)") */
    int64_t unread_messages;  /* unread messages over every thread ("Messages (3 unread)") */
    const char *messages_path; /* the thread of the newest unread message (with unread_messages > 0) */
    bool staff;               /* the signed-in user is staff: the audit trail is in the navigation */
    bool student;             /* wallet, letters and readiness in the navigation */
    bool author;              /* a preceptor: the letters asked of them */
    bool school_coordinator;  /* coordinates a school: its dashboard */
    bool host;                /* a host coordinator: its offerings, earnings and match rounds in the navigation */
    bool coach;               /* a coach: their students */
};

void view_page_begin(struct buf *b, const struct view_page *page);
void view_page_end(struct buf *b);

/* <p class="notice error" role="alert">message</p>, focused when the page opens. */
void view_alert(struct buf *b, const char *message);
void view_notice(struct buf *b, const char *message);
/* One entry of an error summary: the message, linked to the field's element
 * id ("f-email"; NULL: not linked). */
struct view_field_error {
    const char *field_id;
    const char *message;
};
/* The error summary at the top of a form's page: "There is a problem", intro
 * (or NULL), then each error as a link to its field. The page opens at it
 * (autofocus; it is focusable by tabindex="-1"), so a form that comes back
 * with errors never leaves them off-screen. */
void view_error_summary(struct buf *b, const char *intro, const struct view_field_error *errors, size_t count);
/* The same for one error that stands for several (every refused line of a
 * file): the error, then the list of details under it, in words. */
void view_error_summary_detailed(struct buf *b, const char *intro, const struct view_field_error *error,
                                 const char *const *details, size_t count);
/* <form method="post" action="…"> with the CSRF field. */
void view_form_begin(struct buf *b, const char *action, const char *csrf_token);
void view_form_end(struct buf *b, const char *submit_label);
/* A POST form of one button: the CSRF field, an optional hidden field, and
 * words after the label that only screen readers hear ("Delete: My search"). */
struct view_button {
    const char *action, *label;
    const char *css;                       /* the button's class, or NULL */
    const char *context;                   /* or NULL */
    const char *field, *value;             /* one hidden field, or NULL */
};
void view_button_form(struct buf *b, const char *csrf_token, const struct view_button *button);
/* A labelled input; error (or NULL) is shown under it and linked with aria-describedby. */
void view_input(struct buf *b, const char *label, const char *type, const char *name, const char *value,
                const char *autocomplete, bool required, const char *hint, const char *error);
/* A labelled select over values with their labels (NULL-terminated, parallel arrays). */
void view_select(struct buf *b, const char *label, const char *name, const char *const *values,
                 const char *const *labels, const char *selected, const char *error);

#endif
