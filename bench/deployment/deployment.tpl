{{- /*
A Helm-chart-like Deployment and Service.
Render with _helpers.tpl as the second template file.
*/ -}}
{{- $name := or .Values.nameOverride .Chart.Name -}}
{{- $fullname := or .Values.fullnameOverride (printf "%s-%s" .Release.Name $name) -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ template "chart.fullname" . }}
  namespace: {{ or .Release.Namespace "default" }}
  labels:
{{- template "chart.labels" . }}
{{- with .Values.deployment.annotations }}
  annotations:
{{- range $k, $v := . }}
    {{ $k }}: {{ printf "%q" (print $v) }}
{{- end }}
{{- end }}
spec:
{{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
{{- end }}
  revisionHistoryLimit: {{ or .Values.deployment.revisionHistoryLimit 10 }}
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ $name }}
      app.kubernetes.io/instance: {{ .Release.Name }}
{{- with .Values.deployment.strategy }}
  strategy:
    type: {{ .type }}
{{- if eq .type "RollingUpdate" }}
    rollingUpdate:
      maxSurge: {{ .rollingUpdate.maxSurge }}
      maxUnavailable: {{ .rollingUpdate.maxUnavailable }}
{{- end }}
{{- end }}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{ $name }}
        app.kubernetes.io/instance: {{ .Release.Name }}
{{- range $k, $v := .Values.podLabels }}
        {{ $k }}: {{ printf "%q" (print $v) }}
{{- end }}
{{- if or .Values.podAnnotations .Values.metrics.enabled }}
      annotations:
{{- if .Values.metrics.enabled }}
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ printf "%q" (print .Values.metrics.port) }}
        prometheus.io/path: {{ .Values.metrics.path }}
{{- end }}
{{- range $k, $v := .Values.podAnnotations }}
        {{ $k }}: {{ printf "%q" (print $v) }}
{{- end }}
{{- end }}
    spec:
      serviceAccountName: {{ if .Values.serviceAccount.create }}{{ or .Values.serviceAccount.name $fullname }}{{ else }}{{ or .Values.serviceAccount.name "default" }}{{ end }}
{{- with .Values.imagePullSecrets }}
      imagePullSecrets:
{{- range . }}
      - name: {{ .name }}
{{- end }}
{{- end }}
{{- with .Values.podSecurityContext }}
      securityContext:
        runAsNonRoot: {{ .runAsNonRoot }}
        runAsUser: {{ .runAsUser }}
        fsGroup: {{ .fsGroup }}
{{- end }}
{{- if .Values.initContainers }}
      initContainers:
{{- range .Values.initContainers }}
      - name: {{ .name }}
        image: {{ printf "%s:%s" .image.repository (print .image.tag) }}
        command:
{{- range .command }}
        - {{ printf "%q" . }}
{{- end }}
{{- end }}
{{- end }}
      containers:
{{- range $i, $c := .Values.containers }}
      - name: {{ $c.name }}
        image: "{{ or $c.image.registry $.Values.global.imageRegistry }}/{{ $c.image.repository }}:{{ or $c.image.tag $.Chart.AppVersion }}"
        imagePullPolicy: {{ or $c.image.pullPolicy "IfNotPresent" }}
{{- with $c.args }}
        args:
{{- range . }}
        - {{ printf "%q" (print .) }}
{{- end }}
{{- end }}
{{- if $c.ports }}
        ports:
{{- range $c.ports }}
        - name: {{ .name }}
          containerPort: {{ .containerPort }}
          protocol: {{ or .protocol "TCP" }}
{{- end }}
{{- end }}
{{- if or $c.env (and (eq $i 0) $.Values.extraEnv) }}
        env:
{{- range $c.env }}
{{- template "chart.env" . }}
{{- end }}
{{- if eq $i 0 }}
{{- range $name, $value := $.Values.extraEnv }}
        - name: {{ $name }}
          value: {{ printf "%q" (print $value) }}
{{- end }}
{{- end }}
{{- end }}
{{- with $c.livenessProbe }}
        livenessProbe:
{{- template "chart.probe" . }}
{{- end }}
{{- with $c.readinessProbe }}
        readinessProbe:
{{- template "chart.probe" . }}
{{- end }}
{{- with $c.resources }}
        resources:
{{- template "chart.resources" . }}
{{- end }}
{{- with $c.securityContext }}
        securityContext:
          allowPrivilegeEscalation: {{ .allowPrivilegeEscalation }}
          readOnlyRootFilesystem: {{ .readOnlyRootFilesystem }}
{{- with .capabilities }}
          capabilities:
            drop:
{{- range .drop }}
            - {{ . }}
{{- end }}
{{- end }}
{{- end }}
{{- if $c.volumeMounts }}
        volumeMounts:
{{- range $c.volumeMounts }}
        - name: {{ .name }}
          mountPath: {{ .mountPath }}
{{- if .subPath }}
          subPath: {{ .subPath }}
{{- end }}
{{- if .readOnly }}
          readOnly: true
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- with .Values.nodeSelector }}
      nodeSelector:
{{- range $k, $v := . }}
        {{ $k }}: {{ $v }}
{{- end }}
{{- end }}
{{- with .Values.tolerations }}
      tolerations:
{{- range . }}
      - key: {{ .key }}
        operator: {{ or .operator "Equal" }}
{{- if .value }}
        value: {{ .value }}
{{- end }}
        effect: {{ .effect }}
{{- end }}
{{- end }}
{{- if .Values.volumes }}
      volumes:
{{- range .Values.volumes }}
      - name: {{ .name }}
{{- if .configMap }}
        configMap:
          name: {{ printf "%s-%s" $fullname .configMap }}
{{- else if .secret }}
        secret:
          secretName: {{ .secret }}
{{- else if .persistentVolumeClaim }}
        persistentVolumeClaim:
          claimName: {{ .persistentVolumeClaim }}
{{- else }}
        emptyDir: {}
{{- end }}
{{- end }}
{{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ template "chart.fullname" . }}
  labels:
{{- template "chart.labels" . }}
{{- with .Values.service.annotations }}
  annotations:
{{- range $k, $v := . }}
    {{ $k }}: {{ printf "%q" (print $v) }}
{{- end }}
{{- end }}
spec:
  type: {{ .Values.service.type }}
{{- if and (eq .Values.service.type "LoadBalancer") .Values.service.loadBalancerSourceRanges }}
  loadBalancerSourceRanges:
{{- range .Values.service.loadBalancerSourceRanges }}
  - {{ . }}
{{- end }}
{{- end }}
  ports:
{{- range $i, $p := .Values.service.ports }}
  - name: {{ $p.name }}
    port: {{ $p.port }}
    targetPort: {{ or $p.targetPort $p.name }}
    protocol: {{ or $p.protocol "TCP" }}
{{- if and (eq $.Values.service.type "NodePort") $p.nodePort }}
    nodePort: {{ $p.nodePort }}
{{- end }}
{{- end }}
  selector:
    app.kubernetes.io/name: {{ $name }}
    app.kubernetes.io/instance: {{ .Release.Name }}
{{- if .Values.metrics.enabled }}
---
# metrics port {{ index .Values.service.ports 0 "port" }} of {{ len .Values.containers }} containers
{{- end }}
