#!/usr/bin/env bash
# Burst (10,000 requests, 50 clients, one Scale target and fileset) against the app with the manifest's flags.
# Results go to bench/RESULTS.md by hand. Time to protect against IBM's sample: bench/time-to-protect.sh.
# Usage: bench/actions.sh [REQUESTS] [CLIENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v ab >/dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y -q apache2-utils; }
mvn -q -B -DskipTests package   # the app jar and the bundled runtime
mvn -q -B -pl app dependency:build-classpath -Dmdep.outputFile=/tmp/sr-bench.cp -Dmdep.includeScope=test
# The app runs as in QRadar: the bundled runtime with the manifest's JVM flags (class-data archive flags aside).
flags=$(bin/safeguard --jvm-flags)   # the manifest's, read by the launcher
export APP_JAVA="qradar-extension/target/runtime/bin/java $flags"
cp="app/target/classes:app/target/test-classes:$(cat /tmp/sr-bench.cp)"
java -Xmx256m -cp "$cp" bench/ActionBench.java "${1:-10000}" "${2:-50}"
