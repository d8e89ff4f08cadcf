/* test_api_applications.c — applications and bookings (API.md "Applications
 * and bookings", DESIGN.md §3) against the real `rounds serve`: the state
 * machine (every allowed transition by every role that may take it, the
 * refused ones by every role), history and audit trail, visibility (404 and
 * an audited "forbidden"), seats, apply-time checks, expiry with the test
 * clock, Idempotency-Key, notifications, email (an SMTP sink written here,
 * and the maildir), malformed input, and a race of 200 concurrent accepts on
 * a 3-seat block.
 *
 * Servers run with --test-hooks 1 (POST /api/v1/test/clock and /test/jobs)
 * and --jobs-interval-ms 0, so that only the tests run the sweeper and the
 * outbox. Sessions are made long enough to survive the clock moving days
 * ahead. Every test creates its own students and blocks, so the suite also
 * runs against a PostgreSQL database that holds other data.
 *
 * The race runs ROUNDS_RACE_ROUNDS times (default 5), each on a fresh block
 * with the same 200 students. */
#include <arpa/inet.h>
#include <dirent.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <sys/socket.h>
#include <time.h>

#include "api_client.h"
#include "domain/auth.h"
#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "test.h"

#define PASSWORD "Vivid-Orchard-Kettle-58!"
#define PEOPLE_PASSWORD PASSWORD
#include "api_people.h"
#include "api_world.h"
#include "api_hooks.h"
#include "api_steps.h"
#define RACE_STUDENTS 200
#define RACE_SEATS 3

/* API_RUN, and the time the test took when it was slow (> 3 s). */
#define TIMED_RUN(name)                                                                             \
    do {                                                                                            \
        double timed_started_ = api_now_ms();                                                       \
        API_RUN(name);                                                                              \
        double timed_ms_ = api_now_ms() - timed_started_;                                           \
        if (timed_ms_ > 3000)                                                                       \
            printf("  (%s took %.1f s)\n", #name, timed_ms_ / 1000);                                 \
    } while (0)

/* ---- users and the world of one server ---- */

struct world {
    struct api_server *srv;
    struct db_conn *db;
    char tag[16];
    struct user staff;
    struct user coord_a;  /* host coordinator of host A */
    struct user precep_a; /* preceptor user linked to the preceptor of offering A */
    struct user stray;    /* a preceptor-role member of host A, not the offering's preceptor */
    struct user coord_b;  /* host coordinator of host B */
    char org_a[64], org_b[64], site_a[64], site_b[64], prc_a[64], prc_b[64];
    char offering_a[64], offering_b[64], title_a[160], title_b[160];
    int next_block;
};

static struct api_server main_server, smtp_server;
static struct world W;   /* the main server's world */
static struct world SW;  /* the SMTP server's world */

/* A request as u (NULL: anonymous) with an optional Idempotency-Key and JSON body. */
static long call(struct api_response *r, const struct user *u, const char *method, const char *path, const char *key,
                 const char *body)
{
    const char *headers[4];
    int n = 0;
    char key_header[512];
    if (u != NULL)
        headers[n++] = u->auth;
    if (key != NULL) {
        snprintf(key_header, sizeof(key_header), "Idempotency-Key: %s", key);
        headers[n++] = key_header;
    }
    headers[n] = NULL;
    return api_request(r, method, path, headers, body);
}

/* An internal-medicine offering of host org (api_world.h), with eligibility rules when not NULL. */
static bool create_offering(const struct user *u, const char *org, const char *site, const char *prc,
                            const char *title, json_t *eligibility, char *id_out)
{
    json_t *body = world_medicine_offering_body(org, site, prc, title, "hands_on");
    if (eligibility != NULL)
        json_object_set_new(body, "eligibility", eligibility);
    return create_object(u, "/api/v1/offerings", body, id_out);
}

/* Builds staff, two hosts with coordinators, a linked preceptor, sites and
 * offerings on srv; unlike api_rotation_world.h, host A has a stray preceptor
 * account, host B's preceptor record has no account and no coach is made. */
static bool world_setup(struct world *w, struct api_server *srv, const char *tag)
{
    static const struct world_place main_campus = {"Main campus", NULL, "Brooklyn", "NY", "11201"};
    static const struct world_place lakeside = {"Lakeside", NULL, "Chicago", "IL", "60601"};
    memset(w, 0, sizeof(*w));
    w->srv = srv;
    snprintf(w->tag, sizeof(w->tag), "%s", tag);
    if (!world_staff(srv, &w->db, &w->staff, "staff", tag))
        return false;
    if (!world_org(&w->staff, "host", w->org_a, "Mercy General %s %ld", tag, (long)getpid()) ||
        !world_org(&w->staff, "host", w->org_b, "Lakeside Clinic %s %ld", tag, (long)getpid()))
        return false;
    if (!world_member(&w->staff, &w->coord_a, "coorda", tag, "host_coordinator", w->org_a) ||
        !world_member(&w->staff, &w->precep_a, "precepa", tag, "preceptor", w->org_a) ||
        !world_member(&w->staff, &w->stray, "stray", tag, "preceptor", w->org_a) ||
        !world_member(&w->staff, &w->coord_b, "coordb", tag, "host_coordinator", w->org_b))
        return false;
    if (!world_site(&w->staff, w->org_a, &main_campus, w->site_a) ||
        !world_site(&w->staff, w->org_b, &lakeside, w->site_b))
        return false;
    if (!world_preceptor_record(&w->staff, w->org_a, w->precep_a.id, &WORLD_PRECEPTOR_NY, w->prc_a) ||
        !world_preceptor_record(&w->staff, w->org_b, NULL, &WORLD_PRECEPTOR_NY, w->prc_b))
        return false;
    snprintf(w->title_a, sizeof(w->title_a), "Internal Medicine Clerkship %s", tag);
    snprintf(w->title_b, sizeof(w->title_b), "Lakeside Outpatient Medicine %s", tag);
    return create_offering(&w->coord_a, w->org_a, w->site_a, w->prc_a, w->title_a, NULL, w->offering_a) &&
           create_offering(&w->coord_b, w->org_b, w->site_b, w->prc_b, w->title_b, NULL, w->offering_b);
}

/* ---- blocks, dates and the database ---- */

static void date_in(int days, char out[11])
{
    clock_date_from_days(clock_today_days() + days, out);
}

/* A fresh block that overlaps no other block made by new_block. */
static bool new_block(struct world *w, const char *offering, int seats, char *id_out)
{
    int k = w->next_block++;
    return steps_block(&w->staff, offering, 30 + 7 * k, 5, seats, id_out);
}

static long long db_int3(struct db_conn *conn, const char *sql, const char *p1, const char *p2, const char *p3)
{
    if (conn == NULL)
        return -1;
    struct db_stmt *st = db_prepare(conn, sql);
    if (p1 != NULL)
        db_bind_text(st, 1, p1);
    if (p2 != NULL)
        db_bind_text(st, 2, p2);
    if (p3 != NULL)
        db_bind_text(st, 3, p3);
    long long v = -1;
    if (db_step(st) == DB_ROW)
        v = (long long)db_column_int(st, 0);
    db_reset(st);
    return v;
}

/* The hash an address is kept as in the outbox once its mail is delivered. */
static const char *mail_hash(const char *email, char out[65])
{
    crypto_hash_token(email, out); /* the tests' addresses are lower case */
    return out;
}

static long long seats_taken(struct world *w, const char *block)
{
    return api_db_int(w->db, "SELECT seats_taken FROM blocks WHERE id = $1", block, NULL);
}

static long long block_seats(struct world *w, const char *block)
{
    return api_db_int(w->db, "SELECT seats FROM blocks WHERE id = $1", block, NULL);
}

static long long event_count(struct world *w, const char *app)
{
    return api_db_int(w->db, "SELECT COUNT(*) FROM application_events WHERE application_id = $1", app, NULL);
}

static long long applications_of(struct world *w, const char *student)
{
    return api_db_int(w->db, "SELECT COUNT(*) FROM applications WHERE student_id = $1", student, NULL);
}

static bool takes_seat(const char *status)
{
    static const char *const seat_taking[] = {"held", "booked", "cleared", "in_progress", "completed", NULL};
    for (size_t i = 0; seat_taking[i] != NULL; i++)
        if (strcmp(seat_taking[i], status) == 0)
            return true;
    return false;
}

/* ---- the test hooks ---- */

/* The calendar's rule (start and no-show from the first day, completion
 * after the last): moves the test clock into the application's block for
 * those actions, back to now for any other. */
static void clock_for(struct world *w, const char *app, const char *action)
{
    bool starting = strcmp(action, "start") == 0 || strcmp(action, "no_show") == 0;
    bool completing = strcmp(action, "complete") == 0;
    if (!starting && !completing) {
        hooks_set_clock(0);
        return;
    }
    char *day = api_db_text(w->db,
                            completing ? "SELECT b.end_date FROM applications a JOIN blocks b ON b.id = a.block_id"
                                         " WHERE a.id = $1"
                                       : "SELECT b.start_date FROM applications a JOIN blocks b ON b.id = a.block_id"
                                         " WHERE a.id = $1",
                            app, NULL, NULL);
    if (day == NULL) {
        TEST_FAILF("no block for %s", app);
        return;
    }
    long long days = (long long)clock_days_from_date(day) - clock_today_days() + (completing ? 1 : 0);
    free(day);
    hooks_set_clock(days * 86400 + 3600);
    /* Months ahead, the sessions of the test's people would be idle for too long: keep them seen. */
    struct db_stmt *st = db_prepare(w->db, "UPDATE sessions SET last_seen_at = $1, created_at = $1");
    db_bind_int(st, 1, (int64_t)time(NULL) + days * 86400 + 3600);
    db_step(st);
    db_reset(st);
}

struct jobs_ran {
    long long expired, mail_sent, mail_failed;
};

static struct jobs_ran run_jobs(void)
{
    struct jobs_ran j = {-1, -1, -1};
    json_t *reply = hooks_jobs();
    if (reply != NULL) {
        j.expired = api_json_int(reply, "expired", -1);
        j.mail_sent = api_json_int(reply, "mail_sent", -1);
        j.mail_failed = api_json_int(reply, "mail_failed", -1);
    }
    json_decref(reply);
    return j;
}

/* Runs the jobs until nothing more expires (each round moves at most 100). */
static long long run_jobs_until_no_expiry(void)
{
    long long total = 0;
    for (int i = 0; i < 100; i++) {
        struct jobs_ran j = run_jobs();
        if (j.expired <= 0)
            break;
        total += j.expired;
    }
    return total;
}

/* Runs the jobs until the outbox has nothing due (or a delivery fails). */
static void drain_mail(void)
{
    for (int i = 0; i < 500; i++) {
        struct jobs_ran j = run_jobs();
        if (j.mail_sent <= 0 || j.mail_failed != 0)
            break;
    }
}

/* ---- applications ---- */

static long apply_raw(struct api_response *r, const struct user *s, const char *block, const char *key)
{
    char *body = json_text(json_pack("{s:s,s:s}", "block_id", block, "statement",
                                     "I am a final-year student keen on inpatient medicine."));
    long status = call(r, s, "POST", "/api/v1/applications", key, body);
    free(body);
    return status;
}

static bool apply_for(const struct user *s, const char *block, char *app_out)
{
    struct api_response r;
    apply_raw(&r, s, block, NULL);
    bool ok = r.status == 201 && api_json_str(r.json, "id") != NULL;
    if (!ok)
        TEST_FAILF("applying for %s answered %ld: %.400s", block, r.status, r.body);
    else
        snprintf(app_out, 64, "%s", api_json_str(r.json, "id"));
    api_free(&r);
    return ok;
}

static long act(struct api_response *r, const struct user *u, const char *app, const char *action, const char *note,
                const char *key)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/%s", app, action);
    char *body = note != NULL ? json_text(json_pack("{s:s}", "note", note)) : strdup("{}");
    long status = call(r, u, "POST", path, key, body);
    free(body);
    return status;
}

static long get_app(struct api_response *r, const struct user *u, const char *app)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/applications/%s", app);
    return call(r, u, "GET", path, NULL, NULL);
}

/* The roles of the test and the state machine as documented. */
enum { R_STUDENT = 1, R_COORD = 2, R_PRECEP = 4, R_STAFF = 8 };
#define R_HOST_SIDE (R_COORD | R_PRECEP | R_STAFF)
static const unsigned all_roles[] = {R_STUDENT, R_COORD, R_PRECEP, R_STAFF};

static const char *who_name(unsigned role)
{
    return role == R_STUDENT  ? "student"
           : role == R_COORD  ? "host coordinator"
           : role == R_PRECEP ? "preceptor"
                              : "staff";
}

/* The role the history records for an actor. */
static const char *history_role(unsigned role)
{
    return role == R_STUDENT ? "student" : role == R_STAFF ? "staff" : "host";
}

static const struct user *actor(struct world *w, unsigned role, const struct user *student)
{
    return role == R_STUDENT ? student : role == R_COORD ? &w->coord_a : role == R_PRECEP ? &w->precep_a : &w->staff;
}

static const struct machine_row {
    const char *from, *action, *to;
    unsigned who;
} machine[] = {
    {"submitted", "withdraw", "withdrawn", R_STUDENT},
    {"under_review", "withdraw", "withdrawn", R_STUDENT},
    {"offered", "withdraw", "withdrawn", R_STUDENT},
    {"held", "withdraw", "withdrawn", R_STUDENT},
    {"submitted", "review", "under_review", R_HOST_SIDE},
    {"submitted", "offer", "offered", R_HOST_SIDE},
    {"under_review", "offer", "offered", R_HOST_SIDE},
    {"submitted", "decline", "declined", R_HOST_SIDE},
    {"under_review", "decline", "declined", R_HOST_SIDE},
    {"offered", "decline", "declined", R_HOST_SIDE},
    {"offered", "accept", "held", R_STUDENT},
    {"held", "book", "booked", R_STAFF}, /* a payment recorded by hand; otherwise a payment books */
    {"booked", "clear", "cleared", R_HOST_SIDE},
    {"cleared", "start", "in_progress", R_HOST_SIDE},
    {"in_progress", "complete", "completed", R_HOST_SIDE},
    {"held", "cancel", "cancelled_by_host", R_HOST_SIDE},
    {"booked", "cancel", "cancelled_by_student", R_STUDENT},
    {"booked", "cancel", "cancelled_by_host", R_HOST_SIDE},
    {"cleared", "cancel", "cancelled_by_student", R_STUDENT},
    {"cleared", "cancel", "cancelled_by_host", R_HOST_SIDE},
    {"booked", "no_show", "no_show", R_HOST_SIDE},
    {"cleared", "no_show", "no_show", R_HOST_SIDE},
};
#define MACHINE_ROWS (sizeof(machine) / sizeof(machine[0]))

static const char *const actions[] = {"withdraw", "review", "offer",    "decline", "accept", "book",
                                      "clear",    "start",  "complete", "cancel",  "no_show", NULL};

static bool allowed(const char *from, const char *action, unsigned role)
{
    for (size_t i = 0; i < MACHINE_ROWS; i++)
        if (strcmp(machine[i].from, from) == 0 && strcmp(machine[i].action, action) == 0 && (machine[i].who & role))
            return true;
    return false;
}

/* How to reach each state from submitted: "s:" steps by the student, "h:" by the host coordinator, "t:" by staff. */
static const struct {
    const char *state;
    const char *steps[6];
} routes_to[] = {
    {"submitted", {NULL}},
    {"under_review", {"h:review", NULL}},
    {"offered", {"h:offer", NULL}},
    {"held", {"h:offer", "s:accept", NULL}},
    {"booked", {"h:offer", "s:accept", "t:book", NULL}},
    {"cleared", {"h:offer", "s:accept", "t:book", "h:clear", NULL}},
    {"in_progress", {"h:offer", "s:accept", "t:book", "h:clear", "h:start", NULL}},
    {"completed", {"h:offer", "s:accept", "t:book", "h:clear", "h:start", "h:complete"}},
    {"withdrawn", {"s:withdraw", NULL}},
    {"declined", {"h:decline", NULL}},
    {"cancelled_by_student", {"h:offer", "s:accept", "t:book", "s:cancel", NULL}},
    {"cancelled_by_host", {"h:offer", "s:accept", "t:book", "h:cancel", NULL}},
    {"no_show", {"h:offer", "s:accept", "t:book", "h:no_show", NULL}},
};
#define ROUTES (sizeof(routes_to) / sizeof(routes_to[0]))

