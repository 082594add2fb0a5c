# server_lib.sh: sourced by the sidecar-injector tests: a temporary directory, test certificates, starting and stopping the server on 127.0.0.1, curl as the client, TAP lines.
# Tests run from the build directory (./sidecar-injector, tests/webhook/whtool); srcdir names the source tree.
srcdir=${srcdir:-.}
SI=${SIDECAR_INJECTOR:-./sidecar-injector}
WHTOOL=${WHTOOL:-tests/webhook/whtool}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wh-test.XXXXXX") || exit 1
srv_pid=
tap_n=0

cleanup() {
	[ -n "$srv_pid" ] && kill -KILL "$srv_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}
not_ok() {
	tap_n=$((tap_n + 1))
	echo "not ok $tap_n - $1"
	[ -n "$2" ] && printf '%s\n' "$2" | head -20 | sed 's/^/# /'
	return 0
}
# check TITLE CONDITION: one TAP line from a shell condition (evaluated here, so it can use
# the helpers below); a failure shows the response and the end of the server's log.
check() {
	if eval "$2"; then
		ok "$1"
	else
		not_ok "$1" "$(head -c 300 "$tmp/out" 2>/dev/null; echo; tail -3 "$tmp/server.log" 2>/dev/null)"
	fi
}
# Conditions on the last response ($tmp/out, status in $tmp/code).
code_is() { [ "$(cat "$tmp/code" 2>/dev/null)" = "$1" ]; }
out_has() { grep -qF -- "$1" "$tmp/out"; }
out_match() { grep -q -- "$1" "$tmp/out"; }
out_is() { [ "$(cat "$tmp/out")" = "$1" ]; }
log_match() { grep -q -- "$1" "$tmp/server.log"; }

# A test CA and leaf certificates it signs for 127.0.0.1 (EC keys: quick to make).
make_ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$tmp/ca.key" -out "$tmp/ca.pem" -days 2 -subj /CN=wh-test-ca \
		>/dev/null 2>&1 || { echo "Bail out! openssl cannot make a CA"; exit 1; }
	printf 'subjectAltName=IP:127.0.0.1\n' >"$tmp/ext"
}
# make_leaf CN CERT KEY
make_leaf() {
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$3" \
		-out "$tmp/leaf.csr" -subj "/CN=$1" >/dev/null 2>&1 &&
	openssl x509 -req -in "$tmp/leaf.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" \
		-CAcreateserial -out "$2" -days 2 -extfile "$tmp/ext" >/dev/null 2>&1 ||
		{ echo "Bail out! openssl cannot make a certificate"; exit 1; }
}

# start_server ARGS...: runs the server on 127.0.0.1 (any port) with ARGS; sets srv_pid
# and port, or fails after a generous wait.
start_server() {
	: >"$tmp/server.log"
	"$SI" --port 0 --address 127.0.0.1 "$@" </dev/null 2>"$tmp/server.log" &
	srv_pid=$!
	port=
	w=0
	while [ $w -lt 600 ]; do
		port=$(sed -n 's/.*listening on port \([0-9][0-9]*\).*/\1/p' "$tmp/server.log" | head -1)
		[ -n "$port" ] && return 0
		kill -0 "$srv_pid" 2>/dev/null || break
		sleep 0.1
		w=$((w + 1))
	done
	echo "# server did not start:"
	sed 's/^/# /' "$tmp/server.log"
	return 1
}

# stop_server: SIGTERM, then wait for the exit status (KILL after a minute); sets srv_rc.
stop_server() {
	srv_rc=
	[ -n "$srv_pid" ] || return 0
	kill -TERM "$srv_pid" 2>/dev/null
	w=0
	while kill -0 "$srv_pid" 2>/dev/null && [ $w -lt 600 ]; do
		sleep 0.1
		w=$((w + 1))
	done
	kill -KILL "$srv_pid" 2>/dev/null
	wait "$srv_pid"
	srv_rc=$?
	srv_pid=
}

# wh_curl PATH CURL-ARGS...: HTTPS to the server, trusting the test CA.
wh_curl() {
	p=$1
	shift
	curl -sS --max-time 60 --cacert "$tmp/ca.pem" "$@" "https://127.0.0.1:$port$p"
}

# post FILE [CONTENT-TYPE-HEADER]: posts a review (as application/json unless another
# header is given); body in $tmp/out, status in $tmp/code.
post() {
	wh_curl /inject -o "$tmp/out" -w '%{http_code}' -H "${2:-Content-Type: application/json}" \
		--data-binary "@$1" >"$tmp/code" 2>"$tmp/curl.err"
}

# metric NAME: its value from /metrics (name with labels, as written).
metric() {
	wh_curl /metrics 2>/dev/null | while read -r k v; do
		[ "$k" = "$1" ] && echo "$v"
	done
}

# wait_metric NAME MIN: waits (bounded) until the metric is at least MIN.
wait_metric() {
	w=0
	while [ $w -lt 300 ]; do
		v=$(metric "$1")
		[ -n "$v" ] && [ "${v%%.*}" -ge "$2" ] && return 0
		sleep 0.1
		w=$((w + 1))
	done
	return 1
}
