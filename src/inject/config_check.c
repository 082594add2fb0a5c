/* config_check.c: the load-time check of an injection config: each template through --check's structure, function and typed-data checks as its Istio's injector would run it. */
#include "inject.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "tmpl_set.h"

/* One template: its diagnostics appended to report, its errors counted. */
static size_t cc_one(const inj_config *cfg, tmpl_set *set, const char *file, const char *tname,
		     const char *text, size_t len, sbuf *report)
{
	check_run cr;
	check_init(&cr, &set->lib);
	char label[512];
	snprintf(label, sizeof label, "%s[%s]", file, tname);
	/* the data the injector hands the template; no values, no YAML context:
	 * checks 1-3 only (a values key or an unquoted annotation is a warning
	 * for the template's author, not a reason to refuse the config) */
	check_set_types(&cr, cfg->newest ? "istio" : "istio-1.1");
	cr.no_yaml = 1;
	cr.validated = inj_annotation_validated;
	check_text_parse(&cr, label, 0, "inject", text, len, cfg->newest ? NULL : "[[",
			 cfg->newest ? NULL : "]]");
	check_set(&cr);
	check_data(&cr);
	check_sort(&cr);
	check_format(&cr, "text", report);
	size_t n = check_count(&cr, CHECK_ERROR);
	check_free(&cr);
	return n;
}

/* The templates of the ConfigMap that Istio's gateway deployment controller
 * renders over its own data (the Deployment, Service and ServiceAccount of a
 * waypoint or gateway), never the injector over a pod's. */
static bool cc_controller_template(const char *name)
{
	static const char *const names[] = {"waypoint", "kube-gateway", "agentgateway",
					    "agentgateway-waypoint"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

int inj_config_check(const inj_config *cfg, const char *file, sbuf *warnings, tmpl_error *err)
{
	sbuf report = SBUF_INIT;
	size_t n = 0;
	if (!cfg->newest && cfg->set)
		n = cc_one(cfg, cfg->set, file, "template", cfg->tmpl, cfg->tmpl_len, &report);
	for (size_t i = 0; cfg->newest && i < cfg->ntemplates; i++) {
		const inj_named_tmpl *t = &cfg->templates[i];
		if (t->set && t->text && !cc_controller_template(t->name))
			n += cc_one(cfg, t->set, file, t->name, t->text, t->len, &report);
	}
	int rc = 0;
	if (n) {
		while (report.len && report.buf[report.len - 1] == '\n')
			report.buf[--report.len] = 0;
		tmpl_error_set(err, TMPL_ERR_DATA, file, 0, 0,
			       "%s: the injection config is refused: %zu error%s in its templates:\n%s",
			       file, n, n == 1 ? "" : "s", report.buf);
		rc = -1;
	} else if (report.len) {
		sbuf_put(warnings, report.buf, report.len);
	}
	sbuf_free(&report);
	return rc;
}
