/* whtool.c: the webhook tests' helper: turns a YAML pod into an AdmissionReview, a template into an injection config, an AdmissionReview response's base64 patch into JSON indented as Go's json.Indent does, and checks responses against Istio's Helm goldens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "json.h"
#include "latest_pods.h"
#include "patch_helm.h"
#include "sbuf.h"
#include "tmpl.h"
#include "yaml_emit.h"
#include "yaml_load.h"

static int fail(const char *msg, const tmpl_error *err)
{
	fprintf(stderr, "whtool: %s%s%s\n", msg, err ? ": " : "", err && err->msg ? err->msg : "");
	return 1;
}

static void json_string(sbuf *b, const char *s)
{
	json_write_string(b, s, strlen(s), 0);
}

/* A CREATE AdmissionReview of pod (ns NULL or empty: the request names none). */
static int review_json(sbuf *b, const char *api, const char *uid, const char *ns, const tv *pod,
		       tmpl_error *err)
{
	sbuf_puts(b, "{\"apiVersion\":");
	json_string(b, api);
	sbuf_puts(b, ",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":");
	json_string(b, uid);
	sbuf_puts(b, ",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
		     "\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},"
		     "\"operation\":\"CREATE\"");
	if (ns && *ns) {
		sbuf_puts(b, ",\"namespace\":");
		json_string(b, ns);
	}
	sbuf_puts(b, ",\"object\":");
	if (json_write(b, pod, 0, err) != 0)
		return -1;
	sbuf_puts(b, "}}\n");
	return 0;
}

/* review POD.yaml [apiVersion [uid [namespace]]]: the pod (first YAML document) as the
 * object of a CREATE AdmissionReview. */
static int review(int argc, char **argv)
{
	const char *api = argc > 3 ? argv[3] : "admission.k8s.io/v1beta1";
	const char *uid = argc > 4 ? argv[4] : "test-uid";
	const char *ns = argc > 5 ? argv[5] : NULL;
	tmpl_arena *a = arena_new();
	tmpl_error err;
	tmpl_error_init(&err);
	const tv *pod;
	sbuf b = SBUF_INIT;
	int rc = 1;
	if (yl_load_file_first(a, argv[2], &pod, &err) != 0) {
		rc = fail("cannot read the pod", &err);
		goto done;
	}
	if (review_json(&b, api, uid, ns, pod, &err) != 0) {
		rc = fail("cannot write the pod as JSON", &err);
		goto done;
	}
	fwrite(b.buf, 1, b.len, stdout);
	rc = 0;
done:
	sbuf_free(&b);
	tmpl_error_clear(&err);
	arena_free(a);
	return rc;
}

/* config TEMPLATE [POLICY]: an injection config in JSON ({policy, template}) with the
 * file's text as its template, byte for byte. */
static int config(int argc, char **argv)
{
	tmpl_error e;
	tmpl_error_init(&e);
	size_t tlen;
	char *tmpl = file_read(argv[2], &tlen, FILE_WORDS_C, &e);
	if (!tmpl)
		return fail("cannot read the template", &e);
	tmpl_error_clear(&e);
	sbuf b = SBUF_INIT;
	sbuf_puts(&b, "{\"policy\":");
	json_string(&b, argc > 3 ? argv[3] : "enabled");
	sbuf_puts(&b, ",\"template\":");
	json_string(&b, tmpl);
	sbuf_puts(&b, "}\n");
	fwrite(b.buf, 1, b.len, stdout);
	free(tmpl);
	sbuf_free(&b);
	return 0;
}

static int b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Standard base64 with padding, as Go's encoding/json writes a []byte. */
static int b64_decode(const char *s, size_t n, sbuf *out)
{
	if (n % 4)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;
		for (int k = 0; k < 4; k++) {
			if (s[i + k] == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
			} else if (pad || (v[k] = b64_value((unsigned char)s[i + k])) < 0) {
				return -1;
			}
		}
		unsigned w = (unsigned)v[0] << 18 | (unsigned)v[1] << 12 | (unsigned)v[2] << 6 |
			     (unsigned)v[3];
		char bytes[3] = {(char)(w >> 16), (char)(w >> 8), (char)w};
		sbuf_put(out, bytes, (size_t)(3 - pad));
	}
	return 0;
}

