/* The API's errors in Vietnamese, for people: programs read the English
 * `error`, the page shows `message`. */
#ifndef SEARCHD_MESSAGES_H
#define SEARCHD_MESSAGES_H

/* The English messages the handler answers with, which the table of
 * messages.c gives the Vietnamese for: one text for both. */
#define BASIC_NEEDS_LOOPBACK_MESSAGE                                                                                 \
    "sign-in with a password is accepted only from this machine: searchd has no TLS, and a password sent over "    \
    "the network would travel in the clear (sign in through the office's HTTPS proxy instead)"
/* Told to clients for failures on this side; the details, which name
 * folders and files, go to the log only. */
#define NO_INDEX_MESSAGE "no index to search yet (build one with the indexer)"
#define INTERNAL_ERROR_MESSAGE "internal error (the details are in the server's log)"
#define WRONG_PASSWORD_MESSAGE "wrong user name or password"
#define SIGN_IN_MESSAGE "sign in to see what your level allows"

/* The Vietnamese for an English error message answered with http_status
 * (malloc'd; NULL when out of memory).  A message with no translation
 * yet gets a general sentence for its status, naming the parameter when
 * the message starts with one. */
char *searchd_message_vi(const char *error, unsigned http_status);

#endif
