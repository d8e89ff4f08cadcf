/* connection_park.c — an HTTP/1 connection stays in the loop's epoll set
 * while its request waits for the database (the pool, or the loop's session
 * reader on PostgreSQL).
 *
 * h2o stops reading a connection when it hands a request over and starts
 * again once the reply is written. A reply given in the same turn of the
 * loop costs nothing (h2o tells epoll only what changed at the end of the
 * turn), but one given in a later turn costs two epoll_ctl calls: the socket
 * leaves the set at the end of the turn it was stopped in and comes back
 * after the reply. On PostgreSQL every signed-in request waits like that, and
 * the two calls were half of its system calls on the loop (strace: 2.0
 * epoll_ctl per GET /api/v1/me against 0.001 on SQLite).
 *
 * Parked, the socket is read by on_parked_ready with h2o_socket_dont_read
 * set: it stays in the set, but the loop reads nothing from it. That matters:
 * h2o parsed the request in place in the socket's input buffer, and reading
 * more could move that buffer under it. A client waiting for its reply sends
 * nothing; when something does come (a pipelined request, or the client
 * hangs up), on_parked_ready stops reading as h2o had, and from then on the
 * connection is exactly as it would have been without parking: h2o reads it
 * when the reply has gone. http_connection_unpark, called before the reply is
 * given to h2o, puts back what h2o left, in the same turn, so h2o's own
 * read start after the reply finds the socket still in the set. HTTP/2
 * carries several requests on one socket: its connections are left alone. */
#include "http/internal.h"

/* The socket of an HTTP/1 request, or NULL. */
static h2o_socket_t *http1_socket(h2o_req_t *r)
{
    if (r == NULL || r->version >= 0x200 || r->conn == NULL || r->conn->callbacks->get_socket == NULL)
        return NULL;
    return r->conn->callbacks->get_socket(r->conn);
}

static void on_parked_ready(h2o_socket_t *sock, const char *err)
{
    (void)err; /* h2o sees the same hang-up when it reads again */
    h2o_socket_read_stop(sock);
    h2o_socket_dont_read(sock, 0);
}

void http_connection_park(h2o_req_t *r)
{
    h2o_socket_t *sock = http1_socket(r);
    if (sock == NULL || h2o_socket_is_reading(sock))
        return;
    h2o_socket_dont_read(sock, 1);
    h2o_socket_read_start(sock, on_parked_ready);
}

void http_connection_unpark(h2o_req_t *r)
{
    h2o_socket_t *sock = http1_socket(r);
    if (sock == NULL || sock->_cb.read != on_parked_ready)
        return;
    h2o_socket_read_stop(sock);
    h2o_socket_dont_read(sock, 0);
}
