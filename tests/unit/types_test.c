/* types_test.c: the Go type tables (lookups, fields taken from the Go sources, a
 * consistency sweep, and the field chains of Istio's injection templates); prints TAP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runner/tap.h"
#include "types.h"

static const tmpl_type *lookup(const char *name)
{
	const tmpl_type *t = types_lookup(name);
	if (!t)
		tap_diag("no type %s", name);
	return t;
}

/* The field of the struct named type (or reached by a dotted Go path from it). */
static const tmpl_field *field_at(const char *type, const char *path)
{
	const tmpl_type *t = lookup(type);
	const tmpl_field *f = NULL;

	while (t && *path) {
		size_t n = strcspn(path, ".");
		f = types_field_go(t, path, n);
		if (!f) {
			tap_diag("%s has no field %.*s", t->go_name, (int)n, path);
			return NULL;
		}
		t = f->type;
		path += n;
		if (*path == '.')
			path++;
	}
	return f;
}

/* One field against the Go source: its JSON name, flags and type name. */
static void check_field(const char *type, const char *path, const char *json, unsigned flags,
			const char *go_type)
{
	const tmpl_field *f = field_at(type, path);
	bool good = f && strcmp(f->json_name, json) == 0 && f->flags == flags &&
		    strcmp(f->type->go_name, go_type) == 0;

	if (f && !good)
		tap_diag("got json %s, flags %u, type %s", f->json_name, f->flags, f->type->go_name);
	tap_okf(good, "%s.%s is `json:\"%s%s%s\"` %s", type, path, json,
	   flags & TF_OMITEMPTY ? ",omitempty" : "", flags & TF_INLINE ? ",inline" : "", go_type);
}

static const tmpl_type *field_type(const char *type, const char *path)
{
	const tmpl_field *f = field_at(type, path);
	return f ? f->type : NULL;
}

static bool enum_is(const tmpl_type *t, const char *const *names, const int *values, size_t n)
{
	if (!t || t->kind != TK_ENUM || t->nenum != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(t->enum_names[i], names[i]) != 0)
			return false;
		if ((t->enum_values ? t->enum_values[i] : (int)i) != values[i])
			return false;
	}
	return true;
}

static void test_lookups(void)
{
	static const char *const names[] = {
		"v1.ObjectMeta", "v1.TypeMeta", "v1.ListMeta", "v1.List", "v1.Pod", "v1.PodSpec",
		"v1.PodStatus", "v1.Container", "v1.Volume", "v1.PodTemplateSpec",
		"v1.ReplicationController", "v1.PersistentVolumeClaim", "v1beta1.Deployment",
		"v1beta1.DaemonSet", "v1beta1.ReplicaSet", "v1beta1.StatefulSet", "v1.Deployment",
		"v1.StatefulSet", "v1.Job", "v1beta1.CronJob", "v2alpha1.CronJob",
		"v1beta1.JobTemplateSpec", "v1.DeploymentConfig", "meshconfig.MeshConfig",
		"meshconfig.ProxyConfig", "meshconfig.Tracing", "meshconfig.Tracing_Zipkin",
		"inject.SidecarInjectionSpec", "inject.Config", "v1.Time", "resource.Quantity",
		"intstr.IntOrString", "map[string]string", "*int32", "[]string",
		"apps/v1.Deployment", "extensions/v1beta1.Deployment", "apps/v1beta1.StatefulSet",
		"batch/v1beta1.CronJob", "batch/v2alpha1.CronJob", "batch/v1.Job",
		"apps.openshift.io/v1.DeploymentConfig", "core/v1.PodSpec", "meta/v1.ObjectMeta",
		"latest/core/v1.Pod", "latest/core/v1.PodSpec", "latest/meta/v1.ObjectMeta",
		"latest/apps/v1.Deployment", "latest/apps/v1.StatefulSet", "latest/batch/v1.CronJob",
		"latest/batch/v1.Job", "latest/apps.openshift.io/v1.DeploymentConfig",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const tmpl_type *t = types_lookup(names[i]);
		tap_okf(t != NULL, "lookup %s", names[i]);
	}
	tap_okf(types_lookup("v1.NoSuchType") == NULL && types_lookup("") == NULL &&
	   types_lookup(NULL) == NULL, "lookup of unknown names gives NULL");

	/* The short Go name means the type Istio 1.1 decodes. */
	tap_okf(lookup("v1beta1.Deployment") == lookup("extensions/v1beta1.Deployment"),
	   "v1beta1.Deployment is extensions/v1beta1's");
	tap_okf(lookup("v1beta1.Deployment") != lookup("apps/v1.Deployment") &&
	   strcmp(lookup("apps/v1.Deployment")->go_name, "v1.Deployment") == 0,
	   "apps/v1.Deployment is its own type and prints as v1.Deployment");
	tap_okf(lookup("v1.DeploymentStrategy") == lookup("apps/v1.DeploymentStrategy") &&
	   lookup("apps.openshift.io/v1.DeploymentStrategy") != lookup("v1.DeploymentStrategy"),
	   "v1.DeploymentStrategy is apps/v1's; OpenShift's is qualified");
	tap_okf(lookup("latest/core/v1.PodSpec") != lookup("v1.PodSpec") &&
	   strcmp(lookup("latest/core/v1.PodSpec")->go_name, "v1.PodSpec") == 0 &&
	   field_type("latest/meta/v1.ObjectMeta", "CreationTimestamp") == lookup("v1.Time"),
	   "the newest Kubernetes types are qualified by latest/, print as Go prints them");
	tap_okf(lookup("v1beta1.CronJob") != lookup("v2alpha1.CronJob") &&
	   lookup("v1beta1.CronJob") == lookup("batch/v1beta1.CronJob"), "CronJob of both batch versions");
}

