{{- /*
  deployment.yaml.tpl: a Helm-style Deployment and Service for one web
  application, written with Go's builtin template functions only.
  Render: tmplrender --values values.yaml deployment.yaml.tpl
*/ -}}

{{- define "fullname" -}}
{{- if .fullnameOverride -}}
{{ .fullnameOverride }}
{{- else -}}
{{ printf "%s-%s" .release .name }}
{{- end -}}
{{- end -}}

{{- define "selector" -}}
{app.kubernetes.io/name: {{ .name }}, app.kubernetes.io/instance: {{ .release }}}
{{- end -}}

{{- define "quoted" -}}
{{ printf "%q" (print .) }}
{{- end -}}

apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ template "fullname" . }}
  namespace: {{ with .namespace }}{{ . }}{{ else }}default{{ end }}
  labels:
    app.kubernetes.io/name: {{ .name }}
    app.kubernetes.io/instance: {{ .release }}
    app.kubernetes.io/version: {{ template "quoted" .image.tag }}
{{- range $key, $value := .labels }}
    {{ $key }}: {{ template "quoted" $value }}
{{- end }}
{{- with .annotations }}
  annotations:
{{- range $key, $value := . }}
    {{ $key }}: {{ template "quoted" $value }}
{{- end }}
{{- end }}
spec:
  replicas: {{ or .replicaCount 1 }}
  selector:
    matchLabels: {{ template "selector" . }}
  template:
    metadata:
      labels: {{ template "selector" . }}
    spec:
      containers:
        - name: {{ .name }}
          image: {{ printf "%s:%s" .image.repository .image.tag }}
          imagePullPolicy: {{ .image.pullPolicy }}
          ports:
{{- range .ports }}
            - name: {{ .name }}
              containerPort: {{ .containerPort }}
              protocol: {{ or .protocol "TCP" }}
{{- end }}
{{- if .env }}
          env:
{{- range $i, $var := .env }}
            - name: {{ $var.name }}
              value: {{ template "quoted" $var.value }}
{{- end }}
{{- end }}
{{- with .probes.readiness }}
          readinessProbe:
            httpGet:
              path: {{ .path }}
              port: {{ .port }}
            periodSeconds: {{ or .periodSeconds 10 }}
{{- end }}
{{- with .resources }}
          resources:
{{- range $kind, $amounts := . }}
            {{ $kind }}:
{{- range $resource, $amount := $amounts }}
              {{ $resource }}: {{ $amount }}
{{- end }}
{{- end }}
{{- end }}
{{- with .nodeSelector }}
      nodeSelector:
{{- range $key, $value := . }}
        {{ $key }}: {{ $value }}
{{- end }}
{{- end }}
{{- if .tolerations }}
      tolerations:
{{- range .tolerations }}
        - key: {{ .key }}
          operator: {{ or .operator "Exists" }}
{{- end }}
{{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ template "fullname" . }}
  namespace: {{ with .namespace }}{{ . }}{{ else }}default{{ end }}
spec:
  type: {{ .service.type }}
  selector: {{ template "selector" . }}
  ports:
{{- range .ports }}
{{- $port := index $.service.ports .name }}
{{- if $port }}
    - name: {{ .name }}
      port: {{ $port }}
      targetPort: {{ .name }}
{{- if and (eq $.service.type "NodePort") $.service.nodePorts }}
      nodePort: {{ index $.service.nodePorts .name }}
{{- end }}
{{- end }}
{{- end }}
