#!/bin/sh
# Write the values of the large-data benchmark on standard output:
# N service endpoints (default 2000), deterministic.
n=${1:-2000}
awk -v n="$n" 'BEGIN {
    split("us-east-1a us-east-1b us-east-1c eu-west-1a eu-west-1b", zone, " ")
    split("http grpc tcp https", proto, " ")
    print "cluster: prod-eu"
    print "generated: \"2026-11-25T00:00:00Z\""
    print "defaults:"
    print "  timeoutMs: 250"
    print "  retries: 3"
    print "endpoints:"
    for (i = 0; i < n; i++) {
        printf "  - name: svc-%04d\n", i
        printf "    namespace: team-%02d\n", i % 37
        printf "    ip: 10.%d.%d.%d\n", int(i / 65536) % 256, int(i / 256) % 256, i % 256
        printf "    port: %d\n", 8000 + i % 1000
        printf "    protocol: %s\n", proto[i % 4 + 1]
        printf "    weight: %.2f\n", (i * 37 % 1000) / 10.0 + 0.25
        printf "    healthy: %s\n", (i % 13 == 0) ? "false" : "true"
        if (i % 5 == 0)
            printf "    timeoutMs: %d\n", 100 + i % 900
        printf "    labels: {zone: %s, tier: %s, version: v%d}\n", zone[i % 5 + 1], (i % 3 == 0) ? "backend" : "frontend", i % 4 + 1
        if (i % 7 == 0)
            printf "    tags: [canary, \"build-%d\"]\n", 1000 + i
        else
            printf "    tags: []\n"
    }
}'
