/* The password file searchd signs users in with: "user:hash:level" lines,
 * hashes made by libcrypt (yescrypt by default, bcrypt accepted). */
#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/lines.h"
#include "tracuu.h"

/* Longer names are no one's: a user name is typed at a prompt. */
#define MAX_USER_BYTES 64
/* bcrypt's cost (2^cost rounds) for new hashes: libcrypt's default is 5,
 * far too cheap to guess against today; 11 takes about 0.1 s a check on a
 * current core, which a sign-in does not notice and a guesser does. */
#define BCRYPT_COST 11
/* A password longer than this is refused: bcrypt reads 72 bytes and
 * ignores the rest, and hashing megabytes sent by a client costs time. */
#define MAX_PASSWORD_BYTES 256

typedef struct {
    char *name, *hash;
    tc_access_t level;
} user_t;

struct tc_users {
    user_t *users;
    size_t n;
    /* Checked against when a name is unknown, so that an unknown name
     * costs as much time as a wrong password. */
    char *decoy_hash;
};

void tc_users_free(tc_users_t *users)
{
    if (!users)
        return;
    for (size_t i = 0; i < users->n; i++) {
        free(users->users[i].name);
        free(users->users[i].hash);
    }
    free(users->users);
    free(users->decoy_hash);
    free(users);
}

int tc_user_name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (!n || n > MAX_USER_BYTES || !tc_is_utf8(name))
        return 0;
    for (const char *p = name; *p; p++)
        if (*p == ':' || (unsigned char)*p <= ' ' || *p == 0x7f)
            return 0;
    return 1;
}

/* A hash libcrypt made with a method searchd accepts, or "!" (no
 * password: the user signs in through a trusted proxy only). */
static int hash_ok(const char *hash)
{
    if (strcmp(hash, "!") == 0)
        return 1;
    int known = strncmp(hash, "$y$", 3) == 0 || strncmp(hash, "$2b$", 4) == 0 || strncmp(hash, "$2y$", 4) == 0 ||
                strncmp(hash, "$2a$", 4) == 0;
    return known && crypt_checksalt(hash) == CRYPT_SALT_OK && !strchr(hash, ':');
}

