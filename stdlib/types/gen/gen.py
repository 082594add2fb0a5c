#!/usr/bin/env python3
"""gen.py: writes the type tables of stdlib/types/ from Go type declarations.

Usage: gen.py SRCDIR OUTDIR, where SRCDIR holds the Go files named in SOURCES
below (see README). It reads struct declarations, named types, protobuf enum
name maps and oneof wrappers, keeps every type reachable from ROOTS, and
writes one C file per API group plus tables.h and registry_keys.inc.
"""

import os
import re
import sys

# file -> (package id, Go package name as %T prints it, group of the C file)
SOURCES = [
	("meta_v1.go", "metav1", "v1", "k8s_meta"),
	("k8s_core_v1.go", "corev1", "v1", "k8s_core"),
	("k8s_extensions_v1beta1.go", "extv1beta1", "v1beta1", "k8s_apps"),
	("k8s_apps_v1beta1.go", "appsv1beta1", "v1beta1", "k8s_apps"),
	("k8s_apps_v1.go", "appsv1", "v1", "k8s_apps"),
	("k8s_batch_v1.go", "batchv1", "v1", "k8s_batch"),
	("k8s_batch_v1beta1.go", "batchv1beta1", "v1beta1", "k8s_batch"),
	("k8s_batch_v2alpha1.go", "batchv2alpha1", "v2alpha1", "k8s_batch"),
	("openshift_apps_v1.go", "ocappsv1", "v1", "openshift"),
	# The newest Kubernetes and OpenShift (as the newest Istio builds with them),
	# under their own package ids and only qualified registry keys ("latest/...").
	("metalatest_v1.go", "metav1L", "v1", "k8s_latest_apps", "", "L"),
	("k8slatest_core_v1.go", "corev1L", "v1", "k8s_latest_core", "", "L"),
	("k8slatest_apps_v1.go", "appsv1L", "v1", "k8s_latest_apps", "", "L"),
	("k8slatest_batch_v1.go", "batchv1L", "v1", "k8s_latest_apps", "", "L"),
	("openshiftlatest_apps_v1.go", "ocappsv1L", "v1", "k8s_latest_apps", "", "L"),
	# Istio mesh config: the newest, then 1.1; both merge into one package (the newest
	# field types win, except for OLD_WINS).
	("istiom_config.pb.go", "mesh", "meshconfig", "istio_mesh", "new"),
	("istiom_proxy.pb.go", "mesh", "meshconfig", "istio_mesh", "new"),
	("istiom_network.pb.go", "mesh", "meshconfig", "istio_mesh", "new"),
	("istio11_config.pb.go", "mesh", "meshconfig", "istio_mesh", "1.1"),
	("istio11_proxy.pb.go", "mesh", "meshconfig", "istio_mesh", "1.1"),
	("istio11_network.pb.go", "mesh", "meshconfig", "istio_mesh", "1.1"),
	("istiom_networking_v1alpha3_destination_rule.pb.go", "netv1alpha3", "v1alpha3", "istio_net"),
	("istiom_networking_v1alpha3_sidecar.pb.go", "netv1alpha3", "v1alpha3", "istio_net"),
	("istiom_networking_v1alpha3_workload_entry.pb.go", "netv1alpha3", "v1alpha3", "istio_net"),
	("istiom_networking_v1alpha3_workload_group.pb.go", "netv1alpha3", "v1alpha3", "istio_net"),
	("istiom_networking_v1alpha3_virtual_service.pb.go", "netv1alpha3", "v1alpha3", "istio_net"),
	("istiom_networking_v1alpha3_gateway.pb.go", "netv1alpha3", "v1alpha3", "istio_net"),
	("istiom_networking_v1beta1_proxy_config.pb.go", "netv1beta1", "v1beta1", "istio_net"),
	("istiom_type_v1beta1_selector.pb.go", "typev1beta1", "v1beta1", "istio_net"),
]

