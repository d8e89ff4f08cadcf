/* signed_pdf.c — signed documents as PDF with libharu and libqrencode; see signed_pdf.h. */
#include "views/signed_pdf.h"

#include <hpdf.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "lib/utf8.h"

enum { PDF_TEXT_MAX_BYTES = 8192 };

static const float page_width = 612, page_height = 792, margin = 64;

struct pdf_state {
    HPDF_Doc doc;
    HPDF_Page page;
    HPDF_Font regular, bold;
    float y;             /* the baseline of the next line, from the bottom */
    char text[PDF_TEXT_MAX_BYTES];
};

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    (void)detail_no;
    HPDF_STATUS *first = user_data;
    if (*first == HPDF_OK)
        *first = error_no;
}

/* The WinAnsi (CP1252) byte of a code point, or '?'. */
static unsigned char winansi(unsigned cp)
{
    static const struct {
        unsigned cp;
        unsigned char byte;
    } extra[] = {{0x20AC, 0x80}, {0x2018, 0x91}, {0x2019, 0x92}, {0x201C, 0x93}, {0x201D, 0x94},
                 {0x2022, 0x95}, {0x2013, 0x96}, {0x2014, 0x97}, {0x2026, 0x85}, {0x0160, 0x8A},
                 {0x0161, 0x9A}, {0x017D, 0x8E}, {0x017E, 0x9E}, {0x0152, 0x8C}, {0x0153, 0x9C}};
    if ((cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp <= 0xff))
        return (unsigned char)cp;
    for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
        if (extra[i].cp == cp)
            return extra[i].byte;
    return '?';
}

/* UTF-8 → WinAnsi into st->text (cut at its size). */
static const char *to_winansi(struct pdf_state *st, const char *s)
{
    size_t len = strlen(s), o = 0;
    for (size_t i = 0; i < len && o + 1 < sizeof(st->text);) {
        unsigned cp = 0;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            st->text[o++] = '?';
            i++;
            continue;
        }
        st->text[o++] = (char)winansi(cp);
        i += n;
    }
    st->text[o] = '\0';
    return st->text;
}

static void draw_text(struct pdf_state *st, HPDF_Font font, float size, float x, float y, const char *s)
{
    HPDF_Page_BeginText(st->page);
    HPDF_Page_SetFontAndSize(st->page, font, size);
    HPDF_Page_TextOut(st->page, x, y, to_winansi(st, s));
    HPDF_Page_EndText(st->page);
}

/* A wrapped paragraph from st->y down; moves st->y below it. */
static void draw_paragraph(struct pdf_state *st, const char *s, float size)
{
    const char *text = to_winansi(st, s);
    float leading = size * 1.4f;
    float width = page_width - 2 * margin;
    /* Lines needed: what fits per line, measured word by word by libharu. */
    size_t len = strlen(text), lines = 0;
    HPDF_Page_SetFontAndSize(st->page, st->regular, size);
    for (size_t at = 0; at < len; lines++) {
        HPDF_UINT fit = HPDF_Page_MeasureText(st->page, text + at, width, HPDF_TRUE, NULL);
        if (fit == 0)
            fit = (HPDF_UINT)(len - at); /* one word longer than the line: let it overflow */
        at += fit;
        while (at < len && text[at] == ' ')
            at++;
    }
    float height = (float)lines * leading + 2;
    HPDF_Page_BeginText(st->page);
    HPDF_Page_SetFontAndSize(st->page, st->regular, size);
    HPDF_Page_SetTextLeading(st->page, leading);
    HPDF_Page_TextRect(st->page, margin, st->y + size, margin + width, st->y + size - height, text,
                       HPDF_TALIGN_LEFT, NULL);
    HPDF_Page_EndText(st->page);
    st->y -= height + size * 0.6f;
}

static void draw_body(struct pdf_state *st, const char *body)
{
    char part[PDF_TEXT_MAX_BYTES];
    const char *p = body;
    while (*p != '\0') {
        const char *sep = strstr(p, "\n\n");
        size_t n = sep != NULL ? (size_t)(sep - p) : strlen(p);
        if (n >= sizeof(part))
            n = sizeof(part) - 1;
        memcpy(part, p, n);
        part[n] = '\0';
        draw_paragraph(st, part, 10.5f);
        p = sep != NULL ? sep + 2 : p + strlen(p);
    }
}

static void draw_lines(struct pdf_state *st, const struct signed_pdf *d)
{
    for (size_t i = 0; i < d->line_count; i++) {
        draw_text(st, st->bold, 10.5f, margin, st->y, d->lines[i].label);
        draw_text(st, st->regular, 10.5f, margin + 150, st->y, d->lines[i].value);
        st->y -= 17;
    }
    st->y -= 10;
}

/* The QR code of url, its lower-left corner at (x, y), size points wide with its quiet zone. */
static int draw_qr(struct pdf_state *st, const char *url, float x, float y, float size)
{
    QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (qr == NULL)
        return -1;
    int modules = qr->width + 8; /* four modules of quiet zone each side */
    float m = size / (float)modules;
    HPDF_Page_SetRGBFill(st->page, 0, 0, 0);
    for (int row = 0; row < qr->width; row++)
        for (int col = 0; col < qr->width; col++)
            if (qr->data[row * qr->width + col] & 1)
                HPDF_Page_Rectangle(st->page, x + (float)(col + 4) * m, y + (float)(qr->width - 1 - row + 4) * m,
                                    m, m);
    HPDF_Page_Fill(st->page);
    QRcode_free(qr);
    return 0;
}