static void test_fields(void)
{
	const tmpl_type *t;

	/* core/v1 */
	/* omitempty in the tag, but a struct: encoding/json still writes `resources: {}` */
	check_field("v1.Container", "Resources", "resources", TF_OMITEMPTY, "v1.ResourceRequirements");
	tap_okf(field_type("v1.Container", "Resources")->kind == TK_STRUCT, "Container.Resources is a struct, never omitted");
	check_field("v1.Container", "Name", "name", 0, "string");
	check_field("v1.Container", "Image", "image", TF_OMITEMPTY, "string");
	check_field("v1.Container", "Ports", "ports", TF_OMITEMPTY, "[]v1.ContainerPort");
	check_field("v1.Container", "Env", "env", TF_OMITEMPTY, "[]v1.EnvVar");
	check_field("v1.Container", "ReadinessProbe", "readinessProbe", TF_OMITEMPTY, "*v1.Probe");
	check_field("v1.Container", "SecurityContext", "securityContext", TF_OMITEMPTY, "*v1.SecurityContext");
	check_field("v1.Container", "ImagePullPolicy", "imagePullPolicy", TF_OMITEMPTY, "v1.PullPolicy");
	check_field("v1.Container", "VolumeDevices", "volumeDevices", TF_OMITEMPTY, "[]v1.VolumeDevice");
	check_field("v1.ContainerPort", "ContainerPort", "containerPort", 0, "int32");
	check_field("v1.ContainerPort", "Protocol", "protocol", TF_OMITEMPTY, "v1.Protocol");
	check_field("v1.ObjectMeta", "CreationTimestamp", "creationTimestamp", TF_OMITEMPTY, "v1.Time");
	tap_okf(field_type("v1.ObjectMeta", "CreationTimestamp")->kind == TK_TIME, "ObjectMeta.CreationTimestamp is TK_TIME");
	check_field("v1.ObjectMeta", "Annotations", "annotations", TF_OMITEMPTY, "map[string]string");
	check_field("v1.ObjectMeta", "UID", "uid", TF_OMITEMPTY, "types.UID");
	check_field("v1.ObjectMeta", "OwnerReferences", "ownerReferences", TF_OMITEMPTY, "[]v1.OwnerReference");
	check_field("v1.ObjectMeta", "Initializers", "initializers", TF_OMITEMPTY, "*v1.Initializers");
	check_field("v1.ObjectMeta", "DeletionGracePeriodSeconds", "deletionGracePeriodSeconds", TF_OMITEMPTY, "*int64");
	check_field("v1.PodSpec", "HostNetwork", "hostNetwork", TF_OMITEMPTY, "bool");
	check_field("v1.PodSpec", "Containers", "containers", 0, "[]v1.Container");
	check_field("v1.PodSpec", "DeprecatedServiceAccount", "serviceAccount", TF_OMITEMPTY, "string");
	check_field("v1.PodSpec", "DNSConfig", "dnsConfig", TF_OMITEMPTY, "*v1.PodDNSConfig");
	check_field("v1.PodSpec", "ReadinessGates", "readinessGates", TF_OMITEMPTY, "[]v1.PodReadinessGate");
	check_field("v1.PodSpec", "Affinity.PodAntiAffinity", "podAntiAffinity", TF_OMITEMPTY, "*v1.PodAntiAffinity");
	check_field("v1.Pod", "Status", "status", TF_OMITEMPTY, "v1.PodStatus");
	tap_okf(field_type("v1.Pod", "Status")->kind == TK_STRUCT, "Pod.Status is a struct (status: {})");
	check_field("v1.Pod", "ObjectMeta", "metadata", TF_OMITEMPTY, "v1.ObjectMeta");
	check_field("v1.Pod", "TypeMeta", "", TF_INLINE, "v1.TypeMeta");
	check_field("v1.Probe", "Handler", "", TF_INLINE, "v1.Handler");
	check_field("v1.Probe", "HTTPGet", "httpGet", TF_OMITEMPTY, "*v1.HTTPGetAction");
	check_field("v1.HTTPGetAction", "Port", "port", 0, "intstr.IntOrString");
	check_field("v1.HTTPGetAction", "HTTPHeaders", "httpHeaders", TF_OMITEMPTY, "[]v1.HTTPHeader");
	check_field("v1.ResourceRequirements", "Limits", "limits", TF_OMITEMPTY, "v1.ResourceList");
	t = field_type("v1.ResourceRequirements", "Requests");
	tap_okf(t && t->kind == TK_MAP && t->elem->kind == TK_QUANTITY, "ResourceList is map[ResourceName]Quantity");
	check_field("v1.SecretVolumeSource", "DefaultMode", "defaultMode", TF_OMITEMPTY, "*int32");
	check_field("v1.Volume", "VolumeSource", "", TF_INLINE, "v1.VolumeSource");
	check_field("v1.Volume", "EmptyDir", "emptyDir", TF_OMITEMPTY, "*v1.EmptyDirVolumeSource");
	check_field("v1.EmptyDirVolumeSource", "SizeLimit", "sizeLimit", TF_OMITEMPTY, "*resource.Quantity");
	check_field("v1.VolumeSource", "Projected", "projected", TF_OMITEMPTY, "*v1.ProjectedVolumeSource");
	check_field("v1.VolumeSource", "ConfigMap.Items", "items", TF_OMITEMPTY, "[]v1.KeyToPath");
	check_field("v1.EnvVarSource", "FieldRef", "fieldRef", TF_OMITEMPTY, "*v1.ObjectFieldSelector");
	check_field("v1.EnvFromSource", "SecretRef", "secretRef", TF_OMITEMPTY, "*v1.SecretEnvSource");
	check_field("v1.SecurityContext", "Capabilities.Add", "add", TF_OMITEMPTY, "[]v1.Capability");
	check_field("v1.PodSecurityContext", "Sysctls", "sysctls", TF_OMITEMPTY, "[]v1.Sysctl");
	check_field("v1.Toleration", "TolerationSeconds", "tolerationSeconds", TF_OMITEMPTY, "*int64");
	check_field("v1.PersistentVolumeClaim", "Spec.Resources", "resources", TF_OMITEMPTY, "v1.ResourceRequirements");
	check_field("v1.List", "Items", "items", 0, "[]runtime.RawExtension");
	tap_okf(field_type("v1.List", "Items")->elem->kind == TK_ANY, "List items are raw objects");

	/* apps, extensions, batch, OpenShift */
	check_field("v1beta1.Deployment", "Spec.Selector", "selector", TF_OMITEMPTY, "*v1.LabelSelector");
	check_field("apps/v1.Deployment", "Spec.Selector", "selector", 0, "*v1.LabelSelector");
	check_field("v1beta1.Deployment", "Spec.Strategy", "strategy", TF_OMITEMPTY, "v1beta1.DeploymentStrategy");
	check_field("v1beta1.Deployment", "Spec.Strategy.RollingUpdate.MaxSurge", "maxSurge", TF_OMITEMPTY, "*intstr.IntOrString");
	check_field("v1beta1.Deployment", "Spec.RollbackTo", "rollbackTo", TF_OMITEMPTY, "*v1beta1.RollbackConfig");
	check_field("v1beta1.Deployment", "Spec.Template", "template", 0, "v1.PodTemplateSpec");
	check_field("v1beta1.Deployment", "Status.Conditions", "conditions", TF_OMITEMPTY, "[]v1beta1.DeploymentCondition");
	check_field("v1beta1.StatefulSet", "Spec.VolumeClaimTemplates", "volumeClaimTemplates", TF_OMITEMPTY, "[]v1.PersistentVolumeClaim");
	check_field("v1beta1.DaemonSet", "Spec.UpdateStrategy", "updateStrategy", TF_OMITEMPTY, "v1beta1.DaemonSetUpdateStrategy");
	check_field("v1.Job", "Spec.Template", "template", 0, "v1.PodTemplateSpec");
	check_field("v2alpha1.CronJob", "Spec.JobTemplate", "jobTemplate", 0, "v2alpha1.JobTemplateSpec");
	check_field("v2alpha1.CronJob", "Spec.JobTemplate.Spec.Template.Spec", "spec", TF_OMITEMPTY, "v1.PodSpec");
	check_field("v1beta1.CronJob", "Spec.ConcurrencyPolicy", "concurrencyPolicy", TF_OMITEMPTY, "v1beta1.ConcurrencyPolicy");
	check_field("v1.ReplicationController", "Spec.Template", "template", TF_OMITEMPTY, "*v1.PodTemplateSpec");
	check_field("v1.DeploymentConfig", "Spec.Template", "template", TF_OMITEMPTY, "*v1.PodTemplateSpec");
	check_field("v1.DeploymentConfig", "Spec.Triggers", "triggers", 0, "v1.DeploymentTriggerPolicies");
	check_field("v1.DeploymentConfig", "Spec.Strategy.RollingParams", "rollingParams", TF_OMITEMPTY, "*v1.RollingDeploymentStrategyParams");
	check_field("v1.DeploymentConfig", "Status.LatestVersion", "latestVersion", 0, "int64");

	/* Istio 1.1 vendored Kubernetes 1.11 (release-1.11): what 1.12 and 1.13
	 * added is unknown to it, while the newest types have it */
	static const struct { const char *type, *field; } k8s_112_113[] = {
		{"v1.PodSpec", "EnableServiceLinks"}, {"v1.PodSpec", "RuntimeClassName"},
		{"v1.SecurityContext", "ProcMount"}, {"batch/v1.JobSpec", "TTLSecondsAfterFinished"},
		{"v1.PersistentVolumeClaimSpec", "DataSource"},
	};
	for (size_t i = 0; i < sizeof k8s_112_113 / sizeof k8s_112_113[0]; i++) {
		const char *ty = k8s_112_113[i].type, *fd = k8s_112_113[i].field;
		char latest[64];
		const tmpl_type *t = lookup(ty);

		snprintf(latest, sizeof latest, "latest/%s%s", strchr(ty, '/') ? "" : "core/", ty);
		tap_okf(t && !types_field_go(t, fd, strlen(fd)) && lookup(latest) &&
		   types_field_go(lookup(latest), fd, strlen(fd)),
		   "%s has no %s (Kubernetes 1.11); %s has it", ty, fd, latest);
	}
	tap_okf(types_lookup("v1.TypedLocalObjectReference") == NULL && types_lookup("v1.ProcMountType") == NULL,
	   "Kubernetes 1.11 has no TypedLocalObjectReference nor ProcMountType");
	check_field("v1.SecurityContext", "RunAsGroup", "runAsGroup", TF_OMITEMPTY, "*int64");
	check_field("v1.PodSpec", "ShareProcessNamespace", "shareProcessNamespace", TF_OMITEMPTY, "*bool");
	check_field("batch/v1.JobSpec", "BackoffLimit", "backoffLimit", TF_OMITEMPTY, "*int32");

	/* the newest Kubernetes (what the newest templates write) */
	check_field("latest/core/v1.Container", "StartupProbe", "startupProbe", TF_OMITEMPTY, "*v1.Probe");
	check_field("latest/core/v1.Container", "RestartPolicy", "restartPolicy", TF_OMITEMPTY, "*v1.ContainerRestartPolicy");
	check_field("latest/core/v1.Container", "SecurityContext.SeccompProfile", "seccompProfile", TF_OMITEMPTY, "*v1.SeccompProfile");
	check_field("latest/core/v1.Probe", "ProbeHandler", "", TF_INLINE, "v1.ProbeHandler");
	check_field("latest/core/v1.Probe", "GRPC", "grpc", TF_OMITEMPTY, "*v1.GRPCAction");
	check_field("latest/core/v1.PodSpec", "EnableServiceLinks", "enableServiceLinks", TF_OMITEMPTY, "*bool");
	check_field("latest/meta/v1.ObjectMeta", "ManagedFields", "managedFields", TF_OMITEMPTY, "[]v1.ManagedFieldsEntry");
	tap_okf(types_field_go(lookup("latest/meta/v1.ObjectMeta"), "Initializers", 12) == NULL,
	   "the newest ObjectMeta has no Initializers");
	check_field("latest/batch/v1.CronJob", "Spec.JobTemplate.Spec.Template", "template", 0, "v1.PodTemplateSpec");
	check_field("latest/apps/v1.Deployment", "Spec.Template.Spec.Containers", "containers", 0, "[]v1.Container");
	tap_okf(field_type("latest/apps/v1.Deployment", "Spec.Template.Spec.Containers") !=
	   field_type("apps/v1.Deployment", "Spec.Template.Spec.Containers"),
	   "the newest Deployment reaches the newest Container");

	/* Go's promotion through inline embedded structs */
	tap_okf(types_field_go(lookup("v1beta1.Deployment"), "Kind", 4) != NULL &&
	   types_field_json(lookup("v1beta1.Deployment"), "apiVersion", 10) != NULL,
	   "TypeMeta's fields are promoted into Deployment");
	tap_okf(types_field_json(lookup("v1.Pod"), "TypeMeta", 8) == NULL &&
	   types_field_json(lookup("v1.Pod"), "metadata", 8) == field_at("v1.Pod", "ObjectMeta"),
	   "JSON names of Pod: no TypeMeta, metadata is ObjectMeta");
	tap_okf(types_field_go(field_type("v1.Container", "LivenessProbe"), "Exec", 4) != NULL,
	   "fields through a pointer type");
	tap_okf(types_field_go(lookup("v1.PodSpec"), "HostNetworkX", 11) != NULL &&
	   types_field_go(lookup("v1.PodSpec"), "HostNetworkX", 12) == NULL,
	   "names are compared by length");

	/* Istio mesh config */
	check_field("meshconfig.ProxyConfig", "DrainDuration", "drainDuration", TF_OMITEMPTY, "*durationpb.Duration");
	tap_okf(field_type("meshconfig.ProxyConfig", "DrainDuration")->kind == TK_DURATION, "ProxyConfig.DrainDuration is TK_DURATION");
	check_field("meshconfig.ProxyConfig", "InterceptionMode", "interceptionMode", TF_OMITEMPTY, "meshconfig.ProxyConfig_InboundInterceptionMode");
	tap_okf(enum_is(field_type("meshconfig.ProxyConfig", "InterceptionMode"),
		   (const char *const[]){"REDIRECT", "TPROXY", "NONE"}, (const int[]){0, 1, 2}, 3),
	   "InboundInterceptionMode REDIRECT=0 TPROXY=1 NONE=2");
	tap_okf(enum_is(field_type("meshconfig.ProxyConfig", "ControlPlaneAuthPolicy"),
		   (const char *const[]){"NONE", "MUTUAL_TLS", "INHERIT"}, (const int[]){0, 1, 1000}, 3),
	   "AuthenticationPolicy NONE=0 MUTUAL_TLS=1 INHERIT=1000");
	check_field("meshconfig.ProxyConfig", "Concurrency", "concurrency", TF_OMITEMPTY, "int32");
	check_field("meshconfig.ProxyConfig", "ProxyMetadata", "proxyMetadata", TF_OMITEMPTY, "map[string]string");
	check_field("meshconfig.ProxyConfig", "ServiceCluster", "serviceCluster", TF_OMITEMPTY, "string");
	check_field("meshconfig.ProxyConfig", "StatsdUdpAddress", "statsdUdpAddress", TF_OMITEMPTY, "string");
	check_field("meshconfig.ProxyConfig", "HoldApplicationUntilProxyStarts.Value", "value", TF_OMITEMPTY, "bool");
	check_field("meshconfig.ProxyConfig", "Tracing.Zipkin.Address", "address", TF_OMITEMPTY, "string");
	check_field("meshconfig.ProxyConfig", "Tracing.Lightstep.CacertPath", "cacertPath", TF_OMITEMPTY, "string");
	check_field("meshconfig.ProxyConfig", "Tracing.Datadog", "datadog", TF_OMITEMPTY, "*meshconfig.Tracing_Datadog");
	check_field("meshconfig.ProxyConfig", "Tracing.TlsSettings", "tlsSettings", TF_OMITEMPTY, "*v1alpha3.ClientTLSSettings");
	check_field("meshconfig.MeshConfig", "ProxyListenPort", "proxyListenPort", TF_OMITEMPTY, "int32");
	check_field("meshconfig.MeshConfig", "DefaultConfig", "defaultConfig", TF_OMITEMPTY, "*meshconfig.ProxyConfig");
	check_field("meshconfig.MeshConfig", "MixerCheckServer", "mixerCheckServer", TF_OMITEMPTY, "string");
	check_field("meshconfig.MeshConfig", "DnsRefreshRate", "dnsRefreshRate", TF_OMITEMPTY, "*durationpb.Duration");
	check_field("meshconfig.MeshConfig", "AccessLogEncoding", "accessLogEncoding", TF_OMITEMPTY, "meshconfig.MeshConfig_AccessLogEncoding");
	check_field("meshconfig.MeshConfig", "OutboundTrafficPolicy.Mode", "mode", TF_OMITEMPTY, "meshconfig.MeshConfig_OutboundTrafficPolicy_Mode");
	check_field("meshconfig.MeshConfig", "LocalityLbSetting", "localityLbSetting", TF_OMITEMPTY, "*v1alpha3.LocalityLoadBalancerSetting");
	check_field("meshconfig.MeshConfig", "EnableAutoMtls", "enableAutoMtls", TF_OMITEMPTY, "*wrapperspb.BoolValue");
	check_field("meshconfig.MeshConfig", "TrustDomain", "trustDomain", TF_OMITEMPTY, "string");

	check_field("meshconfig.MeshNetworks", "Networks", "networks", TF_OMITEMPTY, "map[string]*meshconfig.Network");
	check_field("meshconfig.Network", "Gateways", "gateways", TF_OMITEMPTY, "[]*meshconfig.Network_IstioNetworkGateway");
	check_field("meshconfig.Network_IstioNetworkGateway", "RegistryServiceName", "registryServiceName", TF_OMITEMPTY, "string");

	/* Istio 1.1 injector */
	check_field("inject.SidecarTemplateData", "DeploymentMeta", "DeploymentMeta", 0, "*v1.ObjectMeta");
	check_field("inject.SidecarTemplateData", "Spec", "Spec", 0, "*v1.PodSpec");
	check_field("inject.SidecarTemplateData", "ProxyConfig", "ProxyConfig", 0, "*meshconfig.ProxyConfig");
	check_field("inject.SidecarTemplateData", "MeshConfig", "MeshConfig", 0, "*meshconfig.MeshConfig");
	check_field("inject.SidecarInjectionSpec", "RewriteAppHTTPProbe", "rewriteAppHTTPProbe", 0, "bool");
	check_field("inject.SidecarInjectionSpec", "InitContainers", "initContainers", 0, "[]v1.Container");
	check_field("inject.SidecarInjectionSpec", "DNSConfig", "dnsConfig", 0, "*v1.PodDNSConfig");
	check_field("inject.SidecarInjectionSpec", "ImagePullSecrets", "imagePullSecrets", 0, "[]v1.LocalObjectReference");
	check_field("inject.Config", "Policy", "policy", 0, "inject.InjectionPolicy");
	check_field("inject.Config", "NeverInjectSelector", "neverInjectSelector", 0, "[]v1.LabelSelector");

	/* the newest injector */
	check_field("latest/inject.SidecarTemplateData", "DeploymentMeta", "DeploymentMeta", 0, "types.NamespacedName");
	check_field("latest/inject.SidecarTemplateData", "DeploymentMeta.Namespace", "Namespace", 0, "string");
	check_field("latest/inject.SidecarTemplateData", "Spec", "Spec", 0, "v1.PodSpec");
	check_field("latest/inject.SidecarTemplateData", "Values", "Values", 0, "map[string]interface {}");
	check_field("latest/inject.SidecarTemplateData", "ProxyGID", "ProxyGID", 0, "int64");
	check_field("latest/inject.Config", "RawTemplates", "templates", 0, "inject.RawTemplates");
	check_field("latest/inject.Config", "Aliases", "aliases", 0, "map[string][]string");
	tap_okf(field_type("latest/inject.SidecarTemplateData", "Spec") == lookup("latest/core/v1.PodSpec") &&
	   field_type("latest/inject.SidecarTemplateData", "ObjectMeta") == lookup("latest/meta/v1.ObjectMeta"),
	   "the newest template data holds the newest Kubernetes types");
}