IMPORTS = {
	"k8s.io/api/core/v1": "corev1",
	"k8s.io/apimachinery/pkg/apis/meta/v1": "metav1",
	"k8s.io/api/batch/v1": "batchv1",
	"k8s.io/apimachinery/pkg/api/resource": "resource",
	"k8s.io/apimachinery/pkg/types": "k8stypes",
	"k8s.io/apimachinery/pkg/util/intstr": "intstr",
	"k8s.io/apimachinery/pkg/runtime": "runtime",
	# gogo's well-known types are named as the newest Go code names them, so
	# that the union of 1.1 and the newest mesh config has one type per field.
	"github.com/gogo/protobuf/types": "pbtypes",
	"github.com/golang/protobuf/ptypes/duration": "durationpb",
	"github.com/golang/protobuf/ptypes/struct": "structpb",
	"github.com/golang/protobuf/ptypes/wrappers": "wrapperspb",
	"github.com/golang/protobuf/ptypes/any": "anypb",
	"google.golang.org/protobuf/types/known/durationpb": "durationpb",
	"google.golang.org/protobuf/types/known/structpb": "structpb",
	"google.golang.org/protobuf/types/known/wrapperspb": "wrapperspb",
	"google.golang.org/protobuf/types/known/anypb": "anypb",
	"istio.io/api/networking/v1alpha3": "netv1alpha3",
	"istio.io/api/networking/v1beta1": "netv1beta1",
	"istio.io/api/type/v1beta1": "typev1beta1",
}

# Roots: (package id, type name).
ROOTS = [
	("metav1", "TypeMeta"), ("metav1", "ObjectMeta"), ("metav1", "ListMeta"),
	("corev1", "List"), ("corev1", "Pod"), ("corev1", "PodSpec"), ("corev1", "PodStatus"),
	("corev1", "PodTemplateSpec"), ("corev1", "ReplicationController"),
	("corev1", "PersistentVolumeClaim"),
	("extv1beta1", "Deployment"), ("extv1beta1", "DaemonSet"), ("extv1beta1", "ReplicaSet"),
	("appsv1beta1", "StatefulSet"),
	("appsv1", "Deployment"), ("appsv1", "DaemonSet"), ("appsv1", "ReplicaSet"),
	("appsv1", "StatefulSet"),
	("batchv1", "Job"), ("batchv1beta1", "CronJob"), ("batchv1beta1", "JobTemplateSpec"),
	("batchv2alpha1", "CronJob"), ("batchv2alpha1", "JobTemplateSpec"),
	("ocappsv1", "DeploymentConfig"),
	("metav1L", "TypeMeta"), ("metav1L", "ObjectMeta"), ("metav1L", "ListMeta"),
	("corev1L", "List"), ("corev1L", "Pod"), ("corev1L", "PodSpec"), ("corev1L", "PodStatus"),
	("corev1L", "PodTemplateSpec"), ("corev1L", "ReplicationController"),
	("corev1L", "PersistentVolumeClaim"),
	("appsv1L", "Deployment"), ("appsv1L", "DaemonSet"), ("appsv1L", "ReplicaSet"),
	("appsv1L", "StatefulSet"), ("batchv1L", "Job"), ("batchv1L", "CronJob"),
	("batchv1L", "JobTemplateSpec"), ("ocappsv1L", "DeploymentConfig"),
	("mesh", "MeshConfig"), ("mesh", "ProxyConfig"), ("mesh", "MeshNetworks"),
	("inject", "SidecarTemplateData"), ("inject", "SidecarInjectionSpec"), ("inject", "Config"),
	("injectL", "SidecarTemplateData"), ("injectL", "Config"),
]

# Qualified registry keys (group/version.Name) for these package ids.
QUALIFIED = {
	"metav1": "meta/v1", "corev1": "core/v1", "extv1beta1": "extensions/v1beta1",
	"appsv1beta1": "apps/v1beta1", "appsv1": "apps/v1", "batchv1": "batch/v1",
	"batchv1beta1": "batch/v1beta1", "batchv2alpha1": "batch/v2alpha1",
	"ocappsv1": "apps.openshift.io/v1", "netv1alpha3": "networking/v1alpha3",
	"netv1beta1": "networking/v1beta1", "typev1beta1": "type/v1beta1",
	"metav1L": "latest/meta/v1", "corev1L": "latest/core/v1", "appsv1L": "latest/apps/v1",
	"batchv1L": "latest/batch/v1", "ocappsv1L": "latest/apps.openshift.io/v1",
	"injectL": "latest/inject", "meshL": "latest/meshconfig",
}
# The newest Kubernetes: package ids known only by qualified keys.
LATEST_IDS = {"metav1L", "corev1L", "appsv1L", "batchv1L", "ocappsv1L", "injectL", "meshL"}
# Which package a short, ambiguous Go name ("v1.DeploymentStrategy") means.
PRIORITY = ["corev1", "metav1", "extv1beta1", "appsv1beta1", "batchv1beta1", "appsv1",
	    "batchv1", "ocappsv1", "mesh", "netv1alpha3", "netv1beta1", "typev1beta1",
	    "inject"]

