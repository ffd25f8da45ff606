#!/usr/bin/env bash
# A reference-set page of 200,000 elements, outside QRadar and inside (fake console, collections API), by the app
# in a JVM with the manifest's flags. Results go to bench/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl app -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
java -cp "app/target/classes:app/target/test-classes:$(cat app/target/test-cp.txt)" bench/RefsetPageBench.java
