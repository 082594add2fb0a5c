/* values.c: the injector's values (the ConfigMap key `values`, --valuesFile), JSON or YAML, read as NewValuesConfig reads them into map[string]any. */
#include "inject.h"

#include "yaml_load.h"

int inj_values_load(tmpl_arena *a, const char *name, const char *text, size_t len,
		    const tv **values, tmpl_error *err)
{
	const tv *doc = TV_NOVALUE;
	*values = TV_NOVALUE;
	/* JSON is YAML: one reader for both, as sigs.k8s.io/yaml does */
	if (text && yl_load_first(a, name, text, len, &doc, err) != 0)
		return -1;
	if (!doc || doc->kind == TV_NULL)
		return 0;
	if (doc->kind != TV_MAP)
		return tmpl_error_set(err, TMPL_ERR_DATA, name, 0, 0,
				      "could not parse configuration values: error unmarshaling JSON: json: cannot unmarshal %s into Go value of type map[string]interface {}",
				      doc->kind == TV_LIST ? "array" : doc->kind == TV_STRING ? "string" : "number");
	*values = doc;
	return 0;
}
