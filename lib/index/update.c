/* Updating an index from folders of files, the way a nightly cron job
 * needs it: incremental, repeatable, safe to kill (Xapian commits are
 * atomic; nothing is removed before the end), exclusive (a lock file names
 * its holder) and, with a rebuild, swapped in atomically (index.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "extract/extract.h"
#include "extract/ocr.h"
#include "index/index.h"
#include "index/records.h"
#include "index/schema.h"
#include "base/strset.h"

/* A rebuild is written to gen-N.build, then compacted into gen-N, in
 * blocks of 16 kB rather than Xapian's 8: at 100k dispatches that made the
 * index 1.3% smaller (fewer block headers and half-used block ends) with
 * the same query times; 32 kB saved another 0.7% but doubles what a
 * nightly update rewrites for each block it touches. */
#define BUILD_SUFFIX ".build"
#define COMPACT_BLOCK_BYTES 16384
/* Measured: larger batches did not index faster and held more memory. */
#define COMMIT_EVERY 1000
/* A rebuild writes each shard in parts at once, one thread each, into
 * gen-N.build[/shard-S]/part-K.  Measured (callgrind): writing costs
 * about a third of what reading and preparing costs, so by default a
 * third of the cores write, and at least two: on two cores, two writers
 * rebuilt 10k documents about 10% faster than one (best of three, both
 * taking turns) for 5% more CPU time and 45 MB more memory.  At most
 * TC_MAX_WRITERS (tracuu.h). */
/* Each holds about 45 kB of Xapian's buffers per document uncommitted. */
#define PARTS_HOLD 4000
#define PART_LAYOUT "part-%u"
/* Folder keys are real paths; longer ones are hashed to fit a term. */
#define MAX_FOLDER_KEY 100

/* A file to index.  A million of them are held at once, so their ids live
 * together in one buffer (tc_update.names), a path is made again from its
 * folder and id when needed, and the signature is kept as numbers. */
typedef struct {
    size_t id;   /* offset in tc_update.names */
    size_t path; /* the same, of the path of a file named directly; under a
                  * folder, of the file's suffix (".pdf", ".txt.gz" ...) */
    long long size, mtime;
    int root; /* index into roots, -1 for a file named directly */
    unsigned mtime_nsec : 30;
} entry_t;

#define ENTRY_ID(u, e) ((u)->names.data + (e)->id)

struct tc_update {
    char *dir;
    unsigned flags;
    tc_update_hooks_t hooks;
    int lock_fd;
    tc_index_t *index;   /* the first shard: format stamp and completions */
    tc_index_t **shards; /* every database: part k of shard i at i * n_parts + k;
                            shards[0] == index */
    unsigned n_shards;
    unsigned n_parts; /* per shard: databases written at once, merged by the
                         compaction (a rebuild); else 1 */
    unsigned new_generation; /* being built, with TC_UPDATE_REBUILD */
    int swapped;             /* the new generation is live */
    tc_index_t *live;  /* a rebuild's reader of the live generation, NULL when none */
    entry_t *entries;
    size_t n_entries, cap_entries;
    tc_buf_t names;   /* the entries' ids, and paths of files named directly */
    char **roots;      /* folder keys */
    char **root_dirs;  /* the folders as named, which paths start with */
    char **root_reals; /* their real paths: where links may lead */
    dev_t *root_devs;  /* the devices they are on */
    size_t n_roots;
    /* What could not be read this run (a folder: its ids' prefix, ending
     * in '/'; a file: its id): what was indexed from it stays. */
    struct kept { char *id; char *path; } *kept;
    size_t n_kept;
    /* What was added, in order, walked by tc_update_finish once every
     * folder is known: a folder (its root) or a file (root -1, path). */
    struct added { long root; char *path; } *added;
    size_t n_added;
    tc_strset_t seen; /* ids of this run's files */
    struct { dev_t dev; ino_t ino; } *visited; /* folders walked: no symlink loops */
    size_t n_visited;
    tc_update_counts_t counts;
    unsigned long ocr_pages_before; /* tc_ocr_pages_read() when the run began */
    /* The lock's time once taken (0: not known): the OCR cache's readings
     * touched since were needed by this run. */
    struct timespec began;
    tc_strlist_t stale; /* readings of the OCR cache to remove when the run is through */
    char *error;
};

/* The path of e's file, malloc'd; NULL when out of memory. */
static char *entry_path(const tc_update_t *u, const entry_t *e)
{
    if (e->root < 0)
        return strdup(u->names.data + e->path);
    /* The id escapes what the name has of '%' and of bytes not UTF-8. */
    char *name = tc_name_from_id(ENTRY_ID(u, e));
    char *path = name ? tc_strdup_printf("%s/%s%s", u->root_dirs[e->root], name, u->names.data + e->path)
                      : NULL;
    free(name);
    return path;
}

/* The signature an unchanged file keeps: "size mtime", into source. */
/* What tells a file unchanged: its size and modification time, and the
 * level the access rules give it when they give one, so that a rule
 * added or changed re-reads the files it names. */
static void entry_source(const entry_t *e, tc_access_t ruled, char source[64])
{
    if (ruled == TC_ACCESS_PUBLIC)
        snprintf(source, 64, "%lld %lld.%09u", e->size, e->mtime, (unsigned)e->mtime_nsec);
    else
        snprintf(source, 64, "%lld %lld.%09u %s", e->size, e->mtime, (unsigned)e->mtime_nsec,
                 tc_access_name(ruled));
}

static tc_status_t fail(tc_update_t *u, tc_status_t status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static tc_status_t fail(tc_update_t *u, tc_status_t status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *message = NULL;
    if (vasprintf(&message, fmt, ap) >= 0) {
        free(u->error);
        u->error = message;
    }
    va_end(ap);
    return status;
}

static void report(tc_update_t *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void report(tc_update_t *u, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *message = NULL;
    if (vasprintf(&message, fmt, ap) >= 0 && u->hooks.report)
        u->hooks.report(u->hooks.arg, message);
    free(message);
    va_end(ap);
}

/* ---- the lock ------------------------------------------------------- */

static tc_status_t take_lock(tc_update_t *u)
{
    if (mkdir(u->dir, 0777) != 0 && errno != EEXIST)
        return fail(u, TC_STATUS_FILE_ERROR, "cannot create index %s: %s", u->dir, strerror(errno));
    char *path = tc_strdup_printf("%s/%s", u->dir, TC_LAYOUT_LOCK);
    if (!path)
        return fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    u->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (u->lock_fd < 0) {
        tc_status_t status = fail(u, TC_STATUS_FILE_ERROR, "cannot create %s: %s", path, strerror(errno));
        free(path);
        return status;
    }
    free(path);
    if (flock(u->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK)
            return fail(u, TC_STATUS_FILE_ERROR, "cannot lock index %s: %s", u->dir, strerror(errno));
        char holder[256] = "";
        ssize_t n = pread(u->lock_fd, holder, sizeof holder - 1, 0);
        holder[n > 0 ? n : 0] = '\0';
        holder[strcspn(holder, "\n")] = '\0';
        if (!(u->flags & TC_UPDATE_WAIT))
            return fail(u, TC_STATUS_INDEX_LOCKED, "index %s is being updated by another indexer (%s); use --wait to wait for it",
                        u->dir, *holder ? holder : "holder unknown");
        report(u, "waiting for the indexer holding %s (%s)", u->dir, *holder ? holder : "holder unknown");
        if (flock(u->lock_fd, LOCK_EX) != 0)
            return fail(u, TC_STATUS_FILE_ERROR, "cannot lock index %s: %s", u->dir, strerror(errno));
    }
    /* Say who holds it, for the next one who finds it locked. */
    char host[128] = "?", when[32] = "?";
    gethostname(host, sizeof host - 1);
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&now));
    char *holder = tc_strdup_printf("pid %ld on %s since %s\n", (long)getpid(), host, when);
    struct stat st;
    if (holder && ftruncate(u->lock_fd, 0) == 0 && pwrite(u->lock_fd, holder, strlen(holder), 0) < 0)
        report(u, "warning: cannot write %s/%s: %s", u->dir, TC_LAYOUT_LOCK, strerror(errno));
    else if (holder && fstat(u->lock_fd, &st) == 0)
        u->began = st.st_mtim; /* the filesystem's clock, which the cache's times are by */
    free(holder);
    return TC_STATUS_SUCCESS;
}

/* ---- generations ---------------------------------------------------- */

static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *child = tc_strdup_printf("%s/%s", path, e->d_name);
            if (child) {
                struct stat st;
                if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
                    remove_tree(child);
                else
                    unlink(child);
            }
            free(child);
        }
        closedir(d);
    }
    rmdir(path);
}

/* Keeps the live generation and the one before it (readers may still be
 * on it); removes the rest, such as what a killed rebuild left. */
static void prune_generations(tc_update_t *u, unsigned live)
{
    DIR *d = opendir(u->dir);
    if (!d)
        return;
    unsigned previous = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        unsigned g;
        if (sscanf(e->d_name, TC_LAYOUT_GENERATION, &g) == 1 && g < live && g > previous)
            previous = g;
    }
    rewinddir(d);
    while ((e = readdir(d))) {
        unsigned g;
        char tail;
        int matched = sscanf(e->d_name, TC_LAYOUT_GENERATION "%c", &g, &tail);
        if ((matched == 1 && g != live && g != previous) ||
            (matched == 2 && strcmp(e->d_name + strcspn(e->d_name, "."), BUILD_SUFFIX) == 0)) {
            char *path = tc_strdup_printf("%s/%s", u->dir, e->d_name);
            if (path)
                remove_tree(path);
            free(path);
        }
    }
    closedir(d);
}