/* Consistency sweep over every type reachable from the roots. */
#define MAX_SEEN 4096
static const tmpl_type *seen[MAX_SEEN];
static size_t n_seen;
static int sweep_errors;

static void sweep_error(const tmpl_type *t, const char *what, const char *name)
{
	sweep_errors++;
	tap_diag("%s: %s%s%s", t->go_name ? t->go_name : "(unnamed)", what, name ? " " : "",
	       name ? name : "");
}

static void sweep(const tmpl_type *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < n_seen; i++)
		if (seen[i] == t)
			return;
	if (n_seen == MAX_SEEN) {
		sweep_error(t, "too many types", NULL);
		return;
	}
	seen[n_seen++] = t;
	if (!t->go_name || !*t->go_name)
		sweep_error(t, "no Go name", NULL);
	switch (t->kind) {
	case TK_PTR:
	case TK_SLICE:
	case TK_MAP:
		if (!t->elem)
			sweep_error(t, "no elem", NULL);
		sweep(t->elem);
		break;
	case TK_STRUCT:
		if (t->nfields && !t->fields)
			sweep_error(t, "no field table", NULL);
		/* types.h: a protobuf wrapper is a struct of one field Value */
		if (strncmp(t->go_name, "wrapperspb.", 11) == 0 &&
		    (t->nfields != 1 || strcmp(t->fields[0].go_name, "Value") != 0))
			sweep_error(t, "wrapper without its one field Value", NULL);
		for (size_t i = 0; i < t->nfields; i++) {
			const tmpl_field *f = &t->fields[i];
			if (!f->go_name || !f->json_name || !f->type) {
				sweep_error(t, "incomplete field", f->go_name);
				continue;
			}
			if ((f->flags & TF_INLINE) && (*f->json_name || f->type->kind != TK_STRUCT))
				sweep_error(t, "inline field with a JSON name or not a struct", f->go_name);
			if (!(f->flags & TF_INLINE) && !*f->json_name)
				sweep_error(t, "empty JSON name", f->go_name);
			for (size_t j = 0; j < i; j++) {
				if (strcmp(t->fields[j].go_name, f->go_name) == 0)
					sweep_error(t, "duplicate Go name", f->go_name);
				if (*f->json_name && strcmp(t->fields[j].json_name, f->json_name) == 0)
					sweep_error(t, "duplicate JSON name", f->json_name);
			}
			if (types_field_go(t, f->go_name, strlen(f->go_name)) != f)
				sweep_error(t, "field not found by Go name", f->go_name);
			if (*f->json_name && types_field_json(t, f->json_name, strlen(f->json_name)) != f)
				sweep_error(t, "field not found by JSON name", f->json_name);
			sweep(f->type);
		}
		break;
	case TK_ENUM:
		if (!t->nenum || !t->enum_names)
			sweep_error(t, "enum without names", NULL);
		for (size_t i = 0; i < t->nenum; i++) {
			if (!t->enum_names[i] || !*t->enum_names[i])
				sweep_error(t, "empty enum name", NULL);
			if (t->enum_values && i && t->enum_values[i] <= t->enum_values[i - 1])
				sweep_error(t, "enum values not ascending", t->enum_names[i]);
		}
		break;
	default:
		if (t->elem || t->fields || t->enum_names)
			sweep_error(t, "scalar with elem, fields or names", NULL);
		break;
	}
}

