/* qr.h — a QR code as inline SVG (libqrencode), for the two-factor
 * enrolment page: black modules on white with the four-module quiet zone,
 * scaling to its container (never wider than 240 px). */
#ifndef ROUNDS_VIEWS_QR_H
#define ROUNDS_VIEWS_QR_H

#include "lib/buf.h"

/* <svg role="img" aria-label="label">…</svg>; false (nothing written) when
 * text cannot be encoded. */
bool view_qr_svg(struct buf *b, const char *text, const char *label);

#endif