static tc_status_t open_shard(tc_update_t *u, unsigned i, const char *path, int plain)
{
    tc_status_t status = plain ? tc_index_open_plain(&u->shards[i], path, TC_INDEX_WRITE, 1)
                               : tc_index_open(&u->shards[i], path, TC_INDEX_WRITE);
    if (status != TC_STATUS_SUCCESS)
        fail(u, status, "%s", tc_index_last_error(u->shards[i]));
    return status;
}

/* Opens the shards of generation (one: the generation folder itself),
 * each in `parts` databases (one: the shard's folder itself, else folders
 * part-K in it); `suffix` names a generation being built (".build"). */
static tc_status_t open_generation(tc_update_t *u, unsigned generation, unsigned shards, unsigned parts,
                                   const char *suffix)
{
    if (!(u->shards = calloc((size_t)shards * parts, sizeof *u->shards)))
        return fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    u->n_shards = shards;
    u->n_parts = parts;
    char *base = tc_strdup_printf("%s/" TC_LAYOUT_GENERATION "%s", u->dir, generation, suffix);
    tc_status_t status = base ? TC_STATUS_SUCCESS : fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    if (status == TC_STATUS_SUCCESS && (shards > 1 || parts > 1) && mkdir(base, 0777) != 0 && errno != EEXIST)
        status = fail(u, TC_STATUS_FILE_ERROR, "cannot create %s: %s", base, strerror(errno));
    for (unsigned i = 0; i < shards && status == TC_STATUS_SUCCESS; i++) {
        char *shard = shards > 1 ? tc_strdup_printf("%s/" TC_LAYOUT_SHARD, base, i) : strdup(base);
        if (!shard)
            status = fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
        else if (shards > 1 && parts > 1 && mkdir(shard, 0777) != 0 && errno != EEXIST)
            status = fail(u, TC_STATUS_FILE_ERROR, "cannot create %s: %s", shard, strerror(errno));
        for (unsigned k = 0; k < parts && status == TC_STATUS_SUCCESS; k++) {
            char *path = parts > 1 ? tc_strdup_printf("%s/" PART_LAYOUT, shard, k) : strdup(shard);
            status = path ? open_shard(u, i * parts + k, path, 1) : fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
            free(path);
        }
        free(shard);
    }
    free(base);
    u->index = u->shards[0];
    /* Copies may land in different shards, where no shard sees both. */
    if (status == TC_STATUS_SUCCESS && shards > 1 && tc_index_mark_copies(u->index) != TC_STATUS_SUCCESS)
        status = fail(u, TC_STATUS_XAPIAN, "cannot write to the index %s", u->dir);
    return status;
}

static tc_status_t open_target(tc_update_t *u, unsigned wanted_shards)
{
    unsigned live = tc_layout_generation(u->dir), existing = tc_layout_shards(u->dir);
    /* A new index is built whole, as a rebuild: in parts, one writer
     * thread each, compacted at the end.  Written in place, a first build
     * of 100k dispatches made an index 1.86 times the size of their text,
     * against 1.49 for a rebuild.  (An index of the layout before
     * generations has no stub either: the rebuild path names it.) */
    if (!live)
        u->flags |= TC_UPDATE_REBUILD;
    if (!(u->flags & TC_UPDATE_REBUILD)) {
        if (wanted_shards && existing && wanted_shards != existing)
            return fail(u, TC_STATUS_INVALID_ARGUMENT,
                        "index %s has %u shard%s; to change that, rebuild it with --rebuild --shards %u", u->dir,
                        existing, existing == 1 ? "" : "s", wanted_shards);
        if (existing > 1)
            return open_generation(u, live, existing, 1, "");
        if (!(u->shards = calloc(1, sizeof *u->shards)))
            return fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
        u->n_shards = 1;
        u->n_parts = 1;
        tc_status_t status = open_shard(u, 0, u->dir, 0);
        u->index = u->shards[0];
        return status;
    }
    char *glass = tc_strdup_printf("%s/iamglass", u->dir);
    int legacy = glass && access(glass, F_OK) == 0;
    free(glass);
    if (legacy)
        return fail(u, TC_STATUS_INVALID_ARGUMENT,
                    "index %s was made by an older indexer and cannot be swapped atomically; "
                    "move it away and run --rebuild again", u->dir);
    /* The new generation packs its records as the live one did, so that
     * shards copied from different runs can still be served together. */
    if (live && tc_index_open(&u->live, u->dir, TC_INDEX_READ) != TC_STATUS_SUCCESS) {
        tc_index_close(u->live); /* rebuilt from nothing, as it was before */
        u->live = NULL;
    }
    u->new_generation = live + 1;
    char *path = tc_strdup_printf("%s/" TC_LAYOUT_GENERATION, u->dir, u->new_generation);
    char *build = tc_strdup_printf("%s/" TC_LAYOUT_GENERATION BUILD_SUFFIX, u->dir, u->new_generation);
    if (path && build) {
        remove_tree(path); /* never reuse a half-built one */
        remove_tree(build);
    }
    free(path);
    free(build);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned parts = u->hooks.writers ? u->hooks.writers : cores > 4 ? (unsigned)(cores + 2) / 3 : cores > 1 ? 2 : 1;
    return open_generation(u, u->new_generation, wanted_shards ? wanted_shards : existing ? existing : 1,
                           parts > TC_MAX_WRITERS ? TC_MAX_WRITERS : parts, BUILD_SUFFIX);
}

static unsigned shard_of(const tc_update_t *u, const char *id);

tc_status_t tc_update_begin(tc_update_t **out, const char *dir, unsigned flags, const tc_update_hooks_t *hooks)
{
    *out = NULL;
    if (!dir)
        return TC_STATUS_INVALID_ARGUMENT;
    tc_update_t *u = calloc(1, sizeof *u);
    if (!u)
        return TC_STATUS_OUT_OF_MEMORY;
    *out = u;
    u->lock_fd = -1;
    u->flags = flags;
    if (hooks)
        u->hooks = *hooks;
    u->ocr_pages_before = tc_ocr_pages_read();
    if (!u->hooks.max_file_bytes || u->hooks.max_file_bytes > TC_MAX_FILE_BYTES)
        u->hooks.max_file_bytes = TC_MAX_FILE_BYTES;
    if (!(u->dir = strdup(dir)))
        return fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    size_t len = strlen(u->dir);
    while (len > 1 && u->dir[len - 1] == '/')
        u->dir[--len] = '\0';
    tc_status_t status = take_lock(u);
    if (status != TC_STATUS_SUCCESS)
        return status;
    unsigned live = tc_layout_generation(u->dir);
    if (live)
        prune_generations(u, live);
    return open_target(u, u->hooks.shards);
}

/* ---- walking ---------------------------------------------------------- */

/* Adds the file at path, of the given id, under roots[root] (its path is
 * then root_dirs[root]/id + suffix) or named directly (root -1). */