/* Applies for a fresh block of offering A and moves the application to state. */
static bool app_in_state(struct world *w, const struct user *student, const char *state, char *block_out,
                         char *app_out)
{
    size_t r = 0;
    while (r < ROUTES && strcmp(routes_to[r].state, state) != 0)
        r++;
    if (r == ROUTES) {
        TEST_FAILF("no route to %s", state);
        return false;
    }
    if (!new_block(w, w->offering_a, 5, block_out) || !apply_for(student, block_out, app_out))
        return false;
    for (size_t i = 0; i < 6 && routes_to[r].steps[i] != NULL; i++) {
        const char *step = routes_to[r].steps[i];
        const struct user *u = step[0] == 's' ? student : step[0] == 't' ? &w->staff : &w->coord_a;
        clock_for(w, app_out, step + 2);
        bool ok = steps_act(u, app_out, step + 2);
        hooks_set_clock(0);
        if (!ok)
            return false;
    }
    const char *now = steps_status(w->db, app_out);
    if (strcmp(now, state) != 0) {
        TEST_FAILF("application %s is %s, expected %s", app_out, now, state);
        return false;
    }
    return true;
}

static bool is_rfc3339(const char *s)
{
    return s != NULL && strlen(s) == 20 && s[4] == '-' && s[10] == 'T' && s[19] == 'Z';
}

/* The reply's history array (or NULL). */
static json_t *history_of(json_t *app)
{
    json_t *h = json_object_get(app, "history");
    return json_is_array(h) ? h : NULL;
}

/* ---- the SMTP sink ---- */

struct sink_message {
    char rcpt[320];
    char *data;
};

struct smtp_sink {
    int port, fd;
    pthread_t thread;
    atomic_bool stop;
    bool running;
    pthread_mutex_t lock;
    struct sink_message *messages; /* grows; a shared database may hold others' mail */
    int count, capacity;
};

static struct smtp_sink sink = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void sink_reply(int c, const char *text)
{
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t n = send(c, text + done, len - done, MSG_NOSIGNAL);
        if (n <= 0)
            return;
        done += (size_t)n;
    }
}

/* One SMTP session: 220, then 250 to everything but DATA (354) and QUIT (221). */
static void sink_session(struct smtp_sink *k, int c)
{
    struct timeval tv = {10, 0};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    sink_reply(c, "220 sink.test ESMTP ready\r\n");
    static char buf[1 << 16];
    size_t len = 0, data_len = 0, data_cap = 0;
    char *data = NULL;
    char rcpt[320] = "";
    bool in_data = false, done = false;
    while (!done) {
        char *nl;
        while (!done && (nl = memchr(buf, '\n', len)) != NULL) {
            size_t line_len = (size_t)(nl - buf);
            size_t used = line_len + 1;
            if (line_len > 0 && buf[line_len - 1] == '\r')
                line_len--;
            buf[line_len] = '\0';
            char *line = buf;
            if (in_data) {
                if (strcmp(line, ".") == 0) {
                    pthread_mutex_lock(&k->lock);
                    if (k->count == k->capacity) {
                        int cap = k->capacity > 0 ? k->capacity * 2 : 256;
                        struct sink_message *bigger = realloc(k->messages, (size_t)cap * sizeof(*bigger));
                        if (bigger != NULL) {
                            k->messages = bigger;
                            k->capacity = cap;
                        }
                    }
                    if (k->count < k->capacity) {
                        snprintf(k->messages[k->count].rcpt, sizeof(k->messages[k->count].rcpt), "%s", rcpt);
                        k->messages[k->count].data = data != NULL ? data : strdup("");
                        data = NULL;
                        k->count++;
                    }
                    pthread_mutex_unlock(&k->lock);
                    free(data);
                    data = NULL;
                    data_len = data_cap = 0;
                    in_data = false;
                    sink_reply(c, "250 2.0.0 queued\r\n");
                } else {
                    if (line[0] == '.')
                        line++; /* dot-unstuffing */
                    size_t add = strlen(line) + 2;
                    if (data_len + add + 1 > data_cap) {
                        size_t cap = (data_len + add + 1) * 2;
                        char *bigger = realloc(data, cap);
                        if (bigger != NULL) {
                            data = bigger;
                            data_cap = cap;
                        }
                    }
                    if (data != NULL && data_len + add + 1 <= data_cap) {
                        memcpy(data + data_len, line, add - 2);
                        memcpy(data + data_len + add - 2, "\r\n", 3);
                        data_len += add;
                    }
                }
            } else if (strncasecmp(line, "EHLO", 4) == 0 || strncasecmp(line, "HELO", 4) == 0) {
                sink_reply(c, "250 sink.test\r\n");
            } else if (strncasecmp(line, "RCPT", 4) == 0) {
                const char *open = strchr(line, '<'), *close = open != NULL ? strchr(open, '>') : NULL;
                if (open != NULL && close != NULL)
                    snprintf(rcpt, sizeof(rcpt), "%.*s", (int)(close - open - 1), open + 1);
                sink_reply(c, "250 2.1.5 ok\r\n");
            } else if (strncasecmp(line, "DATA", 4) == 0) {
                in_data = true;
                sink_reply(c, "354 end with <CRLF>.<CRLF>\r\n");
            } else if (strncasecmp(line, "QUIT", 4) == 0) {
                sink_reply(c, "221 2.0.0 bye\r\n");
                done = true;
            } else {
                sink_reply(c, "250 ok\r\n");
            }
            memmove(buf, buf + used, len - used);
            len -= used;
        }
        if (done)
            break;
        if (len == sizeof(buf))
            len = 0; /* a line too long: drop it */
        ssize_t n = recv(c, buf + len, sizeof(buf) - len, 0);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    free(data);
}

static void *sink_main(void *p)
{
    struct smtp_sink *k = p;
    while (!atomic_load(&k->stop)) {
        struct pollfd pfd = {k->fd, POLLIN, 0};
        if (poll(&pfd, 1, 50) <= 0)
            continue;
        int c = accept(k->fd, NULL, NULL);
        if (c < 0)
            continue;
        sink_session(k, c);
        close(c);
    }
    return NULL;
}

/* Listens on 127.0.0.1:port (0 = any free port) and serves in a thread. */
static int sink_start(struct smtp_sink *k, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof(a);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
        printf("  sink: cannot listen on port %d: %s\n", port, strerror(errno));
        close(fd);
        return -1;
    }
    k->fd = fd;
    k->port = ntohs(a.sin_port);
    atomic_store(&k->stop, false);
    if (pthread_create(&k->thread, NULL, sink_main, k) != 0) {
        close(fd);
        return -1;
    }
    k->running = true;
    return 0;
}

/* Stops accepting and closes the port: connections are refused from now on. */
static void sink_stop(struct smtp_sink *k)
{
    if (!k->running)
        return;
    atomic_store(&k->stop, true);
    pthread_join(k->thread, NULL);
    close(k->fd);
    k->fd = -1;
    k->running = false;
}

/* The data of the first message to rcpt whose data contains needle (heap copy), or NULL. */
static char *sink_find(struct smtp_sink *k, const char *rcpt, const char *needle)
{
    char *found = NULL;
    pthread_mutex_lock(&k->lock);
    for (int i = 0; i < k->count && found == NULL; i++)
        if (strcasecmp(k->messages[i].rcpt, rcpt) == 0 && strstr(k->messages[i].data, needle) != NULL)
            found = strdup(k->messages[i].data);
    pthread_mutex_unlock(&k->lock);
    return found;
}

static void sink_free(struct smtp_sink *k)
{
    pthread_mutex_lock(&k->lock);
    for (int i = 0; i < k->count; i++)
        free(k->messages[i].data);
    free(k->messages);
    k->messages = NULL;
    k->count = k->capacity = 0;
    pthread_mutex_unlock(&k->lock);
}

/* ---- many requests at once (libcurl multi) ---- */

struct mreq {
    char path[200];
    char *body;        /* heap; freed by mreqs_free */
    const char *auth;  /* "Authorization: …" or NULL */
    const char *extra; /* another header line, or NULL */
    long status;
    char *resp;
    size_t resp_len;
    json_t *json;
};

static size_t mreq_on_body(char *data, size_t size, size_t n, void *p)
{
    struct mreq *m = p;
    size_t add = size * n;
    char *bigger = realloc(m->resp, m->resp_len + add + 1);
    if (bigger == NULL)
        return 0;
    m->resp = bigger;
    memcpy(m->resp + m->resp_len, data, add);
    m->resp_len += add;
    m->resp[m->resp_len] = '\0';
    return add;
}

/* POSTs every request to srv, `parallel` at a time (all at once when parallel >= n). */
static void multi_post(const struct api_server *srv, struct mreq *reqs, size_t n, size_t parallel)
{
    CURLM *multi = curl_multi_init();
    CURL **easies = calloc(n, sizeof(*easies));
    struct curl_slist **lists = calloc(n, sizeof(*lists));
    char url[300];
    size_t next = 0, active = 0;
    /* Prepare every handle first, so that a burst starts as one. */
    for (size_t i = 0; i < n; i++) {
        CURL *e = curl_easy_init();
        easies[i] = e;
        snprintf(url, sizeof(url), "%s%s", srv->base_url, reqs[i].path);
        curl_easy_setopt(e, CURLOPT_URL, url);
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, reqs[i].body != NULL ? reqs[i].body : "{}");
        curl_easy_setopt(e, CURLOPT_TIMEOUT, 120L);
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, mreq_on_body);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &reqs[i]);
        curl_easy_setopt(e, CURLOPT_PRIVATE, (void *)&reqs[i]);
        lists[i] = curl_slist_append(NULL, "Content-Type: application/json");
        if (reqs[i].auth != NULL)
            lists[i] = curl_slist_append(lists[i], reqs[i].auth);
        if (reqs[i].extra != NULL)
            lists[i] = curl_slist_append(lists[i], reqs[i].extra);
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, lists[i]);
        reqs[i].status = 0;
    }
    while (next < n && active < parallel) {
        curl_multi_add_handle(multi, easies[next++]);
        active++;
    }
    while (active > 0) {
        int still = 0;
        curl_multi_perform(multi, &still);
        CURLMsg *msg;
        int queued;
        while ((msg = curl_multi_info_read(multi, &queued)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            struct mreq *m = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&m);
            if (msg->data.result == CURLE_OK)
                curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &m->status);
            curl_multi_remove_handle(multi, msg->easy_handle);
            active--;
            if (next < n) {
                curl_multi_add_handle(multi, easies[next++]);
                active++;
            }
        }
        if (active > 0)
            curl_multi_poll(multi, NULL, 0, 100, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        curl_easy_cleanup(easies[i]);
        curl_slist_free_all(lists[i]);
        if (reqs[i].resp != NULL)
            reqs[i].json = json_loadb(reqs[i].resp, reqs[i].resp_len, 0, NULL);
    }
    free(easies);
    free(lists);
    curl_multi_cleanup(multi);
}

static void mreqs_free(struct mreq *reqs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(reqs[i].body);
        free(reqs[i].resp);
        json_decref(reqs[i].json);
    }
    memset(reqs, 0, n * sizeof(*reqs));
}

/* ==================================================================== */
/* ---- email: the maildir (main server) ---- */

/* True when a file in dir holds every needle. */
static bool maildir_has(const char *dir, const char *a, const char *b)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".eml") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        char *text = api_read_file(path, NULL);
        found = text != NULL && strstr(text, a) != NULL && strstr(text, b) != NULL;
        free(text);
    }
    closedir(d);
    return found;
}

/* "Offer for <title>: accept by <offer_expires_at in words> UTC" (a student who has chosen no time
 * zone), from an application reply. */
static void offer_subject(json_t *app, const char *title, char *out, size_t size)
{
    const char *expires = api_json_str(app, "offer_expires_at");
    char day[11] = "?", hour[6] = "?", words[CLOCK_DATE_WORDS_SIZE];
    if (expires != NULL && strlen(expires) >= 16) {
        snprintf(day, sizeof(day), "%.10s", expires);
        snprintf(hour, sizeof(hour), "%.5s", expires + 11);
    }
    snprintf(out, size, "Subject: Offer for %s: accept by %s, %s UTC", title, clock_date_words(day, words), hour);
}

/* The confirmation and welcome emails every new student gets, left out of counts of an application's emails. */
#define ACCOUNT_MAIL_APART " AND kind NOT IN ('email_confirmation', 'welcome')"

TEST(maildir_gets_the_offer_email)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    char block[64], app[64];
    if (!register_student(&s, "maildir") || !new_block(w, w->offering_a, 3, block) || !apply_for(&s, block, app))
        return;
    struct api_response r;
    act(&r, &w->coord_a, app, "offer", "Welcome aboard", NULL);
    CHECK_INT(r.status, 200);
    char subject[400], to[220];
    offer_subject(r.json, w->title_a, subject, sizeof(subject));
    snprintf(to, sizeof(to), "To: %s", s.email);
    api_free(&r);
    /* Queued in the outbox, not sent before the jobs run. */
    CHECK_INT(api_db_int(w->db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1 AND sent_at IS NULL" ACCOUNT_MAIL_APART, s.email, NULL),
              1);
    drain_mail();
    char hash[65];
    CHECK_INT(api_db_int(w->db, "SELECT COUNT(*) FROM outbox WHERE to_hash = $1 AND sent_at IS NOT NULL" ACCOUNT_MAIL_APART,
                         mail_hash(s.email, hash), NULL),
              1);
    /* Delivered: the body and the address are gone from the database. */
    CHECK_INT(api_db_int(w->db, "SELECT COUNT(*) FROM outbox WHERE to_hash = $1 AND (body <> '' OR to_address <> '')",
                         hash, NULL),
              0);
    char dir[400];
    snprintf(dir, sizeof(dir), "%s/data/mail/new", w->srv->dir);
    CHECK(maildir_has(dir, subject, to));
    if (!maildir_has(dir, subject, to))
        printf("  no .eml in %s with \"%s\" and \"%s\"\n", dir, subject, to);
}

/* ---- email: SMTP to the sink, failure, backoff and retry ---- */

