#!/usr/bin/env bash
# QRadar content provisioning on the contract-faithful fake console: fresh install and a restart with nothing to
# do (reads only). Results go to bench/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl app -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
java -cp "app/target/classes:app/target/test-classes:$(cat app/target/test-cp.txt)" bench/ProvisioningBench.java "${1:-15}"
