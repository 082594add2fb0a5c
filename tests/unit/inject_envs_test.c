/* inject_envs_test.c: the newest webhook's proxy envs of an /inject URL path (inj_latest_inject_envs) against Istio's TestParseInjectEnvs table (pkg/kube/inject/webhook_test.go; its two URL-encoded paths as net/http decodes them); prints TAP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inject/patch.h"
#include "../runner/tap.h"

static int cmp_pair(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The map as "K=V;" pairs in key order (a Go map has none). */
static void flat(const tv *m, char *out, size_t size)
{
	char *pairs[32];
	size_t n = 0;
	for (size_t i = 0; m && m->kind == TV_MAP && i < m->u.map.len && n < 32; i++) {
		char buf[512];
		snprintf(buf, sizeof buf, "%s=%s;", m->u.map.pairs[i].key->u.s.ptr,
			 m->u.map.pairs[i].val->u.s.ptr);
		pairs[n++] = strdup(buf);
	}
	qsort(pairs, n, sizeof *pairs, cmp_pair);
	out[0] = 0;
	for (size_t i = 0; i < n; i++) {
		strncat(out, pairs[i], size - strlen(out) - 1);
		free(pairs[i]);
	}
}

static void check(const char *name, const char *path, const char *want)
{
	tmpl_arena *a = arena_new();
	char got[2048];
	flat(inj_latest_inject_envs(a, path), got, sizeof got);
	tap_is(got, want, name);
	arena_free(a);
}

int main(void)
{
	check("empty", "/", "");
	check("no-kv", "/inject", "");
	check("no-kv-with-tail", "/inject/", "");
	check("one-kv", "/inject/cluster/cluster1", "ISTIO_META_CLUSTER_ID=cluster1;");
	check("two-kv", "/inject/cluster/cluster1/net/network1/",
	      "ISTIO_META_CLUSTER_ID=cluster1;ISTIO_META_NETWORK=network1;");
	check("kv-with-slashes", "/inject/cluster/cluster--slash--1/net/network--slash--1",
	      "ISTIO_META_CLUSTER_ID=cluster/1;ISTIO_META_NETWORK=network/1;");
	check("not-predefined-kv", "/inject/cluster/cluster1/custom_env/foo",
	      "CUSTOM_ENV=foo;ISTIO_META_CLUSTER_ID=cluster1;");
	check("one-key-without-value", "/inject/cluster", "");
	check("key-without-value", "/inject/cluster/cluster1/network", "ISTIO_META_CLUSTER_ID=cluster1;");
	check("key-with-values-contain-slashes", "/inject/:ENV:cluster=cluster2:ENV:rootpage=/foo/bar",
	      "ISTIO_META_CLUSTER_ID=cluster2;ROOTPAGE=/foo/bar;");
	check("no-predefined-kv-with-values-contain-ENV-separator",
	      "/inject/rootpage1/value1/rootpage2/:ENV:abcd=efgh",
	      "ROOTPAGE1=value1;ROOTPAGE2=:ENV:abcd=efgh;");
	check("no-predefined-kv-with-values-contain-ENV-separator-invalid-format",
	      "/inject/:ENV:rootpage1=efgh:ENV:=abb:ENV:=", "ROOTPAGE1=efgh;");
	check("no-predefined-kv-with-mixed-values (decoded)", "/inject/rootpage1/foo/rootpage2/bar",
	      "ROOTPAGE1=foo;ROOTPAGE2=bar;");
	check("no-predefined-kv-with-slashes (decoded)",
	      "/inject/:ENV:rootpage1=/foo/bar:ENV:rootpage2=/bar/toe",
	      "ROOTPAGE1=/foo/bar;ROOTPAGE2=/bar/toe;");
	/* a Go map: a key given twice keeps its last value */
	check("repeated key (the last wins)", "/inject/net/n1/cluster/c1/net/n2",
	      "ISTIO_META_CLUSTER_ID=c1;ISTIO_META_NETWORK=n2;");
	return tap_done();
}
