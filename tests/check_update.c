/* Nightly rebuilds that never lose data: incremental updates, removals,
 * kills at any point, two indexers at once, rebuilds swapped in under a
 * running searchd, and hostile files in the tree.  The real bin/indexer. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "text/fold.h"
#include "index/forms.h"
#include "index/index.h"
#include "index/records.h"
#include "index/schema.h"
#include "testutil.h"

/* Runs a command, asserts its exit code, returns stdout (stderr into *err). */
static char *run(int expected_code, char **err, const char *cmd)
{
    char *out = NULL, *e = NULL;
    int code = tu_run(cmd, &out, &e);
    ck_assert_msg(code == expected_code, "%s: exit %d, expected %d\nstdout: %s\nstderr: %s", cmd, code,
                  expected_code, out, e);
    if (err)
        *err = e;
    else
        free(e);
    return out;
}

/* A folder with copies of the five seeds. */
static char *seed_folder(void)
{
    char *dir = tu_tempdir(), *cmd = tu_printf("mkdir -p %s/src && cp corpus/*.txt %s/src/", dir, dir);
    free(run(0, NULL, cmd));
    free(cmd);
    char *src = NULL;
    ck_assert_int_ge(asprintf(&src, "%s/src", dir), 0);
    return src;
}

static size_t query_total(const char *db, const char *words)
{
    char *cmd = tu_printf("bin/query --db %s --json --limit 0 %s", db, words), *out = NULL;
    int code = tu_run(cmd, &out, NULL);
    ck_assert_msg(code == 0 || code == 1, "%s: exit %d", cmd, code);
    json_error_t error;
    json_t *answer = json_loads(out, 0, &error);
    ck_assert_ptr_nonnull(answer);
    size_t total = (size_t)json_integer_value(json_object_get(answer, "total"));
    json_decref(answer);
    free(out);
    free(cmd);
    return total;
}

static void expect_summary(const char *out, const char *counts, const char *db, int total)
{
    char *expected = tu_printf("%s; the index at %s holds %d dispatches\n", counts, db, total);
    ck_assert_str_eq(out, expected);
    free(expected);
}

START_TEST(test_incremental_updates)
{
    char *src = seed_folder(), *db = tu_printf("%s/../db", src);
    char *cmd = tu_printf("bin/indexer --db %s %s", db, src), *out;

    out = run(0, NULL, cmd);
    expect_summary(out, "added 5, updated 0, removed 0, unchanged 0, rejected 0", db, 5);
    free(out);

    /* Nothing changed: nothing is read again. */
    out = run(0, NULL, cmd);
    expect_summary(out, "added 0, updated 0, removed 0, unchanged 5, rejected 0", db, 5);
    free(out);

    /* One file edited, one removed, one new. */
    char *edit = tu_printf("printf '\\nPhụ lục: lịch trực ban tết.\\n' >> %s/002_265e7d34e41c1dcc.txt && "
                    "rm %s/001_17e1e73a82d28e15.txt && mkdir -p %s/2027 && cp tests/data/bkhcn-2341.txt %s/2027/",
                    src, src, src, src);
    free(run(0, NULL, edit));
    out = run(0, NULL, cmd);
    expect_summary(out, "added 1, updated 1, removed 1, unchanged 3, rejected 0", db, 5);
    free(out);
    ck_assert_uint_eq(query_total(db, "'\"lịch trực ban tết\"'"), 1);
    ck_assert_uint_eq(query_total(db, "issuer:SKHCN year:2026"), 0); /* 001 is gone */
    ck_assert_uint_eq(query_total(db, "2341/BKHCN-ĐMST"), 1); /* the new 2027/bkhcn-2341; 001 cited it but is gone */
    free(edit);
    free(cmd);
    free(db);
    free(src);
}
END_TEST

START_TEST(test_bad_copy_keeps_yesterdays_version)
{
    char *src = seed_folder(), *db = tu_printf("%s/../db", src), *err = NULL;
    char *cmd = tu_printf("bin/indexer --db %s %s", db, src);
    free(run(0, NULL, cmd));
    char *spoil = tu_printf("printf 'PK\\003\\004\\000\\000' > %s/002_265e7d34e41c1dcc.txt", src);
    free(run(0, NULL, spoil));
    char *out = run(1, &err, cmd);
    expect_summary(out, "added 0, updated 0, removed 0, unchanged 4, rejected 1", db, 5);
    char *expected = tu_printf("indexer: rejected %s/002_265e7d34e41c1dcc.txt: binary file (NUL byte at offset 4) "
                        "(kept the version indexed before)\n", src);
    ck_assert_str_eq(err, expected);
    ck_assert_uint_eq(query_total(db, "Chi Lăng"), 1);
    free(expected);
    free(out);
    free(err);
    free(spoil);
    free(cmd);
    free(db);
    free(src);
}
END_TEST

START_TEST(test_hostile_tree)
{
    char *src = seed_folder(), *db = tu_printf("%s/../db", src), *err = NULL;
    char *setup = tu_printf("cd %s && : > empty.txt && head -c 3000 /dev/urandom | tr -d '\\000' > noise.txt && "
                     "ln -s . loop && ln -s missing.txt dangling.txt && mkdir deep && ln -s ../deep deep/again && "
                     "printf 'x%%.0s' $(seq 1 3000) > big.txt && "
                     "awk 'BEGIN { for (i = 0; i < 200000; i++) printf \"đổi mới sáng tạo \"; print \"\" }' > oneline.txt",
                     src);
    free(run(0, NULL, setup));
    char *cmd = tu_printf("timeout 60 bin/indexer --db %s --max-size 2M %s", db, src);
    char *out = run(1, &err, cmd);
    /* The 5 MB single line is over --max-size; big.txt (3000 "x") is a dispatch with no structure. */
    char *expected = tu_printf("indexer: rejected %s/dangling.txt: No such file or directory\n"
                        "indexer: %s/deep/again: skipped, a link back to a folder already indexed\n"
                        "indexer: %s/loop: skipped, a link back to a folder already indexed\n"
                        "indexer: rejected %s/empty.txt: empty file\n",
                        src, src, src, src);
    ck_assert_msg(strncmp(err, expected, strlen(expected)) == 0, "stderr:\n%s\nexpected to start with:\n%s", err, expected);
    ck_assert_ptr_nonnull(strstr(err, "/noise.txt: "));
    char *too_big = tu_printf("indexer: rejected %s/oneline.txt: file of ", src);
    ck_assert_ptr_nonnull(strstr(err, too_big));
    ck_assert_ptr_nonnull(strstr(err, "over the 2000000-byte limit for a dispatch\n"));
    expect_summary(out, "added 6, updated 0, removed 0, unchanged 0, rejected 4", db, 6);
    free(out);
    free(err);
    free(cmd);

    /* With room for it, the line of millions of characters is indexed. */
    cmd = tu_printf("timeout 60 bin/indexer --db %s/../db2 %s/oneline.txt", src, src);
    free(run(0, NULL, cmd));
    free(cmd);
    char *db2 = tu_printf("%s/../db2", src);
    ck_assert_uint_eq(query_total(db2, "'\"sáng tạo đổi mới\"'"), 1);
    free(db2);
    free(too_big);
    free(expected);
    free(setup);
    free(db);
    free(src);
}
END_TEST

