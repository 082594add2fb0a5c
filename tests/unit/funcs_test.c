/* funcs_test.c: the public function API (tmpl_funcs.h): a set chooses its libraries in order and adds the embedder's own C functions, which override earlier tables and Go's builtins as Go's Template.Funcs does; and the injector's choice of library by template; prints TAP. */
#include <stdio.h>
#include <string.h>

#include "../runner/tap.h"
#include "inject/inject.h"
#include "tmpl.h"
#include "tmpl_funcs.h"

/* double(n int) int: the embedder's function; an error for anything else. */
static int own_double(tmpl_call *c, const tv **r)
{
	const tv *v = c->args[0];
	if (!v || v->kind != TV_INT)
		return tmpl_call_errorf(c, "not a number");
	*r = tv_int(c->arena, v->u.i * 2);
	return 0;
}

static int own_triple(tmpl_call *c, const tv **r)
{
	const tv *v = c->args[0];
	if (!v || v->kind != TV_INT)
		return tmpl_call_errorf(c, "not a number");
	*r = tv_int(c->arena, v->u.i * 3);
	return 0;
}

/* len(any) string: overrides Go's builtin len. */
static int own_len(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = tv_string(c->arena, "own len", 7);
	return 0;
}

static const tmpl_func own_funcs[] = {
	{"double", 1, 1, 0, own_double},
	{"len", 1, 1, 0, own_len},
	{NULL, 0, 0, 0, NULL},
};
static const tmpl_func later_funcs[] = {
	{"double", 1, 1, 0, own_triple},
	{NULL, 0, 0, 0, NULL},
};

/* Render text as template "t" of a set with the given libraries and tables;
 * the output, or the error text. */
static void render(const char *const *libs, size_t nlibs, const tmpl_func *const *tables,
		   size_t ntables, const char *text, sbuf *out)
{
	tmpl_error err;
	tmpl_error_init(&err);
	tmpl_set *s = tmpl_set_new();
	out->len = 0;
	int rc = 0;
	if (nlibs)
		rc = tmpl_set_libraries(s, libs, nlibs, &err);
	for (size_t i = 0; rc == 0 && i < ntables; i++)
		rc = tmpl_set_add_funcs(s, tables[i], &err);
	if (rc == 0)
		rc = tmpl_set_parse(s, "t", text, strlen(text), NULL, NULL, &err);
	if (rc == 0)
		rc = tmpl_execute(s, "t", NULL, out, &err);
	if (rc != 0) {
		out->len = 0;
		sbuf_puts(out, err.msg ? err.msg : "?");
	}
	sbuf_put(out, "", 0);
	tmpl_error_clear(&err);
	tmpl_set_free(s);
}

static void expect(const char *what, const char *const *libs, size_t nlibs,
		   const tmpl_func *const *tables, size_t ntables, const char *text,
		   const char *want)
{
	sbuf out = SBUF_INIT;
	render(libs, nlibs, tables, ntables, text, &out);
	tap_is(out.buf, want, what);
	sbuf_free(&out);
}

int main(void)
{
	const char *sprig[] = {"sprig"};
	const char *go_helm[] = {"go", "helm"};
	const char *helm[] = {"helm"};
	const char *nope[] = {"go", "nope"};
	const tmpl_func *own[] = {own_funcs};
	const tmpl_func *both[] = {own_funcs, later_funcs};

	expect("an own function is called", sprig, 1, own, 1, "{{double 21}} {{upper \"x\"}}",
	       "42 X");
	expect("an own function overrides Go's builtin len", sprig, 1, own, 1, "{{len \"abc\"}}",
	       "own len");
	expect("a table added later wins", sprig, 1, both, 2, "{{double 21}}", "63");
	expect("an own function's error is Go's \"error calling\"", sprig, 1, own, 1,
	       "{{double \"x\"}}",
	       "template: t:1:2: executing \"t\" at <double \"x\">: error calling double: not a number");
	expect("another set does not see them", sprig, 1, NULL, 0, "{{double 1}}",
	       "template: t:1: function \"double\" not defined");
	expect("libraries in order: helm after go", go_helm, 2, NULL, 0, "{{toYaml 1}}", "1");
	expect("helm removes sprig's env", helm, 1, NULL, 0, "{{env \"HOME\"}}",
	       "template: t:1: function \"env\" not defined (sprig has it: --funcs sprig)");
	expect("an unknown library is refused", nope, 2, NULL, 0, "x",
	       "unknown function library \"nope\" (there are go, sprig, helm, istio-1.1, istio)");

	/* Functions are chosen before parsing, as Go's Funcs comes before Parse. */
	tmpl_error err;
	tmpl_error_init(&err);
	tmpl_set *s = tmpl_set_new();
	tmpl_set_parse(s, "t", "x", 1, NULL, NULL, &err);
	int rc = tmpl_set_add_funcs(s, own_funcs, &err);
	tap_result(rc == -1 && err.kind == TMPL_ERR_USAGE, "no functions added after parsing",
		   "not refused as a usage error");
	tmpl_error_clear(&err);
	tmpl_set_free(s);

	/* The injector: Istio 1.1's [[ ]] templates get istio-1.1, the newest's {{ }} istio. */
	static const struct {
		const char *text, *funcs;
	} inj[] = {
		{"a: [[ toYaml .x ]]", "istio-1.1"},
		{"a: {{ toYaml .x }}", "istio"},
		{"a: b", "istio-1.1"},
	};
	for (size_t i = 0; i < sizeof inj / sizeof inj[0]; i++) {
		tmpl_arena *a = arena_new();
		inj_config cfg;
		int r = inj_config_from_template(a, inj[i].text, strlen(inj[i].text), "enabled", &cfg,
						 &err);
		char what[96];
		snprintf(what, sizeof what, "the injector parses %s with %s", inj[i].text,
			 inj[i].funcs);
		tap_is(r == 0 ? cfg.funcs : err.msg, inj[i].funcs, what);
		if (r == 0)
			inj_config_free(&cfg);
		tmpl_error_clear(&err);
		arena_free(a);
	}

	return tap_done();
}
