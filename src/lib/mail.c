/* mail.c — SMTP through libcurl, or a maildir; see mail.h. */
#include "lib/mail.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/crypto.h"
#include "lib/limits.h"

void mail_global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* A header value on one line: CR and LF (header injection) become spaces. */
static void append_header_value(struct buf *b, const char *s)
{
    for (; *s != '\0'; s++)
        buf_append_char(b, *s == '\r' || *s == '\n' ? ' ' : *s);
}

/* RFC 2047 for a subject that is not plain ASCII. */
static void append_subject(struct buf *b, const char *subject)
{
    bool ascii = true;
    for (const char *p = subject; *p != '\0'; p++)
        if ((unsigned char)*p >= 0x80)
            ascii = false;
    if (ascii) {
        append_header_value(b, subject);
        return;
    }
    size_t len = strlen(subject);
    char encoded[1400];
    if (len > 1000)
        len = 1000;
    crypto_base64_encode(subject, len, encoded, sizeof(encoded));
    buf_append_str(b, "=?UTF-8?B?");
    buf_append_str(b, encoded);
    buf_append_str(b, "?=");
}

/* The whole message with CRLF line ends. */
static void format_message(struct buf *b, const struct mail_message *m)
{
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
    buf_append_str(b, "From: ");
    append_header_value(b, m->from);
    buf_append_str(b, "\r\nTo: ");
    append_header_value(b, m->to);
    buf_append_str(b, "\r\nSubject: ");
    append_subject(b, m->subject);
    buf_appendf(b, "\r\nDate: %s\r\nMessage-ID: <", date);
    append_header_value(b, m->id);
    buf_append_str(b, "@rounds>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                      "Content-Transfer-Encoding: 8bit\r\n\r\n");
    for (const char *p = m->body; *p != '\0'; p++) {
        if (*p == '\n' && (p == m->body || p[-1] != '\r'))
            buf_append_char(b, '\r');
        buf_append_char(b, *p);
    }
    buf_append_str(b, "\r\n");
}

struct upload {
    const char *data;
    size_t len, sent;
};

static size_t read_upload(char *out, size_t size, size_t count, void *p)
{
    struct upload *u = p;
    size_t n = size * count;
    if (n > u->len - u->sent)
        n = u->len - u->sent;
    memcpy(out, u->data + u->sent, n);
    u->sent += n;
    return n;
}

static int send_smtp(const char *url, const struct mail_message *m, const struct buf *message, char *error,
                     size_t error_size)
{
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        snprintf(error, error_size, "curl_easy_init failed");
        return -1;
    }
    struct curl_slist *rcpt = curl_slist_append(NULL, m->to);
    struct upload u = {message->data, message->len, 0};
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, m->from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &u);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK)
        snprintf(error, error_size, "smtp: %s", curl_easy_strerror(rc));
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK ? 0 : -1;
}

static int ensure_dir(const char *path)
{
    return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

static int write_maildir(const char *maildir, const struct mail_message *m, const struct buf *message, char *error,
                         size_t error_size)
{
    char tmp_dir[1024], new_dir[1024], cur_dir[1024], tmp_path[1200], new_path[1200];
    snprintf(tmp_dir, sizeof(tmp_dir), "%s/tmp", maildir);
    snprintf(new_dir, sizeof(new_dir), "%s/new", maildir);
    snprintf(cur_dir, sizeof(cur_dir), "%s/cur", maildir);
    if (ensure_dir(maildir) != 0 || ensure_dir(tmp_dir) != 0 || ensure_dir(new_dir) != 0 || ensure_dir(cur_dir) != 0) {
        snprintf(error, error_size, "maildir: cannot create %s", maildir);
        return -1;
    }
    /* The id is ours (letters, digits, '_'), never a name a user chose. */
    snprintf(tmp_path, sizeof(tmp_path), "%s/%s.eml", tmp_dir, m->id);
    snprintf(new_path, sizeof(new_path), "%s/%s.eml", new_dir, m->id);
    int fd = open(tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(error, error_size, "maildir: %s", strerror(errno));
        return -1;
    }
    size_t done = 0;
    while (done < message->len) {
        ssize_t n = write(fd, message->data + done, message->len - done);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    int ok = done == message->len && fsync(fd) == 0;
    close(fd);
    if (!ok || rename(tmp_path, new_path) != 0) {
        snprintf(error, error_size, "maildir: %s", strerror(errno));
        unlink(tmp_path);
        return -1;
    }
    return 0;
}

int mail_send(const char *smtp_url, const char *maildir, const struct mail_message *m, char *error, size_t error_size)
{
    struct arena arena;
    arena_heap_init(&arena);
    struct buf message;
    buf_init(&message, &arena, BUF_CAP_LIST);
    format_message(&message, m);
    int rc;
    if (!buf_ok(&message)) {
        snprintf(error, error_size, "message too large");
        rc = -1;
    } else if (smtp_url != NULL && smtp_url[0] != '\0') {
        rc = send_smtp(smtp_url, m, &message, error, error_size);
    } else {
        rc = write_maildir(maildir, m, &message, error, error_size);
    }
    arena_heap_free(&arena);
    return rc;
}
