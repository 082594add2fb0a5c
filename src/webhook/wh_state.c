/* wh_state.c: reference-counted configuration snapshots (injection config, mesh, values) and the one current snapshot. */
#include "wh.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "yaml_load.h"
#include "tmpl.h"

static pthread_mutex_t snap_lock = PTHREAD_MUTEX_INITIALIZER;
static wh_snap *current;


/* Name the file in an error that does not (a template's errors name only the template),
 * so that the log says which file to fix. */
static void name_file(tmpl_error *err, const char *path)
{
	if (!err->msg || strstr(err->msg, path))
		return;
	char *msg = err->msg;
	err->msg = NULL;
	tmpl_error_set(err, err->kind, path, err->line, err->col, "%s: %s", path, msg);
	free(msg);
}

wh_snap *wh_snap_load(const wh_opts *o, tmpl_error *err)
{
	wh_snap *s = calloc(1, sizeof *s);
	if (!s)
		tmpl_out_of_memory();
	atomic_init(&s->refs, 1);
	s->arena = arena_new();
	s->values = TV_NOVALUE;
	char *text = NULL;
	size_t len = 0;

	if (!(text = file_read(o->config_file, &len, FILE_WORDS_GO, err)) ||
	    inj_config_load(s->arena, o->config_file, text, len, &s->cfg, err) != 0) {
		name_file(err, o->config_file);
		goto fail;
	}
	/* a template the injector cannot run is refused now, not at each pod */
	sbuf warnings = SBUF_INIT;
	if (inj_config_check(&s->cfg, o->config_file, &warnings, err) != 0)
		goto fail;
	if (warnings.len)
		wh_log_event("config-warning", "%.*s", (int)(warnings.len - 1), warnings.buf);
	sbuf_free(&warnings);
	free(text);
	text = NULL;
	len = 0;
	if (o->mesh_file && !(text = file_read(o->mesh_file, &len, FILE_WORDS_GO, err)))
		goto fail;
	/* each Istio lays the mesh file over its own defaults */
	if ((s->cfg.newest ? inj_mesh_latest_load : inj_mesh_load)(
		    s->arena, o->mesh_file ? o->mesh_file : "mesh", text, len, &s->mesh, err) != 0) {
		if (o->mesh_file)
			name_file(err, o->mesh_file);
		goto fail;
	}
	free(text);
	text = NULL;
	if (o->values_file) {
		/* the newest reads them as its .Values (JSON or YAML); Istio 1.1 only checks them */
		if (!(text = file_read(o->values_file, &len, FILE_WORDS_GO, err)) ||
		    (s->cfg.newest ? inj_values_load(s->arena, o->values_file, text, len, &s->values, err)
				   : yl_load_first(s->arena, o->values_file, text, len, &s->values,
						   err)) != 0) {
			name_file(err, o->values_file);
			goto fail;
		}
		free(text);
		text = NULL;
	}
	if (s->cfg.newest) {
		/* what istiod reads from its environment: the revision it serves
		 * (REVISION; "default" is none), native sidecars, the compliance policy */
		const char *rev = getenv("REVISION");
		s->cfg.values = s->values;
		s->cfg.revision = rev && strcmp(rev, "default") != 0 ? arena_strdup(s->arena, rev) : "";
		inj_config_environ(s->arena, &s->cfg);
	}
	if (o->namespaces_file) {
		if (!(text = file_read(o->namespaces_file, &len, FILE_WORDS_GO, err)) ||
		    inj_namespaces_load(s->arena, o->namespaces_file, text, len, &s->cfg.namespaces,
				    err) != 0) {
			name_file(err, o->namespaces_file);
			goto fail;
		}
		free(text);
		text = NULL;
	}
	if (o->cache_bytes)
		s->memo = wh_memo_new(o->cache_bytes);
	return s;
fail:
	free(text);
	wh_snap_put(s);
	return NULL;
}

wh_snap *wh_snap_get(void)
{
	pthread_mutex_lock(&snap_lock);
	wh_snap *s = current;
	if (s)
		atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
	pthread_mutex_unlock(&snap_lock);
	return s;
}

void wh_snap_put(wh_snap *s)
{
	if (!s || atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1)
		return;
	wh_memo_free(s->memo);
	inj_config_free(&s->cfg);
	arena_free(s->arena);
	free(s);
}

void wh_snap_install(wh_snap *s)
{
	pthread_mutex_lock(&snap_lock);
	wh_snap *old = current;
	current = s;
	pthread_mutex_unlock(&snap_lock);
	wh_snap_put(old);
}

void wh_state_free(void)
{
	wh_snap_install(NULL);
}