/* A link in the archive to /etc/passwd had it indexed and served: links
 * are followed only to what is inside the folders indexed. */
START_TEST(test_links_out_of_the_archive_are_skipped)
{
    char *src = seed_folder(), *db = tu_printf("%s/../db", src), *err = NULL;
    char *setup = tu_printf("mkdir %s/../outside %s/../second && printf 'Ghi chú nội bộ\\nMật khẩu máy chủ: ngựa vằn kiwi.\\n' > %s/../outside/secret.txt && "
                     "cp tests/data/bkhcn-2341.txt %s/../second/x.txt && cd %s && ln -s /etc/passwd passwd.txt && "
                     "ln -s /etc etc && ln -s ../outside/secret.txt secret.txt && "
                     "ln -s ../second/x.txt to-second.txt && ln -s 000_8085305a3db06b59.txt alias.txt",
                     src, src, src, src, src);
    char *tree = tu_printf("%s/..", src), *real = realpath(tree, NULL);
    free(run(0, NULL, setup));
    char *cmd = tu_printf("bin/indexer --db %s %s %s/../second", db, src, src);
    char *out = run(0, &err, cmd);
    char *expected = tu_printf("indexer: %s/etc: skipped, a link to /etc, outside the folders indexed (--follow-links follows it)\n"
                        "indexer: %s/passwd.txt: skipped, a link to /etc/passwd, outside the folders indexed "
                        "(--follow-links follows it)\n"
                        "indexer: %s/secret.txt: skipped, a link to %s/outside/secret.txt, outside the folders indexed "
                        "(--follow-links follows it)\n",
                        src, src, src, real);
    ck_assert_str_eq(err, expected);
    /* The seeds, the link to one of them, the other folder's file and the link to it. */
    expect_summary(out, "added 8, updated 0, removed 0, unchanged 0, rejected 0", db, 8);
    ck_assert_uint_eq(query_total(db, "nologin"), 0);
    ck_assert_uint_eq(query_total(db, "'\"ngựa vằn kiwi\"'"), 0);
    free(out);
    free(err);
    free(expected);
    free(cmd);

    /* Told to, it follows them. */
    char *alone = tu_printf("cd %s && mkdir alone && ln -s ../outside/secret.txt alone/secret.txt", real);
    free(run(0, NULL, alone));
    cmd = tu_printf("bin/indexer --db %s/db2 --follow-links %s/alone", real, real);
    out = run(0, &err, cmd);
    ck_assert_str_eq(err, "");
    char *db2 = tu_printf("%s/db2", real);
    expect_summary(out, "added 1, updated 0, removed 0, unchanged 0, rejected 0", db2, 1);
    ck_assert_uint_eq(query_total(db2, "'\"ngựa vằn kiwi\"'"), 1);
    free(db2);
    free(out);
    free(err);
    free(cmd);
    free(alone);
    free(real);
    free(tree);
    free(setup);
    free(db);
    free(src);
}
END_TEST

/* Whether the index folder db holds gen-N or gen-N.build beyond gen-1. */
static int holds_other_generations(const char *db)
{
    char *cmd = tu_printf("ls %s | grep -v -x -e XAPIANDB -e indexer.lock -e gen-1", db), *out = NULL;
    tu_run(cmd, &out, NULL);
    int other = out && *out;
    free(out);
    free(cmd);
    return other;
}

/* An unmounted share leaves an empty folder (or none) where the archive
 * was: the nightly run removed every dispatch, quietly, and a rebuild
 * swapped in an empty index.  Now the run stops and says why. */
START_TEST(test_unmounted_archive_changes_nothing)
{
    char *src = seed_folder(), *db = tu_printf("%.*s/db", (int)strlen(src) - 4, src), *err = NULL; /* not under src/.. */
    char *update = tu_printf("bin/indexer --db %s %s", db, src);
    free(run(0, NULL, update));

    char *unmount = tu_printf("mv %s %s.away && mkdir %s", src, src, src);
    free(run(0, NULL, unmount));
    char *empty = tu_printf("indexer: folder %s is empty (a share not mounted?); the index is left as it was\n", src);
    char *quiet = tu_printf("bin/indexer --quiet --db %s %s", db, src);
    char *rebuild = tu_printf("bin/indexer --quiet --rebuild --db %s %s", db, src);
    const char *cmds[] = { update, quiet, rebuild };
    for (int i = 0; i < 3; i++) {
        char *out = run(2, &err, cmds[i]);
        ck_assert_str_eq(out, "");
        ck_assert_str_eq(err, empty);
        free(out);
        free(err);
    }
    char *stub = tu_printf("%s/XAPIANDB", db), *text = tu_read_file(stub);
    ck_assert_str_eq(text, "glass gen-1\n");
    ck_assert(!holds_other_generations(db));
    free(text);
    ck_assert_uint_eq(query_total(db, "sáng tạo"), 5);

    char *gone = tu_printf("rmdir %s", src);
    free(run(0, NULL, gone));
    char *out = run(2, &err, update), *missing = tu_printf("indexer: folder %s: No such file or directory; the index is left as it was\n", src);
    ck_assert_str_eq(err, missing);
    free(out);
    free(err);

    char *mount = tu_printf("mv %s.away %s", src, src);
    free(run(0, NULL, mount));
    out = run(0, NULL, update);
    expect_summary(out, "added 0, updated 0, removed 0, unchanged 5, rejected 0", db, 5);
    free(out);

    /* Another filesystem at the same place: the device noted at the last
     * run is not the folder's. */
    char *real = realpath(src, NULL), *key = tu_printf("%s%s", TC_ROOT_DEVICE_KEY, real);
    tc_index_t *index = NULL;
    ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_WRITE), TC_STATUS_SUCCESS);
    char *noted = NULL;
    ck_assert_int_eq(xw_db_get_metadata(index->db, key, &noted), TC_STATUS_SUCCESS);
    struct stat st;
    ck_assert_int_eq(stat(src, &st), 0);
    char *device = tu_printf("%llu", (unsigned long long)st.st_dev);
    ck_assert_str_eq(noted, device);
    char *other = tu_printf("%llu", (unsigned long long)makedev(254, 7));
    ck_assert_int_eq(xw_db_set_metadata(index->db, key, other), TC_STATUS_SUCCESS);
    ck_assert_int_eq(tc_index_commit(index), TC_STATUS_SUCCESS);
    tc_index_close(index);
    out = run(2, &err, update);
    char *moved = tu_printf("indexer: folder %s is on another filesystem (device %u:%u) than at the last run (254:7): a share "
                     "not mounted?; the index is left as it was; if the folder moved, run again with --new-filesystem\n",
                     src, major(st.st_dev), minor(st.st_dev));
    ck_assert_str_eq(err, moved);
    ck_assert_str_eq(out, "");
    free(out);
    free(err);
    char *accept = tu_printf("bin/indexer --new-filesystem --db %s %s", db, src);
    out = run(0, NULL, accept);
    expect_summary(out, "added 0, updated 0, removed 0, unchanged 5, rejected 0", db, 5);
    free(out);
    out = run(0, NULL, update); /* the new device is noted */
    expect_summary(out, "added 0, updated 0, removed 0, unchanged 5, rejected 0", db, 5);
    free(out);

    free(accept);
    free(moved);
    free(other);
    free(device);
    free(noted);
    free(key);
    free(real);
    free(mount);
    free(missing);
    free(gone);
    free(stub);
    free(rebuild);
    free(quiet);
    free(empty);
    free(unmount);
    free(update);
    free(db);
    free(src);
}
END_TEST

