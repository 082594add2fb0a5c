{{- /*
Large-data case: a ConfigMap listing every endpoint, one printf per line.
Values come from gen-values.sh (2,000 entries by default).
*/ -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .cluster }}-endpoints
  annotations:
    generated-at: {{ printf "%q" .generated }}
    endpoint-count: {{ printf "%q" (print (len .endpoints)) }}
data:
  endpoints.txt: |
{{- range $i, $e := .endpoints }}
    {{ printf "%05d %-9s %-8s %-15s %5d/%-5s w=%6.2f to=%4dms" $i $e.name $e.namespace $e.ip $e.port $e.protocol $e.weight (or $e.timeoutMs $.defaults.timeoutMs) }}
    {{- if not $e.healthy }} DOWN{{ end }}
    {{- with $e.labels }} zone={{ .zone }} tier={{ .tier }} {{ index . "version" }}{{ end }}
    {{- range $e.tags }} #{{ . }}{{ end }}
{{- end }}
  summary.txt: |
    total={{ len .endpoints }} retries={{ .defaults.retries }} timeout={{ .defaults.timeoutMs }}ms
    down:{{ range .endpoints }}{{ if not .healthy }} {{ .name }}{{ end }}{{ end }}
