/* The web page's files, compiled into searchd (see tools/embed.c). */
#ifndef SEARCHD_ASSETS_H
#define SEARCHD_ASSETS_H

#include <stddef.h>

typedef struct {
    const char *path; /* "/app.js" */
    const char *content_type;
    const unsigned char *data;
    size_t size;
    const char *etag; /* quoted, as sent */
} searchd_asset_t;

extern const searchd_asset_t searchd_assets[];
extern const size_t searchd_n_assets;

#endif
