/* wh_admit.c: one AdmissionReview (admission.k8s.io/v1beta1 or v1) decoded, checked against the injection policy, injected, and answered as Istio answers it. */
#include "wh.h"

#include <stdio.h>
#include <string.h>

#include "inject/patch.h"
#include "json.h"

static void jstr(sbuf *b, const char *s, size_t n)
{
	tv v = {.kind = TV_STRING};
	v.u.s.ptr = s;
	v.u.s.len = n;
	tmpl_error e;
	tmpl_error_init(&e);
	if (json_write(b, &v, JSON_ESCAPE_HTML, &e) != 0)
		sbuf_puts(b, "\"\"");
	tmpl_error_clear(&e);
}

static void base64(sbuf *b, const char *s, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	sbuf_reserve(b, (n + 2) / 3 * 4 + 1);
	char *o = b->buf + b->len;
	size_t i = 0;
	for (; i + 2 < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = tab[(v >> 6) & 63];
		*o++ = tab[v & 63];
	}
	if (i < n) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		*o++ = '=';
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

/* A review whose envelope wh_scan read: the memo's answer, if it has one. */
static bool from_memo(const wh_snap *s, const wh_envelope *e, wh_result *r)
{
	const char *api = e->api_len ? e->api : V1BETA1, *kind = e->kind_len ? e->kind : REVIEW;
	size_t api_len = e->api_len ? e->api_len : strlen(V1BETA1);
	size_t kind_len = e->kind_len ? e->kind_len : strlen(REVIEW);
	if (!is(kind, kind_len, REVIEW) || !(is(api, api_len, V1BETA1) || is(api, api_len, V1)))
		return false;
	head_uid(r, api, api_len, kind, kind_len, e->uid ? e->uid : "", e->uid_len);
	if (!wh_memo_get(s->memo, e, r))
		return false;
	snprintf(r->uid, sizeof r->uid, "%.*s", (int)e->uid_len, e->uid ? e->uid : "");
	return true;
}

void wh_admit(const wh_snap *s, tmpl_arena *a, const char *body, size_t len, wh_result *r)
{
	tmpl_error err;
	tmpl_error_init(&err);
	char msg[1024];
	const tv *doc;
	r->reason[0] = r->uid[0] = r->ns[0] = r->name[0] = 0;
	wh_envelope env;
	bool memo = s->memo && wh_scan(body, len, &env);
	if (memo && from_memo(s, &env, r)) {
		wh_metrics_memo(true);
		return;
	}

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
	const char *api = inj_str(doc, "apiVersion"), *kind = inj_str(doc, "kind");
	if (!api || !*api)
		api = V1BETA1;
	if (!kind || !*kind)
		kind = REVIEW;
	if (strcmp(kind, REVIEW) != 0 || (strcmp(api, V1BETA1) != 0 && strcmp(api, V1) != 0)) {
		snprintf(msg, sizeof msg, "no kind \"%s\" is registered for version \"%s\"", kind,
			 api);
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
	const char *uid = inj_str(req, "uid");
	if (!uid)
		uid = "";
	copy_str(r->uid, sizeof r->uid, uid);
	const char *req_ns = inj_str(req, "namespace");

	inj_patch_info info;
	const tv *patch;
	int rc = inj_patch_pod(a, &s->cfg, s->mesh, inj_get(req, "object"), req_ns, &patch, &info,
			       &err);
	pod_name(r, info.meta);
	copy_str(r->ns, sizeof r->ns, inj_str(info.meta, "namespace"));
	if (rc != 0) {
		deny(r, api, kind, uid, err.msg ? err.msg : "injection failed");
		goto answered;
	}
	if (info.skipped) {
		r->decision = WH_SKIP;
		copy_str(r->reason, sizeof r->reason, info.skipped);
		head(r, api, kind, uid, true);
		sbuf_puts(&r->body, "}}");
		goto answered;
	}
	sbuf text = SBUF_INIT;
	if (json_write(&text, patch, JSON_ESCAPE_HTML, &err) != 0) {
		sbuf_free(&text);
		deny(r, api, kind, uid, err.msg ? err.msg : "injection failed");
		goto answered;
	}
	r->decision = WH_INJECT;
	head(r, api, kind, uid, true);
	sbuf_puts(&r->body, ",\"patch\":\"");
	base64(&r->body, text.buf, text.len);
	sbuf_free(&text);
	sbuf_puts(&r->body, "\",\"patchType\":\"JSONPatch\"}}");
answered:
	if (memo) {
		wh_memo_put(s->memo, &env, r);
		wh_metrics_memo(false);
	}
done:
	tmpl_error_clear(&err);
}