static int push_entry(tc_update_t *u, const char *path, const char *id, long root, const struct stat *st)
{
    entry_t *grown = tc_grow(u->entries, u->n_entries, &u->cap_entries, sizeof *grown, 256);
    if (!grown)
        return -1;
    u->entries = grown;
    entry_t *e = &u->entries[u->n_entries];
    e->path = u->names.len;
    if (root < 0 && tc_buf_append(&u->names, path, strlen(path) + 1) < 0)
        return -1;
    e->id = u->names.len;
    if (tc_buf_append(&u->names, id, strlen(id) + 1) < 0)
        return -1;
    if (root >= 0) {
        const char *suffix = tc_dispatch_suffix(path);
        e->path = u->names.len;
        if (tc_buf_append(&u->names, suffix ? suffix : "", suffix ? strlen(suffix) + 1 : 1) < 0)
            return -1;
    }
    e->root = (int)root;
    e->size = (long long)st->st_size;
    e->mtime = (long long)st->st_mtim.tv_sec;
    e->mtime_nsec = (unsigned)st->st_mtim.tv_nsec;
    u->n_entries++;
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int already_walked(tc_update_t *u, const struct stat *st)
{
    for (size_t i = 0; i < u->n_visited; i++)
        if (u->visited[i].dev == st->st_dev && u->visited[i].ino == st->st_ino)
            return 1;
    void *grown = realloc(u->visited, (u->n_visited + 1) * sizeof *u->visited);
    if (!grown)
        return 1;
    u->visited = grown;
    u->visited[u->n_visited].dev = st->st_dev;
    u->visited[u->n_visited].ino = st->st_ino;
    u->n_visited++;
    return 0;
}

/* Notes that what has ids starting with id (a folder's prefix, ending in
 * '/') or the id itself could not be read, and says so. */
static tc_status_t keep_unread(tc_update_t *u, const char *path, const char *id, const char *what, int errnum)
{
    struct kept *grown = realloc(u->kept, (u->n_kept + 1) * sizeof *grown);
    if (!grown)
        return fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    u->kept = grown;
    struct kept *k = &u->kept[u->n_kept];
    if (!(k->id = strdup(id)) || !(k->path = strdup(path))) {
        free(k->id);
        return fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    }
    u->n_kept++;
    if (u->flags & TC_UPDATE_REBUILD)
        report(u, "rejected %s: %s%s", path, what, strerror(errnum));
    else
        report(u, "rejected %s: %s%s (kept what was indexed from it)", path, what, strerror(errnum));
    u->counts.rejected++;
    return TC_STATUS_SUCCESS;
}

/* The same for a name in a folder that could not be looked at: a folder
 * or, with a dispatch's suffix, a file. */
static tc_status_t keep_unread_name(tc_update_t *u, const char *path, const char *id_prefix, const char *name,
                                    int errnum)
{
    const char *suffix = tc_dispatch_suffix(name);
    char *part = tc_id_from_name(name, suffix ? (size_t)(suffix - name) : strlen(name));
    char *id = part ? tc_strdup_printf("%s%s%s", id_prefix, part, suffix ? "" : "/") : NULL;
    tc_status_t status = id ? keep_unread(u, path, id, "", errnum) : fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    free(part);
    free(id);
    return status;
}

/* Whether id is of something this run could not read. */
static int unread(const tc_update_t *u, const char *id)
{
    for (size_t k = 0; k < u->n_kept; k++) {
        const char *prefix = u->kept[k].id;
        size_t len = strlen(prefix);
        if (len == 0 || prefix[len - 1] == '/' ? strncmp(id, prefix, len) == 0 : strcmp(id, prefix) == 0)
            return 1;
    }
    return 0;
}

/* Whether real (a real path) is one of the folders added or inside one. */
static int inside_roots(const tc_update_t *u, const char *real)
{
    for (size_t r = 0; r < u->n_roots; r++) {
        size_t len = strlen(u->root_reals[r]);
        if (strncmp(real, u->root_reals[r], len) == 0 &&
            (real[len] == '\0' || real[len] == '/' || u->root_reals[r][len - 1] == '/'))
            return 1;
    }
    return 0;
}

/* Whether the link at path may be followed: to what is inside the folders
 * added (else anyone who can write a link in the archive publishes any
 * file the indexer can read).  Says why not. */
static int link_may_be_followed(tc_update_t *u, const char *path)
{
    if (u->flags & TC_UPDATE_FOLLOW_LINKS)
        return 1;
    char *target = realpath(path, NULL);
    if (!target) {
        report(u, "rejected %s: %s", path, strerror(errno));
        u->counts.rejected++;
        return 0;
    }
    int inside = inside_roots(u, target);
    if (!inside)
        report(u, "%s: skipped, a link to %s, outside the folders indexed (--follow-links follows it)", path,
               target);
    free(target);
    return inside;
}

/* Walks dir in name order; ids are relative to the folder added. */
static tc_status_t walk(tc_update_t *u, const char *dir, const char *id_prefix, long root)
{
    DIR *d = opendir(dir);
    if (!d)
        return keep_unread(u, dir, id_prefix, "cannot read folder: ", errno);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    tc_status_t status = TC_STATUS_SUCCESS;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char **grown = realloc(names, (n + 1) * sizeof *names);
        if (!grown || !(grown[n] = strdup(e->d_name))) {
            names = grown ? grown : names;
            status = fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
            break;
        }
        names = grown;
        n++;
    }
    closedir(d);
    if (n) /* an empty folder has no array to sort */
        qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; i < n && status == TC_STATUS_SUCCESS; i++) {
        char *path = tc_strdup_printf("%s/%s", dir, names[i]), *id = NULL;
        struct stat st;
        if (!path) {
            status = fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
        } else if (lstat(path, &st) != 0 || (S_ISLNK(st.st_mode) && link_may_be_followed(u, path) &&
                                             stat(path, &st) != 0)) {
            /* Gone (a dangling link) is gone; anything else may be there. */
            if (errno == ENOENT) {
                report(u, "rejected %s: %s", path, strerror(errno));
                u->counts.rejected++;
            } else {
                status = keep_unread_name(u, path, id_prefix, names[i], errno);
            }
        } else if (S_ISLNK(st.st_mode)) {
            ; /* not followed: link_may_be_followed said why */
        } else if (S_ISDIR(st.st_mode)) {
            char *part = NULL;
            if (already_walked(u, &st)) {
                report(u, "%s: skipped, a link back to a folder already indexed", path);
            } else if ((part = tc_id_from_name(names[i], strlen(names[i]))) &&
                       (id = tc_strdup_printf("%s%s/", id_prefix, part))) {
                status = walk(u, path, id, root);
            } else {
                status = fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
            }
            free(part);
        } else if (S_ISREG(st.st_mode) && tc_dispatch_suffix(names[i])) {
            const char *suffix = tc_dispatch_suffix(names[i]);
            char *part = tc_id_from_name(names[i], (size_t)(suffix - names[i]));
            id = part ? tc_strdup_printf("%s%s", id_prefix, part) : NULL;
            if (!id || push_entry(u, path, id, root, &st) < 0)
                status = fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
            free(part);
        }
        free(id);
        free(path);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return status;
}

/* The key of a folder: its real path, hashed when too long for a term. */
static char *folder_key(const char *real)
{
    if (strlen(real) <= MAX_FOLDER_KEY)
        return strdup(real);
    return tc_strdup_printf("#%016llx", (unsigned long long)tc_hash_string(real));
}

/* A file named directly, found when the run walks what was added. */
static tc_status_t add_file(tc_update_t *u, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        report(u, "rejected %s: %s", path, strerror(errno));
        u->counts.rejected++;
        return TC_STATUS_SUCCESS;
    }
    const char *base = strrchr(path, '/');
    if (!S_ISREG(st.st_mode) || !tc_dispatch_suffix(base ? base + 1 : path)) {
        report(u, "rejected %s: not a .txt, .pdf, .docx, .odt, .doc or .rtf file (or one of them gzipped)", path);
        u->counts.rejected++;
        return TC_STATUS_SUCCESS;
    }
    char *id = tc_id_of_file(path);
    int rc = id ? push_entry(u, path, id, -1, &st) : -1;
    free(id);
    return rc < 0 ? fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory") : TC_STATUS_SUCCESS;
}

/* Finds the files of what was added, in the order added. */
static tc_status_t walk_added(tc_update_t *u)
{
    tc_status_t status = TC_STATUS_SUCCESS;
    for (size_t i = 0; i < u->n_added && status == TC_STATUS_SUCCESS; i++) {
        long root = u->added[i].root;
        struct stat st;
        if (root < 0) {
            status = add_file(u, u->added[i].path);
        } else if (stat(u->root_dirs[root], &st) != 0) {
            status = keep_unread(u, u->root_dirs[root], "", "cannot read folder: ", errno);
        } else {
            already_walked(u, &st);
            status = walk(u, u->root_dirs[root], "", root);
        }
    }
    return status;
}

/* What a refusal ends with: a run that would lose dispatches it should
 * not (a folder not mounted, unreadable, or too many removals) stops before
 * it changes anything, instead of removing them (an update) or swapping
 * in an index without them (a rebuild). */
#define INDEX_UNCHANGED "; the index is left as it was"

/* A folder that is missing, empty or unreadable, or that moved to another
 * filesystem (check_device), is most likely a share that is not mounted. */
static tc_status_t check_folder(tc_update_t *u, const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return fail(u, TC_STATUS_FILE_ERROR, "folder %s: %s" INDEX_UNCHANGED, path, strerror(errno));
    int empty = 1;
    struct dirent *e;
    while (empty && (e = readdir(d)))
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    if (empty)
        return fail(u, TC_STATUS_FILE_ERROR, "folder %s is empty (a share not mounted?)" INDEX_UNCHANGED, path);
    return TC_STATUS_SUCCESS;
}

/* The index's metadata key for the device of the folder of key, malloc'd. */
static char *device_key(const char *key)
{
    return tc_strdup_printf("%s%s", TC_ROOT_DEVICE_KEY, key);
}

/* Refuses a folder on another device than the index noted at the last run. */
static tc_status_t check_device(tc_update_t *u, const char *path, const char *key, dev_t dev)
{
    tc_index_t *last = u->flags & TC_UPDATE_REBUILD ? u->live : u->index;
    if (!last || (u->flags & TC_UPDATE_NEW_FILESYSTEM))
        return TC_STATUS_SUCCESS;
    char *meta = device_key(key), *noted = NULL;
    tc_status_t status = meta ? xw_db_get_metadata(last->db, meta, &noted) : TC_STATUS_OUT_OF_MEMORY;
    free(meta);
    if (status != TC_STATUS_SUCCESS) {
        free(noted);
        return status == TC_STATUS_OUT_OF_MEMORY ? fail(u, status, "out of memory")
                                                 : fail(u, status, "cannot read index %s: %s", u->dir, xw_db_error(last->db));
    }
    dev_t was = (dev_t)strtoull(noted, NULL, 10);
    int moved = *noted && was != dev;
    free(noted);
    if (moved)
        return fail(u, TC_STATUS_FILE_ERROR,
                    "folder %s is on another filesystem (device %u:%u) than at the last run (%u:%u): a share not "
                    "mounted?" INDEX_UNCHANGED "; if the folder moved, run again with --new-filesystem",
                    path, major(dev), minor(dev), major(was), minor(was));
    return TC_STATUS_SUCCESS;
}

/* Notes in the index the device each folder is on, for the next run
 * (only where it changed: a run that changed nothing commits nothing). */
