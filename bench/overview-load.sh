#!/usr/bin/env bash
# The Overview under load (issue #22 item 2): a journal of N actions x 5 records (default 200,000 = 1,000,000
# records) over 3 targets, the app started by bin/safeguard (the manifest's JVM flags, 96 MB heap), then 100 clients
# load GET /api/overview at once, 5 rounds. Prints start-up (the ledger rebuilt from the whole journal once), the
# load latencies, RSS and heap after. Results go to bench/RESULTS.md by hand.
# SR_BENCH_DIR=/some/dir keeps the filled store there and reuses it on the next run (fill once, measure later on a
# quiet machine: the second start reads the checkpoint the first one's clean stop wrote).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl app package -DskipTests
mvn -B -q -pl app dependency:build-classpath -Dmdep.outputFile=/tmp/sr-overview-load.cp -Dmdep.includeScope=test
n=${1:-200000}
dir=${SR_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$dir"
rm -rf "$dir/classes"
cp -r app/target/classes "$dir/classes" # a build in the same tree meanwhile does not pull them away
cp="$dir/classes:$(cat /tmp/sr-overview-load.cp)"
app=""
trap '[ -n "$app" ] && kill "$app" 2>/dev/null && { wait "$app" || true; }; [ -n "${SR_BENCH_DIR:-}" ] || rm -rf "$dir"' EXIT
if [ -d "$dir/store/journal" ]; then
  echo "reusing the store in $dir (no fill)"
else
  t0=$(date +%s)
  java -cp "$cp" bench/OverviewBigFill.java "$dir/store" "$n"
  echo "filled in $(( $(date +%s) - t0 )) s"
fi
echo "journal: $(cat "$dir"/store/journal/*.jsonl | wc -l) records, $(du -sh "$dir/store/journal" | cut -f1)"
token=$(SAFEGUARD_STORE="$dir/store" bin/safeguard admin-token --new-store 2>/dev/null)
start=$(date +%s%N)
SAFEGUARD_STORE="$dir/store" SAFEGUARD_PORT=0 bin/safeguard > "$dir/out" 2>&1 &
app=$!
port=""
for _ in $(seq 6000); do
  port=$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' "$dir/out" | head -n 1); [ -n "$port" ] && break
  kill -0 $app || { cat "$dir/out"; exit 1; }; sleep 0.1
done
echo "app up in $(( ($(date +%s%N) - start) / 1000000 )) ms: $(grep -o 'actions loaded.*' "$dir/out")"
pid=$(pgrep -P $app java || echo $app)
for t in scale-a scale-b scale-c; do
  # 201, or 409 when a reused store has them already
  curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"kind":"scale","name":"'$t'","host":"127.0.0.1","port":9,"username":"u","password":"p","scale":{"fileSystem":"gpfs01","filesets":["sales"]}}' \
    "http://127.0.0.1:$port/api/targets" | grep -qE '^(201|409)$'
done
echo "RSS before: $(awk '/VmRSS/ {print int($2/1024) " MB"}' /proc/$pid/status)"
echo "GET /api/overview alone (curl, 5 runs): $(for _ in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_total} ' -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/overview"; done)s"
curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/overview" | python3 -c '
import json,sys; o=json.load(sys.stdin)
for t in o["targets"]: print("  ", t["name"], t["state"], "last24h", t["last24h"]["total"], t["last24h"]["byStatus"])'
java bench/OverviewLoad.java "http://127.0.0.1:$port/api/overview" "$token" "${2:-100}" "${3:-5}"
echo "RSS after: $(awk '/VmRSS/ {print int($2/1024) " MB"}' /proc/$pid/status); still running: $(kill -0 $pid && echo yes)"
grep -c OutOfMemory "$dir/out" || true
