/* mail.h — sending one email: over SMTP with libcurl when a URL is
 * configured (smtp://host:port, smtps://…), otherwise into a maildir under
 * the data folder (tmp/ then new/), where a newcomer can read it. */
#ifndef ROUNDS_LIB_MAIL_H
#define ROUNDS_LIB_MAIL_H

#include <stddef.h>

struct mail_message {
    const char *id;        /* unique, becomes the Message-ID and the file name */
    const char *from, *to, *subject, *body;
};

/* Call once before threads start. */
void mail_global_init(void);
/* 0 on success; -1 with a short reason in error (never with the body). */
int mail_send(const char *smtp_url, const char *maildir, const struct mail_message *m, char *error, size_t error_size);

#endif
