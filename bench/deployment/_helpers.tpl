{{/*
Helper definitions shared by the chart's templates (Helm's _helpers.tpl
convention). Only Go's builtin functions are used.
*/}}

{{- define "chart.name" -}}
{{- or .Values.nameOverride .Chart.Name -}}
{{- end -}}

{{/* Fully qualified name: release-chart, or the release name alone when it
already contains the chart name. */}}
{{- define "chart.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride -}}
{{- else -}}
{{- $name := or .Values.nameOverride .Chart.Name -}}
{{- if eq .Release.Name $name -}}
{{- .Release.Name -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "chart.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version -}}
{{- end -}}

{{/* Common labels, indented for metadata.labels. */}}
{{- define "chart.labels" }}
    helm.sh/chart: {{ template "chart.chart" . }}
    app.kubernetes.io/name: {{ template "chart.name" . }}
    app.kubernetes.io/instance: {{ .Release.Name }}
    app.kubernetes.io/version: {{ printf "%q" .Chart.AppVersion }}
    app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- range $k, $v := .Values.extraLabels }}
    {{ $k }}: {{ printf "%q" (print $v) }}
{{- end }}
{{- end -}}

{{/* One environment variable: dot is an env entry. */}}
{{- define "chart.env" }}
        - name: {{ .name }}
{{- if .valueFrom }}
          valueFrom:
{{- with .valueFrom.secretKeyRef }}
            secretKeyRef:
              name: {{ .name }}
              key: {{ .key }}
{{- end }}
{{- with .valueFrom.configMapKeyRef }}
            configMapKeyRef:
              name: {{ .name }}
              key: {{ .key }}
{{- end }}
{{- with .valueFrom.fieldRef }}
            fieldRef:
              fieldPath: {{ .fieldPath }}
{{- end }}
{{- else }}
          value: {{ printf "%q" (print .value) }}
{{- end }}
{{- end -}}

{{/* A probe: dot is the probe map. */}}
{{- define "chart.probe" }}
{{- with .httpGet }}
          httpGet:
            path: {{ .path }}
            port: {{ .port }}
{{- if .scheme }}
            scheme: {{ .scheme }}
{{- end }}
{{- end }}
{{- with .tcpSocket }}
          tcpSocket:
            port: {{ .port }}
{{- end }}
{{- with .exec }}
          exec:
            command:
{{- range .command }}
            - {{ printf "%q" . }}
{{- end }}
{{- end }}
          initialDelaySeconds: {{ or .initialDelaySeconds 0 }}
          periodSeconds: {{ or .periodSeconds 10 }}
          timeoutSeconds: {{ or .timeoutSeconds 1 }}
          failureThreshold: {{ or .failureThreshold 3 }}
{{- end -}}

{{/* requests/limits: dot is a resources map. */}}
{{- define "chart.resources" }}
{{- range $kind, $res := . }}
          {{ $kind }}:
{{- range $name, $qty := $res }}
            {{ $name }}: {{ printf "%v" $qty }}
{{- end }}
{{- end }}
{{- end -}}