# The injector's own structs (Istio 1.1, pilot/pkg/kube/inject): field, type, JSON name, flags.
# SidecarTemplateData has no tags; SidecarInjectionSpec has only `yaml:` tags (JSON
# names are these, matched case-insensitively by Go's decoder).
INJECT = {
	"SidecarTemplateData": [
		("DeploymentMeta", "*metav1.ObjectMeta", "DeploymentMeta", ""),
		("ObjectMeta", "*metav1.ObjectMeta", "ObjectMeta", ""),
		("Spec", "*corev1.PodSpec", "Spec", ""),
		("ProxyConfig", "*meshconfig.ProxyConfig", "ProxyConfig", ""),
		("MeshConfig", "*meshconfig.MeshConfig", "MeshConfig", ""),
	],
	"SidecarInjectionSpec": [
		("RewriteAppHTTPProbe", "bool", "rewriteAppHTTPProbe", ""),
		("InitContainers", "[]corev1.Container", "initContainers", ""),
		("Containers", "[]corev1.Container", "containers", ""),
		("Volumes", "[]corev1.Volume", "volumes", ""),
		("DNSConfig", "*corev1.PodDNSConfig", "dnsConfig", ""),
		("ImagePullSecrets", "[]corev1.LocalObjectReference", "imagePullSecrets", ""),
	],
	"Config": [
		("Policy", "InjectionPolicy", "policy", ""),
		("Template", "string", "template", ""),
		("NeverInjectSelector", "[]metav1.LabelSelector", "neverInjectSelector", ""),
		("AlwaysInjectSelector", "[]metav1.LabelSelector", "alwaysInjectSelector", ""),
	],
}

# Fields whose 1.1 type is kept in the union (1.1 templates compare them as numbers).
OLD_WINS = {("ProxyConfig", "Concurrency")}
# Mesh messages the union cannot stand for in the newest Istio: OLD_WINS types, or
# 1.1-only fields that protoToJSON would print. They get a second declaration,
# "meshL" ("latest/meshconfig.X", printed as meshconfig.X), with the newest
# istio/api's fields only, in its order and types; the mesh types they reach are
# the union's unless listed here too.
LATEST_MESH = ("ProxyConfig", "MeshConfig")

BUILTINS = {
	"string": "TK_STRING", "bool": "TK_BOOL", "any": "TK_ANY", "int": "TK_INT", "int32": "TK_INT",
	"int64": "TK_INT", "uint32": "TK_UINT", "uint64": "TK_UINT", "float32": "TK_FLOAT",
	"float64": "TK_FLOAT",
}

# The newest injector's structs (istio/istio 86c9f01f, pkg/kube/inject/inject.go).
INJECT_LATEST = {
	"SidecarTemplateData": [
		("TypeMeta", "metav1.TypeMeta", "TypeMeta", ""),
		("DeploymentMeta", "k8stypes.NamespacedName", "DeploymentMeta", ""),
		("ObjectMeta", "metav1.ObjectMeta", "ObjectMeta", ""),
		("Spec", "corev1.PodSpec", "Spec", ""),
		("ProxyConfig", "*meshconfig.ProxyConfig", "ProxyConfig", ""),
		("MeshConfig", "*meshconfig.MeshConfig", "MeshConfig", ""),
		("Values", "map[string]any", "Values", ""),
		("Revision", "string", "Revision", ""),
		("NativeSidecars", "bool", "NativeSidecars", ""),
		("ProxyImage", "string", "ProxyImage", ""),
		("ProxyInitImage", "string", "ProxyInitImage", ""),
		("ProxyUID", "int64", "ProxyUID", ""),
		("ProxyGID", "int64", "ProxyGID", ""),
		("InboundTrafficPolicyMode", "string", "InboundTrafficPolicyMode", ""),
		("CompliancePolicy", "string", "CompliancePolicy", ""),
	],
	"Config": [
		("Policy", "InjectionPolicy", "policy", ""),
		("DefaultTemplates", "[]string", "defaultTemplates", ""),
		("RawTemplates", "RawTemplates", "templates", ""),
		("Aliases", "map[string][]string", "aliases", ""),
		("NeverInjectSelector", "[]metav1.LabelSelector", "neverInjectSelector", ""),
		("AlwaysInjectSelector", "[]metav1.LabelSelector", "alwaysInjectSelector", ""),
		("InjectedAnnotations", "map[string]string", "injectedAnnotations", ""),
	],
}
# k8s.io/apimachinery/pkg/types.NamespacedName (no JSON tags)
NAMESPACED_NAME = [("Namespace", "string", "Namespace", ""), ("Name", "string", "Name", "")]