static void newline(sbuf *b, int depth)
{
	sbuf_putc(b, '\n');
	for (int i = 0; i < depth; i++)
		sbuf_puts(b, "  ");
}

/* Go's json.Indent(dst, src, "", "  "): tokens kept byte for byte, empty objects and
 * arrays compact, no trailing newline. */
static void indent(const char *s, size_t n, sbuf *b)
{
	int depth = 0;
	bool in_str = false, need_indent = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			sbuf_putc(b, c);
			if (c == '\\' && i + 1 < n)
				sbuf_putc(b, s[++i]);
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (need_indent && c != ']' && c != '}') {
			need_indent = false;
			depth++;
			newline(b, depth);
		}
		switch (c) {
		case '"':
			in_str = true;
			sbuf_putc(b, c);
			break;
		case '{': case '[':
			sbuf_putc(b, c);
			need_indent = true;
			break;
		case ',':
			sbuf_putc(b, c);
			newline(b, depth);
			break;
		case ':':
			sbuf_puts(b, ": ");
			break;
		case '}': case ']':
			if (need_indent) {
				need_indent = false; /* empty: stays compact */
			} else {
				depth--;
				newline(b, depth);
			}
			sbuf_putc(b, c);
			break;
		default:
			sbuf_putc(b, c);
		}
	}
}

/* patch: the AdmissionReview response on standard input; prints its decoded patch
 * indented, or fails when there is none or it is not a JSON array. */
static int patch(void)
{
	sbuf raw = SBUF_INIT, out = SBUF_INIT;
	tmpl_error err;
	tmpl_error_init(&err);
	size_t inlen;
	char *in = file_read("-", &inlen, FILE_WORDS_C, &err);
	if (!in)
		return fail("cannot read the response", &err);
	tmpl_arena *a = arena_new();
	const tv *doc, *resp, *p, *arr;
	int rc = 1;
	if (json_parse(a, in, inlen, 0, &doc, &err) != 0) {
		rc = fail("the response is not JSON", &err);
		goto done;
	}
	resp = doc->kind == TV_MAP ? tv_map_get(doc, "response", 8) : NULL;
	p = resp && resp->kind == TV_MAP ? tv_map_get(resp, "patch", 5) : NULL;
	if (!p || p->kind != TV_STRING) {
		rc = fail("the response has no patch", NULL);
		goto done;
	}
	if (b64_decode(p->u.s.ptr, p->u.s.len, &raw) != 0) {
		rc = fail("the patch is not base64", NULL);
		goto done;
	}
	if (json_parse(a, raw.buf ? raw.buf : "", raw.len, 0, &arr, &err) != 0 ||
	    arr->kind != TV_LIST) {
		rc = fail("the patch is not a JSON array", &err);
		goto done;
	}
	indent(raw.buf, raw.len, &out);
	fwrite(out.buf, 1, out.len, stdout);
	rc = 0;
done:
	free(in);
	sbuf_free(&raw);
	sbuf_free(&out);
	tmpl_error_clear(&err);
	arena_free(a);
	return rc;
}

/* Write b to path; 0 or -1. */
static int write_file(const char *path, const sbuf *b)
{
	FILE *f = fopen(path, "wb");
	int bad = !f || fwrite(b->buf, 1, b->len, f) != b->len;
	if (f && fclose(f) != 0)
		bad = 1;
	return bad ? -1 : 0;
}

/* The pods Istio's newest TestInjection makes of a file. */
static int latest_pods(tmpl_arena *a, const char *path, const tv ***pods, const char ***ns,
		       size_t *n, tmpl_error *err)
{
	size_t len;
	char *text = file_read(path, &len, FILE_WORDS_C, err);
	if (!text)
		return -1;
	int rc = lp_pods(a, path, text, len, pods, ns, n, err);
	free(text);
	return rc;
}

/* latest-reviews INPUT DIR [apiVersion]: for each injectable document I of INPUT,
 * DIR/pod-I.json (the pod the newest Istio's test makes of it), DIR/review-I.json
 * (a CREATE review of it, in the document's namespace) and DIR/ns-I (that namespace);
 * prints how many. */
