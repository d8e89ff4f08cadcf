/* openapi_schemas.h — the named component schemas of the OpenAPI document:
 * one per kind of object the api_write_* functions write (routes refer to
 * them by name in their .response). */
#ifndef ROUNDS_API_OPENAPI_SCHEMAS_H
#define ROUNDS_API_OPENAPI_SCHEMAS_H

#include "lib/buf.h"

/* "Name":{…},"Other":{…} for every component (without the outer braces). */
void openapi_write_component_schemas(struct buf *b);

#endif
