#!/usr/bin/env bash
# The Overview page with 3 targets x 1,000 actions in the last 24 hours: time until the tiles are on the page,
# measured by headless Chromium, against the app started by bin/safeguard (the manifest's JVM flags).
# Needs Chromium and ChromeDriver (.ci/setup installs them). Results go to bench/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl app package -DskipTests
mvn -B -q -pl app dependency:build-classpath -Dmdep.outputFile=/tmp/sr-overview.cp -Dmdep.includeScope=test
cp="app/target/classes:$(cat /tmp/sr-overview.cp)"
dir=$(mktemp -d)
trap 'kill "$app" 2>/dev/null || true; rm -rf "$dir"' EXIT
java -cp "$cp" bench/OverviewFill.java "$dir/store" "${1:-1000}"
echo "journal: $(cat "$dir"/store/journal/*.jsonl | wc -l) records"
token=$(SAFEGUARD_STORE="$dir/store" bin/safeguard admin-token --new-store 2>/dev/null)
SAFEGUARD_STORE="$dir/store" SAFEGUARD_PORT=0 bin/safeguard > "$dir/out" 2>&1 &
app=$!
port=""
for _ in $(seq 300); do
  port=$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' "$dir/out" | head -n 1); [ -n "$port" ] && break; sleep 0.1
done
for t in scale-a scale-b scale-c; do
  curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"kind":"scale","name":"'$t'","host":"127.0.0.1","port":9,"username":"u","password":"p","scale":{"fileSystem":"gpfs01","filesets":["sales"]}}' \
    "http://127.0.0.1:$port/api/targets"
done
echo "GET /api/overview alone (curl, 5 runs): $(for _ in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_total} ' -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/overview"; done)s"
java -cp "$cp" bench/OverviewBench.java "http://127.0.0.1:$port/index.html?view=overview" "${2:-20}" "$token" 3
echo "app RSS: $(awk '/VmRSS/ {print int($2/1024) " MB"}' /proc/$app/status)"
