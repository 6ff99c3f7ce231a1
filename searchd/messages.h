/* The API's errors in Vietnamese, for people: programs read the English
 * `error`, the page shows `message`. */
#ifndef SEARCHD_MESSAGES_H
#define SEARCHD_MESSAGES_H

/* The Vietnamese for an English error message answered with http_status
 * (malloc'd; NULL when out of memory).  A message with no translation
 * yet gets a general sentence for its status, naming the parameter when
 * the message starts with one. */
char *searchd_message_vi(const char *error, unsigned http_status);

#endif
