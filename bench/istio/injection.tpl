[[- /*
Sidecar injection template in the shape of Istio 1.1's (delimiters [[ ]]),
written with Go's builtin functions only: Istio's `annotation` becomes
`or (index .ObjectMeta.Annotations "key") default`, `isset` an index test,
`includeInboundPorts` and `toJSON` explicit ranges.
*/ -]]
[[- $ann := .ObjectMeta.Annotations -]]
[[- $mode := or (index $ann "sidecar.istio.io/interceptionMode") .ProxyConfig.InterceptionMode -]]
[[- $statusPort := or (index $ann "status.sidecar.istio.io/port") 15020 -]]
rewriteAppHTTPProbe: [[ or (index $ann "sidecar.istio.io/rewriteAppHTTPProbers") false ]]
initContainers:
[[ if ne $mode "NONE" ]]
- name: istio-init
  image: "[[ .Values.global.hub ]]/proxy_init:[[ .Values.global.tag ]]"
  args:
  - "-p"
  - "[[ .MeshConfig.ProxyListenPort ]]"
  - "-u"
  - 1337
  - "-m"
  - "[[ $mode ]]"
  - "-i"
  - "[[ or (index $ann "traffic.sidecar.istio.io/includeOutboundIPRanges") .Values.global.proxy.includeIPRanges ]]"
  - "-x"
  - "[[ or (index $ann "traffic.sidecar.istio.io/excludeOutboundIPRanges") .Values.global.proxy.excludeIPRanges ]]"
  - "-b"
  - "[[ with index $ann "traffic.sidecar.istio.io/includeInboundPorts" ]][[ . ]][[ else ]]
      [[- $sep := "" ]][[ range .Spec.Containers ]][[ range .Ports ]][[ $sep ]][[ .ContainerPort ]][[ $sep = "," ]][[ end ]][[ end ]]
    [[- end ]]"
  - "-d"
  - "[[ $statusPort ]][[ with index $ann "traffic.sidecar.istio.io/excludeInboundPorts" ]],[[ . ]][[ end ]]"
  [[ if index $ann "traffic.sidecar.istio.io/kubevirtInterfaces" -]]
  - "-k"
  - "[[ index $ann "traffic.sidecar.istio.io/kubevirtInterfaces" ]]"
  [[ end -]]
  imagePullPolicy: [[ .Values.global.imagePullPolicy ]]
  resources:
    requests:
      cpu: 10m
      memory: 10Mi
    limits:
      cpu: 100m
      memory: 50Mi
  securityContext:
    capabilities:
      add:
      - NET_ADMIN
    [[- if .Values.global.proxy.privileged ]]
    privileged: true
    [[- end ]]
  restartPolicy: Always
[[ end -]]
containers:
- name: istio-proxy
  image: [[ or (index $ann "sidecar.istio.io/proxyImage") (printf "%s/%s:%s" .Values.global.hub .Values.global.proxy.image .Values.global.tag) ]]
  ports:
  - containerPort: 15090
    protocol: TCP
    name: http-envoy-prom
  args:
  - proxy
  - sidecar
  - --domain
  - $(POD_NAMESPACE).svc.[[ .Values.global.proxy.clusterDomain ]]
  - --configPath
  - [[ .ProxyConfig.ConfigPath ]]
  - --binaryPath
  - [[ .ProxyConfig.BinaryPath ]]
  - --serviceCluster
  [[ if ne "" (or (index .ObjectMeta.Labels "app") "") -]]
  - [[ index .ObjectMeta.Labels "app" ]].$(POD_NAMESPACE)
  [[ else -]]
  - [[ or .DeploymentMeta.Name "istio-proxy" ]].[[ or .DeploymentMeta.Namespace "default" ]]
  [[ end -]]
  - --drainDuration
  - [[ .ProxyConfig.DrainDuration ]]
  - --parentShutdownDuration
  - [[ .ProxyConfig.ParentShutdownDuration ]]
  - --discoveryAddress
  - [[ or (index $ann "sidecar.istio.io/discoveryAddress") .ProxyConfig.DiscoveryAddress ]]
  [[- with .ProxyConfig.Tracing ]][[ with .Zipkin ]]
  - --zipkinAddress
  - [[ .Address ]]
  [[- end ]][[ end ]]
  - --connectTimeout
  - [[ .ProxyConfig.ConnectTimeout ]]
  [[- if .ProxyConfig.StatsdUdpAddress ]]
  - --statsdUdpAddress
  - [[ .ProxyConfig.StatsdUdpAddress ]]
  [[- end ]]
  - --proxyAdminPort
  - "[[ .ProxyConfig.ProxyAdminPort ]]"
  [[ if gt .ProxyConfig.Concurrency 0 -]]
  - --concurrency
  - "[[ .ProxyConfig.Concurrency ]]"
  [[ end -]]
  - --controlPlaneAuthPolicy
  - [[ or (index $ann "sidecar.istio.io/controlPlaneAuthPolicy") .ProxyConfig.ControlPlaneAuthPolicy ]]
[[- if ne (print $statusPort) "0" ]]
  - --statusPort
  - "[[ $statusPort ]]"
  - --applicationPorts
  - "[[ with index $ann "readiness.status.sidecar.istio.io/applicationPorts" ]][[ . ]][[ else ]]
      [[- $sep := "" ]][[ range .Spec.Containers ]][[ range .Ports ]][[ if or (not .Protocol) (eq .Protocol "TCP") ]][[ $sep ]][[ .ContainerPort ]][[ $sep = "," ]][[ end ]][[ end ]][[ end ]]
    [[- end ]]"
