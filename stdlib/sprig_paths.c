/* sprig_paths.c: sprig's base, dir, clean, ext, isAbs (Go's path package) and osBase, osDir, osClean, osExt, osIsAbs (path/filepath, which on Linux is the same with '/' as its one separator). */
#include <string.h>

#include "builtin.h"
#include "fnarg.h"
#include "sprig.h"

/* path.Clean into b: the shortest equivalent path, by lexical processing
 * (Rob Pike's rules: collapse slashes, drop ".", cancel "name/..", drop
 * ".." at the root; "." when nothing is left). */
static void sprig_path_clean(sbuf *b, const char *p, size_t n)
{
	size_t start = b->len;
	if (n == 0) {
		sbuf_putc(b, '.');
		return;
	}
	bool rooted = p[0] == '/';
	size_t r = 0, dotdot = 0; /* dotdot: where ".." may no longer back up (relative to start) */
	if (rooted) {
		sbuf_putc(b, '/');
		r = dotdot = 1;
	}
	while (r < n) {
		if (p[r] == '/') {
			r++;
		} else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/')) {
			r++;
		} else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
			r += 2;
			size_t w = b->len - start;
			if (w > dotdot) {
				w--;
				while (w > dotdot && b->buf[start + w] != '/')
					w--;
				b->len = start + w;
			} else if (!rooted) {
				if (w > 0)
					sbuf_putc(b, '/');
				sbuf_puts(b, "..");
				dotdot = b->len - start;
			}
		} else {
			size_t w = b->len - start;
			if ((rooted && w != 1) || (!rooted && w != 0))
				sbuf_putc(b, '/');
			for (; r < n && p[r] != '/'; r++)
				sbuf_putc(b, p[r]);
		}
	}
	if (b->len == start)
		sbuf_putc(b, '.');
}

static int spath_arg(tmpl_call *c, const char **p, size_t *n)
{
	return fnarg_string(c, 0, p, n);
}

static int spath_ret(tmpl_call *c, const char *p, size_t n, const tv **r)
{
	*r = tv_string(c->arena, p, n);
	return 0;
}

/* path.Base: the last element, trailing slashes removed; "." for "", "/"
 * for slashes only. */
static int spath_base(tmpl_call *c, const tv **r)
{
	const char *p;
	size_t n;
	if (spath_arg(c, &p, &n) < 0)
		return -1;
	if (n == 0)
		return spath_ret(c, ".", 1, r);
	while (n > 0 && p[n - 1] == '/')
		n--;
	size_t i = n;
	while (i > 0 && p[i - 1] != '/')
		i--;
	if (i == n)
		return spath_ret(c, "/", 1, r);
	return spath_ret(c, p + i, n - i, r);
}

/* path.Dir: Clean of everything up to the last slash. */
static int spath_dir(tmpl_call *c, const tv **r)
{
	const char *p;
	size_t n;
	if (spath_arg(c, &p, &n) < 0)
		return -1;
	size_t i = n;
	while (i > 0 && p[i - 1] != '/')
		i--;
	sbuf *b = tmpl_call_scratch(c, 0);
	sprig_path_clean(b, p, i);
	return spath_ret(c, b->buf, b->len, r);
}

static int spath_clean(tmpl_call *c, const tv **r)
{
	const char *p;
	size_t n;
	if (spath_arg(c, &p, &n) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	sprig_path_clean(b, p, n);
	return spath_ret(c, b->buf, b->len, r);
}

/* path.Ext: from the last dot of the last element, or "". */
static int spath_ext(tmpl_call *c, const tv **r)
{
	const char *p;
	size_t n;
	if (spath_arg(c, &p, &n) < 0)
		return -1;
	for (size_t i = n; i > 0 && p[i - 1] != '/'; i--)
		if (p[i - 1] == '.')
			return spath_ret(c, p + i - 1, n - i + 1, r);
	return spath_ret(c, "", 0, r);
}

static int spath_is_abs(tmpl_call *c, const tv **r)
{
	const char *p;
	size_t n;
	if (spath_arg(c, &p, &n) < 0)
		return -1;
	*r = tv_bool(n > 0 && p[0] == '/');
	return 0;
}

const tmpl_func sprig_paths_funcs[] = {
	{"base", 1, 1, 0, spath_base},
	{"clean", 1, 1, 0, spath_clean},
	{"dir", 1, 1, 0, spath_dir},
	{"ext", 1, 1, 0, spath_ext},
	{"isAbs", 1, 1, 0, spath_is_abs},
	{"osBase", 1, 1, 0, spath_base},
	{"osClean", 1, 1, 0, spath_clean},
	{"osDir", 1, 1, 0, spath_dir},
	{"osExt", 1, 1, 0, spath_ext},
	{"osIsAbs", 1, 1, 0, spath_is_abs},
	{NULL, 0, 0, 0, NULL}
};
