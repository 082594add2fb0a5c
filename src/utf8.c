/* utf8.c: Go's unicode/utf8 decoding rules and unicode.Is* properties (via utf8proc). */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

#define U8_MAX_RUNE 0x10FFFF

int32_t u8_decode(const char *str, size_t len, size_t *size)
{
	const unsigned char *s = (const unsigned char *)str;
	if (len == 0) {
		*size = 0;
		return U8_RUNE_ERROR;
	}
	unsigned c0 = s[0];
	if (c0 < 0x80) {
		*size = 1;
		return (int32_t)c0;
	}
	/* Lead byte: sequence length and the range allowed for the second
	 * byte (this is what rules out overlongs, surrogates and > U+10FFFF). */
	size_t n;
	unsigned lo = 0x80, hi = 0xBF;
	int32_t r;
	if (c0 >= 0xC2 && c0 <= 0xDF) {
		n = 2;
		r = (int32_t)(c0 & 0x1F);
	} else if (c0 >= 0xE0 && c0 <= 0xEF) {
		n = 3;
		r = (int32_t)(c0 & 0x0F);
		if (c0 == 0xE0)
			lo = 0xA0;
		else if (c0 == 0xED)
			hi = 0x9F;
	} else if (c0 >= 0xF0 && c0 <= 0xF4) {
		n = 4;
		r = (int32_t)(c0 & 0x07);
		if (c0 == 0xF0)
			lo = 0x90;
		else if (c0 == 0xF4)
			hi = 0x8F;
	} else {
		*size = 1;
		return U8_RUNE_ERROR;
	}
	if (len < 2 || s[1] < lo || s[1] > hi) {
		*size = 1;
		return U8_RUNE_ERROR;
	}
	r = (r << 6) | (s[1] & 0x3F);
	for (size_t i = 2; i < n; i++) {
		if (i >= len || s[i] < 0x80 || s[i] > 0xBF) {
			*size = 1;
			return U8_RUNE_ERROR;
		}
		r = (r << 6) | (s[i] & 0x3F);
	}
	*size = n;
	return r;
}

size_t u8_encode(char *buf, int32_t r)
{
	unsigned char *b = (unsigned char *)buf;
	if (r >= 0 && r < 0x80) {
		b[0] = (unsigned char)r;
		return 1;
	}
	if (r >= 0x80 && r < 0x800) {
		b[0] = (unsigned char)(0xC0 | (r >> 6));
		b[1] = (unsigned char)(0x80 | (r & 0x3F));
		return 2;
	}
	if (r < 0 || r > U8_MAX_RUNE || (r >= 0xD800 && r <= 0xDFFF))
		r = U8_RUNE_ERROR;
	if (r < 0x10000) {
		b[0] = (unsigned char)(0xE0 | (r >> 12));
		b[1] = (unsigned char)(0x80 | ((r >> 6) & 0x3F));
		b[2] = (unsigned char)(0x80 | (r & 0x3F));
		return 3;
	}
	b[0] = (unsigned char)(0xF0 | (r >> 18));
	b[1] = (unsigned char)(0x80 | ((r >> 12) & 0x3F));
	b[2] = (unsigned char)(0x80 | ((r >> 6) & 0x3F));
	b[3] = (unsigned char)(0x80 | (r & 0x3F));
	return 4;
}

size_t u8_count(const char *s, size_t len)
{
	size_t n = 0, i = 0;
	/* ASCII eight bytes at a time: each is one rune. */
	for (uint64_t w; i + 8 <= len; i += 8, n += 8) {
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080u)
			break;
	}
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
		} else {
			size_t sz;
			u8_decode(s + i, len - i, &sz);
			i += sz;
		}
		n++;
	}
	return n;
}

static utf8proc_category_t u8_category(int32_t r)
{
	if (r < 0 || r > U8_MAX_RUNE)
		return UTF8PROC_CATEGORY_CN;
	return utf8proc_category(r);
}

bool u8_isprint(int32_t r)
{
	/* Go: categories L, M, N, P, S, plus U+0020 (no other space). */
	if (r < 0x80)
		return r >= 0x20 && r < 0x7F;
	switch (u8_category(r)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
	case UTF8PROC_CATEGORY_PC:
	case UTF8PROC_CATEGORY_PD:
	case UTF8PROC_CATEGORY_PS:
	case UTF8PROC_CATEGORY_PE:
	case UTF8PROC_CATEGORY_PI:
	case UTF8PROC_CATEGORY_PF:
	case UTF8PROC_CATEGORY_PO:
	case UTF8PROC_CATEGORY_SM:
	case UTF8PROC_CATEGORY_SC:
	case UTF8PROC_CATEGORY_SK:
	case UTF8PROC_CATEGORY_SO:
		return true;
	default:
		return false;
	}
}

bool u8_isletter(int32_t r)
{
	if (r < 0x80)
		return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
	switch (u8_category(r)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
		return true;
	default:
		return false;
	}
}

bool u8_isdigit(int32_t r)
{
	if (r < 0x80)
		return r >= '0' && r <= '9';
	return u8_category(r) == UTF8PROC_CATEGORY_ND;
}

bool u8_isspace(int32_t r)
{
	/* The White_Space property, which utf8proc does not expose; the list
	 * has not changed since Unicode 6.3. */
	switch (r) {
	case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
	case 0x85: case 0xA0: case 0x1680:
	case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
		return true;
	default:
		return r >= 0x2000 && r <= 0x200A;
	}
}

bool u8_ispunct(int32_t r)
{
	switch (u8_category(r)) {
	case UTF8PROC_CATEGORY_PC:
	case UTF8PROC_CATEGORY_PD:
	case UTF8PROC_CATEGORY_PS:
	case UTF8PROC_CATEGORY_PE:
	case UTF8PROC_CATEGORY_PI:
	case UTF8PROC_CATEGORY_PF:
	case UTF8PROC_CATEGORY_PO:
		return true;
	default:
		return false;
	}
}

bool u8_isnumber(int32_t r)
{
	utf8proc_category_t c = u8_category(r);
	return c == UTF8PROC_CATEGORY_ND || c == UTF8PROC_CATEGORY_NL || c == UTF8PROC_CATEGORY_NO;
}

bool u8_isupper(int32_t r)
{
	if (r < 0x80)
		return r >= 'A' && r <= 'Z';
	return u8_category(r) == UTF8PROC_CATEGORY_LU;
}

bool u8_islower(int32_t r)
{
	if (r < 0x80)
		return r >= 'a' && r <= 'z';
	return u8_category(r) == UTF8PROC_CATEGORY_LL;
}

bool u8_istitle(int32_t r)
{
	return r >= 0x80 && u8_category(r) == UTF8PROC_CATEGORY_LT;
}

int32_t u8_toupper(int32_t r)
{
	if (r < 0x80)
		return r >= 'a' && r <= 'z' ? r - 32 : r;
	if (r == 0xDF) /* utf8proc maps ß to ẞ; UnicodeData (Go) has no simple mapping */
		return r;
	return r > 0x10FFFF ? r : utf8proc_toupper(r);
}

int32_t u8_tolower(int32_t r)
{
	if (r < 0x80)
		return r >= 'A' && r <= 'Z' ? r + 32 : r;
	return r > 0x10FFFF ? r : utf8proc_tolower(r);
}

int32_t u8_totitle(int32_t r)
{
	if (r < 0x80)
		return r >= 'a' && r <= 'z' ? r - 32 : r;
	if (r == 0xDF)
		return r;
	return r > 0x10FFFF ? r : utf8proc_totitle(r);
}