[[- end ]]
  env:
  - name: POD_NAME
    valueFrom:
      fieldRef:
        fieldPath: metadata.name
  - name: POD_NAMESPACE
    valueFrom:
      fieldRef:
        fieldPath: metadata.namespace
  - name: INSTANCE_IP
    valueFrom:
      fieldRef:
        fieldPath: status.podIP
  - name: ISTIO_META_POD_NAME
    valueFrom:
      fieldRef:
        fieldPath: metadata.name
  - name: ISTIO_META_CONFIG_NAMESPACE
    valueFrom:
      fieldRef:
        fieldPath: metadata.namespace
  - name: ISTIO_META_INTERCEPTION_MODE
    value: [[ $mode ]]
  [[- range $i, $c := .Spec.Containers ]][[ if eq $i 0 ]]
  - name: ISTIO_META_APP_CONTAINERS
    value: "[[ range $j, $c := $.Spec.Containers ]][[ if $j ]],[[ end ]][[ $c.Name ]][[ end ]]"
  [[- end ]][[ end ]]
  [[- if .ObjectMeta.Annotations ]]
  - name: ISTIO_METAJSON_ANNOTATIONS
    value: |
           {[[ $sep := "" ]][[ range $k, $v := .ObjectMeta.Annotations ]][[ $sep ]][[ printf "%q:%q" $k $v ]][[ $sep = "," ]][[ end ]]}
  [[- end ]]
  [[- if .ObjectMeta.Labels ]]
  - name: ISTIO_METAJSON_LABELS
    value: |
           {[[ $sep := "" ]][[ range $k, $v := .ObjectMeta.Labels ]][[ $sep ]][[ printf "%q:%q" $k $v ]][[ $sep = "," ]][[ end ]]}
  [[- end ]]
  [[- range $k, $v := .Values.global.proxy.env ]]
  - name: [[ $k ]]
    value: "[[ $v ]]"
  [[- end ]]
  [[- if index $ann "sidecar.istio.io/bootstrapOverride" ]]
  - name: ISTIO_BOOTSTRAP_OVERRIDE
    value: "/etc/istio/custom-bootstrap/custom_bootstrap.json"
  [[- end ]]
  imagePullPolicy: [[ .Values.global.imagePullPolicy ]]
  [[ if ne (print $statusPort) "0" ]]
  readinessProbe:
    httpGet:
      path: /healthz/ready
      port: [[ $statusPort ]]
    initialDelaySeconds: [[ or (index $ann "readiness.status.sidecar.istio.io/initialDelaySeconds") 1 ]]
    periodSeconds: [[ or (index $ann "readiness.status.sidecar.istio.io/periodSeconds") 2 ]]
    failureThreshold: [[ or (index $ann "readiness.status.sidecar.istio.io/failureThreshold") 30 ]]
  [[ end -]]securityContext:
    readOnlyRootFilesystem: true
    [[ if eq $mode "TPROXY" -]]
    capabilities:
      add:
      - NET_ADMIN
    runAsGroup: 1337
    [[ else -]]
    runAsUser: 1337
    [[- end ]]
  resources:
    [[ if or (index $ann "sidecar.istio.io/proxyCPU") (index $ann "sidecar.istio.io/proxyMemory") -]]
    requests:
      [[ with index $ann "sidecar.istio.io/proxyCPU" -]]
      cpu: "[[ . ]]"
      [[ end ]]
      [[ with index $ann "sidecar.istio.io/proxyMemory" -]]
      memory: "[[ . ]]"
      [[ end ]]
  [[ else -]]
    [[- range $kind, $res := .Values.global.proxy.resources ]]
    [[ $kind ]]:
    [[- range $name, $qty := $res ]]
      [[ $name ]]: [[ $qty ]]
    [[- end ]]
    [[- end ]]
  [[ end -]]
  volumeMounts:
  [[- if index $ann "sidecar.istio.io/bootstrapOverride" ]]
  - mountPath: /etc/istio/custom-bootstrap
    name: custom-bootstrap-volume
  [[- end ]]
  - mountPath: /etc/istio/proxy
    name: istio-envoy
  - mountPath: /etc/certs/
    name: istio-certs
    readOnly: true
  [[- range .Spec.Volumes ]][[ if and .Secret (ge (len .Name) 6) (eq (slice .Name 0 6) "istio-") ]]
  - mountPath: /etc/istio/[[ slice .Name (len "istio-") ]]
    name: [[ .Name ]]
    readOnly: true
  [[- end ]][[ end ]]
volumes:
[[- if index $ann "sidecar.istio.io/bootstrapOverride" ]]
- name: custom-bootstrap-volume
  configMap:
    name: [[ index $ann "sidecar.istio.io/bootstrapOverride" ]]
[[- end ]]
- emptyDir:
    medium: Memory
  name: istio-envoy
- name: istio-certs
  secret:
    optional: true
    [[ if not .Spec.ServiceAccountName -]]
    secretName: istio.default
    [[ else -]]
    secretName: [[ printf "istio.%s" .Spec.ServiceAccountName ]]
    [[ end -]]
[[- if .Values.global.imagePullSecrets ]]
imagePullSecrets:
[[- range .Values.global.imagePullSecrets ]]
- name: [[ . ]]
[[- end ]]
[[- end ]]