TEST(smtp_delivery_failure_and_retry)
{
    struct world *w = &SW;
    api_use(w->srv);
    drain_mail(); /* whatever the setup queued */
    struct user s;
    char block[64], app[64];
    if (!register_student(&s, "smtp") || !new_block(w, w->offering_a, 3, block) || !apply_for(&s, block, app))
        return;
    struct api_response r;
    act(&r, &w->coord_a, app, "offer", NULL, NULL);
    CHECK_INT(r.status, 200);
    char subject[400];
    offer_subject(r.json, w->title_a, subject, sizeof(subject));
    api_free(&r);
    drain_mail();
    char *msg = sink_find(&sink, s.email, subject);
    CHECK(msg != NULL);
    if (msg == NULL)
        printf("  the sink has no message to %s with \"%s\" (%d messages)\n", s.email, subject, sink.count);
    else {
        char to[220];
        snprintf(to, sizeof(to), "To: %s", s.email);
        CHECK_CONTAINS(msg, to);
        CHECK_CONTAINS(msg, "/applications/");
    }
    free(msg);
    char hash[65];
    CHECK_INT(api_db_int(w->db, "SELECT COUNT(*) FROM outbox WHERE to_hash = $1 AND sent_at IS NOT NULL" ACCOUNT_MAIL_APART,
                         mail_hash(s.email, hash), NULL),
              1);

    /* The sink goes away; the decline's email fails and waits. */
    int port = sink.port;
    sink_stop(&sink);
    act(&r, &w->coord_a, app, "decline", "No seat for this block after all", NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
    char declined[300];
    snprintf(declined, sizeof(declined), "%.159s: Declined", w->title_a);
    long long attempts = 0;
    for (int i = 0; i < 10 && attempts < 1; i++) {
        struct jobs_ran j = run_jobs();
        (void)j;
        attempts = db_int3(w->db, "SELECT attempts FROM outbox WHERE to_address = $1 AND subject = $2", s.email,
                           declined, NULL);
    }
    CHECK_INT(attempts, 1);
    bool found = false;
    char *error = api_db_text(w->db, "SELECT last_error FROM outbox WHERE to_address = $1 AND subject = $2", s.email,
                              declined, &found);
    CHECK(found && error != NULL && error[0] != '\0');
    free(error);
    long long delay = db_int3(w->db,
                              "SELECT next_attempt_at - created_at FROM outbox WHERE to_address = $1 AND subject = $2",
                              s.email, declined, NULL);
    CHECK(delay >= 25);
    if (delay < 25)
        printf("  next_attempt_at - created_at = %lld\n", delay);
    CHECK_INT(db_int3(w->db,
                      "SELECT COUNT(*) FROM outbox WHERE to_address = $1 AND subject = $2 AND sent_at IS NULL", s.email,
                      declined, NULL),
              1);
    /* Not due yet: running the jobs again does not try it. */
    run_jobs();
    CHECK_INT(db_int3(w->db, "SELECT attempts FROM outbox WHERE to_address = $1 AND subject = $2", s.email, declined,
                      NULL),
              1);
    /* Past the first backoff it is tried again and fails again: the next wait is longer (60 s). */
    hooks_set_clock(40);
    for (int i = 0; i < 10 && attempts < 2; i++) {
        run_jobs();
        attempts = db_int3(w->db, "SELECT attempts FROM outbox WHERE to_address = $1 AND subject = $2", s.email,
                           declined, NULL);
    }
    CHECK_INT(attempts, 2);
    delay = db_int3(w->db, "SELECT next_attempt_at - created_at FROM outbox WHERE to_address = $1 AND subject = $2",
                    s.email, declined, NULL);
    CHECK(delay >= 40 + 55 && delay <= 40 + 60 + 30);
    if (delay < 95 || delay > 130)
        printf("  after the second failure next_attempt_at - created_at = %lld (expected about 100)\n", delay);

    /* The sink is back; past the backoff the mail goes out. */
    CHECK_INT(sink_start(&sink, port), 0);
    hooks_set_clock(240);
    for (int i = 0; i < 20; i++) {
        run_jobs();
        if (db_int3(w->db, "SELECT COUNT(*) FROM outbox WHERE to_hash = $1 AND subject = $2 AND sent_at IS NOT NULL",
                    hash, declined, NULL) == 1)
            break;
    }
    hooks_set_clock(0);
    CHECK_INT(db_int3(w->db, "SELECT COUNT(*) FROM outbox WHERE to_hash = $1 AND subject = $2 AND sent_at IS NOT NULL",
                      hash, declined, NULL),
              1);
    CHECK_INT(db_int3(w->db, "SELECT attempts FROM outbox WHERE to_hash = $1 AND subject = $2", hash, declined, NULL),
              3);
    char needle[400];
    snprintf(needle, sizeof(needle), "Subject: %s", declined);
    msg = sink_find(&sink, s.email, needle);
    CHECK(msg != NULL);
    free(msg);

    /* A name that is not ASCII reaches the coordinator's subject encoded (RFC 2047), and decodes back. */
    struct user z;
    char block2[64], app2[64];
    memset(&z, 0, sizeof(z));
    api_unique_email(z.email, sizeof(z.email), "utf8");
    snprintf(z.name, sizeof(z.name), "%s", "Zo\xc3\xab \xc3\x91" "and\xc3\xba");
    struct api_response reg;
    if (!post_as(&reg, NULL, "/api/v1/auth/register",
                 json_pack("{s:s,s:s,s:s}", "email", z.email, "password", PASSWORD, "name", z.name), 201)) {
        api_free(&reg);
        return;
    }
    user_from_reply(&z, &reg);
    api_free(&reg);
    if (!confirm_email(&z) || !new_block(w, w->offering_a, 3, block2) || !apply_for(&z, block2, app2))
        return;
    drain_mail();
    msg = sink_find(&sink, w->coord_a.email, "Subject: =?UTF-8?B?");
    CHECK(msg != NULL);
    if (msg != NULL) {
        char want[400];
        snprintf(want, sizeof(want), "New application from %.95s for %.159s", z.name, w->title_a);
        /* The last such message is ours: find the encoded word and decode it. */
        char *encoded = NULL;
        pthread_mutex_lock(&sink.lock);
        for (int i = sink.count - 1; i >= 0 && encoded == NULL; i--)
            if (strcasecmp(sink.messages[i].rcpt, w->coord_a.email) == 0 &&
                strstr(sink.messages[i].data, "Subject: =?UTF-8?B?") != NULL)
                encoded = strdup(strstr(sink.messages[i].data, "Subject: =?UTF-8?B?") + 19);
        pthread_mutex_unlock(&sink.lock);
        char *end = encoded != NULL ? strstr(encoded, "?=") : NULL;
        unsigned char decoded[600];
        size_t decoded_len = 0;
        CHECK(end != NULL);
        if (end != NULL) {
            *end = '\0';
            int rc = sodium_base642bin(decoded, sizeof(decoded) - 1, encoded, strlen(encoded), NULL, &decoded_len,
                                       NULL, sodium_base64_VARIANT_ORIGINAL);
            CHECK_INT(rc, 0);
            decoded[decoded_len] = '\0';
            CHECK_STR((const char *)decoded, want);
        }
        free(encoded);
    }
    free(msg);
}

/* ---- the state machine ---- */

TEST(every_allowed_transition_by_every_role_that_may_take_it)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    if (!register_student(&s, "machine"))
        return;
    int paths = 0;
    for (size_t i = 0; i < MACHINE_ROWS; i++) {
        const struct machine_row *t = &machine[i];
        for (size_t k = 0; k < 4; k++) {
            unsigned role = all_roles[k];
            if (!(t->who & role))
                continue;
            paths++;
            int failed_before = test_current_failed;
            test_current_failed = 0;
            char block[64], app[64];
            if (!app_in_state(w, &s, t->from, block, app)) {
                TEST_FAILF("setting up %s --%s--> by %s", t->from, t->action, who_name(role));
                continue;
            }
            long long events = event_count(w, app);
            long long seats_before = seats_taken(w, block);
            const struct user *u = actor(w, role, &s);
            char note[160];
            snprintf(note, sizeof(note), "%s by %s, step %zu", t->action, who_name(role), i);
            struct api_response r;
            clock_for(w, app, t->action);
            act(&r, u, app, t->action, note, NULL);
            hooks_set_clock(0);
            CHECK_INT(r.status, 200);
            CHECK_STR(api_json_str(r.json, "status"), t->to);
            CHECK_STR(api_json_str(r.json, "id"), app);
            CHECK(json_is_boolean(api_json_get(r.json, "seat_held")) &&
                  json_is_true(api_json_get(r.json, "seat_held")) == takes_seat(t->to));
            json_t *history = history_of(r.json);
            CHECK(history != NULL && (long long)json_array_size(history) == events + 1);
            json_t *last = history != NULL ? json_array_get(history, json_array_size(history) - 1) : NULL;
            CHECK_STR(api_json_str(last, "action"), t->action);
            CHECK_STR(api_json_str(last, "from"), t->from);
            CHECK_STR(api_json_str(last, "to"), t->to);
            CHECK_STR(api_json_str(last, "by.id"), u->id);
            CHECK_STR(api_json_str(last, "by.name"), u->name);
            CHECK_STR(api_json_str(last, "by.role"), history_role(role));
            CHECK_STR(api_json_str(last, "note"), note);
            CHECK(is_rfc3339(api_json_str(last, "at")));
            api_free(&r);
            /* The database: status, seats, one more event, one audit event. */
            CHECK_STR(steps_status(w->db, app), t->to);
            CHECK_INT(event_count(w, app), events + 1);
            CHECK_INT(seats_taken(w, block), takes_seat(t->to) ? 1 : 0);
            CHECK_INT(seats_taken(w, block) - seats_before,
                      (takes_seat(t->to) ? 1 : 0) - (takes_seat(t->from) ? 1 : 0));
            char detail[160];
            snprintf(detail, sizeof(detail), "%s: %s -> %s", t->action, t->from, t->to);
            CHECK_INT(db_int3(w->db,
                              "SELECT COUNT(*) FROM audit_events WHERE object_id = $1 AND actor_id = $2"
                              " AND action = 'transition' AND detail = $3",
                              app, u->id, detail),
                      1);
            /* GET shows the same history. */
            get_app(&r, u, app);
            CHECK_INT(r.status, 200);
            CHECK_STR(api_json_str(r.json, "status"), t->to);
            history = history_of(r.json);
            CHECK(history != NULL && (long long)json_array_size(history) == events + 1);
            api_free(&r);
            if (test_current_failed)
                printf("  ^ in %s --%s--> %s by %s (application %s)\n", t->from, t->action, t->to, who_name(role), app);
            test_current_failed = test_current_failed || failed_before;
        }
    }
    /* Student rows, the host-side rows by three roles, and book by staff alone. */
    CHECK_INT(paths, 4 + 1 + 2 + 14 * 3 + 1);
}

/* POSTs an action with a JSON body (text) as u; the status. */
static long act_body(struct api_response *r, const struct user *u, const char *app, const char *action,
                     const char *body)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/%s", app, action);
    return call(r, u, "POST", path, NULL, body);
}

