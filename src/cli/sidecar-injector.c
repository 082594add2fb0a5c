/* sidecar-injector.c: the Kubernetes mutating admission webhook that injects Istio's sidecar (Istio 1.1's, or the newest's for a newest Config), with Istio's sidecar-injector flags. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_flags.h"
#include "cli_limits.h"
#include "webhook/wh.h"

static const char *prog = "sidecar-injector";

static int usage_error(const char *msg)
{
	return cli_usage_error(prog, msg);
}

/* The bounds of each review's render: an answer well inside the API server's
 * timeoutSeconds (10 s by default in admissionregistration/v1, 30 s in v1beta1;
 * Istio's charts leave it unset), and far more than an injection template needs
 * (Istio 1.1's renders a pod in under a hundred steps and 16 KiB). */
static void webhook_limits(tmpl_exec_opts *o)
{
	cli_limits_default(o);
	o->max_steps = 10000000ull;
	o->max_memory = (size_t)64 << 20;
	o->max_output = (size_t)16 << 20;
	o->timeout_ms = 5000;
}

static void help(void)
{
	printf("Usage: %s [OPTION]...\n"
	       "Serve Istio sidecar injection as a Kubernetes admission webhook (HTTPS, /inject):\n"
	       "Istio 1.1's for a config with a [[ ]] template, the newest Istio's for a Config\n"
	       "with templates (also /inject/KEY/VALUE... for proxy environment variables).\n\n"
	       "      --port N              port to listen on (default 443; 0 = any free port)\n"
	       "      --address ADDR        address to listen on (default: every address)\n"
	       "      --tlsCertFile FILE    certificate chain (default /etc/istio/certs/cert-chain.pem)\n"
	       "      --tlsKeyFile FILE     private key (default /etc/istio/certs/key.pem)\n"
	       "      --injectConfig FILE   injection config (default /etc/istio/inject/config):\n"
	       "                            policy and template (Istio 1.1), or a Config with\n"
	       "                            templates (newest)\n"
	       "      --meshConfig FILE     mesh config (default /etc/istio/config/mesh)\n"
	       "      --valuesConfig FILE   values (read and checked; the newest's .Values)\n"
	       "      --namespaces FILE     the cluster's Namespace objects (a Namespace or a List):\n"
	       "                            with PLATFORM=openshift, their UID ranges give the\n"
	       "                            newest Istio's proxy UID and GID\n"
	       "      --log-format FORMAT   text (default) or json\n"
	       "      --threads N           worker threads (default: one per CPU)\n"
	       "      --reload-delay MS     quiet time before a reload (default 100)\n"
	       "      --drain-timeout S     longest wait for requests in flight on SIGTERM (default 20)\n"
	       "      --answer-cache MIB    memory for answers to repeated pods (default 4; 0 = off)\n"
	       "      --handshake-timeout S  longest TLS handshake from accept (default 10)\n"
	       "      --header-timeout S    longest wait for a request's headers from its first\n"
	       "                            byte (default 10)\n"
	       "      --request-timeout S   longest wait for a whole request, body included, from\n"
	       "                            its first byte (default 30)\n"
	       "      --idle-timeout S      longest wait for the next request on a kept-alive\n"
	       "                            connection, or for a client to read an answer\n"
	       "                            (default 60; 0: no limit, as for the 3 above)\n"
	       "      --max-connections N   open connections at once (default 1024)\n"
	       "      --max-connections-per-ip N  open connections from one client address\n"
	       "                            (default 256; 0 = no limit)\n"
	       "Bounds of each review's render (a review past one is denied with its message):\n",
	       prog);
	tmpl_exec_opts d;
	webhook_limits(&d);
	cli_limits_help(stdout, &d, 28);
	printf("  -h, --help                this help\n"
	       "      --version             the version\n"
	       "Istio's --caCertFile, --healthCheckInterval, --healthCheckFile, --kubeconfig,\n"
	       "--webhookConfigName and --webhookName are accepted and ignored. For the newest\n"
	       "Istio, as in istiod, the environment's REVISION is the revision served,\n"
	       "ENABLE_NATIVE_SIDECARS=true injects native sidecars and COMPLIANCE_POLICY sets\n"
	       ".CompliancePolicy.\n");
}

