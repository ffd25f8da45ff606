#!/usr/bin/env bash
# Store size on disk per N actions (default 10,000) with maximal contexts, on a dry-run Scale target through the
# real admission path (issue #22 item 5). Usage: bench/store-size.sh [actions]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -o -pl app compile
mvn -q -B -o -pl app dependency:build-classpath -Dmdep.outputFile=/tmp/sr-storesize.cp -Dmdep.includeScope=test
store=$(mktemp -d /tmp/sr-size.XXXX)
trap 'rm -rf "$store"' EXIT
java -cp "app/target/classes:$(cat /tmp/sr-storesize.cp)" bench/StoreSize.java "$store/store" "${1:-10000}"