static tc_status_t note_devices(tc_update_t *u)
{
    tc_status_t status = TC_STATUS_SUCCESS;
    for (size_t r = 0; r < u->n_roots && status == TC_STATUS_SUCCESS; r++) {
        char *meta = device_key(u->roots[r]), *noted = NULL;
        char *value = tc_strdup_printf("%llu", (unsigned long long)u->root_devs[r]);
        if (!meta || !value)
            status = fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
        else if ((status = xw_db_get_metadata(u->index->db, meta, &noted)) == TC_STATUS_SUCCESS &&
                 strcmp(noted, value) != 0)
            status = xw_db_set_metadata(u->index->db, meta, value);
        if (status != TC_STATUS_SUCCESS && status != TC_STATUS_OUT_OF_MEMORY)
            fail(u, status, "cannot write to the index %s: %s", u->dir, xw_db_error(u->index->db));
        free(noted);
        free(meta);
        free(value);
    }
    return status;
}

/* Adds a folder to the roots: its key, its name, its real path, its
 * device; refuses it as check_folder and check_device do. */
static tc_status_t add_root(tc_update_t *u, const char *path, const struct stat *st, long *root)
{
    tc_status_t status = check_folder(u, path);
    if (status != TC_STATUS_SUCCESS)
        return status;
    char *real = realpath(path, NULL), *key = real ? folder_key(real) : NULL, *dir = strdup(path);
    size_t n = u->n_roots + 1;
    char **roots = key && dir ? realloc(u->roots, n * sizeof *roots) : NULL;
    if (roots)
        u->roots = roots;
    char **dirs = roots ? realloc(u->root_dirs, n * sizeof *dirs) : NULL;
    if (dirs)
        u->root_dirs = dirs;
    char **reals = dirs ? realloc(u->root_reals, n * sizeof *reals) : NULL;
    if (reals)
        u->root_reals = reals;
    dev_t *devs = reals ? realloc(u->root_devs, n * sizeof *devs) : NULL;
    if (devs)
        u->root_devs = devs;
    if (!devs)
        status = real || errno == ENOMEM ? fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory")
                                         : fail(u, TC_STATUS_FILE_ERROR, "folder %s: %s" INDEX_UNCHANGED, path,
                                                strerror(errno));
    else
        status = check_device(u, path, key, st->st_dev);
    if (status != TC_STATUS_SUCCESS) {
        free(real);
        free(key);
        free(dir);
        return status;
    }
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        dir[--len] = '\0';
    u->roots[u->n_roots] = key;
    u->root_dirs[u->n_roots] = dir;
    u->root_reals[u->n_roots] = real;
    u->root_devs[u->n_roots] = st->st_dev;
    *root = (long)u->n_roots++;
    return TC_STATUS_SUCCESS;
}

tc_status_t tc_update_add(tc_update_t *u, const char *path)
{
    if (!u || !path || !u->index)
        return TC_STATUS_INVALID_ARGUMENT;
    struct added *grown = realloc(u->added, (u->n_added + 1) * sizeof *grown);
    if (!grown)
        return fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    u->added = grown;
    struct added *a = &u->added[u->n_added];
    a->root = -1;
    a->path = NULL;
    struct stat st;
    int found = stat(path, &st) == 0, errnum = errno;
    const char *base = strrchr(path, '/');
    tc_status_t status = TC_STATUS_SUCCESS;
    if (found && S_ISDIR(st.st_mode))
        status = add_root(u, path, &st, &a->root);
    else if (!found && !tc_dispatch_suffix(base ? base + 1 : path)) /* not a file's name: a folder's */
        status = fail(u, TC_STATUS_FILE_ERROR, "folder %s: %s" INDEX_UNCHANGED, path, strerror(errnum));
    else if (!(a->path = strdup(path)))
        status = fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    if (status == TC_STATUS_SUCCESS)
        u->n_added++;
    return status;
}

/* ---- indexing --------------------------------------------------------- */

/* A test hook: die by SIGKILL after this many documents, as a crash would.
 * Compiled only into the tests' indexer (bin/indexer-killable, built with
 * TC_TEST_HOOKS); the library and the installed programs have no such hook. */
static long kill_after(void)
{
#ifdef TC_TEST_HOOKS
    const char *value = getenv("TRACUU_TEST_KILL_AFTER");
    return value && *value ? atol(value) : -1;
#else
    return -1;
#endif
}

static tc_status_t commit(tc_update_t *u)
{
    tc_status_t status = TC_STATUS_SUCCESS;
    for (unsigned i = 0; i < u->n_shards * u->n_parts && status == TC_STATUS_SUCCESS; i++)
        if ((status = tc_index_commit(u->shards[i])) != TC_STATUS_SUCCESS)
            fail(u, status, "%s", tc_index_last_error(u->shards[i]));
    return status;
}

/* Which shard a dispatch lives in: fixed by its id. */
static unsigned shard_of(const tc_update_t *u, const char *id)
{
    return u->n_shards > 1 ? (unsigned)(tc_hash_string(id) % u->n_shards) : 0;
}

/* What a worker made of one file: a prepared document, or why not. */
typedef struct {
    int ready;
    tc_status_t status;
    char *message;
    tc_strlist_t warnings; /* what reading the file said */
    tc_doc_t *doc;
    tc_prepared_t *prepared;
} slot_t;

/* The files to read, in order, and the workers reading them: workers take
 * files from `next` on, at most WINDOW ahead of the writer, which takes
 * the results in order, so the output does not depend on thread timing. */
#define WINDOW 64

typedef struct {
    tc_update_t *u;
    size_t *todo; /* entry indexes */
    size_t n_todo;
    slot_t slots[WINDOW];
    size_t next;    /* next todo a worker takes */
    size_t written; /* todos the writer has taken */
    int stop;
    pthread_mutex_t lock;
    pthread_cond_t space, ready;
} pipeline_t;

/* Adds a warning to a tc_strlist_t (arg); one lost when memory runs out. */
static void collect_warning(void *arg, const char *message)
{
    tc_strlist_push(arg, message, strlen(message));
}

/* Loads the file; its warnings, when warnings is not NULL, are added to
 * it (else dropped). */
static tc_status_t load_entry(const tc_update_t *u, tc_doc_t **doc, const char *path, const char *id,
                              char **message, tc_strlist_t *warnings)
{
    char *cache = tc_strdup_printf("%s/" TC_OCR_CACHE, u->dir);
    if (!cache)
        return TC_STATUS_OUT_OF_MEMORY;
    tc_load_options_t options = { .max_bytes = u->hooks.max_file_bytes, .ocr = u->hooks.ocr,
                                  .ocr_seconds = u->hooks.ocr_seconds, .ocr_cache = cache,
                                  .warn = warnings ? collect_warning : NULL, .warn_arg = warnings };
    tc_status_t status = tc_doc_load_with(doc, path, id, &options, message);
    free(cache);
    return status;
}

static void prepare_entry(const tc_update_t *u, const entry_t *e, slot_t *slot)
{
    slot->doc = NULL;
    slot->prepared = NULL;
    slot->message = NULL;
    slot->warnings = (tc_strlist_t){ 0 };
    char *path = entry_path(u, e);
    if (!path) {
        slot->status = TC_STATUS_OUT_OF_MEMORY;
        return;
    }
    slot->status = load_entry(u, &slot->doc, path, ENTRY_ID(u, e), &slot->message, &slot->warnings);
    if (slot->status == TC_STATUS_SUCCESS) {
        char *why = NULL;
        char source[64];
        tc_access_t ruled = tc_access_rules_level(u->hooks.access_rules, u->hooks.n_access_rules, path);
        entry_source(e, ruled, source);
        if (ruled > slot->doc->access)
            slot->doc->access = ruled;
        slot->status = tc_index_prepare(&slot->prepared, slot->doc, source,
                                        e->root >= 0 ? u->roots[e->root] : NULL, u->index, &why);
        if (slot->status != TC_STATUS_SUCCESS)
            slot->message = tc_strdup_printf("%s: %s", path, why ? why : tc_status_to_string(slot->status));
        free(why);
    }
    free(path);
}

static void *worker(void *arg)
{
    pipeline_t *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stop && p->next < p->n_todo && p->next >= p->written + WINDOW)
            pthread_cond_wait(&p->space, &p->lock);
        if (p->stop || p->next >= p->n_todo)
            break;
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        slot_t result;
        prepare_entry(p->u, &p->u->entries[p->todo[i]], &result);
        result.ready = 1;
        pthread_mutex_lock(&p->lock);
        p->slots[i % WINDOW] = result;
        pthread_cond_broadcast(&p->ready);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static void free_slot(slot_t *slot)
{
    tc_prepared_free(slot->prepared);
    tc_doc_free(slot->doc);
    free(slot->message);
    tc_strlist_clear(&slot->warnings);
    memset(slot, 0, sizeof *slot);
}