static void test_sweep(void)
{
	static const char *const roots[] = {
		"v1.List", "v1.Pod", "v1.PodTemplateSpec", "v1.ReplicationController",
		"extensions/v1beta1.Deployment", "extensions/v1beta1.DaemonSet",
		"extensions/v1beta1.ReplicaSet", "apps/v1beta1.StatefulSet", "apps/v1.Deployment",
		"apps/v1.DaemonSet", "apps/v1.ReplicaSet", "apps/v1.StatefulSet", "batch/v1.Job",
		"batch/v1beta1.CronJob", "batch/v2alpha1.CronJob",
		"apps.openshift.io/v1.DeploymentConfig", "meshconfig.MeshConfig",
		"meshconfig.ProxyConfig", "meshconfig.MeshNetworks", "inject.SidecarTemplateData",
		"inject.SidecarInjectionSpec", "inject.Config", "latest/core/v1.List",
		"latest/core/v1.Pod", "latest/core/v1.ReplicationController",
		"latest/apps/v1.Deployment", "latest/apps/v1.DaemonSet", "latest/apps/v1.ReplicaSet",
		"latest/apps/v1.StatefulSet", "latest/batch/v1.Job", "latest/batch/v1.CronJob",
		"latest/apps.openshift.io/v1.DeploymentConfig", "latest/inject.SidecarTemplateData",
		"latest/inject.Config",
	};
	size_t structs = 0;

	for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
		sweep(lookup(roots[i]));
	for (size_t i = 0; i < n_seen; i++)
		structs += seen[i]->kind == TK_STRUCT;
	tap_okf(sweep_errors == 0 && n_seen > 300, "consistency sweep over %zu types (%zu structs)", n_seen, structs);
}