/* A rebuild that failed on a full disk left its partial generation
 * filling the disk until the next run: it is removed at once.  The disk
 * fills here by a file size limit on the indexer. */
START_TEST(test_failed_rebuild_leaves_nothing)
{
    char *dir = tu_tempdir(), *db = tu_printf("%s/db", dir), *err = NULL;
    char *setup = tu_printf("bench/gen-corpus --out %s/src --n 300 --seed 4 --quiet && bin/indexer --db %s corpus", dir, db);
    free(run(0, NULL, setup));
    char *rebuild = tu_printf("prlimit --fsize=200000 bin/indexer --db %s --rebuild %s/src", db, dir);
    char *out = run(2, &err, rebuild);
    ck_assert_str_eq(out, "");
    /* One line, naming the file written and Xapian's reason. */
    const char *full = "(File too large)\n";
    size_t len = strlen(err);
    ck_assert_msg(strncmp(err, "indexer: ", 9) == 0 && len > strlen(full) &&
                      strcmp(err + len - strlen(full), full) == 0 && strchr(err, '\n') == err + len - 1,
                  "stderr: %s", err);
    ck_assert_msg(!holds_other_generations(db), "a failed rebuild left its generation in %s", db);
    char *stub = tu_printf("%s/XAPIANDB", db), *text = tu_read_file(stub);
    ck_assert_str_eq(text, "glass gen-1\n");
    ck_assert_uint_eq(query_total(db, "''"), 5);
    free(text);
    free(stub);
    free(out);
    free(err);
    free(rebuild);
    free(setup);
    free(db);
}
END_TEST

/* Files that vanish by the hundred are more often a mistake than a
 * night's deletions: beyond 5% of the dispatches (at least 20) a run
 * removes nothing, and a rebuild that lost as many is not swapped in,
 * unless --max-removals says how many may go. */
START_TEST(test_mass_removals_are_refused)
{
    char *dir = tu_tempdir(), *src = tu_printf("%s/src", dir), *db = tu_printf("%s/db", dir), *err = NULL;
    char *setup = tu_printf("bench/gen-corpus --out %s --n 100 --seed 5 --quiet", src);
    free(run(0, NULL, setup));
    char *update = tu_printf("bin/indexer --db %s %s", db, src);
    char *out = run(0, NULL, update);
    expect_summary(out, "added 100, updated 0, removed 0, unchanged 0, rejected 0", db, 100);
    free(out);

    char *delete30 = tu_printf("find %s -name '*.txt' | sort | head -30 | xargs rm", src);
    free(run(0, NULL, delete30));
    const char *options[] = { "--quiet", "--max-removals 25%", "--max-removals 29" };
    const char *rules[] = { "20 allowed (by default 5% and at least 20)", "25 allowed (--max-removals 25%)",
                            "29 allowed (--max-removals 29)" };
    for (int i = 0; i < 3; i++) {
        char *cmd = tu_printf("bin/indexer %s --db %s %s", options[i], db, src);
        out = run(2, &err, cmd);
        char *expected = tu_printf("indexer: index %s: this update would remove 30 of its 100 dispatches, more than the %s; "
                            "the index is left as it was. If their files are gone for good, run again with "
                            "--max-removals 30\n",
                            db, rules[i]);
        ck_assert_str_eq(err, expected);
        ck_assert_str_eq(out, "");
        ck_assert_uint_eq(query_total(db, "''"), 100);
        free(expected);
        free(out);
        free(err);
        free(cmd);
    }
    char *allowed = tu_printf("bin/indexer --max-removals 30 --db %s %s", db, src);
    out = run(0, NULL, allowed);
    expect_summary(out, "added 0, updated 0, removed 30, unchanged 70, rejected 0", db, 70);
    free(out);

    /* A rebuild 25 short of the live index's 70. */
    char *delete25 = tu_printf("find %s -name '*.txt' | sort | head -25 | xargs rm", src);
    free(run(0, NULL, delete25));
    char *rebuild = tu_printf("bin/indexer --quiet --rebuild --db %s %s", db, src);
    out = run(2, &err, rebuild);
    char *expected = tu_printf("indexer: index %s: the rebuilt index holds 45 dispatches, 25 fewer than the live one's 70, "
                        "more than the 20 allowed (by default 5%% and at least 20); the index is left as it was. If "
                        "their files are gone for good, run again with --max-removals 25\n",
                        db);
    ck_assert_str_eq(err, expected);
    ck_assert_str_eq(out, "");
    char *stub = tu_printf("%s/XAPIANDB", db), *text = tu_read_file(stub);
    ck_assert_str_eq(text, "glass gen-1\n");
    ck_assert(!holds_other_generations(db));
    ck_assert_uint_eq(query_total(db, "''"), 70);
    char *rebuild_allowed = tu_printf("bin/indexer --rebuild --max-removals 36%% --db %s %s", db, src);
    free(out);
    out = run(0, NULL, rebuild_allowed);
    expect_summary(out, "added 45, updated 0, removed 0, unchanged 0, rejected 0", db, 45);

    free(rebuild_allowed);
    free(text);
    free(stub);
    free(expected);
    free(out);
    free(err);
    free(rebuild);
    free(delete25);
    free(allowed);
    free(delete30);
    free(update);
    free(setup);
    free(db);
    free(src);
}
END_TEST

/* Run as a user who cannot read part of the archive (the indexer run by
 * an unprivileged account), an update removed what it could not see,
 * although an indexed file that fails to read keeps its indexed version.
 * The tests run as root, who reads everything: the indexer runs as
 * nobody, on an index nobody can write. */