TEST(start_and_complete_follow_the_calendar_with_a_staff_override)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    char block[64], app[64], app2[64], block2[64];
    if (!register_student(&s, "calendar") || !app_in_state(w, &s, "cleared", block, app))
        return;
    long long events = event_count(w, app);
    /* Before the first day: start and no-show are refused, and the buttons are not offered. */
    struct api_response r;
    act_body(&r, &w->coord_a, app, "start", "{}");
    CHECK_PROBLEM(&r, 409, "rotation_not_started", NULL);
    CHECK_CONTAINS(r.body, "the rotation starts on");
    api_free(&r);
    act_body(&r, &w->staff, app, "no_show", "{}");
    CHECK_PROBLEM(&r, 409, "rotation_not_started", NULL);
    api_free(&r);
    CHECK_STR(steps_status(w->db, app), "cleared");
    CHECK_INT(event_count(w, app), events);
    char path[200];
    snprintf(path, sizeof(path), "/applications/%s", app);
    const char *headers[] = {w->coord_a.cookie, NULL};
    api_request(&r, "GET", path, headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK(strstr(r.body, "Start the rotation</button>") == NULL);
    CHECK(strstr(r.body, "Record a no-show</button>") == NULL);
    CHECK_CONTAINS(r.body, "are offered from that day");
    api_free(&r);
    /* Only staff override, with a reason; the host's override is 403, an empty reason 400, changes nothing. */
    act_body(&r, &w->coord_a, app, "start", "{\"override_reason\":\"Arrived early\"}");
    CHECK_PROBLEM(&r, 403, "forbidden", "override_reason");
    api_free(&r);
    act_body(&r, &w->staff, app, "start", "{\"override_reason\":\"\"}");
    CHECK_INT(r.status, 400);
    api_free(&r);
    act_body(&r, &w->staff, app, "start", "{\"override_reason\":\"   \"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "override_reason");
    api_free(&r);
    act_body(&r, &w->staff, app, "offer", "{\"override_reason\":\"No reason\"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "override_reason");
    api_free(&r);
    CHECK_STR(steps_status(w->db, app), "cleared");
    CHECK_INT(event_count(w, app), events);
    act_body(&r, &w->staff, app, "start", "{\"override_reason\":\"The host asked to start on the Friday before\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "status"), "in_progress");
    api_free(&r);
    CHECK_INT(db_int3(w->db, "SELECT COUNT(*) FROM audit_events WHERE object_id = $1 AND action = 'date_override'"
                             " AND actor_id = $2 AND detail LIKE '%Friday before%'",
                      app, w->staff.id, NULL),
              1);
    CHECK_INT(db_int3(w->db, "SELECT COUNT(*) FROM application_events WHERE application_id = $1 AND action = 'start'"
                             " AND note LIKE 'Staff override of the dates:%'",
                      app, NULL, NULL),
              1);
    /* Completion before the last day has passed: refused, even on the last day. */
    act_body(&r, &w->coord_a, app, "complete", "{}");
    CHECK_PROBLEM(&r, 409, "rotation_not_ended", NULL);
    api_free(&r);
    clock_for(w, app, "start"); /* the first day */
    act_body(&r, &w->coord_a, app, "complete", "{}");
    CHECK_PROBLEM(&r, 409, "rotation_not_ended", NULL);
    api_free(&r);
    clock_for(w, app, "complete"); /* the day after the last */
    act_body(&r, &w->coord_a, app, "complete", "{}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "status"), "completed");
    api_free(&r);
    hooks_set_clock(0);
    /* A second one: the host starts it on its first day, no override needed. */
    if (!app_in_state(w, &s, "cleared", block2, app2))
        return;
    clock_for(w, app2, "start");
    act_body(&r, &w->coord_a, app2, "start", "{}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    hooks_set_clock(0);
    CHECK_STR(steps_status(w->db, app2), "in_progress");
}

TEST(an_expired_licence_removes_the_preceptor_badge)
{
    struct world *w = &W;
    api_use(w->srv);
    char path[800], body[96], soon[11], later[11];
    snprintf(path, sizeof(path), "/api/v1/preceptors/%s/verify", w->prc_b);
    date_in(10, soon);
    snprintf(body, sizeof(body), "{\"license_expires\":\"%s\"}", soon);
    struct api_response r;
    call(&r, &w->staff, "POST", path, NULL, body);
    CHECK_INT(r.status, 200);
    CHECK(json_is_true(json_object_get(r.json, "verified")));
    CHECK_STR(api_json_str(r.json, "license_expires"), soon);
    api_free(&r);
    /* The day before it expires nothing changes; on the day, the jobs take the badge away. */
    hooks_set_clock(9 * 86400);
    run_jobs();
    CHECK_INT(db_int3(w->db, "SELECT verified FROM preceptors WHERE id = $1", w->prc_b, NULL, NULL), 1);
    hooks_set_clock(10 * 86400 + 60);
    run_jobs();
    CHECK_INT(db_int3(w->db, "SELECT verified FROM preceptors WHERE id = $1", w->prc_b, NULL, NULL), 0);
    CHECK_INT(db_int3(w->db, "SELECT COUNT(*) FROM audit_events WHERE object_id = $1"
                             " AND action = 'preceptor.licence_expired'",
                      w->prc_b, NULL, NULL),
              1);
    /* An expired licence cannot be verified again. */
    call(&r, &w->staff, "POST", path, NULL, "{}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "license_expires");
    api_free(&r);
    hooks_set_clock(0);
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", w->offering_b);
    call(&r, NULL, "GET", path, NULL, NULL);
    CHECK(json_is_false(api_json_get(r.json, "preceptor.verified")));
    api_free(&r);
    /* A renewed licence: verified again. */
    date_in(700, later);
    snprintf(path, sizeof(path), "/api/v1/preceptors/%s/verify", w->prc_b);
    snprintf(body, sizeof(body), "{\"license_expires\":\"%s\"}", later);
    call(&r, &w->staff, "POST", path, NULL, body);
    CHECK_INT(r.status, 200);
    api_free(&r);
}

static const char *const refusal_states[] = {"submitted", "under_review", "offered",   "held",
                                             "booked",    "cleared",      "in_progress", "completed",
                                             "withdrawn", "declined",     "cancelled_by_student",
                                             "cancelled_by_host", "no_show", NULL};

TEST(every_refused_transition_by_every_role_is_409)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    if (!register_student(&s, "refused"))
        return;
    int refused = 0;
    for (size_t i = 0; refusal_states[i] != NULL; i++) {
        const char *state = refusal_states[i];
        char block[64], app[64];
        if (!app_in_state(w, &s, state, block, app))
            continue;
        long long events = event_count(w, app);
        long long seats = seats_taken(w, block);
        for (size_t k = 0; k < 4; k++) {
            unsigned role = all_roles[k];
            for (size_t a = 0; actions[a] != NULL; a++) {
                if (allowed(state, actions[a], role))
                    continue;
                refused++;
                struct api_response r;
                act(&r, actor(w, role, &s), app, actions[a], "should not happen", NULL);
                if (r.status != 409 || api_json_str(r.json, "code") == NULL ||
                    strcmp(api_json_str(r.json, "code"), "invalid_transition") != 0)
                    TEST_FAILF("%s on %s by %s answered %ld: %.200s", actions[a], state, who_name(role), r.status,
                               r.body);
                else
                    CHECK_PROBLEM(&r, 409, "invalid_transition", NULL);
                api_free(&r);
            }
        }
        /* Nothing changed. */
        CHECK_STR(steps_status(w->db, app), state);
        CHECK_INT(event_count(w, app), events);
        CHECK_INT(seats_taken(w, block), seats);
        CHECK_INT(db_int3(w->db, "SELECT COUNT(*) FROM audit_events WHERE object_id = $1 AND action = 'transition'",
                          app, NULL, NULL),
                  events);
    }
    CHECK(refused > 400);
}

TEST(unknown_action_is_404_and_changes_nothing)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    char block[64], app[64];
    if (!register_student(&s, "unknownact") || !app_in_state(w, &s, "offered", block, app))
        return;
    const char *bogus[] = {"expire", "frobnicate", "ACCEPT", "accept2", "submit", "draft", NULL};
    for (size_t i = 0; bogus[i] != NULL; i++) {
        const struct user *users[] = {&s, &w->staff, &w->coord_a};
        for (size_t u = 0; u < 3; u++) {
            struct api_response r;
            act(&r, users[u], app, bogus[i], NULL, NULL);
            CHECK_PROBLEM(&r, 404, "not_found", NULL);
            api_free(&r);
        }
    }
    CHECK_STR(steps_status(w->db, app), "offered");
    CHECK_INT(event_count(w, app), 2);
    /* An action on an application that does not exist: 404 too. */
    struct api_response r;
    act(&r, &w->staff, "a_doesnotexist", "offer", NULL, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    get_app(&r, &w->staff, "a_doesnotexist");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
}

/* ---- history and audit ---- */

TEST(history_and_audit_record_every_transition)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    char block[64], app[64];
    if (!register_student(&s, "history") || !new_block(w, w->offering_a, 2, block) || !apply_for(&s, block, app))
        return;
    const struct {
        const struct user *u;
        const char *action, *from, *to, *role, *note;
    } steps[] = {
        {&w->coord_a, "review", "submitted", "under_review", "host", "Reading it now"},
        {&w->precep_a, "offer", "under_review", "offered", "host", "Strong statement"},
        {&s, "accept", "offered", "held", "student", "Thank you!"},
        {&w->staff, "book", "held", "booked", "staff", "Deposit of $899 received"},
        {&w->coord_a, "clear", "booked", "cleared", "host", ""},
        {&w->precep_a, "start", "cleared", "in_progress", "host", "Day one"},
        {&w->staff, "complete", "in_progress", "completed", "staff", "Well done"},
    };
    size_t n = sizeof(steps) / sizeof(steps[0]);
    for (size_t i = 0; i < n; i++) {
        struct api_response r;
        clock_for(w, app, steps[i].action);
        act(&r, steps[i].u, app, steps[i].action, steps[i].note[0] != '\0' ? steps[i].note : NULL, NULL);
        hooks_set_clock(0);
        CHECK_INT(r.status, 200);
        CHECK_STR(api_json_str(r.json, "status"), steps[i].to);
        api_free(&r);
    }
    struct api_response r;
    get_app(&r, &s, app);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "status"), "completed");
    CHECK_STR(api_json_str(r.json, "block.id"), block);
    CHECK_STR(api_json_str(r.json, "offering.id"), w->offering_a);
    CHECK_STR(api_json_str(r.json, "host.id"), w->org_a);
    json_t *history = history_of(r.json);
    CHECK(history != NULL && json_array_size(history) == n + 1);
    if (history != NULL && json_array_size(history) == n + 1) {
        json_t *first = json_array_get(history, 0);
        CHECK_STR(api_json_str(first, "action"), "submit");
        CHECK(json_is_null(json_object_get(first, "from")));
        CHECK_STR(api_json_str(first, "to"), "submitted");
        CHECK_STR(api_json_str(first, "by.id"), s.id);
        CHECK_STR(api_json_str(first, "by.role"), "student");
        CHECK(is_rfc3339(api_json_str(first, "at")));
        for (size_t i = 0; i < n; i++) {
            json_t *e = json_array_get(history, i + 1);
            CHECK_STR(api_json_str(e, "action"), steps[i].action);
            CHECK_STR(api_json_str(e, "from"), steps[i].from);
            CHECK_STR(api_json_str(e, "to"), steps[i].to);
            CHECK_STR(api_json_str(e, "by.id"), steps[i].u->id);
            CHECK_STR(api_json_str(e, "by.name"), steps[i].u->name);
            CHECK_STR(api_json_str(e, "by.role"), steps[i].role);
            CHECK_STR(api_json_str(e, "note"), steps[i].note);
            CHECK(is_rfc3339(api_json_str(e, "at")));
            const char *at = api_json_str(e, "at"), *before = api_json_str(json_array_get(history, i), "at");
            CHECK(at != NULL && before != NULL && strcmp(before, at) <= 0);
        }
    }
    api_free(&r);
    /* Everyone who may see it sees the same history. */
    const struct user *viewers[] = {&w->coord_a, &w->precep_a, &w->staff};
    for (size_t v = 0; v < 3; v++) {
        get_app(&r, viewers[v], app);
        CHECK_INT(r.status, 200);
        history = history_of(r.json);
        CHECK(history != NULL && json_array_size(history) == n + 1);
        api_free(&r);
    }

    /* The audit trail, read by staff through the API. */
    char path[300];
    const struct user *actors[] = {&s, &w->coord_a, &w->precep_a, &w->staff};
    for (size_t a = 0; a < 4; a++) {
        snprintf(path, sizeof(path), "/api/v1/audit?action=transition&actor=%s&limit=100", actors[a]->id);
        call(&r, &w->staff, "GET", path, NULL, NULL);
        CHECK_INT(r.status, 200);
        json_t *items = json_object_get(r.json, "items");
        CHECK(json_is_array(items));
        /* Each step by this actor is there exactly once. */
        for (size_t i = 0; i <= n; i++) {
            const struct user *who = i == 0 ? &s : steps[i - 1].u;
            if (who != actors[a])
                continue;
            char detail[160];
            if (i == 0)
                snprintf(detail, sizeof(detail), "submit: -> submitted");
            else
                snprintf(detail, sizeof(detail), "%s: %s -> %s", steps[i - 1].action, steps[i - 1].from,
                         steps[i - 1].to);
            int seen = 0;
            size_t idx;
            json_t *item;
            json_array_foreach(items, idx, item)
            {
                const char *obj = api_json_str(item, "object_id"), *d = api_json_str(item, "detail");
                if (obj != NULL && d != NULL && strcmp(obj, app) == 0 && strcmp(d, detail) == 0) {
                    seen++;
                    CHECK_STR(api_json_str(item, "actor_id"), actors[a]->id);
                    CHECK_STR(api_json_str(item, "action"), "transition");
                    CHECK_STR(api_json_str(item, "object_type"), "application");
                    CHECK(is_rfc3339(api_json_str(item, "at")));
                    /* The same in words: the sentence, the actor by name and role, the application named. */
                    CHECK_STR(api_json_str(item, "action_label"), "Moved an application");
                    CHECK_STR(api_json_str(item, "actor_name"), actors[a]->name);
                    CHECK(api_json_str(item, "actor_role") != NULL);
                    const char *object = api_json_str(item, "object_label");
                    char expected[200];
                    snprintf(expected, sizeof(expected), "Application of %s to ", s.name);
                    if (object == NULL || strncmp(object, expected, strlen(expected)) != 0)
                        TEST_FAILF("audit: the application is named \"%s\"", object != NULL ? object : "(null)");
                }
            }
            if (seen != 1)
                TEST_FAILF("audit: \"%s\" by %s seen %d times", detail, actors[a]->email, seen);
        }
        api_free(&r);
    }
    /* The staff page says it in words: the sentence, who by name, the application named and linked; the
     * ids only in small print. */
    const char *staff_page[] = {w->staff.cookie, NULL};
    snprintf(path, sizeof(path), "/staff/audit?action=transition&actor=%s", s.email);
    api_request(&r, "GET", path, staff_page, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Moved an application");
    CHECK_CONTAINS(r.body, "to Submitted");
    char want[300];
    snprintf(want, sizeof(want), "<strong><a href=\"/staff/users/%s\">%s</a></strong>", s.id, s.name);
    CHECK_CONTAINS(r.body, want);
    snprintf(want, sizeof(want), "<a href=\"/applications/%s\">Application of %s to ", app, s.name);
    CHECK_CONTAINS(r.body, want);
    snprintf(want, sizeof(want), "<small class=\"muted audit-id\">%s</small>", s.id);
    CHECK_CONTAINS(r.body, want);
    CHECK(strstr(r.body, "<code>transition</code>") == NULL);
    api_free(&r);
    /* The action by its sentence filters the same; filters that cannot be read are a 400 with the form kept. */
    snprintf(path, sizeof(path), "/staff/audit?action=moved+an+application&actor=%s", s.email);
    api_request(&r, "GET", path, staff_page, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Moved an application");
    api_free(&r);
    api_request(&r, "GET", "/staff/audit?action=no_such_action&actor=someone%40example.org", staff_page, NULL);
    CHECK_INT(r.status, 400);
    CHECK_CONTAINS(r.body, "Rounds records no action by this name");
    CHECK_CONTAINS(r.body, "value=\"no_such_action\" list=\"audit-actions\"");
    CHECK_CONTAINS(r.body, "value=\"someone@example.org\"");
    CHECK_CONTAINS(r.body, "aria-invalid=\"true\"");
    api_free(&r);
    api_request(&r, "GET", "/staff/audit?before=abc&action=transition", staff_page, NULL);
    CHECK_INT(r.status, 400);
    CHECK_CONTAINS(r.body, "This is not a page of the audit trail");
    CHECK_CONTAINS(r.body, "value=\"transition\"");
    api_free(&r);
    /* Non-staff may not read the audit trail. */
    const struct user *outsiders[] = {&s, &w->coord_a, &w->precep_a};
    for (size_t i = 0; i < 3; i++) {
        call(&r, outsiders[i], "GET", "/api/v1/audit", NULL, NULL);
        CHECK_PROBLEM(&r, 403, "forbidden", NULL);
        api_free(&r);
    }
    call(&r, NULL, "GET", "/api/v1/audit", NULL, NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
}

/* The audit trail's details in words, and the staff page of an account. */
TEST(audit_details_read_in_words_and_staff_open_the_actor)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    char block[64], app[64], path[1600], want[4000];
    if (!register_student(&s, "auditwords") || !new_block(w, w->offering_a, 2, block) || !apply_for(&s, block, app))
        return;
    struct api_response r;
    /* Coordinator B is refused the statement and the audit page: two refusals, each in words. */
    snprintf(path, sizeof(path), "/api/v1/applications/%s/statement", app);
    call(&r, &w->coord_b, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 404);
    api_free(&r);
    const char *coord_b_page[] = {w->coord_b.cookie, NULL};
    api_request(&r, "GET", "/staff/audit", coord_b_page, NULL);
    CHECK_INT(r.status, 404);
    api_free(&r);
    const char *staff_page[] = {w->staff.cookie, NULL};
    snprintf(path, sizeof(path), "/staff/audit?action=forbidden&actor=%s", w->coord_b.id);
    api_request(&r, "GET", path, staff_page, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "<td data-label=\"Detail\">Tried to read the personal statement</td>");
    CHECK_CONTAINS(r.body, "<td data-label=\"Detail\">Tried to open this page</td>");
    CHECK(strstr(r.body, ">statement<") == NULL && strstr(r.body, ">GET<") == NULL);
    snprintf(want, sizeof(want), "<a href=\"/staff/users/%s\">%s</a>", w->coord_b.id, w->coord_b.name);
    CHECK_CONTAINS(r.body, want);
    api_free(&r);
    /* The API keeps the detail as stored and adds it in words. */
    snprintf(path, sizeof(path), "/api/v1/audit?action=forbidden&actor=%s&limit=100", w->coord_b.id);
    call(&r, &w->staff, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 200);
    int seen = 0;
    size_t idx;
    json_t *item;
    json_array_foreach(json_object_get(r.json, "items"), idx, item)
    {
        const char *obj = api_json_str(item, "object_id"), *d = api_json_str(item, "detail");
        if (obj != NULL && d != NULL && strcmp(obj, app) == 0 && strcmp(d, "statement") == 0) {
            seen++;
            CHECK_STR(api_json_str(item, "detail_label"), "Tried to read the personal statement");
        }
    }
    CHECK_INT(seen, 1);
    api_free(&r);
    /* Staff open the student's page: who they are and what they did. */
    snprintf(path, sizeof(path), "/staff/users/%s", s.id);
    api_request(&r, "GET", path, staff_page, NULL);
    CHECK_INT(r.status, 200);
    snprintf(want, sizeof(want), "<h1>%s</h1>", s.name);
    CHECK_CONTAINS(r.body, want);
    CHECK_CONTAINS(r.body, s.email);
    CHECK_CONTAINS(r.body, "Student");
    CHECK_CONTAINS(r.body, "Two-step sign-in");
    CHECK_CONTAINS(r.body, "Moved an application");
    snprintf(want, sizeof(want), "Application of %s to ", s.name);
    CHECK_CONTAINS(r.body, want);
    snprintf(want, sizeof(want), "<a href=\"/staff/audit?actor=%s\">", s.id);
    CHECK_CONTAINS(r.body, want);
    api_free(&r);
    /* Not staff: nothing there; an unknown account: nothing either. */
    const char *student_page[] = {s.cookie, NULL};
    api_request(&r, "GET", path, student_page, NULL);
    CHECK_INT(r.status, 404);
    CHECK(strstr(r.body, "Two-step sign-in") == NULL);
    api_free(&r);
    api_request(&r, "GET", "/staff/users/no-such-account", staff_page, NULL);
    CHECK_INT(r.status, 404);
    api_free(&r);
}

/* ---- visibility ---- */

TEST(others_get_404_on_every_route_and_are_audited)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s, other;
    char block[64], app[64];
    if (!register_student(&s, "owner") || !register_student(&other, "nosy") ||
        !app_in_state(w, &s, "offered", block, app))
        return;
    long long events = event_count(w, app);
    /* The reply for an application that does not exist, to compare with. */
    struct api_response missing;
    get_app(&missing, &other, "a_nosuchapplication0000000");
    CHECK_PROBLEM(&missing, 404, "not_found", NULL);
    const struct user *intruders[] = {&other, &w->coord_b, &w->stray};
    for (size_t i = 0; i < 3; i++) {
        const struct user *u = intruders[i];
        long long before = db_int3(w->db,
                                   "SELECT COUNT(*) FROM audit_events WHERE action = 'forbidden' AND actor_id = $1"
                                   " AND object_id = $2",
                                   u->id, app, NULL);
        struct api_response r;
        get_app(&r, u, app);
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        CHECK_STR(api_json_str(r.json, "detail"), api_json_str(missing.json, "detail"));
        CHECK(strstr(r.body, s.id) == NULL && strstr(r.body, w->title_a) == NULL);
        api_free(&r);
        for (size_t a = 0; actions[a] != NULL; a++) {
            act(&r, u, app, actions[a], NULL, NULL);
            CHECK_PROBLEM(&r, 404, "not_found", NULL);
            CHECK_STR(api_json_str(r.json, "detail"), api_json_str(missing.json, "detail"));
            api_free(&r);
        }
        /* Each attempt (one read, eleven actions) is audited as forbidden. */
        long long after = db_int3(w->db,
                                  "SELECT COUNT(*) FROM audit_events WHERE action = 'forbidden' AND actor_id = $1"
                                  " AND object_id = $2",
                                  u->id, app, NULL);
        CHECK_INT(after - before, 12);
        /* The list does not show it either. */
        call(&r, u, "GET", "/api/v1/applications?limit=100", NULL, NULL);
        CHECK_INT(r.status, 200);
        CHECK(r.body != NULL && strstr(r.body, app) == NULL);
        api_free(&r);
    }
    api_free(&missing);
    CHECK_STR(steps_status(w->db, app), "offered");
    CHECK_INT(event_count(w, app), events);
    CHECK_INT(seats_taken(w, block), 0);
    /* Staff sees the forbidden attempts in the audit trail. */
    char path[300];
    snprintf(path, sizeof(path), "/api/v1/audit?action=forbidden&actor=%s", other.id);
    struct api_response r;
    call(&r, &w->staff, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 200);
    json_t *items = json_object_get(r.json, "items");
    CHECK(json_is_array(items) && json_array_size(items) == 12);
    size_t idx;
    json_t *item;
    json_array_foreach(items, idx, item)
    {
        CHECK_STR(api_json_str(item, "object_id"), app);
        CHECK_STR(api_json_str(item, "object_type"), "application");
    }
    api_free(&r);
    /* The owner, the host's coordinator and the linked preceptor see it; the list shows it. */
    const struct user *viewers[] = {&s, &w->coord_a, &w->precep_a, &w->staff};
    for (size_t i = 0; i < 4; i++) {
        get_app(&r, viewers[i], app);
        CHECK_INT(r.status, 200);
        api_free(&r);
    }
    char list[200];
    snprintf(list, sizeof(list), "/api/v1/applications?block=%s", block);
    for (size_t i = 0; i < 4; i++) {
        call(&r, viewers[i], "GET", list, NULL, NULL);
        CHECK_INT(r.status, 200);
        CHECK_CONTAINS(r.body, app);
        api_free(&r);
    }
}

/* ---- seats ---- */

TEST(seats_are_taken_and_freed_and_never_oversold)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s[4];
    char block[64], app[4][64];
    if (!new_block(w, w->offering_a, 2, block))
        return;
    for (int i = 0; i < 4; i++)
        if (!register_student(&s[i], "seats") || !apply_for(&s[i], block, app[i]) ||
            !steps_act(&w->coord_a, app[i], "offer"))
            return;
    CHECK_INT(seats_taken(w, block), 0);
    CHECK(steps_act(&s[0], app[0], "accept"));
    CHECK_INT(seats_taken(w, block), 1);
    CHECK(steps_act(&s[1], app[1], "accept"));
    CHECK_INT(seats_taken(w, block), 2);
    /* Full: the third accept is refused and nothing changes. */
    long long events = event_count(w, app[2]);
    struct api_response r;
    act(&r, &s[2], app[2], "accept", NULL, NULL);
    CHECK_PROBLEM(&r, 409, "block_full", NULL);
    api_free(&r);
    CHECK_STR(steps_status(w->db, app[2]), "offered");
    CHECK_INT(event_count(w, app[2]), events);
    CHECK_INT(seats_taken(w, block), 2);
    CHECK_INT(api_db_int(w->db,
                         "SELECT COUNT(*) FROM applications WHERE block_id = $1 AND status IN ('held', 'booked',"
                         " 'cleared', 'in_progress', 'completed')",
                         block, NULL),
              2);
    /* The block's seats cannot go below the seats taken. */
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/blocks/%s", block);
    call(&r, &w->coord_a, "PATCH", path, NULL, "{\"seats\":1}");
    CHECK_PROBLEM(&r, 409, "conflict", "seats");
    api_free(&r);
    CHECK_INT(block_seats(w, block), 2);
    CHECK_INT(seats_taken(w, block), 2);
    call(&r, &w->staff, "PATCH", path, NULL, "{\"seats\":1}");
    CHECK_INT(r.status, 409);
    api_free(&r);
    CHECK_INT(block_seats(w, block), 2);
    /* Exactly the seats taken is fine. */
    call(&r, &w->coord_a, "PATCH", path, NULL, "{\"seats\":2}");
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "seats_taken", -1), 2);
    CHECK_INT(api_json_int(r.json, "seats_left", -1), 0);
    api_free(&r);

    /* Withdrawing from held frees the seat; then the waiting offer can be accepted. */
    CHECK(steps_act(&s[0], app[0], "withdraw"));
    CHECK_INT(seats_taken(w, block), 1);
    CHECK(steps_act(&s[2], app[2], "accept"));
    CHECK_INT(seats_taken(w, block), 2);
    /* Booked, then cancelled by the student: freed. */
    CHECK(steps_act(&w->staff, app[1], "book"));
    CHECK_INT(seats_taken(w, block), 2);
    CHECK(steps_act(&s[1], app[1], "cancel"));
    CHECK_STR(steps_status(w->db, app[1]), "cancelled_by_student");
    CHECK_INT(seats_taken(w, block), 1);
    /* Booked, then cancelled by the host: freed. */
    CHECK(steps_act(&w->staff, app[2], "book"));
    CHECK(steps_act(&w->coord_a, app[2], "cancel"));
    CHECK_STR(steps_status(w->db, app[2]), "cancelled_by_host");
    CHECK_INT(seats_taken(w, block), 0);
    /* The last offer takes a freed seat. */
    CHECK(steps_act(&s[3], app[3], "accept"));
    CHECK_INT(seats_taken(w, block), 1);
    /* The offering page agrees. */
    snprintf(path, sizeof(path), "/api/v1/offerings/%.63s", w->offering_a);
    call(&r, &s[3], "GET", path, NULL, NULL);
    CHECK_INT(r.status, 200);
    json_t *blocks = json_object_get(r.json, "blocks");
    size_t idx;
    json_t *b;
    int seen = 0;
    json_array_foreach(blocks, idx, b)
    {
        if (api_json_str(b, "id") != NULL && strcmp(api_json_str(b, "id"), block) == 0) {
            seen++;
            CHECK_INT(api_json_int(b, "seats_left", -1), 1);
        }
    }
    CHECK_INT(seen, 1);
    api_free(&r);
}

