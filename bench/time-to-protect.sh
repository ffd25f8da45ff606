#!/usr/bin/env bash
# Time to protect (issue #21 item 7): script start -> CSM receives "run scheduled task", IBM's sample flow with
# Python requests vs our custom action as provisioned through the console's app proxy, alternating, one run, one
# CSM simulator. Prints the table rows for bench/RESULTS.md. Usage: bench/time-to-protect.sh [firings, default 100]
# Needs the system's python3 with requests (Debian: apt-get install python3-requests).
set -euo pipefail
cd "$(dirname "$0")/.."
py="${SAFEGUARD_BENCH_PYTHON:-/usr/bin/python3}"
"$py" -c 'import requests' 2>/dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y -q python3-requests >/dev/null; }
mvn -q -B -pl app -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
java -cp "app/target/classes:app/target/test-classes:$(cat app/target/test-cp.txt)" bench/TimeToProtectBench.java "${1:-100}" 2>&1 \
  | grep -v '^[0-9:.]* \(INFO\|WARN\|DEBUG\) '