/* The writer's side for one result; *written tells whether it went in. */
static tc_status_t write_result(tc_update_t *u, const entry_t *e, int existed, slot_t *slot, int *written)
{
    *written = 0;
    tc_status_t status = TC_STATUS_SUCCESS;
    if (slot->status == TC_STATUS_OUT_OF_MEMORY) {
        status = fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    } else if (slot->status != TC_STATUS_SUCCESS) {
        /* What was searchable yesterday stays: the old version is kept. */
        const char *why = slot->message ? slot->message : tc_status_to_string(slot->status);
        if (existed)
            report(u, "rejected %s (kept the version indexed before)", why);
        else
            report(u, "rejected %s", why);
        u->counts.rejected++;
    } else if ((status = (u->flags & TC_UPDATE_REBUILD ? tc_index_write_new : tc_index_write)(
                    u->shards[shard_of(u, ENTRY_ID(u, e))], u->index, slot->prepared)) == TC_STATUS_SUCCESS) {
        if (existed)
            u->counts.updated++;
        else
            u->counts.added++;
        *written = 1;
    } else {
        char *path = entry_path(u, e);
        fail(u, status, "%s: %s", path ? path : ENTRY_ID(u, e),
             tc_index_last_error(u->shards[shard_of(u, ENTRY_ID(u, e))]));
        free(path);
    }
    free_slot(slot);
    return status;
}

/* ---- the writers of a rebuild's parts ---------------------------------- */

/* Each writer owns part `part` of every shard and writes what it is
 * handed, in the order handed; completions go into its part of the first
 * shard (the compaction merges them). */
#define WRITER_QUEUE 8

typedef struct {
    slot_t slot;
    const entry_t *entry;
    unsigned shard;
} job_t;

typedef struct {
    tc_update_t *u;
    unsigned part;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    job_t queue[WRITER_QUEUE];
    size_t head, count;
    size_t commit_every;
    int closing; /* nothing more will come */
    int stop;    /* drop what is queued: the run failed */
    tc_status_t status;
    char *error;
} writer_t;

static tc_status_t commit_part(writer_t *w)
{
    tc_update_t *u = w->u;
    for (unsigned s = 0; s < u->n_shards; s++) {
        tc_index_t *index = u->shards[s * u->n_parts + w->part];
        tc_status_t status = tc_index_commit(index);
        if (status != TC_STATUS_SUCCESS) {
            w->error = tc_strdup_printf("%s", tc_index_last_error(index));
            return status;
        }
    }
    return TC_STATUS_SUCCESS;
}

static void *part_writer(void *arg)
{
    writer_t *w = arg;
    tc_update_t *u = w->u;
    tc_status_t status = TC_STATUS_SUCCESS;
    size_t pending = 0;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->count && !w->closing)
            pthread_cond_wait(&w->changed, &w->lock);
        if (!w->count)
            break;
        job_t job = w->queue[w->head];
        w->head = (w->head + 1) % WRITER_QUEUE;
        w->count--;
        int skip = w->stop || status != TC_STATUS_SUCCESS;
        pthread_cond_broadcast(&w->changed);
        pthread_mutex_unlock(&w->lock);
        if (!skip) {
            tc_index_t *index = u->shards[job.shard * u->n_parts + w->part], *meta = u->shards[w->part];
            status = tc_index_write_part(index, meta, job.slot.prepared);
            if (status != TC_STATUS_SUCCESS) {
                char *path = entry_path(u, job.entry);
                w->error = tc_strdup_printf("%s: %s", path ? path : ENTRY_ID(u, job.entry),
                                            *tc_index_last_error(index) ? tc_index_last_error(index)
                                                                         : tc_index_last_error(meta));
                free(path);
            } else if (++pending >= w->commit_every) {
                status = commit_part(w);
                pending = 0;
            }
        }
        free_slot(&job.slot);
        pthread_mutex_lock(&w->lock);
        if (status != TC_STATUS_SUCCESS && w->status == TC_STATUS_SUCCESS)
            w->status = status;
    }
    int stopped = w->stop;
    pthread_mutex_unlock(&w->lock);
    /* The last commit, here: each writer's in parallel. */
    if (status == TC_STATUS_SUCCESS && !stopped && pending && (status = commit_part(w)) != TC_STATUS_SUCCESS) {
        pthread_mutex_lock(&w->lock);
        w->status = status;
        pthread_mutex_unlock(&w->lock);
    }
    return NULL;
}

/* Hands a prepared document to writer w (waiting for room); the writer
 * frees it.  Returns the writer's failure, if it has failed. */
static tc_status_t hand_off(tc_update_t *u, writer_t *w, const entry_t *e, slot_t *slot)
{
    pthread_mutex_lock(&w->lock);
    while (w->count == WRITER_QUEUE && w->status == TC_STATUS_SUCCESS)
        pthread_cond_wait(&w->changed, &w->lock);
    tc_status_t status = w->status;
    if (status == TC_STATUS_SUCCESS) {
        job_t *job = &w->queue[(w->head + w->count) % WRITER_QUEUE];
        job->slot = *slot;
        job->entry = e;
        job->shard = shard_of(u, ENTRY_ID(u, e));
        w->count++;
        memset(slot, 0, sizeof *slot);
        pthread_cond_broadcast(&w->changed);
    }
    pthread_mutex_unlock(&w->lock);
    if (status != TC_STATUS_SUCCESS) {
        free_slot(slot);
        fail(u, status, "%s", w->error ? w->error : tc_status_to_string(status));
    }
    return status;
}

static unsigned start_writers(tc_update_t *u, writer_t *writers)
{
    unsigned started = 0;
    for (; started < u->n_parts; started++) {
        writer_t *w = &writers[started];
        memset(w, 0, sizeof *w);
        w->u = u;
        w->part = started;
        /* What the writers hold uncommitted stays under PARTS_HOLD documents. */
        w->commit_every = PARTS_HOLD / u->n_parts < COMMIT_EVERY ? PARTS_HOLD / u->n_parts : COMMIT_EVERY;
        pthread_mutex_init(&w->lock, NULL);
        pthread_cond_init(&w->changed, NULL);
        if (pthread_create(&w->thread, NULL, part_writer, w) != 0) {
            pthread_cond_destroy(&w->changed);
            pthread_mutex_destroy(&w->lock);
            break;
        }
    }
    return started;
}

/* Lets the writers finish what they hold (or drop it, when status says
 * the run failed) and waits for them; the first failure becomes u's. */
static tc_status_t stop_writers(tc_update_t *u, writer_t *writers, unsigned n, tc_status_t status)
{
    for (unsigned i = 0; i < n; i++) {
        pthread_mutex_lock(&writers[i].lock);
        writers[i].closing = 1;
        writers[i].stop = status != TC_STATUS_SUCCESS;
        pthread_cond_broadcast(&writers[i].changed);
        pthread_mutex_unlock(&writers[i].lock);
    }
    for (unsigned i = 0; i < n; i++) {
        writer_t *w = &writers[i];
        pthread_join(w->thread, NULL);
        if (status == TC_STATUS_SUCCESS && w->status != TC_STATUS_SUCCESS)
            status = fail(u, w->status, "%s", w->error ? w->error : tc_status_to_string(w->status));
        free(w->error);
        pthread_cond_destroy(&w->changed);
        pthread_mutex_destroy(&w->lock);
    }
    return status;
}

/* The copies terms of a rebuild in parts, as hashes: a million of them
 * take 8 MB.  Two equal hashes mark the index as holding copies; were two
 * different terms ever to share one, searches would collapse copies that
 * are not there, at some cost and with the same results. */
typedef struct {
    uint64_t *hashes;
    size_t count, cap;
} copies_seen_t;

static int copies_seen_push(copies_seen_t *seen, const char *term)
{
    uint64_t *grown = tc_grow(seen->hashes, seen->count, &seen->cap, sizeof *grown, 1024);
    if (!grown)
        return -1;
    seen->hashes = grown;
    seen->hashes[seen->count++] = tc_hash_string(term);
    return 0;
}

