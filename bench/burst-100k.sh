#!/usr/bin/env bash
# A 100,000-request coalesced burst (issue #21 item 1: "keeps the same rate from the first request to the last"):
# POST /api/actions for one Scale target and fileset from 50 clients (ApacheBench, a new connection per request as
# each custom action makes), in back-to-back slices of 10,000, against the app on the bundled runtime with the
# manifest's JVM flags and a simulated Scale. Prints rate and p99 per slice, snapshots upstream, the journal's
# request records and whether the chain verifies. Usage: bench/burst-100k.sh [REQUESTS] [CLIENTS] [SLICE]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v ab >/dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y -q apache2-utils; }
[ -x qradar-extension/target/runtime/bin/java ] || mvn -q -B -DskipTests package
mvn -q -B -o -pl app package -DskipTests
mvn -q -B -o -pl app dependency:build-classpath -Dmdep.outputFile=/tmp/sr-bench.cp -Dmdep.includeScope=test
flags=$(bin/safeguard --jvm-flags)   # the manifest's, read by the launcher (class-data archive flags aside)
export APP_JAVA="qradar-extension/target/runtime/bin/java $flags"
cp="app/target/classes:app/target/test-classes:$(cat /tmp/sr-bench.cp)"
java -Xmx256m -cp "$cp" bench/ActionBench.java slices "${1:-100000}" "${2:-50}" "${3:-10000}"