START_TEST(test_unreadable_folders_keep_their_dispatches)
{
    char *dir = tu_tempdir(), *err = NULL;
    const char *as_user = getuid() == 0 ? "setpriv --reuid=nobody --regid=nogroup --clear-groups " : "";
    char *setup = tu_printf("chmod 755 %s && mkdir -p %s/src/a %s/src/b %s/db && cp corpus/00[0-2]*.txt %s/src/a/ && "
                     "cp corpus/00[34]*.txt %s/src/b/%s",
                     dir, dir, dir, dir, dir, dir, getuid() == 0 ? " && chown nobody:nogroup " : "");
    if (getuid() == 0) {
        char *full = tu_printf("%s%s/db", setup, dir);
        free(setup);
        setup = full;
    }
    free(run(0, NULL, setup));
    char *src = tu_printf("%s/src", dir), *db = tu_printf("%s/db", dir);
    char *update = tu_printf("%sbin/indexer --db %s %s", as_user, db, src);
    char *out = run(0, NULL, update);
    expect_summary(out, "added 5, updated 0, removed 0, unchanged 0, rejected 0", db, 5);
    free(out);

    /* A folder it cannot open. */
    char *lock = tu_printf("chmod 000 %s/b", src);
    free(run(0, NULL, lock));
    out = run(1, &err, update);
    char *expected = tu_printf("indexer: rejected %s/b: cannot read folder: Permission denied (kept what was indexed from it)\n", src);
    ck_assert_str_eq(err, expected);
    expect_summary(out, "added 0, updated 0, removed 0, unchanged 3, rejected 1", db, 5);
    free(expected);
    free(out);
    free(err);

    /* A rebuild would lose them: it is not swapped in. */
    char *rebuild = tu_printf("%sbin/indexer --rebuild --db %s %s", as_user, db, src);
    out = run(2, &err, rebuild);
    expected = tu_printf("indexer: rejected %s/b: cannot read folder: Permission denied\n"
                  "indexer: %s/b could not be read, and the index holds dispatches from it, which the rebuilt index "
                  "would lose; the index is left as it was\n",
                  src, src);
    ck_assert_str_eq(err, expected);
    ck_assert_str_eq(out, "");
    ck_assert(!holds_other_generations(db));
    free(expected);
    free(out);
    free(err);
    ck_assert_uint_eq(query_total(db, "sáng tạo"), 5);

    /* A folder it can list but not look into: each file is kept. */
    char *half = tu_printf("chmod 644 %s/b", src);
    free(run(0, NULL, half));
    out = run(1, &err, update);
    expected = tu_printf("indexer: rejected %s/b/003_7150dcc81a02de69.txt: Permission denied (kept what was indexed from it)\n"
                  "indexer: rejected %s/b/004_9daa15f6c42ddd15.txt: Permission denied (kept what was indexed from it)\n",
                  src, src);
    ck_assert_str_eq(err, expected);
    expect_summary(out, "added 0, updated 0, removed 0, unchanged 3, rejected 2", db, 5);
    free(expected);
    free(out);
    free(err);

    /* The archive itself unreadable: nothing is done. */
    char *lock_all = tu_printf("chmod 755 %s/b && chmod 000 %s", src, src);
    free(run(0, NULL, lock_all));
    out = run(2, &err, update);
    expected = tu_printf("indexer: folder %s: Permission denied; the index is left as it was\n", src);
    ck_assert_str_eq(err, expected);
    free(expected);
    free(out);
    free(err);

    char *unlock = tu_printf("chmod 755 %s", src);
    free(run(0, NULL, unlock));
    out = run(0, NULL, update);
    expect_summary(out, "added 0, updated 0, removed 0, unchanged 5, rejected 0", db, 5);
    free(out);
    free(unlock);
    free(lock_all);
    free(half);
    free(rebuild);
    free(lock);
    free(update);
    free(db);
    free(src);
    free(setup);
}
END_TEST

/* Runs cmd in the background with env; returns its pid. */
static pid_t spawn(const char *cmd)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static int wait_status(pid_t pid)
{
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return status;
}

START_TEST(test_killed_runs_lose_nothing)
{
    char *src = seed_folder(), *db = tu_printf("%s/../db", src);
    char *cmd = tu_printf("bin/indexer --db %s %s", db, src);
    free(run(0, NULL, cmd));
    size_t before = query_total(db, "sáng tạo");
    ck_assert_uint_eq(before, 5);

    /* A rebuild killed after two documents: the live index is untouched. */
    char *killed = tu_printf("exec env TRACUU_TEST_KILL_AFTER=2 bin/indexer-killable --db %s --rebuild %s tests/data >/dev/null 2>&1", db, src);
    int status = wait_status(spawn(killed));
    ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    ck_assert_uint_eq(query_total(db, "sáng tạo"), 5);
    char *leftover = tu_printf("%s/gen-2.build", db);
    struct stat st;
    ck_assert_int_eq(stat(leftover, &st), 0); /* a half-built generation */

    /* An update killed mid-way: the index opens and holds all it held. */
    char *more = tu_printf("cp tests/data/*.txt %s/", src);
    free(run(0, NULL, more));
    char *killed_update = tu_printf("exec env TRACUU_TEST_KILL_AFTER=1 bin/indexer-killable --db %s %s >/dev/null 2>&1", db, src);
    status = wait_status(spawn(killed_update));
    ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    ck_assert_uint_eq(query_total(db, "sáng tạo"), 5);

    /* The next runs complete the work and clean up. */
    char *out = run(0, NULL, cmd);
    expect_summary(out, "added 3, updated 0, removed 0, unchanged 5, rejected 0", db, 8);
    free(out);
    ck_assert_int_ne(stat(leftover, &st), 0);
    char *rebuild = tu_printf("bin/indexer --db %s --rebuild %s", db, src);
    out = run(0, NULL, rebuild);
    expect_summary(out, "added 8, updated 0, removed 0, unchanged 0, rejected 0", db, 8);
    free(out);
    char *stub = tu_printf("%s/XAPIANDB", db), *text = tu_read_file(stub);
    ck_assert_str_eq(text, "glass gen-2\n");
    free(text);
    free(stub);
    free(rebuild);
    free(killed_update);
    free(more);
    free(leftover);
    free(killed);
    free(cmd);
    free(db);
    free(src);
}
END_TEST