static int compare_hashes(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int copies_seen_repeat(copies_seen_t *seen)
{
    if (seen->count < 2)
        return 0;
    qsort(seen->hashes, seen->count, sizeof *seen->hashes, compare_hashes);
    for (size_t i = 1; i < seen->count; i++)
        if (seen->hashes[i] == seen->hashes[i - 1])
            return 1;
    return 0;
}

/* What the collector does with one result when writers write the parts:
 * the bookkeeping of write_result, then the document to writer `to`. */
static tc_status_t hand_result(tc_update_t *u, const entry_t *e, slot_t *slot, writer_t *to, copies_seen_t *copies,
                               int *written)
{
    *written = 0;
    if (slot->status != TC_STATUS_SUCCESS) {
        int dummy;
        return write_result(u, e, 0, slot, &dummy);
    }
    const char *copies_term = tc_prepared_copies_term(slot->prepared);
    if (copies_term && copies_seen_push(copies, copies_term) < 0) {
        free_slot(slot);
        return fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    }
    tc_status_t status = hand_off(u, to, e, slot);
    if (status == TC_STATUS_SUCCESS) {
        u->counts.added++;
        *written = 1;
    }
    return status;
}

/* What a run reads: the entries of files not unchanged since they were
 * indexed, and for each, whether its id was indexed before. */
typedef struct {
    size_t *todo;
    size_t n_todo;
    unsigned char *existed;
} plan_t;

/* Which files need reading (and u->seen: the ids of this run). */
static tc_status_t plan(tc_update_t *u, size_t **todo, size_t *n_todo, unsigned char **existed)
{
    tc_buf_t term = TC_BUF_INIT;
    *todo = calloc(u->n_entries + 1, sizeof **todo);
    *existed = calloc(u->n_entries + 1, 1);
    *n_todo = 0;
    if (!*todo || !*existed)
        return fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    int rebuild = (u->flags & TC_UPDATE_REBUILD) != 0;
    for (size_t i = 0; i < u->n_entries; i++) {
        const entry_t *e = &u->entries[i];
        if (tc_strset_find(&u->seen, ENTRY_ID(u, e)) >= 0) {
            char *path = entry_path(u, e);
            report(u, "rejected %s: another file already gave the id \"%s\"", path ? path : ENTRY_ID(u, e),
                   ENTRY_ID(u, e));
            free(path);
            u->counts.rejected++;
            continue;
        }
        if (tc_strset_add(&u->seen, ENTRY_ID(u, e)) < 0)
            return fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
        char *stored = NULL;
        if (!rebuild) {
            if (tc_term_append(&term, TC_PREFIX_ID, ENTRY_ID(u, e)) < 0)
                return fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
            xw_db_t *db = u->shards[shard_of(u, ENTRY_ID(u, e))]->db;
            tc_status_t status = xw_db_value_by_term(db, term.data, TC_SLOT_SOURCE, &stored);
            if (status != TC_STATUS_SUCCESS) {
                tc_buf_free(&term);
                char *path = entry_path(u, e);
                fail(u, status, "%s: %s", path ? path : ENTRY_ID(u, e), xw_db_error(db));
                free(path);
                return status;
            }
        }
        char source[64];
        tc_access_t ruled = TC_ACCESS_PUBLIC;
        if (u->hooks.n_access_rules) {
            char *path = entry_path(u, e);
            ruled = tc_access_rules_level(u->hooks.access_rules, u->hooks.n_access_rules, path);
            free(path);
        }
        entry_source(e, ruled, source);
        if (stored && strcmp(stored, source) == 0) {
            u->counts.unchanged++;
        } else {
            (*existed)[*n_todo] = stored != NULL;
            (*todo)[(*n_todo)++] = i;
        }
        free(stored);
    }
    tc_buf_free(&term);
    return TC_STATUS_SUCCESS;
}

/* An index without a dictionary gets one before its first records, and a
 * table of usual forms: the dictionary is the live generation's when a
 * rebuild replaces one that has one, else trained on records of the files
 * to index; the forms are chosen anew from the words of some of them (a
 * rebuild re-samples: the archive may have grown since).  The samples are
 * spread over the files.
 *
 * DICT_RECORDS and DICT_BYTES: bench/RESULTS.md measured zstd's default
 * dictionary size, 110 KiB, trained on 2,000 records, packing to 0.111 of
 * the records' size (0.151 with zlib); trained on 1,000 of a 5,000-file
 * archive it packed as well (0.112), on 256 to 0.117, on 64 to 0.127.
 * The records are read twice for that, once here, so only the 1,000 (and
 * only when an index gets its dictionary).  A record
 * longer than DICT_SAMPLE_MAX gives its beginning, where the boilerplate
 * is. */
#define DICT_RECORDS 1000
#define DICT_BYTES (110 * 1024)
#define DICT_SAMPLE_MAX (64 * 1024)
#define FORMS_SAMPLES 256
/* More threads than this reading files would only wait on the one writer. */
#define MAX_READER_THREADS 64

/* The threads that read and prepare files: --jobs, else one a core. */
static unsigned reader_threads(const tc_update_t *u)
{
    unsigned jobs = u->hooks.jobs ? u->hooks.jobs : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
        jobs = 1;
    return jobs > MAX_READER_THREADS ? MAX_READER_THREADS : jobs;
}

/* The model's samples, read on the readers' threads as the files
 * themselves are: read one at a time, a first build's 1,000 PDFs kept a
 * core idle for seconds.  docs[k] stays NULL for a file that cannot be
 * read (its own turn says why). */
typedef struct {
    const tc_update_t *u;
    const size_t *todo;
    size_t n_todo, n_samples;
    tc_doc_t **docs;
    size_t next;
    pthread_mutex_t lock;
} samples_job_t;

static void *read_samples(void *arg)
{
    samples_job_t *job = arg;
    for (;;) {
        pthread_mutex_lock(&job->lock);
        size_t k = job->next < job->n_samples ? job->next++ : job->n_samples;
        pthread_mutex_unlock(&job->lock);
        if (k == job->n_samples)
            return NULL;
        const entry_t *e = &job->u->entries[job->todo[k * job->n_todo / job->n_samples]];
        char *path = entry_path(job->u, e);
        tc_doc_t *doc = NULL;
        if (path && load_entry(job->u, &doc, path, ENTRY_ID(job->u, e), NULL, NULL) == TC_STATUS_SUCCESS)
            job->docs[k] = doc;
        else
            tc_doc_free(doc);
        free(path);
    }
}

static tc_status_t make_model(tc_update_t *u, const size_t *todo, size_t n_todo)
{
    if (u->index->dict || !n_todo)
        return TC_STATUS_SUCCESS;
    tc_buf_t dict = TC_BUF_INIT, samples = TC_BUF_INIT;
    size_t *sizes = NULL;
    unsigned n_sizes = 0;
    tc_forms_sample_t sample = { 0 };
    tc_status_t status = TC_STATUS_SUCCESS;
    /* A rebuild keeps the live generation's dictionary (u->live stays
     * open for the run). */
    const char *live_dict = u->live ? u->live->dict : NULL;
    size_t wanted = live_dict ? FORMS_SAMPLES : DICT_RECORDS;
    size_t n_samples = n_todo < wanted ? n_todo : wanted;
    size_t forms_every = (n_samples + FORMS_SAMPLES - 1) / FORMS_SAMPLES;
    if (!live_dict && status == TC_STATUS_SUCCESS && !(sizes = calloc(n_samples, sizeof *sizes)))
        status = fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    samples_job_t job = { u, todo, n_todo, n_samples, calloc(n_samples, sizeof *job.docs), 0,
                          PTHREAD_MUTEX_INITIALIZER };
    if (status == TC_STATUS_SUCCESS && !job.docs)
        status = fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    if (status == TC_STATUS_SUCCESS) {
        pthread_t threads[MAX_READER_THREADS];
        unsigned n_threads = reader_threads(u), started = 0;
        while (started + 1 < n_threads && started + 1 < n_samples &&
               pthread_create(&threads[started], NULL, read_samples, &job) == 0)
            started++;
        read_samples(&job); /* this thread reads too */
        for (unsigned t = 0; t < started; t++)
            pthread_join(threads[t], NULL);
    }
    /* In the files' order, so that the model does not depend on the
     * threads' timing. */
    for (size_t k = 0; k < n_samples && status == TC_STATUS_SUCCESS; k++) {
        tc_doc_t *doc = job.docs[k];
        if (!doc)
            continue; /* its turn will say why */
        if (k % forms_every == 0 && tc_index_sample_forms(&sample, doc) != TC_STATUS_SUCCESS)
            status = fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
        if (!live_dict && status == TC_STATUS_SUCCESS) {
            size_t len = 0;
            char *record = tc_doc_to_data(doc, &len);
            if (len > DICT_SAMPLE_MAX)
                len = DICT_SAMPLE_MAX;
            if (!record || tc_buf_append(&samples, record, len) < 0)
                status = fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
            else
                sizes[n_sizes++] = len;
            free(record);
        }
    }
    for (size_t k = 0; job.docs && k < n_samples; k++)
        tc_doc_free(job.docs[k]);
    free(job.docs);
    /* Training falls back on the samples as they are when they are too
     * few (tc_data_dict_train); with no dictionary at all (no file could
     * be read, or memory ran out) this index's records are stored plain
     * until a later run makes one. */
    if (!live_dict && status == TC_STATUS_SUCCESS && n_sizes &&
        tc_data_dict_train(&dict, samples.data, sizes, n_sizes, DICT_BYTES) < 0)
        dict.len = 0;
    free(sizes);
    tc_buf_free(&samples);
    char *forms = status == TC_STATUS_SUCCESS ? tc_forms_sample_choose(&sample) : NULL;
    if (status == TC_STATUS_SUCCESS && !forms)
        status = fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    for (unsigned i = 0; i < u->n_shards * u->n_parts && status == TC_STATUS_SUCCESS; i++)
        if (((live_dict || dict.len) &&
             (status = tc_index_set_dict(u->shards[i], live_dict ? live_dict : dict.data,
                                         live_dict ? u->live->dict_len : dict.len)) != TC_STATUS_SUCCESS) ||
            (status = tc_index_set_forms(u->shards[i], forms)) != TC_STATUS_SUCCESS)
            fail(u, status, "%s", tc_index_last_error(u->shards[i]));
    free(forms);
    tc_forms_sample_free(&sample);
    tc_buf_free(&dict);
    return status;
}

/* Reads and indexes what the plan says (and frees it). */
static tc_status_t index_changed(tc_update_t *u, plan_t *planned)
{
    pipeline_t p;
    memset(&p, 0, sizeof p);
    p.u = u;
    p.todo = planned->todo;
    p.n_todo = planned->n_todo;
    unsigned char *existed = planned->existed;
    memset(planned, 0, sizeof *planned);
    tc_status_t status = make_model(u, p.todo, p.n_todo);
    size_t unchanged = u->n_entries - p.n_todo;
    if (u->hooks.progress && unchanged)
        u->hooks.progress(u->hooks.arg, unchanged, u->n_entries);

    unsigned jobs = reader_threads(u);
    pthread_t threads[MAX_READER_THREADS];
    unsigned started = 0;
    pthread_mutex_init(&p.lock, NULL);
    pthread_cond_init(&p.space, NULL);
    pthread_cond_init(&p.ready, NULL);
    if (status == TC_STATUS_SUCCESS)
        for (; started < jobs && started < p.n_todo; started++)
            if (pthread_create(&threads[started], NULL, worker, &p) != 0)
                break;
    if (status == TC_STATUS_SUCCESS && p.n_todo && !started)
        status = fail(u, TC_STATUS_OUT_OF_MEMORY, "cannot start a worker thread");

    /* A rebuild in parts: this thread only hands documents round. */
    writer_t writers[TC_MAX_WRITERS];
    unsigned n_writers = 0;
    copies_seen_t copies = { 0 };
    if (status == TC_STATUS_SUCCESS && u->n_parts > 1 && p.n_todo &&
        (n_writers = start_writers(u, writers)) < u->n_parts)
        status = fail(u, TC_STATUS_OUT_OF_MEMORY, "cannot start a writer thread");

    long die_after = kill_after();
    size_t pending = 0, written_total = 0, handed = 0;
    for (size_t i = 0; i < p.n_todo && status == TC_STATUS_SUCCESS; i++) {
        pthread_mutex_lock(&p.lock);
        while (!p.slots[i % WINDOW].ready)
            pthread_cond_wait(&p.ready, &p.lock);
        slot_t slot = p.slots[i % WINDOW];
        memset(&p.slots[i % WINDOW], 0, sizeof slot);
        p.written = i + 1;
        pthread_cond_broadcast(&p.space);
        pthread_mutex_unlock(&p.lock);

        /* What reading the file said, in the order of the files. */
        for (size_t w = 0; w < slot.warnings.count; w++)
            report(u, "warning: %s", slot.warnings.items[w]);
        int written = 0;
        if (n_writers)
            status = hand_result(u, &u->entries[p.todo[i]], &slot, &writers[handed++ % n_writers], &copies,
                                 &written);
        else
            status = write_result(u, &u->entries[p.todo[i]], existed[i], &slot, &written);
        if (written && die_after >= 0 && (long)++written_total >= die_after)
            raise(SIGKILL);
        if (written && !n_writers && ++pending >= COMMIT_EVERY) {
            if (status == TC_STATUS_SUCCESS)
                status = commit(u);
            pending = 0;
        }
        if (u->hooks.progress)
            u->hooks.progress(u->hooks.arg, unchanged + i + 1, u->n_entries);
    }

    /* Stop the workers (early on failure) and drop what they made. */
    pthread_mutex_lock(&p.lock);
    p.stop = 1;
    pthread_cond_broadcast(&p.space);
    pthread_mutex_unlock(&p.lock);
    for (unsigned t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    status = stop_writers(u, writers, n_writers, status);
    int has_copies = status == TC_STATUS_SUCCESS && copies_seen_repeat(&copies);
    free(copies.hashes);
    if (has_copies && tc_index_mark_copies(u->index) != TC_STATUS_SUCCESS)
        status = fail(u, TC_STATUS_XAPIAN, "cannot write to the index %s", u->dir);
    for (size_t k = 0; k < WINDOW; k++) {
        tc_prepared_free(p.slots[k].prepared);
        tc_doc_free(p.slots[k].doc);
        free(p.slots[k].message);
        tc_strlist_clear(&p.slots[k].warnings);
    }
    pthread_cond_destroy(&p.ready);
    pthread_cond_destroy(&p.space);
    pthread_mutex_destroy(&p.lock);
    free(p.todo);
    free(existed);
    return status;
}

/* gen-N.build -> gen-N, shard by shard, compacted (Xapian's compactor
 * packs the B-trees a build leaves half full, and merges a shard's parts
 * into one database), then the build removed. */
static tc_status_t compact_generation(tc_update_t *u)
{
    char *build = tc_strdup_printf("%s/" TC_LAYOUT_GENERATION BUILD_SUFFIX, u->dir, u->new_generation);
    char *target = tc_strdup_printf("%s/" TC_LAYOUT_GENERATION, u->dir, u->new_generation);
    char **from = calloc(u->n_parts, sizeof *from);
    tc_status_t status =
        build && target && from ? TC_STATUS_SUCCESS : fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    if (status == TC_STATUS_SUCCESS && u->n_shards > 1 && mkdir(target, 0777) != 0 && errno != EEXIST)
        status = fail(u, TC_STATUS_FILE_ERROR, "cannot create %s: %s", target, strerror(errno));
    for (unsigned i = 0; i < u->n_shards && status == TC_STATUS_SUCCESS; i++) {
        char *shard = u->n_shards > 1 ? tc_strdup_printf("%s/" TC_LAYOUT_SHARD, build, i) : strdup(build);
        char *to = u->n_shards > 1 ? tc_strdup_printf("%s/" TC_LAYOUT_SHARD, target, i) : strdup(target);
        int ok = shard && to;
        for (unsigned k = 0; k < u->n_parts && ok; k++)
            ok = (from[k] = u->n_parts > 1 ? tc_strdup_printf("%s/" PART_LAYOUT, shard, k) : strdup(shard)) != NULL;
        char *why = NULL;
        if (!ok)
            status = fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
        else if ((status = xw_compact_many((const char *const *)from, u->n_parts, to, COMPACT_BLOCK_BYTES,
                                           &why)) != TC_STATUS_SUCCESS)
            fail(u, status, "cannot compact the new index %s: %s", shard, why ? why : tc_status_to_string(status));
        free(why);
        for (unsigned k = 0; k < u->n_parts; k++) {
            free(from[k]);
            from[k] = NULL;
        }
        free(shard);
        free(to);
    }
    if (status == TC_STATUS_SUCCESS)
        remove_tree(build);
    free(from);
    free(build);
    free(target);
    return status;
}

/* Whether the dispatch of id stays: its file was found, or what holds it
 * could not be read. */
static int stays(const char *id, void *arg)
{
    const tc_update_t *u = arg;
    return tc_strset_find(&u->seen, id) >= 0 || unread(u, id);
}

/* Removes the dispatches whose files are gone from the folders added, or
 * (only_count) counts them into *gone. */
static tc_status_t remove_gone(tc_update_t *u, int only_count, size_t *gone)
{
    tc_buf_t term = TC_BUF_INIT;
    tc_status_t status = TC_STATUS_SUCCESS;
    *gone = 0;
    for (size_t r = 0; r < u->n_roots && status == TC_STATUS_SUCCESS; r++) {
        if (tc_term_append(&term, TC_PREFIX_FOLDER, u->roots[r]) < 0) {
            status = fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
            break;
        }
        for (unsigned i = 0; i < u->n_shards && status == TC_STATUS_SUCCESS; i++) {
            size_t n = 0;
            status = (only_count ? xw_db_count_unless : xw_db_delete_unless)(u->shards[i]->db, term.data, TC_SLOT_ID,
                                                                            stays, u, &n);
            if (status != TC_STATUS_SUCCESS)
                fail(u, status, "cannot remove dispatches whose files are gone: %s", xw_db_error(u->shards[i]->db));
            *gone += n;
        }
    }
    tc_buf_free(&term);
    return status;
}

/* How many of total dispatches a run may remove; *rule says why, for the
 * message (room for 64 bytes). */
static size_t removals_allowed(const tc_update_t *u, size_t total, char *rule)
{
    size_t limit = u->hooks.removals_limit;
    switch (u->hooks.removals_kind) {
    case TC_REMOVALS_COUNT:
        snprintf(rule, 64, "--max-removals %zu", limit);
        return limit;
    case TC_REMOVALS_SHARE:
        snprintf(rule, 64, "--max-removals %zu%%", limit);
        return total / 100 * limit + total % 100 * limit / 100;
    default:
        snprintf(rule, 64, "by default %d%% and at least %d", TC_REMOVALS_PERCENT, TC_REMOVALS_MIN);
        return total * TC_REMOVALS_PERCENT / 100 > TC_REMOVALS_MIN ? total * TC_REMOVALS_PERCENT / 100
                                                                   : TC_REMOVALS_MIN;
    }
}

/* How many dispatches the n databases of shards hold together. */
static tc_status_t count_dispatches(tc_update_t *u, tc_index_t **shards, size_t n, size_t *total)
{
    *total = 0;
    for (size_t i = 0; i < n; i++) {
        size_t count = 0;
        tc_status_t status = tc_index_doc_count(&count, shards[i]);
        if (status != TC_STATUS_SUCCESS)
            return fail(u, status, "cannot read index %s: %s", u->dir, tc_index_last_error(shards[i]));
        *total += count;
    }
    return TC_STATUS_SUCCESS;
}

/* An update that would remove more dispatches than allowed (a folder
 * emptied by accident looks like files deleted) is refused before it
 * changes anything. */
static tc_status_t check_removals(tc_update_t *u)
{
    size_t gone = 0, total = 0;
    char rule[64];
    tc_status_t status = remove_gone(u, 1, &gone);
    if (status == TC_STATUS_SUCCESS)
        status = count_dispatches(u, u->shards, u->n_shards, &total);
    if (status == TC_STATUS_SUCCESS && gone > removals_allowed(u, total, rule))
        status = fail(u, TC_STATUS_FILE_ERROR,
                      "index %s: this update would remove %zu of its %zu dispatches, more than the %zu allowed (%s)"
                      INDEX_UNCHANGED ". If their files are gone for good, run again with --max-removals %zu",
                      u->dir, gone, total, removals_allowed(u, total, rule), rule, gone);
    return status;
}

/* A rebuilt index holding fewer dispatches than the live one, by more
 * than may be removed, is not swapped in. */
static tc_status_t check_rebuilt_size(tc_update_t *u)
{
    size_t built = 0, live = 0;
    char rule[64];
    if (!u->live)
        return TC_STATUS_SUCCESS;
    tc_status_t status = count_dispatches(u, u->shards, (size_t)u->n_shards * u->n_parts, &built);
    if (status == TC_STATUS_SUCCESS)
        status = count_dispatches(u, &u->live, 1, &live);
    if (status == TC_STATUS_SUCCESS && built < live && live - built > removals_allowed(u, live, rule))
        status = fail(u, TC_STATUS_FILE_ERROR,
                      "index %s: the rebuilt index holds %zu dispatches, %zu fewer than the live one's %zu, more "
                      "than the %zu allowed (%s)" INDEX_UNCHANGED ". If their files are gone for good, run again with "
                      "--max-removals %zu",
                      u->dir, built, live - built, live, removals_allowed(u, live, rule), rule, live - built);
    return status;
}

/* A rebuild that could not read what the live index has dispatches from
 * would drop them: it is not swapped in. */
static tc_status_t check_unread_in_live(tc_update_t *u)
{
    tc_buf_t term = TC_BUF_INIT;
    tc_status_t status = TC_STATUS_SUCCESS;
    for (size_t k = 0; u->live && k < u->n_kept && status == TC_STATUS_SUCCESS; k++) {
        const char *id = u->kept[k].id;
        size_t len = strlen(id), count = 0;
        int has = 0;
        if (tc_term_append(&term, TC_PREFIX_ID, id) < 0)
            status = fail(u, TC_STATUS_OUT_OF_MEMORY, "out of memory");
        else if (len == 0 || id[len - 1] == '/')
            status = xw_db_has_term_prefix(u->live->db, term.data, &has);
        else if ((status = xw_db_term_count(u->live->db, term.data, &count)) == TC_STATUS_SUCCESS)
            has = count > 0;
        if (status != TC_STATUS_SUCCESS)
            fail(u, status, "cannot read index %s: %s", u->dir, xw_db_error(u->live->db));
        else if (has)
            status = fail(u, TC_STATUS_FILE_ERROR,
                          "%s could not be read, and the index holds dispatches from it, which the rebuilt index "
                          "would lose" INDEX_UNCHANGED,
                          u->kept[k].path);
    }
    tc_buf_free(&term);
    return status;
}

/* ---- the OCR cache ------------------------------------------------------ */

/* Finds, into u->stale, the OCR cache's readings that belong to no
 * dispatch of the index (no XO term of their key) and that no file of
 * this run needed (not touched since it began: a rejected file's, read
 * again each run, stays).  Called once all is committed, before a
 * rebuild's databases are closed.  Every dispatch of an index of this
 * format carries its reading's key (the format that brought the keys
 * refuses older indexes).  A failure only keeps the cache. */
static void find_stale_readings(tc_update_t *u)
{
    if (!u->began.tv_sec)
        return;
    char *dir = tc_strdup_printf("%s/" TC_OCR_CACHE, u->dir);
    DIR *d = dir ? opendir(dir) : NULL;
    tc_buf_t term = TC_BUF_INIT;
    const char *trouble = dir ? NULL : "out of memory";
    for (struct dirent *e; d && !trouble && (e = readdir(d));) {
        const char *name = e->d_name;
        if (!tc_ocr_cache_is_reading(name))
            continue;
        char *path = tc_strdup_printf("%s/%s", dir, name);
        struct stat st;
        if (!path || tc_term_append(&term, TC_PREFIX_OCR_KEY, "") < 0 ||
            tc_buf_append(&term, name, TC_OCR_KEY_LEN) < 0) {
            free(path);
            trouble = "out of memory";
            break;
        }
        int needed = stat(path, &st) != 0 || st.st_mtim.tv_sec > u->began.tv_sec ||
                     (st.st_mtim.tv_sec == u->began.tv_sec && st.st_mtim.tv_nsec >= u->began.tv_nsec);
        for (unsigned i = 0; !needed && !trouble && i < u->n_shards * u->n_parts; i++) {
            size_t count = 0;
            if (xw_db_term_count(u->shards[i]->db, term.data, &count) != TC_STATUS_SUCCESS)
                trouble = xw_db_error(u->shards[i]->db);
            needed = count > 0;
        }
        if (!needed && !trouble && tc_strlist_push(&u->stale, path, strlen(path)) < 0)
            trouble = "out of memory";
        free(path);
    }
    if (trouble) {
        report(u, "warning: the OCR cache of %s is left whole: %s", u->dir, trouble);
        tc_strlist_clear(&u->stale);
    }
    if (d)
        closedir(d);
    tc_buf_free(&term);
    free(dir);
}

/* Removes what find_stale_readings found, counting them. */
static void remove_stale_readings(tc_update_t *u)
{
    for (size_t i = 0; i < u->stale.count; i++)
        u->counts.ocr_pruned += unlink(u->stale.items[i]) == 0;
}

tc_status_t tc_update_finish(tc_update_t *u, tc_update_counts_t *counts)
{
    if (!u || !u->index)
        return TC_STATUS_INVALID_ARGUMENT;
    int rebuild = (u->flags & TC_UPDATE_REBUILD) != 0;
    plan_t planned = { 0 };
    tc_status_t status = walk_added(u);
    if (status == TC_STATUS_SUCCESS && rebuild)
        status = check_unread_in_live(u);
    if (status == TC_STATUS_SUCCESS)
        status = plan(u, &planned.todo, &planned.n_todo, &planned.existed);
    if (status == TC_STATUS_SUCCESS && !rebuild)
        status = check_removals(u);
    if (status == TC_STATUS_SUCCESS)
        status = index_changed(u, &planned);
    free(planned.todo);
    free(planned.existed);
    if (status == TC_STATUS_SUCCESS && !rebuild)
        status = remove_gone(u, 0, &u->counts.removed);
    if (status == TC_STATUS_SUCCESS)
        status = note_devices(u);
    if (status == TC_STATUS_SUCCESS)
        status = commit(u);
    if (status == TC_STATUS_SUCCESS && rebuild)
        status = check_rebuilt_size(u);
    if (status == TC_STATUS_SUCCESS)
        find_stale_readings(u);
    if (status == TC_STATUS_SUCCESS && !rebuild)
        remove_stale_readings(u);
    if (status == TC_STATUS_SUCCESS && rebuild) {
        /* Close the new generation, compact it into its place, and only
         * then point readers at it. */
        for (unsigned i = 0; i < u->n_shards * u->n_parts; i++)
            tc_index_close(u->shards[i]);
        free(u->shards);
        u->shards = NULL;
        u->index = NULL;
        status = compact_generation(u);
        if (status != TC_STATUS_SUCCESS) {
            ;
        } else if (tc_layout_write_stub(u->dir, u->new_generation, u->n_shards) < 0) {
            status = fail(u, TC_STATUS_FILE_ERROR, "cannot swap the new index into %s: %s", u->dir, strerror(errno));
        } else {
            u->swapped = 1;
            prune_generations(u, u->new_generation);
            remove_stale_readings(u);
        }
    }
    u->counts.ocr_pages = tc_ocr_pages_read() - u->ocr_pages_before;
    if (counts)
        *counts = u->counts;
    return status;
}

size_t tc_update_ocr_pages(const tc_update_t *u)
{
    return u ? tc_ocr_pages_read() - u->ocr_pages_before : 0;
}

const char *tc_update_last_error(const tc_update_t *u)
{
    return u && u->error ? u->error : "";
}

/* A rebuild that failed (a full disk, a refusal) removes what it built at
 * once: left for the next run to clean, it kept the disk full till then.
 * Only the lock's holder ever sets new_generation. */
static void remove_unfinished_generation(tc_update_t *u)
{
    if (!u->new_generation || u->swapped)
        return;
    char *build = tc_strdup_printf("%s/" TC_LAYOUT_GENERATION BUILD_SUFFIX, u->dir, u->new_generation);
    char *target = tc_strdup_printf("%s/" TC_LAYOUT_GENERATION, u->dir, u->new_generation);
    if (build)
        remove_tree(build);
    if (target)
        remove_tree(target);
    free(build);
    free(target);
}

void tc_update_free(tc_update_t *u)
{
    if (!u)
        return;
    for (unsigned i = 0; u->shards && i < u->n_shards * u->n_parts; i++)
        tc_index_close(u->shards[i]);
    free(u->shards);
    remove_unfinished_generation(u);
    free(u->entries);
    tc_buf_free(&u->names);
    for (size_t i = 0; i < u->n_roots; i++) {
        free(u->roots[i]);
        free(u->root_dirs[i]);
        free(u->root_reals[i]);
    }
    free(u->roots);
    free(u->root_dirs);
    free(u->root_reals);
    free(u->root_devs);
    for (size_t i = 0; i < u->n_kept; i++) {
        free(u->kept[i].id);
        free(u->kept[i].path);
    }
    free(u->kept);
    tc_index_close(u->live);
    for (size_t i = 0; i < u->n_added; i++)
        free(u->added[i].path);
    free(u->added);
    tc_strset_free(&u->seen);
    free(u->visited);
    tc_strlist_clear(&u->stale);
    if (u->lock_fd >= 0)
        close(u->lock_fd); /* releases the lock */
    free(u->dir);
    free(u->error);
    free(u);
}
