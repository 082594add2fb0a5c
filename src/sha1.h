/* sha1.h: SHA-1 (FIPS 180-4), one-shot, with a lowercase hex form (sprig's sha1sum; not for security). */
#ifndef TMPL_SHA1_H
#define TMPL_SHA1_H

#include <stddef.h>

/* The digest of data[0..len) as 40 lowercase hex digits plus a NUL. */
void sha1_hex(const void *data, size_t len, char out[41]);

#endif
