#!/bin/sh
# Large-pod inputs for bench/big.sh, generated (never committed): a pod of
# CONTAINERS containers, each with ENVS environment variables whose values are
# VALUELEN characters long, as an AdmissionReview for the webhook (built from
# bench/webhook/review.json, the typical pod, by repeating its container) or as
# a Deployment manifest for kube-inject.
#
#   bench/big/gen.sh review   [CONTAINERS ENVS VALUELEN] > review.json
#   bench/big/gen.sh manifest [CONTAINERS ENVS VALUELEN] > deployment.yaml
#
# Defaults: 200 containers x 600 variables; values of 8 characters for the review
# (4.6 MB) and of 105 for the manifest (17.7 MB), the sizes the speed issue measured.
set -eu

usage() {
	echo "usage: $0 review|manifest [CONTAINERS ENVS VALUELEN]" >&2
	exit 2
}
[ $# -eq 1 ] || [ $# -eq 4 ] || usage
what=$1
here=$(cd "$(dirname "$0")" && pwd)
case $what in
review) def_len=8 ;;
manifest) def_len=105 ;;
*) usage ;;
esac
containers=${2:-200}
envs=${3:-600}
len=${4:-$def_len}

case $what in
review)
	# review.json is one line; its only container ends where "restartPolicy" follows.
	awk -v nc="$containers" -v ne="$envs" -v len="$len" '
	function value(c, e,    s) {
		s = sprintf("v%d.%d", c, e)
		while (length(s) < len) s = s "x"
		return substr(s, 1, len)
	}
	{
		open = index($0, "\"containers\":[")
		close_ = index($0, "],\"restartPolicy\"")
		if (!open || !close_) { print "review.json: no containers array" > "/dev/stderr"; exit 1 }
		head = substr($0, 1, open + length("\"containers\":[") - 1)
		one = substr($0, open + length("\"containers\":["), close_ - open - length("\"containers\":["))
		tail = substr($0, close_)
		# The container object: {"name":"hello",...,"ports":[{"name":"http","containerPort":5000,...
		rest = substr(one, length("{\"name\":\"hello\",") + 1)
		printf "%s", head
		for (c = 0; c < nc; c++) {
			if (c) printf ","
			r = rest
			sub(/"containerPort":5000/, "\"containerPort\":" (5000 + c), r)
			printf "{\"name\":\"hello-%d\",\"env\":[", c
			for (e = 0; e < ne; e++)
				printf "%s{\"name\":\"VAR_%d\",\"value\":\"%s\"}", (e ? "," : ""), e, value(c, e)
			printf "],%s", r
		}
		print tail
	}' "$here/../webhook/review.json"
	;;
manifest)
	awk -v nc="$containers" -v ne="$envs" -v len="$len" '
	function value(c, e,    s) {
		s = sprintf("v%d.%d", c, e)
		while (length(s) < len) s = s "x"
		return substr(s, 1, len)
	}
	BEGIN {
		print "apiVersion: apps/v1"
		print "kind: Deployment"
		print "metadata:"
		print "  name: hello"
		print "  namespace: default"
		print "spec:"
		print "  replicas: 2"
		print "  selector:"
		print "    matchLabels:"
		print "      app: hello"
		print "  template:"
		print "    metadata:"
		print "      labels:"
		print "        app: hello"
		print "        version: v1"
		print "    spec:"
		print "      containers:"
		for (c = 0; c < nc; c++) {
			printf "      - name: hello-%d\n", c
			print "        image: docker.io/istio/examples-helloworld-v1:1.0"
			print "        ports:"
			print "        - name: http"
			printf "          containerPort: %d\n", 5000 + c
			print "        env:"
			for (e = 0; e < ne; e++) {
				printf "        - name: VAR_%d\n", e
				printf "          value: %s\n", value(c, e)
			}
		}
	}'
	;;
esac