START_TEST(test_two_indexers_at_once)
{
    char *src = seed_folder(), *db = tu_printf("%s/../db", src), *err = NULL;
    char *cmd = tu_printf("bin/indexer --db %s %s", db, src);
    free(run(0, NULL, cmd));
    /* Hold the lock the way a running indexer does, from another process,
     * and go on only once it is held: on a loaded machine the holder may
     * take longer than any fixed pause to get there.  It keeps the lock
     * HOLD_SECONDS after that, which the refused run fits in easily. */
    enum { HOLD_SECONDS = 3, READY_TRIES = 600, READY_STEP_MS = 50 };
    char *ready = tu_printf("%s/../holder.ready", src);
    char *holder = tu_printf("exec flock %s/indexer.lock sh -c 'touch %s && sleep %d'", db, ready, HOLD_SECONDS);
    pid_t pid = spawn(holder);
    for (int tries = 0; tries < READY_TRIES && access(ready, F_OK) != 0; tries++)
        usleep(READY_STEP_MS * 1000);
    ck_assert_msg(access(ready, F_OK) == 0, "the lock holder never got the lock");
    free(ready);
    char *out = run(2, &err, cmd);
    char *expected = tu_printf("indexer: index %s is being updated by another indexer (", db);
    ck_assert_msg(strncmp(err, expected, strlen(expected)) == 0, "stderr: %s", err);
    ck_assert_ptr_nonnull(strstr(err, "); use --wait to wait for it\n"));
    ck_assert_str_eq(out, "");
    free(out);
    free(err);
    char *waiting = tu_printf("bin/indexer --db %s --wait %s", db, src);
    out = run(0, &err, waiting);
    expect_summary(out, "added 0, updated 0, removed 0, unchanged 5, rejected 0", db, 5);
    ck_assert_ptr_nonnull(strstr(err, "indexer: waiting for the indexer holding "));
    wait_status(pid);
    free(out);
    free(err);
    free(waiting);
    free(expected);
    free(holder);
    free(cmd);
    free(db);
    free(src);
}
END_TEST

START_TEST(test_searchd_answers_through_rebuilds)
{
    char *src = seed_folder(), *db = tu_printf("%s/../db", src);
    char *cmd = tu_printf("bin/indexer --db %s %s", db, src);
    free(run(0, NULL, cmd));
    int pid = 0;
    char *log = tu_printf("%s/../searchd.log", src);
    char *base = tu_searchd_start(db, log, &pid), *url = tu_printf("%s/api/search?q=s%%C3%%A1ng+t%%E1%%BA%%A1o", base);
    char *rebuild = tu_printf("for i in 1 2 3; do bin/indexer --db %s --rebuild %s tests/data >/dev/null || exit 1; "
                       "bin/indexer --db %s %s tests/data/bkhcn-2341.txt >/dev/null; done", db, src, db, src);
    pid_t builder = spawn(rebuild);
    size_t asked = 0;
    int done = 0;
    while (!done) {
        done = waitpid(builder, NULL, WNOHANG) == builder;
        tu_response_t r;
        tu_http(&r, "GET", url, NULL);
        ck_assert_msg(r.status == 200, "status %ld during a rebuild: %.*s", r.status, (int)r.len, r.body);
        json_error_t error;
        json_t *answer = json_loadb(r.body, r.len, 0, &error);
        ck_assert_ptr_nonnull(answer);
        ck_assert_int_ge(json_integer_value(json_object_get(answer, "total")), 5);
        json_decref(answer);
        tu_response_free(&r);
        asked++;
    }
    ck_assert_uint_ge(asked, 3);
    /* And it serves the last generation now. */
    json_error_t error;
    tu_response_t r;
    tu_http(&r, "GET", url, NULL);
    json_t *answer = json_loadb(r.body, r.len, 0, &error);
    ck_assert_int_eq(json_integer_value(json_object_get(answer, "total")), 7);
    json_decref(answer);
    tu_response_free(&r);
    int stopped = tu_searchd_stop(pid);
    char *written = tu_read_file(log);
    ck_assert_msg(stopped == 0, "searchd exited with %d; its log ends: %s", stopped,
                  written && strlen(written) > 600 ? written + strlen(written) - 600 : written);
    free(written);
    free(log);
    free(rebuild);
    free(url);
    free(base);
    free(cmd);
    free(db);
    free(src);
}
END_TEST

START_TEST(test_copies_of_one_dispatch_collapse)
{
    char *dir = tu_tempdir();
    char *setup = tu_printf("mkdir -p %s/in/a %s/in/b && cp tests/data/ubnd-angiang-1471.txt %s/in/a/ && "
                     "cp tests/data/ubnd-angiang-1471.txt %s/in/b/copy.txt && cp tests/data/bkhcn-2341.txt %s/in/",
                     dir, dir, dir, dir, dir);
    free(run(0, NULL, setup));
    char *cmd = tu_printf("bin/indexer --db %s/db %s/in", dir, dir), *db = tu_printf("%s/db", dir);
    char *out = run(0, NULL, cmd);
    expect_summary(out, "added 3, updated 0, removed 0, unchanged 0, rejected 0", db, 3); /* both copies indexed */
    free(out);
    char *query = tu_printf("bin/query --db %s --json 1471/UBND-KGVX", db);
    out = run(0, NULL, query);
    json_error_t error;
    json_t *answer = json_loads(out, 0, &error);
    ck_assert_int_eq(json_integer_value(json_object_get(answer, "total")), 1);
    json_t *hit = json_array_get(json_object_get(answer, "results"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(hit, "id")), "a/ubnd-angiang-1471");
    json_t *also = json_object_get(hit, "also_in");
    ck_assert_uint_eq(json_array_size(also), 1);
    char *path = tu_printf("%s/in/b/copy.txt", dir);
    ck_assert_str_eq(json_string_value(json_array_get(also, 0)), path);
    free(path);
    json_decref(answer);

    /* A handle counts with Xapian's spies at its first search and from
     * columns after: the copy is taken off the total either way. */
    tc_index_t *index = NULL;
    ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    for (int pass = 0; pass < 3; pass++) {
        tc_results_t *r = NULL;
        tc_query_t everything = { .limit = 10 };
        ck_assert_int_eq(tc_search(&r, index, &everything), TC_STATUS_SUCCESS);
        ck_assert_msg(r->total == 2, "pass %d: total %zu", pass, r->total);
        ck_assert_uint_eq(r->n_hits, 2);
        size_t counted = 0;
        for (size_t i = 0; i < r->issuer.count; i++)
            counted += r->issuer.values[i].count;
        ck_assert_uint_eq(counted, 3); /* facets count every copy */
        tc_results_free(r);
    }
    tc_index_close(index);
    free(out);
    free(query);
    free(db);
    free(cmd);
    free(setup);
}
END_TEST


/* Trains a dictionary on the records of docs (and on `extra`, which
 * makes it another one), and makes it ready to pack with. */
static tc_data_dict_t *train_dict(tc_buf_t *dict, tc_doc_t **docs, int n, const char *extra)
{
    tc_buf_t samples = TC_BUF_INIT;
    size_t sizes[8];
    for (int i = 0; i < n; i++) {
        size_t len = 0;
        char *plain = tc_doc_to_data(docs[i], &len);
        ck_assert_ptr_nonnull(plain);
        ck_assert_int_eq(tc_buf_append(&samples, plain, len), 0);
        sizes[i] = len;
        free(plain);
    }
    ck_assert_int_eq(tc_buf_puts(&samples, extra), 0);
    sizes[n] = strlen(extra);
    ck_assert_int_eq(tc_data_dict_train(dict, samples.data, sizes, (unsigned)n + 1, 110 * 1024), 0);
    ck_assert_uint_gt(dict->len, 0);
    ck_assert_uint_le(dict->len, 110 * 1024);
    tc_buf_free(&samples);
    tc_data_dict_t *packer = tc_data_dict_new(dict->data, dict->len);
    ck_assert_ptr_nonnull(packer);
    return packer;
}

