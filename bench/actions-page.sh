#!/usr/bin/env bash
# The Actions page with 100,000 journal records (20,000 actions x 5 records): time until its first page shows,
# measured in headless Chromium against the app on the bundled runtime with the manifest's JVM flags.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/setup
mvn -q -B -DskipTests package
mvn -q -B -pl app dependency:build-classpath -Dmdep.outputFile=/tmp/sr-bench.cp -Dmdep.includeScope=test
cp="app/target/classes:$(cat /tmp/sr-bench.cp)"
store=$(mktemp -d)
trap 'kill "$app" 2>/dev/null || true; rm -rf "$store"' EXIT
java -cp "$cp" bench/JournalFill.java "$store" "${1:-20000}"
echo "journal: $(cat "$store"/journal/*.jsonl | wc -l) records, $(du -sh "$store/journal" | cut -f1)"
token=$(SAFEGUARD_STORE="$store" bin/safeguard admin-token --new-store 2>/dev/null)
flags=$(bin/safeguard --jvm-flags)   # the manifest's, read by the launcher
SAFEGUARD_STORE="$store" SAFEGUARD_PORT=5093 qradar-extension/target/runtime/bin/java $flags \
  -jar app/target/safeguard-responder-app.jar > "$store/app.out" 2>&1 &
app=$!
start=$(date +%s%N)
until curl -sf localhost:5093/debug >/dev/null; do sleep 0.05; done
echo "app up after $(( ($(date +%s%N) - start) / 1000000 )) ms (replaying the journal)"
java -cp "$cp" bench/ActionsPageBench.java "http://127.0.0.1:5093/index.html?view=actions" "${2:-20}" "$token"
echo "app RSS: $(grep VmRSS /proc/$app/status | awk '{print $2 " " $3}')"
