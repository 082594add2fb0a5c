/* yaml_emit_fix.c: the two places where libyaml 0.2's emitter writes a scalar differently from yaml.v2's older copy of it, mended with marker scalars.
 *
 *   - A double-quoted scalar whose value starts with a byte order mark:
 *     yaml.v2's is_bom looks at the first bytes of the value wherever it
 *     is asked, so every character of such a value is escaped ("\x61").
 *   - A single-quoted scalar ending with a line break (U+2028, U+2029):
 *     libyaml indents before the closing quote, yaml.v2 does not.
 *
 * The writer hands libyaml a marker instead (a private-use character no
 * string of the document holds, so libyaml picks the same style and the
 * marker is found again), then ye_fix_output puts yaml.v2's text in.
 */
#include "yaml_emit_impl.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define YE_PUA_FIRST 0xE000
#define YE_PUA_COUNT 6400 /* U+E000..U+F8FF */

static bool is_bom_at(const char *s, size_t len)
{
	return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
}

/* The character ending at s[len] is U+2028 or U+2029. */
static bool ends_with_ls_ps(const char *s, size_t len)
{
	return len >= 3 && (unsigned char)s[len - 3] == 0xE2 && (unsigned char)s[len - 2] == 0x80 &&
	       ((unsigned char)s[len - 1] == 0xA8 || (unsigned char)s[len - 1] == 0xA9);
}

int ye_fix_kind(const char *s, size_t len, bool plain_requested)
{
	if (is_bom_at(s, len) && len > 3)
		return YE_FIX_BOM;
	if (plain_requested && ends_with_ls_ps(s, len))
		return YE_FIX_BREAK;
	return YE_FIX_NONE;
}

void ye_fix_mark_used(ye_fix *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t sz;
		int32_t r = u8_decode(s + i, len - i, &sz);
		if (r >= YE_PUA_FIRST && r < YE_PUA_FIRST + YE_PUA_COUNT)
			f->used[(r - YE_PUA_FIRST) / 8] |= (unsigned char)(1u << ((r - YE_PUA_FIRST) % 8));
		i += sz;
	}
}

bool ye_fix_choose(ye_fix *f)
{
	int found = 0;
	for (int32_t k = 0; k < YE_PUA_COUNT && found < 2; k++) {
		if (f->used[k / 8] & (1u << (k % 8)))
			continue;
		char *dst = found == 0 ? f->bom_mark : f->break_mark;
		f->mark_len = u8_encode(dst, YE_PUA_FIRST + k);
		found++;
	}
	return found == 2;
}

/* yaml.v2's double-quoted text of a value starting with a BOM: every
 * character escaped. */
static void escape_all(sbuf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	sbuf_putc(out, '"');
	for (size_t i = 0; i < len;) {
		size_t sz;
		int32_t v = u8_decode(s + i, len - i, &sz);
		i += sz;
		const char *e = NULL;
		switch (v) {
		case 0x00: e = "\\0"; break;
		case 0x07: e = "\\a"; break;
		case 0x08: e = "\\b"; break;
		case 0x09: e = "\\t"; break;
		case 0x0A: e = "\\n"; break;
		case 0x0B: e = "\\v"; break;
		case 0x0C: e = "\\f"; break;
		case 0x0D: e = "\\r"; break;
		case 0x1B: e = "\\e"; break;
		case 0x22: e = "\\\""; break;
		case 0x5C: e = "\\\\"; break;
		case 0x85: e = "\\N"; break;
		case 0xA0: e = "\\_"; break;
		case 0x2028: e = "\\L"; break;
		case 0x2029: e = "\\P"; break;
		}
		if (e) {
			sbuf_puts(out, e);
			continue;
		}
		int w = v <= 0xFF ? 2 : v <= 0xFFFF ? 4 : 8;
		sbuf_putc(out, '\\');
		sbuf_putc(out, w == 2 ? 'x' : w == 4 ? 'u' : 'U');
		for (int k = (w - 1) * 4; k >= 0; k -= 4)
			sbuf_putc(out, hex[(v >> k) & 0xF]);
	}
	sbuf_putc(out, '"');
}

