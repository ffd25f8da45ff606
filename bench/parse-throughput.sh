#!/usr/bin/env bash
# Our DSM expressions vs the seed blog's, single thread, same corpus, one run. Results go to bench/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl app -am package -DskipTests
java -XX:+UseParallelGC -cp "app/target/safeguard-responder-app.jar:app/target/lib/*" bench/ParseThroughput.java \
  dsm/ibm-storage-scale-file-audit.json \
  app/src/test/resources/scale-audit/sample-events.log \
  app/src/test/resources/scale-audit/edge-cases.log