/* Field chains of the injection templates, from the roots of Istio's
 * SidecarTemplateData. A chain resolves if every step is a field (GetX: field
 * X), a key of a map, or String on an enum or duration. */
static const struct {
	const char *name;
	const char *type;        /* Istio 1.1 (Kubernetes 1.11) */
	const char *latest_type; /* the newest Istio (newest Kubernetes) */
} chain_roots[] = {
	{"ObjectMeta", "v1.ObjectMeta", "latest/meta/v1.ObjectMeta"},
	{"Spec", "v1.PodSpec", "latest/core/v1.PodSpec"},
	{"ProxyConfig", "meshconfig.ProxyConfig", "meshconfig.ProxyConfig"},
	{"MeshConfig", "meshconfig.MeshConfig", "meshconfig.MeshConfig"},
	{"DeploymentMeta", "v1.ObjectMeta", "types.NamespacedName"},
	{"TypeMeta", "v1.TypeMeta", "latest/meta/v1.TypeMeta"},
};

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static const char *resolve_step(const tmpl_type *t, const char *name, size_t len,
				const tmpl_type **out)
{
	const tmpl_field *f;

	if (t->kind == TK_MAP) {
		*out = t->elem;
		return NULL;
	}
	if ((t->kind == TK_ENUM || t->kind == TK_DURATION) && len == 6 && memcmp(name, "String", 6) == 0) {
		*out = types_lookup("string");
		return NULL;
	}
	f = types_field_go(t, name, len);
	if (!f && len > 3 && memcmp(name, "Get", 3) == 0)
		f = types_field_go(t, name + 3, len - 3);
	if (!f)
		return "no such field";
	*out = f->type;
	return NULL;
}