/* ---- apply-time checks ---- */

static void check_apply_refused(const struct user *s, const char *block, const char *field, const char *words)
{
    struct world *w = &W;
    long long before = applications_of(w, s->id);
    struct api_response r;
    apply_raw(&r, s, block, NULL);
    CHECK_PROBLEM(&r, 422, "unprocessable", field);
    CHECK_CONTAINS(api_json_str(r.json, "detail"), words);
    api_free(&r);
    CHECK_INT(applications_of(w, s->id), before);
}

/* A form POST from the user's cookie session (with its CSRF token), as the apply page sends it. */
static long post_page_form(struct api_response *r, const struct user *u, const char *path, const char *fields)
{
    char form[1024];
    snprintf(form, sizeof(form), "csrf_token=%s&%s", u->csrf, fields);
    const char *headers[] = {u->cookie, "Accept: text/html", "Content-Type: application/x-www-form-urlencoded", NULL};
    struct api_raw_request rq = {"POST", path, headers, form, strlen(form), true};
    return api_send(r, &rq);
}

/* A block that has begun (its first day today, 3 or 9 days ago; another
 * student has applied for it): 422 naming the reason, on the API (with or without
 * an Idempotency-Key) and as an error summary on the apply page, never a 5xx;
 * nothing is created. */
TEST(applying_for_a_block_that_has_started_is_422_with_the_reason)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s, first;
    if (!register_student(&s, "startedblk") || !register_student(&first, "startedfirst"))
        return;
    char block[64], app[64], key[64], fields[256], path[512];
    if (!steps_block(&w->staff, w->offering_a, 2, 20, 5, block) || !apply_for(&first, block, app))
        return;
    long long offsets[] = {2 * 86400 + 3600, 5 * 86400, 11 * 86400}; /* sessions outlive these */
    for (size_t i = 0; i < 3; i++) {
        hooks_set_clock(offsets[i]);
        check_apply_refused(&s, block, "block_id", "started");
        struct api_response r;
        crypto_random_token(key);
        long long before = applications_of(w, s.id);
        for (int again = 0; again < 2; again++) { /* the refusal replays */
            apply_raw(&r, &s, block, key);
            CHECK_PROBLEM(&r, 422, "unprocessable", "block_id");
            CHECK_CONTAINS(api_json_str(r.json, "detail"), "started");
            api_free(&r);
        }
        snprintf(fields, sizeof(fields), "block_id=%s&statement=Keen+on+medicine.", block);
        snprintf(path, sizeof(path), "/offerings/%s/apply", w->offering_a);
        post_page_form(&r, &s, path, fields);
        CHECK_INT(r.status, 422);
        CHECK_CONTAINS(r.body, "You have not applied.");
        CHECK_CONTAINS(r.body, "the rotation has already begun");
        CHECK_CONTAINS(r.body, "href=\"#f-block_id\"");
        CHECK_CONTAINS(r.body, "Keen on medicine.");
        api_free(&r);
        CHECK_INT(applications_of(w, s.id), before);
    }
    hooks_set_clock(0);
}

TEST(apply_checks_name_the_reason)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s, t;
    if (!register_student(&s, "applychk") || !register_student(&t, "applychk2"))
        return;
    /* An unknown block. */
    check_apply_refused(&s, "blk_doesnotexist000000", "block_id", "no open block");

    /* A block that has started: made for two days from now, then the clock moves three days on. */
    char soon[64];
    if (steps_block(&w->staff, w->offering_a, 2, 5, 5, soon)) {
        hooks_set_clock(3 * 86400);
        check_apply_refused(&s, soon, "block_id", "started");
        hooks_set_clock(0);
        /* Before it starts the same application is fine. */
        char app[64];
        CHECK(apply_for(&t, soon, app));
    }

    /* A full block. */
    char full[64], app_t[64];
    if (new_block(w, w->offering_a, 1, full) && apply_for(&t, full, app_t) && steps_act(&w->coord_a, app_t, "offer") &&
        steps_act(&t, app_t, "accept"))
        check_apply_refused(&s, full, "block_id", "full");

    /* A second active application for the same block; allowed again once the first is withdrawn. */
    char block[64], first[64];
    if (new_block(w, w->offering_a, 5, block) && apply_for(&s, block, first)) {
        check_apply_refused(&s, block, "block_id", "active application");
        CHECK(steps_act(&w->coord_a, first, "review"));
        check_apply_refused(&s, block, "block_id", "active application");
        CHECK(steps_act(&s, first, "withdraw"));
        char again[64];
        CHECK(apply_for(&s, block, again));
    }

    /* A booked (or held) rotation at the same time: a block of offering B overlapping it. */
    char held_block[64], held_app[64], overlap[64], apart[64];
    int k = w->next_block++;
    if (steps_block(&w->staff, w->offering_a, 30 + 7 * k, 5, 5, held_block) &&
        apply_for(&s, held_block, held_app) &&
        steps_act(&w->coord_a, held_app, "offer") && steps_act(&s, held_app, "accept") &&
        steps_block(&w->staff, w->offering_b, 30 + 7 * k + 2, 5, 5, overlap)) {
        check_apply_refused(&s, overlap, "block_id", "same time");
        CHECK(steps_act(&w->staff, held_app, "book"));
        check_apply_refused(&s, overlap, "block_id", "same time");
        /* Another student is not affected, nor is a block that does not overlap. */
        char other_app[64];
        CHECK(apply_for(&t, overlap, other_app));
        if (new_block(w, w->offering_b, 5, apart)) {
            char ok_app[64];
            CHECK(apply_for(&s, apart, ok_app));
        }
    }

    /* Eligibility: an offering that needs Step 1 passed. */
    char strict[64], strict_block[64], title[160];
    snprintf(title, sizeof(title), "Cardiology Externship (Step 1 required) %.15s", w->tag);
    json_t *rules = json_pack("{s:b,s:b,s:[]}", "graduates_allowed", 1, "step1_required", 1, "visa_kinds");
    if (create_offering(&w->coord_a, w->org_a, w->site_a, w->prc_a, title, rules, strict) &&
        new_block(w, strict, 5, strict_block)) {
        check_apply_refused(&s, strict_block, "eligibility", "eligibility");
        struct api_response r;
        call(&r, &s, "PATCH", "/api/v1/me", NULL, "{\"step1\":\"passed\"}");
        CHECK_INT(r.status, 200);
        api_free(&r);
        char app[64];
        CHECK(apply_for(&s, strict_block, app));
        /* A graduate on a visa the offering does not take. */
        json_t *visa_rules = json_pack("{s:b,s:b,s:[s]}", "graduates_allowed", 1, "step1_required", 0, "visa_kinds",
                                       "j1");
        char visa_off[64], visa_block[64];
        snprintf(title, sizeof(title), "J-1 Research Elective %.15s", w->tag);
        if (create_offering(&w->coord_a, w->org_a, w->site_a, w->prc_a, title, visa_rules, visa_off) &&
            new_block(w, visa_off, 5, visa_block)) {
            call(&r, &t, "PATCH", "/api/v1/me", NULL, "{\"visa_kind\":\"b1_b2\"}");
            CHECK_INT(r.status, 200);
            api_free(&r);
            check_apply_refused(&t, visa_block, "eligibility", "eligibility");
            call(&r, &t, "PATCH", "/api/v1/me", NULL, "{\"visa_kind\":\"j1\"}");
            CHECK_INT(r.status, 200);
            api_free(&r);
            char ok_app[64];
            CHECK(apply_for(&t, visa_block, ok_app));
        }
    }

    /* A draft offering's block is not open. */
    char draft[64], draft_block[64];
    snprintf(title, sizeof(title), "Draft Rotation %.15s", w->tag);
    if (create_offering(&w->coord_a, w->org_a, w->site_a, w->prc_a, title, NULL, draft) &&
        new_block(w, draft, 5, draft_block)) {
        char path[160];
        snprintf(path, sizeof(path), "/api/v1/offerings/%s", draft);
        struct api_response r;
        call(&r, &w->coord_a, "PATCH", path, NULL, "{\"status\":\"draft\"}");
        CHECK_INT(r.status, 200);
        api_free(&r);
        check_apply_refused(&s, draft_block, "block_id", "no open block");
    }

    /* Not a student: 403, nothing created. */
    char block2[64];
    if (new_block(w, w->offering_a, 5, block2)) {
        const struct user *others[] = {&w->coord_a, &w->precep_a, &w->staff, &w->coord_b};
        for (size_t i = 0; i < 4; i++) {
            struct api_response r;
            apply_raw(&r, others[i], block2, NULL);
            CHECK_PROBLEM(&r, 403, "forbidden", NULL);
            api_free(&r);
            CHECK_INT(applications_of(w, others[i]->id), 0);
        }
        struct api_response r;
        apply_raw(&r, NULL, block2, NULL);
        CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
        api_free(&r);
        CHECK_INT(api_db_int(w->db, "SELECT COUNT(*) FROM applications WHERE block_id = $1", block2, NULL), 0);
    }
}

/* ---- expiry ---- */

TEST(offer_expires_by_the_sweeper)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    char block[64], app[64];
    if (!register_student(&s, "offerexp") || !app_in_state(w, &s, "offered", block, app))
        return;
    long long expires = api_db_int(w->db, "SELECT offer_expires_at - updated_at FROM applications WHERE id = $1", app,
                                   NULL);
    CHECK_INT(expires, 7 * 86400);
    /* Not yet: a minute before. */
    hooks_set_clock(7 * 86400 - 60);
    run_jobs_until_no_expiry();
    CHECK_STR(steps_status(w->db, app), "offered");
    hooks_set_clock(7 * 86400 + 60);
    long long moved = run_jobs_until_no_expiry();
    hooks_set_clock(0);
    CHECK(moved >= 1);
    CHECK_STR(steps_status(w->db, app), "offer_expired");
    CHECK_INT(seats_taken(w, block), 0);
    struct api_response r;
    get_app(&r, &s, app);
    CHECK_STR(api_json_str(r.json, "status"), "offer_expired");
    json_t *history = history_of(r.json);
    json_t *last = history != NULL ? json_array_get(history, json_array_size(history) - 1) : NULL;
    CHECK_STR(api_json_str(last, "action"), "expire");
    CHECK_STR(api_json_str(last, "from"), "offered");
    CHECK_STR(api_json_str(last, "to"), "offer_expired");
    CHECK_STR(api_json_str(last, "by.role"), "system");
    CHECK(json_is_null(api_json_get(last, "by.id")));
    api_free(&r);
    /* Too late to accept now. */
    act(&r, &s, app, "accept", NULL, NULL);
    CHECK_PROBLEM(&r, 409, "invalid_transition", NULL);
    api_free(&r);
    CHECK_INT(seats_taken(w, block), 0);
}

TEST(hold_expires_by_the_sweeper_and_frees_the_seat)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    char block[64], app[64];
    if (!register_student(&s, "holdexp") || !app_in_state(w, &s, "held", block, app))
        return;
    CHECK_INT(seats_taken(w, block), 1);
    long long hold =
        api_db_int(w->db, "SELECT hold_expires_at - updated_at FROM applications WHERE id = $1", app, NULL);
    CHECK_INT(hold, 7 * 86400);
    hooks_set_clock(7 * 86400 + 60);
    long long moved = run_jobs_until_no_expiry();
    hooks_set_clock(0);
    CHECK(moved >= 1);
    CHECK_STR(steps_status(w->db, app), "hold_expired");
    CHECK_INT(seats_taken(w, block), 0);
    struct api_response r;
    get_app(&r, &w->coord_a, app);
    CHECK_STR(api_json_str(r.json, "status"), "hold_expired");
    CHECK(json_is_false(api_json_get(r.json, "seat_held")));
    api_free(&r);
    act(&r, &w->staff, app, "book", NULL, NULL);
    CHECK_INT(r.status, 409);
    api_free(&r);
    CHECK_INT(seats_taken(w, block), 0);
}

