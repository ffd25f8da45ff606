#!/usr/bin/env bash
# Start-up with a long journal (issue #12 item 6, #15 item 3): stores of 100,000 and 1,000,000 journal records
# (20,000 / 200,000 actions x 5 records), the app on the bundled runtime with the manifest's JVM flags.
# For each: the first start (no checkpoint: the state is rebuilt from the whole journal and a checkpoint written),
# a restart (checkpoint: only the records after it are replayed), a start with a torn last record; time to the
# first 200 on /debug, time until the background chain check is done, RSS after it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x qradar-extension/target/runtime/bin/java ] || mvn -q -B -DskipTests package
mvn -q -B -o -pl app package -DskipTests
mvn -q -B -o -pl app dependency:build-classpath -Dmdep.outputFile=/tmp/sr-bench.cp -Dmdep.includeScope=test
cp="app/target/classes:$(cat /tmp/sr-bench.cp)"
flags=$(bin/safeguard --jvm-flags)
port=5094
run() { # label store
  SAFEGUARD_STORE="$2" SAFEGUARD_PORT=$port qradar-extension/target/runtime/bin/java $flags \
    -jar app/target/safeguard-responder-app.jar > "$2/app-$1.out" 2>&1 &
  local app=$! start=$(date +%s%N)
  until curl -sf localhost:$port/debug >/dev/null; do
    kill -0 $app 2>/dev/null || { echo "$1: app exited"; tail -5 "$2/app-$1.out"; return 1; }
    sleep 0.01
  done
  local up=$(( ($(date +%s%N) - start) / 1000000 ))
  local state
  while state=$(curl -sf localhost:$port/api/health | python3 -c 'import json,sys; print(json.load(sys.stdin)["journal"]["state"])'); [ "$state" = verifying ]; do sleep 0.05; done
  local checked=$(( ($(date +%s%N) - start) / 1000000 ))
  local rss=$(grep VmRSS /proc/$app/status | awk '{print int($2/1024)}')
  echo "| $1 | $up ms | $checked ms ($state) | $rss MB |"
  kill $app; wait $app 2>/dev/null || true
}
echo "| start | first 200 on /debug | chain check done | RSS |"
echo "|---|---|---|---|"
for actions in ${1:-20000 200000}; do
  store=$(mktemp -d)
  java -cp "$cp" bench/JournalFill.java "$store" "$actions"
  records=$(cat "$store"/journal/*.jsonl | wc -l)
  label="$records records ($(du -sh "$store/journal" | cut -f1))"
  run "$label, no checkpoint (rebuild)" "$store"
  run "$label, checkpoint" "$store"
  last=$(ls "$store"/journal/*.jsonl | tail -1)
  printf '{"seq":%s,"time":"2026-11-' "$((records + 1))" >> "$last"
  run "$label, torn last record" "$store"
  rm -rf "$store"
done
