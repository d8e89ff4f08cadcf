/* qr.c — QR codes as inline SVG; see qr.h. Each dark module is a 1×1 square
 * of one path, so the page carries a few kilobytes and no image request. */
#include "views/qr.h"

#include <qrencode.h>

bool view_qr_svg(struct buf *b, const char *text, const char *label)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (qr == NULL)
        return false;
    int size = qr->width + 8;
    buf_appendf(b,
                "<svg class=\"qr\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"240\" height=\"240\" "
                "shape-rendering=\"crispEdges\" aria-label=\"",
                size, size);
    buf_append_html(b, label);
    buf_appendf(b, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"", size, size);
    for (int row = 0; row < qr->width; row++)
        for (int col = 0; col < qr->width; col++)
            if (qr->data[row * qr->width + col] & 1)
                buf_appendf(b, "M%d %dh1v1h-1z", col + 4, row + 4);
    buf_append_str(b, "\"/></svg>\n");
    QRcode_free(qr);
    return true;
}