TEST(accept_after_expiry_before_the_sweeper_is_409_and_expires_it)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    char block[64], app[64], block2[64], app2[64];
    if (!register_student(&s, "lateaccept") || !app_in_state(w, &s, "offered", block, app) ||
        !app_in_state(w, &s, "held", block2, app2))
        return;
    hooks_set_clock(8 * 86400);
    struct api_response r;
    act(&r, &s, app, "accept", NULL, NULL);
    CHECK_PROBLEM(&r, 409, "invalid_transition", NULL);
    api_free(&r);
    /* The expiry is recorded at once, without the sweeper. */
    CHECK_STR(steps_status(w->db, app), "offer_expired");
    CHECK_INT(seats_taken(w, block), 0);
    /* A hold past its time: book is refused with hold_expired and the seat is freed. */
    act(&r, &w->staff, app2, "book", NULL, NULL);
    CHECK_PROBLEM(&r, 409, "hold_expired", NULL);
    api_free(&r);
    CHECK_STR(steps_status(w->db, app2), "hold_expired");
    CHECK_INT(seats_taken(w, block2), 0);
    hooks_set_clock(0);
    get_app(&r, &s, app);
    json_t *history = history_of(r.json);
    json_t *last = history != NULL ? json_array_get(history, json_array_size(history) - 1) : NULL;
    CHECK_STR(api_json_str(last, "to"), "offer_expired");
    CHECK_STR(api_json_str(last, "by.role"), "system");
    api_free(&r);
}

/* ---- Idempotency-Key ---- */

TEST(idempotent_apply_replays_the_first_reply)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s, t;
    char block[64], block2[64];
    if (!register_student(&s, "idem") || !register_student(&t, "idem2") || !new_block(w, w->offering_a, 5, block) ||
        !new_block(w, w->offering_a, 5, block2))
        return;
    char key[80];
    snprintf(key, sizeof(key), "apply-%s", s.id);
    struct api_response first, again;
    apply_raw(&first, &s, block, key);
    CHECK_INT(first.status, 201);
    CHECK(api_header(&first, "idempotent-replayed") == NULL);
    const char *id = api_json_str(first.json, "id");
    apply_raw(&again, &s, block, key);
    CHECK_INT(again.status, 201);
    CHECK_STR(again.body, first.body);
    CHECK_STR(api_header(&again, "idempotent-replayed"), "true");
    CHECK_CONTAINS(api_header(&again, "content-type"), "application/json");
    api_free(&again);
    /* One application, one history event, one notification for the coordinator. */
    CHECK_INT(applications_of(w, s.id), 1);
    if (id != NULL) {
        CHECK_INT(event_count(w, id), 1);
        CHECK_INT(api_db_int(w->db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND link LIKE '%' || $2",
                             w->coord_a.id, id),
                  1);
    }
    /* The same key with another body: 422, nothing created. */
    apply_raw(&again, &s, block2, key);
    CHECK_PROBLEM(&again, 422, "unprocessable", "Idempotency-Key");
    api_free(&again);
    CHECK_INT(applications_of(w, s.id), 1);
    /* Keys are per user: another student with the same key applies for herself. */
    apply_raw(&again, &t, block, key);
    CHECK_INT(again.status, 201);
    CHECK(api_header(&again, "idempotent-replayed") == NULL);
    CHECK(api_json_str(again.json, "id") != NULL && id != NULL && strcmp(api_json_str(again.json, "id"), id) != 0);
    CHECK_STR(api_json_str(again.json, "student.id"), t.id);
    api_free(&again);
    CHECK_INT(applications_of(w, t.id), 1);
    /* A refused request is replayed as refused too (the block is the same, the first key's body). */
    char key2[80];
    snprintf(key2, sizeof(key2), "dup-%s", s.id);
    apply_raw(&again, &s, block, key2);
    CHECK_INT(again.status, 422);
    struct api_response replay;
    apply_raw(&replay, &s, block, key2);
    CHECK_INT(replay.status, 422);
    CHECK_STR(replay.body, again.body);
    CHECK_STR(api_header(&replay, "idempotent-replayed"), "true");
    CHECK_CONTAINS(api_header(&replay, "content-type"), "application/problem+json");
    api_free(&replay);
    api_free(&again);
    api_free(&first);
    CHECK_INT(applications_of(w, s.id), 1);
    /* Keys are kept a day: after that the jobs prune them and the key is new again. */
    hooks_set_clock(25 * 3600);
    run_jobs();
    CHECK_INT(db_int3(w->db, "SELECT COUNT(*) FROM idempotency_keys WHERE user_id = $1 AND key = $2", s.id, key, NULL),
              0);
    apply_raw(&again, &s, block2, key);
    CHECK_INT(again.status, 201);
    CHECK(api_header(&again, "idempotent-replayed") == NULL);
    api_free(&again);
    hooks_set_clock(0);
    CHECK_INT(applications_of(w, s.id), 2);
}

TEST(idempotent_action_replays_with_no_second_effect)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    char block[64], app[64], block2[64], app2[64];
    if (!register_student(&s, "idemact") || !app_in_state(w, &s, "offered", block, app) ||
        !app_in_state(w, &s, "submitted", block2, app2))
        return;
    char key[80];
    snprintf(key, sizeof(key), "accept-%s", app);
    struct api_response first, again;
    act(&first, &s, app, "accept", "Yes please", key);
    CHECK_INT(first.status, 200);
    CHECK_STR(api_json_str(first.json, "status"), "held");
    act(&again, &s, app, "accept", "Yes please", key);
    CHECK_INT(again.status, 200);
    CHECK_STR(again.body, first.body);
    CHECK_STR(api_header(&again, "idempotent-replayed"), "true");
    api_free(&again);
    api_free(&first);
    /* One accept in the history, one seat, one audit event. */
    CHECK_INT(db_int3(w->db, "SELECT COUNT(*) FROM application_events WHERE application_id = $1 AND action = $2", app,
                      "accept", NULL),
              1);
    CHECK_INT(seats_taken(w, block), 1);
    CHECK_INT(db_int3(w->db,
                      "SELECT COUNT(*) FROM audit_events WHERE object_id = $1 AND action = 'transition'"
                      " AND detail = $2",
                      app, "accept: offered -> held", NULL),
              1);
    /* The same key, another note: 422, nothing moves. */
    act(&again, &s, app, "accept", "Yes please!", key);
    CHECK_PROBLEM(&again, 422, "unprocessable", "Idempotency-Key");
    api_free(&again);
    /* The same key, another action on the same application: 422. */
    act(&again, &s, app, "withdraw", "Yes please", key);
    CHECK_PROBLEM(&again, 422, "unprocessable", "Idempotency-Key");
    api_free(&again);
    CHECK_STR(steps_status(w->db, app), "held");
    CHECK_INT(seats_taken(w, block), 1);
    /* Per user: the coordinator's same key is a new request. */
    act(&first, &w->coord_a, app2, "offer", "Yes please", key);
    CHECK_INT(first.status, 200);
    CHECK(api_header(&first, "idempotent-replayed") == NULL);
    CHECK_STR(api_json_str(first.json, "status"), "offered");
    api_free(&first);
    /* Without a key a repeated action is simply refused the second time. */
    act(&first, &w->coord_a, app2, "offer", NULL, NULL);
    CHECK_PROBLEM(&first, 409, "invalid_transition", NULL);
    api_free(&first);
    CHECK_INT(db_int3(w->db, "SELECT COUNT(*) FROM application_events WHERE application_id = $1 AND action = $2", app2,
                      "offer", NULL),
              1);
}

/* ---- notifications ---- */

static long long unread_of(const struct user *u, json_t **items_out)
{
    struct api_response r;
    call(&r, u, "GET", "/api/v1/notifications", NULL, NULL);
    long long unread = r.status == 200 ? api_json_int(r.json, "unread", -1) : -1;
    if (r.status != 200)
        TEST_FAILF("GET /api/v1/notifications answered %ld: %.200s", r.status, r.body);
    if (items_out != NULL)
        *items_out = json_incref(json_object_get(r.json, "items"));
    api_free(&r);
    return unread;
}

/* The id of the newest notification whose link names app (heap), or NULL. */
static char *notification_for(json_t *items, const char *app, const char *kind)
{
    size_t idx;
    json_t *item;
    json_array_foreach(items, idx, item)
    {
        const char *link = api_json_str(item, "link"), *k = api_json_str(item, "kind");
        if (link != NULL && strstr(link, app) != NULL && k != NULL && strcmp(k, kind) == 0)
            return strdup(api_json_str(item, "id"));
    }
    return NULL;
}

TEST(notifications_tell_the_next_person_and_can_be_read)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s, other;
    char block[64], app[64];
    if (!register_student(&s, "notify") || !register_student(&other, "notify2") ||
        !new_block(w, w->offering_a, 5, block))
        return;
    long long coord_before = unread_of(&w->coord_a, NULL), precep_before = unread_of(&w->precep_a, NULL);
    long long coord_b_before = unread_of(&w->coord_b, NULL);
    CHECK_INT(unread_of(&s, NULL), 0);
    if (!apply_for(&s, block, app))
        return;
    json_t *items = NULL;
    CHECK_INT(unread_of(&w->coord_a, &items), coord_before + 1);
    char *coord_note = notification_for(items, app, "application_submitted");
    CHECK(coord_note != NULL);
    json_decref(items);
    CHECK_INT(unread_of(&w->precep_a, NULL), precep_before + 1);
    CHECK_INT(unread_of(&w->coord_b, NULL), coord_b_before); /* another host hears nothing */
    CHECK_INT(unread_of(&s, NULL), 0);

    CHECK(steps_act(&w->coord_a, app, "offer"));
    CHECK_INT(unread_of(&s, &items), 1);
    char *student_note = notification_for(items, app, "offer_made");
    CHECK(student_note != NULL);
    size_t idx;
    json_t *item;
    json_array_foreach(items, idx, item)
    {
        CHECK(json_is_false(json_object_get(item, "read")));
        CHECK(is_rfc3339(api_json_str(item, "created_at")));
        CHECK_CONTAINS(api_json_str(item, "title"), w->title_a);
    }
    json_decref(items);

    /* Another user's notification: 404, and it stays unread. */
    char path[200];
    struct api_response r;
    if (student_note != NULL) {
        snprintf(path, sizeof(path), "/api/v1/notifications/%s/read", student_note);
        call(&r, &other, "POST", path, NULL, "{}");
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
        call(&r, &w->coord_a, "POST", path, NULL, "{}");
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
        CHECK_INT(unread_of(&s, NULL), 1);
        /* Its owner reads it: the count drops; reading again is harmless. */
        call(&r, &s, "POST", path, NULL, "{}");
        CHECK_INT(r.status, 204);
        api_free(&r);
        CHECK_INT(unread_of(&s, &items), 0);
        json_array_foreach(items, idx, item)
        {
            CHECK(json_is_true(json_object_get(item, "read")));
        }
        json_decref(items);
        call(&r, &s, "POST", path, NULL, "{}");
        CHECK_INT(r.status, 204);
        api_free(&r);
        CHECK_INT(unread_of(&s, NULL), 0);
    }
    if (coord_note != NULL) {
        snprintf(path, sizeof(path), "/api/v1/notifications/%s/read", coord_note);
        call(&r, &w->coord_a, "POST", path, NULL, "{}");
        CHECK_INT(r.status, 204);
        api_free(&r);
        CHECK_INT(unread_of(&w->coord_a, NULL), coord_before);
    }
    call(&r, &s, "POST", "/api/v1/notifications/n_doesnotexist/read", NULL, "{}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, NULL, "GET", "/api/v1/notifications", NULL, NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    free(coord_note);
    free(student_note);

    /* Accepting tells both sides. */
    long long coord_now = unread_of(&w->coord_a, NULL);
    CHECK(steps_act(&s, app, "accept"));
    CHECK_INT(unread_of(&s, NULL), 1);
    CHECK_INT(unread_of(&w->coord_a, NULL), coord_now + 1);
}

/* The title of u's newest notification of a kind about app, as GET /api/v1/notifications
 * shows it (heap), or NULL. */
static char *notice_title(const struct user *u, const char *app, const char *kind)
{
    json_t *items = NULL;
    unread_of(u, &items);
    char *title = NULL;
    size_t idx;
    json_t *item;
    json_array_foreach(items, idx, item)
    {
        const char *link = api_json_str(item, "link"), *k = api_json_str(item, "kind");
        if (title == NULL && link != NULL && strstr(link, app) != NULL && k != NULL && strcmp(k, kind) == 0)
            title = strdup(api_json_str(item, "title"));
    }
    json_decref(items);
    if (title == NULL)
        TEST_FAILF("%s has no %s notice about %s", u->email, kind, app);
    return title;
}

/* A deadline as the reader is told it: the reply's instant ("2026-12-07T20:00:30Z") is checked to
 * be at 20:00 UTC, then written as "<date days_after later, in words>, <clock>". */
static void deadline_words(json_t *reply, const char *field, int days_after, const char *clock, char *out,
                           size_t size)
{
    const char *at = api_json_str(reply, field);
    char day[11] = "?", words[CLOCK_DATE_WORDS_SIZE];
    if (at == NULL || strlen(at) < 16 || strncmp(at + 10, "T20:00", 6) != 0)
        TEST_FAILF("%s is %s, expected 20:00 UTC", field, at != NULL ? at : "missing");
    else
        clock_date_from_days(clock_days_from_date(at) + days_after, day);
    snprintf(out, size, "%s, %s", clock_date_words(day, words), clock);
}

/* What u's notice of a kind about app says, and that its queued email says the same. */
static void check_notice(struct world *w, const struct user *u, const char *app, const char *kind,
                         const char *expected)
{
    char *title = notice_title(u, app, kind);
    if (title != NULL)
        CHECK_STR(title, expected);
    free(title);
    char *subject = api_db_text(w->db, "SELECT subject FROM outbox WHERE to_address = $1 AND kind = $2", u->email, kind,
                                NULL);
    char *body = api_db_text(w->db, "SELECT body FROM outbox WHERE to_address = $1 AND kind = $2", u->email, kind,
                             NULL);
    CHECK(subject != NULL && strcmp(subject, expected) == 0);
    CHECK(body != NULL && strstr(body, expected) != NULL);
    if (subject == NULL || strcmp(subject, expected) != 0)
        printf("  the %s email to %s says \"%s\"\n", kind, u->email, subject != NULL ? subject : "(none)");
    free(subject);
    free(body);
}

/* by offers (a coordinator) or accepts (the student) app; the student's notice and email state the
 * offer's (the hold's) end on the day days_after that of the reply's instant, at clock. */
static void act_and_check_deadline(struct world *w, const struct user *by, const struct user *student,
                                   const char *app, int days_after, const char *clock)
{
    bool hold = by == student;
    struct api_response r;
    act(&r, by, app, hold ? "accept" : "offer", NULL, NULL);
    CHECK_INT(r.status, 200);
    char when[64], expected[1024];
    deadline_words(r.json, hold ? "hold_expires_at" : "offer_expires_at", days_after, clock, when, sizeof(when));
    api_free(&r);
    if (hold)
        snprintf(expected, sizeof(expected), "Seat held for %s until %s: pay to book it", w->title_a, when);
    else
        snprintf(expected, sizeof(expected), "Offer for %s: accept by %s", w->title_a, when);
    check_notice(w, student, app, hold ? "seat_held" : "offer_made", expected);
}

/* A student who has chosen Asia/Kolkata is told her deadlines on her own clock: an offer (then a
 * hold) that ends at 20:00 UTC ends at 01:30 IST on the next day, in the notice and in its email.
 * One who has chosen no zone is told the same instant in UTC, and that it is UTC. */
TEST(offer_and_hold_notices_say_the_time_in_the_students_zone)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user india, plain;
    char block[64], app_india[64], app_plain[64];
    if (!register_student(&india, "tz-india") || !register_student(&plain, "tz-utc") ||
        !new_block(w, w->offering_a, 5, block))
        return;
    struct api_response r;
    call(&r, &india, "PATCH", "/api/v1/me", NULL, "{\"time_zone\":\"Asia/Kolkata\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "time_zone"), "Asia/Kolkata");
    api_free(&r);
    if (!apply_for(&india, block, app_india) || !apply_for(&plain, block, app_plain))
        return;
    /* Tomorrow at 20:00:30 UTC: offers and holds last whole days, so they end at 20:00 UTC too. */
    hooks_set_clock(((long long)clock_today_days() + 1) * 86400 + 20 * 3600 + 30 - (long long)time(NULL));
    act_and_check_deadline(w, &w->coord_a, &india, app_india, 1, "01:30 IST");
    act_and_check_deadline(w, &india, &india, app_india, 1, "01:30 IST");
    act_and_check_deadline(w, &w->coord_a, &plain, app_plain, 0, "20:00 UTC");
    hooks_set_clock(0);
}

