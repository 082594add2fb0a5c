/* wh_admit.c: one AdmissionReview (admission.k8s.io/v1beta1 or v1) decoded, checked against the injection policy, injected, and answered as Istio answers it. */
#include "wh.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "inject/patch.h"
#include "json.h"

static void jstr(sbuf *b, const char *s, size_t n)
{
	json_write_string(b, s, n, JSON_ESCAPE_HTML);
}

/* Base64 (standard alphabet, padded), two output characters per table entry:
 * a patch is a few kilobytes and this was a tenth of answering. */
static char b64_pairs[4096][2];
static pthread_once_t b64_once = PTHREAD_ONCE_INIT;

static void b64_init(void)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (int i = 0; i < 4096; i++) {
		b64_pairs[i][0] = tab[i >> 6];
		b64_pairs[i][1] = tab[i & 63];
	}
}

static void base64(sbuf *b, const char *s, size_t n)
{
	pthread_once(&b64_once, b64_init);
	const unsigned char *p = (const unsigned char *)s;
	sbuf_reserve(b, (n + 2) / 3 * 4 + 1);
	char *o = b->buf + b->len;
	size_t i = 0;
	for (; i + 2 < n; i += 3, o += 4) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		memcpy(o, b64_pairs[v >> 12], 2);
		memcpy(o + 2, b64_pairs[v & 4095], 2);
	}
	if (i < n) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
		memcpy(o, b64_pairs[v >> 12], 2);
		o[2] = i + 1 < n ? b64_pairs[v & 4095][0] : '=';
		o[3] = '=';
		o += 4;
	}
	b->len = (size_t)(o - b->buf);
	b->buf[b->len] = 0;
}