/* Resolves the chain at p (".Root.Field..."): 0 when it does not start with a
 * root, 1 when every step resolves, -1 (with a diagnostic) when one does not.
 * *end is set past the chain. */
static int resolve_chain(const char *label, bool latest, const char *p, const char **end)
{
	const tmpl_type *t = NULL;
	const char *q = p + 1, *err;
	size_t n = 0;

	while (ident_char(q[n]))
		n++;
	for (size_t r = 0; r < sizeof chain_roots / sizeof chain_roots[0]; r++)
		if (strlen(chain_roots[r].name) == n && memcmp(chain_roots[r].name, q, n) == 0)
			t = types_lookup(latest ? chain_roots[r].latest_type : chain_roots[r].type);
	*end = q + n;
	if (!t)
		return 0;
	q += n;
	while (*q == '.' && ident_char(q[1])) {
		q++;
		n = 0;
		while (ident_char(q[n]))
			n++;
		*end = q + n;
		if (t->kind == TK_PTR)
			t = t->elem;
		err = resolve_step(t, q, n, &t);
		if (err || !t) {
			tap_diag("%s: %.*s: %s in %s", label, (int)(q + n - p), p,
			       err ? err : "no type", t ? t->go_name : "?");
			return -1;
		}
		q += n;
	}
	return 1;
}

