/* base64.h: Go's encoding/base64 StdEncoding: the encoder, and the decoder with Go's acceptance rules and error offsets. */
#ifndef TMPL_BASE64_H
#define TMPL_BASE64_H

#include <stdbool.h>
#include <stddef.h>

#include "sbuf.h"

/* Appends the padded standard encoding of p[0..n). */
void b64_encode(sbuf *out, const void *p, size_t n);
/* Go's base64.StdEncoding.DecodedLen(n): room dst needs for b64_decode. */
size_t b64_decoded_len(size_t n);
/* Go's base64.StdEncoding.Decode: '\r' and '\n' are skipped anywhere; padding
 * is required and ends the data. Writes up to b64_decoded_len(n) bytes into
 * dst and sets *dlen to the bytes decoded. Returns true, or false with *bad
 * set to Go's CorruptInputError offset ("illegal base64 data at input byte N"). */
bool b64_decode(const char *s, size_t n, unsigned char *dst, size_t *dlen, size_t *bad);

#endif
