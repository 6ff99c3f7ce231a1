/* HTML (a web page saved with a .doc name, as Word's "Save as Web Page"
 * and many document systems do) through libxml2's HTML parser, which
 * reads the charset the page declares and forgives broken markup.  The
 * text of <body> in document order; a block element or a table cell ends
 * a line; scripts, styles and comments are not text. */
#include "extract/extract.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"

/* Deeper nesting than this is not a document but an attack on the
 * recursion below (libxml2 itself stops at 256 without XML_PARSE_HUGE). */
#define MAX_HTML_DEPTH 256

static int is_one_of(const xmlChar *name, const char *const *names)
{
    for (; *names; names++)
        if (strcasecmp((const char *)name, *names) == 0)
            return 1;
    return 0;
}

static const char *const not_text[] = { "script", "style", "head", "title", "noscript", "template", NULL };
static const char *const ends_a_line[] = { "p",   "div", "br", "tr", "td", "th", "li", "h1", "h2", "h3",
                                           "h4",  "h5",  "h6", "table", "blockquote", "pre", "dd", "dt",
                                           "hr",  "section", "article", NULL };

static int end_line(tc_buf_t *text)
{
    if (text->len == 0 || text->data[text->len - 1] == '\n')
        return 0;
    return tc_buf_putc(text, '\n');
}

/* Text nodes as they come, with the line breaks the blocks imply; -1 when
 * memory runs out. */
static int walk(const xmlNode *node, tc_buf_t *text, int depth)
{
    if (depth > MAX_HTML_DEPTH)
        return 0;
    for (; node; node = node->next) {
        if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
            /* The parser leaves a source file's line breaks in the text:
             * they are spaces, as a browser shows them. */
            for (const xmlChar *c = node->content; c && *c; c++)
                if (tc_buf_putc(text, *c == '\n' || *c == '\r' ? ' ' : (char)*c) < 0)
                    return -1;
        } else if (node->type == XML_ELEMENT_NODE) {
            if (is_one_of(node->name, not_text))
                continue;
            int block = is_one_of(node->name, ends_a_line);
            if (block && end_line(text) < 0)
                return -1;
            if (walk(node->children, text, depth + 1) < 0)
                return -1;
            if (block && end_line(text) < 0)
                return -1;
        }
    }
    return 0;
}

/* libxml2 sets up its globals once, before threads use it. */
static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
    xmlInitParser();
}

tc_status_t tc_extract_html(char **out, size_t *out_len, const char *bytes, size_t len, const char *name,
                            char **message)
{
    *out = NULL;
    *out_len = 0;
    pthread_once(&libxml_once, init_libxml);
    if (len > (size_t)INT32_MAX)
        len = INT32_MAX; /* never: files are capped far below */
    htmlDocPtr doc = htmlReadMemory(bytes, (int)len, NULL, NULL,
                                    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NOBLANKS);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        if (doc)
            xmlFreeDoc(doc);
        if (message)
            *message = tc_strdup_printf("%s: %s", name, "corrupt HTML");
        return TC_STATUS_BAD_INPUT;
    }
    tc_buf_t text = TC_BUF_INIT;
    int rc = walk(root, &text, 0);
    xmlFreeDoc(doc);
    if (rc < 0 || end_line(&text) < 0) {
        tc_buf_free(&text);
        return TC_STATUS_OUT_OF_MEMORY;
    }
    *out_len = text.len;
    *out = text.data ? text.data : calloc(1, 1);
    return *out ? TC_STATUS_SUCCESS : TC_STATUS_OUT_OF_MEMORY;
}