/* doc packed with packer comes back whole. */
static void check_round_trip(const tc_doc_t *doc, const tc_data_dict_t *packer)
{
    size_t plain_len = 0, packed_len = 0, text_len = 0;
    char *plain = tc_doc_to_data(doc, &plain_len);
    char *packed = tc_doc_to_data_packed(doc, packer, &packed_len);
    ck_assert_ptr_nonnull(packed);
    ck_assert_int_eq(packed[0], 0);
    ck_assert_uint_lt(packed_len, plain_len / 2);
    tc_doc_t *back = NULL;
    const char *text = NULL;
    ck_assert_int_eq(tc_doc_from_data(&back, packed, packed_len, &text, &text_len), TC_STATUS_SUCCESS);
    ck_assert_ptr_eq(text, back->text);
    ck_assert_uint_eq(text_len, strlen(doc->text));
    ck_assert_str_eq(text, doc->text);
    char *a = tc_doc_to_json(doc, 1), *b = tc_doc_to_json(back, 1);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    tc_doc_free(back);
    free(packed);
    free(plain);
}

START_TEST(test_packed_records_round_trip)
{
    /* A record packed with a dictionary comes back whole once the
     * dictionary is known, and is refused (not misread) before, or when
     * damaged.  Two generations of an index have two dictionaries: a
     * reader knows both, and tells their records apart. */
    const char *files[] = { "tests/data/ubnd-angiang-1471.txt", "tests/data/bkhcn-2341.txt",
                            "tests/data/syt-laichau-kehoach.txt" };
    tc_doc_t *docs[3];
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(tc_doc_load(&docs[i], files[i], files[i], NULL), TC_STATUS_SUCCESS);
    tc_buf_t dict = TC_BUF_INIT, other = TC_BUF_INIT;
    tc_data_dict_t *packer = train_dict(&dict, docs, 2, "a dictionary no other test registers");
    tc_data_dict_t *other_packer = train_dict(&other, docs, 2, "the next generation's dictionary");
    ck_assert(dict.len != other.len || memcmp(dict.data, other.data, dict.len) != 0);

    size_t plain_len = 0, packed_len = 0, other_len = 0, text_len = 0;
    char *plain = tc_doc_to_data(docs[0], &plain_len);
    char *packed = tc_doc_to_data_packed(docs[0], packer, &packed_len);
    char *other_packed = tc_doc_to_data_packed(docs[2], other_packer, &other_len);
    ck_assert_ptr_nonnull(packed);
    ck_assert_ptr_nonnull(other_packed);
    tc_doc_t *back = NULL;
    const char *text = NULL;
    /* Neither dictionary known: neither record reads. */
    ck_assert_int_eq(tc_doc_from_data(&back, packed, packed_len, &text, &text_len), TC_STATUS_BAD_INPUT);
    ck_assert_ptr_null(back);
    ck_assert_int_eq(tc_doc_from_data(&back, other_packed, other_len, &text, &text_len), TC_STATUS_BAD_INPUT);
    ck_assert_ptr_null(back);
    /* Only the other one known: its record reads whole, ours is still
     * refused; the reader tells them apart by their dictionaries. */
    ck_assert_int_eq(tc_data_dict_register(other.data, other.len), 0);
    ck_assert_int_eq(tc_doc_from_data(&back, other_packed, other_len, &text, &text_len), TC_STATUS_SUCCESS);
    ck_assert_ptr_nonnull(back);
    ck_assert_str_eq(back->text, docs[2]->text);
    ck_assert_uint_eq(text_len, strlen(docs[2]->text));
    tc_doc_free(back);
    back = NULL;
    ck_assert_int_eq(tc_doc_from_data(&back, packed, packed_len, &text, &text_len), TC_STATUS_BAD_INPUT);
    ck_assert_ptr_null(back);
    ck_assert_int_eq(tc_data_dict_register(dict.data, dict.len), 0);
    ck_assert_int_eq(tc_data_dict_register(dict.data, dict.len), 0); /* again: no harm */
    for (int i = 0; i < 3; i++)
        check_round_trip(docs[i], packer);
    check_round_trip(docs[2], other_packer);
    /* What is not a dictionary of ours is refused. */
    ck_assert_int_eq(tc_data_dict_register("plain text", 10), -1);
    ck_assert_ptr_null(tc_data_dict_new("plain text", 10));

    /* The plain form still reads, its text in place. */
    ck_assert_int_eq(tc_doc_from_data(&back, plain, plain_len, &text, &text_len), TC_STATUS_SUCCESS);
    ck_assert_ptr_eq(text, plain + plain_len - text_len);
    tc_doc_free(back);

    /* A long record: megabytes of text, past zstd's blocks. */
    tc_buf_t longer = TC_BUF_INIT;
    for (int i = 0; longer.len < 3 * 1024 * 1024; i++)
        ck_assert_int_ge(tc_buf_printf(&longer, "%d. %s\n", i, docs[i % 3]->text), 0);
    free(docs[1]->text);
    docs[1]->text = tc_buf_steal(&longer);
    check_round_trip(docs[1], packer);

    /* Damaged: the length, the frame's header (its dictionary), the
     * middle, the end, or cut short; each refused, none read. */
    size_t at[] = { 1, 3, 5 + 5, packed_len / 2, packed_len - 1 };
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        char *damaged = malloc(packed_len);
        memcpy(damaged, packed, packed_len);
        damaged[at[i]] ^= 0x55;
        ck_assert_msg(tc_doc_from_data(&back, damaged, packed_len, NULL, NULL) == TC_STATUS_BAD_INPUT,
                      "a record damaged at %zu was read", at[i]);
        ck_assert_ptr_null(back);
        free(damaged);
    }
    for (size_t cut = 1; cut < packed_len; cut += packed_len / 7 + 1) {
        ck_assert_int_eq(tc_doc_from_data(&back, packed, cut, NULL, NULL), TC_STATUS_BAD_INPUT);
        ck_assert_ptr_null(back);
    }

    free(other_packed);
    free(packed);
    free(plain);
    for (int i = 0; i < 3; i++)
        tc_doc_free(docs[i]);
    tc_data_dict_free(packer);
    tc_data_dict_free(other_packer);
    tc_data_dict_free(NULL);
    tc_buf_free(&dict);
    tc_buf_free(&other);
}
END_TEST

/* The table of usual forms is made with a new index, kept by incremental
 * runs, and followed by the dispatches they add: one that has "va" only
 * as "vá" is marked as not having the usual "và". */
