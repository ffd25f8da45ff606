#!/usr/bin/env bash
# Bounded memory (issue #15 item 1): N requests (default 1,000,000) with every context field at its documented
# limit, from 50 clients (ab), against the app on the bundled runtime with the manifest's JVM flags and a dry-run
# Scale target; RSS sampled every 10 s while it runs, then a restart on that journal. Prints a table for RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v ab >/dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y -q apache2-utils; }
[ -x qradar-extension/target/runtime/bin/java ] || mvn -q -B -DskipTests package
mvn -q -B -o -pl app package -DskipTests
n=${1:-1000000}
flags=$(bin/safeguard --jvm-flags)
store=$(mktemp -d /tmp/sr-mem.XXXX); port=5095
trap 'kill $app 2>/dev/null || true; rm -rf "$store"' EXIT
start_app() {
  SAFEGUARD_STORE="$store" SAFEGUARD_PORT=$port qradar-extension/target/runtime/bin/java $flags \
    -jar app/target/safeguard-responder-app.jar >> "$store/app.out" 2>&1 &
  app=$!
  t0=$(date +%s%N)
  until curl -sf localhost:$port/debug >/dev/null; do kill -0 $app || { tail "$store/app.out"; exit 1; }; sleep 0.02; done
  echo "app up in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
}
rss() { grep VmRSS /proc/$app/status | awk '{print int($2/1024)}'; }
start_app
admin=$(SAFEGUARD_STORE="$store" java -jar app/target/safeguard-responder-app.jar admin-token 2>/dev/null | grep -o 'sga_[A-Za-z0-9_-]*' | head -1 || true)
[ -n "$admin" ] || { echo "no admin token"; exit 1; }
auth=(-H "Authorization: Bearer $admin" -H 'Content-Type: application/json')
curl -sf "${auth[@]}" -X POST localhost:$port/api/targets -d '{"kind":"scale","name":"scale1","host":"scale.example","port":443,
  "username":"snapadmin","password":"pw","dryRun":true,"tls":{"mode":"verify"},
  "scale":{"fileSystem":"gpfs01","defaultFileset":"sales","filesets":["sales"],"minIntervalSeconds":60}}' >/dev/null
token=$(curl -sf "${auth[@]}" -X POST localhost:$port/api/action-token/reveal | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
python3 - "$store/body.json" <<'PY'
import json, sys
ctx = {"rule": "R" * 255, "user": "u" * 255, "path": "/" + "é" * 4095, "filename": "ü" * 255, "eventTime": "2026-11-24T10:15:03.123456789+00:00",
       "offenseId": "123456789012345678"}
json.dump({"type": "scale-snapshot", "target": "scale1", "context": ctx}, open(sys.argv[1], "w"), ensure_ascii=False)
PY
echo "body: $(wc -c < "$store/body.json") bytes"
echo "| elapsed | requests done (approx.) | RSS |"
echo "|---|---|---|"
ab -q -n "$n" -c 50 -p "$store/body.json" -T 'application/json; charset=utf-8' -H "Authorization: Bearer $token" \
  http://127.0.0.1:$port/api/actions > "$store/ab.out" 2>&1 &
abpid=$!
s=0
while kill -0 $abpid 2>/dev/null; do
  sleep 10; s=$((s + 10))
  lines=$(cat "$store"/journal/*.jsonl 2>/dev/null | wc -l)
  echo "| ${s} s | $lines records | $(rss) MB |"
done
grep -E 'Requests per second|Failed requests|Non-2xx|99%' "$store/ab.out" || true
echo "journal: $(du -sh "$store/journal" | cut -f1), health: $(curl -sf localhost:$port/api/health | head -c 300)"
kill $app; wait $app 2>/dev/null || true
start_app
echo "RSS after restart on that journal: $(rss) MB"
