/* utf8.h: UTF-8 decoding and Unicode properties as Go sees them (utf8.c, the only user of utf8proc; utf8_lower.c). */
#ifndef TMPL_UTF8_H
#define TMPL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define U8_RUNE_ERROR 0xFFFD

/* Go's utf8.DecodeRune: the rune at s and its byte size; invalid or
 * truncated input gives (U+FFFD, 1); empty input gives (U+FFFD, 0). */
int32_t u8_decode(const char *s, size_t len, size_t *size);
/* Go's utf8.EncodeRune into buf (4 bytes room); invalid runes encode U+FFFD. */
size_t u8_encode(char *buf, int32_t r);
/* Number of runes in s as Go counts them (utf8.RuneCount). */
size_t u8_count(const char *s, size_t len);
/* Go's unicode.IsPrint / strconv.IsPrint. */
bool u8_isprint(int32_t r);
/* Go's unicode.IsLetter, unicode.IsDigit, unicode.IsSpace (identifier rules). */
bool u8_isletter(int32_t r);
bool u8_isdigit(int32_t r);
bool u8_isspace(int32_t r);
/* Go's unicode.IsPunct (category P) and unicode.IsNumber (category N). */
bool u8_ispunct(int32_t r);
bool u8_isnumber(int32_t r);
/* Go's unicode.IsUpper, IsLower, IsTitle (categories Lu, Ll, Lt). */
bool u8_isupper(int32_t r);
bool u8_islower(int32_t r);
bool u8_istitle(int32_t r);
/* Go's unicode.ToUpper, ToLower, ToTitle: the simple one-rune mappings. */
int32_t u8_toupper(int32_t r);
int32_t u8_tolower(int32_t r);
int32_t u8_totitle(int32_t r);
/* Go 1.19's unicode.ToLower exactly (its Unicode 13.0 tables, utf8_lower.c),
 * whatever Unicode version utf8proc has: what Istio's toLower gives. */
int32_t u8_tolower_go119(int32_t r);

#endif
