#!/usr/bin/env bash
# The offense path on QRadar on Cloud, timed (offense created -> storage request) and its polling cost on a console
# with 10,000 offenses. Args: offenses to time (20), poll interval in seconds (5). Results go to RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl app -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
java -cp "app/target/classes:app/target/test-classes:$(cat app/target/test-cp.txt)" bench/OffenseBench.java "${1:-20}" "${2:-5}"