/* ---- concurrency: keys, duplicates and sweepers ---- */

TEST(concurrent_requests_with_one_key_have_one_effect)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    char block[64];
    if (!register_student(&s, "idemrace") || !new_block(w, w->offering_a, 5, block))
        return;
    enum { N = 24 };
    struct mreq reqs[N];
    memset(reqs, 0, sizeof(reqs));
    char key_header[160];
    snprintf(key_header, sizeof(key_header), "Idempotency-Key: race-%s", s.id);
    for (int i = 0; i < N; i++) {
        snprintf(reqs[i].path, sizeof(reqs[i].path), "/api/v1/applications");
        reqs[i].body = json_text(json_pack("{s:s}", "block_id", block));
        reqs[i].auth = s.auth;
        reqs[i].extra = key_header;
    }
    multi_post(w->srv, reqs, N, N);
    int created = 0, running = 0, other = 0;
    const char *first_id = NULL;
    for (int i = 0; i < N; i++) {
        const char *field = api_json_str(reqs[i].json, "field");
        if (reqs[i].status == 201) {
            const char *id = api_json_str(reqs[i].json, "id");
            if (first_id == NULL)
                first_id = id;
            CHECK(id != NULL && first_id != NULL && strcmp(id, first_id) == 0);
            created++;
        } else if (reqs[i].status == 409 && field != NULL && strcmp(field, "Idempotency-Key") == 0) {
            running++;
        } else {
            if (other == 0)
                TEST_FAILF("a keyed apply answered %ld: %.200s", reqs[i].status, reqs[i].resp ? reqs[i].resp : "");
            other++;
        }
    }
    CHECK(created >= 1);
    CHECK_INT(created + running, N); /* the first, replays of it, or "still running" */
    CHECK_INT(other, 0);
    CHECK_INT(applications_of(w, s.id), 1);
    CHECK_INT(api_db_int(w->db, "SELECT COUNT(*) FROM applications WHERE block_id = $1", block, NULL), 1);
    mreqs_free(reqs, N);
    /* Afterwards the key replays the one application. */
    struct api_response r;
    char key[100];
    snprintf(key, sizeof(key), "race-%s", s.id);
    apply_raw(&r, &s, block, NULL);
    CHECK_INT(r.status, 422); /* without the key: a second application for the block */
    api_free(&r);
    char *body = json_text(json_pack("{s:s}", "block_id", block));
    call(&r, &s, "POST", "/api/v1/applications", key, body);
    free(body);
    CHECK_INT(r.status, 201);
    CHECK_STR(api_header(&r, "idempotent-replayed"), "true");
    api_free(&r);
    CHECK_INT(applications_of(w, s.id), 1);
}

TEST(concurrent_duplicate_applies_create_one_application)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    char block[64];
    if (!register_student(&s, "duprace") || !new_block(w, w->offering_a, 5, block))
        return;
    enum { N = 16 };
    struct mreq reqs[N];
    memset(reqs, 0, sizeof(reqs));
    for (int i = 0; i < N; i++) {
        snprintf(reqs[i].path, sizeof(reqs[i].path), "/api/v1/applications");
        reqs[i].body = json_text(json_pack("{s:s}", "block_id", block));
        reqs[i].auth = s.auth;
    }
    multi_post(w->srv, reqs, N, N);
    int created = 0, refused = 0, other = 0;
    for (int i = 0; i < N; i++) {
        const char *code = api_json_str(reqs[i].json, "code");
        if (reqs[i].status == 201)
            created++;
        else if (reqs[i].status == 422 && code != NULL && strcmp(code, "unprocessable") == 0)
            refused++;
        else {
            if (other == 0)
                TEST_FAILF("a duplicate apply answered %ld: %.200s", reqs[i].status, reqs[i].resp ? reqs[i].resp : "");
            other++;
        }
    }
    CHECK_INT(created, 1);
    CHECK_INT(refused, N - 1);
    CHECK_INT(other, 0);
    CHECK_INT(applications_of(w, s.id), 1);
    mreqs_free(reqs, N);
}

/* On the SMTP server: its outbox is short and its sink quick, so the backlog drains fast. */
TEST(concurrent_sweepers_expire_each_hold_once)
{
    struct world *w = &SW;
    api_use(w->srv);
    char block[64];
    if (!new_block(w, w->offering_a, 5, block))
        return;
    struct user s[5];
    char app[5][64];
    for (int i = 0; i < 5; i++)
        if (!register_student(&s[i], "sweep") || !apply_for(&s[i], block, app[i]) ||
            !steps_act(&w->coord_a, app[i], "offer") || !steps_act(&s[i], app[i], "accept"))
            return;
    /* Two are booked (no hold to expire); three stay held. */
    CHECK(steps_act(&w->staff, app[3], "book"));
    CHECK(steps_act(&w->staff, app[4], "book"));
    CHECK_INT(seats_taken(w, block), 5);
    drain_mail(); /* so that the expiry emails are the ones the sweepers below send */
    hooks_set_clock(7 * 86400 + 120);
    enum { N = 8 };
    for (int round = 0; round < 3; round++) {
        struct mreq reqs[N];
        memset(reqs, 0, sizeof(reqs));
        for (int i = 0; i < N; i++)
            snprintf(reqs[i].path, sizeof(reqs[i].path), "/api/v1/test/jobs");
        multi_post(w->srv, reqs, N, N);
        for (int i = 0; i < N; i++)
            if (reqs[i].status != 200)
                TEST_FAILF("concurrent POST /api/v1/test/jobs answered %ld: %.200s", reqs[i].status,
                           reqs[i].resp ? reqs[i].resp : "");
        mreqs_free(reqs, N);
    }
    run_jobs_until_no_expiry();
    drain_mail(); /* mail queued at the moved clock is due at the moved clock */
    hooks_set_clock(0);
    for (int i = 0; i < 3; i++) {
        CHECK_STR(steps_status(w->db, app[i]), "hold_expired");
        CHECK_INT(db_int3(w->db, "SELECT COUNT(*) FROM application_events WHERE application_id = $1 AND action = $2",
                          app[i], "expire", NULL),
                  1);
    }
    CHECK_STR(steps_status(w->db, app[3]), "booked");
    CHECK_STR(steps_status(w->db, app[4]), "booked");
    /* Each expiry freed exactly one seat: the two booked seats remain. */
    CHECK_INT(seats_taken(w, block), 2);
    /* And each student's "hold expired" email was claimed once. */
    char subject[300];
    snprintf(subject, sizeof(subject), "%.200s: Hold expired", w->title_a);
    for (int i = 0; i < 3; i++) {
        char hash[65];
        mail_hash(s[i].email, hash);
        CHECK_INT(db_int3(w->db, "SELECT COUNT(*) FROM outbox WHERE (to_address = $1 OR to_hash = $3) AND subject = $2",
                          s[i].email, subject, hash),
                  1);
        CHECK_INT(db_int3(w->db,
                          "SELECT COUNT(*) FROM outbox WHERE to_hash = $1 AND subject = $2 AND attempts = 1"
                          " AND sent_at IS NOT NULL",
                          hash, subject, NULL),
                  1);
    }
}

/* ---- listing ---- */

TEST(list_filters_and_pages)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    char blocks[3][64], apps[3][64];
    if (!register_student(&s, "lister"))
        return;
    for (int i = 0; i < 3; i++)
        if (!new_block(w, w->offering_a, 5, blocks[i]) || !apply_for(&s, blocks[i], apps[i]))
            return;
    CHECK(steps_act(&w->coord_a, apps[1], "offer"));
    struct api_response r;
    call(&r, &s, "GET", "/api/v1/applications", NULL, NULL);
    CHECK_INT(r.status, 200);
    json_t *items = json_object_get(r.json, "items");
    CHECK(json_is_array(items) && json_array_size(items) == 3);
    CHECK(json_is_null(json_object_get(r.json, "next_cursor")));
    api_free(&r);
    call(&r, &s, "GET", "/api/v1/applications?status=offered", NULL, NULL);
    CHECK_INT(r.status, 200);
    items = json_object_get(r.json, "items");
    CHECK(json_is_array(items) && json_array_size(items) == 1);
    CHECK_STR(api_json_str(json_array_get(items, 0), "id"), apps[1]);
    api_free(&r);
    /* Two pages of two. */
    call(&r, &s, "GET", "/api/v1/applications?limit=2", NULL, NULL);
    CHECK_INT(r.status, 200);
    items = json_object_get(r.json, "items");
    CHECK(json_is_array(items) && json_array_size(items) == 2);
    const char *cursor = api_json_str(r.json, "next_cursor");
    CHECK(cursor != NULL);
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/applications?limit=2&cursor=%s", cursor != NULL ? cursor : "");
    api_free(&r);
    call(&r, &s, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 200);
    items = json_object_get(r.json, "items");
    CHECK(json_is_array(items) && json_array_size(items) == 1);
    api_free(&r);
    /* The coordinator of the host sees them by block; the other host does not. */
    snprintf(path, sizeof(path), "/api/v1/applications?block=%s", blocks[2]);
    call(&r, &w->coord_a, "GET", path, NULL, NULL);
    items = json_object_get(r.json, "items");
    CHECK(json_is_array(items) && json_array_size(items) == 1);
    api_free(&r);
    call(&r, &w->coord_b, "GET", path, NULL, NULL);
    items = json_object_get(r.json, "items");
    CHECK(json_is_array(items) && json_array_size(items) == 0);
    api_free(&r);
    /* Bad parameters: 400 naming them. */
    call(&r, &s, "GET", "/api/v1/applications?status=bogus", NULL, NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "status");
    api_free(&r);
    call(&r, &s, "GET", "/api/v1/applications?limit=0", NULL, NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "limit");
    api_free(&r);
    call(&r, &s, "GET", "/api/v1/applications?limit=101", NULL, NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "limit");
    api_free(&r);
    call(&r, &s, "GET", "/api/v1/applications?color=red", NULL, NULL);
    CHECK_PROBLEM(&r, 400, "unknown_parameter", "color");
    api_free(&r);
}

/* ---- malformed input ---- */

static void check_no_application(struct world *w, const struct user *s)
{
    CHECK_INT(applications_of(w, s->id), 0);
    CHECK_INT(api_db_int(w->db, "SELECT COUNT(*) FROM idempotency_keys WHERE user_id = $1", s->id, NULL), 0);
}

TEST(malformed_application_bodies_are_4xx_and_change_nothing)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    char block[64];
    if (!register_student(&s, "badinput") || !new_block(w, w->offering_a, 5, block))
        return;
    char *long_statement = malloc(5002);
    memset(long_statement, 'x', 5001);
    long_statement[5001] = '\0';
    char *too_long = json_text(json_pack("{s:s,s:s}", "block_id", block, "statement", long_statement));
    long_statement[5000] = '\0';
    char *just_fits = json_text(json_pack("{s:s,s:s}", "block_id", block, "statement", long_statement));
    free(long_statement);
    char unknown[200], wrong_statement[200], with_docs[200], nul_id[200];
    snprintf(unknown, sizeof(unknown), "{\"block_id\":\"%s\",\"seat\":1}", block);
    snprintf(wrong_statement, sizeof(wrong_statement), "{\"block_id\":\"%s\",\"statement\":42}", block);
    snprintf(with_docs, sizeof(with_docs), "{\"block_id\":\"%s\",\"document_ids\":\"d_1\"}", block);
    snprintf(nul_id, sizeof(nul_id), "{\"block_id\":\"%s\",\"block_id\":\"%s\"}", block, block);
    const struct {
        const char *body;
        long status;
        const char *code, *field;
    } cases[] = {
        {"{", 400, "invalid_json", NULL},
        {"not json", 400, "invalid_json", NULL},
        {"[]", 400, NULL, NULL},
        {"{}", 400, "validation_failed", "block_id"},
        {"{\"block_id\":\"\"}", 400, "validation_failed", "block_id"},
        {"{\"block_id\":5}", 400, "validation_failed", "block_id"},
        {"{\"block_id\":null}", 400, "validation_failed", "block_id"},
        {"{\"block_id\":[\"a\"]}", 400, "validation_failed", "block_id"},
        {unknown, 400, "unknown_field", "seat"},
        {wrong_statement, 400, "validation_failed", "statement"},
        {with_docs, 400, "validation_failed", "document_ids"},
        {too_long, 400, "validation_failed", "statement"},
        {nul_id, 400, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct api_response r;
        call(&r, &s, "POST", "/api/v1/applications", NULL, cases[i].body);
        if (r.status != cases[i].status)
            printf("  body %.80s answered %ld: %.200s\n", cases[i].body, r.status, r.body);
        if (cases[i].code != NULL) {
            CHECK_PROBLEM(&r, cases[i].status, cases[i].code, cases[i].field);
        } else {
            CHECK(r.status >= 400 && r.status < 500);
            CHECK_CONTAINS(api_header(&r, "content-type"), "application/problem+json");
        }
        api_free(&r);
        check_no_application(w, &s);
    }
    /* document_ids that name no document in the wallet: 422. */
    char docs[200];
    snprintf(docs, sizeof(docs), "{\"block_id\":\"%s\",\"document_ids\":[\"doc_nope\"]}", block);
    struct api_response r;
    call(&r, &s, "POST", "/api/v1/applications", NULL, docs);
    CHECK_PROBLEM(&r, 422, "unprocessable", "document_ids");
    api_free(&r);
    check_no_application(w, &s);
    /* Another media type: 415. */
    const char *text_headers[] = {s.auth, "Content-Type: text/plain", NULL};
    struct api_raw_request rq = {"POST", "/api/v1/applications", text_headers, just_fits, strlen(just_fits), false};
    api_send(&r, &rq);
    CHECK_PROBLEM(&r, 415, "unsupported_media_type", NULL);
    api_free(&r);
    check_no_application(w, &s);
    /* 5000 characters is the limit, not an error. */
    call(&r, &s, "POST", "/api/v1/applications", NULL, just_fits);
    CHECK_INT(r.status, 201);
    CHECK(api_json_str(r.json, "statement") != NULL && strlen(api_json_str(r.json, "statement")) == 5000);
    api_free(&r);
    CHECK_INT(applications_of(w, s.id), 1);
    free(too_long);
    free(just_fits);
}

