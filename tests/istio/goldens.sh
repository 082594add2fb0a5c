# goldens.sh: runs every case of a golden directory's CASES through kube-inject (sourced by kube-inject-latest.test and kube-inject-1.25-dev.test), one TAP line per case, TODO reasons from the directory's TODO and GOCHANGES files.
# The caller sets prog (kube-inject), tmp (a scratch directory) and i (the TAP number so
# far); golden_cases DIR leaves i advanced, pass counted and $tmp/goldens with one
# "golden ok|fail" line per case; golden_summary NAME prints the per-golden count.
#
# A case passes when the output equals the golden byte for byte. Goldens of an older
# Istio also carry what its Go libraries wrote and ours, serving the newest, do not:
# DIR/GOCHANGES lists such changes ("name<TAB>reason"), each an edit below that makes
# of an old golden what the newest libraries write (as Istio's own regeneration did).
# A case whose output equals the golden only after those edits is TAP `not ok # TODO`
# with the edits' reasons; any other difference fails.
# shellcheck shell=sh disable=SC2154 # prog and tmp come from the caller

tab=$(printf '\t')

# The number of cases in DIR/CASES (for the TAP plan).
golden_count() {
	grep -vc '^#' "$1/CASES"
}

# The reason a golden of DIR does not pass yet, from DIR/TODO ("golden<TAB>reason"), or nothing.
golden_todo() {
	awk -F'\t' -v g="$2" '$1 == g { print $2; exit }' "$1/TODO"
}

# Kubernetes 1.34's apimachinery (v0.34, kubernetes/kubernetes#130989) tags
# ObjectMeta.creationTimestamp omitzero: a zero one is left out where older versions
# wrote `creationTimestamp: null`, and a metadata holding nothing else is `{}` (what
# Istio's 96dcbbfb93a did to every golden when it took v0.34).
golden_edit_creationTimestamp() {
	awk '{ l[NR] = $0 }
	END {
		for (i = 1; i <= NR; i++) {
			if (l[i] ~ /^ *creationTimestamp: null$/) continue
			if (l[i] ~ /^ *(- )?metadata:$/ && l[i + 1] ~ /^ *creationTimestamp: null$/) {
				ind = index(l[i], "metadata") - 1
				next_ind = i + 2 <= NR ? match(l[i + 2], /[^ ]/) - 1 : -1
				if (next_ind <= ind) { print l[i] " {}"; continue }
			}
			print l[i]
		}
	}' "$1"
}

# The golden $2 of DIR $1 with every edit of DIR/GOCHANGES applied, on standard output.
golden_edited() {
	cp "$2" "$tmp/edit.in"
	while IFS=$tab read -r change _; do
		case $change in '#'*|'') continue ;; esac
		"golden_edit_$change" "$tmp/edit.in" >"$tmp/edit.out" && mv "$tmp/edit.out" "$tmp/edit.in"
	done <"$1/GOCHANGES"
	cat "$tmp/edit.in"
}

# The reasons of DIR/GOCHANGES, joined.
golden_changes() {
	awk -F'\t' '!/^#/ && NF { printf "%s%s", sep, $2; sep = "; " }' "$1/GOCHANGES"
}

golden_cases() {
	gdir=$1
	pass=0
	: >"$tmp/goldens"
	while IFS=$tab read -r input golden values template mesh env check; do
		case $input in '#'*|'') continue ;; esac
		i=$((i + 1))
		native=false compliance= platform=
		case ,$env, in *,native=true,*) native=true ;; esac
		case ,$env, in *,compliance=*) compliance=${env#*compliance=}; compliance=${compliance%%,*} ;; esac
		case ,$env, in *,platform=*) platform=${env#*platform=}; platform=${platform%%,*} ;; esac
		vflag=
		[ "$values" != - ] && vflag="--valuesFile $gdir/$values"
		# the namespace of Istio's fake cluster (OpenShift's UID range)
		[ -f "$gdir/namespaces.yaml" ] && vflag="$vflag --namespaces $gdir/namespaces.yaml"
		# shellcheck disable=SC2086
		ENABLE_NATIVE_SIDECARS=$native COMPLIANCE_POLICY=$compliance PLATFORM=$platform \
			"$prog" -f "$gdir/inject/$input" \
			--injectConfigFile "$gdir/$template" --meshConfigFile "$gdir/$mesh" $vflag \
			>"$tmp/out" 2>"$tmp/err"
		rc=$?
		case $check in
		error:*)
			# Istio's test: the error, lower-cased, contains the text
			want=${check#error:}
			if [ $rc -ne 0 ] && [ ! -s "$tmp/out" ] && tr '[:upper:]' '[:lower:]' <"$tmp/err" | grep -qF "$want"; then
				echo "ok $i - $input fails naming $want"
			else
				echo "not ok $i - $input: exit $rc, stderr: $(head -c 300 "$tmp/err")"
			fi
			continue ;;
		esac
		name="$golden ($input, $env)"
		reason=$(golden_todo "$gdir" "$golden")
		# Istio's expectedLog: a warning kube-inject must also print
		logged=true
		case $check in log:*) grep -qF "${check#log:}" "$tmp/err" || logged=false ;; esac
		if [ $rc -eq 0 ] && $logged && cmp -s "$tmp/out" "$gdir/inject/$golden"; then
			pass=$((pass + 1))
			echo "$golden ok" >>"$tmp/goldens"
			if [ -n "$reason" ]; then
				echo "ok $i - $name # TODO $reason"
			else
				echo "ok $i - $name"
			fi
		else
			echo "$golden fail" >>"$tmp/goldens"
			if [ -n "$reason" ]; then
				echo "not ok $i - $name # TODO $reason"
			elif [ $rc -eq 0 ] && $logged && [ -f "$gdir/GOCHANGES" ] &&
				golden_edited "$gdir" "$gdir/inject/$golden" | cmp -s "$tmp/out" -; then
				echo "not ok $i - $name # TODO golden of older Go libraries: $(golden_changes "$gdir")"
				echo "$golden edited" >>"$tmp/goldens"
			else
				echo "not ok $i - $name (exit $rc$($logged || echo ", no log: ${check#log:}"))"
				sed 's/^/# /' "$tmp/err" | head -5
				diff "$gdir/inject/$golden" "$tmp/out" | head -20 | sed 's/^/# /'
			fi
		fi
	done <"$gdir/CASES"
}

# A golden passes when every case of it does.
golden_summary() {
	total=$(cut -d' ' -f1 "$tmp/goldens" | sort -u | wc -l)
	failed=$(grep ' fail$' "$tmp/goldens" | cut -d' ' -f1 | sort -u | wc -l)
	echo "# $((total - failed)) of $total $1 goldens pass byte for byte ($pass of $(grep -c ' ok$\| fail$' "$tmp/goldens") cases)"
	if grep -q ' edited$' "$tmp/goldens"; then
		# goldens all of whose failing cases pass after the edits of GOCHANGES
		edited=$(grep ' fail$' "$tmp/goldens" | cut -d' ' -f1 | sort -u | while read -r g; do
			f=$(grep -c "^$g fail$" "$tmp/goldens"); e=$(grep -c "^$g edited$" "$tmp/goldens")
			[ "$f" = "$e" ] && echo "$g"; done | wc -l)
		echo "# $((total - failed + edited)) of $total $1 goldens pass after the Go library changes of GOCHANGES"
	fi
}
