/* Access levels: their names, and the configuration's rules that raise a
 * dispatch's level by where its file lies. */
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tracuu.h"

static const char *const level_names[TC_ACCESS_LEVELS] = { "public", "staff", "mat", "toi-mat", "tuyet-mat" };

const char *tc_access_name(tc_access_t level)
{
    return (unsigned)level < TC_ACCESS_LEVELS ? level_names[level] : "?";
}

int tc_access_from_name(tc_access_t *out, const char *name)
{
    for (unsigned i = 0; name && i < TC_ACCESS_LEVELS; i++)
        if (strcmp(name, level_names[i]) == 0) {
            *out = (tc_access_t)i;
            return 0;
        }
    return -1;
}

/* Does pattern name path: a folder (ending in '/') everything under it, a
 * pattern holding a '/' the whole path, another one the base name. */
static int rule_matches(const char *pattern, const char *path)
{
    size_t n = strlen(pattern);
    if (n && pattern[n - 1] == '/')
        return strncmp(path, pattern, n) == 0;
    if (strchr(pattern, '/'))
        return fnmatch(pattern, path, 0) == 0;
    const char *base = strrchr(path, '/');
    return fnmatch(pattern, base ? base + 1 : path, 0) == 0;
}

tc_access_t tc_access_rules_level(const tc_access_rule_t *rules, size_t n, const char *path)
{
    tc_access_t level = TC_ACCESS_PUBLIC;
    if (!path || !n)
        return level;
    /* The path as the indexer was given it, and as it really is: a rule
     * written for /srv/congvan/mat/ holds for "mat/x.txt" read from
     * /srv/congvan too. */
    char *real = realpath(path, NULL);
    for (size_t i = 0; i < n; i++)
        if (rules[i].level > level && (rule_matches(rules[i].pattern, path) ||
                                       (real && rule_matches(rules[i].pattern, real))))
            level = rules[i].level;
    free(real);
    return level;
}

void tc_access_rules_apply(tc_doc_t *doc, const tc_access_rule_t *rules, size_t n)
{
    tc_access_t level = tc_access_rules_level(rules, n, doc ? doc->path : NULL);
    if (doc && level > doc->access)
        doc->access = level;
}
