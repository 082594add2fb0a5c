/* fmt_quote.c: strconv's Go-syntax quoting of strings and runes. */
#include "fmt.h"
#include "fmt_impl.h"
#include "utf8.h"

static const char fq_hex[] = "0123456789abcdef";

/* One rune inside quotes: printable runes as they are, the rest escaped. */
static void fq_escaped_rune(sbuf *out, int32_t r, char quote, bool ascii)
{
	char buf[4];
	if (r == quote || r == '\\') {
		sbuf_putc(out, '\\');
		sbuf_putc(out, (char)r);
		return;
	}
	if (ascii) {
		if (r < 0x80 && u8_isprint(r)) {
			sbuf_putc(out, (char)r);
			return;
		}
	} else if (u8_isprint(r)) {
		sbuf_put(out, buf, u8_encode(buf, r));
		return;
	}
	switch (r) {
	case '\a': sbuf_puts(out, "\\a"); return;
	case '\b': sbuf_puts(out, "\\b"); return;
	case '\f': sbuf_puts(out, "\\f"); return;
	case '\n': sbuf_puts(out, "\\n"); return;
	case '\r': sbuf_puts(out, "\\r"); return;
	case '\t': sbuf_puts(out, "\\t"); return;
	case '\v': sbuf_puts(out, "\\v"); return;
	default: break;
	}
	if (r < ' ' || r == 0x7F) {
		sbuf_puts(out, "\\x");
		sbuf_putc(out, fq_hex[(r >> 4) & 0xF]);
		sbuf_putc(out, fq_hex[r & 0xF]);
		return;
	}
	if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
		r = U8_RUNE_ERROR;
	if (r < 0x10000) {
		sbuf_puts(out, "\\u");
		for (int s = 12; s >= 0; s -= 4)
			sbuf_putc(out, fq_hex[(r >> s) & 0xF]);
	} else {
		sbuf_puts(out, "\\U");
		for (int s = 28; s >= 0; s -= 4)
			sbuf_putc(out, fq_hex[(r >> s) & 0xF]);
	}
}

void fmt_quote_string(sbuf *out, const char *s, size_t len, bool ascii)
{
	sbuf_putc(out, '"');
	size_t i = 0;
	while (i < len) {
		/* a run of plain printable ASCII goes out in one piece */
		size_t j = i;
		while (j < len && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x7F && s[j] != '"' && s[j] != '\\')
			j++;
		if (j > i) {
			sbuf_put(out, s + i, j - i);
			i = j;
			continue;
		}
		unsigned char c = (unsigned char)s[i];
		int32_t r = c;
		size_t w = 1;
		if (c >= 0x80)
			r = u8_decode(s + i, len - i, &w);
		if (w == 1 && r == U8_RUNE_ERROR) {
			/* A byte that is not UTF-8 is shown as itself. */
			sbuf_puts(out, "\\x");
			sbuf_putc(out, fq_hex[c >> 4]);
			sbuf_putc(out, fq_hex[c & 0xF]);
		} else {
			fq_escaped_rune(out, r, '"', ascii);
		}
		i += w;
	}
	sbuf_putc(out, '"');
}

void fmt_quote(sbuf *out, const char *s, size_t len)
{
	fmt_quote_string(out, s, len, false);
}

void fmt_quote_rune(sbuf *out, int32_t r, bool ascii)
{
	if (r < 0 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
		r = U8_RUNE_ERROR;
	sbuf_putc(out, '\'');
	fq_escaped_rune(out, r, '\'', ascii);
	sbuf_putc(out, '\'');
}

bool fmt_can_backquote(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t w;
		int32_t r = u8_decode(s + i, len - i, &w);
		i += w;
		if (w > 1) {
			if (r == 0xFEFF)
				return false; /* an invisible BOM */
			continue;
		}
		if (r == U8_RUNE_ERROR)
			return false;
		if ((r < ' ' && r != '\t') || r == '`' || r == 0x7F)
			return false;
	}
	return true;
}