static int add_user(tc_users_t *users, const char *name, const char *hash, tc_access_t level)
{
    user_t *grown = realloc(users->users, (users->n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    users->users = grown;
    user_t *u = &users->users[users->n];
    if (!(u->name = strdup(name)) || !(u->hash = strdup(hash))) {
        free(u->name);
        return -1;
    }
    u->level = level;
    users->n++;
    return 0;
}

/* One line of a password file, "user:hash:level", into the list. */
typedef struct {
    tc_users_t *users;
    const char *path;
    char **message;
} users_file_t;

static int take_user(void *ctx, unsigned line_no, char *line)
{
    users_file_t *file = ctx;
    const char *path = file->path;
    char **message = file->message;
    char *hash = strchr(line, ':'), *level_name = hash ? strrchr(hash + 1, ':') : NULL;
    tc_access_t level, listed;
    if (!level_name) {
        tc_say(message, "%s:%u: not \"user:hash:level\"", path, line_no);
        return -1;
    }
    *hash++ = '\0';
    *level_name++ = '\0';
    if (!tc_user_name_ok(line))
        tc_say(message, "%s:%u: \"%s\" is not a user name (1 to %d bytes of UTF-8, no space or ':')", path, line_no,
               line, MAX_USER_BYTES);
    else if (!hash_ok(hash))
        tc_say(message, "%s:%u: %s: the hash is not one libcrypt made with yescrypt or bcrypt", path, line_no, line);
    else if (tc_access_from_name(&level, level_name) < 0)
        tc_say(message, "%s:%u: %s: \"%s\" is not a level (%s)", path, line_no, line, level_name, TC_ACCESS_NAMES);
    else if (tc_users_level(file->users, line, &listed) == 0)
        tc_say(message, "%s:%u: %s is listed twice", path, line_no, line);
    else if (add_user(file->users, line, hash, level) < 0)
        tc_say(message, "%s: out of memory", path);
    else
        return 0;
    return -1;
}

tc_status_t tc_users_read(tc_users_t **out, const char *path, char **message)
{
    if (message)
        *message = NULL;
    *out = calloc(1, sizeof **out);
    if (!*out)
        return TC_STATUS_OUT_OF_MEMORY;
    if (!path) /* no file: nobody signs in */
        return TC_STATUS_SUCCESS;
    users_file_t file = { *out, path, message };
    return tc_read_lines(path, take_user, &file, message);
}

static const user_t *find(const tc_users_t *users, const char *name)
{
    for (size_t i = 0; users && name && i < users->n; i++)
        if (strcmp(users->users[i].name, name) == 0)
            return &users->users[i];
    return NULL;
}

int tc_users_level(const tc_users_t *users, const char *name, tc_access_t *level)
{
    const user_t *u = find(users, name);
    if (!u)
        return -1;
    *level = u->level;
    return 0;
}

/* Whether a and b are the same string, in a time that depends on their
 * lengths only, not on where they first differ. */
static int same_in_constant_time(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), n = la > lb ? la : lb;
    unsigned char differ = la != lb;
    for (size_t i = 0; i < n; i++)
        differ |= (unsigned char)(i < la ? a[i] : 0) ^ (unsigned char)(i < lb ? b[i] : 0);
    return differ == 0;
}

/* hash of password with the setting (salt and cost) of setting, malloc'd;
 * NULL when libcrypt refuses. */
static char *hashed(const char *password, const char *setting)
{
    struct crypt_data *data = calloc(1, sizeof *data); /* 32 KiB: not for a worker's stack */
    if (!data)
        return NULL;
    const char *h = crypt_r(password, setting, data);
    char *copy = h && *h != '*' ? strdup(h) : NULL;
    explicit_bzero(data, sizeof *data);
    free(data);
    return copy;
}

int tc_users_check(tc_users_t *users, const char *name, const char *password, tc_access_t *level)
{
    if (!users || !name || !password || strlen(password) > MAX_PASSWORD_BYTES)
        return 0;
    const user_t *u = find(users, name);
    int usable = u && strcmp(u->hash, "!") != 0;
    if (!usable && !users->decoy_hash) /* made once, with the default method */
        tc_users_hash(&users->decoy_hash, "decoy", NULL, NULL);
    const char *against = usable ? u->hash : users->decoy_hash;
    if (!against)
        return 0;
    char *computed = hashed(password, against);
    int right = computed && same_in_constant_time(computed, against) && usable;
    free(computed);
    if (right)
        *level = u->level;
    return right;
}

tc_status_t tc_users_hash(char **out, const char *password, const char *method, char **message)
{
    if (message)
        *message = NULL;
    *out = NULL;
    const char *prefix = !method || strcmp(method, "yescrypt") == 0 ? "$y$"
                         : strcmp(method, "bcrypt") == 0            ? "$2b$"
                                                                    : NULL;
    if (!prefix) {
        tc_say(message, "\"%s\" is not a hashing method (yescrypt, bcrypt)", method);
        return TC_STATUS_INVALID_ARGUMENT;
    }
    if (strlen(password) > MAX_PASSWORD_BYTES) {
        tc_say(message, "the password is longer than %d bytes", MAX_PASSWORD_BYTES);
        return TC_STATUS_INVALID_ARGUMENT;
    }
    /* yescrypt at libcrypt's default cost; no entropy given: libcrypt
     * reads its own from the system. */
    char *setting = crypt_gensalt_ra(prefix, prefix[1] == '2' ? BCRYPT_COST : 0, NULL, 0);
    if (!setting) {
        tc_say(message, "libcrypt cannot make a %s salt: %s", method ? method : "yescrypt", strerror(errno));
        return TC_STATUS_INVALID_ARGUMENT;
    }
    *out = hashed(password, setting);
    free(setting);
    if (!*out) {
        tc_say(message, "libcrypt refused to hash the password");
        return TC_STATUS_INVALID_ARGUMENT;
    }
    return TC_STATUS_SUCCESS;
}

tc_status_t tc_users_update_file(const char *path, const char *name, const char *hash, tc_access_t level,
                                 int *existed, char **message)
{
    if (message)
        *message = NULL;
    *existed = 0;
    if (!tc_user_name_ok(name)) {
        tc_say(message, "\"%s\" is not a user name (1 to %d bytes of UTF-8, no space or ':')", name, MAX_USER_BYTES);
        return TC_STATUS_INVALID_ARGUMENT;
    }
    if (hash && !hash_ok(hash)) {
        tc_say(message, "not a yescrypt or bcrypt hash");
        return TC_STATUS_INVALID_ARGUMENT;
    }
    /* Read as searchd does, so that a file it would refuse is not made. */
    tc_users_t *users = NULL;
    struct stat st;
    int exists = stat(path, &st) == 0;
    tc_status_t status = tc_users_read(&users, exists ? path : NULL, message);
    if (status != TC_STATUS_SUCCESS) {
        tc_users_free(users);
        return status;
    }
    tc_buf_t text = TC_BUF_INIT;
    int failed = tc_buf_append(&text, "", 0) < 0;
    for (size_t i = 0; i < users->n && !failed; i++) {
        const user_t *u = &users->users[i];
        if (strcmp(u->name, name) == 0) {
            *existed = 1;
            if (!hash)
                continue; /* removed */
            failed = tc_buf_printf(&text, "%s:%s:%s\n", name, hash, tc_access_name(level)) < 0;
        } else {
            failed = tc_buf_printf(&text, "%s:%s:%s\n", u->name, u->hash, tc_access_name(u->level)) < 0;
        }
    }
    if (!*existed && hash && !failed)
        failed = tc_buf_printf(&text, "%s:%s:%s\n", name, hash, tc_access_name(level)) < 0;
    tc_users_free(users);
    if (failed) {
        tc_buf_free(&text);
        tc_say(message, "out of memory");
        return TC_STATUS_OUT_OF_MEMORY;
    }
    /* A new file beside it, renamed over it: searchd never reads half of
     * one, and a failure leaves the old one.  Hashes are for the owner and
     * searchd's group only. */
    char *temp = tc_strdup_printf("%s.XXXXXX", path);
    int fd = temp ? mkstemp(temp) : -1;
    status = TC_STATUS_FILE_ERROR;
    if (fd < 0) {
        tc_say(message, "%s: cannot write beside it: %s", path, strerror(errno));
    } else {
        int written = fchmod(fd, exists ? st.st_mode & 07777 : 0640) == 0 &&
                      (!exists || geteuid() != 0 || fchown(fd, st.st_uid, st.st_gid) == 0) &&
                      write(fd, text.data, text.len) == (ssize_t)text.len && fsync(fd) == 0;
        if (close(fd) != 0)
            written = 0;
        if (!written)
            tc_say(message, "%s: %s", temp, strerror(errno));
        else if (rename(temp, path) != 0)
            tc_say(message, "%s: %s", path, strerror(errno));
        else
            status = TC_STATUS_SUCCESS;
        if (status != TC_STATUS_SUCCESS)
            unlink(temp);
    }
    free(temp);
    tc_buf_free(&text);
    return status;
}
