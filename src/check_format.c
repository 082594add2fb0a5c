/* check_format.c: --check's diagnostics written as text lines, JSON lines or one SARIF 2.1.0 log, and the table of their codes.
 *
 * The formats are described in doc/check.md; the codes here are SARIF's
 * rules and must stay as doc/check.md lists them (tools key on them).
 */
#include "check.h"

#include <string.h>

#include "json.h"

static const check_code check_code_table[] = {
	{"parse", "Go's parse error: the template cannot be parsed as written"},
	{"unclosed-block", "an if, range, with, define or block without its {{end}}"},
	{"undefined-variable", "a variable used where no declaration is in scope"},
	{"undefined-function", "a function that the chosen --funcs library does not have"},
	{"undefined-template", "a template called but defined in no file of the set"},
	{"arg-count", "a function called with a number of arguments it does not take"},
	{"redefined-template", "a template a later file defines again, replacing the earlier body"},
	{"unknown-field", "a field or method that the typed data (--types) does not have"},
	{"values-key", "a values key absent from --values where a near one exists"},
	{"user-unquoted", "a user-controlled value written into a plain YAML scalar"},
	{"user-unescaped", "a user-controlled value written inside YAML quotes without escaping"},
	{"too-many", "more diagnostics than are reported"},
	{"render-error", "--check --pod: rendering the template for the sample pod failed"},
	{"rendered-yaml", "--check --pod: the rendered output is not YAML"},
	{"duplicate-key", "--check --pod: the rendered output writes a mapping key twice"},
	{"unknown-k8s-field", "--check --pod: the rendered object has a field its Kubernetes type lacks"},
	{"wrong-kind", "--check --pod: a rendered value is not the kind its field takes"},
};

const check_code *check_codes(size_t *n)
{
	*n = sizeof check_code_table / sizeof check_code_table[0];
	return check_code_table;
}

static const char *check_severity_name(check_severity s)
{
	return s == CHECK_ERROR ? "error" : s == CHECK_WARNING ? "warning" : "note";
}

static void check_json_str(sbuf *out, const char *s)
{
	json_write_string(out, s, strlen(s), 0);
}

static void check_text_out(const check_run *cr, sbuf *out)
{
	for (size_t i = 0; i < cr->ndiags; i++) {
		const check_diag *d = &cr->diags[i];
		sbuf_printf(out, "%s:%u:%u: %s: %s", d->file, (unsigned)d->line, (unsigned)d->col,
			    check_severity_name(d->severity), d->msg);
		if (*d->hint)
			sbuf_printf(out, " (%s)", d->hint);
		sbuf_putc(out, '\n');
	}
}

static void check_json_out(const check_run *cr, sbuf *out)
{
	for (size_t i = 0; i < cr->ndiags; i++) {
		const check_diag *d = &cr->diags[i];
		sbuf_puts(out, "{\"file\":");
		check_json_str(out, d->file);
		sbuf_printf(out, ",\"line\":%u,\"column\":%u,\"severity\":\"%s\",\"code\":",
			    (unsigned)d->line, (unsigned)d->col, check_severity_name(d->severity));
		check_json_str(out, d->code);
		sbuf_puts(out, ",\"message\":");
		check_json_str(out, d->msg);
		sbuf_puts(out, ",\"suggestion\":");
		if (*d->hint)
			check_json_str(out, d->hint);
		else
			sbuf_puts(out, "null");
		sbuf_puts(out, "}\n");
	}
}

/* A relative URI reference of a path: RFC 3986's unreserved bytes and '/'
 * as they are, every other byte percent-encoded. */
static void check_uri(sbuf *out, const char *path)
{
	sbuf u = SBUF_INIT;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			sbuf_putc(&u, (char)*p);
		else
			sbuf_printf(&u, "%%%02X", *p);
	}
	json_write_string(out, u.buf ? u.buf : "", u.len, 0);
	sbuf_free(&u);
}

static void check_sarif_out(const check_run *cr, sbuf *out)
{
	size_t ncodes;
	const check_code *codes = check_codes(&ncodes);
	sbuf_puts(out, "{\n  \"version\": \"2.1.0\",\n"
		       "  \"$schema\": \"https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json\",\n"
		       "  \"runs\": [{\n"
		       "    \"tool\": {\"driver\": {\"name\": \"tmplrender\", \"version\": \"" TMPL_VERSION
		       "\",\n      \"rules\": [");
	for (size_t i = 0; i < ncodes; i++) {
		sbuf_printf(out, "%s\n        {\"id\": ", i ? "," : "");
		check_json_str(out, codes[i].code);
		sbuf_puts(out, ", \"shortDescription\": {\"text\": ");
		check_json_str(out, codes[i].about);
		sbuf_puts(out, "}}");
	}
	sbuf_puts(out, "]}},\n    \"results\": [");
	for (size_t i = 0; i < cr->ndiags; i++) {
		const check_diag *d = &cr->diags[i];
		size_t rule = 0;
		while (rule < ncodes && strcmp(codes[rule].code, d->code) != 0)
			rule++;
		sbuf_printf(out, "%s\n      {\"ruleId\": ", i ? "," : "");
		check_json_str(out, d->code);
		if (rule < ncodes)
			sbuf_printf(out, ", \"ruleIndex\": %zu", rule);
		sbuf_printf(out, ", \"level\": \"%s\", \"message\": {\"text\": ",
			    check_severity_name(d->severity));
		sbuf s = SBUF_INIT;
		sbuf_puts(&s, d->msg);
		if (*d->hint)
			sbuf_printf(&s, " (%s)", d->hint);
		json_write_string(out, s.buf ? s.buf : "", s.len, 0);
		sbuf_free(&s);
		sbuf_puts(out, "},\n       \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
		check_uri(out, d->file);
		sbuf_printf(out, "}, \"region\": {\"startLine\": %u, \"startColumn\": %u}}}]}",
			    (unsigned)d->line, (unsigned)d->col);
	}
	sbuf_puts(out, cr->ndiags ? "\n    ]\n  }]\n}\n" : "]\n  }]\n}\n");
}

int check_format_known(const char *format)
{
	return strcmp(format, "text") == 0 || strcmp(format, "json") == 0 ||
	       strcmp(format, "sarif") == 0;
}

int check_format(const check_run *cr, const char *format, sbuf *out)
{
	if (strcmp(format, "text") == 0)
		check_text_out(cr, out);
	else if (strcmp(format, "json") == 0)
		check_json_out(cr, out);
	else if (strcmp(format, "sarif") == 0)
		check_sarif_out(cr, out);
	else
		return -1;
	return 0;
}
