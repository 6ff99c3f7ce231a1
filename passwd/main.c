/* passwd: adds, changes or removes a user of searchd's password file.
 *
 *   passwd [--file FILE] [--level LEVEL] [--method yescrypt|bcrypt] USER
 *   passwd [--file FILE] --delete USER
 *
 * The password is read from the terminal, twice and not shown, or else as
 * one line of standard input.  --file may come from the configuration file
 * instead (users =); the flag wins.
 *
 * Exit status: 0 done, 2 error. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tracuu.h"

static void usage(FILE *out)
{
    fputs("usage: passwd [--file FILE] [--level LEVEL] [--method yescrypt|bcrypt] USER\n"
          "       passwd [--file FILE] --delete USER\n"
          "Adds USER to searchd's password file, or sets their password and level;\n"
          "--delete removes them.  The password is read from the terminal (twice, not\n"
          "shown), else as one line of standard input.\n"
          "  --file     the password file (default: users = of the configuration file)\n"
          "  --level    what USER may see: public, staff, mat, toi-mat, tuyet-mat\n"
          "             (default: their level so far; public for a new user)\n"
          "  --method   how the password is hashed: yescrypt (the default) or bcrypt\n"
          "  --delete   remove USER\n"
          "  --version  print the version and exit\n"
          "Without --file, the users file of the configuration file is used (TRACUU_CONFIG,\n"
          "else " TC_CONFIG_PATH ").\n",
          out);
}

/* Reads one line into buf (without its end), echo off when from a
 * terminal; 0, or -1 at the end of the input. */
static int read_secret(char *buf, size_t size, const char *prompt, int terminal)
{
    struct termios saved, quiet;
    if (terminal) {
        fputs(prompt, stderr);
        fflush(stderr);
        tcgetattr(STDIN_FILENO, &saved);
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char *got = fgets(buf, (int)size, stdin);
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        fputc('\n', stderr);
    }
    if (!got)
        return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

/* Room for the longest password the library hashes, and more: a longer
 * one is refused by it, not cut here. */
#define PASSWORD_BUFFER 1024

int main(int argc, char **argv)
{
    static const struct option options[] = {
        { "file", required_argument, NULL, 'f' },   { "level", required_argument, NULL, 'l' },
        { "method", required_argument, NULL, 'm' }, { "delete", no_argument, NULL, 'D' },
        { "help", no_argument, NULL, 'h' },         { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    const char *file = NULL, *level_name = NULL, *method = NULL;
    int remove = 0, opt;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (opt) {
        case 'f': file = optarg; break;
        case 'l': level_name = optarg; break;
        case 'm': method = optarg; break;
        case 'D': remove = 1; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("tracuu-passwd (tracuu) %s\n", TC_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind + 1 != argc || (remove && (level_name || method))) {
        fputs(optind + 1 != argc ? "passwd: one USER is required\n" : "passwd: --delete takes no --level or --method\n",
              stderr);
        usage(stderr);
        return 2;
    }
    const char *user = argv[optind];
    if (!tc_user_name_ok(user)) {
        fprintf(stderr, "passwd: \"%s\" is not a user name (1 to 64 bytes of UTF-8, no space or ':')\n", user);
        return 2;
    }
    tc_access_t level = TC_ACCESS_PUBLIC;
    if (level_name && tc_access_from_name(&level, level_name) < 0) {
        fprintf(stderr, "passwd: --level: \"%s\" is not a level (%s)\n", level_name, TC_ACCESS_NAMES);
        return 2;
    }
    if (method && strcmp(method, "yescrypt") != 0 && strcmp(method, "bcrypt") != 0) {
        fprintf(stderr, "passwd: --method: \"%s\" is not yescrypt or bcrypt\n", method);
        return 2;
    }
    tc_config_t config = { 0 };
    char *message = NULL;
    if (tc_config_read(&config, &message) != TC_STATUS_SUCCESS) {
        fprintf(stderr, "passwd: %s\n", message ? message : "cannot read the configuration");
        free(message);
        return 2;
    }
    if (!file)
        file = config.users;
    int rc = 2;
    char *hash = NULL;
    char first[PASSWORD_BUFFER], second[PASSWORD_BUFFER];
    if (!file) {
        fputs("passwd: no password file: give --file, or set users = in the configuration file\n", stderr);
        goto done;
    }
    /* Without --level, an existing user keeps theirs. */
    tc_users_t *users = NULL;
    if (!level_name && !remove && access(file, F_OK) == 0) {
        if (tc_users_read(&users, file, &message) != TC_STATUS_SUCCESS) {
            fprintf(stderr, "passwd: %s\n", message ? message : "cannot read the password file");
            tc_users_free(users);
            goto done;
        }
        tc_users_level(users, user, &level);
        tc_users_free(users);
    }
    if (!remove) {
        int terminal = isatty(STDIN_FILENO);
        if (read_secret(first, sizeof first, "Password: ", terminal) < 0 || !*first) {
            fputs("passwd: no password given\n", stderr);
            goto done;
        }
        if (terminal && (read_secret(second, sizeof second, "Again: ", terminal) < 0 || strcmp(first, second) != 0)) {
            fputs("passwd: the two passwords differ; nothing changed\n", stderr);
            goto done;
        }
        if (tc_users_hash(&hash, first, method, &message) != TC_STATUS_SUCCESS) {
            fprintf(stderr, "passwd: %s\n", message ? message : "cannot hash the password");
            goto done;
        }
    }
    int existed = 0;
    if (tc_users_update_file(file, user, hash, level, &existed, &message) != TC_STATUS_SUCCESS) {
        fprintf(stderr, "passwd: %s\n", message ? message : "cannot write the password file");
        goto done;
    }
    if (remove && !existed) {
        fprintf(stderr, "passwd: %s: no user %s\n", file, user);
        goto done;
    }
    printf("%s %s%s%s%s\n", remove ? "removed" : existed ? "changed" : "added", user, remove ? "" : " (",
           remove ? "" : tc_access_name(level), remove ? "" : ")");
    rc = 0;
done:
    explicit_bzero(first, sizeof first);
    explicit_bzero(second, sizeof second);
    free(hash);
    free(message);
    tc_config_free(&config);
    return rc;
}
