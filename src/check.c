/* check.c: --check's run: its diagnostics, and each text parsed with recovery so that independent mistakes are all reported at once.
 *
 * Recovery, per text: the structural scan (check_scan.c) reports every
 * block left open at its opening action, and the text is parsed with the
 * missing {{end}}s appended, so Go's "unexpected EOF" at the end never hides
 * what follows. Undefined functions and variables are recorded by the
 * parser's hooks without stopping (parse.h). At a hard parse error (Go's
 * text), the action it stopped in is blanked (spaces; newlines kept, so
 * every line and column stays as written) with, for a block's opening
 * action, its else and end actions, and the text is parsed again. A lexer
 * error ends a text's recovery: what follows it cannot be told apart.
 */
#include "check.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "func.h"
#include "grammar/parse.h"
#include "parse.h"

void check_init(check_run *cr, const struct tmpl_library *lib)
{
	memset(cr, 0, sizeof *cr);
	cr->arena = arena_new();
	cr->lib = lib;
	cr->max_per_file = 100;
	cr->max_diags = 1000;
}

void check_free(check_run *cr)
{
	arena_free(cr->arena);
	free(cr->diags);
	free(cr->texts);
	memset(cr, 0, sizeof *cr);
}

void check_add(check_run *cr, const char *file, size_t file_index, uint32_t line, uint32_t col,
	       check_severity sev, const char *code, const char *msg, const char *hint)
{
	/* a bound on memory: a text made of mistakes (a fuzzer's) could find
	 * millions; repeats of recovery are dropped only when sorting */
	if (cr->max_diags && cr->ndiags >= cr->max_diags * 4) {
		cr->overflow = 1;
		return;
	}
	if (cr->ndiags == cr->capdiags) {
		cr->capdiags = cr->capdiags ? cr->capdiags * 2 : 16;
		check_diag *nd = realloc(cr->diags, cr->capdiags * sizeof *nd);
		if (!nd)
			tmpl_out_of_memory();
		cr->diags = nd;
	}
	check_diag *d = &cr->diags[cr->ndiags++];
	d->file = file;
	d->file_index = file_index;
	d->line = line;
	d->col = col ? col : 1;
	d->severity = sev;
	d->code = code;
	d->msg = arena_strdup(cr->arena, msg);
	d->hint = arena_strdup(cr->arena, hint ? hint : "");
}

static void check_soft(void *arg, const char *code, uint32_t line, uint32_t col, const char *msg,
		       const char *hint)
{
	check_run *cr = arg;
	check_add(cr, cr->cur_file, cr->cur_index, line, col, CHECK_ERROR, code, msg, hint);
}

/* Go's parse error without its "template: NAME:LINE: " prefix: the
 * diagnostic's place says it. */
static const char *check_strip(const char *msg, const char *name)
{
	size_t nl = strlen(name);
	if (strncmp(msg, "template: ", 10) != 0 || strncmp(msg + 10, name, nl) != 0 ||
	    msg[10 + nl] != ':')
		return msg;
	const char *p = msg + 10 + nl + 1;
	while (*p >= '0' && *p <= '9')
		p++;
	return p[0] == ':' && p[1] == ' ' ? p + 2 : msg;
}

int32_t check_action_at(const check_scan_result *sc, uint32_t pos)
{
	size_t lo = 0, hi = sc->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (sc->actions[mid].end <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < sc->n && sc->actions[lo].start <= pos && pos < sc->actions[lo].end)
		return (int32_t)lo;
	return -1;
}

static void check_blank(char *work, const check_action *a)
{
	for (uint32_t i = a->start; i < a->end; i++)
		if (work[i] != '\n')
			work[i] = ' ';
}