static int number(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

enum {
	OPT_PORT = 256, OPT_ADDR, OPT_CERT, OPT_KEY, OPT_INJECT, OPT_MESH, OPT_VALUES, OPT_NS, OPT_LOG,
	OPT_THREADS, OPT_DELAY, OPT_DRAIN, OPT_CACHE, OPT_HANDSHAKE, OPT_HEADER, OPT_REQUEST,
	OPT_IDLE, OPT_MAXCONN, OPT_MAXCONN_IP, OPT_IGNORED, OPT_VERSION
};

/* A timeout flag's seconds into *out; a usage error otherwise. */
static int seconds(const char *flag, const char *arg, unsigned *out)
{
	long v;
	if (number(arg, 0, 86400, &v) != 0) {
		char msg[96];
		snprintf(msg, sizeof msg, "%s needs seconds from 0 to 86400", flag);
		return usage_error(msg);
	}
	*out = (unsigned)v;
	return 0;
}

static const struct option si_longopts[] = {
	{"port", required_argument, NULL, OPT_PORT},
	{"address", required_argument, NULL, OPT_ADDR},
	{"tlsCertFile", required_argument, NULL, OPT_CERT},
	{"tlsKeyFile", required_argument, NULL, OPT_KEY},
	{"injectConfig", required_argument, NULL, OPT_INJECT},
	{"meshConfig", required_argument, NULL, OPT_MESH},
	{"valuesConfig", required_argument, NULL, OPT_VALUES},
	{"namespaces", required_argument, NULL, OPT_NS},
	{"log-format", required_argument, NULL, OPT_LOG},
	{"threads", required_argument, NULL, OPT_THREADS},
	{"reload-delay", required_argument, NULL, OPT_DELAY},
	{"drain-timeout", required_argument, NULL, OPT_DRAIN},
	{"answer-cache", required_argument, NULL, OPT_CACHE},
	{"handshake-timeout", required_argument, NULL, OPT_HANDSHAKE},
	{"header-timeout", required_argument, NULL, OPT_HEADER},
	{"request-timeout", required_argument, NULL, OPT_REQUEST},
	{"idle-timeout", required_argument, NULL, OPT_IDLE},
	{"max-connections", required_argument, NULL, OPT_MAXCONN},
	{"max-connections-per-ip", required_argument, NULL, OPT_MAXCONN_IP},
	{"caCertFile", required_argument, NULL, OPT_IGNORED},
	{"healthCheckInterval", required_argument, NULL, OPT_IGNORED},
	{"healthCheckFile", required_argument, NULL, OPT_IGNORED},
	{"kubeconfig", required_argument, NULL, OPT_IGNORED},
	{"webhookConfigName", required_argument, NULL, OPT_IGNORED},
	{"webhookName", required_argument, NULL, OPT_IGNORED},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	CLI_LIMIT_OPTIONS,
	{NULL, 0, NULL, 0},
};

/* One flag c (with its argument arg) into o: -1 to go on, else the exit
 * status (help, version, usage error). */
static int si_flag(int c, const char *arg, char **argv, wh_opts *o)
{
	long v;
	switch (c) {
	case OPT_PORT:
		if (number(arg, 0, 65535, &v) != 0)
			return usage_error("--port needs a port number");
		o->port = (int)v;
		break;
	case OPT_ADDR: o->addr = arg; break;
	case OPT_CERT: o->cert_file = arg; break;
	case OPT_KEY: o->key_file = arg; break;
	case OPT_INJECT: o->config_file = arg; break;
	case OPT_MESH: o->mesh_file = *arg ? arg : NULL; break;
	case OPT_VALUES: o->values_file = *arg ? arg : NULL; break;
	case OPT_NS: o->namespaces_file = *arg ? arg : NULL; break;
	case OPT_LOG:
		if (strcmp(arg, "json") != 0 && strcmp(arg, "text") != 0)
			return usage_error("--log-format is text or json");
		o->json_log = strcmp(arg, "json") == 0;
		break;
	case OPT_THREADS:
		if (number(arg, 1, 1024, &v) != 0)
			return usage_error("--threads needs a count from 1 to 1024");
		o->threads = (unsigned)v;
		break;
	case OPT_DELAY:
		if (number(arg, 0, 60000, &v) != 0)
			return usage_error("--reload-delay needs milliseconds");
		o->debounce_ms = (unsigned)v;
		break;
	case OPT_DRAIN:
		if (number(arg, 0, 3600, &v) != 0)
			return usage_error("--drain-timeout needs seconds");
		o->drain_s = (unsigned)v;
		break;
	case OPT_CACHE:
		if (number(arg, 0, 4096, &v) != 0)
			return usage_error("--answer-cache needs mebibytes from 0 to 4096");
		o->cache_bytes = (size_t)v << 20;
		break;
	case OPT_HANDSHAKE:
		if (seconds("--handshake-timeout", arg, &o->handshake_s) != 0)
			return CLI_EXIT_USAGE;
		break;
	case OPT_HEADER:
		if (seconds("--header-timeout", arg, &o->header_s) != 0)
			return CLI_EXIT_USAGE;
		break;
	case OPT_REQUEST:
		if (seconds("--request-timeout", arg, &o->request_s) != 0)
			return CLI_EXIT_USAGE;
		break;
	case OPT_IDLE:
		if (seconds("--idle-timeout", arg, &o->idle_s) != 0)
			return CLI_EXIT_USAGE;
		break;
	case OPT_MAXCONN:
		if (number(arg, 1, 1000000, &v) != 0)
			return usage_error("--max-connections needs a count from 1 to 1000000");
		o->max_conns = (unsigned)v;
		break;
	case OPT_MAXCONN_IP:
		if (number(arg, 0, 1000000, &v) != 0)
			return usage_error("--max-connections-per-ip needs a count from 0 to 1000000");
		o->max_conns_ip = (unsigned)v;
		break;
	case CLI_OPT_MAX_STEPS:
	case CLI_OPT_MAX_MEMORY:
	case CLI_OPT_MAX_OUTPUT:
	case CLI_OPT_TIMEOUT:
		if (cli_limit_flag(prog, c, arg, &o->limits) < 0)
			return CLI_EXIT_USAGE;
		break;
	case OPT_IGNORED: break;
	case 'h': help(); return 0;
	case OPT_VERSION: printf("%s %s\n", prog, TMPL_VERSION); return 0;
	default:
		return cli_flag_error(prog, c, argv);
	}
	return -1;
}

/* argv into o, over Istio's defaults: -1 to go on, else the exit status. */
static int si_parse_args(int argc, char **argv, wh_opts *o)
{
	*o = (wh_opts){
		.port = 443,
		.cert_file = "/etc/istio/certs/cert-chain.pem",
		.key_file = "/etc/istio/certs/key.pem",
		.config_file = "/etc/istio/inject/config",
		.mesh_file = "/etc/istio/config/mesh",
		.debounce_ms = 100,
		.drain_s = 20,
		.cache_bytes = (size_t)4 << 20,
		.handshake_s = 10,
		.header_s = 10,
		.request_s = 30,
		.idle_s = 60,
		.max_conns = 1024,
		.max_conns_ip = 256,
	};
	webhook_limits(&o->limits);
	int c, rc;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", si_longopts, NULL)) != -1)
		if ((rc = si_flag(c, optarg, argv, o)) >= 0)
			return rc;
	if (cli_no_operands(prog, argc, argv))
		return CLI_EXIT_USAGE;
	return -1;
}

int main(int argc, char **argv)
{
	wh_opts o;
	tmpl_set_program_name(prog);
	int rc = si_parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	wh_log_init(o.json_log);
	return wh_run(&o);
}