static void test_chain_cases(void)
{
	static const struct {
		const char *chain;
		int want;
	} cases[] = {
		{".ProxyConfig.GetTracing.GetZipkin.GetAddress", 1},
		{".ProxyConfig.InterceptionMode.String", 1},
		{".MeshConfig.DefaultConfig.DrainDuration.String", 1},
		{".ObjectMeta.Annotations.foo", 1},
		{".Spec.Containers", 1},
		{".Values.global.hub", 0},
		{".Spec.NoSuchField", -1},
		{".ProxyConfig.ConfigPath.Foo", -1},
		{".ProxyConfig.GetNoSuch", -1},
	};
	int bad = 0;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *end;
		int r = resolve_chain("expected", false, cases[i].chain, &end);
		if (r != cases[i].want || (r && *end)) {
			tap_diag("%s: got %d, want %d", cases[i].chain, r, cases[i].want);
			bad++;
		}
	}
	tap_okf(bad == 0, "chain resolution: fields, getters, map keys, String; misses found");
}

static void test_chains(const char *file, bool latest)
{
	const char *srcdir = getenv("srcdir");
	char path[1024];
	FILE *fp;
	char *text;
	long size;
	int chains = 0, misses = 0;

	snprintf(path, sizeof path, "%s/tests/unit/data/types/%s", srcdir ? srcdir : ".", file);
	fp = fopen(path, "rb");
	if (!fp) {
		tap_okf(false, "chains of %s (cannot open %s)", file, path);
		return;
	}
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	text = malloc((size_t)size + 1);
	if (!text || fread(text, 1, (size_t)size, fp) != (size_t)size) {
		fclose(fp);
		free(text);
		tap_okf(false, "chains of %s (read error)", file);
		return;
	}
	text[size] = '\0';
	fclose(fp);
	for (const char *p = text; (p = strchr(p, '.')) != NULL; p++) {
		const char *end;
		int r;

		if (p > text && (ident_char(p[-1]) || p[-1] == ')' || p[-1] == ']'))
			continue;
		r = resolve_chain(file, latest, p, &end);
		chains += r != 0;
		misses += r < 0;
		p = end - 1;
	}
	free(text);
	tap_okf(misses == 0 && chains > 0, "%d field chains of %s resolve", chains, file);
}

int main(void)
{
	test_lookups();
	test_fields();
	test_sweep();
	test_chain_cases();
	test_chains("istio-1.1-auth.template", false);
	test_chains("istio-1.1-helm.template", false);
	test_chains("istio-latest-injection-template.yaml", true);
	test_chains("istio-latest-gateway-injection-template.yaml", true);
	test_chains("istio-latest-grpc-agent.yaml", true);
	test_chains("istio-latest-grpc-simple.yaml", true);
	return tap_done();
}
