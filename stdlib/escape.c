/* escape.c: html, js, urlquery: Go's HTMLEscapeString, JSEscapeString, url.QueryEscape. */
#include "builtin.h"

#include <string.h>

#include "fmt.h"
#include "utf8.h"

static const char esc_hex[] = "0123456789ABCDEF";

/* Go's evalArgs: one string argument is used as is; otherwise the operands
 * are fmt.Sprint'ed, with nil ones shown as "<no value>". -1 (the error set)
 * for an operand nested too deeply to print. */
static int esc_args(tmpl_call *c, sbuf *b, const char **s, size_t *len)
{
	if (c->nargs == 1 && c->args[0] && c->args[0]->kind == TV_STRING) {
		*s = c->args[0]->u.s.ptr;
		*len = c->args[0]->u.s.len;
		return 0;
	}
	const tv *local[8];
	const tv **args = c->nargs <= 8 ? local : arena_alloc(c->arena, c->nargs * sizeof(*args));
	for (size_t i = 0; i < c->nargs; i++) {
		const tv *v = c->args[i];
		args[i] = (!v || v->kind == TV_NULL) ? tv_string_ref(c->arena, "<no value>", 10) : v;
	}
	if (fmt_sprint(b, args, c->nargs) != 0)
		return tmpl_call_errorf(c, "%s", FMT_TOO_DEEP);
	*s = b->buf ? b->buf : "";
	*len = b->len;
	return 0;
}

/* When nothing needed escaping and the input was one string argument, that
 * argument is the result (Go returns the string itself too). */
static int esc_result(tmpl_call *c, sbuf *out, size_t last, const tv **r)
{
	const tv *a = c->nargs == 1 ? c->args[0] : NULL;
	if (last == 0 && a && a->kind == TV_STRING && !a->type) {
		*r = a;
		return 0;
	}
	*r = tv_string(c->arena, out->buf ? out->buf : "", out->len);
	return 0;
}

int bi_html(tmpl_call *c, const tv **r)
{
	sbuf *in = tmpl_call_scratch(c, 0), *out = tmpl_call_scratch(c, 1);
	const char *s;
	size_t len;
	if (esc_args(c, in, &s, &len) != 0)
		return -1;
	size_t last = 0;
	for (size_t i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '"': rep = "&#34;"; break;
		case '\'': rep = "&#39;"; break;
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '\0': rep = "\xEF\xBF\xBD"; break;
		default: continue;
		}
		sbuf_put(out, s + last, i - last);
		sbuf_puts(out, rep);
		last = i + 1;
	}
	sbuf_put(out, s + last, len - last);
	return esc_result(c, out, last, r);
}

int bi_js(tmpl_call *c, const tv **r)
{
	sbuf *in = tmpl_call_scratch(c, 0), *out = tmpl_call_scratch(c, 1);
	const char *s;
	size_t len;
	if (esc_args(c, in, &s, &len) != 0)
		return -1;
	size_t last = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		const char *rep = NULL;
		switch (ch) {
		case '\\': rep = "\\\\"; break;
		case '\'': rep = "\\'"; break;
		case '"': rep = "\\\""; break;
		case '<': rep = "\\u003C"; break;
		case '>': rep = "\\u003E"; break;
		case '&': rep = "\\u0026"; break;
		case '=': rep = "\\u003D"; break;
		default:
			if (ch >= 0x20 && ch < 0x80)
				continue;
		}
		sbuf_put(out, s + last, i - last);
		if (rep) {
			sbuf_puts(out, rep);
		} else if (ch < 0x20) {
			char u[6] = {'\\', 'u', '0', '0', esc_hex[ch >> 4], esc_hex[ch & 15]};
			sbuf_put(out, u, 6);
		} else {
			size_t size;
			int32_t rune = u8_decode(s + i, len - i, &size);
			if (u8_isprint(rune))
				sbuf_put(out, s + i, size);
			else
				sbuf_printf(out, "\\u%04X", (unsigned)rune);
			i += size - 1;
		}
		last = i + 1;
	}
	sbuf_put(out, s + last, len - last);
	return esc_result(c, out, last, r);
}

int bi_urlquery(tmpl_call *c, const tv **r)
{
	sbuf *in = tmpl_call_scratch(c, 0), *out = tmpl_call_scratch(c, 1);
	const char *s;
	size_t len;
	if (esc_args(c, in, &s, &len) != 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '_' || ch == '.' || ch == '~') {
			sbuf_putc(out, (char)ch);
		} else if (ch == ' ') {
			sbuf_putc(out, '+');
		} else {
			char e[3] = {'%', esc_hex[ch >> 4], esc_hex[ch & 15]};
			sbuf_put(out, e, 3);
		}
	}
	return esc_result(c, out, 1, r);
}
