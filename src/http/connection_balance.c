/* connection_balance.c — an accepted connection goes to the loop that has
 * the fewest.
 *
 * Each loop accepts on its own SO_REUSEPORT listener, and the kernel picks
 * the listener by a hash of the client's address and port: fair over many
 * connections, lopsided over a few long ones. Sixteen keep-alive connections
 * (a proxy's upstream pool, a load generator) came 11/6, 12/5 or 9/8 over
 * two loops from one run to the next, and the connections of the crowded
 * loop waited behind each other while the other loop had time to spare: the
 * slow tenth of the replies of a saturated two-loop server came from there.
 *
 * So a loop that accepts a connection while another loop holds fewer (open,
 * or on their way to it) hands the socket over: h2o_socket_export here,
 * h2o_socket_import on the other loop, which then takes it as if it had
 * accepted it (http_connection_open: limits, tracking, h2o). Nothing has
 * been read from a socket that young, so nothing is lost on the way. Ties
 * stay where they are, so a loop's own listener keeps its connections while
 * the loops are even, and a single loop never hands anything. */
#include <stdlib.h>
#include <sys/socket.h>

#include "http/internal.h"

struct handoff {
    h2o_multithread_message_t super;
    h2o_socket_export_t socket;
};

/* Connections a loop holds or is about to (read from any loop). */
static int loop_load(struct http_thread *thread)
{
    return __atomic_load_n(&thread->connections, __ATOMIC_RELAXED) +
           __atomic_load_n(&thread->incoming, __ATOMIC_RELAXED);
}

/* The loop that should take a connection accepted on `from`: `from` itself
 * unless another loop, not stopping, holds fewer. */
static struct http_thread *least_loaded(struct http_thread *from)
{
    struct http_thread *best = from;
    int best_load = loop_load(from);
    for (int i = 0; i < http_server_state.thread_count; i++) {
        struct http_thread *t = &http_server_state.threads[i];
        if (t == from || __atomic_load_n(&t->shutting_down, __ATOMIC_RELAXED))
            continue;
        int load = loop_load(t);
        if (load < best_load) {
            best = t;
            best_load = load;
        }
    }
    return best;
}

bool http_connection_hand_over(struct http_thread *from, h2o_socket_t *sock)
{
    if (from->shutting_down || http_server_state.thread_count < 2)
        return false;
    struct http_thread *to = least_loaded(from);
    if (to == from)
        return false;
    struct handoff *message = calloc(1, sizeof(*message));
    if (message == NULL)
        return false;
    __atomic_fetch_add(&to->incoming, 1, __ATOMIC_RELAXED);
    if (h2o_socket_export(sock, &message->socket) != 0) { /* the socket is still ours, then */
        __atomic_fetch_sub(&to->incoming, 1, __ATOMIC_RELAXED);
        free(message);
        return false;
    }
    h2o_multithread_send_message(&to->handoff_receiver, &message->super);
    return true;
}

void http_connection_on_handoff(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    struct http_thread *thread = H2O_STRUCT_FROM_MEMBER(struct http_thread, handoff_receiver, receiver);
    while (!h2o_linklist_is_empty(messages)) {
        struct handoff *message = H2O_STRUCT_FROM_MEMBER(struct handoff, super.link, messages->next);
        h2o_linklist_unlink(&message->super.link);
        h2o_socket_t *sock = h2o_socket_import(thread->ctx.loop, &message->socket);
        free(message);
        /* Arriving after this loop began to stop: it ends, as its others do, once idle. */
        if (thread->shutting_down)
            shutdown(h2o_socket_get_fd(sock), SHUT_RD);
        /* Counted as open (or closed, over a limit) before it stops being incoming. */
        http_connection_open(thread, sock);
        __atomic_fetch_sub(&thread->incoming, 1, __ATOMIC_RELAXED);
    }
}
