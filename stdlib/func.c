/* func.c: finds a callable function by name across the stdlib tables. */
#include "func.h"

#include <string.h>

static const tmpl_func *const func_tables[] = {
	builtin_funcs,
	istio_funcs,
};

const tmpl_func *func_lookup(const char *name, size_t len)
{
	for (size_t t = 0; t < sizeof(func_tables) / sizeof(func_tables[0]); t++)
		for (const tmpl_func *f = func_tables[t]; f->name; f++)
			if (strlen(f->name) == len && memcmp(f->name, name, len) == 0)
				return f;
	return NULL;
}