static void check_add_text(check_run *cr, const char *file, size_t index, ast_tree **trees,
			   size_t n, const check_scan_result *sc)
{
	if (cr->ntexts == cr->captexts) {
		cr->captexts = cr->captexts ? cr->captexts * 2 : 8;
		check_text *nt = realloc(cr->texts, cr->captexts * sizeof *nt);
		if (!nt)
			tmpl_out_of_memory();
		cr->texts = nt;
	}
	check_text *t = &cr->texts[cr->ntexts++];
	t->file = file;
	t->index = index;
	t->trees = trees;
	t->ntrees = n;
	t->scan = *sc;
	t->yctx = NULL;
}

/* Does the action a of text declare the variable $name (name[0..len),
 * with its $): `$name :=`, or `$name,` of a range? */
static int check_declares(const char *text, const check_action *a, const char *name, size_t len)
{
	for (uint32_t p = a->start; p + len <= a->end; p++) {
		if (memcmp(text + p, name, len) != 0)
			continue;
		uint32_t q = p + (uint32_t)len;
		if (q < a->end && (text[q] == '_' || isalnum((unsigned char)text[q])))
			continue; /* a longer name */
		while (q < a->end && (text[q] == ' ' || text[q] == '\t' || text[q] == '\n' ||
				      text[q] == '\r'))
			q++;
		if (q < a->end && (text[q] == ',' || (text[q] == ':' && q + 1 < a->end &&
							 text[q + 1] == '=')))
			return 1;
	}
	return 0;
}

/* A variable declared in an action set aside after a parse error is then
 * undefined where it is used: echoes of that error, not mistakes. */
static void check_drop_echoes(check_run *cr, size_t first, const check_scan_result *sc,
			      const char *blanked, const char *text)
{
	size_t k = first;
	for (size_t d = first; d < cr->ndiags; d++) {
		const check_diag *g = &cr->diags[d];
		int echo = 0;
		const char *q = strcmp(g->code, "undefined-variable") == 0 ? strchr(g->msg, '"') : NULL;
		const char *qe = q ? strchr(q + 1, '"') : NULL;
		for (size_t i = 0; qe && i < sc->n && !echo; i++) {
			const check_action *a = &sc->actions[i];
			if (!blanked[i] || !check_declares(text, a, q + 1, (size_t)(qe - q - 1)))
				continue;
			/* a use after the action (one inside it is a mistake of its own) */
			uint32_t line = a->line, col = a->col;
			for (uint32_t p = a->start; p < a->end; p++, col++)
				if (text[p] == '\n') {
					line++;
					col = 0;
				}
			echo = line < g->line || (line == g->line && col <= g->col);
		}
		if (!echo)
			cr->diags[k++] = *g;
	}
	cr->ndiags = k;
}