# Types from outside the parsed packages: (package id, name) -> (kind, Go name, extra).
SPECIAL = {
	("resource", "Quantity"): ("TK_QUANTITY", "resource.Quantity"),
	("intstr", "IntOrString"): ("TK_INTORSTR", "intstr.IntOrString"),
	("metav1", "Time"): ("TK_TIME", "v1.Time"),
	("metav1", "MicroTime"): ("TK_TIME", "v1.MicroTime"),
	("metav1", "Duration"): ("TK_STRING", "v1.Duration"),
	("metav1", "FieldsV1"): ("TK_ANY", "v1.FieldsV1"),
	("k8stypes", "UID"): ("TK_STRING", "types.UID"),
	("runtime", "RawExtension"): ("TK_ANY", "runtime.RawExtension"),
	("runtime", "Object"): ("TK_ANY", "runtime.Object"),
	("durationpb", "Duration"): ("TK_DURATION", "durationpb.Duration"),
	("structpb", "Struct"): ("TK_ANY", "structpb.Struct"),
	("anypb", "Any"): ("TK_ANY", "anypb.Any"),
}
WRAPPERS = {"BoolValue": "bool", "Int32Value": "int32", "Int64Value": "int64",
	    "UInt32Value": "uint32", "UInt64Value": "uint64", "FloatValue": "float32",
	    "DoubleValue": "float64", "StringValue": "string"}
# Pointers to these are the value itself (Go's nil is the zero value).
PTR_COLLAPSE = {"TK_DURATION", "TK_ANY"}

GROUP_OF = {"inject": "istio_inject", "injectL": "istio_inject", "meshL": "istio_mesh_latest", "resource": "k8s_meta", "intstr": "k8s_meta",
	    "k8stypes": "k8s_meta", "runtime": "k8s_meta", 
	    "durationpb": "istio_mesh", "structpb": "istio_mesh", "anypb": "istio_mesh",
	    "wrapperspb": "istio_mesh", "go": "scalars"}
for s in SOURCES:
	GROUP_OF[s[1]] = s[3]


class Decl:
	"""One Go type declaration: struct fields, a named type or an enum."""
	def __init__(self, pkg, name, ctx):
		self.pkg, self.name, self.ctx = pkg, name, ctx
		self.fields = None      # [(go_name, type_expr, json_name, flags, ctx, origin)]
		self.underlying = None  # type expression of a non-struct named type
		self.enum = None        # {number: name}


decls = {}        # (pkg, name) -> Decl
oneofs = {}       # (pkg, version, interface) -> [wrapper names]
wrapper_field = {}  # (pkg, version, wrapper) -> field tuple
conflicts = []


def strip_comment(line):
	if line.lstrip().startswith("//"):
		return ""
	out, inq = [], False
	i = 0
	while i < len(line):
		c = line[i]
		if c == '`':
			inq = not inq
		if not inq and line.startswith("//", i):
			break
		out.append(c)
		i += 1
	return "".join(out).strip()


def tag_value(tag, key):
	m = re.search(r'\b' + key + r':"([^"]*)"', tag or "")
	return m.group(1) if m else None


