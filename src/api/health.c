/* health.c — GET /healthz (the process is up) and GET /readyz (the database answers). */
#include "api/api.h"

void api_healthz(struct http_request *req)
{
    http_reply(req, 200, "application/json; charset=utf-8", "{\"status\":\"ok\"}", 15);
}

void api_readyz(struct http_request *req)
{
    if (db_driver_of(req->db)->ping(req->db)) {
        http_reply(req, 200, "application/json; charset=utf-8", "{\"status\":\"ok\"}", 15);
        return;
    }
    http_reply_error(req, ERR_UNAVAILABLE, NULL, "the database does not answer");
}
