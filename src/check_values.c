/* check_values.c: --check's values check: for a key a template reads from the --values map but the map lacks, the key the author most likely meant, when one is near.
 *
 * Values are free-form: an absent key is often meant (`default` covers it),
 * so only a near miss is worth a word. Near means the same word in another
 * case, or an edit or two away (func_distance, as function names are
 * matched: one edit for short keys, two from ten bytes on), and not a key
 * that differs only in a leading word such as include/exclude, which Istio's
 * values pair on purpose.
 */
#include "check.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "func.h"
#include "tmpl_value.h"

static int check_same_fold(const char *a, size_t na, const char *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* The keys of a pair (includeX / excludeX, enableX / disableX) differ in
 * their first word only: both are real keys. */
static int check_paired(const char *a, size_t na, const char *b, size_t nb)
{
	size_t pa = 0, pb = 0;
	while (pa < na && !isupper((unsigned char)a[pa]))
		pa++;
	while (pb < nb && !isupper((unsigned char)b[pb]))
		pb++;
	/* the same words after a different first one */
	return pa < na && pb < nb && na - pa == nb - pb && memcmp(a + pa, b + pb, na - pa) == 0 &&
	       !(pa == pb && memcmp(a, b, pa) == 0);
}

int check_values_near(const tv *m, const char *path, const char *key, size_t len, char *buf,
		      size_t size)
{
	if (!m || m->kind != TV_MAP || len == 0)
		return 0;
	size_t limit = len <= 4 ? 0 : len < 10 ? 1 : 2, best = limit + 1;
	const tv *near = NULL;
	for (size_t i = 0; i < m->u.map.len; i++) {
		const tv *k = m->u.map.pairs[i].key;
		if (!k || k->kind != TV_STRING)
			continue;
		size_t d;
		if (check_same_fold(key, len, k->u.s.ptr, k->u.s.len))
			d = 0;
		else if (check_paired(key, len, k->u.s.ptr, k->u.s.len))
			continue;
		else
			d = func_distance(key, len, k->u.s.ptr, k->u.s.len, limit);
		if (d < best) {
			best = d;
			near = k;
		}
	}
	if (!near)
		return 0;
	snprintf(buf, size, "did you mean %s%s%.*s?", path, *path ? "." : "",
		 (int)(near->u.s.len > 200 ? 200 : near->u.s.len), near->u.s.ptr);
	return 1;
}