def parse_file(path, pkg, version, suffix=""):
	text = open(path, encoding="utf-8").read()
	text = re.sub(r'(?m)^[ \t]*/\*.*?\*/', "", text, flags=re.S)
	ctx = {"pkg": pkg, "imports": {}}
	for m in re.finditer(r'^\s*(?:import\s+)?([A-Za-z_][A-Za-z0-9_]*\s+)?"([^"]+)"\s*$', text, re.M):
		alias, ipath = (m.group(1) or "").strip(), m.group(2)
		if ipath in IMPORTS:
			target = IMPORTS[ipath]
			if suffix and target + suffix in LATEST_IDS:
				target += suffix
			ctx["imports"][alias or ipath.rsplit("/", 1)[-1]] = target
	lines = text.split("\n")
	proto = path.endswith(".pb.go")
	i = 0
	while i < len(lines):
		line = lines[i]
		m = re.match(r'^type (\w+) struct \{\s*$', line)
		if m:
			name = m.group(1)
			body = []
			i += 1
			while not lines[i].startswith("}"):
				body.append(lines[i])
				i += 1
			fields = []
			for b in body:
				b = strip_comment(b)
				if not b:
					continue
				tag = None
				if '`' in b:
					b, tag = b.split('`', 1)[0].strip(), b.split('`')[1]
				parts = b.split()
				if len(parts) == 1:
					fname, texpr = parts[0].lstrip("*").split(".")[-1], parts[0]
					embedded = True
				else:
					fname, texpr, embedded = parts[0], " ".join(parts[1:]), False
				if not fname[0].isupper() or fname.startswith("XXX_"):
					continue
				if proto:
					if tag and "protobuf_oneof" in tag:
						fields.append((fname, texpr, None, "ONEOF", ctx, version))
						continue
					pt = tag_value(tag, "protobuf") or ""
					opts = dict(p.split("=", 1) for p in pt.split(",") if "=" in p)
					jname = opts.get("json", opts.get("name", fname))
					if ",oneof" in pt:
						wrapper_field[(pkg, version, name)] = (fname, texpr, jname, "TF_OMITEMPTY", ctx, version)
					fields.append((fname, texpr, jname, "TF_OMITEMPTY", ctx, version))
					continue
				jt = tag_value(tag, "json")
				if jt == "-":
					continue
				flags = []
				jname = fname
				if jt is not None:
					opts = jt.split(",")
					jname = opts[0] or (None if "inline" in opts[1:] else fname)
					if "omitempty" in opts[1:]:
						flags.append("TF_OMITEMPTY")
					if "omitzero" in opts[1:]:
						flags.append("TF_OMITZERO")
					if "inline" in opts[1:]:
						flags.append("TF_INLINE")
						jname = ""
				elif embedded:
					flags.append("TF_INLINE")
					jname = ""
				fields.append((fname, texpr, jname, "|".join(flags) or "0", ctx, version))
			add_struct(pkg, name, fields, ctx, version)
			i += 1
			continue
		m = re.match(r'^type (\w+) (\S.*)$', line)
		if m and not m.group(2).startswith(("interface", "struct", "=")):
			name, under = m.group(1), strip_comment(m.group(2))
			d = decls.get((pkg, name)) or Decl(pkg, name, ctx)
			if d.underlying is None:
				d.underlying = under
				d.ctx = ctx
			decls[(pkg, name)] = d
		m = re.match(r'^\s*(?:var )?(\w+)_name = map\[int32\]string\{', line)
		if m:
			name = m.group(1)
			i += 1
			d = decls.setdefault((pkg, name), Decl(pkg, name, ctx))
			if d.enum is None:
				d.enum = {}
			while not lines[i].strip().startswith("}"):
				mm = re.match(r'^\s*(-?\d+):\s*"(\w+)",', lines[i])
				if mm:
					num = int(mm.group(1))
					if num in d.enum and d.enum[num] != mm.group(2):
						conflicts.append("enum %s: %d is %s and %s" % (name, num, d.enum[num], mm.group(2)))
					d.enum.setdefault(num, mm.group(2))
				i += 1
		m = re.match(r'^func \(\*(\w+)\) (is\w+)\(\) \{\}', line)
		if m:
			lst = oneofs.setdefault((pkg, version, m.group(2)), [])
			if m.group(1) not in lst:
				lst.append(m.group(1))
		i += 1


def add_struct(pkg, name, fields, ctx, version):
	d = decls.get((pkg, name)) or Decl(pkg, name, ctx)
	decls[(pkg, name)] = d
	if d.fields is None:
		d.fields, d.ctx = [], ctx
	d.versions = getattr(d, "versions", []) + [(version, fields)]


def finish_structs():
	"""Expands oneofs into their members and merges the versions of a struct."""
	for (pkg, name), d in decls.items():
		vs = getattr(d, "versions", None)
		if not vs:
			continue
		d.fields = []
		d.by_version = {}
		for version, fields in vs:
			out = []
			for f in fields:
				if f[3] == "ONEOF":
					for w in oneofs.get((pkg, version, f[1]), []):
						out.append(wrapper_field[(pkg, version, w)])
				else:
					out.append(f)
			d.by_version[version] = out
			merge_fields(d, name, out)


def merge_fields(d, name, fields):
	if not d.fields:
		d.fields = fields
		return
	# Union of two versions: keep the first one's fields and their types (but
	# see OLD_WINS), insert the other's own fields after their nearest neighbour.
	old = d.fields
	names = [f[0] for f in old]
	merged = list(old)
	prev = None
	for f in fields:
		if f[0] in names:
			o = old[names.index(f[0])]
			pbnorm = lambda t: re.sub(r'\b(types|duration|wrappers|_struct)\.', "pb.", t)
			if pbnorm(o[1]) != pbnorm(f[1]):
				conflicts.append("%s.%s: %s (%s) vs %s (%s)" % (name, f[0], o[1], o[5], f[1], f[5]))
				if (name, f[0]) in OLD_WINS:
					merged[[g[0] for g in merged].index(f[0])] = f
			prev = f[0]
			continue
		at = 0 if prev is None else [g[0] for g in merged].index(prev) + 1
		merged.insert(at, f)
		prev = f[0]
	d.fields = merged