static int latest_reviews(int argc, char **argv)
{
	const char *api = argc > 4 ? argv[4] : "admission.k8s.io/v1";
	tmpl_arena *a = arena_new();
	tmpl_error err;
	tmpl_error_init(&err);
	const tv **pods;
	const char **ns;
	size_t n;
	int rc = 1;
	if (latest_pods(a, argv[2], &pods, &ns, &n, &err) != 0) {
		rc = fail("cannot read the input", &err);
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		char path[4096], uid[32];
		sbuf b = SBUF_INIT, p = SBUF_INIT;
		snprintf(uid, sizeof uid, "latest-%zu", i);
		int bad = review_json(&b, api, uid, ns[i], pods[i], &err) != 0 ||
			  json_write(&p, pods[i], 0, &err) != 0;
		snprintf(path, sizeof path, "%s/review-%zu.json", argv[3], i);
		bad = bad || write_file(path, &b) != 0;
		snprintf(path, sizeof path, "%s/pod-%zu.json", argv[3], i);
		bad = bad || write_file(path, &p) != 0;
		p.len = 0;
		sbuf_puts(&p, ns[i] ? ns[i] : "");
		snprintf(path, sizeof path, "%s/ns-%zu", argv[3], i);
		bad = bad || write_file(path, &p) != 0;
		sbuf_free(&b);
		sbuf_free(&p);
		if (bad) {
			rc = fail("cannot write a review", &err);
			goto done;
		}
	}
	printf("%zu\n", n);
	rc = 0;
done:
	tmpl_error_clear(&err);
	arena_free(a);
	return rc;
}

/* json-review POD.json apiVersion uid [namespace]: a CREATE review of a JSON pod. */
static int json_review(int argc, char **argv)
{
	tmpl_arena *a = arena_new();
	tmpl_error err;
	tmpl_error_init(&err);
	size_t len;
	const tv *pod;
	sbuf b = SBUF_INIT;
	int rc = 1;
	char *text = file_read(argv[2], &len, FILE_WORDS_C, &err);
	if (!text || json_parse(a, text, len, 0, &pod, &err) != 0 ||
	    review_json(&b, argv[3], argv[4], argc > 5 ? argv[5] : NULL, pod, &err) != 0) {
		rc = fail("cannot make the review", &err);
		goto done;
	}
	fwrite(b.buf, 1, b.len, stdout);
	rc = 0;
done:
	free(text);
	sbuf_free(&b);
	tmpl_error_clear(&err);
	arena_free(a);
	return rc;
}

/* The injectable documents of a file, as Istio's TestHelmInject splits them. */
static int helm_docs(tmpl_arena *a, const char *path, const tv ***docs, size_t *n,
		     tmpl_error *err)
{
	size_t len;
	char *text = file_read(path, &len, FILE_WORDS_C, err);
	if (!text)
		return -1;
	int rc = ph_split(a, path, text, len, docs, n, err);
	free(text);
	return rc;
}

/* helm-reviews INPUT DIR: DIR/review-I.json, a v1beta1 review of the pod template of
 * each injectable document I of INPUT (no namespace); prints how many. */
static int helm_reviews(char **argv)
{
	tmpl_arena *a = arena_new();
	tmpl_error err;
	tmpl_error_init(&err);
	const tv **docs;
	size_t n;
	int rc = 1;
	if (helm_docs(a, argv[2], &docs, &n, &err) != 0) {
		rc = fail("cannot split the input", &err);
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		char path[4096], uid[32];
		sbuf b = SBUF_INIT;
		snprintf(path, sizeof path, "%s/review-%zu.json", argv[3], i);
		snprintf(uid, sizeof uid, "helm-%zu", i);
		FILE *f = fopen(path, "wb");
		int bad = !f || review_json(&b, "admission.k8s.io/v1beta1", uid, NULL,
					    ph_template(docs[i]), &err) != 0 ||
			  fwrite(b.buf, 1, b.len, f) != b.len;
		if (f && fclose(f) != 0)
			bad = 1;
		sbuf_free(&b);
		if (bad) {
			rc = fail("cannot write a review", &err);
			goto done;
		}
	}
	printf("%zu\n", n);
	rc = 0;
done:
	tmpl_error_clear(&err);
	arena_free(a);
	return rc;
}

