{{/* A text-heavy page: each item of a range emits about a kilobyte of literal text around two substitutions (about 100 kB out). */ -}}
# {{.title}}
{{range $i, $it := .items}}
## {{$it.name}}

This section describes the component and how it is deployed in the mesh. The
component listens on its service port and answers health checks on the same port;
its sidecar proxies every inbound and outbound connection, applies the mesh's
authentication policy, and reports telemetry for each request it carries. When the
component is upgraded, the rollout replaces its pods one by one: each new pod is
admitted, injected and started before the next old one is stopped, so the service
keeps answering throughout. Configuration changes reach the proxy without restarts.

- port: {{$it.port}}
- protocol: HTTP/1.1 and HTTP/2 over mutual TLS inside the mesh, plain outside it
- probes: rewritten to the sidecar's agent so that they pass through mutual TLS
- resources: the sidecar requests a tenth of a core and 128 MiB of memory
- logs: one line per request on the proxy's standard output, in the mesh's format
- upgrades: the proxy follows the control plane one minor version behind at most
{{end -}}