void ye_fix_bom_marker(ye_fix *f, sbuf *m, const char *s, size_t len)
{
	/* "\x01", the mark, a line break when the value has one, then padding
	 * ("\x01" is 4 columns in 1 byte, "x" 1 in 1) to the width of yaml.v2's
	 * text and near the value's length in bytes, so that libyaml takes it
	 * as a simple key exactly when it would take the value as one (no
	 * break, at most 128 bytes) and a value after it folds alike. */
	sbuf want = SBUF_INIT;
	escape_all(&want, s, len);
	bool multiline = false;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' || s[i] == '\r' || ends_with_ls_ps(s, i + 1))
			multiline = true;
	long head = 4 + (multiline ? 1 : 0); /* bytes of "\x01", mark, break */
	long cols = (long)want.len - 2 - 4 - 1 - (multiline ? 2 : 0);
	sbuf_free(&want);
	if (cols < 0)
		cols = 0;
	long n4 = (head + cols - (long)len) / 3;
	if (n4 < 0)
		n4 = 0;
	if (n4 > cols / 4)
		n4 = cols / 4;
	m->len = 0;
	sbuf_putc(m, '\x01');
	sbuf_put(m, f->bom_mark, f->mark_len);
	if (multiline)
		sbuf_putc(m, '\n');
	sbuf_pad(m, '\x01', (size_t)n4);
	sbuf_pad(m, 'x', (size_t)(cols - 4 * n4));
}

void ye_fix_break_marker(ye_fix *f, sbuf *m, const char *s, size_t len)
{
	m->len = 0;
	sbuf_put(m, s, len);
	sbuf_put(m, f->break_mark, f->mark_len);
}

/* Offset of the next mark at or after from, or doc->len. */
static size_t next_mark(const sbuf *doc, size_t from, const char *mark, size_t mlen, size_t count)
{
	if (!count || from >= doc->len)
		return doc->len;
	const char *p = memmem(doc->buf + from, doc->len - from, mark, mlen);
	return p ? (size_t)(p - doc->buf) : doc->len;
}

void ye_fix_output(ye_fix *f, sbuf *doc)
{
	sbuf out = SBUF_INIT;
	size_t i = 0, nbom = 0;
	size_t b = next_mark(doc, 0, f->bom_mark, f->mark_len, f->nbom);
	size_t k = next_mark(doc, 0, f->break_mark, f->mark_len, f->nbreak);
	while (i < doc->len) {
		if (b < i)
			b = next_mark(doc, i, f->bom_mark, f->mark_len, f->nbom);
		if (k < i)
			k = next_mark(doc, i, f->break_mark, f->mark_len, f->nbreak);
		size_t at = b < k ? b : k;
		if (at >= doc->len) {
			sbuf_put(&out, doc->buf + i, doc->len - i);
			break;
		}
		if (at == b) {
			/* "\x01<mark>...": the quote before "\x01", the next quote ends it */
			const char *close = memchr(doc->buf + at, '"', doc->len - at);
			if (at >= i + 5 && memcmp(doc->buf + at - 4, "\\x01", 4) == 0 &&
			    doc->buf[at - 5] == '"' && nbom < f->nbom && close) {
				sbuf_put(&out, doc->buf + i, at - 5 - i);
				escape_all(&out, f->bom[nbom].s, f->bom[nbom].len);
				nbom++;
				i = (size_t)(close - doc->buf) + 1;
			} else { /* not libyaml's text for the marker: leave it */
				sbuf_put(&out, doc->buf + i, at + f->mark_len - i);
				i = at + f->mark_len;
			}
			continue;
		}
		/* "<LS or PS><indent><mark>": drop the indent and the mark; in a
		 * double-quoted scalar ("\L<mark>") only the mark */
		size_t sp = at;
		while (sp > i && doc->buf[sp - 1] == ' ')
			sp--;
		if (sp >= i + 3 && ends_with_ls_ps(doc->buf, sp))
			sbuf_put(&out, doc->buf + i, sp - i);
		else
			sbuf_put(&out, doc->buf + i, at - i);
		i = at + f->mark_len;
	}
	sbuf_free(doc);
	*doc = out;
}
