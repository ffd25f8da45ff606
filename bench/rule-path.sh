#!/usr/bin/env bash
# The rule's path, timed: script start -> console app proxy -> app -> upstream request, 100 firings, beside IBM's
# one-shot sample for the same CSM job, same run. Results go to bench/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl app -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
java -cp "app/target/classes:app/target/test-classes:$(cat app/target/test-cp.txt)" bench/RulePathBench.java "${1:-100}"