TEST(malformed_action_bodies_are_4xx_and_change_nothing)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    char block[64], app[64];
    if (!register_student(&s, "badaction") || !app_in_state(w, &s, "offered", block, app))
        return;
    char *long_note = malloc(2002);
    memset(long_note, 'n', 2001);
    long_note[2001] = '\0';
    char *too_long = json_text(json_pack("{s:s}", "note", long_note));
    free(long_note);
    const struct {
        const char *body;
        long status;
        const char *code, *field;
    } cases[] = {
        {"{", 400, "invalid_json", NULL},
        {"{\"note\":5}", 400, "validation_failed", "note"},
        {"{\"note\":[\"x\"]}", 400, "validation_failed", "note"},
        {"{\"nope\":\"x\"}", 400, "unknown_field", "nope"},
        {"{\"note\":\"x\",\"status\":\"held\"}", 400, "unknown_field", "status"},
        {too_long, 400, "validation_failed", "note"},
        {"\"accept\"", 400, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[200];
        snprintf(path, sizeof(path), "/api/v1/applications/%s/accept", app);
        struct api_response r;
        call(&r, &s, "POST", path, NULL, cases[i].body);
        if (r.status != cases[i].status)
            printf("  body %.80s answered %ld: %.200s\n", cases[i].body, r.status, r.body);
        if (cases[i].code != NULL) {
            CHECK_PROBLEM(&r, cases[i].status, cases[i].code, cases[i].field);
        } else {
            CHECK(r.status >= 400 && r.status < 500);
        }
        api_free(&r);
        CHECK_STR(steps_status(w->db, app), "offered");
        CHECK_INT(event_count(w, app), 2);
        CHECK_INT(seats_taken(w, block), 0);
    }
    free(too_long);
    /* A note of 2000 characters is accepted. */
    char *fits = malloc(2001);
    memset(fits, 'n', 2000);
    fits[2000] = '\0';
    struct api_response r;
    act(&r, &s, app, "accept", fits, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
    free(fits);
    CHECK_STR(steps_status(w->db, app), "held");
}

TEST(bad_idempotency_keys_are_400_and_change_nothing)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    char block[64], app[64], block2[64];
    if (!register_student(&s, "badkey") || !app_in_state(w, &s, "offered", block, app) ||
        !new_block(w, w->offering_a, 5, block2))
        return;
    long long apps = applications_of(w, s.id);
    char long_key[202];
    memset(long_key, 'k', 201);
    long_key[201] = '\0';
    char body[200];
    snprintf(body, sizeof(body), "{\"block_id\":\"%s\"}", block2);
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/accept", app);
    char h_long[260];
    snprintf(h_long, sizeof(h_long), "Idempotency-Key: %s", long_key);
    const char *bad_headers[] = {
        "Idempotency-Key;",            /* empty */
        h_long,                        /* 201 characters */
        "Idempotency-Key: a\tb",       /* a control character inside */
        "Idempotency-Key: caf\xc3\xa9", /* not ASCII */
        "Idempotency-Key: a b",        /* a space */
        "Idempotency-Key: a\x01z",     /* another control character */
    };
    for (size_t i = 0; i < sizeof(bad_headers) / sizeof(bad_headers[0]); i++) {
        const char *headers[] = {s.auth, bad_headers[i], NULL};
        const char *targets[][2] = {{"/api/v1/applications", body}, {path, "{}"}};
        for (size_t t = 0; t < 2; t++) {
            struct api_response r;
            struct api_raw_request rq = {"POST", targets[t][0], headers, targets[t][1], strlen(targets[t][1]), false};
            api_send(&r, &rq);
            if (r.status < 400 || r.status >= 500)
                TEST_FAILF("header #%zu on %s answered %ld: %.200s", i, targets[t][0], r.status, r.body);
            else if (i < 3 || i == 4) /* those reach the server's own check */
                CHECK_PROBLEM(&r, 400, "bad_request", "Idempotency-Key");
            api_free(&r);
        }
    }
    CHECK_INT(applications_of(w, s.id), apps);
    CHECK_STR(steps_status(w->db, app), "offered");
    CHECK_INT(event_count(w, app), 2);
    CHECK_INT(api_db_int(w->db, "SELECT COUNT(*) FROM idempotency_keys WHERE user_id = $1", s.id, NULL), 0);
    /* 200 visible characters is a fine key. */
    long_key[200] = '\0';
    struct api_response r;
    act(&r, &s, app, "accept", NULL, long_key);
    CHECK_INT(r.status, 200);
    api_free(&r);
    act(&r, &s, app, "accept", NULL, long_key);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_header(&r, "idempotent-replayed"), "true");
    api_free(&r);
}

/* API.md: bad ids get a 4xx and change nothing. An id with an encoded NUL or
 * slash is not an id: it must not reach the application it starts with. */
TEST(encoded_nul_or_slash_in_an_id_is_4xx_and_changes_nothing)
{
    struct world *w = &W;
    api_use(w->srv);
    struct user s;
    if (!register_student(&s, "encoded"))
        return;
    /* Each case on its own offered application: /api/v1/applications/<id><suffix>. */
    const struct {
        const char *method, *suffix;
    } cases[] = {
        {"GET", "%00junk"},     /* an id with an encoded NUL */
        {"POST", "%2Faccept"},  /* one segment with an encoded slash */
        {"POST", "/accept%00x"}, /* an action with an encoded NUL */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char block[64], app[64], path[300];
        if (!app_in_state(w, &s, "offered", block, app))
            return;
        snprintf(path, sizeof(path), "/api/v1/applications/%s%s", app, cases[i].suffix);
        struct api_response r;
        call(&r, &s, cases[i].method, path, NULL, strcmp(cases[i].method, "POST") == 0 ? "{}" : NULL);
        if (r.status < 400 || r.status >= 500)
            TEST_FAILF("%s %s answered %ld (expected a 4xx): %.100s", cases[i].method, path, r.status, r.body);
        api_free(&r);
        CHECK_STR(steps_status(w->db, app), "offered");
        CHECK_INT(seats_taken(w, block), 0);
        CHECK_INT(event_count(w, app), 2);
    }
}

/* ---- the race ---- */

static struct user *race_students;

/* Creates n students the way registration does (auth_register_begin/finish
 * and a session row), with one password hash computed once: Argon2id for
 * each of 200 students would take most of a minute under the sanitizers, and
 * the race is about accepting, not registering. Each is checked by GET /me. */
static bool create_students_fast(struct world *w, struct user *users, size_t n)
{
    struct auth_register_job *job = calloc(1, sizeof(*job));
    char hash[128];
    if (job == NULL || crypto_password_hash(PASSWORD, hash) != 0) {
        free(job);
        TEST_FAILF("cannot hash the password");
        return false;
    }
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        struct arena arena;
        arena_heap_init(&arena);
        memset(&users[i], 0, sizeof(users[i]));
        api_unique_email(users[i].email, sizeof(users[i].email), "race");
        snprintf(users[i].name, sizeof(users[i].name), "Racer %zu", i);
        memset(job, 0, sizeof(*job));
        struct error err = {0};
        struct store_user created;
        if (auth_register_begin(w->db, &arena, users[i].email, users[i].name, PASSWORD, ROLE_STUDENT, NULL, NULL, job,
                                &err) != 0 ||
            (snprintf(job->password_hash, sizeof(job->password_hash), "%s", hash),
             auth_register_finish(w->db, &arena, job, &created, &err)) != 0) {
            TEST_FAILF("creating racer %zu: %s %s", i, err.field != NULL ? err.field : "",
                       err.detail != NULL ? err.detail : "");
            ok = false;
        } else {
            char token[44], csrf[44], token_hash[65];
            crypto_random_token(token);
            crypto_random_token(csrf);
            crypto_hash_token(token, token_hash);
            snprintf(users[i].id, sizeof(users[i].id), "%s", created.id);
            if (store_session_insert(w->db, token_hash, created.id, csrf, clock_now()) != DB_OK) {
                TEST_FAILF("no session for racer %zu", i);
                ok = false;
            }
            user_set_token(&users[i], token);
        }
        arena_heap_free(&arena);
    }
    free(job);
    /* They are students the server knows, signed in. */
    for (size_t i = 0; ok && i < n; i += n / 4 > 0 ? n / 4 : 1) {
        struct api_response r;
        call(&r, &users[i], "GET", "/api/v1/me", NULL, NULL);
        CHECK_INT(r.status, 200);
        CHECK_STR(api_json_str(r.json, "id") != NULL ? api_json_str(r.json, "id") : api_json_str(r.json, "user.id"),
                  users[i].id);
        CHECK_CONTAINS(r.body, "\"student\"");
        ok = ok && r.status == 200;
        api_free(&r);
    }
    return ok;
}

/* One round: 200 offered applications on a fresh 3-seat block, 200 accepts at once. */
static void race_round(struct world *w, int round)
{
    char block[64];
    if (!new_block(w, w->offering_a, RACE_SEATS, block))
        return;
    size_t n = RACE_STUDENTS;
    struct mreq *reqs = calloc(n, sizeof(*reqs));
    char (*apps)[64] = calloc(n, 64);
    double round_started = api_now_ms();
    /* Everyone applies. */
    for (size_t i = 0; i < n; i++) {
        snprintf(reqs[i].path, sizeof(reqs[i].path), "/api/v1/applications");
        reqs[i].body = json_text(json_pack("{s:s}", "block_id", block));
        reqs[i].auth = race_students[i].auth;
    }
    multi_post(w->srv, reqs, n, 8);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        const char *id = api_json_str(reqs[i].json, "id");
        if (reqs[i].status != 201 || id == NULL) {
            if (ok)
                TEST_FAILF("round %d: applying %zu answered %ld: %.200s", round, i, reqs[i].status,
                           reqs[i].resp != NULL ? reqs[i].resp : "");
            ok = false;
        } else {
            snprintf(apps[i], 64, "%s", id);
        }
    }
    mreqs_free(reqs, n);
    /* The host offers everyone. */
    for (size_t i = 0; ok && i < n; i++) {
        snprintf(reqs[i].path, sizeof(reqs[i].path), "/api/v1/applications/%s/offer", apps[i]);
        reqs[i].auth = w->coord_a.auth;
    }
    if (ok)
        multi_post(w->srv, reqs, n, 8);
    for (size_t i = 0; ok && i < n; i++)
        if (reqs[i].status != 200) {
            TEST_FAILF("round %d: offering %zu answered %ld: %.200s", round, i, reqs[i].status,
                       reqs[i].resp != NULL ? reqs[i].resp : "");
            ok = false;
        }
    mreqs_free(reqs, n);
    if (ok)
        CHECK_INT(api_db_int(w->db, "SELECT COUNT(*) FROM applications WHERE block_id = $1 AND status = 'offered'",
                             block, NULL),
                  (long long)n);
    /* 200 accepts at once. */
    for (size_t i = 0; ok && i < n; i++) {
        snprintf(reqs[i].path, sizeof(reqs[i].path), "/api/v1/applications/%s/accept", apps[i]);
        reqs[i].auth = race_students[i].auth;
    }
    if (ok) {
        double started = api_now_ms();
        multi_post(w->srv, reqs, n, n);
        int won = 0, full = 0, other = 0;
        for (size_t i = 0; i < n; i++) {
            const char *code = api_json_str(reqs[i].json, "code");
            if (reqs[i].status == 200 && api_json_str(reqs[i].json, "status") != NULL &&
                strcmp(api_json_str(reqs[i].json, "status"), "held") == 0) {
                won++;
                CHECK_STR(steps_status(w->db, apps[i]), "held");
            } else if (reqs[i].status == 409 && code != NULL && strcmp(code, "block_full") == 0) {
                full++;
                CHECK_STR(steps_status(w->db, apps[i]), "offered");
            } else {
                if (other == 0)
                    TEST_FAILF("round %d: accept %zu answered %ld: %.200s", round, i, reqs[i].status,
                               reqs[i].resp != NULL ? reqs[i].resp : "");
                other++;
            }
        }
        printf("  race round %d: %d accepted, %d block_full, %d other in %.0f ms (the round: %.0f ms)\n", round,
               won, full, other, api_now_ms() - started, api_now_ms() - round_started);
        CHECK_INT(won, RACE_SEATS);
        CHECK_INT(full, (int)n - RACE_SEATS);
        CHECK_INT(other, 0);
        mreqs_free(reqs, n);
        CHECK_INT(seats_taken(w, block), RACE_SEATS);
        CHECK_INT(block_seats(w, block), RACE_SEATS);
        CHECK_INT(api_db_int(w->db,
                             "SELECT COUNT(*) FROM applications WHERE block_id = $1 AND status IN ('held', 'booked',"
                             " 'cleared', 'in_progress', 'completed')",
                             block, NULL),
                  RACE_SEATS);
        CHECK_INT(api_db_int(w->db, "SELECT COUNT(*) FROM applications WHERE block_id = $1 AND status = 'offered'",
                             block, NULL),
                  (long long)n - RACE_SEATS);
        CHECK_INT(api_db_int(w->db,
                             "SELECT COUNT(*) FROM application_events e JOIN applications a ON a.id = e.application_id"
                             " WHERE a.block_id = $1 AND e.action = 'accept'",
                             block, NULL),
                  RACE_SEATS);
    }
    free(reqs);
    free(apps);
}

TEST(race_200_concurrent_accepts_for_3_seats)
{
    struct world *w = &W;
    api_use(w->srv);
    race_students = calloc(RACE_STUDENTS, sizeof(*race_students));
    double started = api_now_ms();
    if (!create_students_fast(w, race_students, RACE_STUDENTS)) {
        free(race_students);
        return;
    }
    printf("  created %d students in %.0f ms\n", RACE_STUDENTS, api_now_ms() - started);
    const char *env = getenv("ROUNDS_RACE_ROUNDS");
    long rounds = env != NULL ? strtol(env, NULL, 10) : 5;
    if (rounds < 1)
        rounds = 1;
    for (int round = 1; round <= (int)rounds; round++)
        race_round(w, round);
    free(race_students);
}

TEST(servers_shut_down_gracefully)
{
    CHECK_INT(api_server_stop(&smtp_server), 0);
    CHECK_INT(api_server_stop(&main_server), 0);
}

int main(void)
{
    if (crypto_init() != 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        printf("cannot initialise libsodium or libcurl\n");
        return 1;
    }
    /* The clock moves days ahead: sessions must outlive it. Only the tests run the jobs. */
    static const char *const main_flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--session-idle-minutes",
                                             "43200", "--session-absolute-hours", "8760", "--threads", "4", NULL};
    if (api_server_start(&main_server, main_flags) != 0)
        return 1;
    test_current_name = "setup";
    if (!world_setup(&W, &main_server, "main")) {
        printf("FAIL setting up the main server's hosts and offerings\n");
        api_server_print_log(&main_server, 30);
        api_server_stop(&main_server);
        api_server_abandon(&main_server);
        return 1;
    }
    if (sink_start(&sink, 0) != 0) {
        printf("FAIL the SMTP sink did not start\n");
        api_server_stop(&main_server);
        api_server_abandon(&main_server);
        return 1;
    }
    char smtp_url[64];
    snprintf(smtp_url, sizeof(smtp_url), "smtp://127.0.0.1:%d", sink.port);
    const char *smtp_flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--smtp-url", smtp_url,
                                "--session-idle-minutes", "43200", "--session-absolute-hours", "8760",
                                "--threads", "4", NULL};
    bool smtp_ok = api_server_start(&smtp_server, smtp_flags) == 0 && world_setup(&SW, &smtp_server, "smtp");
    api_use(&main_server);

    TIMED_RUN(start_and_complete_follow_the_calendar_with_a_staff_override);
    TIMED_RUN(maildir_gets_the_offer_email);
    if (smtp_ok) {
        TIMED_RUN(smtp_delivery_failure_and_retry);
    } else {
        printf("FAIL the server with --smtp-url did not start or set up\n");
        test_failed++;
    }
    api_use(&main_server);
    TIMED_RUN(every_allowed_transition_by_every_role_that_may_take_it);
    TIMED_RUN(every_refused_transition_by_every_role_is_409);
    TIMED_RUN(unknown_action_is_404_and_changes_nothing);
    TIMED_RUN(history_and_audit_record_every_transition);
    TIMED_RUN(audit_details_read_in_words_and_staff_open_the_actor);
    TIMED_RUN(others_get_404_on_every_route_and_are_audited);
    TIMED_RUN(seats_are_taken_and_freed_and_never_oversold);
    TIMED_RUN(applying_for_a_block_that_has_started_is_422_with_the_reason);
    TIMED_RUN(apply_checks_name_the_reason);
    TIMED_RUN(offer_expires_by_the_sweeper);
    TIMED_RUN(hold_expires_by_the_sweeper_and_frees_the_seat);
    TIMED_RUN(accept_after_expiry_before_the_sweeper_is_409_and_expires_it);
    TIMED_RUN(idempotent_apply_replays_the_first_reply);
    TIMED_RUN(idempotent_action_replays_with_no_second_effect);
    TIMED_RUN(notifications_tell_the_next_person_and_can_be_read);
    TIMED_RUN(offer_and_hold_notices_say_the_time_in_the_students_zone);
    TIMED_RUN(concurrent_requests_with_one_key_have_one_effect);
    TIMED_RUN(concurrent_duplicate_applies_create_one_application);
    if (smtp_ok)
        TIMED_RUN(concurrent_sweepers_expire_each_hold_once);
    api_use(&main_server);
    TIMED_RUN(list_filters_and_pages);
    TIMED_RUN(malformed_application_bodies_are_4xx_and_change_nothing);
    TIMED_RUN(malformed_action_bodies_are_4xx_and_change_nothing);
    TIMED_RUN(bad_idempotency_keys_are_400_and_change_nothing);
    TIMED_RUN(encoded_nul_or_slash_in_an_id_is_4xx_and_changes_nothing);
    TIMED_RUN(an_expired_licence_removes_the_preceptor_badge);
    TIMED_RUN(race_200_concurrent_accepts_for_3_seats);

    hooks_set_clock(0);
    db_close(W.db);
    db_close(SW.db);
    TIMED_RUN(servers_shut_down_gracefully);
    sink_stop(&sink);
    sink_free(&sink);
    const char *keep = getenv("ROUNDS_TEST_KEEP");
    if (keep != NULL && strcmp(keep, "1") == 0) {
        printf("server folders kept: %s %s\n", main_server.dir, smtp_server.dir);
    } else {
        api_server_cleanup(&main_server);
        api_server_cleanup(&smtp_server);
    }
    curl_global_cleanup();
    return test_summary("api-applications");
}