/* The operations of a response's base64 patch; *patch is NOVALUE when the
 * response allows the pod without one. */
static int response_patch(tmpl_arena *a, const char *path, const tv **patch, tmpl_error *err)
{
	size_t len;
	sbuf raw = SBUF_INIT;
	char *in = file_read(path, &len, FILE_WORDS_C, err);
	const tv *doc, *resp, *p, *allowed;
	int rc = -1;
	*patch = TV_NOVALUE;
	if (!in || json_parse(a, in, len, 0, &doc, err) != 0)
		goto done;
	resp = doc->kind == TV_MAP ? tv_map_get(doc, "response", 8) : NULL;
	allowed = resp && resp->kind == TV_MAP ? tv_map_get(resp, "allowed", 7) : NULL;
	p = resp && resp->kind == TV_MAP ? tv_map_get(resp, "patch", 5) : NULL;
	if (!allowed || allowed->kind != TV_BOOL || !allowed->u.b) {
		tmpl_error_set(err, TMPL_ERR_DATA, path, 0, 0, "the pod is not allowed: %.300s", in);
		goto done;
	}
	if (!p) {
		rc = 0;
		goto done;
	}
	if (p->kind != TV_STRING || b64_decode(p->u.s.ptr, p->u.s.len, &raw) != 0) {
		tmpl_error_set(err, TMPL_ERR_DATA, path, 0, 0, "the patch is not base64");
		goto done;
	}
	rc = json_parse(a, raw.buf ? raw.buf : "", raw.len, 0, patch, err);
done:
	free(in);
	sbuf_free(&raw);
	return rc;
}

/* latest-check GOLDEN I POD.json RESPONSE.json OUT.json: the response's patch applied
 * to POD (written to OUT) equals the pod Istio's newest test makes of document I of
 * GOLDEN, compared as its test compares them (exit 0); else says where they part
 * (exit 1). */
static int latest_check(char **argv)
{
	tmpl_arena *a = arena_new();
	tmpl_error err;
	tmpl_error_init(&err);
	const tv **want, *ops, *got;
	const char **ns;
	size_t n, i = strtoul(argv[3], NULL, 10), len;
	sbuf where = SBUF_INIT, out = SBUF_INIT;
	int rc = 2, cmp;
	char *text = file_read(argv[4], &len, FILE_WORDS_C, &err);
	if (!text || json_parse(a, text, len, 0, &got, &err) != 0 ||
	    latest_pods(a, argv[2], &want, &ns, &n, &err) != 0) {
		fail("cannot read the pods", &err);
		goto done;
	}
	if (i >= n) {
		fail("no such document in the golden", NULL);
		goto done;
	}
	if (response_patch(a, argv[5], &ops, &err) != 0 ||
	    (ops && ops->kind == TV_LIST && ph_apply(a, got, ops, &got, &err) != 0) ||
	    json_write(&out, got, 0, &err) != 0 || write_file(argv[6], &out) != 0) {
		fail("cannot apply the patch", &err);
		goto done;
	}
	if ((cmp = lp_compare(a, got, want[i], &where, &err)) < 0) {
		fail("cannot compare", &err);
		goto done;
	}
	if (cmp) {
		fprintf(stderr, "whtool: the patched pod differs from the golden's %s\n", where.buf);
		rc = 1;
		goto done;
	}
	rc = 0;
done:
	free(text);
	sbuf_free(&where);
	sbuf_free(&out);
	tmpl_error_clear(&err);
	arena_free(a);
	return rc;
}

/* unchanged RESPONSE.json: the response allows the pod and changes nothing (no
 * patch, or one without operations); else prints what it holds (exit 1). */
