/* file.h: a whole file ("-" = standard input) read into one malloc'd, NUL-terminated buffer. */
#ifndef TMPL_FILE_H
#define TMPL_FILE_H

#include <stddef.h>

#include "error.h"
#include "sbuf.h"
#include "tmpl_value.h"

/* How an error is worded: C's ("PATH: No such file or directory") for our own
 * tools, or Go's os package's ("open PATH: no such file or directory", "read
 * PATH: is a directory") where a program answers as istioctl does. */
typedef enum file_words { FILE_WORDS_C, FILE_WORDS_GO } file_words;

/* The bytes of path and their count; NULL and err (naming path) on failure.
 * The caller frees the buffer. */
char *file_read(const char *path, size_t *len, file_words words, tmpl_error *err);

#endif
