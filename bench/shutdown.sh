#!/usr/bin/env bash
# Shutdown with 8 targets busy (issue #21 item 3): SIGTERM to exit, then every action resumed with one copy.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x qradar-extension/target/runtime/bin/java ] || mvn -q -B -DskipTests package
mvn -q -B -o -pl app dependency:build-classpath -Dmdep.outputFile=/tmp/sr-bench.cp -Dmdep.includeScope=test
flags=$(bin/safeguard --jvm-flags)
export APP_JAVA="qradar-extension/target/runtime/bin/java $flags"
cp="app/target/classes:app/target/test-classes:$(cat /tmp/sr-bench.cp)"
java -Xmx256m -cp "$cp" bench/ShutdownBench.java "${1:-8}"