static int unchanged(char **argv)
{
	tmpl_arena *a = arena_new();
	tmpl_error err;
	tmpl_error_init(&err);
	const tv *ops;
	int rc = 1;
	if (response_patch(a, argv[2], &ops, &err) != 0) {
		fail("no answer", &err);
	} else if (ops && ops->kind == TV_LIST && ops->u.list.len) {
		sbuf b = SBUF_INIT;
		json_write(&b, ops, 0, &err);
		fprintf(stderr, "whtool: %zu operations: %.600s\n", ops->u.list.len, b.buf);
		sbuf_free(&b);
	} else {
		rc = 0;
	}
	tmpl_error_clear(&err);
	arena_free(a);
	return rc;
}

/* helm-check INPUT GOLDEN I RESPONSE.json: document I of INPUT with the response's
 * patch applied to its pod template equals document I of GOLDEN after Istio's
 * scrubbing on both sides (exit 0), else says where they part (exit 1). */
static int helm_check(char **argv)
{
	tmpl_arena *a = arena_new();
	tmpl_error err;
	tmpl_error_init(&err);
	const tv **in, **want, *ops, *got, *exp;
	size_t nin, nwant, i = strtoul(argv[4], NULL, 10);
	sbuf g = SBUF_INIT, w = SBUF_INIT;
	int rc = 1;
	if (helm_docs(a, argv[2], &in, &nin, &err) != 0 ||
	    helm_docs(a, argv[3], &want, &nwant, &err) != 0) {
		rc = fail("cannot split the files", &err);
		goto done;
	}
	if (i >= nin || i >= nwant) {
		rc = fail("no such document", NULL);
		goto done;
	}
	got = in[i];
	if (response_patch(a, argv[5], &ops, &err) != 0 ||
	    (ops && ph_patched(a, in[i], ops, &got, &err) != 0) ||
	    ph_scrub(a, got, &got, &err) != 0 || ph_scrub(a, want[i], &exp, &err) != 0 ||
	    ye_emit(&g, got, YE_RULES_ISTIO_1_1, &err) != 0 ||
	    ye_emit(&w, exp, YE_RULES_ISTIO_1_1, &err) != 0) {
		rc = fail("cannot compare", &err);
		goto done;
	}
	if (strcmp(g.buf, w.buf) != 0) {
		size_t k = 0, line = 1;
		for (; g.buf[k] && g.buf[k] == w.buf[k]; k++)
			line += g.buf[k] == '\n';
		fprintf(stderr, "whtool: document %zu differs from line %zu of its YAML\n", i, line);
		goto done;
	}
	rc = 0;
done:
	sbuf_free(&g);
	sbuf_free(&w);
	tmpl_error_clear(&err);
	arena_free(a);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "review") == 0)
		return review(argc, argv);
	if (argc == 2 && strcmp(argv[1], "patch") == 0)
		return patch();
	if (argc >= 3 && strcmp(argv[1], "config") == 0)
		return config(argc, argv);
	if (argc == 4 && strcmp(argv[1], "helm-reviews") == 0)
		return helm_reviews(argv);
	if (argc == 6 && strcmp(argv[1], "helm-check") == 0)
		return helm_check(argv);
	if (argc >= 4 && strcmp(argv[1], "latest-reviews") == 0)
		return latest_reviews(argc, argv);
	if (argc >= 5 && strcmp(argv[1], "json-review") == 0)
		return json_review(argc, argv);
	if (argc == 7 && strcmp(argv[1], "latest-check") == 0)
		return latest_check(argv);
	if (argc == 3 && strcmp(argv[1], "unchanged") == 0)
		return unchanged(argv);
	fprintf(stderr, "usage: whtool review POD.yaml [apiVersion [uid [namespace]]]\n"
			"       whtool patch <RESPONSE.json\n"
			"       whtool config TEMPLATE [POLICY]\n"
			"       whtool helm-reviews INPUT DIR\n"
			"       whtool helm-check INPUT GOLDEN I RESPONSE.json\n"
			"       whtool latest-reviews INPUT DIR [apiVersion]\n"
			"       whtool json-review POD.json apiVersion uid [namespace]\n"
			"       whtool latest-check GOLDEN I POD.json RESPONSE.json OUT.json\n"
			"       whtool unchanged RESPONSE.json\n");
	return 2;
}