START_TEST(test_usual_forms_kept_and_followed)
{
    char *src = seed_folder(), *db = tu_printf("%s/usual-index", tu_tempdir()), *cmd = tu_printf("bin/indexer --db %s %s", db, src);
    free(run(0, NULL, cmd));
    tc_index_t *index = NULL;
    ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    ck_assert_ptr_nonnull(index->forms);
    char *table = strdup(index->forms->text);
    long va = tc_forms_find(index->forms, "va");
    ck_assert_int_ge(va, 0);
    tc_buf_t usual = TC_BUF_INIT;
    ck_assert_int_eq(tc_fold_exact_append(&usual, "và", strlen("và")), 0);
    ck_assert_str_eq(index->forms->usual[va], usual.data);
    tc_index_close(index);

    char *path = tu_printf("%s/va-duong.txt", src);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("ỦY BAN NHÂN DÂN XÃ AN PHÚ\n\nTHÔNG BÁO\nVề việc vá đường giao thông nông thôn\n\n"
          "Ủy ban nhân dân xã thông báo lịch vá đường trên tuyến liên ấp.\n",
          f);
    fclose(f);
    free(run(0, NULL, cmd));
    ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    ck_assert_str_eq(index->forms->text, table);
    tc_doc_t **docs = NULL;
    size_t n = 0;
    ck_assert_int_eq(tc_search_term(&docs, &n, index, TC_PREFIX_UNUSUAL "va", 10, TC_ACCESS_PUBLIC), TC_STATUS_SUCCESS);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(docs[0]->id, "va-duong");
    tc_doc_free(docs[0]);
    free(docs);

    /* A rebuild from one file has too few to choose forms from: a handle
     * that had the old table drops it when it moves to the new index. */
    char *lone = tu_printf("%s/lone", tu_tempdir()), *rebuild = tu_printf("bin/indexer --db %s --rebuild %s", db, lone);
    char *copy = tu_printf("mkdir -p %s && cp %s %s/", lone, path, lone);
    free(run(0, NULL, copy));
    free(run(0, NULL, rebuild));
    ck_assert_int_eq(tc_index_refresh(index), TC_STATUS_SUCCESS);
    ck_assert_ptr_null(index->forms);
    tc_index_close(index);
    free(copy);
    free(rebuild);
    free(lone);
    tc_buf_free(&usual);
    free(path);
    free(table);
    free(cmd);
    free(db);
    free(src);
}
END_TEST

START_TEST(test_rebuild_in_parts)
{
    /* A rebuild written by several writers reads like one written by one:
     * every document once, each shard holding the dictionary its records
     * were packed with. */
    char *dir = tu_tempdir();
    char *db = tu_printf("%s/db", dir);
    char *cmd = tu_printf("bin/indexer --db %s --rebuild --shards 2 --writers 3 corpus tests/data", db);
    char *out = run(0, NULL, cmd);
    size_t added = 0;
    ck_assert_int_eq(sscanf(out, "added %zu", &added), 1);
    ck_assert_uint_ge(added, 8);
    free(out);
    tc_index_t *index = NULL;
    ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    size_t count = 0;
    ck_assert_int_eq(tc_index_doc_count(&count, index), TC_STATUS_SUCCESS);
    ck_assert_uint_eq(count, added);
    ck_assert_ptr_nonnull(index->dict);
    /* Every stored text comes back as the file has it. */
    const char *ids[] = { "ubnd-angiang-1471", "bkhcn-2341", "syt-laichau-kehoach" };
    for (int i = 0; i < 3; i++) {
        char *path = tu_printf("tests/data/%s.txt", ids[i]);
        tc_doc_t *doc = NULL;
        tc_doc_page_t *page = NULL;
        ck_assert_int_eq(tc_doc_load(&doc, path, ids[i], NULL), TC_STATUS_SUCCESS);
        ck_assert_int_eq(tc_doc_page_get(&page, index, ids[i], TC_ACCESS_PUBLIC), TC_STATUS_SUCCESS);
        ck_assert_str_eq(page->doc->text, doc->text);
        ck_assert_str_eq(page->doc->subject, doc->subject);
        tc_doc_page_free(page);
        tc_doc_free(doc);
        free(path);
    }
    size_t first_len = index->dict_len;
    char *first_dict = malloc(first_len);
    memcpy(first_dict, index->dict, first_len);
    tc_index_close(index);
    /* A rebuild keeps the dictionary: shards of different runs mix. */
    free(run(0, NULL, cmd));
    ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    ck_assert_uint_eq(index->dict_len, first_len);
    ck_assert_mem_eq(index->dict, first_dict, first_len);
    free(first_dict);
    tc_index_close(index);
    /* Killed while writing in parts: the live index stays as it was. */
    char *killed = tu_printf("exec env TRACUU_TEST_KILL_AFTER=3 bin/indexer-killable --db %s --rebuild --writers 2 corpus tests/data "
                      ">/dev/null 2>&1", db);
    int status = system(killed);
    ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    free(killed);
    ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    ck_assert_int_eq(tc_index_doc_count(&count, index), TC_STATUS_SUCCESS);
    ck_assert_uint_eq(count, added);
    tc_index_close(index);
    for (int shard = 0; shard < 2; shard++) {
        char *path = tu_printf("%s/gen-1/shard-%d", db, shard);
        ck_assert_int_eq(tc_index_open_plain(&index, path, TC_INDEX_READ, 1), TC_STATUS_SUCCESS);
        ck_assert_ptr_nonnull(index->dict);
        tc_index_close(index);
        free(path);
    }
    free(cmd);
    free(db);
}
END_TEST

/* A file whose name is not UTF-8 had the id null, and could not be
 * fetched: its id now escapes those bytes (and '%'), and gives the name
 * back. */
