/* trace.c: reading the record of which template text wrote each stretch of output (tmpl.h's tmpl_trace), for --explain and the checks of rendered output. */
#include <stdlib.h>

#include "tmpl.h"

const tmpl_span *tmpl_trace_find(const tmpl_trace *t, size_t off)
{
	if (!t || t->n == 0)
		return NULL;
	/* spans are in output order and do not overlap: the last starting at or before off */
	size_t lo = 0, hi = t->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->spans[mid].start <= off)
			lo = mid;
		else
			hi = mid;
	}
	return t->spans[lo].start <= off ? &t->spans[lo] : NULL;
}

void tmpl_trace_where(const tmpl_span *s, size_t off, int *line, int *col)
{
	size_t pos = s->src_pos;
	if (s->literal && off > s->start)
		pos += (off < s->end ? off : s->end) - s->start;
	if (pos > s->src_len)
		pos = s->src_len;
	int l = 1;
	size_t bol = 0;
	for (size_t i = 0; i < pos; i++)
		if (s->src[i] == '\n') {
			l++;
			bol = i + 1;
		}
	*line = l;
	*col = (int)(pos - bol) + 1;
}

void tmpl_trace_free(tmpl_trace *t)
{
	free(t->spans);
	t->spans = NULL;
	t->n = t->cap = 0;
}