void check_text_parse(check_run *cr, const char *file, size_t index, const char *name,
		      const char *text, size_t len, const char *ldelim, const char *rdelim)
{
	file = arena_strdup(cr->arena, file);
	cr->cur_file = file;
	cr->cur_index = index;
	check_scan_result sc;
	check_scan(cr->arena, text, len, ldelim, rdelim, &sc);

	/* Every block left open, at its opening action; then the text as if
	 * each had its {{end}}. */
	const char *ld = ldelim && *ldelim ? ldelim : "{{";
	const char *rd = rdelim && *rdelim ? rdelim : "}}";
	size_t endlen = strlen(ld) + 3 + strlen(rd);
	size_t wlen = len + sc.nunclosed * endlen;
	char *work = arena_alloc(cr->arena, wlen + 1);
	memcpy(work, text, len);
	for (size_t i = 0; i < sc.nunclosed; i++) {
		const check_action *a = &sc.actions[sc.unclosed[i]];
		char msg[160];
		const char *kw = check_kw_name(a->kw);
		snprintf(msg, sizeof msg, "unclosed {{%s}}: no matching {{end}} before the end of the text",
			 kw);
		char hint[160];
		snprintf(hint, sizeof hint, "close it with %send%s where its %s ends", ld, rd,
			 a->kw == K_DEFINE || a->kw == K_BLOCK ? "body" : "branch");
		check_add(cr, file, index, a->line, a->col, CHECK_ERROR, "unclosed-block", msg, hint);
		/* the innermost block closes first */
		memcpy(work + len + (sc.nunclosed - 1 - i) * endlen, ld, strlen(ld));
		memcpy(work + len + (sc.nunclosed - 1 - i) * endlen + strlen(ld), "end", 3);
		memcpy(work + len + (sc.nunclosed - 1 - i) * endlen + strlen(ld) + 3, rd, strlen(rd));
	}
	work[wlen] = '\0';

	parse_hooks hooks = {check_soft, cr};
	size_t first_diag = cr->ndiags;
	char *blanked = arena_alloc(cr->arena, sc.n + 1); /* actions blanked so far */
	memset(blanked, 0, sc.n + 1);
	for (size_t round = 0; round < cr->max_per_file; round++) {
		ast_tree **trees;
		size_t n;
		uint32_t fail_pos;
		tmpl_error err;
		tmpl_error_init(&err);
		if (parse_text_hooks(cr->arena, cr->lib, name, work, wlen, ldelim, rdelim, &hooks,
				     &trees, &n, &err, &fail_pos) == 0) {
			check_add_text(cr, file, index, trees, n, &sc);
			break;
		}
		/* past the text: an {{end}} appended above, already reported */
		if (fail_pos < len || sc.nunclosed == 0)
			check_add(cr, file, index, (uint32_t)(err.line > 0 ? err.line : 1),
				  (uint32_t)(err.col > 0 ? err.col : 1), CHECK_ERROR, "parse",
				  check_strip(err.msg ? err.msg : "", name), "");
		tmpl_error_clear(&err);
		if (sc.lex_error || fail_pos >= len)
			break;
		int32_t at = check_action_at(&sc, fail_pos);
		if (at < 0 || blanked[at])
			break;
		/* an opening action goes with its else and end actions, or with
		 * the {{end}} appended for it */
		int32_t i = at;
		do {
			blanked[i] = 1;
			check_blank(work, &sc.actions[i]);
			i = sc.actions[i].next;
		} while (i >= 0 && sc.actions[at].kw != K_ELSE && sc.actions[at].kw != K_END);
		for (size_t u = 0; u < sc.nunclosed; u++)
			if (sc.unclosed[u] == at)
				memset(work + len + (sc.nunclosed - 1 - u) * endlen, ' ', endlen);
	}
	check_drop_echoes(cr, first_diag, &sc, blanked, text);
}

size_t check_count(const check_run *cr, check_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < cr->ndiags; i++)
		n += cr->diags[i].severity == sev;
	return n;
}

static int check_cmp(const void *pa, const void *pb)
{
	const check_diag *a = pa, *b = pb;
	if (a->file_index != b->file_index)
		return a->file_index < b->file_index ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	int c = strcmp(a->code, b->code);
	return c ? c : strcmp(a->msg, b->msg);
}

void check_sort(check_run *cr)
{
	if (cr->ndiags == 0)
		return;
	qsort(cr->diags, cr->ndiags, sizeof *cr->diags, check_cmp);
	/* a soft mistake before a hard error is met again by each later parse */
	size_t k = 1;
	for (size_t i = 1; i < cr->ndiags; i++)
		if (check_cmp(&cr->diags[i], &cr->diags[k - 1]) != 0)
			cr->diags[k++] = cr->diags[i];
	cr->ndiags = k;
	/* past the bound: the first max_diags, then one note where the first
	 * left out was (after the last when only the stored ones overflowed) */
	if (cr->max_diags && (cr->ndiags > cr->max_diags || cr->overflow)) {
		size_t keep = cr->ndiags > cr->max_diags ? cr->max_diags : cr->ndiags;
		check_diag at = cr->diags[keep < cr->ndiags ? keep : keep - 1];
		cr->ndiags = keep;
		cr->overflow = 0;
		char msg[200];
		snprintf(msg, sizeof msg, "too many diagnostics: only the first %zu are reported", keep);
		check_add(cr, at.file, at.file_index, at.line, at.col, CHECK_NOTE, "too-many", msg,
			  "correct these and check again");
	}
}