static void copy_str(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

/* The body of a review that could not be decoded: Istio's bare response. */
static void invalid(wh_result *r, const char *msg)
{
	r->decision = WH_INVALID;
	copy_str(r->reason, sizeof r->reason, msg);
	r->body.len = 0;
	sbuf_puts(&r->body, "{\"response\":{\"uid\":\"\",\"allowed\":false,\"status\":{\"metadata\":{},"
			    "\"message\":");
	jstr(&r->body, msg, strlen(msg));
	sbuf_puts(&r->body, "}}}");
}

/* The head of a decoded review's answer, up to the echoed uid; r->tail marks its end. */
static void head_uid(wh_result *r, const char *api, size_t api_len, const char *kind,
		     size_t kind_len, const char *uid, size_t uid_len)
{
	r->body.len = 0;
	sbuf_puts(&r->body, "{\"apiVersion\":");
	jstr(&r->body, api, api_len);
	sbuf_puts(&r->body, ",\"kind\":");
	jstr(&r->body, kind, kind_len);
	sbuf_puts(&r->body, ",\"response\":{\"uid\":");
	jstr(&r->body, uid, uid_len);
	r->tail = r->body.len;
}

/* The head of a decoded review's answer, up to and including "allowed":. */
static void head(wh_result *r, const char *api, const char *kind, const char *uid, bool allowed)
{
	head_uid(r, api, strlen(api), kind, strlen(kind), uid, strlen(uid));
	sbuf_puts(&r->body, allowed ? ",\"allowed\":true" : ",\"allowed\":false");
}

static void deny(wh_result *r, const char *api, const char *kind, const char *uid,
		 const char *msg)
{
	r->decision = WH_DENY;
	copy_str(r->reason, sizeof r->reason, msg);
	head(r, api, kind, uid, false);
	sbuf_puts(&r->body, ",\"status\":{\"metadata\":{},\"message\":");
	jstr(&r->body, msg, strlen(msg));
	sbuf_puts(&r->body, "}}}");
}

/* Istio's potentialPodName: the name, else generateName followed by "***". */
static void pod_name(wh_result *r, const tv *meta)
{
	const char *n = inj_str(meta, "name"), *g = inj_str(meta, "generateName");
	if (n && *n)
		copy_str(r->name, sizeof r->name, n);
	else if (g && *g)
		snprintf(r->name, sizeof r->name, "%s***", g);
}

#define V1BETA1 "admission.k8s.io/v1beta1"
#define V1 "admission.k8s.io/v1"
#define REVIEW "AdmissionReview"

static bool is(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

/* What the answer needs from a review. */
typedef struct review {
	const char *api, *kind, *uid, *ns; /* ns: NULL when the request has none */
	const tv *object;
} review;

/* A scanned review's version and kind, defaulted as in decode_full (not
 * NUL-terminated); false when they are not an AdmissionReview we serve. */
typedef struct scanned_kind {
	const char *api, *kind;
	size_t api_len, kind_len;
} scanned_kind;

static bool scanned_kind_of(const wh_envelope *e, scanned_kind *k)
{
	k->api = e->api_len ? e->api : V1BETA1;
	k->api_len = e->api_len ? e->api_len : strlen(V1BETA1);
	k->kind = e->kind_len ? e->kind : REVIEW;
	k->kind_len = e->kind_len ? e->kind_len : strlen(REVIEW);
	return is(k->kind, k->kind_len, REVIEW) &&
	       (is(k->api, k->api_len, V1BETA1) || is(k->api, k->api_len, V1));
}

/* The memo's answer for a scanned review of version and kind k, if it has one. */
static bool from_memo(const wh_snap *s, const wh_envelope *e, const scanned_kind *k,
		      uint64_t key, wh_result *r)
{
	head_uid(r, k->api, k->api_len, k->kind, k->kind_len, e->uid ? e->uid : "", e->uid_len);
	if (!wh_memo_get(s->memo, e, key, r))
		return false;
	snprintf(r->uid, sizeof r->uid, "%.*s", (int)e->uid_len, e->uid ? e->uid : "");
	return true;
}

/* A scanned review of version and kind k: only its object is decoded (the scan has
 * checked the rest). */
static bool decode_scanned(tmpl_arena *a, const wh_envelope *e, const scanned_kind *k,
			   review *rv)
{
	tmpl_error err;
	tmpl_error_init(&err);
	bool ok = json_parse(a, e->object, e->object_len, 0, &rv->object, &err) == 0;
	tmpl_error_clear(&err);
	if (!ok)
		return false;
	rv->api = arena_strndup(a, k->api, k->api_len);
	rv->kind = arena_strndup(a, k->kind, k->kind_len);
	rv->uid = e->uid ? arena_strndup(a, e->uid, e->uid_len) : "";
	rv->ns = e->ns ? arena_strndup(a, e->ns, e->ns_len) : NULL;
	return true;
}

/* The request's string fields, as the typed decoder Istio 1.1 reads reviews with
 * checks them: the first one (in the request's order) of another JSON type than
 * string or null is an error, worded as encoding/json words it. */
static bool request_fields_ok(const tv *req, char *msg, size_t size)
{
	static const char *const fields[][2] = {
		{"uid", "types.UID"},       {"name", "string"},
		{"namespace", "string"},    {"subResource", "string"},
		{"operation", "v1beta1.Operation"},
	};
	for (size_t i = 0; i < req->u.map.len; i++) {
		const tv *k = req->u.map.pairs[i].key, *v = req->u.map.pairs[i].val;
		if (k->kind != TV_STRING || v->kind == TV_STRING || v->kind == TV_NULL)
			continue;
		for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
			if (k->u.s.len == strlen(fields[f][0]) &&
			    memcmp(k->u.s.ptr, fields[f][0], k->u.s.len) == 0) {
				snprintf(msg, size,
					 "json: cannot unmarshal %s into Go struct field "
					 "AdmissionRequest.request.%s of type %s",
					 json_kind(v), fields[f][0], fields[f][1]);
				return false;
			}
	}
	return true;
}

/* Any review, decoded in full as Istio decodes it; false (and r answered) when it
 * cannot be. */
static bool decode_full(tmpl_arena *a, const char *body, size_t len, review *rv, wh_result *r)
{
	tmpl_error err;
	tmpl_error_init(&err);
	char msg[1024];
	const tv *doc;
	bool ok = false;
	if (json_parse(a, body, len, 0, &doc, &err) != 0) {
		snprintf(msg, sizeof msg, "couldn't get version/kind; json parse error: %s", err.msg);
		invalid(r, msg);
		goto done;
	}
	if (doc->kind != TV_MAP) {
		if (doc->kind == TV_NULL) {
			doc = tv_map_new(a, 0);
		} else {
			snprintf(msg, sizeof msg,
				 "couldn't get version/kind; json parse error: json: cannot unmarshal %s "
				 "into Go value of type struct { APIVersion string "
				 "\"json:\\\"apiVersion,omitempty\\\"\"; Kind string "
				 "\"json:\\\"kind,omitempty\\\"\" }",
				 json_kind(doc));
			invalid(r, msg);
			goto done;
		}
	}
	const tv *apiv = inj_get(doc, "apiVersion"), *kindv = inj_get(doc, "kind");
	if ((apiv && apiv->kind != TV_STRING && apiv->kind != TV_NULL) ||
	    (kindv && kindv->kind != TV_STRING && kindv->kind != TV_NULL)) {
		int bad_api = apiv && apiv->kind != TV_STRING && apiv->kind != TV_NULL;
		snprintf(msg, sizeof msg,
			 "couldn't get version/kind; json parse error: json: cannot unmarshal %s into "
			 "Go struct field .%s of type string",
			 json_kind(bad_api ? apiv : kindv), bad_api ? "apiVersion" : "kind");
		invalid(r, msg);
		goto done;
	}
	/* Missing parts default to the type decoded into, as Kubernetes' decoder does. */
	rv->api = inj_str(doc, "apiVersion");
	rv->kind = inj_str(doc, "kind");
	if (!rv->api || !*rv->api)
		rv->api = V1BETA1;
	if (!rv->kind || !*rv->kind)
		rv->kind = REVIEW;
	if (strcmp(rv->kind, REVIEW) != 0 ||
	    (strcmp(rv->api, V1BETA1) != 0 && strcmp(rv->api, V1) != 0)) {
		snprintf(msg, sizeof msg, "no kind \"%s\" is registered for version \"%s\"",
			 rv->kind, rv->api);
		invalid(r, msg);
		goto done;
	}
	const tv *req = inj_get(doc, "request");
	if (req && req->kind != TV_MAP && req->kind != TV_NULL) {
		snprintf(msg, sizeof msg,
			 "json: cannot unmarshal %s into Go struct field AdmissionReview.request of "
			 "type v1beta1.AdmissionRequest",
			 json_kind(req));
		invalid(r, msg);
		goto done;
	}
	if (!req || req->kind != TV_MAP) {
		invalid(r, "admission review has no request");
		goto done;
	}
	if (!request_fields_ok(req, msg, sizeof msg)) {
		invalid(r, msg);
		goto done;
	}
	rv->uid = inj_str(req, "uid");
	if (!rv->uid)
		rv->uid = "";
	rv->ns = inj_str(req, "namespace");
	rv->object = inj_get(req, "object");
	ok = true;
done:
	tmpl_error_clear(&err);
	return ok;
}

/* Which bound stopped a failed render, from the error's kind (tmpl.h). */
static int render_limit(const tmpl_error *e)
{
	return e->kind == TMPL_ERR_LIMIT       ? WH_LIMIT_RENDER
	       : e->kind == TMPL_ERR_CANCELLED ? WH_LIMIT_ABANDONED
					       : WH_LIMIT_NONE;
}

/* Inject the review's pod and write the answer: Istio 1.1's injection for its
 * configs, the newest Istio's (patch_latest.c) for a newest Config. */
static void answer(const wh_snap *s, tmpl_arena *a, const review *rv, const char *path,
		   const tmpl_exec_opts *lim, wh_result *r)
{
	tmpl_error err;
	tmpl_error_init(&err);
	copy_str(r->uid, sizeof r->uid, rv->uid);
	inj_patch_info info;
	const tv *patch;
	/* The snapshot is shared: this request's bounds go on a shallow copy. */
	inj_config cfg = s->cfg;
	if (lim)
		cfg.limits = lim;
	int rc = cfg.newest ? inj_latest_patch_pod(a, &cfg, s->mesh, rv->object, rv->ns,
						  path ? path : "/inject", &patch, &info, &err)
			    : inj_patch_pod(a, &cfg, s->mesh, rv->object, rv->ns, &patch, &info, &err);
	pod_name(r, info.meta);
	copy_str(r->ns, sizeof r->ns, inj_str(info.meta, "namespace"));
	sbuf text = SBUF_INIT;
	if (rc != 0) {
		deny(r, rv->api, rv->kind, rv->uid, err.msg ? err.msg : "injection failed");
		r->limit = render_limit(&err);
	} else if (info.skipped) {
		r->decision = WH_SKIP;
		copy_str(r->reason, sizeof r->reason, info.skipped);
		head(r, rv->api, rv->kind, rv->uid, true);
		sbuf_puts(&r->body, "}}");
	} else if (json_write(&text, patch, JSON_ESCAPE_HTML, &err) != 0) {
		deny(r, rv->api, rv->kind, rv->uid, err.msg ? err.msg : "injection failed");
	} else {
		r->decision = WH_INJECT;
		head(r, rv->api, rv->kind, rv->uid, true);
		sbuf_puts(&r->body, ",\"patch\":\"");
		base64(&r->body, text.buf, text.len);
		sbuf_puts(&r->body, "\",\"patchType\":\"JSONPatch\"}}");
	}
	sbuf_free(&text);
	tmpl_error_clear(&err);
}

/* A path without proxy envs: its answer depends on the review alone (the memo's key). */
static bool plain_path(const char *path)
{
	return !path || strcmp(path, "/inject") == 0 || strcmp(path, "/inject/") == 0;
}

void wh_admit_ex(const wh_snap *s, tmpl_arena *a, const char *body, size_t len, bool full,
		 const char *path, const tmpl_exec_opts *lim, wh_result *r)
{
	r->reason[0] = r->uid[0] = r->ns[0] = r->name[0] = 0;
	r->limit = WH_LIMIT_NONE;
	wh_envelope env;
	scanned_kind k;
	review rv;
	/* A review of another version or kind is left to decode_full, which says why. */
	bool scanned = !full && wh_scan(body, len, &env) && scanned_kind_of(&env, &k);
	bool memo = scanned && s->memo && plain_path(path);
	uint64_t key = memo ? wh_memo_key(&env) : 0;
	if (memo && from_memo(s, &env, &k, key, r)) {
		wh_metrics_memo(true);
		return;
	}
	if (!(scanned && decode_scanned(a, &env, &k, &rv)) && !decode_full(a, body, len, &rv, r))
		return;
	answer(s, a, &rv, path, lim, r);
	/* A render stopped at a bound is not the answer for good: the clock, a client that
	 * left or the server's shutdown may have had a hand in it (the step, memory and
	 * output bounds would stop it again, but are not worth telling apart). */
	if (memo && r->limit == WH_LIMIT_NONE) {
		if (wh_memo_worth(s->memo, key))
			wh_memo_put(s->memo, &env, key, r);
		wh_metrics_memo(false);
	}
}

void wh_admit(const wh_snap *s, tmpl_arena *a, const char *body, size_t len, const char *path,
	      const tmpl_exec_opts *lim, wh_result *r)
{
	wh_admit_ex(s, a, body, len, false, path, lim, r);
}
