#!/bin/sh
# render.sh: writes the sidecar-injector webhook's Kubernetes manifests to stdout:
# ServiceAccount, the ConfigMaps "istio" (key mesh) and "istio-sidecar-injector" (keys
# config and values), Service, Deployment, PodDisruptionBudget and the
# MutatingWebhookConfiguration. The ConfigMaps embed templates/istio-1.1/mesh.yaml and
# templates/istio-1.1/inject-config.yaml as they are in the source tree, so they never drift.
#
# Usage: deploy/render.sh [-n NAMESPACE] [-i IMAGE] [-c CA_PEM] >sidecar-injector.yaml
#   -n  namespace of the webhook (default istio-system; it must exist)
#   -i  container image (default sidecar-injector:latest)
#   -c  CA certificate that signed the serving certificate: its base64 becomes the
#       webhook's caBundle (default: empty; deploy/gen-certs.sh fills it in later)
set -eu

ns=istio-system
image=sidecar-injector:latest
ca=
while getopts n:i:c: opt; do
	case $opt in
	n) ns=$OPTARG ;;
	i) image=$OPTARG ;;
	c) ca=$OPTARG ;;
	*) echo "usage: $0 [-n NAMESPACE] [-i IMAGE] [-c CA_PEM]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || { echo "usage: $0 [-n NAMESPACE] [-i IMAGE] [-c CA_PEM]" >&2; exit 2; }

top=$(cd "$(dirname "$0")/.." && pwd)
inject=$top/templates/istio-1.1/inject-config.yaml
mesh=$top/templates/istio-1.1/mesh.yaml
cabundle=
[ -z "$ca" ] || cabundle=$(base64 <"$ca" | tr -d '\n')

# block KEY FILE: "  KEY: |" then FILE's lines indented by four spaces; the chomping
# indicator keeps the file's end exactly (no final newline: |-, one: |, more: |+).
block() {
	case $(tail -c 2 "$2" | od -An -tx1 | tr -d ' \n') in
	0a0a) chomp='+' ;;
	*0a) chomp= ;;
	*) chomp='-' ;;
	esac
	printf '  %s: |%s\n' "$1" "$chomp"
	sed '/./s/^/    /' "$2"
	[ "$chomp" != '-' ] || echo
}

labels='    app: sidecarInjectorWebhook
    istio: sidecar-injector'
podlabels=$(echo "$labels" | sed 's/^/    /')

cat <<EOF
apiVersion: v1
kind: ServiceAccount
metadata:
  name: istio-sidecar-injector-service-account
  namespace: $ns
  labels:
$labels
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: istio
  namespace: $ns
  labels:
    app: istio
    istio: mesh
data:
EOF
block mesh "$mesh"
cat <<EOF
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: istio-sidecar-injector
  namespace: $ns
  labels:
$labels
data:
EOF
block config "$inject"
cat <<EOF
  values: |
    # .Values for injection templates that read them (Istio 1.1's does not).
    {}
---
apiVersion: v1
kind: Service
metadata:
  name: istio-sidecar-injector
  namespace: $ns
  labels:
$labels
spec:
  selector:
    istio: sidecar-injector
  ports:
  - name: https-webhook
    port: 443
    targetPort: https-webhook
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: istio-sidecar-injector
  namespace: $ns
  labels:
$labels
spec:
  replicas: 2
  selector:
    matchLabels:
      istio: sidecar-injector
  strategy:
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
$podlabels
      annotations:
        sidecar.istio.io/inject: "false"
    spec:
      serviceAccountName: istio-sidecar-injector-service-account
      automountServiceAccountToken: false
      terminationGracePeriodSeconds: 30
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        runAsGroup: 65532
        fsGroup: 65532
        seccompProfile:
          type: RuntimeDefault
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              topologyKey: kubernetes.io/hostname
              labelSelector:
                matchLabels:
                  istio: sidecar-injector
      containers:
      - name: sidecar-injector-webhook
        image: $image
        imagePullPolicy: IfNotPresent
        args:
        - --port=8443
        - --tlsCertFile=/etc/istio/certs/cert-chain.pem
        - --tlsKeyFile=/etc/istio/certs/key.pem
        - --injectConfig=/etc/istio/inject/config
        - --valuesConfig=/etc/istio/inject/values
        - --meshConfig=/etc/istio/config/mesh
        - --log-format=json
        ports:
        - name: https-webhook
          containerPort: 8443
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          privileged: false
          capabilities:
            drop: [ALL]
        livenessProbe:
          httpGet:
            scheme: HTTPS
            path: /healthz
            port: https-webhook
          periodSeconds: 10
          failureThreshold: 3
        readinessProbe:
          httpGet:
            scheme: HTTPS
            path: /readyz
            port: https-webhook
          periodSeconds: 5
          failureThreshold: 2
        resources:
          requests:
            cpu: 50m
            memory: 32Mi
          limits:
            cpu: "1"
            memory: 128Mi
        volumeMounts:
        # Whole directories, never subPath: the kubelet updates a ConfigMap or Secret
        # by swapping a symlink in the directory, which the reload watcher sees.
        - name: inject-config
          mountPath: /etc/istio/inject
          readOnly: true
        - name: config-volume
          mountPath: /etc/istio/config
          readOnly: true
        - name: certs
          mountPath: /etc/istio/certs
          readOnly: true
      volumes:
      - name: inject-config
        configMap:
          name: istio-sidecar-injector
      - name: config-volume
        configMap:
          name: istio
      - name: certs
        secret:
          secretName: istio.istio-sidecar-injector-service-account
          defaultMode: 0440
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: istio-sidecar-injector
  namespace: $ns
  labels:
$labels
spec:
  minAvailable: 1
  selector:
    matchLabels:
      istio: sidecar-injector
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: istio-sidecar-injector
  labels:
$labels
webhooks:
- name: sidecar-injector.istio.io
  admissionReviewVersions: [v1, v1beta1]
  sideEffects: None
  failurePolicy: Fail
  timeoutSeconds: 10
  reinvocationPolicy: Never
  clientConfig:
    service:
      name: istio-sidecar-injector
      namespace: $ns
      path: /inject
      port: 443
    caBundle: "$cabundle"
  rules:
  - operations: [CREATE]
    apiGroups: [""]
    apiVersions: [v1]
    resources: [pods]
    scope: Namespaced
  namespaceSelector:
    matchLabels:
      istio-injection: enabled
EOF