START_TEST(test_names_not_utf8_have_ids)
{
    char *dir = tu_tempdir(), *db = tu_printf("%s/db", dir);
    char *setup = tu_printf("mkdir -p %s/in/\"$(printf 'th\\364ng')\" && "
                     "cp corpus/000_8085305a3db06b59.txt %s/in/\"$(printf 'b\\341o-c\\341o')\".txt && "
                     "cp corpus/001_17e1e73a82d28e15.txt %s/in/100%%.txt && "
                     "cp corpus/002_265e7d34e41c1dcc.txt %s/in/\"$(printf 'th\\364ng')\"/x.txt",
                     dir, dir, dir, dir);
    free(run(0, NULL, setup));
    char *cmd = tu_printf("bin/indexer --db %s %s/in", db, dir), *out = run(0, NULL, cmd);
    expect_summary(out, "added 3, updated 0, removed 0, unchanged 0, rejected 0", db, 3);
    free(out);
    char *query = tu_printf("bin/query --db %s --json --sort date ''", db);
    out = run(0, NULL, query);
    json_error_t error;
    json_t *answer = json_loads(out, 0, &error);
    ck_assert_ptr_nonnull(answer);
    const char *ids[] = { "100%25", "b%E1o-c%E1o", "th%F4ng/x" };
    const char *names[] = { "100%", "b\xE1o-c\xE1o", "th\xF4ng/x" };
    for (int i = 0; i < 3; i++) {
        int found = 0;
        size_t k;
        json_t *hit;
        json_array_foreach(json_object_get(answer, "results"), k, hit)
        {
            const char *id = json_string_value(json_object_get(hit, "id"));
            if (!id || strcmp(id, ids[i]) != 0)
                continue;
            found = 1;
            /* A path that is UTF-8 is shown as it is, another escaped. */
            char *path = tu_printf("%s/in/%s.txt", dir, i == 0 ? names[i] : ids[i]);
            ck_assert_str_eq(json_string_value(json_object_get(hit, "path")), path);
            free(path);
        }
        ck_assert_msg(found, "no dispatch has the id %s:\n%s", ids[i], out);
        char *name = tc_name_from_id(ids[i]);
        ck_assert_str_eq(name, names[i]);
        free(name);
    }
    json_decref(answer);
    free(out);

    /* Fetched by that id: the URL escapes its '%'. */
    int pid = 0;
    char *log = tu_printf("%s/searchd.log", dir), *base = tu_searchd_start(db, log, &pid);
    const char *paths[] = { "100%2525", "b%25E1o-c%25E1o", "th%25F4ng/x" };
    for (int i = 0; i < 3; i++) {
        char *url = tu_printf("%s/api/doc/%s", base, paths[i]);
        tu_response_t r;
        tu_http(&r, "GET", url, NULL);
        ck_assert_msg(r.status == 200, "%s: %ld %.*s", url, r.status, (int)r.len, r.body);
        json_t *page = json_loadb(r.body, r.len, 0, &error);
        ck_assert_str_eq(json_string_value(json_object_get(page, "id")), ids[i]);
        json_decref(page);
        tu_response_free(&r);
        free(url);
    }
    ck_assert_int_eq(tu_searchd_stop(pid), 0);

    /* The name comes back from the id: a changed file is read again. */
    char *edit = tu_printf("printf '\\nPhụ lục: lịch trực.\\n' >> %s/in/\"$(printf 'b\\341o-c\\341o')\".txt", dir);
    free(run(0, NULL, edit));
    out = run(0, NULL, cmd);
    expect_summary(out, "added 0, updated 1, removed 0, unchanged 2, rejected 0", db, 3);
    free(out);
    free(edit);
    free(base);
    free(log);
    free(query);
    free(cmd);
    free(setup);
    free(db);
}
END_TEST

/* Runs cmd (through sh, which it should exec) with its output thrown
 * away; returns its exit code and its peak resident memory in kB. */
static int run_measured(const char *cmd, long *max_rss_kb)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            _exit(127);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    struct rusage usage;
    ck_assert_int_eq(wait4(pid, &status, 0, &usage), pid);
    *max_rss_kb = usage.ru_maxrss;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* A 20 MB dispatch took 437 MB of the indexer's memory, two of them 687 MB
 * (their text tokenized whole, parsed with offset maps of 8 bytes a byte,
 * normalised through UTF-16 whole); now 98 and 178 MB.  The bound leaves
 * room for the machine and the allocator, far under what it was. */
#define HUGE_DISPATCH_BYTES 20000000
#define HUGE_DISPATCH_MAX_RSS_KB (200 * 1024)

START_TEST(test_huge_dispatch_in_bounded_memory)
{
    char *dir = tu_tempdir();
    char *setup = tu_printf("bench/gen-corpus --out %s/gen --n 5000 --seed 3 --quiet && mkdir %s/in && "
                     "find %s/gen -name '*.txt' | sort | xargs cat | head -c %d > %s/in/huge.txt && "
                     "printf '\nPhụ lục cuối: giống khoai môn tía vùng cao.\n' >> %s/in/huge.txt && "
                     "cp corpus/000_8085305a3db06b59.txt %s/in/",
                     dir, dir, dir, HUGE_DISPATCH_BYTES, dir, dir, dir);
    free(run(0, NULL, setup));
    char *huge = tu_printf("%s/in/huge.txt", dir), *db = tu_printf("%s/db", dir);
    struct stat st;
    ck_assert_int_eq(stat(huge, &st), 0);
    ck_assert_int_gt(st.st_size, HUGE_DISPATCH_BYTES);
    char *cmd = tu_printf("exec bin/indexer --db %s %s/in", db, dir);
    long max_rss_kb = 0;
    ck_assert_int_eq(run_measured(cmd, &max_rss_kb), 0);
#ifndef __SANITIZE_ADDRESS__ /* the sanitizers' own memory is not the indexer's */
    ck_assert_msg(max_rss_kb < HUGE_DISPATCH_MAX_RSS_KB, "indexing a 20 MB dispatch took %ld kB", max_rss_kb);
#endif
    /* Its record is read from its beginning, and every word is found,
     * the last line's too. */
    ck_assert_uint_eq(query_total(db, "'\"giống khoai môn tía vùng cao\"'"), 1);
    char *query = tu_printf("bin/query --db %s --json '\"giống khoai môn tía vùng cao\"'", db), *out = run(0, NULL, query);
    json_error_t error;
    json_t *answer = json_loads(out, 0, &error);
    json_t *hit = json_array_get(json_object_get(answer, "results"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(hit, "id")), "huge");
    ck_assert_ptr_nonnull(json_string_value(json_object_get(hit, "issuer")));
    json_decref(answer);
    free(out);
    free(query);
    free(cmd);
    free(db);
    free(huge);
    free(setup);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("update");
    TCase *tc = tcase_create("update");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_incremental_updates);
    tcase_add_test(tc, test_bad_copy_keeps_yesterdays_version);
    tcase_add_test(tc, test_hostile_tree);
    tcase_add_test(tc, test_links_out_of_the_archive_are_skipped);
    tcase_add_test(tc, test_unmounted_archive_changes_nothing);
    tcase_add_test(tc, test_unreadable_folders_keep_their_dispatches);
    tcase_add_test(tc, test_mass_removals_are_refused);
    tcase_add_test(tc, test_failed_rebuild_leaves_nothing);
    tcase_add_test(tc, test_killed_runs_lose_nothing);
    tcase_add_test(tc, test_two_indexers_at_once);
    tcase_add_test(tc, test_searchd_answers_through_rebuilds);
    tcase_add_test(tc, test_copies_of_one_dispatch_collapse);
    tcase_add_test(tc, test_packed_records_round_trip);
    tcase_add_test(tc, test_rebuild_in_parts);
    tcase_add_test(tc, test_usual_forms_kept_and_followed);
    tcase_add_test(tc, test_huge_dispatch_in_bounded_memory);
    tcase_add_test(tc, test_names_not_utf8_have_ids);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
