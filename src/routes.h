/* routes.h — the one route table of the server. */
#ifndef ROUNDS_ROUTES_H
#define ROUNDS_ROUTES_H

#include <stddef.h>

#include "http/router.h"

extern const struct route rounds_routes[];
extern const size_t rounds_route_count;

#endif
