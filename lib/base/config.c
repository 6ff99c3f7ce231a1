/* The configuration file: "key = value" lines (see tracuu.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/lines.h"
#include "tracuu.h"

void tc_config_free(tc_config_t *config)
{
    if (!config)
        return;
    free(config->index);
    for (size_t i = 0; i < config->n_archive; i++)
        free(config->archive[i]);
    free(config->archive);
    free(config->bind);
    free(config->port);
    free(config->anonymous);
    free(config->users);
    for (size_t i = 0; i < config->n_trusted_proxies; i++)
        free(config->trusted_proxies[i]);
    free(config->trusted_proxies);
    free(config->audit_log);
    free(config->audit_queries);
    for (size_t i = 0; i < config->n_access_rules; i++)
        free(config->access_rules[i].pattern);
    free(config->access_rules);
    free(config->base_path);
    free(config->cors_origin);
    free(config->count_bound);
    free(config->path);
    memset(config, 0, sizeof *config);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

static int is_port(const char *value)
{
    size_t port;
    return tc_parse_count(&port, value, 0, 65535) == 0;
}

/* "access = LEVEL PATTERN"; 0, or -1 with *message set. */
static int take_access_rule(tc_config_t *config, const char *path, unsigned line_no, char *value, char **message)
{
    size_t level_len = strcspn(value, " \t");
    char *pattern = trim(value + level_len);
    value[level_len] = '\0';
    tc_access_t level;
    if (tc_access_from_name(&level, value) < 0) {
        tc_say(message, "%s:%u: access: \"%s\" is not a level (%s)", path, line_no, value, TC_ACCESS_NAMES);
        return -1;
    }
    if (!*pattern) {
        tc_say(message, "%s:%u: access: no folder or file pattern after the level", path, line_no);
        return -1;
    }
    tc_access_rule_t *grown = realloc(config->access_rules, (config->n_access_rules + 1) * sizeof *grown);
    char *copy = grown ? strdup(pattern) : NULL;
    if (grown)
        config->access_rules = grown;
    if (!copy) {
        tc_say(message, "%s: out of memory", path);
        return -1;
    }
    config->access_rules[config->n_access_rules++] = (tc_access_rule_t){ .level = level, .pattern = copy };
    return 0;
}

/* Takes one "key = value" line into config; 0, or -1 with *message set. */
static int take_line(tc_config_t *config, const char *path, unsigned line_no, char *line, char **message)
{
    char *equals = strchr(line, '=');
    if (!equals) {
        tc_say(message, "%s:%u: \"%s\" is not \"key = value\"", path, line_no, line);
        return -1;
    }
    *equals = '\0';
    char *key = trim(line), *value = trim(equals + 1);
    if (!*key) {
        tc_say(message, "%s:%u: a value without a key", path, line_no);
        return -1;
    }
    char **slot = strcmp(key, "index") == 0           ? &config->index
                  : strcmp(key, "bind") == 0          ? &config->bind
                  : strcmp(key, "port") == 0          ? &config->port
                  : strcmp(key, "base-path") == 0     ? &config->base_path
                  : strcmp(key, "cors-origin") == 0   ? &config->cors_origin
                  : strcmp(key, "anonymous") == 0     ? &config->anonymous
                  : strcmp(key, "users") == 0         ? &config->users
                  : strcmp(key, "audit-log") == 0     ? &config->audit_log
                  : strcmp(key, "audit-queries") == 0 ? &config->audit_queries
                  : strcmp(key, "count-bound") == 0   ? &config->count_bound
                                                      : NULL;
    /* Keys whose lines add up. */
    char ***list = strcmp(key, "archive") == 0         ? &config->archive
                   : strcmp(key, "trusted-proxy") == 0 ? &config->trusted_proxies
                                                       : NULL;
    size_t *n_list = list == &config->archive ? &config->n_archive : &config->n_trusted_proxies;
    if (!slot && !list && strcmp(key, "access") != 0) {
        tc_say(message,
            "%s:%u: %s: unknown key (the keys are index, archive, bind, port, base-path, trusted-proxy, "
            "cors-origin, access, anonymous, users, audit-log, audit-queries, count-bound)",
            path, line_no, key);
        return -1;
    }
    if (!*value) {
        tc_say(message, "%s:%u: %s: no value", path, line_no, key);
        return -1;
    }
    if (strcmp(key, "access") == 0)
        return take_access_rule(config, path, line_no, value, message);
    if (slot == &config->port && !is_port(value)) {
        tc_say(message, "%s:%u: port: \"%s\" is not a port number (0 to 65535)", path, line_no, value);
        return -1;
    }
    size_t bound = 0;
    if (slot == &config->count_bound && tc_parse_count(&bound, value, 1, TC_MAX_COUNT_BOUND) < 0) {
        tc_say(message, "%s:%u: count-bound: \"%s\" is not a count (1 to %d)", path, line_no, value,
            TC_MAX_COUNT_BOUND);
        return -1;
    }
    tc_access_t level;
    if (slot == &config->anonymous && tc_access_from_name(&level, value) < 0) {
        tc_say(message, "%s:%u: anonymous: \"%s\" is not a level (%s)", path, line_no, value, TC_ACCESS_NAMES);
        return -1;
    }
    if (slot == &config->audit_queries && strcmp(value, "yes") != 0 && strcmp(value, "no") != 0) {
        tc_say(message, "%s:%u: audit-queries: \"%s\" is not yes or no", path, line_no, value);
        return -1;
    }
    char *copy = strdup(value);
    if (!copy) {
        tc_say(message, "%s: out of memory", path);
        return -1;
    }
    if (slot) {
        free(*slot); /* the last line setting a key wins */
        *slot = copy;
        return 0;
    }
    char **grown = realloc(*list, (*n_list + 1) * sizeof *grown);
    if (!grown) {
        free(copy);
        tc_say(message, "%s: out of memory", path);
        return -1;
    }
    *list = grown;
    grown[(*n_list)++] = copy;
    return 0;
}

typedef struct {
    tc_config_t *config;
    const char *path;
    char **message;
} config_file_t;

static int take_config_line(void *ctx, unsigned line_no, char *line)
{
    config_file_t *file = ctx;
    return take_line(file->config, file->path, line_no, trim(line), file->message);
}

tc_status_t tc_config_read_file(tc_config_t *out, const char *path, char **message)
{
    if (message)
        *message = NULL;
    if (!out || !path)
        return TC_STATUS_INVALID_ARGUMENT;
    memset(out, 0, sizeof *out);
    config_file_t file = { out, path, message };
    tc_status_t status = tc_read_lines(path, take_config_line, &file, message);
    if (status == TC_STATUS_SUCCESS && !(out->path = strdup(path))) {
        tc_say(message, "%s: out of memory", path);
        status = TC_STATUS_OUT_OF_MEMORY;
    }
    if (status != TC_STATUS_SUCCESS)
        tc_config_free(out);
    return status;
}

tc_status_t tc_config_read(tc_config_t *out, char **message)
{
    if (message)
        *message = NULL;
    if (!out)
        return TC_STATUS_INVALID_ARGUMENT;
    memset(out, 0, sizeof *out);
    const char *named = getenv("TRACUU_CONFIG");
    if (named && *named)
        return tc_config_read_file(out, named, message);
    FILE *f = fopen(TC_CONFIG_PATH, "r");
    if (!f && errno == ENOENT)
        return TC_STATUS_SUCCESS; /* no file: the built-in defaults */
    if (f)
        fclose(f);
    return tc_config_read_file(out, TC_CONFIG_PATH, message);
}
