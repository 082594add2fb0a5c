#!/bin/sh
# gen-certs.sh: makes a CA and the webhook's serving certificate with openssl, writes the
# Secret the Deployment mounts at /etc/istio/certs, and puts the CA (base64) in the
# MutatingWebhookConfiguration's caBundle of OUTDIR/sidecar-injector.yaml when that file
# exists (the output of deploy/render.sh).
#
# Usage: deploy/gen-certs.sh NAMESPACE OUTDIR
# Writes in OUTDIR: ca.pem ca-key.pem (the CA: keep its key safe), cert-chain.pem key.pem
# (serving certificate and key), secret.yaml, ca-bundle.b64. When OUTDIR already holds
# ca.pem and ca-key.pem, that CA is kept and only the serving certificate is renewed, so
# the caBundle stays valid (certificate rotation).
# The serving certificate names istio-sidecar-injector.NAMESPACE.svc and
# istio-sidecar-injector.NAMESPACE.svc.cluster.local. DAYS (default 365) sets its lifetime;
# the CA lives ten times as long.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 NAMESPACE OUTDIR" >&2
	exit 2
fi
ns=$1
out=$2
days=${DAYS:-365}
svc=istio-sidecar-injector
mkdir -p "$out"
umask 077

if [ -f "$out/ca.pem" ] && [ -f "$out/ca-key.pem" ]; then
	echo "gen-certs: keeping the CA in $out/ca.pem" >&2
else
	openssl req -x509 -new -nodes -newkey rsa:2048 -sha256 -days $((days * 10)) \
		-subj "/O=tmplrender/CN=sidecar-injector CA" \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign \
		-keyout "$out/ca-key.pem" -out "$out/ca.pem" 2>/dev/null
fi

openssl req -new -nodes -newkey rsa:2048 -sha256 \
	-subj "/CN=$svc.$ns.svc" \
	-keyout "$out/key.pem" -out "$out/server.csr" 2>/dev/null
cat >"$out/server.ext" <<EOF
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:$svc.$ns.svc, DNS:$svc.$ns.svc.cluster.local
EOF
openssl x509 -req -in "$out/server.csr" -CA "$out/ca.pem" -CAkey "$out/ca-key.pem" \
	-CAcreateserial -days "$days" -sha256 -extfile "$out/server.ext" \
	-out "$out/cert-chain.pem" 2>/dev/null
rm -f "$out/server.csr" "$out/server.ext" "$out/ca.srl"

b64() { base64 <"$1" | tr -d '\n'; }
cat >"$out/secret.yaml" <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: istio.istio-sidecar-injector-service-account
  namespace: $ns
  labels:
    app: sidecarInjectorWebhook
    istio: sidecar-injector
type: Opaque
data:
  cert-chain.pem: $(b64 "$out/cert-chain.pem")
  key.pem: $(b64 "$out/key.pem")
  root-cert.pem: $(b64 "$out/ca.pem")
EOF
b64 "$out/ca.pem" >"$out/ca-bundle.b64"
chmod 644 "$out/ca.pem" "$out/cert-chain.pem" "$out/ca-bundle.b64"

manifest=$out/sidecar-injector.yaml
if [ -f "$manifest" ]; then
	sed "s|^\(    caBundle:\).*|\1 \"$(cat "$out/ca-bundle.b64")\"|" "$manifest" >"$manifest.new"
	chmod 644 "$manifest.new"
	mv "$manifest.new" "$manifest"
	echo "gen-certs: $out/secret.yaml written; caBundle set in $manifest" >&2
else
	echo "gen-certs: $out/secret.yaml written; no $manifest to fill: render it with" \
		"deploy/render.sh -c $out/ca.pem" >&2
fi