# Type nodes: id -> dict(kind, go, elem, fields, enum, named, pkg, group)
nodes = {}
named_keys = {}


def resolve(texpr, ctx):
	"""Resolves a type expression to a node id."""
	texpr = texpr.strip()
	if texpr == "[]byte":
		return mk("go_bytes", "TK_BYTES", "[]uint8", "scalars")
	if texpr.startswith("*"):
		e = resolve(texpr[1:], ctx)
		en = nodes[e]
		if en["kind"] in PTR_COLLAPSE:
			return mk("P_" + e, en["kind"], "*" + en["go"], en["group"])
		return mk("P_" + e, "TK_PTR", "*" + en["go"], en["group"], elem=e)
	if texpr.startswith("[]"):
		e = resolve(texpr[2:], ctx)
		return mk("S_" + e, "TK_SLICE", "[]" + nodes[e]["go"], nodes[e]["group"], elem=e)
	if texpr.startswith("map["):
		depth, j = 0, 3
		while True:
			if texpr[j] == "[":
				depth += 1
			elif texpr[j] == "]":
				depth -= 1
				if depth == 0:
					break
			j += 1
		k = resolve(texpr[4:j], ctx)
		e = resolve(texpr[j + 1:], ctx)
		return mk("M_" + k + "_" + e, "TK_MAP", "map[%s]%s" % (nodes[k]["go"], nodes[e]["go"]),
			  nodes[e]["group"], elem=e)
	if texpr in BUILTINS:
		go = "interface {}" if texpr == "any" else texpr
		return mk("go_" + texpr, BUILTINS[texpr], go, "scalars")
	if "." in texpr:
		alias, name = texpr.split(".", 1)
		pkg = ctx["imports"].get(alias)
		if pkg is None:
			raise SystemExit("unknown package %s in %s" % (alias, texpr))
	else:
		pkg, name = ctx["pkg"], texpr
	return named(pkg, name)


def mk(nid, kind, go, group, elem=None, **kw):
	if nid not in nodes:
		nodes[nid] = dict(kind=kind, go=go, elem=elem, group=group, fields=None, enum=None,
				  pkg=None, name=None)
		nodes[nid].update(kw)
	return nid


PKGNAME = {s[1]: s[2] for s in SOURCES}
PKGNAME["inject"] = PKGNAME["injectL"] = "inject"
PKGNAME["meshL"] = "meshconfig"
PKGNAME["k8stypes"] = "types"


def named(pkg, name):
	if pkg in LATEST_IDS and (pkg[:-1], name) in SPECIAL:
		pkg = pkg[:-1]
	if pkg == "meshL" and ("meshL", name) not in decls:
		pkg = "mesh"
	nid = pkg + "_" + name
	if nid in nodes:
		return nid
	if (pkg, name) in SPECIAL:
		kind, go = SPECIAL[(pkg, name)]
		return mk(nid, kind, go, GROUP_OF[pkg], pkg=pkg, name=name)
	if pkg == "pbtypes":
		pkg = {"Duration": "durationpb", "Struct": "structpb", "Any": "anypb"}.get(name, "wrapperspb")
		nid = pkg + "_" + name
		if nid in nodes:
			return nid
	if (pkg, name) in SPECIAL:
		kind, go = SPECIAL[(pkg, name)]
		return mk(nid, kind, go, GROUP_OF[pkg], pkg=pkg, name=name)
	if pkg == "wrapperspb" and name in WRAPPERS:
		go = "wrapperspb." + name
		mk(nid, "TK_STRUCT", go, "istio_mesh", pkg=pkg, name=name)
		v = resolve(WRAPPERS[name], {"pkg": "go", "imports": {}})
		nodes[nid]["fields"] = [("Value", "value", v, "TF_OMITEMPTY")]
		return nid
	d = decls.get((pkg, name))
	if d is None:
		raise SystemExit("unknown type %s.%s" % (pkg, name))
	go = PKGNAME[pkg] + "." + name
	if d.enum is not None:
		return mk(nid, "TK_ENUM", go, GROUP_OF[pkg], pkg=pkg, name=name, enum=d.enum)
	if d.fields is not None:
		mk(nid, "TK_STRUCT", go, GROUP_OF[pkg], pkg=pkg, name=name)
		out = []
		for (fname, texpr, jname, flags, ctx, origin) in d.fields:
			out.append((fname, jname, resolve(texpr, ctx), flags))
		nodes[nid]["fields"] = out
		return nid
	u = resolve(d.underlying, d.ctx)
	un = nodes[u]
	return mk(nid, un["kind"], go, GROUP_OF[pkg], elem=un["elem"], pkg=pkg, name=name,
		  fields=un["fields"], enum=un["enum"])