static void draw_footer(struct pdf_state *st, const struct signed_pdf *d)
{
    float qr_size = 108;
    float bottom = margin - 8;
    char line[256];
    HPDF_Page_SetRGBStroke(st->page, 0.75f, 0.75f, 0.75f);
    HPDF_Page_MoveTo(st->page, margin, bottom + qr_size + 8);
    HPDF_Page_LineTo(st->page, page_width - margin, bottom + qr_size + 8);
    HPDF_Page_Stroke(st->page);
    snprintf(line, sizeof(line), "Certificate number %s", d->number);
    draw_text(st, st->bold, 11, margin, bottom + 78, line);
    snprintf(line, sizeof(line), "Issued %s by Rounds. Check it at", d->issued_on);
    draw_text(st, st->regular, 9.5f, margin, bottom + 60, line);
    draw_text(st, st->regular, 9.5f, margin, bottom + 46, d->verify_url);
    draw_text(st, st->regular, 8.5f, margin, bottom + 28,
              "The facts above are signed (Ed25519) inside this file: rounds certificate verify FILE.pdf");
    draw_text(st, st->regular, 8.5f, margin, bottom + 16,
              "checks them offline against the public key at /.well-known/rounds-signing-key.");
    draw_qr(st, d->verify_url, page_width - margin - qr_size + 8, bottom, qr_size);
}

static void set_info(struct pdf_state *st, const struct signed_pdf *d)
{
    HPDF_Date date = {0};
    int year = 0, month = 0, day = 0;
    if (d->issued_on != NULL && strlen(d->issued_on) == 10) {
        year = (d->issued_on[0] - '0') * 1000 + (d->issued_on[1] - '0') * 100 + (d->issued_on[2] - '0') * 10 +
               (d->issued_on[3] - '0');
        month = (d->issued_on[5] - '0') * 10 + (d->issued_on[6] - '0');
        day = (d->issued_on[8] - '0') * 10 + (d->issued_on[9] - '0');
    }
    date.year = year > 0 ? year : 2000;
    date.month = month >= 1 && month <= 12 ? month : 1;
    date.day = day >= 1 && day <= 31 ? day : 1;
    date.ind = 'Z';
    HPDF_SetInfoDateAttr(st->doc, HPDF_INFO_CREATION_DATE, date);
    HPDF_SetInfoAttr(st->doc, HPDF_INFO_TITLE, to_winansi(st, d->title != NULL ? d->title : d->heading));
    HPDF_SetInfoAttr(st->doc, HPDF_INFO_AUTHOR, "Rounds");
    HPDF_SetInfoAttr(st->doc, HPDF_INFO_CREATOR, "Rounds");
    HPDF_SetInfoAttr(st->doc, HPDF_INFO_KEYWORDS, d->marker);
}

/* Copies the saved document out of libharu's stream into the arena. */
static int copy_out(struct pdf_state *st, struct arena *arena, unsigned char **out, size_t *out_len)
{
    if (HPDF_SaveToStream(st->doc) != HPDF_OK)
        return -1;
    HPDF_UINT32 size = HPDF_GetStreamSize(st->doc);
    unsigned char *data = size > 0 ? arena_alloc(arena, size) : NULL;
    if (data == NULL)
        return -1;
    HPDF_UINT32 done = 0;
    while (done < size) {
        HPDF_UINT32 chunk = size - done;
        HPDF_STATUS rc = HPDF_ReadFromStream(st->doc, data + done, &chunk);
        done += chunk;
        if (rc == HPDF_STREAM_EOF || chunk == 0)
            break;
        if (rc != HPDF_OK)
            return -1;
    }
    if (done != size)
        return -1;
    *out = data;
    *out_len = size;
    return 0;
}

int signed_pdf_render(const struct signed_pdf *d, struct arena *arena, unsigned char **out, size_t *out_len)
{
    static __thread struct pdf_state st; /* the text buffer is large: not on the stack */
    HPDF_STATUS failure = HPDF_OK;
    int rc = -1;
    memset(&st, 0, offsetof(struct pdf_state, text));
    st.doc = HPDF_New(on_error, &failure);
    if (st.doc == NULL)
        return -1;
    HPDF_SetCompressionMode(st.doc, HPDF_COMP_ALL);
    st.page = HPDF_AddPage(st.doc);
    HPDF_Page_SetSize(st.page, HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_PORTRAIT);
    st.regular = HPDF_GetFont(st.doc, "Helvetica", "WinAnsiEncoding");
    st.bold = HPDF_GetFont(st.doc, "Helvetica-Bold", "WinAnsiEncoding");
    if (failure != HPDF_OK || st.page == NULL || st.regular == NULL || st.bold == NULL)
        goto out;
    set_info(&st, d);
    draw_text(&st, st.bold, 9, margin, page_height - margin + 10, "ROUNDS  -  clinical rotations");
    draw_text(&st, st.bold, 22, margin, page_height - margin - 30, d->heading);
    st.y = page_height - margin - 62;
    if (d->intro != NULL)
        draw_paragraph(&st, d->intro, 11.5f);
    draw_lines(&st, d);
    if (d->body != NULL)
        draw_body(&st, d->body);
    if (d->closing != NULL)
        draw_paragraph(&st, d->closing, 10.5f);
    draw_footer(&st, d);
    if (failure != HPDF_OK)
        goto out;
    rc = copy_out(&st, arena, out, out_len);
out:
    HPDF_Free(st.doc);
    return failure != HPDF_OK ? -1 : rc;
}
