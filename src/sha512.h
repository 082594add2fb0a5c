/* sha512.h: SHA-512 (FIPS 180-4), one-shot, with a lowercase hex form (sprig's sha512sum). */
#ifndef TMPL_SHA512_H
#define TMPL_SHA512_H

#include <stddef.h>

/* The digest of data[0..len) as 128 lowercase hex digits plus a NUL. */
void sha512_hex(const void *data, size_t len, char out[129]);

#endif