def cname(nid):
	return "types_" + re.sub(r'[^A-Za-z0-9_]', "_", nid)


def cstr(s):
	return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


HEADS = {
	"scalars": "Go's predeclared types and their pointers, slices and maps, as type descriptions.",
	"k8s_meta": "Type descriptions of k8s.io/apimachinery: meta/v1 (TypeMeta, ObjectMeta, ListMeta, LabelSelector), Quantity, IntOrString, UID.",
	"k8s_core": "Type descriptions of Kubernetes core/v1 (1.11, as Istio 1.1 vendored it): Pod, PodSpec and all they reach, ReplicationController, PersistentVolumeClaim, List.",
	"k8s_apps": "Type descriptions of Kubernetes extensions/v1beta1, apps/v1beta1 and apps/v1 (1.11, as Istio 1.1 vendored them): Deployment, DaemonSet, ReplicaSet, StatefulSet.",
	"k8s_batch": "Type descriptions of Kubernetes batch/v1, batch/v1beta1 and batch/v2alpha1 (1.11, as Istio 1.1 vendored them): Job, CronJob, JobTemplateSpec.",
	"openshift": "Type descriptions of OpenShift apps.openshift.io/v1: DeploymentConfig and all it reaches.",
	"istio_mesh": "Type descriptions of Istio's mesh config (meshconfig.MeshConfig, meshconfig.ProxyConfig): the union of Istio 1.1 and the newest istio/api, with protobuf well-known types.",
	"istio_mesh_latest": "Type descriptions of the newest Istio's meshconfig.MeshConfig and meshconfig.ProxyConfig (istio/api master), where they differ from the union in istio_mesh.c.",
	"istio_net": "Type descriptions of the istio/api networking and type messages that the newest mesh config reaches.",
	"k8s_latest_core": "Type descriptions of the newest Kubernetes core/v1 (k8s.io/api v0.36.1): Pod, PodSpec and all they reach, as the newest Istio decodes them.",
	"k8s_latest_apps": "Type descriptions of the newest Kubernetes meta/v1, apps/v1, batch/v1 (v0.36.1) and OpenShift apps/v1: the workloads the newest Istio decodes.",
	"istio_inject": "Type descriptions of Istio's injector: 1.1's SidecarTemplateData (the template's data), SidecarInjectionSpec (the rendered template) and Config; the newest SidecarTemplateData and Config.",
}


