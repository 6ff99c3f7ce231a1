/* A PDF page's text with what its signature fields draw on it (stamps.c):
 * the number and the day a signing tool stamps on a dispatch's blanks,
 * without the signers' own stamps. */
#ifndef TC_STAMPS_H
#define TC_STAMPS_H
#include <poppler.h>

/* When page has signature fields: its text and one rectangle a character
 * (as poppler_page_get_text and poppler_page_get_text_layout give them,
 * g_free'd by the caller) with the blanks the fields fill filled and the
 * signers' stamps left out; returns 1.  Else 0, *text_out untouched (also
 * when the page cannot be drawn again: it is read as it is). */
int tc_stamped_text(PopplerPage *page, char **text_out, PopplerRectangle **rects_out, guint *n_out);
#endif
