/* schools_api.h — the endpoints of partner schools and their students (one
 * file each) and the JSON they share. */
#ifndef ROUNDS_API_SCHOOLS_API_H
#define ROUNDS_API_SCHOOLS_API_H

#include "api/api.h"
#include "domain/schools.h"

/* {"school":{"id","name"},"student":{"id","name","email"},"status","status_label","graduation_year",…} */
void api_write_school_link(struct buf *b, const struct store_school_student *link);
/* {"lines","invited","already":[line],"held","held_lines":[line],
 *  "problems":[{"line","message"}]} */
void api_write_invite_report(struct buf *b, const struct school_invite_report *report);
/* "problems":[{"line","message"}] — a member, without braces. */
void api_write_invite_problems(struct buf *b, const struct school_csv *csv);
/* Replies with a domain error (500 when the domain set none). */
void api_school_problem(struct http_request *req, const struct error *err);

/* One page of a school's invitation lines, read by its store function (after
 * the cursor, at most limit). */
typedef int (*api_school_lines_page_fn)(struct db_conn *conn, struct arena *arena, const char *organization_id,
                                        const struct store_school_invitation *after, int limit,
                                        struct store_school_invitation **out, size_t *count);
/* Writes one line's object. */
typedef void (*api_school_line_write_fn)(struct buf *b, const struct store_school_invitation *line);
/* The list endpoints of a school's invitation lines (its coordinators, staff;
 * 404 for anyone else): {items:[…]} paged by (upload, line), the newest upload
 * first. cursor_name names the cursor as api_pager_start does. */
void api_school_lines_reply(struct http_request *req, const char *cursor_name, api_school_lines_page_fn page,
                            api_school_line_write_fn write);

extern const char *const api_school_students_params[];
extern const char *const api_school_approvals_params[];

void api_schools_get(struct http_request *req);            /* GET /api/v1/schools */
void api_school_join(struct http_request *req);            /* POST /api/v1/schools/{id}/join */
void api_school_invitations_post(struct http_request *req); /* POST /api/v1/schools/{id}/invitations {csv} */
void api_school_invitations_get(struct http_request *req);  /* GET /api/v1/schools/{id}/invitations */
void api_school_invitations_held_get(struct http_request *req); /* GET /api/v1/schools/{id}/invitations/held */
void api_school_invitation_accept(struct http_request *req); /* POST /api/v1/school-invitations/accept {token} */
void api_school_students_get(struct http_request *req);     /* GET /api/v1/schools/{id}/students?status= */
void api_school_student_get(struct http_request *req);      /* GET /api/v1/schools/{id}/students/{student_id} */
void api_school_student_action(struct http_request *req);   /* POST …/students/{student_id}/{approve|refuse} */
void api_me_schools_get(struct http_request *req);          /* GET /api/v1/me/schools */
void api_me_school_leave(struct http_request *req);         /* POST /api/v1/me/schools/{id}/leave */
void api_school_patch(struct http_request *req);            /* PATCH /api/v1/schools/{id} {home_approval} */
void api_school_approvals_get(struct http_request *req);    /* GET /api/v1/schools/{id}/applications?status= */

#endif