def main():
	src, out = sys.argv[1], sys.argv[2]
	for s in SOURCES:
		parse_file(os.path.join(src, s[0]), s[1], s[4] if len(s) > 4 else "",
			   s[5] if len(s) > 5 else "")
	ictx = {"pkg": "inject", "imports": {"corev1": "corev1", "metav1": "metav1", "meshconfig": "mesh"}}
	decls[("inject", "InjectionPolicy")] = Decl("inject", "InjectionPolicy", ictx)
	decls[("inject", "InjectionPolicy")].underlying = "string"
	for name, fl in INJECT.items():
		d = Decl("inject", name, ictx)
		d.fields = [(f, t, j, fg or "0", ictx, "") for (f, t, j, fg) in fl]
		decls[("inject", name)] = d
	lctx = {"pkg": "injectL", "imports": {"corev1": "corev1L", "metav1": "metav1L",
					      "meshconfig": "meshL", "k8stypes": "k8stypes"}}
	for name, under in (("InjectionPolicy", "string"), ("RawTemplates", "map[string]string")):
		decls[("injectL", name)] = Decl("injectL", name, lctx)
		decls[("injectL", name)].underlying = under
	for name, fl in INJECT_LATEST.items():
		d = Decl("injectL", name, lctx)
		d.fields = [(f, t, j, fg or "0", lctx, "") for (f, t, j, fg) in fl]
		decls[("injectL", name)] = d
	d = Decl("k8stypes", "NamespacedName", lctx)
	d.fields = [(f, t, j, fg or "0", lctx, "") for (f, t, j, fg) in NAMESPACED_NAME]
	decls[("k8stypes", "NamespacedName")] = d
	finish_structs()
	for name in LATEST_MESH:
		u = decls[("mesh", name)]
		d = Decl("meshL", name, dict(u.ctx, pkg="meshL"))
		d.fields = [(f, t, j, fg, dict(c, pkg="meshL"), o) for (f, t, j, fg, c, o) in u.by_version["new"]]
		decls[("meshL", name)] = d
	for pkg, name in ROOTS:
		named(pkg, name)
	groups = {}
	for nid, n in nodes.items():
		groups.setdefault(n["group"], []).append(nid)
	hdr = ["/* tables.h: the type descriptions of stdlib/types, one extern object per Go type. */",
	       "#ifndef TYPES_TABLES_H", "#define TYPES_TABLES_H", "", '#include "types.h"', ""]
	for g in sorted(groups):
		hdr.append("/* %s.c */" % g)
		for nid in sorted(groups[g]):
			hdr.append("extern const tmpl_type %s;" % cname(nid))
		hdr.append("")
	hdr += ["#endif", ""]
	write(os.path.join(out, "tables.h"), "\n".join(hdr))
	for g, ids in groups.items():
		lines = ["/* %s.c: %s */" % (g, HEADS[g]), "/* Generated by gen/gen.py; see gen/README. */", "",
			 '#include "tables.h"', ""]
		ids = sorted(ids, key=lambda x: (nodes[x]["kind"] != "TK_ENUM", nodes[x]["kind"] != "TK_STRUCT", nodes[x]["go"].lstrip("*[]"), x))
		for nid in ids:
			n = nodes[nid]
			if n["kind"] == "TK_STRUCT":
				lines.append("static const tmpl_field %s_fields[] = {" % cname(nid))
				for (f, j, t, fl) in n["fields"]:
					lines.append("\t{%s, %s, &%s, %s}," % (cstr(f), cstr(j), cname(t), fl))
				lines.append("};")
			if n["kind"] == "TK_ENUM":
				nums = sorted(n["enum"])
				lines.append("static const char *const %s_names[] = {%s};" % (
					cname(nid), ", ".join(cstr(n["enum"][k]) for k in nums)))
				if nums != list(range(len(nums))):
					lines.append("static const int %s_values[] = {%s};" % (
						cname(nid), ", ".join(str(k) for k in nums)))
		lines.append("")
		for nid in ids:
			n = nodes[nid]
			parts = [".kind = %s" % n["kind"], ".go_name = %s" % cstr(n["go"])]
			if n["elem"]:
				parts.append(".elem = &%s" % cname(n["elem"]))
			if n["kind"] == "TK_STRUCT":
				parts.append(".fields = %s_fields" % cname(nid))
				parts.append(".nfields = %d" % len(n["fields"]))
			if n["kind"] == "TK_ENUM":
				nums = sorted(n["enum"])
				parts.append(".enum_names = %s_names" % cname(nid))
				parts.append(".nenum = %d" % len(nums))
				if nums != list(range(len(nums))):
					parts.append(".enum_values = %s_values" % cname(nid))
			lines.append("const tmpl_type %s = {%s};" % (cname(nid), ", ".join(parts)))
		lines.append("")
		write(os.path.join(out, g + ".c"), "\n".join(lines))
	# registry keys: short Go names (ambiguous ones by PRIORITY) and qualified names
	keys = {}
	for nid, n in nodes.items():
		if n["name"] is None and n["group"] != "scalars":
			continue
		if n["pkg"] in QUALIFIED:
			keys[QUALIFIED[n["pkg"]] + "." + n["name"]] = nid
	for nid, n in sorted(nodes.items(), key=lambda kv: PRIORITY.index(kv[1]["pkg"]) if kv[1]["pkg"] in PRIORITY else -1, reverse=True):
		if (n["name"] is None and n["group"] != "scalars") or n["pkg"] in LATEST_IDS:
			continue
		keys[n["go"]] = nid
	reg = ["/* registry_keys.inc: the names types_lookup knows, sorted by strcmp. Generated by gen/gen.py. */"]
	for k in sorted(keys, key=lambda s: s.encode()):
		reg.append("\t{%s, &%s}," % (cstr(k), cname(keys[k])))
	write(os.path.join(out, "registry_keys.inc"), "\n".join(reg) + "\n")
	for c in conflicts:
		print("conflict:", c, file=sys.stderr)
	print("%d types, %d keys" % (len(nodes), len(keys)), file=sys.stderr)


def write(path, text):
	with open(path, "w", encoding="utf-8") as f:
		f.write(text)


if __name__ == "__main__":
	main()
